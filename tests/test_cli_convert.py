"""``prayerdoc convert`` and ``prayerdoc schema``: formats, files, streams and exit codes.

The commands run in-process through ``prayerdoc.cli.main``; one test runs
``python -m prayerdoc`` as a separate process.
"""

from __future__ import annotations

import datetime
import io
import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import icalendar
import pytest
from jsonschema import Draft202012Validator
from markdown_it import MarkdownIt
from referencing import Registry, Resource

import prayerdoc
from prayerdoc.cli import main
from prayerdoc.formats import json as json_format

ROOT = Path(__file__).resolve().parent.parent


def example_bulletins() -> list[Path]:
    """The bundled real bulletins; there must be at least five of them."""
    found = sorted((ROOT / "examples" / "bulletins").glob("*.txt"))
    assert len(found) >= 5, f"expected at least 5 bulletins in examples/bulletins, found {found}"
    return found


EXAMPLES = example_bulletins()
START = datetime.date(2024, 3, 1)
EXTENSIONS = {"json": ".json", "markdown": ".md", "ical": ".ics", "text": ".txt"}


def undated() -> Path:
    path = next((p for p in EXAMPLES if prayerdoc.load(p).date is None), None)
    assert path is not None, "need an example bulletin without a date"
    return path


def dated() -> Path:
    path = next((p for p in EXAMPLES if prayerdoc.load(p).date is not None), None)
    assert path is not None, "need an example bulletin with a date"
    return path


def files_under(folder: Path) -> set[Path]:
    return {path for path in folder.rglob("*")}


def stdin_bytes(monkeypatch: pytest.MonkeyPatch, data: bytes) -> None:
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(data), encoding="utf-8"))


# Every example to every format.


def _check_output(fmt: str, written: str, bulletin: prayerdoc.Bulletin) -> None:
    """Read the output back in its own format and compare it with the bulletin."""
    if fmt == "json":
        assert json_format.loads(written) == bulletin
    elif fmt == "text":
        assert prayerdoc.parse(written) == bulletin
    elif fmt == "markdown":
        tokens = MarkdownIt("commonmark").parse(written)
        headings = [
            "".join(child.content for child in tokens[i + 1].children or [])
            for i, token in enumerate(tokens)
            if token.type == "heading_open"
        ]
        assert headings == [bulletin.title] + [s.heading for s in bulletin.sections if s.heading]
    else:
        calendar = icalendar.Calendar.from_ical(written)
        events = list(calendar.walk("VEVENT"))
        assert len(events) == len(bulletin.requests())
        first = bulletin.date or START
        assert events[0].decoded("DTSTART") == first


@pytest.mark.parametrize("fmt", ["json", "markdown", "ical", "text"])
@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.name)
def test_every_example_converts_to_every_format(path: Path, fmt: str, tmp_path: Path) -> None:
    bulletin = prayerdoc.load(path)
    output = tmp_path / f"out{EXTENSIONS[fmt]}"
    options = ["--start", START.isoformat()] if fmt == "ical" and bulletin.date is None else []
    assert main(["convert", str(path), "-o", str(output), *options]) == 0
    written = output.read_bytes().decode("utf-8")
    expected_options = {"start": START} if options else {}
    assert written == prayerdoc.dumps(bulletin, fmt, **expected_options)
    _check_output(fmt, written, bulletin)


@pytest.mark.parametrize(("alias", "fmt"), [("md", "markdown"), ("ics", "ical"), ("txt", "text")])
def test_format_aliases(alias: str, fmt: str, capsysbinary: pytest.CaptureFixture[bytes]) -> None:
    path = dated()
    assert main(["convert", str(path), "--to", alias]) == 0
    out = capsysbinary.readouterr().out.decode("utf-8")
    assert out == prayerdoc.dumps(prayerdoc.load(path), fmt)


def test_stdout_is_json_by_default_and_keeps_bytes(
    capsysbinary: pytest.CaptureFixture[bytes],
) -> None:
    path = EXAMPLES[0]
    assert main(["convert", str(path)]) == 0
    out = capsysbinary.readouterr().out
    assert json_format.loads(out) == prayerdoc.load(path)


def test_ical_on_stdout_keeps_crlf(capsysbinary: pytest.CaptureFixture[bytes]) -> None:
    assert main(["convert", str(dated()), "--to", "ical"]) == 0
    out = capsysbinary.readouterr().out
    assert out.startswith(b"BEGIN:VCALENDAR\r\n")
    assert b"\n" not in out.replace(b"\r\n", b"")


def test_stdin_json_to_text_on_stdout(
    monkeypatch: pytest.MonkeyPatch, capsysbinary: pytest.CaptureFixture[bytes]
) -> None:
    bulletin = prayerdoc.load(EXAMPLES[2])
    stdin_bytes(monkeypatch, json_format.dumps(bulletin).encode("utf-8"))
    assert main(["convert", "-", "--from", "json", "--to", "text", "-o", "-"]) == 0
    assert capsysbinary.readouterr().out.decode("utf-8") == prayerdoc.format_text(bulletin)


def test_stdin_is_text_unless_told(
    monkeypatch: pytest.MonkeyPatch, capsysbinary: pytest.CaptureFixture[bytes]
) -> None:
    stdin_bytes(monkeypatch, EXAMPLES[3].read_bytes())
    assert main(["convert", "-", "--to", "json"]) == 0
    assert json_format.loads(capsysbinary.readouterr().out) == prayerdoc.load(EXAMPLES[3])


def test_formats_are_inferred_from_extensions(tmp_path: Path) -> None:
    bulletin = prayerdoc.load(EXAMPLES[1])
    as_json = tmp_path / "b.json"
    assert main(["convert", str(EXAMPLES[1]), "-o", str(as_json)]) == 0
    as_markdown = tmp_path / "b.md"
    assert main(["convert", str(as_json), "-o", str(as_markdown)]) == 0
    assert as_markdown.read_text(encoding="utf-8") == prayerdoc.dumps(bulletin, "markdown")
    as_text = tmp_path / "b.txt"
    assert main(["convert", str(as_json), "-o", str(as_text)]) == 0
    assert prayerdoc.load(as_text) == bulletin


def test_explicit_from_reads_json_with_any_name(tmp_path: Path) -> None:
    source = tmp_path / "bulletin.data"
    source.write_text(json_format.dumps(prayerdoc.load(EXAMPLES[0])), encoding="utf-8")
    output = tmp_path / "out.txt"
    assert main(["convert", str(source), "--from", "json", "-o", str(output)]) == 0
    assert prayerdoc.load(output) == prayerdoc.load(EXAMPLES[0])


def test_encoding_option_reads_other_encodings(tmp_path: Path) -> None:
    text = EXAMPLES[0].read_text(encoding="utf-8")
    source = tmp_path / "latin.txt"
    source.write_bytes(text.encode("utf-16"))
    output = tmp_path / "out.json"
    assert main(["convert", str(source), "--encoding", "utf-16", "-o", str(output)]) == 0
    assert json_format.loads(output.read_text(encoding="utf-8")) == prayerdoc.load(EXAMPLES[0])


# iCalendar scheduling.


def test_ical_without_a_date_needs_start(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    output = tmp_path / "out.ics"
    assert main(["convert", str(undated()), "-o", str(output)]) == 2
    err = capsys.readouterr().err
    assert "--start" in err
    assert str(undated()) in err
    assert not output.exists()


def test_start_and_single_schedule(tmp_path: Path) -> None:
    output = tmp_path / "out.ics"
    argv = ["convert", str(undated()), "-o", str(output), "--start", "2024-03-01"]
    assert main([*argv, "--schedule", "single"]) == 0
    events = list(icalendar.Calendar.from_ical(output.read_bytes()).walk("VEVENT"))
    assert {event.decoded("DTSTART") for event in events} == {START}
    assert main(argv) == 0
    events = list(icalendar.Calendar.from_ical(output.read_bytes()).walk("VEVENT"))
    days = [event.decoded("DTSTART") for event in events]
    assert days == [START + datetime.timedelta(days=i) for i in range(len(events))]


# Usage errors: exit 2, nothing written.


@pytest.mark.parametrize(
    ("argv", "fragment"),
    [
        (["--to", "pdf"], "unknown format 'pdf'"),
        (["--from", "ical"], "cannot read ical"),
        (["--start", "2024-02-30"], "YYYY-MM-DD"),
        (["--start", "20240301", "--to", "ical"], "YYYY-MM-DD"),
        (["--start", "2024-03-01", "--to", "json"], "only to --to ical"),
        (["--schedule", "single"], "only to --to ical"),
        (["--schedule", "weekly", "--to", "ical"], "invalid choice"),
        (["-o", "out.pdf"], "pass --to"),
        (["-o", "out.json", "--out-dir", "d"], "not allowed with"),
        (["--max-bytes", "0"], "must be 1 or more"),
        (["EXTRA.txt", "--to", "text"], "--out-dir"),
        (["-", "-", "--out-dir", "d"], "stdin"),
    ],
    ids=lambda value: " ".join(value) if isinstance(value, list) else None,
)
def test_usage_errors_exit_2(
    argv: list[str],
    fragment: str,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.chdir(tmp_path)
    before = files_under(tmp_path)
    assert main(["convert", str(EXAMPLES[0]), *argv]) == 2
    assert fragment in capsys.readouterr().err
    assert files_under(tmp_path) == before


def test_unreadable_input_exits_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["convert", str(tmp_path / "missing.txt")]) == 2
    assert "cannot read" in capsys.readouterr().err
    assert main(["convert", str(tmp_path)]) == 2


def test_calendar_input_is_refused(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    source = tmp_path / "b.ics"
    source.write_text("BEGIN:VCALENDAR\n", encoding="utf-8")
    assert main(["convert", str(source)]) == 2
    assert "prayerdoc reads text (txt), json, markdown (md), html (htm) or email (eml)" in (
        capsys.readouterr().err
    )


# Problems in inputs: exit 1, every error as file:line:col: CODE message.


def test_bad_text_input_reports_each_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    source = tmp_path / "bad.txt"
    source.write_text("", encoding="utf-8")
    assert main(["convert", str(source)]) == 1
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err.startswith(f"{source}:1:1: PD100 ")


def test_bad_json_input_reports_the_path(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    document = json.loads(json_format.dumps(prayerdoc.load(EXAMPLES[1])))
    document["sections"][1]["requests"][0]["kind"] = "lament"
    document["title"] = 7
    source = tmp_path / "bad.json"
    source.write_text(json.dumps(document, indent=2), encoding="utf-8")
    assert main(["convert", str(source), "--to", "text"]) == 1
    lines = capsys.readouterr().err.splitlines()
    assert len(lines) == 2
    assert lines[0].startswith(f"{source}:4:12: PD111 $.title: ")
    assert ": PD111 $.sections[1].requests[0].kind: " in lines[1]


def test_too_large_input(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["convert", str(EXAMPLES[0]), "--max-bytes", "100"]) == 1
    assert f"{EXAMPLES[0]}:1:1: PD109 " in capsys.readouterr().err


# Writing: atomic, all or nothing.


def test_failed_conversion_leaves_an_existing_output_untouched(tmp_path: Path) -> None:
    source = tmp_path / "bad.txt"
    source.write_text("", encoding="utf-8")
    output = tmp_path / "out.json"
    output.write_text("old", encoding="utf-8")
    assert main(["convert", str(source), "-o", str(output)]) == 1
    assert output.read_text(encoding="utf-8") == "old"
    assert files_under(tmp_path) == {source, output}


def test_failing_write_leaves_the_target_untouched(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    output = tmp_path / "out.json"
    output.write_text("old", encoding="utf-8")

    def refuse(source: object, target: object) -> None:
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(os, "replace", refuse)
    assert main(["convert", str(EXAMPLES[0]), "-o", str(output)]) == 2
    assert "cannot write" in capsys.readouterr().err
    assert output.read_text(encoding="utf-8") == "old"
    assert files_under(tmp_path) == {output}


def test_out_dir_writes_one_file_per_input(tmp_path: Path) -> None:
    out = tmp_path / "build" / "md"
    assert main(["convert", *map(str, EXAMPLES), "--to", "md", "--out-dir", str(out)]) == 0
    assert sorted(p.name for p in out.iterdir()) == sorted(p.stem + ".md" for p in EXAMPLES)
    for path in EXAMPLES:
        written = (out / f"{path.stem}.md").read_text(encoding="utf-8")
        assert written == prayerdoc.dumps(prayerdoc.load(path), "markdown")


def test_out_dir_writes_nothing_when_one_input_fails(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bad = tmp_path / "bad.txt"
    bad.write_text("", encoding="utf-8")
    out = tmp_path / "out"
    assert (
        main(["convert", str(EXAMPLES[0]), str(bad), str(EXAMPLES[1]), "--out-dir", str(out)]) == 1
    )
    err = capsys.readouterr().err
    assert f"{bad}:1:1: PD100" in err
    assert "nothing written" in err
    assert not out.exists()


def test_out_dir_stays_inside_the_folder_whatever_the_input_names(tmp_path: Path) -> None:
    inputs = tmp_path / "in" / "deep"
    inputs.mkdir(parents=True)
    odd = inputs / "a\\..\\..\\odd.txt"  # backslashes are ordinary characters here
    odd.write_bytes(EXAMPLES[0].read_bytes())
    (tmp_path / "in" / "up.txt").write_bytes(EXAMPLES[1].read_bytes())
    climbing = str(inputs / ".." / "up.txt")
    out = tmp_path / "out"
    before = files_under(tmp_path)
    assert main(["convert", str(odd), climbing, "--out-dir", str(out)]) == 0
    created = files_under(tmp_path) - before
    assert created == {out, out / "odd.json", out / "up.json"}


def test_out_dir_refuses_names_that_are_not_file_names(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(tmp_path / "..")
    before = files_under(tmp_path)
    assert main(["convert", "..", "--out-dir", str(tmp_path / "out")]) == 2
    assert "cannot name an output file" in capsys.readouterr().err
    assert files_under(tmp_path) == before


def test_out_dir_does_not_write_through_a_symlink(tmp_path: Path) -> None:
    outside = tmp_path / "precious.json"
    outside.write_text("keep", encoding="utf-8")
    out = tmp_path / "out"
    out.mkdir()
    (out / f"{EXAMPLES[0].stem}.json").symlink_to(outside)
    assert main(["convert", str(EXAMPLES[0]), "--out-dir", str(out)]) == 0
    assert outside.read_text(encoding="utf-8") == "keep"
    written = out / f"{EXAMPLES[0].stem}.json"
    assert not written.is_symlink()
    assert json_format.loads(written.read_bytes()) == prayerdoc.load(EXAMPLES[0])


def test_out_dir_refuses_two_inputs_with_one_name(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    for folder in ("a", "b"):
        (tmp_path / folder).mkdir()
        (tmp_path / folder / "Same.txt").write_bytes(EXAMPLES[0].read_bytes())
    out = tmp_path / "out"
    argv = [str(tmp_path / "a" / "Same.txt"), str(tmp_path / "b" / "Same.txt")]
    assert main(["convert", *argv, "--out-dir", str(out)]) == 2
    assert "would both be written" in capsys.readouterr().err
    assert not out.exists()


def test_out_dir_that_is_a_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    blocker = tmp_path / "out"
    blocker.write_text("", encoding="utf-8")
    assert main(["convert", str(EXAMPLES[0]), "--out-dir", str(blocker)]) == 2
    assert "not a folder" in capsys.readouterr().err


# The schema command, help and the module entry point.


def test_schema_prints_the_packaged_schema(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["schema"]) == 0
    out = capsys.readouterr().out
    assert json.loads(out) == json_format.schema()
    assert json.loads(out)["$id"] == json_format.SCHEMA_ID


def test_schema_to_a_file(tmp_path: Path) -> None:
    output = tmp_path / "schema.json"
    assert main(["schema", "-o", str(output)]) == 0
    assert output.read_text(encoding="utf-8") == json_format.schema_text()
    assert main(["schema", "-o", str(tmp_path / "missing" / "schema.json")]) == 2


def test_schema_archive_prints_the_packaged_file_which_validates_a_real_archive(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert main(["schema", "--archive"]) == 0
    printed = capsys.readouterr().out
    assert printed == (ROOT / "src" / "prayerdoc" / "archive.schema.json").read_text("utf-8")
    assert main(["schema"]) == 0
    bulletin_schema = json.loads(capsys.readouterr().out)
    # The archive's schema names the bulletin's by its $id: a validator is given both.
    registry: Registry[Any] = Registry().with_resource(
        bulletin_schema["$id"], Resource.from_contents(bulletin_schema)
    )
    validator = Draft202012Validator(
        json.loads(printed), registry=registry, format_checker=Draft202012Validator.FORMAT_CHECKER
    )
    archive = json.loads(prayerdoc.dumps([prayerdoc.load(path) for path in EXAMPLES], "json"))
    assert list(validator.iter_errors(archive)) == []
    archive["bulletins"][1]["date"] = "2024-02-30"
    archive["bulletins"][2]["sections"][0]["requests"][0]["kind"] = "prayer"
    errors = sorted(error.json_path for error in validator.iter_errors(archive))
    assert errors == ["$.bulletins[1].date", "$.bulletins[2].sections[0].requests[0].kind"]


@pytest.mark.parametrize("command", ["convert", "schema"])
def test_help_has_an_example(command: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert main([command, "--help"]) == 0
    out = capsys.readouterr().out
    assert "examples:" in out
    assert f"  prayerdoc {command}" in out.split("examples:", 1)[1]


def test_python_dash_m_converts(tmp_path: Path) -> None:
    output = tmp_path / "out.md"
    result = subprocess.run(
        [sys.executable, "-m", "prayerdoc", "convert", str(EXAMPLES[1]), "-o", str(output)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert output.read_text(encoding="utf-8") == prayerdoc.dumps(
        prayerdoc.load(EXAMPLES[1]), "markdown"
    )
    failed = subprocess.run(
        [sys.executable, "-m", "prayerdoc", "convert", str(tmp_path / "nope.txt")],
        capture_output=True,
        text=True,
        check=False,
    )
    assert failed.returncode == 2
    assert "Traceback" not in failed.stderr


def test_jobs_give_the_same_files_as_one_process(tmp_path: Path) -> None:
    one, two = tmp_path / "one", tmp_path / "two"
    inputs = [str(path) for path in EXAMPLES]
    assert main(["convert", *inputs, "--to", "json", "--out-dir", str(one)]) == 0
    assert main(["convert", *inputs, "--to", "json", "--out-dir", str(two), "-j", "2"]) == 0
    names = sorted(path.name for path in one.iterdir())
    assert names == sorted(path.name for path in two.iterdir())
    assert len(names) == len(EXAMPLES)
    for name in names:
        assert (one / name).read_bytes() == (two / name).read_bytes()


def test_jobs_failure_writes_nothing(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    broken = tmp_path / "broken.txt"
    broken.write_bytes(b"Title\n\n\xff\n")
    out = tmp_path / "out"
    inputs = [str(EXAMPLES[0]), str(broken), str(EXAMPLES[1])]
    assert main(["convert", *inputs, "--out-dir", str(out), "-j", "2"]) == 1
    err = capsys.readouterr().err
    assert f"{broken}:3:1: PD108 " in err
    assert "nothing written" in err
    assert not out.exists()
    assert [p.name for p in tmp_path.iterdir()] == ["broken.txt"]  # no staging folder left


def test_a_lost_word_stops_the_conversion(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    import prayerdoc.conservation

    def lose_one(text: str, bulletin: object) -> list[tuple[str, int, int]]:
        return [("Kenya", 9, 42)]

    monkeypatch.setattr(prayerdoc.conservation, "missing_words", lose_one)
    target = tmp_path / "out.json"
    assert main(["convert", str(EXAMPLES[0]), "-o", str(target)]) == 1
    err = capsys.readouterr().err
    assert f"{EXAMPLES[0]}:9:42: PD199 " in err
    assert "the word 'Kenya' would be lost" in err
    assert not target.exists()


def test_stdin_among_inputs_is_read_by_this_process_with_jobs(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A worker process cannot read this process's stdin: it would find it empty.
    first, second = sorted((ROOT / "examples" / "bulletins").glob("*.txt"))[:2]
    stdin_bytes(monkeypatch, first.read_bytes())
    archive = tmp_path / "all.json"
    assert main(["convert", "-", str(second), "-j", "2", "-o", str(archive)]) == 0
    read = prayerdoc.loads_all(archive.read_text(encoding="utf-8"), "json")
    assert read == (prayerdoc.parse(first.read_text(encoding="utf-8")), prayerdoc.load(second))
