"""Compliance scoring (UU 25/2009 service standards, Ombudsman-style self-assessment): worked examples,
published points, validation, the improvement plan, and the demo case."""
from __future__ import annotations

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from spm_helpers import DEMO_LABEL
from spm_helpers.compliance import assessments as cd
from spm_helpers.compliance import scoring as cp
from spm_helpers.errors import SPMDataError

S22 = "ombudsman_2022_2024"
S21 = "ombudsman_2021"


def assessment(skema: str, nilai: dict[str, int] | None = None, default: int | None = None,
               unit: str = "Dinas Sosial", kode: str = "14.10") -> pd.DataFrame:
    """A one-unit tidy assessment: every indicator at ``default`` (its maximum if None), overridden by ``nilai``."""
    ind = cp.instrument(skema).indikator
    values = {c: (m if default is None else default) for c, m in zip(ind["kode_indikator"], ind["nilai_maks"])}
    values.update(nilai or {})
    return pd.DataFrame({"kode_wilayah": kode, "unit": unit, "kode_indikator": list(values),
                         "nilai": pd.array(list(values.values()), dtype="Int64")})


def dims(skema: str, **per_dim: int) -> dict[str, int]:
    """Set every indicator of the named dimensions to one value."""
    ind = cp.instrument(skema).indikator
    return {c: per_dim[d] for c, d in zip(ind["kode_indikator"], ind["dimensi"]) if d in per_dim}


def score(df: pd.DataFrame, skema: str) -> pd.Series:
    return cp.score_units(df, skema).iloc[0]


# --- instrument data ---------------------------------------------------------------------------------

def test_fourteen_components_split_six_published_eight_internal():
    k = cp.komponen()
    assert len(k) == 14 and list(k["pasal21_huruf"]) == list("abcdefghijklmn")
    published = k[k["wajib_dipublikasikan"]]["nama"].tolist()
    assert published == ["Persyaratan", "Sistem, mekanisme, dan prosedur", "Jangka waktu penyelesaian",
                         "Biaya/tarif", "Produk pelayanan", "Penanganan pengaduan, saran, dan masukan"]
    assert (k["kelompok"] == "manufacturing").sum() == 8


def test_shipped_schemes_weights_and_sources():
    assert cp.skema_list() == [S21, S22]
    d = cp.instrument(S22).dimensi.set_index("dimensi")["bobot"]
    assert d.to_dict() == {"input": 21.85, "proses": 32.37, "output": 24.24, "pengaduan": 21.54}
    for skema in cp.skema_list():
        inst = cp.instrument(skema)
        assert inst.indikator["poin"].mul(inst.indikator["nilai_maks"]).sum() == pytest.approx(100)
        for table in (inst.indikator, inst.dimensi, inst.kategori):
            assert table["sumber"].notna().all()
            assert set(table["status"]) <= {"terkonfirmasi", "perlu_verifikasi"}
    assert set(cp.instrument(S22).indikator["nilai_maks"]) == {3}
    assert set(cp.instrument(S21).indikator["nilai_maks"]) == {1}


def test_unknown_scheme_is_an_indonesian_error():
    with pytest.raises(SPMDataError, match="skema penilaian 'ombudsman_2025' tidak dikenal"):
        cp.instrument("ombudsman_2025")


# --- bands ---------------------------------------------------------------------------------------------

def test_published_scores_land_in_their_published_categories():
    published = [87.43, 89.59, 79.80, 73.88, 58.99, 52.68, 45.16, 95.27]
    got = cp.classify(published, S22)
    assert got["kategori"].tolist() == ["B", "A", "B", "C", "C", "D", "D", "A"]
    bengkulu_selatan_2024 = got.iloc[-1]
    assert (bengkulu_selatan_2024["opini"], bengkulu_selatan_2024["zona"]) == ("Kualitas Tertinggi", "hijau")
    # Pemprov Jatim 79.35 (2022) "kualitas tinggi", 88.81 (2023) "kualitas tertinggi"
    assert cp.classify([79.35, 88.81], S22)["opini"].tolist() == ["Kualitas Tinggi", "Kualitas Tertinggi"]


@pytest.mark.parametrize("skema,below,at,kat_below,kat_at", [
    (S22, 87.99, 88.00, "B", "A"), (S22, 77.99, 78.00, "C", "B"), (S22, 53.99, 54.00, "D", "C"),
    (S22, 31.99, 32.00, "E", "D"), (S21, 80.99, 81.00, "Kuning", "Hijau"), (S21, 50.99, 51.00, "Merah", "Kuning"),
])
def test_each_threshold_belongs_to_the_upper_band(skema, below, at, kat_below, kat_at):
    assert cp.classify([below, at], skema)["kategori"].tolist() == [kat_below, kat_at]


def test_band_is_decided_on_the_published_two_decimal_value():
    # 80.996 is published as 81.00 → hijau; 80.994 as 80.99 → kuning; 100 is in the top band; NA stays NA
    got = cp.classify([80.996, 80.994, 100, None], S21)
    assert got["zona"].tolist() == ["hijau", "kuning", "hijau", None]
    assert cp.format_nilai(80.996) == "81,00" and cp.format_nilai(float("nan")) == "–"


# --- worked examples: hand-computed scores on both sides of every boundary ---------------------------------

# ombudsman_2022_2024: all indicators max = 100; a whole dimension at value v of 3 scores W_d × v/3.
# Input 12 indicators (21.85), Proses 11 (32.37), Output 6 (24.24), Pengaduan 7 (21.54).
CASES_2022 = [
    ("semua maksimal", {}, 100.00, "A", "hijau"),
    ("proses 2", {"proses": 2}, 100 - 32.37 / 3, "A", "hijau"),  # 89.21
    ("proses 2 + INP-01=0", {"proses": 2, "INP-01": 0}, 100 - 32.37 / 3 - 21.85 / 12, "B", "hijau"),  # 87.39
    ("pengaduan 0", {"pengaduan": 0}, 100 - 21.54, "B", "hijau"),  # 78.46
    ("output 0", {"output": 0}, 100 - 24.24, "C", "kuning"),  # 75.76
    ("input+pengaduan 0", {"input": 0, "pengaduan": 0}, 100 - 21.85 - 21.54, "C", "kuning"),  # 56.61
    ("input+output 0", {"input": 0, "output": 0}, 100 - 21.85 - 24.24, "D", "merah"),  # 53.91
    ("hanya pengaduan, output 2", {"input": 0, "proses": 0, "output": 2}, 21.54 + 24.24 * 2 / 3, "D", "merah"),  # 37.70
    ("hanya pengaduan, output 1", {"input": 0, "proses": 0, "output": 1}, 21.54 + 24.24 / 3, "E", "merah"),  # 29.62
    ("semua 0", {"input": 0, "proses": 0, "output": 0, "pengaduan": 0}, 0.0, "E", "merah"),
]


@pytest.mark.parametrize("name,spec,expected,kategori,zona", CASES_2022, ids=[c[0] for c in CASES_2022])
def test_worked_examples_2022_2024(name, spec, expected, kategori, zona):
    per_dim = {k: v for k, v in spec.items() if "-" not in k}
    single = {k: v for k, v in spec.items() if "-" in k}  # an indicator code
    s = score(assessment(S22, {**dims(S22, **per_dim), **single}), S22)
    assert s["nilai"] == pytest.approx(expected, abs=1e-9)
    assert (s["kategori"], s["zona"]) == (kategori, zona)


# ombudsman_2021: 20 binary indicators of equal weight, 5 points each.
@pytest.mark.parametrize("fulfilled,expected,zona", [
    (20, 100, "hijau"), (17, 85, "hijau"), (16, 80, "kuning"), (11, 55, "kuning"), (10, 50, "merah"), (0, 0, "merah"),
])
def test_worked_examples_2021(fulfilled, expected, zona):
    codes = cp.instrument(S21).codes
    s = score(assessment(S21, {c: int(i < fulfilled) for i, c in enumerate(codes)}), S21)
    assert s["nilai"] == pytest.approx(expected) and s["zona"] == zona


def test_weighted_instrument_formula_by_hand():
    # Two dimensions weighted 60/40; in 'a' indicators weigh 1 and 3 (max 3); 'b' one binary indicator.
    # a1=3, a2=1 → dim a = 100 × (1·3/3 + 3·1/3)/(1+3) = 50; b1=0 → dim b = 0; total = 0.6·50 + 0.4·0 = 30.
    inst = cp.make_instrument(
        "uji",
        pd.DataFrame({"kode_indikator": ["A1", "A2", "B1"], "urutan": [1, 2, 3], "dimensi": ["a", "a", "b"],
                      "nilai_maks": [3, 3, 1], "bobot": [1, 3, 1], "indikator": ["x", "y", "z"],
                      "saran": ["sx", "sy", "sz"], "kode_komponen": [None] * 3}),
        pd.DataFrame({"dimensi": ["a", "b"], "nama_dimensi": ["A", "B"], "bobot": [60, 40], "urutan": [1, 2]}),
        cp.instrument(S22).kategori)
    df = pd.DataFrame({"kode_wilayah": "14.10", "unit": "U", "kode_indikator": ["A1", "A2", "B1"], "nilai": [3, 1, 0]})
    assert score(df, inst)["nilai"] == pytest.approx(30) and score(df, inst)["kategori"] == "E"
    d = cp.score_dimensions(df, inst).set_index("dimensi")["nilai_dimensi"]
    assert d.to_dict() == pytest.approx({"a": 50, "b": 0})
    plan = cp.rencana_perbaikan(df, inst)
    # gains: B1 0→1 = 40; A2 1→3 = 60 × 3/4 × 2/3 = 30
    assert plan[["kode_indikator", "kenaikan"]].values.tolist() == [["B1", pytest.approx(40)],
                                                                  ["A2", pytest.approx(30)]]


def test_blank_indicator_leaves_the_unit_unscored_and_out_of_the_region_mean():
    a = assessment(S22, unit="RSUD")
    b = assessment(S22, dims(S22, output=0), unit="Dinsos")
    c = assessment(S22, {"INP-01": pd.NA}, unit="Disdik")
    units = cp.score_units(pd.concat([a, b, c]), S22).set_index("unit")
    assert pd.isna(units.at["Disdik", "nilai"]) and units.at["Disdik", "indikator_kosong"] == 1
    assert pd.isna(units.at["Disdik", "zona"])
    region = cp.region_scores(units.reset_index()).iloc[0]
    # mean of 100 and 75.76 only
    assert region["nilai_rata_rata"] == pytest.approx((100 + 75.76) / 2)
    assert (region["unit_dinilai"], region["unit_belum_lengkap"], region["unit_hijau"], region["unit_kuning"]) \
        == (2, 1, 1, 1)
    assert region["kategori"] == "B" and region["keterangan"] == cp.LABEL_SIMULASI
    assert "Disdik" not in set(cp.rencana_perbaikan(pd.concat([a, b, c]), S22)["unit"])


def test_region_scores_is_a_batch_summary_across_regions_and_schemes():
    parts = [cp.score_units(cd.generate_contoh(k, s), s) for k in ("14.10", "17.01") for s in (S21, S22)]
    batch = cp.region_scores(pd.concat(parts, ignore_index=True))
    assert batch[["kode_wilayah", "skema"]].values.tolist() == [["14.10", S21], ["14.10", S22], ["17.01", S21],
                                                                ["17.01", S22]]
    assert (batch["jumlah_unit"] == 11).all()
    assert (batch[["unit_hijau", "unit_kuning", "unit_merah"]].sum(axis=1) == 11).all()
    assert batch.loc[0, "nama_wilayah"] == "Kabupaten Kepulauan Meranti"
    for row, part in zip(batch.itertuples(), parts):
        assert row.nilai_rata_rata == pytest.approx(part["nilai"].mean())
        assert row.zona == cp.classify(row.nilai_rata_rata, row.skema)["zona"].iloc[0]


# --- validation ---------------------------------------------------------------------------------------

def test_every_bad_row_is_reported_with_its_row_and_column():
    df = assessment(S22).astype({"nilai": object, "kode_wilayah": object})
    df.loc[0, "nilai"] = "4"
    df.loc[1, "nilai"] = "ya?"
    df.loc[2, "nilai"] = 1.5
    df.loc[3, "kode_indikator"] = "OBS-01"
    df.loc[4, "kode_indikator"] = "XYZ-99"
    df.loc[5, "kode_wilayah"] = "99.99"
    df.loc[6, "unit"] = " "
    df = pd.concat([df, df.iloc[[10]]], ignore_index=True)
    with pytest.raises(SPMDataError) as err:
        cp.validate_penilaian(df, S22, berkas="penilaian.csv")
    got = {(p.baris, p.kolom, p.alasan) for p in err.value.problems}
    assert got == {  # CSV row = index + 2
        (2, "nilai", "nilai harus antara 0 dan 3"),
        (3, "nilai", "nilai bukan angka"),
        (4, "nilai", "nilai harus bilangan bulat (tanpa desimal)"),
        (5, "kode_indikator", f"indikator ini milik skema '{S21}', bukan '{S22}'"),
        (6, "kode_indikator", f"kode indikator tidak dikenal pada skema '{S22}'"),
        (7, "kode_wilayah", "kode wilayah tidak ada dalam daftar Kemendagri"),
        (8, "unit", "nama unit layanan kosong"),
        (38, "kode_indikator", "baris ganda: unit dan indikator ini sudah dinilai pada baris lain"),
    }
    assert all(p.berkas == "penilaian.csv" for p in err.value.problems)


def test_validation_cleans_codes_and_keeps_blanks_as_na():
    df = pd.DataFrame({"kode_wilayah": ["1410", "14.10"], "unit": [" RSUD  Meranti", "RSUD Meranti"],
                       "kode_indikator": [" inp-01", "INP-02"], "nilai": ["3", ""]})
    out = cp.validate_penilaian(df, S22)
    assert out["kode_wilayah"].tolist() == ["14.10", "14.10"] and out["unit"].tolist() == ["RSUD Meranti"] * 2
    assert out["kode_indikator"].tolist() == ["INP-01", "INP-02"]
    assert out["nilai"].iloc[0] == 3 and pd.isna(out["nilai"].iloc[1])


def test_missing_columns_are_named():
    with pytest.raises(SPMDataError) as err:
        cp.validate_penilaian(pd.DataFrame({"unit": ["x"]}), S22)
    assert {p.kolom for p in err.value.problems} == {"kode_wilayah", "kode_indikator", "nilai"}


# --- improvement plan ----------------------------------------------------------------------------------

def test_first_recommendation_raises_the_score_by_exactly_its_claim():
    demo = cd.generate_contoh("14.10", S22)
    plan = cp.rencana_perbaikan(demo, S22)
    before = cp.score_units(demo, S22).set_index("unit")["nilai"]
    for unit, steps in plan.groupby("unit"):
        first = steps.iloc[0]
        assert first["peringkat"] == 1 and first["kenaikan"] == steps["kenaikan"].max()
        after = cp.score_units(cp.apply_recommendation(demo, "14.10", unit, first["kode_indikator"], S22), S22)
        assert after.set_index("unit").at[unit, "nilai"] - before[unit] == pytest.approx(first["kenaikan"], abs=1e-9)
        # doing every recommendation reaches 100, and the cumulative column says so
        assert steps["nilai_kumulatif"].iloc[-1] == pytest.approx(100) and steps["kumulatif_zona"].iloc[-1] == "hijau"


def test_region_plan_gain_is_the_region_mean_gain():
    demo = cd.generate_contoh("14.10", S21)
    plan = cp.rencana_perbaikan_wilayah(demo, S21)
    first = plan.iloc[0]
    before = cp.score_units(demo, S21)["nilai"].mean()
    after = cp.score_units(cp.apply_recommendation(demo, "14.10", None, first["kode_indikator"], S21), S21)
    assert after["nilai"].mean() - before == pytest.approx(first["kenaikan"], abs=1e-9)
    # 2021: 5 points per indicator per unit, so the gain is 5 × units lacking it / 11 units
    assert first["kenaikan"] == pytest.approx(5 * first["jumlah_unit"] / 11)
    assert first["kenaikan"] == plan["kenaikan"].max()


@st.composite
def random_assessments(draw):
    skema = draw(st.sampled_from([S21, S22]))
    ind = cp.instrument(skema).indikator
    n_units = draw(st.integers(1, 3))
    rows = []
    for u in range(n_units):
        for code, maks in zip(ind["kode_indikator"], ind["nilai_maks"]):
            rows.append(("14.10", f"Unit {u}", code, draw(st.integers(0, int(maks)))))
    return skema, pd.DataFrame(rows, columns=cp.PENILAIAN_COLUMNS).astype({"nilai": "Int64"})


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(case=random_assessments(), data=st.data())
def test_property_every_claimed_gain_is_the_actual_gain(case, data):
    skema, df = case
    plan = cp.rencana_perbaikan(df, skema)
    units = cp.score_units(df, skema).set_index("unit")["nilai"]
    # fixing every gap of a unit brings it to 100
    for unit, steps in plan.groupby("unit"):
        assert steps["kenaikan"].sum() == pytest.approx(100 - units[unit], abs=1e-9)
    if plan.empty:
        return
    for i in data.draw(st.lists(st.integers(0, len(plan) - 1), min_size=1, max_size=3, unique=True)):
        rec = plan.iloc[i]
        after = cp.score_units(cp.apply_recommendation(df, "14.10", rec["unit"], rec["kode_indikator"], skema), skema)
        gain = after.set_index("unit").at[rec["unit"], "nilai"] - units[rec["unit"]]
        assert gain == pytest.approx(rec["kenaikan"], abs=1e-9)
    region = cp.rencana_perbaikan_wilayah(df, skema)
    rec = region.iloc[data.draw(st.integers(0, len(region) - 1))]
    after = cp.score_units(cp.apply_recommendation(df, "14.10", None, rec["kode_indikator"], skema), skema)
    assert after["nilai"].mean() - units.mean() == pytest.approx(rec["kenaikan"], abs=1e-9)


# --- demo case and results ---------------------------------------------------------------------------

@pytest.mark.parametrize("skema", [S21, S22])
def test_committed_demo_is_the_generator_output_and_labelled(skema):
    committed = pd.read_csv(cd.contoh_dir() / f"penilaian_{skema}.csv", dtype={"kode_wilayah": str})
    assert (committed["keterangan"] == DEMO_LABEL).all()
    fresh = cd.generate_contoh("14.10", skema)
    pd.testing.assert_frame_equal(committed[cp.PENILAIAN_COLUMNS].astype({"nilai": "Int64"}), fresh,
                                  check_dtype=False)


def test_demo_meranti_has_eleven_units_with_realistic_gaps():
    units = cp.score_units(cd.load_penilaian(None, "14.10", S22), S22)
    assert len(units) == 11 and units["indikator_kosong"].eq(0).all()
    assert set(units["zona"]) == {"hijau", "kuning", "merah"}  # some units ready, some far off
    assert units.set_index("unit").at["DPMPTSP", "nilai"] > units.set_index("unit").at["Dinas Sosial", "nilai"]
    assert cd.generate_contoh("14.10", S22).equals(cd.generate_contoh("14.10", S22))  # deterministic
    assert not cd.generate_contoh("17.01", S22).equals(cd.generate_contoh("14.10", S22).assign(kode_wilayah="17.01"))


def test_load_filters_other_regions_and_schemes_but_reports_bad_rows(tmp_path):
    both = pd.concat([cd.generate_contoh("14.10", S22), cd.generate_contoh("17.01", S22),
                      cd.generate_contoh("14.10", S21)])
    both.to_csv(tmp_path / "penilaian.csv", index=False)
    got = cd.load_penilaian(tmp_path, "14.10", S22)
    pd.testing.assert_frame_equal(got, cd.generate_contoh("14.10", S22), check_dtype=False)
    both.iloc[[5]].assign(kode_wilayah="14.1x").pipe(lambda r: pd.concat([both, r])).to_csv(
        tmp_path / "penilaian.csv", index=False)
    with pytest.raises(SPMDataError) as err:
        cd.load_penilaian(tmp_path, "14.10", S22)
    assert [(p.berkas, p.baris, p.kolom) for p in err.value.problems] == [("penilaian.csv", len(both) + 2,
                                                                           "kode_wilayah")]


def test_results_are_written_with_the_simulation_label(tmp_path):
    hasil = cd.assess(cd.generate_contoh("14.10", S22), S22, tahun=2024, data_label=DEMO_LABEL)
    paths = hasil.save(tmp_path)
    assert set(paths) == {"unit", "dimensi", "rencana_unit", "rencana_wilayah", "wilayah", "ringkasan"}
    for name in ("unit", "dimensi", "rencana_unit", "rencana_wilayah", "wilayah"):
        assert (pd.read_csv(paths[name])["keterangan"] == cp.LABEL_SIMULASI).all()
    s = hasil.ringkasan
    assert s["keterangan"] == cp.LABEL_SIMULASI and s["data"] == DEMO_LABEL and s["tahun"] == 2024
    w = s["wilayah"][0]
    assert w["nilai_rata_rata"] == pytest.approx(hasil.unit["nilai"].mean(), abs=1e-4)
    assert w["unit_hijau"] + w["unit_kuning"] + w["unit_merah"] == 11
    assert w["prioritas_perbaikan"][0]["kode_indikator"] == hasil.rencana_wilayah.iloc[0]["kode_indikator"]


def test_committed_demo_assessments_are_what_the_generator_writes(tmp_path):
    """datasets/kepatuhan/contoh is rewritten by ``write_contoh`` (SUMBER.md): the two must not drift."""
    from spm_helpers.paths import kepatuhan_dir

    for path in cd.write_contoh(tmp_path):
        committed = kepatuhan_dir() / "contoh" / path.name
        assert path.read_text(encoding="utf-8") == committed.read_text(encoding="utf-8"), path.name
