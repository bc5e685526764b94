"""One notebook source format: every committed notebook is exactly what its jupytext source builds.

Sources are ``notebooks/sumber/*.py`` and ``exercises/sumber/modul_N_*.py`` (percent format); the one
builder is ``notebooks/_build/build.py``. Sources are Python, so ruff lints them like the package.
"""
from __future__ import annotations

import importlib.util
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
BUILDER = ROOT / "notebooks" / "_build" / "build.py"


def _builder():
    spec = importlib.util.spec_from_file_location("build_notebooks", BUILDER)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


TARGETS = _builder().targets()


@pytest.mark.parametrize("path", sorted(TARGETS), ids=lambda p: f"{p.parent.name}/{p.name}")
def test_committed_notebook_equals_its_source(path):
    builder = _builder()
    assert path.read_text(encoding="utf-8") == builder.text(TARGETS[path]), \
        f"{path.name} berbeda dari sumbernya; jalankan: python notebooks/_build/build.py"


def test_every_committed_notebook_has_a_source():
    committed = {p for folder in ("notebooks", "exercises") for p in (ROOT / folder).glob("*.ipynb")}
    assert committed == set(TARGETS)


def test_stage_notebooks_start_with_a_parameters_cell_and_exercises_have_one_identity_cell():
    for path, nb in TARGETS.items():
        code = [c for c in nb.cells if c.cell_type == "code"]
        tagged = [c for c in code if "parameters" in c.metadata.get("tags", [])]
        assert len(tagged) == 1, path.name
        if path.parent.name == "notebooks":
            assert code[0] is tagged[0], path.name


def test_builder_check_mode_reports_a_stale_notebook(tmp_path, monkeypatch):
    builder = _builder()
    src = tmp_path / "notebooks" / "sumber"
    src.mkdir(parents=True)
    (tmp_path / "exercises" / "sumber").mkdir(parents=True)
    (src / "x.py").write_text('# %% tags=["parameters"]\na = 1\n\n# %% [markdown]\n# Teks\n', encoding="utf-8")
    monkeypatch.setattr(builder, "NOTEBOOKS", tmp_path / "notebooks")
    monkeypatch.setattr(builder, "EXERCISES", tmp_path / "exercises")
    monkeypatch.setattr(builder, "ROOT", tmp_path)
    assert builder.main(["--periksa"]) == 1  # x.ipynb missing
    assert builder.main([]) == 0 and (tmp_path / "notebooks" / "x.ipynb").exists()
    assert builder.main(["--periksa"]) == 0
    (src / "x.py").write_text('# %% tags=["parameters"]\na = 2\n', encoding="utf-8")
    assert builder.main(["--periksa"]) == 1


def test_sources_are_lint_clean():
    ruff = Path(sys.executable).with_name("ruff")
    if not ruff.exists():
        pytest.skip("ruff tidak terpasang")
    out = subprocess.run([str(ruff), "check", "--no-cache", "notebooks/sumber", "exercises/sumber"], cwd=ROOT,
                         capture_output=True, text=True)
    assert out.returncode == 0, out.stdout + out.stderr
