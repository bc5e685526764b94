"""Training kit for SPM workshops (DESIGN §7): exercises with instant feedback, release, grading.

In a participant notebook::

    from spm_helpers.training import cek, mulai
    mulai(nama_peserta, opd, modul=2)
    cek("m2.t3", biaya_butir)      # shows a coloured verdict with a hint, returns True/False
"""
from .check import cek, mulai, periksa
from .soal import daftar_modul, modul
from .widgets import isian_angka, pilihan_ganda

__all__ = ["cek", "daftar_modul", "isian_angka", "modul", "mulai", "periksa", "pilihan_ganda"]
