"""``index.html`` of a batch run: failures first, national table, charts, provinces, every region.

Self-contained on purpose (inline CSS, charts as base64 PNG, no script, no font or style URL):
government offices are often offline. Every value from a notebook or the manifest is escaped.
"""
from __future__ import annotations

from html import escape
from pathlib import Path
from typing import Any, Callable

import pandas as pd

from spm_helpers import DEMO_LABEL, fmt
from spm_helpers.batch.worker import BERHASIL, GAGAL, MENUNGGU
from spm_helpers.reference import catalog
from spm_helpers.views import prose

Column = tuple[str, str, Callable[[Any], str] | None]  # (column, header, value → HTML; None = escaped text)


def _missing(v) -> bool:
    return v is None or (not isinstance(v, (str, list, dict)) and pd.isna(v))


def _num(v) -> str:
    return fmt.angka(None if _missing(v) else v, 2)


def _int(v) -> str:
    return fmt.angka(None if _missing(v) else v)


def _rp(v) -> str:
    return escape(fmt.rupiah(None if _missing(v) else v))


def _html(v) -> str:
    """A cell this module already rendered as HTML."""
    return v


def _link(path) -> str:
    if not isinstance(path, str) or not path:
        return "–"
    return f'<a href="{escape(path)}">{escape(Path(path).suffix[1:])}</a>'


def _pre(v) -> str:
    return f"<pre>{escape(v)}</pre>" if v else "–"


NUMERIC = (_num, _int, _rp)


def html_table(df: pd.DataFrame, columns: list[Column]) -> str:
    """A plain HTML table; numbers align right."""
    head = "".join(f"<th>{escape(h)}</th>" for _, h, _ in columns)
    rows = []
    for row in df.to_dict("records"):
        cells = []
        for col, _, render in columns:
            value = row.get(col)
            text = render(value) if render else ("–" if _missing(value) else escape(str(value)))
            cells.append(f'<td class="n">{text}</td>' if render in NUMERIC else f"<td>{text}</td>")
        rows.append("<tr>" + "".join(cells) + "</tr>")
    return f"<table><thead><tr>{head}</tr></thead><tbody>{''.join(rows)}</tbody></table>"


def _failure_place(entry: dict) -> str:
    cell = entry.get("sel_gagal") or {}
    if not cell:
        return ""
    return f"In [{cell.get('eksekusi')}] (sel ke-{cell.get('indeks')}):\n{cell.get('sumber', '')}"


def _failures(manifest, df: pd.DataFrame) -> str:
    failed = df[df["status"] == GAGAL]
    if failed.empty:
        return ""
    failed = failed.assign(lokasi=[_failure_place(manifest.entries[k]) for k in failed["kode_wilayah"]])
    return '<section class="gagal"><h2>Wilayah yang gagal</h2>' + html_table(failed, [
        ("kode_wilayah", "Kode", None), ("nama", "Wilayah", None), ("galat", "Galat", None),
        ("lokasi", "Sel yang gagal", _pre), ("notebook", "Notebook", _link)]) + "</section>"


SIGNING_ROWS = 60  # more regions than this: the rest are in ringkasan_wilayah.csv


def _signing(manifest, df: pd.DataFrame) -> str:
    """Which regions' documents still print a placeholder (kop surat, signatory, NIP) before they can be
    signed: only the missing fields are named, never the names and numbers that were given."""
    if "isian_identitas" not in df.columns:
        return ""
    todo = df[df["isian_identitas"].fillna("") != ""]
    head = '<section class="identitas"><h2>Kesiapan tanda tangan</h2>'
    if not (manifest.meta.get("parameter") or {}).get("identitas"):
        return (head + f"<p>Batch ini berjalan tanpa berkas identitas: dokumen {len(df)} wilayah memuat isian "
                "[dalam kurung siku] untuk nama kepala daerah, sekretaris daerah, NIP, dan kop surat. Buat berkas "
                "identitas tiap wilayah dengan <code>spm identitas --wilayah …</code>, lengkapi, lalu jalankan "
                "batch dengan <code>--identitas FOLDER</code>.</p></section>")
    ready = len(df) - len(todo)
    text = f"<p>{ready} dari {len(df)} wilayah: identitas lengkap, dokumen siap ditandatangani."
    if todo.empty:
        return head + text + "</p></section>"
    more = (f" {len(todo) - SIGNING_ROWS} wilayah lain: kolom <code>isian_identitas</code> pada "
            "ringkasan_wilayah.csv." if len(todo) > SIGNING_ROWS else "")
    return (head + text + f" {len(todo)} wilayah masih memuat isian [dalam kurung siku]:{more}</p>"
            + html_table(todo.head(SIGNING_ROWS), [("kode_wilayah", "Kode", None), ("nama", "Wilayah", None),
                                                   ("isian_identitas", "Belum diisi", None)]) + "</section>")


def _national(nat: pd.DataFrame, gaps: pd.DataFrame) -> str:
    out = "<h2>Nasional</h2>" + html_table(nat, [
        ("tingkat", "Tingkat", None), ("jumlah_wilayah", "Wilayah", _int),
        ("dengan_indeks", "Dengan IP-SPM", _int), ("rata_indeks", "Rata-rata IP-SPM", _num),
        ("median_indeks", "Median", _num), ("rata_keterisian", "Rata-rata keterisian (%)", _num),
        ("rata_indeks_data_kosong_nol", "Rata-rata IP-SPM (data kosong = 0)", _num),
        ("biaya_total", "Biaya menutup kekurangan", _rp),
        *[(k, k, _int) for k in catalog.kategori_capaian()["kategori"]]])
    out += (f"<p class=catatan>{escape(catalog.catatan_kategori())} Keterisian = jenis berdata lengkap ÷ jenis "
            "wajib tingkatnya (29 kab/kota, 14 provinsi); IP-SPM (data kosong = 0) menghitung jenis tanpa data "
            "lengkap sebagai 0. Tabel ringkasan_wilayah.csv dapat diurutkan menurut kedua angka "
            "(peringkat dan peringkat_data_kosong_nol).</p>")
    if len(gaps):
        out += ("<h3>Kekurangan terbesar yang paling sering muncul</h3>"
                "<p class=catatan>Dihitung dari daftar kekurangan terbesar tiap wilayah.</p>")
        out += html_table(gaps, [("kode_jenis", "Kode", None), ("nama", "Jenis pelayanan", None),
                                 ("jumlah_wilayah", "Jumlah wilayah", _int), ("biaya", "Biaya", _rp)])
    return out


def _provinces(prov: pd.DataFrame) -> str:
    if prov.empty:
        return ""
    prov = prov.assign(provinsi=[f'<a href="#prov-{escape(k)}">{escape(str(n))}</a>'
                                 for k, n in zip(prov["kode_provinsi"], prov["nama_provinsi"])])
    return "<h2>Per provinsi</h2>" + html_table(prov, [
        ("kode_provinsi", "Kode", None), ("provinsi", "Provinsi", _html),
        ("indeks_provinsi", "IP-SPM provinsi", _num), ("kategori_provinsi", "Kategori", None),
        ("keterisian_provinsi", "Keterisian provinsi (%)", _num),
        ("indeks_provinsi_data_kosong_nol", "IP-SPM provinsi (data kosong = 0)", _num),
        ("jumlah_kabkota", "Kab/kota", _int), ("rata_indeks_kabkota", "Rata-rata kab/kota", _num),
        ("indeks_kabkota_terendah", "Terendah", _num), ("indeks_kabkota_tertinggi", "Tertinggi", _num),
        ("rata_keterisian_kabkota", "Keterisian kab/kota (%)", _num),
        ("rata_indeks_kabkota_data_kosong_nol", "Kab/kota (data kosong = 0)", _num),
        ("biaya_total", "Biaya menutup kekurangan", _rp), ("gagal", "Gagal", _int)])


REGION_COLUMNS: list[Column] = [
    ("kode_wilayah", "Kode", None), ("nama", "Wilayah", None), ("indeks", "IP-SPM", _num),
    ("kategori", "Kategori", None), ("peringkat", "Peringkat nasional", _int),
    ("peringkat_provinsi", "Peringkat di provinsi", _int), ("keterisian", "Keterisian (%)", _num),
    ("jumlah_jenis_dinilai", "Jenis dinilai", _int), ("jumlah_jenis_wajib", "Jenis wajib", _int),
    ("ip_spm_data_kosong_nol", "IP-SPM (data kosong = 0)", _num),
    ("peringkat_data_kosong_nol", "Peringkat (data kosong = 0)", _int),
    ("biaya_total", "Biaya menutup kekurangan", _rp),
    ("kekurangan_terbesar", "Kekurangan terbesar", None), ("tautan", "Laporan", _html)]


def _regions(df: pd.DataFrame) -> str:
    """One table per province: the province itself first, then its kab/kota by rank."""
    out = []
    for kode, part in df.groupby("kode_provinsi", sort=True):
        name = part["nama_provinsi"].dropna().iloc[0] if part["nama_provinsi"].notna().any() else kode
        part = part.sort_values(["tingkat", "peringkat_provinsi", "kode_wilayah"],
                                ascending=[False, True, True])
        links = [" ".join(_link(p) for p in pair if isinstance(p, str)) or "–"
                 for pair in zip(part["laporan"], part["pdf"])]
        out.append(f'<h2 id="prov-{escape(kode)}">{escape(str(name))}</h2>'
                   + html_table(part.assign(tautan=links), REGION_COLUMNS))
    return "".join(out)


def render_html(manifest, df: pd.DataFrame, prov: pd.DataFrame, nat: pd.DataFrame, gaps: pd.DataFrame,
                images: dict[str, str]) -> str:
    meta, counts = manifest.meta, manifest.counts()
    tahun = escape(str(meta.get("tahun", "")))
    demo = meta.get("data_label") == DEMO_LABEL or (df["data_label"] == DEMO_LABEL).any()
    waiting = f", {counts[MENUNGGU]} belum dijalankan" if counts.get(MENUNGGU) else ""
    label = f'<p class="contoh">Semua angka adalah {DEMO_LABEL}, bukan data resmi daerah.</p>'
    parts = [f"<h1>Ringkasan Laporan SPM Tahun {tahun}</h1>", label if demo else "",
             f"<p>{counts['total']} wilayah: {counts.get(BERHASIL, 0)} berhasil, {counts.get(GAGAL, 0)} gagal"
             f"{waiting}. Notebook: <code>{escape(Path(meta.get('notebook', '')).name)}</code>. "
             f"Diperbarui {escape(str(meta.get('diperbarui', '')))}.</p>",
             _failures(manifest, df), _national(nat, gaps), _signing(manifest, df),
             *[f'<p><img alt="{escape(t)}" src="data:image/png;base64,{b}"></p>' for t, b in images.items()],
             _provinces(prov), _regions(df),
             f'<p class="catatan">Dibuat oleh SPM Workbench {escape(str(meta.get("versi_spm", "")))} dari '
             "ringkasan.json tiap wilayah. Tabel lengkap: ringkasan_wilayah.csv, ringkasan_provinsi.csv."
             f"{' Label: ' + DEMO_LABEL + '.' if demo else ''}</p>"]
    return prose.page(f"Ringkasan SPM {tahun}", "".join(parts), body_class="lebar") + "\n"


# Public names for the other batch pages (the quarterly summary renders its tables the same way).
cell_num, cell_int, cell_link = _num, _int, _link
failures_section = _failures
