"""Building blocks that notebooks and reports display: formatted tables, figures, boxes, sections.

Notebook cells stay one sentence long because the blocks know how to show themselves: a ``Tabel``
renders an HTML table with Indonesian numbers (1.234.567; 85,00%; Rp 45.000.000) and right-aligned
figures, ``figure`` turns a matplotlib figure into an embedded PNG and frees it, and a ``Bagian`` (a
report section) shows its blocks in order when it is the last value of a cell. Nothing here computes
SPM numbers; it only formats what the stage functions return.
"""
from __future__ import annotations

import io
import re
from dataclasses import dataclass, field
from functools import lru_cache
from html import escape
from typing import Any, Callable, Iterable, Mapping

import pandas as pd
from IPython.display import HTML, Image, Markdown, display

from spm_helpers import fmt
from spm_helpers.errors import SPMValueError

FIGURE_DPI = 120

_FORMAT: dict[str, Callable[[Any], str]] = {
    "teks": lambda v: "–" if v is None or v is pd.NA or (isinstance(v, float) and v != v) else str(v),
    "angka": fmt.angka,
    "desimal": lambda v: fmt.angka(v, 2),
    "persen": lambda v: fmt.persen(v, 2),
    "persen1": lambda v: fmt.persen(v, 1),
    "rupiah": fmt.rupiah,
    "rupiah_ringkas": fmt.rupiah_ringkas,
    "juta": lambda v: "–" if v is None or pd.isna(v) else fmt.angka(float(v) / 1e6),
    "tahun": lambda v: "–" if pd.isna(v) else str(int(v)),
}
NUMERIC_FORMATS = {"angka", "desimal", "persen", "persen1", "rupiah", "rupiah_ringkas", "juta", "tahun"}
LONG_TABLE = 12  # rows; longer tables may break across printed pages


@dataclass
class Tabel:
    """A table ready to show: formatted cells, Indonesian headers, optional caption and footnote."""

    header: list[str]
    rows: list[list[str]]
    numeric: list[bool]
    judul: str | None = None
    catatan: str | None = None
    lebar: list[str | None] | None = None  # CSS width per column ('30%'); None = browser's choice

    def _widths(self, wide: bool) -> list[str | None]:
        if self.lebar is not None:
            return self.lebar
        # a wide table gives its leading name column room, so long jenis names do not wrap word by word
        return ["30%" if wide and i == 0 and not n else None for i, n in enumerate(self.numeric)]

    def _repr_html_(self) -> str:
        wide = len(self.header) >= 5
        head = "".join(f"<th style=\"text-align:{'right' if n else 'left'}{f';width:{w}' if w else ''}\">"
                       f"{escape(h)}</th>" for h, n, w in zip(self.header, self.numeric, self._widths(wide)))
        body = "".join("<tr>" + "".join(
            f"<td style=\"text-align:right;white-space:nowrap\">{escape(c)}</td>" if n else f"<td>{escape(c)}</td>"
            for c, n in zip(row, self.numeric)) + "</tr>" for row in self.rows)
        cap = f"<caption style=\"caption-side:top;text-align:left;font-weight:bold\">{escape(self.judul)}</caption>" \
            if self.judul else ""
        note = f"<p class=\"catatan\">{escape(self.catatan)}</p>" if self.catatan else ""
        style = " style=\"width:100%;font-size:.85rem\"" if wide else ""
        kelas = "tabel-spm tabel-panjang" if len(self.rows) > LONG_TABLE else "tabel-spm"
        return f"<table class=\"{kelas}\"{style}>{cap}<thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>{note}"

    def __repr__(self) -> str:
        """Plain-text fallback (terminal, text/plain): columns aligned, figures to the right. Built from
        the formatted cells directly; every table of every report carries it, so it must be cheap."""
        widths = [max(len(c) for c in col) for col in zip(self.header, *self.rows)]

        def line(cells: list[str]) -> str:
            return "  ".join(c.rjust(w) if n else c.ljust(w)
                             for c, w, n in zip(cells, widths, self.numeric)).rstrip()

        return (f"{self.judul}\n" if self.judul else "") + "\n".join(map(line, [self.header, *self.rows]))

    def __len__(self) -> int:
        return len(self.rows)


def tabel(df: pd.DataFrame, kolom: Mapping[str, tuple[str, str]], *, judul: str | None = None,
          catatan: str | None = None, maks_baris: int | None = None,
          lebar: Mapping[str, str] | None = None) -> Tabel:
    """Format ``df`` for reading. ``kolom`` maps a column to (header, format) where format is one of
    teks, angka, desimal, persen, persen1, rupiah, rupiah_ringkas, juta (millions of rupiah), tahun. Rows past ``maks_baris`` are
    left out and the footnote says how many (the full table is in the CSV output). ``lebar`` sets the CSS
    width of some columns (e.g. {"kegiatan": "35%"})."""
    unknown = {f for _, f in kolom.values()} - set(_FORMAT)
    if unknown:
        raise SPMValueError(f"format kolom tidak dikenal: {', '.join(sorted(unknown))}")
    shown = df if maks_baris is None else df.head(maks_baris)
    rows = [[_FORMAT[f](v) for v, (_, f) in zip(values, kolom.values())]
            for values in shown[list(kolom)].itertuples(index=False)]
    if maks_baris is not None and len(df) > maks_baris:
        extra = f"{len(df) - maks_baris} baris lain tidak ditampilkan; tabel lengkap ada di berkas hasil (CSV)."
        catatan = f"{catatan} {extra}" if catatan else extra
    widths = None if lebar is None else [lebar.get(c) for c in kolom]
    return Tabel([h for h, _ in kolom.values()], rows, [f in NUMERIC_FORMATS for _, f in kolom.values()],
                 judul, catatan, widths)


@dataclass(frozen=True)
class Gambar:
    """An SVG figure ready to show. IPython's ``SVG`` would re-parse the whole document with minidom
    (~12 ms a figure, twice per report, 552 reports) only to find the ``<svg>`` element we already have."""

    data: str
    alt: str = ""

    def _repr_mimebundle_(self, include=None, exclude=None) -> tuple[dict, dict]:
        """The SVG, a text fallback, and the description as ``alt`` metadata (the exported page's <img>)."""
        return ({"image/svg+xml": self.data, "text/plain": repr(self)},
                {"image/svg+xml": {"alt": self.alt}} if self.alt else {})

    def __repr__(self) -> str:  # text/plain: what a terminal or a screen reader without SVG gets
        return f"[Gambar: {self.alt}]" if self.alt else "[Gambar]"


def figure(fig, format: str = "svg", dpi: int = FIGURE_DPI, alt: str | None = None) -> Gambar | Image:
    """The figure embedded in the output and closed, so it is neither shown twice nor kept in memory.

    SVG by default: lines and text stay sharp in print, the file is a third of a PNG's size, and it is
    written faster (no rasterising), which matters when the report runs for 552 regions. Text is kept as
    text in DejaVu Sans; a viewer without that font uses another sans-serif. ``format="png"`` gives a
    raster image instead. ``alt`` (default: the figure's title) is what a screen reader announces."""
    import matplotlib.pyplot as plt

    alt = alt if alt is not None else _title(fig)
    buf = io.BytesIO()
    try:
        if format == "svg":
            with plt.rc_context({"svg.fonttype": "none", "svg.hashsalt": "spm"}):
                fig.savefig(buf, format="svg", facecolor="white", metadata={"Date": None})  # reproducible
            return Gambar(_svg_described(buf.getvalue().decode("utf-8"), alt), alt)
        fig.savefig(buf, format="png", dpi=dpi, facecolor="white")
        return Image(data=buf.getvalue(), format="png", metadata={"alt": alt} if alt else None)
    finally:
        plt.close(fig)


def _title(fig) -> str:
    """The figure's own title: suptitle, else the first axes title."""
    sup = getattr(fig, "_suptitle", None)
    if sup is not None and sup.get_text():
        return sup.get_text()
    return next((ax.get_title() for ax in fig.axes if ax.get_title()), "")


def _svg_described(svg: str, alt: str) -> str:
    """The ``<svg>`` element alone (no XML declaration or DOCTYPE: it is embedded in HTML), announced as
    one image with its description (role="img" and a <title>, the SVG form of WCAG H37): otherwise a
    screen reader reads out every tick label."""
    start = svg.find("<svg")
    end = svg.find(">", start)
    if start < 0 or end < 0:
        return svg
    if not alt:
        return svg[start:]
    return (svg[start:end] + f' role="img" aria-label="{escape(alt)}">' + f"<title>{escape(alt)}</title>"
            + svg[end + 1:])


def teks(markdown: str) -> Markdown:
    return Markdown(markdown)


def html(markup: str) -> HTML:
    """Raw HTML block (cover pages, signature blocks)."""
    return HTML(markup)


def gaya_cetak(data_label: str = "") -> HTML:
    """Print rules for an exported document (PDF via Chromium): page numbers and, for demo data, the demo
    label in every page's top margin; long tables may break across pages with their header repeated; a
    heading stays with what follows. Scoped to print and to this module's tables, so a JupyterLab page
    showing the output is not restyled."""
    label = f'@top-right {{ content: "{escape(data_label.upper())}"; font-size: 8pt; color: #8a6d00; }}' \
        if data_label else ""
    return HTML("<style>@media print { @page { @bottom-right { content: \"Halaman \" counter(page) \" dari \" "
                "counter(pages); font-size: 8pt; color: #5f6b7a; } " + label + " } "
                "table.tabel-panjang { page-break-inside: auto; } table.tabel-spm tr { page-break-inside: "
                "avoid; } "
                ".ttd { page-break-inside: avoid; } "
                "table.tabel-spm thead { display: table-header-group; } "
                "h2, h3 { page-break-after: avoid; break-after: avoid; } }</style>")


def kotak(markdown_html: str, kelas: str = "kotak") -> HTML:
    """A highlighted box (classes of the report stylesheet: 'kotak', 'label-contoh', 'catatan')."""
    return HTML(f"<div class=\"{escape(kelas)}\">{markdown_html}</div>")


def label_contoh(data_label: str) -> HTML | None:
    """The 'data contoh (sintetis)' banner, or None for real data."""
    if not data_label:
        return None
    return HTML(f"<p class=\"label-contoh\">Perhatian: seluruh angka dalam dokumen ini adalah "
                f"{escape(data_label)}, bukan data resmi pemerintah daerah.</p>")


@dataclass
class Bagian:
    """A report section: blocks shown in order when the section is the last value of a cell."""

    blok: list[Any] = field(default_factory=list)

    def add(self, *blok: Any) -> "Bagian":
        self.blok.extend(b for b in blok if b is not None)
        return self

    def _ipython_display_(self) -> None:
        for b in self.displayed_blocks():
            display(b)

    def displayed_blocks(self) -> list[Any]:
        """What is displayed: runs of text, boxes and tables joined into one HTML output, figures and
        anything else on their own. One output instead of five per section matters in a batch: every
        output is a message from the kernel and a node in the exported page (~3 ms each, ×50 per report,
        ×552 reports). Figures stay separate so a notebook opened untrusted still shows them."""
        out: list[Any] = []
        run: list[Any] = []
        for b in self.blok:
            if isinstance(b, (Markdown, HTML, Tabel)):
                run.append(b)
                continue
            if run:
                out.append(_joined(run))
                run = []
            out.append(b)
        if run:
            out.append(_joined(run))
        return out

    def __iter__(self):
        return iter(self.blok)


@dataclass(frozen=True)
class Gabungan:
    """Consecutive text/HTML/table blocks shown as one output (see ``Bagian.displayed_blocks``)."""

    html: str
    teks: str

    def _repr_html_(self) -> str:
        return self.html

    def __repr__(self) -> str:
        return self.teks


def _joined(blocks: list[Any]) -> Any:
    if len(blocks) == 1 and not isinstance(blocks[0], Markdown):
        return blocks[0]
    return Gabungan("\n".join(_html_of(b) for b in blocks), "\n\n".join(_text_of(b) for b in blocks))


def _html_of(block: Any) -> str:
    if isinstance(block, Markdown):
        return markdown_html(block.data or "")
    if isinstance(block, HTML):
        return block.data or ""
    return block._repr_html_()


def _text_of(block: Any) -> str:
    if isinstance(block, Markdown):
        return block.data or ""
    if isinstance(block, HTML):
        return _TAG.sub("", block.data or "").strip()
    return repr(block)


_TAG = re.compile(r"<style[^>]*>.*?</style>|<[^>]+>", re.S)


@lru_cache(maxsize=1)
def _markdown():
    import mistune

    # escape=False: inline HTML in the text is kept, as Jupyter's own Markdown rendering does
    return mistune.create_markdown(escape=False, plugins=["strikethrough", "table"])


def markdown_html(text: str) -> str:
    """Markdown to HTML with mistune, the renderer nbconvert uses for the report's Markdown cells."""
    return _markdown()(text)


def daftar(butir: Iterable[str], bernomor: bool = True) -> Markdown:
    """A Markdown list (numbered by default)."""
    lines = [f"{i}. {b}" if bernomor else f"- {b}" for i, b in enumerate(butir, start=1)]
    return Markdown("\n".join(lines))
