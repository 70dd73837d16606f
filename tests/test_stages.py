"""The parser's stages: text → blocks → tokens → grammar → model, each its own module.

Each stage imports only the stages before it; the tokens carry text, never parsed
values; a reader can hand in blocks of its own; and every rule of the grammar is
explained, with an example, in docs/format.md.
"""

from __future__ import annotations

import ast
import datetime
import re
from pathlib import Path

import pytest

import prayerdoc
from prayerdoc._parser import parse_blocks, parse_text
from prayerdoc.blocks import Block, blocks
from prayerdoc.lexer import plain, shapes, tokens
from prayerdoc.model import Position

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "src" / "prayerdoc"
GRAMMAR = (ROOT / "grammar" / "prayerdoc.lark").read_text(encoding="utf-8")
FORMAT = (ROOT / "docs" / "format.md").read_text(encoding="utf-8")
CORPUS = sorted((ROOT / "tests" / "data" / "valid").rglob("*.txt"))

# The stages in the order the text passes through them.
STAGES = ("alphabet", "blocks", "lexer", "_parser")


def _imported(module: str) -> set[str]:
    tree = ast.parse((PACKAGE / f"{module}.py").read_text(encoding="utf-8"))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module.removeprefix("prayerdoc."))
            names.update(alias.name for alias in node.names if node.module == "prayerdoc")
        elif isinstance(node, ast.Import):
            names.update(alias.name.removeprefix("prayerdoc.") for alias in node.names)
    return names


@pytest.mark.parametrize("stage", STAGES)
def test_a_stage_imports_no_stage_after_it(stage: str) -> None:
    later = set(STAGES[STAGES.index(stage) + 1 :])
    assert _imported(stage) & later == set()


def test_the_path_of_the_text_is_straight() -> None:
    assert "blocks" in _imported("lexer")
    assert "lexer" in _imported("_parser")
    assert "blocks" not in _imported("alphabet")


@pytest.mark.parametrize("path", CORPUS, ids=lambda path: path.name)
def test_tokens_carry_their_text_and_nothing_else(path: Path) -> None:
    text = prayerdoc.source.normalise(path.read_bytes().decode("utf-8-sig"))
    for token in tokens(blocks(text)).tokens:
        assert type(token.value) is str
        assert token.value == str(token)


def _rules(grammar: str) -> list[str]:
    """Every rule and template the grammar defines, and every alias (a role a rule gives)."""
    defined = re.findall(r"^[?!]?(\w+)(?:\{[^}]*\})?(?:\.\d+)?\s*:", grammar, re.MULTILINE)
    aliases = re.findall(r"->\s*(\w+)\s*$", grammar, re.MULTILINE)
    return list(dict.fromkeys(defined + aliases))


def test_every_grammar_rule_is_explained_with_an_example() -> None:
    rules = _rules(GRAMMAR)
    assert {"bulletin", "headless", "section", "title", "epigraph"} <= set(rules)
    for rule in rules:
        heading = rf"^### [^\n]*`{re.escape(rule)}`[^\n]*\n(.*?)(?=^##|\Z)"
        section = re.search(heading, FORMAT, re.MULTILINE | re.DOTALL)
        assert section is not None, f"docs/format.md has no section for the rule {rule}"
        assert "```text\n" in section.group(1), f"the section for {rule} has no example"


def test_the_rule_list_finds_a_new_rule() -> None:
    # The test above means something only if a rule added to the grammar is seen.
    assert "prayer_chain" in _rules(GRAMMAR + "\nprayer_chain: BULLET+\n")
    assert "run{x}" not in _rules(GRAMMAR)
    assert "run" in _rules(GRAMMAR + "\nrun{x}: TEXT x\n")
    assert "pleading" in _rules(GRAMMAR + "\nplea.2: ASK -> pleading\n")


def test_a_reader_can_hand_in_its_own_blocks() -> None:
    # A reader of another format knows its paragraphs and where each stands in its source.
    made = [
        Block.make("IJM Prayer Request", 3, 5),
        Block.make("April 27, 2019", 4, 5),
        Block.make("“Act justly.”", 7, 5),
        Block.make("— Micah 6:8", 8, 5),
        Block.make("Africa: Pray for Kenya.", 10, 7),
        Block.make("Latin America", 12, 5),
        Block.make("Praise God for a rescue.", 13, 7, bullet=True),
    ]
    parsed = parse_blocks(made)
    text = (
        "IJM Prayer Request\n\nApril 27, 2019\n\n“Act justly.”\n\n— Micah 6:8\n\n"
        "Africa: Pray for Kenya.\n\nLatin America\n\n  • Praise God for a rescue.\n"
    )
    assert parsed.bulletin == parse_text(text).bulletin
    bulletin = parsed.bulletin
    assert bulletin is not None
    assert bulletin.date == datetime.date(2019, 4, 27)
    assert bulletin.epigraph is not None
    assert bulletin.epigraph.reference is not None
    assert bulletin.epigraph.reference.position == Position(8, 7)
    assert [s.position for s in bulletin.sections] == [Position(10, 7), Position(12, 5)]
    assert bulletin.sections[1].requests[0].position == Position(13, 7)


@pytest.mark.parametrize(
    ("text", "code", "line", "column"),
    [
        # The dash on one line, the reference wrapped onto the next.
        ("—\nHezekiah 3:1\n\nPray for the team.", "PD202", 2, 1),
        ("Title\n\n“Do justly.”\n\n—\nHezekiah 3:1\n\nPray for the team.", "PD202", 6, 1),
    ],
)
def test_a_finding_in_a_wrapped_line_points_at_that_line(
    text: str, code: str, line: int, column: int
) -> None:
    found = [(d.line, d.column) for d in prayerdoc.check(text) if d.code == code]
    assert found == [(line, column)]


def test_a_label_on_a_wrapped_line_keeps_its_place() -> None:
    block = blocks("Pray for\nAfrica: Pray for Kenya.").blocks[0]
    assert block.text == "Pray for Africa: Pray for Kenya."
    assert block.place(9)[:2] == (2, 1)
    assert block.rest(17, bullet=False).first[:2] == (2, 9)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("April 27, 2019", ("DATE", "HEADING", "LINE", "PLAIN")),
        ("February 30, 2019", ("BAD_DATE", "HEADING", "LINE", "PLAIN")),
        ("— Micah 6:8", ("REFERENCE", "LINE", "PLAIN")),
        ("— read on", ("DASH", "LINE", "PLAIN")),
        ("“Act justly.”", ("QUOTED", "LINE", "PLAIN")),
        ("“'”", ("QUOTED", "LINE", "PLAIN")),
        ("“Act justly and", ("OPEN_QUOTE", "LINE", "PLAIN")),
        ("love mercy.”", ("LINE", "PLAIN")),
        ("““", ("LINE", "PLAIN")),
        ("“ ”", ("LINE", "PLAIN")),
        ("Latin America", ("HEADING", "LINE", "PLAIN")),
        ("Pray for Kenya.", ("LINE", "PLAIN")),
    ],
)
def test_a_block_has_its_shapes_from_its_own_text(text: str, expected: tuple[str, ...]) -> None:
    heading = prayerdoc.classify.is_heading_shaped(text)
    assert shapes(text, bullet=False, heading=heading) == expected
    assert shapes(text, bullet=True, heading=heading) == ("BULLET",)


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("Pray for Kenya.", "ASK"),
        ("The team thanks God for a rescue.", "ASK"),
        ("Join us in praising God.", "ASK"),
        ("IJM has partner offices in the UK.", "TEXT"),
        ("Latin America", "TEXT"),
        ("The team met in Lima on Sunday.", "TEXT"),
    ],
)
def test_a_block_read_as_a_paragraph_asks_or_is_text(text: str, kind: str) -> None:
    assert plain(text) == kind


BLOG = "“Justice is what love looks like in public,” she said.\n\nIJM Prayer List\n\n"


@pytest.mark.parametrize(
    "verse",
    [
        "Act justly and love mercy.\n\n— Micah 6:8",
        "“Act justly and love mercy.”\n\n— Micah 6:8",
        "“Act justly and\nlove mercy.”\n— Micah 6:8",
        "“He has shown you what is good.\nAct justly.\nLove mercy.”\n— Micah 6:8",
    ],
)
def test_a_quotation_above_a_blank_line_is_a_header_line_not_the_verse(verse: str) -> None:
    bulletin = prayerdoc.parse(BLOG + verse + "\n\nPray for the team in Kenya.")
    assert [p.text for p in bulletin.preamble] == [BLOG.split("\n")[0]]
    assert bulletin.title == "IJM Prayer List"
    assert bulletin.epigraph is not None
    assert bulletin.epigraph.text.endswith(("mercy.", "Love mercy."))
    assert "IJM" not in bulletin.epigraph.text


def test_a_quotation_runs_over_the_lines_below_it_to_the_reference() -> None:
    text = (
        "“He has shown you what is good.\nAct justly.\nLove mercy.”\n— Micah 6:8\nPray for Kenya."
    )
    bulletin = prayerdoc.parse(text)
    assert bulletin.epigraph is not None
    assert bulletin.epigraph.text == "He has shown you what is good. Act justly. Love mercy."
    assert bulletin.title is None


def test_a_block_with_no_blank_line_above_it_may_run_on() -> None:
    assert shapes("love mercy.”", bullet=False, heading=False, continues=True) == (
        "RUN_CLOSE",
        "RUN",
        "LINE",
        "PLAIN",
    )
    assert shapes("April 27, 2019", bullet=False, heading=True, continues=True) == (
        "DATE",
        "HEADING",
        "RUN",
        "LINE",
        "PLAIN",
    )


def test_a_label_opens_a_section_in_the_body_only() -> None:
    text = (
        "Kenya\n\nKenya: the team\n\nIJM Prayer Request\n\n“Act justly.”\n\n— Micah 6:8\n\n"
        "Kenya: Pray for Lima.\n\nKenya\n\nPray for the court."
    )
    bulletin = prayerdoc.parse(text)
    assert [p.text for p in bulletin.preamble] == ["Kenya", "Kenya: the team"]
    assert [(s.heading, [r.text for r in s.requests]) for s in bulletin.sections] == [
        ("Kenya", ["Pray for Lima."]),
        ("Kenya", ["Pray for the court."]),
    ]


def test_a_wrap_leaves_its_line_full_and_a_short_line_stands_alone() -> None:
    # A copy wrapped at about 60 columns: the second line ends a sentence but is
    # full, so the third goes on with it; the intro is a short line ending a
    # sentence, so the request below it is a block of its own.
    text = (
        "Pray for the team in Uganda as they train new paralegals this\n"
        "month, and for the widows who will meet them in the north.\n"
        "Pray that the courts will hear their cases without delay.\n"
        "\n"
        "IJM has offices in the UK.\n"
        "Please pray for the volunteers who plan prayer vigils in\n"
        "their cities.\n"
        "\n"
        "Grace Fellowship Church\n"
        "\n"
        "Pray for the judges in\n"
        "Kampala who hear land cases.\n"
    )
    assert [block.text for block in blocks(text).blocks] == [
        "Pray for the team in Uganda as they train new paralegals this month, and for the"
        " widows who will meet them in the north. Pray that the courts will hear their"
        " cases without delay.",
        "IJM has offices in the UK.",
        "Please pray for the volunteers who plan prayer vigils in their cities.",
        "Grace Fellowship Church",
        # Mid-sentence, a short line goes on all the same: broken by hand.
        "Pray for the judges in Kampala who hear land cases.",
    ]


def test_a_mailing_list_copy_wrapped_at_a_column_wraps_after_a_full_stop_too() -> None:
    # No blank line anywhere, every line within 64 columns: the first paragraph's
    # second line ends a sentence, but "Pray" would not have fitted after it.
    # The verse is left unwrapped, as a mail program may leave a line.
    verse = (
        "“He has shown you, O mortal, what is good. And what does the Lord require"
        " of you? To act justly and to love mercy.”"
    )
    text = (
        "Grace Fellowship Church\n"
        f"{verse}\n"
        "— Micah 6:8\n"
        "Pray for the team in Uganda as they train new paralegals this\n"
        "month, and for the widows who will meet them in the north town.\n"
        "Pray that the courts will hear their cases without delay.\n"
        "IJM has offices in the UK.\n"
        "Please pray for the volunteers who plan prayer vigils in their\n"
        "cities this autumn."
    )
    assert [block.text for block in blocks(text).blocks] == [
        "Grace Fellowship Church",
        verse,
        "— Micah 6:8",
        "Pray for the team in Uganda as they train new paralegals this month, and for the"
        " widows who will meet them in the north town. Pray that the courts will hear"
        " their cases without delay.",
        "IJM has offices in the UK.",
        "Please pray for the volunteers who plan prayer vigils in their cities this autumn.",
    ]


def test_lines_of_table_leftovers_are_no_blank_lines() -> None:
    # A mailing-list copy: a block a line, whether or not a "|" line stands between.
    text = "South Asia |\n|\nIJM has offices in Canada and the UK.\nPray for the team.\n|\nPray."
    assert [block.text for block in blocks(text).blocks] == [
        "South Asia",
        "IJM has offices in Canada and the UK.",
        "Pray for the team.",
        "Pray.",
    ]
