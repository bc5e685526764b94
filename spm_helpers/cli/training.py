"""``spm latihan``: the facilitator's three steps — list the modules, release them, score submissions."""
from __future__ import annotations

from pathlib import Path
from typing import Optional

import typer
from rich.markup import escape
from rich.progress import BarColumn, Progress, TextColumn
from rich.table import Table

from spm_helpers.cli.common import console, handle_errors


def _daftar() -> None:
    from spm_helpers.training.registry import daftar_modul
    from spm_helpers.training.release import master_path

    table = Table(title="Modul latihan SPM Workbench")
    for col in ("modul", "judul", "soal dinilai", "menit", "varian OPD", "status"):
        table.add_column(col)
    for m in daftar_modul():
        status = "siap" if master_path(m).exists() else "notebook belum ada"
        table.add_row(str(m.nomor), m.judul, str(len(m.soal_dinilai)), str(m.menit),
                      "ya" if m.varian_opd else "–", status)
    console.print(table)


def _rilis(ke: Path, modul: Optional[list[int]], timpa: bool) -> None:
    from spm_helpers.training.release import release

    paths = release(ke, modul or None, timpa=timpa)
    console.print(f"[green]Selesai:[/] {len(paths) - 1} notebook peserta ditulis ke {ke} (tanpa kunci jawaban).")
    for p in paths:
        console.print(f"  • {p}")


def grade_folder(folder: Path, ke: Optional[Path], batas_waktu: Optional[int], paralel: Optional[int], timpa: bool,
           batas_notebook: Optional[int] = None, tampilkan_nama: bool = False) -> None:
    from spm_helpers.training.sandbox_run import block_slow_optional_imports

    block_slow_optional_imports()  # before nbformat: seconds of parser building no submission needs
    from spm_helpers.errors import SPMError
    from spm_helpers.training import class_report, grade

    if not folder.is_dir():
        raise SPMError(f"Folder kiriman '{folder}' tidak ditemukan.")
    out = ke or folder.parent / f"{folder.name}_nilai"
    ada = [b for b in class_report.BERKAS if (out / b).exists()]
    if ada and not timpa:  # check before spending minutes on execution
        raise SPMError(f"Hasil penilaian sebelumnya sudah ada di {out} dan tidak akan ditimpa. "
                       "Pilih folder lain dengan --ke atau tambahkan --timpa.")
    with Progress(TextColumn("{task.description}"), BarColumn(), TextColumn("{task.completed}/{task.total}"),
                  console=console, transient=False) as progress:
        task = progress.add_task("Menilai kiriman", total=None)

        def kemajuan(h, selesai: int, total: int) -> None:
            progress.update(task, total=total, completed=selesai,
                            description=f"Menilai kiriman — terakhir: {escape(h.nama_peserta or h.berkas)}")

        sandbox = grade.Sandbox(hide=grade.hide_paths(folder, out))
        console.print(f"Notebook kiriman dijalankan dengan: {sandbox.kind}"
                      + ("" if sandbox.kind == grade.Sandbox.BWRAP else
                         " [yellow](bubblewrap tidak tersedia: perlindungan terbatas; pasang dengan "
                         "'apt-get install bubblewrap'; yang tidak dilindungi: bagian 'Keamanan penilaian' di "
                         "exercises/PANDUAN_FASILITATOR.md)[/]"))
        hasil = grade.grade(folder, batas_waktu=batas_waktu or grade.BATAS_WAKTU, paralel=paralel, kecuali=out,
                            kemajuan=kemajuan,
                            sandbox=sandbox, batas_notebook=batas_notebook)
    if grade.interrupted(hasil):
        console.print("[yellow]Penilaian dihentikan (Ctrl-C):[/] hanya kiriman yang sudah selesai yang dinilai.")
    if not hasil:
        raise SPMError(f"Tidak ada berkas .ipynb (atau .zip berisi .ipynb) di folder '{folder}'.")
    paths = class_report.write(hasil, out, timpa=timpa, dengan_nama=tampilkan_nama)
    dinilai = [h for h in hasil if h.soal]
    console.print(f"[green]Selesai:[/] {len(dinilai)} dari {len(hasil)} kiriman dinilai.")
    for h in hasil:
        if not h.soal:
            console.print(f"  [yellow]tidak dinilai:[/] {escape(h.berkas)}: {escape('; '.join(h.catatan))}")
    for p in paths:
        console.print(f"  • {p}")


def register(app: typer.Typer) -> None:
    latihan = typer.Typer(help="Perangkat pelatihan: daftar modul, rilis notebook peserta, penilaian kiriman.",
                          no_args_is_help=True)
    app.add_typer(latihan, name="latihan")

    @latihan.command("daftar", help="Tampilkan modul latihan, jumlah soal dan perkiraan waktunya.")
    @handle_errors
    def daftar() -> None:
        _daftar()

    @latihan.command("rilis", help="Tulis notebook peserta (tanpa jawaban, keluaran dibersihkan) ke sebuah folder.")
    @handle_errors
    def rilis_cmd(
        ke: Path = typer.Option(..., "--ke", help="Folder tujuan (dibuat bila belum ada)."),
        modul: Optional[list[int]] = typer.Option(None, "--modul", help="Nomor modul; boleh diulang. "
                                                                         "Tanpa opsi ini: semua modul yang siap."),
        timpa: bool = typer.Option(False, "--timpa", help="Izinkan menimpa berkas yang sudah ada."),
    ) -> None:
        _rilis(ke, modul, timpa)

    @latihan.command("nilai", help="Jalankan dan nilai semua notebook kiriman di sebuah folder (juga di dalam .zip).")
    @handle_errors
    def nilai_cmd(
        folder: Path = typer.Argument(..., help="Folder berisi kiriman peserta (.ipynb atau .zip)."),
        ke: Optional[Path] = typer.Option(None, "--ke", help="Folder hasil (bawaan: <FOLDER>_nilai di sebelahnya)."),
        batas_waktu: Optional[int] = typer.Option(None, "--batas-waktu", min=1,
                                                  help="Batas waktu per sel, dalam detik (bawaan: 30)."),
        paralel: Optional[int] = typer.Option(None, "--paralel", min=1,
                                              help="Banyaknya notebook yang dijalankan bersamaan (bawaan: banyaknya "
                                                   "inti prosesor + 2)."),
        timpa: bool = typer.Option(False, "--timpa", help="Izinkan menimpa hasil penilaian sebelumnya."),
        batas_notebook: Optional[int] = typer.Option(None, "--batas-notebook", min=10,
                                                     help="Batas waktu satu notebook utuh, dalam detik (bawaan: 4 × "
                                                          "batas per sel, sedikitnya 120)."),
        tampilkan_nama: bool = typer.Option(False, "--tampilkan-nama",
                                            help="Tampilkan nama dan nilai tiap peserta di halaman layar "
                                                 "(bawaan: tanpa nama)."),
    ) -> None:
        grade_folder(folder, ke, batas_waktu, paralel, timpa, batas_notebook, tampilkan_nama)
