"""Build a church website's prayer pages from a folder of bulletins.

Usage::

    python examples/site.py BULLETINS_FOLDER OUTPUT_FOLDER

Each ``*.txt`` bulletin in the folder becomes a Markdown page of the same name
(``bulletin-02.txt`` → ``bulletin-02.md``), and ``index.md`` links every page,
newest first, undated bulletins last. Any static site generator that reads
Markdown (MkDocs, Jekyll, Hugo, …) can publish the folder. Example::

    python examples/site.py examples/bulletins site

Every bulletin is read before anything is written, so a bulletin that cannot
be read leaves the output folder as it was. Exit status: 0 written, 1 a
bulletin could not be read as a bulletin, 2 a usage error or a folder that
cannot be read or written.
"""

from __future__ import annotations

import argparse
import datetime
import sys
import urllib.parse
from collections.abc import Sequence
from pathlib import Path

import prayerdoc

# The characters that could start markup inside a link's text: emphasis, code, links, HTML,
# entities, strikethrough. CommonMark reads a backslash before any of them as the plain mark.
_MARKUP = frozenset("\\`*_[]<&~")


def _literal(text: str) -> str:
    """Text that CommonMark shows as written, for a link's text."""
    return "".join("\\" + char if char in _MARKUP else char for char in text)


def _long_date(date: datetime.date) -> str:
    return f"{date:%B} {date.day}, {date.year}"


def _newest_first(item: tuple[Path, prayerdoc.Bulletin]) -> tuple[bool, int, str]:
    path, bulletin = item
    ordinal = bulletin.date.toordinal() if bulletin.date is not None else 0
    return (bulletin.date is None, -ordinal, path.name)


def index(pages: Sequence[tuple[Path, prayerdoc.Bulletin]]) -> str:
    """The index page: one list item linking each page, newest first."""
    lines = ["# Prayer bulletins", ""]
    for page, bulletin in sorted(pages, key=_newest_first):
        label = bulletin.title or page.stem
        if bulletin.date is not None:
            label = f"{label}, {_long_date(bulletin.date)}"
        lines.append(f"- [{_literal(label)}]({urllib.parse.quote(page.name)})")
    return "\n".join(lines) + "\n"


def build(source: Path, target: Path) -> list[Path]:
    """Write a page per bulletin in ``source`` and ``index.md`` to ``target``; the paths written.

    Raises ``prayerdoc.ParseError`` for a file that is not a bulletin (nothing is written
    then) and ``OSError`` for a folder that cannot be read or written.
    """
    bulletins = [(path, prayerdoc.load(path)) for path in sorted(source.glob("*.txt"))]
    pages = [(target / f"{path.stem}.md", bulletin) for path, bulletin in bulletins]
    target.mkdir(parents=True, exist_ok=True)
    for page, bulletin in pages:
        page.write_text(prayerdoc.dumps(bulletin, "markdown"), encoding="utf-8")
    (target / "index.md").write_text(index(pages), encoding="utf-8")
    return [page for page, _ in pages] + [target / "index.md"]


def main(argv: Sequence[str] | None = None) -> int:
    """Run the script; returns the exit status."""
    parser = argparse.ArgumentParser(description="A folder of bulletins to Markdown pages.")
    parser.add_argument("source", type=Path, metavar="BULLETINS_FOLDER")
    parser.add_argument("target", type=Path, metavar="OUTPUT_FOLDER")
    args = parser.parse_args(argv)
    if not args.source.is_dir():
        parser.error(f"{args.source} is not a folder")
    try:
        written = build(args.source, args.target)
    except OSError as error:
        parser.error(str(error))
    except prayerdoc.ParseError as error:
        print(error, file=sys.stderr)
        return 1
    print(f"wrote {len(written)} pages to {args.target}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
