"""``prayerdoc convert``: bulletins from text or JSON to JSON, Markdown, iCalendar or text.

Each converted input is written at once into a private staging folder beside
its destination, so memory stays flat over thousands of files; only when every
input has converted are the staged files moved into place (each move atomic).
A run that fails leaves no file behind.
"""

from __future__ import annotations

import argparse
import datetime
import itertools
import os
import sys
from collections.abc import Iterable, Iterator
from pathlib import Path, PurePath
from typing import Any

import attrs

from prayerdoc._io import STDIO
from prayerdoc.commands import EXIT_OK, EXIT_PROBLEMS, EXIT_USAGE, SUMMARIES
from prayerdoc.commands._files import add_jobs, positive, worker_pool
from prayerdoc.source import DEFAULT_MAX_BYTES

__all__ = ["EXTENSIONS", "register", "run"]

#: The file extension each output format is written with.
EXTENSIONS = {"json": ".json", "markdown": ".md", "ical": ".ics", "text": ".txt"}
_READABLE = ("text", "json")
_SCHEDULES = ("daily", "single")

_DESCRIPTION = """\
Convert bulletins to JSON, Markdown, iCalendar or canonical text.

The input format is taken from --from, else from the file's extension (.json is
JSON, anything else is bulletin text). The output format is taken from --to,
else from the extension of -o FILE, else it is JSON. Output goes to stdout
unless -o or --out-dir is given; '-' as INPUT reads stdin and '-o -' writes stdout.

Several inputs need --out-dir: each is written there as its own name with the
output format's extension (.json, .md, .ics, .txt). Outputs are staged beside
their destination and moved into place only when every input has converted:
if any input fails, no file is written at all. -j N converts in N processes.

Exit status: 0 converted, 1 an input could not be converted (each problem is
printed as 'file:line:col: CODE message'), 2 usage error (bad options, a path
that cannot be read or written, a bulletin without a date for iCalendar and
no --start)."""

_EPILOG = """\
examples:
  prayerdoc convert bulletin.txt --to markdown -o bulletin.md
  prayerdoc convert bulletin.txt -o bulletin.json
  prayerdoc convert bulletin.txt --to ical --start 2024-03-01 -o prayers.ics
  prayerdoc convert bulletins/*.txt --to json --out-dir build/json
  cat bulletin.json | prayerdoc convert - --from json --to text"""


def _output_format(name: str) -> str:
    from prayerdoc import formats

    try:
        return formats.resolve(name)
    except ValueError as error:
        raise argparse.ArgumentTypeError(str(error)) from None


def _input_format(name: str) -> str:
    resolved = _output_format(name)
    if resolved not in _READABLE:
        raise argparse.ArgumentTypeError(
            f"prayerdoc cannot read {resolved}; it reads {' and '.join(_READABLE)}"
        )
    return resolved


def _iso_date(value: str) -> datetime.date:
    try:
        if len(value) != 10:
            raise ValueError(value)
        return datetime.date.fromisoformat(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{value}' is not a date written YYYY-MM-DD") from None


def register(subparsers: Any) -> None:
    """Add the ``convert`` command to the tool's subcommands."""
    parser = subparsers.add_parser(
        "convert",
        help=SUMMARIES["convert"],
        description=_DESCRIPTION,
        epilog=_EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument(
        "inputs", nargs="+", metavar="INPUT", help="bulletin files (text or JSON); '-' reads stdin"
    )
    parser.add_argument(
        "--to",
        type=_output_format,
        metavar="FORMAT",
        help="json, markdown (md), ical (ics) or text (txt); default: from -o's extension, "
        "else json",
    )
    parser.add_argument(
        "--from",
        dest="source_format",
        type=_input_format,
        metavar="FORMAT",
        help="text (txt) or json; default: json for .json files and text for the rest",
    )
    destination = parser.add_mutually_exclusive_group()
    destination.add_argument(
        "-o", "--output", metavar="FILE", help="write to FILE ('-': stdout; the default)"
    )
    destination.add_argument(
        "--out-dir",
        metavar="DIR",
        help="write each input to DIR as NAME.EXT (DIR is created if missing)",
    )
    parser.add_argument(
        "--start",
        type=_iso_date,
        metavar="YYYY-MM-DD",
        help="ical: the day of the first request (default: the bulletin's date)",
    )
    parser.add_argument(
        "--schedule",
        choices=_SCHEDULES,
        help="ical: 'daily' puts request i on day start+i (the default); "
        "'single' puts all on the start day",
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
    """What one run does: the output format and where the converted inputs go."""

    target: str
    output: Path | None  # -o FILE; None for stdout
    out_dir: Path | None

    def destinations(self, inputs: Iterable[str]) -> Iterator[Path | None]:
        """Where each input goes, made one at a time so that memory stays flat."""
        if self.out_dir is None:
            yield self.output
            return
        for source in inputs:
            yield self.out_dir / _file_name(source, self.target)


def _target(args: argparse.Namespace) -> str:
    if args.to is not None:
        return str(args.to)
    if args.output not in (None, STDIO):
        from prayerdoc import formats

        suffix = PurePath(args.output).suffix.lower()
        if suffix not in formats.EXTENSIONS:
            raise UsageError(
                f"cannot tell the output format from '{args.output}'; "
                "pass --to json, markdown, ical or text"
            )
        return formats.EXTENSIONS[suffix]
    return "json"


def _file_name(source: str, target: str) -> str:
    """The name an input gets in --out-dir: its own name's stem, never a path."""
    stem = PurePath(source.replace("\\", "/")).stem
    name = stem + EXTENSIONS[target]
    if stem in ("", ".", "..") or any(char in name for char in "/\\\0"):
        raise UsageError(f"cannot name an output file after '{source}'; rename the input")
    return name


def _check_out_dir(args: argparse.Namespace, target: str) -> None:
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
        name = _file_name(source, target)
        # Belt and braces: whatever the name, the file lands directly in the folder.
        if os.path.dirname(os.path.abspath(os.path.join(base, name))) != base:
            raise UsageError(f"cannot name an output file after '{source}'; rename the input")
        key = hash(name.casefold())
        if key in seen:
            earlier = next(
                (
                    s
                    for s in args.inputs[:index]
                    if _file_name(s, target).casefold() == name.casefold()
                ),
                None,
            )
            if earlier is not None:
                raise UsageError(
                    f"'{earlier}' and '{source}' would both be written to "
                    f"'{out_dir / name}'; convert them separately"
                )
        seen.add(key)


def _plan(args: argparse.Namespace) -> _Plan:
    """Check the options together; raise UsageError for a combination that cannot work."""
    target = _target(args)
    if target != "ical" and (args.start is not None or args.schedule is not None):
        raise UsageError("--start and --schedule apply only to --to ical")
    if args.inputs.count(STDIO) > 1:
        raise UsageError("stdin ('-') can be read only once")
    for source in args.inputs:
        read_as = _read_as(source, args)
        if read_as not in _READABLE:
            raise UsageError(
                f"cannot read '{source}' as {read_as}; prayerdoc reads text and json "
                "(pass --from text if it is bulletin text)"
            )
    if args.out_dir is not None:
        _check_out_dir(args, target)
        return _Plan(target, None, Path(args.out_dir))
    if len(args.inputs) > 1:
        raise UsageError("several inputs need --out-dir DIR")
    output = None if args.output in (None, STDIO) else Path(args.output)
    return _Plan(target, output, None)


def _read_as(source: str, args: argparse.Namespace) -> str:
    if args.source_format is not None:
        return str(args.source_format)
    if source == STDIO:
        return "text"
    from prayerdoc import formats

    return formats.from_path(source)


@attrs.frozen
class _Converted:
    """One input's outcome: the converted text or None, its exit code, what to report."""

    text: str | None
    code: int = EXIT_OK
    messages: tuple[str, ...] = ()


def _failed(code: int, *messages: str) -> _Converted:
    return _Converted(None, code, messages)


def _convert(source: str, args: argparse.Namespace, target: str) -> _Converted:
    """Convert one input; runs in a worker process with ``-j``, so it prints nothing."""
    import prayerdoc
    from prayerdoc import _io
    from prayerdoc.conservation import missing_words
    from prayerdoc.diagnostics import Diagnostic, ParseError
    from prayerdoc.source import normalise

    name = "<stdin>" if source == STDIO else source
    try:
        text = _io.read_text(source, encoding=args.encoding, max_bytes=args.max_bytes)
    except OSError as error:
        return _failed(EXIT_USAGE, f"prayerdoc convert: cannot read '{source}': {error.strerror}")
    if isinstance(text, Diagnostic):
        return _failed(EXIT_PROBLEMS, str(text.with_source(name)))
    try:
        if _read_as(source, args) == "json":
            from prayerdoc.formats import json

            bulletin = json.loads(text, source=name)
        else:
            text = normalise(text)
            # The size was checked on the bytes; the text needs no second limit.
            bulletin = prayerdoc.parse(text, source=name, max_bytes=None)
            lost = missing_words(text, bulletin)
            if lost:
                return _failed(
                    EXIT_PROBLEMS,
                    *(
                        f"{name}:{line}:{column}: the word '{word}' would be lost; please report"
                        " this bulletin"
                        for word, line, column in lost
                    ),
                )
    except ParseError as error:
        return _failed(EXIT_PROBLEMS, *map(str, error.errors or error.diagnostics))
    options: dict[str, Any] = {}
    if target == "ical":
        from prayerdoc.formats.ical import NoDateError

        options = {"start": args.start, "schedule": args.schedule or "daily"}
        try:
            return _Converted(prayerdoc.dumps(bulletin, target, **options))
        except NoDateError:
            return _failed(
                EXIT_USAGE,
                f"prayerdoc convert: {name}: the bulletin has no date to start the calendar on; "
                "pass --start YYYY-MM-DD",
            )
        except ValueError as error:
            return _failed(EXIT_USAGE, f"prayerdoc convert: {name}: {error}")
    return _Converted(prayerdoc.dumps(bulletin, target))


def _write_stdout(text: str) -> None:
    sys.stdout.flush()
    # Bytes as written: iCalendar's CRLF must not become anything else.
    buffer = getattr(sys.stdout, "buffer", None)
    if buffer is None:
        sys.stdout.write(text)
    else:
        buffer.write(text.encode("utf-8"))
        buffer.flush()


def _existing_ancestor(path: Path) -> Path:
    folder = path.absolute().parent
    while not folder.exists():
        folder = folder.parent
    return folder


class _Staging:
    """Converted files wait in a hidden folder beside their destination until all succeed.

    The folder is on the destination's file system, so moving a file into place
    is one atomic rename; on failure the folder and everything in it is removed.
    Staged files are named by their order, so nothing is kept per file.
    """

    def __init__(self) -> None:
        self.folder: Path | None = None
        self.count = 0

    def add(self, destination: Path, text: str) -> None:
        import tempfile

        from prayerdoc import _io

        if self.folder is None:
            parent = _existing_ancestor(destination)
            self.folder = Path(tempfile.mkdtemp(prefix=".prayerdoc-", dir=parent))
        # Generated output is recreated by a rerun, so it skips the fsync that
        # fmt pays to protect a person's own file.
        _io.write_atomic(self.folder / str(self.count), text, durable=False)
        self.count += 1

    def commit(self, destinations: Iterable[Path | None]) -> None:
        """Move the staged files to ``destinations``, given again in the order added."""
        if self.folder is not None:
            folder = self.folder
            files = (destination for destination in destinations if destination is not None)
            for index, destination in zip(range(self.count), files, strict=False):
                destination.parent.mkdir(parents=True, exist_ok=True)
                os.replace(folder / str(index), destination)
        self.discard()

    def discard(self) -> None:
        import shutil

        if self.folder is not None:
            shutil.rmtree(self.folder, ignore_errors=True)
            self.folder = None


def _results(args: argparse.Namespace, target: str) -> Iterator[_Converted]:
    """Each input's outcome, in input order; with ``-j N``, from N worker processes."""
    pool = worker_pool(args.jobs, len(args.inputs))
    if pool is None:
        yield from (_convert(source, args, target) for source in args.inputs)
        return
    with pool:
        yield from pool.map(
            _convert,
            args.inputs,
            itertools.repeat(args),
            itertools.repeat(target),
            chunksize=16,
        )


def run(args: argparse.Namespace) -> int:
    """Convert every input and write them all, or nothing if any failed."""
    try:
        plan = _plan(args)
    except UsageError as error:
        print(f"prayerdoc convert: error: {error}", file=sys.stderr)
        return EXIT_USAGE
    staging = _Staging()
    for_stdout: str | None = None
    worst, failed = EXIT_OK, 0
    try:
        outcomes = _results(args, plan.target)
        for destination, result in zip(plan.destinations(args.inputs), outcomes, strict=True):
            for message in result.messages:
                print(message, file=sys.stderr)
            worst = max(worst, result.code)
            if result.text is None:
                failed += 1
            elif worst != EXIT_OK:
                pass  # something already failed: keep reporting, stop writing
            elif destination is None:
                for_stdout = result.text
            else:
                staging.add(destination, result.text)
        if worst != EXIT_OK:
            if plan.out_dir is not None or plan.output is not None:
                count = len(args.inputs)
                print(
                    f"prayerdoc convert: nothing written: {failed} of {count} "
                    f"input{'s' if count > 1 else ''} could not be converted",
                    file=sys.stderr,
                )
            return worst
        staging.commit(plan.destinations(args.inputs))
        if for_stdout is not None:
            _write_stdout(for_stdout)
    except BrokenPipeError:
        raise  # the reader of stdout went away; the tool's entry point handles it
    except OSError as error:
        where = f"'{error.filename}'" if error.filename else "the output"
        print(f"prayerdoc convert: cannot write {where}: {error.strerror}", file=sys.stderr)
        return EXIT_USAGE
    finally:
        staging.discard()
    return EXIT_OK
