#!/usr/bin/env bash
# All tests, in order: nbdev_clean leaves no diff, nbdev_export leaves no diff, nbdev_test, the docs
# site builds with no Sphinx warning, then pytest.
set -euo pipefail
cd "$(dirname "$0")/.."
bash tools/setup_env.sh
export PATH="$PWD/.venv/bin:$PATH"
state() { git status --porcelain -- nbs pannet_guideline; git diff -- nbs pannet_guideline | sha1sum; }
before=$(state)
nbdev_clean
if [ "$(state)" != "$before" ]; then echo "FAIL: nbdev_clean changed notebooks (run nbdev_clean and commit)"; git status --short -- nbs; exit 1; fi
nbdev_export
if [ "$(state)" != "$before" ]; then echo "FAIL: nbdev_export changed the library (notebooks and package out of sync)"; git status --short -- pannet_guideline; exit 1; fi
echo "nbdev_clean and nbdev_export: no diff"
nbdev_test --n_workers 2 --timing
python tools/build_docs.py
python -m pytest -q -n 2 tests
