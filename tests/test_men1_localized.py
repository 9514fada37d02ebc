"""A small non-functioning NET in MEN1 under nccn-2025: NCCN treats a germline carrier's tumour once it reaches a size of
concern (CF 4.1 note f), and the MEN1 review (CF 8, S-MEN1-NF) operates over 2 cm and watches below it with yearly MRI.
Through `assess` and a one-row `assess_frame`, which must agree on every column."""
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))
from test_round3 import LOC, both, codes  # noqa: E402


@pytest.mark.parametrize("size", [1.2, 1.5, 1.99])
def test_men1_under_2cm_is_watched(size):
    a = both(dict(LOC, hereditary_syndrome="MEN1", tumor_size_cm=size), "nccn-2025")
    assert a.primary_recommendation == "ACTIVE_SURVEILLANCE"
    assert not {"PANCREATECTOMY", "ENUCLEATION"} & codes(a)


def test_men1_over_2cm_is_resected():
    "CF 8: surgery over 2 cm in MEN1; CF 4.1: pancreatectomy over 2 cm."
    a = both(dict(LOC, hereditary_syndrome="MEN1", tumor_size_cm=2.5), "nccn-2025")
    assert a.primary_recommendation == "PANCREATECTOMY" and "ACTIVE_SURVEILLANCE" not in codes(a)


def test_sporadic_1_to_2cm_keeps_the_three_unranked_options():
    "CF 4.1: over 1 up to 2 cm, observation in selected cases, pancreatectomy or enucleation, unranked."
    a = both(dict(LOC, tumor_size_cm=1.5), "nccn-2025")
    assert {"ACTIVE_SURVEILLANCE", "PANCREATECTOMY", "ENUCLEATION"} <= codes(a) and a.primary_recommendation == ""


def test_men1_with_symptoms_is_not_watched():
    "CF 13.6: any tumour-attributable symptom removes eligibility for observation."
    a = both(dict(LOC, hereditary_syndrome="MEN1", tumor_size_cm=1.5, symptomatic=True), "nccn-2025")
    assert "ACTIVE_SURVEILLANCE" not in codes(a) and "PANCREATECTOMY" in codes(a)


def test_no_perioperative_alerts_for_a_watched_men1_tumour():
    "NCCN note h (vaccinate if a splenectomy is possible) and note j (nodes with an operation) presume an operation: none is listed."
    a = both(dict(LOC, hereditary_syndrome="MEN1", tumor_size_cm=1.5, tumor_location="body"), "nccn-2025")
    assert not {"SPLENECTOMY_VACCINATION", "LYMPHADENECTOMY_CONSIDER"} & set(a.alerts.split(";"))
    operated = both(dict(LOC, tumor_size_cm=1.5, tumor_location="body"), "nccn-2025")
    assert {"SPLENECTOMY_VACCINATION", "LYMPHADENECTOMY_CONSIDER"} <= set(operated.alerts.split(";"))


def test_seed_policy_keeps_its_own_bands_with_a_conflict_alert():
    "The seed (items 8 and 10) resects over 1 cm with surveillance only to be considered; it names no MEN1 size: the policies differ, said."
    a = both(dict(LOC, hereditary_syndrome="MEN1", tumor_size_cm=1.5), "seed-2025")
    assert a.primary_recommendation == "PANCREATECTOMY" and "ACTIVE_SURVEILLANCE" in codes(a)
    assert "SEED_NCCN_MEN1_SMALL_NF" in a.alerts.split(";")
    assert "SEED_NCCN_MEN1_SMALL_NF" in both(dict(LOC, hereditary_syndrome="MEN1", tumor_size_cm=1.5), "nccn-2025").alerts.split(";")
    # at 1 cm or less both policies watch: no conflict
    assert "SEED_NCCN_MEN1_SMALL_NF" not in both(dict(LOC, hereditary_syndrome="MEN1", tumor_size_cm=0.8), "seed-2025").alerts.split(";")


@pytest.mark.parametrize("policy", ["seed-2025", "nccn-2025"])
@pytest.mark.parametrize("change", [dict(hereditary_syndrome="none"), dict(hereditary_syndrome="VHL"),
                                    dict(metastatic_sites="liver", resectable="no", hereditary_syndrome="MEN1", tumor_size_cm=1.5,
                                         symptomatic=None)])
def test_no_hereditary_gap_where_the_syndrome_does_not_decide(policy, change):
    "Where no MEN1 reading is made (no syndrome, another one, or advanced disease), nothing waits on the syndrome or the symptoms for it."
    a = both(dict(LOC, **change), policy)
    assert "hereditary_syndrome" not in a.data_gaps.split(";")
    if change.get("metastatic_sites") is None: assert {"PANCREATECTOMY", "ENUCLEATION", "ACTIVE_SURVEILLANCE"} <= codes(a) or policy == "seed-2025"


def test_men1_with_symptoms_unrecorded_waits_for_them():
    "CF 13.6: symptoms decide eligibility for observation; in MEN1 under 2 cm they decide between watching and operating."
    a = both(dict(LOC, hereditary_syndrome="MEN1", tumor_size_cm=1.5, symptomatic=None), "nccn-2025")
    assert "symptomatic" in a.data_gaps.split(";") and not {"PANCREATECTOMY", "ENUCLEATION"} & codes(a)
