# %% [markdown] tags=["remove-cell"]
# # Laporan Triwulan Penerapan SPM (paket e-SPM)
#
# Setiap tiga bulan daerah melaporkan penerapan SPM melalui aplikasi **e-SPM** Kemendagri (Permendagri 59/2021
# Pasal 24) dan dinilai menurut *tingkat keterisian* dan *tingkat capaian*. Buku kerja ini menyiapkan paket
# laporan satu triwulan tanpa internet: lima isian (capaian, penganggaran, permasalahan dan solusi, empat
# tahapan, dokumen Rencana Aksi) dalam urutan pengetikan di e-SPM, skor keterisian per isian, daftar
# kekurangan per OPD, dan sisa hari sampai tenggat.
#
# **Cara memakai:** ubah parameter, jalankan semua sel. Perintah yang sama dari terminal:
# `spm triwulan --wilayah 32.75 --tahun 2025 --triwulan 2`. Sel ini tidak ikut dalam dokumen.

# %% tags=["parameters"]
kode_wilayah = "32.75"  # kode wilayah Kemendagri: provinsi "32", kabupaten/kota "32.75"
tahun = 2025  # tahun laporan
triwulan = 2  # triwulan 1, 2, 3 atau 4 (capaian dan realisasi kumulatif sejak Januari)
data_dir = None  # None: data contoh bawaan; atau folder berisi sasaran.csv, anggaran.csv, permasalahan.csv, tahapan.csv
output_dir = "hasil"  # folder hasil (paket Excel, CSV, ringkasan JSON); dibuat bila belum ada
hari_ini = ""  # tanggal hitung sisa hari sampai tenggat, mis. "2025-07-10"; kosong: hari ini
aturan = "permenkes_6_2024"  # aturan mutu kesehatan: "permenkes_6_2024" atau "permenkes_4_2019"
dengan_rencana = True  # hitung target rencana tahun depan untuk isian Rencana Aksi (perlu data tahunan)
identitas = ""  # berkas identitas daerah (YAML) atau folder berisi <kode>.yaml; kosong: isian [dalam kurung siku]
format_dokumen = ""  # berkas yang ditulis buku kerja ini: "docx", "pdf", atau "docx,pdf"
isi_formulir = False  # True: tampilkan formulir isian anggaran, permasalahan dan tahapan (perlu data_dir sendiri)
opd_formulir = ""  # formulir untuk satu OPD saja, mis. "Dinas Kesehatan"; kosong: semua jenis dan tahapan

# %% [markdown] tags=["remove-cell"]
# ### Isi atau perbaiki data triwulan (bila `isi_formulir = True`)
#
# Isi baris anggaran (alokasi dan realisasi kumulatif per sumber dana), permasalahan beserta solusinya, dan
# status empat tahapan, lalu klik **Simpan**: data tersimpan ke folder `data_dir`, hanya baris wilayah, tahun
# dan triwulan ini yang diganti. Sesudah itu jalankan sel-sel di bawah (menu *Run → Run Selected Cell and All
# Below*) agar paket laporan memakai data yang baru.

# %% tags=["remove-cell"]
from spm_helpers.views.quarter_widget import formulir_triwulan

formulir_triwulan(data_dir, kode_wilayah, tahun, triwulan, opd_formulir) if isi_formulir else None

# %% tags=["remove-input"]
from spm_helpers.documents import identity, quarter_pack
from spm_helpers.documents.output import write_documents
from spm_helpers.region import quarter

hasil = quarter.compute_triwulan(kode_wilayah, tahun, triwulan, data_dir, hari_ini=quarter.tanggal_hitung(hari_ini),
                                 rencana=quarter.rencana_tahunan(kode_wilayah, tahun, data_dir, aturan)
                                 if dengan_rencana else None, aturan=aturan)
dokumen = quarter_pack.DokumenTriwulan(hasil, identitas=identity.load(identitas, kode_wilayah))

# %% tags=["remove-input"]
dokumen.sampul()

# %% [markdown]
# ## Kelengkapan laporan

# %% tags=["remove-input"]
dokumen.kelengkapan()

# %% [markdown]
# ## 1. Capaian penerapan SPM

# %% tags=["remove-input"]
dokumen.capaian()

# %% [markdown]
# ## 2. Penganggaran SPM

# %% tags=["remove-input"]
dokumen.anggaran()

# %% [markdown]
# ## 3. Permasalahan dan solusi

# %% tags=["remove-input"]
dokumen.permasalahan()

# %% [markdown]
# ## 4. Pemenuhan empat tahapan penerapan SPM

# %% tags=["remove-input"]
dokumen.tahapan()

# %% [markdown]
# ## 5. Penyusunan dokumen Rencana Aksi

# %% tags=["remove-input"]
dokumen.rencana_aksi()

# %% [markdown]
# ## Daftar kekurangan

# %% tags=["remove-input"]
dokumen.kekurangan()

# %% tags=["remove-cell"]
quarter.write_quarter_outputs(hasil, output_dir)
quarter_pack.write_workbook(hasil, f"{output_dir}/{quarter_pack.filename(hasil)}")
write_documents(dokumen, output_dir, format_dokumen, "laporan_triwulan")
