"""Settings for ``prayerdoc check`` from ``[tool.prayerdoc]`` in ``pyproject.toml``.

The nearest ``pyproject.toml`` with a ``[tool.prayerdoc]`` table, looking upward
from the current directory, supplies the settings; options on the command line
then override or extend them as ruff's do::

    [tool.prayerdoc]
    select = ["PD"]          # codes or prefixes to report (default: every code)
    ignore = ["PD3", "PD402"]
    strict = false           # warnings fail the run too
    max-bytes = 1048576      # larger files are a PD109 finding

A code is reported when the longest selector matching it comes from
``select``; on a tie ``ignore`` wins, so ``select = ["PD301"]`` with
``ignore = ["PD3"]`` still reports PD301.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any, NamedTuple

from prayerdoc.codes import RULES
from prayerdoc.source import DEFAULT_MAX_BYTES

__all__ = [
    "ConfigError",
    "Settings",
    "find_pyproject",
    "is_selected",
    "load",
    "selectors",
    "with_options",
]

ALL = "ALL"
_KEYS = frozenset({"select", "ignore", "strict", "max-bytes"})


class ConfigError(ValueError):
    """The configuration cannot be used; the message names the file or the option."""


class Settings(NamedTuple):
    """What to report and how strictly, with the file they came from (None: defaults)."""

    select: tuple[str, ...] = ("PD",)
    ignore: tuple[str, ...] = ()
    strict: bool = False
    max_bytes: int | None = DEFAULT_MAX_BYTES
    path: Path | None = None

    def reports(self, code: str) -> bool:
        """Whether findings of ``code`` are reported (see :func:`is_selected`)."""
        return is_selected(code, self.select, self.ignore)


def selectors(values: Iterable[str], where: str) -> tuple[str, ...]:
    """Codes and prefixes from a list whose items may be comma-separated; each must be known.

    ``where`` names the origin (a file's key or an option) in the error.
    """
    found: list[str] = []
    for value in values:
        for item in value.split(","):
            selector = item.strip().upper()
            if not selector:
                continue
            if selector != ALL and not any(code.startswith(selector) for code in RULES):
                raise ConfigError(f"{where}: '{item.strip()}' is not a prayerdoc code or prefix")
            found.append(selector)
    return tuple(found)


def _specificity(code: str, chosen: Sequence[str]) -> int:
    """Length of the longest selector matching ``code`` (ALL counts as 0); -1 for none."""
    lengths = [0 if s == ALL else len(s) for s in chosen if s == ALL or code.startswith(s)]
    return max(lengths, default=-1)


def is_selected(code: str, select: Sequence[str], ignore: Sequence[str]) -> bool:
    """Whether ``code`` is reported under these selectors (the most specific one decides)."""
    chosen = _specificity(code, select)
    return chosen >= 0 and chosen > _specificity(code, ignore)


_KEY = r"""(?:(?<![\w"'-])prayerdoc(?![\w"'-])|"prayerdoc"|'prayerdoc')"""
_TOOL = r"""(?:(?<![\w"'-])tool|"tool"|'tool')"""
# TOML spells the table tool.prayerdoc only with the two keys side by side (a
# header, a dotted key), with prayerdoc as a key of an inline table, or under a
# [tool] header. A file with none of these, such as one that names prayerdoc
# only as a dependency or a script, is not parsed: start-up time pays for it.
# Anything like one is parsed, broken or not, so that its mistakes are reported.
_CONFIGURES = rf"{_TOOL}\s*\.\s*{_KEY}|[{{,]\s*{_KEY}\s*=|^[ \t]*\[[ \t]*{_TOOL}[ \t]*\]"


def _may_configure(text: str) -> bool:
    """Whether ``text`` may hold a ``[tool.prayerdoc]`` table (never False when it does)."""
    return "prayerdoc" in text and re.search(_CONFIGURES, text, re.MULTILINE) is not None


def find_pyproject(start: Path) -> tuple[Path, dict[str, Any]] | None:
    """The nearest ``pyproject.toml`` at or above ``start`` with ``[tool.prayerdoc]``,
    and that table."""
    for folder in (start, *start.parents):
        candidate = folder / "pyproject.toml"
        if not candidate.is_file():
            continue
        try:
            text = candidate.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as error:
            raise ConfigError(f"{candidate}: cannot read it: {error}") from None
        if not _may_configure(text):
            continue  # most projects' files: skip importing and running the TOML parser
        import tomllib

        try:
            document = tomllib.loads(text)
        except tomllib.TOMLDecodeError as error:
            raise ConfigError(f"{candidate}: cannot read it: {error}") from None
        table = document.get("tool", {}).get("prayerdoc")
        if table is not None:
            if not isinstance(table, dict):
                raise ConfigError(f"{candidate}: [tool.prayerdoc] must be a table")
            return candidate, table
    return None


def _strings(path: Path, key: str, value: object) -> tuple[str, ...]:
    if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
        raise ConfigError(f"{path}: [tool.prayerdoc] {key} must be a list of codes")
    return selectors(value, f"{path}: [tool.prayerdoc] {key}")


def load(start: Path | None = None) -> Settings:
    """The settings for a run in ``start`` (default: the current directory).

    Raises :class:`ConfigError` for an unreadable file, an unknown key or a value
    of the wrong type, naming the file.
    """
    found = find_pyproject(Path.cwd() if start is None else start.resolve())
    if found is None:
        return Settings()
    path, table = found
    unknown = sorted(set(table) - _KEYS)
    if unknown:
        known = ", ".join(sorted(_KEYS))
        raise ConfigError(
            f"{path}: unknown key '{unknown[0]}' in [tool.prayerdoc]; the keys are {known}"
        )
    settings = Settings(path=path)
    if "select" in table:
        settings = settings._replace(select=_strings(path, "select", table["select"]))
    if "ignore" in table:
        settings = settings._replace(ignore=_strings(path, "ignore", table["ignore"]))
    if "strict" in table:
        if not isinstance(table["strict"], bool):
            raise ConfigError(f"{path}: [tool.prayerdoc] strict must be true or false")
        settings = settings._replace(strict=table["strict"])
    if "max-bytes" in table:
        limit = table["max-bytes"]
        if isinstance(limit, bool) or not isinstance(limit, int) or limit < 1:
            raise ConfigError(f"{path}: [tool.prayerdoc] max-bytes must be a positive integer")
        settings = settings._replace(max_bytes=limit)
    return settings


def with_options(
    settings: Settings,
    *,
    select: Iterable[str] | None = None,
    extend_select: Iterable[str] = (),
    ignore: Iterable[str] = (),
    strict: bool | None = None,
    max_bytes: int | None = None,
) -> Settings:
    """``settings`` with the command line's options applied, as ruff applies its own.

    ``select`` replaces the file's selectors and must name at least one;
    ``extend_select`` and ``ignore`` add to them; ``strict`` and ``max_bytes``
    replace the file's when given. Items may be comma-separated; ConfigError
    names the option of an unknown code.
    """
    chosen = settings.select
    if select is not None:
        chosen = selectors(select, "--select")
        if not chosen:
            raise ConfigError(
                "--select needs at least one code or prefix (such as PD1 or PD301);"
                " to report nothing, do not run check"
            )
    return settings._replace(
        select=chosen + selectors(extend_select, "--extend-select"),
        ignore=settings.ignore + selectors(ignore, "--ignore"),
        strict=settings.strict if strict is None else strict,
        max_bytes=settings.max_bytes if max_bytes is None else max_bytes,
    )
