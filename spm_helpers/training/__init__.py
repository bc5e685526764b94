"""Training kit for SPM workshops (DESIGN §7): exercises with instant feedback, release, grading.

In a participant notebook::

    from spm_helpers.training import check, start
    start(nama_peserta, opd, modul=2)
    check("m2.t3", biaya_butir)      # shows a coloured verdict with a hint, returns True/False
"""
from spm_helpers.training.feedback import check, judge, start
from spm_helpers.training.registry import daftar_modul, modul
from spm_helpers.training.widgets import isian_angka, pilihan_ganda

__all__ = ["check", "daftar_modul", "isian_angka", "judge", "modul", "pilihan_ganda", "start"]
