"""What a reader takes from a pathway's fold header and from the notes under its chart: the header's comparison with the
other policy holds on the lines of the endings, conditions included, and a note on an unknown answer names, ending by
ending, only what that ending shows and what really waits there."""
import importlib.util
import re
import sys
from pathlib import Path

import pytest

from pannet_guideline.pathway import QUESTIONS, Leaf, _leaf_rows, clinical_pathway
from conftest import drawn_pathways

ROOT = Path(__file__).resolve().parents[1]
spec = importlib.util.spec_from_file_location("build_docs", ROOT / "tools" / "build_docs.py")
build_docs = importlib.util.module_from_spec(spec)
sys.modules.setdefault("build_docs", build_docs)
spec.loader.exec_module(build_docs)

BOTH = [q.key for q in QUESTIONS if {(q.key, "seed-2025"), (q.key, "nccn-2025")} <= set(drawn_pathways())]


def _endings(p):
    out = {t for n in p.nodes.values() for _, t in n.edges if isinstance(t, Leaf)}
    return out | ({p.root} if isinstance(p.root, Leaf) else set())


def _words(text):
    "A condition or strength as a set of words, so that 'progressive, symptomatic or burden high' reads as 'progressive, burden high or symptomatic'."
    return frozenset(w for w in re.split(r"[ ,]+", text.lower().replace("options", "option")) if w and w not in ("or", "and"))


def _line_items(p):
    "Every (item, strength and condition as the ending's line says them) the chart's endings show; a condition heading several lines goes with each."
    out = set()
    for lf in _endings(p):
        head = ""
        for text, _, cond in _leaf_rows(p, lf):
            if cond is None: continue  # the audit line of seed items
            if text.endswith(":"): head = text[:-1]; continue
            if ": " not in text: out.add((text.replace(" ⚠", ""), _words(head))); continue
            said, items = text.split(": ", 1)
            for item in re.split(r", |; ", items):
                out.add((item.replace(" ⚠", "").strip(), _words(said) | (_words(head) if cond else frozenset())))
    return out


@pytest.mark.parametrize("key", BOTH)
def test_a_fold_header_says_the_same_only_where_the_endings_say_the_same(key):
    """'The same items at the same strengths' is what a reader takes as 'the two policies give the same': it holds only where
    the endings' lines give the same items at the same strength under the same conditions (liver-directed therapy
    given whatever the answers is not the same as given only if progressive, symptomatic or the burden is high)."""
    a, b = clinical_pathway(key, "seed-2025"), clinical_pathway(key, "nccn-2025")
    for p, other in ((a, b), (b, a)):
        same = build_docs._differs(p, other).startswith("the same items")
        assert same == (_line_items(p) == _line_items(other)), (key, p.policy, build_docs._differs(p, other))


def test_the_liver_directed_chart_says_its_conditions_differ():
    "The seed gives liver-directed therapy whatever the answers, NCCN only if progressive, symptomatic or the tumour burden is high."
    a, b = clinical_pathway("advanced-local", "seed-2025"), clinical_pathway("advanced-local", "nccn-2025")
    assert "other conditions for liver-directed therapy" in build_docs._differs(a, b)
    assert "other conditions for liver-directed therapy" in build_docs._differs(b, a)


# ---- a note on an unknown answer is true ending by ending

import dataclasses

import numpy as np

from pannet_guideline.guideline import POLICIES
from pannet_guideline.pathway import (CONSISTENCY, effective, _leaf_lines, _lower, _product_columns, clinical_svgs, held_at_endings, item_words, leaf_conditions,
                                      field_of, possible_points, rule_label, unasked_notes, unknown_note, _holds)
from pannet_guideline.schema import Columns
from conftest import pathway_routes

pytestmark = pytest.mark.xdist_group("pathways")  # with --dist loadgroup, one worker draws the pathways once for all these tests

GRADED = {f for findings, answers, _ in CONSISTENCY for f in findings + answers}
DRAWN = drawn_pathways()
STRENGTH_WORDS = {"recommended": "Recommended", "consider": "Consider", "option": "Option"}



def _route_points(p, route):
    "The points of the tables' grids a patient of the pathway gives on one route (each class of every criterion the route allows)."
    crits = dict(p.crits)
    for n, b in route:
        c = crits[n]
        crits[n] = dataclasses.replace(c, members=[m for m in c.members if all(b.takes(v) for v in m)])
    crits = {n: dataclasses.replace(c, members=[[v] for m in c.members for v in m]) if n in GRADED else c
             for n, c in crits.items()}  # every grid value of what grading and staging tie together: a G1 beside a Ki-67 of 2 %
    cols = _product_columns(list(crits.values()))
    keep = np.flatnonzero(possible_points(cols) & p.question.entry.frame(cols).t)
    return cols.take(keep)


def _waits(p, lf, cols, field):
    "The items (label, strength) of an ending that wait at some of these points, the answer to `field` made unknown: no rule giving it fires (its condition on the ending met), and a rule giving it or the entry is undecided."
    from pannet_guideline.pathway import _encode
    probe = Columns(cols.n, {**cols.data, field: _encode(field, [None] * cols.n)})
    open_ = p.question.entry.frame(probe).unknown
    on_any, fires, undecided, decided = {}, {}, {}, {}
    for rid, cond in zip(lf.fired, leaf_conditions(lf)):
        t, r = p.rule(rid)
        k = (rule_label(t, r), r.strength or "")
        on = np.ones(cols.n, bool) if cond is None else _holds(p, cond, cols)
        if t.name not in decided: decided[t.name] = t.decide_frame(probe).fired.astype(np.uint64)
        b = [x.id for x in t.rules].index(rid)
        fired = (decided[t.name] >> np.uint64(b) & np.uint64(1)).astype(bool)
        pending = effective(t, t.rules)[b].when.frame(probe).unknown  # the rule as the table reads it (its scope, earlier rules of a first-hit table)
        on_any[k] = on_any.get(k, False) | on; fires[k] = fires.get(k, False) | (on & fired); undecided[k] = undecided.get(k, open_) | (on & pending)
    return {k for k in on_any if (on_any[k] & ~fires[k] & undecided[k]).any()}


LONG_NOTE_CHECKS = {("advanced-g3-favourable", "nccn-2025"), ("advanced-g3-unfavourable", "nccn-2025"), ("advanced-g3-favourable", "seed-2025"),
                    ("advanced-g3-unfavourable", "seed-2025"), ("localized-nf", "nccn-2025"), ("advanced-g12-progression", "nccn-2025"),
                    ("advanced-g12-first", "nccn-2025")}  # 5 to 27 s each: the full run (the notes a reader reported are checked quickly below)


@pytest.mark.parametrize("key,policy", [pytest.param(*k, marks=pytest.mark.slow) if tuple(k) in LONG_NOTE_CHECKS else k for k in DRAWN])
def test_every_item_a_note_holds_is_on_its_ending_and_waits_there(key, policy):
    """A note on an unknown answer names, ending by ending, only items that ending shows at the strength it shows them, and
    each of them really waits there: on a route to the ending, with the answer unknown, the tables fire no rule giving it and
    leave one undecided (a 1-2 cm tumour with symptoms unknown: only observation waits; the operations stay options)."""
    p = clinical_pathway(key, policy)
    _, names, notes = clinical_svgs(p)
    routes = pathway_routes(p)
    for name in list(notes) + unasked_notes(p, notes):
        note = unknown_note(p, name, names)
        for lf, items in held_at_endings(p, name).items():
            lines = [x.lower() for x in _leaf_lines(p, lf)]
            waiting = set().union(*(_waits(p, lf, _route_points(p, [(n, b) for n, b in r if n != name]), field_of(name))
                                    for leaf, r in routes if leaf == lf))
            for label, strength, cond in items:
                shown = [x for x in lines if label.lower() in x]
                assert shown, (key, policy, name, names.get(lf), label, lines)
                if strength in STRENGTH_WORDS:  # on a line of its strength, or below a heading that opens its lines
                    assert any(x.startswith(strength[:6]) for x in shown) or any(x.startswith(strength[:6]) for x in lines), (key, policy, name, label, strength, lines)
                assert (label, strength) in waiting, (key, policy, name, names.get(lf), label, strength)
            if names.get(lf): assert names[lf] in note, (key, policy, name, note)


def test_the_notes_a_reader_found_misleading_say_what_waits_where():
    "Symptoms unknown at a 1-2 cm NCCN tumour hold observation alone; under the insulinoma chart an unknown carcinoid syndrome holds nothing the chart shows; a PRRT note names its line."
    p = clinical_pathway("localized-nf", "nccn-2025")
    _, names, notes = clinical_svgs(p)
    note = unknown_note(p, "symptomatic", names)
    band = next(letter for lf, letter in names.items() if "NCCN-LOC-NF-1TO2-OBSERVE" in lf.fired and "NCCN-LOC-NF-1TO2-RESECT" in lf.fired)  # over 1 cm up to 2 cm
    assert f"at ending {band}, active surveillance (option)" in note, note
    p = clinical_pathway("functional-insulinoma", "nccn-2025")
    _, names, notes = clinical_svgs(p)
    note = unknown_note(p, "carcinoid_syndrome", names)
    assert "Peri-operative octreotide" not in note and "(recommended)" not in note, note
    p = clinical_pathway("advanced-g12-progression", "nccn-2025")
    _, names, notes = clinical_svgs(p)
    assert "PRRT (consider, if neither PRRT nor somatostatin analogue was given before)" in unknown_note(p, "ki67_pct", names)


# ---- one strength for watching a small MEN1 tumour

MEN1_SMALL = dict(differentiation="well", ki67_pct=2.0, mitoses_per_2mm2=1, tumor_size_cm=1.5, local_invasion="none", nodal_status="N0",
                  metastatic_sites="none", resectable="yes", functional_syndrome="none", carcinoid_syndrome=False, symptomatic=False,
                  sstr_status="positive", hereditary_syndrome="MEN1", age_years=45, multifocal=False, near_main_duct=False, prior_therapies="none")


def test_a_small_men1_tumour_is_watched_at_one_strength_on_both_charts():
    """NCCN treats a germline carrier's tumour once it reaches a size of concern (PanNET-2 note f), 2 cm for MEN1 (2019 review):
    below it, watching is recommended, not one of the three unranked options of a sporadic 1-2 cm tumour. The patient is given
    active surveillance at one strength, the localised and the hereditary chapters each give it so, and both charts show it so."""
    import pandas as pd
    from pannet_guideline.guideline import assess
    from pannet_guideline.pathway import _state, clinical_counts
    a = assess(MEN1_SMALL, "nccn-2025")
    from pannet_guideline.guideline import chapter_tables
    from pannet_guideline.localized import TABLES as LOCALISED
    watched = [r for r in a.recommendation_list if r.code == "ACTIVE_SURVEILLANCE"]
    assert [r.strength for r in watched] == ["recommended"], watched
    rules = {r.id: (t, r) for t in chapter_tables("nccn-2025") for r in t.rules}
    rule_ids = a.rule_ids.split(";") if isinstance(a.rule_ids, str) else a.rule_ids
    by_chapter = {("localised" if t in LOCALISED else t.name): r.strength for rid in rule_ids if rid in rules
                  for t, r in [rules[rid]] if r.then == "ACTIVE_SURVEILLANCE" and r.strength == "recommended"}
    assert set(by_chapter) == {"localised", "hereditary_men1_nccn"}, by_chapter  # each chapter gives it at that strength itself
    cols = _state(pd.DataFrame([MEN1_SMALL]), "nccn-2025", "who-2019", "ajcc-8")
    for key in ("localized-nf", "hereditary"):
        p = clinical_pathway(key, "nccn-2025")
        counts = clinical_counts(p, cols)
        lf = counts["leaves"][counts["ending"][0]]
        lines = _leaf_lines(p, lf)
        assert any(x.startswith("Recommended") and "active surveillance" in x for x in lines), (key, lines)
        assert not any(x.startswith("Option") and "active surveillance" in x for x in lines), (key, lines)


# ---- after a resection, no tumour is watched

@pytest.mark.parametrize("policy", POLICIES)
def test_the_chart_after_resection_asks_nothing_of_watching_and_gives_one_schedule(policy):
    """'Watching is an option' is written by the localised chapter only for a tumour still in place: after a resection no one
    can answer it, so the chart does not ask it, and each ending gives one follow-up schedule, as the page says."""
    p = clinical_pathway("followup-resected", policy)
    assert "surveillance_listed" not in {n.field for n in p.nodes.values()}
    for lf in _endings(p):
        schedules = [x for x in _leaf_lines(p, lf) if x.startswith("Follow-up schedule")]
        assert len(schedules) == 1, (policy, _leaf_lines(p, lf))


def test_a_resected_tumour_is_never_listed_for_watching():
    "The flag is held to the answers that write it: no rule of the localised chapter lists surveillance once the tumour is resected."
    import pandas as pd
    from pannet_guideline.tables import columns_from_canonical
    base = dict(disease_setting="localized", nen_class="NET", who_grade="G1", ki67_pct=1.0, functional_syndrome="none",
                carcinoid_syndrome=False, tumor_size_cm=0.8, t_category="T1", n_category="N0", symptomatic=False, surveillance_listed=True)
    rows = pd.DataFrame([{**base, "prior_therapies": ("PANCREATECTOMY",)}, {**base, "prior_therapies": ("ENUCLEATION",)},
                         {**base, "prior_therapies": ()}], dtype=object)
    assert possible_points(columns_from_canonical(rows)).tolist() == [False, False, True]
