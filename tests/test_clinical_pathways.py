"""A clinical pathway is its tables: following it from every definite point of the boundary grids of the tables it joins
(every combination of their known boundary values, inside the pathway's entry) reaches exactly the rules those tables fire,
the conditions written on its endings (treatments given before) read on each point."""
import dataclasses

import numpy as np
import pytest

from pannet_guideline.guideline import POLICIES
from pannet_guideline.pathway import QUESTIONS, _product_columns, clinical_pathway

BIG = 1_000_000  # grid points above which a case is left to the full run


def _grid(p):
    return [dataclasses.replace(c, members=[[v] for m in c.members for v in m]) for c in p.crits.values()]  # every grid value, not one per class


def _size(key, policy):
    p = clinical_pathway(key, policy)
    return 0 if p is None else int(np.prod([len(c.members) for c in _grid(p)]))


CASES = [pytest.param(q.key, p, marks=[pytest.mark.slow] if _size(q.key, p) > BIG else [], id=f"{q.key}-{p}")
         for q in QUESTIONS for p in POLICIES]


@pytest.mark.parametrize("key,policy", CASES)
def test_pathway_reaches_what_the_tables_fire(key, policy):
    p = clinical_pathway(key, policy)
    if p is None: pytest.skip("no table of this policy answers the question")
    cols = _product_columns(_grid(p))
    inside = p.question.entry.frame(cols).t
    got = p.reached(cols)
    want = np.concatenate([(t.decide_frame(cols).fired.astype(np.uint64)[:, None] >> np.arange(len(t.rules), dtype=np.uint64)) & np.uint64(1)
                           for t in p.tables], axis=1).astype(bool)
    bad = np.flatnonzero(inside & (got != want).any(axis=1))
    ids = np.array(p.rule_ids)
    assert not len(bad), (key, policy, len(bad), ids[got[bad[0]]].tolist(), ids[want[bad[0]]].tolist())
    assert inside.any()  # same rule ids, hence the same recommendations with the same strengths
    print(f"\n{key} ({policy}): {int(inside.sum()):,} definite grid points of {cols.n:,}, {len(p.nodes)} questions after merging")


def test_every_pathway_kind_has_a_quick_case():
    quick = {k for k, p in [(q.key, p) for q in QUESTIONS for p in POLICIES] if clinical_pathway(k, p) is not None and _size(k, p) <= BIG}
    assert quick == {q.key for q in QUESTIONS}


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
    assert "unless given before" in texts
