"Shared fixtures for the test suite: every DecisionTable the package defines."
import importlib
import os

import pytest
from hypothesis import settings

from pannet_guideline.tables import DecisionTable

settings.register_profile("ci", max_examples=150, deadline=None)
settings.register_profile("dev", max_examples=60, deadline=None)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))

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
