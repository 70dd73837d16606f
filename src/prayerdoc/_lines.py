"""The line pre-pass: one Lark token per logical line of a bulletin.

Whether a short line is a heading, whether the next line continues a wrapped
paragraph, where the header ends: these need context the LALR grammar cannot
see, so they are decided here. The grammar then states the document's
structure over these tokens (see ``grammar/prayerdoc.lark``).
"""

from __future__ import annotations

import datetime
import itertools
import re
from collections.abc import Iterator
from typing import NamedTuple

import attrs
from lark import Token

from prayerdoc import codes
from prayerdoc.alphabet import (
    ASCII_BULLETS,
    BULLETS,
    DASHES,
    DOUBLE_QUOTES,
    KNOWN_REGIONS,
    LINE_ENDS,
    QUOTES,
    SINGLE_QUOTES,
    SPACES,
    TABLE_BORDER,
    TRAILERS,
    bullet_end,
    strip_table_leftover,
)
from prayerdoc.classify import asks, is_heading_shaped
from prayerdoc.dates import format_date, parse_date_line, wrong_weekday
from prayerdoc.diagnostics import Diagnostic
from prayerdoc.model import Position
from prayerdoc.scripture import parse_reference

__all__ = ["Lexed", "lex"]

_DASH_CLASS = re.escape(DASHES)
# A reference line: a dash (or two hyphens), then the reference.
_ATTRIBUTION = re.compile(rf"(?:--|[{_DASH_CLASS}])[{SPACES}]*(?=\S)")
_REFERENCE_LINES = 3
_FILE_NAME = re.compile(r"\S[^/\\]{0,80}\.(?:jpe?g|png|gif|webp|heic|pdf)", re.IGNORECASE)
_LONE_GLYPHS = frozenset(BULLETS + ASCII_BULLETS)
_CLOSERS = TRAILERS + SPACES
_LABEL = re.compile(rf"([^:]{{2,40}}):[{SPACES}]+")
_WORD = re.compile(r"\w")
# Items before the verse that may still hold it when no reference line marks it.
_VERSE_SEARCH_ITEMS = 8


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


def _split_lines(text: str, found: list[Diagnostic]) -> list[_Line]:
    lines = []
    for number, raw in enumerate(text.split("\n"), start=1):
        stripped = raw.rstrip()
        if stripped.endswith(TABLE_BORDER):
            stripped, leftover = strip_table_leftover(stripped)
            if leftover is not None:
                found.append(codes.TABLE_LEFTOVER.at(number, leftover))
        content = stripped.lstrip()
        if "\t" in content:
            content = content.replace("\t", " ")
        lines.append(_Line(number, len(stripped) - len(content) + 1, content))
    return lines


def _ends_sentence(text: str) -> bool:
    body = text.rstrip(_CLOSERS)
    return not body or body[-1] in LINE_ENDS


def _bullet(line: _Line) -> _Line | None:
    end = bullet_end(line.text)
    # A bullet needs text (a lone glyph's text is on the next line).
    if end is None or end == len(line.text):
        return None
    return _Line(line.number, line.column + end, line.text[end:])


@attrs.define
class _Item:
    """A logical line: one paragraph, bullet or heading, with its wrapped lines joined.

    Every decision after ``_items`` is made on items, never on physical lines,
    so that the canonical layout, which writes each item on a line of its own,
    reads back exactly as the text it was made from.
    """

    first: _Line
    parts: list[str]
    bullet: bool
    opens_block: bool  # a blank line, or the start of the text, stands above it
    heading: bool = False  # decided once every block is known

    @property
    def text(self) -> str:
        # Joined once the block is complete: "text" is read many times after.
        if len(self.parts) > 1:
            self.parts[:] = [" ".join(self.parts)]
        return self.parts[0]

    @property
    def at(self) -> _Line:
        return _Line(self.first.number, self.first.column, self.text)


def _continues(item: _Item, line: _Line, separated: bool) -> bool:
    """Whether ``line`` continues ``item`` (a hard wrap) rather than starting a block."""
    # A reference wraps over a line or two at most; looking no further keeps
    # a long run of dash lines linear.
    if (
        len(item.parts) <= _REFERENCE_LINES
        and item.parts[0][0] in DASHES
        and _attribution(" ".join(item.parts), item.first)
    ):
        return False  # the reference line ends its block
    if line.text[0] in DASHES and _attribution(line.text, line) is not None:
        return False  # and starts one
    if _FILE_NAME.fullmatch(line.text) or _FILE_NAME.fullmatch(item.parts[-1]):
        return False  # an image's file name left in a header stands alone
    if line.text[0].islower():
        return True
    if not item.bullet and line.column != item.first.column:
        return False  # an indented line (a motto) is a block of its own
    if not item.bullet and len(item.parts) == 1 and is_heading_shaped(item.parts[0]):
        return False  # a heading directly above its paragraph
    ended = _ends_sentence(item.parts[-1])
    if ended and is_heading_shaped(line.text):
        return False  # a heading directly below a paragraph
    # Copies with blank lines between blocks wrap inside them; copies without
    # any blank line put each block on a line of its own.
    return separated or not ended


def _items(lines: list[_Line]) -> list[_Item]:
    # Web copies put blank lines between blocks; a copy with at most one gap
    # (often just under the verse) is a mailing-list copy, a block per line.
    gaps = sum(1 for before, line in itertools.pairwise(lines) if before.text and not line.text)
    separated = gaps - (not lines[-1].text if lines else 0) >= 2
    items: list[_Item] = []
    current: _Item | None = None
    opens = True
    glyph = False  # a bullet glyph alone on the line before: its text is on this line
    for line in lines:
        if not line.text:
            current, glyph, opens = None, False, True
            continue
        bullet = line if glyph else _bullet(line)
        if bullet is not None and line.text[0] == "-" and _attribution(line.text, line):
            bullet = None  # "- Micah 6:8" is a reference line, not a bullet
        glyph = line.text in _LONE_GLYPHS
        if glyph:
            current = None
            continue
        if bullet is not None:
            current = _Item(bullet, [bullet.text], True, opens)
            items.append(current)
        elif current is not None and _continues(current, line, separated):
            current.parts.append(line.text)
        else:
            current = _Item(line, [line.text], False, opens)
            items.append(current)
        opens = False
    return items


def _strip_quotes(text: str) -> str:
    """The verse without its outer quotation marks; inner quotes stay."""
    opened = '"'  # with no opening mark, only a double mark closes the verse
    if text and text[0] in QUOTES:
        opened, text = text[0], text[1:]
    if text and (
        text[-1] in DOUBLE_QUOTES or (text[-1] in SINGLE_QUOTES and opened in SINGLE_QUOTES)
    ):
        text = text[:-1]
    return text.strip()


def _attribution(text: str, line: _Line) -> Token | None:
    """An ATTRIBUTION token when ``text`` (starting at ``line``) is a dash and a reference."""
    match = _ATTRIBUTION.match(text)
    if match is None:
        return None
    rest = text[match.end() :]
    at = _Line(line.number, line.column + match.end(), rest)
    reference = parse_reference(rest, Position(at.number, at.column))
    if reference is None:
        return None
    token = _token("ATTRIBUTION", rest, at)
    token.value = reference  # the builder takes the parsed reference from here
    return token


def _find_attribution(items: list[_Item]) -> tuple[int, Token] | None:
    """The first reference line above the requests, and its index."""
    for index, item in enumerate(items):
        if item.bullet:
            return None  # the requests have begun
        token = _attribution(item.text, item.first)
        if token is not None:
            return index, token
    return None


def _verse_start(items: list[_Item], end: int) -> int:
    """Index of the first item of the verse standing above the reference item ``end``."""
    if end == 0:
        return end
    start = end - 1
    while start > 0 and not items[start].opens_block:
        start -= 1  # back to the blank line above this run of items
    for index in range(end - 1, start - 1, -1):
        if items[index].text[0] in DOUBLE_QUOTES:
            return index
    # No opening quote: the verse is the item just above, unless that item is
    # plainly the title or the date (a bulletin whose verse is missing).
    last = items[end - 1].text
    if last[-1] not in DOUBLE_QUOTES and (is_heading_shaped(last) or parse_date_line(last)[0]):
        return end
    return end - 1


def _verse_without_reference(items: list[_Item]) -> tuple[int, int] | None:
    """(first, end) items of a quoted verse near the top when no reference line marks it."""
    for index, item in enumerate(items[:_VERSE_SEARCH_ITEMS]):
        if item.bullet:
            return None
        if item.text[0] in DOUBLE_QUOTES:
            # Without a reference only a whole quotation is taken for the verse: it
            # runs to the item that closes the quote. An unclosed one is a paragraph.
            for end in range(index, len(items)):
                if end > index and (items[end].opens_block or items[end].bullet):
                    break  # a verse neither spans a blank line nor holds a bullet
                if items[end].text[-1] in DOUBLE_QUOTES:
                    return index, end + 1
            return None
    return None


def _check_weekday(line: _Line, date: datetime.date, found: list[Diagnostic]) -> None:
    """PD405 for a date line whose weekday is misspelt or not its date's; the date stands."""
    wrong = wrong_weekday(line.text)
    if wrong is not None:
        at, written, weekday = wrong
        found.append(
            codes.WRONG_WEEKDAY.at(
                line.number,
                line.column + at,
                line.number,
                line.column + at + len(written),
                written=written,
                date=format_date(date),
                weekday=weekday,
            )
        )


def _header_tokens(items: list[_Item], found: list[Diagnostic]) -> Iterator[Token]:
    """PREAMBLE* TITLE DATE? from the items above the verse."""
    before: list[_Line] = []
    after: list[_Line] = []
    header = [item.at for item in items]
    shapes = [parse_date_line(line.text) for line in header]
    # The last date line is the date: a copy's own date sits just above the verse.
    date_at = max((i for i, (_, date) in enumerate(shapes) if date is not None), default=-1)
    dated: set[int] = set()  # date-shaped lines that are not the date: never the title
    impossible: set[int] = set()  # of those, the ones naming a day that does not exist
    for index, (line, (shaped, date)) in enumerate(zip(header, shapes, strict=True)):
        if date is not None:
            _check_weekday(line, date, found)
        if index == date_at:
            continue
        if shaped:
            dated.add(line.number)
        if shaped and date is None:
            impossible.add(line.number)
            found.append(codes.IMPOSSIBLE_DATE.at(line.number, line.column, text=line.text))
        (before if index < date_at or date_at < 0 else after).append(line)
    # The title is the last line above the date (lacking one, the last line
    # between the date and the verse), passing over other date lines; only
    # when every header line is a date is one of them the title.
    undated = [line for line in before if line.number not in dated] or [
        line for line in after if line.number not in dated
    ]
    head = undated or before or after
    title = head[-1] if head else None
    for line in before + after:
        if line is title:
            continue
        if line.number not in impossible:  # PD404 already says what that line is
            found.append(codes.PREAMBLE_LINE.at(line.number, line.column, text=line.text))
        yield _token("PREAMBLE", line.text, line)
    if title is not None:
        yield _token("TITLE", title.text, title)
    if date_at >= 0:
        token = _token("DATE", header[date_at].text, header[date_at])
        token.value = shapes[date_at][1]
        yield token


def _top(items: list[_Item], found: list[Diagnostic]) -> tuple[list[Token], int]:
    """Tokens of the header and verse, and the index of the first body item."""
    attribution = _find_attribution(items)
    if attribution is not None:
        index, reference = attribution
        verse_start = _verse_start(items, index)
        top = list(_header_tokens(items[:verse_start], found))
        if verse_start < index:
            text = " ".join(item.text for item in items[verse_start:index])
            top.append(_token("VERSE", _strip_quotes(text), items[verse_start].first))
        return [*top, reference], index + 1
    span = _verse_without_reference(items)
    if span is not None:
        start, end = span
        verse = _strip_quotes(" ".join(item.text for item in items[start:end]))
        if verse:  # a lone quote mark holds no verse: read on as if there were none
            top = [
                *_header_tokens(items[:start], found),
                _token("VERSE", verse, items[start].first),
            ]
            if end < len(items) and _ATTRIBUTION.match(items[end].text):
                below = items[end].first
                found.append(codes.MALFORMED_REFERENCE.at(below.number, below.column))
            return top, end
    # No verse: a date line among the first three items, above any bullet, ends the header.
    for index, item in enumerate(items[:3]):
        if item.bullet:
            break
        if parse_date_line(item.text)[1] is not None:
            return list(_header_tokens(items[: index + 1], found)), index + 1
    return [], 0


def _last_word(text: str) -> int:
    """Index of the last word character of ``text``, or -1."""
    found = _WORD.search(text[::-1])
    return -1 if found is None else len(text) - 1 - found.start()


def _split_labels(items: list[_Item], *, body: bool) -> list[_Item]:
    """``Africa: Pray …`` as a heading block and its paragraph, when the label is a region.

    Labels are split off one after another (``Africa: Kenya: …``), so that no
    paragraph is left starting with one. Known region names are split before
    any other decision, so that the canonical layout (the label on a line of
    its own) reads the same; the headings of the bulletin itself count as
    regions in its ``body`` only, once the header is known.
    """
    for item in items[:-1]:
        # A heading-shaped last block is text cut off mid-sentence, not a section.
        item.heading = item.heading or (not item.bullet and is_heading_shaped(item.text))
    headings = KNOWN_REGIONS
    if body:
        headings = headings | {item.text.casefold() for item in items if item.heading}
    split: list[_Item] = []
    for item in items:
        text, first, start, bullet = item.text, item.first, 0, item.bullet
        # A label needs a word after it; where the last word ends is found once,
        # so that a line of a million labels is scanned once, not once per label.
        last_word = _last_word(text)
        while (match := _LABEL.match(text, start)) is not None and match.end() <= last_word:
            label = match.group(1).strip()
            # Heading-shaped too, so that the label reads back as a heading on its own line.
            if label.casefold() not in headings or not is_heading_shaped(label):
                break
            at = _Line(first.number, first.column + start, label)
            split.append(_Item(at, [label], False, item.opens_block and not start, heading=True))
            start = match.end()
            glyph = bullet_end(text, start)  # "Africa: • Pray …"
            if glyph is not None:
                start, bullet = glyph, True  # a word follows the label, so the bullet has text
        if start == 0:
            split.append(item)
        else:
            rest = _Line(first.number, first.column + start, text[start:])
            split.append(_Item(rest, [rest.text], bullet, False))
    return split


def _body_tokens(items: list[_Item]) -> Iterator[Token]:
    for item in items:
        if item.heading:
            kind = "HEADING"
        elif item.bullet:
            kind = "BULLET"
        else:
            kind = "ASK" if asks(item.text) else "STATEMENT"
        yield _token(kind, item.text, item.first)


def lex(text: str) -> Lexed:
    """Split normalised bulletin text (``\\n`` line ends, no BOM) into line tokens."""
    found: list[Diagnostic] = []
    items = _split_labels(_items(_split_lines(text, found)), body=False)
    top, body_start = _top(items, found)
    tokens = (*top, *_body_tokens(_split_labels(items[body_start:], body=True)))
    return Lexed(tokens, tuple(found))
