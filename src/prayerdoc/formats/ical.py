"""iCalendar (RFC 5545, RFC 7986): one all-day event per prayer request, in one feed.

One bulletin or many become one ``VCALENDAR`` that calendar apps can subscribe
to. Each bulletin's requests start on its own date; a bulletin without one
starts on the day after the previous bulletin's last event, or on ``start``
when it comes first. Schedules: ``daily`` (request *i* on day *first + i*),
``single`` (all on the first day) and ``region`` (one section a day, its
requests together).

An event depends only on its own bulletin and request, never on the other
bulletins in the feed or their order, so a feed regenerated with next week's
bulletin added leaves every earlier event byte for byte as it was:

- ``UID`` is a version-5 UUID of the bulletin's identity (its date; without
  one, its title and verse), the section heading, the request's text and how
  many requests with that heading and text come before it in the bulletin;
- ``DTSTAMP`` is midnight UTC of the bulletin's date (without one, of its
  first day), never the time of the run.
"""

from __future__ import annotations

import datetime
import itertools
import re
import uuid
from collections.abc import Iterable, Iterator

from prayerdoc._version import __version__
from prayerdoc.model import Bulletin, Request, Section

__all__ = ["SCHEDULES", "NoDateError", "dumps", "escape_text", "fold"]

SCHEDULES = ("daily", "single", "region")
#: How often subscribers are asked to fetch the feed again (RFC 7986 REFRESH-INTERVAL).
REFRESH = "P1D"
_NAMESPACE = uuid.uuid5(uuid.NAMESPACE_URL, "urn:prayerdoc:ical")
_DEFAULT_NAME = "Prayer requests"
_SUMMARY_WORDS = 8
_SUMMARY_CHARS = 60
_LINE_OCTETS = 75
_ONE_DAY = datetime.timedelta(days=1)
# RFC 5545 TEXT admits no ASCII control character but tab; a line feed is
# written as the escape \n, so none can end a content line early.
_CONTROLS = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")
_BACKSLASH = ord("\\")
# A separator that cannot occur in model text keeps key fields from running together.
_SEPARATOR = "\x1f"


class NoDateError(ValueError):
    """The first bulletin has no date and no start date was given."""


def escape_text(text: str) -> str:
    """A TEXT value: ``\\``, ``;``, ``,`` escaped, line feeds as ``\\n``, other controls dropped."""
    text = text.replace("\r\n", "\n")
    text = _CONTROLS.sub("", text)
    text = text.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,")
    return text.replace("\n", "\\n")


def fold(line: str) -> str:
    """One content line, folded at 75 octets, ending in CRLF.

    A fold goes between characters and between escape pairs, never inside a
    UTF-8 sequence or an escape; a continuation line starts with one space.
    """
    data = line.encode("utf-8")
    if len(data) <= _LINE_OCTETS:
        return line + "\r\n"
    pieces = []
    start, room = 0, _LINE_OCTETS
    while len(data) - start > room:
        cut = start + room
        while data[cut] & 0xC0 == 0x80:  # a UTF-8 continuation byte: step back to its start
            cut -= 1
        # An odd run of backslashes before the cut ends in the first half of an escape.
        run = 0
        while cut - 1 - run >= start and data[cut - 1 - run] == _BACKSLASH:
            run += 1
        cut -= run % 2
        pieces.append(data[start:cut])
        start, room = cut, _LINE_OCTETS - 1  # a continuation line starts with a space
    pieces.append(data[start:])
    return b"\r\n ".join(pieces).decode("utf-8") + "\r\n"


def _date(day: datetime.date) -> str:
    # strftime does not pad years before 1000 on every platform.
    return f"{day.year:04d}{day.month:02d}{day.day:02d}"


def _summary(label: str, text: str) -> str:
    words = text.split()
    lead = " ".join(words[:_SUMMARY_WORDS])
    if len(lead) > _SUMMARY_CHARS:
        lead = lead[:_SUMMARY_CHARS].rstrip()
    if lead != " ".join(words):
        lead += "…"
    return f"{label}: {lead}"


def _verse(bulletin: Bulletin) -> str:
    epigraph = bulletin.epigraph
    if epigraph is None:
        return ""
    lines = [epigraph.text] if epigraph.text else []
    if epigraph.reference is not None:
        lines.append("— " + epigraph.reference.text)
    return "\n".join(lines)


def _identity(bulletin: Bulletin) -> str:
    """What tells a bulletin from others in a feed: its date, else its title and verse."""
    if bulletin.date is not None:
        return bulletin.date.isoformat()
    verse = bulletin.epigraph.text if bulletin.epigraph is not None else ""
    return _SEPARATOR.join(("", bulletin.title or "", verse))


def _uids(bulletin: Bulletin) -> Iterator[str]:
    """Each request's UID, in order: from the bulletin's identity and the request's content.

    Requests with the same heading and text are told apart by how many came
    before, so a UID never depends on a request's position among the others.
    """
    identity = _identity(bulletin)
    seen: dict[tuple[str, str], int] = {}
    for section in bulletin.sections:
        heading = section.heading if section.heading is not None else ""
        for request in section.requests:
            occurrence = seen.get((heading, request.text), 0)
            seen[heading, request.text] = occurrence + 1
            key = _SEPARATOR.join((identity, heading, request.text, str(occurrence)))
            yield str(uuid.uuid5(_NAMESPACE, key))


def _days(bulletin: Bulletin, first: datetime.date, schedule: str) -> Iterator[datetime.date]:
    """The day of each request, in order."""
    day = first
    for section in bulletin.sections:
        for _ in section.requests:
            yield day
            if schedule == "daily":
                day += _ONE_DAY
        if schedule == "region" and section.requests:
            day += _ONE_DAY


def _requests(bulletin: Bulletin) -> Iterator[tuple[Section, Request]]:
    for section in bulletin.sections:
        for request in section.requests:
            yield section, request


def _events(bulletin: Bulletin, days: Iterable[datetime.date], stamp: str) -> Iterator[str]:
    verse = _verse(bulletin)
    tail = "\n\n" + verse if verse else ""
    for (section, request), day, uid in zip(
        _requests(bulletin), days, _uids(bulletin), strict=True
    ):
        label = section.heading or bulletin.title or "Prayer request"
        yield "BEGIN:VEVENT"
        yield "UID:" + uid
        yield "DTSTAMP:" + stamp
        yield "DTSTART;VALUE=DATE:" + _date(day)
        yield "DTEND;VALUE=DATE:" + _date(day + _ONE_DAY)
        yield "SUMMARY:" + escape_text(_summary(label, request.text))
        yield "DESCRIPTION:" + escape_text(request.text + tail)
        if section.heading is not None:
            yield "CATEGORIES:" + escape_text(section.heading)
        yield "TRANSP:TRANSPARENT"
        yield "END:VEVENT"


def _label(bulletin: Bulletin) -> str:
    if bulletin.date is not None:
        return f"the bulletin of {bulletin.date.isoformat()}"
    return f"the bulletin '{bulletin.title}'" if bulletin.title else "a bulletin without a title"


class _Feed:
    """The events of bulletin after bulletin, with what the calendar's header needs."""

    def __init__(self, start: datetime.date | None, schedule: str) -> None:
        self.next_free = start
        self.schedule = schedule
        self.uids: set[str] = set()
        self.titles: set[str | None] = set()
        self.lines: list[str] = []

    def add(self, bulletin: Bulletin) -> None:
        first = bulletin.date or self.next_free
        if first is None:
            raise NoDateError(f"{_label(bulletin)} has no date and no start date was given")
        try:
            days = list(_days(bulletin, first, self.schedule))
            # A bulletin without requests takes no day from the next one.
            self.next_free = days[-1] + _ONE_DAY if days else first
        except OverflowError:
            raise ValueError(
                f"the schedule of {_label(bulletin)} runs past the year 9999; start it earlier"
            ) from None
        stamp = _date(first) + "T000000Z"
        for line in _events(bulletin, days, stamp):
            if line.startswith("UID:"):
                self._claim(line[4:], bulletin)
            self.lines.append(fold(line))
        self.titles.add(bulletin.title)

    def _claim(self, uid: str, bulletin: Bulletin) -> None:
        if uid in self.uids:
            raise ValueError(
                f"{_label(bulletin)} repeats a request of an earlier bulletin with the same "
                "date (or, undated, the same title and verse); give each bulletin once"
            )
        self.uids.add(uid)

    def default_name(self) -> str:
        titles = self.titles - {None}
        if len(titles) == 1 and None not in self.titles:
            return str(next(iter(titles)))
        return _DEFAULT_NAME


def dumps(
    bulletins: Bulletin | Iterable[Bulletin],
    *,
    start: datetime.date | None = None,
    schedule: str = "daily",
    calendar_name: str | None = None,
    calendar_description: str | None = None,
) -> str:
    """One bulletin, or many in order, as one iCalendar feed with CRLF line ends.

    ``start`` is the first day of a leading bulletin without a date; later
    undated bulletins follow the one before them. ``calendar_name`` defaults
    to the bulletins' title when they share one, else ``Prayer requests``;
    ``calendar_description`` is written only when given. ``bulletins`` is read once,
    one at a time, so it may be a generator.

    Raises :class:`NoDateError` when the first bulletin has no date and no
    ``start`` is given; ValueError for an unknown schedule, a schedule past the
    year 9999, or two bulletins of the same identity holding the same request.
    """
    if schedule not in SCHEDULES:
        raise ValueError(f"unknown schedule '{schedule}'; choose one of {', '.join(SCHEDULES)}")
    feed = _Feed(start, schedule)
    for bulletin in [bulletins] if isinstance(bulletins, Bulletin) else bulletins:
        feed.add(bulletin)
    name = escape_text(calendar_name if calendar_name is not None else feed.default_name())
    header = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        f"PRODID:-//prayerdoc//prayerdoc {__version__}//EN",
        "CALSCALE:GREGORIAN",
        "NAME:" + name,
        "X-WR-CALNAME:" + name,
    ]
    if calendar_description is not None:
        text = escape_text(calendar_description)
        header += ["DESCRIPTION:" + text, "X-WR-CALDESC:" + text]
    header += ["REFRESH-INTERVAL;VALUE=DURATION:" + REFRESH, "X-PUBLISHED-TTL:" + REFRESH]
    return "".join(itertools.chain(map(fold, header), feed.lines, [fold("END:VCALENDAR")]))
