"""Words of the work-up, localised, functioning and follow-up chapters that a clinician reads on a chart or an alert: a question
says why it is asked, a label says what differs between the policies, a schedule says how often, a section heading says what the
register holds."""
import json
from pathlib import Path

import pytest

from pannet_guideline.evidence import STATEMENTS
from pannet_guideline.pathway import _edge_names, clinical_pathway, clinical_svgs
from pannet_guideline.policies import POLICIES
from pannet_guideline.vocab import ALERTS

pytestmark = pytest.mark.xdist_group("pathways")  # with --dist loadgroup, one worker draws the pathways once for all these tests

ROOT = Path(__file__).resolve().parents[1]


def _asked(key:str, policy:str, field:str) -> list:
    "The questions a clinical pathway asks about one field, as its chart writes them."
    p = clinical_pathway(key, policy)
    return [_edge_names(p, n)[0] for n in p.nodes.values() if n.field == field]


def _routes_to(p, field:str) -> list:
    "The answers (field -> values) on every route from the top of a chart to a question about `field`."
    out, todo = [], [(p.root, {})]
    while todo:
        i, route = todo.pop()
        if not isinstance(i, int): continue
        node = p.nodes[i]
        if node.field == field: out.append(route)
        todo += [(nxt, {**route, node.field: set(b.values)}) for b, nxt in node.edges]
    return out


def _markdown(notebook:str) -> list:
    return ["".join(c["source"]) for c in json.loads((ROOT / "nbs" / notebook).read_text(encoding="utf-8"))["cells"]
            if c["cell_type"] == "markdown"]


# ---- work-up

@pytest.mark.parametrize("policy", POLICIES)
def test_the_workup_says_why_it_asks_about_progression(policy):
    "Progression changes the work-up only after a resection of a localised NET (G1 to G3): a recurrence is staged again (followup.nccn-recurrence), while a resected tumour that is not progressing is followed by CT or MRI without PET (nccn.no-pet-surveillance). The chart asks it only on the routes of a localised NET, in the same short words under each grade; it fits one part, and the chapter says why beside it."
    asked = _asked("workup", policy, "progression")
    assert asked and set(asked) == {"Progressive?"}, asked
    p = clinical_pathway("workup", policy)
    for route in _routes_to(p, "progression"):
        assert route.get("disease_setting") == {"localized"} and route.get("nen_class") == {"NET"}, route
    why = next(c for c in _markdown("20_workup.ipynb") if "Why the work-up asks about progression" in c)
    assert all(s in why for s in ("`followup.nccn-recurrence`", "`nccn.no-pet-surveillance`", '"Progressive?"', "recurrence", "resection"))
    assert len(clinical_svgs(clinical_pathway("workup", policy))[0]) == 1  # the work-up in one chart, not three parts


def test_the_register_section_of_the_workup_cites_what_the_insulinoma_alert_cites():
    "The observation that most insulinomas are SSTR-negative is registered; the section about it names it, and does not deny it."
    section = next(c for c in _markdown("20_workup.ipynb") if c.startswith("## ") and "insulinoma" in c and "SSTR-PET" in c)
    cites = ALERTS["SSTR_PET_INSULINOMA_OFTEN_NEGATIVE"].cites
    assert "workup.nccn-insulinoma-sstr-pet-negative" in cites
    assert all(s in STATEMENTS and f"`{s}`" in section for s in cites), section
    assert "but\nnot the observation" not in section and "not the observation" not in section


def test_the_seed_marker_alert_says_what_each_side_orders():
    "Seed item 3: both markers for everyone (UKINETS 2012); the sources: 5-HIAA only for suspected carcinoid syndrome, no chromogranin A (clinical_facts R-DX-07)."
    alert = ALERTS["SEED_CGA_BASELINE_VS_SOURCES"]
    assert "every patient" in alert.text and "only when carcinoid syndrome is suspected" in alert.text, alert.text
    assert "nccn.5hiaa-carcinoid-syndrome" in alert.cites


# ---- follow-up

def _ending_lines(key:str, policy:str) -> list:
    from pannet_guideline.pathway import Leaf, _leaf_lines
    p = clinical_pathway(key, policy)
    return [x for n in p.nodes.values() for _, t in n.edges if isinstance(t, Leaf) and t.fired for x in _leaf_lines(p, t)]


@pytest.mark.parametrize("key,policy,intervals", [
    # clinical_facts §9: NCCN PanNET-11 (first visit at 12 weeks to 12 months, then 6-12-monthly to 10 years), WDG3, PDNEC
    ("followup-resected", "nccn-2025", ("a first visit at 12 weeks to 12 months", "every 6-12 months up to 10 years",
                                        "every 12-24 weeks for the first 2 years", "every 12 weeks for the first year, then every 6 months")),
    ("followup-surveillance", "nccn-2025", ("a first visit at 12 weeks to 12 months", "every 6-12 months up to 10 years")),
    ("followup-in-place", "nccn-2025", ("every 12 weeks to 12 months", "every 8-12 weeks", "every 12-24 weeks", "every 6-16 weeks")),
    # the seed: review every 3 months with markers and imaging every 6 (items 33, 35); 3- to 6-monthly for over 5 years (item 34)
    ("followup-in-place", "seed-2025", ("every 3 months, biochemical markers and CT or MRI at every second visit",)),
    ("followup-resected", "seed-2025", ("every 3-6 months for over 5 years",)),
])
def test_a_schedule_on_a_chart_says_how_often(key, policy, intervals):
    schedules = [x for x in _ending_lines(key, policy) if "Follow-up schedule" in x]
    assert schedules
    for interval in intervals:
        assert any(interval in x for x in schedules), (interval, schedules)


def test_the_seed_schedule_after_surgery_says_what_is_wrong():
    "Seed item 34 (audited wrong): the sources read space visits 6-12 months or more apart and keep them up for 10 years or for life (clinical_facts §9, §11)."
    from pannet_guideline.followup import SCHEDULE_TITLES
    title = SCHEDULE_TITLES["SEED_AFTER_SURGERY"]
    assert "6-12 months or more apart" in title and "10 years" in title and "for life" in title, title


@pytest.mark.parametrize("policy", POLICIES)
def test_a_carcinoma_under_surveillance_is_reviewed_not_scheduled(policy):
    "No source offers an NEC observation (nccn.observation-criteria; nccn.pdnec-treatment; seed.29): recorded under surveillance, it gets no schedule (not the seed's treatment schedule), a review and an alert."
    from pannet_guideline import assess
    nec = dict(differentiation="poor", ki67_pct=80, tumor_size_cm=1.5, local_invasion="none", nodal_status="N0", metastatic_sites="none",
               resectable="yes", functional_syndrome="none", carcinoid_syndrome=False, prior_therapies="ACTIVE_SURVEILLANCE")
    a = assess(nec, policy=policy)
    assert not a.followup_schedule, a.followup_schedule
    assert "NEC_UNDER_SURVEILLANCE" in a.alerts.split(";") and "MDT_REVIEW" in a.recommendations
    assert not any("during active treatment" in x for x in _ending_lines("followup-surveillance", policy))


# ---- functioning tumours

def test_everolimus_for_a_resectable_insulinoma_is_said_to_bridge_to_the_operation():
    "NCCN lists everolimus beside diet and diazoxide to control the hypoglycaemia (note p, clinical_facts 5.1, 13.2), with the primary therapy before the operation (functional.control-before-resection): the rule and its alert say so."
    from pannet_guideline.functional import SYNDROME_CONTROL
    rule = next(r for r in SYNDROME_CONTROL.rules if r.id == "SC-INSULINOMA-EVEROLIMUS")
    alert = ALERTS["EVEROLIMUS_FOR_GLUCOSE_CONTROL"]
    for words, cites in ((rule.note, rule.cites), (alert.text, alert.cites)):
        assert "until the operation" in words and "no operation is possible" in words, words
        assert "functional.control-before-resection" in cites
