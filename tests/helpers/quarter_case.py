"""A small hand-worked quarterly case (issue 14): one kabupaten/kota, year 2025, quarters 1 and 2.

Written so every figure of the quarter pack and of the annual report's budget and problem chapters can be
checked by hand (see the arithmetic in the comments).

- KES-KK-01 (ibu hamil): sasaran 1 000; cumulative terlayani Q1 250, Q2 500, annual 980.
  Budget in two sources:  APBD   alokasi 400 000 000 (Q1, Q2); realisasi Q1 100 000 000, Q2 250 000 000
                          DAK nonfisik alokasi 100 000 000;   realisasi Q1  20 000 000, Q2  60 000 000
  → Q2 per jenis: alokasi 500 000 000, realisasi 310 000 000, rate 62 %;  Q1: 120 000 000 / 500 000 000 = 24 %.
  One problem in Q2 with its solusi (status 'dalam penanganan').
- KES-KK-02 (ibu bersalin): sasaran 900, terlayani Q2 450; APBD alokasi 200 000 000, realisasi Q2 50 000 000
  (25 %); Q2 problem row 'tidak ada permasalahan'.
- every other jenis: no rows (belum dilaporkan).
- tahapan: stages 1–3 'selesai' (dated in Q1/Q2 with a document number), stage 4 'dalam proses', rencana aksi
  'selesai' without a document number.
"""
from __future__ import annotations

from pathlib import Path

import pandas as pd

from spm_helpers.inputs import datastore
from spm_helpers.reference import catalog

KODE = "32.75"
TAHUN = 2025


def tables() -> dict[str, pd.DataFrame]:
    s = []
    for t, lay1, lay2 in ((1, 250, 225), (2, 500, 450), (pd.NA, 980, 880)):
        s.append({"kode_wilayah": KODE, "tahun": TAHUN, "kode_jenis": "KES-KK-01", "jumlah_sasaran": 1000,
                  "jumlah_terlayani": lay1, "sumber_data": "kasus uji", "triwulan": t})
        s.append({"kode_wilayah": KODE, "tahun": TAHUN, "kode_jenis": "KES-KK-02", "jumlah_sasaran": 900,
                  "jumlah_terlayani": lay2, "sumber_data": "kasus uji", "triwulan": t})
    sasaran = pd.DataFrame(s)
    sasaran["triwulan"] = sasaran["triwulan"].astype("Int64")
    mutu = catalog.mutu()
    k = [{"kode_wilayah": KODE, "tahun": TAHUN, "kode_jenis": r.kode_jenis, "kode_item": r.kode_item,
          "jumlah_tersedia": 100_000} for r in mutu[mutu["kode_jenis"].isin(["KES-KK-01", "KES-KK-02"])].itertuples()]
    ketersediaan = pd.DataFrame(k)
    a = []
    for t, apbd, dak, bersalin in ((1, 100_000_000, 20_000_000, None), (2, 250_000_000, 60_000_000, 50_000_000)):
        a.append(("KES-KK-01", t, "APBD", 400_000_000, apbd))
        a.append(("KES-KK-01", t, "DAK nonfisik", 100_000_000, dak))
        if bersalin is not None:
            a.append(("KES-KK-02", t, "APBD", 200_000_000, bersalin))
    anggaran = pd.DataFrame([{"kode_wilayah": KODE, "tahun": TAHUN, "triwulan": t, "kode_jenis": j, "sumber_dana": s,
                              "alokasi": al, "realisasi": re} for j, t, s, al, re in a])
    permasalahan = pd.DataFrame([
        {"kode_wilayah": KODE, "tahun": TAHUN, "triwulan": 2, "kode_jenis": "KES-KK-01",
         "permasalahan": "Bidan desa kurang di dua kecamatan", "solusi": "Penempatan bidan PPPK",
         "status": "dalam penanganan"},
        {"kode_wilayah": KODE, "tahun": TAHUN, "triwulan": 2, "kode_jenis": "KES-KK-02",
         "permasalahan": None, "solusi": None, "status": "tidak ada permasalahan"},
    ])
    tahapan = pd.DataFrame([
        {"kode_wilayah": KODE, "tahun": TAHUN, "tahapan": "1", "status": "selesai", "tanggal": "2025-02-10",
         "nomor_dokumen": "LAP-01/2025"},
        {"kode_wilayah": KODE, "tahun": TAHUN, "tahapan": "2", "status": "selesai", "tanggal": "2025-03-20",
         "nomor_dokumen": "LAP-02/2025"},
        {"kode_wilayah": KODE, "tahun": TAHUN, "tahapan": "3", "status": "selesai", "tanggal": "2025-05-15",
         "nomor_dokumen": "RKPD-2026"},
        {"kode_wilayah": KODE, "tahun": TAHUN, "tahapan": "4", "status": "dalam proses", "tanggal": "2025-01-02",
         "nomor_dokumen": None},
        {"kode_wilayah": KODE, "tahun": TAHUN, "tahapan": "rencana_aksi", "status": "selesai",
         "tanggal": "2025-04-30", "nomor_dokumen": None},
    ])
    return {"sasaran": sasaran, "ketersediaan": ketersediaan, "harga_satuan": pd.DataFrame(
        columns=["kode_wilayah", "tahun", "kode_item", "harga_satuan"]), "anggaran": anggaran,
        "permasalahan": permasalahan, "tahapan": tahapan}


def write(folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    datastore.save(tables(), folder)
    return folder
