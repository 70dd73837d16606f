"""Output and input formats, one module each, imported only when asked for.

Each module has ``dumps(bulletin, **options) -> str``; those that can be read
back also have ``loads(text, *, source) -> Bulletin``.
"""

from __future__ import annotations

import importlib
from types import ModuleType

__all__ = ["ALIASES", "FORMATS", "module", "resolve"]

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
