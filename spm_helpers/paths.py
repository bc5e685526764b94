"""Where the project's reference data and outputs live.

The datasets folder sits beside the package (editable install, the supported way),
and can be moved with the ``SPM_DATASETS`` environment variable, e.g. for a region
that keeps its own catalogue overrides elsewhere.
"""
from __future__ import annotations

import os
from pathlib import Path

PACKAGE_DIR = Path(__file__).resolve().parent
PROJECT_DIR = PACKAGE_DIR.parent


def datasets_dir() -> Path:
    """Root of the bundled reference data (``datasets/``)."""
    return Path(os.environ.get("SPM_DATASETS", PROJECT_DIR / "datasets"))


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
    return PROJECT_DIR / "notebooks"


def exercises_dir() -> Path:
    return PROJECT_DIR / "exercises"


def reports_dir() -> Path:
    return Path(os.environ.get("SPM_REPORTS", PROJECT_DIR / "reports"))
