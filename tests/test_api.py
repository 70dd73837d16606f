"""The public surface: parse, load, loads, errors, decoding and the size limit."""

from __future__ import annotations

import codecs
import contextlib
import datetime
import io
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from lark import Token

import prayerdoc
from prayerdoc import ParseError, RequestKind, Severity, codes, formats
from prayerdoc._parser import parse_tokens

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples" / "bulletins"
INVALID = ROOT / "tests" / "data" / "invalid"


def _texts(bulletin: prayerdoc.Bulletin) -> list[str]:
    """The text of every paragraph and request of a headless bulletin."""
    return [p.text for s in bulletin.sections for p in s.intro] + [
        r.text for r in bulletin.requests()
    ]


@contextlib.contextmanager
def _stdout() -> Iterator[io.StringIO]:
    captured = io.StringIO()
    with contextlib.redirect_stdout(captured):
        yield captured


SMALL = """Weekly Prayer

April 27, 2019

“Act justly and love mercy.”

— Micah 6:8

Praise God for a good week.

Latin America

Pray for the team in Guatemala.
"""


def test_parse_reads_the_structure() -> None:
    bulletin = prayerdoc.parse(SMALL)
    assert bulletin.title == "Weekly Prayer"
    assert bulletin.date == datetime.date(2019, 4, 27)
    assert bulletin.epigraph is not None
    assert bulletin.epigraph.text == "Act justly and love mercy."
    assert bulletin.epigraph.reference is not None
    assert bulletin.epigraph.reference.book == "Micah"
    assert [s.heading for s in bulletin.sections] == [None, "Latin America"]
    assert [r.kind for r in bulletin.requests()] == [RequestKind.PRAISE, RequestKind.PETITION]


def test_positions_are_kept_but_not_compared() -> None:
    bulletin = prayerdoc.parse(SMALL)
    moved = prayerdoc.parse("\n\n" + SMALL)
    assert bulletin == moved
    latin = bulletin.sections[1]
    assert latin.position is not None
    assert (latin.position.line, latin.position.column) == (11, 1)
    assert moved.sections[1].position == prayerdoc.Position(13, 1)
    assert bulletin.sections[1].requests[0].position == prayerdoc.Position(13, 1)


@pytest.mark.parametrize(
    "encoded",
    [
        SMALL.encode("utf-8"),
        codecs.BOM_UTF8 + SMALL.encode("utf-8"),
        SMALL.encode("utf-16"),  # with its byte-order mark
        SMALL.replace("\n", "\r\n").encode("utf-8"),
        SMALL.replace("\n", "\r").encode("utf-8"),
        SMALL.replace("\n", "\t\n").encode("utf-8"),
    ],
    ids=["utf-8", "utf-8-bom", "utf-16", "crlf", "cr", "tabs"],
)
def test_encodings_and_line_ends_read_alike(encoded: bytes) -> None:
    assert prayerdoc.parse(encoded) == prayerdoc.parse(SMALL)


def test_windows_1252_with_encoding_option() -> None:
    data = SMALL.encode("cp1252")
    with pytest.raises(ParseError):
        prayerdoc.parse(data)
    assert prayerdoc.parse(data, encoding="cp1252") == prayerdoc.parse(SMALL)


def test_invalid_utf8_names_the_byte_offset() -> None:
    data = SMALL.encode("utf-8")
    offset = data.index(b"Guatemala")
    broken = data[:offset] + b"\xff" + data[offset:]
    with pytest.raises(ParseError) as caught:
        prayerdoc.parse(broken, source="week.txt")
    message = str(caught.value)
    assert message.startswith("week.txt:13:22: PD108 ")
    assert f"byte {offset} " in message
    assert caught.value.diagnostics[0].code == "PD108"


def test_parse_error_has_position_caret_and_all_findings() -> None:
    text = "Title\n\nPray \x00 for us.\nand \x07 more\n"
    with pytest.raises(ParseError) as caught:
        prayerdoc.parse(text, source="b.txt")
    error = caught.value
    assert issubclass(ParseError, ValueError)
    assert [(d.line, d.column, d.code) for d in error.diagnostics] == [
        (3, 6, "PD107"),
        (4, 5, "PD107"),
    ]
    lines = str(error).splitlines()
    assert lines[0] == "b.txt:3:6: PD107 " + error.diagnostics[0].message
    assert lines[1].strip() == "Pray \x00 for us."
    assert lines[2].index("^") == lines[1].index("\x00")
    assert "1 more error" in str(error)


@pytest.mark.parametrize("text", ["", "\n\n", "   \n\t\n", "|\n|\n", "\ufeff"])
def test_empty_input_is_a_parse_error(text: str) -> None:
    with pytest.raises(ParseError) as caught:
        prayerdoc.parse(text)
    assert caught.value.errors[-1].code == "PD100"


def test_size_limit() -> None:
    with pytest.raises(ParseError) as caught:
        prayerdoc.parse(SMALL, max_bytes=10)
    assert caught.value.diagnostics[0].code == "PD109"
    assert prayerdoc.parse(SMALL, max_bytes=None) == prayerdoc.parse(SMALL)


def test_load_path_and_file_object(tmp_path: Path) -> None:
    path = tmp_path / "week.txt"
    path.write_bytes(codecs.BOM_UTF8 + SMALL.encode())
    assert prayerdoc.load(path) == prayerdoc.parse(SMALL)
    assert prayerdoc.load(str(path)) == prayerdoc.parse(SMALL)
    assert prayerdoc.load(io.BytesIO(SMALL.encode())) == prayerdoc.parse(SMALL)
    with pytest.raises(ParseError) as caught:
        prayerdoc.load(path, max_bytes=5)
    assert str(caught.value).startswith(f"{path}:1:1: PD109 ")
    with pytest.raises(FileNotFoundError):
        prayerdoc.load(tmp_path / "missing.txt")


def test_loads_text_and_unknown_format() -> None:
    assert prayerdoc.loads(SMALL, "txt") == prayerdoc.parse(SMALL)
    with pytest.raises(ValueError, match="unknown format 'yaml'"):
        prayerdoc.loads(SMALL, "yaml")
    with pytest.raises(ValueError, match=r"cannot read the ical format; it reads .*json") as e:
        prayerdoc.loads("BEGIN:VCALENDAR", "ical")
    assert "text" in str(e.value)


def test_loads_needs_the_format() -> None:
    as_json = prayerdoc.dumps(prayerdoc.parse(SMALL), "json")
    with pytest.raises(TypeError, match="fmt"):
        prayerdoc.loads(as_json)  # type: ignore[call-arg]
    assert prayerdoc.loads(as_json, "json") == prayerdoc.parse(SMALL)
    assert prayerdoc.loads(as_json.encode(), "JSON") == prayerdoc.parse(SMALL)


@pytest.mark.parametrize("name", ["week.json", "WEEK.JSON", "week.txt.json"])
def test_load_reads_json_by_extension(name: str, tmp_path: Path) -> None:
    path = tmp_path / name
    path.write_text(prayerdoc.dumps(prayerdoc.parse(SMALL), "json"), encoding="utf-8")
    assert prayerdoc.load(path) == prayerdoc.parse(SMALL)
    assert prayerdoc.load(str(path)) == prayerdoc.parse(SMALL)
    with path.open("rb") as file:
        assert prayerdoc.load(file) == prayerdoc.parse(SMALL)
    # The caller's format wins over the extension.
    with pytest.raises(ParseError) as caught:
        prayerdoc.load(path, "json", max_bytes=5)
    assert caught.value.diagnostics[0].code == "PD109"
    assert prayerdoc.load(path, fmt="text").title == "{"


@pytest.mark.parametrize("name", ["week.txt", "week.text", "week", "week.bulletin", "week.TXT"])
def test_load_reads_other_extensions_as_text(name: str, tmp_path: Path) -> None:
    path = tmp_path / name
    path.write_text(SMALL, encoding="utf-8")
    assert prayerdoc.load(path) == prayerdoc.parse(SMALL)


def test_load_agrees_with_convert_about_extensions(tmp_path: Path) -> None:
    from prayerdoc.cli import main

    path = tmp_path / "week.json"
    path.write_text(prayerdoc.dumps(prayerdoc.parse(SMALL), "json"), encoding="utf-8")
    out = tmp_path / "week.txt"
    assert main(["convert", str(path), "--to", "text", "-o", str(out)]) == 0
    assert prayerdoc.load(out) == prayerdoc.load(path)


@pytest.mark.parametrize(
    "name",
    [
        f"week{extension}"
        for extension, fmt in formats.EXTENSIONS.items()
        if not formats.REGISTRY[fmt].reads
    ],
)
def test_load_refuses_a_format_it_cannot_read_before_opening(name: str, tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="cannot read the"):
        prayerdoc.load(tmp_path / name)  # the file does not even exist
    (tmp_path / name).write_text(SMALL, encoding="utf-8")
    assert prayerdoc.load(tmp_path / name, "text") == prayerdoc.parse(SMALL)


@pytest.mark.parametrize(
    "text",
    [
        "bulletin.txt",
        "  bulletin.txt\n",
        "BULLETIN.TXT",
        "week.json",
        "notes.md",
        "bulletins/2019-04-27.txt",
        "My Bulletin.text",
        "C:\\bulletins\\week.txt",
    ],
)
def test_parse_refuses_a_file_name(text: str) -> None:
    with pytest.raises(ParseError) as caught:
        prayerdoc.parse(text)
    assert caught.value.diagnostics[0].code == "PD112"
    assert "prayerdoc.load()" in str(caught.value)
    assert text.strip() in str(caught.value)
    # check() says the same, without raising.
    assert [d.code for d in prayerdoc.check(text)] == ["PD112"]


def test_parse_refuses_an_existing_path(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "bulletins").mkdir()
    (tmp_path / "bulletins" / "week.bulletin").write_text(SMALL, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    (tmp_path / "notes").write_text(SMALL, encoding="utf-8")
    for text in ("bulletins/week.bulletin", "bulletins/", str(tmp_path / "bulletins"), "notes"):
        with pytest.raises(ParseError, match="PD112"):
            prayerdoc.parse(text)
    with pytest.raises(ParseError, match="PD112"):
        prayerdoc.parse(tmp_path / "bulletins" / "week.bulletin")  # type: ignore[arg-type]
    assert [d.code for d in prayerdoc.check(Path("x.txt"))] == ["PD112"]  # type: ignore[arg-type]


@pytest.mark.parametrize(
    "text", ["Weekly Prayer", "Pray for Kenya.", "Visit ijm.org", ".", "/", "bulletins/"]
)
def test_one_line_bulletins_still_parse(text: str) -> None:
    # Not a known extension, and no such path here: a (tiny) bulletin.
    assert _texts(prayerdoc.parse(text)) == [text]


def test_a_file_name_with_a_source_is_text() -> None:
    # A text that says where it came from was read from there: it is taken as it is.
    assert _texts(prayerdoc.parse("bulletin.txt", source="notes")) == ["bulletin.txt"]
    assert _texts(prayerdoc.loads("bulletin.txt", "text")) == ["bulletin.txt"]
    assert "PD112" not in {d.code for d in prayerdoc.check("bulletin.txt", source="notes")}


def test_diagnostics_carry_their_source() -> None:
    found = prayerdoc.check(SMALL + "Pray  for Peru. \n", source="week.txt")
    assert found
    assert {d.source for d in found} == {"week.txt"}
    last = found[-1]
    assert str(last) == f"week.txt:{last.line}:{last.column}: {last.code} {last.message}"
    assert str(last) == "week.txt:14:16: PD304 trailing white space; remove it"
    assert all(d.source == "<string>" for d in prayerdoc.check(SMALL + " \n"))
    with pytest.raises(ParseError) as caught:
        prayerdoc.parse("", source="empty.txt")
    assert caught.value.diagnostics[0].source == "empty.txt"
    assert str(caught.value.diagnostics[0]) == str(caught.value).splitlines()[0]


def test_report_gives_each_form_of_the_command(tmp_path: Path) -> None:
    import json

    from prayerdoc.cli import main

    path = tmp_path / "three.txt"
    path.write_bytes((INVALID / "three-problems.txt").read_bytes())
    found = prayerdoc.check(path.read_bytes(), source=str(path))
    text = prayerdoc.report(found)
    assert text.splitlines() == [str(d) for d in found]
    github = prayerdoc.report(found, "github")
    assert github.splitlines()[0].startswith(f"::warning file={path},line=5,col=3,")
    records = json.loads(prayerdoc.report(found, "json"))
    assert [(r["path"], r["line"], r["code"]) for r in records] == [
        (str(path), d.line, d.code) for d in found
    ]
    for fmt in ("text", "json", "github", "sarif"):
        with _stdout() as out:
            main(["check", "--format", fmt, str(path)])
        assert out.getvalue().startswith(prayerdoc.report(found, fmt))
    with pytest.raises(ValueError, match="unknown report format 'xml'"):
        prayerdoc.report(found, "xml")


def test_examples_parse_into_five_sections() -> None:
    paths = sorted(EXAMPLES.glob("*.txt"))
    assert len(paths) >= 5
    for path in paths:
        assert len(prayerdoc.load(path).sections) == 5


def test_model_rejects_what_the_format_cannot_write() -> None:
    with pytest.raises(ValueError, match="single line"):
        prayerdoc.Request(text="two\nlines", kind=RequestKind.PETITION)
    with pytest.raises(ValueError, match="must have a title"):
        prayerdoc.Bulletin(preamble=[prayerdoc.Paragraph(text="Church")])
    with pytest.raises(ValueError, match="verse text, a reference"):
        prayerdoc.Epigraph(text="")


# One severity per code, the same everywhere ------------------------------------------------


def _case(code: str, tmp_path: Path) -> tuple[Path, list[str], dict[str, Any]]:
    """An input that gives ``code``, with the command-line options and load() keywords it needs."""
    if code == "PD111":
        path = tmp_path / "bad.json"
        path.write_text('{"title": 1}', encoding="utf-8")
        return path, [], {}
    if code in PAGES:
        path = tmp_path / "page.html"
        path.write_text(PAGES[code], encoding="utf-8")
        return path, [], {}
    if code in MESSAGES:
        path = tmp_path / "week.eml"
        path.write_text(MESSAGES[code], encoding="utf-8")
        return path, [], {}
    (fixture,) = INVALID.glob(f"{code}-*.txt")
    options: dict[str, Any] = {}
    for line in fixture.with_suffix(".expected").read_text(encoding="utf-8").splitlines():
        if line.startswith("#"):
            key, _, value = line[1:].partition(":")
            options[key.strip().replace("-", "_")] = value.strip()
    if "max_bytes" in options:
        options["max_bytes"] = int(options["max_bytes"])
    flags = [f"--{key.replace('_', '-')}={value}" for key, value in options.items()]
    path = tmp_path / fixture.name
    path.write_bytes(fixture.read_bytes())
    return path, flags, options


# Codes that only a page's reader finds, each with a page that gives it.
_PAGE = "<main><p>T</p><p>“V.”</p><p>— Micah 6:8</p><ul><li>Pray for x.</li></ul></main>"
PAGES = {
    "PD113": "<div>" * 600 + _PAGE,
    "PD114": _PAGE,  # with the parser made missing below
    "PD406": "<nav>Home</nav>" + _PAGE,
}
# Codes that only the e-mail reader finds, each with a message that gives it.
MESSAGES = {
    "PD407": "Date: Fri, 26 Apr 2019 14:02:09 +0000\n\nT\n\n“V.”\n\n— Micah 6:8\n\nPray for x.\n"
}


def _broken_parser(monkeypatch: pytest.MonkeyPatch) -> None:
    """Make the parser itself fail, as a bug would: the one way to meet PD199."""

    def broken(reading: str) -> object:
        raise ValueError("broken on purpose")

    monkeypatch.setattr("prayerdoc._parser._table", broken)


@pytest.mark.parametrize("code", sorted(codes.RULES))
def test_a_code_stops_a_conversion_exactly_when_it_is_an_error(
    code: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from prayerdoc.cli import main

    error = codes.RULES[code].severity is Severity.ERROR
    if code == "PD112":  # the library given a file name as text; no file is involved
        assert error
        with pytest.raises(ParseError, match="PD112"):
            prayerdoc.parse("bulletin.txt")
        assert [d.severity for d in prayerdoc.check("bulletin.txt")] == [Severity.ERROR]
        return
    if code == "PD115":  # tokens handed to the grammar out of order; text never makes them
        assert not error
        made = [Token("HEADING", "Latin America", line=1, column=1)]
        made += [Token("TITLE", "Weekly News", line=3, column=1)]
        bulletin, found = parse_tokens(made)
        assert bulletin.sections[0].intro[0].text == "Weekly News"
        assert [(d.code, d.line, d.severity) for d in found] == [("PD115", 3, Severity.WARNING)]
        return
    if code == "PD199":
        _broken_parser(monkeypatch)
        path, flags, options = tmp_path / "week.txt", list[str](), dict[str, Any]()
        path.write_text(SMALL, encoding="utf-8")
    else:
        path, flags, options = _case(code, tmp_path)
    if code == "PD114":
        monkeypatch.setitem(sys.modules, "selectolax.lexbor", None)

    # The library: an error raises, a warning leaves a bulletin.
    if error:
        with pytest.raises(ParseError) as caught:
            prayerdoc.load(path, **options)
        assert code in {d.code for d in caught.value.diagnostics}
    else:
        assert isinstance(prayerdoc.load(path, **options), prayerdoc.Bulletin)

    # convert: an error writes nothing and exits 1; a warning converts.
    out = tmp_path / "out.txt"
    assert main(["convert", str(path), "--to", "text", "-o", str(out), *flags]) == int(error)
    assert out.exists() is not error
    if code == "PD111":
        return  # check and fmt read bulletin text, not JSON
    if code in PAGES:  # fmt rewrites bulletin text only; check reads pages
        assert main(["check", str(path)]) == int(error)
        return

    # fmt: an error leaves the file as it was and exits 1; a warning formats.
    before = path.read_bytes()
    assert main(["fmt", str(path), *flags]) == int(error)
    if error:
        assert path.read_bytes() == before
    path.write_bytes(before)

    # check: fails on an error; on a warning only with --strict.
    capsys.readouterr()
    assert main(["check", str(path), *flags]) == int(error)
    assert code in capsys.readouterr().out
    assert main(["check", "--strict", str(path), *flags]) == 1
