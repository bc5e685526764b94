"""Shared helpers for the batch tests: fixture notebooks and small demo data sets."""
from __future__ import annotations

from pathlib import Path

from spm_helpers.inputs import demo

NB_DIR = Path(__file__).resolve().parents[1] / "notebooks"
RINGKASAN_NB = NB_DIR / "batch_ringkasan.ipynb"
GAGAL_NB = NB_DIR / "batch_gagal.ipynb"
MACET_NB = NB_DIR / "batch_macet.ipynb"
BOCOR_NB = NB_DIR / "batch_bocor.ipynb"
TAHUN = 2024


def write_demo(folder: Path, codes: list[str], broken: str | None = None) -> Path:
    """Demo data for ``codes``; with ``broken``, one sasaran row of that region gets a negative
    jumlah_sasaran, which ``datastore.load`` rejects for that region only."""
    data = demo.generate(codes, [TAHUN])
    if broken is not None:
        row = data.sasaran.index[data.sasaran["kode_wilayah"] == broken][0]
        data.sasaran.loc[row, "jumlah_sasaran"] = -5
    demo.write(data, folder, fmt="parquet", overwrite=True)
    return folder
