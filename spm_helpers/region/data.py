"""One region's input tables: read only its rows (and the few years a report shows), label demo data.

``load_region_data`` is where every notebook and report starts; ``RegionData`` hands the engine the
report year's rows or every year read, and says where they came from (a report must name its source).
"""
from __future__ import annotations

from dataclasses import dataclass, replace
from pathlib import Path

import pandas as pd

from spm_helpers import DEMO_LABEL
from spm_helpers.engine import sasaran_estimate as se
from spm_helpers.errors import SPMError
from spm_helpers.inputs import datastore, population
from spm_helpers.paths import contoh_dir
from spm_helpers.reference import catalog, regions

TAHUN_RIWAYAT = 4  # years before the report year that a report shows as a trend


@dataclass
class RegionData:
    """The tidy input tables of one region (annual rows), the years read and where they came from."""

    wilayah: regions.Region
    tahun: int
    sasaran: pd.DataFrame
    ketersediaan: pd.DataFrame
    harga_satuan: pd.DataFrame
    data_label: str
    sumber: str
    aturan: str = catalog.DEFAULT_ATURAN
    folder: Path | None = None  # the data folder read (None: tables built in memory)
    tahun_awal: int | None = None  # first year asked for (the folder may start later)
    penduduk: pd.DataFrame | None = None  # population by age group and sex (inputs.population), if the folder has it

    @property
    def years(self) -> list[int]:
        return sorted(int(t) for t in self.sasaran["tahun"].dropna().unique())

    def of_year(self, table: str, tahun: int | None = None) -> pd.DataFrame:
        """Rows of one table for one year (default: the report year)."""
        df = getattr(self, table)
        return df[df["tahun"] == (self.tahun if tahun is None else int(tahun))].reset_index(drop=True)

    def input(self, table: str, semua_tahun: bool = False) -> pd.DataFrame | None:
        """A table to hand to the engine: the report year's rows (or every year read), or None when there are
        no rows. None means 'not reported' to the engine (needs._cari fails on an empty lookup table)."""
        df = getattr(self, table) if semua_tahun else self.of_year(table)
        return None if df.empty else df

    def with_tables(self, tables: dict[str, pd.DataFrame]) -> "RegionData":
        """A copy with some tables replaced (e.g. after the data-entry form in notebook 01)."""
        return replace(self, **{k: annual_rows(v) for k, v in tables.items() if k in datastore.TABLES})


def annual_rows(df: pd.DataFrame) -> pd.DataFrame:
    """Annual rows only; a year reported only per quarter is represented by its cumulative quarter 4."""
    if "triwulan" not in df.columns:
        return df.reset_index(drop=True)
    q = pd.to_numeric(df["triwulan"])
    keys = [c for c in ("kode_wilayah", "tahun", "kode_jenis", "kode_item") if c in df.columns]
    out = pd.concat([df[q.isna()], df[q == 4]]).drop_duplicates(keys)
    return out.drop(columns="triwulan").reset_index(drop=True)


def quarterly_rows(data: RegionData) -> dict[str, pd.DataFrame]:
    """The region's per-quarter rows (sasaran, ketersediaan) and quarter tables (anggaran, permasalahan,
    tahapan) for the years read, from the folder read. RegionData holds annual rows only; a copy of the data
    made from it (notebook 01's data_terkumpul) adds these so nothing the folder had is lost."""
    if data.folder is None:
        return {}
    years = list(range(data.tahun_awal or min(data.years), data.tahun + 1))
    tables = datastore.load(data.folder, data.wilayah.kode_wilayah, tahun=years,
                            tables=("sasaran", "ketersediaan") + datastore.QUARTER_TABLES)
    out = {}
    for name, df in tables.items():
        if name in datastore.TABLES:  # only the per-quarter rows: the annual ones are in ``data``
            df = df[pd.to_numeric(df["triwulan"]).notna()] if "triwulan" in df.columns else df.iloc[:0]
        if len(df):
            out[name] = df.reset_index(drop=True)
    return out


def with_quarterly_rows(data: RegionData) -> dict[str, pd.DataFrame]:
    """Every table of the region as it should be saved: the (possibly edited) annual rows of ``data``
    followed by the folder's quarterly rows and quarter tables."""
    tables = {"sasaran": data.sasaran, "ketersediaan": data.ketersediaan, "harga_satuan": data.harga_satuan}
    for name, rows in quarterly_rows(data).items():
        tables[name] = pd.concat([tables[name], rows], ignore_index=True) if name in tables else rows
    return tables


def is_demo(data_dir, sasaran: pd.DataFrame) -> bool:
    """Demo data: the bundled folder, or any row whose sumber_data is the demo label."""
    if data_dir is None or Path(data_dir).resolve() == contoh_dir().resolve():
        return True
    return "sumber_data" in sasaran.columns and bool((sasaran["sumber_data"] == DEMO_LABEL).any())


def source_note(data_dir, sasaran: pd.DataFrame, demo: bool) -> str:
    folder = "data contoh bawaan SPM Workbench" if data_dir is None else f"folder data '{Path(data_dir).name}'"
    named = [] if "sumber_data" not in sasaran.columns else \
        sorted({str(s) for s in sasaran["sumber_data"].dropna().unique()} - {DEMO_LABEL})
    estimated = [n for n in named if n.startswith(se.SUMBER_PERKIRAAN)]
    named = [n for n in named if n not in estimated]
    text = folder + (f"; sumber data yang dicatat: {', '.join(named)}" if named else "")
    if estimated:
        text += "; " + catatan_perkiraan(sasaran)
    return text + (" — " + DEMO_LABEL if demo else "")


def catatan_perkiraan(sasaran: pd.DataFrame) -> str:
    """Which sasaran are estimates from population, in words ('' when none): every page that names the data
    source says it (D10: an adopted estimate is never presented as a reported number)."""
    if "sumber_data" not in sasaran.columns:
        return ""
    rows = sasaran[se.is_perkiraan(sasaran["sumber_data"])]
    if rows.empty:
        return ""
    kode = sorted(rows["kode_jenis"].dropna().unique())
    return (f"sasaran {len(kode)} jenis adalah PERKIRAAN DARI PENDUDUK, bukan laporan OPD "
            f"({', '.join(kode)})")


def load_region_data(kode_wilayah: str, tahun: int, data_dir: str | Path | None = None, *,
                     tahun_awal: int | None = None, aturan: str = catalog.DEFAULT_ATURAN) -> RegionData:
    """Read one region's rows for ``tahun_awal`` … ``tahun`` (default: the report year and the 4 before).

    ``data_dir=None`` is the bundled demo data. The report year must have sasaran rows."""
    wilayah = regions.get(kode_wilayah)
    tahun = int(tahun)
    awal = tahun - TAHUN_RIWAYAT if tahun_awal is None else int(tahun_awal)
    folder = contoh_dir() if data_dir is None else Path(data_dir)
    tables = datastore.load(folder, wilayah.kode_wilayah, tahun=list(range(awal, tahun + 1)))
    sasaran = annual_rows(tables["sasaran"])
    if not (sasaran["tahun"] == tahun).any():
        raise SPMError(f"Tidak ada data sasaran {wilayah.nama} ({wilayah.kode_wilayah}) tahun {tahun} di "
                       f"{folder}. Periksa kode wilayah, tahun, atau folder data.")
    demo = is_demo(data_dir, sasaran)
    bundled = data_dir is None or Path(data_dir).resolve() == contoh_dir().resolve()
    penduduk = population.load_penduduk(None if bundled else folder, wilayah.kode_wilayah)
    return RegionData(wilayah, tahun, sasaran, annual_rows(tables["ketersediaan"]), annual_rows(tables["harga_satuan"]),
                      DEMO_LABEL if demo else "", source_note(data_dir, sasaran, demo), aturan, folder, awal, penduduk)
