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
    ("yes", ["metastatic_sites=liver"], ["metastatic_sites=extrahepatic", "metastatic_sites=none"]),
])
def test_the_liver_column_narrows_the_readings_of_the_sites(liver, allowed, ruled_out):
    "An M1 with no sites beside a liver column saying yes: only the sites that fit it are read (AJCC 8: M1a and M1c involve the liver, M1b spares it)."
    a = assess(dict(ADVANCED, m_category="M1", liver_metastases=liver))
    assert all(x in a.primary_alternatives for x in allowed), a.primary_alternatives
    assert not any(x in a.primary_alternatives for x in ruled_out), a.primary_alternatives
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        row = assess_frame(pd.DataFrame([dict(ADVANCED, m_category="M1", liver_metastases=liver)])).iloc[0]
    assert (row["primary_alternatives"], row["primary_held_by"]) == (a.primary_alternatives, a.primary_held_by)


def test_an_m1_beside_a_liver_free_of_metastases_is_m1b():
    "M1 and a liver free of metastases: the metastases are extrahepatic (AJCC 8 M1b), so nothing waits for the sites."
    for record in (dict(m_category="M1"), dict(metastatic_sites="present, site unknown")):
        a = assess(dict(ADVANCED, liver_metastases="no", **record))
        assert (a.m_category, a.primary_held_by, a.conflicts) == ("M1b", "", "")
        assert "LIVER_DIRECTED" not in a.recommendations.split(";")


def test_a_liver_column_the_record_contradicts_narrows_nothing():
    "M1c (the liver involved) beside a liver column saying no: neither is trusted, so every reading of the sites either allows stays."
    a = assess(dict(ADVANCED, m_category="M1c", liver_metastases="no"))
    assert a.conflicts and a.primary_held_by == "metastatic_sites"
    assert "metastatic_sites=liver" in a.primary_alternatives and "metastatic_sites=extrahepatic" in a.primary_alternatives


def test_a_reading_the_record_contradicts_otherwise_is_left_out():
    "M1a beside liver and bone: the record disputes only where; a reading of no metastases, or of extrahepatic only, contradicts both."
    a = assess(dict(ADVANCED, m_category="M1a", metastatic_sites="liver, bone"))
    assert "metastatic_sites=liver:" in a.primary_alternatives and "held for a check of metastatic_sites" in a.primary_alternatives
    assert "metastatic_sites=none" not in a.primary_alternatives and "metastatic_sites=extrahepatic" not in a.primary_alternatives
    rows = [dict(ADVANCED, **r) for r in (dict(m_category="M1a", metastatic_sites="liver, bone"), dict(m_category="M1c", liver_metastases="no"),
                                           dict(m_category="M1", liver_metastases="no"), dict(metastatic_sites="bone", liver_metastases="yes"))]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        frame = assess_frame(pd.DataFrame(rows))
    for i, row in enumerate(rows):
        one = assess(row)
        assert [str(getattr(one, c)) for c in ("m_category", "primary_alternatives", "primary_held_by")] == \
               [str(frame[c][i]) for c in ("m_category", "primary_alternatives", "primary_held_by")]
