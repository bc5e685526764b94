"""``spm sasaran``: sasaran estimated from population by age group and sex, beside what the OPD reported (D10)."""
from __future__ import annotations

from pathlib import Path

import pandas as pd
import typer
from rich.table import Table

from spm_helpers import DEMO_LABEL, fmt
from spm_helpers.cli.common import console, handle_errors
from spm_helpers.engine import sasaran_estimate as se
from spm_helpers.errors import SPMError
from spm_helpers.inputs import datastore, population
from spm_helpers.reference import regions
from spm_helpers.reference.catalog import jenis_info
from spm_helpers.region.data import annual_rows, catatan_perkiraan

BERKAS_PERKIRAAN = "perkiraan_sasaran.csv"
BERKAS_BANDING = "perbandingan_sasaran.csv"


def _penduduk(kode: str, tahun_penduduk: int, berkas: Path | None, data: Path | None) -> tuple[pd.DataFrame, str]:
    """The region's population table and where it came from, in words."""
    if berkas is not None:
        hasil = population.read_penduduk(berkas, kode, tahun_penduduk)
        for p in hasil.masalah:
            console.print(f"[yellow]Peringatan:[/] {p.describe()}")
        return hasil.tabel, f"berkas '{berkas.name}' (dibaca sebagai tahun {tahun_penduduk})"
    if data is not None:
        tabel = population.load_penduduk(data, kode)
        if tabel is not None and len(tabel):
            return tabel, f"penduduk.csv di folder data '{data.name}'"
    return population.contoh_penduduk([kode], population.TAHUN_DASAR_CONTOH), \
        f"tabel umur {DEMO_LABEL} (jumlah Dukcapil 2024); berikan --penduduk FILE untuk tabel daerah"


def _reported(data: Path | None, kode: str, tahun: int) -> pd.DataFrame | None:
    if data is None:
        return None
    return annual_rows(datastore.load(data, kode, tahun, tables=("sasaran",))["sasaran"])  # not the quarter rows


def _pct(x) -> str:
    return "–" if pd.isna(x) else f"{'+' if x > 0 else ''}{fmt.angka(x, 1)}%"


def _table(b: pd.DataFrame, nama: str, tahun: int, compared: bool) -> Table:
    t = Table(title=f"Perkiraan sasaran dari penduduk — {nama}, {tahun}", show_lines=False)
    for col, just in (("Kode", "left"), ("Jenis pelayanan", "left"), ("Metode", "left"),
                      ("Dasar perhitungan", "left"), ("Perkiraan", "right")):
        t.add_column(col, justify=just)
    if compared:
        for col in ("Dilaporkan", "Selisih", "Selisih %", "Keadaan"):
            t.add_column(col, justify="right" if col != "Keadaan" else "left")
    names = jenis_info().set_index("kode_jenis")["nama_jenis"].to_dict()
    for r in b.itertuples(index=False):
        row = [r.kode_jenis, str(names.get(r.kode_jenis, ""))[:48], r.keterangan_metode, r.dasar_perhitungan,
               fmt.angka(r.perkiraan)]
        if compared:
            keadaan = "[bold red]selisih besar[/]" if r.jauh else r.keadaan
            row += [fmt.angka(r.jumlah_sasaran), fmt.angka(r.selisih), _pct(r.selisih_persen), keadaan]
        t.add_row(*row)
    return t


def register(app: typer.Typer) -> None:
    @app.command("sasaran", help="Perkirakan sasaran setiap jenis pelayanan dasar dari penduduk menurut kelompok "
                                 "umur dan jenis kelamin, dan bandingkan dengan sasaran yang dilaporkan OPD.")
    @handle_errors
    def sasaran_cmd(
        wilayah: str = typer.Option(..., "--wilayah", help="Kode atau nama wilayah, mis. 17.01."),
        tahun: int = typer.Option(..., "--tahun", help="Tahun perkiraan, mis. 2026."),
        penduduk: Path = typer.Option(None, "--penduduk", help="Tabel penduduk (.xlsx/.csv): 'Kelompok Umur | "
                                                               "Laki-laki | Perempuan | Jumlah'."),
        tahun_penduduk: int = typer.Option(None, "--tahun-penduduk", help="Tahun tabel --penduduk (bawaan: "
                                                                          "sama dengan --tahun)."),
        data: Path = typer.Option(None, "--data", help="Folder data (sasaran.csv ...) untuk dibandingkan."),
        pakai_perkiraan: bool = typer.Option(False, "--pakai-perkiraan",
                                             help="Pakai perkiraan untuk jenis yang sasarannya tidak dilaporkan "
                                                  "(perlu --data dan --ke; angka yang dilaporkan tidak diubah)."),
        ke: Path = typer.Option(None, "--ke", help="Folder hasil (CSV); dibuat bila belum ada."),
        timpa: bool = typer.Option(False, "--timpa", help="Izinkan menimpa berkas hasil yang sudah ada."),
    ) -> None:
        if not 2000 <= tahun <= 2100:
            raise SPMError(f"Tahun {tahun} tidak masuk akal: isi --tahun antara 2000 dan 2100.")
        if pakai_perkiraan and (data is None or ke is None):
            raise SPMError("--pakai-perkiraan memerlukan --data (folder sasaran yang dilengkapi) dan --ke (folder "
                           "hasil); data asli tidak pernah ditimpa.")
        if ke is not None and data is not None and ke.resolve() == data.resolve():
            raise SPMError(f"Folder --ke sama dengan folder --data ('{data}'): pilih folder lain agar data asli "
                           "tidak tertimpa.")
        if data is not None and not data.is_dir():
            raise SPMError(f"Folder data '{data}' tidak ditemukan.")
        w = regions.get(wilayah)
        tabel, asal = _penduduk(w.kode_wilayah, tahun_penduduk or tahun, penduduk, data)
        laju = se.nilai_parameter()["laju_pertumbuhan"]
        proyeksi, notes = population.untuk_tahun(tabel, tahun, laju)
        perkiraan = se.perkirakan_sasaran(proyeksi)
        reported = _reported(data, w.kode_wilayah, tahun)
        b = se.bandingkan(perkiraan, reported if reported is not None else
                          pd.DataFrame(columns=["kode_wilayah", "tahun", "kode_jenis", "jumlah_sasaran"]))
        console.print(_table(b, w.nama, tahun, reported is not None))
        console.print(f"Penduduk: {asal}; jumlah {fmt.angka(perkiraan['penduduk_total'].iloc[0])} jiwa.")
        for n in notes:
            console.print(f"Catatan: {n}.")
        console.print("Semua metode dan parameter berstatus [bold]perlu_verifikasi[/] (datasets/katalog/"
                      "perkiraan_sasaran.csv, parameter_perkiraan.csv). Perkiraan tidak menggantikan sasaran "
                      "yang dilaporkan.")
        if reported is not None:
            n_jauh = int(b["jauh"].sum())
            console.print(f"{n_jauh} jenis dengan selisih besar antara sasaran dilaporkan dan perkiraan "
                          "(bendera mutu data 'sasaran_jauh_dari_perkiraan').")
        if ke is None:
            return
        paths = [datastore.write_table(perkiraan.assign(sumber_penduduk=asal), ke / BERKAS_PERKIRAAN, overwrite=timpa),
                 datastore.write_table(b, ke / BERKAS_BANDING, overwrite=timpa)]
        if pakai_perkiraan:
            paths += _adopt(data, ke, w.kode_wilayah, perkiraan, timpa)
        console.print(f"[green]Selesai:[/] hasil tersimpan di {ke}")
        for p in paths:
            console.print(f"  • {p}")


def _adopt(data: Path, ke: Path, kode: str, perkiraan: pd.DataFrame, timpa: bool) -> list[Path]:
    """A copy of the data folder in ``ke`` whose sasaran has the estimates of jenis this region did not report."""
    tables = datastore.load(data, tables=datastore.TABLES + datastore.QUARTER_TABLES)
    new, adopted = se.pakai_perkiraan(tables["sasaran"], perkiraan)
    if adopted.empty:
        console.print("Tidak ada jenis tanpa sasaran yang dapat diisi dengan perkiraan.")
    else:
        console.print(f"[yellow]Dipakai perkiraan[/] untuk {len(adopted)} jenis {kode} yang sasarannya tidak "
                      f"dilaporkan: {', '.join(adopted['kode_jenis'])}. Kolom sumber_data menandainya; "
                      f"{catatan_perkiraan(new)}.")
    out = {**{k: v for k, v in tables.items() if len(v) or k in datastore.TABLES}, "sasaran": new}  # nothing lost
    paths = datastore.save(out, ke, overwrite=timpa)
    src = datastore.table_path(data, "penduduk")
    if src is not None:
        paths.append(datastore.write_table(population.load_penduduk(data), ke / "penduduk.csv", overwrite=timpa))
    return paths
