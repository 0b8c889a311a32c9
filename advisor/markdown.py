"""Markdown tables for the committed reports: one writer, so every report aligns alike."""

from __future__ import annotations

from collections.abc import Container, Iterable, Sequence


def markdown_table(header: Sequence[str], rows: Iterable[Sequence], right: Container[int] = ()
                   ) -> list[str]:
    """The lines of a Markdown table; cells are ``str()``-ed, and the columns whose index is in
    ``right`` are right-aligned (numbers)."""
    rule = ["---:" if i in right else "---" for i in range(len(header))]
    return ["| " + " | ".join(map(str, line)) + " |" for line in [header, rule, *rows]]


def numbers_after_first(header: Sequence[str]) -> range:
    """The ``right`` of a table whose first column names the row and the others are numbers."""
    return range(1, len(header))
