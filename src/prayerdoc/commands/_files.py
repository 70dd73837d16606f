"""What ``check`` and ``fmt`` share: turning PATH arguments into files, and printing."""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Iterable
from pathlib import Path
from typing import NamedTuple

from prayerdoc._io import STDIO, missing

__all__ = [
    "InputFile",
    "add_jobs",
    "emit",
    "input_files",
    "positive",
]


class InputFile(NamedTuple):
    """One input: where to read it from (a path or ``-``), the name to show for it, and
    whether it was found by searching a folder (then only a regular file is read)."""

    read_from: str
    shown: str
    in_folder: bool = False


def positive(value: str) -> int:
    """An argparse type: a whole number of 1 or more."""
    try:
        number = int(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{value}' is not a whole number") from None
    if number < 1:
        raise argparse.ArgumentTypeError(f"'{value}' must be 1 or more")
    return number


def _hidden(name: str) -> bool:
    return name.startswith(".") and name not in (".", "..")


def _bulletins_in(folder: Path) -> list[str]:
    """Every ``*.txt`` file under ``folder``, sorted, skipping hidden folders and files."""
    found: list[str] = []
    for root, folders, files in os.walk(folder):
        folders[:] = sorted(name for name in folders if not _hidden(name))
        found.extend(
            os.path.join(root, name)
            for name in files
            if name.endswith(".txt") and not _hidden(name)
        )
    return sorted(found)


def input_files(
    paths: Iterable[str], *, stdin_name: str | None = None
) -> tuple[list[InputFile], list[str]]:
    """The files named by ``paths`` (folders searched for ``*.txt``), and a message for each
    path that does not exist. Each file is listed once, in the order first named."""
    files: dict[str, InputFile] = {}
    problems = []
    for path in paths:
        if path == STDIO:
            files.setdefault(STDIO, InputFile(STDIO, stdin_name or STDIO))
        elif os.path.isdir(path):
            for name in _bulletins_in(Path(path)):
                files.setdefault(name, InputFile(name, name, in_folder=True))
        elif os.path.exists(path):
            files.setdefault(path, InputFile(path, path))
        else:
            problems.append(missing(path))
    return list(files.values()), problems


def emit(text: str) -> None:
    """Write ``text`` to stdout, with characters the terminal cannot show escaped."""
    try:
        sys.stdout.write(text)
    except UnicodeEncodeError:
        encoding = sys.stdout.encoding or "ascii"
        sys.stdout.write(text.encode(encoding, "backslashreplace").decode(encoding))
    sys.stdout.flush()


def add_jobs(parser: argparse.ArgumentParser, verb: str) -> None:
    """The ``-j N`` option: do the work in N worker processes."""
    parser.add_argument(
        "-j",
        "--jobs",
        type=positive,
        default=1,
        metavar="N",
        help=f"{verb} in N worker processes, at most one per input and per CPU (default: 1)",
    )
