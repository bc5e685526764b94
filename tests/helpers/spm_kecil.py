"""A small hand-made world for the engine tests: 3 jenis × 2 mutu items, one kota, numbers chosen so every
result can be worked out by hand (the arithmetic is written beside each expected value in the tests).

Catalogue (jumlah_per_sasaran × harga acuan):
  KES-KK-01 ibu hamil      .01 paket pemeriksaan 1 × 150.000   .02 buku KIA 0,1 × 20.000
  KES-KK-02 ibu bersalin   .01 persalinan        1 × 500.000   .02 kit nifas 0,5 × 100.000
  PDD-KK-01 PAUD           .01 bahan ajar        2 × 40.000    .02 ruang kelas 0,05 × 50.000.000
Region 32.75, 2024: sasaran/terlayani 1000/900, 500/425, 200/150; tersedia 700, 100, 400, 300, 300, 5;
regional SSH price for KES-KK-02.01 = 550.000, an empty SSH price for PDD-KK-01.01 (catalogue used).
"""
from __future__ import annotations

import pandas as pd

KODE = "32.75"
TAHUN = 2024

KATALOG_JENIS = pd.DataFrame({
    "kode_jenis": ["KES-KK-01", "KES-KK-02", "PDD-KK-01"],
    "kode_bidang": ["KES", "KES", "PDD"],
    "bidang": ["Kesehatan", "Kesehatan", "Pendidikan"],
    "tingkat": ["kabkota"] * 3,
    "nama": ["Ibu hamil", "Ibu bersalin", "PAUD"],
    "opd_pengampu": ["Dinas Kesehatan", "Dinas Kesehatan", "Dinas Pendidikan"],
})

KATALOG_MUTU = pd.DataFrame({
    "kode_jenis": ["KES-KK-01", "KES-KK-01", "KES-KK-02", "KES-KK-02", "PDD-KK-01", "PDD-KK-01"],
    "kode_item": ["KES-KK-01.01", "KES-KK-01.02", "KES-KK-02.01", "KES-KK-02.02", "PDD-KK-01.01",
                  "PDD-KK-01.02"],
    "jumlah_per_sasaran": [1.0, 0.1, 1.0, 0.5, 2.0, 0.05],
    "harga_satuan_acuan": pd.array([150_000, 20_000, 500_000, 100_000, 40_000, 50_000_000], dtype="Int64"),
})

KATEGORI = pd.DataFrame({
    "kategori": ["Belum Tuntas", "Tuntas Muda", "Tuntas Pratama", "Tuntas Madya", "Tuntas Utama",
                 "Tuntas Paripurna"],
    "batas_bawah": [0, 60, 70, 80, 90, 100],
    "batas_atas": [60, 70, 80, 90, 100, 100],
    "urutan": [1, 2, 3, 4, 5, 6],
})

BOBOT = {"penerima": 0.8, "mutu": 0.2}

KATALOG = {"katalog_jenis": KATALOG_JENIS, "katalog_mutu": KATALOG_MUTU}
SEMUA = {**KATALOG, "bobot": BOBOT, "tabel_kategori": KATEGORI}


def sasaran(rows=None, kode: str = KODE, tahun: int = TAHUN) -> pd.DataFrame:
    rows = rows or [("KES-KK-01", 1000, 900), ("KES-KK-02", 500, 425), ("PDD-KK-01", 200, 150)]
    return pd.DataFrame({
        "kode_wilayah": kode, "tahun": tahun, "kode_jenis": [r[0] for r in rows],
        "jumlah_sasaran": pd.array([r[1] for r in rows], dtype="Int64"),
        "jumlah_terlayani": pd.array([r[2] for r in rows], dtype="Int64"),
    })


TERSEDIA = {"KES-KK-01.01": 700, "KES-KK-01.02": 100, "KES-KK-02.01": 400, "KES-KK-02.02": 300,
            "PDD-KK-01.01": 300, "PDD-KK-01.02": 5}


def ketersediaan(values: dict | None = None, kode: str = KODE, tahun: int = TAHUN) -> pd.DataFrame:
    values = TERSEDIA if values is None else values
    return pd.DataFrame({
        "kode_wilayah": kode, "tahun": tahun, "kode_jenis": [k.split(".")[0] for k in values],
        "kode_item": list(values), "jumlah_tersedia": pd.array(list(values.values()), dtype="Int64"),
    })


def harga_satuan(kode: str = KODE, tahun: int = TAHUN) -> pd.DataFrame:
    return pd.DataFrame({"kode_wilayah": kode, "tahun": tahun, "kode_item": ["KES-KK-02.01", "PDD-KK-01.01"],
                         "harga_satuan": pd.array([550_000, pd.NA], dtype="Int64")})


def dua_wilayah_dua_tahun() -> tuple[pd.DataFrame, pd.DataFrame]:
    """sasaran and ketersediaan for 32.75 (2023, 2024) and 32.01 (2024): for row-order tests."""
    s = pd.concat([sasaran(), sasaran(kode="32.01"), sasaran(tahun=2023)], ignore_index=True)
    ket = pd.concat([ketersediaan(), ketersediaan(kode="32.01"), ketersediaan(tahun=2023)], ignore_index=True)
    return s, ket


def acak(df: pd.DataFrame, rnd) -> pd.DataFrame:
    """The same rows in a random order (``rnd`` is a hypothesis/random.Random)."""
    order = list(range(len(df)))
    rnd.shuffle(order)
    return df.iloc[order]


WILAYAH = pd.DataFrame({
    "kode_wilayah": ["32", "32.01", "32.02", "32.75", "33", "33.01", "33.71", "33.72"],
    "nama": ["Provinsi A", "Kab. A1", "Kab. A2", "Kota A3", "Provinsi B", "Kab. B1", "Kota B2", "Kota B3"],
    "tingkat": ["provinsi", "kabkota", "kabkota", "kabkota", "provinsi", "kabkota", "kabkota", "kabkota"],
    "tipe": ["provinsi", "kabupaten", "kabupaten", "kota", "provinsi", "kabupaten", "kota", "kota"],
    "kode_provinsi": ["32", "32", "32", "32", "33", "33", "33", "33"],
    "penduduk": [3_000_000, 1_000_000, 1_200_000, 400_000, 2_000_000, 900_000, 500_000, 100_000],
})
