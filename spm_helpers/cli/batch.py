"""``spm batch``: every region's report and a national/provincial summary in one command."""
from __future__ import annotations

from pathlib import Path

import typer
from rich.table import Table

from spm_helpers.cli.common import EXIT_FAILED, console, handle_errors

EXIT_INTERRUPTED = 130
HELP = ("Jalankan notebook laporan untuk banyak wilayah sekaligus (paralel, dapat dilanjutkan), lalu buat "
        "ringkasan nasional/provinsi (index.html). Wilayah yang gagal dicatat di manifest.json dan batch "
        "tetap berjalan.")
H_WILAYAH = "all (552 wilayah), prov:32 (provinsi + kab/kotanya), atau kode/nama dipisah koma: 32.75,19.71."
H_WORKERS = "Jumlah proses pekerja (bawaan: jumlah inti CPU; 0 = di proses ini)."
H_LANJUT = ("Lanjutkan batch yang terhenti: wilayah yang sudah berhasil dilewati, yang gagal dicoba lagi. "
            "Tanpa --ke: batch terakhir di reports/.")
H_DATA = ("Folder data (sasaran, ketersediaan, harga_satuan). Tanpa ini: data contoh (sintetis) dibuat "
          "sekali di folder batch.")


def register(app: typer.Typer) -> None:
    @app.command("batch", help=HELP)
    @handle_errors
    def batch(
        wilayah: str = typer.Option(None, "--wilayah", help=H_WILAYAH),
        tahun: int = typer.Option(None, "--tahun", help="Tahun laporan, mis. 2024."),
        workers: int = typer.Option(None, "--workers", min=0, help=H_WORKERS),
        format: str = typer.Option("html", "--format", help="html, pdf, docx, dipisah koma (mis. html,pdf,docx)."),
        identitas: Path = typer.Option(None, "--identitas", help="Folder identitas daerah: satu berkas YAML per "
                                                                 "wilayah, dinamai dengan kodenya (32.75.yaml), untuk "
                                                                 "kop surat, penanda tangan, RPJMD/KUA, dan kertas; "
                                                                 "buat dengan 'spm identitas'. Wilayah tanpa berkas: "
                                                                 "isian \\[dalam kurung siku]."),
        lanjutkan: bool = typer.Option(False, "--lanjutkan", help=H_LANJUT),
        data: Path = typer.Option(None, "--data", help=H_DATA),
        ke: Path = typer.Option(None, "--ke", help="Folder batch (bawaan: reports/batch-<tahun>-<waktu>)."),
        notebook: Path = typer.Option(None, "--notebook",
                                      help="Notebook laporan (bawaan: notebooks/laporan_wilayah.ipynb)."),
        batas_waktu: int = typer.Option(600, "--batas-waktu", min=1, help="Batas waktu per sel (detik)."),
        kernel_baru: bool = typer.Option(False, "--kernel-baru",
                                         help="Kernel baru per wilayah: lebih lambat, isolasi penuh."),
        executor: str = typer.Option("lokal", "--executor", help="lokal (proses di komputer ini) atau dask."),
        scheduler: str = typer.Option(None, "--scheduler", help="Alamat penjadwal Dask, mis. tcp://10.0.0.5:8786."),
        timpa: bool = typer.Option(False, "--timpa", help="Izinkan memakai folder --ke yang sudah berisi berkas "
                                                          "lain (berkas laporan di dalamnya dapat tertimpa)."),
        triwulan: int = typer.Option(None, "--triwulan", help="1–4: paket laporan triwulan e-SPM setiap wilayah dan "
                                                              "halaman peringkat keterisian (bukan laporan tahunan)."),
    ) -> None:
        from spm_helpers.batch.runner import run_batch  # imported here: other `spm` commands start faster

        params = {"identitas": str(identitas)} if identitas is not None else {}
        outcome = run_batch(wilayah, tahun, ke, notebook=notebook, data_dir=data, formats=format.split(","),
                            workers=workers, resume=lanjutkan, params=params or None, cell_timeout=batas_waktu,
                            fresh_kernel=kernel_baru, executor=executor, scheduler=scheduler, console=console,
                            overwrite=timpa, triwulan=triwulan)
        print_outcome(outcome)


def print_outcome(outcome) -> None:
    """Failures as a table, counts, where things are; exit 1 if a region failed, 130 if interrupted."""
    manifest = outcome.manifest
    counts = manifest.counts()
    failures = manifest.failures()
    if failures:
        table = Table(title=f"{len(failures)} wilayah gagal", title_style="bold red")
        for col in ("kode", "wilayah", "galat"):
            table.add_column(col)
        for e in failures[:30]:
            table.add_row(e["kode_wilayah"], e.get("nama") or "", (e.get("galat") or "")[:200])
        if len(failures) > 30:
            table.caption = f"… dan {len(failures) - 30} lainnya (lihat manifest.json)"
        console.print(table)
    console.print(f"{counts['berhasil']} berhasil, {counts['gagal']} gagal, {counts['menunggu']} belum "
                  f"dijalankan dari {counts['total']} wilayah. Manifest: {manifest.path}")
    if outcome.interrupted:
        console.print("[yellow]Batch dihentikan.[/] Lanjutkan dengan: "
                      f"spm batch --lanjutkan --ke {manifest.run_dir}")
        raise typer.Exit(EXIT_INTERRUPTED)
    if outcome.index:
        console.print(f"[green]Ringkasan:[/] {outcome.index}")
    if not outcome.ok:
        raise typer.Exit(EXIT_FAILED)
