"""Timing and memory measurements: in this process, and of fresh child processes."""

from __future__ import annotations

import subprocess
import sys
import time
from collections.abc import Callable, Mapping, Sequence

import attrs

__all__ = ["Child", "best_seconds", "run_child", "time_each"]

# Runs one command and reports its wall time, peak RSS (KiB on Linux) and exit status.
# It is a separate, small interpreter (-S: no site) because a child's peak RSS
# counts the memory of the process it was forked from: measured straight from
# the benchmark, every child would seem at least as big as the benchmark itself.
_LAUNCHER = """\
import os, sys, time
null = os.open(os.devnull, os.O_WRONLY)
actions = [(os.POSIX_SPAWN_DUP2, null, 1), (os.POSIX_SPAWN_DUP2, null, 2)]
start = time.perf_counter()
pid = os.posix_spawnp(sys.argv[1], sys.argv[1:], os.environ, file_actions=actions)
_, status, usage = os.wait4(pid, 0)
elapsed = time.perf_counter() - start
print(elapsed, usage.ru_maxrss, os.waitstatus_to_exitcode(status))
"""


def time_each(function: Callable[[str], object], items: Sequence[str]) -> float:
    """Seconds to call ``function`` on every item once."""
    start = time.perf_counter()
    for item in items:
        function(item)
    return time.perf_counter() - start


def best_seconds(
    functions: Mapping[str, Callable[[str], object]], items: Sequence[str], repeats: int
) -> dict[str, float]:
    """The fastest of ``repeats`` passes of each function over ``items``.

    The passes are interleaved, so that a busy moment of the machine slows
    every function alike; the fastest pass is the one least disturbed.
    """
    times: dict[str, list[float]] = {name: [] for name in functions}
    for _ in range(repeats):
        for name, function in functions.items():
            times[name].append(time_each(function, items))
    return {name: min(values) for name, values in times.items()}


@attrs.frozen
class Child:
    """What one fresh process took: wall time, peak resident memory and its exit code."""

    seconds: float
    peak_rss_kib: int
    returncode: int


def run_child(command: Sequence[str], cwd: str | None = None) -> Child:
    """Run ``command`` to completion, output discarded, and measure that process alone."""
    done = subprocess.run(
        [sys.executable, "-S", "-c", _LAUNCHER, *command],
        cwd=cwd,
        capture_output=True,
        text=True,
        check=True,
    )
    seconds, peak, code = done.stdout.split()
    return Child(float(seconds), int(peak), int(code))
