"""A clinical pathway is its tables: following it from every definite point of the boundary grids of the tables it joins
(every combination of their known boundary values, inside the pathway's entry) reaches exactly the rules those tables fire."""
import dataclasses

import numpy as np
import pytest

from pannet_guideline.guideline import POLICIES
from pannet_guideline.pathway import QUESTIONS, _product_columns, clinical_pathway

CASES = [(q.key, p) for q in QUESTIONS for p in POLICIES]


@pytest.mark.parametrize("key,policy", CASES)
def test_pathway_reaches_what_the_tables_fire(key, policy):
    p = clinical_pathway(key, policy)
    if p is None: pytest.skip("no table of this policy answers the question")
    crits = [dataclasses.replace(c, members=[[v] for m in c.members for v in m]) for c in p.crits.values()]  # every grid value, not one per class
    cols = _product_columns(crits)
    inside = p.question.entry.frame(cols).t
    where, leaves, _ = p.follow(cols)
    got = [frozenset(leaves[i].fired) for i in where]
    want = [set() for _ in range(cols.n)]
    for t in p.tables:
        fired = t.decide_frame(cols).fired.astype(np.uint64)
        for b, r in enumerate(t.rules):
            for i in np.flatnonzero((fired >> np.uint64(b)) & np.uint64(1)): want[i].add(r.id)
    bad = [i for i in np.flatnonzero(inside) if got[i] != frozenset(want[i])]
    assert not bad, (key, policy, len(bad), got[bad[0]], want[bad[0]])
    assert inside.any()  # same rule ids, hence the same recommendations with the same strengths
    print(f"\n{key} ({policy}): {int(inside.sum()):,} definite grid points, {len(p.nodes)} questions after merging")


def test_unknown_answers_are_notes_not_branches():
    p = clinical_pathway("localized-nf", "nccn-2025")
    assert all(not b.unknown for n in p.nodes.values() for b, _ in n.edges)
    assert any(held for held, _ in p.unknown.values())
