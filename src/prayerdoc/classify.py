"""Decisions about a line or paragraph that need its words, not its position.

These rules are shared by the parser (is this line a heading? is this
paragraph a request?) and by the checks, so that both read a bulletin alike.
"""

from __future__ import annotations

import re

from prayerdoc.alphabet import (
    ASKING_WORDS,
    DASHES,
    LINE_ENDS,
    PRAISING_WORDS,
    QUOTES,
    SENTENCE_ENDS,
    SPACES,
    TRAILERS,
)
from prayerdoc.model import RequestKind

__all__ = ["LABEL", "asks", "first_sentence", "is_heading_shaped", "request_kind"]

# The look-ahead at a first letter lets most word starts fail before the alternatives are tried.
_ASK = re.compile(
    r"\b(?=["
    + "".join(sorted({pattern[0] for pattern in ASKING_WORDS.values()}))
    + r"])(?:"
    + "|".join(ASKING_WORDS.values())
    + r")\b",
    re.IGNORECASE,
)
_PRAISE = re.compile(
    "^(?:" + "|".join(ASKING_WORDS[word] for word in PRAISING_WORDS) + ")", re.IGNORECASE
)
# A request opener is never a heading, even when short and unpunctuated ("Pray for Kenya").
_OPENER = re.compile(r"(?:please |let us |let's )?(?:" + "|".join(ASKING_WORDS) + r")\b", re.I)
_SENTENCE_END = re.compile(
    rf"[{re.escape(SENTENCE_ENDS)}](?=\s+\S|[{re.escape(TRAILERS)}]+(?:\s|$))"
)
#: A region label at the start of a block (``Kenya: Pray …``): its name, a colon and space.
LABEL = re.compile(rf"([^:]{{2,40}}):[{SPACES}]+")
_HEADING_BAD_END = frozenset(LINE_ENDS + ",;()/" + QUOTES + DASHES)

# A line ending in one of these stops mid-phrase ("The IJM team in"): a wrap, not a heading.
_DANGLING = frozenset(
    "a an and are as at be by for has her his in is its of on or our the to was".split()
)
# The kinds as constants: looking a member up on its enum class is a call of the metaclass.
_PRAISE_KIND, _PETITION_KIND = RequestKind.PRAISE, RequestKind.PETITION
HEADING_MAX_CHARS = 60
HEADING_MAX_WORDS = 8


def asks(text: str) -> bool:
    """Whether a paragraph asks for prayer, praise or thanks anywhere in it."""
    return _ASK.search(text) is not None


def first_sentence(text: str) -> str:
    """The text up to the end of its first sentence."""
    return text[: _first_sentence_end(text)]


def _first_sentence_end(text: str) -> int:
    match = _SENTENCE_END.search(text)
    return len(text) if match is None else match.end()


def request_kind(text: str) -> RequestKind:
    """``praise`` when the first sentence opens by giving praise or thanks, else ``petition``.

    The first asking word of the first sentence decides: "Pray for … and thank God"
    asks first, "Join us in thanking God" gives thanks first.
    """
    clear = 0  # no sentence ends before this: each stretch is searched once
    # Searched word by word rather than with finditer, whose iterator costs more
    # than the one search most requests need (they open with their asking word).
    while (match := _ASK.search(text, clear)) is not None:
        # A sentence end before the word stands in the text up to the word's end:
        # what follows the mark, which tells an end from an abbreviation, is there.
        if _SENTENCE_END.search(text, clear, match.end()) is not None:
            break  # past the first sentence
        clear = match.end()
        word = match.group(0)
        if word.lower().startswith("join"):
            continue  # "join us in …": the next word says in what
        return _PRAISE_KIND if _PRAISE.match(word) else _PETITION_KIND
    return _PETITION_KIND


def is_heading_shaped(text: str) -> bool:
    """A short line with no sentence punctuation at its end: the shape of a region heading."""
    if not text or len(text) > HEADING_MAX_CHARS or text[-1] in _HEADING_BAD_END:
        return False
    first = text[0]
    if not (first.isupper() or first.isdigit()):
        return False
    words = text.split()
    if len(words) > HEADING_MAX_WORDS or ". " in text or words[-1].lower() in _DANGLING:
        return False
    # Headings capitalise their words; a sentence fragment does not.
    for word in words:
        if len(word) > 3 and word[0].islower():
            return False
    return _OPENER.match(text) is None
