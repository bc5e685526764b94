"""Sasaran estimated from population (D10): every band split and every births-/prevalence-based figure of a
small age table worked by hand, properties of the interpolation (never negative, years add up to the group,
scaling population scales the estimates), the side-by-side comparison and adopting estimates."""
from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from spm_helpers.engine import sasaran_estimate as se
from spm_helpers.errors import SPMDataError
from spm_helpers.inputs import population as pop

# A small kab/kota table, people per 5-year group (0–4 … 70–74, 75+).
LAKI = [500, 450, 400, 350, 300, 300, 300, 300, 250, 250, 200, 200, 150, 100, 50, 50]  # sum 4.150
PEREMPUAN = [480, 450, 400, 350, 300, 300, 300, 300, 250, 250, 200, 200, 150, 100, 50, 70]  # sum 4.150
# total 8.300


def tabel(laki=LAKI, perempuan=PEREMPUAN, kode="17.01", tahun=2026) -> pd.DataFrame:
    rows = [(kode, tahun, g, jk, n) for jk, col in (("L", laki), ("P", perempuan))
            for g, n in zip(pop.KELOMPOK_UMUR, col)]
    return pd.DataFrame(rows, columns=["kode_wilayah", "tahun", "kelompok_umur", "jenis_kelamin", "jumlah"])


def perkiraan(df=None, **kw) -> pd.Series:
    out = se.perkirakan_sasaran(tabel() if df is None else df, **kw)
    return out.set_index("kode_jenis")


def test_single_years_by_hand():
    # Per-year counts d = group / 5. Laki-laki: d = 100, 90, 80, 70, 60 …
    # 0–4 (one-sided): slope (90 − 100) / 5 = −2 → ages 0..4 = 100 + (−2)(−2, −1, 0, 1, 2) = 104, 102, 100, 98, 96
    # 5–9: slope (80 − 100) / 10 = −2 → 94, 92, 90, 88, 86;  10–14: (70 − 90) / 10 = −2 → 84, 82, 80, 78, 76
    # 15–19: (60 − 80) / 10 = −2 → 74, 72, 70, 68, 66
    s = se.split_single_years(np.array([LAKI]))[0]
    assert s[:20].tolist() == pytest.approx([104, 102, 100, 98, 96, 94, 92, 90, 88, 86, 84, 82, 80, 78, 76,
                                             74, 72, 70, 68, 66])
    assert s[75] == 50  # the open group 75+ is not split
    # Perempuan 0–4 = 480: d = 96, slope (90 − 96) / 5 = −1,2 → 98,4  97,2  96  94,8  93,6
    # 5–9: slope (80 − 96) / 10 = −1,6 → 93,2  91,6  90  88,4  86,8
    p = se.split_single_years(np.array([PEREMPUAN]))[0]
    assert p[:10].tolist() == pytest.approx([98.4, 97.2, 96, 94.8, 93.6, 93.2, 91.6, 90, 88.4, 86.8])


def test_slope_is_clipped_so_no_year_is_negative():
    # groups 1.000, 100, 0: 5–9 has d = 20, slope (0 − 200) / 10 = −20, clipped to −d/2 = −10
    # → 20 + (−10)(−2 … 2) = 40, 30, 20, 10, 0 (sum 100); 0–4: d = 200, slope (20 − 200)/5 = −36 (|36| < 100)
    # → 272, 236, 200, 164, 128 (sum 1.000)
    g = np.zeros((1, 16))
    g[0, :2] = [1000, 100]
    s = se.split_single_years(g)[0]
    assert s[:10].tolist() == pytest.approx([272, 236, 200, 164, 128, 40, 30, 20, 10, 0])


def test_every_kabkota_figure_by_hand():
    e = perkiraan()
    assert len(e) == 29 and e.loc["KES-KK-01", "penduduk_total"] == 8300
    got = e["perkiraan"].to_dict()
    # age bands (single years from test_single_years_by_hand)
    assert got["PDD-KK-01"] == 371  # 5–6: L 94 + 92 = 186; P 93,2 + 91,6 = 184,8; 370,8
    assert e.loc["PDD-KK-01", "perkiraan_laki"] == pytest.approx(186)
    assert e.loc["PDD-KK-01", "perkiraan_perempuan"] == pytest.approx(184.8)
    # 7–15: L 90 + 88 + 86 + 400 (10–14) + 74 (umur 15) = 738; P 90 + 88,4 + 86,8 + 400 + 74 = 739,2; 1.477,2
    assert got["PDD-KK-02"] == 1477 and got["KES-KK-05"] == 1477
    assert got["KES-KK-04"] == 980  # 0–59 bulan = 0–4: 500 + 480
    assert got["KES-KK-06"] == 4900  # 15–59: (350 + 4×300 + 2×250 + 2×200) × 2 = 2.450 × 2
    assert got["KES-KK-07"] == 720  # ≥ 60: L 150+100+50+50 = 350; P 150+100+50+70 = 370
    # prevalence of a band: 7–18 = 7–15 (L 738, P 739,2) + 16–18 (72 + 70 + 68 = 210 each) = 1.897,2 × 2% = 37,944
    assert got["PDD-KK-03"] == 38 and e.loc["PDD-KK-03", "perkiraan_tepat"] == pytest.approx(37.944)
    # ≥ 15: L 2.450 + 350 = 2.800; P 2.450 + 370 = 2.820; 5.620
    assert got["KES-KK-08"] == 1916  # 34,1% × 5.620 = 1.916,42
    assert got["KES-KK-09"] == 112  # 2% × 5.620 = 112,4
    # births-based, CBR 17‰ × 8.300 = 141,1
    assert got["KES-KK-01"] == 155  # 1,1 × 141,1 = 155,21
    assert got["KES-KK-02"] == 148  # 1,05 × 141,1 = 148,155
    assert got["KES-KK-03"] == 141
    assert e.loc["KES-KK-01", "pengali"] == pytest.approx(0.0187)
    # prevalence of population / households
    assert got["KES-KK-10"] == 15  # 8.300 ÷ 4 = 2.075 rumah tangga × 0,7% = 14,525 → 15 (pembulatan ke atas dari ,5)
    assert got["KES-KK-11"] == 33  # 0,4% × 8.300 = 33,2
    assert got["KES-KK-12"] == 208  # 2,5% × 8.300 = 207,5 → 208
    assert got["PU-KK-01"] == 1494 and got["PU-KK-02"] == 1826  # 18% and 22% of 8.300
    assert got["TRB-KK-02"] == 2490 and got["TRB-KK-03"] == 2490  # 30% of 8.300 in hazard zones
    cannot = [k for k, v in got.items() if pd.isna(v)]
    assert sorted(cannot) == ["PRM-KK-01", "PRM-KK-02", "SOS-KK-01", "SOS-KK-02", "SOS-KK-03", "SOS-KK-04",
                              "SOS-KK-05", "TRB-KK-01", "TRB-KK-04", "TRB-KK-05"]
    assert (e.loc[cannot, "keterangan_metode"] == "tidak dapat diperkirakan dari penduduk").all()
    assert e.loc["KES-KK-01", "dasar_perhitungan"] == "1,1 × CBR (17‰) × jumlah penduduk"
    assert e.loc["PDD-KK-01", "dasar_perhitungan"] == "penduduk usia 5–6 tahun"
    assert set(e["status"]) == {"perlu_verifikasi"} and e["sumber"].notna().all()


def test_provinsi_figures_by_hand():
    e = perkiraan(tabel(kode="17"))
    assert len(e) == 14
    assert e.loc["PDD-PROV-01", "perkiraan"] == 420  # 16–18: (72 + 70 + 68) × 2
    # 4–18 × 1,5%: L 96 (umur 4) + 450 + 400 + 284 (15–18: 74+72+70+68) = 1.230;
    # P 93,6 + 450 + 400 + 284 = 1.227,6; 2.457,6 × 0,015 = 36,864
    assert e.loc["PDD-PROV-02", "perkiraan_tepat"] == pytest.approx(36.864)
    assert e.loc["PDD-PROV-02", "perkiraan"] == 37
    assert e["perkiraan"].isna().sum() == 12


def test_sex_specific_band():
    # perempuan 30–50: 300 + 300 + 250 + 250 + umur 50 (50–54: d 40, slope (40 − 50)/10 = −1 → 40 + 2 = 42) = 1.142
    m = se.metode_bawaan()
    m = m[m["kode_jenis"] == "KES-KK-06"].assign(umur_min=30, umur_max=50, jenis_kelamin="P")
    e = perkiraan(metode=m)
    assert e.loc["KES-KK-06", "perkiraan_tepat"] == pytest.approx(1142)
    assert e.loc["KES-KK-06", "perkiraan_laki"] == 0
    assert e.loc["KES-KK-06", "dasar_perhitungan"] == "penduduk perempuan usia 30–50 tahun"


def test_single_year_rows_are_used_as_given_and_kecamatan_summed():
    rows = []
    for kec in ("Manna", "Pino"):
        for jk in ("L", "P"):
            rows += [("17.01", 2026, kec, str(a), jk, 10) for a in range(75)]
            rows.append(("17.01", 2026, kec, "75+", jk, 5))
    df = pd.DataFrame(rows, columns=pop.KOLOM_PENDUDUK)
    e = perkiraan(df)
    assert e.loc["PDD-KK-01", "perkiraan"] == 80  # 2 ages × 10 × 2 sexes × 2 kecamatan
    assert e.loc["KES-KK-07", "perkiraan"] == 15 * 10 * 4 + 5 * 4  # 60–74 and 75+
    assert e.loc["KES-KK-01", "penduduk_total"] == (75 * 10 + 5) * 4


def test_parameters_are_data():
    p = se.parameter_bawaan()
    p.loc[p["parameter"] == "cbr", "nilai"] = 0.02
    e = perkiraan(parameter=p)
    assert e.loc["KES-KK-03", "perkiraan"] == 166  # 0,02 × 8.300
    assert e.loc["KES-KK-03", "dasar_perhitungan"] == "CBR (20‰) × jumlah penduduk"
    with pytest.raises(SPMDataError, match="parameter perkiraan tidak ada"):
        perkiraan(parameter=p[p["parameter"] != "cbr"])


def test_bad_labels_are_refused():
    df = tabel()
    df.loc[3, "kelompok_umur"] = "remaja"
    with pytest.raises(SPMDataError, match="kelompok umur tidak dikenal"):
        se.perkirakan_sasaran(df)
    df = tabel()
    df.loc[3, "kelompok_umur"] = "15-24"
    with pytest.raises(SPMDataError, match="bukan kelompok 5 tahun"):
        se.perkirakan_sasaran(df)


# ----------------------------------------------------------------------------- properties
groups = st.lists(st.integers(0, 200_000), min_size=16, max_size=16)


@settings(max_examples=60, deadline=None)
@given(groups, groups)
def test_estimates_never_negative(laki, perempuan):
    e = se.perkirakan_sasaran(tabel(laki, perempuan))
    known = e["perkiraan_tepat"].dropna()
    assert (known >= 0).all() and (e["perkiraan"].dropna() >= 0).all()
    assert (e["perkiraan_laki"].dropna() >= 0).all() and (e["perkiraan_perempuan"].dropna() >= 0).all()


@settings(max_examples=100, deadline=None)
@given(st.lists(groups, min_size=1, max_size=5))
def test_single_years_add_up_to_their_group_and_are_never_negative(rows):
    g = np.array(rows, dtype=float)
    s = se.split_single_years(g)
    assert (s >= -1e-9).all()
    back = np.concatenate([s[:, :75].reshape(len(g), 15, 5).sum(axis=2), s[:, 75:]], axis=1)
    np.testing.assert_allclose(back, g, rtol=1e-12, atol=1e-6)


@settings(max_examples=60, deadline=None)
@given(groups, groups, st.integers(2, 40))
def test_scaling_population_scales_the_estimates(laki, perempuan, k):
    a = se.perkirakan_sasaran(tabel(laki, perempuan))
    b = se.perkirakan_sasaran(tabel([k * x for x in laki], [k * x for x in perempuan]))
    np.testing.assert_allclose(b["perkiraan_tepat"].to_numpy(dtype=float), k * a["perkiraan_tepat"].to_numpy(dtype=float),
                               rtol=1e-9, atol=1e-6)


# ----------------------------------------------------------------------------- side by side, adopting
def _sasaran(rows):
    return pd.DataFrame(rows, columns=["kode_wilayah", "tahun", "kode_jenis", "jumlah_sasaran", "jumlah_terlayani"])


def test_side_by_side_and_large_gap():
    e = se.perkirakan_sasaran(tabel())
    s = _sasaran([("17.01", 2026, "KES-KK-01", 160, 150),  # 160 − 155 = +5; 100 × (160 − 155,21) / 155,21 = 3,1%
                  ("17.01", 2026, "KES-KK-04", 2000, 1500),  # 2.000 − 980 = +1.020 (+104%): large
                  ("17.01", 2026, "KES-KK-10", 40, 10),  # +25 people, +175%: large
                  ("17.01", 2026, "KES-KK-11", 45, 10),  # +12 people, +35,5%: below 50%
                  ("17.01", 2026, "SOS-KK-01", 12, 12)])
    b = se.bandingkan(e, s).set_index("kode_jenis")
    assert b.loc["KES-KK-01", "selisih"] == 5 and b.loc["KES-KK-01", "selisih_persen"] == pytest.approx(3.0862, 1e-3)
    assert not b.loc["KES-KK-01", "jauh"]
    assert b.loc["KES-KK-04", "selisih"] == 1020 and b.loc["KES-KK-04", "jauh"]
    assert b.loc["KES-KK-10", "jauh"] and not b.loc["KES-KK-11", "jauh"]
    assert b.loc["SOS-KK-01", "keadaan"] == "tidak dapat diperkirakan" and not b.loc["SOS-KK-01", "jauh"]
    assert b.loc["KES-KK-02", "keadaan"] == "tidak dilaporkan" and b.loc["KES-KK-02", "jumlah_sasaran"] is pd.NA
    # a gap below selisih_minimal (10 people) is not flagged even when the share is large: 20 vs 33,2 = −40%…
    small = se.bandingkan(e, _sasaran([("17.01", 2026, "KES-KK-11", 26, 1)])).set_index("kode_jenis")
    assert small.loc["KES-KK-11", "selisih"] == -7 and not small.loc["KES-KK-11", "jauh"]


def test_adopting_fills_only_jenis_without_a_report():
    e = se.perkirakan_sasaran(tabel())
    s = _sasaran([("17.01", 2026, "KES-KK-01", 160, 150), ("17.01", 2026, "KES-KK-04", pd.NA, 700)])
    s["sumber_data"] = "formulir OPD"
    new, adopted = se.pakai_perkiraan(s, e)
    got = new.set_index("kode_jenis")
    assert got.loc["KES-KK-01", "jumlah_sasaran"] == 160  # reported: kept
    assert got.loc["KES-KK-01", "sumber_data"] == "formulir OPD"
    assert got.loc["KES-KK-04", "jumlah_sasaran"] == 980 and got.loc["KES-KK-04", "jumlah_terlayani"] == 700
    assert got.loc["KES-KK-04", "sumber_data"] == "perkiraan dari penduduk (metode pemecahan kelompok umur)"
    assert got.loc["KES-KK-03", "sumber_data"] == "perkiraan dari penduduk (metode berbasis kelahiran (CBR))"
    assert got.loc["KES-KK-03", "jumlah_terlayani"] is pd.NA
    assert "SOS-KK-01" not in got.index  # cannot be estimated: stays unreported
    assert len(adopted) == 19 - 1  # 19 estimable kab/kota jenis, KES-KK-01 was reported
    b = se.bandingkan(e, new).set_index("kode_jenis")
    assert b.loc["KES-KK-04", "keadaan"] == "memakai perkiraan" and not b["jauh"].any()


def test_adopted_rows_are_annual_when_the_table_has_quarters():
    e = se.perkirakan_sasaran(tabel())
    s = _sasaran([("17.01", 2026, "KES-KK-01", 160, 40)]).assign(triwulan=pd.array([1], dtype="Int64"))
    new, adopted = se.pakai_perkiraan(s, e)
    # the quarter-1 row is not an annual report: every estimable jenis gets an annual row, KES-KK-01 too
    assert len(adopted) == 19 and new["triwulan"].dtype == "Int64"
    assert new.loc[new["kode_jenis"] == "KES-KK-01", "triwulan"].isna().sum() == 1
