"""Executed notebook → a report a government office can open offline (HTML) or print (PDF).

nbconvert's own HTML templates load MathJax, require.js and mermaid from a CDN, which an office
without internet cannot reach (nbconvert#754). Reports therefore use the ``basic`` template (body
only, no scripts) inside our own page with embedded CSS: no external URL at all, which a test checks.
Code is never shown in a report; cells tagged ``remove-cell``/``parameters`` are dropped entirely.
PDF goes through Debian's Chromium (``--print-to-pdf``), which works offline and needs no download.
"""
from __future__ import annotations

import re
import shutil
import subprocess
import tempfile
from functools import lru_cache
from pathlib import Path
from typing import Any, Iterable

import nbformat

from spm_helpers.errors import SPMError
from spm_helpers.files import atomic_path, write_text

REMOVE_CELL_TAGS = {"remove-cell", "parameters", "injected-parameters", "papermill-error-cell-tag"}
REMOVE_INPUT_TAGS = {"remove-input"}
KERNEL_NAME = "python3"
CHROMIUM_CANDIDATES = ("chromium", "chromium-browser", "google-chrome")

REPORT_CSS = """
:root { --biru: #1f4e79; --abu: #5f6b7a; }
* { box-sizing: border-box; }
body { font-family: "DejaVu Sans", "Liberation Sans", Arial, sans-serif; color: #1d232b; margin: 0;
       line-height: 1.5; font-size: 11pt; background: #fff; }
main { max-width: 60rem; margin: 0 auto; padding: 1.5rem 2rem 3rem; }
h1 { color: var(--biru); font-size: 1.9rem; border-bottom: 3px solid var(--biru); padding-bottom: .3rem; }
h2 { color: var(--biru); font-size: 1.4rem; margin-top: 2rem; border-bottom: 1px solid #c9d3de; }
h3 { color: #24384f; font-size: 1.15rem; }
table { border-collapse: collapse; margin: .6rem 0 1rem; font-size: .9rem; max-width: 100%; }
th, td { border: 1px solid #c9d3de; padding: .25rem .5rem; vertical-align: top; }
th { background: #e8eef5; text-align: left; }
tr:nth-child(even) td { background: #f7f9fb; }
td { font-variant-numeric: tabular-nums; }
img { max-width: 100%; height: auto; }
.anchor-link { display: none; }
pre { white-space: pre-wrap; font-size: .85rem; background: #f5f5f5; padding: .5rem; }
.jp-InputArea, .jp-InputPrompt, .jp-OutputPrompt, .input_prompt, .output_prompt,
.jp-Cell-inputWrapper .jp-InputPrompt { display: none !important; }
.label-contoh { background: #fff4ce; border: 1px solid #e0b300; padding: .4rem .7rem; border-radius: 4px;
                display: inline-block; font-weight: bold; }
.sampul { page-break-after: always; min-height: 80vh; display: flex; flex-direction: column;
          justify-content: center; }
.catatan { color: var(--abu); font-size: .9rem; }
.kotak { border-left: 4px solid var(--biru); background: #f1f6fb; padding: .5rem .8rem; margin: .8rem 0; }
@media print {
  main { max-width: none; padding: 0; }
  h2 { page-break-after: avoid; }
  table, img { page-break-inside: avoid; }
  @page { size: A4; margin: 18mm 16mm; }
}
"""


def run_notebook(notebook: str | Path, output: str | Path, parameters: dict[str, Any],
                 *, cwd: str | Path | None = None, timeout: int = 600,
                 kernel_name: str = KERNEL_NAME) -> nbformat.NotebookNode:
    """Execute a parameterised notebook with papermill (which keeps a partial notebook on error)."""
    import papermill as pm

    return pm.execute_notebook(
        str(notebook), str(output), parameters=parameters, kernel_name=kernel_name,
        cwd=str(cwd) if cwd else None, progress_bar=False, log_output=False,
        request_save_on_cell_execute=False, execution_timeout=timeout, language="python")


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
    """A complete, self-contained HTML page (no external URL) from an executed notebook."""
    body, _ = _exporter().from_notebook_node(_clean(nb))
    from html import escape

    return (
        "<!DOCTYPE html>\n<html lang=\"id\"><head><meta charset=\"utf-8\">"
        "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
        f"<title>{escape(title)}</title><style>{REPORT_CSS}</style></head>"
        f"<body><main>{body}</main></body></html>\n"
    )


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
    for name in CHROMIUM_CANDIDATES:
        path = shutil.which(name)
        if path:
            return path
    return None


def html_to_pdf(html_path: str | Path, pdf_path: str | Path, timeout: int = 120) -> Path:
    """Print an HTML file to PDF with headless Chromium (Debian package; no download, offline)."""
    exe = chromium_path()
    if exe is None:
        raise SPMError("Chromium tidak ditemukan; PDF tidak dapat dibuat. Pasang paket Debian 'chromium' "
                       "atau pilih --format html.")
    html_path = Path(html_path).resolve()
    pdf_path = Path(pdf_path)
    with tempfile.TemporaryDirectory(prefix="spm-chromium-") as profile, atomic_path(pdf_path) as tmp:
        cmd = [exe, "--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
               "--disable-background-networking", "--disable-component-update", "--disable-sync",
               "--no-first-run", "--disable-extensions", f"--user-data-dir={profile}",
               "--no-pdf-header-footer", f"--print-to-pdf={tmp}", html_path.as_uri()]
        proc = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout)
        if proc.returncode != 0 or not tmp.exists() or tmp.stat().st_size == 0:
            raise SPMError(f"Chromium gagal membuat PDF dari {html_path.name}: {proc.stderr.strip()[-300:]}")
    return pdf_path


def export_report(nb: nbformat.NotebookNode, out_dir: str | Path, formats: Iterable[str] = ("html",),
                  basename: str = "laporan", title: str | None = None) -> dict[str, Path]:
    """Write the executed notebook's report as HTML and/or PDF into ``out_dir``; returns the paths."""
    formats = [f.strip().lower() for f in formats if f.strip()]
    unknown = set(formats) - {"html", "pdf", "ipynb"}
    if unknown:
        raise SPMError(f"Format tidak dikenal: {', '.join(sorted(unknown))}. Pilihan: html, pdf, ipynb.")
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
            paths["pdf"] = html_to_pdf(html_path, out_dir / f"{basename}.pdf")
    return paths
