"""``spm demo``: the README's main job — the batch of regional reports on the bundled demo data."""
from __future__ import annotations

from datetime import datetime
from pathlib import Path

import typer

from .. import DEMO_LABEL, contoh
from ..paths import contoh_dir, reports_dir
from ._common import console, handle_errors

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
        from ..batch import run_batch
        from .batch import _report

        out = Path(ke) if ke else reports_dir() / f"demo-{datetime.now():%Y%m%d-%H%M%S}"
        codes = contoh.seed_selection()
        console.print(f"Menyusun laporan {len(codes)} wilayah ({DEMO_LABEL}, tahun {DEMO_YEAR}) ke {out}")
        outcome = run_batch(codes, DEMO_YEAR, out, data_dir=contoh_dir(), formats=format.split(","),
                            workers=workers, console=console)
        _report(outcome)
