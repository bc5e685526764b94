"""``compute``: one region through the four stages, from the batch's national run when one is in use."""
from __future__ import annotations

import logging

from spm_helpers.region import national
from spm_helpers.region.data import RegionData
from spm_helpers.region.result import HasilWilayah
from spm_helpers.region.stages import population_flags, run_stages

log = logging.getLogger(__name__)


def compute(data: RegionData, *, lama_rencana: int = 5, metode: str = "merata", pagu=None) -> HasilWilayah:
    """Run the engine for one region: IP-SPM (all years read), needs and plan from the report year, flags.

    When the batch mode of :mod:`spm_helpers.region.national` is on (batch kernels switch it on, nothing
    else does) and the region's rows are exactly its data folder's, the tables are cut out of one run for
    every region of the folder; they are equal to the per-region ones (tested)."""
    run = national.for_region(data, lama_rencana, metode) if pagu is None else None
    if run is not None:
        ip, keb, rencana, bendera = run.results(data)
        return HasilWilayah(data, ip, keb, rencana, population_flags(data, bendera), lama_rencana)
    tables = run_stages(data, lama_rencana=lama_rencana, metode=metode, pagu=pagu)
    return HasilWilayah(data, *tables, lama_rencana)
