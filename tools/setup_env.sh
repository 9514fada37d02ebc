#!/usr/bin/env bash
# Make .venv and install the package with its pinned development tools; idempotent, safe to re-run.
set -euo pipefail
cd "$(dirname "$0")/.."
# Graphviz renders the pathway diagrams; Debian's chromium checks the built pages in a real browser
missing=""
command -v dot >/dev/null 2>&1 || missing="$missing graphviz"
command -v chromium >/dev/null 2>&1 || missing="$missing chromium"
if [ -n "$missing" ]; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $missing >/dev/null
  else echo "note: missing system packages:$missing (install them to render diagrams and check pages)" >&2; fi
fi
[ -x .venv/bin/python ] || "${PYTHON:-python3}" -m venv .venv
stamp=".venv/.installed-$(cat settings.ini setup.py pyproject.toml | sha1sum | cut -c1-12)"
if [ ! -f "$stamp" ]; then
  # uv installs the same set as pip in seconds where pip takes half a minute; pip stays the way where uv cannot be had
  if .venv/bin/python -m pip install -q "uv>=0.5" >/dev/null 2>&1 && .venv/bin/uv pip install -q --python .venv/bin/python -e ".[dev]"; then :
  else
    .venv/bin/python -m pip install -q --upgrade pip
    .venv/bin/python -m pip install -q -e ".[dev]"
  fi
  # compile once what the package imports, even where the environment turns bytecode off (each run would compile pandas again)
  env -u PYTHONDONTWRITEBYTECODE .venv/bin/python -c "import pannet_guideline.cli, pannet_guideline.report, pannet_guideline.pathway"
  rm -f .venv/.installed-*; touch "$stamp"
fi
