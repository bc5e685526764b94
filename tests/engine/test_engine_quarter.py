"""engine.quarter: the quarter semantics of D9, checked on small hand-made tables."""
from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from spm_helpers.engine import quarter as eq
from spm_helpers.errors import SPMValueError
from spm_helpers.reference import quarter as q


def _sasaran(rows):
    df = pd.DataFrame(rows, columns=["kode_wilayah", "tahun", "kode_jenis", "jumlah_sasaran", "jumlah_terlayani",
                                     "triwulan"])
    df["triwulan"] = df["triwulan"].astype("Int64")
    return df


def test_quarter_rows_are_cumulative_and_q4_is_the_annual_figure():
    s = _sasaran([("32.75", 2025, "KES-KK-01", 100, 30, 1), ("32.75", 2025, "KES-KK-01", 100, 55, 2),
                  ("32.75", 2025, "KES-KK-01", 100, 97, 4), ("32.75", 2025, "KES-KK-01", 100, 98, pd.NA),
                  ("32.75", 2025, "KES-KK-02", 80, 70, 4)])
    assert eq.sasaran_triwulan(s, 2)["jumlah_terlayani"].tolist() == [55]
    q4 = eq.sasaran_triwulan(s, 4)
    # the annual row (98) wins over the quarter-4 row (97); KES-KK-02 has only its quarter-4 row
    assert dict(zip(q4["kode_jenis"], q4["jumlah_terlayani"])) == {"KES-KK-01": 98, "KES-KK-02": 70}
    assert "triwulan" not in q4.columns
    assert eq.sasaran_triwulan(s, 3).empty  # quarter 3 not reported: nothing, never zeros


def test_annual_only_table_describes_quarter_4_and_nothing_earlier():
    s = _sasaran([("32.75", 2025, "KES-KK-01", 100, 98, pd.NA)]).drop(columns="triwulan")
    assert len(eq.sasaran_triwulan(s, 4)) == 1 and eq.sasaran_triwulan(s, 1).empty


@pytest.mark.parametrize("bad", [0, 5, "II", None])
def test_quarter_outside_1_to_4_is_refused_in_indonesian(bad):
    with pytest.raises(SPMValueError, match="triwulan harus 1, 2, 3 atau 4"):
        eq.sasaran_triwulan(_sasaran([]), bad)


def _anggaran(rows):
    return pd.DataFrame(rows, columns=["kode_wilayah", "tahun", "triwulan", "kode_jenis", "sumber_dana", "alokasi",
                                       "realisasi"]).astype({"alokasi": "Int64", "realisasi": "Int64"})


def test_budget_rate_is_cumulative_realisation_over_the_yearly_allocation():
    a = _anggaran([("32.75", 2025, 1, "KES-KK-01", "APBD", 400_000_000, 100_000_000),
                   ("32.75", 2025, 2, "KES-KK-01", "APBD", 400_000_000, 250_000_000),
                   ("32.75", 2025, 2, "KES-KK-01", "DAK nonfisik", 100_000_000, 60_000_000),
                   ("32.75", 2025, 2, "KES-KK-02", "APBD", 0, 0),
                   ("32.75", 2025, 2, "KES-KK-03", "APBD", 50_000_000, None)])
    r = eq.ringkasan_anggaran(a, 2)
    assert r["sumber_dana"].tolist() == ["APBD", "DAK nonfisik", "APBD", "APBD"]  # catalogue order of sources
    assert r["persen_realisasi"].iloc[0] == pytest.approx(62.5)  # 250/400
    per = eq.anggaran_per_jenis(r).set_index("kode_jenis")
    # KES-KK-01: 400 + 100 = 500 million allocated, 250 + 60 = 310 realised → 62 %
    assert per.loc["KES-KK-01", "alokasi"] == 500_000_000 and per.loc["KES-KK-01", "realisasi"] == 310_000_000
    assert per.loc["KES-KK-01", "persen_realisasi"] == pytest.approx(62.0)
    assert per.loc["KES-KK-01", "sumber"] == "APBD, DAK nonfisik"
    assert np.isnan(per.loc["KES-KK-02", "persen_realisasi"])  # Rp 0 allocated: no rate, not 0 %
    assert pd.isna(per.loc["KES-KK-03", "realisasi"])  # an unknown part makes the total unknown
    assert eq.ringkasan_anggaran(a, 3).empty  # quarter not reported


def test_stage_status_at_quarter_end_follows_the_date():
    t = pd.DataFrame([("32.75", 2025, "1", q.SELESAI, "2025-02-10", "A"), ("32.75", 2025, "3", q.SELESAI,
                                                                           "2025-05-15", "B"),
                      ("32.75", 2025, "4", q.PROSES, "2025-04-02", None)],
                     columns=["kode_wilayah", "tahun", "tahapan", "status", "tanggal", "nomor_dokumen"])
    q1 = eq.status_tahapan(t, ["32.75"], 2025, 1).set_index("tahapan")["status_triwulan"]
    assert q1.to_dict() == {"1": q.SELESAI, "2": q.BELUM_DILAPORKAN, "3": q.PROSES, "4": q.BELUM,
                            "rencana_aksi": q.BELUM_DILAPORKAN}
    q2 = eq.status_tahapan(t, ["32.75"], 2025, 2).set_index("tahapan")["status_triwulan"]
    assert q2["3"] == q.SELESAI and q2["4"] == q.PROSES


def test_year_problem_list_keeps_each_problem_once_with_its_last_status():
    m = pd.DataFrame([("32.75", 2025, 1, "KES-KK-01", "Bidan kurang", "PPPK", "belum ditangani"),
                      ("32.75", 2025, 2, "KES-KK-01", "Bidan kurang", "PPPK", "dalam penanganan"),
                      ("32.75", 2025, 2, "KES-KK-02", None, None, q.TANPA_MASALAH)],
                     columns=["kode_wilayah", "tahun", "triwulan", "kode_jenis", "permasalahan", "solusi", "status"])
    year = eq.daftar_permasalahan(m)
    assert year[["kode_jenis", "status", "triwulan_terakhir"]].values.tolist() == [["KES-KK-01", "dalam penanganan", 2]]
    assert len(eq.daftar_permasalahan(m, 1)) == 1


def _wajib(n):
    return pd.DataFrame({"kode_wilayah": "32.75", "kode_jenis": [f"KES-KK-{i:02d}" for i in range(1, n + 1)],
                         "nama_jenis": "x", "opd_pengampu": "Dinas Kesehatan"})


@settings(max_examples=60, deadline=None, derandomize=True)
@given(st.lists(st.sampled_from(["lengkap", "kosong", "tanpa_realisasi", "tanpa_baris"]), min_size=1, max_size=12))
def test_budget_completeness_counts_against_the_catalogue_never_the_rows(kinds):
    """Property: keterisian anggaran = 100 × jenis with every row filled / jenis required, whatever is missing."""
    wajib = _wajib(len(kinds))
    rows = []
    for kode, kind in zip(wajib["kode_jenis"], kinds):
        if kind == "tanpa_baris":
            continue
        rows.append(("32.75", 2025, 2, kode, "APBD", None if kind == "kosong" else 10,
                     None if kind in ("kosong", "tanpa_realisasi") else 5))
    empty_cap = pd.DataFrame(columns=["kode_wilayah", "kode_jenis", "jumlah_sasaran", "jumlah_terlayani",
                                      "jumlah_butir_tanpa_data", "status"])
    tah = eq.status_tahapan(pd.DataFrame(columns=["kode_wilayah", "tahun", "tahapan", "status", "tanggal",
                                                  "nomor_dokumen"]), ["32.75"], 2025, 2)
    k = eq.keterisian_blok(wajib=wajib, capaian=empty_cap, anggaran=_anggaran(rows),
                           permasalahan=pd.DataFrame(columns=["kode_wilayah", "kode_jenis", "permasalahan", "solusi",
                                                              "status"]), tahapan=tah)
    b = k.blok.set_index("kode_blok")
    assert b.loc["anggaran", "jumlah_wajib"] == len(kinds)
    assert b.loc["anggaran", "keterisian"] == pytest.approx(100 * kinds.count("lengkap") / len(kinds))
    missing = k.kurang[k.kurang["kode_blok"] == "anggaran"]
    assert len(missing) == len(kinds) - kinds.count("lengkap")
    assert (missing["penanggung_jawab"] == "Dinas Kesehatan").all()
    # nothing reported anywhere else: those blocks are 0, and the overall score is their weighted mean
    assert k.total["keterisian"].iloc[0] == pytest.approx(b["keterisian"].mean())


@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(["11", "11.01"]), st.sampled_from(["KES-KK-01", "PDD-KK-02"]),
                          st.sampled_from(["APBD", "DAK nonfisik", "BOS", None]),
                          st.one_of(st.none(), st.integers(0, 10**9)), st.one_of(st.none(), st.integers(0, 10**9))),
                min_size=1, max_size=12))
def test_the_funding_sources_of_a_jenis_are_named_once_in_order_of_first_appearance(rows):
    """``sumber`` per jenis: each source once, in the order its rows come; a sum with an unknown part is NA."""
    df = pd.DataFrame(rows, columns=["kode_wilayah", "kode_jenis", "sumber_dana", "alokasi", "realisasi"])
    df["tahun"] = 2025
    df[["alokasi", "realisasi"]] = df[["alokasi", "realisasi"]].astype("Int64")
    out = eq.anggaran_per_jenis(df).set_index(["kode_wilayah", "kode_jenis"])
    for (kode, jenis), part in df.groupby(["kode_wilayah", "kode_jenis"]):
        row = out.loc[(kode, jenis)]
        assert row["sumber"] == ", ".join(dict.fromkeys(part["sumber_dana"].dropna()))
        for col in ("alokasi", "realisasi"):
            expect = part[col].sum() if part[col].notna().all() else pd.NA
            assert (pd.isna(row[col]) and pd.isna(expect)) or row[col] == expect
