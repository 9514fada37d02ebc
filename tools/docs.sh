#!/usr/bin/env bash
# The docs site (Sphinx + myst-nb, no Quarto) from the notebooks' saved outputs: _docs/index.html.
set -euo pipefail
cd "$(dirname "$0")/.."
bash tools/setup_env.sh
.venv/bin/python tools/build_docs.py
