"""The national/provincial page of a quarterly batch (``spm batch --triwulan N``): who is late, with what.

Reads each region's ``ringkasan_triwulan.json`` and writes ``ringkasan_triwulan_wilayah.csv``,
``ringkasan_triwulan_provinsi.csv`` and ``index.html``: regions ranked by keterisian and by IP-SPM at quarter
end, per province the mean keterisian and how many regions have an empty block, and the list of regions whose
blocks are empty — what a province or Bangda uses to chase late regions before the deadline. Self-contained
HTML like ``index_page`` (no script, no external URL); every value from a notebook is escaped.
"""
from __future__ import annotations

import json
from html import escape
from pathlib import Path

import pandas as pd

from spm_helpers import DEMO_LABEL, fmt
from spm_helpers.batch.index_page import cell_int as _int
from spm_helpers.batch.index_page import cell_link as _link
from spm_helpers.batch.index_page import cell_num as _num
from spm_helpers.batch.index_page import failures_section, html_table
from spm_helpers.batch.summary import INDEX
from spm_helpers.batch.worker import BERHASIL, GAGAL, MENUNGGU
from spm_helpers.files import write_text
from spm_helpers.inputs.datastore import write_table
from spm_helpers.reference import quarter as q
from spm_helpers.reference import regions
from spm_helpers.region.quarter import RINGKASAN_TRIWULAN
from spm_helpers.views import prose

BLOK = tuple(q.blok()["kode_blok"])


def read_quarters(manifest) -> pd.DataFrame:
    """One row per region: status, keterisian overall and per block, IP-SPM at quarter end, empty blocks."""
    rows = []
    for kode, entry in manifest.entries.items():
        path = manifest.run_dir / kode / RINGKASAN_TRIWULAN
        data: dict = {}
        if entry["status"] == BERHASIL and path.exists():
            try:
                loaded = json.loads(path.read_text(encoding="utf-8"))
                data = loaded if isinstance(loaded, dict) else {}
            except ValueError:
                data = {}
        try:
            reg = regions.get(kode)
            nama, prov, nama_prov, tingkat = reg.nama, reg.kode_provinsi, reg.nama_provinsi, reg.tingkat
        except Exception:  # noqa: BLE001 - a code outside the bundled list still gets a row
            nama, prov, nama_prov, tingkat = entry.get("nama"), kode[:2], None, None
        blok = data.get("keterisian_blok") or {}
        row = {"kode_wilayah": kode, "nama": nama, "tingkat": tingkat, "kode_provinsi": prov,
               "nama_provinsi": nama_prov, "status": entry["status"],
               "keterisian": data.get("keterisian"), "ip_spm": data.get("ip_spm"), "kategori": data.get("kategori"),
               "blok_kosong": "; ".join(data.get("blok_kosong") or []),
               "jumlah_blok_kosong": len(data.get("blok_kosong") or []) if data else None,
               "jumlah_kekurangan": data.get("jumlah_kekurangan"), "hari_tersisa": data.get("hari_tersisa"),
               "laporan": next((p for p in entry.get("keluaran", []) if p.endswith(".html")), None),
               "excel": _pack(manifest, kode),
               "galat": entry.get("galat"), "notebook": entry.get("notebook"), "data_label": data.get("data")}
        for b in BLOK:
            row[f"keterisian_{b}"] = blok.get(b)
        rows.append(row)
    df = pd.DataFrame(rows)
    for c in ["keterisian", "ip_spm", "jumlah_blok_kosong", "jumlah_kekurangan", "hari_tersisa",
              *[f"keterisian_{b}" for b in BLOK]]:
        df[c] = pd.to_numeric(df[c], errors="coerce")
    return df


def _pack(manifest, kode: str) -> str | None:
    """The region's quarter-pack workbook, relative to the run folder, when it was written."""
    name = f"paket_triwulan_{kode}_{manifest.meta.get('tahun')}_TW{manifest.meta.get('triwulan')}.xlsx"
    return f"{kode}/{name}" if (manifest.run_dir / kode / name).exists() else None


def province_table(df: pd.DataFrame) -> pd.DataFrame:
    """Per province: regions, mean keterisian, mean IP-SPM, regions with an empty block, lowest region."""
    ok = df[df["keterisian"].notna()]
    if ok.empty:
        return pd.DataFrame(columns=["kode_provinsi", "nama_provinsi", "jumlah_wilayah", "rerata_keterisian",
                                     "rerata_ip_spm", "wilayah_blok_kosong", "terendah"])
    g = ok.groupby("kode_provinsi", sort=True)
    low = ok.sort_values("keterisian").groupby("kode_provinsi").first()
    out = pd.DataFrame({
        "nama_provinsi": g["nama_provinsi"].first(), "jumlah_wilayah": g.size(),
        "rerata_keterisian": g["keterisian"].mean(), "rerata_ip_spm": g["ip_spm"].mean(),
        "wilayah_blok_kosong": g["jumlah_blok_kosong"].apply(lambda s: int((s > 0).sum())),
        "terendah": low["nama"] + " (" + low["keterisian"].map(lambda v: fmt.persen(v)) + ")",
    }).reset_index()
    return out.sort_values("rerata_keterisian").reset_index(drop=True)


def write_quarter_summary(manifest) -> Path:
    run_dir = manifest.run_dir
    df = read_quarters(manifest)
    prov = province_table(df)
    write_table(df.drop(columns=["laporan", "excel"]), run_dir / "ringkasan_triwulan_wilayah.csv")
    write_table(prov, run_dir / "ringkasan_triwulan_provinsi.csv")
    return write_text(run_dir / INDEX, render_html(manifest, df, prov))


def _pct(v) -> str:
    return escape(fmt.persen(None if v is None or pd.isna(v) else v))


def render_html(manifest, df: pd.DataFrame, prov: pd.DataFrame) -> str:
    meta, counts = manifest.meta, manifest.counts()
    tahun, tw = meta.get("tahun", ""), int(meta.get("triwulan") or 0)
    judul = f"Ringkasan Laporan Triwulan {q.ROMAWI.get(tw, tw)} Tahun {tahun}"
    demo = meta.get("data_label") == DEMO_LABEL or (df["data_label"] == DEMO_LABEL).any()
    ok = df[df["keterisian"].notna()]
    d, status = q.tenggat(int(tahun), tw) if tw in q.TRIWULAN and tahun else (None, "")
    waiting = f", {counts[MENUNGGU]} belum dijalankan" if counts.get(MENUNGGU) else ""
    parts = [f"<h1>{escape(judul)}</h1>",
             f'<p class="contoh">Semua angka adalah {DEMO_LABEL}, bukan data resmi daerah.</p>' if demo else "",
             f"<p>{counts['total']} wilayah: {counts.get(BERHASIL, 0)} berhasil, {counts.get(GAGAL, 0)} gagal{waiting}."
             + (f" Tenggat e-SPM: {escape(fmt.tanggal(d))}" + ("" if status == "terkonfirmasi" else
                                                              " (pola 2024, periksa surat edaran Bangda)") + "."
                if d else "") + "</p>",
             failures_section(manifest, df)]
    if len(ok):
        empty = ok[ok["jumlah_blok_kosong"] > 0]
        parts.append(f"<h2>Nasional</h2><p>Rerata keterisian {_pct(ok['keterisian'].mean())} dari {len(ok)} wilayah; "
                     f"{len(empty)} wilayah masih memiliki isian yang kosong sama sekali. Rerata IP-SPM akhir "
                     f"triwulan {escape(fmt.angka(ok['ip_spm'].mean(), 2))}.</p>")
        parts.append("<h2>Wilayah dengan isian kosong (untuk ditagih)</h2>" + (html_table(
            empty.sort_values(["jumlah_blok_kosong", "keterisian"], ascending=[False, True]),
            [("kode_wilayah", "Kode", None), ("nama", "Wilayah", None), ("nama_provinsi", "Provinsi", None),
             ("blok_kosong", "Isian kosong", None), ("keterisian", "Keterisian", _pct),
             ("jumlah_kekurangan", "Kekurangan", _int), ("laporan", "Laporan", _link), ("excel", "Paket", _link)])
            if len(empty) else "<p>Tidak ada.</p>"))
        parts.append("<h2>Per provinsi</h2>" + html_table(prov, [
            ("kode_provinsi", "Kode", None), ("nama_provinsi", "Provinsi", None), ("jumlah_wilayah", "Wilayah", _int),
            ("rerata_keterisian", "Rerata keterisian", _pct), ("rerata_ip_spm", "Rerata IP-SPM", _num),
            ("wilayah_blok_kosong", "Wilayah dengan isian kosong", _int), ("terendah", "Keterisian terendah", None)]))
        ranked = ok.sort_values(["keterisian", "ip_spm"], ascending=[False, False]).reset_index(drop=True)
        ranked.insert(0, "peringkat", range(1, len(ranked) + 1))
        cols = [("peringkat", "No", _int), ("kode_wilayah", "Kode", None), ("nama", "Wilayah", None),
                ("keterisian", "Keterisian", _pct),
                *[(f"keterisian_{b}", n, _pct) for b, n in zip(BLOK, ("Capaian", "Anggaran", "Permasalahan",
                                                                      "Tahapan", "Rencana aksi"))],
                ("ip_spm", "IP-SPM", _num), ("kategori", "Kategori", None), ("laporan", "Laporan", _link),
                ("excel", "Paket", _link)]
        parts.append("<h2>Peringkat keterisian dan capaian</h2>" + html_table(ranked, cols))
    parts.append(f'<p class="catatan">Dibuat oleh SPM Workbench {escape(str(meta.get("versi_spm", "")))} dari '
                 f"{RINGKASAN_TRIWULAN} tiap wilayah. Tabel lengkap: ringkasan_triwulan_wilayah.csv, "
                 "ringkasan_triwulan_provinsi.csv.</p>")
    return prose.page(judul, "".join(parts), body_class="lebar") + "\n"
