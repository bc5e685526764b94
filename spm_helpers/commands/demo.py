"""``spm demo``: the README's main job on the bundled demo data."""
from __future__ import annotations

from pathlib import Path

import typer

from .. import DEMO_LABEL, contoh, fmt
from ..paths import reports_dir
from ._common import console, handle_errors


def register(app: typer.Typer) -> None:
    @app.command("demo", help=f"Jalankan pekerjaan utama pada {DEMO_LABEL}: 5 wilayah contoh dan provinsinya.")
    @handle_errors
    def demo(
        ke: Path = typer.Option(None, "--ke", help="Folder hasil (bawaan: reports/demo)."),
    ) -> None:
        out = Path(ke) if ke else reports_dir() / "demo"
        data = contoh.generate(contoh.seed_selection(), contoh.DEFAULT_YEARS)
        contoh.write(data, out / "data", overwrite=True)
        console.print(f"[green]{DEMO_LABEL.capitalize()}[/] untuk {data.sasaran['kode_wilayah'].nunique()} "
                      f"wilayah ({fmt.angka(len(data.sasaran))} baris sasaran) ditulis ke {out / 'data'}")
