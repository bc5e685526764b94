"""The engine run once for every region of a data folder, so each region of a batch reads its slice.

Every engine function is vectorised over regions and a region's results depend only on its own rows
(needs per item, IP-SPM per region, the plan per region and jenis without a shared pagu, the quality
flags per row or per region). Running the four stages once for the 552 regions of a national folder
takes a few seconds; running them 552 times, once per report, takes minutes (benchmarks/engine.py).
``region.compute`` therefore asks here first, but only in **batch mode**: :func:`enable` is called
explicitly by a batch kernel (``batch.kernel_reset.snapshot``) and logs that it did; it keeps the
folder's validated tables in memory (``datastore.keep_tables_in_memory``). When the region's input rows
are exactly the folder's rows, ``compute`` gets the same tables it would have computed, cut out of the
national run. Anything else (a notebook that edited its rows, a pagu, a folder with a bad row, batch
mode off) computes per region. ``tests/region/test_national.py`` checks slice and per-region results are
equal, table for table.
"""
from __future__ import annotations

import logging
from dataclasses import dataclass, fields
from typing import Iterable

import numpy as np
import pandas as pd

from spm_helpers.engine import achievement, plan
from spm_helpers.inputs import datastore
from spm_helpers.region.data import RegionData, annual_rows
from spm_helpers.region.stages import StageTables, run_stages

log = logging.getLogger(__name__)

_KEEP = 2  # national runs kept (a batch uses one)
_EMPTY = np.array([], dtype=np.intp)


@dataclass
class Slices:
    """A national table and the row positions of each region in it."""

    table: pd.DataFrame
    positions: dict

    @classmethod
    def of(cls, table: pd.DataFrame) -> "Slices":
        table = table.reset_index(drop=True)
        positions = table.groupby("kode_wilayah", sort=False).indices if len(table) else {}
        return cls(table, positions)

    def region(self, kode: str) -> pd.DataFrame:
        return self.table.take(self.positions.get(kode, _EMPTY)).reset_index(drop=True)


@dataclass
class Nasional:
    """Inputs and stage results of every region for one report year, rule set and plan length."""

    inputs: dict[str, Slices]
    ip: dict[str, Slices]
    kebutuhan: Slices
    rencana: dict[str, Slices]
    bendera: Slices

    def matches(self, data: RegionData) -> bool:
        """Are the region's input tables exactly the folder's rows? (A notebook may have changed them.)"""
        kode = data.wilayah.kode_wilayah
        return all(getattr(data, t).equals(p.region(kode)) for t, p in self.inputs.items())

    def results(self, data: RegionData):
        """The region's ``(ip, kebutuhan, rencana, bendera)`` as ``region.compute`` would return them."""
        kode = data.wilayah.kode_wilayah
        ip = achievement.IPSPM(**{k: p.region(kode) for k, p in self.ip.items()})
        rencana = plan.Rencana(**{k: p.region(kode) for k, p in self.rencana.items()})
        return ip, self.kebutuhan.region(kode), rencana, self.bendera.region(kode)


_RUNS: dict[tuple, Nasional | None] = {}
_PLANS: dict[tuple, tuple[Slices, Slices] | None] = {}  # the year-before plans (annual report's targets)
_FOLDER: dict[tuple, object] = {}  # other per-folder results (per_folder)
_enabled = False


def enable(wilayah: Iterable[str] | None = None) -> None:
    """Batch mode on: keep the data files' rows (of these regions) in memory and serve ``compute`` from
    one engine run per folder. Only batch kernels call this; every other caller computes per region."""
    global _enabled
    datastore.keep_tables_in_memory(wilayah=wilayah)
    _enabled = True
    log.info("mode batch: mesin dijalankan sekali untuk semua wilayah folder data")


def disable() -> None:
    """Batch mode off (the default): every ``compute`` runs the engine for its own region."""
    global _enabled
    datastore.keep_tables_in_memory(False)
    _RUNS.clear()
    _PLANS.clear()
    _FOLDER.clear()
    _enabled = False


def for_region(data: RegionData, lama_rencana: int, metode: str) -> Nasional | None:
    """The national run matching ``data`` (computed on first use), or None when there is none to use."""
    run = _cached(_RUNS, data, data.tahun, lama_rencana, metode,
                  lambda tables, awal: _compute(tables, data.tahun, awal, data.aturan, lama_rencana, metode))
    return run if run is not None and run.matches(data) else None


def _cached(cache: dict, data: RegionData, tahun: int, lama: int, metode: str, build):
    """What ``build(tables, awal)`` makes of the folder's kept tables for ``data``'s folder, years and rule set,
    built once per key and kept in ``cache`` (the last ``_KEEP``); None outside batch mode or without kept tables."""
    kept = _kept(data, datastore.TABLES)
    if kept is None:
        return None
    awal = data.tahun_awal if data.tahun_awal is not None else min(data.years, default=data.tahun)
    return _remember(cache, (kept[0], tahun, awal, data.aturan, lama, metode), lambda: build(kept[1], awal))


def per_folder(data: RegionData, name: tuple, tables: tuple[str, ...], build):
    """``build(kept)`` of the folder's kept ``tables`` (every batch region's validated rows), once per file
    versions and ``name``; None outside batch mode or when some row failed its schema. For region-layer
    results that, like the engine's, are vectorised over regions (``region.annual.tahun_triwulan``)."""
    kept = _kept(data, tables)
    if kept is None:
        return None
    return _remember(_FOLDER, (kept[0], name), lambda: build(kept[1]))


def _kept(data: RegionData, tables: tuple[str, ...]):
    """The folder's kept ``tables`` in batch mode, else None (batch mode off, data without a folder or region,
    or a row that failed its schema)."""
    if not _enabled or data.folder is None or data.wilayah is None:
        return None
    return datastore.kept_tables(data.folder, tables=tables)


def _remember(cache: dict, key: tuple, build):
    if key not in cache:
        while len(cache) >= _KEEP:
            cache.pop(next(iter(cache)))
        cache[key] = build()
    return cache[key]


def plan_before(data: RegionData, sasaran: pd.DataFrame, dasar: int, lama: int, metode: str) -> pd.DataFrame | None:
    """The region's ``rencana`` table of the plan built on the year ``dasar`` (``sasaran``: the region's rows up
    to that year), cut from one plan of every region of the folder; None outside batch mode or when the rows
    are not exactly the folder's. The annual report sets this year's target beside the year's capaian with
    it (``region.annual.target_tahun``); building it per region was a tenth of a report's time."""
    cut = _cached(_PLANS, data, dasar, lama, metode,
                  lambda tables, awal: _plan(tables["sasaran"], awal, dasar, data.aturan, lama, metode))
    if data.wilayah is None:
        return None
    kode = data.wilayah.kode_wilayah
    if cut is None or not sasaran.reset_index(drop=True).equals(cut[0].region(kode)):
        return None
    return cut[1].region(kode)


def _plan(sasaran: pd.DataFrame, awal: int, dasar: int, aturan: str, lama: int,
          metode: str) -> tuple[Slices, Slices] | None:
    s = annual_rows(sasaran[sasaran["tahun"].isin(range(awal, dasar + 1))])
    if not (s["tahun"] == dasar).any():
        return None
    try:
        r = plan.build_rencana(s, None, tahun_dasar=dasar, lama=lama, metode=metode, aturan=aturan)
    except Exception as e:  # noqa: BLE001 - as in _compute: each region then builds its own plan
        log.warning("mode batch: rencana tahun %s untuk semua wilayah tidak dapat dipakai (%s: %s)", dasar,
                    type(e).__name__, e)
        return None
    return Slices.of(s), Slices.of(r.rencana)


def _compute(tables: dict[str, pd.DataFrame], tahun: int, awal: int, aturan: str, lama: int,
             metode: str) -> Nasional | None:
    years = list(range(awal, tahun + 1))
    inputs = {t: annual_rows(df[df["tahun"].isin(years)]) if "tahun" in df.columns else annual_rows(df)
              for t, df in tables.items() if t in datastore.TABLES}
    every = RegionData(None, tahun, inputs["sasaran"], inputs["ketersediaan"],  # type: ignore[arg-type]
                       inputs["harga_satuan"], "", "", aturan)
    try:
        out: StageTables = run_stages(every, lama_rencana=lama, metode=metode)
    except Exception as e:  # noqa: BLE001 - one region's rows the engine refuses must not stop the others:
        # each region is then computed on its own and the bad one fails with its own located error
        log.warning("mode batch: satu perhitungan untuk semua wilayah tidak dapat dipakai (%s: %s); "
                    "setiap wilayah dihitung sendiri", type(e).__name__, e)
        return None
    return Nasional({t: Slices.of(df) for t, df in inputs.items()},
                    {f.name: Slices.of(getattr(out.ip, f.name)) for f in fields(out.ip)},
                    Slices.of(out.kebutuhan),
                    {f.name: Slices.of(getattr(out.rencana, f.name)) for f in fields(out.rencana)},
                    Slices.of(out.bendera))
