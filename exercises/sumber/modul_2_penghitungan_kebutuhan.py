# %% [markdown]
# # Modul 2 — Penghitungan kebutuhan
#
# **Perkiraan waktu: 80 menit** · Kasus: Kabupaten Bengkulu Selatan (17.01), tahun 2025 · *data contoh (sintetis)*,
# sesudah perbaikan di Modul 1.
#
# Untuk setiap butir mutu (barang, jasa, SDM) sebuah jenis pelayanan:
#
# | Langkah | Rumus |
# |---|---|
# | Kebutuhan | jumlah sasaran × jumlah per sasaran, **dibulatkan ke atas** |
# | Kekurangan | kebutuhan − tersedia, **paling kecil 0** (kelebihan dicatat sebagai surplus, bukan kebutuhan negatif) |
# | Biaya | kekurangan × harga satuan (harga SSH daerah bila ada; bila tidak, harga acuan katalog), rupiah bulat |
#
# Anda menghitung **satu butir dengan tangan**, lalu **seluruh jenis dengan fungsi** `compute_kebutuhan`.

# %% tags=["parameters"]
# Isi nama dan OPD Anda di antara tanda kutip, lalu jalankan sel ini dan sel berikutnya (Shift+Enter).
nama_peserta = ""
opd = ""

# %%
from spm_helpers.training import check, start

start(nama_peserta, opd, modul=2)

# %%
import math

from spm_helpers import fmt
from spm_helpers.reference import catalog
from spm_helpers.training.cases import butir_latihan, data_kasus, jenis_latihan

kode_jenis = jenis_latihan(opd)     # jenis milik OPD Anda; boleh diganti dengan jenis lain milik OPD Anda
kode_item = butir_latihan(kode_jenis)  # butir untuk hitungan tangan
data = data_kasus()
print("Jenis latihan:", kode_jenis, "-", catalog.get_jenis(kode_jenis)["nama"])
print("Butir latihan:", kode_item)
catalog.mutu(kode_jenis=kode_jenis)[["kode_item", "nama", "satuan", "jumlah_per_sasaran", "harga_satuan_acuan"]]

# %% [markdown]
# ## 1. Satu butir dengan tangan
#
# Sel berikut mengambil angka-angka yang Anda perlukan untuk butir latihan.

# %%
s = data.sasaran
jumlah_sasaran = int(s.loc[(s["tahun"] == 2025) & (s["kode_jenis"] == kode_jenis), "jumlah_sasaran"].iloc[0])
butir = catalog.mutu(kode_jenis=kode_jenis).set_index("kode_item").loc[kode_item]
jumlah_per_sasaran = float(butir["jumlah_per_sasaran"])
harga_acuan = int(butir["harga_satuan_acuan"])
k = data.ketersediaan
tersedia = int(k.loc[(k["tahun"] == 2025) & (k["kode_item"] == kode_item), "jumlah_tersedia"].iloc[0])
h = data.harga_satuan
ssh = h.loc[(h["tahun"] == 2025) & (h["kode_item"] == kode_item), "harga_satuan"]
harga_ssh = int(ssh.iloc[0]) if len(ssh) else None

print("Butir             :", butir["nama"], f"({butir['satuan']})")
print("Jumlah sasaran    :", fmt.angka(jumlah_sasaran))
print("Jumlah per sasaran:", jumlah_per_sasaran)
print("Tersedia          :", fmt.angka(tersedia))
print("Harga SSH daerah  :", fmt.rupiah(harga_ssh) if harga_ssh is not None else "tidak ada")
print("Harga acuan       :", fmt.rupiah(harga_acuan))

# %% [markdown]
# **Soal 1 (10 menit).** Hitung **kebutuhan** butir ini dan simpan di `kebutuhan_butir`. Petunjuk: `math.ceil(x)`
# membulatkan ke atas.

# %%
### BEGIN SOLUTION
kebutuhan_butir = math.ceil(jumlah_sasaran * jumlah_per_sasaran)
### END SOLUTION

# %%
from spm_helpers.training import check  # sel pemeriksaan, tidak perlu diubah
check("m2.t1", lambda: kebutuhan_butir);

# %% [markdown]
# **Soal 2 (10 menit).** Hitung **kekurangan** butir ini dan simpan di `kekurangan_butir`. Petunjuk: `max(0, x)`
# memberi 0 bila `x` negatif.

# %%
### BEGIN SOLUTION
kekurangan_butir = max(0, kebutuhan_butir - tersedia)
### END SOLUTION

# %%
from spm_helpers.training import check  # sel pemeriksaan, tidak perlu diubah
check("m2.t2", lambda: kekurangan_butir);

# %% [markdown]
# **Soal 3 (10 menit).** Hitung **biaya** memenuhi kekurangan itu, dalam rupiah penuh, dan simpan di `biaya_butir`.
# Pilih harga yang benar: `harga_ssh` bila ada (bukan `None`), selain itu `harga_acuan`.

# %%
### BEGIN SOLUTION
harga_dipakai = harga_ssh if harga_ssh is not None else harga_acuan
biaya_butir = kekurangan_butir * harga_dipakai
### END SOLUTION

# %%
from spm_helpers.training import check  # sel pemeriksaan, tidak perlu diubah
check("m2.t3", lambda: biaya_butir);

# %% [markdown]
# ## 2. Seluruh jenis dengan fungsi
#
# `compute_kebutuhan(sasaran, ketersediaan, harga_satuan)` melakukan tiga langkah tadi untuk **semua butir**
# sekaligus dan memilih harga dengan aturan yang sama (kolom `sumber_harga`). Contoh untuk jenis lain
# (PAUD, `PDD-KK-01`; bila itu jenis latihan Anda, contohnya ibu hamil, `KES-KK-01`):

# %%
from spm_helpers.engine.needs import compute_kebutuhan

jenis_contoh = "PDD-KK-01" if kode_jenis != "PDD-KK-01" else "KES-KK-01"
sasaran_contoh = s[(s["tahun"] == 2025) & (s["kode_jenis"] == jenis_contoh)]
compute_kebutuhan(sasaran_contoh, data.ketersediaan, data.harga_satuan)[
    ["kode_item", "kebutuhan", "tersedia", "kekurangan", "surplus", "harga_satuan", "sumber_harga", "biaya"]]

# %% [markdown]
# Perhatikan kolom `surplus`: tahun ini ada hibah sehingga satu butir tersedia **melebihi** kebutuhan.
# Kelebihan itu tidak mengurangi kekurangan butir lain (buku tidak dapat menggantikan guru).
#
# **Soal 4 (15 menit).** Dengan `compute_kebutuhan`, hitung **total biaya** jenis latihan Anda (`kode_jenis`)
# tahun 2025, dan simpan di `total_biaya`. Petunjuk: saring dulu tabel sasaran (tahun dan jenis), lalu
# jumlahkan kolom `biaya` dengan `.sum()`.

# %%
### BEGIN SOLUTION
sasaran_jenis = s[(s["tahun"] == 2025) & (s["kode_jenis"] == kode_jenis)]
total_biaya = compute_kebutuhan(sasaran_jenis, data.ketersediaan, data.harga_satuan)["biaya"].sum()
### END SOLUTION

# %%
from spm_helpers.training import check  # sel pemeriksaan, tidak perlu diubah
check("m2.t4", lambda: total_biaya);

# %% [markdown]
# **Soal 5 (15 menit).** Buat tabel untuk jenis latihan Anda tahun 2025 dengan kolom `kode_item`, `kekurangan`
# dan `biaya`, satu baris per butir. Simpan di `tabel_butir`.

# %%
### BEGIN SOLUTION
sasaran_jenis = s[(s["tahun"] == 2025) & (s["kode_jenis"] == kode_jenis)]
tabel_butir = compute_kebutuhan(sasaran_jenis, data.ketersediaan, data.harga_satuan)[["kode_item", "kekurangan", "biaya"]]
### END SOLUTION

# %%
from spm_helpers.training import check  # sel pemeriksaan, tidak perlu diubah
check("m2.t5", lambda: tabel_butir);

# %% [markdown]
# **Soal 6 (5 menit).** Butir mana yang **biayanya terbesar**? Tulis kode butirnya (teks) di `butir_termahal`.
# Apakah hasil hitungan tangan Anda di Soal 3 sama dengan baris butir latihan di `tabel_butir`?

# %%
### BEGIN SOLUTION
butir_termahal = tabel_butir.set_index("kode_item")["biaya"].idxmax()
### END SOLUTION

# %%
from spm_helpers.training import check  # sel pemeriksaan, tidak perlu diubah
check("m2.t6", lambda: butir_termahal);

# %% [markdown]
# ## Selesai
#
# Simpan notebook (Ctrl+S) dan serahkan berkas `.ipynb` ini kepada fasilitator bila diminta.
