"""iCalendar (RFC 5545) for calendars: one all-day event per prayer request.

Request *i* (counting from 0 across the bulletin) falls on ``start + i`` days
with the ``daily`` schedule, or on ``start`` with ``single``; ``start`` is the
bulletin's date unless given. Output is reproducible: UIDs are UUIDs derived
from the content, and DTSTAMP is ``SOURCE_DATE_EPOCH`` when that is set, else
midnight UTC of the start date, so equal input gives equal bytes.
"""

from __future__ import annotations

import datetime
import os
import re
import uuid
from collections.abc import Iterator

import prayerdoc
from prayerdoc.model import Bulletin, Request, Section

__all__ = ["SCHEDULES", "NoDateError", "dumps", "escape_text", "fold"]

SCHEDULES = ("daily", "single")
_NAMESPACE = uuid.uuid5(uuid.NAMESPACE_URL, "urn:prayerdoc:ical")
_SUMMARY_WORDS = 8
_SUMMARY_CHARS = 60
_LINE_OCTETS = 75
# RFC 5545 TEXT admits no ASCII control character but tab; a line feed is
# written as the escape \n, so none can end a content line early.
_CONTROLS = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")
# An escape pair is one unit for folding, so a fold never separates its halves.
_UNITS = re.compile(r"\\.|.", re.DOTALL)


class NoDateError(ValueError):
    """The bulletin has no date and no start date was given."""


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
    pieces: list[str] = []
    current: list[str] = []
    size = 0
    for unit in _UNITS.findall(line):
        octets = len(unit.encode("utf-8"))
        if size + octets > _LINE_OCTETS:
            pieces.append("".join(current))
            current, size = [" "], 1
        current.append(unit)
        size += octets
    pieces.append("".join(current))
    return "\r\n".join(pieces) + "\r\n"


def _stamp() -> str | None:
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch is None or not epoch.strip():
        return None
    try:
        moment = datetime.datetime.fromtimestamp(int(epoch), datetime.UTC)
    except (ValueError, OverflowError, OSError):
        raise ValueError(f"SOURCE_DATE_EPOCH must be a count of seconds, not {epoch!r}") from None
    return f"{_date(moment)}T{moment:%H%M%S}Z"


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


def _uid(bulletin: Bulletin, number: int, section: Section, index: int, request: Request) -> str:
    date = bulletin.date.isoformat() if bulletin.date else ""
    heading = section.heading if section.heading is not None else ""
    # A separator that cannot occur in model text keeps fields from running together.
    key = "\x1f".join((bulletin.title or "", date, str(number), heading, str(index), request.text))
    return str(uuid.uuid5(_NAMESPACE, key))


def _events(bulletin: Bulletin, start: datetime.date, daily: bool, stamp: str) -> Iterator[str]:
    verse = _verse(bulletin)
    day = 0
    for number, section in enumerate(bulletin.sections):
        label = section.heading or bulletin.title or "Prayer request"
        for index, request in enumerate(section.requests):
            date = start + datetime.timedelta(days=day if daily else 0)
            day += 1
            description = request.text + ("\n\n" + verse if verse else "")
            yield "BEGIN:VEVENT"
            yield "UID:" + _uid(bulletin, number, section, index, request)
            yield "DTSTAMP:" + stamp
            yield "DTSTART;VALUE=DATE:" + _date(date)
            yield "DTEND;VALUE=DATE:" + _date(date + datetime.timedelta(days=1))
            yield "SUMMARY:" + escape_text(_summary(label, request.text))
            yield "DESCRIPTION:" + escape_text(description)
            if section.heading is not None:
                yield "CATEGORIES:" + escape_text(section.heading)
            yield "TRANSP:TRANSPARENT"
            yield "END:VEVENT"


def dumps(
    bulletin: Bulletin, *, start: datetime.date | None = None, schedule: str = "daily"
) -> str:
    """The bulletin as an iCalendar document with CRLF line ends.

    Raises :class:`NoDateError` when neither the bulletin nor ``start`` gives a
    date, and ValueError for a schedule other than ``daily`` or ``single``.
    """
    if schedule not in SCHEDULES:
        raise ValueError(f"unknown schedule '{schedule}'; choose one of {', '.join(SCHEDULES)}")
    first = start if start is not None else bulletin.date
    if first is None:
        raise NoDateError("the bulletin has no date; give the first day with --start YYYY-MM-DD")
    stamp = _stamp() or _date(first) + "T000000Z"
    name = escape_text(bulletin.title or "Prayer requests")
    try:
        events = list(_events(bulletin, first, schedule == "daily", stamp))
    except OverflowError:
        raise ValueError("the schedule runs past the year 9999; give an earlier --start") from None
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        f"PRODID:-//prayerdoc//prayerdoc {prayerdoc.__version__}//EN",
        "CALSCALE:GREGORIAN",
        "NAME:" + name,
        "X-WR-CALNAME:" + name,
        *events,
        "END:VCALENDAR",
    ]
    return "".join(fold(line) for line in lines)
