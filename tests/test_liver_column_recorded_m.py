"""A liver-metastases column, the metastatic sites and a recorded M category that disagree (AJCC 8 M: M1a liver only,
M1b extrahepatic only, M1c both; clinical_facts 2.1): only what every agreeing reading gives is kept. Liver-only
sites and a liver "yes" against a recorded M1b say the liver is involved, M1b says only sites beyond it: the shared
reading is M1, never M1a, and both contradictions are named."""
import warnings

import pandas as pd
import pytest

from pannet_guideline import assess, assess_frame

GRADED = dict(ki67_pct=5, mitoses_per_2mm2=3, differentiation="well")


@pytest.mark.parametrize("record,expected", [
    (dict(liver_metastases="yes", metastatic_sites="liver", m_category="M1b"), "M1"),
    (dict(liver_metastases="yes", metastatic_sites="extrahepatic", m_category="M1b"), "M1"),
    (dict(liver_metastases="yes", metastatic_sites="liver", m_category="M1a"), "M1a"),   # all three agree
    (dict(liver_metastases="yes", metastatic_sites="liver", m_category="M0"), "MX"),     # M0 against two readings of M1
])
def test_the_m_category_keeps_only_what_the_readings_share(record, expected):
    patient = {**record, **GRADED}
    a = assess(patient)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        row = assess_frame(pd.DataFrame([patient])).iloc[0]
    assert a.m_category == row["m_category"] == expected
    assert a.conflicts == row["conflicts"]
    assert ("m_category" in a.conflicts) is (record["m_category"] != "M1a")  # every contradiction is named


ADVANCED = dict(GRADED, tumor_size_cm=3, n_category="N0", resectable="no", progression="progressive", symptomatic=True,
                tumor_burden="high", sstr_status="positive", functional_syndrome="none", carcinoid_syndrome=False, prior_therapies="ssa")


@pytest.mark.parametrize("policy", ["seed-2025", "nccn-2025"])
@pytest.mark.parametrize("m,sites", [("M1a", "liver"), ("M1b", "extrahepatic"), ("M1c", "liver_and_extrahepatic")])
def test_a_recorded_m_subcategory_is_managed_as_the_sites_it_names(m, sites, policy):
    "AJCC 8 defines M1a as liver only, M1b as beyond the liver only, M1c as both: the record coded either way is one patient."
    by_m, by_sites = assess({**ADVANCED, "m_category": m}, policy=policy), assess({**ADVANCED, "metastatic_sites": sites}, policy=policy)
    assert (by_m.recommendations, by_m.primary_recommendation) == (by_sites.recommendations, by_sites.primary_recommendation)
    assert ("LIVER_DIRECTED" in by_m.recommendations.split(";")) is (m != "M1b")
    assert "metastatic_sites" not in by_m.data_gaps.split(";")
    row = assess_frame(pd.DataFrame([{**ADVANCED, "m_category": m}]), policy=policy).iloc[0]
    assert (row["recommendations"], row["data_gaps"]) == (by_m.recommendations, by_m.data_gaps)


def test_a_bare_m1_leaves_the_sites_open():
    a = assess({**ADVANCED, "m_category": "M1"})
    assert "metastatic_sites" in a.data_gaps.split(";") and "LIVER_DIRECTED" not in a.recommendations.split(";")
