"""``prayerdoc convert``: the command line of :mod:`prayerdoc.plan` and :mod:`prayerdoc.batch`.

It declares the options, has :func:`prayerdoc.plan.make_plan` check them
together, runs :func:`prayerdoc.batch.convert_all` and reports what came of it.
"""

from __future__ import annotations

import argparse
import functools
import sys
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, TypeVar

from prayerdoc.commands import EXIT_OK, EXIT_PROBLEMS, EXIT_USAGE
from prayerdoc.commands._files import add_jobs, positive
from prayerdoc.source import DEFAULT_MAX_BYTES

if TYPE_CHECKING:
    from prayerdoc.batch import Problem

__all__ = ["DESCRIPTION", "EPILOG", "arguments", "run"]

_T = TypeVar("_T")

DESCRIPTION = """\
Convert bulletins to JSON, Markdown, iCalendar, HTML or canonical text.

The input format is taken from --from, else from the file's extension (.json is
JSON, .md and .markdown Markdown, .html and .htm web pages, .eml e-mail
messages; an unknown extension, or none, is bulletin text). Words of a page
that stand outside its bulletin (navigation, footers) are printed as PD406
warnings, an e-mail's Date: used for a bulletin without a date as PD407. The output format is
taken from --to, else from the extension of -o FILE, else it is JSON. Output
goes to stdout unless -o or --out-dir is given; '-' as INPUT reads stdin and
'-o -' writes stdout. -o writes through a symlink, keeps a file's permissions,
refuses a read-only file, and writes to a pipe or a device as a stream.

Several inputs make one output (-o FILE or stdout): one calendar feed for
ical, one archive for json (read back by --from json), one digest, newest
first, for markdown. Text and HTML hold one bulletin per file, so several
inputs to them need --out-dir. With --out-dir DIR, each input is written there
as its own name with the output format's extension (.json, .md, .ics, .html,
.txt). Every destination is checked before anything is converted, and nothing
is written unless every input converts: outputs are staged, then moved into
place. -j N reads and converts the inputs in N processes.

Exit status: 0 converted, 1 an input could not be converted (each problem is
printed as 'file:line:col: CODE message'), 2 usage error (bad options, a path
that cannot be read or written, a bulletin without a date for iCalendar and
no --start)."""

EPILOG = """\
examples:
  prayerdoc convert bulletin.txt --to markdown -o bulletin.md
  prayerdoc convert bulletin.txt -o bulletin.json
  prayerdoc convert bulletin.txt --to ical --start 2024-03-01 -o prayers.ics
  prayerdoc convert bulletin.txt --to html --standalone -o bulletin.html
  prayerdoc convert page.html --to text
  prayerdoc convert newsletter.eml --to json
  prayerdoc convert bulletins/*.txt --calendar-name "Team prayers" -o prayers.ics
  prayerdoc convert bulletins/*.txt -o archive.json
  prayerdoc convert bulletins/*.txt --to json --out-dir build/json
  cat bulletin.json | prayerdoc convert - --from json --to text"""


def _value(read: Callable[[str], _T]) -> Callable[[str], _T]:
    """An argparse type from a library function whose ValueError says what is wrong."""

    def value(text: str) -> _T:
        try:
            return read(text)
        except ValueError as error:
            raise argparse.ArgumentTypeError(str(error)) from None

    return value


def arguments(parser: argparse.ArgumentParser) -> None:
    """Declare the options of ``convert``."""
    from prayerdoc import formats
    from prayerdoc.dates import iso_date
    from prayerdoc.formats.ical import SCHEDULES
    from prayerdoc.plan import checked_format

    parser.add_argument(
        "inputs",
        nargs="+",
        metavar="INPUT",
        help="bulletin files (text, JSON, Markdown, web pages or e-mails); '-' reads stdin",
    )
    parser.add_argument(
        "--to",
        type=_value(functools.partial(checked_format, reading=False)),
        metavar="FORMAT",
        help=f"{formats.described(formats.writable())}; default: from -o's extension, else json",
    )
    parser.add_argument(
        "--from",
        dest="source_format",
        type=_value(functools.partial(checked_format, reading=True)),
        metavar="FORMAT",
        help=f"{formats.described(formats.readable())}; default: from the input's extension,"
        " else text",
    )
    destination = parser.add_mutually_exclusive_group()
    destination.add_argument(
        "-o", "--output", metavar="FILE", help="write to FILE ('-': stdout; the default)"
    )
    destination.add_argument(
        "--out-dir",
        metavar="DIR",
        help="write each input to DIR as NAME.EXT (DIR is created if missing), "
        "not all inputs to one output",
    )
    # How each writer option of the registry is given; its help names the formats taking it.
    settings: dict[str, dict[str, Any]] = {
        "start": {
            "type": _value(iso_date),
            "metavar": "YYYY-MM-DD",
            "help": "the first day of a bulletin that has no date of its own",
        },
        "schedule": {
            "choices": SCHEDULES,
            "help": "'daily' puts request i on the bulletin's day + i (the default); "
            "'single' puts all on its day; 'region' gives each section a day",
        },
        "calendar_name": {
            "metavar": "TEXT",
            "help": "the calendar's name (default: the bulletins' shared title, "
            "else 'Prayer requests')",
        },
        "calendar_description": {"metavar": "TEXT", "help": "a description of the calendar"},
        "standalone": {
            "action": "store_true",
            "help": "a whole page (title, language, character set, a small stylesheet) "
            "instead of a fragment",
        },
    }
    for option, takers in formats.OPTIONS.items():
        given = settings[option]
        said = f"{' or '.join(takers)}: {given['help']}"
        parser.add_argument(
            f"--{option.replace('_', '-')}", **{**given, "help": said}, default=None
        )
    parser.add_argument(
        "--encoding", metavar="ENC", help="read inputs in this encoding (default: UTF-8)"
    )
    parser.add_argument(
        "--max-bytes",
        type=positive,
        default=DEFAULT_MAX_BYTES,
        metavar="N",
        help=f"refuse inputs larger than N bytes (default: {DEFAULT_MAX_BYTES})",
    )
    add_jobs(parser, "convert")


def _say(problem: Problem) -> None:
    """Print a problem or warning, with the option that would help where there is one."""
    message = problem.message
    if problem.cause is not None:
        from prayerdoc.formats.ical import NoDateError

        if isinstance(problem.cause, NoDateError):
            message += "; pass --start YYYY-MM-DD"
    print(f"prayerdoc convert: {message}" if problem.usage else message, file=sys.stderr)


def run(args: argparse.Namespace) -> int:
    """Convert every input and write them all, or nothing if any failed."""
    from prayerdoc import _io, batch, formats
    from prayerdoc.plan import PlanError, make_plan

    try:
        plan = make_plan(
            args.inputs,
            read_as=args.source_format,
            write_as=args.to,
            output=args.output,
            out_dir=args.out_dir,
            options={name: getattr(args, name) for name in formats.OPTIONS},
            encoding=args.encoding,
            max_bytes=args.max_bytes,
        )
    except PlanError as error:
        print(f"prayerdoc convert: error: {error}", file=sys.stderr)
        return EXIT_USAGE
    result = batch.convert_all(plan, jobs=args.jobs, report=_say)
    if result.error is not None:
        where = f"'{result.error.filename}'" if result.error.filename else "the output"
        why = _io.reason(result.error)
        print(f"prayerdoc convert: cannot write {where}: {why}", file=sys.stderr)
        return EXIT_USAGE
    if result.failed:
        if plan.writes_files:
            count = len(plan.inputs)
            print(
                f"prayerdoc convert: nothing written: {result.failed} of {count} "
                f"input{'s' if count > 1 else ''} could not be converted",
                file=sys.stderr,
            )
        return EXIT_USAGE if result.usage else EXIT_PROBLEMS
    if result.output is not None:
        _io.write_stdout(result.output)
    return EXIT_OK
