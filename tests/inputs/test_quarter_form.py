"""The quarterly workbook: what a blank form contains, how a filled one reads back, and how bad input is located."""
from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest
import quarter_filling as qf
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import load_workbook

from spm_helpers.errors import SEVERITY_ERROR, SEVERITY_WARNING, SPMError
from spm_helpers.inputs import opd_form, quarter_form
from spm_helpers.inputs.workbook import read_marker
from spm_helpers.reference import catalog
from spm_helpers.reference import quarter as q

A, M, T = "Anggaran", "Permasalahan", "Tahapan"


def errors(form, sheet=None):
    return [p for p in form.problems if p.tingkat == SEVERITY_ERROR and (sheet is None or p.sheet == sheet)]


def at(form, sheet, row, tingkat=SEVERITY_ERROR):
    return [p for p in form.problems if p.sheet == sheet and p.baris == row and p.tingkat == tingkat]


# --------------------------------------------------------------------------------------------- layout
def test_every_opd_of_the_level_and_bappeda_get_a_form():
    assert quarter_form.opd_for_region("32.75") == [*opd_form.OPD, "bappeda"]
    assert quarter_form.opd_for_region("32") == ["dinkes", "disdik", "dinsos", "pupr", "perkim", "satpolpp", "bappeda"]
    assert quarter_form.opd_name("Bappeda") == quarter_form.opd_name("BAPPEDA") == "bappeda"
    assert quarter_form.opd_name("Dinas Kesehatan") == "dinkes"
    with pytest.raises(SPMError, match="OPD 'dishub' tidak dikenal"):
        quarter_form.opd_name("dishub")
    assert quarter_form.form_filename("32.75", 2025, 2, "Bappeda") == "formulir_triwulan_32.75_2025_TW2_bappeda.xlsx"
    with pytest.raises(SPMError, match="triwulan harus 1, 2, 3 atau 4"):
        quarter_form.form_filename("32.75", 2025, 5, "dinkes")


def test_every_bidang_has_typical_sources_that_are_allowed():
    assert set(quarter_form.SUMBER_LAZIM) == set(catalog.jenis()["kode_bidang"])
    assert all(set(s) <= set(q.kode_sumber_dana()) and s[0] == "APBD" for s in quarter_form.SUMBER_LAZIM.values())


def test_opd_form_layout(tmp_path):
    wb = load_workbook(qf.blank(tmp_path, "disdik"))
    assert wb.sheetnames == ["Petunjuk", A, M, "_spm"]
    assert wb["_spm"].sheet_state == "veryHidden"
    assert read_marker(wb) == {"format": "spm-formulir-triwulan", "versi": "1", "kode_wilayah": "32.75",
                               "tahun": "2025", "triwulan": "2", "opd": "disdik",
                               "jenis": "PDD-KK-01,PDD-KK-02,PDD-KK-03", "dibuat_oleh": "SPM Workbench 0.1.0"}
    petunjuk = " ".join(str(c.value) for c in wb["Petunjuk"]["A"] if c.value)
    assert "Mengapa formulir terpisah" in petunjuk and "OPD pengampu" in petunjuk and "Bappeda" in petunjuk
    assert "sekretariat Tim Penerapan SPM" in petunjuk and "kosong ≠ nol" in petunjuk
    # the deadline comes from tenggat_triwulan.csv (2025 follows the 2024 pattern, still to be confirmed)
    assert "Batas pelaporan e-SPM Triwulan II: 20/07/2025 (perlu dikonfirmasi dengan Bangda)" in petunjuk
    ws = wb[A]
    assert "Kota Bekasi (32.75)" in ws["A2"].value and "Triwulan: II" in ws["A2"].value
    assert [c.value for c in ws[6]] == ["Kode jenis", "Jenis pelayanan dasar", "Sumber dana", "Alokasi tahun ini (Rp)",
                                        "Realisasi s.d. akhir triwulan (Rp)", "Keterangan"]
    # 3 jenis × (APBD, BOS, DAK fisik) = 9 prefilled rows, 7..15, amounts blank
    got = [(ws.cell(r, 1).value, ws.cell(r, 3).value, ws.cell(r, 4).value, ws.cell(r, 5).value) for r in range(7, 16)]
    assert got == [(j, s, None, None) for j in ("PDD-KK-01", "PDD-KK-02", "PDD-KK-03") for s in ("APBD", "BOS", "DAK fisik")]
    assert ws["A16"].value is None and ws.protection.sheet
    assert ws["A7"].protection.locked and ws["B7"].protection.locked and not ws["C7"].protection.locked
    assert not ws["D7"].protection.locked and not ws["A16"].protection.locked and ws["B16"].protection.locked
    lists = {str(dv.sqref): dv.formula1 for dv in ws.data_validations.dataValidation if dv.type == "list"}
    assert lists["C7:C45"] == '"APBD,DAK fisik,DAK nonfisik,BOS,JKN/kapitasi,lainnya"'
    assert lists["A16:A45"] == '"PDD-KK-01,PDD-KK-02,PDD-KK-03"'
    m = wb[M]
    assert [m.cell(r, 1).value for r in range(7, 11)] == ["PDD-KK-01", "PDD-KK-02", "PDD-KK-03", None]
    lists = {str(dv.sqref): dv.formula1 for dv in m.data_validations.dataValidation if dv.type == "list"}
    assert lists["E7:E29"] == '"belum ditangani,dalam penanganan,selesai,tidak ada permasalahan"'


def test_bappeda_form_has_only_the_stages(tmp_path):
    wb = load_workbook(qf.blank(tmp_path, "bappeda"))
    assert wb.sheetnames == ["Petunjuk", T, "_spm"]
    assert read_marker(wb)["opd"] == "bappeda" and read_marker(wb)["jenis"] == ""
    ws = wb[T]
    assert [ws.cell(r, 1).value for r in range(7, 12)] == list(q.TAHAPAN)
    assert ws["B11"].value == q.NAMA_TAHAPAN["rencana_aksi"]
    assert ws["D7"].number_format == "DD/MM/YYYY" and not ws["D7"].protection.locked
    kinds = {str(dv.sqref): dv.type for dv in ws.data_validations.dataValidation}
    assert kinds["D7:D11"] == "date" and kinds["C7:C11"] == "list"


def test_an_existing_form_is_not_replaced(tmp_path):
    path = qf.blank(tmp_path, "damkar")
    with pytest.raises(SPMError, match="sudah ada"):
        quarter_form.write_form("32.75", 2025, 2, "damkar", path)


# --------------------------------------------------------------------------------------------- round trip
def test_round_trip_reads_back_exactly_what_the_officer_typed(tmp_path):
    path = qf.filled(tmp_path, "disdik", {
        A: {"D7": "Rp 1.250.000", "E7": "250.000",          # Indonesian text
            "D8": 980_000_000, "E8": 0,                     # numbers; 0 is an answer
            "D9": 50_000_000,                               # realisasi blank: not 0
            "A16": "PDD-KK-01", "C16": "lainnya", "D16": "Rp 12.500.000,-", "E16": "Rp 0", "F16": "hibah CSR"},
        M: {"C7": "Kekurangan guru", "D7": "Redistribusi guru", "E7": "dalam penanganan",
            "E8": "tidak ada permasalahan",
            "A10": "PDD-KK-01", "C10": "Ruang kelas rusak", "D10": "Usul DAK fisik", "E10": "belum ditangani"},
    })
    form = quarter_form.read_form(path)
    assert errors(form) == []
    a = form.tables["anggaran"]
    assert a[["kode_jenis", "sumber_dana", "alokasi", "realisasi", "keterangan"]].astype(object).where(
        a[["kode_jenis", "sumber_dana", "alokasi", "realisasi", "keterangan"]].notna(), None).values.tolist() == [
        ["PDD-KK-01", "APBD", 1_250_000, 250_000, None],
        ["PDD-KK-01", "BOS", 980_000_000, 0, None],
        ["PDD-KK-01", "DAK fisik", 50_000_000, None, None],
        ["PDD-KK-01", "lainnya", 12_500_000, 0, "hibah CSR"],
    ]
    assert a["_baris"].tolist() == [7, 8, 9, 16] and set(a["triwulan"]) == {2} and set(a["kode_wilayah"]) == {"32.75"}
    assert str(a["alokasi"].dtype) == "Int64" and pd.isna(a.at[2, "realisasi"])
    p = form.tables["permasalahan"]
    assert p[["kode_jenis", "permasalahan", "solusi", "status"]].values.tolist() == [
        ["PDD-KK-01", "Kekurangan guru", "Redistribusi guru", "dalam penanganan"],
        ["PDD-KK-02", None, None, "tidak ada permasalahan"],
        ["PDD-KK-01", "Ruang kelas rusak", "Usul DAK fisik", "belum ditangani"],
    ]
    # the untouched jenis are said to be empty, each at its first prefilled row; nothing else is said
    warned = sorted((p.sheet, p.baris) for p in form.problems)
    assert warned == [(A, 10), (A, 13), (M, 9)]
    assert "tahapan" not in form.tables


def test_stage_dates_are_dates_whatever_excel_gives(tmp_path):
    path = qf.filled(tmp_path, "bappeda", {T: {
        "C7": "selesai", "D7": dt.datetime(2025, 2, 14), "E7": "Laporan pengumpulan data 2025",
        "C8": "selesai", "D8": "31/03/2025",
        "C9": "selesai", "D9": "2025-04-30",
        "C10": "dalam proses", "D10": "2 Mei 2025",
        "C11": "belum dimulai",
    }})
    form = quarter_form.read_form(path)
    assert form.problems == []
    t = form.tables["tahapan"]
    assert t[["tahapan", "status", "tanggal", "nomor_dokumen"]].values.tolist() == [
        ["1", "selesai", "2025-02-14", "Laporan pengumpulan data 2025"],
        ["2", "selesai", "2025-03-31", None],
        ["3", "selesai", "2025-04-30", None],
        ["4", "dalam proses", "2025-05-02", None],
        ["rencana_aksi", "belum dimulai", None, None],
    ]
    assert "triwulan" not in t.columns and set(t["tahun"]) == {2025}


@pytest.mark.parametrize("value,iso", [
    (dt.datetime(2025, 3, 31, 0, 0), "2025-03-31"), (dt.date(2025, 3, 31), "2025-03-31"), ("31/03/2025", "2025-03-31"),
    ("2025-03-31", "2025-03-31"), ("1-4-2025", "2025-04-01"), ("31.03.2025", "2025-03-31"),
    ("31 Maret 2025", "2025-03-31"), ("17 agt 2025", "2025-08-17"), (None, None), ("  ", None),
])
def test_parse_date_accepts(value, iso):
    assert quarter_form.parse_date(value) == (iso, None)


@pytest.mark.parametrize("value,why", [
    ("03/31/2025", "tidak ada di kalender"), ("31 Juni 2025", "tidak ada di kalender"), ("45747", "angka"),
    (45747, "angka"), (45747.0, "angka"), ("besok", "tidak terbaca"), ("31/03/25", "tidak terbaca"),
    ("01/01/1899", "tidak masuk akal"), (True, "angka"),
])
def test_parse_date_refuses(value, why):
    iso, alasan = quarter_form.parse_date(value)
    assert iso is None and why in alasan and "31/03/2025" in alasan


# --------------------------------------------------------------------------------------------- bad input
def test_bad_anggaran_rows_are_located_and_nothing_is_lost(tmp_path):
    path = qf.filled(tmp_path, "disdik", {A: {
        "D7": -5_000_000, "E7": 0,                         # negative money: error
        "D8": "Rp 1.000.000", "E8": "Rp 1.500.000",        # realisasi > alokasi: warning, row kept
        "D9": "12.5", "E9": "abc",                         # ambiguous and not a number
        "A16": "PDD-KK-02", "C16": "Hibah", "D16": 1000,   # unknown sumber dana
        "A17": "KES-KK-01", "C17": "APBD", "D17": 1000,    # another OPD's jenis
        "A18": "PDD-KK-01", "C18": "APBD", "D18": 2000,    # same jenis + source as row 7: duplicate
        "C19": "APBD", "D19": 7,                           # no jenis
    }})
    form = quarter_form.read_form(path)
    a = form.tables["anggaran"]
    assert a["_baris"].tolist() == [8]                     # only the usable row is in the table …
    assert (a.at[0, "alokasi"], a.at[0, "realisasi"]) == (1_000_000, 1_500_000)
    warn = at(form, A, 8, SEVERITY_WARNING)
    assert [p.alasan for p in warn] == ["realisasi lebih besar dari alokasi"]
    assert warn[0].kolom == "Realisasi s.d. akhir triwulan (Rp)" and warn[0].nilai == "Rp 1.500.000 > Rp 1.000.000"
    reasons = {r: " | ".join(p.alasan for p in at(form, A, r)) for r in (7, 9, 16, 17, 18, 19)}
    assert "alokasi tidak boleh negatif" in reasons[7]      # … and every other filled row has a located error
    assert "format angka tidak jelas" in reasons[9] and "bukan angka" in reasons[9]
    assert "sumber dana tidak dikenal" in reasons[16]
    assert "bukan jenis yang diampu OPD formulir ini" in reasons[17]
    assert "baris ganda" in reasons[18] and "baris ganda" in reasons[7]
    assert "anggaran harus menyebut jenis pelayanan" in reasons[19]
    assert {p.kolom for p in at(form, A, 9)} == {"Alokasi tahun ini (Rp)", "Realisasi s.d. akhir triwulan (Rp)"}
    assert all(p.berkas == path.name for p in form.problems)


def test_bad_problem_rows_are_located(tmp_path):
    path = qf.filled(tmp_path, "disdik", {M: {
        "C7": "Guru kurang", "E7": "dalam penanganan",      # no solusi: warning, row kept
        "C8": "Data ganda",                                 # no status: error
        "E9": "sudah beres",                                # unknown status: error
        "C10": "Tanpa jenis", "D10": "x", "E10": "selesai",   # no jenis: error
        "A11": "PDD-KK-02", "E11": "tidak ada permasalahan",  # PDD-KK-02 also has a problem (row 8): warning
    }})
    form = quarter_form.read_form(path)
    assert form.tables["permasalahan"]["_baris"].tolist() == [7, 11]
    assert [p.alasan for p in at(form, M, 7, SEVERITY_WARNING)] == ["solusi belum ditulis untuk permasalahan ini"]
    assert "status permasalahan kosong" in " ".join(p.alasan for p in at(form, M, 8))
    assert "status permasalahan harus" in " ".join(p.alasan for p in at(form, M, 9))
    assert [p.alasan for p in at(form, M, 10)] == ["permasalahan harus menyebut jenis pelayanan (kode_jenis kosong)"]
    assert at(form, M, 10)[0].kolom == "Kode jenis"
    assert "juga punya permasalahan" in " ".join(p.alasan for p in at(form, M, 11, SEVERITY_WARNING))


def test_bad_stage_rows_are_located(tmp_path):
    path = qf.filled(tmp_path, "bappeda", {T: {
        "C7": "selesai",                                   # selesai without a date: warning
        "C8": "selesai", "D8": "31 Juni 2025",             # no such day: error
        "C9": "dalam proses", "D9": "15/08/2025",          # after the end of Q2: warning
        "C10": "tuntas", "D10": "01/06/2025",              # unknown status: error
    }})
    form = quarter_form.read_form(path)
    assert form.tables["tahapan"]["tahapan"].tolist() == ["1", "3"]
    assert [p.kolom for p in at(form, T, 7, SEVERITY_WARNING)] == ["Tanggal (selesai/mulai)"]
    assert "tidak ada di kalender" in at(form, T, 8)[0].alasan and at(form, T, 8)[0].nilai == "31 Juni 2025"
    assert "sesudah akhir Triwulan II (30/06/2025)" in at(form, T, 9, SEVERITY_WARNING)[0].alasan
    assert "status tahapan harus" in at(form, T, 10)[0].alasan
    assert "Dokumen Rencana Aksi penerapan SPM belum diisi" in [p.alasan for p in at(form, T, 11, SEVERITY_WARNING)]


@pytest.mark.parametrize("marker,why", [
    ({"triwulan": "5"}, "triwulan '5' bukan 1, 2, 3 atau 4"),
    ({"triwulan": "3"}, "menyebut wilayah 32.75 tahun 2025 triwulan 3, tetapi judul sheet"),
    ({"tahun": "2024"}, "tahun 2024 triwulan 2, tetapi judul sheet"),
    ({"opd": "dinkes"}, "daftar jenis tidak sama"),
    ({"jenis": "PDD-KK-01,KES-KK-01"}, "daftar jenis tidak sama"),
    ({"versi": "9"}, "versi formulir '9' tidak didukung"),
    ({"format": "spm-formulir-opd"}, "ini formulir data tahunan"),
    ({"format": "lain"}, "bukan formulir triwulan SPM Workbench"),
])
def test_an_edited_marker_is_refused_and_nothing_is_read(tmp_path, marker, why):
    src = qf.filled(tmp_path, "disdik", {A: {"D7": 1000}}, name="isi.xlsx")
    path = qf.fill(src, tmp_path / "diubah.xlsx", {}, marker=marker)
    form = quarter_form.read_form(path)
    assert form.tables == {} and len(form.problems) == 1
    assert why in form.problems[0].alasan and form.problems[0].berkas == "diubah.xlsx"


def test_the_file_name_must_agree_with_the_marker(tmp_path):
    src = qf.filled(tmp_path, "disdik", {A: {"D7": 1000}}, name="isi.xlsx")
    renamed = qf.fill(src, tmp_path / "formulir_triwulan_32.75_2025_TW3_disdik.xlsx", {})
    assert "nama berkas menyebut 32.75 tahun 2025 triwulan 3" in quarter_form.read_form(renamed).problems[0].alasan
    other = qf.fill(src, tmp_path / "formulir_triwulan_32.75_2025_TW2_dinkes.xlsx", {})
    assert "nama berkas menyebut 'dinkes'" in quarter_form.read_form(other).problems[0].alasan
    copy = qf.fill(src, tmp_path / "formulir_triwulan_32.75_2025_TW2_disdik_2.xlsx", {})  # a browser's copy name
    assert errors(quarter_form.read_form(copy)) == []


def test_an_annual_form_and_a_text_file_are_refused(tmp_path):
    annual = opd_form.write_form("32.75", 2025, "disdik", tmp_path / "tahunan.xlsx")
    assert "formulir data tahunan" in quarter_form.read_form(annual).problems[0].alasan
    text = tmp_path / "x.xlsx"
    text.write_text("bukan excel", encoding="utf-8")
    assert "bukan berkas Excel" in quarter_form.read_form(text).problems[0].alasan


def test_a_quarterly_form_given_to_the_annual_import_points_to_impor_triwulan(tmp_path):
    quarterly = qf.filled(tmp_path, "disdik", {A: {"D7": 1000}}, name="isi.xlsx")
    (problem,) = opd_form.read_form(quarterly).problems
    assert "ini formulir triwulan" in problem.alasan and "'spm impor-triwulan'" in problem.alasan


def test_renamed_header_and_deleted_sheet_make_the_block_unusable(tmp_path):
    path = qf.filled(tmp_path, "disdik", {A: {"D6": "Pagu", "D7": 1000, "E7": 10}, M: {"E7": "tidak ada permasalahan"}})
    wb = load_workbook(path)
    del wb[M]
    wb.save(path)
    form = quarter_form.read_form(path)
    assert form.tables["anggaran"].empty
    assert any("judul kolom 'Alokasi tahun ini (Rp)' tidak ditemukan" in p.alasan and p.baris == 6
               for p in errors(form, A))
    assert [p.alasan for p in errors(form, M)] == ["sheet 'Permasalahan' tidak ditemukan (dihapus atau diganti nama?)"]


def test_typing_outside_the_table_is_reported(tmp_path):
    path = qf.filled(tmp_path, "damkar", {A: {"H7": 5000, "D7": 10}, M: {"E7": "tidak ada permasalahan"}})
    form = quarter_form.read_form(path)
    assert [(p.sheet, p.baris, p.tingkat) for p in form.problems if "di luar kolom" in p.alasan] == [
        (A, 7, SEVERITY_WARNING)]


# --------------------------------------------------------------------------------------------- property
_AMOUNT = st.one_of(
    st.none().map(lambda _: ("blank", None)),
    st.integers(0, 10**12).map(lambda n: ("ok", n)),
    st.integers(0, 10**12).map(lambda n: ("ok_text", n)),
    st.sampled_from(["abc", "12.5", "-", "1,5", "TRUE"]).map(lambda t: ("bad", t)),
    st.integers(-10**9, -1).map(lambda n: ("neg", n)),
)
_STATUS = st.sampled_from([None, *q.STATUS_MASALAH, "kacau"])


def _cell(kind, value):
    if kind == "ok_text":
        return "Rp " + f"{value:,}".replace(",", ".")
    return value


@pytest.fixture(scope="module")
def damkar_blank(tmp_path_factory):
    return qf.blank(tmp_path_factory.mktemp("kosong"), "damkar")


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(alokasi=_AMOUNT, realisasi=_AMOUNT, extra=_AMOUNT, status=_STATUS, text=st.sampled_from([None, "Masalah A"]),
       solusi=st.sampled_from([None, "Solusi"]))
def test_any_mix_of_cells_round_trips_or_gives_a_located_error(tmp_path_factory, damkar_blank, alokasi, realisasi,
                                                               extra, status, text, solusi):
    """Anggaran row 7 (prefilled) and row 8 (an extra DAK fisik row), Permasalahan row 7: each cell either comes
    back exactly (blank as NA, never 0) or its row has a located error; no filled row disappears unexplained."""
    path = qf.fill(damkar_blank, tmp_path_factory.mktemp("isi") / damkar_blank.name, {
        A: {"D7": _cell(*alokasi), "E7": _cell(*realisasi), "A8": "TRB-KK-05", "C8": "DAK fisik", "D8": _cell(*extra)},
        M: {"C7": text, "D7": solusi, "E7": status},
    })
    form = quarter_form.read_form(path)
    a = form.tables["anggaran"].set_index("_baris")
    for row, cells in ((7, (alokasi, realisasi)), (8, (extra, ("blank", None)))):
        kinds = {k for k, _ in cells}
        if kinds == {"blank"}:
            assert row not in a.index and not at(form, A, row)
        elif kinds & {"bad", "neg"}:
            assert row not in a.index and at(form, A, row), (row, cells, form.problems)
            assert all(p.kolom in ("Alokasi tahun ini (Rp)", "Realisasi s.d. akhir triwulan (Rp)")
                       and p.berkas == path.name for p in at(form, A, row))
        else:
            got = [a.at[row, "alokasi"], a.at[row, "realisasi"]]
            want = [None if k == "blank" else v for k, v in cells]
            assert [None if pd.isna(g) else int(g) for g in got] == want
    p = form.tables["permasalahan"]
    filled = any(v is not None for v in (status, text, solusi))
    if not filled:
        assert p.empty
    elif status is None or status == "kacau" or (text is None and status != q.TANPA_MASALAH):
        assert p.empty and at(form, M, 7)
    else:
        assert p[["permasalahan", "solusi", "status"]].values.tolist() == [[text, solusi, status]]
