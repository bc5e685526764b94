"""Importing quarterly forms: merging, conflicts, the quarter check, and saving only what the forms own."""
from __future__ import annotations

import shutil

import pandas as pd
import pytest
import quarter_filling as qf

from spm_helpers.errors import SEVERITY_ERROR, SPMDataError, SPMError
from spm_helpers.inputs import datastore, quarter_collect
from spm_helpers.paths import contoh_dir

A, M, T = "Anggaran", "Permasalahan", "Tahapan"
DISDIK = {A: {"D7": "Rp 1.250.000", "E7": "250.000", "D8": 900_000, "E8": 100_000},
          M: {"C7": "Guru kurang", "D7": "Redistribusi", "E7": "dalam penanganan", "E8": "tidak ada permasalahan"}}
DAMKAR = {A: {"D7": 5_000_000, "E7": 1_000_000}, M: {"E7": "tidak ada permasalahan"}}


def read(folder, table):
    return datastore.read_table(folder / f"{table}.csv")


@pytest.fixture
def forms(tmp_path):
    return {"disdik": qf.filled(tmp_path, "disdik", DISDIK), "damkar": qf.filled(tmp_path, "damkar", DAMKAR),
            "bappeda": qf.filled(tmp_path, "bappeda", {T: {"C7": "selesai", "D7": "14/02/2025",
                                                           "C8": "dalam proses", "D8": "01/04/2025"}})}


def test_forms_of_several_opds_merge_with_their_provenance(tmp_path, forms):
    hasil = quarter_collect.import_forms(list(forms.values()))
    assert hasil.ok and (hasil.kode_wilayah, hasil.tahun, hasil.triwulan) == ("32.75", 2025, 2)
    assert hasil.jenis == ["PDD-KK-01", "PDD-KK-02", "PDD-KK-03", "TRB-KK-05"] and hasil.tahapan
    a = hasil.tables["anggaran"]
    assert a[["kode_jenis", "sumber_dana", "alokasi", "realisasi", "sumber_berkas"]].values.tolist() == [
        ["PDD-KK-01", "APBD", 1_250_000, 250_000, forms["disdik"].name],
        ["PDD-KK-01", "BOS", 900_000, 100_000, forms["disdik"].name],
        ["TRB-KK-05", "APBD", 5_000_000, 1_000_000, forms["damkar"].name],
    ]
    assert hasil.tables["tahapan"]["tahapan"].tolist() == ["1", "2"]
    assert "3 baris anggaran, 3 baris permasalahan, 2 baris tahapan; 0 galat" in hasil.ringkasan()


def test_identical_duplicates_are_merged_and_conflicts_refused_with_both_locations(tmp_path, forms):
    same = shutil.copy(forms["damkar"], tmp_path / "salinan_damkar.xlsx")
    hasil = quarter_collect.import_forms([forms["damkar"], same])
    assert hasil.ok and len(hasil.tables["anggaran"]) == 1
    assert hasil.tables["anggaran"].at[0, "sumber_berkas"] == f"{forms['damkar'].name}, salinan_damkar.xlsx"
    assert any("isinya sama, dihitung sekali" in p.alasan for p in hasil.peringatan)

    other = qf.filled(tmp_path / "lain", "damkar", {A: {"D7": 5_000_000, "E7": 1_200_000},
                                                    M: {"E7": "tidak ada permasalahan"}}, name="damkar_revisi.xlsx")
    hasil = quarter_collect.import_forms([forms["damkar"], other])
    assert not hasil.ok and hasil.tables["anggaran"].empty          # the key is left out, not guessed
    where = sorted((p.berkas, p.sheet, p.baris, p.kolom, p.nilai) for p in hasil.galat)
    assert where == sorted([(forms["damkar"].name, A, 7, "Realisasi s.d. akhir triwulan (Rp)", 1_000_000),
                            ("damkar_revisi.xlsx", A, 7, "Realisasi s.d. akhir triwulan (Rp)", 1_200_000)])
    assert "nilai bertentangan antar berkas untuk TRB-KK-05 APBD" in hasil.galat[0].alasan
    assert hasil.konflik["berkas"].tolist() == [forms["damkar"].name, "damkar_revisi.xlsx"]
    assert len(hasil.tables["permasalahan"]) == 1                   # the agreeing 'tidak ada permasalahan' stays
    with pytest.raises(SPMDataError):
        quarter_collect.save(hasil, tmp_path / "data")
    assert not (tmp_path / "data").exists()


def test_a_form_of_another_quarter_is_refused_and_not_merged(tmp_path, forms):
    q1 = qf.filled(tmp_path / "tw1", "damkar", DAMKAR, triwulan=1)
    hasil = quarter_collect.import_forms([forms["disdik"], forms["damkar"], q1])
    assert hasil.triwulan == 2                                        # what most files were made for
    wrong = [p for p in hasil.galat if p.berkas == q1.name]
    assert len(wrong) == 1 and "Triwulan I, bukan Kota Bekasi (32.75) tahun 2025 Triwulan II" in wrong[0].alasan
    assert hasil.tables["anggaran"]["sumber_berkas"].tolist().count(forms["damkar"].name) == 1
    hasil = quarter_collect.import_forms([forms["damkar"]], triwulan=1)  # expected quarter given explicitly
    assert "bukan Kota Bekasi (32.75) tahun 2025 Triwulan I" in hasil.galat[0].alasan


def test_save_adds_tables_and_a_reimport_is_harmless(tmp_path, forms):
    data = tmp_path / "data"
    hasil = quarter_collect.import_forms(list(forms.values()))
    paths = quarter_collect.save(hasil, data)
    assert sorted(p.name for p in paths) == ["anggaran.csv", "permasalahan.csv", "tahapan.csv"]
    loaded = datastore.load(data, tables=datastore.QUARTER_TABLES)  # the store validates what was written
    assert loaded["anggaran"]["alokasi"].tolist() == [1_250_000, 900_000, 5_000_000]
    assert loaded["tahapan"]["tanggal"].tolist() == ["2025-02-14", "2025-04-01"]
    before = {t: (data / f"{t}.csv").read_bytes() for t in datastore.QUARTER_TABLES}
    quarter_collect.save(quarter_collect.import_forms(list(forms.values())), data)
    assert {t: (data / f"{t}.csv").read_bytes() for t in datastore.QUARTER_TABLES} == before


def test_changed_numbers_need_timpa_which_replaces_only_that_opds_rows(tmp_path, forms):
    data = tmp_path / "data"
    shutil.copytree(contoh_dir(), data)   # demo rows: 32.75 itself in quarters 1, 3, 4 (2 is its late one), others
    dinkes = qf.filled(tmp_path / "dk", "dinkes", {A: {"D7": 7_000_000, "E7": 3_000_000}})
    quarter_collect.save(quarter_collect.import_forms([dinkes]), data)  # another OPD, same quarter: nothing clashes
    first = quarter_collect.import_forms(list(forms.values()))
    with pytest.raises(SPMError, match="tahapan.csv: 5 baris sudah ada dengan isi lain.*Tahap 1: Pengumpulan data: di "
                                       "folder 'selesai' 2025-01-20"):
        quarter_collect.save(first, data)          # the demo's stage 1 has another date: a change, not a step forward
    quarter_collect.save(first, data, overwrite=True)
    start = {t: read(data, t) for t in datastore.QUARTER_TABLES}
    revisi = qf.filled(tmp_path / "rev", "damkar", {A: {"D7": 5_000_000, "E7": 2_000_000}}, name="damkar_revisi.xlsx")
    hasil = quarter_collect.import_forms([revisi])
    with pytest.raises(SPMError) as err:
        quarter_collect.save(hasil, data)
    text = str(err.value)
    assert "anggaran.csv: 1 baris sudah ada dengan isi lain" in text and "1 baris berubah (TRB-KK-05 APBD)" in text
    # the revised form left Permasalahan blank: dropping the stored row is a shrink, said plainly
    assert "permasalahan.csv" in text and "akan hilang (TRB-KK-05)" in text and "--timpa" in text
    assert all(read(data, t).equals(start[t]) for t in datastore.QUARTER_TABLES)  # nothing written

    quarter_collect.save(hasil, data, overwrite=True)
    a, p = read(data, "anggaran"), read(data, "permasalahan")
    mine = (a["kode_wilayah"] == "32.75") & (a["tahun"] == 2025) & (a["triwulan"] == 2) & (a["kode_jenis"] == "TRB-KK-05")
    assert a.loc[mine, "realisasi"].tolist() == [2_000_000]
    assert len(a) == len(start["anggaran"])                            # one row replaced by one row
    rest = start["anggaran"][start["anggaran"]["kode_jenis"] != "TRB-KK-05"].reset_index(drop=True)
    assert a[a["kode_jenis"] != "TRB-KK-05"].reset_index(drop=True).equals(rest)   # disdik and 14/14.10 untouched
    assert len(p) == len(start["permasalahan"]) - 1
    assert read(data, "tahapan").equals(start["tahapan"])              # not a Bappeda form: stages untouched
    kes = a[(a["kode_wilayah"] == "32.75") & (a["tahun"] == 2025) & (a["triwulan"] == 2)
            & a["kode_jenis"].str.startswith("KES")]
    assert kes[["kode_jenis", "sumber_dana", "alokasi", "realisasi"]].values.tolist() == [
        ["KES-KK-01", "APBD", 7_000_000, 3_000_000]]                   # another OPD's row of the same quarter


def test_stages_move_forward_without_timpa_but_never_back(tmp_path, forms):
    data = tmp_path / "data"
    quarter_collect.save(quarter_collect.import_forms([forms["bappeda"]]), data)
    tw3 = qf.filled(tmp_path / "tw3", "bappeda", {T: {"C7": "selesai", "D7": "14/02/2025", "C8": "selesai",
                                                      "D8": "20/08/2025", "E8": "Dok. kebutuhan 2025",
                                                      "C9": "dalam proses", "D9": "01/09/2025"}}, triwulan=3)
    hasil = quarter_collect.import_forms([tw3])
    quarter_collect.save(hasil, data)
    assert hasil.catatan == ["tahapan diperbarui: Tahap 2: Penghitungan kebutuhan pemenuhan pelayanan dasar: dalam "
                             "proses → selesai (2025-08-20)"]
    t = read(data, "tahapan")
    assert t[["tahapan", "status", "tanggal"]].values.tolist() == [
        ["1", "selesai", "2025-02-14"], ["2", "selesai", "2025-08-20"], ["3", "dalam proses", "2025-09-01"]]
    again = quarter_collect.import_forms([forms["bappeda"]])           # the older Q2 form once more
    with pytest.raises(SPMError, match="Tahap 2.*di folder 'selesai' 2025-08-20.*di formulir 'dalam proses'"):
        quarter_collect.save(again, data)
    assert read(data, "tahapan").equals(t)
    quarter_collect.save(again, data, overwrite=True)                  # an explicit choice
    assert read(data, "tahapan")["tahapan"].tolist() == ["1", "2"]


def test_in_scope_is_the_region_year_quarter_and_jenis():
    df = pd.DataFrame({"kode_wilayah": ["32.75", "32.75", "32.75", "32.75", "32"],
                       "tahun": [2025, 2025, 2024, 2025, 2025], "triwulan": [2, 1, 2, 2, 2],
                       "kode_jenis": ["TRB-KK-05", "TRB-KK-05", "TRB-KK-05", "PDD-KK-01", "TRB-KK-05"]})
    got = quarter_collect.in_scope(df, "anggaran", "32.75", 2025, 2, ["TRB-KK-05"], False)
    assert got.tolist() == [True, False, False, False, False]
    t = pd.DataFrame({"kode_wilayah": ["32.75", "32.75"], "tahun": [2025, 2024], "tahapan": ["1", "1"]})
    assert quarter_collect.in_scope(t, "tahapan", "32.75", 2025, 2, [], True).tolist() == [True, False]
    assert quarter_collect.in_scope(t, "tahapan", "32.75", 2025, 2, ["TRB-KK-05"], False).tolist() == [False, False]


def test_errors_in_one_form_block_the_save(tmp_path, forms):
    bad = qf.filled(tmp_path / "bad", "damkar", {A: {"D7": -1}}, name="damkar_salah.xlsx")
    hasil = quarter_collect.import_forms([forms["disdik"], bad])
    assert [(p.berkas, p.sheet, p.baris) for p in hasil.galat] == [("damkar_salah.xlsx", A, 7)]
    assert all(p.tingkat == SEVERITY_ERROR for p in hasil.galat)
    with pytest.raises(SPMDataError):
        quarter_collect.save(hasil, tmp_path / "data")
