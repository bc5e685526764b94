"""One region (or every region of a folder, vectorised) through the four stages.

The only layer that calls the engine. Notebooks and documents start here::

    data = region.load_region_data("32.75", 2025)   # data.py: the region's rows, labelled
    hasil = region.compute(data)                    # compute.py → stages.py: the four stages
    region.write_outputs(hasil, "hasil")            # result.py: ringkasan.json and the CSVs
"""
from spm_helpers.region.compute import compute
from spm_helpers.region.data import (
    TAHUN_RIWAYAT,
    RegionData,
    annual_rows,
    catatan_perkiraan,
    is_demo,
    load_region_data,
    source_note,
)
from spm_helpers.region.result import (
    KEKURANGAN_TERBESAR,
    RINGKASAN,
    HasilWilayah,
    indeks_per_bidang,
    kalimat_keterisian,
    ringkasan,
    tren_indeks,
    write_outputs,
)
from spm_helpers.region.stages import StageTables, check_data, perkiraan_sasaran, population_flags, run_stages

__all__ = ["TAHUN_RIWAYAT", "RegionData", "annual_rows", "catatan_perkiraan", "is_demo", "load_region_data",
           "source_note", "KEKURANGAN_TERBESAR", "RINGKASAN", "HasilWilayah", "indeks_per_bidang", "kalimat_keterisian", "ringkasan",
           "tren_indeks", "write_outputs", "StageTables", "check_data", "perkiraan_sasaran", "population_flags",
           "run_stages", "compute"]
