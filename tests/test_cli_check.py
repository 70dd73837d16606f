"""``prayerdoc check`` and ``prayerdoc fmt`` on the command line: formats, exits, settings."""

from __future__ import annotations

import io
import json
import os
import re
import shutil
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

import jsonschema
import pytest

from prayerdoc import reporters
from prayerdoc.checks import check_text
from prayerdoc.cli import main
from prayerdoc.codes import RULES
from prayerdoc.diagnostics import Diagnostic, Severity

if TYPE_CHECKING:
    from conftest import RunCli

ROOT = Path(__file__).resolve().parent.parent
INVALID = ROOT / "tests" / "data" / "invalid"
SEEDS = sorted((ROOT / "examples" / "bulletins").glob("*.txt"))
THREE = INVALID / "three-problems.txt"

# Every test runs in an empty folder, away from any pyproject.toml with settings.
pytestmark = pytest.mark.usefixtures("in_empty_folder")


def _copy(source: Path, target: Path) -> Path:
    target.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(source, target)
    return target


# Output formats ------------------------------------------------------------


def test_text_format_is_path_line_column_code_message(run_cli: RunCli, tmp_path: Path) -> None:
    path = _copy(THREE, tmp_path / "three.txt")
    code, out, err = run_cli("check", str(path))
    assert code == 0  # all three are warnings: the bulletin converts whole
    lines = out.splitlines()
    assert lines == [
        f'{path}:5:3: PD202 "Hezekiah" is not a book of the Bible; did you mean "Ezekiel"?',
        f"{path}:9:1: PD104 heading 'Latin America' has no request under it;"
        " add one or remove the heading",
        f"{path}:11:12: PD106 stray '|' left over from a table; delete it",
        "0 errors, 3 warnings in 1 file",
    ]
    assert err == ""


_RECORD = ("path", "line", "column", "end_line", "end_column", "code", "severity", "message")


def test_json_format_round_trips(run_cli: RunCli, tmp_path: Path) -> None:
    paths = [_copy(seed, tmp_path / seed.name) for seed in SEEDS] + [
        _copy(THREE, tmp_path / "three.txt")
    ]
    code, out, _ = run_cli("check", "--format", "json", "--strict", *(p.name for p in paths))
    assert code == 1
    records = json.loads(out)
    # Checked by hand against the files: columns count characters from 1, ends are exclusive.
    rows = [
        ("bulletin-03.txt", 3, 1, 3, 2, "PD306", "warning",
         "both straight and curly double quotes are used; use curly ones throughout"),
        ("bulletin-03.txt", 8, 112, 8, 113, "PD302", "warning",
         "no space after the end of a sentence ('April.One'); add a space"),
        ("bulletin-04.txt", 3, 106, 3, 107, "PD301", "warning",
         "the closing quote ” has no opening quote; add “ where the quotation starts"),
        ("bulletin-05.txt", 13, 601, 13, 621, "PD401", "warning",
         "'Read the full story.' is the text of a link that was removed;"
         " delete it or restore the link"),
        ("three.txt", 5, 3, 5, 15, "PD202", "warning",
         '"Hezekiah" is not a book of the Bible; did you mean "Ezekiel"?'),
        ("three.txt", 9, 1, 9, 14, "PD104", "warning",
         "heading 'Latin America' has no request under it; add one or remove the heading"),
        ("three.txt", 11, 12, None, None, "PD106", "warning",
         "stray '|' left over from a table; delete it"),
    ]  # fmt: skip
    assert records == [dict(zip(_RECORD, row, strict=True)) for row in rows]
    # And they hold every field of the library's diagnostics.
    rebuilt = [
        Diagnostic(
            code=r["code"],
            severity=Severity(r["severity"]),
            message=r["message"],
            line=r["line"],
            column=r["column"],
            end_line=r["end_line"],
            end_column=r["end_column"],
            source=r["path"],
        )
        for r in records
    ]
    assert rebuilt == [d for path in paths for d in check_text(path.read_bytes(), source=path.name)]


# The properties SARIF 2.1.0 requires of what prayerdoc writes, from the standard's
# sections 3.13 (sarifLog), 3.14 (run), 3.18-3.19 (tool, driver), 3.49 (rules),
# 3.27 (result), 3.28-3.30 (locations, regions) and 3.11 (message).
_REGION = {
    "type": "object",
    "required": ["startLine"],
    "properties": {
        "startLine": {"type": "integer", "minimum": 1},
        "startColumn": {"type": "integer", "minimum": 1},
        "endLine": {"type": "integer", "minimum": 1},
        "endColumn": {"type": "integer", "minimum": 1},
    },
}
_SARIF = {
    "type": "object",
    "required": ["version", "runs", "$schema"],
    "properties": {
        "version": {"const": "2.1.0"},
        "$schema": {"type": "string", "format": "uri"},
        "runs": {
            "type": "array",
            "minItems": 1,
            "items": {
                "type": "object",
                "required": ["tool", "results"],
                "properties": {
                    "tool": {
                        "type": "object",
                        "required": ["driver"],
                        "properties": {
                            "driver": {
                                "type": "object",
                                "required": ["name", "rules"],
                                "properties": {
                                    "name": {"type": "string"},
                                    "version": {"type": "string"},
                                    "rules": {
                                        "type": "array",
                                        "items": {
                                            "type": "object",
                                            "required": [
                                                "id",
                                                "name",
                                                "shortDescription",
                                                "defaultConfiguration",
                                            ],
                                            "properties": {
                                                "id": {"type": "string"},
                                                "shortDescription": {
                                                    "type": "object",
                                                    "required": ["text"],
                                                },
                                                "defaultConfiguration": {
                                                    "type": "object",
                                                    "properties": {
                                                        "level": {
                                                            "enum": [
                                                                "none",
                                                                "note",
                                                                "warning",
                                                                "error",
                                                            ]
                                                        }
                                                    },
                                                },
                                            },
                                        },
                                    },
                                },
                            }
                        },
                    },
                    "results": {
                        "type": "array",
                        "items": {
                            "type": "object",
                            "required": ["ruleId", "level", "message", "locations"],
                            "properties": {
                                "level": {"enum": ["none", "note", "warning", "error"]},
                                "message": {
                                    "type": "object",
                                    "required": ["text"],
                                    "properties": {"text": {"type": "string"}},
                                },
                                "ruleIndex": {"type": "integer", "minimum": 0},
                                "locations": {
                                    "type": "array",
                                    "items": {
                                        "type": "object",
                                        "required": ["physicalLocation"],
                                        "properties": {
                                            "physicalLocation": {
                                                "type": "object",
                                                "required": ["artifactLocation", "region"],
                                                "properties": {
                                                    "artifactLocation": {
                                                        "type": "object",
                                                        "required": ["uri"],
                                                        "properties": {
                                                            "uri": {
                                                                "type": "string",
                                                                "format": "uri-reference",
                                                            }
                                                        },
                                                    },
                                                    "region": _REGION,
                                                },
                                            }
                                        },
                                    },
                                },
                            },
                        },
                    },
                },
            },
        },
    },
}


def test_sarif_format_has_the_required_structure(run_cli: RunCli, tmp_path: Path) -> None:
    _copy(THREE, tmp_path / "sub folder" / "three 100%.txt")
    _copy(SEEDS[3], tmp_path / "sub folder" / "seed.txt")
    code, out, _ = run_cli("check", "--format", "sarif", "sub folder")
    assert code == 0
    log = json.loads(out)
    jsonschema.validate(log, _SARIF, format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER)
    run = log["runs"][0]
    rules = run["tool"]["driver"]["rules"]
    assert [rule["id"] for rule in rules] == sorted(RULES)
    for rule in rules:
        assert rule["defaultConfiguration"]["level"] == RULES[rule["id"]].severity.value
    results = run["results"]
    assert {r["ruleId"] for r in results} == {"PD202", "PD104", "PD106", "PD301"}
    for result in results:
        assert rules[result["ruleIndex"]]["id"] == result["ruleId"]
        uri = result["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
        assert uri in ("sub%20folder/three%20100%25.txt", "sub%20folder/seed.txt")
    # Files in sorted order: seed.txt's quote, then three's findings by position.
    assert [r["ruleId"] for r in results] == ["PD301", "PD202", "PD104", "PD106"]
    first = results[1]["locations"][0]["physicalLocation"]["region"]
    assert first == {"startLine": 5, "startColumn": 3, "endLine": 5, "endColumn": 15}


def test_github_format_by_string(run_cli: RunCli, tmp_path: Path) -> None:
    path = _copy(INVALID / "PD104-empty-section.txt", tmp_path / "a:b,c%d.txt")
    code, out, _ = run_cli("check", "--format", "github", path.name)
    assert code == 0
    assert out == (
        "::warning file=a%3Ab%2Cc%25d.txt,line=9,col=1,endLine=9,endColumn=14,title=PD104"
        "::heading 'Latin America' has no request under it; add one or remove the heading\n"
    )


def test_github_warnings_and_escaped_messages() -> None:
    diagnostic = Diagnostic(
        code="PD401",
        severity=Severity.WARNING,
        message="100% done:\r\nnext, line",
        line=2,
        column=3,
    )
    out = reporters.github([diagnostic.with_source("x,y:z.txt")])
    assert out == (
        "::warning file=x%2Cy%3Az.txt,line=2,col=3,title=PD401::100%25 done:%0D%0Anext, line\n"
    )


def test_no_message_can_break_a_line_of_output() -> None:
    diagnostic = Diagnostic(
        code="PD105", severity=Severity.ERROR, message="a\nb\rc", line=1, column=1
    )
    finding = diagnostic.with_source("p\nq")
    for name in ("text", "github"):
        assert reporters.REPORTERS[name]([finding]).count("\n") == 1
    assert json.loads(reporters.json([finding]))[0]["message"] == "a\nb\rc"
    assert json.loads(reporters.sarif([finding]))["runs"][0]["results"][0]["message"] == {
        "text": "a\nb\rc"
    }


def test_heading_text_with_escape_characters_in_a_github_message(
    run_cli: RunCli, tmp_path: Path
) -> None:
    text = (INVALID / "PD104-empty-section.txt").read_text(encoding="utf-8")
    path = tmp_path / "b.txt"
    path.write_text(text.replace("Latin America", "Latin America 100%"), encoding="utf-8")
    _, out, _ = run_cli("check", "--format", "github", "b.txt")
    assert out.endswith(
        "::heading 'Latin America 100%25' has no request under it; add one or remove the heading\n"
    )


# Exit codes ------------------------------------------------------------------


def test_seeds_exit_zero(run_cli: RunCli) -> None:
    assert len(SEEDS) >= 5
    code, out, _ = run_cli("check", *map(str, SEEDS))
    assert code == 0
    assert out  # the seeds have warnings, which do not fail the run


def test_strict_makes_warnings_fail(run_cli: RunCli) -> None:
    assert run_cli("check", "--strict", *map(str, SEEDS))[0] == 1


def test_missing_path_is_a_usage_error(run_cli: RunCli) -> None:
    code, _, err = run_cli("check", "no-such-file.txt", str(SEEDS[0]))
    assert code == 2
    assert "no-such-file.txt" in err


def test_unknown_code_is_a_usage_error(run_cli: RunCli) -> None:
    code, _, err = run_cli("check", "--select", "PD999", str(SEEDS[0]))
    assert code == 2
    assert "PD999" in err


def test_undecodable_file_is_a_finding(run_cli: RunCli) -> None:
    code, out, _ = run_cli("check", str(INVALID / "PD108-undecodable.txt"))
    assert code == 1
    assert out.endswith(
        ":7:29: PD108 byte 96 is not valid utf-8; save the file as UTF-8 or name its encoding\n"
        "1 error, 0 warnings in 1 file\n"
    )


def test_max_bytes_option(run_cli: RunCli) -> None:
    code, out, _ = run_cli("check", "--max-bytes", "100", str(SEEDS[0]))
    assert code == 1
    assert ":1:1: PD109 " in out


def test_folders_are_searched_for_txt_files(run_cli: RunCli, tmp_path: Path) -> None:
    _copy(THREE, tmp_path / "b" / "z.txt")
    _copy(THREE, tmp_path / "b" / "a" / "y.txt")
    _copy(THREE, tmp_path / "b" / ".hidden" / "x.txt")
    _copy(THREE, tmp_path / "b" / "notes.md")
    _, out, _ = run_cli("check", "--select", "PD202", "b")
    *findings, summary = out.splitlines()
    shown = [line.split(":")[0] for line in findings]
    assert shown == [os.path.join("b", "a", "y.txt"), os.path.join("b", "z.txt")]
    assert summary == "0 errors, 2 warnings in 2 files"


def test_stdin(run_cli: RunCli, monkeypatch: pytest.MonkeyPatch) -> None:
    data = THREE.read_bytes()
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(data)))
    code, out, _ = run_cli("check", "--strict", "-")
    assert code == 1
    assert out.startswith("-:5:3: PD202 ")
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(data)))
    _, out, _ = run_cli("check", "--stdin-filename", "bulletins/x.txt", "-")
    assert out.startswith("bulletins/x.txt:5:3: PD202 ")


# Selecting codes ---------------------------------------------------------------


def _codes(out: str) -> list[str]:
    return [m.group(1) for m in re.finditer(r": (PD\d{3}) ", out)]


@pytest.mark.parametrize(
    ("options", "expected"),
    [
        ((), ["PD202", "PD104", "PD106"]),
        (("--select", "PD1"), ["PD104", "PD106"]),
        (("--select", "PD2,PD106"), ["PD202", "PD106"]),
        (("--select", "PD2", "--select", "PD104"), ["PD202", "PD104"]),
        (("--ignore", "PD1"), ["PD202"]),
        (("--ignore", "PD104", "--ignore", "PD202"), ["PD106"]),
        (("--select", "PD106", "--ignore", "PD1"), ["PD106"]),
        (("--select", "PD2", "--extend-select", "pd104"), ["PD202", "PD104"]),
        (("--select", "ALL", "--ignore", "PD10"), ["PD202"]),
    ],
)
def test_select_and_ignore(run_cli: RunCli, options: tuple[str, ...], expected: list[str]) -> None:
    _, out, _ = run_cli("check", *options, str(THREE))
    assert _codes(out) == expected


def test_ignoring_every_error_exits_zero(run_cli: RunCli) -> None:
    assert run_cli("check", "--ignore", "PD1,PD2", str(THREE))[0] == 0


def test_options_replace_or_extend_the_file_s_settings() -> None:
    from prayerdoc import config

    from_file = config.Settings(select=("PD1",), ignore=("PD104",), strict=True, max_bytes=10)
    kept = config.with_options(from_file)
    assert kept == from_file
    assert (kept.reports("PD106"), kept.reports("PD104"), kept.reports("PD202")) == (
        True,
        False,
        False,
    )
    changed = config.with_options(
        from_file,
        select=["pd2"],
        extend_select=["PD106"],
        ignore=["PD201,PD202"],
        strict=False,
        max_bytes=99,
    )
    assert changed == config.Settings(
        select=("PD2", "PD106"), ignore=("PD104", "PD201", "PD202"), strict=False, max_bytes=99
    )
    with pytest.raises(config.ConfigError, match=r"^--select needs at least one code"):
        config.with_options(from_file, select=[" , "])
    with pytest.raises(config.ConfigError, match=r"^--ignore: 'PD999' is not a prayerdoc code"):
        config.with_options(from_file, ignore=["PD999"])


def test_statistics_count_each_code_once_a_line() -> None:
    found = [
        RULES["PD303"].at(1, 1, char="."),
        RULES["PD104"].at(2, 1, heading="Asia"),
        RULES["PD303"].at(3, 1, char=","),
    ]
    assert reporters.statistics(found) == (
        f"    1  PD104  {RULES['PD104'].name}\n    2  PD303  space-before-punctuation\n"
    )
    assert reporters.summary(1, 0, 2) == "1 error, 0 warnings in 2 files\n"


def _pyproject(folder: Path, body: str) -> None:
    (folder / "pyproject.toml").write_text(f"[project]\nname = 'x'\n\n{body}", encoding="utf-8")


def test_pyproject_settings_are_found_upward(
    run_cli: RunCli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _pyproject(tmp_path, '[tool.prayerdoc]\nignore = ["PD2"]\nstrict = true\n')
    inner = tmp_path / "a" / "b"
    inner.mkdir(parents=True)
    monkeypatch.chdir(inner)
    _, out, _ = run_cli("check", str(THREE))
    assert _codes(out) == ["PD104", "PD106"]
    # strict from the file: the seeds' warnings fail the run.
    assert run_cli("check", str(SEEDS[2]))[0] == 1
    # --select replaces the file's select; --ignore adds to its ignore.
    _, out, _ = run_cli("check", "--select", "PD2,PD104", str(THREE))
    assert _codes(out) == ["PD104"]
    _, out, _ = run_cli("check", "--ignore", "PD106", str(THREE))
    assert _codes(out) == ["PD104"]


def test_nearest_pyproject_with_the_table_wins(
    run_cli: RunCli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _pyproject(tmp_path, '[tool.prayerdoc]\nselect = ["PD106"]\n')
    inner = tmp_path / "inner"
    inner.mkdir()
    _pyproject(inner, "")  # no [tool.prayerdoc]: keep looking upward
    monkeypatch.chdir(inner)
    _, out, _ = run_cli("check", str(THREE))
    assert _codes(out) == ["PD106"]


def test_pyproject_max_bytes(run_cli: RunCli, tmp_path: Path) -> None:
    _pyproject(tmp_path, "[tool.prayerdoc]\nmax-bytes = 100\n")
    _, out, _ = run_cli("check", str(SEEDS[0]))
    assert _codes(out) == ["PD109"]


@pytest.mark.parametrize(
    "body",
    [
        '[tool.prayerdoc]\nselct = ["PD1"]\n',
        '[tool.prayerdoc]\nselect = "PD1"\n',
        '[tool.prayerdoc]\nignore = ["PD9"]\n',
        "[tool.prayerdoc]\nstrict = 1\n",
        "[tool.prayerdoc]\nmax-bytes = 0\n",
        "[tool.prayerdoc\n",
    ],
)
def test_bad_pyproject_is_a_usage_error_naming_it(
    run_cli: RunCli, tmp_path: Path, body: str
) -> None:
    _pyproject(tmp_path, body)
    code, out, err = run_cli("check", str(SEEDS[0]))
    assert code == 2
    assert out == ""
    assert str(tmp_path / "pyproject.toml") in err


# fmt ---------------------------------------------------------------------------


def _canonical(text: str) -> str:
    import prayerdoc

    return prayerdoc.format_text(prayerdoc.parse(text))


def test_fmt_rewrites_in_the_canonical_layout(run_cli: RunCli, tmp_path: Path) -> None:
    paths = [_copy(seed, tmp_path / "b" / seed.name) for seed in SEEDS]
    originals = [path.read_text(encoding="utf-8") for path in paths]
    code, _, err = run_cli("fmt", "b")
    assert code == 0
    for path, original in zip(paths, originals, strict=True):
        assert path.read_text(encoding="utf-8") == _canonical(original)
        assert f"reformatted {path.relative_to(tmp_path)}" in err
    assert run_cli("fmt", "--check", "b")[0] == 0
    assert not [p for p in (tmp_path / "b").iterdir() if p.suffix == ".tmp"]


def _fmt_leaves_it(
    run_cli: RunCli, tmp_path: Path, source: Path, *options: str
) -> tuple[int, str, str]:
    """``fmt`` on a copy of ``source`` named a.txt, which must stay as it was."""
    path = _copy(source, tmp_path / "a.txt")
    before = path.read_bytes()
    result = run_cli("fmt", *options, "a.txt")
    assert path.read_bytes() == before
    return result


def test_fmt_check_writes_nothing(run_cli: RunCli, tmp_path: Path) -> None:
    code, out, err = _fmt_leaves_it(run_cli, tmp_path, SEEDS[0], "--check")
    assert code == 1
    assert "would reformat a.txt" in err
    assert out == ""


def test_fmt_diff_prints_a_unified_diff(run_cli: RunCli, tmp_path: Path) -> None:
    code, out, _ = _fmt_leaves_it(run_cli, tmp_path, SEEDS[0], "--diff")
    assert code == 1
    assert out.startswith("--- a.txt\n+++ a.txt\n@@ ")
    assert "\n-\n" in out  # the second blank line under the reference goes
    assert "\\ No newline at end of file\n" in out  # the seeds end without one


def test_fmt_refuses_to_lose_words(
    run_cli: RunCli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from prayerdoc import conservation

    def lossy(text: str, bulletin: Any) -> list[tuple[str, int, int]]:
        return [("Kenya", 8, 30)]

    monkeypatch.setattr(conservation, "missing_words", lossy)
    code, _, err = _fmt_leaves_it(run_cli, tmp_path, SEEDS[0])
    assert code == 1
    assert "a.txt:8:30: PD199 " in err
    assert "the word 'Kenya' would be lost" in err


def test_fmt_leaves_a_file_that_does_not_parse(run_cli: RunCli, tmp_path: Path) -> None:
    code, _, err = _fmt_leaves_it(run_cli, tmp_path, INVALID / "PD107-control-character.txt")
    assert code == 1
    assert "a.txt:7:28: PD107 " in err


def test_fmt_write_is_atomic(
    run_cli: RunCli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def fail(source: Any, target: Any) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", fail)
    code, _, err = _fmt_leaves_it(run_cli, tmp_path, SEEDS[0])
    assert code == 2
    assert "a.txt" in err
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.txt"]


def test_fmt_stdin_to_stdout(run_cli: RunCli, monkeypatch: pytest.MonkeyPatch) -> None:
    data = SEEDS[1].read_bytes()
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(data)))
    code, out, _ = run_cli("fmt", "-")
    assert code == 0
    assert out == _canonical(data.decode("utf-8"))


def test_fmt_missing_path(run_cli: RunCli) -> None:
    code, _, err = run_cli("fmt", "nope.txt")
    assert code == 2
    assert "nope.txt" in err


def test_jobs_report_the_same_findings_in_the_same_order(
    capsys: pytest.CaptureFixture[str],
) -> None:
    folders = [str(ROOT / "examples" / "bulletins"), str(ROOT / "tests" / "data" / "invalid")]
    first = main(["check", *folders])
    one = capsys.readouterr()
    second = main(["check", "-j", "2", *folders])
    two = capsys.readouterr()
    assert first == second == 1
    assert one.out == two.out
    assert one.out.count("\n") > 20
    assert one.err == two.err
