"""Linear time and bounded reading: hostile shapes of input cost time in proportion to their size.

Each shape is measured at a size n and at 10n with :func:`growth.assert_linear` (CPU
time of this process) and must take under 30 times as long at 10n: a linear path
takes about 10 times as long, a quadratic one about 100 times. Each run parses and
then checks the text, so the parser's pre-pass, grammar and every check are measured.
"""

from __future__ import annotations

import contextlib
import io
import os
import sys
from collections.abc import Callable
from pathlib import Path
from typing import NamedTuple

import pytest

import prayerdoc
from growth import BOUND, assert_linear, growth
from prayerdoc import ParseError
from prayerdoc.cli import main

HEAD = "Prayer Requests\n\n“Act justly and love mercy.”\n\n— Micah 6:8\n\n"


def _work(text: str) -> None:
    with contextlib.suppress(ParseError):
        prayerdoc.parse(text, max_bytes=None)
    prayerdoc.check(text, max_bytes=None)


class Shape(NamedTuple):
    """A text built from ``units`` repeated units, and whether it belongs to the slow group."""

    build: Callable[[int], str]
    # Units at n, chosen so that a quadratic cost would show at 10n: a super-linear
    # path often hides at small sizes. n is doubled until a run is long enough to time.
    # The short, blank, dash, pipe and wrapped lines start where numbering each line by
    # splitting the text above it, added to the real work, still takes over 30x at 10n.
    units: int
    # A shape that needs a megabyte of input, or a second of CPU, to show its growth:
    # run by default and in CI; ``-m "not slow"`` leaves it out while working.
    slow: bool = False


SHAPES: dict[str, Shape] = {
    "one-long-line": Shape(lambda k: HEAD + "Pray for the team and " * k + "\n", 5_000, slow=True),
    "one-line-no-spaces": Shape(lambda k: "x" * k, 100_000, slow=True),
    "short-lines": Shape(lambda k: HEAD + "Pray for Kenya.\n" * k, 1_000),
    "blank-lines": Shape(lambda k: HEAD + "\n" * k + "Pray for Kenya.\n", 5_000),
    "line-of-straight-quotes": Shape(lambda k: HEAD + '"' * k + "\n", 10_000),
    "line-of-curly-quotes": Shape(lambda k: HEAD + "“" * k + "\n", 10_000),
    "opening-then-closing-quotes": Shape(lambda k: HEAD + "“" * k + "a" + "’" * k + "\n", 5_000),
    "line-of-dashes": Shape(lambda k: "-" * k + "\n", 100_000, slow=True),
    "line-of-em-dashes": Shape(lambda k: HEAD + "—" * k + "\n", 100_000, slow=True),
    "dash-lines": Shape(lambda k: "— Micah\n" * k, 1_000),
    "pipe-lines": Shape(lambda k: HEAD + "|\n" * k, 2_500, slow=True),
    "trailing-pipes": Shape(lambda k: HEAD + "Pray for Kenya." + " |" * k + "\n", 10_000),
    "headings": Shape(
        lambda k: HEAD + "".join(f"Region {i}\n\nPray for x.\n\n" for i in range(k)), 500
    ),
    "bullets": Shape(lambda k: HEAD + "  • Pray for the team.\n" * k, 500),
    "wrapped-paragraph": Shape(lambda k: HEAD + "Pray for\n" + "the team and\n" * k, 2_500),
    "verse-line": Shape(lambda k: "“" + "Act justly and " * k + "”\n\n— Micah 6:8\n", 6_000),
    "reference-parts": Shape(lambda k: "“Verse.”\n\n— Micah 6:8" + "; 7:18" * k + "\n", 1_000),
    "reference-commas": Shape(lambda k: "“Verse.”\n\n— Micah 6:8" + ", 9" * k + "\n", 1_000),
    "nested-quotes": Shape(lambda k: HEAD + "“‘" * k + "Pray." + "’”" * k + "\n", 5_000),
    # Each "join us" is passed over for the word after it: the first sentence is
    # searched once, not again from its start for each.
    "join-words": Shape(lambda k: HEAD + "Join us in " * k + "\n", 5_000),
    "glued-sentences": Shape(lambda k: HEAD + "Pray for a.Bc" * k + "\n", 5_000),
    "link-sentences": Shape(lambda k: HEAD + "Pray. Read more. " * k + "\n", 5_000),
    "unfinished-link-text": Shape(lambda k: HEAD + "Pray. Learn more about " * k + "\n", 3_000),
    "click-here": Shape(lambda k: HEAD + "Pray. Click here " * k + "\n", 3_000),
    "date-like-lines": Shape(lambda k: "April 27, 2019\n" * k, 500),
    # The header's rules nest to the right: every line is held until the reference.
    "header-then-reference": Shape(lambda k: "Grace Church\n\n" * k + "— Micah 6:8\n", 1_000),
    # No reference, date or quotation ends these: every reading of the header is tried.
    "header-without-end": Shape(lambda k: "Grace Church\n\n" * k, 1_000),
    "quotation-run": Shape(
        lambda k: "“Act justly.\n" + "Love mercy.\n" * k + "”\n— Micah 6:8\n", 1_000
    ),
    "label-lines": Shape(lambda k: HEAD + "Africa: Pray for x.\n\n" * k, 1_000, slow=True),
    "spaces-then-stop": Shape(lambda k: HEAD + "Pray" + " " * k + "x" + " ." * k + "\n", 10_000),
    "control-characters": Shape(lambda k: "\x01" * k, 100_000, slow=True),
}


@pytest.mark.parametrize(
    "shape",
    [
        pytest.param(name, marks=[pytest.mark.slow] if SHAPES[name].slow else [])
        for name in sorted(SHAPES)
    ],
)
def test_time_grows_linearly(shape: str) -> None:
    assert_linear(_work, SHAPES[shape].build, SHAPES[shape].units)


# --- the measurement itself -------------------------------------------------------------------


LINE = "Pray for Kenya.\n"


def _lines(k: int) -> str:
    return LINE * k


def _line_numbers_by_rescanning(text: str) -> list[int]:
    """The line of every line start, counted from the top each time: the classic quadratic path."""
    return [text.count("\n", 0, start) + 1 for start in range(0, len(text), len(LINE))]


def _line_numbers_by_counting(text: str) -> list[int]:
    """The same numbers, counting only the line ends since the last line start."""
    numbers: list[int] = []
    line = 1
    for start in range(0, len(text), len(LINE)):
        numbers.append(line)
        line += text.count("\n", start, start + len(LINE))
    return numbers


def test_measurement_catches_a_quadratic_path() -> None:
    assert _line_numbers_by_rescanning(_lines(5)) == _line_numbers_by_counting(_lines(5))
    measured = growth(_line_numbers_by_rescanning, _lines, 100, measurable=0.005)
    assert measured.ratio > BOUND, measured


def test_measurement_passes_a_linear_path() -> None:
    measured = growth(_line_numbers_by_counting, _lines, 100, measurable=0.005)
    assert measured.ratio < BOUND, measured


# --- the size limit: refused before it is read ------------------------------------------------


class _CountingReader(io.RawIOBase):
    """An endless stream of bulletin-ish bytes that counts what is read from it."""

    name = "endless.txt"

    def __init__(self) -> None:
        self.read_bytes = 0

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: memoryview) -> int:  # type: ignore[override]
        size = len(buffer)
        buffer[:size] = b"a" * size
        self.read_bytes += size
        return size

    def readall(self) -> bytes:
        raise AssertionError("the whole stream was asked for")


@pytest.fixture
def huge_file(tmp_path: Path) -> Path:
    """A 4 GiB file that takes no disk space: reading it all would exhaust memory."""
    path = tmp_path / "huge.txt"
    with open(path, "wb") as file:
        file.truncate(4 * 1024**3)
    return path


def test_load_refuses_a_huge_file_before_reading_it(
    huge_file: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    reads: list[int] = []
    real_fdopen = os.fdopen

    def spy(fd: int, mode: str = "r", *args: object, **kwargs: object) -> object:
        file = real_fdopen(fd, mode, *args, **kwargs)  # type: ignore[call-overload]
        reads.append(0)  # opened, so the file really went through the spy
        real_read = file.read

        def read(size: int = -1) -> bytes:
            data: bytes = real_read(size)
            reads.append(len(data))
            return data

        file.read = read
        return file

    monkeypatch.setattr(os, "fdopen", spy)
    with pytest.raises(ParseError) as caught:
        prayerdoc.load(huge_file)
    assert caught.value.diagnostics[0].code == "PD109"
    assert str(caught.value).startswith(f"{huge_file}:1:1: PD109")
    assert reads == [0]


def test_load_reads_a_stream_only_up_to_the_limit() -> None:
    stream = _CountingReader()
    with pytest.raises(ParseError) as caught:
        prayerdoc.load(io.BufferedReader(stream, buffer_size=4096), max_bytes=100_000)
    assert caught.value.diagnostics[0].code == "PD109"
    assert stream.read_bytes <= 100_000 + 1 + 4096


def test_parse_refuses_input_over_the_limit() -> None:
    with pytest.raises(ParseError) as caught:
        prayerdoc.parse("Pray for Kenya.\n" * 100, max_bytes=1000)
    assert caught.value.diagnostics[0].code == "PD109"
    assert prayerdoc.check("Pray for Kenya.\n" * 100, max_bytes=1000)[0].code == "PD109"


@pytest.mark.parametrize("command", [["check"], ["fmt", "--check"], ["convert", "--to", "json"]])
def test_cli_refuses_a_huge_file_before_reading_it(
    command: list[str], huge_file: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code = main([*command, str(huge_file)])
    captured = capsys.readouterr()
    assert code == 1
    assert f"{huge_file}:1:1: PD109" in captured.out + captured.err


@pytest.mark.parametrize("command", [["check"], ["fmt", "--check"], ["convert", "--to", "json"]])
def test_cli_reads_stdin_only_up_to_the_limit(
    command: list[str], monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    stream = _CountingReader()
    buffered = io.BufferedReader(stream, buffer_size=4096)
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(buffered))
    code = main([*command, "--max-bytes", "100000", "-"])
    captured = capsys.readouterr()
    assert code == 1, captured.err
    assert "PD109" in captured.out + captured.err
    assert stream.read_bytes <= 100_000 + 1 + 4096
