"""prayerdoc: plain-text prayer bulletins as a typed model, and back out again.

    >>> import prayerdoc
    >>> bulletin = prayerdoc.parse(text)
    >>> prayerdoc.dumps(bulletin, "markdown")

The public surface is :func:`parse`, :func:`load`, :func:`loads`, :func:`loads_all`,
:func:`dumps`, :func:`format_text`, :func:`check`, :func:`report`, the model classes and
the errors.
"""

from __future__ import annotations

import functools
import os
from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING, Any, BinaryIO, Literal, overload

from prayerdoc._version import __version__
from prayerdoc.diagnostics import Diagnostic, ParseError, Severity
from prayerdoc.model import (
    Bulletin,
    Epigraph,
    Paragraph,
    Position,
    Request,
    RequestKind,
    ScriptureRef,
    Section,
)
from prayerdoc.source import DEFAULT_MAX_BYTES, normalise, text_of, too_large

if TYPE_CHECKING:
    from prayerdoc._parser import Parsed

__all__ = [
    "DEFAULT_MAX_BYTES",
    "Bulletin",
    "Diagnostic",
    "Epigraph",
    "Paragraph",
    "ParseError",
    "Position",
    "Request",
    "RequestKind",
    "ScriptureRef",
    "Section",
    "Severity",
    "__version__",
    "check",
    "dumps",
    "format_text",
    "load",
    "loads",
    "loads_all",
    "parse",
    "report",
]

#: The formats whose writers hold many bulletins in one output.
_ManyFormat = Literal["json", "markdown", "md", "ical", "ics"]


def _decoded(data: str | bytes, source: str, encoding: str | None, max_bytes: int | None) -> str:
    """Input as text, raising ParseError for what no reader can read."""
    text = text_of(data, encoding=encoding, max_bytes=max_bytes)
    if isinstance(text, Diagnostic):
        raise ParseError([text], source=source)
    return text


def _file_name(text: object) -> Diagnostic | None:
    """PD112 when ``text`` names a file instead of holding a bulletin.

    That is a path object, or one line that ends in the extension of a format
    prayerdoc knows (``bulletin.txt``, ``week.json``), that is an existing
    file, or that is shaped like a path (a folder separator or an extension)
    and exists.
    """
    if isinstance(text, os.PathLike):
        name = os.fspath(text)
    elif not isinstance(text, str):
        return None
    else:
        name = text.strip()
        if "\n" in name or len(name) > 4096 or not any(char.isalnum() for char in name):
            return None  # the usual case, a bulletin of several lines: decided quickly
    from prayerdoc import codes, formats

    if isinstance(text, os.PathLike):
        return codes.FILE_NAME.at(1, 1, text=name)
    extension = os.path.splitext(name)[1].lower()
    path_shaped = bool(extension) or "/" in name or os.sep in name
    exists = os.path.isfile(name) or (path_shaped and os.path.exists(name))
    if extension not in formats.EXTENSIONS and not exists:
        return None
    column = len(text) - len(text.lstrip()) + 1
    return codes.FILE_NAME.at(1, column, text=name)


@functools.cache
def _reader() -> Callable[[str], Parsed]:
    # Imported at the first parse, not at the top: ``import prayerdoc`` for the
    # model or a writer does not load the grammar's machinery. Kept, since an
    # import statement run at every parse costs a search of the module's spec.
    from prayerdoc.conservation import parse_keeping_words

    return parse_keeping_words


def parse(
    text: str | bytes,
    *,
    source: str | None = None,
    encoding: str | None = None,
    max_bytes: int | None = DEFAULT_MAX_BYTES,
) -> Bulletin:
    """Parse bulletin text into a :class:`Bulletin`.

    ``text`` is the bulletin itself, ``str`` or ``bytes`` (UTF-8 unless a
    byte-order mark or ``encoding`` says otherwise); to read a file, use
    :func:`load`. ``source`` names the input in messages. Raises
    :class:`ParseError`, carrying every finding, when no bulletin can be
    built (the error-severity codes); warnings leave the bulletin to
    :func:`check`. A word of the text that the bulletin would not hold is
    such an error (PD199, at that word, a bug to report): no bulletin is
    returned that silently lacks part of the text.

    A text given without a ``source`` that is one line naming a file (an
    existing path, or a name ending in ``.txt``, ``.json``, ``.md`` or another
    extension prayerdoc knows) is refused with PD112: ``parse("bulletin.txt")``
    is a call meant for :func:`load`, and reading the file name as a one-line
    bulletin would hide the mistake.
    """
    if source is None:
        source = "<string>"
        mistaken = _file_name(text)
        if mistaken is not None:
            raise ParseError([mistaken], source=source)
    if not isinstance(text, str | bytes):
        raise TypeError(f"parse() takes bulletin text as str or bytes, not {type(text).__name__}")
    normalised = normalise(_decoded(text, source, encoding, max_bytes))
    parsed = _reader()(normalised)
    if parsed.bulletin is None:
        raise ParseError(parsed.diagnostics, source=source, text=normalised)
    return parsed.bulletin


def load(
    path: str | os.PathLike[str] | BinaryIO,
    fmt: str | None = None,
    *,
    encoding: str | None = None,
    max_bytes: int | None = DEFAULT_MAX_BYTES,
) -> Bulletin:
    """Read a bulletin file (a path or a binary file object) in the format its name says.

    As ``prayerdoc convert`` does, the extension chooses the reader: ``.json``
    is JSON, ``.txt``, ``.text`` and any extension prayerdoc does not know are
    bulletin text, and a format prayerdoc only writes (``.ics``) raises
    ``ValueError`` before the file is read. A file object without a name is
    bulletin text. ``fmt`` (``"text"``, ``"json"``, ``"html"``) overrides the
    extension; web pages (``.html``, ``.htm``) are read as ``docs/inputs.md`` says.

    Reading problems (a missing file, a folder, a block device) raise
    ``OSError``; content problems, including input over ``max_bytes`` (never
    read further than that, whatever the file is) and bytes that do not
    decode, raise :class:`ParseError`.
    """
    from prayerdoc import formats
    from prayerdoc._io import read_bytes, read_text

    if isinstance(path, str | os.PathLike):
        source = os.fspath(path)
    else:
        source = str(getattr(path, "name", "<file>"))
    name = formats.resolve(fmt) if fmt is not None else formats.from_path(source)
    if name != "text":
        formats.reader(name)  # refuse an unreadable format before reading the file
    if name in formats.MARKED_UP:
        # Pages and messages say their own encoding: their reader decodes the bytes.
        data = read_bytes(path, max_bytes=max_bytes)
        if isinstance(data, Diagnostic):
            raise ParseError([data], source=source)
        found: Bulletin = formats.reader(name).loads(data, source=source, encoding=encoding)
        return found
    text = read_text(path, encoding=encoding, max_bytes=max_bytes)
    if isinstance(text, Diagnostic):
        raise ParseError([text], source=source)
    if name == "text":
        return parse(text, source=source, max_bytes=None)
    return loads(text, name, source=source)


def loads(data: str | bytes, fmt: str, *, source: str = "<string>") -> Bulletin:
    """Rebuild a bulletin from ``data`` in the format ``fmt``: ``"text"``, ``"json"`` or ``"html"``.

    ``fmt`` is required: nothing is guessed from the data, so JSON read as
    text (or text as JSON) happens only when asked for by name. Raises
    :class:`ParseError` for data that is not a bulletin in that format, and
    ``ValueError`` for a format prayerdoc cannot read.
    """
    from prayerdoc import formats

    name = formats.resolve(fmt)
    if name == "text":
        return parse(data, source=source)
    reader = formats.reader(name)
    if name in formats.MARKED_UP:
        # A page or message names its own encoding: its reader decodes the bytes.
        finding = too_large(len(data), DEFAULT_MAX_BYTES)
        if finding is not None:
            raise ParseError([finding], source=source)
        found: Bulletin = reader.loads(data, source=source)
        return found
    # The size limit and decoding of every input are source.text_of's, JSON's too.
    text = _decoded(data, source, None, DEFAULT_MAX_BYTES)
    bulletin: Bulletin = reader.loads(text, source=source)
    return bulletin


def loads_all(data: str | bytes, fmt: str, *, source: str = "<string>") -> tuple[Bulletin, ...]:
    """Every bulletin in ``data``: those of a JSON archive, else the one bulletin it holds.

    ``fmt`` is required, as for :func:`loads`. A JSON bulletin document, or a
    document in another format, gives a tuple of one.
    """
    from prayerdoc import formats

    name = formats.resolve(fmt)
    if name == "json":
        from prayerdoc.formats import json

        # The size limit and decoding of every input, as for loads.
        return json.loads_all(_decoded(data, source, None, DEFAULT_MAX_BYTES), source=source)
    return (loads(data, name, source=source),)


@overload
def dumps(bulletins: Bulletin, /, fmt: str = "json", **options: Any) -> str: ...


@overload
def dumps(bulletins: Iterable[Bulletin], /, fmt: _ManyFormat = "json", **options: Any) -> str: ...


def dumps(bulletins: Bulletin | Iterable[Bulletin], /, fmt: str = "json", **options: Any) -> str:
    """Write a bulletin as ``json``, ``markdown``, ``ical``, ``html`` or ``text``; or many as one.

    Many bulletins (any iterable, read once) make one JSON archive, one Markdown
    digest or one iCalendar feed; the text format holds one bulletin only.
    ``options`` go to the format's writer (for ``ical``: ``start``,
    ``schedule``, ``calendar_name``, ``calendar_description``; for a Markdown digest: ``title``;
    for ``html``: ``standalone``, ``lang``).
    """
    from prayerdoc import formats

    name = formats.resolve(fmt)
    if not isinstance(bulletins, Bulletin) and name not in formats.MANY:
        raise TypeError(
            f"the {name} format holds one bulletin; write each on its own, "
            f"or choose one of {', '.join(formats.MANY)}"
        )
    written: str = formats.module(name).dumps(bulletins, **options)
    return written


def format_text(bulletin: Bulletin) -> str:
    """The bulletin in the canonical text layout, as ``prayerdoc fmt`` writes it."""
    from prayerdoc.formats import text

    return text.dumps(bulletin)


def check(
    text: str | bytes,
    *,
    source: str | None = None,
    encoding: str | None = None,
    max_bytes: int | None = DEFAULT_MAX_BYTES,
) -> list[Diagnostic]:
    """Every finding about bulletin text, sorted by position, each naming ``source``.

    Never raises. The findings are those of ``prayerdoc check``, with the same
    severities; a text that :func:`parse` refuses gives its error findings
    here (PD112 too, for a file name given as the text).
    """
    from prayerdoc.checks import check_text

    if source is None:
        source = "<string>"
        mistaken = _file_name(text)
        if mistaken is not None:
            return [mistaken]
    return check_text(text, source=source, encoding=encoding, max_bytes=max_bytes)


def report(diagnostics: Iterable[Diagnostic], fmt: str = "text") -> str:
    """Findings as ``prayerdoc check --format`` prints them: ``text``, ``json``, ``github``
    or ``sarif``.

    ``text`` is one ``source:line:col: CODE message`` line per finding (the
    summary line that the command adds is not part of it).
    """
    from prayerdoc.reporters import REPORTERS

    if fmt not in REPORTERS:
        raise ValueError(f"unknown report format '{fmt}'; choose one of {', '.join(REPORTERS)}")
    return REPORTERS[fmt](list(diagnostics))
