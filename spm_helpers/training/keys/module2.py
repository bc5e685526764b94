"""Modul 2 — Penghitungan kebutuhan: shortfall and cost for one jenis by hand, then with the helpers.

Keys come from ``spm_helpers.engine.needs.compute_kebutuhan`` (DECISIONS D2) on the case data, for the
participant's own jenis (``kode_jenis``, from their OPD) and the item chosen by ``butir_latihan``.
Hint values are the same computation done the typical wrong way.
"""
from __future__ import annotations

import math
from functools import lru_cache

import pandas as pd

from spm_helpers.engine.needs import compute_kebutuhan
from spm_helpers.reference import catalog
from spm_helpers.training.cases import TAHUN, butir_latihan, data_kasus, jenis_dipakai
from spm_helpers.training.comparers import Angka, Tabel, Teks
from spm_helpers.training.registry import Modul, Petunjuk, Soal, register


@lru_cache(maxsize=64)
def _kebutuhan(kode_jenis: str | None, semua_tahun: bool = False) -> pd.DataFrame:
    d = data_kasus()
    s = d.sasaran if semua_tahun else d.sasaran[d.sasaran["tahun"] == TAHUN]
    if kode_jenis is not None:
        s = s[s["kode_jenis"] == kode_jenis]
    return compute_kebutuhan(s, d.ketersediaan, d.harga_satuan)


def _tabel(c) -> pd.DataFrame:
    return _kebutuhan(jenis_dipakai(c))


def _butir(c) -> pd.Series:
    k = _tabel(c)
    return k[k["kode_item"] == (c.kode_item or butir_latihan(jenis_dipakai(c)))].iloc[0]


def _i(x) -> int:
    return int(x)


def _harga_acuan(c) -> int:
    m = catalog.mutu()
    return int(m.loc[m["kode_item"] == _butir(c)["kode_item"], "harga_satuan_acuan"].iloc[0])


def _persis(c) -> float:
    b = _butir(c)
    return _i(b["jumlah_sasaran"]) * float(b["jumlah_per_sasaran"])


def _tanpa_max(c) -> int:
    """Σ (kebutuhan − tersedia) × harga: a surplus wrongly offsets other items' shortfall."""
    k = _tabel(c)
    return int(((k["kebutuhan"] - k["tersedia"]) * k["harga_satuan"]).sum())


_KONTEKS = ("kode_jenis", "kode_item", "opd")
_BULAT_ATAS = "Kebutuhan dibulatkan ke atas: 12,1 paket tetap butuh 13 paket (`math.ceil(12.1)` memberi 13)."

MODUL = register(Modul(
    nomor=2,
    judul="Penghitungan kebutuhan",
    berkas="modul_2_penghitungan_kebutuhan.ipynb",
    ringkasan="Menghitung kebutuhan, kekurangan dan biaya satu jenis pelayanan: dengan tangan, lalu dengan fungsi.",
    menit_pengantar=15,
    varian_opd=True,
    soal=(
        Soal("m2.t1", "Kebutuhan satu butir", lambda c: _i(_butir(c)["kebutuhan"]), Angka(bulat=True),
             (Petunjuk(_BULAT_ATAS, nilai=_persis),
              Petunjuk(_BULAT_ATAS, nilai=lambda c: round(_persis(c))),
              Petunjuk(_BULAT_ATAS, nilai=lambda c: math.floor(_persis(c))),
              Petunjuk("Itu jumlah sasarannya. Kebutuhan = jumlah sasaran × jumlah per sasaran.",
                       nilai=lambda c: _i(_butir(c)["jumlah_sasaran"]))), konteks=_KONTEKS, menit=10),
        Soal("m2.t2", "Kekurangan satu butir", lambda c: _i(_butir(c)["kekurangan"]), Angka(bulat=True),
             (Petunjuk("Itu kebutuhannya. Kekurangan = kebutuhan dikurangi yang sudah tersedia.",
                       nilai=lambda c: _i(_butir(c)["kebutuhan"])),
              Petunjuk("Itu jumlah yang tersedia. Kekurangan = kebutuhan dikurangi yang tersedia.",
                       nilai=lambda c: _i(_butir(c)["tersedia"]))), konteks=_KONTEKS, menit=10),
        Soal("m2.t3", "Biaya satu butir", lambda c: _i(_butir(c)["biaya"]), Angka(bulat=True),
             (Petunjuk("Biaya dihitung dari kekurangan, bukan dari seluruh kebutuhan.",
                       nilai=lambda c: _i(_butir(c)["kebutuhan"]) * _i(_butir(c)["harga_satuan"])),
              Petunjuk("Gunakan harga satuan daerah (SSH) bila ada; harga acuan katalog hanya dipakai bila "
                       "daerah tidak punya SSH untuk butir itu.",
                       nilai=lambda c: _i(_butir(c)["kekurangan"]) * _harga_acuan(c))), konteks=_KONTEKS, menit=10),
        Soal("m2.t4", "Total biaya jenis dengan fungsi", lambda c: _i(_tabel(c)["biaya"].sum()), Angka(bulat=True),
             (Petunjuk("Apakah Anda lupa bahwa kelebihan (surplus) satu butir tidak menutup kekurangan butir lain? "
                       "Kekurangan = max(0, kebutuhan − tersedia) per butir.", nilai=_tanpa_max),
              Petunjuk(f"Saring tahunnya dulu: soal ini hanya untuk tahun {TAHUN}.",
                       nilai=lambda c: _i(_kebutuhan(jenis_dipakai(c), True)["biaya"].sum())),
              Petunjuk("Saring jenisnya dulu: soal ini hanya untuk jenis latihan Anda (kode_jenis).",
                       nilai=lambda c: _i(_kebutuhan(None)["biaya"].sum()))), konteks=_KONTEKS, menit=15),
        Soal("m2.t5", "Tabel kekurangan dan biaya per butir", _tabel,
             Tabel(kunci=("kode_item",), nilai=("kekurangan", "biaya")), konteks=_KONTEKS, menit=15),
        Soal("m2.t6", "Butir dengan biaya terbesar",
             lambda c: str(_tabel(c).set_index("kode_item")["biaya"].astype("float64").idxmax()), Teks(),
             (Petunjuk("Itu butir dengan kekurangan terbanyak. Satuan tiap butir berbeda; soal ini menanyakan "
                       "biaya (rupiah) terbesar.",
                       nilai=lambda c: str(_tabel(c).set_index("kode_item")["kekurangan"].astype("float64").idxmax())),
              Petunjuk("Itu butir dengan harga satuan tertinggi. Biaya = kekurangan × harga satuan.",
                       nilai=lambda c: str(_tabel(c).set_index("kode_item")["harga_satuan"].astype("float64").idxmax()))),
             konteks=_KONTEKS, menit=5),
    ),
))
