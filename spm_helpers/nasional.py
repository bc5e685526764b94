"""The engine run once for every region of a data folder, so each region of a batch reads its slice.

Every engine function is vectorised over regions and a region's results depend only on its own rows
(needs per item, IP-SPM per region, the plan per region and jenis without a shared pagu, the quality
flags per row or per region). Running the four stages once for the 552 regions of a national folder
takes a few seconds; running them 552 times, once per report, takes minutes (benchmarks/engine.py).
``report.compute`` therefore asks here first: when the folder's tables are kept in memory
(``datastore.keep_tables_in_memory``, which batch kernels switch on) and the region's input rows are
exactly the folder's rows, it gets the same tables it would have computed, cut out of the national run.
Anything else (a notebook that edited its rows, a pagu, a folder with a bad row) computes per region.
``tests/test_nasional.py`` checks slice and per-region results are equal, table for table.
"""
from __future__ import annotations

from dataclasses import dataclass, fields
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from . import achievement, datastore, needs, plan

if TYPE_CHECKING:
    from .report import RegionData

_KEEP = 2  # national runs kept (a batch uses one)
_EMPTY = np.array([], dtype=np.intp)


@dataclass
class _Slices:
    """A national table and the row positions of each region in it."""

    table: pd.DataFrame
    positions: dict

    @classmethod
    def of(cls, table: pd.DataFrame) -> "_Slices":
        table = table.reset_index(drop=True)
        positions = table.groupby("kode_wilayah", sort=False).indices if len(table) else {}
        return cls(table, positions)

    def region(self, kode: str) -> pd.DataFrame:
        return self.table.take(self.positions.get(kode, _EMPTY)).reset_index(drop=True)


@dataclass
class Nasional:
    """Inputs and stage results of every region for one report year, rule set and plan length."""

    inputs: dict[str, _Slices]
    ip: dict[str, _Slices]
    kebutuhan: _Slices
    rencana: dict[str, _Slices]
    bendera: _Slices

    def matches(self, data: RegionData) -> bool:
        """Are the region's input tables exactly the folder's rows? (A notebook may have changed them.)"""
        kode = data.wilayah.kode_wilayah
        return all(getattr(data, t).equals(p.region(kode)) for t, p in self.inputs.items())

    def results(self, data: RegionData):
        """The region's ``(ip, kebutuhan, rencana, bendera)`` as ``report.compute`` would return them."""
        kode = data.wilayah.kode_wilayah
        ip = achievement.IPSPM(**{k: p.region(kode) for k, p in self.ip.items()})
        rencana = plan.Rencana(**{k: p.region(kode) for k, p in self.rencana.items()})
        return ip, self.kebutuhan.region(kode), rencana, self.bendera.region(kode)


_RUNS: dict[tuple, Nasional | None] = {}


def for_region(data: RegionData, lama_rencana: int, metode: str) -> Nasional | None:
    """The national run matching ``data`` (computed on first use), or None when there is none to use."""
    kept = datastore.kept_tables(data.folder) if data.folder is not None else None
    if kept is None or data.wilayah is None:
        return None
    awal = data.tahun_awal if data.tahun_awal is not None else min(data.years, default=data.tahun)
    key = (kept[0], data.tahun, awal, data.aturan, lama_rencana, metode)
    if key not in _RUNS:
        while len(_RUNS) >= _KEEP:
            _RUNS.pop(next(iter(_RUNS)))
        _RUNS[key] = _compute(kept[1], key[1], key[2], data.aturan, lama_rencana, metode)
    run = _RUNS[key]
    return run if run is not None and run.matches(data) else None


def _compute(tables: dict[str, pd.DataFrame], tahun: int, awal: int, aturan: str, lama: int,
            metode: str) -> Nasional | None:
    from .report import RegionData, _annual, check_data

    years = list(range(awal, tahun + 1))
    inputs = {t: _annual(df[df["tahun"].isin(years)]) if "tahun" in df.columns else _annual(df)
              for t, df in tables.items() if t in datastore.TABLES}
    every = RegionData(None, tahun, inputs["sasaran"], inputs["ketersediaan"],  # type: ignore[arg-type]
                       inputs["harga_satuan"], "", "", aturan)
    try:
        ip = achievement.compute_ip_spm(every.sasaran, every.input("ketersediaan", True), aturan=aturan)
        keb = needs.compute_kebutuhan(every.of_year("sasaran"), every.input("ketersediaan"),
                                      every.input("harga_satuan"), aturan=aturan)
        rencana = plan.build_rencana(every.sasaran, every.input("harga_satuan", True), tahun_dasar=tahun,
                                     lama=lama, metode=metode, pagu=None, aturan=aturan)
        bendera = check_data(every)
    except Exception:  # noqa: BLE001 - some region's rows the engine refuses: each region on its own then
        return None
    return Nasional({t: _Slices.of(df) for t, df in inputs.items()},
                    {f.name: _Slices.of(getattr(ip, f.name)) for f in fields(ip)},
                    _Slices.of(keb),
                    {f.name: _Slices.of(getattr(rencana, f.name)) for f in fields(rencana)},
                    _Slices.of(bendera))
