"""prayerdoc: plain-text prayer bulletins as a typed model, and back out again.

    >>> import prayerdoc
    >>> bulletin = prayerdoc.parse(text)
    >>> prayerdoc.dumps(bulletin, "markdown")

The public surface is :func:`parse`, :func:`load`, :func:`loads`, :func:`dumps`,
:func:`format_text`, :func:`check`, the model classes and the errors.
"""

from __future__ import annotations

import os
from typing import Any, BinaryIO

from prayerdoc._parser import parse_text
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
from prayerdoc.source import DEFAULT_MAX_BYTES, decode, normalise, too_large

__version__ = "0.1.0"

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
    "parse",
]


def _text(data: str | bytes, source: str, encoding: str | None, max_bytes: int | None) -> str:
    """Decode and normalise input, raising ParseError for what no parse can read."""
    if not isinstance(data, str | bytes):
        raise TypeError(f"expected str or bytes, not {type(data).__name__}")
    finding = too_large(len(data), max_bytes)
    if finding is None and isinstance(data, bytes):
        decoded = decode(data, encoding)
        if isinstance(decoded, Diagnostic):
            finding = decoded
        else:
            data = decoded
    if finding is not None:
        raise ParseError([finding], source=source)
    assert isinstance(data, str)
    return normalise(data)


def parse(
    text: str | bytes,
    *,
    source: str = "<string>",
    encoding: str | None = None,
    max_bytes: int | None = DEFAULT_MAX_BYTES,
) -> Bulletin:
    """Parse bulletin text into a :class:`Bulletin`.

    ``text`` may be ``str`` or ``bytes`` (UTF-8 unless a byte-order mark or
    ``encoding`` says otherwise). ``source`` names the input in messages.
    Raises :class:`ParseError`, carrying every finding, when no bulletin can
    be built; findings that leave a usable bulletin are left to :func:`check`.
    """
    normalised = _text(text, source, encoding, max_bytes)
    parsed = parse_text(normalised)
    if parsed.bulletin is None:
        raise ParseError(parsed.diagnostics, source=source, text=normalised)
    return parsed.bulletin


def load(
    path: str | os.PathLike[str] | BinaryIO,
    *,
    encoding: str | None = None,
    max_bytes: int | None = DEFAULT_MAX_BYTES,
) -> Bulletin:
    """Read and parse a bulletin file (a path or a binary file object).

    Reading problems (a missing file, a folder) raise ``OSError``; content
    problems, including bytes that do not decode, raise :class:`ParseError`.
    """
    if isinstance(path, str | os.PathLike):
        source = os.fspath(path)
        with open(path, "rb") as file:
            # Refuse a huge file before reading it, not after.
            finding = too_large(os.fstat(file.fileno()).st_size, max_bytes)
            if finding is not None:
                raise ParseError([finding], source=source)
            data = file.read()
    else:
        source = str(getattr(path, "name", "<file>"))
        data = path.read() if max_bytes is None else path.read(max_bytes + 1)
    return parse(data, source=source, encoding=encoding, max_bytes=max_bytes)


def loads(data: str | bytes, fmt: str = "text", *, source: str = "<string>") -> Bulletin:
    """Rebuild a bulletin from ``data`` in a readable format: ``text`` or ``json``."""
    from prayerdoc import formats

    name = formats.resolve(fmt)
    if name == "text":
        return parse(data, source=source)
    reader = getattr(formats.module(name), "loads", None)
    if reader is None:
        raise ValueError(f"prayerdoc cannot read the {name} format; it reads text and json")
    bulletin: Bulletin = reader(data, source=source)
    return bulletin


def dumps(bulletin: Bulletin, fmt: str = "json", **options: Any) -> str:
    """Write a bulletin as ``json``, ``markdown``, ``ical`` or ``text``.

    ``options`` go to the format's writer (for ``ical``: ``start``, ``schedule``).
    """
    from prayerdoc import formats

    written: str = formats.module(fmt).dumps(bulletin, **options)
    return written


def format_text(bulletin: Bulletin) -> str:
    """The bulletin in the canonical text layout (see ``docs/format.md``)."""
    from prayerdoc.formats import text

    return text.dumps(bulletin)


def check(
    text: str | bytes,
    *,
    source: str = "<string>",
    encoding: str | None = None,
    max_bytes: int | None = DEFAULT_MAX_BYTES,
) -> list[Diagnostic]:
    """Every finding about a bulletin, sorted by position. Never raises."""
    from prayerdoc.checks import check_text

    return check_text(text, source=source, encoding=encoding, max_bytes=max_bytes)
