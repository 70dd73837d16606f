"""The conversion pipeline: input → bulletin → gate → output, for convert and fmt.

Reading (bytes → text, :mod:`prayerdoc._io`) comes first (:func:`convert_file`
does it); writing the result to a file (:mod:`prayerdoc._io`) comes after. In
between, :func:`convert`:

1. **parse** the text with the reader of its format (the parser for bulletin
   text, after :func:`prayerdoc.source.normalise`; the format's ``loads`` for
   the others);
2. **gate**: for bulletin text, every word of the input must be in the
   bulletin (:mod:`prayerdoc.conservation`);
3. **write** with the writer of the output format; canonical text must read
   back as the same bulletin, or nothing is written.

Nothing here prints or raises for a bad input: the outcome carries the output
or the problems, each as ``source:line:col: message``.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import attrs

from prayerdoc import formats
from prayerdoc.diagnostics import ParseError
from prayerdoc.model import Bulletin
from prayerdoc.source import DEFAULT_MAX_BYTES

__all__ = ["Outcome", "convert", "convert_file", "read_bulletin", "write_bulletin"]


@attrs.frozen
class Outcome:
    """What came of one input: the output text, or the problems that stopped it.

    ``usage`` marks a problem with the options rather than the input (an
    iCalendar without a start date), which the commands report as a usage error.
    """

    output: str | None
    problems: tuple[str, ...] = ()
    usage: bool = False
    #: The writer's own error behind a usage problem, for a caller that adds its own advice.
    error: ValueError | None = attrs.field(default=None, eq=False)


def _failed(*problems: str, usage: bool = False) -> Outcome:
    return Outcome(None, problems, usage)


def _parse_problems(error: ParseError) -> tuple[str, ...]:
    return tuple(map(str, error.errors or error.diagnostics))


def read_bulletin(text: str, read_as: str, *, source: str) -> Bulletin | Outcome:
    """Stages 1 and 2: the bulletin in ``text`` (format ``read_as``), or why there is none."""
    if read_as != "text":
        try:
            bulletin: Bulletin = formats.reader(read_as).loads(text, source=source)
        except ParseError as error:
            return _failed(*_parse_problems(error))
        return bulletin

    from prayerdoc._parser import parse_text
    from prayerdoc.conservation import missing_words
    from prayerdoc.source import normalise

    normalised = normalise(text)
    parsed = parse_text(normalised)
    if parsed.bulletin is None:
        return _failed(*_parse_problems(ParseError(parsed.diagnostics, source=source)))
    lost = missing_words(normalised, parsed.bulletin)
    if lost:
        return _failed(
            *(
                f"{source}:{line}:{column}: the word '{word}' would be lost; nothing written"
                " (please report this bulletin)"
                for word, line, column in lost
            )
        )
    return parsed.bulletin


def write_bulletin(
    bulletin: Bulletin, write_as: str, *, source: str, options: Mapping[str, Any] | None = None
) -> Outcome:
    """Stage 3: the bulletin in format ``write_as``; canonical text must read back the same.

    A writer raises ``ValueError`` when its options cannot work for this
    bulletin (an iCalendar with no date and no ``start``): a usage problem.
    """
    try:
        output: str = formats.module(write_as).dumps(bulletin, **(options or {}))
    except ValueError as error:
        return Outcome(None, (f"{source}: {error}",), usage=True, error=error)
    if write_as == "text":
        from prayerdoc._parser import parse_text

        if parse_text(output).bulletin != bulletin:
            return _failed(
                f"{source}:1:1: the canonical layout would not read back as the same bulletin;"
                " nothing written (please report this bulletin)"
            )
    return Outcome(output)


def convert(
    text: str,
    *,
    source: str,
    read_as: str = "text",
    write_as: str = "text",
    options: Mapping[str, Any] | None = None,
) -> Outcome:
    """The whole pipeline for one decoded input: ``text`` in ``read_as``, out in ``write_as``.

    ``source`` names the input in problems; ``options`` go to the writer
    (see :data:`prayerdoc.formats.REGISTRY` for which a format takes).
    """
    bulletin = read_bulletin(text, formats.resolve(read_as), source=source)
    if isinstance(bulletin, Outcome):
        return bulletin
    return write_bulletin(bulletin, formats.resolve(write_as), source=source, options=options)


def convert_file(
    path: str,
    *,
    read_as: str = "text",
    write_as: str = "text",
    options: Mapping[str, Any] | None = None,
    encoding: str | None = None,
    max_bytes: int | None = DEFAULT_MAX_BYTES,
) -> Outcome:
    """Read ``path`` (``-``: stdin) through :func:`prayerdoc._io.read_text`, then :func:`convert`.

    A path that cannot be read is a usage problem (``usage``), not one of the input.
    """
    from prayerdoc._io import STDIO, read_text
    from prayerdoc.diagnostics import Diagnostic

    name = "<stdin>" if path == STDIO else path
    try:
        text = read_text(path, encoding=encoding, max_bytes=max_bytes)
    except OSError as error:
        return _failed(f"cannot read '{path}': {error.strerror or error}", usage=True)
    if isinstance(text, Diagnostic):
        return _failed(str(text.with_source(name)))
    return convert(text, source=name, read_as=read_as, write_as=write_as, options=options)
