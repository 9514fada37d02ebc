"Published grading and staging tables (WHO 2019 and 2010, AJCC 8 and 9, ENETS 2006) as oracles, row by row."
import pytest

from pannet_guideline import assess
from pannet_guideline.grading import who_grade
from pannet_guideline.staging import stage_group, t_category

# 10.1 WHO 2019/2022 grading oracle: (ki67 %, mitoses per 2 mm2, differentiation, expected)
WHO2019 = [
    (0.5, 0, "well", "G1"), (2.9, 1.9, "well", "G1"), (3.0, 0, "well", "G2"), (2.0, 2.0, "well", "G2"),
    (20.0, 1, "well", "G2"), (1, 20.0, "well", "G2"), (20.1, 1, "well", "G3"), (5, 20.2, "well", "G3"),
    (15, 25, "well", "G3"), (2.5, None, "well", "G1 provisional"), (None, 3, "well", "G2"), (25, 30, "poor", "NEC"),
]


@pytest.mark.parametrize("ki67,mitoses,diff,expected", WHO2019)
def test_who2019_oracle(ki67, mitoses, diff, expected):
    assert who_grade(ki67, mitoses, diff) == expected


def test_who2019_provisional_flag_in_assessment():
    a = assess({"ki67_pct": 2.5, "differentiation": "well"})
    assert (a.who_grade, a.grade_provisional) == ("G1", True)
    b = assess({"ki67_pct": 2.5, "mitoses_per_2mm2": 1, "differentiation": "well"})
    assert (b.who_grade, b.grade_provisional) == ("G1", False)


def test_ki67_25_poorly_differentiated_is_nec_not_g3():
    a = assess({"ki67_pct": 25, "differentiation": "poor"})
    assert (a.nen_class, a.who_grade) == ("NEC", "NEC")
    b = assess({"ki67_pct": 25, "mitoses_per_2mm2": 3, "differentiation": "well"})
    assert (b.nen_class, b.who_grade) == ("NET", "G3")


# 10.2 WHO 2010 against WHO 2019: (ki67, mitoses, 2010, 2019); 2.5 % is the declared convention (G2) with an alert
WHO2010 = [(2, 1, "G1", "G1"), (3, 1, "G2", "G2"), (20, 5, "G2", "G2"), (25, 5, "NEC", "G3")]


@pytest.mark.parametrize("ki67,mitoses,g2010,g2019", WHO2010)
def test_who2010_oracle(ki67, mitoses, g2010, g2019):
    assert who_grade(ki67, mitoses, edition="who-2010") == g2010
    assert who_grade(ki67, mitoses, edition="who-2019") == g2019


def test_who2010_gap_is_declared_and_alerted():
    a = assess({"ki67_pct": 2.5, "mitoses_per_2mm2": 1, "differentiation": "well"}, grading="who-2010")
    assert a.grade_reported == "G2" and "WHO2010_KI67_BETWEEN_BANDS" in a.alerts.split(";")
    assert a.who_grade == "G1" and "GRADE_EDITION_DIFFERS" in a.alerts.split(";")  # management follows WHO 2019
    assert assess({"ki67_pct": 2.5, "mitoses_per_2mm2": 1, "differentiation": "well"}).who_grade == "G1"


def test_who2010_high_grade_well_differentiated_is_reported_nec_managed_as_net_g3():
    a = assess({"ki67_pct": 25, "mitoses_per_2mm2": 5, "differentiation": "well"}, grading="who-2010")
    assert a.grade_reported == "NEC"  # WHO 2010 called every neoplasm above 20 a carcinoma (who2010.grade-table)
    assert (a.nen_class, a.who_grade) == ("NET", "G3")  # morphology decides the class (who2019.differentiation-first)
    assert "PLATINUM_ETOPOSIDE" not in a.recommendations.split(";")


# 10.3 AJCC 8 T oracle
T_ORACLE = [(0.8, "none", "T1"), (1.99, "none", "T1"), (2.0, "none", "T2"), (4.0, "none", "T2"), (4.01, "none", "T3"),
            (1.5, "duodenum_or_bile_duct", "T3"), (1.5, "none", "T1"), (1.5, "adjacent_organs_or_vessels", "T4"),
            (12.0, "adjacent_organs_or_vessels", "T4"), (None, None, "TX")]


@pytest.mark.parametrize("size,invasion,expected", T_ORACLE)
def test_t_oracle(size, invasion, expected):
    assert t_category(size, invasion) == expected


def test_peripancreatic_fat_alone_does_not_upstage():
    assert assess({"tumor_size_cm": 1.5, "local_invasion": "peripancreatic fat"}).t_category == "T1"


def test_multiple_tumours_largest_sets_t():
    # the largest primary is what tumor_size_cm records; 4.5 cm gives T3 (the (m)/(#) suffix is a reporting convention)
    assert assess({"tumor_size_cm": 4.5, "local_invasion": "none", "multifocal": True}).t_category == "T3"


# 10.4 AJCC 8 stage matrix; None = NX / not assigned
AJCC8 = {
    ("T1", "N0", "M0"): "I", ("T2", "N0", "M0"): "II", ("T3", "N0", "M0"): "II", ("T4", "N0", "M0"): "III",
    ("T1", "N1", "M0"): "III", ("T2", "N1", "M0"): "III", ("T3", "N1", "M0"): "III", ("T4", "N1", "M0"): "III",
    (None, "N1", "M0"): "III", (None, "N0", "M0"): "unknown",
    ("T1", None, "M0"): "unknown", ("T2", None, "M0"): "unknown", ("T3", None, "M0"): "unknown",
    ("T4", None, "M0"): "III",  # unknown N cannot change it: T4 N0 and any-T N1 are both III
    (None, None, "M0"): "unknown",
}
for t in ("T1", "T2", "T3", "T4", None):
    for n in ("N0", "N1", None):
        for m in ("M1", "M1a", "M1b", "M1c"):
            AJCC8[(t, n, m)] = "IV"


@pytest.mark.parametrize("tnm,expected", sorted(AJCC8.items(), key=str))
def test_ajcc8_stage_matrix(tnm, expected):
    assert stage_group(*tnm, edition="ajcc-8") == expected
    assert stage_group(*tnm, edition="ajcc-9") == expected  # AJCC 9 kept the groups for the pancreas


# 10.5 ENETS 2006 stage matrix
ENETS = {("T1", "N0", "M0"): "I", ("T2", "N0", "M0"): "IIa", ("T3", "N0", "M0"): "IIb", ("T4", "N0", "M0"): "IIIa"}
for t in ("T1", "T2", "T3", "T4"):
    ENETS[(t, "N1", "M0")] = "IIIb"
    for n in ("N0", "N1"):
        ENETS[(t, n, "M1")] = "IV"


@pytest.mark.parametrize("tnm,expected", sorted(ENETS.items()))
def test_enets_stage_matrix(tnm, expected):
    assert stage_group(*tnm, edition="enets-2006") == expected


def test_enets_t4_nx_m0_is_not_decided():
    # AJCC 8 groups T4 NX M0 as III, but ENETS splits IIIa (N0) from IIIb (N1)
    assert stage_group("T4", None, "M0", edition="enets-2006") == "unknown"


# 10.8 AJCC 8 M oracle
M_ORACLE = [("none", "M0"), ("liver", "M1a"), ("extrahepatic", "M1b"), ("liver_and_extrahepatic", "M1c")]


@pytest.mark.parametrize("sites,expected", M_ORACLE)
def test_m_oracle(sites, expected):
    assert assess({"metastatic_sites": sites}).m_category == expected


def test_nec_and_minen_not_staged_with_net_chapter():
    for diff in ("poor", "mixed"):
        a = assess({"differentiation": diff, "t_category": "T2", "n_category": "N0", "m_category": "M0"})
        assert a.stage_ajcc8 == a.stage_ajcc9 == a.stage_enets == "not_applicable"


def test_net_g3_staged_with_alert_under_ajcc8_only():
    rec = {"differentiation": "well", "ki67_pct": 30, "t_category": "T2", "n_category": "N0", "m_category": "M0"}
    a8, a9 = assess(rec), assess(rec, staging="ajcc-9")
    assert a8.stage_ajcc8 == a9.stage == "II"
    assert "AJCC8_NET_G3_SCOPE" in a8.alerts and "AJCC8_NET_G3_SCOPE" not in a9.alerts
