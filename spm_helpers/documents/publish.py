"""Executed notebook → a report a government office can open offline (HTML) or print (PDF).

nbconvert's own HTML templates load MathJax, require.js and mermaid from a CDN, which an office
without internet cannot reach (nbconvert#754). Reports therefore use the ``basic`` template (body
only, no scripts) inside our own page with embedded CSS: no external URL at all, which a test checks.
Code is never shown in a report; cells tagged ``remove-cell``/``parameters`` are dropped entirely.
PDF and DOCX are typeset by the notebook from the document's blocks (``document_output``: Typst and
python-docx, both from PyPI); Chromium (``--print-to-pdf``) is only the fallback when Typst is missing.
"""
from __future__ import annotations

import re
import shutil
from functools import lru_cache
from pathlib import Path
from typing import Any, Iterable

import nbformat

from spm_helpers.documents import browser
from spm_helpers.errors import SPMError
from spm_helpers.files import atomic_path, write_text
from spm_helpers.views import prose

REMOVE_CELL_TAGS = {"remove-cell", "parameters", "injected-parameters", "papermill-error-cell-tag"}
REMOVE_INPUT_TAGS = {"remove-input"}
KERNEL_NAME = "python3"
CHROMIUM_CANDIDATES = ("chromium", "chromium-browser", "google-chrome")
CHROMIUM_ENV = "SPM_CHROMIUM"  # the browser to print with (a path or a name on PATH), when not the first found
FORMATS = ("html", "pdf", "docx", "ipynb")
# ipykernel ≥ 7 logs an English warning about unencrypted TCP on every start (the kernel only listens on
# localhost and is ours); its application log is limited to errors so no English line reaches the user.
KERNEL_ARGUMENTS = ("--IPKernelApp.log_level=ERROR", "--HistoryManager.enabled=False")



def run_notebook(notebook: str | Path, output: str | Path, parameters: dict[str, Any],
                 *, cwd: str | Path | None = None, timeout: int = 600,
                 kernel_name: str = KERNEL_NAME) -> nbformat.NotebookNode:
    """Execute a parameterised notebook with papermill (which keeps a partial notebook on error)."""
    import papermill as pm

    return pm.execute_notebook(
        str(notebook), str(output), parameters=parameters, kernel_name=kernel_name,
        cwd=str(cwd) if cwd else None, progress_bar=False, log_output=False,
        request_save_on_cell_execute=False, execution_timeout=timeout, language="python",
        extra_arguments=list(KERNEL_ARGUMENTS))


# nbconvert's basic template embeds an SVG figure as <img> without alt text; ours passes the figure's
# description (report_blocks.figure puts it in the output's metadata) so a screen reader can say what it shows.
_TEMPLATE_FILE = "laporan_spm.html.j2"
_TEMPLATE = """{%- extends 'index.html.j2' -%}
{% block data_svg scoped -%}
{%- set alttext = output | get_metadata('alt', 'image/svg+xml') -%}
<div class="output_svg output_subarea {{ extra_class }}">
<img src="data:image/svg+xml;base64,{{ output.data['image/svg+xml'] | text_base64 | escape_html }}"
 alt="{{ (alttext or '') | escape_html }}">
</div>
{%- endblock data_svg %}
"""


@lru_cache(maxsize=1)
def _exporter():
    """One exporter per process: building it costs far more than using it (anchors §1)."""
    from jinja2 import DictLoader
    from nbconvert import HTMLExporter
    from nbconvert.exporters.html import Highlight2HTML, WidgetsDataTypeFilter
    from nbconvert.exporters.templateexporter import TemplateExporter
    from nbconvert.preprocessors import TagRemovePreprocessor

    class ReportExporter(HTMLExporter):
        """nbconvert's HTML exporter without its final BeautifulSoup pass, which re-parses the whole page
        to make the cells of an *interactive* page focusable and to give ``<img>`` a placeholder alt text.
        A printed report has no inputs to focus, its figures are inline SVG with their own description
        (``report_blocks.figure``), and the pass costs a third of the export."""

        def from_notebook_node(self, nb, resources=None, **kw):
            resources = self._init_resources(resources)
            self.register_filter("highlight_code", self.filters.get("highlight_code", Highlight2HTML(parent=self)))
            self.register_filter("filter_data_type", WidgetsDataTypeFilter(
                notebook_metadata=self._nb_metadata, parent=self, resources=resources))
            return TemplateExporter.from_notebook_node(self, nb, resources, **kw)

    # optimistic_validation: validate the notebook once after all preprocessors, not after each of the
    # thirteen (each a full schema check of the report).
    exporter = ReportExporter(template_name="basic", template_file=_TEMPLATE_FILE,
                              extra_loaders=[DictLoader({_TEMPLATE_FILE: _TEMPLATE})], exclude_input=True,
                              exclude_input_prompt=True, exclude_output_prompt=True, optimistic_validation=True)
    tags = TagRemovePreprocessor(remove_cell_tags=REMOVE_CELL_TAGS, remove_input_tags=REMOVE_INPUT_TAGS,
                                 remove_all_outputs_tags={"remove-output"})
    tags.enabled = True
    exporter.register_preprocessor(tags, enabled=True)
    return exporter


def _clean(nb: nbformat.NotebookNode) -> nbformat.NotebookNode:
    """Drop what a reader should never see: warnings on stderr and widget views (no JS offline)."""
    nb = nbformat.from_dict(nb)
    for cell in nb.cells:
        if cell.get("cell_type") != "code":
            continue
        kept = []
        for out in cell.get("outputs", []):
            if out.get("output_type") == "stream" and out.get("name") == "stderr":
                continue
            data = out.get("data", {})
            if "application/vnd.jupyter.widget-view+json" in data:
                data = {k: v for k, v in data.items() if k != "application/vnd.jupyter.widget-view+json"}
                if not data or set(data) == {"text/plain"}:
                    continue
                out["data"] = data
            kept.append(out)
        cell["outputs"] = kept
    nb.metadata.pop("widgets", None)
    return nb


def notebook_to_html(nb: nbformat.NotebookNode, title: str) -> str:
    """A complete, self-contained HTML page (no external URL) from an executed notebook, with a daftar isi
    of its chapters on screen."""
    body, _ = _exporter().from_notebook_node(_clean(nb))
    return prose.page(title, body, kertas=nb.metadata.get("kertas", "A4"), daftar_isi=True) + "\n"


_URL_ATTR = re.compile(r"""(?:src|href)\s*=\s*["']?\s*(?:https?:)?//""", re.I)
_CSS_URL = re.compile(r"""url\(\s*["']?\s*(?:https?:)?//""", re.I)
_IMPORT = re.compile(r"""@import\s+["'](?:https?:)?//""", re.I)  # the url(...) form is caught above


def external_references(html: str) -> list[str]:
    """Every place the page would fetch something from the network (must be empty for offline use).

    Plain links (<a href>) to websites are allowed: they load nothing by themselves.
    """
    found = []
    for m in re.finditer(r"<(script|link|img|iframe|source|video|audio|embed|object)\b[^>]*>", html, re.I):
        if _URL_ATTR.search(m.group(0)):
            found.append(m.group(0)[:200])
    found += [m.group(0) for m in _CSS_URL.finditer(html)]
    found += [m.group(0) for m in _IMPORT.finditer(html)]
    return found


def chromium_path() -> str | None:
    """The browser to print with: ``SPM_CHROMIUM`` (a path) if set, else the first on PATH."""
    import os

    chosen = os.environ.get(CHROMIUM_ENV, "").strip()
    if chosen:
        return shutil.which(chosen)
    for name in CHROMIUM_CANDIDATES:
        path = shutil.which(name)
        if path:
            return path
    return None


def html_to_pdf(html_path: str | Path, pdf_path: str | Path, timeout: int = 120) -> Path:
    """Print an HTML file to PDF with headless Chromium (no download, offline): this process's one browser,
    reused for every PDF (``browser.shared``), or one launch per PDF where pipes cannot be passed (Windows)
    or ``SPM_PDF=chromium-per-dokumen`` asks for it (the benchmark's baseline)."""
    import os

    from spm_helpers.documents import pdf_writer  # lazy: it imports IPython and the block model

    exe = chromium_path()
    if exe is None:
        raise SPMError("PDF tidak dapat dibuat: penyusun PDF tidak tersedia. Pasang paket Python 'typst' "
                       "(pip install typst; berlaku di Windows, macOS, dan Linux) atau pilih --format html,docx.")
    once = os.environ.get(pdf_writer.RENDERER_ENV, "").strip().lower() == pdf_writer.CHROMIUM_PER_DOCUMENT
    if once or not browser.pooled():
        return browser.print_once(exe, html_path, pdf_path, timeout)
    return browser.shared(exe).print_pdf(html_path, pdf_path, timeout)


def export_report(nb: nbformat.NotebookNode, out_dir: str | Path, formats: Iterable[str] = ("html",),
                  basename: str = "laporan", title: str | None = None) -> dict[str, Path]:
    """Write the executed notebook's report as HTML (and ipynb) into ``out_dir``; returns the paths.

    DOCX and PDF are written by the notebook itself (``document_output.write_documents``, asked for with
    the ``format_dokumen`` parameter) and only collected here; a PDF the notebook could not write (no
    Typst) is printed from the HTML with Chromium when one is installed."""
    formats = [f.strip().lower() for f in formats if f.strip()]
    unknown = set(formats) - set(FORMATS)
    if unknown:
        raise SPMError(f"Format tidak dikenal: {', '.join(sorted(unknown))}. Pilihan: {', '.join(FORMATS)}.")
    out_dir = Path(out_dir)
    title = title or nb.metadata.get("title") or basename
    paths: dict[str, Path] = {}
    if "ipynb" in formats:
        with atomic_path(out_dir / f"{basename}.ipynb") as tmp:
            nbformat.write(nb, str(tmp))
        paths["ipynb"] = out_dir / f"{basename}.ipynb"
    if "html" in formats or "pdf" in formats:
        html_path = write_text(out_dir / f"{basename}.html", notebook_to_html(nb, title))
        paths["html"] = html_path
        if "pdf" in formats:
            written = out_dir / f"{basename}.pdf"
            paths["pdf"] = written if written.exists() else html_to_pdf(html_path, written)
    if "docx" in formats:
        docx = out_dir / f"{basename}.docx"
        if not docx.exists():
            raise SPMError(f"Buku kerja tidak menulis {docx.name}: parameter format_dokumen tidak berisi 'docx' "
                           "atau notebook ini tidak mendukung DOCX.")
        paths["docx"] = docx
    return paths
