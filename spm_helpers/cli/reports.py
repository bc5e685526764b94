"""``spm laporan`` and ``spm rencana-aksi``: run the report notebook for one region and export it."""
from __future__ import annotations

from pathlib import Path

import typer

from spm_helpers.cli.common import console, handle_errors
from spm_helpers.errors import SPMError
from spm_helpers.paths import notebooks_dir, reports_dir
from spm_helpers.reference import catalog, regions

DOKUMEN = {
    "laporan": ("laporan_wilayah.ipynb", "laporan", "Laporan Penerapan dan Pencapaian SPM"),
    "rencana-aksi": ("rencana_aksi.ipynb", "rencana_aksi", "Rancangan Rencana Aksi Penerapan SPM"),
    "triwulan": ("06_laporan_triwulan.ipynb", "laporan_triwulan", "Laporan Triwulan Penerapan SPM"),
}
NAMA_DOKUMEN = {"laporan": "laporan penerapan dan pencapaian SPM", "rencana-aksi": "rancangan Rencana Aksi Penerapan SPM",
                "triwulan": "paket laporan triwulan e-SPM"}


def build_document(jenis: str, wilayah: str, tahun: int, formats: list[str], data: Path | None,
                   ke: Path | None, parameter: dict | None = None) -> dict[str, Path]:
    """Execute the document's notebook for one region with papermill and export it; returns the file paths
    (html/pdf/ipynb plus the notebook's own outputs such as ringkasan.json live in the same folder)."""
    from spm_helpers.documents import identity, pdf_writer, publish

    notebook, basename, judul = DOKUMEN[jenis]
    w = regions.get(wilayah)
    if parameter and "aturan" in parameter:
        catalog.check_aturan(parameter["aturan"])
    if data is not None and not Path(data).is_dir():
        raise SPMError(f"Folder data '{data}' tidak ditemukan.")
    out = Path(ke) if ke else reports_dir() / f"{basename}_{w.kode_wilayah}_{tahun}"
    parameter = dict(parameter or {})
    if parameter.get("identitas"):
        # a wrong file (or another region's) fails here, in plain words, before the kernel starts
        identity.load(parameter["identitas"], w.kode_wilayah)
        parameter["identitas"] = str(Path(parameter["identitas"]).resolve())
    kernel_formats = [f for f in formats if f == "docx" or (f == "pdf" and pdf_writer.available())]
    params = {"kode_wilayah": w.kode_wilayah, "tahun": int(tahun), "output_dir": str(out.resolve()),
              "data_dir": None if data is None else str(Path(data).resolve()),
              "format_dokumen": ",".join(kernel_formats), **parameter}
    out.mkdir(parents=True, exist_ok=True)
    executed = out / f"{basename}.ipynb"
    try:
        nb = publish.run_notebook(notebooks_dir() / notebook, executed, params, cwd=out)
    except Exception as exc:  # papermill keeps the partial notebook with the failing cell marked
        if isinstance(exc, SPMError):
            raise
        raise SPMError(f"Buku kerja {notebook} gagal dijalankan untuk {w.nama}: {_pesan(exc)}. Lihat sel yang "
                       f"gagal di {executed}.") from exc
    return publish.export_report(nb, out, [f for f in formats if f != "ipynb"], basename=basename,
                                 title=f"{judul} {w.nama} {tahun}") | {"ipynb": executed}


def _pesan(exc: Exception) -> str:
    """The kernel's own error line from a PapermillExecutionError, else the exception text."""
    ename, evalue = getattr(exc, "ename", None), getattr(exc, "evalue", None)
    if ename and ename.startswith(("SPM", "Unknown")):  # our own errors already speak Indonesian
        return str(evalue)
    return f"{ename}: {evalue}" if ename else str(exc)


def _formats(text: str) -> list[str]:
    items = [f.strip().lower() for f in text.split(",") if f.strip()]
    bad = sorted(set(items) - {"html", "pdf", "docx", "ipynb"})
    if bad:
        raise SPMError(f"Format tidak dikenal: {', '.join(bad)}. Pilihan: html, pdf, docx (dipisah koma).")
    return items


def _jalankan(jenis: str, wilayah: str, tahun: int, format: str, data: Path | None, ke: Path | None,
              parameter: dict) -> dict[str, Path]:
    w = regions.get(wilayah)
    console.print(f"Menyusun {NAMA_DOKUMEN[jenis]} {w.nama} tahun {tahun} …")
    paths = build_document(jenis, wilayah, tahun, _formats(format), data, ke, parameter)
    for kind, path in paths.items():
        console.print(f"  {kind}: {path}")
    return paths


def _ringkas_triwulan(folder: Path) -> None:
    """Completeness per block, the deadline and the first items of the checklist, as the notebook wrote them."""
    import json

    from rich.table import Table

    from spm_helpers import fmt
    from spm_helpers.region.quarter import RINGKASAN_TRIWULAN

    r = json.loads((folder / RINGKASAN_TRIWULAN).read_text(encoding="utf-8"))
    table = Table(title=f"Keterisian {r['nama']} triwulan {r['triwulan']} {r['tahun']}: {fmt.persen(r['keterisian'])}")
    table.add_column("isian")
    table.add_column("keterisian", justify="right")
    for kode, nilai in r["keterisian_blok"].items():
        table.add_row(kode.replace("_", " "), fmt.persen(nilai))
    console.print(table)
    if r.get("tenggat"):
        left = r["hari_tersisa"]
        when = f"{left} hari lagi" if left >= 0 else f"terlambat {-left} hari"
        console.print(f"Tenggat e-SPM: {fmt.tanggal(r['tenggat'])} ({when}). Kekurangan: {r['jumlah_kekurangan']} "
                      "butir (lembar 'Kekurangan' pada paket Excel).")


WILAYAH = typer.Option(..., "--wilayah", "-w", help="Kode atau nama wilayah, mis. 32.75 atau 'Kota Bekasi'.")
TAHUN = typer.Option(..., "--tahun", "-t", help="Tahun data (tahun laporan).")
FORMAT = typer.Option("html,pdf", "--format", "-f", help="Format keluaran, dipisah koma: html, pdf, docx.")
IDENTITAS = typer.Option(None, "--identitas", help="Berkas identitas daerah (YAML), atau folder berisi "
                                                   "<kode>.yaml per wilayah (buat dengan 'spm identitas'): kepala "
                                                   "daerah, sekretaris daerah dan NIP, kop surat, lambang, kebijakan "
                                                   "umum (RPJMD), arah kebijakan (KUA), kertas A4/F4. Tanpa opsi ini: "
                                                   "isian \\[dalam kurung siku] untuk dilengkapi.")  # \\[ prints a bracket, not rich markup
DATA = typer.Option(None, "--data", help="Folder data (sasaran, ketersediaan, harga_satuan; anggaran dan "
                                         "permasalahan untuk bab pendanaan dan Bab III). Tanpa opsi ini: "
                                         "data contoh (sintetis) bawaan.")
KE = typer.Option(None, "--ke", help="Folder keluaran. Bawaan: reports/<dokumen>_<kode>_<tahun>.")
ATURAN = typer.Option("permenkes_6_2024", "--aturan", help="Aturan mutu kesehatan: permenkes_6_2024 atau "
                                                             "permenkes_4_2019.")


def register(app: typer.Typer) -> None:
    @app.command("laporan", help="Susun laporan penerapan dan pencapaian SPM satu wilayah (HTML, PDF, Word).")
    @handle_errors
    def laporan(wilayah: str = WILAYAH, tahun: int = TAHUN, format: str = FORMAT, data: Path | None = DATA,
                ke: Path | None = KE, aturan: str = ATURAN, identitas: Path | None = IDENTITAS,
                jenis: str = typer.Option("laporan", "--jenis", help="Dokumen: laporan atau rencana-aksi.")) -> None:
        if jenis not in ("laporan", "rencana-aksi"):
            raise SPMError(f"Jenis dokumen '{jenis}' tidak dikenal. Pilihan: laporan, rencana-aksi (laporan triwulan: "
                           "spm triwulan).")
        _jalankan(jenis, wilayah, tahun, format, data, ke,
                  {"aturan": aturan, **({"identitas": str(identitas)} if identitas else {})})

    @app.command("rencana-aksi", help="Susun rancangan Rencana Aksi Penerapan SPM satu wilayah untuk periode "
                                      "rencana (bahan peraturan kepala daerah).")
    @handle_errors
    def rencana_aksi(wilayah: str = WILAYAH, tahun: int = TAHUN, format: str = FORMAT, data: Path | None = DATA,
                     ke: Path | None = KE, aturan: str = ATURAN, identitas: Path | None = IDENTITAS,
                     lama: int = typer.Option(5, "--lama", help="Lama periode rencana (tahun)."),
                     pagu: int | None = typer.Option(None, "--pagu", help="Pagu per tahun (rupiah); bila diisi, "
                                                                          "target disusun dengan metode pagu.")) -> None:
        params = {"aturan": aturan, "lama": lama, **({"metode": "pagu", "pagu": pagu} if pagu is not None else {}),
                  **({"identitas": str(identitas)} if identitas else {})}
        _jalankan("rencana-aksi", wilayah, tahun, format, data, ke, params)

    @app.command("triwulan", help="Siapkan paket laporan triwulan e-SPM satu wilayah: lima isian dalam urutan e-SPM "
                                  "(Excel, HTML, PDF), skor keterisian per isian, daftar kekurangan per OPD, dan sisa "
                                  "hari sampai tenggat.")
    @handle_errors
    def triwulan(wilayah: str = WILAYAH, tahun: int = TAHUN,
                 triwulan: int = typer.Option(..., "--triwulan", help="Triwulan 1, 2, 3 atau 4."),
                 format: str = typer.Option("html", "--format", "-f", help="Dokumen selain paket Excel, dipisah "
                                                                             "koma: html, pdf, docx."),
                 data: Path | None = typer.Option(None, "--data", help="Folder data (sasaran, anggaran, "
                                                  "permasalahan, tahapan). Tanpa opsi ini: data contoh (sintetis)."),
                 ke: Path | None = typer.Option(None, "--ke", help="Folder keluaran. Bawaan: "
                                                "reports/triwulan_<kode>_<tahun>_TW<triwulan>."),
                 hari_ini: str = typer.Option("", "--hari-ini", help="Tanggal hitung sisa hari sampai tenggat "
                                              "(TTTT-BB-HH). Bawaan: hari ini."),
                 aturan: str = ATURAN, identitas: Path | None = IDENTITAS) -> None:
        from spm_helpers.reference.quarter import check_triwulan
        from spm_helpers.region.quarter import tanggal_hitung

        tw = check_triwulan(triwulan)
        tanggal_hitung(hari_ini)  # a wrong date fails here, before the kernel starts
        w = regions.get(wilayah)
        out = Path(ke) if ke else reports_dir() / f"triwulan_{w.kode_wilayah}_{tahun}_TW{tw}"
        params = {"triwulan": tw, "hari_ini": hari_ini, "aturan": aturan,
                  **({"identitas": str(identitas)} if identitas else {})}
        _jalankan("triwulan", wilayah, tahun, format, data, out, params)
        _ringkas_triwulan(out)
        console.print(f"  xlsx: {out / f'paket_triwulan_{w.kode_wilayah}_{tahun}_TW{tw}.xlsx'}")

    @app.command("identitas", help="Buat berkas identitas daerah kosong (YAML) untuk dilengkapi: satu berkas per "
                                   "wilayah di satu folder, dinamai dengan kodenya (32.75.yaml). Berkas yang sudah "
                                   "ada tidak ditimpa. Pakai foldernya dengan --identitas pada spm laporan, "
                                   "rencana-aksi, triwulan, dan batch.")
    @handle_errors
    def identitas(wilayah: str = typer.Option(..., "--wilayah", "-w", help="Wilayah: 32.75, 'Kota Bekasi', "
                                              "prov:32 (provinsi beserta kabupaten/kotanya), all, atau daftar "
                                              "dipisah koma."),
                  ke: Path = typer.Option(Path("identitas"), "--ke", help="Folder berkas identitas (bawaan: "
                                          "identitas)."),
                  kertas: str = typer.Option("A4", "--kertas", help="Ukuran kertas yang diisikan: A4 atau F4.")) -> None:
        from spm_helpers.documents.identity_template import write_templates

        if ke.exists() and not ke.is_dir():
            raise SPMError(f"'{ke}' adalah berkas, bukan folder; pilih folder untuk --ke.")
        codes = regions.select(wilayah)
        if not codes:
            raise SPMError("--wilayah kosong: sebutkan wilayah, mis. 32.75, prov:32 atau all.")
        written, kept = write_templates(codes, ke, kertas)
        console.print(f"{len(written)} berkas identitas dibuat di {ke.resolve()}"
                      + (f"; {len(kept)} sudah ada dan tidak diubah" if kept else "") + ".")
        for p in (written + kept)[:5] if len(codes) <= 5 else []:
            console.print(f"  {p}")
        console.print("Lengkapi nama, NIP, kop surat, dan lambang di tiap berkas, lalu susun dokumen dengan "
                      f"--identitas {ke}.")
