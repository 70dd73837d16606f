"""The canonical bulletin text layout.

One block per line, one blank line between blocks, a final newline:

    [preamble lines]
    Title
    April 27, 2019
    “Verse text”
    — Book 3:14
    [lead section intro paragraphs and requests]
    Heading
    Intro paragraph
      • Request

Requests are always written as bullets (two spaces, ``•``, one space), so
that a request reads back as a request whatever its words; intro paragraphs
are plain, except a heading-shaped one, written after its heading as an inline
label (``Kenya: New Team``) as it was found. ``parse(dumps(b)) == b`` for
every bulletin the parser produces.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from prayerdoc.alphabet import KNOWN_REGIONS
from prayerdoc.classify import LABEL, is_heading_shaped
from prayerdoc.dates import format_date
from prayerdoc.model import Bulletin

__all__ = ["BULLET", "dumps", "labelled"]

BULLET = "  • "


def labelled(bulletin: Bulletin, index: int) -> bool:
    """Whether section ``index``'s heading is written as a label before its first intro paragraph.

    A heading-shaped intro paragraph comes from an inline label that repeats a
    heading ("Kenya: New Team"); on a line of its own it would read back as a
    heading, so it is written after its label again. The last block of a file
    is never a heading, so there it may stand alone, and must where the label
    would not be read as one (the lexer reads a label only when it names a
    known region or a heading-shaped block of the same bulletin). Where it
    would, it is a label there too: a lone heading over a last date-shaped
    line reads back as a title and its date. In a bulletin with no verse, a
    first intro paragraph that a header could claim (``_header_shaped``) keeps
    its label wherever it stands, where the label reads back as one. The
    writers of other formats that are read back through this layout (HTML,
    Markdown) follow the same rule.
    """
    section = bulletin.sections[index]
    if section.heading is None or not section.intro:
        return False
    first = section.intro[0].text
    # Only a known region here: whether a heading of the bulletin's own stands on
    # a line of its own depends on this same choice for the sections around it.
    if bulletin.epigraph is None and _header_shaped(first) and _reads_as_label(section.heading, ()):
        return True
    if not is_heading_shaped(first):
        return False
    last = index == len(bulletin.sections) - 1
    if not (last and len(section.intro) == 1 and not section.requests):
        return True
    return _reads_as_label(section.heading, _lines_above(bulletin))


def _reads_as_label(heading: str, lines: Iterable[str]) -> bool:
    """The lexer's rule for a label: a name it can split off, heading-shaped, of a region
    (a known one, or a heading-shaped block among ``lines``)."""
    if LABEL.fullmatch(f"{heading}: ") is None or not is_heading_shaped(heading):
        return False
    name = heading.casefold()
    return name in KNOWN_REGIONS or any(
        is_heading_shaped(text) and text.casefold() == name for text in lines
    )


def _header_shaped(text: str) -> bool:
    """Whether a block of ``text`` has a shape that only a header gives a place: a date,
    a reference line, a quotation.

    Above a bulletin's verse, any such block may be read as the verse, its
    reference or the date of a header, with the lines above it as the title
    and preamble (``AFRICA`` over ``“…“``). After its label (``AFRICA: “…“``)
    it is a paragraph of the body, as it was read.
    """
    # The lexer's own shapes decide; it is loaded with the parser, not with the writers.
    from prayerdoc.lexer import shapes

    return not _HEADER_SHAPES.isdisjoint(shapes(text, bullet=False, heading=False))


_HEADER_SHAPES = frozenset({"DATE", "BAD_DATE", "REFERENCE", "QUOTED", "OPEN_QUOTE"})


def _lines_above(bulletin: Bulletin) -> Iterator[str]:
    """The blocks written on lines of their own before the last section, bar bullets."""
    yield from (line.text for line in bulletin.preamble)
    if bulletin.title is not None:
        yield bulletin.title
    for index, section in enumerate(bulletin.sections[:-1]):
        intro = [paragraph.text for paragraph in section.intro]
        if labelled(bulletin, index):
            intro = intro[1:]
        elif section.heading is not None:
            yield section.heading
        yield from intro


def _section(bulletin: Bulletin, index: int) -> Iterator[str]:
    section = bulletin.sections[index]
    intro = [paragraph.text for paragraph in section.intro]
    if section.heading is not None:
        if labelled(bulletin, index):
            intro[0] = f"{section.heading}: {intro[0]}"
        else:
            yield section.heading
    yield from intro
    for request in section.requests:
        yield BULLET + request.text


def _blocks(bulletin: Bulletin) -> Iterator[str]:
    for line in bulletin.preamble:
        yield line.text
    if bulletin.title is not None:
        yield bulletin.title
    if bulletin.date is not None:
        yield format_date(bulletin.date)
    epigraph = bulletin.epigraph
    if epigraph is not None:
        # An empty verse is written as empty quotes, so that the line above the
        # reference cannot be taken for the verse.
        yield f"“{epigraph.text}”"
        if epigraph.reference is not None:
            yield f"— {epigraph.reference.text}"
    for index in range(len(bulletin.sections)):
        yield from _section(bulletin, index)


def dumps(bulletin: Bulletin) -> str:
    """The bulletin in the canonical text layout."""
    return "\n\n".join(_blocks(bulletin)) + "\n"
