"""What a conversion of many inputs will do, decided and checked before any input is read.

:func:`make_plan` chooses the format each input is read as and the one the
outputs are written as, checks the writer options against that format, and
checks that every destination (one output, or one file per input in a folder)
can be written: a run that cannot finish is refused before it converts
anything. :mod:`prayerdoc.batch` then carries the plan out.

The messages name ``prayerdoc convert``'s options (``--to``, ``--out-dir``),
since that is where a person meets them.
"""

from __future__ import annotations

import os
from collections.abc import Iterator, Mapping, Sequence
from pathlib import Path, PurePath
from typing import Any

import attrs

from prayerdoc import _io, formats
from prayerdoc._io import STDIO
from prayerdoc.source import DEFAULT_MAX_BYTES

__all__ = ["Conversion", "Plan", "PlanError", "checked_format", "make_plan", "output_name"]


class PlanError(ValueError):
    """A run that cannot work as asked; nothing has been read or written."""


def checked_format(name: str, *, reading: bool) -> str:
    """The canonical name of a format prayerdoc reads (``reading``) or writes; else PlanError."""
    try:
        resolved = formats.resolve(name)
    except ValueError as error:
        raise PlanError(str(error)) from None
    able = formats.readable() if reading else formats.writable()
    if resolved not in able:
        verb = "reads" if reading else "writes"
        raise PlanError(f"prayerdoc cannot {verb[:-1]} {resolved}; it {verb} {' and '.join(able)}")
    return resolved


@attrs.frozen(kw_only=True)
class Conversion:
    """How each input of a run is read and written; small, as it goes to every worker."""

    read_as: str | None = None  # None: as each input's extension says
    write_as: str = "json"
    options: Mapping[str, Any] = attrs.field(factory=dict, hash=False)
    encoding: str | None = None
    max_bytes: int | None = DEFAULT_MAX_BYTES

    def format_of(self, source: str) -> str:
        """The format ``source`` is read as: as told, else as its extension says (stdin: text)."""
        if self.read_as is not None:
            return self.read_as
        return "text" if source == STDIO else formats.from_path(source)


@attrs.frozen(kw_only=True)
class Plan:
    """One run: its inputs, how each is converted, and where the outputs go.

    With ``out_dir`` each input is written there as :func:`output_name`; else
    everything goes to ``output``, or with neither to the caller (stdout).
    """

    inputs: tuple[str, ...]
    conversion: Conversion
    output: str | None = None
    out_dir: Path | None = None

    @property
    def joined(self) -> bool:
        """Whether many inputs make one output (a feed, an archive, a digest)."""
        return self.out_dir is None and len(self.inputs) > 1

    @property
    def writes_files(self) -> bool:
        """Whether the outputs go to files rather than back to the caller."""
        return self.out_dir is not None or self.output is not None

    def destinations(self) -> Iterator[str | None]:
        """Where each output goes (None: to the caller), one at a time so memory stays flat."""
        if self.out_dir is None:
            yield self.output
            return
        for source in self.inputs:
            yield os.path.join(self.out_dir, output_name(source, self.conversion.write_as))


def output_name(source: str, write_as: str) -> str:
    """The name an input's output gets in a folder: its own name's stem, never a path."""
    stem = PurePath(source.replace("\\", "/")).stem
    name = stem + formats.REGISTRY[write_as].extension
    if stem in ("", ".", "..") or any(char in name for char in "/\\\0"):
        raise PlanError(f"cannot name an output file after '{source}'; rename the input")
    return name


def _write_as(write_as: str | None, output: str | None) -> str:
    if write_as is not None:
        return checked_format(write_as, reading=False)
    if output is None:
        return "json"
    found = formats.by_extension(output)
    if found is None or found not in formats.writable():
        raise PlanError(
            f"cannot tell the output format from '{output}'; "
            f"pass --to {formats.described(formats.writable())}"
        )
    return found


def _writer_options(given: Mapping[str, Any], write_as: str) -> dict[str, Any]:
    """The writer options given (None: not given), each checked to be one ``write_as`` takes."""
    given = {name: value for name, value in given.items() if value is not None}
    misplaced = [name for name in given if name not in formats.REGISTRY[write_as].options]
    if misplaced:
        takers = [e.name for e in formats.REGISTRY.values() if set(misplaced) <= set(e.options)]
        flags = " and ".join(f"--{name.replace('_', '-')}" for name in misplaced)
        verb = "apply" if len(misplaced) > 1 else "applies"
        raise PlanError(f"{flags} {verb} only to --to {' or '.join(takers)}")
    return given


def _check_out_dir(inputs: Sequence[str], out_dir: str, write_as: str) -> None:
    """Refuse a run whose inputs cannot each get a file of their own in ``out_dir``."""
    folder = Path(out_dir)
    if folder.exists() and not folder.is_dir():
        raise PlanError(f"--out-dir '{out_dir}' is not a folder")
    if STDIO in inputs:
        raise PlanError("stdin ('-') has no name to write under --out-dir; use -o FILE")
    base = os.path.abspath(folder)
    # Hashes, not names: memory stays flat over many thousands of inputs.
    seen: set[int] = set()
    for index, source in enumerate(inputs):
        name = output_name(source, write_as)
        folded = name.casefold()
        # Belt and braces: whatever the name, the file lands directly in the folder.
        if os.path.dirname(os.path.abspath(os.path.join(base, name))) != base:
            raise PlanError(f"cannot name an output file after '{source}'; rename the input")
        key = hash(folded)
        if key in seen:
            earlier = next(
                (s for s in inputs[:index] if output_name(s, write_as).casefold() == folded), None
            )
            if earlier is not None:
                raise PlanError(
                    f"'{earlier}' and '{source}' would both be written to "
                    f"'{folder / name}'; convert them separately"
                )
        seen.add(key)


def _check_destinations(plan: Plan) -> None:
    """Refuse the run if any destination cannot be written."""
    for destination in plan.destinations():
        if destination is None:
            continue
        try:
            # In a folder of outputs a symlink is replaced, never followed: nothing leaves it.
            real = _io.writable_destination(destination, through_links=plan.out_dir is None)
        except OSError as error:
            raise PlanError(f"cannot write '{destination}': {_io.reason(error)}") from None
        if plan.out_dir is not None and _io.is_stream(real):
            raise PlanError(
                f"cannot write '{destination}': it is {_io.kind(os.stat(real).st_mode)};"
                " remove it or choose another --out-dir"
            )


def make_plan(
    inputs: Sequence[str],
    *,
    read_as: str | None = None,
    write_as: str | None = None,
    output: str | None = None,
    out_dir: str | None = None,
    options: Mapping[str, Any] | None = None,
    encoding: str | None = None,
    max_bytes: int | None = DEFAULT_MAX_BYTES,
) -> Plan:
    """The plan for converting ``inputs`` (``-``: stdin), checked; PlanError says what cannot work.

    ``write_as`` defaults to the format ``output``'s extension says, else JSON;
    ``read_as`` to each input's extension. ``output`` (``-`` or None: the
    caller gets the text) and ``out_dir`` exclude each other. Writer
    ``options`` given as None count as not given. Many inputs without
    ``out_dir`` need a format that holds many bulletins (:data:`formats.MANY`).
    """
    if output == STDIO:
        output = None
    if output is not None and out_dir is not None:
        raise PlanError("-o and --out-dir exclude each other; give one")
    chosen = _write_as(write_as, output)
    conversion = Conversion(
        read_as=None if read_as is None else checked_format(read_as, reading=True),
        write_as=chosen,
        options=_writer_options(options or {}, chosen),
        encoding=encoding,
        max_bytes=max_bytes,
    )
    if inputs.count(STDIO) > 1:
        raise PlanError("stdin ('-') can be read only once")
    for source in inputs:
        read_as = conversion.format_of(source)
        if read_as not in formats.readable():
            raise PlanError(
                f"cannot read '{source}' as {read_as}; prayerdoc reads "
                f"{formats.described(formats.readable())} (pass --from text if it is bulletin text)"
            )
    if out_dir is not None:
        _check_out_dir(inputs, out_dir, chosen)
    elif len(inputs) > 1 and chosen not in formats.MANY:
        raise PlanError(
            f"--to {chosen} writes one bulletin per file; give several inputs --out-dir DIR"
        )
    plan = Plan(
        inputs=tuple(inputs),
        conversion=conversion,
        output=output,
        out_dir=None if out_dir is None else Path(out_dir),
    )
    _check_destinations(plan)
    return plan
