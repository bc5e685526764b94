"""Build the stage notebooks, the regional report and the Rencana Aksi (committed without outputs).

Run ``python notebooks/_build/build_notebooks.py`` after editing a cell here; never edit the .ipynb by hand.
``--periksa`` only checks that the committed notebooks equal this script's output (exit 1 otherwise).
One function per notebook returns its cells as (kind, source, tags); every code cell carries
``remove-input`` so reports show text, tables and figures only, and the first code cell is the papermill
``parameters`` cell with demo defaults. Cell ids are fixed (``<notebook>-<n>``) so rebuilding is
byte-for-byte reproducible. Notebook 05 is built by ``05_kepatuhan.py`` beside this file.
"""
from __future__ import annotations

import sys
from pathlib import Path
from textwrap import dedent

import nbformat
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

from spm_helpers.datastore import atomic_path

NOTEBOOKS_DIR = Path(__file__).resolve().parents[1]
MD, CODE = "markdown", "code"
HIDE = "remove-input"
PARAMETERS = "parameters"

PARAM_UMUM = '''
kode_wilayah = "32.75"  # kode wilayah Kemendagri: provinsi "32", kabupaten/kota "32.75"
tahun = 2025  # tahun data (tahun laporan)
data_dir = None  # None: data contoh bawaan; atau folder berisi sasaran.csv, ketersediaan.csv, harga_satuan.csv
output_dir = "hasil"  # folder hasil (CSV dan ringkasan JSON); dibuat bila belum ada
aturan = "permenkes_6_2024"  # aturan mutu kesehatan: "permenkes_6_2024" atau "permenkes_4_2019"
'''

BIDANG = (("PDD", "Pendidikan"), ("KES", "Kesehatan"), ("PU", "Pekerjaan Umum"), ("PRM", "Perumahan Rakyat"),
          ("TRB", "Ketenteraman, Ketertiban Umum, dan Pelindungan Masyarakat"), ("SOS", "Sosial"))


def md(text: str, *tags: str) -> tuple[str, str, list[str]]:
    return MD, dedent(text).strip(), list(tags)


def code(text: str, *tags: str) -> tuple[str, str, list[str]]:
    return CODE, dedent(text).strip(), list(tags) or [HIDE]


def params(extra: str = "") -> tuple[str, str, list[str]]:
    return CODE, (dedent(PARAM_UMUM).strip() + "\n" + dedent(extra).strip()).strip(), [PARAMETERS]


def notebook(stem: str, title: str, cells: list[tuple[str, str, list[str]]]) -> nbformat.NotebookNode:
    out = []
    for i, (kind, source, tags) in enumerate(cells):
        meta = {"tags": tags} if tags else {}
        make = new_markdown_cell if kind == MD else new_code_cell
        cell = make(source, metadata=meta)
        cell["id"] = f"{stem}-{i:02d}"
        out.append(cell)
    nb = new_notebook(cells=out)
    nb.metadata = {"kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"},
                   "language_info": {"name": "python"}, "title": title}
    return nb


# ----------------------------------------------------------------------------- 01
def pengumpulan_data() -> nbformat.NotebookNode:
    return notebook("pengumpulan", "Pengumpulan Data SPM", [
        md("""
        # 01 · Pengumpulan Data SPM

        Tahap pertama penerapan Standar Pelayanan Minimal (Permendagri 59/2021) adalah **pengumpulan data**.
        Untuk setiap jenis pelayanan dasar, perangkat daerah (OPD) pengampu mengumpulkan:

        - **jumlah sasaran**: warga negara yang berhak menerima pelayanan dasar itu (misalnya ibu hamil, anak
          usia 7–15 tahun);
        - **jumlah terlayani**: warga negara yang sudah menerima pelayanan;
        - **ketersediaan mutu**: jumlah barang, jasa, dan sumber daya manusia yang tersedia untuk setiap butir mutu;
        - **harga satuan daerah** (SSH), bila daerah memiliki harga sendiri; bila tidak, dipakai harga acuan katalog.

        Buku kerja ini membaca data (formulir Excel OPD atau folder data), memeriksa mutunya, menyediakan formulir
        isian untuk membetulkan data, lalu menyimpan data yang siap dipakai tahap berikutnya.

        **Cara memakai:** ubah parameter pada sel berikut bila perlu, lalu pilih *Run → Run All Cells*. Tanpa
        perubahan, buku kerja memakai *data contoh (sintetis)* Kota Bekasi.
        """),
        params('''
        formulir_dir = None  # folder formulir Excel OPD yang sudah diisi (*.xlsx); None: pakai data_dir
        '''),
        code("""
        from spm_helpers import report, stages, views
        from spm_helpers.widgets_collect import FormIsian

        data, hasil_impor = stages.collect_region_data(kode_wilayah, tahun, data_dir, formulir_dir, aturan=aturan)
        stages.keterangan_data(data)
        """),
        code("stages.ringkasan_impor(hasil_impor)"),
        md("""
        ## 1. Jenis pelayanan dasar yang wajib dilaporkan

        Pemerintah provinsi menerapkan 14 jenis pelayanan dasar dan pemerintah kabupaten/kota 29 jenis, pada
        enam bidang. Tabel berikut menunjukkan siapa yang berhak (penerima) dan OPD mana yang mengampu setiap jenis.
        """),
        code("views.tabel_jenis_wilayah(kode_wilayah)"),
        md("""
        ## 2. Kelengkapan data tahun ini

        Tabel kelengkapan menghitung, per bidang, berapa jenis sudah dilaporkan, berapa yang jumlah sasaran dan
        terlayaninya terisi, dan berapa butir mutu yang ketersediaannya dilaporkan dibanding daftar butir di
        katalog. Sel kosong pada data berarti *tidak ada data*, bukan nol.
        """),
        code("views.tabel_kelengkapan(data)"),
        md("Jumlah sasaran dan terlayani per jenis pelayanan dasar:"),
        code("stages.tabel_sasaran(data)"),
        md("""
        ## 3. Pemeriksaan mutu data

        Pemeriksaan tidak mengubah data; ia hanya memberi **bendera** pada hal yang perlu dicek oleh OPD:

        - **galat**: data pasti salah, misalnya jumlah terlayani lebih besar dari jumlah sasaran;
        - **peringatan**: data mungkin salah atau belum lengkap, misalnya lonjakan tidak wajar dibanding tahun
          lalu atau butir mutu yang tidak dilaporkan;
        - **info**: catatan, misalnya jenis tanpa sasaran pada tahun ini.
        """),
        code("""
        bendera = report.check_data(data)
        views.tabel_ringkasan_bendera(bendera)
        """),
        code("views.tabel_bendera(bendera, judul='Daftar bendera mutu data', maks_baris=60)"),
        md("""
        ## 4. Formulir isian: menambah atau membetulkan data

        Pilih jenis pelayanan, isi atau ubah angka, lalu tekan **Simpan**. Kosongkan kotak bila data tidak ada;
        isi 0 hanya bila memang nol. Angka boleh ditulis dengan titik ribuan (1.234). Bila ada isian yang salah,
        formulir menunjukkan semua kesalahan beserta letaknya.

        Formulir hanya tampil bila buku kerja dibuka di JupyterLab; pada laporan HTML/PDF bagian ini kosong.
        """),
        code("""
        formulir = FormIsian(kode_wilayah, tahun, sasaran=data.sasaran, ketersediaan=data.ketersediaan, aturan=aturan)
        formulir
        """),
        md("""
        Setelah menekan **Simpan**, jalankan sel berikut: data hasil isian menggantikan data lama dan pemeriksaan
        mutu diulang.
        """),
        code("""
        data = data.with_tables(formulir.tables())
        bendera = report.check_data(data)
        views.tabel_ringkasan_bendera(bendera)
        """),
        md("""
        ## 5. Menyimpan hasil

        Data disimpan ke folder `data_terkumpul` di dalam folder hasil (dapat dipakai sebagai `data_dir` buku kerja
        02–04 dan laporan), daftar bendera ke `bendera_data.csv`, dan ringkasannya ke `pengumpulan.json`.
        """),
        code("stages.save_collection(data, bendera, output_dir)"),
    ])


# ----------------------------------------------------------------------------- 02
def penghitungan_kebutuhan() -> nbformat.NotebookNode:
    return notebook("kebutuhan", "Penghitungan Kebutuhan Pemenuhan Pelayanan Dasar", [
        md("""
        # 02 · Penghitungan Kebutuhan Pemenuhan Pelayanan Dasar

        Tahap kedua menghitung, untuk setiap butir mutu (barang, jasa, sumber daya manusia) dari setiap jenis
        pelayanan dasar:

        - **kebutuhan** = jumlah sasaran × jumlah per orang (dibulatkan ke atas);
        - **kekurangan** = kebutuhan − tersedia (tidak pernah negatif; kelebihan dicatat terpisah);
        - **biaya** = kekurangan × harga satuan (SSH daerah bila ada, selain itu harga acuan katalog).

        Hasilnya dijumlahkan per jenis, per bidang, dan per OPD pengampu. Butir yang ketersediaannya tidak
        dilaporkan tidak dihitung biayanya: nilainya *tidak diketahui*, bukan nol.

        **Cara memakai:** ubah parameter pada sel berikut bila perlu, lalu jalankan semua sel.
        """),
        params('''
        jumlah_jenis_rinci = 3  # jumlah jenis dengan biaya terbesar yang dirinci per butir mutu
        '''),
        code("""
        from spm_helpers import report, stages

        data = report.load_region_data(kode_wilayah, tahun, data_dir, aturan=aturan)
        kebutuhan = stages.kebutuhan_wilayah(data)
        stages.keterangan_data(data)
        """),
        code("stages.ringkasan_kebutuhan(kebutuhan, data)"),
        md("""
        ## 1. Contoh perhitungan satu butir

        Agar rumus dapat diperiksa dengan tangan, berikut perhitungan butir yang biayanya terbesar.
        """),
        code("stages.contoh_perhitungan(kebutuhan)"),
        md("## 2. Biaya per bidang"),
        code('stages.summarize_biaya(kebutuhan, "bidang")'),
        md("## 3. Biaya per perangkat daerah pengampu"),
        code('stages.summarize_biaya(kebutuhan, "opd")'),
        md("## 4. Biaya per jenis pelayanan dasar (grafik: sepuluh terbesar)"),
        code('stages.summarize_biaya(kebutuhan, "jenis")'),
        md("""
        ## 5. Rincian butir mutu untuk jenis dengan biaya terbesar

        Tabel per butir menunjukkan dari mana biaya berasal: kebutuhan, yang tersedia, kekurangan, harga satuan dan
        sumber harganya.
        """),
        code("stages.rincian_butir(kebutuhan, jumlah_jenis_rinci)"),
        md("""
        ## 6. Menyimpan hasil

        Tabel butir (`kebutuhan.csv`), rekap per jenis, bidang, dan OPD, serta ringkasan `kebutuhan.json`.
        """),
        code("stages.save_needs(kebutuhan, data, output_dir)"),
    ])


# ----------------------------------------------------------------------------- 03
def rencana_pemenuhan() -> nbformat.NotebookNode:
    return notebook("rencana", "Penyusunan Rencana Pemenuhan Pelayanan Dasar", [
        md("""
        # 03 · Penyusunan Rencana Pemenuhan Pelayanan Dasar

        Tahap ketiga menyusun **rencana pemenuhan**: target capaian penerima setiap tahun selama periode
        perencanaan (periode RPJMD, lima tahun), jumlah warga yang harus dilayani, dan biayanya. Rencana ini
        dimuat ke RPJMD dan Renstra perangkat daerah, lalu setiap tahun ke RKPD, Renja, KUA-PPAS, dan APBD.

        Tiga cara menyusun target:

        - **merata**: kesenjangan capaian tahun dasar ditutup sama besar setiap tahun sampai 100%;
        - **didepankan**: kesenjangan ditutup lebih cepat di tahun-tahun awal;
        - **pagu**: anggaran per tahun dibatasi; jenis dengan capaian terendah didahulukan, lalu yang paling murah
          per orang. Dengan pagu yang kecil, sebagian jenis belum mencapai 100% pada akhir periode.

        Biaya rencana adalah biaya melayani sasaran yang ditargetkan dengan paket mutu lengkap per orang.
        """),
        params('''
        lama = 5  # lama periode rencana (tahun)
        metode = "merata"  # "merata", "didepankan", atau "pagu"
        pagu = None  # pagu per tahun dalam rupiah, wajib bila metode "pagu"
        pertumbuhan_sasaran = 0.0  # pertumbuhan sasaran per tahun, mis. 0.01 untuk 1%
        kenaikan_harga = 0.0  # kenaikan harga per tahun, mis. 0.03 untuk 3%
        tahun_rkpd = None  # tahun RKPD/Renja yang ditampilkan; None: tahun pertama rencana
        '''),
        code("""
        from spm_helpers import charts, charts_laporan, report, stages, views
        from spm_helpers.report_blocks import figure
        from spm_helpers.widgets_rencana import PenjelajahPagu

        data = report.load_region_data(kode_wilayah, tahun, data_dir, aturan=aturan)
        rencana = stages.rencana_wilayah(data, lama=lama, metode=metode, pagu=pagu,
                                         pertumbuhan_sasaran=pertumbuhan_sasaran, kenaikan_harga=kenaikan_harga)
        tahun_rkpd = tahun + 1 if tahun_rkpd is None else tahun_rkpd
        stages.keterangan_data(data)
        """),
        md("""
        ## 1. Kapan setiap jenis mencapai 100%

        Capaian awal adalah capaian penerima tahun data; target akhir adalah target tahun terakhir rencana.
        """),
        code("stages.tabel_status(rencana)"),
        md("## 2. Lintasan target per bidang (rata-rata jenis dalam bidang)"),
        code("""
        figure(charts.lintasan_rencana(views.target_rencana_per_bidang(rencana.rencana), label="nama",
                                       judul="Lintasan target rata-rata per bidang"))
        """),
        md("## 3. Biaya rencana per tahun dan per bidang"),
        code("figure(charts_laporan.anggaran_rencana(rencana.anggaran))"),
        code("views.tabel_biaya_rencana_bidang(rencana.rencana)"),
        md("""
        ## 4. Bagaimana jika anggaran dibatasi? (simulasi pagu)

        Geser penggeser untuk mengubah pagu per tahun (dalam miliar rupiah). Grafik dan tabel disusun ulang dengan
        metode **pagu**: anggaran lebih dulu mempertahankan warga yang sudah terlayani, sisanya untuk menambah
        layanan mulai dari jenis dengan capaian terendah. Penggeser hanya tampil di JupyterLab; tabel skenario di
        bawahnya menunjukkan tiga pagu tetap dan juga tampil di laporan.
        """),
        code("""
        penjelajah = PenjelajahPagu(data, lama=lama)
        penjelajah
        """),
        code("stages.tabel_skenario(stages.skenario_pagu(data, lama=lama))"),
        md("""
        ## 5. Tabel untuk dokumen perencanaan

        ### RPJMD dan Renstra: kondisi awal, target per tahun, dan kondisi akhir
        """),
        code("stages.tabel_rpjmd(rencana)"),
        md("### RKPD: satu tahun rencana"),
        code("stages.tabel_rkpd(rencana, tahun_rkpd)"),
        md("### Renja: satu tabel per perangkat daerah pengampu"),
        code("stages.renja_semua_opd(rencana, tahun_rkpd)"),
        md("""
        ## 6. Menyimpan hasil

        Rencana per jenis dan tahun (`rencana.csv`), status per jenis, anggaran per tahun, bentuk RPJMD dan RKPD,
        serta ringkasan `rencana.json`.
        """),
        code("stages.save_plan(rencana, data, output_dir, metode=metode, lama=lama, pagu=pagu, tahun_rkpd=tahun_rkpd)"),
    ])


# ----------------------------------------------------------------------------- 04
def capaian_dan_evaluasi() -> nbformat.NotebookNode:
    return notebook("evaluasi", "Capaian dan Evaluasi Penerapan SPM", [
        md("""
        # 04 · Capaian dan Evaluasi Penerapan SPM

        Tahap keempat melaksanakan pemenuhan pelayanan dasar; hasilnya diukur dengan **Indeks Pencapaian SPM
        (IP-SPM)**:

        - capaian penerima = jumlah terlayani ÷ jumlah sasaran × 100% (paling tinggi 100%);
        - capaian mutu = rata-rata capaian butir mutu (tersedia ÷ kebutuhan, paling tinggi 100%);
        - indeks jenis = 80% capaian penerima + 20% capaian mutu;
        - indeks bidang = rata-rata indeks jenisnya; IP-SPM daerah = rata-rata indeks bidang.

        Jenis tanpa sasaran atau dengan data belum lengkap tidak ikut dirata-rata (bukan dianggap 0 atau 100).
        Evaluasi kemudian melihat perkembangan dari tahun ke tahun, membandingkan realisasi dengan target rencana,
        memetakan kondisi awal untuk tahun berikutnya, dan membandingkan daerah ini dengan daerah sejawat.
        """),
        params('''
        tahun_awal = None  # tahun pertama yang dievaluasi; None: empat tahun sebelum `tahun`
        jumlah_sejawat = 10  # jumlah daerah sejawat (tipe sama, penduduk terdekat) yang dibandingkan
        '''),
        code("""
        from spm_helpers import evaluation_views as evaluasi
        from spm_helpers import report, stages

        data = report.load_region_data(kode_wilayah, tahun, data_dir, tahun_awal=tahun_awal, aturan=aturan)
        ip = evaluasi.ip_spm(data)
        stages.keterangan_data(data)
        """),
        md("## 1. IP-SPM tahun ini"),
        code("evaluasi.kotak_indeks(ip, data)"),
        code("evaluasi.bidang_tahun(ip, data)"),
        md("## 2. Capaian per jenis pelayanan dasar"),
        code("evaluasi.tabel_capaian_jenis(ip, data)"),
        md("""
        ## 3. Perkembangan dari tahun ke tahun

        Garis menunjukkan IP-SPM daerah dan indeks setiap bidang; pita abu-abu di belakangnya adalah kategori
        capaian. Peta warna di bawahnya menunjukkan capaian penerima setiap jenis per tahun (makin gelap makin
        rendah).
        """),
        code("evaluasi.tren(ip, data)"),
        md("""
        ## 4. Target rencana dibanding realisasi

        Target diambil dari rencana pemenuhan yang disusun dari tahun pertama data (metode merata); realisasi adalah
        capaian penerima tahun-tahun berikutnya. Jenis yang tertinggal dari targetnya perlu perhatian pada
        perencanaan tahun depan.
        """),
        code("""
        target_realisasi = evaluasi.target_vs_realisasi(data, ip)
        evaluasi.bagian_tvr(target_realisasi, data)
        """),
        md("""
        ## 5. Pemetaan kondisi awal dan usulan target

        Kondisi tahun ini menjadi kondisi awal perencanaan berikutnya. Prioritas 1 adalah jenis dengan indeks
        terendah. Usulan target menutup kesenjangan capaian penerima secara merata dalam lima tahun.
        """),
        code("""
        pemetaan, usulan = evaluasi.pemetaan_dan_usulan(ip, data)
        evaluasi.bagian_pemetaan(pemetaan, usulan, data)
        """),
        md("""
        ## 6. Perbandingan dengan daerah sejawat

        Daerah sejawat adalah daerah dengan tipe yang sama (provinsi, kabupaten, atau kota) dan jumlah penduduk
        terdekat, di antara daerah yang datanya ada di folder data.
        """),
        code("""
        sejawat = evaluasi.sejawat(data, data_dir, jumlah=jumlah_sejawat)
        evaluasi.bagian_sejawat(sejawat, data)
        """),
        md("## 7. Menyimpan hasil"),
        code("""
        evaluasi.save_evaluation(ip, data, output_dir, tvr=target_realisasi, pemetaan=pemetaan, usulan=usulan,
                                 sejawat=sejawat)
        """),
    ])


# ----------------------------------------------------------------------------- laporan wilayah
def laporan_wilayah() -> nbformat.NotebookNode:
    cells = [
        md("""
        # Laporan Penerapan dan Pencapaian SPM (buku kerja laporan)

        Buku kerja ini menghasilkan laporan yang diserahkan daerah: sampul, kata pengantar, Bab I Pendahuluan,
        Bab II Penerapan dan Pencapaian SPM per bidang, Bab III Kendala, dan Bab IV Penutup. Semua angka dihitung
        dari data; kode disembunyikan dalam laporan.

        **Cara memakai:** ubah parameter, jalankan semua sel, lalu ekspor dengan perintah
        `spm laporan --wilayah 32.75 --tahun 2025 --format html,pdf`. Perintah `spm batch` menjalankan buku kerja
        ini untuk banyak daerah sekaligus. Sel ini tidak ikut dalam laporan.
        """, "remove-cell"),
        params('''
        lama_rencana = 5  # lama periode rencana pemenuhan (tahun)
        kebijakan_umum = ""  # rumusan kebijakan umum dari RPJMD; kosong: paragraf baku
        arah_kebijakan = ""  # rumusan arah kebijakan dari KUA; kosong: paragraf baku
        '''),
        code("""
        from spm_helpers import report
        from spm_helpers.report_sections import LaporanWilayah

        data = report.load_region_data(kode_wilayah, tahun, data_dir, aturan=aturan)
        hasil = report.compute(data, lama_rencana=lama_rencana)
        laporan = LaporanWilayah(hasil, kebijakan_umum=kebijakan_umum, arah_kebijakan=arah_kebijakan)
        """),
        code("laporan.sampul()"),
        md("## Kata Pengantar"),
        code("laporan.kata_pengantar()"),
        md("## Ringkasan"),
        code("laporan.ringkasan()"),
        md("""
        ## Bab I Pendahuluan

        ### 1.1 Latar Belakang

        Standar Pelayanan Minimal (SPM) adalah ketentuan mengenai jenis dan mutu pelayanan dasar yang merupakan
        urusan pemerintahan wajib, yang berhak diperoleh setiap warga negara secara minimal. Undang-Undang Nomor 23
        Tahun 2014 tentang Pemerintahan Daerah mewajibkan pemerintah daerah memprioritaskan urusan pelayanan dasar
        yang berpedoman pada SPM. Peraturan Pemerintah Nomor 2 Tahun 2018 menetapkan jenis pelayanan dasar,
        penerimanya, dan mutu minimalnya untuk enam bidang: pendidikan; kesehatan; pekerjaan umum; perumahan
        rakyat; ketenteraman, ketertiban umum, dan pelindungan masyarakat; dan sosial.

        Peraturan Menteri Dalam Negeri Nomor 59 Tahun 2021 mengatur empat tahapan penerapan SPM: (1) pengumpulan
        data, (2) penghitungan kebutuhan pemenuhan pelayanan dasar, (3) penyusunan rencana pemenuhan pelayanan
        dasar, dan (4) pelaksanaan pemenuhan pelayanan dasar. Hasil penerapan dilaporkan dan dievaluasi setiap
        tahun dengan Indeks Pencapaian SPM (IP-SPM).
        """),
        code("laporan.latar_belakang()"),
        md("### 1.2 Dasar Hukum"),
        code("laporan.dasar_hukum()"),
        md("### 1.3 Kebijakan Umum"),
        code("laporan.kebijakan_umum()"),
        md("### 1.4 Arah Kebijakan"),
        code("laporan.arah_kebijakan()"),
        md("### 1.5 Data dan Metode"),
        code("laporan.data_dan_metode()"),
        md("""
        ## Bab II Penerapan dan Pencapaian SPM

        Bab ini menyajikan, untuk setiap bidang, jenis pelayanan dasar, jumlah sasaran, realisasi (jumlah
        terlayani), capaian, biaya untuk menutup kekurangan, dan rencana pemenuhan tahun berikutnya.

        ### 2.1 Capaian per Bidang
        """),
        code("laporan.capaian_per_bidang()"),
    ]
    for i, (kode, nama) in enumerate(BIDANG, start=2):
        cells += [md(f"### 2.{i} Bidang {nama}"), code(f'laporan.bab_bidang("{kode}")')]
    cells += [
        md(f"### 2.{len(BIDANG) + 2} Rencana Pemenuhan dan Kebutuhan Biaya"),
        code("laporan.rencana_pemenuhan()"),
        md("## Bab III Kendala"),
        code("laporan.kendala()"),
        md("## Bab IV Penutup"),
        code("laporan.penutup()"),
        md("Menyimpan hasil yang dapat dibaca mesin (`ringkasan.json`, `capaian.csv`, `kebutuhan.csv`, …):",
           "remove-cell"),
        code("report.write_outputs(hasil, output_dir)", "remove-cell"),
    ]
    return notebook("laporan", "Laporan Penerapan dan Pencapaian SPM", cells)


# ----------------------------------------------------------------------------- rencana aksi
def rencana_aksi() -> nbformat.NotebookNode:
    return notebook("rencana-aksi", "Rencana Aksi Penerapan SPM", [
        md("""
        # Rancangan Rencana Aksi Penerapan SPM (buku kerja)

        Permendagri 59/2021 mewajibkan setiap daerah menetapkan **Rencana Aksi Penerapan SPM** dengan peraturan
        kepala daerah; pada tahun 2023 baru 26 dari 546 daerah yang memilikinya. Buku kerja ini menyusun rancangannya
        dari rencana pemenuhan: kegiatan per tahapan, penanggung jawab, jadwal, serta target dan anggaran per jenis
        pelayanan dasar untuk setiap tahun periode rencana.

        **Cara memakai:** ubah parameter, jalankan semua sel, lalu ekspor dengan
        `spm rencana-aksi --wilayah 32.75 --tahun 2025 --format html,pdf`. Sel ini tidak ikut dalam dokumen.
        """, "remove-cell"),
        params('''
        lama = 5  # lama periode rencana aksi (tahun), dimulai tahun setelah `tahun`
        metode = "merata"  # cara menyusun target: "merata", "didepankan", atau "pagu"
        pagu = None  # pagu per tahun dalam rupiah, wajib bila metode "pagu"
        '''),
        code("""
        from spm_helpers import rencana_aksi, report

        data = report.load_region_data(kode_wilayah, tahun, data_dir, aturan=aturan)
        hasil = report.compute(data, lama_rencana=lama, metode=metode, pagu=pagu)
        dokumen = rencana_aksi.DokumenRencanaAksi(hasil)
        """),
        code("dokumen.sampul()"),
        md("## Bab I Pendahuluan"),
        code("dokumen.pendahuluan()"),
        md("## Bab II Kondisi Awal"),
        code("dokumen.kondisi_awal()"),
        md("## Bab III Rencana Aksi per Tahapan Penerapan SPM"),
        code("dokumen.rencana_per_tahap()"),
        md("## Bab IV Target dan Anggaran per Jenis Pelayanan Dasar\n\n### 4.1 Target per jenis"),
        code("dokumen.target_per_jenis()"),
        md("### 4.2 Anggaran per jenis"),
        code("dokumen.anggaran_per_jenis()"),
        md("### 4.3 Anggaran per tahun"),
        code("dokumen.anggaran()"),
        md("## Bab V Pemantauan, Evaluasi, dan Pelaporan"),
        code("dokumen.pemantauan()"),
        md("## Bab VI Penutup"),
        code("dokumen.penutup()"),
        code("rencana_aksi.write_outputs(hasil, dokumen.ra, output_dir)", "remove-cell"),
    ])


BUILDERS = {
    "01_pengumpulan_data.ipynb": pengumpulan_data,
    "02_penghitungan_kebutuhan.ipynb": penghitungan_kebutuhan,
    "03_rencana_pemenuhan.ipynb": rencana_pemenuhan,
    "04_capaian_dan_evaluasi.ipynb": capaian_dan_evaluasi,
    "laporan_wilayah.ipynb": laporan_wilayah,
    "rencana_aksi.ipynb": rencana_aksi,
}


def build_all() -> dict[str, nbformat.NotebookNode]:
    return {name: make() for name, make in BUILDERS.items()}


def main(argv: list[str]) -> int:
    stale = []
    for name, nb in build_all().items():
        path = NOTEBOOKS_DIR / name
        if "--periksa" in argv:
            if not path.exists() or nbformat.read(path, as_version=4) != nb:
                stale.append(name)
            continue
        nbformat.validate(nb)
        with atomic_path(path) as tmp:
            nbformat.write(nb, str(tmp))
        print(f"ditulis: {path}")
    if stale:
        print("Notebook tidak sama dengan hasil build_notebooks.py: " + ", ".join(stale))
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
