"""What the commands print for a person and a CI log: the summary, unreadable paths,
--strict, fmt --check --diff, and days that do not exist."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

if TYPE_CHECKING:
    from conftest import RunCli

ROOT = Path(__file__).resolve().parent.parent
SEEDS = sorted((ROOT / "examples" / "bulletins").glob("*.txt"))
INVALID = ROOT / "tests" / "data" / "invalid"
FINDING = re.compile(r"^.+:\d+:\d+: PD\d{3} .+$")
SUMMARY = re.compile(r"^\d+ errors?, \d+ warnings? in \d+ files?(; .+)?$")

# Every test runs in an empty folder, away from any pyproject.toml with settings.
pytestmark = pytest.mark.usefixtures("in_empty_folder")


def _bulletins(folder: Path, *sources: Path) -> list[str]:
    folder.mkdir(parents=True, exist_ok=True)
    for source in sources:
        shutil.copyfile(source, folder / source.name)
    return [str(folder / source.name) for source in sources]


def test_summary_is_the_last_line_of_one_merged_stream(tmp_path: Path) -> None:
    names = _bulletins(tmp_path / "b", *SEEDS, INVALID / "three-problems.txt")
    merged = subprocess.run(
        [sys.executable, "-m", "prayerdoc", "check", *names],
        cwd=tmp_path,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        check=False,
    ).stdout
    *findings, summary = merged.splitlines()
    assert merged.endswith("\n")
    assert findings
    assert all(FINDING.match(line) for line in findings), findings
    assert summary == "0 errors, 7 warnings in 6 files"


def test_summary_goes_to_stdout_after_the_findings(run_cli: RunCli, tmp_path: Path) -> None:
    (name,) = _bulletins(tmp_path, SEEDS[2])
    code, out, err = run_cli("check", name)
    assert (code, err) == (0, "")
    assert out.splitlines()[-1] == "0 errors, 2 warnings in 1 file"
    for fmt in ("json", "github", "sarif"):  # machine-read: nothing but the report
        _, out, err = run_cli("check", "--format", fmt, name)
        assert not SUMMARY.match(out.splitlines()[-1])
        assert err == ""


def test_an_unreadable_path_gets_its_error_and_nothing_else(
    run_cli: RunCli, tmp_path: Path
) -> None:
    code, out, err = run_cli("check", "nosuch.txt")
    assert code == 2
    assert out == ""
    assert err.splitlines() == [
        "prayerdoc check: error: cannot read 'nosuch.txt': no such file or folder"
    ]
    (name,) = _bulletins(tmp_path, SEEDS[0])
    code, out, err = run_cli("check", "nosuch.txt", name)
    assert code == 2
    assert out == "0 errors, 0 warnings in 1 file\n"  # counts the file that was read
    assert "nosuch.txt" in err


@pytest.mark.parametrize("command", ["convert", "check", "fmt"])
def test_every_command_words_a_missing_path_alike(run_cli: RunCli, command: str) -> None:
    code, out, err = run_cli(command, "nosuch.txt")
    assert (code, out) == (2, "")
    assert err.startswith(f"prayerdoc {command}: ")
    assert err.rstrip("\n").endswith("cannot read 'nosuch.txt': no such file or folder")


def test_convert_words_a_folder_as_check_and_fmt_would(run_cli: RunCli, tmp_path: Path) -> None:
    code, _, err = run_cli("convert", str(tmp_path), "--to", "json")
    assert code == 2
    assert err.rstrip("\n").endswith(f"cannot read '{tmp_path}': it is a folder")
    code, _, err = run_cli("convert", str(SEEDS[0]), "-o", str(SEEDS[0] / "out.json"))
    assert code == 2
    assert "a part of the path is a file, not a folder" in err


def test_an_empty_folder_says_so_without_a_summary(run_cli: RunCli, tmp_path: Path) -> None:
    (tmp_path / "empty").mkdir()
    code, out, err = run_cli("check", "empty")
    assert (code, out) == (0, "")
    assert "no *.txt files" in err


def test_strict_is_named_when_it_decides_the_exit(run_cli: RunCli, tmp_path: Path) -> None:
    (warned,) = _bulletins(tmp_path / "w", SEEDS[2])
    code, out, _ = run_cli("check", warned)
    assert code == 0
    assert out.splitlines()[-1] == "0 errors, 2 warnings in 1 file"
    code, out, _ = run_cli("check", "--strict", warned)
    assert code == 1
    assert out.splitlines()[-1] == (
        "0 errors, 2 warnings in 1 file; --strict makes warnings fail the run"
    )
    (clean,) = _bulletins(tmp_path / "c", SEEDS[0])
    code, out, _ = run_cli("check", "--strict", clean)
    assert (code, out) == (0, "0 errors, 0 warnings in 1 file\n")
    (broken := tmp_path / "empty.txt").write_text("\n", encoding="utf-8")
    code, out, _ = run_cli("check", "--strict", warned, str(broken))
    assert code == 1  # the error decides, not --strict
    assert out.splitlines()[-1] == "1 error, 2 warnings in 2 files"
    (tmp_path / "pyproject.toml").write_text("[tool.prayerdoc]\nstrict = true\n")
    code, out, _ = run_cli("check", warned)
    assert code == 1
    assert out.splitlines()[-1] == (
        f"0 errors, 2 warnings in 1 file; strict = true in {tmp_path / 'pyproject.toml'}"
        " makes warnings fail the run"
    )


def test_fmt_check_and_diff_together(run_cli: RunCli, tmp_path: Path) -> None:
    (name,) = _bulletins(tmp_path, SEEDS[1])
    before = Path(name).read_bytes()
    code, out, err = run_cli("fmt", "--check", "--diff", name)
    assert code == 1
    assert out.startswith(f"--- {name}\n+++ {name}\n@@ ")
    assert err == f"would reformat {name}\n"
    assert Path(name).read_bytes() == before
    # Each alone does its half.
    assert run_cli("fmt", "--diff", name)[1:] == (out, "")
    assert run_cli("fmt", "--check", name)[1:] == ("", err)
    assert run_cli("fmt", name)[0] == 0
    assert run_cli("fmt", "--check", "--diff", name) == (0, "", "")


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2024-02-30", "'2024-02-30': that day does not exist; February 2024 has 29 days"),
        ("2023-02-29", "'2023-02-29': that day does not exist; February 2023 has 28 days"),
        ("2024-04-31", "'2024-04-31': that day does not exist; April 2024 has 30 days"),
        ("2024-01-00", "'2024-01-00': that day does not exist; January 2024 has 31 days"),
        ("2024-13-01", "'2024-13-01': there is no month 13; months run from 01 to 12"),
        ("0000-01-01", "'0000-01-01': there is no year 0; years start at 0001"),
        ("2024-2-3", "'2024-2-3' is not a date written YYYY-MM-DD"),
        ("March 1", "'March 1' is not a date written YYYY-MM-DD"),
    ],
)
def test_start_says_what_is_wrong_with_the_day(
    value: str, expected: str, run_cli: RunCli, tmp_path: Path
) -> None:
    (name,) = _bulletins(tmp_path, SEEDS[1])
    code, out, err = run_cli("convert", name, "--to", "ical", "--start", value)
    assert (code, out) == (2, "")
    assert err.splitlines()[-1] == f"prayerdoc convert: error: argument --start: {expected}"


def test_start_takes_a_real_day(run_cli: RunCli, tmp_path: Path) -> None:
    # bulletin-01 has no date of its own, so --start gives its first day.
    (name,) = _bulletins(tmp_path, SEEDS[0])
    code, out, _ = run_cli("convert", name, "--to", "ical", "--start", "2024-02-29")
    assert code == 0
    assert "DTSTART;VALUE=DATE:20240229" in out
