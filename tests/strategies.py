"""Hypothesis strategies for whole bulletins the parser can produce.

:func:`bulletins` draws model trees of every shape: with or without a title,
preamble lines, a date, an epigraph (verse only, reference only, or both), a
lead section or none, headed sections with intro paragraphs and several
requests of both kinds, and empty sections. Texts carry hostile characters
(Markdown and HTML syntax, backslashes, separators, emoji, U+00A0, curly and
straight quotes, entities) and random words from most of Unicode.

Only trees the parser can produce are drawn. Each constraint below and the
reason the parser cannot produce anything else:

- Texts are one line with no control character (U+0000-U+001F, U+007F-U+009F)
  and no format character: the parser refuses control characters, reads tabs
  as spaces and line separators as line ends, and drops a leading U+FEFF.
- No text ends with a space and ``|``: that is a table leftover, stripped.
- The title and preamble lines are not date lines (the parser would take one
  for the date) and do not start with a dash (an attribution line is found
  anywhere above the first bullet), a double quote (it would open the verse)
  or a bullet (it would end the search for the verse). They start with fixed
  header phrases, so none of this can happen.
- A title exists only with an epigraph or a date: the header is what stands
  above the verse or the date, so without either the title line is body text.
  Without an epigraph, the date must be among the first three lines, so at
  most one preamble line stands above the title. Preamble needs a title (the
  title is the last header line; the model enforces this).
- A verse without a reference must be within the first eight
  lines (six preamble lines at most with no date); at most four are drawn.
- References are written ``Book C``, ``Book C:V``, ``Book C:V-W`` (any dash,
  optional space after the colon), ``Book C:V-D:W``, ``Book C-D``, optionally
  followed by ``; Book C:V`` and a ``(NIV)``-style code, and their fields are
  computed here from those parts. Books with one chapter are not drawn: a
  bare number after them is a verse (``Jude 3`` is 1:3), which these fields
  do not model.
- Headings have the shape docs/format.md gives a heading, since any other
  short line is a paragraph, and have it by construction: a region's name
  (capitalised, and never a weekday, month, number or request opening, so that
  no heading reads as a date line or a request), then at most three words, each
  either a fixed hostile word or a capital, two to six characters and a letter,
  mark, digit or symbol. Every character that may not end a heading is
  punctuation, so no word ends in one and no ``. `` stands inside; every word
  longer than three characters starts with a capital or with no letter, so none
  is uncapitalised or a dangling ``in`` or ``the``; the words fit in 8 and the
  characters in 60.
  The last section is not empty: a heading-shaped last line of a file is a
  cut-off fragment, not a heading. Headings hold no colon: ``Region: …`` is
  an inline label, split into a heading and the text after it.
  Only the lead section has no heading, and it is never empty: it exists only
  when paragraphs stand before the first heading.
- Intro paragraphs ask for nothing (no word from ``pray``, ``prais``,
  ``thank``, ``rejoic``, ``celebrat``, ``join``, ``ask``, ``interced``: a
  paragraph that asks is a request) and end with a period (else a short one
  would be heading-shaped). They open with a statement longer than forty
  characters without a colon, so that no ``Region: …`` label splits them.
- Requests open with a known phrase whose kind is fixed by the format's rule
  (the first asking word of the first sentence decides), or with a fixed news
  sentence before the prayer (petition), or ask nothing at all (a bullet is
  always a request; its kind is petition). The opening phrase is never a
  region name, so no label splits them either.
"""

from __future__ import annotations

import datetime
import functools
import re
from typing import Any

from hypothesis import strategies as st

from prayerdoc.alphabet import KNOWN_REGIONS, MONTHS, WEEKDAYS
from prayerdoc.model import (
    Bulletin,
    Epigraph,
    Paragraph,
    Request,
    RequestKind,
    ScriptureRef,
    Section,
)

__all__ = [
    "bulletins",
    "epigraphs",
    "headings",
    "intro_texts",
    "references",
    "request_texts",
    "requests",
    "sections",
    "words",
]

HOSTILE = (
    "*",
    "Name*",
    "Ana,*",
    "Luis’s*",
    "**bold**",
    "_under_",
    "__init__",
    "#",
    "## not a heading",
    "<script>alert(1)</script>",
    "<b>",
    "[x](y)",
    "![img](a.png)",
    "\\",
    "C:\\path\\to",
    "\\*",
    ";",
    ",",
    "a;b,c",
    "1,000",
    "$5,000",
    "&amp;",
    "&",
    "HQ & Global",
    "Africa + Europe",
    "🙏",
    "👩‍👩‍👧",
    "🇰🇪",
    "a\u00a0b",
    "“curly”",
    "‘single’",
    '"straight"',
    "'",
    "’",
    "—",
    "–",
    "-",
    "…",
    "...",
    "[...]",
    "x|y",
    "|",
    "•",
    "%s",
    "{0}",
    "`code`",
    "Jeremías",
    "Ñandú",
    "April.One",
    "LORD",
    "(NIV)",
    "Titus 3:14",
    ":",
)
COMMON = (
    "the",
    "team",
    "in",
    "Kenya",
    "survivors",
    "court",
    "families",
    "this",
    "week",
    "justice",
    "Bolivia",
    "Manila",
    "for",
    "and",
    "of",
    "new",
    "rescued",
    "school",
    "police",
    "their",
    "homes",
)
# Random words: any character but controls, surrogates, private use, unassigned,
# separators and format characters (see the module docstring).
_RANDOM = st.text(
    alphabet=st.characters(
        codec="utf-8", exclude_categories=("Cc", "Cs", "Co", "Cn", "Cf", "Zs", "Zl", "Zp")
    ),
    min_size=1,
    max_size=8,
)
_LEFTOVER = re.compile(r"(?:^|\s)\|$")
# Wider than the parser's asking words, so a drawn intro can never ask.
_ASKISH = re.compile(r"pray|prais|thank|rejoic|celebrat|join|ask|interced", re.IGNORECASE)

TITLES = (
    "IJM Prayer Request",
    "IJM Prayer Requests",
    "IJM Prayer List",
    "Stand with survivors this week!",
    "Praying for Justice",
)
PREAMBLE = (
    "Grace Fellowship Church",
    "Call 555-0142 or write to prayer@example.org",
    "Seeking justice, loving mercy",
    "unnamed (4).jpg",
    "Every Tuesday our small group meets",
)
REGIONS = (
    "Latin America",
    "South Asia",
    "Southeast Asia",
    "Asia Pacific",
    "Africa & Europe",
    "Africa + Europe",
    "IJM HQ & Global Partners",
    "Central Asia",
    "Caribbean",
    "Ñuñoa",
)
# Words of a heading, each allowed anywhere in one (see the module docstring);
# U+00A0 makes two words of one.
_HEADING_WORDS = (
    "Region",
    "Office",
    "&",
    "+",
    "#",
    "*",
    "<script>",
    "[x](y)z",
    "\\",
    "🙏",
    "a\u00a0b",
    "Partners",
    "São",
    "x|y",
    "_x_",
    "&amp;x",
    "West",
)
# Inside a word, anything a line may hold but a colon (``Region: …`` is a label);
# at its end, no punctuation.
_WORD_INSIDE = st.characters(
    codec="utf-8",
    exclude_categories=("Cc", "Cs", "Co", "Cn", "Cf", "Zs", "Zl", "Zp"),
    exclude_characters=":",
)
_CAPITALISED = st.builds(
    lambda first, inside, last: first + inside + last,
    st.characters(codec="utf-8", categories=["Lu"]),
    st.text(_WORD_INSIDE, min_size=2, max_size=6),
    st.characters(codec="utf-8", categories=("L", "M", "N", "S")),
)
INTRO_OPENINGS = (
    "IJM has partner offices in Australia, Canada and the UK",
    "IJM global office is located in Washington, DC, and it",
    "Last month a court in the capital acquitted five men who",
    "Our team in the region has grown to forty staff members and",
)
PRAISE_OPENERS = (
    "Praise God for",
    "Thank God for",
    "Give thanks for",
    "Rejoice with",
    "Celebrate with us",
    "Join us in thanking God for",
    "Please join us in praising God for",
)
PETITION_OPENERS = (
    "Pray for",
    "Please pray for",
    "Pray that",
    "Ask God to",
    "Ask for",
    "Join us in praying for",
    "Let us pray for",
)
# Whole texts of table borders that are not a leftover (a border after white space is).
BORDERS = ("||", "| ||", "|||", "x||")
# Glued to a bullet glyph, a border is a table's leftover, not a bullet: text of a header line.
LEFTOVER_GLYPHS = ("•|", "•||", "◦|")
NEWS = "Last week the police made two arrests after a long investigation."
NO_ASK_OPENING = "This week our staff in the field reported that"
ENDINGS = (".", "!", "?", "", "…", ".”", ".*")

# Written book name → canonical name; no book with a single chapter.
BOOKS = (
    ("Psalm", "Psalms"),
    ("Psalms", "Psalms"),
    ("1 Samuel", "1 Samuel"),
    ("2 Samuel", "2 Samuel"),
    ("Song of Solomon", "Song of Solomon"),
    ("Micah", "Micah"),
    ("Luke", "Luke"),
    ("Isaiah", "Isaiah"),
    ("Titus", "Titus"),
    ("Job", "Job"),
    ("Matthew", "Matthew"),
    ("Proverbs", "Proverbs"),
)
_NUMBER = st.integers(min_value=1, max_value=199)
_BOOL = st.booleans()
_BOOK = st.sampled_from(BOOKS)
_DASH = st.sampled_from("-–")
_COLON = st.sampled_from((":", ": "))
_TRANSLATION = st.none() | st.sampled_from(("NIV", "ESV", "KJV", "NRSVue"))
_DATE = st.none() | st.dates()
_SHAPE = st.sampled_from(("across", "chapter", "chapters", "verse", "verses"))


def _clean(text: str) -> bool:
    return not _LEFTOVER.search(text)


@functools.cache
def words(min_size: int = 0, max_size: int = 6) -> st.SearchStrategy[str]:
    """Words joined by single spaces: ordinary, hostile and random ones."""
    word = st.one_of(st.sampled_from(COMMON), st.sampled_from(HOSTILE), _RANDOM)
    return st.lists(word, min_size=min_size, max_size=max_size).map(" ".join)


def _after(opening: str, rest: str, ending: str) -> str:
    return f"{opening} {rest}{ending}" if rest else f"{opening}{ending}"


@functools.cache
def _line(openings: tuple[str, ...], max_words: int = 6) -> st.SearchStrategy[str]:
    """A header line: a fixed opening phrase, maybe followed by words."""
    return st.builds(
        lambda opening, rest: f"{opening} {rest}" if rest else opening,
        st.sampled_from(openings),
        words(max_size=max_words),
    ).filter(_clean)


@functools.cache
def _glued(lines: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
    """Header lines, some after a table leftover glued to a bullet glyph (``•| Title``)."""
    return lines | st.builds("{} {}".format, st.sampled_from(LEFTOVER_GLYPHS), lines)


@functools.cache
def titles() -> st.SearchStrategy[str]:
    """Title lines."""
    return _glued(_line(TITLES))


@functools.cache
def preamble_lines() -> st.SearchStrategy[Paragraph]:
    """Header lines that stand above the title."""
    return _glued(_line(PREAMBLE)).map(lambda text: Paragraph(text=text))


@functools.cache
def date_lines() -> st.SearchStrategy[str]:
    """Date lines as written in a header: any form, a real weekday or none."""
    return st.builds(
        lambda date, form: form.format(
            date=date,
            month=MONTHS[date.month - 1],
            weekday=WEEKDAYS[date.weekday()],
        ),
        st.dates(min_value=datetime.date(1000, 1, 1)),
        st.sampled_from(
            (
                "{month} {date.day}, {date.year}",
                "{weekday}, {date.day} {month} {date.year}",
                "{date:%Y-%m-%d}",
                "February 30, {date.year}",
            )
        ),
    )


@functools.cache
def headings() -> st.SearchStrategy[str]:
    """Region headings, heading-shaped by construction: known or new, hostile and random words."""
    return st.sampled_from(REGIONS).flatmap(_heading_after)


@functools.cache
def _heading_after(region: str) -> st.SearchStrategy[str]:
    # 8 words at most, and a word of _HEADING_WORDS may count as two.
    room = min(3, (8 - len(region.split())) // 2)
    more = st.lists(st.sampled_from(_HEADING_WORDS) | _CAPITALISED, max_size=room)
    return more.map(lambda words: " ".join([region, *words]))


@functools.cache
def intro_texts() -> st.SearchStrategy[str]:
    """Statements that ask for nothing."""
    return st.builds(
        lambda opening, rest: _after(opening, rest, "."),
        st.sampled_from(INTRO_OPENINGS),
        words(),
    ).filter(lambda text: _ASKISH.search(text) is None)


@functools.cache
def request_texts(kind: RequestKind) -> st.SearchStrategy[str]:
    """Request texts whose kind, by the format's rule, is ``kind``."""
    return _request_texts(kind).filter(_clean)


def _request_texts(kind: RequestKind) -> st.SearchStrategy[str]:
    ending = st.sampled_from(ENDINGS)
    if kind is RequestKind.PRAISE:
        return st.builds(_after, st.sampled_from(PRAISE_OPENERS), words(), ending)
    opened = st.builds(_after, st.sampled_from(PETITION_OPENERS), words(), ending)
    news = st.builds(lambda rest, end: _after(f"{NEWS} Pray", rest, end), words(), ending)
    # A bullet that asks nothing is still a request, and a petition.
    plain = st.builds(_after, st.just(NO_ASK_OPENING), words(min_size=1), ending).filter(
        lambda text: _ASKISH.search(text) is None
    )
    # A paragraph of table borders alone ("||") is a request once requests began.
    borders = st.sampled_from(BORDERS)
    return st.one_of(opened, news, plain, borders)


@functools.cache
def requests() -> st.SearchStrategy[Request]:
    """Requests of either kind."""
    return st.one_of(
        [request_texts(kind).map(functools.partial(_request, kind=kind)) for kind in RequestKind]
    )


def _request(text: str, kind: RequestKind) -> Request:
    return Request(text=text, kind=kind)


@functools.cache
def _intro() -> st.SearchStrategy[Paragraph]:
    return intro_texts().map(lambda text: Paragraph(text=text))


@functools.cache
def _intros() -> st.SearchStrategy[list[Paragraph]]:
    return st.lists(_intro(), max_size=2)


@functools.cache
def _requests(min_size: int) -> st.SearchStrategy[list[Request]]:
    return st.lists(requests(), min_size=min_size, max_size=3)


@st.composite
def sections(draw: st.DrawFn, *, heading: bool, empty: bool) -> Section:
    """A section with a heading or without one (the lead), allowed to be empty or not."""
    title = draw(headings()) if heading else None
    intro = draw(_intros())
    asks = draw(_requests(0 if empty or intro else 1))
    return Section(heading=title, intro=intro, requests=asks)


def _passage(draw: Any) -> tuple[str, dict[str, Any]]:
    """One passage as written, and the fields it stands for."""
    written, book = draw(_BOOK)
    chapter, verse, end, chapter_end = (draw(_NUMBER) for _ in range(4))
    dash = draw(_DASH)
    colon = draw(_COLON)
    shapes = {
        "chapter": (f"{written} {chapter}", {"chapter_end": chapter}),
        "chapters": (f"{written} {chapter}{dash}{chapter_end}", {"chapter_end": chapter_end}),
        "verse": (f"{written} {chapter}{colon}{verse}", {"verse_start": verse, "verse_end": verse}),
        "verses": (
            f"{written} {chapter}{colon}{verse}{dash}{end}",
            {"verse_start": verse, "verse_end": end},
        ),
        "across": (
            f"{written} {chapter}:{verse}{dash}{chapter_end}:{end}",
            {"verse_start": verse, "verse_end": end, "chapter_end": chapter_end},
        ),
    }
    text, fields = shapes[draw(_SHAPE)]
    return text, {"book": book, "chapter": chapter, **fields}


@st.composite
def references(draw: st.DrawFn) -> ScriptureRef:
    """References of every accepted shape, with the fields computed from their parts."""
    text, fields = _passage(draw)
    also: list[ScriptureRef] = []
    if draw(_BOOL):
        more, more_fields = _passage(draw)
        also.append(ScriptureRef(text=more, **more_fields))
        text = f"{text}; {more}"
    translation = draw(_TRANSLATION)
    if translation is not None:
        text = f"{text} ({translation})"
    return ScriptureRef(text=text, translation=translation, also=also, **fields)


@functools.cache
def epigraphs() -> st.SearchStrategy[Epigraph]:
    """Epigraphs with a verse, a reference or both."""
    verse = words(min_size=1, max_size=12)
    return st.one_of(
        st.builds(lambda text, ref: Epigraph(text=text, reference=ref), verse, references()),
        verse.map(lambda text: Epigraph(text=text)),
        references().map(lambda ref: Epigraph(text="", reference=ref)),
    )


@functools.cache
def bulletins() -> st.SearchStrategy[Bulletin]:
    """Whole bulletins of every shape the parser can produce (see the module docstring).

    A bulletin has at least an epigraph, a date or a section: text with none of
    them is empty, which is an error.
    """
    return _bulletins().filter(lambda b: bool(b.epigraph or b.date or b.sections))


_EPIGRAPH = st.none() | epigraphs()
_TITLE = st.none() | titles()
_HEADED = st.integers(min_value=0, max_value=4)
_LEAD = sections(heading=False, empty=False)
_SECTIONS = {empty: sections(heading=True, empty=empty) for empty in (False, True)}


@functools.cache
def _preamble(most: int) -> st.SearchStrategy[list[Paragraph]]:
    return st.lists(preamble_lines(), max_size=most)


def _dated_header(
    draw: st.DrawFn, title: str, preamble: list[Paragraph]
) -> tuple[str, list[Paragraph]]:
    """Date lines written above the date: among the preamble, or as the title itself.

    The last date line is the date, so others are header text; the title is a
    date line only when every preamble line is one too. The header stays within
    the lines where a verse without a reference is looked for.
    """
    dates = [Paragraph(text=draw(date_lines())) for _ in range(draw(st.integers(1, 2)))]
    if draw(_BOOL):
        return title, [*preamble[: 4 - len(dates)], *dates]
    return dates[-1].text, dates[:-1]


def _repeat_label(draw: st.DrawFn, body: list[Section]) -> None:
    """A section read from an inline label repeating a heading: ``Kenya: New Team``.

    The label splits off because the bulletin has that heading on a line of its
    own; the text after it stays the new section's intro even when it is
    heading-shaped. Known region names are split before the header is read, and
    the text after them is read by its shape, so only other headings are repeated.
    """
    standalone = [
        s.heading
        for s in body
        if s.heading is not None
        and s.heading.casefold() not in KNOWN_REGIONS
        and len(s.heading) <= 40
    ]
    if not standalone:
        return
    heading = draw(st.sampled_from(standalone))
    intro = [Paragraph(text=draw(headings())), *draw(_intros())]
    lead = body[0].heading is None  # the unheaded lead section comes first
    at = draw(st.integers(min_value=int(lead), max_value=len(body)))
    last = at == len(body)
    asks = draw(_requests(1 if last and len(intro) == 1 else 0))
    body.insert(at, Section(heading=heading, intro=intro, requests=asks))


@st.composite
def _bulletins(draw: st.DrawFn) -> Bulletin:
    date: datetime.date | None = draw(_DATE)
    epigraph = draw(_EPIGRAPH)
    header = epigraph is not None or date is not None
    title = draw(_TITLE) if header else None
    most = 4 if epigraph is not None else 1
    preamble = draw(_preamble(most)) if title else []
    if title is not None and date is not None and epigraph is not None and draw(_BOOL):
        title, preamble = _dated_header(draw, title, preamble)
    body: list[Section] = []
    if draw(_BOOL):
        body.append(draw(_LEAD))
    headed = draw(_HEADED)
    for index in range(headed):
        body.append(draw(_SECTIONS[index < headed - 1]))
    if draw(_BOOL):
        _repeat_label(draw, body)
    return Bulletin(title=title, date=date, epigraph=epigraph, sections=body, preamble=preamble)
