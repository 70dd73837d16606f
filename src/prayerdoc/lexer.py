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

import attrs
from lark import Token

from prayerdoc.alphabet import DASHES, DOUBLE_QUOTES, KNOWN_REGIONS, SPACES, bullet_end
from prayerdoc.blocks import Block, Blocks, Line, blocks, dash_line, reference_start
from prayerdoc.classify import asks, is_heading_shaped
from prayerdoc.dates import parse_date_line
from prayerdoc.diagnostics import Diagnostic

__all__ = ["Lexed", "lex", "shapes", "tokens"]


_LABEL = re.compile(rf"([^:]{{2,40}}):[{SPACES}]+")
_WORD = re.compile(r"\w")


@attrs.frozen
class Lexed:
    """One token per block (typed by its first shape), every block's shapes, and findings.

    ``blocks`` are the blocks the tokens were made from, one each, so that a
    place inside a wrapped block (a reference on the second line of its
    block) maps back to its own line.
    """

    tokens: tuple[Token, ...]
    shapes: tuple[tuple[str, ...], ...]
    blocks: tuple[Block, ...]
    diagnostics: tuple[Diagnostic, ...]


def shapes(text: str, *, bullet: bool) -> tuple[str, ...]:
    """The terminals a block of ``text`` may be, most telling first; the last is always text."""
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
    opens, closes = text[0] in DOUBLE_QUOTES, text[-1] in DOUBLE_QUOTES
    if opens and closes and len(text) > 1:
        found.append("QUOTED")
    elif opens:
        found.append("OPEN_QUOTE")
    elif closes:
        found.append("CLOSE_QUOTE")
    if is_heading_shaped(text):
        found.append("HEADING")
    found.append("ASK" if asks(text) else "TEXT")
    return tuple(found)


def _last_word(text: str) -> int:
    """Index of the last word character of ``text``, or -1."""
    found = _WORD.search(text[::-1])
    return -1 if found is None else len(text) - 1 - found.start()


def _split_labels(items: list[Block]) -> list[Block]:
    """``Africa: Pray …`` as a label block and the rest, when the label names a region.

    Labels are split off one after another (``Africa: Kenya: …``), so that no
    paragraph is left starting with one. A region is a known one or a
    heading-shaped block of the same bulletin.
    """
    headings = KNOWN_REGIONS | {
        item.text.casefold() for item in items if not item.bullet and is_heading_shaped(item.text)
    }
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
            split.append(Block(at, [label], False, item.opens_block and not start, label=True))
            start = match.end()
            glyph = bullet_end(text, start)  # "Africa: • Pray …"
            if glyph is not None:
                start, bullet = glyph, True  # a word follows the label, so the bullet has text
        if start == 0:
            split.append(item)
        else:
            split.append(item.rest(start, bullet=bullet))
            split[-1].after_label = True  # its paragraph, never a heading
    return split


def tokens(split: Blocks) -> Lexed:
    """One token per block and its shapes, with what the blocks stage found wrong."""
    items = tuple(_split_labels(split.blocks))
    kinds = tuple(
        ("LABEL", "HEADING")
        if item.label
        else tuple(
            kind
            for kind in shapes(item.text, bullet=item.bullet)
            if not (item.after_label and kind == "HEADING")
        )
        for item in items
    )
    made = tuple(
        Token(kind[0], item.text, line=item.first.number, column=item.first.column)
        for item, kind in zip(items, kinds, strict=True)
    )
    return Lexed(made, kinds, items, split.diagnostics)


def lex(text: str) -> Lexed:
    """Split normalised bulletin text (``\\n`` line ends, no BOM) into block tokens."""
    return tokens(blocks(text))
