"""Carrying out a :class:`~prayerdoc.plan.Plan`: every input converted, then all written, or none.

Each input is read and converted by :mod:`prayerdoc.pipeline`, in worker
processes when ``jobs`` is above 1 (:func:`prayerdoc.workers.in_order`).
Outputs are written only when every input has converted:

- with a folder of outputs, each is staged in a private folder inside it
  (:class:`prayerdoc._io.Staging`), so memory stays flat over thousands of
  files, then moved into place, each move atomic;
- many inputs without a folder go through one writer, bulletin by bulletin,
  into one output (a feed, an archive, a digest), so memory follows the
  output alone;
- one output file is replaced atomically (:func:`prayerdoc._io.write_file`).

Nothing here prints: each problem and each reader's warning goes to
``report`` as it comes, and :func:`convert_all` returns what came of the run.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator

import attrs

from prayerdoc import _io, pipeline
from prayerdoc.model import Bulletin
from prayerdoc.plan import Conversion, Plan
from prayerdoc.workers import in_order, jobs_for

__all__ = ["Problem", "Result", "convert_all"]


@attrs.frozen
class Problem:
    """One line to report: a problem that stopped an input, or a reader's warning."""

    message: str
    #: About a path or an option rather than the input's content.
    usage: bool = False
    #: The writer's own error behind a usage problem, for a caller that adds advice.
    cause: ValueError | None = attrs.field(default=None, eq=False)


@attrs.frozen(kw_only=True)
class Result:
    """What came of a run. When ``failed`` or ``error`` is set, nothing was written."""

    #: The output, when the plan names no file to write it to (stdout).
    output: str | None = None
    #: How many inputs could not be converted.
    failed: int = 0
    #: Whether a failure was a usage problem (a path that cannot be read, an option).
    usage: bool = False
    #: Why writing the outputs failed; none of them was moved into place.
    error: OSError | None = None


def _ignore(problem: Problem) -> None:
    pass


def _converted(source: str, conversion: Conversion) -> pipeline.Outcome:
    """One input read and converted; runs in a worker process with ``jobs``."""
    return pipeline.convert_file(
        source,
        read_as=conversion.format_of(source),
        write_as=conversion.write_as,
        options=conversion.options,
        encoding=conversion.encoding,
        max_bytes=conversion.max_bytes,
    )


def _read(
    source: str, conversion: Conversion
) -> tuple[pipeline.Read, tuple[str, ...]] | pipeline.Outcome:
    """One input's bulletins (a tuple for an archive) and notes; runs in a worker process."""
    return pipeline.read_file(
        source,
        read_as=conversion.format_of(source),
        encoding=conversion.encoding,
        max_bytes=conversion.max_bytes,
    )


class _Tally:
    """What the inputs came to so far: how many failed, whether for usage, the last read."""

    def __init__(self, report: Callable[[Problem], None]) -> None:
        self.report = report
        self.failed = 0
        self.usage = False
        self.source = ""

    def count(self, outcome: pipeline.Outcome) -> None:
        """Report an outcome's problems, and count it if it failed."""
        for message in outcome.problems:
            self.report(Problem(message, outcome.usage, outcome.error))
        if outcome.output is None:
            self.failed += 1
            self.usage = self.usage or outcome.usage


def _every_bulletin(plan: Plan, jobs: int, tally: _Tally) -> Iterator[Bulletin]:
    """Each input's bulletins in order, until one fails; the rest are still read and reported."""
    found_each = in_order(_read, plan.inputs, plan.conversion, jobs=jobs)
    for source, found in zip(plan.inputs, found_each, strict=True):
        tally.source = pipeline.file_name(source)
        if isinstance(found, pipeline.Outcome):
            tally.count(found)
            continue
        bulletins, notes = found
        for note in notes:  # a reader's warnings (words left out of a page)
            tally.report(Problem(note))
        if tally.failed:
            continue  # something already failed: keep reporting, stop writing
        yield from (bulletins,) if isinstance(bulletins, Bulletin) else bulletins


def _joined(plan: Plan, jobs: int, tally: _Tally) -> str | None:
    """Many inputs, one output: every bulletin through one writer, one at a time."""
    bulletins = _every_bulletin(plan, jobs, tally)
    conversion = plan.conversion
    outcome = pipeline.write_bulletin(
        bulletins, conversion.write_as, source="", options=conversion.options
    )
    if outcome.error is not None:
        # The writer stopped at a bulletin (one without a date): name the input it came from.
        tally.count(attrs.evolve(outcome, problems=(f"{tally.source}: {outcome.error}",)))
    return None if tally.failed else outcome.output


def _each(plan: Plan, jobs: int, tally: _Tally, staging: _io.Staging | None) -> str | None:
    """Each input to its own output: staged in the folder, or the one output held."""
    single: str | None = None  # the one output, held until all is well
    for outcome in in_order(_converted, plan.inputs, plan.conversion, jobs=jobs):
        tally.count(outcome)
        if outcome.output is None or tally.failed:
            continue  # something failed: keep reporting, stop writing
        if staging is not None:
            staging.add(outcome.output)
        else:
            single = outcome.output
    return single


def convert_all(
    plan: Plan, *, jobs: int = 1, report: Callable[[Problem], None] = _ignore
) -> Result:
    """Convert every input of ``plan`` and write every output, or nothing if any failed.

    ``report`` is given each problem and warning as the inputs are read, in
    input order. ``jobs`` worker processes read and convert the inputs (one
    process when stdin is among them). A pipe whose reader went away (``BrokenPipeError``) is
    raised, as it is no fault of the run; any other ``OSError`` while writing
    is returned as :attr:`Result.error`.
    """
    tally = _Tally(report)
    jobs = jobs_for(plan.inputs, jobs)
    staging = _io.Staging(plan.out_dir) if plan.out_dir is not None else None
    try:
        single = _joined(plan, jobs, tally) if plan.joined else _each(plan, jobs, tally, staging)
        if tally.failed:
            return Result(failed=tally.failed, usage=tally.usage)
        if staging is not None:
            staging.commit(plan.destinations())
        elif plan.output is not None and single is not None:
            _io.write_file(plan.output, single, durable=False, create_folders=True)
        else:
            return Result(output=single)
    except BrokenPipeError:
        raise
    except OSError as error:
        return Result(error=error)
    finally:
        if staging is not None:
            staging.discard()
    return Result()
