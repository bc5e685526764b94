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


@dataclass
class _Bagian:
    """What ``engine.quarter`` makes of one region's year of quarterly rows, before names are joined."""

    triwulan: int | None  # latest quarter with budget rows
    raw: pd.DataFrame  # ringkasan_anggaran of that quarter, jenis of the region's level only
    per_jenis: pd.DataFrame  # anggaran_per_jenis(raw)
    per_bidang: pd.DataFrame  # anggaran_per_bidang(raw)
    last: dict  # kode_jenis -> latest quarter with budget rows
    year: pd.DataFrame  # daftar_permasalahan(..., triwulan=None)
    with_rows: set  # kode_jenis with any problem row
    n_masalah: int


def _bagian(a: pd.DataFrame, m: pd.DataFrame, tahun: int) -> dict[str, _Bagian]:
    """``_Bagian`` of every region with budget rows of its level in ``tahun`` (``a``, ``m``: rows of any
    regions). Vectorised over regions, as the engine is: a batch computes it once for the whole folder
    (``national.per_folder``) and each report takes its region's part; a region's part depends only on its
    own rows, so it equals what the region's rows alone give (tests/region/test_annual_national.py). A region
    without such rows is left out and takes its own path."""
    a = a[pd.to_numeric(a["tahun"]) == tahun]
    m = m[pd.to_numeric(m["tahun"]) == tahun]
    if a.empty:
        return {}
    tri = pd.to_numeric(a["triwulan"])
    at_latest = a[tri == tri.groupby(a["kode_wilayah"]).transform("max")]
    # jenis of the region's own level only: a jenis of another level is not counted
    level = {t: set(catalog.jenis_info(t)["kode_jenis"]) for t in (regions.TINGKAT_PROVINSI, regions.TINGKAT_KABKOTA)}
    provinsi = ~at_latest["kode_wilayah"].str.contains(".", regex=False)
    own = at_latest[at_latest["kode_jenis"].isin(level[regions.TINGKAT_PROVINSI]).where(
        provinsi, at_latest["kode_jenis"].isin(level[regions.TINGKAT_KABKOTA])).astype(bool)]
    if own.empty:
        return {}
    raw = national.Slices.of(pd.concat([eq.ringkasan_anggaran(g, int(t)) for t, g in
                                        own.groupby(pd.to_numeric(own["triwulan"]))])
                             .sort_values(["kode_wilayah", "tahun", "kode_jenis"], kind="stable"))
    per_jenis = national.Slices.of(eq.anggaran_per_jenis(raw.table))
    per_bidang = national.Slices.of(eq.anggaran_per_bidang(raw.table, catalog.jenis()))
    last = a.assign(_t=tri).groupby(["kode_wilayah", "kode_jenis"])["_t"].max()
    top = tri.groupby(a["kode_wilayah"]).max()
    year = national.Slices.of(eq.daftar_permasalahan(m, triwulan=None))
    no_problem = eq.daftar_permasalahan(m.iloc[0:0], triwulan=None)  # a region without stated problems
    with_rows = m.groupby("kode_wilayah")["kode_jenis"].agg(set).to_dict()
    count = m.groupby("kode_wilayah").size().to_dict()
    return {kode: _Bagian(int(top[kode]), raw.region(kode), per_jenis.region(kode), per_bidang.region(kode),
                          last.loc[kode].to_dict(),
                          year.region(kode) if kode in year.positions else no_problem.copy(),
                          with_rows.get(kode, set()), int(count.get(kode, 0)))
            for kode in raw.positions}


def _bagian_wilayah(a: pd.DataFrame, m: pd.DataFrame, tingkat: str) -> _Bagian:
    """``_Bagian`` of one region from its own rows, whatever they hold (none at all included)."""
    info = catalog.jenis_info(tingkat)
    tri = pd.to_numeric(a["triwulan"])
    t = int(tri.max()) if len(a) else None
    raw = eq.ringkasan_anggaran(a, t) if t is not None else eq.ringkasan_anggaran(a.iloc[0:0], 4)
    raw = raw[raw["kode_jenis"].isin(set(info["kode_jenis"]))].reset_index(drop=True)
    last = a.assign(_t=tri).groupby("kode_jenis")["_t"].max().to_dict() if len(a) else {}
    return _Bagian(t, raw, eq.anggaran_per_jenis(raw), eq.anggaran_per_bidang(raw, catalog.jenis()), last,
                   eq.daftar_permasalahan(m, triwulan=None), set(m["kode_jenis"]), int(len(m)))


def tahun_triwulan(data: RegionData, tables: dict[str, pd.DataFrame] | None = None) -> TahunTriwulan:
    """Budgets and problems of ``data``'s region and report year, read from its data folder (``tables``: rows
    already read; a folder without the tables, or data built in memory, gives empty blocks, not an error).
    In batch mode the quarterly arithmetic runs once for the folder's regions (``national.per_folder``)."""
    w, tahun = data.wilayah, int(data.tahun)
    b = None
    if tables is None:
        every = national.per_folder(data, ("tahun_triwulan", tahun), TABEL_TAHUNAN,
                                    lambda kept: _bagian(kept["anggaran"], kept["permasalahan"], tahun))
        b = every.get(w.kode_wilayah) if every is not None else None
    if b is None:
        if tables is None:
            tables = (datastore.load(data.folder, w.kode_wilayah, tahun=tahun, tables=TABEL_TAHUNAN)
                      if data.folder is not None else {t: _empty(t) for t in TABEL_TAHUNAN})
        a = tables["anggaran"] if "anggaran" in tables else _empty("anggaran")
        a = a[(a["kode_wilayah"] == w.kode_wilayah) & (pd.to_numeric(a["tahun"]) == tahun)]
        m = tables["permasalahan"] if "permasalahan" in tables else _empty("permasalahan")
        m = m[(m["kode_wilayah"] == w.kode_wilayah) & (pd.to_numeric(m["tahun"]) == tahun)]
        b = _bagian_wilayah(a, m, w.tingkat)
    info = catalog.jenis_info(w.tingkat)
    names = info[["kode_jenis", "kode_bidang", "bidang", "nama_jenis", "opd_pengampu"]]

    rinci = names.merge(b.raw.drop(columns=["kode_wilayah", "tahun"]), on="kode_jenis", how="inner")
    per_jenis = names.merge(b.per_jenis.drop(columns=["kode_wilayah", "tahun"]), on="kode_jenis", how="left")
    per_jenis["triwulan_terakhir"] = per_jenis["kode_jenis"].map(b.last).astype("Int64")

    bidang = names.drop_duplicates("kode_bidang")[["kode_bidang", "bidang"]]
    per_bidang = bidang.merge(b.per_bidang.drop(columns=["kode_wilayah", "tahun"], errors="ignore"),
                              on="kode_bidang", how="left").reset_index(drop=True)
    per_sumber = _per_sumber(rinci)

    year = names.merge(b.year.drop(columns=["kode_wilayah", "tahun"]), on="kode_jenis", how="inner")
    stated = set(year["kode_jenis"])
    tanpa = [k for k in info["kode_jenis"] if k in b.with_rows and k not in stated]
    belum = [k for k in info["kode_jenis"] if k not in b.with_rows]
    return TahunTriwulan(w, tahun, b.triwulan, rinci.reset_index(drop=True), per_jenis, per_bidang, per_sumber,
                         year.reset_index(drop=True), tanpa, belum, b.n_masalah)


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
