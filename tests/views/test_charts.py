import matplotlib

matplotlib.use("Agg")
import pandas as pd
import pytest

from spm_helpers.views import charts


def _texts(fig):
    return [t.get_text() for ax in fig.axes for t in ax.texts] + \
        [t.get_text() for ax in fig.axes for c in ax.containers for t in getattr(c, "datavalues", [])]


def test_capaian_per_bidang_labels_each_bar_with_indonesian_decimal():
    b = pd.DataFrame({"bidang": ["Pendidikan", "Kesehatan"], "indeks": [86.0, 72.25]})
    fig = charts.capaian_per_bidang(b, "Kota Bekasi 2024")
    ax = fig.axes[0]
    labels = [t.get_text().strip() for t in ax.texts]
    assert "86,00" in labels and "72,25" in labels
    assert ax.get_xlabel() == "Indeks Pencapaian SPM" and ax.get_title() == "Kota Bekasi 2024"
    assert any("Belum Tuntas" in t for t in labels)  # category bands named
    charts.close(fig)


def test_biaya_axis_in_rupiah():
    r = pd.DataFrame({"opd_pengampu": ["Dinas Kesehatan", "Dinas PUPR"], "biaya": [45_000_000_000, 8_000_000]})
    fig = charts.biaya_per_kelompok(r)
    fig.canvas.draw()
    ax = fig.axes[0]
    ticks = [t.get_text() for t in ax.get_xticklabels()]
    assert any(t.startswith("Rp") and t.endswith("M") for t in ticks)
    assert "Rp 45,0 M" in [t.get_text().strip() for t in ax.texts]
    charts.close(fig)


def test_heatmap_and_trend_and_ranking_draw():
    cap = pd.DataFrame({"nama": ["Ibu hamil", "Ibu hamil", "Balita", "Balita"], "tahun": [2024, 2025, 2024, 2025],
                        "capaian_penerima": [80.0, 90.0, 60.0, 65.0]})
    fig = charts.heatmap_capaian(cap)
    assert fig.axes[0].get_xlabel() == "Tahun"
    idx = pd.DataFrame({"nama": ["A", "A", "B", "B"], "tahun": [2024, 2025, 2024, 2025], "indeks": [60, 70, 80, 85],
                        "kode_wilayah": ["1", "1", "2", "2"]})
    assert charts.tren_indeks(idx).axes[0].get_ylabel() == "Indeks Pencapaian SPM"
    rank = idx[idx["tahun"] == 2025]
    fig = charts.peringkat(rank, sorot="2")
    colors = [tuple(p.get_facecolor()) for p in fig.axes[0].containers[0]]
    assert colors[0] != colors[1]  # the highlighted region stands out


@pytest.mark.notebook
def test_every_figure_shows_in_a_notebook(tmp_path):
    """Regression: the inline backend must survive style(); a later figure used to vanish silently."""
    import nbformat
    from nbformat.v4 import new_code_cell, new_notebook

    from spm_helpers.documents import publish

    nb = new_notebook(cells=[
        new_code_cell("import pandas as pd\nfrom spm_helpers.views import charts\n"
                      "b = pd.DataFrame({'bidang': ['A', 'B'], 'indeks': [50.0, 90.0]})\n"
                      "fig = charts.capaian_per_bidang(b)"),
        new_code_cell("import matplotlib.pyplot as plt\nplt.plot([1, 2])\nplt.show()"),
        new_code_cell("fig2 = charts.capaian_per_bidang(b)"),
    ])
    nb.metadata["kernelspec"] = {"name": "python3", "language": "python", "display_name": "Python 3"}
    nbformat.write(nb, str(tmp_path / "c.ipynb"))
    out = publish.run_notebook(tmp_path / "c.ipynb", tmp_path / "o.ipynb", {})
    shown = [any("image/png" in o.get("data", {}) for o in c.outputs) for c in out.cells]
    assert shown == [True, True, True]
