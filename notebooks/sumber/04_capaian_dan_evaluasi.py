# %% [markdown]
# # 04 · Capaian dan Evaluasi Penerapan SPM
#
# Tahap keempat melaksanakan pemenuhan pelayanan dasar; hasilnya diukur dengan **Indeks Pencapaian SPM
# (IP-SPM)**:
#
# - capaian penerima = jumlah terlayani ÷ jumlah sasaran × 100% (paling tinggi 100%);
# - capaian mutu = rata-rata capaian butir mutu (tersedia ÷ kebutuhan, paling tinggi 100%);
# - indeks jenis = 80% capaian penerima + 20% capaian mutu;
# - indeks bidang = rata-rata indeks jenisnya; IP-SPM daerah = rata-rata indeks bidang.
#
# Jenis tanpa sasaran atau dengan data belum lengkap tidak ikut dirata-rata (bukan dianggap 0 atau 100).
# Evaluasi kemudian melihat perkembangan dari tahun ke tahun, membandingkan realisasi dengan target rencana,
# memetakan kondisi awal untuk tahun berikutnya, dan membandingkan daerah ini dengan daerah sejawat.

# %% tags=["parameters"]
kode_wilayah = "32.75"  # kode wilayah Kemendagri: provinsi "32", kabupaten/kota "32.75"
tahun = 2025  # tahun data (tahun laporan)
data_dir = None  # None: data contoh bawaan; atau folder berisi sasaran.csv, ketersediaan.csv, harga_satuan.csv
output_dir = "hasil"  # folder hasil (CSV dan ringkasan JSON); dibuat bila belum ada
aturan = "permenkes_6_2024"  # aturan mutu kesehatan: "permenkes_6_2024" atau "permenkes_4_2019"
tahun_awal = None  # tahun pertama yang dievaluasi; None: empat tahun sebelum `tahun`
jumlah_sejawat = 10  # jumlah daerah sejawat (tipe sama, penduduk terdekat) yang dibandingkan

# %% tags=["remove-input"]
from spm_helpers import region
from spm_helpers.views import evaluation, stage_pages

data = region.load_region_data(kode_wilayah, tahun, data_dir, tahun_awal=tahun_awal, aturan=aturan)
ip = evaluation.ip_spm(data)
stage_pages.keterangan_data(data)

# %% [markdown]
# ## 1. IP-SPM tahun ini

# %% tags=["remove-input"]
evaluation.kotak_indeks(ip, data)

# %% tags=["remove-input"]
evaluation.bidang_tahun(ip, data)

# %% [markdown]
# ## 2. Capaian per jenis pelayanan dasar

# %% tags=["remove-input"]
evaluation.tabel_capaian_jenis(ip, data)

# %% [markdown]
# ## 3. Perkembangan dari tahun ke tahun
#
# Garis menunjukkan IP-SPM daerah dan indeks setiap bidang; pita abu-abu di belakangnya adalah kategori
# capaian. Peta warna di bawahnya menunjukkan capaian penerima setiap jenis per tahun (makin gelap makin
# rendah).

# %% tags=["remove-input"]
evaluation.tren(ip, data)

# %% [markdown]
# ## 4. Target rencana dibanding realisasi
#
# Target diambil dari rencana pemenuhan yang disusun dari tahun pertama data (metode merata); realisasi adalah
# capaian penerima tahun-tahun berikutnya. Jenis yang tertinggal dari targetnya perlu perhatian pada
# perencanaan tahun depan.

# %% tags=["remove-input"]
target_realisasi = evaluation.target_vs_realisasi(data, ip)
evaluation.bagian_tvr(target_realisasi, data)

# %% [markdown]
# ## 5. Pemetaan kondisi awal dan usulan target
#
# Kondisi tahun ini menjadi kondisi awal perencanaan berikutnya. Prioritas 1 adalah jenis dengan indeks
# terendah. Usulan target menutup kesenjangan capaian penerima secara merata dalam lima tahun.

# %% tags=["remove-input"]
pemetaan, usulan = evaluation.pemetaan_dan_usulan(ip, data)
evaluation.bagian_pemetaan(pemetaan, usulan, data)

# %% [markdown]
# ## 6. Perbandingan dengan daerah sejawat
#
# Daerah sejawat adalah daerah dengan tipe yang sama (provinsi, kabupaten, atau kota) dan jumlah penduduk
# terdekat, di antara daerah yang datanya ada di folder data.

# %% tags=["remove-input"]
sejawat = evaluation.sejawat(data, data_dir, jumlah=jumlah_sejawat)
evaluation.bagian_sejawat(sejawat, data)

# %% [markdown]
# ## 7. Menyimpan hasil

# %% tags=["remove-input"]
evaluation.save_evaluation(ip, data, output_dir, tvr=target_realisasi, pemetaan=pemetaan, usulan=usulan,
                         sejawat=sejawat)
