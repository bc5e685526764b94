"""The batch summary: ranks, province and national tables from ringkasan.json, and an offline index.html."""
from __future__ import annotations

import json
import re

import pandas as pd
import pytest

from spm_helpers import DEMO_LABEL
from spm_helpers.batch import runner, summary
from spm_helpers.documents.publish import external_references

# A worked example. Jawa Barat: the province and three kab/kota; Aceh: the province (its summary lacks
# most keys) and one kab/kota whose notebook failed.
RINGKASAN = {
    "32": {"nama": "Provinsi Jawa Barat", "indeks": 80.0, "kategori": "Tuntas Madya",
           "biaya_total": 1_000_000, "indeks_bidang": {"PDD": 90.0, "KES": 70.0}},
    "32.75": {"indeks": 70.0, "kategori": "Tuntas Muda", "biaya_total": 2_000_000,
              "keterisian": 100.0, "ip_spm_data_kosong_nol": 70.0, "jumlah_jenis_dinilai": 29,
              "jumlah_jenis_wajib": 29,
              "indeks_bidang": {"PDD": 60.0, "KES": 80.0},
              "kekurangan_terbesar": [{"kode_jenis": "KES-KK-01", "nama": "Ibu hamil", "biaya": 1_500_000},
                                      {"kode_jenis": "PDD-KK-01", "nama": "PAUD", "biaya": 300_000}]},
    "32.71": {"indeks": 90.5, "biaya_total": 500_000, "indeks_bidang": {"Kesehatan": None, "Sosial": 75.5},
              # D8: only 7 of 29 jenis complete; the index with missing jenis counted as 0 is far lower
              "keterisian": 24.14, "ip_spm_data_kosong_nol": 30.0, "jumlah_jenis_dinilai": 7,
              "jumlah_jenis_wajib": 29,
              # no kategori: derived from the index; indeks_bidang keyed by name, as laporan_wilayah does
              "kekurangan_terbesar": [{"kode_jenis": "KES-KK-01", "nama": "Ibu hamil", "biaya": 200_000}]},
    "32.01": {"indeks": 70.0, "kategori": "Tuntas Muda", "biaya_total": 250_000, "data_label": DEMO_LABEL},
    "11": {"tahun": 2024},  # every other key missing
}


@pytest.fixture
def manifest(tmp_path):
    m = runner.Manifest.new(tmp_path, ["11", "11.01", "32", "32.01", "32.71", "32.75"], tahun=2024,
                           notebook="/x/laporan_wilayah.ipynb", data_label=None)
    for kode, data in RINGKASAN.items():
        (tmp_path / kode).mkdir()
        (tmp_path / kode / "ringkasan.json").write_text(json.dumps(data))
        (tmp_path / kode / "laporan.html").write_text("<p>laporan</p>")
        m.record({"kode_wilayah": kode, "status": "berhasil", "keluaran": [f"{kode}/laporan.html"]})
    m.record({"kode_wilayah": "11.01", "status": "gagal", "notebook": "11.01/laporan.ipynb",
              "galat": "ValueError: <script>alert(1)</script> data kosong",
              "sel_gagal": {"indeks": 4, "eksekusi": 3, "sumber": "data = muat(kode)"}})
    m.save()
    return m


def test_region_table_ranks_within_tingkat_and_province(manifest):
    df = summary.read_regions(manifest).set_index("kode_wilayah")
    # kab/kota by IP-SPM: 32.71 (90,5) first; 32.75 and 32.01 tie at 70 and share rank 2; 11.01 has none
    assert df.loc[["32.71", "32.75", "32.01"], "peringkat"].tolist() == [1, 2, 2]
    assert df.loc[["32.71", "32.75", "32.01"], "peringkat_provinsi"].tolist() == [1, 2, 2]
    assert pd.isna(df.loc["11.01", "peringkat"]) and pd.isna(df.loc["32", "peringkat_provinsi"])
    assert df.loc["32", "peringkat"] == 1 and pd.isna(df.loc["11", "peringkat"])  # only scored province
    assert df.loc["32.71", "kategori"] == "Tuntas Madya"  # scheme bawaan_2026 (D3 revised): 80 ≤ 90,5 < 95
    # ranked by the index with missing jenis counted as 0, 32.75 (70) is ahead of 32.71 (30); 32.01 has none
    assert df.loc[["32.75", "32.71"], "peringkat_data_kosong_nol"].tolist() == [1, 2]
    assert pd.isna(df.loc["32.01", "peringkat_data_kosong_nol"]) and df.loc["32.71", "jumlah_jenis_dinilai"] == 7
    assert (df.loc["32.75", "nama"], df.loc["11", "nama"]) == ("Kota Bekasi", "Provinsi Aceh")  # from regions
    assert df.loc["32.75", "kekurangan_terbesar"] == "Ibu hamil (Rp 1,5 jt); PAUD (Rp 300,0 rb)"
    assert df.loc["32.75", "indeks_KES"] == 80.0 and pd.isna(df.loc["32.71", "indeks_KES"])
    assert df.loc["32.71", "indeks_SOS"] == 75.5 and pd.isna(df.loc["32.75", "indeks_SOS"])
    assert summary.bidang_columns(df) == ["indeks_PDD", "indeks_KES", "indeks_SOS"]  # PP 2/2018 order


def test_province_and_national_tables(manifest):
    df = summary.read_regions(manifest)
    prov = summary.province_table(df).set_index("kode_provinsi")
    jabar = prov.loc["32"]
    assert jabar["indeks_provinsi"] == 80.0 and jabar["jumlah_kabkota"] == 3
    assert jabar["rata_indeks_kabkota"] == 76.83  # (70 + 90,5 + 70) / 3 = 76,833…
    assert (jabar["indeks_kabkota_terendah"], jabar["indeks_kabkota_tertinggi"]) == (70.0, 90.5)
    assert jabar["biaya_total"] == 3_750_000  # 1.000.000 + 2.000.000 + 500.000 + 250.000
    aceh = prov.loc["11"]
    assert pd.isna(aceh["indeks_provinsi"]) and pd.isna(aceh["biaya_total"]) and aceh["gagal"] == 1
    assert (aceh["jumlah_kabkota"], aceh["kabkota_berhasil"]) == (1, 0)

    nat = summary.national_table(df).set_index("tingkat")
    kk = nat.loc["Kabupaten/Kota"]
    assert (kk["jumlah_wilayah"], kk["dengan_indeks"]) == (4, 3)
    assert (kk["rata_indeks"], kk["median_indeks"]) == (76.83, 70.0)
    assert kk["biaya_total"] == 2_750_000 and (kk["Tuntas Muda"], kk["Tuntas Madya"]) == (2, 1)
    # (100 + 24,14) / 2 = 62,07; (70 + 30) / 2 = 50
    assert (kk["rata_keterisian"], kk["rata_indeks_data_kosong_nol"]) == (62.07, 50.0)
    assert (jabar["rata_keterisian_kabkota"], jabar["rata_indeks_kabkota_data_kosong_nol"]) == (62.07, 50.0)
    assert nat.loc["Provinsi", "rata_indeks"] == 80.0

    gaps = summary.gap_table(df)
    assert gaps.iloc[0].to_dict() == {"kode_jenis": "KES-KK-01", "nama": "Ibu hamil", "jumlah_wilayah": 2,
                                      "biaya": 1_700_000}


def test_index_is_self_contained_lists_failures_first_and_escapes(manifest):
    index = summary.write_summary(manifest)
    html = index.read_text()
    assert external_references(html) == []
    assert "<script" not in html and "<link" not in html and "@import" not in html
    assert len(re.findall(r'<img [^>]*src="data:image/png;base64,', html)) >= 3
    assert html.index("Wilayah yang gagal") < html.index("<h2>Nasional</h2>")
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html and "In [3]" in html
    assert 'href="32.75/laporan.html"' in html and 'href="11.01/laporan.ipynb"' in html
    assert DEMO_LABEL in html  # one region says its numbers are demo data
    assert "IP-SPM (data kosong = 0)" in html and "Keterisian (%)" in html and "bawaan_2026" in html


def test_summary_tables_are_written_as_csv_and_parquet(manifest):
    summary.write_summary(manifest)
    run = manifest.run_dir
    regions_csv = pd.read_csv(run / "ringkasan_wilayah.csv", dtype={"kode_wilayah": str})
    regions_pq = pd.read_parquet(run / "ringkasan_wilayah.parquet")
    assert list(regions_csv["kode_wilayah"]) == list(regions_pq["kode_wilayah"]) == \
        ["11", "11.01", "32", "32.01", "32.71", "32.75"]
    assert {"indeks_PDD", "indeks_KES", "peringkat", "biaya_total", "galat"} <= set(regions_pq.columns)
    assert "_gaps" not in regions_pq.columns
    assert pd.read_parquet(run / "ringkasan_provinsi.parquet")["kode_provinsi"].tolist() == ["11", "32"]


def test_a_damaged_ringkasan_is_a_row_without_numbers(manifest):
    (manifest.run_dir / "32.75" / "ringkasan.json").write_text("{rusak")
    df = summary.read_regions(manifest).set_index("kode_wilayah")
    assert pd.isna(df.loc["32.75", "indeks"]) and df.loc["32.75", "nama"] == "Kota Bekasi"
    assert df.loc["32.01", "peringkat"] == 2  # 32.71, then 32.01 alone at 70


# ----------------------------------------------------------------------------- ready to sign
def _identity_run(tmp_path, folder) -> runner.Manifest:
    m = runner.Manifest.new(tmp_path / "run", ["32", "32.01", "32.75"], tahun=2024,
                            notebook="/x/laporan_wilayah.ipynb", data_label=None,
                            parameter={} if folder is None else {"identitas": str(folder)})
    for kode in ("32", "32.01", "32.75"):
        m.record({"kode_wilayah": kode, "status": "berhasil", "keluaran": []})
    m.save()
    return m


def test_index_says_which_regions_still_print_placeholders_without_the_names(tmp_path):
    from spm_helpers.documents import identity_template

    folder = tmp_path / "identitas"
    identity_template.write_templates(["32.75", "32.01"], folder)
    text = (folder / "32.75.yaml").read_text(encoding="utf-8")
    for key, value in (("kepala_daerah:\n  nama:", "Dr. Rahasia Wali"), ("sekda:\n  nama:", "Drs. Rahasia Sekda"),
                       ("kantor:        # kop surat: perangkat daerah penyusun\n  nama:", "Bappeda"),
                       ("\n  alamat:", "Jl. Rahasia 1")):
        text = text.replace(key, f"{key} {value}  #", 1)
    (folder / "32.75.yaml").write_text(text.replace('nip: ""', 'nip: "19700101 199503 1 001"'), encoding="utf-8")
    text = (folder / "32.01.yaml").read_text(encoding="utf-8")
    (folder / "32.01.yaml").write_text(text.replace("kepala_daerah:\n  nama:", "kepala_daerah:\n  nama: Bupati X #"),
                                       encoding="utf-8")
    m = _identity_run(tmp_path, folder)
    df = summary.read_regions(m).set_index("kode_wilayah")
    assert df.loc["32.75", "isian_identitas"] == ""  # ready to sign
    assert df.loc["32.01", "isian_identitas"] == ("nama sekretaris daerah, NIP sekretaris daerah, "
                                                 "nama perangkat daerah, alamat kantor")
    assert df.loc["32", "isian_identitas"].startswith("nama kepala daerah, ")  # no file: every placeholder
    html = summary.write_summary(m).read_text()
    section = html[html.index("Kesiapan tanda tangan"):]
    assert "1 dari 3 wilayah: identitas lengkap" in section and "2 wilayah masih memuat isian" in section
    assert "Rahasia" not in html and "19700101" not in html and "Bupati X" not in html  # never the values
    assert "isian_identitas" in pd.read_csv(m.run_dir / "ringkasan_wilayah.csv").columns


def test_index_without_identity_files_says_how_to_make_them_and_other_notebooks_say_nothing(tmp_path):
    html = summary.write_summary(_identity_run(tmp_path, None)).read_text()
    assert "tanpa berkas identitas" in html and "spm identitas --wilayah" in html
    # a notebook without kop surat or signatures (the fixture's own) gets no such section
    plain = runner.Manifest.new(tmp_path / "lain", ["32"], tahun=2024, notebook="/x/batch_ringkasan.ipynb",
                                data_label=None)
    plain.record({"kode_wilayah": "32", "status": "berhasil", "keluaran": []})
    assert "Kesiapan tanda tangan" not in summary.write_summary(plain).read_text()
    assert "isian_identitas" not in summary.read_regions(plain).columns
