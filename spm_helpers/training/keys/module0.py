"""Modul 0 — Pengenalan JupyterLab dan data SPM: run a cell, read a table, find a region."""
from __future__ import annotations

from spm_helpers.reference import catalog, regions
from spm_helpers.training.cases import TAHUN, TAHUN_LALU, data_kasus
from spm_helpers.training.comparers import Angka, Teks
from spm_helpers.training.registry import Modul, Petunjuk, Soal, register

JENIS_CONTOH = "KES-KK-01"  # ibu hamil: the example every OPD knows
WILAYAH_DICARI = "Kota Bengkulu"


def _baris(tahun: int = TAHUN, kode_jenis: str = JENIS_CONTOH):
    s = data_kasus().sasaran
    return s[(s["tahun"] == tahun) & (s["kode_jenis"] == kode_jenis)].iloc[0]


def _sasaran_tahun():
    s = data_kasus().sasaran
    return s[s["tahun"] == TAHUN].set_index("kode_jenis")["jumlah_sasaran"]


def _persen(r) -> float:
    return 100 * int(r["jumlah_terlayani"]) / int(r["jumlah_sasaran"])


MODUL = register(Modul(
    nomor=0,
    judul="Pengenalan JupyterLab dan data SPM",
    berkas="modul_0_pengenalan.ipynb",
    ringkasan="Menjalankan sel, membaca tabel, mencari kode wilayah dan jenis pelayanan.",
    menit_pengantar=15,
    soal=(
        Soal("m0.t1", "Menghitung jenis pelayanan kab/kota", lambda c: len(catalog.jenis("kabkota")), Angka(),
             (Petunjuk("Anda menghitung semua jenis (provinsi dan kab/kota). Soal ini hanya untuk kab/kota: "
                       "gunakan `len(catalog.jenis(\"kabkota\"))`.", nilai=lambda c: len(catalog.jenis())),
              Petunjuk("Itu jumlah jenis tingkat provinsi. Soal ini menanyakan tingkat kab/kota.",
                       nilai=lambda c: len(catalog.jenis("provinsi")))), menit=5),
        Soal("m0.t2", "Mencari kode wilayah", lambda c: regions.get(WILAYAH_DICARI).kode_wilayah, Teks(),
             (Petunjuk("Itu kode provinsi. Kode kabupaten/kota terdiri atas dua bagian dengan titik.",
                       nilai=lambda c: regions.get(WILAYAH_DICARI).kode_provinsi),
              Petunjuk("Itu kode wilayah kasus (Bengkulu Selatan). Soal ini menanyakan Kota Bengkulu.",
                       nilai=lambda c: "17.01")), menit=5),
        Soal("m0.t3", "Membaca satu angka dari tabel", lambda c: int(_baris()["jumlah_sasaran"]), Angka(bulat=True),
             (Petunjuk("Anda mengambil jumlah terlayani. Soal ini menanyakan jumlah sasaran.",
                       nilai=lambda c: int(_baris()["jumlah_terlayani"])),
              Petunjuk(f"Periksa tahunnya: soal ini untuk tahun {TAHUN}.",
                       nilai=lambda c: int(_baris(TAHUN_LALU)["jumlah_sasaran"]))), menit=10),
        Soal("m0.t4", "Menghitung persentase capaian penerima", lambda c: _persen(_baris()), Angka(toleransi=0.01),
             (Petunjuk("Pembagiannya terbalik: capaian = terlayani ÷ sasaran × 100.",
                       nilai=lambda c: 100 * int(_baris()["jumlah_sasaran"]) / int(_baris()["jumlah_terlayani"])),
              Petunjuk(f"Periksa tahunnya: soal ini untuk tahun {TAHUN}.",
                       nilai=lambda c: _persen(_baris(TAHUN_LALU)))), menit=10),
        Soal("m0.t5", "Jenis dengan sasaran terbesar", lambda c: str(_sasaran_tahun().idxmax()), Teks(),
             (Petunjuk("Itu jenis dengan sasaran terkecil. Cari yang terbesar: idxmax, atau urutkan menurun dengan "
                       "`sasaran.sort_values(\"jumlah_sasaran\", ascending=False)`.",
                       nilai=lambda c: str(_sasaran_tahun().idxmin())),
              Petunjuk("Tulis kode jenisnya (mis. `\"PDD-KK-01\"`), bukan namanya.",
                       nilai=lambda c: catalog.get_jenis(str(_sasaran_tahun().idxmax()))["nama"])), menit=10),
        Soal("m0.t6", "Arti sel kosong (NA)",
             "sha256:b8206ffee31d276f06fe80ec084de81f7fddbf292bb315b56fecba9c199a6343", Teks(soal_id="m0.t6"),
             (Petunjuk("Kosong tidak sama dengan nol. Nol berarti sudah dihitung dan hasilnya nol; kosong berarti "
                       "belum ada datanya. Menganggap kosong sebagai nol menurunkan capaian secara keliru.",
                       nilai=lambda c: "Nol: tidak ada yang dilayani"),), dinilai=False, menit=5),
    ),
))
