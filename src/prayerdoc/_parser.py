"""Text → model: the Lark LALR parser over the block tokens, building the model inline.

The parser is built once, lazily, from the grammar shipped inside the package;
the transformer runs during the parse, so no parse tree is kept. Each token is
given the first of its shapes the parser can accept where it stands, and the
bulletin is read in the grammar's four readings, in order, until one reads
its header to the end (``_READINGS``; the grammar's header comment says why).
"""

from __future__ import annotations

import datetime
import functools
import importlib
import os
import re
from collections.abc import Iterable, Iterator, Sequence
from typing import Any, NamedTuple, cast

import attrs
from lark import Token, Transformer
from lark.lexer import Lexer
from lark.parsers.lalr_analysis import Shift

from prayerdoc import _tables, codes
from prayerdoc.alphabet import (
    CONTROL_CHARACTER,
    DOUBLE_QUOTES,
    QUOTES,
    SINGLE_QUOTES,
    printable,
)
from prayerdoc.blocks import Block, Blocks, Line, blocks, reference_start
from prayerdoc.classify import asks, request_kind
from prayerdoc.dates import format_date, parse_date_line, wrong_weekday
from prayerdoc.diagnostics import Diagnostic
from prayerdoc.lexer import PLAIN, Shaped, plain, tokens
from prayerdoc.model import (
    Bulletin,
    Epigraph,
    Paragraph,
    Position,
    Request,
    Section,
)
from prayerdoc.scripture import parse_reference
from prayerdoc.source import line_column

__all__ = ["Parsed", "parse_blocks", "parse_text", "parse_tokens"]


# Findings about characters are capped: a binary file would otherwise yield millions.
_MAX_CHARACTER_FINDINGS = 20


class Parsed(NamedTuple):
    """A bulletin, or None when none could be built, with every finding of the parse."""

    bulletin: Bulletin | None
    diagnostics: tuple[Diagnostic, ...]


class _PassThrough(Lexer):
    """Hands Lark the tokens the lexer already made."""

    def __init__(self, lexer_conf: Any) -> None:
        pass

    def lex(self, data: Any) -> Iterator[Token]:  # type: ignore[override]
        return iter(data)


def _place(token: Token) -> tuple[int, int]:
    return token.line or 1, token.column or 1


def _position(token: Token) -> Position:
    return Position(token.line or 1, token.column or 1)


# A token's value is the text it was made from: ``str(token)`` would copy it.
def _paragraph(token: Token) -> Paragraph:
    return Paragraph(text=token.value, position=_position(token))


def _request(token: Token) -> Request:
    text = token.value
    return Request(text=text, kind=request_kind(text), position=_position(token))


def _strip_quotes(text: str) -> str:
    """The verse without its outer quotation marks; inner quotes stay."""
    opened = '"'  # with no opening mark, only a double mark closes the verse
    if text and text[0] in QUOTES:
        opened, text = text[0], text[1:]
    if text and (
        text[-1] in DOUBLE_QUOTES or (text[-1] in SINGLE_QUOTES and opened in SINGLE_QUOTES)
    ):
        text = text[:-1]
    return text.strip()


# The parser's own records are plain classes and named tuples, not attrs classes:
# generating an attrs class at import costs several times as much, at every start.
class _Lines:
    """Verse lines below the first, gathered from the bottom up, and the reference below."""

    __slots__ = ("reference", "reversed")

    def __init__(self, reversed: list[Token], reference: Token | None) -> None:
        self.reversed, self.reference = reversed, reference


class _Header:
    """The header, built from its end upwards: each line above adds itself as it is reduced."""

    __slots__ = ("date", "epigraph", "preamble", "title")

    def __init__(
        self,
        epigraph: Epigraph | None = None,
        title: Token | None = None,
        date: Token | None = None,
    ) -> None:
        self.epigraph, self.title, self.date = epigraph, title, date
        self.preamble: list[Token] = []  # bottom line first


class _Stray(NamedTuple):
    """A dash line under a verse that has no reference: a reference that could not be read."""

    token: Token


class _Tail(NamedTuple):
    """A heading-shaped last block: text cut off mid-sentence, not a section."""

    token: Token


def _epigraph(verse: Sequence[Token], reference: Token | None) -> _Header:
    attribution = None
    if reference is not None:
        line = reference.value
        block = reference.block if isinstance(reference, Shaped) else None
        start = reference_start(line) or 0
        # The reference may start on a wrapped line: "—" above "Micah 6:8".
        at = (
            block.place(start)
            if block is not None
            else Line(reference.line or 1, (reference.column or 1) + start, "")
        )
        attribution = parse_reference(line[start:], Position(at.number, at.column))
    first = verse[0] if verse else reference
    assert first is not None  # the grammar has no epigraph without either
    joined = verse[0].value if len(verse) == 1 else " ".join(token.value for token in verse)
    text = _strip_quotes(joined)
    return _Header(Epigraph(text=text, reference=attribution, position=_position(first)))


def _check_date(token: Token, date: datetime.date, found: list[Diagnostic]) -> None:
    """PD405 for a date line whose weekday is misspelt or not its date's; the date stands."""
    wrong = wrong_weekday(str(token))
    if wrong is not None:
        at, written, weekday = wrong
        line, column = token.line or 1, (token.column or 1) + at
        found.append(
            codes.WRONG_WEEKDAY.at(
                line,
                column,
                line,
                column + len(written),
                written=written,
                date=format_date(date),
                weekday=weekday,
            )
        )


class _Build(Transformer[Token, Any]):
    """One method per grammar rule, each returning the model class of that rule or a part of one.

    The start rules return the bulletin and the findings about its header, as values.
    """

    # ---- The four readings
    def bulletin(self, children: list[Any]) -> tuple[Bulletin, list[Diagnostic]]:
        header, body = children
        return self._bulletin(header, body)

    dated = bulletin

    def unreferenced(self, children: list[Any]) -> tuple[Bulletin, list[Diagnostic]]:
        header, *stray, body = children
        found: list[Diagnostic] = []
        if stray:  # kept as the first paragraph of the body, and said
            token = stray[0].token
            found.append(codes.MALFORMED_REFERENCE.at(token.line or 1, token.column or 1))
            body = self._prepend(token, body)
        bulletin, more = self._bulletin(header, body)
        return bulletin, [*more, *found]

    def headless(self, children: list[Any]) -> tuple[Bulletin, list[Diagnostic]]:
        return self._bulletin(_Header(), children[0])

    @staticmethod
    def _bulletin(header: _Header, body: list[Section]) -> tuple[Bulletin, list[Diagnostic]]:
        found: list[Diagnostic] = []
        date = None
        preamble = header.preamble[::-1]
        lines = [*preamble]
        if header.title is not None:
            lines.append(header.title)
        if header.date is not None:
            lines.append(header.date)
        for token in sorted(lines, key=_place) if len(lines) > 1 else lines:
            if token.type == "BAD_DATE":  # what the line is instead of the preamble it is in
                found.append(
                    codes.IMPOSSIBLE_DATE.at(token.line or 1, token.column or 1, text=token)
                )
                continue
            if token is header.title:
                continue
            if token.type == "DATE":
                day = parse_date_line(str(token))[1]
                assert day is not None  # the lexer gives DATE only to a day that exists
                _check_date(token, day, found)
                if token is header.date:
                    date = day
                    continue
            found.append(codes.PREAMBLE_LINE.at(token.line or 1, token.column or 1, text=token))
        bulletin = Bulletin(
            title=None if header.title is None else header.title.value,
            date=date,
            preamble=[_paragraph(token) for token in preamble],
            epigraph=header.epigraph,
            sections=body,
            position=Position(1, 1),
        )
        return bulletin, found

    @staticmethod
    def _prepend(token: Token, body: list[Section]) -> list[Section]:
        paragraph = _paragraph(token)
        if body and body[0].heading is None:
            lead = body[0]
            return [
                attrs.evolve(lead, intro=[paragraph, *lead.intro], position=paragraph.position),
                *body[1:],
            ]
        return [
            Section(heading=None, intro=[paragraph], requests=[], position=paragraph.position),
            *body,
        ]

    # ---- The header: each line adds itself to the header built below it
    def title(self, children: list[Any]) -> _Header:
        token, header = children[0], cast(_Header, children[1])
        header.title = token
        return header

    def preamble(self, children: list[Any]) -> _Header:
        token, header = children[0], cast(_Header, children[1])
        header.preamble.append(token)
        return header

    def date(self, children: list[Any]) -> _Header:
        token, header = children[0], cast(_Header, children[1])
        header.date = token
        return header

    def _passed_on(self, children: list[Any]) -> _Header:
        return children[0]  # type: ignore[no-any-return]

    undated_header = after_title = bad_dates_only = dated_header_above = _passed_on
    title_to_date = below_date = _passed_on
    date_first_header = date_then_title = title_below = _passed_on

    def dated_header(self, children: list[Token]) -> _Header:
        """The last date line is the date; the last other line, the title; the rest, preamble."""
        dates = [token for token in children if token.type == "DATE"]
        date = dates[-1] if dates else None
        lines = [token for token in children if token is not date]
        header = _Header(title=lines[-1] if lines else None, date=date)
        header.preamble.extend(reversed(lines[:-1]))
        return header

    def preamble_line(self, children: list[Token]) -> Token:
        return children[0]

    title_line = preamble_line

    # ---- The verse
    def epigraph(self, children: list[Any]) -> _Header:
        if isinstance(children[0], _Header):  # a lone reference
            return children[0]
        first, rest = children
        if isinstance(rest, _Lines):
            return _epigraph([first, *rest.reversed[::-1]], rest.reference)
        return _epigraph([first], rest)

    def lone_reference(self, children: list[Token]) -> _Header:
        return _epigraph([], children[0])

    def verse_lines(self, children: list[Token]) -> _Lines:
        return _Lines([], children[0])

    def verse_line(self, children: list[Any]) -> _Lines:
        token, lines = children
        lines.reversed.append(token)
        return lines  # type: ignore[no-any-return]

    def whole_quote(self, children: list[Any]) -> _Header:
        first, *rest = children
        lines = rest[0].reversed[::-1] if rest else []
        return _epigraph([first, *lines], None)

    def quote_end(self, children: list[Token]) -> _Lines:
        return _Lines(list(children), None)

    def stray_reference(self, children: list[Token]) -> _Stray:
        return _Stray(children[0])

    # ---- The body
    def body(self, children: list[Any]) -> list[Section]:
        sections: list[Section] = [child for child in children if isinstance(child, Section)]
        if children and isinstance(children[-1], _Tail):
            sections = self._end_with(children[-1].token, sections)
        return sections

    @staticmethod
    def _end_with(token: Token, sections: list[Section]) -> list[Section]:
        """The last section with the cut-off last block added, as a request or as intro."""
        last = sections[-1] if sections else None
        if (last is not None and last.requests) or asks(token):
            request = _request(token)
            if last is None:
                return [Section(heading=None, requests=[request], position=request.position)]
            return [*sections[:-1], attrs.evolve(last, requests=[*last.requests, request])]
        paragraph = _paragraph(token)
        if last is None:
            return [Section(heading=None, intro=[paragraph], position=paragraph.position)]
        return [*sections[:-1], attrs.evolve(last, intro=[*last.intro, paragraph])]

    def tail(self, children: list[Token]) -> _Tail:
        return _Tail(children[0])

    def intro(self, children: list[Token]) -> Paragraph:
        return _paragraph(children[0])

    def requests(self, children: list[Token]) -> list[Request]:
        return [_request(token) for token in children]

    def lead(self, children: list[Any]) -> Section:
        return self._section(None, children)

    def section(self, children: list[Any]) -> Section:
        heading, *rest = children
        return self._section(heading, rest)

    def empty_section(self, children: list[Token]) -> Section:
        return self._section(children[0], [])

    @staticmethod
    def _section(heading: Token | None, children: list[Any]) -> Section:
        # The paragraphs of its intro, then the list of its requests, if any.
        intro: list[Paragraph] = []
        requests: list[Request] = []
        for child in children:
            if type(child) is list:
                requests = child
            else:
                intro.append(child)
        if heading is None:
            return Section(intro=intro, requests=requests, position=(intro or requests)[0].position)
        return Section(
            heading=heading.value, intro=intro, requests=requests, position=_position(heading)
        )


@functools.cache
def _lark() -> _tables.Tables:
    # The grammar ships as a data file of the prayerdoc.grammar package (mapped
    # from grammar/ in the source tree); its folder is found through that package.
    grammar = importlib.import_module("prayerdoc.grammar")
    path = os.path.join(os.path.dirname(grammar.__file__ or ""), "prayerdoc.lark")
    with open(path, encoding="utf-8") as file:
        text = file.read()
    tables = _tables.load(
        text,
        {
            "parser": "lalr",
            "lexer": _PassThrough,
            "start": list(_READINGS),
            "strict": True,  # no conflict may be resolved silently: each choice is in the grammar
        },
        _driver_tables,
    )
    return tables


def _driver_tables(table: Any) -> dict[str, _Table]:
    """Each reading's driver table, kept in the cache beside Lark's (``_tables``)."""
    return _Table.each(table, _READINGS, _Build())


def _character_findings(text: str) -> list[Diagnostic]:
    # Every control character is unprintable: text that is printable, line
    # ends and tabs apart, has none, and is told by one quick pass.
    if printable(text.replace("\n", "").replace("\t", "")):
        return []
    found: list[Diagnostic] = []
    for match in re.finditer(CONTROL_CHARACTER, text):
        if len(found) == _MAX_CHARACTER_FINDINGS:
            break
        line, column = line_column(text, match.start())
        char = f"U+{ord(match.group()):04X}"
        found.append(codes.CONTROL_CHARACTER.at(line, column, char=char))
    return found


def parse_text(text: str) -> Parsed:
    """Parse normalised text, collecting every finding; never raises."""
    found = _character_findings(text)
    if found:
        return Parsed(None, tuple(found))
    return _parse(blocks(text))


def parse_blocks(given: Sequence[Block], diagnostics: Sequence[Diagnostic] = ()) -> Parsed:
    """Parse blocks a reader made itself (see :meth:`prayerdoc.blocks.Block.make`).

    For a reader of another format that knows its paragraphs and where each
    stands in its source: the bulletin is read from them as from text, and
    ``diagnostics`` (the reader's own findings) come first in the result.
    """
    return _parse(Blocks(list(given), tuple(diagnostics)))


def _parse(split: Blocks) -> Parsed:
    lexed = tokens(split)
    if not lexed.tokens:
        return Parsed(None, (*lexed.diagnostics, codes.EMPTY.at(1, 1)))
    try:
        bulletin, found = _read(lexed.tokens)
    except Exception as error:  # a bug in prayerdoc, never the input: said, not raised
        failure = codes.INTERNAL.at(1, 1, error=repr(error).splitlines()[0])
        return Parsed(None, (*lexed.diagnostics, failure))
    return Parsed(bulletin, (*lexed.diagnostics, *found))


# The readings of the named step in the grammar's header comment, in the order
# they are tried, each with how many blocks may stand above its verse (None: any
# number, or as many as the reading's own rules allow: `dated` has three).
_READINGS = {"bulletin": None, "unreferenced": 8, "dated": None, "headless": None}
# Where each reading's header ends: the first token of its verse, or its date.
_HEADER_ENDS = {"unreferenced": frozenset({"QUOTED", "OPEN_QUOTE"})}

# What each token is, in a finding about one that stands out of order.
_WHAT = {
    "DATE": "a date line",
    "BAD_DATE": "a date line",
    "REFERENCE": "a reference line",
    "DASH": "a dash line",
    "QUOTED": "a quotation",
    "OPEN_QUOTE": "a quotation",
    "RUN": "a line",
    "RUN_CLOSE": "a quotation",
    "LINE": "a header line",
    "HEADING": "a heading",
    "LABEL": "a region label",
    "BULLET": "a bullet",
    "ASK": "a request",
    "TEXT": "a paragraph",
}


# A reduction, as the driver needs it: how many values it takes, which of them
# are a "_" rule's to splice in, the builder's method for the rule (None for a
# "_" rule: its values go up to the rule that holds it), and the rule's name,
# which the state below goes on by.
_Reduce = tuple[int, tuple[int, ...], Any, str]
# An action of the table: the state to shift to and None, or -1 and a reduction.
_Action = tuple[int, _Reduce | None]
# A step of a token through the table: the state it goes on to, after the
# reduction when there is one (else it is shifted there).
_Step = tuple[int, _Reduce | None]
# The stacks whose steps are kept (``_Machine.plan``): how deep, and how many.
_PLANNED_DEPTH = 16
_PLANS_KEPT = 4096


class _Table(NamedTuple):
    """One reading's LALR table, from Lark's analysis, in the form the driver steps fastest.

    Lark keeps each reduction as its ``Rule``, whose hash is a Python call; here
    it is the plain values the driver needs, found once. ``gotos`` is where a
    state goes on by a rule's name once that rule is reduced. ``plans`` keeps
    the steps found for a token's kind on a whole stack (``_Machine.plan``).
    """

    actions: dict[int, dict[str, _Action]]
    gotos: dict[int, dict[str, int]]
    start: int
    end: int
    plans: dict[tuple[str | int, ...], list[_Step]]

    @classmethod
    def of(cls, table: Any, start: str, builder: Transformer[Token, Any]) -> _Table:
        """The table Lark analysed, read from rule ``start``, reducing with ``builder``."""
        return cls.each(table, [start], builder)[start]

    @classmethod
    def each(
        cls, table: Any, starts: Iterable[str], builder: Transformer[Token, Any]
    ) -> dict[str, _Table]:
        """The table read from each of ``starts``: the readings share one set of actions."""
        made: dict[Any, _Reduce] = {}
        actions: dict[int, dict[str, _Action]] = {}
        gotos: dict[int, dict[str, int]] = {}
        for state, row in table.states.items():
            actions[state], gotos[state] = {}, {}
            for kind, (action, target) in row.items():
                if action is not Shift:
                    if target not in made:
                        made[target] = _reduction(target, builder)
                    actions[state][kind] = (-1, made[target])
                elif kind.isupper():  # a terminal, "$END" too; else a rule: a goto
                    actions[state][kind] = (target, None)
                else:
                    gotos[state][kind] = target
        ends = table.start_states, table.end_states
        return {start: cls(actions, gotos, ends[0][start], ends[1][start], {}) for start in starts}


def _reduction(rule: Any, builder: Transformer[Token, Any]) -> _Reduce:
    """What reducing ``rule`` does, named as Lark's tree builder names it.

    The builder's methods are called here directly, with a "_" rule's values
    spliced into its parent's as Lark does: that is all of Lark's tree
    building this grammar uses (it has no filtered terminals and no ``?`` or
    ``[...]`` rules), and it spares a tree for each "_" rule.
    """
    name = rule.alias or rule.options.template_source or rule.origin.name
    method = getattr(builder, name, None)
    if method is None and not name.startswith("_"):
        raise AssertionError(f"the builder has no method for the grammar's rule {name}")
    spliced = tuple(
        index
        for index, symbol in enumerate(rule.expansion)
        if not symbol.is_term and symbol.name.startswith("_")
    )
    return len(rule.expansion), spliced, method, rule.origin.name


def _splice(children: list[Any], spliced: tuple[int, ...]) -> list[Any]:
    # A repetition is a left-recursive "_" rule: its list comes first and grows
    # in place, so that a run of n sections costs n steps, not n squared.
    grows = spliced[0] == 0
    joined: list[Any] = children[0] if grows else []
    for index in range(1 if grows else 0, len(children)):
        if index in spliced:
            joined.extend(children[index])
        else:
            joined.append(children[index])
    return joined


class _Machine:
    """The stacks of one parse, stepped over its reading's table.

    The table is stepped here rather than through Lark's interactive parser:
    ``plan`` follows a token's reductions without changing anything, and
    ``run`` then carries out the steps it found, so a refused token costs no
    copy of the stacks and an accepted one no second walk of the table.
    """

    __slots__ = ("actions", "end", "gotos", "plans", "stack", "values")

    def __init__(
        self,
        actions: dict[int, dict[str, _Action]],
        gotos: dict[int, dict[str, int]],
        end: int,
        stack: list[int],
        plans: dict[tuple[str | int, ...], list[_Step]] | None = None,
    ) -> None:
        self.actions, self.gotos, self.end, self.stack = actions, gotos, end, stack
        self.plans = {} if plans is None else plans
        self.values: list[Any] = []

    @classmethod
    def start(cls, table: _Table) -> _Machine:
        return cls(table.actions, table.gotos, table.end, [table.start], table.plans)

    def accepts(self, kind: str) -> bool:
        """Whether a token of ``kind`` can come next (``$END``: the input can end)."""
        return self.plan(kind) is not None

    def plan(self, kind: str) -> list[_Step] | None:
        """The steps a token of ``kind`` takes (None if it cannot come next); changes nothing.

        Each reduction, with the state it goes on to, then the shift (a step with
        no reduction), or at ``$END`` the reductions up to the start rule.

        The steps depend on the kind and the stack alone, and bulletins meet the
        same few stacks over and over (59 in the examples and the fixtures, none
        deeper than 9), so the steps found on a short stack are kept with the
        table: a state of the parser, never a bulletin's text. An empty list
        keeps a refusal.
        """
        stack = self.stack
        if len(stack) > _PLANNED_DEPTH:
            return self._walk(kind)
        key: tuple[str | int, ...] = (kind, *stack)
        steps = self.plans.get(key)
        if steps is None:
            steps = self._walk(kind) or []
            if len(self.plans) >= _PLANS_KEPT:
                self.plans.clear()  # a bound for an input made to meet many stacks
            self.plans[key] = steps
        return steps or None

    def _walk(self, kind: str) -> list[_Step] | None:
        """``plan``'s steps, found by following the table.

        The stack is followed without copying it: the header's right-nested rules
        make it as deep as the header is long.
        """
        actions, gotos, stack, end = self.actions, self.gotos, self.stack, self.end
        depth = len(stack)
        pushed: list[int] = []
        steps: list[_Step] = []
        state = stack[-1]
        while (action := actions[state].get(kind)) is not None:
            reduce = action[1]
            if reduce is None:
                steps.append(action)
                return steps
            size, _, _, name = reduce
            if size <= len(pushed):
                del pushed[len(pushed) - size :]
            else:
                depth -= size - len(pushed)
                pushed.clear()
            below = pushed[-1] if pushed else stack[depth - 1]
            state = gotos[below][name]
            steps.append((state, reduce))
            if state == end:
                return steps
            pushed.append(state)
        return None

    def feed(self, kind: str, token: Token | None) -> None:
        """Reduce, then shift ``token`` as ``kind``; ``accepts(kind)`` must hold.

        At ``$END`` (``token`` None) the reductions run up to the start rule,
        whose value is then the last of ``values``.
        """
        steps = self.plan(kind)
        assert steps is not None, f"{kind} cannot come next"
        self.run(steps, token)

    def run(self, steps: list[_Step], token: Token | None) -> None:
        """Carry out the steps ``plan`` found, shifting ``token`` last."""
        stack, values = self.stack, self.values
        for state, reduce in steps:
            if reduce is not None:
                size, spliced, method, _ = reduce
                if size == 1:  # most rules: one value, or a "_" rule's list as it is
                    stack.pop()
                    children = values.pop() if spliced else [values.pop()]
                elif size:
                    children = values[-size:]
                    del stack[-size:]
                    del values[-size:]
                    if spliced:
                        children = _splice(children, spliced)
                else:
                    children = []
                values.append(children if method is None else method(children))
            else:
                values.append(token)
            stack.append(state)


def _table(reading: str) -> _Table:
    tables: dict[str, _Table] = _lark().derived
    return tables[reading]


def _as_text(token: Shaped) -> str:
    """What a block is when read as a plain paragraph of the body."""
    return "BULLET" if "BULLET" in token.shapes else plain(token)


def _out_of_order(token: Shaped) -> Diagnostic:
    what = _WHAT.get(token.shapes[0], token.shapes[0])
    return codes.OUT_OF_ORDER.at(token.line or 1, token.column or 1, what=what, text=str(token))


def _try(reading: str, given: Sequence[Shaped]) -> tuple[Bulletin, list[Diagnostic]] | None:
    """The bulletin as ``reading`` reads it, or None when its header does not end where it must.

    Each token is given the first of its shapes the parser accepts where it stands.
    """
    machine = _Machine.start(_table(reading))
    actions, stack, values = machine.actions, machine.stack, machine.values
    limit, ends = _READINGS[reading], _HEADER_ENDS.get(reading, frozenset())
    started = False
    found: list[Diagnostic] = []
    for index, block in enumerate(given):
        if limit is not None and not started and index >= limit:
            return None  # the verse does not start among the first blocks
        # A region label opens a section where one can stand: in the body.
        labelled = block.as_labels and machine.accepts("LABEL")
        for token in block.as_labels if labelled else (block,):
            here = actions[stack[-1]]
            for kind in token.shapes:
                if kind == PLAIN:
                    kind = plain(token)
                action = here.get(kind)
                if action is None:
                    continue
                if action[1] is None:  # a shift, the common case: no reductions to follow
                    steps = None
                    break
                steps = machine.plan(kind)
                if steps is not None:
                    break
            else:
                # Out of order: in the body it is kept as a paragraph, and said; a
                # header that cannot take it is not this reading's.
                kind = _as_text(token)
                steps = machine.plan(kind)
                if steps is None:
                    return None
                found.append(_out_of_order(token))
                token.type = kind
                machine.run(steps, token)
                if reading != "headless" and not isinstance(values[0], _Header):
                    return None  # the header is not done
                continue
            started = started or kind in ends
            token.type = kind
            if steps is None:
                stack.append(action[0])
                values.append(token)
            else:
                machine.run(steps, token)
    steps = machine.plan("$END")
    if steps is None:
        return None  # the tokens ended inside the header
    machine.run(steps, None)
    bulletin, more = values[-1]
    return bulletin, [*more, *found]


def _read(given: Sequence[Shaped]) -> tuple[Bulletin, list[Diagnostic]]:
    for reading in _READINGS:
        read = _try(reading, given)
        if read is not None:
            return read
    raise AssertionError("the headless reading takes any tokens")  # pragma: no cover


def parse_tokens(given: Sequence[Token]) -> tuple[Bulletin, list[Diagnostic]]:
    """The grammar and the builder over tokens of fixed types, in any order; never raises.

    A token the grammar does not accept where it stands in the body is kept
    as a paragraph and reported (PD115), and the parse goes on.
    """
    return _read([Shaped.of((t.type,), *_place(t), str(t)) for t in given])
