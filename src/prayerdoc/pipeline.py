"""The conversion pipeline: input → bulletin → gate → output, for convert and fmt.

Reading (bytes → text, :mod:`prayerdoc._io`) comes first (:func:`convert_file`
does it); writing the result to a file (:mod:`prayerdoc._io`) comes after. In
between, :func:`convert`:

1. **parse** the text with the reader of its format (the parser for bulletin
   text, after :func:`prayerdoc.source.normalise`; the format's ``loads`` for
   the others);
2. **gate**: for bulletin text, every word of the input must be in the
   bulletin; the parser and the gate are one step,
   :func:`prayerdoc.conservation.parse_keeping_words`, as in :func:`prayerdoc.parse`;
3. **write** with the writer of the output format; canonical text must read
   back as the same bulletin, or nothing is written.

Nothing here prints or raises for a bad input: the outcome carries the output
or the problems, each as ``source:line:col: message``.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

import attrs

from prayerdoc import codes, formats
from prayerdoc.diagnostics import ParseError
from prayerdoc.model import Bulletin
from prayerdoc.source import DEFAULT_MAX_BYTES

__all__ = [
    "Outcome",
    "convert",
    "convert_file",
    "file_name",
    "read_bulletin",
    "read_file",
    "read_marked_up",
    "write_bulletin",
]

#: What a document holds: one bulletin, or many (a JSON archive) as a tuple.
Read = Bulletin | tuple[Bulletin, ...]


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


def read_bulletin(text: str, read_as: str, *, source: str) -> Read | Outcome:
    """Stages 1 and 2: the bulletin in ``text`` (format ``read_as``), or why there is none.

    A document that holds many bulletins (a JSON archive) gives them as a tuple.
    """
    if read_as != "text":
        module = formats.reader(read_as)
        # A format that holds many has ``read``: one bulletin, or a tuple of them.
        read = getattr(module, "read", module.loads)
        try:
            found: Read = read(text, source=source)
        except ParseError as error:
            return _failed(*_parse_problems(error))
        return found

    from prayerdoc.conservation import parse_keeping_words
    from prayerdoc.source import normalise

    normalised = normalise(text)
    parsed = parse_keeping_words(normalised)
    if parsed.bulletin is None:
        return _failed(*_parse_problems(ParseError(parsed.diagnostics, source=source)))
    return parsed.bulletin


def read_marked_up(
    data: str | bytes, read_as: str, *, source: str, encoding: str | None = None
) -> tuple[Bulletin, tuple[str, ...]] | Outcome:
    """Stages 1 and 2 for a page or message: the bulletin and the reader's own warnings.

    The reader decodes ``data`` itself (a page names its encoding), finds the
    blocks a person sees and has the text parser read them; every word of those
    blocks must be in the bulletin (see :mod:`prayerdoc.formats._markup`).
    """
    from prayerdoc.formats._markup import bulletin_of

    reading = formats.module(read_as).read(data, encoding=encoding)
    try:
        bulletin, found = bulletin_of(reading, source=source)
    except ParseError as error:
        return _failed(*_parse_problems(error))
    # The reader's own findings are shown even when all went well: words left out, a date taken.
    notes = [d for d in found if d in reading.notes or d.code == codes.DATE_FROM_MESSAGE.code]
    return bulletin, tuple(str(note.with_source(source)) for note in notes)


def write_bulletin(
    bulletin: Bulletin | Iterable[Bulletin],
    write_as: str,
    *,
    source: str,
    options: Mapping[str, Any] | None = None,
) -> Outcome:
    """Stage 3: the bulletin, or many as one document, in format ``write_as``.

    Canonical text must read back as the same bulletin. A writer raises
    ``ValueError`` when its options cannot work for these bulletins (an
    iCalendar with no date and no ``start``): a usage problem, as is asking a
    format that holds one bulletin (text) for many.
    """
    if not isinstance(bulletin, Bulletin) and write_as not in formats.MANY:
        return _failed(
            f"{source}: an archive of many bulletins cannot be written as one {write_as} "
            f"bulletin; write it as {', '.join(formats.MANY[:-1])} or {formats.MANY[-1]}",
            usage=True,
        )
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


def _read(
    text: str | bytes, read_as: str, *, source: str, encoding: str | None
) -> tuple[Read, tuple[str, ...]] | Outcome:
    """Stages 1 and 2 in any format: the bulletin (or an archive's bulletins) and any notes."""
    if read_as in formats.MARKED_UP:
        return read_marked_up(text, read_as, source=source, encoding=encoding)
    assert isinstance(text, str), "only pages and messages are read as bytes"
    found = read_bulletin(text, read_as, source=source)
    return found if isinstance(found, Outcome) else (found, ())


def convert(
    text: str | bytes,
    *,
    source: str,
    read_as: str = "text",
    write_as: str = "text",
    options: Mapping[str, Any] | None = None,
    encoding: str | None = None,
) -> Outcome:
    """The whole pipeline for one input: ``text`` in ``read_as``, out in ``write_as``.

    ``text`` is decoded text, or for a page or message (:data:`formats.MARKED_UP`)
    the bytes as read, which its reader decodes (``encoding`` if given).

    ``source`` names the input in problems; ``options`` go to the writer
    (see :data:`prayerdoc.formats.REGISTRY` for which a format takes).
    """
    read = _read(text, formats.resolve(read_as), source=source, encoding=encoding)
    if isinstance(read, Outcome):
        return read
    bulletin, notes = read
    written = write_bulletin(bulletin, formats.resolve(write_as), source=source, options=options)
    # The reader's warnings (words left out of a page) are shown even when all went well.
    return attrs.evolve(written, problems=notes + written.problems)


def file_name(path: str) -> str:
    """How a path is named in problems: ``-`` is ``<stdin>``."""
    from prayerdoc._io import STDIO

    return "<stdin>" if path == STDIO else path


def _contents(
    path: str, read_as: str, *, encoding: str | None, max_bytes: int | None
) -> str | bytes | Outcome:
    """``path`` (``-``: stdin) decoded by :func:`prayerdoc._io.read_text`, or as bytes
    for a page or message; a path that cannot be read is a usage problem (``usage``)."""
    from prayerdoc._io import read_bytes, read_text, reason
    from prayerdoc.diagnostics import Diagnostic

    try:
        if read_as in formats.MARKED_UP:
            # A page or message names its own encoding: its reader decodes the bytes.
            text = read_bytes(path, max_bytes=max_bytes)
        else:
            text = read_text(path, encoding=encoding, max_bytes=max_bytes)
    except OSError as error:
        return _failed(f"cannot read '{path}': {reason(error)}", usage=True)
    if isinstance(text, Diagnostic):
        return _failed(str(text.with_source(file_name(path))))
    return text


def read_file(
    path: str,
    *,
    read_as: str = "text",
    encoding: str | None = None,
    max_bytes: int | None = DEFAULT_MAX_BYTES,
) -> tuple[Read, tuple[str, ...]] | Outcome:
    """Stages 1 and 2 for ``path``: its bulletin (or an archive's bulletins) and any notes."""
    read_as = formats.resolve(read_as)
    text = _contents(path, read_as, encoding=encoding, max_bytes=max_bytes)
    if isinstance(text, Outcome):
        return text
    return _read(text, read_as, source=file_name(path), encoding=encoding)


def convert_file(
    path: str,
    *,
    read_as: str = "text",
    write_as: str = "text",
    options: Mapping[str, Any] | None = None,
    encoding: str | None = None,
    max_bytes: int | None = DEFAULT_MAX_BYTES,
) -> Outcome:
    """Read ``path`` (``-``: stdin) as :func:`read_file` does, then :func:`convert`."""
    text = _contents(path, formats.resolve(read_as), encoding=encoding, max_bytes=max_bytes)
    if isinstance(text, Outcome):
        return text
    return convert(
        text,
        source=file_name(path),
        read_as=read_as,
        write_as=write_as,
        options=options,
        encoding=encoding,
    )
