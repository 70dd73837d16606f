"""Linear-time checks by the CPU time a process spends, never by the clock on the wall.

:func:`grows_linearly` times ``work(n)`` and ``work(10 n)`` with
``time.process_time`` (best of several runs) and passes when the larger input
costs under 30 times as much: linear work costs about 10 times, quadratic work
about 100, and 30 lies halfway between them on a log scale. ``n`` grows until a
run is long enough to measure.
"""

from __future__ import annotations

import gc
import time
from collections.abc import Callable

__all__ = ["grows_linearly"]

RATIO = 30.0
MEASURABLE = 0.02  # seconds of CPU time; below this, timer noise dominates
RUNS = 3


def _best(work: Callable[[int], object], units: int) -> float:
    best = float("inf")
    for _ in range(RUNS):
        gc.collect()
        start = time.process_time()
        work(units)
        best = min(best, time.process_time() - start)
    return best


def grows_linearly(work: Callable[[int], object], units: int, *, attempts: int = 3) -> bool:
    """Whether ``work(10 n)`` costs under :data:`RATIO` times ``work(n)``, n from ``units``."""
    most = units * 16
    # Work that stays too cheap to measure is dominated by a fixed cost: the
    # comparison below still runs, and passes.
    while _best(work, units) < MEASURABLE and units < most:
        units *= 2
    for _ in range(attempts):
        small, large = _best(work, units), _best(work, 10 * units)
        # Work still too cheap to measure is held to the smallest measurable time.
        if large < RATIO * max(small, MEASURABLE):
            return True
    return False
