"""A file name that is not UTF-8 is reported in every output format of ``check``.

Python keeps the bytes of such a name that do not decode as lone surrogates
(U+DC80 to U+DCFF); no UTF-8 output can hold those, so each format shows the
byte (``\\xff``) or, in a SARIF URI, percent-encodes it.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from prayerdoc import reporters
from prayerdoc.diagnostics import Diagnostic, Severity

NAME = os.fsdecode(b"caf\xe9 \xff.txt")  # Latin-1 bytes: not UTF-8


def finding(source: str) -> Diagnostic:
    found = Diagnostic(code="PD101", severity=Severity.ERROR, message="no verse", line=2, column=3)
    return found.with_source(source)


@pytest.mark.parametrize("name", ["text", "json", "github", "sarif"])
def test_every_format_encodes_as_utf8_and_shows_the_bytes(name: str) -> None:
    out = reporters.REPORTERS[name]([finding(NAME)])
    out.encode("utf-8")  # raises if a surrogate slipped through
    if name == "sarif":
        location = json.loads(out)["runs"][0]["results"][0]["locations"][0]
        assert location["physicalLocation"]["artifactLocation"]["uri"] == "caf%E9%20%FF.txt"
    elif name == "json":
        assert json.loads(out)[0]["path"] == "caf\\xe9 \\xff.txt"
    else:
        assert "caf\\xe9 \\xff.txt" in out


def test_a_backslash_in_a_name_stays_apart_from_an_escaped_byte() -> None:
    assert reporters.text([finding(NAME[:-4] + "\\x.txt")]).startswith("caf\\xe9 \\xff\\\\x.txt:")


def test_a_surrogate_that_is_no_byte_is_shown_by_its_code_point() -> None:
    out = reporters.sarif([finding("a\ud800.txt")])
    out.encode("utf-8")
    assert "\\ud800" in reporters.text([finding("a\ud800.txt")])


@pytest.mark.skipif(sys.platform == "darwin", reason="macOS refuses names that are not UTF-8")
@pytest.mark.parametrize("name", ["text", "json", "github", "sarif"])
def test_check_reports_a_file_whose_name_is_not_utf8(tmp_path: Path, name: str) -> None:
    (tmp_path / NAME).write_bytes(b"x\n")
    env = {**os.environ, "PYTHONIOENCODING": "utf-8:strict"}
    done = subprocess.run(
        [sys.executable, "-m", "prayerdoc", "check", "--format", name, "."],
        cwd=tmp_path,
        capture_output=True,
        env=env,
        check=False,
    )
    assert b"Traceback" not in done.stderr, done.stderr.decode("utf-8", "replace")
    assert done.returncode in (0, 1)  # a warning or an error about the file's content
    out = done.stdout.decode("utf-8")
    shown = "./caf\\xe9 \\xff.txt"
    expected = {
        "text": f"{shown}:1:1: PD101 ",
        "json": json.dumps(shown),
        "github": f"file={shown},line=1",
        "sarif": '"uri": "caf%E9%20%FF.txt"',
    }
    assert expected[name] in out
