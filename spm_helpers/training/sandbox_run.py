"""Runs ONE submitted notebook inside the grading sandbox (``python -m spm_helpers.training.sandbox_run``).

Reads ``{"nb": ..., "batas_waktu": s, "batas_notebook": s}`` as JSON on stdin, executes the notebook
with nbclient cell by cell and writes the executed notebook as JSON on stdout — the only channel back
to the grader, a pipe of this submission alone. The kernel's own stdout/stderr go nowhere, so notebook
code cannot write into that pipe by printing. Nothing here decides a score: the grader reads the
answers the harvest cells printed and judges them itself.

Time limits, so that one notebook costs about one cell limit however it misbehaves:

- a cell over ``batas_waktu`` is interrupted (Ctrl-C) and the next cell runs;
- a kernel that does not answer within ``TANGGAP`` seconds after that interrupt (the loop ignores
  SIGINT) will never run another cell: execution stops there and what ran so far is sent back, so the
  answers before the loop still count;
- the runner stops itself a little before the grader's ``batas_notebook`` kill, for the same reason;
- a cell running longer than ``LAMBAT`` seconds gets the lowest CPU priority (nice 19) for the rest of
  its notebook, so a busy loop takes CPU only from nobody else's grading; the runner then writes
  ``TANDA_LAMBAT`` on its pipe (once, before the notebook), and the grader starts the next submission
  instead of waiting for this one's slot.
"""
from __future__ import annotations

import json
import os
import queue
import subprocess
import sys
import threading
import time

TANGGAP = 5  # seconds an interrupted kernel has to answer before it counts as stuck
LAMBAT = 3  # a cell running longer than this yields the CPU to the other submissions
CADANGAN = 12  # seconds before the grader's whole-notebook kill that the runner stops by itself
TANDA_LAMBAT = b"#lambat\n"  # "this notebook now runs at nice 19": its grading slot may go to the next one
TERSANGKUT = "kernel tidak menanggapi interupsi (Ctrl-C diabaikan) setelah waktu sel habis; sel berikutnya tidak dijalankan"
HABIS = "batas waktu seluruh notebook tercapai; sel berikutnya tidak dijalankan"


def block_slow_optional_imports() -> None:
    """jsonschema (imported by nbformat) imports ``rfc3987_syntax`` when it is installed, which builds ~35
    Lark parsers at import: ~1.5 s of CPU per submission for an IRI format no notebook schema uses
    (python-jsonschema/jsonschema#1428). Without it jsonschema simply has no 'iri' format checker. The
    grading commands call this too, before nbformat is imported (the grader reads every submission with it)."""
    sys.modules.setdefault("rfc3987_syntax", None)  # type: ignore[arg-type]


def _responds(client, wait: float) -> bool:
    """Whether the kernel answers a kernel_info request within ``wait`` seconds (its shell is free again)."""
    from jupyter_core.utils import run_sync

    msg_id = client.kc.kernel_info()
    end = time.monotonic() + wait
    while (left := end - time.monotonic()) > 0:
        try:
            msg = run_sync(client.kc.get_shell_msg)(timeout=left)
        except queue.Empty:
            return False
        if msg.get("parent_header", {}).get("msg_id") == msg_id:
            return True
    return False


class _Pipe:
    """The one channel back to the grader, written from the main thread and the slow-cell timer."""

    def __init__(self, fd: int):
        self.out = os.fdopen(fd, "wb")
        self.lock = threading.Lock()
        self.slow_said = False

    def slow(self) -> None:
        with self.lock:
            if not self.slow_said:
                self.slow_said = True
                self.out.write(TANDA_LAMBAT)
                self.out.flush()

    def result(self, data: bytes) -> None:
        with self.lock:
            self.out.write(data)
            self.out.flush()


def _yield_cpu(pid: int, pipe: _Pipe | None = None) -> None:
    try:  # the kernel is a session leader (jupyter_client): its group is the kernel and what it started
        os.setpriority(os.PRIO_PGRP, pid, 19)
    except OSError:
        return
    if pipe is not None:
        pipe.slow()


def run(nb, limit: int, whole: float, started: float, pipe: _Pipe | None = None) -> tuple[object, str]:
    """Execute ``nb`` in a fresh kernel; (executed notebook, status)."""
    import nbformat
    from nbclient import NotebookClient

    deadline = started + max(10.0, whole - CADANGAN)
    given = [limit]  # the timeout of the cell being run (shorter near the deadline)

    def cell_timeout(_cell) -> int:
        given[0] = max(1, int(min(limit, deadline - time.monotonic())))
        return given[0]

    client = NotebookClient(
        nb, timeout=limit, allow_errors=True, interrupt_on_timeout=True, kernel_name="python3",
        error_on_timeout={"ename": "WaktuHabis", "evalue": f"Sel melewati batas waktu {limit} detik",
                          "traceback": []},
        timeout_func=cell_timeout,
        resources={"metadata": {"path": os.getcwd()}}, startup_timeout=120, shutdown_kernel="immediate")
    status = "selesai"
    try:
        with client.setup_kernel(stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL):
            pid = getattr(getattr(client.km, "provisioner", None), "pid", None)
            for index, cell in enumerate(nb.cells):
                if cell.get("cell_type") != "code":
                    continue
                if time.monotonic() >= deadline:
                    status = HABIS
                    break
                slow = threading.Timer(LAMBAT, _yield_cpu, [pid, pipe]) if pid else None
                if slow:
                    slow.start()
                t0 = time.monotonic()
                try:
                    client.execute_cell(cell, index)
                finally:
                    if slow:
                        slow.cancel()
                # timed out (nbclient has interrupted it): is the kernel free again, or is the loop ignoring SIGINT?
                if time.monotonic() - t0 >= given[0] and not _responds(client, TANGGAP):
                    cell.setdefault("outputs", []).append(nbformat.v4.new_output(
                        "error", ename="WaktuHabis", evalue=f"Sel melewati batas waktu {given[0]} detik dan "
                                                            "tidak berhenti saat disela", traceback=[]))
                    status = TERSANGKUT
                    break
    except Exception as exc:  # noqa: BLE001 - a dead kernel: report what ran
        status = f"eksekusi berhenti ({type(exc).__name__})"
    return nb, status


def main() -> int:
    started = time.monotonic()
    pipe = _Pipe(os.dup(1))
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, 1)  # anything else printing to fd 1 (libraries, a kernel) does not reach the grader
    request = json.loads(sys.stdin.read())
    import resource

    for name, value in dict(request.get("batas") or {}).items():  # before any notebook code runs
        resource.setrlimit(getattr(resource, name), (int(value), int(value)))
    block_slow_optional_imports()
    import nbformat

    nb, status = run(nbformat.from_dict(request["nb"]), int(request["batas_waktu"]),
                     float(request.get("batas_notebook") or 10**9), started, pipe)
    pipe.result(json.dumps({"status": status, "nb": nb}).encode("utf-8"))
    return 0


if __name__ == "__main__":
    sys.exit(main())
