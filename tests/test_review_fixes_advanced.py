"Findings of the clinical review on advanced disease and follow-up: each expectation follows the cited source."
import pandas as pd
import pytest

from pannet_guideline import assess, assess_frame

POLICIES = ("seed-2025", "nccn-2025")
# a complete, treatment-naive, well-differentiated, non-functioning, SSTR-positive base patient
BASE = dict(differentiation="well", ki67_pct=2, mitoses_per_2mm2=1, tumor_size_cm=1.5, local_invasion="none",
            nodal_status="N0", metastatic_sites="none", resectable="yes", functional_syndrome="none",
            carcinoid_syndrome=False, symptomatic=False, hereditary_syndrome="none", age_years=62,
            multifocal=False, tumor_location="tail", near_main_duct=False, prior_therapies="none", sstr_status="positive")
MET = dict(BASE, metastatic_sites="liver", resectable="no", tumor_size_cm=3.5)
MET_NEC = dict(MET, differentiation="poor", ki67_pct=80, mitoses_per_2mm2=40, progression="progressive")


def run(patient, policy):
    "The assessment as a dict, after checking that the cohort reader gives the same row."
    a = assess(patient, policy=policy).to_dict()
    row = assess_frame(pd.DataFrame([patient], dtype=object), policy=policy).iloc[0]
    for col in ("recommendations", "primary_recommendation", "alerts", "data_gaps", "followup_schedule"):
        assert str(row[col]) == str(a[col]), (col, row[col], a[col])
    return a


def codes(a, col="recommendations"): return set(filter(None, str(a[col]).split(";")))


def strengths(patient, policy):
    return {r.code: r.strength for r in assess(patient, policy=policy).recommendation_list}


# ---- U1: a regimen already given is not a new line (clinical_facts 13.3: "any listed non-identical regimen")

@pytest.mark.parametrize("policy", POLICIES)
@pytest.mark.parametrize("given,left", [("IRINOTECAN_FLUOROPYRIMIDINE", "OXALIPLATIN_FLUOROPYRIMIDINE"),
                                        ("OXALIPLATIN_FLUOROPYRIMIDINE", "IRINOTECAN_FLUOROPYRIMIDINE")])
def test_nec_second_line_already_given_is_not_offered_again(policy, given, left):
    a = run(dict(MET_NEC, prior_therapies=f"PLATINUM_ETOPOSIDE;{given}"), policy)
    assert given not in codes(a) and "PLATINUM_ETOPOSIDE" not in codes(a)
    assert {left, "CLINICAL_TRIAL"} <= codes(a)


@pytest.mark.parametrize("policy", POLICIES)
def test_nec_after_every_listed_regimen_keeps_only_the_trial(policy):
    a = run(dict(MET_NEC, prior_therapies="PLATINUM_ETOPOSIDE;IRINOTECAN_FLUOROPYRIMIDINE;OXALIPLATIN_FLUOROPYRIMIDINE"), policy)
    assert codes(a) & {"PLATINUM_ETOPOSIDE", "IRINOTECAN_FLUOROPYRIMIDINE", "OXALIPLATIN_FLUOROPYRIMIDINE"} == set()
    assert "CLINICAL_TRIAL" in codes(a)


# ---- U2: an unrecorded history leaves first-line platinum undecided (clinical_facts 6.3, 13.3)

@pytest.mark.parametrize("policy", POLICIES)
@pytest.mark.parametrize("progression", ["progressive", None])
def test_nec_with_unknown_history_is_not_told_to_start_platinum(policy, progression):
    patient = {k: v for k, v in MET_NEC.items() if k != "prior_therapies"}
    patient["progression"] = progression
    a = run(patient, policy)
    assert "PLATINUM_ETOPOSIDE" not in codes(a) and a["primary_recommendation"] != "PLATINUM_ETOPOSIDE"
    assert "prior_therapies" in codes(a, "data_gaps")
    assert "PRIOR_THERAPIES_UNKNOWN" in codes(a, "alerts")


@pytest.mark.parametrize("policy", POLICIES)
@pytest.mark.parametrize("none", ["none", "None", " none "])
def test_an_explicit_none_means_untreated_and_gets_platinum_first(policy, none):
    a = run(dict(MET_NEC, prior_therapies=none, progression="stable"), policy)
    assert a["primary_recommendation"] == "PLATINUM_ETOPOSIDE"
    assert "prior_therapies" not in codes(a, "data_gaps")


# ---- W4: the seed analogue in SSTR-negative progressive disease (clinical_facts 6.1, 6.7; seed items 15, 17, 18)

def test_seed_analogue_in_sstr_negative_progression_is_a_consider_below_the_targeted_drugs():
    p = dict(MET, ki67_pct=8, mitoses_per_2mm2=2, progression="progressive", tumor_burden="high", sstr_status="negative")
    a = run(p, "seed-2025")
    assert a["primary_recommendation"] != "SSA"
    s = strengths(p, "seed-2025")
    assert s["SSA"] == s["EVEROLIMUS"] == s["SUNITINIB"] == "option"  # CF 6.1: unranked; the analogue never ahead of them
    assert "SEED_SSA_SSTR_NEGATIVE" in codes(a, "alerts")
    assert "SSA" not in codes(run(p, "nccn-2025"))


def test_seed_analogue_stays_recommended_when_sstr_positive():
    p = dict(MET, ki67_pct=8, mitoses_per_2mm2=2, progression="progressive", tumor_burden="high")
    assert strengths(p, "seed-2025")["SSA"] == "recommended"


# ---- M4: NCCN PanNET-12, asymptomatic low-burden stable: observe or consider an analogue, no order (clinical_facts 6.1)

@pytest.mark.parametrize("sites", ["liver", "liver_and_extrahepatic"])
def test_nccn_low_burden_stable_options_are_unranked(sites):
    p = dict(MET, metastatic_sites=sites, progression="stable", tumor_burden="low")
    a = run(p, "nccn-2025")
    assert {"SSA", "OBSERVATION"} <= codes(a)
    assert a["primary_recommendation"] == ""
    s = strengths(p, "nccn-2025")
    assert s["SSA"] == s["OBSERVATION"] == "option"


# ---- M8: unfavourable NET G3 (clinical_facts 6.2, NCCN WDG3)

@pytest.mark.parametrize("policy", POLICIES)
@pytest.mark.parametrize("ki67", [55.0, 60.0])
def test_unfavourable_net_g3_lists_every_chemotherapy_family(policy, ki67):
    a = run(dict(MET, ki67_pct=ki67, mitoses_per_2mm2=15, progression="progressive", tumor_burden="high", sstr_status="negative"), policy)
    assert a["primary_recommendation"] == "CLINICAL_TRIAL"
    assert {"PLATINUM_ETOPOSIDE", "IRINOTECAN_FLUOROPYRIMIDINE", "OXALIPLATIN_FLUOROPYRIMIDINE", "CAPTEM"} <= codes(a)
    assert "G3_UNFAVOURABLE_IMMUNOTHERAPY" in codes(a, "alerts")


# ---- M12: no PRRT after a completed course (no source read covers retreatment)

@pytest.mark.parametrize("policy", POLICIES)
@pytest.mark.parametrize("progression", ["stable", "progressive"])
def test_prrt_not_listed_again_after_a_course(policy, progression):
    a = run(dict(MET, ki67_pct=15, mitoses_per_2mm2=2, progression=progression, tumor_burden="low", prior_therapies="SSA;PRRT"), policy)
    assert "PRRT" not in codes(a)
    assert "SEED_PRRT_OUTSIDE_NCCN" not in codes(a, "alerts")


# ---- W5: surveillance comes with its schedule (clinical_facts 4.1, 9: PanNET-11 note x)

@pytest.mark.parametrize("policy", POLICIES)
@pytest.mark.parametrize("size", [0.9, 1.0])
def test_surveillance_recommended_now_gets_the_observation_schedule(policy, size):
    a = run(dict(BASE, tumor_size_cm=size), policy)
    assert a["primary_recommendation"] == "ACTIVE_SURVEILLANCE"
    assert a["followup_schedule"] == "NCCN_OBSERVED"


@pytest.mark.parametrize("policy", POLICIES)
def test_tumour_on_its_way_to_surgery_has_no_observation_schedule(policy):
    a = run(dict(BASE, tumor_size_cm=2.1), policy)
    assert "ACTIVE_SURVEILLANCE" not in codes(a) and a["followup_schedule"] == ""


# ---- M2: after resection the plan is follow-up (clinical_facts 13.5: no adjuvant role; 9: PanNET-11)

@pytest.mark.parametrize("policy", POLICIES)
@pytest.mark.parametrize("extra", [dict(), dict(ki67_pct=8, mitoses_per_2mm2=2, tumor_size_cm=2.5, nodal_status="N1")])
def test_after_resection_the_primary_is_follow_up(policy, extra):
    a = run(dict(BASE, prior_therapies="PANCREATECTOMY", **extra), policy)
    assert a["primary_recommendation"] == "FOLLOW_UP"
    assert a["followup_schedule"] in ("SEED_AFTER_SURGERY", "NCCN_RESECTED_G1G2")


# ---- M11: a blank history is named as the gap, with an alert saying what to record

@pytest.mark.parametrize("policy", POLICIES)
def test_blank_history_names_the_gap_and_explains(policy):
    p = dict(MET, ki67_pct=8, mitoses_per_2mm2=2, progression="progressive", tumor_burden="high", prior_therapies="")
    a = run(p, policy)
    assert "prior_therapies" in codes(a, "data_gaps") and "PRIOR_THERAPIES_UNKNOWN" in codes(a, "alerts")
    assert "'none'" in assess(p, policy=policy).explain()
