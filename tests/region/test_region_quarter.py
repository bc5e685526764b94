"""region.quarter + documents.quarter_pack on the hand-worked case of tests/helpers/quarter_case.py.

Every figure below is worked out by hand in that module's docstring."""
from __future__ import annotations

import datetime as dt
import shutil
import subprocess

import openpyxl
import pandas as pd
import pytest
import quarter_case

from spm_helpers.documents import quarter_pack
from spm_helpers.errors import SPMDataError
from spm_helpers.inputs import datastore
from spm_helpers.reference import quarter as q
from spm_helpers.region import quarter as rq


@pytest.fixture(scope="module")
def folder(tmp_path_factory):
    return quarter_case.write(tmp_path_factory.mktemp("kasus"))


@pytest.fixture(scope="module")
def q2(folder):
    return rq.compute_triwulan(quarter_case.KODE, 2025, 2, folder, hari_ini=dt.date(2025, 7, 10))


def test_completeness_per_block_and_overall(q2):
    b = q2.blok.set_index("kode_blok")
    # capaian: 2 of 29 jenis scored; anggaran: 2 of 29 with rows; permasalahan: 2 of 29 (one problem with its
    # solusi, one 'tidak ada permasalahan'); tahapan: 4 of 4 stated; rencana aksi: 'selesai' without a number
    assert b["jumlah_lengkap"].to_dict() == {"capaian": 2, "anggaran": 2, "permasalahan": 2, "tahapan": 4,
                                             "rencana_aksi": 0}
    assert b["jumlah_wajib"].to_dict() == {"capaian": 29, "anggaran": 29, "permasalahan": 29, "tahapan": 4,
                                           "rencana_aksi": 1}
    # overall = (2/29 + 2/29 + 2/29 + 1 + 0) / 5 × 100 = (6/29 + 1) / 5 × 100 = 24,1379…
    assert q2.skor == pytest.approx((6 / 29 + 1) / 5 * 100)
    ra = q2.kurang[q2.kurang["kode_blok"] == "rencana_aksi"]
    assert ra["kekurangan"].tolist() == ["nomor dokumen kosong"]
    assert ra["penanggung_jawab"].iloc[0].startswith("Bappeda")
    cap = q2.kurang[q2.kurang["kode_blok"] == "capaian"]
    assert len(cap) == 27 and (cap["kekurangan"] == "belum dilaporkan (sasaran dan terlayani)").all()
    assert q2.hari_tersisa == 10 and q2.tenggat[0] == dt.date(2025, 7, 20)  # TW II: 20 Juli


def test_budget_figures(q2):
    a = q2.anggaran_jenis.set_index("kode_jenis")
    assert a.loc["KES-KK-01", "alokasi"] == 500_000_000 and a.loc["KES-KK-01", "realisasi"] == 310_000_000
    assert a.loc["KES-KK-01", "persen_realisasi"] == pytest.approx(62.0)
    assert a.loc["KES-KK-02", "persen_realisasi"] == pytest.approx(25.0)  # 50 / 200
    assert pd.isna(a.loc["KES-KK-03", "alokasi"])  # no row: unknown, never Rp 0
    t = quarter_pack.tabel_anggaran(q2)
    assert (t.loc[t["kode_jenis"] == "KES-KK-03", "keterangan"] == q.BELUM_DILAPORKAN).all()


def test_capaian_is_cumulative_and_q4_is_the_year(folder, q2):
    c = q2.capaian.set_index("kode_jenis")
    # KES-KK-01: 500 of 1 000 served by the end of June → 50 %; every stock item reported (100 000) → mutu 100;
    # indeks = 0,8 × 50 + 0,2 × 100 = 60
    assert c.loc["KES-KK-01", "capaian_penerima"] == pytest.approx(50.0)
    assert c.loc["KES-KK-01", "indeks"] == pytest.approx(60.0)
    assert c.loc["KES-KK-04", "status"] == q.BELUM_DILAPORKAN
    q4 = rq.compute_triwulan(quarter_case.KODE, 2025, 4, folder).capaian.set_index("kode_jenis")
    # no quarter-4 rows: the annual row (980 of 1 000) is quarter 4 → 0,8 × 98 + 0,2 × 100 = 98,4
    assert q4.loc["KES-KK-01", "indeks"] == pytest.approx(98.4)


def test_q4_equals_the_annual_report_on_demo_data():
    from spm_helpers import region

    for kode in ("17.01", "32"):
        annual = region.compute(region.load_region_data(kode, 2025)).indeks["indeks"]
        assert rq.compute_triwulan(kode, 2025, 4).indeks["indeks"] == pytest.approx(annual, abs=1e-9)


def test_stages_at_quarter_1(folder):
    h = rq.compute_triwulan(quarter_case.KODE, 2025, 1, folder)
    st = h.tahapan.set_index("tahapan")["status_triwulan"].to_dict()
    # stage 3 was finished on 15 May: at the end of March it was still in progress; rencana aksi (30 April) too
    assert st == {"1": q.SELESAI, "2": q.SELESAI, "3": q.PROSES, "4": q.PROSES, "rencana_aksi": q.PROSES}
    # the Q1 budget of KES-KK-01: (100 + 20) / (400 + 100) = 24 %
    assert h.anggaran_jenis.set_index("kode_jenis").loc["KES-KK-01", "persen_realisasi"] == pytest.approx(24.0)
    # an unfinished rencana aksi needs no document number yet: its block is complete at quarter 1
    assert h.blok.set_index("kode_blok").loc["rencana_aksi", "keterisian"] == 100.0


def test_a_quarter_without_any_data_is_not_reported_never_zero(folder):
    h = rq.compute_triwulan(quarter_case.KODE, 2025, 3, folder)
    assert h.indeks == {} and (h.capaian["status"] == q.BELUM_DILAPORKAN).all()
    assert h.anggaran_jenis["alokasi"].isna().all()
    r = rq.ringkasan_triwulan(h)
    assert r["ip_spm"] is None and r["alokasi"] is None
    assert "Capaian penerapan SPM" in r["blok_kosong"]


def test_workbook_has_the_five_blocks_in_e_spm_order(q2, tmp_path):
    path = quarter_pack.write_workbook(q2, tmp_path / quarter_pack.filename(q2))
    wb = openpyxl.load_workbook(path)
    assert wb.sheetnames == list(quarter_pack.SHEETS)
    values = [[c.value for c in row] for row in wb["2 Penganggaran"].iter_rows()]
    kes01 = [r for r in values if r[0] == "KES-KK-01"]
    assert [r[2:5] for r in kes01] == [["APBD", 400_000_000, 250_000_000], ["DAK nonfisik", 100_000_000, 60_000_000]]
    cap = [r for r in ([c.value for c in row] for row in wb["1 Capaian"].iter_rows()) if r[1] == "KES-KK-01"][0]
    assert cap[4:7] == [1000, 500, 50.0]
    kurang = [[c.value for c in row] for row in wb["Kekurangan"].iter_rows()]
    assert any(r[-1] == "nomor dokumen kosong" for r in kurang)
    first_jenis = [r[1] for r in ([c.value for c in row] for row in wb["1 Capaian"].iter_rows()) if r[0] == 1]
    assert first_jenis == ["PDD-KK-01"]  # catalogue order


def test_user_text_cannot_become_a_formula(folder, tmp_path):
    t = quarter_case.tables()
    t["permasalahan"].loc[0, "permasalahan"] = '=HYPERLINK("http://x","klik")'
    f = tmp_path / "d"
    f.mkdir()
    datastore.save(t, f)
    h = rq.compute_triwulan(quarter_case.KODE, 2025, 2, f)
    wb = openpyxl.load_workbook(quarter_pack.write_workbook(h, tmp_path / "p.xlsx"))
    cells = [c for row in wb["3 Permasalahan"].iter_rows() for c in row if str(c.value).startswith("=HYPER")]
    assert cells and all(c.data_type == "s" for c in cells)


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice (soffice) tidak terpasang")
def test_libreoffice_opens_every_sheet(q2, tmp_path):
    path = quarter_pack.write_workbook(q2, tmp_path / "paket.xlsx")
    subprocess.run(["soffice", "--headless", f"-env:UserInstallation=file://{tmp_path}/lo", "--convert-to", "pdf",
                    "--outdir", str(tmp_path), str(path)], check=True, capture_output=True, timeout=180)
    text = subprocess.run(["pdftotext", str(tmp_path / "paket.pdf"), "-"], capture_output=True, text=True,
                          check=True).stdout
    for title in ("Ringkasan laporan triwulan", "1. Capaian penerapan SPM", "2. Penganggaran SPM",
                  "3. Permasalahan dan solusi", "4. Pemenuhan empat tahapan", "5. Penyusunan dokumen Rencana Aksi",
                  "Kekurangan yang harus dilengkapi"):
        assert title in text, title
    assert not any(err in text for err in ("#VALUE", "#REF", "#NAME", "Err:"))


@pytest.mark.parametrize("table,column,value,reason", [
    ("anggaran", "alokasi", -5, "alokasi tidak boleh negatif"),
    ("anggaran", "sumber_dana", "DAU", "sumber dana tidak dikenal"),
    ("anggaran", "triwulan", 5, "triwulan harus 1, 2, 3 atau 4"),
    ("permasalahan", "kode_jenis", None, "permasalahan harus menyebut jenis pelayanan"),
    ("permasalahan", "triwulan", 5, "triwulan harus 1, 2, 3 atau 4"),
    ("tahapan", "tanggal", "2025-02-30", "tanggal harus tanggal yang sah"),
    ("tahapan", "status", "hampir", "status tahapan harus"),
])
def test_bad_input_per_table_is_located_and_nothing_is_lost(tmp_path, table, column, value, reason):
    t = quarter_case.tables()
    t[table] = t[table].astype(object)
    t[table].loc[0, column] = value
    f = tmp_path / "d"
    f.mkdir()
    datastore.save(t, f)
    before = (f / f"{table}.csv").read_bytes()
    with pytest.raises(SPMDataError) as err:
        rq.compute_triwulan(quarter_case.KODE, 2025, 2, f)
    p = [p for p in err.value.problems if reason in p.alasan]
    assert p and p[0].berkas == f"{table}.csv" and p[0].baris == 2 and p[0].kolom == column
    assert (f / f"{table}.csv").read_bytes() == before  # the user's file is untouched


def test_realisasi_above_alokasi_is_a_warning_and_the_row_is_kept(tmp_path):
    t = quarter_case.tables()
    t["anggaran"].loc[t["anggaran"].index[-1], "realisasi"] = 300_000_000  # KES-KK-02 Q2: 300 > 200 million
    f = tmp_path / "d"
    f.mkdir()
    datastore.save(t, f)
    h = rq.compute_triwulan(quarter_case.KODE, 2025, 2, f)
    assert h.anggaran_jenis.set_index("kode_jenis").loc["KES-KK-02", "persen_realisasi"] == pytest.approx(150.0)
    w = [p for p in h.peringatan if "realisasi lebih besar dari alokasi" in p.alasan]
    assert w and w[0].nilai == "Rp 300.000.000 > Rp 200.000.000"
