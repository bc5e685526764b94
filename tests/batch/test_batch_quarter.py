"""``spm triwulan`` and ``spm batch --triwulan``: the quarter pack through the real notebook (06), and the
quarterly summary page that ranks keterisian and lists regions with empty blocks."""
from __future__ import annotations

import json

import pandas as pd
import pytest
import quarter_case
from typer.testing import CliRunner

from spm_helpers.batch import worker as be
from spm_helpers.cli.app import app

pytestmark = pytest.mark.notebook
runner = CliRunner()


@pytest.fixture(scope="module", autouse=True)
def _stop_kernels():
    yield
    be.shutdown_kernels()


def test_spm_triwulan_writes_the_pack_and_prints_completeness(tmp_path):
    data = quarter_case.write(tmp_path / "data")
    out = tmp_path / "tw"
    result = runner.invoke(app, ["triwulan", "--wilayah", quarter_case.KODE, "--tahun", "2025", "--triwulan", "2",
                                 "--data", str(data), "--ke", str(out), "--hari-ini", "2025-07-25",
                                 "--format", "html,docx"])
    assert result.exit_code == 0, result.output
    assert "terlambat 5 hari" in result.output  # deadline 20 Juli, counted from 25 Juli
    r = json.loads((out / "ringkasan_triwulan.json").read_text(encoding="utf-8"))
    assert r["keterisian"] == pytest.approx((6 / 29 + 1) / 5 * 100)
    assert r["alokasi"] == 700_000_000 and r["realisasi"] == 360_000_000  # 500 + 200 million; 310 + 50 million
    assert (out / "paket_triwulan_32.75_2025_TW2.xlsx").exists() and (out / "laporan_triwulan.docx").exists()
    html = (out / "laporan_triwulan.html").read_text(encoding="utf-8")
    assert "Bidan desa kurang di dua kecamatan" in html and "Rp 250.000.000" in html and "Rp 360.000.000" in html
    assert "Traceback" not in html and "http://" not in html.replace("http://www.w3.org", "")


def test_batch_triwulan_ranks_regions_and_lists_empty_blocks(tmp_path):
    run = tmp_path / "run"
    result = runner.invoke(app, ["batch", "--wilayah", "17.01,17.07,17.09", "--tahun", "2025", "--triwulan", "2",
                                 "--ke", str(run), "--workers", "0"])
    assert result.exit_code == 0, result.output
    df = pd.read_csv(run / "ringkasan_triwulan_wilayah.csv", dtype={"kode_wilayah": str})
    assert sorted(df["kode_wilayah"]) == ["17.01", "17.07", "17.09"]
    for kode in df["kode_wilayah"]:  # every figure of the page comes from the region's own summary
        own = json.loads((run / kode / "ringkasan_triwulan.json").read_text(encoding="utf-8"))
        assert df.set_index("kode_wilayah").loc[kode, "keterisian"] == pytest.approx(own["keterisian"])
        assert (run / kode / f"paket_triwulan_{kode}_2025_TW2.xlsx").exists()
    html = (run / "index.html").read_text(encoding="utf-8")
    assert "Ringkasan Laporan Triwulan II Tahun 2025" in html and "isian kosong" in html
    empty = df[df["jumlah_blok_kosong"] > 0]
    assert len(empty) >= 1 and all(n in html for n in empty["nama"])
    manifest = json.loads((run / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["triwulan"] == 2
