"""``prayerdoc check``: report every problem in bulletin files, for editors and CI."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Iterator
from typing import TYPE_CHECKING

from prayerdoc._io import reason
from prayerdoc.commands import EXIT_OK, EXIT_PROBLEMS, EXIT_USAGE
from prayerdoc.commands._files import (
    InputFile,
    add_jobs,
    emit,
    input_files,
    positive,
)

if TYPE_CHECKING:
    from prayerdoc.diagnostics import Diagnostic

__all__ = ["DESCRIPTION", "EPILOG", "arguments", "run"]

DESCRIPTION = "Check bulletin files and report every problem with its code and place."

EPILOG = """\
examples:
  prayerdoc check bulletins/
  prayerdoc check --format github --select PD1,PD2 bulletins/
  cat bulletin.txt | prayerdoc check --stdin-filename bulletin.txt -

Folders are searched for *.txt files (hidden folders are skipped). Files
named *.md or *.markdown are read as Markdown, *.html or *.htm as web pages,
*.eml as e-mail messages: their findings are placed at their line and column
in that file (in an e-mail, in its decoded part). Errors are
the findings that stop convert and fmt; the others are warnings. 'prayerdoc
rule CODE' explains a code and 'prayerdoc rule' lists them all.
[tool.prayerdoc] in pyproject.toml sets select, ignore, strict and max-bytes.
Exit status: 0 no errors, 1 errors found (or warnings with --strict), 2 a
usage error or a path that cannot be read.
"""


def arguments(parser: argparse.ArgumentParser) -> None:
    """Declare the options of ``check``."""
    parser.add_argument("paths", nargs="+", metavar="PATH", help="files, folders, or - for stdin")
    parser.add_argument(
        "--format",
        choices=("text", "json", "github", "sarif"),
        default="text",
        help="output format (default: text, 'path:line:col: CODE message')",
    )
    parser.add_argument(
        "--select",
        action="append",
        metavar="CODES",
        help="report only these codes or prefixes (comma-separated; repeatable);"
        " replaces 'select' from pyproject.toml",
    )
    parser.add_argument(
        "--extend-select",
        action="append",
        metavar="CODES",
        help="report these codes or prefixes as well as the selected ones",
    )
    parser.add_argument(
        "--ignore",
        action="append",
        metavar="CODES",
        help="do not report these codes or prefixes (comma-separated; repeatable);"
        " added to 'ignore' from pyproject.toml",
    )
    parser.add_argument(
        "--strict",
        action="store_true",
        default=None,
        help="warnings fail the run too (exit 1)",
    )
    parser.add_argument("--encoding", help="text encoding of the files (default: UTF-8)")
    parser.add_argument(
        "--max-bytes",
        type=positive,
        metavar="N",
        help="report files larger than N bytes (PD109) instead of reading them",
    )
    parser.add_argument(
        "--stdin-filename", metavar="NAME", help="the path to show for input read from -"
    )
    parser.add_argument(
        "--statistics",
        action="store_true",
        help="print how many times each code was found instead of the findings",
    )
    add_jobs(parser, "check files")


def _fail(message: str) -> int:
    print(f"prayerdoc check: error: {message}", file=sys.stderr)
    return EXIT_USAGE


def _check_file(
    bulletin: InputFile, reading: tuple[str | None, int | None]
) -> list[Diagnostic] | OSError:
    """:func:`prayerdoc.checks.check_file` for one input; runs in a worker with ``-j``."""
    from prayerdoc.checks import check_file

    encoding, max_bytes = reading
    return check_file(
        bulletin.read_from,
        source=bulletin.shown,
        encoding=encoding,
        max_bytes=max_bytes,
        only_regular=bulletin.in_folder,
    )


def _checked(
    files: list[InputFile], encoding: str | None, max_bytes: int | None, jobs: int
) -> Iterator[tuple[InputFile, list[Diagnostic] | OSError]]:
    """Each file with its findings (or why it could not be read), in the order given."""
    from prayerdoc.workers import in_order, jobs_for

    jobs = jobs_for((t.read_from for t in files), jobs)
    found = in_order(_check_file, files, (encoding, max_bytes), jobs=jobs, chunksize=8)
    yield from zip(files, found, strict=True)


def run(args: argparse.Namespace) -> int:
    """Check every file named, print the findings, and return the exit status."""
    from prayerdoc import config, reporters
    from prayerdoc.diagnostics import Severity

    try:
        settings = config.with_options(
            config.load(),
            select=args.select,
            extend_select=args.extend_select or (),
            ignore=args.ignore or (),
            strict=args.strict,
            max_bytes=args.max_bytes,
        )
    except config.ConfigError as error:
        return _fail(str(error))

    status = EXIT_OK
    found: list[Diagnostic] = []
    read = 0
    files, problems = input_files(args.paths, stdin_name=args.stdin_filename)
    for problem in problems:
        status = _fail(problem)
    for bulletin, result in _checked(files, args.encoding, settings.max_bytes, args.jobs):
        if isinstance(result, OSError):
            status = _fail(f"cannot read '{bulletin.shown}': {reason(result)}")
            continue
        read += 1
        found.extend(f for f in result if settings.reports(f.code))
    if not files and not problems:
        print("prayerdoc check: no *.txt files found in the paths given", file=sys.stderr)

    errors = sum(f.severity is Severity.ERROR for f in found)
    failing = errors > 0 or (settings.strict and bool(found))
    if status == EXIT_OK and failing:
        status = EXIT_PROBLEMS
    report = reporters.statistics if args.statistics else reporters.REPORTERS[args.format]
    output = report(found)
    if args.format == "text" and not args.statistics and read:
        # On stdout after the findings, as one stream: a CI log that merges stdout
        # and stderr cannot glue it to the last finding.
        output += reporters.summary(errors, len(found) - errors, read)
        if failing and not errors:
            why = "--strict" if args.strict else f"strict = true in {settings.path}"
            output = output[:-1] + f"; {why} makes warnings fail the run\n"
    emit(output)
    return status
