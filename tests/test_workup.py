"""Work-up tables: scalar == vectorized, citations, policy split (boundary patients: tests/test_vignettes.py)."""
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pannet_guideline import workup
from pannet_guideline.evidence import STATEMENTS
from pannet_guideline.schema import FIELD_BITS, FIELDS, RECOMMENDATION_CODES, validate_patient
from pannet_guideline.tables import columns_from_canonical
from conftest import frame_decision_row

ALL_TABLES = {t.name: t for t in workup.TABLES}


def record(nen_class="NET", who_grade="G1", setting="localized", **extra):
    "A validated, fully reported record with the derived fields set by hand."
    base = {"differentiation": "well", "ki67_pct": 2, "mitoses_per_2mm2": 1, "functional_syndrome": "none", "carcinoid_syndrome": False}
    rec = validate_patient({**base, **extra})
    rec.update(nen_class=nen_class, who_grade=who_grade, disease_setting=setting)
    return rec


# --- citations and API -----------------------------------------------------------------------

def test_conflict_alert_cites_seed_and_sources():
    rule = workup.WORKUP_ALERTS_SEED.rule("WU-AL-SEED-CGA-VS-SOURCES")
    assert {"seed.03", "ukinets.cga-baseline", "ajcc9.no-cga"} <= set(rule.cites)
    assert {STATEMENTS[c].source for c in rule.cites} >= {"seed-2025", "S-UKINETS12", "S-AJCC9-CA"}


def test_workup_items_rejects_unknown_policy():
    with pytest.raises(ValueError, match="policy"):
        workup.workup_items(record(), "esmo-2020")


# --- scalar == vectorized for generated records ----------------------------------------------

def _inputs():
    return sorted(set().union(*(t.inputs for t in ALL_TABLES.values())), key=FIELD_BITS.get)


def _value(name):
    spec = FIELDS[name]
    if spec.kind == "number":
        hi = spec.maximum if spec.maximum < float("inf") else 50.0
        return st.one_of(st.none(), st.just(0.0), st.floats(0, hi, allow_nan=False))
    return st.sampled_from([None, *spec.vocab])


records = st.lists(st.fixed_dictionaries({name: _value(name) for name in _inputs()}), min_size=1, max_size=25)


@settings(deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(recs=records)
def test_decide_equals_decide_frame(recs):
    df = pd.DataFrame(recs, dtype=object)
    for table in ALL_TABLES.values():
        cols = columns_from_canonical(df[table.inputs])
        fd = table.decide_frame(cols)
        for i, rec in enumerate(recs):
            d = table.decide(rec)
            assert frame_decision_row(fd, table, i) == (d.fired, d.gaps, d.pending), (table.name, rec)


# --- citations and static checks -------------------------------------------------------------

@pytest.mark.parametrize("name", sorted(ALL_TABLES))
def test_every_rule_cites_a_registered_statement(name):
    table = ALL_TABLES[name]
    assert table.hit_policy == "collect"
    for r in table.rules:
        assert r.id.startswith("WU-"), r.id
        assert r.cites and all(c in STATEMENTS and STATEMENTS[c].locator for c in r.cites), r.id
        if table.output == "recommendations":
            assert r.then in RECOMMENDATION_CODES and r.strength == "recommended", r.id
        elif table.output == "workup":
            assert r.then in workup.WORKUP_ITEMS, r.id
        else:
            assert table.output == "alerts" and r.then == r.then.upper(), r.id


def test_policy_tables_shape():
    seed, nccn = workup.policy_tables("seed-2025"), workup.policy_tables("nccn-2025")
    shared = set(seed) & set(nccn)
    assert {t.name for t in shared} == {"workup", "complete_staging", "workup_alerts"}
    for t in (workup.WORKUP_MARKERS_SEED, workup.WORKUP_ALERTS_SEED):
        assert t in seed and t not in nccn
        for r in t.rules:
            assert any(STATEMENTS[c].source == "seed-2025" for c in r.cites), r.id
