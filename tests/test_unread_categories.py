"""A recorded T, N or M written but not read may say more than the findings: it is never silently replaced by the T, N
or M that size, sites or nodal status give. Where the value says at least N1 (N1a, N3, N+, 5/3) or M1 (M1+, M2), the
findings' category stands only where it agrees (N1; M1, M1a, M1b, M1c); anything else leaves the category unknown, a
data gap, and the stage with it. One patient and a cohort row alike. (AJCC 8 pancreatic NET: N1 any regional node
metastasis; M1a liver, M1b extrahepatic, M1c both; any M1 is stage IV.)"""
import warnings

import pandas as pd
import pytest

from pannet_guideline import assess, assess_frame
from pannet_guideline.schema import unread_says

BASE = dict(differentiation="well", ki67_pct=5, tumor_size_cm=3.0, local_invasion="none")  # T2 by size and extent
CASES = [  # (recorded column and value, findings) -> (T, N, M) read
    (("pM", "M1+"), dict(metastatic_sites="none", nodal_status="N0"), ("T2", "N0", "MX")),
    (("pM", "M1+"), dict(metastatic_sites="liver", nodal_status="N0"), ("T2", "N0", "M1a")),
    (("pM", "M2"), dict(metastatic_sites="extrahepatic", nodal_status="N0"), ("T2", "N0", "M1b")),
    (("pN", "N+"), dict(metastatic_sites="none", nodal_status="N0"), ("T2", "NX", "M0")),
    (("pN", "N3"), dict(metastatic_sites="none", nodal_status="N1"), ("T2", "N1", "M0")),
    (("pN", "5/3"), dict(metastatic_sites="none", nodal_status="N1"), ("T2", "N1", "M0")),
    (("pN", "pN0(i+)"), dict(metastatic_sites="none", nodal_status="N0"), ("T2", "NX", "M0")),
    (("pT", "T4-"), dict(metastatic_sites="none", nodal_status="N0"), ("TX", "N0", "M0")),
]
STAGE = {("T2", "N0", "M1a"): "IV", ("T2", "N0", "M1b"): "IV", ("T2", "N1", "M0"): "III"}


@pytest.mark.parametrize("raw,says", [("N1a", "N1"), ("pN3", "N1"), ("N+", "N1"), ("5/3", "N1"), ("pN0 (3/15)", "yes"), ("pN0(i+)", "yes"), (-1, "yes")])
def test_what_an_n_not_read_says(raw, says):
    assert unread_says("n_category", raw) == says


@pytest.mark.parametrize("raw,says", [("M1+", "M1"), ("cM2", "M1"), ("M 1", "M1"), ("MX?", "yes"), ("M0-", "yes")])
def test_what_an_m_not_read_says(raw, says):
    assert unread_says("m_category", raw) == says


def test_the_findings_stand_only_where_they_agree():
    rows = [{**BASE, **findings, column: value} for (column, value), findings, _ in CASES]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        out = assess_frame(pd.DataFrame(rows))
    for i, ((column, value), findings, tnm) in enumerate(CASES):
        alone = assess(rows[i], strict=False)
        got = (out.t_category.iloc[i], out.n_category.iloc[i], out.m_category.iloc[i])
        assert got == tnm == (alone.t_category, alone.n_category, alone.m_category), (value, findings)
        assert out.stage_ajcc8.iloc[i] == STAGE.get(tnm, "unknown") == alone.stage_ajcc8
        if "X" in "".join(tnm): assert {"TX": "t_category", "NX": "n_category", "MX": "m_category"}[next(c for c in tnm if c.endswith("X"))] in out.data_gaps.iloc[i].split(";")
        assert f"(column '{column}')" in out.input_issues.iloc[i]


def test_what_could_still_give_the_category_is_named_as_missing():
    "M1+ with no sites given: the sites could still give M1a, M1b or M1c, so they are a data gap beside the M; T4- says nothing the findings could give, so the T itself is the gap."
    rows = [{**BASE, "pM": "M1+", "nodal_status": "N0"}, {**BASE, "pT": "T4-", "nodal_status": "N0", "metastatic_sites": "none", "tumor_size_cm": None}]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        out = assess_frame(pd.DataFrame(rows))
    gaps = [set(g.split(";")) for g in out.data_gaps]
    assert {"m_category", "metastatic_sites"} <= gaps[0] and set(assess(rows[0], strict=False).data_gaps.split(";")) == gaps[0]
    assert "t_category" in gaps[1] and set(assess(rows[1], strict=False).data_gaps.split(";")) == gaps[1]
