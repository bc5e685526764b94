"""Sasaran estimated from population by age group and sex (DECISIONS D10): the engine, pure and vectorised.

A region that has neither a by-name list nor a trusted count starts from population: births-based jenis
(ibu hamil ≈ 1,1 × CBR × penduduk), age bands (5–6, 7–15, 16–18, 0–59 bulan, 15–59, ≥ 60 ...), prevalence of
an age band or of the population (hipertensi, DM, ODGJ berat ...), the population of disaster-prone areas, or
"tidak dapat diperkirakan dari penduduk". Every method and number is data (``datasets/katalog/
perkiraan_sasaran.csv`` and ``parameter_perkiraan.csv``, each row with ``sumber`` and ``status``), so the
estimate table says how each figure was obtained.

Age bands that cut a 5-year group are split with **linear interpolation within the group**: the group's
people are spread over its five single years along a straight line whose mean is the group's per-year
count (so the five years add up to the group exactly) and whose slope is the central difference of the
neighbouring groups' per-year counts, ``(G[i+1] − G[i−1]) / 5 / 10`` (one-sided at 0–4 and 70–74). The slope
is clipped to ±half the per-year count, so no single year is ever negative. The open group 75+ is not
split (no band needs it). Where a table gives single years, they are used as they are.

Public functions
- ``split_single_years(groups)``: (n, 16) group counts → (n, 76) single years 0–74 and 75+.
- ``perkirakan_sasaran(penduduk, *, metode=None, parameter=None)``: one row per region, year and jenis.
- ``bandingkan(perkiraan, sasaran, *, metode=None, parameter=None)``: estimate beside the reported sasaran.
- ``pakai_perkiraan(sasaran, perkiraan)``: adopt estimates for jenis with no reported sasaran, marked.
- ``metode_bawaan()``, ``parameter_bawaan()``: the default tables.
"""
from __future__ import annotations

from functools import lru_cache

import numpy as np
import pandas as pd

from spm_helpers.errors import Problem, SPMDataError
from spm_helpers.paths import katalog_dir
from spm_helpers.reference import catalog
from spm_helpers.reference.age_groups import JUMLAH_KELOMPOK, UMUR_TERBUKA, kelompok_index, parse_umur

N_TUNGGAL = UMUR_TERBUKA + 1  # single years 0..74 and the open group 75+

METODE = {
    "kelahiran": "berbasis kelahiran (CBR)",
    "kelompok_umur": "pemecahan kelompok umur",
    "prevalensi": "prevalensi",
    "kawasan_bencana": "berbasis kawasan rawan bencana",
    "tidak_dapat": "tidak dapat diperkirakan dari penduduk",
}
SUMBER_PERKIRAAN = "perkiraan dari penduduk"  # prefix of sumber_data on adopted rows
KOLOM_PERKIRAAN = ["kode_wilayah", "tahun", "kode_jenis", "metode", "keterangan_metode", "dasar_perhitungan",
                   "penduduk_total", "penduduk_dasar", "pengali", "perkiraan_tepat", "perkiraan",
                   "perkiraan_laki", "perkiraan_perempuan", "status", "sumber"]


@lru_cache(maxsize=1)
def _metode_csv() -> pd.DataFrame:
    return pd.read_csv(katalog_dir() / "perkiraan_sasaran.csv")


@lru_cache(maxsize=1)
def _parameter_csv() -> pd.DataFrame:
    return pd.read_csv(katalog_dir() / "parameter_perkiraan.csv")


def metode_bawaan() -> pd.DataFrame:
    """kode_jenis, metode, dasar (umur | penduduk | rumah_tangga), umur_min, umur_max (blank: and older),
    jenis_kelamin (semua | L | P), faktor, parameter (a name in parameter_perkiraan.csv or blank),
    batas_selisih_persen, status, sumber."""
    return _metode_csv().copy()


def parameter_bawaan() -> pd.DataFrame:
    """parameter, nilai, satuan, keterangan, status, sumber (CBR, household size, hazard share ...)."""
    return _parameter_csv().copy()


def nilai_parameter(parameter: pd.DataFrame | None = None) -> dict[str, float]:
    p = parameter_bawaan() if parameter is None else parameter
    return {str(k): float(v) for k, v in zip(p["parameter"], p["nilai"])}


# ----------------------------------------------------------------------------- interpolation
def split_single_years(groups: np.ndarray) -> np.ndarray:
    """Single-year counts from 5-year groups (linear within group, see the module docstring).

    ``groups``: (n, 16) counts of 0–4 … 70–74, 75+. Returns (n, 76): ages 0 … 74 and 75+ (column 75); each
    group's five years sum to the group and none is negative."""
    g = np.asarray(groups, dtype=float)
    d = g[:, :JUMLAH_KELOMPOK - 1] / 5.0  # people per single year, groups 0–4 … 70–74
    left = np.concatenate([d[:, :1], d[:, :-1]], axis=1)
    right = np.concatenate([d[:, 1:], d[:, -1:]], axis=1)
    span = np.full(d.shape[1], 10.0)
    span[0] = span[-1] = 5.0  # one-sided difference at both ends
    slope = np.clip((right - left) / span, -d / 2.0, d / 2.0)
    offset = np.arange(5) - 2.0  # position of each year around the group's middle year
    single = d[:, :, None] + slope[:, :, None] * offset
    return np.concatenate([single.reshape(len(g), -1), g[:, -1:]], axis=1)


def band_mask(umur_min, umur_max) -> np.ndarray:
    """(76, k) 0/1 matrix: which single years (and 75+) each band [umur_min, umur_max] covers; a blank
    ``umur_max`` means 'and older'. A band must not cut the open group 75+."""
    lo = np.asarray(pd.to_numeric(pd.Series(umur_min), errors="coerce"), dtype=float)
    hi = np.asarray(pd.to_numeric(pd.Series(umur_max), errors="coerce"), dtype=float)
    hi = np.where(np.isnan(hi), np.inf, hi)
    age = np.arange(N_TUNGGAL, dtype=float)[:, None]
    inside = (age >= lo[None, :]) & (age <= hi[None, :])
    open_in = (hi >= UMUR_TERBUKA) & (lo <= UMUR_TERBUKA)
    inside[UMUR_TERBUKA, :] = open_in
    return (inside & ~np.isnan(lo)[None, :]).astype(float)


# ----------------------------------------------------------------------------- population matrices
def _matrices(penduduk: pd.DataFrame) -> tuple[pd.DataFrame, np.ndarray, np.ndarray]:
    """(units: kode_wilayah, tahun; L and P single-year matrices (n_units, 76)). Kecamatan rows are summed."""
    need = ["kode_wilayah", "tahun", "kelompok_umur", "jenis_kelamin", "jumlah"]
    missing = [c for c in need if c not in penduduk.columns]
    if missing:
        raise SPMDataError([Problem(f"kolom wajib '{c}' tidak ditemukan pada tabel penduduk", kolom=c)
                            for c in missing])
    labels = penduduk["kelompok_umur"].astype(str)
    uniq = pd.unique(labels)
    parsed = {u: parse_umur(u) for u in uniq}
    bad = [u for u, p in parsed.items() if p is None]
    if bad:
        raise SPMDataError([Problem("kelompok umur tidak dikenal", kolom="kelompok_umur", nilai=u) for u in bad])
    lo = labels.map({u: p[0] for u, p in parsed.items()}).to_numpy(dtype=int)
    hi = labels.map({u: (-1 if p[1] is None else p[1]) for u, p in parsed.items()}).to_numpy(dtype=int)
    single = (lo == hi) & (lo < UMUR_TERBUKA)
    gidx = kelompok_index(lo, hi)
    if ((gidx < 0) & ~single).any():
        wrong = sorted(set(labels[(gidx < 0) & ~single]))
        raise SPMDataError([Problem("kelompok umur bukan kelompok 5 tahun (0–4 … 70–74, 75+) atau umur tunggal",
                                    kolom="kelompok_umur", nilai=u) for u in wrong])
    jk = penduduk["jenis_kelamin"].astype(str).str.upper().to_numpy()
    if not np.isin(jk, ["L", "P"]).all():
        raise SPMDataError([Problem("jenis kelamin harus 'L' atau 'P'", kolom="jenis_kelamin", nilai=v)
                            for v in sorted(set(jk[~np.isin(jk, ["L", "P"])]))])
    jumlah = pd.to_numeric(penduduk["jumlah"], errors="coerce").to_numpy(dtype=float)
    if np.isnan(jumlah).any() or (jumlah < 0).any():
        raise SPMDataError("jumlah penduduk harus angka dan tidak boleh negatif (atau kosong)", kolom="jumlah")
    keys = pd.MultiIndex.from_arrays([penduduk["kode_wilayah"].astype(str).to_numpy(),
                                      pd.to_numeric(penduduk["tahun"]).to_numpy(dtype=int)])
    code, units = pd.factorize(keys, sort=True)
    n = len(units)
    sex = (jk == "P").astype(int)
    groups = np.zeros((2, n, JUMLAH_KELOMPOK))
    singles = np.zeros((2, n, UMUR_TERBUKA))
    grouped = ~single
    np.add.at(groups, (sex[grouped], code[grouped], gidx[grouped]), jumlah[grouped])
    np.add.at(singles, (sex[single], code[single], lo[single]), jumlah[single])
    has_single = np.zeros((2, n), dtype=bool)
    has_single[sex[single], code[single]] = True
    young_groups = np.zeros((2, n), dtype=bool)
    g_young = grouped & (gidx < JUMLAH_KELOMPOK - 1)
    young_groups[sex[g_young], code[g_young]] = True
    if (has_single & young_groups).any():
        raise SPMDataError("tabel penduduk mencampur umur tunggal dan kelompok 5 tahun untuk wilayah dan jenis "
                           "kelamin yang sama; pakai salah satu", kolom="kelompok_umur")
    out = split_single_years(groups.reshape(2 * n, -1)).reshape(2, n, N_TUNGGAL)
    out[:, :, :UMUR_TERBUKA] = np.where(has_single[:, :, None], singles, out[:, :, :UMUR_TERBUKA])
    frame = pd.DataFrame({"kode_wilayah": units.get_level_values(0).astype(object),
                          "tahun": units.get_level_values(1).astype(int)})
    return frame, out[0], out[1]


# ----------------------------------------------------------------------------- estimator
def _fmt(x: float) -> str:
    text = f"{x:.4f}".rstrip("0").rstrip(".")
    return text.replace(".", ",")


def _dasar_teks(m: pd.DataFrame, nilai: dict[str, float]) -> list[str]:
    """How each jenis is computed, in words (one text per method row)."""
    out = []
    for r in m.itertuples(index=False):
        jk = {"L": " laki-laki", "P": " perempuan"}.get(str(r.jenis_kelamin), "")
        if r.dasar == "umur":
            if pd.isna(r.umur_max):
                band = f"penduduk{jk} usia {int(r.umur_min)} tahun ke atas"
            else:
                band = f"penduduk{jk} usia {int(r.umur_min)}–{int(r.umur_max)} tahun"
        elif r.dasar == "rumah_tangga":
            band = f"rumah tangga (penduduk ÷ {_fmt(nilai.get('ukuran_rumah_tangga', np.nan))})"
        else:
            band = "jumlah penduduk"
        if r.metode == "tidak_dapat":
            out.append(METODE["tidak_dapat"])
        elif r.metode == "kelahiran":
            cbr = nilai.get("cbr", np.nan)
            pre = "" if float(r.faktor) == 1 else f"{_fmt(float(r.faktor))} × "
            out.append(f"{pre}CBR ({_fmt(cbr * 1000)}‰) × {band}")
        elif r.metode == "prevalensi":
            out.append(f"{_fmt(100 * float(r.faktor))}% × {band}")
        elif r.metode == "kawasan_bencana":
            out.append(f"{_fmt(100 * nilai.get(str(r.parameter), np.nan))}% {band} di kawasan rawan bencana")
        else:
            out.append(band)
    return out


def perkirakan_sasaran(penduduk: pd.DataFrame, *, metode: pd.DataFrame | None = None,
                       parameter: pd.DataFrame | None = None) -> pd.DataFrame:
    """Estimated sasaran of every jenis of each region's level (kab/kota 29, provinsi 14), per region and year.

    ``penduduk``: the tidy table (kode_wilayah, tahun, kelompok_umur, jenis_kelamin L/P, jumlah; kecamatan
    rows are summed). Returns ``KOLOM_PERKIRAAN``: the method and its Indonesian text, the population the
    estimate rests on (``penduduk_dasar``), the multiplier (factor × parameter, e.g. 1,1 × 0,017), the exact
    and the rounded estimate (NA for 'tidak dapat diperkirakan'), its split by sex for population-based
    methods, and the status and source of the method row. One vectorised pass over every region."""
    m = (metode_bawaan() if metode is None else metode).reset_index(drop=True)
    nilai = nilai_parameter(parameter)
    units, pop_l, pop_p = _matrices(penduduk)
    missing_par = sorted({str(p) for p in m["parameter"].dropna()} - set(nilai))
    if missing_par:
        raise SPMDataError([Problem("parameter perkiraan tidak ada di tabel parameter", kolom="parameter", nilai=p)
                            for p in missing_par])

    mask = band_mask(m["umur_min"], m["umur_max"])  # (76, k)
    band_l, band_p = pop_l @ mask, pop_p @ mask  # (n, k)
    jk = m["jenis_kelamin"].fillna("semua").astype(str).to_numpy()
    band_l = np.where(jk == "P", 0.0, band_l)
    band_p = np.where(jk == "L", 0.0, band_p)
    tot_l, tot_p = pop_l.sum(axis=1), pop_p.sum(axis=1)
    total = tot_l + tot_p
    dasar = m["dasar"].fillna("").astype(str).to_numpy()
    hh = nilai.get("ukuran_rumah_tangga", np.nan)
    base_l = np.where(dasar == "umur", band_l, tot_l[:, None])
    base_p = np.where(dasar == "umur", band_p, tot_p[:, None])
    per_hh = np.where(dasar == "rumah_tangga", 1.0 / hh, 1.0)  # households = population ÷ household size
    base_l, base_p = base_l * per_hh, base_p * per_hh
    par = np.array([1.0 if pd.isna(p) or m.at[i, "dasar"] == "rumah_tangga" else nilai[str(p)]
                    for i, p in enumerate(m["parameter"])])
    pengali = pd.to_numeric(m["faktor"], errors="coerce").fillna(np.nan).to_numpy(dtype=float) * par
    can = (m["metode"] != "tidak_dapat").to_numpy()
    pengali = np.where(can, pengali, np.nan)
    est_l, est_p = base_l * pengali, base_p * pengali
    est = est_l + est_p

    n, k = est.shape
    level = np.where(units["kode_wilayah"].str.len().to_numpy() == 2, "provinsi", "kabkota")
    tingkat = m["kode_jenis"].map(dict(zip(catalog.jenis()["kode_jenis"], catalog.jenis()["tingkat"]))).to_numpy()
    keep = (level[:, None] == tingkat[None, :]).ravel()
    rows = np.repeat(np.arange(n), k)[keep]
    cols = np.tile(np.arange(k), n)[keep]
    exact = est.ravel()[keep]
    sex_based = np.isin(dasar, ["umur", "penduduk", "rumah_tangga"])[cols] & can[cols]
    teks = np.array(_dasar_teks(m, nilai), dtype=object)
    out = pd.DataFrame({
        "kode_wilayah": units["kode_wilayah"].to_numpy()[rows],
        "tahun": units["tahun"].to_numpy()[rows],
        "kode_jenis": m["kode_jenis"].to_numpy()[cols],
        "metode": m["metode"].to_numpy()[cols],
        "keterangan_metode": m["metode"].map(METODE).to_numpy()[cols],
        "dasar_perhitungan": teks[cols],
        "penduduk_total": total[rows],
        "penduduk_dasar": np.where(can[cols], (base_l + base_p).ravel()[keep], np.nan),
        "pengali": pengali[cols],
        "perkiraan_tepat": exact,
        "perkiraan": pd.array(np.where(np.isnan(exact), np.nan, np.floor(exact + 0.5 + 1e-9)), dtype="Int64"),
        "perkiraan_laki": np.where(sex_based, est_l.ravel()[keep], np.nan),
        "perkiraan_perempuan": np.where(sex_based, est_p.ravel()[keep], np.nan),
        "status": m["status"].to_numpy()[cols],
        "sumber": m["sumber"].to_numpy()[cols],
    })
    out["tahun"] = out["tahun"].astype("Int64")
    return out[KOLOM_PERKIRAAN]


# ----------------------------------------------------------------------------- side by side
KOLOM_BANDING = ["kode_wilayah", "tahun", "kode_jenis", "jumlah_sasaran", "sumber_data", "perkiraan", "metode",
                 "keterangan_metode", "dasar_perhitungan", "selisih", "selisih_persen", "batas_selisih_persen",
                 "jauh", "keadaan"]


def is_perkiraan(sumber_data: pd.Series) -> pd.Series:
    """Rows whose sasaran was adopted from a population estimate (``pakai_perkiraan``)."""
    return sumber_data.astype("string").str.startswith(SUMBER_PERKIRAAN).fillna(False).astype(bool)


def bandingkan(perkiraan: pd.DataFrame, sasaran: pd.DataFrame, *, metode: pd.DataFrame | None = None,
               parameter: pd.DataFrame | None = None) -> pd.DataFrame:
    """The estimate beside the reported sasaran of every jenis estimated (annual rows of ``sasaran``).

    ``selisih`` = reported − estimate, ``selisih_persen`` = 100 × selisih / estimate. ``jauh`` is a large
    gap: |selisih_persen| above the jenis's ``batas_selisih_persen`` and |selisih| at least
    ``selisih_minimal`` people (both data). ``keadaan``: 'dilaporkan', 'tidak dilaporkan' (no row or an
    empty sasaran), 'memakai perkiraan' (the row was adopted from this estimate) or 'tidak dapat
    diperkirakan'. The reported number is never changed here."""
    m = metode_bawaan() if metode is None else metode
    nilai = nilai_parameter(parameter)
    s = sasaran
    if "triwulan" in s.columns:
        s = s[pd.to_numeric(s["triwulan"]).isna()]
    cols = ["kode_wilayah", "tahun", "kode_jenis", "jumlah_sasaran"] + (["sumber_data"] if "sumber_data" in s else [])
    s = s[cols].assign(tahun=pd.to_numeric(s["tahun"]).astype("Int64"))
    p = perkiraan[["kode_wilayah", "tahun", "kode_jenis", "perkiraan", "perkiraan_tepat", "metode",
                   "keterangan_metode", "dasar_perhitungan"]]
    out = p.merge(s, on=["kode_wilayah", "tahun", "kode_jenis"], how="left")
    if "sumber_data" not in out.columns:
        out["sumber_data"] = pd.NA
    lapor = pd.to_numeric(out["jumlah_sasaran"]).astype("Float64")
    est = out["perkiraan_tepat"].astype("Float64")
    out["selisih"] = (lapor - pd.to_numeric(out["perkiraan"]).astype("Float64")).astype("Float64")
    with np.errstate(divide="ignore", invalid="ignore"):
        pct = 100.0 * (lapor - est) / est
    out["selisih_persen"] = pct.where(est > 0).astype("Float64")
    out["batas_selisih_persen"] = out["kode_jenis"].map(dict(zip(m["kode_jenis"], m["batas_selisih_persen"])))
    adopted = is_perkiraan(out["sumber_data"])
    reported = lapor.notna() & ~adopted
    minimal = nilai.get("selisih_minimal", 0.0)
    jauh = (reported & (out["selisih_persen"].abs() > out["batas_selisih_persen"])
            & (out["selisih"].abs() >= minimal))
    out["jauh"] = jauh.fillna(False).astype(bool)
    cannot = out["metode"] == "tidak_dapat"
    out["keadaan"] = np.select([cannot, adopted, reported], ["tidak dapat diperkirakan", "memakai perkiraan",
                                                             "dilaporkan"], "tidak dilaporkan")
    out["jumlah_sasaran"] = pd.to_numeric(out["jumlah_sasaran"]).astype("Int64")
    out["selisih"] = out["selisih"].round().astype("Int64")
    return out[KOLOM_BANDING]


def label_sumber(metode: str) -> str:
    """The sumber_data of an adopted row, e.g. 'perkiraan dari penduduk (metode pemecahan kelompok umur)'."""
    return f"{SUMBER_PERKIRAAN} (metode {METODE.get(metode, metode)})"


def pakai_perkiraan(sasaran: pd.DataFrame, perkiraan: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Adopt estimates for jenis with **no reported sasaran** (no row, or an empty jumlah_sasaran) in the
    regions and years estimated; reported numbers are never replaced. Adopted rows carry
    ``sumber_data = label_sumber(metode)`` and keep jumlah_terlayani unknown unless reported.

    Returns (the new sasaran table, the rows adopted: kode_wilayah, tahun, kode_jenis, jumlah_sasaran, metode)."""
    s = sasaran.copy()
    if "sumber_data" not in s.columns:
        s["sumber_data"] = pd.NA
    annual = pd.to_numeric(s["triwulan"]).isna() if "triwulan" in s.columns else pd.Series(True, index=s.index)
    p = perkiraan[perkiraan["perkiraan"].notna()]
    key = ["kode_wilayah", "tahun", "kode_jenis"]
    s_key = pd.MultiIndex.from_frame(s.loc[annual, key].astype({"tahun": "int64"}))
    p_key = pd.MultiIndex.from_frame(p[key].astype({"tahun": "int64"}))
    pos = s_key.get_indexer(p_key)
    row_index = s.index[annual.to_numpy()]
    has_row = pos >= 0
    blank = np.zeros(len(p), dtype=bool)
    blank[has_row] = s.loc[row_index[pos[has_row]], "jumlah_sasaran"].isna().to_numpy()
    fill = p[blank]
    idx = row_index[pos[blank]]
    s.loc[idx, "jumlah_sasaran"] = fill["perkiraan"].to_numpy()
    s.loc[idx, "sumber_data"] = [label_sumber(x) for x in fill["metode"]]
    new = p[~has_row]
    add = pd.DataFrame({"kode_wilayah": new["kode_wilayah"].to_numpy(), "tahun": new["tahun"].to_numpy(),
                        "kode_jenis": new["kode_jenis"].to_numpy(), "jumlah_sasaran": new["perkiraan"].to_numpy(),
                        "jumlah_terlayani": pd.array([pd.NA] * len(new), dtype="Int64"),
                        "sumber_data": [label_sumber(x) for x in new["metode"]]})
    parts = [s, add] if len(add) else [s]
    out = pd.concat(parts, ignore_index=True)
    for c in ("tahun", "jumlah_sasaran", "jumlah_terlayani", "triwulan"):
        if c in out.columns:  # an adopted row is annual (triwulan empty)
            out[c] = pd.to_numeric(out[c]).astype("Int64")
    adopted = pd.concat([fill, new])[key + ["perkiraan", "metode"]].rename(columns={"perkiraan": "jumlah_sasaran"})
    return out, adopted.sort_values(key, ignore_index=True)
