"""Converting many inputs as a library: :mod:`prayerdoc.plan`, :mod:`prayerdoc.batch` and
:mod:`prayerdoc.workers`, without the command line around them."""

from __future__ import annotations

import operator
import os
from pathlib import Path

import pytest

import prayerdoc
from prayerdoc import batch, dates, formats, workers
from prayerdoc.formats.ical import NoDateError
from prayerdoc.plan import PlanError, make_plan, output_name

WEEK = "Week {n}\n\nMarch {day}, 2024\n\n“Seek justice.”\n\n— Isaiah 1:17\n\n  • Pray for {who}.\n"
UNDATED = "Prayer Requests\n\n“Act justly.”\n\n— Micah 6:8\n\n  • Pray for Kenya.\n"
BROKEN = "Prayer Requests\n\n\x00 Pray for Kenya.\n"


@pytest.fixture
def weeks(tmp_path: Path) -> list[str]:
    """Two dated bulletins, as files."""
    paths = []
    for n, (day, who) in enumerate(((3, "Kenya"), (10, "Peru")), start=1):
        path = tmp_path / f"week{n}.txt"
        path.write_text(WEEK.format(n=n, day=day, who=who), encoding="utf-8")
        paths.append(str(path))
    return paths


def _write(path: Path, text: str) -> str:
    path.write_text(text, encoding="utf-8")
    return str(path)


# --- the plan ----------------------------------------------------------------


def test_the_output_format_comes_from_to_then_the_output_s_extension_then_json(
    tmp_path: Path,
) -> None:
    source = [_write(tmp_path / "a.txt", UNDATED)]
    assert make_plan(source).conversion.write_as == "json"
    assert make_plan(source, output="-").output is None  # '-' is stdout: back to the caller
    planned = make_plan(source, output=str(tmp_path / "a.md"))
    assert planned.conversion.write_as == "markdown"
    assert make_plan(source, write_as="ICS", output=str(tmp_path / "a.md")).conversion.write_as == (
        "ical"
    )
    with pytest.raises(PlanError, match=r"cannot tell the output format from '.*a\.pdf'"):
        make_plan(source, output=str(tmp_path / "a.pdf"))


def test_each_input_is_read_as_told_else_as_its_extension_says(tmp_path: Path) -> None:
    conversion = make_plan(["-"]).conversion
    assert [conversion.format_of(name) for name in ("-", "a.md", "a.eml", "a")] == [
        "text",
        "markdown",
        "email",
        "text",
    ]
    assert make_plan(["a.md"], read_as="txt").conversion.format_of("a.md") == "text"
    with pytest.raises(PlanError, match=r"cannot read 'feed\.ics' as ical"):
        make_plan(["feed.ics"])


@pytest.mark.parametrize(
    ("name", "reading", "message"),
    [
        ("pdf", False, "unknown format 'pdf'"),
        ("email", False, "prayerdoc cannot write email; it writes text and json and"),
        ("ics", True, "prayerdoc cannot read ical; it reads text and json and"),
    ],
)
def test_a_format_must_be_one_prayerdoc_reads_or_writes(
    name: str, reading: bool, message: str
) -> None:
    with pytest.raises(PlanError, match=message):
        make_plan(["a.txt"], **{"read_as" if reading else "write_as": name})  # type: ignore[arg-type]


def test_writer_options_are_checked_against_the_output_format() -> None:
    planned = make_plan(["a.txt"], write_as="ical", options={"schedule": "single", "start": None})
    assert dict(planned.conversion.options) == {"schedule": "single"}  # None: not given
    with pytest.raises(PlanError, match=r"^--standalone applies only to --to html$"):
        make_plan(["a.txt"], write_as="ical", options={"standalone": True})


def test_many_inputs_need_a_format_that_holds_many_or_a_folder(weeks: list[str]) -> None:
    assert make_plan(weeks, write_as="markdown").joined
    with pytest.raises(PlanError, match="--to text writes one bulletin per file"):
        make_plan(weeks, write_as="text")
    assert not make_plan(weeks, write_as="text", out_dir="out").joined
    with pytest.raises(PlanError, match="can be read only once"):
        make_plan(["-", "-"])


def test_a_folder_of_outputs_names_each_after_its_input(tmp_path: Path, weeks: list[str]) -> None:
    planned = make_plan(weeks, write_as="markdown", out_dir=str(tmp_path / "out"))
    assert list(planned.destinations()) == [
        os.path.join(tmp_path / "out", "week1.md"),
        os.path.join(tmp_path / "out", "week2.md"),
    ]
    assert output_name("notes/week 3.final.txt", "html") == "week 3.final.html"
    with pytest.raises(PlanError, match=r"cannot name an output file after '\.\.'"):
        output_name("..", "json")


def test_a_folder_of_outputs_refuses_what_it_cannot_hold(tmp_path: Path) -> None:
    with pytest.raises(PlanError, match="would both be written to"):
        make_plan(["a/Week.txt", "b/week.md"], out_dir=str(tmp_path))
    with pytest.raises(PlanError, match=r"stdin .* has no name"):
        make_plan(["-"], out_dir=str(tmp_path))
    with pytest.raises(PlanError, match="is not a folder"):
        make_plan(["a.txt"], out_dir=_write(tmp_path / "file", ""))
    (tmp_path / "a.json").mkdir()
    with pytest.raises(PlanError, match=r"cannot write '.*a\.json': it is a folder"):
        make_plan(["a.txt"], out_dir=str(tmp_path))


# --- carrying it out ---------------------------------------------------------


def test_one_input_to_the_caller(tmp_path: Path) -> None:
    result = batch.convert_all(make_plan([_write(tmp_path / "a.txt", UNDATED)]))
    assert result == batch.Result(output=result.output)
    assert result.output is not None
    assert prayerdoc.loads(result.output, "json") == prayerdoc.parse(UNDATED)


def test_many_inputs_make_one_output(tmp_path: Path, weeks: list[str]) -> None:
    archive = tmp_path / "all.json"
    assert batch.convert_all(make_plan(weeks, output=str(archive))) == batch.Result()
    read = prayerdoc.loads_all(archive.read_text(encoding="utf-8"), "json")
    assert [bulletin.title for bulletin in read] == ["Week 1", "Week 2"]


def test_a_folder_of_outputs_gets_every_file_in_worker_processes(
    tmp_path: Path, weeks: list[str]
) -> None:
    out = tmp_path / "new" / "out"
    planned = make_plan(weeks, write_as="text", out_dir=str(out))
    assert batch.convert_all(planned, jobs=2) == batch.Result()
    assert sorted(os.listdir(out)) == ["week1.txt", "week2.txt"]  # nothing staged is left
    assert (out / "week2.txt").read_text(encoding="utf-8") == Path(weeks[1]).read_text(
        encoding="utf-8"
    )


@pytest.mark.parametrize("where", ["out_dir", "output"])
def test_one_broken_input_writes_nothing_and_every_problem_is_reported(
    tmp_path: Path, weeks: list[str], where: str
) -> None:
    broken = _write(tmp_path / "broken.txt", BROKEN)
    inputs = [weeks[0], broken, str(tmp_path / "missing.txt"), weeks[1]]
    target = tmp_path / "new" / ("out" if where == "out_dir" else "all.json")
    reported: list[batch.Problem] = []
    planned = make_plan(inputs, **{where: str(target)})  # type: ignore[arg-type]
    result = batch.convert_all(planned, report=reported.append)
    assert result == batch.Result(failed=2, usage=True)  # a missing file is a usage problem
    assert [problem.message.partition(":")[0] for problem in reported] == [
        broken,
        "cannot read '" + inputs[2] + "'",
    ]
    assert [problem.usage for problem in reported] == [False, True]
    assert not (tmp_path / "new").exists()


def test_a_writer_s_refusal_names_its_input_and_keeps_its_cause(
    tmp_path: Path, weeks: list[str]
) -> None:
    undated = _write(tmp_path / "undated.txt", UNDATED)
    reported: list[batch.Problem] = []
    # Only a feed's first bulletin needs a date: the later ones follow on from it.
    planned = make_plan([undated, *weeks], write_as="ical")
    result = batch.convert_all(planned, report=reported.append)
    assert result == batch.Result(failed=1, usage=True)
    [problem] = reported
    assert problem.message.startswith(f"{undated}: ")
    assert isinstance(problem.cause, NoDateError)


def test_a_failed_write_is_returned_and_leaves_the_old_output(
    tmp_path: Path, weeks: list[str]
) -> None:
    target = tmp_path / "all.json"
    target.write_text("old", encoding="utf-8")
    planned = make_plan(weeks, output=str(target))
    target.chmod(0o444)  # made read-only after the plan was checked
    try:
        result = batch.convert_all(planned)
    finally:
        target.chmod(0o644)
    assert isinstance(result.error, PermissionError)
    assert result.failed == 0
    assert result.output is None
    assert target.read_text(encoding="utf-8") == "old"


# --- the pieces --------------------------------------------------------------


def test_worker_processes_keep_input_order() -> None:
    assert list(workers.in_order(operator.mul, range(40), 3, jobs=2, chunksize=4)) == [
        3 * n for n in range(40)
    ]
    assert workers.worker_pool(1, 100) is None  # one process: no pool at all
    assert workers.worker_pool(8, 1) is None  # never more processes than inputs


def test_formats_are_listed_with_their_aliases() -> None:
    assert formats.described(("json",)) == "json"
    assert formats.described(("text", "json", "markdown")) == "text (txt), json or markdown (md)"


def test_a_start_day_is_written_yyyy_mm_dd() -> None:
    assert dates.iso_date("2024-02-29").isoformat() == "2024-02-29"
    with pytest.raises(ValueError, match="February 2023 has 28 days"):
        dates.iso_date("2023-02-29")
    with pytest.raises(ValueError, match="is not a date written YYYY-MM-DD"):
        dates.iso_date("29/02/2024")
