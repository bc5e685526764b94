"""Modul 4 — Capaian dan pelaporan: capaian penerima (capped at 100%), the index of one jenis (80/20),
the IP-SPM of the region through its bidang, category bands, and a report paragraph.

Keys come from ``spm_helpers.engine.achievement`` (DECISIONS D3) on the confirmed 2025 data of the case region
(``kasus_lanjut.data_akhir_tahun``, where KES-KK-03 served more people than its projected sasaran).
Hint values are the same index computed the typical wrong way: weights swapped, no cap, the jenis
averaged directly, a jenis without sasaran counted as 0 or 100, band bounds misread.
"""
from __future__ import annotations

from functools import lru_cache

import pandas as pd

from spm_helpers import fmt
from spm_helpers.engine.achievement import DINILAI, IPSPM, assign_kategori, compute_ip_spm
from spm_helpers.reference import catalog
from spm_helpers.training.cases import TAHUN, jenis_dipakai
from spm_helpers.training.cases_advanced import JENIS_MELEBIHI, data_akhir_tahun
from spm_helpers.training.comparers import Angka, Tabel
from spm_helpers.training.comparers_advanced import Deret, Paragraf
from spm_helpers.training.registry import Modul, Petunjuk, Soal, register

# the bounds of scheme bawaan_2026 (DECISIONS D3 revised): 50 Pratama, 65 Muda, 95 Utama, 100 Paripurna
NILAI_UJI = (49.99, 50.0, 64.99, 65.0, 94.9, 95.0, 99.99, 100.0)  # the notebook lists the same values
TUKAR = {"penerima": 0.2, "mutu": 0.8}
BIDANG_T1 = catalog.get_jenis(JENIS_MELEBIHI)["kode_bidang"]  # task 1: the bidang of the jenis above sasaran


@lru_cache(maxsize=2)
def _ip(tukar: bool = False) -> IPSPM:
    d = data_akhir_tahun()
    s = d.sasaran[d.sasaran["tahun"] == TAHUN]
    return compute_ip_spm(s, d.ketersediaan, bobot=TUKAR if tukar else None)


def _baris(kode_jenis: str) -> pd.Series:
    j = _ip().jenis
    return j[j["kode_jenis"] == kode_jenis].iloc[0]


def _kesehatan(penerima=None) -> pd.DataFrame:
    """kode_jenis and capaian_penerima of the health jenis (bidang KES), from the engine or a wrong rule."""
    j = _ip().jenis
    j = j[j["kode_bidang"] == BIDANG_T1]
    nilai = j["capaian_penerima"] if penerima is None else j.apply(penerima, axis=1)
    return pd.DataFrame({"kode_jenis": j["kode_jenis"], "capaian_penerima": nilai.astype("float64")})


def _mentah(r: pd.Series) -> float:
    """Capaian penerima without the 100% cap."""
    return 100 * int(r["jumlah_terlayani"]) / int(r["jumlah_sasaran"])


def _indeks(c, penerima=None, wp: float = 0.8, wm: float = 0.2) -> float:
    r = _baris(jenis_dipakai(c))
    p = float(r["capaian_penerima"]) if penerima is None else penerima(r)
    return wp * p + wm * float(r["capaian_mutu"])


def _bidang(jenis_indeks: pd.Series) -> pd.Series:
    """Bidang indices (by bidang name) from per-jenis indices: the mean of each bidang, NaN skipped."""
    ip = _ip()
    nama = ip.bidang.set_index("kode_bidang")["bidang"]
    return jenis_indeks.groupby(ip.jenis["kode_bidang"]).mean().rename(index=nama)


def _wilayah(jenis_indeks: pd.Series) -> float:
    """Region index: the mean of the bidang indices."""
    return float(_bidang(jenis_indeks).mean())


def _isi_tanpa_sasaran(nilai: float) -> pd.Series:
    """Per-jenis indices with the jenis that have no sasaran counted as ``nilai``."""
    j = _ip().jenis
    return j["indeks"].mask(j["status"] != DINILAI, nilai)


def _tanpa_batas() -> pd.Series:
    """Per-jenis indices with an uncapped capaian penerima."""
    j = _ip().jenis
    pen = 100 * j["jumlah_terlayani"].astype("float64") / j["jumlah_sasaran"].astype("float64")
    return (0.8 * pen + 0.2 * j["capaian_mutu"]).where(j["status"] == DINILAI)


def _ip_spm(c=None) -> float:
    return float(_ip().wilayah["indeks"].iloc[0])


def _rata_jenis() -> float:
    """The wrong way: every scored jenis averaged at once, ignoring bidang."""
    return float(_ip().jenis["indeks"].mean())


def _kategori(nilai_ke_kategori) -> list[str]:
    return [nilai_ke_kategori(v) or "" for v in NILAI_UJI]


def _atas_termasuk(v: float) -> str:
    """Bands read as (batas_bawah, batas_atas]: a bound value falls into the band below it."""
    t = catalog.kategori_capaian().sort_values("batas_bawah")
    for row in t.itertuples():
        if row.batas_bawah < v <= row.batas_atas or v == row.batas_bawah == 0:
            return row.kategori
    return ""


def _fakta(nilai: float, bidang: pd.Series) -> dict[str, str]:
    """The facts a report paragraph must state, for a region index and its bidang indices."""
    return {"nilai IP-SPM kabupaten dengan dua angka desimal": fmt.angka(nilai, 2),
            "kategori IP-SPM kabupaten": assign_kategori(nilai),
            "nama bidang dengan indeks terendah": str(bidang.idxmin())}


def _fakta_dari(jenis_indeks: pd.Series, nilai: float | None = None) -> dict[str, str]:
    """The facts as a participant computing from these per-jenis indices would state them."""
    b = _bidang(jenis_indeks)
    return _fakta(float(b.mean()) if nilai is None else nilai, b)


_KONTEKS = ("kode_jenis", "opd")
_BATAS_100 = ("Capaian penerima dibatasi paling tinggi 100%: min(100, 100 × terlayani ÷ sasaran). Melayani "
              "lebih dari sasaran tidak menutup kekurangan jenis lain.")
_TERBALIK = "Bobotnya tertukar: capaian penerima berbobot 0,8 (80%) dan capaian mutu 0,2 (20%)."
_LANGSUNG = ("Anda merata-ratakan semua jenis sekaligus. IP-SPM dihitung bertingkat: rata-rata jenis per bidang, "
             "lalu rata-rata bidang, sehingga setiap bidang berbobot sama.")
_NOL = ("Jenis tanpa sasaran (status 'tidak ada sasaran') tidak dinilai: jangan dihitung 0, keluarkan dari "
        "rata-rata.")
_SERATUS = ("Jenis tanpa sasaran (status 'tidak ada sasaran') tidak dinilai: jangan dihitung 100, keluarkan dari "
            "rata-rata.")

MODUL = register(Modul(
    nomor=4,
    judul="Capaian dan pelaporan",
    berkas="modul_4_capaian_pelaporan.ipynb",
    ringkasan="Capaian penerima dan mutu, IP-SPM (bobot 80/20) per jenis, bidang dan kabupaten, kategorinya, "
              "grafik, dan paragraf laporan.",
    menit_pengantar=15,
    varian_opd=True,
    soal=(
        Soal("m4.t1", "Capaian penerima bidang kesehatan", lambda c: _kesehatan(),
             Tabel(kunci=("kode_jenis",), nilai=("capaian_penerima",), toleransi=0.01),
             (Petunjuk(_BATAS_100, nilai=lambda c: _kesehatan(_mentah)),
              Petunjuk("Pembagiannya terbalik: capaian = terlayani ÷ sasaran × 100.",
                       nilai=lambda c: _kesehatan(lambda r: min(100.0, 100 * int(r["jumlah_sasaran"])
                                                                / int(r["jumlah_terlayani"]))))), menit=15),
        Soal("m4.t2", "Indeks satu jenis (bobot 80/20)", lambda c: _indeks(c), Angka(toleransi=0.01),
             (Petunjuk(_TERBALIK, nilai=lambda c: _indeks(c, wp=0.2, wm=0.8)),
              Petunjuk("Indeks bukan rata-rata biasa: capaian penerima berbobot 0,8 dan capaian mutu 0,2.",
                       nilai=lambda c: _indeks(c, wp=0.5, wm=0.5)),
              Petunjuk("Indeks juga memperhitungkan capaian mutu (bobot 0,2), bukan capaian penerima saja.",
                       nilai=lambda c: float(_baris(jenis_dipakai(c))["capaian_penerima"])),
              Petunjuk(_BATAS_100, nilai=lambda c: _indeks(c, penerima=_mentah))), konteks=_KONTEKS, menit=10),
        Soal("m4.t3", "IP-SPM kabupaten", _ip_spm, Angka(toleransi=0.01),
             (Petunjuk(_LANGSUNG, nilai=lambda c: _rata_jenis()),
              Petunjuk(_NOL, nilai=lambda c: _wilayah(_isi_tanpa_sasaran(0.0))),
              Petunjuk(_SERATUS, nilai=lambda c: _wilayah(_isi_tanpa_sasaran(100.0))),
              Petunjuk(_TERBALIK, nilai=lambda c: _wilayah(_ip(tukar=True).jenis["indeks"])),
              Petunjuk(_BATAS_100, nilai=lambda c: _wilayah(_tanpa_batas()))), menit=20),
        Soal("m4.t4", "Kategori di batas rentang", lambda c: _kategori(assign_kategori),
             Deret("kategori", teks=True),
             (Petunjuk("Batas bawah termasuk rentangnya, batas atas tidak: 65 sudah Tuntas Muda, 64,99 masih "
                       "Tuntas Pratama.", nilai=lambda c: _kategori(_atas_termasuk)),
              Petunjuk("Jangan membulatkan nilai sebelum menentukan kategori: 64,99 tetap di bawah 65.",
                       nilai=lambda c: _kategori(lambda v: assign_kategori(round(v)))),
              Petunjuk("Perhatikan baris Tuntas Paripurna di tabel kategori: batas bawah dan batas atasnya sama.",
                       nilai=lambda c: [k if k != "Tuntas Paripurna" else "Tuntas Utama"
                                        for k in _kategori(assign_kategori)])), menit=10),
        Soal("m4.t5", "Paragraf laporan", lambda c: _fakta(_ip_spm(), _ip().bidang.set_index("bidang")["indeks"]),
             Paragraf(),
             (Petunjuk(_LANGSUNG, nilai=lambda c: _fakta_dari(_ip().jenis["indeks"], _rata_jenis())),
              Petunjuk(_NOL, nilai=lambda c: _fakta_dari(_isi_tanpa_sasaran(0.0))),
              Petunjuk(_SERATUS, nilai=lambda c: _fakta_dari(_isi_tanpa_sasaran(100.0))),
              Petunjuk(_TERBALIK, nilai=lambda c: _fakta_dari(_ip(tukar=True).jenis["indeks"]))), menit=15),
    ),
))
