"""The chapters of the regional SPM report (laporan penerapan dan pencapaian SPM), one method each.

The skeleton follows the report format of the Permendagri 100/2018 annex, kept by 59/2021 practice
(spm-reference.md §4.1): Kata pengantar; Bab I Pendahuluan (latar belakang, dasar hukum, kebijakan
umum, arah kebijakan); Bab II Penerapan dan Pencapaian SPM per bidang; plus Bab III Permasalahan dan Solusi and Bab IV
Penutup. Each method returns a ``Bagian`` that shows itself, so a notebook cell is one line such as
``laporan.bab_bidang("KES")``. Sentences are built from the numbers of ``report.HasilWilayah``.

Bab II gives per jenis the target (the report year's target in the plan built from the year before), its
financing (alokasi per funding source) and the realisation, from the quarterly e-SPM tables
(``region.annual``: the latest quarter reported, quarter 4 being the year); Bab III is Permasalahan dan
Solusi from the ``permasalahan`` table, with the data-quality flags as a short sub-section.
"""
from __future__ import annotations

import textwrap
from functools import cached_property

import pandas as pd

from spm_helpers import fmt
from spm_helpers.documents.identity import KOSONG, PLACEHOLDER_TANGGAL, PLACEHOLDER_TEMPAT, Identitas
from spm_helpers.engine import needs
from spm_helpers.engine.achievement import BELUM_LENGKAP, DINILAI, TANPA_SASARAN
from spm_helpers.fmt import rupiah_kata
from spm_helpers.reference import catalog, regions
from spm_helpers.reference import quarter as q
from spm_helpers.reference.quarter import BELUM_DILAPORKAN
from spm_helpers.region import annual
from spm_helpers.region.result import HasilWilayah, kalimat_keterisian
from spm_helpers.views import charts, prose, stage_charts
from spm_helpers.views.blocks import (
    Bagian,
    Judul,
    Kop,
    Kotak,
    Paragraf,
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
from spm_helpers.views.tables import (
    KOLOM,
    sort_bidang,
    tabel_bendera,
    tabel_biaya_rencana,
    tabel_biaya_rencana_bidang,
    tabel_bidang,
    tabel_capaian,
)

DASAR_HUKUM_UMUM = (
    "Undang-Undang Nomor 23 Tahun 2014 tentang Pemerintahan Daerah beserta perubahannya",
    "Peraturan Pemerintah Nomor 12 Tahun 2017 tentang Pembinaan dan Pengawasan Penyelenggaraan Pemerintahan "
    "Daerah",
    "Peraturan Pemerintah Nomor 2 Tahun 2018 tentang Standar Pelayanan Minimal",
    "Peraturan Menteri Dalam Negeri Nomor 86 Tahun 2017 tentang tata cara perencanaan, pengendalian dan "
    "evaluasi pembangunan daerah",
    "Peraturan Menteri Dalam Negeri Nomor 90 Tahun 2019 tentang Klasifikasi, Kodefikasi, dan Nomenklatur "
    "Perencanaan Pembangunan dan Keuangan Daerah",
    "Peraturan Menteri Dalam Negeri Nomor 59 Tahun 2021 tentang Penerapan Standar Pelayanan Minimal",
)


# ----------------------------------------------------------------------------- wording
STATUS_KATA = {TANPA_SASARAN: "tidak ada sasaran tahun ini", BELUM_LENGKAP: "data belum lengkap",
               DINILAI: "dinilai"}


def kepala_daerah(w: regions.Region) -> str:
    """'Wali Kota Bekasi', 'Bupati Bengkulu Selatan', 'Gubernur Kepulauan Bangka Belitung'."""
    if w.tipe == "provinsi":
        return f"Gubernur {w.nama_provinsi}"
    for prefix, title in (("Kabupaten Administrasi ", "Bupati"), ("Kabupaten ", "Bupati"),
                          ("Kota Administrasi ", "Wali Kota"), ("Kota ", "Wali Kota")):
        if w.nama.startswith(prefix):
            return f"{title} {w.nama[len(prefix):]}"
    return f"Kepala Daerah {w.nama}"


def perkada(w: regions.Region) -> str:
    """The regional head's regulation: Peraturan Gubernur / Bupati / Wali Kota."""
    return "Peraturan " + kepala_daerah(w).split(" ")[0] + (" Kota" if w.tipe == "kota" else "")


def nama_jenis_daftar(names: list[str]) -> str:
    """'a', 'a dan b', 'a, b, dan c'."""
    names = [str(n) for n in names]
    if len(names) <= 2:
        return " dan ".join(names)
    return ", ".join(names[:-1]) + ", dan " + names[-1]


def _bidang_pendek(df: pd.DataFrame) -> pd.DataFrame:
    """Bidang names wrapped for chart axes (the trantibumlinmas name is long)."""
    return df.assign(bidang=[textwrap.fill(str(b), 26) for b in df["bidang"]])


def kop_surat(w: regions.Region, identitas: Identitas) -> Kop:
    """The kop surat of the region's office (placeholders for what the identity file does not give)."""
    return Kop(f"PEMERINTAH {w.nama.upper()}", identitas.kantor().upper(), identitas.alamat(), identitas.lambang)


def jabatan_kepala(w: regions.Region, identitas: Identitas) -> str:
    return identitas.jabatan_kepala_daerah or kepala_daerah(w)


def tempat_tanggal(w: regions.Region, identitas: Identitas, tahun: int) -> str:
    """'Bekasi, [tanggal] 2026': the date is left for the office to fill in when it signs. A kota signs in
    its own name; a kabupaten or province in its capital, which the identity file names ('tempat')."""
    return f"{identitas.tempat or tempat_bawaan(w)}, {PLACEHOLDER_TANGGAL} {tahun}"


def tempat_bawaan(w: regions.Region) -> str:
    """Where the region signs when the identity file names no place: a kota's own name, else a placeholder."""
    return (w.nama.removeprefix("Kota Administrasi ").removeprefix("Kota ") if w.tipe == "kota"
            else PLACEHOLDER_TEMPAT)


BIDANG = (("PDD", "Pendidikan"), ("KES", "Kesehatan"), ("PU", "Pekerjaan Umum"), ("PRM", "Perumahan Rakyat"),
          ("TRB", "Ketenteraman, Ketertiban Umum, dan Pelindungan Masyarakat"), ("SOS", "Sosial"))

# The report's outline: headings and the section methods between them, in reading order. The notebook is
# generated from it (notebooks/_build) and the Word and PDF writers walk it, so every output has the same
# chapters. A step is Judul(text, level) or (method name, *arguments).
OUTLINE: list = [
    ("sampul",),
    Judul("Kata Pengantar"), ("kata_pengantar",),
    Judul("Ringkasan"), ("ringkasan",),
    Judul("Bab I Pendahuluan"), Judul("1.1 Latar Belakang", 2), ("latar_belakang",),
    Judul("1.2 Dasar Hukum", 2), ("dasar_hukum",),
    Judul("1.3 Kebijakan Umum", 2), ("kebijakan_umum",),
    Judul("1.4 Arah Kebijakan", 2), ("arah_kebijakan",),
    Judul("1.5 Data dan Metode", 2), ("data_dan_metode",),
    Judul("Bab II Penerapan dan Pencapaian SPM"), ("pengantar_bab2",),
    Judul("2.1 Capaian per Bidang", 2), ("capaian_per_bidang",),
    *[x for i, (kode, nama) in enumerate(BIDANG, start=2)
      for x in (Judul(f"2.{i} Bidang {nama}", 2), ("bab_bidang", kode))],
    Judul(f"2.{len(BIDANG) + 2} Pendanaan dan Realisasi Anggaran SPM", 2), ("anggaran_spm",),
    Judul(f"2.{len(BIDANG) + 3} Rencana Pemenuhan dan Kebutuhan Biaya", 2), ("rencana_pemenuhan",),
    Judul("Bab III Permasalahan dan Solusi"),
    Judul("3.1 Permasalahan dan Solusi per Jenis Pelayanan Dasar", 2), ("permasalahan_solusi",),
    Judul("3.2 Mutu dan Kelengkapan Data", 2), ("mutu_data",),
    Judul("Bab IV Penutup"), ("penutup",),
    Judul("Lampiran: Rincian Mutu Data"), ("lampiran_mutu_data",),
]


class LaporanWilayah:
    """Sections of one region's report. ``identitas`` (see ``identity.load``) gives the kop surat, the
    signatories and the region's own kebijakan umum (RPJMD) and arah kebijakan (KUA) wording;
    ``kebijakan_umum``/``arah_kebijakan`` given directly win over the file."""

    outline = OUTLINE

    def __init__(self, hasil: HasilWilayah, kebijakan_umum: str = "", arah_kebijakan: str = "",
                 identitas: Identitas | None = None):
        self.h = hasil
        self.w = hasil.wilayah
        self.tahun = hasil.tahun
        self.identitas = (identitas or KOSONG).with_narrative(kebijakan_umum, arah_kebijakan)

    @property
    def judul(self) -> str:
        return f"Laporan Penerapan dan Pencapaian SPM {self.w.nama} {self.tahun}"

    @cached_property
    def tahunan(self) -> annual.TahunTriwulan:
        """The year's budgets and problems from the quarterly e-SPM tables of the data folder."""
        return annual.tahun_triwulan(self.h.data)

    @cached_property
    def target(self) -> tuple[pd.DataFrame, int | None]:
        """The report year's target per jenis (plan built from the year before) and that base year."""
        return annual.target_tahun(self.h)

    @cached_property
    def target_pendanaan(self) -> pd.DataFrame:
        """Per jenis of the report: target, capaian penerima, funding sources, alokasi, realisasi and rate;
        ``sumber_dana`` says 'belum dilaporkan' (and the last quarter that had rows) for a jenis without any."""
        c = self.h.capaian[["kode_bidang", "kode_jenis", "nama_jenis", "capaian_penerima"]]
        t, _ = self.target
        a = self.tahunan.anggaran_jenis.set_index("kode_jenis")
        out = c.merge(t[["kode_jenis", "target_persen", "status"]].rename(columns={"status": "status_target"}),
                      on="kode_jenis", how="left")
        for col in ("alokasi", "realisasi", "persen_realisasi", "triwulan_terakhir"):
            out[col] = out["kode_jenis"].map(a[col].to_dict())
        for col in ("alokasi", "realisasi", "triwulan_terakhir"):
            out[col] = out[col].astype("Int64")
        out["persen_realisasi"] = out["persen_realisasi"].astype("float64")
        sumber = out["kode_jenis"].map(a["sumber"].to_dict())
        now = self.tahunan.triwulan
        out["dilaporkan"] = [isinstance(s, str) and bool(s) for s in sumber]
        out["sumber_dana"] = [
            s if ok else BELUM_DILAPORKAN if pd.isna(last) or now is None or int(last) >= now
            else f"{BELUM_DILAPORKAN} (terakhir {q.nama_triwulan(int(last))})"
            for s, ok, last in zip(sumber, out["dilaporkan"], out["triwulan_terakhir"])]
        return out

    def _kolom_anggaran(self) -> dict[str, tuple[str, str]]:
        t = self.tahunan.triwulan
        real = (f"Realisasi {self.tahun} (juta Rp)" if t in (None, 4)
                else f"Realisasi s.d. {q.nama_triwulan(t)} (juta Rp)")
        return {"alokasi": (f"Alokasi {self.tahun} (juta Rp)", "juta"), "realisasi": (real, "juta"),
                "persen_realisasi": ("Realisasi anggaran", "persen")}

    # ------------------------------------------------------------------------- front matter
    @section
    def sampul(self) -> Bagian:
        w, label = self.w, self.h.data.data_label
        cover = Sampul(kop_surat(w, self.identitas), "Laporan Penerapan dan Pencapaian Standar Pelayanan Minimal",
                       w.nama, f"Tahun {self.tahun}",
                       sub="" if w.tingkat == "provinsi" else f"Provinsi {w.nama_provinsi}",
                       label=f"{label.upper()} — bukan data resmi pemerintah daerah" if label else "",
                       catatan=("Disusun menurut PP 2/2018 tentang Standar Pelayanan Minimal dan Permendagri 59/2021 "
                                "tentang Penerapan Standar Pelayanan Minimal.",
                                catalog.rule_set_note(self.h.data.aturan), f"Sumber data: {self.h.data.sumber}."))
        return Bagian([gaya_cetak(label, self.identitas.kertas), cover])

    @section
    def kata_pengantar(self) -> Bagian:
        w, idt = self.w, self.identitas
        text = prose.markdown("laporan/kata_pengantar.md.j2", nama=w.nama, tahun=self.tahun,
                              jumlah_jenis=len(self.h.capaian))
        ttd = TandaTangan(jabatan_kepala(w, idt), idt.kepala(), tempat_tanggal(w, idt, self.tahun + 1))
        return Bagian([teks(text), ttd, label_contoh(self.h.data.data_label)])

    @section
    def ringkasan(self) -> Bagian:
        """Key numbers in one box: IP-SPM, category, strongest and weakest bidang, cost, flags."""
        h, row = self.h, self.h.indeks
        b = h.bidang.dropna(subset=["indeks"]).sort_values("indeks")
        lines = [f"Indeks Pencapaian SPM (IP-SPM) tahun {self.tahun}: **{fmt.angka(row['indeks'], 2)}** — "
                 f"kategori **{prose.md_escape(row['kategori'])}**"
                 if pd.notna(row["indeks"]) else "IP-SPM belum dapat dihitung: tidak ada jenis yang dapat dinilai",
                 prose.md_escape(kalimat_keterisian(row))]
        if len(b):
            lines.append(f"Bidang tertinggi: {prose.md_escape(b.iloc[-1]['bidang'])} "
                         f"({fmt.angka(b.iloc[-1]['indeks'], 2)}); terendah: {prose.md_escape(b.iloc[0]['bidang'])} "
                         f"({fmt.angka(b.iloc[0]['indeks'], 2)})")
        lines += [f"Biaya menutup seluruh kekurangan mutu tahun {self.tahun}: {rupiah_kata(h.biaya_total)}",
                  f"Biaya rencana pemenuhan tahun {self.tahun + 1}: "
                  f"{rupiah_kata(h.capaian['biaya_tahun_depan'].sum(skipna=True))}",
                  self._baris_anggaran(),
                  f"Masalah mutu data (galat dan peringatan): {len(h.masalah)}"]
        box = Kotak("\n".join(f"- {x}" for x in lines))
        return Bagian([box, label_contoh(h.data.data_label)])

    def _baris_anggaran(self) -> str:
        """The summary box's budget line: alokasi and realisasi of the latest quarter, or 'belum dilaporkan'."""
        tt = self.tahunan
        r = tt.anggaran_rinci
        if tt.triwulan is None:
            return f"Anggaran SPM tahun {self.tahun}: belum dilaporkan pada isian triwulanan e-SPM"
        if r["alokasi"].isna().any() or r["realisasi"].isna().any():
            return f"Anggaran SPM tahun {self.tahun} ({tt.posisi}): isian belum lengkap"
        al, real = int(r["alokasi"].sum()), int(r["realisasi"].sum())
        return (f"Alokasi anggaran SPM tahun {self.tahun}: {rupiah_kata(al)}; realisasi {tt.posisi} "
                f"{rupiah_kata(real)}" + (f" ({fmt.persen(100.0 * real / al)})" if al > 0 else ""))

    # ------------------------------------------------------------------------- Bab I
    @section
    def latar_belakang(self) -> Bagian:
        w = self.w
        level = "provinsi" if w.tingkat == "provinsi" else "kabupaten/kota"
        return Bagian([teks(prose.markdown("laporan/latar_belakang.md.j2", nama=w.nama, kode=w.kode_wilayah,
                                           penduduk=w.penduduk, level=level, jumlah_jenis=len(catalog.jenis(w.tingkat)),
                                           tahun=self.tahun, tahun_akhir=self.tahun + self.h.lama_rencana))])

    @section
    def dasar_hukum(self) -> Bagian:
        j = catalog.jenis(self.w.tingkat)
        aturan = catalog.aturan().set_index("kode_aturan").loc[self.h.data.aturan, "nama"]
        teknis = []
        for bidang, grp in j.groupby("bidang", sort=False):
            std = "; ".join(dict.fromkeys(grp["standar_teknis"]))
            extra = f" — aturan mutu yang dipakai laporan ini: {aturan}" if grp["kode_bidang"].iloc[0] == "KES" else ""
            teknis.append(f"Standar teknis bidang {bidang}: {std}{extra}")
        return Bagian([daftar(list(DASAR_HUKUM_UMUM) + teknis)])

    @section
    def kebijakan_umum(self) -> Bagian:
        """The RPJMD wording from the identity file, else the standard paragraph (never a drafting note)."""
        if self.identitas.kebijakan_umum:
            return Bagian([Paragraf(self.identitas.kebijakan_umum)])
        return Bagian([teks(prose.markdown("laporan/kebijakan_umum.md.j2", nama=self.w.nama))])

    @section
    def arah_kebijakan(self) -> Bagian:
        if self.identitas.arah_kebijakan:
            return Bagian([Paragraf(self.identitas.arah_kebijakan)])
        return Bagian([teks(prose.markdown("laporan/arah_kebijakan.md.j2", tahun=self.tahun))])

    @section
    def data_dan_metode(self) -> Bagian:
        w = catalog.bobot()
        d = self.h.data
        text = prose.markdown("laporan/data_dan_metode.md.j2", sumber=d.sumber, tahun_data=", ".join(map(str, d.years)),
                              aturan=catalog.rule_set_note(d.aturan),
                              jumlah_wajib=len(catalog.jenis(self.w.tingkat)), bobot_penerima=f"{w['penerima']:.0%}",
                              bobot_mutu=f"{w['mutu']:.0%}", tahun_akhir=self.tahun + self.h.lama_rencana)
        k = catalog.kategori_capaian().sort_values("urutan", ascending=False)
        k = k.assign(rentang=[f"{fmt.angka(r.batas_bawah)}" if r.batas_bawah == r.batas_atas
                              else f"{fmt.angka(r.batas_bawah)} – < {fmt.angka(r.batas_atas)}" for r in k.itertuples()])
        catatan = ("Ambang kategori adalah tabel bawaan SPM Workbench yang belum diverifikasi terhadap pedoman "
                   "resmi Kementerian Dalam Negeri; kategori pada laporan ini dapat berubah bila ambang resmi "
                   "berbeda." if (k["status"] != "terverifikasi").any() else None)
        t = tabel(k, {"kategori": ("Kategori capaian", "teks"), "rentang": ("Rentang IP-SPM", "teks")},
                  judul=f"Kategori capaian (skema {catalog.SKEMA_KATEGORI})", catatan=catatan)
        return Bagian([teks(text), t, label_contoh(d.data_label)])

    # ------------------------------------------------------------------------- Bab II
    @section
    def pengantar_bab2(self) -> Bagian:
        _, dasar = self.target
        used = self.h.rencana.rencana.get("metode", pd.Series(dtype=object)).dropna()
        cara = "lebih cepat pada tahun-tahun awal" if len(used) and used.iloc[0] == "didepankan" else "merata"
        tt = self.tahunan
        return Bagian([teks(prose.markdown("laporan/pengantar_bab2.md.j2", tahun=self.tahun, tahun_dasar=dasar,
                                           tahun_akhir=(dasar or 0) + self.h.lama_rencana, cara=cara,
                                           triwulan=tt.triwulan, posisi=tt.posisi))])

    @section
    def capaian_per_bidang(self) -> Bagian:
        h, row = self.h, self.h.indeks
        parts = []
        if pd.notna(row["indeks"]):
            text = (f"IP-SPM {self.w.nama} tahun {self.tahun} adalah **{fmt.angka(row['indeks'], 2)}**, kategori "
                    f"**{row['kategori']}**, dihitung dari {int(row['jumlah_bidang_dinilai'])} bidang dan "
                    f"{int(row['jumlah_jenis_dinilai'])} jenis pelayanan dasar yang dapat dinilai. "
                    + kalimat_keterisian(row))
            lalu = h.ip.wilayah[h.ip.wilayah["tahun"] == self.tahun - 1]
            if len(lalu) and pd.notna(lalu["indeks"].iloc[0]):
                delta = row["indeks"] - lalu["indeks"].iloc[0]
                arah = "naik" if delta > 0 else "turun" if delta < 0 else "tetap"
                text += (f" Dibanding tahun {self.tahun - 1} ({fmt.angka(lalu['indeks'].iloc[0], 2)}), indeks "
                         f"{arah} {fmt.angka(abs(delta), 2)} poin.")
        else:
            text = "IP-SPM belum dapat dihitung karena belum ada jenis pelayanan dasar yang dapat dinilai."
        parts += [teks(text), tabel_bidang(h.bidang, judul=f"Indeks Pencapaian SPM per bidang, {self.tahun}")]
        if h.bidang["indeks"].notna().any():
            parts.append(figure(charts.capaian_per_bidang(_bidang_pendek(h.bidang),
                                                          judul=f"IP-SPM per bidang, {self.w.nama} {self.tahun}")))
        tren = h.tren
        if tren["tahun"].nunique() >= 2:
            parts.append(figure(stage_charts.tren_wilayah_bidang(tren, judul=f"Perkembangan IP-SPM {self.w.nama}")))
        return Bagian(parts)

    @section
    def bab_bidang(self, kode_bidang: str) -> Bagian:
        c = self.h.capaian[self.h.capaian["kode_bidang"] == kode_bidang]
        if c.empty:
            return Bagian([teks("Tidak ada jenis pelayanan dasar bidang ini pada data.")])
        brow = self.h.bidang[self.h.bidang["kode_bidang"] == kode_bidang]
        parts = [teks(self._kalimat_bidang(c, brow.iloc[0] if len(brow) else None)),
                 tabel_capaian(c, judul=f"Capaian jenis pelayanan dasar, {self.tahun}")]
        parts += self._target_pendanaan_bidang(kode_bidang)
        parts.append(tabel_biaya_rencana(c, self.tahun, judul="Biaya menutup kekurangan dan rencana tahun depan"))
        return Bagian(parts)

    def _target_pendanaan_bidang(self, kode_bidang: str) -> list:
        """Bab II per bidang (Permendagri 100/2018 Lampiran): per jenis the target, capaian, financing by
        source, realisation and its rate; then the amounts per funding source."""
        tp = self.target_pendanaan[self.target_pendanaan["kode_bidang"] == kode_bidang]
        tt = self.tahunan
        rinci = tt.anggaran_rinci[tt.anggaran_rinci["kode_bidang"] == kode_bidang]
        spec = {"nama_jenis": KOLOM["nama_jenis"], "target_persen": (f"Target {self.tahun}", "persen"),
                "capaian_penerima": (f"Capaian {self.tahun}", "persen"), "sumber_dana": ("Sumber dana", "teks"),
                **self._kolom_anggaran()}
        out = [teks(self._kalimat_pendanaan(tp, rinci)),
               tabel(tp, spec, judul=f"Target, pendanaan, dan realisasi per jenis, {self.tahun}",
                     catatan=self._catatan_pendanaan(), lebar={"nama_jenis": "26%", "sumber_dana": "18%"})]
        if len(rinci):
            rs = {"nama_jenis": KOLOM["nama_jenis"], "sumber_dana": ("Sumber dana", "teks"), **self._kolom_anggaran()}
            out.append(tabel(rinci, rs, judul=f"Pendanaan per sumber dana, {tt.posisi}",
                             catatan="Alokasi tahunan dan realisasi kumulatif sejak Januari, dalam juta rupiah."))
        return out

    def _catatan_pendanaan(self) -> str:
        _, dasar = self.target
        tt = self.tahunan
        target = (f"Target: rencana pemenuhan yang disusun dari data tahun {dasar}." if dasar
                  else f"Target {self.tahun} belum tersedia (tidak ada data tahun {self.tahun - 1}).")
        uang = (f"Anggaran: isian triwulanan e-SPM, {tt.posisi}, dalam juta rupiah." if tt.triwulan
                else "Anggaran: belum ada isian triwulanan e-SPM tahun ini.")
        return f"{target} {uang} Tanda – pada kolom anggaran: belum dilaporkan."

    def _kalimat_pendanaan(self, tp: pd.DataFrame, rinci: pd.DataFrame) -> str:
        """Targets reached, and the bidang's budget in words (tables in juta rupiah, text in words)."""
        out = []
        t = tp[tp["status_target"].isin(["tercapai", "tidak tercapai"])]
        if len(t):
            out.append(f"Sebanyak {int((t['status_target'] == 'tercapai').sum())} dari {len(t)} jenis yang memiliki "
                       f"target dan capaian mencapai target tahun {self.tahun}.")
        if rinci.empty:
            out.append(f"Anggaran SPM bidang ini tahun {self.tahun} belum dilaporkan pada isian triwulanan e-SPM.")
            return " ".join(out)
        al, real = rinci["alokasi"], rinci["realisasi"]
        sumber = nama_jenis_daftar(list(dict.fromkeys(rinci["sumber_dana"])))
        tt = self.tahunan
        if al.isna().any() or real.isna().any():
            out.append(f"Isian anggaran bidang ini ({tt.posisi}) belum lengkap: sebagian alokasi atau realisasi "
                       "kosong, sehingga jumlahnya tidak dihitung.")
        else:
            rate = 100.0 * float(real.sum()) / float(al.sum()) if al.sum() > 0 else None
            kapan = "" if tt.triwulan == 4 else f"{tt.posisi} "
            out.append(f"Alokasi anggaran SPM bidang ini tahun {self.tahun} sebesar {rupiah_kata(al.sum())} dari "
                       f"{sumber}; realisasinya {kapan}{rupiah_kata(real.sum())}"
                       + (f" ({fmt.persen(rate)})." if rate is not None else "."))
        belum = tp[~tp["dilaporkan"]]
        if len(belum):
            out.append(f"Anggaran {nama_jenis_daftar(belum['nama_jenis'].str.lower().tolist())} belum dilaporkan.")
        return " ".join(out)

    def _kalimat_bidang(self, c: pd.DataFrame, brow) -> str:
        nama_bidang = c["bidang"].iloc[0]
        dinilai = c[c["status"] == DINILAI]
        out = [f"Bidang {nama_bidang} mencakup {len(c)} jenis pelayanan dasar; {len(dinilai)} di antaranya dapat "
               f"dinilai pada tahun {self.tahun}."]
        if brow is not None and pd.notna(brow["indeks"]):
            out.append(f"Indeks bidang ini **{fmt.angka(brow['indeks'], 2)}** ({brow['kategori']}).")
        else:
            out.append("Indeks bidang ini belum dapat dihitung.")
        if len(dinilai) >= 2:
            s = dinilai.sort_values("capaian_penerima")
            out.append(f"Capaian penerima tertinggi pada {s.iloc[-1]['nama_jenis'].lower()} "
                       f"({fmt.persen(s.iloc[-1]['capaian_penerima'])}) dan terendah pada "
                       f"{s.iloc[0]['nama_jenis'].lower()} ({fmt.persen(s.iloc[0]['capaian_penerima'])}).")
        elif len(dinilai) == 1:
            out.append(f"Capaian penerima {dinilai.iloc[0]['nama_jenis'].lower()}: "
                       f"{fmt.persen(dinilai.iloc[0]['capaian_penerima'])}.")
        for status, why in ((TANPA_SASARAN, "tidak memiliki sasaran pada tahun ini"),
                            (BELUM_LENGKAP, "belum dinilai karena datanya belum lengkap")):
            names = c.loc[c["status"] == status, "nama_jenis"].str.lower().tolist()
            if names:
                out.append(f"Jenis {nama_jenis_daftar(names)} {why}.")
        biaya = c["biaya_kekurangan"].sum(skipna=True)
        if biaya > 0:
            top = c.sort_values("biaya_kekurangan", ascending=False).iloc[0]
            out.append(f"Menutup seluruh kekurangan mutu tahun {self.tahun} memerlukan {rupiah_kata(biaya)}, terbesar "
                       f"untuk {top['nama_jenis'].lower()} ({rupiah_kata(top['biaya_kekurangan'])}).")
        else:
            out.append(f"Tidak ada kekurangan mutu yang perlu dibiayai pada tahun {self.tahun}.")
        plan = c["biaya_tahun_depan"].sum(skipna=True)
        if c["target_tahun_depan"].notna().any():
            out.append(f"Rencana pemenuhan tahun {self.tahun + 1} membutuhkan {rupiah_kata(plan)} agar seluruh jenis "
                       f"mencapai 100% pada tahun {self.tahun + self.h.lama_rencana}.")
        return " ".join(out)

    @section
    def anggaran_spm(self) -> Bagian:
        """The region's SPM budget of the year: totals in words, absorption per bidang as a chart and a table,
        and the totals per funding source."""
        tt = self.tahunan
        if tt.triwulan is None:
            return Bagian([teks(f"Belum ada isian penganggaran SPM (alokasi dan realisasi per sumber dana) pada "
                                f"laporan triwulanan e-SPM tahun {self.tahun}; seluruh jenis ditulis \"belum "
                                "dilaporkan\". Isian ini adalah salah satu blok laporan triwulanan e-SPM dan "
                                "perlu diisi perangkat daerah pengampu bersama Bappeda.")])
        r, wajib = tt.anggaran_rinci, len(tt.anggaran_jenis)
        n = int(tt.anggaran_jenis["sumber"].fillna("").astype(bool).sum())
        text = [f"Menurut isian penganggaran SPM laporan triwulanan e-SPM ({tt.posisi}), {n} dari {wajib} jenis "
                "pelayanan dasar telah melaporkan anggarannya."]
        if r["alokasi"].isna().any() or r["realisasi"].isna().any():
            text.append("Sebagian baris alokasi atau realisasi masih kosong; jumlah yang memuatnya tidak dihitung.")
        else:
            al, real = int(r["alokasi"].sum()), int(r["realisasi"].sum())
            kapan = f"tahun {self.tahun}" if tt.triwulan == 4 else tt.posisi
            text.append(f"Alokasi seluruhnya {rupiah_kata(al)}; realisasi {kapan} {rupiah_kata(real)}"
                        + (f" ({fmt.persen(100.0 * real / al)})." if al > 0 else "."))
        if n < wajib:
            text.append(f"Anggaran {wajib - n} jenis lainnya belum dilaporkan (bukan Rp 0).")
        b = tt.anggaran_bidang
        chart = figure(stage_charts.penyerapan_anggaran_bidang(
            _bidang_pendek(b), judul=f"Penyerapan anggaran SPM per bidang, {self.w.nama} {self.tahun}"))
        kol = self._kolom_anggaran()
        tb = tabel(b.assign(sumber=b["sumber"].where(b["sumber"].fillna("").astype(bool), BELUM_DILAPORKAN)),
                   {"bidang": KOLOM["bidang"], "sumber": ("Sumber dana", "teks"), **kol},
                   judul=f"Alokasi dan realisasi anggaran SPM per bidang, {tt.posisi}",
                   catatan="Dalam juta rupiah.")
        ts = tabel(tt.anggaran_sumber, {"sumber_dana": ("Sumber dana", "teks"), **kol},
                   judul=f"Alokasi dan realisasi anggaran SPM per sumber dana, {tt.posisi}",
                   catatan="Dalam juta rupiah.")
        return Bagian([teks(" ".join(text)), chart, tb, ts, label_contoh(self.h.data.data_label)])

    @section
    def rencana_pemenuhan(self) -> Bagian:
        h = self.h
        r = h.rencana.rencana
        a = h.rencana.anggaran
        text = prose.markdown("laporan/rencana_pemenuhan.md.j2", tahun=self.tahun,
                              tahun_akhir=self.tahun + h.lama_rencana, jumlah=rupiah_kata(a["biaya"].sum(skipna=True)))
        gap = sort_bidang(needs.summarize_kebutuhan(h.kebutuhan, "bidang"))
        parts = [teks(text), tabel(gap, {"bidang": KOLOM["bidang"], "jumlah_butir_kurang": KOLOM["jumlah_butir_kurang"],
                                         "jumlah_butir_tanpa_data": KOLOM["jumlah_butir_tanpa_data"],
                                         "biaya": (f"Biaya menutup kekurangan {self.tahun} (juta Rp)", "juta")},
                                   judul=f"Kebutuhan biaya menutup kekurangan mutu per bidang, {self.tahun}")]
        if len(r):
            parts.append(tabel_biaya_rencana_bidang(r, judul="Biaya rencana pemenuhan per bidang dan tahun"))
        return Bagian(parts)

    # ------------------------------------------------------------------------- Bab III and IV
    @section
    def permasalahan_solusi(self) -> Bagian:
        """The year's implementation problems per jenis with their solusi and latest status, from the
        ``permasalahan`` table of the quarterly e-SPM report; low achievement beside them."""
        tt, h = self.tahunan, self.h
        parts = []
        p = tt.permasalahan
        names = h.capaian.set_index("kode_jenis")["nama_jenis"].to_dict()
        if tt.jumlah_baris_masalah == 0:
            parts.append(teks(
                f"Belum ada isian permasalahan dan solusi untuk tahun {self.tahun}. Permasalahan penerapan SPM "
                "beserta solusinya adalah salah satu blok laporan triwulanan e-SPM (Permendagri 59/2021 Pasal 24) "
                "dan perlu diisi setiap perangkat daerah pengampu: tuliskan permasalahan dan solusinya per jenis "
                "pelayanan dasar, atau nyatakan \"tidak ada permasalahan\"."))
        else:
            if len(p):
                done = int((p["status"] == "selesai").sum())
                parts.append(teks(
                    f"Sepanjang tahun {self.tahun} perangkat daerah melaporkan {len(p)} permasalahan pada "
                    f"{p['kode_jenis'].nunique()} jenis pelayanan dasar melalui isian triwulanan e-SPM; setiap "
                    "permasalahan dicantumkan sekali dengan status pada triwulan terakhir ia dilaporkan. "
                    f"Sebanyak {done} telah selesai dan {len(p) - done} masih perlu ditindaklanjuti."))
                shown = p.assign(solusi=p["solusi"].fillna("belum ditulis"),
                                 status_terakhir=[f"{s} ({q.nama_triwulan(int(t))})"
                                                  for s, t in zip(p["status"], p["triwulan_terakhir"])])
                parts.append(tabel(shown, {"nama_jenis": KOLOM["nama_jenis"],
                                           "permasalahan": ("Permasalahan", "teks"), "solusi": ("Solusi", "teks"),
                                           "status_terakhir": ("Status terakhir", "teks")},
                                   judul=f"Permasalahan dan solusi penerapan SPM, {self.tahun}",
                                   lebar={"nama_jenis": "22%", "permasalahan": "30%", "solusi": "30%"}))
            else:
                parts.append(teks(f"Isian permasalahan tahun {self.tahun} tidak memuat permasalahan: setiap jenis "
                                  "yang mengisinya menyatakan tidak ada permasalahan."))
            if tt.jenis_tanpa_masalah:
                parts.append(teks("**Menyatakan tidak ada permasalahan:** " + prose.md_escape(nama_jenis_daftar(
                    [names.get(k, k) for k in tt.jenis_tanpa_masalah])) + "."))
            if tt.jenis_belum_diisi:
                parts.append(teks(f"**Belum mengisi blok permasalahan** ({len(tt.jenis_belum_diisi)} jenis): "
                                  + prose.md_escape(nama_jenis_daftar([names.get(k, k) for k in tt.jenis_belum_diisi]))
                                  + "."))
        c = h.capaian
        batas = catalog.kategori_belum_tuntas()
        rendah = c[(c["status"] == DINILAI) & (c["indeks"] < batas)].sort_values("indeks")
        if len(rendah):
            nama = catalog.kategori_capaian().iloc[0]["kategori"]
            tanpa = rendah[~rendah["kode_jenis"].isin(set(p["kode_jenis"]))]
            extra = (f" Dari jumlah itu, {len(tanpa)} jenis belum mencantumkan permasalahannya pada isian e-SPM."
                     if len(tanpa) else "")
            parts += [teks(f"**Capaian rendah.** Sebanyak {len(rendah)} jenis pelayanan dasar masih berkategori {nama} "
                           f"(indeks di bawah {fmt.angka(batas)}).{extra}"),
                      tabel(rendah, {k: KOLOM[k] for k in ("nama_jenis", "opd_pengampu", "capaian_penerima",
                                                          "capaian_mutu", "indeks")})]
        parts.append(label_contoh(h.data.data_label))
        return Bagian(parts)

    @section
    def mutu_data(self) -> Bagian:
        """Data-quality flags in short (counts per kind; every flag is in the annex), jenis not assessed and
        items without a cost."""
        h = self.h
        m = h.masalah
        info = len(h.bendera) - len(m)
        if len(h.bendera):
            n = h.bendera["tingkat"].value_counts()
            if len(m):
                found = (f"menemukan {len(m)} masalah ({int(n.get('galat', 0))} galat dan "
                         f"{int(n.get('peringatan', 0))} peringatan) dan {info} catatan informasi. Masalah perlu "
                         "dibetulkan oleh perangkat daerah pengampu sebelum laporan ditetapkan; angka pada laporan "
                         "dihitung dari data apa adanya.")
            else:
                found = (f"tidak menemukan galat atau peringatan; ada {info} catatan informasi (misalnya jenis tanpa "
                         "sasaran atau lonjakan wajar pada jenis kebencanaan).")
            parts = [teks(f"Pemeriksaan data tahun {self.tahun} {found} Rincian setiap catatan ada pada Lampiran.")]
        else:
            parts = [teks(f"Pemeriksaan data tidak menemukan galat, peringatan, atau catatan pada data tahun "
                          f"{self.tahun}.")]
        c = h.capaian
        belum = c[c["status"] != DINILAI]
        if len(belum):
            parts.append(teks("**Jenis yang belum dapat dinilai.** " + "; ".join(
                f"{prose.md_escape(r.nama_jenis)} ({STATUS_KATA.get(r.status, r.status)})" for r in belum.itertuples())
                + "."))
        if h.jumlah_butir_tanpa_biaya:
            parts.append(teks(f"**Biaya belum lengkap.** Sebanyak {h.jumlah_butir_tanpa_biaya} butir mutu belum memiliki "
                              "data ketersediaan atau harga, sehingga biaya menutup kekurangan pada Bab II belum "
                              "mencakupnya."))
        return Bagian(parts)

    @section
    def penutup(self) -> Bagian:
        h, row, w = self.h, self.h.indeks, self.w
        kes = []
        if pd.notna(row["indeks"]):
            kes.append(f"IP-SPM {w.nama} tahun {self.tahun} adalah **{fmt.angka(row['indeks'], 2)}** dengan "
                       f"kategori **{row['kategori']}**.")
        full = h.capaian[h.capaian["capaian_penerima"] >= 100]
        kes.append(f"Sebanyak {len(full)} dari {int(row['jumlah_jenis_wajib'])} jenis pelayanan dasar telah melayani seluruh "
                   "sasarannya.")
        kes.append(f"Biaya menutup seluruh kekurangan mutu tahun {self.tahun} sebesar {rupiah_kata(h.biaya_total)}.")
        prior = h.capaian[h.capaian["status"] == DINILAI].sort_values("indeks").head(3)
        saran = []
        if len(prior):
            saran.append(f"Mendahulukan jenis dengan indeks terendah: "
                         f"{nama_jenis_daftar(prior['nama_jenis'].str.lower().tolist())}.")
        tt = self.tahunan
        terbuka = int((tt.permasalahan["status"] != "selesai").sum())
        if terbuka:
            saran.append(f"Menindaklanjuti {terbuka} permasalahan penerapan SPM yang belum selesai (Bab III) sesuai "
                         "solusi yang telah dirumuskan.")
        if tt.jumlah_baris_masalah == 0 or tt.triwulan is None or tt.triwulan < 4:
            kurang = [x for x, ok in (("penganggaran SPM", tt.triwulan == 4),
                                      ("permasalahan dan solusi", tt.jumlah_baris_masalah > 0)) if not ok]
            saran.append(f"Melengkapi isian {nama_jenis_daftar(kurang)} pada laporan triwulanan e-SPM tahun "
                         f"{self.tahun}.")
        if len(h.masalah):
            saran.append(f"Membetulkan {len(h.masalah)} masalah mutu data (Bab III dan Lampiran) sebelum pelaporan "
                         f"triwulan berikutnya melalui aplikasi e-SPM.")
        saran += [f"Memuat rencana pemenuhan tahun {self.tahun + 1} ke dalam RKPD dan Renja perangkat daerah pengampu, "
                  f"dengan penandaan belanja SPM.",
                  f"Menetapkan Rencana Aksi Penerapan SPM dengan {perkada(w)} (wajib menurut Permendagri "
                  "59/2021).",
                  "Melaporkan capaian setiap triwulan melalui aplikasi e-SPM Kementerian Dalam Negeri."]
        idt = self.identitas
        ttd = TandaTangan(idt.jabatan_sekda, idt.sekda(), tempat_tanggal(w, idt, self.tahun + 1),
                          atas_nama=f"a.n. {jabatan_kepala(w, idt)}", nip=idt.nip())
        return Bagian([teks("**Kesimpulan.** " + " ".join(kes)), teks("**Tindak lanjut yang disarankan:**"),
                       daftar(saran), ttd, label_contoh(h.data.data_label)])

    # ------------------------------------------------------------------------- annex
    @section
    def lampiran_mutu_data(self) -> Bagian:
        """Every data-quality flag (errors, warnings and information) as a table: a printed report has no
        bendera.csv next to it."""
        b = self.h.bendera
        if b.empty:
            return Bagian([teks(f"Pemeriksaan data tahun {self.tahun} tidak menghasilkan catatan apa pun.")])
        order = {"galat": 0, "peringatan": 1, "info": 2}
        b = b.sort_values("tingkat", key=lambda s: s.map(order), kind="stable")
        return Bagian([teks(f"Seluruh catatan pemeriksaan mutu data tahun {self.tahun}, diurutkan dari yang "
                            "paling berat (galat, peringatan, informasi)."),
                       tabel_bendera(b, judul="Catatan pemeriksaan mutu data", maks_baris=None)])
