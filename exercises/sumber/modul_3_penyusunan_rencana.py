# %% [markdown]
# # Modul 3 — Penyusunan rencana
#
# **Perkiraan waktu: 85 menit** · Kasus: Kabupaten Bengkulu Selatan (17.01), tahun dasar 2025, rencana 2026–2030 ·
# *data contoh (sintetis)*: data akhir tahun 2025 yang sudah dikonfirmasi OPD.
#
# Tahap ketiga penerapan SPM adalah menyusun **rencana pemenuhan** lima tahun (periode RPJMD), lalu memasukkannya ke
# dokumen tahunan: **RKPD** untuk pemerintah daerah dan **Renja** untuk setiap OPD.
#
# | Langkah | Cara menghitung |
# |---|---|
# | Kondisi awal | capaian penerima tahun dasar: terlayani ÷ sasaran × 100, paling tinggi 100 |
# | Target tahun ke-k (lintasan merata) | kondisi awal + (100 − kondisi awal) × k ÷ 5; tahun kelima tepat 100% |
# | Sasaran dilayani | target × jumlah sasaran ÷ 100, **dibulatkan ke atas** |
# | Kebutuhan butir | sasaran dilayani × jumlah per sasaran, dibulatkan ke atas (seperti Modul 2) |
# | Biaya rencana | jumlah semua butir: max(0, kebutuhan − tersedia 2025) × harga satuan |
#
# Yang **sudah** dilayani dan stok butir yang **sudah** tersedia pada tahun dasar tetap dibiayai anggaran berjalan
# (APBD rutin, BOS, JKN/kapitasi, DAK, gaji). Rencana hanya membiayai **tambahannya**: orang baru yang dilayani
# dan kekurangan mutu orang yang sudah dilayani. Karena itu target tidak pernah di bawah kondisi awal, dan biaya tahun
# terakhir (target 100%) sama dengan biaya menutup kekurangan di Modul 2. Anda menghitung satu jenis **dengan
# tangan**, lalu semua jenis dengan fungsi `build_rencana`, termasuk rencana yang dibatasi **pagu** anggaran.

# %% tags=["parameters"]
# Isi nama dan OPD Anda di antara tanda kutip, lalu jalankan sel ini dan sel berikutnya (Shift+Enter).
nama_peserta = ""
opd = ""

# %%
from spm_helpers.training import check, start

start(nama_peserta, opd, modul=3)

# %%
import math

from spm_helpers import fmt
from spm_helpers.reference import catalog
from spm_helpers.training.cases_advanced import PAGU, data_akhir_tahun, jenis_rencana
from spm_helpers.views import charts

# Jenis OPD Anda yang capaiannya 2025 masih di bawah 95% (jenis yang sudah 100% tidak perlu direncanakan naik);
# bila semua jenis OPD Anda sudah terlayani penuh: jenis lain di bidang yang sama. Boleh diganti.
kode_jenis = jenis_rencana(opd)
opd_pengampu = catalog.get_jenis(kode_jenis)["opd_pengampu"]
data = data_akhir_tahun()
s = data.sasaran
baris_dasar = s[(s["tahun"] == 2025) & (s["kode_jenis"] == kode_jenis)].iloc[0]
jumlah_sasaran = int(baris_dasar["jumlah_sasaran"])
jumlah_terlayani = int(baris_dasar["jumlah_terlayani"])

print("Jenis latihan  :", kode_jenis, "-", catalog.get_jenis(kode_jenis)["nama"])
print("OPD pengampu   :", opd_pengampu)
print("Sasaran 2025   :", fmt.angka(jumlah_sasaran))
print("Terlayani 2025 :", fmt.angka(jumlah_terlayani))

# %% [markdown]
# ## 1. Lintasan target lima tahun
#
# Contoh: kondisi awal 60%. Kesenjangannya 100 − 60 = 40 poin; dibagi lima tahun, target naik 8 poin setiap tahun:
# 68, 76, 84, 92 dan 100 (tahun 2026 sampai 2030). Tahun dasar 2025 adalah kondisi awal, **bukan** tahun rencana.
#
# Dalam Python, `[x * 2 for x in range(1, 4)]` membuat daftar `[2, 4, 6]`: rumus di depan `for` dihitung untuk
# setiap `x` = 1, 2, 3. `min(a, b)` memberi yang lebih kecil.
#
# **Soal 1 (15 menit).** Hitung kondisi awal jenis latihan Anda (capaian penerima 2025, paling tinggi 100), lalu
# **target 2026–2030** dengan lintasan merata. Simpan sebagai daftar lima angka (persen 0–100, urut dari 2026) di
# `target_lima_tahun`.

# %%
### BEGIN SOLUTION
kondisi_awal = min(100, 100 * jumlah_terlayani / jumlah_sasaran)
target_lima_tahun = [kondisi_awal + (100 - kondisi_awal) * k / 5 for k in range(1, 6)]
### END SOLUTION

# %%
from spm_helpers.training import check  # sel pemeriksaan, tidak perlu diubah
check("m3.t1", lambda: target_lima_tahun);

# %% [markdown]
# ## 2. Orang yang dilayani dan biayanya pada tahun pertama
#
# Di latihan ini jumlah sasaran dianggap tetap seperti 2025 selama periode rencana.
#
# **Soal 2 (10 menit).** Berapa orang yang harus dilayani pada **2026** agar target tahun itu tercapai? Simpan di
# `dilayani_2026`. Petunjuk: target 2026 adalah unsur pertama daftar Anda, `target_lima_tahun[0]`.

# %%
### BEGIN SOLUTION
dilayani_2026 = math.ceil(target_lima_tahun[0] * jumlah_sasaran / 100)
### END SOLUTION

# %%
from spm_helpers.training import check  # sel pemeriksaan, tidak perlu diubah
check("m3.t2", lambda: dilayani_2026);

# %% [markdown]
# Biaya dihitung per butir mutu jenis itu (barang, jasa, SDM), dengan harga yang sama seperti Modul 2: SSH daerah
# bila ada, selain itu harga acuan katalog (kolom `harga_satuan` sudah memilihkannya). Kolom `tersedia` adalah stok
# 2025. Tabel berikut juga memuat kekurangan dan biaya Modul 2 (untuk sasaran penuh) sebagai pembanding.

# %%
from spm_helpers.engine.needs import compute_kebutuhan

sasaran_dasar = s[(s["tahun"] == 2025) & (s["kode_jenis"] == kode_jenis)]
butir = compute_kebutuhan(sasaran_dasar, data.ketersediaan, data.harga_satuan)
butir[["kode_item", "jumlah_per_sasaran", "tersedia", "harga_satuan", "sumber_harga", "kekurangan", "biaya"]]

# %% [markdown]
# **Soal 3 (15 menit).** Hitung **biaya rencana 2026** jenis latihan Anda: untuk setiap butir, kebutuhan untuk
# `dilayani_2026` orang (dibulatkan ke atas), dikurangi yang tersedia (tidak kurang dari 0), dikali harga satuan; lalu
# jumlahkan. Simpan di `biaya_2026` (rupiah penuh). Petunjuk: `(tabel["a"] - tabel["b"]).clip(lower=0)` memberi
# max(0, a − b) untuk setiap baris; `.apply(math.ceil)` membulatkan ke atas; `.sum()` menjumlahkan.

# %%
### BEGIN SOLUTION
kebutuhan_2026 = (dilayani_2026 * butir["jumlah_per_sasaran"]).round(6).apply(math.ceil)
tambahan_2026 = (kebutuhan_2026 - butir["tersedia"]).clip(lower=0)
biaya_2026 = int((tambahan_2026 * butir["harga_satuan"]).sum())
### END SOLUTION

# %%
from spm_helpers.training import check  # sel pemeriksaan, tidak perlu diubah
check("m3.t3", lambda: biaya_2026);

# %% [markdown]
# ## 3. Semua jenis sekaligus dengan `build_rencana`
#
# `build_rencana(sasaran, harga_satuan, ketersediaan=...)` melakukan langkah-langkah tadi untuk **semua jenis** (tahun
# dasar: tahun terakhir di data, lima tahun rencana, lintasan merata). Bandingkan baris jenis Anda dengan hitungan
# tangan Anda. Kolom `tambahan_orang` adalah orang baru di atas yang terlayani 2025; tabel `rencana.butir` memuat
# butir tambahan yang harus dibeli atau tenaga yang harus direkrut.

# %%
from spm_helpers.engine.plan import build_rencana, tabel_renja, tabel_rkpd

rencana = build_rencana(data.sasaran, data.harga_satuan, ketersediaan=data.ketersediaan)
rencana_opd = rencana.rencana[rencana.rencana["opd"] == opd_pengampu]
rencana_opd[["kode_jenis", "tahun_rencana", "capaian_awal", "target_persen", "sasaran_dilayani", "tambahan_orang",
             "biaya"]]

# %%
charts.lintasan_rencana(rencana_opd, label="kode_jenis", judul=f"Lintasan target merata — {opd_pengampu}");

# %% [markdown]
# ## 4. Rencana di bawah pagu
#
# TAPD memberi **pagu indikatif** belanja tambahan SPM untuk setiap tahun (`PAGU`). Bandingkan dengan biaya rencana
# merata:

# %%
for tahun_rencana, biaya_tahun in zip(rencana.anggaran["tahun_rencana"], rencana.anggaran["biaya"]):
    lebih = "MELEBIHI pagu" if biaya_tahun > PAGU[tahun_rencana] else "di bawah pagu"
    print(tahun_rencana, "biaya rencana merata", fmt.rupiah(biaya_tahun), "| pagu", fmt.rupiah(PAGU[tahun_rencana]),
          "|", lebih)

# %% [markdown]
# Rencana merata tidak muat. Dengan `metode="pagu"`, setiap tahun pagu dipakai lebih dulu untuk **mempertahankan**
# tambahan yang sudah didanai tahun sebelumnya, lalu sisanya untuk jenis dengan capaian **terendah** lebih dulu (lalu
# biaya per orang tambahan termurah); jenis terakhir yang kebagian naik sejauh dananya cukup. Target **tidak pernah
# turun** di bawah kondisi awal: pagu 0 berarti target tetap pada capaian 2025. Biaya yang didanai tidak pernah
# melebihi pagu; sisanya dicatat sebagai `kekurangan_anggaran`, dan ada jenis yang tidak mencapai 100%.
#
# Tabel `status` sebuah rencana menjelaskan setiap jenis. Contoh dari rencana merata:

# %%
rencana.status[["kode_jenis", "capaian_awal", "target_akhir", "tahun_tuntas", "didanai", "kekurangan_anggaran",
                "keterangan"]].head(8)

# %% [markdown]
# Kolom `keterangan` berisi "tercapai tahun …", "sudah 100% pada tahun dasar", "tidak tercapai dalam periode", atau
# "tidak direncanakan: …" (misalnya jenis tanpa sasaran pada tahun dasar). Kolom `sebab` menjelaskan mengapa
# sebuah jenis belum mencapai 100% (kekurangan anggarannya).
#
# **Soal 4 (15 menit).** Susun rencana dengan `metode="pagu"` dan `pagu=PAGU`. Jenis mana saja yang **tidak tercapai
# dalam periode** (target 2030 belum 100%)? Simpan daftar kode jenisnya di `jenis_belum_tuntas`.

# %%
### BEGIN SOLUTION
rencana_pagu = build_rencana(data.sasaran, data.harga_satuan, ketersediaan=data.ketersediaan, metode="pagu",
                             pagu=PAGU)
tabel_status = rencana_pagu.status
belum = tabel_status["keterangan"] == "tidak tercapai dalam periode"
jenis_belum_tuntas = tabel_status.loc[belum, "kode_jenis"].tolist()
### END SOLUTION

# %%
from spm_helpers.training import check  # sel pemeriksaan, tidak perlu diubah
check("m3.t4", lambda: jenis_belum_tuntas);

# %% [markdown]
# ## 5. Masuk ke RKPD dan Renja
#
# `tabel_rkpd(rencana, tahun)` menyusun baris-baris satu tahun rencana untuk RKPD (semua OPD);
# `tabel_renja(rencana, tahun, opd)` hanya baris satu OPD. Contoh RKPD 2026 dari rencana merata:

# %%
tabel_rkpd(rencana, 2026).head(6)

# %% [markdown]
# **Soal 5 (15 menit).** Buat **tabel Renja 2026** OPD pengampu jenis latihan Anda (`opd_pengampu`) dari rencana
# **yang muat di bawah pagu**. Simpan di `renja_2026`.

# %%
### BEGIN SOLUTION
renja_2026 = tabel_renja(rencana_pagu, 2026, opd_pengampu)
### END SOLUTION

# %%
from spm_helpers.training import check  # sel pemeriksaan, tidak perlu diubah
check("m3.t5", lambda: renja_2026);

# %% [markdown]
# ## Diskusi
#
# 1. Jenis mana di OPD Anda yang tidak didanai penuh dengan pagu ini (`didanai` bernilai `False`; lihat
#    `kekurangan_anggaran` dan `sebab`)? Mengapa aturan "capaian terendah lebih dulu" membuat jenis itu menunggu?
# 2. Lintasan **didepankan** (`metode="didepankan"`) menutup kesenjangan lebih cepat di tahun-tahun awal. Jalankan
#    sel berikut: kapan lintasan ini cocok, dan apa akibatnya pada anggaran tahun pertama?

# %%
didepankan = build_rencana(data.sasaran, data.harga_satuan, ketersediaan=data.ketersediaan, metode="didepankan")
didepankan.rencana[didepankan.rencana["kode_jenis"] == kode_jenis][["tahun_rencana", "target_persen", "biaya"]]

# %% [markdown]
# ## Selesai
#
# Simpan notebook (Ctrl+S) dan serahkan berkas `.ipynb` ini kepada fasilitator bila diminta.
