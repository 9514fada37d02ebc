"""A clinical pathway hides none of the conditions its rules need. What the rules test beyond whom the pathway is for is asked
on the route or written on the ending (test_clinical_pathways: following the chart from every point of the tables' grids
inside the entry gives what the tables give there, whatever the answers the chart does not ask); so the top box must name
every field the entry reads, and the note on an unknown answer must say only what holds on every route it names."""
import dataclasses
import re

import numpy as np
import pytest

from pannet_guideline.guideline import POLICIES
from pannet_guideline.logic import Always
from pannet_guideline.pathway import QUESTIONS, Leaf, _product_columns, clinical_pathway, clinical_svgs, note_endings, unknown_note
from pannet_guideline.schema import FIELDS
from conftest import pathway_routes

pytestmark = pytest.mark.xdist_group("pathways")  # with --dist loadgroup, one worker draws the pathways once for all these tests

# How a box of a chart names a field without naming the field itself: by the values a reader knows it by.
NAMED_BY = {
    "disease_setting": ("localised", "advanced"),
    "nen_class": ("NET", "NEC", "MiNEN"),
    "who_grade": ("G1", "G2", "G3"),
    "ki67_pct": ("Ki-67",),
    "sstr_status": ("SSTR",),
    "progression": ("stable", "progressing", "progression"),
    "functional_syndrome": ("functioning", "insulinoma", "gastrinoma", "glucagonoma", "VIPoma", "hormone syndrome"),
    "carcinoid_syndrome": ("carcinoid syndrome", "functioning", "insulinoma", "gastrinoma", "glucagonoma", "VIPoma"),
    "prior_therapies": ("resected", "surveillance"),
}

CASES = [pytest.param(q.key, p, id=f"{q.key}-{p}") for q in QUESTIONS for p in POLICIES]



@pytest.mark.parametrize("key,policy", CASES)
def test_the_top_box_names_every_field_whom_the_pathway_is_for_reads(key, policy):
    "A condition of the entry is said where the reader starts: the SSTR scan of a NET G3 is not folded silently into 'Ki-67 below 55 %'."
    p = clinical_pathway(key, policy)
    if p is None: pytest.skip("no table of this policy answers the question")
    entry = p.question.entry
    if type(entry) is Always: return
    words = entry.text
    for f in entry.fields:
        names = NAMED_BY.get(f, (FIELDS[f].label,))
        assert any(re.search(rf"(?i)\b{re.escape(n)}", words) for n in names), (key, policy, f, words)


@pytest.mark.parametrize("key,policy", CASES)
def test_a_note_that_the_pathway_may_not_apply_holds_on_every_route_it_names(key, policy):
    "'It is not known whether this pathway applies' is said of an unknown answer only where, on every route it names, the entry then is unknown."
    p = clinical_pathway(key, policy)
    if p is None: pytest.skip("no table of this policy answers the question")
    _, names, notes = clinical_svgs(p)
    for name in notes:
        if ":" in name or "it is not known whether this pathway applies" not in unknown_note(p, name, names): continue
        letters = set(note_endings(p, name, names))
        for leaf, route in pathway_routes(p):
            if names.get(leaf) not in letters: continue
            crits = dict(p.crits)
            for n, b in route:
                if n == name: continue
                c = crits[n]
                crits[n] = dataclasses.replace(c, members=[m for m in c.members if all(b.takes(v) for v in m)])
            crits[name] = dataclasses.replace(crits[name], members=[[None]])
            grid = [c for n, c in crits.items() if n not in p.conds]
            cols = _product_columns(grid)
            inside = p.question.entry.frame(cols).t
            assert not inside.any(), (key, policy, name, names[leaf], "the pathway applies whatever this answer")


def test_the_net_g3_chart_below_55_asks_the_sstr_scan():
    "Below Ki-67 55 % the SSTR scan splits favourable from unfavourable: the chart asks it, and SSA and PRRT are given only after 'positive'."
    for policy in POLICIES:
        p = clinical_pathway("advanced-g3-favourable", policy)
        asked = [n for n in p.nodes.values() if n.field == "sstr_status"]
        assert asked, policy
        for leaf, route in pathway_routes(p):
            if any(r in leaf.fired for r in ("ADV-G3F-SSA", "ADV-G3F-PRRT")):
                assert any(n == "sstr_status" and b.takes("positive") and not b.takes("negative") for n, b in route), (policy, leaf.fired)
