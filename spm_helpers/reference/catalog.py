"""The SPM catalogue: 6 bidang, 43 jenis pelayanan dasar, their mutu items and the rule sets.

Everything here is *data* in ``datasets/katalog/`` with a ``status`` and ``sumber`` per row, so a
later regulation or a region's own standard changes a CSV, not the code (DECISIONS D1, D3).
"""
from __future__ import annotations

from functools import lru_cache

import numpy as np
import pandas as pd

from spm_helpers.errors import SPMValueError, UnknownJenisError
from spm_helpers.paths import katalog_dir
from spm_helpers.reference import schemas
from spm_helpers.reference.regions import TINGKAT_PROVINSI
from spm_helpers.reference.regions import get as get_region

DEFAULT_ATURAN = "permenkes_6_2024"


def _read(name: str, **kw) -> pd.DataFrame:
    return pd.read_csv(katalog_dir() / name, keep_default_na=False, na_values=[""], **kw)


@lru_cache(maxsize=1)
def bidang() -> pd.DataFrame:
    """kode_bidang, nama_bidang, urutan (order of PP 2/2018)."""
    return _read("bidang.csv").sort_values("urutan").reset_index(drop=True)


@lru_cache(maxsize=1)
def _jenis_all() -> pd.DataFrame:
    df = schemas.validate(_read("jenis.csv", dtype=str), "katalog_jenis", berkas="datasets/katalog/jenis.csv")
    df["nomor"] = df["nomor"].astype(int)
    b = bidang()[["kode_bidang", "nama_bidang", "urutan"]].rename(columns={"nama_bidang": "bidang",
                                                                         "urutan": "urutan_bidang"})
    df = df.merge(b, on="kode_bidang", how="left", validate="m:1")
    return df.sort_values(["tingkat", "urutan_bidang", "nomor"], ascending=[False, True, True]) \
        .reset_index(drop=True)


def jenis(tingkat: str | None = None) -> pd.DataFrame:
    """The jenis pelayanan dasar; ``tingkat`` = 'provinsi' or 'kabkota' to get one level only."""
    return _jenis_of(_checked(tingkat)).copy(deep=False)  # copy-on-write: a caller's change stays its own


def _checked(tingkat: str | None) -> str | None:
    if tingkat is not None and tingkat not in ("provinsi", "kabkota"):
        raise SPMValueError("tingkat harus 'provinsi' atau 'kabkota'")
    return tingkat


@lru_cache(maxsize=3)
def _jenis_of(tingkat: str | None) -> pd.DataFrame:
    # a report asks for the catalogue a few dozen times; filtering it each time was a few ms per report
    df = _jenis_all()
    return (df if tingkat is None else df[df["tingkat"] == tingkat]).reset_index(drop=True)


def get_jenis(kode_jenis: str) -> pd.Series:
    df = _jenis_all()
    hit = df[df["kode_jenis"] == str(kode_jenis).strip().upper()]
    if hit.empty:
        from rapidfuzz import process

        near = [m[0] for m in process.extract(str(kode_jenis).upper(), df["kode_jenis"].tolist(), limit=3,
                                              score_cutoff=70)]
        raise UnknownJenisError(str(kode_jenis), near)
    return hit.iloc[0]


def jenis_for_region(kode_wilayah: str) -> pd.DataFrame:
    """Provinsi do the 14 provincial jenis, kab/kota the 29 kab/kota jenis."""
    return jenis(TINGKAT_PROVINSI if get_region(kode_wilayah).is_provinsi else "kabkota")


@lru_cache(maxsize=1)
def _mutu_all() -> pd.DataFrame:
    raw = _read("mutu.csv", dtype=str)
    return schemas.validate(raw, "katalog_mutu", berkas="datasets/katalog/mutu.csv")


@lru_cache(maxsize=1)
def _aturan_all() -> pd.DataFrame:
    return _read("aturan.csv")


def aturan() -> pd.DataFrame:
    """Rule sets for the health mutu items (Permenkes 6/2024 by default, 4/2019 selectable)."""
    return _aturan_all().copy()


def check_aturan(aturan: str) -> str:
    """The rule set's code, or an Indonesian error naming the ones that exist (before any work starts)."""
    known = set(_aturan_all()["kode_aturan"])
    if aturan not in known:
        raise SPMValueError(f"Aturan '{aturan}' tidak dikenal. Pilihan: {', '.join(sorted(known))}")
    return aturan


def mutu(aturan: str = DEFAULT_ATURAN, kode_jenis: str | list[str] | None = None) -> pd.DataFrame:
    """Mutu items valid under a rule set: rows for every rule ('semua') plus the chosen one."""
    check_aturan(aturan)
    df = _mutu_all()
    df = df[df["aturan"].isin(["semua", aturan])]
    if kode_jenis is not None:
        codes = [kode_jenis] if isinstance(kode_jenis, str) else list(kode_jenis)
        df = df[df["kode_jenis"].isin(codes)]
    return df.reset_index(drop=True)


@lru_cache(maxsize=1)
def bobot() -> dict[str, float]:
    """Weights of capaian penerima and capaian mutu in the index (default 0.8 / 0.2)."""
    df = _read("bobot.csv")
    weights = dict(zip(df["komponen"], df["bobot"].astype(float)))
    if abs(sum(weights.values()) - 1.0) > 1e-9 or set(weights) != {"penerima", "mutu"}:
        raise SPMValueError("bobot.csv harus berisi komponen 'penerima' dan 'mutu' dengan jumlah bobot 1")
    return weights


SKEMA_KATEGORI = "bawaan_2026"  # DECISIONS D3 (revised): agrees with every published point found


@lru_cache(maxsize=1)
def _kategori_all() -> pd.DataFrame:
    return _read("kategori_capaian.csv")


def skema_kategori() -> list[str]:
    """The category schemes shipped (the default first)."""
    names = list(dict.fromkeys(_kategori_all()["skema"]))
    return sorted(names, key=lambda n: n != SKEMA_KATEGORI)


def kategori_capaian(skema: str = SKEMA_KATEGORI) -> pd.DataFrame:
    """Category bands of one scheme: [batas_bawah, batas_atas) except the top band, which is exactly 100."""
    if skema not in set(_kategori_all()["skema"]):
        raise ValueError(f"Skema kategori '{skema}' tidak dikenal. Pilihan: {', '.join(skema_kategori())}")
    return _kategori_of(skema).copy(deep=False)  # copy-on-write: a caller's change stays its own


@lru_cache(maxsize=8)
def _kategori_of(skema: str) -> pd.DataFrame:
    df = _kategori_all()
    return df[df["skema"] == skema].sort_values("urutan").reset_index(drop=True)


def kategori_belum_tuntas(skema: str = SKEMA_KATEGORI) -> float:
    """Upper bound of the lowest band (the 'Belum Tuntas' threshold) of a scheme, read from the table."""
    return float(kategori_capaian(skema).iloc[0]["batas_atas"])


def catatan_kategori(skema: str = SKEMA_KATEGORI) -> str:
    """One sentence naming the category scheme and its thresholds, for every report."""
    k = kategori_capaian(skema)
    bands = [f"{r.kategori} {_ambang(r.batas_bawah)}" + ("" if r.batas_bawah == r.batas_atas else
                                                          f"–<{_ambang(r.batas_atas)}")
             for r in k.itertuples()]
    return f"Skema kategori capaian: {skema} ({'; '.join(bands)}; perlu verifikasi)."


def _ambang(x: float) -> str:
    return f"{x:g}".replace(".", ",")


@lru_cache(maxsize=1)
def demo_parameter() -> pd.DataFrame:
    return _read("demo_parameter.csv")


def rule_set_note(aturan: str = DEFAULT_ATURAN) -> str:
    """One sentence for reports: which rule set and thresholds were used."""
    w = bobot()
    row = _aturan_all().set_index("kode_aturan").loc[aturan]
    return (f"Aturan mutu kesehatan: {row['nama']}. Bobot indeks: penerima {w['penerima']:.0%}, "
            f"mutu {w['mutu']:.0%} (perlu verifikasi terhadap teks Permendagri 59/2021). "
            + catatan_kategori())


# -------------------------------------------------- catalogue names joined onto engine tables
def jenis_info(tingkat: str | None = None) -> pd.DataFrame:
    """kode_jenis → nama_jenis, kode_bidang, bidang, opd_pengampu, urutan (catalogue order)."""
    return _jenis_info_of(_checked(tingkat)).copy(deep=False)


@lru_cache(maxsize=3)
def _jenis_info_of(tingkat: str | None) -> pd.DataFrame:
    j = _jenis_of(tingkat)
    out = j[["kode_jenis", "nama", "kode_bidang", "bidang", "opd_pengampu"]].rename(columns={"nama": "nama_jenis"})
    return out.assign(urutan=np.arange(len(out)))


def bidang_order() -> list[str]:
    return bidang()["kode_bidang"].tolist()


def with_jenis_names(df: pd.DataFrame) -> pd.DataFrame:
    """Add nama_jenis, bidang and opd_pengampu by kode_jenis (dict lookups; the tables are small)."""
    info = jenis_info().set_index("kode_jenis")
    out = df.copy()
    for col in ("nama_jenis", "bidang", "opd_pengampu"):
        out[col] = out["kode_jenis"].map(info[col].to_dict())
    return out


def kebutuhan_bernama(kebutuhan: pd.DataFrame, aturan: str = DEFAULT_ATURAN) -> pd.DataFrame:
    """The stage-2 item table with the item's name, unit and category and the jenis name, bidang and OPD."""
    items = mutu(aturan).set_index("kode_item")
    out = with_jenis_names(kebutuhan)
    for col, src in (("nama_butir", "nama"), ("satuan", "satuan"), ("kategori_butir", "kategori")):
        out[col] = out["kode_item"].map(items[src].to_dict())
    return out
