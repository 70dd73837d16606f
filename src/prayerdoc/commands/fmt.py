"""``prayerdoc fmt``: rewrite bulletin files in the canonical layout, never losing a word."""

from __future__ import annotations

import argparse
import difflib
import os
import sys

from prayerdoc._io import STDIO, reason
from prayerdoc.commands import EXIT_OK, EXIT_PROBLEMS, EXIT_USAGE
from prayerdoc.commands._files import (
    InputFile,
    emit,
    input_files,
    positive,
)

__all__ = ["DESCRIPTION", "EPILOG", "arguments", "run"]

DESCRIPTION = (
    "Rewrite bulletin files in the canonical layout: one block a line, a blank"
    " line between blocks, requests as '  • ' bullets, the verse in curly quotes and"
    " '— ' before its reference."
)

EPILOG = """\
examples:
  prayerdoc fmt bulletins/
  prayerdoc fmt --check bulletins/          # exit 1 if a file would change
  prayerdoc fmt --diff bulletin.txt         # show the changes, write nothing
  prayerdoc fmt --check --diff bulletins/   # both, as a CI step
  prayerdoc fmt - < bulletin.txt > tidy.txt

Files are rewritten atomically, as UTF-8 with '\\n' line ends, keeping their
permissions; a symlink is written through to its target; a read-only file, a
pipe or a device is refused. A file that does not parse, or whose words would
not all survive the rewrite, is reported (path:line:col) and left as it is.
Exit status: 0 nothing to do or all files written, 1 a file would change
(--check, --diff) or could not be formatted, 2 a usage error or a path that
cannot be read or written.
"""


def arguments(parser: argparse.ArgumentParser) -> None:
    """Declare the options of ``fmt``."""
    parser.add_argument("paths", nargs="+", metavar="PATH", help="files, folders, or - for stdin")
    parser.add_argument(
        "--check",
        action="store_true",
        help="write nothing; name each file that would change and exit 1",
    )
    parser.add_argument(
        "--diff",
        action="store_true",
        help="write nothing; print a unified diff of the changes and exit 1 if there are any"
        " (with --check, the names too)",
    )
    parser.add_argument("--encoding", help="text encoding of the files (default: UTF-8)")
    parser.add_argument(
        "--max-bytes", type=positive, metavar="N", help="refuse files larger than N bytes"
    )


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


def _one(bulletin: InputFile, args: argparse.Namespace) -> int:
    """Format one input; return its exit status."""
    from prayerdoc import _io, pipeline
    from prayerdoc.diagnostics import Diagnostic
    from prayerdoc.source import DEFAULT_MAX_BYTES

    rewrite = bulletin.read_from != STDIO and not (args.check or args.diff)
    # A pipe or a device cannot be rewritten in place: refused before it is drained.
    if rewrite and _io.is_stream(bulletin.read_from):
        _say(
            f"prayerdoc fmt: error: cannot rewrite '{bulletin.shown}': it is "
            f"{_io.kind(os.stat(bulletin.read_from).st_mode)}; use --check or --diff, or"
            f" 'prayerdoc fmt - < {bulletin.shown}'"
        )
        return EXIT_USAGE
    max_bytes = DEFAULT_MAX_BYTES if args.max_bytes is None else args.max_bytes
    text = _io.read_text(
        bulletin.read_from,
        encoding=args.encoding,
        max_bytes=max_bytes,
        only_regular=bulletin.in_folder,
    )
    if isinstance(text, Diagnostic):
        _say(str(text.with_source(bulletin.shown)))
        return EXIT_PROBLEMS
    outcome = pipeline.convert(text, source=bulletin.shown)
    if outcome.output is None:
        for problem in outcome.problems:
            _say(problem)
        return EXIT_PROBLEMS
    formatted = outcome.output
    changed = formatted != text
    if args.check or args.diff:
        if changed and args.diff:
            emit(_diff(text, formatted, bulletin.shown))
        if changed and args.check:
            _say(f"would reformat {bulletin.shown}")
        return EXIT_PROBLEMS if changed else EXIT_OK
    if not rewrite:
        emit(formatted)
    elif changed:
        # Through a symlink to its target; a read-only file is refused, not replaced.
        _io.write_file(bulletin.read_from, formatted)
        _say(f"reformatted {bulletin.shown}")
    return EXIT_OK


def run(args: argparse.Namespace) -> int:
    """Format every file named and return the exit status."""
    files, problems = input_files(args.paths)
    status = EXIT_OK
    for problem in problems:
        _say(f"prayerdoc fmt: error: {problem}")
        status = EXIT_USAGE
    for bulletin in files:
        try:
            result = _one(bulletin, args)
        except OSError as error:
            why = reason(error)
            _say(f"prayerdoc fmt: error: cannot read or write '{bulletin.shown}': {why}")
            result = EXIT_USAGE
        status = max(status, result)
    return status
