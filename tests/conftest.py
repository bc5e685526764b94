import os

import pytest

os.environ.setdefault("MPLBACKEND", "Agg")


@pytest.fixture
def tmp_out(tmp_path):
    """A fresh output folder per test."""
    out = tmp_path / "out"
    out.mkdir()
    return out
