"""The compliance checklist as an Excel workbook: write a blank (or prefilled) form, read filled ones.

Layout of sheet 'Penilaian': locked indicator columns A–F, then one column per service unit whose
header (row ``HEADER_ROW``, tinted) holds the unit's name and whose cells hold the values 0–3 (or
0/1), with a drop-down list. The generic machinery (marker, protection, reading an upload) is
``spm_helpers.inputs.workbook``; everything here is specific to the checklist.
"""
from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill, Protection
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from spm_helpers import __version__
from spm_helpers.compliance import scoring as cp
from spm_helpers.errors import Problem, SPMDataError, SPMError, shown_in_number_cell
from spm_helpers.files import atomic_path
from spm_helpers.inputs.workbook import (
    Kolom,
    as_text,
    merged_cells,
    open_workbook,
    parse_number,
    protect,
    read_block,
    read_marker,
    stamp_marker,
    stray_cells,
    write_block,
    write_title,
)
from spm_helpers.reference import regions

FORMAT = "spm-kepatuhan"
VERSI = "1"
SHEET = "Penilaian"
PETUNJUK = "Petunjuk"
HEADER_ROW = 7
BLANK_UNITS = 12
FIXED = [
    Kolom("kode_indikator", "Kode", lebar=9), Kolom("dimensi", "Dimensi", lebar=12),
    Kolom("komponen", "Komponen standar (UU 25/2009 Ps. 21)", lebar=22),
    Kolom("indikator", "Indikator", lebar=30), Kolom("uraian", "Yang diperiksa", lebar=48),
    Kolom("nilai_maks", "Nilai maks", jenis="bulat", lebar=7),
]
FIRST_UNIT_COL = len(FIXED) + 1
_UNIT_FILL = PatternFill("solid", fgColor="FFF2CC")
_VALUE_FILL = PatternFill("solid", fgColor="FFF9E5")


def form_filename(kode_wilayah: str, tahun: int, skema: str = cp.DEFAULT_SKEMA) -> str:
    return f"formulir_kepatuhan_{kode_wilayah}_{tahun}_{skema}.xlsx"


# --------------------------------------------------------------------------------------------- writing
def write_formulir(path: str | Path, kode_wilayah: str, tahun: int, skema: str = cp.DEFAULT_SKEMA, *,
                   units: Sequence[str] = (), penilaian: pd.DataFrame | None = None,
                   overwrite: bool = False) -> Path:
    """Write a checklist workbook atomically; an existing file is kept unless ``overwrite``.

    ``units`` names the unit columns (default: ``BLANK_UNITS`` blank columns to name). ``penilaian``
    (tidy) prefills values, and its units are added to ``units``.
    """
    region = regions.get(kode_wilayah)
    inst = cp.instrument(skema)
    names = list(dict.fromkeys([*units, *([] if penilaian is None else penilaian["unit"])]))
    values = {} if penilaian is None else {(r.unit, r.kode_indikator): r.nilai for r in penilaian.itertuples()}
    wb = Workbook()
    ws = wb.active
    ws.title = SHEET
    _checklist_sheet(ws, inst, region, int(tahun), names or [None] * BLANK_UNITS, values)
    _instructions(wb.create_sheet(PETUNJUK), inst, region, int(tahun))
    stamp_marker(wb, {"format": FORMAT, "versi": VERSI, "kode_wilayah": region.kode_wilayah,
                      "tahun": int(tahun), "skema": skema, "indikator": ",".join(inst.codes),
                      "baris_judul": HEADER_ROW, "dibuat_oleh": f"SPM Workbench {__version__}"})
    with atomic_path(path, overwrite=overwrite) as tmp:
        wb.save(tmp)
    return Path(path)


def _checklist_sheet(ws, inst: cp.Instrument, region: regions.Region, tahun: int,
                     units: list[str | None], values: dict) -> None:
    write_title(ws, [
        "Formulir Penilaian Mandiri Kepatuhan Standar Pelayanan Publik",
        f"Wilayah: {region.nama} ({region.kode_wilayah})    Tahun: {tahun}    Skema: {inst.skema}",
        cp.LABEL_SIMULASI,
        (f"Tulis nama unit layanan di sel kuning baris {HEADER_ROW} (mulai kolom "
         f"{get_column_letter(FIRST_UNIT_COL)}), lalu isi nilai tiap indikator (arti nilai: sheet {PETUNJUK})."),
        "Kosongkan sel yang belum dinilai. Jangan mengubah kolom A–F, nama sheet, atau menyisipkan baris.",
    ])
    komp = cp.komponen().set_index("kode_komponen")
    dims = inst.dimensi.set_index("dimensi")["nama_dimensi"]
    rows = [[i.kode_indikator, dims[i.dimensi],
             f"{komp.at[i.kode_komponen, 'pasal21_huruf']}. {komp.at[i.kode_komponen, 'nama']}"
             if pd.notna(i.kode_komponen) else "–", i.indikator, i.uraian, int(i.nilai_maks)]
            for i in inst.indikator.itertuples()]
    last = write_block(ws, FIXED, rows, header_row=HEADER_ROW)
    for row in ws.iter_rows(min_row=HEADER_ROW + 1, max_row=last, max_col=len(FIXED)):
        for cell in row:
            cell.alignment = Alignment(wrap_text=True, vertical="top")
    lists: dict[int, DataValidation] = {}
    for j, unit in enumerate(units, start=FIRST_UNIT_COL):
        head = as_text(ws.cell(HEADER_ROW, j), unit)
        head.font, head.fill, head.protection = Font(bold=True), _UNIT_FILL, Protection(locked=False)
        head.alignment = Alignment(wrap_text=True, vertical="center")
        ws.column_dimensions[get_column_letter(j)].width = 14
        for r, ind in enumerate(inst.indikator.itertuples(), start=HEADER_ROW + 1):
            value = values.get((unit, ind.kode_indikator))
            cell = ws.cell(r, j, None if value is None or pd.isna(value) else int(value))
            cell.fill, cell.protection = _VALUE_FILL, Protection(locked=False)
            cell.alignment = Alignment(horizontal="center")
            maks = int(ind.nilai_maks)
            if maks not in lists:
                lists[maks] = DataValidation(
                    type="list", formula1='"' + ",".join(str(v) for v in range(maks + 1)) + '"', allow_blank=True,
                    showErrorMessage=True, errorTitle="Nilai tidak valid",
                    error=f"Pilih bilangan bulat 0 sampai {maks}, atau kosongkan bila belum dinilai.")
                ws.add_data_validation(lists[maks])
            lists[maks].add(cell.coordinate)
    ws.freeze_panes = ws.cell(HEADER_ROW + 1, FIRST_UNIT_COL)
    protect(ws)


def _instructions(ws, inst: cp.Instrument, region: regions.Region, tahun: int) -> None:
    row = write_title(ws, [
        "Petunjuk penilaian mandiri kepatuhan standar pelayanan publik",
        f"{region.nama} ({region.kode_wilayah}), tahun {tahun}, skema {inst.skema}",
        cp.LABEL_SIMULASI,
        ("Instrumen resmi Ombudsman RI hanya sebagian diketahui; indikator dan bobot di sini adalah data "
         "dengan sumber dan status (lihat datasets/kepatuhan/SUMBER.md)."),
    ]) + 1
    ws.cell(row, 1, "Arti nilai").font = Font(bold=True)
    row = write_block(ws, [Kolom("nilai", "Nilai", jenis="bulat", lebar=9), Kolom("arti", "Arti", lebar=70)],
                      inst.skala[["nilai", "arti"]].itertuples(index=False), header_row=row + 1) + 2
    ws.cell(row, 1, "Kategori dan zona").font = Font(bold=True)
    bands = [[k.kategori, f"{k.batas_bawah:g} – <{k.batas_atas:g}" if k.batas_atas < 100
              else f"{k.batas_bawah:g} – 100", k.opini, k.zona] for k in inst.kategori.itertuples()]
    row = write_block(ws, [Kolom("kategori", "Kategori", lebar=9), Kolom("rentang", "Rentang nilai", lebar=70),
                           Kolom("opini", "Opini", lebar=22), Kolom("zona", "Zona", lebar=10)],
                      bands, header_row=row + 1) + 2
    ws.cell(row, 1, "Dimensi dan bobot").font = Font(bold=True)
    write_block(ws, [Kolom("dimensi", "Dimensi", lebar=9), Kolom("variabel", "Variabel", lebar=70),
                     Kolom("bobot", "Bobot (%)", jenis="desimal", lebar=22)],
                [[d.nama_dimensi, d.variabel, d.bobot] for d in inst.dimensi.itertuples()], header_row=row + 1)
    protect(ws)


# --------------------------------------------------------------------------------------------- reading
@dataclass
class Formulir:
    """One checklist read back: its marker and the raw tidy rows with provenance (not yet validated)."""

    berkas: str
    meta: dict[str, str] = field(default_factory=dict)
    rows: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(columns=cp.PENILAIAN_COLUMNS))
    problems: list[Problem] = field(default_factory=list)


def _region_name(kode: str) -> str:
    try:
        return str(regions.get(kode))
    except SPMError:
        return kode


def read_formulir(path: str | Path, *, kode_wilayah: str | None = None, skema: str | None = None,
                  berkas: str | None = None) -> Formulir:
    """Read one filled checklist; problems are collected (never raised) so many files report together."""
    name = berkas or Path(path).name
    out = Formulir(name)
    try:
        wb = open_workbook(path, berkas=name)
    except SPMDataError as exc:
        out.problems = exc.problems
        return out
    meta = read_marker(wb)
    if meta is None or meta.get("format") != FORMAT:
        out.problems.append(Problem("bukan formulir penilaian kepatuhan SPM Workbench (penanda formulir tidak "
                                    "ditemukan); buat formulir dengan 'spm kepatuhan formulir'", berkas=name))
        return out
    out.meta = meta
    if meta.get("versi") != VERSI:
        out.problems.append(Problem(f"versi formulir {meta.get('versi')!r} tidak dapat dibaca (yang dibaca: versi "
                                    f"{VERSI}); buat formulir baru dengan 'spm kepatuhan formulir'", berkas=name))
        return out
    want = regions.normalize_code(kode_wilayah) if kode_wilayah else None
    if want and meta.get("kode_wilayah") != want:
        out.problems.append(Problem(f"formulir ini untuk {_region_name(meta.get('kode_wilayah', '?'))}, bukan "
                                    f"{_region_name(want)}", berkas=name, sheet=SHEET, baris=2,
                                    nilai=meta.get("kode_wilayah")))
    if meta.get("skema") not in cp.skema_list() or (skema and meta.get("skema") != skema):
        out.problems.append(Problem(f"formulir memakai skema '{meta.get('skema')}', bukan "
                                    f"'{skema or ' / '.join(cp.skema_list())}'", berkas=name, sheet=SHEET,
                                    baris=2, nilai=meta.get("skema")))
    if SHEET not in wb.sheetnames:
        out.problems.append(Problem(f"sheet '{SHEET}' tidak ditemukan (dihapus atau diganti nama?)",
                                    berkas=name, sheet=SHEET))
    if out.problems:
        return out
    inst = cp.instrument(meta["skema"])
    if meta.get("indikator") != ",".join(inst.codes):
        out.problems.append(Problem(f"formulir ini dibuat dengan daftar indikator skema '{inst.skema}' yang lain "
                                    "(instrumen sudah diperbarui); salin nilainya ke formulir baru dari "
                                    "'spm kepatuhan formulir'", berkas=name))
        return out
    out.rows, out.problems = _read_sheet(wb[SHEET], inst, meta["kode_wilayah"], name)
    return out


def _read_sheet(ws, inst: cp.Instrument, kode: str, berkas: str) -> tuple[pd.DataFrame, list[Problem]]:
    last = HEADER_ROW + len(inst.codes)
    block = read_block(ws, FIXED, header_row=HEADER_ROW, berkas=berkas, last_row=last)
    problems = list(block.problems)
    codes = dict(zip(block.frame["_baris"], block.frame["kode_indikator"]))
    for r, code in enumerate(inst.codes, start=HEADER_ROW + 1):
        if codes.get(r) != code:
            problems.append(Problem(f"kode indikator di baris ini diubah atau barisnya bergeser; seharusnya {code}",
                                    berkas=berkas, sheet=ws.title, baris=r, kolom=FIXED[0].judul,
                                    nilai=codes.get(r)))
    units, found = _unit_columns(ws, last, berkas)
    problems += found
    merged = merged_cells(ws, HEADER_ROW, last)
    for j, unit in units:
        if (HEADER_ROW, j) in merged:
            problems.append(Problem(f"nama unit ada di sel digabung (merge) {merged[(HEADER_ROW, j)]}: pisahkan sel "
                                    "(Unmerge), satu unit satu kolom", berkas=berkas, sheet=ws.title,
                                    baris=HEADER_ROW, kolom=unit))
    records = []
    for j, unit in units:
        for r, code in enumerate(inst.codes, start=HEADER_ROW + 1):
            if (r, j) in merged:
                problems.append(Problem(f"sel digabung (merge) {merged[(r, j)]}: pisahkan sel (Unmerge) lalu isi "
                                        "nilai tiap sel", berkas=berkas, sheet=ws.title, baris=r, kolom=unit))
                records.append((kode, unit, code, pd.NA, berkas, ws.title, r, unit))
                continue
            nilai, alasan = _cell_number(ws.cell(r, j))
            if alasan:
                problems.append(Problem(alasan, berkas=berkas, sheet=ws.title, baris=r, kolom=unit,
                                        nilai=shown_in_number_cell(ws.cell(r, j).value)))
            records.append((kode, unit, code, nilai, berkas, ws.title, r, unit))
    if not units:
        problems.append(Problem(f"belum ada unit yang diisi: tulis nama unit di baris {HEADER_ROW} mulai kolom "
                                f"{get_column_letter(FIRST_UNIT_COL)}", berkas=berkas, sheet=ws.title,
                                baris=HEADER_ROW))
    used = {(r, c) for r in range(HEADER_ROW, last + 1) for c in range(1, ws.max_column + 1)}
    problems += stray_cells(ws, used | {(r, 1) for r in range(1, HEADER_ROW)}, berkas)  # + title lines
    cols = [*cp.PENILAIAN_COLUMNS, "_berkas", "_sheet", "_baris", "_kolom"]
    return pd.DataFrame.from_records(records, columns=cols), problems


def _cell_number(cell) -> tuple[object, str | None]:
    if cell.data_type == "f":
        return pd.NA, "berisi rumus (formula); ketik nilainya saja"
    nilai, alasan = parse_number(cell.value, "bulat")
    return nilai, None if alasan is None else f"nilai {alasan}"


def _unit_columns(ws, last: int, berkas: str) -> tuple[list[tuple[int, str]], list[Problem]]:
    """(column, unit name) per named unit column; a nameless column with values, or a repeated name, is a problem."""
    units, problems, seen = [], [], set()
    for j in range(FIRST_UNIT_COL, ws.max_column + 1):
        head = ws.cell(HEADER_ROW, j).value
        where = {"berkas": berkas, "sheet": ws.title, "baris": HEADER_ROW}
        if _is_blank(head):
            if any(not _is_blank(ws.cell(r, j).value) for r in range(HEADER_ROW + 1, last + 1)):
                problems.append(Problem("nilai sudah diisi tetapi nama unit di atasnya kosong; tulis nama unit",
                                        kolom=get_column_letter(j), **where))
            continue
        name = " ".join(str(head).split())
        if name.casefold() in seen:
            problems.append(Problem("nama unit ganda: satu unit hanya boleh satu kolom", kolom=name,
                                    nilai=head, **where))
            continue
        seen.add(name.casefold())
        units.append((j, name))
    return units, problems


def _is_blank(value) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def read_formulirs(paths: Iterable[str | Path], *, kode_wilayah: str | None = None, skema: str | None = None,
                   raw: bool = False, only_matching: bool = False) -> pd.DataFrame:
    """Read several checklists into one tidy assessment; every problem in every file is raised together.

    All forms must use one scheme (the first form's, unless ``skema`` is given). With ``only_matching``
    a form made for another region or scheme is left out instead of refused (a data folder may hold
    every region's forms). ``raw`` keeps provenance columns and skips the final validation.
    """
    frames, problems = [], []
    for path in paths:
        form = read_formulir(path, kode_wilayah=None if only_matching else kode_wilayah,
                             skema=None if only_matching else skema)
        if only_matching and form.meta and (form.meta.get("kode_wilayah"), form.meta.get("skema")) \
                != (kode_wilayah or form.meta.get("kode_wilayah"), skema or form.meta.get("skema")):
            continue
        skema = skema or form.meta.get("skema")
        problems += form.problems
        frames.append(form.rows)
    rows = pd.concat(frames, ignore_index=True) if frames else pd.DataFrame(columns=cp.PENILAIAN_COLUMNS)
    if not rows.empty and skema in cp.skema_list():
        try:
            checked = cp.validate_penilaian(rows, skema)
            rows = rows if raw else checked
        except SPMDataError as exc:
            problems += exc.problems
    errors = [p for p in problems if p.tingkat == "galat"]
    if errors:
        raise SPMDataError(errors + [p for p in problems if p.tingkat != "galat"])
    rows.attrs.update(peringatan=[p for p in problems if p.tingkat != "galat"], skema=skema)
    return rows
