"""Modul 6 — Kepatuhan standar pelayanan publik: a self-assessment simulation for the 11 service units of
Kab. Kepulauan Meranti (demo generator of ``spm_helpers.compliance.assessments``): one dimension by hand, the
zone bands of both Ombudsman schemes, the improvement that raises a unit most, the steps to zona hijau,
and the units still outside it.

Keys come from ``spm_helpers.compliance.scoring`` (DECISIONS D7). Every score is a *simulasi penilaian mandiri*
(``compliance.LABEL_SIMULASI``), never an official Ombudsman result; the task titles say so too.
"""
from __future__ import annotations

from functools import lru_cache

import numpy as np
import pandas as pd

from spm_helpers.training.cases_advanced import SKEMA, penilaian_kasus, unit_latihan
from spm_helpers.training.comparers import Angka, Himpunan
from spm_helpers.training.comparers_advanced import Deret
from spm_helpers.training.registry import Modul, Petunjuk, Soal, register

SKEMA_2021 = "ombudsman_2021"
DIMENSI_LATIHAN = "pengaduan"
NILAI_UJI = (50.99, 51.0, 54.0, 77.995, 78.0, 80.99, 80.995, 88.0)  # the notebook lists the same values
SIMULASI = "(simulasi penilaian mandiri)"


def _cp():
    """spm_helpers.compliance.scoring, imported on first use: it loads openpyxl, which the notebooks of the other
    modules do not need, and the registry imports every key module."""
    from spm_helpers.compliance import scoring

    return scoring


def _unit(c) -> str:
    return c.get("nama_unit") or unit_latihan(c.get("opd"))


@lru_cache(maxsize=1)
def _dimensi() -> pd.DataFrame:
    return _cp().score_dimensions(penilaian_kasus(), SKEMA)


@lru_cache(maxsize=1)
def _unit_skor() -> pd.DataFrame:
    return _cp().score_units(penilaian_kasus(), SKEMA)


@lru_cache(maxsize=1)
def _rencana() -> pd.DataFrame:
    return _cp().rencana_perbaikan(penilaian_kasus(), SKEMA)


def _nilai_dimensi(c) -> float:
    d = _dimensi()
    return float(d.loc[(d["unit"] == _unit(c)) & (d["dimensi"] == DIMENSI_LATIHAN), "nilai_dimensi"].iloc[0])


def _isi_dimensi(c) -> pd.Series:
    """The unit's values of the practice dimension (0–3)."""
    p = penilaian_kasus()
    ind = _cp().instrument(SKEMA).indikator
    kode = set(ind.loc[ind["dimensi"] == DIMENSI_LATIHAN, "kode_indikator"])
    return p.loc[(p["unit"] == _unit(c)) & p["kode_indikator"].isin(kode), "nilai"].astype("float64")


def _sumbangan(c) -> float:
    """The dimension's contribution to the unit score (its share of the weights × its score)."""
    dim = _cp().instrument(SKEMA).dimensi.set_index("dimensi")["bobot"]
    return _nilai_dimensi(c) * dim[DIMENSI_LATIHAN] / dim.sum()


def _zona(skema: str, bulatkan: bool = True, atas_termasuk: bool = False) -> list[str]:
    """Zones of NILAI_UJI under a scheme; the wrong ways skip the 2-decimal rounding or read the upper
    bound of each band as included."""
    if bulatkan and not atas_termasuk:
        return _cp().classify(list(NILAI_UJI), skema)["zona"].tolist()
    kat = _cp().instrument(skema).kategori
    out = []
    for v in NILAI_UJI:
        r = float(_cp().round_nilai(v)) if bulatkan else v
        hit = kat[(kat["batas_bawah"] < r) & (r <= kat["batas_atas"])] if atas_termasuk else \
            kat[(kat["batas_bawah"] <= r) & (r < kat["batas_atas"])]
        out.append(hit["zona"].iloc[0] if len(hit) else kat.loc[kat["batas_bawah"].idxmin(), "zona"])
    return out


def _rencana_unit(c) -> pd.DataFrame:
    r = _rencana()
    return r[r["unit"] == _unit(c)].sort_values("peringkat")


def _terbesar(c) -> set[str]:
    r = _rencana_unit(c)
    return set(r.loc[np.isclose(r["kenaikan"], r["kenaikan"].max()), "kode_indikator"])


def _terendah(c) -> set[str]:
    p = penilaian_kasus()
    p = p[p["unit"] == _unit(c)]
    return set(p.loc[p["nilai"] == p["nilai"].min(), "kode_indikator"])


def _terbesar_wilayah(c=None) -> set[str]:
    r = _cp().rencana_perbaikan_wilayah(penilaian_kasus(), SKEMA)
    return set(r.loc[np.isclose(r["kenaikan"], r["kenaikan"].max()), "kode_indikator"])


def _langkah(c, sampai) -> int:
    """How many top-ranked improvements until ``sampai(nilai)`` holds (0 when it already does)."""
    u = _unit_skor()
    awal = float(u.loc[u["unit"] == _unit(c), "nilai"].iloc[0])
    if sampai(awal):
        return 0
    r = _rencana_unit(c)
    return int(r.loc[[bool(sampai(v)) for v in r["nilai_kumulatif"]], "peringkat"].iloc[0])


def _hijau(skema: str):
    return lambda v: _cp().classify(v, skema)["zona"].iloc[0] == "hijau"


def _belum_hijau(syarat) -> set[str]:
    u = _unit_skor()
    return set(u.loc[[bool(syarat(r)) for r in u.itertuples()], "unit"])


_KONTEKS = ("nama_unit", "opd")
_SKEMA_LAIN = "Itu zona menurut skema lain. Soal ini memakai rentang skema {}."
_ATAS = "Batas bawah termasuk rentangnya, batas atas tidak: nilai tepat {} sudah masuk rentang di atasnya."
_BULAT = ("Nilai dibulatkan dulu ke dua desimal, seperti nilai yang diumumkan: {} ditulis {} sehingga masuk "
          "rentang di atasnya.")

MODUL = register(Modul(
    nomor=6,
    judul="Kepatuhan standar pelayanan publik",
    berkas="modul_6_kepatuhan_standar_pelayanan.ipynb",
    ringkasan="Simulasi penilaian mandiri kepatuhan standar pelayanan (UU 25/2009): nilai dimensi, zona dua "
              "skema, rencana perbaikan menuju zona hijau, ringkasan wilayah.",
    menit_pengantar=15,
    varian_opd=True,
    soal=(
        Soal("m6.t1", f"Nilai dimensi pengaduan satu unit {SIMULASI}", _nilai_dimensi, Angka(toleransi=0.01),
             (Petunjuk("Nilai indikator berskala 0–3. Ubah ke skala 0–100: bagi dengan nilai maksimum (3) lalu kali "
                       "100.", nilai=lambda c: float(_isi_dimensi(c).mean())),
              Petunjuk("Anda lupa membagi dengan nilai maksimum (3): nilai dimensi paling tinggi 100.",
                       nilai=lambda c: float(100 * _isi_dimensi(c).mean())),
              Petunjuk("Itu jumlah nilainya. Nilai dimensi = 100 × Σ(bobot × nilai ÷ nilai maksimum) ÷ Σ bobot.",
                       nilai=lambda c: float(_isi_dimensi(c).sum())),
              Petunjuk("Itu sumbangan dimensi pada nilai unit (sudah dikali bobot dimensi). Soal ini menanyakan nilai "
                       "dimensi itu sendiri, 0–100.", nilai=_sumbangan)), konteks=_KONTEKS, menit=15),
        Soal("m6.t2", "Zona menurut skema 2021", lambda c: _zona(SKEMA_2021), Deret("zona", teks=True),
             (Petunjuk(_SKEMA_LAIN.format("2021 (hijau 81–100, kuning 51–<81, merah <51)"),
                       nilai=lambda c: _zona(SKEMA)),
              Petunjuk(_ATAS.format("81"), nilai=lambda c: _zona(SKEMA_2021, atas_termasuk=True)),
              Petunjuk(_BULAT.format("50,995", "51,00"), nilai=lambda c: _zona(SKEMA_2021, bulatkan=False))), menit=5),
        Soal("m6.t3", "Zona menurut skema 2022–2024", lambda c: _zona(SKEMA), Deret("zona", teks=True),
             (Petunjuk(_SKEMA_LAIN.format("2022–2024 (A dan B hijau mulai 78, C kuning mulai 54, D dan E merah)"),
                       nilai=lambda c: _zona(SKEMA_2021)),
              Petunjuk(_ATAS.format("32"), nilai=lambda c: _zona(SKEMA, atas_termasuk=True)),
              Petunjuk(_BULAT.format("53,995", "54,00"), nilai=lambda c: _zona(SKEMA, bulatkan=False))), menit=5),
        Soal("m6.t4", f"Perbaikan yang paling menaikkan nilai unit {SIMULASI}", _terbesar, Himpunan("kode indikator"),
             (Petunjuk("Nilai indikator terendah belum tentu memberi kenaikan terbesar: satu poin di dimensi berbobot "
                       "besar dengan sedikit indikator bernilai lebih. Hitung kenaikan = poin × (nilai_maks − nilai) "
                       "untuk setiap indikator unit Anda di tabel `isian`.", nilai=_terendah),
              Petunjuk("Itu perbaikan terbesar untuk rata-rata wilayah. Soal ini untuk unit Anda sendiri "
                       "(`scoring.rencana_perbaikan(penilaian)`, bukan "
                       "`scoring.rencana_perbaikan_wilayah(penilaian)`).", nilai=_terbesar_wilayah)),
             konteks=_KONTEKS, menit=10),
        Soal("m6.t5", f"Langkah menuju zona hijau {SIMULASI}", lambda c: _langkah(c, _hijau(SKEMA)), Angka(),
             (Petunjuk("Zona hijau pada skema 2022–2024 mulai dari kategori B (78), tidak harus kategori A (88).",
                       nilai=lambda c: _langkah(c, lambda v: _cp().classify(v, SKEMA)["kategori"].iloc[0] == "A")),
              Petunjuk("Itu batas hijau skema 2021 (81). Unit ini dinilai dengan skema 2022–2024 (hijau mulai 78).",
                       nilai=lambda c: _langkah(c, _hijau(SKEMA_2021)))), konteks=_KONTEKS, menit=15),
        Soal("m6.t6", f"Unit yang belum zona hijau {SIMULASI}", lambda c: _belum_hijau(lambda r: r.zona != "hijau"),
             Himpunan("unit"),
             (Petunjuk("Zona kuning juga belum hijau.", nilai=lambda c: _belum_hijau(lambda r: r.zona == "merah")),
              Petunjuk("Kategori B juga zona hijau; yang belum hijau adalah kategori C, D dan E.",
                       nilai=lambda c: _belum_hijau(lambda r: r.kategori != "A")),
              Petunjuk("Itu memakai rentang skema 2021 (hijau mulai 81). Nilai ini dari skema 2022–2024 (hijau mulai "
                       "78).", nilai=lambda c: _belum_hijau(lambda r: not _hijau(SKEMA_2021)(r.nilai)))), menit=10),
    ),
))
