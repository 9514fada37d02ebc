"""The registries `import pannet_guideline` offers (alerts, statements, sources) come filled: each chapter registers its alerts and
cites its statements when it is imported, so a name read from the package first must not give a registry that no chapter has
filled yet. Checked in a fresh interpreter, where nothing else has imported the chapters."""
import subprocess
import sys

import pannet_guideline.guideline  # noqa: F401  (every chapter, in this process: the full registries to compare with)
from pannet_guideline.evidence import SOURCES, STATEMENTS
from pannet_guideline.vocab import ALERTS

FRESH = ("import pannet_guideline as p; "
         "print(len(p.ALERTS), len(p.STATEMENTS), len(p.SOURCES), len(p.statements_frame()))")


def test_a_registry_read_first_from_the_package_is_complete():
    out = subprocess.run([sys.executable, "-c", FRESH], capture_output=True, text=True, check=True).stdout.split()
    assert list(map(int, out)) == [len(ALERTS), len(STATEMENTS), len(SOURCES), len(STATEMENTS)]
    assert len(ALERTS) > 50 and len(STATEMENTS) > 100  # the chapters' own, not only the vocabulary's
