"""Tidy tables on disk: one folder per data set, one file per table (CSV or Parquet).

Writes are atomic (write to a temporary file in the same folder, then rename) and never
replace a file the user made unless asked: an interrupted run cannot leave a half-written
table, and a rerun cannot silently clobber an officer's own data.
"""
from __future__ import annotations

import re
from pathlib import Path
from typing import Iterable

import numpy as np
import pandas as pd

from spm_helpers.errors import SEVERITY_ERROR, SPMDataError, SPMError
from spm_helpers.files import atomic_path
from spm_helpers.reference import schemas

TABLES = ("sasaran", "ketersediaan", "harga_satuan")
QUARTER_TABLES = ("anggaran", "permasalahan", "tahapan")  # the quarterly report (D9); optional everywhere
_DTYPES = {c: str for c in ("kode_wilayah", "kode_jenis", "kode_item", "sumber_data", "sumber_dana", "keterangan",
                            "permasalahan", "solusi", "status", "tahapan", "tanggal", "nomor_dokumen")}


# --------------------------------------------------------------------------------------------- formulas
# A CSV opened in Excel/LibreOffice runs a text cell that starts with = + - @ (or tab/CR) as a formula
# (formula injection, OWASP "CSV Injection"). Such text is written with a leading apostrophe, which the
# spreadsheet shows as text and ``read_table`` removes again, so a table round-trips exactly. Numbers,
# and text that is a plain number such as '-5', are left alone: they cannot start a formula.
_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
_SMALL = 5000  # rows up to which a Python loop finds no risky cell faster than pandas' string methods
_PLAIN_NUMBER = re.compile(r"[+-]?\d+([.,]\d+)*")


def _risky(s: pd.Series) -> pd.Series:
    """Text cells that a spreadsheet would run as a formula (apostrophes before it ignored)."""
    if len(s) <= _SMALL and not any(isinstance(v, str) and v.lstrip("'").startswith(_TRIGGERS) for v in s.tolist()):
        return pd.Series(False, index=s.index)  # a report's small tables: a loop beats the string kernels' set-up
    try:
        core = s.str.lstrip("'")
        starts = core.str.startswith(_TRIGGERS, na=False).astype(bool)
        if not starts.any():  # the usual case: no cell needs the (slower) number test
            return starts
        return starts & ~core.str.fullmatch(_PLAIN_NUMBER, na=False).astype(bool)
    except AttributeError:  # an object column without any text
        return pd.Series(False, index=s.index)


def _text_columns(df: pd.DataFrame):
    for col in df.columns:
        s = df[col]
        if s.dtype == object or pd.api.types.is_string_dtype(s):
            yield col, s


def neutralize_formulas(df: pd.DataFrame) -> pd.DataFrame:
    """``df`` with every risky text cell prefixed by an apostrophe (a copy only when something changes)."""
    out = df
    for col, s in _text_columns(df):
        risky = _risky(s)
        if risky.any():
            out = df.copy() if out is df else out
            fixed = s.astype(object).copy()
            fixed[risky] = "'" + s[risky].astype(str)
            out[col] = fixed
    return out


def restore_formulas(df: pd.DataFrame) -> pd.DataFrame:
    """The inverse of ``neutralize_formulas`` on a table read back."""
    out = df
    for col, s in _text_columns(df):
        try:
            marked = s.str.startswith("'", na=False).astype(bool)
        except AttributeError:
            continue
        if not marked.any():
            continue
        marked &= _risky(s.where(~marked, s.str[1:]))
        if marked.any():
            out = df.copy() if out is df else out
            fixed = s.astype(object).copy()
            fixed[marked] = s[marked].astype(str).str[1:]
            out[col] = fixed
    return out


def write_table(df: pd.DataFrame, path: str | Path, overwrite: bool = True) -> Path:
    """CSV or Parquet by extension, atomically; CSV text cells are neutralised against formula injection."""
    path = Path(path)
    with atomic_path(path, overwrite) as tmp:
        if path.suffix == ".parquet":
            df.to_parquet(tmp, index=False)
        else:
            neutralize_formulas(df).to_csv(tmp, index=False)
    return path


def read_table(path: str | Path) -> pd.DataFrame:
    path = Path(path)
    if path.suffix == ".parquet":
        return pd.read_parquet(path)
    return restore_formulas(pd.read_csv(path, dtype=_DTYPES, keep_default_na=False, na_values=[""]))


def table_path(data_dir: str | Path, table: str) -> Path | None:
    for ext in (".parquet", ".csv"):
        p = Path(data_dir) / f"{table}{ext}"
        if p.exists():
            return p
    return None


def load(data_dir: str | Path, kode_wilayah: str | list[str] | None = None,
         tahun: int | list[int] | None = None, tables: tuple[str, ...] = TABLES) -> dict[str, pd.DataFrame]:
    """Read and validate the tidy tables of a data folder, optionally for some regions/years.

    Missing optional tables (harga_satuan) come back empty; a missing sasaran table is an error.
    A bad cell is reported with the row number it has in the file, whatever the filter.
    """
    data_dir = Path(data_dir)
    if not data_dir.is_dir():
        raise SPMError(f"Folder data '{data_dir}' tidak ditemukan.")
    out: dict[str, pd.DataFrame] = {}
    problems = []
    for table in tables:
        path = table_path(data_dir, table)
        if path is None:
            if table == "sasaran":
                raise SPMError(f"Folder data '{data_dir}' tidak berisi sasaran.csv atau sasaran.parquet.")
            out[table] = schemas.empty(table)
            continue
        kept = _memory.get(path, table) if _memory is not None and _memory.covers(kode_wilayah) else None
        if kept is not None and kept.serves(kode_wilayah):  # validated once as a whole: take the rows
            out[table] = kept.rows(kode_wilayah, tahun)
            continue
        df = kept.raw if kept is not None else read_table(path)
        df, found = _validate_rows(_filter(df, kode_wilayah, tahun), table, path.name)
        problems += found
        out[table] = df
    if problems:
        raise SPMDataError(problems)
    return out


def _validate_rows(df: pd.DataFrame, table: str, berkas: str) -> tuple[pd.DataFrame, list]:
    """Validate, pointing problems at the file's own row numbers (the index is the file position)."""
    own_rows = "_baris" not in df.columns
    if own_rows:
        df = df.assign(_baris=df.index.to_numpy() + 2)  # header is row 1
    df, found = schemas.validate(df, table, berkas=berkas, raise_errors=False)
    # warnings (terlayani > sasaran, D3) keep the row; the data-quality checks of every report flag them
    found = [p for p in found if p.tingkat == SEVERITY_ERROR]
    if own_rows:
        df = df.drop(columns="_baris")
    return df.reset_index(drop=True), found


def _filter(df: pd.DataFrame, kode_wilayah, tahun) -> pd.DataFrame:
    if kode_wilayah is not None and "kode_wilayah" in df.columns:
        codes = [kode_wilayah] if isinstance(kode_wilayah, str) else list(kode_wilayah)
        df = df[df["kode_wilayah"].isin(codes)]
    if tahun is not None and "tahun" in df.columns:
        years = [tahun] if isinstance(tahun, int) else list(tahun)
        df = df[pd.to_numeric(df["tahun"], errors="coerce").isin(years)]
    return df


# ------------------------------------------------------------------------------------ in memory
class _Kept:
    """One file's table read once: the raw rows and the validated table with the row positions of each
    region, so a region's rows are one ``take``. Regions with a row that fails the schema are left out of
    the validated table (``excluded``): loading one of them reads its rows from ``raw`` and reports the
    problems as usual, while every other region is still served from memory. When problems cannot be
    pinned to regions (a missing column, say), nothing is served from memory (``clean`` is False)."""

    def __init__(self, raw: pd.DataFrame, table: str, berkas: str, wilayah: frozenset | None = None,
                 version: tuple = ()):
        self.version = version  # the file read: (path, table, size, mtime)
        if wilayah is not None and "kode_wilayah" in raw.columns:
            raw = raw[raw["kode_wilayah"].isin(wilayah)]  # index kept: problems keep their file rows
        self.raw = raw
        self.excluded: frozenset[str] = frozenset()
        validated, problems = _validate_rows(raw, table, berkas)
        bad = _regions_of(problems, raw) if problems else None
        if bad:
            validated, problems = _validate_rows(raw[~raw["kode_wilayah"].isin(bad)], table, berkas)
            if not problems:
                self.excluded = frozenset(str(k).strip() for k in bad)
        self.clean = not problems
        self.table = validated if self.clean else None
        self.positions: dict = {}
        if self.clean and "kode_wilayah" in validated.columns and len(validated):
            self.positions = validated.groupby("kode_wilayah", sort=False).indices

    def serves(self, kode_wilayah) -> bool:
        """May these regions' rows come from the validated table?"""
        if not self.clean:
            return False
        if not self.excluded:
            return True
        if kode_wilayah is None:
            return False
        codes = [kode_wilayah] if isinstance(kode_wilayah, str) else list(kode_wilayah)
        return not any(str(c).strip() in self.excluded for c in codes)

    def rows(self, kode_wilayah, tahun) -> pd.DataFrame:
        df = self.table
        if kode_wilayah is not None and "kode_wilayah" in df.columns:
            codes = [kode_wilayah] if isinstance(kode_wilayah, str) else list(kode_wilayah)
            parts = [self.positions[c] for c in dict.fromkeys(codes) if c in self.positions]
            pos = np.sort(np.concatenate(parts)) if parts else np.array([], dtype=np.intp)
            df = df.take(pos)
        else:
            df = df.copy()
        return _filter(df, None, tahun).reset_index(drop=True)


def _regions_of(problems: list, raw: pd.DataFrame) -> frozenset | None:
    """The regions whose rows the problems point at, or None when some problem has no row of its own.
    Rows are the file's (index + 2, see ``_validate_rows``)."""
    if "kode_wilayah" not in raw.columns or "_baris" in raw.columns:
        return None
    index = [p.baris - 2 for p in problems if p.baris is not None]
    if len(index) < len(problems) or not all(i in raw.index for i in index):
        return None
    return frozenset(raw.loc[index, "kode_wilayah"].dropna())


class _Memory:
    """Tables kept by (path, size, modification time): an edited file is read again. ``wilayah``: keep only
    these regions' rows (a batch's regions), so a batch of 20 does not validate a national file."""

    def __init__(self, size: int = 6, wilayah: Iterable[str] | None = None):
        self.size = size
        self.wilayah = None if wilayah is None else frozenset(wilayah)
        self._items: dict[tuple, _Kept] = {}

    def covers(self, kode_wilayah) -> bool:
        """Are all these regions' rows kept? (None = every region: only when nothing was left out.)"""
        if self.wilayah is None:
            return True
        if kode_wilayah is None:
            return False
        codes = [kode_wilayah] if isinstance(kode_wilayah, str) else list(kode_wilayah)
        return set(codes) <= self.wilayah

    def get(self, path: Path, table: str) -> _Kept:
        st = path.stat()
        key = (str(path.resolve()), table, st.st_size, st.st_mtime_ns)
        kept = self._items.pop(key, None)
        if kept is None:
            kept = _Kept(read_table(path), table, path.name, self.wilayah, key)
        self._items[key] = kept  # most recently used last
        while len(self._items) > self.size:
            self._items.pop(next(iter(self._items)))
        return kept


_memory: _Memory | None = None


def kept_tables(data_dir: str | Path, tables: tuple[str, ...] = TABLES) -> tuple[tuple, dict[str, pd.DataFrame]] | None:
    """Every row of a folder's tables, validated, with a key naming their files' current versions; or None
    when tables are not kept in memory, the folder has no sasaran, or some row failed the schema (then
    each region is loaded and checked on its own). The frames are shared: read them, never modify them."""
    if _memory is None or not Path(data_dir).is_dir():
        return None
    out: dict[str, pd.DataFrame] = {}
    key = []
    for table in tables:
        path = table_path(data_dir, table)
        if path is None:
            if table == "sasaran":
                return None
            out[table] = schemas.empty(table)
            continue
        kept = _memory.get(path, table)
        if not kept.clean:
            return None
        key.append(kept.version)
        out[table] = kept.table
    return (tuple(key), _memory.wilayah), out


def keep_tables_in_memory(enabled: bool = True, wilayah: Iterable[str] | None = None) -> None:
    """Read and validate each data file once per process instead of once per ``load``.

    Made for batch kernels, which load one region after another from the same national files: each
    ``load`` then costs a lookup instead of reading and validating the folder again. A file is read
    again when its size or modification time changes. ``wilayah`` limits what is kept to a batch's
    regions (a load for any other region reads the file as usual). Off by default: an interactive
    session loading one region from a national folder would validate every region's rows for nothing."""
    global _memory
    _memory = _Memory(wilayah=wilayah) if enabled else None


def save(tables: dict[str, pd.DataFrame], data_dir: str | Path, fmt: str = "csv",
         overwrite: bool = True) -> list[Path]:
    return [write_table(df, Path(data_dir) / f"{name}.{fmt}", overwrite) for name, df in tables.items()]
