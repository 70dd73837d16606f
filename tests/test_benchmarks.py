"""The benchmark's own pieces: the naive parser it compares with, its table and its probes.

Nothing here measures speed; these tests keep the comparison honest (the naive
parser builds the same bulletins) and the measuring code correct.
"""

from __future__ import annotations

import sys
from pathlib import Path

import attrs
import pytest

import prayerdoc

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from benchmarks import naive, run  # noqa: E402
from benchmarks.corpus import read_texts, repeat, seed_paths, write_files  # noqa: E402
from benchmarks.measure import run_child  # noqa: E402
from benchmarks.table import markdown_table, ratio  # noqa: E402

EXAMPLES = sorted((ROOT / "examples" / "bulletins").glob("*.txt"))


def positions(node: object, path: str = "") -> list[tuple[str, prayerdoc.Position | None]]:
    """Every position in a bulletin with the path to its node (equality ignores positions)."""
    found: list[tuple[str, prayerdoc.Position | None]] = []
    kind = type(node)
    if attrs.has(kind):
        for field in attrs.fields(kind):
            value = getattr(node, field.name)
            if field.name == "position":
                found.append((path, value))
            else:
                found += positions(value, f"{path}.{field.name}")
    elif isinstance(node, tuple):
        for index, item in enumerate(node):
            found += positions(item, f"{path}[{index}]")
    return found


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda path: path.name)
def test_naive_parser_builds_the_same_bulletin(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    expected = prayerdoc.parse(text)
    built = naive.parse(text)
    assert built == expected
    assert positions(built) == positions(expected)
    assert len(positions(built)) > 10


def test_naive_parser_refuses_what_it_cannot_read() -> None:
    with pytest.raises(naive.NaiveParseError):
        naive.parse("Title\n\n“A verse.”\n\nPray for rain.\n")


def test_benchmark_checks_the_naive_parser_on_the_seeds() -> None:
    seeds = read_texts(seed_paths())
    run.assert_naive_is_honest(seeds)
    assert set(seeds.values()) <= set(run.comparable_texts(seeds))


def test_table_has_header_rule_and_one_line_per_row() -> None:
    table = markdown_table(("A", "Bee"), [("1", "2"), ("long cell", "3")])
    lines = table.splitlines()
    assert lines[0] == "| A         | Bee |"
    assert lines[1] == "|-----------|-----|"
    assert lines[2:] == ["| 1         | 2   |", "| long cell | 3   |"]
    assert ratio(3.0, 2.0) == "1.50×"


def test_table_refuses_a_row_of_the_wrong_width() -> None:
    with pytest.raises(ValueError, match="one cell per column"):
        markdown_table(("A", "B"), [("only one",)])


def test_repeat_reaches_the_size_with_separate_strings() -> None:
    texts = ["ab\n", "cdé\n"]
    corpus = repeat(texts, 100)
    assert sum(len(text.encode("utf-8")) for text in corpus) >= 100
    assert corpus[:4] == ["ab\n", "cdé\n", "ab\n", "cdé\n"]
    assert len({id(text) for text in corpus}) == len(corpus)


def test_write_files_cycles_through_texts(tmp_path: Path) -> None:
    paths = write_files(tmp_path, ["one", "two"], 3)
    assert [path.read_text(encoding="utf-8") for path in paths] == ["one", "two", "one"]


def test_child_memory_is_that_child_alone() -> None:
    grow = "b = bytearray(80 * 1024 * 1024); b[::4096] = b'x' * len(b[::4096])"
    big = run_child([sys.executable, "-c", grow])
    assert big.returncode == 0
    assert big.peak_rss_kib > 80 * 1024
    # This process now holds 80 MiB too; a small child must not be charged with it.
    held = bytearray(80 * 1024 * 1024)
    held[::4096] = b"x" * len(held[::4096])
    small = run_child([sys.executable, "-c", "import sys; sys.exit(3)"])
    assert small.returncode == 3
    assert 0 < small.peak_rss_kib < 40 * 1024
    assert small.seconds > 0
    del held


def test_parse_rows_compare_on_the_same_run() -> None:
    texts = read_texts(seed_paths())
    full = repeat(list(texts.values()), 20_000)
    sizes = attrs.evolve(run.Sizes.choose(quick=True), corpus_bytes=20_000)
    rows = run.parse_rows(sizes, texts, full)
    assert [row[0] for row in rows] == [
        "1. parse: prayerdoc.parse",
        "1. floor: split into lines",
        "1. parse: prayerdoc.parse",
        "1. naive regex parser",
    ]
    assert all("bulletins/s" in row[2] for row in rows)
    assert rows[0][3].endswith("floor (time)")
    assert rows[2][3].endswith("naive (time)")


def test_a_crashing_command_is_reported_not_measured() -> None:
    crash = [sys.executable, "-c", "raise RuntimeError('boom')"]
    assert run.failure(crash) == "fails (exit 1): RuntimeError: boom"
    assert run.failure([sys.executable, "-c", "import sys; sys.exit(1)"]) is None
