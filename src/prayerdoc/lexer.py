"""Blocks → tokens: one Lark token per block, for the grammar in ``grammar/prayerdoc.lark``.

A body block's token comes from its own text: HEADING (heading-shaped and
not the last block), BULLET, ASK (asks for prayer, praise or thanks) or
STATEMENT. Inline region labels (``Africa: Pray …``) are split into a
heading block and the text after it first. Values are not parsed here: the
builder reads the date and the reference from the token's text.

Above the body, three decisions need more than one token of look-ahead, which
an LALR(1) grammar does not have; each is a small named step, listed with
its reason in the grammar's header comment: where the verse is
(:func:`_top`: the first reference line above the first bullet, and the
quotation above it), which header line is the title (:func:`_header_tokens`:
the last that is not a date line above the last date), and whether a date
without a verse ends the header (a date among the first three blocks).
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Iterator

import attrs
from lark import Token

from prayerdoc import codes
from prayerdoc.alphabet import (
    DOUBLE_QUOTES,
    KNOWN_REGIONS,
    QUOTES,
    SINGLE_QUOTES,
    SPACES,
    bullet_end,
)
from prayerdoc.blocks import Block, Blocks, Line, blocks, dash_line, reference_start
from prayerdoc.classify import asks, is_heading_shaped
from prayerdoc.dates import format_date, parse_date_line, wrong_weekday
from prayerdoc.diagnostics import Diagnostic

__all__ = ["Lexed", "lex", "tokens"]


_LABEL = re.compile(rf"([^:]{{2,40}}):[{SPACES}]+")
_WORD = re.compile(r"\w")
# Items before the verse that may still hold it when no reference line marks it.
_VERSE_SEARCH_ITEMS = 8


@attrs.frozen
class Lexed:
    """The tokens of one bulletin and what the pre-pass found wrong with it."""

    tokens: tuple[Token, ...]
    diagnostics: tuple[Diagnostic, ...]


def _token(kind: str, text: str, line: Line) -> Token:
    return Token(kind, text, line=line.number, column=line.column)


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


def _attribution(item: Block) -> Token | None:
    """An ATTRIBUTION token, the reference after the dash, when ``item`` is a reference line."""
    start = reference_start(item.text)
    if start is None:
        return None
    at = item.place(start)  # the reference may start on a wrapped line: "—" above "Micah 6:8"
    return Token("ATTRIBUTION", item.text[start:], line=at.number, column=at.column)


def _find_attribution(items: list[Block]) -> tuple[int, Token] | None:
    """The first reference line above the requests, and its index."""
    for index, item in enumerate(items):
        if item.bullet:
            return None  # the requests have begun
        token = _attribution(item)
        if token is not None:
            return index, token
    return None


def _verse_start(items: list[Block], end: int) -> int:
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


def _verse_without_reference(items: list[Block]) -> tuple[int, int] | None:
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


def _check_weekday(line: Line, date: datetime.date, found: list[Diagnostic]) -> None:
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


def _header_tokens(items: list[Block], found: list[Diagnostic]) -> Iterator[Token]:
    """PREAMBLE* TITLE DATE? from the items above the verse."""
    before: list[Line] = []
    after: list[Line] = []
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
        yield _token("DATE", header[date_at].text, header[date_at])


def _top(items: list[Block], found: list[Diagnostic]) -> tuple[list[Token], int]:
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
            if end < len(items) and dash_line(items[end].text):
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


def _split_labels(items: list[Block], *, body: bool) -> list[Block]:
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
    split: list[Block] = []
    for item in items:
        text, start, bullet = item.text, 0, item.bullet
        # A label needs a word after it; where the last word ends is found once
        # (and only for a block that starts like a label), so that a line of a
        # million labels is scanned once, not once per label.
        last_word = _last_word(text) if _LABEL.match(text) else -1
        while (match := _LABEL.match(text, start)) is not None and match.end() <= last_word:
            label = match.group(1).strip()
            # Heading-shaped too, so that the label reads back as a heading on its own line.
            if label.casefold() not in headings or not is_heading_shaped(label):
                break
            place = item.place(start)
            at = Line(place.number, place.column, label)
            split.append(Block(at, [label], False, item.opens_block and not start, heading=True))
            start = match.end()
            glyph = bullet_end(text, start)  # "Africa: • Pray …"
            if glyph is not None:
                start, bullet = glyph, True  # a word follows the label, so the bullet has text
        if start == 0:
            split.append(item)
        else:
            split.append(item.rest(start, bullet=bullet))
    return split


def _body_tokens(items: list[Block]) -> Iterator[Token]:
    for item in items:
        if item.heading:
            kind = "HEADING"
        elif item.bullet:
            kind = "BULLET"
        else:
            kind = "ASK" if asks(item.text) else "STATEMENT"
        yield _token(kind, item.text, item.first)


def tokens(split: Blocks) -> Lexed:
    """One token per block, with what the blocks stage and this one found wrong."""
    found = list(split.diagnostics)
    items = _split_labels(split.blocks, body=False)
    top, body_start = _top(items, found)
    tokens = (*top, *_body_tokens(_split_labels(items[body_start:], body=True)))
    return Lexed(tokens, tuple(found))


def lex(text: str) -> Lexed:
    """Split normalised bulletin text (``\\n`` line ends, no BOM) into block tokens."""
    return tokens(blocks(text))
