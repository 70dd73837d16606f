"""A deliberately naive bulletin parser: blank-line blocks and a handful of regular expressions.

It exists only as a yardstick for :func:`prayerdoc.parse`. It reads the common
shape of a bulletin (title, optional date, quoted verse, dash and reference,
then blocks under short headings) and builds the same :class:`prayerdoc.Bulletin`,
positions included, but handles none of the variations prayerdoc is built
for: no wrapped lines without blank lines, no preamble, no inline region
labels, no diagnostics. The model classes (and their validators) are shared,
so the comparison measures how the text is read, not how the model is built.
"""

from __future__ import annotations

import datetime
import re

from prayerdoc import model

__all__ = ["NaiveParseError", "parse"]

_MONTHS = {
    name: number
    for number, name in enumerate(
        (
            "january",
            "february",
            "march",
            "april",
            "may",
            "june",
            "july",
            "august",
            "september",
            "october",
            "november",
            "december",
        ),
        start=1,
    )
}
_DATE = re.compile(r"([A-Za-z]+) (\d{1,2}), (\d{4})")
_ATTRIBUTION = re.compile(r"[—–-] *")
_REFERENCE = re.compile(r"((?:[1-3] )?[A-Z][a-z]+) (\d{1,3}): *(\d{1,3})(?:-(\d{1,3}))?")
_BULLET = re.compile(r"[•*-] +")
_ASKS = re.compile(r"\b(?:pray|prais|thank|rejoic|celebrat)\w*", re.IGNORECASE)
_PRAISE = re.compile(r"prais|thank|rejoic|celebrat", re.IGNORECASE)
_FIRST_SENTENCE = re.compile(r".*?[.!?](?=\s|$)")
_QUOTES = "“”\"'‘’"
_HEADING_END = ".,;:!?…\"“”'‘’)"
# The one book name the seeds write differently from its canonical form.
_BOOK_NAMES = {"Psalm": "Psalms"}


class NaiveParseError(ValueError):
    """The text is not in the one shape the naive parser reads."""


def _blocks(text: str) -> list[tuple[int, int, str]]:
    """(line, column, text) of each blank-line separated block, its lines joined by spaces."""
    blocks: list[tuple[int, int, str]] = []
    current: list[str] = []
    start = (0, 0)
    for number, raw in enumerate(text.split("\n"), start=1):
        line = raw.strip()
        if not line:
            if current:
                blocks.append((*start, " ".join(current)))
                current = []
            continue
        if not current:
            start = (number, len(raw) - len(raw.lstrip()) + 1)
        current.append(line)
    if current:
        blocks.append((*start, " ".join(current)))
    return blocks


def _date(text: str) -> datetime.date | None:
    match = _DATE.fullmatch(text)
    if match is None or match[1].lower() not in _MONTHS:
        return None
    return datetime.date(int(match[3]), _MONTHS[match[1].lower()], int(match[2]))


def _reference(text: str, position: model.Position) -> model.ScriptureRef:
    match = _REFERENCE.fullmatch(text)
    if match is None:
        raise NaiveParseError(f"not a reference: {text!r}")
    verse = int(match[3])
    return model.ScriptureRef(
        text=text,
        book=_BOOK_NAMES.get(match[1], match[1]),
        chapter=int(match[2]),
        verse_start=verse,
        verse_end=int(match[4]) if match[4] else verse,
        position=position,
    )


def _kind(text: str) -> model.RequestKind:
    sentence = _FIRST_SENTENCE.match(text)
    first = _ASKS.search(sentence[0] if sentence else text)
    if first is not None and _PRAISE.match(first[0]):
        return model.RequestKind.PRAISE
    return model.RequestKind.PETITION


def _is_heading(text: str) -> bool:
    return len(text) <= 60 and text[-1] not in _HEADING_END and not _ASKS.match(text)


def parse(text: str) -> model.Bulletin:
    """Parse the common bulletin shape; raise :class:`NaiveParseError` for anything else."""
    blocks = _blocks(text)
    title: str | None = None
    date: datetime.date | None = None
    index = 0
    if blocks and blocks[0][2][0] not in _QUOTES and _date(blocks[0][2]) is None:
        title = blocks[0][2]
        index = 1
    if index < len(blocks):
        date = _date(blocks[index][2])
        if date is not None:
            index += 1
    if index + 1 >= len(blocks):
        raise NaiveParseError("no verse and reference")
    verse_line, verse_column, verse = blocks[index]
    line, column, attribution = blocks[index + 1]
    dash = _ATTRIBUTION.match(attribution)
    if dash is None:
        raise NaiveParseError("no reference line after the verse")
    reference = _reference(attribution[dash.end() :], model.Position(line, column + dash.end()))
    epigraph = model.Epigraph(
        text=verse.strip(_QUOTES).strip(),
        reference=reference,
        position=model.Position(verse_line, verse_column),
    )

    sections: list[model.Section] = []
    heading: tuple[str, model.Position] | None = None
    intro: list[model.Paragraph] = []
    requests: list[model.Request] = []

    def close() -> None:
        if heading is None and not intro and not requests:
            return
        first = heading[1] if heading else (intro[0] if intro else requests[0]).position
        name = heading[0] if heading else None
        sections.append(model.Section(heading=name, intro=intro, requests=requests, position=first))

    for line, column, body in blocks[index + 2 :]:
        bullet = _BULLET.match(body)
        if bullet is None and _is_heading(body):
            close()
            heading, intro, requests = (body, model.Position(line, column)), [], []
            continue
        if bullet is not None:
            body, column = body[bullet.end() :], column + bullet.end()
        where = model.Position(line, column)
        if bullet is None and not requests and _ASKS.search(body) is None:
            intro.append(model.Paragraph(text=body, position=where))
        else:
            requests.append(model.Request(text=body, kind=_kind(body), position=where))
    close()
    return model.Bulletin(
        title=title,
        date=date,
        epigraph=epigraph,
        sections=sections,
        position=model.Position(1, 1),
    )
