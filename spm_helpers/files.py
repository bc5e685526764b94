"""The one way anything is written: to a temporary file in the same folder, then renamed into place.

An interrupted run can never leave a half-written file, and ``overwrite=False`` refuses to replace
a file the user made (nothing is lost without an explicit choice). Tables (CSV/Parquet) are written
by :func:`spm_helpers.inputs.datastore.write_table` on top of :func:`atomic_path`.
"""
from __future__ import annotations

import json
import os
import tempfile
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

import pandas as pd

from spm_helpers.errors import SPMError


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
