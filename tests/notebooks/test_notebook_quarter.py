"""Notebook 06 (laporan triwulan) with its entry form: the form appears only on the user's own data folder,
never on the bundled demo data, and what it loads is the folder's rows for the region and quarter."""
from __future__ import annotations

import json

import papermill as pm
import pytest
import quarter_case

from spm_helpers.paths import notebooks_dir
from spm_helpers.reference import catalog
from spm_helpers.views import quarter_widget

pytestmark = pytest.mark.notebook
WIDGET = "application/vnd.jupyter.widget-view+json"


def _run(tmp_path, **params):
    out = tmp_path / "hasil"
    nb = pm.execute_notebook(str(notebooks_dir() / "06_laporan_triwulan.ipynb"), str(tmp_path / "06.ipynb"),
                             parameters={"kode_wilayah": quarter_case.KODE, "tahun": quarter_case.TAHUN,
                                         "triwulan": 2, "output_dir": str(out), "hari_ini": "2025-07-10",
                                         **params},
                             kernel_name="python3", progress_bar=False, cwd=str(tmp_path))
    outputs = [o for c in nb.cells for o in c.get("outputs", [])]
    assert not [o for o in outputs if o.output_type == "error"]
    assert not [o for o in outputs if o.output_type == "stream" and o.name == "stderr"]
    return out, outputs


def test_the_form_shows_on_the_users_folder_and_the_pack_is_unchanged_by_showing_it(tmp_path):
    data = quarter_case.write(tmp_path / "data")
    out, outputs = _run(tmp_path, data_dir=str(data), isi_formulir=True)
    assert sum(WIDGET in o.get("data", {}) for o in outputs) == 1  # the form, once
    r = json.loads((out / "ringkasan_triwulan.json").read_text(encoding="utf-8"))
    assert r["keterisian"] == pytest.approx((6 / 29 + 1) / 5 * 100)  # the hand-worked case (quarter_case)
    assert r["alokasi"] == 700_000_000 and r["realisasi"] == 360_000_000


def test_no_form_on_the_bundled_demo_data_only_the_way_to_make_a_folder(tmp_path):
    out, outputs = _run(tmp_path, isi_formulir=True)
    text = " ".join(str(o.get("data", {})) for o in outputs)
    assert not any(WIDGET in o.get("data", {}) for o in outputs)
    assert "Formulir tidak ditampilkan" in text and "spm contoh --triwulan --ke data_spm" in text
    assert (out / "ringkasan_triwulan.json").exists()  # the pack is still made


def test_the_form_loads_the_quarters_rows_of_the_folder(tmp_path):
    data = quarter_case.write(tmp_path / "data")
    form = quarter_widget.formulir_triwulan(str(data), quarter_case.KODE, quarter_case.TAHUN, 2)
    assert isinstance(form, quarter_widget.IsianTriwulan)
    assert len(form.anggaran) == 3  # Q2: KES-KK-01 APBD and DAK nonfisik, KES-KK-02 APBD
    assert len(form.masalah) == 2  # one problem with its solusi, one 'tidak ada permasalahan'
    assert len(form.jenis) == len(catalog.jenis_for_region(quarter_case.KODE)) == 29
    missing = quarter_widget.formulir_triwulan(str(tmp_path / "tidak_ada"), quarter_case.KODE, 2025, 2)
    assert "tidak ditemukan" in missing.data and "tidak_ada" in missing.data
