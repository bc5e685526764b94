"""The chapters of the regional SPM report (laporan penerapan dan pencapaian SPM), one method each.

The skeleton follows the report format of the Permendagri 100/2018 annex, kept by 59/2021 practice
(spm-reference.md §4.1): Kata pengantar; Bab I Pendahuluan (latar belakang, dasar hukum, kebijakan
umum, arah kebijakan); Bab II Penerapan dan Pencapaian SPM per bidang; plus Bab III Kendala and Bab IV
Penutup. Each method returns a ``Bagian`` that shows itself, so a notebook cell is one line such as
``laporan.bab_bidang("KES")``. Sentences are built from the numbers of ``report.HasilWilayah``.
"""
from __future__ import annotations

import textwrap
from html import escape

import pandas as pd

from spm_helpers import fmt
from spm_helpers.engine import needs
from spm_helpers.engine.achievement import BELUM_LENGKAP, DINILAI, TANPA_SASARAN
from spm_helpers.fmt import rupiah_kata
from spm_helpers.reference import catalog, regions
from spm_helpers.region.result import HasilWilayah
from spm_helpers.views import charts, stage_charts
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


class LaporanWilayah:
    """Sections of one region's report. ``kebijakan_umum``/``arah_kebijakan`` replace the default
    paragraphs with the region's own wording from its RPJMD and KUA."""

    def __init__(self, hasil: HasilWilayah, kebijakan_umum: str = "", arah_kebijakan: str = ""):
        self.h = hasil
        self.w = hasil.wilayah
        self.tahun = hasil.tahun
        self._kebijakan_umum = kebijakan_umum.strip()
        self._arah_kebijakan = arah_kebijakan.strip()

    # ------------------------------------------------------------------------- front matter
    def sampul(self) -> Bagian:
        w, label = self.w, self.h.data.data_label
        prov = "" if w.tingkat == "provinsi" else f"<br>Provinsi {escape(w.nama_provinsi)}"
        banner = (f"<p class=\"label-contoh\">{escape(label.upper())} — bukan data resmi pemerintah daerah</p>"
                  if label else "")
        markup = (f"<div class=\"sampul\"><p class=\"catatan\">PEMERINTAH {escape(w.nama.upper())}</p>"
                f"<h1>Laporan Penerapan dan Pencapaian Standar Pelayanan Minimal</h1>"
                f"<p style=\"font-size:1.5rem;margin:.5rem 0\"><b>{escape(w.nama)}</b>{prov}</p>"
                f"<p style=\"font-size:1.3rem\">Tahun {self.tahun}</p>{banner}"
                f"<p class=\"catatan\">Disusun menurut PP 2/2018 tentang Standar Pelayanan Minimal dan "
                f"Permendagri 59/2021 tentang Penerapan Standar Pelayanan Minimal.<br>"
                f"{escape(catalog.rule_set_note(self.h.data.aturan))}<br>"
                f"Sumber data: {escape(self.h.data.sumber)}.</p></div>")
        return Bagian([gaya_cetak(label), html(markup)])

    def kata_pengantar(self) -> Bagian:
        w = self.w
        text = (
            "Puji syukur kami panjatkan ke hadirat Tuhan Yang Maha Esa atas tersusunnya Laporan Penerapan "
            "dan "
            f"Pencapaian Standar Pelayanan Minimal (SPM) {w.nama} Tahun {self.tahun}.\n\n"
            f"Laporan ini disusun untuk melaksanakan Peraturan Pemerintah Nomor 2 Tahun 2018 tentang Standar "
            "Pelayanan Minimal dan Peraturan Menteri Dalam Negeri Nomor 59 Tahun 2021 tentang Penerapan "
            "Standar "
            f"Pelayanan Minimal. Isinya adalah capaian {len(self.h.capaian)} jenis pelayanan dasar pada enam "
            "bidang "
            "urusan pemerintahan wajib yang berkaitan dengan pelayanan dasar, biaya yang dibutuhkan untuk "
            "menutup "
            f"kekurangan, rencana pemenuhan untuk tahun-tahun berikutnya, serta kendala yang dihadapi.\n\n"
            "Terima kasih kami sampaikan kepada seluruh perangkat daerah pengampu SPM yang telah "
            "menyediakan data. "
            f"Semoga laporan ini menjadi dasar perbaikan pelayanan dasar bagi seluruh warga {w.nama}.")
        ttd = (f"<p style=\"text-align:right;margin-top:1.5rem\">{escape(w.nama)}, ........................ "
               f"{self.tahun + 1}<br>{escape(kepala_daerah(w))}<br><br><br>(nama dan tanda tangan)</p>")
        return Bagian([teks(text), kotak(ttd, "ttd"), label_contoh(self.h.data.data_label)])

    def ringkasan(self) -> Bagian:
        """Key numbers in one box: IP-SPM, category, strongest and weakest bidang, cost, flags."""
        h, row = self.h, self.h.indeks
        b = h.bidang.dropna(subset=["indeks"]).sort_values("indeks")
        lines = [f"Indeks Pencapaian SPM (IP-SPM) tahun {self.tahun}: <b class=\"nilai-indeks\">"
                 f"{fmt.angka(row['indeks'], 2)}</b> — kategori <b>{escape(str(row['kategori']))}</b>"
                 if pd.notna(row["indeks"]) else "IP-SPM belum dapat dihitung: tidak ada jenis yang dapat dinilai",
                 f"Jenis pelayanan dasar dinilai: {int(row['jumlah_jenis_dinilai'])} dari {len(h.capaian)}"]
        if len(b):
            lines.append(f"Bidang tertinggi: {escape(b.iloc[-1]['bidang'])} ({fmt.angka(b.iloc[-1]['indeks'], 2)}); "
                         f"terendah: {escape(b.iloc[0]['bidang'])} ({fmt.angka(b.iloc[0]['indeks'], 2)})")
        lines += [f"Biaya menutup seluruh kekurangan mutu tahun {self.tahun}: {rupiah_kata(h.biaya_total)}",
                  f"Biaya rencana pemenuhan tahun {self.tahun + 1}: "
                  f"{rupiah_kata(h.capaian['biaya_tahun_depan'].sum(skipna=True))}",
                  f"Masalah mutu data (galat dan peringatan): {len(h.masalah)}"]
        box = kotak("<ul>" + "".join(f"<li>{x}</li>" for x in lines) + "</ul>")
        return Bagian([box, label_contoh(h.data.data_label)])

    # ------------------------------------------------------------------------- Bab I
    def latar_belakang(self) -> Bagian:
        w = self.w
        level = "provinsi" if w.tingkat == "provinsi" else "kabupaten/kota"
        text = (f"{w.nama} (kode wilayah {w.kode_wilayah}) berpenduduk {fmt.angka(w.penduduk)} jiwa (Dukcapil, "
                f"Desember 2024). Sebagai pemerintah daerah {level}, {w.nama} menerapkan "
                f"{len(self.h.capaian)} jenis pelayanan dasar SPM tingkat {level}. Laporan ini menyajikan "
                "penerapan "
                f"dan pencapaian SPM tahun {self.tahun} serta rencana pemenuhan tahun {self.tahun + 1}–"
                f"{self.tahun + self.h.lama_rencana}.")
        return Bagian([teks(text)])

    def dasar_hukum(self) -> Bagian:
        j = catalog.jenis(self.w.tingkat)
        aturan = catalog.aturan().set_index("kode_aturan").loc[self.h.data.aturan, "nama"]
        teknis = []
        for bidang, grp in j.groupby("bidang", sort=False):
            std = "; ".join(dict.fromkeys(grp["standar_teknis"]))
            extra = f" — aturan mutu yang dipakai laporan ini: {aturan}" if grp["kode_bidang"].iloc[0] == "KES" else ""
            teknis.append(f"Standar teknis bidang {bidang}: {std}{extra}")
        return Bagian([daftar(list(DASAR_HUKUM_UMUM) + teknis)])

    def _paragraf_kebijakan(self, given: str, default: str, param: str) -> Bagian:
        if given:
            return Bagian([teks(given)])
        note = (f"<p class=\"catatan\">Paragraf baku. Bappeda dapat menggantinya dengan rumusan dari dokumen "
                f"perencanaan daerah melalui parameter <code>{param}</code>.</p>")
        return Bagian([teks(default), kotak(note, "catatan-kecil")])

    def kebijakan_umum(self) -> Bagian:
        w = self.w
        default = (f"Kebijakan umum penerapan SPM {w.nama} mengikuti Rencana Pembangunan Jangka Menengah Daerah "
                   "(RPJMD): pemenuhan pelayanan dasar sesuai SPM menjadi prioritas belanja daerah "
                   "sebagaimana "
                   "diamanatkan Undang-Undang Nomor 23 Tahun 2014, dengan sasaran seluruh warga negara yang "
                   "berhak "
                   f"memperoleh pelayanan dasar dengan mutu minimal (target 100%).")
        return self._paragraf_kebijakan(self._kebijakan_umum, default, "kebijakan_umum")

    def arah_kebijakan(self) -> Bagian:
        default = (f"Arah kebijakan tahun {self.tahun} mengikuti Kebijakan Umum Anggaran (KUA): mendahulukan jenis "
                   "pelayanan dasar dengan capaian terendah, menutup kekurangan barang, jasa, dan sumber "
                   "daya "
                   f"manusia yang dihitung pada tahap penghitungan kebutuhan, dan menandai belanja SPM pada "
                   f"program, kegiatan, dan subkegiatan perangkat daerah pengampu.")
        return self._paragraf_kebijakan(self._arah_kebijakan, default, "arah_kebijakan")

    def data_dan_metode(self) -> Bagian:
        w = catalog.bobot()
        d = self.h.data
        text = (f"**Sumber data:** {d.sumber}. Tahun data yang dibaca: {', '.join(map(str, d.years))}.\n\n"
                f"**Aturan yang dipakai:** {catalog.rule_set_note(d.aturan)}\n\n"
                "**Cara menghitung.** Capaian penerima = jumlah terlayani ÷ jumlah sasaran × 100% (paling "
                "tinggi "
                "100%). Capaian mutu = rata-rata capaian butir mutu (barang, jasa, SDM), tiap butir = "
                "tersedia ÷ "
                f"kebutuhan × 100% (paling tinggi 100%). Indeks jenis = {w['penerima']:.0%} × capaian "
                "penerima + "
                f"{w['mutu']:.0%} × capaian mutu. Indeks bidang = rata-rata indeks jenisnya; IP-SPM wilayah "
                "= "
                "rata-rata indeks bidang. Jenis tanpa sasaran atau dengan data belum lengkap tidak ikut "
                "dirata-rata. "
                "Biaya menutup kekurangan = kekurangan × harga satuan (SSH daerah bila ada, selain itu "
                "harga acuan "
                "katalog). Rencana pemenuhan menutup kesenjangan capaian penerima secara merata sampai 100% "
                "pada "
                f"tahun {self.tahun + self.h.lama_rencana}.")
        k = catalog.kategori_capaian().sort_values("urutan", ascending=False)
        k = k.assign(rentang=[f"{fmt.angka(r.batas_bawah)}" if r.batas_bawah == r.batas_atas
                              else f"{fmt.angka(r.batas_bawah)} – < {fmt.angka(r.batas_atas)}" for r in k.itertuples()])
        t = tabel(k, {"kategori": ("Kategori capaian", "teks"), "rentang": ("Rentang IP-SPM", "teks"),
                      "status": ("Status ambang", "teks")}, judul="Kategori capaian (tabel bawaan, perlu verifikasi)")
        return Bagian([teks(text), t, label_contoh(d.data_label)])

    # ------------------------------------------------------------------------- Bab II
    def capaian_per_bidang(self) -> Bagian:
        h, row = self.h, self.h.indeks
        parts = []
        if pd.notna(row["indeks"]):
            text = (f"IP-SPM {self.w.nama} tahun {self.tahun} adalah **{fmt.angka(row['indeks'], 2)}**, kategori "
                    f"**{row['kategori']}**, dihitung dari {int(row['jumlah_bidang_dinilai'])} bidang dan "
                    f"{int(row['jumlah_jenis_dinilai'])} jenis pelayanan dasar yang dapat dinilai.")
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

    def bab_bidang(self, kode_bidang: str) -> Bagian:
        c = self.h.capaian[self.h.capaian["kode_bidang"] == kode_bidang]
        if c.empty:
            return Bagian([teks("Tidak ada jenis pelayanan dasar bidang ini pada data.")])
        brow = self.h.bidang[self.h.bidang["kode_bidang"] == kode_bidang]
        parts = [teks(self._kalimat_bidang(c, brow.iloc[0] if len(brow) else None)),
                 tabel_capaian(c, judul=f"Capaian jenis pelayanan dasar, {self.tahun}"),
                 tabel_biaya_rencana(c, self.tahun, judul="Biaya menutup kekurangan dan rencana tahun depan")]
        return Bagian(parts)

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

    def rencana_pemenuhan(self) -> Bagian:
        h = self.h
        r = h.rencana.rencana
        a = h.rencana.anggaran
        text = (f"Rencana pemenuhan disusun dari kondisi tahun {self.tahun} untuk tahun {self.tahun + 1}–"
                f"{self.tahun + h.lama_rencana}: setiap jenis menutup kesenjangan capaian penerimanya secara "
                "merata "
                "sampai 100%. Biaya rencana adalah biaya melayani sasaran yang ditargetkan dengan paket "
                "mutu penuh "
                f"(harga tahun {self.tahun}), bukan hanya menutup kekurangan. Jumlah seluruh periode: "
                f"{rupiah_kata(a['biaya'].sum(skipna=True))}. Angka ini menjadi bahan penyusunan RPJMD, "
                "Renstra "
                "perangkat daerah, RKPD dan Renja; rinciannya ada pada buku kerja 03 dan Rencana Aksi "
                "Penerapan SPM.")
        gap = sort_bidang(needs.summarize_kebutuhan(h.kebutuhan, "bidang"))
        parts = [teks(text), tabel(gap, {"bidang": KOLOM["bidang"], "jumlah_butir_kurang": KOLOM["jumlah_butir_kurang"],
                                         "jumlah_butir_tanpa_data": KOLOM["jumlah_butir_tanpa_data"],
                                         "biaya": (f"Biaya menutup kekurangan {self.tahun}", "rupiah")},
                                   judul=f"Kebutuhan biaya menutup kekurangan mutu per bidang, {self.tahun}")]
        if len(r):
            parts.append(tabel_biaya_rencana_bidang(r, judul="Biaya rencana pemenuhan per bidang dan tahun"))
        return Bagian(parts)

    # ------------------------------------------------------------------------- Bab III and IV
    def kendala(self) -> Bagian:
        h = self.h
        parts = []
        m = h.masalah
        info = len(h.bendera) - len(m)
        if len(m):
            parts += [teks(f"**Mutu data.** Pemeriksaan data menemukan {len(m)} masalah (galat atau peringatan) pada "
                           f"data tahun {self.tahun}. Masalah ini perlu dibetulkan oleh perangkat daerah "
                           "pengampu "
                           f"sebelum laporan ditetapkan; angka pada laporan dihitung dari data apa adanya."),
                      tabel_bendera(m, judul="Masalah mutu data")]
        else:
            parts.append(teks(f"**Mutu data.** Pemeriksaan data tidak menemukan galat atau peringatan pada data tahun "
                              f"{self.tahun}."))
        if info:
            parts.append(teks(f"Selain itu ada {info} catatan informasi (misalnya jenis tanpa sasaran atau lonjakan "
                              f"wajar pada jenis kebencanaan); daftarnya ada di berkas bendera.csv."))
        c = h.capaian
        belum = c[c["status"] != DINILAI]
        if len(belum):
            parts.append(teks("**Jenis yang belum dapat dinilai.** " + "; ".join(
                f"{r.nama_jenis} ({r.status})" for r in belum.itertuples()) + "."))
        rendah = c[(c["status"] == DINILAI) & (c["indeks"] < 60)].sort_values("indeks")
        if len(rendah):
            parts += [teks(f"**Capaian rendah.** {len(rendah)} jenis pelayanan dasar masih berkategori Belum Tuntas "
                           f"(indeks di bawah 60):"),
                      tabel(rendah, {k: KOLOM[k] for k in ("nama_jenis", "opd_pengampu", "capaian_penerima",
                                                          "capaian_mutu", "indeks")})]
        if h.jumlah_butir_tanpa_biaya:
            parts.append(teks(f"**Biaya belum lengkap.** {h.jumlah_butir_tanpa_biaya} butir mutu belum memiliki data "
                              "ketersediaan atau harga, sehingga biaya menutup kekurangan di atas belum "
                              "mencakupnya."))
        return Bagian(parts)

    def penutup(self) -> Bagian:
        h, row, w = self.h, self.h.indeks, self.w
        kes = []
        if pd.notna(row["indeks"]):
            kes.append(f"IP-SPM {w.nama} tahun {self.tahun} adalah **{fmt.angka(row['indeks'], 2)}** dengan "
                       f"kategori **{row['kategori']}**.")
        full = h.capaian[h.capaian["capaian_penerima"] >= 100]
        kes.append(f"{len(full)} dari {len(h.capaian)} jenis pelayanan dasar telah melayani seluruh sasarannya.")
        kes.append(f"Biaya menutup seluruh kekurangan mutu tahun {self.tahun} sebesar {rupiah_kata(h.biaya_total)}.")
        prior = h.capaian[h.capaian["status"] == DINILAI].sort_values("indeks").head(3)
        saran = []
        if len(prior):
            saran.append(f"Mendahulukan jenis dengan indeks terendah: "
                         f"{nama_jenis_daftar(prior['nama_jenis'].str.lower().tolist())}.")
        if len(h.masalah):
            saran.append(f"Membetulkan {len(h.masalah)} masalah mutu data pada Bab III sebelum pelaporan triwulan "
                         f"berikutnya melalui aplikasi e-SPM.")
        saran += [f"Memuat rencana pemenuhan tahun {self.tahun + 1} ke dalam RKPD dan Renja perangkat daerah pengampu, "
                  f"dengan penandaan belanja SPM.",
                  f"Menetapkan Rencana Aksi Penerapan SPM dengan {perkada(w)} (wajib menurut Permendagri "
                  "59/2021).",
                  "Melaporkan capaian setiap triwulan melalui aplikasi e-SPM Kementerian Dalam Negeri."]
        ttd = (f"<p style=\"text-align:right;margin-top:1.5rem\">{escape(kepala_daerah(w))}<br><br><br>"
               f"(nama dan tanda tangan)</p>")
        return Bagian([teks("**Kesimpulan.** " + " ".join(kes)), teks("**Tindak lanjut yang disarankan:**"),
                       daftar(saran), kotak(ttd, "ttd"), label_contoh(h.data.data_label)])
