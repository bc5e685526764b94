"""Population tables as regions hold them (BPS / Dukcapil layouts, Excel and CSV): read into the tidy table,
every bad table gives a located Indonesian error, nothing is dropped; demo tables agree with the region totals."""
from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest
from openpyxl import Workbook

from spm_helpers import DEMO_LABEL
from spm_helpers.errors import SPMDataError
from spm_helpers.inputs import population as pop
from spm_helpers.reference import regions

LAKI = [500, 450, 400, 350, 300, 300, 300, 300, 250, 250, 200, 200, 150, 100, 50, 50]  # 4.150
PEREMPUAN = [480, 450, 400, 350, 300, 300, 300, 300, 250, 250, 200, 200, 150, 100, 50, 70]  # 4.150
LABELS = ["0 - 4", "5 - 9", "10 - 14", "15 - 19", "20 - 24", "25 - 29", "30 - 34", "35 - 39", "40 - 44", "45 - 49",
          "50 - 54", "55 - 59", "60 - 64", "65 - 69", "70 - 74", "75+"]


def bps_rows(laki=LAKI, perempuan=PEREMPUAN, labels=LABELS, total=True, as_text=False):
    """A BPS-style sheet: two title rows, a blank row, the header, 16 rows, a total row, a source note."""
    rows = [["Jumlah Penduduk Menurut Kelompok Umur dan Jenis Kelamin"], ["Kabupaten Bengkulu Selatan, 2024"], [],
            ["Kelompok Umur", "Laki-laki", "Perempuan", "Jumlah"]]
    for lab, lk, pr in zip(labels, laki, perempuan):
        fmt = (lambda n: f"{n:,}".replace(",", ".")) if as_text else (lambda n: n)
        rows.append([lab, fmt(lk), fmt(pr), fmt(lk + pr)])
    if total:
        rows.append(["Jumlah", sum(laki), sum(perempuan), sum(laki) + sum(perempuan)])
    rows += [[], ["Sumber: BPS Kabupaten Bengkulu Selatan (ilustrasi)"]]
    return rows


def workbook(tmp_path, sheets: dict[str, list[list]], name="penduduk.xlsx"):
    wb = Workbook()
    wb.remove(wb.active)
    for title, rows in sheets.items():
        ws = wb.create_sheet(title)
        for r in rows:
            ws.append(r)
    path = tmp_path / name
    wb.save(path)
    return path


def read(path, **kw):
    return pop.read_penduduk(path, "17.01", 2024, **kw)


def test_bps_sheet_is_read_into_the_tidy_table(tmp_path):
    res = read(workbook(tmp_path, {"Tabel 3.1": bps_rows()}))
    t = res.tabel
    assert list(t.columns[:5]) == ["kode_wilayah", "tahun", "kelompok_umur", "jenis_kelamin", "jumlah"]
    assert len(t) == 32 and t["jumlah"].sum() == 8300
    assert t.loc[(t["kelompok_umur"] == "75+") & (t["jenis_kelamin"] == "P"), "jumlah"].item() == 70
    assert t["kelompok_umur"].tolist()[:2] == ["0-4", "0-4"]
    assert res.catatan == ["Tabel 3.1: Sumber: BPS Kabupaten Bengkulu Selatan (ilustrasi)"]


def test_indonesian_number_text_csv_semicolon(tmp_path):
    rows = bps_rows(laki=[x * 10 for x in LAKI], perempuan=[x * 10 for x in PEREMPUAN], as_text=True, total=False)
    path = tmp_path / "penduduk.csv"
    path.write_text("\n".join(";".join(str(c) for c in r) for r in rows), encoding="utf-8")
    t = read(path).tabel
    assert t["jumlah"].sum() == 83_000  # '5.000' read as five thousand


def test_two_row_header_with_merged_sex_title(tmp_path):
    rows = bps_rows()
    rows[3:4] = [["Kelompok Umur", "Jenis Kelamin", None, "Jumlah"], [None, "Laki-laki", "Perempuan", None]]
    t = read(workbook(tmp_path, {"Sheet1": rows})).tabel
    assert t["jumlah"].sum() == 8300


def test_groups_above_75_are_summed_into_the_open_group(tmp_path):
    labels = LABELS[:15] + ["75 - 79", "80 ke atas"]
    rows = bps_rows(laki=LAKI[:15] + [30, 20], perempuan=PEREMPUAN[:15] + [40, 30], labels=labels)
    t = read(workbook(tmp_path, {"Sheet1": rows})).tabel
    assert t.loc[t["kelompok_umur"] == "75+", "jumlah"].tolist() == [50, 70]


def _error(path) -> SPMDataError:
    with pytest.raises(SPMDataError) as exc:
        read(path)
    return exc.value


def test_missing_group_is_located(tmp_path):
    rows = bps_rows(total=False)
    del rows[4 + 2]  # the 10–14 row
    err = _error(workbook(tmp_path, {"Tabel": rows}))
    p = err.problems[0]
    assert p.berkas == "penduduk.xlsx" and p.sheet == "Tabel"
    assert "tidak lengkap" in p.alasan and "10–14" in p.alasan


def test_total_row_that_does_not_add_up(tmp_path):
    rows = bps_rows()
    rows[20][1] = 4151  # Jumlah row, Laki-laki: the rows add up to 4.150
    err = _error(workbook(tmp_path, {"Tabel": rows}))
    p = next(p for p in err.problems if "baris jumlah" in p.alasan)
    # header on row 4, 16 group rows on rows 5–20, total on row 21
    assert (p.sheet, p.baris, p.kolom, p.nilai) == ("Tabel", 21, "Laki-laki", 4151)
    assert "4.150" in p.alasan


def test_jumlah_column_against_the_two_sexes(tmp_path):
    rows = bps_rows(total=False)
    rows[5][3] = 999  # 5–9: 450 + 450 = 900
    p = _error(workbook(tmp_path, {"Tabel": rows})).problems[0]
    assert (p.baris, p.kolom) == (6, "Jumlah") and "900" in p.alasan


def test_text_numbers_are_located(tmp_path):
    rows = bps_rows(total=False)
    rows[6][1] = "seribu"
    rows[7][2] = "12a"
    rows[8][1] = "1.234,5"
    err = _error(workbook(tmp_path, {"Tabel": rows}))
    where = {(p.baris, p.kolom, p.nilai) for p in err.problems}
    assert {(7, "Laki-laki", "seribu"), (8, "Perempuan", "12a"), (9, "Laki-laki", "1.234,5")} <= where
    assert all("bukan jumlah penduduk yang sah" in p.alasan for p in err.problems if p.baris in (7, 8, 9))


def test_unknown_row_is_not_dropped_and_date_label_is_explained(tmp_path):
    rows = bps_rows(total=False)
    rows[5][0] = dt.datetime(2024, 9, 5)  # Excel turned '5-9' into 5 September
    rows.insert(10, ["Balita", 10, 10, 20])
    err = _error(workbook(tmp_path, {"Tabel": rows}))
    msgs = {p.baris: p.alasan for p in err.problems}
    assert "tanggal" in msgs[6]
    assert "tidak dikenal" in msgs[11]


def test_duplicate_group_row(tmp_path):
    rows = bps_rows(total=False)
    rows.insert(8, list(rows[7]))
    p = next(p for p in _error(workbook(tmp_path, {"Tabel": rows})).problems if "dua kali" in p.alasan)
    assert p.baris == 9 and "baris 8" in p.alasan


def test_kecamatan_sheets_are_rows_and_recap_is_checked(tmp_path):
    half_l, half_p = [x // 2 for x in LAKI], [x // 2 for x in PEREMPUAN]
    sheets = {"Kec. Manna": bps_rows(half_l, half_p), "Pino": bps_rows(half_l, half_p),
              "Rekap": bps_rows([2 * x for x in half_l], [2 * x for x in half_p])}
    res = read(workbook(tmp_path, sheets))
    t = res.tabel
    assert sorted(t["kecamatan"].unique()) == ["Manna", "Pino"]
    assert t["jumlah"].sum() == sum(half_l) * 2 + sum(half_p) * 2
    assert any("Rekap" in c for c in res.catatan)
    sheets["Rekap"][4][1] += 1  # 0–4 laki-laki in the recap
    p = next(p for p in _error(workbook(tmp_path, sheets, "b.xlsx")).problems if "rekap" in p.alasan)
    assert (p.sheet, p.baris, p.kolom) == ("Rekap", 5, "Laki-laki")


def test_kecamatan_sheet_with_a_duplicate_name(tmp_path):
    sheets = {"Manna": bps_rows(), "Pino": bps_rows(), "Kec. Manna": bps_rows()}
    p = _error(workbook(tmp_path, sheets)).problems[0]
    assert p.sheet == "Kec. Manna" and "sama dengan sheet 'Manna'" in p.alasan


def test_kecamatan_column_with_a_repeated_kecamatan(tmp_path):
    rows = [["Kecamatan", "Kelompok Umur", "Laki-laki", "Perempuan"]]
    for kec in ("Manna", "Pino", "Manna"):
        rows += [[kec, lab, lk, pr] for lab, lk, pr in zip(LABELS, LAKI, PEREMPUAN)]
    err = _error(workbook(tmp_path, {"Per kecamatan": rows}))
    dup = [p for p in err.problems if "dua kali" in p.alasan]
    assert len(dup) == 16 and dup[0].baris == 2 + 32 and "baris 2" in dup[0].alasan


def test_sheet_without_a_table_is_reported(tmp_path):
    res = read(workbook(tmp_path, {"Catatan": [["dibuat oleh Dukcapil"]], "Tabel": bps_rows()}))
    assert [p.sheet for p in res.masalah] == ["Catatan"] and res.masalah[0].tingkat == "peringatan"
    with pytest.raises(SPMDataError, match="tidak ada tabel"):
        read(workbook(tmp_path, {"Catatan": [["kosong"]]}, "c.xlsx"))


def test_tidy_csv_national_file(tmp_path):
    df = pop.contoh_penduduk(["17.01", "17.02"], 2024)
    path = tmp_path / "nasional.csv"
    df.to_csv(path, index=False)
    t = read(path).tabel
    assert set(t["kode_wilayah"]) == {"17.01"} and t["jumlah"].sum() == regions.get("17.01").penduduk
    df.loc[3, "jumlah"] = -5
    df.loc[5, "kelompok_umur"] = "5-8"
    df.to_csv(path, index=False)
    where = {(p.baris, p.kolom) for p in _error(path).problems}
    assert (5, "jumlah") in where  # file row = index + 2


def test_validate_duplicates_and_missing_in_tidy_table():
    df = pop.contoh_penduduk(["17.01"], 2024).drop(columns="sumber_data")
    dup = pd.concat([df, df.iloc[[4]]], ignore_index=True)
    with pytest.raises(SPMDataError, match="baris ganda") as exc:
        pop.validate_penduduk(dup, "penduduk.csv")
    assert {p.baris for p in exc.value.problems} == {6, 34}
    with pytest.raises(SPMDataError, match="tidak lengkap.*70–74"):
        pop.validate_penduduk(df[df["kelompok_umur"] != "70-74"], "penduduk.csv")


# ----------------------------------------------------------------------------- demo tables
def test_demo_tables_match_region_totals_and_are_labelled():
    df = pop.contoh_penduduk("all", 2024)
    tot = df.groupby("kode_wilayah")["jumlah"].sum()
    w = regions.table().set_index("kode_wilayah")["penduduk"]
    assert len(tot) == 552 and (tot == w.reindex(tot.index)).all()
    assert (df["sumber_data"] == DEMO_LABEL).all() and (df["jumlah"] >= 0).all()
    prov = df[df["kode_wilayah"] == "17"].set_index(["kelompok_umur", "jenis_kelamin"])["jumlah"]
    kids = df[df["kode_wilayah"].str.startswith("17.")].groupby(["kelompok_umur", "jenis_kelamin"])["jumlah"].sum()
    assert (prov.sort_index() == kids.sort_index()).all()  # a province is the sum of its kab/kota


def test_demo_is_deterministic_per_region_and_grows_with_years():
    one = pop.contoh_penduduk(["17.01"], [2024, 2026])
    alone = pop.contoh_penduduk(["17.01", "32.75"], 2026)
    a = one[one["tahun"] == 2026].reset_index(drop=True)
    b = alone[alone["kode_wilayah"] == "17.01"].reset_index(drop=True)
    pd.testing.assert_frame_equal(a, b)
    p24 = regions.get("17.01").penduduk
    assert a["jumlah"].sum() == round(p24 * 1.011 ** 2)


def test_bundled_demo_file_is_what_the_generator_writes():
    bundled = pop.load_penduduk(None)
    fresh = pop.validate_penduduk(pop.contoh_penduduk("all", 2024))
    pd.testing.assert_frame_equal(bundled, fresh, check_dtype=False)


def test_projection_to_the_estimate_year():
    df = pop.contoh_penduduk(["17.01"], 2024)
    t, notes = pop.untuk_tahun(df, 2026, 0.011)
    assert t["jumlah"].sum() == pytest.approx(df["jumlah"].sum() * 1.011 ** 2)
    assert notes == ["17.01: penduduk 2024 diproyeksikan ke 2026 dengan laju 1,1% per tahun"]
    same, none = pop.untuk_tahun(df, 2024, 0.011)
    assert none == [] and same["jumlah"].sum() == df["jumlah"].sum()


def test_wide_view_has_the_bps_layout():
    w = pop.tabel_lebar(pop.contoh_penduduk(["17.01"], 2024))
    assert list(w.columns) == ["Kelompok Umur", "Laki-laki", "Perempuan", "Jumlah"]
    assert w["Kelompok Umur"].iloc[[0, 15, 16]].tolist() == ["0-4", "75+", "Jumlah"]
    assert w["Jumlah"].iloc[-1] == regions.get("17.01").penduduk


def test_formula_in_the_total_row_is_a_warning_and_in_a_group_row_an_error(tmp_path):
    rows = bps_rows()
    rows[20][1:4] = ["=SUM(B5:B20)", "=SUM(C5:C20)", "=SUM(D5:D20)"]
    res = read(workbook(tmp_path, {"Tabel": rows}))
    assert res.tabel["jumlah"].sum() == 8300
    assert {(p.baris, p.tingkat) for p in res.masalah} == {(21, "peringatan")} and "rumus" in res.masalah[0].alasan
    rows[6][1] = "=B5-50"
    p = _error(workbook(tmp_path, {"Tabel": rows}, "b.xlsx")).problems
    assert any(x.baris == 7 and x.kolom == "Laki-laki" and "rumus" in x.alasan and x.tingkat == "galat" for x in p)
