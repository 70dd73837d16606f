"""The iCalendar writer, read back with icalendar, vobject and ical.

Besides the three readers, a tiny reader of our own checks the raw content
lines: octet lengths, CRLF, UTF-8 per physical line, and the exact list of
property names, so that no text can open a property or a component.
"""

from __future__ import annotations

import datetime
import uuid
from collections.abc import Callable
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
from profiles import examples
from strategies import bulletins

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


# The events of bulletin_of(): the lead section's request, then two under a heading.
BULLETIN_OF_NAMES = [
    "BEGIN:VCALENDAR",
    *("VERSION", "PRODID", "CALSCALE", "NAME", "X-WR-CALNAME"),
    *("REFRESH-INTERVAL", "X-PUBLISHED-TTL"),
    *("BEGIN:VEVENT", "UID", "DTSTAMP", "DTSTART", "DTEND", "SUMMARY", "DESCRIPTION"),
    *("TRANSP", "END:VEVENT"),
    *("BEGIN:VEVENT", "UID", "DTSTAMP", "DTSTART", "DTEND", "SUMMARY", "DESCRIPTION"),
    *("CATEGORIES", "TRANSP", "END:VEVENT"),
    *("BEGIN:VEVENT", "UID", "DTSTAMP", "DTSTART", "DTEND", "SUMMARY", "DESCRIPTION"),
    *("CATEGORIES", "TRANSP", "END:VEVENT"),
    "END:VCALENDAR",
]


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


def assert_bulletin_of_reads_back(text: str, heading: str, **options: Any) -> None:
    """bulletin_of(text, heading) reads back with its text intact, in all three readers."""
    written = ical.dumps(bulletin_of(text, heading), **options)
    assert_well_formed(written)
    assert property_names(written) == BULLETIN_OF_NAMES
    tail = f"\n\n{text}\n— Micah 6:8"
    descriptions = [text + tail, text + tail, "Pray " + text + tail]
    for name, read in READERS.items():
        events = read(written)
        assert [event.description for event in events] == descriptions, name
        # The ical package splits CATEGORIES at every comma, even an escaped one
        # (RFC 5545 writes a comma inside one category as \,): it cannot read those.
        if name != "ical" or "," not in heading:
            assert [event.categories for event in events] == [[], [heading], [heading]], name


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


# Hand-checked documents. Each was read line by line against RFC 5545 and RFC 7986:
# octets per line (a fold at 75, never inside "é" or "\,"), escapes, all-day dates
# with an exclusive end, and each UID recomputed by hand as the version-5 UUID, in
# the namespace uuid5(NAMESPACE_URL, "urn:prayerdoc:ical"), of the documented key
# "identity US heading US text US occurrence" (US is U+001F). The three readers
# then read them back below.
SAMPLE = """Grace Church Prayer List

April 27, 2019

“He has shown you, O mortal, what is good.”

— Micah 6:8

  • Praise God for Jeremías*, who testified in court this week.

Latin America

  • Pray for the team in Guatemala; pray for wisdom & strength for the_coordinators.
"""

SAMPLE_ICS = (
    "BEGIN:VCALENDAR\r\n"
    "VERSION:2.0\r\n"
    f"PRODID:-//prayerdoc//prayerdoc {prayerdoc.__version__}//EN\r\n"
    "CALSCALE:GREGORIAN\r\n"
    "NAME:Grace Church Prayer List\r\n"
    "X-WR-CALNAME:Grace Church Prayer List\r\n"
    "REFRESH-INTERVAL;VALUE=DURATION:P1D\r\n"
    "X-PUBLISHED-TTL:P1D\r\n"
    "BEGIN:VEVENT\r\n"
    "UID:231b889e-31d6-56d1-b541-ff8f2bd38c43\r\n"
    "DTSTAMP:20190427T000000Z\r\n"
    "DTSTART;VALUE=DATE:20190427\r\n"
    "DTEND;VALUE=DATE:20190428\r\n"
    "SUMMARY:Grace Church Prayer List: Praise God for Jeremías*\\, who testified\r\n"
    "  in court…\r\n"
    "DESCRIPTION:Praise God for Jeremías*\\, who testified in court this week.\\n\r\n"
    " \\nHe has shown you\\, O mortal\\, what is good.\\n— Micah 6:8\r\n"
    "TRANSP:TRANSPARENT\r\n"
    "END:VEVENT\r\n"
    "BEGIN:VEVENT\r\n"
    "UID:6d454578-df58-5f45-8a24-9f994fcd6710\r\n"
    "DTSTAMP:20190427T000000Z\r\n"
    "DTSTART;VALUE=DATE:20190428\r\n"
    "DTEND;VALUE=DATE:20190429\r\n"
    "SUMMARY:Latin America: Pray for the team in Guatemala\\; pray for…\r\n"
    "DESCRIPTION:Pray for the team in Guatemala\\; pray for wisdom & strength for\r\n"
    "  the_coordinators.\\n\\nHe has shown you\\, O mortal\\, what is good.\\n— Mic\r\n"
    " ah 6:8\r\n"
    "CATEGORIES:Latin America\r\n"
    "TRANSP:TRANSPARENT\r\n"
    "END:VEVENT\r\n"
    "END:VCALENDAR\r\n"
)

WEEK_10 = Bulletin(
    title="Week 10",
    date=datetime.date(2024, 3, 3),
    sections=[
        Section(requests=[request("Pray for rain.")] * 2),
        Section(heading="Asia", requests=[request("Give thanks, always.", RequestKind.PRAISE)]),
    ],
)
WEEK_11 = Bulletin(
    title="Week 11",
    epigraph=Epigraph(text="Seek justice."),
    sections=[Section(heading="Asia", requests=[request("Pray for rain.")])],
)
# The same request twice in Week 10's lead section: two events, alike but for their UIDs.
_RAIN_ON_THE_3RD = (
    "DTSTAMP:20240303T000000Z\r\n"
    "DTSTART;VALUE=DATE:20240303\r\n"
    "DTEND;VALUE=DATE:20240304\r\n"
    "SUMMARY:Week 10: Pray for rain.\r\n"
    "DESCRIPTION:Pray for rain.\r\n"
    "TRANSP:TRANSPARENT\r\n"
    "END:VEVENT\r\n"
)
# Region schedule: Week 10's lead section on the 3rd (the same request twice: two
# events), its Asia section on the 4th; undated Week 11 on the next free day, the 5th.
FEED_ICS = (
    "BEGIN:VCALENDAR\r\n"
    "VERSION:2.0\r\n"
    f"PRODID:-//prayerdoc//prayerdoc {prayerdoc.__version__}//EN\r\n"
    "CALSCALE:GREGORIAN\r\n"
    "NAME:Team prayers\r\n"
    "X-WR-CALNAME:Team prayers\r\n"
    "DESCRIPTION:One request a day\\; updated weekly\r\n"
    "X-WR-CALDESC:One request a day\\; updated weekly\r\n"
    "REFRESH-INTERVAL;VALUE=DURATION:P1D\r\n"
    "X-PUBLISHED-TTL:P1D\r\n"
    "BEGIN:VEVENT\r\n"
    "UID:9dfa2a7d-a4e9-51e2-91ba-5e63d0d9b047\r\n"
    f"{_RAIN_ON_THE_3RD}"
    "BEGIN:VEVENT\r\n"
    "UID:19d1a7d9-7103-560b-a8de-4d35d76b27cd\r\n"
    f"{_RAIN_ON_THE_3RD}"
    "BEGIN:VEVENT\r\n"
    "UID:59101eb7-e3ba-52cf-b102-d91ce06bec99\r\n"
    "DTSTAMP:20240303T000000Z\r\n"
    "DTSTART;VALUE=DATE:20240304\r\n"
    "DTEND;VALUE=DATE:20240305\r\n"
    "SUMMARY:Asia: Give thanks\\, always.\r\n"
    "DESCRIPTION:Give thanks\\, always.\r\n"
    "CATEGORIES:Asia\r\n"
    "TRANSP:TRANSPARENT\r\n"
    "END:VEVENT\r\n"
    "BEGIN:VEVENT\r\n"
    "UID:72693c09-9920-5bb9-841a-38b55e55ef09\r\n"
    "DTSTAMP:20240305T000000Z\r\n"
    "DTSTART;VALUE=DATE:20240305\r\n"
    "DTEND;VALUE=DATE:20240306\r\n"
    "SUMMARY:Asia: Pray for rain.\r\n"
    "DESCRIPTION:Pray for rain.\\n\\nSeek justice.\r\n"
    "CATEGORIES:Asia\r\n"
    "TRANSP:TRANSPARENT\r\n"
    "END:VEVENT\r\n"
    "END:VCALENDAR\r\n"
)


def test_one_bulletin_is_written_as_checked_by_hand() -> None:
    assert ical.dumps(prayerdoc.parse(SAMPLE)) == SAMPLE_ICS


def test_a_feed_is_written_as_checked_by_hand() -> None:
    written = ical.dumps(
        [WEEK_10, WEEK_11],
        schedule="region",
        calendar_name="Team prayers",
        calendar_description="One request a day; updated weekly",
    )
    assert written == FEED_ICS


SAMPLE_EVENTS = [
    Event(
        description="Praise God for Jeremías*, who testified in court this week.\n\n"
        "He has shown you, O mortal, what is good.\n— Micah 6:8",
        categories=[],
        summary="Grace Church Prayer List: Praise God for Jeremías*, who testified in court…",
        start=datetime.date(2019, 4, 27),
        end=datetime.date(2019, 4, 28),
        uid="231b889e-31d6-56d1-b541-ff8f2bd38c43",
    ),
    Event(
        description="Pray for the team in Guatemala; pray for wisdom & strength for "
        "the_coordinators.\n\nHe has shown you, O mortal, what is good.\n— Micah 6:8",
        categories=["Latin America"],
        summary="Latin America: Pray for the team in Guatemala; pray for…",
        start=datetime.date(2019, 4, 28),
        end=datetime.date(2019, 4, 29),
        uid="6d454578-df58-5f45-8a24-9f994fcd6710",
    ),
]
FEED_EVENTS = [
    Event("Pray for rain.", [], "Week 10: Pray for rain.", datetime.date(2024, 3, 3),
          datetime.date(2024, 3, 4), "9dfa2a7d-a4e9-51e2-91ba-5e63d0d9b047"),
    Event("Pray for rain.", [], "Week 10: Pray for rain.", datetime.date(2024, 3, 3),
          datetime.date(2024, 3, 4), "19d1a7d9-7103-560b-a8de-4d35d76b27cd"),
    Event("Give thanks, always.", ["Asia"], "Asia: Give thanks, always.",
          datetime.date(2024, 3, 4), datetime.date(2024, 3, 5),
          "59101eb7-e3ba-52cf-b102-d91ce06bec99"),
    Event("Pray for rain.\n\nSeek justice.", ["Asia"], "Asia: Pray for rain.",
          datetime.date(2024, 3, 5), datetime.date(2024, 3, 6),
          "72693c09-9920-5bb9-841a-38b55e55ef09"),
]  # fmt: skip


@pytest.mark.parametrize("reader", READERS.values(), ids=READERS.keys())
@pytest.mark.parametrize(
    ("document", "events"),
    [(SAMPLE_ICS, SAMPLE_EVENTS), (FEED_ICS, FEED_EVENTS)],
    ids=["sample", "feed"],
)
def test_hand_checked_documents_read_back(
    reader: Callable[[str], list[Event]], document: str, events: list[Event]
) -> None:
    assert_well_formed(document)
    assert reader(document) == events


def test_feed_properties_read_back() -> None:
    calendar = icalendar.Calendar.from_ical(FEED_ICS)
    assert str(calendar["NAME"]) == "Team prayers"
    assert calendar.decoded("REFRESH-INTERVAL") == datetime.timedelta(days=1)
    assert str(calendar["X-PUBLISHED-TTL"]) == "P1D"  # an X- property: kept as text
    vcalendar = vobject.readOne(FEED_ICS)
    assert vcalendar.contents["description"][0].value == "One request a day; updated weekly"
    assert vcalendar.x_wr_caldesc.value == "One request a day; updated weekly"
    assert vcalendar.contents["refresh-interval"][0].params["VALUE"] == ["DURATION"]
    stream = IcsCalendarStream.calendar_from_ics(FEED_ICS)
    assert stream.name == ["Team prayers"]
    assert stream.description == ["One request a day; updated weekly"]
    assert stream.refresh_interval == datetime.timedelta(days=1)


def corpus() -> list[Bulletin]:
    return [prayerdoc.load(path) for path in EXAMPLES + CORPUS]


@pytest.mark.parametrize("path", EXAMPLES + CORPUS, ids=lambda path: path.name)
def test_bundled_bulletins_read_back(path: Path) -> None:
    bulletin = prayerdoc.load(path)
    written = ical.dumps(bulletin, start=START)
    assert_well_formed(written)
    requests = [request.text for request in bulletin.requests()]
    for name, read in READERS.items():
        events = read(written)
        assert [event.description.partition("\n\n")[0] for event in events] == requests, name
        assert len({event.uid for event in events}) == len(requests), name


def test_the_whole_corpus_is_one_feed_with_one_event_per_request() -> None:
    bulletins = corpus()
    written = ical.dumps(bulletins, start=START)
    assert_well_formed(written)
    requests = [request.text for bulletin in bulletins for request in bulletin.requests()]
    for name, read in READERS.items():
        events = read(written)
        assert [event.description.partition("\n\n")[0] for event in events] == requests, name
        assert len({event.uid for event in events}) == len(requests), name


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
    assert_bulletin_of_reads_back(text, "Latin America")


@pytest.mark.parametrize("offset", range(8))
@pytest.mark.parametrize("filler", ["😀", "é", "\\", ",", "a\\;"])
def test_folds_at_every_boundary(offset: int, filler: str) -> None:
    # Shifting the text one character at a time puts every kind of unit on a fold.
    assert_bulletin_of_reads_back("a" * offset + filler * 200, "b" * offset + filler * 40)


def test_headings_with_commas_read_back() -> None:
    heading = "Africa, Europe; and \\ more"
    assert_bulletin_of_reads_back("Pray", heading)
    written = ical.dumps(bulletin_of("Pray", heading=heading))
    assert "CATEGORIES:Africa\\, Europe\\; and \\\\ more\r\n" in written


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
    written = ical.dumps(injected(text))
    assert_well_formed(written)
    assert property_names(written) == [
        *BULLETIN_OF_NAMES[:8],
        *("BEGIN:VEVENT", "UID", "DTSTAMP", "DTSTART", "DTEND", "SUMMARY", "DESCRIPTION"),
        *("CATEGORIES", "TRANSP", "END:VEVENT", "END:VCALENDAR"),
    ]
    # Line breaks survive as escaped newlines; other control characters go.
    clean = "".join(c for c in text.replace("\r\n", "\n") if c in "\t\n" or " " <= c != "\x7f")
    expected = clean + "\n\n" + clean + "\n— Micah 6:8"
    for read in READERS.values():
        events = read(written)
        assert len(events) == 1
        assert events[0].description == expected


def starts(written: str) -> list[datetime.date]:
    return [event.start for event in read_icalendar(written) if event.start is not None]


def days(first: datetime.date, *offsets: int) -> list[datetime.date]:
    return [first + datetime.timedelta(offset) for offset in offsets]


def test_daily_schedule() -> None:
    bulletin = bulletin_of("Pray")
    for read in READERS.values():
        events = read(ical.dumps(bulletin, start=START, schedule="daily"))
        assert [event.start for event in events] == days(bulletin.date or START, 0, 1, 2)
        assert [event.end for event in events] == days(bulletin.date or START, 1, 2, 3)


def test_single_schedule() -> None:
    written = ical.dumps(bulletin_of("Pray"), schedule="single")
    assert starts(written) == days(datetime.date(2019, 4, 27), 0, 0, 0)


def test_region_schedule_gives_each_section_a_day() -> None:
    bulletin = Bulletin(
        date=START,
        sections=[
            Section(requests=[request("a"), request("b")]),
            Section(heading="Empty", intro=[Paragraph(text="No requests here")]),
            Section(heading="H", requests=[request("c")]),
            Section(heading="I", requests=[request("d"), request("e"), request("f")]),
        ],
    )
    assert starts(ical.dumps(bulletin, schedule="region")) == days(START, 0, 0, 1, 2, 2, 2)


def test_each_bulletin_starts_on_its_own_date_and_undated_ones_follow() -> None:
    dated = Bulletin(date=START, sections=[Section(requests=[request("a"), request("b")])])
    undated = Bulletin(title="U", sections=[Section(requests=[request("c"), request("d")])])
    later = attrs.evolve(dated, date=START + datetime.timedelta(30))
    last = Bulletin(title="V", sections=[Section(requests=[request("e")])])
    # start= is for bulletins without a date: a dated one keeps its own.
    written = ical.dumps([dated, undated, later, last], start=datetime.date(2000, 1, 1))
    assert starts(written) == days(START, 0, 1, 2, 3, 30, 31, 32)
    # An undated first bulletin starts on start=.
    first = ical.dumps([undated, dated], start=datetime.date(2000, 1, 1))
    assert starts(first) == [*days(datetime.date(2000, 1, 1), 0, 1), *days(START, 0, 1)]


def test_overlapping_bulletins_keep_their_own_days() -> None:
    week = Bulletin(date=START, sections=[Section(requests=[request(t) for t in "abcdefg"])])
    next_week = Bulletin(
        date=START + datetime.timedelta(3), sections=[Section(requests=[request("h")])]
    )
    written = ical.dumps([week, next_week])
    # The 4th day holds two events, one of each bulletin.
    assert starts(written) == [*days(START, 0, 1, 2, 3, 4, 5, 6), *days(START, 3)]


def test_no_date_and_no_start() -> None:
    bulletin = Bulletin(title="Weekly", sections=[Section(requests=[request("Pray")])])
    with pytest.raises(ical.NoDateError) as raised:
        ical.dumps([bulletin, bulletin_of("Pray")])
    # The library speaks of its own terms, never of the command line's options.
    assert str(raised.value) == "the bulletin 'Weekly' has no date and no start date was given"
    assert issubclass(ical.NoDateError, ValueError)
    assert starts(ical.dumps(bulletin, start=START)) == [START]


def test_unknown_schedule() -> None:
    with pytest.raises(ValueError, match="weekly"):
        ical.dumps(bulletin_of("Pray"), schedule="weekly")


def test_schedule_past_year_9999_is_an_error() -> None:
    undated = Bulletin(sections=[Section(requests=[request("a"), request("b")])])
    with pytest.raises(ValueError, match="9999") as raised:
        ical.dumps(undated, start=datetime.date(9999, 12, 31))
    assert "--" not in str(raised.value)
    assert starts(ical.dumps(undated, start=datetime.date(9999, 12, 29))) == days(
        datetime.date(9999, 12, 29), 0, 1
    )


def test_stamps_come_from_the_bulletin_not_the_clock(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    undated = Bulletin(sections=[Section(requests=[request("a")])])
    written = ical.dumps([bulletin_of("Pray"), undated])
    stamps = [line for line in content_lines(written) if line.startswith("DTSTAMP")]
    # The dated bulletin's day for its three events; the undated one's first day.
    assert stamps == ["DTSTAMP:20190427T000000Z"] * 3 + ["DTSTAMP:20190430T000000Z"]


def test_equal_input_gives_equal_bytes() -> None:
    first = ical.dumps(prayerdoc.load(EXAMPLES[0]), start=START)
    second = ical.dumps(prayerdoc.parse(EXAMPLES[0].read_text(encoding="utf-8")), start=START)
    assert first.encode() == second.encode()


def uids(written: str) -> list[str]:
    return [event.uid for event in read_icalendar(written)]


def test_uids_are_uuids_that_do_not_follow_the_schedule() -> None:
    bulletin = prayerdoc.load(EXAMPLES[0])
    first = uids(ical.dumps(bulletin, start=START))
    assert len(set(first)) == len(first) == len(bulletin.requests())
    assert all(uuid.UUID(uid).version == 5 for uid in first)
    later = ical.dumps(bulletin, start=START + datetime.timedelta(9), schedule="single")
    assert uids(later) == first


def test_the_same_text_twice_is_two_events() -> None:
    same = request("Pray for rain.")
    bulletin = Bulletin(
        date=START,
        sections=[Section(requests=[same, same]), Section(heading="H", requests=[same, same])],
    )
    other_day = attrs.evolve(bulletin, date=START + datetime.timedelta(7))
    found = uids(ical.dumps([bulletin, other_day]))
    assert len(set(found)) == 8


def test_a_uid_does_not_depend_on_the_other_requests() -> None:
    a, b, c = request("Pray for a."), request("Pray for b."), request("Pray for c.")
    before = Bulletin(date=START, sections=[Section(heading="H", requests=[a, c])])
    after = Bulletin(
        date=START,
        sections=[Section(heading="New", requests=[b]), Section(heading="H", requests=[b, a, c])],
    )
    old, new = uids(ical.dumps(before)), uids(ical.dumps(after))
    assert new[2:] == old
    # An undated bulletin is known by its title and verse.
    renamed = attrs.evolve(before, date=None, title="Weekly")
    assert not set(uids(ical.dumps(renamed, start=START))) & set(old)


def test_the_same_bulletin_twice_is_refused() -> None:
    bulletin = bulletin_of("Pray")
    with pytest.raises(ValueError, match="the bulletin of 2019-04-27 repeats a request"):
        ical.dumps([bulletin, bulletin])


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
    assert "DESCRIPTION" not in "".join(lines[:9])


def test_a_feed_is_named_after_a_title_all_its_bulletins_share() -> None:
    weekly = bulletin_of("Pray", title="Weekly")
    next_week = attrs.evolve(weekly, date=START)
    assert "NAME:Weekly\r\n" in ical.dumps([weekly, next_week])
    other = attrs.evolve(next_week, title="Other")
    assert "NAME:Prayer requests\r\n" in ical.dumps([weekly, other])
    assert "NAME:Ours\r\n" in ical.dumps([weekly, other], calendar_name="Ours")


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


@settings(max_examples=examples(100))
@given(TEXTS, HEADINGS.filter(bool))
def test_any_text_reads_back(text: str, heading: str) -> None:
    assert_bulletin_of_reads_back(text, heading)


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


def vevents(written: str) -> dict[str, str]:
    """Each VEVENT's exact text, by UID."""
    found = {}
    for block in written.split("BEGIN:VEVENT\r\n")[1:]:
        text = block.partition("END:VEVENT\r\n")[0]
        found[text.partition("UID:")[2].partition("\r\n")[0]] = text
    return found


@settings(max_examples=examples(30))
@given(
    st.lists(bulletins(), min_size=1, max_size=5),
    st.lists(bulletins(), max_size=3),
    st.randoms(use_true_random=False),
)
def test_adding_removing_or_reordering_bulletins_changes_only_their_own_events(
    kept: list[Bulletin], changed: list[Bulletin], rng: Any
) -> None:
    # Distinct dates, so that each bulletin is itself and starts on its own day.
    dated = [
        attrs.evolve(bulletin, date=START + datetime.timedelta(7 * number))
        for number, bulletin in enumerate([*kept, *changed])
    ]
    kept, changed = dated[: len(kept)], dated[len(kept) :]
    before = vevents(ical.dumps(kept))
    after_list = [*kept, *changed]
    rng.shuffle(after_list)
    after = vevents(ical.dumps(after_list))
    own = vevents(ical.dumps(changed)) if changed else {}
    # Every earlier event is byte for byte as it was; the rest are the added bulletins'.
    assert {uid: after[uid] for uid in before} == before
    assert {uid: text for uid, text in after.items() if uid not in before} == own
    assert len(after) == len(before) + len(own)
    # Removing them again gives back the first feed's events exactly.
    rng.shuffle(kept)
    assert vevents(ical.dumps(kept)) == before
