"""The compliance checklist workbook (round trip, located Indonesian errors) and ``spm kepatuhan``."""
from __future__ import annotations

import openpyxl
import pandas as pd
import pytest
import typer
from typer.testing import CliRunner

from spm_helpers.cli import compliance as cmd
from spm_helpers.compliance import assessments as cd
from spm_helpers.compliance import scoring as cp
from spm_helpers.compliance import workbook as ce
from spm_helpers.errors import SPMDataError, SPMError

S22 = "ombudsman_2022_2024"
S21 = "ombudsman_2021"
FIRST_VALUE_ROW = ce.HEADER_ROW + 1
G = ce.FIRST_UNIT_COL  # column G: first unit


@pytest.fixture
def demo():
    return cd.generate_contoh("14.10", S22)


@pytest.fixture
def blank(tmp_path):
    return ce.write_formulir(tmp_path / "kosong.xlsx", "14.10", 2024, S22, units=["RSUD", "Dinas Sosial"])


def edit(src, dst, **cells):
    """Copy a workbook, setting cells like ``G8=4`` on sheet Penilaian, as an officer would."""
    wb = openpyxl.load_workbook(src)
    for coord, value in cells.items():
        wb[ce.SHEET][coord] = value
    wb.save(dst)
    return dst


def located(exc: SPMDataError):
    return {(p.berkas, p.sheet, p.baris, p.kolom, p.alasan) for p in exc.problems}


# --- writing and round trip ----------------------------------------------------------------------------

def test_prefilled_checklist_round_trips_exactly(tmp_path, demo):
    path = ce.write_formulir(tmp_path / "f.xlsx", "14.10", 2024, S22, penilaian=demo)
    back = ce.read_formulirs([path], kode_wilayah="14.10")
    pd.testing.assert_frame_equal(back, demo, check_dtype=False)
    assert back.attrs["skema"] == S22 and back.attrs["peringatan"] == []


def test_blank_checklist_filled_like_an_officer_round_trips(tmp_path, blank, demo):
    rsud = demo[demo["unit"] == "RSUD"].reset_index(drop=True)
    wb = openpyxl.load_workbook(blank)
    ws = wb[ce.SHEET]
    for i, value in enumerate(rsud["nilai"]):
        ws.cell(FIRST_VALUE_ROW + i, G, int(value))
        ws.cell(FIRST_VALUE_ROW + i, G + 1, str(int(value)))  # typed as text: still a number
    wb.save(tmp_path / "isi.xlsx")
    back = ce.read_formulirs([tmp_path / "isi.xlsx"])
    assert back["unit"].unique().tolist() == ["RSUD", "Dinas Sosial"]
    for unit in ("RSUD", "Dinas Sosial"):
        assert back[back["unit"] == unit]["nilai"].tolist() == rsud["nilai"].tolist()
    assert back[back["unit"] == "RSUD"]["kode_indikator"].tolist() == cp.instrument(S22).codes


def test_blank_cells_stay_blank_and_leave_the_unit_unscored(tmp_path, blank):
    path = edit(blank, tmp_path / "sebagian.xlsx", G8=3, G9=2)
    back = ce.read_formulirs([path])
    assert back["nilai"].notna().sum() == 2
    units = cp.score_units(back, S22)
    assert units["nilai"].isna().all() and units.set_index("unit").at["RSUD", "indikator_kosong"] == 34


def test_form_layout_marker_protection_and_dropdowns(blank):
    wb = openpyxl.load_workbook(blank)
    ws = wb[ce.SHEET]
    assert wb.sheetnames[:2] == [ce.SHEET, ce.PETUNJUK]
    assert wb["_spm"].sheet_state == "veryHidden"
    meta = {r[0]: r[1] for r in wb["_spm"].iter_rows(values_only=True)}
    assert (meta["format"], meta["kode_wilayah"], meta["tahun"], meta["skema"]) == ("spm-kepatuhan", "14.10",
                                                                                  "2024", S22)
    assert ws.protection.sheet
    assert ws.cell(ce.HEADER_ROW, G).value == "RSUD" and not ws.cell(ce.HEADER_ROW, G).protection.locked
    assert ws.cell(FIRST_VALUE_ROW, 1).protection.locked and not ws.cell(FIRST_VALUE_ROW, G).protection.locked
    lists = [dv for dv in ws.data_validations.dataValidation if dv.type == "list"]
    assert [dv.formula1 for dv in lists] == ['"0,1,2,3"'] and "G8" in str(lists[0].sqref)
    assert cp.LABEL_SIMULASI in [c.value for c in ws["A"][:5]]
    assert any(cp.LABEL_SIMULASI == c.value for c in wb[ce.PETUNJUK]["A"])


def test_2021_form_offers_zero_or_one(tmp_path):
    path = ce.write_formulir(tmp_path / "f21.xlsx", "14.10", 2021, S21)
    ws = openpyxl.load_workbook(path)[ce.SHEET]
    assert [dv.formula1 for dv in ws.data_validations.dataValidation if dv.type == "list"] == ['"0,1"']
    assert ws.cell(ce.HEADER_ROW, G + ce.BLANK_UNITS - 1).protection.locked is False  # 12 blank unit columns


def test_an_existing_file_is_never_overwritten(blank):
    before = blank.read_bytes()
    with pytest.raises(SPMError, match="tidak akan ditimpa"):
        ce.write_formulir(blank, "14.10", 2024, S22)
    assert blank.read_bytes() == before


# --- bad checklists: located Indonesian errors, all at once -----------------------------------------------

def test_wrong_values_are_located_by_row_and_unit(tmp_path, blank):
    path = edit(blank, tmp_path / "salah.xlsx", G8=4, G9="ya?", G10=1.5, H8="=1+2", G11=True)
    with pytest.raises(SPMDataError) as err:
        ce.read_formulirs([path])
    f = "salah.xlsx"
    assert located(err.value) == {
        (f, ce.SHEET, 8, "RSUD", "nilai harus antara 0 dan 3"),
        (f, ce.SHEET, 9, "RSUD", "nilai bukan angka"),
        (f, ce.SHEET, 10, "RSUD", "nilai harus bilangan bulat (tanpa desimal)"),
        (f, ce.SHEET, 11, "RSUD", "nilai berisi nilai benar/salah (TRUE/FALSE), bukan angka"),
        (f, ce.SHEET, 8, "Dinas Sosial", "berisi rumus (formula); ketik nilainya saja"),
    }
    assert {p.nilai for p in err.value.problems if p.baris == 9} == {"(teks, 3 karakter)"}  # never the text itself: it could be a name


def test_missing_sheet(tmp_path, blank):
    wb = openpyxl.load_workbook(blank)
    del wb[ce.SHEET]
    wb.save(tmp_path / "tanpa.xlsx")
    with pytest.raises(SPMDataError) as err:
        ce.read_formulirs([tmp_path / "tanpa.xlsx"])
    assert located(err.value) == {("tanpa.xlsx", ce.SHEET, None, None,
                                   "sheet 'Penilaian' tidak ditemukan (dihapus atau diganti nama?)")}


def test_other_regions_form_is_refused_by_name(blank):
    with pytest.raises(SPMDataError) as err:
        ce.read_formulirs([blank], kode_wilayah="14.03")
    (p,) = err.value.problems
    assert p.berkas == "kosong.xlsx" and p.nilai == "14.10"
    assert p.alasan == "formulir ini untuk Kabupaten Kepulauan Meranti (14.10), bukan Kabupaten Bengkalis (14.03)"


@pytest.mark.parametrize("content,alasan", [
    (b"", "berkas kosong (0 byte)"),
    (b"kode_wilayah,unit,kode_indikator,nilai\n14.10,RSUD,INP-01,3\n",
     "bukan berkas Excel (.xlsx): isinya teks atau format lain"),
])
def test_empty_or_not_excel(tmp_path, content, alasan):
    path = tmp_path / "unggahan.xlsx"
    path.write_bytes(content)
    with pytest.raises(SPMDataError) as err:
        ce.read_formulirs([path])
    assert located(err.value) == {("unggahan.xlsx", None, None, None, alasan)}


def test_workbook_that_is_not_our_form(tmp_path):
    openpyxl.Workbook().save(tmp_path / "lain.xlsx")
    with pytest.raises(SPMDataError, match="bukan formulir penilaian kepatuhan SPM Workbench"):
        ce.read_formulirs([tmp_path / "lain.xlsx"])


def test_form_with_no_unit_named(tmp_path):
    path = ce.write_formulir(tmp_path / "tanpa_unit.xlsx", "14.10", 2024, S22)
    with pytest.raises(SPMDataError) as err:
        ce.read_formulirs([path])
    assert located(err.value) == {("tanpa_unit.xlsx", ce.SHEET, ce.HEADER_ROW, None,
                                   "belum ada unit yang diisi: tulis nama unit di baris 7 mulai kolom G")}


def test_values_without_a_unit_name_changed_codes_and_repeated_units(tmp_path, blank):
    path = edit(blank, tmp_path / "rusak.xlsx", I7=None, I8=2, A9="XXX", J7=" rsud ")
    with pytest.raises(SPMDataError) as err:
        ce.read_formulirs([path])
    got = located(err.value)
    assert ("rusak.xlsx", ce.SHEET, 7, "I", "nilai sudah diisi tetapi nama unit di atasnya kosong; tulis nama unit") in got
    assert ("rusak.xlsx", ce.SHEET, 9, "Kode",
            "kode indikator di baris ini diubah atau barisnya bergeser; seharusnya INP-02") in got
    assert ("rusak.xlsx", ce.SHEET, 7, "rsud", "nama unit ganda: satu unit hanya boleh satu kolom") in got


def test_same_unit_in_two_files_and_mixed_schemes(tmp_path, demo):
    a = ce.write_formulir(tmp_path / "a.xlsx", "14.10", 2024, S22, penilaian=demo[demo["unit"] == "RSUD"])
    b = ce.write_formulir(tmp_path / "b.xlsx", "14.10", 2024, S22, penilaian=demo[demo["unit"] == "RSUD"])
    c = ce.write_formulir(tmp_path / "c.xlsx", "14.10", 2024, S21, units=["RSUD"])
    with pytest.raises(SPMDataError) as err:
        ce.read_formulirs([a, b, c])
    alasan = {p.berkas: p.alasan for p in err.value.problems}
    assert alasan["b.xlsx"] == "unit 'RSUD' sudah dinilai di berkas a.xlsx, kolom RSUD (36 indikator ganda)"
    assert alasan["c.xlsx"] == f"formulir memakai skema '{S21}', bukan '{S22}'"


def test_typing_outside_the_form_is_a_warning_not_an_error(tmp_path, blank, demo):
    full = ce.write_formulir(tmp_path / "penuh.xlsx", "14.10", 2024, S22, penilaian=demo[demo["unit"] == "RSUD"])
    path = edit(full, tmp_path / "catatan.xlsx", Z3="catatan penilai")
    back = ce.read_formulirs([path])
    (w,) = back.attrs["peringatan"]
    assert (w.tingkat, w.baris, w.alasan) == ("peringatan", 3, "isian di luar kolom/baris formulir diabaikan: Z3")


def test_load_penilaian_reads_forms_of_this_region_only(tmp_path, demo):
    ce.write_formulir(tmp_path / "meranti.xlsx", "14.10", 2024, S22, penilaian=demo)
    ce.write_formulir(tmp_path / "bengkalis.xlsx", "14.03", 2024, S22,
                      penilaian=cd.generate_contoh("14.03", S22))
    got = cd.load_penilaian(tmp_path, "14.10", S22)
    pd.testing.assert_frame_equal(got, demo, check_dtype=False)
    with pytest.raises(SPMError, match="Tidak ada data penilaian kepatuhan untuk wilayah 14.10"):
        cd.load_penilaian(tmp_path, "14.10", S21)


# --- CLI ------------------------------------------------------------------------------------------------

@pytest.fixture
def cli():
    app = typer.Typer()
    cmd.register(app)
    runner = CliRunner(env={"COLUMNS": "200"})
    return lambda *args: runner.invoke(app, ["kepatuhan", *map(str, args)])


def test_cli_help_is_indonesian(cli):
    r = cli("--help")
    assert r.exit_code == 0 and "bukan hasil resmi Ombudsman" in r.output
    assert "Buat formulir Excel" in cli("formulir", "--help").output


def test_cli_formulir_then_nilai(tmp_path, cli, demo):
    out = tmp_path / "f.xlsx"
    r = cli("formulir", "--wilayah", "Kepulauan Meranti", "--tahun", 2024, "--unit", "RSUD", "--unit",
            "Dinas Sosial", "--ke", out)
    assert r.exit_code == 0, r.output
    assert ce.read_formulir(out).meta["kode_wilayah"] == "14.10"
    r = cli("formulir", "--wilayah", "14.10", "--tahun", 2024, "--ke", out)
    assert r.exit_code == 2 and "tidak akan ditimpa" in r.output

    isi = ce.write_formulir(tmp_path / "isi.xlsx", "14.10", 2024, S22, penilaian=demo)
    csv, plan = tmp_path / "nilai.csv", tmp_path / "rencana.csv"
    r = cli("nilai", isi, "--wilayah", "14.10", "--keluar", csv, "--rencana", plan)
    assert r.exit_code == 0, r.output
    assert "DPMPTSP" in r.output and cp.LABEL_SIMULASI in r.output and "Kabupaten Kepulauan Meranti" in r.output
    written = pd.read_csv(csv, dtype={"kode_wilayah": str})
    expected = cp.score_units(demo, S22)
    assert written["nilai"].tolist() == pytest.approx(expected["nilai"].tolist())
    assert (written["keterangan"] == cp.LABEL_SIMULASI).all()
    assert len(pd.read_csv(plan)) == len(cp.rencana_perbaikan(demo, S22))
    before = csv.read_bytes()
    r = cli("nilai", isi, "--keluar", csv)
    assert r.exit_code == 2 and "tidak akan ditimpa" in r.output and csv.read_bytes() == before


def test_cli_nilai_bad_form_lists_problems_and_marks_a_copy(tmp_path, cli, blank):
    bad = edit(blank, tmp_path / "salah.xlsx", G8=4, G9="ya?")
    r = cli("nilai", bad, "--keluar", tmp_path / "n.csv", "--tandai", tmp_path / "bertanda")
    assert r.exit_code == 2
    assert "nilai harus antara 0 dan 3" in r.output and "nilai bukan angka" in r.output and "RSUD" in r.output
    assert not (tmp_path / "n.csv").exists()
    marked = openpyxl.load_workbook(tmp_path / "bertanda" / "salah_bertanda.xlsx")
    assert "nilai bukan angka" in marked[ce.SHEET]["G9"].comment.text


def test_cli_nilai_refuses_other_region_and_skema_lists_bands(cli, blank):
    r = cli("nilai", blank, "--wilayah", "14.03")
    assert r.exit_code == 2 and "bukan Kabupaten Bengkalis (14.03)" in r.output
    r = cli("skema", S22)
    assert r.exit_code == 0 and "Kualitas Tertinggi" in r.output and "88 – 100" in r.output
    assert cli("skema", "ombudsman_2025").exit_code == 2


def test_form_from_an_older_instrument_or_version_is_refused(tmp_path, blank):
    from spm_helpers.inputs.workbook import read_marker, stamp_marker

    for key, value, alasan in [("indikator", "INP-01,INP-02", "daftar indikator skema 'ombudsman_2022_2024' yang lain"),
                               ("versi", "0", "versi formulir '0' tidak dapat dibaca")]:
        wb = openpyxl.load_workbook(blank)
        stamp_marker(wb, {**read_marker(wb), key: value})
        wb.save(tmp_path / f"lama_{key}.xlsx")
        with pytest.raises(SPMDataError, match=alasan):
            ce.read_formulirs([tmp_path / f"lama_{key}.xlsx"])
