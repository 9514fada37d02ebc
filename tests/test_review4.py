"Findings of the clinical review, round 4: each expectation comes from the cited clinical_facts section (CF), not from the code."
import pandas as pd
import pytest

from pannet_guideline import assess, assess_frame

NF = dict(differentiation="well", ki67_pct=2, mitoses_per_2mm2=1, tumor_size_cm=1.5, local_invasion="none", nodal_status="N0",
          metastatic_sites="none", resectable="yes", functional_syndrome="none", carcinoid_syndrome=False, symptomatic=False,
          sstr_status="positive", progression="stable", tumor_burden="low", hereditary_syndrome="none", age_years=60,
          multifocal=False, tumor_location="head", near_main_duct=False, prior_therapies="none")
MET = dict(metastatic_sites="liver", resectable="no", tumor_size_cm=3.0)
POLICIES = ("seed-2025", "nccn-2025")
COLS = ("recommendations", "primary_recommendation", "primary_options", "primary_held_by", "alerts", "data_gaps")


def run(p, policy):
    "One patient by `assess` and as a one-row frame: they must agree."
    p = {k: v for k, v in p.items() if v is not None}
    a = assess(p, policy=policy)
    row = assess_frame(pd.DataFrame([p]), policy=policy).iloc[0]
    for c in COLS: assert (row[c] if isinstance(row[c], str) else "") == getattr(a, c), (c, row[c], getattr(a, c))
    return a


def codes(a, col="recommendations"): return set(filter(None, getattr(a, col).split(";")))


def strength(a, code): return next((r.strength for r in a.recommendation_list if r.code == code), None)


def primaries(a): return codes(a, "primary_recommendation") | codes(a, "primary_options")


# 1. CF 5.2: gastrinoma surgery is chosen by site (duodenal, head, distal), and an occult gastrinoma (no tumour on imaging) is
#    observed or explored. With no size, T category or place recorded, no operation can be named: the primary waits on them.
OCCULT_GASTRINOMA = {**NF, "functional_syndrome": "gastrinoma", "symptomatic": True, "tumor_size_cm": None, "tumor_location": None,
                     "local_invasion": None}


@pytest.mark.parametrize("policy", POLICIES)
def test_gastrinoma_not_located_holds_the_operation(policy):
    a = run(OCCULT_GASTRINOMA, policy)
    assert "PANCREATECTOMY" not in primaries(a) and "ENUCLEATION" not in primaries(a)
    assert {"tumor_size_cm", "tumor_location"} <= codes(a, "primary_held_by")
    assert {"tumor_size_cm", "tumor_location"} <= codes(a, "data_gaps")
    assert "GASTRINOMA_NOT_LOCATED" in codes(a, "alerts")
    assert "SYNDROME_CONTROL" in codes(a)  # CF 5.2: acid control does not wait on the site


@pytest.mark.parametrize("policy", POLICIES)
@pytest.mark.parametrize("where", [dict(tumor_location="tail", tumor_size_cm=None), dict(tumor_location=None, tumor_size_cm=1.5)])
def test_located_gastrinoma_is_resected(policy, where):
    "CF 5.2: a pancreatic gastrinoma that has been seen (a place or a size recorded) is resected, pancreatoduodenectomy or distal."
    a = run({**OCCULT_GASTRINOMA, "local_invasion": "none", **where}, policy)
    assert a.primary_recommendation == "PANCREATECTOMY" and "GASTRINOMA_NOT_LOCATED" not in codes(a, "alerts")


# CF 5.3 / 13.2: glucagonoma and VIPoma over 2 cm or malignant-looking are resected formally; the rare small (under 2 cm) peripheral
# one may be enucleated. With the size unknown (and invasion unknown) the operation cannot be chosen under NCCN.
VIPOMA = {**NF, "functional_syndrome": "vipoma", "symptomatic": True, "tumor_size_cm": None, "local_invasion": None}


@pytest.mark.parametrize("syndrome", ["vipoma", "glucagonoma"])
def test_nccn_vipoma_glucagonoma_size_unknown_is_resected_and_only_enucleation_waits(syndrome):
    "CF 5.3: resection at any size, so an unknown size holds only the enucleation a small peripheral tumour could get beside it."
    a = run({**VIPOMA, "functional_syndrome": syndrome}, "nccn-2025")
    assert "PANCREATECTOMY" in primaries(a) and "ENUCLEATION" not in codes(a)
    assert "SYNDROME_CONTROL" in codes(a)


@pytest.mark.parametrize("size,enucleation", [(3.0, False), (1.5, True)])
def test_nccn_vipoma_known_size_is_resected(size, enucleation):
    "CF 5.3: resection either way; enucleation beside it only under 2 cm and peripheral."
    a = run({**VIPOMA, "tumor_size_cm": size, "local_invasion": "none", "tumor_location": "tail"}, "nccn-2025")
    assert a.primary_recommendation == "PANCREATECTOMY" and ("ENUCLEATION" in codes(a)) is enucleation


def test_nccn_vipoma_invasive_size_unknown_is_resected():
    "CF 13.1 (NE-F): a malignant-looking VIPoma is resected with its nodes whatever its size."
    a = run({**VIPOMA, "local_invasion": "duodenum_or_bile_duct"}, "nccn-2025")
    assert a.primary_recommendation == "PANCREATECTOMY"


def test_seed_vipoma_size_unknown_keeps_the_seed_reading():
    "Seed item 11: functioning tumours are resected whatever their size; the place is recorded, so a primary was seen."
    a = run(VIPOMA, "seed-2025")
    assert a.primary_recommendation == "PANCREATECTOMY"


# 3. CF 4.1 / 10.7: at 1 cm or less NCCN lists observation as the only option; note e asks for a low-grade tumour without a figure.
#    A G2 of 1 cm or less is not given resection as the sole primary: observation stays listed, unranked, for the team, with an alert.
P1 = {**NF, "tumor_size_cm": 0.6, "ki67_pct": 4, "mitoses_per_2mm2": 0}


def test_nccn_le1cm_g2_observation_listed_beside_resection():
    a = run(P1, "nccn-2025")
    assert a.who_grade == "G2"
    assert a.primary_recommendation == "" and {"ACTIVE_SURVEILLANCE", "PANCREATECTOMY"} <= codes(a, "primary_options")
    assert strength(a, "PANCREATECTOMY") == "option" and strength(a, "ACTIVE_SURVEILLANCE") == "option"
    assert "NCCN_LOW_GRADE_UNDEFINED_LE1CM" in codes(a, "alerts")
    assert "SURVEILLANCE_WITHHELD_G2" not in codes(a, "alerts")  # surveillance is not withheld under NCCN here


def test_seed_le1cm_g2_is_resected():
    "Seed item 27: G2 is resected when possible; surveillance (item 10) is read as G1 only, so the alert stays."
    a = run(P1, "seed-2025")
    assert a.primary_recommendation == "PANCREATECTOMY" and "ACTIVE_SURVEILLANCE" not in codes(a)
    assert "SURVEILLANCE_WITHHELD_G2" in codes(a, "alerts")


# 6. CF 13.6: the observation branch requires no symptoms; while `symptomatic` is unrecorded observation is not offered and the
#    field is a data gap (and holds the primary where observation is the only option, 1 cm or less).
@pytest.mark.parametrize("policy", POLICIES)
def test_symptoms_unknown_is_a_gap_for_observation(policy):
    a = run({**NF, "symptomatic": None}, policy)
    assert "ACTIVE_SURVEILLANCE" not in codes(a)
    assert "symptomatic" in codes(a, "data_gaps") and "SYMPTOMS_NOT_RECORDED" in codes(a, "alerts")


def test_nccn_le1cm_symptoms_unknown_holds_the_primary():
    a = run({**NF, "symptomatic": None, "tumor_size_cm": 0.8}, "nccn-2025")
    assert a.primary_recommendation == "" and a.primary_options == "" and "symptomatic" in codes(a, "primary_held_by")


@pytest.mark.parametrize("size", [0.8, 1.5])
def test_nccn_observation_offered_once_asymptomatic(size):
    "CF 10.7: the NCCN oracle lists observation at 0.8 and 1.5 cm for an asymptomatic low-grade tumour."
    a = run({**NF, "tumor_size_cm": size}, "nccn-2025")
    assert "ACTIVE_SURVEILLANCE" in codes(a) and "symptomatic" not in codes(a, "data_gaps")


# 2. CF 6.1 (NCCN NE-H 2 of 9): the PanNET systemic list has no streptozocin regimen; CF 6.4: ENETS 2016 placed STZ/5-FU for
#    progressive, bulky or symptomatic pancreatic G1/G2; seed item 25 lists streptozocin. Under NCCN it is not offered; under the
#    seed it stays, with an alert naming the departure.
A29 = {**NF, **MET, "ki67_pct": 8, "mitoses_per_2mm2": 1, "prior_therapies": "SSA", "progression": "progressive", "tumor_burden": "high"}


def test_nccn_lists_no_streptozocin():
    a = run(A29, "nccn-2025")
    assert "STREPTOZOCIN_5FU" not in codes(a)
    assert {"CAPTEM", "OXALIPLATIN_FLUOROPYRIMIDINE"} <= codes(a)  # CF 6.1: CAPTEM preferred; FOLFOX/CAPEOX other recommended
    assert "SEED_STREPTOZOCIN_VS_NCCN" not in codes(a, "alerts")


def test_seed_keeps_streptozocin_with_an_alert():
    a = run(A29, "seed-2025")
    assert "STREPTOZOCIN_5FU" in codes(a) and "SEED_STREPTOZOCIN_VS_NCCN" in codes(a, "alerts")


# 4. CF 6.1 (NCCN PanNET-12: resect primary and metastases if possible) and 6.6 (PDQ: resecting all visible liver metastases is
#    standard when feasible; NE-F: >90 % cytoreduction, a different aim). Liver-only metastases judged resectable get the complete
#    resection code, not "debulking"; borderline ones keep cytoreduction.
LIVER = {**NF, "metastatic_sites": "liver", "resectable": "yes", "tumor_size_cm": 3.0}


@pytest.mark.parametrize("policy", POLICIES)
@pytest.mark.parametrize("location", ["head", "tail"])
def test_resectable_liver_only_metastases_are_resected_completely(policy, location):
    a = run({**LIVER, "tumor_location": location}, policy)
    assert "METASTASECTOMY" in codes(a) and "CYTOREDUCTIVE_SURGERY" not in codes(a)
    assert "PITFALL_CONSIDER_CYTOREDUCTION" in codes(a, "alerts")  # seed pitfall 5 still named: surgery is to be weighed


@pytest.mark.parametrize("policy", POLICIES)
def test_borderline_liver_only_metastases_keep_cytoreduction(policy):
    a = run({**LIVER, "resectable": "borderline"}, policy)
    assert "CYTOREDUCTIVE_SURGERY" in codes(a) and "METASTASECTOMY" not in codes(a)


# 5. CF 6.2 (NCCN WDG3): biology by examples, favourable = Ki-67 < 55 %, slower growth, SSTR-PET positive; unfavourable = Ki-67
#    >= 55 %, faster growth, SSTR-PET negative / FDG-avid. Favourable systemic options include FOLFOX, CAPEOX and cis/carboplatin-
#    etoposide (beside CAPTEM, everolimus, sunitinib, cabozantinib, PRRT); unfavourable: trial preferred, platinum-etoposide, etc.
G3 = {**NF, **MET, "ki67_pct": 30, "mitoses_per_2mm2": 5, "tumor_burden": "high"}


def test_nccn_favourable_g3_progressive_lists_oxaliplatin_and_platinum():
    a = run({**G3, "progression": "progressive", "prior_therapies": "SSA"}, "nccn-2025")
    assert {"OXALIPLATIN_FLUOROPYRIMIDINE", "PLATINUM_ETOPOSIDE", "CAPTEM", "EVEROLIMUS", "SUNITINIB"} <= codes(a)
    assert "NCCN_WDG3_ADVANCED_FAVOURABLE" in a.followup_schedule


@pytest.mark.parametrize("policy", POLICIES)
def test_sstr_negative_g3_below_55_is_not_read_as_favourable(policy):
    a = run({**G3, "sstr_status": "negative"}, policy)
    assert strength(a, "CLINICAL_TRIAL") == "recommended"  # CF 6.2: trial preferred for unfavourable biology
    assert not codes(a) & {"EVEROLIMUS", "SUNITINIB", "CABOZANTINIB", "PRRT", "SSA"}
    assert "G3_SSTR_NEGATIVE_BELOW_55" in codes(a, "alerts")
    if policy == "nccn-2025": assert "NCCN_WDG3_ADVANCED_UNFAVOURABLE" in a.followup_schedule


def test_nccn_resectable_sstr_negative_g3_below_55_prefers_a_trial():
    "CF 6.2: resectable unfavourable G3: clinical trial preferred, resection or neoadjuvant chemotherapy case by case."
    a = run({**NF, "ki67_pct": 30, "mitoses_per_2mm2": 5, "tumor_size_cm": 3, "sstr_status": "negative"}, "nccn-2025")
    assert a.primary_recommendation == "CLINICAL_TRIAL" and strength(a, "PANCREATECTOMY") == "option"
    assert "G3_SSTR_NEGATIVE_BELOW_55" in codes(a, "alerts")


def test_nccn_sstr_positive_g3_below_55_stays_favourable():
    a = run({**NF, "ki67_pct": 30, "mitoses_per_2mm2": 5, "tumor_size_cm": 3}, "nccn-2025")
    assert a.primary_recommendation == "PANCREATECTOMY" and "G3_SSTR_NEGATIVE_BELOW_55" not in codes(a, "alerts")


# 7 (P10). Seed-versus-source alerts name a departure of the seed's advice; under NCCN there is no seed advice to flag.
SEED_ONLY_CASES = [
    ({**NF, "functional_syndrome": "gastrinoma", "symptomatic": True}, {"SEED_OCTREOTIDE_VS_NCCN", "SEED_HEREDITARY_INCOMPLETE"}),
    ({**NF, **MET, "functional_syndrome": "other", "carcinoid_syndrome": True, "symptomatic": True, "tumor_burden": "high"},
     {"SEED_CARDIAC_MIDGUT_CONTENT"}),
]


@pytest.mark.parametrize("patient,seed_alerts", SEED_ONLY_CASES)
def test_seed_versus_source_alerts_only_under_the_seed(patient, seed_alerts):
    assert seed_alerts <= codes(run(patient, "seed-2025"), "alerts")
    assert not seed_alerts & codes(run(patient, "nccn-2025"), "alerts")


def test_octreotide_evidence_caveat_follows_each_policys_rule():
    "CF 7 R-PO-01/03: NCCN considers octreotide in carcinoid syndrome only; the seed infuses it for every functioning NET."
    gastrinoma = {**NF, "functional_syndrome": "gastrinoma", "symptomatic": True}
    assert "PERIOP_OCTREOTIDE_EVIDENCE_CAVEAT" in codes(run(gastrinoma, "seed-2025"), "alerts")
    assert "PERIOP_OCTREOTIDE_EVIDENCE_CAVEAT" not in codes(run(gastrinoma, "nccn-2025"), "alerts")


# 7 (P8). CF 13.4: under WHO 2010 every high-grade NEN was an "NEC", so a WHO 2010 label is no morphology; under WHO 2017/2019 NEC is
#    a morphology (R-GR-01). A recorded G3 without differentiation is held for review under any edition, and its alert must not speak
#    of WHO 2010; a recorded NEC under WHO 2019 is an NEC and is not called "without a morphology".
NO_INDICES = {k: v for k, v in NF.items() if k not in ("differentiation", "ki67_pct", "mitoses_per_2mm2")}


@pytest.mark.parametrize("edition", ["who-2017", "who-2019"])
def test_recorded_g3_alert_text_fits_the_edition(edition):
    from pannet_guideline.vocab import ALERTS
    a = run({**NO_INDICES, "recorded_grade": "G3", "recorded_grade_edition": edition}, "nccn-2025")
    assert a.nen_class == "unknown" and "HIGH_GRADE_MORPHOLOGY_UNKNOWN" in codes(a, "alerts")
    assert "2010" not in ALERTS["HIGH_GRADE_MORPHOLOGY_UNKNOWN"].text


@pytest.mark.parametrize("policy", POLICIES)
def test_recorded_nec_who2019_is_an_nec_without_the_review_alert(policy):
    a = run({**NO_INDICES, "recorded_grade": "NEC", "recorded_grade_edition": "who-2019"}, policy)
    assert a.nen_class == "NEC" and "HIGH_GRADE_MORPHOLOGY_UNKNOWN" not in codes(a, "alerts")


def test_recorded_nec_who2010_stays_held():
    a = run({**NO_INDICES, "recorded_grade": "NEC", "recorded_grade_edition": "who-2010"}, "nccn-2025")
    assert a.nen_class != "NEC" and "HIGH_GRADE_MORPHOLOGY_UNKNOWN" in codes(a, "alerts")


# 7 (P5/P6). CF 6.3 / 13.3: NCCN lists, for extrapulmonary PDNEC, platinum-etoposide, irinotecan- and oxaliplatin-based regimens and
#    temozolomide with or without capecitabine, with no line order ("after platinum-etoposide: any listed non-identical regimen");
#    NCCN note g: consider tumour molecular testing (pembrolizumab for MSI-H/dMMR/TMB-H, BRAF, NTRK, RET); ENETS 2023: profiling.
NEC_MET = {**NF, **MET, "differentiation": "poor", "ki67_pct": 70, "mitoses_per_2mm2": 40, "tumor_burden": "high"}


@pytest.mark.parametrize("policy", POLICIES)
def test_nec_after_platinum_lists_temozolomide(policy):
    a = run({**NEC_MET, "prior_therapies": "PLATINUM_ETOPOSIDE", "progression": "progressive"}, policy)
    assert {"IRINOTECAN_FLUOROPYRIMIDINE", "OXALIPLATIN_FLUOROPYRIMIDINE", "CAPTEM"} <= codes(a)
    assert "PLATINUM_ETOPOSIDE" not in codes(a)


@pytest.mark.parametrize("policy", POLICIES)
def test_advanced_nec_prompts_molecular_testing(policy):
    assert "NEC_MOLECULAR_TESTING" in codes(run(NEC_MET, policy), "alerts")
    assert "NEC_MOLECULAR_TESTING" not in codes(run({**NF, **MET}, policy), "alerts")


# 7 (X38). CF 6.1 (NE-H 2 of 9, useful in certain circumstances): above-label analogue dose on progression, SSTR-positive (octreotide
#    LAR up to 60 mg/month, lanreotide 120 mg every 14 days). NCCN only; not for SSTR-negative disease; the seed names no such dose.
X38 = {**NF, **MET, "ki67_pct": 5, "prior_therapies": "SSA", "progression": "progressive", "tumor_burden": "high"}


def test_nccn_lists_above_label_analogue_on_progression():
    a = run(X38, "nccn-2025")
    assert strength(a, "SSA_ABOVE_LABEL") == "option"
    assert "SSA_ABOVE_LABEL" not in codes(run({**X38, "sstr_status": "negative"}, "nccn-2025"))
    assert "SSA_ABOVE_LABEL" not in codes(run({**X38, "prior_therapies": "SSA;SSA_ABOVE_LABEL"}, "nccn-2025"))
    assert "SSA_ABOVE_LABEL" not in codes(run({**X38, "prior_therapies": "none", "progression": "stable"}, "nccn-2025"))


def test_seed_names_no_above_label_dose():
    assert "SSA_ABOVE_LABEL" not in codes(run(X38, "seed-2025"))


# 7 (P12). CF 5.1 / 13.2: for insulinoma NCCN controls hypoglycaemia with diet, diazoxide and/or everolimus; everolimus as an
#    antitumour line is for progressive disease (CF 6.1). Where it is listed for glucose control, the output says so.
INSULINOMA = {**NF, "functional_syndrome": "insulinoma", "symptomatic": True, "tumor_size_cm": 1.2}


@pytest.mark.parametrize("policy", POLICIES)
def test_everolimus_for_glucose_control_is_labelled(policy):
    a = run(INSULINOMA, policy)
    assert "EVEROLIMUS" in codes(a) and "EVEROLIMUS_FOR_GLUCOSE_CONTROL" in codes(a, "alerts")
    assert "EVEROLIMUS_FOR_GLUCOSE_CONTROL" not in codes(run(NF, policy), "alerts")
