"""Real bulletins as they are published — Markdown, web pages, e-mails — read as their plain text.

Each example draws one of the seeds and a few changes of its content, as
test_copies does, and then publishes it in one of the shapes docs/inputs.md says
its reader takes: Markdown with ATX, setext or bold headings, the verse in a
block quote or not, requests as any kind of list or as paragraphs, hard and soft
line breaks, escapes and entities; HTML as blogs and newsletters write it, in
headings or bold paragraphs, ``<br>`` breaks, lists, block quotes, inline tags,
layout tables, a page around a ``<main>`` or ``<article>``, uppercase tags and
end tags left out; an e-mail with a plain-text part, an HTML part or both, in
any transfer encoding and a charset the text fits (or labelled iso-8859-1 and
holding windows-1252's quotes, as Outlook sends it). Its reading must be the
reading of the same bulletin written plainly; every finding the reader reports
must stand inside the published file (an e-mail's inside its decoded part), and
every request and intro paragraph must be placed at its first word there.

Not drawn, as docs/inputs.md does not say the readers take them: Markdown front
matter (it reads as a line of text), a ``- `` reference line not escaped (it is
a list item), e-mail in format=flowed, signatures and forwarded messages. Other
limits are said where they would be drawn.
"""

from __future__ import annotations

import datetime
import email
import email.policy
import re
import textwrap
from email.message import EmailMessage
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

import prayerdoc
from prayerdoc.dates import format_date
from prayerdoc.diagnostics import Diagnostic
from prayerdoc.formats import email as eml
from prayerdoc.formats import html, markdown
from profiles import examples
from test_copies import HEADER_LINES, TITLES, _content, _reading

# A block of a bulletin, before it is published: what it is and its text.
#   h preamble line, T title, D date, v verse, r reference, H heading, i intro, q request
Block = tuple[str, str]

SENT = "Fri, 26 Apr 2019 14:02:09 +0000"
# Dates as bulletins write them; a leftover `|` is test_copies' business.
DATES = ("April 27, 2019", "Thursday, 31 January 2013", "2019-04-27")
WIDTHS = (0, 0, 60, 72, 78)


@st.composite
def _bulletins(draw: st.DrawFn) -> list[Block]:
    """A varied seed as the blocks a person sees, in order."""
    seed, sections = _content(draw)
    assert seed.epigraph is not None
    assert seed.epigraph.reference is not None
    header = draw(st.lists(st.sampled_from(HEADER_LINES), max_size=1))
    # Below a header line, a title of the seed's own shape could be read as one more
    # header line; test_copies fixes the title there for the same reason.
    title = draw(st.sampled_from((seed.title, *TITLES, None))) if not header else "IJM Prayer List"
    blocks: list[Block] = [("h", line) for line in header]
    if title is not None:
        blocks.append(("T", title))
        if draw(st.booleans()):
            date = format_date(seed.date) if seed.date is not None else None
            blocks.append(("D", draw(st.sampled_from((*DATES, *([date] if date else []))))))
    blocks += [("v", seed.epigraph.text), ("r", seed.epigraph.reference.text)]
    for heading, intro, requests in sections:
        if heading is not None:
            blocks.append(("H", heading))
        blocks += [("i", text) for text in intro]
        blocks += [("q", text) for text in requests]
    return blocks


def _plain(blocks: list[Block], *, bullets: bool, width: int = 0) -> str:
    """The bulletin written plainly: one block a paragraph, requests bulleted when listed,
    and paragraphs hard-wrapped at ``width`` if it is given, as a mail program sends them."""
    written = {"v": "“{}”", "r": "— {}", "q": "  • {}" if bullets else "{}"}
    texts = [(kind, written.get(kind, "{}").format(text)) for kind, text in blocks]
    if width:
        texts = [
            (kind, "\n".join(textwrap.wrap(text, width, break_on_hyphens=False)))
            if kind in "iq"
            else (kind, text)
            for kind, text in texts
        ]
    return "\n\n".join(text for _, text in texts) + "\n"


# A word of marked-up text: tags hold spaces that do not part words.
_WORD = re.compile(r"(?:<[^>]*>|[^ ])+")


def _wrap(text: str, width: int, *, safe: re.Pattern[str], markup: re.Pattern[str]) -> list[str]:
    """``text`` hard-wrapped at ``width`` visible characters, never before a word ``safe``
    says would start markup.

    A line of a paragraph that starts with ``- ``, ``1.``, ``#`` or ``>`` is a list, a
    heading or a quote in Markdown; people wrapping by hand do not break there. Widths
    count what a person sees, not the ``markup``: the text parser tells a wrap from a
    paragraph's end by how full its line is, and sees only the visible words, so a line
    that ends a sentence and is full only of markup would read as a paragraph's end.
    """
    if not width:
        return [text]
    lines: list[str] = []
    line, seen = "", 0
    for word in _WORD.findall(text):
        visible = len(markup.sub(lambda m: "x" if m.group().startswith("&") else "", word))
        if line and seen + 1 + visible > width and not safe.match(word):
            lines.append(line)
            line, seen = word, visible
        else:
            line, seen = (f"{line} {word}", seen + 1 + visible) if line else (word, visible)
    return [*lines, line]


def _assert_placed(
    found: list[Diagnostic], text: str, *, skip: frozenset[str] = frozenset()
) -> None:
    """Every finding stands at a line and column of ``text``."""
    lines = re.split(r"\r\n|\r|\n", text)
    for diagnostic in found:
        if diagnostic.code in skip:
            continue
        assert 1 <= diagnostic.line <= len(lines), diagnostic
        assert 1 <= diagnostic.column <= len(lines[diagnostic.line - 1]) + 1, diagnostic
        if diagnostic.end_line is not None:
            assert diagnostic.line <= diagnostic.end_line <= len(lines), diagnostic


def _assert_found(bulletin: prayerdoc.Bulletin, text: str) -> None:
    """Each request and intro paragraph is placed at its first word in ``text``."""
    lines = re.split(r"\r\n|\r|\n", text)
    for section in bulletin.sections:
        nodes: list[prayerdoc.Paragraph | prayerdoc.Request] = [*section.intro, *section.requests]
        for node in nodes:
            word = re.match(r"[A-Za-z]{2,}", node.text)
            if word is None or node.position is None:
                continue
            line = lines[node.position.line - 1]
            assert line[node.position.column - 1 :].startswith(word.group()), (node, line)


def _assert_reads_as(bulletin: prayerdoc.Bulletin, plain: str, **changes: Any) -> None:
    expected = {**_reading(prayerdoc.parse(plain)), **changes}
    reading = _reading(bulletin)
    assert reading == {**expected, "epigraph": reading["epigraph"]}
    # The verse and its reference, whatever marks and dashes the page used.
    assert reading["epigraph"].text == expected["epigraph"].text
    assert reading["epigraph"].reference == expected["epigraph"].reference


# Markdown ------------------------------------------------------------------

# What would open a block at the start of a line inside a paragraph.
_MD_OPENER = re.compile(r"[-+*#>=|`~<]|[0-9]{1,9}[.)]")
_MD_MARKUP = re.compile(r"<[^>]*>|\]\([^)]*\)|\\(?=.)|&#?\w+;|(?<!\\)[*_\[]")
_MD_ESCAPED = re.compile(r"[\\`*_\[\]<]")
_MD_ENTITIES = {"&": "&amp;", "’": "&rsquo;", "“": "&#8220;", "”": "&#x201D;", "\u00a0": "&nbsp;"}


def _md_inline(text: str, style: dict[str, Any]) -> str:
    """Inline text as people type it in Markdown: markup escaped, maybe with entities."""
    escaped = _MD_ESCAPED.sub(r"\\\g<0>", text)
    if style["entities"]:
        escaped = re.sub("[&’“”\u00a0]", lambda m: _MD_ENTITIES[m.group()], escaped)
    else:
        # A bare & reads as itself unless it starts an entity.
        escaped = re.sub(r"&(?=#?\w+;)", "&amp;", escaped)
    return escaped


_MD_INLINE = {
    "": "{}",
    "link": "[{}](https://www.ijm.org/news)",
    "html": '<span class="x">{}</span>',
}


def _md_marked(text: str, style: dict[str, Any]) -> str:
    """A request with its first words in emphasis, as writers stress "Praise God", and
    its third word in a link or inline HTML."""
    words = text.split(" ")
    if len(words) < 4 or not all(word.isalpha() for word in words[:3]):
        return _md_inline(text, style)
    mark = style["emphasis"]
    third = _MD_INLINE[style["inline"]].format(words[2])
    rest = _md_inline(" ".join(words[3:]), style)
    return f"{mark}{words[0]} {words[1]}{mark} {third} {rest}"


_MD_DATES = {"plain": "{}", "italic": "*{}*", "bold": "**{}**", "heading": "### {}"}
# A reference linked to an online Bible, as blogs link them.
_BIBLE_LINK = "https://www.biblegateway.com/passage/?search=Micah+6%3A8&version=NIV"
_MD_BREAKS = {"soft": "\n", "spaces": "  \n", "backslash": "\\\n", "html": "<br>\n"}


def _md_paragraph(text: str, style: dict[str, Any], indent: str = "") -> str:
    """A paragraph's text, wrapped as the document wraps, its continuation lines indented."""
    lines = _wrap(text, style["width"], safe=_MD_OPENER, markup=_MD_MARKUP)
    breaks = _MD_BREAKS[style["break"]]
    return (breaks + indent).join(lines)


def _md_verse(verse: str, reference: str, style: dict[str, Any]) -> list[str]:
    dash = style["dash"]
    # A "- " at the start of a block is a list item: a writer escapes it.
    cited = _md_inline(reference, style)
    if style["linked reference"]:
        cited = f"[{cited}]({_BIBLE_LINK})"
    cited = ("\\-" if dash == "-" else dash) + " " + cited
    quoted = (
        _md_inline(verse, style)
        if style["verse"] == "bare quote"
        else f"“{_md_inline(verse, style)}”"
    )
    if style["verse"] in ("quote", "bare quote"):
        quoted = _md_paragraph(quoted, style, "> ")
        where = style["reference"]
        if where == "below":
            return [f"> {quoted}", cited]
        if where == "same paragraph":
            return [f"> {quoted}{_MD_BREAKS[style['break']]}> {cited}"]
        return [f"> {quoted}\n>\n> {cited}"]
    if style["verse"] in ("italic", "bold"):
        mark = "*" if style["verse"] == "italic" else "**"
        quoted = f"{mark}{quoted}{mark}"
    return [_md_paragraph(quoted, style), cited]


def _md_heading(
    text: str, style: dict[str, Any], level: int, shape: str, *, title: bool = False
) -> str:
    written = _md_inline(text, style)
    if shape == "atx":
        return "#" * level + " " + written
    if shape == "closed atx":
        return "#" * level + " " + written + " " + "#" * level
    if shape == "setext":
        return written + "\n" + ("=" if level == 1 else "-") * max(3, len(text) // 2)
    if shape == "bold":
        return f"**{written}**"
    if shape == "emphasised atx":
        return "#" * level + f" *{written}*"
    if shape == "html":
        # Block HTML, as people centre a title or copy a heading from a page.
        inner = _h_inline(text, style)
        return (
            f'<h{level} align="center">{inner}</h{level}>'
            if title
            else f"<p><strong>{inner}</strong></p>"
        )
    return written


def _paragraph(block: Block, style: dict[str, Any]) -> bool:
    return block[0] == "i" or (block[0] == "q" and not style["list"])


def _markdown(blocks: list[Block], style: dict[str, Any]) -> str:
    out: list[str] = []
    index = 0
    if style["comment"]:
        out.append("<!-- Posted by the prayer team; copied from the weekly e-mail. -->")
    if style["furniture"]:
        out.append("![Grace Fellowship](https://example.org/logo.png)")
    while index < len(blocks):
        kind, text = blocks[index]
        if kind == "H" and style["furniture"]:
            out.append(style["furniture"])  # a rule between sections
        if kind == "v":
            out += _md_verse(text, blocks[index + 1][1], style)
            index += 2
            continue
        if kind == "q" and style["list"]:
            items = []
            number = 1
            while index < len(blocks) and blocks[index][0] == "q":
                marker = f"{number}." if style["list"] == "1." else style["list"]
                body = _md_marked(blocks[index][1], style)
                wrapped = _md_paragraph(
                    body, style, " " * (len(marker) + 1) if style["indent"] else ""
                )
                items.append(f"{marker} {wrapped}")
                number += 1
                index += 1
            out.append(("\n\n" if style["loose"] else "\n").join(items))
            continue
        if kind == "T" and style["title"] == "html br" and blocks[index + 1][0] == "D":
            # The title and the date in one centred HTML paragraph, a line each.
            date = _h_inline(blocks[index + 1][1], style)
            out.append(f'<p align="center"><b>{_h_inline(text, style)}</b><br>\n{date}</p>')
            index += 1
        elif kind == "T":
            shape = "html" if style["title"] == "html br" else style["title"]
            out.append(_md_heading(text, style, style["title level"], shape, title=True))
        elif (
            kind == "H"
            and style["headings"] == "bold above"
            and _paragraph(blocks[index + 1], style)
        ):
            # The docs' "**Latin America** on the line above its request".
            below = _md_paragraph(_md_marked(blocks[index + 1][1], style), style)
            out.append(f"**{_md_inline(text, style)}**\n{below}")
            index += 1
        elif kind == "H":
            shape = "bold" if style["headings"] == "bold above" else style["headings"]
            out.append(_md_heading(text, style, style["level"], shape))
        elif kind == "D":
            out.append(_MD_DATES[style["date"]].format(_md_inline(text, style)))
        elif kind == "q":
            out.append(_md_paragraph(_md_marked(text, style), style))
        else:
            out.append(_md_paragraph(_md_inline(text, style), style))
        index += 1
    document: str = "\n\n".join(out) + style["end"]
    return document.replace("\n", style["newline"])


@st.composite
def _markdown_styles(draw: st.DrawFn) -> dict[str, Any]:
    return {
        "title": draw(
            st.sampled_from(("atx", "closed atx", "setext", "plain", "bold", "html", "html br"))
        ),
        "headings": draw(
            st.sampled_from(
                ("atx", "closed atx", "setext", "bold", "bold above", "html", "emphasised atx")
            )
        ),
        "title level": draw(st.sampled_from((1, 2))),
        "level": draw(st.sampled_from((2, 3, 6))),
        "date": draw(st.sampled_from(sorted(_MD_DATES))),
        "verse": draw(st.sampled_from(("quote", "bare quote", "plain", "italic", "bold"))),
        "linked reference": draw(st.booleans()),
        "reference": draw(st.sampled_from(("below", "same paragraph", "own paragraph"))),
        "dash": draw(st.sampled_from("—–-")),
        "list": draw(st.sampled_from(("-", "*", "+", "1.", ""))),
        "loose": draw(st.booleans()),
        "indent": draw(st.booleans()),
        "emphasis": draw(st.sampled_from(("", "*", "_", "**"))),
        "inline": draw(st.sampled_from(sorted(_MD_INLINE))),
        "width": draw(st.sampled_from(WIDTHS)),
        "break": draw(st.sampled_from(sorted(_MD_BREAKS))),
        "entities": draw(st.booleans()),
        "comment": draw(st.booleans()),
        # A logo above the title and a thematic break above each section, or neither.
        "furniture": draw(st.sampled_from(("", "---", "***", "* * *", "___"))),
        "newline": draw(st.sampled_from(("\n", "\r\n"))),
        "end": draw(st.sampled_from(("", "\n"))),
    }


@settings(max_examples=examples(50))
@given(_bulletins(), _markdown_styles())
def test_markdown_as_people_write_it_reads_as_the_plain_text(
    blocks: list[Block], style: dict[str, Any]
) -> None:
    document = _markdown(blocks, style)
    bulletin = markdown.loads(document)
    _assert_reads_as(bulletin, _plain(blocks, bullets=bool(style["list"])))
    _assert_found(bulletin, document)
    _assert_placed(markdown.check(document), document)


# HTML ----------------------------------------------------------------------

_H_DATES = {
    "p": "<p>{}</p>",
    "em": "<p><em>{}</em></p>",
    "strong": "<p><strong>{}</strong></p>",
    "time": '<p class="date"><time datetime="2019-04-27">{}</time></p>',
    "h3": "<h3>{}</h3>",
}
_H_ENTITIES = {"’": "&rsquo;", "“": "&ldquo;", "”": "&#8221;", "—": "&mdash;", "\u00a0": "&nbsp;"}
_H_INLINE = {
    "": "{}",
    "link": '<a href="https://www.ijm.org/news?id=1&amp;ref=mail" target="_blank">{}</a>',
    "span": '<span style="color:#333333;font-family:Arial">{}</span>',
    "font": '<font color="#333333">{}</font>',
}
_H_MARKUP = re.compile(r"<[^>]*>|&#?\w+;")


def _h_inline(text: str, style: dict[str, Any]) -> str:
    escaped = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    if style["entities"]:
        escaped = re.sub("[’“”—\u00a0]", lambda m: _H_ENTITIES[m.group()], escaped)
    return escaped


def _h_marked(text: str, style: dict[str, Any]) -> str:
    """A request with its first words stressed and its third in an inline element."""
    words = text.split(" ")
    if len(words) < 4 or not all(word.isalpha() for word in words[:3]):
        return _h_inline(text, style)
    stress = style["stress"]
    first = f"<{stress}>{words[0]} {words[1]}</{stress}>" if stress else f"{words[0]} {words[1]}"
    third = _H_INLINE[style["inline"]].format(words[2])
    return f"{first} {third} {_h_inline(' '.join(words[3:]), style)}"


def _h_lines(text: str, style: dict[str, Any]) -> str:
    """A paragraph's inner HTML: wrapped in the source, or by ``<br>``, or not at all."""
    lines = _wrap(text, style["width"], safe=re.compile("$^"), markup=_H_MARKUP)
    return ("<br>\n" if style["br wrap"] else "\n").join(lines)


def _h_paragraph(inner: str, style: dict[str, Any], tag: str = "p") -> str:
    end = "" if style["omit ends"] and tag in ("p", "li") else f"</{tag}>"
    if tag == "li" and style["item paragraphs"]:
        # A loose list, as Markdown renderers write one: each item's text in a <p>.
        inner = f"<p>{inner}</p>"
    elif style["attributes"] == ' class="MsoNormal"':
        inner += "<o:p></o:p>"  # as Outlook ends every paragraph
    return f"<{tag}{style['attributes']}>{inner}{end}"


def _h_verse(verse: str, reference: str, style: dict[str, Any]) -> list[str]:
    dash = {"—": "&mdash;" if style["entities"] else "—", "–": "&ndash;", "-": "-"}[style["dash"]]
    cited = _h_inline(reference, style)
    if style["linked reference"]:
        cited = f'<a href="{_BIBLE_LINK.replace("&", "&amp;")}">{cited}</a>'
    cited = f"{dash} {cited}"
    quoted = f"“{_h_inline(verse, style)}”"
    shape = style["verse"]
    if shape == "quote below":
        return [f"<blockquote><p>{quoted}</p></blockquote>", _h_paragraph(cited, style)]
    if shape == "bare quote":
        # A block quote is a quotation: the reader puts its marks back.
        return [f"<blockquote><p>{_h_inline(verse, style)}</p></blockquote>", f"<p>{cited}</p>"]
    if shape == "quote br":
        return [f"<blockquote>{quoted}<br>{cited}</blockquote>"]
    if shape == "quote paragraphs":
        return [f"<blockquote><p>{quoted}</p><p>{cited}</p></blockquote>"]
    if shape == "figure":
        return [
            f"<figure><blockquote>{quoted}</blockquote>"
            f"<figcaption>{dash} <cite>{_h_inline(reference, style)}</cite></figcaption></figure>"
        ]
    if shape == "quote footer":
        return [f"<blockquote><p>{quoted}</p><footer>{cited}</footer></blockquote>"]
    if shape == "em br":
        return [f"<p><em>{quoted}</em><br>{cited}</p>"]
    if shape == "strong":
        return [f"<p><strong>{quoted}</strong></p>", _h_paragraph(cited, style)]
    return [_h_paragraph(quoted, style), _h_paragraph(cited, style)]


def _h_heading(text: str, shape: str, level: int) -> str:
    if shape == "strong":
        return f"<p><strong>{text}</strong></p>"
    if shape == "div b":
        return f"<div><b>{text}</b></div>"
    if shape == "p":
        return f"<p>{text}</p>"
    return f"<h{level}>{text}</h{level}>"


def _h_body(blocks: list[Block], style: dict[str, Any]) -> list[str]:
    out: list[str] = []
    index = 0
    while index < len(blocks):
        kind, text = blocks[index]
        if kind == "v":
            out += _h_verse(text, blocks[index + 1][1], style)
            index += 2
            continue
        if kind == "q" and style["list"]:
            items = []
            while index < len(blocks) and blocks[index][0] == "q":
                items.append(
                    _h_paragraph(_h_lines(_h_marked(blocks[index][1], style), style), style, "li")
                )
                index += 1
            out.append(f"<{style['list']}>\n" + "\n".join(items) + f"\n</{style['list']}>")
            continue
        if kind == "T":
            out.append(_h_heading(_h_inline(text, style), style["title"], 1))
        elif kind == "H" and style["headings"] == "b br" and _paragraph(blocks[index + 1], style):
            # The docs' "<b>Asia</b><br> at the start of a paragraph".
            below = _h_lines(_h_marked(blocks[index + 1][1], style), style)
            out.append(_h_paragraph(f"<b>{_h_inline(text, style)}</b><br>{below}", style))
            index += 1
        elif kind == "H":
            shape = "strong" if style["headings"] == "b br" else style["headings"]
            out.append(_h_heading(_h_inline(text, style), shape, style["level"]))
        elif kind == "D":
            date = _h_inline(text, style)
            out.append(_H_DATES[style["date"]].format(date))
        elif kind in "iq":
            out.append(_h_paragraph(_h_lines(_h_marked(text, style), style), style))
        else:
            out.append(_h_paragraph(_h_inline(text, style), style))
        if style["spacers"]:
            out.append("<p>&nbsp;</p>")
        index += 1
    return out


_AROUND_HEAD = (
    '<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
    "<title>Prayer requests | Grace Fellowship</title>\n"
    "<style>body{font-family:Georgia} .hidden{display:none}</style>\n"
    '<script>window.dataLayer=[];if(1<2&&3>2){console.log("<p>x</p>")}</script>\n</head>\n<body>\n'
    '<header><a href="/">Grace Fellowship</a></header>\n'
    '<nav><ul><li><a href="/">Home</a></li><li><a href="/prayer">Prayer</a></li></ul></nav>\n'
)
_AROUND_FOOT = (
    '<footer><p>&copy; 2019 Grace Fellowship. <a href="/unsubscribe">Unsubscribe</a></p>'
    "</footer>\n<script>track();</script>\n</body>\n</html>"
)


def _h_breaks(blocks: list[Block], style: dict[str, Any]) -> str:
    """The bulletin as one ``<div>`` of lines, blocks parted by ``<br><br>``, as mail
    programs write a message composed in them."""
    lines = []
    for kind, text in blocks:
        if kind == "v":
            lines.append(f"“{_h_inline(text, style)}”")
        elif kind == "r":
            lines.append(f"{style['dash']} {_h_inline(text, style)}")
        elif kind == "H":
            lines.append(f"<b>{_h_inline(text, style)}</b>")
        elif kind in "iq":
            lines.append(_h_lines(_h_marked(text, style), {**style, "br wrap": True}))
        else:
            lines.append(_h_inline(text, style))
    return "<div>" + "<br>\n<br>\n".join(lines) + "</div>"


def _html(blocks: list[Block], style: dict[str, Any]) -> str:
    if style["breaks"] and not style["list"]:
        body = [_h_breaks(blocks, style)]
    else:
        body = _h_body(blocks, style)
    if style["furniture"]:
        body = ['<p><img src="logo.png" alt="Grace Fellowship" width="200"></p>', *body]
        body = [part.replace("<h", "<hr>\n<h") for part in body]
    inner = ("\n<!-- block -->\n" if style["comments"] else "\n").join(body)
    layout = style["layout"]
    if layout == "table":
        # As newsletters lay out their body: a table in a table, a hidden preheader.
        inner = (
            '<div style="display:none">This week: pray with us</div>\n'
            '<table width="100%" cellpadding="0"><tr><td align="center">\n'
            '<table width="600"><tr><td style="padding:20px">\n'
            f"{inner}\n</td></tr></table>\n</td></tr></table>"
        )
    elif layout == "rows":
        # A table with a row a block, as some newsletter builders lay out their body.
        rows = "".join(f"<tr><td>{part}</td></tr>\n" for part in body)
        inner = f'<table role="presentation">\n{rows}</table>'
    elif layout == "main":
        inner = f"{_AROUND_HEAD}<main>\n{inner}\n</main>\n{_AROUND_FOOT}"
    elif layout == "article":
        inner = (
            f'{_AROUND_HEAD}<div class="content"><article class="post">\n{inner}\n</article>\n'
            f"<aside><h3>Recent posts</h3></aside></div>\n{_AROUND_FOOT}"
        )
    if style["upper"]:
        inner = re.sub(r"</?[a-z][a-z0-9]*\b", lambda m: m.group().upper(), inner)
    return inner.replace("\n", style["newline"])


@st.composite
def _html_styles(draw: st.DrawFn) -> dict[str, Any]:
    return {
        "title": draw(st.sampled_from(("h", "strong", "p", "div b"))),
        "headings": draw(st.sampled_from(("h", "strong", "div b", "b br"))),
        "level": draw(st.sampled_from((2, 3))),
        "date": draw(st.sampled_from(sorted(_H_DATES))),
        "linked reference": draw(st.booleans()),
        "verse": draw(
            st.sampled_from(
                (
                    "quote below",
                    "bare quote",
                    "quote br",
                    "quote paragraphs",
                    "figure",
                    "em br",
                    "strong",
                    "p",
                )
            )
        ),
        "dash": draw(st.sampled_from("—–-")),
        "list": draw(st.sampled_from(("ul", "ol", ""))),
        "stress": draw(st.sampled_from(("", "b", "strong", "em", "i"))),
        "inline": draw(st.sampled_from(sorted(_H_INLINE))),
        "width": draw(st.sampled_from(WIDTHS)),
        "br wrap": draw(st.booleans()),
        "entities": draw(st.booleans()),
        "attributes": draw(st.sampled_from(("", ' class="MsoNormal"', ' style="margin:0 0 1em"'))),
        "omit ends": draw(st.booleans()),
        "item paragraphs": draw(st.booleans()),
        "comments": draw(st.booleans()),
        "spacers": draw(st.booleans()),
        "layout": draw(st.sampled_from(("fragment", "table", "rows", "main", "article"))),
        "breaks": draw(st.booleans()),
        # A logo above the title and a rule above each heading, or neither.
        "furniture": draw(st.booleans()),
        "upper": draw(st.booleans()),
        "newline": draw(st.sampled_from(("\n", "\r\n"))),
    }


@settings(max_examples=examples(50))
@given(_bulletins(), _html_styles())
def test_html_as_blogs_and_newsletters_publish_it_reads_as_the_plain_text(
    blocks: list[Block], style: dict[str, Any]
) -> None:
    page = _html(blocks, style)
    bulletin = html.loads(page)
    _assert_reads_as(bulletin, _plain(blocks, bullets=bool(style["list"])))
    _assert_found(bulletin, page)
    _assert_placed(html.check(page), page)


# E-mail --------------------------------------------------------------------

# Charsets a newsletter is sent in; a part is drawn only in one its text fits.
CHARSETS = ("utf-8", "iso-8859-1", "windows-1252")


def _fits(text: str, charset: str) -> bool:
    try:
        text.encode(charset)
    except UnicodeEncodeError:
        return False
    return True


@st.composite
def _messages(draw: st.DrawFn, blocks: list[Block]) -> tuple[bytes, str, EmailMessage]:
    """A newsletter of the bulletin: the message, the plain text it should read as, and
    its bulletin part.

    Not drawn: format=flowed, signatures and forwarded messages, which docs/inputs.md
    does not say the reader undoes (a forwarded message's headers would be read as
    the bulletin's first lines).
    """
    bullets = draw(st.booleans())
    width = draw(st.sampled_from((0, 72, 76)))
    plain = _plain(blocks, bullets=bullets, width=width)
    plain = plain.replace("\n", draw(st.sampled_from(("\n", "\r\n"))))
    style = draw(_html_styles())
    page = _html(blocks, style)
    shape = draw(st.sampled_from(("plain", "html", "alternative")))
    message = EmailMessage(policy=draw(st.sampled_from((email.policy.SMTP, email.policy.default))))
    message["From"] = "IJM Prayer <prayer@example.org>"
    message["To"] = "friend@example.org"
    message["Subject"] = "This week's prayer requests"
    message["Date"] = SENT
    for subtype, text in (("plain", plain), ("html", page)):
        if shape not in (subtype, "alternative"):
            continue
        charset = draw(st.sampled_from([name for name in CHARSETS if _fits(text, name)]))
        undeclared = subtype == "html" and draw(st.booleans())
        if undeclared:
            # An HTML part may name its charset in a <meta> instead of its header.
            meta = f'<meta http-equiv="Content-Type" content="text/html; charset={charset}">'
            text = re.sub('<meta charset="utf-8">', "", text, flags=re.I)
            text = meta + "\n" + text
        # A newsletter labelled iso-8859-1 but holding windows-1252's curly quotes.
        mislabelled = charset == "windows-1252" and draw(st.booleans())
        cte = draw(st.sampled_from(("quoted-printable", "base64", "8bit")))
        if subtype == "html" and shape == "alternative":
            # A boundary of our own: the library's is random, and examples must replay.
            message.make_alternative(boundary="==prayer-boundary==")
            message.add_alternative(text, subtype=subtype, charset=charset, cte=cte)
        else:
            message.set_content(text, subtype=subtype, charset=charset, cte=cte)
        target = message if shape != "alternative" else message.get_body((subtype,))
        assert target is not None
        if undeclared:
            target.del_param("charset")
        elif mislabelled:
            target.set_param("charset", "iso-8859-1")
    extra = draw(st.sampled_from(("", "related", "mixed")))
    if extra == "related" and shape != "plain":
        # The newsletter's logo, an inline image the HTML refers to.
        page_part = message if shape == "html" else message.get_body(("html",))
        assert isinstance(page_part, EmailMessage)
        page_part.make_related(boundary="==prayer-related==")
        page_part.add_related(b"\x89PNG\r\n", "image", "png", cid="<logo@example.org>")
    if extra == "mixed":
        # Attachments are never read, a text one neither (even with no plain body).
        message.make_mixed(boundary="==prayer-mixed==")
        message.add_attachment(b"%PDF-1.4\n", "application", "pdf", filename="prayer.pdf")
        message.add_attachment("Notes: Pray for the notes.\n", filename="notes.txt")
    bulletin_part = message.get_body(("plain",) if shape != "html" else ("html",))
    assert isinstance(bulletin_part, EmailMessage)
    return (
        message.as_bytes(),
        _plain(blocks, bullets=bullets if shape != "html" else bool(style["list"])),
        bulletin_part,
    )


@settings(max_examples=examples(50))
@given(st.data())
def test_a_newsletter_reads_as_the_plain_text(data: st.DataObject) -> None:
    blocks = data.draw(_bulletins())
    message, plain, part = data.draw(_messages(blocks))
    dated = any(kind == "D" for kind, _ in blocks)
    sent = {} if dated else {"date": datetime.date(2019, 4, 26)}
    bulletin = eml.loads(message)
    _assert_reads_as(bulletin, plain, **sent)
    _assert_found(bulletin, part.get_content())
    found = eml.check(message)
    _assert_placed(found, part.get_content(), skip=frozenset({"PD407"}))
    _assert_placed([d for d in found if d.code == "PD407"], message.decode("latin-1"))
