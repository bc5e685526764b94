# %% [markdown] tags=["remove-cell"]
# # Rancangan Rencana Aksi Penerapan SPM (buku kerja)
#
# Permendagri 59/2021 mewajibkan setiap daerah menetapkan **Rencana Aksi Penerapan SPM** dengan peraturan
# kepala daerah; pada tahun 2023 baru 26 dari 546 daerah yang memilikinya. Buku kerja ini menyusun rancangannya
# dari rencana pemenuhan: kegiatan per tahapan, penanggung jawab, jadwal, serta target dan anggaran per jenis
# pelayanan dasar untuk setiap tahun periode rencana.
#
# **Cara memakai:** ubah parameter, jalankan semua sel, lalu ekspor dengan
# `spm rencana-aksi --wilayah 32.75 --tahun 2025 --format html,pdf,docx --identitas identitas` (berkas
# identitas kosong: `spm identitas --wilayah 32.75`). Sel ini tidak ikut dalam dokumen.

# %% tags=["parameters"]
kode_wilayah = "32.75"  # kode wilayah Kemendagri: provinsi "32", kabupaten/kota "32.75"
tahun = 2025  # tahun data (tahun laporan)
data_dir = None  # None: data contoh bawaan; atau folder berisi sasaran.csv, ketersediaan.csv, harga_satuan.csv
output_dir = "hasil"  # folder hasil (CSV dan ringkasan JSON); dibuat bila belum ada
aturan = "permenkes_6_2024"  # aturan mutu kesehatan: "permenkes_6_2024" atau "permenkes_4_2019"
lama = 5  # lama periode rencana aksi (tahun), dimulai tahun setelah `tahun`
metode = "merata"  # cara menyusun target: "merata", "didepankan", atau "pagu"
pagu = None  # pagu per tahun dalam rupiah, wajib bila metode "pagu"
identitas = ""  # berkas identitas daerah (YAML) atau folder berisi <kode>.yaml; kosong: isian [dalam kurung siku]
format_dokumen = ""  # berkas yang ditulis buku kerja ini: "docx", "pdf", atau "docx,pdf"

# %% tags=["remove-input"]
from spm_helpers import region
from spm_helpers.documents import action_plan, identity
from spm_helpers.documents.output import write_documents

data = region.load_region_data(kode_wilayah, tahun, data_dir, aturan=aturan)
hasil = region.compute(data, lama_rencana=lama, metode=metode, pagu=pagu)
dokumen = action_plan.DokumenRencanaAksi(hasil, identitas=identity.load(identitas, kode_wilayah))

# %% tags=["remove-input"]
dokumen.sampul()

# %% [markdown]
# ## Bab I Pendahuluan

# %% tags=["remove-input"]
dokumen.pendahuluan()

# %% [markdown]
# ## Bab II Kondisi Awal

# %% tags=["remove-input"]
dokumen.kondisi_awal()

# %% [markdown]
# ## Bab III Rencana Aksi per Tahapan Penerapan SPM

# %% tags=["remove-input"]
dokumen.rencana_per_tahap()

# %% [markdown]
# ## Bab IV Target dan Anggaran per Jenis Pelayanan Dasar
#
# ### 4.1 Target per jenis

# %% tags=["remove-input"]
dokumen.target_per_jenis()

# %% [markdown]
# ### 4.2 Anggaran per jenis

# %% tags=["remove-input"]
dokumen.anggaran_per_jenis()

# %% [markdown]
# ### 4.3 Anggaran per tahun

# %% tags=["remove-input"]
dokumen.anggaran()

# %% [markdown]
# ## Bab V Pemantauan, Evaluasi, dan Pelaporan

# %% tags=["remove-input"]
dokumen.pemantauan()

# %% [markdown]
# ## Bab VI Penutup

# %% tags=["remove-input"]
dokumen.penutup()

# %% tags=["remove-cell"]
action_plan.write_outputs(hasil, dokumen.ra, output_dir)
write_documents(dokumen, output_dir, format_dokumen, "rencana_aksi")
