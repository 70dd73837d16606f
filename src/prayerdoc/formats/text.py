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

from collections.abc import Iterator

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
    line reads back as a title and its date. The writers of other formats
    that are read back through this layout (HTML, Markdown) follow the same rule.
    """
    section = bulletin.sections[index]
    if section.heading is None or not section.intro:
        return False
    if not is_heading_shaped(section.intro[0].text):
        return False
    last = index == len(bulletin.sections) - 1
    if not (last and len(section.intro) == 1 and not section.requests):
        return True
    # The lexer's rule for a label: a name it can split off, heading-shaped, of a region.
    heading = section.heading
    if LABEL.fullmatch(f"{heading}: ") is None or not is_heading_shaped(heading):
        return False
    name = heading.casefold()
    return name in KNOWN_REGIONS or any(
        is_heading_shaped(text) and text.casefold() == name for text in _lines_above(bulletin)
    )


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
