"""Chart and page words a clinician reads alone: each item named once with its condition, no word doubled, no 'it' for a
treatment, units kept in a merged condition, no question whose answer a later one contradicts, no list that hides one name."""
import json
import re
from pathlib import Path

import pytest

from pannet_guideline.pathway import _edge_names, _terms_text, clinical_pathway, pathway_alerts, unknown_note, unknown_stop

from conftest import drawn_pathways, load_tool, pathway_routes

pytestmark = pytest.mark.xdist_group("pathways")  # with --dist loadgroup, one worker draws the pathways once for all these tests

ROOT = Path(__file__).resolve().parents[1]




def test_an_unknown_note_names_each_waiting_item_once():
    "Endoscopic ultrasound waits at some endings only if not yet resected, at others always: one mention that says so, not two."
    p = clinical_pathway("workup", "seed-2025")
    note = unknown_note(p, "disease_setting")
    waits = note.split("held until it is known: ")[1].split(";")[0]
    assert waits.count("endoscopic ultrasound") == 1 and "if not yet resected" in waits, note


@pytest.mark.parametrize("key,policy", drawn_pathways())
def test_a_stopped_question_never_hides_a_single_item(key, policy):
    "'and 1 more' hides a name the box has room for: four items are named, five or more are cut to three and a count."
    p = clinical_pathway(key, policy)
    for i in p.nodes:
        assert not re.search(r"\band 1 more\b", unknown_stop(p, i)), (key, policy, i, unknown_stop(p, i))


def test_four_waiting_items_are_all_named():
    p = clinical_pathway("advanced-g12-first", "nccn-2025")
    first_burden = next(i for i, n in p.nodes.items() if n.field == "tumor_burden")  # the first question whose unknown answer stops the route
    said = unknown_stop(p, first_burden)
    assert all(x in said for x in ("somatostatin analogue", "observation", "capecitabine-temozolomide", "oxaliplatin-fluoropyrimidine")), said


def test_a_line_names_the_treatment_it_conditions():
    assert _terms_text([("PRRT", False, "PRRT"), ("SSA", False, "somatostatin analogue")], "PRRT") == \
        "if neither PRRT nor somatostatin analogue was given before"
    p = clinical_pathway("advanced-g12-progression", "nccn-2025")
    from pannet_guideline.pathway import _leaf_rows
    lines = " ".join(t for lf, _ in pathway_routes(p) for t, _, _ in _leaf_rows(p, lf))
    assert "neither it nor" not in lines and "neither PRRT nor somatostatin analogue" in lines


def test_merged_grade_conditions_keep_their_units():
    from pannet_guideline.grading import any_index_above_20
    from pannet_guideline.recorded import indices_high
    for named in (any_index_above_20, indices_high):
        assert "%" in named.text and "per 2 mm²" in named.text, named.text


def test_the_localised_g3_chart_asks_about_hormone_syndromes_not_function():
    "'Non-functioning? yes' then 'Carcinoid syndrome?' reads as a contradiction: the question is about the pancreatic hormone syndromes."
    p = clinical_pathway("localized-g3", "seed-2025")
    asked = [_edge_names(p, n) for n in p.nodes.values()]
    assert not any(q == "Non-functioning?" for q, _ in asked), asked
    hormone = [a for q, a in asked if q == "Pancreatic hormone syndrome?"]
    assert hormone and sorted(hormone[0]) == ["none", "present"]
    route = [f for lf, path in pathway_routes(p) for f, b in path]
    assert "carcinoid_syndrome" in route  # the carcinoid question still follows, now without a contradiction


def test_alerts_under_a_pathway_never_say_when_whenever():
    build_docs = load_tool("build_docs")
    items = [build_docs._alert_item(r, words, clinical_pathway(key, policy).question.chapter)
             for key, policy in drawn_pathways() for t, r, words in pathway_alerts(clinical_pathway(key, policy))]
    assert any("whenever this pathway applies" in x for x in items)
    assert not any("when whenever" in x for x in items)


def test_an_alert_of_another_chapter_links_to_the_page_that_holds_its_rule():
    "The functioning pathways list the splenectomy vaccination alert, whose one rule lives in the localised chapter's table: its link goes there, not to an anchor the functioning page lacks."
    build_docs = load_tool("build_docs")
    assert build_docs._rule_href("ALL-SPLENECTOMY-VACCINATION", "functional") == "localized.html#rule-ALL-SPLENECTOMY-VACCINATION"
    assert build_docs._rule_href("ALL-SPLENECTOMY-VACCINATION", "localized") == "#rule-ALL-SPLENECTOMY-VACCINATION"


def test_the_policy_difference_tells_the_two_5hiaa_items_apart():
    "The seed's baseline chromogranin A and 5-HIAA and NCCN's 5-HIAA for carcinoid syndrome: the line says which is which."
    build_docs = load_tool("build_docs")
    seed, nccn = clinical_pathway("workup", "seed-2025"), clinical_pathway("workup", "nccn-2025")
    line = build_docs._differs(seed, nccn)
    # the seed orders both markers for every patient; NCCN orders 5-HIAA only for suspected carcinoid syndrome (clinical_facts R-DX-07)
    only, lacks = line.split("; not here: ")
    assert "chromogranin A and 24-hour urinary 5-HIAA for every patient" in only, line
    assert lacks.startswith("24-hour urinary 5-HIAA") and "carcinoid syndrome" in lacks, line


def test_the_workup_items_section_shows_its_table():
    "The section that promises the codes of the work-up output and what each stands for shows them."
    cells = json.loads((ROOT / "nbs" / "20_workup.ipynb").read_text(encoding="utf-8"))["cells"]
    at = next(i for i, c in enumerate(cells) if "".join(c["source"]).startswith("## Work-up items"))
    following = [c for c in cells[at + 1:at + 4] if c["cell_type"] == "code" and not "".join(c["source"]).startswith("#| export")]
    assert any("WORKUP_ITEMS" in "".join(c["source"]) and "Markdown(" in "".join(c["source"]) for c in following)
