"""Age groups and sexes of population tables (BPS/Dukcapil): the 16 five-year groups 0-4 … 75+, and how
the labels officers type ("0 - 4", "0 s.d. 4", "75 ke atas", "≥ 75", "5") are read.

Reference data for both the population reader (``inputs.population``) and the sasaran estimator
(``engine.sasaran_estimate``), so neither depends on the other.
"""
from __future__ import annotations

import re

import numpy as np

UMUR_TERBUKA = 75  # the open group 75+
KELOMPOK_UMUR = tuple(f"{a}-{a + 4}" for a in range(0, UMUR_TERBUKA, 5)) + (f"{UMUR_TERBUKA}+",)
JUMLAH_KELOMPOK = len(KELOMPOK_UMUR)  # 16
JENIS_KELAMIN = {"L": "Laki-laki", "P": "Perempuan"}

DASHES = str.maketrans({"–": "-", "—": "-", "−": "-", "\u00a0": " "})
_RANGE = re.compile(r"^(\d{1,3})\s*(?:-|s\.?\s?d\.?|sampai|hingga)\s*(\d{1,3})$")
_OPEN = re.compile(r"^(\d{1,3})\s*(?:\+|ke\s*atas|lebih|atau\s+lebih)$")
_GE = re.compile(r"^(>=|≥|>)\s*(\d{1,3})$")
_SINGLE = re.compile(r"^(\d{1,3})$")


def parse_umur(label) -> tuple[int, int | None] | None:
    """'0-4', '0 – 4 tahun', '00-04', '5 s.d. 9' → (0, 4); '75+', '75 ke atas', '≥ 75' → (75, None);
    '7' → (7, 7); anything else → None."""
    if label is None or (isinstance(label, float) and np.isnan(label)):
        return None
    if isinstance(label, (int, np.integer)) and not isinstance(label, bool):
        return (int(label), int(label)) if 0 <= label <= 120 else None
    s = str(label).translate(DASHES).strip().lower()
    s = re.sub(r"\b(tahun|thn|th)\b\.?", "", s).replace("umur", "").replace("usia", "").strip()
    s = re.sub(r"\s+", " ", s)
    if (m := _RANGE.match(s)) is not None:
        lo, hi = int(m.group(1)), int(m.group(2))
        return (lo, hi) if lo <= hi else None
    if (m := _OPEN.match(s)) is not None:
        return int(m.group(1)), None
    if (m := _GE.match(s)) is not None:
        lo = int(m.group(2))
        return (lo + 1 if m.group(1) == ">" else lo), None
    if (m := _SINGLE.match(s)) is not None:
        return int(m.group(1)), int(m.group(1))
    return None


def label_umur(lo: int, hi: int | None) -> str:
    """Canonical label: '5-9', '75+', '7'. Anything from 75 up is the open group."""
    if lo >= UMUR_TERBUKA:
        return f"{UMUR_TERBUKA}+"
    if hi is None:
        return f"{lo}+"
    return str(lo) if lo == hi else f"{lo}-{hi}"


def kelompok_index(lo, hi) -> np.ndarray:
    """Index 0–15 of the 5-year group a (lo, hi) range is (hi −1 or None: open); −1 when it is not one.
    A range starting at 75 or above belongs to the open group 75+."""
    lo = np.asarray(lo, dtype=int)
    hi = np.asarray([-1 if h is None else h for h in np.atleast_1d(hi)], dtype=int).reshape(lo.shape)
    aligned = (lo % 5 == 0) & (hi == lo + 4) & (lo < UMUR_TERBUKA)
    return np.where(lo >= UMUR_TERBUKA, JUMLAH_KELOMPOK - 1, np.where(aligned, lo // 5, -1))
