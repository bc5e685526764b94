"""Tidy tables on disk: one folder per data set, one file per table (CSV or Parquet).

Writes are atomic (write to a temporary file in the same folder, then rename) and never
replace a file the user made unless asked: an interrupted run cannot leave a half-written
table, and a rerun cannot silently clobber an officer's own data.
"""
from __future__ import annotations

import json
import os
import tempfile
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

import pandas as pd

from . import schemas
from .errors import SPMDataError, SPMError

TABLES = ("sasaran", "ketersediaan", "harga_satuan")
_DTYPES = {"kode_wilayah": str, "kode_jenis": str, "kode_item": str, "sumber_data": str}


@contextmanager
def atomic_path(path: str | Path, overwrite: bool = True) -> Iterator[Path]:
    """Yield a temporary path; on success it replaces ``path`` in one rename."""
    path = Path(path)
    if path.exists() and not overwrite:
        raise SPMError(f"Berkas {path} sudah ada dan tidak akan ditimpa. Pilih nama atau folder lain.")
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    os.close(fd)
    tmp_path = Path(tmp)
    os.chmod(tmp_path, 0o666 & ~_umask())  # mkstemp makes 0600; outputs are shared files
    try:
        yield tmp_path
        os.replace(tmp_path, path)
    finally:
        if tmp_path.exists():
            tmp_path.unlink()


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def write_text(path: str | Path, text: str, overwrite: bool = True) -> Path:
    with atomic_path(path, overwrite) as tmp:
        tmp.write_text(text, encoding="utf-8")
    return Path(path)


def write_json(path: str | Path, data, overwrite: bool = True) -> Path:
    return write_text(path, json.dumps(data, ensure_ascii=False, indent=2, default=_json_default), overwrite)


def _json_default(o):
    if hasattr(o, "item"):
        return o.item()
    if o is pd.NA or (isinstance(o, float) and o != o):
        return None
    return str(o)


def write_table(df: pd.DataFrame, path: str | Path, overwrite: bool = True) -> Path:
    """CSV or Parquet by extension, atomically."""
    path = Path(path)
    with atomic_path(path, overwrite) as tmp:
        if path.suffix == ".parquet":
            df.to_parquet(tmp, index=False)
        else:
            df.to_csv(tmp, index=False)
    return path


def read_table(path: str | Path) -> pd.DataFrame:
    path = Path(path)
    if path.suffix == ".parquet":
        return pd.read_parquet(path)
    return pd.read_csv(path, dtype=_DTYPES, keep_default_na=False, na_values=[""])


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
        df = read_table(path)
        df = _filter(df, kode_wilayah, tahun)
        df, found = schemas.validate(df, table, berkas=path.name, raise_errors=False)
        problems += found
        out[table] = df.reset_index(drop=True)
    if problems:
        raise SPMDataError(problems)
    return out


def _filter(df: pd.DataFrame, kode_wilayah, tahun) -> pd.DataFrame:
    if kode_wilayah is not None and "kode_wilayah" in df.columns:
        codes = [kode_wilayah] if isinstance(kode_wilayah, str) else list(kode_wilayah)
        df = df[df["kode_wilayah"].isin(codes)]
    if tahun is not None and "tahun" in df.columns:
        years = [tahun] if isinstance(tahun, int) else list(tahun)
        df = df[pd.to_numeric(df["tahun"], errors="coerce").isin(years)]
    return df


def save(tables: dict[str, pd.DataFrame], data_dir: str | Path, fmt: str = "csv",
         overwrite: bool = True) -> list[Path]:
    return [write_table(df, Path(data_dir) / f"{name}.{fmt}", overwrite) for name, df in tables.items()]
