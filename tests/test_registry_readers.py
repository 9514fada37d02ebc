"""Registry exports read as written: header spellings, value forms, plausibility, the primary site; one patient and the one-row frame agree."""
import warnings

import pandas as pd
import pytest

from pannet_guideline import assess, assess_frame
from pannet_guideline.schema import canonical_value, match_field

warnings.simplefilter("ignore")

HEADERS = [  # (header as exported, field it names)
    ("pT", "t_category"), ("cN", "n_category"), ("pN", "n_category"), ("M", "m_category"), ("T stage", "t_category"),
    ("T_STAGE", "t_category"), ("Grade", "recorded_grade"), ("WHO grade", "recorded_grade"), ("WHO_GRADE", "recorded_grade"),
    ("Functional", "functional_syndrome"), ("Syndrome", "functional_syndrome"), ("Age at dx", "age_years"),
    ("Age at diagnosis", "age_years"), ("Diagnosis Age", "age_years"), ("SSTR imaging", "sstr_status"),
    ("Previous treatment", "prior_therapies"), ("Tumour size (mm)", "tumor_size_mm"), ("Size (cm)", "tumor_size_cm"),
    ("size_cm", "tumor_size_cm"), ("KI67", "ki67_pct"), ("Ki-67 LI", "ki67_pct"), ("MIB-1", "ki67_pct"),
    ("Nodal involvement", "nodal_status"), ("Metastatic site", "metastatic_sites"), ("Primary site", "primary_site"),
    ("PRIMARY_SITE", "primary_site"), ("Familial syndrome", "hereditary_syndrome"), ("RECIST", "progression"),
    ("TNM Path T", "t_category_ajcc7"), ("Tumor Size Summary", "tumor_size_mm"),  # the TNM items of 2016-2017 hold AJCC 7 (`registry.tnm-2016-edition`)
]


@pytest.mark.parametrize("header,field", HEADERS)
def test_header_spellings_are_read_as_their_field(header, field):
    assert match_field(header) == ("read_as", field)
    assert match_field(header.upper()) == ("read_as", field)  # case does not matter
    assert match_field(f" {header.lower()}  ") == ("read_as", field)


@pytest.mark.parametrize("header", ["Stage", "Tumor stage", "AJCC stage", "Size", "Mitotic rate", "Site", "Treatment", "MEN1"])
def test_a_header_that_could_be_two_fields_is_reported_not_read(header):
    how, what = match_field(header)
    assert how == "ambiguous" and what
    out = assess_frame(pd.DataFrame({header: ["x"], "ki67_pct": [2.0]}))
    assert header in out.loc[0, "input_issues"] and "not read" in out.loc[0, "input_issues"]


VALUES = [  # (field, value as exported, what it means)
    ("ki67_pct", "5%", 5.0), ("ki67_pct", "5 %", 5.0), ("ki67_pct", "2,5", 2.5), ("ki67_pct", "<2", "G1 band"),
    ("tumor_size_cm", "25 mm", 2.5), ("tumor_size_cm", "2.5cm", 2.5), ("tumor_size_cm", "2,5", 2.5), ("tumor_size_cm", "2.5 CM", 2.5),
    ("age_years", "65 years", 65.0), ("mitoses_per_2mm2", "3,0", 3.0),
    ("t_category", "pT2", "T2"), ("t_category", "ypT1", "T1"), ("t_category", "cT3", "T3"), ("n_category", "cN0", "N0"),
    ("t_category", "T3(4)", "T3"), ("t_category", "pT3(m)", "T3"), ("t_category", "T3 (2)", "T3"),  # AJCC's count of tumours (clinical_facts 10.3)
    ("t_category", "T1c", "T1"), ("t_category", "pT1a", "T1"), ("t_category_ajcc7", "T2(m)", "T2"),  # the exocrine T1's subgroups are T1
    ("n_category", "pN1", "N1"), ("m_category", "cM1", "M1"), ("t_category", "Tx", None), ("t_category", "pTx", None),
    ("n_category", "pNx", None), ("m_category", "Present, site unknown", "M1"), ("m_category", "Yes", "M1"), ("m_category", "No", "M0"),
    ("nodal_status", "Yes", "N1"), ("nodal_status", "absent", "N0"),
    ("functional_syndrome", "Nonfunctional", "none"), ("functional_syndrome", "Non functional", "none"),
    ("functional_syndrome", "Non-functional", "none"), ("functional_syndrome", "NF", "none"), ("functional_syndrome", "No", "none"),
    ("hereditary_syndrome", "No", "none"), ("hereditary_syndrome", "MEN 1", "MEN1"),
    ("metastatic_sites", "Liver, lung", "liver_and_extrahepatic"), ("metastatic_sites", "lung", "extrahepatic"),
    ("metastatic_sites", "liver; bone", "liver_and_extrahepatic"), ("metastatic_sites", "Liver", "liver"),
    # an M with its subcategory keeps it whatever the prefix; an M column that lists sites gives the M they define (AJCC 8: M1a
    # liver only, M1b extrahepatic only, M1c both; clinical_facts 10.8); the words registries write for no metastases
    ("m_category", "pM1a", "M1a"), ("m_category", "cM1c", "M1c"), ("m_category", "ypM1b", "M1b"), ("m_category", "Liver", "M1a"),
    ("m_category", "bone", "M1b"), ("m_category", "Liver, lung", "M1c"), ("m_category", "M1 (liver)", "M1a"), ("m_category", "none", "M0"),
    ("m_category", "N", "M0"), ("m_category", "Y", "M1"), ("m_category", "no distant metastases", "M0"),
    ("m_category", "M1a (liver)", "M1a"), ("m_category", "M1 (liver, lung)", "M1c"), ("m_category", "M1 (site unknown)", "M1"),
    ("metastatic_sites", "nil", "none"), ("metastatic_sites", "0", "none"), ("metastatic_sites", "no distant metastases", "none"),
    ("metastatic_sites", "Liver mets", "liver"), ("metastatic_sites", "liver (multiple), lungs", "liver_and_extrahepatic"),
    ("metastatic_sites", "yes, liver", "liver"), ("metastatic_sites", "present (liver)", "liver"), ("metastatic_sites", "liver\nlung", "liver_and_extrahepatic"),
    ("progression", "PD", "progressive"), ("progression", "SD", "stable"), ("progression", "PR", "stable"), ("progression", "CR", "stable"),
    ("prior_therapies", "Lanreotide; Afinitor", ("SSA", "EVEROLIMUS")), ("prior_therapies", "CAPOX", ("OXALIPLATIN_FLUOROPYRIMIDINE",)),
    ("primary_site", "C25.1", "pancreas"), ("primary_site", "C17.0", "duodenum"), ("primary_site", "C17.2", "small_bowel"),
    ("primary_site", "C16.9", "stomach"), ("primary_site", "C18.1", "appendix"), ("primary_site", "C18.7", "colon"),
    ("primary_site", "C20", "rectum"), ("primary_site", "C34.1", "lung"), ("primary_site", "Ileum", "small_bowel"),
    ("primary_site", "jejunum", "small_bowel"), ("primary_site", "Pancreas", "pancreas"),
]


@pytest.mark.parametrize("field,raw,meaning", VALUES)
def test_value_forms_read_as_they_mean(field, raw, meaning):
    value, why = canonical_value(field, raw)
    assert why is None, why
    if meaning == "G1 band": assert 0 <= value < 2
    else: assert value == meaning


@pytest.mark.parametrize("raw", ["not done", "?", "n/a", "unknown", "Not documented", "NA"])
def test_missing_words_are_missing(raw):
    for field in ("ki67_pct", "t_category", "functional_syndrome", "primary_site"):
        assert canonical_value(field, raw) == (None, None)


REJECTED = [  # (field, value, words the reason must hold)
    ("tumor_size_cm", "42,493", "thousands"), ("tumor_size_cm", 42493, "date serial"), ("tumor_size_cm", 1e308, "plausible"),
    ("tumor_size_cm", "5%", "not a unit"), ("ki67_pct", "25 mm", "not a unit"), ("ki67_pct", ">20", "55"),
    ("ki67_pct", "15-25", "20"), ("mitoses_per_2mm2", 100000, "plausible"), ("age_years", 150, "above 120"),
    ("functional_syndrome", "Yes", "names no syndrome"), ("hereditary_syndrome", "Yes", "does not name"),
    ("metastatic_sites", "Liver, spleenish", "not known"), ("metastatic_sites", "liver, ?lung", "not known"), ("m_category", "livr", "not one of"),
    ("n_category", "pN1a", "no meaning for the pancreas"), ("m_category", "M1b (liver)", "contradicts itself"),
    ("sstr_status", "Yes", "not its result"), ("n_category", "pN2", "no meaning for the pancreas"),
    ("mitoses_per_2mm2", "5/10 HPF", "HPF"),
]


@pytest.mark.parametrize("field,raw,words", REJECTED)
def test_values_that_only_look_valid_are_named(field, raw, words):
    value, why = canonical_value(field, raw)
    assert value is None and words in why


def test_a_bound_inside_one_band_is_decided_and_one_across_a_cut_off_is_not():
    assert canonical_value("ki67_pct", "<2")[0] is not None  # wholly below 2 and 3: G1 by every edition
    assert canonical_value("ki67_pct", "25-30")[0] is not None  # between 20 and 55
    assert canonical_value("ki67_pct", "2-4")[0] is None  # spans 3: G1 or G2


def test_the_users_column_is_named_in_every_rejection():
    out = assess_frame(pd.DataFrame({"Size (cm)": ["42,493"], "Ki67 index (%)": ["12 mm"]}))
    issues = out.loc[0, "input_issues"]
    assert "'Size (cm)'" in issues and "'Ki67 index (%)'" in issues
    a = assess({"Size (cm)": "42,493"}, strict=False)
    assert "'Size (cm)'" in a.input_issues


ROWS = [  # registry rows whose one-patient and one-row readings must agree
    {"Ki67 index (%)": "5 %", "Mitoses/2mm2": "2,0", "Size (mm)": "25 mm", "Differentiation": "WD", "pN": "pN0",
     "Metastatic sites": "none", "Functional": "Non functional", "Age at dx": "65 years"},
    {"KI67": "<2", "Size (cm)": "1,5", "pT": "pT1", "cN": "cN0", "M": "cM0", "Grade": "1", "Previous treatment": "Lanreotide"},
    {"KI67": "30", "Differentiation": "well", "Metastatic site": "Liver, lung", "SSTR imaging": "pos", "RECIST": "PD",
     "Previous treatment": "Lanreotide"},
    {"Primary site": "C17.0", "KI67": "2", "Mitoses/2mm2": "1", "Differentiation": "well", "Size (cm)": "1.5", "pN": "N0",
     "Metastatic sites": "none", "Functional": "NF"},
    {"Primary site": "Ileum", "KI67": "12", "Differentiation": "well", "pT": "pT3", "M": "M1", "Functional": "No"},
    {"Primary site": "Pancreas", "KI67": "12", "Differentiation": "well", "Size (cm)": "42,493"},
    {"Stage": "IV", "Liver mets": "Yes", "KI67": "15-25", "Size (cm)": "1e308"},
]


@pytest.mark.parametrize("row", ROWS)
def test_one_patient_and_the_one_row_frame_agree(row):
    one = assess(row, strict=False).to_dict()
    frame = assess_frame(pd.DataFrame([row])).iloc[0].to_dict()
    assert {k: str(v) for k, v in one.items()} == {k: str(frame[k]) for k in one}


def test_a_primary_outside_the_pancreas_keeps_its_grade_and_gets_no_pancreatic_management():
    base = {"differentiation": "well", "ki67_pct": 2, "mitoses_per_2mm2": 1, "tumor_size_cm": 1.5, "nodal_status": "N0",
            "metastatic_sites": "none", "functional_syndrome": "none"}
    pancreatic = assess(base)
    for site in ("duodenum", "C17.0", "Ileum", "C18.1", "rectum", "lung", "other"):
        a = assess(base | {"primary_site": site})
        assert (a.nen_class, a.who_grade) == (pancreatic.nen_class, pancreatic.who_grade) == ("NET", "G1")
        assert (a.stage_ajcc8, a.stage_enets, a.stage) == ("not_applicable",) * 3
        assert a.recommendations == a.primary_recommendation == a.workup == a.followup_schedule == ""
        assert "NOT_PANCREATIC" in a.alerts.split(";") and a.t_category == "TX"  # pancreatic T from size does not apply
    for site in ("pancreas", "C25.2", None):  # pancreatic, or not recorded: assessed as before
        a = assess(base | {"primary_site": site})
        assert a.to_dict() == pancreatic.to_dict()


def test_a_table_without_the_site_column_is_assessed_as_before_and_a_mixed_one_row_by_row():
    rows = pd.DataFrame({"ki67_pct": [2.0, 2.0, 2.0], "differentiation": ["well"] * 3, "tumor_size_cm": [1.5] * 3,
                         "nodal_status": ["N0"] * 3, "metastatic_sites": ["none"] * 3})
    before = assess_frame(rows)
    mixed = assess_frame(rows.assign(primary_site=["pancreas", "C17.0", None]))
    assert mixed.iloc[[0, 2]].astype(str).equals(before.iloc[[0, 2]].astype(str))
    assert mixed.loc[1, "stage_ajcc8"] == "not_applicable" and mixed.loc[1, "alerts"] == "NOT_PANCREATIC"
    assert mixed.loc[1, "recommendations"] == "" and mixed.loc[1, "who_grade"] == "G1"
