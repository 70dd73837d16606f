"""Model → text → model: the canonical layout reads back as the same bulletin.

``parse(format_text(b)) == b`` for every bulletin the parser can produce (drawn by
``tests/strategies.py``, the one home of the shapes drawn) and for every bulletin of
the golden corpus. ``format_text`` is then idempotent too: formatting what it wrote
reads back ``b`` again. What any other input does is in tests/test_robustness.py.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings

import prayerdoc
from prayerdoc.model import Bulletin, RequestKind
from strategies import bulletins

VALID = Path(__file__).parent / "data" / "valid"
CORPUS = sorted(VALID.rglob("*.txt"))


@pytest.mark.parametrize("path", CORPUS, ids=lambda path: path.relative_to(VALID).as_posix())
def test_golden_bulletin_survives_the_round_trip(path: Path) -> None:
    bulletin = prayerdoc.load(path)
    text = prayerdoc.format_text(bulletin)
    assert prayerdoc.parse(text) == bulletin


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


def test_canonical_text_reads_back_as_the_same_bulletin() -> None:
    # The round trip proves something only for the shapes the strategy reaches,
    # so the examples it ran on must have reached every one of them.
    seen: set[str] = set()

    @settings(max_examples=500, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    @given(bulletins())
    def round_trip(bulletin: Bulletin) -> None:
        seen.update(name for name, test in _SHAPES.items() if test(bulletin))
        assert prayerdoc.parse(prayerdoc.format_text(bulletin)) == bulletin

    round_trip()
    assert sorted(set(_SHAPES) - seen) == []
