"""datastore.load: the same rows and the same error locations whether tables are kept in memory or not."""
from __future__ import annotations

import os

import pandas as pd
import pytest

from spm_helpers.errors import SPMDataError
from spm_helpers.inputs import datastore
from spm_helpers.paths import contoh_dir

YEARS = [2021, 2022, 2023, 2024, 2025]


@pytest.fixture
def memory():
    datastore.keep_tables_in_memory()
    yield
    datastore.keep_tables_in_memory(False)


@pytest.fixture
def folder(tmp_path):
    """The bundled demo data (10 regions) copied as CSV, so a test may break a row."""
    datastore.save(datastore.load(contoh_dir()), tmp_path)
    return tmp_path


def _annual(df: pd.DataFrame) -> pd.DataFrame:
    """The annual rows (no triwulan); the bundled sasaran also holds each year's quarterly rows (D9)."""
    return df[df["triwulan"].isna()]


def _bad_cell(folder, kode: str) -> int:
    """Write 'dua ratus' into one sasaran cell of region ``kode``; return its row number in the file."""
    path = folder / "sasaran.csv"
    df = pd.read_csv(path, dtype=str)
    i = df.index[df["kode_wilayah"] == kode][3]
    df.loc[i, "jumlah_sasaran"] = "dua ratus"
    df.to_csv(path, index=False)
    return int(i) + 2  # header is row 1, the first data row is row 2


def test_kept_tables_give_the_same_rows_and_dtypes(folder, memory):
    for kode in ("32.75", "14", "17.01"):
        kept = datastore.load(folder, kode, tahun=YEARS)
        datastore.keep_tables_in_memory(False)
        read = datastore.load(folder, kode, tahun=YEARS)
        datastore.keep_tables_in_memory()
        for name in datastore.TABLES:
            pd.testing.assert_frame_equal(kept[name], read[name])
        assert set(kept["sasaran"]["kode_wilayah"]) == {kode} and len(_annual(kept["sasaran"])) == 5 * (
            14 if kode == "14" else 29)  # 14 provincial jenis, 29 kab/kota jenis, five years


def test_kept_rows_are_copies(folder, memory):
    first = datastore.load(folder, "32.75", 2025)["sasaran"]
    first.loc[0, "jumlah_sasaran"] = -1
    again = datastore.load(folder, "32.75", 2025)["sasaran"]
    assert again.loc[0, "jumlah_sasaran"] != -1


@pytest.mark.parametrize("kept", [False, True])
def test_a_bad_cell_is_located_at_its_row_in_the_file_and_other_regions_still_load(folder, kept):
    row = _bad_cell(folder, "32.75")
    assert row > 29 * 5 + 1  # not among the first region's rows: a position within 32.75's rows would differ
    datastore.keep_tables_in_memory(kept)
    try:
        with pytest.raises(SPMDataError) as err:
            datastore.load(folder, "32.75", tahun=YEARS)
        (problem,) = err.value.problems
        assert (problem.berkas, problem.baris, problem.kolom, problem.nilai) == (
            "sasaran.csv", row, "jumlah_sasaran", "(teks, 9 karakter)")  # free text in a number column: kind and length only (issue 18)
        assert "bilangan bulat" in problem.alasan
        other = datastore.load(folder, "14", tahun=YEARS)["sasaran"]  # a bad row elsewhere stops no one else
        assert len(_annual(other)) == 14 * 5
    finally:
        datastore.keep_tables_in_memory(False)


def test_an_edited_file_is_read_again(folder, memory):
    before = datastore.load(folder, "32.75", 2025)["sasaran"]
    assert before["jumlah_sasaran"].notna().all()
    row = _bad_cell(folder, "32.75")
    path = folder / "sasaran.csv"
    st = path.stat()
    os.utime(path, ns=(st.st_atime_ns, st.st_mtime_ns + 1_000_000))  # even within the same clock tick
    with pytest.raises(SPMDataError) as err:
        datastore.load(folder, "32.75", tahun=YEARS)
    assert err.value.problems[0].baris == row


def test_a_batch_keeps_only_its_regions_and_a_bad_row_elsewhere_does_not_matter(folder):
    row = _bad_cell(folder, "14.10")  # a region outside the batch
    datastore.keep_tables_in_memory(wilayah=["32.75", "17.01"])
    try:
        key, tables = datastore.kept_tables(folder)
        assert set(tables["sasaran"]["kode_wilayah"]) == {"32.75", "17.01"}  # validated: the batch's rows only
        assert key[1] == frozenset({"32.75", "17.01"})
        assert len(_annual(datastore.load(folder, "32.75", tahun=YEARS)["sasaran"])) == 29 * 5
        with pytest.raises(SPMDataError) as err:  # outside the batch: read from the file, checked as usual
            datastore.load(folder, "14.10", tahun=YEARS)
        assert err.value.problems[0].baris == row
        assert len(_annual(datastore.load(folder, "14", tahun=YEARS)["sasaran"])) == 14 * 5
    finally:
        datastore.keep_tables_in_memory(False)


def test_a_region_with_a_bad_row_is_left_out_of_memory_and_the_others_still_come_from_it(folder, memory):
    row = _bad_cell(folder, "32.75")
    key, tables = datastore.kept_tables(folder)
    s = tables["sasaran"]
    assert "32.75" not in set(s["kode_wilayah"])
    assert len(_annual(s)) == (4 * 29 + 5 * 14) * 5  # the other 4 kab/kota (29 jenis) and 5 provinces (14), 5 years
    assert len(tables["ketersediaan"].query("kode_wilayah == '32.75'")) > 0  # only the table with the bad row
    with pytest.raises(SPMDataError) as err:  # the bad region is read from the file: every row, located
        datastore.load(folder, "32.75", tahun=YEARS)
    assert [p.baris for p in err.value.problems] == [row]
    assert len(_annual(datastore.load(folder, "17.01", tahun=YEARS)["sasaran"])) == 29 * 5


def test_problems_without_a_row_keep_nothing_in_memory(folder, memory):
    path = folder / "sasaran.csv"
    pd.read_csv(path, dtype=str).drop(columns="jumlah_terlayani").to_csv(path, index=False)
    assert datastore.kept_tables(folder) is None
    with pytest.raises(SPMDataError, match="jumlah_terlayani"):
        datastore.load(folder, "17.01", tahun=YEARS)
