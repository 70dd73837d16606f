"""The input boundary: bounded reads whatever the input is, kinds of file, every codec."""

from __future__ import annotations

import contextlib
import io
import os
import resource
import subprocess
import sys
import threading
from concurrent import futures
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import prayerdoc
from prayerdoc import ParseError
from prayerdoc.cli import main

ROOT = Path(__file__).resolve().parent.parent
BULLETIN = ROOT / "examples" / "bulletins" / "bulletin-02.txt"
MEMORY_LIMIT = 1024**3  # far below what reading /dev/zero to the end takes

needs_dev_zero = pytest.mark.skipif(not os.path.exists("/dev/zero"), reason="no /dev/zero")


def _limit_memory() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY_LIMIT, MEMORY_LIMIT))


def _prayerdoc(*argv: str, pass_fds: tuple[int, ...] = ()) -> subprocess.CompletedProcess[str]:
    """The real command in a process whose memory is limited, so reading without bound fails."""
    return subprocess.run(
        [sys.executable, "-m", "prayerdoc", *argv],
        capture_output=True,
        text=True,
        timeout=120,
        preexec_fn=_limit_memory,
        check=False,
        pass_fds=pass_fds,
    )


@needs_dev_zero
@pytest.mark.parametrize("command", [["check"], ["fmt", "--check"], ["convert", "--to", "json"]])
def test_commands_stop_reading_dev_zero_at_the_limit(command: list[str]) -> None:
    result = _prayerdoc(*command, "/dev/zero")
    assert result.returncode == 1, result.stderr
    assert "/dev/zero:1:1: PD109 the input is more than 10485760 bytes" in (
        result.stdout + result.stderr
    )
    assert "Traceback" not in result.stderr


@needs_dev_zero
def test_load_stops_reading_dev_zero_at_the_limit() -> None:
    script = (
        "import prayerdoc\n"
        "try:\n"
        "    prayerdoc.load('/dev/zero')\n"
        "except prayerdoc.ParseError as error:\n"
        "    print(error.diagnostics[0].code)\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", script],
        capture_output=True,
        text=True,
        timeout=120,
        preexec_fn=_limit_memory,
        check=False,
    )
    assert (result.returncode, result.stdout, result.stderr) == (0, "PD109\n", "")


def _endless_writer(fd: int) -> threading.Thread:
    """Write 'Pray for x.' lines to ``fd`` until the reader goes away."""

    def write() -> None:
        line = b"Pray for x.\n" * 4096
        with open(fd, "wb") as pipe:
            try:
                while True:
                    pipe.write(line)
            except (BrokenPipeError, OSError):
                pass

    thread = threading.Thread(target=write, daemon=True)
    thread.start()
    return thread


@pytest.mark.parametrize("command", [["check"], ["convert", "--to", "json"]])
def test_a_named_pipe_that_never_ends_stops_at_the_limit(command: list[str]) -> None:
    # What `prayerdoc convert <(yes 'Pray for x.')` hands the tool: /dev/fd/N, a pipe.
    read_end, write_end = os.pipe()
    _endless_writer(write_end)
    try:
        result = _prayerdoc(*command, f"/dev/fd/{read_end}", pass_fds=(read_end,))
    finally:
        os.close(read_end)
    assert result.returncode == 1, result.stderr
    assert f"/dev/fd/{read_end}:1:1: PD109 the input is more than" in (
        result.stdout + result.stderr
    )


@pytest.fixture
def fifo_in_folder(tmp_path: Path) -> Path:
    folder = tmp_path / "bulletins"
    folder.mkdir()
    (folder / "a.txt").write_bytes(BULLETIN.read_bytes())
    os.mkfifo(folder / "x.txt")  # nothing ever writes to it
    return folder


@pytest.mark.parametrize("command", [["check"], ["fmt", "--check"], ["fmt"]])
def test_a_fifo_found_in_a_folder_is_refused_not_waited_on(
    command: list[str], fifo_in_folder: Path
) -> None:
    result = _prayerdoc(*command, str(fifo_in_folder))
    assert result.returncode == 2
    assert f"'{fifo_in_folder / 'x.txt'}': it is a pipe (FIFO)" in result.stderr
    assert os.path.exists(fifo_in_folder / "x.txt")


def test_a_fifo_named_by_the_user_is_read_as_a_stream(tmp_path: Path) -> None:
    fifo = tmp_path / "bulletin.txt"
    os.mkfifo(fifo)

    def feed() -> None:
        with open(fifo, "wb") as pipe:
            pipe.write(BULLETIN.read_bytes())

    thread = threading.Thread(target=feed, daemon=True)
    thread.start()
    assert prayerdoc.load(fifo) == prayerdoc.load(BULLETIN)
    thread.join(timeout=10)


def test_folders_are_refused(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(IsADirectoryError):
        prayerdoc.load(tmp_path)
    assert main(["convert", str(tmp_path)]) == 2
    assert f"cannot read '{tmp_path}'" in capsys.readouterr().err


# Codecs of every kind: text codecs that fail with UnicodeDecodeError, codecs that
# fail with a bare UnicodeError, codecs that make bytes rather than text, and names
# that are no codec at all.
CODECS = {
    "utf-8": "PD108",
    "ascii": "PD108",
    "utf-7": "PD108",
    "unicode_escape": "PD108",
    "idna": "PD108",
    "punycode": "PD108",
    "undefined": "PD108",
    "rot13": "PD110",
    "zlib": "PD110",
    "hex": "PD110",
    "no-such-codec": "PD110",
}
UNDECODABLE = b"\xff\xfe\x80 Pray for Kenya \\x" + "é".encode() * 40


@pytest.mark.parametrize(("encoding", "code"), CODECS.items())
def test_every_codec_failure_is_a_finding(
    encoding: str, code: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "bulletin.txt"
    path.write_bytes(UNDECODABLE)
    with pytest.raises(ParseError) as caught:
        prayerdoc.parse(UNDECODABLE, encoding=encoding)
    assert [d.code for d in caught.value.diagnostics] == [code]
    assert [d.code for d in prayerdoc.check(UNDECODABLE, encoding=encoding)] == [code]
    for command in (["check"], ["fmt", "--check"], ["convert"]):
        assert main([*command, "--encoding", encoding, str(path)]) == 1
        captured = capsys.readouterr()
        assert f"{path}:" in captured.out + captured.err
        assert f" {code} " in captured.out + captured.err


@pytest.fixture(scope="module")
def fifo_folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("kinds")


@st.composite
def _inputs(draw: st.DrawFn) -> tuple[str, bytes]:
    kinds = ["file", "pipe", "file object", "bytes"]
    if os.path.exists("/dev/zero"):
        kinds.append("device")  # an endless one: /dev/zero
    kind = draw(st.sampled_from(kinds))
    data = draw(st.sampled_from([b"", BULLETIN.read_bytes(), b"Pray for x.\n"]))
    return kind, data * draw(st.integers(0, 40))


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(case=_inputs(), max_bytes=st.integers(1, 4000))
def test_every_kind_of_input_reads_alike(
    case: tuple[str, bytes], max_bytes: int, fifo_folder: Path
) -> None:
    """Whatever carries the bytes (a file, a pipe, a file object, a device), the outcome is the
    same: PD109 exactly when there are more than max_bytes of them, else what parsing the
    bytes themselves gives."""
    kind, data = case
    path = fifo_folder / "input.txt"
    path.unlink(missing_ok=True)
    feeder = None
    if kind == "pipe":
        os.mkfifo(path)

        def feed() -> None:
            # The reader may stop early (PD109): closing the pipe, which flushes
            # it, then fails too, so the suppression holds the file's closing.
            with contextlib.suppress(BrokenPipeError), open(path, "wb") as pipe:
                pipe.write(data)

        feeder = threading.Thread(target=feed, daemon=True)
        feeder.start()
    elif kind == "file":
        path.write_bytes(data)
    elif kind == "device":
        path.symlink_to("/dev/zero")

    def outcome() -> object:
        try:
            if kind == "bytes":
                return prayerdoc.parse(data, max_bytes=max_bytes)
            if kind == "file object":
                return prayerdoc.load(io.BufferedReader(io.BytesIO(data)), max_bytes=max_bytes)
            return prayerdoc.load(path, max_bytes=max_bytes)
        except ParseError as error:
            return [d.code for d in error.diagnostics]

    got = outcome()
    if feeder is not None:
        feeder.join(timeout=10)
    if kind == "device" or len(data) > max_bytes:
        assert got == ["PD109"]
    else:
        try:
            expected: object = prayerdoc.parse(data, max_bytes=None)
        except ParseError as error:
            expected = [d.code for d in error.diagnostics]
        assert got == expected


def test_jobs_are_capped_by_inputs_and_cpus(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    started: list[int] = []
    real = futures.ProcessPoolExecutor

    def counting(max_workers: int) -> futures.ProcessPoolExecutor:
        started.append(max_workers)
        return real(max_workers=max_workers)

    monkeypatch.setattr(futures, "ProcessPoolExecutor", counting)
    paths = []
    for index in range(3):
        paths.append(tmp_path / f"b{index}.txt")
        paths[-1].write_bytes(BULLETIN.read_bytes())
    assert main(["check", "-j", "100000", *map(str, paths)]) == 0
    assert (
        main(["convert", "-j", "100000", "--out-dir", str(tmp_path / "out"), *map(str, paths)]) == 0
    )
    cpus = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    assert all(count <= min(3, cpus or 1) for count in started), started
    capsys.readouterr()


@pytest.mark.parametrize("select", ["", ",", " , "])
def test_an_empty_select_is_a_usage_error(select: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["check", "--select", select, str(BULLETIN)]) == 2
    assert "--select needs at least one code" in capsys.readouterr().err


def test_json_input_has_the_same_size_limit() -> None:
    document = prayerdoc.dumps(prayerdoc.load(BULLETIN), "json")
    padded = document.replace("{", "{" + " " * prayerdoc.DEFAULT_MAX_BYTES, 1)
    with pytest.raises(ParseError) as caught:
        prayerdoc.loads(padded.encode(), "json")
    assert [d.code for d in caught.value.diagnostics] == ["PD109"]
    assert prayerdoc.loads(document.encode(), "json") == prayerdoc.load(BULLETIN)
    with pytest.raises(ParseError) as caught:
        prayerdoc.loads_all(padded, "json")
    assert [d.code for d in caught.value.diagnostics] == ["PD109"]
    assert prayerdoc.loads_all(document.encode(), "json") == (prayerdoc.load(BULLETIN),)
