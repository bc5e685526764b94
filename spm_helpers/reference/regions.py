"""Kemendagri region codes: 38 provinsi and 514 kabupaten/kota, with population.

Officers type region names the way they say them ("Kab. Bengkulu Selatan",
"pangkalpinang", "Kota Bekasy"), so lookup forgives case, the words
Kabupaten/Kab./Kota/Provinsi, spacing, common aliases and small typos, and when it
cannot decide it says which regions were probably meant.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

import pandas as pd
from rapidfuzz import fuzz, process
from rapidfuzz.distance import Levenshtein

from spm_helpers.errors import UnknownRegionError
from spm_helpers.paths import wilayah_dir

TINGKAT_PROVINSI = "provinsi"
TINGKAT_KABKOTA = "kabkota"

_PROV_RE = re.compile(r"^\d{2}$")
_KABKOTA_RE = re.compile(r"^\d{2}\.\d{2}$")
_PREFIXES = [
    ("kabupaten administrasi", "kabupaten"),
    ("kota administrasi", "kota"),
    ("kabupaten", "kabupaten"),
    ("kab.", "kabupaten"),
    ("kab", "kabupaten"),
    ("kota", "kota"),
    ("provinsi", "provinsi"),
    ("prov.", "provinsi"),
    ("prov", "provinsi"),
    ("pemkab", "kabupaten"),
    ("pemkot", "kota"),
    ("pemprov", "provinsi"),
]


@dataclass(frozen=True)
class Region:
    kode_wilayah: str
    nama: str
    tingkat: str  # provinsi | kabkota
    tipe: str  # provinsi | kabupaten | kota
    kode_provinsi: str
    nama_provinsi: str
    penduduk: int
    luas_km2: float

    @property
    def is_provinsi(self) -> bool:
        return self.tingkat == TINGKAT_PROVINSI

    def __str__(self) -> str:
        return f"{self.nama} ({self.kode_wilayah})"


def normalize_code(value: str | int | float) -> str | None:
    """'3275', '32.75', '32 75', 32.75 → '32.75'; '32' → '32'. None if it is not a code."""
    text = str(value).strip()
    digits = re.sub(r"[.\s-]", "", text)
    if not digits.isdigit():
        return None
    if len(digits) == 2:
        return digits
    if len(digits) == 4:
        return f"{digits[:2]}.{digits[2:]}"
    if len(digits) == 3 and "." in text:  # 14.1 stored as a number
        return f"{digits[:2]}.{digits[2:]}0"
    return None


def _split_name(name: str) -> tuple[str | None, str]:
    """('kota', 'bekasi') from 'Kota Bekasi'; the type hint is None when not given."""
    text = re.sub(r"\s+", " ", str(name).strip().lower())
    hint = None
    for prefix, tipe in _PREFIXES:
        if text == prefix:
            break
        if text.startswith(prefix + " ") or (prefix.endswith(".") and text.startswith(prefix)):
            hint = tipe
            text = text[len(prefix):].strip()
            break
    return hint, _core(text)


def _core(text: str) -> str:
    return re.sub(r"[^a-z0-9]", "", text.lower())


@lru_cache(maxsize=1)
def table() -> pd.DataFrame:
    """All 552 regions: kode_wilayah, nama, tingkat, tipe, kode_provinsi, nama_provinsi,
    penduduk (Dukcapil Dec 2024), luas_km2. Provinsi population is the sum of its kab/kota."""
    src = wilayah_dir() / "sumber"
    prov = pd.read_csv(src / "regions_provinces.csv", dtype={"code": str})
    kk = pd.read_csv(src / "regions_kabkota.csv", dtype={"code": str, "province_code": str})
    pop = pd.read_csv(src / "population_kabkota.csv", dtype={"code": str})
    area = pd.read_csv(src / "area_kabkota.csv", dtype={"code": str})

    kk = kk.merge(pop[["code", "population"]], on="code", how="left", validate="1:1")
    kk = kk.merge(area[["code", "area_km2"]], on="code", how="left", validate="1:1")
    kk = kk.merge(prov.rename(columns={"code": "province_code", "name": "nama_provinsi"}),
                  on="province_code", how="left", validate="m:1")
    kk_out = pd.DataFrame({
        "kode_wilayah": kk["code"],
        "nama": kk["name"],
        "tingkat": TINGKAT_KABKOTA,
        "tipe": kk["type"],
        "kode_provinsi": kk["province_code"],
        "nama_provinsi": kk["nama_provinsi"],
        "penduduk": kk["population"].astype("int64"),
        "luas_km2": kk["area_km2"].astype(float),
    })
    sums = kk_out.groupby("kode_provinsi")[["penduduk", "luas_km2"]].sum()
    prov_out = pd.DataFrame({
        "kode_wilayah": prov["code"],
        "nama": "Provinsi " + prov["name"],
        "tingkat": TINGKAT_PROVINSI,
        "tipe": "provinsi",
        "kode_provinsi": prov["code"],
        "nama_provinsi": prov["name"],
    })
    prov_out = prov_out.join(sums, on="kode_provinsi")
    prov_out["penduduk"] = prov_out["penduduk"].astype("int64")
    out = pd.concat([prov_out, kk_out], ignore_index=True)
    out = out.sort_values("kode_wilayah", kind="stable").reset_index(drop=True)
    out["_core"] = [_split_name(n)[1] for n in out["nama"]]
    return out


@lru_cache(maxsize=1)
def _aliases() -> dict[str, str]:
    df = pd.read_csv(wilayah_dir() / "alias.csv", dtype=str)
    return {_core(a): k for a, k in zip(df["alias"], df["kode_wilayah"])}


def _row_to_region(row: pd.Series) -> Region:
    return Region(**{k: row[k] for k in Region.__dataclass_fields__})


def get(query: str | int | float | Region) -> Region:
    """One region by code ('32.75', '3275') or name ('Kota Bekasi', 'kab bengkulu selatan').

    Raises UnknownRegionError with "Apakah maksud Anda: …?" suggestions when unsure.
    """
    if isinstance(query, Region):
        return query
    df = table()
    code = normalize_code(query)
    if code is not None:
        hit = df[df["kode_wilayah"] == code]
        if len(hit):
            return _row_to_region(hit.iloc[0])
        raise UnknownRegionError(str(query), _code_suggestions(code))
    codes = find(str(query))
    if len(codes) == 1:
        return _row_to_region(df[df["kode_wilayah"] == codes[0]].iloc[0])
    raise UnknownRegionError(str(query), suggest(str(query)),
                             ambiguous=bool(codes) or _is_ambiguous(str(query)))


def _is_ambiguous(query: str) -> bool:
    hint, core = _split_name(query)
    exact = table()[table()["_core"] == core]
    return len(exact) > 1 and (hint is None or (exact["tipe"] == hint).sum() != 1)


def find(query: str) -> list[str]:
    """Codes that the name certainly means: exact (after normalising), alias, or one clear typo match."""
    df = table()
    hint, core = _split_name(query)
    if not core:
        return []
    if core in _aliases() and hint is None:
        return [_aliases()[core]]
    exact = df[df["_core"] == core]
    if hint is not None:
        exact = exact[exact["tipe"] == hint]
    if len(exact) == 1:
        return exact["kode_wilayah"].tolist()
    if len(exact) > 1:
        return []  # ambiguous: 'Bekasi' is both a kabupaten and a kota
    if core in _aliases():
        return [_aliases()[core]]
    pool = df if hint is None else df[df["tipe"] == hint]
    # a small typo: one edit for short names, two for names of 12+ letters
    allowed = 1 if len(core) < 12 else 2
    matches = process.extract(core, pool["_core"].tolist(), scorer=Levenshtein.distance,
                              limit=2, score_cutoff=allowed)
    if len(matches) == 1 or (len(matches) == 2 and matches[0][1] < matches[1][1]):
        return [pool["kode_wilayah"].iloc[matches[0][2]]]
    return []


def suggest(query: str, limit: int = 3) -> list[tuple[str, str]]:
    """(kode, nama) of the regions most like ``query``, best first."""
    df = table()
    hint, core = _split_name(query)
    exact = df[df["_core"] == core]
    if len(exact) > 1:
        return list(zip(exact["kode_wilayah"], exact["nama"]))
    pool = df if hint is None else df[df["tipe"] == hint]
    matches = process.extract(core, pool["_core"].tolist(), scorer=fuzz.WRatio, limit=limit,
                              score_cutoff=60)
    return [(pool["kode_wilayah"].iloc[i], pool["nama"].iloc[i]) for _, _, i in matches]


def _code_suggestions(code: str) -> list[tuple[str, str]]:
    df = table()
    prov = code[:2]
    same = df[(df["kode_provinsi"] == prov) & (df["tingkat"] == TINGKAT_PROVINSI)]
    return list(zip(same["kode_wilayah"], same["nama"]))


def children(kode_provinsi: str) -> list[str]:
    """Codes of the kabupaten/kota of a province."""
    prov = get(kode_provinsi)
    df = table()
    mask = (df["kode_provinsi"] == prov.kode_provinsi) & (df["tingkat"] == TINGKAT_KABKOTA)
    return df.loc[mask, "kode_wilayah"].tolist()


def select(spec: str) -> list[str]:
    """Codes for a batch selection: 'all'/'semua', 'provinsi', 'kabkota', 'prov:32' (a province and
    its kab/kota), or a comma list of codes or names. Order follows the Kemendagri code list."""
    df = table()
    wanted: list[str] = []
    for part in [p.strip() for p in str(spec).split(",") if p.strip()]:
        low = part.lower()
        if low in {"all", "semua"}:
            wanted += df["kode_wilayah"].tolist()
        elif low in {"provinsi", "kabkota"}:
            wanted += df.loc[df["tingkat"] == low, "kode_wilayah"].tolist()
        elif low.startswith("prov:"):
            prov = get(part.split(":", 1)[1])
            wanted += [prov.kode_provinsi] + children(prov.kode_provinsi)
        else:
            wanted.append(get(part).kode_wilayah)
    seen = dict.fromkeys(wanted)
    order = {k: i for i, k in enumerate(df["kode_wilayah"])}
    return sorted(seen, key=order.__getitem__)


def population(kode_wilayah: str) -> int:
    return get(kode_wilayah).penduduk
