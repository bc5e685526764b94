"""Import + merge of OPD workbooks: exact round trips, conflicts, provenance (the corpus: test_corpus_collect)."""
from __future__ import annotations

import shutil

import corpus_collect as cc
import pandas as pd
import pytest
from corpus_collect import assert_tables, base  # noqa: F401 - base: module-scoped fixture

from spm_helpers.errors import SPMDataError, SPMError
from spm_helpers.inputs import collect, datastore

pytestmark = pytest.mark.filterwarnings("ignore::UserWarning:openpyxl")


@pytest.mark.parametrize("kode", [cc.KAB, cc.PROV], ids=["kabkota", "provinsi"])
def test_round_trip_every_opd_equals_demo_data(tmp_path, kode):
    paths = cc.filled_forms(tmp_path, kode)
    hasil = collect.import_forms(list(paths.values()))
    assert hasil.galat == []
    assert (hasil.kode_wilayah, hasil.tahun) == (kode, cc.TAHUN)
    assert_tables(hasil.tables, cc.demo(kode).tables())
    # and through the data folder that every later stage reads
    collect.save(hasil, tmp_path / "data")
    assert_tables(datastore.load(tmp_path / "data", kode, cc.TAHUN), cc.demo(kode).tables())


def test_every_number_names_its_source_file(base):
    hasil = collect.import_forms([base[cc.MAIN], base[cc.OTHER]])
    s = hasil.tables["sasaran"].set_index("kode_jenis")["sumber_berkas"]
    assert s["PDD-KK-01"] == cc.D and s["SOS-KK-01"] == cc.S
    assert set(hasil.tables["ketersediaan"]["sumber_berkas"]) == {cc.D, cc.S}


def test_conflict_is_listed_with_both_files_and_left_out(base, tmp_path):
    files = cc._conflict(tmp_path, base)
    hasil = collect.import_forms(files)
    k = hasil.konflik
    assert set(k["berkas"]) == {cc.D, "revisi_" + cc.D}
    assert set(k["kode"]) == {cc.P1} and set(k["kolom"]) == {"Jumlah sasaran"}
    a, b = sorted(k["nilai"])
    assert b - a == 100  # the revision added 100 to the same cell
    assert cc.P1 not in set(hasil.tables["sasaran"]["kode_jenis"])
    assert not hasil.ok
    html = hasil._repr_html_()  # the notebook view: summary line + the Indonesian problem box
    assert "1 nilai bertentangan" not in html and "2 nilai bertentangan" in html
    assert "Data belum benar" in html and f"revisi_{cc.D}" in html and "bertentangan" in html
    with pytest.raises(SPMDataError):
        hasil.raise_for_errors()
    with pytest.raises(SPMDataError):
        collect.save(hasil, tmp_path / "data")  # nothing is written while a conflict is open
    assert not (tmp_path / "data").exists()


def test_identical_resubmission_counts_once_and_names_both_files(base, tmp_path):
    hasil = collect.import_forms(cc._twice(tmp_path, base))
    assert hasil.ok
    s = hasil.tables["sasaran"].set_index("kode_jenis")
    assert s.index.is_unique
    assert s.at["SOS-KK-01", "sumber_berkas"] == f"{cc.S}, salinan_{cc.S}"


def test_blank_and_value_are_not_a_conflict(base, tmp_path):
    a = shutil.copy(base[cc.MAIN], tmp_path / "a.xlsx")
    b = shutil.copy(base[cc.MAIN], tmp_path / "b.xlsx")
    from openpyxl import load_workbook

    wb = load_workbook(b)
    wb[cc.P1]["C7"] = None  # b.xlsx does not know terlayani; a.xlsx does
    wb.save(b)
    hasil = collect.import_forms([a, b])
    assert hasil.ok
    row = hasil.tables["sasaran"].set_index("kode_jenis").loc[cc.P1]
    demo = cc.demo(cc.KAB).sasaran.set_index("kode_jenis").loc[cc.P1]
    assert row["jumlah_terlayani"] == demo["jumlah_terlayani"]
    assert row["sumber_berkas"] == "a.xlsx, b.xlsx"


def test_expected_region_given_explicitly_flags_the_majority(base):
    hasil = collect.import_forms([base[cc.MAIN], base[cc.OTHER]], kode_wilayah="32.73", tahun=2025)
    assert len(hasil.galat) == 2 and all("bukan Kota Bandung (32.73)" in p.alasan for p in hasil.galat)
    assert all(len(df) == 0 for df in hasil.tables.values())


def test_same_file_twice_is_read_once(base):
    hasil = collect.import_forms([base[cc.MAIN], base[cc.MAIN]])
    assert hasil.ok and any("disebut dua kali" in p.alasan for p in hasil.peringatan)
    assert len(hasil.tables["sasaran"]) == 3


def test_save_refuses_to_replace_tables_unless_asked(base, tmp_path):
    hasil = collect.import_forms([base[cc.MAIN]])
    collect.save(hasil, tmp_path)
    collect.save(hasil, tmp_path)  # the same numbers again: nothing to ask, nothing doubled
    assert len(datastore.load(tmp_path)["sasaran"]) == 3
    changed = collect.HasilImpor(hasil.kode_wilayah, hasil.tahun, {
        t: (df.assign(jumlah_sasaran=df["jumlah_sasaran"] + 1) if t == "sasaran" else df)
        for t, df in hasil.tables.items()}, hasil.konflik, [], hasil.berkas, hasil.jenis)
    with pytest.raises(SPMError, match="hanya baris jenis di formulir ini yang diganti"):
        collect.save(changed, tmp_path)
    collect.save(hasil, tmp_path, fmt="parquet", overwrite=True)
    assert not (tmp_path / "sasaran.csv").exists()  # a stale CSV would shadow the new Parquet
    assert len(datastore.load(tmp_path)["sasaran"]) == 3


def test_upsert_replaces_same_key_and_keeps_quarters():
    cur = pd.DataFrame({"kode_wilayah": ["32.75"] * 3, "tahun": [2025] * 3, "kode_jenis": ["A", "A", "B"],
                        "jumlah_sasaran": [1, 2, 3], "triwulan": pd.array([pd.NA, 1, pd.NA], dtype="Int64")})
    new = pd.DataFrame({"kode_wilayah": ["32.75"], "tahun": [2025], "kode_jenis": ["A"], "jumlah_sasaran": [9]})
    out = collect.upsert(cur, new, "sasaran")
    assert sorted(out["jumlah_sasaran"].tolist()) == [2, 3, 9]  # annual A replaced, quarter 1 of A kept
