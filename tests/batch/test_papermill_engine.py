"""The batch's reaches into papermill, nbclient, nbformat and CPython internals still hold.

Each patch in ``spm_helpers.batch.papermill_engine`` speeds the batch up by relying on something the
library does not promise. When an upgrade changes one, this test fails with what changed, instead of the
batch silently getting slower, leaking a client per region, or validating outputs twice."""
from __future__ import annotations

import warnings

from spm_helpers.batch import papermill_engine


def test_every_patched_internal_is_still_there():
    assert papermill_engine.check_internals() == []


def test_warm_engine_is_papermills_engine_with_a_kept_client():
    from papermill.engines import NBClientEngine

    engine = papermill_engine.warm_engine()
    assert issubclass(engine, NBClientEngine)
    assert "kc" in engine.execute_managed_notebook.__func__.__code__.co_varnames


def test_forgetting_shown_warnings_shows_a_warning_again():
    def warn():
        warnings.warn("sekali saja", UserWarning, stacklevel=1)

    with warnings.catch_warnings(record=True) as seen:
        warnings.simplefilter("default")
        warn()
        warn()  # the registry remembers it: not shown twice
        assert len(seen) == 1
        papermill_engine.forget_shown_warnings()
        warn()
    assert len(seen) == 2
