"""Hostile and broken input: never a crash, never a lost word, never a write outside its place.

The properties here hold for any text or bytes, and for the golden corpus and
the bundled examples after random damage (lines deleted, swapped, duplicated;
truncation at any byte; control characters, ``|``, stray line ends and random
characters inserted). The command-line tests feed hostile files to every
command and check exit codes, message positions, ``--out-dir`` confinement
and atomic writes.
"""

from __future__ import annotations

import codecs
import json
import os
import re
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

import prayerdoc
from prayerdoc import Bulletin, Diagnostic, ParseError
from prayerdoc.conservation import missing_words
from prayerdoc.source import decode, normalise
from profiles import examples

if TYPE_CHECKING:
    from conftest import RunCli

ROOT = Path(__file__).resolve().parent.parent
CORPUS = sorted(
    [*(ROOT / "examples" / "bulletins").glob("*.txt"), *(ROOT / "tests" / "data").rglob("*.txt")]
)
CORPUS_BYTES = [path.read_bytes() for path in CORPUS]

# PD199 means the parser itself went wrong ("please report it"): never acceptable.
INTERNAL = "PD199"
PLACE = re.compile(r"(?P<line>\d+):(?P<column>\d+): ")


# --- what "behaves" means for one input -------------------------------------------------------


def _decoded(data: str | bytes) -> str | None:
    """The normalised text ``parse`` reads, or None when the bytes do not decode."""
    if isinstance(data, str):
        return normalise(data)
    text = decode(data)
    return None if isinstance(text, Diagnostic) else normalise(text)


def _lines_of(data: str | bytes) -> list[str]:
    """The lines positions refer to; undecodable bytes are counted as decoded with U+FFFD."""
    text = _decoded(data)
    if text is None:
        assert isinstance(data, bytes)
        text = normalise(data.decode("utf-8", errors="replace"))
    return text.split("\n")


def parse_or_error(data: str | bytes) -> Bulletin | ParseError:
    """``parse``'s answer; any exception other than ParseError propagates and fails the test."""
    try:
        bulletin = prayerdoc.parse(data, source="input.txt")
    except ParseError as error:
        failure = error
    else:
        assert isinstance(bulletin, Bulletin)
        return bulletin
    assert failure.diagnostics
    assert str(failure).startswith(f"input.txt:{failure.line}:{failure.column}: ")
    return failure


def assert_no_internal_error(result: Bulletin | ParseError) -> None:
    """The parser never reports that it failed itself."""
    if isinstance(result, ParseError):
        assert INTERNAL not in {d.code for d in result.diagnostics}, str(result)


def assert_check_behaves(data: str | bytes) -> None:
    """``check`` returns findings placed inside the input, and never raises."""
    found = prayerdoc.check(data, source="input.txt")
    assert isinstance(found, list)
    lines = _lines_of(data)
    for diagnostic in found:
        assert isinstance(diagnostic, Diagnostic)
        assert diagnostic.line >= 1, diagnostic
        assert diagnostic.column >= 1, diagnostic
        assert diagnostic.line <= len(lines) + 1, (diagnostic, len(lines))
        if diagnostic.line <= len(lines):
            assert diagnostic.column <= len(lines[diagnostic.line - 1]) + 1, diagnostic


def assert_nothing_lost(data: str | bytes, bulletin: Bulletin) -> None:
    """Every word of the input is in the model, and canonical text keeps and re-reads it all."""
    text = _decoded(data)
    assert text is not None
    assert missing_words(text, bulletin) == []
    canonical = prayerdoc.format_text(bulletin)
    assert missing_words(canonical, bulletin) == []
    # Named, so that a one-line bulletin such as "0.MD" is not taken for a file name (PD112).
    assert prayerdoc.parse(canonical, source="canonical.txt") == bulletin


def assert_behaves(data: str | bytes) -> None:
    """All of the above for one input."""
    result = parse_or_error(data)
    assert_no_internal_error(result)
    assert_check_behaves(data)
    if isinstance(result, Bulletin):
        assert_nothing_lost(data, result)


# --- any text, any bytes ------------------------------------------------------------------------

# Text that looks like a bulletin more often than st.text() does: fragments of lines...
_FRAGMENTS = st.sampled_from(
    [
        "\n",
        "\n\n",
        " ",
        "Pray for ",
        "Praise God ",
        "Africa",
        "Latin America\n",
        "April 27, 2019\n",
        "2019-02-30\n",
        "“",
        "”",
        '"',
        "'",
        "— ",
        "-",
        "Micah 6:8",
        "Titus 4:1",
        "; 7:18",
        ", 10",
        " (NIV)",
        "  • ",
        "- ",
        " |",
        "|\n",
        ".",
        "Kenya",
        "the team.",
        "Africa: ",
        "\t",
        "\u00a0",
        "\r",
        "\r\n",
        "\ufeff",
    ]
)
bulletin_like = st.lists(_FRAGMENTS | st.text(max_size=3), max_size=40).map("".join)
# ...and whole lines of the format, which reach deeper than uniform text.
_LINES = st.sampled_from(
    [
        "IJM Prayer Request",
        "April 27, 2019",
        "Thursday, 31 January 2013",
        "2019-04-27",
        "“Verse.”",
        '"Verse',
        "’",
        "— Titus 3:14",
        "- Psalm 119:153-154 |",
        "– Isaiah 51: 14-15 (NIV)",
        "— Micah 6:8; 7:18",
        "—",
        "Latin America",
        "South Asia |",
        "Africa: Pray for us.",
        "  • Pray for Kenya.",
        "  • ",
        "- Praise God.",
        "IJM has partner offices in the UK.",
        "|",
        "",
        " ",
        "\t",
        "\u00a0",
        "\r",
        "\ufeff",
        "\x00",
    ]
)
bulletin_lines = st.lists(_LINES | st.text(max_size=20), max_size=30).map("\n".join)


@settings(max_examples=examples(400))
@given(st.text() | bulletin_like | bulletin_lines)
@example("")
@example("\ufeff")
@example("— Titus 3:14")
@example("Latin America")
@example("  • ")
@example("\u2010\nA1")  # a reference that starts on the line below its dash
def test_any_text_behaves(text: str) -> None:
    assert_behaves(text)


@settings(max_examples=examples(250))
@given(st.binary() | bulletin_lines.map(lambda text: text.encode("utf-8")))
@example(b"\xff\xfe")
@example(b"\xef\xbb\xbf")
@example(b"\xc3")
def test_any_bytes_behave(data: bytes) -> None:
    assert_behaves(data)


# --- damaged copies of real bulletins -----------------------------------------------------------


def _delete(lines: list[str], i: int, j: int) -> None:
    del lines[i % len(lines)]


def _swap(lines: list[str], i: int, j: int) -> None:
    i, j = i % len(lines), j % len(lines)
    lines[i], lines[j] = lines[j], lines[i]


def _duplicate(lines: list[str], i: int, j: int) -> None:
    i = i % len(lines)
    lines.insert(j % (len(lines) + 1), lines[i])


LINE_EDITS: dict[str, Callable[[list[str], int, int], None]] = {
    "delete": _delete,
    "swap": _swap,
    "duplicate": _duplicate,
}

CONTROL = st.sampled_from([chr(c) for c in [*range(0x00, 0x09), 0x0B, 0x0C, *range(0x0E, 0x20)]])
INSERTS = st.one_of(
    CONTROL,
    st.just("|"),
    st.just(" |"),
    st.sampled_from(["\r", "\r\n", "\n", "\u2028", "\u2029", "\x85", "\ufeff", "\u00a0", "\t"]),
    st.characters(exclude_categories=["Cs"]),
    st.text(st.characters(exclude_categories=["Cs"]), min_size=1, max_size=4),
)


@st.composite
def damaged(draw: st.DrawFn) -> bytes:
    """A corpus file after a few random edits, as bytes (maybe cut at any byte)."""
    # Undecodable bytes of the invalid fixtures survive the edits as lone surrogates.
    original = draw(st.sampled_from(CORPUS_BYTES)).decode("utf-8", errors="surrogateescape")
    lines = original.split("\n")
    for _ in range(draw(st.integers(0, 4))):
        edit = draw(st.sampled_from(sorted(LINE_EDITS)))
        if lines:
            LINE_EDITS[edit](lines, draw(st.integers(0, 10_000)), draw(st.integers(0, 10_000)))
    # Mix line ends: each line end may become CRLF or a lone CR.
    ends = draw(st.lists(st.sampled_from(["\n", "\n", "\r\n", "\r"]), min_size=len(lines)))
    text = "".join(line + end for line, end in zip(lines, ends, strict=False))
    for _ in range(draw(st.integers(0, 4))):
        at = draw(st.integers(0, len(text)))
        text = text[:at] + draw(INSERTS) + text[at:]
    data = text.encode("utf-8", errors="surrogateescape")
    if draw(st.booleans()):
        data = data[: draw(st.integers(0, len(data)))]
    return data


@pytest.mark.parametrize("path", CORPUS, ids=[p.name for p in CORPUS])
def test_corpus_file_behaves(path: Path) -> None:
    assert_behaves(path.read_bytes())


@settings(max_examples=examples(250))
@given(damaged())
def test_damaged_bulletins_behave(data: bytes) -> None:
    assert_behaves(data)


@pytest.mark.parametrize("path", CORPUS[:8], ids=[p.name for p in CORPUS[:8]])
def test_truncation_at_every_byte(path: Path) -> None:
    data = path.read_bytes()
    step = max(1, len(data) // 200)
    for end in range(0, len(data) + 1, step):
        assert_behaves(data[:end])


# --- fixed hostile inputs, through the API ------------------------------------------------------

SMALL = (ROOT / "examples" / "bulletins" / "bulletin-02.txt").read_text(encoding="utf-8")


def test_encodings_of_a_real_bulletin_read_alike() -> None:
    expected = prayerdoc.parse(SMALL)
    for data in (
        codecs.BOM_UTF8 + SMALL.encode(),
        SMALL.encode("utf-16"),
        codecs.BOM_UTF16_BE + SMALL.encode("utf-16-be"),
        SMALL.encode("utf-32"),
        SMALL.replace("\n", "\u2028").encode(),
        SMALL.replace("\n\n", "\u2029").encode(),
        SMALL.replace("\n", "\r\n").encode(),
        SMALL.replace("\n", "\r").encode(),
    ):
        assert prayerdoc.parse(data) == expected


def test_utf16_without_bom_is_an_error_not_a_crash() -> None:
    error = parse_or_error(SMALL.encode("utf-16-le"))
    assert isinstance(error, ParseError)
    assert_check_behaves(SMALL.encode("utf-16-le"))


def test_invalid_utf8_names_its_byte_offset() -> None:
    data = SMALL.encode()
    at = data.index(b"Pray")
    broken = data[:at] + b"\xc3\x28" + data[at:]
    error = parse_or_error(broken)
    assert isinstance(error, ParseError)
    assert error.diagnostics[0].code == "PD108"
    assert f"byte {at}" in str(error)
    line = SMALL[: SMALL.index("Pray")].count("\n") + 1
    assert error.line == line


def test_nul_bytes_are_findings_with_positions() -> None:
    data = SMALL.replace("Pray", "Pr\x00ay", 1)
    error = parse_or_error(data)
    assert isinstance(error, ParseError)
    line = SMALL[: SMALL.index("Pray")].count("\n") + 1
    assert (error.line, error.column) == (line, data.split("\n")[line - 1].index("\x00") + 1)
    assert_check_behaves(data)


def test_windows_1252_smart_quotes_with_encoding() -> None:
    data = SMALL.encode("cp1252")
    assert isinstance(parse_or_error(data), ParseError)
    assert prayerdoc.parse(data, encoding="cp1252") == prayerdoc.parse(SMALL)


def test_unknown_encoding_is_an_error_not_a_crash() -> None:
    with pytest.raises(ParseError) as caught:
        prayerdoc.parse(SMALL.encode(), encoding="no-such-codec")
    assert caught.value.diagnostics[0].code == "PD110"
    assert prayerdoc.check(SMALL.encode(), encoding="no-such-codec")[0].code == "PD110"


@pytest.mark.parametrize(
    "text",
    ["", "\n", "\n" * 1000, " ", "|", "| |\n|", "\ufeff", "\u2028", "“", "”", '"', "—", "•", "-"],
    ids=repr,
)
def test_tiny_inputs(text: str) -> None:
    assert_behaves(text)


def test_lone_quote_mark_is_not_an_internal_error() -> None:
    # A line holding only a quotation mark becomes an epigraph with no text and
    # no reference, which the model refuses; the parser reports PD199 instead of
    # a finding about the input.
    result = parse_or_error("”")
    assert_no_internal_error(result)


def test_date_shaped_heading_survives_canonical_text() -> None:
    # Wrapped requests push a date-shaped line past the top lines that may hold
    # the date, so it becomes a heading; canonical text joins the wrapped lines,
    # and reading it back takes that heading for the bulletin's date.
    text = "Pray for a\nand b.\n\nPray\nfor c.\n\nApril 27, 2019\n\nPray for d.\n"
    assert_behaves(text)


def test_undecodable_byte_after_a_lone_cr_is_placed_on_its_line() -> None:
    # Lone CR ends a line everywhere else, so the position of a bad byte must count it too.
    error = parse_or_error(b"Title\rPr\x80ay for Kenya.\n")
    assert isinstance(error, ParseError)
    assert (error.line, error.column) == (2, 3)


def test_dash_paragraph_survives_canonical_text() -> None:
    # "-" then "Africa" is one wrapped paragraph "- Africa"; written plainly it reads back
    # as a bullet, so the intro becomes a request.
    assert_behaves("-\nAfrica")


def test_attribution_shaped_paragraph_survives_canonical_text() -> None:
    # A reference broken over two lines is not a reference; the joined paragraph
    # "— Proverbs 31:8" is written plainly and reads back as the verse's reference.
    assert_behaves("“Speak up.”\n\n— Proverbs\n31:8\n\nPray for Ghana.\n")


# --- the command line ---------------------------------------------------------------------------

FINDING = re.compile(r"\bPD\d{3}\b")
ONE_MB_LINE = b"Pray for the team " + b"and the village " * 65_536 + b"today."

HOSTILE: dict[str, bytes] = {
    "binary.txt": bytes(range(256)) * 8 + b"\x89PNG\r\n\x1a\n",
    "empty.txt": b"",
    "nul.txt": SMALL.replace("Pray", "Pr\x00ay", 1).encode(),
    "invalid-utf8.txt": SMALL.encode().replace(b"Pray", b"Pr\xffay", 1),
    "utf16-bom.txt": SMALL.encode("utf-16"),
    "utf16-no-bom.txt": SMALL.encode("utf-16-le"),
    "one-mb-line.txt": ONE_MB_LINE,
    "lone-quote.txt": "”\n".encode(),
    "cr-only.txt": SMALL.replace("\n", "\r").encode(),
}
# Inputs that hold no usable bulletin: every command must say so with exit code 1.
BROKEN = {"binary.txt", "empty.txt", "nul.txt", "invalid-utf8.txt", "utf16-no-bom.txt"}
COMMANDS: dict[str, list[str]] = {
    "check": ["check"],
    "convert-json": ["convert", "--to", "json", "-o", "{out}.json"],
    "convert-markdown": ["convert", "--to", "markdown", "-o", "{out}.md"],
    "convert-ical": ["convert", "--to", "ical", "--start", "2025-01-01", "-o", "{out}.ics"],
    "convert-text": ["convert", "--to", "text", "-o", "{out}.txt"],
    "fmt-check": ["fmt", "--check"],
}


def _assert_positions(output: str, path: str, data: bytes) -> None:
    """Every line naming a finding starts with ``path:line:col:`` inside the file."""
    lines = _lines_of(data)
    for line in output.splitlines():
        if not FINDING.search(line):
            continue
        assert line.startswith(f"{path}:"), line
        match = PLACE.match(line, len(path) + 1)
        assert match is not None, line
        assert 1 <= int(match["line"]) <= len(lines) + 1, line
        assert int(match["column"]) >= 1, line


@pytest.mark.parametrize("command", sorted(COMMANDS))
@pytest.mark.parametrize("name", sorted(HOSTILE))
def test_cli_on_hostile_files(
    name: str,
    command: str,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    run_cli: RunCli,
) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / name).write_bytes(HOSTILE[name])
    argv = [arg.format(out="out") for arg in COMMANDS[command]] + [name]
    code, out, err = run_cli(*argv)
    assert code in (0, 1, 2), (code, err)
    assert "Traceback" not in out + err
    _assert_positions(err, name, HOSTILE[name])
    if command == "check":
        _assert_positions(out, name, HOSTILE[name])
    if name in BROKEN:
        assert code == 1, (code, out, err)
        assert FINDING.search(out + err), (out, err)
        # A conversion that cannot be complete writes nothing.
        assert sorted(p.name for p in tmp_path.iterdir()) == [name]


def test_cli_size_limit_is_a_finding(tmp_path: Path, run_cli: RunCli) -> None:
    path = tmp_path / "big.txt"
    path.write_bytes(ONE_MB_LINE)
    for argv in (
        ["check", "--max-bytes", "1000", str(path)],
        [
            "convert",
            "--max-bytes",
            "1000",
            "--to",
            "json",
            "-o",
            str(tmp_path / "o.json"),
            str(path),
        ],
        ["fmt", "--check", "--max-bytes", "1000", str(path)],
    ):
        code, out, err = run_cli(*argv)
        assert code == 1, argv
        assert f"{path}:1:1: PD109" in out + err, (argv, out, err)
    assert not (tmp_path / "o.json").exists()


def test_cli_encoding_option(tmp_path: Path, run_cli: RunCli) -> None:
    path = tmp_path / "cp1252.txt"
    path.write_bytes(SMALL.encode("cp1252"))
    code, out, err = run_cli("check", str(path))
    assert code == 1
    assert "PD108" in out + err
    code, out, err = run_cli("convert", "--encoding", "cp1252", "--to", "text", str(path))
    assert code == 0, err
    assert prayerdoc.parse(out) == prayerdoc.parse(SMALL)


def test_cli_missing_path_is_a_usage_error(tmp_path: Path, run_cli: RunCli) -> None:
    for command in COMMANDS.values():
        argv = [arg.format(out=str(tmp_path / "o")) for arg in command]
        code, _out, err = run_cli(*argv, str(tmp_path / "missing.txt"))
        assert code == 2, (argv, err)
        assert "Traceback" not in err


# --- --out-dir never writes outside its folder --------------------------------------------------


def _tree(root: Path) -> set[Path]:
    """Every path under ``root`` (symlinks not followed)."""
    return {Path(folder, name) for folder, dirs, files in os.walk(root) for name in dirs + files}


def _convert_into(
    tmp_path: Path, inputs: list[str], run_cli: RunCli, to: str = "json"
) -> tuple[int, str, set[Path]]:
    """Run convert with --out-dir tmp/work/out from tmp/work/sub; return code, stderr, new paths."""
    before = _tree(tmp_path)
    code, _, err = run_cli("convert", "--to", to, "--out-dir", "../out", *inputs)
    return code, err, _tree(tmp_path) - before


@pytest.fixture
def workspace(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """tmp/work/sub as the current folder, with a bulletin in tmp/work and in tmp/elsewhere."""
    (tmp_path / "work" / "sub").mkdir(parents=True)
    (tmp_path / "elsewhere").mkdir()
    (tmp_path / "work" / "x.txt").write_text(SMALL, encoding="utf-8")
    (tmp_path / "elsewhere" / "y.txt").write_text(SMALL, encoding="utf-8")
    monkeypatch.chdir(tmp_path / "work" / "sub")
    return tmp_path


def _only_inside(new: set[Path], out: Path) -> None:
    outside = {path for path in new if out not in path.parents and path != out}
    assert not outside, outside


@pytest.mark.parametrize(
    "name",
    ["../x.txt", "..txt", "a\nb.txt", "ABSOLUTE", "../../elsewhere/y.txt", "...txt", ".txt"],
)
def test_out_dir_confines_every_name(name: str, workspace: Path, run_cli: RunCli) -> None:
    sub = workspace / "work" / "sub"
    if name == "ABSOLUTE":
        name = str(workspace / "elsewhere" / "y.txt")
    elif not name.startswith("../"):
        (sub / name).write_text(SMALL, encoding="utf-8")
    out = workspace / "work" / "out"
    for to in ("json", "markdown", "text"):
        code, err, new = _convert_into(workspace, [name], run_cli, to)
        assert code in (0, 2), err
        assert "Traceback" not in err
        _only_inside(new, out)
        if code == 0:
            assert len([p for p in new if p.is_file()]) == 1, new


def test_out_dir_replaces_a_symlink_rather_than_writing_through_it(
    workspace: Path, run_cli: RunCli
) -> None:
    out = workspace / "work" / "out"
    out.mkdir()
    victim = workspace / "elsewhere" / "victim.json"
    victim.write_text("precious", encoding="utf-8")
    (out / "x.json").symlink_to(victim)
    code, _, err = run_cli("convert", "--to", "json", "--out-dir", str(out), "../x.txt")
    assert code in (0, 2), err
    assert victim.read_text(encoding="utf-8") == "precious"
    assert set((workspace / "elsewhere").iterdir()) == {victim, workspace / "elsewhere" / "y.txt"}


def test_out_dir_through_a_symlinked_input(workspace: Path, run_cli: RunCli) -> None:
    sub = workspace / "work" / "sub"
    (sub / "link.txt").symlink_to(workspace / "elsewhere" / "y.txt")
    code, err, new = _convert_into(workspace, ["link.txt"], run_cli)
    assert code == 0, err
    _only_inside(new, workspace / "work" / "out")
    assert (workspace / "work" / "out" / "link.json").is_file()


def test_out_dir_that_is_a_file_is_a_usage_error(workspace: Path, run_cli: RunCli) -> None:
    (workspace / "work" / "out").write_text("not a folder", encoding="utf-8")
    code, _err, new = _convert_into(workspace, ["../x.txt"], run_cli)
    assert code == 2
    assert not new
    assert (workspace / "work" / "out").read_text(encoding="utf-8") == "not a folder"


# --- atomic writes ------------------------------------------------------------------------------


def _fail_replace(*args: object, **kwargs: object) -> None:
    raise OSError(28, "No space left on device")


class _HalfWriter:
    """A file whose write stores half of the text and then fails, as a full disk does."""

    def __init__(self, file: object) -> None:
        self._file = file

    def __enter__(self) -> _HalfWriter:
        return self

    def __exit__(self, *exc: object) -> None:
        self._file.close()  # type: ignore[attr-defined]

    def write(self, text: str) -> int:
        self._file.write(text[: len(text) // 2])  # type: ignore[attr-defined]
        self._file.flush()  # type: ignore[attr-defined]
        raise OSError(28, "No space left on device")

    def __getattr__(self, name: str) -> object:
        return getattr(self._file, name)


def _failures(monkeypatch: pytest.MonkeyPatch, *, durable: bool) -> Iterator[str]:
    """Each way a write can fail, installed in turn (``durable``: the writer syncs to disk)."""
    with monkeypatch.context() as patch:
        patch.setattr(os, "replace", _fail_replace)
        patch.setattr(os, "rename", _fail_replace)
        yield "replace"
    real_fdopen = os.fdopen
    with monkeypatch.context() as patch:
        patch.setattr(os, "fdopen", lambda *a, **k: _HalfWriter(real_fdopen(*a, **k)))
        yield "half-write"
    if durable:
        with monkeypatch.context() as patch:
            patch.setattr(os, "fsync", _fail_replace)
            yield "fsync"


def test_convert_output_is_untouched_when_the_write_fails(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, run_cli: RunCli
) -> None:
    source = tmp_path / "in.txt"
    source.write_text(SMALL, encoding="utf-8")
    target = tmp_path / "out.json"
    target.write_text("old output", encoding="utf-8")
    # Generated output is not synced to disk (a rerun recreates it); a person's file is.
    for failure in _failures(monkeypatch, durable=False):
        code, _, err = run_cli("convert", str(source), "-o", str(target))
        assert code in (1, 2), failure
        assert "Traceback" not in err
        assert target.read_text(encoding="utf-8") == "old output", failure
        assert sorted(p.name for p in tmp_path.iterdir()) == ["in.txt", "out.json"], failure
    # And with the failure gone, the same command writes the whole output.
    code, _, err = run_cli("convert", str(source), "-o", str(target))
    assert code == 0, err
    assert prayerdoc.loads(target.read_text(encoding="utf-8"), "json") == prayerdoc.parse(SMALL)


def test_fmt_leaves_the_file_untouched_when_the_write_fails(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, run_cli: RunCli
) -> None:
    messy = SMALL.replace("\n\n", "\n\n\n").replace("\n", "\r\n")
    path = tmp_path / "bulletin.txt"
    path.write_bytes(messy.encode())
    for failure in _failures(monkeypatch, durable=True):
        code, _, err = run_cli("fmt", str(path))
        assert code in (1, 2), failure
        assert "Traceback" not in err
        assert path.read_bytes() == messy.encode(), failure
        assert [p.name for p in tmp_path.iterdir()] == ["bulletin.txt"], failure
    code, _, err = run_cli("fmt", str(path))
    assert code == 0, err
    assert path.read_bytes() != messy.encode()
    assert prayerdoc.parse(path.read_bytes()) == prayerdoc.parse(SMALL)


def test_title_only_bulletin_survives_canonical_text() -> None:
    # A lone opening quote under the title leaves a bulletin that is only a title;
    # its canonical text is one line, which reads back as a request instead.
    assert_behaves("Prayer Requests\n\n“")


# --- JSON input: the other format loads reads -------------------------------------------------

json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=20),
    lambda children: (
        st.lists(children, max_size=4)
        | st.dictionaries(
            st.sampled_from(["title", "date", "sections", "requests", "kind", "text", "$schema"])
            | st.text(max_size=8),
            children,
            max_size=4,
        )
    ),
    max_leaves=20,
)
CORPUS_JSON = [
    prayerdoc.dumps(prayerdoc.parse(data), "json")
    for data in CORPUS_BYTES
    if isinstance(parse_or_error(data), Bulletin)
]


def loads_or_error(data: str | bytes) -> Bulletin | ParseError:
    """``loads(data, "json")``'s answer; anything but ParseError fails the test."""
    try:
        return prayerdoc.loads(data, "json")
    except ParseError as error:
        failure = error
    assert failure.diagnostics
    return failure


@st.composite
def damaged_json(draw: st.DrawFn) -> str:
    """A corpus bulletin's JSON with a few characters deleted, replaced or inserted."""
    text = draw(st.sampled_from(CORPUS_JSON))
    for _ in range(draw(st.integers(1, 4))):
        at = draw(st.integers(0, len(text)))
        cut = draw(st.integers(0, 3))
        text = (
            text[:at]
            + draw(st.text(max_size=3) | st.sampled_from(['"', "{", "]", ","]))
            + text[at + cut :]
        )
    return text


@settings(max_examples=examples(150))
@given(st.one_of(st.text(), st.binary(), json_values.map(json.dumps), damaged_json()))
def test_loads_json_returns_a_bulletin_or_raises_parse_error(data: str | bytes) -> None:
    result = loads_or_error(data)
    if isinstance(result, Bulletin):
        assert prayerdoc.loads(prayerdoc.dumps(result, "json"), "json") == result


def test_out_dir_writes_all_or_nothing(
    workspace: Path, monkeypatch: pytest.MonkeyPatch, run_cli: RunCli
) -> None:
    # The second of two outputs fails to land: the first must not be left behind alone.
    real_replace = os.replace
    calls: list[object] = []

    def second_fails(source: str, target: str) -> None:
        calls.append(target)
        if len(calls) == 2:
            raise OSError(28, "No space left on device")
        real_replace(source, target)

    monkeypatch.setattr(os, "replace", second_fails)
    code, err, new = _convert_into(workspace, ["../x.txt", "../../elsewhere/y.txt"], run_cli)
    assert code in (1, 2), err
    assert "Traceback" not in err
    assert len(calls) == 2
    assert not [path for path in new if path.is_file()], new


def test_quote_mark_paragraph_survives_canonical_text() -> None:
    # Two lines of one quotation mark each parse to an intro paragraph '"'; its
    # canonical text is that one mark, which does not parse at all (PD100).
    assert_behaves('"\n"')


# --- inputs the fuzzer found ----------------------------------------------------------------------

FUZZ_FINDINGS = sorted((ROOT / "tests" / "data" / "fuzz").glob("*.bin"))


@pytest.mark.parametrize("path", FUZZ_FINDINGS, ids=lambda path: path.stem)
def test_fuzzer_findings_behave(path: Path) -> None:
    # Each once broke the round trip or the conservation check; all hold now.
    data = path.read_bytes()
    assert isinstance(parse_or_error(data), Bulletin)
    assert_behaves(data)


def test_lower_case_label_stays_text() -> None:
    # "latin America" is not heading-shaped, so it cannot stand as a heading on its own.
    text = "Latin America\n\nPray for Lima.\n\nlatin America: Pray for new investigators.\n"
    bulletin = prayerdoc.parse(text)
    assert [s.heading for s in bulletin.sections] == ["Latin America"]
    assert bulletin.sections[0].requests[-1].text.startswith("latin America: Pray")
    assert_behaves(text)
