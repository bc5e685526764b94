"""The Chromium fallback keeps one browser per process: N PDFs start it once, each PDF is a real PDF of its
own page, a browser that died is replaced, and none is left behind when its owner closes it or is killed."""
from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import time

import psutil
import pytest
from pypdf import PdfReader

from spm_helpers.documents import browser, publish
from spm_helpers.views import prose

EXE = publish.chromium_path()
pytestmark = [pytest.mark.browser,
              pytest.mark.skipif(EXE is None or not browser.pooled(), reason="perlu chromium dan shell POSIX")]


def _pages(folder, n: int) -> list:
    paths = []
    for i in range(n):
        body = f"<h1>Laporan uji {i}</h1><p>Indeks Pencapaian SPM {80 + i},50</p>"
        path = folder / f"halaman{i}.html"
        path.write_text(prose.page(f"uji {i}", body), encoding="utf-8")
        paths.append(path)
    return paths


def _text(pdf) -> str:
    return " ".join(" ".join((p.extract_text() or "") for p in PdfReader(str(pdf)).pages).split())


def test_three_pdfs_start_the_browser_once_and_each_is_its_own_page(tmp_path):
    b = browser.PdfBrowser(EXE, str(tmp_path))
    try:
        pdfs = [b.print_pdf(html, tmp_path / f"{html.stem}.pdf") for html in _pages(tmp_path, 3)]
        assert b.launches == 1 and b.printed == 3
        pid = b.proc.pid
    finally:
        b.close()
    for i, pdf in enumerate(pdfs):
        assert pdf.read_bytes()[:5] == b"%PDF-"
        text = _text(pdf)
        assert f"Laporan uji {i}" in text and f"{80 + i},50" in text  # not the previous page printed again
        assert PdfReader(str(pdf)).pages[0].mediabox.width == pytest.approx(595, abs=1)  # A4 from @page
    assert not psutil.pid_exists(pid) or psutil.Process(pid).status() == psutil.STATUS_ZOMBIE
    assert not list(tmp_path.glob("spm-chromium-*"))  # profile removed on close


def test_a_browser_that_died_is_replaced_once(tmp_path):
    first, second = _pages(tmp_path, 2)
    b = browser.PdfBrowser(EXE, str(tmp_path))
    try:
        b.print_pdf(first, tmp_path / "a.pdf")
        os.kill(b.proc.pid, signal.SIGKILL)
        b.proc.wait(10)
        b.print_pdf(second, tmp_path / "b.pdf")
        assert b.launches == 2
    finally:
        b.close()
    assert "Laporan uji 1" in _text(tmp_path / "b.pdf")


def test_html_to_pdf_reuses_the_process_browser_unless_per_document_is_asked(tmp_path, monkeypatch):
    first, second = _pages(tmp_path, 2)
    monkeypatch.setattr(browser, "PROFILE_TMP", str(tmp_path))
    browser.close_shared()
    try:
        publish.html_to_pdf(first, tmp_path / "a.pdf")
        publish.html_to_pdf(second, tmp_path / "b.pdf")
        shared = browser.current()
        assert shared is not None and shared.launches == 1 and shared.printed == 2
        monkeypatch.setenv("SPM_PDF", "chromium-per-dokumen")
        publish.html_to_pdf(second, tmp_path / "c.pdf")
        assert shared.printed == 2  # the old way: a browser of its own
        assert "Laporan uji 1" in _text(tmp_path / "c.pdf")
    finally:
        browser.close_shared()
    assert browser.current() is None and not list(tmp_path.glob("spm-chromium-*"))


OWNER = textwrap.dedent("""
    import sys, time
    from spm_helpers.documents import browser
    b = browser.shared(sys.argv[1])
    b.print_pdf(sys.argv[2], sys.argv[3])
    print(b.proc.pid, flush=True)
    time.sleep(600)
""")


def test_a_killed_owner_leaves_no_browser_behind(tmp_path):
    html = _pages(tmp_path, 1)[0]
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)}
    owner = subprocess.Popen([sys.executable, "-c", OWNER, EXE, str(html), str(tmp_path / "a.pdf")],
                             stdout=subprocess.PIPE, text=True, env=env)
    try:
        pid = int(owner.stdout.readline())
        chromium = psutil.Process(pid)
        family = [chromium, *chromium.children(recursive=True)]
        assert len(family) >= 2  # the browser and its helper processes (zygote, renderer, ...)
        os.kill(owner.pid, signal.SIGKILL)  # no atexit, no close: only the pipe closing tells Chromium
        owner.wait(10)
        _, alive = psutil.wait_procs(family, timeout=20)
        assert alive == []
    finally:
        owner.kill()
        owner.wait(5)
    assert (tmp_path / "a.pdf").read_bytes()[:5] == b"%PDF-"


def test_close_without_a_start_and_close_twice_are_harmless(tmp_path):
    b = browser.PdfBrowser(EXE, str(tmp_path))
    b.close()
    b.close()
    assert b.launches == 0 and not b.alive


def test_a_page_that_does_not_exist_is_an_indonesian_error_and_the_browser_stays(tmp_path):
    from spm_helpers.errors import SPMError

    b = browser.PdfBrowser(EXE, str(tmp_path))
    try:
        with pytest.raises(SPMError, match="Chromium"):
            b.print_pdf(tmp_path / "tidak_ada.html", tmp_path / "x.pdf", timeout=30)
        assert not (tmp_path / "x.pdf").exists()
        b.print_pdf(_pages(tmp_path, 1)[0], tmp_path / "y.pdf")
        assert b.launches == 1
    finally:
        b.close()


def test_a_hung_browser_is_killed_at_the_time_limit_and_replaced(tmp_path):
    first, second = _pages(tmp_path, 2)
    b = browser.PdfBrowser(EXE, str(tmp_path))
    try:
        b.print_pdf(first, tmp_path / "a.pdf")
        hung = b.proc
        os.kill(hung.pid, signal.SIGSTOP)  # hung, not dead: only the time limit gets us out
        start = time.monotonic()
        b.print_pdf(second, tmp_path / "b.pdf", timeout=3)
        # 3 s limit + up to 5 s for the hung browser to exit before it is killed + a new start
        assert time.monotonic() - start < 30 and b.launches == 2 and hung.poll() is not None
    finally:
        b.close()
    assert "Laporan uji 1" in _text(tmp_path / "b.pdf")
