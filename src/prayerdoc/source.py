"""Bytes → text: decoding, byte-order marks and the size limit, as findings not exceptions."""

from __future__ import annotations

import codecs

from prayerdoc import codes
from prayerdoc.diagnostics import Diagnostic

__all__ = ["DEFAULT_MAX_BYTES", "decode", "line_column", "normalise", "text_of", "too_large"]

# Generous: real bulletins are a few kilobytes; this only stops runaway input.
DEFAULT_MAX_BYTES = 10 * 1024 * 1024

_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)


def too_large(size: int, max_bytes: int | None, *, exact: bool = True) -> Diagnostic | None:
    """A finding when ``size`` is over ``max_bytes`` (None: no limit).

    ``exact`` is False when only the first ``max_bytes + 1`` bytes were read
    (a pipe or a device has no size to ask for), so ``size`` is a lower bound.
    """
    if max_bytes is None or size <= max_bytes:
        return None
    return codes.TOO_LARGE.at(
        1, 1, size=size if exact else f"more than {max_bytes}", limit=max_bytes
    )


def normalise(text: str) -> str:
    """One line end (``\\n``), no byte-order mark: the text the parser reads.

    Byte-order marks are removed wherever they stand: files joined with ``cat``
    carry one at each join, and they are never content.
    """
    if "\ufeff" in text:
        text = text.replace("\ufeff", "")
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    if "\u2028" in text or "\u2029" in text:
        text = text.replace("\u2028", "\n").replace("\u2029", "\n")
    return text


def line_column(text: str, offset: int) -> tuple[int, int]:
    """Line and column, both from 1, of character ``offset`` in ``text``.

    Lines end at ``\n`` only: ``text`` is normalised text, or JSON, whose
    line ends are ``\n`` by the time anything asks where a character is.
    """
    line_start = text.rfind("\n", 0, offset) + 1
    return text.count("\n", 0, offset) + 1, offset - line_start + 1


def _place(data: bytes, offset: int, encoding: str) -> tuple[int, int]:
    """Line and column of byte ``offset``, counted as the parser counts lines."""
    try:
        before = data[:offset].decode(encoding, errors="replace")
    except (UnicodeError, LookupError):  # a codec without error handlers, such as idna
        before = data[:offset].decode("latin-1")
    before = normalise(before)
    return line_column(before, len(before))


def decode(data: bytes, encoding: str | None = None) -> str | Diagnostic:
    """Decode a file's bytes: UTF-8 unless a byte-order mark or ``encoding`` says otherwise.

    Returns the text, or a finding naming the first byte that does not decode.
    Every failure of a codec is a finding: ``UnicodeDecodeError`` knows where
    it stopped; other codecs (idna, punycode) raise a bare ``UnicodeError`` or
    ``ValueError`` that does not, and those point at the start.
    """
    if encoding is None:
        encoding = next((name for bom, name in _BOMS if data.startswith(bom)), "utf-8")
    try:
        text = data.decode(encoding)
    except UnicodeDecodeError as error:
        offset = min(error.start, len(data))
        line, column = _place(data, offset, encoding)
        return codes.UNDECODABLE.at(line, column, offset=offset, encoding=encoding)
    except LookupError:  # no such codec, or one that does not make text (rot13, zlib)
        return codes.UNKNOWN_ENCODING.at(1, 1, encoding=encoding)
    except (ValueError, TypeError):
        return codes.UNDECODABLE.at(1, 1, offset=0, encoding=encoding)
    return text[1:] if text.startswith("\ufeff") else text


def text_of(
    data: str | bytes, *, encoding: str | None = None, max_bytes: int | None = DEFAULT_MAX_BYTES
) -> str | Diagnostic:
    """The text of an input, or the finding that stops it: over ``max_bytes``, or undecodable.

    Every input passes here, read by :mod:`prayerdoc._io` or given to the library
    as ``str`` or ``bytes``; ``str`` is counted in characters. The text is not
    normalised: JSON is read as it is, bulletin text goes on to :func:`normalise`.
    """
    finding = too_large(len(data), max_bytes)
    if finding is not None:
        return finding
    return decode(data, encoding) if isinstance(data, bytes) else data
