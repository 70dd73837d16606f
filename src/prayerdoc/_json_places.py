"""Places in JSON text: where the value at a path starts, and where a document that
parses goes wrong for Python (NaN, a huge integer, deep nesting).

The JSON reader reports each problem at a path such as ``$.sections[2].kind``;
these functions turn that path into an offset in the text it was read from.
"""

from __future__ import annotations

import json
import re
import sys

__all__ = ["Path", "offsets", "segments", "unreadable"]

Path = tuple[str | int, ...]

_SEGMENT = re.compile(r"\.([^.\[]+)|\[([0-9]+)\]|\['([^']*)'\]")
_WHITESPACE = frozenset(" \t\n\r")
_DECODER = json.JSONDecoder()


def segments(path: str) -> Path:
    """``$.sections[2].kind`` as ``("sections", 2, "kind")``."""
    return tuple(
        int(index) if index else key or name for name, index, key in _SEGMENT.findall(path)
    )


def _skip(text: str, index: int) -> int:
    while text[index : index + 1] in _WHITESPACE:
        index += 1
    return index


def offsets(text: str, paths: list[Path]) -> dict[Path, int]:
    """Where the value at each of ``paths`` starts in ``text``, or its nearest ancestor.

    One pass that reads into a value only where a path leads (of a key written twice,
    the last, as json.loads does), so many findings in a long document cost one reading.
    """
    inside: dict[Path, set[str | int]] = {}
    for path in paths:
        for depth in range(len(path)):
            inside.setdefault(path[:depth], set()).add(path[depth])
    found: dict[Path, int] = {}

    def visit(path: Path, start: int) -> int:
        found[path] = start
        opener = text[start : start + 1]
        if path not in inside or opener not in ("{", "["):
            return int(_DECODER.raw_decode(text, start)[1])
        index, item = _skip(text, start + 1), 0
        while text[index] not in "]}":
            key: str | int = item
            if opener == "{":
                key, index = json.decoder.scanstring(text, index + 1)  # type: ignore[attr-defined]
                index = _skip(text, _skip(text, index) + 1)
            if key in inside[path]:
                index = visit((*path, key), index)
            else:
                index = _DECODER.raw_decode(text, index)[1]
            index = _skip(text, index)
            index, item = _skip(text, index + (text[index] == ",")), item + 1
        return index + 1

    visit((), _skip(text, 0))
    return {
        path: next(
            found[path[:depth]] for depth in range(len(path), -1, -1) if path[:depth] in found
        )
        for path in paths
    }


_TOKEN = re.compile(
    r'"(?:[^"\\]|\\.)*"|[\[{]|[\]}]|NaN|-?Infinity|-?(?:0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?'
)


def unreadable(text: str) -> tuple[int, str]:
    """Where and why json.loads refused a document that parses: the first NaN or Infinity
    (not JSON), the first integer too long to convert, or else the deepest nesting."""
    depth, deepest, at = 0, 0, 0
    for token in _TOKEN.finditer(text):
        word = token.group()
        if word[0] == '"':
            continue
        if word in ("[", "{"):
            depth += 1
            if depth > deepest:
                deepest, at = depth, token.start()
        elif word in ("]", "}"):
            depth -= 1
        elif word[-1] in "Ny":
            return token.start(), f"{word} is not a JSON number"
        elif token.group(1) is token.group(2) is None and len(word) > sys.get_int_max_str_digits():
            return token.start(), f"a number of {len(word.lstrip('-'))} digits is too long to read"
    return at, "it nests too deeply"
