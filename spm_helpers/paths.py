"""Where the project's reference data, notebooks, exercises and outputs live.

In a checkout (editable install) they are the top-level folders beside the package. A wheel carries
copies in ``spm_helpers/_bundle/`` (see setup.py), used when there is no checkout. ``SPM_DATASETS``
moves the reference data (e.g. a region that keeps its own catalogue overrides elsewhere);
``SPM_REPORTS`` moves the outputs, which default to ``reports/`` of the checkout, or of the current
folder for an installed package (site-packages is no place for a user's reports).
"""
from __future__ import annotations

import os
from pathlib import Path

PACKAGE_DIR = Path(__file__).resolve().parent
PROJECT_DIR = PACKAGE_DIR.parent
BUNDLE_DIR = PACKAGE_DIR / "_bundle"


def in_checkout() -> bool:
    """Running from the repository (editable install) rather than from an installed wheel."""
    return not BUNDLE_DIR.is_dir() and (PROJECT_DIR / "datasets").is_dir()


def _shipped(name: str) -> Path:
    return PROJECT_DIR / name if in_checkout() else BUNDLE_DIR / name


def datasets_dir() -> Path:
    """Root of the bundled reference data (``datasets/``)."""
    return Path(os.environ.get("SPM_DATASETS", _shipped("datasets")))


def wilayah_dir() -> Path:
    return datasets_dir() / "wilayah"


def katalog_dir() -> Path:
    return datasets_dir() / "katalog"


def contoh_dir() -> Path:
    """Committed demo data (data contoh, sintetis) for the seed regions."""
    return datasets_dir() / "contoh"


def kepatuhan_dir() -> Path:
    return datasets_dir() / "kepatuhan"


def notebooks_dir() -> Path:
    return _shipped("notebooks")


def exercises_dir() -> Path:
    return _shipped("exercises")


def reports_dir() -> Path:
    default = PROJECT_DIR / "reports" if in_checkout() else Path.cwd() / "reports"
    return Path(os.environ.get("SPM_REPORTS", default))
