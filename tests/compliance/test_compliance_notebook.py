"""The 05_kepatuhan notebook (source: notebooks/sumber/05_kepatuhan_standar_pelayanan.py), its widget and its figures."""
from __future__ import annotations

import json

import matplotlib.pyplot as plt
import nbformat
import pandas as pd
import pytest

from spm_helpers import DEMO_LABEL
from spm_helpers.compliance import assessments as cd
from spm_helpers.compliance import charts as cc
from spm_helpers.compliance import scoring as cp
from spm_helpers.compliance import workbook as ce
from spm_helpers.compliance.widget import BELUM, Checklist
from spm_helpers.paths import notebooks_dir

NOTEBOOK = notebooks_dir() / "05_kepatuhan_standar_pelayanan.ipynb"
S22 = "ombudsman_2022_2024"
S21 = "ombudsman_2021"


def test_committed_notebook_has_no_outputs_and_its_parameters():
    nb = nbformat.read(NOTEBOOK, as_version=4)
    code = [c for c in nb.cells if c.cell_type == "code"]
    assert all(c.outputs == [] and c.execution_count is None for c in code)
    assert code[0].metadata["tags"] == ["parameters"]
    for name, default in [("kode_wilayah", '"14.10"'), ("tahun", "2024"), ("skema", f'"{S22}"'),
                          ("data_dir", "None"), ("output_dir", '"reports/kepatuhan"')]:
        assert f"{name} = {default}" in code[0].source
    assert sum("remove-input" in c.metadata.get("tags", []) for c in code) >= 3
    text = " ".join(c.source for c in nb.cells if c.cell_type == "markdown")
    assert "simulasi penilaian mandiri — bukan hasil resmi Ombudsman RI" in text


@pytest.mark.notebook
@pytest.mark.parametrize("skema,with_forms", [(S22, False), (S21, True)])
def test_notebook_runs_and_writes_its_results(tmp_path, monkeypatch, skema, with_forms):
    import papermill as pm

    monkeypatch.delenv("MPLBACKEND", raising=False)  # conftest's Agg would leak into the kernel: no figures

    params = {"output_dir": str(tmp_path / "hasil"), "skema": skema, "tahun": 2021}
    expected = cd.generate_contoh("14.10", skema)
    if with_forms:  # an officer's folder of filled checklists instead of the bundled demo
        data = tmp_path / "formulir"
        data.mkdir()
        for i, units in enumerate([expected["unit"].unique()[:5], expected["unit"].unique()[5:]]):
            ce.write_formulir(data / f"opd_{i}.xlsx", "14.10", 2021, skema,
                              penilaian=expected[expected["unit"].isin(units)])
        params["data_dir"] = str(data)
    pm.execute_notebook(str(NOTEBOOK), str(tmp_path / "out.ipynb"), parameters=params, kernel_name="python3",
                        progress_bar=False, cwd=str(tmp_path))
    out = tmp_path / "hasil"
    summary = json.loads((out / "ringkasan_kepatuhan.json").read_text())
    truth = cd.assess(expected, skema)
    region = summary["wilayah"][0]
    assert summary["keterangan"] == cp.LABEL_SIMULASI and summary["skema"] == skema and summary["tahun"] == 2021
    assert summary["data"] == (None if with_forms else DEMO_LABEL)
    assert region["kode_wilayah"] == "14.10" and region["jumlah_unit"] == 11
    assert region["nilai_rata_rata"] == pytest.approx(truth.wilayah.at[0, "nilai_rata_rata"], abs=1e-4)
    assert region["zona"] == truth.wilayah.at[0, "zona"]
    units = pd.read_csv(out / "kepatuhan_unit.csv", dtype={"kode_wilayah": str})
    assert sorted(units["unit"]) == sorted(truth.unit["unit"])
    merged = units.merge(truth.unit, on="unit", suffixes=("", "_benar"))
    assert merged["nilai"].tolist() == pytest.approx(merged["nilai_benar"].tolist())
    assert (merged["zona"] == merged["zona_benar"]).all() and (units["keterangan"] == cp.LABEL_SIMULASI).all()
    plan = pd.read_csv(out / "kepatuhan_rencana_wilayah.csv")
    assert plan["kode_indikator"].tolist() == truth.rencana_wilayah["kode_indikator"].tolist()
    executed = nbformat.read(tmp_path / "out.ipynb", as_version=4)
    images = [o for c in executed.cells for o in c.get("outputs", []) if "image/png" in o.get("data", {})]
    assert len(images) == 2  # unit bars and the dimension heatmap are both shown


# --- widget and figures ----------------------------------------------------------------------------------

def test_checklist_widget_scores_live():
    demo = cd.generate_contoh("14.10", S22)
    rsud = demo[demo["unit"] == "RSUD"]
    w = Checklist(S22, "14.10", unit="RSUD")
    assert "36 dari 36 indikator belum dinilai" in w.hasil.value
    w.set_nilai(dict(zip(rsud["kode_indikator"], rsud["nilai"])))
    tidy = w.penilaian()
    pd.testing.assert_frame_equal(tidy, rsud.reset_index(drop=True), check_dtype=False)
    expected = cp.score_units(rsud, S22).iloc[0]
    assert f"Nilai <b>{cp.format_nilai(expected['nilai'])}</b>" in w.hasil.value
    assert f"zona {expected['zona']}" in w.hasil.value and cp.LABEL_SIMULASI in w.hasil.value
    first = cp.rencana_perbaikan(rsud, S22).iloc[0]
    assert f"(<b>+{cp.format_nilai(first['kenaikan'])}</b>)" in w.hasil.value
    w.pilihan["INP-01"].value = BELUM  # un-assess one item: no score, never a silent zero
    assert "1 dari 36 indikator belum dinilai" in w.hasil.value and pd.isna(w.penilaian()["nilai"].iloc[0])


def test_figures_carry_the_simulation_label_and_every_unit():
    hasil = cd.assess(cd.generate_contoh("14.10", S22), S22)
    fig = cc.gambar_nilai_unit(hasil.unit, S22)
    assert cp.LABEL_SIMULASI in fig._suptitle.get_text()
    ax = fig.axes[0]
    assert sorted(t.get_text() for t in ax.get_yticklabels()) == sorted(hasil.unit["unit"])
    best = hasil.unit.loc[hasil.unit["nilai"].idxmax()]
    assert f" {cp.format_nilai(best['nilai'])} ({best['kategori']}, {best['zona']})" in [t.get_text() for t in ax.texts]
    heat = cc.gambar_dimensi(hasil.dimensi)
    assert [t.get_text() for t in heat.axes[0].get_xticklabels()] == ["Input", "Proses", "Output", "Pengaduan"]
    styled = cc.tabel_nilai(hasil.unit, ["unit", "nilai", "zona"]).to_html()
    assert cp.format_nilai(hasil.unit["nilai"].iloc[0]) in styled and "#2e7d32" in styled
    plt.close("all")
