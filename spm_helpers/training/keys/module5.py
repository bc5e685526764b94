"""Modul 5 — Evaluasi dan pemetaan kondisi awal: a coaching clinic for a lagging region (Kab. Mahakam Ulu,
demo data 2021–2025). Compare years, set the old plan's targets against realisation, map where each
jenis stands in the last year, and propose targets for the running year and the next.

Keys come from ``spm_helpers.engine.achievement`` (perubahan_tahunan, target_vs_realisasi,
pemetaan_kondisi_awal, propose_target) and ``spm_helpers.engine.plan.build_rencana`` (the old plan, set from
the 2021 baseline). Hint values are the same evaluation done from the wrong year or the wrong measure.
"""
from __future__ import annotations

from functools import lru_cache

import pandas as pd

from spm_helpers.engine.achievement import (
    IPSPM,
    compute_ip_spm,
    pemetaan_kondisi_awal,
    perubahan_tahunan,
    propose_target,
    target_vs_realisasi,
)
from spm_helpers.engine.plan import build_rencana
from spm_helpers.training.cases import TAHUN, TAHUN_LALU
from spm_helpers.training.cases_advanced import TAHUN_DASAR_LAMA, data_klinik, jenis_klinik
from spm_helpers.training.comparers import Angka, Himpunan
from spm_helpers.training.comparers_advanced import Deret
from spm_helpers.training.registry import Modul, Petunjuk, Soal, register

N_PRIORITAS = 5


@lru_cache(maxsize=1)
def _ip() -> IPSPM:
    d = data_klinik()
    return compute_ip_spm(d.sasaran, d.ketersediaan)


@lru_cache(maxsize=1)
def _tvr() -> pd.DataFrame:
    d = data_klinik()
    lama = build_rencana(d.sasaran, d.harga_satuan, tahun_dasar=TAHUN_DASAR_LAMA)
    return target_vs_realisasi(lama.rencana, _ip().jenis)


def _jenis(c) -> str:
    return c.get("kode_jenis") or jenis_klinik(c.get("opd"))


def _wilayah(tahun: int) -> float:
    w = _ip().wilayah
    return float(w.loc[w["tahun"] == tahun, "indeks"].iloc[0])


def _perubahan_wilayah(c=None) -> float:
    w = perubahan_tahunan(_ip().wilayah)
    return float(w.loc[w["tahun"] == TAHUN, "perubahan_indeks"].iloc[0])


def _turun(kolom: str = "indeks", bukan_naik: bool = False) -> set[str]:
    p = perubahan_tahunan(_ip().jenis, kolom=(kolom,))
    p = p[p["tahun"] == TAHUN]
    mask = p["arah"].ne("naik").fillna(True) if bukan_naik else p["arah"].eq("turun").fillna(False)
    return set(p.loc[mask.to_numpy(dtype=bool), "kode_jenis"])


def _turun_sejak(tahun: int) -> set[str]:
    j = _ip().jenis.pivot(index="kode_jenis", columns="tahun", values="indeks")
    return set(j.index[(j[TAHUN] < j[tahun]).to_numpy(dtype=bool)])


def _tvr_baris(c, tahun: int = TAHUN) -> pd.Series:
    t = _tvr()
    return t[(t["kode_jenis"] == _jenis(c)) & (t["tahun"] == tahun)].iloc[0]


def _indeks(c, tahun: int = TAHUN) -> float:
    j = _ip().jenis
    return float(j.loc[(j["kode_jenis"] == _jenis(c)) & (j["tahun"] == tahun), "indeks"].iloc[0])


def _prioritas(tahun: int | None = TAHUN) -> list[str]:
    p = pemetaan_kondisi_awal(_ip().jenis, tahun)
    return p.loc[p["prioritas"] <= N_PRIORITAS, "kode_jenis"].tolist()


def _terendah(kolom: str, terbesar: bool = False) -> list[str]:
    j = _ip().jenis
    j = j[j["tahun"] == TAHUN].dropna(subset=[kolom]).sort_values([kolom, "kode_jenis"], ascending=[not terbesar, True])
    return j["kode_jenis"].head(N_PRIORITAS).tolist()


def _usulan(c, tahun: int = TAHUN, metode: str = "merata") -> list[float]:
    u = propose_target(_ip().jenis, tahun, metode=metode)
    return u.loc[u["kode_jenis"] == _jenis(c), "target_persen"].astype(float).tolist()


_KONTEKS = ("kode_jenis", "opd")
_TAHUN_DASAR = (f"Kondisi awal untuk menetapkan target tahun berjalan adalah realisasi terakhir ({TAHUN}), bukan "
                f"tahun pertama data ({TAHUN_DASAR_LAMA}).")

MODUL = register(Modul(
    nomor=5,
    judul="Evaluasi dan pemetaan kondisi awal",
    berkas="modul_5_evaluasi_pemetaan.ipynb",
    ringkasan="Klinik pendampingan: membandingkan tahun, target lama terhadap realisasi, pemetaan kondisi awal, "
              "dan target tahun berjalan serta tahun berikutnya.",
    menit_pengantar=15,
    varian_opd=True,
    soal=(
        Soal("m5.t1", "Perubahan IP-SPM dari tahun lalu", _perubahan_wilayah, Angka(toleransi=0.01),
             (Petunjuk("Perubahan dinyatakan dalam poin (selisih dua indeks), bukan persen kenaikan.",
                       nilai=lambda c: 100 * _perubahan_wilayah() / _wilayah(TAHUN_LALU)),
              Petunjuk(f"Bandingkan dengan tahun lalu ({TAHUN_LALU}), bukan dengan {TAHUN_DASAR_LAMA}.",
                       nilai=lambda c: _wilayah(TAHUN) - _wilayah(TAHUN_DASAR_LAMA))), menit=10),
        Soal("m5.t2", "Jenis yang indeksnya turun", lambda c: _turun(), Himpunan("kode jenis"),
             (Petunjuk("Jenis tanpa nilai tahun lalu atau tahun ini (tidak ada sasaran) tidak dapat dibandingkan, "
                       "dan 'tetap' bukan 'turun'. Pilih hanya baris yang `perubahan_tahunan(ip.jenis)[\"arah\"] == \"turun\"`.",
                       nilai=lambda c: _turun(bukan_naik=True)),
              Petunjuk(f"Bandingkan dengan tahun lalu ({TAHUN_LALU}), bukan dengan {TAHUN_DASAR_LAMA}.",
                       nilai=lambda c: _turun_sejak(TAHUN_DASAR_LAMA)),
              Petunjuk("Soal ini tentang indeks (penerima dan mutu), bukan capaian penerima saja.",
                       nilai=lambda c: _turun("capaian_penerima"))), menit=15),
        Soal("m5.t3", "Target lama terhadap realisasi", lambda c: float(_tvr_baris(c)["selisih_persen"]),
             Angka(toleransi=0.01),
             (Petunjuk(f"Bandingkan realisasi {TAHUN} dengan target tahun yang sama ({TAHUN}), bukan target tahun "
                       "akhir rencana.", nilai=lambda c: float(_tvr_baris(c)["realisasi_persen"]
                                                                 - _tvr_baris(c, TAHUN + 1)["target_persen"])),
              Petunjuk("Target rencana adalah capaian penerima; bandingkan dengan capaian penerima, bukan indeks.",
                       nilai=lambda c: _indeks(c) - float(_tvr_baris(c)["target_persen"])),
              Petunjuk("Soal ini menanyakan selisih dalam poin persen (selisih_persen), bukan jumlah orang. Jumlah "
                       "orang menyesatkan bila sasaran berubah dari tahun dasar rencana.",
                       nilai=lambda c: int(_tvr_baris(c)["selisih_orang"]))), konteks=_KONTEKS, menit=15),
        Soal("m5.t4", "Lima prioritas pada pemetaan kondisi awal", lambda c: _prioritas(),
             Deret("kode jenis", teks=True),
             (Petunjuk(_TAHUN_DASAR + " Tanpa argumen tahun, `pemetaan_kondisi_awal(ip.jenis)` memakai tahun paling awal; "
                       "tulis `pemetaan_kondisi_awal(ip.jenis, tahun=2025)`.",
                       nilai=lambda c: _prioritas(None)),
              Petunjuk("Prioritas diurutkan menurut indeks (penerima dan mutu), bukan capaian penerima saja.",
                       nilai=lambda c: _terendah("capaian_penerima")),
              Petunjuk("Prioritas 1 adalah indeks terendah (yang paling tertinggal), bukan yang tertinggi.",
                       nilai=lambda c: _terendah("indeks", terbesar=True))), menit=15),
        Soal("m5.t5", "Target tahun berjalan dan tahun depan", lambda c: _usulan(c), Deret("target", toleransi=0.01),
             (Petunjuk("Target dimulai dari kondisi awal, bukan dari 0%.", nilai=lambda c: [20.0, 40.0]),
              Petunjuk("Target langsung 100% tidak realistis bagi daerah yang masih jauh tertinggal. Tutup "
                       "kesenjangannya bertahap sampai tahun akhir.", nilai=lambda c: [100.0, 100.0]),
              Petunjuk(_TAHUN_DASAR, nilai=lambda c: _usulan(c, TAHUN_DASAR_LAMA)),
              Petunjuk(_TAHUN_DASAR, nilai=lambda c: _usulan(c, TAHUN_LALU)),
              Petunjuk("Itu lintasan didepankan; soal ini meminta lintasan merata.",
                       nilai=lambda c: _usulan(c, metode="didepankan"))), konteks=_KONTEKS, menit=15),
    ),
))
