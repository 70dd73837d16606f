"""HTML: a semantic HTML5 fragment or page out, and web pages and e-mail bodies in.

Writing: by default a fragment — an ``<article>`` with the title in ``<h1>``,
the date in ``<time datetime=…>``, the verse in a ``<blockquote>`` inside a
``<figure>`` whose ``<figcaption>`` holds the reference in ``<cite>`` (the
attribution stands outside the quotation, as HTML asks), a ``<section>`` per
region with its ``<h2>``, intro paragraphs, and a ``<ul>`` of requests each
carrying ``class="request praise"`` or ``"request petition"``. With
``standalone=True`` a whole page: ``lang``, UTF-8, a title and a small inline
stylesheet. Every text is escaped.

Reading: the page is parsed by a real HTML5 parser (selectolax's Lexbor
engine: the HTML standard's own algorithm, so broken markup is repaired the
way browsers repair it, and it is fast enough for large pages). What a person
sees is read in document order — headings, paragraphs and their ``<br>``
breaks, list items, block quotes, table cells — while ``script``, ``style``,
``head``, comments and hidden elements are skipped and entities decoded. The
bulletin is the page's ``<main>``, else its first ``<article>``, else the
body; navigation, asides, forms, footers (but a block quote's own, its
attribution) and anything outside it are left out
with a finding (PD406) that quotes their words. The blocks are then read by
the text parser (see :mod:`prayerdoc.formats._markup`).
"""

from __future__ import annotations

import codecs
import html
import re
from collections.abc import Iterator
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
from prayerdoc.model import Bulletin
from prayerdoc.source import decode, line_column, normalise

if TYPE_CHECKING:
    from selectolax.lexbor import LexborNode

__all__ = ["MAX_DEPTH", "check", "dumps", "loads", "read", "read_text", "web_encoding"]

# Writing ------------------------------------------------------------------

_STYLE = """\
body{font:1.05rem/1.55 Georgia,'Times New Roman',serif;color:#222;background:#fdfcf8;margin:0}
article{max-width:40rem;margin:2rem auto;padding:0 1.25rem}
h1{font-size:1.9rem;margin:0 0 .25rem}
h2{font-size:1.25rem;margin:2rem 0 .5rem;border-bottom:1px solid #ddd}
.date{color:#666;margin:0 0 1.5rem}
figure{margin:1.5rem 0;padding:.25rem 1.25rem;border-left:4px solid #b08d57}
blockquote{margin:0;font-style:italic}
figcaption{margin:.5rem 0;color:#555}
ul{padding-left:1.25rem}
li{margin:.5rem 0}
.praise::marker{color:#b08d57}"""


def _e(text: str) -> str:
    return html.escape(text, quote=True)


def _section(bulletin: Bulletin, index: int) -> Iterator[str]:
    section = bulletin.sections[index]
    yield '<section class="region">'
    intro = [_e(paragraph.text) for paragraph in section.intro]
    if labelled(bulletin, index):
        # As in the text layout: a heading-shaped intro stands after its label.
        intro[0] = f"{_e(section.heading or '')}: {intro[0]}"
    elif section.heading is not None:
        yield f"<h2>{_e(section.heading)}</h2>"
    for paragraph in intro:
        yield f"<p>{paragraph}</p>"
    if section.requests:
        yield "<ul>"
        for request in section.requests:
            yield f'<li class="request {request.kind.value}">{_e(request.text)}</li>'
        yield "</ul>"
    yield "</section>"


def _article(bulletin: Bulletin) -> Iterator[str]:
    yield '<article class="bulletin">'
    for line in bulletin.preamble:
        yield f'<p class="preamble">{_e(line.text)}</p>'
    if bulletin.title is not None:
        yield f"<h1>{_e(bulletin.title)}</h1>"
    if bulletin.date is not None:
        written = _e(format_date(bulletin.date))
        yield f'<p class="date"><time datetime="{bulletin.date.isoformat()}">{written}</time></p>'
    epigraph = bulletin.epigraph
    if epigraph is not None:
        yield '<figure class="epigraph">'
        # An empty verse is written as empty quotes, as in the text layout, so
        # that the line above the reference is never taken for the verse.
        yield f"<blockquote><p>“{_e(epigraph.text)}”</p></blockquote>"
        if epigraph.reference is not None:
            yield f"<figcaption>— <cite>{_e(epigraph.reference.text)}</cite></figcaption>"
        yield "</figure>"
    for index in range(len(bulletin.sections)):
        yield from _section(bulletin, index)
    yield "</article>"


def dumps(bulletin: Bulletin, *, standalone: bool = False, lang: str = "en") -> str:
    """The bulletin as an HTML5 fragment, or with ``standalone`` as a whole page."""
    fragment = "\n".join(_article(bulletin)) + "\n"
    if not standalone:
        return fragment
    title = bulletin.title or "Prayer bulletin"
    if bulletin.date is not None:
        title += f", {format_date(bulletin.date)}"
    return (
        f'<!DOCTYPE html>\n<html lang="{_e(lang)}">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{_e(title)}</title>\n<style>\n{_STYLE}\n</style>\n</head>\n<body>\n"
        f"{fragment}</body>\n</html>\n"
    )


# Reading ------------------------------------------------------------------

#: Deeper nesting than this is refused before parsing: HTML's tree building
#: looks down the stack of open elements, so depth costs time squared.
#: Browsers flatten the tree at 512 levels too.
MAX_DEPTH = 512

# Elements whose content a person never sees.
_UNSEEN = frozenset(
    "head script style template noscript title meta link base iframe object embed "
    "svg math canvas audio video select datalist option optgroup textarea input img "
    "map area param source track".split()
)
# Parts of a page around its content: their words are left out, with a finding.
_AROUND = frozenset("nav aside footer form".split())
# A footer in a block quote is the quote's attribution (the HTML standard's and
# Bootstrap's way to write "— Micah 6:8" under a verse), not the page's footer.
_ATTRIBUTION = "footer"
# Blocks inside a list item are lines of its one request (a loose list, as Markdown
# renderers write it, holds each item's text in a <p>); a nested list is items of its own.
_IN_ITEM = BLOCK_ELEMENTS - {"li", "ul", "ol"}
_HIDDEN_STYLE = re.compile(r"display\s*:\s*none|visibility\s*:\s*hidden", re.IGNORECASE)
# Tags that never nest (void) or close their like (optional end tags): they do
# not deepen the tree, so the depth guard does not count them.
_FLAT = frozenset(
    "area base br col embed hr img input link meta param source track wbr "
    "p li dt dd td th tr option optgroup thead tbody tfoot colgroup caption rb rt rp "
    "html head body".split()
)
_TAG = re.compile(r"<(!--|/?)([A-Za-z][A-Za-z0-9-]*)|<!--")
_RAW = frozenset("script style textarea title xmp noembed noframes iframe plaintext".split())
# Comments, with the start tags and raw text of elements whose content is not
# markup stepped over whole; a comment or raw text left open runs to the end,
# as in the HTML standard.
_COMMENTS = re.compile(
    r"(<(script|style|textarea|title|xmp|iframe|noembed|noframes|noscript|plaintext)\b"
    r"(?:.*?</\2\s*>|.*\Z)|<[A-Za-z][^>]*>)|<!--(?:>|->|.*?--!?>|.*\Z)",
    re.DOTALL | re.IGNORECASE,
)
_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9._:-]+)""", re.I)
# The HTML standard reads these labels as windows-1252.
_AS_WINDOWS_1252 = frozenset("ascii us-ascii iso-8859-1 iso8859-1 latin1 latin-1 l1".split())


def _too_deep(text: str) -> int | None:
    """The offset where the elements nest deeper than :data:`MAX_DEPTH`, if they do.

    A rough count over the tags, in one pass: comments and the content of
    script-like elements are stepped over, end tags close what they name.
    """
    lower = text.lower() if len(text) < 1 << 26 else text
    depth, position = 0, 0
    while True:
        match = _TAG.search(text, position)
        if match is None:
            return None
        position = match.end()
        if match.group(1) == "!--" or match.group(2) is None:
            end = text.find("-->", position)
            if end < 0:
                return None
            position = end + 3
            continue
        name = match.group(2).lower()
        if match.group(1) == "/":
            depth = max(depth - 1, 0) if name not in _FLAT else depth
            continue
        if name in _RAW:
            end = lower.find(f"</{name}", position)
            if end < 0:
                return None
            position = end
            continue
        if name not in _FLAT:
            tag_end = text.find(">", position)
            if tag_end > 0 and text[tag_end - 1] == "/":
                continue
            depth += 1
            if depth > MAX_DEPTH:
                return match.start()


def _keep_elements(match: re.Match[str]) -> str:
    return match.group(1) or ""


def web_encoding(label: str) -> str:
    """The encoding a charset label names on the web and in mail: the HTML standard
    reads ``iso-8859-1``, ``latin1`` and ``ascii`` as windows-1252, whose curly quotes
    and dashes text so labelled holds."""
    label = label.strip().lower()
    return "cp1252" if label in _AS_WINDOWS_1252 else label


def _charset(data: bytes) -> str | None:
    """The encoding a page declares in a ``<meta>`` near its start, if any."""
    match = _META_CHARSET.search(data[:4096])
    if match is None:
        return None
    return web_encoding(match.group(1).decode("ascii"))


def _decoded(data: str | bytes, encoding: str | None) -> str | Diagnostic:
    if isinstance(data, str):
        return data
    if encoding is None and not data.startswith(
        (codecs.BOM_UTF8, codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)
    ):
        encoding = _charset(data)
    return decode(data, encoding)


class _Locator:
    """Finds where a text the parser made stands in the source, moving forward only.

    A piece of text is found by a literal run of its characters (entities aside);
    a piece that cannot be found (moved by the parser's repairs) is placed at the
    last place found. Searches past a short window have a budget of a few times
    the source's length, so placing stays linear in the size of the page.
    """

    _WINDOW = 1 << 16
    _PROBE = re.compile(r"[\x21-\x25\x27-\x3b\x3d\x3f-\x7e][\x20-\x25\x27-\x3b\x3d\x3f-\x7e]{0,39}")

    def __init__(self, source: str) -> None:
        self.source = source
        self.cursor = 0
        self.budget = 4 * len(source) + self._WINDOW

    def find(self, text: str) -> int:
        probe = self._PROBE.search(text)
        if probe is None:
            return self.cursor
        needle = probe.group().rstrip()
        found = self.source.find(needle, self.cursor, self.cursor + self._WINDOW + len(text))
        if found < 0 and self.budget > 0:
            self.budget -= len(self.source) - self.cursor
            found = self.source.find(needle, self.cursor)
        if found < 0:
            return self.cursor
        self.cursor = found + len(needle)
        return max(found - probe.start(), 0)


def _hidden(node: LexborNode) -> bool:
    attributes = node.attributes
    if "hidden" in attributes or attributes.get("aria-hidden") == "true":
        return True
    style = attributes.get("style")
    return style is not None and _HIDDEN_STYLE.search(style) is not None


class _Walker:
    """Reads a parsed page in document order into blocks, without recursion."""

    def __init__(self, source: str, root: LexborNode) -> None:
        self.locator = _Locator(source)
        self.inside = Blocks()
        self.outside = Blocks()
        self.root = root
        self.quoting = 0
        self.around = 0  # > 0 inside navigation, footers and the like
        self.bulletin = 0  # > 0 inside the bulletin's own element
        self.bold = 0
        self.pre = 0
        self.item = 0  # > 0 inside a list item

    @property
    def blocks(self) -> Blocks:
        return self.inside if self.bulletin and not self.around else self.outside

    def walk(self, start: LexborNode) -> None:
        stack: list[tuple[LexborNode, bool]] = [(start, False)]
        while stack:
            node, leaving = stack.pop()
            if leaving:
                self.leave(node)
                continue
            tag = node.tag
            if tag == "-text":
                self.text(node.text_content or "")
                continue
            if tag is None or tag.startswith(("-", "_", "!")) or _hidden(node):
                continue
            if tag in _UNSEEN:
                if tag in _RAW:
                    # Step over its text, so that no later text is placed inside it.
                    self.locator.find(node.text())
                continue
            self.enter(node, tag)
            stack.append((node, True))
            stack.extend((child, False) for child in reversed(list(node.iter(include_text=True))))

    def text(self, text: str) -> None:
        # White space alone places nothing, but it parts the words on either side.
        offset = self.locator.find(text) if text.strip() else self.locator.cursor
        if not self.pre:
            self.blocks.text(text, offset, bold=self.bold > 0)
            return
        for number, line in enumerate(text.split("\n")):
            if number:
                self.blocks.line_break()
            self.blocks.text(line, offset, bold=self.bold > 0)
            offset += len(line) + 1

    def enter(self, node: LexborNode, tag: str) -> None:
        if node.mem_id == self.root.mem_id:
            self.blocks.close()
            self.bulletin += 1
        if tag in _AROUND and not (tag == _ATTRIBUTION and self.quoting):
            self.blocks.close()
            self.around += 1
        if tag in BOLD_ELEMENTS:
            self.bold += 1
        elif tag == "br":
            self.blocks.line_break()
        elif tag == "blockquote":
            self.quoting += 1
            self.inside.quoting = self.outside.quoting = True
        elif tag == "pre":
            self.pre += 1
        if tag in _IN_ITEM and self.item:
            self.blocks.line_break()
        elif tag in BLOCK_ELEMENTS:
            kind = Kind.ITEM if tag == "li" else Kind.LINES
            self.blocks.open(kind, heading=tag in HEADING_ELEMENTS)
        self.item += tag == "li"

    def leave(self, node: LexborNode) -> None:
        tag = node.tag or ""
        self.item -= tag == "li"
        if tag in _IN_ITEM and self.item:
            self.blocks.line_break()
        elif tag in BLOCK_ELEMENTS:
            self.blocks.close()
        if tag in BOLD_ELEMENTS:
            self.bold -= 1
        elif tag == "blockquote":
            self.quoting -= 1
            self.inside.quoting = self.outside.quoting = self.quoting > 0
        elif tag == "pre":
            self.pre -= 1
        if tag in _AROUND and not (tag == _ATTRIBUTION and self.quoting):
            self.blocks.close()
            self.around -= 1
        if node.mem_id == self.root.mem_id:
            self.blocks.close()
            self.bulletin -= 1


def _bulletin_element(body: LexborNode) -> LexborNode:
    for selector in ("main", "[role=main]", "article"):
        found = body.css_first(selector)
        if found is not None:
            return found
    return body


def _import_parser() -> type | Diagnostic:
    try:
        from selectolax.lexbor import LexborHTMLParser
    except ImportError:
        return codes.MISSING_EXTRA.at(1, 1, fmt="HTML", extra="html")
    return LexborHTMLParser


def read_text(text: str) -> Reading:
    """A page's text (already decoded) as bulletin text with a map back to it."""
    text = normalise(text)
    deep = _too_deep(text)
    parser = _import_parser()
    if isinstance(parser, Diagnostic):
        return Reading("", None, (parser,))
    if deep is not None:
        line, column = line_column(text, deep)
        problem = codes.TOO_DEEP.at(line, column, what="elements", limit=MAX_DEPTH)
        return Reading("", None, (problem,))
    # Comments are never read, and some shapes of them (an unclosed one full of
    # "--") cost the parser time in the square of their length: drop them first.
    page = parser(_COMMENTS.sub(_keep_elements, text))
    body = page.body or page.root
    if body is None:
        return Blocks().render(text)
    walker = _Walker(text, _bulletin_element(body))
    walker.locator.cursor = max(text.find("<body"), text.find("<BODY"), 0)
    walker.walk(body)
    return walker.inside.render(text, left_out=walker.outside.pieces())


def read(data: str | bytes, *, encoding: str | None = None) -> Reading:
    """An HTML document (text, or bytes in the encoding it declares) as bulletin text."""
    decoded = _decoded(data, encoding)
    if isinstance(decoded, Diagnostic):
        return Reading("", None, (decoded,))
    return read_text(decoded)


loads, check = readers(read, "an HTML page")
