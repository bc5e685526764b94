"""A region cut out of the national engine run equals the region computed on its own, table for table."""
from __future__ import annotations

from dataclasses import fields, replace

import pandas as pd
import pytest

from spm_helpers import region
from spm_helpers.errors import SPMDataError
from spm_helpers.inputs import datastore, demo
from spm_helpers.reference import regions
from spm_helpers.region import national

TAHUN = 2024
# provinces and kab/kota of three provinces, a lagging region or two among them (contoh's traits)
CODES = ["11", "11.01", "11.02", "11.71", "32", "32.01", "32.75", "32.79", "91", "91.03", "91.71"]


@pytest.fixture(scope="module", params=["bersih", "masalah", "triwulan"])
def folder(request, tmp_path_factory):
    """Demo data for CODES: clean, with the five injected problems per region, or with quarterly rows."""
    data = demo.generate(CODES, range(TAHUN - 4, TAHUN + 1), masalah=request.param == "masalah",
                           triwulan=request.param == "triwulan")
    if request.param == "masalah":  # keep the problems a region still loads with (flags, not schema errors)
        s = data.sasaran
        over = (s["jumlah_terlayani"] > s["jumlah_sasaran"]).fillna(False)
        s.loc[over, "jumlah_terlayani"] = s.loc[over, "jumlah_sasaran"]
    path = tmp_path_factory.mktemp(request.param)
    demo.write(data, path, fmt="parquet")
    return path


@pytest.fixture
def memory():
    national.enable()
    yield
    national.disable()


def _alone(data: region.RegionData) -> region.HasilWilayah:
    return region.compute(replace(data, folder=None))  # no folder: computed for this region only


def _assert_same(a: region.HasilWilayah, b: region.HasilWilayah) -> None:
    for part in ("ip", "rencana"):
        for f in fields(getattr(a, part)):
            pd.testing.assert_frame_equal(getattr(getattr(a, part), f.name), getattr(getattr(b, part), f.name),
                                          obj=f"{part}.{f.name}")
    pd.testing.assert_frame_equal(a.kebutuhan, b.kebutuhan, obj="kebutuhan")
    pd.testing.assert_frame_equal(a.bendera, b.bendera, obj="bendera")
    pd.testing.assert_frame_equal(a.capaian, b.capaian, obj="capaian")
    assert region.ringkasan(a) == region.ringkasan(b)


def test_every_region_cut_from_the_national_run_equals_the_region_alone(folder, memory):
    assert datastore.kept_tables(folder) is not None  # the folder passes the schema as a whole
    flags = 0
    for kode in CODES:
        data = region.load_region_data(kode, TAHUN, folder)
        cut = region.compute(data)
        assert national.for_region(data, 5, "merata") is not None  # really the national path
        _assert_same(cut, _alone(data))
        flags += len(cut.masalah)
    assert len(national._RUNS) == 1  # one national run served every region
    if folder.name.startswith("masalah"):
        assert flags >= 5 * len(CODES) // 2  # the injected problems are flagged in the cut too


def test_rows_changed_in_the_notebook_are_computed_from_the_changed_rows(folder, memory):
    data = region.load_region_data("32.75", TAHUN, folder)
    s = data.sasaran.copy()
    row = s.index[(s["tahun"] == TAHUN) & (s["kode_jenis"] == "KES-KK-01")][0]
    s.loc[row, "jumlah_terlayani"] = 0
    changed = data.with_tables({"sasaran": s})
    assert national.for_region(changed, 5, "merata") is None
    h = region.compute(changed)
    c = h.capaian.set_index("kode_jenis")
    assert c.loc["KES-KK-01", "capaian_penerima"] == 0.0  # 0 of the sasaran served
    _assert_same(h, _alone(changed))


def test_another_plan_length_or_a_pagu_is_computed_as_asked(folder, memory):
    data = region.load_region_data("11.01", TAHUN, folder)
    three = region.compute(data, lama_rencana=3)
    assert three.rencana.rencana["tahun_rencana"].max() == TAHUN + 3
    _assert_same(three, region.compute(replace(data, folder=None), lama_rencana=3))
    pagu = pd.DataFrame({"kode_wilayah": ["11.01"], "pagu": [1_000_000]})
    with_pagu = region.compute(data, pagu=pagu)
    assert with_pagu.rencana.anggaran["pagu"].dropna().eq(1_000_000).all()


def test_nothing_is_shared_without_tables_in_memory(folder):
    data = region.load_region_data("11", TAHUN, folder)
    assert datastore.kept_tables(folder) is None and national.for_region(data, 5, "merata") is None


def test_tables_kept_in_memory_alone_do_not_switch_the_batch_mode_on(folder):
    """Only ``national.enable`` (called by batch kernels) serves compute from the national run."""
    datastore.keep_tables_in_memory()
    try:
        data = region.load_region_data("11", TAHUN, folder)
        assert datastore.kept_tables(folder) is not None
        assert national.for_region(data, 5, "merata") is None
    finally:
        datastore.keep_tables_in_memory(False)


def test_a_national_run_that_fails_says_so_in_the_log(folder, memory, monkeypatch, caplog):
    def refuse(*args, **kwargs):
        raise ValueError("baris rusak")

    monkeypatch.setattr(national, "run_stages", refuse)
    data = region.load_region_data("11", TAHUN, folder)
    with caplog.at_level("WARNING", logger="spm_helpers.region.national"):
        assert national.for_region(data, 5, "merata") is None
    assert "setiap wilayah dihitung sendiri" in caplog.text and "baris rusak" in caplog.text


def test_a_region_with_a_bad_row_fails_alone_and_the_others_keep_the_national_run(tmp_path, memory):
    demo.write(demo.generate(["11.01", "11.02"], range(TAHUN - 1, TAHUN + 1)), tmp_path)
    s = pd.read_csv(tmp_path / "sasaran.csv", dtype=str)
    s.loc[s.index[s["kode_wilayah"] == "11.02"][0], "jumlah_sasaran"] = "banyak"
    s.to_csv(tmp_path / "sasaran.csv", index=False)
    with pytest.raises(SPMDataError, match=r"teks, 6 karakter"):  # free text in a number cell: kind and length only
        region.load_region_data("11.02", TAHUN, tmp_path)
    data = region.load_region_data("11.01", TAHUN, tmp_path)
    assert national.for_region(data, 5, "merata") is not None
    _assert_same(region.compute(data), _alone(data))
    assert regions.get("11.01").nama == data.wilayah.nama


def test_the_annual_reports_target_from_the_plan_of_all_regions_equals_the_regions_own(folder, memory):
    """The report year's target (plan built on the year before) cut from one plan of every region equals the
    region's own plan, and is really cut (not rebuilt) in batch mode."""
    from spm_helpers.region import annual

    for kode in CODES:
        data = region.load_region_data(kode, TAHUN, folder)
        hasil = region.compute(data)
        s = data.sasaran[data.sasaran["tahun"] <= TAHUN - 1]
        assert national.plan_before(data, s, TAHUN - 1, 5, "merata") is not None
        cut, dasar = annual.target_tahun(hasil)
        alone, dasar_alone = annual.target_tahun(_alone(data))
        assert dasar == dasar_alone == TAHUN - 1
        assert len(cut) > 0
        pd.testing.assert_frame_equal(cut, alone)
    assert len(national._PLANS) == 1


def test_the_target_of_changed_rows_is_built_from_those_rows(folder, memory):
    data = region.load_region_data("32.75", TAHUN, folder)
    s = data.sasaran.copy()
    row = s.index[(s["tahun"] == TAHUN - 1) & (s["kode_jenis"] == "KES-KK-01")][0]
    s.loc[row, "jumlah_terlayani"] = 0
    changed = data.with_tables({"sasaran": s})
    assert national.plan_before(changed, s[s["tahun"] <= TAHUN - 1], TAHUN - 1, 5, "merata") is None
