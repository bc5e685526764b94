"""The report and the rencana aksi as PDF without a system browser: Typst markup from the block model.

Why Typst: the ``typst`` wheel on PyPI is the whole typesetter compiled into one binary module for Windows,
macOS and Linux (x86-64 and ARM), with no system library, no browser and no network; it renders SVG
figures natively, repeats table headers across pages, writes a real outline (PDF bookmarks and a daftar
isi) and "Halaman X dari Y" from page counters. It runs in-process, so a batch worker pays its start-up
once (fonts are loaded once per process, ``_fonts``) and each document costs only its layout. The fonts
are the DejaVu Sans files that matplotlib ships, so the PDF looks the same on every laptop and the
figures' text (DejaVu Sans) matches the body. Alternatives weighed: WeasyPrint needs Pango (a system
library, awkward on Windows); Chromium/Playwright downloads a browser (~150 MB) and starts a process per
worker; ReportLab would mean writing the layout engine ourselves.

Every piece of text goes into the markup as a Typst string literal (``#"…"``), so no user text (a
folder name, a sumber_data cell, RPJMD wording) can be read as Typst markup or code.
"""
from __future__ import annotations

import html
import shutil
import tempfile
from functools import lru_cache
from pathlib import Path
from typing import Any

from IPython.display import HTML, Markdown

from spm_helpers.errors import SPMError
from spm_helpers.files import atomic_path
from spm_helpers.views.blocks import (
    Catatan,
    Gambar,
    Judul,
    Kop,
    Kotak,
    Paragraf,
    Sampul,
    Tabel,
    TandaTangan,
    column_weights,
    markdown_ast,
)

BIRU = 'rgb("#1f4e79")'
GARIS = 'rgb("#c9d3de")'
HEADER_FILL = 'rgb("#e8eef5")'  # the HTML stylesheet's th background


RENDERER_ENV = "SPM_PDF"  # "chromium": print the HTML with Chromium even when Typst is installed (benchmarks)
CHROMIUM_PER_DOCUMENT = "chromium-per-dokumen"  # ... with one browser launch per PDF (the old way, benchmarks)


def available() -> bool:
    """Whether PDFs are typeset with Typst here (the package is installed and not switched off)."""
    import os

    if os.environ.get(RENDERER_ENV, "").strip().lower() in ("chromium", CHROMIUM_PER_DOCUMENT):
        return False
    try:
        import typst  # noqa: F401
    except ImportError:
        return False
    return True


@lru_cache(maxsize=1)
def _fonts():
    """DejaVu Sans from matplotlib's own font folder, loaded once per process (system fonts ignored, so the
    PDF is the same everywhere)."""
    import matplotlib
    import typst

    folder = Path(matplotlib.get_data_path()) / "fonts" / "ttf"
    return typst.Fonts(include_system_fonts=False, include_embedded_fonts=True, font_paths=[str(folder)])


def write_pdf(dokumen: Any, path: str | Path, blocks: list[Any] | None = None) -> Path:
    """Typeset ``dokumen`` (LaporanWilayah or DokumenRencanaAksi) to PDF with Typst (atomically)."""
    from spm_helpers.documents.docx_writer import walk

    if not available():
        raise SPMError("PDF tidak dapat dibuat: paket Python 'typst' belum terpasang. Pasang dengan "
                       "'pip install typst' (berlaku di Windows, macOS, dan Linux) atau pilih --format html,docx.")
    import typst

    blocks = walk(dokumen) if blocks is None else blocks
    path = Path(path)
    with tempfile.TemporaryDirectory(prefix="spm-typst-") as root:
        markup = _Writer(dokumen, Path(root)).document(blocks)
        (Path(root) / "dokumen.typ").write_text(markup, encoding="utf-8")
        try:
            pdf = typst.compile(markup.encode("utf-8"), root=root, font_paths=_fonts(), pdf_tags=False)
        except typst.TypstError as exc:  # a bug of ours, not of the user's data: say where
            raise SPMError(f"PDF {path.name} gagal disusun (Typst): {exc.message}") from exc
    with atomic_path(path) as tmp:
        tmp.write_bytes(pdf)
    return path


def s(text: Any) -> str:
    """Text as a Typst string literal in markup (``#"…"``): nothing inside is markup."""
    t = str(text).replace("\\", "\\\\").replace('"', '\\"').replace("\n", " ").replace("\r", "")
    return f'#"{t}"'


class _Writer:
    def __init__(self, dokumen: Any, root: Path):
        self.dokumen = dokumen
        self.root = root
        self.figures = 0
        self.toc_written = False

    def document(self, blocks: list[Any]) -> str:
        idt = self.dokumen.identitas
        width, height = idt.ukuran_kertas
        label = self.dokumen.h.data.data_label
        header = (f'header: align(right, text(size: 8pt, fill: rgb("#8a6d00"))[{s(label.upper())}]),'
                  if label else "")
        head = f"""#set document(title: {_str(self.dokumen.judul)})
#set page(width: {width}mm, height: {height}mm, margin: (x: 20mm, top: 20mm, bottom: 18mm), {header}
  footer: context align(right, text(size: 8pt, fill: rgb("#5f6b7a"))[Halaman #counter(page).display() dari #counter(page).final().first()]))
#set text(font: "DejaVu Sans", size: 10pt, lang: "id")
#set par(leading: 0.62em, spacing: 0.9em)
#show heading: set text(fill: {BIRU})
#show heading.where(level: 1): it => {{ v(0.6em); text(size: 15pt, it); v(-0.3em); line(length: 100%, stroke: 0.8pt + {BIRU}); v(0.2em) }}
#show heading.where(level: 2): set text(size: 12pt)
#set table(stroke: 0.5pt + {GARIS}, inset: (x: 4pt, y: 3pt))
#set list(indent: 0.6em)
#set enum(indent: 0.6em)
"""
        return head + "\n".join(self.block(b) for b in blocks) + "\n"

    # ------------------------------------------------------------------------- dispatch
    def block(self, b: Any) -> str:
        if isinstance(b, Judul):
            toc = ""
            if not self.toc_written and b.tingkat == 1:
                self.toc_written = True
                toc = ('#outline(title: [Daftar Isi], depth: 2, indent: 1.2em)\n#pagebreak()\n')
            return toc + f"#heading(level: {b.tingkat})[{s(b.teks)}]"
        if isinstance(b, Sampul):
            return self.sampul(b)
        if isinstance(b, Markdown):
            return self.markdown(b.data or "")
        if isinstance(b, Tabel):
            return self.tabel(b)
        if isinstance(b, Gambar):
            return self.gambar(b)
        if isinstance(b, TandaTangan):
            return self.ttd(b)
        if isinstance(b, Kotak):
            return (f"#block(fill: rgb(\"#f1f6fb\"), inset: 8pt, width: 100%, stroke: (left: 3pt + {BIRU}))"
                    f"[{self.markdown(b.markdown)}]")
        if isinstance(b, Paragraf):
            return "\n\n".join(s(p) for p in b.paragraphs())
        if isinstance(b, Catatan):
            return self.catatan(b)
        if isinstance(b, Kop):
            return self.kop(b)
        if isinstance(b, HTML):
            return ""
        return s(repr(b))

    # ------------------------------------------------------------------------- blocks
    def catatan(self, c: Catatan) -> str:
        if c.kelas == "label-contoh":
            return (f'#block(fill: rgb("#fff4ce"), stroke: 0.6pt + rgb("#e0b300"), inset: 6pt, radius: 2pt)'
                    f'[#strong[{s(c.teks)}]]')
        return f'#text(size: 8.5pt, fill: rgb("#5f6b7a"))[{s(c.teks)}]'

    def kop(self, k: Kop) -> str:
        lines = (f"#align(center)[#text(size: 13pt, weight: \"bold\")[{s(k.pemerintah)}] \\ "
                 f"#text(size: 11.5pt, weight: \"bold\")[{s(k.kantor)}] \\ #text(size: 8.5pt)[{s(k.alamat)}]]")
        if k.lambang:
            name = f"lambang{Path(k.lambang).suffix.lower()}"
            shutil.copyfile(k.lambang, self.root / name)
            body = f'#grid(columns: (22mm, 1fr), align: horizon, image("{name}", width: 19mm), [{lines}])'
        else:
            body = lines
        return f"{body}\n#v(-0.4em)\n#line(length: 100%, stroke: 1.6pt)\n#v(-0.75em)\n#line(length: 100%, stroke: 0.5pt)"

    def sampul(self, c: Sampul) -> str:
        parts = [self.kop(c.kop)] if c.kop else []
        if c.atas:
            parts.append("#align(center)[" + " \\ ".join(s(a) for a in c.atas) + "]")
        parts.append("#v(1fr)")
        inner = [f'#text(size: 20pt, fill: {BIRU})[{s(c.judul)}]', "#v(0.8em)",
                 f'#text(size: 17pt, weight: "bold")[{s(c.nama)}]']
        if c.sub:
            inner.append(f"#text(size: 12pt)[{s(c.sub)}]")
        inner.append(f"#v(0.4em) #text(size: 13pt)[{s(c.periode)}]")
        parts.append("#align(center)[" + " \\ \n".join(inner) + "]")
        if c.label:
            parts.append("#v(1em)\n#align(center)[" + self.catatan(Catatan(c.label, "label-contoh")) + "]")
        parts.append("#v(1fr)")
        if c.catatan:
            parts.append("#align(center)[#text(size: 8.5pt)[" + " \\ ".join(s(x) for x in c.catatan) + "]]")
        parts.append("#pagebreak()")
        return "\n".join(parts)

    def markdown(self, text: str) -> str:
        out = []
        for tok in markdown_ast(text):
            kind = tok["type"]
            if kind == "paragraph":
                out.append(_inline(tok.get("children", [])))
            elif kind == "list":
                attrs = tok.get("attrs", {})
                items = ", ".join("[" + _inline([c for child in item.get("children", [])
                                                 for c in (child.get("children", [])
                                                           if child["type"] in {"block_text", "paragraph"}
                                                           else [child])]) + "]"
                                  for item in tok.get("children", []))
                out.append(f"#enum(start: {attrs.get('start', 1) or 1}, {items})" if attrs.get("ordered")
                           else f"#list({items})")
            elif kind == "heading":
                out.append(f"#heading(level: {min(int(tok['attrs']['level']), 3)}, outlined: false)"
                           f"[{_inline(tok.get('children', []))}]")
            elif kind != "blank_line":
                out.append(_inline(tok.get("children", []) or [{"type": "text", "raw": tok.get("raw", "")}]))
        return "\n\n".join(out)

    def tabel(self, t: Tabel) -> str:
        widths = column_weights(t)
        cols = "(" + ", ".join(f"{w}fr" for w in widths) + ",)"
        align = "(" + ", ".join("right" if n else "left" for n in t.numeric) + ",)"
        size = "8pt" if len(t.header) >= 5 else "8.8pt"
        # the header's fill on its own cells: a fill function is evaluated for every cell of the table and was
        # a fifth of the whole document's typesetting time (benchmarks/laporan.py)
        # cells as string arguments, not content blocks around a string: a tenth of the typesetting
        header = ", ".join(f"table.cell(fill: {HEADER_FILL}, strong({_str(h)}))" for h in t.header)
        cells = ", ".join(_str(c) for row in t.rows for c in row)
        caption = f"#block(sticky: true)[#strong[{s(t.judul)}]]\n" if t.judul else ""
        note = f"\n{self.catatan(Catatan(t.catatan))}" if t.catatan else ""
        return (f"{caption}#block(width: 100%)[#set text(size: {size})\n#table(columns: {cols}, align: {align}, "
                f"table.header(repeat: true, {header}), "
                f"{cells})]{note}")

    def gambar(self, g: Gambar) -> str:
        self.figures += 1
        name = f"gambar{self.figures}.svg"
        (self.root / name).write_text(g.data, encoding="utf-8")
        cap = f"Gambar {self.figures}. {g.alt}" if g.alt else f"Gambar {self.figures}."
        return (f'#block(breakable: false)[#align(center)[#image("{name}", width: 100%, alt: {_str(g.alt)})]\n'
                f'#align(center)[#text(size: 8.5pt, fill: rgb("#24384f"))[{s(cap)}]]]')

    def ttd(self, t: TandaTangan) -> str:
        above = " \\ ".join(s(x) for x in t.lines_above())
        below = f"#underline[#strong[{s(t.nama)}]]" + (f" \\ {s('NIP ' + t.nip)}" if t.nip else "")
        return (f"#v(1em)\n#align(right)[#block(breakable: false, width: 80mm)[#align(center)[{above} \\ "
                f"#v(18mm) {below}]]]")


def _str(text: Any) -> str:
    """A Typst string expression (code mode)."""
    return '"' + str(text).replace("\\", "\\\\").replace('"', '\\"').replace("\n", " ").replace("\r", "") + '"'


def _inline(children: list[dict]) -> str:
    out = []
    for ch in children:
        kind = ch["type"]
        if kind in {"text", "codespan"}:
            out.append(s(html.unescape(ch.get("raw", ""))))
        elif kind == "strong":
            out.append(f"#strong[{_inline(ch.get('children', []))}]")
        elif kind == "emphasis":
            out.append(f"#emph[{_inline(ch.get('children', []))}]")
        elif kind == "softbreak":
            out.append('#" "')
        elif kind == "linebreak":
            out.append(" \\ ")
        elif kind == "inline_html":
            continue
        else:
            out.append(_inline(ch.get("children", []) or [{"type": "text", "raw": ch.get("raw", "")}]))
    return "".join(out)


