"""The ``spm`` command. Each domain step registers its sub-commands from ``spm_helpers.commands``."""
from __future__ import annotations

import importlib

import typer

app = typer.Typer(
    name="spm",
    help="SPM Workbench: perangkat kerja penerapan, evaluasi dan pelatihan Standar Pelayanan Minimal "
         "(PP 2/2018, Permendagri 59/2021).",
    no_args_is_help=True,
    add_completion=False,
    rich_markup_mode="rich",
)

# Modules that define ``register(app)``; one per domain step. Missing ones are skipped so that a
# partial checkout still gives a working CLI.
COMMAND_MODULES = [
    "wilayah",
    "contoh",
    "demo",
    "koleksi",
    "kepatuhan",
    "latihan",
    "batch",
    "laporan",
]


def _register() -> None:
    for name in COMMAND_MODULES:
        full = f"spm_helpers.commands.{name}"
        try:
            module = importlib.import_module(full)
        except ModuleNotFoundError as exc:
            if exc.name != full:
                raise  # a real missing dependency must not be hidden
            continue
        module.register(app)


_register()

if __name__ == "__main__":
    app()
