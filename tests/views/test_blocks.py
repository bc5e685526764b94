"""How report blocks show themselves: one output per run of text and tables, figures described for screen
readers, and the exported page keeping what nbconvert's own pass used to add."""
from __future__ import annotations

import matplotlib.pyplot as plt
import nbformat
import pandas as pd
from IPython.core.formatters import format_display_data
from IPython.display import HTML, Markdown

from spm_helpers.documents.publish import external_references, notebook_to_html
from spm_helpers.views import charts
from spm_helpers.views.blocks import Bagian, Gabungan, Gambar, figure, html, markdown_html, tabel, teks


def _fig(title: str = "IP-SPM per bidang"):
    fig, ax = plt.subplots()
    ax.bar(["a", "b"], [1, 2])
    ax.set_title(title)
    return fig


def test_a_section_joins_text_boxes_and_tables_and_keeps_figures_apart():
    t = tabel(pd.DataFrame({"n": [1234]}), {"n": ("Jumlah", "angka")}, judul="Uji")
    b = Bagian([teks("**Tebal** dan _miring_"), html("<div class='kotak'>kotak</div>"), t, figure(_fig()),
                teks("Sesudah gambar")])
    shown = b.displayed_blocks()
    assert [type(x) for x in shown] == [Gabungan, Gambar, Gabungan]
    data, _ = format_display_data(shown[0])
    assert data["text/html"].startswith("<p><strong>Tebal</strong> dan <em>miring</em></p>")
    assert "<div class='kotak'>kotak</div>" in data["text/html"] and "1.234" in data["text/html"]
    assert data["text/plain"] == "**Tebal** dan _miring_\n\nkotak\n\nUji\nJumlah\n 1.234"
    assert markdown_html("Sesudah gambar").strip() in format_display_data(shown[2])[0]["text/html"]
    assert b.blok[0].data == "**Tebal** dan _miring_"  # the blocks themselves are untouched


def test_a_lone_table_or_box_is_shown_as_itself():
    t = tabel(pd.DataFrame({"n": [1]}), {"n": ("N", "angka")})
    assert Bagian([t]).displayed_blocks() == [t]
    box = HTML("<p>x</p>")
    assert Bagian([box]).displayed_blocks() == [box]
    assert isinstance(Bagian([Markdown("a")]).displayed_blocks()[0], Gabungan)  # Markdown becomes HTML too
    assert Bagian([]).displayed_blocks() == []


def test_markdown_lists_and_inline_html_survive():
    out = markdown_html("1. satu\n2. dua\n\nteks <b>tebal</b> & lain")
    assert "<ol>" in out and "<li>dua</li>" in out and "<b>tebal</b>" in out and "&amp; lain" in out


def test_figures_are_described_for_screen_readers():
    plt.close("all")
    g = figure(_fig('Capaian "Kota" <A>'))
    assert g.data.startswith("<svg")  # no XML declaration or DOCTYPE inside an HTML page
    assert 'role="img" aria-label="Capaian &quot;Kota&quot; &lt;A&gt;"' in g.data.split(">", 1)[0]
    assert "<title>Capaian &quot;Kota&quot; &lt;A&gt;</title>" in g.data
    assert repr(g) == '[Gambar: Capaian "Kota" <A>]'
    data, metadata = format_display_data(g)
    assert data["image/svg+xml"] == g.data and metadata == {"image/svg+xml": {"alt": 'Capaian "Kota" <A>'}}
    custom = figure(_fig(), alt="Grafik batang indeks enam bidang")
    assert 'aria-label="Grafik batang indeks enam bidang"' in custom.data
    untitled = figure(plt.subplots()[0])
    assert "aria-label" not in untitled.data and repr(untitled) == "[Gambar]"
    assert plt.get_fignums() == []


def test_exported_page_has_the_sections_figures_and_nothing_external():
    nb = nbformat.v4.new_notebook()
    cell = nbformat.v4.new_code_cell("laporan.bab()")
    outputs = []
    for shown in Bagian([teks("Paragraf **satu**"), figure(_fig("Judul grafik"))]).displayed_blocks():
        data, metadata = format_display_data(shown)
        outputs.append(nbformat.v4.new_output("display_data", data=data, metadata=metadata))
    cell.outputs = outputs
    nb.cells = [cell]
    page = notebook_to_html(nb, "Uji")
    assert "<strong>satu</strong>" in page
    assert 'alt="Judul grafik"' in page  # the figure is an <img> with its description
    assert "laporan.bab()" not in page  # code hidden
    assert external_references(page) == []


def test_label_width_matches_what_matplotlib_draws():
    labels = ["Kesehatan", "Ketenteraman, Ketertiban\nUmum, dan Pelindungan"]
    with charts.style():
        fig, ax = plt.subplots()
        ax.set_yticks([0, 1], labels)
        size = plt.rcParams["ytick.labelsize"]
        estimate = charts.label_width(labels, size)
        fig.canvas.draw()
        drawn = max(t.get_window_extent().width for t in ax.get_yticklabels()) / fig.dpi
    plt.close(fig)
    assert drawn <= estimate <= drawn * 1.08  # never narrower than the text, at most 8% wider


def test_fixed_margins_are_in_inches_whatever_the_figure_size():
    for w, h in ((8, 4), (4, 8)):
        fig = plt.figure(figsize=(w, h))
        charts.fixed_margins(fig, left=2, right=0.5, top=1, bottom=0.5)
        p = fig.subplotpars
        assert (p.left * w, (1 - p.right) * w, (1 - p.top) * h, p.bottom * h) == (2, 0.5, 1, 0.5)
        plt.close(fig)
