"""A Ki-67 (or mitotic count, size, age) written as a bound or range is read table by table: a table whose cut-offs all
lie outside the range reads it as any value inside it, and only a table with a cut-off inside it waits for the value.

Expectations come from the sources: the WHO 2019 grade table (clinical_facts 1.1 R-GR-02: G1 Ki-67 < 3 % and mitoses
< 2, G2 Ki-67 3-20 % or mitoses 2-20, G3 above 20 by either index; R-GR-03 the higher index wins; R-GR-05 and 10.1
row 10, a Ki-67 in the G1 band with no count is a provisional G1), NCCN first-line PRRT for SSTR-positive disease with
a clinically significant burden only from Ki-67 10 % (6.1), the NCCN split of well-differentiated G3 at Ki-67 55 %
(6.2: unfavourable from 55 %, where a trial is preferred), and the AJCC 8 pancreatic NET T by size (10.3). Each
vignette is read for one patient and as a one-row cohort, and the two must agree on every output column (`both`).
Not a medical device: these tests check software behaviour only."""
import math

import numpy as np
import pandas as pd
import pytest
from hypothesis import assume, given, settings, strategies as st

from pannet_guideline import assess, assess_frame
from pannet_guideline.guideline import OUTPUT_COLUMNS
from pannet_guideline.logic import Compare
from pannet_guideline.schema import BOUNDS_KEY, Columns, read_patient, splits, written_value
from pannet_guideline.tables import DecisionTable, Rule, field_tests

from conftest import both

POLICIES = ["seed-2025", "nccn-2025"]
WELL = dict(differentiation="well")
LOCALIZED = dict(WELL, tumor_size_cm=1.5, local_invasion="none", nodal_status="N0", metastatic_sites="none",
                 functional_syndrome="none", carcinoid_syndrome=False, symptomatic=False, resectable="yes")
LIVER = dict(WELL, mitoses_per_2mm2=1, tumor_size_cm=3, local_invasion="none", nodal_status="N0", metastatic_sites="liver",
             sstr_status="positive", progression="stable", symptomatic=False, resectable="no", tumor_burden="high",
             functional_syndrome="none", carcinoid_syndrome=False, prior_therapies="none", hereditary_syndrome="none",
             age_years=60, multifocal=False)


def gaps(a): return set(filter(None, a.data_gaps.split(";")))


# --- the grade: WHO 2019 bands, read whole --------------------------------------------------------------------------

@pytest.mark.parametrize("policy", POLICIES)
@pytest.mark.parametrize("mitoses", [1, None])
def test_a_ki67_above_20_with_well_differentiated_morphology_is_net_g3(policy, mitoses):
    "R-GR-02: G3 is a Ki-67 above 20 %, whatever the count (R-GR-03), and one index suffices for G3 (R-GR-05)."
    a = both({**LOCALIZED, "ki67_pct": ">20", "mitoses_per_2mm2": mitoses}, policy)
    assert (a.nen_class, a.who_grade, a.grade_provisional) == ("NET", "G3", False)
    assert "ki67_pct" in a.input_issues and "55" in a.input_issues and "only a decision on that cut-off waits" in a.input_issues


@pytest.mark.parametrize("policy", POLICIES)
def test_a_ki67_of_3_to_20_is_g2(policy):
    "R-GR-02: Ki-67 3-20 % is G2, the two ends included; the count of 1 is lower and does not lower the grade (R-GR-03)."
    a = both({**LOCALIZED, "ki67_pct": "3-20", "mitoses_per_2mm2": 1}, policy)
    assert (a.nen_class, a.who_grade, a.grade_provisional) == ("NET", "G2", False)


@pytest.mark.parametrize("policy", POLICIES)
def test_a_ki67_below_3_is_g1_and_provisional_without_a_count(policy):
    "R-GR-02: G1 needs Ki-67 < 3 % and mitoses < 2; with no count a Ki-67 in the G1 band gives a provisional G1 (10.1 row 10)."
    assert both({**LOCALIZED, "ki67_pct": "<3", "mitoses_per_2mm2": 1}, policy).who_grade == "G1"
    a = both({**LOCALIZED, "ki67_pct": "<3"}, policy)
    assert (a.who_grade, a.grade_provisional) == ("G1", True) and "mitoses_per_2mm2" in gaps(a)


@pytest.mark.parametrize("policy", POLICIES)
def test_a_range_inside_one_band_stays_g2_and_decided(policy):
    "15-20 lies wholly in the G2 band (20 % is G2): read as before, with nothing to report."
    a = both({**LOCALIZED, "ki67_pct": "15-20", "mitoses_per_2mm2": 1}, policy)
    assert (a.who_grade, a.input_issues) == ("G2", "") and "ki67_pct" not in gaps(a)


@pytest.mark.parametrize("policy", POLICIES)
@pytest.mark.parametrize("mitoses,grade", [(5, "unknown"), (1, "unknown"), (25, "G3")])
def test_a_range_across_20_grades_only_where_the_count_settles_it(policy, mitoses, grade):
    "15-25 may be G2 or G3: a count of 5 (G2) or 1 does not settle it, since the higher index wins (R-GR-03); a count above 20 gives G3 either way."
    a = both({**LOCALIZED, "ki67_pct": "15-25", "mitoses_per_2mm2": mitoses}, policy)
    assert a.who_grade == grade
    if grade == "unknown": assert "ki67_pct" in gaps(a) and a.primary_recommendation != "ACTIVE_SURVEILLANCE"


def test_grade_index_unread_is_set_only_where_the_grade_cut_offs_fall_inside():
    "The reader's mark that an index was written but not read: for a range, only where the WHO 2019 grade cut-offs (3, 20) fall inside it."
    marked = lambda written: read_patient({"ki67_pct": written})[0].get("grade_index_unread")
    assert [marked(w) for w in (">20", "3-20", "<3", "50-60")] == [None] * 4  # spanning 55, 10 or 2 only: the grade table reads them whole
    assert [marked(w) for w in ("15-25", "2-4", "<25")] == ["ki67_pct"] * 3
    cohort = assess_frame(pd.DataFrame({"ki67_pct": [">20", "15-25", "3-20"], "mitoses_per_2mm2": [5, 5, 5], "differentiation": "well"}))
    assert cohort["who_grade"].astype(str).tolist() == ["G3", "unknown", "G2"]  # the count of 5 stands in for nothing beside 15-25


# --- decisions on a cut-off inside the range wait, and name the field -------------------------------------------------

def test_3_to_20_holds_the_first_line_prrt_decision_on_the_10_percent_cut():
    "NCCN 6.1: first-line PRRT for SSTR-positive disease with a significant burden needs Ki-67 of 10 % or more: 3-20 leaves it open, 5 rules it out, 15 gives it."
    ranged, low, high = (both({**LIVER, "ki67_pct": k}, "nccn-2025") for k in ("3-20", 5, 15))
    assert ranged.who_grade == low.who_grade == high.who_grade == "G2"
    listed = lambda a: a.recommendations.split(";")
    assert "PRRT" not in listed(ranged) and "PRRT" not in listed(low) and "PRRT" in listed(high)
    waiting = [d for d in ranged.decisions if "ki67_pct" in d.gaps]
    assert waiting and all(10.0 in {c for c, _ in field_tests(ranged.tables[d.table])["ki67_pct"]} for d in waiting)  # only the 10 % cut waits
    assert any("PRRT" in d.pending for d in waiting)
    assert "ki67_pct" in gaps(ranged) and "ki67_pct" not in gaps(low) | gaps(high)


@pytest.mark.parametrize("policy", POLICIES)
def test_a_metastatic_net_g3_above_20_waits_on_the_55_split_alone(policy):
    "NCCN 6.2: well-differentiated G3 splits at Ki-67 55 % (trial preferred from 55 %; below it, for quiet disease, observation, SSA, PRRT or palliative radiotherapy). `>20` is G3; its primary waits on Ki-67, and only readings above 20 are offered."
    quiet = {**LIVER, "tumor_burden": "low"}  # with a significant burden the trial is preferred on both sides of 55 %
    a = both({**quiet, "ki67_pct": ">20"}, policy)
    assert (a.who_grade, a.primary_held_by) == ("G3", "ki67_pct")
    said = a.primary_alternatives
    assert "ki67_pct>=55: CLINICAL_TRIAL" in said and "20<ki67_pct<55" in said
    assert "ki67_pct<=20" not in said and "ki67_pct<20" not in said  # readings the record rules out
    unknown = both({**quiet, "ki67_pct": None}, policy)
    assert "ki67_pct<=20" in unknown.primary_alternatives  # where nothing is written, every band is a reading
    assert both({**quiet, "ki67_pct": ">55"}, policy).primary_recommendation == "CLINICAL_TRIAL"
    bulky = both({**LIVER, "ki67_pct": ">20"}, policy)  # a response needed: every reading above 20 gives the trial
    assert bulky.primary_alternatives == "ki67_pct>20: CLINICAL_TRIAL", bulky.primary_alternatives


# --- the other numbers: one mechanism ---------------------------------------------------------------------------------

@pytest.mark.parametrize("size,t", [("<2", "T1"), ("2-4", "T2"), (">4", "T3"), ("1-1.5 cm", "T1"), ("15-25 mm", "TX")])
def test_a_size_range_is_staged_where_the_t_cut_offs_leave_it_whole(size, t):
    "AJCC 8 pancreatic NET (10.3): T1 under 2 cm, T2 from 2 to 4 cm, T3 over 4 cm, when limited to the pancreas; 1.5-2.5 cm straddles 2."
    a = both({**LOCALIZED, "tumor_size_cm": size, "ki67_pct": 1, "mitoses_per_2mm2": 1})
    assert a.t_category == t  # 2-4 cm also lies across the exocrine "2 cm or less" of the same table, which a NET does not read
    if t == "TX": assert "tumor_size_cm" in gaps(a) and a.stage_ajcc8 == "unknown"


@pytest.mark.parametrize("mitoses,grade", [(">20", "G3"), ("<2", "G1"), ("1-3", "unknown"), ("2-20", "G2")])
def test_a_mitotic_count_range_grades_by_the_same_bands(mitoses, grade):
    "R-GR-02: mitoses < 2 (with Ki-67 < 3) is G1, 2-20 G2, above 20 G3; 1-3 straddles 2."
    assert both({**LOCALIZED, "ki67_pct": 1, "mitoses_per_2mm2": mitoses}).who_grade == grade


def test_an_age_range_across_40_leaves_only_the_age_criterion_open():
    "eviq.men1-criteria: a NET found before 40 is a sign that calls for MEN1 testing; 30-50 leaves that open and nothing else."
    a = both({**LOCALIZED, "ki67_pct": 1, "mitoses_per_2mm2": 1, "age_years": "30-50", "hereditary_syndrome": "none", "multifocal": False})
    b = both({**LOCALIZED, "ki67_pct": 1, "mitoses_per_2mm2": 1, "age_years": None, "hereditary_syndrome": "none", "multifocal": False})
    assert a.who_grade == "G1" and "age_years" in gaps(a) and gaps(a) == gaps(b)


# --- a cohort keys its rows by what was written: different ranges never share a result --------------------------------

def test_rows_with_different_ranges_share_no_result_under_every_shortcut():
    "A long cohort of a few patients repeated (the shortcuts group rows and read each table once per input combination): each row as its patient alone."
    from pannet_guideline.fast import speed
    written = ["3-20", "15-25", "<3", ">20", "50-60", "2-4", 15, None, "15-20", ">55"]
    patients = [{**LIVER, "ki67_pct": k} for k in written] + [{**LOCALIZED, "ki67_pct": k} for k in written]
    df = pd.DataFrame(patients * 40, dtype=object)
    alone = [assess(p, strict=False).to_dict() for p in patients]
    with speed(grouped_from=1, threads_from=1):
        out = assess_frame(df)
    for i, row in enumerate(out.itertuples(index=False)):
        got = {k: ("" if pd.isna(v) else str(v)) if not isinstance(v, (bool, np.bool_)) else bool(v) for k, v in zip(out.columns, row)}
        want = {k: v if isinstance(v, bool) else str(v) for k, v in alone[i % len(patients)].items()}
        assert got == want, (written[i % len(written)], {k for k in want if got[k] != want[k]})


# --- properties: a range is decided exactly where every point inside it is -------------------------------------------

OPS = ["<", "<=", ">", ">="]
cut = st.sampled_from([2.0, 3.0, 10.0, 20.0, 55.0]) | st.floats(0, 100, allow_nan=False)
end = st.sampled_from([0.0, 2.0, 3.0, 10.0, 20.0, 55.0, 100.0]) | st.floats(0, 100, allow_nan=False)


@st.composite
def ranges(draw):
    "A closed range [low, high] of Ki-67, its ends often on a cut-off or just inside an open end."
    a, b = sorted((draw(end), draw(end)))
    if draw(st.booleans()): a = math.nextafter(a, math.inf)  # `>a`
    if draw(st.booleans()): b = math.nextafter(b, -math.inf)  # `<b`
    assume(a <= b)
    return a, b


def _alike(a, b): return a if a == b else None


@given(ranges(), st.sampled_from(OPS), cut, st.lists(st.floats(0, 1), min_size=1, max_size=6))
def test_a_comparison_of_a_range_is_the_three_valued_and_of_its_ends(written, op, value, inside):
    "Decided (and then as at both ends) exactly where every point inside gives the same answer; the same for one patient and a cohort."
    low, high = written
    c = Compare("ki67_pct", op, value)
    at = lambda x: c.record({"ki67_pct": x})
    verdict = c.record({"ki67_pct": None, BOUNDS_KEY: {"ki67_pct": written}})
    assert verdict == _alike(at(low), at(high))
    points = [min(max(low + t * (high - low), low), high) for t in inside]
    if verdict is not None: assert all(at(x) == verdict for x in points)
    else: assert at(low) != at(high)  # the ends themselves answer differently
    cols = Columns(1, {"ki67_pct": np.array([np.nan])}, bounds={"ki67_pct": (np.array([low]), np.array([high]))})
    t = c.frame(cols)
    assert (bool(t.t[0]), bool(t.f[0])) == (verdict is True, verdict is False)


@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(OPS), cut), min_size=1, max_size=4, unique=True), st.lists(ranges(), min_size=1, max_size=12),
       st.booleans())
def test_a_table_reads_a_range_whole_exactly_where_none_of_its_cut_offs_falls_inside(tests, written, defaulted):
    """Per table: a range is read as one value of it iff every comparison of the table answers alike over it; across a cut,
    comparison by comparison where the table reads the field only through comparisons, else (a default for unknown) as
    unknown. One patient and every row of a cohort agree, read once per input combination or row by row."""
    from pannet_guideline.fast import speed
    rules = [Rule(f"R{i}", Compare("ki67_pct", op, v).otherwise(False) if defaulted else Compare("ki67_pct", op, v), f"cut {i}",
                  ("who2019.grade-table",)) for i, (op, v) in enumerate(tests)]
    table = DecisionTable("ranges_property", "Comparisons of Ki-67", rules, "collect", output="cuts")
    mine = field_tests(table)["ki67_pct"]
    for low, high in written:
        rec = {"ki67_pct": None, BOUNDS_KEY: {"ki67_pct": (low, high)}}
        seen = table.view(rec)["ki67_pct"]
        whole = all(Compare("ki67_pct", op, v).record({"ki67_pct": low}) == Compare("ki67_pct", op, v).record({"ki67_pct": high}) for op, v in tests)
        assert (seen is not None) == whole == (not splits(low, high, mine))
        d = table.decide(rec)
        for (op, v), r in zip(tests, table.rules):
            verdict = _alike(Compare("ki67_pct", op, v).record({"ki67_pct": low}), Compare("ki67_pct", op, v).record({"ki67_pct": high}))
            if defaulted and not whole: verdict = False  # unknown to the table: the default answers
            assert (r.id in d.fired, r.id in d.undecided) == (verdict is True, verdict is None)
    cuts = sorted({v for _, v in tests})
    size = (2 * len(cuts) + 2) + (2 * len(cuts) + 1) ** 2
    rows = written * (16 * size // len(written) + 1)  # enough rows for the table to be read once per input combination
    cols = Columns(len(rows), {"ki67_pct": np.full(len(rows), np.nan)}, bounds={"ki67_pct": (np.array([w[0] for w in rows]), np.array([w[1] for w in rows]))})
    for knobs in (dict(), dict(combinations_at_most=0, counted_from=0, present_at_most=1.0), dict(combinations_at_most=0, counted_per_row=0)):  # short key, counted key, row by row
        with speed(**knobs):
            fd = table.decide_frame(Columns(cols.n, dict(cols.data), bounds=dict(cols.bounds)))
        for i, (low, high) in enumerate(written):
            d = table.decide({"ki67_pct": None, BOUNDS_KEY: {"ki67_pct": (low, high)}})
            fired = tuple(r.id for k, r in enumerate(table.rules) if int(fd.fired[i]) >> k & 1)
            undecided = tuple(r.id for k, r in enumerate(table.rules) if int(fd.pending[i]) >> k & 1)
            assert (d.fired, d.undecided) == (fired, undecided), knobs


KI67_WRITTEN = st.sampled_from(["<3", "3-20", ">20", "15-20", "15-25", "2-4", "50-60", ">55", "<25", "5-15", "<10", ">=10", "10-55"])


@settings(max_examples=8, deadline=None)
@given(st.lists(st.tuples(KI67_WRITTEN, st.sampled_from([None, 1, 5, 25]), st.sampled_from(["liver", "none"]),
                          st.sampled_from([None, "yes", "no"])), min_size=2, max_size=12),
       st.sampled_from(POLICIES))
def test_a_cohort_of_ranges_reads_each_row_as_its_patient_alone(rows, policy):
    "Every output column of every row equals the one-patient reading of that row, held primaries and their readings included."
    patients = [{**LIVER, "ki67_pct": k, "mitoses_per_2mm2": m, "metastatic_sites": s, "resectable": r} for k, m, s, r in rows]
    out = assess_frame(pd.DataFrame(patients, dtype=object), policy=policy)
    for i, p in enumerate(patients):
        a = assess({k: v for k, v in p.items() if v is not None}, policy=policy, strict=False)
        for col in OUTPUT_COLUMNS:
            got, want = out.iloc[i][col], getattr(a, col)
            got = bool(got) if isinstance(want, bool) else ("" if pd.isna(got) else str(got))
            assert got == want, (p["ki67_pct"], col, got, want)


def test_written_value_keeps_a_range_only_across_a_cut_off():
    "The reader's side: a range inside one band is one value of it; across a cut-off it is kept whole, closed, with its open ends just inside."
    assert written_value("ki67_pct", "15-20") == (18.75, None)
    above, why = written_value("ki67_pct", ">20")
    assert above.low == math.nextafter(20.0, math.inf) and above.high == 100.0 and "spans the cut-off 55 %" in why
    below, _ = written_value("ki67_pct", "<25")
    assert below.low == 0.0 and below.high == math.nextafter(25.0, -math.inf)


@pytest.mark.parametrize("ki67,grade", [("19-20.1", "unknown"), ("19-20", "G2"), ("20.1-25", "G3")])
def test_a_ki67_range_beside_one_mitosis_is_graded_only_where_it_lies_in_one_band(ki67, grade):
    "WHO 2019 (clinical_facts 1.1 R-GR-02, R-GR-03): G3 above 20 %, G2 from 3 to 20 %, the higher index deciding; one mitosis is G1's count. A range reaching past 20 % by one reporting step is G2 or G3 and stays unknown, in one patient and in a cohort row."
    rec = dict(differentiation="well", ki67_pct=ki67, mitoses_per_2mm2=1)
    one, row = assess(rec, strict=False), assess_frame(pd.DataFrame([rec], dtype=object)).iloc[0]
    assert (one.who_grade, row["who_grade"]) == (grade, grade)
    assert ("ki67_pct" in one.data_gaps.split(";")) == (grade == "unknown")
