"""Findings about a bulletin, and the error that carries them.

Problems are values: the parser and the checks collect every finding in a
file instead of stopping at the first, and :class:`ParseError` is raised only
when no usable model can be built.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable, Sequence

import attrs

__all__ = ["Diagnostic", "ParseError", "Severity"]


class Severity(enum.Enum):
    """What a finding stops.

    An error means no bulletin can be built from the input: :func:`prayerdoc.parse`
    raises :class:`ParseError`, ``convert`` and ``fmt`` write nothing, and
    ``check`` fails. A warning means the bulletin is built and converts whole, but
    something in it is probably a mistake: ``check`` reports it and fails only
    with ``--strict``. Each code has one severity (``docs/rules.md``).
    """

    ERROR = "error"
    WARNING = "warning"


@attrs.frozen(kw_only=True)
class Diagnostic:
    """One finding: a stable code, a severity, a message that says how to fix it, and where.

    ``source`` names the input (a path, or ``<string>``); lines and columns count
    from 1; ``end_line``/``end_column`` (exclusive) are set when the finding covers
    a span. ``str()`` is ``source:line:col: CODE message``, the shape editors link
    from; :func:`prayerdoc.report` gives the other forms ``prayerdoc check`` prints.
    """

    code: str
    severity: Severity
    message: str
    line: int = 1
    column: int = 1
    end_line: int | None = None
    end_column: int | None = None
    source: str = "<string>"

    def __str__(self) -> str:
        return f"{self.source}:{self.line}:{self.column}: {self.code} {self.message}"

    def with_source(self, source: str) -> Diagnostic:
        """The same finding about the input named ``source``."""
        return attrs.evolve(self, source=source)


def _snippet(text: str, line: int, column: int) -> str:
    lines = text.splitlines()
    if not 1 <= line <= len(lines):
        return ""
    shown = lines[line - 1].expandtabs(1)
    if len(shown) > 120:
        # Keep the caret in view on very long lines.
        start = max(0, column - 60)
        shown, column = shown[start : start + 120], column - start
    return f"\n    {shown}\n    {' ' * (column - 1)}^"


class ParseError(ValueError):
    """The text could not be turned into a bulletin.

    ``str()`` is ``source:line:col: CODE message`` with a caret under the place;
    ``diagnostics`` holds every problem found in the file, not only the first,
    each naming ``source``.
    """

    def __init__(
        self,
        diagnostics: Sequence[Diagnostic],
        *,
        source: str | None = None,
        text: str | None = None,
    ) -> None:
        if not diagnostics:
            raise ValueError("ParseError needs at least one diagnostic")
        if source is not None:
            diagnostics = [d.with_source(source) for d in diagnostics]
        self.diagnostics: tuple[Diagnostic, ...] = tuple(diagnostics)
        first = self.first
        self.source = first.source
        self.line = first.line
        self.column = first.column
        snippet = _snippet(text, first.line, first.column) if text is not None else ""
        more = len(self.errors) - 1
        tail = f"\n({more} more error{'s' if more > 1 else ''} in this file)" if more > 0 else ""
        super().__init__(f"{first}{snippet}{tail}")

    @property
    def errors(self) -> tuple[Diagnostic, ...]:
        """The error-severity diagnostics, the ones that stopped the parse."""
        return tuple(d for d in self.diagnostics if d.severity is Severity.ERROR)

    @property
    def first(self) -> Diagnostic:
        """The first error by position."""
        return min(self.errors or self.diagnostics, key=lambda d: (d.line, d.column))


def errors_in(diagnostics: Iterable[Diagnostic]) -> list[Diagnostic]:
    """The diagnostics that are errors."""
    return [d for d in diagnostics if d.severity is Severity.ERROR]
