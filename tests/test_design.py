"""One home for each fact: second definitions are searched for in the source tree."""

from __future__ import annotations

import importlib
import inspect
import re
from pathlib import Path

import pytest

from prayerdoc import formats

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "src" / "prayerdoc"


def _defining(pattern: str) -> list[str]:
    compiled = re.compile(pattern, re.MULTILINE)
    return sorted(
        path.relative_to(PACKAGE).as_posix()
        for path in PACKAGE.rglob("*.py")
        if compiled.search(path.read_text(encoding="utf-8"))
    )


def test_exit_codes_are_defined_once() -> None:
    assert _defining(r"^\s*EXIT_\w+(\s*,\s*EXIT_\w+)*\s*=") == ["commands/__init__.py"]


def test_the_stdio_name_is_defined_once() -> None:
    assert _defining(r"^\s*STDI\w*\s*=") == ["_io.py"]


def test_every_format_module_has_one_registry_entry() -> None:
    modules = sorted(
        # Private modules (``_markup``) are shared by formats, not formats themselves.
        path.stem
        for path in (PACKAGE / "formats").glob("*.py")
        if not path.stem.startswith("_")
    )
    assert sorted(formats.REGISTRY) == modules


@pytest.mark.parametrize("name", sorted(formats.REGISTRY))
def test_a_registry_entry_matches_its_module(name: str) -> None:
    entry = formats.REGISTRY[name]
    module = importlib.import_module(f"prayerdoc.formats.{name}")
    assert hasattr(module, "dumps") == entry.writes
    # Bulletin text is read by the parser itself; every other reader is the module's loads.
    assert hasattr(module, "loads") == (entry.reads and name != "text")
    if entry.writes:
        keywords = [
            parameter.name
            for parameter in inspect.signature(module.dumps).parameters.values()
            if parameter.kind is inspect.Parameter.KEYWORD_ONLY
        ]
        assert set(entry.options) <= set(keywords)
    assert all(extension.startswith(".") for extension in entry.extensions)
    for alias in (name, *entry.aliases):
        assert formats.resolve(alias.upper()) == name
    for extension in entry.extensions:
        assert formats.by_extension(f"week{extension.upper()}") == name


def test_lines_and_columns_are_counted_in_one_place() -> None:
    # Counting the line ends before an offset is line_column's job alone.
    assert _defining(r"""rfind\(\s*["']\\n["']""") == ["source.py"]
