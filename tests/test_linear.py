"""Linear time and bounded reading: hostile shapes of input cost time in proportion to their size.

Each shape is timed at a size n and at 10n (best of three runs each, with
``time.perf_counter``) and must take under 15 times as long at 10n, in one of
three attempts (a busy machine can spoil one): a ratio,
never a wall-clock bound, so a slow machine passes and a quadratic path fails
(it would take about 100 times as long). n is doubled until a run at n takes
at least ~20 ms, so that the ratio is not noise. Each run parses and then
checks the text, so the parser's pre-pass, grammar and every check are timed.
"""

from __future__ import annotations

import contextlib
import gc
import io
import math
import os
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest

import prayerdoc
from prayerdoc import ParseError
from prayerdoc.cli import main

RATIO = 15.0
MEASURABLE = 0.05  # seconds: below this, timer and interpreter noise dominate
MAX_UNITS = 2_000_000

HEAD = "Prayer Requests\n\n“Act justly and love mercy.”\n\n— Micah 6:8\n\n"


def _work(text: str) -> None:
    with contextlib.suppress(ParseError):
        prayerdoc.parse(text, max_bytes=None)
    prayerdoc.check(text, max_bytes=None)


def _once(text: str) -> float:
    gc.collect()  # garbage left by the run before is not this run's cost
    start = time.perf_counter()
    _work(text)
    return time.perf_counter() - start


def _best(text: str, stop_above: float = math.inf) -> float:
    """Best of three runs; stops early once a run is fast enough or clearly too slow."""
    best = math.inf
    for _ in range(3):
        best = min(best, _once(text))
        # Best of three only goes down: a run under the bound already passes.
        if best < stop_above or best > stop_above * 4:
            break
    return best


# Each shape builds a text from a number of repeated units; the number is the
# units at n, chosen so that a quadratic cost would show at 10n (a super-linear
# path often hides at small sizes) while the module stays under a minute. At
# 10n the long lines are about 1 MB and the line counts 20,000 to 100,000.
SHAPES: dict[str, tuple[Callable[[int], str], int]] = {
    "one-long-line": (lambda k: HEAD + "Pray for the team and " * k + "\n", 5_000),
    "one-line-no-spaces": (lambda k: "x" * k, 100_000),
    "short-lines": (lambda k: HEAD + "Pray for Kenya.\n" * k, 2_000),
    "blank-lines": (lambda k: HEAD + "\n" * k + "Pray for Kenya.\n", 10_000),
    "line-of-straight-quotes": (lambda k: HEAD + '"' * k + "\n", 10_000),
    "line-of-curly-quotes": (lambda k: HEAD + "“" * k + "\n", 10_000),
    "opening-then-closing-quotes": (lambda k: HEAD + "“" * k + "a" + "’" * k + "\n", 5_000),
    "line-of-dashes": (lambda k: "-" * k + "\n", 100_000),
    "line-of-em-dashes": (lambda k: HEAD + "—" * k + "\n", 100_000),
    "dash-lines": (lambda k: "— Micah\n" * k, 2_000),
    "pipe-lines": (lambda k: HEAD + "|\n" * k, 10_000),
    "trailing-pipes": (lambda k: HEAD + "Pray for Kenya." + " |" * k + "\n", 10_000),
    "headings": (lambda k: HEAD + "".join(f"Region {i}\n\nPray for x.\n\n" for i in range(k)), 500),
    "bullets": (lambda k: HEAD + "  • Pray for the team.\n" * k, 500),
    "wrapped-paragraph": (lambda k: HEAD + "Pray for\n" + "the team and\n" * k, 5_000),
    "verse-line": (lambda k: "“" + "Act justly and " * k + "”\n\n— Micah 6:8\n", 6_000),
    "reference-parts": (lambda k: "“Verse.”\n\n— Micah 6:8" + "; 7:18" * k + "\n", 1_000),
    "reference-commas": (lambda k: "“Verse.”\n\n— Micah 6:8" + ", 9" * k + "\n", 1_000),
    "nested-quotes": (lambda k: HEAD + "“‘" * k + "Pray." + "’”" * k + "\n", 5_000),
    "glued-sentences": (lambda k: HEAD + "Pray for a.Bc" * k + "\n", 5_000),
    "link-sentences": (lambda k: HEAD + "Pray. Read more. " * k + "\n", 5_000),
    "unfinished-link-text": (lambda k: HEAD + "Pray. Learn more about " * k + "\n", 3_000),
    "click-here": (lambda k: HEAD + "Pray. Click here " * k + "\n", 3_000),
    "date-like-lines": (lambda k: "April 27, 2019\n" * k, 500),
    "label-lines": (lambda k: HEAD + "Africa: Pray for x.\n\n" * k, 1_000),
    "spaces-then-stop": (lambda k: HEAD + "Pray" + " " * k + "x" + " ." * k + "\n", 10_000),
    "control-characters": (lambda k: "\x01" * k, 100_000),
}


@pytest.mark.parametrize("shape", sorted(SHAPES))
def test_time_grows_linearly(shape: str) -> None:
    build, units = SHAPES[shape]
    while _once(build(units)) < MEASURABLE and units < MAX_UNITS:
        units *= 2
    # Another process on the machine can spoil one pair of timings, not three in a
    # row; a path that is not linear fails every one of them (about 100x each).
    seen = []
    for _ in range(3):
        small = _best(build(units))
        large = _best(build(units * 10), stop_above=RATIO * small)
        if large < RATIO * small:
            return
        seen.append(f"{small * 1000:.1f} ms then {large * 1000:.1f} ms ({large / small:.1f}x)")
    pytest.fail(f"{shape}: {units} units, then {units * 10}: " + "; ".join(seen))


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
    real_open = open

    def spy(path: object, mode: str = "r", *args: object, **kwargs: object) -> object:
        file = real_open(path, mode, *args, **kwargs)  # type: ignore[call-overload]
        real_read = file.read

        def read(size: int = -1) -> bytes:
            data: bytes = real_read(size)
            reads.append(len(data))
            return data

        file.read = read
        return file

    monkeypatch.setattr(prayerdoc, "open", spy, raising=False)
    with pytest.raises(ParseError) as caught:
        prayerdoc.load(huge_file)
    assert caught.value.diagnostics[0].code == "PD109"
    assert str(caught.value).startswith(f"{huge_file}:1:1: PD109")
    assert sum(reads) == 0


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


def test_huge_file_fixture_is_really_huge(huge_file: Path) -> None:
    # The refusal tests above mean something only if the file is over the default limit.
    assert os.path.getsize(huge_file) > prayerdoc.DEFAULT_MAX_BYTES * 100
