"""Draft Rencana Aksi Penerapan SPM: what each OPD does, when, for which jenis, with which budget.

Permendagri 59/2021 makes a Rencana Aksi compulsory, set by the regional head's regulation (perkada); in
2023 only 26 of 546 regions (4,76%) had drafted and submitted one (spm-reference.md §3). The draft is
built from the fulfilment plan (stage 3): each plan year repeats the annual cycle of the four stages —
data collection, needs, planning (RKPD/Renja, KUA-PPAS/APBD) in the year before, delivery in the year
itself, quarterly e-SPM reporting and an annual evaluation — and stage 4 lists every jenis with its
target, people to serve and budget from the plan.

- ``build_rencana_aksi(hasil)`` → the long table (one row per activity, year and jenis), also written as CSV.
- ``DokumenRencanaAksi(hasil)`` → the document's sections, one method each (like ``LaporanWilayah``).
The schedule months are an indicative planning calendar (Permendagri 86/2017 cycle), to be adjusted.
"""
from __future__ import annotations

from html import escape
from pathlib import Path

import pandas as pd

from spm_helpers import fmt
from spm_helpers.documents.regional_report import DASAR_HUKUM_UMUM, kepala_daerah, perkada
from spm_helpers.files import write_json
from spm_helpers.fmt import rupiah_kata
from spm_helpers.inputs import datastore
from spm_helpers.reference import catalog
from spm_helpers.reference.catalog import bidang_order
from spm_helpers.region.result import HasilWilayah
from spm_helpers.views.blocks import (
    Bagian,
    daftar,
    figure,
    gaya_cetak,
    html,
    kotak,
    label_contoh,
    tabel,
    teks,
)
from spm_helpers.views.tables import KOLOM, tabel_bidang

TIM = "Tim Penerapan SPM (koordinator: Bappeda)"
OPD = "Perangkat daerah pengampu SPM"
TAHAP_PELAKSANAAN = "4. Pelaksanaan pemenuhan pelayanan dasar"

# (tahap, kegiatan, penanggung jawab, jadwal: (year offset from the plan year, months), keluaran)
SIKLUS = (
    ("1. Pengumpulan data", "Pemutakhiran jumlah dan identitas warga negara penerima pelayanan dasar per jenis "
     "(by name by address, dari Dukcapil, DTKS, dan data sektoral)", OPD, (-1, "Januari–Februari"),
     "Data sasaran per jenis pelayanan dasar"),
    ("1. Pengumpulan data", "Inventarisasi ketersediaan barang/jasa, sumber daya manusia, sarana dan prasarana",
     OPD, (-1, "Januari–Februari"), "Data ketersediaan butir mutu"),
    ("1. Pengumpulan data", "Pemeriksaan mutu data dan penyelesaian data yang bertentangan antar-perangkat daerah",
     TIM, (-1, "Maret"), "Data terverifikasi tanpa galat"),
    ("2. Penghitungan kebutuhan", "Penghitungan kebutuhan, kekurangan, dan biaya pemenuhan dengan standar "
     "harga satuan daerah", OPD, (-1, "Maret"), "Tabel kebutuhan dan biaya per jenis"),
    ("3. Penyusunan rencana", "Pemuatan target dan biaya SPM dalam RKPD dan Renja perangkat daerah", "Bappeda dan "
     + OPD.lower(), (-1, "April–Juni"), "RKPD dan Renja memuat program/kegiatan SPM"),
    ("3. Penyusunan rencana", "Pemuatan dalam KUA-PPAS dan RKA/APBD dengan penandaan belanja SPM",
     "TAPD dan " + OPD.lower(), (-1, "Juli–November"), "APBD memuat belanja SPM yang ditandai"),
    ("5. Pelaporan dan evaluasi", "Pelaporan capaian triwulanan melalui aplikasi e-SPM", TIM,
     (0, "April, Juli, Oktober; Januari tahun berikutnya"), "Laporan triwulan e-SPM"),
    ("5. Pelaporan dan evaluasi", "Evaluasi tahunan dan penyusunan laporan penerapan SPM", TIM,
     (1, "Januari–Maret"), "Laporan penerapan dan pencapaian SPM"),
)
KOLOM_RA = ["kode_wilayah", "tahun_rencana", "tahap", "kegiatan", "kode_bidang", "kode_jenis", "nama_jenis", "opd",
            "jadwal", "target_persen", "sasaran_dilayani", "anggaran", "keluaran"]


def build_rencana_aksi(hasil: HasilWilayah) -> pd.DataFrame:
    """One row per activity and plan year; stage-4 rows per jenis carry the plan's target, people and budget
    (anggaran = plan cost, integer rupiah). Other stages are funded from each OPD's routine budget (NA)."""
    r = hasil.rencana.rencana
    kode = hasil.wilayah.kode_wilayah
    years = sorted(int(t) for t in r["tahun_rencana"].unique())
    rows = []
    for t in years:
        for tahap, kegiatan, pj, (offset, bulan), keluaran in SIKLUS:
            rows.append({"kode_wilayah": kode, "tahun_rencana": t, "tahap": tahap, "kegiatan": kegiatan, "opd": pj,
                         "jadwal": f"{bulan} {t + offset}", "keluaran": keluaran})
    siklus = pd.DataFrame(rows)
    p = r.assign(tahap=TAHAP_PELAKSANAAN, kegiatan="Pemenuhan pelayanan dasar: " + r["nama_jenis"].astype(str),
                 jadwal="Januari–Desember " + r["tahun_rencana"].astype(str),
                 keluaran="Warga negara terlayani sesuai target", anggaran=r["biaya"])
    out = pd.concat([siklus, p], ignore_index=True)
    out["anggaran"] = out["anggaran"].astype("Int64")
    out["sasaran_dilayani"] = out["sasaran_dilayani"].astype("Int64")
    out = out.sort_values(["tahun_rencana", "tahap", "kode_jenis"], na_position="first", kind="stable")
    return out[KOLOM_RA].reset_index(drop=True)


def per_jenis_lebar(rencana: pd.DataFrame, kolom: str) -> pd.DataFrame:
    """One row per jenis (catalogue order of bidang, then code) with ``kolom`` of each plan year as a column
    named by the year, plus the period's budget (jumlah_anggaran)."""
    wide = rencana.pivot_table(index=["kode_bidang", "kode_jenis", "nama_jenis", "opd"], columns="tahun_rencana",
                               values=kolom, aggfunc="first")
    wide.columns = [str(int(c)) for c in wide.columns]
    total = rencana.groupby("kode_jenis")["biaya"].sum(min_count=1)
    out = wide.reset_index()
    out["jumlah_anggaran"] = out["kode_jenis"].map(total.to_dict()).astype("Int64")
    order = {k: i for i, k in enumerate(bidang_order())}
    return out.sort_values(["kode_bidang", "kode_jenis"], key=lambda s: s.map(order) if s.name == "kode_bidang"
                           else s, ignore_index=True)


def write_outputs(hasil: HasilWilayah, ra: pd.DataFrame, output_dir) -> dict[str, Path]:
    out = Path(output_dir)
    a = hasil.rencana.anggaran
    w = hasil.wilayah
    summary = {"kode_wilayah": w.kode_wilayah, "nama": w.nama, "tingkat": w.tingkat, "tahun_dasar": hasil.tahun,
               "periode": [int(a["tahun_rencana"].min()), int(a["tahun_rencana"].max())],
               "jumlah_kegiatan": int(len(ra)),
               "jumlah_jenis": int(ra["kode_jenis"].nunique()),
               "anggaran_per_tahun": {str(int(x.tahun_rencana)): int(x.biaya) for x in a.dropna(subset=["biaya"]).itertuples()},
               "anggaran_total": int(a["biaya"].sum(skipna=True)), "perkada": perkada(w),
               "aturan": hasil.data.aturan, "data_label": hasil.data.data_label}
    return {"rencana_aksi": datastore.write_table(ra, out / "rencana_aksi.csv"),
            "ringkasan": write_json(out / "rencana_aksi.json", summary)}


class DokumenRencanaAksi:
    """Sections of the draft Rencana Aksi document for one region."""

    def __init__(self, hasil: HasilWilayah):
        self.h = hasil
        self.w = hasil.wilayah
        self.ra = build_rencana_aksi(hasil)
        a = hasil.rencana.anggaran
        self.awal, self.akhir = int(a["tahun_rencana"].min()), int(a["tahun_rencana"].max())

    @property
    def periode(self) -> str:
        return f"{self.awal}–{self.akhir}"

    def sampul(self) -> Bagian:
        w, label = self.w, self.h.data.data_label
        banner = (f"<p class=\"label-contoh\">{escape(label.upper())} — bukan data resmi pemerintah daerah</p>"
                  if label else "")
        markup = (f"<div class=\"sampul\"><p class=\"catatan\">RANCANGAN LAMPIRAN {escape(perkada(w).upper())}<br>"
                f"NOMOR ..... TAHUN .....</p>"
                f"<h1>Rencana Aksi Penerapan Standar Pelayanan Minimal</h1>"
                f"<p style=\"font-size:1.5rem;margin:.5rem 0\"><b>{escape(w.nama)}</b></p>"
                f"<p style=\"font-size:1.3rem\">Tahun {self.periode}</p>{banner}"
                f"<p class=\"catatan\">Rancangan disusun dari data tahun {self.h.tahun} dan rencana "
                "pemenuhan "
                "pelayanan dasar (Permendagri 59/2021). "
                f"{escape(catalog.rule_set_note(self.h.data.aturan))}</p></div>")
        return Bagian([gaya_cetak(label), html(markup)])

    def pendahuluan(self) -> Bagian:
        w = self.w
        text = (f"Peraturan Menteri Dalam Negeri Nomor 59 Tahun 2021 tentang Penerapan Standar Pelayanan Minimal "
                "mewajibkan pemerintah daerah menyusun **Rencana Aksi Penerapan SPM** yang ditetapkan "
                "dengan "
                "peraturan kepala daerah. Rencana aksi menerjemahkan empat tahapan penerapan SPM — "
                "pengumpulan data, "
                "penghitungan kebutuhan, penyusunan rencana, dan pelaksanaan pemenuhan pelayanan dasar — "
                "menjadi "
                "kegiatan, penanggung jawab, jadwal, dan anggaran. Pada tahun 2023 baru 26 dari 546 daerah "
                "(4,76%) "
                f"yang telah menyusun dan menyampaikan rencana aksi.\n\n"
                f"Dokumen ini adalah **rancangan** Rencana Aksi Penerapan SPM {w.nama} tahun {self.periode}, "
                "untuk "
                f"dibahas oleh Tim Penerapan SPM dan ditetapkan dengan {perkada(w)}. Rancangan mencakup "
                f"{self.ra['kode_jenis'].nunique()} jenis pelayanan dasar yang direncanakan, dengan kondisi "
                "awal "
                f"tahun {self.h.tahun}.")
        return Bagian([teks(text), teks("**Dasar hukum:**"), daftar(DASAR_HUKUM_UMUM),
                       label_contoh(self.h.data.data_label)])

    def kondisi_awal(self) -> Bagian:
        h, row = self.h, self.h.indeks
        text = (f"IP-SPM {self.w.nama} tahun {h.tahun}: **{fmt.angka(row['indeks'], 2)}** ({row['kategori']})."
                if pd.notna(row["indeks"]) else f"IP-SPM tahun {h.tahun} belum dapat dihitung.")
        c = h.capaian[h.capaian["indeks"].notna()].sort_values("indeks").head(5)
        prior = tabel(c, {k: KOLOM[k] for k in ("nama_jenis", "opd_pengampu", "capaian_penerima", "indeks",
                                                "kategori")}, judul="Lima jenis dengan indeks terendah (prioritas)")
        return Bagian([teks(text), tabel_bidang(h.bidang, judul=f"Kondisi awal per bidang, {h.tahun}"), prior])

    def rencana_per_tahap(self) -> Bagian:
        cyc = pd.DataFrame([{"tahap": t, "kegiatan": k, "opd": pj,
                             "jadwal": f"{bulan} " + ("tahun sebelumnya" if off < 0 else "tahun berikutnya" if off > 0
                                                      else "tahun berjalan"), "keluaran": kel}
                            for t, k, pj, (off, bulan), kel in SIKLUS])
        cyc = pd.concat([cyc, pd.DataFrame([{"tahap": TAHAP_PELAKSANAAN, "kegiatan": "Pemenuhan pelayanan dasar per "
                                             "jenis sesuai target tahunan (Bab IV)", "opd": OPD,
                                             "jadwal": "Januari–Desember tahun berjalan",
                                             "keluaran": "Warga negara terlayani sesuai target"}])])
        cyc = cyc.sort_values("tahap", kind="stable")
        text = (f"Setiap tahun rencana {self.periode} mengulang siklus berikut. Tahap 1–3 untuk tahun anggaran N "
                f"dikerjakan pada tahun N−1 agar masuk RKPD dan APBD; jadwal bulan bersifat indikatif.")
        spec = {"tahap": ("Tahap", "teks"), "kegiatan": ("Kegiatan", "teks"), "opd": ("Penanggung jawab", "teks"),
                "jadwal": ("Jadwal", "teks"), "keluaran": ("Keluaran", "teks")}
        return Bagian([teks(text), tabel(cyc, spec, lebar={"tahap": "17%", "kegiatan": "36%", "opd": "17%"})])

    def target_per_jenis(self) -> Bagian:
        """Target capaian penerima per jenis and year, one table per bidang."""
        r = self.h.rencana.rencana
        wide = per_jenis_lebar(r, "target_persen")
        years = [c for c in wide.columns if c.isdigit()]
        spec = {"nama_jenis": KOLOM["nama_jenis"], "opd": KOLOM["opd"], **{y: (y, "persen1") for y in years}}
        parts = [teks("Target capaian penerima (persen warga negara yang berhak dan terlayani) setiap tahun:")]
        for kb in bidang_order():
            part = wide[wide["kode_bidang"] == kb]
            if len(part):
                parts.append(tabel(part, spec, judul="Bidang " + r.loc[r["kode_bidang"] == kb, "bidang"].iloc[0]))
        st = self.h.rencana.status
        skip = st[st["keterangan"].str.startswith("tidak direncanakan")]
        if len(skip):
            names = self.h.capaian.set_index("kode_jenis")["nama_jenis"]
            parts.append(teks("Tidak direncanakan: " + "; ".join(
                f"{names.get(x.kode_jenis, x.kode_jenis)} "
                f"({x.keterangan.removeprefix('tidak direncanakan: ')})"
                for x in skip.itertuples()) + "."))
        return Bagian(parts)

    def anggaran_per_jenis(self) -> Bagian:
        """Budget per jenis and year (millions of rupiah) in one table, with the period total."""
        wide = per_jenis_lebar(self.h.rencana.rencana, "biaya")
        years = [c for c in wide.columns if c.isdigit()]
        spec = {"nama_jenis": KOLOM["nama_jenis"], **{y: (y, "juta") for y in years},
                "jumlah_anggaran": ("Jumlah", "juta")}
        text = (f"Anggaran adalah biaya melayani sasaran yang ditargetkan dengan paket mutu penuh (harga tahun "
                f"{self.h.tahun}), dalam juta rupiah; rinciannya ada di berkas rencana_aksi.csv.")
        return Bagian([teks(text), tabel(wide, spec, judul="Anggaran per jenis pelayanan dasar (juta Rp)")])

    def anggaran(self) -> Bagian:
        from spm_helpers.views import stage_charts

        a = self.h.rencana.anggaran
        text = (f"Jumlah anggaran pemenuhan pelayanan dasar tahun {self.periode}: "
                f"**{rupiah_kata(a['biaya'].sum(skipna=True))}**. Anggaran ini dimuat dalam RPJMD/Renstra "
                "dan setiap "
                f"tahun dalam RKPD, Renja, dan APBD dengan penandaan belanja SPM.")
        t = tabel(a, {"tahun_rencana": ("Tahun", "tahun"), "biaya": ("Anggaran", "rupiah")})
        return Bagian([teks(text), t, figure(stage_charts.anggaran_rencana(a, judul="Anggaran rencana aksi per tahun"))])

    def pemantauan(self) -> Bagian:
        items = [f"{TIM} memantau pelaksanaan rencana aksi setiap triwulan dan melaporkan capaian melalui aplikasi "
                 f"e-SPM Kementerian Dalam Negeri.",
                 "Perangkat daerah pengampu menyampaikan data sasaran, terlayani, dan ketersediaan mutu "
                 "setiap "
                 "triwulan kepada Tim Penerapan SPM.",
                 "Evaluasi tahunan membandingkan realisasi dengan target pada Bab IV; target tahun "
                 "berikutnya "
                 "disesuaikan bila realisasi tertinggal.",
                 f"Laporan penerapan dan pencapaian SPM disampaikan oleh {kepala_daerah(self.w)} sesuai "
                 "ketentuan."]
        return Bagian([daftar(items)])

    def penutup(self) -> Bagian:
        text = (f"Rencana aksi ini menjadi pedoman perangkat daerah {self.w.nama} dalam menerapkan SPM tahun "
                f"{self.periode}, agar setiap warga negara memperoleh pelayanan dasar dengan mutu minimal.")
        ttd = (f"<p style=\"text-align:right;margin-top:1.5rem\">{escape(kepala_daerah(self.w))}<br><br><br>"
               f"(nama dan tanda tangan)</p>")
        return Bagian([teks(text), kotak(ttd, "ttd"), label_contoh(self.h.data.data_label)])
