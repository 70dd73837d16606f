"""Text → model → text: the canonical layout reads back unchanged, and nothing crashes the parser.

``parse(format_text(b)) == b`` for every bulletin the parser can produce (drawn by
``tests/strategies.py``, and every bulletin of the golden corpus), ``format_text`` is
idempotent, and for any input at all ``parse`` returns a bulletin or raises
``ParseError``.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from hypothesis import HealthCheck, Phase, example, given, settings
from hypothesis import strategies as st

import prayerdoc
from prayerdoc.model import Bulletin, RequestKind
from strategies import bulletins

VALID = Path(__file__).parent / "data" / "valid"
CORPUS = sorted(VALID.rglob("*.txt"))

# Generated trees are large; the round trip is what is under test, not generation speed.
_TREES = settings(max_examples=500, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@_TREES
@given(bulletins())
def test_canonical_text_reads_back_as_the_same_bulletin(bulletin: Bulletin) -> None:
    text = prayerdoc.format_text(bulletin)
    assert prayerdoc.parse(text) == bulletin


@_TREES
@given(bulletins())
def test_format_text_is_idempotent(bulletin: Bulletin) -> None:
    text = prayerdoc.format_text(bulletin)
    assert prayerdoc.format_text(prayerdoc.parse(text)) == text


@pytest.mark.parametrize("path", CORPUS, ids=lambda path: path.relative_to(VALID).as_posix())
def test_golden_bulletin_survives_the_round_trip(path: Path) -> None:
    bulletin = prayerdoc.load(path)
    text = prayerdoc.format_text(bulletin)
    assert prayerdoc.parse(text) == bulletin
    assert prayerdoc.format_text(prayerdoc.parse(text)) == text


def _parse_or_refuse(data: str | bytes) -> None:
    error: prayerdoc.ParseError | None = None
    try:
        result = prayerdoc.parse(data)
    except prayerdoc.ParseError as raised:
        error = raised
    if error is None:
        assert isinstance(result, Bulletin)
    else:
        # A refusal names the place: "<string>:line:col: CODE message".
        assert error.diagnostics
        assert str(error).startswith(f"<string>:{error.line}:{error.column}: ")


# Inputs built from the format's own pieces reach deeper than uniform text.
_PIECES = st.sampled_from(
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
_STRUCTURED = st.lists(_PIECES | st.text(max_size=20), max_size=30).map("\n".join)


@settings(max_examples=500, deadline=None)
@given(st.text() | _STRUCTURED)
@example("")
@example("\ufeff")
@example("— Titus 3:14")
@example("Latin America")
@example("  • ")
def test_any_text_parses_or_is_refused(text: str) -> None:
    _parse_or_refuse(text)


@settings(max_examples=500, deadline=None)
@given(st.binary() | _STRUCTURED.map(lambda text: text.encode("utf-8", "surrogatepass")))
@example(b"\xff\xfe")
@example(b"\xef\xbb\xbf")
@example(b"\xc3")
def test_any_bytes_parse_or_are_refused(data: bytes) -> None:
    _parse_or_refuse(data)


_SHAPES: dict[str, Callable[[Bulletin], bool]] = {
    "no title": lambda b: b.title is None and b.epigraph is not None,
    "title and preamble": lambda b: len(b.preamble) >= 2,
    "date": lambda b: b.date is not None and b.title is not None,
    "date without epigraph": lambda b: b.date is not None and b.epigraph is None,
    "verse only": lambda b: b.epigraph is not None and b.epigraph.reference is None,
    "reference only": lambda b: b.epigraph is not None and not b.epigraph.text,
    "verse and reference": lambda b: bool(b.epigraph and b.epigraph.text and b.epigraph.reference),
    "several passages and a translation": lambda b: bool(
        b.epigraph
        and b.epigraph.reference
        and b.epigraph.reference.also
        and b.epigraph.reference.translation
    ),
    "chapter-only reference": lambda b: bool(
        b.epigraph and b.epigraph.reference and b.epigraph.reference.verse_start is None
    ),
    "no lead section": lambda b: len(b.sections) >= 2 and b.sections[0].heading is not None,
    "lead section with intro": lambda b: bool(
        b.sections and b.sections[0].heading is None and b.sections[0].intro
    ),
    "empty section before another": lambda b: any(
        not (s.intro or s.requests) for s in b.sections[:-1]
    ),
    "intro then several requests": lambda b: any(
        s.intro and len(s.requests) >= 2 for s in b.sections
    ),
    "both kinds": lambda b: {r.kind for r in b.requests()} == set(RequestKind),
    "hostile heading": lambda b: any(
        s.heading and any(c in s.heading for c in "*#<\\&+\u00a0") for s in b.sections
    ),
    "hostile request": lambda b: any(
        any(c in r.text for c in "*_#<[\\;“’\u00a0") for r in b.requests()
    ),
}


def test_strategy_draws_every_shape() -> None:
    # The round trip above only proves something for shapes the strategy reaches.
    seen: set[str] = set()

    @settings(max_examples=400, database=None, phases=[Phase.generate], deadline=None)
    @given(bulletins())
    def record(bulletin: Bulletin) -> None:
        seen.update(name for name, test in _SHAPES.items() if test(bulletin))

    record()
    assert sorted(set(_SHAPES) - seen) == []
