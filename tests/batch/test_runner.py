"""``spm_helpers.batch.runner``: failures are isolated and recorded, runs resume, the manifest stays valid."""
from __future__ import annotations

import json

import nbformat
import pytest
from batch_support import MACET_NB, RINGKASAN_NB, TAHUN, write_demo

from spm_helpers import DEMO_LABEL
from spm_helpers.batch import runner
from spm_helpers.batch import worker as be
from spm_helpers.errors import SPMError

pytestmark = pytest.mark.notebook
CODES = ["11", "11.01", "11.02", "32.75"]


@pytest.fixture(scope="module")
def data_dir(tmp_path_factory):
    return write_demo(tmp_path_factory.mktemp("data"), CODES)


@pytest.fixture(scope="module")
def broken_dir(tmp_path_factory):
    return write_demo(tmp_path_factory.mktemp("rusak"), CODES, broken="11.02")


@pytest.fixture(scope="module", autouse=True)
def _stop_kernels():
    yield
    be.shutdown_kernels()


def _run(run_dir, data, **kw):
    kw.setdefault("workers", 0)  # in this process: the same run_task the worker processes use
    return runner.run_batch(CODES, TAHUN, run_dir, notebook=RINGKASAN_NB, data_dir=data, **kw)


def test_broken_data_and_a_raising_notebook_do_not_stop_the_others(broken_dir, tmp_path):
    out = _run(tmp_path, broken_dir, params={"gagal_untuk": ["11"]})
    entries = json.loads((tmp_path / "manifest.json").read_text())["wilayah"]
    status = {e["kode_wilayah"]: e["status"] for e in entries}
    assert status == {"11": "gagal", "11.01": "berhasil", "11.02": "gagal", "32.75": "berhasil"}
    by = {e["kode_wilayah"]: e for e in entries}
    assert by["11"]["galat"] == "RuntimeError: Kegagalan uji untuk 11"
    # cell 3 of the fixture as its author sees it (0 markdown, 1 parameters, 2 imports); In [4] when
    # executed, after papermill's injected-parameters cell
    assert by["11"]["sel_gagal"]["indeks"] == 3 and by["11"]["sel_gagal"]["eksekusi"] == 4
    assert "raise RuntimeError" in by["11"]["sel_gagal"]["sumber"]
    assert by["11.02"]["galat"].startswith("SPMDataError") and "tidak boleh negatif" in by["11.02"]["galat"]
    # the partially executed notebook is kept, with papermill's banner pointing at the failing cell
    partial = nbformat.read(tmp_path / "11.02" / be.NOTEBOOK_NAME, as_version=4)
    assert "papermill-error-cell-tag" in partial.cells[0].metadata["tags"]
    assert by["32.75"]["keluaran"] == ["32.75/laporan.html"]
    assert (tmp_path / "32.75" / "laporan.html").exists()
    assert by["32.75"]["detik"] > 0 and not (tmp_path / "11.02" / "laporan.html").exists()
    assert not out.ok and out.manifest.meta["status"] == "selesai"
    html = out.index.read_text()
    assert html.index("Wilayah yang gagal") < html.index("<h2>Nasional</h2>")


def test_interrupt_leaves_a_valid_manifest_and_resume_skips_finished_regions(data_dir, tmp_path):
    def ctrl_c(result):  # what Ctrl-C does to the loop in the parent, after the first region
        raise KeyboardInterrupt

    out = _run(tmp_path, data_dir, on_result=ctrl_c)
    manifest = json.loads((tmp_path / "manifest.json").read_text())
    assert out.interrupted and manifest["status"] == "terputus" and out.index is None
    assert manifest["jumlah"] == {"total": 4, "berhasil": 1, "gagal": 0, "menunggu": 3}
    first = next(e for e in manifest["wilayah"] if e["status"] == "berhasil")
    first_html = (tmp_path / first["keluaran"][0]).stat().st_mtime_ns

    seen = []
    resumed = runner.run_batch(None, TAHUN, tmp_path, resume=True, workers=0, on_result=seen.append)
    assert sorted(r["kode_wilayah"] for r in seen) == sorted(set(CODES) - {first["kode_wilayah"]})
    assert resumed.ok and resumed.manifest.meta["status"] == "selesai" and resumed.index.exists()
    assert (tmp_path / first["keluaran"][0]).stat().st_mtime_ns == first_html
    assert len(resumed.manifest.meta["dilanjutkan"]) == 1


def test_resume_retries_failed_regions_once_the_data_is_fixed(broken_dir, tmp_path, tmp_path_factory):
    import shutil

    data = tmp_path_factory.mktemp("perbaikan")
    shutil.copytree(broken_dir, data, dirs_exist_ok=True)
    first = _run(tmp_path, data, summary=False)
    assert [e["kode_wilayah"] for e in first.manifest.failures()] == ["11.02"]
    write_demo(data, CODES)  # the officer fixes the table
    seen = []
    again = runner.run_batch(None, TAHUN, tmp_path, resume=True, workers=0, on_result=seen.append,
                            summary=False)
    assert [r["kode_wilayah"] for r in seen] == ["11.02"] and again.ok


def test_a_cell_that_never_ends_is_stopped_and_the_next_region_gets_a_new_kernel(data_dir, tmp_path):
    stuck = be.run_task(be.Task("11.01", TAHUN, str(MACET_NB), str(tmp_path), str(data_dir), cell_timeout=2))
    assert stuck["status"] == "gagal" and "lebih dari 2 detik" in stuck["galat"]
    assert stuck["sel_gagal"]["sumber"].startswith("import time")
    after = be.run_task(be.Task("32.75", TAHUN, str(RINGKASAN_NB), str(tmp_path), str(data_dir)))
    assert after["status"] == "berhasil" and after["kernel"] == "baru"


def test_a_notebook_that_writes_no_ringkasan_fails_clearly(data_dir, tmp_path):
    result = be.run_task(be.Task("32.75", TAHUN, str(RINGKASAN_NB), str(tmp_path), str(data_dir),
                                 expected=("ringkasan.json", "tabel_tahap.parquet")))
    assert result["status"] == "gagal" and "tabel_tahap.parquet" in result["galat"]


def test_an_export_error_is_a_failed_region_not_a_crash(data_dir, tmp_path):
    def broken_export(nb, out_dir, formats):
        raise OSError("disk penuh")

    result = be.run_task(be.Task("32.75", TAHUN, str(RINGKASAN_NB), str(tmp_path), str(data_dir),
                                 export=broken_export))
    assert result["status"] == "gagal" and result["galat"] == "OSError: disk penuh"


def test_demo_data_is_generated_once_and_labelled(tmp_path):
    out = runner.run_batch("32.75", TAHUN, tmp_path, notebook=RINGKASAN_NB, workers=0)
    assert out.ok and (tmp_path / "data" / "sasaran.parquet").exists()
    assert out.manifest.meta["data_label"] == DEMO_LABEL and DEMO_LABEL in out.index.read_text()


def test_an_existing_run_is_never_overwritten(data_dir, tmp_path):
    (tmp_path / "manifest.json").write_text("{}")
    with pytest.raises(SPMError, match="--lanjutkan"):
        _run(tmp_path, data_dir)
    assert (tmp_path / "manifest.json").read_text() == "{}"


def test_resume_refuses_another_year_and_a_damaged_manifest(tmp_path):
    runner.Manifest.new(tmp_path, ["32.75"], tahun=2023, notebook=str(RINGKASAN_NB), data_dir=str(tmp_path),
                       format=["html"]).save()
    with pytest.raises(SPMError, match="tahun 2023"):
        runner.run_batch(None, TAHUN, tmp_path, resume=True, workers=0)
    (tmp_path / "manifest.json").write_text('{"wilayah": [')
    with pytest.raises(SPMError, match="rusak"):
        runner.run_batch(None, TAHUN, tmp_path, resume=True, workers=0)


def test_manifest_todo_reruns_a_success_whose_report_was_deleted(tmp_path):
    m = runner.Manifest.new(tmp_path, ["32.75", "11.01"], tahun=TAHUN)
    (tmp_path / "32.75").mkdir()
    (tmp_path / "32.75" / "laporan.html").write_text("x")
    for kode in ("32.75", "11.01"):
        m.record({"kode_wilayah": kode, "status": "berhasil", "keluaran": [f"{kode}/laporan.html"]})
    assert m.todo() == ["11.01"]
    assert m.counts() == {"total": 2, "berhasil": 2, "gagal": 0, "menunggu": 0}
