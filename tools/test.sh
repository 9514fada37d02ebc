#!/usr/bin/env bash
# All tests, in order: nbdev_clean leaves no diff, nbdev_export leaves no diff, the docs site builds with no Sphinx
# warning, its pages and a demo cohort report pass a check in headless chromium, then pytest (every notebook run and checked there).
set -euo pipefail
cd "$(dirname "$0")/.."
t0=$SECONDS; bash tools/setup_env.sh; echo "stage took $((SECONDS - t0)) s: setup_env"
export PATH="$PWD/.venv/bin:$PATH"
unset PYTHONDONTWRITEBYTECODE  # the many processes of a run (workers, command-line tests) compile each module once, not each time
timed() { local t0=$SECONDS; "$@"; echo "stage took $((SECONDS - t0)) s: $*"; }  # how long each stage takes, in the log
state() { git status --porcelain -- nbs pannet_guideline; git diff -- nbs pannet_guideline | sha1sum; }
before=$(state)
nbdev_clean
if [ "$(state)" != "$before" ]; then echo "FAIL: nbdev_clean changed notebooks (run nbdev_clean and commit)"; git status --short -- nbs; exit 1; fi
nbdev_export
if [ "$(state)" != "$before" ]; then echo "FAIL: nbdev_export changed the library (notebooks and package out of sync)"; git status --short -- pannet_guideline; exit 1; fi
echo "nbdev_clean and nbdev_export: no diff"
# Every notebook is executed once, in pytest: tests/test_notebook_order.py runs each with nbdev's `test_nb` (every cell, the
# slow-flagged ones too), all of them in one process in reverse order, so `nbdev_test` is not run a second time here.
# The docs site and its page check run beside pytest: the check waits on chromium more than it computes. Their log is printed
# after pytest's; a test that reads the built site leaves it to the page check meanwhile (PANNET_DOCS_BESIDE).
docs_log=$(mktemp); tests_log=$(mktemp)
( set -e
  timed python tools/build_docs.py
  python -c "from pannet_guideline.report import write_cohort_report; from pannet_guideline.datasets import demo_cohort; \
write_cohort_report(demo_cohort(), '_check/demo_report.html', title='Demo cohort')"
  # every docs page and the demo report in headless chromium; in CI no screenshots (no one reads them there: half the check's time)
  timed python tools/check_pages.py ${CI:+--shots=} _check/demo_report.html
) > "$docs_log" 2>&1 &
docs_pid=$!
t0=$SECONDS
set +e
PANNET_DOCS_BESIDE=1 python -m pytest -q -n 2 tests > "$tests_log" 2>&1; tests_rc=$?
wait "$docs_pid"; docs_rc=$?
set -e
echo "stage took $((SECONDS - t0)) s: pytest, and beside it the docs site and its page check"
cat "$docs_log"; [ "$docs_rc" = 0 ] || echo "FAIL: the docs site or its page check (exit $docs_rc)"
cat "$tests_log"  # last: pytest's closing line (with its own time) ends the log
rm -f "$docs_log" "$tests_log"
[ "$docs_rc" = 0 ] && [ "$tests_rc" = 0 ]
