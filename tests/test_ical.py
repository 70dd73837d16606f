"""The iCalendar writer, read back with icalendar, vobject and ical.

Besides the three readers, a tiny reader of our own checks the raw content
lines: octet lengths, CRLF, UTF-8 per physical line, and the exact list of
property names, so that no text can open a property or a component.
"""

from __future__ import annotations

import datetime
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import attrs
import icalendar
import pytest
import vobject
from hypothesis import given, settings
from hypothesis import strategies as st
from ical.calendar_stream import IcsCalendarStream

import prayerdoc
from prayerdoc import Bulletin, Epigraph, Paragraph, Request, RequestKind, ScriptureRef, Section
from prayerdoc.formats import ical

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = sorted((ROOT / "examples" / "bulletins").glob("*.txt"))
CORPUS = sorted((ROOT / "tests" / "data" / "valid").glob("*.txt"))
START = datetime.date(2024, 2, 27)


@attrs.frozen
class Event:
    """What a reader found in one VEVENT."""

    description: str
    categories: list[str]
    summary: str
    start: datetime.date | None
    end: datetime.date | None
    uid: str


def read_icalendar(text: str) -> list[Event]:
    calendar = icalendar.Calendar.from_ical(text)
    assert not calendar.errors
    events = []
    for event in calendar.walk("VEVENT"):
        assert not event.errors
        categories = event.get("CATEGORIES")
        events.append(
            Event(
                description=str(event["DESCRIPTION"]),
                categories=[str(c) for c in categories.cats] if categories else [],
                summary=str(event["SUMMARY"]),
                start=event.decoded("DTSTART"),
                end=event.decoded("DTEND"),
                uid=str(event["UID"]),
            )
        )
    return events


def read_vobject(text: str) -> list[Event]:
    calendar = vobject.readOne(text)
    return [
        Event(
            description=event.description.value,
            categories=list(event.categories.value) if hasattr(event, "categories") else [],
            summary=event.summary.value,
            start=event.dtstart.value,
            end=event.dtend.value,
            uid=event.uid.value,
        )
        for event in calendar.contents.get("vevent", [])
    ]


def read_ical(text: str) -> list[Event]:
    calendar = IcsCalendarStream.calendar_from_ics(text)
    return [
        Event(
            description=event.description or "",
            categories=list(event.categories),
            summary=event.summary or "",
            start=event.dtstart,
            end=event.dtend,
            uid=event.uid,
        )
        for event in calendar.events
    ]


READERS = {"icalendar": read_icalendar, "vobject": read_vobject, "ical": read_ical}


def physical_lines(text: str) -> list[bytes]:
    data = text.encode("utf-8")
    assert data.endswith(b"\r\n")
    return data[:-2].split(b"\r\n")


def content_lines(text: str) -> list[str]:
    """Unfolded content lines, by RFC 5545 3.1."""
    return text.replace("\r\n ", "").removesuffix("\r\n").split("\r\n")


def property_names(text: str) -> list[str]:
    names = []
    for line in content_lines(text):
        name = line.partition(":")[0].partition(";")[0]
        names.append(f"{name}:{line.partition(':')[2]}" if name in ("BEGIN", "END") else name)
    return names


def expected_names(bulletin: Bulletin) -> list[str]:
    names = ["BEGIN:VCALENDAR", "VERSION", "PRODID", "CALSCALE", "NAME", "X-WR-CALNAME"]
    for section in bulletin.sections:
        for _ in section.requests:
            names += ["BEGIN:VEVENT", "UID", "DTSTAMP", "DTSTART", "DTEND", "SUMMARY"]
            names += ["DESCRIPTION", *(["CATEGORIES"] if section.heading else []), "TRANSP"]
            names.append("END:VEVENT")
    return [*names, "END:VCALENDAR"]


def verse(bulletin: Bulletin) -> str:
    epigraph = bulletin.epigraph
    if epigraph is None:
        return ""
    lines = [epigraph.text] if epigraph.text else []
    if epigraph.reference is not None:
        lines.append("— " + epigraph.reference.text)
    return "\n".join(lines)


def expected_events(bulletin: Bulletin) -> Iterator[tuple[str, list[str]]]:
    """(description, categories) of each event, from the model."""
    tail = "\n\n" + verse(bulletin) if bulletin.epigraph else ""
    for section in bulletin.sections:
        for request in section.requests:
            categories = [section.heading] if section.heading is not None else []
            yield request.text + tail, categories


def assert_well_formed(text: str) -> None:
    """CRLF only, lines of at most 75 octets that each decode, folds between escapes."""
    assert "\n" not in text.replace("\r\n", "")
    assert "\r" not in text.replace("\r\n", "")
    lines = physical_lines(text)
    for number, line in enumerate(lines):
        assert len(line) <= 75, line
        line.decode("utf-8")  # a fold that split a UTF-8 sequence fails here
        if number + 1 < len(lines) and lines[number + 1].startswith(b" "):
            trailing = len(line) - len(line.rstrip(b"\\"))
            assert trailing % 2 == 0, f"fold splits an escape: {line!r}"
        if number > 0 and not line.startswith(b" "):
            # A line that is not a continuation must open a known property.
            name = line.split(b":")[0].split(b";")[0]
            assert name.isupper() or name.replace(b"-", b"").isupper(), line


def assert_reads_back(bulletin: Bulletin, **options: Any) -> str:
    text = ical.dumps(bulletin, **options)
    assert_well_formed(text)
    assert property_names(text) == expected_names(bulletin)
    expected = list(expected_events(bulletin))
    for name, read in READERS.items():
        events = read(text)
        assert [event.description for event in events] == [item[0] for item in expected], name
        # The ical package splits CATEGORIES at every comma, even an escaped one
        # (RFC 5545 writes a comma inside one category as \,): it cannot read those.
        commas = any("," in category for _, categories in expected for category in categories)
        if name != "ical" or not commas:
            assert [event.categories for event in events] == [item[1] for item in expected], name
    return text


def reference(text: str = "Micah 6:8") -> ScriptureRef:
    return ScriptureRef(text=text, book="Micah", chapter=6, verse_start=8, verse_end=8)


def request(text: str, kind: RequestKind = RequestKind.PETITION) -> Request:
    return Request(text=text, kind=kind)


def bulletin_of(text: str, heading: str = "Latin America", *, title: str | None = "T") -> Bulletin:
    """A bulletin with ``text`` in every request and the verse."""
    return Bulletin(
        title=title,
        date=datetime.date(2019, 4, 27),
        epigraph=Epigraph(text=text, reference=reference()),
        sections=[
            Section(intro=[Paragraph(text="Not a request")], requests=[request(text)]),
            Section(heading=heading, requests=[request(text), request("Pray " + text)]),
        ],
    )


@pytest.mark.parametrize("path", EXAMPLES + CORPUS, ids=lambda path: path.name)
def test_bundled_bulletins_read_back(path: Path) -> None:
    bulletin = prayerdoc.load(path)
    assert_reads_back(bulletin, start=START)
    if bulletin.date is not None:
        assert_reads_back(bulletin)


def test_examples_are_there() -> None:
    assert len(EXAMPLES) >= 5


HOSTILE = [
    "commas, semicolons; and back\\slashes \\, \\; \\n \\\\",
    "emoji 🙏🏽😀 and U+00A0\u00a0and “curly” quotes — dash",
    "END:VEVENT BEGIN:VEVENT UID:x",
    "DESCRIPTION:inside",
    "a\ttab",
    # Line and paragraph separators and NEL: the model refuses them (tests/test_model.py).
    "x" * 10_000,
    "😀" * 3000,
    "\\" * 999,
    ";," * 999,
]


@pytest.mark.parametrize("text", HOSTILE, ids=lambda text: repr(text[:20]))
def test_hostile_text_reads_back(text: str) -> None:
    assert_reads_back(bulletin_of(text))


@pytest.mark.parametrize("offset", range(8))
@pytest.mark.parametrize("filler", ["😀", "é", "\\", ",", "a\\;"])
def test_folds_at_every_boundary(offset: int, filler: str) -> None:
    # Shifting the text one character at a time puts every kind of unit on a fold.
    text = "a" * offset + filler * 200
    assert_reads_back(bulletin_of(text, heading="b" * offset + filler * 40))


def test_headings_with_commas_read_back() -> None:
    # The ical package splits CATEGORIES on every comma, even an escaped one
    # (RFC 5545 escapes a comma inside one category as \,), so it is left out here.
    bulletin = bulletin_of("Pray", heading="Africa, Europe; and \\ more")
    assert_reads_back(bulletin)
    assert "CATEGORIES:Africa\\, Europe\\; and \\\\ more\r\n" in ical.dumps(bulletin)


def injected(text: str) -> Bulletin:
    """A bulletin holding text the model would refuse (line breaks), to attack the writer."""
    with attrs.validators.disabled():
        return Bulletin(
            title=text,
            date=datetime.date(2019, 4, 27),
            epigraph=Epigraph(text=text, reference=reference()),
            sections=[Section(heading=text, requests=[request(text)])],
        )


ATTACKS = [
    "a\r\nEND:VEVENT\r\nBEGIN:VEVENT\r\nUID:evil\r\nDTSTART:20200101",
    "a\nEND:VEVENT\nBEGIN:VEVENT",
    "a\rEND:VEVENT\rBEGIN:VEVENT",
    "a\r\n END:VEVENT",
    "a\r\n\tEND:VEVENT",
    "\r\nEND:VCALENDAR\r\n",
    "a\x00b\x0bc\x0cd\x1be\x7ff",
]


@pytest.mark.parametrize("text", ATTACKS, ids=repr)
def test_line_breaks_cannot_add_properties_or_components(text: str) -> None:
    bulletin = injected(text)
    written = ical.dumps(bulletin)
    assert_well_formed(written)
    assert property_names(written) == expected_names(bulletin)
    # Line breaks survive as escaped newlines; other control characters go.
    clean = "".join(c for c in text.replace("\r\n", "\n") if c in "\t\n" or " " <= c != "\x7f")
    expected = clean + "\n\n" + clean + "\n— Micah 6:8"
    for read in READERS.values():
        events = read(written)
        assert len(events) == 1
        assert events[0].description == expected


def test_newline_between_request_and_verse_reads_back() -> None:
    bulletin = bulletin_of("Pray for rain")
    for read in READERS.values():
        assert read(ical.dumps(bulletin))[0].description == (
            "Pray for rain\n\nPray for rain\n— Micah 6:8"
        )


def test_daily_schedule() -> None:
    bulletin = bulletin_of("Pray")
    for read in READERS.values():
        events = read(ical.dumps(bulletin, start=START))
        days = [START + datetime.timedelta(i) for i in range(3)]
        assert [event.start for event in events] == days
        assert [event.end for event in events] == [day + datetime.timedelta(1) for day in days]


def test_single_schedule_and_bulletin_date() -> None:
    bulletin = bulletin_of("Pray")
    for read in READERS.values():
        events = read(ical.dumps(bulletin, schedule="single"))
        assert {event.start for event in events} == {datetime.date(2019, 4, 27)}
        assert {event.end for event in events} == {datetime.date(2019, 4, 28)}
    assert "DTSTART;VALUE=DATE:20190427\r\n" in ical.dumps(bulletin)


def test_no_date_and_no_start() -> None:
    bulletin = Bulletin(sections=[Section(requests=[request("Pray")])])
    with pytest.raises(ical.NoDateError, match="--start"):
        ical.dumps(bulletin)
    assert issubclass(ical.NoDateError, ValueError)
    assert "DTSTART;VALUE=DATE:20240227" in ical.dumps(bulletin, start=START)


def test_unknown_schedule() -> None:
    with pytest.raises(ValueError, match="weekly"):
        ical.dumps(bulletin_of("Pray"), schedule="weekly")


def test_schedule_past_year_9999_is_an_error() -> None:
    with pytest.raises(ValueError, match="9999"):
        ical.dumps(bulletin_of("Pray"), start=datetime.date(9999, 12, 30))


def test_source_date_epoch(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    written = ical.dumps(bulletin_of("Pray"))
    assert written.count("DTSTAMP:20231114T221320Z\r\n") == 3
    monkeypatch.delenv("SOURCE_DATE_EPOCH")
    written = ical.dumps(bulletin_of("Pray"), start=START)
    assert written.count("DTSTAMP:20240227T000000Z\r\n") == 3
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "yesterday")
    with pytest.raises(ValueError, match="SOURCE_DATE_EPOCH"):
        ical.dumps(bulletin_of("Pray"))


def test_equal_input_gives_equal_bytes(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    first = ical.dumps(prayerdoc.load(EXAMPLES[0]), start=START)
    second = ical.dumps(prayerdoc.parse(EXAMPLES[0].read_text(encoding="utf-8")), start=START)
    assert first.encode() == second.encode()


def test_uids_are_stable_unique_uuids() -> None:
    bulletin = prayerdoc.load(EXAMPLES[0])
    uids = [event.uid for event in read_icalendar(ical.dumps(bulletin, start=START))]
    assert len(set(uids)) == len(uids) == len(bulletin.requests())
    assert all(uuid.UUID(uid).version == 5 for uid in uids)
    # The schedule does not change which request an event is.
    later = ical.dumps(bulletin, start=START + datetime.timedelta(9), schedule="single")
    assert [event.uid for event in read_icalendar(later)] == uids
    # Another text is another event, and so is the same text twice in a section.
    changed = Bulletin(date=START, sections=[Section(requests=[request("Pray")] * 2)])
    changed_uids = [event.uid for event in read_icalendar(ical.dumps(changed))]
    assert len(set(changed_uids)) == 2
    assert not set(changed_uids) & set(uids)


def test_calendar_header() -> None:
    written = ical.dumps(bulletin_of("Pray", title="Weekly, list; of \\ requests"))
    lines = content_lines(written)
    assert lines[:4] == [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        f"PRODID:-//prayerdoc//prayerdoc {prayerdoc.__version__}//EN",
        "CALSCALE:GREGORIAN",
    ]
    # icalendar keeps these two undecoded; the other readers decode them.
    calendar = vobject.readOne(written)
    assert calendar.x_wr_calname.value == "Weekly, list; of \\ requests"
    assert calendar.contents["name"][0].value == "Weekly, list; of \\ requests"
    assert IcsCalendarStream.calendar_from_ics(written).name == ["Weekly, list; of \\ requests"]
    assert "NAME:Prayer requests\r\n" in ical.dumps(bulletin_of("Pray", title=None))


def test_summary() -> None:
    text = "Pray for the team in Kenya as they prepare for court next week"
    events = read_vobject(ical.dumps(bulletin_of(text, heading="South Asia", title="IJM")))
    assert events[0].summary == "IJM: Pray for the team in Kenya as they…"
    assert events[1].summary == "South Asia: Pray for the team in Kenya as they…"
    short = read_vobject(ical.dumps(bulletin_of("Pray, now", title=None)))
    assert short[0].summary == "Prayer request: Pray, now"
    long_word = read_vobject(ical.dumps(bulletin_of("x" * 500)))
    assert long_word[0].summary == "T: " + "x" * 60 + "…"


def test_intro_paragraphs_are_not_events() -> None:
    bulletin = Bulletin(
        date=START, sections=[Section(heading="H", intro=[Paragraph(text="About H")])]
    )
    for read in READERS.values():
        assert read(ical.dumps(bulletin)) == []


ALPHABET = st.sampled_from("abcXYZ019 ;,\\:\"'<>&=.-" + "\t\u00a0“”…—é" + "😀🙏🏽𝄞")
TEXTS = st.text(ALPHABET, min_size=1, max_size=300).map(str.strip).filter(bool)
HEADINGS = st.text(st.sampled_from("abc ;\\:é😀"), min_size=1, max_size=100).map(str.strip)


@settings(max_examples=200, deadline=None)
@given(TEXTS, HEADINGS.filter(bool))
def test_any_text_reads_back(text: str, heading: str) -> None:
    assert_reads_back(bulletin_of(text, heading=heading))


@pytest.mark.parametrize(
    ("epigraph", "tail"),
    [
        (None, ""),
        (Epigraph(text="", reference=reference()), "\n\n— Micah 6:8"),
        (Epigraph(text="Do justice."), "\n\nDo justice."),
    ],
)
def test_description_with_partial_or_no_verse(epigraph: Epigraph | None, tail: str) -> None:
    bulletin = Bulletin(date=START, epigraph=epigraph, sections=[Section(requests=[request("P")])])
    for read in READERS.values():
        assert [event.description for event in read(ical.dumps(bulletin))] == ["P" + tail]
