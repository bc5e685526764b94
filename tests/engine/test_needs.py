"""Stage 2 (penghitungan kebutuhan): worked examples by hand and properties of the formulas (D2)."""
from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
import spm_kecil as k
from hypothesis import given, settings
from hypothesis import strategies as st

from spm_helpers.engine import needs
from spm_helpers.errors import SPMDataError
from spm_helpers.reference import schemas


def _keb(**kw):
    return needs.compute_kebutuhan(k.sasaran(), k.ketersediaan(), k.harga_satuan(), katalog_mutu=k.KATALOG_MUTU,
                                   **kw)


def _row(df, item):
    return df[df["kode_item"] == item].iloc[0]


def test_reference_synthetic_example_5_2():
    # spm-reference §5.2: sasaran 1000, item need 1000 (1 per person), available 700 → gap 300;
    # 300 × Rp 150.000 = Rp 45.000.000
    mutu = k.KATALOG_MUTU[k.KATALOG_MUTU["kode_item"] == "KES-KK-01.01"]
    out = needs.compute_kebutuhan(k.sasaran([("KES-KK-01", 1000, 900)]),
                                  k.ketersediaan({"KES-KK-01.01": 700}), katalog_mutu=mutu)
    r = out.iloc[0]
    assert (r.kebutuhan, r.tersedia, r.kekurangan, r.surplus, r.harga_satuan, r.biaya) == \
        (1000, 700, 300, 0, 150_000, 45_000_000)
    assert r.sumber_harga == needs.HARGA_ACUAN


def test_worked_example_every_item():
    out = _keb()
    assert len(out) == 6 and list(out["kode_item"]) == sorted(k.TERSEDIA)
    # KES-KK-01.02: ceil(1000 × 0,1) = 100, all of it available → no shortfall, no surplus
    r = _row(out, "KES-KK-01.02")
    assert (r.kebutuhan, r.tersedia, r.kekurangan, r.surplus, r.biaya) == (100, 100, 0, 0, 0)
    # KES-KK-02.01: need 500 × 1 = 500, has 400 → 100 short × SSH Rp 550.000 = Rp 55.000.000
    r = _row(out, "KES-KK-02.01")
    assert (r.kebutuhan, r.kekurangan, r.harga_satuan, r.biaya) == (500, 100, 550_000, 55_000_000)
    assert r.sumber_harga == needs.SSH_DAERAH
    # KES-KK-02.02: need ceil(500 × 0,5) = 250, has 300 → surplus 50, no negative need, cost 0
    r = _row(out, "KES-KK-02.02")
    assert (r.kebutuhan, r.kekurangan, r.surplus, r.biaya) == (250, 0, 50, 0)
    # PDD-KK-01.01: SSH row empty → catalogue Rp 40.000; need 400, has 300 → 100 × 40.000 = 4.000.000
    r = _row(out, "PDD-KK-01.01")
    assert (r.kebutuhan, r.kekurangan, r.harga_satuan, r.biaya) == (400, 100, 40_000, 4_000_000)
    assert r.sumber_harga == needs.HARGA_ACUAN
    # PDD-KK-01.02: need ceil(200 × 0,05) = 10, has 5 → 5 × 50.000.000 = 250.000.000
    assert _row(out, "PDD-KK-01.02").biaya == 250_000_000
    assert schemas.validate(out, "kebutuhan") is not None
    for c in ("kebutuhan", "tersedia", "kekurangan", "surplus", "harga_satuan", "biaya"):
        assert str(out[c].dtype) == "Int64"


def test_ceil_keeps_real_fractions_and_drops_binary_noise():
    # 100 × 0,07 is 7.000000000000001 in binary → 7, not 8; 3 × 0,05 = 0,15 → 1 (a real fraction rounds up)
    mutu = k.KATALOG_MUTU.assign(jumlah_per_sasaran=[1.0, 0.07, 1.0, 0.5, 2.0, 0.05])
    assert 100 * 0.07 > 7
    out = needs.compute_kebutuhan(k.sasaran([("KES-KK-01", 100, 1), ("PDD-KK-01", 3, 1)]), katalog_mutu=mutu)
    assert _row(out, "KES-KK-01.02").kebutuhan == 7
    assert _row(out, "PDD-KK-01.02").kebutuhan == 1


def test_rollups_per_jenis_bidang_opd_wilayah():
    keb = _keb()
    jenis = needs.summarize_kebutuhan(keb, "jenis", katalog_jenis=k.KATALOG_JENIS).set_index("kode_jenis")
    # KES-KK-01: 45.000.000 + 0; KES-KK-02: 55.000.000 + 0; PDD-KK-01: 4.000.000 + 250.000.000
    assert jenis["biaya"].to_dict() == {"KES-KK-01": 45_000_000, "KES-KK-02": 55_000_000, "PDD-KK-01": 254_000_000}
    assert jenis["jumlah_butir_kurang"].to_dict() == {"KES-KK-01": 1, "KES-KK-02": 1, "PDD-KK-01": 2}
    bidang = needs.summarize_kebutuhan(keb, "bidang", katalog_jenis=k.KATALOG_JENIS).set_index("kode_bidang")
    assert bidang["biaya"].to_dict() == {"KES": 100_000_000, "PDD": 254_000_000}
    assert bidang.loc["KES", "bidang"] == "Kesehatan" and bidang.loc["KES", "jumlah_jenis"] == 2
    opd = needs.summarize_kebutuhan(keb, "opd", katalog_jenis=k.KATALOG_JENIS).set_index("opd_pengampu")
    assert opd["biaya"].to_dict() == {"Dinas Kesehatan": 100_000_000, "Dinas Pendidikan": 254_000_000}
    wil = needs.summarize_kebutuhan(keb, "wilayah", katalog_jenis=k.KATALOG_JENIS)
    assert wil["biaya"].tolist() == [354_000_000] and wil["jumlah_butir"].tolist() == [6]
    assert str(wil["biaya"].dtype) == "Int64"
    with pytest.raises(ValueError):
        needs.summarize_kebutuhan(keb, "kecamatan", katalog_jenis=k.KATALOG_JENIS)


def test_missing_ketersediaan_is_na_not_zero_and_counted():
    values = dict(k.TERSEDIA)
    del values["PDD-KK-01.02"]
    out = needs.compute_kebutuhan(k.sasaran(), k.ketersediaan(values), katalog_mutu=k.KATALOG_MUTU)
    r = _row(out, "PDD-KK-01.02")
    assert r.kebutuhan == 10 and pd.isna(r.tersedia) and pd.isna(r.kekurangan) and pd.isna(r.biaya)
    rek = needs.summarize_kebutuhan(out, "jenis", katalog_jenis=k.KATALOG_JENIS).set_index("kode_jenis")
    # only the known item is summed (100 × 40.000) and the unknown one is counted, not hidden
    assert rek.loc["PDD-KK-01", "biaya"] == 4_000_000 and rek.loc["PDD-KK-01", "jumlah_butir_tanpa_data"] == 1


def test_sasaran_zero_needs_nothing_and_costs_zero():
    # D3: sasaran 0 → kebutuhan ceil(0 × 1) = 0, so nothing is missing and the cost is 0, not unknown, even when
    # the region reported no stock for the item (no spurious "butir belum memiliki data")
    out = needs.compute_kebutuhan(k.sasaran([("KES-KK-02", 0, 0)]), k.ketersediaan({"KES-KK-01.01": 1}),
                                  katalog_mutu=k.KATALOG_MUTU)
    assert (out["kebutuhan"] == 0).all() and (out["kekurangan"] == 0).all() and (out["biaya"] == 0).all()
    assert out["tersedia"].isna().all() and out["surplus"].isna().all()  # the stock itself stays unknown
    rek = needs.summarize_kebutuhan(out, "jenis", katalog_jenis=k.KATALOG_JENIS)
    assert rek["jumlah_butir_tanpa_data"].tolist() == [0]


def test_sasaran_na_gives_na_need():
    s = k.sasaran()
    s.loc[0, "jumlah_sasaran"] = pd.NA
    out = needs.compute_kebutuhan(s, k.ketersediaan(), katalog_mutu=k.KATALOG_MUTU)
    assert out[out["kode_jenis"] == "KES-KK-01"]["kebutuhan"].isna().all()


def test_biaya_per_orang_definition():
    keb = _keb()
    bpo = needs.biaya_per_orang(keb).set_index("kode_jenis")["biaya_per_orang"]
    # Σ jumlah_per_sasaran × harga: 1×150.000 + 0,1×20.000 = 152.000; 1×550.000 (SSH) + 0,5×100.000 = 600.000;
    # 2×40.000 + 0,05×50.000.000 = 2.580.000
    assert bpo.to_dict() == pytest.approx({"KES-KK-01": 152_000, "KES-KK-02": 600_000, "PDD-KK-01": 2_580_000})


def test_quarterly_rows_use_quarterly_stock_else_annual():
    s = pd.concat([k.sasaran().assign(triwulan=pd.NA), k.sasaran().assign(triwulan=2)], ignore_index=True)
    s["triwulan"] = s["triwulan"].astype("Int64")
    ket = pd.concat([k.ketersediaan().assign(triwulan=pd.NA),
                     k.ketersediaan({"KES-KK-01.01": 350}).assign(triwulan=2)], ignore_index=True)
    ket["triwulan"] = ket["triwulan"].astype("Int64")
    out = needs.compute_kebutuhan(s, ket, katalog_mutu=k.KATALOG_MUTU)
    q2 = out[out["triwulan"] == 2].set_index("kode_item")
    assert q2.loc["KES-KK-01.01", "tersedia"] == 350  # reported for the quarter
    assert q2.loc["KES-KK-01.02", "tersedia"] == 100  # not reported for the quarter: the year's stock
    annual = out[out["triwulan"].isna()].set_index("kode_item")
    assert annual.loc["KES-KK-01.01", "tersedia"] == 700
    # quarters come before the annual row of the same year
    assert out["triwulan"].iloc[0] == 2 and pd.isna(out["triwulan"].iloc[-1])


def test_bad_input_reports_every_problem():
    s = pd.concat([k.sasaran(), k.sasaran().iloc[[0, 1]]], ignore_index=True)
    with pytest.raises(SPMDataError) as err:
        needs.compute_kebutuhan(s, katalog_mutu=k.KATALOG_MUTU)
    assert len(err.value.problems) == 4 and "baris ganda" in err.value.problems[0].alasan
    with pytest.raises(SPMDataError) as err:
        needs.compute_kebutuhan(k.sasaran().drop(columns=["jumlah_sasaran", "tahun"]), katalog_mutu=k.KATALOG_MUTU)
    assert {p.kolom for p in err.value.problems} == {"jumlah_sasaran", "tahun"}
    ket = pd.concat([k.ketersediaan(), k.ketersediaan().iloc[[2]]], ignore_index=True)
    with pytest.raises(SPMDataError, match="ketersediaan"):
        needs.compute_kebutuhan(k.sasaran(), ket, katalog_mutu=k.KATALOG_MUTU)
    bad = k.sasaran().assign(tahun=pd.array([2024, pd.NA, 2024], dtype="Int64"), triwulan=pd.array([1, 2, 7]))
    with pytest.raises(SPMDataError) as err:
        needs.compute_kebutuhan(bad, katalog_mutu=k.KATALOG_MUTU)
    # both problems at once: row 3 (header is row 1) has no tahun, row 4 has triwulan 7
    assert [(p.kolom, p.baris) for p in err.value.problems] == [("tahun", 3), ("triwulan", 4)]


def test_uses_packaged_catalogue_by_default():
    out = needs.compute_kebutuhan(k.sasaran([("KES-KK-01", 100, 90)]))
    assert len(out) > 0 and out["kode_item"].str.startswith("KES-KK-01.").all()
    assert out["harga_satuan"].notna().all()


# ----------------------------------------------------------------------------- properties
counts = st.integers(min_value=0, max_value=200_000)


@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(counts, counts, counts, st.integers(1, 5_000_000)), min_size=6, max_size=6))
def test_cost_is_zero_exactly_when_no_shortfall(rows):
    sas = k.sasaran([(j, rows[i][0], 0) for i, j in enumerate(["KES-KK-01", "KES-KK-02", "PDD-KK-01"])])
    ket = k.ketersediaan({item: rows[i][1] for i, item in enumerate(k.TERSEDIA)})
    harga = pd.DataFrame({"kode_wilayah": k.KODE, "tahun": k.TAHUN, "kode_item": list(k.TERSEDIA),
                          "harga_satuan": pd.array([r[3] for r in rows], dtype="Int64")})
    out = needs.compute_kebutuhan(sas, ket, harga, katalog_mutu=k.KATALOG_MUTU)
    assert ((out["biaya"] == 0) == (out["kekurangan"] == 0)).all()
    assert (out["kekurangan"] >= 0).all() and (out["surplus"] >= 0).all()
    assert ((out["kekurangan"] == 0) | (out["surplus"] == 0)).all()
    assert (out["kekurangan"] - out["surplus"] == out["kebutuhan"] - out["tersedia"]).all()


@settings(max_examples=15, deadline=None)
@given(st.randoms(use_true_random=False))
def test_result_does_not_depend_on_row_order(rnd):
    s, ket = k.dua_wilayah_dua_tahun()
    base = needs.compute_kebutuhan(s, ket, k.harga_satuan(), katalog_mutu=k.KATALOG_MUTU)
    shuffled = needs.compute_kebutuhan(k.acak(s, rnd), k.acak(ket, rnd), k.harga_satuan(),
                                       katalog_mutu=k.acak(k.KATALOG_MUTU, rnd))
    pd.testing.assert_frame_equal(base, shuffled)


def test_vectorised_equals_per_region_calls():
    s = pd.concat([k.sasaran(kode=c) for c in ("32.01", "32.02", "32.75")], ignore_index=True)
    s["jumlah_sasaran"] = pd.array(np.arange(len(s)) * 37 + 11, dtype="Int64")
    ket = pd.concat([k.ketersediaan(kode=c) for c in ("32.01", "32.02", "32.75")], ignore_index=True)
    whole = needs.compute_kebutuhan(s, ket, katalog_mutu=k.KATALOG_MUTU)
    parts = pd.concat([needs.compute_kebutuhan(s[s.kode_wilayah == c], ket[ket.kode_wilayah == c],
                                               katalog_mutu=k.KATALOG_MUTU) for c in ("32.01", "32.02", "32.75")],
                      ignore_index=True)
    pd.testing.assert_frame_equal(whole, parts)


def test_region_without_any_stock_or_price_rows_gives_unknown_not_a_crash():
    """Regression: a region that reported no ketersediaan/harga rows at all used to raise IndexError."""
    from spm_helpers.engine.needs import compute_kebutuhan
    from spm_helpers.inputs import demo

    data = demo.generate(["64.11"], [2025])
    empty_k = data.ketersediaan.iloc[0:0]
    empty_h = data.harga_satuan.iloc[0:0]
    out = compute_kebutuhan(data.sasaran, empty_k, empty_h)
    assert len(out) and out["tersedia"].isna().all()
    # unknown wherever something is needed; items of a jenis with sasaran 0 need nothing: 0, not unknown (D3)
    zero = out["kebutuhan"] == 0
    assert out.loc[~zero, "kekurangan"].isna().all() and (out.loc[zero, "biaya"] == 0).all()
    assert (out["sumber_harga"] == "harga acuan katalog").all()
