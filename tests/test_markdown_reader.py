"""Markdown in: our own output read back, through real tools, and Markdown as people write it.

Round trips, over the golden corpus and generated bulletins: our Markdown → the Markdown
reader; our Markdown → HTML rendered by markdown-it-py → the HTML reader; our Markdown
reformatted by mdformat → the Markdown reader. Each gives back an equal bulletin.
"""

from __future__ import annotations

import re
import sys
from collections import Counter
from collections.abc import Callable
from pathlib import Path

import mdformat
import pytest
from hypothesis import given, settings
from markdown_it import MarkdownIt

import prayerdoc
from growth import assert_linear
from prayerdoc import Bulletin, ParseError
from prayerdoc.cli import main
from prayerdoc.conservation import model_texts
from prayerdoc.formats import html, markdown
from profiles import examples
from strategies import bulletins

ROOT = Path(__file__).resolve().parent.parent
CORPUS = sorted((ROOT / "tests" / "data" / "valid").glob("*.txt")) + sorted(
    (ROOT / "examples" / "bulletins").glob("*.txt")
)
HAND = ROOT / "tests" / "data" / "readers" / "bulletin-05.hand.md"
TREES = settings(max_examples=examples(50))
RENDER = MarkdownIt("commonmark")


def _round_trips(bulletin: Bulletin) -> None:
    written = markdown.dumps(bulletin)
    assert markdown.loads(written) == bulletin
    assert html.loads(RENDER.render(written)) == bulletin
    assert markdown.loads(mdformat.text(written)) == bulletin


@pytest.mark.parametrize("path", CORPUS, ids=lambda p: p.name)
def test_corpus_reads_back_through_markdown_tools(path: Path) -> None:
    _round_trips(prayerdoc.load(path))


@TREES
@given(bulletins())
def test_generated_bulletins_read_back_through_markdown_tools(bulletin: Bulletin) -> None:
    _round_trips(bulletin)


def test_hand_written_markdown_reads_as_the_plain_text() -> None:
    expected = prayerdoc.load(ROOT / "examples" / "bulletins" / "bulletin-05.txt")
    assert markdown.loads(HAND.read_bytes()) == expected
    assert prayerdoc.load(HAND) == expected


def _words(text: str) -> Counter[str]:
    return Counter(re.findall(r"\w+", text))


def test_hand_written_markdown_keeps_every_visible_word() -> None:
    source = HAND.read_text(encoding="utf-8")
    # What a reader sees: no comments, link targets, emphasis marks or list numbers.
    visible = re.sub(
        r"<!--.*?-->|\]\([^)]*\)|[*_]|^\d+[.)] ", " ", source, flags=re.DOTALL | re.MULTILINE
    )
    bulletin = markdown.loads(source)
    kept = _words(" ".join(model_texts(bulletin)))
    assert not _words(visible) - kept


VARIANTS = [
    # The reference inside the quote, the verse hard-wrapped and without quote marks.
    "Prayer List\n\n> He has shown you, O mortal,\n> what is good.\n> — Micah 6:8\n\n"
    "1. Pray for *Kenya*.\n2. Praise God for [Peru](https://x.org).\n",
    # A bold-line heading above its request, in one paragraph; setext title.
    "Prayer List\n===\n\n> “He has shown you.”\n\n— Micah 6:8\n\nPray for Kenya.\n\n"
    "**Latin America**\nPray for Peru.\n",
    # Hard breaks, HTML inline and block, code spans.
    "# Prayer List\n\n> “He has shown you.”  \n> — Micah 6:8\n\n"
    "<div>Pray for <b>Kenya</b>.</div>\n\nPray for `Peru` and <i>Chile</i>.\n",
]


@pytest.mark.parametrize("document", VARIANTS)
def test_markdown_as_people_write_it(document: str) -> None:
    bulletin = markdown.loads(document)
    assert bulletin.title == "Prayer List"
    assert bulletin.epigraph is not None
    assert bulletin.epigraph.reference is not None
    assert bulletin.epigraph.reference.text == "Micah 6:8"
    assert bulletin.epigraph.text.startswith("He has shown you")
    texts = " ".join(model_texts(bulletin))
    for markup in ("*", "](", "<b>", "`", "**", "<div>"):
        assert markup not in texts
    assert bulletin.requests()


def test_block_html_reads_as_a_page_does() -> None:
    # A centred title and date, a line each; a heading with an entity; a script.
    document = (
        '<p align="center"><b>Prayer List</b><br>\nApril 27, 2019</p>\n\n'
        "> “He has shown you.”\n\n— Micah 6:8\n\n"
        "<div>\n<strong>IJM HQ &amp; Global\nPartners</strong>\n</div>\n\n"
        "<script>track('<p>x</p>');</script>\n\n- Pray for Kenya.\n"
    )
    bulletin = markdown.loads(document)
    assert (bulletin.title, str(bulletin.date)) == ("Prayer List", "2019-04-27")
    assert [s.heading for s in bulletin.sections] == ["IJM HQ & Global Partners"]
    lines = document.split("\n")
    section = bulletin.sections[0]
    assert section.position is not None
    assert lines[section.position.line - 1][section.position.column - 1 :].startswith("IJM HQ")


def test_inline_br_is_a_line_break() -> None:
    # As in a page: the heading above its request, the reference below its verse; a
    # line end after a <br> is white space, not a second break.
    document = (
        "# T\n\n> “V”<br>— Micah 6:8\n\n**Latin America**<br>Pray for Peru.<br>\nPray for Chile.\n"
    )
    bulletin = markdown.loads(document)
    assert bulletin.epigraph is not None
    assert bulletin.epigraph.reference is not None
    assert [s.heading for s in bulletin.sections] == ["Latin America"]
    plain = "T\n\n“V”\n— Micah 6:8\n\nLatin America\n\nPray for Peru.\nPray for Chile.\n"
    assert bulletin == prayerdoc.parse(plain)


def test_a_bold_paragraph_over_several_lines_is_one_block() -> None:
    # A verse set in bold and hard-wrapped: its lines are not a heading each.
    document = (
        "# T\n\n**“He has shown you, oh man,\\\nwhat is good.”**\n\n— Micah 6:8\n\n"
        "**Latin America**\nPray for Peru.\n"
    )
    bulletin = markdown.loads(document)
    assert bulletin.epigraph is not None
    assert bulletin.epigraph.text == "He has shown you, oh man, what is good."
    assert [s.heading for s in bulletin.sections] == ["Latin America"]


def test_a_request_with_an_entity_is_placed_at_its_first_word() -> None:
    document = "# T\n\n> “V”\n\n— Micah 6:8\n\n- Ask for God&rsquo;s help in Peru.\n"
    (request,) = markdown.loads(document).requests()
    assert request.position is not None
    assert (request.position.line, request.position.column) == (7, 3)


def test_bold_line_is_a_heading() -> None:
    bulletin = markdown.loads(VARIANTS[1])
    assert [s.heading for s in bulletin.sections] == [None, "Latin America"]


def test_check_places_findings_in_the_markdown() -> None:
    found = markdown.check(HAND.read_bytes())
    lines = HAND.read_text(encoding="utf-8").split("\n")
    (link,) = (d for d in found if d.code == "PD401")
    # At the link that holds the words, or at the words themselves.
    assert lines[link.line - 1][link.column - 1 :].lstrip("[").startswith("Read the full")


def test_convert_and_check_read_markdown_by_extension(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "b.txt"
    assert main(["convert", str(HAND), "--to", "text", "-o", str(out)]) == 0
    assert prayerdoc.load(out) == markdown.loads(HAND.read_bytes())
    assert main(["check", str(HAND), "--select", "PD401"]) == 0
    assert "bulletin-05.hand.md:" in capsys.readouterr().out


def test_without_the_markdown_extra_reading_is_a_clear_error(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setitem(sys.modules, "markdown_it", None)
    with pytest.raises(ParseError, match=r"pip install 'prayerdoc\[markdown\]'"):
        markdown.loads("# Title\n")
    assert [d.code for d in markdown.check("# Title\n")] == ["PD114"]
    assert markdown.dumps(markdown_free()).startswith("# T")


def markdown_free() -> Bulletin:
    return prayerdoc.parse("T\n\n“V”\n\n— Micah 6:8\n")


def test_a_document_with_no_bulletin_is_an_error() -> None:
    for document in ("", "<!-- only a comment -->", "---\n"):
        with pytest.raises(ParseError):
            markdown.loads(document)


HOSTILE: dict[str, tuple[Callable[[int], str], int]] = {
    "paragraphs": (lambda k: "# T\n\n> “V”\n\n— Micah 6:8\n\n" + "Pray *for* x.\n\n" * k, 300),
    "nested-quotes": (lambda k: ">" * k + " Pray\n", 2_000),
    "nested-lists": (lambda k: "- " * k + "Pray\n", 2_000),
    "emphasis": (lambda k: "Pray " + "*a _b " * k + "\n", 2_000),
    "links": (lambda k: "Pray " + "[a](" * k + "\n", 2_000),
    "html-block": (lambda k: "<div>\n" + "<?<a <!x <b>Pray &amp; " * k + "\n", 2_000),
}


@pytest.mark.parametrize("shape", sorted(HOSTILE))
def test_hostile_markdown_takes_time_linear_in_its_size(shape: str) -> None:
    make, units = HOSTILE[shape]
    assert_linear(markdown.check, make, units)
