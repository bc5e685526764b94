"""The hand-entry form, driven without a browser: set widget values, press the button with .click()."""
from __future__ import annotations

import corpus_collect as cc
import pandas as pd
import pytest

from spm_helpers.reference import catalog
from spm_helpers.views.collect_widget import FormIsian


@pytest.fixture
def demo():
    return cc.demo(cc.KAB)


def _form(demo):
    return FormIsian(cc.KAB, cc.TAHUN, sasaran=demo.sasaran, ketersediaan=demo.ketersediaan)


def test_jenis_dropdown_follows_the_region_level(demo):
    form = _form(demo)
    assert [v for _, v in form.jenis.options] == catalog.jenis("kabkota")["kode_jenis"].tolist()
    form.wilayah.value = "32"
    assert [v for _, v in form.jenis.options] == catalog.jenis("provinsi")["kode_jenis"].tolist()


def test_choosing_a_jenis_shows_its_current_numbers(demo):
    form = _form(demo)
    form.jenis.value = "KES-KK-01"
    row = demo.sasaran.set_index("kode_jenis").loc["KES-KK-01"]
    assert form.isian_sasaran.value == str(row["jumlah_sasaran"])
    assert form.isian_terlayani.value == str(row["jumlah_terlayani"])
    assert list(form.butir) == catalog.mutu(kode_jenis="KES-KK-01")["kode_item"].tolist()
    k = demo.ketersediaan.set_index("kode_item")["jumlah_tersedia"]
    assert all(box.value == str(k[kode]) for kode, box in form.butir.items())


def test_correcting_one_jenis_updates_only_its_rows(demo):
    form = _form(demo)
    form.jenis.value = "KES-KK-01"
    form.isian_sasaran.value = "1.500"        # Indonesian thousands
    form.isian_terlayani.value = "0"          # zero is zero
    first, second = list(form.butir)[:2]
    form.butir[first].value = ""              # blank is 'no data', not zero
    form.butir[second].value = "2.750"
    form.tombol_simpan.click()
    assert form.problems == [] and "Tersimpan" in form.pesan.value
    s = form.sasaran.set_index("kode_jenis")
    assert (s.at["KES-KK-01", "jumlah_sasaran"], s.at["KES-KK-01", "jumlah_terlayani"]) == (1500, 0)
    k = form.ketersediaan.set_index("kode_item")["jumlah_tersedia"]
    assert pd.isna(k[first]) and k[second] == 2750
    assert len(form.sasaran) == len(demo.sasaran) and len(form.ketersediaan) == len(demo.ketersediaan)
    untouched = demo.sasaran[demo.sasaran["kode_jenis"] != "KES-KK-01"].set_index("kode_jenis")
    assert s.loc[untouched.index, "jumlah_sasaran"].tolist() == untouched["jumlah_sasaran"].tolist()


def test_bad_input_shows_the_problem_box_and_changes_nothing(demo):
    form = _form(demo)
    form.jenis.value = "PDD-KK-02"
    before = form.sasaran.copy()
    form.isian_sasaran.value = "100"
    form.isian_terlayani.value = "150"                       # more served than targeted
    next(iter(form.butir.values())).value = "dua puluh"      # not a number
    assert form.save() is False
    reasons = {(p.kolom, p.alasan) for p in form.problems}
    assert ("Jumlah terlayani", "jumlah terlayani lebih besar dari jumlah sasaran") in reasons
    assert any(k.startswith("Jumlah tersedia PDD-KK-02.") and a == "bukan angka" for k, a in reasons)
    assert "Data belum benar" in form.pesan.value and "bukan angka" in form.pesan.value
    pd.testing.assert_frame_equal(form.sasaran, before)


def test_new_region_starts_empty_and_fills_tables():
    form = FormIsian("64.11", 2025)  # no data yet
    form.jenis.value = "PU-KK-01"
    assert form.isian_sasaran.value == ""
    form.isian_sasaran.value = "12000"
    form.isian_sumber.value = "Dinas PUPR"
    assert form.save()
    [row] = form.sasaran.to_dict("records")
    assert row["kode_wilayah"] == "64.11" and row["jumlah_sasaran"] == 12000 and pd.isna(row["jumlah_terlayani"])
    assert row["sumber_data"] == "Dinas PUPR"
    assert len(form.ketersediaan) == len(form.butir) and form.ketersediaan["jumlah_tersedia"].isna().all()


def test_unknown_region_is_reported_in_indonesian(demo):
    form = _form(demo)
    form.wilayah.value = "Kota Bekasy Raya"
    assert form.problems and form.problems[0].kolom == "Kode wilayah"
    assert "tidak ditemukan" in form.pesan.value
    assert form.save() is False
