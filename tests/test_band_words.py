"""A band of values is said as a reader says it: a band whose two ends meet is one value ("exactly 2 cm"), never
"from 2 cm up to 2 cm"; checked on every text the tables, their alerts, the localised prose and the pathway charts write."""
import re

import pytest

from pannet_guideline.audit import all_tables, note_words, when_words
from pannet_guideline.guideline import POLICIES
from pannet_guideline.pathway import QUESTIONS, _interval_text, branch_text, clinical_pathway, condition_words
from pannet_guideline.vocab import ALERTS, RECOMMENDATIONS

pytestmark = pytest.mark.xdist_group("pathways")  # with --dist loadgroup, one worker draws the pathways once for all these tests

# the same value (a number with its unit) written as both ends of one band
SAME_ENDS = re.compile(r"(?:from|over|above|between|≥|>)\s*(\d+(?:\.\d+)?\s*(?:cm|mm|%|years?)?)\s*(?:up to|to|and|-|–|and ≤|and <)\s*\1(?![\d.])")


def _texts():
    for t in all_tables():
        yield t.name, t.title
        for r in t.rules:
            yield r.id, when_words(t, r)
            yield r.id, condition_words(r.when)
            if r.note: yield r.id, note_words(r.note)
    for code, a in ALERTS.items(): yield code, f"{a.label}. {a.text}"
    for code, v in RECOMMENDATIONS.items(): yield code, f"{v.label}. {v.text}"
    from pannet_guideline.localized import LOCALIZED_PROSE, localized_prose
    for passage in LOCALIZED_PROSE:
        for policy in POLICIES: yield f"prose {passage} {policy}", localized_prose(passage, policy)


def test_the_pattern_finds_a_band_whose_ends_meet():
    assert SAME_ENDS.search("from 2 cm up to 2 cm: seed")
    assert SAME_ENDS.search("≥ 2 and ≤ 2 cm")
    assert not SAME_ENDS.search("from 1 cm up to 2 cm")
    assert not SAME_ENDS.search("from 2 cm up to 20 cm")


def test_no_text_of_the_tables_says_a_band_whose_ends_meet():
    bad = [(k, m[0]) for k, text in _texts() for m in [SAME_ENDS.search(text)] if m]
    assert not bad, bad[:5]


def test_a_band_of_one_value_reads_exactly():
    assert _interval_text(2.0, True, 2.0, True, "cm") == "exactly 2 cm"
    assert _interval_text(1.0, False, 2.0, True, "cm") == "> 1 and ≤ 2 cm"


@pytest.mark.parametrize("policy", POLICIES)
def test_no_answer_on_a_chart_says_a_band_whose_ends_meet(policy):
    for q in QUESTIONS:
        p = clinical_pathway(q.key, policy)
        if p is None: continue
        for n in p.nodes.values():
            for b, _ in n.edges:
                text = branch_text(b, n.field.split(":")[0])
                assert not SAME_ENDS.search(text), (q.key, policy, text)
