"""The model refuses what no bulletin can hold, and says so in the user's terms.

Each error names the class and field, the value given and what is allowed, is a
``TypeError`` (wrong type) or ``ValueError`` (right type, impossible value), and
never shows attrs' internals.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from typing import Any

import attrs
import pytest

import prayerdoc
from prayerdoc import Bulletin, Epigraph, Paragraph, Position, Request, ScriptureRef, Section
from prayerdoc.model import FieldError

PETITION = prayerdoc.RequestKind.PETITION


def ref(**fields: Any) -> ScriptureRef:
    return ScriptureRef(**{"text": "Micah 6:8", "book": "Micah", "chapter": 6, **fields})


CASES: list[tuple[str, Callable[[], object], type[Exception], str]] = [
    (
        "kind as a string",
        lambda: Request(text="Pray.", kind="petition"),  # type: ignore[arg-type]
        TypeError,
        "Request.kind must be a RequestKind (praise or petition), not 'petition'",
    ),
    (
        "text a number",
        lambda: Request(text=5, kind=PETITION),  # type: ignore[arg-type]
        TypeError,
        "Request.text must be a str, not 5",
    ),
    ("empty text", lambda: Paragraph(text=""), ValueError, "Paragraph.text must not be empty"),
    (
        "two lines",
        lambda: Request(text="two\nlines", kind=PETITION),
        ValueError,
        "Request.text must be a single line, not 'two\\nlines'",
    ),
    (
        "padded heading",
        lambda: Section(heading=" Asia"),
        ValueError,
        "Section.heading must not start or end with white space, not ' Asia'",
    ),
    (
        "escape character",
        lambda: Bulletin(title="Prayer \x1b[31m"),
        ValueError,
        "Bulletin.title must not contain the control character U+001B, not 'Prayer \\x1b[31m'",
    ),
    (
        "lone surrogate",
        lambda: Epigraph(text="Love \ud800"),
        ValueError,
        "Epigraph.text must not contain the lone surrogate U+D800, which is not text,"
        " not 'Love \\ud800'",
    ),
    (
        "chapter zero",
        lambda: ref(chapter=0),
        ValueError,
        "ScriptureRef.chapter must be 1 or more, not 0",
    ),
    (
        "chapter a boolean",
        lambda: ref(chapter=True),
        TypeError,
        "ScriptureRef.chapter must be an int, not True",
    ),
    (
        "verse a string",
        lambda: ref(verse_start="8", verse_end=8),
        TypeError,
        "ScriptureRef.verse_start must be an int, not '8'",
    ),
    (
        "half a verse range",
        lambda: ref(verse_start=8),
        ValueError,
        "ScriptureRef.verse_start and verse_end must both be set or both be None, not 8 and None",
    ),
    (
        "also item not a reference",
        lambda: ref(also=["Micah 7:18"]),
        TypeError,
        "ScriptureRef.also[0] must be a ScriptureRef, not 'Micah 7:18'",
    ),
    (
        "requests a string",
        lambda: Section(requests="Pray."),  # type: ignore[arg-type]
        TypeError,
        "Section.requests must be a sequence of Request, not 'Pray.'",
    ),
    (
        "requests a number",
        lambda: Section(requests=3),  # type: ignore[arg-type]
        TypeError,
        "Section.requests must be a sequence of Request, not 3",
    ),
    (
        "a paragraph where a request goes",
        lambda: Section(
            requests=[Request(text="a", kind=PETITION), Paragraph(text="b")]  # type: ignore[list-item]
        ),
        TypeError,
        "Section.requests[1] must be a Request, not Paragraph(text='b')",
    ),
    (
        "intro a list of strings",
        lambda: Section(intro=["Note."]),  # type: ignore[list-item]
        TypeError,
        "Section.intro[0] must be a Paragraph, not 'Note.'",
    ),
    (
        "epigraph a string",
        lambda: Bulletin(epigraph="Do justice."),  # type: ignore[arg-type]
        TypeError,
        "Bulletin.epigraph must be an Epigraph or None, not 'Do justice.'",
    ),
    (
        "reference a string",
        lambda: Epigraph(text="Do justice.", reference="Micah 6:8"),  # type: ignore[arg-type]
        TypeError,
        "Epigraph.reference must be a ScriptureRef or None, not 'Micah 6:8'",
    ),
    (
        "date a string",
        lambda: Bulletin(date="2019-04-27"),  # type: ignore[arg-type]
        TypeError,
        "Bulletin.date must be a datetime.date or None, not '2019-04-27'",
    ),
    (
        "date with a time",
        lambda: Bulletin(date=datetime.datetime(2019, 4, 27, 9, 30)),
        TypeError,
        "Bulletin.date must be a datetime.date or None, not datetime.datetime(2019, 4, 27, 9, 30)",
    ),
    (
        "preamble without a title",
        lambda: Bulletin(preamble=[Paragraph(text="Church")]),
        ValueError,
        "a Bulletin with preamble lines must have a title; its title is None",
    ),
    (
        "empty epigraph",
        lambda: Epigraph(text=""),
        ValueError,
        "an Epigraph needs a verse text, a reference, or both;"
        " its text is empty and its reference is None",
    ),
    (
        "position a tuple",
        lambda: Paragraph(text="a", position=(1, 1)),  # type: ignore[arg-type]
        TypeError,
        "Paragraph.position must be a Position or None, not (1, 1)",
    ),
    ("line zero", lambda: Position(0, 1), ValueError, "Position.line must be 1 or more, not 0"),
    (
        "column a float",
        lambda: Position(1, 2.0),  # type: ignore[arg-type]
        TypeError,
        "Position.column must be an int, not 2.0",
    ),
]


@pytest.mark.parametrize(
    ("build", "kind", "message"), [case[1:] for case in CASES], ids=[case[0] for case in CASES]
)
def test_each_error_names_the_field_the_value_and_what_is_allowed(
    build: Callable[[], object], kind: type[Exception], message: str
) -> None:
    with pytest.raises(kind) as caught:
        build()
    assert str(caught.value) == message
    # The other of the two types: a wrong type is not a ValueError, and the reverse.
    assert not isinstance(caught.value, ValueError if kind is TypeError else TypeError)


def test_a_huge_value_is_shown_shortened() -> None:
    with pytest.raises(TypeError) as caught:
        Request(text="Pray.", kind="x" * 1_000_000)  # type: ignore[arg-type]
    assert len(str(caught.value)) < 200
    assert str(caught.value).startswith("Request.kind must be a RequestKind (praise or petition)")


# Every record of the public surface: one added later is held to the same rules.
RECORDS = [
    record
    for record in (getattr(prayerdoc, name) for name in prayerdoc.__all__)
    if isinstance(record, type) and attrs.has(record) and record.__module__ == "prayerdoc.model"
]


def _valid(record: type) -> dict[str, Any]:
    """Fields that build a valid instance of ``record``, by name."""
    valid: dict[type, dict[str, Any]] = {
        Bulletin: {},
        Epigraph: {"text": "Do justice."},
        Paragraph: {"text": "Note."},
        Position: {"line": 1, "column": 1},
        Request: {"text": "Pray.", "kind": PETITION},
        ScriptureRef: {"text": "Micah 6:8", "book": "Micah", "chapter": 6},
        Section: {},
    }
    return valid[record]


@pytest.mark.parametrize(
    ("record", "field"),
    [(record, field.name) for record in RECORDS for field in attrs.fields(record)],
    ids=lambda value: value if isinstance(value, str) else value.__name__,
)
def test_every_field_refuses_a_value_of_no_type_it_takes(record: type, field: str) -> None:
    class Stranger:
        def __repr__(self) -> str:
            return "<stranger>"

    with pytest.raises(TypeError) as caught:
        record(**{**_valid(record), field: Stranger()})
    assert isinstance(caught.value, FieldError)
    assert caught.value.field == field
    assert str(caught.value).startswith(f"{record.__name__}.{field} must be ")
    assert str(caught.value).endswith("not <stranger>")
    assert "Attribute(" not in str(caught.value)


# The text format's own judgement is the oracle: what `check` reports as a
# control character (PD107) or reads as a line break, no text field may hold.
NOT_TEXT = ["\x00", "\x1b", "\x7f", "\x85", "\x9b", "\u2028", "\u2029", "\x0b", "\x0c"]


@pytest.mark.parametrize("char", NOT_TEXT, ids=lambda char: f"U+{ord(char):04X}")
def test_text_the_text_format_refuses_is_refused_by_every_text_field(char: str) -> None:
    text = f"Pray{char}for Kenya."
    bulletin = f"Prayer\n\n“Do justice.”\n\n— Micah 6:8\n\nKenya\n\n• {text}\n"
    codes = {finding.code for finding in prayerdoc.check(bulletin)}
    parsed = prayerdoc.parse(bulletin) if "PD107" not in codes else None
    assert "PD107" in codes or (parsed is not None and text not in str(parsed))
    for record in RECORDS:
        for field in attrs.fields(record):
            if field.type in ("str", "str | None"):
                with pytest.raises(ValueError, match=f"^{record.__name__}.{field.name} must"):
                    record(**{**_valid(record), field.name: text})


def test_tab_is_text() -> None:
    assert Request(text="Pray\tfor Kenya.", kind=PETITION).text == "Pray\tfor Kenya."
