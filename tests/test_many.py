"""Many bulletins as one document: the JSON archive and the Markdown digest.

The archive is checked against its own schema with jsonschema and read back to
equal bulletins; the digest is rendered with markdown-it-py and read back
heading by heading. The iCalendar feed has its own tests in test_ical.py.
"""

from __future__ import annotations

import datetime
import json
import re
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from jsonschema import Draft202012Validator
from markdown_it import MarkdownIt

import prayerdoc
from prayerdoc import Bulletin, ParseError, Request, RequestKind, Section
from prayerdoc.formats import json as json_format
from profiles import examples
from strategies import bulletins

ROOT = Path(__file__).resolve().parent.parent
PATHS = sorted((ROOT / "examples" / "bulletins").glob("*.txt")) + sorted(
    (ROOT / "tests" / "data" / "valid").glob("*.txt")
)
VALIDATOR = Draft202012Validator(
    json_format.archive_schema(), format_checker=Draft202012Validator.FORMAT_CHECKER
)
DAY = datetime.date(2024, 3, 3)


def corpus() -> list[Bulletin]:
    return [prayerdoc.load(path) for path in PATHS]


def bulletin(title: str | None, date: datetime.date | None, *texts: str) -> Bulletin:
    requests = [Request(text=text, kind=RequestKind.PETITION) for text in texts or ("Pray.",)]
    return Bulletin(title=title, date=date, sections=[Section(heading="Asia", requests=requests)])


# --- JSON archive ---------------------------------------------------------------------------


def test_the_archive_schema_is_a_valid_2020_12_schema() -> None:
    Draft202012Validator.check_schema(json_format.archive_schema())


def test_the_corpus_as_one_archive_is_valid_and_reads_back_equal() -> None:
    found = corpus()
    text = prayerdoc.dumps(found, "json")
    document = json.loads(text)
    assert not [error.message for error in VALIDATOR.iter_errors(document)]
    assert document["$schema"] == "urn:prayerdoc:archive:1"
    assert document["prayerdoc"] == json_format.FORMAT_VERSION
    assert prayerdoc.loads_all(text, "json") == tuple(found)
    # Each item is a whole bulletin document on its own.
    item = json.dumps(document["bulletins"][1])
    assert prayerdoc.loads(item, "json") == found[1]


@settings(max_examples=examples(25))
@given(st.lists(bulletins(), max_size=4))
def test_any_bulletins_round_trip_through_an_archive(drawn: list[Bulletin]) -> None:
    text = prayerdoc.dumps(drawn, "json")
    assert not list(VALIDATOR.iter_errors(json.loads(text)))
    assert prayerdoc.loads_all(text, "json") == tuple(drawn)


def test_one_bulletin_stays_a_bulletin_document() -> None:
    one = bulletin("Weekly", DAY)
    text = prayerdoc.dumps(one, "json")
    assert json.loads(text)["$schema"] == "urn:prayerdoc:bulletin:1"
    # Read as many, it is a tuple of one.
    assert prayerdoc.loads_all(text, "json") == (one,)
    # An iterable is always an archive, even of one.
    assert json.loads(prayerdoc.dumps([one], "json"))["bulletins"][0]["title"] == "Weekly"


def test_loads_refuses_an_archive_and_says_what_to_use() -> None:
    text = prayerdoc.dumps([bulletin("A", DAY), bulletin("B", None)], "json")
    with pytest.raises(ParseError) as raised:
        prayerdoc.loads(text, "json")
    assert [str(finding.message) for finding in raised.value.diagnostics] == [
        "$: an archive of 2 bulletins, not one bulletin; read it with prayerdoc.loads_all"
    ]


def findings(text: str) -> list[tuple[int, int, str]]:
    with pytest.raises(ParseError) as raised:
        prayerdoc.loads_all(text, "json")
    return [(d.line, d.column, d.message) for d in raised.value.diagnostics]


def test_a_bad_bulletin_in_an_archive_is_reported_with_its_path_and_place() -> None:
    text = prayerdoc.dumps([bulletin("A", DAY), bulletin("B", DAY)], "json")
    broken = text.replace('"date": "2024-03-03"', '"date": "2024-02-30"', 2)
    broken = broken.replace('"date": "2024-02-30"', '"date": "2024-03-03"', 1)
    line = broken.splitlines().index('      "date": "2024-02-30",') + 1
    assert findings(broken) == [
        (line, 15, "$.bulletins[1].date: '2024-02-30' is not a real date"),
    ]


UNKNOWN = "unknown key; remove it (the JSON Schema lists every key a document may hold)"
VERSION_2 = "version 2.0 is not supported; this prayerdoc reads version 1.x documents"


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda d: d.pop("bulletins"), "$.bulletins: required key is missing"),
        (lambda d: d.update(bulletins={}), "$.bulletins: expected an array, not an object"),
        (lambda d: d.update(extra=1), f"$.extra: {UNKNOWN}"),
        (lambda d: d.update(prayerdoc="2.0"), f"$.prayerdoc: {VERSION_2}"),
        (lambda d: d["bulletins"].append(3), "$.bulletins[1]: expected an object, not a number"),
    ],
)
def test_a_bad_archive_is_reported(change: Any, message: str) -> None:
    document = json.loads(prayerdoc.dumps([bulletin("A", DAY)], "json"))
    change(document)
    assert [found[2] for found in findings(json.dumps(document, indent=2))] == [message]
    assert list(VALIDATOR.iter_errors(document))  # the schema refuses it too


# --- Markdown digest ------------------------------------------------------------------------

RENDERER = MarkdownIt("commonmark")


def headings(html: str, level: int) -> list[str]:
    return re.findall(rf"<h{level}>(.*?)</h{level}>", html)


def test_the_digest_has_one_section_per_bulletin_newest_first() -> None:
    found = [
        bulletin("Old", datetime.date(2024, 1, 7), "Pray for a."),
        bulletin(None, None, "Pray for b."),
        bulletin("New", datetime.date(2024, 3, 3), "Pray for c."),
        bulletin("Middle", datetime.date(2024, 2, 4), "Pray for d."),
        bulletin("Weekly", None, "Pray for e."),
    ]
    html = RENDERER.render(prayerdoc.dumps(found, "markdown"))
    assert headings(html, 1) == ["Prayer bulletins"]
    assert headings(html, 2) == [
        '<a id="2024-03-03"></a>New',
        '<a id="2024-02-04"></a>Middle',
        '<a id="2024-01-07"></a>Old',
        '<a id="bulletin"></a>Untitled bulletin',
        '<a id="weekly"></a>Weekly',
    ]
    assert headings(html, 3) == ["Asia"] * 5
    # The table of contents links to each bulletin's anchor, in the same order.
    contents = re.findall(r'<li><a href="#([^"]+)">([^<]+)</a>', html)
    assert contents == [
        ("2024-03-03", "New"),
        ("2024-02-04", "Middle"),
        ("2024-01-07", "Old"),
        ("bulletin", "Untitled bulletin"),
        ("weekly", "Weekly"),
    ]
    assert html.index("Pray for c.") < html.index("Pray for d.") < html.index("Pray for a.")


def test_the_digest_of_the_corpus_keeps_every_request_and_anchor() -> None:
    found = corpus()
    html = RENDERER.render(prayerdoc.dumps(found, "md"))
    sections = headings(html, 2)
    assert len(sections) == len(found)
    anchors = [re.match(r'<a id="([^"]+)"></a>', heading) for heading in sections]
    ids = [match.group(1) for match in anchors if match is not None]
    assert len(set(ids)) == len(found)
    assert set(re.findall(r'<a href="#([^"]+)">', html)) == set(ids)
    items = re.findall(r"<li>(.*?)</li>", html, re.DOTALL)
    requests = [request for one in found for request in one.requests()]
    assert len(items) == len(found) + len(requests)


def test_an_undated_bulletin_is_headed_by_its_title_and_a_dated_one_without_by_its_date() -> None:
    html = RENDERER.render(prayerdoc.dumps([bulletin(None, DAY)], "markdown", title="Ours"))
    assert headings(html, 1) == ["Ours"]
    assert headings(html, 2) == ['<a id="2024-03-03"></a>March 3, 2024']


def test_the_same_date_twice_gets_two_anchors() -> None:
    twice = [bulletin("A", DAY), bulletin("B", DAY)]
    html = RENDERER.render(prayerdoc.dumps(twice, "markdown"))
    assert headings(html, 2) == ['<a id="2024-03-03"></a>A', '<a id="2024-03-03-2"></a>B']


def test_a_title_cannot_break_out_of_its_heading_or_its_link() -> None:
    title = "[x](javascript:alert) <b>bold</b> *em*"
    html = RENDERER.render(prayerdoc.dumps([bulletin(title, DAY)], "markdown"))
    shown = "[x](javascript:alert) &lt;b&gt;bold&lt;/b&gt; *em*"
    assert headings(html, 2) == ['<a id="2024-03-03"></a>' + shown]
    assert f'<li><a href="#2024-03-03">{shown}</a>, March 3, 2024</li>' in html


# --- dumps, one or many ---------------------------------------------------------------------


def test_one_bulletin_is_one_document_not_a_digest_or_archive() -> None:
    one = bulletin("Weekly", DAY)
    assert prayerdoc.dumps(one, "markdown").startswith("# Weekly\n")
    assert '"bulletins"' not in prayerdoc.dumps(one, "json")


def test_many_take_any_iterable_once() -> None:
    found = [bulletin("A", DAY), bulletin("B", DAY + datetime.timedelta(7))]
    for fmt in ("json", "markdown", "ical"):
        assert prayerdoc.dumps(iter(found), fmt) == prayerdoc.dumps(found, fmt)


def test_the_text_format_holds_one_bulletin() -> None:
    with pytest.raises(TypeError, match="the text format holds one bulletin"):
        prayerdoc.dumps([bulletin("A", DAY)], "text")  # type: ignore[call-overload]
