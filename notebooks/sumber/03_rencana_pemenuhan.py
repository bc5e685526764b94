# %% [markdown]
# # 03 · Penyusunan Rencana Pemenuhan Pelayanan Dasar
#
# Tahap ketiga menyusun **rencana pemenuhan**: target capaian penerima setiap tahun selama periode
# perencanaan (periode RPJMD, lima tahun), jumlah warga yang harus dilayani, dan biayanya. Rencana ini
# dimuat ke RPJMD dan Renstra perangkat daerah, lalu setiap tahun ke RKPD, Renja, KUA-PPAS, dan APBD.
#
# Tiga cara menyusun target:
#
# - **merata**: kesenjangan capaian tahun dasar ditutup sama besar setiap tahun sampai 100%;
# - **didepankan**: kesenjangan ditutup lebih cepat di tahun-tahun awal;
# - **pagu**: belanja tambahan per tahun dibatasi; jenis dengan capaian terendah didahulukan, lalu yang paling
#   murah per orang tambahan. Dengan pagu yang kecil, sebagian jenis belum mencapai 100% pada akhir periode
#   dan kekurangannya dicatat sebagai *kekurangan anggaran*.
#
# Warga yang sudah terlayani dan stok butir mutu yang sudah ada pada tahun data tetap dibiayai anggaran
# berjalan, sehingga **target tidak pernah di bawah capaian tahun data** (pagu 0 berarti target tetap). Biaya
# rencana adalah **tambahan** penyediaan per butir mutu di atas yang sudah tersedia: orang baru yang dilayani
# dan kekurangan mutu orang yang sudah dilayani. Biaya tahun terakhir sama dengan biaya menutup kekurangan
# pada tahap 2.

# %% tags=["parameters"]
kode_wilayah = "32.75"  # kode wilayah Kemendagri: provinsi "32", kabupaten/kota "32.75"
tahun = 2025  # tahun data (tahun laporan)
data_dir = None  # None: data contoh bawaan; atau folder berisi sasaran.csv, ketersediaan.csv, harga_satuan.csv
output_dir = "hasil"  # folder hasil (CSV dan ringkasan JSON); dibuat bila belum ada
aturan = "permenkes_6_2024"  # aturan mutu kesehatan: "permenkes_6_2024" atau "permenkes_4_2019"
lama = 5  # lama periode rencana (tahun)
metode = "merata"  # "merata", "didepankan", atau "pagu"
pagu = None  # pagu per tahun dalam rupiah, wajib bila metode "pagu"
pertumbuhan_sasaran = 0.0  # pertumbuhan sasaran per tahun, mis. 0.01 untuk 1%
kenaikan_harga = 0.0  # kenaikan harga per tahun, mis. 0.03 untuk 3%
tahun_rkpd = None  # tahun RKPD/Renja yang ditampilkan; None: tahun pertama rencana

# %% tags=["remove-input"]
from spm_helpers import region
from spm_helpers.views import charts, stage_charts, stage_pages, tables
from spm_helpers.views.blocks import figure
from spm_helpers.views.pagu_widget import PenjelajahPagu

data = region.load_region_data(kode_wilayah, tahun, data_dir, aturan=aturan)
rencana = stage_pages.rencana_wilayah(data, lama=lama, metode=metode, pagu=pagu,
                                 pertumbuhan_sasaran=pertumbuhan_sasaran, kenaikan_harga=kenaikan_harga)
tahun_rkpd = tahun + 1 if tahun_rkpd is None else tahun_rkpd
stage_pages.keterangan_data(data)

# %% [markdown]
# ## 1. Kapan setiap jenis mencapai 100%
#
# Capaian awal adalah capaian penerima tahun data; target akhir adalah target tahun terakhir rencana.

# %% tags=["remove-input"]
stage_pages.tabel_status(rencana)

# %% [markdown]
# ## 2. Lintasan target per bidang (rata-rata jenis dalam bidang)

# %% tags=["remove-input"]
figure(charts.lintasan_rencana(tables.target_rencana_per_bidang(rencana.rencana), label="nama",
                               judul="Lintasan target rata-rata per bidang"))

# %% [markdown]
# ## 3. Biaya rencana per tahun dan per bidang

# %% tags=["remove-input"]
figure(stage_charts.anggaran_rencana(rencana.anggaran))

# %% tags=["remove-input"]
tables.tabel_biaya_rencana_bidang(rencana.rencana)

# %% [markdown]
# ## 4. Bagaimana jika anggaran dibatasi? (simulasi pagu)
#
# Geser penggeser untuk mengubah pagu per tahun (dalam miliar rupiah). Grafik dan tabel disusun ulang dengan
# metode **pagu**: pagu lebih dulu mempertahankan tambahan yang sudah didanai tahun sebelumnya, sisanya untuk
# jenis dengan capaian terendah lebih dulu; target tidak pernah turun, dan tabel di bawah grafik menjelaskan
# mengapa sebuah jenis belum mencapai 100% (kekurangan anggarannya). Penggeser hanya tampil di JupyterLab;
# tabel skenario di bawahnya menunjukkan tiga pagu tetap dan juga tampil di laporan.

# %% tags=["remove-input"]
penjelajah = PenjelajahPagu(data, lama=lama)
penjelajah

# %% tags=["remove-input"]
stage_pages.tabel_skenario(stage_pages.skenario_pagu(data, lama=lama))

# %% [markdown]
# ## 5. Tabel untuk dokumen perencanaan
#
# ### RPJMD dan Renstra: kondisi awal, target per tahun, dan kondisi akhir

# %% tags=["remove-input"]
stage_pages.tabel_rpjmd(rencana)

# %% [markdown]
# ### RKPD: satu tahun rencana (program, target, tambahan orang, biaya, yang didanai dan belum)

# %% tags=["remove-input"]
stage_pages.tabel_rkpd(rencana, tahun_rkpd)

# %% [markdown]
# ### Renja: satu tabel per perangkat daerah pengampu

# %% tags=["remove-input"]
stage_pages.renja_semua_opd(rencana, tahun_rkpd)

# %% [markdown]
# ### Butir tambahan: apa yang dibeli dan siapa yang direkrut

# %% tags=["remove-input"]
stage_pages.tabel_butir_tambahan(rencana, tahun_rkpd)

# %% [markdown]
# ## 6. Menyimpan hasil
#
# Rencana per jenis dan tahun (`rencana.csv`), status per jenis, anggaran per tahun, bentuk RPJMD dan RKPD,
# serta ringkasan `rencana.json`.

# %% tags=["remove-input"]
stage_pages.save_plan(rencana, data, output_dir, metode=metode, lama=lama, pagu=pagu, tahun_rkpd=tahun_rkpd)
