"""Every line shape of the format, repeated to a megabyte, parses in time linear in its size.

Each shape is a unit of bulletin text (a title, a date, a label, a bullet, a table
leftover, ...) repeated on one line and, ended by a line break, over many lines. It
is measured with :func:`growth.assert_linear` (CPU time at n and 10n units, under 30
times as long at 10n). n is chosen so that 10n is a megabyte on one line, and 100 kB
over many lines, which cost more per byte.
"""

from __future__ import annotations

import contextlib

import pytest

import prayerdoc
from growth import assert_linear

UNITS = (
    "IJM Prayer Request ",
    "April 27, 2019 ",
    "Monday, 1 April 2019 ",
    "“Act justly ",
    "— Micah 6:8; ",
    "- Micah ",
    "Latin America ",
    "Africa: ",
    "Kenya: ",
    "• ",
    "•| ",
    "- ",
    " |",
    "||",
    "unnamed (4).jpg ",
    "Pray for x. ",
    "’ ",
    "x",
)
# Shape name → (unit, units at n).
SHAPES = {
    **{f"one line of {unit!r}": (unit, 100_000 // len(unit)) for unit in UNITS},
    **{f"lines of {unit.strip()!r}": (unit.strip() + "\n", 10_000 // len(unit)) for unit in UNITS},
}
# The same texts as tests/test_linear.py's one-line-no-spaces and date-like-lines,
# which time parse and check together.
del SHAPES["one line of 'x'"], SHAPES["lines of 'April 27, 2019'"]


def _parse(text: str) -> None:
    with contextlib.suppress(prayerdoc.ParseError):
        prayerdoc.parse(text, max_bytes=None)


@pytest.mark.slow
@pytest.mark.parametrize("shape", sorted(SHAPES))
def test_parse_time_grows_linearly(shape: str) -> None:
    unit, units = SHAPES[shape]
    assert_linear(_parse, lambda k: unit * k, units)
