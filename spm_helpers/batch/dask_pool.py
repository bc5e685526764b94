"""``spm batch --executor dask``: the same region tasks on a Dask distributed cluster.

Each Dask worker thread keeps its own warm kernel (``batch.worker`` keys kernels by thread), and
a worker plugin shuts them down when the worker closes. Paths in the tasks (notebook, data, run
folder) must be visible to every worker under the same name: a shared disk, or one machine.
Start a cluster with ``dask scheduler`` and, per machine, ``dask worker ADDRESS --nthreads 1
--nworkers N``; then ``spm batch ... --executor dask --scheduler ADDRESS``.
"""
from __future__ import annotations

import uuid
from typing import Iterable, Iterator

from distributed import Client, as_completed
from distributed.diagnostics.plugin import WorkerPlugin

from spm_helpers.batch.pool import crashed
from spm_helpers.batch.worker import Task, run_task, shutdown_kernels
from spm_helpers.errors import SPMError


class KernelReaper(WorkerPlugin):
    """Stop the warm kernels of a Dask worker when it closes."""

    name = "spm-batch-kernels"

    def teardown(self, worker) -> None:
        shutdown_kernels()


CONNECT_TIMEOUT = 20  # seconds


class DaskPool:
    """``imap(tasks)`` on a cluster at ``scheduler`` (an address, or a ``Client`` to reuse).

    Connects at once, so an unreachable scheduler is reported before anything is written."""

    def __init__(self, scheduler: str | Client):
        if isinstance(scheduler, Client):
            self.client, self.owned = scheduler, False
            return
        try:
            self.client, self.owned = Client(scheduler, timeout=CONNECT_TIMEOUT), True
        except (OSError, TimeoutError) as exc:
            raise SPMError(f"Tidak dapat terhubung ke penjadwal Dask '{scheduler}': {exc}") from exc

    def close(self) -> None:
        if self.owned:
            self.client.close()

    def imap(self, tasks: Iterable[Task]) -> Iterator[dict]:
        client = self.client
        futures = {}
        try:
            client.register_plugin(KernelReaper())
            run = uuid.uuid4().hex[:8]
            for task in tasks:
                future = client.submit(run_task, task, pure=False, key=f"spm-{task.kode_wilayah}-{run}")
                futures[future] = task
            for future in as_completed(futures):
                try:
                    result = future.result()
                except Exception as exc:  # noqa: BLE001 - worker lost, task killed...: one region fails
                    result = crashed(futures[future], f"Pekerja Dask gagal: {type(exc).__name__}: {exc}")
                yield result
        finally:
            for future in futures:
                future.cancel()
            self.close()
