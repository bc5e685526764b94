"""By-name records (data by name and by address) → counts per jenis, with NIK checks (DECISIONS D5).

An OPD keeps lists of people: NIK, name, address, whether and when they were served. The
sasaran table only needs two numbers per jenis: unique valid people (jumlah_sasaran) and those
served (jumlah_terlayani). Everything here is vectorised (numpy over the NIK bytes, pandas
hashing for duplicates) because lists run to millions of rows; see benchmarks/byname.py.

Privacy: names and addresses are never read into memory (only the NIK, status and date columns
are loaded); a NIK is only ever shown masked (``3275********0001``); values of other cells are
not echoed in problems, because a shifted column could hold a name or a birth date.
"""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Sequence

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from spm_helpers.errors import (
    PROBLEM_COLUMNS,
    SEVERITY_ERROR,
    SEVERITY_WARNING,
    Problem,
    SPMDataError,
    SPMError,
    mask_digits,
)
from spm_helpers.reference import catalog, regions

ALIASES = {
    "nik": ("nik", "no_nik", "nomor_nik", "nomor_induk_kependudukan"),
    "terlayani": ("terlayani", "dilayani", "sudah_dilayani", "mendapat_layanan", "status_layanan", "layanan"),
    "tanggal": ("tanggal_layanan", "tgl_layanan", "tanggal_pelayanan", "tanggal", "tgl"),
}
YA = frozenset({"ya", "y", "iya", "yes", "1", "true", "benar", "sudah", "terlayani", "dilayani", "v", "✓"})
TIDAK = frozenset({"tidak", "t", "tdk", "no", "n", "0", "false", "salah", "belum", "tidak terlayani",
                   "belum terlayani"})
_DATE_FORMATS = ("%Y-%m-%d", "%d/%m/%Y", "%d-%m-%Y", "%d.%m.%Y", "%Y-%m-%d %H:%M:%S")
_DAYS = np.array([0, 31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31])
NIK_REASONS = (  # index = code returned by check_nik; 0 = valid
    None,
    "NIK kosong",
    "NIK tersimpan sebagai angka (notasi ilmiah) sehingga digitnya hilang; format kolom NIK sebagai Teks",
    "NIK harus 16 digit angka",
    "dua digit pertama NIK bukan kode provinsi",
    "digit 3–4 NIK (kode kabupaten/kota) tidak boleh 00",
    "digit 5–6 NIK (kode kecamatan) tidak boleh 00",
    "tanggal lahir pada NIK (digit 7–12, DDMMYY; perempuan DD+40) tidak valid",
    "nomor urut NIK (4 digit terakhir) tidak boleh 0000",
    ("digit terakhir NIK hilang: hampir semua NIK di berkas/sheet ini berakhiran 0, tanda kolom NIK pernah "
     "disimpan sebagai angka di Excel/LibreOffice (hanya 15 digit yang tersimpan); format kolom NIK sebagai Teks "
     "dan ambil lagi dari sumbernya"),
)
PRECISION_LOST = 9  # set by ``precision_lost`` on a whole file/sheet, not by ``check_nik`` on one value


@dataclass
class HasilByname:
    """Counts for one jenis, the summary, and every problem (NIKs masked) as a table."""

    kode_jenis: str
    kode_wilayah: str
    tahun: int
    sasaran: pd.DataFrame
    ringkasan: dict[str, int]
    masalah: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(columns=PROBLEM_COLUMNS))

    @property
    def problems(self) -> list[Problem]:
        return [Problem(**{k: (None if pd.isna(v) else v) for k, v in rec.items()})
                for rec in self.masalah.to_dict("records")]

    @property
    def ok(self) -> bool:
        return not (self.masalah["tingkat"] == SEVERITY_ERROR).any()

    def raise_for_errors(self) -> None:
        if not self.ok:
            raise SPMDataError(self.problems)

    def _repr_html_(self) -> str:
        items = "".join(f"<li>{k.replace('_', ' ')}: {v:,}</li>".replace(",", ".") for k, v in self.ringkasan.items())
        box = SPMDataError(self.problems)._repr_html_() if len(self.masalah) else ""
        return f"<b>{self.kode_jenis} — {self.kode_wilayah} tahun {self.tahun}</b><ul>{items}</ul>{box}"


# --------------------------------------------------------------------------------------------- NIK
_SCI = r"^\d+([.,]\d+)?[eE]\+?\d+$"


def _arrow(values: pd.Series | pa.Array) -> pa.Array:
    """A column as one contiguous Arrow large_string array, text as typed, nulls kept (no Python per row)."""
    if isinstance(values, (pa.Array, pa.ChunkedArray)):
        arr = values
    else:
        s = values if isinstance(values, pd.Series) else pd.Series(values)
        if not (pd.api.types.is_string_dtype(s) and hasattr(s.array, "_pa_array")):
            s = s.astype("str")
        arr = s.array._pa_array
    arr = arr.combine_chunks() if isinstance(arr, pa.ChunkedArray) else arr
    return arr.cast(pa.large_string())


def _np(arr, fill) -> np.ndarray:
    return pc.fill_null(arr, fill).to_numpy(zero_copy_only=False)


def _normalize(arr: pa.Array) -> pa.Array:
    """Spaces and an Excel text apostrophe removed. Only rows not already 16 characters long are
    touched (a clean NIK has nothing to remove), so the cost follows the untidy rows, not all rows."""
    odd = _np(pc.not_equal(pc.binary_length(arr), 16), False)
    if not odd.any():
        return arr
    fixed = pc.replace_substring_regex(arr.filter(pa.array(odd)), r"[\s']", "")
    return pc.replace_with_mask(arr, pa.array(odd), fixed)


def normalize_nik(nik: pd.Series) -> pd.Series:
    """Whitespace and an Excel text apostrophe removed; nothing else is changed."""
    return pd.Series(_normalize(_arrow(nik)).to_pandas(), index=nik.index).astype("str")


def _digits(arr: pa.Array) -> tuple[np.ndarray, np.ndarray]:
    """(mask of 16-byte strings, their bytes minus '0' as an (n, 16) uint8 matrix) from the Arrow buffers."""
    is16 = pc.fill_null(pc.equal(pc.binary_length(arr), 16), False)
    sub = pc.filter(arr, is16)
    if len(sub) == 0:
        return is16.to_numpy(zero_copy_only=False), np.zeros((0, 16), np.uint8)
    offsets = np.frombuffer(sub.buffers()[1], dtype=np.int64)[sub.offset:sub.offset + len(sub) + 1]
    data = np.frombuffer(sub.buffers()[2], dtype=np.uint8)[offsets[0]:offsets[-1]].reshape(-1, 16)
    return is16.to_numpy(zero_copy_only=False), data - np.uint8(48)  # a non-digit byte wraps above 9


def check_nik(nik: pd.Series | pa.Array) -> tuple[np.ndarray, np.ndarray]:
    """(reason code per row — index into NIK_REASONS, 0 = valid —, NIK as int64 or -1) for normalised NIKs."""
    arr = _arrow(nik)
    n = len(arr)
    code = np.full(n, 3, dtype=np.int8)
    key = np.full(n, -1, dtype=np.int64)
    is16, d = _digits(arr)
    digits_ok = (d <= 9).all(axis=1)
    good = np.flatnonzero(is16)[digits_ok]
    other = np.flatnonzero(~is16)  # blank and scientific notation are only looked for among the rest
    rest = arr.take(pa.array(other))
    code[other[_np(pc.match_substring_regex(rest, _SCI), False)]] = 2
    code[other[_np(pc.equal(rest, ""), True)]] = 1
    d = d[digits_ok]
    pair = lambda i: d[:, i].astype(np.int16) * 10 + d[:, i + 1]  # noqa: E731 - digits i, i+1 as a number
    prov, kab, kec, dd, mm, yy = pair(0), pair(2), pair(4), pair(6), pair(8), pair(10)
    day = np.where(dd > 40, dd - 40, dd)
    leap = (yy % 4) == 0  # 2000 was leap; 1900 is outside any living NIK holder's plausible range
    month_ok = (mm >= 1) & (mm <= 12)
    limit = np.where(month_ok, _DAYS[np.clip(mm, 0, 12)], 0) - ((mm == 2) & ~leap)
    date_ok = month_ok & (day >= 1) & (day <= limit) & ((dd <= 31) | (dd >= 41))
    sub = np.zeros(len(good), dtype=np.int8)
    for reason, bad in ((8, (pair(12) == 0) & (pair(14) == 0)), (7, ~date_ok), (6, kec == 0), (5, kab == 0),
                        (4, ~_province_lookup()[prov])):
        sub[bad] = reason  # later assignments win: the first digit group that is wrong is reported
    code[good] = sub
    k = np.zeros(len(good), dtype=np.int64)
    for i in range(16):
        k = k * 10 + d[:, i]
    key[good] = np.where(sub == 0, k, -1)
    return code, key


def check_nik_one(nik: str | None) -> int:
    """The same rules for one NIK, written plainly: the readable specification of ``check_nik``
    (tests compare the two; the benchmark times this as the naive row-by-row way)."""
    nik = re.sub(r"[\s']", "", nik) if isinstance(nik, str) else None
    if not nik:
        return 1
    if re.fullmatch(_SCI[1:-1], nik):
        return 2
    if len(nik) != 16 or not nik.isascii() or not nik.isdigit():
        return 3
    if int(nik[:2]) not in _province_set():
        return 4
    if nik[2:4] == "00":
        return 5
    if nik[4:6] == "00":
        return 6
    dd, mm, yy = int(nik[6:8]), int(nik[8:10]), int(nik[10:12])
    day = dd - 40 if dd > 40 else dd
    if not (1 <= mm <= 12) or (31 < dd < 41) or not (1 <= day <= (29 if mm == 2 and yy % 4 == 0 else
                                                                   int(_DAYS[mm]) - (mm == 2))):
        return 7
    if nik[12:] == "0000":
        return 8
    return 0


@lru_cache(maxsize=1)
def _province_set() -> frozenset[int]:
    prov = regions.table()
    return frozenset(prov.loc[prov["tingkat"] == regions.TINGKAT_PROVINSI, "kode_wilayah"].astype(int))


@lru_cache(maxsize=1)
def _province_lookup() -> np.ndarray:
    table = np.zeros(100, dtype=bool)
    table[list(_province_set())] = True
    return table


def mask_nik(nik: pd.Series | pa.Array) -> np.ndarray:
    """'3275014101900001' → '3275********0001'; anything that is not a plain number is not shown at all."""
    arr = _arrow(nik)
    digits = _np(pc.match_substring_regex(arr, r"^\d+$"), False)
    long = digits & (_np(pc.utf8_length(arr), 0) >= 12)
    masked = pc.binary_join_element_wise(
        pc.utf8_slice_codeunits(arr, 0, 4),
        pc.replace_substring_regex(pc.utf8_slice_codeunits(arr, 4, -4), r"\d", "*"),
        pc.utf8_slice_codeunits(arr, -4), pa.scalar("", pa.large_string()))
    out = np.full(len(arr), "(tidak ditampilkan)", dtype=object)
    out[digits & ~long] = "*" * 8
    out[long] = masked.to_numpy(zero_copy_only=False)[long]
    out[_np(pc.equal(arr, ""), True)] = None
    return out


# --------------------------------------------------------------------------------------------- reading
def _norm_header(name) -> str:
    return re.sub(r"[\s.\-/]+", "_", str(name).strip().lower()).strip("_")


def _pick_columns(headers: Sequence, berkas: str) -> dict[str, object]:
    normed = {_norm_header(h): h for h in headers if h is not None}
    chosen = {}
    for field_, names in ALIASES.items():
        hit = next((normed[n] for n in names if n in normed), None)
        if hit is not None:
            chosen[field_] = hit
    missing = [f for f in ("nik", "terlayani") if f not in chosen]
    if missing:
        raise SPMDataError([Problem(f"kolom {f.upper() if f == 'nik' else f} tidak ditemukan; judul yang "
                                    f"dikenali: {', '.join(ALIASES[f])}", berkas=berkas, baris=1, kolom=f)
                            for f in missing])
    return chosen


def read_byname(path: str | Path, berkas: str | None = None) -> tuple[pd.DataFrame, str | None]:
    """(frame with nik, terlayani, tanggal, _baris; sheet name or None). Name/address columns are not loaded."""
    path = Path(path)
    berkas = berkas or path.name
    if not path.is_file():
        raise SPMDataError([Problem("berkas tidak ditemukan", berkas=berkas)])
    if path.stat().st_size == 0:
        raise SPMDataError([Problem("berkas kosong (0 byte)", berkas=berkas)])
    suffix = path.suffix.lower()
    from spm_helpers.inputs.workbook import ENCRYPTED_MESSAGE, ODS_MESSAGE, is_encrypted_ooxml, is_ods

    if suffix == ".ods" or is_ods(path):
        raise SPMDataError([Problem(ODS_MESSAGE, berkas=berkas)])
    if is_encrypted_ooxml(path):
        raise SPMDataError([Problem(ENCRYPTED_MESSAGE, berkas=berkas)])
    try:
        if suffix == ".parquet":
            return _read_parquet(path, berkas), None
        if suffix in (".xlsx", ".xlsm"):
            return _read_excel(path, berkas)
        return _read_csv(path, berkas), None
    except SPMDataError:
        raise
    except Exception:  # noqa: BLE001 - library messages could echo cell contents (personal data)
        raise SPMDataError([Problem(f"berkas tidak dapat dibaca sebagai {suffix.lstrip('.') or 'CSV'}; periksa "
                                    "formatnya (CSV, Excel .xlsx atau Parquet)", berkas=berkas)]) from None


def _finish(df: pd.DataFrame, chosen: dict, first_row: int) -> pd.DataFrame:
    out = pd.DataFrame({f: df[c] for f, c in chosen.items()})
    if "tanggal" not in out:
        out["tanggal"] = pd.Series(pd.NA, index=out.index, dtype=object)
    out["_baris"] = np.arange(first_row, first_row + len(out), dtype=np.int64)
    return out


def _read_csv(path: Path, berkas: str) -> pd.DataFrame:
    raw = path.read_bytes()[:65536]
    encoding = "utf-8-sig"
    try:
        raw.decode("utf-8")
    except UnicodeDecodeError:
        encoding = "cp1252"
    first = raw.decode(encoding, errors="replace").splitlines()[0] if raw.strip() else ""
    sep = max([";", ",", "\t", "|"], key=first.count)
    headers = [h.strip().strip('"') for h in first.lstrip("\ufeff").split(sep)]
    chosen = _pick_columns(headers, berkas)
    df = pd.read_csv(path, sep=sep, usecols=list(chosen.values()), dtype=str, keep_default_na=False,
                     na_values=[""], encoding=encoding)
    return _finish(df, chosen, 2)


def _read_parquet(path: Path, berkas: str) -> pd.DataFrame:
    import pyarrow.parquet as pq

    chosen = _pick_columns(pq.read_schema(path).names, berkas)
    df = pd.read_parquet(path, columns=list(chosen.values()))
    if not pd.api.types.is_string_dtype(df[chosen["nik"]]):
        df[chosen["nik"]] = df[chosen["nik"]].astype("Int64").astype("str")
    return _finish(df, chosen, 1)


def _excel_nik(v):
    """An Excel cell as NIK text. A number keeps its digits when it is exact (an int, or an integral float
    below 2**53); anything else lost digits and is written in scientific notation so it is reported.
    Excel truncating to 15 digits leaves an exact-looking number ending in 0: ``precision_lost`` finds that
    per file, because one valid NIK may end in 0 but a whole column of them does not."""
    if v is None or isinstance(v, str):
        return v
    if isinstance(v, bool):
        return str(v)
    if isinstance(v, int):
        return str(v)
    if isinstance(v, float):
        if v.is_integer() and abs(v) < 2 ** 53:
            return str(int(v))
        return f"{v:.6e}"
    return str(v)


def _read_excel(path: Path, berkas: str) -> tuple[pd.DataFrame, str]:
    """Every sheet that has the NIK and status headers is read (two Puskesmas on two sheets are both
    counted); a non-empty sheet without those headers is refused, so no list is skipped silently."""
    from openpyxl import load_workbook

    wb = load_workbook(path, read_only=True, data_only=True)
    frames, problems, names = [], [], []
    try:
        for ws in wb.worksheets:
            rows = ws.iter_rows(values_only=True)
            headers = list(next(rows, ()))
            if all(h is None or (isinstance(h, str) and not h.strip()) for h in headers) and \
                    next((r for r in rows if any(v is not None for v in r)), None) is None:
                continue  # an empty sheet
            try:
                chosen = _pick_columns(headers, berkas)
            except SPMDataError as exc:
                problems += [Problem(p.alasan + "; setiap sheet yang berisi data harus punya judul kolom yang "
                                     "sama, atau pindahkan sheet lain ke berkas terpisah", berkas=berkas,
                                     sheet=ws.title, baris=1, kolom=p.kolom) for p in exc.problems]
                continue
            idx = {f: headers.index(c) for f, c in chosen.items()}
            cols: dict[str, list] = {f: [] for f in idx}
            for row in rows:
                for f, i in idx.items():
                    cols[f].append(row[i] if i < len(row) else None)
            nik = pd.Series([_excel_nik(v) for v in cols["nik"]], dtype=object)
            df = pd.DataFrame({"nik": nik.astype("str"), **{f: pd.Series(v, dtype=object) for f, v in cols.items()
                                                            if f != "nik"}})
            df = _finish(df, {f: f for f in chosen}, 2)
            df["_sheet"] = ws.title
            frames.append(df)
            names.append(ws.title)
    finally:
        wb.close()
    if problems:
        raise SPMDataError(problems)
    if not frames:
        raise SPMDataError([Problem("tidak ada sheet berisi data (semua sheet kosong)", berkas=berkas)])
    return pd.concat(frames, ignore_index=True), ", ".join(names)


def precision_lost(nik: pa.Array, group: np.ndarray) -> np.ndarray:
    """Rows whose NIK lost its last digit(s) to a spreadsheet's 15-digit limit, judged per ``group``
    (file or sheet): at least 3 sixteen-digit NIKs and at least 90% of them ending in 0. One in ten real
    NIKs ends in 0, so three in a row by chance is 1 in 1 000 and the 90% rule on more rows far rarer."""
    arr = _arrow(nik)
    is16 = _np(pc.match_substring_regex(arr, r"^\d{16}$"), False)
    end0 = is16 & _np(pc.ends_with(arr, "0"), False)
    out = np.zeros(len(arr), dtype=bool)
    if not end0.any():
        return out
    n16 = np.bincount(group[is16], minlength=group.max() + 1 if len(group) else 0)
    n0 = np.bincount(group[end0], minlength=len(n16))
    bad = (n16 >= 3) & (n0 >= np.maximum(3, np.ceil(0.9 * n16)))
    return end0 & bad[group]


# --------------------------------------------------------------------------------------------- counting
def _served(values: pd.Series) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(served, blank, unknown) masks — dictionary-encoded, so only the distinct spellings are looked at."""
    enc = pc.dictionary_encode(_arrow(values))
    labels = [str(v).strip().lower() for v in enc.dictionary.to_pylist()] + [""]  # the last slot: null
    codes = _np(enc.indices, len(labels) - 1)
    pick = lambda test: np.array([test(x) for x in labels], dtype=bool)[codes]  # noqa: E731
    return pick(lambda x: x in YA), pick(lambda x: x == ""), pick(lambda x: x not in YA | TIDAK | {""})


def _service_years(values: pd.Series) -> tuple[np.ndarray, np.ndarray]:
    """(year of the service date or NaN, unreadable mask). Blank is not a problem: the date is optional."""
    n = len(values)
    years = np.full(n, np.nan)
    if pd.api.types.is_datetime64_any_dtype(values):
        return values.dt.year.to_numpy(dtype="float64", na_value=np.nan), np.zeros(n, bool)
    if values.dtype == object:  # from Excel: real dates mixed with text (at most ~1M rows)
        is_date = np.fromiter((hasattr(v, "year") for v in values), dtype=bool, count=n)
        years[is_date] = [v.year for v in values[is_date]]
        values = values.where(~is_date, None)
    arr = pc.utf8_trim_whitespace(_arrow(values))
    given = _np(pc.not_equal(arr, ""), False)
    # Arrow's strptime accepts 31/02/2025 (it rolls over), so each distinct spelling — a list has a few
    # hundred dates, not millions — is parsed by Python's strptime, which refuses an impossible date.
    enc = pc.dictionary_encode(arr)
    of_text = np.array([_year_of(t) for t in enc.dictionary.to_pylist()] + [np.nan], dtype="float64")
    from_text = of_text[_np(enc.indices, len(enc.dictionary))]
    years = np.where(np.isnan(years), from_text, years)
    return years, given & np.isnan(from_text)


def _year_of(text: str) -> float:
    for fmt in _DATE_FORMATS:
        try:
            return float(dt.datetime.strptime(text, fmt).year)
        except ValueError:
            continue
    return np.nan


def import_byname(paths: Sequence[str | Path], kode_jenis: str, *, kode_wilayah: str | None = None,
                  tahun: int | None = None) -> HasilByname:
    """Read by-name files and count one jenis. File-level problems raise; row problems are collected."""
    parts, problems = [], []
    for path in paths:
        try:
            df, sheet = read_byname(path)
            parts.append((Path(path).name, sheet, df))
        except SPMDataError as exc:
            problems += exc.problems
    if problems:
        raise SPMDataError(problems)
    return count(parts, kode_jenis, kode_wilayah=kode_wilayah, tahun=tahun)


def count(parts: Sequence[tuple[str, str | None, pd.DataFrame]], kode_jenis: str, *,
          kode_wilayah: str | None = None, tahun: int | None = None) -> HasilByname:
    """Validate, deduplicate (within and across files) and count one jenis from (berkas, sheet, frame) parts.

    Rows with an invalid NIK, an unknown served status or an unreadable date are errors and not
    counted; a repeated NIK counts once (served if any of its rows says so); a NIK from outside the
    region is a warning and counted; a service date outside ``tahun`` counts as sasaran, not served.
    """
    jenis = catalog.get_jenis(kode_jenis)
    frames = [p[2] for p in parts]
    df = pd.concat(frames, ignore_index=True) if frames else _finish(
        pd.DataFrame({"nik": [], "terlayani": []}, dtype="str"), {"nik": "nik", "terlayani": "terlayani"}, 2)
    nik = _normalize(_arrow(df["nik"]))
    code, key = check_nik(nik)
    file_no = np.repeat(np.arange(len(parts)), [len(f) for f in frames])
    sheet_of_row = (df["_sheet"].astype(object).where(df["_sheet"].notna(), None).to_numpy(dtype=object)
                    if "_sheet" in df else np.array([parts[i][1] for i in file_no], dtype=object))
    group = pd.factorize(pd.Series(list(zip(file_no, sheet_of_row)), dtype=object))[0] if len(df) else file_no
    lost = precision_lost(nik, group)
    code = np.where(lost & (code == 0), PRECISION_LOST, code).astype(np.int8)
    key = np.where(code == 0, key, -1)
    names = [mask_digits(p[0]) for p in parts]  # a file name may carry a NIK
    served, blank_status, unknown_status = _served(df["terlayani"])
    years, bad_date = _service_years(df["tanggal"])
    valid = (code == 0) & ~unknown_status & ~bad_date
    kode_wilayah, tahun = _region_year(kode_wilayah, tahun, jenis, key[valid], years[valid])
    prefix = kode_wilayah.replace(".", "")
    outside = valid & (key // 10 ** (16 - len(prefix)) != int(prefix))
    other_year = valid & served & ~np.isnan(years) & (years != tahun)
    people = _people(key, valid, served & ~other_year)
    sasaran = pd.DataFrame({
        "kode_wilayah": [kode_wilayah], "tahun": pd.array([tahun], dtype="Int64"), "kode_jenis": [jenis["kode_jenis"]],
        "jumlah_sasaran": pd.array([people.sasaran], dtype="Int64"),
        "jumlah_terlayani": pd.array([people.terlayani], dtype="Int64"),
        "sumber_data": [f"data by name ({len(parts)} berkas)"],
        "sumber_berkas": [", ".join(names)],
    })
    ctx = _Context(names, sheet_of_row, file_no, df["_baris"].to_numpy(), nik)
    masalah = pd.concat([
        ctx.rows(code > 0, "NIK", np.array(NIK_REASONS, dtype=object)[code], SEVERITY_ERROR, show=True),
        ctx.rows(unknown_status, "terlayani", "status layanan tidak dikenali; isi 'ya' atau 'tidak'", SEVERITY_ERROR),
        ctx.rows(bad_date, "tanggal", "tanggal layanan tidak terbaca; tulis DD/MM/YYYY", SEVERITY_ERROR),
        ctx.rows(valid & blank_status, "terlayani", "status layanan kosong: dihitung sebagai sasaran yang belum "
                 "terlayani", SEVERITY_WARNING),
        ctx.duplicates(people.repeat_rows, people.first_rows),
        ctx.rows(outside, "NIK", f"NIK terdaftar di luar {kode_wilayah} (penduduk pindahan?); tetap dihitung",
                 SEVERITY_WARNING, show=True),
        ctx.rows(other_year, "tanggal", f"tanggal layanan di luar tahun {tahun}: dihitung sebagai sasaran, "
                 "tidak sebagai terlayani", SEVERITY_WARNING),
    ], ignore_index=True).sort_values(["berkas", "baris"], kind="stable").reset_index(drop=True)
    ringkasan = {"baris_dibaca": int(len(df)), "baris_valid": int(valid.sum()),
                 "baris_ditolak": int((~valid).sum()), "nik_ganda": int(len(people.repeat_rows)),
                 "di_luar_wilayah": int(outside.sum()), "jumlah_sasaran": people.sasaran,
                 "jumlah_terlayani": people.terlayani}
    return HasilByname(jenis["kode_jenis"], kode_wilayah, int(tahun), sasaran, ringkasan, masalah)


@dataclass(frozen=True)
class _People:
    sasaran: int
    terlayani: int
    repeat_rows: np.ndarray  # rows whose NIK appeared earlier
    first_rows: np.ndarray  # for each repeat, the row where that NIK first appeared


def _people(key: np.ndarray, valid: np.ndarray, served: np.ndarray) -> _People:
    """Unique people among valid rows, by one stable sort of the NIK numbers (no hashing of 3M strings)."""
    rows = np.flatnonzero(valid)
    order = rows[np.argsort(key[rows], kind="stable")]  # grouped by NIK, file order kept inside a group
    ks = key[order]
    start = np.ones(len(ks), dtype=bool)
    start[1:] = ks[1:] != ks[:-1]
    first = order[np.maximum.accumulate(np.where(start, np.arange(len(ks)), 0))] if len(ks) else order
    starts = np.flatnonzero(start)
    served_people = int(np.logical_or.reduceat(served[order], starts).sum()) if len(starts) else 0
    return _People(int(len(starts)), served_people, order[~start], first[~start])


def _region_year(kode_wilayah, tahun, jenis: pd.Series, keys: np.ndarray, years: np.ndarray) -> tuple[str, int]:
    """The given region/year, checked against the jenis level; or the ones most NIKs/dates point at."""
    provinsi = jenis["tingkat"] == regions.TINGKAT_PROVINSI
    if kode_wilayah is None:
        if len(keys) == 0:
            raise SPMError("Wilayah tidak dapat ditentukan dari NIK (tidak ada NIK yang valid); sebutkan --wilayah.")
        digits = 2 if provinsi else 4
        prefix = int(np.bincount(keys // 10 ** (16 - digits)).argmax())
        kode_wilayah = f"{prefix:02d}" if provinsi else f"{prefix // 100:02d}.{prefix % 100:02d}"
    region = regions.get(kode_wilayah)
    if region.is_provinsi != provinsi:
        raise SPMError(f"Jenis {jenis['kode_jenis']} adalah urusan {'provinsi' if provinsi else 'kabupaten/kota'}, "
                       f"sedangkan {region} adalah {'provinsi' if region.is_provinsi else 'kabupaten/kota'}.")
    if tahun is None:
        known = years[~np.isnan(years)].astype(np.int64)
        if len(known) == 0:
            raise SPMError("Tahun tidak dapat ditentukan (tidak ada tanggal layanan); sebutkan --tahun.")
        tahun = int(np.bincount(known).argmax())
    return region.kode_wilayah, int(tahun)


@dataclass
class _Context:
    """Turns row masks into problem rows: file, sheet, row number, masked NIK (never the NIK itself)."""

    names: list[str]
    sheets: np.ndarray  # sheet of each row (None for CSV/Parquet)
    file_no: np.ndarray
    baris: np.ndarray
    nik: pa.Array

    def rows(self, mask: np.ndarray, kolom: str, alasan, tingkat: str, show: bool = False) -> pd.DataFrame:
        idx = np.flatnonzero(mask) if mask.dtype == bool else mask
        names = np.array(self.names or [""], dtype=object)
        return pd.DataFrame({
            "berkas": names[self.file_no[idx]], "sheet": self.sheets[idx], "baris": self.baris[idx],
            "kolom": kolom, "nilai": mask_nik(self.nik.take(idx)) if show else None,
            "alasan": alasan[idx] if isinstance(alasan, np.ndarray) else alasan, "tingkat": tingkat},
            columns=PROBLEM_COLUMNS)

    def duplicates(self, repeats: np.ndarray, firsts: np.ndarray) -> pd.DataFrame:
        """Each repeat names the row it repeats (file and row)."""
        names = np.array(self.names or [""], dtype=object)
        where = (pd.Series(names[self.file_no[firsts]], dtype="str") + " baris "
                 + pd.Series(self.baris[firsts]).astype("str"))
        alasan = np.empty(len(self.baris), dtype=object)
        alasan[repeats] = ("NIK ganda (sama dengan " + where + "); dihitung sekali").to_numpy(dtype=object)
        return self.rows(np.sort(repeats), "NIK", alasan, SEVERITY_WARNING, show=True)
