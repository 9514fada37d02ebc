"""A patient recorded without symptoms has no carcinoid syndrome: the syndrome is a set of symptoms from amines
(nccn.carcinoid-syndrome-sites) and `symptomatic` counts symptoms from hormones (nccn.nonfunctioning-definition). A blank
carcinoid column beside `symptomatic` = no holds nothing; with symptoms unknown it still does.

Not a medical device: these tests check software behaviour only.
"""
import pandas as pd
import pytest

from pannet_guideline import assess, assess_frame
from pannet_guideline.policies import POLICIES

# metastatic NET G3 below 55 %, SSTR-positive, progressing, no hormone syndrome, no symptoms: the carcinoid column left blank
PATIENT = dict(differentiation="well", ki67_pct=54.9, mitoses_per_2mm2=10, tumor_size_cm=3.5, local_invasion="none", nodal_status="N1",
               metastatic_sites="liver", functional_syndrome="none", sstr_status="positive", progression="progressive", tumor_burden="high",
               symptomatic=False, resectable="no", hereditary_syndrome="none", prior_therapies="none")


@pytest.mark.parametrize("policy", POLICIES)
def test_no_symptoms_means_no_carcinoid_syndrome_is_waited_for(policy):
    one = assess(PATIENT, policy=policy, strict=False)
    row = assess_frame(pd.DataFrame([PATIENT]), policy=policy).iloc[0]
    for a in (one, row):
        assert "carcinoid_syndrome" not in str(a.primary_held_by) and "carcinoid_syndrome" not in str(a.data_gaps).split(";")
        assert "SSA" in str(a.recommendations).split(";")  # the options of a symptom-free NET G3 are given, not held
    assert one.primary_options == row.primary_options and one.recommendations == row.recommendations


@pytest.mark.parametrize("policy", POLICIES)
def test_with_symptoms_unknown_the_syndrome_still_waits(policy):
    p = dict(PATIENT, symptomatic=None)
    one = assess(p, policy=policy, strict=False)
    row = assess_frame(pd.DataFrame([p], dtype=object), policy=policy).iloc[0]
    assert "carcinoid_syndrome" in one.data_gaps.split(";") and "carcinoid_syndrome" in str(row.data_gaps).split(";")


@pytest.mark.parametrize("policy", POLICIES)
def test_a_recorded_syndrome_is_never_replaced(policy):
    "A syndrome the record states stays, even beside a 'no symptoms' it contradicts: its control is listed (the fill reads only a blank)."
    for symptoms in (False, True):
        one = assess(dict(PATIENT, carcinoid_syndrome=True, symptomatic=symptoms), policy=policy, strict=False)
        assert "SYNDROME_CONTROL" in one.recommendations.split(";"), (symptoms, one.recommendations)
    assert "SYNDROME_CONTROL" not in assess(PATIENT, policy=policy, strict=False).recommendations.split(";")
    said = lambda symptoms: assess(dict(PATIENT, carcinoid_syndrome=True, symptomatic=symptoms), policy=policy, strict=False).alerts.split(";")
    assert "CARCINOID_SYNDROME_WITHOUT_SYMPTOMS" in said(False) and "CARCINOID_SYNDROME_WITHOUT_SYMPTOMS" not in said(True)  # the contradiction is named
