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
are plain. ``parse(dumps(b)) == b`` for every bulletin the parser produces.
"""

from __future__ import annotations

from collections.abc import Iterator

from prayerdoc.dates import format_date
from prayerdoc.model import Bulletin, Section

__all__ = ["BULLET", "dumps"]

BULLET = "  • "


def _section(section: Section) -> Iterator[str]:
    if section.heading is not None:
        yield section.heading
    for paragraph in section.intro:
        yield paragraph.text
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
    for section in bulletin.sections:
        yield from _section(section)


def dumps(bulletin: Bulletin) -> str:
    """The bulletin in the canonical text layout."""
    return "\n\n".join(_blocks(bulletin)) + "\n"
