"""Clinical fidelity of the advanced, hereditary, follow-up and caveats chapters: each case follows a cited source
(clinical_facts section in the docstring), runs through `assess` and `assess_frame` under both policies, and checks the
strength of what is offered where the source gives one."""
from pathlib import Path

import pandas as pd
import pytest
import yaml

from pannet_guideline import assess, assess_frame
from pannet_guideline.vignettes import SAFE_YAML

POLICIES = ("seed-2025", "nccn-2025")
SECOND_LINE = {"IRINOTECAN_FLUOROPYRIMIDINE", "OXALIPLATIN_FLUOROPYRIMIDINE", "CLINICAL_TRIAL"}
SYSTEMIC = {"SSA", "PRRT", "EVEROLIMUS", "SUNITINIB", "CABOZANTINIB", "CAPTEM", "STREPTOZOCIN_5FU", "PLATINUM_ETOPOSIDE"}
VIGNETTE_FILES = [Path(__file__).parents[1] / "pannet_guideline" / "data" / "vignettes" / f"{c}.fidelity.yaml"
                  for c in ("22_advanced", "24_hereditary", "25_followup", "26_caveats")]

MET_NET = dict(differentiation="well", ki67_pct=5.0, mitoses_per_2mm2=1, tumor_size_cm=3, local_invasion="none", nodal_status="N1",
               metastatic_sites="liver", resectable="no", functional_syndrome="none", carcinoid_syndrome=False, symptomatic=False,
               sstr_status="positive", progression="stable", tumor_burden="low", prior_therapies="none", hereditary_syndrome="none",
               age_years=60, multifocal=False)
MET_NEC = dict(MET_NET, differentiation="poor", ki67_pct=70.0, mitoses_per_2mm2=30)
LOC_NET = dict(MET_NET, tumor_size_cm=2.5, nodal_status="N0", metastatic_sites="none", resectable="yes", ki67_pct=4.0)


def both(patient, policy):
    "The assessment, after checking that `assess_frame` gives the same row."
    a = assess(patient, policy=policy)
    row = assess_frame(pd.DataFrame([patient], dtype=object), policy=policy).iloc[0]
    for col in ("recommendations", "primary_recommendation", "alerts", "rule_ids", "followup_schedule"):
        assert str(row[col]) == getattr(a, col), (col, row[col], getattr(a, col))
    return a


def codes(a): return set(filter(None, a.recommendations.split(";")))
def alerts(a): return set(filter(None, a.alerts.split(";")))
def rules(a): return set(filter(None, a.rule_ids.split(";")))
def strength(a, code): return {r.code: r.strength for r in a.recommendation_list}.get(code)


# ---- item 4: treatment history (clinical_facts 6.3, 13.5)

@pytest.mark.parametrize("policy", POLICIES)
def test_nec_after_a_completed_platinum_course_is_not_offered_it_again(policy):
    "NCCN PDNEC-1: after first-line chemotherapy, surveillance; a course already given is not new advice."
    a = both(dict(MET_NEC, prior_therapies="PLATINUM_ETOPOSIDE", progression="stable"), policy)
    assert "PLATINUM_ETOPOSIDE" not in codes(a) and not codes(a) & SECOND_LINE


@pytest.mark.parametrize("policy", POLICIES)
def test_unfavourable_net_g3_after_a_completed_platinum_course_is_not_offered_it_again(policy):
    "NCCN WDG3: platinum-etoposide is one option for unfavourable G3; a recorded course is not new advice."
    a = both(dict(MET_NET, ki67_pct=70.0, prior_therapies="PLATINUM_ETOPOSIDE", progression="stable"), policy)
    assert "PLATINUM_ETOPOSIDE" not in codes(a) and "CLINICAL_TRIAL" in codes(a)
    assert "PLATINUM_ETOPOSIDE" in codes(both(dict(MET_NET, ki67_pct=70.0), policy))


@pytest.mark.parametrize("policy", POLICIES)
def test_resected_net_gets_follow_up_and_no_adjuvant_systemic_therapy(policy):
    "NCCN NE-H 2 of 9 and PDQ: no known role for adjuvant therapy after resection of a PanNET (clinical_facts 13.5)."
    a = both(dict(LOC_NET, prior_therapies="PANCREATECTOMY"), policy)
    assert not codes(a) & SYSTEMIC
    assert a.followup_schedule == {"seed-2025": "SEED_AFTER_SURGERY", "nccn-2025": "NCCN_RESECTED_G1G2"}[policy]
    assert "NO_ADJUVANT_AFTER_RESECTION" in alerts(a)


# ---- item 9: second line for NEC (clinical_facts 13.3)

@pytest.mark.parametrize("policy", POLICIES)
def test_nec_progressing_on_platinum_gets_second_line_never_the_failed_regimen(policy):
    a = both(dict(MET_NEC, prior_therapies="PLATINUM_ETOPOSIDE", progression="progressive"), policy)
    assert "PLATINUM_ETOPOSIDE" not in codes(a)
    assert SECOND_LINE <= codes(a)
    assert "NEC_SECOND_LINE" in alerts(a)


@pytest.mark.parametrize("policy", POLICIES)
def test_untreated_nec_gets_platinum_first_and_no_second_line(policy):
    a = both(MET_NEC, policy)
    assert a.primary_recommendation == "PLATINUM_ETOPOSIDE" and strength(a, "PLATINUM_ETOPOSIDE") == "recommended"
    assert not codes(a) & SECOND_LINE


# ---- item 11: insulinoma is not a CLARINET patient (clinical_facts 5.1, 6.7)

@pytest.mark.parametrize("policy", POLICIES)
@pytest.mark.parametrize("burden", ["low", "high"])
def test_sstr_positive_insulinoma_gets_the_cautious_analogue_only(policy, burden):
    a = both(dict(MET_NET, functional_syndrome="insulinoma", symptomatic=True, tumor_burden=burden), policy)
    assert strength(a, "SSA") == "consider"
    assert not rules(a) & {"ADV-SSA-CLARINET", "ADV-SSA-NCCN-BURDEN", "ADV-SSA-SEED", "ADV-SSA-CONTINUE-FUNCTIONING"}
    assert "INSULINOMA_SSA_CAUTION" in alerts(a)


# ---- item 12: burden alone does not make chemotherapy first line (clinical_facts 6.1, note gg)

@pytest.mark.parametrize("policy", POLICIES)
def test_captem_for_burden_alone_is_consider(policy):
    a = both(dict(MET_NET, tumor_burden="high"), policy)
    assert strength(a, "CAPTEM") == "consider"
    if policy == "seed-2025": assert strength(a, "STREPTOZOCIN_5FU") in ("consider", "option")
    else: assert "STREPTOZOCIN_5FU" not in a.recommendations  # NCCN's 2025 list names no streptozocin regimen (CF 6.1)


@pytest.mark.parametrize("policy", POLICIES)
@pytest.mark.parametrize("trigger", [dict(progression="progressive"), dict(symptomatic=True)])
def test_captem_offered_when_a_response_is_needed(policy, trigger):
    "CF 6.1: CAPTEM preferred when a response is needed; NE-H general notes: no data order it against the other options."
    assert strength(both(dict(MET_NET, tumor_burden="high", **trigger), policy), "CAPTEM") == "option"


# ---- item 13: advanced MiNEN follows the NEC pathway (clinical_facts 6.3, 13.3)

@pytest.mark.parametrize("policy", POLICIES)
def test_advanced_minen_goes_through_the_nec_pathway_with_an_alert(policy):
    a = both(dict(MET_NEC, differentiation="mixed"), policy)
    assert "PLATINUM_ETOPOSIDE" in codes(a) and "MDT_REVIEW" in codes(a)
    assert "MINEN_COMPONENT_CHOICE" in alerts(a)
    b = both(dict(MET_NEC, differentiation="mixed", prior_therapies="PLATINUM_ETOPOSIDE", progression="progressive"), policy)
    assert SECOND_LINE <= codes(b) and "PLATINUM_ETOPOSIDE" not in codes(b)


# ---- item 14: the NCCN consider tier has no Ki-67 limit (clinical_facts 6.1, 6.7, 6.8)

@pytest.mark.parametrize("ki67", [9.9, 9.9999, 10.0, 15.0])
def test_nccn_analogue_tiers_either_side_of_the_clarinet_limit(ki67):
    a = both(dict(MET_NET, ki67_pct=ki67), "nccn-2025")  # asymptomatic, low burden, stable: PanNET-12 lists it unranked
    assert (strength(a, "SSA"), strength(a, "OBSERVATION"), a.primary_recommendation) == ("option", "option", "")
    a = both(dict(MET_NET, ki67_pct=ki67, progression="progressive"), "nccn-2025")  # an analogue if not on one
    assert strength(a, "SSA") == "recommended"
    assert ("ADV-SSA-CLARINET" in rules(a)) is (ki67 < 10)


# ---- item 15: surgical routes in advanced disease (clinical_facts 6.1: resect primary and metastases if possible)

@pytest.mark.parametrize("policy", POLICIES)
def test_borderline_resectable_net_has_a_surgical_consider(policy):
    a = both(dict(LOC_NET, local_invasion="adjacent_organs_or_vessels", resectable="borderline"), policy)
    assert a.disease_setting == "locally_advanced" and strength(a, "PANCREATECTOMY") == "consider"
    b = both(dict(LOC_NET, local_invasion="adjacent_organs_or_vessels", resectable="no"), policy)
    assert "PANCREATECTOMY" not in codes(b)


@pytest.mark.parametrize("policy", POLICIES)
def test_resectable_extrahepatic_metastases_have_a_surgical_consider(policy):
    a = both(dict(MET_NET, metastatic_sites="extrahepatic", resectable="yes"), policy)
    assert "ADV-RESECT-OLIGOMETASTATIC" in rules(a) and "OLIGOMETASTATIC_RESECTION_SELECTED" in alerts(a)
    b = both(dict(MET_NET, metastatic_sites="extrahepatic", resectable="no"), policy)
    assert "ADV-RESECT-OLIGOMETASTATIC" not in rules(b)


# ---- item 17: alerts and the hereditary age criterion (clinical_facts 8, 11)

def test_seed_versus_source_alerts_fire_under_the_seed_policy_only():
    "The seed's departures from its sources are raised where the seed's advice is given, not under NCCN."
    for policy in POLICIES:
        seed = policy == "seed-2025"
        assert ("SEED_SSA_KI67_ABOVE_CLARINET" in alerts(both(dict(MET_NET, ki67_pct=12.0), policy))) is seed
        assert ("SEED_FOLLOWUP_VS_SOURCES" in alerts(both(dict(LOC_NET, prior_therapies="PANCREATECTOMY"), policy))) is seed


@pytest.mark.parametrize("policy", POLICIES)
@pytest.mark.parametrize("sites,resectable,fires", [("liver", "yes", True), ("liver", "borderline", True),
                                                    ("liver_and_extrahepatic", "borderline", False), ("liver", "no", False)])
def test_cytoreduction_pitfall_follows_the_cytoreduction_rule(policy, sites, resectable, fires):
    "Liver-only metastases: resectable -> complete resection of primary and metastases (CF 6.1, 6.6); borderline -> cytoreduction."
    a = both(dict(MET_NET, metastatic_sites=sites, resectable=resectable), policy)
    assert ("PITFALL_CONSIDER_CYTOREDUCTION" in alerts(a)) is fires
    assert ("ADV-CYTOREDUCTION" in rules(a)) is (fires and resectable == "borderline")
    assert ("ADV-RESECT-LIVER-METASTASES" in rules(a)) is (fires and resectable == "yes")


@pytest.mark.parametrize("policy", POLICIES)
@pytest.mark.parametrize("age,offered", [(39.9, True), (40.0, False)])
def test_sporadic_unifocal_net_before_40_is_offered_counselling(policy, age, offered):
    "eviQ: offer MEN1 testing for a single gastro-duodeno-pancreatic NET before 40 (clinical_facts 8)."
    a = both(dict(LOC_NET, age_years=age, multifocal=False, hereditary_syndrome="none", prior_therapies="PANCREATECTOMY"), policy)
    assert (strength(a, "GENETIC_COUNSELLING") == "recommended") is offered


@pytest.mark.parametrize("policy", POLICIES)
def test_multifocal_net_at_any_age_is_offered_counselling(policy):
    "eviQ: offer MEN1 testing for multifocal gastro-duodeno-pancreatic NET at any age (clinical_facts 8)."
    a = both(dict(LOC_NET, age_years=45, multifocal=True, prior_therapies="PANCREATECTOMY"), policy)
    assert strength(a, "GENETIC_COUNSELLING") == "recommended"


# ---- the vignette files of these chapters, read by both readers under their policies

def _vignettes():
    out = []
    for f in VIGNETTE_FILES:
        out += [(f.name, v) for v in yaml.load(f.read_text(), Loader=SAFE_YAML) or []]
    return out


def _check(v, policy):
    expect = {**(v.get("expect") or {}), **((v.get("expect_by_policy") or {}).get(policy) or {})}
    patient = {k: ";".join(x) if isinstance(x, list) else x for k, x in v["patient"].items()}
    a = both(patient, policy).to_dict()
    for key, want in expect.items():
        col, _, mode = key.rpartition("_")
        if mode in ("include", "exclude"):
            have = set(filter(None, str(a[col]).split(";")))
            assert (set(want) <= have) if mode == "include" else not (set(want) & have), (v["id"], policy, key, a[col])
        else:
            assert str(a[key]) == str(want), (v["id"], policy, key, a[key])


@pytest.mark.parametrize("name,v", _vignettes(), ids=lambda x: x if isinstance(x, str) else x["id"])
def test_vignettes_of_these_chapters(name, v):
    assert v["source"] and v["why"] and v["chapter"] == name.split(".")[0]
    for policy in v.get("policies") or POLICIES:
        _check(v, policy)
