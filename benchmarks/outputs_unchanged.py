"""Every number unchanged: fingerprint the machine-readable outputs of the batch and of every notebook.

A refactor must not change a single figure. This script runs ``spm batch`` on the demo selection
(the 10 demo regions) and every notebook of ``notebooks/`` with papermill on the bundled demo data,
then prints one SHA-256 per output file (CSV, JSON, Parquet read as a table). Record before a change,
compare after::

    python benchmarks/outputs_unchanged.py --simpan sebelum.json
    python benchmarks/outputs_unchanged.py --banding sebelum.json   # exit 1 and a list when anything differs

Values that legitimately differ between runs (timestamps, seconds, worker process ids, absolute paths of
the run folder) are blanked before hashing; everything else is compared value for value.
"""
from __future__ import annotations

import argparse
import hashlib
import io
import json
import re
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
TAHUN = 2025
VOLATILE_KEYS = {"dibuat", "selesai", "selesai_pada", "mulai", "detik", "durasi", "waktu", "diperbarui", "versi_spm",
                 "pekerja"}


def _scrub(obj, run: str):
    if isinstance(obj, dict):
        return {k: ("*" if k in VOLATILE_KEYS else _scrub(v, run)) for k, v in obj.items()}
    if isinstance(obj, list):
        return [_scrub(v, run) for v in obj]
    if isinstance(obj, str):
        return obj.replace(run, "<RUN>").replace(str(ROOT), "<ROOT>")
    return obj


def fingerprint(folder: Path) -> dict[str, str]:
    """Relative path -> hash of every machine-readable output under ``folder``."""
    import pandas as pd

    run = str(folder)
    out = {}
    for p in sorted(folder.rglob("*")):
        rel = str(p.relative_to(folder))
        if p.suffix == ".json":
            data = _scrub(json.loads(p.read_text(encoding="utf-8")), run)
            blob = json.dumps(data, sort_keys=True, ensure_ascii=False).encode()
        elif p.suffix in (".csv", ".parquet"):
            df = pd.read_parquet(p) if p.suffix == ".parquet" else pd.read_csv(p, dtype=str, keep_default_na=False)
            buf = io.StringIO()
            df.drop(columns=[c for c in df.columns if c in VOLATILE_KEYS]).to_csv(buf, index=False)
            blob = buf.getvalue().replace(run, "<RUN>").replace(str(ROOT), "<ROOT>").encode()
        else:
            continue
        blob = re.sub(rb"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?", b"<WAKTU>", blob)
        out[rel] = hashlib.sha256(blob).hexdigest()
    return out


def run_all(work: Path) -> dict[str, str]:
    batch = work / "batch"
    subprocess.run([str(BIN / "spm"), "demo", "--ke", str(batch)], check=True, stdout=subprocess.DEVNULL)
    prints = {f"batch/{k}": v for k, v in fingerprint(batch).items()}
    for nb in sorted((ROOT / "notebooks").glob("*.ipynb")):
        out = work / nb.stem
        subprocess.run([str(BIN / "papermill"), "--no-progress-bar", "--log-level", "ERROR", str(nb),
                        str(work / f"{nb.stem}.ipynb"), "-p", "output_dir", str(out)],
                       check=True, cwd=nb.parent, stdout=subprocess.DEVNULL)
        prints.update({f"{nb.stem}/{k}": v for k, v in fingerprint(out).items()})
    return prints


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--simpan", type=Path, help="tulis sidik jari ke berkas JSON ini")
    ap.add_argument("--banding", type=Path, help="bandingkan dengan sidik jari tersimpan")
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        prints = run_all(Path(tmp))
    print(f"{len(prints)} berkas keluaran diperiksa")
    if args.simpan:
        args.simpan.write_text(json.dumps(prints, indent=1, sort_keys=True), encoding="utf-8")
    if args.banding:
        before = json.loads(args.banding.read_text(encoding="utf-8"))
        diff = sorted(k for k in before.keys() | prints.keys() if before.get(k) != prints.get(k))
        for k in diff:
            state = "hilang" if k not in prints else "baru" if k not in before else "berbeda"
            print(f"  {state}: {k}")
        print("SAMA PERSIS" if not diff else f"{len(diff)} berkas berbeda")
        return 1 if diff else 0
    return 0


if __name__ == "__main__":
    sys.exit(main())
