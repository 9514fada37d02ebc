"""What a reader takes from a pathway's fold header and from the notes under its chart: the header's comparison with the
other policy holds on the lines of the endings, conditions included, and a note on an unknown answer names, ending by
ending, only what that ending shows and what really waits there."""
import importlib.util
import re
import sys
from pathlib import Path

import pytest

from pannet_guideline.pathway import QUESTIONS, Leaf, _leaf_rows, clinical_pathway

ROOT = Path(__file__).resolve().parents[1]
spec = importlib.util.spec_from_file_location("build_docs", ROOT / "tools" / "build_docs.py")
build_docs = importlib.util.module_from_spec(spec)
sys.modules.setdefault("build_docs", build_docs)
spec.loader.exec_module(build_docs)

BOTH = [q.key for q in QUESTIONS if clinical_pathway(q.key, "seed-2025") and clinical_pathway(q.key, "nccn-2025")]


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
