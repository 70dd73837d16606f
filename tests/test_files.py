"""Files treated with care: what fmt and convert do to every kind of file they write to."""

from __future__ import annotations

import os
import stat
import subprocess
import sys
import threading
from pathlib import Path

import pytest

import prayerdoc
from prayerdoc.cli import main

ROOT = Path(__file__).resolve().parent.parent
BULLETIN = ROOT / "examples" / "bulletins" / "bulletin-02.txt"
CANONICAL = prayerdoc.format_text(prayerdoc.load(BULLETIN))
AS_JSON = prayerdoc.dumps(prayerdoc.load(BULLETIN), "json")


@pytest.fixture(autouse=True)
def _in_tmp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)


def _untidy(path: Path, mode: int = 0o640) -> Path:
    path.write_bytes(BULLETIN.read_bytes())
    path.chmod(mode)
    return path


def _drain(path: Path) -> tuple[threading.Thread, list[bytes]]:
    """Read a FIFO in the background, as the program at its other end would."""
    got: list[bytes] = []

    def read() -> None:
        with open(path, "rb") as fifo:
            got.append(fifo.read())

    thread = threading.Thread(target=read, daemon=True)
    thread.start()
    return thread, got


# fmt ------------------------------------------------------------------------


def test_fmt_regular_file_keeps_its_mode() -> None:
    path = _untidy(Path("a.txt"), 0o640)
    assert main(["fmt", "a.txt"]) == 0
    assert path.read_text(encoding="utf-8") == CANONICAL
    assert stat.S_IMODE(path.stat().st_mode) == 0o640


def test_fmt_symlink_writes_through_to_its_target() -> None:
    target = _untidy(Path("real.txt"))
    Path("link.txt").symlink_to("real.txt")
    assert main(["fmt", "link.txt"]) == 0
    assert Path("link.txt").is_symlink()
    assert os.readlink("link.txt") == "real.txt"
    assert target.read_text(encoding="utf-8") == CANONICAL
    assert stat.S_IMODE(target.stat().st_mode) == 0o640


def test_fmt_refuses_a_read_only_file(capsys: pytest.CaptureFixture[str]) -> None:
    path = _untidy(Path("a.txt"), 0o444)
    assert main(["fmt", "a.txt"]) == 2
    assert "'a.txt': it is read-only" in capsys.readouterr().err
    assert path.read_bytes() == BULLETIN.read_bytes()
    assert stat.S_IMODE(path.stat().st_mode) == 0o444


def test_fmt_leaves_a_tidy_read_only_file_alone(capsys: pytest.CaptureFixture[str]) -> None:
    path = Path("a.txt")
    path.write_text(CANONICAL, encoding="utf-8")
    path.chmod(0o444)
    assert main(["fmt", "a.txt"]) == 0
    assert capsys.readouterr().err == ""


@pytest.mark.parametrize("kind", ["fifo", "device"])
def test_fmt_refuses_to_rewrite_a_stream(kind: str, capsys: pytest.CaptureFixture[str]) -> None:
    if kind == "fifo":
        os.mkfifo("a.txt")  # nothing writes to it: reading it would wait forever
        path = "a.txt"
    else:
        path = os.devnull
    assert main(["fmt", path]) == 2
    assert f"cannot rewrite '{path}'" in capsys.readouterr().err
    mode = os.stat(path).st_mode
    assert stat.S_ISFIFO(mode) if kind == "fifo" else stat.S_ISCHR(mode)


def test_fmt_in_a_missing_folder(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["fmt", "missing/a.txt"]) == 2
    assert "cannot read 'missing/a.txt'" in capsys.readouterr().err
    assert not Path("missing").exists()


# convert -o -----------------------------------------------------------------


def test_convert_onto_a_regular_file_keeps_its_mode() -> None:
    _untidy(Path("a.txt"))
    output = Path("out.json")
    output.write_text("old", encoding="utf-8")
    output.chmod(0o640)
    assert main(["convert", "a.txt", "-o", "out.json"]) == 0
    assert output.read_text(encoding="utf-8") == AS_JSON
    assert stat.S_IMODE(output.stat().st_mode) == 0o640


def test_convert_onto_a_new_file_follows_the_umask() -> None:
    _untidy(Path("a.txt"))
    old = os.umask(0o027)
    try:
        assert main(["convert", "a.txt", "-o", "out.json"]) == 0
    finally:
        os.umask(old)
    assert stat.S_IMODE(Path("out.json").stat().st_mode) == 0o640


def test_convert_onto_a_symlink_writes_through_to_its_target() -> None:
    _untidy(Path("a.txt"))
    Path("real.json").write_text("old", encoding="utf-8")
    Path("link.json").symlink_to("real.json")
    assert main(["convert", "a.txt", "-o", "link.json"]) == 0
    assert Path("link.json").is_symlink()
    assert Path("real.json").read_text(encoding="utf-8") == AS_JSON


def test_convert_refuses_a_read_only_file(capsys: pytest.CaptureFixture[str]) -> None:
    _untidy(Path("a.txt"))
    output = Path("out.json")
    output.write_text("old", encoding="utf-8")
    output.chmod(0o444)
    assert main(["convert", "a.txt", "-o", "out.json"]) == 2
    assert "cannot write 'out.json': it is read-only" in capsys.readouterr().err
    assert output.read_text(encoding="utf-8") == "old"
    assert stat.S_IMODE(output.stat().st_mode) == 0o444


def test_convert_writes_to_a_fifo_as_a_stream() -> None:
    _untidy(Path("a.txt"))
    os.mkfifo("out.json")
    thread, got = _drain(Path("out.json"))
    assert main(["convert", "a.txt", "-o", "out.json"]) == 0
    thread.join(timeout=30)
    assert got == [AS_JSON.encode("utf-8")]
    assert stat.S_ISFIFO(os.stat("out.json").st_mode)


def test_convert_writes_to_a_device_as_a_stream() -> None:
    _untidy(Path("a.txt"))
    assert main(["convert", "a.txt", "--to", "json", "-o", os.devnull]) == 0
    assert stat.S_ISCHR(os.stat(os.devnull).st_mode)


def test_convert_creates_a_missing_folder() -> None:
    _untidy(Path("a.txt"))
    assert main(["convert", "a.txt", "-o", "new/folder/out.json"]) == 0
    assert Path("new/folder/out.json").read_text(encoding="utf-8") == AS_JSON


def test_convert_refuses_a_folder_in_place_of_the_output(
    capsys: pytest.CaptureFixture[str],
) -> None:
    _untidy(Path("a.txt"))
    Path("out.json").mkdir()
    assert main(["convert", "a.txt", "-o", "out.json"]) == 2
    assert "cannot write 'out.json': it is a folder" in capsys.readouterr().err


# convert --out-dir ----------------------------------------------------------


def test_every_destination_is_checked_before_any_is_replaced(
    capsys: pytest.CaptureFixture[str],
) -> None:
    _untidy(Path("a.txt"))
    _untidy(Path("b.txt"))
    Path("out").mkdir()
    Path("out/a.json").write_text("old", encoding="utf-8")
    Path("out/b.json").mkdir()
    assert main(["convert", "a.txt", "b.txt", "--out-dir", "out"]) == 2
    err = capsys.readouterr().err
    assert "cannot write 'out/b.json': it is a folder" in err
    assert "staging" not in err
    assert Path("out/a.json").read_text(encoding="utf-8") == "old"
    assert sorted(os.listdir("out")) == ["a.json", "b.json"]


def test_a_failed_move_names_the_destination_not_the_staging_file(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    _untidy(Path("a.txt"))
    real_replace = os.replace

    def failing(source: str, destination: str) -> None:
        if str(destination).endswith("a.json"):
            raise PermissionError(13, "Permission denied", source, destination)
        real_replace(source, destination)

    monkeypatch.setattr(os, "replace", failing)
    assert main(["convert", "a.txt", "--out-dir", "out"]) == 2
    err = capsys.readouterr().err
    assert f"cannot write '{os.path.join('out', 'a.json')}': Permission denied" in err
    assert "staging" not in err
    assert not Path("out").exists()  # made by this run, which wrote nothing


def test_a_failed_run_leaves_no_new_folder() -> None:
    _untidy(Path("a.txt"))
    Path("bad.txt").write_text("", encoding="utf-8")
    assert main(["convert", "a.txt", "bad.txt", "--out-dir", "new/nested/out"]) == 1
    assert not Path("new").exists()


def _killed_at(hook: str, *argv: str) -> None:
    """Run prayerdoc in a process that is killed with SIGKILL when it calls ``os.<hook>``."""
    script = (
        "import os, signal, sys\n"
        f"os.{hook} = lambda *args, **kwargs: os.kill(os.getpid(), signal.SIGKILL)\n"
        "from prayerdoc.cli import main\n"
        "main(sys.argv[1:])\n"
    )
    result = subprocess.run([sys.executable, "-c", script, *argv], check=False, timeout=120)
    assert result.returncode == -9


def _hidden(folder: str) -> list[str]:
    return sorted(name for name in os.listdir(folder) if name.startswith("."))


def test_fmt_killed_mid_write_leaves_a_temporary_the_next_run_removes() -> None:
    _untidy(Path("a.txt"))
    _killed_at("fsync", "fmt", "a.txt")
    assert len(_hidden(".")) == 1, "the killed run left its temporary file"
    assert Path("a.txt").read_bytes() == BULLETIN.read_bytes()
    assert main(["check", "."]) == 0  # hidden files are not read as bulletins
    assert main(["fmt", "a.txt"]) == 0
    assert _hidden(".") == []
    assert Path("a.txt").read_text(encoding="utf-8") == CANONICAL


def test_convert_killed_before_moving_into_place_stages_inside_the_new_folder() -> None:
    _untidy(Path("a.txt"))
    _untidy(Path("b.txt"))
    _killed_at("replace", "convert", "a.txt", "b.txt", "--out-dir", "new/nested/out")
    # Everything the killed run left is inside the folder it was asked to write.
    assert os.listdir("new/nested") == ["out"]
    assert len(_hidden("new/nested/out")) == 1
    assert main(["convert", "a.txt", "b.txt", "--out-dir", "new/nested/out"]) == 0
    assert sorted(os.listdir("new/nested/out")) == ["a.json", "b.json"]


def test_a_live_run_s_temporaries_are_left_alone() -> None:
    _untidy(Path("a.txt"))
    live = Path(f".a.txt.prayerdoc-{os.getppid()}-abc123.tmp")
    live.write_text("", encoding="utf-8")
    assert main(["fmt", "a.txt"]) == 0
    assert live.exists()


# schema -o ------------------------------------------------------------------


def test_schema_writes_through_a_symlink_and_refuses_a_read_only_file(
    capsys: pytest.CaptureFixture[str],
) -> None:
    from prayerdoc.formats.json import schema_text

    Path("real.json").write_text("old", encoding="utf-8")
    Path("link.json").symlink_to("real.json")
    assert main(["schema", "-o", "link.json"]) == 0
    assert Path("link.json").is_symlink()
    assert Path("real.json").read_text(encoding="utf-8") == schema_text()
    Path("real.json").chmod(0o444)
    assert main(["schema", "-o", "real.json"]) == 2
    assert "it is read-only" in capsys.readouterr().err
    assert Path("real.json").read_text(encoding="utf-8") == schema_text()
