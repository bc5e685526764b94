"""SPM Workbench: apply, evaluate and teach the Standar Pelayanan Minimal (PP 2/2018,
Permendagri 59/2021). Library logic lives here; notebooks only call it."""
__version__ = "0.1.0"

DEMO_LABEL = "data contoh (sintetis)"

from spm_helpers import legacy as _legacy  # noqa: E402 - after the constants the modules import

_legacy.install()
