"""A recorded M subcategory that the metastatic sites contradict (AJCC 8, clinical_facts 10.8: M1a liver only, M1b extrahepatic
only, M1c both): the M keeps only what both say (M1) and the sites are not trusted either, so nothing that rests on where the
metastases are (liver-directed therapy) is listed as if decided; the readings of the sites say what each would give, and a
reading the recorded M contradicts waits for a check of the record rather than being read again without end."""
import warnings

import pandas as pd
import pytest

from pannet_guideline import assess, assess_frame

ADVANCED = dict(differentiation="well", ki67_pct=8, tumor_size_cm=3, local_invasion="none", nodal_status="N0", sstr_status="positive",
                progression="progressive", prior_therapies="SSA", resectable="no", functional_syndrome="none", symptomatic=False,
                carcinoid_syndrome=False)


@pytest.mark.parametrize("sites,recorded", [("liver", "M1b"), ("lung", "M1a"), ("Liver, lung", "M1a"), ("bone", "M1c")])
def test_disputed_sites_are_not_trusted(sites, recorded):
    a = assess(dict(ADVANCED, metastatic_sites=sites, m_category=recorded))
    assert a.m_category == "M1" and a.stage_ajcc8 == "IV" and a.disease_setting == "metastatic"  # metastases, wherever they are
    assert "m_category: recorded " + recorded in a.conflicts and "metastatic_sites" in a.data_gaps.split(";")
    assert "LIVER_DIRECTED" not in a.recommendations.split(";")  # where the metastases are is in dispute
    assert "too many readings" not in a.primary_alternatives
    assert "held for a check of metastatic_sites" in a.primary_alternatives


def test_agreeing_sites_are_kept():
    a = assess(dict(ADVANCED, metastatic_sites="liver", m_category="M1a"))
    assert a.m_category == "M1a" and a.conflicts == "" and "LIVER_DIRECTED" in a.recommendations.split(";")
    assert "metastatic_sites" not in a.data_gaps.split(";")


def test_one_patient_equals_its_row():
    rows = [dict(ADVANCED, metastatic_sites=s, m_category=m) for s in ("liver", "lung", "Liver, lung", "none") for m in ("M0", "M1", "M1a", "M1b", "M1c")]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        frame = assess_frame(pd.DataFrame(rows))
    for i, row in enumerate(rows):
        a = assess(row)
        for col in ("m_category", "recommendations", "primary_recommendation", "primary_alternatives", "data_gaps", "conflicts", "alerts"):
            assert str(getattr(a, col)) == str(frame[col][i]), (row, col)


@pytest.mark.parametrize("liver,allowed,ruled_out", [
    ("no", ["metastatic_sites=extrahepatic"], ["metastatic_sites=liver", "liver_and_extrahepatic"]),
    ("yes", ["metastatic_sites=liver"], ["metastatic_sites=extrahepatic", "metastatic_sites=none"]),
])
def test_the_liver_column_narrows_the_readings_of_the_sites(liver, allowed, ruled_out):
    "An M1 with no sites beside a liver column: only the sites that fit the column are read (AJCC 8: M1a and M1c involve the liver, M1b spares it)."
    a = assess(dict(ADVANCED, m_category="M1", liver_metastases=liver))
    assert all(x in a.primary_alternatives for x in allowed), a.primary_alternatives
    assert not any(x in a.primary_alternatives for x in ruled_out), a.primary_alternatives
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        row = assess_frame(pd.DataFrame([dict(ADVANCED, m_category="M1", liver_metastases=liver)])).iloc[0]
    assert (row["primary_alternatives"], row["primary_held_by"]) == (a.primary_alternatives, a.primary_held_by)


def test_a_liver_column_no_beside_an_m1_leaves_one_reading_and_decides():
    "M1 and a liver free of metastases: the sites can only be extrahepatic, so nothing waits for them."
    a = assess(dict(ADVANCED, m_category="M1", liver_metastases="no"))
    assert a.primary_held_by == "" and "LIVER_DIRECTED" not in a.primary_alternatives
