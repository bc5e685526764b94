# %% [markdown]
# # Modul 4 — Capaian dan pelaporan
#
# **Perkiraan waktu: 85 menit** · Kasus: Kabupaten Bengkulu Selatan (17.01), tahun 2025 · *data contoh (sintetis)*:
# data akhir tahun 2025 yang sudah dikonfirmasi OPD.
#
# Tahap keempat penerapan SPM: mengukur **capaian** dan melaporkannya. Indeks Pencapaian SPM (IP-SPM) dihitung
# bertingkat:
#
# | Ukuran | Cara menghitung |
# |---|---|
# | Capaian penerima | terlayani ÷ sasaran × 100, **paling tinggi 100** |
# | Capaian mutu | rata-rata capaian butir mutu (tersedia ÷ kebutuhan × 100, paling tinggi 100 per butir) |
# | Indeks jenis | **0,8** × capaian penerima + **0,2** × capaian mutu (bobot 80/20) |
# | Indeks bidang | rata-rata indeks jenis di bidang itu |
# | IP-SPM kabupaten | rata-rata indeks **bidang** (setiap bidang berbobot sama) |
#
# Jenis yang sasarannya 0 berstatus **tidak ada sasaran**: tidak dinilai dan tidak ikut dirata-rata (bukan 0, bukan
# 100). Nilai indeks lalu diberi **kategori**, dari Belum Tuntas sampai Tuntas Paripurna.

# %% tags=["parameters"]
# Isi nama dan OPD Anda di antara tanda kutip, lalu jalankan sel ini dan sel berikutnya (Shift+Enter).
nama_peserta = ""
opd = ""

# %%
from spm_helpers.training import check, start

start(nama_peserta, opd, modul=4)

# %%
from spm_helpers import fmt
from spm_helpers.engine.achievement import assign_kategori, compute_capaian, compute_ip_spm
from spm_helpers.reference import catalog
from spm_helpers.training.cases import jenis_latihan
from spm_helpers.training.cases_advanced import data_akhir_tahun
from spm_helpers.views import charts

kode_jenis = jenis_latihan(opd)  # jenis milik OPD Anda; boleh diganti dengan jenis lain milik OPD Anda
data = data_akhir_tahun()
s2025 = data.sasaran[data.sasaran["tahun"] == 2025]
print("Jenis latihan:", kode_jenis, "-", catalog.get_jenis(kode_jenis)["nama"])

# %% [markdown]
# ## 1. Capaian penerima
#
# Dinas Kesehatan melaporkan **bayi baru lahir** (`KES-KK-03`) yang dilayani lebih banyak daripada sasarannya. Sasaran
# adalah proyeksi jumlah kelahiran, sedangkan RSUD juga melayani persalinan ibu dari kabupaten tetangga. Angka ini
# sudah dikonfirmasi: bukan salah isi. Berikut baris-baris bidang kesehatan:

# %%
kesehatan = s2025[s2025["kode_jenis"].str.startswith("KES")].copy()
kesehatan[["kode_jenis", "jumlah_sasaran", "jumlah_terlayani"]]

# %% [markdown]
# Operasi pada kolom berlaku untuk semua baris sekaligus: `100 * tabel["a"] / tabel["b"]` menghitung satu nilai per
# baris. `.clip(upper=100)` memotong nilai di atas 100 menjadi 100, seperti `min(100, x)` untuk satu angka.
#
# **Soal 1 (15 menit).** Tambahkan kolom `capaian_penerima` (persen 0–100) ke tabel `kesehatan`, lalu simpan tabel
# berkolom `kode_jenis` dan `capaian_penerima` di `capaian_kesehatan`.

# %%
### BEGIN SOLUTION
kesehatan["capaian_penerima"] = (100 * kesehatan["jumlah_terlayani"] / kesehatan["jumlah_sasaran"]).clip(upper=100)
capaian_kesehatan = kesehatan[["kode_jenis", "capaian_penerima"]]
### END SOLUTION

# %%
from spm_helpers.training import check  # sel pemeriksaan, tidak perlu diubah
check("m4.t1", lambda: capaian_kesehatan);

# %% [markdown]
# ## 2. Indeks satu jenis
#
# `compute_capaian(sasaran, ketersediaan)` menghitung capaian penerima dan capaian mutu setiap jenis. Berikut
# jenis-jenis milik OPD Anda (kolom indeks sengaja belum ditampilkan):

# %%
capaian = compute_capaian(s2025, data.ketersediaan)
opd_pengampu = catalog.get_jenis(kode_jenis)["opd_pengampu"]
jenis_opd = catalog.jenis("kabkota").query("opd_pengampu == @opd_pengampu")["kode_jenis"]
capaian[capaian["kode_jenis"].isin(jenis_opd)][["kode_jenis", "jumlah_sasaran", "jumlah_terlayani",
                                                "capaian_penerima", "jumlah_butir", "capaian_mutu", "status"]]

# %% [markdown]
# **Soal 2 (10 menit).** Hitung **indeks** jenis latihan Anda (`kode_jenis`) dari capaian penerima dan capaian mutunya
# di tabel `capaian`, dengan bobot 80/20. Simpan di `indeks_jenis`.

# %%
### BEGIN SOLUTION
baris_jenis = capaian[capaian["kode_jenis"] == kode_jenis].iloc[0]
indeks_jenis = 0.8 * baris_jenis["capaian_penerima"] + 0.2 * baris_jenis["capaian_mutu"]
### END SOLUTION

# %%
from spm_helpers.training import check  # sel pemeriksaan, tidak perlu diubah
check("m4.t2", lambda: indeks_jenis);

# %% [markdown]
# ## 3. IP-SPM kabupaten
#
# Sekarang lihat indeks semua jenis. Perhatikan jenis berstatus "tidak ada sasaran": indeksnya **kosong** (NaN).
# `.mean()` di pandas melewati nilai kosong, jadi jenis itu otomatis tidak ikut dirata-rata. Jangan mengisinya dengan
# 0 atau 100.

# %%
capaian[["kode_jenis", "kode_bidang", "capaian_penerima", "capaian_mutu", "indeks", "kategori", "status"]]

# %% [markdown]
# **Soal 3 (20 menit).** Dari tabel `capaian`, hitung **IP-SPM Kabupaten Bengkulu Selatan 2025**: rata-rata indeks
# per bidang, lalu rata-rata indeks bidang. Simpan di `ip_spm`. Petunjuk: `tabel.groupby("kode_bidang")["indeks"]`
# mengelompokkan indeks per bidang; `.mean()` merata-ratakan.

# %%
### BEGIN SOLUTION
indeks_per_bidang = capaian.groupby("kode_bidang")["indeks"].mean()
ip_spm = indeks_per_bidang.mean()
### END SOLUTION

# %%
from spm_helpers.training import check  # sel pemeriksaan, tidak perlu diubah
check("m4.t3", lambda: ip_spm);

# %% [markdown]
# `compute_ip_spm` menghitung ketiga tingkat sekaligus (`.jenis`, `.bidang`, `.wilayah`). Grafik berikut siap dipakai
# di laporan: batang per bidang di atas pita kategori.

# %%
ip = compute_ip_spm(s2025, data.ketersediaan)
ip.bidang[["bidang", "jumlah_jenis", "jumlah_jenis_dinilai", "jumlah_jenis_tanpa_sasaran", "indeks", "kategori"]]

# %% [markdown]
# Di samping IP-SPM, e-SPM juga menilai **tingkat keterisian**: jenis berdata lengkap dibagi 29 jenis wajib
# kabupaten/kota (dihitung dari katalog, bukan dari baris yang ada). Kolom `ip_spm_data_kosong_nol` menghitung jenis
# tanpa data lengkap sebagai 0: daerah yang mengosongkan data tidak diuntungkan.

# %%
ip.wilayah[["jumlah_jenis_wajib", "jumlah_jenis_lengkap", "jumlah_jenis_dinilai", "keterisian", "indeks",
            "ip_spm_data_kosong_nol", "kategori"]]

# %%
charts.capaian_per_bidang(ip.bidang, judul="IP-SPM per bidang — Kab. Bengkulu Selatan 2025 (data contoh)");

# %% [markdown]
# ## 4. Kategori
#
# Setiap rentang kategori **memuat batas bawahnya dan tidak memuat batas atasnya**; Tuntas Paripurna hanya untuk
# nilai tepat 100. Nilai tidak dibulatkan lebih dulu. Urutannya mengikuti urutan pangkat (pratama < muda < madya <
# utama); ambang ini adalah skema bawaan `bawaan_2026` yang cocok dengan semua angka kategori yang pernah terbit
# (perlu verifikasi terhadap pedoman resmi).

# %%
catalog.kategori_capaian()[["kategori", "batas_bawah", "batas_atas"]]

# %% [markdown]
# **Soal 4 (10 menit).** Tentukan kategori setiap nilai di `nilai_uji` (urutannya sama). Simpan daftar delapan nama
# kategori di `kategori_uji`. Anda boleh membaca tabel di atas lalu menuliskannya sendiri, atau memakai
# `assign_kategori(nilai)`.

# %%
nilai_uji = [49.99, 50, 64.99, 65, 94.9, 95, 99.99, 100]

# %%
### BEGIN SOLUTION
kategori_uji = [assign_kategori(v) for v in nilai_uji]
### END SOLUTION

# %%
from spm_helpers.training import check  # sel pemeriksaan, tidak perlu diubah
check("m4.t4", lambda: kategori_uji);

# %% [markdown]
# ## 5. Paragraf laporan
#
# Angka di laporan sebaiknya diambil langsung dari hasil hitungan, bukan diketik ulang. f-string menyisipkan nilai
# variabel ke dalam teks: `f"Nilainya {fmt.angka(x, 2)}."` menjadi "Nilainya 12,35." (koma desimal, seperti di
# dokumen resmi).
#
# **Soal 5 (15 menit).** Tulis satu paragraf laporan (teks) yang menyebut: (1) IP-SPM kabupaten 2025 dengan **dua
# angka desimal**, (2) **kategorinya**, dan (3) **bidang dengan indeks terendah** (namanya, dari `ip.bidang`).
# Simpan di `paragraf`.

# %%
### BEGIN SOLUTION
kategori_kabupaten = assign_kategori(ip_spm)
bidang_terendah = ip.bidang.sort_values("indeks").iloc[0]["bidang"]
paragraf = (f"Indeks Pencapaian SPM Kabupaten Bengkulu Selatan tahun 2025 adalah {fmt.angka(ip_spm, 2)} dengan "
            f"kategori {kategori_kabupaten}. Bidang dengan indeks terendah adalah {bidang_terendah}, sehingga "
            "bidang ini perlu diprioritaskan dalam rencana tahun berikutnya.")
### END SOLUTION

# %%
from spm_helpers.training import check  # sel pemeriksaan, tidak perlu diubah
check("m4.t5", lambda: paragraf);

# %% [markdown]
# ## Diskusi
#
# Mengapa IP-SPM dirata-ratakan per bidang lebih dulu? Bandingkan dengan rata-rata langsung semua jenis: bidang
# mana yang "mendominasi" bila jenis dirata-ratakan langsung?

# %% [markdown]
# ## Selesai
#
# Simpan notebook (Ctrl+S) dan serahkan berkas `.ipynb` ini kepada fasilitator bila diminta.
