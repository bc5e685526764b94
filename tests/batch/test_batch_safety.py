"""Issue 18: ``spm batch`` under accident and attack — a run lock, SIGTERM, a full disk, a hand-edited
manifest, a --ke that is not a run folder, too many workers, bad options, and workers dying with their
parent. The parent's logic is tested with a stand-in pool (no kernels: fast); one slow test kills a real
batch with -9 while a cell hangs."""
from __future__ import annotations

import errno
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import psutil
import pytest
from batch_support import MACET_NB, RINGKASAN_NB, TAHUN, write_demo
from typer.testing import CliRunner

from spm_helpers.batch import runner as batch_runner
from spm_helpers.batch.worker import BERHASIL, describe_exception
from spm_helpers.cli.app import app
from spm_helpers.errors import SPMError

runner = CliRunner()
CODES = ["11.01", "32.75"]


class FakePool:
    """Answers every task at once as a success (and can misbehave after ``after`` results)."""

    def __init__(self, after: int | None = None, action=None):
        self.after, self.action, self.seen = after, action, []

    def imap(self, tasks):
        for i, task in enumerate(tasks):
            if self.after is not None and i == self.after:
                self.action()
            self.seen.append(task.kode_wilayah)
            out = task.out_dir
            out.mkdir(parents=True, exist_ok=True)
            (out / "laporan.html").write_text("ok")
            yield {"kode_wilayah": task.kode_wilayah, "status": BERHASIL, "detik": 0.0,
                   "keluaran": [f"{task.kode_wilayah}/laporan.html"], "notebook": None, "galat": None,
                   "sel_gagal": None, "pekerja": "uji"}


@pytest.fixture
def data_dir(tmp_path_factory):
    return write_demo(tmp_path_factory.mktemp("data"), CODES)


def _run(run_dir, data_dir, pool=None, monkeypatch=None, **kw):
    if monkeypatch is not None:
        monkeypatch.setattr(batch_runner, "_pool", lambda *a, **k: pool or FakePool())
    return batch_runner.run_batch(kw.pop("wilayah", CODES), TAHUN, run_dir, notebook=RINGKASAN_NB, data_dir=data_dir,
                           summary=False, **kw)


def test_a_second_batch_on_the_same_folder_is_refused(tmp_path, data_dir, monkeypatch):
    _run(tmp_path, data_dir, monkeypatch=monkeypatch)
    held = batch_runner.RunLock.acquire(tmp_path)  # as if a first `spm batch` were still running here
    try:
        with pytest.raises(SPMError, match="Batch lain sedang berjalan") as exc:
            _run(tmp_path, data_dir, monkeypatch=monkeypatch, resume=True)
        assert str(os.getpid()) in str(exc.value)
    finally:
        held.release()
    assert _run(tmp_path, data_dir, monkeypatch=monkeypatch, resume=True).ok  # free again afterwards


def test_the_lock_of_a_killed_batch_does_not_block(tmp_path):
    code = ("import sys, os; from spm_helpers import batch; batch.RunLock.acquire(__import__('pathlib')"
            f".Path({str(tmp_path)!r})); os.kill(os.getpid(), 9)")
    subprocess.run([sys.executable, "-c", code], check=False)
    batch_runner.RunLock.acquire(tmp_path).release()  # the kernel dropped the dead holder's lock


def test_sigterm_stops_like_ctrl_c(tmp_path, data_dir, monkeypatch):
    pool = FakePool(after=1, action=lambda: os.kill(os.getpid(), signal.SIGTERM))
    before = signal.getsignal(signal.SIGTERM)
    out = _run(tmp_path, data_dir, pool=pool, monkeypatch=monkeypatch)
    assert out.interrupted
    manifest = json.loads((tmp_path / "manifest.json").read_text())
    assert manifest["status"] == "terputus" and manifest["jumlah"]["berhasil"] == 1
    assert signal.getsignal(signal.SIGTERM) is before  # the caller's handler is back
    assert _run(tmp_path, data_dir, monkeypatch=monkeypatch, resume=True).ok


def test_disk_full_is_an_indonesian_message_and_resumable(tmp_path, data_dir, monkeypatch):
    real = batch_runner.write_json
    calls = {"n": 0}

    def full(path, data, overwrite=True):
        calls["n"] += 1
        if calls["n"] == 3:  # the save after the first region
            raise OSError(errno.ENOSPC, "No space left on device", str(path))
        return real(path, data, overwrite)

    monkeypatch.setattr(batch_runner, "write_json", full)
    with pytest.raises(SPMError, match="Disk penuh") as exc:
        _run(tmp_path, data_dir, monkeypatch=monkeypatch)
    assert "--lanjutkan --ke" in str(exc.value)
    json.loads((tmp_path / "manifest.json").read_text())  # still valid JSON
    monkeypatch.setattr(batch_runner, "write_json", real)
    assert _run(tmp_path, data_dir, monkeypatch=monkeypatch, resume=True).ok


def test_disk_full_inside_a_region_is_explained():
    text = describe_exception(OSError(errno.ENOSPC, "No space left on device"), 600)
    assert text.startswith("Disk penuh") and "No space" not in text


def test_a_cell_that_ignores_the_interrupt_gets_an_indonesian_message():
    from nbclient.exceptions import CellTimeoutError

    text = describe_exception(CellTimeoutError("Cell execution timed out"), 30)
    assert "30 detik" in text and "mengabaikan Ctrl-C" in text and "timed out" not in text


def test_a_nik_in_an_exception_is_masked():
    assert "3275014101900001" not in describe_exception(ValueError("baris 3275014101900001 rusak"), 30)


@pytest.mark.parametrize("bad", ["../../luar", "/etc", "32.75/../..", "Kota Bekasi"])
def test_a_hand_edited_manifest_code_outside_the_region_list_is_refused(tmp_path, data_dir, monkeypatch, bad):
    _run(tmp_path, data_dir, monkeypatch=monkeypatch)
    path = tmp_path / "manifest.json"
    data = json.loads(path.read_text())
    data["wilayah"][0].update(kode_wilayah=bad, status="menunggu")
    path.write_text(json.dumps(data))
    with pytest.raises(SPMError, match="tidak ada dalam daftar kode wilayah"):
        _run(tmp_path, data_dir, monkeypatch=monkeypatch, resume=True)
    assert not (tmp_path.parent / "luar").exists()


def test_ke_into_a_folder_with_other_files_needs_timpa(tmp_path, data_dir, monkeypatch):
    mine = tmp_path / "skripsi.docx"
    mine.write_text("milik pengguna")
    with pytest.raises(SPMError, match="--timpa"):
        _run(tmp_path, data_dir, monkeypatch=monkeypatch)
    assert mine.read_text() == "milik pengguna" and not (tmp_path / "manifest.json").exists()
    assert _run(tmp_path, data_dir, monkeypatch=monkeypatch, overwrite=True).ok
    assert mine.read_text() == "milik pengguna"


def test_workers_are_capped_with_a_message(monkeypatch):
    monkeypatch.setattr(batch_runner, "max_workers", lambda: 3)
    printed = []

    class Console:
        def print(self, text):
            printed.append(text)

    assert batch_runner.cap_workers(1000, Console()) == 3
    assert "--workers 1000 dibatasi menjadi 3" in printed[0] and "300 MB" in printed[0]
    assert batch_runner.cap_workers(2, Console()) == 2 and len(printed) == 1
    assert 1 <= batch_runner.max_workers() <= 2 * (os.cpu_count() or 1)


@pytest.mark.parametrize("args, message", [
    (["--wilayah", ""], "--wilayah kosong"),
    (["--ke", "FILE"], "adalah berkas, bukan folder"),
    (["--ke", "RO/baru"], "tidak dapat ditulisi"),
])
def test_cli_bad_batch_options_are_indonesian(tmp_path, data_dir, args, message):
    if os.geteuid() == 0 and "RO/baru" in args:
        pytest.skip("root writes into read-only folders")
    (tmp_path / "FILE").write_text("x")
    (tmp_path / "RO").mkdir()
    (tmp_path / "RO").chmod(0o555)
    args = [a.replace("FILE", str(tmp_path / "FILE")).replace("RO/baru", str(tmp_path / "RO" / "baru"))
            for a in args]
    base = {"--wilayah": "32.75", "--ke": str(tmp_path / "hasil")}
    opts = dict(zip(args[::2], args[1::2]))
    full = ["batch", "--tahun", str(TAHUN), "--notebook", str(RINGKASAN_NB), "--data", str(data_dir),
            "--workers", "0"]
    for k, v in {**base, **opts}.items():
        full += [k, v]
    result = runner.invoke(app, full, env={"COLUMNS": "300"})
    assert result.exit_code == 2, result.output
    assert message in " ".join(result.output.split()) and "Traceback" not in result.output


def test_read_only_folder_check_without_root(tmp_path, monkeypatch):
    monkeypatch.setattr(os, "access", lambda path, mode: Path(path) != tmp_path)
    with pytest.raises(SPMError, match="tidak dapat ditulisi"):
        batch_runner._check_folder(tmp_path / "baru")


@pytest.mark.parametrize("tahun", ["abc", "2024-x", "", "99999"])
def test_spm_contoh_bad_year_is_indonesian(tmp_path, tahun):
    result = runner.invoke(app, ["contoh", "--ke", str(tmp_path), "--tahun", tahun])
    assert result.exit_code == 2 and "--tahun" in result.output and "Traceback" not in result.output


@pytest.mark.slow
@pytest.mark.notebook
def test_kill_9_during_a_hanging_cell_takes_the_workers_with_it(tmp_path, data_dir):
    cmd = [sys.executable, "-m", "spm_helpers.cli", "batch", "--wilayah", "32.75", "--tahun", str(TAHUN),
           "--notebook", str(MACET_NB), "--data", str(data_dir), "--ke", str(tmp_path / "run"), "--workers", "1",
           "--batas-waktu", "600"]
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    end = time.monotonic() + 120
    kernels = []
    while time.monotonic() < end and not kernels:
        time.sleep(0.5)
        kids = psutil.Process(proc.pid).children(recursive=True)
        kernels = [k for k in kids if "ipykernel" in " ".join(k.cmdline())]
    assert kernels, "the kernel never started"
    time.sleep(2)  # the cell is now looping
    kids = psutil.Process(proc.pid).children(recursive=True)
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait(30)
    _, alive = psutil.wait_procs(kids, timeout=30)
    assert not alive, [p.cmdline() for p in alive]  # gone now, not after the 600 s cell timeout


@pytest.mark.notebook
def test_a_name_and_nik_in_a_bad_cell_reach_no_output(tmp_path):
    """A shifted column put a person's name and NIK into jumlah_sasaran: the region fails, and neither the
    manifest, the index page, ringkasan_wilayah.csv/.parquet, the executed notebook nor the console shows them."""
    from spm_helpers.inputs import demo

    data = demo.generate(CODES, [TAHUN])
    sasaran = data.sasaran.astype({"jumlah_sasaran": object})
    row = sasaran.index[sasaran["kode_wilayah"] == "32.75"][0]
    sasaran.loc[row, "jumlah_sasaran"] = "Siti Aminah 3275014101900001"
    data = demo.DemoData(**{**data.__dict__, "sasaran": sasaran})
    folder = tmp_path / "data"
    demo.write(data, folder, fmt="csv", overwrite=True)
    run = tmp_path / "run"
    result = runner.invoke(app, ["batch", "--wilayah", ",".join(CODES), "--tahun", str(TAHUN), "--notebook",
                                 str(RINGKASAN_NB), "--data", str(folder), "--ke", str(run), "--workers", "0"])
    assert result.exit_code == 1, result.output
    manifest = json.loads((run / "manifest.json").read_text())
    assert {e["kode_wilayah"]: e["status"] for e in manifest["wilayah"]} == {"11.01": "berhasil", "32.75": "gagal"}
    texts = [result.output, (run / "manifest.json").read_text(), (run / "index.html").read_text(),
             (run / "32.75" / "laporan.ipynb").read_text()]
    texts += [p.read_bytes().decode("latin-1") for p in run.glob("ringkasan_wilayah.*")]
    assert len(texts) >= 5
    for text in texts:
        assert "3275014101900001" not in text and "Siti Aminah" not in text
    assert "(teks, 28 karakter)" in (run / "manifest.json").read_text()


XSS = ['"><img src=x onerror=alert(2)>', "<script>alert(1)</script>", "<style>table{display:none}</style>"]


class XssPool(FakePool):
    """Every region fails with an error message carrying markup (as a notebook's exception text could)."""

    def imap(self, tasks):
        for i, task in enumerate(tasks):
            yield {"kode_wilayah": task.kode_wilayah, "status": "gagal", "detik": 0.0, "keluaran": [],
                   "notebook": None, "galat": f"ValueError: {XSS[i % len(XSS)]}",
                   "sel_gagal": {"indeks": 3, "eksekusi": 4, "sumber": XSS[(i + 1) % len(XSS)]}, "pekerja": "uji"}


def test_error_text_on_the_index_page_is_shown_literally(tmp_path, data_dir, monkeypatch):
    monkeypatch.setattr(batch_runner, "_pool", lambda *a, **k: XssPool())
    out = batch_runner.run_batch(CODES, TAHUN, tmp_path, notebook=RINGKASAN_NB, data_dir=data_dir, summary=True)
    html = out.index.read_text()
    for text in XSS:
        assert text not in html
    assert "&lt;img src=x onerror=alert(2)&gt;" in html and "&lt;script&gt;" in html
