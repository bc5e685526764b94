"""Reference data of the quarterly e-SPM report (DECISIONS D9): the five blocks, funding sources, the four
stages and the rencana aksi, the words allowed in status columns, and the deadlines.

Deadlines and block weights are data (``datasets/katalog/tenggat_triwulan.csv``, ``blok_triwulan.csv``) with
``status`` and ``sumber``: Bangda announces the deadlines each year, and only the 2024 ones were seen.
"""
from __future__ import annotations

import calendar
import datetime as dt
from functools import lru_cache

import pandas as pd

from spm_helpers.errors import SPMValueError
from spm_helpers.paths import katalog_dir

TRIWULAN = (1, 2, 3, 4)
ROMAWI = {1: "I", 2: "II", 3: "III", 4: "IV"}

# Stage codes of the ``tahapan`` table: the four stages of Permendagri 59/2021 and the rencana aksi document.
TAHAPAN = ("1", "2", "3", "4", "rencana_aksi")
NAMA_TAHAPAN = {
    "1": "Tahap 1: Pengumpulan data",
    "2": "Tahap 2: Penghitungan kebutuhan pemenuhan pelayanan dasar",
    "3": "Tahap 3: Penyusunan rencana pemenuhan pelayanan dasar",
    "4": "Tahap 4: Pelaksanaan pemenuhan pelayanan dasar",
    "rencana_aksi": "Dokumen Rencana Aksi penerapan SPM",
}
BELUM, PROSES, SELESAI = "belum dimulai", "dalam proses", "selesai"
STATUS_TAHAPAN = (BELUM, PROSES, SELESAI)

TANPA_MASALAH = "tidak ada permasalahan"
STATUS_MASALAH = ("belum ditangani", "dalam penanganan", "selesai", TANPA_MASALAH)

BELUM_DILAPORKAN = "belum dilaporkan"  # a quarter without data: never shown as zero


def nama_triwulan(triwulan: int) -> str:
    """'Triwulan II'."""
    return f"Triwulan {ROMAWI[check_triwulan(triwulan)]}"


def check_triwulan(triwulan) -> int:
    """The quarter as an int 1–4, or an Indonesian parameter error."""
    try:
        q = int(triwulan)
    except (TypeError, ValueError):
        raise SPMValueError(f"triwulan harus 1, 2, 3 atau 4 (bukan '{triwulan}')") from None
    if q not in TRIWULAN:
        raise SPMValueError(f"triwulan harus 1, 2, 3 atau 4 (bukan {q})")
    return q


def akhir_triwulan(tahun: int, triwulan: int) -> dt.date:
    """Last day of the quarter: the date a stage must be done by to count as done in that quarter."""
    month = 3 * check_triwulan(triwulan)
    return dt.date(int(tahun), month, calendar.monthrange(int(tahun), month)[1])


def _read(name: str, **kw) -> pd.DataFrame:
    return pd.read_csv(katalog_dir() / name, keep_default_na=False, na_values=[""], **kw)


@lru_cache(maxsize=1)
def sumber_dana() -> pd.DataFrame:
    """kode, nama, keterangan, status, sumber — the funding sources allowed in ``anggaran``."""
    return _read("sumber_dana.csv", dtype=str)


def kode_sumber_dana() -> tuple[str, ...]:
    return tuple(sumber_dana()["kode"])


@lru_cache(maxsize=1)
def blok() -> pd.DataFrame:
    """The five blocks of a quarter's report in e-SPM order: kode_blok, urutan, nama, bobot, penanggung_jawab."""
    df = _read("blok_triwulan.csv")
    df["bobot"] = df["bobot"].astype(float)
    return df.sort_values("urutan").reset_index(drop=True)


@lru_cache(maxsize=1)
def tenggat_table() -> pd.DataFrame:
    """tahun, triwulan, tenggat (date), status, sumber."""
    df = _read("tenggat_triwulan.csv")
    df["tenggat"] = pd.to_datetime(df["tenggat"]).dt.date
    return df


def tenggat(tahun: int, triwulan: int) -> tuple[dt.date | None, str]:
    """The quarter's e-SPM deadline and its status ('terkonfirmasi' / 'perlu_verifikasi'); (None, '') when the
    table has no row for that year."""
    t = tenggat_table()
    hit = t[(t["tahun"] == int(tahun)) & (t["triwulan"] == check_triwulan(triwulan))]
    if hit.empty:
        return None, ""
    return hit["tenggat"].iloc[0], str(hit["status"].iloc[0])
