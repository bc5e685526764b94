"""``spm paket --ke USB/``: the offline installer folder for participants' laptops (Windows, macOS, Linux)."""
from __future__ import annotations

import time
from pathlib import Path
from typing import Optional

import typer

from spm_helpers.cli.common import console, handle_errors


def _paket(ke: Path, sistem: Optional[list[str]], python: Optional[list[str]], wheel: Optional[Path],
           timpa: bool) -> None:
    from spm_helpers.training import installer

    t0 = time.perf_counter()
    with console.status("Mengunduh paket untuk setiap sistem operasi (perlu internet, sekali saja)..."):
        installer.build(ke, sistem=sistem or None, python=tuple(python or installer.VERSI_PYTHON), wheel=wheel,
                        timpa=timpa)
    n = len(list((ke / "wheels").glob("*.whl")))
    console.print(f"[green]Selesai[/] dalam {time.perf_counter() - t0:.0f} detik: {ke} "
                  f"({n} paket, {installer.ukuran_mb(ke):.0f} MB).")
    console.print("Salin seluruh folder ini ke flashdisk. Peserta mengklik dua kali MULAI_WINDOWS.bat, "
                  "MULAI_MAC.command atau mulai_linux.sh (lihat BACA_DULU.md di folder itu).")


def register(app: typer.Typer) -> None:
    @app.command("paket", help="Siapkan folder pemasang tanpa internet untuk laptop peserta (Windows, macOS, "
                               "Linux): paket Python, notebook latihan, dan skrip klik-dua-kali.")
    @handle_errors
    def paket_cmd(
        ke: Path = typer.Option(..., "--ke", help="Folder tujuan, mis. folder flashdisk."),
        sistem: Optional[list[str]] = typer.Option(
            None, "--sistem", help="windows, macos-arm64, macos-x86_64, linux; boleh diulang (bawaan: semua)."),
        python: Optional[list[str]] = typer.Option(
            None, "--python", help="Versi Python laptop peserta; boleh diulang (bawaan: 3.11 dan 3.12)."),
        wheel: Optional[Path] = typer.Option(None, "--wheel", help="Wheel SPM Workbench yang sudah jadi "
                                                                    "(bawaan: dibangun dari folder sumber)."),
        timpa: bool = typer.Option(False, "--timpa", help="Izinkan menimpa notebook di folder kelas/."),
    ) -> None:
        _paket(ke, sistem, python, wheel, timpa)
