"""Generic openpyxl machinery for forms that officers fill in Excel and we read back.

Nothing here knows about SPM: any feature that hands out a workbook and reads it back (data
collection, compliance checklist, ...) can use it. The whole API:

- ``Kolom``: one column of a table block (internal ``key``, the ``judul`` the officer sees, its
  ``jenis`` — teks/bulat/desimal/rupiah — and whether it is an ``isian`` cell to fill).
- ``write_block(ws, columns, rows, header_row=)``: a locked, styled header row and data rows;
  ``isian`` cells are unlocked and carry data validation; ``protect(ws)`` locks the rest.
- ``stamp_marker(wb, meta)`` / ``read_marker(wb)``: a very-hidden key/value sheet so a returned
  form is recognised (format, version, region, year ...).
- ``open_workbook(path)``: load an upload, or raise ``SPMDataError`` saying in Indonesian why it is
  not a usable .xlsx (empty, .xls, CSV, truncated zip ...); ``open_marked(path)`` does that and
  reads the marker, returning ``(workbook, marker, problems)`` instead of raising.
- ``read_block(ws, columns, header_row=, berkas=)``: a table block as a typed DataFrame with
  provenance ``_berkas/_sheet/_baris``, the column letters found, and every cell problem (renamed
  header, text/date/boolean/formula in a number cell, merged cells) — never stopping at the first.
- ``stray_cells(ws, used, berkas)``: warnings for anything typed outside the known cells.
- ``parse_number(value, jenis)``: Indonesian numbers ``1.234.567``, ``12,5``, ``Rp 150.000,-``.
- ``highlight_copy(src, dst, problems)``: a COPY of the workbook with each problem's cell filled
  and commented, plus a problem-list sheet. The source file is only read.

Problems use the header text (``judul``) as ``kolom``, because that is what the officer sees;
``locate`` finds the cell again from it. Formulas are reported, not evaluated: cached results
are absent in files written by scripts and may be stale in others, and a merge must be
reproducible from what is visibly typed.
"""
from __future__ import annotations

import datetime as dt
import re
import zipfile
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any, Iterable, Sequence

import pandas as pd
from openpyxl import Workbook, load_workbook
from openpyxl.cell.cell import MergedCell
from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Font, PatternFill, Protection
from openpyxl.utils import get_column_letter
from openpyxl.utils.exceptions import InvalidFileException
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from spm_helpers.errors import SEVERITY_ERROR, SEVERITY_WARNING, Problem, SPMDataError, shown_in_number_cell
from spm_helpers.files import atomic_path

MARKER_SHEET = "_spm"
PROBLEM_SHEET = "Daftar Masalah"
NUMBER_KINDS = ("bulat", "desimal", "rupiah")

_HEADER_FILL = PatternFill("solid", fgColor="DDEBF7")
_INPUT_FILL = PatternFill("solid", fgColor="FFF9E5")
_ERROR_FILL = PatternFill("solid", fgColor="FFC7CE")
_WARNING_FILL = PatternFill("solid", fgColor="FFEB9C")
_FORMATS = {"bulat": "#,##0", "rupiah": '"Rp" #,##0', "desimal": "#,##0.##", "teks": "@"}


@dataclass(frozen=True)
class Kolom:
    """One column of a table block."""

    key: str
    judul: str
    jenis: str = "teks"  # teks | bulat | desimal | rupiah
    isian: bool = False  # the officer fills it: unlocked, validated, tinted
    lebar: float = 16.0
    petunjuk: str = ""  # input prompt shown when the cell is selected


@dataclass
class Block:
    """A table block read back: typed values, where they came from, and what was wrong."""

    frame: pd.DataFrame
    problems: list[Problem] = field(default_factory=list)
    letters: dict[str, str] = field(default_factory=dict)  # key -> column letter
    used: set[tuple[int, int]] = field(default_factory=set)  # (row, col) cells that belong to the block


# --------------------------------------------------------------------------------------------- writing
def as_text(cell, value: Any):
    """Put ``value`` in ``cell``; text is always stored as text. openpyxl stores a str starting with '='
    as a formula, so a unit name or problem text like '=HYPERLINK(...)' would run when the file is
    opened (formula injection); typed as a string it is shown as written. Returns the cell."""
    cell.value = value
    if isinstance(value, str) and value.startswith("="):
        cell.data_type = "s"
    return cell


def write_title(ws: Worksheet, lines: Sequence[str], start_row: int = 1) -> int:
    """Title lines (first one bold); returns the next free row."""
    for i, text in enumerate(lines):
        cell = as_text(ws.cell(row=start_row + i, column=1), text)
        cell.font = Font(bold=(i == 0), size=13 if i == 0 else 11)
    return start_row + len(lines)


def write_block(ws: Worksheet, columns: Sequence[Kolom], rows: Iterable[Sequence[Any]], *,
                header_row: int) -> int:
    """Write a header and data rows; ``isian`` cells are unlocked and validated. Returns the last row."""
    for j, col in enumerate(columns, start=1):
        cell = as_text(ws.cell(row=header_row, column=j), col.judul)
        cell.font, cell.fill = Font(bold=True), _HEADER_FILL
        cell.alignment = Alignment(wrap_text=True, vertical="center")
        letter = get_column_letter(j)
        ws.column_dimensions[letter].width = max(ws.column_dimensions[letter].width or 0, col.lebar)
    last = header_row
    for last, values in enumerate(rows, start=header_row + 1):
        for j, (col, value) in enumerate(zip(columns, values), start=1):
            cell = as_text(ws.cell(row=last, column=j), None if _blank(value) else value)
            cell.number_format = _FORMATS.get(col.jenis, "General")
            if col.isian:
                cell.protection, cell.fill = Protection(locked=False), _INPUT_FILL
    if last > header_row:
        for j, col in enumerate(columns, start=1):
            if col.isian:
                _validate_range(ws, col, f"{get_column_letter(j)}{header_row + 1}:{get_column_letter(j)}{last}")
    return last


def _validate_range(ws: Worksheet, col: Kolom, sqref: str) -> None:
    if col.jenis in NUMBER_KINDS:
        whole = col.jenis != "desimal"
        dv = DataValidation(type="whole" if whole else "decimal", operator="greaterThanOrEqual",
                            formula1="0", allow_blank=True, showErrorMessage=True,
                            errorTitle="Isian tidak valid",
                            error=("Isi dengan bilangan bulat 0 atau lebih" if whole else
                                   "Isi dengan angka 0 atau lebih") + "; kosongkan jika tidak ada data.")
    else:
        dv = DataValidation(type="textLength", operator="lessThanOrEqual", formula1="255", allow_blank=True)
    if col.petunjuk:
        dv.showInputMessage, dv.promptTitle, dv.prompt = True, col.judul[:32], col.petunjuk[:255]
    dv.add(sqref)
    ws.add_data_validation(dv)


def protect(ws: Worksheet) -> None:
    """Lock every cell not unlocked by ``write_block``; no password, widths and sorting stay free."""
    ws.protection = ws.protection.__class__(sheet=True, formatColumns=False, formatRows=False,
                                            formatCells=False)


def stamp_marker(wb: Workbook, meta: dict[str, Any]) -> None:
    """Store ``meta`` in a very-hidden sheet (not unhideable from the Excel menu)."""
    ws = wb[MARKER_SHEET] if MARKER_SHEET in wb.sheetnames else wb.create_sheet(MARKER_SHEET)
    ws.delete_rows(1, ws.max_row)
    for i, (key, value) in enumerate(meta.items(), start=1):
        ws.cell(row=i, column=1, value=str(key))
        as_text(ws.cell(row=i, column=2), "" if value is None else str(value))
    ws.sheet_state = "veryHidden"
    protect(ws)


def read_marker(wb: Workbook) -> dict[str, str] | None:
    """The stamped metadata, or None when the workbook has no marker sheet."""
    if MARKER_SHEET not in wb.sheetnames:
        return None
    ws = wb[MARKER_SHEET]
    return {str(k): "" if v is None else str(v)
            for k, v in ws.iter_rows(min_col=1, max_col=2, values_only=True) if k is not None}


# --------------------------------------------------------------------------------------------- reading
def open_workbook(path: str | Path, berkas: str | None = None) -> Workbook:
    """Load an uploaded workbook (formulas kept as text) or explain in Indonesian why it cannot be."""
    path = Path(path)
    name = berkas or path.name

    def fail(alasan: str) -> SPMDataError:
        return SPMDataError([Problem(alasan, berkas=name)])

    if not path.is_file():
        raise fail("berkas tidak ditemukan")
    if path.stat().st_size == 0:
        raise fail("berkas kosong (0 byte)")
    head = path.read_bytes()[:8]
    if head.startswith(b"\xd0\xcf\x11\xe0"):
        if is_encrypted_ooxml(path):
            raise fail(ENCRYPTED_MESSAGE)
        raise fail("format Excel lama (.xls) tidak didukung: buka di Excel lalu simpan sebagai .xlsx")
    if not head.startswith(b"PK"):
        raise fail("bukan berkas Excel (.xlsx): isinya teks atau format lain")
    if is_ods(path):
        raise fail(ODS_MESSAGE)
    try:
        return load_workbook(path, data_only=False)
    except (zipfile.BadZipFile, EOFError, zipfile.LargeZipFile):
        raise fail("berkas Excel rusak atau terpotong (unduhan/penyalinan tidak selesai?)") from None
    except (InvalidFileException, KeyError, ValueError, TypeError, OSError):
        raise fail("berkas Excel tidak dapat dibaca: struktur .xlsx tidak lengkap atau rusak") from None


ENCRYPTED_MESSAGE = ("berkas Excel dilindungi kata sandi (terenkripsi) sehingga isinya tidak dapat dibaca: buka "
                     "di Excel, pilih File > Info > Lindungi Buku Kerja > Enkripsi dengan Kata Sandi, kosongkan "
                     "kata sandinya, simpan, lalu kirim ulang")
ODS_MESSAGE = ("berkas ini format LibreOffice/OpenDocument (.ods), bukan .xlsx: buka di LibreOffice Calc, pilih "
               "File > Simpan Sebagai, jenis berkas 'Excel 2007-365 (.xlsx)', pilih 'Gunakan Format Excel', lalu "
               "kirim berkas .xlsx itu")


def is_encrypted_ooxml(path: str | Path) -> bool:
    """An encrypted .xlsx is an OLE2 container (like an old .xls) holding an 'EncryptionInfo' stream."""
    with open(path, "rb") as fh:
        data = fh.read(1 << 20)
    return data.startswith(b"\xd0\xcf\x11\xe0") and "EncryptionInfo".encode("utf-16-le") in data


def is_ods(path: str | Path) -> bool:
    """An OpenDocument spreadsheet: a zip whose 'mimetype' member says so."""
    try:
        with zipfile.ZipFile(path) as z:
            return "mimetype" in z.namelist() and z.read("mimetype").startswith(b"application/vnd.oasis.opendocument")
    except (zipfile.BadZipFile, OSError, KeyError, EOFError):
        return False


def open_marked(path: str | Path, berkas: str | None = None) -> tuple[Workbook | None, dict[str, str] | None,
                                                                     list[Problem]]:
    """``open_workbook`` + ``read_marker`` for batch imports: (workbook, marker, problems), never raising."""
    try:
        wb = open_workbook(path, berkas=berkas)
    except SPMDataError as exc:
        return None, None, exc.problems
    return wb, read_marker(wb), []


def _norm(text: Any) -> str:
    return re.sub(r"\s+", " ", str(text)).strip().casefold() if text is not None else ""


def find_columns(ws: Worksheet, columns: Sequence[Kolom], header_row: int,
                 berkas: str | None) -> tuple[dict[str, int], list[Problem]]:
    """Column index of each ``judul`` in the header row; a renamed/removed header is an error."""
    found = {_norm(c.value): c.column for c in ws[header_row] if c.value is not None}
    where, problems = {}, []
    for j, col in enumerate(columns, start=1):
        if _norm(col.judul) in found:
            where[col.key] = found[_norm(col.judul)]
        else:
            problems.append(Problem(f"judul kolom '{col.judul}' tidak ditemukan (diubah atau dihapus?); "
                                    "kembalikan judul seperti semula", berkas=berkas, sheet=ws.title,
                                    baris=header_row, kolom=col.judul, nilai=ws.cell(header_row, j).value))
    return where, problems


def read_block(ws: Worksheet, columns: Sequence[Kolom], *, header_row: int, berkas: str | None = None,
               last_row: int | None = None) -> Block:
    """Read the rows under ``header_row`` (to ``last_row`` or the sheet's end), skipping blank rows.

    Number columns are parsed with ``parse_number``; each bad cell is a problem and becomes NA.
    """
    where, problems = find_columns(ws, columns, header_row, berkas)
    last_row = ws.max_row if last_row is None else last_row
    merged = merged_cells(ws, header_row, last_row)
    records, used = [], {(header_row, j) for j in where.values()}
    for r in range(header_row + 1, last_row + 1):
        cells = {col.key: ws.cell(r, where[col.key]) for col in columns if col.key in where}
        if all(_blank(c.value) and not isinstance(c, MergedCell) and (r, c.column) not in merged
               for c in cells.values()):
            continue
        rec: dict[str, Any] = {"_berkas": berkas, "_sheet": ws.title, "_baris": r}
        for col in columns:
            if col.key not in cells:
                rec[col.key] = pd.NA
                continue
            cell = cells[col.key]
            used.add((r, cell.column))
            value, alasan = _cell_value(cell, col, merged.get((r, cell.column)))
            rec[col.key] = value
            if alasan:
                raw = cell.value if isinstance(cell.value, (dt.datetime, dt.date)) else _shown(cell.value)
                shown = shown_in_number_cell(raw) if col.jenis in NUMBER_KINDS else _shown(cell.value)
                problems.append(Problem(alasan, berkas=berkas, sheet=ws.title, baris=r, kolom=col.judul,
                                        nilai=shown))
        records.append(rec)
    frame = pd.DataFrame.from_records(records, columns=["_berkas", "_sheet", "_baris"] + [c.key for c in columns])
    for col in columns:
        frame[col.key] = _typed(frame[col.key], col.jenis)
    frame["_baris"] = frame["_baris"].astype("Int64")
    letters = {k: get_column_letter(j) for k, j in where.items()}
    return Block(frame, problems, letters, used)


def merged_cells(ws: Worksheet, first: int, last: int) -> dict[tuple[int, int], str]:
    """(row, column) → merged range ('B7:C7') for every cell of a merge touching rows first–last."""
    out = {}
    for rng in ws.merged_cells.ranges:
        if rng.max_row < first or rng.min_row > last:
            continue
        for r in range(rng.min_row, rng.max_row + 1):
            for c in range(rng.min_col, rng.max_col + 1):
                out[(r, c)] = rng.coord
    return out


def _cell_value(cell, col: Kolom, merged_range: str | None) -> tuple[Any, str | None]:
    if merged_range:
        return pd.NA, f"sel digabung (merge) {merged_range}: pisahkan sel (Unmerge) lalu isi tiap sel"
    if cell.data_type == "f":
        return pd.NA, "berisi rumus (formula); ketik angkanya saja (salin lalu Tempel Nilai / Paste Values)"
    if cell.data_type == "e":
        return pd.NA, f"berisi galat Excel {cell.value}; ketik nilainya"
    if col.jenis in NUMBER_KINDS:
        return parse_number(cell.value, col.jenis)
    value = cell.value
    if _blank(value):
        return pd.NA, None
    if isinstance(value, (dt.datetime, dt.date)):
        value = value.date().isoformat() if isinstance(value, dt.datetime) else value.isoformat()
    return str(value).strip(), None


def _typed(series: pd.Series, jenis: str) -> pd.Series:
    if jenis in ("bulat", "rupiah"):
        return pd.array(list(series), dtype="Int64") if len(series) else series.astype("Int64")
    if jenis == "desimal":
        return series.astype("Float64")
    return series.astype(object).where(series.notna(), None)


def _shown(value: Any) -> Any:
    if isinstance(value, (dt.datetime, dt.date)):
        return value.isoformat()
    return getattr(value, "text", value)  # ArrayFormula keeps its text in .text


def _blank(value: Any) -> bool:
    if value is None or value is pd.NA:
        return True
    if isinstance(value, float) and value != value:
        return True
    return isinstance(value, str) and value.strip() == ""


def stray_cells(ws: Worksheet, used: set[tuple[int, int]], berkas: str | None = None,
                summary_limit: int = 20) -> list[Problem]:
    """One warning per row that has typed content outside the known cells (it is ignored); more rows
    than ``summary_limit`` give one summarised warning."""
    rows: dict[int, list[str]] = {}
    for row in ws.iter_rows():
        for cell in row:
            if (cell.row, cell.column) not in used and not isinstance(cell, MergedCell) and not _blank(cell.value):
                rows.setdefault(cell.row, []).append(cell.coordinate)
    if len(rows) > summary_limit:
        first, last = min(rows), max(rows)
        n = lambda x: f"{x:,}".replace(",", ".")  # Indonesian thousands
        return [Problem(f"isian di luar kolom/baris formulir diabaikan pada {n(len(rows))} baris (baris {n(first)}–"
                        f"{n(last)}, mis. {', '.join(rows[first][:3])}); hapus isian itu", berkas=berkas,
                        sheet=ws.title, baris=first,
                        tingkat=SEVERITY_WARNING)]
    return [Problem("isian di luar kolom/baris formulir diabaikan: " + ", ".join(coords[:5])
                    + (" ..." if len(coords) > 5 else ""), berkas=berkas, sheet=ws.title, baris=r,
                    tingkat=SEVERITY_WARNING) for r, coords in sorted(rows.items())]


# --------------------------------------------------------------------------------------------- numbers
_CURRENCY = re.compile(r"^(rp\.?|idr)\s*", re.IGNORECASE)
_ID_GROUPED = re.compile(r"^[+-]?\d{1,3}(\.\d{3})+(,\d+)?$")
_ID_PLAIN = re.compile(r"^[+-]?\d+(,\d+)?$")
_SPACE_GROUPED = re.compile(r"^[+-]?\d{1,3}( \d{3})+(,\d+)?$")


MAX_NUMBER = Decimal(10) ** 15  # beyond any count or price of one region; and beyond Excel's exact digits
_EN_GROUPED = re.compile(r"^[+-]?\d{1,3}(,\d{3})+$")


DATE_IN_NUMBER = ("berisi tanggal, bukan angka; bila yang diketik memang angka, sel ini berformat tanggal: "
                  "ubah format sel menjadi Angka (Format Cells → Number) lalu ketik ulang angkanya")


def parse_number(value: Any, jenis: str = "desimal") -> tuple[Any, str | None]:
    """(number or NA, Indonesian reason or None). Blank is NA, never 0; ``jenis`` bulat/rupiah need whole numbers.

    Text follows Indonesian writing: dots group thousands, a comma marks decimals, and 'Rp'/',-'
    are allowed. '12.5' is refused as ambiguous rather than guessed.
    """
    if _blank(value):
        return pd.NA, None
    if isinstance(value, bool):
        return pd.NA, "berisi nilai benar/salah (TRUE/FALSE), bukan angka"
    if isinstance(value, (dt.datetime, dt.date, dt.time, dt.timedelta)):
        return pd.NA, DATE_IN_NUMBER
    if isinstance(value, (int, float, Decimal)):
        number = Decimal(str(value))
    elif isinstance(value, str):
        t = _CURRENCY.sub("", value.strip())
        if jenis in ("bulat", "rupiah") and _EN_GROUPED.match(t):  # '96,969': English thousands? Ask, don't guess.
            return pd.NA, (f"format angka tidak jelas: koma adalah tanda desimal; bila maksudnya "
                           f"{t.replace(',', '.')} (ribuan), tulis {t.replace(',', '')} atau {t.replace(',', '.')}; "
                           "kolom ini hanya menerima bilangan bulat")
        number, alasan = _parse_text(value)
        if alasan:
            return pd.NA, alasan
    else:
        return pd.NA, "bukan angka"
    if not number.is_finite():
        return pd.NA, "bukan angka"
    if abs(number) > MAX_NUMBER:
        return pd.NA, ("angka terlalu besar (lebih dari 15 digit): Excel hanya menyimpan 15 digit dengan tepat; "
                       "periksa apakah yang terisi NIK atau nomor lain, bukan jumlah")
    if number == number.to_integral_value():
        return int(number), None
    if jenis in ("bulat", "rupiah"):
        return pd.NA, "harus bilangan bulat (tanpa desimal)"
    return float(number), None


def _parse_text(text: str) -> tuple[Decimal | None, str | None]:
    s = text.replace("\u00a0", " ").replace("\u202f", " ").strip()
    s = _CURRENCY.sub("", s)
    s = re.sub(r"[,.]-$", "", s).strip()
    if s in ("-", "–", "—"):
        return None, "tanda '-' tidak jelas: isi 0 jika nol, kosongkan jika tidak ada data"
    if _SPACE_GROUPED.match(s):
        s = s.replace(" ", ".")
    if _ID_GROUPED.match(s):
        s = s.replace(".", "")
    elif not _ID_PLAIN.match(s):
        if re.fullmatch(r"[+-]?\d+\.\d+", s):
            return None, ("format angka tidak jelas: pakai titik untuk ribuan dan koma untuk desimal "
                          "(misalnya 1.234 atau 12,5)")
        return None, "bukan angka"
    try:
        return Decimal(s.replace(",", ".")), None
    except InvalidOperation:  # pragma: no cover - the regexes above only admit valid decimals
        return None, "bukan angka"


# --------------------------------------------------------------------------------------------- marking
def locate(ws: Worksheet, problem: Problem, search_rows: int = 60) -> str | None:
    """Cell coordinate of a problem: its row, and the column whose header (above it) reads ``kolom``."""
    if problem.baris is None:
        return None
    if problem.kolom:
        want = _norm(problem.kolom)
        for r in range(min(problem.baris, search_rows), 0, -1):
            for cell in ws[r]:
                if _norm(cell.value) == want:
                    return f"{get_column_letter(cell.column)}{problem.baris}"
    return f"A{problem.baris}"


def highlight_copy(src: str | Path, dst: str | Path, problems: Sequence[Problem], *,
                   overwrite: bool = False) -> Path:
    """Write a copy of ``src`` with the cell of each of its ``problems`` coloured and commented.

    Errors are red, warnings yellow; all problems (also those without a cell) are listed on a
    sheet 'Daftar Masalah'. Pass only this workbook's problems. ``src`` is only read.
    """
    wb = open_workbook(src)
    notes: dict[tuple[str, str], list[Problem]] = {}
    for p in problems:
        if p.sheet not in wb.sheetnames:
            continue
        coord = locate(wb[p.sheet], p)
        if coord:
            notes.setdefault((p.sheet, coord), []).append(p)
    for (sheet, coord), found in notes.items():
        cell = wb[sheet][coord]
        if isinstance(cell, MergedCell):
            continue
        worst = SEVERITY_ERROR if any(p.tingkat == SEVERITY_ERROR for p in found) else SEVERITY_WARNING
        cell.fill = _ERROR_FILL if worst == SEVERITY_ERROR else _WARNING_FILL
        text = "\n".join(f"[{p.tingkat}] {p.alasan}" for p in found)
        cell.comment = Comment(text, "SPM Workbench", width=320, height=40 + 18 * len(found))
    _problem_sheet(wb, problems)
    with atomic_path(dst, overwrite=overwrite) as tmp:
        wb.save(tmp)
    return Path(dst)


def _problem_sheet(wb: Workbook, problems: Sequence[Problem]) -> None:
    if PROBLEM_SHEET in wb.sheetnames:
        del wb[PROBLEM_SHEET]
    ws = wb.create_sheet(PROBLEM_SHEET, 0)
    cols = [Kolom("sheet", "Sheet", lebar=14), Kolom("baris", "Baris", lebar=8), Kolom("kolom", "Kolom", lebar=22),
            Kolom("nilai", "Nilai", lebar=18), Kolom("alasan", "Alasan", lebar=70),
            Kolom("tingkat", "Tingkat", lebar=12)]
    write_block(ws, cols, ([p.sheet, p.baris, p.kolom, None if p.nilai is None else str(p.nilai), p.alasan,
                            p.tingkat] for p in problems), header_row=1)
