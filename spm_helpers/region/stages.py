"""The four stages for a set of input rows: the only place that calls the engine.

``run_stages`` is used for one region (``region.compute``) and for every region of a data folder at
once (``region.national``): the same four calls, so a region cut out of the national run equals the
region computed on its own (tests/region/test_national.py).
"""
from __future__ import annotations

from typing import NamedTuple

import pandas as pd

from spm_helpers.engine import achievement, needs, plan, quality
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
    rencana = plan.build_rencana(data.sasaran, data.input("harga_satuan", True), tahun_dasar=data.tahun,
                                 lama=lama_rencana, metode=metode, pagu=pagu, aturan=data.aturan)
    return StageTables(ip, keb, rencana, check_data(data))


def check_data(data: RegionData) -> pd.DataFrame:
    """Data-quality flags of the report year with the jenis name (jumps are checked against last year)."""
    prev = data.sasaran[data.sasaran["tahun"].isin([data.tahun - 1, data.tahun])]
    flags = quality.check_quality(prev, data.input("ketersediaan"), data.input("harga_satuan"), aturan=data.aturan)
    flags = flags[flags["tahun"] == data.tahun].reset_index(drop=True)
    flags["nama_jenis"] = flags["kode_jenis"].map(catalog.jenis_info().set_index("kode_jenis")["nama_jenis"].to_dict())
    return flags
