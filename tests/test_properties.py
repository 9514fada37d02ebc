"""Hypothesis properties: monotonicity, ENETS/AJCC agreement, and for every table: no gap, overlap or unreachable rule on its
boundary grid, the one-patient reading equal to the cohort reading (on that grid and on generated cohorts), citations."""
import dataclasses
import functools

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, strategies as st

from pannet_guideline import assess, assess_frame
from pannet_guideline.evidence import STATEMENTS
from pannet_guideline.grading import who_grade
from pannet_guideline.logic import Expr
from pannet_guideline.staging import stage_group, t_category
from pannet_guideline.tables import boundary_grid, columns_from_canonical, grid_records

from conftest import BoundaryGrid, boundary_grid_of, all_tables, assert_decision_is_frame_row, grid_size, inputs_of, records_for

GRADE_ORDER = {"G1 provisional": 1, "G1": 1, "G2": 2, "G3": 3}
T_ORDER = {"T1": 1, "T2": 2, "T3": 3, "T4": 4}
STAGE_ORDER = {"I": 1, "II": 2, "III": 3, "IV": 4}
pct = st.floats(0, 100, allow_nan=False)
mit = st.floats(0, 200, allow_nan=False)


@given(pct, pct, mit)
def test_grade_never_falls_as_ki67_rises(k1, k2, m):
    lo, hi = sorted((k1, k2))
    assert GRADE_ORDER[who_grade(lo, m)] <= GRADE_ORDER[who_grade(hi, m)]


@given(pct, mit, mit)
def test_grade_never_falls_as_mitoses_rise(k, m1, m2):
    lo, hi = sorted((m1, m2))
    assert GRADE_ORDER[who_grade(k, lo)] <= GRADE_ORDER[who_grade(k, hi)]


@given(st.floats(0.01, 30, allow_nan=False), st.floats(0.01, 30, allow_nan=False),
       st.sampled_from(["none", "duodenum_or_bile_duct", "adjacent_organs_or_vessels"]))
def test_t_never_falls_as_size_rises(s1, s2, invasion):
    lo, hi = sorted((s1, s2))
    assert T_ORDER[t_category(lo, invasion)] <= T_ORDER[t_category(hi, invasion)]


TS, NS, MS = ["T1", "T2", "T3", "T4"], ["N0", "N1"], ["M0", "M1"]


def test_stage_never_falls_as_t_n_or_m_rise():
    def stage(i, j, k): return STAGE_ORDER[stage_group(TS[i], NS[j], MS[k])]
    for i in range(4):
        for j in range(2):
            for k in range(2):
                if i < 3: assert stage(i, j, k) <= stage(i + 1, j, k)
                if j < 1: assert stage(i, j, k) <= stage(i, j + 1, k)
                if k < 1: assert stage(i, j, k) <= stage(i, j, k + 1)


@pytest.mark.parametrize("t", TS + [None])
@pytest.mark.parametrize("n", NS + [None])
@pytest.mark.parametrize("m", ["M0", "M1", "M1a", "M1b", "M1c", None])
def test_enets_without_letter_equals_ajcc8_in_every_cell(t, n, m):
    enets, ajcc = stage_group(t, n, m, "enets-2006"), stage_group(t, n, m, "ajcc-8")
    if enets != "unknown": assert enets.rstrip("ab") == ajcc
    else: assert ajcc in ("unknown", "III")  # ENETS cannot split IIIa/IIIb when N is unknown


# --- assess == the row of assess_frame, on generated cohorts with missing and invalid values ---
VALUES = {
    "ki67_pct": st.one_of(st.none(), pct, st.sampled_from([2.9999, 3.0, 20.0, 20.0001, -1, 140, "high", "3,5", " 7 ", "", "NA"])),
    "mitoses_per_2mm2": st.one_of(st.none(), mit, st.sampled_from([2.0, 20.0, -3, "many"])),
    "differentiation": st.sampled_from([None, "well", "poor", "mixed", "WD", "Poorly differentiated", "NET", "NEC", "sort of", ""]),
    "recorded_grade_edition": st.sampled_from([None, "who-2010", "who-2019"]),
    "tumor_size_cm": st.one_of(st.none(), st.floats(0.01, 20, allow_nan=False), st.sampled_from([0, -1, 2.0, 4.0, "big"])),
    "tumor_size_mm": st.one_of(st.none(), st.sampled_from([15, 20, 0, "x"])),
    "local_invasion": st.sampled_from([None, "none", "duodenum_or_bile_duct", "adjacent_organs_or_vessels", "stomach?"]),
    "nodal_status": st.sampled_from([None, "N0", "N1", "NX", "N2", "N1a", "1", "unknown"]),
    "metastatic_sites": st.sampled_from([None, "none", "liver", "extrahepatic", "liver_and_extrahepatic", "bone"]),
    "t_category": st.sampled_from([None, "T1", "T2", "T3", "T4", "TX", "T5", 3]),
    "n_category": st.sampled_from([None, "N0", "N1", "N2"]),
    "m_category": st.sampled_from([None, "M0", "M1", "M1a", "M1b", "M1c", "M2", "Mx"]),
    "resectable": st.sampled_from([None, "yes", "no", "borderline", "maybe"]),
    "functional_syndrome": st.sampled_from([None, "none", "insulinoma", "gastrinoma", "glucagonoma", "vipoma", "somatostatinoma", "other"]),
    "carcinoid_syndrome": st.sampled_from([None, True, False, "yes"]),
    "symptomatic": st.sampled_from([None, True, False]),
    "sstr_status": st.sampled_from([None, "positive", "negative"]),
    "progression": st.sampled_from([None, "stable", "progressive"]),
    "tumor_burden": st.sampled_from([None, "low", "high"]),
    "hereditary_syndrome": st.sampled_from([None, "none", "MEN1", "VHL"]),
    "age_years": st.one_of(st.none(), st.sampled_from([39.9, 40, 65, 130])),
    "multifocal": st.sampled_from([None, True, False]),
    "tumor_location": st.sampled_from([None, "head", "tail"]),
    "near_main_duct": st.sampled_from([None, True, False]),
    "prior_therapies": st.sampled_from([None, "none", "SSA", "SSA;EVEROLIMUS", "PRRT", "BOGUS"]),
}
row = st.fixed_dictionaries({}, optional=VALUES)


def _frame_row(out, i):
    return {k: (bool(v) if k == "grade_provisional" else str(v)) for k, v in out.iloc[i].to_dict().items()}


_TABLE_LEVEL = {"alerts": "KI67_MAY_BE_FRACTION", "rule_ids": "AL-KI67-FRACTION"}  # judged on the whole Ki-67 column, not the row


def _row_level(d):
    "The outputs that depend on the row alone: the Ki-67 fraction warning, judged on the whole column, left out."
    return {k: (";".join(x for x in v.split(";") if x != _TABLE_LEVEL[k]) if k in _TABLE_LEVEL else v) for k, v in d.items()}


@given(st.lists(row, min_size=1, max_size=25), st.sampled_from(["who-2019", "who-2010"]), st.sampled_from(["ajcc-8", "ajcc-9", "enets-2006"]),
       st.sampled_from(["seed-2025", "nccn-2025"]))
def test_assess_equals_the_row_of_assess_frame(rows, grading, staging, policy):
    df = pd.DataFrame(rows, columns=list(VALUES), dtype=object)
    out = assess_frame(df, grading=grading, staging=staging, policy=policy)
    assert len(out) == len(df) and list(out.index) == list(df.index)
    fractions = out["input_issues"].astype(str).str.contains("as if fractions").any()  # the whole column judged as fractions: not read
    for i, rec in enumerate(df.to_dict("records")):
        if fractions and rec["ki67_pct"] is not None: rec = {**rec, "ki67_pct": "not read"}  # written but not read, as in the cohort
        one, row = assess(rec, grading=grading, staging=staging, policy=policy, strict=False).to_dict(), _frame_row(out, i)
        if fractions: one, row = ({k: v for k, v in d.items() if k != "input_issues"} for d in (one, row))
        assert (one == row) if len(df) == 1 else (_row_level(one) == _row_level(row))


def test_assess_frame_leaves_input_untouched():
    df = pd.DataFrame({"ki67_pct": [1, 140, None], "nodal_status": ["N0", "N2", None]}, index=["a", "b", "c"])
    before = df.copy()
    assess_frame(df)
    pd.testing.assert_frame_equal(df, before)


# --- every table: no gap, no overlap its hit policy forbids, every rule reachable, scalar == frame on its grid ---
TABLES = all_tables()
IDS = [t.name for t in TABLES]
ANALYSE_QUICK_UP_TO = 200_000  # grid points: `analyse` itself (a frame of every point) on larger grids in the full run only
SCALAR_QUICK_UP_TO = 500_000  # grid points: on larger grids the point-by-point check in the full run only; the quick run still
                              # holds every table to `decide` == `decide_frame` on generated cohorts (test_decide_equals_the_row_of_decide_frame)


def quick_up_to(tables, points:int) -> list:
    "The tables, those whose boundary grid holds more than `points` points marked slow."
    return [pytest.param(t, marks=pytest.mark.slow) if grid_size(t) > points else t for t in tables]


def _bits_set(mask:np.ndarray, i:int) -> np.ndarray:
    return (mask >> mask.dtype.type(i)) & mask.dtype.type(1) != 0


def _grid_findings(table, grid:BoundaryGrid) -> tuple:
    "Rows of the grid with a gap (complete tables: known, in scope, no rule holds), with an overlap (unique tables), and the rules never fired."
    held = np.sum([c.frame(grid.cols).t for c in table.conditions], axis=0, dtype=np.int64) if table.rules else np.zeros(grid.n, np.int64)
    inside = table.scope.frame(grid.cols).t if table.scope is not None else np.ones(grid.n, bool)
    gaps = np.flatnonzero(grid.known() & inside & (held == 0)) if table.complete else np.array([], np.int64)
    overlaps = np.flatnonzero(held > 1) if table.hit_policy == "unique" else np.array([], np.int64)
    if len(overlaps): return gaps, overlaps, None  # the cohort reading refuses overlapping rules
    fired = table.decide_frame(grid.cols).fired
    return gaps, overlaps, [r.id for i, r in enumerate(table.rules) if not _bits_set(fired, i).any()]


@pytest.mark.parametrize("table", TABLES, ids=IDS)
def test_table_has_no_gap_overlap_or_unreachable_rule(table):
    grid = boundary_grid_of(table)
    gaps, overlaps, unreachable = _grid_findings(table, grid)
    assert not len(gaps), f"{table.name}: {len(gaps)} gaps, e.g. {grid.records(gaps[:3])}"
    assert not len(overlaps), f"{table.name}: {len(overlaps)} overlaps, e.g. {grid.records(overlaps[:3])}"
    assert not unreachable, f"{table.name}: unreachable {unreachable}"


@pytest.mark.parametrize("table", quick_up_to(TABLES, ANALYSE_QUICK_UP_TO), ids=IDS)
def test_analyse_reports_what_the_grid_shows(table):
    "The package's own static analysis examines the same points and finds the same gaps, overlaps and unreachable rules."
    grid = boundary_grid_of(table)
    gaps, overlaps, unreachable = _grid_findings(table, grid)
    if unreachable is None: pytest.fail(f"{table.name}: overlapping rules")  # the cohort reading, and so `analyse`, refuses them
    report = table.analyse()
    assert report.points == grid.n
    assert grid_records(report.gaps) == grid.records(gaps) and grid_records(report.overlaps) == grid.records(overlaps)
    assert report.unreachable == unreachable


def test_boundary_grid_is_the_product_of_its_axes():
    "`BoundaryGrid` (tests/conftest.py) holds `boundary_grid` and its `columns_from_canonical` row for row, on every table of a few thousand points."
    small = [t for t in TABLES if grid_size(t) <= 20_000]
    assert len(small) > 30
    for table in small:
        for with_unknown in (True, False):
            grid, frame = boundary_grid_of(table, with_unknown, assume=False), boundary_grid(table, with_unknown)
            assert grid.records(range(grid.n)) == grid_records(frame), table.name
            cols = columns_from_canonical(frame)
            assert cols.data.keys() == grid.cols.data.keys(), table.name
            for name, values in cols.data.items():
                assert values.dtype == grid.cols.data[name].dtype and np.array_equal(values, grid.cols.data[name], equal_nan=True), (table.name, name)


def _group(codes:list, n:int) -> np.ndarray:
    "One group number per row for the combination of several small non-negative integer code arrays."
    key = np.zeros(n, np.int64)
    for c in codes: key = key * (int(c.max(initial=0)) + 1) + c
    return pd.factorize(key)[0]


@functools.lru_cache(maxsize=1)
def _positions(n:int) -> np.ndarray: return np.arange(n)  # one grid's rows, asked for once per condition


def _a_row_of_each(group:np.ndarray) -> np.ndarray:
    "A row of each group, indexed by group number (-1 for a number no row has)."
    first = np.full(group.max(initial=-1) + 1, -1, np.int64)
    first[group] = _positions(len(group))
    return first


def _checked_truth(node, grid:BoundaryGrid, memo:dict) -> np.ndarray:
    """The cohort truth of `node` (2 true, 1 false, 0 unknown), checked against its one-patient reading on every row:
    a leaf is read once per distinct value of the fields it reads; a compound condition once per distinct combination
    of its parts' (already checked) truths, since its reading depends on nothing else."""
    if id(node) in memo: return memo[id(node)]
    t = node.frame(grid.cols)
    truth = t.t.view(np.int8) * np.int8(2) + t.f.view(np.int8)
    parts = [getattr(node, f.name) for f in dataclasses.fields(node)] if dataclasses.is_dataclass(node) else []
    parts = [x for x in parts if isinstance(x, Expr)]
    if parts: digits = [(_checked_truth(x, grid, memo), 3) for x in parts]
    else: digits = [(grid.codes[f] + np.int16(1), len(grid.points[f]) + 1) for f in sorted(node.fields)]  # the value, or unknown
    key, size = np.zeros(grid.n, np.int32), 1
    for digit, base in digits: key, size = key * np.int32(base) + digit, size * base
    assert size < 2 ** 31, node.text
    group = pd.factorize(key)[0]  # the combinations present, numbered: no array as long as every combination there could be
    scalar = np.array([{True: 2, False: 1, None: 0}[node.record(rec)] for rec in grid.records(_a_row_of_each(group), sorted(node.fields))], np.int8)
    bad = np.flatnonzero(scalar.take(group) != truth)
    assert not len(bad), (node.text, grid.records(bad[:1], sorted(node.fields)))
    memo[id(node)] = truth
    return truth


@pytest.mark.parametrize("table", quick_up_to(TABLES, SCALAR_QUICK_UP_TO), ids=IDS)
def test_table_scalar_equals_vectorized_on_its_boundary_grid(table):
    """`decide` equals `decide_frame` on every point of the table's boundary grid, without a Python call per point:
    (1) every condition, down to each comparison, read one patient at a time equals its cohort truth on every row (see
    `_checked_truth`); (2) the hit policy, read one patient at a time on one row per distinct pattern, equals the cohort
    decision, which must itself be the same on every row of the pattern. A pattern: the truth of each rule and of the
    scope, and which inputs are unknown among those a rule still undecided reads (all a decision's gaps can name)."""
    grid = boundary_grid_of(table)
    n, memo = grid.n, {}
    truth = [_checked_truth(c, grid, memo) for c in table.conditions]
    scope = [_checked_truth(table.scope, grid, memo)] if table.scope is not None else []
    def blocking(name):
        by = [t == 0 for t, c in zip(truth, table.conditions) if name in c.fields]
        return ((grid.codes[name] < 0) & np.logical_or.reduce(by)).view(np.int8) if by else np.zeros(n, np.int8)
    g = _group(truth + scope + [blocking(name) for name in table.inputs], n)
    first = _a_row_of_each(g)
    fd = table.decide_frame(grid.cols)
    for name, arr in (("fired", fd.fired), ("outcome", fd.outcome), ("gaps", fd.gaps), ("pending", fd.pending)):
        assert (arr == arr[first[g]]).all(), (table.name, name, "the cohort decision differs within one pattern")
    for i, rec in zip(first, grid.records(first, table.inputs)):
        assert_decision_is_frame_row(table, rec, fd, i)


CHAPTERS = {}  # chapter module -> its tables: one cohort drawn over the inputs of a chapter serves each of its tables
for _table in TABLES: CHAPTERS.setdefault(_table.module.rsplit(".", 1)[-1], []).append(_table)
chapter_records = functools.cache(lambda chapter: records_for(CHAPTERS[chapter]))  # when first drawn, not at collection


@pytest.mark.parametrize("chapter", list(CHAPTERS))
@given(data=st.data())
def test_decide_equals_the_row_of_decide_frame(chapter, data):
    """On generated cohorts of a chapter's inputs (values from the schema, unknowns, the points either side of each cut
    and the values its conditions name), each row of every table's cohort decision is the one-patient decision."""
    recs = data.draw(chapter_records(chapter), label="records")
    cols = columns_from_canonical(pd.DataFrame(recs, columns=inputs_of(CHAPTERS[chapter]), dtype=object))
    for table in CHAPTERS[chapter]:
        fd = table.decide_frame(cols)
        assert len(fd.fired) == len(recs)
        for i, rec in enumerate(recs): assert_decision_is_frame_row(table, rec, fd, i)


def test_boundary_grid_uses_points_either_side_of_each_threshold():
    from pannet_guideline.grading import GRADE_WHO2019
    ki67 = set(boundary_grid(GRADE_WHO2019)["ki67_pct"].dropna())
    assert {2.9999, 3.0, 3.0001, 19.9999, 20.0, 20.0001} <= {round(x, 4) for x in ki67}


@pytest.mark.parametrize("table", TABLES, ids=[t.name for t in TABLES])
def test_every_rule_cites_a_registered_statement(table):
    for rule in table.rules:
        assert rule.cites and all(c in STATEMENTS for c in rule.cites)
        assert all(STATEMENTS[c].locator for c in rule.cites)


def test_a_rule_without_citation_cannot_be_built():
    from pannet_guideline.logic import Always
    from pannet_guideline.tables import Rule
    with pytest.raises(ValueError, match="must cite"):
        Rule("X", Always(), "x", ())
