"""The year's budgets and problems cut from one computation for the whole folder (batch mode) equal what
the region's own rows give, table for table, on data where regions differ in their latest quarter, report
jenis of another level, or have no rows at all."""
from __future__ import annotations

from dataclasses import fields

import pandas as pd
import pytest

from spm_helpers import region
from spm_helpers.inputs import demo
from spm_helpers.region import annual, national

TAHUN = 2024
CODES = ["11", "11.01", "11.02", "11.71", "32", "32.01", "32.75", "91", "91.03"]


@pytest.fixture(scope="module")
def folder(tmp_path_factory):
    data = demo.generate(CODES, range(TAHUN - 1, TAHUN + 1), triwulan=True)
    a, m = data.quarter["anggaran"], data.quarter["permasalahan"]
    def drop(df, kode, quarters=(1, 2, 3, 4)):
        cut = (pd.to_numeric(df["tahun"]) == TAHUN) & (df["kode_wilayah"] == kode) & \
            pd.to_numeric(df["triwulan"]).isin(quarters)
        return df[~cut]

    # 11.01 has reported up to quarter II, 32 up to quarter III; 91.03 has no budget rows (nor has 32.01 in the
    # demo data); 11.71 no problem rows (nor have 11.01, 11.02 and 32)
    a = drop(drop(drop(a, "11.01", (3, 4)), "32", (4,)), "91.03")
    m = drop(m, "11.71")
    # 32.75 also reports a jenis of the provincial level, which its report must not count
    prov = a[(a["kode_wilayah"] == "32") & (pd.to_numeric(a["tahun"]) == TAHUN)].head(3).assign(kode_wilayah="32.75")
    data.quarter["anggaran"] = pd.concat([a, prov], ignore_index=True)
    data.quarter["permasalahan"] = m.reset_index(drop=True)
    path = tmp_path_factory.mktemp("triwulan")
    demo.write(data, path, fmt="parquet")
    return path


def _assert_same(a: annual.TahunTriwulan, b: annual.TahunTriwulan) -> None:
    for f in fields(a):
        x, y = getattr(a, f.name), getattr(b, f.name)
        if isinstance(x, pd.DataFrame):
            pd.testing.assert_frame_equal(x, y, obj=f.name)
        else:
            assert x == y, f.name


def test_batch_mode_gives_every_region_what_its_own_rows_give(folder):
    alone = {k: annual.tahun_triwulan(region.load_region_data(k, TAHUN, folder)) for k in CODES}
    national.enable(CODES)
    try:
        built, alone_ = [], []
        real, real_alone = annual._bagian, annual._bagian_wilayah
        annual._bagian = lambda *args: built.append(1) or real(*args)
        annual._bagian_wilayah = lambda *args: alone_.append(1) or real_alone(*args)
        try:
            batch = {k: annual.tahun_triwulan(region.load_region_data(k, TAHUN, folder)) for k in CODES}
        finally:
            annual._bagian, annual._bagian_wilayah = real, real_alone
    finally:
        national.disable()
    assert built == [1]  # one computation served every region
    assert len(alone_) == 2  # but 91.03 and 32.01 (no budget rows this year), which take their own path
    for k in CODES:
        _assert_same(batch[k], alone[k])
    assert alone["11.01"].triwulan == 2 and alone["32"].triwulan == 3 and alone["11"].triwulan == 4
    assert alone["91.03"].triwulan is None and alone["91.03"].anggaran_rinci.empty
    assert alone["11.71"].jumlah_baris_masalah == 0
    prov_jenis = set(alone["32"].anggaran_rinci["kode_jenis"])
    assert not prov_jenis & set(alone["32.75"].anggaran_rinci["kode_jenis"])  # the other level's rows left out
