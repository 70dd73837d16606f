"""Markdown (CommonMark) for people to read.

The layout, one block each, blank lines between blocks:

    Preamble line                      (plain paragraphs, in source order)

    # Title

    *April 27, 2019*

    > Verse text
    >
    > — Micah 6:8

    Intro paragraph of the lead section

    - Request

    ## Heading

    Intro paragraph

    - Request

A request's kind is not shown: it comes from the request's own opening words,
which are there to read. Every ASCII punctuation character of the bulletin's
text is written with a backslash in front of it, so no text can turn into
emphasis, a heading, a list, a link, an entity or HTML; CommonMark allows that
escape on every ASCII punctuation character and reads it as the bare character.
Only ``, ; ? % /``, which mean nothing in Markdown on their own, are left
bare (except in runs such as ``,,``) so that the source stays readable.
"""

from __future__ import annotations

import re
import string
from collections.abc import Iterator

from prayerdoc.dates import format_date
from prayerdoc.model import Bulletin, Epigraph, Section

__all__ = ["dumps", "escape"]

# These five mean nothing in CommonMark, nor in its common extensions (tables,
# strikethrough, autolinks) except as runs, which typographic replacements
# rewrite (",," to ",", "????" to "???", "?…" to "?.."); every other ASCII
# punctuation character means something somewhere, so it is always escaped.
_INERT = ",;?%/"
_ESCAPES = str.maketrans({mark: "\\" + mark for mark in string.punctuation if mark not in _INERT})
_RUNS = re.compile(r",{2,}|\?{2,}|\?(?=…)")
# White space at either end of a block is dropped by CommonMark; a character
# reference keeps it. The model trims its text, so this only guards the writer.
_EDGE_SPACES = {" ": "&#32;", "\t": "&#9;"}


def _escape_run(match: re.Match[str]) -> str:
    return "".join("\\" + mark for mark in match.group())


def _references(spaces: str) -> str:
    return "".join(_EDGE_SPACES[space] for space in spaces)


def escape(text: str) -> str:
    """``text`` as CommonMark inline content that reads back as exactly ``text``."""
    escaped = _RUNS.sub(_escape_run, text.translate(_ESCAPES))
    body = escaped.lstrip(" \t")
    core = body.rstrip(" \t")
    return _references(escaped[: len(escaped) - len(body)]) + core + _references(body[len(core) :])


def _epigraph(epigraph: Epigraph) -> str:
    lines = []
    if epigraph.text:
        lines.append("> " + escape(epigraph.text))
    if epigraph.reference is not None:
        lines.append("> — " + escape(epigraph.reference.text))
    return "\n>\n".join(lines)


def _section(section: Section) -> Iterator[str]:
    if section.heading is not None:
        yield "## " + escape(section.heading)
    for paragraph in section.intro:
        yield escape(paragraph.text)
    if section.requests:
        yield "\n".join("- " + escape(request.text) for request in section.requests)


def _blocks(bulletin: Bulletin) -> Iterator[str]:
    for line in bulletin.preamble:
        yield escape(line.text)
    if bulletin.title is not None:
        yield "# " + escape(bulletin.title)
    if bulletin.date is not None:
        yield "*" + escape(format_date(bulletin.date)) + "*"
    if bulletin.epigraph is not None:
        yield _epigraph(bulletin.epigraph)
    for section in bulletin.sections:
        yield from _section(section)


def dumps(bulletin: Bulletin) -> str:
    """The bulletin as a CommonMark document ending in one newline."""
    return "\n\n".join(_blocks(bulletin)) + "\n"
