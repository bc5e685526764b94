"""The quarterly entry form, driven without a browser: set widget values, press the buttons with .click()."""
from __future__ import annotations

import shutil

import pandas as pd
import pytest

from spm_helpers.inputs import datastore
from spm_helpers.paths import contoh_dir
from spm_helpers.reference import catalog
from spm_helpers.reference import quarter as q
from spm_helpers.views.quarter_widget import IsianTriwulan


def read(folder, table):
    return datastore.read_table(folder / f"{table}.csv")


@pytest.fixture
def data(tmp_path):
    folder = tmp_path / "data"
    shutil.copytree(contoh_dir(), folder)
    return folder


def _row(b, **values):
    for k, v in values.items():
        b.fields[k].value = v


def test_the_form_shows_the_stored_rows_of_its_scope(data):
    form = IsianTriwulan(data, "32.75", 2025, 1, opd="disdik")
    a = read(data, "anggaran")
    mine = a[(a["kode_wilayah"] == "32.75") & (a["tahun"] == 2025) & (a["triwulan"] == 1)
             & a["kode_jenis"].str.startswith("PDD")]
    assert len(form.anggaran) == len(mine) > 0
    first = mine.iloc[0]
    assert form.anggaran[0].value("kode_jenis") == first["kode_jenis"]
    assert form.anggaran[0].value("alokasi") == f"{int(first['alokasi']):,}".replace(",", ".")  # Indonesian format
    assert [v for _, v in form.anggaran[0].fields["kode_jenis"].options][1:] == ["PDD-KK-01", "PDD-KK-02", "PDD-KK-03"]
    assert not form.with_tahapan and form.kotak_tahapan not in form.widget.children
    whole = IsianTriwulan(data, "32.75", 2025, 1)
    assert [v for _, v in whole.anggaran[0].fields["kode_jenis"].options][1:] == \
        catalog.jenis("kabkota")["kode_jenis"].tolist()
    assert list(whole.tahapan) == list(q.TAHAPAN)
    t = read(data, "tahapan")
    stage1 = t[(t["kode_wilayah"] == "32.75") & (t["tahun"] == 2025) & (t["tahapan"] == "1")].iloc[0]
    yyyy, mm, dd = stage1["tanggal"].split("-")
    assert whole.tahapan["1"]["status"].value == stage1["status"]
    assert whole.tahapan["1"]["tanggal"].value == f"{dd}/{mm}/{yyyy}"


def test_entering_a_quarter_saves_only_its_rows(data):
    start = {t: read(data, t) for t in datastore.QUARTER_TABLES}
    form = IsianTriwulan(data, "32.75", 2025, 2, opd="damkar")    # quarter 2 is missing in the demo for 32.75
    assert len(form.anggaran) == 1 and form.anggaran[0].value("alokasi") == ""   # one blank row to start with
    _row(form.anggaran[0], kode_jenis="TRB-KK-05", sumber_dana="APBD", alokasi="Rp 1.250.000", realisasi="0")
    _row(form.tambah_anggaran(), kode_jenis="TRB-KK-05", sumber_dana="lainnya", alokasi="500.000", realisasi="")
    _row(form.masalah[0], kode_jenis="TRB-KK-05", permasalahan="Mobil damkar rusak", solusi="Usul DAK",
         status="belum ditangani")
    form.tombol_simpan.click()
    assert "Tersimpan" in form.pesan.value and form.problems == []
    a = read(data, "anggaran")
    new = a[(a["kode_wilayah"] == "32.75") & (a["tahun"] == 2025) & (a["triwulan"] == 2)]
    assert new[["kode_jenis", "sumber_dana", "alokasi", "sumber_berkas"]].values.tolist() == [
        ["TRB-KK-05", "APBD", 1_250_000, "isian notebook"], ["TRB-KK-05", "lainnya", 500_000, "isian notebook"]]
    assert new["realisasi"].isna().tolist() == [False, True]         # '0' is 0, blank stays blank
    assert len(a) == len(start["anggaran"]) + 2
    pd.testing.assert_frame_equal(a.iloc[:len(start["anggaran"])][list(start["anggaran"].columns)],
                                  start["anggaran"], check_dtype=False)  # every other row untouched
    assert "4477000.0" not in (data / "anggaran.csv").read_text()    # whole rupiah stay whole in the file
    assert read(data, "tahapan").equals(start["tahapan"])
    # deleting a row with its button and saving again is an explicit choice: the row goes
    form.anggaran[1].hapus.click()
    form.simpan()
    a = read(data, "anggaran")
    assert a[(a["triwulan"] == 2) & (a["tahun"] == 2025) & (a["kode_wilayah"] == "32.75")]["sumber_dana"].tolist() == ["APBD"]


def test_bad_input_is_located_and_nothing_is_written(data):
    before = {t: (data / f"{t}.csv").read_bytes() for t in datastore.QUARTER_TABLES}
    form = IsianTriwulan(data, "32.75", 2025, 2, opd="damkar")
    _row(form.anggaran[0], kode_jenis="TRB-KK-05", sumber_dana="APBD", alokasi="-5.000", realisasi="12.5")
    _row(form.tambah_anggaran(), kode_jenis="", sumber_dana="APBD", alokasi="100")
    _row(form.masalah[0], kode_jenis="", permasalahan="Tanpa jenis", solusi="x", status="selesai")
    assert form.simpan() is False
    got = {(p.sheet, p.baris, p.kolom, p.alasan.split(";")[0]) for p in form.problems if p.tingkat == "galat"}
    assert got == {
        ("Anggaran", 1, "Alokasi tahun ini (Rp)", "alokasi tidak boleh negatif"),
        ("Anggaran", 1, "Realisasi s.d. akhir triwulan (Rp)", "format angka tidak jelas: pakai titik untuk ribuan dan "
                                                               "koma untuk desimal (misalnya 1.234 atau 12,5)"),
        ("Anggaran", 2, "Kode jenis", "anggaran harus menyebut jenis pelayanan (kode_jenis kosong)"),
        ("Permasalahan", 1, "Kode jenis", "permasalahan harus menyebut jenis pelayanan (kode_jenis kosong)"),
    }
    assert "Data belum benar" in form.pesan.value
    assert {t: (data / f"{t}.csv").read_bytes() for t in datastore.QUARTER_TABLES} == before


def test_a_warning_keeps_the_row_and_is_shown(data):
    form = IsianTriwulan(data, "32.75", 2025, 2, opd="damkar")
    _row(form.anggaran[0], kode_jenis="TRB-KK-05", sumber_dana="APBD", alokasi="100", realisasi="200")
    assert form.simpan() is True
    assert [p.alasan for p in form.problems] == ["realisasi lebih besar dari alokasi"]
    assert "Tersimpan" in form.pesan.value and "Periksa lagi" in form.pesan.value


def test_stages_and_a_folder_changed_meanwhile(data):
    form = IsianTriwulan(data, "32.75", 2025, 2, opd="bappeda")
    other = IsianTriwulan(data, "32.75", 2025, 2, opd="bappeda")
    form.tahapan["4"]["status"].value = "selesai"
    form.tahapan["4"]["tanggal"].value = "30/06/2025"
    form.tahapan["4"]["nomor_dokumen"].value = "Laporan pelaksanaan TW II"
    assert form.simpan() is True
    t = read(data, "tahapan")
    row = t[(t["kode_wilayah"] == "32.75") & (t["tahun"] == 2025) & (t["tahapan"] == "4")].iloc[0]
    assert (row["status"], row["tanggal"], row["nomor_dokumen"]) == ("selesai", "2025-06-30", "Laporan pelaksanaan TW II")
    # the second form was opened before: its save would silently undo the first one, so it is refused
    other.tahapan["1"]["nomor_dokumen"].value = "lain"
    assert other.simpan() is False and "berubah sejak isian dibuka" in other.pesan.value
    assert read(data, "tahapan").equals(t)
    other.tombol_muat.click()
    assert other.tahapan["4"]["status"].value == "selesai"
    other.tahapan["2"]["tanggal"].value = "31/02/2025"
    assert other.simpan() is False
    assert [(p.sheet, p.baris, p.kolom) for p in other.problems if p.tingkat == "galat"] == [
        ("Tahapan", 2, "Tanggal (selesai/mulai)")]


def test_an_empty_folder_gets_new_tables(tmp_path):
    form = IsianTriwulan(tmp_path / "baru", "32", 2025, 4, opd="satpolpp")
    _row(form.masalah[0], kode_jenis=form.jenis[0], status=q.TANPA_MASALAH)
    assert form.simpan() is True
    assert read(tmp_path / "baru", "permasalahan")[["kode_wilayah", "triwulan", "status"]].values.tolist() == [
        ["32", 4, q.TANPA_MASALAH]]
    assert not (tmp_path / "baru" / "anggaran.csv").exists()
