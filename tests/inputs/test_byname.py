"""By-name records: NIK rules (DECISIONS D5), duplicates, counts, and that personal data never leaks."""
from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from openpyxl import Workbook

from spm_helpers.errors import SPMDataError, SPMError
from spm_helpers.inputs import byname

NAME, ADDRESS = "Siti Rahmawati Zulaikha", "Jl. Melati No. 17 RT 03/RW 05"


def _code(nik) -> int:
    code, _ = byname.check_nik(byname.normalize_nik(pd.Series([nik], dtype="str")))
    return int(code[0])


@pytest.mark.parametrize("nik, reason", [
    ("3275014101900001", 0),       # man born 01-01-1990 in kec. 32.75.01
    ("3275015101900002", 0),       # woman: DD 51 = 11 + 40
    ("3275 0141 0190 0003", 0),    # spaces are not part of the number
    ("'3275014101900004", 0),      # Excel's text apostrophe
    ("3275012902000005", 0),       # 29-02-2000, a leap year
    ("3275016902000006", 0),       # woman, 29-02-2000 (69 = 29 + 40)
    ("", 1),
    ("3.27501E+15", 2),            # Excel turned it into a number and lost the last digits
    ("327501410190001", 3),        # 15 digits
    ("32750141019000011", 3),      # 17 digits
    ("32750141019O0001", 3),       # letter O instead of zero
    ("9975014101900001", 4),       # no province 99
    ("3200014101900001", 5),
    ("3275004101900001", 6),
    ("3275013202900001", 7),       # 32 February
    ("3275013513900001", 7),       # month 13
    ("3275013501900001", 7),       # DD 35: neither a man's day nor a woman's (41–71)
    ("3275017201900001", 7),       # DD 72 = 32 + 40
    ("3275012902010001", 7),       # 29-02-2001
    ("3275014101900000", 8),       # serial 0000
])
def test_nik_rules(nik, reason):
    assert _code(nik) == reason
    assert byname.check_nik_one(nik) == reason  # the plain reference agrees


niks = st.text(alphabet="0123456789 '", min_size=0, max_size=18) | st.builds(
    lambda p, k, d, m, y, s: f"{p}{k:02d}{d:02d}{m:02d}{y:02d}{s:04d}",
    st.sampled_from(["11", "32", "64", "94", "00"]), st.integers(0, 9999), st.integers(0, 75),
    st.integers(0, 13), st.integers(0, 99), st.integers(0, 9999))


@settings(max_examples=300, deadline=None)
@given(st.lists(niks, min_size=1, max_size=40))
def test_vectorised_nik_check_equals_the_plain_rules(values):
    code, key = byname.check_nik(byname.normalize_nik(pd.Series(values, dtype="str")))
    assert code.tolist() == [byname.check_nik_one(v) for v in values]
    ok = code == 0
    assert (key[ok] == [int(v.replace(" ", "").replace("'", "")) for v, o in zip(values, ok) if o]).all()
    assert (key[~ok] == -1).all()


def test_mask_shows_only_region_and_serial():
    s = pd.Series(["3275014101900001", "1234", "Siti", "", None], dtype="str")
    assert byname.mask_nik(s).tolist() == ["3275********0001", "********", "(tidak ditampilkan)", None, None]


def _frame(rows) -> pd.DataFrame:
    df = pd.DataFrame(rows, columns=["nik", "nama", "alamat", "terlayani", "tanggal"])
    return df


def _write(tmp_path, name, rows, sep=","):
    path = tmp_path / name
    _frame(rows).to_csv(path, index=False, sep=sep)
    return path


ROWS_A = [  # Kota Bekasi 32.75, KES-KK-01, 2025
    ["3275015101900001", NAME, ADDRESS, "ya", "14/03/2025"],      # served
    ["3275015202910002", "B", "x", "tidak", ""],                  # not served
    ["3275015303920003", "C", "x", "Ya", "2025-06-01"],           # served
    ["3275015101900001", NAME, ADDRESS, "tidak", ""],             # duplicate of row 2: counted once, served
    ["3273015404930004", "D", "x", "ya", "2025-02-02"],           # registered in Bandung: warning, counted
    ["3275013202900005", "E", "x", "ya", "2025-02-02"],           # 32 February: error, not counted
    ["3275015505940006", "F", "x", "ya", "2024-12-30"],           # served last year: sasaran, not terlayani
    ["3275015606950007", "G", "x", "", ""],                       # status blank: sasaran, not served (warning)
]
ROWS_B = [
    ["3275015303920003", "C", "x", "ya", "2025-06-01"],           # also in file A: counted once
    ["3275015707960008", "H", "x", "sudah", "01-07-2025"],        # served
    ["3275015808970009", "I", "x", "mungkin", ""],                # unknown status: error, not counted
]


def test_counts_worked_example(tmp_path):
    a = _write(tmp_path, "a.csv", ROWS_A)
    b = _write(tmp_path, "b.csv", ROWS_B, sep=";")
    h = byname.import_byname([a, b], "KES-KK-01", kode_wilayah="32.75", tahun=2025)
    # valid people: 0001, 0002, 0003, 0004, 0006, 0007 (file A) + 0008 (file B) = 7 (0003 again in B: same person)
    # served in 2025: 0001, 0003, 0004, 0008 = 4 (0006 was served in 2024, 0007 status blank, 0002 'tidak')
    assert h.ringkasan == {"baris_dibaca": 11, "baris_valid": 9, "baris_ditolak": 2, "nik_ganda": 2,
                           "di_luar_wilayah": 1, "jumlah_sasaran": 7, "jumlah_terlayani": 4}
    row = h.sasaran.iloc[0]
    assert (row["kode_wilayah"], row["tahun"], row["kode_jenis"]) == ("32.75", 2025, "KES-KK-01")
    assert (row["jumlah_sasaran"], row["jumlah_terlayani"]) == (7, 4)
    assert row["sumber_berkas"] == "a.csv, b.csv"
    m = h.masalah.set_index(["berkas", "baris", "kolom"])
    assert m.loc[("a.csv", 5, "NIK"), "alasan"] == "NIK ganda (sama dengan a.csv baris 2); dihitung sekali"
    assert m.loc[("b.csv", 2, "NIK"), "alasan"] == "NIK ganda (sama dengan a.csv baris 4); dihitung sekali"
    assert m.loc[("a.csv", 6, "NIK"), "tingkat"] == "peringatan"  # outside the region
    assert m.loc[("a.csv", 7, "NIK"), "tingkat"] == "galat" and "tanggal lahir" in m.loc[("a.csv", 7, "NIK"), "alasan"]
    assert m.loc[("a.csv", 7, "NIK"), "nilai"] == "3275********0005"
    assert "di luar tahun 2025" in m.loc[("a.csv", 8, "tanggal"), "alasan"]
    assert m.loc[("b.csv", 4, "terlayani"), "tingkat"] == "galat"
    assert not h.ok


def test_personal_data_never_appears_in_any_output(tmp_path):
    a = _write(tmp_path, "a.csv", ROWS_A + [["32750155059400x6", NAME, ADDRESS, NAME, ADDRESS]])
    h = byname.import_byname([a], "KES-KK-01", kode_wilayah="32.75", tahun=2025)
    err = SPMDataError(h.problems)
    texts = [h.masalah.to_csv(), str(err), err._repr_html_(), h._repr_html_(), h.sasaran.to_csv(), repr(h.ringkasan)]
    for text in texts:
        assert NAME not in text and "Melati" not in text
        for r in ROWS_A:
            assert r[0] not in text  # no full NIK anywhere
        assert "32750155059400x6" not in text


def test_region_and_year_inferred_from_nik_and_dates(tmp_path):
    h = byname.import_byname([_write(tmp_path, "a.csv", ROWS_A)], "KES-KK-01")
    assert (h.kode_wilayah, h.tahun) == ("32.75", 2025)
    prov = byname.import_byname([_write(tmp_path, "p.csv", ROWS_A)], "SOS-PROV-02")
    assert prov.kode_wilayah == "32" and prov.ringkasan["di_luar_wilayah"] == 0  # 32.73 is in province 32


def test_jenis_level_must_match_region(tmp_path):
    with pytest.raises(SPMError, match="urusan kabupaten/kota"):
        byname.import_byname([_write(tmp_path, "a.csv", ROWS_A)], "KES-KK-01", kode_wilayah="32", tahun=2025)


@pytest.mark.parametrize("content, reason", [
    (b"", "berkas kosong"),
    (b"no,nama,status\n1,a,ya\n", "kolom NIK tidak ditemukan"),
    (b"nik,nama\n3275015101900001,a\n", "kolom terlayani tidak ditemukan"),
])
def test_file_level_problems(tmp_path, content, reason):
    path = tmp_path / "x.csv"
    path.write_bytes(content)
    with pytest.raises(SPMDataError, match=reason):
        byname.import_byname([path], "KES-KK-01", kode_wilayah="32.75", tahun=2025)


def test_excel_and_parquet_and_cp1252_inputs(tmp_path):
    wb = Workbook()
    ws = wb.active
    ws.title = "Ibu hamil"
    ws.append(["No", "NIK", "Nama", "Alamat", "Terlayani", "Tanggal Layanan"])
    ws.append([1, 3275015101900001, NAME, ADDRESS, "ya", pd.Timestamp("2025-03-01").to_pydatetime()])
    ws.append([2, "3.27502E+15", "B", "x", "tidak", None])  # Excel showed the number in scientific notation
    ws.append([3, "3275015303920003", "C", "x", "YA", "2025-05-05"])
    xlsx = tmp_path / "a.xlsx"
    wb.save(xlsx)
    pq = tmp_path / "b.parquet"
    pd.DataFrame({"nik": [3275015707960008], "terlayani": ["ya"]}).to_parquet(pq)
    csv = tmp_path / "c.csv"
    csv.write_bytes("NIK;Nama;Terlayani\n3275015808970009;Andr\xe9;tidak\n".encode("cp1252"))
    h = byname.import_byname([xlsx, pq, csv], "KES-KK-01", kode_wilayah="32.75", tahun=2025)
    assert (h.ringkasan["jumlah_sasaran"], h.ringkasan["jumlah_terlayani"]) == (4, 3)
    [p] = [p for p in h.problems if p.tingkat == "galat"]
    assert (p.berkas, p.sheet, p.baris, p.kolom) == ("a.xlsx", "Ibu hamil", 3, "NIK")
    assert "notasi ilmiah" in p.alasan


def test_large_vectorised_run_matches_plain_loop():
    rng = np.random.default_rng(7)
    n = 20_000
    nik = pd.Series([f"3275{rng.integers(1, 20):02d}{rng.integers(1, 75):02d}{rng.integers(1, 13):02d}"
                     f"{rng.integers(0, 100):02d}{rng.integers(0, 300):04d}" for _ in range(n)], dtype="str")
    status = pd.Series(rng.choice(["ya", "tidak"], n))
    df = byname._finish(pd.DataFrame({"nik": nik, "terlayani": status}), {"nik": "nik", "terlayani": "terlayani"}, 2)
    h = byname.count([("x.csv", None, df)], "KES-KK-01", kode_wilayah="32.75", tahun=2025)
    valid = {v for v in nik if byname.check_nik_one(v) == 0}
    served = {v for v, s in zip(nik, status) if s == "ya" and v in valid}
    assert h.ringkasan["jumlah_sasaran"] == len(valid) and h.ringkasan["jumlah_terlayani"] == len(served)


@pytest.mark.parametrize("tanggal", ["31/02/2025", "2025-02-31", "29/02/2025", "31-04-2025", "31.06.2025"])
def test_an_impossible_service_date_is_refused_not_rolled_over(tmp_path, tanggal):
    """Found by the by-name fuzz (issue 18): Arrow's strptime read 31/02/2025 as a day in March and counted
    the person as served; the date is now refused where it is."""
    rows = [["3275015101900001", "A", "x", "ya", tanggal], ["3275015202910002", "B", "x", "ya", "29/02/2024"]]
    h = byname.import_byname([_write(tmp_path, "a.csv", rows)], "KES-KK-01", kode_wilayah="32.75", tahun=2025)
    [p] = [p for p in h.problems if p.tingkat == "galat"]
    assert (p.baris, p.kolom) == (2, "tanggal") and "tanggal layanan tidak terbaca" in p.alasan
    assert (h.ringkasan["jumlah_sasaran"], h.ringkasan["jumlah_terlayani"]) == (1, 0)  # 2024-02-29: last year
