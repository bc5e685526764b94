"""Indonesian number formatting for tables, charts and reports (1.234.567; 85,00%; Rp 1,2 M)."""
from __future__ import annotations

import math

import pandas as pd


def _missing(x) -> bool:
    return x is None or x is pd.NA or (isinstance(x, float) and math.isnan(x))


def angka(x, desimal: int = 0) -> str:
    """1234567 → '1.234.567'; 12.5 with desimal=1 → '12,5'. Missing → '–'."""
    if _missing(x):
        return "–"
    text = f"{float(x):,.{desimal}f}" if desimal else f"{round(float(x)):,}"
    return text.replace(",", "_").replace(".", ",").replace("_", ".")


def persen(x, desimal: int = 2) -> str:
    """85 → '85,00%'."""
    return "–" if _missing(x) else f"{angka(x, desimal)}%"


def rupiah(x) -> str:
    """45000000 → 'Rp 45.000.000'."""
    return "–" if _missing(x) else f"Rp {angka(x)}"


def rupiah_ringkas(x, desimal: int = 1) -> str:
    """Short form for chart axes: 'Rp 1,2 T', 'Rp 45,0 M', 'Rp 3,5 jt', 'Rp 250 rb'."""
    if _missing(x):
        return "–"
    v = float(x)
    for limit, suffix in ((1e12, "T"), (1e9, "M"), (1e6, "jt"), (1e3, "rb")):
        if abs(v) >= limit:
            return f"Rp {angka(v / limit, desimal)} {suffix}"
    return f"Rp {angka(v)}"


def rupiah_kata(x) -> str:
    """Rupiah for running text: 'Rp 1,29 triliun', 'Rp 478,73 miliar', 'Rp 3,50 juta'."""
    if x is None or pd.isna(x):
        return "–"
    v = float(x)
    for limit, word in ((1e12, "triliun"), (1e9, "miliar"), (1e6, "juta")):
        if abs(v) >= limit:
            return f"Rp {angka(v / limit, 2)} {word}"
    return rupiah(v)


BULAN = ("Januari", "Februari", "Maret", "April", "Mei", "Juni", "Juli", "Agustus", "September", "Oktober",
         "November", "Desember")


def tanggal(d) -> str:
    """'20 Juli 2025' (a date, datetime or 'YYYY-MM-DD'); '–' when missing."""
    if _missing(d):
        return "–"
    d = pd.Timestamp(d)
    return f"{d.day} {BULAN[d.month - 1]} {d.year}"
