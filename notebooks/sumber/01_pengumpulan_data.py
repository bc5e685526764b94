# %% [markdown]
# # 01 · Pengumpulan Data SPM
#
# Tahap pertama penerapan Standar Pelayanan Minimal (Permendagri 59/2021) adalah **pengumpulan data**.
# Untuk setiap jenis pelayanan dasar, perangkat daerah (OPD) pengampu mengumpulkan:
#
# - **jumlah sasaran**: warga negara yang berhak menerima pelayanan dasar itu (misalnya ibu hamil, anak
#   usia 7–15 tahun);
# - **jumlah terlayani**: warga negara yang sudah menerima pelayanan;
# - **ketersediaan mutu**: jumlah barang, jasa, dan sumber daya manusia yang tersedia untuk setiap butir mutu;
# - **harga satuan daerah** (SSH), bila daerah memiliki harga sendiri; bila tidak, dipakai harga acuan katalog.
#
# Buku kerja ini membaca data (formulir Excel OPD atau folder data), memeriksa mutunya, menyediakan formulir
# isian untuk membetulkan data, lalu menyimpan data yang siap dipakai tahap berikutnya.
#
# **Cara memakai:** ubah parameter pada sel berikut bila perlu, lalu pilih *Run → Run All Cells*. Tanpa
# perubahan, buku kerja memakai *data contoh (sintetis)* Kota Bekasi.

# %% tags=["parameters"]
kode_wilayah = "32.75"  # kode wilayah Kemendagri: provinsi "32", kabupaten/kota "32.75"
tahun = 2025  # tahun data (tahun laporan)
data_dir = None  # None: data contoh bawaan; atau folder berisi sasaran.csv, ketersediaan.csv, harga_satuan.csv
output_dir = "hasil"  # folder hasil (CSV dan ringkasan JSON); dibuat bila belum ada
aturan = "permenkes_6_2024"  # aturan mutu kesehatan: "permenkes_6_2024" atau "permenkes_4_2019"
formulir_dir = None  # folder formulir Excel OPD yang sudah diisi (*.xlsx); None: pakai data_dir
berkas_penduduk = None  # tabel penduduk menurut kelompok umur (.xlsx/.csv); None: penduduk.csv di folder data

# %% tags=["remove-input"]
from spm_helpers import region
from spm_helpers.views import stage_pages, tables
from spm_helpers.views.collect_widget import FormIsian

data, hasil_impor = stage_pages.collect_region_data(kode_wilayah, tahun, data_dir, formulir_dir, aturan=aturan)
stage_pages.keterangan_data(data)

# %% tags=["remove-input"]
stage_pages.ringkasan_impor(hasil_impor)

# %% [markdown]
# ## 1. Jenis pelayanan dasar yang wajib dilaporkan
#
# Pemerintah provinsi menerapkan 14 jenis pelayanan dasar dan pemerintah kabupaten/kota 29 jenis, pada
# enam bidang. Tabel berikut menunjukkan siapa yang berhak (penerima) dan OPD mana yang mengampu setiap jenis.

# %% tags=["remove-input"]
tables.tabel_jenis_wilayah(kode_wilayah)

# %% [markdown]
# ## 2. Kelengkapan data tahun ini
#
# Tabel kelengkapan menghitung, per bidang, berapa jenis sudah dilaporkan, berapa yang jumlah sasaran dan
# terlayaninya terisi, dan berapa butir mutu yang ketersediaannya dilaporkan dibanding daftar butir di
# katalog. Sel kosong pada data berarti *tidak ada data*, bukan nol.

# %% tags=["remove-input"]
tables.tabel_kelengkapan(data)

# %% [markdown]
# Jumlah sasaran dan terlayani per jenis pelayanan dasar:

# %% tags=["remove-input"]
stage_pages.tabel_sasaran(data)

# %% [markdown]
# ## 3. Perkiraan sasaran dari penduduk
#
# Bila belum ada data by name atau hitungan sektoral yang dipercaya, sasaran dapat **diperkirakan** dari
# penduduk menurut kelompok umur dan jenis kelamin (tabel BPS atau Dukcapil), seperti proyeksi sasaran
# Kemenkes: ibu hamil ≈ 1,1 × angka kelahiran kasar (CBR) × penduduk, anak 7–15 tahun dari kelompok umur
# 5–9, 10–14 dan 15–19 (dipecah per umur dengan interpolasi linear di dalam kelompok), penderita hipertensi
# dari prevalensi survei, dan seterusnya. Jenis seperti korban bencana atau penerima rehabilitasi sosial
# *tidak dapat diperkirakan dari penduduk*.
#
# Perkiraan **tidak pernah menggantikan** sasaran yang dilaporkan OPD. Tabel berikut menampilkannya
# berdampingan; selisih yang besar menjadi bendera mutu data pada bagian berikutnya.

# %% tags=["remove-input"]
data = stage_pages.dengan_penduduk(data, berkas_penduduk)
stage_pages.tabel_perkiraan_sasaran(data)

# %% [markdown]
# ## 4. Pemeriksaan mutu data
#
# Pemeriksaan tidak mengubah data; ia hanya memberi **bendera** pada hal yang perlu dicek oleh OPD:
#
# - **galat**: data pasti salah, misalnya jumlah terlayani lebih besar dari jumlah sasaran;
# - **peringatan**: data mungkin salah atau belum lengkap, misalnya lonjakan tidak wajar dibanding tahun
#   lalu atau butir mutu yang tidak dilaporkan;
# - **info**: catatan, misalnya jenis tanpa sasaran pada tahun ini.

# %% tags=["remove-input"]
bendera = region.check_data(data)
tables.tabel_ringkasan_bendera(bendera)

# %% tags=["remove-input"]
tables.tabel_bendera(bendera, judul='Daftar bendera mutu data', maks_baris=60)

# %% [markdown]
# ## 5. Formulir isian: menambah atau membetulkan data
#
# Pilih jenis pelayanan, isi atau ubah angka, lalu tekan **Simpan**. Kosongkan kotak bila data tidak ada;
# isi 0 hanya bila memang nol. Angka boleh ditulis dengan titik ribuan (1.234). Bila ada isian yang salah,
# formulir menunjukkan semua kesalahan beserta letaknya.
#
# Formulir hanya tampil bila buku kerja dibuka di JupyterLab; pada laporan HTML/PDF bagian ini kosong.

# %% tags=["remove-input"]
formulir = FormIsian(kode_wilayah, tahun, sasaran=data.sasaran, ketersediaan=data.ketersediaan, aturan=aturan)
formulir

# %% [markdown]
# Setelah menekan **Simpan**, jalankan sel berikut: data hasil isian menggantikan data lama dan pemeriksaan
# mutu diulang.

# %% tags=["remove-input"]
data = data.with_tables(formulir.tables())
bendera = region.check_data(data)
tables.tabel_ringkasan_bendera(bendera)

# %% [markdown]
# ## 6. Menyimpan hasil
#
# Data disimpan ke folder `data_terkumpul` di dalam folder hasil (dapat dipakai sebagai `data_dir` buku kerja
# 02–04 dan laporan; tabel penduduk ikut disimpan bila ada), daftar bendera ke `bendera_data.csv`, dan
# ringkasannya ke `pengumpulan.json`.

# %% tags=["remove-input"]
stage_pages.save_collection(data, bendera, output_dir)
