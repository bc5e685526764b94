"""A warm kernel gives exactly what a fresh kernel gives: no state leaks between regions.

The reference is plain papermill with a new kernel, the way a user runs one region by hand. Each
warm run first executes another region on the same kernel (A), then the region under test (B).
"""
from __future__ import annotations

import json
import os
import re
import threading
from pathlib import Path

import nbformat
import papermill as pm
import pytest
from batch_support import BOCOR_NB, NB_DIR, RINGKASAN_NB, TAHUN, write_demo

from spm_helpers.batch import worker as be
from spm_helpers.paths import notebooks_dir

pytestmark = pytest.mark.notebook
A, B = "11.01", "32.75"


@pytest.fixture(scope="module")
def data_dir(tmp_path_factory):
    return write_demo(tmp_path_factory.mktemp("data"), [A, B])


@pytest.fixture(scope="module", autouse=True)
def _stop_kernels():
    yield  # the tests share this process's warm kernel, as regions in a worker do
    be.shutdown_kernels()


def _fresh(notebook: Path, kode: str, data_dir: Path, out: Path, monkeypatch) -> nbformat.NotebookNode:
    monkeypatch.setenv("MPLBACKEND", be.INLINE_BACKEND)  # what batch kernels use (conftest sets Agg)
    out.mkdir(parents=True, exist_ok=True)
    return pm.execute_notebook(str(notebook), str(out / "fresh.ipynb"), progress_bar=False,
                               cwd=str(notebook.parent),
                               parameters=dict(kode_wilayah=kode, tahun=TAHUN, data_dir=str(data_dir),
                                               output_dir=str(out)))


def _warm_after(notebook: Path, data_dir: Path, run: Path, before=((A, {}),)) -> dict:
    """Run the ``before`` regions (code, extra parameters), then B, on one warm kernel; B's result."""
    for kode, params in before:
        be.run_task(be.Task(kode, TAHUN, str(notebook), str(run), str(data_dir), params=params,
                            export=_no_export))
    second = be.run_task(be.Task(B, TAHUN, str(notebook), str(run), str(data_dir), export=_no_export))
    assert second["status"] == be.BERHASIL, second
    assert second["kernel"] == "hangat"  # B really ran on a kernel that had just run A
    return second


def _no_export(nb, out_dir, formats):
    return []


def _cells(nb: nbformat.NotebookNode, output_dir: Path) -> list:
    """What a reader and the machine see of each code cell: counter and outputs (not the source: the
    injected parameters differ in output_dir, which is also replaced wherever an output shows it)."""
    cells = [(c.get("execution_count"), c.get("outputs")) for c in nb.cells if c.cell_type == "code"]
    text = json.dumps(cells).replace(str(output_dir), "<output_dir>")
    return json.loads(re.sub(r"<dc:date>[^<]*</dc:date>", "<dc:date/>", text))  # SVG creation time


def test_a_warm_kernel_shows_nothing_of_the_previous_region(data_dir, tmp_path, monkeypatch):
    # A ran the leak probe too: it defined `rahasia`, changed cwd, env, sys.path, pandas and matplotlib
    # options, silenced warnings, left a figure open and had already shown the library's warning once.
    _warm_after(BOCOR_NB, data_dir, tmp_path / "warm")
    fresh_nb = _fresh(BOCOR_NB, B, data_dir, tmp_path / "fresh", monkeypatch)
    warm = json.loads((tmp_path / "warm" / B / "ringkasan.json").read_text())["keadaan"]
    fresh = json.loads((tmp_path / "fresh" / "ringkasan.json").read_text())["keadaan"]
    assert warm == fresh
    assert warm["ada_rahasia"] is False and warm["cwd"] == str(NB_DIR) and warm["pandas_max_rows"] == 60
    assert "_i1" in warm["nama_global"] and "__spec__" in warm["nama_global"]  # whole namespace compared
    warm_nb = nbformat.read(tmp_path / "warm" / B / be.NOTEBOOK_NAME, as_version=4)
    warm_cells = _cells(warm_nb, tmp_path / "warm" / B)
    assert warm_cells == _cells(fresh_nb, tmp_path / "fresh")  # incl. the warning text and the figure repr
    assert "peringatan uji dari pustaka" in json.dumps(warm_cells)


def test_the_probe_does_see_a_leak_without_reset(data_dir, tmp_path):
    # Proves the test above can fail: the same two runs without batch_kernel.reset() in between.
    kernel = be.WarmKernel(NB_DIR)
    kernel.start()
    try:
        for kode in (A, B):
            task = be.Task(kode, TAHUN, str(BOCOR_NB), str(tmp_path), str(data_dir))
            nb = be.parameterize_for(task)
            kernel.execute(nb, "python3", 60)
    finally:
        kernel.shutdown()
    seen = json.loads((tmp_path / B / "ringkasan.json").read_text())["keadaan"]
    assert seen["ada_rahasia"] is True and seen["cwd"] == "/" and seen["pandas_max_rows"] == 3


def test_warm_and_fresh_kernels_write_identical_results(data_dir, tmp_path, monkeypatch):
    # A succeeds, then A fails half-way (a raising cell keeps the kernel), then B.
    _warm_after(RINGKASAN_NB, data_dir, tmp_path / "warm", before=((A, {}), (A, {"gagal_untuk": [A]})))
    fresh_nb = _fresh(RINGKASAN_NB, B, data_dir, tmp_path / "fresh", monkeypatch)
    for name in ("ringkasan.json", "capaian.csv"):
        assert (tmp_path / "warm" / B / name).read_bytes() == (tmp_path / "fresh" / name).read_bytes()
    warm_nb = nbformat.read(tmp_path / "warm" / B / be.NOTEBOOK_NAME, as_version=4)
    assert _cells(warm_nb, tmp_path / "warm" / B) == _cells(fresh_nb, tmp_path / "fresh")


@pytest.mark.slow
@pytest.mark.skipif(not (notebooks_dir() / "laporan_wilayah.ipynb").exists(),
                    reason="laporan_wilayah.ipynb belum ada")
def test_report_notebook_warm_equals_fresh(data_dir, tmp_path, monkeypatch):
    notebook = notebooks_dir() / "laporan_wilayah.ipynb"
    _warm_after(notebook, data_dir, tmp_path / "warm")
    fresh_nb = _fresh(notebook, B, data_dir, tmp_path / "fresh", monkeypatch)
    warm_nb = nbformat.read(tmp_path / "warm" / B / be.NOTEBOOK_NAME, as_version=4)
    # every table, text and chart (PNG bytes) too
    assert _cells(warm_nb, tmp_path / "warm" / B) == _cells(fresh_nb, tmp_path / "fresh")
    machine = sorted(p.name for p in (tmp_path / "fresh").iterdir()
                     if p.suffix in (".json", ".csv", ".parquet") and p.name != "fresh.ipynb")
    assert "ringkasan.json" in machine
    for name in machine:
        assert (tmp_path / "warm" / B / name).read_bytes() == (tmp_path / "fresh" / name).read_bytes(), name


def test_one_client_per_kernel_no_thread_or_socket_leak(data_dir, tmp_path):
    # nbclient, left alone, opens a kernel client (sockets + heartbeat thread) per notebook and never
    # closes it when it does not own the kernel. Three regions on one kernel must not add threads.
    be.run_task(be.Task(A, TAHUN, str(RINGKASAN_NB), str(tmp_path), str(data_dir), export=_no_export))
    before = threading.active_count()
    for _ in range(3):
        task = be.Task(B, TAHUN, str(RINGKASAN_NB), str(tmp_path), str(data_dir), export=_no_export)
        result = be.run_task(task)
        assert result["kernel"] == "hangat"
    assert threading.active_count() == before


def test_ipc_sockets_in_a_short_folder_tcp_when_the_path_would_be_too_long(tmp_path, monkeypatch):
    deep = tmp_path / ("d" * 80)  # pytest's tmp_path is already long; a Unix socket path is not
    deep.mkdir()
    monkeypatch.setattr(be, "KERNEL_TMP", str(deep))
    kernel = be.WarmKernel(NB_DIR)
    kernel.start()
    try:
        assert kernel.km.transport == "tcp"
        kernel.reset()  # the kernel answers
    finally:
        kernel.shutdown()
    assert list(deep.iterdir()) == []  # its folder is removed on shutdown
    monkeypatch.setattr(be, "KERNEL_TMP", None)  # default: the system temp folder (/tmp here)
    short = be.WarmKernel(NB_DIR)
    short.start()
    try:
        assert short.km.transport == ("ipc" if os.name == "posix" else "tcp")
    finally:
        short.shutdown()
