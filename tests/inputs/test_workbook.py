"""The generic openpyxl machinery: numbers, blocks, markers, uploads that are not workbooks, marked copies."""
from __future__ import annotations

import datetime as dt
import hashlib

import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st
from openpyxl import Workbook, load_workbook

from spm_helpers import fmt
from spm_helpers.errors import Problem, SPMDataError, SPMError
from spm_helpers.inputs import workbook

COLS = [workbook.Kolom("kode", "Kode"), workbook.Kolom("n", "Jumlah", "bulat", isian=True, petunjuk="isi angka"),
        workbook.Kolom("harga", "Harga (Rp)", "rupiah", isian=True), workbook.Kolom("rasio", "Rasio", "desimal", isian=True),
        workbook.Kolom("ket", "Keterangan", "teks", isian=True)]


def _sha(path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.mark.parametrize("text, jenis, expected", [
    ("1.234.567", "bulat", 1234567),          # dots group thousands
    ("12,5", "desimal", 12.5),                # comma marks decimals
    ("1.234,56", "desimal", 1234.56),
    ("Rp 150.000", "rupiah", 150000),
    ("Rp150.000,-", "rupiah", 150000),        # the ',-' of written rupiah amounts
    ("Rp. 1.000.000,00", "rupiah", 1000000),  # ,00 is still a whole number
    ("IDR 2.500", "rupiah", 2500),
    ("1 234 567", "bulat", 1234567),          # a space as thousands separator
    ("0", "bulat", 0),
    ("  42  ", "bulat", 42),
    (7, "bulat", 7),
    (12.0, "bulat", 12),
    (0.25, "desimal", 0.25),
    ("-5", "bulat", -5),                      # parsed; negativity is a schema rule, reported there
])
def test_parse_number_accepts_indonesian_writing(text, jenis, expected):
    value, alasan = workbook.parse_number(text, jenis)
    assert alasan is None
    assert value == expected


@pytest.mark.parametrize("value, jenis, reason", [
    ("12,5", "bulat", "bilangan bulat"),
    (12.5, "rupiah", "bilangan bulat"),
    ("12.5", "desimal", "format angka tidak jelas"),   # English decimal point: refused, not guessed
    ("1.23.456", "bulat", "bukan angka"),
    ("abc", "bulat", "bukan angka"),
    ("-", "bulat", "tanda '-' tidak jelas"),
    (True, "bulat", "benar/salah"),
    (dt.datetime(2025, 1, 2), "bulat", "berisi tanggal, bukan angka"),
    (dt.date(2025, 1, 2), "desimal", "berisi tanggal, bukan angka"),
    ("50%", "desimal", "bukan angka"),
])
def test_parse_number_refuses_with_indonesian_reason(value, jenis, reason):
    number, alasan = workbook.parse_number(value, jenis)
    assert number is pd.NA
    assert reason in alasan


@pytest.mark.parametrize("blank", [None, "", "   ", float("nan")])
def test_blank_is_missing_not_zero(blank):
    assert workbook.parse_number(blank, "bulat") == (pd.NA, None)


@given(st.integers(min_value=0, max_value=10**15))
def test_any_whole_number_written_the_indonesian_way_reads_back(n):
    assert workbook.parse_number(fmt.angka(n), "bulat") == (n, None)
    assert workbook.parse_number(fmt.rupiah(n), "rupiah") == (n, None)


@given(st.decimals(min_value=0, max_value=10**9, places=2, allow_nan=False, allow_infinity=False))
def test_decimals_with_comma_read_back(x):
    value, alasan = workbook.parse_number(fmt.angka(float(x), 2), "desimal")
    assert alasan is None and abs(value - float(x)) < 1e-6


def _sheet(tmp_path, rows, edit=None):
    wb = Workbook()
    ws = wb.active
    ws.title = "Data"
    workbook.write_title(ws, ["Judul", "Wilayah: contoh"])
    workbook.write_block(ws, COLS, rows, header_row=4)
    workbook.protect(ws)
    workbook.stamp_marker(wb, {"format": "uji", "versi": 3})
    if edit:
        edit(ws)
    path = tmp_path / "uji.xlsx"
    wb.save(path)
    return path


def test_written_block_locks_headers_unlocks_inputs_and_validates_numbers(tmp_path):
    path = _sheet(tmp_path, [["a", None, None, None, None], ["b", None, None, None, None]])
    ws = load_workbook(path)["Data"]
    assert ws.protection.sheet is True
    assert ws["A4"].value == "Kode" and ws["A4"].protection.locked and ws["B4"].protection.locked
    assert ws["A5"].protection.locked  # the key column is not an input
    assert not ws["B5"].protection.locked and not ws["E6"].protection.locked
    rules = {str(dv.sqref): dv for dv in ws.data_validations.dataValidation}
    assert rules["B5:B6"].type == "whole" and rules["B5:B6"].operator == "greaterThanOrEqual"
    assert rules["D5:D6"].type == "decimal"
    assert rules["B5:B6"].prompt == "isi angka"
    assert "kosongkan jika tidak ada data" in rules["B5:B6"].error


def test_marker_is_very_hidden_and_reads_back(tmp_path):
    wb = workbook.open_workbook(_sheet(tmp_path, []))
    assert wb[workbook.MARKER_SHEET].sheet_state == "veryHidden"
    assert workbook.read_marker(wb) == {"format": "uji", "versi": "3"}
    assert workbook.read_marker(Workbook()) is None


def test_read_block_types_values_and_keeps_provenance(tmp_path):
    path = _sheet(tmp_path, [["a", "1.234", "Rp 5.000", "0,5", "catatan"], [None, None, None, None, None],
                             ["b", 0, None, None, 2024]])
    wb = workbook.open_workbook(path)
    block = workbook.read_block(wb["Data"], COLS, header_row=4, berkas="uji.xlsx")
    f = block.frame
    assert block.problems == []
    assert f["_baris"].tolist() == [5, 7]  # the blank row 6 is skipped, row numbers are Excel's
    assert f["_berkas"].tolist() == ["uji.xlsx"] * 2 and f["_sheet"].tolist() == ["Data"] * 2
    assert f["n"].tolist() == [1234, 0] and str(f["n"].dtype) == "Int64"
    assert f["harga"].iloc[0] == 5000 and pd.isna(f["harga"].iloc[1])  # blank stays NA, 0 stays 0
    assert f["rasio"].iloc[0] == 0.5
    assert f["ket"].tolist() == ["catatan", "2024"]
    assert block.letters == {"kode": "A", "n": "B", "harga": "C", "rasio": "D", "ket": "E"}


def test_read_block_reports_every_bad_cell_with_location(tmp_path):
    def damage(ws):
        ws["B5"] = "=1+1"
        ws["C5"] = dt.datetime(2025, 1, 1)
        ws["D6"] = True
        ws["B7"] = "#N/A"
        ws.merge_cells("B8:C8")

    path = _sheet(tmp_path, [["a", 1, 1, 1, "x"], ["b", 2, 2, 2, "y"], ["c", 3, 3, 3, "z"], ["d", 4, 4, 4, "w"]],
                  damage)
    block = workbook.read_block(workbook.open_workbook(path)["Data"], COLS, header_row=4, berkas="uji.xlsx")
    got = {(p.baris, p.kolom): p.alasan for p in block.problems}
    assert "berisi rumus" in got[(5, "Jumlah")]
    assert got[(5, "Harga (Rp)")].startswith("berisi tanggal, bukan angka; ")
    assert "Format Cells" in got[(5, "Harga (Rp)")]  # a number typed into a date-formatted cell reads as a date
    assert "benar/salah" in got[(6, "Rasio")]
    assert "galat Excel #N/A" in got[(7, "Jumlah")]
    assert "B8:C8" in got[(8, "Jumlah")] and "B8:C8" in got[(8, "Harga (Rp)")]
    assert len(block.problems) == 6
    assert all(p.berkas == "uji.xlsx" and p.sheet == "Data" for p in block.problems)
    f = block.frame.set_index("_baris")
    assert pd.isna(f.at[5, "n"]) and f.at[6, "n"] == 2  # bad cells become NA, good cells in the row stay


def test_renamed_header_is_located_at_its_cell(tmp_path):
    path = _sheet(tmp_path, [["a", 1, 1, 1, "x"]], lambda ws: ws.cell(4, 2, "Jml"))
    block = workbook.read_block(workbook.open_workbook(path)["Data"], COLS, header_row=4, berkas="uji.xlsx")
    [p] = block.problems
    assert (p.baris, p.kolom, p.nilai) == (4, "Jumlah", "Jml")
    assert "tidak ditemukan" in p.alasan
    assert pd.isna(block.frame["n"].iloc[0])


def test_headers_are_found_where_they_moved(tmp_path):
    path = _sheet(tmp_path, [["a", 7, 8, 1, "x"]], lambda ws: ws.insert_cols(2))
    block = workbook.read_block(workbook.open_workbook(path)["Data"], COLS, header_row=4)
    assert block.problems == [] and block.frame["n"].iloc[0] == 7 and block.letters["n"] == "C"


def test_stray_cells_are_warnings_per_row(tmp_path):
    path = _sheet(tmp_path, [["a", 1, 1, 1, "x"]], lambda ws: (ws.cell(5, 9, "catatan"), ws.cell(12, 1, "x")))
    ws = workbook.open_workbook(path)["Data"]
    block = workbook.read_block(ws, COLS, header_row=4, last_row=5)
    used = block.used | {(1, 1), (2, 1)}
    found = workbook.stray_cells(ws, used, "uji.xlsx")
    assert [(p.baris, p.tingkat) for p in found] == [(5, "peringatan"), (12, "peringatan")]
    assert "I5" in found[0].alasan


@pytest.mark.parametrize("content, reason", [
    (b"", "berkas kosong"),
    (b"kode;jumlah\nA;1\n", "bukan berkas Excel"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 100, "format Excel lama (.xls)"),
    (b"PK\x03\x04" + b"\0" * 40, "rusak atau terpotong"),
])
def test_open_workbook_explains_what_the_upload_is(tmp_path, content, reason):
    path = tmp_path / "x.xlsx"
    path.write_bytes(content)
    with pytest.raises(SPMDataError) as err:
        workbook.open_workbook(path)
    [p] = err.value.problems
    assert reason in p.alasan and p.berkas == "x.xlsx" and p.sheet is None


def test_open_workbook_missing_file(tmp_path):
    with pytest.raises(SPMDataError, match="tidak ditemukan"):
        workbook.open_workbook(tmp_path / "tidak_ada.xlsx")


def test_highlight_copy_marks_cells_and_leaves_source_untouched(tmp_path):
    src = _sheet(tmp_path, [["a", 1, 1, 1, "x"], ["b", 2, 2, 2, "y"]])
    before = _sha(src)
    problems = [Problem("bukan angka", berkas="uji.xlsx", sheet="Data", baris=6, kolom="Harga (Rp)", nilai="x"),
                Problem("isian di luar", berkas="uji.xlsx", sheet="Data", baris=5, tingkat="peringatan"),
                Problem("sheet 'Lain' tidak ditemukan", berkas="uji.xlsx", sheet="Lain")]
    dst = workbook.highlight_copy(src, tmp_path / "bertanda.xlsx", problems)
    assert _sha(src) == before
    wb = load_workbook(dst)
    ws = wb["Data"]
    assert ws["C6"].fill.fgColor.rgb.endswith("FFC7CE") and "bukan angka" in ws["C6"].comment.text
    assert ws["A5"].fill.fgColor.rgb.endswith("FFEB9C")  # a warning without a column: its row's first cell
    listing = [[c.value for c in row] for row in wb[workbook.PROBLEM_SHEET].iter_rows(min_row=2)]
    assert len(listing) == 3 and listing[2][0] == "Lain"  # problems without a cell are still listed
    with pytest.raises(SPMError, match="tidak akan ditimpa"):
        workbook.highlight_copy(src, dst, problems)
