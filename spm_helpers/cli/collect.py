"""``spm formulir`` / ``spm impor`` / ``spm impor-byname``: stage 1, data collection from OPDs."""
from __future__ import annotations

from pathlib import Path

import pandas as pd
import typer
from rich.table import Table

from spm_helpers import fmt
from spm_helpers.cli.common import EXIT_DATA_ERROR, console, err_console, handle_errors, mark_copies, problems_table
from spm_helpers.errors import SPMDataError, SPMError
from spm_helpers.inputs import byname, collect, opd_form
from spm_helpers.inputs.datastore import read_table, table_path, write_table
from spm_helpers.reference import catalog


def _show_problems(problems, title: str) -> None:
    if problems:
        err_console.print(problems_table(SPMDataError(problems), title=title))



def _upsert_sasaran(row: pd.DataFrame, folder: Path, overwrite: bool) -> Path:
    """Add or replace this jenis' row in the folder's sasaran table; a different existing number needs --timpa."""
    path = table_path(folder, "sasaran") or folder / "sasaran.csv"
    current = read_table(path) if path.exists() else None
    if current is not None and not overwrite:
        keys = collect.KEYS["sasaran"]
        same = current[(current["kode_wilayah"] == row.at[0, "kode_wilayah"])
                       & (pd.to_numeric(current["tahun"]) == row.at[0, "tahun"])
                       & (current["kode_jenis"] == row.at[0, "kode_jenis"])]
        if "triwulan" in same.columns:
            same = same[same["triwulan"].isna()]
        cols = ["jumlah_sasaran", "jumlah_terlayani"]
        if len(same) and not (pd.to_numeric(same.iloc[0][cols]).tolist() == row.loc[0, cols].tolist()):
            old = ", ".join(f"{c} {same.iloc[0][c]}" for c in cols)
            raise SPMError(f"{path} sudah berisi {', '.join(str(row.at[0, k]) for k in keys)} dengan {old}; "
                           "tidak ditimpa. Periksa lalu jalankan lagi dengan --timpa bila angka baru yang benar.")
    return write_table(collect.upsert(current, row, "sasaran"), path, overwrite=True)


def register(app: typer.Typer) -> None:
    @app.command("formulir", help="Buat formulir Excel kosong per OPD untuk pengumpulan data SPM.")
    @handle_errors
    def formulir(
        wilayah: str = typer.Option(..., "--wilayah", help="Kode atau nama wilayah, mis. 32.75."),
        tahun: int = typer.Option(..., "--tahun", help="Tahun data, mis. 2025."),
        opd: str = typer.Option(None, "--opd", help=f"Satu OPD saja: {', '.join(opd_form.OPD)}. "
                                                     "Tanpa ini: semua OPD wilayah tersebut."),
        ke: Path = typer.Option(Path("formulir_spm"), "--ke", help="Folder tujuan."),
        aturan: str = typer.Option(catalog.DEFAULT_ATURAN, "--aturan", help="Aturan mutu kesehatan."),
        timpa: bool = typer.Option(False, "--timpa", help="Izinkan menimpa formulir yang sudah ada."),
    ) -> None:
        paths = opd_form.write_forms(wilayah, tahun, ke, opd, aturan=aturan, overwrite=timpa)
        console.print(f"[green]Selesai:[/] {len(paths)} formulir ditulis.")
        for p in paths:
            console.print(f"  • {p}")

    @app.command("impor", help="Baca formulir OPD yang sudah diisi, periksa, gabungkan, dan simpan tabel rapi.")
    @handle_errors
    def impor_cmd(
        berkas: list[Path] = typer.Argument(..., help="Satu atau lebih formulir .xlsx yang sudah diisi."),
        ke: Path = typer.Option(Path("data_spm"), "--ke", help="Folder data tujuan (sasaran, ketersediaan, "
                                                               "harga_satuan)."),
        tandai: bool = typer.Option(False, "--tandai", help="Tulis SALINAN formulir dengan sel bermasalah "
                                                            "diwarnai dan diberi komentar."),
        wilayah: str = typer.Option(None, "--wilayah", help="Wilayah yang diharapkan (bawaan: dari formulir)."),
        tahun: int = typer.Option(None, "--tahun", help="Tahun yang diharapkan (bawaan: dari formulir)."),
        format: str = typer.Option("csv", "--format", help="csv atau parquet."),
        timpa: bool = typer.Option(False, "--timpa", help="Izinkan menimpa tabel yang sudah ada di folder."),
    ) -> None:
        hasil = collect.import_forms(berkas, kode_wilayah=wilayah, tahun=tahun)
        console.print(hasil.ringkasan())
        _show_problems(hasil.problems, f"{len(hasil.galat)} galat, {len(hasil.peringatan)} peringatan")
        if tandai:
            mark_copies(hasil.berkas, hasil.problems, ke)
        if not hasil.ok:
            err_console.print("[bold red]Tabel tidak disimpan:[/] perbaiki galat di atas lalu impor ulang.")
            raise typer.Exit(EXIT_DATA_ERROR)
        for p in collect.save(hasil, ke, fmt=format, overwrite=timpa):
            console.print(f"  • {p}")

    @app.command("impor-byname", help="Hitung sasaran dan terlayani satu jenis dari data by name (NIK).")
    @handle_errors
    def impor_byname_cmd(
        berkas: list[Path] = typer.Argument(..., help="Berkas CSV, Excel (.xlsx) atau Parquet berisi NIK, "
                                                      "status layanan (ya/tidak) dan tanggal layanan."),
        jenis: str = typer.Option(..., "--jenis", help="Kode jenis pelayanan, mis. KES-KK-01."),
        wilayah: str = typer.Option(None, "--wilayah", help="Wilayah (bawaan: yang paling banyak pada NIK)."),
        tahun: int = typer.Option(None, "--tahun", help="Tahun (bawaan: yang paling banyak pada tanggal layanan)."),
        ke: Path = typer.Option(Path("data_spm"), "--ke", help="Folder data; baris jenis ini ditambahkan ke "
                                                               "sasaran.csv."),
        terima_sebagian: bool = typer.Option(False, "--terima-sebagian",
                                             help="Simpan hitungan dari baris yang valid walau ada baris ditolak."),
        timpa: bool = typer.Option(False, "--timpa", help="Izinkan mengganti angka jenis ini yang sudah ada."),
    ) -> None:
        hasil = byname.import_byname(berkas, jenis, kode_wilayah=wilayah, tahun=tahun)
        table = Table(title=f"{hasil.kode_jenis} — {hasil.kode_wilayah} tahun {hasil.tahun}")
        table.add_column("ringkasan")
        table.add_column("jumlah", justify="right")
        for key, value in hasil.ringkasan.items():
            table.add_row(key.replace("_", " "), fmt.angka(value))
        console.print(table)
        if len(hasil.masalah):
            _show_problems(hasil.problems, f"{len(hasil.masalah)} masalah (NIK disamarkan)")
            path = write_table(hasil.masalah, ke / f"masalah_byname_{hasil.kode_jenis}.csv", overwrite=True)
            console.print(f"  • daftar masalah lengkap: {path}")
        if not hasil.ok and not terima_sebagian:
            err_console.print("[bold red]Hitungan tidak disimpan:[/] ada baris ditolak. Perbaiki, atau simpan "
                              "hitungan baris yang valid saja dengan --terima-sebagian.")
            raise typer.Exit(EXIT_DATA_ERROR)
        console.print(f"  • {_upsert_sasaran(hasil.sasaran, ke, timpa)}")
