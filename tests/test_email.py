"""E-mail in: MIME messages read through their plain-text or HTML part.

A newsletter as it arrives (multipart/alternative, quoted-printable, the HTML in
nested layout tables) reads to the model the plain text of the same bulletin
gives; positions count in the decoded part; bad messages (an unknown charset,
a MIME bomb) get a positioned finding, never a traceback, in linear time.
"""

from __future__ import annotations

import email
import email.policy
import re
from collections import Counter
from email.message import EmailMessage
from pathlib import Path

import pytest

import prayerdoc
from growth import assert_linear
from prayerdoc import Bulletin, ParseError
from prayerdoc.cli import main
from prayerdoc.conservation import model_texts
from prayerdoc.dates import format_date
from prayerdoc.diagnostics import Diagnostic, Severity
from prayerdoc.formats import email as eml
from prayerdoc.formats import html

ROOT = Path(__file__).resolve().parent.parent
PLAIN = ROOT / "examples" / "bulletins" / "bulletin-02.txt"
NEWSLETTER = ROOT / "tests" / "data" / "readers" / "bulletin-02.newsletter.eml"
UNDATED = "Weekly Prayer\n\n“V.”\n\n— Micah 6:8\n\nPray for the teams in Kenya.\n"
SENT = "Fri, 26 Apr 2019 14:02:09 +0000"


def _parts(path: Path) -> tuple[str, str]:
    """The decoded text/plain and text/html parts of a message, by the standard library."""
    message = email.message_from_bytes(path.read_bytes(), policy=email.policy.default)
    assert isinstance(message, EmailMessage)
    plain, page = message.get_body(("plain",)), message.get_body(("html",))
    assert isinstance(plain, EmailMessage)
    assert isinstance(page, EmailMessage)
    return plain.get_content(), page.get_content()


def _message(body: str, *, subtype: str = "plain", cte: str = "quoted-printable") -> bytes:
    message = EmailMessage(policy=email.policy.SMTP)
    message["From"] = "news@example.org"
    message["Subject"] = "Prayer"
    message["Date"] = SENT
    message.set_content(body, subtype=subtype, cte=cte)
    return message.as_bytes()


def _with_charset(body: bytes, charset: str) -> bytes:
    return (
        f"From: news@example.org\r\nDate: {SENT}\r\nMIME-Version: 1.0\r\n"
        f'Content-Type: text/plain; charset="{charset}"\r\n'
        "Content-Transfer-Encoding: 8bit\r\n\r\n"
    ).encode("ascii") + body


def test_newsletter_reads_as_the_plain_text() -> None:
    expected = prayerdoc.load(PLAIN)
    assert prayerdoc.load(NEWSLETTER) == expected
    assert prayerdoc.loads(NEWSLETTER.read_bytes(), "email") == expected
    assert prayerdoc.loads(NEWSLETTER.read_bytes(), "eml") == expected
    # The message was sent the day before: the bulletin's own date wins.
    assert expected.date is not None
    assert expected.date.isoformat() == "2019-04-27"
    assert not [d for d in eml.check(NEWSLETTER.read_bytes()) if d.code == "PD407"]


def test_newsletter_html_part_alone_reads_as_the_plain_text() -> None:
    _, page = _parts(NEWSLETTER)
    html_only = _message(page, subtype="html", cte="base64")
    assert b"Content-Transfer-Encoding: base64" in html_only
    bulletin = eml.loads(html_only)
    assert bulletin == prayerdoc.load(PLAIN) == html.loads(page)
    # The footer of the layout tables is left out with a finding naming the part.
    (footer,) = (d for d in eml.check(html_only) if d.code == "PD406")
    assert "Unsubscribe" in footer.message
    assert "decoded text/html part" in footer.message
    lines = page.split("\n")
    assert lines[footer.line - 1][footer.column - 1 :].startswith("You receive this e-mail")


def test_plain_part_is_preferred_and_a_blank_one_is_passed_over() -> None:
    page = "<h1>From the page</h1><p>“V.”</p><p>— Micah 6:8</p><p>Pray for x.</p>"
    both = EmailMessage()
    both.set_content("From the text\n\n“V.”\n\n— Micah 6:8\n\nPray for y.\n")
    both.add_alternative(page, subtype="html")
    assert eml.loads(both.as_bytes()).title == "From the text"
    blank = EmailMessage()
    blank.set_content(" \n\n")
    blank.add_alternative(page, subtype="html")
    assert eml.loads(blank.as_bytes()).title == "From the page"


@pytest.mark.parametrize("charset", ["utf-8", "iso-8859-1", "windows-1252", "utf-16"])
def test_declared_charset_is_decoded(charset: str) -> None:
    text = "Prière\n\nApril 27, 2019\n\n“Vérité.”\n\n— Micah 6:8\n\nPriez pour l’équipe à Genève.\n"
    if charset == "iso-8859-1":
        text = text.replace("“", '"').replace("”", '"').replace("—", "-").replace("’", "'")
    bulletin = eml.loads(_with_charset(text.encode(charset), charset))
    assert bulletin == prayerdoc.parse(text)


@pytest.mark.parametrize("label", ["iso-8859-1", "ISO-8859-1", "us-ascii", "latin1"])
def test_a_latin_1_label_is_read_as_windows_1252_as_mail_programs_do(label: str) -> None:
    # Outlook-era newsletters so labelled hold windows-1252's curly quotes and dashes,
    # which latin-1 would make control characters (PD107).
    text = "Prayer\n\nApril 27, 2019\n\n“Verse.”\n\n— Micah 6:8\n\nPray for God’s people.\n"
    assert eml.loads(_with_charset(text.encode("cp1252"), label)) == prayerdoc.parse(text)


def test_unknown_charset_is_a_positioned_error() -> None:
    data = _with_charset(b"T\n\nPray for x.\n", "x-no-such-charset")
    (found,) = eml.check(data)
    assert (found.code, found.severity, found.line, found.column) == (
        "PD110",
        Severity.ERROR,
        1,
        1,
    )
    assert "x-no-such-charset" in found.message
    assert "text/plain part" in found.message
    with pytest.raises(ParseError, match="PD110"):
        eml.loads(data)


def test_undecodable_bytes_are_placed_in_the_decoded_part() -> None:
    data = _with_charset(b"Title\n\nPray for caf\xe9 owners.\n", "utf-8")
    (found,) = eml.check(data)
    assert (found.code, found.line, found.column) == ("PD108", 3, 13)
    assert "text/plain part" in found.message


def test_text_with_a_lone_surrogate_is_a_finding() -> None:
    (found,) = eml.check("T\n\nPray \ud800 for x.\n")
    assert (found.code, found.line, found.column) == ("PD108", 3, 6)
    with pytest.raises(ParseError, match="PD108"):
        eml.loads("T\n\nPray \ud800 for x.\n")


def test_message_date_stands_in_only_for_a_missing_one(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data = _message(UNDATED)
    bulletin = eml.loads(data)
    assert bulletin.date is not None
    assert bulletin.date.isoformat() == "2019-04-26"
    (dated,) = (d for d in eml.check(data) if d.code == "PD407")
    assert dated.severity is Severity.WARNING
    assert "2019-04-26" in dated.message
    assert (dated.line, dated.column) == (3, 1)  # the Date: header, after From: and Subject:
    path = tmp_path / "week.eml"
    path.write_bytes(data)
    out = tmp_path / "week.json"
    assert main(["convert", str(path), "-o", str(out)]) == 0
    assert "week.eml:3:1: PD407" in capsys.readouterr().err
    assert prayerdoc.load(out).date == bulletin.date
    # With no Date: header there is nothing to stand in, and no finding.
    undated = EmailMessage()
    undated.set_content(UNDATED)
    assert eml.loads(undated.as_bytes()).date is None
    assert not [d for d in eml.check(undated.as_bytes()) if d.code == "PD407"]


@pytest.mark.parametrize("end", ["\n", "\r\n"])
def test_the_message_date_finding_stands_at_its_header(end: str) -> None:
    headers = [
        "From: news@example.org",
        "Subject: Prayer for the week, with a subject long enough",
        " to be folded onto a second line",
        "X-Original-Date: Mon, 1 Apr 2019 09:00:00 +0000",
        f"DATE: {SENT}",
        "Content-Type: text/plain; charset=utf-8",
    ]
    data = end.join([*headers, "", *UNDATED.split("\n")]).encode("utf-8")
    (dated,) = (d for d in eml.check(data) if d.code == "PD407")
    assert (dated.line, dated.column) == (5, 1)
    assert "decoded" not in dated.message  # it counts in the message, not in the part
    # A "Date:" line in the body is not the header.
    body_only = f"From: news@example.org{end}{end}Date: not a header{end}".encode()
    assert eml.read(body_only).date_line == 1


def test_check_places_findings_in_the_decoded_part(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    request = "Pray for the long work of the teams in Kenya, " * 4 + "and for all of them."
    text = f"T\n\nApril 27, 2019\n\n“V.”\n\n— Micah 6:8\n\n{request}\n\n{request}\n"
    data = _message(text)
    assert b"=\n" in data.replace(b"\r\n", b"\n")  # quoted-printable wraps the long lines
    (repeated,) = (d for d in eml.check(data) if d.code == "PD402")
    assert (repeated.line, repeated.column) == (11, 1)
    assert "decoded text/plain part" in repeated.message
    path = tmp_path / "week.eml"
    path.write_bytes(data)
    assert main(["check", str(path)]) == 0  # warnings only
    assert "week.eml:11:1: PD402" in capsys.readouterr().out
    assert main(["check", "--strict", str(path)]) == 1
    path.write_bytes(_with_charset(b"T\n", "x-no-such-charset"))
    assert main(["check", str(path)]) == 1
    assert "week.eml:1:1: PD110" in capsys.readouterr().out


def test_from_email_reads_any_file_name(tmp_path: Path) -> None:
    path = tmp_path / "newsletter.txt"
    path.write_bytes(NEWSLETTER.read_bytes())
    out = tmp_path / "out.json"
    assert main(["convert", str(path), "--from", "email", "-o", str(out)]) == 0
    assert prayerdoc.load(out) == prayerdoc.load(PLAIN)


def _kept(bulletin: Bulletin, found: list[Diagnostic]) -> Counter[str]:
    texts = [*model_texts(bulletin), *(d.message for d in found)]
    if bulletin.date is not None:
        texts.append(format_date(bulletin.date))
    return Counter(word for text in texts for word in re.findall(r"\w+", text))


@pytest.mark.parametrize(
    "data",
    [NEWSLETTER.read_bytes(), _message(UNDATED), _message(PLAIN.read_text(encoding="utf-8"))],
    ids=["newsletter", "undated", "plain"],
)
def test_every_word_of_the_chosen_part_is_kept(data: bytes) -> None:
    plain = eml.read(data).text
    seen = Counter(re.findall(r"\w+", plain))
    assert seen
    assert not seen - _kept(eml.loads(data), eml.check(data))


def test_html_part_keeps_what_the_html_reader_keeps() -> None:
    _, page = _parts(NEWSLETTER)
    data = _message(page, subtype="html", cte="base64")
    assert eml.loads(data) == html.loads(page)
    assert [(d.code, d.line, d.column) for d in eml.check(data)] == [
        (d.code, d.line, d.column) for d in html.check(page)
    ]


def _nested(depth: int) -> bytes:
    head, tail = [], []
    for level in range(depth):
        head.append(f'Content-Type: multipart/mixed; boundary="b{level}"\r\n\r\n--b{level}\r\n')
        tail.append(f"\r\n--b{level}--\r\n")
    body = "Content-Type: text/plain\r\n\r\nT\r\n\r\nPray for x.\r\n"
    return ("".join(head) + body + "".join(reversed(tail))).encode("ascii")


def _flat(parts: int) -> bytes:
    part = "--b\r\nContent-Type: text/plain\r\n\r\nT\r\n\r\nPray for x.\r\n"
    head = 'Content-Type: multipart/mixed; boundary="b"\r\n\r\n'
    return (head + part * parts + "--b--\r\n").encode()


def test_mime_bomb_is_refused_at_its_place() -> None:
    (found,) = eml.check(_nested(10_000))
    assert found.code == "PD113"
    assert found.severity is Severity.ERROR
    assert found.line == 3 * eml.MAX_MULTIPARTS + 1
    with pytest.raises(ParseError, match="PD113"):
        eml.loads(_nested(10_000))
    # A message nested as deep as the limit is still read.
    assert eml.loads(_nested(eml.MAX_MULTIPARTS)) == prayerdoc.parse("T\n\nPray for x.\n")


@pytest.mark.parametrize("shape", ["nested", "flat"])
def test_mime_bombs_take_time_linear_in_their_size(shape: str) -> None:
    assert_linear(eml.check, _nested if shape == "nested" else _flat, 200)
