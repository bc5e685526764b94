"""Tables of the annual report that the report year's four stages do not give: the year as the quarterly
e-SPM tables report it (budgets and problems, DECISIONS D9) and the target last year's plan set for it.

- ``tahun_triwulan(data)`` → ``TahunTriwulan``: the budget of the **latest quarter reported** in the year
  (quarter 4 is the year; an earlier one is "s.d. Triwulan III"), per jenis × funding source, per jenis of
  the level and per bidang, computed as the quarter pack computes them (``engine.quarter``); and the year's
  problems, each once with its latest status (``daftar_permasalahan(..., triwulan=None)``). A jenis without
  rows is NA ('belum dilaporkan'), never Rp 0.
- ``target_tahun(hasil)`` → per jenis the report year's target from the plan built on the year before
  (what the previous annual report printed as next year's target) beside the year's capaian penerima.
"""
from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from spm_helpers.engine import achievement, plan
from spm_helpers.engine import quarter as eq
from spm_helpers.inputs import datastore
from spm_helpers.reference import catalog, regions
from spm_helpers.reference import quarter as q
from spm_helpers.region import national
from spm_helpers.region.data import RegionData
from spm_helpers.region.result import HasilWilayah

TABEL_TAHUNAN = ("anggaran", "permasalahan")
METODE_TARGET = ("merata", "didepankan")  # a pagu plan of last year cannot be rebuilt: its pagu is not in the data


@dataclass
class TahunTriwulan:
    """One region's budgets and problems of one year, as the quarterly tables report them."""

    wilayah: regions.Region
    tahun: int
    triwulan: int | None  # latest quarter with budget rows (None: no budget row this year)
    anggaran_rinci: pd.DataFrame  # kode_bidang, kode_jenis, nama_jenis, sumber_dana, alokasi, realisasi, persen
    anggaran_jenis: pd.DataFrame  # every jenis of the level, catalogue order; + triwulan_terakhir
    anggaran_bidang: pd.DataFrame  # every bidang of the level, catalogue order
    anggaran_sumber: pd.DataFrame  # per funding source (catalogue order), the region's total
    permasalahan: pd.DataFrame  # the year's problems, catalogue order of jenis, with names
    jenis_tanpa_masalah: list[str]  # kode_jenis whose every row says 'tidak ada permasalahan'
    jenis_belum_diisi: list[str]  # kode_jenis of the level without any problem row this year
    jumlah_baris_masalah: int  # rows of the permasalahan table this year (0: the isian was not filled)

    @property
    def posisi(self) -> str:
        """'Triwulan IV' (the whole year) or 's.d. Triwulan II'; '' without budget rows."""
        if self.triwulan is None:
            return ""
        return q.nama_triwulan(4) if self.triwulan == 4 else f"s.d. {q.nama_triwulan(self.triwulan)}"


def _empty(table: str) -> pd.DataFrame:
    from spm_helpers.reference import schemas

    return schemas.empty(table)


def tahun_triwulan(data: RegionData, tables: dict[str, pd.DataFrame] | None = None) -> TahunTriwulan:
    """Budgets and problems of ``data``'s region and report year, read from its data folder (``tables``: rows
    already read; a folder without the tables, or data built in memory, gives empty blocks, not an error)."""
    w, tahun = data.wilayah, int(data.tahun)
    if tables is None:
        tables = (datastore.load(data.folder, w.kode_wilayah, tahun=tahun, tables=TABEL_TAHUNAN)
                  if data.folder is not None else {t: _empty(t) for t in TABEL_TAHUNAN})
    a = tables["anggaran"] if "anggaran" in tables else _empty("anggaran")
    a = a[(a["kode_wilayah"] == w.kode_wilayah) & (pd.to_numeric(a["tahun"]) == tahun)]
    m = tables["permasalahan"] if "permasalahan" in tables else _empty("permasalahan")
    m = m[(m["kode_wilayah"] == w.kode_wilayah) & (pd.to_numeric(m["tahun"]) == tahun)]
    info = catalog.jenis_info(w.tingkat)
    names = info[["kode_jenis", "kode_bidang", "bidang", "nama_jenis", "opd_pengampu"]]

    tri = pd.to_numeric(a["triwulan"])
    t = int(tri.max()) if len(a) else None
    raw = eq.ringkasan_anggaran(a, t) if t is not None else eq.ringkasan_anggaran(a.iloc[0:0], 4)
    raw = raw[raw["kode_jenis"].isin(set(info["kode_jenis"]))]  # a jenis of another level is not counted
    rinci = names.merge(raw.drop(columns=["kode_wilayah", "tahun"]), on="kode_jenis", how="inner")
    per_jenis = names.merge(eq.anggaran_per_jenis(raw).drop(columns=["kode_wilayah", "tahun"]), on="kode_jenis",
                            how="left")
    last = a.assign(_t=tri).groupby("kode_jenis")["_t"].max() if len(a) else pd.Series(dtype="float64")
    per_jenis["triwulan_terakhir"] = per_jenis["kode_jenis"].map(last.to_dict()).astype("Int64")

    bidang = names.drop_duplicates("kode_bidang")[["kode_bidang", "bidang"]]
    pb = eq.anggaran_per_bidang(raw, catalog.jenis())
    per_bidang = bidang.merge(pb.drop(columns=["kode_wilayah", "tahun"], errors="ignore"), on="kode_bidang",
                              how="left").reset_index(drop=True)
    per_sumber = _per_sumber(rinci)

    year = eq.daftar_permasalahan(m, triwulan=None)
    year = names.merge(year.drop(columns=["kode_wilayah", "tahun"]), on="kode_jenis", how="inner")
    stated = set(year["kode_jenis"])
    with_rows = set(m["kode_jenis"])
    tanpa = [k for k in info["kode_jenis"] if k in with_rows and k not in stated]
    belum = [k for k in info["kode_jenis"] if k not in with_rows]
    return TahunTriwulan(w, tahun, t, rinci.reset_index(drop=True), per_jenis, per_bidang, per_sumber,
                         year.reset_index(drop=True), tanpa, belum, int(len(m)))


def _per_sumber(rinci: pd.DataFrame) -> pd.DataFrame:
    """The region's total per funding source, in the catalogue order of sources (sources without rows left
    out); a total with an unknown part is unknown (NA), as in ``engine.quarter``."""
    cols = ["sumber_dana", "alokasi", "realisasi", "persen_realisasi"]
    if rinci.empty:
        return pd.DataFrame(columns=cols)
    g = rinci.groupby("sumber_dana", sort=False)
    out = pd.DataFrame({c: g[c].sum(min_count=1).where(~g[c].apply(lambda x: x.isna().any())).astype("Int64")
                        for c in ("alokasi", "realisasi")}).reset_index()
    r, al = out["realisasi"].astype("float64"), out["alokasi"].astype("float64")
    out["persen_realisasi"] = (100.0 * r / al).where(al > 0)
    order = {k: i for i, k in enumerate(q.kode_sumber_dana())}
    return out.sort_values("sumber_dana", key=lambda x: x.map(order)).reset_index(drop=True)[cols]


def target_tahun(hasil: HasilWilayah) -> tuple[pd.DataFrame, int | None]:
    """The report year's target per jenis and its realisation: the plan built from the year before (same
    period length, and the report's trajectory method; a pagu plan is redrawn 'merata'), set against the
    year's capaian penerima by ``achievement.target_vs_realisasi``. Returns (table, base year), or an empty
    table and None when the data has no sasaran for the year before.

    Columns: kode_jenis, target_persen, realisasi_persen, selisih_persen, status."""
    data = hasil.data
    dasar = int(hasil.tahun) - 1
    cols = ["kode_jenis", "target_persen", "realisasi_persen", "selisih_persen", "status"]
    s = data.sasaran[data.sasaran["tahun"] <= dasar]
    if not (s["tahun"] == dasar).any():
        return pd.DataFrame(columns=cols), None
    used = hasil.rencana.rencana["metode"].dropna().unique() if "metode" in hasil.rencana.rencana else []
    metode = used[0] if len(used) and used[0] in METODE_TARGET else "merata"
    rencana = national.plan_before(data, s, dasar, hasil.lama_rencana, metode)  # batch mode: one plan for all
    if rencana is None:
        rencana = plan.build_rencana(s, None, tahun_dasar=dasar, lama=hasil.lama_rencana, metode=metode,
                                     aturan=data.aturan).rencana
    tvr = achievement.target_vs_realisasi(rencana, hasil.ip.jenis)
    tvr = tvr[tvr["tahun"] == int(hasil.tahun)]
    return tvr[cols].reset_index(drop=True), dasar
