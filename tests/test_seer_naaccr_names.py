"""Registry exports name their columns two more ways than a hospital sheet: NAACCR's XML names (`tnmPathN`, `ajccTnmClinT`,
`tumorSizePathologic`: `registry.naaccr-xml-names`) and SEER*Stat's variable names, which carry the years of diagnosis the
item covers (`Grade Pathological (2018+)`) and write an empty item `Blank(s)`. Each is read as its field, or reported, never guessed."""
import warnings

import pandas as pd
import pytest

from pannet_guideline import assess
from pannet_guideline.cohort import assess_frame
from pannet_guideline.schema import match_field
import pannet_guideline.sources  # noqa: F401  (registers the statements)
from pannet_guideline.evidence import STATEMENTS


def _frame(columns:dict) -> pd.DataFrame:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # the column report is a warning; the rows are what is checked
        return assess_frame(pd.DataFrame(columns))


@pytest.mark.parametrize("header,field", [
    ("tnmPathT", "t_category_ajcc7"), ("tnmClinT", "t_category_ajcc7"), ("tnmClinN", "n_category"), ("tnmPathM", "m_category"),  # 2016-2017: AJCC 7
    ("ajccTnmClinT", "t_category"), ("ajccTnmPathT", "t_category"),  # the AJCC items of 2018 on: AJCC 8
    ("ajccTnmClinN", "n_category"), ("ajccTnmPathN", "n_category"), ("AJCC TNM Path N", "n_category"),
    ("ajccTnmClinM", "m_category"), ("ajccTnmPathM", "m_category"),
    ("tumorSizeSummary", "tumor_size_mm"),
    ("primarySite", "primary_site"), ("Primary Site - labeled", "primary_site"),
    ("Derived EOD 2018 T (2018+)", "t_category"), ("Derived EOD 2018 N (2018+)", "n_category"), ("Derived EOD 2018 M (2018+)", "m_category"),
    ("Derived SEER Combined T (2016-2017)", "t_category_ajcc7"), ("Derived SEER Combined N (2016-2017)", "n_category"),
    ("Derived AJCC T, 7th ed (2010-2015)", "t_category_ajcc7"),
    ("Tumor Size Summary (2016+)", "tumor_size_mm"), ("Grade Pathological (2018+)", "recorded_grade"), ("Grade Clinical (2018+)", "recorded_grade"),
    ("Regional nodes positive (1988+)", "positive_nodes"), ("Mets at DX-Liver (2016+)", "liver_metastases"),
    ("SEER Combined Mets at DX-liver (2010+)", "liver_metastases"), ("metsAtDxLiver", "liver_metastases"),
])
def test_a_registry_name_is_read_as_its_field(header, field):
    assert match_field(header) == ("read_as", field)


@pytest.mark.parametrize("header", ["tnmPathStageGroup", "ajccTnmClinStageGroup", "AJCC TNM Path Stage Group",
                                    "Derived EOD 2018 Stage Group (2018+)", "Derived AJCC Stage Group, 7th ed (2010-2015)"])
def test_a_registry_stage_group_is_reported_not_read(header):
    kind, why = match_field(header)
    assert kind == "ambiguous" and "stage group" in why
    out = _frame({header: ["IA"], "recorded_grade": ["G1"]})
    assert out.loc[0, "stage"] == "unknown"  # the stage is worked out from T, N and M, never copied from the registry's


@pytest.mark.parametrize("header", ["Grade Recode (thru 2017)", "Grade (thru 2017)", "Survival months (2016+)", "Histologic Type ICD-O-3",
                                    "ajccTnmPostTherapyT", "ajccTnmPostTherapyN", "tumorSizePathologic", "tumorSizeClinical"])
def test_items_that_are_not_the_field_stay_unread(header):
    "The grade item of before 2018 codes differentiation, not a WHO grade; a y-stage (after treatment) is not the stage at diagnosis; "
    "the clinical and pathological sizes are what the size summary sums up."
    assert match_field(header)[0] in ("unknown", "resembles")
    out = _frame({header: ["2"], "Grade Pathological (2018+)": ["1"]})
    assert out.loc[0, "who_grade"] == "G1" and out.loc[0, "t_category"] == "TX"


def test_the_years_are_set_aside_only_at_the_end_of_a_name():
    assert match_field("Grade (2018+) pathological")[0] != "read_as"


@pytest.mark.parametrize("path_header,clin_header,path,clin,want", [
    ("ajccTnmPathN", "ajccTnmClinN", "pN0", "cN1", "N0"),  # the pathological N holds a category: it is the N
    ("ajccTnmPathN", "ajccTnmClinN", "pNX", "cN1", "N1"),  # it does not: the clinical N is
    ("AJCC TNM Path N", "AJCC TNM Clin N", "", "cN0", "N0"),
    ("tnmPathN", "tnmClinN", "p1", "c0", "N1"),  # the 2016 items' codes
    ("tnmPathN", "tnmClinN", "Blank(s)", "c1", "N1"),
    ("TNM Path N (2016-2017)", "TNM Clin N (2016-2017)", "p0", "c1", "N0"),
])
def test_the_pathological_n_comes_first_by_its_naaccr_name(path_header, clin_header, path, clin, want):
    "`registry.path-n-first`: one patient and a cohort row alike, with no contradiction raised between the two items."
    out = _frame({path_header: [path], clin_header: [clin], "recorded_grade": ["G1"]})
    assert out.loc[0, "n_category"] == want and "contradict" not in out.loc[0, "input_issues"]
    assert assess({path_header: path, clin_header: clin, "recorded_grade": "G1"}).n_category == want


@pytest.mark.parametrize("value", ["Blank(s)", "Not applicable", "NOT APPLICABLE"])
def test_seer_stat_words_for_nothing_are_missing_not_issues(value):
    out = _frame({"Grade Pathological (2018+)": [value], "Derived EOD 2018 N (2018+)": [value]})
    assert out.loc[0, "input_issues"] == "" and out.loc[0, "grade_reported"] in ("", "unknown", None) or pd.isna(out.loc[0, "grade_reported"])
    assert out.loc[0, "n_category"] == "NX"


@pytest.mark.parametrize("site,pancreatic", [("C25.0-Head of pancreas", True), ("C25.4-Islets of Langerhans", True), ("C25.9 - Pancreas, NOS", True),
                                             ("C17.0-Duodenum", False), ("C16.1-Fundus of stomach", False), ("C34.1-Upper lobe, lung", False)])
def test_a_labelled_topography_code_is_read_by_its_code(site, pancreatic):
    out = _frame({"Primary Site - labeled": [site], "recorded_grade": ["G1"]})
    assert out.loc[0, "input_issues"] == ""
    assert ("NOT_PANCREATIC" in out.loc[0, "alerts"].split(";")) is (not pancreatic)


def test_a_labelled_code_that_is_no_topography_is_named_with_its_label():
    out = _frame({"Primary Site - labeled": ["C99.9-No such site"], "recorded_grade": ["G1"]})  # topography codes end at C80.9
    assert "'C99.9-No such site' is not one of" in out.loc[0, "input_issues"] and "Primary Site - labeled" in out.loc[0, "input_issues"]


def test_a_seer_stat_export_is_read_without_a_mapping():
    "Six rows as SEER*Stat exports them: every column read, no issue but the one a registry code earns."
    out = _frame({
        "Primary Site - labeled": ["C25.0-Head of pancreas", "C25.2-Tail of pancreas", "C25.4-Islets of Langerhans", "C17.0-Duodenum",
                                   "C25.1-Body of pancreas", "C25.9-Pancreas, NOS"],
        "Grade Pathological (2018+)": ["1", "2", "Blank(s)", "1", "3", "2"],
        "Derived EOD 2018 T (2018+)": ["T1", "T3", "Blank(s)", "T1", "T2", "T2"],
        "Derived EOD 2018 N (2018+)": ["N0", "N1", "Blank(s)", "N0", "N0", "NX"],
        "Derived EOD 2018 M (2018+)": ["M0", "M1", "Blank(s)", "M0", "M0", "M0"],
        "Mets at DX-Liver (2016+)": ["No", "Yes", "Unknown", "No", "No", "Not applicable"],
        "Tumor Size Summary (2016+)": ["015", "045", "999", "008", "030", "025"],
    })
    assert out["who_grade"].tolist()[:3] == ["G1", "G2", "unknown"]
    assert out.loc[4, "who_grade"] == "unknown" and "HIGH_GRADE_MORPHOLOGY_UNKNOWN" in out.loc[4, "alerts"]  # G3, no morphology: NET G3 or NEC
    assert out["t_category"].tolist() == ["T1", "T3", "TX", "T1", "T2", "T2"]
    assert out["m_category"].tolist()[:3] == ["M0", "M1", "MX"]
    assert out["stage_ajcc8"].tolist()[0] == "I" and out["stage_ajcc8"].tolist()[1] == "IV"
    issues = out["input_issues"].tolist()
    assert [i for i, x in enumerate(issues) if x] == [2] and "registry code" in issues[2]  # 999 mm: NAACCR's unknown size
    assert "NOT_PANCREATIC" in out.loc[3, "alerts"]


def test_the_statement_the_names_rest_on_is_registered():
    s = STATEMENTS["registry.naaccr-xml-names"]
    assert s.source == "S-SEER-NAACCR-NAMES" and "tnmPathN" in s.text and "tumorSizePathologic" in s.text


def test_a_2016_t_item_is_read_as_ajcc_7_not_as_ajcc_8():
    "`registry.tnm-2016-edition`: AJCC 7 T3 (beyond the pancreas, exocrine scheme) is not the AJCC 8 T3 of a NET over 4 cm."
    out = _frame({"tnmPathT": ["p3", "T3"], "tumorSizeSummary": ["015", "015"], "tnmPathN": ["p0", "p0"], "tnmPathM": ["c0", "c0"],
                  "gradePathological": ["1", "1"], "primarySite": ["C250", "C250"]})
    assert (out["t_category"] == "TX").all() and (out["stage_ajcc8"] != "II").all()


@pytest.mark.parametrize("pathological,clinical,want", [("9", "2", "G2"), ("2", "9", "G2"), ("9", "9", "unknown"), ("Blank(s)", "1", "G1")])
def test_a_registry_unknown_grade_leaves_the_other_grade_item_to_speak(pathological, clinical, want):
    "`registry.grade-9`: code 9 is the registry's unknown grade, not a value that contradicts the other item."
    out = _frame({"gradePathological": [pathological], "gradeClinical": [clinical], "differentiation": ["well"]})
    assert out.loc[0, "who_grade"] == want and out.loc[0, "input_issues"] == ""


def test_the_size_summary_is_read_and_the_sizes_it_sums_up_are_not():
    out = _frame({"tumorSizeSummary": ["025"], "tumorSizePathologic": ["025"], "tumorSizeClinical": ["999"], "ajccTnmPathN": ["pN0"],
                  "ajccTnmPathM": ["cM0"], "localInvasion": ["no"]})
    assert "given more than once" not in out.loc[0, "input_issues"] and "registry code" not in out.loc[0, "input_issues"]


@pytest.mark.parametrize("site", ["C241", "C24.1-Ampulla of Vater", "C240", "C809", "C80.9-Unknown primary site", "C17.0"])
def test_a_topography_code_outside_the_pancreas_is_out_of_scope(site):
    "Any ICD-O-3 topography code but C25 names a primary not known to be pancreatic, the unknown primary (C80.9) included."
    out = _frame({"primarySite": [site], "gradePathological": ["1"], "metsAtDxLiver": ["1"]})
    assert "NOT_PANCREATIC" in out.loc[0, "alerts"].split(";") and out.loc[0, "input_issues"] == ""
    assert out.loc[0, "primary_recommendation"] == ""


@pytest.mark.parametrize("header,says", [("Derived AJCC N, 7th ed (2010-2015)", "AJCC 7 N or M"), ("Derived AJCC M, 7th ed (2010-2015)", "AJCC 7 N or M"),
                                         ("ajccTnmPathNSuffix", "suffix"), ("ajccTnmClinTSuffix", "suffix")])
def test_an_item_beside_the_category_is_named_not_taken_for_it(header, says):
    "Before, these were reported as resembling t_category_ajcc7 or n_category, a hint that pointed at the wrong field."
    kind, why = match_field(header)
    assert kind == "ambiguous" and says in why


@pytest.mark.parametrize("value,want", [("c1", "T1"), ("c2", "T2"), ("c4", "T4"), ("p3", "T3"), ("cX", None), ("88", None)])
def test_the_2016_clinical_t_item_is_read_with_its_c(value, want):
    "`registry.tnm-2016-clin-t`: TNM Clin T writes c1, c2 as TNM Path T writes p1, p2; both are AJCC 7 (`registry.tnm-2016-edition`)."
    from pannet_guideline.schema import read_patient
    read, issues = read_patient({"tnmClinT": value})
    assert read.get("t_category_ajcc7") == want and not issues


@pytest.mark.parametrize("label,m", [("None; no liver metastases", "MX"), ("Yes; distant liver metastases", "M1"),
                                     ("Unknown; liver metastases unknown", "MX")])
def test_seer_stat_labels_of_liver_metastases_are_read_by_their_first_word(label, m):
    out = _frame({"Mets at DX-Liver (2016+)": [label], "gradePathological": ["1"]})
    assert out.loc[0, "m_category"] == m and out.loc[0, "input_issues"] == ""  # `None`: the liver is free, which alone gives no M0


def test_the_suggested_mapping_keeps_a_mixed_year_table_as_it_reads_without_one():
    "Items of 2016-2017 and of 2018 on, side by side: a mapping can name one column per field, so the fields they share are left to their spellings."
    from pannet_guideline.cohort import inspect_columns, suggested_mapping
    df = pd.DataFrame({"Derived SEER Combined N (2016-2017)": ["c0", None, "c1"], "Derived EOD 2018 N (2018+)": [None, "N1", None],
                       "Derived SEER Combined M (2016-2017)": ["c0", None, "c1"], "Derived EOD 2018 M (2018+)": [None, "M0", None],
                       "Grade Clinical (2018+)": [None, "2", None], "Grade Pathological (2018+)": ["1", "9", "2"], "Primary Site - labeled": ["C25.0"] * 3})
    mapping = suggested_mapping(inspect_columns(df))
    assert "Derived EOD 2018 N (2018+)" not in mapping and "Primary Site - labeled" in mapping
    plain, mapped = _frame(df), assess_frame(df, columns=mapping)
    assert plain["n_category"].tolist() == ["N0", "N1", "N1"] and plain["who_grade"].tolist() == ["G1", "G2", "G2"]
    assert (plain.astype(str) == mapped.astype(str)).all().all()
