"""Stage 1 (pengumpulan data): import filled OPD workbooks, merge them, and list conflicts.

Several OPDs send their own workbook for one region and year; Bappeda merges them. Each number
keeps the file it came from (``sumber_berkas``). When two files give different numbers for the
same jenis/item, both are reported and the key is left out of the merged table: the officer
decides which is right, the code never picks one silently.
"""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable, Sequence

import pandas as pd

from spm_helpers.errors import SEVERITY_ERROR, SEVERITY_WARNING, Problem, SPMDataError, SPMError
from spm_helpers.inputs.datastore import TABLES, read_table, table_path, write_table
from spm_helpers.inputs.opd_form import JUDUL, FormData, read_form
from spm_helpers.reference import regions, schemas

KEYS = {
    "sasaran": ["kode_wilayah", "tahun", "kode_jenis"],
    "ketersediaan": ["kode_wilayah", "tahun", "kode_jenis", "kode_item"],
    "harga_satuan": ["kode_wilayah", "tahun", "kode_item"],
}
NUMBERS = {"sasaran": ["jumlah_sasaran", "jumlah_terlayani"], "ketersediaan": ["jumlah_tersedia"],
           "harga_satuan": ["harga_satuan"]}
TEXTS = {"sasaran": ["sumber_data"], "ketersediaan": [], "harga_satuan": []}
PROVENANCE = "sumber_berkas"
KONFLIK_COLUMNS = ["tabel", "kode_wilayah", "tahun", "kode", "kolom", "nilai", "berkas", "sheet", "baris"]


class ImportProblems:
    """Errors vs warnings of an import result (anything with a ``problems`` list): shared by the annual and
    the quarterly import."""

    problems: list[Problem]

    @property
    def galat(self) -> list[Problem]:
        return [p for p in self.problems if p.tingkat == SEVERITY_ERROR]

    @property
    def peringatan(self) -> list[Problem]:
        return [p for p in self.problems if p.tingkat != SEVERITY_ERROR]

    @property
    def ok(self) -> bool:
        return not self.galat

    def raise_for_errors(self) -> None:
        if self.galat:
            raise SPMDataError(self.problems)


@dataclass
class HasilImpor(ImportProblems):
    """Merged tables (schema columns + ``sumber_berkas``), conflicts and every problem found."""

    kode_wilayah: str | None
    tahun: int | None
    tables: dict[str, pd.DataFrame]
    konflik: pd.DataFrame
    problems: list[Problem] = field(default_factory=list)
    berkas: dict[str, Path] = field(default_factory=dict)  # label used in problems -> file read
    jenis: list[str] = field(default_factory=list)  # jenis codes of the forms merged (what --timpa may replace)

    def ringkasan(self) -> str:
        n = {t: len(df) for t, df in self.tables.items()}
        return (f"{len(self.berkas)} berkas: {n['sasaran']} baris sasaran, {n['ketersediaan']} baris "
                f"ketersediaan, {n['harga_satuan']} baris harga satuan; {len(self.galat)} galat, "
                f"{len(self.peringatan)} peringatan, {len(self.konflik)} nilai bertentangan.")

    def _repr_html_(self) -> str:
        from html import escape

        box = SPMDataError(self.problems)._repr_html_() if self.problems else ""
        return f"<p>{escape(self.ringkasan())}</p>{box}"


def import_forms(paths: Sequence[str | Path], *, kode_wilayah: str | None = None,
                 tahun: int | None = None) -> HasilImpor:
    """Read, validate and merge OPD workbooks for one region and year (never raises for bad content).

    Without ``kode_wilayah``/``tahun`` the region and year most files were made for are used;
    a form for another region or year is an error on that file.
    """
    forms, problems = _read_all(paths)
    kode_wilayah, tahun = _expected(forms, kode_wilayah, tahun)
    usable = []
    for f in forms:
        if not f.meta:
            continue
        if (f.meta["kode_wilayah"], int(f.meta["tahun"])) != (kode_wilayah, tahun):
            problems.append(_wrong_region(f, kode_wilayah, tahun))
            continue
        usable.append(f)
    tables, konflik, found = merge(usable)
    problems += found
    jenis = list(dict.fromkeys(c for f in usable for c in f.meta.get("jenis", "").split(",") if c))
    return HasilImpor(kode_wilayah, tahun, tables, konflik, problems, {f.berkas: f.path for f in forms}, jenis)


def _read_all(paths: Sequence[str | Path]) -> tuple[list[FormData], list[Problem]]:
    resolved = [Path(p) for p in paths]
    names = [p.name for p in resolved]
    clash = {n for n, c in Counter(names).items() if c > 1}
    forms, problems, seen = [], [], set()
    for path, name in zip(resolved, names):
        label = str(path) if name in clash else name
        key = path.resolve()
        if key in seen:
            problems.append(Problem("berkas yang sama disebut dua kali; dibaca sekali saja", berkas=label,
                                    tingkat=SEVERITY_WARNING))
            continue
        seen.add(key)
        form = read_form(path, berkas=label)
        forms.append(form)
        problems += form.problems
    return forms, problems


def _expected(forms: list[FormData], kode_wilayah: str | None, tahun: int | None) -> tuple[str | None, int | None]:
    stamps = Counter((f.meta["kode_wilayah"], int(f.meta["tahun"])) for f in forms if f.meta)
    if kode_wilayah is not None:
        kode_wilayah = regions.get(kode_wilayah).kode_wilayah
    if stamps and (kode_wilayah is None or tahun is None):
        pool = [k for k in stamps.most_common() if kode_wilayah in (None, k[0][0]) and tahun in (None, k[0][1])]
        best = pool[0][0] if pool else stamps.most_common(1)[0][0]
        kode_wilayah = kode_wilayah or best[0]
        tahun = tahun if tahun is not None else best[1]
    return kode_wilayah, (int(tahun) if tahun is not None else None)


def _wrong_region(f: FormData, kode_wilayah: str, tahun: int) -> Problem:
    got = regions.get(f.meta["kode_wilayah"])
    want = regions.get(kode_wilayah)
    return Problem(f"formulir ini untuk {got.nama} ({got.kode_wilayah}) tahun {f.meta['tahun']}, bukan "
                   f"{want.nama} ({want.kode_wilayah}) tahun {tahun}; berkas ini tidak digabung",
                   berkas=f.berkas, nilai=f"{got.kode_wilayah}/{f.meta['tahun']}")


# --------------------------------------------------------------------------------------------- merge
def merge(forms: Iterable[FormData]) -> tuple[dict[str, pd.DataFrame], pd.DataFrame, list[Problem]]:
    """Combine the tidy rows of several workbooks: (tables, conflicts, problems)."""
    forms = list(forms)
    tables, konflik, problems = {}, [], []
    for table in TABLES:
        frames = [f.tables[table] for f in forms if table in f.tables and len(f.tables[table])]
        df = pd.concat(frames, ignore_index=True) if frames else _empty(table)
        merged, rows, found = merge_table(df, table)
        tables[table] = merged
        konflik += rows
        problems += found
    return tables, pd.DataFrame(konflik, columns=KONFLIK_COLUMNS), problems


def merge_table(df: pd.DataFrame, table: str) -> tuple[pd.DataFrame, list[dict], list[Problem]]:
    """One row per key; rows from several files agree or are reported as a conflict and left out."""
    keys, numbers, texts = KEYS[table], NUMBERS[table], TEXTS[table]
    out_cols = keys + numbers + texts + [PROVENANCE]
    if df.empty:
        ints = set(numbers) | {"tahun"}
        return pd.DataFrame({c: pd.Series(dtype="Int64" if c in ints else object) for c in out_cols}), [], []
    df = df.assign(_urut=range(len(df)))
    multi = df.groupby(keys, sort=False)["_berkas"].transform("nunique") > 1
    single = df[~multi].assign(**{PROVENANCE: df.loc[~multi, "_berkas"]})
    merged, konflik, problems = [single], [], []
    for key, group in df[multi].groupby(keys, sort=False):
        row, rows, found = _merge_group(group, table, numbers, texts)
        konflik += rows
        problems += found
        if row is not None:
            merged.append(row)
    out = pd.concat(merged, ignore_index=True).sort_values("_urut", kind="stable")
    return out[out_cols].reset_index(drop=True), konflik, problems


def _merge_group(group: pd.DataFrame, table: str, numbers: list[str], texts: list[str]):
    """Rows of one key from several files → (merged row or None, conflict records, problems)."""
    code = group["kode_item" if "kode_item" in group else "kode_jenis"].iloc[0]
    row = group.iloc[[0]].copy()
    konflik, problems = [], []
    for col in numbers:
        given = group[group[col].notna()]
        if given[col].nunique() > 1:
            detail = "; ".join(f"{b}: {v}" for b, v in zip(given["_berkas"], given[col]))
            for r in given.to_dict("records"):
                konflik.append({"tabel": table, "kode_wilayah": r["kode_wilayah"], "tahun": r["tahun"], "kode": code,
                                "kolom": JUDUL[col], "nilai": r[col], "berkas": r["_berkas"],
                                "sheet": r["_sheet"], "baris": r["_baris"]})
                problems.append(Problem(f"nilai bertentangan antar berkas untuk {code} ({detail}); pastikan "
                                        "yang benar lalu impor ulang", berkas=r["_berkas"], sheet=r["_sheet"],
                                        baris=int(r["_baris"]), kolom=JUDUL[col], nilai=r[col]))
        elif len(given):
            row[col] = given[col].iloc[0]
    for col in texts:
        values = list(dict.fromkeys(v for v in group[col] if isinstance(v, str) and v))
        row[col] = "; ".join(values) if values else None
    if konflik:
        return None, konflik, problems
    value_cols = numbers + texts
    contributed = group[group[value_cols].notna().any(axis=1)] if value_cols else group
    sources = list(dict.fromkeys((contributed if len(contributed) else group)["_berkas"]))
    row[PROVENANCE] = ", ".join(sources)
    others = ", ".join(dict.fromkeys(group["_berkas"].iloc[1:]))
    blank = [b for b in dict.fromkeys(group["_berkas"]) if b not in set(contributed["_berkas"])]
    if blank and len(contributed):
        text = (f"{code} juga ada di berkas {others}; di berkas {', '.join(blank)} isiannya kosong, jadi dipakai "
                f"nilai dari {', '.join(sources)}")
    elif not len(contributed):
        text = f"{code} juga ada di berkas {others}; semua salinan kosong"
    else:
        text = f"{code} juga dikirim oleh berkas {others} (nilainya sama, dihitung sekali)"
    problems.append(Problem(text, berkas=group["_berkas"].iloc[0], sheet=group["_sheet"].iloc[0],
                            baris=int(group["_baris"].iloc[0]), tingkat=SEVERITY_WARNING))
    return row, [], problems


def _empty(table: str) -> pd.DataFrame:
    df = schemas.empty(table)
    return df.assign(_berkas=pd.Series(dtype=object), _sheet=pd.Series(dtype=object),
                     _baris=pd.Series(dtype="Int64"))


# --------------------------------------------------------------------------------------------- output
def in_scope(df: pd.DataFrame, table: str, kode_wilayah: str, tahun: int, jenis: Sequence[str]) -> pd.Series:
    """Rows of ``df`` that an import of these jenis for this region and year owns (and may replace).

    Rows of other jenis (another OPD's form), regions or years are never in scope; quarterly rows
    (``triwulan``) are not either: a form holds annual numbers."""
    if df is None or df.empty:
        return pd.Series(False, index=getattr(df, "index", None), dtype=bool)
    hit = (df["kode_wilayah"].astype(str) == str(kode_wilayah)) & (pd.to_numeric(df["tahun"], errors="coerce")
                                                                  == int(tahun))
    codes = set(jenis)
    if table == "harga_satuan":
        hit &= df["kode_item"].astype(str).str.split(".").str[0].isin(codes)
    else:
        hit &= df["kode_jenis"].astype(str).isin(codes)
    if "triwulan" in df.columns:
        hit &= df["triwulan"].isna()
    return hit.astype(bool)


def _same_rows(old: pd.DataFrame, new: pd.DataFrame, table: str) -> bool:
    cols = KEYS[table] + NUMBERS[table]
    def canon(df: pd.DataFrame) -> list[tuple]:
        return sorted(tuple("" if pd.isna(v) else str(int(v)) if isinstance(v, float) and v.is_integer() else str(v)
                            for v in r) for r in df[cols].itertuples(index=False))
    return canon(old) == canon(new)


def save(hasil: HasilImpor, folder: str | Path, fmt: str = "csv", overwrite: bool = False) -> list[Path]:
    """Add the merged tables to the data folder where ``datastore.load`` finds them.

    Only the rows these forms own (their region, year and jenis) are ever replaced; rows another OPD
    imported earlier stay. Rows already there with other numbers are replaced only with ``overwrite``;
    re-importing the same numbers is harmless. Refuses when the import has errors."""
    hasil.raise_for_errors()
    folder = Path(folder)
    current, clashes = {}, []
    for table in TABLES:
        path = table_path(folder, table)
        cur = read_table(path) if path is not None else None
        current[table] = cur
        if cur is None:
            continue
        mine = in_scope(cur, table, hasil.kode_wilayah, hasil.tahun, hasil.jenis)
        if mine.any() and not _same_rows(cur[mine], hasil.tables[table], table):
            kept = int((~mine).sum())
            clashes.append(f"{path.name}: {int(mine.sum())} baris untuk jenis yang sama sudah ada dengan angka lain"
                           + (f" (dari {', '.join(map(str, dict.fromkeys(cur.loc[mine, PROVENANCE].dropna())))})"
                              if PROVENANCE in cur.columns and cur.loc[mine, PROVENANCE].notna().any() else "")
                           + f"; {kept} baris lain tidak tersentuh")
    if clashes and not overwrite:
        raise SPMError(f"Folder {folder} sudah berisi data {hasil.kode_wilayah} tahun {hasil.tahun} untuk jenis "
                       f"{', '.join(hasil.jenis)} dari impor sebelumnya: " + "; ".join(clashes) + ". Tidak ada yang "
                       "ditulis. Periksa mana yang benar. Bila formulir yang sekarang benar, jalankan lagi dengan "
                       "--timpa: hanya baris jenis di formulir ini yang diganti, baris OPD dan jenis lain tetap.")
    out = []
    for table in TABLES:
        cur = current[table]
        rows = hasil.tables[table]
        if cur is not None and len(cur):
            rest = cur[~in_scope(cur, table, hasil.kode_wilayah, hasil.tahun, hasil.jenis)]
            rows = pd.concat([rest, rows], ignore_index=True) if len(rest) else rows
        out.append(write_table(rows, folder / f"{table}.{fmt}", overwrite=True))
        other = folder / f"{table}.{'csv' if fmt == 'parquet' else 'parquet'}"
        if other.exists():  # read above and carried over; a stale copy would shadow the new one
            other.unlink()
    return out


def upsert(current: pd.DataFrame, rows: pd.DataFrame, table: str) -> pd.DataFrame:
    """``current`` with ``rows`` replacing the rows of the same key (added when new); order is kept."""
    keys = KEYS[table]
    if current is None or current.empty:
        return rows.reset_index(drop=True)
    new_keys = set(map(tuple, rows[keys].astype(str).to_numpy()))
    hit = pd.Series([tuple(k) in new_keys for k in current[keys].astype(str).to_numpy()], index=current.index,
                    dtype=bool)
    if "triwulan" in current.columns and "triwulan" not in rows.columns:
        hit &= current["triwulan"].isna()  # annual rows replace annual rows; quarters stay
    kept = current[~hit]
    return pd.concat([kept, rows], ignore_index=True)
