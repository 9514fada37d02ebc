"""A grade read from one index while the other is missing is a lower bound (clinical_facts 1.1 R-GR-05: G2 and G3 need
only one index, so the missing one can only raise it; R-GR-03: the higher index decides). A higher grade recorded by the
pathologist is what the missing index could give, so it is used, with its own alert; a lower recorded grade stays a
conflict and the computed grade is kept. A morphology reported as poor but held for review (R-GR-01, 13.4) is not
replaced by a recorded G1, and a NEC recorded under WHO 2019 beside a stated well-differentiated morphology is named.
One patient and its one-row cohort agree on every case."""
import pandas as pd
import pytest

from pannet_guideline import assess, assess_frame

SMALL_LOCALISED = dict(tumor_size_cm=0.9, local_invasion="none", nodal_status="N0", metastatic_sites="none",
                       functional_syndrome="none", carcinoid_syndrome=False, symptomatic=False, hereditary_syndrome="none",
                       prior_therapies="none", resectable="yes", differentiation="well")
WATCHING = {"ACTIVE_SURVEILLANCE", "OBSERVATION"}


def _both(patient, policy):
    "The one-patient assessment, after checking that the cohort path gives the same row."
    a = assess(patient, policy=policy)
    row = assess_frame(pd.DataFrame([patient]), policy=policy).iloc[0]
    for col in ("who_grade", "grade_provisional", "alerts", "recommendations", "primary_recommendation", "data_gaps"):
        assert row[col] == getattr(a, col), col
    return a


@pytest.mark.parametrize("policy", ["seed-2025", "nccn-2025"])
@pytest.mark.parametrize("recorded,index,expected", [
    ("G3", dict(ki67_pct=15), "G3"),          # Ki-67 alone gives G2; the missing mitoses could exceed 20
    ("G3", dict(mitoses_per_2mm2=5), "G3"),   # mitoses alone give G2; the missing Ki-67 could exceed 20
    ("G2", dict(ki67_pct=2), "G2"),           # Ki-67 alone gives a provisional G1; the missing count could be 2-20
    ("G3", dict(ki67_pct=2), "G3"),
])
def test_a_higher_recorded_grade_beside_one_index_is_used(recorded, index, expected, policy):
    a = _both(dict(recorded_grade=recorded, **index, **SMALL_LOCALISED), policy)
    alerts = a.alerts.split(";")
    assert (a.who_grade, a.grade_provisional) == (expected, False)
    assert "RECORDED_GRADE_ABOVE_ONE_INDEX" in alerts and "RECORDED_GRADE_CONFLICT" not in alerts
    watched = WATCHING & set(a.recommendations.split(";"))
    # a NET G3 is never watched (4.1); the seed watches G1 only, NCCN's "low grade" (note e) is read as G1-G2
    assert not watched if expected == "G3" or policy == "seed-2025" else watched


@pytest.mark.parametrize("policy", ["seed-2025", "nccn-2025"])
def test_a_lower_recorded_grade_beside_one_index_is_named_and_not_used(policy):
    a = _both(dict(recorded_grade="G1", ki67_pct=15, **SMALL_LOCALISED), policy)
    assert (a.who_grade, a.grade_provisional) == ("G2", True)  # Ki-67 15 % is at least G2 whatever the count
    assert "RECORDED_GRADE_BELOW_INDICES" in a.alerts.split(";") and "mitoses_per_2mm2" in a.data_gaps.split(";")
    # without a morphology the record still cannot stand in: no G1 has a Ki-67 of 15 % (R-GR-02)
    b = _both(dict(recorded_grade="G1", ki67_pct=15, **{k: v for k, v in SMALL_LOCALISED.items() if k != "differentiation"}), policy)
    assert b.who_grade == "unknown" and "RECORDED_GRADE_BELOW_INDICES" in b.alerts.split(";")


def test_both_indices_given_keep_the_computed_grade():
    a = _both(dict(recorded_grade="G3", ki67_pct=15, mitoses_per_2mm2=4, **SMALL_LOCALISED), "seed-2025")
    assert a.who_grade == "G2" and "RECORDED_GRADE_CONFLICT" in a.alerts.split(";")


@pytest.mark.parametrize("policy", ["seed-2025", "nccn-2025"])
def test_a_recorded_g1_does_not_replace_a_poor_morphology_held_for_review(policy):
    a = _both(dict(recorded_grade="G1", ki67_pct=2, **{**SMALL_LOCALISED, "differentiation": "poor"}), policy)
    assert a.who_grade == "unknown" and a.nen_class == "unknown"
    assert "NEC_KI67_DISCORDANT" in a.alerts.split(";") and "HIGH_GRADE_MORPHOLOGY_UNKNOWN" not in a.alerts.split(";")
    assert not WATCHING & set(a.recommendations.split(";"))


@pytest.mark.parametrize("edition,alerted", [("who-2019", True), ("who-2017", True), ("who-2010", False)])
def test_a_recorded_nec_beside_a_well_differentiated_morphology_is_named(edition, alerted):
    patient = dict(recorded_grade="NEC", recorded_grade_edition=edition, ki67_pct=30, **{**SMALL_LOCALISED, "tumor_size_cm": 3.0})
    a = _both(patient, "seed-2025")
    assert (a.nen_class, a.who_grade) == ("NET", "G3")  # morphology first (R-GR-01)
    assert ("RECORDED_NEC_WELL_MORPHOLOGY" in a.alerts.split(";")) is alerted  # under WHO 2010 the label named the grade


def test_a_high_recorded_grade_beside_a_morphology_held_for_review_is_not_called_unreported():
    a = _both(dict(recorded_grade="G3", ki67_pct=8, **{**SMALL_LOCALISED, "differentiation": "poor"}), "seed-2025")
    assert "NEC_KI67_DISCORDANT" in a.alerts.split(";") and "HIGH_GRADE_MORPHOLOGY_UNKNOWN" not in a.alerts.split(";")


def test_a_grade_raised_by_the_record_is_not_called_an_edition_difference():
    "WHO 2010 reads Ki-67 2 % as G1 as WHO 2019 does; the G2 comes from the record, not from the edition."
    patient = dict(recorded_grade="G2", ki67_pct=2, **SMALL_LOCALISED)
    a = assess(patient, grading="who-2010")
    row = assess_frame(pd.DataFrame([patient]), grading="who-2010").iloc[0]
    assert a.who_grade == row["who_grade"] == "G2" and a.alerts == row["alerts"]
    assert "GRADE_EDITION_DIFFERS" not in a.alerts.split(";") and "RECORDED_GRADE_ABOVE_ONE_INDEX" in a.alerts.split(";")
    # a real edition difference is still named: Ki-67 2.5 % is G1 under WHO 2019, G2 as WHO 2010 declares its gap
    b = assess(dict(ki67_pct=2.5, mitoses_per_2mm2=1, **SMALL_LOCALISED), grading="who-2010")
    assert (b.who_grade, b.grade_reported) == ("G1", "G2") and "GRADE_EDITION_DIFFERS" in b.alerts.split(";")


@pytest.mark.parametrize("edition,alert", [("who-2010", "GRADE_EDITION_DIFFERS"), ("who-2019", "RECORDED_GRADE_CONFLICT")])
def test_a_who2010_g2_in_its_declared_gap_is_an_edition_difference(edition, alert):
    "WHO 2010 left Ki-67 above 2 and below 3 % between G1 and G2 (declared G2); WHO 2019 makes it G1 (clinical_facts 1.1)."
    a = _both(dict(recorded_grade="G2", recorded_grade_edition=edition, ki67_pct=2.5, mitoses_per_2mm2=1, **SMALL_LOCALISED), "seed-2025")
    alerts = a.alerts.split(";")
    assert a.who_grade == "G1" and alert in alerts
    assert ("RECORDED_GRADE_CONFLICT" in alerts) is (edition != "who-2010")


@pytest.mark.parametrize("policy", ["seed-2025", "nccn-2025"])
def test_a_low_mitotic_count_alone_is_no_grade(policy):
    "R-GR-05: a Ki-67 under 3 % alone may code G1, a mitotic count alone only G2 or G3; under 2 mitoses the Ki-67 decides."
    liver = dict(mitoses_per_2mm2=1, differentiation="well", tumor_size_cm=3, local_invasion="none", nodal_status="N0",
                 metastatic_sites="liver", symptomatic=False, tumor_burden="low", progression="stable", sstr_status="positive",
                 functional_syndrome="none", carcinoid_syndrome=False, prior_therapies="none")
    a = _both(liver, policy)
    assert a.who_grade == "unknown" and "ki67_pct" in a.data_gaps.split(";")
    assert a.primary_recommendation == "COMPLETE_STAGING"  # no SSA or observation asserted on a grade the Ki-67 could raise
    assert _both({**liver, "mitoses_per_2mm2": 5}, policy).who_grade == "G2"  # 2-20 mitoses code G2 on their own


@pytest.mark.parametrize("policy", ["seed-2025", "nccn-2025"])
def test_poor_differentiation_beside_a_recorded_low_grade_goes_to_review(policy):
    "R-GR-01 and 13.4: G1 and G2 grade well-differentiated tumours only; without an index above 20 the morphology is reviewed."
    patient = dict(recorded_grade="G2", differentiation="poor", tumor_size_cm=3, local_invasion="none", nodal_status="N0", metastatic_sites="liver")
    a = _both(patient, policy)
    assert (a.nen_class, a.who_grade) == ("unknown", "unknown") and "NEC_RECORDED_LOW_GRADE" in a.alerts.split(";")
    assert "PLATINUM_ETOPOSIDE" not in a.recommendations.split(";")
    confirmed = _both({**patient, "ki67_pct": 40}, policy)  # a Ki-67 above 20 confirms the carcinoma the morphology names
    assert confirmed.nen_class == "NEC" and "NEC_RECORDED_LOW_GRADE" not in confirmed.alerts.split(";")
