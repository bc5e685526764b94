"""Comparing regions on their IP-SPM: ranking within a province and nationally, and peer comparison
(regions of the same type with the most similar population). Part of the evaluation stage; the
functions are re-exported by :mod:`spm_helpers.engine.achievement`.

Public functions
- ``rank_wilayah(indeks_wilayah, *, wilayah=None)`` → rank within the province and nationally.
- ``tabel_sejawat(*, jumlah=10, wilayah=None, kode_terpilih=None)`` → each region's peers.
- ``perbandingan_sejawat(indeks_wilayah, kode_wilayah, *, tahun=None, jumlah=10, wilayah=None)`` → one
  region beside its peers.
- ``ringkasan_sejawat(indeks_wilayah, *, jumlah=10, wilayah=None)`` → every region against its peers' mean.

``wilayah`` is the region table (default ``regions.table()``: kode_wilayah, nama, tingkat, tipe,
kode_provinsi, penduduk); tests pass a small one. Provinces and kab/kota deliver different jenis, so they
are never ranked against each other.
"""
from __future__ import annotations

from typing import Iterable

import numpy as np
import pandas as pd

from spm_helpers.engine import primitives as d
from spm_helpers.reference import regions

_WILAYAH_KOLOM = ["kode_wilayah", "nama", "tingkat", "tipe", "kode_provinsi", "penduduk"]


def _wilayah(wilayah: pd.DataFrame | None) -> pd.DataFrame:
    df = regions.table() if wilayah is None else wilayah
    d.require_columns(df, _WILAYAH_KOLOM, "wilayah")
    return df[_WILAYAH_KOLOM]


def _periode(df: pd.DataFrame) -> list[str]:
    return ["tahun"] + (["triwulan"] if d.has_triwulan(df) else [])


def rank_wilayah(indeks_wilayah: pd.DataFrame, *, wilayah: pd.DataFrame | None = None) -> pd.DataFrame:
    """Rank by index, highest = 1 (ties share the best rank), per period.

    Kab/kota are ranked among the kab/kota of their province and among all kab/kota; provinces among
    provinces (peringkat_provinsi is NA for a province). A region without an index has no rank.

    Columns: the input columns plus nama, tingkat, tipe, kode_provinsi, peringkat_provinsi,
    jumlah_di_provinsi, peringkat_nasional, jumlah_nasional.
    """
    w = _wilayah(wilayah).drop(columns="penduduk")
    df = indeks_wilayah.merge(w, on="kode_wilayah", how="left", sort=False)
    per = _periode(df)
    kk = df["tingkat"] == regions.TINGKAT_KABKOTA
    nat = df.groupby(per + ["tingkat"], dropna=False)["indeks"]
    df["peringkat_nasional"] = nat.rank(method="min", ascending=False).astype("Int64")
    df["jumlah_nasional"] = nat.transform("count").astype("Int64")
    prov = df.groupby(per + ["tingkat", "kode_provinsi"], dropna=False)["indeks"]
    df["peringkat_provinsi"] = prov.rank(method="min", ascending=False).astype("Int64").where(kk)
    df["jumlah_di_provinsi"] = prov.transform("count").astype("Int64").where(kk)
    order = list(indeks_wilayah.columns) + ["nama", "tingkat", "tipe", "kode_provinsi", "peringkat_provinsi",
                                            "jumlah_di_provinsi", "peringkat_nasional", "jumlah_nasional"]
    return df[order].sort_values(per + ["tingkat", "peringkat_nasional", "kode_wilayah"], ignore_index=True)


def tabel_sejawat(*, jumlah: int = 10, wilayah: pd.DataFrame | None = None,
                  kode_terpilih: Iterable[str] | None = None) -> pd.DataFrame:
    """Peers of every region: the ``jumlah`` regions of the same tipe (provinsi, kabupaten, kota) whose
    population is closest on a log scale (a region of 100 000 is as near to 50 000 as to 200 000).
    ``kode_terpilih`` limits both the regions and the candidate peers (e.g. those with data).

    Columns: kode_wilayah, kode_sejawat, jarak (|ln(penduduk_sejawat / penduduk)|), urutan (1 = nearest).
    """
    w = _wilayah(wilayah)
    if kode_terpilih is not None:
        w = w[w["kode_wilayah"].isin(set(kode_terpilih))]
    parts = []
    for _, grp in w.groupby("tipe", sort=True):  # three types: provinsi, kabupaten, kota
        grp = grp.sort_values(["penduduk", "kode_wilayah"])
        logp = np.log(np.maximum(grp["penduduk"].to_numpy(dtype="float64"), 1.0))
        codes = grp["kode_wilayah"].to_numpy()
        n, k = len(grp), min(jumlah, len(grp) - 1)
        if k <= 0:
            continue
        # in a sorted line the k nearest lie within k positions on either side
        off = np.concatenate([np.arange(-k, 0), np.arange(1, k + 1)])
        cand = np.arange(n)[:, None] + off[None, :]
        valid = (cand >= 0) & (cand < n)
        dist = np.where(valid, np.abs(logp[np.clip(cand, 0, n - 1)] - logp[:, None]), np.inf)
        pick = np.argsort(dist, axis=1, kind="stable")[:, :k]
        rows = np.repeat(np.arange(n), k)
        chosen = np.take_along_axis(cand, pick, axis=1).ravel()
        parts.append(pd.DataFrame({"kode_wilayah": codes[rows], "kode_sejawat": codes[chosen],
                                   "jarak": np.take_along_axis(dist, pick, axis=1).ravel(),
                                   "urutan": np.tile(np.arange(1, k + 1), n)}))
    if not parts:
        return pd.DataFrame(columns=["kode_wilayah", "kode_sejawat", "jarak", "urutan"])
    return pd.concat(parts, ignore_index=True).sort_values(["kode_wilayah", "urutan"], ignore_index=True)


def perbandingan_sejawat(indeks_wilayah: pd.DataFrame, kode_wilayah: str, *, tahun: int | None = None,
                         jumlah: int = 10, wilayah: pd.DataFrame | None = None) -> pd.DataFrame:
    """One region beside its peers in one period (default: the latest annual period). Peers are chosen
    among the regions that have an index in that period.

    Columns: kode_wilayah, nama, tipe, penduduk, tahun, indeks, kategori (when given), selisih (indeks − the
    region's),
    peringkat_sejawat (1 = best of the group), wilayah_ini (True for the region itself).
    """
    df = indeks_wilayah
    if d.has_triwulan(df):
        df = df[df["triwulan"].isna()]
    tahun = int(df["tahun"].max()) if tahun is None else int(tahun)
    df = df[(df["tahun"] == tahun) & df["indeks"].notna()]
    kode = regions.get(kode_wilayah).kode_wilayah if wilayah is None else str(kode_wilayah)
    peers = tabel_sejawat(jumlah=jumlah, wilayah=wilayah, kode_terpilih=set(df["kode_wilayah"]) | {kode})
    group = [kode] + peers.loc[peers["kode_wilayah"] == kode, "kode_sejawat"].tolist()
    out = df[df["kode_wilayah"].isin(group)].merge(_wilayah(wilayah), on="kode_wilayah", how="left")
    own = out.loc[out["kode_wilayah"] == kode, "indeks"]
    out["selisih"] = out["indeks"] - (own.iloc[0] if len(own) else np.nan)
    out["peringkat_sejawat"] = out["indeks"].rank(method="min", ascending=False).astype("Int64")
    out["wilayah_ini"] = out["kode_wilayah"] == kode
    cols = ["kode_wilayah", "nama", "tipe", "penduduk", "tahun", "indeks", "kategori", "selisih",
            "peringkat_sejawat", "wilayah_ini"]
    return out[[c for c in cols if c in out.columns]].sort_values(["peringkat_sejawat", "kode_wilayah"],
                                                                  ignore_index=True)


def ringkasan_sejawat(indeks_wilayah: pd.DataFrame, *, jumlah: int = 10,
                      wilayah: pd.DataFrame | None = None) -> pd.DataFrame:
    """Every region and period against the mean index of its peers (peers from :func:`tabel_sejawat` over
    the regions in the table; peers without an index in that period are left out of the mean).

    Columns: the input columns plus rata_rata_sejawat, jumlah_sejawat, selisih_sejawat (indeks − mean),
    peringkat_sejawat (rank of the region within itself + its peers, 1 = best).
    """
    per = _periode(indeks_wilayah)
    peers = tabel_sejawat(jumlah=jumlah, wilayah=wilayah, kode_terpilih=indeks_wilayah["kode_wilayah"].unique())
    vals = indeks_wilayah[["kode_wilayah"] + per + ["indeks"]]
    pairs = peers[["kode_wilayah", "kode_sejawat"]].merge(
        vals.rename(columns={"kode_wilayah": "kode_sejawat", "indeks": "indeks_sejawat"}), on="kode_sejawat")
    pairs = pairs.merge(vals, on=["kode_wilayah"] + per, how="inner")
    pairs["_lebih_baik"] = (pairs["indeks_sejawat"] > pairs["indeks"]).astype("int64")
    g = pairs.groupby(["kode_wilayah"] + per, dropna=False)
    agg = pd.DataFrame({"rata_rata_sejawat": g["indeks_sejawat"].mean(),
                        "jumlah_sejawat": g["indeks_sejawat"].count(),
                        "_lebih_baik": g["_lebih_baik"].sum()}).reset_index()
    out = indeks_wilayah.merge(agg, on=["kode_wilayah"] + per, how="left")
    out["selisih_sejawat"] = out["indeks"] - out["rata_rata_sejawat"]
    rank = (out["_lebih_baik"].fillna(0) + 1).astype("Int64")
    out["peringkat_sejawat"] = rank.where(out["indeks"].notna())
    out["jumlah_sejawat"] = out["jumlah_sejawat"].fillna(0).astype("int64")
    return out.drop(columns="_lebih_baik")
