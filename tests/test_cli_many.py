"""``prayerdoc convert`` with several inputs and one output: a feed, an archive, a digest."""

from __future__ import annotations

import datetime
import json
import re
import shutil
from pathlib import Path

import pytest
from jsonschema import Draft202012Validator
from markdown_it import MarkdownIt

import prayerdoc
from prayerdoc.cli import main
from prayerdoc.formats import json as json_format
from test_ical import READERS, assert_well_formed
from test_ical import vevents as events_by_uid

ROOT = Path(__file__).resolve().parent.parent
SEEDS = sorted((ROOT / "examples" / "bulletins").glob("*.txt"))
START = "2024-03-01"
BROKEN = "Prayer Requests\n\n\x00 Pray for Kenya.\n"


def week(number: int, *requests: str) -> str:
    day = datetime.date(2024, 3, 3) + datetime.timedelta(weeks=number)
    lines = [f"Week {number}", "", f"{day:%B} {day.day}, {day.year}", "", "“Seek justice.”", ""]
    lines += ["— Isaiah 1:17", ""]
    for request in requests or (f"Pray for the team in week {number}.",):
        lines += [f"  • {request}", ""]
    return "\n".join(lines)


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    """A folder of bulletins: the bundled ones, in name order."""
    found = tmp_path / "bulletins"
    found.mkdir()
    for seed in SEEDS:
        shutil.copyfile(seed, found / seed.name)
    return found


def inputs(folder: Path) -> list[str]:
    return sorted(map(str, folder.glob("*.txt")))


def test_several_inputs_make_one_feed(folder: Path, tmp_path: Path) -> None:
    out = tmp_path / "prayers.ics"
    argv = ["convert", *inputs(folder), "--to", "ical", "--start", START, "-o", str(out)]
    argv += ["--calendar-name", "Team prayers", "--calendar-description", "Updated weekly"]
    assert main(argv) == 0
    written = out.read_bytes().decode("utf-8")
    assert_well_formed(written)
    assert written.count("BEGIN:VCALENDAR") == 1
    assert "\r\nNAME:Team prayers\r\n" in written
    assert "\r\nDESCRIPTION:Updated weekly\r\n" in written
    assert "\r\nREFRESH-INTERVAL;VALUE=DURATION:P1D\r\n" in written
    requests = [r.text for path in inputs(folder) for r in prayerdoc.load(path).requests()]
    for name, read in READERS.items():
        found = read(written)
        assert [event.description.partition("\n\n")[0] for event in found] == requests, name
        assert len({event.uid for event in found}) == len(requests), name


def test_next_weeks_bulletin_leaves_every_earlier_event_as_it_was(tmp_path: Path) -> None:
    folder = tmp_path / "bulletins"
    folder.mkdir()
    for number in (1, 2):
        (folder / f"week-{number}.txt").write_text(week(number, "Pray.", "Pray again."))
    out = tmp_path / "prayers.ics"
    assert main(["convert", *inputs(folder), "-o", str(out)]) == 0
    before = events_by_uid(out.read_bytes().decode("utf-8"))
    (folder / "week-3.txt").write_text(week(3, "Pray."))
    (folder / "week-0.txt").write_text(week(0, "Pray."))  # an older one, sorted first
    assert main(["convert", *inputs(folder), "-o", str(out)]) == 0
    after = events_by_uid(out.read_bytes().decode("utf-8"))
    assert {uid: after[uid] for uid in before} == before
    assert len(after) == len(before) + 2


def test_several_inputs_make_one_archive_read_back_by_from_json(
    folder: Path, tmp_path: Path
) -> None:
    archive = tmp_path / "archive.json"
    assert main(["convert", *inputs(folder), "-o", str(archive)]) == 0
    document = json.loads(archive.read_text(encoding="utf-8"))
    validator = Draft202012Validator(json_format.archive_schema())
    assert not list(validator.iter_errors(document))
    expected = tuple(prayerdoc.load(path) for path in inputs(folder))
    assert prayerdoc.loads_all(archive.read_bytes(), "json") == expected
    # The archive converts on as the inputs would.
    direct, through = tmp_path / "direct.ics", tmp_path / "through.ics"
    assert main(["convert", *inputs(folder), "--start", START, "-o", str(direct)]) == 0
    assert main(["convert", str(archive), "--start", START, "-o", str(through)]) == 0
    assert through.read_bytes() == direct.read_bytes()


def test_one_input_stays_one_bulletin_document(folder: Path, tmp_path: Path) -> None:
    out = tmp_path / "one.json"
    assert main(["convert", inputs(folder)[0], "-o", str(out)]) == 0
    assert json.loads(out.read_text(encoding="utf-8"))["$schema"] == json_format.SCHEMA_ID


def test_an_archive_cannot_become_one_text_bulletin(
    folder: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    archive = tmp_path / "archive.json"
    assert main(["convert", *inputs(folder), "-o", str(archive)]) == 0
    capsys.readouterr()
    assert main(["convert", str(archive), "--to", "text"]) == 2
    err = capsys.readouterr().err
    assert f"{archive}: an archive of many bulletins cannot be written as one text" in err


def test_several_inputs_make_one_digest(folder: Path, tmp_path: Path) -> None:
    (folder / "week-1.txt").write_text(week(1))
    out = tmp_path / "digest.md"
    assert main(["convert", *inputs(folder), "-o", str(out)]) == 0
    html = MarkdownIt("commonmark").render(out.read_text(encoding="utf-8"))
    sections = re.findall(r"<h2>(.*?)</h2>", html)
    assert len(sections) == len(inputs(folder))
    # The dated ones first, newest first: week 1 of 2024, then the bulletin of 2019.
    assert sections[:2] == [
        '<a id="2024-03-10"></a>Week 1',
        '<a id="2019-04-27"></a>IJM Prayer Request',
    ]


def test_text_with_several_inputs_needs_out_dir(
    folder: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "all.txt"
    assert main(["convert", *inputs(folder), "-o", str(out)]) == 2
    assert "--to text writes one bulletin per file" in capsys.readouterr().err
    assert not out.exists()


def test_a_broken_input_writes_nothing_and_every_problem_is_reported(
    folder: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    for name in ("broken-a.txt", "broken-b.txt"):
        (folder / name).write_text(BROKEN, encoding="utf-8")
    out = tmp_path / "prayers.ics"
    assert main(["convert", *inputs(folder), "--start", START, "-o", str(out)]) == 1
    err = capsys.readouterr().err
    assert re.search(r"broken-a\.txt:3:1: PD107 ", err)
    assert re.search(r"broken-b\.txt:3:1: PD107 ", err)
    assert "nothing written: 2 of 7 inputs could not be converted" in err
    assert not out.exists()
    assert list(tmp_path.iterdir()) == [folder]


def test_an_undated_first_input_needs_start(
    folder: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "prayers.ics"
    assert main(["convert", *inputs(folder), "-o", str(out)]) == 2
    first = inputs(folder)[0]
    err = capsys.readouterr().err
    assert f"prayerdoc convert: {first}: the bulletin 'IJM Prayer Requests' has no date" in err
    assert "pass --start YYYY-MM-DD" in err
    assert not out.exists()


def test_the_feed_on_stdout_keeps_crlf_and_workers_change_nothing(
    folder: Path, capsysbinary: pytest.CaptureFixture[bytes]
) -> None:
    argv = ["convert", *inputs(folder), "--to", "ics", "--start", START]
    assert main(argv) == 0
    one = capsysbinary.readouterr().out
    assert main([*argv, "-j", "2"]) == 0
    assert capsysbinary.readouterr().out == one
    assert one.count(b"\n") == one.count(b"\r\n")


def test_region_schedule_from_the_command_line(tmp_path: Path) -> None:
    first = tmp_path / "week.txt"
    first.write_text(week(1, "Pray for a.", "Pray for b."))
    out = tmp_path / "week.ics"
    assert main(["convert", str(first), "--schedule", "region", "-o", str(out)]) == 0
    starts = re.findall(r"DTSTART;VALUE=DATE:(\d+)", out.read_text(encoding="utf-8"))
    assert starts == ["20240310", "20240310"]
