"""The texts the benchmarks read: the example bulletins and the valid fixtures, repeated."""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from pathlib import Path

__all__ = [
    "ROOT",
    "fixture_paths",
    "read_texts",
    "repeat",
    "seed_paths",
    "write_files",
    "write_weekly",
]

ROOT = Path(__file__).resolve().parent.parent


def seed_paths() -> list[Path]:
    """The real bulletins bundled as examples."""
    return sorted((ROOT / "examples" / "bulletins").glob("*.txt"))


def fixture_paths() -> list[Path]:
    """The test suite's valid bulletins: one variation of the format each."""
    return sorted((ROOT / "tests" / "data" / "valid").glob("*.txt"))


def read_texts(paths: Sequence[Path]) -> dict[Path, str]:
    """Each path's UTF-8 text; files that are not UTF-8 are left out."""
    texts: dict[Path, str] = {}
    for path in paths:
        try:
            texts[path] = path.read_bytes().decode("utf-8")
        except UnicodeDecodeError:
            continue
    return texts


def repeat(texts: Sequence[str], min_bytes: int) -> list[str]:
    """``texts`` in turn until they hold ``min_bytes`` of UTF-8, each one a string of its own."""
    if not texts:
        raise ValueError("no texts to repeat")
    corpus: list[str] = []
    total = 0
    while total < min_bytes:
        for text in texts:
            # A fresh object each time, so that nothing keyed on identity can help.
            corpus.append(text[:1] + text[1:])
            total += len(text.encode("utf-8"))
    return corpus


def write_weekly(directory: Path, texts: Sequence[str], count: int) -> list[Path]:
    """Write ``count`` bulletins a week apart, as a prayer team's folder holds them.

    Each is one of ``texts`` in turn, in the canonical layout, dated a week after
    the one before from the first Sunday of 2024: in one feed, each is its own.
    """
    import attrs

    import prayerdoc

    bulletins = [prayerdoc.parse(text, source="seed") for text in texts]
    first = datetime.date(2024, 1, 7)
    paths = []
    for index in range(count):
        day = first + datetime.timedelta(weeks=index)
        dated = attrs.evolve(bulletins[index % len(bulletins)], date=day)
        path = directory / f"{day.isoformat()}.txt"
        path.write_text(prayerdoc.format_text(dated), encoding="utf-8")
        paths.append(path)
    return paths


def write_files(directory: Path, texts: Sequence[str], count: int) -> list[Path]:
    """Write ``count`` bulletin files into ``directory``, cycling through ``texts``."""
    paths = []
    for index in range(count):
        path = directory / f"bulletin-{index:05d}.txt"
        path.write_text(texts[index % len(texts)], encoding="utf-8")
        paths.append(path)
    return paths
