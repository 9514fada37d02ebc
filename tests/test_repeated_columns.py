"""A field given in several columns: a row reads the value its columns all read alike, and a row whose columns read
differently is unknown, with the columns named; one patient and a cohort row alike. A value read as unknown (`pNX`)
holds nothing. A registry's clinical and pathological N (TNM Clin N, TNM Path N): the pathological N wherever it holds
a category or a value not read, the clinical N elsewhere (NAACCR edit IF1172)."""
import warnings

import pandas as pd
import pytest

from pannet_guideline import assess, assess_frame
from pannet_guideline.schema import InvalidPatient

BASE = dict(differentiation="well", ki67_pct=5, tumor_size_cm=3.0, local_invasion="none", metastatic_sites="none")  # T2 M0
PAIRS = [  # (clinical N, pathological N) -> N read (the pathological N wherever it holds one: edit IF1172), or None where the row is unknown and named
    (("cN1", "pN1"), "N1"), (("cN0", "pN0"), "N0"), (("c1", "p1"), "N1"), (("cN0", "pN0 (0/12)"), "N0"), (("N1", "pN1(sn)"), "N1"),
    (("cN1", "pNX"), "N1"), (("cNX", "pN0"), "N0"), (("cX", "88"), "NX"), (("c1", "88"), "N1"),
    (("cN0", "pN1"), "N1"), (("cN1", "pN0"), "N0"), (("cN2", "pN0"), "N0"),
    (("cN1", "5/3"), None), (("cN0", "pN2"), None)]


def _frame(rows):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return assess_frame(pd.DataFrame(rows))


@pytest.mark.parametrize("headers", [("cN", "pN"), ("TNM Clin N", "TNM Path N")])
def test_clinical_and_pathological_n_in_two_columns(headers):
    out = _frame([{**BASE, headers[0]: c, headers[1]: p} for (c, p), _ in PAIRS])
    assert len(out) == len(PAIRS)
    for i, ((c, p), n) in enumerate(PAIRS):
        issue = out.input_issues.iloc[i]
        assert out.n_category.iloc[i] == (n or "NX")
        assert out.stage_ajcc8.iloc[i] == {"N0": "II", "N1": "III"}.get(n, "unknown")
        assert (f"(column {headers[1]!r})" in issue) == (n is None)  # a pathological N not read is named: the clinical N is not read in its place
        record = {**BASE, headers[0]: c, headers[1]: p}
        if n is None:
            with pytest.raises(InvalidPatient, match="n_category"): assess(record)
        else: assert (assess(record).n_category, assess(record).stage_ajcc8) == (out.n_category.iloc[i], out.stage_ajcc8.iloc[i])


def test_numbers_given_twice():
    out = _frame([{"ki67_pct": 12.0, "Ki-67 (%)": 12.0, "differentiation": "well"}, {"ki67_pct": 12.0, "Ki-67 (%)": 15.0, "differentiation": "well"},
                  {"ki67_pct": "5-10", "Ki-67 (%)": "5-10", "differentiation": "well"}])
    assert out.who_grade.tolist()[:2] == ["G2", "unknown"] and out.input_issues.iloc[0] == "" and "given more than once" in out.input_issues.iloc[1]
    assert "given more than once" in out.input_issues.iloc[2]  # ranges are weighed one column at a time: not merged


def test_the_class_label_of_either_column_is_weighed():
    "`NEC` and `poorly differentiated` read alike (poor); the label NEC, from either column, reaches the grading as it does in one column."
    rows = [{"Differentiation": a, "differentiation": b, "ki67_pct": 30} for a, b in (("NEC", "poorly differentiated"), ("poorly differentiated", "NEC"))]
    out = _frame(rows)
    for i, raw in enumerate(rows):
        alone = assess(raw)
        assert (out.who_grade.iloc[i], out.alerts.iloc[i], out.input_issues.iloc[i]) == (alone.who_grade, alone.alerts, "")


def test_an_alias_given_twice_is_not_merged():
    "An alias (here a count of positive nodes, read into the nodal status) given in two columns is not merged, even where equal: neither is read and both are named, for one patient as for a cohort row."
    record = {**BASE, "Regional nodes positive": 3, "Positive nodes": 3}
    out = _frame([record])
    assert "given more than once" in out.input_issues.iloc[0] and out.n_category.iloc[0] == "NX"
    with pytest.raises(InvalidPatient, match="given more than once"): assess(record)


NO_M = {k: v for k, v in BASE.items() if k != "metastatic_sites"}
M_PAIRS = [(("M1a", "M1"), "M1a"), (("cM1", "pM1c"), "M1c"), (("c1", "p1"), "M1"), (("M1", "M1"), "M1"), (("c0", "c0"), "M0"),
           (("M1a", "M1b"), "M1"), (("M1b", "M1c"), "M1"), (("M0", "M1"), None), (("M0", "M1a"), None)]  # AJCC 8: M1a, M1b and M1c refine M1


def test_a_subcategory_beside_the_category_it_refines():
    "M1 in one column and M1a in the other read alike, as M1a (stage IV); two different subcategories read as the M1 they share (stage IV), named; M0 beside any M1 stays unknown and named."
    out = _frame([{**NO_M, "cM": c, "pM": p} for (c, p), _ in M_PAIRS])
    for i, ((c, p), m) in enumerate(M_PAIRS):
        assert out.m_category.iloc[i] == (m or "MX"), (c, p)
        differ = c != p and c[-1] in "abc" and p[-1] in "abc"  # two subcategories
        assert ("given more than once" in out.input_issues.iloc[i]) == (m is None or differ)
        if m and m != "M0": assert out.stage_ajcc8.iloc[i] == "IV"
        record = {**NO_M, "cM": c, "pM": p}
        if differ:
            assert "subcategories that differ" in out.input_issues.iloc[i] and assess(record, strict=False).m_category == m
            with pytest.raises(InvalidPatient, match="subcategories that differ"): assess(record)
        elif m is None:
            with pytest.raises(InvalidPatient, match="m_category"): assess(record)
        else: assert assess(record).m_category == m


def test_a_column_that_does_not_say_which_n_it_is():
    "Beside an N column whose header says neither clinical nor pathological, no N comes first: values that differ leave the N unknown, on that row only."
    rows = [{**BASE, "cN": "cN1", "pN": "pN0", "N stage": "N1"}, {**BASE, "cN": "cN1", "pN": "pN0", "N stage": None}, {**BASE, "cN": "cN1", "pN": None, "N stage": "N1"}]
    out = _frame(rows)
    assert out.n_category.tolist() == ["NX", "N0", "N1"] and "given more than once" in out.input_issues.iloc[0]
    with pytest.raises(InvalidPatient, match="given more than once"): assess(rows[0])
    assert assess(rows[1]).n_category == "N0" and assess(rows[2]).n_category == "N1"


def test_a_value_not_read_is_named_beside_the_repetition():
    "Where one of the values cannot be read at all, its own reason is given with its column, one patient and a cohort row alike."
    record = {**BASE, "cT": "cT2", "pT": "T2?"}
    out = _frame([record])
    with pytest.raises(InvalidPatient) as alone: assess(record)
    for said in (out.input_issues.iloc[0], str(alone.value)):
        assert "given more than once" in said and "'T2?' is not one of T1, T2, T3, T4 (column 'pT')" in said


@pytest.mark.parametrize("record,field,empty", [
    ({**BASE, "cM": "cM0", "pM": "pM1"}, "m_category", "MX"), ({**BASE, "M": "M1a", "M stage": "M1b"}, "m_category", "MX"),
    ({**BASE, "cT": "cT2", "pT": "pT4"}, "t_category", "TX"), ({**BASE, "pN": "pN1", "N stage": "N0", "Regional nodes positive": 0}, "n_category", "NX")])
def test_columns_that_do_not_read_alike_are_not_replaced_by_the_findings(record, field, empty):
    "Sites of none, a 3 cm tumour without invasion, or a count of 0 would give M0, T2 or N0; one of the columns says more (M1, T4, N1), so the category stays unknown, a data gap, and the stage with it."
    out = _frame([record])
    alone = assess(record, strict=False)
    assert out[field].iloc[0] == empty == getattr(alone, field)
    assert out.stage_ajcc8.iloc[0] == "unknown" == alone.stage_ajcc8 and field in out.data_gaps.iloc[0].split(";")
