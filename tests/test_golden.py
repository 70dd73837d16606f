"""The golden corpus: every bulletin in ``tests/data/valid`` parses as a person reads it.

Each ``<name>.txt`` has a ``<name>.expected.json`` beside it holding the structure a
reader sees in the text (title, date, preamble, verse and reference, sections with
their intro paragraphs and requests). The expected files use a plain structure of
their own, not the library's JSON format, so that these tests do not depend on it.
``tests/data/valid/README.md`` says which variation of the format each fixture covers.
"""

from __future__ import annotations

import collections
import datetime
import json
import re
from pathlib import Path
from typing import Any

import pytest

import prayerdoc
from prayerdoc.model import Bulletin, ScriptureRef

VALID = Path(__file__).parent / "data" / "valid"
FIXTURES = sorted(VALID.rglob("*.txt"))

_WORD = re.compile(r"\w+")
_MONTHS = (
    "january february march april may june july august september october november december"
).split()
_WEEKDAYS = "monday tuesday wednesday thursday friday saturday sunday".split()


def fixture_id(path: Path) -> str:
    """A fixture's name relative to the corpus folder, for test ids."""
    return path.relative_to(VALID).as_posix()


def expected_path(path: Path) -> Path:
    """The expected-structure file that belongs to a fixture."""
    return path.with_name(path.name.removesuffix(".txt") + ".expected.json")


def _reference(ref: ScriptureRef | None) -> dict[str, Any] | None:
    if ref is None:
        return None
    return {
        "text": ref.text,
        "book": ref.book,
        "chapter": ref.chapter,
        "verse_start": ref.verse_start,
        "verse_end": ref.verse_end,
        "chapter_end": ref.chapter_end,
        "translation": ref.translation,
        "also": [_reference(passage) for passage in ref.also],
    }


def shape(bulletin: Bulletin) -> dict[str, Any]:
    """The structure a reader sees in a bulletin, as plain JSON values."""
    epigraph = bulletin.epigraph
    return {
        "title": bulletin.title,
        "date": bulletin.date.isoformat() if bulletin.date is not None else None,
        "preamble": [line.text for line in bulletin.preamble],
        "epigraph": None
        if epigraph is None
        else {"text": epigraph.text, "reference": _reference(epigraph.reference)},
        "sections": [
            {
                "heading": section.heading,
                "intro": [paragraph.text for paragraph in section.intro],
                "requests": [[request.kind.value, request.text] for request in section.requests],
            }
            for section in bulletin.sections
        ],
    }


@pytest.mark.parametrize("path", FIXTURES, ids=fixture_id)
def test_fixture_reads_as_a_person_reads_it(path: Path) -> None:
    expected = json.loads(expected_path(path).read_text(encoding="utf-8"))
    assert shape(prayerdoc.load(path)) == expected


def test_corpus_is_complete() -> None:
    # Every fixture has its expectation, every expectation its fixture, and the
    # README names every fixture with the variation it covers.
    expectations = sorted(VALID.rglob("*.expected.json"))
    assert [expected_path(path) for path in FIXTURES] == expectations
    readme = (VALID / "README.md").read_text(encoding="utf-8")
    listed = set(re.findall(r"`([\w./-]+\.txt)`", readme))
    assert listed == {fixture_id(path) for path in FIXTURES}
    assert len(list((VALID / "seeds").glob("seed-*.txt"))) == 5


def _date_words(date: datetime.date) -> set[str]:
    """Every word a date line for ``date`` may be written with."""
    month = _MONTHS[date.month - 1]
    return {
        str(date.year),
        str(date.day),
        f"{date.day:02d}",
        f"{date.month:02d}",
        month,
        month[:3],
        _WEEKDAYS[date.weekday()],
        _WEEKDAYS[date.weekday()][:3],
    }


def _source_words(text: str, date: datetime.date | None) -> collections.Counter[str]:
    words: collections.Counter[str] = collections.Counter()
    date_line_seen = False
    for line in text.splitlines():
        found = _WORD.findall(line)
        if (
            date is not None
            and not date_line_seen
            and found
            and all(word.casefold() in _date_words(date) for word in found)
        ):
            date_line_seen = True  # the date line is kept as the model's date
            continue
        words.update(found)
    return words


def _model_words(bulletin: Bulletin) -> collections.Counter[str]:
    texts: list[str] = [line.text for line in bulletin.preamble]
    if bulletin.title is not None:
        texts.append(bulletin.title)
    if bulletin.epigraph is not None:
        texts.append(bulletin.epigraph.text)
        if bulletin.epigraph.reference is not None:
            texts.append(bulletin.epigraph.reference.text)
    for section in bulletin.sections:
        if section.heading is not None:
            texts.append(section.heading)
        texts.extend(paragraph.text for paragraph in section.intro)
        texts.extend(request.text for request in section.requests)
    return collections.Counter(word for text in texts for word in _WORD.findall(text))


@pytest.mark.parametrize("path", FIXTURES, ids=fixture_id)
def test_every_word_is_kept_and_none_is_added(path: Path) -> None:
    bulletin = prayerdoc.load(path)
    source = path.read_bytes().decode("utf-8-sig")
    assert _model_words(bulletin) == _source_words(source, bulletin.date)


def test_date_line_words_are_recognised() -> None:
    # The conservation test above must not drop an ordinary line as a "date line".
    date = datetime.date(2013, 1, 31)
    assert _source_words("Thursday, 31 January 2013\nPray on 31 January", date) == (
        collections.Counter(["Pray", "on", "31", "January"])
    )
