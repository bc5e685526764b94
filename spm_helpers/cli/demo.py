"""``spm demo``: the README's main job — the batch of regional reports on the bundled demo data."""
from __future__ import annotations

from datetime import datetime
from pathlib import Path

import typer

from spm_helpers import DEMO_LABEL
from spm_helpers.cli.common import console, handle_errors
from spm_helpers.inputs import demo as demo_data
from spm_helpers.paths import contoh_dir, reports_dir

DEMO_YEAR = 2025


def register(app: typer.Typer) -> None:
    @app.command("demo", help=f"Pekerjaan utama pada {DEMO_LABEL}: laporan SPM untuk 5 wilayah contoh dan "
                              "provinsinya (batch), lalu ringkasan index.html.")
    @handle_errors
    def demo(
        ke: Path = typer.Option(None, "--ke", help="Folder hasil (bawaan: reports/demo-<waktu>)."),
        format: str = typer.Option("html", "--format", help="html, pdf, atau html,pdf."),
        workers: int = typer.Option(None, "--workers", help="Jumlah proses pekerja (bawaan: jumlah inti CPU)."),
    ) -> None:
        from spm_helpers.batch.runner import run_batch
        from spm_helpers.cli.batch import print_outcome

        out = Path(ke) if ke else reports_dir() / f"demo-{datetime.now():%Y%m%d-%H%M%S}"
        codes = demo_data.seed_selection()
        console.print(f"Menyusun laporan {len(codes)} wilayah ({DEMO_LABEL}, tahun {DEMO_YEAR}) ke {out}")
        outcome = run_batch(codes, DEMO_YEAR, out, data_dir=contoh_dir(), formats=format.split(","),
                            workers=workers, console=console)
        print_outcome(outcome)
