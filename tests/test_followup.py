"""Follow-up: schedule selection for every branch, the Ki-67 55 % split, dated visit plans checked against dates computed
here from the published intervals, plan properties (Hypothesis), citations, the points without a schedule
(scalar == vectorized and static analysis of every table: tests/test_properties.py)."""
import calendar
import datetime as dt
import math

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from pannet_guideline.evidence import STATEMENTS
from pannet_guideline.followup import (FOLLOWUP_CARE, FOLLOWUP_WATCH_NCCN, FOLLOWUP_WATCH_SEED, CONSISTENT_GRADE, FOLLOWUP_ALERTS_BOTH, FOLLOWUP_ALERTS_NCCN, FOLLOWUP_ALERTS_SEED, FOLLOWUP_NCCN, FOLLOWUP_SEED,
                                       RECURRENCE, SCHEDULE_TABLES, SCHEDULES, TABLES, observed, policy_tables, resected, schedule_for, visit_plan)
from pannet_guideline.schema import FIELDS
from pannet_guideline.tables import boundary_grid, grid_records

REF = dt.date(2026, 1, 15)
ALL_TABLES = list(TABLES)
UNIQUE_TABLES = [FOLLOWUP_NCCN, FOLLOWUP_SEED]


def rec(setting="localized", nen_class="NET", who_grade="G1", ki67_pct=None, prior=None, sstr_status=None):
    "A canonical record with only the fields the follow-up tables read."
    return {"disease_setting": setting, "nen_class": nen_class, "who_grade": who_grade, "ki67_pct": ki67_pct, "prior_therapies": prior,
            "sstr_status": sstr_status}


def month_shift(day, n):
    "Independent calendar-month arithmetic for the expected dates (day kept, clipped to the month's end)."
    total = day.year * 12 + day.month - 1 + n
    y, m = divmod(total, 12)
    return dt.date(y, m + 1, min(day.day, calendar.monthrange(y, m + 1)[1]))


def dates(schedule, ref=REF, **kw):
    return visit_plan(schedule, ref, **kw).date.dt.date.tolist()


# ------------------------------------------------------------------ which schedule

RESECTED, OBSERVED, NOTHING = ("PANCREATECTOMY",), ("ACTIVE_SURVEILLANCE",), ()

NCCN_CASES = [
    (rec(prior=RESECTED), "NCCN_RESECTED_G1G2"),
    (rec(who_grade="G2", prior=("ENUCLEATION",)), "NCCN_RESECTED_G1G2"),
    (rec(prior=OBSERVED), "NCCN_OBSERVED"),
    (rec(prior=("ACTIVE_SURVEILLANCE", "PANCREATECTOMY")), "NCCN_RESECTED_G1G2"),  # observed first, then operated on
    (rec("metastatic", who_grade="G2"), "NCCN_ADVANCED_G1G2"),
    (rec("locally_advanced", who_grade="G1", prior=("SSA",)), "NCCN_ADVANCED_G1G2"),
    (rec(who_grade="G3", ki67_pct=30, prior=RESECTED), "NCCN_WDG3_RESECTED"),
    (rec(who_grade="G3", prior=RESECTED), "NCCN_WDG3_RESECTED"),  # Ki-67 not needed after resection
    (rec("metastatic", who_grade="G3", ki67_pct=30, sstr_status="positive"), "NCCN_WDG3_ADVANCED_FAVOURABLE"),
    (rec("locally_advanced", who_grade="G3", ki67_pct=70), "NCCN_WDG3_ADVANCED_UNFAVOURABLE"),
    (rec(nen_class="NEC", who_grade="NEC", prior=RESECTED), "NCCN_PDNEC_RESECTED"),
    (rec(nen_class="MiNEN", who_grade="MiNEN", prior=RESECTED), "NCCN_PDNEC_RESECTED"),
    (rec("metastatic", nen_class="NEC", who_grade="NEC"), "NCCN_PDNEC_ADVANCED"),
    (rec("locally_advanced", nen_class="MiNEN", who_grade="MiNEN"), "NCCN_PDNEC_ADVANCED"),
    # no schedule: awaiting the treatment decision, or on a route NCCN gives no surveillance for
    (rec(prior=NOTHING), None),
    (rec(who_grade="G3", ki67_pct=30, prior=OBSERVED), None),
    (rec(nen_class="NEC", who_grade="NEC", prior=("PLATINUM_ETOPOSIDE",)), None),
]

SEED_CASES = [
    (rec(prior=RESECTED), "SEED_AFTER_SURGERY"),
    (rec(nen_class="NEC", who_grade="NEC", prior=RESECTED), "SEED_AFTER_SURGERY"),
    (rec("metastatic", who_grade="G2"), "SEED_ACTIVE_TREATMENT"),
    (rec("locally_advanced", who_grade="G3", ki67_pct=70), "SEED_ACTIVE_TREATMENT"),
    (rec(nen_class="NEC", who_grade="NEC", prior=NOTHING), "SEED_ACTIVE_TREATMENT"),
    (rec(prior=OBSERVED), None),  # the seed's surveillance has no schedule
    (rec(nen_class="MiNEN", who_grade="MiNEN", prior=NOTHING), "SEED_ACTIVE_TREATMENT"),  # on platinum, as a NEC (localized.minen-ne-component)
    (rec(nen_class="MiNEN", who_grade="MiNEN", prior=OBSERVED), None),  # a carcinoma under surveillance: a review, no schedule
]


@pytest.mark.parametrize("record,expected", NCCN_CASES)
def test_nccn_schedule_for_each_branch(record, expected):
    d = FOLLOWUP_NCCN.decide(record)
    assert d.outcome == expected and d.gaps == ()
    assert schedule_for(record, "nccn-2025").outcome == expected


@pytest.mark.parametrize("record,expected", SEED_CASES)
def test_seed_schedule_for_each_branch(record, expected):
    d = FOLLOWUP_SEED.decide(record)
    assert d.outcome == expected and d.gaps == ()
    assert schedule_for(record).outcome == expected


@pytest.mark.parametrize("setting", ["locally_advanced", "metastatic"])
@pytest.mark.parametrize("ki67,favourable", [(20.1, True), (54.9, True), (54.9999, True), (55.0, False), (55.0001, False), (100.0, False)])
def test_wd_g3_advanced_split_at_55(setting, ki67, favourable):
    d = FOLLOWUP_NCCN.decide(rec(setting, who_grade="G3", ki67_pct=ki67, sstr_status="positive"))
    assert d.outcome == ("NCCN_WDG3_ADVANCED_FAVOURABLE" if favourable else "NCCN_WDG3_ADVANCED_UNFAVOURABLE")
    # below 55 % an unrecorded SSTR scan leaves the split open (a negative scan makes the biology unfavourable, CF 6.2)
    assert FOLLOWUP_NCCN.decide(rec(setting, who_grade="G3", ki67_pct=ki67)).outcome == (None if favourable else "NCCN_WDG3_ADVANCED_UNFAVOURABLE")


def test_missing_fields_are_gaps_not_guesses():
    d = FOLLOWUP_NCCN.decide(rec("metastatic", who_grade="G3"))
    assert (d.outcome, d.gaps) == (None, ("ki67_pct", "sstr_status"))  # either can make the biology unfavourable (CF 6.2)
    assert set(d.pending) == {"NCCN_WDG3_ADVANCED_FAVOURABLE", "NCCN_WDG3_ADVANCED_UNFAVOURABLE"}
    d = FOLLOWUP_NCCN.decide(rec())
    assert (d.outcome, d.gaps, d.pending) == (None, ("prior_therapies",), ("NCCN_RESECTED_G1G2", "NCCN_OBSERVED"))
    d = FOLLOWUP_SEED.decide(rec(setting=None, prior=RESECTED))
    assert (d.outcome, d.gaps) == (None, ("disease_setting",))
    # a missing field that cannot change the answer is not a gap
    assert FOLLOWUP_NCCN.decide(rec("metastatic", who_grade="G2", prior=None)).outcome == "NCCN_ADVANCED_G1G2"


def test_unknown_policy_is_a_clear_error():
    with pytest.raises(ValueError, match="not one of"):
        schedule_for(rec(), "esmo-2020")


# ------------------------------------------------------------------ alerts

def test_seed_post_operative_alert_cites_both_sides():
    "Seed-versus-source alerts are raised under the seed policy only; the no-adjuvant caveat under both."
    d = FOLLOWUP_ALERTS_SEED.decide(rec(prior=RESECTED))
    assert d.outcome == ("SEED_FOLLOWUP_VS_SOURCES",)
    assert {"seed.34", "nccn.followup-resected", "esmo2020.followup", "commnets.followup"} <= set(d.cites)
    assert FOLLOWUP_ALERTS_BOTH.decide(rec(prior=RESECTED)).outcome == ("NO_ADJUVANT_AFTER_RESECTION",)
    assert FOLLOWUP_ALERTS_BOTH.decide(rec(nen_class="NEC", who_grade="NEC", prior=RESECTED)).outcome == ()


@pytest.mark.parametrize("who_grade,nen_class,raised", [("G1", "NET", False), ("G2", "NET", False), ("G3", "NET", True),
                                                        ("NEC", "NEC", True), ("MiNEN", "MiNEN", True)])
def test_seed_treatment_alert_in_high_grade_advanced_disease(who_grade, nen_class, raised):
    r = rec("metastatic", nen_class, who_grade, ki67_pct=40)
    assert ("SEED_TREATMENT_FOLLOWUP_VS_NCCN" in FOLLOWUP_ALERTS_SEED.decide(r).outcome) is raised
    assert "CGA_MONITORING_NOT_ADVISED" in FOLLOWUP_ALERTS_SEED.decide(r).outcome  # the seed's markers every 6 months


def test_nccn_alerts():
    assert FOLLOWUP_ALERTS_NCCN.decide(rec(prior=OBSERVED)).outcome == ("CGA_MONITORING_NOT_ADVISED", "NO_ROUTINE_PET_SURVEILLANCE")
    assert FOLLOWUP_ALERTS_NCCN.decide(rec("metastatic", who_grade="G3", ki67_pct=60)).outcome == ("CGA_MONITORING_NOT_ADVISED",)
    assert FOLLOWUP_ALERTS_NCCN.decide(rec("metastatic", "NEC", "NEC")).outcome == ()
    assert FOLLOWUP_ALERTS_NCCN.decide(rec(who_grade="G3", prior=RESECTED)).outcome == ()


# ------------------------------------------------------------------ dated plans, checked against the published intervals

def test_nccn_resected_g1g2_plan():
    # first visit 12 weeks after the operation, then from 1 year every 6 months up to 10 years
    expected = [REF + dt.timedelta(weeks=12)] + [month_shift(REF, m) for m in range(12, 121, 6)]
    assert dates("NCCN_RESECTED_G1G2") == expected
    assert expected[0] == dt.date(2026, 4, 9) and expected[-1] == dt.date(2036, 1, 15) and len(expected) == 20
    assert dates("NCCN_RESECTED_G1G2", use="latest") == [dt.date(2027 + i, 1, 15) for i in range(10)]
    assert dates("NCCN_OBSERVED") == expected
    assert dates("NCCN_RESECTED_G1G2", horizon_years=25) == expected  # nothing planned after 10 years


def test_nccn_wdg3_resected_plan():
    first = [REF + dt.timedelta(weeks=12 * k) for k in range(1, 9)]  # 12-weekly while within 2 years (108 weeks is past it)
    assert REF + dt.timedelta(weeks=108) > month_shift(REF, 24)
    later = [month_shift(first[-1], 6 * k) for k in range(1, 17)]  # then 6-monthly up to 10 years
    assert later[-1] <= month_shift(REF, 120) < month_shift(first[-1], 6 * 17)
    assert dates("NCCN_WDG3_RESECTED") == first + later
    latest_first = [REF + dt.timedelta(weeks=24 * k) for k in range(1, 5)]
    latest_later = [month_shift(latest_first[-1], 12 * k) for k in range(1, 9)]
    assert dates("NCCN_WDG3_RESECTED", use="latest") == latest_first + latest_later


@pytest.mark.parametrize("schedule,use,step_weeks", [
    ("NCCN_WDG3_ADVANCED_FAVOURABLE", "earliest", 12), ("NCCN_WDG3_ADVANCED_FAVOURABLE", "latest", 24),
    ("NCCN_WDG3_ADVANCED_UNFAVOURABLE", "earliest", 8), ("NCCN_WDG3_ADVANCED_UNFAVOURABLE", "latest", 12),
    ("NCCN_PDNEC_ADVANCED", "earliest", 6), ("NCCN_PDNEC_ADVANCED", "latest", 16),
    ("NCCN_ADVANCED_G1G2", "earliest", 12)])
def test_week_based_advanced_plans(schedule, use, step_weeks):
    stop = month_shift(REF, 36)
    expected = [REF + dt.timedelta(weeks=step_weeks * k) for k in range(1, 400) if REF + dt.timedelta(weeks=step_weeks * k) <= stop]
    assert dates(schedule, horizon_years=3, use=use) == expected


def test_nccn_advanced_observed_latest_is_yearly():
    assert dates("NCCN_ADVANCED_G1G2", horizon_years=3, use="latest") == [dt.date(2027, 1, 15), dt.date(2028, 1, 15), dt.date(2029, 1, 15)]


def test_nccn_pdnec_resected_plan():
    first = [REF + dt.timedelta(weeks=12 * k) for k in range(1, 5)]  # 12-weekly for the first year (60 weeks is past it)
    later = [month_shift(first[-1], 6 * k) for k in range(1, 12)]
    expected = [d for d in first + later if d <= month_shift(REF, 72)]
    assert dates("NCCN_PDNEC_RESECTED", horizon_years=6) == expected


def test_seed_plans():
    plan = visit_plan("SEED_ACTIVE_TREATMENT", REF, horizon_years=2)
    assert plan.date.dt.date.tolist() == [month_shift(REF, 3 * k) for k in range(1, 9)]
    with_markers = plan["items"].str.contains("biochemical markers") & plan["items"].str.contains("CT or MRI")
    assert with_markers.tolist() == [k % 2 == 0 for k in range(1, 9)]  # every 6 months
    assert dates("SEED_AFTER_SURGERY") == [month_shift(REF, 3 * k) for k in range(1, 41)]
    assert dates("SEED_AFTER_SURGERY", use="latest") == [month_shift(REF, 6 * k) for k in range(1, 21)]


def test_commnets_reference_plan():
    assert dates("COMMNETS_RESECTED") == [month_shift(REF, 12 * k) for k in range(1, 11)]
    assert dates("COMMNETS_RESECTED", use="latest") == [month_shift(REF, m) for m in (12, 24, 36, 60, 84, 108)]


def test_month_end_reference_does_not_drift():
    ref = dt.date(2026, 1, 31)
    assert dates("SEED_ACTIVE_TREATMENT", ref, horizon_years=1) == [dt.date(2026, 4, 30), dt.date(2026, 7, 31),
                                                                   dt.date(2026, 10, 31), dt.date(2027, 1, 31)]


def test_plan_columns_and_citations():
    plan = visit_plan("NCCN_WDG3_RESECTED", "2026-01-15")
    assert list(plan.columns) == ["visit", "date", "days_after_reference", "phase", "interval", "items", "statements"]
    assert plan.visit.tolist() == list(range(1, len(plan) + 1))
    assert plan.date.dtype == "datetime64[s]" and (plan.date == plan.date.dt.normalize()).all()  # whole days
    assert plan.interval.iloc[0] == "12 weeks" and plan.interval.iloc[-1] == "6 months"
    assert all(s in STATEMENTS for cell in plan.statements for s in cell.split("; "))


def test_reference_date_forms_agree():
    import pandas as pd
    base = visit_plan("NCCN_OBSERVED", REF)
    for ref in ("2026-01-15", dt.datetime(2026, 1, 15, 9, 30), pd.Timestamp("2026-01-15")):
        assert visit_plan("NCCN_OBSERVED", ref).equals(base)


@pytest.mark.parametrize("kwargs,error,match", [
    (dict(schedule_id="ESMO"), ValueError, "is not one of"),
    (dict(reference_date="15/01/2026"), ValueError, "not an ISO date"),
    (dict(reference_date=20260115), TypeError, "reference date"),
    (dict(use="median"), ValueError, "not one of"),
    (dict(horizon_years=0), ValueError, "from one month"),
    (dict(horizon_years=-1), ValueError, "from one month"),
    (dict(horizon_years=101), ValueError, "from one month"),
    (dict(horizon_years=float("nan")), ValueError, "finite"),
])
def test_bad_arguments(kwargs, error, match):
    args = dict(schedule_id="NCCN_OBSERVED", reference_date=REF) | kwargs
    with pytest.raises(error, match=match):
        visit_plan(**args)


# ------------------------------------------------------------------ plan properties

@given(st.sampled_from(sorted(SCHEDULES)), st.dates(dt.date(1950, 1, 1), dt.date(2150, 12, 31)),
       st.floats(0.05, 40, allow_nan=False), st.sampled_from(["earliest", "latest"]))
def test_visit_dates_increase_and_stay_within_the_horizon(schedule, ref, horizon, use):
    plan = visit_plan(schedule, ref, horizon_years=horizon, use=use)
    ds = plan.date.dt.date.tolist()
    assert all(a < b for a, b in zip(ds, ds[1:]))
    if ds:
        assert ds[0] > ref
        assert ds[-1] <= month_shift(ref, math.floor(horizon * 12 + 0.5))
    assert plan.visit.tolist() == list(range(1, len(ds) + 1))
    assert plan.days_after_reference.tolist() == [(d - ref).days for d in ds]
    assert visit_plan(schedule, ref, horizon_years=horizon, use=use).equals(plan)  # deterministic


@given(st.sampled_from(sorted(SCHEDULES)), st.dates(dt.date(1950, 1, 1), dt.date(2150, 12, 31)), st.floats(0.05, 40, allow_nan=False))
def test_earliest_plan_has_at_least_as_many_visits_as_latest(schedule, ref, horizon):
    assert len(visit_plan(schedule, ref, horizon_years=horizon)) >= len(visit_plan(schedule, ref, horizon_years=horizon, use="latest"))


@given(st.sampled_from(sorted(SCHEDULES)), st.dates(dt.date(1950, 1, 1), dt.date(2150, 12, 31)), st.sampled_from(["earliest", "latest"]))
def test_consecutive_visits_of_a_phase_are_one_interval_apart(schedule, ref, use):
    plan = visit_plan(schedule, ref, horizon_years=30, use=use)
    plan["date"] = plan.date.dt.date
    for (a, b) in zip(plan.itertuples(), list(plan.itertuples())[1:]):
        if a.phase != b.phase: continue
        n, unit = b.interval.split()
        if unit.startswith("week"): assert (b.date - a.date).days == 7 * int(n)
        else:
            months = int(n) * (12 if unit.startswith("year") else 1)
            assert (b.date.year * 12 + b.date.month) - (a.date.year * 12 + a.date.month) == months


def test_phases_with_an_end_stop_there():
    for schedule, phases in SCHEDULES.items():
        last_end = phases[-1].end
        if last_end is None: continue
        plan = visit_plan(schedule, REF, horizon_years=40)
        assert plan.date.max().date() <= month_shift(REF + dt.timedelta(days=last_end.days), last_end.months), schedule


# ------------------------------------------------------------------ tables: citations, outcomes, points without a schedule

@pytest.mark.parametrize("table", ALL_TABLES, ids=[t.name for t in ALL_TABLES])
def test_every_rule_cites_a_registered_statement(table):
    assert all(r.cites and all(c in STATEMENTS and STATEMENTS[c].locator for c in r.cites) for r in table.rules)
    assert all(r.id.startswith("FU-") for r in table.rules)


def test_every_phase_cites_a_registered_statement_and_outcomes_are_schedules():
    assert all(p.cites and all(c in STATEMENTS for c in p.cites) for phases in SCHEDULES.values() for p in phases)
    assert all(r.then in SCHEDULES for t in UNIQUE_TABLES for r in t.rules)
    assert {t.output for t in UNIQUE_TABLES} == {"followup_schedule"}
    assert all(t.output == "alerts" and t.hit_policy == "collect" for t in (FOLLOWUP_ALERTS_SEED, FOLLOWUP_ALERTS_NCCN, FOLLOWUP_ALERTS_BOTH))
    assert all(r.then.isupper() for t in (FOLLOWUP_ALERTS_SEED, FOLLOWUP_ALERTS_NCCN, FOLLOWUP_ALERTS_BOTH) for r in t.rules)


def test_policy_tables():
    assert set(policy_tables("seed-2025")) == {FOLLOWUP_SEED, FOLLOWUP_ALERTS_SEED, FOLLOWUP_ALERTS_BOTH, FOLLOWUP_CARE, RECURRENCE, FOLLOWUP_WATCH_SEED}
    assert set(policy_tables("nccn-2025")) == {FOLLOWUP_NCCN, FOLLOWUP_ALERTS_NCCN, FOLLOWUP_ALERTS_BOTH, FOLLOWUP_CARE, RECURRENCE, FOLLOWUP_WATCH_NCCN}
    assert (SCHEDULE_TABLES["seed-2025"], SCHEDULE_TABLES["nccn-2025"]) == (FOLLOWUP_SEED, FOLLOWUP_NCCN)
    assert all(SCHEDULE_TABLES[p] in policy_tables(p) for p in SCHEDULE_TABLES)
    assert {r.then for r in FOLLOWUP_SEED.rules} == {"SEED_ACTIVE_TREATMENT", "SEED_AFTER_SURGERY"}
    assert all(r.then.startswith("NCCN_") for r in FOLLOWUP_NCCN.rules)


def test_statements_registered_by_the_chapter():
    own = {k: s for k, s in STATEMENTS.items() if k.startswith("followup.")}
    assert set(own) == {"followup.nccn-wdg3-items", "followup.nccn-pdnec-items", "followup.nccn-pdnec-scope", "followup.nccn-advanced-observe",
                        "followup.nccn-recurrence", "followup.recurrence-as-advanced"}
    assert all(s.source == "S-NCCN(NTUH)" and s.locator for s in own.values())
    assert {k for k, s in own.items() if s.tag != "B"} == {"followup.recurrence-as-advanced"}  # our reading, tagged C


@pytest.mark.parametrize("table", UNIQUE_TABLES, ids=[t.name for t in UNIQUE_TABLES])
def test_no_schedule_only_where_the_prose_says(table):
    "complete=False is declared; the fully known points without a schedule are the documented ones, and nothing else."
    for r in grid_records(boundary_grid(table, with_unknown=False)):
        if table.analysis_assume is not None and not table.analysis_assume.record(r): continue
        if table.decide(r).outcome is not None: continue
        assert r["disease_setting"] == "localized" and resected.record(r) is False, r
        if table is FOLLOWUP_NCCN and r["who_grade"] in ("G1", "G2"): assert observed.record(r) is False, r
        # a NEC gets the seed's treatment schedule unless it is recorded under surveillance, which no source offers it (alert instead)
        if table is FOLLOWUP_SEED: assert r["nen_class"] in ("NET", "MiNEN") or "ACTIVE_SURVEILLANCE" in r["prior_therapies"], r


def test_consistent_grade_assumption():
    assert CONSISTENT_GRADE.record(rec(nen_class="NET", who_grade="G3")) is True
    assert CONSISTENT_GRADE.record(rec(nen_class="NEC", who_grade="G3")) is False
    assert all(FIELDS[f].derived for f in ("disease_setting", "nen_class", "who_grade"))
