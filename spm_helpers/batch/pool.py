"""Local worker processes for ``spm batch``: each keeps a warm kernel, one region at a time.

Not ``concurrent.futures.ProcessPoolExecutor``: when one of its workers dies (out of memory, a
segfault in a C extension) every pending future fails with ``BrokenProcessPool`` and we could not
tell which region killed it. Here every worker has its own pipe, so the parent always knows which
region a worker holds; a dead worker fails that one region and is replaced, the batch goes on.
A worker also dies with its parent (``die_with_parent``), busy or not.

Ctrl-C goes to the parent only: workers ignore SIGINT (and their kernels run in their own
session), so an interrupted batch stops its workers on purpose, with SIGTERM, after which each
worker shuts its kernel down. A worker whose parent disappears (kill -9) sees its pipe close and
exits; ipykernel's parent poller then ends the kernel.
"""
from __future__ import annotations

import logging
import multiprocessing as mp
import os
import shutil
import signal
import sys
import tempfile
from collections import deque
from dataclasses import dataclass
from multiprocessing.connection import Connection, wait
from typing import Iterable, Iterator

from spm_helpers.batch import papermill_engine, worker
from spm_helpers.batch.worker import GAGAL, Task, run_task, shutdown_kernels
from spm_helpers.documents import browser

STOP_TIMEOUT = 10.0


def _terminate(signum, frame):  # pragma: no cover - runs in the worker process
    signal.signal(signal.SIGTERM, signal.SIG_IGN)  # a second SIGTERM (parent watch) must not cut the cleanup
    sys.exit(0)  # unwinds run_task; the finally below shuts the kernel down


def die_with_parent(sig: int = signal.SIGTERM, poll: float = 1.0, cleanup=None) -> None:  # pragma: no cover - in the worker
    """This process gets ``sig`` when its parent dies, even by kill -9 while a cell hangs (a blocked worker
    never reads its pipe, so it would live on until the cell timeout and then write into a resumed run).

    Linux's ``prctl(PR_SET_PDEATHSIG)`` does it in the kernel; a watcher thread comparing ``getppid()``
    covers other systems and the parent-thread subtlety of PDEATHSIG. The signal runs the normal
    SIGTERM path (kernel shut down); if that does not finish within 10 s the process exits hard."""
    parent = os.getppid()
    try:
        import ctypes

        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(1, int(sig), 0, 0, 0)  # PR_SET_PDEATHSIG = 1
    except (OSError, AttributeError):
        pass
    if os.getppid() != parent:  # the parent died before prctl took effect
        os.kill(os.getpid(), sig)

    def watch() -> None:
        import time

        while os.getppid() == parent:
            time.sleep(poll)
        os.kill(os.getpid(), sig)
        time.sleep(10)
        if cleanup is not None:  # the normal path did not finish: leave no sockets' folder behind either
            cleanup()
        os._exit(1)

    import threading

    threading.Thread(target=watch, daemon=True, name="spm-parent-watch").start()


def _worker_main(conn: Connection, kernel_tmp: str) -> None:  # pragma: no cover - in the worker
    papermill_engine.skip_iri_grammar()  # ~1 s of every worker start
    papermill_engine.skip_output_validation()  # ~2 ms × ~50 outputs per report
    worker.KERNEL_TMP = kernel_tmp
    browser.PROFILE_TMP = kernel_tmp  # a worker killed hard leaves its browser profile where the pool cleans up
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, _terminate)
    die_with_parent(cleanup=lambda: shutil.rmtree(kernel_tmp, ignore_errors=True))
    for name in ("papermill", "traitlets", "nbclient"):  # failures are reported in the manifest
        logging.getLogger(name).addHandler(logging.NullHandler())
        logging.getLogger(name).propagate = False
    try:
        while True:
            try:
                task = conn.recv()
            except (EOFError, OSError):  # the parent is gone
                break
            if task is None:
                break
            conn.send(run_task(task))
    finally:
        shutdown_kernels()
        try:  # the last worker out removes the pool's folder (the parent may have been killed)
            os.rmdir(kernel_tmp)
        except OSError:
            pass


@dataclass(eq=False)
class _Worker:
    proc: mp.process.BaseProcess
    conn: Connection
    task: Task | None = None


def crashed(task: Task, reason: str) -> dict:
    """The manifest entry for a region whose worker never answered."""
    return {"kode_wilayah": task.kode_wilayah, "status": GAGAL, "detik": None, "keluaran": [],
            "notebook": None, "galat": reason, "sel_gagal": None, "pekerja": None}


class LocalPool:
    """``imap(tasks)`` yields one result dict per task, in completion order."""

    def __init__(self, workers: int):
        self.n = max(1, int(workers))
        self._ctx = mp.get_context("spawn")  # no fork of a parent holding threads and sockets

    def _spawn(self) -> _Worker:
        parent, child = self._ctx.Pipe(duplex=True)
        proc = self._ctx.Process(target=_worker_main, args=(child, self._tmp), daemon=True,
                                 name="spm-batch-worker")
        proc.start()
        child.close()
        return _Worker(proc, parent)

    def imap(self, tasks: Iterable[Task]) -> Iterator[dict]:
        todo = deque(tasks)
        # Kernels' socket folders live under one folder of this pool, removed at the end even when a
        # worker was killed before it could clean up after its kernel.
        self._tmp = tempfile.mkdtemp(prefix="spmb-")  # short: Unix socket paths are limited
        workers = [self._spawn() for _ in range(min(self.n, len(todo)))]
        try:
            while todo or any(w.task for w in workers):
                for w in workers:
                    if w.task is None and todo:
                        w.task = todo.popleft()
                        w.conn.send(w.task)
                busy = [w for w in workers if w.task is not None]
                ready = wait([w.conn for w in busy] + [w.proc.sentinel for w in busy], timeout=1.0)
                for w in busy:
                    result = self._collect(w, ready)
                    if result is None:
                        continue
                    w.task = None
                    if not w.proc.is_alive():
                        workers[workers.index(w)] = self._spawn()
                    yield result
        finally:
            self._stop(workers)
            shutil.rmtree(self._tmp, ignore_errors=True)

    def _collect(self, w: _Worker, ready: list) -> dict | None:
        if w.conn in ready:
            try:
                return w.conn.recv()
            except (EOFError, OSError):
                pass
        elif w.proc.sentinel not in ready:
            return None
        w.proc.join(1.0)
        return crashed(w.task, f"Proses pekerja berhenti tak terduga (kode keluar {w.proc.exitcode}); "
                               "wilayah ini tidak selesai.")

    @staticmethod
    def _stop(workers: list[_Worker]) -> None:
        for w in workers:
            try:
                if w.task is None and w.proc.is_alive():
                    w.conn.send(None)  # idle: ask politely
                else:
                    w.proc.terminate()  # busy (interrupted batch): SIGTERM, the worker cleans up
            except (OSError, ValueError):
                pass
        for w in workers:
            w.proc.join(STOP_TIMEOUT)
            if w.proc.is_alive():
                w.proc.kill()
                w.proc.join(1.0)
            w.conn.close()


class InlinePool:
    """``workers=0``: run in this process, one region after another (debugging, notebooks, tests)."""

    def imap(self, tasks: Iterable[Task]) -> Iterator[dict]:
        try:
            for task in tasks:
                yield run_task(task)
        finally:
            shutdown_kernels()
