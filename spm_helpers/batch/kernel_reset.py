"""Runs *inside* a warm batch kernel: make the process look like a fresh kernel again.

A batch worker keeps one ipykernel alive across regions because starting a kernel and
importing pandas/papermill costs more than running a report (anchors §1). The price is state:
a ``df`` left by region A would be visible to region B. ``reset()`` runs before every region
(one ``execute`` on the worker's own kernel client, a few milliseconds) and restores:

* the user namespace, via ``InteractiveShell.reset(new_session=True)``: every user variable,
  ``In``/``Out`` and the ``_`` output cache go, the namespace a fresh kernel starts with is rebuilt
  (plus the few module dunders ``reset`` forgets, from the snapshot) and the execution counter
  restarts at 1 (so the executed notebook reads ``In [1]``, ``In [2]`` …
  exactly like a fresh run). Imported modules stay in ``sys.modules``: the next region's
  ``import pandas`` is a dict lookup, which is the whole point of a warm kernel.
  (``%reset -f`` does the same namespace work; the ~0.6 s measured for it in anchors §1 is the cost
  of a separate NotebookClient round, not of the reset.)
* process state notebooks commonly change: working directory, ``os.environ``, ``sys.path``,
  warnings filters *and* the "already shown once" registry (otherwise a library warning printed in
  region A's report would silently be missing from region B's), pandas options, matplotlib
  rcParams and open figures.

Deliberately kept: module-level caches of libraries (``spm_helpers`` reads the catalogue once per
kernel, and in a batch kernel each data file once, re-read when it changes; it hands out copies or
treats cached tables as read-only), loaded IPython extensions, and the global random
state (a report must seed its own generator; unseeded draws differ between fresh kernels too).
The flip side: a library that changed global state *when first imported* (a warnings filter, a
pandas option) would lose that change from the second region on. ``spm_helpers`` does no such thing
(matplotlib's backend, chosen at import by ``charts``, is part of the snapshot).
The batch replaces the kernel when a cell hit the time limit (it may still be running), when the
kernel died, and every ``restart_every`` regions; a cell that merely raised leaves the process no
more disturbed than a successful run does, so ``reset()`` is enough.
``tests/batch/test_batch_kernel.py`` proves the result equals a fresh kernel, output for output.
"""
from __future__ import annotations

import gc
import os
import sys
import warnings

from spm_helpers.batch import papermill_engine

_SNAPSHOT: dict = {}


def keep_tables(wilayah: list[str] | None = None) -> None:
    """Keep the data files' rows of these regions (the batch's) in memory and switch the batch mode of ``region.national`` on."""
    from spm_helpers.region import national

    national.enable(wilayah)


def snapshot(wilayah: list[str] | None = None) -> None:
    """Record the fresh-kernel state once, right after start-up (pyplot first, as a notebook would)."""
    try:
        import matplotlib
        import matplotlib.pyplot as plt

        # Load the backend now, as a fresh kernel's first figure would: the inline backend switches
        # interactive mode on when it loads, and that must be part of the snapshot.
        plt.switch_backend(matplotlib.get_backend())

        _SNAPSHOT["rc"] = {k: v for k, v in dict.items(matplotlib.rcParams) if k != "backend"}
    except ImportError:  # pragma: no cover - matplotlib is a dependency
        pass
    # A batch kernel loads region after region from the same national files: read and validate each
    # file once (re-read when it changes), not once per region, for the batch's regions only. Fresh and
    # warm kernels alike.
    keep_tables(wilayah)
    ip = get_ipython()  # type: ignore[name-defined]  # noqa: F821 - provided by IPython in a kernel
    _SNAPSHOT.update(user_ns=dict(ip.user_ns), cwd=os.getcwd(), environ=dict(os.environ), path=list(sys.path),
                     filters=list(warnings.filters))
    gc.collect()
    gc.freeze()


def reset() -> None:
    """Put the kernel back to the snapshot; call before each region."""
    ip = get_ipython()  # type: ignore[name-defined]  # noqa: F821 - provided by IPython in a kernel
    ip.reset(new_session=True)
    for name, value in _SNAPSHOT["user_ns"].items():  # __doc__, __spec__, _, __ ... as a fresh kernel has
        ip.user_ns.setdefault(name, value)
    os.chdir(_SNAPSHOT["cwd"])
    if os.environ != _SNAPSHOT["environ"]:
        os.environ.clear()
        os.environ.update(_SNAPSHOT["environ"])
    sys.path[:] = _SNAPSHOT["path"]
    warnings.filters[:] = _SNAPSHOT["filters"]
    papermill_engine.forget_shown_warnings()
    if "matplotlib.pyplot" in sys.modules:
        import matplotlib
        import matplotlib.pyplot as plt

        plt.close("all")
        dict.update(matplotlib.rcParams, _SNAPSHOT.get("rc", {}))  # as rc_context does: no re-validation
    if "pandas" in sys.modules:
        import pandas as pd

        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            pd.reset_option("all")
    # IPython's reset ends with a full gc.collect() that walks every object, pandas and the catalogue
    # included (~0.13 s). What survives it is long-lived module state: freeze it, so the next
    # reset only walks the objects one region created (~0.01 s). gc.freeze is made for this.
    gc.freeze()


