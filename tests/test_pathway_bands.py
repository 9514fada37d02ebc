"""A number's band among the cut-offs of grading and staging, worked out for a whole column at once, is the band
`_regions` gives value by value: below a cut, at it, between two, above the last, and unknown where the value is missing."""
import numpy as np
import pandas as pd
import pytest
from hypothesis import given, strategies as st

from pannet_guideline.pathway import _coded, _cuts, _regions
from pannet_guideline.tables import columns_from_canonical

NUMBERS = ["ki67_pct", "mitoses_per_2mm2", "tumor_size_cm"]


def _values(name):
    "Every cut-off, a value either side of each, and any other number or a missing one."
    cuts = list(_cuts(name))
    near = st.sampled_from(cuts + [c + d for c in cuts for d in (-1e-9, 1e-9)])
    return st.lists(st.one_of(near, st.floats(0, 200, allow_nan=False), st.none()), min_size=1, max_size=40)


@pytest.mark.parametrize("name", NUMBERS)
def test_the_cuts_are_those_of_grading_and_staging(name):
    assert len(_cuts(name)) >= 2  # Ki-67 3 % and 20 %, mitoses 2 and 20, size 2 cm and 4 cm at least


@pytest.mark.parametrize("name", NUMBERS)
@given(data=st.data())
def test_a_column_gets_the_bands_of_its_values_one_by_one(name, data):
    values = data.draw(_values(name))
    cols = columns_from_canonical(pd.DataFrame({name: pd.Series(values, dtype=object)}))
    want = [-1 if v is None else _regions(list(_cuts(name)), float(v)) for v in values]
    np.testing.assert_array_equal(_coded(cols, name), want)


@pytest.mark.xdist_group("pathways")
def test_a_grouped_test_runs_in_its_group(request):
    "Under `-n 2 --dist loadgroup` (the test command) a test marked with the pathways group carries it in its id, so the one worker that draws the pathways runs every such test; pytest 9.2 with pytest-xdist 3.8 silently dropped it."
    if not getattr(request.config.option, "loadgroup", False): pytest.skip("not run by pytest-xdist with --dist loadgroup")
    assert request.node.nodeid.endswith("@pathways")
