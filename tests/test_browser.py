"""The standalone HTML page in a real browser: headless Chromium builds its DOM from our page.

Chromium (Debian's ``chromium`` package; ``.ci/run`` installs it when it is missing) loads
the page from a file with no network, in a fresh profile, and prints the DOM it built
(``--dump-dom``). Every request must be in that DOM, in an ``li`` of the right class, with
its text as written; texts that look like markup or script must stay text.
"""

from __future__ import annotations

import shutil
import subprocess
import xml.etree.ElementTree as ET
from pathlib import Path

import html5lib
import pytest

import prayerdoc
from prayerdoc.formats import html

ROOT = Path(__file__).resolve().parent.parent
XHTML = "{http://www.w3.org/1999/xhtml}"
HOSTILE = (
    "IJM Prayer Request\n\nApril 27, 2019\n\n“He has shown you <script>document.title='x'"
    "</script>.”\n\n— Micah 6:8\n\n  • Pray for <img src=x onerror=\"document.body.innerHTML=''\">"
    " & friends.\n\nLatin America\n\n  • Praise God for </li></ul><h1>Kenya</h1> &amp; more.\n"
)


def _chromium() -> str:
    found = shutil.which("chromium") or shutil.which("chromium-browser")
    if found is None:
        pytest.fail("Chromium is not installed: apt-get install chromium (.ci/run does this)")
    return found


def _dump_dom(page: Path, profile: Path) -> str:
    command = [
        _chromium(),
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-first-run",
        f"--user-data-dir={profile}",
        "--dump-dom",
        page.as_uri(),
    ]
    done = subprocess.run(command, capture_output=True, text=True, timeout=120, check=False)
    assert done.returncode == 0, done.stderr
    return done.stdout


@pytest.mark.parametrize(
    "bulletin",
    [
        prayerdoc.load(ROOT / "examples" / "bulletins" / "bulletin-01.txt"),
        prayerdoc.parse(HOSTILE),
    ],
    ids=["bulletin-01", "hostile"],
)
def test_chromium_builds_every_request_into_its_dom(
    bulletin: prayerdoc.Bulletin, tmp_path: Path
) -> None:
    page = tmp_path / "bulletin.html"
    page.write_text(html.dumps(bulletin, standalone=True), encoding="utf-8")
    dom = _dump_dom(page, tmp_path / "profile")
    root = html5lib.parse(dom, treebuilder="etree")
    items = [e for e in root.iter() if isinstance(e.tag, str) and e.tag == f"{XHTML}li"]
    assert [(e.get("class"), "".join(e.itertext())) for e in items] == [
        (f"request {r.kind.value}", r.text) for r in bulletin.requests()
    ]
    tags = {e.tag.removeprefix(XHTML) for e in root.iter() if isinstance(e.tag, str)}
    assert tags <= {"html", "head", "meta", "title", "style", "body"} | {
        "article", "p", "h1", "h2", "time", "figure", "blockquote", "figcaption", "cite",
        "section", "ul", "li",
    }  # fmt: skip
    title = next(e for e in root.iter() if e.tag == f"{XHTML}title")
    assert title.text is not None
    assert title.text.startswith(bulletin.title or "")
    assert isinstance(root, ET.Element)
