"""``spm contoh``: write deterministic synthetic demo data (data contoh, sintetis)."""
from __future__ import annotations

from pathlib import Path

import typer

from spm_helpers import DEMO_LABEL, fmt
from spm_helpers.cli.common import console, handle_errors
from spm_helpers.errors import SPMError
from spm_helpers.inputs import demo


def _years(text: str) -> list[int]:
    """'2021-2025' or '2023,2024' → list of years; anything else an Indonesian error."""
    out: list[int] = []
    try:
        for part in text.split(","):
            part = part.strip()
            if "-" in part:
                a, b = part.split("-", 1)
                out += list(range(int(a), int(b) + 1))
            elif part:
                out.append(int(part))
    except ValueError:
        raise SPMError(f"--tahun '{text}' tidak terbaca: tulis tahun sebagai angka, mis. 2024, 2021-2025 atau "
                       "2023,2024.") from None
    if not out or any(not 1900 <= y <= 2100 for y in out):
        raise SPMError(f"--tahun '{text}' tidak masuk akal: tulis tahun antara 1900 dan 2100, mis. 2021-2025.")
    return out


def register(app: typer.Typer) -> None:
    @app.command("contoh", help=f"Buat {DEMO_LABEL} untuk wilayah dan tahun tertentu (deterministik: "
                                "benih yang sama menghasilkan angka yang sama).")
    @handle_errors
    def contoh_cmd(
        ke: Path = typer.Option(..., "--ke", help="Folder tujuan (dibuat bila belum ada)."),
        wilayah: str = typer.Option("contoh", "--wilayah",
                                    help="Kode/nama wilayah dipisah koma, 'prov:32', 'all' (552 wilayah), "
                                         "atau 'contoh' (5 wilayah contoh + provinsinya)."),
        tahun: str = typer.Option("2021-2025", "--tahun", help="Tahun, mis. 2021-2025 atau 2023,2024."),
        benih: int = typer.Option(demo.DEFAULT_SEED, "--benih", help="Benih acak (seed)."),
        masalah: bool = typer.Option(False, "--masalah", help="Sisipkan masalah kualitas data (untuk latihan)."),
        triwulan: bool = typer.Option(False, "--triwulan", help="Tambahkan baris realisasi per triwulan."),
        format: str = typer.Option("csv", "--format", help="csv atau parquet."),
        timpa: bool = typer.Option(False, "--timpa", help="Izinkan menimpa berkas yang sudah ada."),
    ) -> None:
        codes = demo.seed_selection() if wilayah == "contoh" else wilayah
        data = demo.generate(codes, _years(tahun), seed=benih, masalah=masalah, triwulan=triwulan)
        paths = demo.write(data, ke, fmt=format, overwrite=timpa)
        n_reg = data.sasaran["kode_wilayah"].nunique()
        console.print(f"[green]Selesai:[/] {DEMO_LABEL} untuk {n_reg} wilayah, "
                      f"{fmt.angka(len(data.sasaran))} baris sasaran, {fmt.angka(len(data.ketersediaan))} baris ketersediaan.")
        for p in paths:
            console.print(f"  • {p}")
