"""Build the master exercise notebooks from exercises/sumber/*.py (percent format).

    python exercises/bangun.py

The .py sources are what authors edit (readable diffs); the .ipynb masters are what trainers open and
what `spm latihan rilis` reads. tests/test_training.py fails when the two drift apart.
"""
from pathlib import Path

from spm_helpers.training.notebook import build

HERE = Path(__file__).resolve().parent

if __name__ == "__main__":
    for path in build(HERE / "sumber", HERE):
        print("ditulis:", path.relative_to(HERE.parent))
