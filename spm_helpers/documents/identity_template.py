"""Blank identity files an office fills in: one ``<kode>.yaml`` per region, with Indonesian comments.

Writing the YAML by hand from the README is where a Bappeda officer new to YAML goes wrong (an unquoted
NIP, a misspelt key, a file for Kota Bekasi saved as ``bekasi.yaml``). The template has every key
``identity.read`` knows, empty, with what each one prints and the default that region gets when it stays
empty (its kepala daerah's title, its signing place). An untouched template reads as the placeholders, so
a folder of templates can go into a batch on day one and be filled in region by region. Existing files are
never overwritten: they are what the office has typed.
"""
from __future__ import annotations

from pathlib import Path

from spm_helpers.documents.identity import KERTAS, region_file
from spm_helpers.documents.regional_report import kepala_daerah, tempat_bawaan
from spm_helpers.errors import SPMValueError
from spm_helpers.files import write_text
from spm_helpers.reference import regions


def template(kode_wilayah: str, kertas: str = "A4") -> str:
    """The blank identity file of one region as YAML text."""
    w = regions.get(kode_wilayah)
    return f"""\
# Identitas daerah untuk dokumen SPM: {w.nama} ({w.kode_wilayah})
# Isi nilai sesudah tanda titik dua. Nilai yang dibiarkan kosong tercetak sebagai isian [dalam kurung
# siku] yang dilengkapi sebelum dokumen ditandatangani. Simpan dengan pengodean UTF-8.
kode_wilayah: "{w.kode_wilayah}"   # jangan diubah: berkas ini ditolak untuk wilayah lain

kepala_daerah:
  nama:        # mis. Dr. H. Nama Lengkap, M.M.
  jabatan:     # kosong: "{kepala_daerah(w)}"

sekda:
  nama:        # Sekretaris Daerah yang menandatangani Rencana Aksi
  nip: ""      # tulis di antara tanda kutip, mis. "19680312 199003 1 007"
  jabatan:     # kosong: "Sekretaris Daerah"

kantor:        # kop surat: perangkat daerah penyusun
  nama:        # mis. Badan Perencanaan Pembangunan Daerah
  alamat:
  telepon:
  surel:

lambang:       # gambar PNG atau JPEG, letaknya dihitung dari folder berkas ini, mis. lambang.png
tempat:        # tempat penandatanganan; kosong: "{tempat_bawaan(w)}"
kertas: {kertas}      # A4 atau F4

# Rumusan dari RPJMD (bagian 1.3 laporan) dan KUA (bagian 1.4). Tulis di baris berikutnya sesudah
# tanda |, menjorok dua spasi; baris kosong memisahkan paragraf. Kosong: paragraf baku.
kebijakan_umum: |

arah_kebijakan: |

"""


def write_templates(codes: list[str], folder: str | Path, kertas: str = "A4") -> tuple[list[Path], list[Path]]:
    """``<folder>/<kode>.yaml`` for each region that has none yet; returns (written, kept as they were)."""
    kertas = kertas.strip().upper()
    if kertas not in KERTAS:
        raise SPMValueError(f"Kertas '{kertas}' tidak dikenal; pilih A4 atau F4.")
    folder = Path(folder)
    written: list[Path] = []
    kept: list[Path] = []
    for kode in codes:
        existing = region_file(folder, kode) if folder.is_dir() else None
        if existing is not None:
            kept.append(existing)
            continue
        written.append(write_text(folder / f"{kode}.yaml", template(kode, kertas), overwrite=False))
    return written, kept
