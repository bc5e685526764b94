"""Draft Rencana Aksi Penerapan SPM: what each OPD does, when, for which jenis, with which budget.

Permendagri 59/2021 makes a Rencana Aksi compulsory, set by the regional head's regulation (perkada); in
2023 only 26 of 546 regions (4,76%) had drafted and submitted one (spm-reference.md §3). The draft is
built from the fulfilment plan (stage 3): each plan year repeats the annual cycle of the four stages —
data collection, needs, planning (RKPD/Renja, KUA-PPAS/APBD) in the year before, delivery in the year
itself, quarterly e-SPM reporting and an annual evaluation — and stage 4 lists every jenis with its
target, people to serve and budget from the plan.

- ``build_rencana_aksi(hasil)`` → the long table (one row per activity, year and jenis), also written as CSV.
- ``DokumenRencanaAksi(hasil)`` → the document's sections, one method each (like ``LaporanWilayah``). Where it
  shows budgets, the base year's allocation from the quarterly ``anggaran`` table (``region.annual``, the same
  figures as the annual report's Bab II) stands beside the plan's additional cost, labelled as such.
The schedule months are an indicative planning calendar (Permendagri 86/2017 cycle), to be adjusted.
"""
from __future__ import annotations

from functools import cached_property
from pathlib import Path

import pandas as pd

from spm_helpers.documents.identity import KOSONG, Identitas
from spm_helpers.documents.regional_report import (
    DASAR_HUKUM_UMUM,
    jabatan_kepala,
    kepala_daerah,
    kop_surat,
    perkada,
    tempat_tanggal,
)
from spm_helpers.files import write_json
from spm_helpers.fmt import rupiah_kata
from spm_helpers.inputs import datastore
from spm_helpers.reference import catalog
from spm_helpers.reference.catalog import bidang_order
from spm_helpers.reference.quarter import BELUM_DILAPORKAN
from spm_helpers.region import annual
from spm_helpers.region.result import HasilWilayah, kalimat_keterisian
from spm_helpers.views import prose
from spm_helpers.views.blocks import (
    Bagian,
    Judul,
    Sampul,
    TandaTangan,
    daftar,
    figure,
    gaya_cetak,
    label_contoh,
    section,
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
            "jadwal", "target_persen", "sasaran_dilayani", "anggaran", "belum_didanai", "keluaran"]


def build_rencana_aksi(hasil: HasilWilayah) -> pd.DataFrame:
    """One row per activity and plan year; stage-4 rows per jenis carry the plan's target, people and budget
    (anggaran = the plan's funded additional cost, belum_didanai = what a pagu leaves unfunded; integer rupiah).
    Other stages are funded from each OPD's routine budget (NA)."""
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
                 keluaran="Warga negara terlayani sesuai target", anggaran=r["biaya"],
                 belum_didanai=r["kekurangan_anggaran"])
    out = pd.concat([siklus, p], ignore_index=True)
    out["anggaran"] = out["anggaran"].astype("Int64")
    out["belum_didanai"] = out["belum_didanai"].astype("Int64")
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
               "anggaran_total": int(a["biaya"].sum(skipna=True)),
               "belum_didanai_total": int(a["kekurangan_anggaran"].sum(skipna=True)), "perkada": perkada(w),
               "keterisian": float(hasil.indeks["keterisian"]),
               "skema_kategori": catalog.SKEMA_KATEGORI,
               "aturan": hasil.data.aturan, "data_label": hasil.data.data_label}
    return {"rencana_aksi": datastore.write_table(ra, out / "rencana_aksi.csv"),
            "ringkasan": write_json(out / "rencana_aksi.json", summary)}


OUTLINE: list = [
    ("sampul",),
    Judul("Bab I Pendahuluan"), ("pendahuluan",),
    Judul("Bab II Kondisi Awal"), ("kondisi_awal",),
    Judul("Bab III Rencana Aksi per Tahapan Penerapan SPM"), ("rencana_per_tahap",),
    Judul("Bab IV Target dan Anggaran per Jenis Pelayanan Dasar"), Judul("4.1 Target per jenis", 2),
    ("target_per_jenis",), Judul("4.2 Anggaran per jenis", 2), ("anggaran_per_jenis",),
    Judul("4.3 Anggaran per tahun", 2), ("anggaran",),
    Judul("Bab V Pemantauan, Evaluasi, dan Pelaporan"), ("pemantauan",),
    Judul("Bab VI Penutup"), ("penutup",),
]


class DokumenRencanaAksi:
    """Sections of the draft Rencana Aksi document for one region (``identitas``: see ``identity.load``)."""

    outline = OUTLINE

    def __init__(self, hasil: HasilWilayah, identitas: Identitas | None = None):
        self.h = hasil
        self.w = hasil.wilayah
        self.identitas = identitas or KOSONG
        self.ra = build_rencana_aksi(hasil)
        a = hasil.rencana.anggaran
        self.awal, self.akhir = int(a["tahun_rencana"].min()), int(a["tahun_rencana"].max())

    @property
    def judul(self) -> str:
        return f"Rancangan Rencana Aksi Penerapan SPM {self.w.nama} {self.periode}"

    @property
    def periode(self) -> str:
        return f"{self.awal}–{self.akhir}"

    @cached_property
    def tahunan(self) -> annual.TahunTriwulan:
        """The base year's budgets from the quarterly e-SPM tables (as in the annual report's Bab II)."""
        return annual.tahun_triwulan(self.h.data)

    def _label_alokasi(self) -> str:
        tt = self.tahunan
        return f"Alokasi berjalan {self.h.tahun}" + (f" (laporan {tt.posisi})" if tt.triwulan not in (None, 4) else "")

    @section
    def sampul(self) -> Bagian:
        w, label = self.w, self.h.data.data_label
        cover = Sampul(kop_surat(w, self.identitas), "Rencana Aksi Penerapan Standar Pelayanan Minimal", w.nama,
                       f"Tahun {self.periode}", atas=(f"RANCANGAN LAMPIRAN {perkada(w).upper()}", "NOMOR ..... TAHUN ....."),
                       label=f"{label.upper()} — bukan data resmi pemerintah daerah" if label else "",
                       catatan=(f"Rancangan disusun dari data tahun {self.h.tahun} dan rencana pemenuhan pelayanan "
                                "dasar (Permendagri 59/2021).", catalog.rule_set_note(self.h.data.aturan)))
        return Bagian([gaya_cetak(label, self.identitas.kertas), cover])

    @section
    def pendahuluan(self) -> Bagian:
        w = self.w
        text = prose.markdown("rencana_aksi/pendahuluan.md.j2", nama=w.nama, periode=self.periode,
                              perkada=perkada(w), jumlah_jenis=self.ra["kode_jenis"].nunique(), tahun=self.h.tahun)
        return Bagian([teks(text), teks("**Dasar hukum:**"), daftar(DASAR_HUKUM_UMUM),
                       label_contoh(self.h.data.data_label)])

    @section
    def kondisi_awal(self) -> Bagian:
        h, row = self.h, self.h.indeks
        text = prose.markdown("rencana_aksi/kondisi_awal.md.j2", nama=self.w.nama, tahun=h.tahun,
                              indeks=row["indeks"] if pd.notna(row["indeks"]) else None, kategori=row["kategori"])
        text += " " + kalimat_keterisian(row)
        c = h.capaian[h.capaian["indeks"].notna()].sort_values("indeks").head(5)
        prior = tabel(c, {k: KOLOM[k] for k in ("nama_jenis", "opd_pengampu", "capaian_penerima", "indeks",
                                                "kategori")}, judul="Lima jenis dengan indeks terendah (prioritas)")
        return Bagian([teks(text), tabel_bidang(h.bidang, judul=f"Kondisi awal per bidang, {h.tahun}"), prior])

    @section
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
        text = prose.markdown("rencana_aksi/siklus.md.j2", periode=self.periode)
        spec = {"tahap": ("Tahap", "teks"), "kegiatan": ("Kegiatan", "teks"), "opd": ("Penanggung jawab", "teks"),
                "jadwal": ("Jadwal", "teks"), "keluaran": ("Keluaran", "teks")}
        return Bagian([teks(text), tabel(cyc, spec, lebar={"tahap": "17%", "kegiatan": "36%", "opd": "17%"})])

    @section
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
            parts.append(teks(prose.markdown("rencana_aksi/tidak_direncanakan.md.j2", jenis=[
                (names.get(x.kode_jenis, x.kode_jenis), x.keterangan.removeprefix("tidak direncanakan: "))
                for x in skip.itertuples()])))
        return Bagian(parts)

    @section
    def anggaran_per_jenis(self) -> Bagian:
        """Budget per jenis and year (millions of rupiah) in one table, with the period total."""
        wide = per_jenis_lebar(self.h.rencana.rencana, "biaya")
        years = [c for c in wide.columns if c.isdigit()]
        tt, t0 = self.tahunan, self.h.tahun
        alok = tt.anggaran_jenis.set_index("kode_jenis")["alokasi"]
        wide["alokasi_berjalan"] = wide["kode_jenis"].map(alok.to_dict()).astype("Int64")
        spec = {"nama_jenis": KOLOM["nama_jenis"], "alokasi_berjalan": (self._label_alokasi(), "juta"),
                **{y: (y, "juta") for y in years},
                "jumlah_anggaran": (f"Jumlah tambahan {self.periode}", "juta")}
        text = (f"Anggaran rencana adalah biaya tambahan di atas penyediaan tahun {t0} (orang yang sudah "
                "terlayani dan stok butir mutu yang sudah ada tetap dibiayai anggaran berjalan), dalam juta "
                f"rupiah. Kolom \"{self._label_alokasi()}\" adalah anggaran SPM yang sudah dialokasikan tahun {t0} "
                "menurut isian penganggaran laporan triwulanan e-SPM (semua sumber dana; angka yang sama dengan "
                "Bab II laporan penerapan SPM); ia ditampilkan sebagai pembanding dan tidak termasuk dalam "
                "jumlah tambahan.")
        if tt.triwulan is None:
            text += f" Isian anggaran tahun {t0} belum ada, sehingga kolom itu ditulis \"{BELUM_DILAPORKAN}\"."
        judul = (f"{self._label_alokasi()} dan anggaran tambahan rencana {self.periode} per jenis pelayanan dasar "
                 "(juta Rp)")
        return Bagian([teks(text), tabel(wide, spec, judul=judul,
                                         kosong={"alokasi_berjalan": BELUM_DILAPORKAN})])

    @section
    def anggaran(self) -> Bagian:
        from spm_helpers.views import stage_charts

        a = self.h.rencana.anggaran
        text = prose.markdown("rencana_aksi/anggaran.md.j2", periode=self.periode,
                              jumlah=rupiah_kata(a["biaya"].sum(skipna=True)))
        r = self.tahunan.anggaran_rinci
        if self.tahunan.triwulan is None:
            text += (f" Anggaran SPM yang berjalan tahun {self.h.tahun} belum dilaporkan pada isian triwulanan "
                     "e-SPM.")
        elif r["alokasi"].notna().all():
            text += (f" Sebagai pembanding, alokasi anggaran SPM yang berjalan tahun {self.h.tahun} menurut isian "
                     f"triwulanan e-SPM ({self.tahunan.posisi}) adalah {rupiah_kata(int(r['alokasi'].sum()))}; "
                     "anggaran rencana di atas adalah tambahannya.")
        t = tabel(a, {"tahun_rencana": ("Tahun", "tahun"), "biaya": ("Anggaran (juta Rp)", "juta"),
                      "kekurangan_anggaran": ("Belum didanai (juta Rp)", "juta")})
        return Bagian([teks(text), t, figure(stage_charts.anggaran_rencana(a, judul="Anggaran rencana aksi per tahun"))])

    @section
    def pemantauan(self) -> Bagian:
        return Bagian([teks(prose.markdown("rencana_aksi/pemantauan.md.j2", tim=TIM,
                                           kepala_daerah=kepala_daerah(self.w)))])

    @section
    def penutup(self) -> Bagian:
        text = prose.markdown("rencana_aksi/penutup.md.j2", nama=self.w.nama, periode=self.periode)
        idt = self.identitas
        ttd = TandaTangan(jabatan_kepala(self.w, idt), idt.kepala(), tempat_tanggal(self.w, idt, self.awal - 1))
        return Bagian([teks(text), ttd, label_contoh(self.h.data.data_label)])
