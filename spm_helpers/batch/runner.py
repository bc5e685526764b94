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

import json
import os
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
RUN_RUNNING, RUN_DONE, RUN_INTERRUPTED = "berjalan", "selesai", "terputus"
FORMATS = {"html", "pdf", "docx", "ipynb"}
DEMO_HISTORY = 4  # years before the report year in generated demo data (report.TAHUN_RIWAYAT)


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


def prepare_demo_data(run_dir: Path, codes: Sequence[str], tahun: int) -> Path:
    """Generate demo data once into ``run_dir/data`` (kept for resume); Parquet reads fastest.
    It covers the report year and the ``DEMO_HISTORY`` years before it, which a report shows as a trend."""
    from spm_helpers.inputs import demo

    data_dir = Path(run_dir) / "data"
    if table_path(data_dir, "sasaran") is None:
        years = range(int(tahun) - DEMO_HISTORY, int(tahun) + 1)
        demo.write(demo.generate(list(codes), years), data_dir, fmt="parquet")
    return data_dir


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
              on_result: Callable[[dict], None] | None = None) -> BatchOutcome:
    """Run ``notebook`` for every region and write reports, manifest and summary into ``run_dir``.

    ``wilayah``: 'all', 'prov:32', '32.75,19.71' or a list of codes (may be None when resuming).
    ``export(nb, out_dir, formats)`` writes the report files (default: ``publish.export_report``).
    ``workers=0`` runs in this process. ``console`` (rich) shows a progress bar with ETA.
    ``resume=True`` continues the run in ``run_dir`` (default: the latest) with its own settings.
    """
    formats = tuple(f.strip().lower() for f in formats if f.strip())
    pool = _pool(executor, (os.cpu_count() or 1) if workers is None else workers, scheduler)  # fails early
    try:
        manifest, params = _prepare(wilayah, tahun, run_dir, notebook, data_dir, formats, resume, params)
    except BaseException:
        getattr(pool, "close", lambda: None)()
        raise
    return _execute(manifest, pool,
                    dict(formats=tuple(manifest.meta["format"]), params=params,
                         cell_timeout=int(cell_timeout), fresh_kernel=fresh_kernel,
                         restart_every=restart_every, export=export),
                    console, summary, on_result)


def _prepare(wilayah, tahun, run_dir, notebook, data_dir, formats, resume, params) -> tuple[Manifest, dict]:
    """The manifest to run: a new one (validated inputs, demo data if needed) or the one resumed."""
    if resume:
        run_dir = Path(run_dir).resolve() if run_dir else latest_run_dir(tahun)
        manifest = _resume(run_dir, wilayah, tahun, notebook)
        return manifest, manifest.meta.get("parameter", {})
    if tahun is None:
        raise SPMError("Sebutkan tahun laporan, mis. --tahun 2024.")
    if wilayah is None:
        raise SPMError("Sebutkan wilayah, mis. --wilayah all, --wilayah prov:32 atau --wilayah 32.75,19.71.")
    codes = _codes(wilayah)
    unknown = set(formats) - FORMATS
    if unknown or not formats:
        raise SPMError(f"Format tidak dikenal: {', '.join(sorted(unknown)) or '(kosong)'}. "
                       f"Pilihan: {', '.join(sorted(FORMATS))}.")
    # absolute: the notebook runs with its own folder as working directory
    run_dir = (Path(run_dir) if run_dir else default_run_dir(tahun)).resolve()
    if (run_dir / MANIFEST).exists():
        raise SPMError(f"Folder '{run_dir}' sudah berisi batch. Pakai --lanjutkan untuk melanjutkannya, "
                       "atau pilih folder lain dengan --ke.")
    notebook = Path(notebook) if notebook else notebooks_dir() / DEFAULT_NOTEBOOK
    if not notebook.exists():
        raise SPMError(f"Notebook laporan '{notebook}' tidak ditemukan.")
    label = None
    if data_dir is None:
        data_dir, label = prepare_demo_data(run_dir, codes, tahun), DEMO_LABEL
    elif not Path(data_dir).is_dir():
        raise SPMError(f"Folder data '{data_dir}' tidak ditemukan.")
    params = dict(params or {})
    kernel_formats = document_formats(formats)
    if kernel_formats:  # DOCX and PDF are written by the warm kernel itself (document_output)
        params["format_dokumen"] = ",".join(kernel_formats)
    manifest = Manifest.new(run_dir, codes, tahun=int(tahun), notebook=str(Path(notebook).resolve()),
                            data_dir=str(Path(data_dir).resolve()), data_label=label,
                            format=list(formats), parameter=params)
    return manifest, params


def document_formats(formats: Iterable[str]) -> list[str]:
    """The formats the report notebook writes itself: DOCX always, PDF when Typst is installed (else the
    export prints the HTML with Chromium)."""
    from spm_helpers.documents.pdf_writer import available

    return [f for f in formats if f == "docx" or (f == "pdf" and available())]


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
    tasks = [Task(kode, int(meta["tahun"]), meta["notebook"], str(manifest.run_dir), meta["data_dir"],
                  title=f"Laporan SPM {manifest.entries[kode].get('nama') or kode} {meta['tahun']}",
                  scope=scope, **options)
             for kode in todo]
    if summary:  # the parent mostly waits on its workers: load the chart library meanwhile
        threading.Thread(target=_preload_summary, daemon=True).start()
    interrupted = False
    with _progress(console, manifest) as advance:
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
        finally:
            results.close()  # stops workers now, also on Ctrl-C
    meta["status"] = RUN_INTERRUPTED if interrupted else RUN_DONE
    manifest.save()
    index = None
    if summary and not interrupted:
        from spm_helpers.batch.summary import write_summary

        index = write_summary(manifest)
    return BatchOutcome(manifest, index, interrupted)


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
