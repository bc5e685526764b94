"""Stage 4 and evaluation: capaian penerima, capaian mutu, IP-SPM per jenis → bidang → region, categories,
and the evaluation tables built on them (DECISIONS D3).

Public functions
- ``assign_kategori(nilai, tabel_kategori=None)`` → category name(s) from the threshold table.
- ``compute_capaian(sasaran, ketersediaan=None, *, katalog_mutu, katalog_jenis, bobot, tabel_kategori,
  aturan)`` → one row per region, period and jenis: capaian_penerima, capaian_mutu, indeks, kategori, status.
- ``indeks_bidang(capaian, *, katalog_jenis, tabel_kategori)`` → mean of the scored jenis per bidang.
- ``indeks_wilayah(bidang, *, tabel_kategori)`` → mean of the scored bidang per region.
- ``compute_ip_spm(sasaran, ketersediaan=None, **kw)`` → ``IPSPM(jenis, bidang, wilayah)``, all three levels;
  the region table carries the completeness of D8 (keterisian, jenis wajib/lengkap, ip_spm_data_kosong_nol).
- ``keterisian(capaian, *, katalog_jenis)`` → completeness per region counted from the catalogue (D8).
- ``perubahan_tahunan(tabel, kolom=...)`` → change against the same period of the previous year.
- ``target_vs_realisasi(rencana, capaian)`` → plan target (stage 3) against realisation.
- ``pemetaan_kondisi_awal(capaian, tahun=None)`` → where a region stands per jenis at the start.
- ``propose_target(capaian, tahun=None, tahun_akhir=None, metode="merata")`` → suggested targets for the
  running year and the next one.
- ``rank_wilayah``, ``tabel_sejawat``, ``perbandingan_sejawat``, ``ringkasan_sejawat``: ranking and peer
  comparison, re-exported from :mod:`spm_helpers.engine.peers`.

Quarterly data: when ``sasaran`` has a ``triwulan`` column every period (annual rows with triwulan NA,
quarterly rows 1–4 with cumulative realisation) is scored on its own. A jenis whose sasaran is 0 or NA is
"tidak ada sasaran" and is excluded from every average, never scored 0 or 100.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Mapping, Sequence

import numpy as np
import pandas as pd

from spm_helpers.engine import primitives as d
from spm_helpers.engine.needs import butir_kebutuhan
from spm_helpers.engine.peers import perbandingan_sejawat, rank_wilayah, ringkasan_sejawat, tabel_sejawat
from spm_helpers.errors import SPMValueError
from spm_helpers.reference import catalog
from spm_helpers.reference.catalog import DEFAULT_ATURAN

__all__ = ["assign_kategori", "compute_capaian", "indeks_bidang", "indeks_wilayah", "compute_ip_spm", "IPSPM",
           "keterisian",
           "perubahan_tahunan", "target_vs_realisasi", "pemetaan_kondisi_awal", "propose_target",
           "rank_wilayah", "tabel_sejawat", "perbandingan_sejawat", "ringkasan_sejawat"]

DINILAI = "dinilai"
TANPA_SASARAN = "tidak ada sasaran"
BELUM_LENGKAP = "data belum lengkap"
STATUS = (DINILAI, TANPA_SASARAN, BELUM_LENGKAP)
_TOL = 1e-9  # binary noise allowed when a value is compared with a category bound


# ----------------------------------------------------------------------------- categories
def assign_kategori(nilai, tabel_kategori: pd.DataFrame | None = None):
    """Category of an index value: bands [batas_bawah, batas_atas); a band whose bounds are equal (the
    top band, exactly 100) holds that single value. Comparison allows 1e-9 so 0.8×90 + 0.2×… noise never
    drops a value into the band below. A scalar gives a str (or None); a Series/array gives an ordered
    Categorical Series (order = ``urutan``), NA where the value is NA or outside every band."""
    t = catalog.kategori_capaian() if tabel_kategori is None else tabel_kategori
    t = t.sort_values("urutan" if "urutan" in t.columns else "batas_bawah")
    names = t["kategori"].astype(str).to_numpy()
    lo, hi = t["batas_bawah"].to_numpy(float), t["batas_atas"].to_numpy(float)
    scalar = np.ndim(nilai) == 0
    v = np.atleast_1d(np.asarray(pd.to_numeric(pd.Series(np.atleast_1d(nilai))), dtype="float64"))
    code = np.full(len(v), -1)
    for i in range(len(names)):  # a handful of bands; vectorised over values
        hit = (np.abs(v - lo[i]) <= _TOL) if lo[i] == hi[i] else (v >= lo[i] - _TOL) & (v < hi[i] - _TOL)
        code = np.where(hit & (code < 0), i, code)
    if scalar:
        return None if code[0] < 0 else str(names[code[0]])
    cat = pd.Categorical.from_codes(code, categories=list(names), ordered=True)
    index = nilai.index if isinstance(nilai, pd.Series) else None
    return pd.Series(cat, index=index, name="kategori")


# ----------------------------------------------------------------------------- per jenis
def compute_capaian(sasaran: pd.DataFrame, ketersediaan: pd.DataFrame | None = None, *,
                    katalog_mutu: pd.DataFrame | None = None, katalog_jenis: pd.DataFrame | None = None,
                    bobot: Mapping[str, float] | None = None, tabel_kategori: pd.DataFrame | None = None,
                    aturan: str = DEFAULT_ATURAN) -> pd.DataFrame:
    """IP-SPM per jenis (D3).

    capaian_penerima = min(100, 100 × terlayani / sasaran);
    capaian_mutu = mean over items with kebutuhan > 0 of min(100, 100 × tersedia / kebutuhan);
    indeks = bobot_penerima × capaian_penerima + bobot_mutu × capaian_mutu (catalogue weights 0.8/0.2).
    status: 'tidak ada sasaran' (sasaran 0 or NA: excluded, not scored), 'data belum lengkap' (terlayani
    unknown, an item's ketersediaan unknown, or no mutu item in the catalogue: indeks NA, because a
    missing value is not a zero), else 'dinilai'.

    Columns: kode_wilayah, tahun, [triwulan], kode_jenis, kode_bidang, jumlah_sasaran, jumlah_terlayani,
    capaian_penerima, jumlah_butir, jumlah_butir_tanpa_data, capaian_mutu, indeks, kategori, status.
    """
    d.require_columns(sasaran, ["jumlah_terlayani"], "sasaran")
    items = butir_kebutuhan(sasaran, ketersediaan, d.mutu_katalog(katalog_mutu, aturan))
    kj = d.jenis_katalog(katalog_jenis)
    wp, wm = d.bobot_indeks(bobot)

    n = len(sasaran)
    sid, need, ters = items.sid, items.kebutuhan, items.tersedia
    counted = need > 0
    unknown = counted & np.isnan(ters)
    pct = np.where(counted & ~unknown, d.persen(ters, need), 0.0)
    n_butir = np.bincount(sid, weights=counted, minlength=n)
    n_tanpa = np.bincount(sid, weights=unknown, minlength=n)
    with np.errstate(invalid="ignore", divide="ignore"):
        mutu = np.where((n_butir > 0) & (n_tanpa == 0), np.bincount(sid, weights=pct, minlength=n) / n_butir,
                        np.nan)

    sas, _ = d.angka(sasaran["jumlah_sasaran"])
    lay, _ = d.angka(sasaran["jumlah_terlayani"])
    penerima = d.persen(lay, sas)
    ada_sasaran = sas > 0
    lengkap = ~np.isnan(penerima) & ~np.isnan(mutu)
    indeks = np.where(ada_sasaran & lengkap, np.clip(wp * penerima + wm * mutu, 0.0, 100.0), np.nan)
    status = np.where(~ada_sasaran, 1, np.where(lengkap, 0, 2))

    kunci = d.kunci_periode(sasaran)
    out = pd.DataFrame({c: sasaran[c].array for c in kunci + ["kode_jenis"]})
    out["kode_bidang"] = out["kode_jenis"].map(dict(zip(kj["kode_jenis"], kj["kode_bidang"])))
    out["jumlah_sasaran"] = sasaran["jumlah_sasaran"].array
    out["jumlah_terlayani"] = sasaran["jumlah_terlayani"].array
    out["capaian_penerima"] = np.where(ada_sasaran, penerima, np.nan)
    out["jumlah_butir"] = n_butir.astype("int64")
    out["jumlah_butir_tanpa_data"] = n_tanpa.astype("int64")
    out["capaian_mutu"] = np.where(ada_sasaran, mutu, np.nan)
    out["indeks"] = indeks
    out["kategori"] = assign_kategori(pd.Series(indeks), tabel_kategori).array
    out["status"] = pd.Categorical.from_codes(status, categories=list(STATUS))
    return out.take(d.urutan_baris(sasaran, kunci + ["kode_jenis"])).reset_index(drop=True)


# ----------------------------------------------------------------------------- bidang and region
_HITUNG = ["jumlah_jenis_dinilai", "jumlah_jenis_tanpa_sasaran", "jumlah_jenis_belum_lengkap"]


def _rerata(df: pd.DataFrame, kunci: list[str], ukuran: str) -> pd.DataFrame:
    """Per group: its size, the summed jenis counts and the mean of the known indices (NaN skipped)."""
    g = df.groupby(kunci, sort=True, dropna=False)
    out = g[_HITUNG].sum()
    out.insert(0, ukuran, g.size())
    out["indeks"] = g["indeks"].mean()
    return out.reset_index()


def indeks_bidang(capaian: pd.DataFrame, *, katalog_jenis: pd.DataFrame | None = None,
                  tabel_kategori: pd.DataFrame | None = None) -> pd.DataFrame:
    """Bidang index = mean of the indices of its scored jenis (D3). Jenis without sasaran and jenis with
    incomplete data are left out of the mean and counted, so a partial average shows as partial.

    Columns: kode_wilayah, tahun, [triwulan], kode_bidang, bidang, jumlah_jenis, jumlah_jenis_dinilai,
    jumlah_jenis_tanpa_sasaran, jumlah_jenis_belum_lengkap, indeks, kategori.
    """
    kj = d.jenis_katalog(katalog_jenis)
    kunci = d.kunci_periode(capaian)
    df = capaian[kunci + ["kode_bidang", "indeks"]].copy()
    for name, label in zip(_HITUNG, (DINILAI, TANPA_SASARAN, BELUM_LENGKAP)):
        df[name] = (capaian["status"] == label).to_numpy().astype("int64")
    out = _rerata(df, kunci + ["kode_bidang"], "jumlah_jenis")
    out = out.merge(d.nama_bidang(kj), on="kode_bidang", how="left")
    out["kategori"] = assign_kategori(out["indeks"], tabel_kategori)
    return out[kunci + ["kode_bidang", "bidang", "jumlah_jenis", "jumlah_jenis_dinilai",
                        "jumlah_jenis_tanpa_sasaran", "jumlah_jenis_belum_lengkap", "indeks", "kategori"]]


def indeks_wilayah(bidang: pd.DataFrame, *, tabel_kategori: pd.DataFrame | None = None) -> pd.DataFrame:
    """Region index = mean of its bidang indices (D3); a bidang with no scored jenis is left out.

    Columns: kode_wilayah, tahun, [triwulan], jumlah_bidang, jumlah_bidang_dinilai, jumlah_jenis_dinilai,
    jumlah_jenis_tanpa_sasaran, jumlah_jenis_belum_lengkap, indeks, kategori.
    """
    kunci = d.kunci_periode(bidang)
    out = _rerata(bidang, kunci, "jumlah_bidang")
    out.insert(len(kunci) + 1, "jumlah_bidang_dinilai", bidang.groupby(kunci, sort=True, dropna=False)["indeks"]
               .count().to_numpy())
    out["kategori"] = assign_kategori(out["indeks"], tabel_kategori)
    return out


_TINGKAT_WILAYAH = {True: "kabkota", False: "provinsi"}


def keterisian(capaian: pd.DataFrame, *, katalog_jenis: pd.DataFrame | None = None) -> pd.DataFrame:
    """Completeness per region and period (D8), counted against the catalogue, never the rows present.

    A region must apply every catalogue jenis of its level (29 for a kabupaten/kota, 14 for a provinsi; a
    code with a dot is a kab/kota). A jenis is complete when it is scored ('dinilai') or its sasaran is
    stated as 0 ('tidak ada sasaran' on an explicit 0); a jenis without a row, with an unknown sasaran or
    with incomplete data is not. ``ip_spm_data_kosong_nol`` is the region index with every jenis that is
    not complete counted as 0 (jenis with sasaran 0 stay out of the means, as in the usual index).

    Columns: kode_wilayah, tahun, [triwulan], jumlah_jenis_wajib, jumlah_jenis_lengkap, keterisian,
    ip_spm_data_kosong_nol.
    """
    kj = d.jenis_katalog(katalog_jenis)
    kunci = d.kunci_periode(capaian)
    periods = capaian[kunci].drop_duplicates().reset_index(drop=True)
    cols = ["kode_jenis", "kode_bidang"] + (["tingkat"] if "tingkat" in kj.columns else [])
    kat = kj[cols].drop_duplicates("kode_jenis")
    if "tingkat" in kat.columns:
        periods["tingkat"] = [_TINGKAT_WILAYAH["." in str(c)] for c in periods["kode_wilayah"]]
        grid = periods.merge(kat, on="tingkat", how="inner").drop(columns="tingkat")
    else:
        grid = periods.merge(kat, how="cross")
    have = capaian[kunci + ["kode_jenis", "jumlah_sasaran", "indeks", "status"]]
    grid = grid.merge(have, on=kunci + ["kode_jenis"], how="left")
    sas = pd.to_numeric(grid["jumlah_sasaran"]).to_numpy(dtype="float64", na_value=np.nan)
    dinilai = (grid["status"] == DINILAI).fillna(False).to_numpy(bool)
    nol = sas == 0
    grid["_lengkap"] = (dinilai | nol).astype("int64")
    grid["_nilai"] = np.where(nol, np.nan, np.where(dinilai, grid["indeks"].to_numpy(dtype="float64",
                                                                                     na_value=np.nan), 0.0))
    per_bidang = grid.groupby(kunci + ["kode_bidang"], sort=True, dropna=False)["_nilai"].mean().rename("_b")
    nol_idx = per_bidang.reset_index().groupby(kunci, sort=True, dropna=False)["_b"].mean()
    g = grid.groupby(kunci, sort=True, dropna=False)
    out = pd.DataFrame({"jumlah_jenis_wajib": g.size(), "jumlah_jenis_lengkap": g["_lengkap"].sum()})
    out["keterisian"] = 100.0 * out["jumlah_jenis_lengkap"] / out["jumlah_jenis_wajib"]
    out["ip_spm_data_kosong_nol"] = nol_idx
    return out.reset_index()


@dataclass
class IPSPM:
    """The three levels of the index, computed together."""

    jenis: pd.DataFrame
    bidang: pd.DataFrame
    wilayah: pd.DataFrame


def compute_ip_spm(sasaran: pd.DataFrame, ketersediaan: pd.DataFrame | None = None, *,
                   katalog_mutu: pd.DataFrame | None = None, katalog_jenis: pd.DataFrame | None = None,
                   bobot: Mapping[str, float] | None = None, tabel_kategori: pd.DataFrame | None = None,
                   aturan: str = DEFAULT_ATURAN) -> IPSPM:
    """jenis → bidang → region in one call (see the three functions for the columns)."""
    kj = d.jenis_katalog(katalog_jenis)
    jenis = compute_capaian(sasaran, ketersediaan, katalog_mutu=katalog_mutu, katalog_jenis=kj, bobot=bobot,
                            tabel_kategori=tabel_kategori, aturan=aturan)
    bidang = indeks_bidang(jenis, katalog_jenis=kj, tabel_kategori=tabel_kategori)
    wilayah = indeks_wilayah(bidang, tabel_kategori=tabel_kategori)
    wilayah = wilayah.merge(keterisian(jenis, katalog_jenis=kj), on=d.kunci_periode(wilayah), how="left")
    wilayah["kategori_data_kosong_nol"] = assign_kategori(wilayah["ip_spm_data_kosong_nol"], tabel_kategori).array
    return IPSPM(jenis, bidang, wilayah)


# ----------------------------------------------------------------------------- evaluation
_UKURAN = ("capaian_penerima", "capaian_mutu", "indeks")


def _kunci_entitas(tabel: pd.DataFrame) -> list[str]:
    return [c for c in ("kode_wilayah", "triwulan", "kode_bidang", "kode_jenis") if c in tabel.columns]


def perubahan_tahunan(tabel: pd.DataFrame, kolom: Sequence[str] = _UKURAN) -> pd.DataFrame:
    """Change against the same period one year earlier, for any level (jenis, bidang or region table).

    Adds ``<kolom>_tahun_lalu`` and ``perubahan_<kolom>`` (points) for each measure present, and ``arah``
    ('naik', 'turun', 'tetap'; NA without a previous year) for the last measure (indeks by default).
    A quarter is compared with the same quarter of the previous year.
    """
    ukuran = [c for c in kolom if c in tabel.columns]
    if not ukuran:
        raise SPMValueError(f"tabel tidak memiliki kolom {', '.join(kolom)}")
    kunci = _kunci_entitas(tabel)
    lalu = tabel[kunci + ["tahun"] + ukuran].copy()
    lalu["tahun"] = lalu["tahun"] + 1
    lalu = lalu.rename(columns={c: f"{c}_tahun_lalu" for c in ukuran})
    out = tabel.merge(lalu, on=kunci + ["tahun"], how="left", sort=False)
    for c in ukuran:
        out[f"perubahan_{c}"] = out[c] - out[f"{c}_tahun_lalu"]
    delta = out[f"perubahan_{ukuran[-1]}"].to_numpy(dtype="float64", na_value=np.nan)
    arah = np.select([delta > _TOL, delta < -_TOL, np.abs(delta) <= _TOL], ["naik", "turun", "tetap"], "")
    out["arah"] = pd.Series(arah, index=out.index).replace("", pd.NA)
    return out


def target_vs_realisasi(rencana: pd.DataFrame, capaian: pd.DataFrame) -> pd.DataFrame:
    """Plan (stage 3 ``rencana``) against realisation (``compute_capaian``), per region, jenis and year.

    A plan year without realisation yet is kept with status 'belum ada realisasi'. With quarterly
    capaian each quarter's cumulative realisation is set against the year's target.

    Columns: kode_wilayah, kode_jenis, opd, tahun, [triwulan], target_persen, realisasi_persen,
    selisih_persen (realisasi − target, points), sasaran_dilayani, jumlah_terlayani, selisih_orang, status
    ('tercapai', 'tidak tercapai', 'belum ada realisasi', or 'tidak ada sasaran' when the realisation year
    has no sasaran: nothing to serve is neither reached nor missed).
    """
    d.require_columns(rencana, ["kode_wilayah", "kode_jenis", "tahun_rencana", "target_persen", "sasaran_dilayani"],
                      "rencana")
    r = rencana.rename(columns={"tahun_rencana": "tahun"})
    keep = [c for c in ("kode_wilayah", "kode_jenis", "opd", "tahun", "target_persen", "sasaran_dilayani")
            if c in r.columns]
    real = capaian[[c for c in ("kode_wilayah", "kode_jenis", "tahun", "triwulan", "capaian_penerima",
                                "jumlah_terlayani", "status") if c in capaian.columns]]
    real = real.rename(columns={"status": "_status_capaian"})
    out = r[keep].merge(real, on=["kode_wilayah", "kode_jenis", "tahun"], how="left", sort=True)
    out = out.rename(columns={"capaian_penerima": "realisasi_persen"})
    out["selisih_persen"] = out["realisasi_persen"] - out["target_persen"]
    out["selisih_orang"] = (out["jumlah_terlayani"].astype("Int64") - out["sasaran_dilayani"].astype("Int64"))
    gap = out["selisih_persen"].to_numpy(dtype="float64", na_value=np.nan)
    no_target_group = (out["_status_capaian"] == TANPA_SASARAN).fillna(False).to_numpy(bool) \
        if "_status_capaian" in out.columns else np.zeros(len(out), bool)
    out["status"] = np.select([no_target_group, np.isnan(gap), gap >= -_TOL],
                              [TANPA_SASARAN, "belum ada realisasi", "tercapai"], "tidak tercapai")
    lead = [c for c in ("kode_wilayah", "kode_jenis", "opd", "tahun", "triwulan") if c in out.columns]
    rest = ["target_persen", "realisasi_persen", "selisih_persen", "sasaran_dilayani", "jumlah_terlayani",
            "selisih_orang", "status"]
    return out[lead + rest]


def _tahunan(capaian: pd.DataFrame) -> pd.DataFrame:
    """Annual rows only (quarterly rows are progress within a year)."""
    if d.has_triwulan(capaian):
        return capaian[capaian["triwulan"].isna()].drop(columns="triwulan")
    return capaian


def pemetaan_kondisi_awal(capaian: pd.DataFrame, tahun: int | None = None) -> pd.DataFrame:
    """Pemetaan kondisi awal: where each region stands per jenis in the base year (default: the earliest
    year in ``capaian``), with the gap to 100% and a priority rank (1 = lowest index in that region).

    Columns: the ``compute_capaian`` columns for that year plus kesenjangan_penerima (100 − capaian_penerima),
    belum_terlayani (sasaran − terlayani, never negative) and prioritas (Int64; NA when not scored).
    """
    df = _tahunan(capaian)
    tahun = int(df["tahun"].min()) if tahun is None else int(tahun)
    df = df[df["tahun"] == tahun].copy()
    df["kesenjangan_penerima"] = 100.0 - df["capaian_penerima"]
    belum = df["jumlah_sasaran"].astype("Int64") - df["jumlah_terlayani"].astype("Int64")
    df["belum_terlayani"] = belum.clip(lower=0)
    df["prioritas"] = df.groupby("kode_wilayah")["indeks"].rank(method="min", ascending=True).astype("Int64")
    return df.sort_values(["kode_wilayah", "prioritas", "kode_jenis"], na_position="last", ignore_index=True)


def propose_target(capaian: pd.DataFrame, tahun: int | None = None, tahun_akhir: int | None = None,
                   metode: str = "merata") -> pd.DataFrame:
    """Suggested capaian penerima targets for the running year (tahun + 1) and the next (tahun + 2).

    ``tahun`` is the last year with realisation (default: the latest in ``capaian``). The gap from its
    capaian_penerima to 100% is closed by ``tahun_akhir`` (default tahun + 5, a fresh RPJMD period) with
    the same trajectory as stage 3 ('merata' or 'didepankan'); years past tahun_akhir are 100%.
    sasaran_dilayani assumes the sasaran of ``tahun``.

    Columns: kode_wilayah, kode_jenis, kode_bidang, tahun_dasar, capaian_penerima, tahun_target,
    keterangan ('tahun berjalan' / 'tahun depan'), target_persen, jumlah_sasaran, sasaran_dilayani.
    """
    df = _tahunan(capaian)
    tahun = int(df["tahun"].max()) if tahun is None else int(tahun)
    n = (tahun + 5 if tahun_akhir is None else int(tahun_akhir)) - tahun
    if n < 1:
        raise SPMValueError("tahun_akhir harus setelah tahun dasar")
    base = df[(df["tahun"] == tahun) & (df["status"] != TANPA_SASARAN) & df["capaian_penerima"].notna()]
    cols = ["kode_wilayah", "kode_jenis", "kode_bidang", "capaian_penerima", "jumlah_sasaran"]
    parts = []
    for k, label in ((1, "tahun berjalan"), (2, "tahun depan")):  # two rows per jenis
        p = base[cols].copy()
        p.insert(3, "tahun_dasar", tahun)
        p["tahun_target"] = tahun + k
        p["keterangan"] = label
        p["target_persen"] = d.target_lintasan(p["capaian_penerima"].to_numpy(float), np.full(len(p), min(k, n)),
                                               n, metode)
        sas, known = d.angka(p["jumlah_sasaran"])
        p["sasaran_dilayani"] = d.int64(d.bulat_atas(p["target_persen"].to_numpy() * sas / 100.0), known)
        parts.append(p)
    out = pd.concat(parts, ignore_index=True)
    order = ["kode_wilayah", "kode_jenis", "kode_bidang", "tahun_dasar", "capaian_penerima", "tahun_target",
             "keterangan", "target_persen", "jumlah_sasaran", "sasaran_dilayani"]
    return out[order].sort_values(["kode_wilayah", "kode_jenis", "tahun_target"], ignore_index=True)
