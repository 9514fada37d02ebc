"""Words of the work-up, localised, functioning and follow-up chapters that a clinician reads on a chart or an alert: a question
says why it is asked, a label says what differs between the policies, a schedule says how often, a section heading says what the
register holds."""
import json
from pathlib import Path

import pytest

from pannet_guideline.evidence import STATEMENTS
from pannet_guideline.pathway import _edge_names, clinical_pathway
from pannet_guideline.policies import POLICIES
from pannet_guideline.vocab import ALERTS

pytestmark = pytest.mark.xdist_group("pathways")  # with --dist loadgroup, one worker draws the pathways once for all these tests

ROOT = Path(__file__).resolve().parents[1]


def _asked(key:str, policy:str, field:str) -> list:
    "The questions a clinical pathway asks about one field, as its chart writes them."
    p = clinical_pathway(key, policy)
    return [_edge_names(p, n)[0] for n in p.nodes.values() if n.field == field]


def _markdown(notebook:str) -> list:
    return ["".join(c["source"]) for c in json.loads((ROOT / "nbs" / notebook).read_text(encoding="utf-8"))["cells"]
            if c["cell_type"] == "markdown"]


# ---- work-up

@pytest.mark.parametrize("policy", POLICIES)
def test_the_workup_says_why_it_asks_about_progression(policy):
    "Progression changes the work-up only after a resection: a recurrence is staged again (followup.nccn-recurrence), while a resected tumour that is not progressing is followed by CT or MRI without PET (nccn.no-pet-surveillance)."
    asked = _asked("workup", policy, "progression")
    assert asked and all("resection" in q and "recurrence" in q for q in asked), asked


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
