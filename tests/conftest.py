import pytest


@pytest.fixture
def tmp_out(tmp_path):
    """A fresh output folder per test."""
    out = tmp_path / "out"
    out.mkdir()
    return out
