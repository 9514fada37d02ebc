"""Imaging after resection of a localised NET G1/G2, and at a recurrence: each expectation follows a source (clinical_facts
section, "CF"), through `assess` and a one-row `assess_frame`, which must agree on every column."""
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))
from test_round3 import LOC, alerts, both, items  # noqa: E402

POLICIES = ("seed-2025", "nccn-2025")


# CF 9 (NCCN PanNET-11) and 13.5 (S-NOR): surveillance after resection is multiphasic CT or MRI; EUS is a diagnostic step
# of the work-up (CF 3), not part of follow-up
@pytest.mark.parametrize("policy", POLICIES)
@pytest.mark.parametrize("resection", ["PANCREATECTOMY", "ENUCLEATION"])
def test_no_eus_in_the_workup_after_resection(policy, resection):
    a = both(dict(LOC, prior_therapies=resection), policy)
    assert "EUS" not in items(a.workup) and "MULTIPHASIC_CT_MRI" in items(a.workup)


@pytest.mark.parametrize("policy", POLICIES)
def test_eus_stays_in_the_workup_of_a_localised_net_in_place(policy):
    "CF 3: EUS as appropriate in the work-up of a localised PanNET."
    assert "EUS" in items(both(LOC, policy).workup)


# CF 9 note w: SSTR-PET and FDG-PET are not recommended for *routine* surveillance; a recurrence after resection is not
# routine surveillance but a tumour to restage (CF 9: resection of a recurrence in selected cases), and the work-up of a NET
# whose receptor status is unknown includes SSTR-PET (CF 3)
@pytest.mark.parametrize("policy", POLICIES)
def test_a_recurrence_is_restaged_not_surveyed(policy):
    a = both(dict(LOC, sstr_status=None, prior_therapies="PANCREATECTOMY", progression="progressive"), policy)
    assert "NO_ROUTINE_PET_SURVEILLANCE" not in alerts(a)
    assert "SSTR_PET" in items(a.workup)


def test_routine_surveillance_after_resection_keeps_the_pet_alert():
    "CF 9 note w, under NCCN: after resection with no recurrence recorded, PET is not routine."
    for progression in ("stable", None):
        a = both(dict(LOC, sstr_status=None, prior_therapies="PANCREATECTOMY", progression=progression), "nccn-2025")
        assert "NO_ROUTINE_PET_SURVEILLANCE" in alerts(a) and "SSTR_PET" not in items(a.workup)
