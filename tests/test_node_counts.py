"""A count of positive regional nodes (NAACCR item 820, `Regional Nodes Positive`) read into the nodal status.

Oracle: the item's code list (NAACCR data dictionary; SEER's staging site): 00 all nodes examined negative,
01-89 the count, 90 ninety or more, 95 positive aspiration or core biopsy of a node, 97 positive nodes with the count
not given, 98 no nodes examined, 99 unknown. AJCC 8, pancreatic NET chapter: N0 no regional node metastasis, N1 any.
"""
import warnings

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings, strategies as st

from pannet_guideline import assess, assess_frame
from pannet_guideline.schema import match_field, node_count_status, read_patient

ITEM_820 = {0: "N0", 1: "N1", 3: "N1", 89: "N1", 90: "N1", 95: "N1", 97: "N1", 98: None, 99: None}
NOT_CODES = (91, 92, 93, 94, 96, 100, 120)
BASE = dict(differentiation="well", ki67_pct=5, tumor_size_cm=3.0, local_invasion="none", metastatic_sites="none")


@pytest.mark.parametrize("code,n", ITEM_820.items())
def test_item_820_codes(code, n):
    assert node_count_status(code) == (n, None)
    assert node_count_status(f"{code:02d}") == (n, None)  # as a fixed-width export writes it


@pytest.mark.parametrize("value", NOT_CODES + (2.5, -1, "none", "N1", "many", "12/3"))
def test_not_a_count_is_named(value):
    n, why = node_count_status(value)
    assert n is None and why and (repr(value) in why or str(value) in why)


def test_yes_no_is_not_a_count():
    assert node_count_status(True)[0] is None and "yes/no" in node_count_status(True)[1]


@given(st.integers(0, 90), st.integers(0, 90))
@settings(max_examples=200, deadline=None)
def test_positive_of_examined(positive, extra):
    "`p/e` and `p of e` give N1 exactly when a node is positive, and no N where none was examined; more positive than examined is rejected."
    examined = positive + extra
    n = None if examined == 0 else "N1" if positive else "N0"
    assert node_count_status(f"{positive}/{examined}") == (n, None)
    assert node_count_status(f"{positive} of {examined}") == (n, None)
    if extra: assert node_count_status(f"{examined}/{positive}")[0] is None


@pytest.mark.parametrize("header", ["Regional nodes positive", "Regional nodes positive (1988+)", "Positive nodes", "LN positive",
                                    "Number of positive lymph nodes", "regionalNodesPositive"])
def test_headers(header):
    assert match_field(header) == ("read_as", "positive_nodes")


def test_ratio_in_the_nodal_status_column():
    rec, issues = read_patient({"nodal_status": "3/12"})
    assert rec["nodal_status"] == "N1" and not issues
    rec, issues = read_patient({"nodal_status": "0/15"})
    assert rec["nodal_status"] == "N0" and not issues


CASES = [  # (positive nodes, nodal status recorded) -> (nodal status read, a conflict named)
    ((0, None), ("N0", False)), ((4, None), ("N1", False)), ((97, None), ("N1", False)), ((98, None), (None, False)),
    ((0, "N0"), ("N0", False)), ((2, "N1"), ("N1", False)), ((0, "N1"), (None, True)), ((5, "N0"), (None, True)),
    ((98, "N1"), ("N1", False)), ((None, "N0"), ("N0", False)), (("0/0", None), (None, False)), (("0/0", "N1"), ("N1", False)),
]
RECORDED_N = [  # (positive nodes, nodal status, recorded N) -> (nodal status, recorded N, conflict markers set)
    ((3, None, "N0"), (None, None, {"n_category_conflict"})), ((3, "N0", "N0"), (None, None, {"n_category_conflict", "nodal_status_conflict"})),
    ((0, "N1", "N1"), (None, None, {"n_category_conflict", "nodal_status_conflict"})), ((3, None, "N1"), ("N1", "N1", set())),
    ((3, "N1", "N0"), (None, None, {"n_category_conflict"})), (("0/0", None, "N0"), (None, "N0", set())), ((98, None, "N1"), (None, "N1", set())),
    ((0, "N1", "N0"), (None, None, {"n_category_conflict", "nodal_status_conflict"})),  # the recorded N and the count against the nodal status
    ((3, "N0", "N1"), (None, None, {"n_category_conflict", "nodal_status_conflict"})),
]


@pytest.mark.parametrize("given_,expected", CASES)
def test_one_patient(given_, expected):
    nodes, status = given_
    rec, issues = read_patient({"positive_nodes": nodes, "nodal_status": status})
    assert rec["nodal_status"] == expected[0]
    assert (rec.get("nodal_status_conflict") == "positive_nodes") == expected[1]
    assert not issues


def test_cohort_equals_one_patient_and_stages():
    "Every case as a cohort row under its registry header: the same N, stage and conflict as the patient read alone."
    rows = [{**BASE, "Regional nodes positive": nodes, "nodal_status": status} for (nodes, status), _ in CASES]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        out = assess_frame(pd.DataFrame(rows))
        alone = [assess({**BASE, "positive_nodes": nodes, "nodal_status": status}) for (nodes, status), _ in CASES]
    for i, ((_, _), (n, conflict)) in enumerate(CASES):
        assert out.n_category.iloc[i] == (n or "NX")
        assert out.stage_ajcc8.iloc[i] == {"N0": "II", "N1": "III", None: "unknown"}[n]  # 3 cm, no invasion, M0: T2
        assert ("count of positive nodes" in out.conflicts.iloc[i]) == conflict
        assert (out.n_category.iloc[i], out.stage_ajcc8.iloc[i], out.conflicts.iloc[i]) == (alone[i].n_category, alone[i].stage_ajcc8, alone[i].conflicts)


def test_rejected_count_names_the_column():
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        out = assess_frame(pd.DataFrame([{**BASE, "Positive nodes": 96}]))
    assert "positive_nodes: 96 is not a count" in out.input_issues.iloc[0] and "(column 'Positive nodes')" in out.input_issues.iloc[0]
    assert out.n_category.iloc[0] == "NX"


def test_long_column_read_once_per_value():
    "A large export: one reading per distinct value, the same answer on every row that repeats it."
    values = np.tile(np.array([0, 3, 98, "2/14", None, 96], dtype=object), 2000)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        out = assess_frame(pd.DataFrame({**{k: [v] * len(values) for k, v in BASE.items()}, "positive_nodes": values}))
    assert out.n_category.tolist() == ["N0", "N1", "NX", "N1", "NX", "NX"] * 2000
    assert (out.input_issues.str.contains("96 is not a count")).sum() == 2000


@pytest.mark.parametrize("given_,expected", RECORDED_N)
def test_recorded_n_against_the_count(given_, expected):
    "A recorded N that the count contradicts is not trusted, nor the nodal status, even where those two agree: two copies of one N do not outvote a count."
    nodes, status, recorded = given_
    rec, issues = read_patient({"positive_nodes": nodes, "nodal_status": status, "n_category": recorded})
    assert (rec["nodal_status"], rec["n_category"]) == expected[:2] and not issues
    assert {m for m in ("n_category_conflict", "nodal_status_conflict") if rec.get(m)} == expected[2]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        row = {**BASE, "LN positive": nodes, "nodal_status": status, "pN": recorded}
        out, alone = assess_frame(pd.DataFrame([row, {**row, "pN": None}])), assess({**BASE, "positive_nodes": nodes, "nodal_status": status, "n_category": recorded})
    assert (out.n_category.iloc[0], out.conflicts.iloc[0], out.data_gaps.iloc[0]) == (alone.n_category, alone.conflicts, alone.data_gaps)
    assert ("n_category: the recorded N" in out.conflicts.iloc[0]) == ("n_category_conflict" in expected[2])
    assert ("recorded N and the nodal status" in out.conflicts.iloc[0]) == (nodes is not None and status is not None and recorded is not None
                                                                          and node_count_status(nodes)[0] == recorded != status)
    if expected[2]: assert out.stage_ajcc8.iloc[0] == "unknown"  # T2 M0: the stage waits on the N


def test_ratio_in_the_recorded_n():
    assert read_patient({"n_category": "3/12"})[0]["n_category"] == "N1" and read_patient({"n_category": "0/9"})[0]["n_category"] == "N0"
