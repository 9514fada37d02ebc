"""`inspect` judges each column on its own values: where a field comes in two columns (a registry's pathological and
clinical items, a site code and its labelled form), a value the other column holds is never counted against this one,
a blank cell is never an unreadable value, and the share of readable values stays between 0 and 1."""
import warnings

import pandas as pd
from hypothesis import given, settings, strategies as st

from pannet_guideline.cohort import inspect_columns
from pannet_guideline.schema import written_value

warnings.simplefilter("ignore")


def test_the_values_of_a_sister_column_are_not_this_columns():
    df = pd.DataFrame({"Primary Site": ["170", "250", "", "C25.0"],
                       "Primary Site - labeled": ["C25.0-Head of pancreas", "C25.1-Body of pancreas", "C17.0-Duodenum", ""]})
    got = inspect_columns(df)
    assert got.loc["Primary Site - labeled", "unreadable"] == 0 and got.loc["Primary Site - labeled", "readable share"] == 1.0
    assert got.loc["Primary Site", "unreadable"] == 2 and got.loc["Primary Site", "commonest unreadable values"] == "'170' (1); '250' (1)"
    assert "'170' is not one of" in got.loc["Primary Site", "commonest reasons"]
    assert "'170'" not in got.loc["Primary Site - labeled", "commonest reasons"]
    for column in df:  # both rows where the two columns read otherwise are named, on each column, and counted apart
        assert "does not read alike, so neither is read (2)" in got.loc[column, "commonest reasons"]


def test_a_blank_cell_is_never_listed_as_unreadable():
    df = pd.DataFrame({"gradePathological": ["1", "", "x", "Blank(s)"], "gradeClinical": ["", "y", "", "2"]})
    got = inspect_columns(df)
    for column in df:
        assert "''" not in got.loc[column, "commonest unreadable values"] and "Blank" not in got.loc[column, "commonest unreadable values"]
    assert got["unreadable"].tolist() == [1, 1]


VALUES = st.sampled_from(["N0", "N1", "pN0", "cN1", "", "NX", "zz", "N7", "Blank(s)", "unknown", "pN1 (3/12)", "N1 (0/4)"])


@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(VALUES, VALUES), min_size=1, max_size=12))
def test_each_column_counts_only_its_own_unreadable_values(rows):
    df = pd.DataFrame(rows, columns=["pN", "N stage"])
    got = inspect_columns(df)
    for column in df:
        own = [v for v in df[column] if written_value("n_category", v)[1] is not None]  # the reader's own verdict on each value
        assert got.loc[column, "unreadable"] == len(own)
        assert 0 <= got.loc[column, "unreadable"] <= got.loc[column, "values"]
        share = got.loc[column, "readable share"]
        assert pd.isna(share) or 0.0 <= share <= 1.0
