# %% [markdown]
# # 02 · Penghitungan Kebutuhan Pemenuhan Pelayanan Dasar
#
# Tahap kedua menghitung, untuk setiap butir mutu (barang, jasa, sumber daya manusia) dari setiap jenis
# pelayanan dasar:
#
# - **kebutuhan** = jumlah sasaran × jumlah per orang (dibulatkan ke atas);
# - **kekurangan** = kebutuhan − tersedia (tidak pernah negatif; kelebihan dicatat terpisah);
# - **biaya** = kekurangan × harga satuan (SSH daerah bila ada, selain itu harga acuan katalog).
#
# Hasilnya dijumlahkan per jenis, per bidang, dan per OPD pengampu. Butir yang ketersediaannya tidak
# dilaporkan tidak dihitung biayanya: nilainya *tidak diketahui*, bukan nol.
#
# **Cara memakai:** ubah parameter pada sel berikut bila perlu, lalu jalankan semua sel.

# %% tags=["parameters"]
kode_wilayah = "32.75"  # kode wilayah Kemendagri: provinsi "32", kabupaten/kota "32.75"
tahun = 2025  # tahun data (tahun laporan)
data_dir = None  # None: data contoh bawaan; atau folder berisi sasaran.csv, ketersediaan.csv, harga_satuan.csv
output_dir = "hasil"  # folder hasil (CSV dan ringkasan JSON); dibuat bila belum ada
aturan = "permenkes_6_2024"  # aturan mutu kesehatan: "permenkes_6_2024" atau "permenkes_4_2019"
jumlah_jenis_rinci = 3  # jumlah jenis dengan biaya terbesar yang dirinci per butir mutu

# %% tags=["remove-input"]
from spm_helpers import region
from spm_helpers.views import stage_pages

data = region.load_region_data(kode_wilayah, tahun, data_dir, aturan=aturan)
kebutuhan = stage_pages.kebutuhan_wilayah(data)
stage_pages.keterangan_data(data)

# %% tags=["remove-input"]
stage_pages.ringkasan_kebutuhan(kebutuhan, data)

# %% [markdown]
# ## 1. Contoh perhitungan satu butir
#
# Agar rumus dapat diperiksa dengan tangan, berikut perhitungan butir yang biayanya terbesar.

# %% tags=["remove-input"]
stage_pages.contoh_perhitungan(kebutuhan)

# %% [markdown]
# ## 2. Biaya per bidang

# %% tags=["remove-input"]
stage_pages.summarize_biaya(kebutuhan, "bidang")

# %% [markdown]
# ## 3. Biaya per perangkat daerah pengampu

# %% tags=["remove-input"]
stage_pages.summarize_biaya(kebutuhan, "opd")

# %% [markdown]
# ## 4. Biaya per jenis pelayanan dasar (grafik: sepuluh terbesar)

# %% tags=["remove-input"]
stage_pages.summarize_biaya(kebutuhan, "jenis")

# %% [markdown]
# ## 5. Rincian butir mutu untuk jenis dengan biaya terbesar
#
# Tabel per butir menunjukkan dari mana biaya berasal: kebutuhan, yang tersedia, kekurangan, harga satuan dan
# sumber harganya.

# %% tags=["remove-input"]
stage_pages.rincian_butir(kebutuhan, jumlah_jenis_rinci)

# %% [markdown]
# ## 6. Menyimpan hasil
#
# Tabel butir (`kebutuhan.csv`), rekap per jenis, bidang, dan OPD, serta ringkasan `kebutuhan.json`.

# %% tags=["remove-input"]
stage_pages.save_needs(kebutuhan, data, output_dir)
