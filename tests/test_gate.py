"""The no-word-lost gate: one gate, and every reading of bulletin text goes through it.

A parse step that drops text is injected, and the library (``parse``, ``loads``,
``load``, ``check``, the Markdown reader) and the commands (``convert``,
``fmt``) must each report the lost words as PD199 at their place, never return
or write a bulletin without them.
"""

from __future__ import annotations

import re
from pathlib import Path

import attrs
import pytest

import prayerdoc
from prayerdoc import conservation
from prayerdoc._parser import Parsed, parse_text
from prayerdoc.cli import main

TEXT = """\
Prayer Points

\u201cRejoice always.\u201d
\u2014 1 Thessalonians 5:16

Kenya
\u2022 Pray for the pastors in Nairobi.
\u2022 Pray for rain in Turkana.
"""
# The words of the last request, where the second of each stands (line, column):
# the gate reports a word written twice but kept once at its second place.
LOST = [("Pray", 8, 3), ("for", 8, 8), ("rain", 8, 12), ("in", 8, 17), ("Turkana", 8, 20)]


@pytest.fixture
def lossy(monkeypatch: pytest.MonkeyPatch) -> None:
    """A parser that drops the last request of every bulletin it builds."""

    def dropping(text: str) -> Parsed:
        parsed = parse_text(text)
        if parsed.bulletin is None:
            return parsed
        *kept, last = parsed.bulletin.sections
        shortened = attrs.evolve(last, requests=last.requests[:-1])
        bulletin = attrs.evolve(parsed.bulletin, sections=(*kept, shortened))
        return Parsed(bulletin, parsed.diagnostics)

    monkeypatch.setattr(conservation, "parse_text", dropping)


def _places(error: prayerdoc.ParseError) -> list[tuple[str, int, int]]:
    found = []
    for diagnostic in error.diagnostics:
        assert diagnostic.code == "PD199"
        word = re.search(r"the word '(\w+)' would be lost", diagnostic.message)
        assert word is not None
        found.append((word[1], diagnostic.line, diagnostic.column))
    return found


def test_the_text_parses_whole_without_the_lossy_step() -> None:
    assert prayerdoc.parse(TEXT).sections[0].requests[-1].text == "Pray for rain in Turkana."


@pytest.mark.usefixtures("lossy")
def test_parse_reports_each_lost_word_at_its_place() -> None:
    with pytest.raises(prayerdoc.ParseError) as raised:
        prayerdoc.parse(TEXT, source="week.txt")
    assert _places(raised.value) == LOST
    assert str(raised.value).startswith("week.txt:8:3: PD199 ")


@pytest.mark.usefixtures("lossy")
def test_loads_and_load_report_it_too(tmp_path: Path) -> None:
    with pytest.raises(prayerdoc.ParseError) as raised:
        prayerdoc.loads(TEXT, "text")
    assert _places(raised.value) == LOST
    path = tmp_path / "week.txt"
    path.write_text(TEXT, encoding="utf-8")
    with pytest.raises(prayerdoc.ParseError) as raised:
        prayerdoc.load(path)
    assert _places(raised.value) == LOST
    assert raised.value.source == str(path)


@pytest.mark.usefixtures("lossy")
def test_a_page_read_as_markdown_reports_it_in_the_page() -> None:
    page = "# Prayer Points\n\n" + TEXT.split("\n\n", 1)[1]
    with pytest.raises(prayerdoc.ParseError) as raised:
        prayerdoc.loads(page, "markdown")
    assert [word for word, _, _ in _places(raised.value)] == [word for word, _, _ in LOST]
    assert {line for _, line, _ in _places(raised.value)} == {8}


@pytest.mark.usefixtures("lossy")
def test_check_reports_it_as_errors() -> None:
    found = prayerdoc.check(TEXT)
    assert [(d.code, d.line, d.column) for d in found] == [
        ("PD199", line, column) for _, line, column in LOST
    ]


@pytest.mark.usefixtures("lossy")
def test_convert_and_fmt_write_nothing(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "week.txt"
    path.write_text(TEXT, encoding="utf-8")
    target = tmp_path / "week.json"
    assert main(["convert", str(path), "-o", str(target)]) == 1
    assert not target.exists()
    assert f"{path}:8:20: PD199 " in capsys.readouterr().err
    assert main(["fmt", str(path)]) == 1
    assert path.read_text(encoding="utf-8") == TEXT
    assert f"{path}:8:20: PD199 " in capsys.readouterr().err


def _without_last_word(bulletin: prayerdoc.Bulletin) -> prayerdoc.Bulletin | None:
    """The bulletin with the last word of its last request cut out, or None if it has none."""
    sections = list(bulletin.sections)
    for index in reversed(range(len(sections))):
        requests = list(sections[index].requests)
        words = list(re.finditer(r"\w+", requests[-1].text)) if requests else []
        if len(words) > 1:
            text, last = requests[-1].text, words[-1]
            cut = (text[: last.start()] + text[last.end() :]).strip()
            requests[-1] = attrs.evolve(requests[-1], text=cut)
            sections[index] = attrs.evolve(sections[index], requests=requests)
            return attrs.evolve(bulletin, sections=sections)
    return None


def test_the_quick_comparison_never_passes_a_lost_word() -> None:
    # The gate decides the usual case by finding the model's pieces in the text; it
    # must agree with counting the words on every example and fixture, whole or cut.
    root = Path(__file__).resolve().parent.parent
    paths = sorted((root / "examples" / "bulletins").glob("*.txt"))
    paths += sorted((root / "tests" / "data" / "valid").glob("*.txt"))
    cut = 0
    for path in paths:
        text = prayerdoc.source.normalise(path.read_text(encoding="utf-8"))
        bulletin = prayerdoc.parse(text)
        assert conservation.missing_words(text, bulletin) == []
        shorter = _without_last_word(bulletin)
        if shorter is not None:
            cut += 1
            assert conservation.missing_words(text, shorter), path
    assert cut >= 20


def test_what_stands_between_pieces_holds_no_word_character() -> None:
    # What makes the quick comparison sound: what it skips around pieces holds no word.
    assert not re.search(r"\w", conservation._BLANK)


def test_bulletin_text_is_parsed_only_behind_the_gate() -> None:
    # One home for the gate: a new reader calling the parser directly would bypass it.
    import ast

    allowed = {
        "conservation.py",  # the gate itself
        "pipeline.py",  # written text read back, compared with the whole bulletin
        "_markup.py",  # only to learn whether the message's date stands in
    }
    package = Path(prayerdoc.__file__).parent
    callers = set()
    for path in package.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call) and getattr(node.func, "id", None) == "parse_text":
                callers.add(path.name)
    assert "conservation.py" in callers
    assert callers <= allowed
