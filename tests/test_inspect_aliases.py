"""`inspect` on alias columns (a size in millimetres, a yes/no liver-metastases column): reported as read, with their unreadable
values, and the mapping it suggests keeps the alias, so millimetres are still converted when the mapping is used."""
import pandas as pd

from pannet_guideline.cohort import assess_frame, inspect_columns, suggested_mapping


def _cohort():
    return pd.DataFrame({"patient_id": ["A", "B", "C"], "tumor_size_mm": [15, 25, "x"], "liver_metastases": ["yes", "no", "maybe"],
                         "ki67_pct": [2, 5, 1], "local_invasion": ["none"] * 3})


def test_alias_columns_are_reported_as_read_with_their_unreadable_values():
    got = inspect_columns(_cohort())
    assert got.loc["tumor_size_mm", "how"] == "its own name, read into tumor_size_cm"
    assert got.loc["liver_metastases", "how"] == "its own name, read into m_category"
    assert got.loc["tumor_size_mm", "unreadable"] == 1 and "'x'" in got.loc["tumor_size_mm", "commonest unreadable values"]
    assert got.loc["liver_metastases", "unreadable"] == 1  # 'maybe'; 'no' is read (the liver is free)


def test_the_suggested_mapping_keeps_millimetres_converted():
    df = _cohort()
    mapping = suggested_mapping(inspect_columns(df))
    assert mapping["tumor_size_mm"] == "tumor_size_mm"  # never tumor_size_cm: 15 mm would be read as 15 cm
    mapped, plain = assess_frame(df, columns=mapping), assess_frame(df)
    assert (mapped["t_category"].astype(str) == plain["t_category"].astype(str)).all()
    assert list(mapped["t_category"].astype(str)[:2]) == ["T1", "T2"]  # 15 mm: T1, 25 mm: T2 (AJCC 8: 2 cm the edge)
