# %% [markdown] tags=["remove-cell"]
# # Laporan Penerapan dan Pencapaian SPM (buku kerja laporan)
#
# Buku kerja ini menghasilkan laporan yang diserahkan daerah: sampul, kata pengantar, Bab I Pendahuluan,
# Bab II Penerapan dan Pencapaian SPM per bidang (dengan target, pendanaan, dan realisasi anggaran), Bab III
# Permasalahan dan Solusi, Bab IV Penutup, dan lampiran mutu data. Semua angka dihitung dari data; kode
# disembunyikan dalam laporan. Anggaran dan permasalahan dibaca dari isian triwulanan e-SPM di folder data
# (`anggaran.csv`, `permasalahan.csv`): angka tahun ini adalah triwulan terakhir yang dilaporkan.
#
# **Cara memakai:** ubah parameter, jalankan semua sel, lalu ekspor dengan perintah
# `spm laporan --wilayah 32.75 --tahun 2025 --format html,pdf,docx --identitas identitas`. Berkas
# identitas (YAML) memuat nama kepala daerah, sekretaris daerah dan NIP-nya, kop surat, lambang, rumusan
# kebijakan umum (RPJMD) dan arah kebijakan (KUA), serta ukuran kertas (A4/F4); berkas kosongnya dibuat
# oleh `spm identitas --wilayah 32.75` di folder `identitas/` (satu berkas per wilayah, `32.75.yaml`).
# Perintah `spm batch` menjalankan buku kerja ini untuk banyak daerah sekaligus. Sel ini tidak ikut dalam
# laporan.

# %% tags=["parameters"]
kode_wilayah = "32.75"  # kode wilayah Kemendagri: provinsi "32", kabupaten/kota "32.75"
tahun = 2025  # tahun data (tahun laporan)
data_dir = None  # None: data contoh bawaan; atau folder data (sasaran.csv, …, anggaran.csv, permasalahan.csv)
output_dir = "hasil"  # folder hasil (CSV dan ringkasan JSON); dibuat bila belum ada
aturan = "permenkes_6_2024"  # aturan mutu kesehatan: "permenkes_6_2024" atau "permenkes_4_2019"
lama_rencana = 5  # lama periode rencana pemenuhan (tahun)
identitas = ""  # berkas identitas daerah (YAML) atau folder berisi <kode>.yaml; kosong: isian [dalam kurung siku]
kebijakan_umum = ""  # rumusan kebijakan umum dari RPJMD; kosong: dari berkas identitas atau paragraf baku
arah_kebijakan = ""  # rumusan arah kebijakan dari KUA; kosong: dari berkas identitas atau paragraf baku
format_dokumen = ""  # berkas yang ditulis buku kerja ini: "docx", "pdf", atau "docx,pdf"

# %% tags=["remove-input"]
from spm_helpers import region
from spm_helpers.documents import identity
from spm_helpers.documents.output import write_documents
from spm_helpers.documents.regional_report import LaporanWilayah

data = region.load_region_data(kode_wilayah, tahun, data_dir, aturan=aturan)
hasil = region.compute(data, lama_rencana=lama_rencana)
laporan = LaporanWilayah(hasil, kebijakan_umum=kebijakan_umum, arah_kebijakan=arah_kebijakan,
                         identitas=identity.load(identitas, kode_wilayah))

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

# %% tags=["remove-input"]
laporan.pengantar_bab2()

# %% [markdown]
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
# ### 2.8 Pendanaan dan Realisasi Anggaran SPM

# %% tags=["remove-input"]
laporan.anggaran_spm()

# %% [markdown]
# ### 2.9 Rencana Pemenuhan dan Kebutuhan Biaya

# %% tags=["remove-input"]
laporan.rencana_pemenuhan()

# %% [markdown]
# ## Bab III Permasalahan dan Solusi
#
# ### 3.1 Permasalahan dan Solusi per Jenis Pelayanan Dasar

# %% tags=["remove-input"]
laporan.permasalahan_solusi()

# %% [markdown]
# ### 3.2 Mutu dan Kelengkapan Data

# %% tags=["remove-input"]
laporan.mutu_data()

# %% [markdown]
# ## Bab IV Penutup

# %% tags=["remove-input"]
laporan.penutup()

# %% [markdown]
# ## Lampiran: Rincian Mutu Data

# %% tags=["remove-input"]
laporan.lampiran_mutu_data()

# %% [markdown] tags=["remove-cell"]
# Menyimpan hasil yang dapat dibaca mesin (`ringkasan.json`, `capaian.csv`, `kebutuhan.csv`, …) dan dokumen Word/PDF bila diminta:

# %% tags=["remove-cell"]
region.write_outputs(hasil, output_dir)
write_documents(laporan, output_dir, format_dokumen, "laporan")
