# %% [markdown]
# # Modul 1 — Pengumpulan data
#
# **Perkiraan waktu: 105 menit** · Kasus: Kabupaten Bengkulu Selatan (17.01), tahun 2025 · *data contoh (sintetis)*.
#
# Data SPM dikumpulkan dari setiap OPD melalui formulir, lalu digabung oleh Bappeda. Data kasus modul ini
# **sengaja berisi kesalahan** seperti yang sering ditemui di lapangan. Tugas Anda:
# 1. membaca formulir OPD Anda,
# 2. menemukan kesalahan di tabel gabungan seluruh OPD,
# 3. memperbaikinya dengan data konfirmasi dari OPD,
# 4. memperkirakan sasaran dari tabel penduduk menurut kelompok umur.
#
# Ingat dari Modul 0: jalankan sel berurutan dengan Shift+Enter; ganti `...` dengan jawaban Anda.

# %% tags=["parameters"]
# Isi nama dan OPD Anda di antara tanda kutip, lalu jalankan sel ini dan sel berikutnya (Shift+Enter).
nama_peserta = ""
opd = ""

# %%
from spm_helpers.training import check, start

start(nama_peserta, opd, modul=1)

# %%
import pandas as pd

from spm_helpers.errors import problems_frame
from spm_helpers.inputs import opd_form
from spm_helpers.reference import catalog
from spm_helpers.training.cases import data_kasus, formulir_kasus, jenis_latihan, konfirmasi_opd

kode_jenis = jenis_latihan(opd)  # jenis milik OPD Anda; boleh diganti dengan jenis lain milik OPD Anda
print("Jenis latihan Anda:", kode_jenis, "-", catalog.get_jenis(kode_jenis)["nama"])

# %% [markdown]
# ## 1. Membaca formulir OPD
#
# `formulir_kasus(opd)` menyiapkan formulir Excel OPD Anda yang sudah diisi (di folder `data_latihan`). Anda
# boleh membukanya di Excel. `forms.read_form(...)` membacanya kembali: hasilnya tabel-tabel rapi
# (`formulir.tables`) dan daftar masalah yang ditemukan pemeriksaan otomatis (`formulir.problems`).

# %%
berkas = formulir_kasus(opd)
formulir = opd_form.read_form(berkas)
print("Berkas:", berkas)
formulir.tables["sasaran"][["kode_jenis", "jumlah_sasaran", "jumlah_terlayani", "sumber_data"]]

# %%
problems_frame(formulir.problems)

# %% [markdown]
# Tabel masalah menunjukkan **berkas, sheet, baris dan kolom** yang salah, sehingga OPD tahu sel mana yang
# harus diperbaiki. Baris yang salah tidak dibuang diam-diam: ia dilaporkan di sini.
#
# **Soal 1 (10 menit).** Menurut formulir, berapa **jumlah sasaran** jenis latihan Anda (`kode_jenis`)?
# Simpan angkanya di `sasaran_formulir`.

# %%
### BEGIN SOLUTION
tabel_formulir = formulir.tables["sasaran"]
sasaran_formulir = int(tabel_formulir.loc[tabel_formulir["kode_jenis"] == kode_jenis, "jumlah_sasaran"].iloc[0])
### END SOLUTION

# %%
from spm_helpers.training import check  # sel pemeriksaan, tidak perlu diubah
check("m1.t1", lambda: sasaran_formulir);

# %% [markdown]
# ## 2. Menemukan kesalahan di tabel gabungan
#
# Bappeda menggabungkan formulir semua OPD menjadi satu tabel. Kita ambil tahun 2025 (`s2025`) dan tahun
# sebelumnya (`s2024`) untuk perbandingan.

# %%
data = data_kasus(masalah=True)
sasaran = data.sasaran
s2025 = sasaran[sasaran["tahun"] == 2025]
s2024 = sasaran[sasaran["tahun"] == 2024]
s2025.head(10)

# %% [markdown]
# **Soal 2 (10 menit).** Jumlah terlayani tidak mungkin **lebih besar** dari jumlah sasaran. Jenis mana saja
# yang begitu pada 2025? Simpan **daftar kode jenisnya** di `jenis_melebihi`.
# Petunjuk: `s2025.loc[syarat, "kode_jenis"].tolist()` menghasilkan daftar.

# %%
### BEGIN SOLUTION
jenis_melebihi = s2025.loc[s2025["jumlah_terlayani"] > s2025["jumlah_sasaran"], "kode_jenis"].tolist()
### END SOLUTION

# %%
from spm_helpers.training import check  # sel pemeriksaan, tidak perlu diubah
check("m1.t2", lambda: jenis_melebihi);

# %% [markdown]
# **Soal 3 (10 menit).** Sel yang **kosong** (NA) berarti datanya tidak diketahui; itu berbeda dengan 0.
# Jenis mana yang jumlah terlayaninya kosong pada 2025? Simpan daftarnya di `jenis_kosong`. Petunjuk: `.isna()`.

# %%
### BEGIN SOLUTION
jenis_kosong = s2025.loc[s2025["jumlah_terlayani"].isna(), "kode_jenis"].tolist()
### END SOLUTION

# %%
from spm_helpers.training import check  # sel pemeriksaan, tidak perlu diubah
check("m1.t3", lambda: jenis_kosong);

# %% [markdown]
# **Soal 4 (15 menit).** Setiap kabupaten/kota wajib melaporkan semua jenis kab/kota di katalog, juga yang
# sasarannya 0. Jenis mana yang **tidak ada barisnya sama sekali** di tabel 2025? Simpan daftarnya di
# `jenis_hilang`. Petunjuk: `set(a) - set(b)` memberi anggota `a` yang tidak ada di `b`.

# %%
### BEGIN SOLUTION
semua_jenis = catalog.jenis("kabkota")["kode_jenis"]
jenis_hilang = sorted(set(semua_jenis) - set(s2025["kode_jenis"]))
### END SOLUTION

# %%
from spm_helpers.training import check  # sel pemeriksaan, tidak perlu diubah
check("m1.t4", lambda: jenis_hilang);

# %% [markdown]
# **Soal 5 (15 menit).** Jumlah sasaran biasanya hanya berubah beberapa persen setahun. Jenis mana yang
# sasarannya 2025 **lebih dari dua kali** sasaran 2024? Bandingkan hanya jenis yang sasaran 2024-nya lebih
# dari 0. Simpan daftarnya di `jenis_melonjak`. Petunjuk: gabungkan dua tahun dengan
# `s2025.merge(s2024, on="kode_jenis", suffixes=("", "_lalu"))`.

# %%
### BEGIN SOLUTION
dua_tahun = s2025.merge(s2024, on="kode_jenis", suffixes=("", "_lalu"))
naik = (dua_tahun["jumlah_sasaran_lalu"] > 0) & (dua_tahun["jumlah_sasaran"] > 2 * dua_tahun["jumlah_sasaran_lalu"])
jenis_melonjak = dua_tahun.loc[naik, "kode_jenis"].tolist()
### END SOLUTION

# %%
from spm_helpers.training import check  # sel pemeriksaan, tidak perlu diubah
check("m1.t5", lambda: jenis_melonjak);

# %% [markdown]
# ## 3. Memperbaiki dengan konfirmasi OPD
#
# Data yang salah **tidak boleh ditebak**. Bappeda mengirim daftar temuan ke OPD, dan OPD mengirim kembali angka
# yang benar. `konfirmasi_opd()` berisi baris-baris hasil konfirmasi itu.

# %%
konfirmasi = konfirmasi_opd()
konfirmasi

# %% [markdown]
# **Soal 6 (20 menit).** Buat tabel 2025 yang sudah diperbaiki, berisi kolom `kode_jenis`, `jumlah_sasaran`
# dan `jumlah_terlayani`, satu baris per jenis: baris yang ada di `konfirmasi` diganti dengan baris konfirmasi,
# dan jenis yang hilang ditambahkan. Simpan di `tabel_perbaikan`.
# Petunjuk: buang dulu baris yang akan diganti (`~s2025["kode_jenis"].isin(...)`), lalu `pd.concat([...])`.

# %%
### BEGIN SOLUTION
tetap = s2025[~s2025["kode_jenis"].isin(konfirmasi["kode_jenis"])]
tabel_perbaikan = pd.concat([tetap, konfirmasi], ignore_index=True)[["kode_jenis", "jumlah_sasaran", "jumlah_terlayani"]]
### END SOLUTION

# %%
from spm_helpers.training import check  # sel pemeriksaan, tidak perlu diubah
check("m1.t6", lambda: tabel_perbaikan);

# %% [markdown]
# ## 4. Memperkirakan sasaran dari tabel penduduk
#
# Bila OPD belum punya data by name, sasaran dapat **diperkirakan** dari tabel penduduk menurut kelompok umur
# dan jenis kelamin (BPS atau Dukcapil). Tabel di bawah adalah tabel penduduk kasus tahun 2025 (*data contoh
# (sintetis)*), dengan tata letak seperti tabel BPS.

# %%
from spm_helpers.engine import sasaran_estimate
from spm_helpers.training.cases import penduduk_kasus, tabel_umur_kasus

tabel_umur = tabel_umur_kasus()
tabel_umur

# %% [markdown]
# **Soal 7 (10 menit).** Sasaran *pelayanan kesehatan pada usia lanjut* (KES-KK-07) adalah warga negara usia
# **60 tahun ke atas**. Hitung perkiraannya dari `tabel_umur`: jumlahkan kelompok umur yang termasuk, untuk
# laki-laki **dan** perempuan. Simpan angkanya di `perkiraan_lansia`.
# Petunjuk: `tabel_umur.loc[tabel_umur["Kelompok Umur"].isin(["60-64", ...]), "Jumlah"].sum()`.

# %%
### BEGIN SOLUTION
perkiraan_lansia = int(tabel_umur.loc[tabel_umur["Kelompok Umur"].isin(["60-64", "65-69", "70-74", "75+"]),
                                      "Jumlah"].sum())
### END SOLUTION

# %%
from spm_helpers.training import check  # sel pemeriksaan, tidak perlu diubah
check("m1.t7", lambda: perkiraan_lansia);

# %% [markdown]
# Bandingkan hitungan Anda dengan **mesin perkiraan** SPM Workbench, yang memperkirakan semua jenis sekaligus
# dan mencatat metode serta dasar perhitungannya. Untuk kelompok yang memotong kelompok 5 tahun (mis. 5–6 tahun)
# mesin memecah kelompok menjadi umur tunggal dengan interpolasi linear di dalam kelompok. Kolom `jumlah_sasaran`
# adalah sasaran yang dilaporkan OPD: perkiraan **tidak menggantikan** angka itu, tetapi selisih yang besar perlu
# ditanyakan ke OPD.

# %%
perkiraan = sasaran_estimate.perkirakan_sasaran(penduduk_kasus())
banding = sasaran_estimate.bandingkan(perkiraan, s2025)
banding[["kode_jenis", "dasar_perhitungan", "perkiraan", "jumlah_sasaran", "selisih", "selisih_persen", "keadaan"]]

# %% [markdown]
# ## Diskusi
#
# Pemeriksaan lain yang layak dilakukan: harga satuan daerah yang bernilai 0. Jalankan sel berikut dan bahas
# dengan kelompok Anda: apa akibatnya pada perhitungan biaya di Modul 2? Bahas juga: jenis mana yang selisihnya
# dengan perkiraan dari penduduk paling besar, dan sumber angka mana yang lebih Anda percaya?

# %%
data.harga_satuan[(data.harga_satuan["tahun"] == 2025) & (data.harga_satuan["harga_satuan"] == 0)]

# %% [markdown]
# ## Selesai
#
# Simpan notebook (Ctrl+S) dan serahkan berkas `.ipynb` ini kepada fasilitator bila diminta.
