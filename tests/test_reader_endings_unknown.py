"""What the endings of a chart say, as a clinician reads them: a test given only while an answer is missing is a line of
the ending under that condition; a condition every patient reaching an ending meets is not written there; a chart for
patients who all have a hormone syndrome never answers 'none'; and a question's box says of the patients whose answer is
unknown what the note under the chart says of them."""
import dataclasses
import re

import numpy as np
import pytest

from pannet_guideline.guideline import POLICIES
from pannet_guideline.pathway import (QUESTIONS, _edge_names, _ending_html, _holds, _leaf_rows, _product_columns, _route_points,
                                      clinical_counts, clinical_pathway, clinical_svgs, field_of, fired_outcomes, leaf_conditions, pathway_criteria,
                                      possible_points)
from conftest import pathway_routes

pytestmark = pytest.mark.xdist_group("pathways")  # with --dist loadgroup, one worker draws the pathways once for all these tests

MISSING_ONLY = ("ki67_pct", "sstr_status", "differentiation", "mitoses_per_2mm2")  # the work-up chart asks none of them


def _endings(p):
    return list(dict.fromkeys(lf for lf, _ in pathway_routes(p)))


def _fired(p, cols):
    "Rows x rule ids: what the pathway's tables fire on each row."
    return np.concatenate([(t.decide_frame(cols).fired.astype(np.uint64)[:, None] >> np.arange(len(t.rules), dtype=np.uint64)) & np.uint64(1)
                           for t in p.tables], axis=1).astype(bool)


@pytest.mark.parametrize("policy", POLICIES[:2])
def test_workup_endings_list_the_tests_given_while_an_answer_is_missing(policy):
    "SSTR PET and the histology with Ki-67 are lines of the endings, under 'if ... not yet ...', drawn below the dashed line on white."
    p = clinical_pathway("workup", policy)
    endings = _endings(p)
    for lf in endings:
        rows = _leaf_rows(p, lf)
        histology = [(t, c) for t, _, c in rows if "histology" in t.lower()]
        assert histology and all(c is True for _, c in histology), rows  # every patient may still lack the Ki-67
        assert re.search(r"\bif Ki-67\b[^:]* not yet (measured|known)", histology[0][0]), histology
        html = _ending_html(p, lf, "A")
        white = html[html.index('STYLE="dashed"'):]  # what holds only under its condition: below the dashed line
        assert "histology" in white.lower()
    sstr = [t for lf in endings for t, _, c in _leaf_rows(p, lf) if "somatostatin-receptor PET" in t and c is True]
    assert sstr and all("no SSTR imaging result yet" in t for t in sstr)
    assert any(t.startswith("Tests, if NET and no SSTR imaging result yet") for t in sstr)  # an NEC reaches the same ending without it


@pytest.mark.parametrize("policy", POLICIES[:2])
def test_the_workup_chart_gives_what_the_tables_give_when_those_answers_are_missing(policy):
    "On every point of the grid with those answers missing too (one or several), the ending reached, its conditions read, gives what the tables fire."
    p = clinical_pathway("workup", policy)
    crits = [dataclasses.replace(c, members=[[v] for m in c.members for v in m if v is not None] + ([[None]] if n in MISSING_ONLY else []))
             for n, c in p.crits.items()]
    grid = _product_columns(crits)
    cols = grid.take(np.flatnonzero(possible_points(grid) & p.question.entry.frame(grid).t))
    missing = np.logical_or.reduce([cols.unknown(f) for f in MISSING_ONLY])
    got, want = fired_outcomes(p, p.reached(cols)), fired_outcomes(p, _fired(p, cols))
    assert missing.any() and (got == want).all()
    for rid in ("WU-SSTR-PET", "WU-HISTOLOGY"):
        j = p.rule_ids.index(rid)
        assert (p.reached(cols)[:, j] == _fired(p, cols)[:, j]).all() and _fired(p, cols)[missing, j].any()


@pytest.mark.parametrize("key,policy", [("functional-other", "seed-2025"), ("functional-other", "nccn-2025"), ("hereditary", "nccn-2025"),
                                        ("advanced-g12-first", "nccn-2025"), ("localized-f", "nccn-2025")])
def test_a_condition_on_an_ending_holds_for_some_but_not_all_patients_reaching_it(key, policy):
    "A condition every patient reaching the ending meets says nothing there and is not written; a line no patient reaching it meets is not drawn."
    p = clinical_pathway(key, policy)
    cols, ending = _route_points(p)
    for lf in dict.fromkeys(ending):
        sub = cols.take(np.flatnonzero([e == lf for e in ending]))
        for rid, cond in zip(lf.fired, leaf_conditions(lf)):
            if cond is None: continue
            holds = _holds(p, cond, sub)
            assert holds.any() and not holds.all(), (key, policy, rid, cond)


def test_first_line_keeps_if_not_given_before_where_a_stable_patient_may_have_had_it():
    "Stable disease is not always untreated: oxaliplatin-fluoropyrimidine is offered only if not given before (ADV-NCCN-FOLFOX), so the line keeps its condition."
    from pannet_guideline import assess
    p = clinical_pathway("advanced-g12-first", "nccn-2025")
    patient = dict(differentiation="well", ki67_pct=12, metastatic_sites="liver", resectable=False, progression="stable", symptomatic=True,
                   tumor_burden="high", sstr_status="positive", functional_syndrome="none", carcinoid_syndrome=False, prior_therapies="none")
    assert "OXALIPLATIN_FLUOROPYRIMIDINE" in assess(patient, "nccn-2025").recommendations
    assert "OXALIPLATIN_FLUOROPYRIMIDINE" not in assess({**patient, "prior_therapies": "OXALIPLATIN_FLUOROPYRIMIDINE"}, "nccn-2025").recommendations
    lines = [t for lf in _endings(p) for t, _, _ in _leaf_rows(p, lf) if "oxaliplatin" in t]
    assert lines and all("if not given before" in t for t in lines)


HORMONE_ONLY = [(q.key, pol) for q in QUESTIONS for pol in POLICIES
                if q.entry.record({"functional_syndrome": "none", "carcinoid_syndrome": False}) is False and pathway_criteria(q.key, pol) is not None]


@pytest.mark.parametrize("key,policy", HORMONE_ONLY)
def test_a_chart_for_hormone_syndromes_never_answers_none(key, policy):
    "Everyone in the pathway has a hormone syndrome: 'no functional syndrome' is carcinoid syndrome alone, and the chart says so."
    p = clinical_pathway(key, policy)
    for node in p.nodes.values():
        if field_of(node.field) != "functional_syndrome": continue
        question, answers = _edge_names(p, node)
        assert question != "Functional syndrome?" and not any(re.search(r"\bnone\b", a) for a in answers), (key, policy, question, answers)
    lines = " ".join(t for lf in _endings(p) for t, _, _ in _leaf_rows(p, lf))
    assert "no hormone syndrome" not in lines and "if none" not in lines


def test_the_localised_functioning_chart_asks_which_hormone_syndrome():
    p = clinical_pathway("localized-f", "nccn-2025")
    asked = [_edge_names(p, n) for n in p.nodes.values() if n.field == "functional_syndrome"]
    assert asked and asked[0][0] == "Hormone syndrome?" and "carcinoid syndrome only" in asked[0][1]
    assert ("localized-f", "nccn-2025") in HORMONE_ONLY


@pytest.fixture(scope="module")
def demo_states():
    from pannet_guideline.cohort import run_frame
    from pannet_guideline.datasets import demo_cohort
    demo = demo_cohort()
    return {p: run_frame(demo, p) for p in POLICIES[:2]}


@pytest.mark.parametrize("key,policy", [("workup", "seed-2025"), ("workup", "nccn-2025"), ("functional-other", "seed-2025"),
                                        ("advanced-g12-first", "seed-2025")])
def test_a_question_says_of_unknown_answers_what_its_note_says(key, policy, demo_states):
    "Where the note says nothing waits and the tables give the endings of one answer, the patients go on along it and reach what the run gives them; elsewhere they stop, and the box names what waits."
    from pannet_guideline.pathway import unknown_stop
    p = clinical_pathway(key, policy)
    st = demo_states[policy]
    cols = st.cols
    cc = clinical_counts(p, cols)
    assert not set(cc["read_as"]) & set(cc["unknown"])
    svgs, _, _ = clinical_svgs(p, counts=cc)
    text = " ".join(re.sub(r"<[^>]+>", " ", s) for s in svgs)
    assert "(stopped here)" not in text
    for i in cc["read_as"]: assert unknown_stop(p, i).startswith("read as “")
    for i in cc["unknown"]: assert unknown_stop(p, i).startswith("stopped here")
    # the patients read as an answer (that answer alone unknown) reach what the guideline run fired for them
    read = {p.nodes[i].field for i in cc["read_as"]}
    unknown = {n: cols.unknown(field_of(n)) for n in p.crits}
    alone = (np.sum(list(unknown.values()), axis=0) == 1) & np.logical_or.reduce([unknown[n] for n in read] or [np.zeros(cols.n, bool)])
    rows = np.flatnonzero(alone & (cc["ending"] >= 0))
    fired = {t.name: f for t, f in st.chapter}
    want = np.concatenate([(np.asarray(fired[t.name]).astype(np.uint64)[:, None] >> np.arange(len(t.rules), dtype=np.uint64)) & np.uint64(1)
                           for t in p.tables], axis=1).astype(bool)
    got = np.zeros_like(want)
    col = {r: j for j, r in enumerate(p.rule_ids)}
    for k, lf in enumerate(cc["leaves"]):
        at = rows[cc["ending"][rows] == k]
        for r, w in zip(lf.fired, leaf_conditions(lf)): got[at, col[r]] = True if w is None else _holds(p, w, cols.take(at))
    assert (fired_outcomes(p, got)[rows] == fired_outcomes(p, want)[rows]).all()
    if key == "workup": assert len(rows) and cc["read_as"]  # the demo cohort has patients whose progression is not recorded
