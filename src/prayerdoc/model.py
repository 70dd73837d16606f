"""The typed document model of a prayer bulletin.

Every class is frozen and compares by content: the source position each node
carries is kept for diagnostics but takes no part in equality, so a bulletin
parsed from a file equals the same bulletin rebuilt from JSON.
"""

from __future__ import annotations

import datetime
import enum
from collections.abc import Iterable
from typing import Any

import attrs

__all__ = [
    "Bulletin",
    "Epigraph",
    "Paragraph",
    "Position",
    "Request",
    "RequestKind",
    "ScriptureRef",
    "Section",
]


@attrs.frozen
class Position:
    """Where a node starts in its source text; line and column count from 1."""

    line: int
    column: int

    def __str__(self) -> str:
        return f"{self.line}:{self.column}"


def _position() -> Any:
    # Positions describe one rendering of a bulletin, not its content.
    return attrs.field(default=None, eq=False, hash=False, repr=False)


def _one_line(instance: object, attribute: attrs.Attribute[str], value: str) -> None:
    """Text fields hold one trimmed line: the text format has no way to write more."""
    if not isinstance(value, str):
        raise TypeError(f"{attribute.name} must be a string, not {type(value).__name__}")
    if "\n" in value or "\r" in value:
        raise ValueError(f"{attribute.name} must be a single line: {value!r}")
    if value != value.strip():
        raise ValueError(f"{attribute.name} must not start or end with white space: {value!r}")


def _one_line_nonempty(instance: object, attribute: attrs.Attribute[str], value: str) -> None:
    _one_line(instance, attribute, value)
    if not value:
        raise ValueError(f"{attribute.name} must not be empty")


def _optional_line(instance: object, attribute: attrs.Attribute[str], value: str | None) -> None:
    if value is not None:
        _one_line_nonempty(instance, attribute, value)


def _refs(items: Iterable[ScriptureRef]) -> tuple[ScriptureRef, ...]:
    return tuple(items)


def _paragraphs(items: Iterable[Paragraph]) -> tuple[Paragraph, ...]:
    return tuple(items)


def _requests(items: Iterable[Request]) -> tuple[Request, ...]:
    return tuple(items)


def _sections(items: Iterable[Section]) -> tuple[Section, ...]:
    return tuple(items)


def _positive(instance: object, attribute: attrs.Attribute[int], value: int | None) -> None:
    if value is None:
        return
    if isinstance(value, bool) or not isinstance(value, int):
        raise TypeError(f"{attribute.name} must be an integer")
    if value < 1:
        raise ValueError(f"{attribute.name} must be 1 or more, not {value}")


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

    text: str = attrs.field(validator=_one_line_nonempty)
    book: str = attrs.field(validator=_one_line_nonempty)
    chapter: int = attrs.field(validator=_positive)
    verse_start: int | None = attrs.field(default=None, validator=_positive)
    verse_end: int | None = attrs.field(default=None, validator=_positive)
    chapter_end: int = attrs.field(
        default=attrs.Factory(lambda self: self.chapter, takes_self=True), validator=_positive
    )
    translation: str | None = attrs.field(default=None, validator=_optional_line)
    also: tuple[ScriptureRef, ...] = attrs.field(default=(), converter=_refs)
    position: Position | None = _position()

    @verse_end.validator
    def _check_verses(self, attribute: attrs.Attribute[int | None], value: int | None) -> None:
        if (self.verse_start is None) != (value is None):
            raise ValueError("verse_start and verse_end are both set or both None")


@attrs.frozen(kw_only=True)
class Epigraph:
    """The quoted verse at the top of a bulletin.

    ``text`` has no outer quotation marks; quotes inside the verse are kept.
    ``reference`` is None when the attribution line is missing.
    """

    text: str = attrs.field(validator=_one_line)
    reference: ScriptureRef | None = attrs.field(default=None)
    position: Position | None = _position()

    @reference.validator
    def _check_reference(
        self, attribute: attrs.Attribute[ScriptureRef | None], value: object
    ) -> None:
        if value is None and not self.text:
            raise ValueError("an epigraph needs a verse text, a reference, or both")


@attrs.frozen(kw_only=True)
class Paragraph:
    """A paragraph that is not a request: an intro statement or a preamble line."""

    text: str = attrs.field(validator=_one_line_nonempty)
    position: Position | None = _position()


@attrs.frozen(kw_only=True)
class Request:
    """One prayer request: its text (wrapped lines joined by one space) and kind."""

    text: str = attrs.field(validator=_one_line_nonempty)
    kind: RequestKind = attrs.field(validator=attrs.validators.instance_of(RequestKind))
    position: Position | None = _position()


@attrs.frozen(kw_only=True)
class Section:
    """Requests under one region heading; ``heading`` is None for the lead section."""

    heading: str | None = attrs.field(default=None, validator=_optional_line)
    intro: tuple[Paragraph, ...] = attrs.field(default=(), converter=_paragraphs)
    requests: tuple[Request, ...] = attrs.field(default=(), converter=_requests)
    position: Position | None = _position()


@attrs.frozen(kw_only=True)
class Bulletin:
    """A whole prayer bulletin.

    ``preamble`` keeps the header lines that stand before the title (a church's
    name, an image file name, a blog post's own text), so that no word is lost.
    """

    title: str | None = attrs.field(default=None, validator=_optional_line)
    date: datetime.date | None = attrs.field(
        default=None,
        validator=attrs.validators.optional(attrs.validators.instance_of(datetime.date)),
    )
    epigraph: Epigraph | None = None
    sections: tuple[Section, ...] = attrs.field(default=(), converter=_sections)
    preamble: tuple[Paragraph, ...] = attrs.field(default=(), converter=_paragraphs)
    position: Position | None = _position()

    @preamble.validator
    def _check_preamble(
        self, attribute: attrs.Attribute[tuple[Paragraph, ...]], value: object
    ) -> None:
        # The title is the last header line, so text before it only exists with a title.
        if value and self.title is None:
            raise ValueError("a bulletin with preamble lines must have a title")

    def requests(self) -> tuple[Request, ...]:
        """Every request of every section, in order."""
        return tuple(request for section in self.sections for request in section.requests)
