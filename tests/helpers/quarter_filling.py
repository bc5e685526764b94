"""Write blank quarterly forms and fill them with openpyxl the way an officer does in Excel.

Layout facts used by the tests (``quarter_form``): the header is row 6, data starts on row 7; Anggaran columns
A kode jenis, B nama, C sumber dana, D alokasi, E realisasi, F keterangan; Permasalahan A kode jenis, B nama,
C permasalahan, D solusi, E status; Tahapan A kode, B nama, C status, D tanggal, E nomor dokumen, rows 7–11 =
stages 1, 2, 3, 4, rencana_aksi. For Kota Bekasi (32.75), disdik owns PDD-KK-01..03 (prefilled with APBD, BOS,
DAK fisik: Anggaran rows 7–15, blank rows from 16; Permasalahan rows 7–9, blank rows from 10) and damkar owns
TRB-KK-05 (APBD only: Anggaran row 7, blank rows from 8; Permasalahan row 7).
"""
from __future__ import annotations

from pathlib import Path

from openpyxl import load_workbook

from spm_helpers.inputs import quarter_form

KAB, TAHUN = "32.75", 2025


def blank(folder: Path, opd: str, triwulan: int = 2, kode: str = KAB, tahun: int = TAHUN) -> Path:
    path = Path(folder) / quarter_form.form_filename(kode, tahun, triwulan, opd)
    if not path.exists():
        quarter_form.write_form(kode, tahun, triwulan, opd, path)
    return path


def fill(src: Path, dst: Path, cells: dict[str, dict[str, object]], marker: dict[str, str] | None = None) -> Path:
    """A copy of ``src`` with ``cells`` ({sheet: {'D7': value}}) typed in; ``marker`` edits the hidden marker."""
    wb = load_workbook(src)
    for sheet, values in cells.items():
        for coord, value in values.items():
            wb[sheet][coord] = value
    if marker:
        ws = wb["_spm"]
        for row in ws.iter_rows():
            if row[0].value in marker:
                row[1].value = marker[row[0].value]
    Path(dst).parent.mkdir(parents=True, exist_ok=True)
    wb.save(dst)
    return Path(dst)


def filled(folder: Path, opd: str, cells: dict[str, dict[str, object]], triwulan: int = 2, name: str | None = None,
           **kw) -> Path:
    """Fill a fresh blank of ``opd`` and save it under the name the form was given (or ``name``)."""
    src = blank(Path(folder) / "_kosong", opd, triwulan, **kw)
    return fill(src, Path(folder) / (name or src.name), cells)
