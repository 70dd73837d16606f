"""Markdown tables of measurements."""

from __future__ import annotations

from collections.abc import Sequence

__all__ = ["markdown_table", "rate", "ratio", "seconds"]


def markdown_table(header: Sequence[str], rows: Sequence[Sequence[str]]) -> str:
    """A GitHub-flavoured Markdown table, columns padded so the source reads as a table too."""
    if any(len(row) != len(header) for row in rows):
        raise ValueError("every row needs one cell per column")
    widths = [max(len(cell) for cell in column) for column in zip(header, *rows, strict=True)]

    def line(cells: Sequence[str]) -> str:
        return "| " + " | ".join(c.ljust(w) for c, w in zip(cells, widths, strict=True)) + " |"

    rule = "|" + "|".join("-" * (width + 2) for width in widths) + "|"
    return "\n".join([line(header), rule, *(line(row) for row in rows)])


def rate(count: float, elapsed: float) -> str:
    """``count`` per second, with thousands separators."""
    return f"{count / elapsed:,.0f}" if elapsed > 0 else "n/a"


def seconds(value: float) -> str:
    """A duration in milliseconds, or seconds when long."""
    return f"{value * 1000:.1f} ms" if value < 10 else f"{value:.2f} s"


def ratio(value: float, baseline: float) -> str:
    """``value / baseline`` as ``1.23×``."""
    return f"{value / baseline:.2f}×" if baseline > 0 else "n/a"
