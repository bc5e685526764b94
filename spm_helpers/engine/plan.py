"""Stage 3, penyusunan rencana pemenuhan: yearly targets, people to serve and cost over a planning period
(the RPJMD period, 5 years by default), and the same plan shaped for RPJMD, Renstra/Renja and RKPD (D4).

Public functions
- ``build_rencana(sasaran, harga_satuan=None, *, tahun_dasar=None, lama=5, metode="merata", pagu=None,
  pertumbuhan_sasaran=0.0, kenaikan_harga=0.0, katalog_mutu=None, katalog_jenis=None, aturan=...)``
  → ``Rencana(rencana, status, anggaran)``.
- ``tabel_rpjmd(rencana)`` → one row per region and jenis: kondisi awal, target and cost per year, kondisi akhir.
- ``tabel_renstra(rencana, opd=None)`` → the RPJMD table per OPD pengampu, with people to serve per year.
- ``tabel_rkpd(rencana, tahun)`` → one plan year: bidang, jenis, OPD, target %, people to serve, cost.
- ``tabel_renja(rencana, tahun, opd)`` → the RKPD rows of one OPD.

Methods: 'merata' closes the baseline gap evenly, 'didepankan' front-loads it (both reach exactly 100% in
the final year); 'pagu' spends a yearly ceiling by priority and may leave jenis short of 100%.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Mapping

import numpy as np
import pandas as pd

from spm_helpers.engine import primitives as d
from spm_helpers.engine.needs import biaya_per_orang, compute_kebutuhan
from spm_helpers.errors import Problem, SPMDataError, SPMValueError
from spm_helpers.reference.catalog import DEFAULT_ATURAN

METODE = ("merata", "didepankan", "pagu")
TIDAK_TERCAPAI = "tidak tercapai dalam periode"


@dataclass
class Rencana:
    """A fulfilment plan. ``rencana``: one row per region, jenis and plan year; ``status``: one row per
    region and jenis (when it reaches 100%, whether it was funded, or why it is not planned);
    ``anggaran``: one row per region and plan year (pagu, cost, what is left)."""

    rencana: pd.DataFrame
    status: pd.DataFrame
    anggaran: pd.DataFrame


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
                  tahun_dasar: int | None = None, lama: int = 5, metode: str = "merata", pagu=None,
                  pertumbuhan_sasaran: float = 0.0, kenaikan_harga: float = 0.0,
                  katalog_mutu: pd.DataFrame | None = None, katalog_jenis: pd.DataFrame | None = None,
                  aturan: str = DEFAULT_ATURAN) -> Rencana:
    """Plan years tahun_dasar+1 … tahun_dasar+lama for every region and jenis in ``sasaran``.

    Baseline = capaian_penerima of the base year (default: the latest year). Sasaran grow by
    ``pertumbuhan_sasaran`` a year (0 = held at the base year); people to serve =
    ceil(target% × sasaran / 100); cost of a year = ceil(people × biaya_per_orang), where biaya_per_orang
    is Σ items jumlah_per_sasaran × harga_satuan at base-year prices (SSH daerah, else catalogue; see
    :func:`spm_helpers.engine.needs.biaya_per_orang`), raised by ``kenaikan_harga`` a year.

    'pagu' (``pagu`` required): each year the ceiling first keeps last year's people served (cut by the
    same share for every jenis if it cannot), then buys more people toward 100% in priority order —
    lowest capaian first, then lowest cost per person — with partial funding; the plan's yearly cost never
    exceeds the pagu. ``status.didanai`` is False for a jenis that never got new money while below 100%.
    Jenis with sasaran 0/NA, an unknown terlayani, or (in pagu mode) an unknown cost per person are listed
    in ``status`` and not planned.

    ``rencana`` columns: kode_wilayah, kode_jenis, nama_jenis, kode_bidang, bidang, opd, tahun_rencana,
    metode, capaian_awal, target_persen, jumlah_sasaran, sasaran_dilayani, biaya_per_orang, biaya, and in
    pagu mode urutan_prioritas. ``status``: kode_wilayah, kode_jenis, kode_bidang, opd, capaian_awal,
    target_akhir, tahun_tuntas, didanai, keterangan. ``anggaran``: kode_wilayah, tahun_rencana, pagu,
    biaya, sisa_pagu.
    """
    if metode not in METODE:
        raise SPMValueError(f"metode harus salah satu dari: {', '.join(METODE)}")
    if metode == "pagu" and pagu is None:
        raise SPMValueError("metode 'pagu' memerlukan nilai pagu")
    if lama < 1:
        raise SPMValueError("lama periode rencana minimal 1 tahun")
    base, t0 = _basis(sasaran, tahun_dasar)
    kj = d.jenis_katalog(katalog_jenis)
    keb = compute_kebutuhan(base[["kode_wilayah", "tahun", "kode_jenis", "jumlah_sasaran"]], None, harga_satuan,
                            katalog_mutu=katalog_mutu, aturan=aturan)
    base = base.merge(biaya_per_orang(keb).drop(columns="tahun"), on=["kode_wilayah", "kode_jenis"], how="left")

    s0, _ = d.angka(base["jumlah_sasaran"])
    l0, _ = d.angka(base["jumlah_terlayani"])
    base["capaian_awal"] = d.persen(l0, s0)
    base["_layani"] = np.minimum(l0, s0)
    bpo = base["biaya_per_orang"].to_numpy(dtype="float64")
    alasan = np.select([~(s0 > 0), np.isnan(l0), (metode == "pagu") & np.isnan(bpo)],
                       ["tidak ada sasaran pada tahun dasar", "data belum lengkap (jumlah terlayani kosong)",
                        "biaya per orang tidak diketahui (butir mutu atau harga belum ada)"], "")
    ikut = base[alasan == ""].sort_values(["kode_wilayah", "kode_jenis"], ignore_index=True)
    years = list(range(t0 + 1, t0 + lama + 1))
    if metode == "pagu":
        rows, funded = _alokasi_pagu(ikut, years, _pagu(pagu, ikut["kode_wilayah"].unique(), years),
                                     pertumbuhan_sasaran, kenaikan_harga)
    else:
        rows, funded = _lintasan(ikut, years, metode, pertumbuhan_sasaran, kenaikan_harga), None
    rows["metode"] = metode
    rows = _info_jenis(rows, kj)
    status = _status(base, alasan, rows, funded, t0, kj)
    anggaran = _anggaran(rows, pagu if metode == "pagu" else None, years)
    cols = ["kode_wilayah", "kode_jenis", "nama_jenis", "kode_bidang", "bidang", "opd", "tahun_rencana", "metode",
            "capaian_awal", "target_persen", "jumlah_sasaran", "sasaran_dilayani", "biaya_per_orang", "biaya"]
    cols += ["urutan_prioritas"] if metode == "pagu" else []
    rows = rows[cols].sort_values(["kode_wilayah", "kode_jenis", "tahun_rencana"], ignore_index=True)
    return Rencana(rows, status, anggaran)


def _tahun_ke(ikut: pd.DataFrame, k: int, g: float, i: float) -> tuple[np.ndarray, np.ndarray]:
    """Sasaran and cost per person in plan year k."""
    s = np.rint(d.angka(ikut["jumlah_sasaran"])[0] * (1.0 + g) ** k)
    return s, ikut["biaya_per_orang"].to_numpy(dtype="float64") * (1.0 + i) ** k


def _frame(ikut: pd.DataFrame, tahun: int, target: np.ndarray, s: np.ndarray, orang: np.ndarray,
           bpo: np.ndarray) -> pd.DataFrame:
    known = ~np.isnan(bpo)
    return pd.DataFrame({
        "kode_wilayah": ikut["kode_wilayah"].array, "kode_jenis": ikut["kode_jenis"].array,
        "tahun_rencana": tahun, "capaian_awal": ikut["capaian_awal"].to_numpy(), "target_persen": target,
        "jumlah_sasaran": d.int64(s, np.ones(len(s), bool)),
        "sasaran_dilayani": d.int64(orang, np.ones(len(s), bool)),
        "biaya_per_orang": bpo, "biaya": d.int64(d.bulat_atas(np.where(known, orang * bpo, 0.0)), known)})


def _lintasan(ikut: pd.DataFrame, years: list[int], metode: str, g: float, i: float) -> pd.DataFrame:
    parts = []
    awal = ikut["capaian_awal"].to_numpy()
    for k, tahun in enumerate(years, start=1):  # a loop over plan years, vectorised over regions and jenis
        s, bpo = _tahun_ke(ikut, k, g, i)
        target = d.target_lintasan(awal, np.full(len(ikut), k), len(years), metode)
        orang = np.minimum(d.bulat_atas(target * s / 100.0), s)
        parts.append(_frame(ikut, tahun, target, s, orang, bpo))
    return pd.concat(parts, ignore_index=True)


def _biaya(orang: np.ndarray, bpo: np.ndarray) -> np.ndarray:
    return d.bulat_atas(orang * bpo).astype("int64")


def _alokasi_pagu(ikut: pd.DataFrame, years: list[int], pagu: pd.DataFrame, g: float,
                  i: float) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Yearly allocation (D4), vectorised over regions. Tier 1 keeps last year's people served (see
    :func:`_pertahankan`). Tier 2 spends what is left toward 100%: sort each region's jenis by priority,
    take running sums of the demand, and give each jenis what is left of the pagu before it, capped at
    its demand (so the last one funded may be funded in part)."""
    wil = pd.factorize(ikut["kode_wilayah"])[0]
    jen = pd.factorize(ikut["kode_jenis"], sort=True)[0]
    nreg = int(wil.max()) + 1 if len(wil) else 0
    p_idx = pagu.set_index(["kode_wilayah", "tahun_rencana"])["pagu"]
    layani = ikut["_layani"].to_numpy(dtype="float64")
    s_prev = d.angka(ikut["jumlah_sasaran"])[0]
    funded = np.zeros(len(ikut), dtype=bool)
    parts = []
    for k, tahun in enumerate(years, start=1):
        s, bpo = _tahun_ke(ikut, k, g, i)
        cap = d.persen(layani, s_prev)
        order = np.lexsort((jen, bpo, cap, wil))  # region, then lowest capaian, then cheapest per person
        budget = p_idx.reindex(pd.MultiIndex.from_arrays([ikut["kode_wilayah"], np.full(len(ikut), tahun)]))
        budget = budget.to_numpy(dtype="int64")
        keep = np.minimum(layani, s)
        d1 = _biaya(keep, bpo)
        d2 = _biaya(s, bpo) - d1
        a1 = _pertahankan(budget, d1, wil, nreg)
        used = np.zeros(nreg, dtype="int64")
        np.add.at(used, wil, a1)
        sisa = budget - used[wil]
        a2 = _jatah(sisa, d2, wil, order)
        dana = a1 + a2
        with np.errstate(divide="ignore", invalid="ignore"):
            orang = np.where(bpo > 0, np.floor(dana / bpo), s)
        orang = np.where(dana >= _biaya(s, bpo), s, np.clip(orang, 0, s))
        for _ in range(2):  # floating division may miss by one person either way
            orang = np.where(_biaya(orang, bpo) > dana, orang - 1, orang)
        orang = np.where((orang < s) & (_biaya(orang + 1, bpo) <= dana), orang + 1, orang)
        funded |= (a2 > 0) | ((d2 == 0) & (a1 == d1))
        rank = np.empty(len(ikut), dtype="int64")
        rank[order] = np.arange(len(ikut))
        first = np.full(nreg, len(ikut))
        np.minimum.at(first, wil[order], np.arange(len(ikut)))
        f = _frame(ikut, tahun, d.persen(orang, s), s, orang, bpo)
        f["urutan_prioritas"] = rank - first[wil] + 1
        parts.append(f)
        layani, s_prev = orang, s
    didanai = pd.DataFrame({"kode_wilayah": ikut["kode_wilayah"].array, "kode_jenis": ikut["kode_jenis"].array,
                            "didanai": funded})
    return pd.concat(parts, ignore_index=True), didanai


def _pertahankan(budget: np.ndarray, demand: np.ndarray, wil: np.ndarray, nreg: int) -> np.ndarray:
    """Tier 1: keep last year's people. If the pagu cannot, every jenis is cut by the same share: the
    priority rule of D4 decides who gets new money, not which running service is stopped."""
    total = np.zeros(nreg, dtype="int64")
    np.add.at(total, wil, demand)
    reg_budget = np.zeros(nreg, dtype="int64")
    reg_budget[wil] = budget  # one pagu per region
    short = total[wil] > reg_budget[wil]
    out = demand.copy()
    if short.any():  # floor(demand × pagu / total) in exact integers (the product can pass int64)
        num = demand[short].astype(object) * reg_budget[wil[short]].astype(object)
        out[short] = (num // total[wil[short]].astype(object)).astype("int64")
    return out


def _jatah(budget: np.ndarray, demand: np.ndarray, wil: np.ndarray, order: np.ndarray) -> np.ndarray:
    """Per row: min(demand, what the region's budget has left after the rows before it in ``order``)."""
    if len(demand) == 0:
        return demand.copy()
    dem = demand[order]
    w = wil[order]
    cs = np.cumsum(dem)
    start = np.r_[0, np.flatnonzero(np.diff(w)) + 1]  # order is grouped by region
    offset = np.repeat(cs[start] - dem[start], np.diff(np.r_[start, len(w)]))
    before = cs - dem - offset
    out = np.empty_like(demand)
    out[order] = np.clip(budget[order] - before, 0, dem)
    return out


def _info_jenis(rows: pd.DataFrame, kj: pd.DataFrame) -> pd.DataFrame:
    """nama_jenis, kode_bidang, bidang and opd (OPD pengampu) looked up from the catalogue."""
    def per_jenis(kolom: str):
        if kolom not in kj.columns:
            return pd.NA
        return rows["kode_jenis"].map(dict(zip(kj["kode_jenis"], kj[kolom])))

    bidang = d.nama_bidang(kj)
    kb = per_jenis("kode_bidang")
    return rows.assign(nama_jenis=per_jenis("nama"), kode_bidang=kb,
                       bidang=kb.map(dict(zip(bidang["kode_bidang"], bidang["bidang"]))), opd=per_jenis("opd_pengampu"))


def _status(base: pd.DataFrame, alasan: np.ndarray, rows: pd.DataFrame, funded: pd.DataFrame | None, t0: int,
            kj: pd.DataFrame) -> pd.DataFrame:
    st = base[["kode_wilayah", "kode_jenis", "capaian_awal"]].copy()
    st["_alasan"] = alasan
    akhir = max(rows["tahun_rencana"].max(), t0) if len(rows) else t0
    last = rows[rows["tahun_rencana"] == akhir][["kode_wilayah", "kode_jenis", "target_persen"]]
    # tuntas = from the year after the last one below 100% (the base year counts with capaian_awal)
    jenis = ["kode_wilayah", "kode_jenis"]
    below = pd.concat([rows.loc[rows["target_persen"] < 100.0, jenis + ["tahun_rencana"]],
                       st.loc[~(st["capaian_awal"] >= 100.0), jenis].assign(tahun_rencana=t0)])
    below = below.groupby(["kode_wilayah", "kode_jenis"])["tahun_rencana"].max().rename("_kurang").reset_index()
    st = st.merge(last.rename(columns={"target_persen": "target_akhir"}), how="left").merge(below, how="left")
    tuntas = np.where(st["_kurang"].isna(), t0, st["_kurang"] + 1)
    st["tahun_tuntas"] = pd.array(tuntas, dtype="Int64")
    st.loc[(st["tahun_tuntas"] > akhir) | (st["_alasan"] != ""), "tahun_tuntas"] = pd.NA
    if funded is None:
        st["didanai"] = st["_alasan"] == ""
    else:
        st = st.merge(funded, how="left")
        st["didanai"] = st["didanai"].fillna(False).astype(bool)
    ket = np.where(st["tahun_tuntas"].isna(), TIDAK_TERCAPAI, "tercapai tahun " + st["tahun_tuntas"].astype(str))
    ket = np.where((st["tahun_tuntas"] == t0).fillna(False), "sudah 100% pada tahun dasar", ket)
    st["keterangan"] = np.where(st["_alasan"] != "", "tidak direncanakan: " + st["_alasan"], ket)
    st = _info_jenis(st, kj)
    cols = ["kode_wilayah", "kode_jenis", "kode_bidang", "opd", "capaian_awal", "target_akhir", "tahun_tuntas",
            "didanai", "keterangan"]
    return st[cols].sort_values(["kode_wilayah", "kode_jenis"], ignore_index=True)


def _anggaran(rows: pd.DataFrame, pagu, years: list[int]) -> pd.DataFrame:
    g = rows.groupby(["kode_wilayah", "tahun_rencana"], sort=True)["biaya"].sum(min_count=1)
    out = g.astype("Int64").reset_index()
    if pagu is None:
        out["pagu"] = pd.array([pd.NA] * len(out), dtype="Int64")
    else:
        out = out.merge(_pagu(pagu, out["kode_wilayah"].unique(), years), how="left")
        out["pagu"] = out["pagu"].astype("Int64")
    out["sisa_pagu"] = out["pagu"] - out["biaya"]
    return out[["kode_wilayah", "tahun_rencana", "pagu", "biaya", "sisa_pagu"]]


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
    """RKPD shape for one plan year: kode_wilayah, bidang, kode_jenis, nama_jenis, opd, target_persen,
    sasaran_dilayani, biaya (the rows a Bappeda copies into the annual plan)."""
    df = _tabel(rencana)
    df = df[df["tahun_rencana"] == int(tahun)]
    cols = ["kode_wilayah", "tahun_rencana", "kode_bidang", "bidang", "kode_jenis", "nama_jenis", "opd",
            "target_persen", "sasaran_dilayani", "biaya"]
    return df[cols].sort_values(["kode_wilayah", "kode_bidang", "kode_jenis"], ignore_index=True)


def tabel_renja(rencana: Rencana | pd.DataFrame, tahun: int, opd: str) -> pd.DataFrame:
    """Renja shape: the RKPD rows of one OPD pengampu for one year."""
    out = tabel_rkpd(rencana, tahun)
    return out[out["opd"] == opd].reset_index(drop=True)
