"Shared fixtures for the test suite: every DecisionTable the package defines."
import importlib
import os

import pytest
from hypothesis import settings

from pannet_guideline.tables import DecisionTable

settings.register_profile("ci", max_examples=150, deadline=None)
settings.register_profile("dev", max_examples=60, deadline=None)
settings.register_profile("quick", max_examples=20, deadline=None)  # the quick run: fewer examples; boundaries stay in the vignettes


def pytest_configure(config):
    "Hypothesis profile: HYPOTHESIS_PROFILE if set, else `quick` for `-m \"not slow\"`, else `ci`; a mutant if PANNET_MUTANT names one."
    quick = "not slow" in (config.getoption("markexpr", "") or "")
    settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE") or ("quick" if quick else "ci"))
    if os.environ.get("PANNET_MUTANT"):  # tools/mutation.py --tests: run the suite against one mutated table
        import sys
        from pathlib import Path
        sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tools"))
        import mutation
        mutation.apply_by_key(os.environ["PANNET_MUTANT"])

TABLE_MODULES = ["grading", "staging", "workup", "localized", "advanced", "functional", "hereditary", "caveats", "followup"]


def all_tables():
    "Every DecisionTable defined at module level in the package's chapter modules."
    found = {}
    for name in TABLE_MODULES:
        try: mod = importlib.import_module(f"pannet_guideline.{name}")
        except ModuleNotFoundError: continue
        for obj in vars(mod).values():
            if isinstance(obj, DecisionTable): found[obj.name] = obj
    return list(found.values())


@pytest.fixture(scope="session")
def tables():
    return all_tables()


def frame_decision_row(fd, table, i):
    "Row i of a FrameDecision in the shape of a one-patient Decision: (fired rule ids, gap fields, pending outcomes)."
    from pannet_guideline.schema import FIELD_BITS
    fired = tuple(r.id for k, r in enumerate(table.rules) if int(fd.fired[i]) >> k & 1)
    gaps = tuple(name for name, bit in sorted(FIELD_BITS.items(), key=lambda x: x[1]) if int(fd.gaps[i]) >> bit & 1)
    pending = tuple(dict.fromkeys(r.then for k, r in enumerate(table.rules) if int(fd.pending[i]) >> k & 1))
    return fired, gaps, pending
