# %% [markdown]
# # Modul 5 — Evaluasi dan pemetaan kondisi awal
#
# **Perkiraan waktu: 85 menit** · Kasus klinik pendampingan: Kabupaten Mahakam Ulu (64.11), 2021–2025 ·
# *data contoh (sintetis)*, bukan data resmi Kabupaten Mahakam Ulu.
#
# Dalam klinik pendampingan penerapan SPM di Kabupaten Mahakam Ulu, bupati menekankan pentingnya "pemetaan kondisi
# awal ... untuk menentukan penetapan target pencapaian sasaran SPM di tahun berjalan dan tahun berikutnya". Modul
# ini melatih langkah-langkahnya:
#
# 1. membandingkan capaian antartahun,
# 2. menilai rencana lama: target terhadap realisasi,
# 3. memetakan **kondisi awal** (realisasi terakhir, 2025) dan menentukan prioritas,
# 4. menetapkan target **tahun berjalan** (2026) dan **tahun berikutnya** (2027).
#
# Angka capaian di sini dihitung dengan cara yang sama seperti Modul 4 (capaian penerima, capaian mutu, indeks 80/20).

# %% tags=["parameters"]
# Isi nama dan OPD Anda di antara tanda kutip, lalu jalankan sel ini dan sel berikutnya (Shift+Enter).
nama_peserta = ""
opd = ""

# %%
from spm_helpers.training import check, start

start(nama_peserta, opd, modul=5)

# %%
from spm_helpers.engine.achievement import (
            compute_ip_spm,
            pemetaan_kondisi_awal,
            perubahan_tahunan,
            propose_target,
            target_vs_realisasi,
)
from spm_helpers.engine.plan import build_rencana
from spm_helpers.reference import catalog
from spm_helpers.training.cases_advanced import data_klinik, jenis_klinik
from spm_helpers.views import charts

kode_jenis = jenis_klinik(opd)  # jenis milik OPD Anda; boleh diganti dengan jenis lain milik OPD Anda
data = data_klinik()
ip = compute_ip_spm(data.sasaran, data.ketersediaan)  # semua tahun 2021–2025 sekaligus
print("Jenis latihan:", kode_jenis, "-", catalog.get_jenis(kode_jenis)["nama"])
ip.wilayah[["tahun", "indeks", "kategori", "keterisian", "jumlah_jenis_dinilai", "jumlah_jenis_wajib",
            "ip_spm_data_kosong_nol"]]

# %% [markdown]
# ## 1. Membandingkan tahun
#
# IP-SPM kabupaten baru melewati batas Tuntas Pratama (50) pada 2024 dan hanya naik sedikit sejak 2021, sementara
# beberapa bidang naik-turun. Keterisian datanya 100% (semua 29 jenis wajib berdata lengkap), jadi IP-SPM dengan data
# kosong = 0 sama dengan IP-SPM biasa.
# Grafik berikut memperlihatkan indeks tiap bidang per tahun.

# %%
charts.tren_indeks(ip.bidang, label="bidang", judul="IP-SPM per bidang — Kab. Mahakam Ulu (data contoh)");

# %% [markdown]
# `perubahan_tahunan(tabel)` menambahkan nilai tahun lalu (`indeks_tahun_lalu`), perubahannya dalam **poin**
# (`perubahan_indeks` = tahun ini − tahun lalu) dan `arah` ("naik", "turun", "tetap", atau kosong bila tidak ada
# pembanding). Fungsi ini dapat dipakai untuk tabel kabupaten (`ip.wilayah`), bidang, atau jenis.
#
# **Soal 1 (10 menit).** Berapa **poin** perubahan IP-SPM kabupaten dari 2024 ke 2025 (negatif bila turun)? Simpan di
# `perubahan_ip`.

# %%
### BEGIN SOLUTION
tabel_wilayah = perubahan_tahunan(ip.wilayah)
perubahan_ip = tabel_wilayah.loc[tabel_wilayah["tahun"] == 2025, "perubahan_indeks"].iloc[0]
### END SOLUTION

# %%
from spm_helpers.training import check  # sel pemeriksaan, tidak perlu diubah
check("m5.t1", lambda: perubahan_ip);

# %% [markdown]
# **Soal 2 (15 menit).** Jenis mana saja yang **indeksnya turun** dari 2024 ke 2025? Simpan daftar kode jenisnya di
# `jenis_turun`. Petunjuk: `perubahan_tahunan(ip.jenis)`, saring tahun 2025, lalu pilih baris dengan arah "turun".

# %%
### BEGIN SOLUTION
perubahan_jenis = perubahan_tahunan(ip.jenis)
p2025 = perubahan_jenis[perubahan_jenis["tahun"] == 2025]
jenis_turun = p2025.loc[p2025["arah"] == "turun", "kode_jenis"].tolist()
### END SOLUTION

# %%
from spm_helpers.training import check  # sel pemeriksaan, tidak perlu diubah
check("m5.t2", lambda: jenis_turun);

# %% [markdown]
# ## 2. Rencana lama: target terhadap realisasi
#
# Rencana lima tahun sebelumnya disusun dari kondisi 2021 dan menargetkan 100% pada 2026 (lintasan merata, seperti
# Modul 3). Target jenis latihan Anda dalam rencana itu:

# %%
rencana_lama = build_rencana(data.sasaran, data.harga_satuan, tahun_dasar=2021)
rencana_lama.rencana[rencana_lama.rencana["kode_jenis"] == kode_jenis][["tahun_rencana", "target_persen",
                                                                      "jumlah_sasaran", "sasaran_dilayani"]]

# %% [markdown]
# `target_vs_realisasi(rencana, capaian)` menyandingkan target setiap tahun dengan realisasi capaian penerima:
# `selisih_persen` = realisasi − target (poin; negatif berarti di bawah target), `selisih_orang`, dan `status`.
#
# **Soal 3 (15 menit).** Dengan `target_vs_realisasi(rencana_lama.rencana, ip.jenis)`, berapa **selisih realisasi
# terhadap target tahun 2025** jenis latihan Anda, dalam poin persen? Simpan di `selisih_2025`.

# %%
### BEGIN SOLUTION
tvr = target_vs_realisasi(rencana_lama.rencana, ip.jenis)
baris_tvr = tvr[(tvr["tahun"] == 2025) & (tvr["kode_jenis"] == kode_jenis)].iloc[0]
selisih_2025 = baris_tvr["selisih_persen"]
### END SOLUTION

# %%
from spm_helpers.training import check  # sel pemeriksaan, tidak perlu diubah
check("m5.t3", lambda: selisih_2025);

# %% [markdown]
# Untuk diskusi: jenis berikut melayani **lebih banyak orang** daripada rencana (`selisih_orang` positif), tetapi
# persentasenya tetap **tidak tercapai**. Mengapa? (Petunjuk: bandingkan `jumlah_sasaran` 2021 dan 2025.)

# %%
evaluasi = target_vs_realisasi(rencana_lama.rencana, ip.jenis)
evaluasi[(evaluasi["tahun"] == 2025) & (evaluasi["selisih_orang"] > 0) & (evaluasi["status"] == "tidak tercapai")]

# %% [markdown]
# ## 3. Pemetaan kondisi awal
#
# Kondisi awal untuk menetapkan target tahun berjalan adalah **realisasi terakhir** (2025). Peta panas berikut
# memperlihatkan indeks setiap jenis per tahun; warna gelap menandai jenis yang tertinggal.

# %%
charts.heatmap_capaian(ip.jenis, nilai="indeks", label="kode_jenis",
                       judul="Indeks per jenis pelayanan — Kab. Mahakam Ulu (data contoh)");

# %% [markdown]
# `pemetaan_kondisi_awal(capaian, tahun=...)` memberi kesenjangan ke 100%, jumlah warga yang belum terlayani, dan
# `prioritas` (1 = indeks terendah). **Tanpa** argumen `tahun`, fungsi ini memakai tahun **paling awal** di data.
#
# **Soal 4 (15 menit).** Jenis apa saja yang menjadi **prioritas 1 sampai 5** pada kondisi awal 2025? Simpan daftar
# kode jenisnya di `prioritas_2025`, **urut** dari prioritas 1.

# %%
### BEGIN SOLUTION
peta = pemetaan_kondisi_awal(ip.jenis, tahun=2025)
prioritas_2025 = peta.loc[peta["prioritas"] <= 5, "kode_jenis"].tolist()
### END SOLUTION

# %%
from spm_helpers.training import check  # sel pemeriksaan, tidak perlu diubah
check("m5.t4", lambda: prioritas_2025);

# %% [markdown]
# ## 4. Target tahun berjalan dan tahun berikutnya
#
# `propose_target(capaian, tahun=...)` mengusulkan target capaian penerima untuk dua tahun setelah `tahun` (realisasi
# terakhir): **tahun berjalan** dan **tahun depan**. Kesenjangan dari kondisi awal ke 100% ditutup merata sampai
# lima tahun setelah `tahun` (lintasan yang sama dengan Modul 3).
#
# **Soal 5 (15 menit).** Berapa target **2026 dan 2027** jenis latihan Anda? Simpan sebagai daftar dua angka (urut
# 2026, 2027) di `target_usulan`.

# %%
### BEGIN SOLUTION
usulan = propose_target(ip.jenis, tahun=2025)
target_usulan = usulan.loc[usulan["kode_jenis"] == kode_jenis, "target_persen"].tolist()
### END SOLUTION

# %%
from spm_helpers.training import check  # sel pemeriksaan, tidak perlu diubah
check("m5.t5", lambda: target_usulan);

# %% [markdown]
# ## Diskusi
#
# 1. Rencana lama menargetkan 100% pada 2026. Usulan baru jauh lebih rendah. Mana yang sebaiknya dipakai di RKPD
#    tahun berjalan, dan bagaimana menjelaskannya kepada DPRD?
# 2. Lima prioritas Anda di Soal 4: OPD mana yang mengampunya, dan data apa yang perlu diperiksa ulang sebelum
#    target ditetapkan?

# %% [markdown]
# ## Selesai
#
# Simpan notebook (Ctrl+S) dan serahkan berkas `.ipynb` ini kepada fasilitator bila diminta.
