"""Grades that rest on one index, localised NEC, recorded grades against the indices, the text of held readings, PRRT
for insulinoma, and the meaning of `input_issues`; every expectation from clinical_facts.md (CF) or the seed, every case
checked on one patient and on its one-row cohort (`both`).

- A mitotic count alone gives a grade that is only a lower bound: the higher index decides (CF 1.1 R-GR-03), and Ki-67
  may be the higher one. Where a higher grade would change the management, the primary waits for Ki-67 and the
  alternatives say what each Ki-67 would give; observation needs a low grade on a measured Ki-67 (CF 4.1 note e,
  13.6).
- Every NCCN route for resectable NEC holds platinum-etoposide: after resection, before it, alone or with radiotherapy
  (CF 6.3, 13.5), so chemotherapy is recommended and resection is one way to combine it.
- A recorded grade is named in `conflicts` whichever side of the indices it lies, and by what was recorded.
- A reading of `differentiation` is a stated morphology, not the WHO 2010 label the record carried (CF 1.1 R-GR-01, 13.4).
- NCCN lists PRRT for symptom control of an SSTR-positive insulinoma (CF 13.2, NE-J).
"""
import pytest

from conftest import both, items, strength
from pannet_guideline.guideline import OUTPUT_SPEC

SEED, NCCN = "seed-2025", "nccn-2025"

# a localised, resectable, non-functioning, symptom-free, untreated NET of the body, node-negative, SSTR-positive
LOCALISED = dict(differentiation="well", tumor_size_cm=1.5, local_invasion="none", nodal_status="N0", metastatic_sites="none",
                 resectable="yes", functional_syndrome="none", carcinoid_syndrome=False, symptomatic=False, sstr_status="positive",
                 progression="stable", tumor_burden="low", hereditary_syndrome="none", age_years=62, multifocal=False,
                 tumor_location="body", near_main_duct=False, prior_therapies="none", primary_site="pancreas")
# liver metastases, unresectable, non-functioning, SSTR-positive, untreated
METASTATIC = dict(LOCALISED, tumor_size_cm=3.0, nodal_status="N1", metastatic_sites="liver", resectable="no")


def entries(alternatives:str) -> dict:
    "`primary_alternatives` as condition -> outcome."
    return dict(e.split(": ", 1) for e in alternatives.split("; ") if e)


# --- 1. a grade from the mitotic count alone (Ki-67 missing) is a lower bound -------------------------------------------

def test_small_tumour_graded_on_mitoses_alone_is_not_observed_and_waits_for_ki67():
    "CF 4.1 note e: observation for low grade; CF 6.2: Ki-67 55 % or more, a trial is preferred; R-GR-03: Ki-67 may raise the grade."
    a = both(dict(LOCALISED, tumor_size_cm=0.8, mitoses_per_2mm2=3), NCCN)
    assert (a.who_grade, a.grade_provisional) == ("G2", True)
    assert "ACTIVE_SURVEILLANCE" not in items(a.recommendations)  # no low grade on a measured Ki-67
    assert (a.primary_recommendation, a.primary_options, a.primary_held_by) == ("", "", "ki67_pct")
    said = entries(a.primary_alternatives)
    assert any(c.startswith("ki67_pct>") or c.startswith("ki67_pct>=") for c in said if "CLINICAL_TRIAL" in said[c])
    assert len(set(said.values())) > 1  # the Ki-67 decides


def test_small_tumour_graded_on_mitoses_alone_under_the_seed_is_resected_whatever_the_ki67():
    "Seed items 27 and 28: a G2 is resected and a G3 resection considered; surveillance only for a G1 on a measured Ki-67 (seed 26)."
    a = both(dict(LOCALISED, tumor_size_cm=0.8, mitoses_per_2mm2=3), SEED)
    assert "ACTIVE_SURVEILLANCE" not in items(a.recommendations)
    assert (a.primary_recommendation, a.primary_held_by) == ("PANCREATECTOMY", "")
    assert a.primary_alternatives.startswith("any ki67_pct: PANCREATECTOMY")


def test_larger_tumour_graded_on_mitoses_alone_waits_for_ki67_under_nccn():
    "CF 4.1: over 2 cm pancreatectomy; CF 6.2: a resectable NET G3 with Ki-67 55 % or more goes to a trial first."
    a = both(dict(LOCALISED, tumor_size_cm=3.0, mitoses_per_2mm2=3), NCCN)
    assert (a.primary_recommendation, a.primary_held_by) == ("", "ki67_pct")
    assert set(entries(a.primary_alternatives).values()) >= {"PANCREATECTOMY", "CLINICAL_TRIAL"}


@pytest.mark.parametrize("policy", [SEED, NCCN])
def test_small_g2_on_a_measured_ki67_is_not_held(policy):
    "With both indices the grade is no bound: nothing waits (the G2 of 0.8 cm keeps what each policy gives it)."
    a = both(dict(LOCALISED, tumor_size_cm=0.8, ki67_pct=8, mitoses_per_2mm2=3), policy)
    assert (a.grade_provisional, a.primary_held_by, a.primary_alternatives) == (False, "", "")


@pytest.mark.parametrize("policy", [SEED, NCCN])
def test_metastatic_tumour_graded_on_mitoses_alone_is_held_for_ki67(policy):
    "CF 6.1: SSA for a symptomatic or bulky G1/G2; CF 6.2: at Ki-67 55 % or more no analogue and a trial first."
    a = both(dict(METASTATIC, mitoses_per_2mm2=5, tumor_burden="high", symptomatic=True), policy)
    assert (a.who_grade, a.grade_provisional) == ("G2", True)
    assert (a.primary_recommendation, a.primary_held_by) == ("", "ki67_pct")
    said = entries(a.primary_alternatives)
    assert "SSA" in said.values() and "CLINICAL_TRIAL" in said.values()


@pytest.mark.parametrize("policy", [SEED, NCCN])
def test_metastatic_tumour_with_both_indices_keeps_its_analogue(policy):
    "CF 6.1: octreotide LAR or lanreotide for a symptomatic, bulky NET G2."
    a = both(dict(METASTATIC, ki67_pct=5, mitoses_per_2mm2=5, tumor_burden="high", symptomatic=True), policy)
    assert (a.primary_recommendation, a.primary_held_by) == ("SSA", "")


@pytest.mark.parametrize("policy", [SEED, NCCN])
def test_recorded_g2_beside_the_count_rules_out_the_higher_readings(policy):
    "A recorded G2 beside 3 mitoses: Ki-67 above 20 would contradict the record, so only G2 readings remain and the primary is given."
    a = both(dict(LOCALISED, tumor_size_cm=3.0, mitoses_per_2mm2=3, recorded_grade="G2", recorded_grade_edition="who-2019"), policy)
    assert (a.primary_recommendation, a.primary_held_by) == ("PANCREATECTOMY", "")


# --- 3. localised NEC: chemotherapy in every NCCN route -------------------------------------------------------------

NEC = dict(LOCALISED, differentiation="poor", ki67_pct=60, mitoses_per_2mm2=30, tumor_size_cm=3.0)


@pytest.mark.parametrize("cls", [dict(differentiation="poor"), dict(differentiation="mixed")])
def test_localised_nec_chemotherapy_is_recommended_and_resection_an_option(cls):
    "CF 6.3 (NCCN PDNEC-1): each route for resectable NEC includes cisplatin or carboplatin with etoposide."
    a = both(dict(NEC, **cls), NCCN)
    assert (a.primary_recommendation, a.primary_options) == ("PLATINUM_ETOPOSIDE", "")
    assert strength(a, "PLATINUM_ETOPOSIDE") == "recommended" and strength(a, "PANCREATECTOMY") == "option"
    rec = next(r for r in a.recommendation_list if r.code == "PLATINUM_ETOPOSIDE")
    assert "localized.nccn-nec-chemo-every-route" in rec.cites


def test_resected_nec_without_chemotherapy_gets_it_before_follow_up():
    "CF 13.5: for resected NEC NCCN lists adjuvant chemotherapy; follow-up comes after it."
    a = both(dict(NEC, prior_therapies="PANCREATECTOMY"), NCCN)
    listed = a.recommendations.split(";")
    assert a.primary_recommendation == "PLATINUM_ETOPOSIDE"
    assert listed.index("PLATINUM_ETOPOSIDE") < listed.index("FOLLOW_UP")


def test_resected_nec_after_chemotherapy_goes_to_follow_up():
    "A course already given is not offered again (CF 6.3: after platinum-etoposide, follow-up or a non-identical regimen on progression)."
    a = both(dict(NEC, prior_therapies="PANCREATECTOMY;PLATINUM_ETOPOSIDE"), NCCN)
    assert "PLATINUM_ETOPOSIDE" not in items(a.recommendations) and a.primary_recommendation == "FOLLOW_UP"


def test_seed_localised_nec_unchanged():
    "Seed item 29: platinum chemotherapy first; seed item 8: resection to be considered."
    a = both(NEC, SEED)
    assert (a.primary_recommendation, strength(a, "PANCREATECTOMY")) == ("PLATINUM_ETOPOSIDE", "consider")


# --- 4, 5. recorded grades in `conflicts` ---------------------------------------------------------------------------

@pytest.mark.parametrize("policy", [SEED, NCCN])
@pytest.mark.parametrize("recorded,indices,computed", [
    ("G1", dict(ki67_pct=10, mitoses_per_2mm2=1), "G2"),   # R-GR-02: Ki-67 3-20 is G2; a G1 needs Ki-67 < 3
    ("G1", dict(ki67_pct=1, mitoses_per_2mm2=5), "G2"),    # a G1 needs fewer than 2 mitoses
    ("G2", dict(ki67_pct=30, mitoses_per_2mm2=1), "G3"),   # either index above 20 is G3
    ("G3", dict(ki67_pct=10, mitoses_per_2mm2=1), "G2"),   # the other direction, as before
])
def test_a_recorded_grade_against_the_indices_is_named_either_way(policy, recorded, indices, computed):
    a = both(dict(LOCALISED, recorded_grade=recorded, recorded_grade_edition="who-2019", **indices), policy)
    assert a.who_grade == computed  # the indices decide (R-GR-02)
    assert a.conflicts == f"who_grade: computed {computed}, recorded grade {recorded}"


def test_a_lower_recorded_grade_beside_a_one_index_grade_is_named():
    "Recorded G1 beside 3 mitoses and no Ki-67: no G1 has 2 mitoses or more (R-GR-02)."
    a = both(dict(LOCALISED, recorded_grade="G1", mitoses_per_2mm2=3), NCCN)
    assert a.conflicts == "who_grade: computed G2, recorded grade G1"


@pytest.mark.parametrize("policy", [SEED, NCCN])
def test_a_recorded_nec_is_named_as_nec(policy):
    "CF 13.4: a recorded NEC is a label; the contradiction names what was recorded, not the G3 it was read as."
    a = both(dict(LOCALISED, ki67_pct=10, mitoses_per_2mm2=1, recorded_grade="NEC"), policy)
    assert a.conflicts == "who_grade: computed G2, recorded grade NEC"


# --- 6, 7. the text of the readings ---------------------------------------------------------------------------------

def test_explain_names_the_missing_fields_of_a_staging_ask_whole():
    "A high Ki-67 without a morphology (R-GR-01): the readings of differentiation are written out as `primary_alternatives` says them."
    a = both(dict(METASTATIC, differentiation=None, ki67_pct=80, mitoses_per_2mm2=30), NCCN)
    text = a.explain()
    assert a.primary_recommendation == "COMPLETE_STAGING"
    assert "erentiation=well" not in text.replace("differentiation=well", "")
    assert a.primary_alternatives in text


@pytest.mark.parametrize("policy", [SEED, NCCN])
def test_a_poor_morphology_read_beside_a_who2010_label_is_a_carcinoma(policy):
    "R-GR-01 and CF 13.4: pathology review stating poor differentiation with Ki-67 30 % makes an NEC (CF 6.3: platinum-etoposide)."
    a = both(dict(METASTATIC, differentiation="NEC", ki67_pct=30, mitoses_per_2mm2=1, recorded_grade_edition="who-2010"), policy)
    said = entries(a.primary_alternatives)
    poor = [out for cond, out in said.items() if "poor" in cond]
    assert poor == ["PLATINUM_ETOPOSIDE"], said
    assert "pathology review" not in a.primary_alternatives


# --- 8. PRRT for the symptoms of insulinoma --------------------------------------------------------------------------

INSULINOMA = dict(METASTATIC, ki67_pct=5, mitoses_per_2mm2=1, functional_syndrome="insulinoma", symptomatic=True,
                  progression="progressive", prior_therapies="EVEROLIMUS", tumor_burden="high")


@pytest.mark.parametrize("policy", [SEED, NCCN])
def test_prrt_for_the_symptoms_of_an_sstr_positive_insulinoma(policy):
    "CF 13.2 (NCCN NE-J): PRRT may relieve the symptoms of an SSTR-positive insulinoma ('may': consider)."
    a = both(dict(INSULINOMA, sstr_status="positive"), policy)
    rec = next(r for r in a.recommendation_list if r.code == "PRRT")
    assert "functional.nccn-insulinoma-prrt" in rec.cites
    assert any(rid.startswith("SC-INSULINOMA-PRRT") for rid in rec.rule_ids)


def test_no_prrt_for_an_sstr_negative_insulinoma():
    "CF 13.2: the NE-J statement is for SSTR-positive tumours."
    a = both(dict(INSULINOMA, sstr_status="negative"), NCCN)
    assert "PRRT" not in items(a.recommendations)


def test_no_prrt_for_a_localised_insulinoma():
    "CF 5.1: a resectable insulinoma is enucleated or resected."
    a = both(dict(LOCALISED, ki67_pct=2, mitoses_per_2mm2=1, functional_syndrome="insulinoma", symptomatic=True), NCCN)
    assert "PRRT" not in items(a.recommendations)


# --- 9. what `input_issues` holds -----------------------------------------------------------------------------------

def test_input_issues_says_it_names_values_read_with_a_caveat():
    "A range kept as a range is named in `input_issues`, and the column's description says so."
    a = both(dict(LOCALISED, tumor_size_cm=3.0, ki67_pct="3-20", mitoses_per_2mm2=1), NCCN)
    assert a.input_issues.startswith("ki67_pct: '3-20'")
    doc = next(o.doc for o in OUTPUT_SPEC if o.name == "input_issues")
    assert "rejected" in doc and "range" in doc
