"""How the cost of a function grows when its input grows tenfold.

Time is the CPU time of this process (``time.process_time``), not wall time:
another process on the machine, or another test worker, takes turns on the
CPU but does not add to it. The bound sits between linear growth (10 times the
input, 10 times the time) and quadratic growth (100 times): a linear path
passes with room for noise, a quadratic one fails by a wide margin.

Only the call is timed, never the building of its input. The smaller size is
timed twice and the best kept; the larger size is timed again, up to three
times in all, only while it is over the bound, so a linear path costs one run
at each size beyond the first and a run spoiled by a busy machine is not the
last word.
"""

from __future__ import annotations

import gc
import math
import time
from collections.abc import Callable
from typing import TypeVar

import attrs

__all__ = ["BOUND", "FACTOR", "Growth", "assert_linear", "growth"]

Input = TypeVar("Input")

FACTOR = 10
# Between linear (10x) and quadratic (100x) growth: their geometric mean is about 31.6.
BOUND = 30.0
# CPU seconds at the smaller size: below this, timer and interpreter noise dominate.
MEASURABLE = 0.01
# Past this many units at the smaller size, a call too quick to time is repeated
# instead of being given a larger input: memory, not the code, would set the pace.
MOST_UNITS = 200_000
# Runs at the larger size while it is over the bound.
RUNS = 3


def _cpu_seconds(work: Callable[[Input], object], data: Input, calls: int) -> float:
    """The CPU time of ``calls`` calls."""
    start = time.process_time()
    for _ in range(calls):
        work(data)
    return time.process_time() - start


def _best_under(work: Callable[[Input], object], data: Input, calls: int, bound: float) -> float:
    """The best of up to ``RUNS`` runs; stops once the answer to "under ``bound``?" cannot change.

    A run under the bound passes (more runs only lower the best); a run twice over
    it fails, as no busy machine slows a process's own CPU time six-fold.
    """
    best = math.inf
    for _ in range(RUNS):
        best = min(best, _cpu_seconds(work, data, calls))
        if best < bound or best > 2 * bound:
            break
    return best


@attrs.frozen
class Growth:
    """The CPU time of ``calls`` calls at ``units`` and at ``FACTOR`` times as many."""

    units: int
    calls: int
    small: float
    large: float

    @property
    def ratio(self) -> float:
        """How many times as long the larger input took."""
        return self.large / self.small

    def __str__(self) -> str:
        return (
            f"{self.calls} call(s) at {self.units} units: {self.small * 1000:.1f} ms CPU, "
            f"at {self.units * FACTOR} units: {self.large * 1000:.1f} ms CPU "
            f"({self.ratio:.1f}x, bound {BOUND:.0f}x)"
        )


def growth(
    work: Callable[[Input], object],
    build: Callable[[int], Input],
    units: int,
    measurable: float = MEASURABLE,
) -> Growth:
    """Measure ``work(build(units))`` against ``work(build(units * FACTOR))``.

    ``units`` is doubled (up to ``MOST_UNITS``, then the calls are) until the
    smaller run takes ``measurable`` CPU seconds, so that the ratio of two
    measurements is not a ratio of two noises.
    """
    work(build(1))  # first-call costs (imports, a grammar read from its cache) are not growth
    # The cyclic garbage collector stays off while measuring: a collection started
    # mid-run would charge that run for the whole heap, older garbage included. No
    # collection before it either: in a test worker that has imported the whole
    # suite, one takes a fifth of a second, longer than the measurement it precedes.
    gc.disable()
    try:
        calls = 1
        data = build(units)
        small = _cpu_seconds(work, data, calls)
        while small < measurable:
            if units * 2 <= MOST_UNITS:
                units *= 2
                data = build(units)
            else:
                calls *= 2
            small = _cpu_seconds(work, data, calls)
        small = min(small, _cpu_seconds(work, data, calls))
        del data
        large = _best_under(work, build(units * FACTOR), calls, bound=BOUND * small)
    finally:
        gc.enable()
    return Growth(units=units, calls=calls, small=small, large=large)


def assert_linear(
    work: Callable[[Input], object], build: Callable[[int], Input], units: int
) -> None:
    """Fail unless ``work``'s cost grows in proportion to its input (see the module docstring)."""
    measured = growth(work, build, units)
    assert measured.ratio < BOUND, f"not linear: {measured}"
