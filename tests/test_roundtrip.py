"""Model → text → model: the canonical layout reads back as the same bulletin.

``parse(format_text(b)) == b`` for every bulletin the parser can produce (drawn by
``tests/strategies.py``, the one home of the shapes drawn). ``format_text`` is then
idempotent too: formatting what it wrote reads back ``b`` again. The bulletins read
from the golden corpus, the examples and any other input are held to the same
equality by ``assert_behaves`` in tests/test_robustness.py.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest
from hypothesis import given, settings

import prayerdoc
from prayerdoc.conservation import missing_words
from prayerdoc.dates import parse_date_line
from prayerdoc.model import Bulletin, RequestKind
from profiles import examples
from strategies import BORDERS, REGIONS, bulletins

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
    "date line above the title": lambda b: any(
        parse_date_line(line.text)[0] for line in b.preamble
    ),
    "date line as the title": lambda b: b.title is not None and parse_date_line(b.title)[0],
    "table leftover glued to a glyph above the title": lambda b: any(
        text.startswith("•|") for text in [b.title or "", *(line.text for line in b.preamble)]
    ),
    # A second section under a heading of the bulletin, its intro a drawn heading.
    "label repeating a heading": lambda b: any(
        s.heading
        and s.intro
        and s.intro[0].text.startswith(REGIONS)
        and [t.heading for t in b.sections].count(s.heading) > 1
        for s in b.sections
    ),
    "request of table borders": lambda b: any(r.text in BORDERS for r in b.requests()),
    "hostile request": lambda b: any(
        any(c in r.text for c in "*_#<[\\;“’\u00a0") for r in b.requests()
    ),
}


def test_canonical_text_reads_back_as_the_same_bulletin() -> None:
    # The round trip proves something only for the shapes the strategy reaches,
    # so the examples it ran on must have reached every one of them.
    seen: set[str] = set()

    @settings(max_examples=examples(500))
    @given(bulletins())
    def round_trip(bulletin: Bulletin) -> None:
        seen.update(name for name, test in _SHAPES.items() if test(bulletin))
        assert prayerdoc.parse(prayerdoc.format_text(bulletin)) == bulletin

    round_trip()
    assert sorted(set(_SHAPES) - seen) == []


_VERSE = "“Verse.”\n\n— Micah 6:8\n\n"


@pytest.mark.parametrize(
    "text",
    [
        # A date line written twice above the title, or another date above it.
        f"April 27, 2019\n\nApril 27, 2019\n\nIJM Prayer Request\n\n{_VERSE}Pray for x.\n",
        f"Monday, 1 April 2019\n\nApril 27, 2019\n\nIJM Prayer Request\n\n{_VERSE}Pray for x.\n",
        "April 27, 2019\nApril 27, 2019\nIJM Prayer Request\n“Verse.”\n— Micah 6:8\nPray.\n",
        f"February 30, 2019\n\nApril 26, 2019\n\nApril 27, 2019\n\n{_VERSE}Pray for x.\n",
        # A table leftover glued to a bullet glyph above the title, wrapped into it.
        "•|\nIJM Prayer Request\n\n“Verse.”\n\nIn the field.\n\n— Micah 6:8\n\nPray.\n\nA\nb.\n",
        f"Church\n•|\nIJM Prayer Request\n\n{_VERSE}Pray for x.\n\nMore text\nwrapped here.\n",
        f"◦||\n\nIJM Prayer Request\n\n{_VERSE}  • Pray.\n",
        # A label repeating one of the bulletin's own headings.
        f"{_VERSE}Kenya\n\nPray for y.\n\nKenya: New Team\n\nPray for x.\n",
        f"{_VERSE}Kenya\n\nKenya: New Team\n\nPray for x.\n",
        f"{_VERSE}Kenya\n\nPray.\n\nLatin America: Kenya: New Team\n\nPray for x.\n",
        f"{_VERSE}Kenya\n\nPray.\n\nKenya: New Team\n",
        # A label over a date-shaped last line, which alone would be a title and a date.
        "AFRICA: APRIL 1 0001\n",
        "Asia: May 2, 2021\n",
        "Narnia\n\nNarnia: April 1, 2019\n",
        "Narnia\n\nPray.\n\nNarnia: April 1, 2019\n",
        # A label over a block a header could claim, in a bulletin with no verse:
        # alone, the heading and the block would read as a title and its verse,
        # reference or date.
        "AFRICA: “0“",
        "Kenya\n\nPray.\n\nAfrica: “Act justly.”\n",
        "Asia: — Micah 6:8\n\nPray for x.\n",
        "Latin America: “Act justly and\n\nPray for x.\n",
        "Asia: April 2, 2021\n\nPray for x.\n",
        # After a label, "- " and a reference is no bullet, as on a line of its own.
        "•.\nLATIN AMERICA\n- A1",
        "Kenya\n\nPray.\n\nAfrica: - Micah 6:8\n",
        # A name too short to be read as a label stays on a line of its own.
        "0\n0\n0",
        # A paragraph of table borders only.
        f"{_VERSE}Pray for x.\n\n||\n",
        f"{_VERSE}Pray for x.\n\n| ||\n\n|||\n",
    ],
)
def test_canonical_text_of_a_hostile_shape_reads_back_the_same(text: str) -> None:
    bulletin = prayerdoc.parse(text)
    canonical = prayerdoc.format_text(bulletin)
    assert prayerdoc.parse(canonical) == bulletin
    assert prayerdoc.format_text(prayerdoc.parse(canonical)) == canonical
    # fmt keeps working: the canonical text holds every word of the input.
    assert missing_words(text, prayerdoc.parse(canonical)) == []
