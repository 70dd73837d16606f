"""Timing and memory measurements: in this process, and of fresh child processes."""

from __future__ import annotations

import os
import statistics
import subprocess
import time
from collections.abc import Callable, Sequence

import attrs

__all__ = ["Child", "median_seconds", "run_child", "time_each"]


def time_each(function: Callable[[str], object], items: Sequence[str]) -> float:
    """Seconds to call ``function`` on every item once."""
    start = time.perf_counter()
    for item in items:
        function(item)
    return time.perf_counter() - start


def median_seconds(measure: Callable[[], float], repeats: int) -> float:
    """The median of ``repeats`` runs of ``measure``."""
    return statistics.median(measure() for _ in range(repeats))


@attrs.frozen
class Child:
    """What one fresh process took: wall time, peak resident memory and its exit code."""

    seconds: float
    peak_rss_kib: int
    returncode: int


def run_child(command: Sequence[str], cwd: str | None = None) -> Child:
    """Run ``command`` to completion, output discarded, and measure that process alone."""
    start = time.perf_counter()
    process = subprocess.Popen(
        command, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    # wait4 reports the resources of this one child, not of every child so far.
    _, status, usage = os.wait4(process.pid, 0)
    elapsed = time.perf_counter() - start
    process.returncode = os.waitstatus_to_exitcode(status)
    # Linux reports ru_maxrss in KiB.
    return Child(elapsed, usage.ru_maxrss, process.returncode)
