"""``spm formulir-triwulan`` / ``spm impor-triwulan``: the quarterly e-SPM forms (anggaran, permasalahan,
tahapan) handed to the OPDs and Bappeda, and read back into the data folder."""
from __future__ import annotations

from pathlib import Path

import typer

from spm_helpers.cli.common import EXIT_DATA_ERROR, console, err_console, handle_errors, mark_copies, problems_table
from spm_helpers.errors import SPMDataError, SPMError
from spm_helpers.inputs import quarter_collect, quarter_form
from spm_helpers.reference import quarter


def register(app: typer.Typer) -> None:
    @app.command("formulir-triwulan",
                 help="Buat formulir Excel laporan triwulan (anggaran, permasalahan dan solusi per OPD; tahapan dan "
                      "Rencana Aksi untuk Bappeda).")
    @handle_errors
    def formulir_triwulan(
        wilayah: str = typer.Option(..., "--wilayah", help="Kode atau nama wilayah, mis. 32.75."),
        tahun: int = typer.Option(..., "--tahun", help="Tahun laporan, mis. 2025."),
        triwulan: int = typer.Option(..., "--triwulan", help="Triwulan 1, 2, 3 atau 4."),
        ke: Path = typer.Option(Path("formulir_triwulan"), "--ke", help="Folder tujuan."),
        opd: str = typer.Option(None, "--opd", help=f"Satu OPD saja: {', '.join(quarter_form.OPD)}. Tanpa ini: "
                                                     "semua OPD wilayah tersebut dan Bappeda."),
        timpa: bool = typer.Option(False, "--timpa", help="Izinkan menimpa formulir yang sudah ada."),
    ) -> None:
        q = quarter.check_triwulan(triwulan)
        if ke.exists() and not ke.is_dir():
            raise SPMError(f"--ke {ke} adalah berkas, bukan folder; pilih folder tujuan formulir.")
        paths = quarter_form.write_forms(wilayah, tahun, q, ke, opd, overwrite=timpa)
        console.print(f"[green]Selesai:[/] {len(paths)} formulir {quarter.nama_triwulan(q)} {tahun} ditulis.")
        for p in paths:
            console.print(f"  • {p}")

    @app.command("impor-triwulan",
                 help="Baca formulir triwulan yang sudah diisi, periksa, gabungkan, dan simpan tabel anggaran, "
                      "permasalahan dan tahapan.")
    @handle_errors
    def impor_triwulan(
        berkas: list[Path] = typer.Argument(..., help="Satu atau lebih formulir triwulan .xlsx yang sudah diisi."),
        ke: Path = typer.Option(Path("data_spm"), "--ke", help="Folder data tujuan (anggaran, permasalahan, "
                                                               "tahapan)."),
        wilayah: str = typer.Option(None, "--wilayah", help="Wilayah yang diharapkan (bawaan: dari formulir)."),
        tahun: int = typer.Option(None, "--tahun", help="Tahun yang diharapkan (bawaan: dari formulir)."),
        triwulan: int = typer.Option(None, "--triwulan", help="Triwulan yang diharapkan (bawaan: dari formulir)."),
        tandai: bool = typer.Option(False, "--tandai", help="Tulis SALINAN formulir dengan sel bermasalah "
                                                            "diwarnai dan diberi komentar."),
        format: str = typer.Option("csv", "--format", help="csv atau parquet."),
        timpa: bool = typer.Option(False, "--timpa", help="Izinkan mengganti baris milik formulir ini (wilayah, "
                                                          "tahun, triwulan, jenis OPD-nya) yang sudah ada; baris "
                                                          "OPD lain tidak pernah diganti."),
    ) -> None:
        if triwulan is not None:
            quarter.check_triwulan(triwulan)
        hasil = quarter_collect.import_forms(berkas, kode_wilayah=wilayah, tahun=tahun, triwulan=triwulan)
        console.print(hasil.ringkasan())
        if hasil.problems:
            err_console.print(problems_table(SPMDataError(hasil.problems),
                                             title=f"{len(hasil.galat)} galat, {len(hasil.peringatan)} peringatan"))
        if tandai:
            mark_copies(hasil.berkas, hasil.problems, ke)
        if not hasil.ok:
            err_console.print("[bold red]Tabel tidak disimpan:[/] perbaiki galat di atas lalu impor ulang.")
            raise typer.Exit(EXIT_DATA_ERROR)
        written = quarter_collect.save(hasil, ke, fmt=format, overwrite=timpa)
        for p in written:
            console.print(f"  • {p}")
        if not written:
            console.print(f"  • tidak ada yang berubah: isi {ke} sudah sama dengan formulir ini")
        for note in hasil.catatan:
            console.print(f"  • {note}")
