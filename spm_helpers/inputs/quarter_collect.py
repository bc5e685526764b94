"""Import filled quarterly workbooks (``quarter_form``), merge them, list conflicts, and save the tables.

The rules are those of ``inputs.collect`` for the annual forms:
- every row keeps the file it came from (``sumber_berkas``);
- the same key (anggaran: jenis + sumber dana; permasalahan: jenis + problem text; tahapan: stage) sent by two
  files with the same values is merged and counted once (a warning says so); with different values both rows
  are reported with their locations and the key is left out: the officer decides, the code never picks one;
- a form for another region, year or quarter is an error on that file and is not merged;
- ``save`` replaces only the rows the imported forms own — their region, year and quarter, and their OPD's
  jenis (the stages for Bappeda's form) — never another OPD's rows; rows already there with other values are
  replaced only with ``overwrite`` (``--timpa``); a table is never shrunk without that choice; every file is
  written atomically, after all checks passed.

One addition, because a ``tahapan`` row carries a stage's *latest* status for the year (no quarter column):
a form that only moves a stage forward (belum dimulai → dalam proses → selesai, or fills a blank date or
document number) updates it without ``--timpa``, and says so; going back, or changing a date or number already
there, is refused like any other difference. So each quarter's Bappeda form can be imported in turn, and an
older form imported after a newer one cannot silently undo it.
"""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable, Sequence

import pandas as pd

from spm_helpers.errors import SEVERITY_WARNING, Problem, SPMDataError, SPMError
from spm_helpers.inputs.collect import ImportProblems
from spm_helpers.inputs.datastore import QUARTER_TABLES, read_table, table_path, write_table
from spm_helpers.inputs.quarter_form import JUDUL, QuarterFormData, read_form
from spm_helpers.reference import quarter as q
from spm_helpers.reference import regions, schemas

KEYS = {
    "anggaran": ["kode_wilayah", "tahun", "triwulan", "kode_jenis", "sumber_dana"],
    "permasalahan": ["kode_wilayah", "tahun", "triwulan", "kode_jenis", "permasalahan"],
    "tahapan": ["kode_wilayah", "tahun", "tahapan"],
}
VALUES = {"anggaran": ["alokasi", "realisasi"], "permasalahan": ["solusi", "status"],
          "tahapan": ["status", "tanggal", "nomor_dokumen"]}
JOINED = {"anggaran": ["keterangan"], "permasalahan": [], "tahapan": []}  # free notes: joined, never a conflict
PROVENANCE = "sumber_berkas"
KONFLIK_COLUMNS = ["tabel", "kode_wilayah", "tahun", "triwulan", "kode", "kolom", "nilai", "berkas", "sheet", "baris"]
_RANK = {s: i for i, s in enumerate(q.STATUS_TAHAPAN)}
_LABEL = {"anggaran": "anggaran", "permasalahan": "permasalahan", "tahapan": "tahapan"}


@dataclass
class HasilImporTriwulan(ImportProblems):
    """Merged tables (schema columns + ``sumber_berkas``), conflicts, every problem, and what the import owns."""

    kode_wilayah: str | None
    tahun: int | None
    triwulan: int | None
    tables: dict[str, pd.DataFrame]
    konflik: pd.DataFrame
    problems: list[Problem] = field(default_factory=list)
    berkas: dict[str, Path] = field(default_factory=dict)  # label used in problems -> file read
    jenis: list[str] = field(default_factory=list)  # jenis of the merged forms: the anggaran/permasalahan rows owned
    tahapan: bool = False  # a Bappeda form was merged: the year's stage rows are owned
    catatan: list[str] = field(default_factory=list)  # set by ``save``: stages moved forward in the folder

    def ringkasan(self) -> str:
        n = {t: len(df) for t, df in self.tables.items()}
        when = (f"{self.kode_wilayah} tahun {self.tahun} {q.nama_triwulan(self.triwulan)}: "
                if self.kode_wilayah and self.tahun and self.triwulan else "")
        return (f"{when}{len(self.berkas)} berkas: {n['anggaran']} baris anggaran, {n['permasalahan']} baris "
                f"permasalahan, {n['tahapan']} baris tahapan; {len(self.galat)} galat, {len(self.peringatan)} "
                f"peringatan, {len(self.konflik)} nilai bertentangan.")

    def _repr_html_(self) -> str:
        from html import escape

        box = SPMDataError(self.problems)._repr_html_() if self.problems else ""
        return f"<p>{escape(self.ringkasan())}</p>{box}"


def import_forms(paths: Sequence[str | Path], *, kode_wilayah: str | None = None, tahun: int | None = None,
                 triwulan: int | None = None) -> HasilImporTriwulan:
    """Read, validate and merge quarterly workbooks for one region, year and quarter (never raises for bad
    content). Without the expected region/year/quarter, the one most files were made for is used; a form for
    another one is an error on that file."""
    forms, problems = _read_all(paths)
    want = _expected(forms, kode_wilayah, tahun, triwulan)
    usable = []
    for f in forms:
        if not f.meta:
            continue
        if _stamp(f) != want:
            problems.append(_wrong_quarter(f, *want))
            continue
        usable.append(f)
    tables, konflik, found = merge(usable)
    problems += found
    jenis = list(dict.fromkeys(c for f in usable for c in f.jenis))
    return HasilImporTriwulan(*want, tables, konflik, problems, {f.berkas: f.path for f in forms}, jenis,
                              any(f.has_tahapan for f in usable))


def _stamp(f: QuarterFormData) -> tuple[str, int, int]:
    return f.meta["kode_wilayah"], int(f.meta["tahun"]), int(f.meta["triwulan"])


def _read_all(paths: Sequence[str | Path]) -> tuple[list[QuarterFormData], list[Problem]]:
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


def _expected(forms: list[QuarterFormData], kode_wilayah, tahun, triwulan) -> tuple[str | None, int | None,
                                                                                    int | None]:
    if kode_wilayah is not None:
        kode_wilayah = regions.get(kode_wilayah).kode_wilayah
    tahun = None if tahun is None else int(tahun)
    triwulan = None if triwulan is None else q.check_triwulan(triwulan)
    stamps = Counter(_stamp(f) for f in forms if f.meta)
    given = (kode_wilayah, tahun, triwulan)
    if stamps and None in given:
        pool = [s for s, _ in stamps.most_common() if all(g in (None, v) for g, v in zip(given, s))]
        best = pool[0] if pool else stamps.most_common(1)[0][0]
        given = tuple(g if g is not None else b for g, b in zip(given, best))
    return given  # type: ignore[return-value]


def _wrong_quarter(f: QuarterFormData, kode_wilayah: str, tahun: int, triwulan: int) -> Problem:
    got, want = regions.get(f.meta["kode_wilayah"]), regions.get(kode_wilayah)
    return Problem(f"formulir ini untuk {got} tahun {f.meta['tahun']} {q.nama_triwulan(int(f.meta['triwulan']))}, "
                   f"bukan {want} tahun {tahun} {q.nama_triwulan(triwulan)}; berkas ini tidak digabung",
                   berkas=f.berkas, nilai="/".join(map(str, _stamp(f))))


# --------------------------------------------------------------------------------------------- merge
def merge(forms: Iterable[QuarterFormData]) -> tuple[dict[str, pd.DataFrame], pd.DataFrame, list[Problem]]:
    """Combine the tidy rows of several workbooks: (tables, conflicts, problems)."""
    forms = list(forms)
    tables, konflik, problems = {}, [], []
    for table in QUARTER_TABLES:
        frames = [f.tables[table] for f in forms if table in f.tables and len(f.tables[table])]
        df = pd.concat(frames, ignore_index=True) if frames else _empty(table)
        merged, rows, found = merge_table(df, table)
        tables[table] = merged
        konflik += rows
        problems += found
    return tables, pd.DataFrame(konflik, columns=KONFLIK_COLUMNS), problems


def output_columns(table: str) -> list[str]:
    return KEYS[table] + VALUES[table] + JOINED[table] + [PROVENANCE]


def _empty_output(table: str) -> pd.DataFrame:
    ints = set(schemas.SPECS[table].integers)
    return pd.DataFrame({c: pd.Series(dtype="Int64" if c in ints else object) for c in output_columns(table)})


def merge_table(df: pd.DataFrame, table: str) -> tuple[pd.DataFrame, list[dict], list[Problem]]:
    """One row per key; rows of one key from several files agree or are reported as a conflict and left out."""
    keys = KEYS[table]
    if df.empty:
        return _empty_output(table), [], []
    for c in JOINED[table]:
        if c not in df.columns:
            df = df.assign(**{c: None})
    df = df.assign(_urut=range(len(df)), _kunci=_key_text(df, keys))
    multi = df.groupby("_kunci", sort=False)["_berkas"].transform("nunique") > 1
    single = df[~multi].assign(**{PROVENANCE: df.loc[~multi, "_berkas"]})
    merged, konflik, problems = [single], [], []
    for _, group in df[multi].groupby("_kunci", sort=False):
        row, rows, found = _merge_group(group, table)
        konflik += rows
        problems += found
        if row is not None:
            merged.append(row)
    out = pd.concat(merged, ignore_index=True).sort_values("_urut", kind="stable")
    return out[output_columns(table)].reset_index(drop=True), konflik, problems


def _key_text(df: pd.DataFrame, keys: list[str]) -> pd.Series:
    """The key as one string; a blank part (the problem text of a 'tidak ada permasalahan' row) is a value too."""
    parts = [df[k].map(lambda v: "" if v is None or pd.isna(v) else str(v)) for k in keys]
    return pd.Series(["\x1f".join(t) for t in zip(*parts)], index=df.index)


def _code(r: dict, table: str) -> str:
    if table == "tahapan":
        return q.NAMA_TAHAPAN.get(str(r["tahapan"]), str(r["tahapan"]))
    return f"{r['kode_jenis']} {r['sumber_dana']}" if table == "anggaran" else f"{r['kode_jenis']}"


def _merge_group(group: pd.DataFrame, table: str):
    """Rows of one key from several files → (merged row or None, conflict records, problems)."""
    row = group.iloc[[0]].copy()
    first = group.iloc[0].to_dict()
    code = _code(first, table)
    konflik, problems = [], []
    for col in VALUES[table]:
        given = group[group[col].notna()]
        if given[col].astype(str).nunique() > 1:
            detail = "; ".join(f"{b}: {v}" for b, v in zip(given["_berkas"], given[col]))
            for r in given.to_dict("records"):
                konflik.append({"tabel": table, "kode_wilayah": r["kode_wilayah"], "tahun": r["tahun"],
                                "triwulan": r.get("triwulan"), "kode": code, "kolom": JUDUL[table][col],
                                "nilai": r[col], "berkas": r["_berkas"], "sheet": r["_sheet"], "baris": r["_baris"]})
                problems.append(Problem(f"nilai bertentangan antar berkas untuk {code} ({detail}); pastikan yang "
                                        "benar lalu impor ulang", berkas=r["_berkas"], sheet=r["_sheet"],
                                        baris=int(r["_baris"]), kolom=JUDUL[table][col], nilai=r[col]))
        elif len(given):
            row[col] = given[col].iloc[0]
    for col in JOINED[table]:
        values = list(dict.fromkeys(v for v in group[col] if isinstance(v, str) and v))
        row[col] = "; ".join(values) if values else None
    if konflik:
        return None, konflik, problems
    files = list(dict.fromkeys(group["_berkas"]))
    row[PROVENANCE] = ", ".join(files)
    problems.append(Problem(f"{code} juga dikirim oleh berkas {', '.join(files[1:])} (isinya sama, dihitung sekali)",
                            berkas=first["_berkas"], sheet=first["_sheet"], baris=int(first["_baris"]),
                            tingkat=SEVERITY_WARNING))
    return row, [], problems


def _empty(table: str) -> pd.DataFrame:
    df = schemas.empty(table)
    return df.assign(_berkas=pd.Series(dtype=object), _sheet=pd.Series(dtype=object),
                     _baris=pd.Series(dtype="Int64"))


# --------------------------------------------------------------------------------------------- scope
def in_scope(df: pd.DataFrame | None, table: str, kode_wilayah: str, tahun: int, triwulan: int,
             jenis: Sequence[str], tahapan: bool) -> pd.Series:
    """Rows of ``df`` that an import of these forms owns (and may replace): for anggaran and permasalahan the
    region, year, quarter and the forms' jenis; for tahapan the region's stage rows of that year, and only when
    a Bappeda form was imported. Rows of another OPD's jenis, region, year or quarter are never in scope."""
    if df is None or df.empty:
        return pd.Series(False, index=getattr(df, "index", None), dtype=bool)
    hit = (df["kode_wilayah"].astype(str) == str(kode_wilayah)) & (pd.to_numeric(df["tahun"], errors="coerce")
                                                                  == int(tahun))
    if table == "tahapan":
        return (hit & bool(tahapan)).astype(bool)
    hit &= pd.to_numeric(df["triwulan"], errors="coerce") == int(triwulan)
    return (hit & df["kode_jenis"].astype(str).isin(set(jenis))).fillna(False).astype(bool)


def _canon(v) -> str:
    if v is None or v is pd.NA or (isinstance(v, float) and v != v):
        return ""
    if isinstance(v, float) and v.is_integer():
        return str(int(v))
    return str(v).strip()


def canonical(df: pd.DataFrame | None, table: str) -> list[tuple]:
    """The rows as sorted tuples of text over keys and values: what 'the same rows' means."""
    if df is None or df.empty:
        return []
    cols = [c for c in KEYS[table] + VALUES[table] + JOINED[table] if c in df.columns]
    extra = [c for c in JOINED[table] if c not in df.columns]
    return sorted(tuple(_canon(v) for v in r) + ("",) * len(extra) for r in df[cols].itertuples(index=False))


def _stage_moves(old: pd.DataFrame, new: pd.DataFrame) -> tuple[list[str], list[str]]:
    """(forward updates, refused differences) between the stored stage rows and the imported ones."""
    old_by = {str(r["tahapan"]): r for r in old.to_dict("records")}
    new_by = {str(r["tahapan"]): r for r in new.to_dict("records")}
    forward, refused = [], []
    for stage, o in old_by.items():
        name = q.NAMA_TAHAPAN.get(stage, stage)
        n = new_by.get(stage)
        if n is None:
            refused.append(f"{name} ada di folder ({_canon(o['status'])}) tetapi kosong di formulir")
            continue
        before = [_canon(o.get(c)) for c in VALUES["tahapan"]]
        after = [_canon(n.get(c)) for c in VALUES["tahapan"]]
        if before == after:
            continue
        r_old, r_new = _RANK.get(before[0], -1), _RANK.get(after[0], -1)
        fills = all(b in ("", a) for b, a in zip(before[1:], after[1:]))
        if r_new > r_old or (r_new == r_old and fills):
            forward.append(f"{name}: {before[0] or 'kosong'} → {after[0]}"
                           + (f" ({after[1]})" if after[1] else ""))
        else:
            refused.append(f"{name}: di folder '{before[0]}' {before[1]} {before[2]}".rstrip()
                           + f", di formulir '{after[0]}' {after[1]} {after[2]}".rstrip())
    return forward, refused


# --------------------------------------------------------------------------------------------- save
def save(hasil: HasilImporTriwulan, folder: str | Path, fmt: str = "csv", overwrite: bool = False,
         dasar: dict[str, pd.DataFrame] | None = None) -> list[Path]:
    """Add the merged quarterly tables to the data folder where ``datastore.load`` finds them.

    Only the rows these forms own are ever replaced (``in_scope``); other OPDs', regions', years' and
    quarters' rows stay as they are. Rows already there with other values are replaced only with
    ``overwrite`` — except a stage moved forward (module docstring). ``dasar``: the owned rows as an editor
    (the notebook widget) loaded them; the edit replaces them when the folder still holds exactly those, and
    is refused when someone changed them meanwhile. Refuses when the import has errors; checks everything
    before writing anything, and writes each file atomically; a file whose rows would not change is not
    rewritten. Returns the paths written; also sets
    ``hasil.problems`` notes for forward stage updates."""
    hasil.raise_for_errors()
    if fmt not in ("csv", "parquet"):
        raise SPMError(f"format harus csv atau parquet (bukan '{fmt}')")
    folder = Path(folder)
    scope = (hasil.kode_wilayah, hasil.tahun, hasil.triwulan, hasil.jenis, hasil.tahapan)
    current, unchanged, clashes, notes = {}, set(), [], []
    for table in QUARTER_TABLES:
        path = table_path(folder, table)
        cur = read_table(path) if path is not None else None
        current[table] = cur
        mine = in_scope(cur, table, *scope)
        old, new = (cur[mine] if cur is not None else None), hasil.tables[table]
        if cur is not None and canonical(old, table) == canonical(new, table):
            unchanged.add(table)  # nothing to write: the file is left exactly as it is
        if dasar is not None:
            if canonical(old, table) != canonical(dasar.get(table), table):
                clashes.append(f"{table}: {int(mine.sum())} baris {_LABEL[table]} di folder berubah sejak isian "
                               "dibuka (mis. ada impor formulir lain)")
            continue
        if not mine.any() or canonical(old, table) == canonical(new, table):
            continue
        if table == "tahapan":
            forward, refused = _stage_moves(old, new)
            if not refused:
                notes += forward
                continue
            detail = "; ".join(refused)
        else:
            detail = _difference(old, new, table)
        src = (f" (dari {', '.join(map(str, dict.fromkeys(cur.loc[mine, PROVENANCE].dropna())))})"
               if PROVENANCE in cur.columns and cur.loc[mine, PROVENANCE].notna().any() else "")
        clashes.append(f"{path.name}: {int(mine.sum())} baris sudah ada dengan isi lain{src}: {detail}; "
                       f"{int((~mine).sum())} baris lain tidak tersentuh")
    if clashes and dasar is not None:
        raise SPMError("Tidak disimpan: " + "; ".join(clashes) + ". Muat ulang isian, periksa, lalu simpan lagi.")
    if clashes and not overwrite:
        raise SPMError(f"Folder {folder} sudah berisi data {hasil.kode_wilayah} tahun {hasil.tahun} "
                       f"{q.nama_triwulan(hasil.triwulan)} dari impor sebelumnya: " + " | ".join(clashes)
                       + ". Tidak ada yang ditulis. Periksa mana yang benar. Bila formulir yang sekarang benar, "
                       "jalankan lagi dengan --timpa: hanya baris milik formulir ini (wilayah, tahun, triwulan dan "
                       "jenis OPD-nya; tahapan untuk formulir Bappeda) yang diganti, baris OPD lain tetap.")
    hasil.catatan = [f"tahapan diperbarui: {n}" for n in notes]
    out = []
    for table in QUARTER_TABLES:
        cur, rows = current[table], hasil.tables[table]
        if table in unchanged or (cur is None and rows.empty):
            continue  # the same rows already there, or nothing to say and no table yet
        if cur is not None and len(cur):
            rest = cur[~in_scope(cur, table, *scope)]
            rows = pd.concat([rest, rows], ignore_index=True) if len(rest) else rows
        out.append(write_table(_whole_numbers(rows, table), folder / f"{table}.{fmt}", overwrite=True))
        other = folder / f"{table}.{'csv' if fmt == 'parquet' else 'parquet'}"
        if other.exists():  # read above and carried over; a stale copy would shadow the new one
            other.unlink()
    return out


def _whole_numbers(df: pd.DataFrame, table: str) -> pd.DataFrame:
    """Integer columns as Int64, so a blank cell does not turn every stored rupiah into '4477000.0'."""
    df = df.reset_index(drop=True)
    for col in schemas.SPECS[table].integers:
        if col in df.columns:
            df[col] = pd.to_numeric(df[col], errors="coerce").astype("Int64")
    return df


def _difference(old: pd.DataFrame, new: pd.DataFrame, table: str, limit: int = 3) -> str:
    """A short account of what would change: keys only in the folder, only in the forms, or with other values."""
    keys = KEYS[table]
    o = {tuple(_canon(v) for v in r[:len(keys)]): r for r in canonical(old, table)}
    n = {tuple(_canon(v) for v in r[:len(keys)]): r for r in canonical(new, table)}
    gone = [k for k in o if k not in n]
    changed = [k for k in o if k in n and o[k] != n[k]]
    added = [k for k in n if k not in o]

    def name(k: tuple) -> str:
        return " ".join(x for x in k[-2:] if x) or "?"

    parts = []
    if changed:
        parts.append(f"{len(changed)} baris berubah ({', '.join(map(name, changed[:limit]))})")
    if gone:
        parts.append(f"{len(gone)} baris di folder tidak ada di formulir dan akan hilang "
                     f"({', '.join(map(name, gone[:limit]))})")
    if added:
        parts.append(f"{len(added)} baris baru")
    return ", ".join(parts) or "isi berbeda"
