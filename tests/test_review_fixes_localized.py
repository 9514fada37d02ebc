"""Localised disease, grading and staging: the clinical review's findings, each checked against its source."""
import pytest

from pannet_guideline import assess
from pannet_guideline.localized import LOCALIZED_NEC_NCCN
from pannet_guideline.schema import validate_patient

POLICIES = ("seed-2025", "nccn-2025")
BASE = dict(differentiation="well", ki67_pct=2, mitoses_per_2mm2=1, tumor_size_cm=1.5, nodal_status="N0", metastatic_sites="none",
            local_invasion="none", resectable="yes", functional_syndrome="none", symptomatic=False, carcinoid_syndrome=False,
            hereditary_syndrome="none", multifocal=False, sstr_status="positive", age_years=62, prior_therapies="none")


def run(policy, strict=True, **kw): return assess({**BASE, **kw}, policy=policy, strict=strict)
def split(a, col): return set(filter(None, str(a.to_dict()[col]).split(";")))
def strengths(a): return {r.code: r.strength for r in a.recommendation_list}


# U5. seed: "G2 (Ki-67 3-20 %): surgery if resectable" (seed.27); NCCN note e: observation only for low-grade tumours
@pytest.mark.parametrize("policy", POLICIES)
@pytest.mark.parametrize("size,ki67", [(1.5, 15), (1.8, 18), (0.8, 8), (1.5, 3)])
def test_no_surveillance_for_a_g2_tumour(policy, size, ki67):
    a = run(policy, tumor_size_cm=size, ki67_pct=ki67)
    if policy == "nccn-2025" and size <= 1:  # NCCN writes only observation at 1 cm or less, for a "low grade" it does not define (CF 4.1, 10.7)
        assert a.who_grade == "G2" and {"ACTIVE_SURVEILLANCE", "PANCREATECTOMY"} <= split(a, "primary_options")
        assert "NCCN_LOW_GRADE_UNDEFINED_LE1CM" in split(a, "alerts")
        return
    assert a.who_grade == "G2" and "ACTIVE_SURVEILLANCE" not in split(a, "recommendations")
    assert "PANCREATECTOMY" in split(a, "recommendations") and "SURVEILLANCE_WITHHELD_G2" in split(a, "alerts")


def test_seed_resects_a_small_g2_as_its_grade_line_says():
    assert run("seed-2025", ki67_pct=15).primary_recommendation == "PANCREATECTOMY"


@pytest.mark.parametrize("policy", POLICIES)
def test_a_small_g1_is_still_watched(policy):
    # NCCN PanNET-2: 1 cm or less, observation the only option; seed item 10: under 2 cm, surveillance may be considered
    assert run(policy, tumor_size_cm=0.9, ki67_pct=2.9).primary_recommendation == "ACTIVE_SURVEILLANCE"


# W2. G1 needs both indices (R-GR-02); NAACCR accepts Ki-67 alone for a G1, not mitoses alone (R-GR-05)
@pytest.mark.parametrize("policy", POLICIES)
@pytest.mark.parametrize("size", [0.8, 1.5])
def test_surveillance_does_not_rest_on_a_mitoses_only_g1(policy, size):
    a = run(policy, tumor_size_cm=size, ki67_pct=None)
    assert a.who_grade == "unknown"  # a low mitotic count alone gives no grade: only a Ki-67 may code G1 alone (CF 1.1 R-GR-05)
    assert "ACTIVE_SURVEILLANCE" not in split(a, "recommendations")
    assert "ki67_pct" in split(a, "data_gaps")
    b = run(policy, tumor_size_cm=size, ki67_pct=None, recorded_grade="G1")  # a recorded G1 beside the count: still no measured Ki-67
    assert b.who_grade == "G1" and "ACTIVE_SURVEILLANCE" not in split(b, "recommendations") and "SURVEILLANCE_NEEDS_KI67" in split(b, "alerts")


@pytest.mark.parametrize("policy", POLICIES)
def test_a_rejected_ki67_does_not_lead_to_surveillance(policy):
    a = run(policy, strict=False, ki67_pct=150)
    assert "ACTIVE_SURVEILLANCE" not in split(a, "recommendations") and "ki67_pct" in split(a, "data_gaps")


@pytest.mark.parametrize("policy", POLICIES)
def test_a_ki67_only_g1_may_still_be_watched(policy):
    # oracle 10.1 row 10: Ki-67 2.5 with mitoses missing is a provisional G1 on the index surveillance needs
    a = run(policy, tumor_size_cm=0.8, ki67_pct=2.5, mitoses_per_2mm2=None)
    assert "ACTIVE_SURVEILLANCE" in split(a, "recommendations")


# W1. NEC and MiNEN are staged with the exocrine chapter (clinical_facts 2.4, 10.6: 2.0 cm is T1c there), not the NET T table
@pytest.mark.parametrize("policy", POLICIES)
@pytest.mark.parametrize("differentiation", ["poor", "mixed"])
def test_nec_and_minen_get_no_net_chapter_t(policy, differentiation):
    a = run(policy, differentiation=differentiation, ki67_pct=60, mitoses_per_2mm2=30, tumor_size_cm=2.0)
    assert a.t_category == "T1" and "NEC_EXOCRINE_STAGING" in split(a, "alerts")
    assert run(policy, tumor_size_cm=2.0).t_category == "T2"  # a NET of 2.0 cm is T2 (oracle 10.3)


# M10. seed item 8: resection for localised disease; NCCN PDNEC-1: resection with chemotherapy, chemotherapy alone or
# chemoradiation, unranked; ENETS 2023: surgery may benefit localised NEC
NEC = dict(differentiation="poor", ki67_pct=60, mitoses_per_2mm2=30, tumor_size_cm=3.0)

@pytest.mark.parametrize("policy", POLICIES)
def test_localized_nec_offers_resection_and_chemotherapy_with_the_conflict_shown(policy):
    a = run(policy, **NEC)
    assert {"PANCREATECTOMY", "PLATINUM_ETOPOSIDE"} <= split(a, "recommendations")
    assert "SEED_NCCN_LOCALIZED_NEC" in split(a, "alerts")


def test_nccn_localized_nec_routes_all_hold_the_chemotherapy():
    "NCCN PDNEC-1 (clinical_facts 6.3): the routes are unranked, but each holds platinum-etoposide; resection and radiotherapy (definitive chemoradiation, or added to the chemotherapy) are ways to combine with it."
    rec = validate_patient({**BASE, **NEC}); rec.update(nen_class="NEC", who_grade="NEC", disease_setting="localized")
    fired = LOCALIZED_NEC_NCCN.decide(rec)
    assert set(fired.outcome) == {"PANCREATECTOMY", "PLATINUM_ETOPOSIDE", "RADIOTHERAPY"}
    assert {r.then: r.strength for r in LOCALIZED_NEC_NCCN.rules} == {"PLATINUM_ETOPOSIDE": "recommended", "PANCREATECTOMY": "option",
                                                                     "RADIOTHERAPY": "option"}


# M5. seed item 11 (resect functioning) and 13 (enucleation may be considered); NCCN: enucleate a superficial insulinoma
INSULINOMA = dict(functional_syndrome="insulinoma", tumor_size_cm=1.2, tumor_location="tail", near_main_duct=False)

def test_superficial_insulinoma_follows_each_source_with_the_conflict_shown():
    seed, nccn = run("seed-2025", **INSULINOMA), run("nccn-2025", **INSULINOMA)
    assert strengths(seed)["PANCREATECTOMY"] == "recommended" and strengths(seed)["ENUCLEATION"] == "consider"
    assert strengths(nccn)["ENUCLEATION"] == "recommended" and "PANCREATECTOMY" not in strengths(nccn)
    assert all("SEED_NCCN_INSULINOMA_SURGERY" in split(a, "alerts") for a in (seed, nccn))


# M3. a small tumour of unknown functional status: NCCN resects every functioning tumour, observes only non-functioning
@pytest.mark.parametrize("policy", POLICIES)
def test_unknown_functional_status_is_named_as_what_blocks_management(policy):
    a = run(policy, functional_syndrome=None, tumor_size_cm=0.8)
    assert "functional_syndrome" in split(a, "data_gaps")
    assert not {"ACTIVE_SURVEILLANCE", "PANCREATECTOMY", "ENUCLEATION"} & split(a, "recommendations")


# M2. after resection: no operation and nothing to watch (NCCN NE-H, PanNET-11)
@pytest.mark.parametrize("policy", POLICIES)
def test_no_surgery_or_surveillance_after_resection(policy):
    a = run(policy, prior_therapies="PANCREATECTOMY", tumor_size_cm=0.9)
    assert not {"ACTIVE_SURVEILLANCE", "PANCREATECTOMY", "ENUCLEATION"} & split(a, "recommendations")


# ARC-Net: AJCC 7 T (exocrine scheme, S-MED2020 table 1): T4 = coeliac axis or SMA involved, unresectable
@pytest.mark.parametrize("policy", POLICIES)
def test_ajcc7_t_decides_the_setting_of_an_ajcc8_t4_tumour(policy):
    reg = dict(BASE, resectable=None, local_invasion="adjacent_organs_or_vessels", tumor_size_cm=3.0)
    free, vessels, blank = (assess({**reg, "t_category_ajcc7": t}, policy=policy) for t in ("T3", "T4", None))
    assert free.disease_setting == "localized" and "RESECTABILITY_PRESUMED" in split(free, "alerts")
    assert vessels.disease_setting == "locally_advanced" and "RESECTABILITY_PRESUMED" not in split(vessels, "alerts")
    assert blank.disease_setting == "unknown" and {"resectable", "t_category_ajcc7"} <= split(blank, "data_gaps")
