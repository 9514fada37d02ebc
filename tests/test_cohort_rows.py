"Explaining one cohort row with the table's own column names, and long tables keyed by the patient's id."
import pandas as pd
import pytest

from pannet_guideline import assess
from pannet_guideline.cohort import assess_cohort, explain_row
from pannet_guideline.datasets import demo_cohort

MAPPING = {"Patient ID": "patient_id", "Ki-67 (%)": "ki67_pct", "Size (cm)": "tumor_size_cm"}


def _registry(n=40):
    df = demo_cohort().head(n).astype(str)
    return df.rename(columns={"patient_id": "Patient ID", "ki67_pct": "Ki-67 (%)", "tumor_size_cm": "Size (cm)"})


def test_explaining_row_17_needs_no_rebuilding():
    df = _registry()
    text = df.pannet.explain(17, columns=MAPPING)
    canonical = {MAPPING.get(k, k): v for k, v in df.loc[17].items()}
    assert text == assess(canonical, strict=False).explain()
    frame_row = df.pannet.assess(columns=MAPPING).loc[17]
    assert f"WHO grade {frame_row['who_grade']}" in text


def test_a_label_that_names_several_rows_is_refused():
    df = _registry(3).set_axis(["a", "a", "b"])
    with pytest.raises(KeyError, match="names 2 rows"):
        df.pannet.explain("a", columns=MAPPING)


def test_a_mapping_naming_absent_columns_is_refused():
    with pytest.raises(KeyError, match="does not have"):
        explain_row({"Ki-67 (%)": "3"}, columns=MAPPING)


def test_long_tables_carry_the_patient_id():
    df = _registry().set_axis(range(100, 140))
    res = assess_cohort(df, columns=MAPPING)
    long = res.recommendations_long()
    assert (long["patient_id"] == df.loc[long["row"], "Patient ID"].to_numpy()).all()
    gaps = res.long("data_gaps")
    assert (gaps["patient_id"] == df.loc[gaps["row"], "Patient ID"].to_numpy()).all()
    assert "patient_id" not in assess_cohort(df.drop(columns="Patient ID"), columns={"Ki-67 (%)": "ki67_pct"}).long("alerts").columns
