"""Ranking within a province and nationally, and peer comparison, on a hand-made set of 8 regions."""
from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
import spm_kecil as k

from spm_helpers.engine import achievement as a

INDEKS = {"32": 70.0, "32.01": 60.0, "32.02": 80.0, "32.75": 80.0, "33": 50.0, "33.01": 90.0, "33.71": np.nan,
          "33.72": 65.0}


def _wil(tahun=2024):
    return pd.DataFrame({"kode_wilayah": list(INDEKS), "tahun": tahun, "indeks": list(INDEKS.values())})


def test_ranking_within_province_and_nationally():
    r = a.rank_wilayah(_wil(), wilayah=k.WILAYAH).set_index("kode_wilayah")
    # province 32: 32.02 and 32.75 tie at 80 → both 1st, 32.01 (60) 3rd, of 3
    assert r.loc[["32.02", "32.75", "32.01"], "peringkat_provinsi"].tolist() == [1, 1, 3]
    assert r.loc["32.01", "jumlah_di_provinsi"] == 3
    # province 33: 33.01 (90) 1st, 33.72 (65) 2nd; 33.71 has no index → no rank, 2 ranked
    assert r.loc["33.01", "peringkat_provinsi"] == 1 and r.loc["33.72", "peringkat_provinsi"] == 2
    assert pd.isna(r.loc["33.71", "peringkat_provinsi"]) and r.loc["33.72", "jumlah_di_provinsi"] == 2
    # national kab/kota: 90 → 1, 80/80 → 2, 65 → 4, 60 → 5 of 5
    assert r.loc[["33.01", "32.02", "32.75", "33.72", "32.01"], "peringkat_nasional"].tolist() == [1, 2, 2, 4, 5]
    assert r.loc["33.01", "jumlah_nasional"] == 5
    # provinces only against provinces, no provincial rank
    assert r.loc["32", "peringkat_nasional"] == 1 and r.loc["33", "peringkat_nasional"] == 2
    assert r.loc["32", "jumlah_nasional"] == 2 and pd.isna(r.loc["32", "peringkat_provinsi"])


def test_ranking_per_year():
    both = pd.concat([_wil(2023).assign(indeks=lambda d: 100 - d["indeks"]), _wil(2024)], ignore_index=True)
    r = a.rank_wilayah(both, wilayah=k.WILAYAH).set_index(["tahun", "kode_wilayah"])
    assert r.loc[(2023, "32.01"), "peringkat_nasional"] == 1 and r.loc[(2024, "32.01"), "peringkat_nasional"] == 5


def test_peers_same_type_nearest_population():
    p = a.tabel_sejawat(jumlah=1, wilayah=k.WILAYAH).set_index("kode_wilayah")["kode_sejawat"]
    # kabupaten 1,0 jt / 1,2 jt / 0,9 jt: |ln 0,9| = 0,105 < |ln 1,2| = 0,182 → 32.01's peer is 33.01
    assert p["32.01"] == "33.01" and p["32.02"] == "32.01" and p["33.01"] == "32.01"
    # kota 400 rb: 500 rb (|ln 1,25| = 0,22) is nearer than 100 rb (|ln 0,25| = 1,39)
    assert p["32.75"] == "33.71" and p["32"] == "33"
    full = a.tabel_sejawat(jumlah=10, wilayah=k.WILAYAH)
    assert (full.groupby("kode_wilayah").size() <= 2).all()  # never more peers than the type has
    assert not (full["kode_wilayah"] == full["kode_sejawat"]).any()


def test_one_region_against_its_peers():
    out = a.perbandingan_sejawat(_wil(), "32.01", jumlah=2, wilayah=k.WILAYAH).set_index("kode_wilayah")
    # 33.01 (90) 1st, 32.02 (80) 2nd, 32.01 (60) 3rd; differences against 60: +30, +20, 0
    assert out["peringkat_sejawat"].to_dict() == {"33.01": 1, "32.02": 2, "32.01": 3}
    assert out["selisih"].to_dict() == {"33.01": 30.0, "32.02": 20.0, "32.01": 0.0}
    assert out.loc["32.01", "wilayah_ini"] and not out.loc["33.01", "wilayah_ini"]


def test_every_region_against_peer_mean():
    out = a.ringkasan_sejawat(_wil(), jumlah=2, wilayah=k.WILAYAH).set_index("kode_wilayah")
    # 32.01: peers 33.01 (90) and 32.02 (80) → mean 85, 60 − 85 = −25, two peers better → 3rd
    assert out.loc["32.01", "rata_rata_sejawat"] == pytest.approx(85.0)
    assert out.loc["32.01", "selisih_sejawat"] == pytest.approx(-25.0)
    assert out.loc["32.01", "peringkat_sejawat"] == 3
    # 32.75: kota peers 33.71 (no index, left out) and 33.72 (65) → mean 65, +15, 1st
    assert out.loc["32.75", "rata_rata_sejawat"] == pytest.approx(65.0) and out.loc["32.75", "jumlah_sejawat"] == 1
    assert out.loc["32.75", "peringkat_sejawat"] == 1
    assert pd.isna(out.loc["33.71", "peringkat_sejawat"])


def test_quarterly_table_ranks_each_period():
    q = pd.concat([_wil().assign(triwulan=pd.NA), _wil().assign(triwulan=1, indeks=lambda d: d["indeks"] / 2)],
                  ignore_index=True)
    q["triwulan"] = q["triwulan"].astype("Int64")
    r = a.rank_wilayah(q, wilayah=k.WILAYAH)
    assert r.groupby("triwulan", dropna=False)["peringkat_nasional"].max().tolist() == [5, 5]
    s = a.ringkasan_sejawat(q, jumlah=2, wilayah=k.WILAYAH)
    row = s[(s["kode_wilayah"] == "32.01") & (s["triwulan"] == 1)].iloc[0]
    assert row.rata_rata_sejawat == pytest.approx(42.5)  # (45 + 40) / 2
