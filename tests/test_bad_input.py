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
    ({"prior_therapies": "SSA;MAGIC"}, "prior_therapies", "'MAGIC' is not"),
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
    assert out["who_grade"][0] == "unknown" and "ki67_pct" in out["data_gaps"][0].split(";")  # a low count alone grades nothing (CF 1.1 R-GR-05)


def test_all_missing_rows():  # blank rows: no issue per row, listed in attrs
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


def test_types_never_share_a_verdict():
    col = pd.Series([1, True, 1.0, False, 0], dtype=object)
    out = assess_frame(pd.DataFrame({"t_category": col, "mitoses_per_2mm2": col}))
    issues = out["input_issues"].astype(str).tolist()
    assert out["t_category"].astype(str).tolist()[0] == "T1" and "t_category: True" in issues[1] and "mitoses_per_2mm2: False" in issues[3]
    for i, v in enumerate(col):
        assert assess({"t_category": v, "mitoses_per_2mm2": v}, strict=False).input_issues == issues[i]


def test_odd_cells_are_unknown_with_an_issue_not_a_crash():
    odd = pd.Series([[1], {"a": 1}, {2}, 10**400, 3 + 1j, pd.NaT, np.float32("nan")], dtype=object)
    out = assess_frame(pd.DataFrame({"ki67_pct": odd}))
    issues = out["input_issues"].astype(str).tolist()
    assert all(i.startswith("ki67_pct: ") for i in issues[:6]) and issues[6] == ""
    with pytest.raises(InvalidPatient): assess({"ki67_pct": 10**400})
    assert assess({"tumor_size_mm": True}, strict=False).input_issues == "tumor_size_mm: True is a yes/no value, not a number"


def test_unknown_and_near_miss_keys():
    with pytest.raises(InvalidPatient, match="did you mean ki67_pct"): assess({"ki67_pcnt": 12})
    with pytest.raises(InvalidPatient, match="not a field"): assess({"colour": "blue"})
    assert assess({"Ki-67 (%)": 12, "Differentiation": "well"}).who_grade == "G2"
    with pytest.warns(UserWarning, match="ki67_pcnt"):
        out = assess_frame(pd.DataFrame({"ki67_pcnt": [12.0], "comment": ["x"], "tumour size (mm)": [15]}))
    assert out.attrs["columns_read_as"] == {"tumour size (mm)": "tumor_size_mm"} and set(out.attrs["columns_not_read"]) == {"ki67_pcnt", "comment"}
    dup = pd.DataFrame([[3.0, 4.0], [None, 5.0]], columns=["ki67_pct", "ki67_pct"])
    issues = assess_frame(dup)["input_issues"].astype(str).tolist()
    assert "given more than once" in issues[0] and issues[1] == ""


def test_ki67_fractions_are_reported_on_every_row_and_blank_rows_listed():
    df = pd.DataFrame({"differentiation": ["well"] * 25, "ki67_pct": np.linspace(0.01, 0.9, 25)})
    out = assess_frame(pd.concat([df, pd.DataFrame({"differentiation": [None], "ki67_pct": [None]})], ignore_index=True))
    assert all("within 0 to 1" in i for i in out["input_issues"].astype(str)[:25])
    assert (out["who_grade"].astype(str)[:25] == "unknown").all() and out.attrs["blank_rows"] == [25]


def test_a_very_long_rejected_cell_is_shortened_in_the_issue():
    long_text = "x" * 100_000
    out = assess_frame(pd.DataFrame({"ki67_pct": [long_text], "prior_therapies": ["y" * 50_000]}))
    issue = out["input_issues"][0]
    assert len(issue) < 400 and "(100000 characters)" in issue and "(50000 characters)" in issue
    a = assess({"ki67_pct": long_text}, strict=False)
    assert a.input_issues == out["input_issues"][0].split("; prior_therapies")[0]
    assert "x" * 40 + "…" in a.input_issues and "x" * 41 not in a.input_issues


def test_unknown_keys_of_mixed_types_are_all_reported():
    a = assess({"x": 1, 3: 2, "ki67_pct": 2}, strict=False)
    assert a.input_issues.startswith("3: ") and "; x: " in a.input_issues
    with pytest.raises(InvalidPatient) as e:
        assess({"x": 1, 3: 2})
    assert set(e.value.issues) == {"x", 3}
