"""The JSON document: schema-valid, loss-free, byte-stable, and strict when read back.

Bad documents must fail with a ``ParseError`` whose findings name the JSON path
of the problem and point at its line and column, never with a cattrs traceback.
"""

from __future__ import annotations

import copy
import datetime
import json
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import attrs
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from jsonschema import Draft202012Validator

import prayerdoc
from prayerdoc import (
    Bulletin,
    Diagnostic,
    Epigraph,
    Paragraph,
    ParseError,
    Position,
    Request,
    RequestKind,
    ScriptureRef,
    Section,
)
from prayerdoc.formats import json as json_format
from profiles import examples
from strategies import bulletins as parsable_bulletins

ROOT = Path(__file__).resolve().parent.parent
PACKAGE_SCHEMA = ROOT / "src" / "prayerdoc" / "schema.json"


def example_bulletins() -> list[Path]:
    """The bundled real bulletins; there must be at least five of them."""
    found = sorted((ROOT / "examples" / "bulletins").glob("*.txt"))
    assert len(found) >= 5, f"expected at least 5 bulletins in examples/bulletins, found {found}"
    return found


EXAMPLES = example_bulletins()
CORPUS = sorted((ROOT / "tests" / "data" / "valid").rglob("*.txt"))
ALL_TEXTS = EXAMPLES + CORPUS
VALIDATOR = Draft202012Validator(
    json_format.schema(), format_checker=Draft202012Validator.FORMAT_CHECKER
)


def schema_errors(document: object) -> list[str]:
    """Every message the schema gives about a document."""
    return [error.message for error in VALIDATOR.iter_errors(document)]


def name(path: Path) -> str:
    return path.relative_to(ROOT).as_posix()


# The bulletins people write.


@pytest.mark.parametrize("path", ALL_TEXTS, ids=name)
def test_every_bulletin_converts_to_a_schema_valid_document(path: Path) -> None:
    document = json.loads(json_format.dumps(prayerdoc.load(path)))
    assert schema_errors(document) == []


@pytest.mark.parametrize("path", ALL_TEXTS, ids=name)
def test_text_to_json_to_model_to_json_is_the_identity(path: Path) -> None:
    bulletin = prayerdoc.load(path)
    written = json_format.dumps(bulletin)
    rebuilt = json_format.loads(written, source="x.json")
    assert rebuilt == bulletin
    assert json_format.dumps(rebuilt) == written


def test_equal_bulletins_give_identical_bytes_whatever_their_positions() -> None:
    bulletin = prayerdoc.load(EXAMPLES[1])
    moved = attrs.evolve(
        bulletin,
        position=Position(40, 2),
        sections=[attrs.evolve(s, position=Position(99, 9)) for s in bulletin.sections],
    )
    reparsed = prayerdoc.parse(("\n\n\n" + prayerdoc.format_text(bulletin)).encode("utf-8"))
    assert moved == bulletin == reparsed
    assert json_format.dumps(moved) == json_format.dumps(bulletin) == json_format.dumps(reparsed)


def test_layout_two_space_indent_literal_unicode_final_newline_fixed_key_order() -> None:
    bulletin = prayerdoc.load(EXAMPLES[1])
    written = json_format.dumps(bulletin)
    assert written.endswith("}\n")
    assert not written.endswith("\n\n")
    assert written.splitlines()[1] == '  "$schema": "urn:prayerdoc:bulletin:1",'
    assert "\\u" not in written
    document = json.loads(written)
    keys = ["$schema", "prayerdoc", "title", "date", "preamble", "epigraph", "sections"]
    assert list(document) == keys
    assert list(document["epigraph"]) == ["text", "reference"]
    assert list(document["epigraph"]["reference"]) == [
        "text",
        "book",
        "chapter",
        "verse_start",
        "verse_end",
        "chapter_end",
        "translation",
        "also",
    ]
    assert list(document["sections"][0]) == ["heading", "intro", "requests"]
    assert list(document["sections"][0]["requests"][0]) == ["text", "kind"]


def test_document_contract_on_a_real_bulletin() -> None:
    bulletin = prayerdoc.load(EXAMPLES[1])
    document = json.loads(json_format.dumps(bulletin))
    assert document["$schema"] == json_format.SCHEMA_ID == json_format.schema()["$id"]
    assert document["prayerdoc"] == json_format.FORMAT_VERSION == "1.0"
    assert document["title"] == bulletin.title
    assert document["date"] == (bulletin.date.isoformat() if bulletin.date else None)
    assert bulletin.epigraph is not None
    assert bulletin.epigraph.reference is not None
    reference = bulletin.epigraph.reference
    assert document["epigraph"]["text"] == bulletin.epigraph.text
    assert document["epigraph"]["reference"]["book"] == reference.book
    assert document["epigraph"]["reference"]["verse_start"] == reference.verse_start
    assert [s["heading"] for s in document["sections"]] == [s.heading for s in bulletin.sections]
    assert [r["text"] for s in document["sections"] for r in s["requests"]] == [
        r.text for r in bulletin.requests()
    ]
    assert [r["kind"] for s in document["sections"] for r in s["requests"]] == [
        r.kind.value for r in bulletin.requests()
    ]
    assert '"position"' not in json_format.dumps(bulletin)


def test_a_dated_bulletin_writes_an_iso_date_and_paragraphs_as_strings() -> None:
    bulletin = Bulletin(
        title="Prayer",
        date=datetime.date(2019, 4, 7),
        preamble=[Paragraph(text="First Church")],
        sections=[Section(intro=[Paragraph(text="Note.")])],
    )
    document = json.loads(json_format.dumps(bulletin))
    assert document["date"] == "2019-04-07"
    assert document["preamble"] == ["First Church"]
    assert document["sections"][0]["intro"] == ["Note."]
    assert json_format.loads(json_format.dumps(bulletin)) == bulletin


def test_public_api_reaches_the_json_format() -> None:
    bulletin = prayerdoc.load(EXAMPLES[0])
    written = prayerdoc.dumps(bulletin, "json")
    assert written == json_format.dumps(bulletin)
    assert prayerdoc.loads(written, "json") == bulletin
    assert prayerdoc.loads(written.encode("utf-8"), "json") == bulletin


# The schema itself.


def test_schema_is_a_valid_2020_12_schema_shipped_in_the_package() -> None:
    schema = json_format.schema()
    Draft202012Validator.check_schema(schema)
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    assert schema["$id"] == json_format.SCHEMA_ID
    assert schema == json.loads(PACKAGE_SCHEMA.read_text(encoding="utf-8"))
    assert schema["additionalProperties"] is False


def test_schema_kinds_are_the_model_kinds() -> None:
    kinds = json_format.schema()["$defs"]["request"]["properties"]["kind"]["enum"]
    assert kinds == [kind.value for kind in RequestKind]


# Bad documents. Each mutation breaks one thing; the loader must name its path.

Mutation = Callable[[dict[str, Any]], None]


def _set(path: tuple[str | int, ...], value: object) -> Mutation:
    def mutate(document: dict[str, Any]) -> None:
        node: Any = document
        for key in path[:-1]:
            node = node[key]
        node[path[-1]] = value

    return mutate


def _delete(path: tuple[str | int, ...]) -> Mutation:
    def mutate(document: dict[str, Any]) -> None:
        node: Any = document
        for key in path[:-1]:
            node = node[key]
        del node[path[-1]]

    return mutate


REQUEST = ("sections", 2, "requests", 0)
REFERENCE = ("epigraph", "reference")

BAD: list[tuple[str, Mutation, str, str]] = [
    ("unknown kind", _set((*REQUEST, "kind"), "prayer"), "$.sections[2].requests[0].kind", "not"),
    ("kind a number", _set((*REQUEST, "kind"), 3), "$.sections[2].requests[0].kind", "number"),
    ("impossible date", _set(("date",), "2019-02-30"), "$.date", "not a real date"),
    ("compact date", _set(("date",), "20190427"), "$.date", "YYYY-MM-DD"),
    ("week date", _set(("date",), "2019-W17-6"), "$.date", "YYYY-MM-DD"),
    ("title a number", _set(("title",), 5), "$.title", "expected a string"),
    ("unknown top key", _set(("colour",), "red"), "$.colour", "unknown key"),
    (
        "unknown deep key",
        _set((*REQUEST, "position"), {}),
        "$.sections[2].requests[0].position",
        "unknown key",
    ),
    ("missing heading", _delete(("sections", 1, "heading")), "$.sections[1].heading", "missing"),
    ("missing sections", _delete(("sections",)), "$.sections", "missing"),
    (
        "missing request text",
        _delete((*REQUEST, "text")),
        "$.sections[2].requests[0].text",
        "missing",
    ),
    (
        "chapter a boolean",
        _set((*REFERENCE, "chapter"), True),
        "$.epigraph.reference.chapter",
        "integer",
    ),
    (
        "chapter a float",
        _set((*REFERENCE, "chapter"), 6.5),
        "$.epigraph.reference.chapter",
        "integer",
    ),
    ("chapter zero", _set((*REFERENCE, "chapter"), 0), "$.epigraph.reference.chapter", "1 or more"),
    (
        "chapter a string",
        _set((*REFERENCE, "chapter"), "6"),
        "$.epigraph.reference.chapter",
        "integer",
    ),
    (
        "half a verse range",
        _set((*REFERENCE, "verse_end"), None),
        "$.epigraph.reference",
        "verse_start and verse_end",
    ),
    (
        "also a string",
        _set((*REFERENCE, "also"), "Micah 6:9"),
        "$.epigraph.reference.also",
        "array",
    ),
    (
        "also item not an object",
        _set((*REFERENCE, "also"), ["Micah 6:9"]),
        "$.epigraph.reference.also[0]",
        "object",
    ),
    ("sections an object", _set(("sections",), {}), "$.sections", "array"),
    ("empty request", _set((*REQUEST, "text"), ""), "$.sections[2].requests[0].text", "empty"),
    (
        "two-line request",
        _set((*REQUEST, "text"), "a\nb"),
        "$.sections[2].requests[0].text",
        "single line",
    ),
    (
        "padded heading",
        _set(("sections", 1, "heading"), " Asia"),
        "$.sections[1].heading",
        "white space",
    ),
    (
        "intro item a number",
        _set(("sections", 1, "intro"), [7]),
        "$.sections[1].intro[0]",
        "string",
    ),
    ("empty preamble line", _set(("preamble",), [""]), "$.preamble[0]", "empty"),
    (
        "escape in a request",
        _set((*REQUEST, "text"), "Pray \x1b[2J for Kenya."),
        "$.sections[2].requests[0].text",
        "control character U+001B",
    ),
    ("NUL in the preamble", _set(("preamble",), ["a\x00"]), "$.preamble[0]", "U+0000"),
    (
        "line separator in a heading",
        _set(("sections", 1, "heading"), "Asia\u2028Kenya"),
        "$.sections[1].heading",
        "single line",
    ),
    ("next line in the title", _set(("title",), "A\x85B"), "$.title", "single line"),
    ("preamble without title", lambda d: d.update(title=None, preamble=["Church"]), "$", "title"),
    ("empty epigraph", _set(("epigraph",), {"text": "", "reference": None}), "$.epigraph", "verse"),
    ("major version 2", _set(("prayerdoc",), "2.0"), "$.prayerdoc", "not supported"),
    ("version a number", _set(("prayerdoc",), 1.0), "$.prayerdoc", "version string"),
    ("no version", _delete(("prayerdoc",)), "$.prayerdoc", "missing"),
    ("wrong $schema", _set(("$schema",), "urn:other"), "$['$schema']", "urn:prayerdoc:bulletin:1"),
    ("no $schema", _delete(("$schema",)), "$['$schema']", "missing"),
]


def _base() -> dict[str, Any]:
    document: dict[str, Any] = json.loads(json_format.dumps(prayerdoc.load(EXAMPLES[1])))
    assert len(document["sections"]) > 2
    assert document["sections"][2]["requests"]
    return document


@pytest.mark.parametrize(
    ("mutation", "path", "fragment"), [case[1:] for case in BAD], ids=[case[0] for case in BAD]
)
def test_bad_document_names_the_json_path(mutation: Mutation, path: str, fragment: str) -> None:
    document = _base()
    mutation(document)
    text = json.dumps(document, ensure_ascii=False, indent=2)
    with pytest.raises(ParseError) as caught:
        json_format.loads(text, source="bad.json")
    error = caught.value
    assert [finding.code for finding in error.diagnostics] == ["PD111"]
    message = error.diagnostics[0].message
    assert message.startswith(f"{path}: "), message
    assert fragment in message
    assert str(error).startswith(f"bad.json:{error.line}:{error.column}: PD111 {path}: ")


@pytest.mark.parametrize(
    ("mutation", "path", "fragment"), [case[1:] for case in BAD], ids=[case[0] for case in BAD]
)
def test_the_schema_rejects_every_bad_document_the_loader_rejects(
    mutation: Mutation, path: str, fragment: str
) -> None:
    document = _base()
    mutation(document)
    assert schema_errors(document) != []


def test_a_finding_points_at_the_value_in_the_json_text() -> None:
    document = _base()
    document["sections"][2]["requests"][0]["kind"] = "prayer"
    text = json.dumps(document, ensure_ascii=False, indent=2)
    with pytest.raises(ParseError) as caught:
        json_format.loads(text)
    finding = caught.value.diagnostics[0]
    line = text.splitlines()[finding.line - 1]
    assert line[finding.column - 1 :] == '"prayer"'
    assert line.strip().startswith('"kind"')


def test_every_problem_in_a_document_is_reported_in_order() -> None:
    document = _base()
    document["title"] = 1
    document["sections"][0]["requests"][0]["kind"] = "x"
    document["sections"][1]["heading"] = ""
    with pytest.raises(ParseError) as caught:
        json_format.loads(json.dumps(document, indent=2))
    paths = [finding.message.split(": ", 1)[0] for finding in caught.value.diagnostics]
    assert paths == ["$.title", "$.sections[0].requests[0].kind", "$.sections[1].heading"]
    lines = [finding.line for finding in caught.value.diagnostics]
    assert lines == sorted(lines)


@pytest.mark.parametrize(
    "text",
    ['{"title": ', "{'title': 1}", "[1, 2,]", '{"a": 1} x', ""],
    ids=["truncated", "single quotes", "trailing comma", "extra data", "empty"],
)
def test_syntax_errors_carry_the_decoder_line_and_column(text: str) -> None:
    with pytest.raises(json.JSONDecodeError) as decoding:
        json.loads(text)
    with pytest.raises(ParseError) as caught:
        json_format.loads(text)
    (finding,) = caught.value.diagnostics
    assert finding.code == "PD111"
    assert finding.message.startswith("not valid JSON: ")
    assert (finding.line, finding.column) == (decoding.value.lineno, decoding.value.colno)


@pytest.mark.parametrize(
    ("text", "fragment"),
    [
        ("[]", "$: expected an object, not an array"),
        ('"bulletin"', "$: expected an object, not a string"),
        ('{"x": NaN}', "NaN"),
        ("[" * 50_000 + "]" * 50_000, "nests too deeply"),
    ],
    ids=["array", "string", "NaN", "deep"],
)
def test_documents_that_are_not_bulletins_at_all(text: str, fragment: str) -> None:
    with pytest.raises(ParseError) as caught:
        json_format.loads(text)
    assert caught.value.diagnostics[0].code == "PD111"
    assert fragment in caught.value.diagnostics[0].message


def test_undecodable_bytes_are_a_finding() -> None:
    with pytest.raises(ParseError) as caught:
        json_format.loads(b'{"title": "\xff"}', source="b.json")
    assert caught.value.diagnostics[0].code == "PD108"


def test_a_whole_number_written_with_a_point_is_an_integer_as_in_json_schema() -> None:
    document = _base()
    document["epigraph"]["reference"]["chapter"] = 6.0
    assert schema_errors(document) == []
    bulletin = json_format.loads(json.dumps(document))
    assert bulletin == json_format.loads(json.dumps(_base()))


def test_a_lone_surrogate_is_not_text() -> None:
    document = _base()
    document["title"] = "Prayer \ud800"
    with pytest.raises(ParseError, match=r"\$\.title: must not contain the lone surrogate U\+D800"):
        json_format.loads(json.dumps(document))


def test_bytes_with_a_byte_order_mark_load() -> None:
    written = json_format.dumps(prayerdoc.load(EXAMPLES[2]))
    assert json_format.loads(b"\xef\xbb\xbf" + written.encode("utf-8")) == json_format.loads(
        written
    )


def test_a_verse_that_does_not_exist_is_not_a_json_problem() -> None:
    document = _base()
    document["epigraph"]["reference"].update(text="Micah 60:80", chapter=60, chapter_end=60)
    document["epigraph"]["reference"].update(verse_start=80, verse_end=80)
    bulletin = json_format.loads(json.dumps(document))
    assert bulletin.epigraph is not None
    assert bulletin.epigraph.reference is not None
    assert bulletin.epigraph.reference.chapter == 60


def test_a_later_minor_version_may_add_keys_this_reader_skips() -> None:
    document = _base()
    expected = json_format.loads(json.dumps(document))
    document["prayerdoc"] = "1.7"
    document["sections"][0]["colour"] = "blue"
    assert json_format.loads(json.dumps(document)) == expected
    document["prayerdoc"] = "1.0"
    with pytest.raises(ParseError, match=r"\$\.sections\[0\]\.colour: unknown key"):
        json_format.loads(json.dumps(document))


# Generated bulletins. Those of tests/strategies.py are the ones the parser can
# produce, with hostile characters; the ones below are any tree the model allows,
# which the JSON format must carry as well.

# Any character a line of text may hold: no controls but tab, no line or paragraph separators.
_CHARACTERS = st.characters(
    codec="utf-8", exclude_categories=("Cc", "Cs", "Zl", "Zp"), include_characters="\t"
)
LINE = st.text(_CHARACTERS, min_size=1, max_size=30).map(str.strip).filter(bool)
POSITIVE = st.integers(min_value=1, max_value=2000)


@st.composite
def references(draw: st.DrawFn, depth: int = 1) -> ScriptureRef:
    verses = draw(st.none() | st.tuples(POSITIVE, POSITIVE))
    also = draw(st.lists(references(depth - 1), max_size=2)) if depth > 0 else []
    return ScriptureRef(
        text=draw(LINE),
        book=draw(LINE),
        chapter=draw(POSITIVE),
        verse_start=None if verses is None else verses[0],
        verse_end=None if verses is None else verses[1],
        chapter_end=draw(POSITIVE),
        translation=draw(st.none() | LINE),
        also=also,
    )


@st.composite
def epigraphs(draw: st.DrawFn) -> Epigraph:
    reference = draw(st.none() | references())
    text = draw(LINE) if reference is None else draw(st.just("") | LINE)
    return Epigraph(text=text, reference=reference)


PARAGRAPHS = st.builds(Paragraph, text=LINE)
REQUESTS = st.builds(Request, text=LINE, kind=st.sampled_from(RequestKind))
SECTIONS = st.builds(
    Section,
    heading=st.none() | LINE,
    intro=st.lists(PARAGRAPHS, max_size=2),
    requests=st.lists(REQUESTS, max_size=3),
)


@st.composite
def bulletins(draw: st.DrawFn) -> Bulletin:
    title = draw(st.none() | LINE)
    return Bulletin(
        title=title,
        date=draw(st.none() | st.dates()),
        epigraph=draw(st.none() | epigraphs()),
        sections=draw(st.lists(SECTIONS, max_size=3)),
        preamble=draw(st.lists(PARAGRAPHS, max_size=2)) if title is not None else [],
    )


@settings(max_examples=examples(100))
@given(bulletins())
def test_generated_bulletins_round_trip_and_validate(bulletin: Bulletin) -> None:
    written = json_format.dumps(bulletin)
    assert schema_errors(json.loads(written)) == []
    rebuilt = json_format.loads(written)
    assert rebuilt == bulletin
    assert json_format.dumps(rebuilt) == written
    assert json_format.dumps(copy.deepcopy(bulletin)) == written


TEXTS = st.text(st.characters(codec="utf-8"), max_size=8)


@settings(max_examples=examples(50))
@given(parsable_bulletins())
def test_generated_text_to_json_to_model_to_json_is_the_identity(bulletin: Bulletin) -> None:
    parsed = prayerdoc.parse(prayerdoc.format_text(bulletin))
    written = json_format.dumps(parsed)
    assert schema_errors(json.loads(written)) == []
    rebuilt = json_format.loads(written)
    assert rebuilt == parsed == bulletin
    assert json_format.dumps(rebuilt) == written


JSON_VALUES = st.recursive(
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats(allow_nan=False, allow_infinity=False)
    | TEXTS,
    lambda children: st.lists(children, max_size=3) | st.dictionaries(TEXTS, children, max_size=3),
    max_leaves=10,
)


def _replace_somewhere(document: Any, choices: list[int], value: object) -> Any:
    """``document`` with one node, picked by ``choices``, replaced by ``value``."""
    if not choices or not isinstance(document, dict | list) or not document:
        return value
    keys = list(document) if isinstance(document, dict) else list(range(len(document)))
    key = keys[choices[0] % len(keys)]
    copied = copy.copy(document)
    copied[key] = _replace_somewhere(document[key], choices[1:], value)
    return copied


@settings(max_examples=examples(150))
@given(
    choices=st.lists(st.integers(min_value=0, max_value=50), max_size=6),
    value=JSON_VALUES,
)
def test_damaged_documents_raise_parse_error_with_a_path_or_load(
    choices: list[int], value: object
) -> None:
    document = _replace_somewhere(_base(), choices, value)
    text = json.dumps(document, indent=2)
    findings: tuple[Diagnostic, ...] = ()
    try:
        bulletin = json_format.loads(text)
    except ParseError as error:
        findings = error.diagnostics
    if findings:
        assert all(finding.code == "PD111" for finding in findings)
        assert all(finding.message.startswith("$") for finding in findings)
        lines = text.count("\n") + 1
        assert all(1 <= finding.line <= lines for finding in findings)
        assert schema_errors(document) != []
    else:
        # A later 1.x version number is read, and written back as the version written here.
        assert json.loads(json_format.dumps(bulletin)) == dict(document, prayerdoc="1.0")
        assert schema_errors(document) == []


@settings(max_examples=examples(100))
@given(JSON_VALUES)
def test_any_json_value_is_a_bulletin_or_a_parse_error(value: object) -> None:
    with pytest.raises(ParseError):
        json_format.loads(json.dumps(value))


# Hostile documents: oversize numbers, deep nesting, huge strings and many
# problems end in a ParseError that points at the place, never in a traceback.


def _located(text: str) -> Diagnostic:
    """The first finding of ``prayerdoc.loads(text, "json")``, which must fail."""
    with pytest.raises(ParseError) as caught:
        prayerdoc.loads(text, "json")
    return caught.value.diagnostics[0]


def _at(text: str, needle: str) -> tuple[int, int]:
    """Line and column of the first ``needle`` in ``text``, counted by hand."""
    before = text[: text.index(needle)]
    return before.count("\n") + 1, len(before) - (before.rfind("\n") + 1) + 1


def test_a_minor_version_too_long_for_int_is_a_later_minor_version() -> None:
    document = _base()
    expected = json_format.loads(json.dumps(document))
    document["prayerdoc"] = "1." + "9" * 4301
    assert prayerdoc.loads(json.dumps(document), "json") == expected
    document["prayerdoc"] = "9" * 4301 + ".0"
    finding = _located(json.dumps(document))
    assert finding.message.startswith("$.prayerdoc: version 999")
    assert len(finding.message) < 200


@pytest.mark.parametrize(
    ("number", "fragment"),
    [
        ("1" + "0" * 4300, "a number of 4301 digits is too long to read"),
        ("-" + "7" * 5000, "a number of 5000 digits is too long to read"),
        ("NaN", "NaN is not a JSON number"),
        ("-Infinity", "-Infinity is not a JSON number"),
    ],
    ids=["4301 digits", "negative 5000 digits", "NaN", "-Infinity"],
)
def test_a_number_python_cannot_read_is_reported_where_it_stands(
    number: str, fragment: str
) -> None:
    document = _base()
    document["title"] = "x NaN 1" + "0" * 5000  # look-alikes inside a string do not count
    document["epigraph"]["reference"]["chapter"] = 987654321
    text = json.dumps(document, indent=2).replace('"chapter": 987654321', f'"chapter": {number}')
    assert number in text
    finding = _located(text)
    assert finding.message == f"not valid JSON: {fragment}"
    line, column = _at(text, f'"chapter": {number}')
    assert (finding.line, finding.column) == (line, column + len('"chapter": '))


def test_a_number_too_large_for_a_float_is_not_an_integer() -> None:
    document = _base()
    document["epigraph"]["reference"]["chapter"] = 987654321
    text = json.dumps(document).replace('"chapter": 987654321', '"chapter": 1e400')
    finding = _located(text)
    assert finding.message == "$.epigraph.reference.chapter: expected an integer, not a number"
    assert (finding.line, finding.column) == _at(text, "1e400")


def test_nesting_too_deep_points_at_the_deepest_bracket() -> None:
    text = '{"title": ' + "[" * 50_000 + "]" * 50_000 + "}"
    finding = _located(text)
    assert finding.message == "not valid JSON: it nests too deeply"
    assert (finding.line, finding.column) == (1, len('{"title": ') + 50_000)


@pytest.mark.parametrize("tail", ["]", "}", '"a": 1', '"\\q": 1', ",,", '"', "NaN", " Pray"])
def test_nesting_too_deep_is_a_finding_whatever_follows_it(tail: str) -> None:
    # The decoder gives up at the depth it cannot go past; the text after it is never read.
    text = "[" * 50_000 + "]" * 50_000 + tail
    finding = _located(text)
    assert finding.message == "not valid JSON: it nests too deeply"
    assert (finding.line, finding.column) == (1, 50_000)


def test_references_nested_too_deep_to_read_are_a_finding() -> None:
    document = _base()
    reference = document["epigraph"]["reference"]
    for _ in range(300):
        reference = {**reference, "also": [reference]}
    document["epigraph"]["reference"] = reference
    text = json.dumps(document)
    finding = _located(text)
    assert finding.code == "PD111"
    assert finding.message.startswith("$.epigraph.reference.also[0].also[0]")
    assert finding.message.endswith("nests too deeply to read")


def test_a_huge_string_is_read_and_a_huge_wrong_value_gives_a_short_message() -> None:
    document = _base()
    document["title"] = "Prayer " + "x" * 5_000_000
    assert json_format.loads(json.dumps(document)).title == document["title"]
    document["sections"][2]["requests"][0]["kind"] = "p" * 5_000_000
    finding = _located(json.dumps(document))
    assert finding.message.startswith("$.sections[2].requests[0].kind: expected one of")
    assert len(finding.message) < 200


def test_many_problems_list_the_first_hundred_each_at_its_place() -> None:
    document = _base()
    request = document["sections"][2]["requests"][0]
    document["sections"][2]["requests"] = [dict(request, kind="x")] * 20_000
    text = json.dumps(document, indent=2)
    with pytest.raises(ParseError) as caught:
        json_format.loads(text)
    *findings, more = caught.value.diagnostics
    assert len(findings) == 100
    lines = text.splitlines()
    assert all(lines[f.line - 1][f.column - 1 :] == '"x"' for f in findings)
    assert findings[-1].message == (
        "$.sections[2].requests[99].kind: expected one of 'praise', 'petition', not 'x'"
    )
    assert more.message == "19900 more problems like these are not listed"
    assert (more.line, more.column) == (findings[-1].line, findings[-1].column)


def test_an_unknown_key_of_any_shape_is_reported_where_it_stands() -> None:
    document = _base()
    document["sections"][1]["$comment"] = "mine"
    document["sections"][1]["a @ b"] = 1
    text = json.dumps(document, indent=2)
    with pytest.raises(ParseError) as caught:
        json_format.loads(text)
    found = {f.message: (f.line, f.column) for f in caught.value.diagnostics}
    assert set(found) == {
        "$.sections[1].$comment: unknown key; remove it"
        " (the JSON Schema lists every key a document may hold)",
        "$.sections[1].a @ b: unknown key; remove it"
        " (the JSON Schema lists every key a document may hold)",
    }
    places = sorted(found.values())
    assert places[0][0] == _at(text, '"$comment"')[0]
    assert places[1][0] == _at(text, '"a @ b"')[0]


def test_a_fresh_process_reads_json_before_writing_any() -> None:
    # The converter resolves the model's annotations itself, not only after a write.
    code = (
        "import prayerdoc, sys\n"
        "try:\n"
        '    prayerdoc.loads(\'{"prayerdoc": "1.0", "title": 5}\', \'json\')\n'
        "except prayerdoc.ParseError as error:\n"
        "    print('\\n'.join(finding.message for finding in error.diagnostics))\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert "$.title: expected a string, not a number" in done.stdout.splitlines()
