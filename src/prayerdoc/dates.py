"""Date lines as they appear under a bulletin's title."""

from __future__ import annotations

import datetime
import re

from prayerdoc.alphabet import MONTHS, WEEKDAYS

__all__ = ["find_date", "format_date", "iso_date", "parse_date_line", "wrong_weekday"]

# Each month by its name and its first three letters; September also as "Sept".
_MONTHS = {
    form: number
    for number, name in enumerate(MONTHS, start=1)
    for form in (name.casefold(), name[:3].casefold(), "sept" if number == 9 else "")
    if form
}
# Any word may stand where a weekday does; _weekday() says which words are one.
_WEEKDAY = r"(?:(?P<weekday>[a-z]{2,12})\.?,?\s+)?"
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
_NAMES = tuple(name.casefold() for name in WEEKDAYS)
# Longer than any date line: a twelve-letter weekday, a month, a day and a year,
# with room to spare for the spaces between them.
_LONGEST = 64
MISSPELT = -1


def _distance(a: str, b: str) -> int:
    """Edits (insert, delete, replace) that turn ``a`` into ``b``; the words are short."""
    row = list(range(len(b) + 1))
    for i, char in enumerate(a, start=1):
        previous, row[0] = row[0], i
        for j, other in enumerate(b, start=1):
            previous, row[j] = row[j], min(row[j] + 1, row[j - 1] + 1, previous + (char != other))
    return row[-1]


def _weekday(written: str) -> int | None:
    """The weekday ``written`` names (0 is Monday), MISSPELT, or None if it is no weekday.

    A weekday is its name or a start of it of three letters or more (``Thu``,
    ``Thurs``). A word ending in ``day`` that starts like a weekday, or is
    two letter edits from one with the same first two letters, is a weekday
    written wrong (``Satday``, ``Wensday``); any other word is not a weekday,
    so ``Today, April 27, 2019`` is a header line, not a date.
    """
    word = written.casefold()
    for number, name in enumerate(_NAMES):
        if len(word) >= 3 and name.startswith(word):
            return number
    if word.endswith("day") and any(
        word.startswith(name[:3]) or (word[:2] == name[:2] and _distance(word, name) <= 2)
        for name in _NAMES
    ):
        return MISSPELT
    return None


def _read(text: str) -> tuple[re.Match[str], datetime.date | None] | None:
    """The match of a whole date line and its date (None for a day that does not exist)."""
    for pattern in _PATTERNS:
        match = pattern.fullmatch(text)
        if match is None:
            continue
        weekday = match.groupdict().get("weekday")
        if weekday is not None and _weekday(weekday) is None:
            continue
        month_text = match.group("month")
        month = int(month_text) if month_text.isdigit() else _MONTHS.get(month_text.lower())
        if month is None:
            continue
        try:
            return match, datetime.date(int(match.group("year")), month, int(match.group("day")))
        except ValueError:
            return match, None
    return None


def parse_date_line(text: str) -> tuple[bool, datetime.date | None]:
    """Read a whole line as a date.

    Returns ``(shaped, date)``: ``shaped`` tells whether the line has the shape of
    a date at all; ``date`` is None when it has that shape but names a day that
    does not exist (``February 30, 2019``).
    """
    # Every date line ends in a digit (its year or day), and is short: most
    # blocks are neither, and need not try the patterns.
    if len(text) > _LONGEST or not text[-1:].isdigit():
        return False, None
    read = _read(text)
    return (False, None) if read is None else (True, read[1])


def wrong_weekday(text: str) -> tuple[int, str, str] | None:
    """In a date line, a weekday that is misspelt or is not its date's.

    Returns (index of the weekday in ``text``, the weekday as written, the
    date's real weekday), or None when the weekday is right or absent.
    """
    read = _read(text)
    if read is None:
        return None
    match, date = read
    if date is None or match.groupdict().get("weekday") is None:
        return None
    if _weekday(match.group("weekday")) == date.weekday():
        return None
    return match.start("weekday"), match.group("weekday"), WEEKDAYS[date.weekday()]


def find_date(text: str, date: datetime.date) -> tuple[int, int] | None:
    """Where ``date`` is written in ``text`` as whole words in any accepted form: (start, end)."""
    for pattern in _PATTERNS:
        for match in pattern.finditer(text):
            # A word before the date that is no weekday is not part of it.
            weekday = match.groupdict().get("weekday")
            again = pattern.match(text, match.start(2)) if weekday else None
            for found in (match, again):
                if found is None:
                    continue
                start, end = found.span()
                bounded = (start == 0 or not text[start - 1].isalnum()) and (
                    end == len(text) or not text[end].isalnum()
                )
                if bounded and parse_date_line(found.group())[1] == date:
                    return start, end
    return None


def format_date(date: datetime.date) -> str:
    """The canonical date line: ``April 27, 2019``."""
    return f"{MONTHS[date.month - 1]} {date.day}, {date.year:04d}"


def iso_date(value: str) -> datetime.date:
    """A day written YYYY-MM-DD (``--start``); ValueError says whether the writing or the
    day is wrong."""
    import calendar

    match = re.fullmatch(r"(\d{4})-(\d{2})-(\d{2})", value)
    if match is None:
        raise ValueError(f"'{value}' is not a date written YYYY-MM-DD")
    year, month, day = map(int, match.groups())
    if year < 1:
        raise ValueError(f"'{value}': there is no year 0; years start at 0001")
    if not 1 <= month <= 12:
        raise ValueError(f"'{value}': there is no month {month:02}; months run from 01 to 12")
    days = calendar.monthrange(year, month)[1]
    if not 1 <= day <= days:
        raise ValueError(
            f"'{value}': that day does not exist; {calendar.month_name[month]} {year}"
            f" has {days} days"
        )
    return datetime.date(year, month, day)
