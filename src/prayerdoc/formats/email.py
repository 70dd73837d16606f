"""E-mail in: a MIME message (``.eml``) read with the standard library's ``email`` package.

The bulletin is the message's ``text/plain`` body when that holds any text,
else its ``text/html`` body, read by the HTML reader; attachments are never
read. Quoted-printable and base64 are undone and the part's declared charset
decoded, ``iso-8859-1`` and ``us-ascii`` as windows-1252 as mail programs read
them (UTF-8 when it declares none, or the ``encoding`` asked for; an HTML part
without one may name it in a ``<meta>``). An unknown charset or bytes
that do not decode are a finding (PD110, PD108), never a guess. Positions
count in the decoded part, and every finding names that part.

The message's ``Date:`` is when it was sent, not the bulletin's date: it is
used only when the bulletin gives none, with a finding of its own (PD407)
placed at that header's line in the message.
A message with more parts that hold parts (multipart, or a forwarded message)
than :data:`MAX_MULTIPARTS` is refused before it is parsed: the parser's cost
grows with the square of their nesting, and a newsletter has two or three.
"""

from __future__ import annotations

import datetime
import email.message
import email.policy
import re
from email.parser import BytesParser

import attrs

from prayerdoc import codes
from prayerdoc.diagnostics import Diagnostic
from prayerdoc.formats import html
from prayerdoc.formats._markup import Reading, readers
from prayerdoc.source import decode, line_column, normalise

__all__ = ["MAX_MULTIPARTS", "check", "loads", "read"]

#: More parts holding parts (multipart or message) than this, nested or not, and the
#: message is refused.
MAX_MULTIPARTS = 50

_MULTIPART = re.compile(rb"^content-type:\s*(?:multipart|message)/", re.I | re.M)
_DATE_HEADER = re.compile(rb"^date:", re.I | re.M)
_HEADERS_END = re.compile(rb"\r?\n\r?\n")


def _too_many_multiparts(data: bytes) -> Diagnostic | None:
    for count, match in enumerate(_MULTIPART.finditer(data), start=1):
        if count > MAX_MULTIPARTS:
            before = data[: match.start()].decode("latin-1")
            line, column = line_column(normalise(before), len(normalise(before)))
            return codes.TOO_DEEP.at(line, column, what="the message's parts", limit=MAX_MULTIPARTS)
    return None


def _date_line(data: bytes) -> int:
    """The line of the message's own ``Date:`` header, among the headers before the first
    blank line; 1 when there is none."""
    head = _HEADERS_END.split(data, maxsplit=1)[0]
    found = _DATE_HEADER.search(head)
    if found is None:
        return 1
    before = normalise(head[: found.start()].decode("latin-1"))
    return line_column(before, len(before))[0]


def _in_part(reading: Reading, part: str, sent: datetime.date | None, date_line: int) -> Reading:
    """The reading of one part of a message: its findings name the part."""
    named = attrs.evolve(reading, part=part, date=sent, date_line=date_line)
    return attrs.evolve(named, notes=tuple(map(named.named, reading.notes)))


def _sent(message: email.message.EmailMessage) -> datetime.date | None:
    try:
        header = message["Date"]
        sent = getattr(header, "datetime", None)
    except (ValueError, TypeError, IndexError):
        return None
    return sent.date() if isinstance(sent, datetime.datetime) else None


def _body(part: email.message.EmailMessage, encoding: str | None) -> str | bytes | Diagnostic:
    """The part's content: text, or an HTML part's bytes when it declares no charset."""
    payload = part.get_payload(decode=True)
    data = payload if isinstance(payload, bytes) else b""
    charset = part.get_param("charset")
    if not isinstance(charset, str):
        if part.get_content_subtype() == "html" and encoding is None:
            return data
        charset = encoding or "utf-8"
    else:
        # Mail programs read the labels as browsers do: a newsletter labelled
        # iso-8859-1 holds windows-1252's curly quotes, which latin-1 makes controls.
        charset = html.web_encoding(charset)
    text = decode(data, charset.strip())
    return text if isinstance(text, Diagnostic) else normalise(text)


def read(data: str | bytes, *, encoding: str | None = None) -> Reading:
    """A MIME message as bulletin text: its plain-text body, else its HTML body."""
    if isinstance(data, str):
        # A lone surrogate becomes bytes that do not decode: a finding, not an exception.
        data = data.encode("utf-8", "surrogatepass")
    refused = _too_many_multiparts(data)
    if refused is not None:
        return Reading("", None, (refused,))
    message = BytesParser(policy=email.policy.default).parsebytes(data)
    assert isinstance(message, email.message.EmailMessage)
    sent = _sent(message)
    date_line = _date_line(data)
    fallback: Reading | None = None
    for subtype in ("plain", "html"):
        part = message.get_body(preferencelist=(subtype,))
        if not isinstance(part, email.message.EmailMessage):
            continue
        name = f"text/{subtype}"
        body = _body(part, encoding)
        if isinstance(body, Diagnostic):
            return _in_part(Reading("", None, (body,)), name, sent, date_line)
        if isinstance(body, bytes):  # HTML naming its charset in a <meta>, if anywhere
            found = html.read(body)
        else:
            found = html.read_text(body) if subtype == "html" else Reading(body, None)
        reading = _in_part(found, name, sent, date_line)
        if subtype == "html" or reading.text.strip():
            return reading
        fallback = reading
    return fallback or Reading("", None, date=sent, date_line=date_line)


loads, check = readers(read, "an e-mail message")
