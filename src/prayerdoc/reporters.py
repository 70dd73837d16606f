"""Ways to print findings: ``text``, ``json``, ``github`` and ``sarif``.

Each reporter takes the findings of a run, each naming its file in
``source``, and returns the whole output as one string. Text from a bulletin ends up
in these outputs (a heading in a message, a file name in a path), so each
format escapes it by its own rules: nothing a bulletin says can start a new
line of text output, a new GitHub workflow command, or break the JSON.
"""

from __future__ import annotations

import os
import re
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path, PurePath
from typing import Any

from prayerdoc import __version__, codes
from prayerdoc._io import STDIO
from prayerdoc.diagnostics import Diagnostic, Severity

__all__ = ["REPORTERS", "github", "json", "sarif", "statistics", "summary", "text"]

SARIF_SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
SARIF_VERSION = "2.1.0"


# A pattern string, compiled (and cached by re) when first used: surrogates are
# rare, and most runs should not pay for compiling it at start-up.
_SURROGATE = "[\ud800-\udfff]"


def _is_byte(char: str) -> bool:
    """Whether ``char`` is how Python keeps a byte of a file name that is not UTF-8
    (``os.fsdecode``, ``sys.argv``)."""
    return 0xDC80 <= ord(char) <= 0xDCFF


def _escape_surrogate(match: re.Match[str]) -> str:
    char = match.group()
    return f"\\x{ord(char) - 0xDC00:02x}" if _is_byte(char) else f"\\u{ord(char):04x}"


def _text(value: str) -> str:
    """``value`` as text every output can encode: a file name's byte that is not UTF-8
    is shown as ``\\xff``, so a name Python could not decode never stops the report."""
    try:
        value.encode("utf-8")  # only surrogates fail: a quick test before the pattern
    except UnicodeEncodeError:
        return re.sub(_SURROGATE, _escape_surrogate, value)
    return value


def _one_line(value: str) -> str:
    """``value`` with line breaks shown as ``\\r`` and ``\\n``, so it stays on its line."""
    return _text(value.replace("\\", "\\\\").replace("\r", "\\r").replace("\n", "\\n"))


def text(findings: Sequence[Diagnostic]) -> str:
    """``path:line:col: CODE message``, one finding a line: the shape editors link from."""
    return "".join(
        f"{_one_line(d.source)}:{d.line}:{d.column}: {d.code} {_one_line(d.message)}\n"
        for d in findings
    )


def _record(d: Diagnostic) -> dict[str, Any]:
    return {
        "path": _text(d.source),
        "line": d.line,
        "column": d.column,
        "end_line": d.end_line,
        "end_column": d.end_column,
        "code": d.code,
        "severity": d.severity.value,
        "message": _text(d.message),
    }


def json(findings: Sequence[Diagnostic]) -> str:
    """A JSON list of objects with ``path, line, column, end_line, end_column, code,
    severity, message`` (the ends are null when a finding has no span)."""
    import json

    return json.dumps([_record(f) for f in findings], ensure_ascii=False, indent=2) + "\n"


def _escape_data(value: str) -> str:
    # The order matters: "%" first, or the escapes themselves would be escaped.
    return _text(value).replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(value: str) -> str:
    return _escape_data(value).replace(":", "%3A").replace(",", "%2C")


def _github_line(d: Diagnostic) -> str:
    command = "error" if d.severity is Severity.ERROR else "warning"
    properties = [("file", d.source), ("line", str(d.line)), ("col", str(d.column))]
    # GitHub draws a column range only within one line.
    if d.end_line is not None and d.end_column is not None and d.end_line == d.line:
        properties += [("endLine", str(d.end_line)), ("endColumn", str(d.end_column))]
    properties.append(("title", d.code))
    listed = ",".join(f"{name}={_escape_property(value)}" for name, value in properties)
    return f"::{command} {listed}::{_escape_data(d.message)}\n"


def github(findings: Sequence[Diagnostic]) -> str:
    """GitHub Actions workflow commands (``::error file=…,line=…::message``), one a line.

    Values are escaped as GitHub's own toolkit escapes them: ``%``, CR and LF
    everywhere, and ``:`` and ``,`` in properties as well.
    """
    return "".join(_github_line(f) for f in findings)


def _uri(path: str) -> str:
    """A relative URI reference with forward slashes, as SARIF's artifactLocation wants.

    A file name's bytes that are not UTF-8 are percent-encoded as themselves.
    """
    if path == STDIO:
        return STDIO
    path = re.sub(_SURROGATE, lambda m: m.group() if _is_byte(m.group()) else "\ufffd", path)
    pure = Path(path)
    if pure.is_absolute():
        try:
            pure = pure.relative_to(Path.cwd())
        except ValueError:
            return pure.as_uri()
    posix = PurePath(os.path.normpath(pure)).as_posix()
    import urllib.parse

    return urllib.parse.quote(os.fsencode(posix), safe="/")


def _title(rule: codes.Rule) -> str:
    return rule.name.replace("-", " ").capitalize()


def _rule_descriptor(rule: codes.Rule) -> dict[str, Any]:
    return {
        "id": rule.code,
        "name": rule.name,
        "shortDescription": {"text": _title(rule)},
        "defaultConfiguration": {"level": rule.severity.value},
    }


def _result(d: Diagnostic, index: dict[str, int]) -> dict[str, Any]:
    region: dict[str, int] = {"startLine": d.line, "startColumn": d.column}
    if d.end_line is not None:
        region["endLine"] = d.end_line
    if d.end_column is not None:
        region["endColumn"] = d.end_column
    result: dict[str, Any] = {
        "ruleId": d.code,
        "level": d.severity.value,
        "message": {"text": _text(d.message)},
        "locations": [
            {
                "physicalLocation": {
                    "artifactLocation": {"uri": _uri(d.source)},
                    "region": region,
                }
            }
        ],
    }
    if d.code in index:
        result["ruleIndex"] = index[d.code]
    return result


def sarif(findings: Sequence[Diagnostic], rules: Iterable[codes.Rule] | None = None) -> str:
    """A SARIF 2.1.0 log with one run: the tool's rules (one per code) and the results."""
    described = sorted(codes.RULES.values() if rules is None else rules, key=lambda r: r.code)
    index = {rule.code: number for number, rule in enumerate(described)}
    log = {
        "$schema": SARIF_SCHEMA,
        "version": SARIF_VERSION,
        "runs": [
            {
                "tool": {
                    "driver": {
                        "name": "prayerdoc",
                        "version": __version__,
                        "rules": [_rule_descriptor(rule) for rule in described],
                    }
                },
                "results": [_result(f, index) for f in findings],
            }
        ],
    }
    import json

    return json.dumps(log, ensure_ascii=False, indent=2) + "\n"


Reporter = Callable[[Sequence[Diagnostic]], str]

#: The reporters by the name ``--format`` takes.
REPORTERS: dict[str, Reporter] = {"text": text, "json": json, "github": github, "sarif": sarif}


def statistics(findings: Sequence[Diagnostic]) -> str:
    """How many times each code was found, one code a line, with the rule's name."""
    counts = Counter(f.code for f in findings)
    return "".join(
        f"{counts[code]:>5}  {code}  {codes.RULES[code].name if code in codes.RULES else ''}\n"
        for code in sorted(counts)
    )


def summary(errors: int, warnings: int, files: int) -> str:
    """The line after the text findings: ``2 errors, 1 warning in 3 files``."""
    return (
        f"{errors} error{'s' * (errors != 1)}, {warnings} warning{'s' * (warnings != 1)}"
        f" in {files} file{'s' * (files != 1)}\n"
    )
