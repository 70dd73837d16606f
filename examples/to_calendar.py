"""Several bulletins to one iCalendar feed, written with the library.

Usage::

    python examples/to_calendar.py BULLETIN... [--start YYYY-MM-DD] [-o FILE]

One ``VCALENDAR`` with an event for every request of every bulletin, in the order
given: each bulletin starts on its own date, and one without a date on the day
after the previous bulletin's last event (the first on ``--start``). It is the
library call behind ``prayerdoc convert BULLETIN... --to ical -o FILE``; start
here to build a feed your own way. Example::

    python examples/to_calendar.py examples/bulletins/*.txt --start 2024-03-01 -o march.ics

Exit status: 0 written, 1 a bulletin could not be read, 2 a usage error (such as a
``--start`` not written YYYY-MM-DD, or a day that does not exist: the message says which).
"""

from __future__ import annotations

import argparse
import datetime
import re
import sys
from collections.abc import Sequence
from pathlib import Path

import prayerdoc


def day(value: str) -> datetime.date:
    """``--start``: a day that exists, written YYYY-MM-DD; the error says which is wrong."""
    if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
        raise argparse.ArgumentTypeError(f"'{value}' is not a date written YYYY-MM-DD")
    try:
        return datetime.date.fromisoformat(value)
    except ValueError as error:  # February 30, a month 13
        raise argparse.ArgumentTypeError(f"'{value}': that day does not exist ({error})") from None


def main(argv: Sequence[str] | None = None) -> int:
    """Run the script; returns the exit status."""
    parser = argparse.ArgumentParser(description="Several bulletins to one iCalendar feed.")
    parser.add_argument("bulletins", nargs="+", type=Path, metavar="BULLETIN")
    parser.add_argument("--start", type=day, metavar="YYYY-MM-DD", help="the first day")
    parser.add_argument("-o", "--output", type=Path, help="the .ics file (default: stdout)")
    args = parser.parse_args(argv)
    try:
        bulletins = [prayerdoc.load(path) for path in args.bulletins]
        feed = prayerdoc.dumps(bulletins, "ical", start=args.start).encode("utf-8")
        if args.output is None:
            sys.stdout.buffer.write(feed)
        else:
            args.output.write_bytes(feed)
    except prayerdoc.ParseError as error:
        print(error, file=sys.stderr)
        return 1
    except OSError as error:
        parser.error(str(error))
    except ValueError as error:  # no date for the first bulletin; a schedule past 9999
        parser.error(f"{error} (--start YYYY-MM-DD gives the first day)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
