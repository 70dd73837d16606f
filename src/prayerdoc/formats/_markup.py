"""Marked-up documents as bulletin text: what the Markdown, HTML and e-mail readers share.

A reader finds the blocks a person sees (headings, paragraphs with their line
breaks, list items, block quotes), each piece of text with its offset in the
source, and hands them to a :class:`Blocks`. Rendering writes those blocks in
the canonical text layout (docs/format.md): a list item as a bullet, every
other block as its lines, one blank line between blocks. The text parser then
reads that text like any bulletin, so the rules that make a bulletin out of
blocks live in one place only, and every finding it reports is moved back to
the line and column of the source through the map kept while rendering.
"""

from __future__ import annotations

import bisect
import datetime
import enum
import re
from collections.abc import Callable, Iterable, Iterator
from typing import TypeVar

import attrs

from prayerdoc import codes
from prayerdoc._parser import parse_text
from prayerdoc.conservation import parse_keeping_words
from prayerdoc.diagnostics import Diagnostic, ParseError, Severity
from prayerdoc.model import Bulletin, Paragraph, Position, Request

__all__ = [
    "BLOCK_ELEMENTS",
    "BOLD_ELEMENTS",
    "HEADING_ELEMENTS",
    "Blocks",
    "Kind",
    "Reading",
    "SourceMap",
    "bulletin_of",
    "check_reading",
    "readers",
]

# HTML elements as a reader of HTML (a page, or HTML in Markdown) sees them.
#: Elements that start and end a block of text.
BLOCK_ELEMENTS = frozenset(
    "p div h1 h2 h3 h4 h5 h6 li dt dd blockquote pre figure figcaption table tr td th "
    "caption thead tbody tfoot section article header footer main address center hr ul ol dl "
    "details summary fieldset legend".split()
)
#: Headings: each one line.
HEADING_ELEMENTS = frozenset("h1 h2 h3 h4 h5 h6".split())
#: Bold text: a line wholly in it is a heading candidate.
BOLD_ELEMENTS = frozenset("b strong".split())

# HTML's white space; U+00A0 and the other Unicode spaces are content.
_SPACE = re.compile(r"[ \t\n\r\f]+")
_WORDS = re.compile(r"[^ \t\n\r\f]+")
_SPACES = frozenset(" \t\n\r\f")
_DOUBLE_QUOTES = frozenset('“"„«”')
_DASH_LINE = re.compile(r"[—–―-]{1,2}[ \u00a0]*\S")
# A finding quoting left-out text keeps it whole (no word goes missing), but a
# page of navigation should not flood the report.
_MAX_LEFT_OUT = 200


class Kind(enum.Enum):
    """How a block is written as bulletin text."""

    LINES = "lines"  # a paragraph or heading: each of its lines as given
    ITEM = "item"  # a list item: one bullet, its lines joined


# A word of a block: its text, its offset in the source, and whether it is bold.
_Word = tuple[str, int, bool]


@attrs.define
class _Block:
    kind: Kind
    quoted: bool
    lines: list[list[_Word]] = attrs.Factory(lambda: [[]])


def _split_bold_lines(block: _Block) -> Iterator[_Block]:
    """A paragraph's lines that are wholly bold stand alone: they are headings.

    Bold lines in a row stay together: they are a bold paragraph wrapped (a verse
    set in bold), not a heading each.
    """
    if block.kind is Kind.ITEM or len(block.lines) < 2:
        yield block
        return
    run: list[list[_Word]] = []
    bold_run = False
    for line in block.lines:
        bold = all(bold for _, _, bold in line)
        if run and bold != bold_run:
            yield _Block(block.kind, block.quoted, run)
            run = []
        run.append(line)
        bold_run = bold
    yield _Block(block.kind, block.quoted, run)


class Blocks:
    """Collects the visible blocks of a document, in order, with source offsets.

    ``text(piece, offset)`` adds words to the current block (a paragraph is
    opened when none is), ``line_break()`` starts a new line in it, and
    ``open()``/``close()`` start and end blocks. White space runs become one
    space, as a browser shows them.
    """

    def __init__(self) -> None:
        self._done: list[_Block] = []
        self._current: _Block | None = None
        self._heading = False
        self._glued = False  # the last piece ended inside a word
        #: Whether the blocks being read stand in a block quote.
        self.quoting = False

    def open(self, kind: Kind = Kind.LINES, *, heading: bool = False) -> None:
        """End the current block and start a new one; a heading is one line."""
        self.close()
        self._current = _Block(kind, self.quoting)
        self._heading = heading

    def close(self) -> None:
        """End the current block, if any."""
        block = self._current
        self._current = None
        if block is None:
            return
        block.lines = [line for line in block.lines if line]
        if not block.lines:
            return
        if self._heading:
            block.lines = [[word for line in block.lines for word in line]]
        self._done.extend(_split_bold_lines(block))

    def text(self, piece: str, offset: int, *, bold: bool = False) -> None:
        """Add ``piece``, which starts at ``offset`` in the source, to the current block.

        Pieces with no white space between them (``<b>Pray</b>ing``) make one word.
        """
        if self._current is None:
            self.open()
        assert self._current is not None
        line = self._current.lines[-1]
        words = [(word.group(), offset + word.start(), bold) for word in _WORDS.finditer(piece)]
        if words and line and self._glued and piece[0] not in _SPACES:
            word, start, was_bold = line.pop()
            words[0] = (word + words[0][0], start, was_bold and bold)
        line.extend(words)
        self._glued = bool(piece) and piece[-1] not in _SPACES

    def line_break(self) -> None:
        """Start a new line inside the current block (``<br>``, a soft or hard break).

        A break on a line left empty by the one before (``<br><br>``) shows a blank
        line, which parts paragraphs: a paragraph's block ends there and another
        begins. A list item or heading stays one block, as it is shown.
        """
        current = self._current
        self._glued = False
        if current is None:
            return
        if current.lines[-1]:
            current.lines.append([])
        elif len(current.lines) > 1 and current.kind is Kind.LINES and not self._heading:
            self.open()

    def pieces(self) -> list[tuple[str, int]]:
        """Each block's words as one piece of text, with the offset of its first word."""
        self.close()
        return [
            (" ".join(word for line in block.lines for word, _, _ in line), block.lines[0][0][1])
            for block in self._done
        ]

    def render(self, source: str, *, left_out: Iterable[tuple[str, int]] = ()) -> Reading:
        """The blocks as bulletin text, with the map back to ``source``.

        ``left_out`` is text a person sees that is not part of the bulletin
        (with its offset): each piece becomes a finding that quotes it.
        """
        self.close()
        rendered = _Renderer()
        for index, block in enumerate(self._done):
            if index:
                rendered.write("\n\n")
            rendered.block(block)
        rendered.write("\n")
        source_map = SourceMap(source, rendered.spans)
        notes = tuple(
            codes.LEFT_OUT.at(*source_map.place(offset), text=words)
            for words, offset in _merged(list(left_out))
        )
        return Reading("".join(rendered.parts), source_map, notes)


def _merged(left_out: list[tuple[str, int]]) -> Iterator[tuple[str, int]]:
    """Left-out pieces, at most ``_MAX_LEFT_OUT`` findings: the rest join the last one."""
    head = left_out[: _MAX_LEFT_OUT - 1]
    yield from head
    rest = left_out[_MAX_LEFT_OUT - 1 :]
    if rest:
        yield " ".join(words for words, _ in rest), rest[0][1]


class _Renderer:
    """Writes blocks as bulletin text and records, per rendered line, where its words came from."""

    def __init__(self) -> None:
        self.parts: list[str] = []
        # Per rendered line: (column in the line, 0-based; offset in the source) for each run.
        self.spans: list[list[tuple[int, int]]] = [[]]
        self._column = 0

    def write(self, text: str, offset: int | None = None) -> None:
        pieces = text.split("\n")
        for number, piece in enumerate(pieces):
            if number:
                self.spans.append([])
                self._column = 0
            if piece and offset is not None:
                spans = self.spans[-1]
                last = spans[-1] if spans else None
                # Words that follow each other in the source need no span of their own.
                if last is None or offset - last[1] != self._column - last[0]:
                    spans.append((self._column, offset))
            self._column += len(piece)
            self.parts.append(piece if number == 0 else "\n" + piece)

    def words(self, words: list[_Word]) -> None:
        for index, (word, offset, _) in enumerate(words):
            if index:
                self.write(" ")
            self.write(word, offset)

    def block(self, block: _Block) -> None:
        lines = [line for line in block.lines if line]
        if block.kind is Kind.ITEM:
            self.write("  • ")
            self.words([word for line in lines for word in line])
            return
        # A block quote *is* a quotation: a verse written without quote marks is
        # put in them, so that it reads as the verse even with no reference below
        # it; a reference line inside the quote stays outside them.
        quote = block.quoted and not _opens_quotation(lines[0][0][0])
        end = next((i for i, line in enumerate(lines) if _DASH_LINE.match(line[0][0] + " x")), 0)
        end = end or len(lines)
        for index, line in enumerate(lines):
            if index:
                self.write("\n")
            if quote and index == 0:
                self.write("“")
            self.words(line)
            if quote and index == end - 1:
                self.write("”")


def _opens_quotation(word: str) -> bool:
    return word[0] in _DOUBLE_QUOTES or _DASH_LINE.match(word + " x") is not None


class SourceMap:
    """From a place in the rendered text back to its line and column in the source."""

    def __init__(self, source: str, spans: list[list[tuple[int, int]]]) -> None:
        self._spans = spans
        self._starts = [0, *(match.end() for match in re.finditer("\n", source))]

    def place(self, offset: int) -> tuple[int, int]:
        """Line and column (from 1) of a source offset."""
        line = bisect.bisect_right(self._starts, offset)
        return line, offset - self._starts[line - 1] + 1

    def offset(self, line: int, column: int) -> int | None:
        """The source offset of a rendered line and column, or None for inserted text."""
        if not 1 <= line <= len(self._spans) or not self._spans[line - 1]:
            return None
        spans = self._spans[line - 1]
        index = max(bisect.bisect_right(spans, (column - 1, 1 << 62)) - 1, 0)
        start, offset = spans[index]
        return offset + max(column - 1 - start, 0)

    def back(self, line: int, column: int) -> tuple[int, int]:
        """The source line and column of a rendered line and column."""
        offset = self.offset(line, column)
        if offset is None:
            # Inserted text (a bullet glyph, a blank line): the next text there is.
            later = next((s[0][1] for s in self._spans[line:] if s), None)
            return self.place(later) if later is not None else (1, 1)
        return self.place(offset)


@attrs.frozen
class Reading:
    """A document read as bulletin text: the text, the map back, and the reader's own findings.

    ``part`` names the part of a message the positions count in, and ``date``
    is the day the message was sent, the bulletin's date only when its text
    gives none (for e-mail); ``date_line`` is the line of the message where its
    ``Date:`` header stands.
    """

    text: str
    source_map: SourceMap | None
    notes: tuple[Diagnostic, ...] = ()
    part: str | None = None
    date: datetime.date | None = None
    date_line: int = 1

    def dated(self, bulletin: Bulletin | None) -> tuple[Diagnostic, ...]:
        """The finding that the message's date stands in for the bulletin's, if it does.

        It is placed at the ``Date:`` header, in the message itself rather than in
        the decoded part the other findings count in: that header is what it is about.
        """
        if bulletin is None or bulletin.date is not None or self.date is None:
            return ()
        return (codes.DATE_FROM_MESSAGE.at(self.date_line, 1, date=self.date.isoformat()),)

    def moved(self, diagnostic: Diagnostic) -> Diagnostic:
        """A finding about the rendered text, placed in the source."""
        line, column = diagnostic.line, diagnostic.column
        end_line, end_column = diagnostic.end_line, diagnostic.end_column
        if self.source_map is not None:
            line, column = self.source_map.back(line, column)
            if end_line is not None and end_column is not None:
                end = self.source_map.back(end_line, end_column - 1)
                end_line, end_column = end[0], end[1] + 1
        return attrs.evolve(
            self.named(diagnostic),
            line=line,
            column=column,
            end_line=end_line,
            end_column=end_column,
        )

    def named(self, diagnostic: Diagnostic) -> Diagnostic:
        """A finding whose message names the part of a message its position counts in."""
        if self.part is None:
            return diagnostic
        where = f"line and column in the message's decoded {self.part} part"
        return attrs.evolve(diagnostic, message=f"{diagnostic.message} ({where})")

    def position(self, position: Position | None) -> Position | None:
        """A model position in the rendered text, moved to the source."""
        if position is None or self.source_map is None:
            return position
        return Position(*self.source_map.back(position.line, position.column))


_Positioned = TypeVar("_Positioned", Paragraph, Request)


def _relocated(bulletin: Bulletin, reading: Reading) -> Bulletin:
    """The bulletin with every position moved from the rendered text to the source."""
    where = reading.position

    def each(items: Iterable[_Positioned]) -> list[_Positioned]:
        return [attrs.evolve(item, position=where(item.position)) for item in items]

    epigraph = bulletin.epigraph
    if epigraph is not None:
        reference = epigraph.reference
        if reference is not None:
            reference = attrs.evolve(reference, position=where(reference.position))
        epigraph = attrs.evolve(epigraph, reference=reference, position=where(epigraph.position))
    sections = [
        attrs.evolve(
            section,
            intro=each(section.intro),
            requests=each(section.requests),
            position=where(section.position),
        )
        for section in bulletin.sections
    ]
    return attrs.evolve(
        bulletin,
        preamble=each(bulletin.preamble),
        epigraph=epigraph,
        sections=sections,
        position=where(bulletin.position),
    )


def bulletin_of(reading: Reading, *, source: str) -> tuple[Bulletin, tuple[Diagnostic, ...]]:
    """Parse a reading; the bulletin (positions in the source) and every finding of the parse.

    Raises :class:`ParseError`, with positions in the source, when no bulletin
    can be built or when a word of the text would not be kept.
    """
    errors = [note for note in reading.notes if note.severity is Severity.ERROR]
    if errors:
        raise ParseError(errors, source=source)
    parsed = parse_keeping_words(reading.text)
    dated = reading.dated(parsed.bulletin)
    found = reading.notes + dated + tuple(reading.moved(d) for d in parsed.diagnostics)
    if parsed.bulletin is None:
        raise ParseError(found, source=source)
    bulletin = _relocated(parsed.bulletin, reading)
    if dated:
        bulletin = attrs.evolve(bulletin, date=reading.date)
    return bulletin, found


def check_reading(reading: Reading) -> list[Diagnostic]:
    """Every finding about a reading, placed in the source: the reader's and the checks'."""
    from prayerdoc.checks import check_text

    errors = [note for note in reading.notes if note.severity is Severity.ERROR]
    if errors:
        return errors
    found = [reading.moved(d) for d in check_text(reading.text, max_bytes=None)]
    if reading.date is not None:
        found += reading.dated(parse_text(reading.text).bulletin)
    return sorted([*reading.notes, *found], key=lambda d: (d.line, d.column, d.code))


def readers(
    read: Callable[..., Reading], document: str
) -> tuple[Callable[..., Bulletin], Callable[..., list[Diagnostic]]]:
    """``loads`` and ``check`` of a format whose ``read(data, *, encoding)`` gives a
    :class:`Reading`: every such format builds and checks its bulletin the same way.

    ``document`` names what the format holds (``an HTML page``) in their docstrings.
    """

    def loads(
        data: str | bytes, *, source: str = "<string>", encoding: str | None = None
    ) -> Bulletin:
        bulletin, _ = bulletin_of(read(data, encoding=encoding), source=source)
        return bulletin

    def check(data: str | bytes, *, encoding: str | None = None) -> list[Diagnostic]:
        return check_reading(read(data, encoding=encoding))

    loads.__doc__ = (
        f"The bulletin in {document}; :class:`~prayerdoc.ParseError` when there is none."
    )
    check.__doc__ = f"Every finding about the bulletin in {document}, placed where it stands."
    return loads, check
