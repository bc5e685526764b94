"""Stage 3, penyusunan rencana pemenuhan: yearly targets, additional people to serve, additional items to buy
or staff to hire, and their cost over a planning period (the RPJMD period, 5 years by default), shaped for
RPJMD, Renstra/Renja and RKPD (DECISIONS D4, revised: plan the gap, never cut what is already served).

Public functions
- ``build_rencana(sasaran, harga_satuan=None, *, ketersediaan=None, tahun_dasar=None, lama=5, metode="merata",
  pagu=None, pertumbuhan_sasaran=0.0, kenaikan_harga=0.0, katalog_mutu=None, katalog_jenis=None, aturan=...)``
  → ``Rencana(rencana, status, anggaran, butir)``.
- ``tabel_rpjmd(rencana)`` → one row per region and jenis: kondisi awal, target and cost per year, kondisi akhir.
- ``tabel_renstra(rencana, opd=None)`` → the RPJMD table per OPD pengampu, with people to serve per year.
- ``tabel_rkpd(rencana, tahun)`` → one plan year: program, jenis, OPD, target %, additional people, cost,
  funded / unfunded.
- ``tabel_renja(rencana, tahun, opd)`` → the RKPD rows of one OPD.
- ``tabel_butir(rencana, tahun)`` → the additional items (what to buy, whom to hire) of one plan year.

The rule (D4): what the base year already provides — the people served and the stock of every mutu item — is
kept by existing budgets and is the floor. The plan prices only the **additional** provision: for each mutu
item ``max(0, ceil(orang_dilayani × jumlah_per_sasaran) − tersedia_dasar) × harga_satuan``. Targets rise from
the base-year capaian to 100% ('merata' evenly, 'didepankan' front-loaded) and never fall. A ``pagu`` caps
that additional spending each year: jenis are funded in priority order, the last one funded rises as far as
its share allows, and what stays unfunded is ``kekurangan_anggaran``. With the same sasaran, the final year
of an unconstrained plan costs exactly the stage-2 gap (``needs.compute_kebutuhan``).
"""
from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from spm_helpers import fmt
from spm_helpers.engine import primitives as d
from spm_helpers.engine.needs import compute_kebutuhan
from spm_helpers.errors import Problem, SPMDataError, SPMValueError
from spm_helpers.reference.catalog import DEFAULT_ATURAN

METODE = ("merata", "didepankan", "pagu")
TIDAK_TERCAPAI = "tidak tercapai dalam periode"
TIDAK_DIKETAHUI = "biaya tambahan tidak diketahui (ketersediaan atau harga butir mutu belum ada)"


@dataclass
class Rencana:
    """A fulfilment plan. ``rencana``: one row per region, jenis and plan year; ``status``: one row per
    region and jenis (when it reaches 100%, whether it was fully funded, or why it is not planned);
    ``anggaran``: one row per region and plan year (pagu, cost, funded, unfunded, what is left);
    ``butir``: one row per region, jenis, plan year and mutu item with additional units and their cost."""

    rencana: pd.DataFrame
    status: pd.DataFrame
    anggaran: pd.DataFrame
    butir: pd.DataFrame = field(default_factory=pd.DataFrame)


def _basis(sasaran: pd.DataFrame, tahun_dasar: int | None) -> tuple[pd.DataFrame, int]:
    """Base-year rows: annual rows, or triwulan 4 (the whole year, cumulative) where no annual row exists."""
    d.require_columns(sasaran, ["kode_wilayah", "tahun", "kode_jenis", "jumlah_sasaran", "jumlah_terlayani"],
                      "sasaran")
    s = sasaran
    if d.has_triwulan(s):
        q = pd.to_numeric(s["triwulan"])
        s = pd.concat([s[q.isna()], s[q == 4]]).drop_duplicates(["kode_wilayah", "tahun", "kode_jenis"])
        s = s.drop(columns="triwulan")
    tahun = int(s["tahun"].max()) if tahun_dasar is None else int(tahun_dasar)
    s = s[s["tahun"] == tahun]
    if s.empty:
        raise SPMDataError(f"Tidak ada data sasaran untuk tahun dasar {tahun}.", kolom="tahun", nilai=tahun)
    d.require_unique(s, ["kode_wilayah", "kode_jenis"], "sasaran")
    return s.reset_index(drop=True), tahun


def _pagu(pagu, kode: np.ndarray, tahun: list[int]) -> pd.DataFrame:
    """kode_wilayah, tahun_rencana, pagu (int) for every region and plan year, from a number (same for all),
    a {tahun: pagu} mapping (same for every region) or a table (kode_wilayah, [tahun_rencana|tahun], pagu;
    without a year column the region's pagu holds for every plan year)."""
    grid = pd.DataFrame({"kode_wilayah": np.repeat(kode, len(tahun)), "tahun_rencana": np.tile(tahun, len(kode))})
    if isinstance(pagu, pd.DataFrame):
        p = pagu.rename(columns={"tahun": "tahun_rencana"})
        kunci = ["kode_wilayah"] + (["tahun_rencana"] if "tahun_rencana" in p.columns else [])
        d.require_columns(p, kunci + ["pagu"], "pagu")
        d.require_unique(p, kunci, "pagu")
        grid = grid.merge(p[kunci + ["pagu"]], on=kunci, how="left")
    elif isinstance(pagu, Mapping):
        grid["pagu"] = grid["tahun_rencana"].map({int(k): v for k, v in pagu.items()})
    else:
        grid["pagu"] = pagu
    val, known = d.angka(grid["pagu"])
    bad = ~known | (val < 0)
    if bad.any():
        raise SPMDataError([Problem("pagu tidak diisi atau negatif untuk tahun rencana ini", kolom="pagu",
                                    nilai=f"{r.kode_wilayah} {r.tahun_rencana}")
                            for r in grid[bad].itertuples()])
    grid["pagu"] = val.astype("int64")
    return grid



def build_rencana(sasaran: pd.DataFrame, harga_satuan: pd.DataFrame | None = None, *,
                  ketersediaan: pd.DataFrame | None = None, tahun_dasar: int | None = None, lama: int = 5,
                  metode: str = "merata", pagu=None, pertumbuhan_sasaran: float = 0.0, kenaikan_harga: float = 0.0,
                  katalog_mutu: pd.DataFrame | None = None, katalog_jenis: pd.DataFrame | None = None,
                  aturan: str = DEFAULT_ATURAN) -> Rencana:
    """Plan years tahun_dasar+1 … tahun_dasar+lama for every region and jenis in ``sasaran`` (D4 revised).

    Base year (default: the latest year): capaian_awal = min(100, 100 × terlayani / sasaran) and the stock
    ``tersedia`` of each mutu item (``ketersediaan`` of that year; an item without a reported stock makes the
    jenis' additional cost unknown, never zero). Sasaran grow by ``pertumbuhan_sasaran`` a year and prices by
    ``kenaikan_harga``. Year k: target_k from capaian_awal to 100% ('merata' even; 'didepankan' front-loaded;
    'pagu' = 'merata' capped by the pagu), orang_dilayani_k = ceil(target_k × sasaran_k / 100), and
    biaya_kebutuhan_k = Σ items max(0, ceil(orang_dilayani_k × jumlah_per_sasaran) − tersedia) × harga_k.

    With ``pagu`` (a number, {tahun: pagu} or a table; see :func:`_pagu`) the pagu caps the additional spending
    each year: first what the plan funded last year is kept (tier 1; nothing in year 1), then new money goes
    to the rest of each jenis' cost — the mutu gap of people already served and the rise toward this year's
    trajectory target (tier 2) — each tier in priority order (lowest capaian first, then lowest cost per
    additional person), and the last jenis funded rises as far as its share allows. A target never falls
    below last year's, so a pagu dip or pagu 0 keeps targets where they were ("tanpa tambahan anggaran") and
    what it cannot pay is ``kekurangan_anggaran``. Per row ``biaya`` (funded) + ``kekurangan_anggaran`` =
    ``biaya_kebutuhan`` and a region's funded total never exceeds its pagu.

    ``rencana``: kode_wilayah, kode_jenis, nama_jenis, kode_bidang, bidang, opd, program, tahun_rencana, metode,
    capaian_awal, target_persen, jumlah_sasaran, sasaran_dilayani, tambahan_orang, biaya_kebutuhan, biaya,
    kekurangan_anggaran, didanai, and with a pagu urutan_prioritas. ``status``: kode_wilayah, kode_jenis,
    kode_bidang, opd, capaian_awal, target_akhir, tahun_tuntas, didanai, kekurangan_anggaran, keterangan, sebab.
    ``anggaran``: kode_wilayah, tahun_rencana, pagu, biaya_kebutuhan, biaya, kekurangan_anggaran, sisa_pagu.
    ``butir``: kode_wilayah, kode_jenis, kode_item, tahun_rencana, tersedia_dasar, kebutuhan, tambahan,
    harga_satuan, biaya (units beyond the base-year stock that the plan's target needs).
    """
    if metode not in METODE:
        raise SPMValueError(f"metode harus salah satu dari: {', '.join(METODE)}")
    if metode == "pagu" and pagu is None:
        raise SPMValueError("metode 'pagu' memerlukan nilai pagu")
    if lama < 1:
        raise SPMValueError("lama periode rencana minimal 1 tahun")
    lintasan = "merata" if metode == "pagu" else metode
    base, t0 = _basis(sasaran, tahun_dasar)
    kj = d.jenis_katalog(katalog_jenis)

    s0, _ = d.angka(base["jumlah_sasaran"])
    l0, _ = d.angka(base["jumlah_terlayani"])
    base["capaian_awal"] = d.persen(l0, s0)
    base["_layani"] = np.minimum(l0, s0)
    alasan = np.select([~(s0 > 0), np.isnan(l0)], ["tidak ada sasaran pada tahun dasar",
                                                   "data belum lengkap (jumlah terlayani kosong)"], "")
    ikut = base[alasan == ""].sort_values(["kode_wilayah", "kode_jenis"], ignore_index=True)
    b = _Butir.of(ikut, t0, ketersediaan, harga_satuan, katalog_mutu, aturan)
    years = list(range(t0 + 1, t0 + lama + 1))
    grid = _pagu(pagu, ikut["kode_wilayah"].unique(), years) if pagu is not None else None
    rows, items = _rencanakan(ikut, b, years, lintasan, grid, pertumbuhan_sasaran, kenaikan_harga)
    rows["metode"] = metode
    rows = _info_jenis(rows, kj)
    status = _status(base, alasan, rows, t0, kj)
    anggaran = _anggaran(rows, grid)
    cols = ["kode_wilayah", "kode_jenis", "nama_jenis", "kode_bidang", "bidang", "opd", "program", "tahun_rencana",
            "metode", "capaian_awal", "target_persen", "jumlah_sasaran", "sasaran_dilayani", "tambahan_orang",
            "biaya_kebutuhan", "biaya", "kekurangan_anggaran", "didanai"]
    cols += ["urutan_prioritas"] if grid is not None else []
    rows = rows[cols].sort_values(["kode_wilayah", "kode_jenis", "tahun_rencana"], ignore_index=True)
    return Rencana(rows, status, anggaran, items)


@dataclass
class _Butir:
    """The mutu items of the planned jenis as arrays: ``sid`` is the row in ``ikut`` (non-decreasing),
    ``jps`` jumlah_per_sasaran, ``tersedia`` the base-year stock (0 where unknown), ``harga`` the base-year
    unit price (SSH daerah, else catalogue); ``known`` per ikut row: every item's stock and price known and
    the jenis has items."""

    sid: np.ndarray
    jps: np.ndarray
    tersedia: np.ndarray
    harga: np.ndarray
    known: np.ndarray
    kode_item: np.ndarray

    @classmethod
    def of(cls, ikut: pd.DataFrame, t0: int, ketersediaan, harga_satuan, katalog_mutu, aturan) -> _Butir:
        n = len(ikut)
        if n == 0:
            e = np.array([], dtype="float64")
            return cls(np.array([], dtype="int64"), e, e, e, np.zeros(0, bool), np.array([], dtype=object))
        ket = None
        if ketersediaan is not None and len(ketersediaan):
            ket = ketersediaan[pd.to_numeric(ketersediaan["tahun"]) == t0]
            ket = ket if len(ket) else None
        keb = compute_kebutuhan(ikut[["kode_wilayah", "tahun", "kode_jenis", "jumlah_sasaran"]], ket, harga_satuan,
                                katalog_mutu=katalog_mutu, aturan=aturan)
        idx = pd.MultiIndex.from_arrays([ikut["kode_wilayah"].astype(str), ikut["kode_jenis"].astype(str)])
        sid = idx.get_indexer(pd.MultiIndex.from_arrays([keb["kode_wilayah"].astype(str),
                                                         keb["kode_jenis"].astype(str)]))
        order = np.argsort(sid, kind="stable")
        keb, sid = keb.take(order), sid[order]
        ters, t_known = d.angka(keb["tersedia"])
        harga, h_known = d.angka(keb["harga_satuan"])
        bad = np.bincount(sid, weights=~(t_known & h_known), minlength=n)
        has = np.bincount(sid, minlength=n)
        return cls(sid.astype("int64"), keb["jumlah_per_sasaran"].to_numpy(dtype="float64"),
                   np.where(t_known, ters, 0.0), np.where(h_known, harga, 0.0), (bad == 0) & (has > 0),
                   keb["kode_item"].to_numpy(dtype=object))

    def tambahan(self, orang: np.ndarray, harga_k: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """(kebutuhan, additional units, cost) per item for ``orang`` people per ikut row."""
        keb = d.bulat_atas(orang[self.sid] * self.jps)
        add = np.maximum(0.0, keb - self.tersedia)
        return keb, add, d.bulat_atas(add * harga_k)

    def biaya(self, orang: np.ndarray, harga_k: np.ndarray, n: int) -> np.ndarray:
        """Additional cost per ikut row (int64 rupiah; float sums are exact below 2^53)."""
        return np.rint(np.bincount(self.sid, weights=self.tambahan(orang, harga_k)[2], minlength=n)).astype("int64")


def _orang(persen: np.ndarray, s: np.ndarray) -> np.ndarray:
    return np.minimum(d.bulat_atas(persen * s / 100.0), s)


def _rencanakan(ikut: pd.DataFrame, b: _Butir, years: list[int], lintasan: str, grid: pd.DataFrame | None,
                g: float, i: float) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Targets, people and cost per plan year: a loop over plan years, vectorised over regions and jenis."""
    n = len(ikut)
    awal = ikut["capaian_awal"].to_numpy(dtype="float64")
    l0 = ikut["_layani"].to_numpy(dtype="float64")
    s0 = d.angka(ikut["jumlah_sasaran"])[0]
    wil = pd.factorize(ikut["kode_wilayah"])[0]
    jen = pd.factorize(ikut["kode_jenis"], sort=True)[0]
    known = b.known
    prev = awal.copy()
    dana_prev = np.zeros(n, dtype="int64")
    if grid is not None:
        p_idx = grid.set_index(["kode_wilayah", "tahun_rencana"])["pagu"]
    parts, item_parts = [], []
    for k, tahun in enumerate(years, start=1):
        s = np.rint(s0 * (1.0 + g) ** k)
        harga_k = b.harga * (1.0 + i) ** k
        want_pct = d.target_lintasan(awal, np.full(n, k), len(years), lintasan)
        want = _orang(want_pct, s)
        need = np.where(known, b.biaya(want, harga_k, n), 0)
        extra = {}
        if grid is None:
            target, orang, dana = want_pct, want, need
        else:
            floor_o = np.minimum(_orang(prev, s), want)
            floor_c = np.where(known, b.biaya(floor_o, harga_k, n), 0)
            rise = need - floor_c
            with np.errstate(divide="ignore", invalid="ignore"):
                per_orang = np.where(want > floor_o, rise / np.maximum(want - floor_o, 1), rise.astype("float64"))
            order = np.lexsort((jen, per_orang, prev, wil))  # region, lowest capaian, cheapest per person
            budget = p_idx.reindex(pd.MultiIndex.from_arrays([ikut["kode_wilayah"], np.full(n, tahun)]))
            budget = budget.to_numpy(dtype="int64")
            # tier 1 keeps what the plan itself funded last year (nothing in year 1: the base year is kept by
            # existing budgets); tier 2 is new money for the rest, mutu gaps of people served included
            keep = np.minimum(floor_c, dana_prev)
            a1 = _jatah(budget, keep, wil, order)
            used = np.bincount(wil, weights=a1, minlength=int(wil.max()) + 1 if n else 0)
            rest = np.where(known, need - a1, 0)
            left = _sisa(budget - np.rint(used[wil]).astype("int64"), rest, wil, order)
            total = a1 + np.clip(left, 0, rest)
            # a rise is planned only while pagu is left at the jenis' turn: no money left, no new promises
            rises = known & (total >= floor_c) & (left > 0)
            orang = np.where(rises, _beli(b, floor_o, want, total, harga_k, n), floor_o)
            penuh = rises & (orang == want)
            dana = np.where(rises, b.biaya(orang, harga_k, n), np.minimum(total, floor_c))
            dana = np.where(known, dana, 0)
            # no rise: the target stays exactly last year's (floor_o only rounds it up to whole people)
            target = np.where(penuh, want_pct, np.where(orang > floor_o, np.maximum(d.persen(orang, s), prev), prev))
            dana_prev = dana
            rank = np.empty(n, dtype="int64")
            rank[order] = np.arange(n)
            first = np.full(int(wil.max()) + 1 if n else 0, n)
            np.minimum.at(first, wil[order], np.arange(n))
            extra["urutan_prioritas"] = rank - first[wil] + 1
        target = np.maximum(target, prev)
        prev = target
        f = pd.DataFrame({
            "kode_wilayah": ikut["kode_wilayah"].array, "kode_jenis": ikut["kode_jenis"].array,
            "tahun_rencana": tahun, "capaian_awal": awal, "target_persen": target,
            "jumlah_sasaran": d.int64(s, np.ones(n, bool)), "sasaran_dilayani": d.int64(orang, np.ones(n, bool)),
            "tambahan_orang": d.int64(np.maximum(0.0, orang - l0), np.ones(n, bool)),
            "biaya_kebutuhan": d.int64(need, known), "biaya": d.int64(dana, known),
            "kekurangan_anggaran": d.int64(need - dana, known), **extra})
        f["didanai"] = (f["kekurangan_anggaran"] == 0).fillna(False).astype(bool)
        parts.append(f)
        keb, add, cost = b.tambahan(orang.astype("float64"), harga_k)
        item_parts.append(pd.DataFrame({
            "kode_wilayah": ikut["kode_wilayah"].to_numpy(dtype=object)[b.sid],
            "kode_jenis": ikut["kode_jenis"].to_numpy(dtype=object)[b.sid], "kode_item": b.kode_item,
            "tahun_rencana": tahun, "tersedia_dasar": b.tersedia.astype("int64"), "kebutuhan": keb.astype("int64"),
            "tambahan": add.astype("int64"), "harga_satuan": np.rint(harga_k).astype("int64"),
            "biaya": cost.astype("int64"), "_known": known[b.sid]}))
    cols = ["kode_wilayah", "kode_jenis", "tahun_rencana", "capaian_awal", "target_persen", "jumlah_sasaran",
            "sasaran_dilayani", "tambahan_orang", "biaya_kebutuhan", "biaya", "kekurangan_anggaran", "didanai"]
    rows = pd.concat(parts, ignore_index=True) if parts else pd.DataFrame(columns=cols)
    items = pd.concat(item_parts, ignore_index=True)
    for c in ("tersedia_dasar", "biaya"):  # unknown stock / price: not zero
        items[c] = d.int64(items[c].to_numpy(), items["_known"].to_numpy())
    items = items.drop(columns="_known").sort_values(["kode_wilayah", "kode_jenis", "tahun_rencana", "kode_item"],
                                                      ignore_index=True)
    return rows, items


def _beli(b: _Butir, lo: np.ndarray, hi: np.ndarray, dana: np.ndarray, harga_k: np.ndarray, n: int) -> np.ndarray:
    """Largest number of people in [lo, hi] whose additional cost fits ``dana`` (vectorised bisection; the cost
    is non-decreasing in people). ``lo`` must fit."""
    lo, hi = lo.astype("float64").copy(), hi.astype("float64").copy()
    fits = b.biaya(hi, harga_k, n) <= dana
    lo = np.where(fits, hi, lo)
    while True:
        open_ = hi - lo > 1
        if not open_.any():
            return lo
        mid = np.floor((lo + hi) / 2)
        ok = b.biaya(np.where(open_, mid, lo), harga_k, n) <= dana
        lo = np.where(open_ & ok, mid, lo)
        hi = np.where(open_ & ~ok, mid, hi)


def _jatah(budget: np.ndarray, demand: np.ndarray, wil: np.ndarray, order: np.ndarray) -> np.ndarray:
    """Per row: min(demand, what the region's budget has left after the rows before it in ``order``)."""
    return np.clip(_sisa(budget, demand, wil, order), 0, demand)


def _sisa(budget: np.ndarray, demand: np.ndarray, wil: np.ndarray, order: np.ndarray) -> np.ndarray:
    """Per row: the region's budget minus the demand of the rows before it in ``order`` (may be negative)."""
    if len(demand) == 0:
        return demand.copy()
    dem = demand[order]
    w = wil[order]
    cs = np.cumsum(dem)
    start = np.r_[0, np.flatnonzero(np.diff(w)) + 1]  # order is grouped by region
    offset = np.repeat(cs[start] - dem[start], np.diff(np.r_[start, len(w)]))
    before = cs - dem - offset
    out = np.empty_like(demand)
    out[order] = budget[order] - before
    return out


def _info_jenis(rows: pd.DataFrame, kj: pd.DataFrame) -> pd.DataFrame:
    """nama_jenis, kode_bidang, bidang, opd (OPD pengampu) and program (RKPD) from the catalogue."""
    def per_jenis(kolom: str):
        if kolom not in kj.columns:
            return pd.NA
        return rows["kode_jenis"].map(dict(zip(kj["kode_jenis"], kj[kolom])))

    bidang = d.nama_bidang(kj)
    kb = per_jenis("kode_bidang")
    return rows.assign(nama_jenis=per_jenis("nama"), kode_bidang=kb,
                       bidang=kb.map(dict(zip(bidang["kode_bidang"], bidang["bidang"]))), opd=per_jenis("opd_pengampu"),
                       program=per_jenis("program"))



def _status(base: pd.DataFrame, alasan: np.ndarray, rows: pd.DataFrame, t0: int, kj: pd.DataFrame) -> pd.DataFrame:
    st = base[["kode_wilayah", "kode_jenis", "capaian_awal"]].copy()
    st["_alasan"] = alasan
    akhir = max(rows["tahun_rencana"].max(), t0) if len(rows) else t0
    last = rows[rows["tahun_rencana"] == akhir][["kode_wilayah", "kode_jenis", "target_persen"]]
    jenis = ["kode_wilayah", "kode_jenis"]
    # tuntas = from the year after the last one below 100% (the base year counts with capaian_awal)
    below = pd.concat([rows.loc[rows["target_persen"] < 100.0, jenis + ["tahun_rencana"]],
                       st.loc[~(st["capaian_awal"] >= 100.0), jenis].assign(tahun_rencana=t0)])
    below = below.groupby(jenis)["tahun_rencana"].max().rename("_kurang").reset_index()
    g = rows.groupby(jenis)
    uang = pd.DataFrame({"kekurangan_anggaran": g["kekurangan_anggaran"].sum(min_count=1),
                         "_tahu": g["biaya_kebutuhan"].count() == g.size()}).reset_index()
    st = (st.merge(last.rename(columns={"target_persen": "target_akhir"}), how="left").merge(below, how="left")
          .merge(uang, how="left"))
    tuntas = np.where(st["_kurang"].isna(), t0, st["_kurang"] + 1)
    st["tahun_tuntas"] = pd.array(tuntas, dtype="Int64")
    st.loc[(st["tahun_tuntas"] > akhir) | (st["_alasan"] != ""), "tahun_tuntas"] = pd.NA
    tahu = st["_tahu"].fillna(False).astype(bool)
    kurang = st["kekurangan_anggaran"].astype("Int64")
    st["kekurangan_anggaran"] = kurang.where(tahu, pd.NA)
    st["didanai"] = (st["_alasan"] == "") & tahu & (kurang == 0).fillna(False)
    ket = np.where(st["tahun_tuntas"].isna(), TIDAK_TERCAPAI, "tercapai tahun " + st["tahun_tuntas"].astype(str))
    ket = np.where((st["tahun_tuntas"] == t0).fillna(False), "sudah 100% pada tahun dasar", ket)
    st["keterangan"] = np.where(st["_alasan"] != "", "tidak direncanakan: " + st["_alasan"], ket)
    st["sebab"] = [_sebab(a, t, k, x) for a, t, k, x in
                   zip(st["_alasan"], tahu, kurang.astype("float64").fillna(0.0), st["target_akhir"])]
    st = _info_jenis(st, kj)
    cols = ["kode_wilayah", "kode_jenis", "kode_bidang", "opd", "capaian_awal", "target_akhir", "tahun_tuntas",
            "didanai", "kekurangan_anggaran", "keterangan", "sebab"]
    return st[cols].sort_values(["kode_wilayah", "kode_jenis"], ignore_index=True)


def _sebab(alasan: str, tahu: bool, kurang: float, akhir: float) -> str:
    """Why a jenis is not fully planned, in one Indonesian sentence ('' when nothing is missing)."""
    if alasan:
        return ""
    if not tahu:
        return "Target tetap pada capaian tahun dasar: " + TIDAK_DIKETAHUI + "."
    if kurang <= 0:
        return ""
    if akhir is not None and not pd.isna(akhir) and akhir < 100.0:
        return (f"Tidak mencapai 100% (target akhir {fmt.persen(akhir)}) karena kekurangan anggaran "
                f"{fmt.rupiah(int(kurang))} selama periode.")
    return f"Kekurangan anggaran {fmt.rupiah(int(kurang))} selama periode (mutu layanan belum terpenuhi)."


def _anggaran(rows: pd.DataFrame, grid: pd.DataFrame | None) -> pd.DataFrame:
    g = rows.groupby(["kode_wilayah", "tahun_rencana"], sort=True)
    out = pd.DataFrame({c: g[c].sum(min_count=1).astype("Int64")
                        for c in ("biaya_kebutuhan", "biaya", "kekurangan_anggaran")}).reset_index()
    if grid is None:
        out["pagu"] = pd.array([pd.NA] * len(out), dtype="Int64")
    else:
        out = out.merge(grid, how="left")
        out["pagu"] = out["pagu"].astype("Int64")
    out["sisa_pagu"] = out["pagu"] - out["biaya"].fillna(0)
    return out[["kode_wilayah", "tahun_rencana", "pagu", "biaya_kebutuhan", "biaya", "kekurangan_anggaran",
                "sisa_pagu"]]


# ----------------------------------------------------------------------------- document shapes
def _tabel(rencana: Rencana | pd.DataFrame) -> pd.DataFrame:
    return rencana.rencana if isinstance(rencana, Rencana) else rencana


_ID = ["kode_wilayah", "kode_bidang", "bidang", "kode_jenis", "nama_jenis", "opd"]
_LABEL = {"target_persen": "target", "sasaran_dilayani": "sasaran_dilayani", "biaya": "biaya"}


def _lebar(df: pd.DataFrame, ukuran: list[str]) -> pd.DataFrame:
    """Plan years as columns (<label>_<tahun>, label 'target' for target_persen) between kondisi_awal and
    kondisi_akhir (the final-year target), then total_biaya."""
    idx = [c for c in _ID if c in df.columns]
    years = sorted(df["tahun_rencana"].unique())
    if not years:  # nothing planned (e.g. no jenis with sasaran)
        return pd.DataFrame(columns=idx + ["kondisi_awal", "kondisi_akhir", "total_biaya"])
    g = df.groupby(idx, sort=True, dropna=False, observed=True)
    out = pd.DataFrame({"kondisi_awal": g["capaian_awal"].first()})
    for t in years:
        yr = df[df["tahun_rencana"] == t].set_index(idx)
        for u in ukuran:
            out[f"{_LABEL[u]}_{t}"] = yr[u]
    out["kondisi_akhir"] = out[f"target_{years[-1]}"] if "target_persen" in ukuran else \
        df[df["tahun_rencana"] == years[-1]].set_index(idx)["target_persen"]
    out["total_biaya"] = g["biaya"].sum(min_count=1).astype("Int64")
    return out.reset_index()


def tabel_rpjmd(rencana: Rencana | pd.DataFrame) -> pd.DataFrame:
    """RPJMD shape: per region and jenis, kondisi_awal, target_<tahun> and biaya_<tahun> for each plan year,
    kondisi_akhir (target in the final year) and total_biaya."""
    return _lebar(_tabel(rencana), ["target_persen", "biaya"])


def tabel_renstra(rencana: Rencana | pd.DataFrame, opd: str | None = None) -> pd.DataFrame:
    """Renstra shape (one OPD's five-year plan): the RPJMD table plus sasaran_dilayani_<tahun>, ordered by
    OPD pengampu; ``opd`` keeps one OPD."""
    df = _tabel(rencana)
    if opd is not None:
        df = df[df["opd"] == opd]
    out = _lebar(df, ["target_persen", "sasaran_dilayani", "biaya"])
    return out.sort_values(["kode_wilayah", "opd", "kode_bidang", "kode_jenis"], ignore_index=True)


def tabel_rkpd(rencana: Rencana | pd.DataFrame, tahun: int) -> pd.DataFrame:
    """RKPD shape for one plan year (the rows a Bappeda copies into the annual plan): kode_wilayah,
    tahun_rencana, bidang, program, kode_jenis, nama_jenis, opd, target_persen, sasaran_dilayani,
    tambahan_orang, biaya_kebutuhan, biaya (funded), kekurangan_anggaran (unfunded), didanai."""
    df = _tabel(rencana)
    df = df[df["tahun_rencana"] == int(tahun)]
    cols = ["kode_wilayah", "tahun_rencana", "kode_bidang", "bidang", "program", "kode_jenis", "nama_jenis", "opd",
            "target_persen", "sasaran_dilayani", "tambahan_orang", "biaya_kebutuhan", "biaya", "kekurangan_anggaran",
            "didanai"]
    return df[[c for c in cols if c in df.columns]].sort_values(["kode_wilayah", "kode_bidang", "kode_jenis"],
                                                               ignore_index=True)


def tabel_renja(rencana: Rencana | pd.DataFrame, tahun: int, opd: str) -> pd.DataFrame:
    """Renja shape: the RKPD rows of one OPD pengampu for one year."""
    out = tabel_rkpd(rencana, tahun)
    return out[out["opd"] == opd].reset_index(drop=True)


def tabel_butir(rencana: Rencana, tahun: int, opd: str | None = None) -> pd.DataFrame:
    """Additional items of one plan year (what to buy, whom to hire): the plan's rows with tambahan > 0, with
    the item name, unit and category from the catalogue and the jenis' OPD pengampu; ``opd`` keeps one OPD."""
    from spm_helpers.reference import catalog

    b = rencana.butir
    if b.empty:
        return b
    b = b[(b["tahun_rencana"] == int(tahun)) & (b["tambahan"] > 0)]
    opds = rencana.rencana.drop_duplicates("kode_jenis").set_index("kode_jenis")["opd"].to_dict()
    b = b.assign(opd=b["kode_jenis"].map(opds))
    if opd is not None:
        b = b[b["opd"] == opd]
    mutu = pd.concat([catalog.mutu(a) for a in catalog.aturan()["kode_aturan"]]).drop_duplicates("kode_item")
    mutu = mutu.set_index("kode_item")
    for col, src in (("nama_butir", "nama"), ("satuan", "satuan"), ("kategori_butir", "kategori")):
        b[col] = b["kode_item"].map(mutu[src].to_dict())
    return b.reset_index(drop=True)
