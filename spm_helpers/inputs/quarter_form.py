"""The quarterly e-SPM workbook (DECISIONS D9): its layout, writing it blank, reading it back.

A separate workbook per OPD, region, year and quarter (``formulir_triwulan_<kode>_<tahun>_TW<q>_<opd>.xlsx``),
not extra sheets in the annual OPD form. Why: budgets and problems are owned by the OPD that runs the jenis
(catalogue ``opd_pengampu``) and change every quarter, while the annual data form is filled once a year; the
four stages and the rencana aksi document are Bappeda's (secretariat of the Tim Penerapan SPM). So:

- an OPD's workbook has 'Petunjuk', 'Anggaran' (one prefilled row per jenis of that OPD × the funding sources
  typical of its bidang, blank alokasi/realisasi; blank rows below for more sources, with dropdowns) and
  'Permasalahan' (one prefilled row per jenis: permasalahan, solusi, status dropdown incl. 'tidak ada
  permasalahan'; blank rows below for a second problem);
- Bappeda's workbook (OPD ``bappeda``; Bappeda owns no jenis) has 'Petunjuk' and 'Tahapan': five prefilled
  rows (stages 1–4 and the rencana aksi), status dropdown, tanggal as a real date cell, nomor dokumen.

A hidden marker (format, version, region, year, quarter, OPD, jenis) recognises a returned form; a form for
another region, year or quarter, an edited marker (quarter 5, another OPD's jenis) or one that contradicts
the region/year/quarter printed on its sheets or in its file name is refused. Numbers are read the
Indonesian way (``1.250.000``, ``Rp 1.250.000``) by ``workbook.parse_number``; a date cell is read as a date
whatever Excel gives (a datetime, '31/03/2025', '2025-03-31', '31 Maret 2025'); blank is never 0. Every
problem is located (file, sheet, row, column) and a row with an error is left out of the tables *and*
reported, so nothing is dropped silently.
"""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Sequence

import pandas as pd
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill, Protection
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from spm_helpers import __version__, fmt
from spm_helpers.errors import SEVERITY_ERROR, SEVERITY_WARNING, Problem, SPMError
from spm_helpers.files import atomic_path
from spm_helpers.inputs import opd_form
from spm_helpers.inputs.workbook import (
    MARKER_SHEET,
    PROBLEM_SHEET,
    Kolom,
    open_marked,
    protect,
    read_block,
    stamp_marker,
    stray_cells,
    write_block,
    write_title,
)
from spm_helpers.reference import catalog, regions, schemas
from spm_helpers.reference import quarter as q

FORMAT = opd_form.QUARTER_FORMAT
VERSI = "1"
PETUNJUK = "Petunjuk"
ANGGARAN, PERMASALAHAN, TAHAPAN = "Anggaran", "Permasalahan", "Tahapan"
SHEET_OF = {"anggaran": ANGGARAN, "permasalahan": PERMASALAHAN, "tahapan": TAHAPAN}
HEADER_ROW = 6
EXTRA_ANGGARAN = 30  # blank rows below the prefilled ones, for more funding sources
EXTRA_MASALAH = 20  # … for a second or third problem of a jenis
TABLES = ("anggaran", "permasalahan", "tahapan")

BAPPEDA = "bappeda"
OPD = {**opd_form.OPD, BAPPEDA: "Bappeda"}  # short name → name printed on the form

# Funding sources prefilled per bidang (the officer may change them or add rows): APBD everywhere, plus the
# transfers that usually finance the bidang (BOS for schools, DAK and JKN capitation for health, DAK fisik
# for infrastructure). Only a starting point: every source of ``reference.quarter.kode_sumber_dana`` is allowed.
SUMBER_LAZIM = {
    "PDD": ("APBD", "BOS", "DAK fisik"),
    "KES": ("APBD", "DAK nonfisik", "JKN/kapitasi", "DAK fisik"),
    "PU": ("APBD", "DAK fisik"),
    "PRM": ("APBD",),
    "TRB": ("APBD",),
    "SOS": ("APBD",),
}

ANGGARAN_COLS = (
    Kolom("kode_jenis", "Kode jenis", lebar=14),
    Kolom("nama_jenis", "Jenis pelayanan dasar", lebar=40),
    Kolom("sumber_dana", "Sumber dana", lebar=16),
    Kolom("alokasi", "Alokasi tahun ini (Rp)", "rupiah", True, 22,
          "Pagu anggaran tahun berjalan untuk jenis ini dari sumber dana ini, sebagaimana diketahui pada triwulan "
          "ini (termasuk perubahan APBD bila sudah ada). Kosongkan bila belum ada data."),
    Kolom("realisasi", "Realisasi s.d. akhir triwulan (Rp)", "rupiah", True, 24,
          "Realisasi kumulatif sejak Januari sampai akhir triwulan ini. Isi 0 bila belum ada belanja; "
          "kosongkan bila belum ada data."),
    Kolom("keterangan", "Keterangan", "teks", True, 34, "Catatan singkat, mis. nama kegiatan atau sumber data."),
)
MASALAH_COLS = (
    Kolom("kode_jenis", "Kode jenis", lebar=14),
    Kolom("nama_jenis", "Jenis pelayanan dasar", lebar=36),
    Kolom("permasalahan", "Permasalahan", "teks", True, 48,
          "Permasalahan penerapan SPM untuk jenis ini pada triwulan ini."),
    Kolom("solusi", "Solusi / tindak lanjut", "teks", True, 48, "Langkah yang diambil atau direncanakan."),
    Kolom("status", "Status", lebar=24),
)
TAHAPAN_COLS = (
    Kolom("tahapan", "Kode tahapan", lebar=14),
    Kolom("nama_tahapan", "Tahapan", lebar=58),
    Kolom("status", "Status", lebar=18),
    Kolom("tanggal", "Tanggal (selesai/mulai)", lebar=20),
    Kolom("nomor_dokumen", "Nomor dokumen", "teks", True, 40,
          "Nomor/judul dokumen bukti, mis. nomor Perkada Rencana Aksi atau laporan tahapan."),
)
_READ = {
    "anggaran": tuple(c for c in ANGGARAN_COLS if c.key != "nama_jenis"),
    "permasalahan": tuple(c for c in MASALAH_COLS if c.key != "nama_jenis"),
    "tahapan": tuple(c for c in TAHAPAN_COLS if c.key != "nama_tahapan"),
}
_COLS = {"anggaran": ANGGARAN_COLS, "permasalahan": MASALAH_COLS, "tahapan": TAHAPAN_COLS}
JUDUL = {t: {c.key: c.judul for c in cols} for t, cols in _COLS.items()}
VALUE_COLUMNS = {"anggaran": ("alokasi", "realisasi", "keterangan"), "permasalahan": ("permasalahan", "solusi", "status"),
                 "tahapan": ("status", "tanggal", "nomor_dokumen")}

_INPUT_FILL = PatternFill("solid", fgColor="FFF9E5")  # the tint of workbook.write_block's isian cells
_DATE_FORMAT = "DD/MM/YYYY"
_EXCEL_2000 = 36526  # serial number of 2000-01-01: the date cells' validation floor


@dataclass
class QuarterFormData:
    """One quarterly workbook read back: tidy rows with provenance (``_berkas/_sheet/_baris``) and problems."""

    berkas: str
    path: Path | None = None
    meta: dict[str, str] = field(default_factory=dict)
    tables: dict[str, pd.DataFrame] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)

    @property
    def jenis(self) -> list[str]:
        return [c for c in self.meta.get("jenis", "").split(",") if c]

    @property
    def has_tahapan(self) -> bool:
        return self.meta.get("opd") == BAPPEDA


# --------------------------------------------------------------------------------------------- layout data
def opd_name(opd: str) -> str:
    """The short name of an OPD given as 'dinkes', 'Bappeda' or 'Dinas Kesehatan', or an Indonesian error."""
    text = re.sub(r"\s+", " ", str(opd or "")).strip().casefold()
    for short, full in OPD.items():
        if text in (short, full.casefold()):
            return short
    raise SPMError(f"OPD '{opd}' tidak dikenal. Pilihan: {', '.join(OPD)}")


def opd_for_region(kode_wilayah: str) -> list[str]:
    """The OPDs that get a quarterly workbook: those owning a jenis at the region's level, then Bappeda."""
    return [*opd_form.opd_for_region(kode_wilayah), BAPPEDA]


def jenis_of_opd(kode_wilayah: str, opd: str) -> pd.DataFrame:
    """Catalogue rows of the jenis an OPD owns in this region (none for Bappeda)."""
    opd = opd_name(opd)
    if opd == BAPPEDA:
        return catalog.jenis_for_region(kode_wilayah).iloc[0:0]
    return opd_form.jenis_of_opd(kode_wilayah, opd)


def form_filename(kode_wilayah: str, tahun: int, triwulan: int, opd: str) -> str:
    return f"formulir_triwulan_{kode_wilayah}_{int(tahun)}_TW{q.check_triwulan(triwulan)}_{opd_name(opd)}.xlsx"


def stamp_line(region: regions.Region, tahun: int, triwulan: int) -> str:
    """Row 2 of every sheet: what the officer sees, checked against the hidden marker on reading."""
    return (f"Wilayah: {region.nama} ({region.kode_wilayah})    Tahun: {int(tahun)}    "
            f"Triwulan: {q.ROMAWI[triwulan]} ({q.akhir_triwulan(tahun, triwulan):%d/%m/%Y})")


# --------------------------------------------------------------------------------------------- writing
def write_form(kode_wilayah: str, tahun: int, triwulan: int, opd: str, path: str | Path, *,
               overwrite: bool = False) -> Path:
    """Write one blank quarterly workbook (atomically; an existing file is kept unless ``overwrite``)."""
    region = regions.get(kode_wilayah)
    tahun, triwulan, opd = int(tahun), q.check_triwulan(triwulan), opd_name(opd)
    if not 2000 <= tahun <= 2100:
        raise SPMError(f"tahun harus antara 2000 dan 2100 (bukan {tahun})")
    jenis = jenis_of_opd(region.kode_wilayah, opd)
    wb = Workbook()
    _instructions(wb.active, region, tahun, triwulan, opd)
    if opd == BAPPEDA:
        _tahapan_sheet(wb.create_sheet(TAHAPAN), region, tahun, triwulan)
    else:
        _anggaran_sheet(wb.create_sheet(ANGGARAN), region, tahun, triwulan, opd, jenis)
        _masalah_sheet(wb.create_sheet(PERMASALAHAN), region, tahun, triwulan, opd, jenis)
    stamp_marker(wb, {"format": FORMAT, "versi": VERSI, "kode_wilayah": region.kode_wilayah, "tahun": tahun,
                      "triwulan": triwulan, "opd": opd, "jenis": ",".join(jenis["kode_jenis"]),
                      "dibuat_oleh": f"SPM Workbench {__version__}"})
    with atomic_path(path, overwrite=overwrite) as tmp:
        wb.save(tmp)
    return Path(path)


def write_forms(kode_wilayah: str, tahun: int, triwulan: int, folder: str | Path, opd: str | None = None, *,
                overwrite: bool = False) -> list[Path]:
    """One workbook per OPD of the region's level and one for Bappeda (or just ``opd``) into ``folder``."""
    region = regions.get(kode_wilayah)
    triwulan = q.check_triwulan(triwulan)
    names = [opd_name(opd)] if opd else opd_for_region(region.kode_wilayah)
    return [write_form(region.kode_wilayah, tahun, triwulan, o,
                       Path(folder) / form_filename(region.kode_wilayah, tahun, triwulan, o), overwrite=overwrite)
            for o in names]


def _instructions(ws: Worksheet, region: regions.Region, tahun: int, triwulan: int, opd: str) -> None:
    ws.title = PETUNJUK
    akhir = q.akhir_triwulan(tahun, triwulan)
    tenggat, status = q.tenggat(tahun, triwulan)
    batas = (f"Batas pelaporan e-SPM {q.nama_triwulan(triwulan)}: {tenggat:%d/%m/%Y}"
             + (" (perlu dikonfirmasi dengan Bangda)" if status != "terkonfirmasi" else "") if tenggat else
             "Batas pelaporan e-SPM: lihat pengumuman Ditjen Bina Pembangunan Daerah")
    lines = [
        f"Formulir Laporan Triwulan SPM — {OPD[opd]}",
        stamp_line(region, tahun, triwulan),
        f"{batas}.    Versi formulir: {VERSI}",
        "",
        "Mengapa formulir terpisah dari formulir data tahunan?",
        "Laporan triwulan e-SPM (Permendagri 59/2021 Pasal 24) memuat penganggaran, permasalahan dan solusi, "
        "pemenuhan empat tahapan, dan dokumen Rencana Aksi. Anggaran dan permasalahan menjadi tanggung jawab OPD "
        "pengampu jenis pelayanan dan berubah setiap triwulan, sedangkan formulir data tahunan (sasaran, "
        "terlayani, mutu) diisi sekali setahun. Tahapan penerapan SPM dan dokumen Rencana Aksi menjadi tanggung "
        "jawab Bappeda sebagai sekretariat Tim Penerapan SPM, sehingga hanya formulir Bappeda yang memuat sheet "
        "Tahapan.",
        "",
        "Cara mengisi:",
    ]
    if opd == BAPPEDA:
        lines += [
            "1. Sheet 'Tahapan' berisi lima baris: tahap 1–4 dan dokumen Rencana Aksi. Isi hanya sel berwarna "
            "kuning muda.",
            "2. Status: pilih 'belum dimulai', 'dalam proses' atau 'selesai' dari daftar.",
            f"3. Tanggal: tanggal selesai (atau tanggal mulai bila masih dalam proses), ditulis hh/bb/tttt, mis. "
            f"{akhir:%d/%m/%Y}. Tahapan 'selesai' wajib bertanggal. Tanggal sesudah {akhir:%d/%m/%Y} berarti "
            "tahapan itu belum selesai pada triwulan ini.",
            "4. Nomor dokumen: nomor atau judul dokumen buktinya (mis. Perkada Rencana Aksi, laporan tahapan).",
            "5. Status tahapan adalah keadaan terakhir: formulir triwulan berikutnya memperbarui isian ini.",
        ]
    else:
        lines += [
            "1. Sheet 'Anggaran': satu baris per jenis pelayanan dan sumber dana. Baris sudah diisi dengan sumber "
            "dana yang lazim; ganti sumber dananya dari daftar, atau pakai baris kosong di bawahnya untuk sumber "
            "dana lain (pilih kode jenis dan sumber dana dari daftar).",
            "2. Alokasi: pagu tahun berjalan seperti yang diketahui pada triwulan ini. Realisasi: jumlah kumulatif "
            f"sejak 1 Januari sampai {akhir:%d/%m/%Y}, tidak melebihi alokasi.",
            "3. Ketik rupiah tanpa rumus, titik sebagai pemisah ribuan: 1.250.000 atau Rp 1.250.000.",
            "4. Kosongkan sel bila datanya belum ada. Isi 0 hanya bila jumlahnya memang nol (kosong ≠ nol). Baris "
            "yang alokasi, realisasi dan keterangannya kosong dianggap belum diisi.",
            "5. Sheet 'Permasalahan': tulis permasalahan penerapan SPM per jenis, solusinya, dan statusnya. Bila "
            "tidak ada permasalahan, pilih status 'tidak ada permasalahan' (permasalahan dan solusi dikosongkan). "
            "Untuk permasalahan kedua pada jenis yang sama, pakai baris kosong di bawah dan pilih kode jenisnya.",
        ]
    lines += [
        "Jangan mengubah judul kolom atau nama sheet, jangan menggabungkan sel (merge), jangan menyisipkan baris di "
        "atas tabel.",
        "Kirim berkas ini apa adanya ke Bappeda. Jangan menyalin isinya ke berkas baru: penanda formulir tersimpan "
        "di dalam berkas ini.",
    ]
    write_title(ws, lines)
    ws.column_dimensions["A"].width = 100
    for row in ws.iter_rows(min_row=4):
        row[0].alignment = Alignment(wrap_text=True, vertical="top")
        text = str(row[0].value or "")
        if len(text) > 90:  # spreadsheets do not grow a row for wrapped text written by a script
            ws.row_dimensions[row[0].row].height = 15 * (len(text) // 90 + 1)
    _print_setup(ws)
    protect(ws)


def _print_setup(ws: Worksheet) -> None:
    """Landscape, one page wide: how an officer prints the form to fill it or to sign it off."""
    ws.page_setup.orientation = "landscape"
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.page_setup.fitToWidth, ws.page_setup.fitToHeight = 1, 0


def _sheet_title(ws: Worksheet, judul: str, region: regions.Region, tahun: int, triwulan: int, opd: str,
                 note: str) -> None:
    write_title(ws, [judul, stamp_line(region, tahun, triwulan), f"OPD: {OPD[opd]}"])
    ws.cell(HEADER_ROW - 1, 1, note).font = Font(italic=True)
    ws.freeze_panes = f"A{HEADER_ROW + 1}"
    _print_setup(ws)


def _dropdown(ws: Worksheet, column: int, first: int, last: int, choices: Sequence[str], prompt: str,
              unlock: bool = True) -> None:
    """A list validation (Excel refuses other values) on column rows first–last; the cells unlocked and tinted."""
    letter = get_column_letter(column)
    dv = DataValidation(type="list", formula1='"' + ",".join(choices) + '"', allow_blank=True, showErrorMessage=True,
                        errorTitle="Pilihan tidak dikenal", error="Pilih salah satu isian dari daftar.")
    dv.showInputMessage, dv.promptTitle, dv.prompt = True, "Pilih dari daftar", prompt[:255]
    dv.add(f"{letter}{first}:{letter}{last}")
    ws.add_data_validation(dv)
    if unlock:
        for r in range(first, last + 1):
            cell = ws.cell(r, column)
            cell.protection, cell.fill = Protection(locked=False), _INPUT_FILL


def _anggaran_sheet(ws: Worksheet, region, tahun: int, triwulan: int, opd: str, jenis: pd.DataFrame) -> None:
    _sheet_title(ws, f"Penganggaran SPM — {q.nama_triwulan(triwulan)} {tahun}", region, tahun, triwulan, opd,
                 "Alokasi = pagu tahun ini; realisasi = kumulatif s.d. akhir triwulan. Kosong ≠ 0.")
    rows = [[j.kode_jenis, j.nama, s, None, None, None] for j in jenis.itertuples(index=False)
            for s in SUMBER_LAZIM[j.kode_bidang]]
    rows += [[None] * len(ANGGARAN_COLS) for _ in range(EXTRA_ANGGARAN)]
    last = write_block(ws, ANGGARAN_COLS, rows, header_row=HEADER_ROW)
    prefilled = HEADER_ROW + len(rows) - EXTRA_ANGGARAN
    if EXTRA_ANGGARAN:
        _dropdown(ws, 1, prefilled + 1, last, jenis["kode_jenis"].tolist(), "Kode jenis pelayanan dasar OPD ini.")
    _dropdown(ws, 3, HEADER_ROW + 1, last, q.kode_sumber_dana(), "Sumber dana: " + ", ".join(q.kode_sumber_dana()))
    protect(ws)


def _masalah_sheet(ws: Worksheet, region, tahun: int, triwulan: int, opd: str, jenis: pd.DataFrame) -> None:
    _sheet_title(ws, f"Permasalahan dan Solusi SPM — {q.nama_triwulan(triwulan)} {tahun}", region, tahun, triwulan,
                 opd, "Tidak ada permasalahan? Pilih status 'tidak ada permasalahan'.")
    rows = [[j.kode_jenis, j.nama, None, None, None] for j in jenis.itertuples(index=False)]
    rows += [[None] * len(MASALAH_COLS) for _ in range(EXTRA_MASALAH)]
    last = write_block(ws, MASALAH_COLS, rows, header_row=HEADER_ROW)
    prefilled = HEADER_ROW + len(jenis)
    if EXTRA_MASALAH:
        _dropdown(ws, 1, prefilled + 1, last, jenis["kode_jenis"].tolist(), "Kode jenis pelayanan dasar OPD ini.")
    _dropdown(ws, 5, HEADER_ROW + 1, last, q.STATUS_MASALAH, "Status: " + ", ".join(q.STATUS_MASALAH))
    for r in range(HEADER_ROW + 1, last + 1):
        for c in (3, 4):
            ws.cell(r, c).alignment = Alignment(wrap_text=True, vertical="top")
    protect(ws)


def _tahapan_sheet(ws: Worksheet, region, tahun: int, triwulan: int) -> None:
    _sheet_title(ws, f"Pemenuhan Tahapan Penerapan SPM dan Rencana Aksi — {q.nama_triwulan(triwulan)} {tahun}",
                 region, tahun, triwulan, BAPPEDA, "Status terakhir tiap tahapan; tanggal ditulis hh/bb/tttt.")
    rows = [[code, q.NAMA_TAHAPAN[code], None, None, None] for code in q.TAHAPAN]
    last = write_block(ws, TAHAPAN_COLS, rows, header_row=HEADER_ROW)
    _dropdown(ws, 3, HEADER_ROW + 1, last, q.STATUS_TAHAPAN, "Status: " + ", ".join(q.STATUS_TAHAPAN))
    dv = DataValidation(type="date", operator="greaterThanOrEqual", formula1=str(_EXCEL_2000), allow_blank=True,
                        showErrorMessage=True, errorTitle="Tanggal tidak valid",
                        error="Ketik tanggal, mis. 31/03/2025; kosongkan bila belum ada.")
    dv.showInputMessage, dv.promptTitle = True, "Tanggal"
    dv.prompt = "Tanggal selesai (atau mulai bila masih dalam proses), mis. 31/03/2025."
    dv.add(f"D{HEADER_ROW + 1}:D{last}")
    ws.add_data_validation(dv)
    for r in range(HEADER_ROW + 1, last + 1):
        cell = ws.cell(r, 4)
        cell.number_format = _DATE_FORMAT
        cell.protection, cell.fill = Protection(locked=False), _INPUT_FILL
    protect(ws)


# --------------------------------------------------------------------------------------------- dates
_BULAN = {"januari": 1, "jan": 1, "februari": 2, "pebruari": 2, "feb": 2, "peb": 2, "maret": 3, "mar": 3,
          "april": 4, "apr": 4, "mei": 5, "juni": 6, "jun": 6, "juli": 7, "jul": 7, "agustus": 8, "agu": 8, "agt": 8,
          "ags": 8, "agus": 8, "september": 9, "sep": 9, "sept": 9, "oktober": 10, "okt": 10, "november": 11,
          "nov": 11, "nop": 11, "desember": 12, "des": 12}
_ISO = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})(?:[ T]00:00(?::00)?)?$")
_DMY = re.compile(r"^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})$")
_WORDS = re.compile(r"^(\d{1,2})\s+([a-z]+)\.?\s+(\d{4})$")
DATE_HINT = "tulis tanggal sebagai hh/bb/tttt, mis. 31/03/2025"


def parse_date(value: Any) -> tuple[str | None, str | None]:
    """(ISO date 'YYYY-MM-DD' or None, Indonesian reason or None). Blank is None without a reason.

    Accepts what a date cell may hold: a datetime/date, or text '31/03/2025', '31-03-2025', '2025-03-31',
    '31 Maret 2025'. Day-first, as written in Indonesia; '03/31/2025' is refused, never guessed. A bare
    number (a date cell formatted as General) is refused too: its meaning depends on the spreadsheet."""
    if value is None or value is pd.NA or (isinstance(value, float) and value != value):
        return None, None
    if isinstance(value, dt.datetime):
        value = value.date()
    if isinstance(value, dt.date):
        return _plausible(value)
    if isinstance(value, bool) or isinstance(value, (int, float)):
        return None, f"berisi angka, bukan tanggal; {DATE_HINT} (format sel: Tanggal)"
    text = re.sub(r"\s+", " ", str(value)).strip().casefold()
    if not text:
        return None, None
    try:
        if m := _ISO.match(text):
            return _plausible(dt.date(int(m[1]), int(m[2]), int(m[3])))
        if m := _DMY.match(text):
            return _plausible(dt.date(int(m[3]), int(m[2]), int(m[1])))
        if (m := _WORDS.match(text)) and m[2] in _BULAN:
            return _plausible(dt.date(int(m[3]), _BULAN[m[2]], int(m[1])))
    except ValueError:
        return None, f"tanggal tidak ada di kalender; {DATE_HINT}"
    if text.isdigit():
        return None, f"berisi angka, bukan tanggal; {DATE_HINT} (format sel: Tanggal)"
    return None, f"tanggal tidak terbaca; {DATE_HINT}"


def _plausible(day: dt.date) -> tuple[str | None, str | None]:
    if not 2000 <= day.year <= 2100:
        return None, f"tahun {day.year} pada tanggal tidak masuk akal; {DATE_HINT}"
    return day.isoformat(), None


# --------------------------------------------------------------------------------------------- reading
def check_marker(meta: dict[str, str] | None, berkas: str) -> list[Problem]:
    """Is this one of our quarterly forms, in a version this code reads, with a marker that makes sense?"""
    if meta is not None and meta.get("format") == opd_form.FORMAT:
        return [Problem("ini formulir data tahunan ('spm formulir'), bukan formulir triwulan; impor dengan "
                        "'spm impor', atau unduh formulir triwulan dengan 'spm formulir-triwulan'", berkas=berkas)]
    if meta is None or meta.get("format") != FORMAT:
        return [Problem("bukan formulir triwulan SPM Workbench (penanda formulir tidak ditemukan); unduh formulir "
                        "dengan 'spm formulir-triwulan' dan isi formulir itu, jangan menyalin ke berkas baru",
                        berkas=berkas)]
    if meta.get("versi") != VERSI:
        return [Problem(f"versi formulir {meta.get('versi')!r} tidak didukung (yang dibaca: versi {VERSI}); "
                        "unduh formulir baru dengan 'spm formulir-triwulan'", berkas=berkas, nilai=meta.get("versi"))]
    rusak = ("penanda formulir rusak ({}); formulir ini tidak dibaca. Unduh formulir baru dengan "
             "'spm formulir-triwulan'")
    try:
        region = regions.get(meta.get("kode_wilayah", ""))
        tahun = int(meta.get("tahun", ""))
        if not 2000 <= tahun <= 2100:
            raise ValueError
    except (SPMError, ValueError):
        return [Problem(rusak.format("kode wilayah atau tahun tidak terbaca"), berkas=berkas)]
    try:
        q.check_triwulan(meta.get("triwulan", ""))
    except SPMError:
        return [Problem(rusak.format(f"triwulan '{meta.get('triwulan')}' bukan 1, 2, 3 atau 4"), berkas=berkas,
                        nilai=meta.get("triwulan"))]
    try:
        opd = opd_name(meta.get("opd", ""))
        want = jenis_of_opd(region.kode_wilayah, opd)["kode_jenis"].tolist()
    except SPMError:
        return [Problem(rusak.format(f"OPD '{meta.get('opd')}' tidak dikenal untuk {region}"), berkas=berkas,
                        nilai=meta.get("opd"))]
    got = [c for c in meta.get("jenis", "").split(",") if c]
    if got != want or opd != meta.get("opd"):
        return [Problem(rusak.format(f"daftar jenis tidak sama dengan jenis yang diampu {OPD[opd]}"), berkas=berkas,
                        nilai=meta.get("jenis"))]
    return []


_TITLE_STAMP = re.compile(r"\((\d{2}(?:\.\d{2})?)\)\s+Tahun:\s*(\d{4})\s+Triwulan:\s*([IV]+)\b")
_NAME_STAMP = re.compile(r"^formulir_triwulan_(\d{2}(?:\.\d{2})?)_(\d{4})_TW(\d)_([a-z]+)(?:_\d+)?\.xlsx$",
                         re.IGNORECASE)
_ARAB = {v: k for k, v in q.ROMAWI.items()}


def marker_contradictions(wb: Workbook, meta: dict[str, str], berkas: str, filename: str) -> list[Problem]:
    """The hidden marker must agree with what the officer sees: the region, year and quarter printed on row 2
    of every sheet and, when the file still has the name it was given, its file name (also its OPD). An edited
    marker would otherwise file one quarter's budget under another."""
    want = (meta["kode_wilayah"], str(int(meta["tahun"])), str(int(meta["triwulan"])))
    seen: list[tuple[str, tuple[str, str, str]]] = []
    for ws in wb.worksheets:
        if ws.title in (MARKER_SHEET, PROBLEM_SHEET):
            continue
        m = _TITLE_STAMP.search(str(ws.cell(2, 1).value or ""))
        if m:
            seen.append((f"judul sheet '{ws.title}'", (m[1], m[2], str(_ARAB.get(m[3], m[3])))))
        elif ws.title in (PETUNJUK, ANGGARAN, PERMASALAHAN, TAHAPAN):
            seen.append((f"judul sheet '{ws.title}'", ("?", "?", "?")))
    problems = []
    m = _NAME_STAMP.match(filename)
    if m:
        seen.append(("nama berkas", (m[1], m[2], m[3])))
        if m[4].casefold() != meta["opd"]:
            problems.append(Problem(f"penanda formulir (tersembunyi) menyebut OPD '{meta['opd']}', tetapi nama "
                                    f"berkas menyebut '{m[4]}'; formulir ini tidak dibaca. Unduh formulir baru "
                                    "dengan 'spm formulir-triwulan'", berkas=berkas, nilai=meta["opd"]))
    wrong = [w for w in seen if w[1] != want]
    if wrong:
        where = "; ".join(f"{w} menyebut {k} tahun {t} triwulan {tw}" for w, (k, t, tw) in wrong[:3])
        problems.append(Problem(
            f"penanda formulir (tersembunyi) menyebut wilayah {want[0]} tahun {want[1]} triwulan {want[2]}, tetapi "
            f"{where}; formulir ini tidak dibaca agar angkanya tidak tercatat untuk wilayah/tahun/triwulan yang "
            "salah. Unduh formulir baru dengan 'spm formulir-triwulan'", berkas=berkas, nilai="/".join(want)))
    return problems


def read_form(path: str | Path, berkas: str | None = None) -> QuarterFormData:
    """Read a filled quarterly workbook into tidy rows. Never raises for bad content: problems are collected."""
    name = berkas or Path(path).name
    out = QuarterFormData(name, Path(path))
    wb, meta, out.problems = open_marked(path, berkas=name)
    out.problems = out.problems or check_marker(meta, name)
    if not out.problems:
        out.problems = marker_contradictions(wb, meta, name, Path(path).name)
    if out.problems:
        return out
    out.meta = meta
    region = regions.get(meta["kode_wilayah"])
    tahun, triwulan = int(meta["tahun"]), int(meta["triwulan"])
    jenis = jenis_of_opd(region.kode_wilayah, meta["opd"])
    sheets = [TAHAPAN] if out.has_tahapan else [ANGGARAN, PERMASALAHAN]
    for table in TABLES:
        sheet = SHEET_OF[table]
        if sheet not in sheets:
            continue
        if sheet not in wb.sheetnames:
            out.problems.append(Problem(f"sheet '{sheet}' tidak ditemukan (dihapus atau diganti nama?)",
                                        berkas=name, sheet=sheet))
            continue
        reader = {"anggaran": _read_anggaran, "permasalahan": _read_masalah, "tahapan": _read_tahapan}[table]
        df, found = reader(wb[sheet], jenis, name, tahun, triwulan)
        df = add_keys(df, table, region.kode_wilayah, tahun, triwulan)
        checked, more = validate_rows(df, table, name)
        out.problems += found + more
        out.tables[table] = drop_error_rows(checked, found + more)
    known = set(sheets) | {PETUNJUK, MARKER_SHEET, PROBLEM_SHEET}
    out.problems += [Problem(f"sheet tambahan '{s}' diabaikan", berkas=name, sheet=s, tingkat=SEVERITY_WARNING)
                     for s in wb.sheetnames if s not in known]
    return out


def add_keys(df: pd.DataFrame, table: str, kode_wilayah: str, tahun: int, triwulan: int) -> pd.DataFrame:
    """The region/year (and, but for ``tahapan``, quarter) columns of the form in front of its rows."""
    df = df.copy()
    df.insert(0, "kode_wilayah", kode_wilayah)
    df.insert(1, "tahun", int(tahun))
    if table != "tahapan":
        df.insert(2, "triwulan", int(triwulan))
    return df


def _block(ws: Worksheet, table: str, berkas: str):
    block = read_block(ws, _READ[table], header_row=HEADER_ROW, berkas=berkas)
    return block, [Problem(p.alasan, berkas=p.berkas, sheet=p.sheet, baris=p.baris, kolom=p.kolom, nilai=p.nilai,
                           tingkat=p.tingkat) for p in block.problems]


def _used(block, ncols: int, layout_rows: Sequence[int]) -> set[tuple[int, int]]:
    """Cells that belong to the form: titles, header, every column of rows it wrote or read."""
    used = set(block.used) | {(r, 1) for r in (1, 2, 3, HEADER_ROW - 1)}
    rows = [HEADER_ROW, *layout_rows, *[int(r) for r in block.frame["_baris"]]]
    return used | {(r, c) for r in rows for c in range(1, ncols + 1)}


def _values_given(df: pd.DataFrame, cols: Sequence[str]) -> pd.Series:
    return df[list(cols)].notna().any(axis=1).astype(bool) if len(df) else pd.Series(dtype=bool)


def _read_anggaran(ws: Worksheet, jenis: pd.DataFrame, berkas: str, tahun: int, triwulan: int):
    block, problems = _block(ws, "anggaran", berkas)
    df = block.frame
    template = {HEADER_ROW + i + 1: (j, s) for i, (j, s) in enumerate(
        (j.kode_jenis, s) for j in jenis.itertuples(index=False) for s in SUMBER_LAZIM[j.kode_bidang])}
    bad = df["_baris"].astype(int).isin({p.baris for p in problems if p.tingkat == SEVERITY_ERROR}).astype(bool)
    given = _values_given(df, ("alokasi", "realisasi", "keterangan")) | bad  # a bad cell is kept, to be reported
    for r in df[~given].to_dict("records"):  # neither amount nor note: not filled, unless touched
        if template.get(int(r["_baris"])) != (r["kode_jenis"], r["sumber_dana"]):
            problems.append(Problem("baris ini hanya berisi kode jenis/sumber dana tanpa alokasi, realisasi atau "
                                    "keterangan; diabaikan (isi angkanya bila ada)", berkas=berkas, sheet=ws.title,
                                    baris=int(r["_baris"]), kolom=JUDUL["anggaran"]["alokasi"], tingkat=SEVERITY_WARNING))
    df = df[given].reset_index(drop=True)
    problems += _foreign_jenis(df, jenis, berkas, ws.title, "anggaran")
    first = {}
    for row, (code, _) in template.items():
        first.setdefault(code, row)
    problems += [Problem(f"anggaran {code} belum diisi (semua baris jenis ini kosong)", berkas=berkas, sheet=ws.title,
                         baris=first.get(code), kolom=JUDUL["anggaran"]["alokasi"], nilai=code,
                         tingkat=SEVERITY_WARNING)
                 for code in jenis["kode_jenis"] if code not in set(df["kode_jenis"].dropna())]
    problems += stray_cells(ws, _used(block, len(ANGGARAN_COLS), list(template)) | _extra_cells(
        template, EXTRA_ANGGARAN, ANGGARAN_COLS, skip=(2,)), berkas)
    return df, problems


def _extra_cells(template: dict, n: int, cols, skip: Sequence[int]) -> set[tuple[int, int]]:
    """Cells of the blank rows below the prefilled ones that the officer may fill (all but ``skip`` columns)."""
    first = HEADER_ROW + len(template) + 1
    return {(r, c) for r in range(first, first + n) for c in range(1, len(cols) + 1) if c not in skip}


def _read_masalah(ws: Worksheet, jenis: pd.DataFrame, berkas: str, tahun: int, triwulan: int):
    block, problems = _block(ws, "permasalahan", berkas)
    df = block.frame
    template = {HEADER_ROW + i + 1: j for i, j in enumerate(jenis["kode_jenis"])}
    given = _values_given(df, ("permasalahan", "solusi", "status"))
    for r in df[~given].to_dict("records"):
        if template.get(int(r["_baris"])) != r["kode_jenis"]:
            problems.append(Problem("baris ini hanya berisi kode jenis tanpa permasalahan, solusi atau status; "
                                    "diabaikan", berkas=berkas, sheet=ws.title, baris=int(r["_baris"]),
                                    kolom=JUDUL["permasalahan"]["permasalahan"], tingkat=SEVERITY_WARNING))
    df = df[given].reset_index(drop=True)
    problems += _foreign_jenis(df, jenis, berkas, ws.title, "permasalahan")
    present = set(df["kode_jenis"].dropna())
    problems += [Problem(f"permasalahan {code} belum diisi: tulis permasalahannya, atau pilih status "
                         f"'{q.TANPA_MASALAH}'", berkas=berkas, sheet=ws.title, baris=row,
                         kolom=JUDUL["permasalahan"]["status"], nilai=code, tingkat=SEVERITY_WARNING)
                 for row, code in template.items() if code not in present]
    problems += none_and_problem(df, berkas)
    problems += stray_cells(ws, _used(block, len(MASALAH_COLS), list(template)) | _extra_cells(
        template, EXTRA_MASALAH, MASALAH_COLS, skip=(2,)), berkas)
    return df, problems


def none_and_problem(df: pd.DataFrame, berkas: str | None = None) -> list[Problem]:
    """A warning for each 'tidak ada permasalahan' row of a jenis and quarter that also lists a problem."""
    if df.empty or "status" not in df:
        return []
    none = df[df["status"] == q.TANPA_MASALAH]
    some = df[(df["status"] != q.TANPA_MASALAH) & df["permasalahan"].notna()]
    keys = [c for c in ("kode_wilayah", "tahun", "triwulan", "kode_jenis") if c in df.columns]
    hit = none.merge(some[keys].drop_duplicates(), on=keys, how="inner") if len(none) and len(some) else none.iloc[0:0]
    return [Problem(f"{r['kode_jenis']} berstatus '{q.TANPA_MASALAH}' tetapi juga punya permasalahan di baris lain; "
                    "hapus salah satunya", berkas=r.get("_berkas") or berkas, sheet=r.get("_sheet"),
                    baris=None if pd.isna(r.get("_baris")) else int(r["_baris"]), kolom=JUDUL["permasalahan"]["status"],
                    nilai=q.TANPA_MASALAH, tingkat=SEVERITY_WARNING) for r in hit.to_dict("records")]


def _foreign_jenis(df: pd.DataFrame, jenis: pd.DataFrame, berkas: str, sheet: str, table: str) -> list[Problem]:
    """A row for a jenis this OPD does not own would replace another OPD's rows: refused, located."""
    own = list(jenis["kode_jenis"])
    bad = df[df["kode_jenis"].notna() & ~df["kode_jenis"].isin(own)]
    return [Problem(f"jenis {v} bukan jenis yang diampu OPD formulir ini ({', '.join(own)}); isi di formulir OPD "
                    "pengampunya", berkas=berkas, sheet=sheet, baris=int(r), kolom=JUDUL[table]["kode_jenis"], nilai=v)
            for r, v in zip(bad["_baris"], bad["kode_jenis"])]


def _read_tahapan(ws: Worksheet, jenis: pd.DataFrame, berkas: str, tahun: int, triwulan: int):
    block, problems = _block(ws, "tahapan", berkas)
    df = block.frame
    judul = JUDUL["tahapan"]
    tanggal = []  # read_block gives a datetime cell as ISO text and typed text as typed: both parsed here
    for r, v in zip(df["_baris"], df["tanggal"]):
        iso, alasan = parse_date(v)
        if alasan:
            problems.append(Problem(alasan, berkas=berkas, sheet=ws.title, baris=int(r), kolom=judul["tanggal"],
                                    nilai=v))
        tanggal.append(iso)
    df = df.assign(tanggal=pd.Series(tanggal, index=df.index, dtype=object))
    given = _values_given(df, ("status", "tanggal", "nomor_dokumen")) | df["_baris"].isin(
        {p.baris for p in problems if p.tingkat == SEVERITY_ERROR})
    template = {HEADER_ROW + i + 1: code for i, code in enumerate(q.TAHAPAN)}
    found = dict(zip(df["tahapan"], df["_baris"]))
    for row, code in template.items():
        if code not in found:
            problems.append(Problem(f"baris tahapan '{code}' tidak ditemukan (dihapus atau kodenya diubah?)",
                                    berkas=berkas, sheet=ws.title, baris=row, kolom=judul["tahapan"], nilai=code))
    problems += [Problem(f"{q.NAMA_TAHAPAN[c]} belum diisi", berkas=berkas, sheet=ws.title, baris=int(r),
                         kolom=judul["status"], tingkat=SEVERITY_WARNING)
                 for c, r, g in zip(df["tahapan"], df["_baris"], given) if not g and c in q.NAMA_TAHAPAN]
    df = df[given].reset_index(drop=True)
    akhir = q.akhir_triwulan(tahun, triwulan)
    for r in df.to_dict("records"):
        if r["tanggal"] and dt.date.fromisoformat(r["tanggal"]) > akhir:
            problems.append(Problem(f"tanggal sesudah akhir {q.nama_triwulan(triwulan)} ({akhir:%d/%m/%Y}): di "
                                    "laporan triwulan ini tahapan itu dihitung belum selesai", berkas=berkas,
                                    sheet=ws.title, baris=int(r["_baris"]), kolom=judul["tanggal"],
                                    nilai=fmt_date(r["tanggal"]), tingkat=SEVERITY_WARNING))
    problems += stray_cells(ws, _used(block, len(TAHAPAN_COLS), list(template)), berkas)
    return df, problems


def fmt_date(iso: str | None) -> str:
    """'2025-03-31' → '31/03/2025' (how the forms and the widget show a date)."""
    return "" if not iso else dt.date.fromisoformat(iso).strftime("%d/%m/%Y")


def validate_rows(df: pd.DataFrame, table: str, berkas: str | None) -> tuple[pd.DataFrame, list[Problem]]:
    """Schema checks (negative money, unknown sumber dana, problem without jenis, realisasi > alokasi as a
    warning …) with the column headers the officer sees. Shared by the form reader and the notebook widget."""
    checked, found = schemas.validate(df, table, berkas=berkas, raise_errors=False)
    judul = JUDUL[table]
    found = [Problem(p.alasan, berkas=p.berkas, sheet=p.sheet, baris=p.baris, kolom=judul.get(p.kolom, p.kolom),
                     nilai=_shown(p, table), tingkat=p.tingkat) for p in found]
    return checked, found


def _shown(p: Problem, table: str) -> Any:
    if table == "anggaran" and p.kolom in ("alokasi", "realisasi") and isinstance(p.nilai, (int, float)):
        return fmt.rupiah(p.nilai)
    return p.nilai


def drop_error_rows(df: pd.DataFrame, problems: Sequence[Problem]) -> pd.DataFrame:
    """``df`` without the rows an error points at (reported, so never lost silently); a sheet-wide error (no
    row, or the header row) makes the whole sheet unusable."""
    if df.empty:
        return df.reset_index(drop=True)
    errors = [p for p in problems if p.tingkat == SEVERITY_ERROR]
    whole = {p.sheet for p in errors if p.baris is None or p.baris == HEADER_ROW}
    bad = {(p.sheet, p.baris) for p in errors}
    keep = [(s not in whole) and ((s, int(b)) not in bad) for s, b in zip(df["_sheet"], df["_baris"])]
    return df[pd.Series(keep, index=df.index, dtype=bool)].reset_index(drop=True)
