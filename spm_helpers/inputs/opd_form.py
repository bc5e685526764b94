"""The OPD data-collection workbook (DESIGN §2 stage 1): its layout, writing it blank, reading it back.

One workbook per OPD, region and year: a 'Petunjuk' sheet, one sheet per jenis pelayanan dasar
named by its code, and a hidden marker (format, version, region, year, OPD, rule set, jenis) so a
returned form is recognised and a form for another region, year or version is refused.

Each jenis sheet has two blocks:
  A (header row 6, data row 7): kode jenis | jumlah sasaran | jumlah terlayani | sumber data
  B (header row 10, rows 11…): one row per mutu item: kode, name, category, unit, quantity per
    person (read-only) | jumlah tersedia | harga satuan (pre-filled with the reference price) |
    harga acuan (read-only)
Blank means "no data" (NA) and is kept apart from 0. A blank harga satuan means "no regional
price": no harga_satuan row, the catalogue price applies.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font

from spm_helpers import __version__
from spm_helpers.errors import SEVERITY_ERROR, SEVERITY_WARNING, Problem, SPMError
from spm_helpers.files import atomic_path
from spm_helpers.inputs.workbook import (
    MARKER_SHEET,
    PROBLEM_SHEET,
    Kolom,
    open_marked,
    protect,
    read_block,
    stamp_marker,
    stray_cells,
    write_block,
    write_title,
)
from spm_helpers.reference import catalog, regions, schemas

FORMAT = "spm-formulir-opd"
QUARTER_FORMAT = "spm-formulir-triwulan"  # inputs.quarter_form's marker: named here so 'spm impor' can point to it
VERSI = "1"
PETUNJUK = "Petunjuk"
SASARAN_HEADER_ROW = 6
ITEM_HEADER_ROW = 10
SUMMARY_LIMIT = 20  # more ignored rows than this are reported as one warning

OPD = {
    "dinkes": "Dinas Kesehatan",
    "disdik": "Dinas Pendidikan",
    "dinsos": "Dinas Sosial",
    "pupr": "Dinas PUPR",
    "perkim": "Dinas Perumahan dan Kawasan Permukiman",
    "satpolpp": "Satuan Polisi Pamong Praja",
    "bpbd": "Badan Penanggulangan Bencana Daerah",
    "damkar": "Dinas Pemadam Kebakaran",
}

SASARAN_COLS = (
    Kolom("kode_jenis", "Kode jenis", lebar=16),
    Kolom("jumlah_sasaran", "Jumlah sasaran", "bulat", True, 18,
          "Banyaknya warga yang berhak menerima layanan ini pada tahun tersebut. Kosongkan bila tidak ada data."),
    Kolom("jumlah_terlayani", "Jumlah terlayani", "bulat", True, 18,
          "Banyaknya sasaran yang sudah mendapat layanan sesuai standar; tidak boleh melebihi jumlah sasaran."),
    Kolom("sumber_data", "Sumber data", "teks", True, 34, "Misalnya: Dukcapil, Dapodik, SIPD, survei dinas."),
)
ITEM_COLS = (
    Kolom("kode_item", "Kode butir", lebar=16),
    Kolom("nama", "Nama butir mutu", lebar=44),
    Kolom("kategori", "Kategori", lebar=10),
    Kolom("satuan", "Satuan", lebar=12),
    Kolom("jumlah_per_sasaran", "Jumlah per sasaran", "desimal", lebar=12),
    Kolom("jumlah_tersedia", "Jumlah tersedia", "bulat", True, 16,
          "Jumlah barang/jasa/SDM yang tersedia tahun ini. Kosongkan bila tidak ada data."),
    Kolom("harga_satuan", "Harga satuan (Rp)", "rupiah", True, 18,
          "Harga satuan standar (SSH) daerah. Sudah diisi harga acuan; ganti bila SSH daerah berbeda."),
    Kolom("harga_satuan_acuan", "Harga acuan (Rp)", "rupiah", lebar=18),
)
# What is read back: the key column plus the cells the officer fills.
_READ_SASARAN = tuple(c for c in SASARAN_COLS if c.isian or c.key == "kode_jenis")
_READ_ITEM = tuple(c for c in ITEM_COLS if c.isian or c.key == "kode_item")
JUDUL = {c.key: c.judul for c in SASARAN_COLS + ITEM_COLS}
TABLE_COLUMNS = {  # the headers whose problems make a row unusable for each tidy table
    "sasaran": {JUDUL[k] for k in ("kode_jenis", "jumlah_sasaran", "jumlah_terlayani", "sumber_data")},
    "ketersediaan": {JUDUL["kode_item"], JUDUL["jumlah_tersedia"]},
    "harga_satuan": {JUDUL["kode_item"], JUDUL["harga_satuan"]},
}


@dataclass
class FormData:
    """One workbook read back: tidy rows with provenance (``_berkas/_sheet/_baris``) and problems."""

    berkas: str
    path: Path | None = None
    meta: dict[str, str] = field(default_factory=dict)
    tables: dict[str, pd.DataFrame] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)


# --------------------------------------------------------------------------------------------- layout data
def opd_for_region(kode_wilayah: str) -> list[str]:
    """Short names of the OPDs that own at least one jenis at this region's level."""
    owners = set(catalog.jenis_for_region(kode_wilayah)["opd_pengampu"])
    return [short for short, full in OPD.items() if full in owners]


def jenis_of_opd(kode_wilayah: str, opd: str) -> pd.DataFrame:
    """Catalogue rows of the jenis an OPD owns in this region, or an Indonesian error."""
    if opd not in OPD:
        raise SPMError(f"OPD '{opd}' tidak dikenal. Pilihan: {', '.join(OPD)}")
    region = regions.get(kode_wilayah)
    df = catalog.jenis_for_region(region.kode_wilayah)
    df = df[df["opd_pengampu"] == OPD[opd]].reset_index(drop=True)
    if df.empty:
        raise SPMError(f"{OPD[opd]} ({opd}) tidak mengampu jenis pelayanan dasar di tingkat "
                       f"{'provinsi' if region.is_provinsi else 'kabupaten/kota'} ({region}).")
    return df


def form_filename(kode_wilayah: str, tahun: int, opd: str) -> str:
    return f"formulir_spm_{kode_wilayah}_{tahun}_{opd}.xlsx"


# --------------------------------------------------------------------------------------------- writing
def write_form(kode_wilayah: str, tahun: int, opd: str, path: str | Path, *,
               aturan: str = catalog.DEFAULT_ATURAN, overwrite: bool = False) -> Path:
    """Write one blank OPD workbook (atomically; an existing file is kept unless ``overwrite``)."""
    region = regions.get(kode_wilayah)
    jenis = jenis_of_opd(region.kode_wilayah, opd)
    mutu = catalog.mutu(aturan, kode_jenis=jenis["kode_jenis"].tolist())
    wb = Workbook()
    _instructions(wb.active, region, int(tahun), opd, aturan)
    for row in jenis.itertuples(index=False):
        _jenis_sheet(wb.create_sheet(row.kode_jenis), row, region, int(tahun), opd,
                     mutu[mutu["kode_jenis"] == row.kode_jenis])
    stamp_marker(wb, {"format": FORMAT, "versi": VERSI, "kode_wilayah": region.kode_wilayah,
                      "tahun": int(tahun), "opd": opd, "aturan": aturan,
                      "jenis": ",".join(jenis["kode_jenis"]), "dibuat_oleh": f"SPM Workbench {__version__}"})
    with atomic_path(path, overwrite=overwrite) as tmp:
        wb.save(tmp)
    return Path(path)


def write_forms(kode_wilayah: str, tahun: int, folder: str | Path, opd: str | None = None, *,
                aturan: str = catalog.DEFAULT_ATURAN, overwrite: bool = False) -> list[Path]:
    """One workbook per OPD of the region's level (or just ``opd``) into ``folder``."""
    region = regions.get(kode_wilayah)
    names = [opd] if opd else opd_for_region(region.kode_wilayah)
    return [write_form(region.kode_wilayah, tahun, o, Path(folder) / form_filename(region.kode_wilayah, tahun, o),
                       aturan=aturan, overwrite=overwrite) for o in names]


def _instructions(ws, region: regions.Region, tahun: int, opd: str, aturan: str) -> None:
    ws.title = PETUNJUK
    lines = [
        f"Formulir Pengumpulan Data SPM — {OPD[opd]}",
        f"Wilayah: {region.nama} ({region.kode_wilayah})    Tahun: {tahun}",
        f"Aturan mutu: {aturan}    Versi formulir: {VERSI}",
        "",
        "Cara mengisi:",
        "1. Setiap sheet berisi satu jenis pelayanan dasar; kodenya menjadi nama sheet.",
        "2. Isi hanya sel berwarna kuning muda. Sel lain terkunci.",
        "3. Jumlah sasaran: banyaknya warga yang berhak menerima layanan pada tahun ini.",
        "4. Jumlah terlayani: sasaran yang sudah dilayani sesuai standar; tidak boleh melebihi jumlah sasaran.",
        "5. Kosongkan sel bila datanya tidak ada. Isi 0 hanya bila jumlahnya memang nol (kosong ≠ nol).",
        "6. Ketik angka tanpa rumus. Titik sebagai pemisah ribuan (1.234.567) dan koma untuk desimal (12,5).",
        "7. Harga satuan sudah diisi harga acuan katalog. Ganti dengan harga satuan standar (SSH) daerah "
        "bila berbeda; kosongkan bila daerah tidak punya SSH untuk butir itu.",
        "8. Jangan mengubah judul kolom atau nama sheet, jangan menggabungkan sel (merge), jangan menyisipkan baris.",
        "9. Kirim berkas ini apa adanya ke Bappeda. Jangan menyalin isinya ke berkas baru: penanda formulir "
        "tersimpan di dalam berkas ini.",
    ]
    write_title(ws, lines)
    ws.column_dimensions["A"].width = 110
    for row in ws.iter_rows(min_row=5):
        row[0].alignment = Alignment(wrap_text=True)
    protect(ws)


def _jenis_sheet(ws, jenis, region: regions.Region, tahun: int, opd: str, mutu: pd.DataFrame) -> None:
    write_title(ws, [f"{jenis.kode_jenis} — {jenis.nama}",
                     f"Wilayah: {region.nama} ({region.kode_wilayah})    Tahun: {tahun}    OPD: {OPD[opd]}",
                     f"Penerima: {jenis.penerima}"])
    ws.cell(SASARAN_HEADER_ROW - 1, 1, "A. Sasaran dan penerima layanan").font = Font(bold=True)
    write_block(ws, SASARAN_COLS, [[jenis.kode_jenis, None, None, None]], header_row=SASARAN_HEADER_ROW)
    ws.cell(ITEM_HEADER_ROW - 1, 1, "B. Ketersediaan mutu (barang, jasa, SDM) dan harga satuan").font = Font(bold=True)
    rows = [[m.kode_item, m.nama, m.kategori, m.satuan, m.jumlah_per_sasaran, None, int(m.harga_satuan_acuan),
             int(m.harga_satuan_acuan)] for m in mutu.itertuples(index=False)]
    write_block(ws, ITEM_COLS, rows, header_row=ITEM_HEADER_ROW)
    ws.freeze_panes = "A4"
    protect(ws)


# --------------------------------------------------------------------------------------------- reading
def check_marker(meta: dict[str, str] | None, berkas: str) -> list[Problem]:
    """Is this one of our forms, in a version this code reads?"""
    if meta is not None and meta.get("format") == QUARTER_FORMAT:
        return [Problem("ini formulir triwulan ('spm formulir-triwulan'), bukan formulir data tahunan; impor "
                        "dengan 'spm impor-triwulan'", berkas=berkas)]
    if meta is None or meta.get("format") != FORMAT:
        return [Problem("bukan formulir SPM Workbench (penanda formulir tidak ditemukan); unduh formulir "
                        "dengan 'spm formulir' dan isi formulir itu, jangan menyalin ke berkas baru",
                        berkas=berkas)]
    if meta.get("versi") != VERSI:
        return [Problem(f"versi formulir {meta.get('versi')!r} tidak didukung (yang dibaca: versi {VERSI}); "
                        "unduh formulir baru dengan 'spm formulir'", berkas=berkas, nilai=meta.get("versi"))]
    try:
        regions.get(meta.get("kode_wilayah", "")), int(meta.get("tahun", ""))
        catalog.mutu(meta.get("aturan", ""))
    except (SPMError, ValueError):
        return [Problem("penanda formulir rusak (kode wilayah, tahun atau aturan tidak terbaca); unduh formulir "
                        "baru dengan 'spm formulir'", berkas=berkas)]
    return []


_TITLE_STAMP = re.compile(r"\((\d{2}(?:\.\d{2})?)\)\s+Tahun:\s*(\d{4})")
_NAME_STAMP = re.compile(r"^formulir_spm_(\d{2}(?:\.\d{2})?)_(\d{4})_[a-z]+(?:\.xlsx)?$", re.IGNORECASE)


def marker_contradictions(wb, meta: dict[str, str], berkas: str, filename: str) -> list[Problem]:
    """The hidden marker must agree with what the officer sees: the region/year printed on row 2 of
    every sheet and, when it still has the name it was given, the file name. An edited marker would
    otherwise relabel one region's numbers as another's."""
    want = (meta["kode_wilayah"], str(int(meta["tahun"])))
    seen: list[tuple[str, str, str]] = []  # (where, kode, tahun)
    for ws in wb.worksheets:
        if ws.title == MARKER_SHEET:
            continue
        m = _TITLE_STAMP.search(str(ws.cell(2, 1).value or ""))
        if m:
            seen.append((f"judul sheet '{ws.title}'", m.group(1), m.group(2)))
    m = _NAME_STAMP.match(filename)
    if m:
        seen.append(("nama berkas", m.group(1), m.group(2)))
    wrong = [w for w in seen if (w[1], w[2]) != want]
    if not wrong:
        return []
    where = "; ".join(f"{w} menyebut {k} tahun {t}" for w, k, t in wrong[:3])
    return [Problem(f"penanda formulir (tersembunyi) menyebut wilayah {want[0]} tahun {want[1]}, tetapi {where}; "
                    "formulir ini tidak dibaca agar angkanya tidak tercatat untuk wilayah/tahun yang salah. Unduh "
                    "formulir baru dengan 'spm formulir' untuk wilayah dan tahun yang benar", berkas=berkas,
                    nilai=f"{want[0]}/{want[1]}")]


def read_form(path: str | Path, berkas: str | None = None) -> FormData:
    """Read a filled workbook into tidy rows. Never raises for bad content: problems are collected."""
    name = berkas or Path(path).name
    out = FormData(name, Path(path))
    wb, meta, out.problems = open_marked(path, berkas=name)
    out.problems = out.problems or check_marker(meta, name)
    if out.problems:
        return out
    contradictions = marker_contradictions(wb, meta, name, Path(path).name)
    if contradictions:
        out.problems = contradictions
        return out
    out.meta = meta
    kode, tahun = meta["kode_wilayah"], int(meta["tahun"])
    parts: dict[str, list[pd.DataFrame]] = {"sasaran": [], "ketersediaan": [], "harga_satuan": []}
    codes = [c for c in meta.get("jenis", "").split(",") if c]
    items = catalog.mutu(meta["aturan"], kode_jenis=codes)
    for code in codes:
        if code not in wb.sheetnames:
            out.problems.append(Problem(f"sheet '{code}' tidak ditemukan (dihapus atau diganti nama?)",
                                        berkas=name, sheet=code))
            continue
        s, k, found = _read_jenis_sheet(wb[code], code, items[items["kode_jenis"] == code], name)
        out.problems += found
        parts["sasaran"].append(s)
        parts["ketersediaan"].append(k)
    known = set(codes) | {PETUNJUK, MARKER_SHEET, PROBLEM_SHEET}
    out.problems += [Problem(f"sheet tambahan '{s}' diabaikan", berkas=name, sheet=s, tingkat=SEVERITY_WARNING)
                     for s in wb.sheetnames if s not in known]
    if parts["ketersediaan"]:
        k = pd.concat(parts["ketersediaan"], ignore_index=True)
        parts["harga_satuan"] = [k[k["harga_satuan"].notna()][["kode_item", "harga_satuan", "_berkas", "_sheet",
                                                               "_baris"]]]
        parts["ketersediaan"] = [k[["kode_jenis", "kode_item", "jumlah_tersedia", "_berkas", "_sheet", "_baris"]]]
    for table, frames in parts.items():
        df = pd.concat(frames, ignore_index=True) if frames else _empty(table)
        df = _drop_error_rows(df, out.problems, table)
        df.insert(0, "kode_wilayah", kode)
        df.insert(1, "tahun", tahun)
        out.tables[table], found = _validate(df, table, name)
        out.problems += found
    return out


def _read_jenis_sheet(ws, code: str, items: pd.DataFrame, berkas: str):
    a = read_block(ws, _READ_SASARAN, header_row=SASARAN_HEADER_ROW, berkas=berkas,
                   last_row=SASARAN_HEADER_ROW + 1)
    b = read_block(ws, _READ_ITEM, header_row=ITEM_HEADER_ROW, berkas=berkas)
    problems = a.problems + b.problems
    s = a.frame
    if len(s) != 1 or s["kode_jenis"].iloc[0] != code:
        problems.append(Problem(f"baris data jenis tidak ditemukan: sel '{JUDUL['kode_jenis']}' harus berisi "
                                f"{code}", berkas=berkas, sheet=code, baris=SASARAN_HEADER_ROW + 1,
                                kolom=JUDUL["kode_jenis"], nilai=None if s.empty else s["kode_jenis"].iloc[0]))
        s = s.iloc[0:0]
    k = b.frame
    expected = list(items["kode_item"])
    extra = k[~k["kode_item"].isin(expected)]
    if len(extra) > SUMMARY_LIMIT:  # one line for a pasted block of thousands of rows, not thousands of lines
        n = lambda x: f"{int(x):,}".replace(",", ".")  # Indonesian thousands
        problems.append(Problem(f"{n(len(extra))} baris tambahan diabaikan (kode butir tidak ada di formulir ini), "
                                f"baris {n(extra['_baris'].min())}–{n(extra['_baris'].max())}; hapus baris itu",
                                berkas=berkas, sheet=code, baris=int(extra["_baris"].min()),
                                kolom=JUDUL["kode_item"], tingkat=SEVERITY_WARNING))
    else:
        problems += [Problem("baris tambahan diabaikan (kode butir tidak ada di formulir ini)", berkas=berkas,
                             sheet=code, baris=int(r), kolom=JUDUL["kode_item"], nilai=v, tingkat=SEVERITY_WARNING)
                     for r, v in zip(extra["_baris"], extra["kode_item"])]
    k = k[k["kode_item"].isin(expected)]
    problems += [Problem(f"baris butir mutu {item} tidak ditemukan (dihapus atau kodenya diubah?)", berkas=berkas,
                         sheet=code, kolom=JUDUL["kode_item"], nilai=item)
                 for item in expected if item not in set(k["kode_item"])]
    used = a.used | b.used | {(r, 1) for r in (1, 2, 3, SASARAN_HEADER_ROW - 1, ITEM_HEADER_ROW - 1)}
    used |= {(r, c) for r in (SASARAN_HEADER_ROW, SASARAN_HEADER_ROW + 1) for c in range(1, len(SASARAN_COLS) + 1)}
    used |= {(r, c) for r in [ITEM_HEADER_ROW, *b.frame["_baris"]] for c in range(1, len(ITEM_COLS) + 1)}
    problems += stray_cells(ws, used, berkas)
    if _is_blank(s, k):
        problems.append(Problem("jenis ini belum diisi (semua sel isian kosong)", berkas=berkas, sheet=code,
                                tingkat=SEVERITY_WARNING))
    s = s.assign(kode_jenis=code)[["kode_jenis", "jumlah_sasaran", "jumlah_terlayani", "sumber_data",
                                   "_berkas", "_sheet", "_baris"]]
    return s, k.assign(kode_jenis=code), problems


def _empty(table: str) -> pd.DataFrame:
    df = schemas.empty(table).drop(columns=["kode_wilayah", "tahun"])
    return df.assign(_berkas=pd.Series(dtype=object), _sheet=pd.Series(dtype=object),
                     _baris=pd.Series(dtype="Int64"))


def _is_blank(s: pd.DataFrame, k: pd.DataFrame) -> bool:
    cols = ["jumlah_sasaran", "jumlah_terlayani", "sumber_data"]
    return bool(s[cols].isna().all().all()) and bool(k["jumlah_tersedia"].isna().all())


def _drop_error_rows(df: pd.DataFrame, problems: list[Problem], table: str) -> pd.DataFrame:
    """Rows an error makes unusable for ``table`` (they are reported, so nothing is lost silently).

    A renamed header of a column the table needs makes every row of that block unusable.
    """
    titles = TABLE_COLUMNS[table]
    header_row = SASARAN_HEADER_ROW if table == "sasaran" else ITEM_HEADER_ROW
    bad_rows, whole_sheets = set(), set()
    for p in problems:
        if p.tingkat != SEVERITY_ERROR or p.baris is None or not (p.kolom is None or p.kolom in titles):
            continue
        if p.baris == header_row:
            whole_sheets.add(p.sheet)
        bad_rows.add((p.sheet, p.baris))
    if not bad_rows or df.empty:
        return df
    keep = [(s not in whole_sheets) and ((s, int(b)) not in bad_rows) for s, b in zip(df["_sheet"], df["_baris"])]
    return df[pd.Series(keep, index=df.index, dtype=bool)]


def _validate(df: pd.DataFrame, table: str, berkas: str) -> tuple[pd.DataFrame, list[Problem]]:
    """Schema checks (negative counts, terlayani > sasaran ...) with headers as the officer sees them."""
    checked, found = schemas.validate(df, table, berkas=berkas, raise_errors=False)
    found = [Problem(p.alasan, berkas=p.berkas, sheet=p.sheet, baris=p.baris, kolom=JUDUL.get(p.kolom, p.kolom),
                     nilai=p.nilai, tingkat=p.tingkat) for p in found]
    bad = {(p.sheet, p.baris) for p in found if p.tingkat == SEVERITY_ERROR}
    keep = [(s, int(b)) not in bad for s, b in zip(checked["_sheet"], checked["_baris"])]
    return checked[pd.Series(keep, index=checked.index, dtype=bool)].reset_index(drop=True), found
