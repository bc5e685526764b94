"""The four stages for a set of input rows: the only place that calls the engine.

``run_stages`` is used for one region (``region.compute``) and for every region of a data folder at
once (``region.national``): the same four calls, so a region cut out of the national run equals the
region computed on its own (tests/region/test_national.py).
"""
from __future__ import annotations

from typing import NamedTuple

import pandas as pd

from spm_helpers.engine import achievement, needs, plan, quality
from spm_helpers.engine import sasaran_estimate as se
from spm_helpers.inputs import population
from spm_helpers.reference import catalog
from spm_helpers.region.data import RegionData


class StageTables(NamedTuple):
    """What the four stages produce for the rows they were given."""

    ip: achievement.IPSPM
    kebutuhan: pd.DataFrame
    rencana: plan.Rencana
    bendera: pd.DataFrame


def run_stages(data: RegionData, *, lama_rencana: int = 5, metode: str = "merata", pagu=None) -> StageTables:
    """IP-SPM over every year read, needs and plan from the report year, data-quality flags."""
    ip = achievement.compute_ip_spm(data.sasaran, data.input("ketersediaan", True), aturan=data.aturan)
    keb = needs.compute_kebutuhan(data.of_year("sasaran"), data.input("ketersediaan"), data.input("harga_satuan"),
                                  aturan=data.aturan)
    rencana = plan.build_rencana(data.sasaran, data.input("harga_satuan", True),
                                 ketersediaan=data.input("ketersediaan"), tahun_dasar=data.tahun,
                                 lama=lama_rencana, metode=metode, pagu=pagu, aturan=data.aturan)
    return StageTables(ip, keb, rencana, check_data(data))


def perkiraan_sasaran(data: RegionData) -> pd.DataFrame | None:
    """Sasaran estimated from the region's population table for the report year (the table of another year
    is projected with ``laju_pertumbuhan``), or None when the data has no population table."""
    if data.penduduk is None or data.penduduk.empty:
        return None
    laju = se.nilai_parameter()["laju_pertumbuhan"]
    table, _ = population.untuk_tahun(data.penduduk, data.tahun, laju)
    return se.perkirakan_sasaran(table)


def with_jenis_name(flags: pd.DataFrame) -> pd.DataFrame:
    """The flag table with ``nama_jenis`` (a copy)."""
    flags = flags.copy()
    flags["nama_jenis"] = flags["kode_jenis"].map(catalog.jenis_info().set_index("kode_jenis")["nama_jenis"].to_dict())
    return flags


def check_data(data: RegionData) -> pd.DataFrame:
    """Data-quality flags of the report year with the jenis name (jumps are checked against last year; the
    sasaran against the estimate from population when the data has a population table)."""
    prev = data.sasaran[data.sasaran["tahun"].isin([data.tahun - 1, data.tahun])]
    flags = quality.check_quality(prev, data.input("ketersediaan"), data.input("harga_satuan"), aturan=data.aturan,
                                  perkiraan=perkiraan_sasaran(data))
    return with_jenis_name(flags[flags["tahun"] == data.tahun].reset_index(drop=True))


def population_flags(data: RegionData, bendera: pd.DataFrame) -> pd.DataFrame:
    """``bendera`` plus the gap-to-estimate flags of the report year (the batch's national run has no
    population tables, so a region served from it gets these added on its own)."""
    perkiraan = perkiraan_sasaran(data)
    if perkiraan is None:
        return bendera
    extra = quality.check_sasaran_perkiraan(data.of_year("sasaran"), perkiraan=perkiraan)
    return with_jenis_name(quality.gabung_bendera([bendera, extra])) if len(extra) else bendera
