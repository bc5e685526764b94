"""Compliance data at the edges: the demo case, loading a region's assessments, writing results.

The demo (*data contoh, sintetis*) is generated deterministically: a unit's values depend only on
(seed, region, unit, scheme), so the committed Meranti case and a batch over every region agree.
"""
from __future__ import annotations

import zlib
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from spm_helpers import DEMO_LABEL
from spm_helpers.compliance import scoring as cp
from spm_helpers.errors import SPMError
from spm_helpers.files import write_json
from spm_helpers.inputs.datastore import read_table, write_table
from spm_helpers.paths import kepatuhan_dir
from spm_helpers.reference import regions

DEMO_SEED = 2021
# Demo service units and how ready each kind usually is (0–1): licensing and civil registration are the
# Ombudsman's most-watched front offices; libraries and transport offices rarely publish standards.
DEMO_UNITS = {
    "RSUD": 0.80, "Dinas Kependudukan dan Pencatatan Sipil": 0.88, "DPMPTSP": 0.92, "Dinas Sosial": 0.62,
    "Dinas Kesehatan": 0.72, "UPT Puskesmas": 0.66, "Dinas Pendidikan": 0.60, "Dinas PUPR": 0.55,
    "Dinas Perhubungan": 0.50, "Dinas Tenaga Kerja": 0.58, "Dinas Perpustakaan dan Kearsipan": 0.42,
}
# Items units commonly lack (0 = easy, 1 = usually missing): facilities for disabled users,
# compensation, community participation, complaint follow-up, electronic standards, surveys.
_DIFFICULTY = {
    "OBS-11": 0.9, "OBS-12": 0.7, "OBS-14": 0.5, "OBS-15": 0.6, "OBS-16": 0.6, "OBS-19": 0.8, "OBS-20": 0.7,
    "OBS-06": 0.3, "INP-03": 0.6, "INP-04": 0.4, "INP-05": 0.5, "INP-07": 0.6, "INP-08": 0.6, "INP-09": 0.4,
    "INP-11": 0.9, "INP-12": 1.0, "PRS-08": 0.3, "PRS-09": 0.4, "PRS-10": 0.6, "PRS-11": 0.8, "OUT-01": 0.3,
    "OUT-06": 0.6, "ADU-03": 0.4, "ADU-04": 0.5, "ADU-05": 0.6, "ADU-06": 0.7, "ADU-07": 0.8,
}
DEMO_FILE = "penilaian_{skema}.csv"


def contoh_dir() -> Path:
    """The committed demo case (Kab. Kepulauan Meranti, 11 service units)."""
    return kepatuhan_dir() / "contoh"


def _seed(*parts: str | int) -> np.random.Generator:
    ints = [p if isinstance(p, int) else zlib.crc32(str(p).encode()) for p in parts]
    return np.random.default_rng(np.random.SeedSequence(ints))


def generate_contoh(kode_wilayah: str = "14.10", skema: str = cp.DEFAULT_SKEMA,
                    units: dict[str, float] | None = None, seed: int = DEMO_SEED) -> pd.DataFrame:
    """A synthetic, complete assessment (kode_wilayah, unit, kode_indikator, nilai) with realistic gaps.

    ``units`` maps unit name → typical readiness 0–1 (default: :data:`DEMO_UNITS`); each region gets
    its own offset, each unit a little noise, each indicator its usual difficulty.
    """
    inst = cp.instrument(skema)
    region_offset = _seed(seed, kode_wilayah).normal(0, 0.06)
    rows = []
    for unit, base in (DEMO_UNITS if units is None else units).items():
        maturity = base + region_offset + _seed(seed, kode_wilayah, unit).normal(0, 0.05)
        rng = _seed(seed, kode_wilayah, unit, skema)
        for ind in inst.indikator.itertuples():
            ready = maturity + 0.12 - 0.5 * _DIFFICULTY.get(ind.kode_indikator, 0.1) + rng.normal(0, 0.15)
            nilai = int(np.clip(np.floor(ready * (ind.nilai_maks + 1)), 0, ind.nilai_maks))
            rows.append((kode_wilayah, unit, ind.kode_indikator, nilai))
    out = pd.DataFrame(rows, columns=cp.PENILAIAN_COLUMNS)
    return out.astype({"nilai": "Int64"})


def is_contoh(data_dir: str | Path | None) -> bool:
    return data_dir is None or Path(data_dir).resolve() == contoh_dir().resolve()


def load_penilaian(data_dir: str | Path | None = None, kode_wilayah: str = "14.10",
                   skema: str = cp.DEFAULT_SKEMA) -> pd.DataFrame:
    """One region's assessment for one scheme from a folder (``None`` = the demo case), validated.

    Reads ``penilaian_<skema>.csv`` or ``penilaian.csv`` (rows of other regions and of the other
    scheme's indicators belong to other runs) and every checklist workbook ``*.xlsx`` made for this
    region and scheme. Any bad row anywhere stops the load with every problem listed.
    """
    from spm_helpers.compliance.workbook import read_formulirs  # openpyxl only when a folder has workbooks

    folder = contoh_dir() if data_dir is None else Path(data_dir)
    if not folder.is_dir():
        raise SPMError(f"Folder data '{folder}' tidak ditemukan.")
    inst = cp.instrument(skema)
    parts = []
    for name in (DEMO_FILE.format(skema=skema), "penilaian.csv"):
        path = folder / name
        if path.is_file():
            parts.append(_csv_rows(path, kode_wilayah, inst))
            break
    books = sorted(p for p in folder.glob("*.xlsx") if not p.name.startswith("~$"))
    if books:
        parts.append(read_formulirs(books, kode_wilayah=kode_wilayah, skema=skema, raw=True, only_matching=True))
    if not parts or all(p.empty for p in parts):
        raise SPMError(f"Tidak ada data penilaian kepatuhan untuk wilayah {kode_wilayah} dengan skema "
                       f"'{skema}' di folder '{folder}' (penilaian_{skema}.csv, penilaian.csv atau *.xlsx).")
    return cp.validate_penilaian(pd.concat(parts, ignore_index=True), inst)


def _csv_rows(path: Path, kode_wilayah: str, inst: cp.Instrument) -> pd.DataFrame:
    df = read_table(path).astype(object)
    df["_berkas"], df["_baris"] = path.name, np.arange(len(df)) + 2
    if "kode_wilayah" in df.columns:
        kode = df["kode_wilayah"].map(lambda v: regions.normalize_code(v) if pd.notna(v) else None)
        df = df[kode.isna() | kode.eq(kode_wilayah)]  # malformed codes stay, to be reported
    if "kode_indikator" in df.columns:
        other = df["kode_indikator"].astype(str).str.strip().str.upper().isin(cp.other_scheme_codes(inst.skema))
        df = df[~other]
    return df


@dataclass
class Hasil:
    """Everything the notebook and the CLI show for one region: tables plus a small JSON summary."""

    unit: pd.DataFrame
    dimensi: pd.DataFrame
    rencana_unit: pd.DataFrame
    rencana_wilayah: pd.DataFrame
    wilayah: pd.DataFrame
    ringkasan: dict = field(default_factory=dict)

    def save(self, output_dir: str | Path) -> dict[str, Path]:
        """Write CSVs and ``ringkasan_kepatuhan.json`` atomically; returns the paths by name."""
        out = Path(output_dir)
        paths = {name: write_table(getattr(self, name), out / f"kepatuhan_{name}.csv")
                 for name in ("unit", "dimensi", "rencana_unit", "rencana_wilayah", "wilayah")}
        paths["ringkasan"] = write_json(out / "ringkasan_kepatuhan.json", self.ringkasan)
        return paths


def assess(penilaian: pd.DataFrame, skema: str = cp.DEFAULT_SKEMA, *, tahun: int | None = None,
           data_label: str | None = None, top: int = 5) -> Hasil:
    """Score one or more regions' units, build both improvement plans and the summary."""
    inst = cp.instrument(skema)
    unit = cp.score_units(penilaian, inst)
    wilayah = cp.region_scores(unit)
    plan_w = cp.rencana_perbaikan_wilayah(penilaian, inst)
    summary = {
        "keterangan": cp.LABEL_SIMULASI, "data": data_label, "tahun": tahun, "skema": skema,
        "wilayah": [_region_summary(row, unit, plan_w, top) for row in wilayah.to_dict("records")],
    }
    return Hasil(unit, cp.score_dimensions(penilaian, inst), cp.rencana_perbaikan(penilaian, inst),
                 plan_w, wilayah, summary)


def _region_summary(row: dict, unit: pd.DataFrame, plan: pd.DataFrame, top: int) -> dict:
    mine = unit[unit["kode_wilayah"] == row["kode_wilayah"]].dropna(subset=["nilai"])
    worst = mine.nsmallest(min(3, len(mine)), "nilai")
    steps = plan[plan["kode_wilayah"] == row["kode_wilayah"]].head(top)
    keep = ("kode_wilayah", "nama_wilayah", "jumlah_unit", "unit_dinilai", "unit_belum_lengkap",
            "nilai_rata_rata", "kategori", "opini", "zona", "unit_hijau", "unit_kuning", "unit_merah")
    return {**{k: _plain(row[k]) for k in keep},
            "unit_terendah": [{"unit": r.unit, "nilai": round(r.nilai, 2), "zona": r.zona}
                              for r in worst.itertuples()],
            "prioritas_perbaikan": [{"kode_indikator": r.kode_indikator, "indikator": r.indikator,
                                     "jumlah_unit": int(r.jumlah_unit), "kenaikan": round(r.kenaikan, 4)}
                                    for r in steps.itertuples()]}


def _plain(value):
    if value is None or (isinstance(value, float) and np.isnan(value)):
        return None
    return round(float(value), 4) if isinstance(value, (float, np.floating)) else value


def demo_label(data_dir: str | Path | None) -> str | None:
    return DEMO_LABEL if is_contoh(data_dir) else None


def write_contoh(folder: str | Path | None = None, kode_wilayah: str = "14.10") -> list[Path]:
    """(Re)write the committed demo CSVs for every scheme; used to build ``datasets/kepatuhan/contoh``."""
    folder = contoh_dir() if folder is None else Path(folder)
    return [write_table(generate_contoh(kode_wilayah, skema).assign(keterangan=DEMO_LABEL),
                        folder / DEMO_FILE.format(skema=skema)) for skema in cp.skema_list()]

