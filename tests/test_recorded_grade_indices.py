"""A recorded G1 or G2 never stands in for the grade beside a Ki-67 or mitotic count above 20 (WHO 2019 grade table:
G1 is Ki-67 under 3 % and under 2 mitoses per 2 mm², G2 is Ki-67 3-20 % or 2-20 mitoses; above 20 the tumour is a NET G3
or an NEC, `who2019.grade-table`, `who2019.differentiation-first`): with the morphology unknown the grade stays unknown and
the alert names the contradiction, one patient and a cohort alike."""
import pandas as pd
import pytest

from pannet_guideline import assess, assess_frame

SMALL_TUMOUR = dict(tumor_size_cm=1.5, local_invasion="none", nodal_status="N0", metastatic_sites="none",
                    functional_syndrome="none", symptomatic=False, prior_therapies="none")


@pytest.mark.parametrize("recorded,index", [("G1", dict(ki67_pct=25)), ("G2", dict(ki67_pct=35)), ("G1", dict(mitoses_per_2mm2=21))])
def test_a_low_recorded_grade_beside_high_indices_is_not_used(recorded, index):
    patient = dict(recorded_grade=recorded, **index, **SMALL_TUMOUR)
    a = assess(patient)
    assert a.who_grade == "unknown" and "RECORDED_GRADE_BELOW_INDICES" in a.alerts.split(";")
    assert "ACTIVE_SURVEILLANCE" not in a.recommendations.split(";")  # a possible G3 or NEC is never watched
    row = assess_frame(pd.DataFrame([patient])).iloc[0]
    assert (row["who_grade"], row["alerts"], row["recommendations"]) == (a.who_grade, a.alerts, a.recommendations)


def test_a_recorded_grade_still_stands_in_where_the_indices_allow_it():
    assert assess(dict(recorded_grade="G1")).who_grade == "G1"  # no index: the record is the grade
    assert assess(dict(recorded_grade="G2", ki67_pct=20)).who_grade == "G2"  # 20 % is still G2
    assert "RECORDED_GRADE_BELOW_INDICES" not in assess(dict(recorded_grade="G2", ki67_pct=20)).alerts


@pytest.mark.parametrize("ki67", [2, 30])
def test_a_mixed_tumour_is_not_set_against_its_recorded_grade(ki67):
    "WHO 2019 (who2019.minen): each component of a MiNEN is graded on its own, so a recorded G1 may grade one of them: no conflict, one patient or a cohort."
    import pandas as pd
    from pannet_guideline import assess, assess_frame
    p = dict(differentiation="mixed", ki67_pct=ki67, mitoses_per_2mm2=1, recorded_grade="G1")
    a, row = assess(p, strict=False), assess_frame(pd.DataFrame([p])).iloc[0]
    assert (a.who_grade, a.conflicts) == ("MiNEN", "") and (row["who_grade"], row["conflicts"]) == ("MiNEN", "")
