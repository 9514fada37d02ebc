"""A metastatic-sites column that says metastases are present without naming a site ("yes", "present, site unknown").
AJCC 8 (clinical_facts 2.1): M1 is any distant metastasis, split into M1a (liver only), M1b (extrahepatic only) and
M1c (both), and every M1 is stage IV. Such a value is read as M1 with the sites unknown, never as a site, and weighed
against a recorded M: a recorded M1 or subcategory agrees, a recorded M0 contradicts it and neither is trusted."""
import itertools
import warnings

import pandas as pd
import pytest

from pannet_guideline import assess, assess_frame
from pannet_guideline.schema import canonical_value

NET = dict(differentiation="well", ki67_pct=5, tumor_size_cm=3, local_invasion="none", nodal_status="N0")
SPELLINGS = ["yes", "Yes", "present", "Present, site unknown", "site unknown", "M1", "distant metastases", "multiple", "widespread"]


def _frame(rows):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return assess_frame(pd.DataFrame(rows))


@pytest.mark.parametrize("raw", SPELLINGS)
def test_present_with_no_site_is_read_not_rejected(raw):
    assert canonical_value("metastatic_sites", raw) == (None, None)  # the sites stay unknown, and nothing is wrong with the value
    a = assess(dict(NET, metastatic_sites=raw))
    assert (a.m_category, a.stage_ajcc8, a.disease_setting) == ("M1", "IV", "metastatic")
    assert a.input_issues == "" and a.conflicts == ""


@pytest.mark.parametrize("recorded", ["M1", "M1a", "M1b", "M1c"])
def test_a_recorded_m1_or_subcategory_agrees_and_is_kept(recorded):
    a = assess(dict(NET, metastatic_sites="present, site unknown", m_category=recorded))
    assert (a.m_category, a.stage_ajcc8, a.conflicts) == (recorded, "IV", "")


def test_a_recorded_m0_is_a_contradiction_named_not_a_choice():
    a = assess(dict(NET, metastatic_sites="yes", m_category="M0"))
    assert a.m_category == "MX" and a.stage_ajcc8 == "unknown"
    assert "recorded M0" in a.conflicts and "metastatic_sites" in a.conflicts
    assert "M_CATEGORY_CONFLICT" in a.alerts.split(";") and "m_category" in a.data_gaps.split(";")


def test_one_patient_equals_its_row_of_a_cohort():
    rows = [{**NET, **{k: v for k, v in dict(metastatic_sites=s, m_category=m, liver_metastases=l).items() if v is not None}}
            for s, m, l in itertools.product(["present, site unknown", "liver", "yes", None], ["M0", "M1", "M1a", "M1b", None], ["yes", "no", None])]
    frame = _frame(rows)
    for i, row in enumerate(rows):
        a = assess(row)
        got = frame.iloc[i]
        assert (a.m_category, a.stage_ajcc8, a.conflicts, a.alerts, a.data_gaps) == \
               (got["m_category"], got["stage_ajcc8"], got["conflicts"], got["alerts"], got["data_gaps"]), row


def test_a_held_row_never_reads_the_sites_as_none():
    "The record says metastases are present: the readings of the missing sites are the three that place them."
    a = assess(dict(NET, ki67_pct=8, metastatic_sites="present, site unknown", sstr_status="positive", progression="progressive", prior_therapies="SSA"))
    assert a.primary_recommendation == "" and "metastatic_sites" in a.primary_held_by.split(";")
    assert "metastatic_sites=liver" in a.primary_alternatives and "metastatic_sites=none" not in a.primary_alternatives


def test_a_cohort_column_of_sites_mixes_lists_and_present():
    frame = _frame([dict(NET, metastatic_sites=v) for v in ["Liver, lung", "present, site unknown", "no", "liver"]])
    assert list(frame["m_category"]) == ["M1c", "M1", "M0", "M1a"]
    assert (frame["input_issues"] == "").all()


def test_list_cells_are_read_as_lists_and_never_stop_the_cohort():
    "A Parquet list column loads as arrays in the cells: the sites and the treatments in one are read as a list written in one cell."
    import numpy as np
    cells = [np.array(["liver", "bone"]), ["lung"], ("liver",), np.array([], dtype=object), None]
    frame = _frame([dict(NET, metastatic_sites=c, prior_therapies=["SSA", "everolimus"] if i == 0 else None) for i, c in enumerate(cells)])
    assert list(frame["m_category"]) == ["M1c", "M1b", "M1a", "MX", "MX"]
    assert "not one value" in frame["input_issues"][3] and frame["input_issues"][4] == ""  # an empty list says nothing: named
    for i, c in enumerate(cells):
        a = assess(dict(NET, metastatic_sites=c, prior_therapies=["SSA", "everolimus"] if i == 0 else None), strict=False)
        assert (a.m_category, a.input_issues) == (frame["m_category"][i], frame["input_issues"][i])
