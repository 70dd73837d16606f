"""Date lines: a wrong or misspelt weekday is reported where it is written, never dropped."""

from __future__ import annotations

import datetime

import pytest

import prayerdoc

BODY = "“Act justly.”\n\n— Micah 6:8\n\nPray for Kenya.\n"


@pytest.mark.parametrize(
    ("line", "column"),
    [
        ("Monday, 31 January 2013", 1),  # it was a Thursday
        ("Satday, 31 January 2013", 1),
        ("Wensday, 31 January 2013", 1),
        ("Thrusday, January 31, 2013", 1),
        ("Fri. 31 January 2013", 1),
    ],
)
def test_a_weekday_that_is_not_its_dates_is_a_warning_at_the_weekday(
    line: str, column: int
) -> None:
    text = f"IJM Prayer Request\n\n   {line}\n\n{BODY}"
    bulletin = prayerdoc.parse(text)
    assert bulletin.date == datetime.date(2013, 1, 31)
    found = [(d.code, d.line, d.column, d.severity.value) for d in prayerdoc.check(text)]
    assert ("PD405", 3, column + 3, "warning") in found


@pytest.mark.parametrize(
    "line",
    ["Thursday, 31 January 2013", "Thu 31 January 2013", "Thurs., January 31, 2013", "2013-01-31"],
)
def test_the_right_weekday_in_any_form_is_no_finding(line: str) -> None:
    text = f"IJM Prayer Request\n\n{line}\n\n{BODY}"
    assert prayerdoc.parse(text).date == datetime.date(2013, 1, 31)
    assert "PD405" not in {d.code for d in prayerdoc.check(text)}


def test_a_wrong_weekday_on_a_second_date_line_is_reported_too() -> None:
    text = f"Monday, 31 January 2013\n\nIJM Prayer Request\n\nThursday, 31 January 2013\n\n{BODY}"
    assert [(d.line, d.column) for d in prayerdoc.check(text) if d.code == "PD405"] == [(1, 1)]


@pytest.mark.parametrize("line", ["Today, April 27, 2019", "Sunny, April 27, 2019"])
def test_a_word_that_is_no_weekday_makes_no_date_line(line: str) -> None:
    bulletin = prayerdoc.parse(f"{line}\n\n{BODY}")
    assert bulletin.date is None
    assert bulletin.title == line
