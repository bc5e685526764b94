"""Worker side of ``spm batch``: run one region's notebook on a kernel kept warm across regions.

Where the time goes in a naive run (anchors §1): a ``papermill`` CLI call spends ~3 s importing
Python packages and starting a kernel, ``jupyter nbconvert`` another ~2 s, for well under a second
of real work. Here each worker process imports papermill/nbconvert once, keeps one ipykernel alive
(papermill forwards ``km=`` to nbclient, which does not shut down a kernel it does not own), resets
it between regions (``batch.kernel_reset.reset``) and exports with an exporter built once.

Two details matter for correctness:
* nbclient would open a new kernel *client* per notebook and, not owning the kernel, never close
  it (measured: one heartbeat thread and 18 file descriptors leaked per region). ``papermill_engine.warm_engine``
  hands nbclient the worker's one client instead.
* kernels talk over IPC sockets in a private folder on POSIX, so parallel workers cannot race for
  the same TCP port (papermill #511); on Windows (TCP only) start-up is retried.
"""
from __future__ import annotations

import copy
import errno
import os
import shutil
import socket
import subprocess
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable

from jupyter_core.utils import run_sync

from spm_helpers.batch import papermill_engine
from spm_helpers.errors import SPMError, mask_digits
from spm_helpers.files import write_text

if TYPE_CHECKING:  # nbformat is imported where used: `spm` commands other than batch never pay for it
    from nbformat import NotebookNode

KERNEL_NAME = "python3"
# A kernel is replaced after this many regions. Its memory stays flat across regions (measured: 509 MB
# from region 20 to 120 of a national run, the national tables included), so this only bounds what a
# slow leak in some library could cost; 600 means a national batch of 552 never pays for a restart
# (kernel start, imports, reading and validating the national files, the national engine run: ~8 s).
RESTART_EVERY = 600
NOTEBOOK_NAME = "laporan.ipynb"  # executed notebook inside each region folder
EXPECTED_OUTPUTS = ("ringkasan.json",)
INLINE_BACKEND = "module://matplotlib_inline.backend_inline"
KERNEL_TMP: str | None = None  # where kernels keep their sockets; a local pool sets one it removes at the end
IPC_PATH_MAX = 90  # a Unix socket path must stay under ~104 bytes (macOS), ~108 (Linux); else TCP
_WARMUP = "__import__('spm_helpers.batch.kernel_reset', fromlist=['snapshot']).snapshot({wilayah!r})"
_KEEP = "__import__('spm_helpers.batch.kernel_reset', fromlist=['keep_tables']).keep_tables({wilayah!r})"
_RESET = "__import__('spm_helpers.batch.kernel_reset', fromlist=['reset']).reset()"

BERHASIL = "berhasil"
GAGAL = "gagal"
MENUNGGU = "menunggu"

ExportFn = Callable[["NotebookNode", Path, tuple], Any]


@dataclass(frozen=True)
class Task:
    """Everything a worker needs for one region; plain data so it pickles to processes and Dask."""

    kode_wilayah: str
    tahun: int
    notebook: str
    run_dir: str
    data_dir: str
    formats: tuple[str, ...] = ("html",)
    params: dict = field(default_factory=dict)
    cell_timeout: int = 600
    fresh_kernel: bool = False
    restart_every: int = RESTART_EVERY
    export: ExportFn | None = None
    title: str | None = None
    expected: tuple[str, ...] = EXPECTED_OUTPUTS
    scope: tuple[str, ...] | None = None  # every region of the batch (kernels keep only their data rows)

    @property
    def out_dir(self) -> Path:
        return Path(self.run_dir) / self.kode_wilayah

    def parameters(self) -> dict:
        return {"kode_wilayah": self.kode_wilayah, "tahun": self.tahun, "data_dir": self.data_dir,
                "output_dir": str(self.out_dir), **self.params}


class WarmKernel:
    """One ipykernel kept alive across regions, plus the single client that talks to it."""

    def __init__(self, cwd: str | Path, kernel_name: str = KERNEL_NAME, startup_timeout: float = 60,
                 scope: tuple[str, ...] | None = None):
        self.cwd = str(cwd)
        self.scope = scope
        self.kernel_name = kernel_name
        self.startup_timeout = startup_timeout
        self.km = self.kc = None
        self.regions = 0  # regions run since the last (re)start
        self._dir: str | None = None

    def start(self, attempts: int = 3) -> None:
        last: Exception | None = None
        for _ in range(attempts):  # a TCP port taken by another worker in between: just try again
            try:
                self._start_once()
                return
            except Exception as exc:  # noqa: BLE001 - any start-up failure is retried, then reported
                last = exc
                self.shutdown()
        raise SPMError(f"Kernel Python '{self.kernel_name}' tidak dapat dijalankan: {last}")

    def _start_once(self) -> None:
        from jupyter_client.manager import AsyncKernelManager

        self._dir = tempfile.mkdtemp(prefix="k-", dir=KERNEL_TMP)
        km = AsyncKernelManager(kernel_name=self.kernel_name,
                                connection_file=os.path.join(self._dir, "kernel.json"))
        ipc = os.path.join(self._dir, "ipc")
        if os.name == "posix" and len(ipc) < IPC_PATH_MAX:
            km.transport = "ipc"
            km.ip = ipc
        # Reports need inline figures whatever the caller's MPLBACKEND (tests set Agg); the history
        # database is off so parallel kernels never contend for ~/.ipython's sqlite file.
        env = {**os.environ, "MPLBACKEND": INLINE_BACKEND}
        # The kernel's own stdout/stderr carry only its logging (notebook output travels over ZMQ):
        # silenced, so it cannot scribble over the progress bar.
        run_sync(km.start_kernel)(cwd=self.cwd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                                  extra_arguments=["--HistoryManager.enabled=False"])
        self.km = km
        kc = km.client()
        kc.start_channels()
        self.kc = kc
        run_sync(kc.wait_for_ready)(timeout=self.startup_timeout)
        kc.allow_stdin = False
        self.run_code(_WARMUP.format(wilayah=_codes(self.scope)))
        self.regions = 0

    def run_code(self, code: str, timeout: float = 60) -> None:
        """Run housekeeping code silently (no history, no outputs); raise if it fails."""
        reply = run_sync(self.kc.execute_interactive)(code, store_history=False, allow_stdin=False,
                                                      timeout=timeout, output_hook=lambda msg: None)
        content = reply["content"]
        if content["status"] != "ok":
            raise RuntimeError(f"{content.get('ename')}: {content.get('evalue')}")

    def reset(self) -> None:
        self.run_code(_RESET)

    def keep(self, scope: tuple[str, ...] | None) -> None:
        """Serve another batch (a Dask worker may run several): keep that batch's regions' data rows."""
        if scope != self.scope:
            self.run_code(_KEEP.format(wilayah=_codes(scope)))
            self.scope = scope

    def execute(self, nb: NotebookNode, kernel_name: str, timeout: int) -> NotebookNode:
        """Execute a parameterised notebook with papermill's machinery on this kernel."""
        self.regions += 1
        return papermill_engine.warm_engine().execute_notebook(
            nb, kernel_name, output_path=None, progress_bar=False, log_output=False,
            autosave_cell_every=0, km=self.km, kc=self.kc, execution_timeout=timeout,
            interrupt_on_timeout=True,
            error_on_timeout={"ename": "BatasWaktu", "evalue": _timeout_text(timeout), "traceback": []})

    def shutdown(self) -> None:
        """Stop the kernel and remove its sockets' folder, each step whatever the one before did: a
        worker stopped by SIGTERM mid-cell leaves asyncio half-way, and a step that raised there must not
        leave the folder behind (the pool's own folder is removed only when it is empty)."""
        steps = []
        if self.kc is not None:
            steps.append(self.kc.stop_channels)
        if self.km is not None:
            steps.append(lambda: run_sync(self.km.shutdown_kernel)(now=True))
        for step in steps:
            try:
                step()
            except Exception:  # noqa: BLE001 - already dead, or the loop was cut: go on cleaning up
                pass
        if self._dir:
            shutil.rmtree(self._dir, ignore_errors=True)
        self.km = self.kc = None
        self._dir = None


def _codes(scope: tuple[str, ...] | None) -> list[str] | None:
    return None if scope is None else sorted(scope)


# ---------------------------------------------------------------------------------------------
# Per-worker state: one warm kernel per (thread, notebook folder, kernel). Threads matter for Dask,
# whose workers run tasks in a thread pool.
_KERNELS: dict[tuple, WarmKernel] = {}
_TEMPLATES: dict[str, NotebookNode] = {}
_LOCK = threading.Lock()


def _kernel_for(task: Task, kernel_name: str) -> WarmKernel:
    key = (threading.get_ident(), str(Path(task.notebook).parent), kernel_name)
    with _LOCK:
        kernel = _KERNELS.get(key)
    if kernel is not None and (task.fresh_kernel or kernel.regions >= task.restart_every):
        discard_kernel(kernel)
        kernel = None
    if kernel is None:
        kernel = WarmKernel(Path(task.notebook).parent, kernel_name, scope=task.scope)
        kernel.start()
        with _LOCK:
            _KERNELS[key] = kernel
    else:
        kernel.reset()
        kernel.keep(task.scope)
    return kernel


def discard_kernel(kernel: WarmKernel) -> None:
    with _LOCK:
        for key, value in list(_KERNELS.items()):
            if value is kernel:
                del _KERNELS[key]
    kernel.shutdown()


def shutdown_kernels() -> None:
    """Stop every kernel this process started and its PDF browser, if the Chromium fallback started one
    (worker exit, Dask worker teardown)."""
    from spm_helpers.documents import browser

    with _LOCK:
        kernels = list(_KERNELS.values())
        _KERNELS.clear()
    for kernel in kernels:
        kernel.shutdown()
    browser.close_shared()


def _template(path: str) -> NotebookNode:
    """Read and validate the notebook once per worker; each region works on a deep copy."""
    if path not in _TEMPLATES:
        from papermill.iorw import load_notebook_node

        _TEMPLATES[path] = load_notebook_node(path)
    return copy.deepcopy(_TEMPLATES[path])


def default_export(nb: NotebookNode, out_dir: Path, formats: tuple) -> dict:
    """``spm_helpers.documents.publish.export_report`` (offline HTML with code hidden; PDF from the kernel's
    Typst, else printed by this worker's one Chromium)."""
    from spm_helpers.documents.publish import export_report

    return export_report(nb, out_dir, formats)


def _timeout_text(seconds: int) -> str:
    return f"Sel berjalan lebih dari {seconds} detik dan dihentikan (batas waktu per sel)."


def _kernel_name(nb: NotebookNode) -> str:
    return nb.metadata.get("kernelspec", {}).get("name") or KERNEL_NAME


def parameterize_for(task: Task) -> NotebookNode:
    """The task's notebook with papermill's ``injected-parameters`` cell and run metadata."""
    from papermill.execute import prepare_notebook_metadata
    from papermill.parameterize import parameterize_notebook

    nb = _template(task.notebook)
    nb = parameterize_notebook(nb, task.parameters(), kernel_name=_kernel_name(nb), language="python")
    return prepare_notebook_metadata(nb, task.notebook, str(task.out_dir / NOTEBOOK_NAME))


# ---------------------------------------------------------------------------------------------
def run_task(task: Task) -> dict:
    """Execute and export one region. Never raises: a failure is a result with the reason in it."""
    import nbformat
    from papermill.exceptions import PapermillExecutionError
    from papermill.execute import raise_for_execution_errors

    start = time.perf_counter()
    out_dir = task.out_dir
    result: dict[str, Any] = {"kode_wilayah": task.kode_wilayah, "status": GAGAL, "detik": None,
                              "keluaran": [], "notebook": None, "galat": None, "sel_gagal": None,
                              "pekerja": f"{socket.gethostname()}:{os.getpid()}"}
    kernel = None
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
        for name in task.expected:  # a stale summary from an earlier attempt must not count
            (out_dir / name).unlink(missing_ok=True)
        nb = parameterize_for(task)
        kernel_name = _kernel_name(nb)
        kernel = _kernel_for(task, kernel_name)
        result["kernel"] = "baru" if kernel.regions == 0 else "hangat"
        injected = next(i for i, c in enumerate(nb.cells)
                        if "injected-parameters" in c.metadata.get("tags", []))
        failure = None
        try:
            nb = kernel.execute(nb, kernel_name, task.cell_timeout)
            raise_for_execution_errors(nb, None)  # adds papermill's red banner to nb, then raises
        except PapermillExecutionError as err:
            failure = err
        write_text(out_dir / NOTEBOOK_NAME, nbformat.writes(nb))  # kept, partial or not
        result["notebook"] = f"{task.kode_wilayah}/{NOTEBOOK_NAME}"
        if failure is not None:
            result.update(_describe_failure(failure, task.cell_timeout, injected))
            if failure.ename in _INTERRUPTED:  # the kernel may still be busy in that cell: replace it
                discard_kernel(kernel)
                kernel = None
        elif missing := [n for n in task.expected if not (out_dir / n).exists()]:
            result["galat"] = (f"Notebook selesai tetapi tidak menulis {', '.join(missing)} ke output_dir; "
                               "ringkasan tidak dapat dibuat.")
        else:
            if task.title:
                nb.metadata["title"] = task.title
            paths = (task.export or default_export)(nb, out_dir, tuple(task.formats))
            paths = paths.values() if isinstance(paths, dict) else paths
            result["keluaran"] = sorted(Path(p).relative_to(task.run_dir).as_posix() for p in paths)
            result["status"] = BERHASIL
    except Exception as exc:  # noqa: BLE001 - dead kernel, export error...: recorded, batch goes on
        result["galat"] = describe_exception(exc, task.cell_timeout)
        if kernel is not None:
            discard_kernel(kernel)
            kernel = None
    finally:
        if kernel is not None and task.fresh_kernel:
            discard_kernel(kernel)
        result["detik"] = round(time.perf_counter() - start, 3)
    return result


_INTERRUPTED = ("KeyboardInterrupt", "BatasWaktu")  # how a cell stopped by the time limit ends


def describe_exception(exc: BaseException, timeout: int) -> str:
    """An exception outside the notebook's own cells as the Indonesian text the manifest keeps:
    known cases explained (a cell that ignored the interrupt, a dead kernel, a full disk); digit runs
    that could be a NIK masked in anything else."""
    name = type(exc).__name__
    if name in ("CellTimeoutError", "TimeoutError"):
        return (_timeout_text(timeout) + " Sel tidak berhenti saat diinterupsi (mengabaikan Ctrl-C/SIGINT), "
                "jadi kernelnya dimatikan.")
    if name == "DeadKernelError":
        return "Kernel notebook berhenti tak terduga (kehabisan memori atau dimatikan); wilayah ini tidak selesai."
    if isinstance(exc, OSError) and exc.errno in (errno.ENOSPC, errno.EDQUOT):
        return "Disk penuh saat menulis hasil wilayah ini; kosongkan ruang disk lalu lanjutkan batch (--lanjutkan)."
    return mask_digits(f"{name}: {exc}")


def _describe_failure(err, timeout: int, injected: int) -> dict:
    """Manifest fields for a failing cell: the message and where it is: ``indeks`` counts cells of the
    notebook as its author sees it (0-based, without papermill's injected cell), ``eksekusi`` is the
    In [n] of the executed notebook, ``sumber`` its first lines."""
    if err.ename in _INTERRUPTED:
        message = _timeout_text(timeout)
    else:
        message = mask_digits(f"{err.ename}: {err.evalue}".strip().rstrip(":"))
    index = err.cell_index - 1 if err.cell_index > injected else err.cell_index
    source = "\n".join(str(err.source).splitlines()[:8])
    return {"galat": message, "sel_gagal": {"indeks": index, "eksekusi": err.exec_count, "sumber": source}}
