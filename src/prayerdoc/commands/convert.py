"""``prayerdoc convert``: the command line of :func:`prayerdoc.pipeline.convert`.

It parses the options, checks every destination before converting anything,
runs the pipeline on each input (in worker processes with ``-j``), and writes
the outputs only when all have converted: with ``--out-dir`` each is staged
in a private folder inside the destination, so memory stays flat over
thousands of files, then moved into place (each move atomic). Several inputs
without ``--out-dir`` go through one writer, bulletin by bulletin, into one
output (a feed, an archive, a digest), so memory follows the output alone.
"""

from __future__ import annotations

import argparse
import datetime
import itertools
import os
import sys
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path, PurePath
from typing import Any, TypeVar

import attrs

from prayerdoc import _io, pipeline
from prayerdoc._io import STDIO
from prayerdoc.commands import EXIT_OK, EXIT_PROBLEMS, EXIT_USAGE, add_command
from prayerdoc.commands._files import add_jobs, positive, worker_pool
from prayerdoc.model import Bulletin
from prayerdoc.source import DEFAULT_MAX_BYTES

__all__ = ["register", "run"]

_T = TypeVar("_T")

_DESCRIPTION = """\
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

_EPILOG = """\
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


def _format(name: str, *, reading: bool) -> str:
    """An argparse type for --to and --from: a format prayerdoc writes, or reads."""
    from prayerdoc import formats

    try:
        resolved = formats.resolve(name)
    except ValueError as error:
        raise argparse.ArgumentTypeError(str(error)) from None
    able = formats.readable() if reading else formats.writable()
    if resolved not in able:
        verb = "reads" if reading else "writes"
        raise argparse.ArgumentTypeError(
            f"prayerdoc cannot {verb[:-1]} {resolved}; it {verb} {' and '.join(able)}"
        )
    return resolved


def _output_format(name: str) -> str:
    return _format(name, reading=False)


def _input_format(name: str) -> str:
    return _format(name, reading=True)


def _choices(names: tuple[str, ...]) -> str:
    """``a (x), b or c``: formats with their aliases, for help texts."""
    from prayerdoc.formats import REGISTRY

    shown = [
        f"{name} ({', '.join(REGISTRY[name].aliases)})" if REGISTRY[name].aliases else name
        for name in names
    ]
    return ", ".join(shown[:-1]) + f" or {shown[-1]}" if len(shown) > 1 else shown[0]


def _iso_date(value: str) -> datetime.date:
    """A day written YYYY-MM-DD; the error says whether the writing or the day is wrong."""
    import calendar
    import re

    match = re.fullmatch(r"(\d{4})-(\d{2})-(\d{2})", value)
    if match is None:
        raise argparse.ArgumentTypeError(f"'{value}' is not a date written YYYY-MM-DD")
    year, month, day = map(int, match.groups())
    if year < 1:
        raise argparse.ArgumentTypeError(f"'{value}': there is no year 0; years start at 0001")
    if not 1 <= month <= 12:
        raise argparse.ArgumentTypeError(
            f"'{value}': there is no month {month:02}; months run from 01 to 12"
        )
    days = calendar.monthrange(year, month)[1]
    if not 1 <= day <= days:
        raise argparse.ArgumentTypeError(
            f"'{value}': that day does not exist; {calendar.month_name[month]} {year}"
            f" has {days} days"
        )
    return datetime.date(year, month, day)


def register(subparsers: Any) -> None:
    """Add the ``convert`` command to the tool's subcommands."""
    from prayerdoc import formats
    from prayerdoc.formats.ical import SCHEDULES

    parser = add_command(subparsers, "convert", description=_DESCRIPTION, epilog=_EPILOG)
    parser.add_argument(
        "inputs",
        nargs="+",
        metavar="INPUT",
        help="bulletin files (text, JSON, Markdown, web pages or e-mails); '-' reads stdin",
    )
    parser.add_argument(
        "--to",
        type=_output_format,
        metavar="FORMAT",
        help=f"{_choices(formats.writable())}; default: from -o's extension, else json",
    )
    parser.add_argument(
        "--from",
        dest="source_format",
        type=_input_format,
        metavar="FORMAT",
        help=f"{_choices(formats.readable())}; default: from the input's extension, else text",
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
            "type": _iso_date,
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
    parser.set_defaults(run=run)


class UsageError(Exception):
    """A problem with the command line itself; reported with exit code 2."""


@attrs.frozen
class _Plan:
    """What one run does: the output format, its options, and where the outputs go."""

    write_as: str
    options: dict[str, Any]
    output: str | None  # -o FILE; None for stdout
    out_dir: Path | None

    def destinations(self, inputs: Iterable[str]) -> Iterator[str | None]:
        """Where each input goes, made one at a time so that memory stays flat."""
        if self.out_dir is None:
            yield self.output
            return
        for source in inputs:
            yield os.path.join(self.out_dir, _file_name(source, self.write_as))


def _write_as(args: argparse.Namespace) -> str:
    from prayerdoc import formats

    if args.to is not None:
        return str(args.to)
    if args.output not in (None, STDIO):
        found = formats.by_extension(args.output)
        if found is None or found not in formats.writable():
            raise UsageError(
                f"cannot tell the output format from '{args.output}'; "
                f"pass --to {_choices(formats.writable())}"
            )
        return found
    return "json"


def _read_as(source: str, args: argparse.Namespace) -> str:
    from prayerdoc import formats

    if args.source_format is not None:
        return str(args.source_format)
    if source == STDIO:
        return "text"
    return formats.from_path(source)


def _file_name(source: str, write_as: str) -> str:
    """The name an input gets in --out-dir: its own name's stem, never a path."""
    from prayerdoc.formats import REGISTRY

    stem = PurePath(source.replace("\\", "/")).stem
    name = stem + REGISTRY[write_as].extension
    if stem in ("", ".", "..") or any(char in name for char in "/\\\0"):
        raise UsageError(f"cannot name an output file after '{source}'; rename the input")
    return name


def _check_out_dir(args: argparse.Namespace, write_as: str) -> None:
    """Refuse a --out-dir run whose inputs cannot each get a file of their own in DIR."""
    out_dir = Path(args.out_dir)
    if out_dir.exists() and not out_dir.is_dir():
        raise UsageError(f"--out-dir '{args.out_dir}' is not a folder")
    if STDIO in args.inputs:
        raise UsageError("stdin ('-') has no name to write under --out-dir; use -o FILE")
    base = os.path.abspath(out_dir)
    # Hashes, not names: memory stays flat over many thousands of inputs.
    seen: set[int] = set()
    for index, source in enumerate(args.inputs):
        name = _file_name(source, write_as)
        # Belt and braces: whatever the name, the file lands directly in the folder.
        if os.path.dirname(os.path.abspath(os.path.join(base, name))) != base:
            raise UsageError(f"cannot name an output file after '{source}'; rename the input")
        key = hash(name.casefold())
        if key in seen:
            earlier = next(
                (
                    s
                    for s in args.inputs[:index]
                    if _file_name(s, write_as).casefold() == name.casefold()
                ),
                None,
            )
            if earlier is not None:
                raise UsageError(
                    f"'{earlier}' and '{source}' would both be written to "
                    f"'{out_dir / name}'; convert them separately"
                )
        seen.add(key)


def _writer_options(args: argparse.Namespace, write_as: str) -> dict[str, Any]:
    """The writer options given, each checked to be one the output format takes."""
    from prayerdoc.formats import OPTIONS, REGISTRY

    given = {name: getattr(args, name) for name in OPTIONS if getattr(args, name) is not None}
    misplaced = [name for name in given if name not in REGISTRY[write_as].options]
    if misplaced:
        takers = [e.name for e in REGISTRY.values() if set(misplaced) <= set(e.options)]
        flags = " and ".join(f"--{name.replace('_', '-')}" for name in misplaced)
        verb = "apply" if len(misplaced) > 1 else "applies"
        raise UsageError(f"{flags} {verb} only to --to {' or '.join(takers)}")
    return given


def _check_destinations(plan: _Plan, inputs: list[str]) -> None:
    """Refuse the run before converting anything if any destination cannot be written."""
    from prayerdoc import _io

    for destination in plan.destinations(inputs):
        if destination is None:
            continue
        try:
            # In --out-dir a symlink is replaced, never followed: nothing leaves DIR.
            real = _io.writable_destination(destination, through_links=plan.out_dir is None)
        except OSError as error:
            raise UsageError(f"cannot write '{destination}': {_io.reason(error)}") from None
        if plan.out_dir is not None and _io.is_stream(real):
            raise UsageError(
                f"cannot write '{destination}': it is {_io.kind(os.stat(real).st_mode)};"
                " remove it or choose another --out-dir"
            )


def _plan(args: argparse.Namespace) -> _Plan:
    """Check the options together; raise UsageError for a combination that cannot work."""
    from prayerdoc import formats

    write_as = _write_as(args)
    options = _writer_options(args, write_as)
    if args.inputs.count(STDIO) > 1:
        raise UsageError("stdin ('-') can be read only once")
    for source in args.inputs:
        read_as = _read_as(source, args)
        if read_as not in formats.readable():
            raise UsageError(
                f"cannot read '{source}' as {read_as}; prayerdoc reads "
                f"{_choices(formats.readable())} (pass --from text if it is bulletin text)"
            )
    if args.out_dir is not None:
        _check_out_dir(args, write_as)
        plan = _Plan(write_as, options, None, Path(args.out_dir))
    elif len(args.inputs) > 1 and write_as not in formats.MANY:
        raise UsageError(
            f"--to {write_as} writes one bulletin per file; give several inputs --out-dir DIR"
        )
    else:
        plan = _Plan(write_as, options, None if args.output in (None, STDIO) else args.output, None)
    _check_destinations(plan, args.inputs)
    return plan


def _convert(source: str, args: argparse.Namespace, plan: _Plan) -> pipeline.Outcome:
    """Read and convert one input; runs in a worker process with ``-j``, so it prints nothing."""
    outcome = pipeline.convert_file(
        source,
        read_as=_read_as(source, args),
        write_as=plan.write_as,
        options=plan.options,
        encoding=args.encoding,
        max_bytes=args.max_bytes,
    )
    return _advised(outcome)


def _read(
    source: str, args: argparse.Namespace, plan: _Plan
) -> tuple[pipeline.Read, tuple[str, ...]] | pipeline.Outcome:
    """One input's bulletins (a tuple for an archive) and notes; runs in a worker with ``-j``."""
    return pipeline.read_file(
        source, read_as=_read_as(source, args), encoding=args.encoding, max_bytes=args.max_bytes
    )


def _advised(outcome: pipeline.Outcome) -> pipeline.Outcome:
    """The outcome with the option that would help, where the library only names the problem."""
    from prayerdoc.formats.ical import NoDateError

    if isinstance(outcome.error, NoDateError):
        advice = tuple(f"{problem}; pass --start YYYY-MM-DD" for problem in outcome.problems)
        return attrs.evolve(outcome, problems=advice)
    return outcome


def _write_stdout(text: str) -> None:
    sys.stdout.flush()
    # Bytes as written: iCalendar's CRLF must not become anything else.
    buffer = getattr(sys.stdout, "buffer", None)
    if buffer is None:
        sys.stdout.write(text)
    else:
        buffer.write(text.encode("utf-8"))
        buffer.flush()


def _results(
    work: Callable[[str, argparse.Namespace, _Plan], _T], args: argparse.Namespace, plan: _Plan
) -> Iterator[_T]:
    """``work`` done on each input, in input order; with ``-j N``, in N worker processes."""
    pool = worker_pool(args.jobs, len(args.inputs))
    if pool is None:
        yield from (work(source, args, plan) for source in args.inputs)
        return
    with pool:
        yield from pool.map(
            work, args.inputs, itertools.repeat(args), itertools.repeat(plan), chunksize=16
        )


class _Tally:
    """What the inputs came to so far: the worst exit code, how many failed, the last read."""

    def __init__(self) -> None:
        self.worst = EXIT_OK
        self.failed = 0
        self.source = ""

    def count(self, outcome: pipeline.Outcome) -> None:
        """Report the problems of an input that failed."""
        for problem in outcome.problems:
            print(f"prayerdoc convert: {problem}" if outcome.usage else problem, file=sys.stderr)
        if outcome.output is None:
            self.failed += 1
            self.worst = max(self.worst, EXIT_USAGE if outcome.usage else EXIT_PROBLEMS)

    def nothing_written(self, plan: _Plan, count: int) -> None:
        if plan.out_dir is not None or plan.output is not None:
            print(
                f"prayerdoc convert: nothing written: {self.failed} of {count} "
                f"input{'s' if count > 1 else ''} could not be converted",
                file=sys.stderr,
            )


def _every_bulletin(args: argparse.Namespace, plan: _Plan, tally: _Tally) -> Iterator[Bulletin]:
    """Each input's bulletins in order, until one fails; the rest are still read and reported."""
    for source, found in zip(args.inputs, _results(_read, args, plan), strict=True):
        tally.source = pipeline.file_name(source)
        if isinstance(found, pipeline.Outcome):
            tally.count(found)
            continue
        bulletins, notes = found
        for note in notes:  # a reader's warnings (words left out of a page)
            print(note, file=sys.stderr)
        if tally.worst != EXIT_OK:
            continue  # something already failed: keep reporting, stop writing
        yield from (bulletins,) if isinstance(bulletins, Bulletin) else bulletins


def _joined(args: argparse.Namespace, plan: _Plan) -> tuple[str | None, _Tally]:
    """Several inputs, one output: every bulletin through one writer, one at a time."""
    tally = _Tally()
    bulletins = _every_bulletin(args, plan, tally)
    outcome = pipeline.write_bulletin(bulletins, plan.write_as, source="", options=plan.options)
    if outcome.error is not None:
        # The writer stopped at a bulletin (one without a date): name the input it came from.
        named = attrs.evolve(outcome, problems=(f"{tally.source}: {outcome.error}",))
        tally.count(_advised(named))
    return (outcome.output if tally.worst == EXIT_OK else None), tally


def _each(
    args: argparse.Namespace, plan: _Plan, staging: _io.Staging | None
) -> tuple[str | None, _Tally]:
    """Each input to its own output: staged in --out-dir, or the one output held for -o."""
    tally = _Tally()
    single: str | None = None  # the output for stdout or -o, held until all is well
    for outcome in _results(_convert, args, plan):
        tally.count(outcome)
        if outcome.output is None or tally.worst != EXIT_OK:
            continue  # something failed: keep reporting, stop writing
        if staging is not None:
            staging.add(outcome.output)
        else:
            single = outcome.output
    return single, tally


def run(args: argparse.Namespace) -> int:
    """Convert every input and write them all, or nothing if any failed."""
    from prayerdoc import _io

    try:
        plan = _plan(args)
    except UsageError as error:
        print(f"prayerdoc convert: error: {error}", file=sys.stderr)
        return EXIT_USAGE
    staging = _io.Staging(plan.out_dir) if plan.out_dir is not None else None
    try:
        if plan.out_dir is None and len(args.inputs) > 1:
            single, tally = _joined(args, plan)
        else:
            single, tally = _each(args, plan, staging)
        if tally.worst != EXIT_OK:
            tally.nothing_written(plan, len(args.inputs))
            return tally.worst
        if staging is not None:
            staging.commit(plan.destinations(args.inputs))
        elif plan.output is not None and single is not None:
            _io.write_file(plan.output, single, durable=False, create_folders=True)
        elif single is not None:
            _write_stdout(single)
    except BrokenPipeError:
        raise  # the reader of stdout went away; the tool's entry point handles it
    except OSError as error:
        where = f"'{error.filename}'" if error.filename else "the output"
        print(f"prayerdoc convert: cannot write {where}: {_io.reason(error)}", file=sys.stderr)
        return EXIT_USAGE
    finally:
        if staging is not None:
            staging.discard()
    return EXIT_OK
