"""What every ``spm`` sub-command shares: Indonesian error output and exit codes."""
from __future__ import annotations

import errno
import functools
import os
from pathlib import Path
from typing import Callable, TypeVar

import typer
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from spm_helpers.cli import wording
from spm_helpers.errors import PROBLEM_COLUMNS, SPMDataError, SPMError

console = Console(stderr=False)
err_console = Console(stderr=True)
F = TypeVar("F", bound=Callable)

EXIT_DATA_ERROR = 2
EXIT_FAILED = 1
EXIT_USAGE = 2  # as click: a wrong option or value


def problems_table(exc: SPMDataError, title: str | None = None, limit: int = 200) -> Table:
    table = Table(title=title or f"{len(exc.problems)} masalah ditemukan", show_lines=False)
    for col in PROBLEM_COLUMNS:
        table.add_column(col)
    for p in exc.problems[:limit]:
        table.add_row(*["" if getattr(p, c) is None else str(getattr(p, c)) for c in PROBLEM_COLUMNS])
    if len(exc.problems) > limit:
        table.caption = f"… dan {len(exc.problems) - limit} masalah lain"
    return table


def unlocated(exc: SPMDataError) -> bool:
    """A single problem without file, sheet, row, column or value (its sentence says where)."""
    return len(exc.problems) == 1 and all(getattr(exc.problems[0], c) is None
                                          for c in ("berkas", "sheet", "baris", "kolom", "nilai"))


def os_message(exc: OSError) -> str:
    """An operating-system error (missing file, no permission, disk full) in Indonesian."""
    where = f" ({exc.filename})" if getattr(exc, "filename", None) else ""
    if isinstance(exc, FileNotFoundError):
        return f"Berkas atau folder tidak ditemukan{where}. Periksa nama dan letaknya."
    if isinstance(exc, PermissionError):
        return f"Tidak ada izin membaca atau menulis{where}. Pilih folder lain atau periksa hak akses."
    if isinstance(exc, IsADirectoryError):
        return f"Yang diberikan adalah folder, bukan berkas{where}."
    if isinstance(exc, NotADirectoryError):
        return f"Yang diberikan adalah berkas, bukan folder{where}."
    if exc.errno == errno.ENOSPC:
        return f"Ruang disk penuh{where}. Kosongkan ruang disk lalu jalankan lagi."
    return f"Galat sistem berkas{where}: {exc.strerror or exc.__class__.__name__}."


def handle_errors(fn: F) -> F:
    """Print errors as Indonesian text or a table and exit non-zero, never a traceback.

    SPM errors carry their own Indonesian message (and located problems); file-system errors get one
    here; anything else is a defect of ours, said plainly in Indonesian with its type, still without
    a traceback (``SPM_DEBUG=1`` shows it to a developer)."""

    @functools.wraps(fn)
    def wrapper(*args, **kwargs):
        try:
            return fn(*args, **kwargs)
        except (typer.Exit, typer.Abort, wording.ClickException):
            raise
        except SPMDataError as exc:
            if unlocated(exc):  # one sentence that names its own file and key: a table of empty cells says less
                err_console.print(f"[bold red]Galat:[/] {escape(str(exc))}", highlight=False)
            else:
                err_console.print(problems_table(exc))
            raise typer.Exit(EXIT_DATA_ERROR) from None
        except SPMError as exc:
            err_console.print(f"[bold red]Galat:[/] {escape(str(exc))}", highlight=False)
            raise typer.Exit(EXIT_DATA_ERROR) from None
        except OSError as exc:
            err_console.print(f"[bold red]Galat:[/] {escape(os_message(exc))}", highlight=False)
            raise typer.Exit(EXIT_FAILED) from None
        except KeyboardInterrupt:
            err_console.print("Dihentikan oleh pengguna (Ctrl-C).")
            raise typer.Exit(130) from None
        except Exception as exc:  # noqa: BLE001 - the last line of defence: no traceback reaches a user
            if os.environ.get("SPM_DEBUG"):
                raise
            err_console.print(f"[bold red]Galat tak terduga[/] ({exc.__class__.__name__}): {escape(str(exc))}. Ini kemungkinan "
                              "cacat program; laporkan perintah yang dijalankan kepada pengelola SPM Workbench.",
                              highlight=False)
            raise typer.Exit(EXIT_FAILED) from None

    return wrapper  # type: ignore[return-value]


def _free_name(path: Path) -> Path:
    """``path`` or ``stem_2.xlsx``, ``stem_3.xlsx``…: a marked copy the officer may be editing is never replaced."""
    n, out = 1, path
    while out.exists():
        n += 1
        out = path.with_name(f"{path.stem}_{n}{path.suffix}")
    return out


def mark_copies(berkas: dict[str, Path], problems, folder: Path) -> None:
    """For each form with problems (``berkas``: label used in problems → file read) a copy with the bad cells
    marked, in ``folder/bertanda`` (``--tandai`` of the import commands)."""
    from spm_helpers.inputs.workbook import highlight_copy

    for label, path in berkas.items():
        own = [p for p in problems if p.berkas == label]
        if not own:
            continue
        dst = _free_name(folder / "bertanda" / f"{path.stem}_bertanda.xlsx")
        try:
            highlight_copy(path, dst, own)
            console.print(f"  • salinan bertanda: {dst}")
        except SPMDataError:
            err_console.print(f"  • {label}: salinan bertanda tidak dibuat (bukan berkas Excel yang dapat dibuka)")
