"""The line pre-pass: one Lark token per logical line of a bulletin.

Whether a short line is a heading, whether the next line continues a wrapped
paragraph, where the header ends: these need context the LALR grammar cannot
see, so they are decided here. The grammar then states the document's
structure over these tokens (see ``grammar/prayerdoc.lark``).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import NamedTuple

import attrs
from lark import Token

from prayerdoc import codes
from prayerdoc.classify import asks, is_heading_shaped
from prayerdoc.dates import parse_date_line
from prayerdoc.diagnostics import Diagnostic
from prayerdoc.model import Position
from prayerdoc.scripture import parse_reference

__all__ = ["Lexed", "lex"]

# Dashes that introduce the verse's reference: em, en, horizontal bar, hyphen(s).
_ATTRIBUTION = re.compile(r"(?:—|–|―|--?)[ \u00a0]*(?=\S)")
_BULLET = re.compile(r"(?:[•◦▪‣·]|[-*](?=[ \u00a0]))[ \u00a0]*")
_OPEN_DOUBLE = frozenset('“"„«”')
_OPEN_ANY = _OPEN_DOUBLE | frozenset("‘’'‹")
_CLOSE_DOUBLE = frozenset('”"“»')
_CLOSE_SINGLE = frozenset("’'‘›")
_SENTENCE_END = frozenset(".!?…:")
_CLOSERS = "\"'”’)]» \u00a0"
_LABEL = re.compile(r"([^:]{2,40}):[ \u00a0]+(?=\S)")
# Lines before the verse that may still hold it when no reference line marks it.
_VERSE_SEARCH_LINES = 8
# Region names seen as headings in the wild; a label in "Africa: Pray …" opens a
# section only when it is one of these or a heading of the same bulletin.
KNOWN_REGIONS = frozenset(
    name.casefold()
    for name in (
        "Africa",
        "Africa & Europe",
        "Africa + Europe",
        "Asia",
        "Asia Pacific",
        "Central America",
        "East Africa",
        "Eurasia",
        "Europe",
        "Global",
        "IJM Global Office & Partners",
        "IJM HQ & Global Partners",
        "Latin America",
        "Middle East",
        "North America",
        "South America",
        "South Asia",
        "Southeast Asia",
        "West Africa",
    )
)


class _Line(NamedTuple):
    number: int
    column: int
    text: str


@attrs.frozen
class Lexed:
    """The tokens of one bulletin and what the pre-pass found wrong with it."""

    tokens: tuple[Token, ...]
    diagnostics: tuple[Diagnostic, ...]


def _token(kind: str, text: str, line: _Line) -> Token:
    return Token(kind, text, line=line.number, column=line.column)


def _strip_leftover(text: str) -> tuple[str, int | None]:
    """Remove table leftovers (`` |`` runs) at the end of a line; say where they began.

    Scans back from the end once, so a line of a million pipes stays linear.
    """
    at = len(text)
    start: int | None = None
    while at > 0 and text[at - 1] == "|" and (at == 1 or text[at - 2].isspace()):
        start = at - 1
        at -= 1
        while at > 0 and text[at - 1].isspace():
            at -= 1
    if start is None:
        return text, None
    return text[:at], start + 1


def _split_lines(text: str, found: list[Diagnostic]) -> list[_Line]:
    lines = []
    for number, raw in enumerate(text.split("\n"), start=1):
        stripped = raw.rstrip()
        if stripped.endswith("|"):
            stripped, leftover = _strip_leftover(stripped)
            if leftover is not None:
                found.append(codes.TABLE_LEFTOVER.at(number, leftover))
        content = stripped.lstrip()
        if "\t" in content:
            content = content.replace("\t", " ")
        lines.append(_Line(number, len(stripped) - len(content) + 1, content))
    return lines


def _ends_sentence(text: str) -> bool:
    body = text.rstrip(_CLOSERS)
    return not body or body[-1] in _SENTENCE_END


def _bullet(line: _Line) -> _Line | None:
    match = _BULLET.match(line.text)
    if match is None or match.end() == len(line.text):
        return None
    return _Line(line.number, line.column + match.end(), line.text[match.end() :])


@attrs.define
class _Item:
    """A logical line: one paragraph, bullet or heading, with its wrapped lines joined."""

    first: _Line
    parts: list[str]
    bullet: bool

    @property
    def text(self) -> str:
        return " ".join(self.parts)


def _continues(item: _Item, line: _Line, separated: bool) -> bool:
    """Whether ``line`` continues ``item`` (a hard wrap) rather than starting a block."""
    if line.text[0].islower():
        return True
    if not item.bullet and len(item.parts) == 1 and is_heading_shaped(item.parts[0]):
        return False  # a heading directly above its paragraph
    ended = _ends_sentence(item.parts[-1])
    if ended and is_heading_shaped(line.text):
        return False  # a heading directly below a paragraph
    # Copies with blank lines between blocks wrap inside them; copies without
    # any blank line put each block on a line of its own.
    return separated or not ended


def _items(lines: list[_Line]) -> list[_Item]:
    nonblank = [index for index, line in enumerate(lines) if line.text]
    separated = bool(nonblank) and nonblank[-1] - nonblank[0] + 1 > len(nonblank)
    items: list[_Item] = []
    current: _Item | None = None
    for line in lines:
        if not line.text:
            current = None
            continue
        bullet = _bullet(line)
        if bullet is not None:
            current = _Item(bullet, [bullet.text], True)
            items.append(current)
        elif current is not None and _continues(current, line, separated):
            current.parts.append(line.text)
        else:
            current = _Item(line, [line.text], False)
            items.append(current)
    return items


def _strip_quotes(text: str) -> str:
    """The verse without its outer quotation marks; inner quotes stay."""
    opened = ""
    if text and text[0] in _OPEN_ANY:
        opened, text = text[0], text[1:]
    if text and (
        text[-1] in _CLOSE_DOUBLE
        or (text[-1] in _CLOSE_SINGLE and opened in _OPEN_ANY - _OPEN_DOUBLE)
    ):
        text = text[:-1]
    return text.strip()


def _find_attribution(lines: list[_Line]) -> tuple[int, Token] | None:
    for index, line in enumerate(lines):
        text = line.text
        if not text:
            continue
        if text[0] == "•":
            return None  # the requests have begun
        match = _ATTRIBUTION.match(text)
        if match is None:
            continue
        rest = text[match.end() :]
        at = _Line(line.number, line.column + match.end(), rest)
        reference = parse_reference(rest, Position(at.number, at.column))
        if reference is not None:
            token = _token("ATTRIBUTION", rest, at)
            token.value = reference  # the builder takes the parsed reference from here
            return index, token
    return None


def _verse_before(lines: list[_Line], end: int) -> tuple[int, int]:
    """Index of the first line of the verse standing above the reference line ``end``."""
    while end > 0 and not lines[end - 1].text:
        end -= 1  # blank lines between the verse and its reference
    start = end
    while start > 0 and lines[start - 1].text:
        start -= 1
    if start == end:
        return end, end
    for index in range(end - 1, start - 1, -1):
        if lines[index].text[0] in _OPEN_DOUBLE:
            return index, end
    # No opening quote: the verse is the last block of the run, unless that
    # block is plainly the title or the date (a bulletin whose verse is missing).
    last = _items(lines[start:end])[-1]
    if last.text[-1] not in _CLOSE_DOUBLE and (
        is_heading_shaped(last.text) or parse_date_line(last.text)[0]
    ):
        return end, end
    return next(i for i in range(start, end) if lines[i].number == last.first.number), end


def _verse_without_reference(lines: list[_Line]) -> tuple[int, int] | None:
    """(first, end) of a quoted verse near the top when no reference line marks it."""
    seen = 0
    for index, line in enumerate(lines):
        if not line.text:
            continue
        seen += 1
        if seen > _VERSE_SEARCH_LINES or _bullet(line) is not None:
            return None
        if line.text[0] in _OPEN_DOUBLE:
            # The verse runs to the line that closes the quote; unclosed, it is one line.
            for end in range(index, len(lines)):
                if not lines[end].text:
                    break
                if lines[end].text[-1] in _CLOSE_DOUBLE:
                    return index, end + 1
            return index, index + 1
    return None


def _header_tokens(lines: list[_Line], found: list[Diagnostic]) -> Iterator[Token]:
    """PREAMBLE* TITLE DATE? from the lines above the verse."""
    before: list[_Line] = []
    after: list[_Line] = []
    impossible: set[int] = set()  # date-shaped lines naming a day that does not exist
    date_line: _Line | None = None
    for line in lines:
        if not line.text:
            continue
        if date_line is None:
            shaped, date = parse_date_line(line.text)
            if date is not None:
                date_line = line
                continue
            if shaped:
                impossible.add(line.number)
                found.append(codes.IMPOSSIBLE_DATE.at(line.number, line.column, text=line.text))
        (before if date_line is None else after).append(line)
    # The title is the last line above the date (lacking those, the last line
    # between the date and the verse), passing over a mistyped date.
    head = before or after
    title = next(
        (line for line in reversed(head) if line.number not in impossible),
        head[-1] if head else None,
    )
    for line in before + after:
        if line is title:
            continue
        if line.number not in impossible:  # PD404 already says what that line is
            found.append(codes.PREAMBLE_LINE.at(line.number, line.column, text=line.text))
        yield _token("PREAMBLE", line.text, line)
    if title is not None:
        yield _token("TITLE", title.text, title)
    if date_line is not None:
        token = _token("DATE", date_line.text, date_line)
        token.value = parse_date_line(date_line.text)[1]
        yield token


def _top(lines: list[_Line], found: list[Diagnostic]) -> tuple[list[Token], int]:
    """Tokens of the header and verse, and the index of the first body line."""
    attribution = _find_attribution(lines)
    if attribution is not None:
        index, reference = attribution
        verse_start, verse_end = _verse_before(lines, index)
        top = list(_header_tokens(lines[:verse_start], found))
        if verse_start < verse_end:
            text = " ".join(line.text for line in lines[verse_start:verse_end])
            top.append(_token("VERSE", _strip_quotes(text), lines[verse_start]))
        top.append(reference)
        return top, index + 1
    verse_span = _verse_without_reference(lines)
    if verse_span is not None:
        start, end = verse_span
        top = list(_header_tokens(lines[:start], found))
        verse = _strip_quotes(" ".join(line.text for line in lines[start:end]))
        if verse:  # a lone quote mark holds no verse
            top.append(_token("VERSE", verse, lines[start]))
        following = next((line for line in lines[end:] if line.text), None)
        if following is not None and _ATTRIBUTION.match(following.text):
            found.append(codes.MALFORMED_REFERENCE.at(following.number, following.column))
        return top, end
    seen = 0
    for index, line in enumerate(lines):
        if not line.text:
            continue
        seen += 1
        if seen > 3:
            break
        if parse_date_line(line.text)[1] is not None:
            return list(_header_tokens(lines[: index + 1], found)), index + 1
    return [], 0


def _label(item: _Item, headings: frozenset[str]) -> tuple[Token, Token] | None:
    """Split ``Africa: Pray …`` into a heading and its paragraph when the label is a region."""
    match = _LABEL.match(item.text)
    if match is None:
        return None
    label = match.group(1).strip()
    if label.casefold() not in KNOWN_REGIONS and label.casefold() not in headings:
        return None
    rest = item.text[match.end() :]
    first = item.first
    heading = _token("HEADING", label, first)
    kind = "BULLET" if item.bullet else "ASK" if asks(rest) else "STATEMENT"
    return heading, _token(kind, rest, _Line(first.number, first.column + match.end(), rest))


def _body_tokens(lines: list[_Line]) -> Iterator[Token]:
    items = _items(lines)
    last = len(items) - 1
    heading_at = {
        index
        for index, item in enumerate(items)
        # A heading-shaped last line is text cut off mid-sentence, not a section.
        if index < last
        and not item.bullet
        and len(item.parts) == 1
        and is_heading_shaped(item.text)
    }
    headings = frozenset(items[index].text.casefold() for index in heading_at)
    for index, item in enumerate(items):
        if index in heading_at:
            yield _token("HEADING", item.text, item.first)
            continue
        labelled = _label(item, headings)
        if labelled is not None:
            yield from labelled
        elif item.bullet:
            yield _token("BULLET", item.text, item.first)
        else:
            yield _token("ASK" if asks(item.text) else "STATEMENT", item.text, item.first)


def lex(text: str) -> Lexed:
    """Split normalised bulletin text (``\\n`` line ends, no BOM) into line tokens."""
    found: list[Diagnostic] = []
    lines = _split_lines(text, found)
    top, body_start = _top(lines, found)
    tokens = (*top, *_body_tokens(lines[body_start:]))
    return Lexed(tokens, tuple(found))
