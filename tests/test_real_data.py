"Real public data: ARC-Net (Scarpa 2017) and the Sheltzer curated table, bundled with their licences."
import pandas as pd

from pannet_guideline import assess_frame
from pannet_guideline.datasets import data_path, load_arcnet, load_sheltzer


def test_bundled_data_carry_licence_and_source():
    for folder, licence in [("panet_arcnet_2017", "LICENSE"), ("sheltzer_pnet_somatic_mutations", "LICENSE.txt")]:
        assert data_path(folder, licence).exists() and data_path(folder, "SOURCE.md").exists()


def test_arcnet_enets_stage_from_recorded_tnm_matches_recorded_stage():
    df, columns = load_arcnet()
    out = assess_frame(df, staging="enets-2006", columns=columns)
    assert len(out) == len(df) == 98 and out.index.equals(df.index)  # no row lost
    derived, recorded = out["stage_enets"].astype(str), df["ENETS Staging"].astype(str)
    evaluable = derived != "unknown"
    agree = (derived[evaluable] == recorded[evaluable]).sum()
    # 96 evaluable rows (2 have N "Not documented"); the one disagreement is ITNET_1320, recorded IIIa with T4 N1 M0 (IIIb)
    assert evaluable.sum() == 96
    assert agree >= 95, f"ENETS stage agrees in {agree} of {evaluable.sum()} evaluable rows"
    assert agree == 95
    mismatch = df.loc[evaluable & (derived != recorded), "Patient ID"].tolist()
    assert mismatch == ["ITNET_1320"]


def test_arcnet_unknown_stage_rows_name_the_missing_nodes():
    df, columns = load_arcnet()
    out = assess_frame(df, columns=columns)
    unknown = out["stage_enets"].astype(str) == "unknown"
    assert set(df.loc[unknown, "N Stage"]) == {"Not documented"}
    assert all("n_category" in g.split(";") for g in out.loc[unknown, "data_gaps"].astype(str))


def test_arcnet_ajcc8_equals_enets_without_letter():
    df, columns = load_arcnet()
    out = assess_frame(df, columns=columns)
    known = out["stage_enets"].astype(str) != "unknown"
    assert (out.loc[known, "stage_enets"].astype(str).str.rstrip("ab") == out.loc[known, "stage_ajcc8"].astype(str)).all()


def test_arcnet_size_and_recorded_t_conflicts_are_alerts_not_choices():
    df, columns = load_arcnet()
    cols = dict(columns)
    df = df.assign(local_invasion="none")  # with extent stated, size-derived T can be compared with the recorded T
    cols_out = assess_frame(df, columns=cols)
    conflict = cols_out["alerts"].astype(str).str.contains("T_CATEGORY_CONFLICT")
    assert conflict.any()
    # neither reading is trusted: T is unknown, named as a gap, and both values are kept in `conflicts`
    assert (cols_out.loc[conflict, "t_category"].astype(str) == "TX").all()
    assert cols_out.loc[conflict, "data_gaps"].astype(str).str.split(";").map(lambda g: "t_category" in g).all()
    recorded = "t_category: recorded T" + df.loc[conflict, "ENETS T-Staging"].astype(str)
    assert [c.startswith(r) for c, r in zip(cols_out.loc[conflict, "conflicts"].astype(str), recorded)] == [True] * int(conflict.sum())


def test_sheltzer_read_without_crash_and_every_unparseable_value_reported():
    df, columns = load_sheltzer()
    out = assess_frame(df, columns=columns)
    assert len(out) == len(df) == 557 and out.index.equals(df.index)
    issues = out["input_issues"].astype(str)
    # every TNM part outside the pancreas vocabulary is reported, with its value
    for col, field in [("tnm_n", "n_category"), ("tnm_m", "m_category"), ("tnm_t", "t_category")]:
        raw = df[col].dropna()
        bad = raw[~raw.str.lower().isin({"t1", "t2", "t3", "t4", "tx", "n0", "n1", "nx", "m0", "m1", "mx"})]
        for i, value in bad.items():
            assert f"{field}: '{value}'" in issues[i], (i, value, issues[i])
    assert issues.str.contains("n_category: 'N1a'").any() and issues.str.contains("m_category: 'M2'").any()
    assert issues.str.contains("n_category: 'N3'").any()
    # nothing guessed: a rejected N or M leaves the category unknown
    n3 = df["tnm_n"] == "N3"
    assert (out.loc[n3 & df["Nodal Involvement"].isin(["", "NA", " NA"]), "n_category"].astype(str) == "NX").all()
