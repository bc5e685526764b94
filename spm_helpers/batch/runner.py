"""``spm batch``: every region's report in one command — parallel, resumable, fault-isolated.

Layout of a run folder (``reports/<run>/``)::

    manifest.json          one entry per region: status, seconds, outputs, error, failing cell
    data/                  demo data generated once when no --data is given (data contoh)
    <kode>/laporan.ipynb   the executed notebook (kept when it fails, with papermill's banner)
    <kode>/laporan.html    the report (and .pdf); plus what the notebook wrote: ringkasan.json, tables
    index.html             the national/provincial summary (``batch_summary``)

The manifest is rewritten atomically after every region, so a kill at any moment leaves valid
JSON; ``resume=True`` (``--lanjutkan``) runs only regions not yet ``berhasil`` (failed ones get a
new try, e.g. after the data was fixed). Where the work happens is ``batch.pool`` (local worker
processes, each with a warm kernel) or ``batch.dask_pool``; how one region runs is ``batch.worker``.
"""
from __future__ import annotations

import errno
import json
import os
import signal
import threading
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any, Callable, Iterable, Sequence

from spm_helpers import DEMO_LABEL, __version__
from spm_helpers.batch.worker import BERHASIL, GAGAL, MENUNGGU, RESTART_EVERY, ExportFn, Task
from spm_helpers.errors import SPMError
from spm_helpers.files import write_json
from spm_helpers.inputs.datastore import table_path
from spm_helpers.paths import notebooks_dir, reports_dir
from spm_helpers.reference import regions

MANIFEST = "manifest.json"
DEFAULT_NOTEBOOK = "laporan_wilayah.ipynb"
QUARTER_NOTEBOOK = "06_laporan_triwulan.ipynb"  # spm batch --triwulan N
RUN_RUNNING, RUN_DONE, RUN_INTERRUPTED = "berjalan", "selesai", "terputus"
FORMATS = {"html", "pdf", "docx", "ipynb"}
DEMO_HISTORY = 4  # years before the report year in generated demo data (report.TAHUN_RIWAYAT)
LOCK = ".spm-batch.lock"
KERNEL_MB = 300  # memory of one worker with its warm kernel and a report's data (measured: ~300 MB)


def _now(timespec: str = "seconds") -> str:
    return datetime.now().isoformat(timespec=timespec)


@dataclass
class Manifest:
    """The run's record: ``meta`` (what was asked) and one entry per region, in region order."""

    path: Path
    meta: dict[str, Any]
    entries: dict[str, dict[str, Any]]

    @classmethod
    def new(cls, run_dir: Path, codes: Sequence[str], **meta: Any) -> Manifest:
        entries = {k: {"kode_wilayah": k, "nama": _nama(k), "status": MENUNGGU} for k in codes}
        meta = {"versi_spm": __version__, "dibuat": _now(), "status": RUN_RUNNING, **meta}
        return cls(Path(run_dir) / MANIFEST, meta, entries)

    @classmethod
    def load(cls, run_dir: str | Path) -> Manifest:
        path = Path(run_dir) / MANIFEST
        if not path.exists():
            raise SPMError(f"Tidak ada {MANIFEST} di '{run_dir}': belum pernah ada batch di folder ini.")
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
            entries = {e["kode_wilayah"]: e for e in data["wilayah"]}
        except (ValueError, KeyError, TypeError) as exc:
            raise SPMError(f"{path} rusak dan tidak dapat dibaca ({exc}).") from exc
        bad = [str(k) for k in entries if not _known_code(k)]
        if bad:  # a code names the folder a region's report is written to: '../x' would write elsewhere
            raise SPMError(f"{path} rusak: kode wilayah {', '.join(repr(b) for b in bad[:5])} tidak ada dalam "
                           "daftar kode wilayah Kemendagri. Perbaiki atau hapus entri itu, atau mulai batch baru.")
        return cls(path, {k: v for k, v in data.items() if k != "wilayah"}, entries)

    @property
    def run_dir(self) -> Path:
        return self.path.parent

    def counts(self) -> dict[str, int]:
        out = {"total": len(self.entries), BERHASIL: 0, GAGAL: 0, MENUNGGU: 0}
        for e in self.entries.values():
            out[e["status"]] = out.get(e["status"], 0) + 1
        return out

    def record(self, result: dict[str, Any]) -> None:
        entry = self.entries.setdefault(result["kode_wilayah"], {"kode_wilayah": result["kode_wilayah"]})
        entry.update(result, selesai_pada=_now("milliseconds"))
        entry.setdefault("nama", _nama(result["kode_wilayah"]))

    def todo(self) -> list[str]:
        """Regions still to run: not yet ``berhasil``, or whose outputs have since disappeared."""
        def done(e: dict) -> bool:
            return e["status"] == BERHASIL and all((self.run_dir / p).exists() for p in e.get("keluaran", []))

        return [k for k, e in self.entries.items() if not done(e)]

    def failures(self) -> list[dict[str, Any]]:
        return [e for e in self.entries.values() if e["status"] == GAGAL]

    def save(self) -> Path:
        self.meta["diperbarui"] = _now()
        self.meta["jumlah"] = self.counts()
        return write_json(self.path, {**self.meta, "wilayah": list(self.entries.values())})


def _codes(wilayah: str | Sequence[str]) -> list[str]:
    return regions.select(wilayah if isinstance(wilayah, str) else ",".join(wilayah))


def _known_code(kode) -> bool:
    """Exactly a Kemendagri code as the list writes it (not a name, not a path)."""
    if not isinstance(kode, str) or not kode:
        return False
    try:
        return regions.get(kode).kode_wilayah == kode
    except (SPMError, ValueError, TypeError):
        return False


def _nama(kode: str) -> str | None:
    try:
        return regions.get(kode).nama
    except SPMError:
        return None


@dataclass
class BatchOutcome:
    manifest: Manifest
    index: Path | None
    interrupted: bool = False

    @property
    def ok(self) -> bool:
        return not self.interrupted and not self.manifest.failures() and not self.manifest.todo()


def default_run_dir(tahun: int) -> Path:
    return reports_dir() / f"batch-{tahun}-{datetime.now():%Y%m%d-%H%M%S}"


def latest_run_dir(tahun: int | None = None) -> Path:
    """The most recently updated run under ``reports/`` (for ``--lanjutkan`` without ``--ke``)."""
    runs = sorted(reports_dir().glob(f"*/{MANIFEST}"), key=lambda p: p.stat().st_mtime, reverse=True)
    for path in runs:
        try:
            if tahun is None or Manifest.load(path.parent).meta.get("tahun") == tahun:
                return path.parent
        except SPMError:  # a damaged run is not a candidate
            continue
    raise SPMError(f"Tidak ada batch yang dapat dilanjutkan di {reports_dir()}; "
                   "sebutkan foldernya dengan --ke.")


def prepare_demo_data(run_dir: Path, codes: Sequence[str], tahun: int, triwulan: bool = False) -> Path:
    """Generate demo data once into ``run_dir/data`` (kept for resume); Parquet reads fastest.
    It covers the report year and the ``DEMO_HISTORY`` years before it, which a report shows as a trend;
    ``triwulan``: the report year also gets its quarterly rows and tables (D9), the years before do not."""
    from dataclasses import replace

    import pandas as pd

    from spm_helpers.inputs import demo

    data_dir = Path(run_dir) / "data"
    if table_path(data_dir, "sasaran") is None:
        years = range(int(tahun) - DEMO_HISTORY, int(tahun) + 1)
        data = demo.generate(list(codes), years)
        if triwulan:  # same seed: the report year's annual rows are the same in both
            qdata = demo.generate(list(codes), [int(tahun)], triwulan=True)
            earlier = data.sasaran[data.sasaran["tahun"] != int(tahun)].assign(triwulan=pd.NA)
            sasaran = pd.concat([earlier, qdata.sasaran], ignore_index=True)
            sasaran["triwulan"] = sasaran["triwulan"].astype("Int64")
            data = replace(data, sasaran=sasaran, quarter=qdata.quarter)
        demo.write(data, data_dir, fmt="parquet")
    return data_dir


def max_workers() -> int:
    """The most local workers this machine can hold: 2 per CPU core and one per ``KERNEL_MB`` of the
    memory available now (each worker keeps a warm kernel); at least 1."""
    cpus = os.cpu_count() or 1
    try:
        free_mb = os.sysconf("SC_AVPHYS_PAGES") * os.sysconf("SC_PAGE_SIZE") // 2**20
    except (ValueError, OSError, AttributeError):  # not on Linux: CPUs only
        free_mb = KERNEL_MB * 2 * cpus
    return max(1, min(2 * cpus, int(free_mb // KERNEL_MB)))


def cap_workers(workers: int | None, console=None) -> int:
    """``workers`` (default: the CPU count) within ``max_workers()``, saying so when it is lowered."""
    cap = max_workers()
    wanted = (os.cpu_count() or 1) if workers is None else int(workers)
    if wanted < 0:
        raise SPMError("--workers tidak boleh negatif (0 = di proses ini).")
    if wanted > cap:
        message = (f"--workers {wanted} dibatasi menjadi {cap}: komputer ini punya {os.cpu_count() or 1} inti CPU "
                   f"dan tiap pekerja dengan kernelnya memakai sekitar {KERNEL_MB} MB memori.")
        if console is not None:
            console.print(f"[yellow]Catatan:[/] {message}")
        return cap
    return wanted


def _pool(executor: str, workers: int, scheduler: Any):
    if executor == "dask":
        if not scheduler:
            raise SPMError("--executor dask memerlukan --scheduler ALAMAT (mis. tcp://10.0.0.5:8786).")
        from spm_helpers.batch.dask_pool import DaskPool

        return DaskPool(scheduler)
    if executor != "lokal":
        raise SPMError(f"Executor '{executor}' tidak dikenal. Pilihan: lokal, dask.")
    from spm_helpers.batch.pool import InlinePool, LocalPool

    return InlinePool() if workers == 0 else LocalPool(workers)


def run_batch(wilayah: str | Sequence[str] | None, tahun: int | None, run_dir: str | Path | None = None, *,
              notebook: str | Path | None = None, data_dir: str | Path | None = None,
              formats: Iterable[str] = ("html",), workers: int | None = None, resume: bool = False,
              params: dict | None = None, export: ExportFn | None = None, cell_timeout: int = 600,
              fresh_kernel: bool = False, restart_every: int = RESTART_EVERY, executor: str = "lokal",
              scheduler: Any = None, console=None, summary: bool = True,
              on_result: Callable[[dict], None] | None = None, overwrite: bool = False,
              triwulan: int | None = None) -> BatchOutcome:
    """Run ``notebook`` for every region and write reports, manifest and summary into ``run_dir``.

    ``wilayah``: 'all', 'prov:32', '32.75,19.71' or a list of codes (may be None when resuming).
    ``export(nb, out_dir, formats)`` writes the report files (default: ``publish.export_report``).
    ``workers=0`` runs in this process. ``console`` (rich) shows a progress bar with ETA.
    ``resume=True`` continues the run in ``run_dir`` (default: the latest) with its own settings.
    Only one batch runs in a folder at a time (a lock); a folder that holds other files is only used
    with ``overwrite``. SIGTERM stops a run like Ctrl-C; a full disk stops it with a message, resumable.
    ``triwulan`` (1–4): every region's quarter pack (notebook 06) and the quarterly summary page instead.
    """
    formats = tuple(f.strip().lower() for f in formats if f.strip())
    n = cap_workers(workers, console) if executor == "lokal" else (workers or 0)
    pool = _pool(executor, n, scheduler)  # fails early
    lock = None
    try:
        manifest, params, lock = _prepare(wilayah, tahun, run_dir, notebook, data_dir, formats, resume, params,
                                          overwrite, triwulan, console)
        return _execute(manifest, pool,
                        dict(formats=tuple(manifest.meta["format"]), params=params,
                             cell_timeout=int(cell_timeout), fresh_kernel=fresh_kernel,
                             restart_every=restart_every, export=export),
                        console, summary, on_result)
    except OSError as exc:
        raise _os_error(exc, run_dir if lock is None else lock.run_dir) from None
    finally:
        getattr(pool, "close", lambda: None)()
        if lock is not None:
            lock.release()


def _prepare(wilayah, tahun, run_dir, notebook, data_dir, formats, resume, params,
             overwrite: bool = False, triwulan: int | None = None, console=None) -> tuple[Manifest, dict, RunLock]:
    """The manifest to run (a new one, validated inputs, demo data if needed, or the one resumed) and
    the run folder's lock, held until the run ends."""
    if resume:
        run_dir = Path(run_dir).resolve() if run_dir else latest_run_dir(tahun)
        _check_folder(run_dir)
        lock = RunLock.acquire(run_dir)
        try:
            manifest = _resume(run_dir, wilayah, tahun, notebook)
        except BaseException:
            lock.release()
            raise
        return manifest, manifest.meta.get("parameter", {}), lock
    if tahun is None:
        raise SPMError("Sebutkan tahun laporan, mis. --tahun 2024.")
    if wilayah is None:
        raise SPMError("Sebutkan wilayah, mis. --wilayah all, --wilayah prov:32 atau --wilayah 32.75,19.71.")
    codes = _codes(wilayah)
    if not codes:
        raise SPMError("--wilayah kosong: sebutkan wilayah, mis. --wilayah all, --wilayah prov:32 atau "
                       "--wilayah 32.75,19.71.")
    unknown = set(formats) - FORMATS
    if unknown or not formats:
        raise SPMError(f"Format tidak dikenal: {', '.join(sorted(unknown)) or '(kosong)'}. "
                       f"Pilihan: {', '.join(sorted(FORMATS))}.")
    # absolute: the notebook runs with its own folder as working directory
    run_dir = (Path(run_dir) if run_dir else default_run_dir(tahun)).resolve()
    _check_folder(run_dir)
    if (run_dir / MANIFEST).exists():
        raise SPMError(f"Folder '{run_dir}' sudah berisi batch. Pakai --lanjutkan untuk melanjutkannya, "
                       "atau pilih folder lain dengan --ke.")
    if run_dir.is_dir() and any(p.name != LOCK for p in run_dir.iterdir()) and not overwrite:
        raise SPMError(f"Folder '{run_dir}' sudah berisi berkas lain dan bukan folder batch; berkas di dalamnya "
                       "bisa tertimpa. Pilih folder kosong/baru dengan --ke, atau pakai --timpa bila memang "
                       "folder ini yang dimaksud.")
    if triwulan is not None:
        from spm_helpers.reference.quarter import check_triwulan

        triwulan = check_triwulan(triwulan)
    notebook = Path(notebook) if notebook else notebooks_dir() / (QUARTER_NOTEBOOK if triwulan else DEFAULT_NOTEBOOK)
    if not notebook.exists():
        raise SPMError(f"Notebook laporan '{notebook}' tidak ditemukan.")
    if data_dir is not None and not Path(data_dir).is_dir():
        raise SPMError(f"Folder data '{data_dir}' tidak ditemukan.")
    if (params or {}).get("identitas"):
        from spm_helpers.documents.identity import check_for_regions

        # before any kernel starts: a folder's files are named by region and readable, one file is not one
        # region's signatory stamped on every report
        files = check_for_regions(params["identitas"], codes)
        params = {**params, "identitas": str(Path(params["identitas"]).resolve())}
        if console is not None and Path(params["identitas"]).is_dir():
            console.print(f"Identitas daerah: {len(files)} dari {len(codes)} wilayah punya berkas di "
                          f"{params['identitas']}; wilayah lain memakai isian \\[dalam kurung siku].")
    run_dir.mkdir(parents=True, exist_ok=True)
    lock = RunLock.acquire(run_dir)
    try:
        label = None
        if data_dir is None:
            data_dir, label = prepare_demo_data(run_dir, codes, tahun, triwulan is not None), DEMO_LABEL
        params = dict(params or {})
        if triwulan is not None:
            params["triwulan"] = triwulan
        kernel_formats = document_formats(formats)
        if kernel_formats:  # DOCX and PDF are written by the warm kernel itself (document_output)
            params["format_dokumen"] = ",".join(kernel_formats)
        manifest = Manifest.new(run_dir, codes, tahun=int(tahun), notebook=str(Path(notebook).resolve()),
                                data_dir=str(Path(data_dir).resolve()), data_label=label,
                                format=list(formats), parameter=params,
                                **({"triwulan": triwulan} if triwulan is not None else {}))
    except BaseException:
        lock.release()
        raise
    return manifest, params, lock


def document_formats(formats: Iterable[str]) -> list[str]:
    """The formats the report notebook writes itself: DOCX always, PDF when Typst is installed (else the
    export prints the HTML with Chromium)."""
    from spm_helpers.documents.pdf_writer import available

    return [f for f in formats if f == "docx" or (f == "pdf" and available())]


def _check_folder(run_dir: Path) -> None:
    """An Indonesian error for a --ke that is a file, or a folder (or the parent it would go in) not writable."""
    if run_dir.exists() and not run_dir.is_dir():
        raise SPMError(f"'{run_dir}' adalah berkas, bukan folder; pilih folder untuk --ke.")
    existing = run_dir
    while not existing.exists() and existing != existing.parent:
        existing = existing.parent
    if not os.access(existing, os.W_OK | os.X_OK):
        raise SPMError(f"Folder '{existing}' tidak dapat ditulisi (hanya-baca atau tanpa izin); pilih folder lain "
                       "dengan --ke.")


class RunLock:
    """An exclusive ``flock`` on ``<run>/.spm-batch.lock``: a second batch on the same folder is refused.
    The kernel drops the lock when the holder dies, even by kill -9, so a stale lock never blocks a resume."""

    def __init__(self, run_dir: Path, fd: int):
        self.run_dir, self.fd = run_dir, fd

    @classmethod
    def acquire(cls, run_dir: Path) -> RunLock:
        import fcntl

        path = Path(run_dir) / LOCK
        fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            holder = os.pread(fd, 32, 0).decode(errors="replace").strip() or "?"
            os.close(fd)
            raise SPMError(f"Batch lain sedang berjalan di folder '{run_dir}' (proses {holder}). Tunggu sampai "
                           "selesai, hentikan dulu (Ctrl-C), atau pilih folder lain dengan --ke.") from None
        os.ftruncate(fd, 0)
        os.pwrite(fd, str(os.getpid()).encode(), 0)
        return cls(Path(run_dir), fd)

    def release(self) -> None:
        if self.fd >= 0:
            os.close(self.fd)  # closing drops the flock
            self.fd = -1


def _os_error(exc: OSError, run_dir) -> SPMError:
    """A file-system failure of the parent as an Indonesian message (the manifest on disk stays valid)."""
    where = f" --ke {run_dir}" if run_dir else ""
    if exc.errno in (errno.ENOSPC, errno.EDQUOT):
        return SPMError(f"Disk penuh saat menulis {exc.filename or 'hasil batch'}. Wilayah yang sudah tercatat "
                        "tetap aman di manifest.json. Kosongkan ruang disk lalu lanjutkan dengan: "
                        f"spm batch --lanjutkan{where}")
    if exc.errno in (errno.EACCES, errno.EPERM, errno.EROFS):
        return SPMError(f"Tidak ada izin menulis {exc.filename or run_dir} (folder hanya-baca?). Pilih folder "
                        "lain dengan --ke.")
    return SPMError(f"Galat berkas saat batch berjalan ({exc.strerror or exc}: {exc.filename or ''}). "
                    f"Perbaiki lalu lanjutkan dengan: spm batch --lanjutkan{where}")


def _resume(run_dir: Path, wilayah, tahun: int | None, notebook) -> Manifest:
    manifest = Manifest.load(run_dir)
    if tahun is not None and int(manifest.meta.get("tahun", -1)) != int(tahun):
        raise SPMError(f"Batch di '{run_dir}' untuk tahun {manifest.meta.get('tahun')}, bukan {tahun}.")
    if notebook and Path(notebook).resolve() != Path(manifest.meta["notebook"]):
        raise SPMError(f"Batch di '{run_dir}' memakai notebook {manifest.meta['notebook']}, "
                       f"bukan {notebook}.")
    if wilayah:  # regions added to a resumed run are simply appended
        for kode in _codes(wilayah):
            manifest.entries.setdefault(kode, {"kode_wilayah": kode, "nama": _nama(kode), "status": MENUNGGU})
    manifest.meta["status"] = RUN_RUNNING
    manifest.meta.setdefault("dilanjutkan", []).append(_now())
    return manifest


def _execute(manifest: Manifest, pool, options: dict, console, summary: bool,
             on_result: Callable[[dict], None] | None) -> BatchOutcome:
    meta = manifest.meta
    todo = manifest.todo()
    for kode in todo:  # in flight when a run was killed, failed before, or its report deleted: to do
        entry = manifest.entries[kode]
        manifest.entries[kode] = {"kode_wilayah": kode, "nama": entry.get("nama"), "status": MENUNGGU}
    manifest.save()
    scope = tuple(todo)  # the kernels keep these regions' rows of the data files, no others
    tw = meta.get("triwulan")
    kind = f"Laporan Triwulan {tw} SPM" if tw else "Laporan SPM"
    if tw:
        from spm_helpers.region.quarter import RINGKASAN_TRIWULAN  # only a quarterly run loads the quarter code
    extra = {"expected": (RINGKASAN_TRIWULAN,)} if tw else {}
    tasks = [Task(kode, int(meta["tahun"]), meta["notebook"], str(manifest.run_dir), meta["data_dir"],
                  title=f"{kind} {manifest.entries[kode].get('nama') or kode} {meta['tahun']}",
                  scope=scope, **options, **extra)
             for kode in todo]
    if summary:  # the parent mostly waits on its workers: load the chart library meanwhile
        threading.Thread(target=_preload_summary, daemon=True).start()
    interrupted = False
    with _progress(console, manifest) as advance, _sigterm_as_interrupt():
        results = pool.imap(tasks)
        try:
            for result in results:
                manifest.record(result)
                manifest.save()
                advance(result)
                if on_result:
                    on_result(result)
        except KeyboardInterrupt:
            interrupted = True
        except OSError:  # disk full while saving: the manifest on disk is the last good one
            meta["status"] = RUN_INTERRUPTED
            try:
                manifest.save()
            except OSError:
                pass
            raise
        finally:
            results.close()  # stops workers now, also on Ctrl-C
    meta["status"] = RUN_INTERRUPTED if interrupted else RUN_DONE
    manifest.save()
    index = None
    if summary and not interrupted and tw:
        from spm_helpers.batch.quarter_summary import write_quarter_summary

        index = write_quarter_summary(manifest)
    elif summary and not interrupted:
        from spm_helpers.batch.summary import write_summary

        index = write_summary(manifest)
    return BatchOutcome(manifest, index, interrupted)


class _sigterm_as_interrupt:
    """SIGTERM (systemd, ``kill``, a closed terminal's hang-up) stops the run the way Ctrl-C does: workers
    stopped, manifest marked ``terputus``, instead of dying with the manifest left at ``berjalan``."""

    def __enter__(self):
        self.old = {}
        if threading.current_thread() is threading.main_thread():
            for sig in (signal.SIGTERM, signal.SIGHUP):
                self.old[sig] = signal.signal(sig, _raise_interrupt)
        return self

    def __exit__(self, *exc) -> None:
        for sig, handler in self.old.items():
            signal.signal(sig, handler)


def _raise_interrupt(signum, frame):
    raise KeyboardInterrupt


def _preload_summary() -> None:
    from spm_helpers.batch.summary import preload

    preload()


class _progress:
    """A rich progress bar (regions done / total, failures, ETA); silent without a console."""

    def __init__(self, console, manifest: Manifest):
        self.console, self.manifest = console, manifest

    def __enter__(self):
        if self.console is None:
            return lambda result: None
        from rich.progress import (
            BarColumn,
            MofNCompleteColumn,
            Progress,
            SpinnerColumn,
            TextColumn,
            TimeElapsedColumn,
            TimeRemainingColumn,
        )

        self.bar = Progress(SpinnerColumn(), TextColumn("[bold]{task.description}"), BarColumn(),
                            MofNCompleteColumn(), TextColumn("wilayah"),
                            TextColumn("[red]{task.fields[gagal]}"), TimeElapsedColumn(), TextColumn("sisa"),
                            TimeRemainingColumn(), console=self.console)
        counts = self.manifest.counts()
        done = counts["total"] - len(self.manifest.todo())
        self.task = self.bar.add_task("Laporan wilayah", total=counts["total"], completed=done, gagal="")
        self.bar.start()
        return self._advance

    def _advance(self, result: dict) -> None:
        failed = len(self.manifest.failures())
        self.bar.update(self.task, advance=1, gagal=f"{failed} gagal" if failed else "",
                        description=f"Laporan wilayah ({result['kode_wilayah']})")

    def __exit__(self, *exc) -> None:
        if self.console is not None:
            self.bar.stop()
