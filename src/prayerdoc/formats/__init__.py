"""The registry of formats: one entry per format, one module each, imported only when asked for.

Each entry says what the format is called (its name and aliases), which file
extensions mean it, whether prayerdoc reads it, writes it or both, and which
options its writer takes. Adding a format is a module in this package plus
one entry in :data:`REGISTRY`; the library, ``convert`` and the docs' lists
all come from here.

A module that writes has ``dumps(bulletin, **options) -> str``; one that holds
many bulletins in one document (:data:`MANY`) also takes an iterable of them.
One that reads has ``loads(data, *, source) -> Bulletin`` (``text`` is read by
the parser).
"""

from __future__ import annotations

import importlib
import os
from types import ModuleType
from typing import NamedTuple

__all__ = [
    "ALIASES",
    "EXTENSIONS",
    "FORMATS",
    "MANY",
    "MARKED_UP",
    "OPTIONS",
    "REGISTRY",
    "Format",
    "by_extension",
    "described",
    "from_path",
    "module",
    "readable",
    "reader",
    "resolve",
    "writable",
]


class Format(NamedTuple):
    """One format: its names, the extensions that mean it, what prayerdoc does with it."""

    name: str
    extensions: tuple[str, ...]  # the first is the one written
    reads: bool = True
    writes: bool = True
    aliases: tuple[str, ...] = ()
    options: tuple[str, ...] = ()  # keyword options of its writer, as on the command line
    many: bool = False  # its writer also writes many bulletins as one document
    # Read as the blocks a person sees, then by the text parser; its module also
    # has ``read`` and ``check``, and decodes the bytes itself (see _markup.py).
    marked_up: bool = False

    @property
    def extension(self) -> str:
        """The extension an output in this format is written with."""
        return self.extensions[0]


REGISTRY: dict[str, Format] = {
    entry.name: entry
    for entry in (
        Format("text", (".txt", ".text"), aliases=("txt",)),
        Format("json", (".json",), many=True),
        Format("markdown", (".md", ".markdown"), aliases=("md",), many=True, marked_up=True),
        Format(
            "ical",
            (".ics", ".ical"),
            reads=False,
            aliases=("ics",),
            options=("start", "schedule", "calendar_name", "calendar_description"),
            many=True,
        ),
        Format(
            "html", (".html", ".htm"), aliases=("htm",), options=("standalone",), marked_up=True
        ),
        Format("email", (".eml",), writes=False, aliases=("eml",), marked_up=True),
    )
}

#: The name of every format, in the order the registry lists them.
FORMATS = tuple(REGISTRY)
#: The formats that hold many bulletins in one document; text holds one.
MANY = tuple(name for name, entry in REGISTRY.items() if entry.many)
#: Every name a format goes by (its own name too), lower case, to its name.
ALIASES = {
    alias: entry.name for entry in REGISTRY.values() for alias in (entry.name, *entry.aliases)
}
#: Each writer option (a keyword of a writer's ``dumps``) to the formats that take it.
OPTIONS = {
    option: tuple(name for name, taker in REGISTRY.items() if option in taker.options)
    for entry in REGISTRY.values()
    for option in entry.options
}
#: The formats read through the blocks a person sees (pages and messages).
MARKED_UP = frozenset(name for name, entry in REGISTRY.items() if entry.marked_up)
#: The format a file's extension says it holds (compared in lower case).
EXTENSIONS = {
    extension: entry.name for entry in REGISTRY.values() for extension in entry.extensions
}


def readable() -> tuple[str, ...]:
    """The formats prayerdoc reads."""
    return tuple(name for name, entry in REGISTRY.items() if entry.reads)


def writable() -> tuple[str, ...]:
    """The formats prayerdoc writes."""
    return tuple(name for name, entry in REGISTRY.items() if entry.writes)


def described(names: tuple[str, ...]) -> str:
    """``a (x), b or c``: formats with their aliases, as help texts and messages list them."""
    shown = [
        f"{name} ({', '.join(REGISTRY[name].aliases)})" if REGISTRY[name].aliases else name
        for name in names
    ]
    return ", ".join(shown[:-1]) + f" or {shown[-1]}" if len(shown) > 1 else shown[0]


def resolve(name: str) -> str:
    """The canonical name of a format or alias; ValueError names the choices."""
    try:
        return ALIASES[name.lower()]
    except KeyError:
        choices = ", ".join(sorted(ALIASES))
        raise ValueError(f"unknown format '{name}'; choose one of {choices}") from None


def by_extension(path: str | os.PathLike[str]) -> str | None:
    """The format a file's extension says it holds, or None when it says nothing known."""
    return EXTENSIONS.get(os.path.splitext(os.fspath(path))[1].lower())


def from_path(path: str | os.PathLike[str]) -> str:
    """The format of a file to read: as its extension says, else bulletin text."""
    return by_extension(path) or "text"


def module(name: str) -> ModuleType:
    """The module of a format, imported on first use to keep start-up fast."""
    return importlib.import_module(f"prayerdoc.formats.{resolve(name)}")


def reader(name: str) -> ModuleType:
    """The module of a format prayerdoc reads; ValueError names those it does."""
    resolved = resolve(name)
    if not REGISTRY[resolved].reads:
        raise ValueError(
            f"prayerdoc cannot read the {resolved} format; it reads {', '.join(sorted(readable()))}"
        )
    return module(resolved)
