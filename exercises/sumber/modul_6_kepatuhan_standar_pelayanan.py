# %% [markdown]
# # Modul 6 — Kepatuhan standar pelayanan publik
#
# **Perkiraan waktu: 75 menit** · Kasus sosialisasi: Kabupaten Kepulauan Meranti (14.10), 11 unit layanan ·
# *data contoh (sintetis)*, bukan hasil penilaian unit mana pun.
#
# > **Simulasi penilaian mandiri — bukan hasil resmi Ombudsman RI.** Semua nilai di modul ini dihitung dengan
# > instrumen yang disimpan sebagai data bersumber (`datasets/kepatuhan/`); sebagian instrumen resmi Ombudsman hanya
# > diketahui dari sumber sekunder.
#
# UU 25/2009 mewajibkan setiap penyelenggara pelayanan menyusun, menetapkan dan menerapkan **standar pelayanan**.
# Ombudsman RI menilai kepatuhannya dan memberi **zona** hijau, kuning atau merah. Dalam sosialisasi di Kepulauan
# Meranti, 33 peserta dari 11 OPD pelayanan berlatih menilai unitnya sendiri dengan satu tujuan: **semua unit masuk
# zona hijau**.
#
# Dua skema penilaian dipakai di modul ini:
#
# | Skema | Cara menilai | Zona |
# |---|---|---|
# | 2021 | komponen standar tampak atau tidak (0/1) | hijau 81–100, kuning 51–<81, merah <51 |
# | 2022–2024 | 4 dimensi berbobot (Input, Proses, Output, Pengaduan), indikator 0–3 | A, B hijau 78–100; C kuning 54–<78; D, E merah <54 |

# %% tags=["parameters"]
# Isi nama dan OPD Anda di antara tanda kutip, lalu jalankan sel ini dan sel berikutnya (Shift+Enter).
nama_peserta = ""
opd = ""

# %%
from spm_helpers.training import check, start

start(nama_peserta, opd, modul=6)

# %%
from spm_helpers.compliance import charts, scoring
from spm_helpers.training.cases_advanced import penilaian_kasus, unit_latihan

nama_unit = unit_latihan(opd)  # unit layanan OPD Anda; boleh diganti dengan unit lain di data kasus
penilaian = penilaian_kasus()  # skema 2022–2024: satu baris = satu nilai indikator satu unit
instrumen = scoring.instrument("ombudsman_2022_2024")
print(scoring.LABEL_SIMULASI)
print("Unit latihan:", nama_unit)
print(penilaian["unit"].nunique(), "unit layanan,", len(penilaian), "nilai indikator")
instrumen.dimensi[["dimensi", "nama_dimensi", "bobot"]]

# %% [markdown]
# ## 1. Nilai satu dimensi dengan tangan
#
# Setiap indikator bernilai 0–3. Nilai sebuah dimensi pada skala 0–100 adalah
#
# > 100 × jumlah (bobot × nilai ÷ nilai maksimum) ÷ jumlah bobot
#
# dihitung atas indikator dimensi itu saja. Berikut isian unit Anda untuk dimensi **Pengaduan**:

# %%
kolom_indikator = ["kode_indikator", "dimensi", "indikator", "nilai_maks", "bobot", "poin"]
isian = penilaian.merge(instrumen.indikator[kolom_indikator], on="kode_indikator")
isian_pengaduan = isian[(isian["unit"] == nama_unit) & (isian["dimensi"] == "pengaduan")]
isian_pengaduan[["kode_indikator", "indikator", "nilai", "nilai_maks", "bobot"]]

# %% [markdown]
# **Soal 1 (15 menit).** Hitung **nilai dimensi Pengaduan** unit Anda (0–100) dari tabel `isian_pengaduan`. Simpan di
# `nilai_pengaduan`.

# %%
### BEGIN SOLUTION
capai = isian_pengaduan["bobot"] * isian_pengaduan["nilai"] / isian_pengaduan["nilai_maks"]
nilai_pengaduan = 100 * capai.sum() / isian_pengaduan["bobot"].sum()
### END SOLUTION

# %%
from spm_helpers.training import check  # sel pemeriksaan, tidak perlu diubah
check("m6.t1", lambda: nilai_pengaduan);

# %% [markdown]
# Periksa hasil Anda dengan `score_dimensions`, yang menghitung semua dimensi semua unit:

# %%
nilai_dimensi = scoring.score_dimensions(penilaian)
nilai_dimensi[nilai_dimensi["unit"] == nama_unit][["nama_dimensi", "bobot_dimensi", "nilai_dimensi", "keterangan"]]

# %% [markdown]
# ## 2. Zona menurut dua skema
#
# Setiap rentang **memuat batas bawahnya dan tidak memuat batas atasnya** (rentang teratas memuat 100). Nilai
# **dibulatkan ke dua desimal** dulu, seperti nilai yang diumumkan, lalu dicari rentangnya.

# %%
scoring.instrument("ombudsman_2021").kategori[["kategori", "batas_bawah", "batas_atas", "opini", "zona"]]

# %%
instrumen.kategori[["kategori", "batas_bawah", "batas_atas", "opini", "zona"]]

# %%
nilai_uji = [50.99, 51, 54, 77.995, 78, 80.99, 80.995, 88]

# %% [markdown]
# **Soal 2 (5 menit).** Tentukan **zona** ("hijau", "kuning" atau "merah") setiap nilai di `nilai_uji` menurut
# **skema 2021**, urut sama. Simpan daftarnya di `zona_2021`. Boleh dengan tangan, atau dengan
# `scoring.classify(nilai, skema)["zona"].tolist()`.

# %%
### BEGIN SOLUTION
zona_2021 = scoring.classify(nilai_uji, "ombudsman_2021")["zona"].tolist()
### END SOLUTION

# %%
from spm_helpers.training import check  # sel pemeriksaan, tidak perlu diubah
check("m6.t2", lambda: zona_2021);

# %% [markdown]
# **Soal 3 (5 menit).** Sama, tetapi menurut **skema 2022–2024**. Simpan di `zona_2022`. Nilai mana yang zonanya
# berbeda di kedua skema?

# %%
### BEGIN SOLUTION
zona_2022 = scoring.classify(nilai_uji, "ombudsman_2022_2024")["zona"].tolist()
### END SOLUTION

# %%
from spm_helpers.training import check  # sel pemeriksaan, tidak perlu diubah
check("m6.t3", lambda: zona_2022);

# %% [markdown]
# ## 3. Nilai unit dan rencana perbaikan
#
# Nilai unit adalah jumlah berbobot semua indikatornya, 0–100. Kolom `poin` di tabel `isian` adalah **kenaikan nilai
# unit untuk setiap satu angka** nilai indikator itu; poin berbeda antardimensi karena bobot dimensi dan banyaknya
# indikator berbeda.

# %%
nilai_unit = scoring.score_units(penilaian)
charts.gambar_nilai_unit(nilai_unit, judul="Nilai kepatuhan per unit — Kab. Kepulauan Meranti");

# %% [markdown]
# **Soal 4 (10 menit).** Membenahi satu indikator sampai nilai maksimum menaikkan nilai unit sebesar
# poin × (nilai maksimum − nilai sekarang). Indikator mana yang **paling menaikkan** nilai unit Anda? Bila ada
# beberapa yang sama besar, sebutkan semuanya. Simpan daftar kode indikatornya di `indikator_terbesar`.

# %%
### BEGIN SOLUTION
isian_unit = isian[isian["unit"] == nama_unit].copy()
isian_unit["kenaikan"] = isian_unit["poin"] * (isian_unit["nilai_maks"] - isian_unit["nilai"])
indikator_terbesar = isian_unit.loc[isian_unit["kenaikan"] == isian_unit["kenaikan"].max(), "kode_indikator"].tolist()
### END SOLUTION

# %%
from spm_helpers.training import check  # sel pemeriksaan, tidak perlu diubah
check("m6.t4", lambda: indikator_terbesar);

# %% [markdown]
# `rencana_perbaikan` mengurutkan semua kekurangan setiap unit dari kenaikan terbesar. `nilai_kumulatif` dan
# `kumulatif_zona` menunjukkan posisi unit bila perbaikan peringkat 1 sampai baris itu dijalankan semua.

# %%
rencana = scoring.rencana_perbaikan(penilaian)
rencana[rencana["unit"] == nama_unit][["peringkat", "kode_indikator", "indikator", "saran", "kenaikan",
                                       "nilai_kumulatif", "kumulatif_zona"]].head(12)

# %% [markdown]
# **Soal 5 (15 menit).** Berapa perbaikan teratas (peringkat 1, 2, …) yang harus dijalankan unit Anda agar masuk
# **zona hijau** (skema 2022–2024)? Bila unit Anda sudah hijau, jawabannya 0. Simpan di `langkah_hijau`.

# %%
### BEGIN SOLUTION
zona_sekarang = nilai_unit.loc[nilai_unit["unit"] == nama_unit, "zona"].iloc[0]
rencana_unit = rencana[rencana["unit"] == nama_unit]
langkah_hijau = 0 if zona_sekarang == "hijau" else int(
    rencana_unit.loc[rencana_unit["kumulatif_zona"] == "hijau", "peringkat"].min())
### END SOLUTION

# %%
from spm_helpers.training import check  # sel pemeriksaan, tidak perlu diubah
check("m6.t5", lambda: langkah_hijau);

# %% [markdown]
# ## 4. Ringkasan wilayah
#
# **Soal 6 (10 menit).** Unit mana saja yang **belum** zona hijau (skema 2022–2024)? Mereka sasaran pendampingan
# sebelum penilaian berikutnya. Simpan daftar nama unitnya di `unit_belum_hijau`.

# %%
### BEGIN SOLUTION
unit_belum_hijau = nilai_unit.loc[nilai_unit["zona"] != "hijau", "unit"].tolist()
### END SOLUTION

# %%
from spm_helpers.training import check  # sel pemeriksaan, tidak perlu diubah
check("m6.t6", lambda: unit_belum_hijau);

# %% [markdown]
# Ringkasan kabupaten (rata-rata unit yang sudah lengkap dinilai; cara Ombudsman menggabungkan nilai unit menjadi
# nilai pemerintah daerah belum terkonfirmasi) dan lima perbaikan yang paling menaikkan rata-rata kabupaten:

# %%
scoring.region_scores(nilai_unit)[["nama_wilayah", "jumlah_unit", "nilai_rata_rata", "kategori", "zona",
                                     "unit_hijau", "unit_kuning", "unit_merah", "keterangan"]]

# %%
scoring.rencana_perbaikan_wilayah(penilaian).head(5)[["peringkat", "indikator", "saran", "jumlah_unit",
                                                         "kenaikan", "nilai_kumulatif"]]

# %% [markdown]
# ## Diskusi
#
# 1. Nilai 80 berzona kuning pada skema 2021 tetapi hijau pada skema 2022–2024. Apa artinya saat membandingkan
#    hasil antartahun?
# 2. Perbaikan teratas unit Anda: siapa di OPD Anda yang dapat menjalankannya, dan bukti apa yang perlu disiapkan?
#
# *Simulasi penilaian mandiri — bukan hasil resmi Ombudsman RI.*

# %% [markdown]
# ## Selesai
#
# Simpan notebook (Ctrl+S) dan serahkan berkas `.ipynb` ini kepada fasilitator bila diminta.
