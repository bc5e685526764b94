"""The annual report's budget and problem chapters (issue 14, item 3) on the hand-worked quarterly case
(tests/helpers/quarter_case.py): Bab II target, financing per source, realisation and rate per jenis; the
budget absorption chart per bidang; Bab III Permasalahan dan Solusi; the rencana aksi beside them.

The case (figures from its docstring): KES-KK-01 APBD alokasi 400 000 000, realisasi Q2 250 000 000; DAK nonfisik
alokasi 100 000 000, realisasi Q2 60 000 000 → alokasi 500 000 000, realisasi 310 000 000, 310/500 = 62,00 %.
KES-KK-02 APBD 200 000 000 / 50 000 000 = 25,00 %. Quarter 2 is the latest quarter with rows.
Money in tables is in juta rupiah (the report's convention, Bab I 1.5): 500, 310, 200, 50.
"""
from __future__ import annotations

import re
import sys
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from IPython.display import Markdown

from spm_helpers import region
from spm_helpers.documents import docx_writer, pdf_writer
from spm_helpers.documents.action_plan import DokumenRencanaAksi
from spm_helpers.documents.regional_report import LaporanWilayah
from spm_helpers.inputs import datastore
from spm_helpers.paths import contoh_dir
from spm_helpers.region import annual
from spm_helpers.views import stage_charts
from spm_helpers.views.blocks import Gambar, Tabel, print_font_sizes

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "helpers"))
import quarter_case  # noqa: E402

IBU_HAMIL, IBU_BERSALIN = "Pelayanan kesehatan ibu hamil", "Pelayanan kesehatan ibu bersalin"


def _laporan(folder: Path) -> LaporanWilayah:
    return LaporanWilayah(region.compute(region.load_region_data(quarter_case.KODE, quarter_case.TAHUN,
                                                                 data_dir=folder)))


def _folder(tmp_path: Path, **changes) -> Path:
    """The case written to a folder, with some tables replaced."""
    t = quarter_case.tables()
    t.update(changes)
    datastore.save(t, tmp_path)
    return tmp_path


def _tabel(bagian, judul_awal: str) -> Tabel:
    found = [b for b in bagian if isinstance(b, Tabel) and (b.judul or "").startswith(judul_awal)]
    assert len(found) == 1, [getattr(b, "judul", None) for b in bagian]
    return found[0]


def _rows(t: Tabel) -> dict[str, list[str]]:
    return {r[0]: r[1:] for r in t.rows}


def _text(bagian) -> str:
    return " ".join(b.data for b in bagian if isinstance(b, Markdown))


@pytest.fixture(scope="module")
def kasus(tmp_path_factory) -> LaporanWilayah:
    return _laporan(quarter_case.write(tmp_path_factory.mktemp("kasus")))


# ----------------------------------------------------------------------------- Bab II
def test_bab2_target_financing_realisation_per_jenis_by_hand(kasus):
    bab = kasus.bab_bidang("KES")
    t = _tabel(bab, "Target, pendanaan, dan realisasi per jenis")
    assert t.header == ["Jenis pelayanan dasar", "Target 2025", "Capaian 2025", "Sumber dana",
                        "Alokasi 2025 (juta Rp)", "Realisasi s.d. Triwulan II (juta Rp)", "Realisasi anggaran"]
    # capaian = annual terlayani / sasaran: 980/1000 = 98,00 %, 880/900 = 97,78 %; no 2024 data → no target
    assert _rows(t) == {IBU_HAMIL: ["–", "98,00%", "APBD, DAK nonfisik", "500", "310", "62,00%"],
                        IBU_BERSALIN: ["–", "97,78%", "APBD", "200", "50", "25,00%"]}
    per_sumber = _tabel(bab, "Pendanaan per sumber dana, s.d. Triwulan II")
    # APBD 250/400 = 62,50 %; DAK nonfisik 60/100 = 60,00 %
    assert per_sumber.rows == [[IBU_HAMIL, "APBD", "400", "250", "62,50%"],
                               [IBU_HAMIL, "DAK nonfisik", "100", "60", "60,00%"],
                               [IBU_BERSALIN, "APBD", "200", "50", "25,00%"]]
    # the bidang in words: 500 + 200 = Rp 700 juta, realisasi 310 + 50 = Rp 360 juta, 360/700 = 51,43 %
    assert ("Alokasi anggaran SPM bidang ini tahun 2025 sebesar Rp 700,00 juta dari APBD dan DAK nonfisik; "
            "realisasinya s.d. Triwulan II Rp 360,00 juta (51,43%).") in _text(bab)
    tp = kasus.target_pendanaan.set_index("kode_jenis")
    assert (int(tp.at["KES-KK-01", "alokasi"]), int(tp.at["KES-KK-01", "realisasi"])) == (500_000_000, 310_000_000)
    assert tp.at["KES-KK-01", "persen_realisasi"] == pytest.approx(62.0)
    intro = _text(kasus.pengantar_bab2())
    assert "s.d. Triwulan II. Realisasi itu belum mencakup seluruh tahun." in intro
    assert "Target** tahun 2025 belum dapat ditampilkan karena data tahun 2024 tidak tersedia" in intro


def test_target_is_the_plan_built_from_the_year_before(tmp_path):
    t = quarter_case.tables()
    # 2024: KES-KK-01 700 of 1 000 served (70 %), KES-KK-02 all 900 (100 %)
    extra = pd.DataFrame([{"kode_wilayah": quarter_case.KODE, "tahun": 2024, "kode_jenis": k, "jumlah_sasaran": s,
                           "jumlah_terlayani": n, "sumber_data": "kasus uji", "triwulan": pd.NA}
                          for k, s, n in (("KES-KK-01", 1000, 700), ("KES-KK-02", 900, 900))])
    sasaran = pd.concat([t["sasaran"], extra], ignore_index=True)
    sasaran["triwulan"] = sasaran["triwulan"].astype("Int64")
    lap = _laporan(_folder(tmp_path, sasaran=sasaran))
    # 'merata' over 5 years from 70 %: 70 + (100 − 70)/5 = 76,00 % in 2025; from 100 % it stays 100 %
    rows = _rows(_tabel(lap.bab_bidang("KES"), "Target, pendanaan"))
    assert rows[IBU_HAMIL][:2] == ["76,00%", "98,00%"] and rows[IBU_BERSALIN][:2] == ["100,00%", "97,78%"]
    # 98 ≥ 76 reached; 97,78 < 100 not reached
    assert "Sebanyak 1 dari 2 jenis yang memiliki target dan capaian mencapai target tahun 2025." in \
        _text(lap.bab_bidang("KES"))
    intro = _text(lap.pengantar_bab2())
    assert "disusun dari data tahun 2024" in intro and "sampai 100% pada tahun 2029" in intro


def test_latest_quarter_is_the_year_and_a_jenis_missing_from_it_is_belum_dilaporkan(tmp_path):
    t = quarter_case.tables()
    q4 = pd.DataFrame([{"kode_wilayah": quarter_case.KODE, "tahun": 2025, "triwulan": 4, "kode_jenis": "KES-KK-01",
                        "sumber_dana": s, "alokasi": a, "realisasi": r}
                       for s, a, r in (("APBD", 420_000_000, 410_000_000), ("DAK nonfisik", 100_000_000, 95_000_000))])
    lap = _laporan(_folder(tmp_path, anggaran=pd.concat([t["anggaran"], q4], ignore_index=True)))
    tab = _tabel(lap.bab_bidang("KES"), "Target, pendanaan")
    assert tab.header[5] == "Realisasi 2025 (juta Rp)"
    # Q4 = the year: 420 + 100 = 520, 410 + 95 = 505, 505/520 = 97,115… → 97,12 %; KES-KK-02 stopped after Q2
    assert _rows(tab) == {IBU_HAMIL: ["–", "98,00%", "APBD, DAK nonfisik", "520", "505", "97,12%"],
                          IBU_BERSALIN: ["–", "97,78%", "belum dilaporkan (terakhir Triwulan II)", "–", "–", "–"]}
    assert "Angka Triwulan IV adalah angka setahun penuh." in _text(lap.pengantar_bab2())


def test_region_without_budget_or_problem_rows_says_belum_dilaporkan_never_zero(tmp_path):
    t = quarter_case.tables()
    lap = _laporan(_folder(tmp_path, anggaran=t["anggaran"].iloc[0:0], permasalahan=t["permasalahan"].iloc[0:0]))
    tab = _tabel(lap.bab_bidang("KES"), "Target, pendanaan")
    assert _rows(tab) == {IBU_HAMIL: ["–", "98,00%", "belum dilaporkan", "–", "–", "–"],
                          IBU_BERSALIN: ["–", "97,78%", "belum dilaporkan", "–", "–", "–"]}
    assert not any(c in {"0", "0,00%", "Rp 0"} for r in tab.rows for c in r)
    assert "belum dilaporkan" in _text(lap.anggaran_spm()) and not any(isinstance(b, Gambar)
                                                                       for b in lap.anggaran_spm())
    assert "Anggaran SPM tahun 2025: belum dilaporkan" in lap.ringkasan().blok[0].markdown
    bab3 = _text(lap.permasalahan_solusi())
    assert "Belum ada isian permasalahan dan solusi untuk tahun 2025" in bab3 and "e-SPM" in bab3
    ra = DokumenRencanaAksi(lap.h).anggaran_per_jenis()
    cells = [r[1] for r in next(b for b in ra if isinstance(b, Tabel)).rows]
    assert cells and set(cells) == {"belum dilaporkan"}


def test_data_built_in_memory_has_empty_blocks_not_an_error(kasus):
    data = kasus.h.data
    from dataclasses import replace

    tt = annual.tahun_triwulan(replace(data, folder=None))
    assert tt.triwulan is None and tt.anggaran_jenis["alokasi"].isna().all() and tt.jumlah_baris_masalah == 0


# ----------------------------------------------------------------------------- chart
def test_absorption_chart_per_bidang_is_indonesian_and_legible_in_print(kasus):
    part = kasus.anggaran_spm()
    g = next(b for b in part if isinstance(b, Gambar))
    fig = g.fig
    assert min(print_font_sizes(fig)) >= 8 - 1e-6  # figure() ran legible_in_print
    ax = fig.axes[0]
    assert stage_charts.tick_labels(ax, "x") == ["0%", "25%", "50%", "75%", "100%"]
    ylabels = stage_charts.tick_labels(ax, "y")
    # KES: 310 + 50 = 360 juta of 500 + 200 = 700 juta
    assert "Kesehatan\nRp 360,0 jt dari Rp 700,0 jt" in ylabels and "Pendidikan" in ylabels
    texts = [t.get_text().strip() for t in ax.texts]
    assert "51,43%" in texts and texts.count("belum dilaporkan") == 5  # the five other bidang
    assert "Penyerapan anggaran SPM per bidang" in g.alt
    t = _tabel(part, "Alokasi dan realisasi anggaran SPM per sumber dana")
    # APBD 400 + 200 = 600, 250 + 50 = 300 (50,00 %); DAK nonfisik 100 / 60 (60,00 %)
    assert t.rows == [["APBD", "600", "300", "50,00%"], ["DAK nonfisik", "100", "60", "60,00%"]]


# ----------------------------------------------------------------------------- Bab III
def test_bab3_lists_the_problem_with_its_solusi_and_who_said_no_problem(kasus):
    part = kasus.permasalahan_solusi()
    t = _tabel(part, "Permasalahan dan solusi penerapan SPM, 2025")
    assert t.rows == [[IBU_HAMIL, "Bidan desa kurang di dua kecamatan", "Penempatan bidan PPPK",
                       "dalam penanganan (Triwulan II)"]]
    text = _text(part)
    assert "melaporkan 1 permasalahan pada 1 jenis" in text and "0 telah selesai dan 1 masih perlu" in text
    assert f"**Menyatakan tidak ada permasalahan:** {IBU_BERSALIN}." in text
    assert "**Belum mengisi blok permasalahan** (27 jenis)" in text  # 29 − the two jenis with rows
    assert [j.teks for j in kasus.outline if hasattr(j, "teks") and j.teks.startswith("Bab III")] == \
        ["Bab III Permasalahan dan Solusi"]
    mutu = _text(kasus.mutu_data())
    assert f"menemukan {len(kasus.h.masalah)} masalah" in mutu and "Lampiran" in mutu
    assert not any(isinstance(b, Tabel) for b in kasus.mutu_data())  # short: the full table stays in the annex
    assert len(_tabel(kasus.lampiran_mutu_data(), "Catatan pemeriksaan mutu data")) == len(kasus.h.bendera)


# ----------------------------------------------------------------------------- rencana aksi, demo, outputs
def test_rencana_aksi_shows_the_same_allocation_beside_the_plan_cost(kasus):
    ra = DokumenRencanaAksi(kasus.h)
    t = next(b for b in ra.anggaran_per_jenis() if isinstance(b, Tabel))
    assert t.header[:2] == ["Jenis pelayanan dasar", "Alokasi berjalan 2025 (laporan s.d. Triwulan II)"]
    assert _rows(t)[IBU_HAMIL][0] == "500" and _rows(t)[IBU_BERSALIN][0] == "200"
    assert "Rp 700,00 juta" in " ".join(b.data for b in ra.anggaran() if isinstance(b, Markdown))


def test_demo_region_figures_equal_the_csv_and_both_documents_agree():
    lap = LaporanWilayah(region.compute(region.load_region_data("32.75", 2025)))
    raw = pd.read_csv(contoh_dir() / "anggaran.csv", dtype={"kode_wilayah": str})
    raw = raw[(raw["kode_wilayah"] == "32.75") & (raw["tahun"] == 2025)]
    last = raw[raw["triwulan"] == raw["triwulan"].max()]
    expected = last.groupby("kode_jenis")[["alokasi", "realisasi"]].sum()
    tp = lap.target_pendanaan.set_index("kode_jenis")
    have = tp.dropna(subset=["alokasi"])
    assert sorted(have.index) == sorted(expected.index)
    assert have["alokasi"].astype(int).to_dict() == expected["alokasi"].to_dict()
    assert have["realisasi"].astype(int).to_dict() == expected["realisasi"].to_dict()
    assert set(tp.loc[tp["alokasi"].isna(), "sumber_dana"]) <= {"belum dilaporkan"}
    ra = next(b for b in DokumenRencanaAksi(lap.h).anggaran_per_jenis() if isinstance(b, Tabel))
    bab2 = {r[0]: r[4] for kb in ("PDD", "KES", "PU", "PRM", "TRB", "SOS")
            for r in _tabel(lap.bab_bidang(kb), "Target, pendanaan").rows}
    for r in ra.rows:
        assert r[1] == (bab2[r[0]] if bab2[r[0]] != "–" else "belum dilaporkan"), r[0]


def test_docx_and_pdf_carry_the_new_tables_and_the_chart(kasus, tmp_path):
    words = "\n".join(docx_writer.document_text(docx_writer.write_docx(kasus, tmp_path / "laporan.docx")))
    for s in ("Target, pendanaan, dan realisasi per jenis, 2025", "Pendanaan per sumber dana, s.d. Triwulan II",
              "Bab III Permasalahan dan Solusi", "Penempatan bidan PPPK", "dalam penanganan (Triwulan II)"):
        assert s in words, s
    assert re.search(r"^Gambar \d+\. Penyerapan anggaran SPM per bidang, Kota Bekasi 2025$", words, re.M)
    if not pdf_writer.available():
        pytest.skip("paket typst tidak terpasang")
    from pypdf import PdfReader

    pdf = pdf_writer.write_pdf(kasus, tmp_path / "laporan.pdf")
    text = " ".join(" ".join(p.extract_text() or "" for p in PdfReader(str(pdf)).pages).split())
    for s in ("Target, pendanaan, dan realisasi per jenis, 2025", "Bidan desa kurang di dua kecamatan",
              "Penyerapan anggaran SPM per bidang", "3.2 Mutu dan Kelengkapan Data"):
        assert s in text, s


# ----------------------------------------------------------------------------- property
_amount = st.one_of(st.none(), st.integers(0, 10**12))


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(rows=st.lists(st.tuples(st.sampled_from(["KES-KK-01", "KES-KK-02", "PDD-KK-01"]), st.integers(1, 4),
                               st.sampled_from(["APBD", "DAK fisik", "BOS"]), _amount, _amount),
                     max_size=12, unique_by=lambda r: (r[0], r[1], r[2])))
def test_year_figure_is_the_latest_quarter_and_an_unknown_part_is_never_a_total(kasus, rows):
    a = pd.DataFrame([{"kode_wilayah": "32.75", "tahun": 2025, "triwulan": t, "kode_jenis": j, "sumber_dana": s,
                       "alokasi": al, "realisasi": re} for j, t, s, al, re in rows],
                     columns=["kode_wilayah", "tahun", "triwulan", "kode_jenis", "sumber_dana", "alokasi", "realisasi"])
    for c in ("tahun", "triwulan", "alokasi", "realisasi"):
        a[c] = a[c].astype("Int64")
    tt = annual.tahun_triwulan(kasus.h.data, {"anggaran": a, "permasalahan": quarter_case.tables()["permasalahan"]})
    latest = int(a["triwulan"].max()) if len(a) else None
    assert tt.triwulan == latest
    per = tt.anggaran_jenis.set_index("kode_jenis")
    assert len(per) == 29  # every jenis of a kabupaten/kota, reported or not
    for kode, row in per.iterrows():
        mine = a[(a["kode_jenis"] == kode) & (a["triwulan"] == latest)] if latest else a.iloc[0:0]
        if mine.empty:
            assert pd.isna(row["alokasi"]) and pd.isna(row["realisasi"])  # belum dilaporkan, not Rp 0
        elif mine["alokasi"].isna().any():
            assert pd.isna(row["alokasi"])
        else:
            assert int(row["alokasi"]) == int(mine["alokasi"].sum())
