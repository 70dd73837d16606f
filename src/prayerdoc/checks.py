"""The checks behind ``prayerdoc check``: one plain function per rule, listed in :data:`CHECKS`.

Each check reads a :class:`Document` (the normalised text, its lines, and the
bulletin when one could be built) and yields findings; none of them raises on
purpose, and :func:`check_text` turns any accident into a finding too, so
checking never raises. Structure and scripture findings are errors; typography
and content findings are warnings (see :mod:`prayerdoc.codes`).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator
from typing import NamedTuple

import attrs

from prayerdoc import codes
from prayerdoc.alphabet import (
    ASCII_BULLETS,
    BULLETS,
    CLOSING_QUOTES,
    DASHES,
    DOUBLE_QUOTES,
    LINE_ENDS,
    OPENING_QUOTES,
    QUOTES,
    SENTENCE_ENDS,
    SINGLE_QUOTES,
    SPACES,
    STRAIGHT_QUOTES,
    TRAILERS,
    bullet_end,
)
from prayerdoc.classify import asks
from prayerdoc.conservation import parse_keeping_words
from prayerdoc.diagnostics import Diagnostic
from prayerdoc.model import Bulletin, Position, ScriptureRef
from prayerdoc.scripture import problems
from prayerdoc.source import DEFAULT_MAX_BYTES, normalise, text_of

__all__ = ["CHECKS", "Document", "check_file", "check_text"]

# A file of random bytes could otherwise yield a finding per character.
_MAX_FINDINGS_PER_CHECK = 100


class Document(NamedTuple):
    """What the checks read: the normalised text, its lines, and the parse."""

    text: str
    lines: tuple[str, ...]
    bulletin: Bulletin | None
    parse_diagnostics: tuple[Diagnostic, ...]

    def codes_found(self) -> frozenset[str]:
        """The codes the parse itself reported."""
        return frozenset(d.code for d in self.parse_diagnostics)


def _line_start(document: Document, line: int) -> int:
    """Column of the first character of ``line`` that is not white space."""
    text = document.lines[line - 1] if 1 <= line <= len(document.lines) else ""
    return len(text) - len(text.lstrip()) + 1


# Structure ----------------------------------------------------------------


def missing_verse(document: Document) -> Iterator[Diagnostic]:
    """PD101: a bulletin with no epigraph at all."""
    bulletin = document.bulletin
    if bulletin is None or bulletin.epigraph is not None:
        return
    first = next((s.position for s in bulletin.sections if s.position is not None), None)
    line = first.line if first is not None else 1
    yield codes.MISSING_VERSE.at(line, _line_start(document, line))


def missing_reference(document: Document) -> Iterator[Diagnostic]:
    """PD102: a verse with no reference line (a malformed one is PD201 instead)."""
    bulletin = document.bulletin
    if bulletin is None or bulletin.epigraph is None:
        return
    epigraph = bulletin.epigraph
    if epigraph.reference is not None or codes.MALFORMED_REFERENCE.code in document.codes_found():
        return
    where = epigraph.position or Position(1, 1)
    yield codes.MISSING_REFERENCE.at(where.line, where.column)


def reference_without_verse(document: Document) -> Iterator[Diagnostic]:
    """PD103: a reference line with no verse above it."""
    bulletin = document.bulletin
    if bulletin is None or bulletin.epigraph is None or bulletin.epigraph.text:
        return
    where = bulletin.epigraph.position or Position(1, 1)
    # Point at the dash that starts the line, not at the reference after it.
    yield codes.REFERENCE_WITHOUT_VERSE.at(where.line, _line_start(document, where.line))


def empty_section(document: Document) -> Iterator[Diagnostic]:
    """PD104: a heading with no request under it (intro paragraphs alone do not count)."""
    if document.bulletin is None:
        return
    for section in document.bulletin.sections:
        if section.heading is None or section.requests or section.position is None:
            continue
        where = section.position
        yield codes.EMPTY_SECTION.at(
            where.line,
            where.column,
            where.line,
            where.column + len(section.heading),
            heading=section.heading,
        )


# Scripture ----------------------------------------------------------------


_SCRIPTURE_RULES = {
    rule.name: rule
    for rule in (
        codes.UNKNOWN_BOOK,
        codes.NO_SUCH_CHAPTER,
        codes.NO_SUCH_VERSE,
        codes.REVERSED_PASSAGE,
    )
}


def scripture_reference(document: Document) -> Iterator[Diagnostic]:
    """PD202-PD205: an unknown book, a chapter or verse that does not exist, a reversed passage.

    Each passage of the reference is checked on its own so that a finding
    points at the passage it is about (``Micah 6:8; 9:1`` → the ``9:1``).
    """
    bulletin = document.bulletin
    if bulletin is None or bulletin.epigraph is None or bulletin.epigraph.reference is None:
        return
    reference = bulletin.epigraph.reference
    said: set[str] = set()
    for passage in (reference, *reference.also):
        single: ScriptureRef = attrs.evolve(passage, also=())
        where = passage.position or reference.position or Position(1, 1)
        for problem in problems(single):
            if problem.message in said:
                continue  # "Hezekiah 3:1; 4:2" names the unknown book once
            said.add(problem.message)
            yield _SCRIPTURE_RULES[problem.kind].at(
                where.line,
                where.column,
                where.line,
                where.column + len(passage.text),
                message=problem.message,
            )


# Typography ---------------------------------------------------------------

_OPENING_DOUBLE = "".join(mark for mark in OPENING_QUOTES if mark in DOUBLE_QUOTES)
_CLOSING_DOUBLE = "".join(mark for mark in CLOSING_QUOTES if mark in DOUBLE_QUOTES)
_OPENING_SINGLE = "".join(mark for mark in OPENING_QUOTES if mark in SINGLE_QUOTES)
_OPENERS = OPENING_QUOTES + STRAIGHT_QUOTES
_BOUNDARY_BEFORE = SPACES + "\t([{/" + DASHES


class _Quote(NamedTuple):
    mark: str
    double: bool
    line: int
    column: int


# Only these characters are looked at; the rest of a line is skipped in C.
_QUOTE_MARK = re.compile(f"[{re.escape(QUOTES)}]")


def _is_word(char: str) -> bool:
    return char.isalnum()


def _quote_events(line_number: int, line: str) -> Iterator[tuple[str, _Quote]]:
    """("open" | "close" | "reversed-open" | "reversed-close", quote) for each quotation mark.

    Apostrophes (``God’s``, ``can't``) are not quotation marks and yield nothing;
    a closing single quote that might be an apostrophe (``boys’``) yields
    ``maybe-close``, and the caller decides by whether a single quote is open.
    """
    for match in _QUOTE_MARK.finditer(line):
        index, char = match.start(), match.group()
        before = line[index - 1] if index > 0 else " "
        after = line[index + 1] if index + 1 < len(line) else " "
        quote = _Quote(char, char in DOUBLE_QUOTES, line_number, index + 1)
        starts = before in _BOUNDARY_BEFORE or before in _OPENERS or before.isspace()
        if char in _OPENING_DOUBLE:
            if char == "“" and _is_word(before) and not _is_word(after):
                yield "reversed-close", quote  # word“ — a closing quote drawn as an opening one
            else:
                yield "open", quote
        elif char in _CLOSING_DOUBLE:
            if char == "”" and starts and _is_word(after):
                yield "reversed-open", quote  # ”Word — an opening quote drawn as a closing one
            else:
                yield "close", quote
        elif char == '"':
            yield ("open" if starts and not after.isspace() else "close"), quote
        elif char in _OPENING_SINGLE:
            yield "open", quote
        elif char in "’'":
            if _is_word(before) and _is_word(after):
                continue  # an apostrophe inside a word
            if char == "'" and starts and _is_word(after):
                yield "open", quote
            else:
                yield "maybe-close", quote
        else:
            yield "close", quote  # ›


def _blocks(lines: tuple[str, ...]) -> Iterator[list[tuple[int, str]]]:
    """Runs of lines a quotation can span: no blank line, no new bullet, between them."""
    block: list[tuple[int, str]] = []
    for number, line in enumerate(lines, start=1):
        stripped = line.strip()
        if not stripped or bullet_end(stripped) is not None:
            if block:
                yield block
            block = []
        if stripped:
            block.append((number, line))
    if block:
        yield block


def _name(quote: _Quote) -> str:
    return f"{quote.mark} (U+{ord(quote.mark):04X})" if quote.mark in "\"'" else quote.mark


def _quote_finding(quote: _Quote, message: str) -> Diagnostic:
    return codes.UNBALANCED_QUOTES.at(
        quote.line, quote.column, quote.line, quote.column + 1, message=message
    )


def _unclosed(quote: _Quote) -> Diagnostic:
    closer = "”" if quote.double else "’"
    return _quote_finding(
        quote, f"the quotation opened by {_name(quote)} is never closed; add {closer} where it ends"
    )


class _OpenQuotes:
    """The quotations open at a point, innermost last, with a count of each kind.

    The counts keep each step constant-time on a line made of quote marks.
    """

    def __init__(self) -> None:
        self.stack: list[_Quote] = []
        self.open = {True: 0, False: 0}  # by ``double``

    def push(self, quote: _Quote) -> None:
        self.stack.append(quote)
        self.open[quote.double] += 1

    def close(self, quote: _Quote) -> Iterator[Diagnostic]:
        """Match a closing quote with the innermost open quote of its kind."""
        if not self.open[quote.double]:
            opener = "“" if quote.double else "‘"
            yield _quote_finding(
                quote,
                f"the closing quote {_name(quote)} has no opening quote;"
                f" add {opener} where the quotation starts",
            )
            return
        while self.stack:
            inner = self.stack.pop()
            self.open[inner.double] -= 1
            if inner.double == quote.double:
                return
            yield _unclosed(inner)  # "“… ‘…”": the single quote was never closed


def _quotes_in_block(block: list[tuple[int, str]]) -> Iterator[Diagnostic]:
    quotes = _OpenQuotes()
    for number, line in block:
        for event, quote in _quote_events(number, line):
            if event == "reversed-open":
                yield _quote_finding(
                    quote, "” opens this quotation but is a closing quote; write “"
                )
                quotes.push(quote)
            elif event == "reversed-close":
                yield _quote_finding(
                    quote, "“ closes this quotation but is an opening quote; write ”"
                )
                yield from quotes.close(quote)
            elif event == "open":
                quotes.push(quote)
            elif event == "close" or quotes.open[False]:
                # A maybe-close is a closing quote only while a single quote is open.
                yield from quotes.close(quote)
    for quote in quotes.stack:
        yield _unclosed(quote)


def unbalanced_quotes(document: Document) -> Iterator[Diagnostic]:
    """PD301: a quotation mark with no partner, or one drawn the wrong way round."""
    for block in _blocks(document.lines):
        yield from _quotes_in_block(block)


# "April.One": a sentence end glued to the next sentence. An upper-case letter
# before the stop (U.S., U.K.) or a lower-case one after it (e.g., ijm.org) is
# an abbreviation or an address, not a missing space.
_GLUED_SENTENCE = re.compile(
    rf"[a-z0-9][{re.escape(SENTENCE_ENDS)}][{re.escape(TRAILERS)}]*(?=[A-Z][a-z])"
)
# Looked for only around a glued sentence: compiled then, by re's own cache.
_ADDRESS = r"(?i)@|://|\bwww\.|\.(?:com|org|net)\b"


def _word_at(line: str, index: int, reach: int = 60) -> str:
    """The white-space-delimited word around ``index``, at most ``reach`` characters each way.

    The bound keeps the work linear on a long line with no spaces.
    """
    start = index
    while start > max(0, index - reach) and not line[start - 1].isspace():
        start -= 1
    end = index
    while end < min(len(line), index + reach) and not line[end].isspace():
        end += 1
    return line[start:end]


def missing_space(document: Document) -> Iterator[Diagnostic]:
    """PD302: no space after the end of a sentence (``April.One``)."""
    for number, line in enumerate(document.lines, start=1):
        for match in _GLUED_SENTENCE.finditer(line):
            word = _word_at(line, match.start())
            if re.search(_ADDRESS, word):
                continue
            stop = match.start() + 1
            yield codes.MISSING_SPACE.at(number, stop + 1, number, match.end() + 1, text=word[:60])


# " ..." and " …" are spaced ellipses and " .5" a decimal, so they are not reported.
_SPACE_BEFORE = re.compile(r"(?<=\S)[ \u00a0]+([,.;:!?])(?![.\d])")
# "… visit ." is the text of a removed link (PD401), whose fix is not to close the gap.
_LINK_TARGET = re.compile(r"\bvisit[ \u00a0]+\.", re.IGNORECASE)


def space_before_punctuation(document: Document) -> Iterator[Diagnostic]:
    """PD303: white space before ``, . ; : ! ?``."""
    for number, line in enumerate(document.lines, start=1):
        links = {match.end() for match in _LINK_TARGET.finditer(line)}
        for match in _SPACE_BEFORE.finditer(line):
            if match.end() in links:
                continue
            yield codes.SPACE_BEFORE_PUNCTUATION.at(
                number, match.start() + 1, number, match.end() + 1, char=match.group(1)
            )


def trailing_whitespace(document: Document) -> Iterator[Diagnostic]:
    """PD304: white space at the end of a line."""
    for number, line in enumerate(document.lines, start=1):
        kept = line.rstrip()
        if len(kept) < len(line):
            yield codes.TRAILING_WHITESPACE.at(number, len(kept) + 1, number, len(line) + 1)


_TABS = re.compile(r"\t+")


def tab(document: Document) -> Iterator[Diagnostic]:
    """PD305: tab characters (each run of tabs is one finding)."""
    for number, line in enumerate(document.lines, start=1):
        for match in _TABS.finditer(line):
            yield codes.TAB.at(number, match.start() + 1, number, match.end() + 1)


_STRAIGHT_APOSTROPHE = re.compile(r"(?<=[^\W_])'(?=[^\W_])")
# The curly marks are looked for only in a file with straight ones: compiled
# then, by re's own cache, not at every start.
_CURLY_APOSTROPHE = r"(?<=[^\W_])’(?=[^\W_])"


def _first(pattern: re.Pattern[str], lines: tuple[str, ...]) -> tuple[int, int] | None:
    for number, line in enumerate(lines, start=1):
        match = pattern.search(line)
        if match is not None:
            return number, match.start() + 1
    return None


_STRAIGHT_DOUBLE = re.compile('"')
_CURLY_DOUBLE = f"[{re.escape(DOUBLE_QUOTES.replace(STRAIGHT_QUOTES[0], ''))}]"


def mixed_quotes(document: Document) -> Iterator[Diagnostic]:
    """PD306: straight and curly double quotes, or apostrophes, in one file.

    Reported once per kind, at the first straight mark.
    """
    for kind, straight, curly in (
        ("double quotes", _STRAIGHT_DOUBLE, _CURLY_DOUBLE),
        ("apostrophes", _STRAIGHT_APOSTROPHE, _CURLY_APOSTROPHE),
    ):
        first = _first(straight, document.lines)
        if first is not None and _first(re.compile(curly), document.lines) is not None:
            line, column = first
            yield codes.MIXED_QUOTES.at(line, column, line, column + 1, kind=kind)


# Content ------------------------------------------------------------------

# Sentences that were the text of a link on the page a bulletin was copied from;
# they count only at the start of a sentence ("pray they learn more about" is prose).
# The bounded repeats keep the work linear on a long line without punctuation.
_LINK_SENTENCE = re.compile(
    r"(?:read (?:the )?(?:full|whole|entire) story"
    r"|read more(?: about\b[^.!?\n]{0,200}?)?(?: here)?"
    r"|learn more(?: about\b[^.!?\n]{0,200})?"
    r"|click here\b[^.!?\n]{0,200})"
    r"[ \u00a0]*[.!]",
    re.IGNORECASE,
)
_SENTENCE_BEFORE = frozenset(LINE_ENDS + TRAILERS)


def _starts_sentence(line: str, index: int, first: int) -> bool:
    """Whether ``index`` starts a sentence; ``first`` is the line's first non-space index.

    Looks back only over the spaces before ``index``, so that many matches on
    one long line stay linear.
    """
    at = index
    while at > first and line[at - 1] in " \u00a0\t":
        at -= 1
    if at == first:
        return True
    before = line[at - 1]
    if before in BULLETS or before in ASCII_BULLETS:
        return at - 1 == first  # only a bullet stands before it
    return before in _SENTENCE_BEFORE


def link_leftover(document: Document) -> Iterator[Diagnostic]:
    """PD401: the text of a removed link (``Read the full story.``, ``… visit .``)."""
    for number, line in enumerate(document.lines, start=1):
        first = len(line) - len(line.lstrip())
        found = [
            m for m in _LINK_SENTENCE.finditer(line) if _starts_sentence(line, m.start(), first)
        ]
        found.extend(_LINK_TARGET.finditer(line))
        for match in sorted(found, key=lambda m: m.start()):
            yield codes.LINK_LEFTOVER.at(
                number, match.start() + 1, number, match.end() + 1, text=match.group()
            )


def _request_key(text: str) -> str:
    return " ".join(text.casefold().split())


def duplicate_request(document: Document) -> Iterator[Diagnostic]:
    """PD402: a request whose words repeat an earlier one (ignoring case and spacing)."""
    if document.bulletin is None:
        return
    seen: dict[str, Position] = {}
    for request in document.bulletin.requests():
        key = _request_key(request.text)
        where = request.position or Position(1, 1)
        earlier = seen.setdefault(key, where)
        if earlier is not where:
            yield codes.DUPLICATE_REQUEST.at(where.line, where.column, earlier=earlier.line)


def no_prayer(document: Document) -> Iterator[Diagnostic]:
    """PD403: a request that asks for no prayer, praise or thanks."""
    if document.bulletin is None:
        return
    for request in document.bulletin.requests():
        if not asks(request.text):
            where = request.position or Position(1, 1)
            yield codes.NO_PRAYER.at(where.line, where.column)


Check = Callable[[Document], Iterable[Diagnostic]]

#: Every check, in catalogue order. The parse itself reports PD100, PD105-PD110,
#: PD199, PD201, PD404 and PD405.
CHECKS: tuple[Check, ...] = (
    missing_verse,
    missing_reference,
    reference_without_verse,
    empty_section,
    scripture_reference,
    unbalanced_quotes,
    missing_space,
    space_before_punctuation,
    trailing_whitespace,
    tab,
    mixed_quotes,
    link_leftover,
    duplicate_request,
    no_prayer,
)


def _run(check: Check, document: Document) -> list[Diagnostic]:
    try:
        found: list[Diagnostic] = []
        for diagnostic in check(document):
            if len(found) == _MAX_FINDINGS_PER_CHECK:
                break
            found.append(diagnostic)
        return found
    except Exception as error:  # a bug in one check must not hide the others
        return [codes.INTERNAL.at(1, 1, error=f"{check.__name__}: {error!r}")]


def _decoded(data: str | bytes, encoding: str | None, max_bytes: int | None) -> str | Diagnostic:
    if not isinstance(data, str | bytes):
        return codes.INTERNAL.at(1, 1, error=f"expected str or bytes, not {type(data).__name__}")
    return text_of(data, encoding=encoding, max_bytes=max_bytes)


def _sorted(found: Iterable[Diagnostic]) -> list[Diagnostic]:
    unique = dict.fromkeys(found)
    return sorted(unique, key=lambda d: (d.line, d.column, d.code))


def check_text(
    text: str | bytes,
    *,
    source: str = "<string>",
    encoding: str | None = None,
    max_bytes: int | None = DEFAULT_MAX_BYTES,
) -> list[Diagnostic]:
    """Every finding about a bulletin, sorted by (line, column, code). Never raises.

    ``text`` may be ``str`` or ``bytes`` (decoded as :func:`prayerdoc.parse`
    does); bytes that do not decode give one PD108 finding naming the byte
    offset. Each finding names ``source``, the input.
    """
    return [d.with_source(source) for d in _check(text, source, encoding, max_bytes)]


def check_file(
    path: str,
    *,
    source: str | None = None,
    encoding: str | None = None,
    max_bytes: int | None = DEFAULT_MAX_BYTES,
    only_regular: bool = False,
) -> list[Diagnostic] | OSError:
    """Every finding in the file at ``path`` (``-``: stdin), or the OSError that stops it.

    The file is read as ``source`` (default: ``path``) names it: a page or a
    message by its reader, which places findings in that file, anything else
    as bulletin text. ``only_regular`` refuses all but a regular file (see
    :func:`prayerdoc._io.read_text`).
    """
    from prayerdoc import formats
    from prayerdoc._io import read_bytes, read_text

    shown = path if source is None else source
    try:
        fmt = formats.from_path(shown)
        if fmt in formats.MARKED_UP:
            # A page names its own encoding: its reader decodes the bytes.
            data = read_bytes(path, max_bytes=max_bytes, only_regular=only_regular)
            if isinstance(data, Diagnostic):
                return [data.with_source(shown)]
            found = formats.module(fmt).check(data, encoding=encoding)
            return [diagnostic.with_source(shown) for diagnostic in found]
        text = read_text(path, encoding=encoding, max_bytes=max_bytes, only_regular=only_regular)
    except OSError as error:
        return error
    if isinstance(text, Diagnostic):
        return [text.with_source(shown)]
    return check_text(text, source=shown, max_bytes=None)


def _check(
    text: str | bytes, source: str, encoding: str | None, max_bytes: int | None
) -> list[Diagnostic]:
    try:
        decoded = _decoded(text, encoding, max_bytes)
        if isinstance(decoded, Diagnostic):
            return [decoded]
        normalised = normalise(decoded)
        parsed = parse_keeping_words(normalised)
        document = Document(
            text=normalised,
            lines=tuple(normalised.split("\n")),
            bulletin=parsed.bulletin,
            parse_diagnostics=parsed.diagnostics,
        )
        found = list(parsed.diagnostics)
        for check in CHECKS:
            found.extend(_run(check, document))
        return _sorted(found)
    except Exception as error:  # check never raises, whatever the input
        return [codes.INTERNAL.at(1, 1, error=f"{source}: {error!r}")]
