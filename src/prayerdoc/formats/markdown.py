"""Markdown (CommonMark) for people to read.

The layout, one block each, blank lines between blocks:

    Preamble line                      (plain paragraphs, in source order)

    # Title

    *April 27, 2019*

    > “Verse text”
    >
    > — Micah 6:8

    Intro paragraph of the lead section

    - Request

    ## Heading

    Intro paragraph

    - Request

Several bulletins make one digest, newest first: a ``# Prayer bulletins``
heading, a list of links to each bulletin, then each bulletin under its own
``##`` heading (its title, else its date) with its sections one level down
(``###``). Each bulletin heading carries an HTML anchor, ``<a id="2019-04-27"></a>``
(the date, else the title's words, else ``bulletin``; ``-2``, ``-3``… when two
would be the same), because CommonMark itself gives headings no ids.

A request's kind is not shown: it comes from the request's own opening words,
which are there to read.

Escaping is minimal, so that the Markdown stays pleasant to read as text: a
backslash goes only before what CommonMark (or GitHub's strikethrough) could
read as markup — ``\\ ` * _ [ ] < ~`` anywhere, ``&`` where it would start an
entity, and ``# > + -`` or ``1.`` at the start of a block — so no text can turn
into emphasis, a heading, a list, a link, an entity or HTML.

Reading (markdown-it-py's token stream; the ``markdown`` extra) finds the
blocks a person sees, as the HTML reader does: headings (ATX ``#`` or setext),
paragraphs with their soft and hard line breaks, list items (``-``, ``*``,
``+`` or numbered: one request each), block quotes (the verse), and a
paragraph line that is wholly ``**bold**`` (a heading). Inline markup is
dropped and its text kept (emphasis, links, code spans, escapes, entities);
HTML comments, scripts and styles are skipped and other raw HTML read as a
page is (a block element a block, ``<br>`` a line break, entities decoded). The text
parser then reads those blocks (see :mod:`prayerdoc.formats._markup`), so this
module's own output, and the same after any CommonMark formatter, reads back
to an equal bulletin.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterable, Iterator
from typing import TYPE_CHECKING

from prayerdoc import codes
from prayerdoc.dates import format_date
from prayerdoc.diagnostics import Diagnostic
from prayerdoc.formats._markup import (
    BLOCK_ELEMENTS,
    BOLD_ELEMENTS,
    HEADING_ELEMENTS,
    Blocks,
    Kind,
    Reading,
    readers,
)
from prayerdoc.formats.text import labelled
from prayerdoc.model import Bulletin, Epigraph
from prayerdoc.source import decode, normalise

if TYPE_CHECKING:
    from markdown_it.token import Token

__all__ = ["check", "dumps", "escape", "loads", "read"]

# Characters that open inline markup wherever they stand.
_INLINE = re.compile(
    r"[\\`*_\[\]<~]|&(?=#[0-9]{1,7};|#[xX][0-9a-fA-F]{1,6};|[A-Za-z][A-Za-z0-9]{0,31};)"
)
# What opens a block at the start of a line: heading, quote, list item.
_BLOCK_START = re.compile(r"[#>+-]|[0-9]{1,9}(?=[.)])")
# White space at either end of a block is dropped by CommonMark; a character
# reference keeps it. The model trims its text, so this only guards the writer.
_EDGE_SPACES = {" ": "&#32;", "\t": "&#9;"}


def _references(spaces: str) -> str:
    return "".join(_EDGE_SPACES[space] for space in spaces)


# A run of ``#`` at the end of a heading would be read as its closing sequence.
_CLOSING = re.compile(r"(?<![\\#])#+$")


def escape(text: str) -> str:
    """``text`` as CommonMark inline content that reads back as exactly ``text``."""
    escaped = _INLINE.sub(r"\\\g<0>", text)
    opener = _BLOCK_START.match(escaped)
    if opener is not None:
        at = opener.end() if opener.group()[0].isdigit() else 0  # 1\. or \-
        escaped = escaped[:at] + "\\" + escaped[at:]
    closing = _CLOSING.search(escaped)
    if closing is not None:
        escaped = escaped[: closing.start()] + "\\" + escaped[closing.start() :]
    body = escaped.lstrip(" \t")
    core = body.rstrip(" \t")
    return _references(escaped[: len(escaped) - len(body)]) + core + _references(body[len(core) :])


def _epigraph(epigraph: Epigraph) -> str:
    # In curly quotes, as in the text layout, so that a verse that itself opens
    # or closes with a quotation reads back whole; an empty verse is empty quotes.
    lines = ["> “" + escape(epigraph.text) + "”"]
    if epigraph.reference is not None:
        lines.append("> — " + escape(epigraph.reference.text))
    return "\n>\n".join(lines)


def _section(bulletin: Bulletin, index: int, level: int) -> Iterator[str]:
    section = bulletin.sections[index]
    intro = [escape(paragraph.text) for paragraph in section.intro]
    if labelled(bulletin, index):
        # As in the text layout: a heading-shaped intro stands after its label.
        intro[0] = escape(f"{section.heading}: {section.intro[0].text}")
    elif section.heading is not None:
        yield "#" * level + " " + escape(section.heading)
    yield from intro
    if section.requests:
        yield "\n".join("- " + escape(request.text) for request in section.requests)


def _body(bulletin: Bulletin, level: int) -> Iterator[str]:
    """The verse and the sections, with section headings at ``level``."""
    if bulletin.epigraph is not None:
        yield _epigraph(bulletin.epigraph)
    for index in range(len(bulletin.sections)):
        yield from _section(bulletin, index, level)


def _blocks(bulletin: Bulletin) -> Iterator[str]:
    for line in bulletin.preamble:
        yield escape(line.text)
    if bulletin.title is not None:
        yield "# " + escape(bulletin.title)
    if bulletin.date is not None:
        yield "*" + escape(format_date(bulletin.date)) + "*"
    yield from _body(bulletin, 2)


def _newest_first(bulletins: Iterable[Bulletin]) -> list[Bulletin]:
    """By date, newest first; undated bulletins last, in the order given."""
    return sorted(
        bulletins,
        key=lambda bulletin: (
            bulletin.date is None,
            -bulletin.date.toordinal() if bulletin.date is not None else 0,
        ),
    )


def _anchors(bulletins: list[Bulletin]) -> list[str]:
    anchors: list[str] = []
    taken: set[str] = set()
    for bulletin in bulletins:
        if bulletin.date is not None:
            base = bulletin.date.isoformat()
        else:
            base = re.sub(r"[^0-9a-z]+", "-", (bulletin.title or "").lower()).strip("-")
        base = base or "bulletin"
        anchor, number = base, 1
        while anchor in taken:
            number += 1
            anchor = f"{base}-{number}"
        taken.add(anchor)
        anchors.append(anchor)
    return anchors


def _heading(bulletin: Bulletin) -> str:
    """The words a bulletin is listed and headed under: its title, else its date."""
    if bulletin.title is not None:
        return bulletin.title
    if bulletin.date is not None:
        return format_date(bulletin.date)
    return "Untitled bulletin"


def _digest(bulletins: list[Bulletin], title: str) -> Iterator[str]:
    anchors = _anchors(bulletins)
    yield "# " + escape(title)
    contents = []
    for bulletin, anchor in zip(bulletins, anchors, strict=True):
        entry = f"- [{escape(_heading(bulletin))}](#{anchor})"
        if bulletin.title is not None and bulletin.date is not None:
            entry += ", " + escape(format_date(bulletin.date))
        contents.append(entry)
    if contents:
        yield "\n".join(contents)
    for bulletin, anchor in zip(bulletins, anchors, strict=True):
        yield f'## <a id="{anchor}"></a>' + escape(_heading(bulletin))
        if bulletin.title is not None and bulletin.date is not None:
            yield "*" + escape(format_date(bulletin.date)) + "*"
        for line in bulletin.preamble:
            yield escape(line.text)
        yield from _body(bulletin, 3)


def dumps(bulletins: Bulletin | Iterable[Bulletin], *, title: str = "Prayer bulletins") -> str:
    """A bulletin as a CommonMark document, or many as one digest; one newline at the end.

    ``title`` heads a digest; a single bulletin is headed by its own title.
    """
    if isinstance(bulletins, Bulletin):
        return "\n\n".join(_blocks(bulletins)) + "\n"
    return "\n\n".join(_digest(_newest_first(bulletins), title)) + "\n"


# Reading ----------------------------------------------------------------

_COMMENT = re.compile(r"<!--.*?(?:-->|\Z)", re.DOTALL)
# What a page does not show: comments, and the text of scripts and styles.
_UNSEEN_HTML = re.compile(
    r"<!--.*?(?:-->|\Z)|<(script|style)\b.*?(?:</\1\s*>|\Z)", re.DOTALL | re.IGNORECASE
)
# Block HTML in pieces: a tag (its end mark and name), a declaration or processing
# instruction (group 3), or text. A tag left open runs to the end of the block, as in
# HTML, which also keeps the pattern from scanning ahead more than once.
_HTML_PIECE = re.compile(r"<(/?)([A-Za-z][A-Za-z0-9-]*)[^>]*>?|(<[!?][^>]*>?)|[^<]+|<", re.DOTALL)
_BOLD = frozenset({"strong_open", "strong_close"})
# Printable ASCII but the characters that open an entity, an escape or a tag.
_PROBE = re.compile(
    r"[\x21-\x25\x27-\x3b\x3d\x3f-\x5b\x5d-\x7e][\x20-\x25\x27-\x3b\x3d\x3f-\x5b\x5d-\x7e]{0,19}"
)


class _Reader:
    """Walks markdown-it's tokens into blocks, placing each text in the source."""

    def __init__(self, source: str) -> None:
        self.source = source
        self.starts = [0, *(m.end() for m in re.finditer("\n", source))]
        self.blocks = Blocks()
        self.item = 0
        self.line = 0  # 0-based source line of the inline being read
        self.cursor = 0

    def place(self, text: str) -> int:
        """The offset of ``text`` in the current source line, searching forward."""
        line_start = self.starts[min(self.line, len(self.starts) - 1)]
        line_end = self.source.find("\n", line_start)
        line_end = len(self.source) if line_end < 0 else line_end
        # A run the source holds as written: an entity or escape decoded is not in it.
        probe = _PROBE.search(text)
        if probe is None:
            return max(self.cursor, line_start)
        needle = probe.group().rstrip()
        found = self.source.find(needle, max(self.cursor, line_start), line_end)
        if found < 0:
            return max(self.cursor, line_start)
        self.cursor = found + len(needle)
        return max(found - probe.start(), line_start)

    def next_line(self) -> None:
        self.line += 1
        self.cursor = self.starts[min(self.line, len(self.starts) - 1)]

    def inline(self, token: Token) -> None:
        self.line = token.map[0] if token.map else self.line
        self.cursor = self.starts[min(self.line, len(self.starts) - 1)]
        bold = 0
        broken = False  # the last thing read was a <br>: a line end after it is white space
        for child in token.children or ():
            kind = child.type
            if kind in _BOLD:
                bold += 1 if kind == "strong_open" else -1
            elif kind in ("softbreak", "hardbreak"):
                if not broken:
                    self.blocks.line_break()
                self.next_line()
            elif kind in ("text", "code_inline"):
                self.blocks.text(child.content, self.place(child.content), bold=bold > 0)
            elif kind == "html_inline":
                # Read as a page reads it: <br> a line break, <b> and <strong> bold.
                tag = _HTML_PIECE.fullmatch(child.content)
                name = (tag.group(2) or "").lower() if tag is not None else ""
                if name == "br":
                    self.blocks.line_break()
                elif name in BOLD_ELEMENTS:
                    bold += -1 if tag is not None and tag.group(1) else 1
                if _COMMENT.fullmatch(child.content) is None:
                    self.place(child.content)
                broken = name == "br"
                continue
            elif kind == "image":
                continue  # an image's alt text is not shown
            broken = False

    def html_block(self, token: Token) -> None:
        """Raw HTML in the Markdown, read as a page is read: ``<br>`` a line break, a
        block element a block, bold a heading candidate, entities decoded; comments,
        scripts and styles skipped. Source line ends are white space, as in HTML."""
        content = _UNSEEN_HTML.sub(lambda m: "\n" * m.group().count("\n"), token.content)
        pieces = list(_HTML_PIECE.finditer(content))
        if all(piece.group().isspace() for piece in pieces if piece.lastindex is None):
            return  # no text: a comment, or tags alone
        self.line = token.map[0] if token.map else self.line
        self.cursor = self.starts[min(self.line, len(self.starts) - 1)]
        self.blocks.open()
        bold = 0
        for piece in pieces:
            closing, name = piece.group(1), (piece.group(2) or "").lower()
            if piece.lastindex is None:
                for number, text in enumerate(piece.group().split("\n")):
                    if number:
                        self.next_line()
                        self.blocks.text("\n", self.cursor)  # parts the words on either side
                    self.blocks.text(html.unescape(text), self.place(text), bold=bold > 0)
                continue
            for _ in range(piece.group().count("\n")):
                self.next_line()
            if name == "br":
                self.blocks.line_break()
            elif name in BOLD_ELEMENTS:
                bold = max(bold - 1, 0) if closing else bold + 1
            elif name in BLOCK_ELEMENTS:
                self.blocks.close()
                if not closing:
                    kind = Kind.ITEM if name == "li" else Kind.LINES
                    self.blocks.open(kind, heading=name in HEADING_ELEMENTS)
        self.blocks.close()

    def walk(self, tokens: list[Token]) -> None:
        for token in tokens:
            kind = token.type
            if kind == "inline":
                self.inline(token)
            elif kind == "heading_open":
                self.blocks.open(heading=True)
            elif kind == "list_item_open":
                self.item += 1
                self.blocks.open(Kind.ITEM)
            elif kind == "list_item_close":
                self.item -= 1
                self.blocks.close()
            elif kind == "paragraph_open" and not self.item:
                self.blocks.open()
            elif kind in ("paragraph_close", "heading_close") and not self.item:
                self.blocks.close()
            elif kind == "paragraph_close":
                self.blocks.line_break()
            elif kind == "blockquote_open":
                self.blocks.open()
                self.blocks.quoting = True
            elif kind == "blockquote_close":
                self.blocks.close()
                self.blocks.quoting = token.level > 0
            elif kind in ("fence", "code_block"):
                self.blocks.open()
                for number, line in enumerate(token.content.split("\n")):
                    if number:
                        self.blocks.line_break()
                    start = token.map[0] + number + (kind == "fence") if token.map else 0
                    self.blocks.text(line, self.starts[min(start, len(self.starts) - 1)])
                self.blocks.close()
            elif kind == "html_block":
                self.html_block(token)


def read_text(text: str) -> Reading:
    """Markdown text as bulletin text, with a map back to it."""
    try:
        from markdown_it import MarkdownIt
    except ImportError:
        return Reading("", None, (codes.MISSING_EXTRA.at(1, 1, fmt="Markdown", extra="markdown"),))
    text = normalise(text)
    reader = _Reader(text)
    reader.walk(MarkdownIt("commonmark").parse(text))
    return reader.blocks.render(text)


def read(data: str | bytes, *, encoding: str | None = None) -> Reading:
    """A Markdown document (text, or bytes in UTF-8 or ``encoding``) as bulletin text."""
    if isinstance(data, bytes):
        decoded = decode(data, encoding)
        if isinstance(decoded, Diagnostic):
            return Reading("", None, (decoded,))
        data = decoded
    return read_text(data)


loads, check = readers(read, "a Markdown document")
