"""The notebooks share module state when a test process runs several of them (as `nbdev_test` workers do): each must pass
whatever ran before it in the same process. Here all of them, in reverse order, in one process.

Not a medical device: these tests check software behaviour only.
"""
import subprocess
import sys
from pathlib import Path

import pytest

NBS = Path(__file__).resolve().parent.parent / "nbs"
RUN = """
import sys
from pathlib import Path
from nbdev.test import test_nb
failed = [p.name for p in map(Path, sys.argv[1:]) if not test_nb(p, do_print=False)[0]]
print("FAILED:", *failed)
sys.exit(1 if failed else 0)
"""


@pytest.mark.slow
def test_every_notebook_passes_after_the_others_in_one_process():
    notebooks = sorted(str(p) for p in NBS.glob("*.ipynb") if not p.name.startswith("_"))[::-1]
    r = subprocess.run([sys.executable, "-c", RUN, *notebooks], cwd=NBS, capture_output=True, text=True, timeout=1200)
    assert r.returncode == 0, r.stdout[-2000:] + r.stderr[-4000:]
