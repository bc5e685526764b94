"""Modul 1 — Pengumpulan data: read an OPD form, find and fix the injected problems of the case region.

Keys are computed from the case data *with* problems (``contoh.generate(..., masalah=True)``) by the
same rules the participant is asked to apply; ``test_training`` checks they find exactly the
problems listed in ``DemoData.masalah``.
"""
from __future__ import annotations

import pandas as pd

from spm_helpers.engine import sasaran_estimate as se
from spm_helpers.reference import catalog
from spm_helpers.training.cases import TAHUN, TAHUN_LALU, data_kasus, jenis_dipakai, penduduk_kasus
from spm_helpers.training.comparers import Angka, Himpunan, Tabel
from spm_helpers.training.registry import Modul, Petunjuk, Soal, register

BATAS_LONJAKAN = 2.0  # sasaran more than twice last year's


def _tahun(masalah: bool = True, tahun: int = TAHUN) -> pd.DataFrame:
    s = data_kasus(masalah=masalah).sasaran
    return s[s["tahun"] == tahun]


def _kode(mask_df: pd.DataFrame) -> set[str]:
    return set(mask_df["kode_jenis"])


def _di_formulir(c, kolom: str) -> int:
    s = _tahun()
    return int(s.loc[s["kode_jenis"] == jenis_dipakai(c), kolom].iloc[0])


def _melebihi(c, ketat: bool = True) -> set[str]:
    s = _tahun().dropna(subset=["jumlah_terlayani"])
    lebih = s["jumlah_terlayani"] > s["jumlah_sasaran"] if ketat else s["jumlah_terlayani"] >= s["jumlah_sasaran"]
    return _kode(s[lebih])


def _kosong(c, nol_juga: bool = False) -> set[str]:
    s = _tahun()
    mask = s["jumlah_terlayani"].isna()
    if nol_juga:
        mask = mask | (s["jumlah_terlayani"] == 0).fillna(False)
    return _kode(s[mask])


def _hilang(c) -> set[str]:
    return set(catalog.jenis("kabkota")["kode_jenis"]) - _kode(_tahun())


def _nol(c) -> set[str]:
    s = _tahun()
    return _kode(s[s["jumlah_sasaran"] == 0])


def _lonjakan(c, termasuk_dari_nol: bool = False) -> set[str]:
    ini = _tahun().set_index("kode_jenis")["jumlah_sasaran"].astype("float64")
    lalu = _tahun(tahun=TAHUN_LALU).set_index("kode_jenis")["jumlah_sasaran"].astype("float64")
    lalu = lalu.reindex(ini.index)
    naik = ini > BATAS_LONJAKAN * lalu
    if not termasuk_dari_nol:
        naik &= lalu > 0
    return set(ini.index[naik.fillna(False)])


JENIS_PERKIRAAN = "KES-KK-07"  # usia lanjut (≥ 60): read off the age table by hand in task 7


def _lansia(c) -> int:
    """The engine's estimate of usia lanjut from the case region's age table (the key of task 7)."""
    e = se.perkirakan_sasaran(penduduk_kasus())
    return int(e.loc[e["kode_jenis"] == JENIS_PERKIRAAN, "perkiraan"].iloc[0])


def _umur(groups: tuple[str, ...], sexes: tuple[str, ...] = ("L", "P")) -> int:
    """A typical slip: the wrong groups or one sex only."""
    p = penduduk_kasus()
    return int(p.loc[p["kelompok_umur"].isin(groups) & p["jenis_kelamin"].isin(sexes), "jumlah"].sum())


_LANSIA = ("60-64", "65-69", "70-74", "75+")


def _tabel(masalah: bool) -> pd.DataFrame:
    return _tahun(masalah)[["kode_jenis", "jumlah_sasaran", "jumlah_terlayani"]]


MODUL = register(Modul(
    nomor=1,
    judul="Pengumpulan data",
    berkas="modul_1_pengumpulan_data.ipynb",
    ringkasan="Membaca formulir OPD, menemukan kesalahan data kasus, memperbaikinya dengan konfirmasi OPD, dan "
              "memperkirakan sasaran dari tabel penduduk.",
    menit_pengantar=15,
    varian_opd=True,
    soal=(
        Soal("m1.t1", "Membaca formulir OPD", lambda c: _di_formulir(c, "jumlah_sasaran"), Angka(bulat=True),
             (Petunjuk("Anda mengambil jumlah terlayani. Soal ini menanyakan jumlah sasaran.",
                       nilai=lambda c: _di_formulir(c, "jumlah_terlayani")),), konteks=("kode_jenis", "opd"), menit=10),
        Soal("m1.t2", "Terlayani melebihi sasaran", _melebihi, Himpunan("kode jenis"),
             (Petunjuk("Gunakan lebih besar (>), bukan >=: `s2025[\"jumlah_terlayani\"] > s2025[\"jumlah_sasaran\"]`. "
                       "Terlayani sama dengan sasaran itu wajar: capaiannya 100%.",
                       nilai=lambda c: _melebihi(c, ketat=False)),), menit=10),
        Soal("m1.t3", "Jumlah terlayani dikosongkan", _kosong, Himpunan("kode jenis"),
             (Petunjuk("Nol tidak sama dengan kosong. Jenis dengan terlayani 0 (dan sasaran 0) sudah dilaporkan; "
                       "yang dicari adalah sel yang kosong (NA). Gunakan `s2025[\"jumlah_terlayani\"].isna()`.",
                       nilai=lambda c: _kosong(c, nol_juga=True)),), menit=10),
        Soal("m1.t4", "Jenis yang tidak dilaporkan", _hilang, Himpunan("kode jenis"),
             (Petunjuk("Jenis dengan sasaran 0 tetap dilaporkan (barisnya ada). Yang dicari adalah jenis di katalog "
                       "yang barisnya tidak ada sama sekali.", nilai=_nol),
              Petunjuk("Jenis dengan sasaran 0 tetap dilaporkan (barisnya ada). Yang dicari adalah jenis di katalog "
                       "yang barisnya tidak ada sama sekali.", nilai=lambda c: _nol(c) | _hilang(c))), menit=15),
        Soal("m1.t5", "Sasaran melonjak tidak wajar", _lonjakan, Himpunan("kode jenis"),
             (Petunjuk("Jenis yang sasarannya 0 tahun lalu (mis. korban bencana) memang naik-turun dan tidak dapat "
                       "dibandingkan dengan kelipatan. Bandingkan hanya jenis yang sasaran tahun lalunya lebih dari 0.",
                       nilai=lambda c: _lonjakan(c, termasuk_dari_nol=True)),), menit=15),
        Soal("m1.t6", "Memperbaiki tabel dengan konfirmasi OPD", lambda c: _tabel(False),
             Tabel(kunci=("kode_jenis",), nilai=("jumlah_sasaran", "jumlah_terlayani")),
             (Petunjuk("Tabel Anda masih sama dengan data awal. Terapkan baris-baris konfirmasi OPD.",
                       nilai=lambda c: _tabel(True)),), menit=20),
        Soal("m1.t7", "Memperkirakan sasaran dari tabel penduduk", _lansia, Angka(bulat=True),
             (Petunjuk("Kelompok 75+ belum dihitung. Usia lanjut adalah 60 tahun ke atas: 60–64, 65–69, 70–74 dan 75+.",
                       nilai=lambda c: _umur(_LANSIA[:3])),
              Petunjuk("Anda hanya menjumlahkan perempuan. Sasaran mencakup laki-laki dan perempuan.",
                       nilai=lambda c: _umur(_LANSIA, ("P",))),
              Petunjuk("Anda hanya menjumlahkan laki-laki. Sasaran mencakup laki-laki dan perempuan.",
                       nilai=lambda c: _umur(_LANSIA, ("L",))),
              Petunjuk("Itu baru kelompok 60–64. Usia lanjut adalah 60 tahun ke atas (empat kelompok).",
                       nilai=lambda c: _umur(_LANSIA[:1]))), menit=10),
    ),
))
