"Findings of the clinical review, round 3: each expectation comes from the cited source (clinical_facts sections named per test)."
import pandas as pd
import pytest

from pannet_guideline import assess, assess_frame
from pannet_guideline.guideline import POLICIES

NF = dict(differentiation="well", ki67_pct=1.5, mitoses_per_2mm2=0, tumor_size_cm=1.5, local_invasion="none", nodal_status="N0",
          metastatic_sites="none", functional_syndrome="none", carcinoid_syndrome=False, symptomatic=False, sstr_status="positive",
          resectable="yes", hereditary_syndrome="none", age_years=62, multifocal=False, tumor_location="tail", near_main_duct=False,
          prior_therapies="none")
ADV = {**NF, "ki67_pct": 8, "mitoses_per_2mm2": 2, "tumor_size_cm": 3.5, "nodal_status": "N1", "metastatic_sites": "liver",
       "resectable": "no", "progression": "stable", "tumor_burden": "high"}
COLS = ("recommendations", "primary_recommendation", "primary_options", "primary_held_by", "alerts")


def both(p, policy):
    "One patient by `assess` and as a one-row frame: they must agree."
    a = assess(p, policy=policy)
    row = assess_frame(pd.DataFrame([p]), policy=policy).iloc[0]
    for c in COLS: assert (row[c] if isinstance(row[c], str) else "") == getattr(a, c), (c, row[c], getattr(a, c))
    return a


def codes(a, col="recommendations"): return set(filter(None, getattr(a, col).split(";")))


# 1. CF 6.1: NCCN PanNET-12, asymptomatic low-burden stable -> resection if possible, observation or an analogue; locoregional
#    therapy on progression (PanNET-13) or with symptoms / significant burden (note gg). Seed.20/21: procedures without a trigger.
LOW = {**ADV, "ki67_pct": 2, "mitoses_per_2mm2": 0, "tumor_burden": "low"}

def test_nccn_no_liver_directed_for_low_burden_stable():
    a = both(LOW, "nccn-2025")
    assert "LIVER_DIRECTED" not in codes(a) and {"SSA", "OBSERVATION"} <= codes(a)
    assert a.primary_recommendation == "" and codes(a, "primary_options") == {"SSA", "OBSERVATION"}

def test_seed_keeps_liver_directed_and_names_the_divergence():
    a = both(LOW, "seed-2025")
    assert "LIVER_DIRECTED" in codes(a) and "SEED_LIVER_DIRECTED_LOW_BURDEN" in codes(a, "alerts")

@pytest.mark.parametrize("policy", POLICIES)
@pytest.mark.parametrize("change", [dict(progression="progressive"), dict(tumor_burden="high"), dict(symptomatic=True)])
def test_liver_directed_on_progression_burden_or_symptoms(policy, change):
    a = both({**LOW, **change}, policy)
    assert "LIVER_DIRECTED" in codes(a) and "SEED_LIVER_DIRECTED_LOW_BURDEN" not in codes(a, "alerts")


# 2. CF 5 / 13.2: carcinoid syndrome makes a tumour functioning; the syndrome is controlled and a supportive measure
#    (peri-operative octreotide, cardiac screening) is never the primary.
@pytest.mark.parametrize("policy", POLICIES)
def test_contradictory_carcinoid_record_keeps_syndrome_control(policy):
    a = both({**NF, "carcinoid_syndrome": True, "symptomatic": True}, policy)
    assert "SYNDROME_CONTROL" in codes(a) and "CARCINOID_SYNDROME_VS_NONFUNCTIONING" in codes(a, "alerts")
    assert a.primary_recommendation not in ("PERIOPERATIVE_OCTREOTIDE", "CARDIAC_SCREENING", "GENETIC_COUNSELLING")


# 3. CF 13.6: NCCN writes only observation for <= 1 cm; a symptomatic one goes to the team: no ranked operation.
def test_symptomatic_small_tumour_has_no_primary_under_nccn():
    a = both({**NF, "tumor_size_cm": 0.8, "symptomatic": True}, "nccn-2025")
    assert a.primary_recommendation == "" and "PANCREATECTOMY" in codes(a, "primary_options")
    assert "MDT_REVIEW" in codes(a) and "ACTIVE_SURVEILLANCE" not in codes(a)
    assert "SYMPTOMATIC_SMALL_TUMOUR" in codes(a, "alerts")


# 4. CF 9 (NCCN PanNET-11: recurrence, resection in select cases): progression after resection is a recurrence, advanced too.
@pytest.mark.parametrize("policy", POLICIES)
def test_distant_recurrence_after_resection_is_flagged(policy):
    a = both({**ADV, "prior_therapies": "PANCREATECTOMY", "resectable": "yes", "tumor_burden": "low", "progression": "progressive"}, policy)
    assert "RECURRENCE" in codes(a, "alerts") and {"SSA", "EVEROLIMUS", "LIVER_DIRECTED"} <= codes(a)


# 5. CF 6.1 note hh, 6.6: liver-directed therapy after pancreatoduodenectomy carries a higher infection risk.
@pytest.mark.parametrize("policy", POLICIES)
def test_liver_directed_after_whipple_warns_of_infection(policy):
    a = both({**ADV, "tumor_location": "head", "prior_therapies": "PANCREATECTOMY", "progression": "progressive"}, policy)
    assert "LIVER_DIRECTED" in codes(a) and "LIVER_DIRECTED_AFTER_PANCREATODUODENECTOMY" in codes(a, "alerts")
    tail = both({**ADV, "prior_therapies": "PANCREATECTOMY", "progression": "progressive"}, policy)
    assert "LIVER_DIRECTED_AFTER_PANCREATODUODENECTOMY" not in codes(tail, "alerts")


# 6. CF 7 / 5.1: peri-operative octreotide belongs around an operation still to come; not after a curative resection.
@pytest.mark.parametrize("policy", POLICIES)
def test_resected_insulinoma_carries_no_perioperative_octreotide_alerts(policy):
    a = both({**NF, "functional_syndrome": "insulinoma", "prior_therapies": "PANCREATECTOMY"}, policy)
    assert not codes(a, "alerts") & {"PERIOP_OCTREOTIDE_EVIDENCE_CAVEAT", "SEED_OCTREOTIDE_VS_NCCN", "INSULINOMA_SSA_CAUTION"}
