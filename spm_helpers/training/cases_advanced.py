"""Case data of modules 3–6 (*data contoh, sintetis*), in the same spirit as :mod:`.kasus`.

- Modules 3 and 4 continue with Kab. Bengkulu Selatan (17.01): the year-end data of 2025 as
  confirmed by the OPDs. One jenis served more people than its projected sasaran (newborns of
  mothers from neighbouring regions delivered in the local hospital): a real row, not an input
  error, so the 100% cap of capaian penerima matters.
- Module 5 is a coaching clinic for a lagging region, Kab. Mahakam Ulu (64.11), 2021–2025.
- Module 6 is a public-service-standard socialisation for Kab. Kepulauan Meranti (14.10): the 11
  service units of :data:`spm_helpers.compliance.assessments.DEMO_UNITS`, assessed by its demo generator.

Functions return fresh copies, as :func:`.kasus.data_kasus` does: participants modify what they get.
"""
from __future__ import annotations

from functools import lru_cache

import pandas as pd

from spm_helpers.inputs import demo
from spm_helpers.inputs.demo import DemoData
from spm_helpers.reference import catalog
from spm_helpers.training.cases import (
    BATAS_LATIHAN,
    TAHUN,
    TAHUN_DATA,
    belum_tuntas_dulu,
    capaian_tahun,
    data_kasus,
    jenis_latihan,
    jenis_opd,
)
from spm_helpers.training.comparers import normalize_text

# ---------------------------------------------------------------------------------- modules 3 and 4
JENIS_MELEBIHI = "KES-KK-03"  # bayi baru lahir: realisation above the projected sasaran
TAHUN_RENCANA = tuple(range(TAHUN + 1, TAHUN + 6))  # 2026–2030
# Pagu indikatif SPM per plan year from the TAPD: 85% of the even plan's additional cost of that year (DECISIONS
# D4 revised), rounded down to Rp 100 juta — below the even plan every year, so the ceiling decides who waits.
# Computed with the engine (plan.build_rencana on data_akhir_tahun); tests/test_training_modul3_6.py recomputes
# it, so it is never edited by hand.
PAGU = {2026: 2_700_000_000, 2027: 3_900_000_000, 2028: 7_500_000_000, 2029: 12_900_000_000,
        2030: 21_200_000_000}
BAGIAN_PAGU = 0.85


@lru_cache(maxsize=1)
def _akhir_tahun() -> DemoData:
    d = data_kasus()
    s = d.sasaran
    row = (s["tahun"] == TAHUN) & (s["kode_jenis"] == JENIS_MELEBIHI)
    sasaran = int(s.loc[row, "jumlah_sasaran"].iloc[0])
    s.loc[row, "jumlah_terlayani"] = sasaran + sasaran // 40  # 2.5% above the projection
    return DemoData(s, d.ketersediaan, d.harga_satuan)


def _salinan(d: DemoData) -> DemoData:
    return DemoData(d.sasaran.copy(), d.ketersediaan.copy(), d.harga_satuan.copy())


def data_akhir_tahun() -> DemoData:
    """Bengkulu Selatan 2021–2025 after the OPDs confirmed the year-end figures (modules 3 and 4)."""
    return _salinan(_akhir_tahun())


def jenis_rencana(opd: object = None) -> str:
    """Module 3's jenis: served below BATAS_LATIHAN in the base year, else there is nothing to plan (the
    key is [100] * 5, the "100% at once" mistake is right, and the Renja with or without pagu is the same).
    The OPD's training jenis when it qualifies; otherwise (Satpol PP in the case region serves all of
    TRB-KK-01 every year) the first qualifying jenis of the same bidang, in catalogue order, so the
    participant plans a neighbouring service (and that OPD's Renja); KES-KK-01 when the bidang has none."""
    j = jenis_latihan(opd)
    cap = capaian_tahun(_akhir_tahun().sasaran)
    if cap.get(j, 100.0) < BATAS_LATIHAN:
        return j
    kat = catalog.jenis("kabkota")
    sebidang = kat.loc[kat["kode_bidang"] == catalog.get_jenis(j)["kode_bidang"], "kode_jenis"].tolist()
    pilihan = [k for k in sebidang if cap.get(k, 100.0) < BATAS_LATIHAN]
    return pilihan[0] if pilihan else "KES-KK-01"


# ---------------------------------------------------------------------------------- module 5
KODE_KLINIK = "64.11"  # Kab. Mahakam Ulu
TAHUN_DASAR_LAMA = TAHUN_DATA[0]  # the earlier five-year plan was set from the 2021 baseline


@lru_cache(maxsize=1)
def _klinik() -> DemoData:
    return demo.generate([KODE_KLINIK], TAHUN_DATA)


def data_klinik() -> DemoData:
    """Demo tables of the coaching-clinic region, Kab. Mahakam Ulu, 2021–2025 (a copy)."""
    return _salinan(_klinik())


def jenis_klinik(opd: object = None) -> str:
    """The first jenis of the participant's OPD that is scored (sasaran > 0, terlayani known) in the
    clinic region's last year, one served below BATAS_LATIHAN first (new targets for a fully served jenis
    are [100, 100], which the "100% at once" hint would call wrong); KES-KK-01 when the OPD has none
    (e.g. no relocation this year)."""
    pilihan = belum_tuntas_dulu(jenis_opd(opd), capaian_tahun(_klinik().sasaran))
    return pilihan[0] if pilihan else "KES-KK-01"


# ---------------------------------------------------------------------------------- module 6
KODE_KEPATUHAN = "14.10"  # Kab. Kepulauan Meranti
SKEMA = "ombudsman_2022_2024"  # compliance.DEFAULT_SKEMA; compliance is imported on use (it loads openpyxl)
UNIT_BAWAAN = "Dinas Kesehatan"
# How participants write their OPD → the names of compliance_data.DEMO_UNITS (first match wins:
# 'puskesmas' before 'kesehatan').
_ALIAS_UNIT = {
    "RSUD": ("rsud", "rumah sakit"),
    "UPT Puskesmas": ("puskesmas",),
    "Dinas Kependudukan dan Pencatatan Sipil": ("dukcapil", "kependudukan", "catatan sipil"),
    "DPMPTSP": ("ptsp", "perizinan", "penanaman modal"),
    "Dinas Perpustakaan dan Kearsipan": ("perpustakaan", "arsip"),
    "Dinas Kesehatan": ("kesehatan", "dinkes"),
    "Dinas Pendidikan": ("pendidikan", "disdik", "dikbud", "diknas"),
    "Dinas Sosial": ("sosial", "dinsos"),
    "Dinas PUPR": ("pupr", "pekerjaan umum"),
    "Dinas Perhubungan": ("perhubungan", "dishub"),
    "Dinas Tenaga Kerja": ("tenaga kerja", "naker"),
}


@lru_cache(maxsize=4)
def _penilaian(skema: str) -> pd.DataFrame:
    from spm_helpers.compliance import assessments

    return assessments.generate_contoh(KODE_KEPATUHAN, skema)


def penilaian_kasus(skema: str = SKEMA) -> pd.DataFrame:
    """The self-assessment of Meranti's 11 service units under a scheme (kode_wilayah, unit,
    kode_indikator, nilai): the demo generator's case, with realistic gaps."""
    return _penilaian(skema).copy()


def unit_latihan(opd: object = None) -> str:
    """'Dinas Kesehatan Kab. X', 'RSUD', 'Disdukcapil' → the demo unit of that OPD; else the default."""
    text = normalize_text(opd) if isinstance(opd, str) else ""
    for unit, words in _ALIAS_UNIT.items():
        if any(w in text for w in words):
            return unit
    return UNIT_BAWAAN
