# %% [markdown]
# # Kepatuhan Standar Pelayanan Publik: penilaian mandiri per unit layanan
#
# Undang-Undang 25/2009 tentang Pelayanan Publik mewajibkan setiap penyelenggara menyusun, menetapkan, dan
# menerapkan **standar pelayanan** (Pasal 20–21) serta **maklumat pelayanan** (Pasal 22). Ombudsman RI menilai
# kepatuhan pemerintah daerah terhadap kewajiban ini dan memberi **zona** hijau, kuning, atau merah.
#
# Buku kerja ini membantu OPD pelayanan menilai diri sendiri **sebelum** penilaian Ombudsman:
# nilai tiap unit layanan, zonanya, dan **rencana perbaikan**, yaitu daftar kekurangan yang diurutkan menurut
# besarnya kenaikan nilai bila kekurangan itu dibenahi.
#
# > **Penting.** Semua nilai di sini adalah *simulasi penilaian mandiri — bukan hasil resmi Ombudsman RI*.
# > Instrumen resmi Ombudsman hanya sebagian diketahui. Indikator, bobot, dan rentang nilai disimpan sebagai
# > data bersumber di `datasets/kepatuhan/` (lihat `SUMBER.md`).
#
# **Cara memakai:** ubah parameter pada sel berikut (kode wilayah, tahun, skema, folder data), lalu jalankan
# semua sel. Tanpa folder data, buku kerja memakai *data contoh (sintetis)* Kabupaten Kepulauan Meranti.
# Formulir Excel untuk diisi tiap unit dibuat dengan perintah `spm kepatuhan formulir`.

# %% tags=["parameters"]
kode_wilayah = "14.10"  # kode Kemendagri kabupaten/kota
tahun = 2024  # tahun penilaian
skema = "ombudsman_2022_2024"  # atau "ombudsman_2021"
data_dir = None  # None: data contoh bawaan; atau folder berisi penilaian_<skema>.csv / formulir *.xlsx
output_dir = "reports/kepatuhan"  # folder hasil (CSV + ringkasan JSON)

# %% tags=["remove-input"]
from IPython.display import Markdown, display

from spm_helpers.compliance import assessments, charts, scoring
from spm_helpers.compliance.widget import Checklist
from spm_helpers.reference import regions

wilayah = regions.get(kode_wilayah)
instrumen = scoring.instrument(skema)
label_data = assessments.demo_label(data_dir)

# %% tags=["remove-input"]
display(Markdown(
    f"**Wilayah:** {wilayah.nama} ({wilayah.kode_wilayah}) · **Tahun:** {tahun} · **Skema:** `{skema}`  \n"
    f"**{scoring.LABEL_SIMULASI}.**" + (f"  \n**Data: {label_data}.**" if label_data else "")
))

# %% [markdown]
# ## 1. Empat belas komponen standar pelayanan
#
# Pasal 21 UU 25/2009 menyebut 14 komponen yang sekurang-kurangnya dimuat dalam standar pelayanan.
# PermenPANRB 15/2014 membaginya menjadi **6 komponen penyampaian pelayanan (*service delivery*)** yang
# **wajib dipublikasikan** kepada pengguna, dan **8 komponen pengelolaan (*manufacturing*)** yang disimpan dalam
# dokumen internal penyelenggara. Enam komponen yang wajib dipublikasikan adalah hal pertama yang diperiksa
# pengguna dan Ombudsman di ruang pelayanan.

# %%
scoring.komponen()[["pasal21_huruf", "nama", "kelompok", "wajib_dipublikasikan", "status"]]

# %% [markdown]
# ## 2. Skema penilaian yang dipakai
#
# Ombudsman beberapa kali mengganti metodenya. Buku kerja ini menyediakan dua skema:
#
# - **`ombudsman_2021`**: pemeriksaan tampak/tidaknya komponen standar di unit layanan (nilai 0 atau 1);
#   zona hijau 81–100, kuning 51–<81, merah <51.
# - **`ombudsman_2022_2024`**: empat dimensi (Input, Proses, Output, Pengaduan) dengan indikator bernilai 0–3,
#   diubah ke skala 0–100; kategori A–E dengan opini dan zona.
#
# Tabel berikut menunjukkan rentang nilai, opini, dan zona skema yang dipilih, lalu dimensi dan bobotnya.
# Kolom `status` menandai data yang belum dapat dipastikan dari dokumen resmi.

# %%
instrumen.kategori[["kategori", "batas_bawah", "batas_atas", "opini", "zona", "status"]]

# %%
instrumen.dimensi[["nama_dimensi", "bobot", "variabel", "status"]]

# %% [markdown]
# ## 3. Data penilaian
#
# Setiap baris data berisi satu nilai: **unit layanan**, **kode indikator**, dan **nilai** yang diberikan penilai.
# Sel kosong berarti indikator itu *belum dinilai* (bukan nol); unit yang masih punya indikator kosong belum
# diberi nilai. Bila ada data yang salah, buku kerja berhenti dan menunjukkan berkas, baris, dan kolomnya.

# %%
penilaian = assessments.load_penilaian(data_dir, wilayah.kode_wilayah, skema)
print(f"{penilaian['unit'].nunique()} unit layanan, {len(penilaian)} nilai indikator.")

# %% [markdown]
# ## 4. Nilai dan zona setiap unit layanan
#
# Nilai unit adalah jumlah berbobot nilai indikatornya pada skala 0–100. Kategori ditentukan dari nilai yang
# dibulatkan ke dua desimal, sama seperti nilai yang diumumkan Ombudsman.

# %%
hasil = assessments.assess(penilaian, skema, tahun=tahun, data_label=label_data)
charts.tabel_nilai(hasil.unit, ["unit", "nilai", "kategori", "opini", "zona", "indikator_kosong"])

# %% tags=["remove-input"]
charts.gambar_nilai_unit(hasil.unit, skema, judul=f"Nilai kepatuhan per unit — {wilayah.nama} {tahun}");

# %% [markdown]
# ## 5. Di dimensi mana unit lemah?
#
# Warna gelap menunjukkan dimensi yang paling perlu dibenahi di setiap unit.

# %% tags=["remove-input"]
charts.gambar_dimensi(hasil.dimensi, judul=f"Nilai per dimensi — {wilayah.nama} {tahun}");

# %% [markdown]
# ## 6. Nilai wilayah
#
# Nilai wilayah di sini adalah rata-rata nilai unit yang sudah lengkap dinilai. Cara Ombudsman menggabungkan
# nilai unit menjadi nilai pemerintah daerah belum terkonfirmasi, jadi angka ini hanya gambaran.

# %%
charts.tabel_nilai(hasil.wilayah, ["nama_wilayah", "jumlah_unit", "unit_dinilai", "nilai_rata_rata",
                                   "kategori", "opini", "zona", "unit_hijau", "unit_kuning", "unit_merah"])

# %% [markdown]
# ## 7. Rencana perbaikan setiap unit
#
# Untuk setiap unit, kekurangan diurutkan dari yang **paling menaikkan nilai**. Kolom `kenaikan` adalah kenaikan
# nilai unit bila indikator itu dibenahi sampai nilai maksimum; kolom `nilai_kumulatif` dan `kumulatif_zona`
# menunjukkan posisi unit bila saran sampai peringkat itu dijalankan semua. Berikut tiga saran teratas per unit.

# %%
tiga_teratas = hasil.rencana_unit[hasil.rencana_unit["peringkat"] <= 3]
charts.tabel_nilai(tiga_teratas, ["unit", "peringkat", "indikator", "saran", "nilai_sekarang", "kenaikan",
                                  "nilai_kumulatif", "kumulatif_zona"])

# %% [markdown]
# ## 8. Rencana perbaikan tingkat wilayah
#
# Bila satu kekurangan yang sama dibenahi di **semua** unit yang mengalaminya, nilai rata-rata wilayah naik
# sebesar kolom `kenaikan`. Sepuluh langkah teratas:

# %%
charts.tabel_nilai(hasil.rencana_wilayah.head(10), ["peringkat", "indikator", "saran", "jumlah_unit",
                                                     "kenaikan", "nilai_kumulatif", "kumulatif_zona"])

# %% [markdown]
# ## 9. Coba sendiri: daftar periksa interaktif
#
# Tulis nama unit Anda, lalu pilih nilai setiap indikator (arahkan tetikus ke nama indikator untuk melihat apa
# yang diperiksa). Nilai, zona, dan tiga saran perbaikan teratas langsung muncul di bawahnya. Tanda `–` berarti
# belum dinilai.

# %%
daftar_periksa = Checklist(skema, wilayah.kode_wilayah, unit="")
daftar_periksa

# %% [markdown]
# ## 10. Simpan hasil
#
# Tabel hasil disimpan sebagai CSV dan ringkasan sebagai JSON di folder keluaran, agar dapat digabungkan untuk
# banyak wilayah tanpa membuka buku kerja ini.

# %%
berkas_hasil = hasil.save(output_dir)
for nama, lokasi in berkas_hasil.items():
    print(f"{nama:16} → {lokasi}")

# %% [markdown]
# ---
# *Sumber instrumen:* UU 25/2009 Pasal 20–22; PermenPANRB 15/2014; paparan Ombudsman Perwakilan dan pemberitaan
# 2021–2024 (rincian dan status setiap angka: `datasets/kepatuhan/SUMBER.md`). Semua nilai adalah *simulasi
# penilaian mandiri — bukan hasil resmi Ombudsman RI*.
