"""Recovery, not refusal: tokens in any order give a bulletin, every word, and a placed finding.

The lexer only makes orders the grammar accepts, so these tests hand the grammar
tokens directly, in random orders: the parse never raises, every word of every
token is in the bulletin, an accepted order gives no finding, and a refused one
gives PD115 first at the line of the first token the grammar refused.
"""

from __future__ import annotations

import re
from collections import Counter

from hypothesis import example, given, settings
from hypothesis import strategies as st
from lark import Token
from lark.exceptions import UnexpectedToken

from prayerdoc._parser import _lark, parse_tokens
from prayerdoc.conservation import model_texts
from prayerdoc.dates import parse_date_line

_WORD = re.compile(r"\w+")
TEXTS = {
    "PREAMBLE": ("Grace Fellowship Church", "unnamed (4).jpg"),
    "TITLE": ("IJM Prayer Request", "Weekly News"),
    "DATE": ("April 27, 2019", "Thursday, 31 January 2013"),
    "VERSE": ("Act justly and love mercy.",),
    "ATTRIBUTION": ("Micah 6:8", "Luke 10:36-37 (NIV)"),
    "HEADING": ("Latin America", "South Asia"),
    "BULLET": ("Pray for Kenya.", "The hearing was postponed."),
    "ASK": ("Praise God for a rescue.",),
    "STATEMENT": ("IJM has partner offices in the UK.",),
}
_KINDS = st.lists(
    st.tuples(st.sampled_from(sorted(TEXTS)), st.integers(0, 1)), min_size=1, max_size=12
)


def _tokens(kinds: list[tuple[str, int]]) -> list[Token]:
    return [
        Token(kind, TEXTS[kind][pick % len(TEXTS[kind])], line=2 * number + 1, column=3)
        for number, (kind, pick) in enumerate(kinds)
    ]


def _first_refused(tokens: list[Token]) -> Token | None:
    """The first token the grammar refuses as it stands, found by feeding it token by token."""
    parser = _lark().parse_interactive()
    for token in tokens:
        try:
            parser.feed_token(token)
        except UnexpectedToken:
            return token
    try:
        parser.feed_eof(tokens[-1])  # type: ignore[no-untyped-call]
    except UnexpectedToken:
        return tokens[-1]
    return None


@settings(max_examples=500, deadline=None)
@given(_KINDS)
@example([("PREAMBLE", 0), ("DATE", 0), ("TITLE", 0), ("DATE", 1)])
def test_any_token_order_gives_a_bulletin_every_word_and_a_placed_finding(
    kinds: list[tuple[str, int]],
) -> None:
    tokens = _tokens(kinds)
    bulletin, found = parse_tokens(tokens)
    words = Counter(word for token in tokens for word in _WORD.findall(str(token)))
    kept = Counter(word for text in model_texts(bulletin) for word in _WORD.findall(text))
    if bulletin.date is not None:
        # The date is kept as a value: its words are those of the date line that gave it
        # (an earlier date line out of order is kept as a paragraph).
        dates = [str(t) for t in tokens if t.type == "DATE"]
        kept.update(_WORD.findall(next(d for d in dates if parse_date_line(d)[1] == bulletin.date)))
    assert kept == words
    refused = _first_refused(tokens)
    if refused is None:
        assert found == []
    else:
        assert found
        assert {d.code for d in found} == {"PD115"}
        assert (found[0].line, found[0].column) == (refused.line, refused.column)
        assert all(d.severity.value == "warning" for d in found)


def test_a_title_after_a_heading_is_kept_as_a_paragraph_of_that_section() -> None:
    tokens = _tokens([("HEADING", 0), ("TITLE", 1), ("ASK", 0)])
    bulletin, found = parse_tokens(tokens)
    assert bulletin.title is None
    assert bulletin.sections[0].heading == "Latin America"
    assert [p.text for p in bulletin.sections[0].intro] == ["Weekly News"]
    assert [(d.code, d.line, d.column) for d in found] == [("PD115", 3, 3)]


def test_a_header_with_no_title_is_read_again_as_paragraphs() -> None:
    tokens = _tokens([("PREAMBLE", 0), ("PREAMBLE", 1)])
    bulletin, found = parse_tokens(tokens)
    assert [p.text for p in bulletin.sections[0].intro] == [str(t) for t in tokens]
    assert [(d.code, d.line) for d in found] == [("PD115", 3)]
