"""Two registry readings that must never be merged in silence: a liver column against the sites, and a list of treatments.

1. A yes/no liver-metastases column says whether the liver holds metastases; so does a list of metastatic sites, and so
   does a recorded M subcategory (AJCC 8, ajcc8.m-category: M1a liver only, M1b extrahepatic only, M1c both). Where
   they disagree on the liver, the contradicted reading is unknown and named in `conflicts` and `data_gaps`; M keeps
   only what both readings give (M1 where metastases beyond the liver are not in question, else unknown).
2. A prior-therapy column lists treatments as registries write them (`,`, `;`, new lines, `->`, `then`; agents joined by
   `+` or `/` that may form one regimen; doses, schedules and brand names). A part that cannot be read holds the whole
   list unknown and is named with the column.

Not a medical device: these tests check software behaviour only.
"""
import warnings

import pandas as pd
import pytest

from pannet_guideline import assess, assess_frame
from pannet_guideline.schema import canonical_value

warnings.simplefilter("ignore")

BASE = {"differentiation": "well", "ki67_pct": 5.0, "mitoses_per_2mm2": 1, "tumor_size_cm": 3.0, "nodal_status": "N0",
        "functional_syndrome": "none"}
SITES_CONFLICT = "metastatic_sites: the sites listed and the liver-metastases column disagree on the liver"
M_CONFLICT = "m_category: the recorded M and the liver-metastases column disagree on the liver"


def _agree(rows):
    frame = assess_frame(pd.DataFrame(rows))
    for i, row in enumerate(rows):
        one = assess({k: v for k, v in row.items() if v is not None}, strict=False).to_dict()
        assert {k: str(v) for k, v in one.items()} == {k: str(frame.iloc[i][k]) for k in one}, row
    return frame


@pytest.mark.parametrize("sites", ["bone", "lung", "Lung; bone", "extrahepatic"])
def test_liver_yes_beside_extrahepatic_sites_only_is_named_and_stays_metastatic(sites):
    # the liver column makes it M1a or M1c, the sites M1b: distant disease either way, the subcategory unknown
    row = BASE | {"Liver mets": "Yes", "Metastatic sites": sites}
    a = assess(row, strict=False)
    assert (a.m_category, a.stage_ajcc8, a.disease_setting) == ("M1", "IV", "metastatic")
    assert SITES_CONFLICT in a.conflicts and "metastatic_sites" in a.data_gaps.split(";")
    frame = _agree([row])
    assert frame.loc[0, "m_category"] == "M1" and SITES_CONFLICT in frame.loc[0, "conflicts"]


def test_liver_no_beside_sites_with_the_liver_is_named():
    only = assess(BASE | {"Liver mets": "No", "Metastatic sites": "Liver"}, strict=False)
    assert only.m_category == "MX" and only.stage_ajcc8 == "unknown"  # M1a by the sites; by the column the list is wrong
    assert SITES_CONFLICT in only.conflicts and "metastatic_sites" in only.data_gaps.split(";")
    both = assess(BASE | {"Liver mets": "No", "Metastatic sites": "Liver, lung"}, strict=False)
    assert (both.m_category, both.stage_ajcc8, both.disease_setting) == ("M1", "IV", "metastatic")  # M1b or M1c: the lung is not in question
    assert SITES_CONFLICT in both.conflicts


def test_liver_yes_beside_no_sites_is_named_and_m_is_unknown():
    a = assess(BASE | {"Liver mets": "Yes", "Metastatic sites": "none"}, strict=False)
    assert a.m_category == "MX" and a.disease_setting == "unknown" and SITES_CONFLICT in a.conflicts


@pytest.mark.parametrize("liver,m,expected", [("Yes", "M1b", "M1"), ("Yes", "M0", "MX"), ("No", "M1a", "MX"), ("No", "M1c", "M1")])
def test_a_recorded_subcategory_that_contradicts_the_liver_column_is_named(liver, m, expected):
    a = assess(BASE | {"Liver mets": liver, "M": m}, strict=False)
    assert a.m_category == expected and M_CONFLICT in a.conflicts and "m_category" in a.data_gaps.split(";")


@pytest.mark.parametrize("liver,sites,m", [("Yes", "Liver", "M1a"), ("Yes", "Liver, bone", "M1c"), ("No", "bone", "M1b"), ("No", "none", "M0")])
def test_readings_that_agree_on_the_liver_are_read_without_a_conflict(liver, sites, m):
    a = assess(BASE | {"Liver mets": liver, "Metastatic sites": sites}, strict=False)
    assert a.m_category == m and a.conflicts == ""


LIVER_CONFLICTS = [  # (row, the conflict named): each contradicts the liver column on the liver (ajcc8.m-category)
    ({"Liver mets": "Yes", "Metastatic sites": "bone"}, SITES_CONFLICT), ({"Liver mets": "No", "Metastatic sites": "Liver"}, SITES_CONFLICT),
    ({"Liver mets": "Yes", "M": "M0"}, M_CONFLICT), ({"Liver mets": "Yes", "M": "M1b"}, M_CONFLICT), ({"Liver mets": "No", "M": "M1a"}, M_CONFLICT),
]


@pytest.mark.parametrize("extra,conflict", LIVER_CONFLICTS)
def test_a_liver_column_conflict_raises_its_alert_as_well(extra, conflict):
    a = assess(BASE | extra, strict=False)
    assert conflict in a.conflicts and "LIVER_COLUMN_CONFLICT" in a.alerts.split(";")
    frame = _agree([BASE | extra, BASE | {"Liver mets": "Yes", "Metastatic sites": "Liver"}])
    assert frame["alerts"].str.split(";").map(lambda x: "LIVER_COLUMN_CONFLICT" in x).tolist() == [True, False]


def test_the_liver_column_alert_is_registered_as_a_data_alert_citing_the_m_subcategories():
    from pannet_guideline.vocab import ALERTS
    alert = ALERTS["LIVER_COLUMN_CONFLICT"]
    assert alert.severity == "data" and "ajcc8.m-category" in alert.cites and alert.label and alert.text


@pytest.mark.parametrize("liver,sites,m", [("Yes", "Liver", "M1a"), ("Yes", "Liver, bone", "M1c"), ("No", "bone", "M1b"), ("No", "none", "M0")])
def test_readings_that_agree_raise_no_liver_alert(liver, sites, m):
    assert "LIVER_COLUMN_CONFLICT" not in assess(BASE | {"Liver mets": liver, "Metastatic sites": sites}, strict=False).alerts.split(";")


def test_a_liver_column_no_is_an_issue_nowhere():
    # a no is a reading (the liver is free): rows whose other columns agree carry no input issue, one patient or a cohort
    pairs = [("M0", "none"), ("M1", "bone"), ("M1b", "bone"), ("M0", None), ("M1", None), ("M1b", None), (None, "none"), (None, "bone"),
             (None, None)]  # recorded M and sites that agree with each other and with a free liver
    rows = [BASE | {"Liver mets": "No", "M": m, "Metastatic sites": s} for m, s in pairs]
    frame = _agree(rows)
    assert (frame["input_issues"] == "").all() and (frame["conflicts"] == "").all()
    for row in rows: assess({k: v for k, v in row.items() if v is not None})  # strict: no InvalidPatient


def test_one_patient_and_the_cohort_agree_on_every_combination():
    rows = [BASE | {"Liver mets": lm, "M": m, "Metastatic sites": s}
            for lm in ("Yes", "No", None) for m in ("M0", "M1", "M1a", "M1b", "M1c", None)
            for s in ("none", "Liver", "bone", "Liver, lung", None)]
    frame = _agree(rows)
    assert frame["conflicts"].str.contains("disagree on the liver").sum() > 0


TREATMENTS = [  # (as a registry writes it, the codes it means)
    ("SSA, everolimus", ("SSA", "EVEROLIMUS")),
    ("octreotide; PRRT", ("SSA", "PRRT")),
    ("Lanreotide\nEverolimus", ("SSA", "EVEROLIMUS")),
    ("lanreotide + everolimus", ("SSA", "EVEROLIMUS")),
    ("Octreotide LAR + Afinitor", ("SSA", "EVEROLIMUS")),
    ("carboplatin + etoposide", ("PLATINUM_ETOPOSIDE",)),
    ("Cisplatin/Etoposide", ("PLATINUM_ETOPOSIDE",)),
    ("capecitabine/temozolomide", ("CAPTEM",)),
    ("Capecitabine + temozolomide; Lutathera", ("CAPTEM", "PRRT")),
    ("streptozocin/5-FU", ("STREPTOZOCIN_5FU",)),
    ("Whipple, TACE", ("PANCREATECTOMY", "LIVER_DIRECTED")),
    ("capecitabine + temozolomide + everolimus", ("CAPTEM", "EVEROLIMUS")),
    ("Sandostatin and Sutent", ("SSA", "SUNITINIB")),
    # doses and schedule words set aside; brand names; sequences; liver-directed and streptozocin spellings
    ("Octreotide LAR 30 mg", ("SSA",)),
    ("Lanreotide 120 mg", ("SSA",)),
    ("Somatuline Autogel 120 mg q4w", ("SSA",)),
    ("octreotide depot", ("SSA",)),
    ("Sandostatin LAR", ("SSA",)),
    ("everolimus 10 mg", ("EVEROLIMUS",)),
    ("Afinitor", ("EVEROLIMUS",)),
    ("sunitinib 37.5 mg", ("SUNITINIB",)),
    ("Cabometyx 60 mg", ("CABOZANTINIB",)),
    ("Lu-177 dotatate x4", ("PRRT",)),
    ("177Lu-DOTATATE 7.4 GBq x 4", ("PRRT",)),
    ("Lutathera 200 mCi", ("PRRT",)),
    ("cap/tem", ("CAPTEM",)),
    ("capecitabine-temozolomide", ("CAPTEM",)),
    ("capecitabine 750 mg/m2 + temozolomide 200 mg/m2", ("CAPTEM",)),
    ("hepatic embolization", ("LIVER_DIRECTED",)),
    ("liver embolisation", ("LIVER_DIRECTED",)),
    ("TAE/TACE", ("LIVER_DIRECTED",)),
    ("SIRT", ("LIVER_DIRECTED",)),
    ("radioembolization", ("LIVER_DIRECTED",)),
    ("lanreotide -> everolimus", ("SSA", "EVEROLIMUS")),
    ("lanreotide then everolimus", ("SSA", "EVEROLIMUS")),
    ("octreotide followed by Lu-177 dotatate", ("SSA", "PRRT")),
    ("streptozotocin + 5-FU", ("STREPTOZOCIN_5FU",)),
    ("streptozocin/5FU", ("STREPTOZOCIN_5FU",)),
    ("Streptozocin + fluorouracil", ("STREPTOZOCIN_5FU",)),
    ("5-FU/streptozotocin", ("STREPTOZOCIN_5FU",)),
]


@pytest.mark.parametrize("raw,codes", TREATMENTS)
def test_treatment_lists_read_as_registries_write_them(raw, codes):
    assert canonical_value("prior_therapies", raw) == (codes, None)


@pytest.mark.parametrize("raw,unread", [("lanreotide + etoposide", "'etoposide'"), ("SSA, trial drug 123", "'trial drug 123'"),
                                        ("capecitabine", "'capecitabine'"), ("Octreotide LAR 30 mg; trial drug", "'trial drug'"),
                                        # one agent that is no regimen of the vocabulary is not guessed into one
                                        ("temozolomide", "'temozolomide'"), ("etoposide 100 mg", "'etoposide 100 mg'"),
                                        ("5-FU", "'5-FU'"), ("lanreotide -> temozolomide", "'temozolomide'"), ("30 mg", "'30 mg'")])
def test_a_part_not_read_holds_the_whole_list_unknown_and_is_named_with_the_column(raw, unread):
    value, why = canonical_value("prior_therapies", raw)
    assert value is None and unread in why
    a = assess(BASE | {"Liver mets": "Yes", "Metastatic sites": "Liver", "Previous treatments": raw}, strict=False)
    assert "prior_therapies" in a.data_gaps.split(";") and unread in a.input_issues and "'Previous treatments'" in a.input_issues


def test_one_patient_and_a_one_row_frame_agree_on_treatment_lists():
    rows = [BASE | {"Liver mets": "Yes", "Metastatic sites": "Liver", "progression": "progressive", "Previous treatments": raw}
            for raw in [t for t, _ in TREATMENTS] + ["lanreotide + etoposide", "none"]]
    for row in rows: _agree([row])
    frame = _agree(rows)  # and as one cohort, where each distinct text is read once
    assert frame["input_issues"].str.contains("'etoposide'").sum() == 1
    assert (frame["input_issues"] == "").sum() == len(rows) - 1  # every other spelling is read, none held unknown
