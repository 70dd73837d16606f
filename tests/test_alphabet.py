"""One alphabet: the parser, the checks and the writers agree on every character class.

Each class of :mod:`prayerdoc.alphabet` is tried character by character through
the public entry points, so that a glyph the parser takes as a bullet is a
bullet to the checks too, a quotation mark the parser strips from a verse is
one PD301 looks at, and so on.
"""

from __future__ import annotations

import datetime

import pytest

import prayerdoc
from prayerdoc.alphabet import (
    ASCII_BULLETS,
    ASKING_WORDS,
    BULLETS,
    DASHES,
    DOUBLE_QUOTES,
    KNOWN_REGIONS,
    MONTHS,
    PRAISING_WORDS,
    SENTENCE_ENDS,
    SINGLE_QUOTES,
)
from prayerdoc.classify import asks, is_heading_shaped, request_kind
from prayerdoc.conservation import missing_words
from prayerdoc.model import RequestKind

HEAD = "“Verse.”\n\n— Micah 6:8\n\n"


def _codes(text: str) -> list[tuple[str, int]]:
    return [(d.code, d.line) for d in prayerdoc.check(text)]


@pytest.mark.parametrize("glyph", list(BULLETS + ASCII_BULLETS))
def test_a_bullet_to_the_parser_is_a_bullet_to_the_checks(glyph: str) -> None:
    bulletin = prayerdoc.parse(f"{HEAD}Pray for Kenya\n{glyph} Read more.\n")
    requests = [request.text for request in bulletin.requests()]
    assert requests == ["Pray for Kenya", "Read more."]
    # PD401 counts a link's text at the start of a sentence, and a bullet starts one.
    assert ("PD401", 6) in _codes(f"{HEAD}Pray for Kenya\n{glyph} Read more.\n")
    # A quotation never runs into the next bullet: the quote on line 5 is unclosed there.
    assert ("PD301", 5) in _codes(f"{HEAD}“Pray for Kenya\n{glyph} Pray.”\n")


@pytest.mark.parametrize("glyph", list(BULLETS))
def test_a_glyph_glued_to_a_table_border_is_no_bullet_anywhere(glyph: str) -> None:
    text = f"{HEAD}Pray for x.\n\n{glyph}| Read more.\n"
    assert [r.text for r in prayerdoc.parse(text).requests()][-1] == f"{glyph}| Read more."
    assert ("PD401", 7) not in _codes(text)


@pytest.mark.parametrize("dash", list(DASHES))
def test_every_dash_opens_a_reference_line_and_joins_a_range(dash: str) -> None:
    bulletin = prayerdoc.parse(f"“Verse.”\n\n{dash} Luke 10:36{dash}37\n\nPray for x.\n")
    assert bulletin.epigraph is not None
    assert bulletin.epigraph.reference is not None
    reference = bulletin.epigraph.reference
    assert (reference.verse_start, reference.verse_end) == (36, 37)
    assert not is_heading_shaped(f"Latin America {dash}")


def _verse_between(mark: str) -> str | None:
    """The verse read from "Act justly." between two of ``mark``, above a reference."""
    bulletin = prayerdoc.parse(f"{mark}Act justly.{mark}\n\n— Micah 6:8\n\nPray for x.\n")
    return None if bulletin.epigraph is None else bulletin.epigraph.text


@pytest.mark.parametrize("mark", list(DOUBLE_QUOTES))
def test_every_double_quote_opens_a_verse_and_is_checked(mark: str) -> None:
    assert _verse_between(mark) == "Act justly."
    assert any(code == "PD301" for code, _ in _codes(f"{HEAD}Pray {mark}for x.\n"))
    assert not is_heading_shaped(f"Latin America{mark}")


@pytest.mark.parametrize("mark", list(SINGLE_QUOTES))
def test_every_single_quote_is_a_quotation_mark_to_parser_and_checks(mark: str) -> None:
    assert _verse_between(mark) == "Act justly."
    # PD301 looks at the mark: it closes the open single quote or is reported itself.
    unclosed = _codes(f"{HEAD}“Pray ‘for x.”\n")
    assert ("PD301", 5) in unclosed
    assert _codes(f"{HEAD}“Pray ‘for {mark} x.”\n") != unclosed


@pytest.mark.parametrize("end", list(SENTENCE_ENDS))
def test_every_sentence_end_ends_a_sentence_for_parser_and_checks(end: str) -> None:
    # The first sentence decides a request's kind: here it asks, the second praises.
    assert request_kind(f"Pray for Kenya{end} Praise God.") is RequestKind.PETITION
    assert ("PD302", 5) in _codes(f"{HEAD}Pray for Kenya{end}Praise God.\n")
    assert not is_heading_shaped(f"Latin America{end}")


@pytest.mark.parametrize("word", list(ASKING_WORDS))
def test_every_asking_word_asks_and_opens_no_heading(word: str) -> None:
    opening = word.capitalize() + (" God" if word == "ask" else "")
    assert asks(f"{opening} for Kenya")
    assert not is_heading_shaped(f"{opening} Kenya")
    kind = RequestKind.PRAISE if word in PRAISING_WORDS else RequestKind.PETITION
    assert request_kind(f"{opening} for Kenya.") is kind


@pytest.mark.parametrize("month", MONTHS)
def test_every_month_reads_as_a_date_whole_or_shortened(month: str) -> None:
    number = MONTHS.index(month) + 1
    for written in (month, month[:3]):
        text = f"IJM Prayer Request\n\n{written} 7, 2019 |\n\n{HEAD}Pray for x.\n"
        bulletin = prayerdoc.parse(text)
        assert bulletin.date == datetime.date(2019, number, 7)
        # The no-word-lost gate finds the date where the parser found it.
        assert missing_words(text, bulletin) == []


@pytest.mark.parametrize("region", sorted(KNOWN_REGIONS))
def test_every_known_region_opens_a_section_inline(region: str) -> None:
    bulletin = prayerdoc.parse(f"{HEAD}{region.title()}: Pray for x.\n\nPray for y.\n")
    assert bulletin.sections[0].heading is not None
    assert bulletin.sections[0].heading.casefold() == region
