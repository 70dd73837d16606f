"""Blocks → tokens: each block's shapes, from its own text, for ``grammar/prayerdoc.lark``.

A block may have several shapes, most telling first: ``April 27, 2019`` is a
DATE, and short and capitalised too (HEADING), and text at the least. Which
one it is depends on where it stands, which only the grammar knows, so the
parser takes the first shape it can accept there (``_parser.py``). Nothing
here looks at another block, with one exception: a region label
(``Kenya: Pray …``) counts when it names a known region or a heading of the
same bulletin, which needs the whole text; it is split off as a LABEL
token of its own, with the rest of the block after it. Values are not parsed
here: the builder reads the date and the reference from the token's text.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

import attrs
from lark import Token

from prayerdoc.alphabet import DASHES, DOUBLE_QUOTES, KNOWN_REGIONS, SPACES, bullet_end
from prayerdoc.blocks import Block, Blocks, blocks, dash_line, reference_start
from prayerdoc.classify import asks, is_heading_shaped
from prayerdoc.dates import parse_date_line
from prayerdoc.diagnostics import Diagnostic

__all__ = ["Lexed", "Shaped", "lex", "shapes", "tokens"]


_LABEL = re.compile(rf"([^:]{{2,40}}):[{SPACES}]+")
_WORD = re.compile(r"\w")


class Shaped(Token):
    """A block's token: typed by its first shape, with every shape and the block it stands for.

    ``block`` lets a place inside a wrapped block (a reference on the second
    line of its block) map back to its own line.
    """

    __slots__ = ("block", "shapes")
    block: Block | None
    shapes: tuple[str, ...]

    @classmethod
    def of(
        cls, block: Block | None, text: str, line: int, column: int, kinds: tuple[str, ...]
    ) -> Shaped:
        token = cls(kinds[0], text, line=line, column=column)
        token.block, token.shapes = block, kinds
        return token


@attrs.frozen
class Lexed:
    """One token per block and what the blocks stage found wrong."""

    tokens: tuple[Shaped, ...]
    diagnostics: tuple[Diagnostic, ...]


def shapes(text: str, *, bullet: bool, heading: bool) -> tuple[str, ...]:
    """The terminals a block of ``text`` may be, most telling first; the last is always text.

    ``heading``: whether the block is heading-shaped, which the caller knows already.
    """
    if bullet:
        return ("BULLET",)
    found: list[str] = []
    shaped, date = parse_date_line(text)
    if shaped:
        found.append("DATE" if date is not None else "BAD_DATE")
    if text[0] in DASHES or text.startswith("--"):
        if reference_start(text) is not None:
            found.append("REFERENCE")
        elif dash_line(text):
            found.append("DASH")
    # Quotation marks with nothing between them hold no verse.
    marks_only = not text.strip(DOUBLE_QUOTES + SPACES)
    opens = text[0] in DOUBLE_QUOTES and not marks_only
    closes = text[-1] in DOUBLE_QUOTES and not marks_only
    if opens and closes:
        found.append("QUOTED")
    elif opens:
        found.append("OPEN_QUOTE")
    elif closes:
        found.append("CLOSE_QUOTE")
    if heading:
        found.append("HEADING")
    found.append("ASK" if asks(text) else "TEXT")
    return tuple(found)


def _last_word(text: str) -> int:
    """Index of the last word character of ``text``, or -1."""
    found = _WORD.search(text[::-1])
    return -1 if found is None else len(text) - 1 - found.start()


def _labelled(item: Block, regions: frozenset[str], heading: bool) -> Iterator[Shaped]:
    """The block's token; for ``Africa: Pray …`` (a region as its label), a LABEL and the rest.

    Labels are split off one after another (``Africa: Kenya: …``), so that no
    paragraph is left starting with one; the rest is the label's paragraph,
    never a heading.
    """
    text, start, bullet = item.text, 0, item.bullet
    # A label needs a word after it; where the last word ends is found once
    # (and only for a block that starts like a label), so that a line of a
    # million labels is scanned once, not once per label.
    last_word = _last_word(text) if _LABEL.match(text) else -1
    while (match := _LABEL.match(text, start)) is not None and match.end() <= last_word:
        label = match.group(1).strip()
        # Heading-shaped too, so that the label reads back as a heading on its own line.
        if label.casefold() not in regions or not is_heading_shaped(label):
            break
        at = item.place(start)
        yield Shaped.of(None, label, at.number, at.column, ("LABEL", "HEADING"))
        start = match.end()
        glyph = bullet_end(text, start)  # "Africa: • Pray …"
        if glyph is not None:
            start, bullet = glyph, True  # a word follows the label, so the bullet has text
    rest = item if start == 0 else item.rest(start, bullet=bullet)
    kinds = shapes(rest.text, bullet=bullet, heading=heading and start == 0)
    yield Shaped.of(rest, rest.text, rest.first.number, rest.first.column, kinds)


def tokens(split: Blocks) -> Lexed:
    """One token per block, with its shapes, and what the blocks stage found wrong.

    A label names a region when it is a known one or a heading-shaped block
    of the same bulletin: the one fact here that needs the whole text.
    """
    items = split.blocks
    heading = [not item.bullet and is_heading_shaped(item.text) for item in items]
    regions = KNOWN_REGIONS | {
        item.text.casefold() for item, shaped in zip(items, heading, strict=True) if shaped
    }
    made: list[Shaped] = []
    for item, shaped in zip(items, heading, strict=True):
        if _LABEL.match(item.text) is None:  # most blocks: no label to split off
            kinds = shapes(item.text, bullet=item.bullet, heading=shaped)
            made.append(Shaped.of(item, item.text, item.first.number, item.first.column, kinds))
        else:
            made.extend(_labelled(item, regions, shaped))
    return Lexed(tuple(made), split.diagnostics)


def lex(text: str) -> Lexed:
    """Split normalised bulletin text (``\\n`` line ends, no BOM) into block tokens."""
    return tokens(blocks(text))
