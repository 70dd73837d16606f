"""Text → model: the Lark LALR parser over the line tokens, building the model inline.

The parser is built once, lazily, from the grammar shipped inside the package;
the transformer runs during the parse, so no parse tree is kept.
"""

from __future__ import annotations

import datetime
import functools
import importlib
import os
import sys
from collections.abc import Iterator, Sequence
from typing import Any

import attrs
from lark import Lark, Token, Transformer
from lark.exceptions import UnexpectedToken
from lark.lexer import Lexer

from prayerdoc import codes
from prayerdoc.alphabet import CONTROL_CHARACTER
from prayerdoc.blocks import Block, Blocks, blocks
from prayerdoc.classify import asks, request_kind
from prayerdoc.dates import parse_date_line
from prayerdoc.diagnostics import Diagnostic
from prayerdoc.lexer import tokens
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


@attrs.frozen
class Parsed:
    """A bulletin, or None when none could be built, with every finding of the parse."""

    bulletin: Bulletin | None
    diagnostics: tuple[Diagnostic, ...]


class _PassThrough(Lexer):
    """Hands Lark the tokens the line pre-pass already made."""

    def __init__(self, lexer_conf: Any) -> None:
        pass

    def lex(self, data: Any) -> Iterator[Token]:  # type: ignore[override]
        return iter(data)


def _position(token: Token) -> Position:
    return Position(token.line or 1, token.column or 1)


class _Build(Transformer[Token, Any]):
    """One method per grammar rule, each returning the model class of that rule."""

    def start(self, children: list[Any]) -> Bulletin:
        fields: dict[str, Any] = {"sections": []}
        for child in children:
            if isinstance(child, Section):
                fields["sections"].append(child)
            elif isinstance(child, Epigraph):
                fields["epigraph"] = child
            elif isinstance(child, tuple):
                fields["preamble"], fields["title"] = child
            else:
                fields["date"] = child
        return Bulletin(position=Position(1, 1), **fields)

    def header(self, children: list[Token]) -> tuple[tuple[Paragraph, ...], str]:
        *preamble, title = children
        return tuple(Paragraph(text=str(t), position=_position(t)) for t in preamble), str(title)

    def date(self, children: list[Token]) -> datetime.date | None:
        return parse_date_line(str(children[0]))[1]

    def epigraph(self, children: list[Token]) -> Epigraph:
        verse = children[0] if children[0].type == "VERSE" else None
        attribution = children[-1] if children[-1].type == "ATTRIBUTION" else None
        return Epigraph(
            text=str(verse) if verse is not None else "",
            reference=None
            if attribution is None
            else parse_reference(str(attribution), _position(attribution)),
            position=_position(children[0]),
        )

    def intro(self, children: list[Token]) -> Paragraph:
        return Paragraph(text=str(children[0]), position=_position(children[0]))

    def requests(self, children: list[Token]) -> list[Request]:
        return [
            Request(text=str(t), kind=request_kind(str(t)), position=_position(t)) for t in children
        ]

    def lead(self, children: list[Any]) -> Section:
        return self._section(None, children)

    def section(self, children: list[Any]) -> Section:
        heading, *rest = children
        return self._section(heading, rest)

    @staticmethod
    def _section(heading: Token | None, children: list[Any]) -> Section:
        intro: list[Paragraph] = [child for child in children if isinstance(child, Paragraph)]
        requests = next((child for child in children if isinstance(child, list)), [])
        first = heading if heading is not None else (intro or requests)[0]
        position = first.position if not isinstance(first, Token) else _position(first)
        return Section(
            heading=str(heading) if heading is not None else None,
            intro=intro,
            requests=requests,
            position=position,
        )


def _cache_file() -> str | bool:
    """Where Lark keeps the analysed grammar between runs, or False for no cache.

    The user's own cache folder, never a shared temporary one: the cache is a
    pickle, and loading one another user planted would run their code. Lark
    checks the grammar's hash on load, so a changed grammar rebuilds it.
    """
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    folder = os.path.join(base, "prayerdoc")
    try:
        os.makedirs(folder, mode=0o700, exist_ok=True)
    except OSError:
        return False
    if not os.access(folder, os.W_OK):
        return False
    return os.path.join(folder, f"grammar-{sys.version_info[0]}.{sys.version_info[1]}.lark")


@functools.cache
def _lark() -> Lark:
    # The grammar ships as a data file of the prayerdoc.grammar package (mapped
    # from grammar/ in the source tree); its folder is found through that package.
    grammar = importlib.import_module("prayerdoc.grammar")
    path = os.path.join(os.path.dirname(grammar.__file__ or ""), "prayerdoc.lark")
    with open(path, encoding="utf-8") as file:
        text = file.read()
    return Lark(
        text,
        parser="lalr",
        lexer=_PassThrough,
        transformer=_Build(),
        cache=_cache_file(),
    )


def _character_findings(text: str) -> list[Diagnostic]:
    found: list[Diagnostic] = []
    for match in CONTROL_CHARACTER.finditer(text):
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
        bulletin, found = parse_tokens(lexed.tokens)
    except Exception as error:  # a bug in prayerdoc, never the input: said, not raised
        failure = codes.INTERNAL.at(1, 1, error=repr(error).splitlines()[0])
        return Parsed(None, (*lexed.diagnostics, failure))
    return Parsed(bulletin, (*lexed.diagnostics, *found))


# What each token is, in a finding about one that stands out of order.
_WHAT = {
    "PREAMBLE": "a header line",
    "TITLE": "a title",
    "DATE": "a date line",
    "VERSE": "a verse",
    "ATTRIBUTION": "a reference line",
    "HEADING": "a heading",
    "BULLET": "a bullet",
    "ASK": "a request",
    "STATEMENT": "a paragraph",
}


def _as_text(token: Token) -> Token:
    """The same block read as a plain paragraph of the body."""
    kind = "BULLET" if token.type == "BULLET" else "ASK" if asks(token) else "STATEMENT"
    return Token(kind, str(token), line=token.line, column=token.column)


def _out_of_order(token: Token) -> Diagnostic:
    what = _WHAT.get(token.type, token.type)
    return codes.OUT_OF_ORDER.at(token.line or 1, token.column or 1, what=what, text=str(token))


def parse_tokens(given: Sequence[Token]) -> tuple[Bulletin, list[Diagnostic]]:
    """The grammar and the builder over block tokens, in any order; never raises.

    A token the grammar does not accept where it stands is kept as a paragraph
    (or as a header line, inside the header) and reported (PD115), and the
    parse goes on. Should the tokens end where nothing may end (a header with
    no title), every block is read again as a paragraph of the body, which the
    grammar always accepts.
    """
    found: list[Diagnostic] = []
    parser = _lark().parse_interactive()
    try:
        for token in given:
            try:
                parser.feed_token(token)
            except UnexpectedToken:
                accepted = parser.accepts()  # type: ignore[no-untyped-call]
                header = Token("PREAMBLE", str(token), line=token.line, column=token.column)
                kept = next((t for t in (_as_text(token), header) if t.type in accepted), None)
                if kept is None:
                    raise
                found.append(_out_of_order(token))
                parser.feed_token(kept)
        return parser.feed_eof(given[-1]), found  # type: ignore[no-untyped-call]
    except UnexpectedToken as error:
        # Reported where the order first went wrong, which may be before the end.
        first = found[:1] or [
            _out_of_order(given[-1] if error.token.type == "$END" else error.token)
        ]
        body = [_as_text(token) for token in given]
        return _lark().parse(body), first  # type: ignore[return-value]
