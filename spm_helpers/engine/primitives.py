"""Shared primitives of the SPM engine (needs, plan, achievement, quality).

Private on purpose: each formula of DECISIONS D2–D4 is written once, here or in its stage
module, and every stage imports it instead of re-deriving it. Nothing here reads files except
the catalogue defaults, which tests replace with small hand-made tables.

Conventions used by every stage:
- Period keys are ``kode_wilayah, tahun`` plus ``triwulan`` when the input has that column (NA for
  an annual row). Internally :func:`triwulan_int` gives 0 for annual rows so integer keys never meet NA.
- Counts and rupiah are computed in int64 with an explicit mask, percentages in float64 with NaN
  for "unknown"; outputs are Int64 and float64.
"""
from __future__ import annotations

from typing import Iterable, Mapping

import numpy as np
import pandas as pd

from spm_helpers.errors import Problem, SPMDataError, SPMValueError
from spm_helpers.reference import catalog

TRIWULAN = "triwulan"
KUNCI_TAHUNAN = ["kode_wilayah", "tahun"]
METODE_LINTASAN = ("merata", "didepankan")


# ----------------------------------------------------------------------------- periods and keys
def has_triwulan(df: pd.DataFrame) -> bool:
    return TRIWULAN in df.columns


def kunci_periode(df: pd.DataFrame) -> list[str]:
    """``kode_wilayah, tahun`` (+ ``triwulan`` when the table carries quarterly periods)."""
    return KUNCI_TAHUNAN + ([TRIWULAN] if has_triwulan(df) else [])


def triwulan_int(df: pd.DataFrame) -> np.ndarray:
    """triwulan as int64 with 0 for annual rows (all 0 when the column is absent); see check_periode."""
    if not has_triwulan(df):
        return np.zeros(len(df), dtype="int64")
    return pd.to_numeric(df[TRIWULAN]).to_numpy(dtype="float64", na_value=0.0).astype("int64")


def tahun_int(df: pd.DataFrame) -> np.ndarray:
    return pd.to_numeric(df["tahun"]).to_numpy(dtype="float64", na_value=np.nan).astype("int64")


def check_periode(df: pd.DataFrame, tabel: str) -> None:
    """Every row needs a whole tahun and a triwulan of 1–4 or empty (annual): report all bad rows at once,
    never guess (the integer keys of the engine rely on it)."""
    t = pd.to_numeric(df["tahun"]).to_numpy(dtype="float64", na_value=np.nan)
    checks = [("tahun", np.isnan(t) | (t != np.round(t)), f"tahun pada tabel {tabel} harus diisi bilangan bulat")]
    if has_triwulan(df):
        q = pd.to_numeric(df[TRIWULAN]).to_numpy(dtype="float64", na_value=0.0)
        checks.append((TRIWULAN, ~np.isin(q, (0, 1, 2, 3, 4)), "triwulan harus 1, 2, 3 atau 4 (kosong = tahunan)"))
    baris = df["_baris"].to_numpy() if "_baris" in df.columns else np.arange(len(df)) + 2
    problems = [Problem(alasan, baris=int(b), kolom=kolom, nilai=v)
                for kolom, bad, alasan in checks for b, v in zip(baris[bad], df[kolom].to_numpy()[bad])]
    if problems:
        raise SPMDataError(sorted(problems, key=lambda p: p.baris))


def urutan_baris(df: pd.DataFrame, kolom: list[str]) -> np.ndarray:
    """Row order by ``kolom`` (strings and numbers as pandas sorts them; quarters 1–4 before the annual
    row, which has triwulan NA), computed on factorized codes so large tables sort fast."""
    keys = []
    for c in kolom:
        if c == TRIWULAN:
            q = triwulan_int(df)
            keys.append(np.where(q == 0, 5, q))
        else:
            keys.append(pd.factorize(df[c], sort=True)[0])
    return np.lexsort(keys[::-1]) if keys else np.arange(len(df))


def kode_dalam(nilai: pd.Series, kamus: pd.Index) -> np.ndarray:
    """Position of each value in ``kamus`` (−1 when absent). Looks up only the distinct values, which is
    much faster than a string lookup per row on long tables."""
    codes, uni = pd.factorize(nilai)
    m = kamus.get_indexer(uni)
    return np.where(codes >= 0, m[np.maximum(codes, 0)], -1)


def posisi(kunci_tabel: np.ndarray, kunci_cari: np.ndarray) -> np.ndarray:
    """Position of each searched int64 key in the table's (unique) keys, −1 when absent."""
    return pd.Index(kunci_tabel).get_indexer(kunci_cari)


# ----------------------------------------------------------------------------- input checks
def require_columns(df: pd.DataFrame, kolom: Iterable[str], tabel: str) -> None:
    """Raise one SPMDataError naming every missing column of ``tabel``."""
    hilang = [c for c in kolom if c not in df.columns]
    if hilang:
        raise SPMDataError([Problem(f"kolom wajib '{c}' tidak ditemukan pada tabel {tabel}", kolom=c)
                            for c in hilang])


def require_unique(df: pd.DataFrame, kunci: list[str], tabel: str) -> None:
    """Duplicate keys would silently double counts in a merge, so every one is reported."""
    dup = df.duplicated(kunci, keep=False)
    if not dup.any():
        return
    rows = df.loc[dup, kunci]
    baris = df["_baris"][dup] if "_baris" in df.columns else pd.Series(np.flatnonzero(dup.to_numpy()) + 2,
                                                                        index=rows.index)
    problems = [Problem(f"baris ganda pada tabel {tabel}: {', '.join(kunci)} sama dengan baris lain",
                        baris=int(b), nilai=" / ".join(str(v) for v in vals))
                for b, vals in zip(baris, rows.itertuples(index=False))]
    raise SPMDataError(problems)


def angka(s: pd.Series) -> tuple[np.ndarray, np.ndarray]:
    """(float64 values with NaN, mask of known values) for a numeric column of any dtype."""
    v = pd.to_numeric(s).to_numpy(dtype="float64", na_value=np.nan)
    return v, ~np.isnan(v)


def int64(values: np.ndarray, known: np.ndarray) -> pd.arrays.IntegerArray:
    """Int64 array from int or float values and a mask of known entries."""
    v = np.where(known, values, 0).astype("int64")
    return pd.arrays.IntegerArray(v, ~known)


# ----------------------------------------------------------------------------- formulas
def bulat_atas(x: np.ndarray) -> np.ndarray:
    """ceil(x) that ignores binary noise: 1000 × 0.1 is 100.00000000000001 in floating point, and a
    need of 100 must not become 101. Values within 1e-9 (+1e-12 relative) of an integer snap to it;
    real fractions of jumlah_per_sasaran (a few decimals) are far larger than that. NaN stays NaN."""
    r = np.rint(x)
    near = np.abs(x - r) <= 1e-9 + 1e-12 * np.abs(x)
    return np.where(near, r, np.ceil(x))


def persen(pembilang: np.ndarray, penyebut: np.ndarray) -> np.ndarray:
    """min(100, 100 × a / b); NaN when b is 0 or unknown or a is unknown.

    100 × a is formed first, so whole counts give the correctly rounded quotient (100×425/500 is
    exactly 85.0)."""
    with np.errstate(divide="ignore", invalid="ignore"):
        p = np.minimum(100.0, (100.0 * pembilang) / penyebut)
    return np.where((penyebut > 0) & ~np.isnan(pembilang), p, np.nan)


def fraksi_lintasan(k: np.ndarray, n: int, metode: str) -> np.ndarray:
    """Share of the baseline gap closed after year k of n (D4): 'merata' closes it evenly (k/n),
    'didepankan' front-loads it as 1 − (1 − k/n)², so year 1 closes (2n − 1)/n² of the gap. Both
    reach exactly 1 at k = n."""
    x = np.asarray(k, dtype="float64") / float(n)
    if metode == "merata":
        return x
    if metode == "didepankan":
        return 1.0 - (1.0 - x) ** 2
    raise SPMValueError(f"metode lintasan '{metode}' tidak dikenal; pilih {', '.join(METODE_LINTASAN)}")


def target_lintasan(awal: np.ndarray, k: np.ndarray, n: int, metode: str) -> np.ndarray:
    """Target % in year k: 100 − gap × (1 − fraction), so the final year is exactly 100.0 and a
    baseline at or above 100 stays at 100."""
    gap = np.maximum(0.0, 100.0 - awal)
    return 100.0 - gap * (1.0 - fraksi_lintasan(k, n, metode))


# ----------------------------------------------------------------------------- catalogue defaults
def jenis_katalog(katalog_jenis: pd.DataFrame | None) -> pd.DataFrame:
    df = catalog.jenis() if katalog_jenis is None else katalog_jenis
    require_columns(df, ["kode_jenis", "kode_bidang"], "katalog jenis")
    return df


def mutu_katalog(katalog_mutu: pd.DataFrame | None, aturan: str) -> pd.DataFrame:
    df = catalog.mutu(aturan) if katalog_mutu is None else katalog_mutu
    require_columns(df, ["kode_jenis", "kode_item", "jumlah_per_sasaran", "harga_satuan_acuan"],
                    "katalog mutu")
    return df


def bobot_indeks(bobot: Mapping[str, float] | None) -> tuple[float, float]:
    w = catalog.bobot() if bobot is None else bobot
    return float(w["penerima"]), float(w["mutu"])


def nama_bidang(katalog_jenis: pd.DataFrame) -> pd.DataFrame:
    """kode_bidang → bidang (name) from the jenis table, else from the catalogue."""
    if "bidang" in katalog_jenis.columns:
        return katalog_jenis[["kode_bidang", "bidang"]].drop_duplicates("kode_bidang")
    b = catalog.bidang()
    return pd.DataFrame({"kode_bidang": b["kode_bidang"], "bidang": b["nama_bidang"]})
