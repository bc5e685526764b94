"""``spm kepatuhan``: public-service-standard compliance checklist (simulasi penilaian mandiri)."""
from __future__ import annotations

from pathlib import Path

import pandas as pd
import typer
from rich.markup import escape
from rich.table import Table

from spm_helpers import fmt
from spm_helpers.cli.common import console, err_console, handle_errors
from spm_helpers.compliance import scoring as cp
from spm_helpers.compliance import workbook as ce
from spm_helpers.errors import SPMDataError, SPMError
from spm_helpers.inputs.datastore import write_table
from spm_helpers.inputs.workbook import highlight_copy
from spm_helpers.reference import regions

ZONE_STYLE = {"hijau": "green", "kuning": "yellow", "merah": "red"}


def _text(value) -> str:
    """A cell for rich: NA (a unit not yet complete has no kategori) as '–', everything else as text."""
    return "–" if value is None or pd.isna(value) or value == "" else str(value)


def _units_table(nilai_unit, title: str) -> Table:
    table = Table(title=title, caption=cp.LABEL_SIMULASI)
    for col in ("wilayah", "unit", "nilai", "kategori", "opini", "zona", "kosong"):
        table.add_column(col, justify="right" if col in ("nilai", "kosong") else "left")
    for r in nilai_unit.itertuples():
        style = ZONE_STYLE.get(r.zona, "")
        table.add_row(_text(r.kode_wilayah), escape(_text(r.unit)), cp.format_nilai(r.nilai), _text(r.kategori),
                      _text(r.opini), f"[{style}]{r.zona}[/]" if style else "belum lengkap",
                      _text(r.indikator_kosong))
    return table


def _mark(files: list[Path], problems, folder: Path) -> None:
    for path in files:
        own = [p for p in problems if p.berkas == path.name]
        if not own:
            continue
        try:
            dst = highlight_copy(path, folder / f"{path.stem}_bertanda.xlsx", own)
            err_console.print(f"  • salinan bertanda: {dst}")
        except SPMError as exc:  # not an openable workbook, or the copy exists: the problems still print
            err_console.print(f"  • {path.name}: salinan bertanda tidak dibuat ({exc})")


def register(app: typer.Typer) -> None:
    sub = typer.Typer(help="Penilaian mandiri kepatuhan standar pelayanan publik (UU 25/2009), simulasi "
                           "metode Ombudsman RI — bukan hasil resmi Ombudsman.", no_args_is_help=True)
    app.add_typer(sub, name="kepatuhan")

    @sub.command("formulir", help="Buat formulir Excel (daftar periksa) penilaian mandiri untuk diisi per unit layanan.")
    @handle_errors
    def formulir(
        wilayah: str = typer.Option(..., "--wilayah", help="Kode atau nama wilayah, mis. 14.10."),
        tahun: int = typer.Option(..., "--tahun", help="Tahun penilaian, mis. 2024."),
        skema: str = typer.Option(cp.DEFAULT_SKEMA, "--skema",
                                  help=f"Skema penilaian: {', '.join(cp.skema_list())}."),
        unit: list[str] = typer.Option([], "--unit", help="Nama unit layanan (boleh berulang). Tanpa ini: "
                                                          f"{ce.BLANK_UNITS} kolom kosong untuk diisi namanya."),
        ke: Path = typer.Option(None, "--ke", help="Berkas tujuan .xlsx (bawaan: formulir_kepatuhan_<kode>_"
                                                   "<tahun>_<skema>.xlsx di folder ini)."),
        timpa: bool = typer.Option(False, "--timpa", help="Izinkan menimpa berkas yang sudah ada."),
    ) -> None:
        kode = regions.get(wilayah).kode_wilayah
        cp.instrument(skema)  # an unknown scheme fails before any file is written
        path = ke or Path(ce.form_filename(kode, tahun, skema))
        ce.write_formulir(path, kode, tahun, skema, units=unit, overwrite=timpa)
        console.print(f"[green]Selesai:[/] formulir ditulis ke {path}")

    @sub.command("nilai", help="Nilai formulir yang sudah diisi: tampilkan nilai, kategori dan zona per unit, "
                               "lalu simpan tabelnya sebagai CSV.")
    @handle_errors
    def nilai_cmd(
        berkas: list[Path] = typer.Argument(..., help="Satu atau lebih formulir .xlsx yang sudah diisi."),
        wilayah: str = typer.Option(None, "--wilayah", help="Pastikan semua formulir milik wilayah ini."),
        keluar: Path = typer.Option(Path("nilai_kepatuhan.csv"), "--keluar", help="Berkas CSV nilai per unit."),
        rencana: Path = typer.Option(None, "--rencana", help="Berkas CSV rencana perbaikan per unit (opsional)."),
        tandai: Path = typer.Option(None, "--tandai", help="Bila ada masalah: tulis salinan formulir yang sel "
                                                           "bermasalahnya diberi warna ke folder ini."),
        timpa: bool = typer.Option(False, "--timpa", help="Izinkan menimpa berkas CSV yang sudah ada."),
    ) -> None:
        kode = regions.get(wilayah).kode_wilayah if wilayah else None
        for out in (keluar, rencana):
            if out is not None and out.exists() and not timpa:
                raise SPMError(f"Berkas {out} sudah ada dan tidak akan ditimpa. Pilih nama lain atau pakai --timpa.")
        try:
            penilaian = ce.read_formulirs(berkas, kode_wilayah=kode)
        except SPMDataError as exc:
            if tandai:
                _mark(berkas, exc.problems, tandai)
            raise
        for p in penilaian.attrs.get("peringatan", []):
            err_console.print(f"[yellow]Peringatan:[/] {p.describe()}")
        skema = penilaian.attrs["skema"]
        units = cp.score_units(penilaian, skema)
        console.print(_units_table(units, f"Nilai kepatuhan per unit (skema {skema})"))
        for r in cp.region_scores(units).itertuples():
            console.print(f"{_text(r.nama_wilayah) if _text(r.nama_wilayah) != '–' else r.kode_wilayah}: rata-rata "
                          f"{cp.format_nilai(r.nilai_rata_rata)} ({_text(r.kategori)}, zona {_text(r.zona)}); "
                          f"{_text(r.unit_belum_lengkap)} unit belum lengkap.")
        write_table(units, keluar, overwrite=timpa)
        console.print(f"[green]Tersimpan:[/] {keluar}")
        if rencana:
            write_table(cp.rencana_perbaikan(penilaian, skema), rencana, overwrite=timpa)
            console.print(f"[green]Tersimpan:[/] {rencana}")

    @sub.command("skema", help="Tampilkan skema penilaian: rentang nilai, kategori, opini, zona, dan sumbernya.")
    @handle_errors
    def skema_cmd(skema: str = typer.Argument(cp.DEFAULT_SKEMA, help="Nama skema.")) -> None:
        inst = cp.instrument(skema)
        table = Table(title=f"Skema {skema}", caption=cp.LABEL_SIMULASI)
        for col in ("kategori", "rentang", "opini", "zona", "sumber"):
            table.add_column(col)
        for k in inst.kategori.sort_values("urutan").itertuples():
            upper = "100" if k.batas_atas >= 100 else f"<{k.batas_atas:g}"
            table.add_row(k.kategori, f"{k.batas_bawah:g} – {upper}", k.opini, k.zona, k.sumber)
        console.print(table)
        dims = ", ".join(f"{d.nama_dimensi} {fmt.angka(d.bobot, 2)}%" for d in inst.dimensi.itertuples())
        console.print(f"Dimensi: {dims}; {len(inst.codes)} indikator, nilai 0–{int(inst.indikator['nilai_maks'].max())}.")
