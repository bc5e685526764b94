"""An ipywidgets form to enter or correct one region's quarterly report (notebook 06, laporan triwulan):
budget rows per jenis and funding source, problems and solutions, and the status of the four stages and the
rencana aksi.

The same rules as the Excel form (``inputs.quarter_form``): Indonesian rupiah ('Rp 1.250.000'), dates as
'31/03/2025', blank kept apart from zero, ``schemas`` for the table rules (realisasi > alokasi is a warning,
the row is kept), the same Indonesian problem box. 'Simpan' writes into the data folder through
``quarter_collect.save``: only the rows this form shows (region, year, quarter, and the jenis of the chosen
OPD; the year's stages) are replaced, each file atomically, and only when the folder still holds what the form
loaded — if someone imported a form meanwhile, nothing is written and the form asks to reload.

    isian = IsianTriwulan("data_spm", "32.75", 2025, 2)            # every jenis of the region and the stages
    isian = IsianTriwulan("data_spm", "32.75", 2025, 2, opd="dinkes")
    isian            # shows the form; isian.simpan() is what the button does
"""
from __future__ import annotations

from html import escape
from pathlib import Path

import ipywidgets as w
import pandas as pd
from IPython.display import HTML

from spm_helpers import fmt
from spm_helpers.errors import SEVERITY_ERROR, Problem, SPMDataError, SPMError
from spm_helpers.inputs import quarter_collect
from spm_helpers.inputs.datastore import QUARTER_TABLES, read_table, table_path
from spm_helpers.inputs.quarter_form import (
    ANGGARAN,
    BAPPEDA,
    JUDUL,
    OPD,
    PERMASALAHAN,
    TAHAPAN,
    fmt_date,
    jenis_of_opd,
    opd_name,
    parse_date,
    validate_rows,
)
from spm_helpers.inputs.workbook import parse_number
from spm_helpers.reference import catalog, regions
from spm_helpers.reference import quarter as q
from spm_helpers.views.blocks import html

SUMBER = "isian notebook"  # the ``sumber_berkas`` of rows saved from this form
_PILIH = ("(pilih)", "")


def _shown_number(value) -> str:
    return "" if value is None or pd.isna(value) else fmt.angka(value)


def _shown_text(value) -> str:
    return "" if value is None or pd.isna(value) else str(value)


def _options(choices, current: str | None, labels: dict[str, str] | None = None) -> list[tuple[str, str]]:
    """Dropdown options; a stored value that is not a valid choice is shown too (validation reports it)."""
    out = [_PILIH] + [((labels or {}).get(c, c), c) for c in choices]
    if current and current not in choices:
        out.append((f"{current} (tidak dikenal)", current))
    return out


def _row() -> w.Layout:
    """A row as wide as JupyterLab's output area, never wider (no side scrolling)."""
    return w.Layout(width="100%", max_width="1100px")


# column widths of each block: the header row and every row share them, so labels stand above their fields
_LEBAR_ANGGARAN = {"kode_jenis": "30%", "sumber_dana": "14%", "alokasi": "15%", "realisasi": "15%",
                   "keterangan": "16%"}
_LEBAR_MASALAH = {"kode_jenis": "24%", "permasalahan": "24%", "solusi": "24%", "status": "18%"}
_LEBAR_TAHAPAN = {"nama": "42%", "status": "18%", "tanggal": "14%", "nomor_dokumen": "24%"}


def _lebar(widths: dict[str, str], key: str) -> w.Layout:
    return w.Layout(width=widths[key], flex="0 0 auto")


def _header(labels: dict[str, str], widths: dict[str, str]) -> w.HBox:
    """Column names above a block's rows (a filled field shows its value, not its placeholder)."""
    return w.HBox([w.HTML(f"<small><b>{escape(text)}</b></small>", layout=_lebar(widths, key))
                   for key, text in labels.items()], layout=_row())


class _Baris:
    """One editable row: its widgets by column key, and the box that shows them with a 'Hapus' button."""

    def __init__(self, fields: dict[str, w.Widget], on_delete) -> None:
        self.fields = fields
        self.hapus = w.Button(description="Hapus", icon="trash", layout=w.Layout(width="auto", flex="0 0 auto"))
        self.hapus.on_click(lambda _b: on_delete(self))
        self.box = w.HBox([*fields.values(), self.hapus], layout=_row())

    def value(self, key: str) -> str:
        return (self.fields[key].value or "").strip()


class IsianTriwulan:
    """Enter/correct anggaran, permasalahan and tahapan of one region and quarter, saved into ``data_dir``."""

    def __init__(self, data_dir: str | Path, kode_wilayah: str = "32.75", tahun: int = 2025, triwulan: int = 1, *,
                 opd: str | None = None) -> None:
        self.folder = Path(data_dir)
        self.region = regions.get(kode_wilayah)
        self.tahun, self.triwulan = int(tahun), q.check_triwulan(triwulan)
        self.opd = opd_name(opd) if opd else None
        if self.opd is None:
            jenis = catalog.jenis_for_region(self.region.kode_wilayah)
        else:
            jenis = jenis_of_opd(self.region.kode_wilayah, self.opd)
        self.jenis = jenis["kode_jenis"].tolist()
        self.nama_jenis = dict(zip(jenis["kode_jenis"], jenis["kode_jenis"] + " — " + jenis["nama"]))
        self.with_tahapan = self.opd in (None, BAPPEDA)
        self.problems: list[Problem] = []
        self.dasar: dict[str, pd.DataFrame] = {}
        self.anggaran: list[_Baris] = []
        self.masalah: list[_Baris] = []
        self.tahapan: dict[str, dict[str, w.Widget]] = {}
        self.kotak_anggaran, self.kotak_masalah, self.kotak_tahapan = w.VBox(), w.VBox(), w.VBox()
        self.tombol_tambah_anggaran = w.Button(description="Tambah baris anggaran", icon="plus",
                                               layout=w.Layout(width="auto"))
        self.tombol_tambah_masalah = w.Button(description="Tambah permasalahan", icon="plus",
                                              layout=w.Layout(width="auto"))
        self.tombol_simpan = w.Button(description="Simpan", button_style="primary", icon="check")
        self.tombol_muat = w.Button(description="Muat ulang", icon="refresh")
        self.pesan = w.HTML()
        self.tombol_tambah_anggaran.on_click(lambda _b: self.tambah_anggaran())
        self.tombol_tambah_masalah.on_click(lambda _b: self.tambah_masalah())
        self.tombol_simpan.on_click(self.simpan)
        self.tombol_muat.on_click(self.muat)
        self.widget = w.VBox(self._layout())
        self.muat()

    # ----------------------------------------------------------------------------------------- layout
    def _layout(self) -> list[w.Widget]:
        tenggat, _ = q.tenggat(self.tahun, self.triwulan)
        who = OPD[self.opd] if self.opd else "semua OPD dan Bappeda"
        head = [w.HTML(f"<b>Isian laporan triwulan SPM</b> — {escape(str(self.region))}, "
                       f"{q.nama_triwulan(self.triwulan)} {self.tahun} ({escape(who)})"
                       + (f"; batas pelaporan e-SPM {tenggat:%d/%m/%Y}" if tenggat else "") + ". Kosongkan bila "
                       "data belum ada; isi 0 hanya bila memang nol. Rupiah: 1.250.000; tanggal: 31/03/2025.")]
        parts = []
        if self.jenis:
            parts += [w.HTML(f"<b>A. {ANGGARAN}</b>: alokasi = pagu tahun ini; realisasi = kumulatif s.d. akhir "
                             "triwulan"),
                      _header({"kode_jenis": "Jenis layanan", "sumber_dana": "Sumber dana",
                               "alokasi": "Alokasi (Rp)", "realisasi": "Realisasi kumulatif (Rp)",
                               "keterangan": "Keterangan"}, _LEBAR_ANGGARAN),
                      self.kotak_anggaran, w.HBox([self.tombol_tambah_anggaran]),
                      w.HTML(f"<b>B. {PERMASALAHAN} dan solusi</b>: tidak ada permasalahan? pilih status "
                             f"'{q.TANPA_MASALAH}'"),
                      _header({"kode_jenis": "Jenis layanan", "permasalahan": "Permasalahan",
                               "solusi": "Solusi / tindak lanjut", "status": "Status"}, _LEBAR_MASALAH),
                      self.kotak_masalah, w.HBox([self.tombol_tambah_masalah])]
        if self.with_tahapan:
            parts += [w.HTML(f"<b>C. {TAHAPAN} penerapan SPM dan Rencana Aksi</b> (status terakhir)"),
                      _header({"nama": "Tahapan", "status": "Status", "tanggal": "Tanggal (selesai/mulai)",
                               "nomor_dokumen": "Nomor dokumen"}, _LEBAR_TAHAPAN),
                      self.kotak_tahapan]
        return head + parts + [w.HBox([self.tombol_simpan, self.tombol_muat]), self.pesan]

    def _scope(self) -> tuple:
        return (self.region.kode_wilayah, self.tahun, self.triwulan, self.jenis, self.with_tahapan)

    # ----------------------------------------------------------------------------------------- loading
    def muat(self, _button=None) -> None:
        """(Re)load this form's rows from the data folder; they are what 'Simpan' may replace."""
        self.dasar = {}
        for table in QUARTER_TABLES:
            path = table_path(self.folder, table) if self.folder.is_dir() else None
            cur = read_table(path) if path is not None else None
            mine = quarter_collect.in_scope(cur, table, *self._scope())
            self.dasar[table] = cur[mine].reset_index(drop=True) if cur is not None else pd.DataFrame()
        self.anggaran, self.masalah = [], []
        for r in self.dasar["anggaran"].to_dict("records"):
            self.tambah_anggaran(r, refresh=False)
        for r in self.dasar["permasalahan"].to_dict("records"):
            self.tambah_masalah(r, refresh=False)
        if self.jenis and not self.anggaran:
            self.tambah_anggaran(refresh=False)
        if self.jenis and not self.masalah:
            self.tambah_masalah(refresh=False)
        stored = {str(r["tahapan"]): r for r in self.dasar["tahapan"].to_dict("records")}
        self.tahapan = {}
        for code in q.TAHAPAN:
            r = stored.get(code, {})
            status = _shown_text(r.get("status"))
            self.tahapan[code] = {
                "status": w.Dropdown(options=_options(q.STATUS_TAHAPAN, status), value=status,
                                     layout=_lebar(_LEBAR_TAHAPAN, "status")),
                "tanggal": w.Text(value=fmt_date(_shown_text(r.get("tanggal")) or None), placeholder="hh/bb/tttt",
                                  layout=_lebar(_LEBAR_TAHAPAN, "tanggal")),
                "nomor_dokumen": w.Text(value=_shown_text(r.get("nomor_dokumen")), placeholder="nomor dokumen",
                                        layout=_lebar(_LEBAR_TAHAPAN, "nomor_dokumen")),
            }
        self.kotak_tahapan.children = [
            w.HBox([w.HTML(escape(q.NAMA_TAHAPAN[code]), layout=_lebar(_LEBAR_TAHAPAN, "nama")), *f.values()],
                   layout=_row()) for code, f in self.tahapan.items()]
        self._refresh()
        self.pesan.value = ""

    def _refresh(self) -> None:
        self.kotak_anggaran.children = [b.box for b in self.anggaran]
        self.kotak_masalah.children = [b.box for b in self.masalah]

    def tambah_anggaran(self, row: dict | None = None, refresh: bool = True) -> _Baris:
        """Add a budget row (blank, or showing a stored row)."""
        row = row or {}
        jenis, sumber = _shown_text(row.get("kode_jenis")), _shown_text(row.get("sumber_dana"))
        fields = {
            "kode_jenis": w.Dropdown(options=_options(self.jenis, jenis, self.nama_jenis), value=jenis,
                                     layout=_lebar(_LEBAR_ANGGARAN, "kode_jenis")),
            "sumber_dana": w.Dropdown(options=_options(q.kode_sumber_dana(), sumber), value=sumber,
                                      layout=_lebar(_LEBAR_ANGGARAN, "sumber_dana")),
            "alokasi": w.Text(value=_shown_number(row.get("alokasi")), placeholder="alokasi (Rp)",
                              layout=_lebar(_LEBAR_ANGGARAN, "alokasi")),
            "realisasi": w.Text(value=_shown_number(row.get("realisasi")), placeholder="realisasi (Rp)",
                                layout=_lebar(_LEBAR_ANGGARAN, "realisasi")),
            "keterangan": w.Text(value=_shown_text(row.get("keterangan")), placeholder="keterangan",
                                 layout=_lebar(_LEBAR_ANGGARAN, "keterangan")),
        }
        baris = _Baris(fields, self._hapus_anggaran)
        self.anggaran.append(baris)
        if refresh:
            self._refresh()
        return baris

    def tambah_masalah(self, row: dict | None = None, refresh: bool = True) -> _Baris:
        """Add a problem row (blank, or showing a stored row)."""
        row = row or {}
        jenis, status = _shown_text(row.get("kode_jenis")), _shown_text(row.get("status"))
        fields = {
            "kode_jenis": w.Dropdown(options=_options(self.jenis, jenis, self.nama_jenis), value=jenis,
                                     layout=_lebar(_LEBAR_MASALAH, "kode_jenis")),
            "permasalahan": w.Textarea(value=_shown_text(row.get("permasalahan")), placeholder="permasalahan",
                                       layout=_lebar(_LEBAR_MASALAH, "permasalahan")),
            "solusi": w.Textarea(value=_shown_text(row.get("solusi")), placeholder="solusi / tindak lanjut",
                                 layout=_lebar(_LEBAR_MASALAH, "solusi")),
            "status": w.Dropdown(options=_options(q.STATUS_MASALAH, status), value=status,
                                 layout=_lebar(_LEBAR_MASALAH, "status")),
        }
        baris = _Baris(fields, self._hapus_masalah)
        self.masalah.append(baris)
        if refresh:
            self._refresh()
        return baris

    def _hapus_anggaran(self, baris: _Baris) -> None:
        self.anggaran.remove(baris)
        self._refresh()

    def _hapus_masalah(self, baris: _Baris) -> None:
        self.masalah.remove(baris)
        self._refresh()

    # ----------------------------------------------------------------------------------------- saving
    def frames(self) -> tuple[dict[str, pd.DataFrame], list[Problem]]:
        """The rows typed in, as the three tables with provenance (sheet = section, row = position), and the
        problems of the cells themselves (numbers, dates). Rows with nothing typed are left out."""
        problems: list[Problem] = []
        base = {"kode_wilayah": self.region.kode_wilayah, "tahun": self.tahun, "_berkas": SUMBER}

        def number(text: str, sheet: str, i: int, key: str):
            value, alasan = parse_number(text, "rupiah")
            if alasan:
                problems.append(Problem(alasan, berkas=SUMBER, sheet=sheet, baris=i, kolom=JUDUL["anggaran"][key],
                                        nilai=text))
            return value

        a_rows = []
        for i, b in enumerate(self.anggaran, start=1):
            if not any(b.value(k) for k in ("alokasi", "realisasi", "keterangan")):
                continue
            a_rows.append({**base, "triwulan": self.triwulan, "_sheet": ANGGARAN, "_baris": i,
                           "kode_jenis": b.value("kode_jenis") or None, "sumber_dana": b.value("sumber_dana") or None,
                           "alokasi": number(b.value("alokasi"), ANGGARAN, i, "alokasi"),
                           "realisasi": number(b.value("realisasi"), ANGGARAN, i, "realisasi"),
                           "keterangan": b.value("keterangan") or None})
        m_rows = [{**base, "triwulan": self.triwulan, "_sheet": PERMASALAHAN, "_baris": i,
                   **{k: b.value(k) or None for k in ("kode_jenis", "permasalahan", "solusi", "status")}}
                  for i, b in enumerate(self.masalah, start=1)
                  if any(b.value(k) for k in ("permasalahan", "solusi", "status"))]
        t_rows = []
        for i, (code, f) in enumerate(self.tahapan.items() if self.with_tahapan else (), start=1):
            texts = {k: (f[k].value or "").strip() for k in ("status", "tanggal", "nomor_dokumen")}
            if not any(texts.values()):
                continue
            iso, alasan = parse_date(texts["tanggal"])
            if alasan:
                problems.append(Problem(alasan, berkas=SUMBER, sheet=TAHAPAN, baris=i,
                                        kolom=JUDUL["tahapan"]["tanggal"], nilai=texts["tanggal"]))
            t_rows.append({**base, "_sheet": TAHAPAN, "_baris": i, "tahapan": code, "status": texts["status"] or None,
                           "tanggal": iso, "nomor_dokumen": texts["nomor_dokumen"] or None})
        columns = {"anggaran": ["kode_wilayah", "tahun", "triwulan", "kode_jenis", "sumber_dana", "alokasi",
                                "realisasi", "keterangan"],
                   "permasalahan": ["kode_wilayah", "tahun", "triwulan", "kode_jenis", "permasalahan", "solusi",
                                    "status"],
                   "tahapan": ["kode_wilayah", "tahun", "tahapan", "status", "tanggal", "nomor_dokumen"]}
        rows = {"anggaran": a_rows, "permasalahan": m_rows, "tahapan": t_rows}
        return {t: pd.DataFrame(rows[t], columns=[*columns[t], "_berkas", "_sheet", "_baris"]) for t in rows}, problems

    def simpan(self, _button=None) -> bool:
        """Validate every row; without errors, replace this form's rows in the data folder (atomically)."""
        frames, problems = self.frames()
        tables = {}
        for table, df in frames.items():
            checked, found = validate_rows(df, table, SUMBER)
            problems += found
            tables[table] = checked
        if any(p.tingkat == SEVERITY_ERROR for p in problems):
            self._show(problems)
            return False
        merged = {t: quarter_collect.merge_table(df, t)[0].assign(**{quarter_collect.PROVENANCE: SUMBER})
                  for t, df in tables.items()}
        hasil = quarter_collect.HasilImporTriwulan(
            self.region.kode_wilayah, self.tahun, self.triwulan, merged,
            pd.DataFrame(columns=quarter_collect.KONFLIK_COLUMNS), problems, {}, self.jenis, self.with_tahapan)
        try:
            quarter_collect.save(hasil, self.folder, dasar=self.dasar)
        except SPMError as exc:
            self.problems = problems
            self.pesan.value = f"<div style='color:#b00020'><b>Galat:</b> {escape(str(exc))}</div>"
            return False
        n = {t: len(df) for t, df in merged.items()}
        self.muat()
        self.problems = problems
        self.pesan.value = (f"<span style='color:#1b5e20'>Tersimpan di {escape(str(self.folder))}: "
                            f"{n['anggaran']} baris anggaran, {n['permasalahan']} baris permasalahan, "
                            f"{n['tahapan']} baris tahapan ({escape(str(self.region))}, "
                            f"{q.nama_triwulan(self.triwulan)} {self.tahun}).</span>"
                            + (SPMDataError(problems)._repr_html_().replace("Data belum benar", "Periksa lagi")
                               if problems else ""))
        return True

    def _show(self, problems: list[Problem]) -> None:
        self.problems = problems
        self.pesan.value = SPMDataError(problems)._repr_html_()

    def _ipython_display_(self) -> None:
        from IPython.display import display

        display(self.widget)


def formulir_triwulan(data_dir: str | Path | None, kode_wilayah: str, tahun: int, triwulan: int,
                      opd: str = "") -> IsianTriwulan | HTML:
    """Notebook 06's entry form, or a plain Indonesian reason why there is none: the bundled demo data is
    never edited (in a wheel install it lives inside the package), and a folder must exist to be written to."""
    if data_dir is None or str(data_dir).strip() == "":
        return html("<p><b>Formulir tidak ditampilkan:</b> buku kerja ini memakai data contoh bawaan, yang tidak "
                      "diubah. Buat folder data Anda sendiri, mis. <code>spm contoh --triwulan --ke data_spm</code> "
                      "(atau folder hasil impor formulir OPD), lalu isi parameter <code>data_dir = \"data_spm\"</code>."
                      "</p>")
    folder = Path(data_dir)
    if not folder.is_dir():
        return html(f"<p><b>Formulir tidak ditampilkan:</b> folder data <code>{escape(str(folder))}</code> tidak "
                      "ditemukan. Periksa parameter <code>data_dir</code>.</p>")
    return IsianTriwulan(folder, kode_wilayah, tahun, triwulan, opd=opd or None)
