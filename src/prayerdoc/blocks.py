"""Text → blocks: the one stage that looks at neighbouring lines.

A block is a paragraph with its wrapped lines joined, a bullet, or a line of
its own (a title, a date, a heading, a reference line). Which lines belong
together depends on the lines around them: a blank line, an indent, a line
ending a sentence, a bullet glyph alone on the line above, whether the copy
separates its blocks with blank lines at all. Every later stage reads one
block at a time (see ``docs/format.md``, "Blocks first").

A reader of another format (Markdown, HTML, e-mail) that knows its own
paragraphs can skip this stage and hand :func:`prayerdoc._parser.parse_blocks`
blocks made with :meth:`Block.make`, each with its place in the source.
"""

from __future__ import annotations

import bisect
import functools
import re
from collections.abc import Callable
from typing import NamedTuple, cast

from prayerdoc import codes
from prayerdoc.alphabet import (
    ASCII_BULLETS,
    BULLETS,
    DASHES,
    LINE_ENDS,
    SPACES,
    TABLE_BORDER,
    TRAILERS,
    bullet_end,
    strip_table_leftover,
)
from prayerdoc.classify import is_heading_shaped
from prayerdoc.diagnostics import Diagnostic
from prayerdoc.scripture import is_reference

__all__ = ["Block", "Blocks", "Line", "blocks", "dash_line", "dash_reference", "reference_start"]

# A reference line: a dash (or two hyphens), then the reference.
_ATTRIBUTION = re.compile(rf"(?:--|[{re.escape(DASHES)}])[{SPACES}]*(?=\S)")
# A reference wraps over a line or two at most.
_REFERENCE_LINES = 3
_FILE_NAME = re.compile(r"\S[^/\\]{0,80}\.(?:jpe?g|png|gif|webp|heic|pdf)", re.IGNORECASE)
_GLYPHS = BULLETS + ASCII_BULLETS  # every bullet starts with one of these
_LONE_GLYPHS = frozenset(_GLYPHS)
_CLOSERS = TRAILERS + SPACES


class Line(NamedTuple):
    """A line's text without its indent, and where that text starts (from 1)."""

    number: int
    column: int
    text: str


# Line's own constructor, made by NamedTuple, costs four times as much as making
# the tuple directly, and the blocks stage makes one for every line of text.
_line = cast(Callable[[tuple[int, int, str]], Line], functools.partial(tuple.__new__, Line))


class Blocks(NamedTuple):
    """The blocks of one bulletin and what splitting its lines found wrong with it."""

    blocks: list[Block]
    diagnostics: tuple[Diagnostic, ...]


def dash_line(text: str) -> bool:
    """Whether ``text`` starts like a reference line: a dash, then more."""
    return _ATTRIBUTION.match(text) is not None


# A reference line is asked about by the block rules, the lexer and the builder in turn.
@functools.lru_cache(maxsize=4)
def reference_start(text: str) -> int | None:
    """Where the reference begins when ``text`` is a dash and a Bible reference, else None."""
    match = _ATTRIBUTION.match(text)
    if match is None or not is_reference(text[match.end() :]):
        return None
    return match.end()


def dash_reference(text: str, start: int = 0) -> bool:
    """Whether ``text`` from ``start`` is ``-`` and a reference: ``- Micah 6:8`` is a
    reference line, not a bullet, wherever it stands."""
    return text.startswith("-", start) and reference_start(text[start:]) is not None


def _split_lines(text: str, found: list[Diagnostic]) -> tuple[list[Line | None], bool]:
    """Each line without its indent and trailing space, None for a blank one or one
    of table leftovers only; and whether the copy puts blank lines between its blocks.

    Web copies do; a copy with at most one gap (often just under the verse) is a
    mailing-list copy, a block per line. Lines of table leftovers end a block as
    a blank line does, but they are what is left of a mailing-list copy's table,
    so they are no gaps.
    """
    if "\t" in text:  # a tab is a space inside a line, and white space around one
        text = text.replace("\t", " ")
    lines: list[Line | None] = []
    gaps = 0
    blank = False  # a blank line below a line of text, counted once text follows it
    for number, raw in enumerate(text.split("\n"), start=1):
        stripped = raw.rstrip()
        if not stripped:  # about half the lines of a bulletin: decided first
            blank = blank or (bool(lines) and lines[-1] is not None)
            lines.append(None)
            continue
        if stripped[-1] == TABLE_BORDER:
            stripped, leftover = strip_table_leftover(stripped)
            if leftover is not None:
                found.append(codes.TABLE_LEFTOVER.at(number, leftover))
        content = stripped.lstrip()
        if content:
            gaps, blank = gaps + blank, False
            lines.append(_line((number, len(stripped) - len(content) + 1, content)))
        else:
            lines.append(None)
    return lines, gaps >= 2


def _ends_sentence(text: str) -> bool:
    body = text.rstrip(_CLOSERS)
    return not body or body[-1] in LINE_ENDS


def _bullet(line: Line) -> Line | None:
    end = bullet_end(line.text)
    # A bullet needs text (a lone glyph's text is on the next line).
    if end is None or end == len(line.text):
        return None
    return _line((line.number, line.column + end, line.text[end:]))


class Block:
    """One paragraph, bullet or line of its own, with its wrapped lines joined.

    Every decision after this stage is made on blocks, never on physical lines,
    so that the canonical layout, which writes each block on a line of its own,
    reads back exactly as the text it was made from.
    """

    # A plain class: generating an attrs class costs several times as much at every start.
    __slots__ = ("bullet", "first", "opens_block", "parts", "wraps")

    def __init__(
        self,
        first: Line,
        parts: list[str],
        bullet: bool,
        opens_block: bool,  # a blank line, or the start of the text, stands above it
        wraps: list[tuple[int, Line]] | None = None,
    ) -> None:
        self.first, self.parts, self.bullet, self.opens_block = first, parts, bullet, opens_block
        # Each wrapped line after the first: where its text starts in the joined
        # text, and in the source, so that a place in the block maps back to a line.
        self.wraps: list[tuple[int, Line]] = [] if wraps is None else wraps

    def __repr__(self) -> str:
        return f"Block({self.first!r}, {self.parts!r}, bullet={self.bullet})"

    @property
    def text(self) -> str:
        # Joined once the block is complete: "text" is read many times after.
        if len(self.parts) > 1:
            self.parts[:] = [" ".join(self.parts)]
        return self.parts[0]

    @classmethod
    def make(
        cls, text: str, line: int, column: int, *, bullet: bool = False, opens: bool = True
    ) -> Block:
        """A block of one line of ``text`` (glyph removed, if a bullet) at its source place.

        ``opens`` says whether a blank line (or the start) stands above it.
        """
        return cls(Line(line, column, text), [text], bullet, opens)

    @property
    def at(self) -> Line:
        return Line(self.first.number, self.first.column, self.text)

    def wrap(self, line: Line) -> None:
        """Continue the block with ``line``, joined to it by one space."""
        last = self.wraps[-1] if self.wraps else (0, self.first)
        self.wraps.append((last[0] + len(last[1].text) + 1, line))
        self.parts.append(line.text)

    def place(self, offset: int) -> Line:
        """The source line and column of character ``offset`` of the joined text."""
        start, line = 0, self.first
        for wrap_start, wrap in self.wraps:
            if wrap_start > offset:
                break
            start, line = wrap_start, wrap
        return _line((line.number, line.column + offset - start, line.text))

    def rest(self, offset: int, *, bullet: bool) -> Block:
        """The block from ``offset`` of its text on, keeping where each wrapped line starts."""
        first = self.place(offset)
        wraps = [(at - offset, line) for at, line in self.wraps if at > offset]
        text = self.text[offset:]
        return Block(Line(first.number, first.column, text), [text], bullet, False, wraps=wraps)


# A mail program wraps at 72 to 80 columns; a copy with a line longer than this
# was not wrapped by one.
_MAIL_WIDTH = 100


class _Widths(NamedTuple):
    """How wide a copy's lines run, to tell a hard wrap from a line of its own."""

    #: The median length of the lines longer than 40 characters: about 65 in a
    #: copy wrapped at 72 columns, hundreds in a copy with a paragraph a line.
    #: The median, so that one line left unwrapped (an address) does not count.
    usual: int
    #: The column a mail program wrapped the copy at: its longest line within
    #: 100 characters, where a few lines are long and nearly all of them fit
    #: (a verse or an address may be left unwrapped). Else None.
    wrapped_at: int | None

    @classmethod
    def of(cls, lines: list[Line | None]) -> _Widths:
        long = sorted(n for line in lines if line is not None and (n := len(line.text)) > 40)
        fit = bisect.bisect_right(long, _MAIL_WIDTH)
        wrapped = len(long) >= 3 and 5 * (len(long) - fit) <= len(long)
        return cls(long[len(long) // 2] if long else 0, long[fit - 1] if wrapped else None)

    def fill(self, before: str, line: str) -> int:
        """How long ``before`` would be with the first word of ``line`` after it."""
        word = line.find(" ")
        return len(before) + 1 + (len(line) if word < 0 else word)


def _continues(item: Block, line: Line, separated: bool, widths: _Widths) -> bool:
    """Whether ``line`` continues ``item`` (a hard wrap) rather than starting a block."""
    # A reference wraps over a line or two at most; looking no further keeps
    # a long run of dash lines linear.
    if (
        len(item.parts) <= _REFERENCE_LINES
        and item.parts[0][0] in DASHES
        and reference_start(" ".join(item.parts)) is not None
    ):
        return False  # the reference line ends its block
    if line.text[0] in DASHES and reference_start(line.text) is not None:
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
    # A wrap leaves its line filled: the next word would not have fitted. By
    # hand, lines are less even, so three quarters of the usual width will do.
    fill = widths.fill(item.parts[-1], line.text)
    filled = 4 * fill >= 3 * widths.usual
    if separated:
        # Copies with blank lines between blocks wrap inside them, unless a short
        # line ends a sentence (a paragraph ending before the next with no gap).
        return filled or not ended
    # Copies without any blank line put each block on a line of its own and wrap
    # mid-sentence at a filled line (not at a church's name above the title), or
    # after a full stop where the next word would not have fitted in the column
    # a mail program wrapped the copy at.
    wrapped = widths.wrapped_at is not None and fill > widths.wrapped_at
    return filled and (not ended or wrapped)


def _blocks(lines: list[Line | None], separated: bool) -> list[Block]:
    widths: _Widths | None = None  # measured once a line may continue another: often never
    items: list[Block] = []
    current: Block | None = None
    opens = True
    glyph = False  # a bullet glyph alone on the line before: its text is on this line
    for line in lines:
        if line is None:
            current, glyph, opens = None, False, True
            continue
        text = line.text
        if text[0] in _GLYPHS:
            bullet = line if glyph else _bullet(line)
            if bullet is not None and dash_reference(text):
                bullet = None
            glyph = len(text) == 1 and text in _LONE_GLYPHS
        else:  # most lines start with no glyph: no pattern need be tried
            bullet, glyph = line if glyph else None, False
        if glyph:
            current = None
            continue
        if bullet is not None:
            current = Block(bullet, [bullet.text], True, opens)
            items.append(current)
        elif current is not None and _continues(
            current, line, separated, widths := widths or _Widths.of(lines)
        ):
            current.wrap(line)
        else:
            current = Block(line, [text], False, opens)
            items.append(current)
        opens = False
    return items


def blocks(text: str) -> Blocks:
    """Split normalised bulletin text (``\\n`` line ends, no BOM) into blocks."""
    found: list[Diagnostic] = []
    return Blocks(_blocks(*_split_lines(text, found)), tuple(found))
