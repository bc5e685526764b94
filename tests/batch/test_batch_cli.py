"""``spm batch`` on the command line and with real worker processes: exit codes, a worker that dies,
Ctrl-C and kill -9 in the middle of a run, and resuming afterwards."""
from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import psutil
import pytest
from batch_support import RINGKASAN_NB, TAHUN, write_demo
from typer.testing import CliRunner

from spm_helpers.batch import runner as batch_runner
from spm_helpers.batch import worker as be
from spm_helpers.cli.app import app
from spm_helpers.documents import publish

pytestmark = pytest.mark.notebook
CODES = ["11.01", "11.02", "11.03", "11.04", "32.75"]
runner = CliRunner()


@pytest.fixture(scope="module")
def data_dir(tmp_path_factory):
    return write_demo(tmp_path_factory.mktemp("data"), CODES)


@pytest.fixture(scope="module", autouse=True)
def _stop_kernels():
    yield
    be.shutdown_kernels()


def _args(data_dir, run_dir, *extra):
    return ["batch", "--wilayah", "11.01,32.75", "--tahun", str(TAHUN), "--notebook", str(RINGKASAN_NB),
            "--data", str(data_dir), "--ke", str(run_dir), *extra]


def test_cli_exit_code_zero_when_all_succeed(data_dir, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)  # a relative --ke, as typed by a user
    result = runner.invoke(app, _args(data_dir, "hasil", "--workers", "0"))
    assert result.exit_code == 0, result.output
    assert "2 berhasil, 0 gagal" in result.output and (tmp_path / "hasil" / "index.html").exists()
    assert (tmp_path / "hasil" / "32.75" / "ringkasan.json").exists()


def test_cli_exit_code_one_and_a_failure_table_when_a_region_fails(tmp_path, tmp_path_factory):
    broken = write_demo(tmp_path_factory.mktemp("rusak"), ["11.01", "32.75"], broken="32.75")
    result = runner.invoke(app, _args(broken, tmp_path, "--workers", "0"))
    assert result.exit_code == 1, result.output
    assert "1 wilayah gagal" in result.output and "Kota Bekasi" in result.output


@pytest.mark.parametrize("extra, message", [
    (["--notebook", "/tidak/ada.ipynb"], "tidak ditemukan"),
    (["--executor", "dask"], "--scheduler"),
    (["--executor", "awan"], "tidak dikenal"),
    (["--format", "odt"], "Format tidak dikenal"),
])
def test_cli_bad_options_exit_two_with_an_indonesian_message(data_dir, tmp_path, extra, message):
    result = runner.invoke(app, _args(data_dir, tmp_path, "--workers", "0", *extra))
    assert result.exit_code == 2 and message in result.output


@pytest.mark.slow
def test_a_worker_process_that_dies_fails_only_its_region(data_dir, tmp_path, monkeypatch):
    # 11.02's notebook kills its own worker process (SIGKILL to the kernel's parent). One worker, so
    # the regions after it can only finish on the replacement worker.
    scratch = tempfile.mkdtemp(prefix="t")  # short, like /tmp: kernels' Unix sockets live below it
    monkeypatch.setattr(tempfile, "tempdir", scratch)
    try:
        out = batch_runner.run_batch(CODES, TAHUN, tmp_path, notebook=RINGKASAN_NB, data_dir=data_dir, workers=1,
                              params={"bunuh_pekerja_untuk": ["11.02"]}, summary=False)
        leftovers = [p.name for p in Path(scratch).iterdir() if not p.name.startswith("pymp-")]
        assert leftovers == []  # even the killed worker's kernel folder is gone
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    status = {k: e["status"] for k, e in out.manifest.entries.items()}
    assert status == {"11.01": "berhasil", "11.02": "gagal", "11.03": "berhasil", "11.04": "berhasil",
                      "32.75": "berhasil"}
    assert "Proses pekerja berhenti" in out.manifest.entries["11.02"]["galat"]
    workers = {e["pekerja"] for k, e in out.manifest.entries.items() if k != "11.02"}
    assert len(workers) == 2  # the worker before the crash and its replacement


def _start(data_dir, run_dir, tmp=None):
    cmd = [sys.executable, "-m", "spm_helpers.cli", "batch", "--wilayah", ",".join(CODES),
           "--tahun", str(TAHUN), "--notebook", str(RINGKASAN_NB), "--data", str(data_dir),
           "--ke", str(run_dir), "--workers", "2"]
    env = {**os.environ, "TMPDIR": tmp} if tmp else None
    return subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, env=env)


def _wait_for_done(proc, run_dir, n: int, timeout: float = 240) -> list[psutil.Process]:
    """Wait until ``n`` regions are recorded; return the batch's descendants (workers, kernels)."""
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        path = run_dir / "manifest.json"
        if path.exists() and json.loads(path.read_text())["jumlah"]["berhasil"] >= n:
            return psutil.Process(proc.pid).children(recursive=True)
        assert proc.poll() is None, proc.stdout.read()
        time.sleep(0.2)
    raise AssertionError("batch terlalu lama")


def _all_gone(procs: list[psutil.Process], timeout: float = 30) -> bool:
    _, alive = psutil.wait_procs(procs, timeout=timeout)
    return not alive


@pytest.mark.slow
def test_ctrl_c_stops_cleanly_then_resume_finishes(data_dir, tmp_path):
    proc = _start(data_dir, tmp_path)
    children = _wait_for_done(proc, tmp_path, 1)
    assert any("ipykernel" in " ".join(c.cmdline()) for c in children)  # kernels were running
    proc.send_signal(signal.SIGINT)
    assert proc.wait(120) == 130
    manifest = json.loads((tmp_path / "manifest.json").read_text())
    assert manifest["status"] == "terputus" and manifest["jumlah"]["gagal"] == 0  # nothing blamed on Ctrl-C
    assert _all_gone(children)  # no orphaned worker or kernel
    done = {e["kode_wilayah"]: e["selesai_pada"] for e in manifest["wilayah"] if e["status"] == "berhasil"}
    result = runner.invoke(app, ["batch", "--lanjutkan", "--ke", str(tmp_path), "--workers", "0"])
    assert result.exit_code == 0, result.output
    after = json.loads((tmp_path / "manifest.json").read_text())
    assert after["jumlah"]["berhasil"] == len(CODES)
    assert all(e["selesai_pada"] == done[e["kode_wilayah"]]
               for e in after["wilayah"] if e["kode_wilayah"] in done)


@pytest.mark.slow
def test_kill_9_leaves_valid_json_and_no_orphans(data_dir, tmp_path):
    scratch = tempfile.mkdtemp(prefix="t")  # the batch's temporary folder (short: Unix sockets)
    proc = _start(data_dir, tmp_path, tmp=scratch)
    children = _wait_for_done(proc, tmp_path, 2)
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait(30)
    manifest = json.loads((tmp_path / "manifest.json").read_text())  # valid JSON: written atomically
    assert manifest["jumlah"]["berhasil"] >= 2 and manifest["status"] == "berjalan"
    assert not list(tmp_path.glob(".manifest.json.*.tmp"))
    assert _all_gone(children)  # workers see their pipe close; kernels see their parent go
    left = [str(p) for p in Path(scratch).rglob("*")]
    assert not list(Path(scratch).glob("spmb-*")), left  # and the last worker removed the sockets' folder
    shutil.rmtree(scratch, ignore_errors=True)
    resumed = batch_runner.run_batch(None, TAHUN, tmp_path, resume=True, workers=0, summary=False)
    assert resumed.ok


@pytest.mark.browser
@pytest.mark.skipif(publish.chromium_path() is None, reason="Chromium tidak terpasang")
def test_pdf_reports_beside_html_and_linked_from_the_index(data_dir, tmp_path):
    out = batch_runner.run_batch("32.75", TAHUN, tmp_path, notebook=RINGKASAN_NB, data_dir=data_dir, workers=0,
                          formats=("html", "pdf"))
    assert out.manifest.entries["32.75"]["keluaran"] == ["32.75/laporan.html", "32.75/laporan.pdf"]
    assert (tmp_path / "32.75" / "laporan.pdf").read_bytes()[:5] == b"%PDF-"
    assert 'href="32.75/laporan.pdf"' in out.index.read_text()


@pytest.mark.browser
@pytest.mark.skipif(publish.chromium_path() is None or os.name != "posix", reason="Chromium tidak terpasang")
def test_chromium_fallback_starts_one_browser_per_worker_and_closes_it(data_dir, tmp_path, monkeypatch):
    # a stand-in for Chromium that notes every launch ($$ is the browser's pid: each step execs) and runs it
    log = tmp_path / "peluncuran.txt"
    wrapper = tmp_path / "chromium-tercatat"
    wrapper.write_text(f'#!/bin/sh\necho $$ >> "{log}"\nexec "{publish.chromium_path()}" "$@"\n')
    wrapper.chmod(0o755)
    monkeypatch.setenv("SPM_CHROMIUM", str(wrapper))
    monkeypatch.setenv("SPM_PDF", "chromium")  # as on a laptop without the typst package
    codes = ["11.01", "11.02", "11.03"]
    out = batch_runner.run_batch(codes, TAHUN, tmp_path / "run", notebook=RINGKASAN_NB, data_dir=data_dir,
                                 workers=1, formats=("html", "pdf"), summary=False)
    assert out.ok
    launches = log.read_text().split()
    assert len(launches) == 1  # three PDFs, one worker, one browser
    for k in codes:
        pdf = tmp_path / "run" / k / "laporan.pdf"
        assert pdf.read_bytes()[:5] == b"%PDF-" and pdf.read_bytes().rstrip().endswith(b"%%EOF")
    assert not psutil.pid_exists(int(launches[0])) or \
        psutil.Process(int(launches[0])).status() == psutil.STATUS_ZOMBIE  # closed at worker exit
