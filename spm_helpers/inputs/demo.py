"""Deterministic synthetic demo data (data contoh, sintetis) for any region and years.

Sasaran follow population (share per jenis from ``demo_parameter.csv``), realisation improves a
few points a year with noise, some regions lag, disaster-type jenis are lumpy (zero in many
years). A few well-served jenis of a region close their gap to 100% over some years and then
stay fully served (a persistent trait, so clean data shows no jump in terlayani). Numbers for one
region and year depend only on (seed, region, year), never on which other regions were generated
with it, so a batch of 552 and a single notebook agree.

``masalah=True`` injects the realistic data-quality problems used in exercises and reports each
one in ``DemoData.masalah`` (the answer key is computed, never typed in a notebook).
"""
from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Iterable

import numpy as np
import pandas as pd

from spm_helpers import DEMO_LABEL
from spm_helpers.reference import catalog, regions

DEFAULT_YEARS = tuple(range(2021, 2026))
DEFAULT_SEED = 2024
BASE_YEAR_POPULATION = 2024  # Dukcapil December 2024
POP_GROWTH = 0.011
PRICE_INFLATION = 0.03
ORIGIN_YEAR = 2021  # capaian_awal in demo_parameter.csv describes this year
TRIWULAN_SHARE = (0.23, 0.48, 0.73, 1.0)  # cumulative share of the year's realisation
FULL_SHARE = 0.15  # share of (region, jenis) drawn to become fully served at some year
FULL_YEARS = (-2, 7)  # that year, relative to ORIGIN_YEAR (half-open), so some are already there
FULL_RAMP = 3  # years over which the gap to 100% closes (a third each year)
FULL_MIN_TREND = 60.0  # only a jenis served at least this well when the ramp starts gets there


@dataclass
class DemoData:
    sasaran: pd.DataFrame
    ketersediaan: pd.DataFrame
    harga_satuan: pd.DataFrame
    masalah: pd.DataFrame = field(default_factory=pd.DataFrame)
    label: str = DEMO_LABEL
    quarter: dict[str, pd.DataFrame] = field(default_factory=dict)  # anggaran, permasalahan, tahapan (D9)

    def tables(self) -> dict[str, pd.DataFrame]:
        return {"sasaran": self.sasaran, "ketersediaan": self.ketersediaan, "harga_satuan": self.harga_satuan,
                **self.quarter}


def _code_int(kode: str) -> int:
    return int(kode.replace(".", ""))


def _rng(seed: int, kode: str, *extra: int) -> np.random.Generator:
    return np.random.default_rng(np.random.SeedSequence([seed, _code_int(kode), *extra]))


@dataclass(frozen=True)
class _RegionTraits:
    """Region-level character that persists over years: how good, how fast, how expensive."""

    level_offset: float  # points above/below the typical capaian
    growth_factor: float  # multiplier on yearly improvement (lagging regions < 0.4)
    jenis_offset: np.ndarray  # per jenis, points
    jenis_scale: np.ndarray  # per jenis, multiplier on the sasaran share
    avail_offset: float  # share points of item availability
    price_index: float  # local price level vs the national reference
    price_items: np.ndarray  # which items have a regional SSH price (bool per item)
    full_year: np.ndarray  # per jenis, first year served 100% (inf = never)


def _trend(jenis: pd.DataFrame, traits: _RegionTraits, t) -> np.ndarray:
    """Noise-free capaian path (percent, unclipped) of each jenis, ``t`` years after ORIGIN_YEAR."""
    return (jenis["capaian_awal"].to_numpy() + traits.level_offset + traits.jenis_offset
            + jenis["kenaikan_per_tahun"].to_numpy() * traits.growth_factor * t)


def _traits(seed: int, region: regions.Region, jenis: pd.DataFrame, n_items: int) -> _RegionTraits:
    rng = _rng(seed, region.kode_wilayah, 0)
    n_jenis = len(jenis)
    lagging = rng.random() < 0.12
    density = region.penduduk / max(region.luas_km2, 1.0)
    remote = 1.0 + 0.5 / (1.0 + density / 50.0)  # sparse regions pay more for goods
    traits = _RegionTraits(
        level_offset=float(rng.normal(0, 7)) - (10.0 if lagging else 0.0),
        growth_factor=float(rng.uniform(0.0, 0.4)) if lagging else float(rng.uniform(0.7, 1.4)),
        jenis_offset=rng.normal(0, 6, n_jenis),
        jenis_scale=np.exp(rng.normal(0, 0.12, n_jenis)),
        avail_offset=float(rng.normal(0, 0.08)),
        price_index=remote * float(np.exp(rng.normal(0, 0.08))),
        price_items=rng.random(n_items) < 0.35,
        full_year=np.full(n_jenis, np.inf),
    )
    # drawn last, so the traits above keep the values they had before this one existed
    picked = rng.random(n_jenis) < FULL_SHARE
    year = ORIGIN_YEAR + rng.integers(*FULL_YEARS, n_jenis)
    ready = _trend(jenis, traits, year - FULL_RAMP - ORIGIN_YEAR) >= FULL_MIN_TREND
    return replace(traits, full_year=np.where(picked & ready, year, np.inf))


def _toward_full(pct: np.ndarray, year: int, full_year: np.ndarray) -> np.ndarray:
    """Close the gap to 100% by a third each year over the FULL_RAMP years up to ``full_year``; from
    then on exactly 100% (a jenis that reached full service stays there)."""
    w = np.clip(1.0 - (full_year - year) / FULL_RAMP, 0.0, 1.0)
    return np.where(w >= 1.0, 100.0, pct + (100.0 - pct) * w)


def generate(kode_wilayah: str | Iterable[str], tahun: Iterable[int] = DEFAULT_YEARS, *,
             seed: int = DEFAULT_SEED, aturan: str = catalog.DEFAULT_ATURAN, masalah: bool = False,
             triwulan: bool = False) -> DemoData:
    """Demo tables for the given region codes (or a selection like 'all', 'prov:32') and years.

    ``triwulan=True`` adds the quarterly report: cumulative quarter rows of sasaran and the anggaran,
    permasalahan and tahapan tables (``demo_quarter``), with the same skipped quarters in every table."""
    if isinstance(kode_wilayah, str):
        codes = regions.select(kode_wilayah)
    else:
        codes = [regions.get(k).kode_wilayah for k in kode_wilayah]
    years = sorted({int(t) for t in tahun})
    params = catalog.demo_parameter().set_index("kode_jenis")
    mutu_all = catalog.mutu(aturan)
    s_parts, k_parts, h_parts = [], [], []
    by_level = {lvl: _level_tables(lvl, params, mutu_all) for lvl in ("provinsi", "kabkota")}
    for kode in codes:
        region = regions.get(kode)
        lvl = by_level[region.tingkat]
        traits = _traits(seed, region, lvl.jenis, len(lvl.items))
        for year in years:
            s, k, h = _region_year(seed, region, year, lvl, traits)
            s_parts.append(s)
            k_parts.append(k)
            h_parts.append(h)
    sasaran = _concat(s_parts, "sasaran")
    ketersediaan = _concat(k_parts, "ketersediaan")
    harga = _concat(h_parts, "harga_satuan")
    data = DemoData(sasaran, ketersediaan, harga)
    if triwulan:
        data = _with_triwulan(data, seed)
    if masalah:
        data = inject_problems(data, seed)
    return data


@dataclass(frozen=True)
class _Level:
    jenis: pd.DataFrame  # kode_jenis + demo parameters, in catalogue order
    items: pd.DataFrame  # kode_jenis, kode_item, jumlah_per_sasaran, harga_satuan_acuan
    item_jenis_pos: np.ndarray  # index into jenis for each item


def _level_tables(tingkat: str, params: pd.DataFrame, mutu_all: pd.DataFrame) -> _Level:
    from spm_helpers.engine.quality import batas_kewajaran_bawaan

    jenis = catalog.jenis(tingkat)[["kode_jenis"]].join(params, on="kode_jenis")
    bounds = batas_kewajaran_bawaan().set_index("kode_jenis")["batas_persen_penduduk"] / 100.0
    # demo sasaran stay under 90% of the plausibility bound, so clean demo data raises no such flag
    jenis["batas_proporsi"] = jenis["kode_jenis"].map(bounds).fillna(1.0).to_numpy() * 0.9
    items = mutu_all[mutu_all["kode_jenis"].isin(jenis["kode_jenis"])][
        ["kode_jenis", "kode_item", "jumlah_per_sasaran", "harga_satuan_acuan"]].reset_index(drop=True)
    pos = {k: i for i, k in enumerate(jenis["kode_jenis"])}
    return _Level(jenis.reset_index(drop=True), items, items["kode_jenis"].map(pos).to_numpy())


def _region_year(seed: int, region: regions.Region, year: int, lvl: _Level, traits: _RegionTraits) -> tuple[dict, dict, dict]:
    """Column arrays of the three tables for one region and year (framed once, at the end)."""
    rng = _rng(seed, region.kode_wilayah, year)
    j = lvl.jenis
    n = len(j)
    pop = region.penduduk * (1 + POP_GROWTH) ** (year - BASE_YEAR_POPULATION)
    share = j["proporsi_sasaran"].to_numpy() * traits.jenis_scale * np.exp(rng.normal(0, 0.03, n))
    share = np.minimum(share, j["batas_proporsi"].to_numpy())
    lumpy = j["peluang_nol"].to_numpy()
    zero = rng.random(n) < lumpy
    spike = np.where(lumpy > 0, rng.lognormal(0, 0.8, n), 1.0)
    sasaran = np.rint(pop * share * spike).astype(np.int64)
    sasaran[zero] = 0
    t = year - ORIGIN_YEAR
    pct = np.clip(_trend(j, traits, t) + rng.normal(0, 2.0, n), 5.0, 100.0)
    rng.random(n)  # the old per-year 'fully served' draw: still taken so stock and price noise keep their values
    pct = _toward_full(pct, year, traits.full_year)
    terlayani = np.minimum(np.rint(sasaran * pct / 100.0).astype(np.int64), sasaran)
    s = {"kode_wilayah": np.full(n, region.kode_wilayah, dtype=object), "tahun": np.full(n, year),
         "kode_jenis": j["kode_jenis"].to_numpy(), "jumlah_sasaran": sasaran, "jumlah_terlayani": terlayani}

    it = lvl.items
    m = len(it)
    need = np.ceil(sasaran[lvl.item_jenis_pos] * it["jumlah_per_sasaran"].to_numpy() - 1e-9)
    avail_share = (j["ketersediaan_awal"].to_numpy()[lvl.item_jenis_pos] + traits.avail_offset
                   + 0.04 * traits.growth_factor * t + rng.normal(0, 0.07, m))
    avail_share = np.clip(avail_share, 0.1, 1.2)
    tersedia = np.rint(need * avail_share).astype(np.int64)
    k = {"kode_wilayah": np.full(m, region.kode_wilayah, dtype=object), "tahun": np.full(m, year),
         "kode_jenis": it["kode_jenis"].to_numpy(), "kode_item": it["kode_item"].to_numpy(),
         "jumlah_tersedia": tersedia}

    chosen = traits.price_items
    base = it["harga_satuan_acuan"].to_numpy(dtype=float)[chosen]
    price = base * traits.price_index * (1 + PRICE_INFLATION) ** (year - BASE_YEAR_POPULATION) \
        * np.exp(rng.normal(0, 0.05, chosen.sum()))
    nh = int(chosen.sum())
    h = {"kode_wilayah": np.full(nh, region.kode_wilayah, dtype=object), "tahun": np.full(nh, year),
         "kode_item": it["kode_item"].to_numpy()[chosen], "harga_satuan": np.maximum(_round_price(price), 1)}
    return s, k, h


def _round_price(price: np.ndarray) -> np.ndarray:
    """SSH prices are round numbers: to Rp 100 below Rp 100.000, to Rp 1.000 above."""
    step = np.where(price < 100_000, 100, 1000)
    return (np.rint(price / step) * step).astype(np.int64)


def _concat(parts: list[dict], table: str) -> pd.DataFrame:
    from spm_helpers.reference import schemas

    if not parts:
        return schemas.empty(table)
    df = pd.DataFrame({c: np.concatenate([p[c] for p in parts]) for c in parts[0]})
    if table == "sasaran":
        df["sumber_data"] = DEMO_LABEL
    for col in ("tahun", "jumlah_sasaran", "jumlah_terlayani", "jumlah_tersedia", "harga_satuan"):
        if col in df.columns:
            df[col] = df[col].astype("Int64")
    return df


def _with_triwulan(data: DemoData, seed: int) -> DemoData:
    """Add cumulative quarterly rows (triwulan 1–4) beside the annual rows (triwulan NA), except a quarter a
    region did not report (``demo_quarter.late_quarter``), and the quarterly tables of D9."""
    from spm_helpers.inputs import demo_quarter

    s = data.sasaran.copy()
    s["triwulan"] = pd.array([pd.NA] * len(s), dtype="Int64")
    quarters = []
    for q, share in enumerate(TRIWULAN_SHARE, start=1):
        part = data.sasaran.copy()
        part["triwulan"] = q
        part["jumlah_terlayani"] = (part["jumlah_terlayani"].astype("float") * share).round().astype("Int64")
        late = [demo_quarter.late_quarter(seed, k, t) == q for k, t in zip(part["kode_wilayah"], part["tahun"])]
        quarters.append(part[~np.array(late, dtype=bool)])
    k = data.ketersediaan  # annual stock: the engine uses it for every quarter of the year
    sas = pd.concat([s, *quarters], ignore_index=True)
    sas["triwulan"] = sas["triwulan"].astype("Int64")
    return DemoData(sas, k, data.harga_satuan, data.masalah, quarter=demo_quarter.generate(data.sasaran, seed))


PROBLEM_KINDS = {
    "terlayani_melebihi_sasaran": "Jumlah terlayani lebih besar dari jumlah sasaran",
    "jenis_hilang": "Satu jenis pelayanan tidak dilaporkan pada tahun terakhir",
    "harga_nol": "Harga satuan daerah diisi 0",
    "lonjakan_sasaran": "Jumlah sasaran melonjak tidak wajar dibanding tahun sebelumnya",
    "terlayani_kosong": "Jumlah terlayani dikosongkan (tidak diketahui, bukan nol)",
}


def inject_problems(data: DemoData, seed: int = DEFAULT_SEED) -> DemoData:
    """One of each realistic problem per region, on deterministic rows; the list is the answer key."""
    s = data.sasaran.copy()
    h = data.harga_satuan.copy()
    annual = s["triwulan"].isna() if "triwulan" in s.columns else pd.Series(True, index=s.index)
    log: list[dict] = []
    drop_idx: list[int] = []
    for kode, rows in s[annual].groupby("kode_wilayah", sort=False):
        rng = _rng(seed, kode, 9999)
        years = sorted(rows["tahun"].unique())
        last = years[-1]
        cand = rows[(rows["tahun"] == last) & (rows["jumlah_sasaran"] > 20)]
        if len(cand) < 4:
            continue
        pick = cand.sample(n=4, random_state=int(rng.integers(0, 2**31 - 1))).index.tolist()
        i_over, i_missing, i_blank, i_jump = pick
        s.loc[i_over, "jumlah_terlayani"] = int(s.at[i_over, "jumlah_sasaran"]) + max(
            1, int(0.15 * int(s.at[i_over, "jumlah_sasaran"])))
        log.append(_log(kode, last, s.at[i_over, "kode_jenis"], None, "terlayani_melebihi_sasaran"))
        s.loc[i_blank, "jumlah_terlayani"] = pd.NA
        log.append(_log(kode, last, s.at[i_blank, "kode_jenis"], None, "terlayani_kosong"))
        if len(years) > 1:
            s.loc[i_jump, "jumlah_sasaran"] = int(s.at[i_jump, "jumlah_sasaran"]) * 3
            s.loc[i_jump, "jumlah_terlayani"] = min(int(s.at[i_jump, "jumlah_terlayani"]),
                                                     int(s.at[i_jump, "jumlah_sasaran"]))
            log.append(_log(kode, last, s.at[i_jump, "kode_jenis"], None, "lonjakan_sasaran"))
        drop_idx.append(i_missing)
        log.append(_log(kode, last, s.at[i_missing, "kode_jenis"], None, "jenis_hilang"))
        hp = h[(h["kode_wilayah"] == kode) & (h["tahun"] == last)]
        if len(hp):
            j = hp.index[int(rng.integers(0, len(hp)))]
            h.loc[j, "harga_satuan"] = 0
            log.append(_log(kode, last, None, h.at[j, "kode_item"], "harga_nol"))
    s = s.drop(index=drop_idx).reset_index(drop=True)
    masalah = pd.DataFrame(log, columns=["kode_wilayah", "tahun", "kode_jenis", "kode_item", "masalah",
                                         "keterangan"])
    return DemoData(s, data.ketersediaan, h, masalah, quarter=data.quarter)


def _log(kode, tahun, jenis, item, kind) -> dict:
    return {"kode_wilayah": kode, "tahun": int(tahun), "kode_jenis": jenis, "kode_item": item,
            "masalah": kind, "keterangan": PROBLEM_KINDS[kind]}


SEED_REGIONS = ("32.75", "19.71", "17.01", "64.11", "14.10")


def seed_selection() -> list[str]:
    """The five regions of the source reports plus their provinces (the committed demo set)."""
    provs = {regions.get(k).kode_provinsi for k in SEED_REGIONS}
    return regions.select(",".join(sorted(provs) + list(SEED_REGIONS)))


def write(data: DemoData, folder, fmt: str = "csv", overwrite: bool = False) -> list:
    """Write the demo tables and a label file; refuses to replace existing files unless asked."""
    from pathlib import Path

    from spm_helpers.files import write_text
    from spm_helpers.inputs.datastore import save

    folder = Path(folder)
    paths = save(data.tables(), folder, fmt=fmt, overwrite=overwrite)
    if len(data.masalah):
        paths += save({"masalah_sisipan": data.masalah}, folder, fmt="csv", overwrite=overwrite)
    years = sorted(data.sasaran["tahun"].unique().tolist()) if len(data.sasaran) else []
    text = (f"# {DEMO_LABEL.capitalize()}\n\nSemua angka di folder ini adalah **{DEMO_LABEL}**, dibuat oleh "
            f"`spm contoh` secara deterministik dari jumlah penduduk (Dukcapil Desember 2024) dan asumsi "
            f"`datasets/katalog/demo_parameter.csv`. Bukan data resmi pemerintah daerah mana pun.\n\n"
            f"- Wilayah: {data.sasaran['kode_wilayah'].nunique()}\n- Tahun: {', '.join(map(str, years))}\n")
    paths.append(write_text(folder / "SUMBER.md", text, overwrite=True))
    return paths
