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
from typing import NamedTuple

from lark import Token

from prayerdoc.alphabet import DASHES, DOUBLE_QUOTES, KNOWN_REGIONS, SPACES, bullet_end
from prayerdoc.blocks import Block, Blocks, blocks, dash_line, dash_reference, reference_start
from prayerdoc.classify import LABEL, asks, is_heading_shaped
from prayerdoc.dates import parse_date_line
from prayerdoc.diagnostics import Diagnostic

__all__ = ["PLAIN", "Lexed", "Shaped", "lex", "plain", "shapes", "tokens"]


#: The last shape of every block but a bullet: ASK or TEXT, told apart (:func:`plain`)
#: only when the parser gets that far. The search for asking words runs over the
#: whole block, the costliest test here, and most blocks are taken before it: a
#: heading, a date, the verse and its reference.
PLAIN = "PLAIN"

_BULLET: tuple[str, ...] = ("BULLET",)
_ANY_BLOCK = ("LINE", PLAIN)  # a header line, whatever else it is; and a paragraph
_LABEL_END = 41  # a label's colon stands at index 40 at the latest
_WORD = re.compile(r"\w")
_MARKS = DOUBLE_QUOTES + SPACES


class Shaped(Token):
    """A block's token: typed by its first shape, with every shape and the block it stands for.

    ``block`` lets a place inside a wrapped block (a reference on the second
    line of its block) map back to its own line. ``as_labels`` is the block read
    as region labels and the paragraph after them (``Africa: Pray …``), which
    the parser takes instead where a LABEL can stand: in the body.
    """

    __slots__ = ("as_labels", "block", "shapes")
    block: Block | None
    shapes: tuple[str, ...]
    as_labels: tuple[Shaped, ...]

    @classmethod
    def of(
        cls, kinds: tuple[str, ...], line: int, column: int, text: str, block: Block | None = None
    ) -> Shaped:
        """A token of ``text``, placed at ``line``:``column``, typed by the first of ``kinds``."""
        # Made field by field: Token's own constructor costs four times as much,
        # and there is one token a block.
        token = str.__new__(cls, text)
        token.type, token.value, token.line, token.column = kinds[0], text, line, column
        token.start_pos = token.end_line = token.end_column = token.end_pos = None
        token.block, token.shapes, token.as_labels = block, kinds, ()
        return token


class Lexed(NamedTuple):
    """One token per block and what the blocks stage found wrong."""

    tokens: tuple[Shaped, ...]
    diagnostics: tuple[Diagnostic, ...]


def shapes(text: str, *, bullet: bool, heading: bool, continues: bool = False) -> tuple[str, ...]:
    """The terminals a block of ``text`` may be, most telling first; the last is always PLAIN.

    ``heading``: whether the block is heading-shaped, which the caller knows
    already. ``continues``: whether it follows the block above with no blank
    line between them (a mailing-list copy's next line): only such a block
    can go on with a quotation a block above opened, so its text is RUN, and
    RUN_CLOSE when it closes a quotation.
    """
    if bullet:
        return _BULLET
    found: list[str] = []
    first, last = text[0], text[-1]
    if first in DASHES:  # "--" too: the hyphen is a dash
        if reference_start(text) is not None:
            found.append("REFERENCE")
        elif dash_line(text):
            found.append("DASH")
    opens, closes = first in DOUBLE_QUOTES, last in DOUBLE_QUOTES
    if (opens or closes) and not text.strip(_MARKS):
        opens = closes = False  # quotation marks with nothing between them hold no verse
    if last.isdigit():  # as every date line does: most blocks need not be read as one
        shaped, date = parse_date_line(text)
        if shaped:
            found.append("DATE" if date is not None else "BAD_DATE")
    if opens:
        found.append("QUOTED" if closes else "OPEN_QUOTE")
    if closes and continues:
        found.append("RUN_CLOSE")  # it may close a quotation opened above it
    if heading:
        found.append("HEADING")
    if continues:
        found.append("RUN")
    found += _ANY_BLOCK
    return tuple(found)


def plain(text: str) -> str:
    """A block's terminal when read as a paragraph: ASK when it asks for prayer, praise or
    thanks anywhere in it, else TEXT."""
    return "ASK" if asks(text) else "TEXT"


def _last_word(text: str) -> int:
    """Index of the last word character of ``text``, or -1."""
    found = _WORD.search(text[::-1])
    return -1 if found is None else len(text) - 1 - found.start()


def _labelled(item: Block, headings: set[str]) -> tuple[Shaped, ...]:
    """``Africa: Pray …`` (a region as its label) as a LABEL and the rest; () for no label.

    Labels are split off one after another (``Africa: Kenya: …``), so that no
    paragraph is left starting with one; the rest is the label's paragraph,
    never a heading.
    """
    text, start, bullet = item.text, 0, item.bullet
    split: list[Shaped] = []
    # A label needs a word after it; where the last word ends is found once,
    # so that a line of a million labels is scanned once, not once per label.
    last_word = _last_word(text)
    while (match := LABEL.match(text, start)) is not None and match.end() <= last_word:
        label = match.group(1).strip()
        # Heading-shaped too, so that the label reads back as a heading on its own line.
        named = label.casefold()
        if (named not in KNOWN_REGIONS and named not in headings) or not is_heading_shaped(label):
            break
        at = item.place(start)
        split.append(Shaped.of(("LABEL", "HEADING"), at.number, at.column, label))
        start = match.end()
        glyph = bullet_end(text, start)  # "Africa: • Pray …"
        if glyph is not None and not dash_reference(text, start):
            start, bullet = glyph, True  # a word follows the label, so the bullet has text
    if not split:
        return ()
    rest = item.rest(start, bullet=bullet)
    kinds = shapes(rest.text, bullet=bullet, heading=False)
    return (*split, Shaped.of(kinds, rest.first.number, rest.first.column, rest.text, rest))


def tokens(split: Blocks) -> Lexed:
    """One token per block, with its shapes, and what the blocks stage found wrong.

    A label names a region when it is a known one or a heading-shaped block
    of the same bulletin: the one fact here that needs the whole text.
    """
    made: list[Shaped] = []
    heading: list[bool] = []
    labelled: list[int] = []  # the blocks that start like a label
    for item in split.blocks:
        text = item.text
        if item.bullet:
            shaped, kinds = False, _BULLET
        else:
            shaped = is_heading_shaped(text)
            kinds = shapes(text, bullet=False, heading=shaped, continues=not item.opens_block)
        heading.append(shaped)
        first = item.first
        made.append(Shaped.of(kinds, first.number, first.column, text, item))
        # Most blocks have no colon where a label's would stand, and no label.
        if text.find(":", 0, _LABEL_END) >= 2 and LABEL.match(text) is not None:
            labelled.append(len(made) - 1)
    if labelled:
        shaped_ones = zip(made, heading, strict=True)
        headings = {token.value.casefold() for token, is_one in shaped_ones if is_one}
        for index in labelled:
            token = made[index]
            assert token.block is not None  # every token here is made from its block
            token.as_labels = _labelled(token.block, headings)
    return Lexed(tuple(made), split.diagnostics)


def lex(text: str) -> Lexed:
    """Split normalised bulletin text (``\\n`` line ends, no BOM) into block tokens."""
    return tokens(blocks(text))
