"""Output and input formats, one module each, imported only when asked for.

Each module has ``dumps(bulletin, **options) -> str``; those that can be read
back also have ``loads(text, *, source) -> Bulletin``.
"""

from __future__ import annotations

import importlib
import os
from types import ModuleType

__all__ = ["ALIASES", "EXTENSIONS", "FORMATS", "from_path", "module", "reader", "resolve"]

FORMATS = ("json", "markdown", "ical", "text")
ALIASES = {
    "md": "markdown",
    "ics": "ical",
    "txt": "text",
    "ical": "ical",
    "json": "json",
    "markdown": "markdown",
    "text": "text",
}

#: The format a file's extension says it holds (compared in lower case).
EXTENSIONS = {
    ".json": "json",
    ".md": "markdown",
    ".markdown": "markdown",
    ".ics": "ical",
    ".ical": "ical",
    ".txt": "text",
    ".text": "text",
}


def from_path(path: str | os.PathLike[str]) -> str:
    """The format of a file by its extension; bulletin text when the extension says none."""
    return EXTENSIONS.get(os.path.splitext(os.fspath(path))[1].lower(), "text")


def resolve(name: str) -> str:
    """The canonical name of a format or alias; ValueError names the choices."""
    try:
        return ALIASES[name.lower()]
    except KeyError:
        choices = ", ".join(sorted(ALIASES))
        raise ValueError(f"unknown format '{name}'; choose one of {choices}") from None


def module(name: str) -> ModuleType:
    """The module of a format, imported on first use to keep start-up fast."""
    return importlib.import_module(f"prayerdoc.formats.{resolve(name)}")


def reader(name: str) -> ModuleType:
    """The module of a format that can be read back; ValueError names those that can."""
    found = module(name)
    if not hasattr(found, "loads"):
        readable = [fmt for fmt in FORMATS if fmt == "text" or hasattr(module(fmt), "loads")]
        raise ValueError(
            f"prayerdoc cannot read the {resolve(name)} format; it reads {', '.join(readable)}"
        )
    return found
