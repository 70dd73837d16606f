"""The scripts in examples/ run as their docstrings say and produce what they promise.

Each runs as ``python examples/NAME.py ARGS`` in a fresh process on copies of the bundled
bulletins; what they write is read back with icalendar and markdown-it-py and compared
with the model prayerdoc builds from the same files.
"""

from __future__ import annotations

import datetime
import re
import shutil
import subprocess
import sys
from pathlib import Path

import icalendar
import pytest
from markdown_it import MarkdownIt

import prayerdoc

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples"
SCRIPTS = ("to_calendar", "site", "filter")
SEEDS = sorted((EXAMPLES / "bulletins").glob("*.txt"))
# A file no bulletin can be read from: a NUL byte stops the parse (PD107 at 3:1).
BROKEN_TEXT = "Prayer Requests\n\n\x00 Pray for Kenya.\n"


def _run(script: str, *args: str | Path, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, str(EXAMPLES / f"{script}.py"), *map(str, args)],
        cwd=cwd,
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )


@pytest.fixture
def bulletins(tmp_path: Path) -> list[Path]:
    """Copies of the bundled bulletins, in name order."""
    folder = tmp_path / "bulletins"
    folder.mkdir()
    for seed in SEEDS:
        shutil.copyfile(seed, folder / seed.name)
    return sorted(folder.glob("*.txt"))


@pytest.mark.parametrize("script", SCRIPTS)
def test_script_documents_its_usage(script: str, tmp_path: Path) -> None:
    source = (EXAMPLES / f"{script}.py").read_text(encoding="utf-8")
    docstring = re.match(r'"""(.*?)"""', source, re.DOTALL)
    assert docstring is not None
    assert f"python examples/{script}.py" in docstring[1]
    result = _run(script, "--help", cwd=tmp_path)
    assert result.returncode == 0
    assert result.stdout.startswith("usage:")


# --- to_calendar.py ------------------------------------------------------------------------------


def test_calendar_has_one_event_a_day_for_every_request(bulletins: list[Path]) -> None:
    out = bulletins[0].parent.parent / "march.ics"
    result = _run("to_calendar", *bulletins, "--start", "2024-03-01", "-o", out, cwd=out.parent)
    assert result.returncode == 0, result.stderr
    data = out.read_bytes()

    # RFC 5545: CRLF line ends, lines of at most 75 octets, one VCALENDAR.
    assert data.endswith(b"\r\n")
    physical = data[:-2].split(b"\r\n")
    assert all(b"\n" not in line and b"\r" not in line for line in physical)
    assert all(len(line) <= 75 for line in physical)
    assert physical.count(b"BEGIN:VCALENDAR") == 1
    assert physical.count(b"END:VCALENDAR") == 1
    assert physical[0] == b"BEGIN:VCALENDAR"
    assert physical[-1] == b"END:VCALENDAR"

    calendar = icalendar.Calendar.from_ical(data)
    assert str(calendar["VERSION"]) == "2.0"
    events = list(calendar.walk("VEVENT"))
    requests = [request for path in bulletins for request in prayerdoc.load(path).requests()]
    assert len(events) == len(requests) == 25
    # bulletin-01 (undated, 5 requests) from --start; bulletin-02 on its own date,
    # April 27, 2019 (5 requests); the three undated ones after it, day after day.
    start, dated = datetime.date(2024, 3, 1), datetime.date(2019, 4, 27)
    days = [start + datetime.timedelta(days=i) for i in range(5)]
    days += [dated + datetime.timedelta(days=i) for i in range(20)]
    for day, event, request in zip(days, events, requests, strict=True):
        assert event.decoded("DTSTART") == day
        assert event.decoded("DTEND") == day + datetime.timedelta(days=1)
        assert str(event["DESCRIPTION"]).startswith(request.text)
    assert len({str(event["UID"]) for event in events}) == len(events)


def test_calendar_starts_on_the_first_bulletins_date(bulletins: list[Path]) -> None:
    dated = bulletins[1]  # bulletin-02, April 27, 2019
    assert prayerdoc.load(dated).date == datetime.date(2019, 4, 27)
    result = subprocess.run(
        [sys.executable, str(EXAMPLES / "to_calendar.py"), str(dated), str(bulletins[0])],
        capture_output=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    events = list(icalendar.Calendar.from_ical(result.stdout).walk("VEVENT"))
    days = [event.decoded("DTSTART") for event in events]
    assert days == [datetime.date(2019, 4, 27) + datetime.timedelta(days=i) for i in range(10)]
    # Written to stdout as bytes: every line ends in CRLF.
    assert result.stdout.endswith(b"END:VCALENDAR\r\n")
    assert result.stdout.count(b"\n") == result.stdout.count(b"\r\n")


def test_calendar_needs_a_start_for_an_undated_first_bulletin(bulletins: list[Path]) -> None:
    out = bulletins[0].parent / "feed.ics"
    result = _run("to_calendar", bulletins[0], "-o", out, cwd=out.parent)
    assert result.returncode == 2
    assert "--start" in result.stderr
    assert "Traceback" not in result.stderr
    assert not out.exists()


@pytest.mark.parametrize(
    ("start", "why"),
    [
        ("2024-02-30", "'2024-02-30': that day does not exist"),
        ("2024-13-01", "'2024-13-01': that day does not exist"),
        ("2024-2-3", "'2024-2-3' is not a date written YYYY-MM-DD"),
        ("March 1", "'March 1' is not a date written YYYY-MM-DD"),
    ],
)
def test_calendar_says_what_is_wrong_with_a_start(
    bulletins: list[Path], start: str, why: str
) -> None:
    result = _run("to_calendar", bulletins[0], "--start", start, cwd=bulletins[0].parent)
    assert result.returncode == 2
    assert f"to_calendar.py: error: argument --start: {why}" in result.stderr
    assert "invalid" not in result.stderr  # not argparse's generic words


def test_calendar_writes_nothing_when_a_bulletin_is_broken(bulletins: list[Path]) -> None:
    broken = bulletins[0].parent / "broken.txt"
    broken.write_text(BROKEN_TEXT, encoding="utf-8")
    out = bulletins[0].parent / "feed.ics"
    result = _run(
        "to_calendar", bulletins[0], broken, "--start", "2024-03-01", "-o", out, cwd=out.parent
    )
    assert result.returncode == 1
    assert re.search(r"broken\.txt:3:1: PD107 ", result.stderr), result.stderr
    assert "Traceback" not in result.stderr
    assert not out.exists()


# --- site.py -------------------------------------------------------------------------------------


def _links(markdown: str) -> list[tuple[str, str]]:
    """(text, href) of every link, read as CommonMark reads it."""
    found = []
    for token in MarkdownIt("commonmark").parse(markdown):
        children = token.children or []
        for i, child in enumerate(children):
            if child.type == "link_open":
                text = children[i + 1].content
                found.append((text, str(child.attrs["href"])))
    return found


def test_site_writes_a_page_per_bulletin_and_an_index(
    bulletins: list[Path], tmp_path: Path
) -> None:
    site = tmp_path / "site"
    result = _run("site", bulletins[0].parent, site, cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert sorted(path.name for path in site.iterdir()) == [
        *(f"{path.stem}.md" for path in bulletins),
        "index.md",
    ]
    md = MarkdownIt("commonmark")
    for path in bulletins:
        bulletin = prayerdoc.load(path)
        page = (site / f"{path.stem}.md").read_text(encoding="utf-8")
        assert page == prayerdoc.dumps(bulletin, "markdown")
        tokens = md.parse(page)
        assert tokens[0].type == "heading_open"
        assert tokens[0].tag == "h1"
        assert tokens[1].content == bulletin.title
        items = [t for t in tokens if t.type == "list_item_open"]
        assert len(items) == len(bulletin.requests())

    links = _links((site / "index.md").read_text(encoding="utf-8"))
    # Newest first: bulletin-02 is the only dated one; the undated follow by name.
    assert [href for _, href in links] == [
        "bulletin-02.md",
        "bulletin-01.md",
        "bulletin-03.md",
        "bulletin-04.md",
        "bulletin-05.md",
    ]
    assert links[0][0] == "IJM Prayer Request, April 27, 2019"
    for text, href in links:
        bulletin = prayerdoc.load(bulletins[0].parent / f"{Path(href).stem}.txt")
        assert bulletin.title is not None
        assert text.startswith(bulletin.title)
        assert (site / href).is_file()


def test_site_index_link_text_stays_literal(tmp_path: Path) -> None:
    source = tmp_path / "in"
    source.mkdir()
    text = (
        SEEDS[1]
        .read_text(encoding="utf-8")
        .replace("IJM Prayer Request", "Prayers [for](javascript:x) *all* <b>&amp;", 1)
    )
    (source / "odd name.txt").write_text(text, encoding="utf-8")
    result = _run("site", source, tmp_path / "out", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    index = (tmp_path / "out" / "index.md").read_text(encoding="utf-8")
    assert _links(index) == [
        ("Prayers [for](javascript:x) *all* <b>&amp;, April 27, 2019", "odd%20name.md")
    ]
    html = MarkdownIt("commonmark").render(index)
    assert "<em>" not in html
    assert "<b>" not in html


def test_site_writes_nothing_when_a_bulletin_is_broken(
    bulletins: list[Path], tmp_path: Path
) -> None:
    (bulletins[0].parent / "broken.txt").write_text(BROKEN_TEXT, encoding="utf-8")
    result = _run("site", bulletins[0].parent, tmp_path / "site", cwd=tmp_path)
    assert result.returncode == 1
    assert re.search(r"broken\.txt:3:1: PD107 ", result.stderr), result.stderr
    assert not (tmp_path / "site").exists()


# --- filter.py -----------------------------------------------------------------------------------


def test_filter_prints_the_requests_that_mention_a_country(bulletins: list[Path]) -> None:
    result = _run("filter", "kenya", *bulletins, cwd=bulletins[0].parent)
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    # Kenya is named once in bulletins 01, 02 and 04, each time in the lead section.
    assert [line.split(": ", 2)[:2] for line in lines] == [
        [str(bulletins[0]), "(lead)"],
        [str(bulletins[1]), "(lead)"],
        [str(bulletins[3]), "(lead)"],
    ]
    requests = {r.text for path in bulletins for r in prayerdoc.load(path).requests()}
    for line in lines:
        text = line.split(": ", 2)[2]
        assert text in requests
        assert "Kenya" in text


def test_filter_names_the_section_and_matches_whole_words(bulletins: list[Path]) -> None:
    result = _run("filter", "Guatemala", *bulletins, cwd=bulletins[0].parent)
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    # bulletin-05 says "Guatemalan", which is another word.
    assert [line.split(": ", 2)[:2] for line in lines] == [[str(bulletins[1]), "Latin America"]]


def test_filter_exits_1_when_nothing_matches(bulletins: list[Path]) -> None:
    result = _run("filter", "Atlantis", *bulletins, cwd=bulletins[0].parent)
    assert result.returncode == 1
    assert result.stdout == ""
    assert result.stderr == ""


def test_filter_reports_a_missing_file_as_a_usage_error(tmp_path: Path) -> None:
    result = _run("filter", "Kenya", tmp_path / "missing.txt", cwd=tmp_path)
    assert result.returncode == 2
    assert "missing.txt" in result.stderr
    assert "Traceback" not in result.stderr


# --- the recipes show the CI files as they are ---------------------------------------------------


def test_recipes_show_the_ci_examples_as_they_are() -> None:
    recipes = (ROOT / "docs" / "recipes.md").read_text(encoding="utf-8")
    shown = re.findall(r"^```yaml\n(.*?)^```$", recipes, re.DOTALL | re.MULTILINE)
    assert shown == [
        (EXAMPLES / "ci" / "pre-commit-config.yaml").read_text(encoding="utf-8"),
        (EXAMPLES / "ci" / "github-workflow.yml").read_text(encoding="utf-8"),
    ]
