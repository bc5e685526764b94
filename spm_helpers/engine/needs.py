"""Stage 2, penghitungan kebutuhan: what each jenis needs per mutu item, what is missing, what it costs.

Public functions
- ``compute_kebutuhan(sasaran, ketersediaan=None, harga_satuan=None, *, katalog_mutu=None, aturan=...)``
  → one row per region, period, jenis and mutu item: kebutuhan, tersedia, kekurangan, surplus,
  harga_satuan, sumber_harga, biaya (DECISIONS D2).
- ``summarize_kebutuhan(kebutuhan, per="jenis", *, katalog_jenis=None)`` → biaya and item counts rolled
  up per jenis, bidang, OPD pengampu or region.
- ``biaya_per_orang(kebutuhan)`` → rupiah to serve one more person of each jenis (used by stage 3).
- ``butir_kebutuhan(sasaran, ketersediaan, katalog_mutu)`` → ``Butir``: the item rows as arrays, shared
  with stage 4 and the quality checks so the kebutuhan formula exists once (engine-internal use).

All functions take many regions and years at once (vectorised merges, no per-region loop), so the
national table is one call. Catalogue tables are optional arguments so tests can pass small ones.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from spm_helpers.engine import primitives as d
from spm_helpers.errors import SPMDataError, SPMValueError
from spm_helpers.reference.catalog import DEFAULT_ATURAN

SSH_DAERAH = "SSH daerah"
HARGA_ACUAN = "harga acuan katalog"
REKAP_PER = ("jenis", "bidang", "opd", "wilayah")

_SASARAN_WAJIB = ["kode_wilayah", "tahun", "kode_jenis", "jumlah_sasaran"]
_TERSEDIA_WAJIB = ["kode_wilayah", "tahun", "kode_item", "jumlah_tersedia"]
_HARGA_WAJIB = ["kode_wilayah", "tahun", "kode_item", "harga_satuan"]


@dataclass
class Butir:
    """Item rows of a sasaran table: one per sasaran row × catalogue item of its jenis, in key order.

    Arrays, not a frame, because the engine only needs numbers and positions: ``sid`` is the row position
    in ``sasaran``, ``mid`` the row in ``katalog`` (the catalogue sorted by kode_jenis, kode_item),
    ``kebutuhan`` and ``tersedia`` float64 with NaN for unknown. :meth:`kunci` materialises the key columns.
    """

    sid: np.ndarray
    mid: np.ndarray
    kebutuhan: np.ndarray
    tersedia: np.ndarray
    sasaran: pd.DataFrame
    katalog: pd.DataFrame

    def kunci(self, pilih: np.ndarray | None = None) -> pd.DataFrame:
        """kode_wilayah, tahun, [triwulan], kode_jenis, kode_item of the item rows (or the ``pilih`` mask)."""
        sid, mid = (self.sid, self.mid) if pilih is None else (self.sid[pilih], self.mid[pilih])
        cols = d.kunci_periode(self.sasaran) + ["kode_jenis"]
        out = pd.DataFrame({c: _teks(self.sasaran[c]).take(sid) if c not in ("tahun", d.TRIWULAN)
                            else self.sasaran[c].array.take(sid) for c in cols})
        out["kode_item"] = _teks(self.katalog["kode_item"]).take(mid)
        return out


def _teks(s: pd.Series) -> pd.api.extensions.ExtensionArray:
    """The column as a pandas string array, so taking millions of rows stays in Arrow (object columns
    from the catalogue would be re-parsed string by string)."""
    return s.array if isinstance(s.dtype, pd.StringDtype) else pd.array(s.to_numpy(dtype=object), dtype="str")


class _Kode:
    """Integer codes for (kode_wilayah, tahun, triwulan, kode_item) so that lookups between the item rows
    and the ketersediaan / harga tables are int64 hash lookups, not multi-column string merges."""

    def __init__(self, sasaran: pd.DataFrame, katalog: pd.DataFrame):
        self.wil_code, uni = pd.factorize(sasaran["kode_wilayah"], sort=True)
        self.wilayah = pd.Index(uni)
        self.tahun = d.tahun_int(sasaran)
        self.t0 = int(self.tahun.min()) if len(self.tahun) else 0
        self.nt = int(self.tahun.max()) - self.t0 + 1 if len(self.tahun) else 1
        self.item = pd.Index(katalog["kode_item"])
        if not self.item.is_unique:
            raise SPMDataError("Katalog mutu memuat kode butir ganda; setiap kode_item harus unik.",
                               kolom="kode_item")

    def combine(self, wil: np.ndarray, tahun: np.ndarray, tri: np.ndarray, item: np.ndarray) -> np.ndarray:
        return ((wil * self.nt + (tahun - self.t0)) * 5 + tri) * len(self.item) + item

    def tabel(self, df: pd.DataFrame, tri: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Keys of a ketersediaan/harga table and the mask of rows that can match at all."""
        wil = d.kode_dalam(df["kode_wilayah"], self.wilayah)
        item = d.kode_dalam(df["kode_item"], self.item)
        tahun = d.tahun_int(df)
        ok = (wil >= 0) & (item >= 0) & (tahun >= self.t0) & (tahun < self.t0 + self.nt)
        t = np.where(ok, tahun, self.t0).astype("int64")
        return self.combine(np.where(ok, wil, 0), t, tri, np.where(ok, item, 0)), ok


def _cari(kode: _Kode, df: pd.DataFrame, tri: np.ndarray, nilai: str, kunci_cari: np.ndarray, tabel: str,
          kunci_unik: list[str]) -> np.ndarray:
    """Values of column ``nilai`` for each searched key (NaN when absent); duplicates raise with rows."""
    keys, ok = kode.tabel(df, tri)
    if pd.Index(keys[ok]).has_duplicates:
        d.require_unique(df[ok], kunci_unik, tabel)
    val, _ = d.angka(df[nilai])
    found = val[ok]
    if len(found) == 0:  # the region reported no stock / no price at all: every value is unknown
        return np.full(len(kunci_cari), np.nan)
    pos = d.posisi(keys[ok], kunci_cari)
    return np.where(pos >= 0, found[np.maximum(pos, 0)], np.nan)


def butir_kebutuhan(sasaran: pd.DataFrame, ketersediaan: pd.DataFrame | None,
                    katalog_mutu: pd.DataFrame) -> Butir:
    """The item rows with kebutuhan = ceil(jumlah_sasaran × jumlah_per_sasaran) and tersedia.

    Shared by stage 2 (cost), stage 4 (capaian mutu) and the quality checks so the formula exists once.
    A jenis without catalogue items has no item rows. Quarterly rows take the item's quarterly
    ketersediaan when reported, else the annual row of that year (stock of goods and staff is usually
    counted once a year)."""
    d.require_columns(sasaran, _SASARAN_WAJIB, "sasaran")
    d.check_periode(sasaran, "sasaran")
    kat = katalog_mutu.sort_values(["kode_jenis", "kode_item"], kind="stable", ignore_index=True)
    kode = _Kode(sasaran, kat)
    tri = d.triwulan_int(sasaran)
    jenis_code, _ = pd.factorize(sasaran["kode_jenis"], sort=True)
    if pd.Index(kode.combine(kode.wil_code, kode.tahun, tri, jenis_code)).has_duplicates:
        d.require_unique(sasaran, d.kunci_periode(sasaran) + ["kode_jenis"], "sasaran")

    # expand each sasaran row (in key order) into its jenis' catalogue items, without a string merge
    jenis_kat = pd.Index(kat["kode_jenis"].unique())
    per_jenis = jenis_kat.get_indexer(kat["kode_jenis"])
    count = np.bincount(per_jenis, minlength=len(jenis_kat))
    start = np.cumsum(count) - count
    j = d.kode_dalam(sasaran["kode_jenis"], jenis_kat)
    order = d.urutan_baris(sasaran, d.kunci_periode(sasaran) + ["kode_jenis"])
    n_item = np.where(j >= 0, count[np.maximum(j, 0)], 0)[order]
    sid = np.repeat(order, n_item)
    offset = np.arange(len(sid)) - np.repeat(np.cumsum(n_item) - n_item, n_item)
    mid = start[j[sid]] + offset

    n_sas, _ = d.angka(sasaran["jumlah_sasaran"])
    jps = kat["jumlah_per_sasaran"].to_numpy(dtype="float64")
    kebutuhan = d.bulat_atas(n_sas[sid] * jps[mid])
    tersedia = np.full(len(sid), np.nan)
    if ketersediaan is not None:
        d.require_columns(ketersediaan, _TERSEDIA_WAJIB, "ketersediaan")
        d.check_periode(ketersediaan, "ketersediaan")
        k_tri = d.triwulan_int(ketersediaan)
        if not d.has_triwulan(sasaran):  # annual computation: quarterly stock rows do not apply
            ketersediaan, k_tri = ketersediaan[k_tri == 0], k_tri[k_tri == 0]
        unik = d.kunci_periode(ketersediaan) + ["kode_item"]
        wanted = kode.combine(kode.wil_code[sid], kode.tahun[sid], tri[sid], mid)
        tersedia = _cari(kode, ketersediaan, k_tri, "jumlah_tersedia", wanted, "ketersediaan", unik)
        fill = np.isnan(tersedia) & (tri[sid] > 0)
        if fill.any():
            annual = kode.combine(kode.wil_code[sid[fill]], kode.tahun[sid[fill]], 0, mid[fill])
            tersedia[fill] = _cari(kode, ketersediaan, k_tri, "jumlah_tersedia", annual, "ketersediaan", unik)
    return Butir(sid, mid, kebutuhan, tersedia, sasaran, kat)


def compute_kebutuhan(sasaran: pd.DataFrame, ketersediaan: pd.DataFrame | None = None,
                      harga_satuan: pd.DataFrame | None = None, *, katalog_mutu: pd.DataFrame | None = None,
                      aturan: str = DEFAULT_ATURAN) -> pd.DataFrame:
    """Needs, shortfall and cost per item (DECISIONS D2).

    kebutuhan = ceil(jumlah_sasaran × jumlah_per_sasaran); kekurangan = max(0, kebutuhan − tersedia);
    surplus = max(0, tersedia − kebutuhan) (shown beside, never a negative need);
    biaya = kekurangan × harga_satuan in integer rupiah. The price is the region's own SSH for that
    region/year/item when given (``sumber_harga`` 'SSH daerah'), else the catalogue reference price
    ('harga acuan katalog'). An item without a reported ketersediaan has tersedia, kekurangan, surplus
    and biaya NA: unknown is not zero (the quality checks list it) — except where nothing is needed
    (sasaran 0): kekurangan and biaya are then 0.

    Columns: kode_wilayah, tahun, [triwulan], kode_jenis, kode_item, jumlah_sasaran, jumlah_per_sasaran,
    kebutuhan, tersedia, kekurangan, surplus, harga_satuan, sumber_harga, biaya — sorted by the keys
    (quarters 1–4 before the annual row).
    """
    b = butir_kebutuhan(sasaran, ketersediaan, d.mutu_katalog(katalog_mutu, aturan))
    harga, dari_ssh = _harga(b, harga_satuan)

    need, tersedia = b.kebutuhan, b.tersedia
    need_known, ters_known = ~np.isnan(need), ~np.isnan(tersedia)
    # nothing needed (sasaran 0) → nothing missing and cost 0, even without a stock count (D3: not unknown)
    known = need_known & (ters_known | (need == 0))
    need_i = np.where(need_known, need, 0).astype("int64")
    ters_i = np.where(ters_known, tersedia, 0).astype("int64")
    kurang = np.maximum(0, need_i - ters_i)
    harga_known = harga >= 0
    harga_i = np.where(harga_known, harga, 0).astype("int64")

    out = b.kunci()
    out["jumlah_sasaran"] = d.int64(d.angka(sasaran["jumlah_sasaran"])[0][b.sid], need_known)
    out["jumlah_per_sasaran"] = b.katalog["jumlah_per_sasaran"].to_numpy(dtype="float64")[b.mid]
    out["kebutuhan"] = d.int64(need_i, need_known)
    out["tersedia"] = d.int64(ters_i, ters_known)
    out["kekurangan"] = d.int64(kurang, known)
    out["surplus"] = d.int64(np.maximum(0, ters_i - need_i), need_known & ters_known)
    out["harga_satuan"] = d.int64(harga_i, harga_known)
    out["sumber_harga"] = pd.Categorical.from_codes(dari_ssh.astype("int8"), [HARGA_ACUAN, SSH_DAERAH])
    out["biaya"] = d.int64(kurang * harga_i, known & harga_known)
    return out


def _harga(b: Butir, harga_satuan: pd.DataFrame | None) -> tuple[np.ndarray, np.ndarray]:
    """Unit price per item row (−1 where unknown) and whether it came from the region's SSH."""
    acuan, acuan_known = d.angka(b.katalog["harga_satuan_acuan"])
    harga = np.where(acuan_known, acuan, -1.0)[b.mid]
    if harga_satuan is None:
        return harga, np.zeros(len(b.sid), dtype=bool)
    d.require_columns(harga_satuan, _HARGA_WAJIB, "harga_satuan")
    d.check_periode(harga_satuan, "harga_satuan")
    kode = _Kode(b.sasaran, b.katalog)
    wanted = kode.combine(kode.wil_code[b.sid], kode.tahun[b.sid], 0, b.mid)
    ssh = _cari(kode, harga_satuan, np.zeros(len(harga_satuan), dtype="int64"), "harga_satuan", wanted,
                "harga_satuan", _HARGA_WAJIB[:3])
    ssh_known = ~np.isnan(ssh)
    return np.where(ssh_known, ssh, harga), ssh_known


def _jenis_info(katalog_jenis: pd.DataFrame) -> pd.DataFrame:
    cols = [c for c in ("kode_jenis", "kode_bidang", "opd_pengampu") if c in katalog_jenis.columns]
    return katalog_jenis[cols]


def summarize_kebutuhan(kebutuhan: pd.DataFrame, per: str = "jenis", *,
                        katalog_jenis: pd.DataFrame | None = None) -> pd.DataFrame:
    """Roll the item table up per 'jenis', 'bidang', 'opd' (OPD pengampu) or 'wilayah'.

    biaya is the sum over items whose cost is known; ``jumlah_butir_tanpa_data`` counts the items
    whose cost is unknown (no ketersediaan reported), so a partial total is never mistaken for a
    complete one. Kebutuhan itself is not summed: items have different units.

    Columns: kode_wilayah, tahun, [triwulan], group columns (jenis: kode_jenis, kode_bidang,
    opd_pengampu; bidang: kode_bidang, bidang; opd: opd_pengampu; wilayah: none), jumlah_jenis,
    jumlah_butir, jumlah_butir_kurang, jumlah_butir_tanpa_data, biaya.
    """
    if per not in REKAP_PER:
        raise SPMValueError(f"per harus salah satu dari: {', '.join(REKAP_PER)}")
    kj = d.jenis_katalog(katalog_jenis)
    kunci = d.kunci_periode(kebutuhan)
    df = kebutuhan[kunci + ["kode_jenis", "kekurangan", "biaya"]].merge(_jenis_info(kj), on="kode_jenis",
                                                                          how="left", sort=False)
    df["_kurang"] = (df["kekurangan"] > 0).fillna(False).astype("int64")
    df["_tanpa"] = df["biaya"].isna().astype("int64")
    grup = {"jenis": ["kode_jenis", "kode_bidang", "opd_pengampu"], "bidang": ["kode_bidang"],
            "opd": ["opd_pengampu"], "wilayah": []}[per]
    g = df.groupby(kunci + grup, sort=True, dropna=False)
    out = pd.DataFrame({
        "jumlah_jenis": g["kode_jenis"].nunique(),
        "jumlah_butir": g.size(),
        "jumlah_butir_kurang": g["_kurang"].sum(),
        "jumlah_butir_tanpa_data": g["_tanpa"].sum(),
        "biaya": g["biaya"].sum(min_count=0).astype("Int64"),
    }).reset_index()
    if per == "bidang":
        out = out.merge(d.nama_bidang(kj), on="kode_bidang", how="left")
        rest = [c for c in out.columns if c not in kunci + grup + ["bidang"]]
        out = out[kunci + ["kode_bidang", "bidang"] + rest]
    if per == "jenis":
        out = out.drop(columns="jumlah_jenis")
    return out


def biaya_per_orang(kebutuhan: pd.DataFrame) -> pd.DataFrame:
    """Cost of serving one more person of a jenis: Σ over its items of jumlah_per_sasaran × harga_satuan.

    Float rupiah (fractions of a rupiah are real here: 0.0278 classrooms × Rp 100 jt), per region,
    period and jenis, using the same price choice as the needs table (SSH daerah, else the catalogue).
    It prices the full standard package for one person and ignores existing stock, so a plan's cost
    (people to serve × this) is the cost of delivering the service, not only of closing the shortfall.
    An item without a price makes the jenis cost NA.

    Columns: kode_wilayah, tahun, [triwulan], kode_jenis, biaya_per_orang.
    """
    kunci = d.kunci_periode(kebutuhan)
    harga, known = d.angka(kebutuhan["harga_satuan"])
    part = pd.DataFrame({c: kebutuhan[c].to_numpy() for c in kunci + ["kode_jenis"]})
    part["biaya_per_orang"] = kebutuhan["jumlah_per_sasaran"].to_numpy(dtype="float64") * harga
    part["_na"] = ~known
    g = part.groupby(kunci + ["kode_jenis"], sort=True, dropna=False)
    out = g["biaya_per_orang"].sum(min_count=1).to_frame()
    out.loc[g["_na"].any(), "biaya_per_orang"] = np.nan
    return out.reset_index()
