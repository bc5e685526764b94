# %% [markdown] tags=["remove-cell"]
# # Laporan Penerapan dan Pencapaian SPM (buku kerja laporan)
#
# Buku kerja ini menghasilkan laporan yang diserahkan daerah: sampul, kata pengantar, Bab I Pendahuluan,
# Bab II Penerapan dan Pencapaian SPM per bidang, Bab III Kendala, dan Bab IV Penutup. Semua angka dihitung
# dari data; kode disembunyikan dalam laporan.
#
# **Cara memakai:** ubah parameter, jalankan semua sel, lalu ekspor dengan perintah
# `spm laporan --wilayah 32.75 --tahun 2025 --format html,pdf`. Perintah `spm batch` menjalankan buku kerja
# ini untuk banyak daerah sekaligus. Sel ini tidak ikut dalam laporan.

# %% tags=["parameters"]
kode_wilayah = "32.75"  # kode wilayah Kemendagri: provinsi "32", kabupaten/kota "32.75"
tahun = 2025  # tahun data (tahun laporan)
data_dir = None  # None: data contoh bawaan; atau folder berisi sasaran.csv, ketersediaan.csv, harga_satuan.csv
output_dir = "hasil"  # folder hasil (CSV dan ringkasan JSON); dibuat bila belum ada
aturan = "permenkes_6_2024"  # aturan mutu kesehatan: "permenkes_6_2024" atau "permenkes_4_2019"
lama_rencana = 5  # lama periode rencana pemenuhan (tahun)
kebijakan_umum = ""  # rumusan kebijakan umum dari RPJMD; kosong: paragraf baku
arah_kebijakan = ""  # rumusan arah kebijakan dari KUA; kosong: paragraf baku

# %% tags=["remove-input"]
from spm_helpers import region
from spm_helpers.documents.regional_report import LaporanWilayah

data = region.load_region_data(kode_wilayah, tahun, data_dir, aturan=aturan)
hasil = region.compute(data, lama_rencana=lama_rencana)
laporan = LaporanWilayah(hasil, kebijakan_umum=kebijakan_umum, arah_kebijakan=arah_kebijakan)

# %% tags=["remove-input"]
laporan.sampul()

# %% [markdown]
# ## Kata Pengantar

# %% tags=["remove-input"]
laporan.kata_pengantar()

# %% [markdown]
# ## Ringkasan

# %% tags=["remove-input"]
laporan.ringkasan()

# %% [markdown]
# ## Bab I Pendahuluan
#
# ### 1.1 Latar Belakang
#
# Standar Pelayanan Minimal (SPM) adalah ketentuan mengenai jenis dan mutu pelayanan dasar yang merupakan
# urusan pemerintahan wajib, yang berhak diperoleh setiap warga negara secara minimal. Undang-Undang Nomor 23
# Tahun 2014 tentang Pemerintahan Daerah mewajibkan pemerintah daerah memprioritaskan urusan pelayanan dasar
# yang berpedoman pada SPM. Peraturan Pemerintah Nomor 2 Tahun 2018 menetapkan jenis pelayanan dasar,
# penerimanya, dan mutu minimalnya untuk enam bidang: pendidikan; kesehatan; pekerjaan umum; perumahan
# rakyat; ketenteraman, ketertiban umum, dan pelindungan masyarakat; dan sosial.
#
# Peraturan Menteri Dalam Negeri Nomor 59 Tahun 2021 mengatur empat tahapan penerapan SPM: (1) pengumpulan
# data, (2) penghitungan kebutuhan pemenuhan pelayanan dasar, (3) penyusunan rencana pemenuhan pelayanan
# dasar, dan (4) pelaksanaan pemenuhan pelayanan dasar. Hasil penerapan dilaporkan dan dievaluasi setiap
# tahun dengan Indeks Pencapaian SPM (IP-SPM).

# %% tags=["remove-input"]
laporan.latar_belakang()

# %% [markdown]
# ### 1.2 Dasar Hukum

# %% tags=["remove-input"]
laporan.dasar_hukum()

# %% [markdown]
# ### 1.3 Kebijakan Umum

# %% tags=["remove-input"]
laporan.kebijakan_umum()

# %% [markdown]
# ### 1.4 Arah Kebijakan

# %% tags=["remove-input"]
laporan.arah_kebijakan()

# %% [markdown]
# ### 1.5 Data dan Metode

# %% tags=["remove-input"]
laporan.data_dan_metode()

# %% [markdown]
# ## Bab II Penerapan dan Pencapaian SPM
#
# Bab ini menyajikan, untuk setiap bidang, jenis pelayanan dasar, jumlah sasaran, realisasi (jumlah
# terlayani), capaian, biaya untuk menutup kekurangan, dan rencana pemenuhan tahun berikutnya.
#
# ### 2.1 Capaian per Bidang

# %% tags=["remove-input"]
laporan.capaian_per_bidang()

# %% [markdown]
# ### 2.2 Bidang Pendidikan

# %% tags=["remove-input"]
laporan.bab_bidang("PDD")

# %% [markdown]
# ### 2.3 Bidang Kesehatan

# %% tags=["remove-input"]
laporan.bab_bidang("KES")

# %% [markdown]
# ### 2.4 Bidang Pekerjaan Umum

# %% tags=["remove-input"]
laporan.bab_bidang("PU")

# %% [markdown]
# ### 2.5 Bidang Perumahan Rakyat

# %% tags=["remove-input"]
laporan.bab_bidang("PRM")

# %% [markdown]
# ### 2.6 Bidang Ketenteraman, Ketertiban Umum, dan Pelindungan Masyarakat

# %% tags=["remove-input"]
laporan.bab_bidang("TRB")

# %% [markdown]
# ### 2.7 Bidang Sosial

# %% tags=["remove-input"]
laporan.bab_bidang("SOS")

# %% [markdown]
# ### 2.8 Rencana Pemenuhan dan Kebutuhan Biaya

# %% tags=["remove-input"]
laporan.rencana_pemenuhan()

# %% [markdown]
# ## Bab III Kendala

# %% tags=["remove-input"]
laporan.kendala()

# %% [markdown]
# ## Bab IV Penutup

# %% tags=["remove-input"]
laporan.penutup()

# %% [markdown] tags=["remove-cell"]
# Menyimpan hasil yang dapat dibaca mesin (`ringkasan.json`, `capaian.csv`, `kebutuhan.csv`, …):

# %% tags=["remove-cell"]
region.write_outputs(hasil, output_dir)
