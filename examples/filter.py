"""Print the prayer requests that mention a country, or any word.

Usage::

    python examples/filter.py WORD BULLETIN...

Each request that contains ``WORD`` as a whole word, ignoring case, is printed
on one line as ``FILE: SECTION: REQUEST``; the lead section, which has no
heading, is shown as ``(lead)``. Example::

    python examples/filter.py Kenya examples/bulletins/*.txt

Exit status: 0 some request matched, 1 none did or a bulletin could not be
read as a bulletin, 2 a usage error or a file that cannot be read.
"""

from __future__ import annotations

import argparse
import re
import sys
from collections.abc import Iterator, Sequence
from pathlib import Path

import prayerdoc


def matches(
    bulletin: prayerdoc.Bulletin, word: str
) -> Iterator[tuple[prayerdoc.Section, prayerdoc.Request]]:
    """Each request of ``bulletin`` mentioning ``word``, with its section."""
    pattern = re.compile(rf"(?<!\w){re.escape(word)}(?!\w)", re.IGNORECASE)
    for section in bulletin.sections:
        for request in section.requests:
            if pattern.search(request.text):
                yield section, request


def main(argv: Sequence[str] | None = None) -> int:
    """Run the script; returns the exit status."""
    parser = argparse.ArgumentParser(description="Print the requests that mention a word.")
    parser.add_argument("word", metavar="WORD")
    parser.add_argument("bulletins", nargs="+", type=Path, metavar="BULLETIN")
    args = parser.parse_args(argv)
    if not args.word.strip():
        parser.error("WORD is empty")
    found = 0
    for path in args.bulletins:
        try:
            bulletin = prayerdoc.load(path)
        except OSError as error:
            parser.error(str(error))
        except prayerdoc.ParseError as error:
            print(error, file=sys.stderr)
            return 1
        for section, request in matches(bulletin, args.word.strip()):
            print(f"{path}: {section.heading or '(lead)'}: {request.text}")
            found += 1
    return 0 if found else 1


if __name__ == "__main__":
    sys.exit(main())
