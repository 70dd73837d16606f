"""Bytes → text: decoding, byte-order marks and the size limit, as findings not exceptions."""

from __future__ import annotations

import codecs

from prayerdoc import codes
from prayerdoc.diagnostics import Diagnostic

__all__ = ["DEFAULT_MAX_BYTES", "decode", "line_column", "normalise", "too_large"]

# Generous: real bulletins are a few kilobytes; this only stops runaway input.
DEFAULT_MAX_BYTES = 10 * 1024 * 1024

_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)


def too_large(size: int, max_bytes: int | None) -> Diagnostic | None:
    """A finding when ``size`` is over ``max_bytes`` (None: no limit)."""
    if max_bytes is None or size <= max_bytes:
        return None
    return codes.TOO_LARGE.at(1, 1, size=size, limit=max_bytes)


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
    before = normalise(data[:offset].decode(encoding, errors="replace"))
    return line_column(before, len(before))


def decode(data: bytes, encoding: str | None = None) -> str | Diagnostic:
    """Decode a file's bytes: UTF-8 unless a byte-order mark or ``encoding`` says otherwise.

    Returns the text, or a finding naming the first byte that does not decode.
    """
    if encoding is None:
        encoding = next((name for bom, name in _BOMS if data.startswith(bom)), "utf-8")
    try:
        text = data.decode(encoding)
    except UnicodeDecodeError as error:
        line, column = _place(data, error.start, encoding)
        return codes.UNDECODABLE.at(line, column, offset=error.start, encoding=error.encoding)
    except LookupError:
        return codes.UNKNOWN_ENCODING.at(1, 1, encoding=encoding)
    return text[1:] if text.startswith("\ufeff") else text
