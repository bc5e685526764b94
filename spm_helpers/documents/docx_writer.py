"""The report and the rencana aksi as an editable Word document (DOCX), from the same blocks as the HTML.

Every office edits the narrative and the tables in Word before the Sekda and the regional head sign, so
the DOCX is a real Word document, not a picture of a page: Word heading styles (Heading 1/2, so the
navigation pane and the table of contents work), a TOC field, Word tables whose header row repeats on
every page, figures as PNG images with a caption, "Halaman X dari Y" from PAGE/NUMPAGES fields in the
footer, the kop surat on the cover and signature blocks with name and NIP. The document walks the same
``outline`` as the notebook (``report_sections.OUTLINE``, ``rencana_aksi.OUTLINE``), so headings and text
match the HTML (tested).
"""
from __future__ import annotations

import html
import io
from pathlib import Path
from typing import Any

from IPython.display import HTML, Markdown

from spm_helpers.files import atomic_path
from spm_helpers.views.blocks import (
    Bagian,
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

FONT = "Arial"  # present in every office's Word; LibreOffice substitutes the metric-compatible Liberation Sans
BIRU = (0x1F, 0x4E, 0x79)
TOC_TITLE = "Daftar Isi"


def walk(dokumen: Any) -> list[Any]:
    """The outline of ``dokumen`` (LaporanWilayah or DokumenRencanaAksi) as a flat list of blocks: a
    ``Judul`` for each heading, then the blocks of each section, in reading order."""
    blocks: list[Any] = []
    for step in dokumen.outline:
        if isinstance(step, Judul):
            blocks.append(step)
            continue
        name, *args = step
        section = getattr(dokumen, name)(*args)
        blocks.extend(section.blok if isinstance(section, Bagian) else [section])
    return blocks


def write_docx(dokumen: Any, path: str | Path) -> Path:
    """Write ``dokumen`` as DOCX (atomically)."""
    return write_docx_blocks(dokumen, None, path)


def write_docx_blocks(dokumen: Any, blocks: list[Any] | None, path: str | Path) -> Path:
    """Write already walked ``blocks`` of ``dokumen`` as DOCX (atomically)."""
    path = Path(path)
    data = docx_bytes(dokumen, blocks)
    with atomic_path(path) as tmp:
        tmp.write_bytes(data)
    return path


def docx_bytes(dokumen: Any, blocks: list[Any] | None = None) -> bytes:
    import docx

    blocks = walk(dokumen) if blocks is None else blocks
    doc = docx.Document()
    w = _Writer(doc, dokumen)
    w.setup()
    for b in blocks:
        w.block(b)
    buf = io.BytesIO()
    doc.save(buf)
    return buf.getvalue()


class _Writer:
    def __init__(self, doc, dokumen):
        self.doc = doc
        self.dokumen = dokumen
        self.figures = 0
        self.tables = 0
        self.toc_written = False
        self.headings = [b for b in dokumen.outline if isinstance(b, Judul)]

    # ------------------------------------------------------------------------- page, styles, fields
    def setup(self) -> None:
        from docx.enum.text import WD_ALIGN_PARAGRAPH
        from docx.shared import Mm, Pt, RGBColor

        idt = self.dokumen.identitas
        width, height = idt.ukuran_kertas
        sec = self.doc.sections[0]
        sec.page_width, sec.page_height = Mm(width), Mm(height)
        sec.left_margin = sec.right_margin = Mm(20)
        sec.top_margin, sec.bottom_margin = Mm(20), Mm(18)
        styles = self.doc.styles
        normal = styles["Normal"]
        normal.font.name = FONT
        normal.font.size = Pt(11)
        _east_asian_font(normal, FONT)
        normal.paragraph_format.space_after = Pt(6)
        for name, size in (("Heading 1", 15), ("Heading 2", 12.5), ("Title", 20)):
            st = styles[name]
            st.font.name = FONT
            st.font.size = Pt(size)
            st.font.color.rgb = RGBColor(*BIRU)
            _east_asian_font(st, FONT)
        cap = styles["Caption"]
        cap.font.name = FONT
        cap.font.size = Pt(9)
        cap.font.color.rgb = RGBColor(0x24, 0x38, 0x4F)
        # footer: "Halaman X dari Y"; header: the demo label on every page
        p = sec.footer.paragraphs[0]
        p.alignment = WD_ALIGN_PARAGRAPH.RIGHT
        for part in ("Halaman ", "PAGE", " dari ", "NUMPAGES"):
            if part.isupper():
                _field(p, part, "1")
            else:
                p.add_run(part)
        for r in p.runs:
            r.font.size = Pt(8)
        label = self.dokumen.h.data.data_label
        if label:
            hp = sec.header.paragraphs[0]
            hp.alignment = WD_ALIGN_PARAGRAPH.RIGHT
            run = hp.add_run(label.upper())
            run.font.size = Pt(8)
            run.font.color.rgb = RGBColor(0x8A, 0x6D, 0x00)
        self.doc.core_properties.title = self.dokumen.judul
        self.doc.core_properties.language = "id-ID"
        _update_fields_on_open(self.doc)

    # ------------------------------------------------------------------------- dispatch
    def block(self, b: Any) -> None:
        if isinstance(b, Judul):
            if not self.toc_written and b.tingkat == 1:
                self.toc()
            self.doc.add_heading(b.teks, level=b.tingkat)
        elif isinstance(b, Sampul):
            self.sampul(b)
        elif isinstance(b, Markdown):
            self.markdown(b.data or "")
        elif isinstance(b, Tabel):
            self.tabel(b)
        elif isinstance(b, Gambar):
            self.gambar(b)
        elif isinstance(b, TandaTangan):
            self.ttd(b)
        elif isinstance(b, Kotak):
            self.markdown(b.markdown, shade=True)
        elif isinstance(b, Paragraf):
            for text in b.paragraphs():
                self.doc.add_paragraph(text)
        elif isinstance(b, Catatan):
            self.catatan(b)
        elif isinstance(b, Kop):
            self.kop(b)
        elif isinstance(b, HTML):
            pass  # print rules (gaya_cetak) only concern the HTML page
        else:
            self.doc.add_paragraph(repr(b))

    # ------------------------------------------------------------------------- blocks
    def toc(self) -> None:
        """A Word TOC field whose cached result already lists the headings (Word adds page numbers when
        it updates the field on opening; LibreOffice shows the list as is)."""
        from docx.shared import Pt

        self.toc_written = True
        p = self.doc.add_paragraph(style="Title")
        p.add_run(TOC_TITLE).font.size = Pt(15)
        styles = [_toc_style(self.doc, level) for level in (1, 2)]
        first = self.doc.add_paragraph(style=styles[0])
        _field_begin(first, r'TOC \o "1-2" \h \z \u')
        for i, h in enumerate(self.headings):
            par = first if i == 0 else self.doc.add_paragraph(style=styles[min(h.tingkat, 2) - 1])
            run = par.add_run(h.teks)
            run.bold = h.tingkat == 1
        _field_end(self.doc.paragraphs[-1])
        self.doc.add_page_break()

    def kop(self, k: Kop) -> None:
        from docx.enum.text import WD_ALIGN_PARAGRAPH
        from docx.shared import Mm, Pt

        t = self.doc.add_table(rows=1, cols=2 if k.lambang else 1)
        t.autofit = False
        cells = t.rows[0].cells
        text_width = self.dokumen.identitas.ukuran_kertas[0] - 40
        if k.lambang:
            for col, cell, width in zip(t.columns, cells, (Mm(25), Mm(text_width - 25))):
                col.width = cell.width = width  # grid for LibreOffice, cell widths for Word
            cells[0].paragraphs[0].add_run().add_picture(str(k.lambang), width=Mm(20))
        text = cells[-1]
        for i, (line, size, bold) in enumerate(((k.pemerintah, 14, True), (k.kantor, 12, True), (k.alamat, 9, False))):
            p = text.paragraphs[0] if i == 0 else text.add_paragraph()
            p.alignment = WD_ALIGN_PARAGRAPH.CENTER
            p.paragraph_format.space_after = Pt(0)
            r = p.add_run(line)
            r.bold, r.font.size = bold, Pt(size)
        rule = self.doc.add_paragraph()
        _bottom_border(rule)

    def sampul(self, s: Sampul) -> None:
        from docx.enum.text import WD_ALIGN_PARAGRAPH
        from docx.shared import Pt

        if s.kop:
            self.kop(s.kop)
        for line in s.atas:
            p = self.doc.add_paragraph(line)
            p.alignment = WD_ALIGN_PARAGRAPH.CENTER
        for _ in range(4):
            self.doc.add_paragraph()
        title = self.doc.add_paragraph(s.judul, style="Title")
        title.alignment = WD_ALIGN_PARAGRAPH.CENTER
        for text, size, bold in ((s.nama, 18, True), (s.sub, 13, False), (s.periode, 14, False)):
            if text:
                p = self.doc.add_paragraph()
                p.alignment = WD_ALIGN_PARAGRAPH.CENTER
                r = p.add_run(text)
                r.bold, r.font.size = bold, Pt(size)
        if s.label:
            self.catatan(Catatan(s.label, "label-contoh"), center=True)
        for _ in range(3):
            self.doc.add_paragraph()
        for line in s.catatan:
            p = self.doc.add_paragraph()
            p.alignment = WD_ALIGN_PARAGRAPH.CENTER
            r = p.add_run(line)
            r.font.size = Pt(9)
        self.doc.add_page_break()

    def catatan(self, c: Catatan, center: bool = False) -> None:
        from docx.enum.text import WD_ALIGN_PARAGRAPH
        from docx.shared import Pt, RGBColor

        p = self.doc.add_paragraph()
        if center:
            p.alignment = WD_ALIGN_PARAGRAPH.CENTER
        r = p.add_run(c.teks)
        if c.kelas == "label-contoh":
            r.bold = True
            _shade(p, "FFF4CE")
        else:
            r.font.size = Pt(9)
            r.font.color.rgb = RGBColor(0x5F, 0x6B, 0x7A)

    def markdown(self, text: str, shade: bool = False) -> None:
        for tok in markdown_ast(text):
            kind = tok["type"]
            if kind == "paragraph":
                p = self.doc.add_paragraph()
                _inline(p, tok.get("children", []))
                if shade:
                    _shade(p, "F1F6FB")
            elif kind == "list":
                ordered = tok.get("attrs", {}).get("ordered", False)
                start = tok.get("attrs", {}).get("start", 1) or 1
                for i, item in enumerate(tok.get("children", []), start=start):
                    self._list_item(item, f"{i}." if ordered else "•", shade)
            elif kind == "heading":
                self.doc.add_heading(_plain(tok.get("children", [])), level=min(int(tok["attrs"]["level"]), 3))
            elif kind == "blank_line":
                continue
            else:
                p = self.doc.add_paragraph()
                _inline(p, tok.get("children", []) or [{"type": "text", "raw": tok.get("raw", "")}])

    def _list_item(self, item: dict, marker: str, shade: bool) -> None:
        """Numbers written as text with a hanging indent: Word's automatic numbering would continue one
        list's numbers into the next (python-docx cannot restart a numbering)."""
        from docx.shared import Pt

        p = self.doc.add_paragraph()
        p.paragraph_format.left_indent = Pt(22)
        p.paragraph_format.first_line_indent = Pt(-16)
        p.paragraph_format.space_after = Pt(3)
        p.add_run(f"{marker}\t")
        p.paragraph_format.tab_stops.add_tab_stop(Pt(22))
        children = []
        for child in item.get("children", []):
            children.extend(child.get("children", []) if child["type"] in {"block_text", "paragraph"} else [child])
        _inline(p, children)
        if shade:
            _shade(p, "F1F6FB")

    def tabel(self, t: Tabel) -> None:
        from docx.enum.table import WD_TABLE_ALIGNMENT
        from docx.enum.text import WD_ALIGN_PARAGRAPH
        from docx.shared import Mm, Pt


        self.tables += 1
        if t.judul:
            cap = self.doc.add_paragraph(style="Caption")
            cap.add_run(t.judul).bold = True
            cap.paragraph_format.keep_with_next = True
        table = self.doc.add_table(rows=1 + len(t.rows), cols=len(t.header))
        table.style = "Table Grid"
        table.alignment = WD_TABLE_ALIGNMENT.CENTER
        size = Pt(8.5 if len(t.header) >= 5 else 9.5)
        table.autofit = False
        text_width = self.dokumen.identitas.ukuran_kertas[0] - 40  # mm between the margins
        weights = column_weights(t)
        widths = [Mm(text_width * w / sum(weights)) for w in weights]
        for col, width in zip(table.columns, widths):
            col.width = width  # the table grid (LibreOffice reads this; Word reads the cell widths)
        for r, values in enumerate([t.header, *t.rows]):
            row = table.rows[r]
            if r == 0:
                _repeat_header(row)
            _cant_split(row)
            cells = row.cells  # python-docx rebuilds this list on every access
            for c, (value, numeric) in enumerate(zip(values, t.numeric)):
                cell = cells[c]
                cell.width = widths[c]
                p = cell.paragraphs[0]
                p.paragraph_format.space_after = Pt(0)
                if numeric:
                    p.alignment = WD_ALIGN_PARAGRAPH.RIGHT
                run = p.add_run(value)
                run.font.size = size
                if r == 0:
                    run.bold = True
                    _shade_cell(cell, "E8EEF5")
        if t.catatan:
            self.catatan(Catatan(t.catatan))
        else:
            self.doc.add_paragraph().paragraph_format.space_after = Pt(2)

    def gambar(self, g: Gambar) -> None:
        from docx.enum.text import WD_ALIGN_PARAGRAPH
        from docx.shared import Mm

        self.figures += 1
        width = Mm(self.dokumen.identitas.ukuran_kertas[0] - 45)
        p = self.doc.add_paragraph()
        p.alignment = WD_ALIGN_PARAGRAPH.CENTER
        p.paragraph_format.keep_with_next = True
        p.add_run().add_picture(io.BytesIO(g.png(dpi=160)), width=width)
        cap = self.doc.add_paragraph(style="Caption")
        cap.alignment = WD_ALIGN_PARAGRAPH.CENTER
        cap.add_run(f"Gambar {self.figures}. {g.alt}" if g.alt else f"Gambar {self.figures}.")

    def ttd(self, t: TandaTangan) -> None:
        """The signature block: a borderless table whose right half holds the lines, kept on one page."""
        from docx.enum.text import WD_ALIGN_PARAGRAPH
        from docx.shared import Pt

        self.doc.add_paragraph().paragraph_format.keep_with_next = True
        table = self.doc.add_table(rows=1, cols=2)
        _cant_split(table.rows[0])
        cell = table.rows[0].cells[1]
        lines = [*t.lines_above(), "", "", "", *t.lines_below()]
        for i, line in enumerate(lines):
            p = cell.paragraphs[0] if i == 0 else cell.add_paragraph()
            p.alignment = WD_ALIGN_PARAGRAPH.CENTER
            p.paragraph_format.space_after = Pt(0)
            p.paragraph_format.keep_with_next = i < len(lines) - 1
            run = p.add_run(line)
            if line == t.nama:
                run.bold = run.underline = True
        self.doc.add_paragraph()


# ----------------------------------------------------------------------------- python-docx helpers (OOXML)
def _qn(tag: str) -> str:
    from docx.oxml.ns import qn

    return qn(tag)


def _el(tag: str, **attrs):
    from docx.oxml import OxmlElement

    e = OxmlElement(tag)
    for k, v in attrs.items():
        e.set(_qn(k), v)
    return e


def _inline(p, children: list[dict], bold: bool = False, italic: bool = False) -> None:
    for ch in children:
        kind = ch["type"]
        if kind == "text":
            r = p.add_run(html.unescape(ch.get("raw", "")))
            r.bold, r.italic = bold or None, italic or None
        elif kind == "strong":
            _inline(p, ch.get("children", []), True, italic)
        elif kind == "emphasis":
            _inline(p, ch.get("children", []), bold, True)
        elif kind == "codespan":
            p.add_run(html.unescape(ch.get("raw", "")))
        elif kind in {"softbreak"}:
            p.add_run(" ")
        elif kind == "linebreak":
            p.add_run().add_break()
        elif kind == "inline_html":
            continue
        else:
            _inline(p, ch.get("children", []) or [{"type": "text", "raw": ch.get("raw", "")}], bold, italic)


def _plain(children: list[dict]) -> str:
    out = []
    for ch in children:
        out.append(html.unescape(ch.get("raw", "")) if "raw" in ch else _plain(ch.get("children", [])))
    return "".join(out)


def _field(p, instr: str, placeholder: str) -> None:
    """A complex field (PAGE, NUMPAGES) with a cached result Word and LibreOffice replace."""
    _field_begin(p, instr)
    p.add_run(placeholder)
    _field_end(p)


def _field_begin(p, instr: str) -> None:
    r = p.add_run()
    r._r.append(_el("w:fldChar", **{"w:fldCharType": "begin", "w:dirty": "true"}))
    r = p.add_run()
    it = _el("w:instrText", **{"xml:space": "preserve"})
    it.text = f" {instr} "
    r._r.append(it)
    r = p.add_run()
    r._r.append(_el("w:fldChar", **{"w:fldCharType": "separate"}))


def _field_end(p) -> None:
    r = p.add_run()
    r._r.append(_el("w:fldChar", **{"w:fldCharType": "end"}))


def _toc_style(doc, level: int):
    """Word's own 'toc N' styles (the TOC field writes its lines in them)."""
    from docx.enum.style import WD_STYLE_TYPE
    from docx.shared import Pt

    name = f"toc {level}"
    try:
        return doc.styles[name]
    except KeyError:
        st = doc.styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
        st.base_style = doc.styles["Normal"]
        st.paragraph_format.left_indent = Pt(0 if level == 1 else 14)
        st.paragraph_format.space_after = Pt(1)
        return st


TOC_STYLES = {"toc 1", "toc 2"}


def _update_fields_on_open(doc) -> None:
    settings = doc.settings.element
    settings.append(_el("w:updateFields", **{"w:val": "true"}))


def _repeat_header(row) -> None:
    row._tr.get_or_add_trPr().append(_el("w:tblHeader", **{"w:val": "true"}))


def _cant_split(row) -> None:
    row._tr.get_or_add_trPr().append(_el("w:cantSplit", **{"w:val": "true"}))


def _shade_cell(cell, fill: str) -> None:
    cell._tc.get_or_add_tcPr().append(_el("w:shd", **{"w:val": "clear", "w:color": "auto", "w:fill": fill}))


def _shade(p, fill: str) -> None:
    p._p.get_or_add_pPr().append(_el("w:shd", **{"w:val": "clear", "w:color": "auto", "w:fill": fill}))


def _bottom_border(p) -> None:
    borders = _el("w:pBdr")
    borders.append(_el("w:bottom", **{"w:val": "double", "w:sz": "6", "w:space": "1", "w:color": "000000"}))
    p._p.get_or_add_pPr().append(borders)


def _east_asian_font(style, name: str) -> None:
    rpr = style.element.get_or_add_rPr()
    fonts = rpr.find(_qn("w:rFonts"))
    if fonts is None:
        fonts = _el("w:rFonts")
        rpr.append(fonts)
    for attr in ("w:ascii", "w:hAnsi", "w:cs", "w:eastAsia"):
        fonts.set(_qn(attr), name)


def document_text(path_or_bytes) -> list[str]:
    """The body text of a DOCX in reading order (paragraphs and table cells), for tests and checks;
    table-of-contents lines are left out."""
    import docx

    src = io.BytesIO(path_or_bytes) if isinstance(path_or_bytes, bytes) else str(path_or_bytes)
    d = docx.Document(src)
    toc_ids = {st.style_id for st in d.styles if st.name in TOC_STYLES}
    out = []
    body = d.element.body
    for child in body.iterchildren():
        if child.tag == _qn("w:p"):
            style = child.find(f"{_qn('w:pPr')}/{_qn('w:pStyle')}")
            if style is not None and style.get(_qn("w:val")) in toc_ids:
                continue
            text = _text_of(child)
            if text.strip():
                out.append(text)
        elif child.tag == _qn("w:tbl"):
            for tc in child.iter(_qn("w:tc")):
                for para in tc.iter(_qn("w:p")):
                    text = _text_of(para)
                    if text.strip():
                        out.append(text)
    return out


def _text_of(p) -> str:
    """Text of a paragraph element, tabs of its runs included (not the tab stops of its properties)."""
    return "".join("\t" if e.tag == _qn("w:tab") else (e.text or "")
                   for r in p.iter(_qn("w:r")) for e in r if e.tag in {_qn("w:t"), _qn("w:tab")})
