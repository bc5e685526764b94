"""The quarter pack (D9): what a region types into e-SPM every three months, prepared offline.

- ``write_workbook(hasil, path)`` → an Excel workbook laid out in the order a person retypes into e-SPM: a
  'Ringkasan' sheet (completeness per block, deadline, days left), one sheet per block (1 Capaian,
  2 Penganggaran, 3 Permasalahan, 4 Tahapan, 5 Rencana Aksi), jenis in catalogue order, and 'Kekurangan'
  (the checklist: which block, which jenis, which OPD, what is missing).
- ``DokumenTriwulan(hasil)`` → the same content as document sections for HTML (notebook 06), PDF and DOCX.
Numbers are the ones of ``region.quarter`` — cumulative to the quarter's end; a quarter without data reads
'belum dilaporkan', never 0.
"""
from __future__ import annotations

from pathlib import Path

import pandas as pd
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill

from spm_helpers import fmt
from spm_helpers.documents.identity import KOSONG, Identitas
from spm_helpers.documents.regional_report import kop_surat
from spm_helpers.files import atomic_path
from spm_helpers.inputs.workbook import Kolom, as_text, write_block, write_title
from spm_helpers.reference import quarter as q
from spm_helpers.region.quarter import HasilTriwulan
from spm_helpers.views.blocks import Bagian, Judul, Sampul, gaya_cetak, label_contoh, section, tabel, teks

_MISSING_FILL = PatternFill("solid", start_color="FDE2E1", end_color="FDE2E1")


# ------------------------------------------------------------------------------------------- words
def kalimat_tenggat(h: HasilTriwulan) -> str:
    """'Tenggat e-SPM Triwulan II 2025: 20 Juli 2025 (10 hari lagi).' — deadline status said plainly."""
    d, status = h.tenggat
    if d is None:
        return f"Tenggat e-SPM {h.nama_triwulan} {h.tahun} belum tercatat di datasets/katalog/tenggat_triwulan.csv."
    left = h.hari_tersisa
    when = ("hari ini" if left == 0 else f"{left} hari lagi" if left > 0 else f"terlambat {-left} hari")
    note = "" if status == "terkonfirmasi" else " Tanggal mengikuti pola tahun 2024; periksa surat edaran Bangda."
    return f"Tenggat e-SPM {h.nama_triwulan} {h.tahun}: {fmt.tanggal(d)} ({when}, dihitung dari {fmt.tanggal(h.hari_ini)}).{note}"


def kalimat_keterisian(h: HasilTriwulan) -> str:
    b = h.keterisian.blok
    empty = h.blok_kosong
    text = (f"Tingkat keterisian laporan {h.nama_triwulan} {h.tahun}: {fmt.persen(h.skor)} (rata-rata lima isian; "
            f"{len(h.keterisian.kurang)} kekurangan tercatat).")
    if empty:
        text += " Isian yang masih kosong sama sekali: " + ", ".join(_kecil(e) for e in empty) + "."
    full = b.loc[b["keterisian"] >= 100, "nama"].tolist()
    if full:
        text += " Sudah lengkap: " + ", ".join(_kecil(f) for f in full) + "."
    return text


def _kecil(name: str) -> str:
    """'Capaian penerapan SPM' → 'capaian penerapan SPM' (only the first letter: SPM stays SPM)."""
    return name[:1].lower() + name[1:]


def kalimat_capaian(h: HasilTriwulan) -> str:
    ip = h.indeks
    if not ip or pd.isna(ip.get("indeks")):
        return (f"Capaian {h.nama_triwulan} {h.tahun} belum dapat dihitung: data sasaran dan terlayani triwulan ini "
                f"{q.BELUM_DILAPORKAN}.")
    wajib = int(ip["jumlah_jenis_wajib"])
    return (f"IP-SPM kumulatif sampai akhir {h.nama_triwulan} {h.tahun}: {fmt.angka(ip['indeks'], 2)} "
            f"({ip['kategori']}); dinilai {int(ip['jumlah_jenis_dinilai'])} dari {wajib} jenis, keterisian data "
            f"capaian {fmt.persen(ip['keterisian'])}. Terlayani dihitung kumulatif sejak Januari terhadap sasaran "
            "setahun, sehingga capaian triwulan I–III wajar lebih rendah dari capaian akhir tahun.")


# ------------------------------------------------------------------------------------------- tables
def tabel_capaian(h: HasilTriwulan) -> pd.DataFrame:
    c = h.capaian.copy()
    c.insert(0, "no", range(1, len(c) + 1))
    return c[["no", "kode_jenis", "nama_jenis", "opd_pengampu", "jumlah_sasaran", "jumlah_terlayani",
              "capaian_penerima", "capaian_mutu", "indeks", "kategori", "status"]]


def tabel_anggaran(h: HasilTriwulan) -> pd.DataFrame:
    """One row per jenis and funding source; a jenis without rows once, marked 'belum dilaporkan'."""
    info = h.anggaran_jenis[["kode_jenis", "nama_jenis", "opd_pengampu"]]
    rinci = h.anggaran_rinci.drop(columns=["kode_wilayah", "tahun"], errors="ignore")
    out = info.merge(rinci, on="kode_jenis", how="left")
    out["keterangan"] = ""
    out.loc[out["sumber_dana"].isna(), "keterangan"] = q.BELUM_DILAPORKAN
    return out[["kode_jenis", "nama_jenis", "opd_pengampu", "sumber_dana", "alokasi", "realisasi",
                "persen_realisasi", "keterangan"]]


def tabel_permasalahan(h: HasilTriwulan) -> pd.DataFrame:
    info = h.capaian[["kode_jenis", "nama_jenis", "opd_pengampu"]]
    m = h.data.tables["permasalahan"]
    m = m[pd.to_numeric(m["triwulan"]) == h.triwulan]
    out = info.merge(m[["kode_jenis", "permasalahan", "solusi", "status"]], on="kode_jenis", how="left")
    out["status"] = out["status"].where(out["status"].notna(), q.BELUM_DILAPORKAN)
    return out


def tabel_tahapan(h: HasilTriwulan) -> pd.DataFrame:
    t = h.tahapan
    return t[["nama_tahapan", "status_triwulan", "tanggal", "nomor_dokumen"]]


def tabel_rencana_aksi(h: HasilTriwulan) -> pd.DataFrame:
    ra = h.rencana_aksi.copy()
    for col in ("target_tahun_depan", "sasaran_dilayani_tahun_depan", "biaya_tahun_depan"):
        if col not in ra.columns:
            ra[col] = pd.NA
    return ra


_SPEC_CAPAIAN = {
    "no": ("No", "angka"), "kode_jenis": ("Kode", "teks"), "nama_jenis": ("Jenis pelayanan dasar", "teks"),
    "opd_pengampu": ("OPD pengampu", "teks"), "jumlah_sasaran": ("Sasaran setahun", "angka"),
    "jumlah_terlayani": ("Terlayani s.d. triwulan ini", "angka"), "capaian_penerima": ("Capaian penerima", "persen"),
    "capaian_mutu": ("Capaian mutu", "persen"), "indeks": ("Indeks", "desimal"), "kategori": ("Kategori", "teks"),
    "status": ("Status", "teks"),
}
_SPEC_ANGGARAN = {
    "kode_jenis": ("Kode", "teks"), "nama_jenis": ("Jenis pelayanan dasar", "teks"),
    "sumber_dana": ("Sumber dana", "teks"), "alokasi": ("Alokasi setahun", "rupiah"),
    "realisasi": ("Realisasi s.d. triwulan ini", "rupiah"), "persen_realisasi": ("Realisasi", "persen"),
    "keterangan": ("Keterangan", "teks"),
}
_SPEC_MASALAH = {
    "kode_jenis": ("Kode", "teks"), "nama_jenis": ("Jenis pelayanan dasar", "teks"),
    "permasalahan": ("Permasalahan", "teks"), "solusi": ("Solusi", "teks"), "status": ("Status", "teks"),
}
_SPEC_TAHAPAN = {
    "nama_tahapan": ("Tahapan", "teks"), "status_triwulan": ("Status pada akhir triwulan", "teks"),
    "tanggal": ("Tanggal", "teks"), "nomor_dokumen": ("Nomor dokumen", "teks"),
}
_SPEC_RA = {
    "kode_jenis": ("Kode", "teks"), "nama_jenis": ("Jenis pelayanan dasar", "teks"),
    "alokasi_tahun_ini": ("Alokasi tahun ini", "rupiah"), "target_tahun_depan": ("Target tahun depan", "persen"),
    "sasaran_dilayani_tahun_depan": ("Sasaran dilayani tahun depan", "angka"),
    "biaya_tahun_depan": ("Biaya rencana tahun depan", "rupiah"),
}
_SPEC_KURANG = {
    "blok": ("Isian", "teks"), "kode_jenis": ("Kode", "teks"), "nama_jenis": ("Jenis / tahapan", "teks"),
    "penanggung_jawab": ("Penanggung jawab", "teks"), "kekurangan": ("Yang masih kurang", "teks"),
}
_SPEC_BLOK = {
    "nama": ("Isian e-SPM", "teks"), "jumlah_wajib": ("Wajib diisi", "angka"),
    "jumlah_lengkap": ("Sudah lengkap", "angka"), "keterisian": ("Keterisian", "persen"),
}


# ------------------------------------------------------------------------------------------- Excel
_EXCEL_KIND = {"angka": "bulat", "desimal": "desimal", "persen": "desimal", "rupiah": "rupiah", "teks": "teks"}
_WIDTH = {"nama_jenis": 40, "permasalahan": 44, "solusi": 44, "kekurangan": 56, "nama_tahapan": 48, "blok": 30,
          "nama": 40, "opd_pengampu": 22, "penanggung_jawab": 28, "nomor_dokumen": 34, "no": 5, "kode_jenis": 13,
          "status": 17, "kategori": 17, "keterangan": 17, "sumber_dana": 14, "status_triwulan": 17, "tanggal": 12}
_KIND_WIDTH = {"persen": 11.0, "desimal": 10.0, "angka": 12.0, "rupiah": 17.0}


def _kolom(spec: dict[str, tuple[str, str]]) -> list[Kolom]:
    return [Kolom(k, judul, _EXCEL_KIND.get(kind, "teks"), lebar=_WIDTH.get(k, _KIND_WIDTH.get(kind, 14.0)))
            for k, (judul, kind) in spec.items()]


def _fit_rows(ws, spec: dict, first: int, last: int) -> None:
    """Row heights for wrapped text: spreadsheet programs do not grow a row written by openpyxl, so a long
    jenis name would overlap the row below."""
    widths = [_kolom(spec)[i].lebar for i in range(len(spec))]
    for r in range(first, last + 1):
        lines = 1
        for c, w in enumerate(widths, start=1):
            v = ws.cell(r, c).value
            if isinstance(v, str):
                lines = max(lines, -(-len(v) // max(int(w * 1.1), 1)))
        ws.row_dimensions[r].height = 15 * lines + 2


def _rows(df: pd.DataFrame, spec: dict) -> list[list]:
    """Cell values: NA stays an empty cell (never 0); percentages rounded to 2 decimals as shown in e-SPM."""
    out = []
    for rec in df[list(spec)].itertuples(index=False):
        row = []
        for (k, (_, kind)), v in zip(spec.items(), rec):
            if v is None or (not isinstance(v, str) and pd.isna(v)):
                row.append(None)
            elif kind in ("persen", "desimal"):
                row.append(round(float(v), 2))
            elif kind in ("angka", "rupiah"):
                row.append(int(v))
            else:
                row.append(str(v))
        out.append(row)
    return out


def _sheet(wb: Workbook, name: str, title: list[str], spec: dict, df: pd.DataFrame, *, mark: str | None = None):
    ws = wb.create_sheet(name)
    header = write_title(ws, title) + 1
    last = write_block(ws, _kolom(spec), _rows(df, spec), header_row=header)
    for r in range(header + 1, last + 1):
        for c in range(1, len(spec) + 1):
            ws.cell(r, c).alignment = Alignment(wrap_text=True, vertical="top")
    _fit_rows(ws, spec, header, last)
    if mark is not None and mark in spec:  # a row 'belum dilaporkan' is tinted: what is still to be typed
        col = list(spec).index(mark) + 1
        for r in range(header + 1, last + 1):
            if ws.cell(r, col).value == q.BELUM_DILAPORKAN:
                for c in range(1, len(spec) + 1):
                    ws.cell(r, c).fill = _MISSING_FILL
    ws.freeze_panes = ws.cell(header + 1, 1)
    ws.print_title_rows = f"{header}:{header}"
    _print_setup(ws)
    return ws


def _print_setup(ws) -> None:
    """Landscape, one page wide, as many pages tall as needed: the sheet prints readable from LibreOffice or
    Excel without setting anything."""
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True


def _judul(h: HasilTriwulan, blok: str) -> list[str]:
    lines = [f"{blok} — {h.wilayah.nama} ({h.wilayah.kode_wilayah})",
             f"Laporan {h.nama_triwulan} Tahun {h.tahun}, kumulatif sampai akhir triwulan"]
    if h.data.data_label:
        lines.append(f"{h.data.data_label.upper()}: bukan data resmi pemerintah daerah")
    return lines


SHEETS = ("Ringkasan", "1 Capaian", "2 Penganggaran", "3 Permasalahan", "4 Tahapan", "5 Rencana Aksi", "Kekurangan")


def workbook(h: HasilTriwulan) -> Workbook:
    """The quarter pack as an openpyxl workbook (sheets: ``SHEETS``)."""
    wb = Workbook()
    ws = wb.active
    ws.title = SHEETS[0]
    row = write_title(ws, _judul(h, "Ringkasan laporan triwulan e-SPM")) + 1
    for text in (kalimat_keterisian(h), kalimat_tenggat(h), kalimat_capaian(h), f"Sumber data: {h.data.sumber}"):
        cell = as_text(ws.cell(row, 1), text)
        cell.alignment = Alignment(wrap_text=True, vertical="top")
        ws.merge_cells(start_row=row, start_column=1, end_row=row, end_column=4)
        ws.row_dimensions[row].height = 15 * (-(-len(text) // 90)) + 4
        row += 1
    total = pd.DataFrame([{"nama": "Keterisian seluruh isian (rata-rata)", "jumlah_wajib": None,
                           "jumlah_lengkap": None, "keterisian": h.skor}])
    blok = pd.concat([h.blok, total], ignore_index=True)
    last = write_block(ws, _kolom(_SPEC_BLOK), _rows(blok, _SPEC_BLOK), header_row=row + 1)
    for c in range(1, 5):
        ws.cell(last, c).font = Font(bold=True)
    ws.column_dimensions["A"].width = 48
    for col in "BCD":
        ws.column_dimensions[col].width = 16
    _print_setup(ws)
    _sheet(wb, SHEETS[1], _judul(h, "1. Capaian penerapan SPM"), _SPEC_CAPAIAN, tabel_capaian(h), mark="status")
    _sheet(wb, SHEETS[2], _judul(h, "2. Penganggaran SPM"), _SPEC_ANGGARAN, tabel_anggaran(h), mark="keterangan")
    _sheet(wb, SHEETS[3], _judul(h, "3. Permasalahan dan solusi"), _SPEC_MASALAH, tabel_permasalahan(h), mark="status")
    _sheet(wb, SHEETS[4], _judul(h, "4. Pemenuhan empat tahapan penerapan SPM"), _SPEC_TAHAPAN, tabel_tahapan(h),
           mark="status_triwulan")
    _sheet(wb, SHEETS[5], _judul(h, "5. Penyusunan dokumen Rencana Aksi"),
           {"nama_tahapan": _SPEC_TAHAPAN["nama_tahapan"], "status_triwulan": _SPEC_TAHAPAN["status_triwulan"],
            "tanggal": _SPEC_TAHAPAN["tanggal"], "nomor_dokumen": _SPEC_TAHAPAN["nomor_dokumen"]},
           h.tahapan[h.tahapan["tahapan"] == "rencana_aksi"], mark="status_triwulan")
    ws5 = wb[SHEETS[5]]
    start = ws5.max_row + 2
    as_text(ws5.cell(start, 1), "Target dan biaya rencana tahun depan per jenis, di samping alokasi tahun ini").font = \
        Font(bold=True)
    write_block(ws5, _kolom(_SPEC_RA), _rows(tabel_rencana_aksi(h), _SPEC_RA), header_row=start + 1)
    _sheet(wb, SHEETS[6], _judul(h, "Kekurangan yang harus dilengkapi sebelum tenggat"), _SPEC_KURANG, h.kurang)
    return wb


def write_workbook(h: HasilTriwulan, path: str | Path, overwrite: bool = True) -> Path:
    """Write the quarter pack workbook atomically."""
    path = Path(path)
    wb = workbook(h)
    with atomic_path(path, overwrite) as tmp:
        wb.save(tmp)
    return path


def filename(h: HasilTriwulan, ext: str = "xlsx") -> str:
    return f"paket_triwulan_{h.wilayah.kode_wilayah}_{h.tahun}_TW{h.triwulan}.{ext}"


# ------------------------------------------------------------------------------------------- document
OUTLINE: list = [
    ("sampul",),
    Judul("Kelengkapan laporan"), ("kelengkapan",),
    Judul("1. Capaian penerapan SPM"), ("capaian",),
    Judul("2. Penganggaran SPM"), ("anggaran",),
    Judul("3. Permasalahan dan solusi"), ("permasalahan",),
    Judul("4. Pemenuhan empat tahapan penerapan SPM"), ("tahapan",),
    Judul("5. Penyusunan dokumen Rencana Aksi"), ("rencana_aksi",),
    Judul("Daftar kekurangan"), ("kekurangan",),
]


class DokumenTriwulan:
    """Sections of the quarter pack as a document (HTML via notebook 06, PDF and DOCX via the writers)."""

    outline = OUTLINE

    def __init__(self, hasil: HasilTriwulan, identitas: Identitas | None = None):
        self.h = hasil
        self.w = hasil.wilayah
        self.identitas = identitas or KOSONG

    @property
    def judul(self) -> str:
        return f"Laporan {self.h.nama_triwulan} Tahun {self.h.tahun} Penerapan SPM {self.w.nama}"

    @section
    def sampul(self) -> Bagian:
        h, label = self.h, self.h.data.data_label
        cover = Sampul(kop_surat(self.w, self.identitas), "Laporan Triwulan Penerapan Standar Pelayanan Minimal",
                       self.w.nama, f"{h.nama_triwulan} Tahun {h.tahun}",
                       label=f"{label.upper()} — bukan data resmi pemerintah daerah" if label else "",
                       catatan=("Disiapkan untuk diketik ke aplikasi e-SPM Kemendagri (Permendagri 59/2021 Pasal 24).",
                                f"Sumber data: {h.data.sumber}."))
        return Bagian([gaya_cetak(label, self.identitas.kertas), cover])

    @section
    def kelengkapan(self) -> Bagian:
        h = self.h
        total = pd.DataFrame([{"nama": "Seluruh isian (rata-rata)", "jumlah_wajib": None, "jumlah_lengkap": None,
                               "keterisian": h.skor}])
        return Bagian([teks(kalimat_keterisian(h)), teks(kalimat_tenggat(h)),
                       tabel(pd.concat([h.blok, total], ignore_index=True), _SPEC_BLOK,
                             judul=f"Keterisian per isian, {h.nama_triwulan} {h.tahun}"),
                       label_contoh(h.data.data_label)])

    @section
    def capaian(self) -> Bagian:
        return Bagian([teks(kalimat_capaian(self.h)), tabel(tabel_capaian(self.h), _SPEC_CAPAIAN,
                                                             lebar={"nama_jenis": "22%"})])

    @section
    def anggaran(self) -> Bagian:
        h = self.h
        a = h.anggaran_jenis.dropna(subset=["alokasi"])
        if len(a):
            text = (f"Alokasi setahun yang dilaporkan untuk {len(a)} jenis: {fmt.rupiah(a['alokasi'].sum())}; realisasi "
                    f"kumulatif sampai akhir {h.nama_triwulan}: {fmt.rupiah(a['realisasi'].dropna().sum())}.")
        else:
            text = f"Anggaran {h.nama_triwulan} {h.tahun} {q.BELUM_DILAPORKAN} untuk semua jenis."
        return Bagian([teks(text), tabel(tabel_anggaran(h), _SPEC_ANGGARAN)])

    @section
    def permasalahan(self) -> Bagian:
        h = self.h
        n = len(h.permasalahan)
        text = (f"Tercatat {fmt.angka(n)} permasalahan pada {h.nama_triwulan}, masing-masing dengan solusi dan "
                "statusnya." if n else f"Tidak ada permasalahan yang ditulis untuk {h.nama_triwulan}.")
        return Bagian([teks(text), tabel(tabel_permasalahan(h), _SPEC_MASALAH)])

    @section
    def tahapan(self) -> Bagian:
        h = self.h
        t = h.tahapan[h.tahapan["tahapan"] != "rencana_aksi"]
        done = int((t["status_triwulan"] == q.SELESAI).sum())
        return Bagian([teks(f"Pada akhir {h.nama_triwulan} {h.tahun}, {fmt.angka(done)} dari 4 tahapan berstatus "
                            "selesai."), tabel(tabel_tahapan(h)[h.tahapan["tahapan"] != "rencana_aksi"], _SPEC_TAHAPAN)])

    @section
    def rencana_aksi(self) -> Bagian:
        h = self.h
        doc = h.tahapan[h.tahapan["tahapan"] == "rencana_aksi"]
        return Bagian([tabel(tabel_tahapan(h)[h.tahapan["tahapan"] == "rencana_aksi"], _SPEC_TAHAPAN),
                       teks("Target dan biaya rencana tahun depan per jenis, di samping alokasi tahun ini:"),
                       tabel(tabel_rencana_aksi(h), _SPEC_RA)] if len(doc) else [])

    @section
    def kekurangan(self) -> Bagian:
        k = self.h.kurang
        if k.empty:
            return Bagian([teks("Semua isian lengkap.")])
        return Bagian([teks(f"Yang masih harus dilengkapi sebelum tenggat ({fmt.angka(len(k))} butir), per isian dan "
                            "penanggung jawab:"), tabel(k, _SPEC_KURANG)])
