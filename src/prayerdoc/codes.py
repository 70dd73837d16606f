"""The catalogue of diagnostic codes.

Codes are stable: a code keeps its meaning forever, so that ``--select`` and
``--ignore`` lists in people's configuration keep working. Families:
``PD1xx`` structure, ``PD2xx`` scripture, ``PD3xx`` typography, ``PD4xx`` content.
Each code has one severity, written beside it: an error is a finding that leaves
no bulletin to build (parse raises, convert and fmt write nothing, check fails);
a warning leaves a whole bulletin (check fails only with ``--strict``).
``docs/rules.md`` describes each code with examples; ``prayerdoc rule CODE``
prints its page.
"""

from __future__ import annotations

import re
from typing import Any, NamedTuple

from prayerdoc.diagnostics import Diagnostic, Severity

__all__ = ["RULES", "Rule", "find", "page"]


ERROR, WARNING = Severity.ERROR, Severity.WARNING


class Rule(NamedTuple):
    """One kind of finding: its code, a short name, its severity, and a message template."""

    code: str
    name: str
    severity: Severity
    message: str

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


# One rule a line, each message whole: a table reads down its columns.
# fmt: off
# Structure
EMPTY = Rule("PD100", "empty", ERROR, "the file has no bulletin text; write a verse and requests")
MISSING_VERSE = Rule("PD101", "missing-verse", WARNING, "no quoted verse at the top; add the verse in quotes, then a line '— Book C:V'")
MISSING_REFERENCE = Rule("PD102", "missing-reference", WARNING, "the verse has no reference line; add a line '— Book C:V' below it")
REFERENCE_WITHOUT_VERSE = Rule("PD103", "reference-without-verse", WARNING, "the reference line has no verse above it; add the quoted verse")
EMPTY_SECTION = Rule("PD104", "empty-section", WARNING, "heading '{heading}' has no request under it; add one or remove the heading")
PREAMBLE_LINE = Rule("PD105", "unplaced-line", WARNING, "line above the title is not part of the bulletin: '{text}'; remove it or make it the title")
TABLE_LEFTOVER = Rule("PD106", "table-leftover", WARNING, "stray '|' left over from a table; delete it")
CONTROL_CHARACTER = Rule("PD107", "control-character", ERROR, "control character {char} in the text; delete it (is this a text file in another encoding?)")
UNDECODABLE = Rule("PD108", "undecodable", ERROR, "byte {offset} is not valid {encoding}; save the file as UTF-8 or name its encoding")
TOO_LARGE = Rule("PD109", "too-large", ERROR, "the input is {size} bytes, over the limit of {limit}; split it or raise the size limit")
UNKNOWN_ENCODING = Rule("PD110", "unknown-encoding", ERROR, "there is no text encoding named '{encoding}'; try utf-8 or cp1252")
INVALID_JSON = Rule("PD111", "invalid-json", ERROR, "{message}")
FILE_NAME = Rule("PD112", "file-name", ERROR, "the text '{text}' is a file name, not a bulletin; read the file with prayerdoc.load()")
TOO_DEEP = Rule("PD113", "too-deep", ERROR, "{what} are nested more than {limit} deep here; a bulletin never is (is this the right file?)")
MISSING_EXTRA = Rule("PD114", "missing-extra", ERROR, "reading {fmt} needs the {extra} extra; install it with: pip install 'prayerdoc[{extra}]'")
OUT_OF_ORDER = Rule("PD115", "out-of-order", WARNING, "{what} cannot stand here, so it was kept as a paragraph: '{text}'")
INTERNAL = Rule("PD199", "internal", ERROR, "prayerdoc could not read this file ({error}); please report it")
# Scripture
MALFORMED_REFERENCE = Rule("PD201", "malformed-reference", WARNING, "the reference line is not 'Book chapter:verse'; write it like '— Micah 6:8'")
UNKNOWN_BOOK = Rule("PD202", "unknown-book", WARNING, "{message}")
NO_SUCH_CHAPTER = Rule("PD203", "no-such-chapter", WARNING, "{message}")
NO_SUCH_VERSE = Rule("PD204", "no-such-verse", WARNING, "{message}")
REVERSED_PASSAGE = Rule("PD205", "reversed-passage", WARNING, "{message}")
# Typography
UNBALANCED_QUOTES = Rule("PD301", "unbalanced-quotes", WARNING, "{message}")
MISSING_SPACE = Rule("PD302", "missing-space", WARNING, "no space after the end of a sentence ('{text}'); add a space")
SPACE_BEFORE_PUNCTUATION = Rule("PD303", "space-before-punctuation", WARNING, "space before '{char}'; remove the space")
TRAILING_WHITESPACE = Rule("PD304", "trailing-whitespace", WARNING, "trailing white space; remove it")
TAB = Rule("PD305", "tab", WARNING, "tab character; use spaces")
MIXED_QUOTES = Rule("PD306", "mixed-quotes", WARNING, "both straight and curly {kind} are used; use curly ones throughout")
# Content
LINK_LEFTOVER = Rule("PD401", "link-leftover", WARNING, "'{text}' is the text of a link that was removed; delete it or restore the link")
DUPLICATE_REQUEST = Rule("PD402", "duplicate-request", WARNING, "this request repeats the one at line {earlier}; remove one of them")
NO_PRAYER = Rule("PD403", "no-prayer", WARNING, "this request asks for no prayer, praise or thanks; say what to pray for")
IMPOSSIBLE_DATE = Rule("PD404", "impossible-date", WARNING, "'{text}' is not a real date, so it was read as a header line; correct the date")
WRONG_WEEKDAY = Rule("PD405", "wrong-weekday", WARNING, "'{written}' is not the weekday of {date}, a {weekday}; correct the weekday or the date")
LEFT_OUT = Rule("PD406", "left-out", WARNING, "'{text}' stands outside the bulletin (navigation, a page header or footer), so it was left out; move it into the bulletin if it belongs there")
DATE_FROM_MESSAGE = Rule("PD407", "date-from-message", WARNING, "the bulletin gives no date, so the message's Date: ({date}) was used; write the bulletin's own date below its title if it is another")
# fmt: on

RULES: dict[str, Rule] = {rule.code: rule for rule in globals().values() if isinstance(rule, Rule)}


def find(name: str) -> Rule | None:
    """The rule with this code (in any case) or this name, or None."""
    wanted = name.strip()
    rule = RULES.get(wanted.upper())
    return rule or next((r for r in RULES.values() if r.name == wanted.lower()), None)


def page(rule: Rule) -> str:
    """The rule's section of the rules page shipped in the package (``docs/rules.md``)."""
    from importlib import resources

    text = resources.files("prayerdoc").joinpath("rules.md").read_text(encoding="utf-8")
    heading = f"\n### {rule.code} {rule.name}\n"
    start = text.index(heading) + 1
    body = start + len(heading) - 1
    following = re.compile(r"^##", re.MULTILINE).search(text, body)
    end = len(text) if following is None else following.start()
    return text[start:end].rstrip("\n") + "\n"
