"""Population by age group and sex: the tables a region already holds (BPS / Dukcapil), read into one tidy table.

The tidy ``penduduk`` table (pandera schema in ``schemas``): kode_wilayah, tahun, kelompok_umur ('0-4' …
'70-74', '75+', or a single year '7'), jenis_kelamin ('L'/'P'), jumlah, optionally kecamatan and sumber_data.

``read_penduduk(path, kode_wilayah, tahun)`` reads what officers download or type:
- a sheet laid out as **Kelompok Umur | Laki-laki | Perempuan | Jumlah** (title rows above the header, a two-row
  header 'Jenis Kelamin' over 'Laki-laki | Perempuan', notes like 'Sumber: …' below), 5-year groups or single
  years, Indonesian numbers (1.234), a **total row** ('Jumlah'/'Total') that is checked against the sum and the
  Jumlah column checked against Laki-laki + Perempuan;
- kecamatan rows: a 'Kecamatan' column, or one sheet per kecamatan (a sheet named 'Rekap'/'Total'/'Jumlah' is
  then the region total, checked against the kecamatan sum);
- the tidy table itself as CSV (e.g. a national file), filtered to the region;
from .xlsx or .csv (comma or semicolon). Every problem is located (file, sheet, row, column); nothing is
dropped: a row that is neither an age group, a total, nor a note is an error, and a sheet without a table is
reported. Groups above 75 (75–79, 80+ …) are summed into the open group 75+.

``contoh_penduduk(...)`` makes deterministic synthetic age tables (*data contoh (sintetis)*) for any of the 552
regions, consistent with the Dukcapil totals of ``datasets/wilayah`` (exactly equal in 2024).
"""
from __future__ import annotations

import csv
import datetime as dt
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import numpy as np
import pandas as pd

from spm_helpers import DEMO_LABEL
from spm_helpers.errors import SEVERITY_ERROR, SEVERITY_WARNING, Problem, SPMDataError
from spm_helpers.paths import datasets_dir
from spm_helpers.reference import regions
from spm_helpers.reference.age_groups import (
    DASHES,
    JUMLAH_KELOMPOK,
    KELOMPOK_UMUR,
    UMUR_TERBUKA,
    kelompok_index,
    label_umur,
    parse_umur,
)

KOLOM_PENDUDUK = ["kode_wilayah", "tahun", "kecamatan", "kelompok_umur", "jenis_kelamin", "jumlah"]
TAHUN_DASAR_CONTOH = 2024  # Dukcapil December 2024 totals
DEFAULT_SEED = 2024
BERKAS_CONTOH = "contoh_penduduk.csv"


def penduduk_dir() -> Path:
    return datasets_dir() / "penduduk"


# ----------------------------------------------------------------------------- age labels
# ----------------------------------------------------------------------------- reading
@dataclass
class HasilPenduduk:
    """A population table read: the tidy rows, warnings (never errors: those raise) and notes on the file."""

    tabel: pd.DataFrame
    masalah: list[Problem] = field(default_factory=list)
    catatan: list[str] = field(default_factory=list)


_TOTAL = re.compile(r"^(jumlah|total|jumlah total|total keseluruhan|jumlah seluruhnya|grand total)\b")
_NOTE = re.compile(r"^(sumber|catatan|keterangan|ket\.|note|\*)")
_REKAP = re.compile(r"^(rekap|rekapitulasi|total|jumlah|kabupaten|kota|semua)\b")


def _norm(v) -> str:
    return re.sub(r"\s+", " ", str(v).translate(DASHES)).strip().lower() if v is not None else ""


def _nama_kecamatan(v) -> str:
    """Kecamatan name for comparing: no 'Kecamatan'/'Kec.' prefix, case and spacing ignored."""
    s = _norm(v)
    s = re.sub(r"^(kecamatan|kec\.?)\s*:?\s*", "", s)
    return re.sub(r"[^0-9a-z]+", " ", s).strip()


def _is_blank(v) -> bool:
    return v is None or (isinstance(v, float) and np.isnan(v)) or (isinstance(v, str) and not v.strip())


@dataclass
class _Header:
    row: int  # index in the grid of the last header row
    umur: int
    laki: int
    perempuan: int
    jumlah: int | None
    kecamatan: int | None
    judul: dict[int, str]


def _find_header(grid: list[list], limit: int = 25) -> _Header | None:
    for i, row in enumerate(grid[:limit]):
        cells = [_norm(c) for c in row]
        umur = next((j for j, c in enumerate(cells) if re.search(r"(kelompok\s*)?(umur|usia)", c)
                     and "jumlah" not in c), None)
        if umur is None:
            continue
        for k in (i, i + 1):  # sex columns on the same row or on a second header row
            if k >= len(grid):
                break
            sub = [_norm(c) for c in grid[k]]
            laki = next((j for j, c in enumerate(sub) if re.fullmatch(r"laki.*|lk\.?|l|pria", c)), None)
            pr = next((j for j, c in enumerate(sub) if re.fullmatch(r"perempuan.*|pr\.?|p|wanita", c)), None)
            if laki is None or pr is None:
                continue
            jumlah = next((j for j, c in enumerate(sub) if re.fullmatch(r"jumlah.*|total|l\s*\+\s*p", c)), None)
            if jumlah is None and k != i:
                jumlah = next((j for j, c in enumerate(cells) if re.fullmatch(r"jumlah.*|total|l\s*\+\s*p", c)
                               and j not in (laki, pr)), None)
            kec = next((j for j, c in enumerate(cells) if re.fullmatch(r"(nama\s*)?kecamatan|kec\.?", c)), None)
            judul = {j: str(grid[k][j] if not _is_blank(grid[k][j]) else grid[i][j]).strip()
                     for j in (umur, laki, pr, jumlah, kec) if j is not None and j < len(grid[k])}
            judul[umur] = str(grid[i][umur]).strip()
            if kec is not None:
                judul[kec] = str(grid[i][kec]).strip()
            return _Header(k, umur, laki, pr, jumlah, kec, judul)
        return _Header(i, umur, -1, -1, None, None, {umur: str(grid[i][umur]).strip()})
    return None


def _angka(value, where: dict, kolom: str, problems: list[Problem], tingkat: str = SEVERITY_ERROR):
    from spm_helpers.inputs.workbook import parse_number

    if isinstance(value, str) and value.strip().startswith("="):
        problems.append(Problem("berisi rumus, bukan angka: ketik angkanya (rumus tidak dihitung ulang)",
                                kolom=kolom, nilai=value, tingkat=tingkat, **where))
        return None
    number, alasan = parse_number(value, "bulat")
    if alasan:
        problems.append(Problem(f"bukan jumlah penduduk yang sah: {alasan}", kolom=kolom, nilai=value,
                                tingkat=tingkat, **where))
        return None
    if number is pd.NA:
        return None
    if number < 0:
        problems.append(Problem("jumlah penduduk tidak boleh negatif", kolom=kolom, nilai=value, tingkat=tingkat,
                                **where))
        return None
    return int(number)


def _parse_grid(grid: list[list], rownum: list[int], berkas: str, sheet: str | None, kecamatan: str | None,
                problems: list[Problem], catatan: list[str]) -> tuple[list[dict], list[dict]] | None:
    """Age rows and total rows of one wide table (None when the grid has no age table)."""
    h = _find_header(grid)
    if h is None:
        return None
    where0 = {"berkas": berkas, "sheet": sheet}
    if h.laki < 0:
        problems.append(Problem("kolom 'Laki-laki' dan 'Perempuan' tidak ditemukan di samping kolom kelompok umur",
                                baris=rownum[h.row], kolom=h.judul[h.umur], **where0))
        return [], []
    j = h.judul
    rows, totals = [], []
    for gi in range(h.row + 1, len(grid)):
        r = grid[gi]
        def cell(c, r=r):
            return r[c] if c is not None and c < len(r) else None

        where = {**where0, "baris": rownum[gi]}
        if all(_is_blank(c) for c in r):
            continue
        age = cell(h.umur)
        kec = kecamatan if h.kecamatan is None else cell(h.kecamatan)
        text = _norm(age)
        first = next((_norm(c) for c in r if not _is_blank(c)), "")
        if _NOTE.match(first) and all(_is_blank(cell(c)) for c in (h.laki, h.perempuan)):
            catatan.append(f"{sheet + ': ' if sheet else ''}{str(next(c for c in r if not _is_blank(c))).strip()}")
            continue
        is_total = bool(_TOTAL.match(text)) or (_is_blank(age) and h.kecamatan is not None
                                                 and bool(_TOTAL.match(_norm(kec))))
        if isinstance(age, (dt.datetime, dt.date)):
            problems.append(Problem("kelompok umur terbaca sebagai tanggal (Excel mengubah '5-9' menjadi tanggal): "
                                    "format kolom ini sebagai Teks lalu ketik ulang", kolom=j[h.umur],
                                    nilai=str(age.date() if isinstance(age, dt.datetime) else age), **where))
            continue
        level = SEVERITY_WARNING if is_total else SEVERITY_ERROR  # a total row is only a check
        lk = _angka(cell(h.laki), where, j[h.laki], problems, level)
        pr = _angka(cell(h.perempuan), where, j[h.perempuan], problems, level)
        jm = None if h.jumlah is None else _angka(cell(h.jumlah), where, j[h.jumlah], problems, level)
        rec = {"kecamatan": None if _is_blank(kec) or is_total and h.kecamatan is not None and _TOTAL.match(_norm(kec))
               else str(kec).strip(), "L": lk, "P": pr, "J": jm, "baris": rownum[gi], "sheet": sheet}
        if is_total:
            totals.append(rec)
            continue
        parsed = parse_umur(age)
        if parsed is None:
            alasan = "kelompok umur kosong" if _is_blank(age) else \
                "kelompok umur tidak dikenal (contoh yang benar: '0-4', '5-9', '75+', atau umur tunggal '7')"
            problems.append(Problem(alasan, kolom=j[h.umur], nilai=None if _is_blank(age) else age, **where))
            continue
        if h.kecamatan is not None and rec["kecamatan"] is None:
            problems.append(Problem("nama kecamatan kosong", kolom=j[h.kecamatan], **where))
            continue
        if lk is None or pr is None:
            if _is_blank(cell(h.laki)) or _is_blank(cell(h.perempuan)):
                problems.append(Problem("jumlah laki-laki atau perempuan kosong; isi 0 bila memang tidak ada",
                                        kolom=j[h.laki] if _is_blank(cell(h.laki)) else j[h.perempuan], **where))
            continue
        if jm is not None and jm != lk + pr:
            problems.append(Problem(f"Laki-laki + Perempuan ({lk + pr:,}) tidak sama dengan Jumlah ({jm:,})"
                                    .replace(",", "."), kolom=j[h.jumlah], nilai=cell(h.jumlah), **where))
        rows.append({**rec, "umur": parsed, "kolom_umur": j[h.umur], "judul": j})
    return rows, totals


def _check_table(rows: list[dict], totals: list[dict], berkas: str, problems: list[Problem]) -> None:
    """Per kecamatan (or the whole table): no duplicate group, every group present, totals add up."""
    by_kec: dict[str | None, list[dict]] = {}
    for r in rows:
        by_kec.setdefault(_nama_kecamatan(r["kecamatan"]) if r["kecamatan"] else None, []).append(r)
    for kec, rs in by_kec.items():
        seen: dict[str, dict] = {}
        for r in rs:
            lab = label_umur(*r["umur"])
            lo, hi = r["umur"]
            if lo >= UMUR_TERBUKA:  # 75-79, 80-84, 85+ … are summed into 75+
                lab = f"{lo}-{hi}"
            if lab in seen:
                problems.append(Problem(f"kelompok umur {label_umur(lo, hi)} muncul dua kali (juga di baris "
                                        f"{seen[lab]['baris']})", berkas=berkas, sheet=r["sheet"], baris=r["baris"],
                                        kolom=r["kolom_umur"], nilai=label_umur(lo, hi)))
            seen.setdefault(lab, r)
        where = {"berkas": berkas, "sheet": rs[0]["sheet"]}
        name = f" kecamatan {rs[0]['kecamatan']}" if kec else ""
        singles = {r["umur"][0] for r in rs if r["umur"][0] == r["umur"][1] and r["umur"][0] < UMUR_TERBUKA}
        groups = {int(kelompok_index([r["umur"][0]], [r["umur"][1]])[0]) for r in rs
                  if not (r["umur"][0] == r["umur"][1] and r["umur"][0] < UMUR_TERBUKA)}
        if -1 in groups:
            for r in rs:
                if int(kelompok_index([r["umur"][0]], [r["umur"][1]])[0]) == -1 and r["umur"][0] != r["umur"][1]:
                    problems.append(Problem("kelompok umur harus 5 tahunan (0-4, 5-9, …, 70-74, 75+) atau umur "
                                            "tunggal", berkas=berkas, sheet=r["sheet"], baris=r["baris"],
                                            kolom=r["kolom_umur"], nilai=label_umur(*r["umur"])))
        if singles and groups - {JUMLAH_KELOMPOK - 1, -1}:
            problems.append(Problem(f"tabel{name} mencampur umur tunggal dan kelompok 5 tahun; pakai salah satu",
                                    **where))
        elif singles:
            missing = [str(a) for a in range(UMUR_TERBUKA) if a not in singles]
            if JUMLAH_KELOMPOK - 1 not in groups:
                missing.append(f"{UMUR_TERBUKA}+")
            if missing:
                problems.append(Problem(f"umur tunggal{name} tidak lengkap: tidak ada baris umur "
                                        f"{', '.join(missing[:12])}{' …' if len(missing) > 12 else ''}", **where))
        else:
            missing = [KELOMPOK_UMUR[i] for i in range(JUMLAH_KELOMPOK) if i not in groups]
            if missing:
                problems.append(Problem(f"kelompok umur{name} tidak lengkap: tidak ada baris "
                                        f"{', '.join(m.replace('-', '–') for m in missing)}", **where))
    for t in totals:
        kec = _nama_kecamatan(t["kecamatan"]) if t["kecamatan"] else None
        rs = [r for r in rows if kec is None or (_nama_kecamatan(r["kecamatan"]) if r["kecamatan"] else None) == kec]
        if kec is None and t["sheet"] is not None:
            rs = [r for r in rs if r["sheet"] == t["sheet"]]
        judul = rs[0]["judul"] if rs else {}
        for key, col in (("L", "laki"), ("P", "perempuan"), ("J", "jumlah")):
            if t[key] is None or not rs:
                continue
            got = sum((r["L"] or 0) + (r["P"] or 0) if key == "J" else (r[key] or 0) for r in rs)
            if got != t[key]:
                kolom = next((v for k, v in judul.items() if _norm(v).startswith(col[:4])), col)
                problems.append(Problem(f"baris jumlah tidak sama dengan jumlah baris kelompok umur di atasnya "
                                        f"({got:,} menurut penjumlahan)".replace(",", "."), berkas=berkas,
                                        sheet=t["sheet"], baris=t["baris"], kolom=kolom, nilai=t[key]))


def _records(rows: list[dict], kode_wilayah: str, tahun: int, berkas: str) -> pd.DataFrame:
    out = []
    for r in rows:
        lab = label_umur(*r["umur"])
        for jk in ("L", "P"):
            out.append({"kode_wilayah": kode_wilayah, "tahun": tahun, "kecamatan": r["kecamatan"],
                        "kelompok_umur": lab, "jenis_kelamin": jk, "jumlah": r[jk], "_berkas": berkas,
                        "_sheet": r["sheet"], "_baris": r["baris"]})
    df = pd.DataFrame(out, columns=KOLOM_PENDUDUK + ["_berkas", "_sheet", "_baris"])
    keys = ["kode_wilayah", "tahun", "kecamatan", "kelompok_umur", "jenis_kelamin"]
    # 75-79, 80+ … into 75+: summed, keeping the first row's position for messages
    agg = df.groupby(keys, dropna=False, sort=False).agg(jumlah=("jumlah", "sum"), _berkas=("_berkas", "first"),
                                                         _sheet=("_sheet", "first"), _baris=("_baris", "first"))
    return agg.reset_index()


def _grid_csv(path: Path) -> tuple[list[list], str]:
    raw = path.read_bytes()
    for enc in ("utf-8-sig", "cp1252"):
        try:
            text = raw.decode(enc)
            break
        except UnicodeDecodeError:
            continue
    # Excel in an Indonesian locale writes ';' (the comma is the decimal mark): the commonest wins
    sep = max((";", "\t", ","), key=lambda d: (text.count(d), d == ","))
    return [row for row in csv.reader(text.splitlines(), delimiter=sep)], sep


def _tidy_header(row: list) -> bool:
    cells = {_norm(c) for c in row}
    return {"kode_wilayah", "kelompok_umur", "jenis_kelamin", "jumlah"} <= cells


def read_penduduk(path: str | Path, kode_wilayah: str, tahun: int, *, berkas: str | None = None) -> HasilPenduduk:
    """Read a population file (see the module docstring) into the tidy table for one region and year.

    Raises ``SPMDataError`` listing every error (file, sheet, row, column); warnings are returned."""
    from spm_helpers.reference import schemas

    path = Path(path)
    name = berkas or path.name
    wil = regions.get(kode_wilayah)
    problems: list[Problem] = []
    catatan: list[str] = []
    if not path.is_file():
        raise SPMDataError([Problem("berkas penduduk tidak ditemukan", berkas=name)])
    if path.suffix.lower() in (".csv", ".txt"):
        grid, _ = _grid_csv(path)
        if grid and _tidy_header(grid[0]):
            return _read_tidy(path, name, wil.kode_wilayah)
        sheets = [(None, grid, list(range(1, len(grid) + 1)))]
    elif path.suffix.lower() in (".xlsx", ".xlsm"):
        from spm_helpers.inputs.workbook import open_workbook

        wb = open_workbook(path, berkas=name)
        sheets = []
        for ws in wb.worksheets:
            if ws.sheet_state != "visible":
                continue
            grid, nums = [], []
            for r in ws.iter_rows():
                grid.append([c.value for c in r])
                nums.append(r[0].row)
            sheets.append((ws.title, grid, nums))
    else:
        raise SPMDataError([Problem("format berkas penduduk tidak dikenal: pakai .xlsx atau .csv", berkas=name)])

    parsed = []
    for title, grid, nums in sheets:
        res = _parse_grid(grid, nums, name, title, None, problems, catatan)
        if res is None:
            if any(not _is_blank(c) for row in grid for c in row):
                problems.append(Problem("sheet ini tidak berisi tabel 'Kelompok Umur | Laki-laki | Perempuan'; "
                                        "tidak dibaca", berkas=name, sheet=title, tingkat=SEVERITY_WARNING))
            continue
        parsed.append((title, res))
    if not parsed:
        raise SPMDataError(problems + [Problem("tidak ada tabel 'Kelompok Umur | Laki-laki | Perempuan' di berkas "
                                               "ini", berkas=name)])
    rows: list[dict] = []
    totals: list[dict] = []
    if len(parsed) == 1:
        rows, totals = parsed[0][1]
    else:  # one sheet per kecamatan; a recap sheet is the region total
        rekap = [(t, r) for t, r in parsed if _REKAP.match(_norm(t))]
        kec_sheets = [(t, r) for t, r in parsed if not _REKAP.match(_norm(t))]
        seen: dict[str, str] = {}
        for title, (rs, ts) in kec_sheets:
            kname = _nama_kecamatan(title)
            if kname in seen:
                problems.append(Problem(f"nama kecamatan '{title}' sama dengan sheet '{seen[kname]}'; setiap "
                                        "kecamatan hanya boleh satu sheet", berkas=name, sheet=title, nilai=title))
                continue
            seen[kname] = title
            for r in rs:
                r["kecamatan"] = r["kecamatan"] or re.sub(r"^(kecamatan|kec\.?)\s*:?\s*", "", title.strip(),
                                                          flags=re.IGNORECASE)
            rows += rs
            totals += ts
        for title, (rs, ts) in rekap:
            _check_rekap(rs, rows, name, title, problems)
            catatan.append(f"Sheet '{title}' dipakai sebagai pemeriksa jumlah kecamatan, tidak dijumlahkan lagi.")
    errors = [p for p in problems if p.tingkat == SEVERITY_ERROR]
    _check_table(rows, totals, name, problems)
    errors = [p for p in problems if p.tingkat == SEVERITY_ERROR]
    if errors:
        raise SPMDataError(problems)
    df = _records(rows, wil.kode_wilayah, int(tahun), name)
    if df["kecamatan"].isna().all():
        df = df.drop(columns="kecamatan")
    tabel, found = schemas.validate(df, "penduduk", berkas=name, raise_errors=False)
    if [p for p in found if p.tingkat == SEVERITY_ERROR]:
        raise SPMDataError(problems + found)
    return HasilPenduduk(tabel.drop(columns=["_berkas", "_sheet", "_baris"]).reset_index(drop=True),
                         [p for p in problems if p.tingkat != SEVERITY_ERROR], catatan)


def _check_rekap(rekap_rows: list[dict], rows: list[dict], berkas: str, sheet: str, problems: list[Problem]) -> None:
    """The recap sheet's numbers against the sum of the kecamatan sheets, group by group."""
    sums: dict[tuple[str, str], int] = {}
    for r in rows:
        for jk in ("L", "P"):
            k = (label_umur(*r["umur"]), jk)
            sums[k] = sums.get(k, 0) + (r[jk] or 0)
    for r in rekap_rows:
        for jk in ("L", "P"):
            k = (label_umur(*r["umur"]), jk)
            if r[jk] is not None and sums.get(k, 0) != r[jk]:
                kolom = r["judul"][[c for c in r["judul"]][1 if jk == "L" else 2]]
                problems.append(Problem(f"angka rekap tidak sama dengan jumlah sheet kecamatan ({sums.get(k, 0):,})"
                                        .replace(",", "."), berkas=berkas, sheet=sheet, baris=r["baris"],
                                        kolom=kolom, nilai=r[jk]))


def _read_tidy(path: Path, berkas: str, kode_wilayah: str) -> HasilPenduduk:
    df = pd.read_csv(path, dtype=str, keep_default_na=False, na_values=[""], sep=None, engine="python",
                     encoding="utf-8-sig")
    df.columns = [str(c).strip() for c in df.columns]
    df = df.assign(_baris=df.index.to_numpy() + 2)
    df = df[df["kode_wilayah"].astype(str).str.strip() == kode_wilayah]
    if df.empty:
        raise SPMDataError([Problem(f"tidak ada baris untuk wilayah {kode_wilayah}", berkas=berkas,
                                    kolom="kode_wilayah")])
    return HasilPenduduk(validate_penduduk(df, berkas), [], [])


def validate_penduduk(df: pd.DataFrame, berkas: str | None = None) -> pd.DataFrame:
    """Schema check of a tidy table plus completeness of its groups per region, year, kecamatan and sex;
    numbers written the Indonesian way (1.234) are read. Raises ``SPMDataError`` with every problem."""
    from spm_helpers.reference import schemas

    df = df.copy()
    if "_baris" not in df.columns:
        df["_baris"] = np.arange(len(df)) + 2
    if "jumlah" in df.columns and df["jumlah"].dtype == object:
        plain = pd.to_numeric(df["jumlah"], errors="coerce")
        text = plain.isna() & df["jumlah"].notna()
        if text.any():  # '1.234' written the Indonesian way; anything else stays for the schema to report
            from spm_helpers.inputs.workbook import parse_number

            parsed = [parse_number(v, "bulat") for v in df.loc[text, "jumlah"]]
            df.loc[text, "jumlah"] = [v if a is None else x for (v, a), x in zip(parsed, df.loc[text, "jumlah"])]
        df.loc[~text, "jumlah"] = plain[~text]
    if "kelompok_umur" in df.columns:
        canon = {u: (label_umur(*p) if (p := parse_umur(u)) else u) for u in pd.unique(df["kelompok_umur"])}
        df["kelompok_umur"] = df["kelompok_umur"].map(canon)
    if "jenis_kelamin" in df.columns:
        df["jenis_kelamin"] = df["jenis_kelamin"].astype(str).str.strip().str.upper().replace(
            {"LAKI-LAKI": "L", "PEREMPUAN": "P"})
    tabel, found = schemas.validate(df, "penduduk", berkas=berkas, raise_errors=False)
    if not found:
        found = _completeness(tabel, berkas)
    if [p for p in found if p.tingkat == SEVERITY_ERROR]:
        raise SPMDataError(found)
    return tabel.drop(columns=["_baris"]).reset_index(drop=True)


def _completeness(tabel: pd.DataFrame, berkas: str | None) -> list[Problem]:
    keys = ["kode_wilayah", "tahun"] + (["kecamatan"] if "kecamatan" in tabel.columns else []) + ["jenis_kelamin"]
    uniq = {u: parse_umur(u) for u in pd.unique(tabel["kelompok_umur"])}
    p = tabel["kelompok_umur"].map(uniq).tolist()
    g = kelompok_index([x[0] for x in p], [x[1] for x in p])
    single = np.array([x[0] == x[1] and x[0] < UMUR_TERBUKA for x in p], dtype=bool)
    out = []
    for key, idx in tabel.groupby(keys, dropna=False, sort=False).indices.items():
        kind_single = single[idx].any()
        have = set(np.array([x[0] for x in p])[idx][single[idx]]) if kind_single else set(g[idx])
        want = set(range(UMUR_TERBUKA)) if kind_single else set(range(JUMLAH_KELOMPOK))
        if kind_single and JUMLAH_KELOMPOK - 1 not in set(g[idx][~single[idx]]):
            out.append(Problem(f"umur {UMUR_TERBUKA}+ tidak ada untuk {' '.join(map(str, key))}", berkas=berkas))
        if not kind_single and -1 in have:
            out.append(Problem("kelompok umur harus 5 tahunan (0-4 … 70-74, 75+) atau umur tunggal", berkas=berkas,
                               baris=int(tabel["_baris"].to_numpy()[idx][g[idx] == -1][0]), kolom="kelompok_umur"))
        missing = sorted(want - have)
        if missing:
            names = [str(a) if kind_single else KELOMPOK_UMUR[a].replace("-", "–") for a in missing]
            out.append(Problem(f"kelompok umur tidak lengkap untuk {' '.join(str(k) for k in key if pd.notna(k))}: "
                               f"tidak ada {', '.join(names[:12])}", berkas=berkas, kolom="kelompok_umur"))
    return out


def _read_file(path: Path) -> pd.DataFrame:
    df = pd.read_parquet(path) if path.suffix == ".parquet" else \
        pd.read_csv(path, dtype=str, keep_default_na=False, na_values=[""])
    return df.assign(_baris=np.arange(len(df)) + 2)


@lru_cache(maxsize=4)
def _whole_file(path: str, size: int, mtime: int) -> tuple[pd.DataFrame, dict] | None:
    """A population file validated once as a whole, with each region's row positions (None when some row is
    wrong: then each region's rows are validated on their own, so one bad region never blocks the others)."""
    try:
        table = validate_penduduk(_read_file(Path(path)), Path(path).name)
    except SPMDataError:
        return None
    return table, table.groupby("kode_wilayah", sort=False).indices


def load_penduduk(data_dir: str | Path | None, kode_wilayah: str | Iterable[str] | None = None) -> pd.DataFrame | None:
    """The tidy penduduk table of a data folder (``penduduk.csv`` or ``.parquet``), optionally for some regions;
    None when the folder has none. ``data_dir=None``: the bundled demo tables (``contoh_penduduk.csv``).
    A file is validated once per version (size, modification time) and each load takes its region's rows."""
    from spm_helpers.inputs.datastore import table_path

    path = penduduk_dir() / BERKAS_CONTOH if data_dir is None else table_path(data_dir, "penduduk")
    if path is None or not path.exists():
        return None
    codes = None if kode_wilayah is None else \
        ([kode_wilayah] if isinstance(kode_wilayah, str) else list(kode_wilayah))
    st = path.stat()
    whole = _whole_file(str(path.resolve()), st.st_size, st.st_mtime_ns)
    if whole is not None:
        table, positions = whole
        if codes is not None:
            parts = [positions[c] for c in dict.fromkeys(codes) if c in positions]
            table = table.take(np.sort(np.concatenate(parts)) if parts else np.array([], dtype=np.intp))
        out = table.reset_index(drop=True).copy()
    else:
        df = _read_file(path)
        if codes is not None:
            df = df[df["kode_wilayah"].astype(str).str.strip().isin(codes)]
        out = validate_penduduk(df, path.name)
    if data_dir is None:
        out["sumber_data"] = DEMO_LABEL
    return out


def untuk_tahun(penduduk: pd.DataFrame, tahun: int, laju: float) -> tuple[pd.DataFrame, list[str]]:
    """The table for ``tahun``: each region's own rows of that year, or of its nearest earlier year (the
    earliest when all are later) scaled by (1 + laju)^(selisih tahun). Returns the table (jumlah as float
    when projected) and one note per projected region."""
    t = pd.to_numeric(penduduk["tahun"]).astype(int)
    years = pd.DataFrame({"kode_wilayah": penduduk["kode_wilayah"], "t": t}).drop_duplicates()
    before = years[years["t"] <= tahun].groupby("kode_wilayah")["t"].max()
    first = years.groupby("kode_wilayah")["t"].min()
    pick = first.copy()
    pick.loc[before.index] = before
    chosen = penduduk["kode_wilayah"].map(pick)
    out = penduduk[t.to_numpy() == chosen.to_numpy()].copy()
    src = pd.to_numeric(out["tahun"]).astype(int)
    factor = (1.0 + laju) ** (tahun - src)
    out["jumlah"] = pd.to_numeric(out["jumlah"]).astype(float) * factor.to_numpy()
    out["tahun"] = pd.array([tahun] * len(out), dtype="Int64")
    notes = [f"{k}: penduduk {y} diproyeksikan ke {tahun} dengan laju {str(round(100 * laju, 2)).replace('.', ',')}%"
             f" per tahun" for k, y in pick.items() if y != tahun]
    return out.reset_index(drop=True), notes


def tabel_lebar(penduduk: pd.DataFrame) -> pd.DataFrame:
    """Kelompok Umur | Laki-laki | Perempuan | Jumlah (kecamatan summed) with a Jumlah row: the layout of a
    BPS table, for display and exercises (labels with a plain hyphen, '60-64', as participants type them).
    One region and year."""
    p = penduduk.assign(jumlah=pd.to_numeric(penduduk["jumlah"]))
    w = p.pivot_table(index="kelompok_umur", columns="jenis_kelamin", values="jumlah", aggfunc="sum", sort=False)
    order = [k for k in KELOMPOK_UMUR if k in w.index] + [k for k in w.index if k not in KELOMPOK_UMUR]
    w = w.reindex(order).reindex(columns=["L", "P"]).fillna(0)
    out = pd.DataFrame({"Kelompok Umur": list(w.index), "Laki-laki": w["L"].to_numpy(),
                        "Perempuan": w["P"].to_numpy()})
    out["Jumlah"] = out["Laki-laki"] + out["Perempuan"]
    total = pd.DataFrame({"Kelompok Umur": ["Jumlah"], "Laki-laki": [out["Laki-laki"].sum()],
                          "Perempuan": [out["Perempuan"].sum()], "Jumlah": [out["Jumlah"].sum()]})
    return pd.concat([out, total], ignore_index=True)


# ----------------------------------------------------------------------------- demo tables
@lru_cache(maxsize=1)
def struktur_umur() -> pd.DataFrame:
    """The national age-sex shape used for demo tables (datasets/penduduk/struktur_umur.csv)."""
    return pd.read_csv(penduduk_dir() / "struktur_umur.csv")


def _allocate(total: np.ndarray, shares: np.ndarray) -> np.ndarray:
    """Integers per cell summing exactly to ``total`` per row (largest remainder)."""
    exact = shares / shares.sum(axis=1, keepdims=True) * total[:, None]
    base = np.floor(exact).astype(np.int64)
    left = total.astype(np.int64) - base.sum(axis=1)
    order = np.argsort(-(exact - base), axis=1, kind="stable")
    rank = np.empty_like(order)
    np.put_along_axis(rank, order, np.arange(shares.shape[1])[None, :].repeat(len(total), 0), axis=1)
    return base + (rank < left[:, None])


def contoh_penduduk(kode_wilayah: str | Iterable[str] = "all", tahun: int | Iterable[int] = TAHUN_DASAR_CONTOH, *,
                    seed: int = DEFAULT_SEED, laju: float = 0.011) -> pd.DataFrame:
    """Synthetic age tables (*data contoh (sintetis)*) for regions (codes, or 'all', 'prov:32') and years.

    Each kab/kota gets the national shape of ``struktur_umur.csv`` tilted younger or older and with a little
    noise (fixed per region, so years share the shape), its 2024 Dukcapil total grown by ``laju`` a year
    (equal to the total in 2024), allocated to 16 groups × 2 sexes in whole people. A province is the sum of
    its kab/kota. Depends only on (seed, region, year)."""
    codes = regions.select(kode_wilayah) if isinstance(kode_wilayah, str) else \
        [regions.get(k).kode_wilayah for k in kode_wilayah]
    years = [int(tahun)] if isinstance(tahun, (int, np.integer)) else sorted({int(t) for t in tahun})
    wil = regions.table().set_index("kode_wilayah")
    prov = [c for c in codes if len(c) == 2]
    kk = sorted({c for c in codes if len(c) != 2} | {k for p in prov for k in regions.children(p)})
    st = struktur_umur()
    share = st["persen_penduduk"].to_numpy(dtype=float)
    male = st["bagian_laki"].to_numpy(dtype=float)
    mid = np.array([a + 2.5 for a in range(0, UMUR_TERBUKA, 5)] + [80.0])
    tilt = np.empty((len(kk), JUMLAH_KELOMPOK))
    msh = np.empty((len(kk), JUMLAH_KELOMPOK))
    for i, k in enumerate(kk):
        rng = np.random.default_rng(np.random.SeedSequence([seed, int(k.replace(".", "")), 7777]))
        a = rng.normal(0.0, 0.15)
        tilt[i] = np.exp(-a * (mid - 37.5) / 37.5 + rng.normal(0.0, 0.03, JUMLAH_KELOMPOK))
        msh[i] = np.clip(male + rng.normal(0.0, 0.006, JUMLAH_KELOMPOK), 0.3, 0.7)
    cells = np.concatenate([share * tilt * msh, share * tilt * (1 - msh)], axis=1)  # L groups, then P groups
    pop = wil.loc[kk, "penduduk"].to_numpy(dtype=float)
    parts = []
    for y in years:
        total = np.floor(pop * (1.0 + laju) ** (y - TAHUN_DASAR_CONTOH) + 0.5)
        alloc = _allocate(total, cells)  # (n_kk, 32)
        parts.append(pd.DataFrame({"kode_wilayah": np.repeat(kk, 2 * JUMLAH_KELOMPOK), "tahun": y,
                                   "kelompok_umur": np.tile(np.array(KELOMPOK_UMUR * 2, dtype=object), len(kk)),
                                   "jenis_kelamin": np.tile(np.repeat(["L", "P"], JUMLAH_KELOMPOK), len(kk)),
                                   "jumlah": alloc.ravel()}))
    df = pd.concat(parts, ignore_index=True)
    if prov:
        pv = df.assign(kode_wilayah=df["kode_wilayah"].str[:2])
        pv = pv[pv["kode_wilayah"].isin(prov)].groupby(["kode_wilayah", "tahun", "kelompok_umur", "jenis_kelamin"],
                                                       sort=False, as_index=False)["jumlah"].sum()
        df = pd.concat([pv, df], ignore_index=True)
    df = df[df["kode_wilayah"].isin(codes)]
    order = {k: i for i, k in enumerate(KELOMPOK_UMUR)}
    df = df.sort_values(["kode_wilayah", "tahun", "jenis_kelamin", "kelompok_umur"],
                        key=lambda s: s.map(order) if s.name == "kelompok_umur" else s, kind="stable")
    df = df.reset_index(drop=True)
    df["tahun"] = df["tahun"].astype("Int64")
    df["jumlah"] = df["jumlah"].astype("Int64")
    df["sumber_data"] = DEMO_LABEL
    return df


def write_contoh(path: str | Path | None = None) -> Path:
    """Write the bundled demo table (all 552 regions, 2024) atomically."""
    from spm_helpers.inputs.datastore import write_table

    df = contoh_penduduk("all", TAHUN_DASAR_CONTOH).drop(columns="sumber_data")  # the label is added on reading
    return write_table(df, path or penduduk_dir() / BERKAS_CONTOH)
