"""Every text of every figure in the printed documents lies inside the figure: a title or a label running
past the edge is cut off in the PDF and in Word (seen: 'Kabupaten Bengkulu Selatan' printed as '… Selatar').
Checked on the regions with the longest names, where it happens first."""
from __future__ import annotations

import matplotlib
import pytest
from matplotlib.backends.backend_agg import FigureCanvasAgg

from spm_helpers import region
from spm_helpers.documents.action_plan import DokumenRencanaAksi
from spm_helpers.documents.docx_writer import walk
from spm_helpers.documents.regional_report import LaporanWilayah
from spm_helpers.inputs import demo
from spm_helpers.reference import regions
from spm_helpers.views.blocks import Gambar

matplotlib.use("agg")


def _longest(tingkat: str) -> str:
    t = regions.table()
    t = t[t["tingkat"] == tingkat]
    return t.loc[t["nama"].str.len().idxmax(), "kode_wilayah"]


def outside(fig) -> list[str]:
    """What of ``fig`` reaches beyond its edges (1 px of tolerance), as drawn by Agg: each axis (only the
    ticks it draws), and each title, annotation, bar label, legend text and figure text."""
    canvas = FigureCanvasAgg(fig)
    canvas.draw()
    renderer = canvas.get_renderer()
    w, h = fig.bbox.x1, fig.bbox.y1

    def beyond(b) -> bool:
        return b is not None and (b.x0 < -1 or b.x1 > w + 1 or b.y0 < -1 or b.y1 > h + 1)

    out = []
    for ax in fig.axes:
        for name, axis in (("sumbu x", ax.xaxis), ("sumbu y", ax.yaxis)):
            if beyond(axis.get_tightbbox(renderer)):
                out.append(name)
        legend = ax.get_legend()
        texts = [ax.title, *ax.texts, *(legend.get_texts() if legend else [])]
        out += [t.get_text() for t in texts if t.get_visible() and t.get_text().strip()
                and beyond(t.get_window_extent(renderer))]
    out += [t.get_text() for t in fig.texts if t.get_visible() and t.get_text().strip()
            and beyond(t.get_window_extent(renderer))]
    return out


@pytest.mark.parametrize("tingkat", [regions.TINGKAT_KABKOTA, regions.TINGKAT_PROVINSI])
def test_every_figure_text_is_inside_its_figure(tingkat, tmp_path):
    kode = _longest(tingkat)
    demo.write(demo.generate([kode], range(2021, 2026), triwulan=True), tmp_path)  # budgets too: chart 2.8
    h = region.compute(region.load_region_data(kode, 2025, data_dir=tmp_path))
    figures = [b for dokumen in (LaporanWilayah(h), DokumenRencanaAksi(h)) for b in walk(dokumen)
               if isinstance(b, Gambar)]
    assert len(figures) >= 3
    cut = {g.alt: outside(g.fig) for g in figures}
    assert {alt: texts for alt, texts in cut.items() if texts} == {}
