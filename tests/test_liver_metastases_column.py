"""A registry's yes/no liver-metastases column: yes says the disease is distant (M1, subcategory open), no says the liver is free.

AJCC 8 (ajcc8.m-category): M1 is distant metastasis; M1a hepatic only, M1b extrahepatic only, M1c both. A column that
says only whether the liver holds metastases gives M1 when yes (the other sites, hence the subcategory, stay open). A no
is a reading too (the liver is free, which the sites and a recorded M are weighed against), but gives no M by itself,
since other sites may hold metastases: M then comes from the other columns, and where none gives it, it is a data gap
like any field not given. Not a medical device: these tests check software behaviour only.
"""
import pandas as pd
import pytest

from pannet_guideline import assess, assess_frame
from pannet_guideline.schema import match_field, read_patient

BASE = {"differentiation": "well", "ki67_pct": 5.0, "mitoses_per_2mm2": 1, "tumor_size_cm": 3.0, "nodal_status": "N0",
        "functional_syndrome": "none"}


@pytest.mark.parametrize("header", ["Liver mets", "Liver metastases", "LIVER METS", "Hepatic metastases", "liver_metastases"])
def test_the_common_spellings_are_read_as_the_liver_column(header):
    assert match_field(header)[1] == "liver_metastases"


@pytest.mark.parametrize("yes", ["Yes", "y", "1", True, "present"])
def test_yes_makes_the_disease_metastatic_with_the_subcategory_open(yes):
    a = assess(BASE | {"Liver mets": yes}, strict=False)
    assert (a.m_category, a.stage_ajcc8, a.disease_setting) == ("M1", "IV", "metastatic")
    assert "Liver mets" not in a.input_issues


@pytest.mark.parametrize("no", ["No", "n", "0", False, "absent"])
def test_no_is_read_without_an_issue_and_m_is_a_gap_when_nothing_else_gives_it(no):
    a = assess(BASE | {"Liver mets": no})  # strict: a no is no input error
    assert a.m_category == "MX" and a.stage_ajcc8 == "unknown"  # not M0: the other sites could hold metastases
    assert a.input_issues == "" and a.conflicts == ""
    assert {"m_category", "metastatic_sites"} <= set(a.data_gaps.split(";"))  # named as any field not given


@pytest.mark.parametrize("others,m,stage", [({"metastatic_sites": "bone"}, "M1b", "IV"), ({"metastatic_sites": "none"}, "M0", "II"),
                                            ({"M": "M0"}, "M0", "II"), ({"M": "M1b"}, "M1b", "IV"), ({"M": "M1"}, "M1b", "IV")])  # M1, the liver free: M1b
def test_no_beside_consistent_columns_leaves_m_to_them(others, m, stage):
    # T2 (3 cm, limited) N0: M0 is stage II (ajcc8.stage-groups); any M1 is stage IV; a free liver contradicts none of these
    a = assess(BASE | {"Liver mets": "No", "local_invasion": "none"} | others)
    assert (a.m_category, a.stage_ajcc8) == (m, stage)
    assert a.input_issues == "" and a.conflicts == ""
    frame = assess_frame(pd.DataFrame([BASE | {"Liver mets": "No", "local_invasion": "none"} | others] * 2))
    assert (frame["input_issues"] == "").all() and (frame["m_category"] == m).all()


def test_sites_with_the_liver_give_the_subcategory():
    a = assess(BASE | {"Liver mets": "Yes", "metastatic_sites": "liver"})
    assert a.m_category == "M1a"
    b = assess(BASE | {"Liver mets": "Yes", "metastatic_sites": "liver_and_extrahepatic"})
    assert b.m_category == "M1c"


def test_a_recorded_m0_against_liver_metastases_is_a_contradiction_not_a_choice():
    out, issues = read_patient(BASE | {"M": "M0", "Liver mets": "Yes"})
    assert out["m_category"] is None and out["m_category_conflict"] == "liver_metastases"
    a = assess(BASE | {"M": "M0", "Liver mets": "Yes"}, strict=False)
    assert a.m_category == "MX" and a.stage_ajcc8 == "unknown" and a.primary_recommendation in ("", "COMPLETE_STAGING")
    assert "liver-metastases column disagree on the liver" in a.conflicts and "m_category" in a.data_gaps.split(";")  # named, as a conflict and a gap
    agree = assess(BASE | {"M": "M1", "Liver mets": "Yes"}, strict=False)
    assert agree.m_category == "M1" and agree.stage_ajcc8 == "IV"


def test_a_value_that_is_not_yes_or_no_is_named():
    a = assess(BASE | {"Liver mets": "maybe"}, strict=False)
    assert "'maybe' is not yes or no" in a.input_issues and a.m_category == "MX"


def test_one_patient_and_the_cohort_agree_row_by_row():
    rows = [BASE | {"Liver mets": v, "M": m} for v in ("Yes", "No", None, "maybe") for m in ("M0", "M1", "M1b", None)]
    frame = assess_frame(pd.DataFrame(rows))
    for i, row in enumerate(rows):
        one = assess({k: v for k, v in row.items() if v is not None}, strict=False).to_dict()
        assert {k: str(v) for k, v in one.items()} == {k: str(frame.iloc[i][k]) for k in one}, row
