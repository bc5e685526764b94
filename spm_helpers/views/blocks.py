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
          lebar: Mapping[str, str] | None = None, kosong: Mapping[str, str] | None = None) -> Tabel:
    """Format ``df`` for reading. ``kolom`` maps a column to (header, format) where format is one of
    teks, angka, desimal, persen, persen1, rupiah, rupiah_ringkas, juta (millions of rupiah), tahun. Rows past ``maks_baris`` are
    left out and the footnote says how many (the full table is in the CSV output). ``lebar`` sets the CSS
    width of some columns (e.g. {"kegiatan": "35%"}). ``kosong`` gives the words for a missing value in some
    columns instead of '–' (e.g. {"alokasi": "belum dilaporkan"}: an unreported amount is not Rp 0)."""
    unknown = {f for _, f in kolom.values()} - set(_FORMAT)
    if unknown:
        raise SPMValueError(f"format kolom tidak dikenal: {', '.join(sorted(unknown))}")
    shown = df if maks_baris is None else df.head(maks_baris)
    formats = [_FORMAT[f] if not kosong or c not in kosong else _or_words(_FORMAT[f], kosong[c])
               for c, (_, f) in kolom.items()]
    # column lists zipped, not itertuples: a quarter of the time on the small tables of a report (33 each)
    rows = ([[f(v) for v, f in zip(values, formats)] for values in zip(*(shown[c].tolist() for c in kolom))]
            if kolom else [[] for _ in range(len(shown))])
    if maks_baris is not None and len(df) > maks_baris:
        extra = f"{len(df) - maks_baris} baris lain tidak ditampilkan; tabel lengkap ada di berkas hasil (CSV)."
        catatan = f"{catatan} {extra}" if catatan else extra
    widths = None if lebar is None else [lebar.get(c) for c in kolom]
    return Tabel([h for h, _ in kolom.values()], rows, [f in NUMERIC_FORMATS for _, f in kolom.values()],
                 judul, catatan, widths)


def _or_words(format_: Callable[[Any], str], words: str) -> Callable[[Any], str]:
    def cell(v: Any) -> str:
        return words if v is None or v is pd.NA or (isinstance(v, float) and v != v) else format_(v)
    return cell


@dataclass(frozen=True)
class Gambar:
    """An SVG figure ready to show. IPython's ``SVG`` would re-parse the whole document with minidom
    (~12 ms a figure, twice per report, 552 reports) only to find the ``<svg>`` element we already have.
    ``fig`` keeps the (closed) matplotlib figure so a Word document can ask for a PNG of it (Word has no
    reliable SVG support); it is dropped from equality and repr."""

    data: str
    alt: str = ""
    fig: Any = field(default=None, compare=False, repr=False)

    def _repr_mimebundle_(self, include=None, exclude=None) -> tuple[dict, dict]:
        """The SVG, a text fallback, and the description as ``alt`` metadata (the exported page's <img>)."""
        return ({"image/svg+xml": self.data, "text/plain": repr(self)},
                {"image/svg+xml": {"alt": self.alt}} if self.alt else {})

    def __repr__(self) -> str:  # text/plain: what a terminal or a screen reader without SVG gets
        return f"[Gambar: {self.alt}]" if self.alt else "[Gambar]"

    def png(self, dpi: int = 200) -> bytes:
        """The figure as PNG (for DOCX); a closed figure can still be drawn."""
        if self.fig is None:
            raise ValueError("gambar ini tidak menyimpan figur matplotlib-nya")
        buf = io.BytesIO()
        self.fig.savefig(buf, format="png", dpi=dpi, facecolor="white")
        return buf.getvalue()


def figure(fig, format: str = "svg", dpi: int = FIGURE_DPI, alt: str | None = None) -> Gambar | Image:
    """The figure embedded in the output and closed, so it is neither shown twice nor kept in memory.

    SVG by default: lines and text stay sharp in print, the file is a third of a PNG's size, and it is
    written faster (no rasterising), which matters when the report runs for 552 regions. Text is kept as
    text in DejaVu Sans; a viewer without that font uses another sans-serif. ``format="png"`` gives a
    raster image instead. ``alt`` (default: the figure's title) is what a screen reader announces."""
    import matplotlib.pyplot as plt

    alt = alt if alt is not None else _title(fig)
    legible_in_print(fig)
    buf = io.BytesIO()
    try:
        if format == "svg":
            with plt.rc_context({"svg.fonttype": "none", "svg.hashsalt": "spm"}):
                fig.savefig(buf, format="svg", facecolor="white", metadata={"Date": None})  # reproducible
            return Gambar(_svg_described(buf.getvalue().decode("utf-8"), alt), alt, fig)
        fig.savefig(buf, format="png", dpi=dpi, facecolor="white")
        return Image(data=buf.getvalue(), format="png", metadata={"alt": alt} if alt else None)
    finally:
        plt.close(fig)


PRINT_WIDTH_IN = 6.5  # text width of an A4/F4 page with 2 cm margins (165 mm): a figure is printed this wide
MIN_PRINT_PT = 8.0


def legible_in_print(fig) -> None:
    """Raise every text of ``fig`` to at least 8 pt *as printed*: a figure wider than the text column is
    scaled down to it, so a 9-inch figure needs 11 pt text to print at 8 pt. The charts leave room for
    it (their margins are fixed in inches), so the layout is not redone here."""
    scale = min(1.0, PRINT_WIDTH_IN / fig.get_figwidth())
    floor = MIN_PRINT_PT / scale
    for text in fig.findobj(lambda a: hasattr(a, "get_fontsize") and hasattr(a, "get_text")):
        if text.get_text() and text.get_fontsize() < floor - 1e-6:
            text.set_fontsize(floor)


def print_font_sizes(fig) -> list[float]:
    """Font size of every visible text of ``fig`` as printed (points), for tests."""
    scale = min(1.0, PRINT_WIDTH_IN / fig.get_figwidth())
    return [t.get_fontsize() * scale for t in fig.findobj(lambda a: hasattr(a, "get_fontsize")
                                                           and hasattr(a, "get_text")) if t.get_text()]


def _title(fig) -> str:
    """The figure's own title: suptitle, else the first axes title; on one line (a long title is drawn wrapped,
    ``charts.title_lines``, but its caption and alt text are one sentence)."""
    sup = getattr(fig, "_suptitle", None)
    if sup is not None and sup.get_text():
        return " ".join(sup.get_text().split())
    return " ".join(next((ax.get_title() for ax in fig.axes if ax.get_title()), "").split())


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


def gaya_cetak(data_label: str = "", kertas: str = "A4") -> HTML:
    """Print rules that depend on the document (the page shell's stylesheet has the rest): the demo label
    in every page's top margin and the paper size (A4 or F4). Scoped to print, so a JupyterLab page
    showing the output is not restyled."""
    from spm_helpers.views import prose

    return HTML(prose.html("blok/gaya_cetak.html.j2", data_label=data_label.upper(), kertas=kertas))


def kotak(markdown_html: str, kelas: str = "kotak") -> HTML:
    """A highlighted box (classes of the report stylesheet: 'kotak', 'label-contoh', 'catatan')."""
    return HTML(f"<div class=\"{escape(kelas)}\">{markdown_html}</div>")


def label_contoh(data_label: str) -> "Catatan | None":
    """The 'data contoh (sintetis)' banner, or None for real data."""
    if not data_label:
        return None
    return Catatan(f"Perhatian: seluruh angka dalam dokumen ini adalah {data_label}, bukan data resmi "
                   "pemerintah daerah.", "label-contoh")


# ----------------------------------------------------------------------------- structured blocks
# The document model shared by every output: the notebook/HTML page shows these blocks through
# ``_repr_html_`` (Jinja2 templates with autoescape), the Word and PDF writers read their fields. A
# block never carries raw HTML, so user text is escaped in every output.
@dataclass(frozen=True)
class Paragraf:
    """Plain text given by the user (RPJMD/KUA wording): paragraphs separated by blank lines, no markup."""

    teks: str

    def paragraphs(self) -> list[str]:
        return [" ".join(p.split()) for p in re.split(r"\n\s*\n", self.teks.strip()) if p.strip()]

    def _repr_html_(self) -> str:
        from spm_helpers.views import prose

        return prose.html("blok/paragraf.html.j2", paragraf=self.paragraphs())

    def __repr__(self) -> str:
        return "\n\n".join(self.paragraphs())


@dataclass(frozen=True)
class Catatan:
    """A short line of plain text with a style: 'label-contoh' (demo banner), 'catatan' (small grey)."""

    teks: str
    kelas: str = "catatan"

    def _repr_html_(self) -> str:
        from spm_helpers.views import prose

        return prose.html("blok/catatan.html.j2", teks=self.teks, kelas=self.kelas)

    def __repr__(self) -> str:
        return self.teks


@dataclass(frozen=True)
class Kotak:
    """A highlighted box of Markdown (the product's own prose; user values escaped by ``prose``)."""

    markdown: str

    def _repr_html_(self) -> str:
        return f"<div class=\"kotak\">{markdown_html(self.markdown)}</div>"

    def __repr__(self) -> str:
        return self.markdown


@dataclass(frozen=True)
class Kop:
    """Kop surat: lambang daerah, government, office, address."""

    pemerintah: str
    kantor: str
    alamat: str
    lambang: Any = None  # Path of a PNG/JPEG or None

    def lambang_uri(self) -> str | None:
        if self.lambang is None:
            return None
        import base64
        from pathlib import Path

        p = Path(self.lambang)
        mime = "image/png" if p.suffix.lower() == ".png" else "image/jpeg"
        return f"data:{mime};base64," + base64.b64encode(p.read_bytes()).decode("ascii")

    def _repr_html_(self) -> str:
        from spm_helpers.views import prose

        return prose.html("blok/kop.html.j2", kop=self, lambang_uri=self.lambang_uri())

    def __repr__(self) -> str:
        return "\n".join([self.pemerintah, self.kantor, self.alamat])


@dataclass(frozen=True)
class Sampul:
    """The cover: kop surat, lines above the title, title, region, period, demo banner, notes."""

    kop: Kop | None
    judul: str
    nama: str
    periode: str
    atas: tuple[str, ...] = ()
    sub: str = ""
    label: str = ""
    catatan: tuple[str, ...] = ()

    def _repr_html_(self) -> str:
        from spm_helpers.views import prose

        return prose.html("blok/sampul.html.j2", s=self, kop=self.kop._repr_html_() if self.kop else "")

    def __repr__(self) -> str:
        lines = [*([repr(self.kop)] if self.kop else []), *self.atas, self.judul, self.nama,
                 *([self.sub] if self.sub else []), self.periode, *([self.label] if self.label else []),
                 *self.catatan]
        return "\n".join(lines)


@dataclass(frozen=True)
class TandaTangan:
    """A signature block: place and date, 'a.n.' line, jabatan, room to sign, name, NIP."""

    jabatan: str
    nama: str
    tempat_tanggal: str = ""
    atas_nama: str = ""
    nip: str = ""

    def lines_above(self) -> list[str]:
        return [x for x in (self.tempat_tanggal, self.atas_nama, self.jabatan) if x]

    def lines_below(self) -> list[str]:
        return [self.nama, *([f"NIP {self.nip}"] if self.nip else [])]

    def _repr_html_(self) -> str:
        from spm_helpers.views import prose

        return prose.html("blok/ttd.html.j2", t=self)

    def __repr__(self) -> str:
        return "\n".join(self.lines_above() + self.lines_below())


@dataclass(frozen=True)
class Judul:
    """A heading in the document outline (level 1 = chapter, 2 = section)."""

    teks: str
    tingkat: int = 1


STRUCTURED = (Paragraf, Catatan, Kotak, Kop, Sampul, TandaTangan)


def section(method: Callable) -> Callable:
    """A document's section method whose result is kept: the notebook shows the section, and the Word and
    PDF writers walking the outline afterwards in the same kernel get the very same blocks (figures are
    not drawn twice)."""
    import functools

    @functools.wraps(method)
    def kept(self, *args):
        cache = self.__dict__.setdefault("_sections", {})
        key = (method.__name__, args)
        if key not in cache:
            cache[key] = method(self, *args)
        return cache[key]

    return kept


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
            if b is None:  # e.g. label_contoh for real data: display(None) would print a stray 'None'
                continue
            if isinstance(b, (Markdown, HTML, Tabel, *STRUCTURED)):
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


@lru_cache(maxsize=1)
def _markdown_tokens():
    import mistune

    return mistune.create_markdown(renderer=None, plugins=["strikethrough", "table"])


def markdown_ast(text: str) -> list[dict]:
    """Markdown as mistune's token tree (for the Word and PDF writers); text keeps HTML entities."""
    return _markdown_tokens()(text)


def markdown_html(text: str) -> str:
    """Markdown to HTML with mistune, the renderer nbconvert uses for the report's Markdown cells."""
    return _markdown()(text)


def daftar(butir: Iterable[str], bernomor: bool = True) -> Markdown:
    """A Markdown list (numbered by default)."""
    lines = [f"{i}. {b}" if bernomor else f"- {b}" for i, b in enumerate(butir, start=1)]
    return Markdown("\n".join(lines))


def column_weights(t: Tabel) -> list[int]:
    """Relative column widths in characters: a figure column as wide as its longest figure or header word
    (figures never wrap), a text column as wide as its longest cell, between 10 and 34 characters."""
    weights = []
    for i, numeric in enumerate(t.numeric):
        cells = [r[i] for r in t.rows]
        word = max((len(w) for w in t.header[i].split()), default=4)
        if numeric:
            weights.append(max([word, *(len(c) for c in cells)]) + 3)
        else:
            weights.append(min(max([10, word, *(len(c) for c in cells)]), 34) + 2)
    given = [float(w[:-1]) if w and w.endswith("%") else None for w in (t.lebar or [])]
    if any(g is not None for g in given):  # the table's own CSS widths (e.g. kegiatan 36%) win
        rest = [i for i, g in enumerate(given) if g is None]
        left = max(100.0 - sum(g for g in given if g is not None), 5.0 * len(rest))
        share = sum(weights[i] for i in rest) or 1
        weights = [given[i] if given[i] is not None else left * weights[i] / share for i in range(len(weights))]
        weights = [max(1, round(w * 10)) for w in weights]
    return weights
