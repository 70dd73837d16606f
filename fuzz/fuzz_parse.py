"""Coverage-guided fuzzing of the parser, the checks and every writer.

Run for a set time (seconds) from the repository root::

    python fuzz/fuzz_parse.py -max_total_time=600 fuzz/corpus

or ``fuzz/run.sh 600``. Coverage guidance needs ``atheris`` (``pip install
atheris``), a tool for this harness only, not a dependency of prayerdoc or of its
tests; without it the same checks run on random mutations of the corpus.

Each input is fed as bytes to ``parse`` and ``check``; a parsed bulletin is
written as canonical text and parsed again, and written in every format. Any
exception other than :class:`prayerdoc.ParseError` is a finding and stops the run.
"""

from __future__ import annotations

import contextlib
import datetime
import importlib.util
import os
import random
import sys
import time
import traceback
from collections.abc import Callable
from pathlib import Path

try:
    import atheris  # type: ignore[import-untyped, unused-ignore]
except ImportError:  # the plain mutation loop in _mutate_for below stands in
    atheris = None

with atheris.instrument_imports(include=["prayerdoc"]) if atheris else contextlib.nullcontext():
    import prayerdoc
    from prayerdoc import ParseError
    from prayerdoc.conservation import missing_words
    from prayerdoc.source import normalise

START = datetime.date(2025, 1, 1)
ALL_WRITERS: tuple[tuple[str, dict[str, object]], ...] = (
    ("json", {}),
    ("markdown", {}),
    ("ical", {"start": START}),
    ("text", {}),
)


def _available() -> tuple[tuple[str, dict[str, object]], ...]:
    """The writers this checkout has; a missing one is named, not silently dropped."""
    found = []
    for name, options in ALL_WRITERS:
        if importlib.util.find_spec(f"prayerdoc.formats.{name}") is None:
            print(f"fuzz_parse: no {name} writer in this checkout; not fuzzed", file=sys.stderr)
        else:
            found.append((name, options))
    return tuple(found)


WRITERS = _available()


def _round_trip(bulletin: prayerdoc.Bulletin) -> None:
    """Canonical text re-parses to the same bulletin and keeps every word."""
    text = prayerdoc.format_text(bulletin)
    again = prayerdoc.parse(text)
    if again != bulletin:
        raise AssertionError(f"format_text does not round-trip:\n{text!r}")
    lost = missing_words(text, bulletin)
    if lost:
        raise AssertionError(f"format_text lost words {lost[:5]}:\n{text!r}")


def test_one_input(data: bytes) -> None:
    """Parse, check, round-trip and write one input; raise on anything but ParseError."""
    for diagnostic in prayerdoc.check(data):
        if diagnostic.line < 1 or diagnostic.column < 1:
            raise AssertionError(f"position below 1: {diagnostic}")
    try:
        bulletin = prayerdoc.parse(data)
    except ParseError as error:
        internal = [d.message for d in error.diagnostics if d.code == "PD199"]
        if internal:
            raise AssertionError(f"internal parser failure: {internal[0]}") from error
        return
    text = normalise(data.decode(_encoding(data)))
    lost = missing_words(text, bulletin)
    if lost:
        raise AssertionError(f"parse lost words {lost[:5]}")
    _round_trip(bulletin)
    for name, options in WRITERS:
        prayerdoc.dumps(bulletin, name, **options)


def _encoding(data: bytes) -> str:
    """The encoding ``parse`` chose for ``data`` (it succeeded, so one of these)."""
    from prayerdoc.source import _BOMS

    return next((name for bom, name in _BOMS if data.startswith(bom)), "utf-8")


_FINDINGS = Path(__file__).resolve().parent / "findings"
_seen: set[str] = set()


def _signature(error: BaseException) -> str:
    """Where a failure comes from: its type, innermost prayerdoc frame and first message line."""
    frames = [f for f in traceback.extract_tb(error.__traceback__) if "prayerdoc" in f.filename]
    where = f"{Path(frames[-1].filename).name}:{frames[-1].lineno}" if frames else "?"
    message = str(error).splitlines()[0] if str(error) else ""
    if "PD199" in message or "lost words" in message or "round-trip" in message:
        message = message.split(":")[0] + ":" + message.split("(")[-1][:80]
    else:
        message = ""
    return f"{type(error).__name__} at {where} {message}"


def keep_going(data: bytes) -> None:
    """Record each distinct failure under ``fuzz/findings/`` and carry on fuzzing."""
    try:
        test_one_input(data)
    except Exception as error:
        signature = _signature(error)
        if signature in _seen:
            return
        _seen.add(signature)
        _FINDINGS.mkdir(exist_ok=True)
        name = f"finding-{len(_seen):03d}"
        (_FINDINGS / f"{name}.bin").write_bytes(data)
        report = "".join(traceback.format_exception(error))
        (_FINDINGS / f"{name}.txt").write_text(f"{signature}\n{data!r}\n\n{report}")
        print(f"fuzz_parse: {name}: {signature}", file=sys.stderr, flush=True)


def _mutate(data: bytes, rng: random.Random) -> bytes:
    """One random damage: flip, insert, delete or duplicate bytes, or cut the input."""
    if not data:
        return bytes(rng.randrange(256) for _ in range(rng.randrange(1, 8)))
    at = rng.randrange(len(data))
    choice = rng.randrange(5)
    if choice == 0:
        return data[:at] + bytes([rng.randrange(256)]) + data[at + 1 :]
    if choice == 1:
        return (
            data[:at] + rng.choice([b"\n", b"|", b"\r", b"\x00", "“".encode(), b"- "]) + data[at:]
        )
    if choice == 2:
        return data[:at] + data[at + rng.randrange(1, 40) :]
    if choice == 3:
        end = min(len(data), at + rng.randrange(1, 200))
        return data[:end] + data[at:end] + data[end:]
    return data[:at]


def _mutate_for(seconds: float, folders: list[str], target: Callable[[bytes], None]) -> None:
    """Without atheris: feed random damage of the corpus to ``target`` for ``seconds``.

    Blind, not coverage-guided, but the same checks, so the command works anywhere.
    """
    corpus = [p.read_bytes() for folder in folders for p in sorted(Path(folder).iterdir())]
    rng, runs, stop = random.Random(0), 0, time.monotonic() + seconds
    while time.monotonic() < stop:
        data = rng.choice(corpus or [b""])
        for _ in range(rng.randrange(1, 6)):
            data = _mutate(data, rng)
        target(data)
        runs += 1
    print(f"fuzz_parse: no atheris, so {runs} random mutations in {seconds:g} s; no failure")


def main() -> None:
    """Hand the harness to libFuzzer with the command-line arguments.

    With ``FUZZ_KEEP_GOING=1`` in the environment, failures are recorded (one
    input per distinct failure, in ``fuzz/findings/``) instead of stopping the run.
    Without atheris, a plain random-mutation loop honours ``-max_total_time``.
    """
    target = keep_going if os.environ.get("FUZZ_KEEP_GOING") == "1" else test_one_input
    if atheris is None:
        options = dict(a.lstrip("-").split("=", 1) for a in sys.argv[1:] if a.startswith("-"))
        folders = [a for a in sys.argv[1:] if not a.startswith("-")]
        _mutate_for(float(options.get("max_total_time", 60)), folders, target)
        return
    atheris.Setup(sys.argv, target)
    atheris.Fuzz()


if __name__ == "__main__":
    main()
