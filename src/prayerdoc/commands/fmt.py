"""``prayerdoc fmt``: rewrite bulletin files in the canonical layout, never losing a word."""

from __future__ import annotations

import argparse
import difflib
import sys
from typing import Any

import attrs

from prayerdoc._io import STDIO
from prayerdoc.commands import EXIT_OK, EXIT_PROBLEMS, EXIT_USAGE, SUMMARIES
from prayerdoc.commands._files import (
    Target,
    emit,
    positive,
    targets,
)

__all__ = ["Outcome", "format_source", "register", "run"]

_EPILOG = """\
examples:
  prayerdoc fmt bulletins/
  prayerdoc fmt --check bulletins/          # exit 1 if a file would change
  prayerdoc fmt --diff bulletin.txt         # show the changes, write nothing
  prayerdoc fmt - < bulletin.txt > tidy.txt

Files are rewritten atomically, as UTF-8 with '\\n' line ends. A file that does
not parse, or whose words would not all survive the rewrite, is reported
(path:line:col) and left as it is. Exit status: 0 nothing to do or all files
written, 1 a file would change (--check, --diff) or could not be formatted,
2 a usage error or a path that cannot be read.
"""


@attrs.frozen
class Outcome:
    """The canonical text of one input, or the problems (``line:col: message``) that stop it."""

    formatted: str | None
    problems: tuple[str, ...] = ()


def format_source(text: str) -> Outcome:
    """The canonical layout of decoded bulletin ``text``, if it can be written without loss.

    It cannot when the text does not parse, when a word of the input is not in
    the bulletin, or when the rewritten text would not read back as the same
    bulletin.
    """
    from prayerdoc import format_text
    from prayerdoc._parser import parse_text
    from prayerdoc.conservation import missing_words
    from prayerdoc.diagnostics import errors_in
    from prayerdoc.source import normalise

    normalised = normalise(text)
    parsed = parse_text(normalised)
    if parsed.bulletin is None:
        return Outcome(
            None,
            tuple(
                f"{d.line}:{d.column}: {d.code} {d.message}" for d in errors_in(parsed.diagnostics)
            ),
        )
    missing = missing_words(normalised, parsed.bulletin)
    if missing:
        return Outcome(
            None,
            tuple(
                f"{line}:{column}: the word '{word}' would be lost; not reformatted"
                for word, line, column in missing
            ),
        )
    formatted = format_text(parsed.bulletin)
    if parse_text(formatted).bulletin != parsed.bulletin:
        return Outcome(
            None, ("1:1: the canonical layout would not read back the same; not reformatted",)
        )
    return Outcome(formatted)


def register(subparsers: Any) -> None:
    """Add the ``fmt`` command to the ``prayerdoc`` parser."""
    parser: argparse.ArgumentParser = subparsers.add_parser(
        "fmt",
        help=SUMMARIES["fmt"],
        description="Rewrite bulletin files in the canonical layout: one block a line, a blank"
        " line between blocks, requests as '  • ' bullets, the verse in curly quotes and"
        " '— ' before its reference.",
        epilog=_EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("paths", nargs="+", metavar="PATH", help="files, folders, or - for stdin")
    mode = parser.add_mutually_exclusive_group()
    mode.add_argument(
        "--check", action="store_true", help="write nothing; exit 1 if a file would change"
    )
    mode.add_argument(
        "--diff", action="store_true", help="print a unified diff of the changes; write nothing"
    )
    parser.add_argument("--encoding", help="text encoding of the files (default: UTF-8)")
    parser.add_argument(
        "--max-bytes", type=positive, metavar="N", help="refuse files larger than N bytes"
    )
    parser.set_defaults(run=run)


def _diff(before: str, after: str, name: str) -> str:
    """A unified diff that marks a missing final newline as ``diff -u`` does."""
    lines = difflib.unified_diff(
        before.splitlines(keepends=True),
        after.splitlines(keepends=True),
        fromfile=name,
        tofile=name,
    )
    return "".join(
        line if line.endswith("\n") else f"{line}\n\\ No newline at end of file\n" for line in lines
    )


def _say(message: str) -> None:
    print(message, file=sys.stderr)


def _one(target: Target, args: argparse.Namespace) -> int:
    """Format one input; return its exit status."""
    from prayerdoc._io import read_text, write_atomic
    from prayerdoc.diagnostics import Diagnostic
    from prayerdoc.source import DEFAULT_MAX_BYTES

    max_bytes = DEFAULT_MAX_BYTES if args.max_bytes is None else args.max_bytes
    text = read_text(
        target.read_from, encoding=args.encoding, max_bytes=max_bytes, only_regular=target.in_folder
    )
    if isinstance(text, Diagnostic):
        _say(str(text.with_source(target.shown)))
        return EXIT_PROBLEMS
    outcome = format_source(text)
    if outcome.formatted is None:
        for problem in outcome.problems:
            _say(f"{target.shown}:{problem}")
        return EXIT_PROBLEMS
    changed = outcome.formatted != text
    if args.diff:
        if changed:
            emit(_diff(text, outcome.formatted, target.shown))
        return EXIT_PROBLEMS if changed else EXIT_OK
    if args.check:
        if changed:
            _say(f"would reformat {target.shown}")
        return EXIT_PROBLEMS if changed else EXIT_OK
    if target.read_from == STDIO:
        emit(outcome.formatted)
    elif changed:
        write_atomic(target.read_from, outcome.formatted)
        _say(f"reformatted {target.shown}")
    return EXIT_OK


def run(args: argparse.Namespace) -> int:
    """Format every file named and return the exit status."""
    files, problems = targets(args.paths)
    status = EXIT_OK
    for problem in problems:
        _say(f"prayerdoc fmt: error: {problem}")
        status = EXIT_USAGE
    for target in files:
        try:
            result = _one(target, args)
        except OSError as error:
            reason = error.strerror or error
            _say(f"prayerdoc fmt: error: cannot read or write '{target.shown}': {reason}")
            result = EXIT_USAGE
        status = max(status, result)
    return status
