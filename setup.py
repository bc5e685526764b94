"""Packaging hook: the wheel carries the top-level ``datasets/``, ``notebooks/`` and ``exercises/``.

In the repository these folders stay at the top, where the client asked for them and where authors
edit them. A wheel (what participants' laptops and government servers install) has no checkout
beside it, so ``build_py`` copies them into ``spm_helpers/_bundle/``; ``spm_helpers.paths`` reads
the checkout when there is one and the bundle otherwise. Everything else is in pyproject.toml.
"""
import shutil
from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py

ROOT = Path(__file__).resolve().parent
BUNDLED = ("datasets", "notebooks", "exercises")
COMMON = ("__pycache__", ".ipynb_checkpoints", "*.pyc")
SKIP = {"datasets": shutil.ignore_patterns(*COMMON),  # datasets/wilayah/sumber/ is reference data: keep it
        "notebooks": shutil.ignore_patterns("_build", "sumber", *COMMON),  # sources and builder: authors only
        "exercises": shutil.ignore_patterns("sumber", *COMMON)}


class BuildWithBundle(build_py):
    def run(self):
        super().run()
        if self.editable_mode:  # editable installs read the checkout itself
            return
        target = Path(self.build_lib) / "spm_helpers" / "_bundle"
        for name in BUNDLED:
            shutil.rmtree(target / name, ignore_errors=True)
            shutil.copytree(ROOT / name, target / name, ignore=SKIP[name])


setup(cmdclass={"build_py": BuildWithBundle})
