"""Documents a Sekda signs: identity file, DOCX structure, PDF without a browser, HTML/DOCX parity, no
drafting notes, user text escaped, print-legible charts and distinct money ticks."""
import dataclasses
import difflib
import os
import re
import shutil
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path

import docx
import pytest
from pypdf import PdfReader
from typer.testing import CliRunner

from spm_helpers import region
from spm_helpers.cli.app import app
from spm_helpers.documents import docx_writer, identity, pdf_writer, publish
from spm_helpers.documents.action_plan import DokumenRencanaAksi
from spm_helpers.documents.regional_report import LaporanWilayah
from spm_helpers.errors import SPMDataError, SPMError
from spm_helpers.views import charts, stage_charts
from spm_helpers.views.blocks import Gambar, Judul, Paragraf, print_font_sizes

EVIL_IMG = '"><img src=x onerror=alert(2)>'
EVIL_STYLE = "<style>table{display:none}</style>"
# what must never reach a printed page: notes to the drafter, raw status values, file names a reader lacks
FORBIDDEN = ("Paragraf baku", "parameter kebijakan", "parameter `", "perlu_verifikasi", "bendera.csv",
             "rencana_aksi.csv", "(nama dan tanda tangan)", "tidak ada sasaran)", "data belum lengkap)")


@pytest.fixture(scope="module")
def id_file(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("identitas")
    from PIL import Image

    Image.new("RGB", (60, 72), (30, 90, 160)).save(folder / "lambang.png")
    (folder / "identitas.yaml").write_text(
        "kepala_daerah:\n  nama: Dr. H. Contoh Adhi, M.M.\n"
        "sekda:\n  nama: Drs. H. Uji Sekdanto, M.Si.\n  nip: 19680312 199003 1 007\n"
        "kantor:\n  nama: Badan Perencanaan Pembangunan Daerah\n  alamat: Jl. Ir. H. Juanda No. 100, Bekasi\n"
        "lambang: lambang.png\ntempat: Bekasi\nkertas: F4\n"
        f"kebijakan_umum: |\n  RPJMD uji {EVIL_IMG} dan {EVIL_STYLE} #tagar $x$ *bukan miring* \\ garis.\n\n"
        "  Paragraf kedua RPJMD.\n"
        "arah_kebijakan: KUA uji daerah.\n", encoding="utf-8")
    return folder / "identitas.yaml"


@pytest.fixture(scope="module")
def bekasi():
    return region.compute(region.load_region_data("32.75", 2025))


@pytest.fixture(scope="module")
def jabar():
    return region.compute(region.load_region_data("32", 2025))


# ----------------------------------------------------------------------------- identity
def test_identity_file_gives_names_nip_lambang_paper_and_narrative(id_file):
    idt = identity.load(id_file)
    assert idt.kepala() == "Dr. H. Contoh Adhi, M.M." and idt.sekda() == "Drs. H. Uji Sekdanto, M.Si."
    assert idt.nip() == "19680312 199003 1 007"  # an unquoted YAML scalar is kept as written
    assert idt.lambang == id_file.parent / "lambang.png" and idt.ukuran_kertas == (215, 330)
    assert idt.kebijakan_umum.startswith("RPJMD uji") and idt.arah_kebijakan == "KUA uji daerah."
    # without a file: visible placeholders, never a note to the drafter
    empty = identity.load(None)
    assert (empty.kepala(), empty.sekda(), empty.nip()) == ("[Nama Kepala Daerah]", "[Nama Sekretaris Daerah]",
                                                            "[NIP Sekretaris Daerah]")


@pytest.mark.parametrize("text, message", [
    ("kepala: x\n", "kunci tidak dikenal kepala"),
    ("kertas: A3\n", "'A3' tidak dikenal; pilih A4 atau F4"),
    ("lambang: tidak_ada.png\n", "gambar .* tidak ditemukan"),
    ("sekda: Budi\n", "kunci 'sekda': harus berisi sub-kunci"),
    ("sekda:\n  nama: x\n  nik: 1\n", "sub-kunci tidak dikenal nik"),
    ("kertas: [\n", "tidak dapat dibaca sebagai YAML"),
])
def test_identity_file_errors_name_the_file_and_the_key(tmp_path, text, message):
    p = tmp_path / "identitas.yaml"
    p.write_text(text, encoding="utf-8")
    with pytest.raises(SPMDataError, match=message):
        identity.load(p)
    with pytest.raises(SPMDataError, match="tidak ditemukan"):
        identity.load(tmp_path / "lain.yaml")


# ----------------------------------------------------------------------------- DOCX structure
def test_docx_has_word_headings_toc_repeated_headers_page_fields_and_signatures(bekasi, id_file, tmp_path):
    lap = LaporanWilayah(bekasi, identitas=identity.load(id_file))
    path = docx_writer.write_docx(lap, tmp_path / "laporan.docx")
    d = docx.Document(str(path))
    heads = [(p.style.name, p.text) for p in d.paragraphs if p.style.name.startswith("Heading")]
    expected = [(f"Heading {s.tingkat}", s.teks) for s in lap.outline if isinstance(s, Judul)]
    assert heads == expected and ("Heading 1", "Bab II Penerapan dan Pencapaian SPM") in heads
    body = d.element.xml
    assert 'TOC \\o "1-2"' in body and "<w:updateFields" in d.settings.element.xml
    # every Word table of figures repeats its header row on each page; signature tables have no header
    tables_with_header = body.count("<w:tblHeader")
    assert tables_with_header == len([b for b in docx_writer.walk(lap) if type(b).__name__ == "Tabel"]) >= 10
    footer = d.sections[0].footer._element.xml
    assert " PAGE " in footer and " NUMPAGES " in footer and "Halaman " in footer and " dari " in footer
    text = "\n".join(docx_writer.document_text(path))
    assert "a.n. Wali Kota Bekasi" in text and "Drs. H. Uji Sekdanto, M.Si." in text
    assert "NIP 19680312 199003 1 007" in text and "Dr. H. Contoh Adhi, M.M." in text
    assert "BADAN PERENCANAAN PEMBANGUNAN DAERAH" in text and "Bekasi, [tanggal] 2026" in text
    figures = [b for b in docx_writer.walk(lap) if isinstance(b, Gambar)]
    assert len(d.inline_shapes) == len(figures) + 1  # the figures and the lambang in the kop surat
    assert [c.text for c in d.paragraphs if c.style.name == "Caption" and c.text.startswith("Gambar")] == \
        [f"Gambar {i}. {g.alt}" for i, g in enumerate(figures, start=1)]
    sec = d.sections[0]
    assert (round(sec.page_width.mm), round(sec.page_height.mm)) == (215, 330)  # F4 from the identity file


# ----------------------------------------------------------------------------- what is printed
def _pdf_text(path) -> str:
    return "\n".join(page.extract_text() or "" for page in PdfReader(str(path)).pages)


def _prose(blocks) -> list[str]:
    """The running text (paragraphs, not list items or table cells) of a document's blocks."""
    from IPython.display import Markdown

    out = []
    for b in blocks:
        if isinstance(b, Markdown):
            out += [p for p in re.split(r"\n\s*\n", b.data or "") if not re.match(r"\s*(\d+\.|-)\s", p)]
        elif isinstance(b, Paragraf):
            out += b.paragraphs()
    return out


@pytest.mark.parametrize("kind", ["laporan", "rencana_aksi"])
@pytest.mark.parametrize("region", ["bekasi", "jabar"])
def test_no_drafting_note_raw_status_or_digit_first_sentence_in_any_output(request, kind, region, tmp_path):
    hasil = request.getfixturevalue(region)
    doc = LaporanWilayah(hasil) if kind == "laporan" else DokumenRencanaAksi(hasil)
    blocks = docx_writer.walk(doc)
    docx_text = "\n".join(docx_writer.document_text(docx_writer.docx_bytes(doc, blocks)))
    pdf_text = _pdf_text(pdf_writer.write_pdf(doc, tmp_path / "d.pdf", blocks))
    html = "".join(b._repr_html_() for b in blocks if hasattr(b, "_repr_html_"))
    for name, text in (("docx", docx_text), ("pdf", " ".join(pdf_text.split())), ("html", html)):
        found = [f for f in FORBIDDEN if f in text]
        assert not found, f"{kind} {region} {name}: {found}"
    starts = [s for p in _prose(blocks) for s in re.split(r"(?<=[.!?])\s+", p.replace("**", "")) if s[:1].isdigit()]
    assert starts == []
    # the placeholders a drafter fills in Word are visible as such
    assert "[Nama Kepala Daerah]" in docx_text and "[Nama Kepala Daerah]" in pdf_text


def test_user_text_is_text_in_html_docx_and_pdf(bekasi, id_file, tmp_path):
    evil = dataclasses.replace(bekasi.data, sumber=f"folder {EVIL_IMG} {EVIL_STYLE}")
    hasil = dataclasses.replace(bekasi, data=evil)
    lap = LaporanWilayah(hasil, identitas=identity.load(id_file), arah_kebijakan=f"KUA {EVIL_STYLE} **tebal**")
    blocks = docx_writer.walk(lap)
    html = "".join(b._repr_html_() for b in blocks if hasattr(b, "_repr_html_"))
    from spm_helpers.views.blocks import markdown_html
    html += "".join(markdown_html(b.data) for b in blocks if type(b).__name__ == "Markdown")
    assert "<img src=x" not in html and "<style>table" not in html and "<strong>tebal" not in html
    assert "&lt;img src=x onerror=alert(2)&gt;" in html and "&lt;style&gt;table{display:none}" in html
    docx_text = "\n".join(docx_writer.document_text(docx_writer.docx_bytes(lap, blocks)))
    pdf_text = " ".join(_pdf_text(pdf_writer.write_pdf(lap, tmp_path / "x.pdf", blocks)).split())
    for text in (docx_text, pdf_text):
        assert EVIL_IMG in text and EVIL_STYLE in text and "#tagar $x$ *bukan miring*" in text
        assert "**tebal**" in text


# ----------------------------------------------------------------------------- PDF renderer
def test_pdf_is_typeset_by_typst_on_the_chosen_paper(bekasi, id_file, tmp_path):
    lap = LaporanWilayah(bekasi, identitas=identity.load(id_file))
    pdf = PdfReader(str(pdf_writer.write_pdf(lap, tmp_path / "laporan.pdf")))
    assert "Typst" in (pdf.metadata.creator or "")
    box = pdf.pages[0].mediabox
    # F4 = 215 × 330 mm = 609,4 × 935,4 pt (1 mm = 72 / 25,4 pt)
    assert (round(float(box.width)), round(float(box.height))) == (609, 935)
    n = len(pdf.pages)
    last = " ".join((pdf.pages[-1].extract_text() or "").split())
    assert f"Halaman {n} dari {n}" in last
    outline = [o.title for o in pdf.outline if not isinstance(o, list)]
    assert "Bab I Pendahuluan" in outline and "Lampiran: Rincian Mutu Data" in outline  # PDF bookmarks


def test_no_pdf_renderer_gives_an_indonesian_message(monkeypatch, tmp_path):
    monkeypatch.setattr(pdf_writer, "available", lambda: False)
    monkeypatch.setattr(publish, "chromium_path", lambda: None)
    from nbformat.v4 import new_markdown_cell, new_notebook

    with pytest.raises(SPMError, match="pip install typst"):
        publish.export_report(new_notebook(cells=[new_markdown_cell("x")]), tmp_path, ["pdf"])
    with pytest.raises(SPMError, match="paket Python 'typst' belum terpasang"):
        pdf_writer.write_pdf(object(), tmp_path / "x.pdf")


# ----------------------------------------------------------------------------- charts
def test_report_figures_print_every_text_at_8_pt_or_more(bekasi):
    from spm_helpers.documents.regional_report import _bidang_pendek
    from spm_helpers.views.blocks import legible_in_print

    figs = [charts.capaian_per_bidang(_bidang_pendek(bekasi.bidang)),
            stage_charts.tren_wilayah_bidang(bekasi.tren),
            stage_charts.anggaran_rencana(bekasi.rencana.anggaran),
            stage_charts.penyerapan_anggaran_bidang(LaporanWilayah(bekasi).tahunan.anggaran_bidang)]
    before = min(print_font_sizes(figs[0]))
    assert before < 7  # the category band labels: 7 pt in an 8-inch figure printed 6,5 inches wide
    for fig in figs:
        legible_in_print(fig)
        assert min(print_font_sizes(fig)) >= 8 - 1e-6


def test_money_ticks_are_distinct_and_in_one_unit():
    # ticks every 2,5 triliun: the old labels rounded them to "Rp 2 T / Rp 5 T / Rp 8 T"
    assert stage_charts.RupiahTicks(1e12).format_ticks([0, 2.5e12, 5e12, 7.5e12]) == ["0", "2,5", "5", "7,5"]
    assert stage_charts.RupiahTicks(1e9).format_ticks([1.25e9, 2.5e9]) == ["1,25", "2,5"]
    # an axis without a unit in its label writes the unit on each tick, chosen from the largest one
    auto = charts.RupiahTicks()
    ticks = [0, 2.5e12, 5e12, 7.5e12]
    auto.set_locs(ticks)
    assert auto.format_ticks(ticks) == ["0", "Rp 2,5 T", "Rp 5 T", "Rp 7,5 T"]
    import pandas as pd

    a = pd.DataFrame({"tahun_rencana": [2026, 2027, 2028], "biaya": [2.5e12, 5e12, 7.5e12], "pagu": [6e12] * 3})
    fig = stage_charts.anggaran_rencana(a)
    labels = stage_charts.tick_labels(fig.axes[0])
    assert len(set(labels)) == len(labels) >= 3 and fig.axes[0].get_ylabel() == "Biaya (Rp triliun)"
    assert all("Rp" not in x for x in labels)


def test_pagu_slider_readout_is_indonesian():
    from spm_helpers.views.pagu_widget import readout

    assert readout(1234.56) == "Rp 1.234,6 miliar"


# ----------------------------------------------------------------------------- whole command, no Chromium
BLOCK_TAGS = {"p", "div", "li", "td", "th", "tr", "caption", "br", "h1", "h2", "h3", "h4", "ul", "ol", "table"}


def _html_text(html: str) -> list[str]:
    class P(HTMLParser):
        def __init__(self):
            super().__init__()
            self.out, self.skip = [], 0

        def handle_starttag(self, tag, attrs):
            if tag in {"style", "script", "head", "title", "nav"}:  # nav: the screen's daftar isi (Word has a field)
                self.skip += 1
            if tag in BLOCK_TAGS:
                self.out.append(" ")
            if tag == "img" and dict(attrs).get("alt") and dict(attrs).get("alt") != "Lambang daerah":
                self.out.append(f" {dict(attrs)['alt']} ")

        def handle_endtag(self, tag):
            if tag in {"style", "script", "head", "title", "nav"}:
                self.skip -= 1
            if tag in BLOCK_TAGS:
                self.out.append(" ")

        def handle_data(self, data):
            if not self.skip:
                self.out.append(data)

    p = P()
    p.feed(html)
    return "".join(p.out).replace("¶", " ").split()  # ¶: nbconvert's hidden heading anchors


def _docx_words(path) -> list[str]:
    lines = docx_writer.document_text(path)
    lines = [re.sub(r"^(\d+\.|•)\t", "", x) for x in lines if x != docx_writer.TOC_TITLE]
    lines = [re.sub(r"^Gambar \d+\. ", "", x) for x in lines]
    return " ".join(lines).split()


@pytest.mark.notebook
@pytest.mark.parametrize("command, basename, region", [("laporan", "laporan", "32.75"),
                                                        ("rencana-aksi", "rencana_aksi", "32")])
def test_cli_writes_pdf_without_chromium_and_docx_with_the_text_of_the_html(command, basename, region, id_file,
                                                                            tmp_path, monkeypatch):
    # a fresh laptop: no browser on PATH (only this venv's programs)
    monkeypatch.setenv("PATH", str(Path(sys.executable).parent))
    assert publish.chromium_path() is None
    res = CliRunner().invoke(app, [command, "--wilayah", region, "--tahun", "2025", "--format", "html,pdf,docx",
                                   "--identitas", str(id_file), "--ke", str(tmp_path)])
    assert res.exit_code == 0, res.output
    assert "WARNING" not in res.output and "Traceback" not in res.output
    pdf = PdfReader(str(tmp_path / f"{basename}.pdf"))
    assert "Typst" in (pdf.metadata.creator or "")
    html = (tmp_path / f"{basename}.html").read_text(encoding="utf-8")
    html_words, docx_words = _html_text(html), _docx_words(tmp_path / f"{basename}.docx")
    diff = [d for d in difflib.unified_diff(html_words, docx_words, lineterm="", n=2)][:40]
    assert html_words == docx_words, "\n".join(diff)
    pdf_text = " ".join(_pdf_text(tmp_path / f"{basename}.pdf").split())
    for text in (" ".join(html_words), " ".join(docx_words), pdf_text):
        assert "Dr. H. Contoh Adhi, M.M." in text and "BADAN PERENCANAAN PEMBANGUNAN DAERAH" in text
    if command == "laporan":
        assert "NIP 19680312 199003 1 007" in " ".join(docx_words) and "NIP 19680312 199003 1 007" in pdf_text
        assert "RPJMD uji" in pdf_text and EVIL_IMG in " ".join(html_words)
        assert "<img src=x" not in html and "<style>table" not in html
    assert 'alt="Lambang daerah"' in html


# ----------------------------------------------------------------------------- LibreOffice
@pytest.mark.skipif(shutil.which("soffice") is None,
                    reason="LibreOffice (soffice) tidak terpasang; uji membuka DOCX dilewati")
def test_libreoffice_converts_the_docx_without_error(bekasi, id_file, tmp_path):
    lap = LaporanWilayah(bekasi, identitas=identity.load(id_file))
    path = docx_writer.write_docx(lap, tmp_path / "laporan.docx")
    env = dict(os.environ, HOME=str(tmp_path))
    proc = subprocess.run(["soffice", "--headless", "--norestore", f"-env:UserInstallation=file://{tmp_path}/lo",
                           "--convert-to", "pdf", "--outdir", str(tmp_path), str(path)],
                          check=False, capture_output=True, text=True, timeout=240, env=env)
    out = tmp_path / "laporan.pdf"
    assert proc.returncode == 0 and out.exists(), proc.stderr
    text = " ".join(_pdf_text(out).split())
    assert "Drs. H. Uji Sekdanto, M.Si." in text and "Bab IV Penutup" in text and "Halaman 1 dari" in text
    assert len(PdfReader(str(out)).pages) >= 8


def test_every_template_is_package_data_so_a_wheel_carries_it():
    import fnmatch
    import tomllib

    root = Path(__file__).resolve().parents[2]
    patterns = tomllib.loads((root / "pyproject.toml").read_text())["tool"]["setuptools"]["package-data"]
    files = [p.relative_to(root / "spm_helpers").as_posix()
             for p in (root / "spm_helpers" / "templates").rglob("*") if p.is_file()]
    assert len(files) >= 15
    assert [f for f in files if not any(fnmatch.fnmatch(f, pat) for pat in patterns["spm_helpers"])] == []
    from spm_helpers.views import prose

    intro = prose.markdown("laporan/pengantar_bab2.md.j2", tahun=2025, tahun_dasar=None, tahun_akhir=2029,
                           cara="merata", triwulan=None, posisi="")
    assert "table" in prose.stylesheet() and intro.startswith("Bab ini")


@pytest.mark.notebook
def test_batch_writes_docx_and_typst_pdf_from_the_warm_kernel(tmp_path, id_file):
    import json

    res = CliRunner().invoke(app, ["batch", "--wilayah", "32.75", "--tahun", "2025", "--format", "html,pdf,docx",
                                   "--workers", "0", "--identitas", str(id_file), "--ke", str(tmp_path / "b")])
    assert res.exit_code == 0, res.output
    entry = json.loads((tmp_path / "b" / "manifest.json").read_text())["wilayah"][0]
    assert entry["keluaran"] == ["32.75/laporan.docx", "32.75/laporan.html", "32.75/laporan.pdf"]
    assert "Typst" in (PdfReader(str(tmp_path / "b" / "32.75" / "laporan.pdf")).metadata.creator or "")
    assert "NIP 19680312 199003 1 007" in docx_writer.document_text(tmp_path / "b" / "32.75" / "laporan.docx")
