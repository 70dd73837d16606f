"""The Markdown writer, read back with markdown-it-py.

Every test rebuilds the document's blocks from the token stream and compares
them with the blocks the model says should be there, so a character that
turned into markup (or vanished) shows up as a difference.
"""

from __future__ import annotations

import datetime
import string
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from markdown_it import MarkdownIt
from markdown_it.token import Token

import prayerdoc
from prayerdoc import Bulletin, Epigraph, Paragraph, Request, RequestKind, ScriptureRef, Section
from prayerdoc.dates import format_date
from prayerdoc.formats import markdown
from prayerdoc.formats.text import labelled
from profiles import examples

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = sorted((ROOT / "examples" / "bulletins").glob("*.txt"))
CORPUS = sorted((ROOT / "tests" / "data" / "valid").glob("*.txt"))

Block = tuple[str, object]


def _parsers() -> dict[str, MarkdownIt]:
    # Typographic replacements (quotes, dashes) are a site's rendering choice,
    # not CommonMark, so the text is held to CommonMark with and without HTML.
    return {
        "commonmark": MarkdownIt("commonmark"),
        "html": MarkdownIt("commonmark", {"html": True}),
    }


PARSERS = _parsers()
FORBIDDEN = {"html_block", "html_inline", "link_open", "image", "code_inline", "code_block"}


def inline_text(token: Token, *, allowed: tuple[str, ...] = ()) -> str:
    """The plain text of an inline token; any markup but ``allowed`` fails the test."""
    assert token.type == "inline"
    pieces = []
    for child in token.children or ():
        if child.type == "text":
            pieces.append(child.content)
        elif child.type in ("softbreak", "hardbreak"):
            pieces.append("\n")
        elif child.type not in allowed:
            raise AssertionError(f"unexpected inline token {child.type} in {token.content!r}")
    return "".join(pieces)


def _until_close(tokens: list[Token], start: int) -> int:
    """Index of the token closing the block opened at ``start``."""
    depth = 0
    for index in range(start, len(tokens)):
        depth += tokens[index].nesting
        if depth == 0:
            return index
    raise AssertionError("unclosed block")


def _paragraphs(tokens: list[Token]) -> list[str]:
    """Texts of the paragraphs inside a container; any other block fails the test."""
    texts = []
    for token in tokens:
        if token.type == "inline":
            texts.append(inline_text(token))
        else:
            assert token.type in ("paragraph_open", "paragraph_close"), token.type
    return texts


def read_back(document: str, parser: MarkdownIt) -> list[Block]:
    """The document's top-level blocks as (kind, text) pairs."""
    tokens = parser.parse(document)
    blocks: list[Block] = []
    index = 0
    while index < len(tokens):
        token = tokens[index]
        end = _until_close(tokens, index)
        inner = tokens[index + 1 : end]
        if token.type == "heading_open":
            assert len(inner) == 1
            blocks.append((token.tag, inline_text(inner[0])))
        elif token.type == "paragraph_open":
            children = [child.type for child in inner[0].children or ()]
            if children == ["em_open", "text", "em_close"]:
                blocks.append(("date", inline_text(inner[0], allowed=("em_open", "em_close"))))
            else:
                blocks.append(("p", inline_text(inner[0])))
        elif token.type == "blockquote_open":
            blocks.append(("quote", _paragraphs(inner)))
        elif token.type == "bullet_list_open":
            items = []
            cursor = 0
            while cursor < len(inner):
                item_end = _until_close(inner, cursor)
                assert inner[cursor].type == "list_item_open"
                texts = _paragraphs(inner[cursor + 1 : item_end])
                assert len(texts) == 1, texts
                items.append(texts[0])
                cursor = item_end + 1
            blocks.append(("list", items))
        else:
            raise AssertionError(f"unexpected block {token.type}")
        index = end + 1
    return blocks


def expected_blocks(bulletin: Bulletin) -> Iterator[Block]:
    """The blocks the model says the document holds, in order."""
    for line in bulletin.preamble:
        yield ("p", line.text)
    if bulletin.title is not None:
        yield ("h1", bulletin.title)
    if bulletin.date is not None:
        yield ("date", format_date(bulletin.date))
    epigraph = bulletin.epigraph
    if epigraph is not None:
        # In curly quotes, as in the text layout; an empty verse is empty quotes.
        quote = [f"“{epigraph.text}”"]
        if epigraph.reference is not None:
            quote.append("— " + epigraph.reference.text)
        yield ("quote", quote)
    for index, section in enumerate(bulletin.sections):
        intro = [paragraph.text for paragraph in section.intro]
        if labelled(bulletin, index):
            intro[0] = f"{section.heading}: {intro[0]}"  # as in the text layout
        elif section.heading is not None:
            yield ("h2", section.heading)
        for paragraph in intro:
            yield ("p", paragraph)
        if section.requests:
            yield ("list", [request.text for request in section.requests])


def assert_reads_back(bulletin: Bulletin) -> str:
    document = markdown.dumps(bulletin)
    for parser in PARSERS.values():
        assert read_back(document, parser) == list(expected_blocks(bulletin))
    return document


def all_tokens(tokens: list[Token]) -> Iterator[Token]:
    for token in tokens:
        yield token
        yield from all_tokens(token.children or [])


def reference(text: str) -> ScriptureRef:
    return ScriptureRef(text=text, book="Micah", chapter=6, verse_start=8, verse_end=8)


def bulletin_of(text: str) -> Bulletin:
    """A bulletin with ``text`` in every text field the Markdown shows."""
    return Bulletin(
        preamble=[Paragraph(text=text)],
        title=text,
        date=datetime.date(2019, 4, 27),
        epigraph=Epigraph(text=text, reference=reference(text)),
        sections=[
            Section(
                intro=[Paragraph(text=text)],
                requests=[Request(text=text, kind=RequestKind.PETITION)],
            ),
            Section(
                heading=text,
                intro=[Paragraph(text=text)],
                requests=[
                    Request(text=text, kind=RequestKind.PRAISE),
                    Request(text="Pray " + text, kind=RequestKind.PETITION),
                ],
            ),
        ],
    )


HOSTILE = [
    "Jeremías* and Ana*",
    "snake_case_name and __dunder__",
    "# not a heading",
    "## still not ###",
    "1. not a list",
    "1) not a list either",
    "- dash",
    "+ plus",
    "* star",
    "***",
    "---",
    "===",
    "> not a quote",
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    "[x](javascript:alert(1))",
    "![i](x)",
    "<http://evil>",
    "<a@b.co>",
    "[ref]: http://evil",
    "back\\slash \\* \\\\ and trailing \\",
    "`code` and ``more``",
    "```fence",
    "~~~fence",
    "~~strike~~",
    "&amp; &lt;script&gt; &#60; &#x3C; &copy",
    "| a | b |",
    "a\tb",
    "two  spaces inside",
    "(c) (tm) -- --- ... +- ,, ???? ?… \"quoted\" 'single'",
    "emoji 🙏🏽 and U+00A0\u00a0here and “curly” ‘quotes’",
    "%;/?,",
    "x" * 2000,
]


@pytest.mark.parametrize("path", EXAMPLES + CORPUS, ids=lambda path: path.name)
def test_bundled_bulletins_read_back(path: Path) -> None:
    assert_reads_back(prayerdoc.load(path))


@pytest.mark.parametrize("text", HOSTILE)
def test_hostile_text_stays_literal(text: str) -> None:
    assert_reads_back(bulletin_of(text))


@pytest.mark.parametrize("text", HOSTILE)
@pytest.mark.parametrize("name", sorted(PARSERS))
def test_no_html_link_or_code(text: str, name: str) -> None:
    document = markdown.dumps(bulletin_of(text))
    parser = PARSERS[name]
    kinds = {token.type for token in all_tokens(parser.parse(document))}
    assert not kinds & FORBIDDEN
    html = parser.render(document)
    for element in ("<script", "<img", "<a ", "<b>"):
        assert element not in html


def test_layout() -> None:
    document = markdown.dumps(prayerdoc.load(EXAMPLES[1]))
    assert document.startswith("# ")
    assert document.endswith("\n")
    assert not document.endswith("\n\n")
    assert "\n\n\n" not in document
    assert "\n> — " in document


def test_date_is_emphasised_line() -> None:
    bulletin = Bulletin(title="T", date=datetime.date(2019, 4, 27))
    assert markdown.dumps(bulletin) == "# T\n\n*April 27, 2019*\n"


def test_verse_without_text_keeps_reference() -> None:
    bulletin = Bulletin(epigraph=Epigraph(text="", reference=reference("Micah 6:8")))
    assert read_back(markdown.dumps(bulletin), PARSERS["commonmark"]) == [
        ("quote", ["“”", "— Micah 6:8"])
    ]


def test_empty_bulletin_is_one_newline() -> None:
    assert markdown.dumps(Bulletin()) == "\n"


def test_preamble_comes_before_title() -> None:
    bulletin = Bulletin(
        preamble=[Paragraph(text="Grace Church"), Paragraph(text="image.jpg")], title="T"
    )
    assert read_back(markdown.dumps(bulletin), PARSERS["commonmark"]) == [
        ("p", "Grace Church"),
        ("p", "image.jpg"),
        ("h1", "T"),
    ]


@pytest.mark.parametrize("text", [" lead", "trail ", "\tboth\t ", "  "])
def test_escape_keeps_edge_white_space(text: str) -> None:
    # The model trims its text; the escape still keeps edge spaces for any caller.
    tokens = PARSERS["commonmark"].parse(markdown.escape(text) + "\n")
    assert inline_text(tokens[1]) == text


# Every ASCII punctuation character, with the markup ones weighted up.
ALPHABET = st.sampled_from(
    string.ascii_letters + string.digits + string.punctuation + "   **__##🙏😀\u00a0“”‘’…—"
)
# Fragments of markup, so that short texts often hold a whole construct.
MARKUP = "* ** _ a b 1. 1) [x] (y) < > &amp; ` ~~ | ![ ]( --- ... ,, \\ javascript: <b> <http://e>"
FRAGMENTS = st.sampled_from([*MARKUP.split(), " ", "# ", "- "])
RAW = st.text(ALPHABET, min_size=1, max_size=40) | st.lists(
    FRAGMENTS | ALPHABET, min_size=1, max_size=12
).map("".join)
TEXTS = RAW.map(str.strip).filter(bool)


@settings(max_examples=examples(150))
@given(TEXTS, TEXTS)
def test_any_text_reads_back(first: str, second: str) -> None:
    assert_reads_back(bulletin_of(first))
    bulletin = Bulletin(
        sections=[
            Section(
                heading=second,
                requests=[
                    Request(text=first, kind=RequestKind.PETITION),
                    Request(text=second, kind=RequestKind.PRAISE),
                ],
            )
        ]
    )
    assert_reads_back(bulletin)
