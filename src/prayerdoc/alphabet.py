"""Every character class and word list of the bulletin format, defined once.

The parser, the checks, the no-word-lost gate and the writers all read these,
so that they cannot disagree about what a bullet, a dash or a quotation mark
is. Strings are sets of characters; tuples are word lists.
"""

from __future__ import annotations

import re

__all__ = [
    "ASCII_BULLETS",
    "ASKING_WORDS",
    "BULLETS",
    "CLOSING_QUOTES",
    "CONTROL_CHARACTER",
    "DASHES",
    "DOUBLE_QUOTES",
    "KNOWN_REGIONS",
    "LINE_BREAKS",
    "LINE_ENDS",
    "MONTHS",
    "OPENING_QUOTES",
    "PRAISING_WORDS",
    "QUOTES",
    "QUOTE_PAIRS",
    "SENTENCE_ENDS",
    "SINGLE_QUOTES",
    "SPACES",
    "STRAIGHT_QUOTES",
    "TABLE_BORDER",
    "TRAILERS",
    "WEEKDAYS",
    "bullet_end",
    "printable",
    "strip_table_leftover",
]

#: Characters the text format refuses anywhere (PD107) and no text field of the
#: model may hold: C0 and C1 controls except tab and the line ends, DEL, and lone
#: surrogates (valid in a Python string and in a JSON escape, but not text).
#: The text of a regular expression, compiled by ``re`` where it is first searched
#: for: a class holding the 2,048 surrogates is among the dearest patterns to
#: compile, and text that :func:`printable` passes has none of them.
CONTROL_CHARACTER = r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff]"
#: Everything ``str.splitlines()`` breaks on: no field of the model, which holds
#: one line, may hold one of these.
LINE_BREAKS = "\n\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029"

#: White space inside a line: the space and the non-breaking space of the seeds.
SPACES = " \u00a0"

#: Dashes: before a verse's reference (``— Micah 6:8``) and inside a range
#: (``Luke 10:36–37``). Hyphen-minus, hyphen, non-breaking hyphen, figure dash,
#: en dash, em dash, horizontal bar.
DASHES = "-\u2010\u2011\u2012\u2013\u2014\u2015"

#: Bullet glyphs that open a request. ``-`` and ``*`` are bullets too, but only
#: when a space follows them (``-5`` and ``*Name`` are text).
BULLETS = "•◦▪‣·"
ASCII_BULLETS = "-*"
# A glyph glued to a table border ("•|") is what is left of a table, not a bullet.
_BULLET = re.compile(
    rf"(?:[{re.escape(BULLETS)}](?!\|)|[{re.escape(ASCII_BULLETS)}](?=[{SPACES}]))[{SPACES}]*"
)

#: Quotation marks and the mark that closes each. German „…“ and guillemets
#: appear in reposts; straight marks close themselves.
QUOTE_PAIRS = {
    "“": "”",
    "„": "“",
    "«": "»",
    '"': '"',
    "‘": "’",
    "‚": "‘",
    "‹": "›",
    "'": "'",
}
#: Curly marks by their shape: drawn to open, drawn to close; straight ones do either.
OPENING_QUOTES = "“„«‘‚‹"
CLOSING_QUOTES = "”»’›"
STRAIGHT_QUOTES = "\"'"
QUOTES = OPENING_QUOTES + CLOSING_QUOTES + STRAIGHT_QUOTES
DOUBLE_QUOTES = '“„«”»"'
SINGLE_QUOTES = "‘‚‹’›'"

#: Marks that end a sentence.
SENTENCE_ENDS = ".!?…"
#: A line ending in one of these has said what it had to; in a copy without
#: blank lines the next line starts a new block. A colon introduces a list.
LINE_ENDS = SENTENCE_ENDS + ":"
#: What may stand between a sentence end and the next sentence: closing
#: quotation marks and brackets (``… mercy.” Pray``).
TRAILERS = CLOSING_QUOTES + STRAIGHT_QUOTES + ")]"

#: A table's cell border, left behind when a table was copied as text.
TABLE_BORDER = "|"

#: Words by which a paragraph asks for prayer, praise or thanks: each in the
#: form that opens a request (``Pray for …``), with the regular expression that
#: finds any of its forms anywhere (``praying``, ``join with us``), case ignored.
ASKING_WORDS = {
    "pray": r"pray\w*",
    "praise": r"prais\w*",
    "thank": r"thank\w*",
    "give thanks": r"giv(?:e|ing) thanks",
    "rejoice": r"rejoic\w*",
    "celebrate": r"celebrat\w*",
    "join us": r"join (?:with )?us",
    "ask": r"ask(?:ing)? (?:god|the lord|him|for|that)",
    "intercede": r"intercede\w*",
}
#: Of those, the ones that give praise or thanks rather than ask.
PRAISING_WORDS = ("praise", "thank", "give thanks", "rejoice", "celebrate")

#: Month names, January first; each may be shortened to its first three letters.
MONTHS = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)
#: Weekday names, Monday first (as :meth:`datetime.date.weekday` counts).
WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")

#: Region names seen as headings in the wild; an inline label (``Africa: Pray …``)
#: opens a section only when it is one of these or a heading of the same bulletin.
KNOWN_REGIONS = frozenset(
    name.casefold()
    for name in (
        "Africa",
        "Africa & Europe",
        "Africa + Europe",
        "Asia",
        "Asia Pacific",
        "Central America",
        "East Africa",
        "Eurasia",
        "Europe",
        "Global",
        "IJM Global Office & Partners",
        "IJM HQ & Global Partners",
        "Latin America",
        "Middle East",
        "North America",
        "South America",
        "South Asia",
        "Southeast Asia",
        "West Africa",
    )
)


def printable(text: str) -> bool:
    """Whether every character of ``text`` is printable, the non-breaking space counted as one.

    Every control character and line break is unprintable, so text that passes
    holds none; the non-breaking space, unprintable too, is common in bulletins.
    """
    return text.replace("\u00a0", " ").isprintable()


def bullet_end(text: str, start: int = 0) -> int | None:
    """Where the text of a bullet starting at ``start`` begins, or None if none starts there.

    The glyph and the spaces after it are the bullet's; a lone glyph (at the
    end of ``text``) is a bullet whose text is on the next line.
    """
    match = _BULLET.match(text, start)
    return None if match is None else match.end()


def strip_table_leftover(text: str) -> tuple[str, int | None]:
    """``text`` without the table leftovers (`` |`` runs) at its end, and where they began.

    A border counts when white space or the start of the line stands before
    it, so ``x||`` keeps its pipes. Scans back from the end once, so a line
    of a million pipes stays linear. The start is a 1-based column.
    """
    at = len(text)
    start: int | None = None
    while at > 0 and text[at - 1] == TABLE_BORDER and (at == 1 or text[at - 2].isspace()):
        start = at - 1
        at -= 1
        while at > 0 and text[at - 1].isspace():
            at -= 1
    if start is None:
        return text, None
    return text[:at], start + 1
