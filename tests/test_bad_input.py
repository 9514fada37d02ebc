"Bad input: a clear error naming the field for one patient, an issue per row for a cohort, nothing lost."
import numpy as np
import pandas as pd
import pytest

from pannet_guideline import InvalidPatient, assess, assess_frame

BAD = [
    ({"ki67_pct": -0.1}, "ki67_pct", "below 0"),
    ({"ki67_pct": 100.5}, "ki67_pct", "above 100"),
    ({"tumor_size_cm": 0}, "tumor_size_cm", "not above 0"),
    ({"tumor_size_mm": 0}, "tumor_size_mm", "not above 0"),
    ({"nodal_status": "N2"}, "nodal_status", "no meaning for the pancreas"),
    ({"n_category": "N1a"}, "n_category", "no meaning for the pancreas"),
    ({"ki67_pct": "twelve"}, "ki67_pct", "not a number"),
    ({"mitoses_per_2mm2": "many"}, "mitoses_per_2mm2", "not a number"),
    ({"age_years": 130}, "age_years", "above 120"),
    ({"differentiation": "intermediate"}, "differentiation", "not one of well, poor, mixed"),
    ({"prior_therapies": "SSA;MAGIC"}, "prior_therapies", "MAGIC is not"),
    ({"mitoses_per_10hpf": 4}, "mitoses_per_10hpf", "explicit column mapping"),
]


@pytest.mark.parametrize("record,field,reason", BAD)
def test_one_patient_gets_a_clear_error_naming_the_field(record, field, reason):
    with pytest.raises(InvalidPatient) as e:
        assess(record)
    assert field in e.value.issues and reason in e.value.issues[field]
    assert isinstance(e.value, ValueError) and f"{field}:" in str(e.value)


def test_every_bad_field_is_named_at_once():
    with pytest.raises(InvalidPatient) as e:
        assess({"ki67_pct": 140, "nodal_status": "N2", "tumor_size_cm": "big"})
    assert set(e.value.issues) == {"ki67_pct", "nodal_status", "tumor_size_cm"}


def test_cohort_keeps_every_row_and_reports_each_issue():
    rows = [r for r, _, _ in BAD] + [{}, {"ki67_pct": None, "nodal_status": ""}]
    df = pd.DataFrame(rows, dtype=object)
    out = assess_frame(df)
    assert len(out) == len(df) and out.index.equals(df.index)
    issues = out["input_issues"].astype(str).tolist()
    for i, (_, field, reason) in enumerate(BAD):
        assert issues[i].startswith(f"{field}: ") and reason in issues[i]
    assert issues[-2:] == ["", ""]


def test_issue_names_the_value():
    out = assess_frame(pd.DataFrame({"ki67_pct": [140.0], "nodal_status": ["N2"]}))
    assert out["input_issues"][0] == ("ki67_pct: 140 % is above 100; nodal_status: 'N2' has no meaning for the pancreas "
                                      "(AJCC 8 pancreatic NET N has only N0 and N1)")


def test_bad_field_becomes_unknown_not_guessed():
    out = assess_frame(pd.DataFrame({"differentiation": ["well"], "ki67_pct": [140.0], "mitoses_per_2mm2": [1.0]}))
    assert out["who_grade"][0] == "G1" and bool(out["grade_provisional"][0])  # graded on mitoses alone, flagged


def test_all_missing_rows():
    df = pd.DataFrame({"ki67_pct": [np.nan] * 3, "nodal_status": [None, "", "unknown"], "differentiation": ["NA", "not documented", None]})
    out = assess_frame(df)
    assert (out["who_grade"].astype(str) == "unknown").all() and (out["stage_ajcc8"].astype(str) == "unknown").all()
    assert (out["input_issues"].astype(str) == "").all()
    assert all("differentiation" in g.split(";") for g in out["data_gaps"].astype(str))
    a = assess({})
    assert (a.who_grade, a.t_category, a.n_category, a.m_category, a.stage_ajcc8) == ("unknown", "TX", "NX", "MX", "unknown")


def test_empty_cohort():
    out = assess_frame(pd.DataFrame({"ki67_pct": pd.Series([], dtype=float)}))
    assert len(out) == 0


def test_unknown_names_fail_clearly():
    with pytest.raises(ValueError, match="policy"): assess({}, policy="esmo-2099")
    with pytest.raises(ValueError, match="staging edition"): assess({}, staging="ajcc-7")
    with pytest.raises(KeyError, match="not in the table"): assess_frame(pd.DataFrame({"a": [1]}), columns={"b": "ki67_pct"})
    with pytest.raises(KeyError, match="unknown field"): assess_frame(pd.DataFrame({"a": [1]}), columns={"a": "ki67"})


def test_legacy_mitoses_unit_only_through_explicit_mapping():
    df = pd.DataFrame({"mit10": [3.0], "differentiation": ["well"], "ki67_pct": [1.0]})
    out = assess_frame(df, columns={"mit10": "mitoses_per_10hpf"})
    assert out["who_grade"][0] == "G2"
