"""What rests only on seed statements the seed audit does not confirm is marked where a reader meets it: on the pathway
endings, in the rule rows; and the notes on unknown answers say which endings they concern."""
import pytest

from pannet_guideline.audit import doubt_html
from pannet_guideline.evidence import STATEMENTS
from pannet_guideline.guideline import chapter_tables
from pannet_guideline.pathway import DOUBT, Leaf, _leaf_lines, clinical_pathway, clinical_svgs, note_endings, unknown_note

pytestmark = pytest.mark.xdist_group("pathways")  # with --dist loadgroup, one worker draws the pathways once for all these tests


def _rule(rid):
    return next(r for t in chapter_tables("seed-2025") for r in t.rules if r.id == rid)


def _endings(key, policy):
    p = clinical_pathway(key, policy)
    return p, [_leaf_lines(p, t) for n in p.nodes.values() for _, t in n.edges if isinstance(t, Leaf) and t.fired]


def test_seed_follow_up_after_surgery_is_marked_wrong_on_its_endings():
    "Seed item 34 (audited 'wrong') is the only citation of the seed's schedule after surgery: every ending giving it says so."
    assert STATEMENTS["seed.34"].verdict == "wrong" and _rule("FU-SEED-AFTER-SURGERY").cites == ("seed.34",)
    _, endings = _endings("followup-resected", "seed-2025")
    giving = [e for e in endings if any("seed item 34)" in x for x in e)]
    assert giving and all(any(x.startswith(f"{DOUBT} audit of seed item 34: wrong") for x in e) for e in giving)


def test_seed_baseline_markers_are_marked_and_nccn_endings_are_not():
    "Chromogranin A and 5-HIAA for everyone rest on seed item 3 alone (outdated, partly wrong); NCCN's endings carry no mark."
    _, endings = _endings("workup", "seed-2025")
    assert endings and all(any("chromogranin A" in x and x.rstrip().endswith(DOUBT) for x in e) for e in endings)
    assert all(any("seed item 3: outdated, partly wrong" in x for x in e) for e in endings)
    for key in ("workup", "followup-resected"):
        _, endings = _endings(key, "nccn-2025")
        assert not any(DOUBT in x for e in endings for x in e)


def test_an_item_other_sources_back_is_not_marked():
    "Histology is cited from the seed (vague) and from WHO 2019: it is not marked, in the ending or in its rule row."
    assert doubt_html(_rule("WU-HISTOLOGY")) == ""
    assert "seed item 34 audited as wrong" in doubt_html(_rule("FU-SEED-AFTER-SURGERY"))


def test_unknown_notes_name_the_endings_below_the_question():
    "A note on an unknown answer names the endings below the questions that ask it, and holds only what those endings give."
    p = clinical_pathway("localized-nf", "seed-2025")
    _, names, notes = clinical_svgs(p)
    for name in notes:
        letters = note_endings(p, name, names)
        assert letters and set(letters) <= set(names.values())
        note = unknown_note(p, name, names)
        assert f"ending{'s' if len(letters) > 1 else ''} " in note, note
    size = unknown_note(p, "tumor_size_cm", names)
    assert "pancreatectomy" in size and "active surveillance" not in size  # below the size question only the operation waits on it
