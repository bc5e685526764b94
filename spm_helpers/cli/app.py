"""The ``spm`` command: one typer app, each command group registering its sub-commands explicitly."""
from __future__ import annotations

import sys

import typer
from typer.core import TyperGroup

from spm_helpers.cli import (
    batch,
    classroom,
    collect,
    compliance,
    demo,
    demo_data,
    package,
    quarter_forms,
    regions,
    reports,
    sasaran,
    training,
    wording,
)
from spm_helpers.cli.common import EXIT_USAGE, err_console


class IndonesianGroup(TyperGroup):
    """The command group of ``spm``: click's usage errors are printed in Indonesian, never English."""

    def main(self, args=None, prog_name=None, complete_var=None, standalone_mode=True, **extra):
        try:
            rv = super().main(args, prog_name, complete_var, standalone_mode=False, **extra)
        except wording.UsageError as exc:
            hint = f" Bantuan: {exc.ctx.command_path} --help" if exc.ctx is not None else ""
            err_console.print(f"[bold red]Galat:[/] {wording.usage_message(exc)}{hint}", highlight=False,
                              markup=True)
            if standalone_mode:
                sys.exit(EXIT_USAGE)
            raise
        except wording.Abort:
            err_console.print(wording.ABORTED)
            if standalone_mode:
                sys.exit(1)
            raise
        if standalone_mode:
            sys.exit(rv if isinstance(rv, int) else 0)
        return rv


wording.install()
app = typer.Typer(
    cls=IndonesianGroup,
    name="spm",
    help="SPM Workbench: perangkat kerja penerapan, evaluasi dan pelatihan Standar Pelayanan Minimal "
         "(PP 2/2018, Permendagri 59/2021).",
    no_args_is_help=True,
    add_completion=False,
    rich_markup_mode="rich",
)

# In the order `spm --help` lists them: look-up, demo data, the main job, stage 1, compliance, training,
# batch, single reports.
for group in (regions, demo_data, demo, collect, quarter_forms, sasaran, compliance, training, package, classroom, batch, reports):
    group.register(app)

if __name__ == "__main__":
    app()
