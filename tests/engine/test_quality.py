"""Data-quality flags: each check on a hand-made case, no false alarm on clean data, and every problem that
the demo generator injects is found (its answer key is computed, so this cannot drift)."""
from __future__ import annotations

import pandas as pd
import pytest
import spm_kecil as k

from spm_helpers.engine import quality as q
from spm_helpers.inputs import demo as demo_data

BATAS = pd.DataFrame({"kode_jenis": ["KES-KK-01", "PDD-KK-01"], "batas_persen_penduduk": [5, 10],
                      "tidak_teratur": [0, 1]})


def _flags(df, bendera):
    return df[df["bendera"] == bendera]


def _all(s=None, ket=None, harga=None, **kw):
    return q.check_quality(k.sasaran() if s is None else s, k.ketersediaan() if ket is None else ket,
                           k.harga_satuan() if harga is None else harga, wilayah=k.WILAYAH,
                           batas_kewajaran=BATAS, **k.KATALOG, **kw)


def test_clean_data_raises_no_alarm():
    out = _all()
    assert list(out.columns) == q.KOLOM_BENDERA
    # the only note: the empty SSH price of PDD-KK-01.01 (the catalogue price is used)
    assert out[["bendera", "kode_item", "tingkat"]].values.tolist() == [["harga_kosong", "PDD-KK-01.01", "info"]]


def test_served_more_than_target_and_blank_served():
    s = k.sasaran([("KES-KK-01", 1000, 900), ("KES-KK-02", 500, 600), ("PDD-KK-01", 200, 150)])
    s.loc[2, "jumlah_terlayani"] = pd.NA
    out = _all(s)
    over = _flags(out, "terlayani_melebihi_sasaran").iloc[0]
    # D3: a warning with the capaian capped, never a fatal error
    assert over.kode_jenis == "KES-KK-02" and over.tingkat == "peringatan"
    assert over.keterangan == ("Jumlah terlayani (600) lebih besar dari jumlah sasaran (500); capaian penerima "
                               "dibatasi 100% dan kebutuhan dihitung dari jumlah sasaran")
    blank = _flags(out, "terlayani_kosong")
    assert blank["kode_jenis"].tolist() == ["PDD-KK-01"] and blank["tingkat"].iloc[0] == "peringatan"


def test_empty_or_zero_sasaran():
    s = k.sasaran([("KES-KK-01", 1000, 900), ("KES-KK-02", 0, 0), ("PDD-KK-01", 200, 150)])
    s.loc[2, "jumlah_sasaran"] = pd.NA
    out = _all(s)
    assert _flags(out, "sasaran_kosong")["kode_jenis"].tolist() == ["PDD-KK-01"]
    assert _flags(out, "sasaran_nol")[["kode_jenis", "tingkat"]].values.tolist() == [["KES-KK-02", "info"]]


def test_implausible_sasaran_against_population():
    # 32.75 has 400.000 people; 25.000 pregnant women = 6,25 % > 5 %; 20.000 = 5 % is not above the bound
    s = k.sasaran([("KES-KK-01", 25_000, 20_000), ("KES-KK-02", 500, 425), ("PDD-KK-01", 200, 150)])
    flag = _flags(_all(s), "sasaran_tidak_wajar")
    assert flag["kode_jenis"].tolist() == ["KES-KK-01"]
    assert flag["keterangan"].iloc[0] == ("Jumlah sasaran 25.000 = 6,2% penduduk (400.000), di atas batas "
                                          "kewajaran 5%")
    ok = k.sasaran([("KES-KK-01", 20_000, 1), ("KES-KK-02", 500, 425), ("PDD-KK-01", 200, 150)])
    assert _flags(_all(ok), "sasaran_tidak_wajar").empty
    # the packaged table holds ibu hamil to 5 % too
    assert len(q.check_sasaran_tidak_wajar(s, wilayah=k.WILAYAH)) == 1
    assert (q.batas_kewajaran_bawaan()["batas_persen_penduduk"] <= 100).all()


def test_missing_unknown_and_itemless_jenis():
    s = k.sasaran([("KES-KK-01", 1000, 900), ("KES-KK-02", 500, 425), ("KES-KK-09", 10, 1)])
    kj = pd.concat([k.KATALOG_JENIS, pd.DataFrame({"kode_jenis": ["SOS-KK-01"], "kode_bidang": ["SOS"],
                                                   "tingkat": ["kabkota"]})], ignore_index=True)
    out = q.check_quality(s, k.ketersediaan(), wilayah=k.WILAYAH, batas_kewajaran=BATAS, katalog_jenis=kj,
                          katalog_mutu=k.KATALOG_MUTU)
    assert set(_flags(out, "jenis_hilang")["kode_jenis"]) == {"PDD-KK-01", "SOS-KK-01"}
    unknown = _flags(out, "jenis_tidak_dikenal")
    assert unknown["kode_jenis"].tolist() == ["KES-KK-09"] and unknown["tingkat"].iloc[0] == "galat"
    s2 = pd.concat([k.sasaran(), k.sasaran([("SOS-KK-01", 10, 5)])], ignore_index=True)
    out2 = q.check_jenis(s2, katalog_jenis=kj, katalog_mutu=k.KATALOG_MUTU)
    assert _flags(out2, "jenis_tanpa_butir")["kode_jenis"].tolist() == ["SOS-KK-01"]


def test_items_not_reported_or_not_in_catalogue():
    values = dict(k.TERSEDIA)
    del values["PDD-KK-01.02"]
    ket = pd.concat([k.ketersediaan(values), k.ketersediaan({"KES-KK-01.09": 3})], ignore_index=True)
    out = _all(ket=ket)
    miss = _flags(out, "butir_tidak_dilaporkan").iloc[0]
    assert (miss.kode_jenis, miss.kode_item) == ("PDD-KK-01", "PDD-KK-01.02")
    assert "kebutuhan 10" in miss.keterangan  # ceil(200 × 0,05)
    assert _flags(out, "butir_tidak_dikenal")["kode_item"].tolist() == ["KES-KK-01.09"]


def test_zero_and_empty_prices():
    harga = pd.concat([k.harga_satuan(), pd.DataFrame({"kode_wilayah": [k.KODE], "tahun": [k.TAHUN],
                                                       "kode_item": ["KES-KK-01.01"], "harga_satuan": [0]})],
                      ignore_index=True)
    out = _all(harga=harga)
    assert _flags(out, "harga_nol")[["kode_item", "tingkat"]].values.tolist() == [["KES-KK-01.01", "peringatan"]]
    assert _flags(out, "harga_kosong")["kode_item"].tolist() == ["PDD-KK-01.01"]


def test_sudden_jumps_year_to_year():
    s = pd.concat([k.sasaran(tahun=2023, rows=[("KES-KK-01", 1000, 900), ("KES-KK-02", 500, 10),
                                                ("PDD-KK-01", 0, 0)]),
                   k.sasaran(rows=[("KES-KK-01", 1600, 900), ("KES-KK-02", 520, 18), ("PDD-KK-01", 50, 40)])],
                  ignore_index=True)
    ket = pd.concat([k.ketersediaan(tahun=2023), k.ketersediaan()], ignore_index=True)
    out = _all(s, ket)
    jump = _flags(out, "lonjakan_sasaran").set_index("kode_jenis")
    # 1000 → 1600 = +60 % (> 50 %, ≥ 10 people); 500 → 520 = +4 % is normal
    assert jump.loc["KES-KK-01", "keterangan"] == ("Jumlah sasaran berubah dari 1.000 menjadi 1.600 (+60%) "
                                                   "dibanding tahun sebelumnya")
    assert jump.loc["KES-KK-01", "tingkat"] == "peringatan" and "KES-KK-02" not in jump.index
    # 0 → 50 is a jump too, but PDD-KK-01 is marked tidak_teratur in BATAS → only 'info'
    assert jump.loc["PDD-KK-01", "tingkat"] == "info" and "dari 0 menjadi 50 dibanding" in jump.loc["PDD-KK-01",
                                                                                                    "keterangan"]
    # terlayani 10 → 18 is +80 % but only 8 people (< selisih_minimal 10): no flag
    assert "KES-KK-02" not in set(_flags(out, "lonjakan_terlayani")["kode_jenis"])
    low = _flags(q.check_lonjakan(s, selisih_minimal=5, batas_kewajaran=BATAS), "lonjakan_terlayani")
    assert low["kode_jenis"].tolist() == ["KES-KK-02", "PDD-KK-01"]  # 10 → 18, and 0 → 40


def test_cumulative_quarter_must_not_fall():
    s = pd.concat([k.sasaran([("KES-KK-01", 1000, 450)]).assign(triwulan=2),
                   k.sasaran([("KES-KK-01", 1000, 400)]).assign(triwulan=3)], ignore_index=True)
    s["triwulan"] = s["triwulan"].astype("Int64")
    out = q.check_triwulan(s)
    assert out[["triwulan", "bendera"]].values.tolist() == [[3, "terlayani_turun_triwulan"]]
    assert q.check_triwulan(k.sasaran()).empty


def test_flags_are_reported_never_fixed():
    s = k.sasaran([("KES-KK-01", 1000, 900), ("KES-KK-02", 500, 600), ("PDD-KK-01", 200, 150)])
    before = s.copy()
    _all(s)
    pd.testing.assert_frame_equal(s, before)


@pytest.fixture(scope="module")
def demo():
    return demo_data.generate(["32.75", "19.71", "17.01", "32"], tahun=range(2021, 2026), masalah=True, triwulan=True)


def test_every_injected_problem_is_flagged(demo):
    out = q.check_quality(demo.sasaran, demo.ketersediaan, demo.harga_satuan)
    key = demo.masalah.rename(columns={"masalah": "bendera"})
    irregular = set(q.batas_kewajaran_bawaan().query("tidak_teratur == 1")["kode_jenis"])
    # a tripled sasaran right after a disaster spike is not a jump any rule can see: those are exempt
    key = key[~((key["bendera"] == "lonjakan_sasaran") & key["kode_jenis"].isin(irregular))]
    cols = ["kode_wilayah", "tahun", "kode_jenis", "kode_item", "bendera"]
    found = key.merge(out[cols].drop_duplicates(), on=cols, how="left", indicator=True)
    assert (found["_merge"] == "both").all(), found[found["_merge"] != "both"]
    assert set(key["bendera"]) >= {"terlayani_melebihi_sasaran", "jenis_hilang", "harga_nol", "terlayani_kosong"}
