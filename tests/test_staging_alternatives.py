"""A patient whose class, grade or setting is unknown is asked to complete the staging, and the ask stays its primary;
`primary_alternatives` says what each reading of the missing fields would give, read only while the staging is
incomplete. Expectations come from the NCCN localised non-functioning table (clinical_facts 4.1: up to 1 cm observation
only; over 1 to 2 cm observation in select cases, pancreatectomy or enucleation; over 2 cm pancreatectomy) and from the
WHO 2019 grade bands (1.1); one patient and the cohort agree on every row."""
import warnings

import pandas as pd
import pytest

from pannet_guideline import assess, assess_frame
from pannet_guideline.datasets import demo_cohort

LOCALISED_G1_NO_SIZE = dict(ki67_pct=2, mitoses_per_2mm2=1, differentiation="well", local_invasion="none", nodal_status="N0",
                            metastatic_sites="none", functional_syndrome="none", carcinoid_syndrome=False, symptomatic=False,
                            hereditary_syndrome="none", prior_therapies="none")


def _readings(text):
    "`condition: outcome` pairs of an alternatives text."
    return dict(part.rsplit(": ", 1) for part in text.split("; "))


def test_a_localised_g1_without_a_size_reads_the_nccn_size_bands():
    a = assess(LOCALISED_G1_NO_SIZE, policy="nccn-2025")
    assert a.primary_recommendation == "COMPLETE_STAGING"  # the ask stays
    said = set(_readings(a.primary_alternatives).values())
    assert {"ACTIVE_SURVEILLANCE", "PANCREATECTOMY"} <= said
    assert any(o.startswith("options") and {"PANCREATECTOMY", "ENUCLEATION", "ACTIVE_SURVEILLANCE"} == set(o[8:].split("/")) for o in said)
    for size, expected in ((0.8, "ACTIVE_SURVEILLANCE"), (3.0, "PANCREATECTOMY")):  # each band's answer is the one said
        filled = assess({**LOCALISED_G1_NO_SIZE, "tumor_size_cm": size}, policy="nccn-2025")
        assert filled.primary_recommendation == expected and expected in said


def test_a_tumour_without_indices_reads_the_grade_bands():
    a = assess({**LOCALISED_G1_NO_SIZE, "ki67_pct": None, "mitoses_per_2mm2": None, "tumor_size_cm": 1.5}, policy="nccn-2025")
    readings = _readings(a.primary_alternatives)
    assert readings["ki67_pct<3"].startswith("options") and "ACTIVE_SURVEILLANCE" in readings["ki67_pct<3"]  # G1: watching listed
    assert "ACTIVE_SURVEILLANCE" not in readings["3<=ki67_pct<=20"]  # G2 (Ki-67 3-20 %): not watched


def test_a_grade_recorded_is_not_read_again():
    a = assess(dict(recorded_grade="G2", t_category="T2", n_category="N0"))
    assert a.primary_recommendation == "COMPLETE_STAGING" and a.primary_alternatives
    conditions = " ".join(_readings(a.primary_alternatives))
    assert "ki67_pct" not in conditions and "mitoses" not in conditions  # only what the setting lacks is read


@pytest.mark.parametrize("policy", ["seed-2025", "nccn-2025"])
def test_one_patient_and_the_cohort_agree_on_rows_asked_to_complete_the_staging(policy):
    cohort = pd.concat([pd.DataFrame([LOCALISED_G1_NO_SIZE, {**LOCALISED_G1_NO_SIZE, "ki67_pct": None, "tumor_size_cm": 1.5},
                                      dict(recorded_grade="G2", t_category="T2", n_category="N0"), {}]), demo_cohort()], ignore_index=True)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        frame = assess_frame(cohort, policy=policy)
    asked = frame.index[frame["primary_recommendation"] == "COMPLETE_STAGING"]
    assert len(asked) >= 20 and (frame.loc[asked, "primary_alternatives"] != "").all()
    for i in asked:
        record = {k: v for k, v in cohort.loc[i].items() if not (isinstance(v, float) and pd.isna(v)) and k != "patient_id"}
        a = assess(record, policy=policy, strict=False)
        assert (a.primary_recommendation, a.primary_alternatives) == tuple(frame.loc[i, ["primary_recommendation", "primary_alternatives"]])
