"""Stage 3 (rencana pemenuhan): trajectories, costs and the pagu allocation worked out by hand (D4).

Base year 2024 of spm_kecil: capaian penerima 90 % (900/1000), 85 % (425/500), 75 % (150/200).
Cost per person (needs.biaya_per_orang): KES-KK-01 152.000; KES-KK-02 550.000 (SSH) + 0,5 × 100.000 = 600.000;
PDD-KK-01 2 × 40.000 + 0,05 × 50.000.000 = 2.580.000.
"""
from __future__ import annotations

import pandas as pd
import pytest
import spm_kecil as k
from hypothesis import given, settings
from hypothesis import strategies as st

from spm_helpers.engine import plan
from spm_helpers.errors import SPMDataError
from spm_helpers.reference import schemas

# keeping last year's people: 900 × 152.000 + 425 × 600.000 + 150 × 2.580.000 = 136,8 + 255 + 387 = 778,8 jt
PERTAHANKAN = 778_800_000
# reaching 100 %: +100 × 152.000 = 15,2 jt; +75 × 600.000 = 45 jt; +50 × 2.580.000 = 129 jt
PENUH = PERTAHANKAN + 15_200_000 + 45_000_000 + 129_000_000


def _plan(s=None, **kw):
    return plan.build_rencana(k.sasaran() if s is None else s, k.harga_satuan(), katalog_mutu=k.KATALOG_MUTU,
                              katalog_jenis=k.KATALOG_JENIS, **kw)


def _by(r, kode):
    return r.rencana[r.rencana["kode_jenis"] == kode].set_index("tahun_rencana")


def test_even_trajectory_people_and_cost():
    r = _plan()
    kes1, kes2, pdd = _by(r, "KES-KK-01"), _by(r, "KES-KK-02"), _by(r, "PDD-KK-01")
    # gap 10 closed in 5 equal steps: 92, 94, 96, 98, 100 → 920 … 1000 people × 152.000
    assert kes1["target_persen"].tolist() == pytest.approx([92, 94, 96, 98, 100])
    assert kes1["sasaran_dilayani"].tolist() == [920, 940, 960, 980, 1000]
    assert kes1.loc[2025, "biaya"] == 139_840_000 and kes1.loc[2029, "biaya"] == 152_000_000
    # 85 → 88 … 100: 440 … 500 people × 600.000; 75 → 80 … 100: 160 … 200 × 2.580.000
    assert kes2["sasaran_dilayani"].tolist() == [440, 455, 470, 485, 500]
    assert kes2.loc[2025, "biaya"] == 264_000_000
    assert pdd["sasaran_dilayani"].tolist() == [160, 170, 180, 190, 200] and pdd.loc[2025, "biaya"] == 412_800_000
    assert kes1["target_persen"].iloc[-1] == 100.0  # exactly
    ang = r.anggaran.set_index("tahun_rencana")
    assert ang.loc[2025, "biaya"] == 139_840_000 + 264_000_000 + 412_800_000 and pd.isna(ang.loc[2025, "pagu"])
    st_ = r.status.set_index("kode_jenis")
    assert (st_["tahun_tuntas"] == 2029).all() and (st_["keterangan"] == "tercapai tahun 2029").all()
    assert schemas.validate(r.rencana, "rencana") is not None
    assert kes1["opd"].iloc[0] == "Dinas Kesehatan" and kes1["nama_jenis"].iloc[0] == "Ibu hamil"


def test_front_loaded_trajectory():
    # share of the gap closed: 1 − (1 − k/5)²: 0,36 0,64 0,84 0,96 1 → 93,6 96,4 98,4 99,6 100
    kes1 = _by(_plan(metode="didepankan"), "KES-KK-01")
    assert kes1["target_persen"].tolist() == pytest.approx([93.6, 96.4, 98.4, 99.6, 100.0])
    assert kes1["sasaran_dilayani"].tolist() == [936, 964, 984, 996, 1000]


def test_sasaran_growth_and_price_rise():
    # sasaran +10 %/year: 1100 in 2025, ceil(92 % × 1100) = 1012 people; price +5 %: 152.000 × 1,05 = 159.600
    kes1 = _by(_plan(pertumbuhan_sasaran=0.10, kenaikan_harga=0.05), "KES-KK-01")
    assert kes1.loc[2025, "jumlah_sasaran"] == 1100 and kes1.loc[2025, "sasaran_dilayani"] == 1012
    assert kes1.loc[2025, "biaya"] == 1012 * 159_600


def test_pagu_partial_funding_by_priority():
    r = _plan(metode="pagu", pagu=PERTAHANKAN + 100_000_000)
    kes1, kes2, pdd = _by(r, "KES-KK-01"), _by(r, "KES-KK-02"), _by(r, "PDD-KK-01")
    # 2025: everyone kept, 100 jt left → PDD first (75 %, lowest): 387 jt + 100 jt = 487 jt buys
    # floor(487.000.000 / 2.580.000) = 188 people (485.040.000); the others stay
    assert pdd.loc[2025, "sasaran_dilayani"] == 188 and pdd.loc[2025, "biaya"] == 485_040_000
    assert pdd.loc[2025, "target_persen"] == pytest.approx(94.0) and pdd.loc[2025, "urutan_prioritas"] == 1
    assert kes2.loc[2025, "sasaran_dilayani"] == 425 and kes1.loc[2025, "sasaran_dilayani"] == 900
    ang = r.anggaran.set_index("tahun_rencana")
    assert ang.loc[2025, "biaya"] == 876_840_000 and ang.loc[2025, "sisa_pagu"] == 1_960_000
    # 2026: KES-KK-02 (85 %) is now lowest; the 1,96 jt left buys floor(256.960.000 / 600.000) = 428
    assert kes2.loc[2026, "sasaran_dilayani"] == 428 and kes2.loc[2026, "urutan_prioritas"] == 1
    assert (r.anggaran["biaya"] <= r.anggaran["pagu"]).all()
    st_ = r.status.set_index("kode_jenis")
    assert (st_["keterangan"] == plan.TIDAK_TERCAPAI).all() and st_["tahun_tuntas"].isna().all()
    # KES-KK-01 (90 %) never gets new money: it stays unfunded
    assert st_["didanai"].to_dict() == {"KES-KK-01": False, "KES-KK-02": True, "PDD-KK-01": True}


def test_pagu_reaches_100_and_reports_year():
    # 952,8 jt = keep + 129 jt (PDD to 100 %) + 45 jt (KES-KK-02 to 100 %); nothing left for KES-KK-01
    r = _plan(metode="pagu", pagu=PERTAHANKAN + 129_000_000 + 45_000_000)
    st_ = r.status.set_index("kode_jenis")
    assert st_.loc["PDD-KK-01", "tahun_tuntas"] == 2025 and st_.loc["KES-KK-02", "tahun_tuntas"] == 2025
    assert st_.loc["PDD-KK-01", "keterangan"] == "tercapai tahun 2025"
    assert pd.isna(st_.loc["KES-KK-01", "tahun_tuntas"]) and not st_.loc["KES-KK-01", "didanai"]
    assert st_.loc["KES-KK-01", "keterangan"] == "tidak tercapai dalam periode"
    assert (r.anggaran["sisa_pagu"] == 0).all()
    full = _plan(metode="pagu", pagu={2025: PENUH, 2026: PENUH, 2027: PENUH, 2028: PENUH, 2029: PENUH})
    assert (full.status["tahun_tuntas"] == 2025).all() and full.status["didanai"].all()


def test_pagu_below_running_cost_cuts_every_jenis_by_the_same_share():
    # half of 778,8 jt: each jenis keeps half its budget: 68,4 jt / 152.000 = 450; 127,5 jt / 600.000 = 212;
    # 193,5 jt / 2.580.000 = 75
    r = _plan(metode="pagu", pagu=PERTAHANKAN // 2)
    y = r.rencana[r.rencana["tahun_rencana"] == 2025].set_index("kode_jenis")["sasaran_dilayani"]
    assert y.to_dict() == {"KES-KK-01": 450, "KES-KK-02": 212, "PDD-KK-01": 75}
    assert (r.anggaran["biaya"] <= PERTAHANKAN // 2).all()


def test_jenis_without_sasaran_not_planned():
    r = _plan(k.sasaran([("KES-KK-01", 1000, 900), ("KES-KK-02", 0, 0), ("PDD-KK-01", 200, 150)]))
    assert "KES-KK-02" not in set(r.rencana["kode_jenis"])
    row = r.status.set_index("kode_jenis").loc["KES-KK-02"]
    assert row.keterangan.startswith("tidak direncanakan: tidak ada sasaran") and not row.didanai


def test_nothing_to_plan():
    for kw in ({}, {"metode": "pagu", "pagu": 10}):
        r = _plan(k.sasaran([("KES-KK-01", 0, 0)]), **kw)
        assert r.rencana.empty and r.anggaran.empty and len(r.status) == 1
        assert plan.tabel_rpjmd(r).empty and plan.tabel_rkpd(r, 2025).empty


def test_baseline_already_full():
    r = _plan(k.sasaran([("KES-KK-01", 1000, 1000)]))
    row = r.status.iloc[0]
    assert row.tahun_tuntas == 2024 and row.keterangan == "sudah 100% pada tahun dasar"
    assert (r.rencana["target_persen"] == 100.0).all()


def test_base_year_from_quarterly_input():
    s = pd.concat([k.sasaran([("KES-KK-01", 1000, 500)]).assign(triwulan=2),
                   k.sasaran([("KES-KK-01", 1000, 900)]).assign(triwulan=4)], ignore_index=True)
    s["triwulan"] = s["triwulan"].astype("Int64")
    r = _plan(s)
    assert r.status.iloc[0].capaian_awal == 90.0  # triwulan 4 = the whole year when no annual row exists


def test_document_tables():
    r = _plan()
    rp = plan.tabel_rpjmd(r).set_index("kode_jenis")
    assert list(rp.columns[rp.columns.get_loc("kondisi_awal"):]) == [
        "kondisi_awal", "target_2025", "biaya_2025", "target_2026", "biaya_2026", "target_2027", "biaya_2027",
        "target_2028", "biaya_2028", "target_2029", "biaya_2029", "kondisi_akhir", "total_biaya"]
    # (920 + 940 + 960 + 980 + 1000) × 152.000 = 4.800 × 152.000 = 729.600.000
    assert rp.loc["KES-KK-01", "total_biaya"] == 729_600_000
    assert rp.loc["KES-KK-01", "kondisi_awal"] == 90.0 and rp.loc["KES-KK-01", "kondisi_akhir"] == 100.0
    ren = plan.tabel_renstra(r, opd="Dinas Kesehatan")
    assert set(ren["kode_jenis"]) == {"KES-KK-01", "KES-KK-02"} and "sasaran_dilayani_2027" in ren.columns
    rk = plan.tabel_rkpd(r, 2025)
    assert len(rk) == 3 and rk["biaya"].sum() == 816_640_000
    rj = plan.tabel_renja(r, 2025, "Dinas Pendidikan")
    assert rj["kode_jenis"].tolist() == ["PDD-KK-01"] and rj["sasaran_dilayani"].tolist() == [160]


def test_bad_parameters():
    with pytest.raises(ValueError):
        _plan(metode="pagu")
    with pytest.raises(ValueError):
        _plan(metode="cepat")
    with pytest.raises(SPMDataError) as err:
        _plan(metode="pagu", pagu=pd.DataFrame({"kode_wilayah": ["32.01"], "pagu": [1]}))
    assert len(err.value.problems) == 5  # 32.75 has no pagu in any of the 5 years
    with pytest.raises(SPMDataError):
        _plan(metode="pagu", pagu=-1)
    with pytest.raises(SPMDataError):
        _plan(tahun_dasar=2020)


# ----------------------------------------------------------------------------- properties
pairs = st.integers(1, 5000).flatmap(lambda n: st.tuples(st.just(n), st.integers(0, n)))


def _random_sasaran(rows):
    jenis = ["KES-KK-01", "KES-KK-02", "PDD-KK-01"]
    return pd.concat([k.sasaran([(j, *rows[3 * r + i]) for i, j in enumerate(jenis)], kode=kode)
                      for r, kode in enumerate(["32.01", "32.75"])], ignore_index=True)


@settings(max_examples=25, deadline=None)
@given(st.lists(pairs, min_size=6, max_size=6), st.sampled_from(["merata", "didepankan"]), st.integers(1, 8))
def test_unconstrained_plans_end_at_100(rows, metode, lama):
    r = _plan(_random_sasaran(rows), metode=metode, lama=lama)
    last = r.rencana[r.rencana["tahun_rencana"] == 2024 + lama]
    assert (last["target_persen"] == 100.0).all() and len(last) == 6
    assert (last["sasaran_dilayani"] == last["jumlah_sasaran"]).all()
    steps = r.rencana.groupby(["kode_wilayah", "kode_jenis"])["target_persen"]
    assert steps.apply(lambda s: s.is_monotonic_increasing).all()
    assert (r.rencana["target_persen"] >= r.rencana["capaian_awal"] - 1e-9).all()


@settings(max_examples=30, deadline=None)
@given(st.lists(pairs, min_size=6, max_size=6), st.lists(st.integers(0, 3_000_000_000), min_size=2, max_size=2),
       st.floats(0, 0.2), st.floats(0, 0.1))
def test_pagu_is_never_exceeded(rows, pagus, growth, inflation):
    pagu = pd.DataFrame({"kode_wilayah": ["32.01", "32.75"], "pagu": pagus})
    r = _plan(_random_sasaran(rows), metode="pagu", pagu=pagu, pertumbuhan_sasaran=growth,
              kenaikan_harga=inflation)
    assert (r.anggaran["biaya"] <= r.anggaran["pagu"]).all()
    assert (r.rencana["sasaran_dilayani"] <= r.rencana["jumlah_sasaran"]).all()
    assert (r.rencana["sasaran_dilayani"] >= 0).all()


@settings(max_examples=10, deadline=None)
@given(st.randoms(use_true_random=False), st.sampled_from(["merata", "pagu"]))
def test_plan_does_not_depend_on_row_order(rnd, metode):
    s = _random_sasaran([(1000, 900), (500, 425), (200, 150), (800, 100), (300, 290), (50, 10)])
    kw = {"metode": metode, "pagu": 900_000_000 if metode == "pagu" else None}
    a, b = _plan(s, **kw), _plan(k.acak(s, rnd), **kw)
    for tab in ("rencana", "status", "anggaran"):
        pd.testing.assert_frame_equal(getattr(a, tab), getattr(b, tab))
