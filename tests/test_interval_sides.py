"""A Ki-67 written as a range or bound is one value where every cut-off the tables use leaves it whole, and is otherwise
kept as a range that each table reads on its own. A closed end that sits on a cut-off stays on the side every
comparison puts the cut-off itself: WHO 2019 grades Ki-67 of 20 % as G2 ("3-20 %", clinical_facts 1.1), so "15-20" is
all G2, while "20-30" straddles G2 and G3."""
import pytest

import pannet_guideline.guideline  # noqa: F401  (fills the reader's cut-offs)
from pannet_guideline import assess
from pannet_guideline.schema import BAND_SIDES, canonical_value


def test_the_grade_cut_offs_fall_on_the_side_the_grade_table_puts_them():
    sides = BAND_SIDES["ki67_pct"]
    assert (sides[20.0], sides[3.0], sides[55.0]) == ("low", "high", "high")  # <= 20 is G2; 3 is G2; 55 is unfavourable


@pytest.mark.parametrize("written,grade", [("15-20", "G2"), ("10-20", "G2"), ("15-20 %", "G2"), (">55", "G3")])
def test_a_range_closed_on_its_side_of_a_cut_off_is_read(written, grade):
    value, why = canonical_value("ki67_pct", written)
    assert why is None and value is not None
    a = assess(dict(ki67_pct=written, mitoses_per_2mm2=1, differentiation="well"), strict=False)
    assert a.who_grade == grade and a.input_issues == ""


@pytest.mark.parametrize("written", ["20-30", "2.5-3", ">20", "19-21"])
def test_a_range_that_straddles_a_cut_off_stays_unknown_with_the_reason(written):
    value, why = canonical_value("ki67_pct", written)
    assert value is None and "spans the cut-off" in why


LIVER_G_UNKNOWN = dict(mitoses_per_2mm2=5, differentiation="well", tumor_size_cm=3, local_invasion="none", nodal_status="N0",
                       metastatic_sites="liver", sstr_status="positive", progression="progressive", symptomatic=False,
                       tumor_burden="low", functional_syndrome="none", carcinoid_syndrome=False, prior_therapies="none")


@pytest.mark.parametrize("policy", ["seed-2025", "nccn-2025"])
@pytest.mark.parametrize("written", [">20", "50-60"])
def test_a_ki67_above_20_written_as_a_range_is_g3_and_only_the_55_split_waits(written, policy):
    "CF 1.1 R-GR-02/03: above 20 % is G3 whatever the count, so the 5 mitoses do not make a G2; the range spans only the 55 % split (CF 6.2), and only what rests on it waits."
    import pandas as pd
    from pannet_guideline import assess_frame
    patient = {**LIVER_G_UNKNOWN, "ki67_pct": written}
    a = assess(patient, policy=policy, strict=False)
    assert a.who_grade == "G3" and "ki67_pct" in a.input_issues and "55" in a.input_issues and "ki67_pct" in a.data_gaps.split(";")
    assert a.primary_recommendation != "SSA" and "SSA" not in a.primary_options.split(";")
    row = assess_frame(pd.DataFrame([patient]), policy=policy).iloc[0]
    assert (row["who_grade"], row["primary_recommendation"], row["recommendations"]) == (a.who_grade, a.primary_recommendation, a.recommendations)


@pytest.mark.parametrize("written", ["20-30", "19-21"])
def test_a_ki67_range_across_20_leaves_the_count_alone_no_grade(written):
    "CF 1.1 R-GR-03: the higher index wins; a Ki-67 that may lie above 20 leaves G3 open, so a count of 5 must not stand in as a G2."
    a = assess({**LIVER_G_UNKNOWN, "ki67_pct": written}, strict=False)
    assert a.who_grade == "unknown" and "ki67_pct" in a.data_gaps.split(";") and a.primary_recommendation != "SSA"


def test_a_ki67_not_written_keeps_the_one_index_g2():
    "CF 10.1 row 11: with no Ki-67 at all, a count of 2-20 codes G2 (provisional)."
    a = assess(LIVER_G_UNKNOWN)
    assert (a.who_grade, a.grade_provisional) == ("G2", True)


@pytest.mark.parametrize("written", [">20", "15-25"])
def test_one_patient_reads_a_range_as_a_cohort_does_and_still_rejects_a_bad_value(written):
    "COHORT_SCHEMA: `assess` and `assess_frame` give one answer for one patient; a range kept with a caveat is read, not rejected."
    import pandas as pd
    from pannet_guideline import InvalidPatient, assess_frame
    patient = {**LIVER_G_UNKNOWN, "ki67_pct": written}
    a = assess(patient)  # strict: a caveat is no rejection
    row = assess_frame(pd.DataFrame([patient])).iloc[0]
    assert "ki67_pct" in a.input_issues and (a.who_grade, a.input_issues) == (row["who_grade"], row["input_issues"])
    with pytest.raises(InvalidPatient, match="mitoses_per_2mm2"): assess({**patient, "mitoses_per_2mm2": "many"})
