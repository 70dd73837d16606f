"""The catalogue of diagnostic codes.

Codes are stable: a code keeps its meaning forever, so that ``--select`` and
``--ignore`` lists in people's configuration keep working. Families:
``PD1xx`` structure, ``PD2xx`` scripture (both errors), ``PD3xx`` typography,
``PD4xx`` content (both warnings). ``docs/rules.md`` describes each with examples.
"""

from __future__ import annotations

from typing import Any

import attrs

from prayerdoc.diagnostics import Diagnostic, Severity

__all__ = ["RULES", "Rule"]


@attrs.frozen
class Rule:
    """One kind of finding: its code, a short name, and a message template."""

    code: str
    name: str
    message: str

    @property
    def severity(self) -> Severity:
        """Structure and scripture findings are errors; typography and content, warnings."""
        return Severity.ERROR if self.code[2] in "12" else Severity.WARNING

    def at(
        self,
        line: int,
        column: int,
        end_line: int | None = None,
        end_column: int | None = None,
        **values: Any,
    ) -> Diagnostic:
        """A finding of this rule at a place, its message filled in from ``values``."""
        return Diagnostic(
            code=self.code,
            severity=self.severity,
            message=self.message.format(**values),
            line=line,
            column=column,
            end_line=end_line,
            end_column=end_column,
        )


# Structure
EMPTY = Rule("PD100", "empty", "the file has no bulletin text; write a verse and requests")
MISSING_VERSE = Rule(
    "PD101",
    "missing-verse",
    "no quoted verse at the top; add the verse in quotes, then a line '— Book C:V'",
)
MISSING_REFERENCE = Rule(
    "PD102",
    "missing-reference",
    "the verse has no reference line; add a line '— Book C:V' below it",
)
REFERENCE_WITHOUT_VERSE = Rule(
    "PD103",
    "reference-without-verse",
    "the reference line has no verse above it; add the quoted verse",
)
EMPTY_SECTION = Rule(
    "PD104",
    "empty-section",
    "heading '{heading}' has no request under it; add one or remove the heading",
)
PREAMBLE_LINE = Rule(
    "PD105",
    "unplaced-line",
    "line above the title is not part of the bulletin: '{text}'; remove it or make it the title",
)
TABLE_LEFTOVER = Rule("PD106", "table-leftover", "stray '|' left over from a table; delete it")
CONTROL_CHARACTER = Rule(
    "PD107",
    "control-character",
    "control character {char} in the text; delete it (is this a text file in another encoding?)",
)
UNDECODABLE = Rule(
    "PD108",
    "undecodable",
    "byte {offset} is not valid {encoding}; save the file as UTF-8 or pass --encoding",
)
TOO_LARGE = Rule(
    "PD109",
    "too-large",
    "the input is {size} bytes, over the limit of {limit}; split it or raise --max-bytes",
)
UNKNOWN_ENCODING = Rule(
    "PD110", "unknown-encoding", "there is no text encoding named '{encoding}'; try utf-8 or cp1252"
)
INVALID_JSON = Rule("PD111", "invalid-json", "{message}")
INTERNAL = Rule(
    "PD199", "internal", "prayerdoc could not read this file ({error}); please report it"
)

# Scripture
MALFORMED_REFERENCE = Rule(
    "PD201",
    "malformed-reference",
    "the reference line is not 'Book chapter:verse'; write it like '— Micah 6:8'",
)
UNKNOWN_BOOK = Rule("PD202", "unknown-book", "{message}")
NO_SUCH_CHAPTER = Rule("PD203", "no-such-chapter", "{message}")
NO_SUCH_VERSE = Rule("PD204", "no-such-verse", "{message}")
REVERSED_PASSAGE = Rule("PD205", "reversed-passage", "{message}")

# Typography
UNBALANCED_QUOTES = Rule("PD301", "unbalanced-quotes", "{message}")
MISSING_SPACE = Rule(
    "PD302",
    "missing-space",
    "no space after the end of a sentence ('{text}'); add a space",
)
SPACE_BEFORE_PUNCTUATION = Rule(
    "PD303",
    "space-before-punctuation",
    "space before '{char}'; remove the space",
)
TRAILING_WHITESPACE = Rule("PD304", "trailing-whitespace", "trailing white space; remove it")
TAB = Rule("PD305", "tab", "tab character; use spaces")
MIXED_QUOTES = Rule(
    "PD306",
    "mixed-quotes",
    "both straight and curly {kind} are used; use curly ones throughout",
)

# Content
LINK_LEFTOVER = Rule(
    "PD401",
    "link-leftover",
    "'{text}' is the text of a link that was removed; delete it or restore the link",
)
DUPLICATE_REQUEST = Rule(
    "PD402",
    "duplicate-request",
    "this request repeats the one at line {earlier}; remove one of them",
)
NO_PRAYER = Rule(
    "PD403",
    "no-prayer",
    "this request asks for no prayer, praise or thanks; say what to pray for",
)
IMPOSSIBLE_DATE = Rule(
    "PD404",
    "impossible-date",
    "'{text}' is not a real date, so it was read as a header line; correct the date",
)

RULES: dict[str, Rule] = {rule.code: rule for rule in globals().values() if isinstance(rule, Rule)}
