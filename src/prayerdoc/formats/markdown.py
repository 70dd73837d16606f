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
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator

from prayerdoc.dates import format_date
from prayerdoc.model import Bulletin, Epigraph, Section

__all__ = ["dumps", "escape"]

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
    lines = []
    if epigraph.text:
        lines.append("> " + escape(epigraph.text))
    if epigraph.reference is not None:
        lines.append("> — " + escape(epigraph.reference.text))
    return "\n>\n".join(lines)


def _section(section: Section, level: int) -> Iterator[str]:
    if section.heading is not None:
        yield "#" * level + " " + escape(section.heading)
    for paragraph in section.intro:
        yield escape(paragraph.text)
    if section.requests:
        yield "\n".join("- " + escape(request.text) for request in section.requests)


def _body(bulletin: Bulletin, level: int) -> Iterator[str]:
    """The verse and the sections, with section headings at ``level``."""
    if bulletin.epigraph is not None:
        yield _epigraph(bulletin.epigraph)
    for section in bulletin.sections:
        yield from _section(section, level)


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
