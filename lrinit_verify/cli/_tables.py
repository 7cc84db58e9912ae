"""Terminal tables of the command line: fit the terminal, never split an id.

By default a table has its short columns and takes the terminal's width (``COLUMNS`` or the
detected size; :data:`FILE_WIDTH` when the output is a file or a pipe and ``COLUMNS`` is unset, where
rich would assume 80); ``--wide`` adds every column and lets the table grow to ``wide_width`` columns,
for a wide terminal or a file. The first column (a claim id, a width, a case name) is never
wrapped or folded: the other columns give way first.

>>> table = new_table("demo", [("id", True), ("value", False)], key="id")
>>> table.add_row("edge.above_one.complex", "1.05")
>>> text = render(table, width=40)
>>> "edge.above_one.complex" in text and max(len(line) for line in text.splitlines()) <= 40
True
"""

from __future__ import annotations

import io
import os

from rich.console import Console
from rich.table import Table

#: Width of a ``--wide`` table when the terminal is narrower.
WIDE_WIDTH = 160
#: Width of a table written to a file or a pipe (a CI log, ``| less``) when ``COLUMNS`` is unset.
FILE_WIDTH = 100


def terminal_width() -> int:
    """The terminal's width; :data:`FILE_WIDTH` for a file or a pipe unless ``COLUMNS`` says otherwise."""
    probe = Console()
    if probe.is_terminal or os.environ.get("COLUMNS"):
        return probe.width
    return FILE_WIDTH


def console(*, wide: bool = False, wide_width: int = WIDE_WIDTH) -> Console:
    """A console at the terminal's width, or at least ``wide_width`` columns with ``wide``."""
    width = terminal_width()
    return Console(width=max(width, wide_width) if wide else width)


def new_table(title: str, columns, *, key: str, justify: str = "left") -> Table:
    """A table with ``columns`` = ``[(name, shown_by_default), ...]`` already filtered by the caller;
    the ``key`` column never wraps, the others fold where they must."""
    table = Table(title=title)
    for name, _ in columns:
        if name == key:
            table.add_column(name, no_wrap=True, overflow="ignore")
        else:  # a header word is never split: the column is at least as wide as its longest word
            table.add_column(
                name, overflow="fold", justify=justify, min_width=max(map(len, name.split()), default=0)
            )
    return table


def pick(columns, wide: bool) -> list:
    """The columns shown: all with ``wide``, else those marked as shown by default."""
    return [c for c in columns if wide or c[1]]


def render(table: Table, *, width: int) -> str:
    """``table`` as plain text at ``width`` columns (for tests and files)."""
    buf = io.StringIO()
    Console(file=buf, width=width, color_system=None, legacy_windows=False).print(table)
    return buf.getvalue()
