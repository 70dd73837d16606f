"""Turn several bulletins into one iCalendar feed, one prayer request a day.

Usage::

    python examples/to_calendar.py BULLETIN... [--start YYYY-MM-DD] [-o FILE]

The bulletins are taken in the order given. Their requests follow one another
day by day: the first request of the first bulletin falls on ``--start`` (by
default the first bulletin's own date), and each bulletin picks up the day after
the previous one's last request. The result is a single ``VCALENDAR`` named
after the first bulletin's title, written to ``FILE`` or to stdout, with CRLF
line ends as RFC 5545 requires. Example, a month of bulletins for a prayer team::

    python examples/to_calendar.py examples/bulletins/*.txt --start 2024-03-01 -o march.ics

Exit status: 0 written, 1 a bulletin could not be read as a bulletin, 2 a usage
error or a file that cannot be read or written.
"""

from __future__ import annotations

import argparse
import datetime
import sys
from collections.abc import Sequence
from pathlib import Path

import prayerdoc

CRLF = "\r\n"


def _logical_lines(calendar: str) -> list[str]:
    """Content lines with their folds kept: each item may span several physical lines."""
    lines: list[str] = []
    for physical in calendar.split(CRLF):
        if physical.startswith(" ") and lines:
            lines[-1] += CRLF + physical
        elif physical:
            lines.append(physical)
    return lines


def _split(calendar: str) -> tuple[list[str], list[str]]:
    """The calendar's own properties, and its VEVENT components' lines."""
    lines = _logical_lines(calendar)
    assert lines[0] == "BEGIN:VCALENDAR", lines[0]
    assert lines[-1] == "END:VCALENDAR", lines[-1]
    body = lines[1:-1]
    first_event = next((i for i, line in enumerate(body) if line == "BEGIN:VEVENT"), len(body))
    return body[:first_event], body[first_event:]


def merge(bulletins: Sequence[prayerdoc.Bulletin], start: datetime.date) -> str:
    """One calendar with every request of ``bulletins``, one a day from ``start``."""
    header: list[str] | None = None
    events: list[str] = []
    day = start
    for bulletin in bulletins:
        calendar = prayerdoc.dumps(bulletin, "ical", start=day, schedule="daily")
        properties, vevents = _split(calendar)
        if header is None:
            header = properties
        events.extend(vevents)
        day += datetime.timedelta(days=len(bulletin.requests()))
    lines = ["BEGIN:VCALENDAR", *(header or []), *events, "END:VCALENDAR"]
    return CRLF.join(lines) + CRLF


def _date(value: str) -> datetime.date:
    try:
        return datetime.date.fromisoformat(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a date in the form YYYY-MM-DD: {value!r}") from None


def main(argv: Sequence[str] | None = None) -> int:
    """Run the script; returns the exit status."""
    parser = argparse.ArgumentParser(
        description="Several bulletins to one iCalendar feed, one request a day."
    )
    parser.add_argument("bulletins", nargs="+", type=Path, metavar="BULLETIN")
    parser.add_argument("--start", type=_date, help="the day of the first request (YYYY-MM-DD)")
    parser.add_argument(
        "-o", "--output", type=Path, help="the .ics file to write (default: stdout)"
    )
    args = parser.parse_args(argv)
    try:
        bulletins = [prayerdoc.load(path) for path in args.bulletins]
    except OSError as error:
        parser.error(str(error))
    except prayerdoc.ParseError as error:
        print(error, file=sys.stderr)
        return 1
    start: datetime.date | None = args.start or bulletins[0].date
    if start is None:
        parser.error(f"{args.bulletins[0]} has no date; give the first day with --start YYYY-MM-DD")
    try:
        calendar = merge(bulletins, start)
    except ValueError as error:  # a schedule past the year 9999
        parser.error(str(error))
    data = calendar.encode("utf-8")
    if args.output is None:
        sys.stdout.buffer.write(data)
        return 0
    try:
        args.output.write_bytes(data)
    except OSError as error:
        parser.error(str(error))
    return 0


if __name__ == "__main__":
    sys.exit(main())
