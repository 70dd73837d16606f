"""The grammar's LALR tables: analysed by Lark once, then loaded from the user's cache folder.

Lark's own cache (``Lark(cache=...)``) keeps its analysis in a portable form that
it turns back into objects one by one, in Python, at every start; for prayerdoc's
grammar that was the largest single cost of ``prayerdoc check``'s start-up. Here
the same objects Lark builds (its parse table and rules) are pickled as they are,
so that loading them is the unpickler's work, in C; they are the ones Lark's
parser reads, and only how they are kept differs.

A caller may keep beside them what it makes of the parse table (``derive``): the
parser keeps its driver's tables, so that they are not made again at every start.

A cache file is named by a hash of everything its tables depend on: the grammar's
text, the options it is analysed with, this module's format, Lark's version and
the interpreter's, and the file of the module that derives from them (its code
decides what is derived, and how). A changed grammar, another Lark or another Python therefore
never reads a file written for a different one, and two grammars (two checkouts
sharing one cache folder) each keep their own file instead of rebuilding one.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import pickle
import sys
from collections.abc import Callable, Mapping
from typing import Any, cast

import lark
from lark import Lark
from lark.grammar import NonTerminal, Rule, Symbol, Terminal
from lark.parsers import lalr_analysis
from lark.parsers.lalr_analysis import ParseTableBase

__all__ = ["Tables", "load"]

# Raised when what is kept in a cache file changes, so that no older file is read.
_FORMAT = 4

#: What a caller makes of the parse table, to be kept with it: anything that pickles.
Derive = Callable[[ParseTableBase[int]], Any]


class Tables:
    """A grammar's LALR parse table, its rules included, as Lark analysed it.

    ``derived`` is what ``derive`` made of the table (None without one). Lark's
    table is kept in the file as a pickle of its own, loaded when first asked
    for: a caller that derives its own tables from it seldom needs it again.
    """

    __slots__ = ("_table", "derived")

    def __init__(self, table: ParseTableBase[int] | bytes, derived: Any = None) -> None:
        self._table, self.derived = table, derived

    @property
    def table(self) -> ParseTableBase[int]:
        table = self._table
        if isinstance(table, bytes):
            table = self._table = pickle.loads(table)
        return cast(ParseTableBase[int], table)


def load(grammar: str, options: Mapping[str, Any], derive: Derive | None = None) -> Tables:
    """The tables of ``grammar`` as ``Lark(grammar, **options)`` analyses it.

    Read from the user's cache folder when a file for exactly this grammar,
    these options, this Lark and this Python is there; otherwise analysed and
    written there for the next run, when the folder can be written. A cache
    file that cannot be read or loaded is never an error: the grammar is
    analysed again and the file replaced.

    ``derive``, when given, is called on the parse table once, when the grammar
    is analysed; what it returns is kept in the same file and loaded with the
    table. A method in it is kept by its name and its object's class, as pickle
    keeps one, and is looked up again on a new object of that class when loaded.
    """
    if options.get("parser") != "lalr":
        raise ValueError("only an LALR grammar has tables to keep")
    key = _key(grammar, options, derive)
    path = _cache_file(key)
    if path is not None:
        try:
            with open(path, "rb") as file:
                data = file.read()
            return _loads(data, key)
        except Exception:  # missing, truncated or unreadable: analysed again below
            pass
    data = _dumps(_analyse(grammar, options, derive), key)
    if path is not None:
        _store(path, data)
    return _loads(data, key)  # one way to the objects, whether cached or not


def _key(grammar: str, options: Mapping[str, Any], derive: Derive | None = None) -> str:
    parts = (
        str(_FORMAT),
        lark.__version__,
        sys.implementation.cache_tag or sys.version,
        repr(sorted(options.items())),
        grammar,
    )
    digest = hashlib.sha256("\0".join(parts).encode("utf-8", "surrogatepass"))
    if derive is not None:
        digest.update(f"\0{derive.__module__}.{derive.__qualname__}\0".encode())
        digest.update(_code_of(derive))
    return digest.hexdigest()


def _code_of(derive: Derive) -> bytes:
    """The file of the module ``derive`` is defined in: a change there may change what it makes."""
    path = getattr(sys.modules.get(derive.__module__), "__file__", None)
    if path is None:  # defined outside any file (``python -c``): known by its name alone
        return b""
    with open(path, "rb") as file:
        return file.read()


def _cache_file(key: str) -> str | None:
    """Where the tables of ``key`` are kept, or None when the cache folder cannot be written.

    The user's own cache folder, never a shared temporary one: the file is a
    pickle, and loading one another user planted would run their code.
    """
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    folder = os.path.join(base, "prayerdoc")
    try:
        os.makedirs(folder, mode=0o700, exist_ok=True)
    except OSError:
        return None
    if not os.access(folder, os.W_OK):
        return None
    return os.path.join(folder, f"grammar-{key[:16]}.tables")


def _analyse(grammar: str, options: Mapping[str, Any], derive: Derive | None = None) -> Tables:
    parser = Lark(grammar, **options)
    _share_symbols(parser.rules)
    # Lark's LALR front end holds the table it analysed.
    table = parser.parser.parser.parser.parse_table
    return Tables(table, None if derive is None else derive(table))


def _share_symbols(rules: list[Rule]) -> None:
    """One symbol object for each name, named by a plain string, so that the pickle is smaller.

    Lark makes a symbol for every place a name appears in a rule, and names some
    with the grammar's tokens; equal symbols are interchangeable (they compare
    and hash by name, and by kind and filtering for a terminal).
    """
    shared: dict[tuple[bool, str, bool], Symbol] = {}

    def one(symbol: Symbol) -> Symbol:
        filter_out = bool(getattr(symbol, "filter_out", False))
        key = (symbol.is_term, str(symbol.name), filter_out)
        if key not in shared:
            name = key[1]
            shared[key] = Terminal(name, filter_out) if symbol.is_term else NonTerminal(name)
        return shared[key]

    for rule in rules:
        rule.origin = cast(NonTerminal, one(rule.origin))
        rule.expansion = [one(symbol) for symbol in rule.expansion]


def _action(name: str) -> object:
    """Lark's ``Shift`` or ``Reduce``: the parser tells them apart by identity."""
    return getattr(lalr_analysis, name)


class _Pickler(pickle.Pickler):
    def reducer_override(self, obj: Any) -> Any:
        if obj is lalr_analysis.Shift or obj is lalr_analysis.Reduce:
            return _action, (obj.name,)
        if type(obj) is Rule:
            # Made again by its constructor, which hashes it in the loading process:
            # a Rule keeps its hash, and string hashes differ between processes.
            return Rule, (obj.origin, obj.expansion, obj.order, obj.alias, obj.options)
        return NotImplemented


def _pickled(obj: object) -> bytes:
    import io

    buffer = io.BytesIO()
    _Pickler(buffer, protocol=pickle.HIGHEST_PROTOCOL).dump(obj)
    return buffer.getvalue()


def _dumps(tables: Tables, key: str) -> bytes:
    return key.encode("ascii") + _pickled((_pickled(tables.table), tables.derived))


def _loads(data: bytes, key: str) -> Tables:
    stamp = key.encode("ascii")
    if not data.startswith(stamp):
        raise ValueError("a cache file written for other tables")
    table, derived = pickle.loads(data[len(stamp) :])
    return Tables(table, derived)


def _store(path: str, data: bytes) -> None:
    """Write ``data`` to ``path`` whole or not at all; a reader never sees half a file."""
    partial = f"{path}.{os.getpid()}.partial"
    try:
        with open(partial, "wb") as file:
            file.write(data)
        os.replace(partial, path)
    except OSError:  # a full disk or a folder made read-only meanwhile: parse without a cache
        with contextlib.suppress(OSError):
            os.unlink(partial)
