"""``--executor dask``: the same region tasks on a Dask cluster (a LocalCluster here)."""
from __future__ import annotations

import psutil
import pytest
from batch_support import RINGKASAN_NB, TAHUN, write_demo

from spm_helpers.batch import runner

pytest.importorskip("distributed")
pytestmark = pytest.mark.notebook


def _kernels() -> list[psutil.Process]:
    return [p for p in psutil.Process().children(recursive=True)
            if any("ipykernel" in part for part in p.cmdline())]


def test_dask_cluster_runs_regions_isolates_failures_and_reaps_kernels(tmp_path, tmp_path_factory):
    from distributed import LocalCluster

    data = write_demo(tmp_path_factory.mktemp("data"), ["11.01", "11.02", "32.75"])
    with LocalCluster(n_workers=1, threads_per_worker=1, processes=True, dashboard_address=None) as cluster:
        out = runner.run_batch(["11.01", "11.02", "32.75"], TAHUN, tmp_path, notebook=RINGKASAN_NB,
                              data_dir=data, executor="dask", scheduler=cluster.scheduler_address,
                              params={"gagal_untuk": ["11.02"]})
        assert _kernels()  # the worker keeps its kernel warm while the cluster lives
    entries = out.manifest.entries
    assert {k: e["status"] for k, e in entries.items()} == {"11.01": "berhasil", "11.02": "gagal",
                                                            "32.75": "berhasil"}
    assert entries["11.02"]["galat"] == "RuntimeError: Kegagalan uji untuk 11.02"
    assert sorted(e["kernel"] for e in entries.values()) == ["baru", "hangat", "hangat"]  # one warm kernel
    assert (tmp_path / "32.75" / "laporan.html").exists() and out.index.exists()
    assert psutil.wait_procs(_kernels(), timeout=20)[1] == []  # the worker plugin stopped it


def test_dask_unreachable_scheduler_is_an_indonesian_error_before_anything_is_written(
        tmp_path, tmp_path_factory, monkeypatch):
    from spm_helpers.batch import dask_pool
    from spm_helpers.errors import SPMError

    monkeypatch.setattr(dask_pool, "CONNECT_TIMEOUT", 2)
    data = write_demo(tmp_path_factory.mktemp("data"), ["32.75"])
    with pytest.raises(SPMError, match="Tidak dapat terhubung ke penjadwal Dask"):
        runner.run_batch("32.75", TAHUN, tmp_path, notebook=RINGKASAN_NB, data_dir=data, executor="dask",
                        scheduler="tcp://127.0.0.1:1", summary=False)
    assert not (tmp_path / "manifest.json").exists()  # so the same command can simply be run again
