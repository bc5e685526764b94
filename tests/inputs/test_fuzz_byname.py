"""Issue 18: hypothesis mutates a real by-name list (NIK-level records, CSV and xlsx) the way careless and
hostile users do: cells replaced by wrong kinds of values (text in the NIK, dates, 19+ digit numbers,
float-precision NIKs, blanks, formulas, names), rows and columns moved, sheets renamed or added, the NIK
column saved through Excel. Every run ends in the exact counts of a plain reference or a located
Indonesian error; never a traceback, never a silent change, and no NIK or name in any message."""
from __future__ import annotations

import csv
import datetime as dt
import math
import re

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import Workbook, load_workbook

from spm_helpers.errors import SEVERITY_ERROR, SPMDataError
from spm_helpers.inputs import byname

JENIS, KODE, TAHUN = "KES-KK-01", "32.75", 2025
HEADERS = ["No", "NIK", "Nama", "Alamat", "Terlayani", "Tanggal layanan"]
NAMES = ["Siti Rahmawati", "Budi Santoso", "Dewi Lestari", "Agus Salim", "Rina Marlina", "Joko Widodo",
         "Ani Yudhoyono", "Bambang Pamungkas", "Citra Kirana", "Eko Prasetyo", "Fitri Handayani", "Gita Gutawa"]
PEOPLE = [f"3275015101900{s:03d}" for s in (11, 12, 13, 14, 15, 16, 17, 18, 19, 21, 22, 23)]  # none ends in 0
OTHER_REGION = "3273014101900001"  # Kota Bandung: a warning, still counted
STATUS = ["ya", "tidak", "Ya", "sudah", "tidak", "ya", "belum", "ya", "tidak", "YA", "ya", "tidak"]
DATES = ["14/03/2025", "", "2025-06-01", "01-07-2025", "", "2024-12-30", "", "05.05.2025", "", "2025-02-02",
         "", ""]

NIK_VALUES = ["", "Siti Aminah", "12345678901234567890", "3,27502E+15", "3.275015101900011e+15",
              "3275015101900011.0", "=SUM(1,2)", "'3275015101900016", " 3275 0151 0190 0016 ", PEOPLE[0],
              OTHER_REGION, "3275015101900010", "32750151019O0011", "<img src=x onerror=alert(1)>",
              10 ** 19, 3275015101900017, 3275015101900017.0, 3.2750151019000175e15, True,
              dt.datetime(2025, 1, 1)]
STATUS_VALUES = ["ya", "Tidak", "", None, "mungkin", "=SUM(1,2)", "Siti Aminah", True, "1", "0",
                 dt.datetime(2025, 1, 1), 3275015101900011]
DATE_VALUES = ["", None, "31/02/2025", "2024-01-01", "kemarin", "14/03/2025", dt.datetime(2025, 5, 1),
               dt.datetime(2023, 5, 1), "=TODAY()", 45000, "3275015101900011"]
NAME_VALUES = ["", None, "=HYPERLINK(\"http://x\")", "<script>alert(1)</script>", 10 ** 19, "3275015101900019"]
COLUMN_VALUES = {"NIK": NIK_VALUES, "Terlayani": STATUS_VALUES, "Tanggal layanan": DATE_VALUES, "Nama": NAME_VALUES}
SECRETS = [*PEOPLE, OTHER_REGION, "3275015101900016", "3275015101900017", *NAMES, "Siti Aminah"]


# --------------------------------------------------------------------------------------------- the reference
def _as_read(value, fmt: str):
    """What the reader gets from a cell: CSV holds text; an xlsx formula written by a program has no cached
    value (blank); an xlsx number keeps its digits only when exact."""
    if fmt == "csv":
        return "" if value is None else str(value)
    if isinstance(value, str) and value.startswith("="):
        return None
    return value


def _nik_text(v, fmt: str) -> str | None:
    v = _as_read(v, fmt)
    if v is None or isinstance(v, (bool, dt.datetime)):
        return None
    if isinstance(v, float):
        return str(int(v)) if v.is_integer() and abs(v) < 2 ** 53 else None
    if isinstance(v, int):
        return str(v) if abs(v) < 2 ** 53 else None
    return re.sub(r"[\s']", "", v)


def _status(v, fmt: str) -> str:
    v = _as_read(v, fmt)
    if v is None or (isinstance(v, str) and not v.strip()):
        return "kosong"
    text = str(v).strip().lower()
    return "ya" if text in byname.YA else "tidak" if text in byname.TIDAK else "galat"


def _year(v, fmt: str):
    """Year of the service date, None when blank, 'galat' when unreadable."""
    v = _as_read(v, fmt)
    if v is None or (isinstance(v, str) and not v.strip()):
        return None
    if isinstance(v, dt.datetime):
        return v.year
    for f in ("%Y-%m-%d", "%d/%m/%Y", "%d-%m-%Y", "%d.%m.%Y", "%Y-%m-%d %H:%M:%S"):
        try:
            return dt.datetime.strptime(str(v).strip(), f).year
        except ValueError:
            continue
    return "galat"


def reference(sheets: dict[str | None, list[dict]], fmt: str):
    """(sasaran, terlayani, {(sheet, row) of every rejected row}) written plainly from the rules (DECISIONS D5)."""
    rejected, people = set(), {}
    for sheet, rows in sheets.items():
        texts = [_nik_text(r["NIK"], fmt) for r in rows]
        n16 = [t for t in texts if t and re.fullmatch(r"\d{16}", t)]
        lost = len(n16) >= 3 and sum(t.endswith("0") for t in n16) >= max(3, math.ceil(0.9 * len(n16)))
        for i, (r, nik) in enumerate(zip(rows, texts), start=2):
            status, year = _status(r["Terlayani"], fmt), _year(r["Tanggal layanan"], fmt)
            bad_nik = nik is None or byname.check_nik_one(nik) != 0 or (lost and nik.endswith("0"))
            if bad_nik or status == "galat" or year == "galat":
                rejected.add((sheet, i))
                continue
            served = status == "ya" and year in (None, TAHUN)
            people[nik] = people.get(nik, False) or served
    return len(people), sum(people.values()), rejected


# --------------------------------------------------------------------------------------------- files
def _base_rows() -> list[dict]:
    return [dict(zip(HEADERS, [i + 1, nik, name, f"Jl. Melati No. {i + 1}", status, date]))
            for i, (nik, name, status, date) in enumerate(zip(PEOPLE, NAMES, STATUS, DATES))]


def _write_csv(path, rows: list[dict], headers: list[str], sep: str) -> None:
    with open(path, "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f, delimiter=sep)
        w.writerow(headers)
        for r in rows:
            w.writerow(["" if r[h] is None else str(r[h]) for h in headers])


def _write_xlsx(path, sheets: dict[str, list[dict]], headers: list[str], extra: str | None) -> None:
    wb = Workbook()
    wb.remove(wb.active)
    for title, rows in sheets.items():
        ws = wb.create_sheet(title)
        ws.append(headers)
        for r in rows:
            ws.append([r[h] for h in headers])
    if extra == "kosong":
        wb.create_sheet("Lembar kosong")
    elif extra == "catatan":  # a sheet of notes: not a list of people, so the file is refused, not half read
        wb.create_sheet("Catatan").append(["Catatan petugas", "Siti Aminah 3275015101900016"])
    wb.save(path)


def _stored(path, sheets: dict[str, list[dict]]) -> dict[str, list[dict]]:
    """The rows as the xlsx holds them: a float is stored with the digits a spreadsheet keeps (17 significant
    digits, so 3275015101900017.5 is stored as the whole number 3275015101900018), a formula without a
    cached value reads as blank. The reference judges the file, not the Python objects typed into it."""
    wb = load_workbook(path, data_only=True)
    out = {}
    for title in sheets:
        rows = list(wb[title].iter_rows(values_only=True))
        out[title] = [dict(zip(rows[0], r)) for r in rows[1:]]
    return out


edits = st.lists(st.tuples(st.integers(0, len(PEOPLE) - 1), st.sampled_from(sorted(COLUMN_VALUES)),
                           st.integers(0, 40)), max_size=4)


@settings(max_examples=60, deadline=None, derandomize=True,  # the same cases in every CI run
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(fmt=st.sampled_from(["csv", "xlsx"]), edit=edits, swap=st.tuples(st.integers(0, 11), st.integers(0, 11)),
       columns=st.permutations(HEADERS), excel_saved=st.booleans(), sep=st.sampled_from([",", ";"]),
       sheet=st.sampled_from(["Puskesmas A", "Data 2025"]), extra=st.sampled_from([None, "kosong", "catatan"]),
       split=st.booleans())
def test_mutated_byname_file_gives_exact_counts_or_a_located_error(tmp_path_factory, fmt, edit, swap, columns,
                                                                   excel_saved, sep, sheet, extra, split):
    rows = _base_rows()
    for i, col, pick in edit:
        values = COLUMN_VALUES[col]
        rows[i][col] = values[pick % len(values)]
    a, b = swap  # rows moved
    rows[a], rows[b] = rows[b], rows[a]
    if excel_saved:  # the whole NIK column went through a spreadsheet as a number: 15 digits kept
        for r in rows:
            t = _nik_text(r["NIK"], fmt)
            if t and re.fullmatch(r"\d{16}", t):
                r["NIK"] = int(float(f"{t[:15]}e1")) if fmt == "xlsx" else str(int(float(f"{t[:15]}e1")))
    folder = tmp_path_factory.mktemp("byname")
    path = folder / f"layanan_{fmt}.{fmt}"
    if fmt == "csv":
        sheets = {None: rows}
        _write_csv(path, rows, list(columns), sep)
        extra = None
    else:
        sheets = {sheet: rows[:6], "Puskesmas B": rows[6:]} if split else {sheet: rows}
        _write_xlsx(path, sheets, list(columns), extra)
        sheets = _stored(path, sheets)

    try:
        h = byname.import_byname([path], JENIS, kode_wilayah=KODE, tahun=TAHUN)
    except SPMDataError as exc:  # refused as a whole: only for the sheet of notes, and located there
        assert extra == "catatan", exc
        assert {(p.berkas, p.sheet, p.baris) for p in exc.problems} == {(path.name, "Catatan", 1)}
        texts = [str(exc), exc._repr_html_()]
    else:
        assert extra != "catatan"
        sasaran, terlayani, rejected = reference(sheets, fmt)
        assert (h.ringkasan["jumlah_sasaran"], h.ringkasan["jumlah_terlayani"]) == (sasaran, terlayani)
        assert h.ringkasan["baris_ditolak"] == len(rejected)
        errors = [p for p in h.problems if p.tingkat == SEVERITY_ERROR]
        assert {(p.sheet, p.baris) for p in errors} == rejected  # every rejected row, where it is
        for p in h.problems:
            assert p.berkas == path.name and p.baris is not None and p.kolom and p.alasan, p
        texts = [h.masalah.to_csv(), h.sasaran.to_csv(), h._repr_html_(), repr(h.ringkasan)]
        if errors:
            texts.append(str(SPMDataError(h.problems)))
    for text in texts:  # personal data never echoed
        for secret in SECRETS:
            assert secret not in text, (secret, text[:300])
