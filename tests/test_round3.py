"""Clinical fidelity of malignant-looking, recurrent, resected and biochemically proven functioning tumours, of inputs that
contradict each other, of registry labels and of unranked options: each case follows a cited source (clinical_facts
section in its docstring or comment, "CF"), runs through
`assess` and through a one-row `assess_frame`, and checks that both agree on every output column."""
import warnings

import pandas as pd
import pytest

from pannet_guideline import assess, assess_frame

from conftest import alerts, both, codes, items, strength  # noqa: F401

POLICIES = ("seed-2025", "nccn-2025")

LOC = dict(differentiation="well", ki67_pct=2.0, mitoses_per_2mm2=1, tumor_size_cm=1.5, local_invasion="none", nodal_status="N0",
           metastatic_sites="none", resectable="yes", functional_syndrome="none", carcinoid_syndrome=False, symptomatic=False,
           sstr_status="positive", hereditary_syndrome="none", age_years=60, multifocal=False, prior_therapies="none",
           tumor_location="body", near_main_duct=False)
MET = dict(LOC, ki67_pct=8.0, tumor_size_cm=3.0, nodal_status="N1", metastatic_sites="liver", resectable="no",
           progression="stable", tumor_burden="low")




# 1. CF 5.1 (deep or invasive insulinoma -> formal resection), 4.1 (invasive or node-positive -> pancreatectomy),
#    5.3 / 13.1 (malignant-looking functioning tumour: complete resection with the regional nodes)
@pytest.mark.parametrize("policy", POLICIES)
@pytest.mark.parametrize("change", [dict(nodal_status="N1"), dict(local_invasion="duodenum_or_bile_duct")])
def test_malignant_looking_insulinoma_is_not_enucleated(policy, change):
    a = both(dict(LOC, functional_syndrome="insulinoma", **change), policy)
    assert "ENUCLEATION" not in codes(a) and "PANCREATECTOMY" in codes(a)
    if policy == "nccn-2025": assert a.primary_recommendation == "PANCREATECTOMY"


def test_superficial_node_negative_insulinoma_is_still_enucleated():
    "CF 5.1: exophytic or peripheral, away from the duct -> enucleation."
    a = both(dict(LOC, functional_syndrome="insulinoma"), "nccn-2025")
    assert a.primary_recommendation == "ENUCLEATION"


# 2. Two inputs for one field that disagree are a conflict (DESIGN, input boundary); CF 4.1 / 13.6 (observation only <= 2 cm)
@pytest.mark.parametrize("policy", POLICIES)
def test_size_in_cm_and_mm_that_disagree_is_a_conflict(policy):
    a = both(dict(LOC, tumor_size_cm=1.5, tumor_size_mm=45), policy)
    assert "tumor_size_cm" in a.conflicts and "tumor_size_cm" in items(a.data_gaps)
    assert "ACTIVE_SURVEILLANCE" not in codes(a) and a.t_category == "TX"


def test_size_in_cm_and_mm_that_agree_is_no_conflict():
    a = both(dict(LOC, tumor_size_cm=1.5, tumor_size_mm=15))
    assert a.conflicts == "" and a.t_category == "T1" and "tumor_size_cm" not in items(a.data_gaps)


def test_size_conflict_in_a_cohort_touches_only_its_row():
    df = pd.DataFrame([dict(LOC, tumor_size_mm=45), dict(LOC, tumor_size_mm=15), dict(LOC, tumor_size_cm=None, tumor_size_mm=45)], dtype=object)
    out = assess_frame(df)
    assert "tumor_size_cm" in str(out["conflicts"][0]) and str(out["conflicts"][1]) == str(out["conflicts"][2]) == ""
    assert list(out["t_category"].astype(str)) == ["TX", "T1", "T3"]


# 3. CF 5.1, 13.5: medical control of the syndrome belongs before or instead of resection, or to advanced disease
@pytest.mark.parametrize("policy", POLICIES)
def test_no_syndrome_control_after_curative_resection_of_a_benign_insulinoma(policy):
    a = both(dict(LOC, functional_syndrome="insulinoma", prior_therapies="ENUCLEATION"), policy)
    assert not codes(a) & {"SYNDROME_CONTROL", "EVEROLIMUS", "SSA", "PERIOPERATIVE_OCTREOTIDE"}
    assert "PITFALL_PERIOPERATIVE_PREPARATION" not in alerts(a) and "FOLLOW_UP" in codes(a)


def test_syndrome_control_before_resection_stays():
    a = both(dict(LOC, functional_syndrome="insulinoma"), "nccn-2025")
    assert "SYNDROME_CONTROL" in codes(a) and "PITFALL_PERIOPERATIVE_PREPARATION" in alerts(a)


# 4. CF 9 (NCCN PanNET-11: recurrence -> resection in select cases); 6.1 (progression: trial, systemic or locoregional therapy)
@pytest.mark.parametrize("policy", POLICIES)
def test_progressive_recurrence_after_whipple_is_not_follow_up_only(policy):
    a = both(dict(LOC, tumor_location="head", prior_therapies="PANCREATECTOMY", progression="progressive"), policy)
    assert "FOLLOW_UP" not in codes(a) and "PRIOR_RESECTION" not in alerts(a)
    assert {"MDT_REVIEW", "RECURRENCE_RESECTION"} <= codes(a) and "RECURRENCE" in alerts(a)


def test_stable_after_whipple_is_follow_up():
    a = both(dict(LOC, tumor_location="head", prior_therapies="PANCREATECTOMY", progression="stable"), "nccn-2025")
    assert a.primary_recommendation == "FOLLOW_UP" and "RECURRENCE_RESECTION" not in codes(a)


# 5. CF 13.4: under WHO 2010 every Ki-67 above 20 % was "NEC"; the label alone is no morphology
@pytest.mark.parametrize("policy", POLICIES)
def test_who2010_nec_label_in_the_differentiation_column_is_not_a_morphology(policy):
    p = dict(MET, differentiation="NEC", recorded_grade_edition="who-2010", ki67_pct=30.0, mitoses_per_2mm2=None)
    a = both(p, policy)
    assert a.nen_class == "unknown" and "PLATINUM_ETOPOSIDE" not in codes(a)
    assert "differentiation" in items(a.data_gaps) and "NEC_LABEL_WHO2010" in alerts(a)


def test_nec_label_under_who2019_and_poorly_differentiated_under_who2010_stay_nec():
    assert both(dict(MET, differentiation="NEC", recorded_grade_edition="who-2019", ki67_pct=60.0)).nen_class == "NEC"
    assert both(dict(MET, differentiation="poorly differentiated", recorded_grade_edition="who-2010", ki67_pct=60.0)).nen_class == "NEC"


# 6. CF 5.1, 5.2, 13.2: symptom control follows the syndrome, not the class or grade
@pytest.mark.parametrize("policy", POLICIES)
@pytest.mark.parametrize("syndrome,expected", [("insulinoma", {"SYNDROME_CONTROL"}), ("gastrinoma", {"SYNDROME_CONTROL", "SSA"})])
def test_syndrome_control_without_histology(policy, syndrome, expected):
    p = dict(functional_syndrome=syndrome, carcinoid_syndrome=False, symptomatic=True)
    a = both(p, policy)
    assert expected <= codes(a) and a.nen_class == "unknown"


# 7. CF 6.1 (NCCN PanNET-13: progression -> clinical trial, systemic or locoregional; NE-H 2 of 9: FOLFOX/CAPEOX for bulky,
#    symptomatic and/or progressive disease)
def test_nccn_progression_after_several_lines_offers_a_trial_and_folfox():
    p = dict(MET, progression="progressive", tumor_burden="high",
             prior_therapies="SSA;EVEROLIMUS;SUNITINIB;PRRT;CAPTEM;CABOZANTINIB")
    a = both(p, "nccn-2025")
    assert {"CLINICAL_TRIAL", "OXALIPLATIN_FLUOROPYRIMIDINE"} <= codes(a)


def test_folfox_not_repeated_once_given():
    p = dict(MET, progression="progressive", prior_therapies="SSA;OXALIPLATIN_FLUOROPYRIMIDINE")
    assert "OXALIPLATIN_FLUOROPYRIMIDINE" not in codes(both(p, "nccn-2025"))


# 8. CF 13.2 (NE-L: corticosteroids for SSTR-refractory VIPoma); 6.1 note dd (staged Whipple and hepatectomy: liver first)
@pytest.mark.parametrize("policy", POLICIES)
def test_ssa_refractory_vipoma_gets_corticosteroids(policy):
    a = both(dict(MET, functional_syndrome="vipoma", symptomatic=True, prior_therapies="SSA"), policy)
    assert "CORTICOSTEROIDS" in codes(a)
    assert "CORTICOSTEROIDS" not in codes(both(dict(MET, functional_syndrome="vipoma", symptomatic=True), policy))


@pytest.mark.parametrize("policy", POLICIES)
def test_head_primary_with_resectable_liver_metastases_gets_liver_first(policy):
    a = both(dict(MET, tumor_location="head", resectable="yes"), policy)
    assert "LIVER_FIRST_STAGED_RESECTION" in alerts(a)
    assert "LIVER_FIRST_STAGED_RESECTION" not in alerts(both(dict(MET, tumor_location="tail", resectable="yes"), policy))


# 9. CF 1.1 (Ki-67 > 20 % is necessary for NEC), 13.4 (route to pathology review)
@pytest.mark.parametrize("policy", POLICIES)
@pytest.mark.parametrize("setting", [dict(), dict(metastatic_sites="none", nodal_status="N0", resectable="yes")])
def test_poorly_differentiated_with_low_ki67_is_held_for_review(policy, setting):
    a = both(dict(MET, differentiation="poor", ki67_pct=8.0, **setting), policy)
    assert "NEC_KI67_DISCORDANT" in alerts(a) and "PLATINUM_ETOPOSIDE" not in codes(a)
    assert a.primary_recommendation in ("", "COMPLETE_STAGING") and "differentiation" in items(a.data_gaps)


def test_poorly_differentiated_high_ki67_keeps_platinum():
    assert both(dict(MET, differentiation="poor", ki67_pct=70.0)).primary_recommendation == "PLATINUM_ETOPOSIDE"


# 10. Ki-67 written as fractions (DESIGN, input boundary): warn at any row count; a lone 0.6 is kept, with a warning
def test_small_file_of_fractions_is_not_graded_on_them():
    "Five rows of 0.02 to 0.60 (2 % to 60 %): not read as percentages; no G1 and no observation rest on them (CF 1.1, 4.1 note e)."
    rows = [dict(LOC, ki67_pct=k) for k in (0.02, 0.05, 0.1, 0.3, 0.6)]
    for policy in ("seed-2025", "nccn-2025"):
        out = assess_frame(pd.DataFrame(rows, dtype=object), policy=policy)
        assert out["input_issues"].astype(str).str.contains("as if fractions").all()
        assert not out["recommendations"].astype(str).str.contains("ACTIVE_SURVEILLANCE").any()
        assert not ((out["who_grade"].astype(str) == "G1") & ~out["grade_provisional"].astype(bool)).any()


def test_one_patient_with_ki67_below_one_is_warned_and_kept():
    a = both(dict(LOC, ki67_pct=0.6))
    assert "KI67_MAY_BE_FRACTION" in alerts(a) and a.who_grade == "G1" and a.input_issues == ""


def test_percentages_above_one_get_no_fraction_warning():
    rows = [dict(LOC, ki67_pct=k) for k in (0.5, 2.0, 15.0)]
    with warnings.catch_warnings():
        warnings.simplefilter("error", UserWarning)
        out = assess_frame(pd.DataFrame(rows, dtype=object))
    assert not out["alerts"].astype(str).str.contains("KI67_MAY_BE_FRACTION").any()


# 11. A recorded G1 without indices: the alert says the grade is the recorded one (CF 13.4 registry coding)
def test_recorded_g1_alert_names_the_record():
    a = both(dict(LOC, ki67_pct=None, mitoses_per_2mm2=None, recorded_grade="G1"))
    assert "SURVEILLANCE_NEEDS_KI67_RECORDED_GRADE" in alerts(a) and "SURVEILLANCE_NEEDS_KI67" not in alerts(a)
    b = both(dict(LOC, ki67_pct=None, mitoses_per_2mm2=1, recorded_grade="G1"))  # a count beside the record, no Ki-67
    assert "SURVEILLANCE_NEEDS_KI67" in alerts(b) and "SURVEILLANCE_NEEDS_KI67_RECORDED_GRADE" not in alerts(b)


# 12. CF 6.1 (NE-H general notes: no data to guide the sequence among systemic options)
def test_progression_on_ssa_leaves_the_choice_open():
    a = both(dict(MET, progression="progressive", tumor_burden="high", prior_therapies="SSA"), "nccn-2025")
    assert a.primary_recommendation == ""
    assert {"PRRT", "EVEROLIMUS", "SUNITINIB", "CAPTEM"} <= items(a.primary_options)


def test_progression_before_any_analogue_starts_the_analogue():
    "CF 6.1 (PanNET-12: octreotide LAR or lanreotide if not already on it)."
    a = both(dict(MET, progression="progressive", tumor_burden="high", prior_therapies="none"), "nccn-2025")
    assert a.primary_recommendation == "SSA"


# 13. explain() names the schedule that applies and prints it and the work-up
def test_explain_names_the_schedule_and_the_workup():
    a = both(dict(LOC, tumor_size_cm=3.0, prior_therapies="PANCREATECTOMY"), "nccn-2025")
    text = a.explain()
    assert a.followup_schedule == "NCCN_RESECTED_G1G2"
    assert "Follow-up schedule: NET G1/G2 after resection (NCCN PanNET-11)" in text and "[NCCN_RESECTED_G1G2]" in text
    assert "every 6 months to 12 months" in text or "6 months to 12 months" in text
    assert "Work-up:" in text
    assert "NET G3: after resection" not in text and "Visits 3- to 6-monthly" not in text  # only the schedule that applies is quoted


# ---- smaller points

def test_recorded_m1b_against_liver_only_sites_stays_metastatic():
    "CF 10.8 (liver only is M1a) and 2.1 (M1a, M1b, M1c are all stage IV): both readings say M1, only the subcategory is held."
    a = both(dict(MET, m_category="M1b"))
    assert (a.m_category, a.disease_setting, a.stage_ajcc8) == ("M1", "metastatic", "IV")
    assert "m_category" in a.conflicts and "m_category" in items(a.data_gaps)


def test_recorded_net_g3_is_well_differentiated():
    "CF 1.2 R-GR-H2 (WHO 2017 onwards: NET G3 is a well-differentiated tumour); 13.4."
    a = both(dict(MET, differentiation=None, ki67_pct=None, mitoses_per_2mm2=None, recorded_grade="NET G3"))
    assert (a.nen_class, a.who_grade) == ("NET", "G3") and "HIGH_GRADE_MORPHOLOGY_UNKNOWN" not in alerts(a)
    b = both(dict(MET, differentiation=None, ki67_pct=None, mitoses_per_2mm2=None, recorded_grade="G3"))
    assert b.nen_class == "unknown" and "HIGH_GRADE_MORPHOLOGY_UNKNOWN" in alerts(b)


def test_recorded_t2_alone_makes_pancreatectomy_available():
    "CF 2.1 (T2 is 2-4 cm) and 4.1 (NCCN: pancreatectomy at 2.0 cm among three options, and above 2 cm)."
    p = dict(LOC, tumor_size_cm=None, nodal_status=None, t_category="T2", n_category="N0")
    assert "PANCREATECTOMY" in codes(both(p, "nccn-2025"))


def test_seed_lists_resection_beside_surveillance_at_1_5_cm():
    "CF 11 items 8 (surgery the treatment of choice) and 10 (surveillance may be considered under 2 cm)."
    a = both(dict(LOC), "seed-2025")
    assert {"PANCREATECTOMY", "ACTIVE_SURVEILLANCE"} <= codes(a)
    assert strength(a, "PANCREATECTOMY") == "recommended" and strength(a, "ACTIVE_SURVEILLANCE") == "consider"


@pytest.mark.parametrize("change,missing", [(dict(mitoses_per_2mm2=None), "mitoses_per_2mm2"), (dict(ki67_pct=None, mitoses_per_2mm2=3), "ki67_pct")])
def test_g2_from_one_index_is_a_provisional_lower_bound(change, missing):
    "CF 1.1 R-GR-02 (G3 if either index is above 20) and R-GR-05 (one-index grades flagged)."
    a = both({**LOC, "ki67_pct": 8.0, **change})
    assert (a.who_grade, a.grade_provisional) == ("G2", True) and missing in items(a.data_gaps)


def test_insulinoma_analogue_caution_also_when_localised():
    "CF 5.1 (analogue only with positive SSTR imaging, and cautiously)."
    a = both(dict(LOC, functional_syndrome="insulinoma"), "nccn-2025")
    assert "SSA" in codes(a) and "INSULINOMA_SSA_CAUTION" in alerts(a)


def test_everolimus_for_glucose_after_everolimus_failed_says_so():
    "CF 5.1 (everolimus for glucose control) and 6.1 (a failed line)."
    a = both(dict(MET, functional_syndrome="insulinoma", progression="progressive", prior_therapies="EVEROLIMUS"), "nccn-2025")
    assert "EVEROLIMUS_FAILED_GLUCOSE_CONTROL" in alerts(a)


def test_seed_versus_source_alerts_only_under_the_seed_policy():
    p = dict(MET, ki67_pct=12.0)
    assert "SEED_SSA_KI67_ABOVE_CLARINET" in alerts(both(p, "seed-2025"))
    assert "SEED_SSA_KI67_ABOVE_CLARINET" not in alerts(both(p, "nccn-2025"))


def test_a_block_of_a_larger_table_follows_the_whole_table_verdict():
    "A block whose Ki-67 values are all 1 or less, of a table that holds a percentage, is not warned of (as a single pass would not)."
    from pannet_guideline.schema import fractions_verdict, ki67_extent, read_frame
    whole = pd.DataFrame({"ki67_pct": [0.5, 0.8, 12.0]})
    verdict = fractions_verdict(*ki67_extent(whole))
    with warnings.catch_warnings():
        warnings.simplefilter("error", UserWarning)
        block = read_frame(whole.iloc[:2], ki67_fractions=verdict)
    assert verdict is False and "ki67_fraction_suspect" not in block.data
