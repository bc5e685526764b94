"""The exported regional report and Rencana Aksi as a reader gets them: ``spm laporan`` / ``spm rencana-aksi``
produce HTML and PDF; the HTML is opened in headless Debian Chromium (Playwright) and must show the region,
its IP-SPM as printed and all six bidang, with no network reference; the PDF must carry the same text.
A screenshot of the report is kept in the test's tmp folder.
"""
from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest
from typer.testing import CliRunner

from spm_helpers import fmt
from spm_helpers.cli.app import app
from spm_helpers.documents import publish
from spm_helpers.reference import catalog

CHROMIUM = "/usr/bin/chromium"
ARGS = ["--no-sandbox", "--headless", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run"]

pytestmark = [
    pytest.mark.browser,
    pytest.mark.notebook,
    pytest.mark.skipif(not Path(CHROMIUM).exists() or shutil.which("pdftotext") is None,
                       reason="perlu chromium Debian di /usr/bin/chromium dan pdftotext (poppler-utils)"),
]


def _pdf_text(path: Path) -> str:
    """The PDF's text with runs of white space as one space (titles wrap over lines); pages end in '\\f'."""
    raw = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True).stdout
    return "\f".join(" ".join(page.split()) for page in raw.split("\f"))


@pytest.fixture(scope="module")
def laporan(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("laporan") / "32.75"
    res = CliRunner().invoke(app, ["laporan", "--wilayah", "32.75", "--tahun", "2025", "--format", "html,pdf",
                                   "--ke", str(out)])
    assert res.exit_code == 0, res.output
    return out


def test_report_in_the_browser(laporan, tmp_path):
    sync_api = pytest.importorskip("playwright.sync_api")
    ringkasan = json.loads((laporan / "ringkasan.json").read_text(encoding="utf-8"))
    html_path = laporan / "laporan.html"
    assert publish.external_references(html_path.read_text(encoding="utf-8")) == []
    shot = tmp_path / "laporan_32.75.png"
    with sync_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        try:
            page = browser.new_page(viewport={"width": 1280, "height": 900})
            requests: list[str] = []
            page.on("request", lambda r: requests.append(r.url))
            page.goto(html_path.as_uri())
            page.screenshot(path=str(shot), full_page=True)
            text = page.inner_text("body")
            images = page.eval_on_selector_all("img", "els => els.map(e => e.naturalWidth)")
            # the daftar isi: on screen, every link has its target in the page, a click lands on it
            toc = page.eval_on_selector_all("nav.daftar-isi a", "els => els.map(e => [e.textContent, "
                                            "!!document.getElementById(decodeURIComponent(e.hash.slice(1)))])")
            toc_on_screen = page.is_visible("nav.daftar-isi")
            page.click("nav.daftar-isi a:text('Bab III Permasalahan dan Solusi')")
            landed = page.evaluate("() => { const r = document.getElementById('Bab-III-Permasalahan-dan-Solusi')"
                                   ".getBoundingClientRect(); return [location.hash, r.top] }")
            page.emulate_media(media="print")
            toc_in_print = page.is_visible("nav.daftar-isi")
        finally:
            browser.close()
    assert shot.stat().st_size > 50_000
    assert all(u.startswith(("file:", "data:")) for u in requests), requests  # nothing from the network
    assert "Kota Bekasi" in text
    assert fmt.angka(ringkasan["indeks"], 2) in text  # the IP-SPM exactly as printed, e.g. 74,37
    assert ringkasan["kategori"] in text
    for nama in catalog.bidang()["nama_bidang"]:
        assert nama in text, nama
    assert "Bab I Pendahuluan" in text and "Bab IV Penutup" in text and "DATA CONTOH (SINTETIS)" in text
    assert "import " not in text and "laporan.sampul()" not in text  # no code in the report
    assert images and all(w > 0 for w in images)  # every figure decoded
    assert toc_on_screen and not toc_in_print
    assert len(toc) >= 10 and all(found for _, found in toc), toc
    assert landed[0] == "#Bab-III-Permasalahan-dan-Solusi" and 0 <= landed[1] < 100  # scrolled to the chapter


def test_report_pdf_has_the_text(laporan):
    ringkasan = json.loads((laporan / "ringkasan.json").read_text(encoding="utf-8"))
    text = _pdf_text(laporan / "laporan.pdf")
    assert "Laporan Penerapan dan Pencapaian" in text and "Kota Bekasi" in text
    assert fmt.angka(ringkasan["indeks"], 2) in text
    assert "Kata Pengantar" in text and "Bab III Permasalahan dan Solusi" in text
    assert text.count("DATA CONTOH (SINTETIS)") >= text.count("\f")  # the label on every page
    assert "Halaman 1 dari" in text


def test_rencana_aksi_exports_to_pdf(tmp_path):
    out = tmp_path / "ra"
    res = CliRunner().invoke(app, ["rencana-aksi", "--wilayah", "19", "--tahun", "2025", "--format", "pdf",
                                   "--ke", str(out)])
    assert res.exit_code == 0, res.output
    s = json.loads((out / "rencana_aksi.json").read_text(encoding="utf-8"))
    text = _pdf_text(out / "rencana_aksi.pdf")
    assert "Rencana Aksi Penerapan Standar Pelayanan Minimal" in text
    assert "PERATURAN GUBERNUR" in text and "Gubernur Kepulauan Bangka Belitung" in text
    assert "2026–2030" in text and s["periode"] == [2026, 2030]
    # the yearly budget table, in juta rupiah like every money table of the documents
    assert fmt.angka(s["anggaran_per_tahun"]["2026"] / 1e6) in text
