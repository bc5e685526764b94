"""Every reach of the batch into papermill, nbclient, nbformat, jsonschema and CPython internals.

A batch of 552 reports is fast because a worker keeps one kernel warm and skips work a fresh process
would repeat (anchors.md §1). Some of that needs what the libraries do not offer publicly; it lives
here, and only here, so an upgrade breaks one module and ``check_internals`` says what changed.
``tests/batch/test_papermill_engine.py`` calls it: it fails loudly (not silently slower or
mis-validating) when a patched internal moves. Upper bounds in pyproject.toml keep an unchecked
release from being installed.

- ``warm_engine``: papermill's NBClientEngine executing on a kernel *and client* the worker keeps
  (papermill passes ``km`` to nbclient, but nbclient makes and leaks a client per notebook).
- ``skip_output_validation``: nbformat's ``new_output`` validates each output with the slow reference
  validator (~2 ms × ~50 outputs per report); the worker validates the whole notebook once instead.
- ``skip_iri_grammar``: jsonschema compiles an IRI grammar (rfc3987_syntax) at import, ~1 s per
  process start; notebook validation never checks IRIs.
- ``forget_shown_warnings``: a warm kernel must show a warning again for the next region, as a fresh
  kernel would: bump the warnings filters version (CPython's ``warnings._filters_mutated``).
"""
from __future__ import annotations

import inspect
import sys
import warnings
from functools import lru_cache

# what each patch relies on, checked by check_internals()
ENGINE_PARAMS = ("nb_man", "kernel_name", "log_output", "stdout_file", "stderr_file", "start_timeout",
                 "execution_timeout")


@lru_cache(maxsize=1)
def warm_engine():
    """papermill's NBClientEngine, but executing on a kernel *and client* the worker keeps."""
    from papermill.clientwrap import PapermillNotebookClient
    from papermill.engines import NBClientEngine, logger

    class WarmEngine(NBClientEngine):
        @classmethod
        def execute_managed_notebook(cls, nb_man, kernel_name, log_output=False, stdout_file=None,
                                     stderr_file=None, start_timeout=60, execution_timeout=None,
                                     km=None, kc=None, **kwargs):
            client = PapermillNotebookClient(
                nb_man, km=km, timeout=execution_timeout, startup_timeout=start_timeout,
                kernel_name=kernel_name, log=logger, log_output=log_output, stdout_file=stdout_file,
                stderr_file=stderr_file, **kwargs)
            client.kc = kc  # nbclient then neither creates nor leaks a client per notebook
            return client.execute()

    return WarmEngine


def skip_output_validation() -> None:  # pragma: no cover - runs in the worker process
    """Per-output schema checks off in our own worker processes (the whole notebook is validated when
    written with ``nbformat.writes``)."""
    import nbformat.v4.nbbase as nbbase

    nbbase.validate = lambda *args, **kwargs: None


def skip_iri_grammar() -> None:  # pragma: no cover - runs in the worker process
    sys.modules.setdefault("rfc3987_syntax", None)


def forget_shown_warnings() -> None:
    """Each module's ``__warningregistry__`` remembers warnings already shown; bumping the filters
    version (what ``warnings.simplefilter`` does internally) makes Python discard them all."""
    mutated = getattr(warnings, "_filters_mutated", None)  # CPython 3.4–3.13
    if mutated is not None:
        mutated()
        return
    for module in list(sys.modules.values()):  # pragma: no cover - fallback for other Pythons
        registry = getattr(module, "__warningregistry__", None)
        if isinstance(registry, dict):
            registry.clear()


def check_internals() -> list[str]:
    """What no longer holds of the internals patched here (empty: every patch still does its job)."""
    problems = []
    from papermill.clientwrap import PapermillNotebookClient
    from papermill.engines import NBClientEngine

    params = inspect.signature(NBClientEngine.execute_managed_notebook).parameters
    missing = [p for p in ENGINE_PARAMS if p not in params]
    if missing:
        problems.append(f"papermill NBClientEngine.execute_managed_notebook lost {missing}")
    client_params = inspect.signature(PapermillNotebookClient.__init__).parameters
    if "nb_man" not in client_params or "km" not in client_params:
        problems.append("papermill PapermillNotebookClient no longer takes (nb_man, km=)")
    from nbclient import NotebookClient

    if "if self.kc is None" not in inspect.getsource(NotebookClient.setup_kernel):
        problems.append("nbclient NotebookClient.setup_kernel no longer keeps a client it was given (kc)")
    import nbformat.v4.nbbase as nbbase

    if not callable(getattr(nbbase, "validate", None)) or \
            "validate(output" not in inspect.getsource(nbbase.new_output):
        problems.append("nbformat.v4.nbbase.new_output no longer validates through nbbase.validate")
    if sys.implementation.name == "cpython" and sys.version_info < (3, 14) and \
            not callable(getattr(warnings, "_filters_mutated", None)):
        problems.append("CPython warnings._filters_mutated is gone")
    return problems
