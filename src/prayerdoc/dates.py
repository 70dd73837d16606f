"""Date lines as they appear under a bulletin's title."""

from __future__ import annotations

import datetime
import re

from prayerdoc.alphabet import MONTHS

__all__ = ["find_date", "format_date", "parse_date_line"]

# Each month by its name and its first three letters; September also as "Sept".
_MONTHS = {
    form: number
    for number, name in enumerate(MONTHS, start=1)
    for form in (name.casefold(), name[:3].casefold(), "sept" if number == 9 else "")
    if form
}
_WEEKDAY = r"(?:(?:mon|tues?|wed(?:nes)?|thu(?:rs)?|fri|sat(?:ur)?|sun)(?:day)?\.?,?\s+)?"
_MONTH = r"(?P<month>[a-z]{3,9})\.?"
_DAY = r"(?P<day>\d{1,2})(?:st|nd|rd|th)?"
_YEAR = r"(?P<year>\d{4})"
_PATTERNS = tuple(
    re.compile(pattern, re.IGNORECASE)
    for pattern in (
        rf"{_WEEKDAY}{_MONTH}\s+{_DAY},?\s+{_YEAR}",  # April 27, 2019
        rf"{_WEEKDAY}{_DAY}\s+{_MONTH},?\s+{_YEAR}",  # Thursday, 31 January 2013
        r"(?P<year>\d{4})-(?P<month>\d{2})-(?P<day>\d{2})",  # 2019-04-27
    )
)


def parse_date_line(text: str) -> tuple[bool, datetime.date | None]:
    """Read a whole line as a date.

    Returns ``(shaped, date)``: ``shaped`` tells whether the line has the shape of
    a date at all; ``date`` is None when it has that shape but names a day that
    does not exist (``February 30, 2019``).
    """
    for pattern in _PATTERNS:
        match = pattern.fullmatch(text)
        if match is None:
            continue
        month_text = match.group("month")
        month = int(month_text) if month_text.isdigit() else _MONTHS.get(month_text.lower())
        if month is None:
            continue
        try:
            return True, datetime.date(int(match.group("year")), month, int(match.group("day")))
        except ValueError:
            return True, None
    return False, None


def find_date(text: str, date: datetime.date) -> tuple[int, int] | None:
    """Where ``date`` is written in ``text`` as whole words in any accepted form: (start, end)."""
    for pattern in _PATTERNS:
        for match in pattern.finditer(text):
            start, end = match.span()
            bounded = (start == 0 or not text[start - 1].isalnum()) and (
                end == len(text) or not text[end].isalnum()
            )
            if bounded and parse_date_line(match.group())[1] == date:
                return start, end
    return None


def format_date(date: datetime.date) -> str:
    """The canonical date line: ``April 27, 2019``."""
    return f"{MONTHS[date.month - 1]} {date.day}, {date.year:04d}"
