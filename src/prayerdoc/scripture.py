"""Bible references: book names, chapter sizes, parsing and checking.

:func:`parse_reference` reads the reference written after the dash of an
attribution line (``— Micah 6:8 (NIV)``) and tells by its shape alone whether
the text is one; :func:`problems` then says what is wrong with a well-shaped
reference, such as a chapter the book does not have. Chapter and verse numbers
follow the King James Version.
"""

from __future__ import annotations

import functools
import re
from typing import Any, NamedTuple

from prayerdoc._bible import ALIASES, VERSES
from prayerdoc.alphabet import CONTROL_CHARACTER, DASHES, printable
from prayerdoc.model import Position, ScriptureRef

__all__ = [
    "BOOKS",
    "canonical_book",
    "chapter_count",
    "is_reference",
    "parse_reference",
    "problems",
    "verse_count",
]

#: The 66 books of the Protestant canon, by canonical name, in canonical order.
BOOKS: tuple[str, ...] = tuple(VERSES)

# "1", "1st", "I" and "First" all number a book the same way.
_NUMBER_WORDS = {"i": "1", "ii": "2", "iii": "3", "first": "1", "second": "2", "third": "3"}
_LEADING_NUMBER = re.compile(r"([1-3])(?:st|nd|rd)?\s*(?=[^\W\d_])|(iii|ii|i|first|second|third)\s")


def _key(name: str) -> str:
    """The lookup form of a book name: case-folded, one space between words, no final period."""
    key = " ".join(name.casefold().split()).removesuffix(".").rstrip()
    number = _LEADING_NUMBER.match(key)
    if number is None:
        return key
    digit = number[1] or _NUMBER_WORDS[number[2]]
    return f"{digit} {key[number.end() :].lstrip()}"


def _index() -> dict[str, str]:
    index: dict[str, str] = {}
    for book in BOOKS:
        number = book.partition(" ")[0]
        prefix = f"{number} " if number.isdigit() else ""
        index[_key(book)] = book
        for alias in ALIASES.get(book, ()):
            index[_key(prefix + alias)] = book
    return index


_INDEX = _index()
_SUGGESTIONS = {book.casefold(): book for book in BOOKS}


@functools.lru_cache(maxsize=256)  # a bulletin's verse names a book; the same few recur
def canonical_book(name: str) -> str | None:
    """The canonical name of a book written as ``name``, or None for an unknown name.

    Full names, common abbreviations and numbered forms are recognised, ignoring
    case, a final period and extra spaces: ``Ps``, ``Psalm``, ``I Sam.``,
    ``1st Samuel``, ``First Samuel``, ``1Sam``, ``Song of Songs``, ``Revelations``.
    """
    return _INDEX.get(_key(name))


def chapter_count(book: str) -> int | None:
    """How many chapters the book with canonical name ``book`` has; None for any other name."""
    verses = VERSES.get(book)
    return None if verses is None else len(verses)


def verse_count(book: str, chapter: int) -> int | None:
    """How many verses ``chapter`` of canonical ``book`` has; None if there is no such chapter."""
    verses = VERSES.get(book)
    if verses is None or not 1 <= chapter <= len(verses):
        return None
    return verses[chapter - 1]


_DASHES = re.escape(DASHES)
_NUM = "[0-9]{1,3}"
# Up to four words, so that a sentence ending in a number is not taken for a
# book and chapter; each word matches without overlap, keeping matching linear.
_BOOK = r"(?:[1-4](?:st|nd|rd|th)?\s*)?[^\W\d_]+\.?(?:\s+[^\W\d_]+\.?){0,3}"
_PASSAGE = re.compile(
    rf"(?:(?P<book>{_BOOK})\s*)?"
    rf"(?P<chapter>{_NUM})(?:\s*:\s*(?P<verse>{_NUM}))?"
    rf"(?:\s*[{_DASHES}]\s*(?:(?P<chapter_end>{_NUM})\s*:\s*)?(?P<end>{_NUM}))?"
)
_TRANSLATION = re.compile(r"[A-Za-z][A-Za-z0-9]{1,11}")
_NUMBER_PREFIX = re.compile(r"[1-4](?:st|nd|rd|th)?\s*")
_SMALL_WORDS = frozenset({"of", "the"})
# A list of passages longer than any attribution is prose, and bounds the work.
_MAX_PASSAGES = 50


def _unknown_book(written: str) -> str | None:
    """``written`` as a book name prayerdoc does not know, or None if it cannot be one.

    Capitalised words are required so that ordinary words before a number are
    not taken for a book.
    """
    number = _NUMBER_PREFIX.match(written)
    words = written[number.end() if number else 0 :].split()
    if all(word[0].isupper() or word.casefold() in _SMALL_WORDS for word in words):
        return " ".join(written.split())
    return None


def parse_reference(text: str, position: Position | None = None) -> ScriptureRef | None:
    """Parse a Bible reference such as ``Luke 10:36-37``, or return None if ``text`` is not one.

    Only the shape is judged here, so ``Titus 4:1`` and ``Hezekiah 3:1`` parse
    (use :func:`problems` to check them) while ``Psalm 23 is great`` does not.
    The accepted shapes are::

        Psalm 23                 a whole chapter
        Psalms 120-134           whole chapters
        Titus 3:14               one verse
        Isaiah 51: 14-15         verses; spaces are allowed, and any dash
        John 3:16-4:2            a passage across chapters
        Jude 24-25               verses of a one-chapter book (Jude 1:24-25)
        Micah 6:8; 7:18          further passages; after ";" a number is a chapter
        Micah 6:8, 10            after "," a number is a verse of the same chapter
        Micah 6:8; Isaiah 1:17   a further passage may name its book
        Micah 6:8 (NIV)          a translation, only in parentheses at the very end

    The first passage must name its book; later ones without a book carry on
    the book before them and go in ``also``, each with its own text as written.
    After ``,`` a bare number is a verse only when the passage before names
    verses; otherwise, as after ``;``, it is a chapter. A translation is a
    short code of letters and digits; it is set on the returned reference, not
    on the ``also`` passages, and ``Micah 6:8 NIV`` is not a reference.

    A book prayerdoc does not know is kept as written if each of its words is
    capitalised (``of`` and ``the`` apart). A chapter or verse of 0, a verse
    with a letter (``6:8a``) and a list of more than 50 passages are not
    references. ``position`` is where ``text`` starts; it is moved past leading
    white space, and each ``also`` passage gets its own.
    """
    read = _read(text)
    if read is None:
        return None
    stripped, translation, passages = read

    def place(offset: int) -> Position | None:
        return None if position is None else Position(position.line, position.column + offset)

    (_, fields, first), *rest = passages
    also = [ScriptureRef(text=text, position=place(at), **more) for text, more, at in rest]
    return ScriptureRef(
        text=stripped, translation=translation, also=also, position=place(first), **fields
    )


# A reference line is read by the block rules, then by the lexer, then by the
# builder, one after another: the last few readings are kept for the next.
@functools.lru_cache(maxsize=4)
def _read(text: str) -> tuple[str, str | None, tuple[tuple[str, dict[str, Any], int], ...]] | None:
    """``text`` as a reference: as written, its translation, and each passage as written,
    with its fields and where it starts in ``text``; None when it is not a reference."""
    stripped = text.strip()
    if len(stripped.splitlines()) != 1:
        return None
    if not printable(stripped) and re.search(CONTROL_CHARACTER, stripped):
        return None  # no field of the model holds one
    body, translation = stripped, None
    if body.endswith(")"):
        opening = body.rfind("(")
        if opening < 0 or not _TRANSLATION.fullmatch(body, opening + 1, len(body) - 1):
            return None
        body, translation = body[:opening].rstrip(), body[opening + 1 : -1]

    if body.count(";") + body.count(",") >= _MAX_PASSAGES:
        return None

    start = len(text) - len(text.lstrip())
    passages: list[tuple[str, dict[str, Any], int]] = []
    offset, separator = 0, ""
    for piece in re.split("([;,])", body) if ";" in body or "," in body else (body,):
        if piece in (";", ","):
            separator = piece
            offset += 1
            continue
        written = piece.strip()
        at = start + offset + len(piece) - len(piece.lstrip())
        offset += len(piece)
        fields = _passage(written, separator, passages[-1][1] if passages else None)
        if fields is None:
            return None
        passages.append((written, fields, at))
    return stripped, translation, tuple(passages)


def is_reference(text: str) -> bool:
    """Whether ``text`` is a Bible reference, as :func:`parse_reference` reads one."""
    return _read(text) is not None


def _passage(
    written: str, separator: str, previous: dict[str, Any] | None
) -> dict[str, Any] | None:
    """The fields of one passage between separators, read in the light of the one before."""
    match = _PASSAGE.fullmatch(written)
    if match is None:
        return None
    chapter = int(match["chapter"])
    verse, chapter_end, end = (
        None if match[name] is None else int(match[name])
        for name in ("verse", "chapter_end", "end")
    )
    if 0 in (chapter, verse, chapter_end, end) or (verse is None and chapter_end is not None):
        return None

    if match["book"] is not None:
        book = canonical_book(match["book"]) or _unknown_book(match["book"])
        if book is None:
            return None
    elif previous is None:
        return None
    else:
        book = previous["book"]
        if verse is None and separator == "," and previous["verse_start"] is not None:
            # "Micah 6:8, 10": more verses of the chapter just named.
            chapter, verse, end = previous["chapter_end"], chapter, end

    if verse is None and chapter_count(book) == 1:
        # One-chapter books are cited by verse alone: "Jude 24-25".
        chapter, verse = 1, chapter
    if verse is None:
        chapter_end = end or chapter
    else:
        chapter_end = chapter_end or chapter
        end = end or verse
    return {
        "book": book,
        "chapter": chapter,
        "verse_start": verse,
        "verse_end": end if verse is not None else None,
        "chapter_end": chapter_end,
    }


def _describe(ref: ScriptureRef) -> str:
    """A passage written out in full, for messages: ``Luke 10:37-36``."""
    if ref.verse_start is None:
        chapters = f"{ref.chapter}-{ref.chapter_end}" if ref.chapter_end != ref.chapter else ""
        return f"{ref.book} {chapters or ref.chapter}"
    start = f"{ref.book} {ref.chapter}:{ref.verse_start}"
    if ref.chapter_end != ref.chapter:
        return f"{start}-{ref.chapter_end}:{ref.verse_end}"
    return start if ref.verse_end == ref.verse_start else f"{start}-{ref.verse_end}"


class Problem(NamedTuple):
    """One thing wrong with a reference: its kind and a sentence saying how to fix it.

    ``kind`` is one of ``unknown-book``, ``no-such-chapter``, ``no-such-verse``
    and ``reversed-passage`` (the names of the matching check rules).
    """

    kind: str
    message: str


def problems(ref: ScriptureRef) -> list[Problem]:
    """What is wrong with ``ref`` and its ``also`` passages; empty when fine.

    Reports a book prayerdoc does not know (suggesting the closest name), a
    chapter or verse the book does not have, and a passage that ends before it
    starts.
    """
    found: list[Problem] = []
    unknown: set[str] = set()
    for passage in (ref, *ref.also):
        if passage.book not in VERSES:
            if passage.book not in unknown:
                unknown.add(passage.book)
                found.append(Problem("unknown-book", _unknown_message(passage.book)))
        else:
            found.extend(_range_problems(passage))
        start = (passage.chapter, passage.verse_start or 0)
        if (passage.chapter_end, passage.verse_end or 0) < start:
            unit = "chapter" if passage.chapter_end != passage.chapter else "verse"
            found.append(
                Problem(
                    "reversed-passage",
                    f"The passage {_describe(passage)} ends before it starts;"
                    f" put the lower {unit} number first.",
                )
            )
    return list(dict.fromkeys(found))


def _unknown_message(book: str) -> str:
    # Imported here: most runs never meet an unknown book, and start-up time counts.
    import difflib

    close = difflib.get_close_matches(book.casefold(), _SUGGESTIONS, n=1)
    if close:
        return f'"{book}" is not a book of the Bible; did you mean "{_SUGGESTIONS[close[0]]}"?'
    return f'"{book}" is not a book of the Bible; write a book name such as "Psalms" or "John".'


def _range_problems(passage: ScriptureRef) -> list[Problem]:
    found = []
    book = passage.book
    for chapter, verse in (
        (passage.chapter, passage.verse_start),
        (passage.chapter_end, passage.verse_end),
    ):
        verses = verse_count(book, chapter)
        if verses is None:
            chapters = chapter_count(book)
            plural = "" if chapters == 1 else "s"
            found.append(
                Problem(
                    "no-such-chapter",
                    f"{book} has {chapters} chapter{plural}, so there is no {book} {chapter};"
                    " check the chapter number.",
                )
            )
        elif verse is not None and verse > verses:
            found.append(
                Problem(
                    "no-such-verse",
                    f"{book} {chapter} has {verses} verses,"
                    f" so there is no {book} {chapter}:{verse}; check the verse number.",
                )
            )
    return found
