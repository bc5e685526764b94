"""Old module names that participant notebooks already released in the field still import.

Until release 0.2 the package was flat (``spm_helpers.catalog``, ``spm_helpers.needs`` …). Notebooks
handed out at earlier clinics import those names, so for one release they keep working: importing an
old name gives the module at its new place (the very same module object, not a copy). New code uses
the new names; ``CHANGELOG.md`` says when the aliases go.
"""
from __future__ import annotations

import importlib
import importlib.abc
import importlib.util
import sys

ALIASES = {
    "spm_helpers.catalog": "spm_helpers.reference.catalog",
    "spm_helpers.regions": "spm_helpers.reference.regions",
    "spm_helpers.needs": "spm_helpers.engine.needs",
    "spm_helpers.plan": "spm_helpers.engine.plan",
    "spm_helpers.achievement": "spm_helpers.engine.achievement",
    "spm_helpers.forms": "spm_helpers.inputs.opd_form",
    "spm_helpers.training.kasus": "spm_helpers.training.cases",
}


class _AliasLoader(importlib.abc.Loader):
    def __init__(self, target: str):
        self.target = target

    def create_module(self, spec):
        return importlib.import_module(self.target)

    def exec_module(self, module) -> None:  # the target module is already executed
        pass


class _AliasFinder(importlib.abc.MetaPathFinder):
    def find_spec(self, fullname, path=None, target=None):
        if fullname not in ALIASES:
            return None
        return importlib.util.spec_from_loader(fullname, _AliasLoader(ALIASES[fullname]))


def install() -> None:
    """Put the alias finder on ``sys.meta_path`` once (idempotent)."""
    if not any(isinstance(f, _AliasFinder) for f in sys.meta_path):
        sys.meta_path.insert(0, _AliasFinder())
