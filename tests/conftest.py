import os
import sys
from pathlib import Path

import pytest

# Rich wraps tables to the terminal width; under pytest-xdist there is no terminal, so long Indonesian
# messages would be split across lines and substring assertions would depend on the runner. Fix a wide
# console before any spm_helpers module creates its Console.
os.environ["COLUMNS"] = "240"

# Shared test helpers (tests/helpers/: small worked regions, batch fixtures, the bad-input corpus) are
# imported by name from every folder of the suite, which mirrors the package layout.
sys.path.insert(0, str(Path(__file__).resolve().parent / "helpers"))


@pytest.fixture
def tmp_out(tmp_path):
    """A fresh output folder per test."""
    out = tmp_path / "out"
    out.mkdir()
    return out
