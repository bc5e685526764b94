"""The gap between a reported sasaran and its population estimate is a data-quality flag wherever flags show
(report.check_data, report.compute in a batch, ringkasan.json), and the page's data source names estimates."""
from __future__ import annotations

from dataclasses import replace

import pandas as pd

from spm_helpers import region
from spm_helpers.engine import quality
from spm_helpers.engine import sasaran_estimate as se
from spm_helpers.inputs import datastore, demo, population
from spm_helpers.region import national

CODES = ["17", "17.01", "17.02", "32.75"]


def test_flag_text_by_hand():
    # 17.01 table of test_sasaran_estimate: balita (0–4) = 980; reported 2.000 → +1.020 = +104%
    from test_sasaran_estimate import tabel

    e = se.perkirakan_sasaran(tabel())
    s = pd.DataFrame([("17.01", 2026, "KES-KK-04", 2000, 1500), ("17.01", 2026, "KES-KK-01", 160, 150)],
                     columns=["kode_wilayah", "tahun", "kode_jenis", "jumlah_sasaran", "jumlah_terlayani"])
    f = quality.check_sasaran_perkiraan(s, perkiraan=e)
    assert f["kode_jenis"].tolist() == ["KES-KK-04"] and f["tingkat"].tolist() == ["peringatan"]
    assert f["keterangan"].iloc[0] == ("Jumlah sasaran 2.000 berbeda +104% dari perkiraan dari penduduk 980 "
                                       "(penduduk usia 0–4 tahun), di atas batas 50%; periksa sumber angka sasaran")
    both = quality.check_quality(s, perkiraan=e)
    assert "sasaran_jauh_dari_perkiraan" in set(both["bendera"])
    assert "sasaran_jauh_dari_perkiraan" not in set(quality.check_quality(s)["bendera"])


def test_batch_cut_and_region_alone_show_the_same_estimate_flags(tmp_path):
    data = demo.generate(CODES, range(2022, 2026), masalah=True)
    s = data.sasaran
    over = (s["jumlah_terlayani"] > s["jumlah_sasaran"]).fillna(False)
    s.loc[over, "jumlah_terlayani"] = s.loc[over, "jumlah_sasaran"]
    demo.write(data, tmp_path)
    datastore.write_table(population.contoh_penduduk(CODES, 2024), tmp_path / "penduduk.csv")
    tripled = data.masalah[data.masalah["masalah"] == "lonjakan_sasaran"]
    estimable = set(se.metode_bawaan().query("metode != 'tidak_dapat'")["kode_jenis"])
    datastore.keep_tables_in_memory()
    national._RUNS.clear()
    try:
        found = 0
        for kode in CODES:
            d = region.load_region_data(kode, 2025, tmp_path)
            assert d.penduduk is not None and len(d.penduduk) == 32
            cut = region.compute(d)
            alone = region.compute(replace(d, folder=None))
            pd.testing.assert_frame_equal(cut.bendera, alone.bendera)
            assert region.ringkasan(cut) == region.ringkasan(alone)
            gap = set(cut.bendera.loc[cut.bendera["bendera"] == "sasaran_jauh_dari_perkiraan", "kode_jenis"])
            want = set(tripled.loc[tripled["kode_wilayah"] == kode, "kode_jenis"]) & estimable
            assert want <= gap  # a sasaran tripled is far (> 50%) from its estimate
            found += len(gap)
        assert found >= 1
    finally:
        datastore.keep_tables_in_memory(False)
        national._RUNS.clear()


def test_source_note_names_adopted_estimates(tmp_path):
    d = region.load_region_data("17.01", 2025)
    s = d.sasaran[~((d.sasaran["tahun"] == 2025) & (d.sasaran["kode_jenis"] == "KES-KK-04"))]
    new, adopted = se.pakai_perkiraan(s, region.perkiraan_sasaran(d))
    assert adopted["kode_jenis"].tolist() == ["KES-KK-04"]
    text = region.catatan_perkiraan(new)
    assert text == "sasaran 1 jenis adalah PERKIRAAN DARI PENDUDUK, bukan laporan OPD (KES-KK-04)"
    datastore.save({"sasaran": new, "ketersediaan": d.ketersediaan}, tmp_path)
    assert text in region.load_region_data("17.01", 2025, tmp_path).sumber  # the source line every page prints
