"""Work on many inputs in worker processes (``-j N``), with the results in input order."""

from __future__ import annotations

import contextlib
import itertools
import os
from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import TYPE_CHECKING, TypeVar

if TYPE_CHECKING:
    import concurrent.futures

__all__ = ["in_order", "jobs_for", "worker_pool"]

_Item = TypeVar("_Item")
_Context = TypeVar("_Context")
_Result = TypeVar("_Result")


def _cpus() -> int:
    with contextlib.suppress(AttributeError, OSError):
        return len(os.sched_getaffinity(0))  # the CPUs this process may run on
    return os.cpu_count() or 1


def worker_pool(asked: int, inputs: int) -> concurrent.futures.ProcessPoolExecutor | None:
    """Processes for ``-j asked``, never more than the inputs or the CPUs; None when one
    process would do. ``map`` on the pool keeps input order."""
    count = min(asked, inputs, _cpus())
    if count < 2:
        return None
    import concurrent.futures  # only now: most runs use one process

    return concurrent.futures.ProcessPoolExecutor(max_workers=count)


def jobs_for(paths: Iterable[str], asked: int) -> int:
    """The processes to ask for to read ``paths``: one when stdin (``-``) is among them,
    since a worker process cannot read this process's stdin."""
    from prayerdoc._io import STDIO

    return 1 if any(path == STDIO for path in paths) else asked


def in_order(
    work: Callable[[_Item, _Context], _Result],
    items: Sequence[_Item],
    context: _Context,
    *,
    jobs: int = 1,
    chunksize: int = 16,
) -> Iterator[_Result]:
    """``work(item, context)`` for each item, in the order of ``items``, one at a time.

    With ``jobs`` above 1 the work is done in up to that many processes
    (:func:`worker_pool`); then ``work`` must be a module-level function, and
    ``context`` is sent with every chunk of items, so it should be small.
    """
    pool = worker_pool(jobs, len(items))
    if pool is None:
        yield from (work(item, context) for item in items)
        return
    with pool:
        yield from pool.map(work, items, itertools.repeat(context), chunksize=chunksize)
