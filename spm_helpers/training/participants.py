"""Who a participant is, as the class page and the live progress page count people: the OPD name from the
catalogue ('Dinkes' → 'Dinas Kesehatan') and one key per person (name + OPD, case and spacing ignored)."""
from __future__ import annotations

import pandas as pd

from spm_helpers.training.cases import nama_opd_baku
from spm_helpers.training.comparers import normalize_text

TANPA_NAMA = "(tanpa nama)"
TANPA_OPD = "(tanpa OPD)"


def opd_baku(opd: object) -> str:
    """The catalogue's name of the OPD written ('Dinkes' → 'Dinas Kesehatan'); other text is kept, trimmed."""
    text = " ".join(str(opd or "").split())
    return (nama_opd_baku(text) or text) if text else TANPA_OPD


def kunci_orang(nama: pd.Series, opd: pd.Series, berkas: pd.Series) -> pd.Series:
    """Who handed a file in: name + OPD, case and spacing ignored; an unnamed file is its own person."""
    key = nama.map(normalize_text) + "|" + opd.map(normalize_text)
    return key.where(nama != TANPA_NAMA, "berkas|" + berkas)
