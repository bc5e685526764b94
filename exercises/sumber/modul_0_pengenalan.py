# %% [markdown]
# # Modul 0 — Pengenalan JupyterLab dan data SPM
#
# **Perkiraan waktu: 60 menit** · Kasus: Kabupaten Bengkulu Selatan (17.01) · *data contoh (sintetis)*, bukan data resmi.
#
# Setelah modul ini Anda dapat:
# 1. menjalankan sel di JupyterLab,
# 2. membaca katalog jenis pelayanan dasar SPM,
# 3. mencari kode wilayah,
# 4. membaca dan menyaring tabel sasaran, lalu menghitung persentase capaian.
#
# **Cara kerja notebook.** Notebook terdiri atas *sel*. Sel teks (seperti ini) berisi penjelasan; sel kode berisi
# perintah Python. Klik sebuah sel kode lalu tekan **Shift+Enter** untuk menjalankannya. Hasilnya tampil tepat di
# bawah sel. Jalankan sel **berurutan dari atas ke bawah**.
#
# Di setiap soal ada tulisan `# TULIS JAWABAN ANDA DI SINI` dan tanda `...`. Ganti `...` dengan jawaban Anda,
# jalankan sel itu, lalu jalankan sel pemeriksaan di bawahnya. Kotak hijau berarti benar; kotak merah memberi
# petunjuk tanpa membocorkan jawaban. Anda boleh mencoba berkali-kali.

# %% tags=["parameters"]
# Isi nama dan OPD Anda di antara tanda kutip, lalu jalankan sel ini dan sel berikutnya (Shift+Enter).
nama_peserta = ""
opd = ""

# %%
from spm_helpers.training import check, pilihan_ganda, start

start(nama_peserta, opd, modul=0)

# %% [markdown]
# ## 1. Katalog jenis pelayanan dasar
#
# PP 2/2018 menetapkan jenis pelayanan dasar untuk provinsi dan kabupaten/kota. Katalog lengkapnya ada di
# `catalog.jenis()`. Jalankan sel berikut: hasilnya sebuah **tabel** (DataFrame). `.head()` menampilkan 5 baris pertama.

# %%
from spm_helpers.reference import catalog

katalog_jenis = catalog.jenis()
katalog_jenis[["kode_jenis", "bidang", "tingkat", "nama", "opd_pengampu"]].head()

# %% [markdown]
# `len(tabel)` menghitung banyaknya baris. `catalog.jenis("provinsi")` hanya mengambil jenis tingkat provinsi.
#
# **Soal 1 (5 menit).** Berapa banyak jenis pelayanan dasar **tingkat kabupaten/kota**? Simpan jawabannya
# (sebuah angka) di variabel `jumlah_jenis_kabkota`.

# %%
### BEGIN SOLUTION
jumlah_jenis_kabkota = len(catalog.jenis("kabkota"))
### END SOLUTION

# %%
from spm_helpers.training import check  # sel pemeriksaan, tidak perlu diubah
check("m0.t1", lambda: jumlah_jenis_kabkota);

# %% [markdown]
# ## 2. Kode wilayah
#
# Setiap provinsi dan kabupaten/kota punya kode Kemendagri, misalnya `32.75` untuk Kota Bekasi. Kode ditulis
# sebagai **teks** (di dalam tanda kutip): sebagai angka, `32.70` akan berubah menjadi `32.7`.
# `regions.get(...)` mencari wilayah dari kode atau namanya.

# %%
from spm_helpers.reference import regions

regions.get("Bengkulu Selatan")

# %% [markdown]
# **Soal 2 (5 menit).** Apa kode wilayah **Kota Bengkulu**? Simpan sebagai teks di variabel `kode_kota_bengkulu`.
# Petunjuk: hasil `regions.get(...)` punya bagian `.kode_wilayah`.

# %%
### BEGIN SOLUTION
kode_kota_bengkulu = regions.get("Kota Bengkulu").kode_wilayah
### END SOLUTION

# %%
from spm_helpers.training import check  # sel pemeriksaan, tidak perlu diubah
check("m0.t2", lambda: kode_kota_bengkulu);

# %% [markdown]
# ## 3. Tabel sasaran
#
# Data kasus berisi tiga tabel: `sasaran` (berapa warga yang berhak dan berapa yang sudah terlayani),
# `ketersediaan` (barang, jasa dan SDM yang tersedia) dan `harga_satuan` (harga satuan standar daerah).
# Satu baris = satu jenis pelayanan pada satu tahun.

# %%
from spm_helpers.training.cases import data_kasus

data = data_kasus()
sasaran = data.sasaran
sasaran.head()

# %% [markdown]
# Menyaring baris memakai syarat di dalam kurung siku. Dua syarat digabung dengan `&`, masing-masing di dalam
# kurung. Contoh: baris jenis `PDD-KK-01` (PAUD) tahun 2024.

# %%
sasaran[(sasaran["tahun"] == 2024) & (sasaran["kode_jenis"] == "PDD-KK-01")]

# %% [markdown]
# **Soal 3 (10 menit).** Berapa **jumlah sasaran** pelayanan kesehatan ibu hamil (`KES-KK-01`) **tahun 2025**?
# Simpan sebagai angka di `sasaran_ibu_hamil`. Petunjuk: `.iloc[0]` mengambil nilai pertama sebuah kolom.

# %%
### BEGIN SOLUTION
baris_ibu_hamil = sasaran[(sasaran["tahun"] == 2025) & (sasaran["kode_jenis"] == "KES-KK-01")]
sasaran_ibu_hamil = int(baris_ibu_hamil["jumlah_sasaran"].iloc[0])
### END SOLUTION

# %%
from spm_helpers.training import check  # sel pemeriksaan, tidak perlu diubah
check("m0.t3", lambda: sasaran_ibu_hamil);

# %% [markdown]
# **Soal 4 (10 menit).** Capaian penerima = jumlah terlayani ÷ jumlah sasaran × 100. Berapa **persen** capaian
# penerima ibu hamil tahun 2025? Simpan di `capaian_ibu_hamil` (dua angka di belakang koma sudah cukup).

# %%
### BEGIN SOLUTION
baris = sasaran[(sasaran["tahun"] == 2025) & (sasaran["kode_jenis"] == "KES-KK-01")].iloc[0]
capaian_ibu_hamil = 100 * baris["jumlah_terlayani"] / baris["jumlah_sasaran"]
### END SOLUTION

# %%
from spm_helpers.training import check  # sel pemeriksaan, tidak perlu diubah
check("m0.t4", lambda: capaian_ibu_hamil);

# %% [markdown]
# **Soal 5 (10 menit).** Jenis pelayanan mana yang **jumlah sasarannya terbesar** pada tahun 2025? Tulis
# **kode jenisnya** (teks) di `jenis_terbesar`. Petunjuk: `.sort_values("jumlah_sasaran", ascending=False)`
# mengurutkan dari yang terbesar; atau `.set_index("kode_jenis")["jumlah_sasaran"].idxmax()`.

# %%
### BEGIN SOLUTION
jenis_terbesar = sasaran[sasaran["tahun"] == 2025].set_index("kode_jenis")["jumlah_sasaran"].idxmax()
### END SOLUTION

# %%
from spm_helpers.training import check  # sel pemeriksaan, tidak perlu diubah
check("m0.t5", lambda: jenis_terbesar);

# %% [markdown]
# ## 4. Kosong bukan nol
#
# **Soal 6 (5 menit, latihan interaktif, tidak dinilai).** Pilih jawaban lalu tekan **Periksa**.

# %%
pilihan_ganda("m0.t6", "Di tabel sasaran, apa arti sel jumlah terlayani yang kosong (NA)?",
              ["Nol: tidak ada yang dilayani", "Tidak diketahui: datanya belum ada",
               "Sama dengan tahun lalu", "Sama dengan jumlah sasaran"])

# %% [markdown]
# ## Selesai
#
# Simpan notebook (Ctrl+S). Bila fasilitator meminta, serahkan berkas `.ipynb` ini apa adanya.
