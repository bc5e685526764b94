"""Runs ONE submitted notebook inside the grading sandbox (``python -m spm_helpers.training.sandbox_run``).

Reads ``{"nb": ..., "batas_waktu": s}`` as JSON on stdin, executes the notebook with nbclient (a time
limit per cell: the kernel is interrupted and the next cell runs) and writes the executed notebook as
JSON on stdout — the only channel back to the grader, a pipe of this submission alone. The kernel's
own stdout/stderr go nowhere, so notebook code cannot write into that pipe by printing. Nothing here
decides a score: the grader reads the answers the harvest cells printed and judges them itself.
"""
from __future__ import annotations

import json
import os
import subprocess
import sys


def main() -> int:
    out = os.fdopen(os.dup(1), "w", encoding="utf-8")
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, 1)  # anything else printing to fd 1 (libraries, a kernel) does not reach the grader
    request = json.loads(sys.stdin.read())
    import resource

    for name, value in dict(request.get("batas") or {}).items():  # before any notebook code runs
        resource.setrlimit(getattr(resource, name), (int(value), int(value)))
    import nbformat
    from nbclient import NotebookClient

    nb = nbformat.from_dict(request["nb"])
    limit = int(request["batas_waktu"])
    client = NotebookClient(
        nb, timeout=limit, allow_errors=True, interrupt_on_timeout=True, kernel_name="python3",
        error_on_timeout={"ename": "WaktuHabis", "evalue": f"Sel melewati batas waktu {limit} detik",
                          "traceback": []},
        resources={"metadata": {"path": os.getcwd()}}, startup_timeout=120)
    status = "selesai"
    try:
        client.execute(stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    except Exception as exc:  # noqa: BLE001 - a dead kernel: report what ran
        status = f"eksekusi berhenti ({type(exc).__name__})"
    out.write(json.dumps({"status": status, "nb": nb}))
    out.flush()
    return 0


if __name__ == "__main__":
    sys.exit(main())
