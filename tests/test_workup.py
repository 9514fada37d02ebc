"""Work-up tables: citations, policy split (boundary patients: tests/test_vignettes.py; scalar == vectorized and static analysis of every table: tests/test_properties.py)."""
import pytest

from pannet_guideline import workup
from pannet_guideline.evidence import STATEMENTS
from pannet_guideline.schema import RECOMMENDATION_CODES, validate_patient

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
