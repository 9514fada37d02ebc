"""The names the cohort schema tells analysts to call from the package itself (`pannet_guideline.recommendations_long(...)`)
resolve there, and give what the module's own function gives."""
import pandas as pd

import pannet_guideline as pg
from pannet_guideline import cohort
from pannet_guideline.datasets import demo_cohort


def test_cohort_functions_are_reachable_from_the_package():
    df = demo_cohort().head(12)
    pd.testing.assert_frame_equal(pg.recommendations_long(df, policy="nccn-2025"), cohort.recommendations_long(df, policy="nccn-2025"))
    pd.testing.assert_frame_equal(pg.concordance(df), cohort.concordance(df))
    assert {"recommendations_long", "concordance", "compare_policies"} <= set(dir(pg))
