"""Module 1, task 7: usia lanjut estimated by hand from the case region's age table; the key is the engine's
estimate, each typical slip gets its hint, and the master notebook carries the task."""
from __future__ import annotations

import nbformat

from spm_helpers.engine import sasaran_estimate as se
from spm_helpers.paths import exercises_dir
from spm_helpers.training import cases
from spm_helpers.training.feedback import BENAR, SALAH, judge
from spm_helpers.training.registry import Konteks, modul, semua_soal


def test_key_is_the_engine_estimate_and_the_sum_of_four_groups():
    w = cases.tabel_umur_kasus()
    lansia = w[w["Kelompok Umur"].isin(["60-64", "65-69", "70-74", "75+"])]
    by_hand = int(lansia["Laki-laki"].sum() + lansia["Perempuan"].sum())  # L + P of 60–64 … 75+
    key = semua_soal()["m1.t7"].kunci(Konteks())
    e = se.perkirakan_sasaran(cases.penduduk_kasus()).set_index("kode_jenis")
    assert key == by_hand == int(e.loc["KES-KK-07", "perkiraan"])
    assert w["Jumlah"].iloc[-1] == cases.penduduk_kasus()["jumlah"].sum()  # the total row adds up
    assert judge("m1.t7", by_hand, {}).status == BENAR


def test_typical_slips_get_their_hint():
    w = cases.tabel_umur_kasus().set_index("Kelompok Umur")
    groups = ["60-64", "65-69", "70-74", "75+"]
    wrong = {int(w.loc[groups[:3], "Jumlah"].sum()): "75+",
             int(w.loc[groups, "Perempuan"].sum()): "hanya menjumlahkan perempuan",
             int(w.loc[groups, "Laki-laki"].sum()): "hanya menjumlahkan laki-laki",
             int(w.loc["60-64", "Jumlah"]): "baru kelompok 60–64"}
    for jawaban, pesan in wrong.items():
        put = judge("m1.t7", jawaban, {})
        assert put.status == SALAH and pesan in put.pesan, (jawaban, put.pesan)


def test_master_notebook_has_the_task_and_module_time():
    nb = nbformat.read(exercises_dir() / modul(1).berkas, as_version=4)
    text = "\n".join(c.source for c in nb.cells)
    assert 'check("m1.t7", lambda: perkiraan_lansia)' in text and "tabel_umur_kasus()" in text
    assert f"{modul(1).menit} menit" in nb.cells[0].source and modul(1).menit == 105
