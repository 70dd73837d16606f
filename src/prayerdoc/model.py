"""The typed document model of a prayer bulletin.

Every class is frozen and compares by content: the source position each node
carries is kept for diagnostics but takes no part in equality, so a bulletin
parsed from a file equals the same bulletin rebuilt from JSON.
"""

from __future__ import annotations

import datetime
import enum
import re
import reprlib
from collections.abc import Callable, Iterable
from typing import Any

import attrs

from prayerdoc.alphabet import CONTROL_CHARACTER, LINE_BREAKS, printable

__all__ = [
    "Bulletin",
    "Epigraph",
    "FieldError",
    "FieldTypeError",
    "FieldValueError",
    "Paragraph",
    "Position",
    "Request",
    "RequestKind",
    "ScriptureRef",
    "Section",
]


# Every line break and control character is unprintable: compiled when a field is not printable.
_NOT_IN_A_LINE = f"[{LINE_BREAKS}]|{CONTROL_CHARACTER}"
_SHOWN = reprlib.Repr()
_SHOWN.maxstring = _SHOWN.maxother = 60


class FieldError(Exception):
    """A model class was given a field value it cannot hold.

    Raised as :class:`FieldTypeError` (a ``TypeError``) or :class:`FieldValueError`
    (a ``ValueError``). ``str()`` names the class, the field and what is wrong
    (``Request.kind must be a RequestKind (praise or petition), not 'petition'``);
    ``field`` is the field's name and ``problem`` the message without it.
    """

    def __init__(self, record: str, field: str, problem: str, item: int | None = None) -> None:
        where = field if item is None else f"{field}[{item}]"
        super().__init__(f"{record}.{where} {problem}")
        self.record = record
        self.field = field
        self.problem = problem if item is None else f"[{item}] {problem}"


class FieldTypeError(FieldError, TypeError):
    """A field was given a value of the wrong type."""


class FieldValueError(FieldError, ValueError):
    """A field was given a value of the right type that it cannot hold."""


def shown(value: object) -> str:
    """``value`` for a message: its repr, shortened so that a huge value stays readable."""
    return _SHOWN.repr(value)


def _not_in_a_line(char: str) -> str:
    if char in LINE_BREAKS:
        return "must be a single line"
    if "\ud800" <= char <= "\udfff":
        return f"must not contain the lone surrogate U+{ord(char):04X}, which is not text"
    return f"must not contain the control character U+{ord(char):04X}"


def _a(name: str) -> str:
    return f"an {name}" if name[0] in "AEIOU" else f"a {name}"


def _fail(
    kind: type[FieldError],
    instance: object,
    attribute: attrs.Attribute[Any],
    problem: str,
    item: int | None = None,
) -> FieldError:
    return kind(type(instance).__name__, attribute.name, problem, item)


def _count(instance: object, attribute: attrs.Attribute[int], value: object) -> None:
    """Chapters, verses, lines and columns: whole numbers from 1."""
    if type(value) is int and value >= 1:
        return  # the common case, decided first: every node's position has two
    if isinstance(value, bool) or not isinstance(value, int):
        raise _fail(FieldTypeError, instance, attribute, f"must be an int, not {shown(value)}")
    if value < 1:
        raise _fail(FieldValueError, instance, attribute, f"must be 1 or more, not {value}")


@attrs.frozen
class Position:
    """Where a node starts in its source text; line and column count from 1."""

    line: int = attrs.field(validator=_count)
    column: int = attrs.field(validator=_count)

    def __str__(self) -> str:
        return f"{self.line}:{self.column}"


def _position() -> Any:
    # Positions describe one rendering of a bulletin, not its content.
    return attrs.field(
        default=None, eq=False, hash=False, repr=False, validator=_optional(Position)
    )


def _line(instance: object, attribute: attrs.Attribute[str], value: object) -> None:
    """Text fields hold one trimmed line of text: the text format has no way to write more."""
    if not isinstance(value, str):
        raise _fail(FieldTypeError, instance, attribute, f"must be a str, not {shown(value)}")
    found = None if printable(value) else re.search(_NOT_IN_A_LINE, value)
    if found is not None:
        problem = f"{_not_in_a_line(found.group())}, not {shown(value)}"
        raise _fail(FieldValueError, instance, attribute, problem)
    if value != value.strip():
        problem = f"must not start or end with white space, not {shown(value)}"
        raise _fail(FieldValueError, instance, attribute, problem)


def _nonempty_line(instance: object, attribute: attrs.Attribute[str], value: object) -> None:
    _line(instance, attribute, value)
    if not value:
        raise _fail(FieldValueError, instance, attribute, "must not be empty")


def _optional_line(instance: object, attribute: attrs.Attribute[str], value: object) -> None:
    if value is not None:
        _nonempty_line(instance, attribute, value)


def _optional_count(instance: object, attribute: attrs.Attribute[int], value: object) -> None:
    if value is not None:
        _count(instance, attribute, value)


def _optional(cls: type) -> Callable[[object, attrs.Attribute[Any], object], None]:
    """A validator: an instance of ``cls``, or None."""

    def check(instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
        if value is not None and not isinstance(value, cls):
            problem = f"must be {_a(cls.__name__)} or None, not {shown(value)}"
            raise _fail(FieldTypeError, instance, attribute, problem)

    return check


def _tuple(items: Iterable[Any]) -> Any:
    if type(items) is list or type(items) is tuple:
        return tuple(items)  # what the parser and the readers pass: no ABC check needed
    # A string is iterable but never a sequence of records: leave it for the validator.
    return (
        items if isinstance(items, str | bytes) or not isinstance(items, Iterable) else tuple(items)
    )


def _sequence_of(cls: type) -> Callable[[object, attrs.Attribute[Any], object], None]:
    """A validator: a tuple (the converter made it from any iterable) of ``cls`` instances."""

    def check(instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
        if not isinstance(value, tuple):
            problem = f"must be a sequence of {cls.__name__}, not {shown(value)}"
            raise _fail(FieldTypeError, instance, attribute, problem)
        for index, item in enumerate(value):
            if not isinstance(item, cls):
                problem = f"must be {_a(cls.__name__)}, not {shown(item)}"
                raise _fail(FieldTypeError, instance, attribute, problem, index)

    return check


def _refs(items: Iterable[ScriptureRef]) -> tuple[ScriptureRef, ...]:
    return _tuple(items)  # type: ignore[no-any-return]


def _paragraphs(items: Iterable[Paragraph]) -> tuple[Paragraph, ...]:
    return _tuple(items)  # type: ignore[no-any-return]


def _requests(items: Iterable[Request]) -> tuple[Request, ...]:
    return _tuple(items)  # type: ignore[no-any-return]


def _sections(items: Iterable[Section]) -> tuple[Section, ...]:
    return _tuple(items)  # type: ignore[no-any-return]


def _date(instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
    # A datetime is a date too, but its time would be lost in every format.
    if value is not None and (
        isinstance(value, datetime.datetime) or not isinstance(value, datetime.date)
    ):
        problem = f"must be a datetime.date or None, not {shown(value)}"
        raise _fail(FieldTypeError, instance, attribute, problem)


def _kind(instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
    if not isinstance(value, RequestKind):
        choices = " or ".join(kind.value for kind in RequestKind)
        problem = f"must be a RequestKind ({choices}), not {shown(value)}"
        raise _fail(FieldTypeError, instance, attribute, problem)


class RequestKind(enum.Enum):
    """What a request opens with: giving thanks, or asking."""

    PRAISE = "praise"
    PETITION = "petition"


@attrs.frozen(kw_only=True)
class ScriptureRef:
    """A Bible reference such as ``Psalm 119:153-154``.

    ``text`` is the reference as written; ``book`` is the canonical book name
    (``Psalm`` → ``Psalms``) or, for a book prayerdoc does not know, the name as
    written. ``verse_start`` and ``verse_end`` are None for a chapter-only
    reference and equal for a single verse. ``chapter_end`` differs from
    ``chapter`` only for a passage that crosses chapters (``John 3:16-4:2``).
    Further passages after a ``;`` are in ``also``.
    """

    text: str = attrs.field(validator=_nonempty_line)
    book: str = attrs.field(validator=_nonempty_line)
    chapter: int = attrs.field(validator=_count)
    verse_start: int | None = attrs.field(default=None, validator=_optional_count)
    verse_end: int | None = attrs.field(default=None, validator=_optional_count)
    chapter_end: int = attrs.field(
        default=attrs.Factory(lambda self: self.chapter, takes_self=True), validator=_count
    )
    translation: str | None = attrs.field(default=None, validator=_optional_line)
    also: tuple[ScriptureRef, ...] = attrs.field(default=(), converter=_refs)
    position: Position | None = _position()

    @also.validator
    def _check_also(self, attribute: attrs.Attribute[Any], value: object) -> None:
        _sequence_of(ScriptureRef)(self, attribute, value)

    def __attrs_post_init__(self) -> None:
        if (self.verse_start is None) != (self.verse_end is None):
            raise ValueError(
                "ScriptureRef.verse_start and verse_end must both be set or both be None,"
                f" not {self.verse_start!r} and {self.verse_end!r}"
            )


@attrs.frozen(kw_only=True)
class Epigraph:
    """The quoted verse at the top of a bulletin.

    ``text`` has no outer quotation marks; quotes inside the verse are kept.
    ``reference`` is None when the attribution line is missing.
    """

    text: str = attrs.field(validator=_line)
    reference: ScriptureRef | None = attrs.field(default=None, validator=_optional(ScriptureRef))
    position: Position | None = _position()

    def __attrs_post_init__(self) -> None:
        if self.reference is None and not self.text:
            raise ValueError(
                "an Epigraph needs a verse text, a reference, or both;"
                " its text is empty and its reference is None"
            )


@attrs.frozen(kw_only=True)
class Paragraph:
    """A paragraph that is not a request: an intro statement or a preamble line."""

    text: str = attrs.field(validator=_nonempty_line)
    position: Position | None = _position()


@attrs.frozen(kw_only=True)
class Request:
    """One prayer request: its text (wrapped lines joined by one space) and kind."""

    text: str = attrs.field(validator=_nonempty_line)
    kind: RequestKind = attrs.field(validator=_kind)
    position: Position | None = _position()


@attrs.frozen(kw_only=True)
class Section:
    """Requests under one region heading; ``heading`` is None for the lead section."""

    heading: str | None = attrs.field(default=None, validator=_optional_line)
    intro: tuple[Paragraph, ...] = attrs.field(
        default=(), converter=_paragraphs, validator=_sequence_of(Paragraph)
    )
    requests: tuple[Request, ...] = attrs.field(
        default=(), converter=_requests, validator=_sequence_of(Request)
    )
    position: Position | None = _position()


@attrs.frozen(kw_only=True)
class Bulletin:
    """A whole prayer bulletin.

    ``preamble`` keeps the header lines that stand before the title (a church's
    name, an image file name, a blog post's own text), so that no word is lost.
    """

    title: str | None = attrs.field(default=None, validator=_optional_line)
    date: datetime.date | None = attrs.field(default=None, validator=_date)
    epigraph: Epigraph | None = attrs.field(default=None, validator=_optional(Epigraph))
    sections: tuple[Section, ...] = attrs.field(
        default=(), converter=_sections, validator=_sequence_of(Section)
    )
    preamble: tuple[Paragraph, ...] = attrs.field(
        default=(), converter=_paragraphs, validator=_sequence_of(Paragraph)
    )
    position: Position | None = _position()

    def __attrs_post_init__(self) -> None:
        # The title is the last header line, so text before it only exists with a title.
        if self.preamble and self.title is None:
            raise ValueError("a Bulletin with preamble lines must have a title; its title is None")

    def requests(self) -> tuple[Request, ...]:
        """Every request of every section, in order."""
        return tuple(request for section in self.sections for request in section.requests)
