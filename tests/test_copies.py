"""Copies of a real bulletin, varied as reposting varies them, read as the bulletin itself.

The variations are those docs/format.md lists as found in the wild: a church's
header lines above the title, a date in one of its forms, straight, mixed or
missing quotation marks, three dashes, bullets of three kinds, a mailing-list
copy with a block a line and ``|`` lines, hard wraps in a web copy, a region
written inline, table leftovers at line ends, CRLF, a byte-order mark, a
cut-off end. Each example draws one of the five seeds, a few changes of its
content (a new region name, a request split in two, a heading over the lead
section) and then a copy: the reading of the copy must be the reading of the
same bulletin written plainly, one block a paragraph with a blank line between,
and that must hold the title and header lines written.

Hard wraps are drawn in web copies only: in a mailing-list copy a wrap that
falls just after a full stop cannot be told from a new paragraph (docs/format.md,
"Blocks first").
"""

from __future__ import annotations

import re
import textwrap
from pathlib import Path
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

import prayerdoc
from prayerdoc.alphabet import KNOWN_REGIONS
from profiles import examples

SEEDS = [
    prayerdoc.load(path)
    for path in sorted((Path(__file__).parent / "data" / "valid" / "seeds").glob("seed-*.txt"))
]
HEADER_LINES = (
    "Grace Fellowship Church",
    "Call 555-0142 or write to prayer@gracefellowship.example",
    "unnamed (4).jpg",
    "This week our small group prayed through the requests below, and we invite you to join us.",
)
TITLES = (
    "IJM Prayer Request",
    "IJM Prayer Requests",
    "Stand with the oppressed!",
    "IJM Prayer List",
)
DATES = ("April 27, 2019", "Thursday, 31 January 2013", "March 8, 2025 |", "2019-04-27")
REGIONS = ("Africa & Europe", "Asia Pacific", "Africa + Europe", "IJM Global Office & Partners")
QUOTES = {"curly": "“{}”", "straight": '"{}"', "mixed": '“{}"', "no open": "{}”", "no close": "“{}"}
# Where a request may be split in two: a sentence end before an asking word.
_SPLIT = re.compile(r"[.!?][\u00a0 ]+(?=(?:Pray|Please|Praise|Ask|Thank|Join)\b)")

Sections = list[tuple[str | None, list[str], list[str]]]


def _content(draw: st.DrawFn) -> tuple[prayerdoc.Bulletin, Sections]:
    seed = draw(st.sampled_from(SEEDS))
    sections: Sections = []
    for section in seed.sections:
        heading = section.heading
        if heading is not None and draw(st.booleans()):
            heading = draw(st.sampled_from(REGIONS))
        requests = [request.text for request in section.requests]
        cuts = [match.end() for match in _SPLIT.finditer(requests[0])] if requests else []
        split = draw(st.booleans())
        if cuts and split:
            cut = draw(st.sampled_from(cuts))
            requests[:1] = [requests[0][:cut].rstrip(" \u00a0"), requests[0][cut:]]
        sections.append((heading, [p.text for p in section.intro], requests))
    if sections[0][0] is None and draw(st.booleans()):
        sections[0] = ("Africa", *sections[0][1:])
    return seed, sections


def _write(blocks: list[tuple[str, str]], copy: dict[str, Any]) -> str:
    lines: list[str] = []
    for kind, text in blocks:
        wrapped = copy["wrap"] and kind == "p"
        lines += textwrap.wrap(text, copy["wrap"], break_on_hyphens=False) if wrapped else [text]
        if copy["mailing"]:
            lines += ["|"] if copy["pipes"] and kind != "p" else []
        else:
            lines += [""] * (2 if kind == "r" and copy["two blanks"] else 1)
    joined: str = copy["newline"].join(lines).rstrip("\r\n")
    return f"{copy['bom']}{joined}{copy['end']}"


def _blocks(
    seed: prayerdoc.Bulletin, header: list[str], sections: Sections, copy: dict[str, Any]
) -> list[tuple[str, str]]:
    assert seed.epigraph is not None
    assert seed.epigraph.reference is not None
    blocks = [("h", line) for line in header]
    blocks.append(("v", QUOTES[copy["quotes"]].format(seed.epigraph.text)))
    blocks.append(("r", f"{copy['dash']} {seed.epigraph.reference.text}{copy['leftover']}"))
    for heading, intro, requests in sections:
        inline = copy["inline"] and heading and heading.casefold() in KNOWN_REGIONS
        inline = inline and len(intro + requests) == 1
        if heading is not None and not inline:
            blocks.append(("H", heading + copy["leftover"]))
        blocks += [("p", text) for text in intro]
        for text in requests:
            blocks.append(("p", f"{heading}: {text}" if inline else copy["bullet"] + text))
    return blocks


PLAIN = {
    "quotes": "curly", "dash": "—", "leftover": "", "bullet": "", "inline": False,
    "mailing": False, "pipes": False, "wrap": 0, "two blanks": False,
    "bom": "", "newline": "\n", "end": "",
}  # fmt: skip


@st.composite
def _copies(draw: st.DrawFn) -> tuple[str, str, str | None, list[str]]:
    """A copy of a varied seed, the same bulletin written plainly, its title and header."""
    seed, sections = _content(draw)
    header = draw(st.lists(st.sampled_from(HEADER_LINES), max_size=2, unique=True))
    title = draw(st.sampled_from((seed.title, *TITLES, None))) if not header else "IJM Prayer List"
    dated = [draw(st.sampled_from(DATES))] if title and draw(st.booleans()) else []
    top = [*header, *([title] if title else []), *dated]
    mailing = draw(st.booleans())
    copy = {
        "quotes": draw(st.sampled_from(sorted(QUOTES))),
        "dash": draw(st.sampled_from("—–-")),
        "leftover": draw(st.sampled_from(("", " |"))),
        "bullet": draw(st.sampled_from(("", "  • ", "- ", "\t• "))),
        "inline": not mailing and draw(st.booleans()),
        "mailing": mailing,
        "pipes": draw(st.booleans()),
        "wrap": 0 if mailing else draw(st.sampled_from((0, 0, 60, 72, 78))),
        "two blanks": draw(st.booleans()),
        "bom": draw(st.sampled_from(("", "\ufeff"))),
        "newline": draw(st.sampled_from(("\n", "\r\n"))),
        "end": draw(st.sampled_from(("", "\n"))),
    }
    plain = {**PLAIN, "bullet": "  • " if copy["bullet"] else ""}
    text = _write(_blocks(seed, top, sections, copy), copy)
    expected = _write(_blocks(seed, top, sections, plain), plain)
    last = sections[-1][2][-1]
    if not copy["wrap"] and len(last) > 40 and draw(st.booleans()):  # cut off in the last request
        cut = draw(st.integers(min_value=30, max_value=len(last) - 5))
        text, expected = text[: text.rindex(last) + cut], expected[: expected.rindex(last) + cut]
    return text, expected, title, header


def _reading(bulletin: prayerdoc.Bulletin) -> dict[str, Any]:
    return {
        "title": bulletin.title,
        "date": bulletin.date,
        "preamble": [line.text for line in bulletin.preamble],
        "epigraph": bulletin.epigraph,
        "sections": [
            (s.heading, [p.text for p in s.intro], [(r.text, r.kind) for r in s.requests])
            for s in bulletin.sections
        ],
    }


@settings(max_examples=examples(150))
@given(_copies())
def test_a_copy_reads_as_the_bulletin_written_plainly(
    drawn: tuple[str, str, str | None, list[str]],
) -> None:
    text, plain, title, header = drawn
    expected = _reading(prayerdoc.parse(plain))
    assert (expected["title"], expected["preamble"]) == (title, header)
    reading = _reading(prayerdoc.parse(text))
    assert reading == {**expected, "epigraph": reading["epigraph"]}
    # The verse and its reference, whatever marks and dashes the copy used.
    assert reading["epigraph"].text == expected["epigraph"].text
    assert reading["epigraph"].reference == expected["epigraph"].reference
