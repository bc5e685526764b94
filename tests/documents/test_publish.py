import shutil
import subprocess

import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

from spm_helpers.documents import publish
from spm_helpers.errors import SPMError


def _nb(tmp_path):
    nb = new_notebook(cells=[
        new_code_cell("kode_wilayah = '32.75'\ntahun = 2024", metadata={"tags": ["parameters"]}),
        new_markdown_cell("# Laporan Penerapan SPM\nPendahuluan **singkat**."),
        new_code_cell("import warnings\nwarnings.warn('peringatan internal')\n"
                      "import pandas as pd\nprint('Wilayah', kode_wilayah)\n"
                      "pd.DataFrame({'bidang': ['Pendidikan'], 'indeks': [86.0]})",
                      metadata={"tags": ["remove-input"]}),
        new_code_cell("rahasia_kode = 'x = 1'", metadata={"tags": ["remove-cell"]}),
    ])
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    path = tmp_path / "uji.ipynb"
    nbformat.write(nb, str(path))
    return path


@pytest.mark.notebook
def test_run_and_export_html_is_offline_and_hides_code(tmp_path):
    src = _nb(tmp_path)
    out = publish.run_notebook(src, tmp_path / "uji_out.ipynb", {"kode_wilayah": "19.71"})
    paths = publish.export_report(out, tmp_path / "rep", ["html", "ipynb"], title="Laporan uji")
    html = paths["html"].read_text()
    assert "Wilayah 19.71" in html and "Pendidikan" in html and "86.0" in html
    assert "import pandas" not in html and "rahasia_kode" not in html  # no code in reports
    assert "peringatan internal" not in html  # stderr warnings stripped
    assert "kode_wilayah = " not in html  # parameters cell dropped
    assert publish.external_references(html) == []
    assert paths["ipynb"].exists()


def test_external_reference_detector_catches_cdn_assets():
    bad = ('<script src="https://cdn.example/x.js"></script><link href="//fonts.example/a.css" rel="stylesheet">'
           '<style>@import url("https://x/y.css"); body{background:url(http://x/b.png)}</style>')
    assert len(publish.external_references(bad)) == 4
    ok = '<a href="https://peraturan.go.id">peraturan</a><img src="data:image/png;base64,AAAA">'
    assert publish.external_references(ok) == []


def test_unknown_format_rejected_in_indonesian(tmp_path):
    with pytest.raises(SPMError, match="Format tidak dikenal: odt"):
        publish.export_report(new_notebook(), tmp_path, ["odt"])
    # a DOCX is written by the report notebook itself; a notebook that did not write one is named
    with pytest.raises(SPMError, match="tidak menulis laporan.docx"):
        publish.export_report(new_notebook(), tmp_path, ["docx"])


@pytest.mark.browser
@pytest.mark.skipif(publish.chromium_path() is None or shutil.which("pdftotext") is None,
                    reason="perlu chromium dan pdftotext (paket Debian)")
def test_pdf_has_the_page_text(tmp_path):
    nb = new_notebook(cells=[new_markdown_cell("# Laporan Kota Bekasi\nIndeks Pencapaian SPM 86,00")])
    paths = publish.export_report(nb, tmp_path, ["pdf"], title="uji pdf")
    text = subprocess.run(["pdftotext", str(paths["pdf"]), "-"], capture_output=True, text=True).stdout
    assert "Laporan Kota Bekasi" in text and "86,00" in text
