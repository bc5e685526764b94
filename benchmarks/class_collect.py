"""Benchmark: ``spm kelas nilai`` on a class hub folder of 30 participants, collect + grade in one command,
the way the facilitator runs it after a session (the 30 notebooks of ``benchmarks/grading.py``, one per
participant workspace, two of them with an infinite loop).

    python benchmarks/class_collect.py              # 2 runs, the CLI's defaults
    python benchmarks/class_collect.py --runs 3 --paralel 4

Prints each run's wall time, the median and ``uptime`` (the machine is shared: say how busy it was).
"""
from __future__ import annotations

import argparse
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from grading import make_submissions  # noqa: E402

from spm_helpers.training import exercise_files as nbk  # noqa: E402
from spm_helpers.training.registry import daftar_modul  # noqa: E402
from spm_helpers.training.release import release  # noqa: E402


def make_class(folder: Path) -> int:
    """A class folder as ``spm kelas mulai`` leaves it: released modules and 30 worked-on workspaces."""
    release(folder / "modul")
    berkas = {m.nomor: m.berkas for m in daftar_modul()}
    with tempfile.TemporaryDirectory() as tmp:
        make_submissions(Path(tmp))
        for nb in sorted(Path(tmp).glob("*.ipynb")):
            ruang = folder / "peserta" / nb.stem.replace("_", "-")
            ruang.mkdir(parents=True)
            shutil.copy(nb, ruang / berkas[nbk.modul_notebook(nbk.read(nb))])
    (folder / "toko").mkdir()
    return len(list((folder / "peserta").iterdir()))


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--runs", type=int, default=2)
    ap.add_argument("--paralel", type=int, default=None)
    args = ap.parse_args()
    print("uptime sebelum:", subprocess.run(["uptime"], capture_output=True, text=True).stdout.strip())
    walls = []
    for run in range(args.runs):
        with tempfile.TemporaryDirectory() as tmp:
            folder = Path(tmp) / "kelas"
            n = make_class(folder)
            cmd = [sys.executable, "-m", "spm_helpers.cli", "kelas", "nilai", "--folder", str(folder),
                   "--ke", str(folder / "kiriman")] + (["--paralel", str(args.paralel)] if args.paralel else [])
            t0 = time.perf_counter()
            r = subprocess.run(cmd, capture_output=True, text=True)
            walls.append(time.perf_counter() - t0)
            if r.returncode or "30 notebook dikumpulkan" not in r.stdout:
                print(r.stdout[-3000:], r.stderr[-3000:])
                return 1
            print(f"  run {run + 1}: {n} peserta, kumpulkan + nilai {walls[-1]:.1f} s", flush=True)
    print(f"median {statistics.median(walls):.1f} s")
    print("uptime sesudah:", subprocess.run(["uptime"], capture_output=True, text=True).stdout.strip())
    return 0


if __name__ == "__main__":
    sys.exit(main())
