"""``prayerdoc convert``: bulletins from text or JSON to JSON, Markdown, iCalendar or text.

Every input is converted in memory before anything is written, so that a run
that fails writes no file at all; each file is then replaced atomically.
"""

from __future__ import annotations

import argparse
import datetime
import os
import sys
from pathlib import Path, PurePath
from typing import Any

import attrs

from prayerdoc._io import STDIO
from prayerdoc.source import DEFAULT_MAX_BYTES

__all__ = ["EXTENSIONS", "register", "run"]

EXIT_OK, EXIT_PROBLEMS, EXIT_USAGE = 0, 1, 2

#: The file extension each output format is written with.
EXTENSIONS = {"json": ".json", "markdown": ".md", "ical": ".ics", "text": ".txt"}
# Extensions that say what a file holds, for --to and --from left out.
_KNOWN_EXTENSIONS = {
    ".json": "json",
    ".md": "markdown",
    ".markdown": "markdown",
    ".ics": "ical",
    ".ical": "ical",
    ".txt": "text",
    ".text": "text",
}
_READABLE = ("text", "json")
_SCHEDULES = ("daily", "single")

_DESCRIPTION = """\
Convert bulletins to JSON, Markdown, iCalendar or canonical text.

The input format is taken from --from, else from the file's extension (.json is
JSON, anything else is bulletin text). The output format is taken from --to,
else from the extension of -o FILE, else it is JSON. Output goes to stdout
unless -o or --out-dir is given; '-' as INPUT reads stdin and '-o -' writes stdout.

Several inputs need --out-dir: each is written there as its own name with the
output format's extension (.json, .md, .ics, .txt). Every input is converted
before anything is written: if any input fails, no file is written at all.

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


def _positive(value: str) -> int:
    try:
        number = int(value)
    except ValueError:
        number = 0
    if number < 1:
        raise argparse.ArgumentTypeError(f"'{value}' is not a whole number of bytes above 0")
    return number


def register(subparsers: Any) -> None:
    """Add the ``convert`` command to the tool's subcommands."""
    parser = subparsers.add_parser(
        "convert",
        help="convert bulletins to json, markdown, ical or text",
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
        type=_positive,
        default=DEFAULT_MAX_BYTES,
        metavar="N",
        help=f"refuse inputs larger than N bytes (default: {DEFAULT_MAX_BYTES})",
    )
    parser.set_defaults(run=run)


class UsageError(Exception):
    """A problem with the command line itself; reported with exit code 2."""


@attrs.frozen
class _Plan:
    """What one run does: the output format and where each converted input goes."""

    target: str
    # One entry per input: the output path, or None for stdout.
    destinations: tuple[Path | None, ...]
    out_dir: Path | None


def _target(args: argparse.Namespace) -> str:
    if args.to is not None:
        return str(args.to)
    if args.output not in (None, STDIO):
        suffix = PurePath(args.output).suffix.lower()
        if suffix not in _KNOWN_EXTENSIONS:
            raise UsageError(
                f"cannot tell the output format from '{args.output}'; "
                "pass --to json, markdown, ical or text"
            )
        return _KNOWN_EXTENSIONS[suffix]
    return "json"


def _file_name(source: str, target: str) -> str:
    """The name an input gets in --out-dir: its own name's stem, never a path."""
    stem = PurePath(source.replace("\\", "/")).stem
    name = stem + EXTENSIONS[target]
    if stem in ("", ".", "..") or any(char in name for char in "/\\\0"):
        raise UsageError(f"cannot name an output file after '{source}'; rename the input")
    return name


def _out_dir_destinations(args: argparse.Namespace, target: str) -> tuple[Path, ...]:
    out_dir = Path(args.out_dir)
    if out_dir.exists() and not out_dir.is_dir():
        raise UsageError(f"--out-dir '{args.out_dir}' is not a folder")
    if STDIO in args.inputs:
        raise UsageError("stdin ('-') has no name to write under --out-dir; use -o FILE")
    base = os.path.abspath(out_dir)
    seen: dict[str, str] = {}
    destinations = []
    for source in args.inputs:
        name = _file_name(source, target)
        path = out_dir / name
        # Belt and braces: whatever the name, the file lands directly in the folder.
        if os.path.dirname(os.path.abspath(path)) != base:
            raise UsageError(f"cannot name an output file after '{source}'; rename the input")
        key = name.casefold()
        if key in seen:
            raise UsageError(
                f"'{seen[key]}' and '{source}' would both be written to '{path}'; "
                "convert them separately"
            )
        seen[key] = source
        destinations.append(path)
    return tuple(destinations)


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
        return _Plan(target, _out_dir_destinations(args, target), Path(args.out_dir))
    if len(args.inputs) > 1:
        raise UsageError("several inputs need --out-dir DIR")
    output = None if args.output in (None, STDIO) else Path(args.output)
    return _Plan(target, (output,), None)


def _report(message: str) -> None:
    print(message, file=sys.stderr)


def _read_as(source: str, args: argparse.Namespace) -> str:
    if args.source_format is not None:
        return str(args.source_format)
    if source == STDIO:
        return "text"
    return _KNOWN_EXTENSIONS.get(PurePath(source).suffix.lower(), "text")


def _convert(source: str, args: argparse.Namespace, target: str) -> tuple[str | None, int]:
    """The converted text of one input, or None and the exit code after reporting why."""
    import prayerdoc
    from prayerdoc import _io
    from prayerdoc.diagnostics import Diagnostic, ParseError

    name = "<stdin>" if source == STDIO else source
    try:
        text = _io.read_text(source, encoding=args.encoding, max_bytes=args.max_bytes)
    except OSError as error:
        _report(f"prayerdoc convert: cannot read '{source}': {error.strerror or error}")
        return None, EXIT_USAGE
    if isinstance(text, Diagnostic):
        _report(text.format(name))
        return None, EXIT_PROBLEMS
    try:
        if _read_as(source, args) == "json":
            from prayerdoc.formats import json

            bulletin = json.loads(text, source=name)
        else:
            # The size was checked on the bytes; the text needs no second limit.
            bulletin = prayerdoc.parse(text, source=name, max_bytes=None)
    except ParseError as error:
        for finding in error.errors or error.diagnostics:
            _report(finding.format(error.source))
        return None, EXIT_PROBLEMS
    options: dict[str, Any] = {}
    if target == "ical":
        from prayerdoc.formats.ical import NoDateError

        options = {"start": args.start, "schedule": args.schedule or "daily"}
        try:
            return prayerdoc.dumps(bulletin, target, **options), EXIT_OK
        except NoDateError:
            _report(
                f"prayerdoc convert: {name}: the bulletin has no date to start the calendar on; "
                "pass --start YYYY-MM-DD"
            )
            return None, EXIT_USAGE
        except ValueError as error:
            _report(f"prayerdoc convert: {name}: {error}")
            return None, EXIT_USAGE
    return prayerdoc.dumps(bulletin, target), EXIT_OK


def _write(destination: Path | None, text: str) -> None:
    from prayerdoc import _io

    if destination is None:
        sys.stdout.flush()
        # Bytes as written: iCalendar's CRLF must not become anything else.
        buffer = getattr(sys.stdout, "buffer", None)
        if buffer is None:
            sys.stdout.write(text)
        else:
            buffer.write(text.encode("utf-8"))
            buffer.flush()
        return
    _io.write_atomic(destination, text)


def run(args: argparse.Namespace) -> int:
    """Convert every input, then write them all, or nothing if any failed."""
    try:
        plan = _plan(args)
    except UsageError as error:
        _report(f"prayerdoc convert: error: {error}")
        return EXIT_USAGE
    outputs: list[str] = []
    worst = EXIT_OK
    for source in args.inputs:
        text, code = _convert(source, args, plan.target)
        worst = max(worst, code)
        if text is not None:
            outputs.append(text)
    if worst != EXIT_OK:
        if any(destination is not None for destination in plan.destinations):
            failed = len(args.inputs) - len(outputs)
            _report(
                f"prayerdoc convert: nothing written: {failed} of {len(args.inputs)} "
                f"input{'s' if len(args.inputs) > 1 else ''} could not be converted"
            )
        return worst
    if plan.out_dir is not None:
        try:
            plan.out_dir.mkdir(parents=True, exist_ok=True)
        except OSError as error:
            _report(f"prayerdoc convert: cannot create '{plan.out_dir}': {error.strerror or error}")
            return EXIT_USAGE
    for destination, text in zip(plan.destinations, outputs, strict=True):
        try:
            _write(destination, text)
        except BrokenPipeError:
            raise  # the reader of stdout went away; the tool's entry point handles it
        except OSError as error:
            where = "stdout" if destination is None else f"'{destination}'"
            _report(f"prayerdoc convert: cannot write {where}: {error.strerror or error}")
            return EXIT_USAGE
    return EXIT_OK
