"""HTML out and in: the writer checked with html5lib (a second HTML5 parser), the reader on
pages as they are published, and both round trips.

The writer's output may hold only the elements and attributes we write, whatever the
texts; the reader keeps every visible word in the model or in a finding; hostile pages
get a positioned finding or a model, never a traceback, in time linear in their size.
"""

from __future__ import annotations

import datetime
import re
import subprocess
import sys
import xml.etree.ElementTree as ET
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import html5lib
import pytest
from hypothesis import given, settings

import prayerdoc
from growth import assert_linear
from prayerdoc import Bulletin, ParseError
from prayerdoc.cli import main
from prayerdoc.conservation import model_texts
from prayerdoc.dates import format_date
from prayerdoc.formats import html
from prayerdoc.formats.text import labelled
from profiles import examples
from strategies import bulletins

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "tests" / "data"
CORPUS = sorted((DATA / "valid").glob("*.txt")) + sorted(
    (ROOT / "examples" / "bulletins").glob("*.txt")
)
BLOG = DATA / "readers" / "bulletin-03.blog.html"
TREES = settings(max_examples=examples(75))

ELEMENTS = {
    "article",
    "p",
    "h1",
    "h2",
    "time",
    "figure",
    "blockquote",
    "figcaption",
    "cite",
    "section",
    "ul",
    "li",
}
ATTRIBUTES = {"class", "datetime"}
PAGE = ELEMENTS | {"html", "head", "body", "meta", "title", "style"}
PAGE_ATTRIBUTES = ATTRIBUTES | {"lang", "charset", "name", "content"}
XHTML = "{http://www.w3.org/1999/xhtml}"


def _tree(markup: str, *, fragment: bool) -> ET.Element:
    if fragment:
        root: ET.Element = html5lib.parseFragment(markup, treebuilder="etree")
        return root
    document: ET.Element = html5lib.parse(markup, treebuilder="etree")
    return document


def _elements(root: ET.Element) -> Iterator[ET.Element]:
    for element in root.iter():
        if isinstance(element.tag, str) and element.tag.startswith(XHTML):
            yield element


def _name(element: ET.Element) -> str:
    return element.tag.removeprefix(XHTML)


def _requests_in(root: ET.Element) -> list[tuple[str, str]]:
    return [
        (element.get("class") or "", "".join(element.itertext()))
        for element in _elements(root)
        if _name(element) == "li"
    ]


def _corpus(path: Path) -> Bulletin:
    return prayerdoc.load(path)


# Writing ------------------------------------------------------------------


@TREES
@given(bulletins())
def test_fragment_holds_only_our_elements_and_every_text_verbatim(bulletin: Bulletin) -> None:
    root = _tree(html.dumps(bulletin), fragment=True)
    elements = list(_elements(root))
    assert {_name(e) for e in elements} <= ELEMENTS
    assert {name for e in elements for name in e.attrib} <= ATTRIBUTES
    expected = [(f"request {request.kind.value}", request.text) for request in bulletin.requests()]
    assert _requests_in(root) == expected
    headings = ["".join(e.itertext()) for e in elements if _name(e) == "h2"]
    assert headings == [
        s.heading
        for index, s in enumerate(bulletin.sections)
        if s.heading is not None and not labelled(bulletin, index)
    ]
    titles = ["".join(e.itertext()) for e in elements if _name(e) == "h1"]
    assert titles == ([bulletin.title] if bulletin.title else [])


@TREES
@given(bulletins())
def test_standalone_page_holds_only_our_elements(bulletin: Bulletin) -> None:
    page = html.dumps(bulletin, standalone=True)
    root = _tree(page, fragment=False)
    elements = list(_elements(root))
    assert {_name(e) for e in elements} <= PAGE
    assert {name for e in elements for name in e.attrib} <= PAGE_ATTRIBUTES
    assert [e.get("lang") for e in elements if _name(e) == "html"] == ["en"]
    assert page.startswith("<!DOCTYPE html>\n")
    assert '<meta charset="utf-8">' in page
    title = next(e for e in elements if _name(e) == "title")
    assert (bulletin.title or "Prayer bulletin") in (title.text or "")


def test_fragment_shape() -> None:
    bulletin = prayerdoc.load(ROOT / "examples" / "bulletins" / "bulletin-02.txt")
    root = _tree(html.dumps(bulletin), fragment=True)
    (article,) = (e for e in _elements(root) if _name(e) == "article")
    (time,) = (e for e in _elements(article) if _name(e) == "time")
    assert time.get("datetime") == "2019-04-27"
    assert time.text == "April 27, 2019"
    (cite,) = (e for e in _elements(article) if _name(e) == "cite")
    assert cite.text == "Micah 6:8"
    blockquote = next(e for e in _elements(article) if _name(e) == "blockquote")
    assert "".join(blockquote.itertext()).startswith("“He has shown you")
    sections = [e for e in _elements(article) if _name(e) == "section"]
    assert len(sections) == len(bulletin.sections)
    assert _requests_in(root)[0][0] == "request praise"


def test_dangerous_texts_are_escaped() -> None:
    bulletin = prayerdoc.parse(
        "<b>Title</b> & co\n\n“<script>alert(1)</script>”\n\n— Micah 6:8\n\n"
        '  • Pray for <img src=x onerror="alert(1)"> &amp; <!-- x --> ]]>.\n'
    )
    written = html.dumps(bulletin, standalone=True)
    for markup in ("<script>", "<img", "<!--"):
        assert markup not in written
    assert html.loads(written) == bulletin


# Reading back ---------------------------------------------------------------


@pytest.mark.parametrize("path", CORPUS, ids=lambda p: p.name)
@pytest.mark.parametrize("standalone", [False, True], ids=["fragment", "page"])
def test_corpus_reads_back_from_html(path: Path, standalone: bool) -> None:
    bulletin = _corpus(path)
    assert html.loads(html.dumps(bulletin, standalone=standalone)) == bulletin


@TREES
@given(bulletins())
def test_generated_bulletins_read_back_from_html(bulletin: Bulletin) -> None:
    assert html.loads(html.dumps(bulletin)) == bulletin
    assert html.loads(html.dumps(bulletin, standalone=True).encode()) == bulletin


# Reading pages --------------------------------------------------------------


def test_blog_page_reads_as_the_plain_text_of_the_same_bulletin() -> None:
    data = BLOG.read_bytes()
    assert html.loads(data) == _corpus(ROOT / "examples" / "bulletins" / "bulletin-03.txt")


def test_blog_page_navigation_is_left_out_with_a_finding_at_its_place() -> None:
    found = html.check(BLOG.read_bytes())
    left_out = {d.message.split("'")[1]: (d.line, d.column) for d in found if d.code == "PD406"}
    lines = BLOG.read_text(encoding="utf-8").split("\n")
    for words in ("Home", "About Us", "Recent Posts", "Seeking justice, loving mercy"):
        line, column = left_out[words]
        assert lines[line - 1][column - 1 :].startswith(words)
    assert "Menu" not in left_out  # aria-hidden
    assert "Post navigation" not in left_out  # hidden
    assert not any("Skip to content" in d.message for d in found)  # display:none


def test_check_places_findings_in_the_page() -> None:
    found = html.check(BLOG.read_bytes())
    lines = BLOG.read_text(encoding="utf-8").split("\n")
    (space,) = (d for d in found if d.code == "PD302")
    assert lines[space.line - 1][space.column - 1 :].startswith(".One boy")
    (quotes,) = (d for d in found if d.code == "PD306")
    assert lines[quotes.line - 1][quotes.column - 1 :].startswith('"For the Lord')


def _visible_words(markup: str) -> str:
    """The words a person sees on a page, by html5lib (not the parser under test)."""
    unseen = {"head", "script", "style", "template", "noscript", "title", "textarea", "select"}
    root = _tree(markup, fragment=False)
    pieces: list[str] = []

    def visit(element: ET.Element) -> None:
        name = _name(element) if isinstance(element.tag, str) else ""
        hidden = (
            name in unseen
            or "hidden" in element.attrib
            or element.get("aria-hidden") == "true"
            or re.search(r"display\s*:\s*none", element.get("style", "")) is not None
            or not isinstance(element.tag, str)
            or not element.tag.startswith(XHTML)
        )
        if not hidden:
            pieces.append(element.text or "")
            for child in element:
                visit(child)
        pieces.append(element.tail or "")

    for child in root:
        visit(child)
    return " ".join(pieces)


def _kept(bulletin: Bulletin, found: list[prayerdoc.Diagnostic]) -> Counter[str]:
    texts = [*model_texts(bulletin), *(d.message for d in found)]
    if bulletin.date is not None:
        texts.append(format_date(bulletin.date) + " " + bulletin.date.strftime("%A %d %b %m"))
    return Counter(word for text in texts for word in re.findall(r"\w+", text))


def assert_conserved(markup: str) -> None:
    """Every visible word of ``markup`` is in the bulletin or in a finding."""
    bulletin = html.loads(markup)
    found = html.check(markup)
    seen = Counter(re.findall(r"\w+", _visible_words(markup)))
    assert not seen - _kept(bulletin, found)


def test_blog_page_keeps_every_visible_word() -> None:
    assert_conserved(BLOG.read_text(encoding="utf-8"))


NEWSLETTER = """<table width="100%" bgcolor="#eee"><tr><td align="center">
<table width="600"><tr><td><img src="logo.png" alt="Logo">
<font size="1">View in browser</font></td></tr>
<tr><td><table><tr><td style="padding:20px">
<p><b>IJM Prayer Request</b></p><p>April 27, 2019</p>
<p><i>&ldquo;He has shown you, oh man, what is good.&rdquo;</i><br>&mdash; Micah 6:8</p>
<p>Praise God for a recent case in Kenya.</p>
<p><strong>Latin America</strong><br>Pray for our team in Guatemala.</p>
<div style="display:none">tracking pixel text</div>
<!-- a comment that is not content -->
</td></tr></table></td></tr>
<tr><td><font color="#999">You are receiving this e-mail because you signed up.
Unsubscribe.</font></td></tr>
</table></td></tr></table>"""


def test_nested_layout_tables_read_like_the_text() -> None:
    bulletin = html.loads(NEWSLETTER)
    assert bulletin.title == "IJM Prayer Request"
    assert bulletin.date == datetime.date(2019, 4, 27)
    assert bulletin.epigraph is not None
    assert bulletin.epigraph.reference is not None
    assert bulletin.epigraph.reference.text == "Micah 6:8"
    assert [s.heading for s in bulletin.sections] == [None, "Latin America"]
    assert "tracking" not in str(bulletin)
    assert "comment" not in str(bulletin)
    assert_conserved(NEWSLETTER)


@pytest.mark.parametrize(
    "markup",
    [
        "<p>Title</p><p>“Verse.”</p><p>— Micah 6:8</p><ul><li>Pray <em>for</em> <a href=x>x</a>",
        "<div>Title<div>“Verse.”<div>— Micah 6:8<ul><li>Pray for x<li>Praise God</ul>",
        "<p>Title<p>&#8220;Verse&#x2e;&rdquo;<p>&mdash; Micah 6:8<p>Pray for &amp; x</b></i></p>",
        "<table><tr><td>Title<td>“Verse.”<tr><td>— Micah 6:8</table><p>Pray for x.",
        "<p>Title</p><blockquote>Verse<br>— Micah 6:8</blockquote><p>Pray for x</p>",
        "Title<br><br>“Verse.”<br><br>— Micah 6:8<br><br>Pray for x.",
    ],
)
def test_broken_and_odd_markup_gives_a_bulletin_keeping_every_word(markup: str) -> None:
    bulletin = html.loads(markup)
    assert bulletin.epigraph is not None
    assert bulletin.epigraph.reference is not None
    assert bulletin.requests()
    assert_conserved(markup)


def test_unseen_parts_are_skipped_and_entities_decoded() -> None:
    page = (
        "<html><head><title>Not this</title><style>p{}</style></head><body>"
        "<script>var x = '<p>Pray</p>';</script><template><p>nor this</p></template>"
        "<p hidden>hidden</p><p aria-hidden=true>aria</p><p style='DISPLAY: none'>styled</p>"
        "<!-- comment --><p>Title &amp; co</p><p>&ldquo;Verse&rdquo;</p><p>&mdash; Micah 6:8</p>"
        "<p>Pray for Jos&eacute;&nbsp;and&#160;Ana.</p></body></html>"
    )
    bulletin = html.loads(page)
    assert bulletin.title == "Title & co"
    assert bulletin.requests()[0].text == "Pray for José\u00a0and\u00a0Ana."
    words = str(bulletin)
    for unseen in ("Not this", "nor this", "hidden", "aria", "styled", "comment", "var x"):
        assert unseen not in words


def test_bold_lines_are_headings() -> None:
    page = (
        "<p>Title</p><p>“Verse.”</p><p>— Micah 6:8</p><p>Pray for Kenya.</p>"
        "<p><strong>Latin America</strong><br>Pray for Peru.</p>"
        "<p><b>Asia</b></p><p>Pray for <b>Manila</b>.</p>"
    )
    bulletin = html.loads(page)
    assert [s.heading for s in bulletin.sections] == [None, "Latin America", "Asia"]
    assert bulletin.sections[2].requests[0].text == "Pray for Manila."


def test_a_list_items_paragraphs_are_its_request() -> None:
    # A loose list, as CommonMark renderers write one: the intro above stays an intro,
    # and each item is a request however its text reads.
    page = (
        "<p>Title</p><p>“Verse.”</p><p>— Micah 6:8</p><h2>Partners</h2>"
        "<p>IJM has offices in Canada and the U.K.</p>\n<ul>\n"
        "<li>\n<p>This week, our staff travel to Rome.</p>\n</li>\n"
        "<li>\n<p>Pray for Kenya.</p>\n<p>And for its courts.</p>\n</li>\n</ul>"
    )
    (section,) = html.loads(page).sections
    assert [p.text for p in section.intro] == ["IJM has offices in Canada and the U.K."]
    assert [r.text for r in section.requests] == [
        "This week, our staff travel to Rome.",
        "Pray for Kenya. And for its courts.",
    ]


def test_two_breaks_part_paragraphs_as_the_blank_line_they_show() -> None:
    # As a mail program writes a message composed in it: one <div>, <br><br> between
    # paragraphs. Without the blank line, the two requests and the intro above a
    # request would each read as one paragraph.
    page = (
        "<div>Title<br><br>“Verse.”<br><br>— Micah 6:8<br><br>Pray for Kenya.<br><br>"
        "Join us in praying for Peru.<br><br><b>Asia</b><br><br>"
        "IJM has offices in Manila.<br><br>Pray for Manila.</div>"
    )
    bulletin = html.loads(page)
    assert [r.text for r in bulletin.sections[0].requests] == [
        "Pray for Kenya.",
        "Join us in praying for Peru.",
    ]
    assert [p.text for p in bulletin.sections[1].intro] == ["IJM has offices in Manila."]


def test_a_block_quotes_footer_is_its_reference_not_the_pages_footer() -> None:
    page = (
        "<main><h1>Title</h1><blockquote><p>“Verse.”</p>"
        '<footer class="blockquote-footer">— <cite>Micah 6:8</cite></footer></blockquote>'
        "<p>Pray for Kenya.</p><footer>Posted by the prayer team</footer></main>"
    )
    bulletin = html.loads(page)
    assert bulletin.epigraph is not None
    assert bulletin.epigraph.reference is not None
    assert bulletin.epigraph.reference.text == "Micah 6:8"
    assert [d.message for d in html.check(page) if d.code == "PD406"] == [
        "'Posted by the prayer team' stands outside the bulletin (navigation, a page header "
        "or footer), so it was left out; move it into the bulletin if it belongs there"
    ]


# Hostile input ----------------------------------------------------------------


def test_deep_nesting_is_a_positioned_error() -> None:
    page = "<p>Title</p>\n" + "<div>" * 100_000 + "Pray" + "</div>" * 100_000
    with pytest.raises(ParseError) as raised:
        html.loads(page)
    (error,) = raised.value.errors
    assert error.code == "PD113"
    assert (error.line, error.column) == (2, 5 * html.MAX_DEPTH + 1)
    assert [d.code for d in html.check(page)] == ["PD113"]


def test_nesting_that_browsers_flatten_is_not_counted() -> None:
    page = "<p>Title<p>“Verse.”<p>— Micah 6:8" + "<p>Pray for x.<li>Pray for y.<br>" * 2_000
    # The parser puts each <p> after the first into the open <li>: one request with it.
    requests = html.loads(page).requests()
    assert len(requests) == 2_001
    assert requests[1].text == "Pray for y. Pray for x."


def test_unknown_and_undecodable_encodings_are_findings() -> None:
    page = b'<meta charset="x-no-such">' + b"<p>Pray</p>"
    assert [d.code for d in html.check(page)] == ["PD110"]
    with pytest.raises(ParseError, match="PD110"):
        html.loads(page)
    latin = (
        '<meta charset="iso-8859-1"><p>T</p><p>“V”</p><p>— Micah 6:8</p>'
        "<p>Pray for José’s team.</p>"
    )
    assert html.loads(latin.encode("cp1252")).requests()[0].text == "Pray for José’s team."
    assert [d.code for d in html.check(b"<p>\xff\xfe\xfa</p>")] == ["PD108"]


def test_a_page_with_no_bulletin_is_an_error() -> None:
    for page in ("", "<html></html>", "<script>x</script>", "\x00\x01"):
        with pytest.raises(ParseError):
            html.loads(page)
        assert all(d.code.startswith("PD1") for d in html.check(page))


def _page(units: int) -> str:
    head = "<p>Title</p><p>“Verse.”</p><p>— Micah 6:8</p>"
    return head + "<p>Pray for <b>the</b> team &amp; <a href=x>friends</a>.</p>\n" * units


HOSTILE = {
    "paragraphs": (_page, 500),
    "nested-divs": (lambda k: "<div>" * k + "x" + "</div>" * k, 20_000),
    "unclosed-tags": (lambda k: "<p>T</p>" + "<b><i>Pray for x." * k, 2_000),
    "unclosed-comments": (lambda k: "<p>Pray</p>" + "<!--" * k, 20_000),
    "comment-dashes": (lambda k: "<p>Pray</p>" + "<!-- x -- >" * k, 20_000),
    "closed-comments": (lambda k: "<p>Pray</p>" + "<!-- x -->" * k, 20_000),
    "unclosed-script": (lambda k: "<p>Pray</p><script>" + "<!-- <p>x</p>" * k, 20_000),
    "text-not-in-source": (lambda k: "<p>T</p>" + "<p>&#8220;x&#8221;</p>" * k, 1_000),
    "table-text": (lambda k: "<table>" + "Pray for x. " * k + "</table>", 5_000),
}


@pytest.mark.parametrize("shape", sorted(HOSTILE))
def test_hostile_pages_take_time_linear_in_their_size(shape: str) -> None:
    make, units = HOSTILE[shape]
    assert_linear(html.check, make, units)


def test_a_20_mb_page_is_refused_at_once_and_read_when_allowed(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # What makes a real page that large: scripts, styles and images written inline.
    script = "<script>var data = [" + "1234567890," * (1 << 20) + "];</script>"
    image = '<img src="data:image/png;base64,' + "QUJD" * (2 << 20) + '">'
    style = "<style>" + ".a{color:red}" * (1 << 18) + "</style>"
    page = tmp_path / "big.html"
    page.write_text(style + script + _page(3) + image, encoding="utf-8")
    assert page.stat().st_size > 20_000_000
    assert main(["check", str(page)]) == 1
    assert f"{page}:1:1: PD109" in capsys.readouterr().out
    assert main(["convert", str(page), "--max-bytes", "30000000", "--to", "text"]) == 0
    assert capsys.readouterr().out.count("  • ") == 3


# Command line and the optional parser -------------------------------------------


def test_convert_to_and_from_html(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    source = ROOT / "examples" / "bulletins" / "bulletin-02.txt"
    page = tmp_path / "b.html"
    assert main(["convert", str(source), "--to", "html", "--standalone", "-o", str(page)]) == 0
    assert page.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
    assert main(["convert", str(page), "-o", str(tmp_path / "b.txt")]) == 0
    assert prayerdoc.load(tmp_path / "b.txt") == prayerdoc.load(source)
    assert main(["convert", str(source), "--to", "json", "--standalone"]) == 2
    assert "--standalone applies only to --to html" in capsys.readouterr().err


def test_convert_reports_left_out_words(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["convert", str(BLOG), "--to", "text"]) == 0
    captured = capsys.readouterr()
    assert "PD406 'Home'" in captured.err
    assert captured.out == prayerdoc.format_text(html.loads(BLOG.read_bytes()))


def test_check_reads_html_files_by_extension(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["check", str(BLOG), "--select", "PD302"]) == 0
    assert f"{BLOG}:50:116: PD302" in capsys.readouterr().out


def test_without_the_html_extra_reading_is_a_clear_error(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setitem(sys.modules, "selectolax.lexbor", None)
    with pytest.raises(ParseError, match=r"pip install 'prayerdoc\[html\]'"):
        html.loads("<p>Pray</p>")
    assert main(["check", str(BLOG)]) == 1
    out = capsys.readouterr().out
    assert f"{BLOG}:1:1: PD114 reading HTML needs the html extra" in out
    assert "Traceback" not in out


def test_writing_html_needs_no_extra() -> None:
    code = (
        "import sys; sys.modules['selectolax'] = None; import prayerdoc;"
        "print(prayerdoc.dumps(prayerdoc.parse('T\\n\\n“V”\\n\\n— Micah 6:8\\n'), 'html'))"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert done.returncode == 0
    assert "<cite>Micah 6:8</cite>" in done.stdout
