"""Work-up tables: boundaries, policy split, scalar == vectorized, citations, static checks."""
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


def policy_outcome(policy, rec, output):
    "Codes from all of the chapter's tables of one output for one policy, in table order."
    out = []
    for t in workup.policy_tables(policy):
        if t.output == output: out += [c for c in t.decide(rec).outcome if c not in out]
    return tuple(out)


# --- boundaries and behaviour -----------------------------------------------------------------

@pytest.mark.parametrize("policy", ["seed-2025", "nccn-2025"])
def test_nec_gets_fdg_pet_and_no_sstr_pet(policy):
    rec = record(nen_class="NEC", who_grade="NEC", setting="metastatic", differentiation="poor", ki67_pct=80)
    items = policy_outcome(policy, rec, "workup")
    assert "FDG_PET" in items and "SSTR_PET" not in items
    assert workup.workup_items(rec, policy) == items


@pytest.mark.parametrize("grade,fdg", [("G1", False), ("G2", False), ("G3", True), ("NEC", True)])
def test_fdg_pet_by_grade(grade, fdg):
    assert ("FDG_PET" in workup.WORKUP.decide(record(who_grade=grade)).outcome) is fdg


def test_net_g3_gets_both_pet_scans():
    out = workup.WORKUP.decide(record(who_grade="G3", ki67_pct=25)).outcome
    assert {"SSTR_PET", "FDG_PET"} <= set(out)


def test_sstr_pet_only_while_status_unknown():
    assert "SSTR_PET" in workup.WORKUP.decide(record()).outcome
    for status in ("positive", "negative"):
        assert "SSTR_PET" not in workup.WORKUP.decide(record(sstr_status=status)).outcome


def test_multiphasic_imaging_for_every_patient():
    for rec in (record(), record(nen_class=None, who_grade=None, setting=None), record(nen_class="MiNEN", who_grade="MiNEN")):
        assert "MULTIPHASIC_CT_MRI" in workup.WORKUP.decide(rec).outcome


@pytest.mark.parametrize("setting,eus", [("localized", True), ("locally_advanced", False), ("metastatic", False)])
def test_eus_for_localized_net(setting, eus):
    assert ("EUS" in workup.WORKUP.decide(record(setting=setting)).outcome) is eus


@pytest.mark.parametrize("missing", ["differentiation", "ki67_pct", "mitoses_per_2mm2"])
def test_histology_item_while_any_index_is_missing(missing):
    assert "HISTOLOGY_KI67_MITOSES" not in workup.WORKUP.decide(record()).outcome
    assert "HISTOLOGY_KI67_MITOSES" in workup.WORKUP.decide(record(**{missing: None})).outcome


def test_insulinoma_gets_the_insulin_panel_and_the_sstr_alert():
    rec = record(functional_syndrome="insulinoma")
    for policy in ("seed-2025", "nccn-2025"):
        assert "INSULIN_PROINSULIN_CPEPTIDE_DURING_HYPOGLYCAEMIA" in policy_outcome(policy, rec, "workup")
        assert "SSTR_PET_INSULINOMA_OFTEN_NEGATIVE" in policy_outcome(policy, rec, "alerts")
    assert "SSTR_PET_INSULINOMA_OFTEN_NEGATIVE" not in policy_outcome("nccn-2025", record(), "alerts")


@pytest.mark.parametrize("syndrome,item", [
    ("insulinoma", "INSULIN_PROINSULIN_CPEPTIDE_DURING_HYPOGLYCAEMIA"), ("gastrinoma", "FASTING_GASTRIN_OFF_PPI"),
    ("glucagonoma", "GLUCAGON"), ("vipoma", "VIP_ELECTROLYTES"), ("somatostatinoma", "SOMATOSTATIN")])
def test_one_hormone_panel_per_syndrome(syndrome, item):
    panels = {"INSULIN_PROINSULIN_CPEPTIDE_DURING_HYPOGLYCAEMIA", "FASTING_GASTRIN_OFF_PPI", "GLUCAGON", "VIP_ELECTROLYTES", "SOMATOSTATIN"}
    assert set(workup.WORKUP.decide(record(functional_syndrome=syndrome)).outcome) & panels == {item}
    assert not set(workup.WORKUP.decide(record(functional_syndrome="none")).outcome) & panels


def test_unknown_syndrome_is_a_gap():
    d = workup.WORKUP.decide(record(functional_syndrome=None))
    assert d.gaps == ("functional_syndrome",) and len(d.pending) == 5


def test_seed_has_cga_baseline_and_conflict_alert_nccn_does_not():
    rec = record()
    seed_items, nccn_items = policy_outcome("seed-2025", rec, "workup"), policy_outcome("nccn-2025", rec, "workup")
    assert "CHROMOGRANIN_A_5HIAA_BASELINE" in seed_items and "CHROMOGRANIN_A_5HIAA_BASELINE" not in nccn_items
    seed_alerts, nccn_alerts = policy_outcome("seed-2025", rec, "alerts"), policy_outcome("nccn-2025", rec, "alerts")
    assert {"SEED_CGA_BASELINE_VS_SOURCES", "CGA_NOT_ADVISED_AJCC9", "CGA_PPI_CAVEAT"} <= set(seed_alerts)
    assert not {"CGA_NOT_ADVISED_AJCC9", "CGA_PPI_CAVEAT", "HIAA_ONLY_FOR_CARCINOID_SYNDROME"} & set(nccn_alerts)
    assert "SEED_CGA_BASELINE_VS_SOURCES" in nccn_alerts  # the disagreement is shown under both policies


def test_conflict_alert_cites_seed_and_sources():
    rule = workup.WORKUP_ALERTS.rule("WU-AL-SEED-CGA-VS-SOURCES")
    assert {"seed.03", "ukinets.cga-baseline", "ajcc9.no-cga"} <= set(rule.cites)
    assert {STATEMENTS[c].source for c in rule.cites} >= {"seed-2025", "S-UKINETS12", "S-AJCC9-CA"}


def test_5hiaa_by_carcinoid_syndrome():
    assert workup.WORKUP_MARKERS_NCCN.decide(record(carcinoid_syndrome=True)).outcome == ("URINE_5HIAA",)
    assert workup.WORKUP_MARKERS_NCCN.decide(record(carcinoid_syndrome=False)).outcome == ()
    assert workup.WORKUP_MARKERS_NCCN.decide(record(carcinoid_syndrome=None)).gaps == ("carcinoid_syndrome",)
    hiaa = lambda v: "HIAA_ONLY_FOR_CARCINOID_SYNDROME" in workup.WORKUP_ALERTS_SEED.decide(record(carcinoid_syndrome=v)).outcome
    assert (hiaa(True), hiaa(False), hiaa(None)) == (False, True, True)


def test_gastrinoma_ppi_caveat_under_both_policies():
    rec = record(functional_syndrome="gastrinoma")
    for policy in ("seed-2025", "nccn-2025"):
        assert "CGA_PPI_CAVEAT" in policy_outcome(policy, rec, "alerts")


@pytest.mark.parametrize("field,rule_id", [("who_grade", "WU-STAGING-GRADE"), ("nen_class", "WU-STAGING-CLASS"),
                                           ("disease_setting", "WU-STAGING-SETTING")])
def test_unknown_derived_field_means_complete_staging(field, rule_id):
    rec = record(); rec[field] = None
    d = workup.COMPLETE_STAGING.decide(rec)
    assert "COMPLETE_STAGING" in d.outcome and rule_id in d.fired and d.gaps == ()
    assert workup.COMPLETE_STAGING.rule(rule_id).strength == "recommended"


def test_complete_staging_not_when_all_known_and_mdt_when_class_known():
    assert workup.COMPLETE_STAGING.decide(record()).outcome == ("MDT_REVIEW",)
    rec = record(); rec["nen_class"] = None
    assert "MDT_REVIEW" not in workup.COMPLETE_STAGING.decide(rec).outcome


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


@pytest.mark.parametrize("name", sorted(ALL_TABLES))
def test_table_has_no_overlaps_or_unreachable_rules(name):
    report = ALL_TABLES[name].analyse()
    assert report.overlaps.empty and report.unreachable == [] and report.ok


def test_policy_tables_shape():
    seed, nccn = workup.policy_tables("seed-2025"), workup.policy_tables("nccn-2025")
    shared = set(seed) & set(nccn)
    assert {t.name for t in shared} == {"workup", "complete_staging", "workup_alerts"}
    for t in (workup.WORKUP_MARKERS_SEED, workup.WORKUP_ALERTS_SEED):
        assert t in seed and t not in nccn
        for r in t.rules:
            assert any(STATEMENTS[c].source == "seed-2025" for c in r.cites), r.id
