"""Work-up and follow-up that agree with each other after treatment: each expectation follows a source (clinical_facts
section, "CF"), through `assess` and a one-row `assess_frame`, which must agree on every column."""
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))
from test_round3 import LOC, MET, alerts, both, items  # noqa: E402

from pannet_guideline.followup import SCHEDULE_TITLES  # noqa: E402

POLICIES = ("seed-2025", "nccn-2025")


# CF 9 (NCCN PanNET-11 note w) and 13.5: after resection SSTR-PET is not for routine surveillance; the work-up of a resected
# localised NET G1/G2 does not ask for it beside the alert that says so
@pytest.mark.parametrize("policy", POLICIES)
@pytest.mark.parametrize("resection", ["PANCREATECTOMY", "ENUCLEATION", "Whipple 2019"])
def test_no_sstr_pet_in_the_workup_after_resection(policy, resection):
    a = both(dict(LOC, sstr_status=None, prior_therapies=resection), policy)
    assert "SSTR_PET" not in items(a.workup)
    if policy == "nccn-2025": assert "NO_ROUTINE_PET_SURVEILLANCE" in alerts(a)
    assert not ({"SSTR_PET"} <= items(a.workup) and "NO_ROUTINE_PET_SURVEILLANCE" in alerts(a))


@pytest.mark.parametrize("policy", POLICIES)
def test_sstr_pet_stays_in_the_workup_before_resection(policy):
    "CF 3 R-DX-03: SSTR-PET is part of the work-up of a NET whose receptor status is not known."
    assert "SSTR_PET" in items(both(dict(LOC, sstr_status=None), policy).workup)
    assert "SSTR_PET" in items(both(dict(MET, sstr_status=None, prior_therapies="SSA"), policy).workup)


# CF 9: NCCN gives the 12-week-to-12-month interval for advanced NET G1/G2 under observation (PanNET-12), and no other;
# applied to a treated patient too, the schedule is not named as observation
@pytest.mark.parametrize("prior", ["SSA", "EVEROLIMUS", "none"])
def test_advanced_low_grade_schedule_is_not_called_observed_when_treated(prior):
    a = both(dict(MET, prior_therapies=prior), "nccn-2025")
    assert a.followup_schedule == "NCCN_ADVANCED_G1G2"
    assert "OBSERVED" not in a.followup_schedule
    title = SCHEDULE_TITLES[a.followup_schedule]
    assert "observ" in title and "treatment" in title and "PanNET-12" in title
