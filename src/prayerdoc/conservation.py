"""Nothing lost: every word of the input must be somewhere in the model.

This is the one gate every reading of bulletin text passes through:
:func:`parse_keeping_words` is the parser followed by the gate, and
:func:`prayerdoc.parse` (so ``load`` and ``loads`` too), ``check``, ``convert``,
``fmt`` and the readers of pages and messages all read text through it. A word
the parser did not keep is a bug in prayerdoc, never a fault of the input: it is
reported as PD199 at that word, and no bulletin is returned that lacks it.

A word is a run of letters, digits or underscores; punctuation, bullets and
quote marks are layout.
"""

from __future__ import annotations

import datetime
import re
import string
from collections import Counter
from collections.abc import Iterator

from prayerdoc import codes
from prayerdoc._parser import Parsed, parse_text
from prayerdoc.alphabet import (
    BULLETS,
    DASHES,
    QUOTES,
    SENTENCE_ENDS,
    SPACES,
    strip_table_leftover,
)
from prayerdoc.dates import find_date, parse_date_line
from prayerdoc.diagnostics import Diagnostic
from prayerdoc.model import Bulletin

__all__ = ["lost_words", "missing_words", "model_texts", "parse_keeping_words"]

_WORD = re.compile(r"\w+")
# What may stand in the text around the model's pieces: white space and layout
# (quote marks, bullets, a reference's dash, a table's border). None of these is
# a word character, which is what makes the quick comparison below sound.
_BLANK = string.whitespace + SPACES + string.punctuation.replace("_", "") + QUOTES + DASHES
_BLANK += BULLETS + SENTENCE_ENDS
# What a wrapped line's break may be, where the parser joined lines with one space.
_WRAP = " \t\n" + SPACES


def model_texts(bulletin: Bulletin) -> Iterator[str]:
    """Every piece of text the model holds, except the date."""
    return iter(_pieces(bulletin))


def _pieces(bulletin: Bulletin) -> list[str]:
    # A list, made by plain loops: the gate walks it for every bulletin parsed,
    # and a generator (with one more per section) costs a good part of the walk.
    pieces = [line.text for line in bulletin.preamble]
    if bulletin.title is not None:
        pieces.append(bulletin.title)
    epigraph = bulletin.epigraph
    if epigraph is not None:
        pieces.append(epigraph.text)
        if epigraph.reference is not None:
            pieces.append(epigraph.reference.text)
    for section in bulletin.sections:
        if section.heading is not None:
            pieces.append(section.heading)
        for paragraph in section.intro:
            pieces.append(paragraph.text)
        for request in section.requests:
            pieces.append(request.text)
    return pieces


def _date_places(lines: list[str], date: datetime.date | None) -> list[tuple[int, str]]:
    """Where the bulletin's date may have come from: (line number, that line with it blanked).

    Lines that are the date and nothing else come first; failing those, the
    date written inside a line.
    """
    if date is None:
        return []
    # Every accepted form writes the year in digits: other lines are not read as dates.
    year = str(date.year)
    dated = [(number, line) for number, line in enumerate(lines, start=1) if year in line]
    whole = [
        (number, "")
        for number, line in dated
        if parse_date_line(strip_table_leftover(line.strip())[0])[1] == date
    ]
    if whole:
        return whole
    for number, line in dated:
        span = find_date(line, date)
        if span is not None:
            return [(number, line[: span[0]] + " " * (span[1] - span[0]) + line[span[1] :])]
    return []


def _words(text: str) -> Counter[str]:
    return Counter(_WORD.findall(text))


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


def _between(gap: str) -> str:
    """What stands between two pieces of the model in the text, less layout and white space;
    a space when the gap has none at an end, so that no word may run into a piece."""
    if not gap or gap[0] not in _BLANK or gap[-1] not in _BLANK:
        return " "
    return gap.strip(_BLANK)


def _find_wrapped(text: str, piece: str, start: int) -> tuple[int, int]:
    """Where ``piece``, not found as it is, stands in ``text`` from ``start``: (start,
    end), or (-1, -1).

    A piece the parser joined from wrapped lines is found with a line break
    and indentation wherever it has a space.
    """
    first, *rest = piece.split(" ")
    found = text.find(first, start)
    if found < 0 or not rest:
        return -1, -1
    end = found + len(first)
    for word in rest:
        after = end
        while after < len(text) and text[after] in _WRAP:
            after += 1
        if after == end or not text.startswith(word, after):
            return -1, -1
        end = after + len(word)
    return found, end


def _kept_in_order(text: str, bulletin: Bulletin) -> bool:
    """The usual case, decided quickly: the model's pieces, found one after another in
    ``text``, cover every word of it.

    True only when nothing but layout and white space stands around each piece,
    save one line that is the bulletin's date. Then the text's words are the
    pieces' words, which is what the full count would find; False means only
    that the full count must decide (a wrapped request, pieces out of order).
    """
    date = bulletin.date
    padded = f"\n{text}\n"
    at = 0
    for piece in _pieces(bulletin):
        if not piece:
            continue
        # The usual piece stands in the text as it is: found here, without a call.
        found = padded.find(piece, at)
        if found >= 0:
            end = found + len(piece)
        else:
            found, end = _find_wrapped(padded, piece, at)
            if found < 0:
                return False
        left = _between(padded[at:found])
        if left:
            if date is None or parse_date_line(left)[1] != date:
                return False
            date = None  # the date stands once
        at = end
    left = _between(padded[at:])
    return not left or (date is not None and parse_date_line(left)[1] == date)


def missing_words(text: str, bulletin: Bulletin) -> list[tuple[str, int, int]]:
    """The words of ``text`` that ``bulletin`` does not hold, as (word, line, column).

    Words are counted, so a word written twice must be kept twice. The words
    of the bulletin's date, in whatever form it was written, count as kept: the
    date is held as a date.
    """
    if _kept_in_order(text, bulletin):
        return []
    kept = _words("\n".join(model_texts(bulletin)))
    written = _words(text)
    if not written - kept:
        return []
    lines = text.split("\n")
    places = _date_places(lines, bulletin.date)
    for number, blanked in places:
        if not written - _words(lines[number - 1]) + _words(blanked) - kept:
            return []
    # A word is lost: now, and only now, find where each one stands.
    if not places:
        return _missing(lines, kept)
    # The same date written twice: one line is the date, the other is kept as
    # text; whichever reading loses fewest words is reported.
    found = [
        _missing([*lines[: number - 1], blanked, *lines[number:]], kept)
        for number, blanked in places
    ]
    return min(found, key=len)


def lost_words(text: str, bulletin: Bulletin) -> list[Diagnostic]:
    """A PD199 finding at each word of ``text`` that ``bulletin`` does not hold."""
    return [
        codes.INTERNAL.at(line, column, error=f"the word '{word}' would be lost")
        for word, line, column in missing_words(text, bulletin)
    ]


def parse_keeping_words(text: str) -> Parsed:
    """Parse normalised ``text``, then hold the bulletin to the gate; never raises.

    A bulletin that lost a word is no bulletin: the result has none, and a
    PD199 finding for each lost word after the parser's own findings.
    """
    parsed = parse_text(text)
    if parsed.bulletin is None:
        return parsed
    lost = lost_words(text, parsed.bulletin)
    return Parsed(None, (*parsed.diagnostics, *lost)) if lost else parsed
