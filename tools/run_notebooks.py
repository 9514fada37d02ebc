"""Run every notebook top to bottom and save its outputs (the docs show saved outputs), then clean them.

Usage: .venv/bin/python tools/run_notebooks.py [NOTEBOOK ...]
"""
import subprocess
import sys
import time
from pathlib import Path

import nbformat
from nbconvert.preprocessors import ExecutePreprocessor

ROOT = Path(__file__).resolve().parents[1]


def run(path: Path):
    nb = nbformat.read(path, as_version=4)
    t0 = time.perf_counter()
    ExecutePreprocessor(timeout=600, kernel_name="python3").preprocess(nb, {"metadata": {"path": str(path.parent)}})
    nbformat.write(nb, path)
    print(f"{path.name}: {time.perf_counter() - t0:.1f} s")


def main(names):
    paths = [Path(n) for n in names] or sorted((ROOT / "nbs").glob("*.ipynb"))
    for p in paths: run(p.resolve())
    subprocess.run([str(Path(sys.executable).parent / "nbdev_clean")], cwd=ROOT, check=True)


if __name__ == "__main__":
    main(sys.argv[1:])
