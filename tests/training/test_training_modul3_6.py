"""Training modules 3–6: their case data, their comparers, worked examples of their keys computed by
hand, and every deliberate wrong answer getting its own hint (never the key). The notebooks themselves
are covered by the parametrised tests of test_training.py / test_training_nilai.py (all modules)."""
from __future__ import annotations

import ast
import math

import pandas as pd
import pytest

from spm_helpers import fmt
from spm_helpers.compliance import assessments, scoring
from spm_helpers.inputs import opd_form
from spm_helpers.paths import exercises_dir
from spm_helpers.training import cases, cases_advanced
from spm_helpers.training import exercise_files as nbk
from spm_helpers.training.comparers import Tolak
from spm_helpers.training.comparers_advanced import Deret, Paragraf
from spm_helpers.training.feedback import BENAR, SALAH, judge
from spm_helpers.training.keys import module3, module4, module5, module6
from spm_helpers.training.registry import Konteks, modul, semua_soal
from spm_helpers.training.release import release_notebook

DINKES = {"opd": "Dinas Kesehatan"}


def kunci(sid: str, **ctx):
    return semua_soal()[sid].kunci(Konteks(ctx or DINKES))


def hint(sid: str, jawaban, **ctx) -> str:
    """The hint for a wrong answer, after checking it does not give the key away."""
    put = judge(sid, jawaban, ctx or DINKES)
    assert put.status == SALAH, (sid, jawaban, put.status)
    k = kunci(sid, **ctx)
    angka = [k] if isinstance(k, (int, float)) else k if isinstance(k, list) and not isinstance(k[0], str) else []
    for x in angka:  # round percentages such as 100 are rules, not answers
        if not float(x).is_integer():
            assert fmt.angka(x, 2) not in put.pesan and f"{x:.2f}" not in put.pesan, (sid, x)
        elif abs(x) > 100:
            assert fmt.angka(x) not in put.pesan and str(int(x)) not in put.pesan, (sid, x)
    for x in (k if isinstance(k, set) else k.values() if isinstance(k, dict) else ()):
        assert x not in put.pesan, (sid, x)
    return put.pesan


# ------------------------------------------------------------------------------------------ comparers
def test_deret_numbers_order_length_and_unit():
    d = Deret("target", toleransi=0.01)
    k = d.prepare_key([10.0, 20.0, 30.0])
    assert d.matches(d.prepare(pd.Series([10.001, 20, 30])), k)
    assert d.matches(d.prepare((10, 20, 30)), k)
    assert "urutannya terbalik" in d.petunjuk_umum(d.prepare([30, 20, 10]), k)
    assert "berisi 2 target; seharusnya 3" in d.petunjuk_umum(d.prepare([10, 20]), k)
    assert "persen" in d.petunjuk_umum(d.prepare([0.1, 0.2, 0.3]), k)
    msg = d.petunjuk_umum(d.prepare([10, 21, 30]), k)
    assert msg == "1 dari 3 target belum tepat: urutan ke-2." and "20" not in msg
    for salah, kata in ((30, "daftar"), ({1, 2, 3}, "urutan"), (["10", "20", "30"], "angka"),
                        (pd.DataFrame({"a": [1], "b": [2]}), "bukan tabel"), (None, "None")):
        with pytest.raises(Tolak, match=kata):
            d.prepare(salah)


def test_deret_texts_ignore_case_and_space():
    d = Deret("zona", teks=True)
    k = d.prepare_key(["hijau", "kuning"])
    assert d.matches(d.prepare([" Hijau ", "KUNING"]), k)
    assert d.petunjuk_umum(d.prepare(["hijau", "merah"]), k) == "1 dari 2 zona belum tepat: urutan ke-2."
    with pytest.raises(Tolak, match="teks"):
        d.prepare(["hijau", 3])


def test_paragraf_needs_every_fact_and_names_only_what_is_missing():
    p = Paragraf()
    k = p.prepare_key({"nilai IP-SPM": "66,40", "kategori": "Tuntas Muda"})
    assert p.matches(p.prepare("IP-SPM tahun ini 66,40, kategori tuntas muda. Perlu kerja keras."), k)
    teks = p.prepare("IP-SPM tahun ini 66,40 dan itu sudah cukup baik.")
    assert not p.matches(teks, k) and p.petunjuk_umum(teks, k) == "Paragraf belum memuat: kategori."
    assert "koma desimal" in p.petunjuk_umum(p.prepare("IP-SPM tahun ini 66.40, kategori Tuntas Muda."), k)
    with pytest.raises(Tolak, match="teks"):
        p.prepare(66.4)
    with pytest.raises(Tolak, match="pendek"):
        p.prepare("66,40 Tuntas Muda")


# ------------------------------------------------------------------------------------------ case data
def test_year_end_data_differs_from_the_case_in_one_confirmed_cell():
    a, b = cases.data_kasus().sasaran, cases_advanced.data_akhir_tahun().sasaran
    beda = a.compare(b)
    assert len(beda) == 1
    row = b.loc[beda.index[0]]
    # newborns 2025: 4099 projected, 4099 + 4099 // 40 = 4099 + 102 = 4201 served
    assert (row["kode_jenis"], row["tahun"], row["jumlah_sasaran"], row["jumlah_terlayani"]) == \
        ("KES-KK-03", 2025, 4099, 4201)
    b.loc[:, "jumlah_terlayani"] = 0
    assert cases_advanced.data_akhir_tahun().sasaran["jumlah_terlayani"].sum() > 0  # a copy


def test_pagu_is_85_percent_of_the_even_plan_recomputed_by_the_engine():
    # PAGU is pinned in kasus_lanjut; here it is recomputed from the engine (never edited by hand): 85% of the
    # even plan's additional cost of each year (D4 revised), rounded down to Rp 100 juta
    from spm_helpers.engine import plan

    d = cases_advanced.data_akhir_tahun()
    a = plan.build_rencana(d.sasaran, d.harga_satuan, ketersediaan=d.ketersediaan).anggaran
    again = {int(t): math.floor(cases_advanced.BAGIAN_PAGU * int(b) / 10**8) * 10**8
             for t, b in zip(a["tahun_rencana"], a["biaya"])}
    assert cases_advanced.PAGU == again
    assert list(cases_advanced.PAGU) == [2026, 2027, 2028, 2029, 2030]


@pytest.mark.parametrize("opd,unit", [
    ("Dinas Kesehatan Kab. Kepulauan Meranti", "Dinas Kesehatan"), ("UPT Puskesmas Selatpanjang", "UPT Puskesmas"),
    ("RSUD Kepulauan Meranti", "RSUD"), ("Disdukcapil", "Dinas Kependudukan dan Pencatatan Sipil"),
    ("DPMPTSP", "DPMPTSP"), ("Dinas Perpustakaan dan Kearsipan", "Dinas Perpustakaan dan Kearsipan"),
    ("Disnaker", "Dinas Tenaga Kerja"), ("Dinas Pendidikan dan Kebudayaan", "Dinas Pendidikan"),
    ("Bappeda", "Dinas Kesehatan"), ("", "Dinas Kesehatan"), (None, "Dinas Kesehatan"),
])
def test_unit_latihan_maps_the_opd_to_a_demo_unit(opd, unit):
    assert cases_advanced.unit_latihan(opd) == unit


def test_every_demo_unit_can_be_reached_and_the_case_has_11_complete_units():
    assert set(cases_advanced._ALIAS_UNIT) == set(assessments.DEMO_UNITS)
    p = cases_advanced.penilaian_kasus()
    assert p["unit"].nunique() == 11 and p["nilai"].notna().all()
    assert p.equals(assessments.generate_contoh("14.10"))  # the committed demo generator's case


@pytest.mark.parametrize("opd", ["dinkes", "disdik", "dinsos", "pupr", "satpolpp", "bpbd", "damkar"])
def test_jenis_klinik_is_the_opds_and_scored_in_2025(opd):
    j = cases_advanced.jenis_klinik(opd)
    assert j in cases.jenis_opd(opd)
    s = cases_advanced.data_klinik().sasaran
    row = s[(s["tahun"] == 2025) & (s["kode_jenis"] == j)].iloc[0]
    assert row["jumlah_sasaran"] > 0 and pd.notna(row["jumlah_terlayani"])
    # still below full service, so the new targets of module 5 are not [100, 100]
    assert 100 * row["jumlah_terlayani"] / row["jumlah_sasaran"] < cases.BATAS_LATIHAN
    assert module5._usulan(Konteks(opd=opd))[0] < 100


def test_jenis_klinik_falls_back_when_the_opd_has_nothing_to_score():
    assert cases_advanced.jenis_klinik("perkim") == "KES-KK-01"  # no relocation and no disaster housing in 2025


def test_capaian_tahun_caps_and_skips_what_cannot_be_scored():
    s = pd.DataFrame({"tahun": [2025] * 5 + [2024], "kode_jenis": ["A", "B", "C", "D", "F", "G"],
                      "jumlah_sasaran": pd.array([200, 50, 0, 10, 8, 10], dtype="Int64"),
                      "jumlah_terlayani": pd.array([190, 60, 0, None, 3, 1], dtype="Int64")})
    cap = cases.capaian_tahun(s, 2025)
    # A 190/200 = 95.0; B 60/50 capped at 100; F 3/8 = 37.5; C (no sasaran), D (terlayani NA), G (2024) left out
    assert cap.to_dict() == {"A": 95.0, "B": 100.0, "F": 37.5}
    # below 95 first (F), then the rest in the given order; 95.0 itself is not below; C and X are not scored
    assert cases.belum_tuntas_dulu(["A", "B", "C", "F", "X"], cap) == ["F", "A", "B"]


@pytest.mark.parametrize("opd", [*opd_form.OPD, "Bappeda", None])
def test_no_module3_variant_plans_a_jenis_already_near_full_service(opd):
    c = Konteks(opd=opd)
    assert module3._awal(c) < cases.BATAS_LATIHAN == 95.0
    assert kunci("m3.t1", opd=opd)[0] < 100  # the first plan year still climbs
    assert "langsung 100%" in hint("m3.t1", [100] * 5, opd=opd)  # the typical mistake is a mistake
    merata = module3._renja(c, "merata")
    # the Renja without pagu is wrong wherever the pagu changes this OPD's 2026 rows; under D4 (revised) the pagu
    # funds the lowest capaian first, so some OPDs are fully funded in 2026 and both plans give the same rows
    berbeda = not merata.reset_index(drop=True).equals(module3._renja(c).reset_index(drop=True))
    assert judge("m3.t5", merata, {"opd": opd}).status == (SALAH if berbeda else BENAR)
    if opd in ("dinkes", "Dinas Kesehatan", None, "Bappeda"):
        assert berbeda  # the default variant (Dinas Kesehatan) shows the difference


def test_satpol_pp_plans_a_neighbouring_jenis_of_the_same_bidang():
    s = cases_advanced.data_akhir_tahun().sasaran
    trb = s[s["kode_jenis"] == "TRB-KK-01"]
    assert (trb["jumlah_terlayani"] == trb["jumlah_sasaran"]).all() and len(trb) == 5  # 184 of 184 in 2025: 100%
    assert cases.jenis_latihan("Satpol PP") == "TRB-KK-01"  # modules 1, 2, 4: its own (and only) form sheet
    assert cases_advanced.jenis_rencana("Satpol PP") == "TRB-KK-02"  # first jenis of bidang TRB below 95%
    # TRB-KK-02 2025: 26004 of 48743 served = 53.349%; gap 46.651 closed in fifths of 9.330
    awal = 100 * 26004 / 48743
    assert kunci("m3.t1", opd="Satpol PP") == pytest.approx([awal + (100 - awal) * k / 5 for k in range(1, 6)])
    assert kunci("m3.t1", opd="Satpol PP")[0] == pytest.approx(62.679, abs=1e-3)
    # 2026: 62.679% × 48743 / 100 = 30551.8 → 30552 people
    assert kunci("m3.t2", opd="Satpol PP") == math.ceil((awal + (100 - awal) / 5) * 48743 / 100) == 30552
    renja = kunci("m3.t5", opd="Satpol PP")  # the Renja of the jenis's OPD, BPBD (TRB-KK-04 has no sasaran)
    assert set(renja["opd"]) == {"Badan Penanggulangan Bencana Daerah"}
    assert set(renja["kode_jenis"]) == {"TRB-KK-02", "TRB-KK-03"}
    assert kunci("m3.t2", opd="satpol", kode_jenis="TRB-KK-02") == 30552  # the notebook passes kode_jenis


# ------------------------------------------------------------------------------------------ module 3
def test_module3_worked_example_by_hand():
    # KES-KK-01 2025: 3561 of 4090 served → 87.066%; gap 12.934 closed in fifths
    awal = 100 * 3561 / 4090
    assert kunci("m3.t1") == pytest.approx([awal + (100 - awal) * k / 5 for k in range(1, 6)])
    assert kunci("m3.t1")[-1] == 100.0
    # 2026: ceil(89.6528 × 4090 / 100) = ceil(3666.80) = 3667 people
    assert kunci("m3.t2") == math.ceil((awal + (100 - awal) / 5) * 4090 / 100) == 3667
    # D4 revised: only the provision beyond the 2025 stock is costed, per item max(0, ceil(3667 × jumlah) −
    # tersedia) × harga: .01 90 × 3667 = 330.030 ≤ 460.125 → 0; .02 (3667 − 3356) × 15.000 = 4.665.000;
    # .03 (3667 − 3466) × 25.000 = 5.025.000; .04 (3667 − 3325) × 75.000 = 25.650.000; .05 (3667 − 3310) × 60.000
    # = 21.420.000; .08 6 × 3667 = 22.002 ≤ 24.217 → 0; .09 7.334 ≤ 7.894 → 0; .10 7.334 ≤ 7.524 → 0;
    # .11 (3667 − 3589) × 192.000 (SSH) = 14.976.000 → 71.736.000 (the full package would be 3667 × 969.500)
    assert module3._bpo(Konteks(DINKES)) == 969_500
    assert kunci("m3.t3") == 4_665_000 + 5_025_000 + 25_650_000 + 21_420_000 + 14_976_000 == 71_736_000
    assert module3._tambahan(Konteks(DINKES), 3667) == kunci("m3.t3")


def test_module3_pagu_plan_fits_and_the_even_plan_does_not():
    r = module3._rencana("pagu")
    assert (r.anggaran["biaya"] <= r.anggaran["pagu"]).all()
    merata = module3._rencana("merata").anggaran.set_index("tahun_rencana")["biaya"]
    assert all(merata[t] > p for t, p in cases_advanced.PAGU.items())  # the Renja hint says so
    assert kunci("m3.t4") == {"KES-KK-01", "KES-KK-02", "PDD-KK-01", "PDD-KK-02", "TRB-KK-05"}
    renja = kunci("m3.t5")
    assert set(renja["opd"]) == {"Dinas Kesehatan"} and len(renja) == 12
    # 2026 under the pagu: KES-KK-01 is funded to its trajectory (3667 people, Rp 71.736.000)
    k1 = renja.set_index("kode_jenis").loc["KES-KK-01"]
    assert (k1["sasaran_dilayani"], k1["biaya"]) == (3667, 71_736_000)
    assert (r.rencana["target_persen"] >= r.rencana["capaian_awal"] - 1e-9).all()  # never below 2025


def awal_dinkes() -> float:
    return 100 * 3561 / 4090


def test_module3_each_wrong_answer_gets_its_hint():
    c = Konteks(DINKES)
    awal = awal_dinkes()
    b = module3._butir("KES-KK-01")
    wrong = [
        ("m3.t1", [100] * 5, "langsung 100%"),
        ("m3.t1", [20, 40, 60, 80, 100], "lupa kondisi awal"),
        ("m3.t1", [min(100, awal + (100 - awal) * k / 4) for k in range(1, 6)], "dibagi 5"),
        ("m3.t1", [awal + (100 - awal) * k / 5 for k in range(5)], "seperlima"),
        ("m3.t1", module3._target(c, "didepankan"), "didepankan"),
        ("m3.t1", [89.65, 92.24, 94.83, 97.41], "seharusnya 5"),
        ("m3.t2", 3666, "ke atas"), ("m3.t2", 3667 - 3561, "tambahannya"), ("m3.t2", 4090, "100% sasaran"),
        ("m3.t3", 3667 * 969_500, "paket mutu penuh"),  # the earlier rule: the full package for everyone
        ("m3.t3", int(b["biaya"].sum()), "Modul 2"),  # = 2030's cost, at 100%
        ("m3.t3", (3667 - 3561) * 969_500, "tambahan orang"),
        ("m3.t3", module3._tambahan(c, 3667, max0=False), "max(0"),
        ("m3.t3", module3._tambahan(c, 3667, "harga_acuan"), "SSH"),  # .11 at 150.000: 71.736.000 − 78 × 42.000
        ("m3.t4", [], "tanpa pagu"),
        ("m3.t4", sorted(kunci("m3.t4") | {"PRM-KK-02", "TRB-KK-04"}), "tidak direncanakan"),
        ("m3.t4", module3._rencana("pagu").status.query("~didanai")["kode_jenis"].tolist(), "didanai=False"),
        ("m3.t4", sorted(module3._tidak_tercapai("pagu_tetap")), "kamus PAGU"),
        ("m3.t5", module3._renja(c, "merata"), "melebihi pagu"),
        ("m3.t5", module3._renja(c).drop(columns="biaya"), "biaya"),
    ]
    for sid, jawaban, kata in wrong:
        msg = hint(sid, jawaban)
        assert kata in msg, (sid, msg)
    # PAUD (Dinas Pendidikan) starts at 71.28%: adding 100/5 = 20 points a year reaches 100 in 2027
    awal_paud = 100 * 3861 / 5417
    salah = [min(100, awal_paud + 20 * k) for k in range(1, 6)]
    assert "bukan 100" in hint("m3.t1", salah, opd="Dinas Pendidikan")


def test_module3_key_follows_the_opd_and_kode_jenis():
    disdik = kunci("m3.t2", opd="Dinas Pendidikan")
    assert disdik != kunci("m3.t2") and kunci("m3.t2", opd="dinkes", kode_jenis="PDD-KK-01") == disdik
    assert set(kunci("m3.t5", opd="disdik")["kode_jenis"]) == {"PDD-KK-01", "PDD-KK-02", "PDD-KK-03"}


# ------------------------------------------------------------------------------------------ module 4
def test_module4_worked_example_by_hand():
    t1 = kunci("m4.t1").set_index("kode_jenis")["capaian_penerima"]
    assert len(t1) == 12 and t1["KES-KK-03"] == 100.0  # 4201 served of 4099: 102.49% capped at 100
    assert t1["KES-KK-01"] == pytest.approx(100 * 3561 / 4090)
    r = module4._baris("KES-KK-01")
    # 0.8 × 87.066 + 0.2 × 89.327 = 69.653 + 17.865 = 87.518
    assert kunci("m4.t2") == pytest.approx(0.8 * 100 * 3561 / 4090 + 0.2 * r["capaian_mutu"]) == r["indeks"]
    b = module4._ip().bidang.set_index("kode_bidang")["indeks"]
    # six bidang: (73.894 + 73.640 + 55.858 + 69.403 + 50.116 + 76.081) / 6 = 398.992 / 6 = 66.499
    assert b.round(3).tolist() == [73.894, 73.640, 55.858, 69.403, 50.116, 76.081]
    assert kunci("m4.t3") == pytest.approx(b.mean()) == pytest.approx(66.4986, abs=1e-3)
    # the 27 jenis averaged at once: 12 × 73.894 + 3 × 73.640 + 55.858 + 2 × 69.403 + 5 × 50.116 + 4 × 76.081
    # = 886.734 + 220.921 + 55.858 + 138.805 + 250.578 + 304.323 = 1857.219; / 27 = 68.786
    assert module4._rata_jenis() == pytest.approx(68.786, abs=1e-3)
    # scheme bawaan_2026 at its bounds: 49,99 | 50 | 64,99 | 65 | 94,9 | 95 | 99,99 | 100
    assert kunci("m4.t4") == ["Belum Tuntas", "Tuntas Pratama", "Tuntas Pratama", "Tuntas Muda", "Tuntas Madya",
                              "Tuntas Utama", "Tuntas Utama", "Tuntas Paripurna"]
    assert kunci("m4.t5") == {"nilai IP-SPM kabupaten dengan dua angka desimal": "66,50",
                              "kategori IP-SPM kabupaten": "Tuntas Muda",
                              "nama bidang dengan indeks terendah": "Sosial"}


def test_module4_each_wrong_answer_gets_its_hint():
    r = module4._baris("KES-KK-01")
    pen, mutu = float(r["capaian_penerima"]), float(r["capaian_mutu"])
    j = module4._ip().jenis
    diisi = {n: module4._wilayah(module4._isi_tanpa_sasaran(n)) for n in (0.0, 100.0)}
    s = cases_advanced.data_akhir_tahun().sasaran
    kes = s[(s["tahun"] == 2025) & s["kode_jenis"].str.startswith("KES")]

    def par(nilai, bidang="Sosial"):
        return (f"IP-SPM Kabupaten Bengkulu Selatan 2025 adalah {fmt.angka(nilai, 2)}, kategori "
                f"{module4.assign_kategori(nilai)}. Bidang terendah: {bidang}.")

    wrong = [
        ("m4.t1", kes.assign(capaian_penerima=100 * kes["jumlah_terlayani"] / kes["jumlah_sasaran"]),
         "paling tinggi 100%"),
        ("m4.t1", kes.assign(capaian_penerima=(100 * kes["jumlah_sasaran"] / kes["jumlah_terlayani"]).clip(upper=100)),
         "terbalik"),
        ("m4.t1", kes[["kode_jenis", "jumlah_sasaran"]], "belum ada di tabel Anda: capaian_penerima"),
        ("m4.t2", 0.2 * pen + 0.8 * mutu, "tertukar"), ("m4.t2", (pen + mutu) / 2, "rata-rata biasa"),
        ("m4.t2", pen, "mutu"),
        ("m4.t3", float(j["indeks"].mean()), "bertingkat"), ("m4.t3", diisi[0.0], "jangan dihitung 0"),
        ("m4.t3", diisi[100.0], "jangan dihitung 100"),
        ("m4.t3", float(module4._ip(tukar=True).wilayah["indeks"].iloc[0]), "tertukar"),
        ("m4.t3", module4._wilayah(module4._tanpa_batas()), "paling tinggi 100%"),
        ("m4.t4", ["Belum Tuntas", "Belum Tuntas", "Tuntas Pratama", "Tuntas Pratama", "Tuntas Madya",
                   "Tuntas Madya", "Tuntas Utama", "Tuntas Utama"], "batas atas tidak"),
        ("m4.t4", ["Tuntas Pratama", "Tuntas Pratama", "Tuntas Muda", "Tuntas Muda", "Tuntas Utama",
                   "Tuntas Utama", "Tuntas Paripurna", "Tuntas Paripurna"], "membulatkan"),
        ("m4.t4", ["Belum Tuntas", "Tuntas Pratama", "Tuntas Pratama", "Tuntas Muda", "Tuntas Madya", "Tuntas Utama",
                   "Tuntas Utama", "Tuntas Utama"], "Paripurna"),
        ("m4.t5", par(float(j["indeks"].mean())), "bertingkat"),
        ("m4.t5", par(diisi[0.0], "Perumahan Rakyat"), "jangan dihitung 0"),
        ("m4.t5", par(diisi[100.0]), "jangan dihitung 100"),
        ("m4.t5", "IP-SPM Kabupaten Bengkulu Selatan 2025 adalah 66,50 dan bidang terendah Sosial.", "kategori"),
        ("m4.t5", par(kunci("m4.t3")).replace("66,50", "66.50"), "koma desimal"),
    ]
    for sid, jawaban, kata in wrong:
        msg = hint(sid, jawaban)
        assert kata in msg, (sid, msg)
    assert judge("m4.t5", par(kunci("m4.t3")), DINKES).status == BENAR


# ------------------------------------------------------------------------------------------ module 5
def test_module5_worked_example_by_hand():
    w = module5._ip().wilayah.set_index("tahun")["indeks"]
    # five bidang scored (no PRM sasaran): 2024 (55.386 + 53.117 + 51.431 + 35.378 + 55.595) / 5 = 50.1815;
    # 2025 = 51.4468 → +1.2653 points
    assert kunci("m5.t1") == pytest.approx(w[2025] - w[2024]) == pytest.approx(51.4468 - 50.1815, abs=1e-3)
    # KES-KK-01: the old plan (from 2021) targeted 96.55% in 2025; 721 of 869 served = 82.97% → −13.58 points
    assert kunci("m5.t3") == pytest.approx(100 * 721 / 869 - module5._tvr_baris(Konteks(DINKES))["target_persen"])
    assert kunci("m5.t3") == pytest.approx(-13.576, abs=1e-3)
    assert kunci("m5.t4") == ["SOS-KK-03", "PDD-KK-03", "KES-KK-08", "KES-KK-09", "SOS-KK-02"]
    awal = 100 * 721 / 869  # 82.969: gap 17.031 closed in fifths by 2030
    assert kunci("m5.t5") == pytest.approx([awal + (100 - awal) / 5, awal + 2 * (100 - awal) / 5])
    turun = kunci("m5.t2")
    # SOS-KK-03: 26 of 109 served (index 27.605) → 23 of 108 (27.086), down; SOS-KK-01: 12 of 32 (40.271) →
    # 14 of 33 (43.296), up; SOS-KK-05 had no sasaran in 2024
    assert "SOS-KK-03" in turun and "SOS-KK-01" not in turun and "KES-KK-01" not in turun
    assert "SOS-KK-05" not in turun and len(turun) == 12


def test_module5_each_wrong_answer_gets_its_hint():
    c = Konteks(DINKES)
    w = module5._ip().wilayah.set_index("tahun")["indeks"]
    t = module5._tvr_baris(c)
    wrong = [
        ("m5.t1", 100 * (w[2025] - w[2024]) / w[2024], "bukan persen"), ("m5.t1", w[2025] - w[2021], "2021"),
        ("m5.t1", w[2024] - w[2025], "terbalik"),
        ("m5.t2", sorted(module5._turun(bukan_naik=True)), "tidak dapat dibandingkan"),
        ("m5.t2", sorted(module5._turun_sejak(2021)), "2021"),
        ("m5.t2", sorted(module5._turun("capaian_penerima")), "bukan capaian penerima saja"),
        ("m5.t3", float(t["realisasi_persen"]) - 100.0, "target tahun akhir"),
        ("m5.t3", module5._indeks(c) - float(t["target_persen"]), "bukan indeks"),
        ("m5.t3", -101, "bukan jumlah orang"),
        ("m5.t4", module5._prioritas(None), "tahun paling awal"),
        ("m5.t4", module5._terendah("capaian_penerima"), "bukan capaian penerima saja"),
        ("m5.t4", module5._terendah("indeks", terbesar=True), "bukan yang tertinggi"),
        ("m5.t4", list(reversed(kunci("m5.t4"))), "terbalik"),
        ("m5.t5", [20, 40], "bukan dari 0%"), ("m5.t5", [100, 100], "bertahap"),
        ("m5.t5", module5._usulan(c, 2021), "realisasi terakhir"),
        ("m5.t5", module5._usulan(c, 2024), "realisasi terakhir"),
        ("m5.t5", module5._usulan(c, metode="didepankan"), "didepankan"),
    ]
    for sid, jawaban, kata in wrong:
        msg = hint(sid, jawaban)
        assert kata in msg, (sid, msg)


# ------------------------------------------------------------------------------------------ module 6
def test_module6_worked_example_by_hand():
    # Dinas Kesehatan, Pengaduan: values 3,3,2,2,2,1,1 of 3 each, equal weights → 100 × 14 / 21 = 66.67
    assert kunci("m6.t1") == pytest.approx(100 * 14 / 21)
    # bands [bawah, atas) on the value rounded to 2 decimals: 80.995 → 81.00, 77.995 → 78.00
    assert kunci("m6.t2") == ["merah", "kuning", "kuning", "kuning", "kuning", "kuning", "hijau", "hijau"]
    assert kunci("m6.t3") == ["merah", "merah", "kuning", "hijau", "hijau", "hijau", "hijau", "hijau"]
    assert kunci("m6.t4") == {"OUT-06"}  # Output indicator at 1: 2 × 100 × 24.24/100 / (6 × 3) = 2.69 points
    # 72.30 + 2.69 (OUT-06) + 2.05 (ADU-06) = 77.05, still C; + 2.05 (ADU-07) = 79.10 → B, hijau
    assert kunci("m6.t5") == 3
    assert kunci("m6.t5", opd="RSUD") == 0  # already hijau (B)
    assert len(kunci("m6.t6")) == 8 and "RSUD" not in kunci("m6.t6")


def test_module6_each_wrong_answer_gets_its_hint():
    nilai = pd.Series([3, 3, 2, 2, 2, 1, 1], dtype="float64")
    sos = {"opd": "Dinas Sosial"}
    wrong = [
        ("m6.t1", nilai.mean(), "skala 0–100"), ("m6.t1", 100 * nilai.mean(), "lupa membagi"),
        ("m6.t1", nilai.sum(), "jumlah nilainya"), ("m6.t1", 100 * 14 / 21 * 21.54 / 100, "sumbangan dimensi"),
        ("m6.t1", 14 / 21, "persen"),
        ("m6.t2", kunci("m6.t3"), "skema lain"),
        ("m6.t2", ["merah", "merah", "kuning", "kuning", "kuning", "kuning", "kuning", "hijau"], "batas atas tidak"),
        ("m6.t2", ["merah", "kuning", "kuning", "kuning", "kuning", "kuning", "kuning", "hijau"], "dua desimal"),
        ("m6.t3", kunci("m6.t2"), "skema lain"),
        ("m6.t3", ["merah", "merah", "merah", "kuning", "kuning", "hijau", "hijau", "hijau"], "batas atas tidak"),
        ("m6.t3", ["merah", "merah", "kuning", "kuning", "hijau", "hijau", "hijau", "hijau"], "dua desimal"),
        ("m6.t5", module6._langkah(Konteks(DINKES), lambda v: v >= 88), "kategori B"),
        ("m6.t5", module6._langkah(Konteks(DINKES), lambda v: v >= 81), "skema 2021"),
        ("m6.t6", ["Dinas Sosial", "Dinas Pendidikan", "Dinas Perhubungan", "Dinas Perpustakaan dan Kearsipan"],
         "kuning juga"),
        ("m6.t6", sorted(kunci("m6.t6") | {"RSUD", "Dinas Kependudukan dan Pencatatan Sipil"}), "Kategori B"),
        ("m6.t6", sorted(module6._belum_hijau(lambda r: r.nilai < 81)), "skema 2021"),
    ]
    for sid, jawaban, kata in wrong:
        msg = hint(sid, jawaban)
        assert kata in msg, (sid, msg)
    # Dinas Sosial: its lowest indicators (value 0) are not all worth the same
    assert "Nilai indikator terendah" in hint("m6.t4", sorted(module6._terendah(Konteks(sos))), **sos)
    assert "rata-rata wilayah" in hint("m6.t4", sorted(module6._terbesar_wilayah()), opd="Dinas PUPR")


def test_module6_titles_and_notebook_say_simulasi():
    for s in modul(6).soal:
        if s.id in ("m6.t1", "m6.t4", "m6.t5", "m6.t6"):  # the tasks that score units
            assert "simulasi penilaian mandiri" in s.judul
    nb = release_notebook(nbk.read(exercises_dir() / modul(6).berkas))
    text = "\n".join(c.source for c in nb.cells)
    assert "Simulasi penilaian mandiri — bukan hasil resmi Ombudsman RI" in text
    assert "print(scoring.LABEL_SIMULASI)" in text
    assert scoring.LABEL_SIMULASI.startswith("Simulasi penilaian mandiri")


def test_module6_key_follows_the_unit():
    rsud = kunci("m6.t1", opd="RSUD")
    assert judge("m6.t1", rsud, {"opd": "RSUD Kepulauan Meranti"}).status == BENAR
    assert judge("m6.t1", rsud, {"opd": "RSUD", "nama_unit": "Dinas Sosial"}).status == SALAH


# ------------------------------------------------------------------------------------------ all four
@pytest.mark.parametrize("nomor", [3, 4, 5, 6])
def test_released_notebook_holds_no_computed_answer(nomor):
    master = nbk.read(exercises_dir() / modul(nomor).berkas)
    text = "\n".join(c.source for c in release_notebook(master).cells)
    for s in modul(nomor).soal:
        k = s.kunci(Konteks(DINKES))
        if isinstance(k, (int, float)) and not float(k).is_integer():
            assert fmt.angka(k, 2) not in text and f"{k:.2f}" not in text, s.id
        elif isinstance(k, int) and abs(k) > 100:
            assert str(k) not in text and fmt.angka(k) not in text, s.id


@pytest.mark.parametrize("nomor,keys", [(4, module4), (6, module6)])
def test_notebook_lists_the_values_the_key_classifies(nomor, keys):
    src = next(c.source for c in nbk.read(exercises_dir() / modul(nomor).berkas).cells
               if c.source.startswith("nilai_uji = "))
    assert tuple(ast.literal_eval(src.split("=", 1)[1].strip())) == keys.NILAI_UJI


def test_facilitator_guide_numbers_are_the_engines():
    """The figures quoted in PANDUAN_FASILITATOR.md, recomputed with the engine (D3 revised, D4 revised)."""
    from spm_helpers.engine import achievement, plan

    guide = (exercises_dir() / "PANDUAN_FASILITATOR.md").read_text(encoding="utf-8")
    d = cases_advanced.data_akhir_tahun()
    a = plan.build_rencana(d.sasaran, d.harga_satuan, ketersediaan=d.ketersediaan).anggaran
    biaya = dict(zip(a["tahun_rencana"], a["biaya"]))
    assert all(fmt.rupiah_ringkas(v, 1) in guide for v in cases_advanced.PAGU.values())
    assert fmt.rupiah_ringkas(biaya[2026], 2) in guide and fmt.rupiah_ringkas(biaya[2030], 2) in guide
    assert fmt.rupiah_ringkas(3667 * module3._bpo(Konteks(DINKES)), 2) in guide
    assert fmt.rupiah_ringkas(kunci("m3.t3"), 1) in guide
    assert len(kunci("m3.t4")) == 5 and "lima jenis belum tuntas" in guide
    for n in (0.0, 100.0):
        v = module4._wilayah(module4._isi_tanpa_sasaran(n))
        assert fmt.angka(v, 2) in guide
    assert achievement.assign_kategori(module4._wilayah(module4._isi_tanpa_sasaran(0.0))) == "Tuntas Pratama"
    assert fmt.angka(module4._ip_spm(), 2) in guide and fmt.angka(module4._rata_jenis(), 2) in guide
    assert fmt.angka(module5._wilayah(2025), 2) in guide
    assert achievement.assign_kategori(module5._wilayah(2025)) == "Tuntas Pratama"
