"""Errors that tell an officer exactly where the data is wrong, in Indonesian.

Every problem carries its location (file, sheet, row, column), the offending value
and a reason. Validation collects *all* problems before raising, so a user fixes a
form in one pass instead of one error at a time.
"""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import asdict, dataclass
from decimal import Decimal
from typing import Any, Iterable

import pandas as pd

SEVERITY_ERROR = "galat"
SEVERITY_WARNING = "peringatan"

PROBLEM_COLUMNS = ["berkas", "sheet", "baris", "kolom", "nilai", "alasan", "tingkat"]

# --------------------------------------------------------------------------------------------- privacy
# A problem is printed, written to manifest.json, index.html, ringkasan_wilayah.csv and executed
# notebooks, so the value it echoes must never be personal data: any run of 8 or more digits could be a
# NIK, a phone or a KK number and is masked; free text where a number belongs could be a name (a shifted
# column) and is described by its kind and length only.
_LONG_DIGITS = re.compile(r"\d{8,}")
_NUMBER_LIKE = re.compile(r"(?i)\s*(rp\.?|idr)?[\d\s.,+\-\u2013\u2014()%]*")


def _mask_run(m: re.Match) -> str:
    run = m.group(0)
    return run[:4] + "*" * (len(run) - 8) + run[-4:] if len(run) >= 12 else "*" * len(run)


def mask_digits(text: Any) -> Any:
    """'peserta 3275014101900001' → 'peserta 3275********0001'; runs of 8–11 digits become all '*'."""
    if not isinstance(text, str):
        return text
    return _LONG_DIGITS.sub(_mask_run, text)


def safe_value(value: Any) -> Any:
    """A value as it may be echoed in a problem: long digit runs masked, in numbers as in text."""
    if value is None or isinstance(value, bool):
        return value
    if isinstance(value, (int, Decimal)) or (isinstance(value, float) and value.is_integer()):
        text = str(int(value))
        return mask_digits(text) if _LONG_DIGITS.search(text) else value
    if isinstance(value, float):
        text = repr(value)
        return mask_digits(text) if _LONG_DIGITS.search(text) else value
    if isinstance(value, str):
        return mask_digits(value)
    return value


def shown_in_number_cell(value: Any) -> Any:
    """What a problem about a number cell may echo: number-like text (masked), else only its kind and length."""
    if isinstance(value, (dt.datetime, dt.date)):
        return "(tanggal)"
    if isinstance(value, str):
        if _NUMBER_LIKE.fullmatch(value):
            return mask_digits(value)
        return f"(teks, {len(value)} karakter)"
    return safe_value(value)


@dataclass(frozen=True)
class Problem:
    """One located problem. ``baris`` is the row number the user sees (Excel/CSV, 1-based)."""

    alasan: str
    berkas: str | None = None
    sheet: str | None = None
    baris: int | None = None
    kolom: str | None = None
    nilai: Any = None
    tingkat: str = SEVERITY_ERROR

    def __post_init__(self) -> None:  # every way out (describe, table, HTML, JSON) sees the masked values
        object.__setattr__(self, "nilai", safe_value(self.nilai))
        object.__setattr__(self, "berkas", mask_digits(self.berkas))

    def describe(self) -> str:
        where = [f"berkas {self.berkas}" if self.berkas else None,
                 f"sheet '{self.sheet}'" if self.sheet else None,
                 f"baris {self.baris}" if self.baris is not None else None,
                 f"kolom '{self.kolom}'" if self.kolom else None]
        loc = ", ".join(w for w in where if w)
        val = "" if self.nilai is None or (isinstance(self.nilai, float) and pd.isna(self.nilai)) \
            else f" (nilai: {self.nilai!r})"
        return f"{loc + ': ' if loc else ''}{self.alasan}{val}"


def problems_frame(problems: Iterable[Problem]) -> pd.DataFrame:
    """Problems as a table, in the column order shown to users."""
    rows = [asdict(p) for p in problems]
    return pd.DataFrame(rows, columns=PROBLEM_COLUMNS)


class SPMError(Exception):
    """Base of every error SPM Workbench raises on purpose (message in Indonesian)."""


class SPMDataError(SPMError):
    """Input data is wrong. Holds every problem found, not only the first."""

    def __init__(self, problems: Iterable[Problem] | str, *, berkas: str | None = None,
                 sheet: str | None = None, baris: int | None = None, kolom: str | None = None,
                 nilai: Any = None) -> None:
        if isinstance(problems, str):
            problems = [Problem(problems, berkas=berkas, sheet=sheet, baris=baris, kolom=kolom,
                                nilai=nilai)]
        self.problems: list[Problem] = list(problems)
        errors = [p for p in self.problems if p.tingkat == SEVERITY_ERROR] or self.problems
        head = errors[0].describe()
        more = len(errors) - 1
        msg = head if more <= 0 else f"{head} (dan {more} masalah lain)"
        super().__init__(msg)

    @property
    def table(self) -> pd.DataFrame:
        return problems_frame(self.problems)

    def _repr_html_(self) -> str:  # readable box in notebooks
        from html import escape

        rows = "".join(
            "<tr>" + "".join(f"<td>{escape('' if v is None else str(v))}</td>" for v in r) + "</tr>"
            for r in self.table.itertuples(index=False)
        )
        head = "".join(f"<th>{c}</th>" for c in PROBLEM_COLUMNS)
        return (
            '<div style="border:2px solid #b00020;padding:8px;border-radius:6px">'
            f"<b>Data belum benar: {len(self.problems)} masalah ditemukan.</b>"
            f"<table><thead><tr>{head}</tr></thead><tbody>{rows}</tbody></table></div>"
        )


class UnknownRegionError(SPMError, KeyError):
    """A region code or name that is not in the Kemendagri list, with suggestions."""

    def __init__(self, query: str, suggestions: list[tuple[str, str]], ambiguous: bool = False) -> None:
        self.query = query
        self.suggestions = suggestions
        if ambiguous and suggestions:
            options = ", ".join(f"{nama} ({kode})" for kode, nama in suggestions)
            msg = f"Nama '{query}' cocok dengan lebih dari satu wilayah. Apakah maksud Anda: {options}?"
        elif suggestions:
            options = ", ".join(f"{nama} ({kode})" for kode, nama in suggestions)
            msg = f"Wilayah '{query}' tidak ditemukan. Apakah maksud Anda: {options}?"
        else:
            msg = f"Wilayah '{query}' tidak ditemukan dalam daftar kode wilayah Kemendagri."
        super().__init__(msg)

    def __str__(self) -> str:  # KeyError quotes its message otherwise
        return self.args[0]


class UnknownJenisError(SPMError, KeyError):
    def __init__(self, kode: str, suggestions: list[str] | None = None) -> None:
        extra = f" Apakah maksud Anda: {', '.join(suggestions)}?" if suggestions else ""
        super().__init__(f"Jenis pelayanan dasar '{kode}' tidak ada di katalog SPM.{extra}")

    def __str__(self) -> str:
        return self.args[0]


class SPMValueError(SPMError, ValueError):
    """A parameter value the engine or the reference data cannot use (an unknown rule set, a planning
    method, a period of 0 years). Still a ``ValueError`` for callers that catch that; the CLI prints it
    in Indonesian like every other ``SPMError``."""


class UnknownItemError(SPMError, KeyError):
    """A name looked up in a registry (a training module, a case jenis) that is not there."""

    def __str__(self) -> str:
        return self.args[0]
