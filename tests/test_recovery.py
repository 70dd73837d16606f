"""Recovery, not refusal: tokens in any order give a bulletin, every word, and a placed finding.

Text never makes a token the grammar cannot place (each block's last shape is
plain text), so these tests hand the grammar tokens of fixed types directly,
in random orders: the parse never raises, every word of every token is in the
bulletin, and a token the body cannot take is kept as a paragraph and
reported (PD115) at its own line.
"""

from __future__ import annotations

import datetime
import re
from collections import Counter

from hypothesis import example, given, settings
from hypothesis import strategies as st
from lark import Token

from prayerdoc._parser import parse_tokens
from prayerdoc.conservation import model_texts
from prayerdoc.dates import parse_date_line
from profiles import examples

_WORD = re.compile(r"\w+")
TEXTS = {
    "DATE": ("April 27, 2019", "Thursday, 31 January 2013"),
    "BAD_DATE": ("February 30, 2019",),
    "REFERENCE": ("— Micah 6:8", "- Luke 10:36-37 (NIV)"),
    "DASH": ("— not a reference",),
    "QUOTED": ("“Act justly and love mercy.”",),
    "OPEN_QUOTE": ("“Act justly and",),
    "RUN": ("love mercy.",),
    "RUN_CLOSE": ("love mercy.”",),
    "LINE": ("Grace Fellowship Church",),
    "HEADING": ("Latin America", "South Asia"),
    "LABEL": ("Africa",),
    "BULLET": ("Pray for Kenya.", "The hearing was postponed."),
    "ASK": ("Praise God for a rescue.",),
    "TEXT": ("IJM has partner offices in the UK.", "Grace Fellowship Church"),
}
# What the body takes: a token of any other type there is out of order.
BODY = {"HEADING", "LABEL", "BULLET", "ASK", "TEXT"}
_KINDS = st.lists(
    st.tuples(st.sampled_from(sorted(TEXTS)), st.integers(0, 1)), min_size=1, max_size=12
)


def _tokens(kinds: list[tuple[str, int]]) -> list[Token]:
    return [
        Token(kind, TEXTS[kind][pick % len(TEXTS[kind])], line=2 * number + 1, column=3)
        for number, (kind, pick) in enumerate(kinds)
    ]


@settings(max_examples=examples(250))
@given(_KINDS)
@example([("TEXT", 1), ("DATE", 0), ("TEXT", 0), ("DATE", 1)])
@example([("HEADING", 0), ("DATE", 0), ("ASK", 0)])
def test_any_token_order_gives_a_bulletin_every_word_and_a_placed_finding(
    kinds: list[tuple[str, int]],
) -> None:
    tokens = _tokens(kinds)
    bulletin, found = parse_tokens(tokens)
    words = Counter(word for token in tokens for word in _WORD.findall(str(token)))
    kept = Counter(word for text in model_texts(bulletin) for word in _WORD.findall(text))
    if bulletin.date is not None:
        # The date is kept as a value: its words are those of the date line that gave it.
        dates = [str(t) for t in tokens if t.type == "DATE"]
        kept.update(_WORD.findall(next(d for d in dates if parse_date_line(d)[1] == bulletin.date)))
    assert kept == words
    places = {(t.line, t.column): t for t in tokens}
    for finding in found:
        if finding.code == "PD115":
            assert places[(finding.line, finding.column)].type not in BODY
            assert finding.severity.value == "warning"
        else:  # what the header holds: a preamble line, a day that does not exist, a stray dash
            assert finding.code in {"PD105", "PD404", "PD201"}


def test_a_date_in_the_body_is_kept_as_a_paragraph_and_said() -> None:
    tokens = _tokens([("HEADING", 0), ("BULLET", 0), ("DATE", 1), ("ASK", 0)])
    bulletin, found = parse_tokens(tokens)
    assert (bulletin.title, bulletin.date) == (None, None)
    assert bulletin.sections[0].heading == "Latin America"
    assert [r.text for r in bulletin.sections[0].requests] == [str(t) for t in tokens[1:]]
    assert [(d.code, d.line, d.column) for d in found] == [("PD115", 5, 3)]


def test_header_lines_with_no_end_are_read_as_the_body() -> None:
    tokens = _tokens([("TEXT", 1), ("TEXT", 0)])
    bulletin, found = parse_tokens(tokens)
    assert bulletin.title is None
    assert [p.text for p in bulletin.sections[0].intro] == [str(t) for t in tokens]
    assert found == []


def test_the_header_takes_its_roles_from_the_grammar() -> None:
    tokens = _tokens([("LINE", 0), ("HEADING", 0), ("DATE", 0), ("QUOTED", 0), ("REFERENCE", 0)])
    bulletin, found = parse_tokens(tokens)
    assert [p.text for p in bulletin.preamble] == ["Grace Fellowship Church"]
    assert bulletin.title == "Latin America"
    assert bulletin.date == datetime.date(2019, 4, 27)
    assert bulletin.epigraph is not None
    assert bulletin.epigraph.text == "Act justly and love mercy."
    assert [(d.code, d.line) for d in found] == [("PD105", 1)]
