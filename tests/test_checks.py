"""The checks: a broken fixture per code, the seeds, and never raising on any input."""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import prayerdoc
from prayerdoc import checks, codes
from prayerdoc.checks import check_text
from prayerdoc.diagnostics import Diagnostic, Severity
from profiles import examples

ROOT = Path(__file__).resolve().parent.parent
INVALID = ROOT / "tests" / "data" / "invalid"
SEEDS = sorted((ROOT / "examples" / "bulletins").glob("*.txt"))
FIXTURES = sorted(INVALID.glob("*.txt"))
# Codes no bulletin file can produce: PD111 comes from reading JSON, PD112 from
# giving the library a file name as text, and PD199 from a bug (shown below by
# breaking a check on purpose); PD113, PD114 and PD406 only from reading a web page,
# PD407 only from reading an e-mail, PD115 only from tokens a reader hands the grammar out of order.
NOT_FROM_TEXT = {"PD111", "PD112", "PD113", "PD114", "PD115", "PD199", "PD406", "PD407"}


def _expected(fixture: Path) -> tuple[dict[str, Any], list[tuple[int, int, str]]]:
    """Options (``# key: value`` lines) and ``line:col CODE`` lines of a fixture's expectation."""
    options: dict[str, Any] = {}
    found = []
    for line in fixture.with_suffix(".expected").read_text(encoding="utf-8").splitlines():
        if line.startswith("#"):
            key, _, value = line[1:].partition(":")
            options[key.strip().replace("-", "_")] = value.strip()
            continue
        place, code = line.split()
        row, column = place.split(":")
        found.append((int(row), int(column), code))
    if "max_bytes" in options:
        options["max_bytes"] = int(options["max_bytes"])
    return options, found


def test_there_is_a_fixture_for_every_code() -> None:
    named = {path.name[:5] for path in FIXTURES if re.match(r"PD\d{3}-", path.name)}
    assert named == set(codes.RULES) - NOT_FROM_TEXT


@pytest.mark.parametrize("fixture", FIXTURES, ids=[path.stem for path in FIXTURES])
def test_fixture_gives_exactly_its_findings(fixture: Path) -> None:
    options, expected = _expected(fixture)
    found = check_text(fixture.read_bytes(), source=fixture.name, **options)
    assert [(d.line, d.column, d.code) for d in found] == expected
    if re.match(r"PD\d{3}-", fixture.name):
        assert [code for _, _, code in expected] == [fixture.name[:5]]


def test_three_broken_places_give_three_findings() -> None:
    found = check_text((INVALID / "three-problems.txt").read_bytes())
    assert len({(d.line, d.column) for d in found}) == 3
    assert all(d.severity is Severity.WARNING for d in found)


@pytest.mark.parametrize("seed", SEEDS, ids=[path.stem for path in SEEDS])
def test_seeds_have_no_errors(seed: Path) -> None:
    found = check_text(seed.read_bytes())
    assert [d for d in found if d.severity is Severity.ERROR] == []


def test_seed_warnings_are_the_known_true_findings() -> None:
    # Each of these was read and is a real flaw of the published text.
    found = {
        (seed.name, d.line, d.column, d.code)
        for seed in SEEDS
        for d in check_text(seed.read_bytes())
    }
    texts = {seed.name: seed.read_text(encoding="utf-8").split("\n") for seed in SEEDS}
    for name, line, column, code in found:
        text = texts[name][line - 1]
        if code == "PD302":
            assert text[column - 2 : column + 2] == "l.On"  # "April.One"
        elif code == "PD301":
            assert text[column - 1] == "”"
            assert "“" not in text  # the verse opens with no quote
        elif code == "PD306":
            assert text[column - 1] == '"'
        elif code == "PD401":
            assert text[column - 1 :].startswith("Read the full story.")
        else:
            pytest.fail(f"unexpected {code} in {name} at {line}:{column}")
    assert {code for *_, code in found} == {"PD301", "PD302", "PD306", "PD401"}


def test_findings_are_sorted_and_unique() -> None:
    text = "\t \n" * 3 + (INVALID / "three-problems.txt").read_text(encoding="utf-8")
    found = check_text(text)
    keys = [(d.line, d.column, d.code) for d in found]
    assert keys == sorted(keys)
    assert len(set(found)) == len(found)


def test_public_check_is_check_text() -> None:
    text = (INVALID / "PD202-unknown-book.txt").read_text(encoding="utf-8")
    assert prayerdoc.check(text) == check_text(text)


@pytest.mark.parametrize(
    ("line", "code", "column"),
    [
        ("Pray for God’s people and the boys’ home.", None, None),
        ("Pray for Cambodia’s “Training of Trainers” course.", None, None),
        ("Pray for the ‘Voice of the Stateless’ event.", None, None),
        ("Pray for “the girls.’ ”", None, None),
        ("Pray for rock 'n' roll and can't.", None, None),
        ("Pray for ”Freedom Sunday” events.", "PD301", 10),
        ("Pray for “Freedom Sunday“ events.", "PD301", 25),
        ("Pray for “Freedom ‘Sunday” events.", "PD301", 19),
        ("Pray for the U.S. and the U.K. teams.", None, None),
        ("Pray for 1.5 million people, e.g. Kenya.", None, None),
        ("Pray for ijm.org.Today and info@ijm.Org.", None, None),
        ("Pray in 2019.The team", "PD302", 13),
        ("Pray for them .", "PD303", 14),
        ("Pray for them ... and more …", None, None),
        ("Pray at a rate of .5 percent.", None, None),
        ("Pray. To learn more, visit .", "PD401", 22),
        ("  • Learn more about our work.", "PD401", 5),
        ("Pray they learn more about trauma.", None, None),
        ("Pray. Read more about it here.", "PD401", 7),
    ],
)
def test_typography_and_link_rules_on_one_line(
    line: str, code: str | None, column: int | None
) -> None:
    document = checks.Document(line, (line,), None, ())
    found = [
        d
        for check in (
            checks.unbalanced_quotes,
            checks.missing_space,
            checks.space_before_punctuation,
            checks.link_leftover,
        )
        for d in check(document)
    ]
    if code is None:
        assert found == []
    else:
        assert [(d.code, d.column) for d in found] == [(code, column)]


def test_scripture_finding_points_at_the_passage() -> None:
    text = (INVALID / "PD203-no-such-chapter.txt").read_text(encoding="utf-8")
    text = text.replace("— Micah 9:1", "— Micah 6:8; 9:1")
    [finding] = check_text(text)
    assert (finding.code, finding.line, finding.column) == ("PD203", 5, 14)
    assert (finding.end_line, finding.end_column) == (5, 17)


def test_a_broken_check_is_a_finding_not_a_crash(monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(document: checks.Document) -> list[Diagnostic]:
        raise RuntimeError("boom")

    monkeypatch.setattr(checks, "CHECKS", (broken, *checks.CHECKS))
    found = check_text((INVALID / "PD202-unknown-book.txt").read_bytes())
    assert [d.code for d in found] == ["PD199", "PD202"]
    assert "broken" in found[0].message


def test_not_text_is_a_finding() -> None:
    [finding] = check_text(12345)  # type: ignore[arg-type]
    assert finding.code == "PD199"


@settings(max_examples=examples(250))
@given(st.text())
def test_check_never_raises_on_text(text: str) -> None:
    found = check_text(text)
    assert all(isinstance(d, Diagnostic) and d.line >= 1 and d.column >= 1 for d in found)


@settings(max_examples=examples(250))
@given(st.binary())
def test_check_never_raises_on_bytes(data: bytes) -> None:
    found = check_text(data)
    assert all(isinstance(d, Diagnostic) and d.line >= 1 and d.column >= 1 for d in found)


_PIECES = st.sampled_from(
    [
        "“",
        "”",
        '"',
        "‘",
        "’",
        "'",
        "\t",
        " ",
        "\n",
        "\n\n",
        "— ",
        "Micah 6:8",
        "Hezekiah 99:99",
        "  • ",
        "Pray for Kenya.",
        "Latin America",
        "April.One",
        " ,",
        "|",
        "Read the full story.",
        "February 30, 2019",
    ]
)


@settings(max_examples=examples(250))
@given(st.lists(_PIECES, max_size=40).map("".join))
def test_check_never_raises_on_bulletin_like_text(text: str) -> None:
    found = check_text(text)
    keys = [(d.line, d.column, d.code) for d in found]
    assert keys == sorted(keys)
    assert all(d.end_line is None or d.end_line >= d.line for d in found)


def test_rules_doc_has_every_code_with_its_fixture() -> None:
    doc = (ROOT / "docs" / "rules.md").read_text(encoding="utf-8")
    sections = dict(re.findall(r"^### (PD\d{3}) [a-z-]+\n(.*?)(?=^##|\Z)", doc, re.M | re.S))
    assert set(sections) == set(codes.RULES)
    for code, section in sections.items():
        assert f"Severity: {codes.RULES[code].severity.value}." in section
    for fixture in FIXTURES:
        code = fixture.name[:5]
        if code in sections and code not in ("PD100", "PD108", "PD109", "PD110", "PD112"):
            assert fixture.read_text(encoding="utf-8").strip("\n") in sections[code]


def test_check_file_reads_a_file_as_its_name_says(tmp_path: Path) -> None:
    text = "Prayer Requests\n\n  • Pray for Kenya .\n"
    bulletin = tmp_path / "week.txt"
    bulletin.write_text(text, encoding="utf-8")
    found = checks.check_file(str(bulletin))
    assert isinstance(found, list)
    assert found == check_text(text, source=str(bulletin))
    assert (codes.SPACE_BEFORE_PUNCTUATION.code, 3) in [(f.code, f.line) for f in found]
    # A page is read by the page's reader: the finding is placed in the page, named as given.
    page = tmp_path / "page"
    page.write_text(
        "<html><body>\n<h1>Prayer Requests</h1>\n<ul>\n<li>Pray for Kenya .</li>\n</ul>\n",
        encoding="utf-8",
    )
    in_page = checks.check_file(str(page), source="week.html")
    assert isinstance(in_page, list)
    assert ("week.html", "PD303", 4) in [(f.source, f.code, f.line) for f in in_page]
    assert isinstance(checks.check_file(str(tmp_path / "missing.txt")), FileNotFoundError)
    fifo = tmp_path / "fifo.txt"
    os.mkfifo(fifo)
    assert isinstance(checks.check_file(str(fifo), only_regular=True), OSError)
