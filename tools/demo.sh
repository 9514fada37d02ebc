#!/usr/bin/env bash
# The main job: grade and stage the bundled demo cohort and ARC-Net; summaries on screen, results in output/.
set -euo pipefail
cd "$(dirname "$0")/.."
bash tools/setup_env.sh
.venv/bin/pannet-guideline demo -o "${1:-output}"
