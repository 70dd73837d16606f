"""The grammar's tables kept between runs: the same tables Lark builds, never another grammar's."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import lark
import pytest
from lark import Lark, Token, Transformer

from prayerdoc import _parser, _tables

ROOT = Path(__file__).resolve().parent.parent

# Two grammars over the same tokens that read "x y" differently.
PAIR = "start: pair\npair: X Y\n%declare X Y\n"
SPLIT = "start: one one\none: X | Y\n%declare X Y\n"
OPTIONS: dict[str, Any] = {"parser": "lalr", "lexer": _parser._PassThrough, "start": ["start"]}


class Names(Transformer[Token, Any]):
    def start(self, children: list[Any]) -> list[Any]:
        return children

    def pair(self, children: list[Token]) -> str:
        return "pair:" + "".join(children)

    def one(self, children: list[Token]) -> str:
        return "one:" + children[0]


def read(tables: _tables.Tables) -> Any:
    machine = _parser._Machine.start(_parser._Table.of(tables.table, "start", Names()))
    for kind in ("X", "Y"):
        machine.feed(kind, Token(kind, kind.lower()))
    machine.feed("$END", None)
    return machine.values[-1]


def refuse(*args: object) -> None:
    raise AssertionError("analysed again")


@pytest.fixture
def cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    return tmp_path / "prayerdoc"


def test_the_second_load_reads_the_file_the_first_wrote(
    cache: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert read(_tables.load(PAIR, OPTIONS)) == ["pair:xy"]
    [kept] = cache.iterdir()
    monkeypatch.setattr(_tables, "_analyse", refuse)
    assert read(_tables.load(PAIR, OPTIONS)) == ["pair:xy"]
    assert list(cache.iterdir()) == [kept]


def test_a_changed_grammar_is_analysed_again_and_kept_beside(cache: Path) -> None:
    assert read(_tables.load(PAIR, OPTIONS)) == ["pair:xy"]
    assert read(_tables.load(SPLIT, OPTIONS)) == ["one:x", "one:y"]
    assert len(list(cache.iterdir())) == 2
    assert read(_tables.load(PAIR, OPTIONS)) == ["pair:xy"]


def test_a_file_holding_another_grammars_tables_is_not_read(cache: Path) -> None:
    _tables.load(SPLIT, OPTIONS)
    [split] = cache.iterdir()
    wrong = split.read_bytes()
    _tables.load(PAIR, OPTIONS)
    [pair] = set(cache.iterdir()) - {split}
    pair.write_bytes(wrong)  # a file under the pair grammar's name, with the other's tables
    assert read(_tables.load(PAIR, OPTIONS)) == ["pair:xy"]
    assert pair.read_bytes()[:64] != wrong[:64]  # and it was replaced


@pytest.mark.parametrize("damage", ["empty", "not a pickle", "cut short"])
def test_a_damaged_file_is_analysed_again_and_replaced(
    cache: Path, damage: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    _tables.load(PAIR, OPTIONS)
    [kept] = cache.iterdir()
    good = kept.read_bytes()
    damaged = {"empty": b"", "not a pickle": good[:64] + b"text", "cut short": good[:-20]}
    kept.write_bytes(damaged[damage])
    assert read(_tables.load(PAIR, OPTIONS)) == ["pair:xy"]
    monkeypatch.setattr(_tables, "_analyse", refuse)  # the file is whole again
    assert read(_tables.load(PAIR, OPTIONS)) == ["pair:xy"]


def test_another_lark_python_or_options_never_share_a_file(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    key = _tables._key(PAIR, OPTIONS)
    assert _tables._key(PAIR, {**OPTIONS, "start": ["start", "pair"]}) != key
    assert _tables._key(SPLIT, OPTIONS) != key
    monkeypatch.setattr(lark, "__version__", "0.0.0")
    assert _tables._key(PAIR, OPTIONS) != key
    monkeypatch.undo()
    monkeypatch.setattr("sys.implementation.cache_tag", "cpython-399")
    assert _tables._key(PAIR, OPTIONS) != key


def test_without_a_writable_cache_folder_nothing_is_written(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    blocked = tmp_path / "not-a-folder"
    blocked.write_text("a file where the cache folder would go")
    monkeypatch.setenv("XDG_CACHE_HOME", str(blocked))
    assert read(_tables.load(PAIR, OPTIONS)) == ["pair:xy"]
    assert blocked.read_text() == "a file where the cache folder would go"


def test_only_an_lalr_grammar_has_tables() -> None:
    with pytest.raises(ValueError, match="LALR"):
        _tables.load(PAIR, {**OPTIONS, "parser": "earley"})


def test_the_kept_tables_are_the_ones_lark_analyses(cache: Path) -> None:
    grammar = (ROOT / "grammar" / "prayerdoc.lark").read_text(encoding="utf-8")
    options = {**OPTIONS, "start": list(_parser._READINGS), "strict": True}
    _tables.load(grammar, options)  # written
    kept = _tables.load(grammar, options)  # and read back
    lark_table = Lark(grammar, **options).parser.parser.parser.parse_table
    # Lark numbers the states differently from one analysis to the next: the two
    # tables are walked side by side from each start, matching state to state.
    matched: dict[int, int] = {}
    waiting = [(kept.table.start_states[s], lark_table.start_states[s]) for s in options["start"]]
    while waiting:
        ours, theirs = waiting.pop()
        if ours in matched:
            assert matched[ours] == theirs
            continue
        matched[ours] = theirs
        actions, expected = kept.table.states[ours], lark_table.states[theirs]
        assert actions.keys() == expected.keys()
        for kind, (action, target) in actions.items():
            assert action is expected[kind][0]  # the parser tells them apart by identity
            if action is lark.parsers.lalr_analysis.Shift:
                waiting.append((target, expected[kind][1]))
            else:
                assert target == expected[kind][1]  # the same rule
    assert len(matched) == len(kept.table.states) == len(lark_table.states)
    for start in options["start"]:
        assert matched[kept.table.end_states[start]] == lark_table.end_states[start]


def _form(table: _parser._Table) -> tuple[Any, ...]:
    """A driver table with each builder method named, so that two builders' tables compare."""

    def reduction(reduce: Any) -> Any:
        if reduce is None:
            return None
        size, spliced, method, name = reduce
        return size, spliced, None if method is None else method.__name__, name

    actions = {
        state: {kind: (target, reduction(reduce)) for kind, (target, reduce) in row.items()}
        for state, row in table.actions.items()
    }
    return actions, table.gotos, table.start, table.end


def test_the_kept_driver_tables_are_the_ones_made_from_the_kept_table(
    cache: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _parser._lark.cache_clear()
    try:
        _parser._lark()  # written
        _parser._lark.cache_clear()
        monkeypatch.setattr(_tables, "_analyse", refuse)
        kept = _parser._lark()  # and read back
    finally:
        _parser._lark.cache_clear()
    assert kept.derived.keys() == _parser._READINGS.keys()
    fresh = _parser._Table.each(kept.table, _parser._READINGS, _parser._Build())
    for reading, table in kept.derived.items():
        assert _form(table) == _form(fresh[reading])
        reductions = [reduce for row in table.actions.values() for _, reduce in row.values()]
        methods = {reduce[2] for reduce in reductions if reduce is not None} - {None}
        # The methods are looked up again on one new builder, not kept with the one that made them.
        [builder] = {method.__self__ for method in methods}
        assert isinstance(builder, _parser._Build)


def test_a_changed_deriving_module_never_reads_the_tables_kept_for_another(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    key = _tables._key(PAIR, OPTIONS, _parser._driver_tables)
    assert key != _tables._key(PAIR, OPTIONS)
    changed = tmp_path / "_parser.py"
    changed.write_bytes(Path(_parser.__file__).read_bytes() + b"\n# changed\n")
    monkeypatch.setattr(_parser, "__file__", str(changed))
    assert _tables._key(PAIR, OPTIONS, _parser._driver_tables) != key


def test_parsing_leaves_larks_own_table_unloaded(cache: Path) -> None:
    bulletin = (ROOT / "examples" / "bulletins" / "bulletin-01.txt").read_text(encoding="utf-8")
    _parser._lark.cache_clear()
    try:
        for _ in range(2):  # written, then read back
            _parser._lark.cache_clear()
            assert _parser.parse_text(bulletin).bulletin is not None
            assert isinstance(_parser._lark()._table, bytes)  # the driver's tables sufficed
    finally:
        _parser._lark.cache_clear()
