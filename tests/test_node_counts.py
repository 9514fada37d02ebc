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
from pannet_guideline.schema import InvalidPatient, match_field, node_count_status, read_patient

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
    examined = min(positive + extra, 90)  # the item counts to 90 (ninety or more)
    n = None if examined == 0 else "N1" if positive else "N0"
    assert node_count_status(f"{positive}/{examined}") == (n, None)
    assert node_count_status(f"{positive} of {examined}") == (n, None)
    if examined > positive: assert node_count_status(f"{examined}/{positive}")[0] is None
    if positive + extra > 90: assert node_count_status(f"{positive}/{positive + extra}")[0] is None  # beyond any count the item writes


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


# A count of regional nodes examined (NAACCR item 830, `Regional Nodes Examined`) beside the positive count.
# Oracle: the item's code list (SEER's staging site, item #830): 00 none examined, 01-89 the count, 90 ninety or more,
# 95 aspiration with no node removed, 96 sampling and 97 dissection with the count not given, 98 removed with the count
# not given, 99 unknown. Item 820's own codes: 00 means every node examined was negative, 98 that none was examined.
ITEM_830_NO_COUNT = (95, 96, 97, 98, 99)
EXAMINED = [  # (positive, examined) -> (nodal status read, the positive count rejected)
    ((3, 12), ("N1", False)), ((0, 12), ("N0", False)), ((12, 12), ("N1", False)), ((90, 90), ("N1", False)),
    ((3, 2), (None, True)), ((1, 0), (None, True)), ((97, 0), (None, True)), ((95, 0), (None, True)), ((98, 4), (None, True)),
    ((0, 0), (None, False)), ((98, 0), (None, False)), ((99, 5), (None, False)), ((97, 12), ("N1", False)),
    *[((3, code), ("N1", False)) for code in ITEM_830_NO_COUNT], *[((0, code), ("N0", False)) for code in ITEM_830_NO_COUNT],
    (("3/12", 12), ("N1", False)),  # a count written with its own examined nodes, the same as the column's
]


@pytest.mark.parametrize("given_,expected", EXAMINED)
def test_examined_bounds_the_count(given_, expected):
    "A patient alone and the same row in a cohort (under registry headers) read the pair alike: the N, the stage, the issue naming the column."
    positive, examined = given_
    rec, issues = read_patient({"positive_nodes": positive, "examined_nodes": examined})
    assert rec["nodal_status"] == expected[0]
    assert ("positive_nodes" in issues) == expected[1]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        out = assess_frame(pd.DataFrame([{**BASE, "Regional nodes positive": f"{positive:02d}" if isinstance(positive, int) else positive,
                                          "Regional nodes examined": f"{examined:02d}"}]))
    assert out.n_category.iloc[0] == (expected[0] or "NX")
    assert out.stage_ajcc8.iloc[0] == {"N0": "II", "N1": "III", None: "unknown"}[expected[0]]  # 3 cm, no invasion, M0: T2
    assert ("positive_nodes:" in out.input_issues.iloc[0] and "(column 'Regional nodes positive')" in out.input_issues.iloc[0]) == expected[1]
    if expected[1]:  # one patient: a value that cannot be read is an error naming the field
        with pytest.raises(InvalidPatient, match="positive_nodes"): assess({**BASE, "positive_nodes": positive, "examined_nodes": examined})
        return
    alone = assess({**BASE, "positive_nodes": positive, "examined_nodes": examined})
    assert (out.n_category.iloc[0], out.stage_ajcc8.iloc[0]) == (alone.n_category, alone.stage_ajcc8)


@given(st.integers(0, 90), st.integers(0, 90))
@settings(max_examples=200, deadline=None)
def test_two_columns_read_as_one_cell(positive, examined):
    "A positive count beside a count examined reads as `positive/examined` written in one cell, except that its contradiction is named."
    as_cell = node_count_status(f"{positive}/{examined}")
    beside = node_count_status(positive, examined)
    assert beside[0] == as_cell[0]
    assert (beside[1] is None) == (positive <= examined)


def test_examined_count_alone_gives_no_n():
    rec, issues = read_patient({"examined_nodes": 12})
    assert rec["nodal_status"] is None and not issues


@pytest.mark.parametrize("value", (91, 94, 100, 2.5, -1, "many", "3/12", True))
def test_not_an_examined_count_is_named(value):
    "A value that is no count of examined nodes is rejected in its own column; the positive count beside it is read alone."
    rec, issues = read_patient({"positive_nodes": 3, "examined_nodes": value})
    assert rec["nodal_status"] == "N1" and "examined_nodes" in issues and "positive_nodes" not in issues
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        out = assess_frame(pd.DataFrame([{**BASE, "positive_nodes": 3, "Nodes examined": value}]))
    assert out.n_category.iloc[0] == "N1" and "examined_nodes:" in out.input_issues.iloc[0] and "(column 'Nodes examined')" in out.input_issues.iloc[0]


@pytest.mark.parametrize("header", ["Regional nodes examined", "Regional nodes examined (1988+)", "Nodes examined", "LN examined",
                                    "Number of lymph nodes examined", "regionalNodesExamined"])
def test_examined_headers(header):
    assert match_field(header) == ("read_as", "examined_nodes")


def test_long_export_read_once_per_pair():
    "A large export: one reading per distinct pair of values, the same answer on every row that repeats it."
    positive = np.tile(np.array(["00", "03", "03", "98", "05", None], dtype=object), 2000)
    examined = np.tile(np.array(["12", "12", "02", "04", "99", "10"], dtype=object), 2000)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        out = assess_frame(pd.DataFrame({**{k: [v] * len(positive) for k, v in BASE.items()}, "positive_nodes": positive, "examined_nodes": examined}))
    assert out.n_category.tolist() == ["N0", "N1", "NX", "NX", "N1", "NX"] * 2000
    assert out.input_issues.str.contains("than the 2 nodes examined").sum() == 2000
    assert out.input_issues.str.contains("while 4 were examined").sum() == 2000


@pytest.mark.parametrize("cell", ["99/99", "98/98", "96/96", "91/95", "97/15", "3/150"])
@pytest.mark.parametrize("field", ["positive_nodes", "nodal_status", "n_category"])
def test_codes_are_no_counts_in_one_cell(cell, field):
    "A registry code (95 to 99) written as half of positive/examined is no count: rejected, never read as nodes positive."
    rec, issues = read_patient({field: cell})
    assert rec["nodal_status"] is None and rec["n_category"] is None and field in issues and "registry code" in issues[field]


@pytest.mark.parametrize("cell,examined,n", [("3/12", 2, None), ("0/12", 0, None), ("0/0", 12, None), ("3/12", 12, "N1"), ("3/12", 96, "N1")])
def test_one_cell_beside_an_examined_column(cell, examined, n):
    "A cell that writes its own nodes examined is weighed against an examined column beside it: a different count is a contradiction, named."
    rec, issues = read_patient({"positive_nodes": cell, "examined_nodes": examined})
    assert rec["nodal_status"] == n and (("positive_nodes" in issues) == (n is None and cell != "0/0" or cell == "0/0"))


@pytest.mark.parametrize("value", ["1e1", "+3", "1_0", "\uff13", "3 nodes"])
def test_counts_are_plain_digits(value):
    assert node_count_status(value)[0] is None and node_count_status(value)[1]


def test_two_examined_columns_are_named():
    "Two columns of nodes examined: as for any field given twice, neither is read, and the rows holding both say so."
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        out = assess_frame(pd.DataFrame([{**BASE, "positive_nodes": 3, "examined_nodes": 2, "Nodes examined": 2},
                                         {**BASE, "positive_nodes": 3, "examined_nodes": None, "Nodes examined": 12}]))
    assert "examined_nodes: given more than once" in out.input_issues.iloc[0] and out.input_issues.iloc[1] == ""
    with pytest.raises(InvalidPatient, match="examined_nodes"): assess({**BASE, "positive_nodes": 3, "examined_nodes": 2, "Nodes examined": 2})


UNREAD = [  # (recorded N, nodal status, positive, examined) -> (N, stage, conflict text): a count the nodes examined forbid reading still says nodes are positive
    (("N0", None, 5, 3), ("NX", "unknown", "the recorded N and the count of positive nodes")),
    (("N0", None, "5/3", None), ("NX", "unknown", "the recorded N and the count of positive nodes")),
    (("N0", None, 97, 0), ("NX", "unknown", "the recorded N and the count of positive nodes")),
    (("N0", None, "3/12", 15), ("NX", "unknown", "the recorded N and the count of positive nodes")),
    ((None, "N0", 95, 0), ("NX", "unknown", "the nodal status and the count of positive nodes")),
    (("N1", None, 5, 3), ("N1", "III", "")),  # positive either way: the recorded N1 stands, the count is named in input_issues
    (("N0", None, 98, 4), ("N0", "II", "")),  # 98 says no node was examined: nothing positive to weigh
]


@pytest.mark.parametrize("given_,expected", UNREAD)
def test_a_count_not_read_still_stands_against_an_n0(given_, expected):
    "A positive count rejected for its nodes examined is not read, but an N0 beside it is not trusted either: no row is staged N0 against a count of positive nodes."
    recorded, status, positive, examined = given_
    row = {**BASE, "n_category": recorded, "nodal_status": status, "positive_nodes": positive, "examined_nodes": examined}
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        out = assess_frame(pd.DataFrame([row]))
    assert (out.n_category.iloc[0], out.stage_ajcc8.iloc[0]) == expected[:2]
    assert (expected[2] in out.conflicts.iloc[0]) if expected[2] else out.conflicts.iloc[0] == ""
    assert "positive_nodes:" in out.input_issues.iloc[0]
    rec, issues = read_patient({k: v for k, v in row.items() if k not in BASE})
    assert (rec["n_category"] or rec["nodal_status"] or "NX") == expected[0] and "positive_nodes" in issues
