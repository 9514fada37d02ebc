"""What a clinical pathway's endings say: one clause per condition, colours that follow the firmest strength written, one wording
for a question asked in several charts, and a pointer onwards where an ending gives nothing."""
import re

import pytest

from pannet_guideline.guideline import POLICIES
from pannet_guideline.pathway import DOUBT, QUESTIONS, Leaf, _edge_names, _leaf_fill, _leaf_lines, clinical_pathway, field_of

from conftest import drawn_pathways

pytestmark = pytest.mark.xdist_group("pathways")  # with --dist loadgroup, one worker draws the pathways once for all these tests

DRAWN = drawn_pathways()
FILLS = {"Recommended": "#cfe8cf", "Consider": "#fff1c1", "Option": "#ececec", "Options": "#ececec"}  # the legend's colours


def _endings(p):
    out = {t for n in p.nodes.values() for _, t in n.edges if isinstance(t, Leaf)}
    return out | ({p.root} if isinstance(p.root, Leaf) else set())


@pytest.mark.parametrize("key,policy", DRAWN)
def test_an_ending_is_coloured_by_the_firmest_strength_it_writes_without_a_condition(key, policy):
    "The colour is that of the firmest line without a condition of its own or above it; an ending whose every line waits on a condition is white."
    p = clinical_pathway(key, policy)
    for lf in _endings(p):
        lines = _leaf_lines(p, lf)
        if not lf.fired: continue
        headed = bool(lines) and re.match(r"(If|After) .*:$", lines[0])  # a condition every line shares, said once above them
        plain = [x for x in lines if not headed and not x.startswith(DOUBT) and not re.search(r", (if|after) ", x.split(": ")[0])]
        firm = [m[1] for m in (re.match(r"(Recommended|Consider|Options?): ", x) for x in plain) if m]
        want = next((FILLS[w] for w in ("Recommended", "Consider", "Option", "Options") if w in firm), "#dbe9f6" if plain else "#ffffff")
        assert _leaf_fill(p, lf) == want, (key, policy, lines, _leaf_fill(p, lf))  # tests or schedules alone: blue; all conditional: white


@pytest.mark.parametrize("key,policy", DRAWN)
def test_a_condition_on_an_ending_reads_as_one_clause(key, policy):
    p = clinical_pathway(key, policy)
    for lf in _endings(p):
        for line in _leaf_lines(p, lf):
            head = line.split(": ")[0]
            assert "unless given before" not in head and not head.endswith("if given before"), (key, policy, line)
            assert len(re.findall(r", (if|after) ", head)) <= 1, (key, policy, line)  # "Consider, if X, if Y" or "after X, if Y": two clauses


def test_a_treatment_not_had_before_is_said_so():
    p = clinical_pathway("advanced-g12-progression", "nccn-2025")
    lines = [x for lf in _endings(p) for x in _leaf_lines(p, lf)]
    assert any(x.startswith("Option, if not given before, and after somatostatin analogue: PRRT") for x in lines), lines


def test_sstr_imaging_is_asked_in_one_wording():
    asked = {}
    for key, policy in DRAWN:
        p = clinical_pathway(key, policy)
        for n in p.nodes.values():
            if field_of(n.field) == "sstr_status":
                q, answers = _edge_names(p, n)
                asked.setdefault(q, set()).add(tuple(a for (b, _), a in zip(n.edges, answers) if "positive" in str(b)))
    assert set(asked) == {"SSTR imaging positive?"}, asked
    assert asked["SSTR imaging positive?"] == {("yes",)}  # the branch that takes positive imaging is always "yes"


def test_an_ending_that_gives_nothing_to_a_functioning_tumour_points_to_its_chapter():
    p = clinical_pathway("localized-g3", "seed-2025")
    dead = [lf for lf in _endings(p) if not lf.fired]
    assert dead and all("see the chapter on functioning tumours" in _leaf_lines(p, lf) for lf in dead)


@pytest.mark.parametrize("key,policy", DRAWN)
def test_an_answer_the_chart_does_not_ask_says_why_truthfully(key, policy):
    "A note on an unasked answer names only questions the chart does ask as those it is read from, or stands for it."
    from pannet_guideline.pathway import FIELDS, clinical_svgs, unasked_notes, unasked_reason
    p = clinical_pathway(key, policy)
    _, _, notes = clinical_svgs(p)
    asked = {FIELDS[field_of(n.field)].label.lower() for n in p.nodes.values()}
    for name in unasked_notes(p, notes):
        why = unasked_reason(p, name)
        m = re.search(r"reads it from (.*), which the chart asks|the (.*) stands? for it", why)
        if m:
            for label in re.split(r", | and ", m[1] or m[2]):
                assert label.lower() in asked, (key, policy, name, why)


def test_the_t_category_of_a_localised_tumour_is_read_from_size_and_invasion():
    from pannet_guideline.pathway import unasked_reason
    p = clinical_pathway("localized-nf", "nccn-2025")
    assert "t_category" not in {n.field for n in p.nodes.values()}
    assert "reads it from tumour size and local invasion" in unasked_reason(p, "t_category")
    assert "needs the Ki-67 itself" in unasked_reason(p, "ki67_pct")  # surveillance waits on a measured Ki-67, not a grade alone


def test_a_failed_line_reads_as_clinicians_write_it():
    from pannet_guideline.concepts import failed
    from pannet_guideline.pathway import condition_words
    assert failed("SSA").text == "progression on somatostatin analogue"
    assert condition_words(~failed("SSA")) == "no progression on somatostatin analogue"


def test_an_ending_conditioned_on_no_other_syndrome_says_so():
    "The carcinoid-syndrome control of a tumour with no other hormone syndrome reads 'if carcinoid syndrome only', never 'if none', nor 'if no hormone syndrome' in a pathway whose every patient has one."
    from pannet_guideline.pathway import clinical_pathway, clinical_svgs
    svgs = clinical_svgs(clinical_pathway("functional-other", "seed-2025"))[0]
    text = " ".join(map(str, svgs)).replace("</text>", " ")
    text = " ".join(re.sub(r"<[^>]+>", " ", text).split())
    assert "if none" not in text and "if carcinoid syndrome only" in text and "no hormone syndrome" not in text
