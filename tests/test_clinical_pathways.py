"""A clinical pathway is its tables: following it from every definite point of the boundary grids of the tables it joins
(every combination of their known boundary values, inside the pathway's entry) reaches exactly the rules those tables fire,
the conditions written on its endings (treatments given before) read on each point."""
import dataclasses

import numpy as np
import pytest

from pannet_guideline.guideline import POLICIES
from pannet_guideline.pathway import QUESTIONS, _product_columns, clinical_pathway, fired_outcomes, outcome_columns, pathway_criteria, possible_points

pytestmark = pytest.mark.xdist_group("pathways")  # with --dist loadgroup, one worker draws the pathways once for all these tests

BIG = 1_000_000  # grid points above which a case is left to the full run


def _grid(p):
    return [dataclasses.replace(c, members=[[v] for m in c.members for v in m]) for c in p.crits.values()]  # every grid value, not one per class


def _size(key, policy):
    "Grid points of a pathway, from its criteria alone (drawing every pathway here would cost each worker seconds before any test)."
    parts = pathway_criteria(key, policy)
    return 0 if parts is None else int(np.prod([sum(map(len, c.members)) for c in parts[1] + parts[2]]))


SIZES = {(q.key, p): _size(q.key, p) for q in QUESTIONS for p in POLICIES}
QUICK = {min((k for k in SIZES if k[0] == q.key and SIZES[k]), key=SIZES.get) for q in QUESTIONS}  # the quick run: each kind's smallest case
CASES = [pytest.param(q.key, p, marks=[] if (q.key, p) in QUICK and SIZES[q.key, p] <= BIG else [pytest.mark.slow], id=f"{q.key}-{p}")
         for q in QUESTIONS for p in POLICIES]


@pytest.mark.parametrize("key,policy", CASES)
def test_pathway_reaches_what_the_tables_fire(key, policy):
    p = clinical_pathway(key, policy)
    if p is None: pytest.skip("no table of this policy answers the question")
    grid = _product_columns(_grid(p))
    cols = grid.take(np.flatnonzero(possible_points(grid)))  # answers some patient gives together (class and grade, T and size...)
    inside = p.question.entry.frame(cols).t
    got = p.reached(cols)
    want = np.concatenate([(t.decide_frame(cols).fired.astype(np.uint64)[:, None] >> np.arange(len(t.rules), dtype=np.uint64)) & np.uint64(1)
                           for t in p.tables], axis=1).astype(bool)
    got, want = fired_outcomes(p, got), fired_outcomes(p, want)  # what is given, at which strength (endings alike are one, whichever rule gives them)
    bad = np.flatnonzero(inside & (got != want).any(axis=1))
    names = np.array([" ".join(k) for k in outcome_columns(p)])
    assert not len(bad), (key, policy, len(bad), names[got[bad[0]]].tolist(), names[want[bad[0]]].tolist())
    assert inside.any()  # the same recommendations, work-up and schedules with the same strengths
    print(f"\n{key} ({policy}): {int(inside.sum()):,} definite grid points of {grid.n:,} ({grid.n - cols.n:,} impossible), {len(p.nodes)} questions after merging")


def test_every_pathway_kind_has_a_quick_case():
    assert {k for k, p in QUICK if SIZES[k, p] <= BIG} == {q.key for q in QUESTIONS}


def test_unknown_answers_are_notes_not_branches():
    p = clinical_pathway("localized-nf", "nccn-2025")
    assert all(not b.unknown for n in p.nodes.values() for b, _ in n.edges)
    assert any(held for held, _ in p.unknown.values())


def test_treatments_given_before_are_conditions_on_the_endings():
    from pannet_guideline.pathway import Leaf, condition_text, leaf_conditions
    p = clinical_pathway("advanced-g12-progression", "seed-2025")
    assert p.conds and all(":" not in n.field for n in p.nodes.values())  # never asked as a question
    leaves = {t for n in p.nodes.values() for _, t in n.edges if isinstance(t, Leaf)}
    texts = {condition_text(p, c, p.rule(r)[1].then) for lf in leaves for r, c in zip(lf.fired, leaf_conditions(lf))}
    assert "if not given before" in texts  # for a patient who has not had it


@pytest.mark.parametrize("key,policy", [pytest.param(*k, marks=[] if k in QUICK else [pytest.mark.slow], id=f"{k[0]}-{k[1]}") for k in SIZES])
def test_every_pathway_is_drawn_in_few_parts_that_fit_the_column(key, policy):
    import re
    from pannet_guideline.pathway import FIT_PT, clinical_svgs
    p = clinical_pathway(key, policy)
    if p is None: pytest.skip("no table of this policy answers the question")
    svgs, _, _ = clinical_svgs(p)
    widths = [float(re.search(r'<svg width="([\d.]+)pt"', s)[1]) for s in svgs]
    assert len(svgs) <= 4 and max(widths) <= FIT_PT, (key, policy, len(svgs), max(widths))  # more parts than four lose a reader
    routing = [k + 1 for k, s in enumerate(svgs) if not re.search(r"<title>L(Z?\d+|[A-Z])</title>", s)]
    assert not routing, (key, policy, "parts holding only questions that route on", routing)


@pytest.fixture(scope="module")
def demo_states():
    from pannet_guideline.cohort import run_frame
    from pannet_guideline.datasets import demo_cohort
    demo = demo_cohort()
    return {p: run_frame(demo, p) for p in POLICIES}


@pytest.mark.parametrize("key,policy", [(q.key, p) for q in QUESTIONS for p in POLICIES], ids=lambda x: str(x))
def test_cohort_counts_add_up_and_match_the_tables(key, policy, demo_states):
    from pannet_guideline.pathway import _holds, clinical_counts, field_of, leaf_conditions
    p = clinical_pathway(key, policy)
    if p is None: pytest.skip("no table of this policy answers the question")
    st = demo_states[policy]
    cols = st.cols
    cc = clinical_counts(p, cols)
    assert cc["inside"] + cc["outside"] + cc["entry_unknown"] == cols.n  # rows outside the entry, or unknown, are not counted
    for i, node in p.nodes.items():  # reaching a question = the sum over its answers + those stopped there (answer unknown)
        assert cc["node"].get(i, 0) == sum(cc["edge"].get((i, k), 0) for k in range(len(node.edges))) + cc["unknown"].get(i, 0)
    assert sum(cc["leaf"].values()) + sum(cc["unknown"].values()) == cc["inside"]
    assert sum(cc["leaf"].values()) == int((cc["ending"] >= 0).sum())
    if not isinstance(p.root, int): return
    assert cc["node"][p.root] == cc["inside"]
    # the ending a row reaches gives the rules the guideline run fired for it (what `assess_frame` reports), where its conditions are known
    fired = {t.name: f for t, f in st.chapter}
    want = np.concatenate([(np.asarray(fired[t.name]).astype(np.uint64)[:, None] >> np.arange(len(t.rules), dtype=np.uint64)) & np.uint64(1)
                           for t in p.tables], axis=1).astype(bool)
    got = np.zeros_like(want)
    col = {r: j for j, r in enumerate(p.rule_ids)}
    known = np.ones(cols.n, bool)
    for name in p.crits: known &= ~cols.unknown(field_of(name))  # computable: no answer of the pathway unknown (rules on a missing field are notes)
    for k, lf in enumerate(cc["leaves"]):
        rows = np.flatnonzero(cc["ending"] == k)
        sub = cols.take(rows, tuple(dict.fromkeys(field_of(c) for c in p.conds)))
        for r, w in zip(lf.fired, leaf_conditions(lf)): got[rows, col[r]] = True if w is None else _holds(p, w, sub)
    rows = np.flatnonzero((cc["ending"] >= 0) & known)
    got, want = fired_outcomes(p, got), fired_outcomes(p, want)  # what is given, at which strength
    assert (got[rows] == want[rows]).all(), (key, policy, rows[(got[rows] != want[rows]).any(axis=1)][:5])
    assert (got[rows].sum(axis=0) == want[rows].sum(axis=0)).all()  # so the counts per recommendation agree too
    print(f"\n{key} ({policy}): {cc['inside']} patients in, {len(rows)} compared with the run")


def test_one_patient_route_is_drawn_in_red():
    from pannet_guideline.datasets import demo_cohort
    from pannet_guideline.pathway import cohort_clinical_svgs
    demo = demo_cohort()
    svgs, _, _ = cohort_clinical_svgs(demo.iloc[[0]], "workup", "seed-2025")
    assert any("#c0392b" in s for s in svgs) and "patients" not in "".join(svgs).replace("of 1 patients", "")


def test_every_recommendation_table_answers_a_clinical_question():
    from pannet_guideline.pathway import chapter_tables
    used = {n for q in QUESTIONS for n in q.tables}
    for q in QUESTIONS:
        for policy in POLICIES:
            missing = [t.name for t in chapter_tables(q.chapter, policy) if t.output != "alerts" and t.name not in used]
            assert not missing, (q.chapter, policy, missing)


@pytest.mark.parametrize("policy", POLICIES)
def test_liver_directed_therapy_is_said_on_the_endings_not_asked_under_each_answer_on_surgery(policy):
    "Symptoms, a high burden or progression add liver-directed therapy whatever the answer on resection: a condition on the endings, not three questions repeated under each."
    from pannet_guideline.pathway import Leaf, _leaf_lines
    p = clinical_pathway("advanced-local", policy)
    assert {"symptomatic", "tumor_burden", "progression"}.isdisjoint({n.field for n in p.nodes.values()})
    if policy == "nccn-2025":
        lines = {x for n in p.nodes.values() for _, lf in n.edges if isinstance(lf, Leaf) for x in _leaf_lines(p, lf)}
        assert any(x.startswith("Option, if ") and "liver-directed therapy" in x and "symptomatic" in x for x in lines), lines
