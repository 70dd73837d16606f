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

from prayerdoc.classify import is_heading_shaped
from prayerdoc.dates import format_date
from prayerdoc.model import Bulletin, Section

__all__ = ["BULLET", "dumps", "labelled"]

BULLET = "  • "


def labelled(section: Section, *, last: bool) -> bool:
    """Whether the section's heading is written as a label before its first intro paragraph.

    A heading-shaped intro paragraph comes from an inline label that repeats a
    heading ("Kenya: New Team"); on a line of its own it would read back as a
    heading, so it is written after its label again. The last block of a file
    is never a heading, so there it stands alone. The writers of other formats
    that are read back through this layout (HTML, Markdown) follow the same rule.
    """
    if section.heading is None or not section.intro:
        return False
    ends_file = last and len(section.intro) == 1 and not section.requests
    return is_heading_shaped(section.intro[0].text) and not ends_file


def _section(section: Section, last: bool) -> Iterator[str]:
    intro = [paragraph.text for paragraph in section.intro]
    if section.heading is not None:
        if labelled(section, last=last):
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
    for index, section in enumerate(bulletin.sections, start=1):
        yield from _section(section, last=index == len(bulletin.sections))


def dumps(bulletin: Bulletin) -> str:
    """The bulletin in the canonical text layout."""
    return "\n\n".join(_blocks(bulletin)) + "\n"
