"""The public surface: parse, load, loads, errors, decoding and the size limit."""

from __future__ import annotations

import codecs
import datetime
import io
from pathlib import Path

import pytest

import prayerdoc
from prayerdoc import ParseError, RequestKind

EXAMPLES = Path(__file__).resolve().parent.parent / "examples" / "bulletins"

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


def test_examples_parse_and_round_trip() -> None:
    paths = sorted(EXAMPLES.glob("*.txt"))
    assert len(paths) >= 5
    for path in paths:
        bulletin = prayerdoc.load(path)
        assert len(bulletin.sections) == 5
        assert prayerdoc.parse(prayerdoc.format_text(bulletin)) == bulletin


def test_model_rejects_what_the_format_cannot_write() -> None:
    with pytest.raises(ValueError, match="single line"):
        prayerdoc.Request(text="two\nlines", kind=RequestKind.PETITION)
    with pytest.raises(ValueError, match="must have a title"):
        prayerdoc.Bulletin(preamble=[prayerdoc.Paragraph(text="Church")])
    with pytest.raises(ValueError, match="verse text, a reference"):
        prayerdoc.Epigraph(text="")
