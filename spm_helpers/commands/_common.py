"""What every ``spm`` sub-command shares: Indonesian error output and exit codes."""
from __future__ import annotations

import functools
from typing import Callable, TypeVar

import typer
from rich.console import Console
from rich.table import Table

from ..errors import PROBLEM_COLUMNS, SPMDataError, SPMError

console = Console(stderr=False)
err_console = Console(stderr=True)
F = TypeVar("F", bound=Callable)

EXIT_DATA_ERROR = 2
EXIT_FAILED = 1


def problems_table(exc: SPMDataError, title: str | None = None, limit: int = 200) -> Table:
    table = Table(title=title or f"{len(exc.problems)} masalah ditemukan", show_lines=False)
    for col in PROBLEM_COLUMNS:
        table.add_column(col)
    for p in exc.problems[:limit]:
        table.add_row(*["" if getattr(p, c) is None else str(getattr(p, c)) for c in PROBLEM_COLUMNS])
    if len(exc.problems) > limit:
        table.caption = f"… dan {len(exc.problems) - limit} masalah lain"
    return table


def handle_errors(fn: F) -> F:
    """Print SPM errors as Indonesian text or a table and exit non-zero, never a traceback."""

    @functools.wraps(fn)
    def wrapper(*args, **kwargs):
        try:
            return fn(*args, **kwargs)
        except SPMDataError as exc:
            err_console.print(problems_table(exc))
            raise typer.Exit(EXIT_DATA_ERROR) from None
        except SPMError as exc:
            err_console.print(f"[bold red]Galat:[/] {exc}")
            raise typer.Exit(EXIT_DATA_ERROR) from None

    return wrapper  # type: ignore[return-value]
