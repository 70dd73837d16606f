"""Where the time of ``prayerdoc.parse`` and of the ``check`` command's start-up goes.

    python benchmarks/profile_parse.py            # cProfile of parse, then import times
    python benchmarks/profile_parse.py --top 40   # more functions
    python benchmarks/profile_parse.py --quick    # a small corpus, one start-up: a smoke run

The parse profile runs cProfile over a corpus of about 2 MB (the examples and
the valid fixtures, repeated) and lists the functions with the most cumulative
and the most own time. The start-up part runs ``python -X importtime -m
prayerdoc check`` a few times and lists the slowest imports (median
cumulative time), indented as Python nests them. cProfile and ``-X
importtime`` both slow what they watch, so the shares matter, not the totals.
"""

from __future__ import annotations

import argparse
import cProfile
import pstats
import re
import statistics
import subprocess
import sys
from collections.abc import Sequence
from pathlib import Path

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import prayerdoc
from benchmarks.corpus import ROOT, fixture_paths, read_texts, repeat, seed_paths

__all__ = ["import_times", "main", "profile_parse"]

_IMPORT_LINE = re.compile(r"import time:\s+(\d+) \|\s+(\d+) \|( *)(\S+)")


def profile_parse(top: int, corpus_bytes: int = 2 * 1024 * 1024) -> None:
    """Print the ``top`` functions of parse by cumulative and by own time."""
    texts = []
    for text in read_texts([*seed_paths(), *fixture_paths()]).values():
        try:
            prayerdoc.parse(text)
        except prayerdoc.ParseError:
            continue
        texts.append(text)
    corpus = repeat(texts, corpus_bytes)
    profiler = cProfile.Profile()
    profiler.enable()
    for text in corpus:
        prayerdoc.parse(text)
    profiler.disable()
    print(f"# cProfile of prayerdoc.parse over {len(corpus):,} bulletins\n")
    stats = pstats.Stats(profiler, stream=sys.stdout)
    stats.sort_stats("cumulative").print_stats(top)
    stats.sort_stats("tottime").print_stats(top)


def import_times(command: Sequence[str], runs: int) -> list[tuple[str, int, float, float]]:
    """(module, depth, median cumulative ms, median own ms) of each import, in Python's order."""
    seen: dict[str, tuple[int, list[float], list[float]]] = {}
    for _ in range(runs):
        done = subprocess.run(
            [sys.executable, "-X", "importtime", *command],
            capture_output=True,
            text=True,
            check=False,
            cwd=ROOT,
        )
        for match in _IMPORT_LINE.finditer(done.stderr):
            own, cumulative, indent, name = match.groups()
            depth = (len(indent) - 1) // 2
            _, owns, cumulatives = seen.setdefault(name, (depth, [], []))
            owns.append(int(own) / 1000)
            cumulatives.append(int(cumulative) / 1000)
    return [
        (name, depth, statistics.median(cumulatives), statistics.median(owns))
        for name, (depth, owns, cumulatives) in seen.items()
    ]


def main(argv: Sequence[str] | None = None) -> int:
    """Profile parse, then the start-up of ``prayerdoc check`` on one example."""
    parser = argparse.ArgumentParser(description="Profile prayerdoc.parse and start-up.")
    parser.add_argument("--top", type=int, default=25, help="functions to list (default 25)")
    parser.add_argument("--min-ms", type=float, default=1.0, help="imports to list (default 1)")
    parser.add_argument(
        "--quick", action="store_true", help="a 64 kB corpus and one start-up: a smoke run"
    )
    args = parser.parse_args(argv)
    profile_parse(args.top, 64 * 1024 if args.quick else 2 * 1024 * 1024)
    seed = str(ROOT / "examples" / "bulletins" / "bulletin-01.txt")
    command = ["-m", "prayerdoc", "check", seed]
    runs = 1 if args.quick else 5
    print(f"# python -X importtime -m prayerdoc check bulletin-01.txt (median of {runs})\n")
    print("cumulative ms   own ms   module")
    for name, depth, cumulative, own in import_times(command, runs):
        if cumulative >= args.min_ms:
            print(f"{cumulative:13.1f} {own:8.1f}   {'  ' * depth}{name}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
