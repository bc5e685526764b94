"""Issue 18: hypothesis mutates a filled compliance self-assessment workbook the way careless and hostile
users do: value cells replaced by wrong kinds of values (text, dates, 19+ digit numbers, NIK-like numbers,
decimals, blanks, formulas, names), unit names replaced (hostile text, blank, a repeat), unit columns and
indicator rows moved, the sheet renamed, a sheet added. Every run ends in the exact assessment or a located
Indonesian error (file, sheet, row, column); never a traceback, never a silent change, no NIK or name echoed."""
from __future__ import annotations

import datetime as dt

import openpyxl
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from spm_helpers.compliance import assessments as cd
from spm_helpers.compliance import scoring as cp
from spm_helpers.compliance import workbook as ce
from spm_helpers.errors import SPMDataError
from spm_helpers.inputs.workbook import parse_number

S22, KODE = "ombudsman_2022_2024", "14.10"
UNITS = ["RSUD", "Dinas Sosial", "UPT Puskesmas"]
FIRST = ce.HEADER_ROW + 1
VALUES = [None, "", "2", " 3 ", 2.0, 2.5, 4, -1, "dua", "12.5", 10 ** 19, 3275014101900001, "3275014101900001",
          dt.datetime(2025, 1, 1), True, "=1+1", "Siti Aminah", "#N/A", "'3", 0]
UNIT_NAMES = ["<img src=x onerror=alert(1)>", "=HYPERLINK(\"http://x\",\"klik\")", "", None, "RSUD",
              "Puskesmas  Kecamatan   Siak"]
SECRETS = ["3275014101900001", "Siti Aminah"]


@pytest.fixture(scope="module")
def form(tmp_path_factory):
    demo = cd.generate_contoh(KODE, S22)
    demo = demo[demo["unit"].isin(UNITS)].reset_index(drop=True)
    path = ce.write_formulir(tmp_path_factory.mktemp("kepatuhan") / "f.xlsx", KODE, 2024, S22, penilaian=demo)
    return path, demo


def _expected_cell(value, maks: int):
    """(value, error?) for a typed cell, by the documented rules: formulas refused, numbers read the
    Indonesian way (parse_number), whole numbers 0..maks, blank = not yet assessed."""
    if isinstance(value, str) and value.startswith("=") or value == "#N/A":
        return pd.NA, True
    number, reason = parse_number(value, "bulat")
    if reason:
        return pd.NA, True
    if number is pd.NA:
        return pd.NA, False
    return number, not 0 <= number <= maks


edits = st.lists(st.tuples(st.integers(0, len(UNITS) - 1), st.integers(0, 35), st.sampled_from(VALUES)),
                 max_size=3)


@settings(max_examples=40, deadline=None, derandomize=True,  # the same cases in every CI run
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(edit=edits, unit_edit=st.none() | st.tuples(st.integers(0, len(UNITS) - 1), st.sampled_from(UNIT_NAMES)),
       swap_units=st.booleans(), swap_rows=st.none() | st.tuples(st.integers(0, 35), st.integers(0, 35)),
       sheet=st.sampled_from([None, "rename", "add"]))
def test_mutated_checklist_gives_exact_data_or_a_located_error(form, tmp_path_factory, edit, unit_edit,
                                                               swap_units, swap_rows, sheet):
    src, demo = form
    inst = cp.instrument(S22)
    maks = dict(zip(inst.indikator["kode_indikator"], inst.indikator["nilai_maks"].astype(int)))
    wb = openpyxl.load_workbook(src)
    ws = wb[ce.SHEET]
    cols = {u: ce.FIRST_UNIT_COL + i for i, u in enumerate(UNITS)}
    want = {(r.unit, r.kode_indikator): r.nilai for r in demo.itertuples()}
    expect_errors: set[tuple[int, str]] = set()  # (row, column as the problem names it)
    names = dict(zip(UNITS, UNITS))
    for u, i, value in edit:
        code = inst.codes[i]
        ws.cell(FIRST + i, cols[UNITS[u]]).value = value
        want[(UNITS[u], code)], bad = _expected_cell(value, maks[code])
        expect_errors.discard((FIRST + i, UNITS[u]))  # the cell typed again: only the last value counts
        if bad:
            expect_errors.add((FIRST + i, UNITS[u]))
    if unit_edit:
        u, name = unit_edit
        ws.cell(ce.HEADER_ROW, cols[UNITS[u]]).value = name
        names[UNITS[u]] = name
    if swap_units:  # the first two unit columns trade places, values and all
        a, b = cols[UNITS[0]], cols[UNITS[1]]
        for r in range(ce.HEADER_ROW, FIRST + len(inst.codes)):
            ws.cell(r, a).value, ws.cell(r, b).value = ws.cell(r, b).value, ws.cell(r, a).value
    moved = bool(swap_rows) and swap_rows[0] != swap_rows[1]
    if moved:  # two indicator rows trade places, code and all: the row order is the instrument's
        a, b = (FIRST + i for i in swap_rows)
        for c in range(1, ws.max_column + 1):
            ws.cell(a, c).value, ws.cell(b, c).value = ws.cell(b, c).value, ws.cell(a, c).value
        expect_errors = {({a: b, b: a}.get(r, r), u) for r, u in expect_errors}  # a bad cell moved with its row
    if sheet == "rename":
        ws.title = "Lembar1"
    elif sheet == "add":
        wb.create_sheet("Catatan")["A1"] = "Siti Aminah 3275014101900001"
    path = tmp_path_factory.mktemp("fuzz") / "formulir_kepatuhan.xlsx"
    wb.save(path)

    shown = {u: " ".join(str(n).split()) if n is not None else "" for u, n in names.items()}
    blank_unit = any(v == "" for v in shown.values())
    repeated = len({v.casefold() for v in shown.values() if v}) < sum(1 for v in shown.values() if v)
    try:
        got = ce.read_formulirs([path], kode_wilayah=KODE)
    except SPMDataError as exc:
        problems = exc.problems
        assert problems and all(p.berkas == path.name and p.alasan for p in problems), problems
        assert all(p.sheet and (p.baris is not None or "tidak ditemukan" in p.alasan) for p in problems), problems
        texts = [str(exc), exc._repr_html_()]
        if sheet == "rename":
            assert [p.sheet for p in problems] == [ce.SHEET]
            assert problems[0].alasan.startswith(f"sheet '{ce.SHEET}' tidak ditemukan")
        else:
            assert expect_errors or moved or blank_unit or repeated, problems  # refused only for a reason
            at = {(p.baris, p.kolom) for p in problems}
            missing = {(r, u) for r, u in expect_errors if (r, shown[u]) not in at}
            if moved and not swap_units:
                assert {FIRST + i for i in swap_rows} <= {p.baris for p in problems}
            if not swap_units and not blank_unit and not repeated:
                assert not missing, (missing, problems)  # every bad cell named where it is
    else:
        assert sheet != "rename" and not expect_errors and not moved and not blank_unit and not repeated
        exp = pd.DataFrame([{"kode_wilayah": KODE, "unit": shown[u], "kode_indikator": c, "nilai": v}
                            for (u, c), v in want.items()])
        key = ["unit", "kode_indikator"]
        pd.testing.assert_frame_equal(
            got[exp.columns].sort_values(key).reset_index(drop=True).astype({"nilai": "Int64"}),
            exp.sort_values(key).reset_index(drop=True).astype({"nilai": "Int64"}), check_dtype=False)
        texts = [repr(got.attrs.get("peringatan"))]
    for text in texts:
        for secret in SECRETS:
            assert secret not in text, (secret, text[:300])
