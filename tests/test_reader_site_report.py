"""What a clinical reader of the site and of a cohort report trips over: a note on the treatment history that lists every
drug at every ending, answers whose labels cannot be told apart where two arrows cross, an item the source does not give
shown as if it did, a box that hides what waits behind a count, and parts numbered differently on the site and in a report."""
import re

import pytest

from pannet_guideline.guideline import POLICIES
from pannet_guideline.pathway import (GIVEN_BEFORE_REASON, OWN_MARK, QUESTIONS, Leaf, _leaf_lines, clinical_counts, clinical_dot,
                                      clinical_pathway, clinical_svgs, fills_a_gap, held_at_endings, item_words, own_reading_notes,
                                      own_readings, pathway_parts, site_cut, unasked_lines, unknown_stop)

from conftest import drawn_pathways

pytestmark = pytest.mark.xdist_group("pathways")  # with --dist loadgroup, one worker draws the pathways once for all these tests

DRAWN = drawn_pathways()


def _history_notes(key, policy):
    p = clinical_pathway(key, policy)
    _, names, notes = clinical_svgs(p)
    return p, names, [x for why, said in unasked_lines(p, notes, names) if why == GIVEN_BEFORE_REASON for x in said]


# ---- 1. the treatment history: one sentence and its exceptions, the full listing kept

def test_the_history_note_of_the_nccn_progression_chart_is_one_sentence():
    "Eight treatments held at eight endings: the note says what the held lines share and names the one exception (the analogue, recommended whichever the history is, yet held by the tables)."
    p, names, notes = _history_notes("advanced-g12-progression", "nccn-2025")
    assert len(notes) == 1
    note = notes[0]
    assert len(note) < 700, note  # it was some 3,900 characters, every drug at every ending
    assert "each line marked with a treatment given before" in note and "waits until the treatment history is known" in note
    assert re.search(r"somatostatin analogue \(recommended\) at endings [A-H] and [A-H]", note), note
    assert "cabozantinib (option" not in note  # a line marked 'if not given before' is not listed again


@pytest.mark.parametrize("key,policy", DRAWN)
def test_a_summed_up_history_note_drops_no_fact(key, policy):
    "Every item that waits at an ending while a treatment of the history is unknown is named in the folded listing (or the ending is said to hold back all it gives)."
    from pannet_guideline.pathway import _ending_items
    p, names, notes = _history_notes(key, policy)
    if not any(note.detail for note in notes): return
    listing = " ".join(note.detail or note for note in notes)  # a treatment's items are in its own note's listing
    for note in notes:
        drugs = re.match(r"If it is unknown whether (.*) was given before", note)[1]
        assert drugs in (note.detail or note)
    for name in [n for n in p.crits if ":" in n]:
        held = held_at_endings(p, name)
        if not held or not any(lf in names for lf in held): continue
        for lf, items in held.items():
            if lf not in names: continue
            if set(items) == set(_ending_items(p, lf)):  # all it gives: said of the ending, by its letter
                assert re.search(rf"at endings? [^;]*\b{names[lf]}\b[^;]*, all (they give|it gives)", listing), (key, policy, names[lf])
                continue
            for item in items: assert item_words(item) in listing, (key, policy, names[lf], item)


@pytest.mark.parametrize("key,policy", DRAWN)
def test_a_history_note_is_true_of_every_marked_line(key, policy):
    "The sentence 'each line marked with a treatment given before waits' holds at every ending: no such line is left out of what waits."
    from pannet_guideline.pathway import _history_lines
    p, names, notes = _history_notes(key, policy)
    for note in notes:
        if not note.detail: continue
        held = {}
        for name in [n for n in p.crits if ":" in n]:
            for lf, items in held_at_endings(p, name).items(): held.setdefault(lf, set()).update(items)
        for lf in names: assert _history_lines(p, lf) <= held.get(lf, set()), (key, policy, names[lf])


# ---- 2. answers into a box several questions lead into sit on their own arrows, in order

def _dots(p):
    budget, width = site_cut(p)
    names, notes = {}, {}
    return [clinical_dot(p, k, names, notes, budget, None, width) for k in range(len(pathway_parts(p, budget, width)))]


@pytest.mark.parametrize("key,policy", DRAWN)
def test_an_answer_into_a_shared_box_is_never_a_midway_label(key, policy):
    "Two questions leading into the same ending cross on the way (the work-up chart's two 'WHO grade?'): an answer drawn midway sits beside the other arrow's. Each such answer is a box on its own arrow, just below its question."
    for dot in _dots(clinical_pathway(key, policy)):
        assert "ordering=out" in dot  # a question's answers leave it in their order
        into = {}
        for src, dst in re.findall(r"^  (N\d+|A\d+_\d+) -> (\w+) \[", dot, flags=re.M):
            if src.startswith("N") and not dst.startswith("A"): into.setdefault(dst, []).append(src)
            if src.startswith("A"): into.setdefault(dst, []).append(src)
        for dst, srcs in into.items():
            if len(srcs) < 2: continue
            assert all(s.startswith("A") for s in srcs), (key, policy, dst, srcs)
            for s in srcs: assert re.search(rf"^  {s} \[shape=plaintext.*label=", dot, flags=re.M)


def test_the_work_up_grade_answers_are_each_on_their_arrow():
    "The reader's case: the advanced-disease 'WHO grade?' answer (the grades other than G1 or G2) leads into an ending other arrows enter too, so it is a label box joined to its own question, not a midway label; the localised question, asked under 'NET?' where no NEC or MiNEN is, names G3 alone."
    p = clinical_pathway("workup", "seed-2025")
    dot = "\n".join(_dots(p))
    assert re.search(r'^  N\d+ -> N\d+ \[label="G3"\]', dot, flags=re.M)
    for answer in (r"other than G1 or\\nG2",):
        boxes = re.findall(rf'^  (A\d+_\d+) \[shape=plaintext[^\n]*label="{answer}"', dot, flags=re.M)
        assert boxes, answer
        for b in boxes: assert re.search(rf"^  N\d+ -> {b} \[arrowhead=none", dot, flags=re.M)


# ---- 3. an item the source does not give is marked, and said why

def test_a_symptomatic_tumour_of_1_cm_or_less_is_marked_not_in_nccn():
    "NCCN writes observation only for a tumour of 1 cm or less and no branch for symptoms (localized.nccn-symptomatic-unwritten): the operations the package lists there are its own reading, marked on the chart and said in a footnote."
    p = clinical_pathway("localized-nf", "nccn-2025")
    _, names, _ = clinical_svgs(p)
    gap = [lf for lf in names if "NCCN-LOC-NF-LE1-SYMPTOMATIC" in lf.fired]
    assert gap and all(any(OWN_MARK in x for x in _leaf_lines(p, lf)) for lf in gap)
    sourced = [lf for lf in names if "NCCN-LOC-NF-1TO2-RESECT" in lf.fired]  # over 1 cm up to 2 cm: NCCN's own options
    assert sourced and not any(OWN_MARK in x for lf in sourced for x in _leaf_lines(p, lf))
    notes = own_reading_notes(p, names)
    assert any("NCCN-LOC-NF-LE1-SYMPTOMATIC)" in x and x.startswith(f"{OWN_MARK} Not in the source") for x in notes), notes


@pytest.mark.parametrize("key,policy", DRAWN)
def test_an_item_is_marked_exactly_where_only_a_gap_filling_rule_gives_it(key, policy):
    p = clinical_pathway(key, policy)
    _, names, _ = clinical_svgs(p)
    from pannet_guideline.pathway import rule_label
    for lf in names:
        own, by_label = own_readings(p, lf), {}
        for rid in lf.fired: by_label.setdefault(rule_label(*p.rule(rid)), []).append(rid)
        for label, ids in by_label.items():  # marked: every rule of the ending that gives it fills a gap of the source
            assert (label in own) == all(fills_a_gap(p.rule(i)[1]) for i in ids), (key, policy, names[lf], label)
        assert bool(own) == any(OWN_MARK in x for x in _leaf_lines(p, lf)), (key, policy, names[lf])


# ---- 4. a stopped question names every item that waits

@pytest.mark.parametrize("key,policy", DRAWN)
def test_a_stopped_question_names_every_waiting_item(key, policy):
    "'clinical trial, somatostatin analogue, observation and 8 more wait' hides eight names: every item is named."
    from pannet_guideline.pathway import _leaves_below, _lower
    p = clinical_pathway(key, policy)
    for i, node in p.nodes.items():
        said = unknown_stop(p, i)
        assert not re.search(r"\band \d+ more\b", said), (key, policy, said)
        if said.startswith("read as"): continue
        below = _leaves_below(p, i)
        for lf, items in held_at_endings(p, node.field).items():
            if lf in below:
                for item in items: assert _lower(item[0]) in said, (key, policy, item, said)


# ---- 6. parts numbered alike on the site and in a report

@pytest.mark.parametrize("key,policy", [("advanced-g12-first", "nccn-2025"), ("workup", "seed-2025"), ("workup", "nccn-2025")])
def test_a_report_cuts_a_pathway_into_the_parts_of_the_site(key, policy):
    "The reader counted 'part 1 of 4' on the site and 'part 1 of 5' in the report (NCCN first line), 1 and 3 parts for the work-up: the report draws the site's parts, its counts on them."
    from pannet_guideline.datasets import demo_cohort
    from pannet_guideline.pathway import _state
    from pannet_guideline.report import REPORT_FIT_PT
    p = clinical_pathway(key, policy)
    cols = _state(demo_cohort(), policy, "who-2019", "ajcc-8")
    counted, _, _ = clinical_svgs(p, counts=clinical_counts(p, cols), fit=REPORT_FIT_PT)
    site, _, _ = clinical_svgs(p)
    assert len(counted) == len(site)
    for svg in counted: assert float(re.search(r'<svg width="([\d.]+)pt"', svg)[1]) <= REPORT_FIT_PT


QUICK_NOTES = {("advanced-g12-progression", "nccn-2025"), ("workup", "seed-2025")}  # long notes and short ones; every chart in the full run


@pytest.mark.parametrize("key,policy", [kp if kp in QUICK_NOTES else pytest.param(*kp, marks=pytest.mark.slow) for kp in DRAWN])
def test_a_long_note_names_each_waiting_item_once_and_keeps_its_listing(key, policy):
    "A note on an unknown answer past NOTE_WORDS_AT_MOST words names each item that waits once; the listing ending by ending is its detail, word for word."
    from pannet_guideline.pathway import NOTE_WORDS_AT_MOST, folded_unknown_note, unknown_note
    p = clinical_pathway(key, policy)
    _, names, notes = clinical_svgs(p)
    for name in notes:
        full, shown = unknown_note(p, name, names), folded_unknown_note(p, name, names)
        if len(full.split()) <= NOTE_WORDS_AT_MOST: assert shown == full and not shown.detail
        else:
            assert shown.detail == full and len(shown.split()) < len(full.split()) and "every line giving" in shown
            assert shown.split("held until it is known")[0] == full.split("held until it is known")[0]  # the same routes named, the same opening
