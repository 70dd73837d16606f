"""Nothing lost: every word of the input must be somewhere in the model.

``fmt`` refuses to rewrite a file and ``convert`` refuses to write output when
this does not hold, and the tests hold every fixture to it. A word is a run of
letters, digits or underscores; punctuation, bullets and quote marks are layout.
"""

from __future__ import annotations

import datetime
import re
from collections import Counter
from collections.abc import Iterator

from prayerdoc.alphabet import strip_table_leftover
from prayerdoc.dates import find_date, parse_date_line
from prayerdoc.model import Bulletin

__all__ = ["missing_words", "model_texts"]

_WORD = re.compile(r"\w+")


def model_texts(bulletin: Bulletin) -> Iterator[str]:
    """Every piece of text the model holds, except the date."""
    yield from (line.text for line in bulletin.preamble)
    if bulletin.title is not None:
        yield bulletin.title
    if bulletin.epigraph is not None:
        yield bulletin.epigraph.text
        if bulletin.epigraph.reference is not None:
            yield bulletin.epigraph.reference.text
    for section in bulletin.sections:
        if section.heading is not None:
            yield section.heading
        yield from (paragraph.text for paragraph in section.intro)
        yield from (request.text for request in section.requests)


def _date_places(lines: list[str], date: datetime.date | None) -> list[tuple[int, str]]:
    """Where the bulletin's date may have come from: (line number, that line with it blanked).

    Lines that are the date and nothing else come first; failing those, the
    date written inside a line.
    """
    if date is None:
        return []
    whole = [
        (number, "")
        for number, line in enumerate(lines, start=1)
        if parse_date_line(strip_table_leftover(line.strip())[0])[1] == date
    ]
    if whole:
        return whole
    for number, line in enumerate(lines, start=1):
        span = find_date(line, date)
        if span is not None:
            return [(number, line[: span[0]] + " " * (span[1] - span[0]) + line[span[1] :])]
    return []


def _missing(lines: list[str], kept: Counter[str]) -> list[tuple[str, int, int]]:
    kept = kept.copy()
    missing = []
    for number, line in enumerate(lines, start=1):
        for match in _WORD.finditer(line):
            word = match.group()
            if kept[word]:
                kept[word] -= 1
            else:
                missing.append((word, number, match.start() + 1))
    return missing


def missing_words(text: str, bulletin: Bulletin) -> list[tuple[str, int, int]]:
    """The words of ``text`` that ``bulletin`` does not hold, as (word, line, column).

    Words are counted, so a word written twice must be kept twice. The words
    of the bulletin's date, in whatever form it was written, count as kept: the
    date is held as a date.
    """
    kept = Counter(word for piece in model_texts(bulletin) for word in _WORD.findall(piece))
    lines = text.split("\n")
    places = _date_places(lines, bulletin.date)
    if not places:
        return _missing(lines, kept)
    # The same date written twice: one line is the date, the other is kept as
    # text; whichever reading keeps every word is the parser's.
    found = []
    for number, blanked in places:
        found.append(_missing([*lines[: number - 1], blanked, *lines[number:]], kept))
        if not found[-1]:
            break
    return min(found, key=len)
