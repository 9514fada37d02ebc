"""Advanced-disease tables: Ki-67 boundaries, prior lines, missing data, citations
(scalar == vectorized and static analysis of every table: tests/test_properties.py)."""
import random

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pannet_guideline.advanced import (policy_tables, ALERTS_SEED, NET_G3, PRRT_NCCN, PRRT_SEED, RANK, SSA_NCCN,
                                       SSA_SEED, TABLES, recommend_advanced)
from pannet_guideline.policies import POLICIES as REGISTRY
from pannet_guideline.evidence import STATEMENTS, Strength
from pannet_guideline.schema import FIELD_BITS, RECOMMENDATION_CODES, validate_patient
from pannet_guideline.vocab import ALERTS

from conftest import boundary_grid_of, field_values, table_cuts

POLICIES = list(REGISTRY)
REC_TABLES = [t for t in TABLES if t.output == "recommendations"]
ALL_TABLES = list(TABLES)
INPUTS = sorted(set().union(*(t.inputs for t in ALL_TABLES)), key=FIELD_BITS.get)


def patient(who_grade="G2", nen_class="NET", disease_setting="metastatic", **raw):
    "A canonical record with the derived fields set by hand."
    rec = validate_patient(raw)
    rec.update(nen_class=nen_class, who_grade=who_grade, disease_setting=disease_setting)
    return rec


# ---------------------------------------------------------------- boundaries

SSA_BASE = dict(differentiation="well", sstr_status="positive", progression="stable", tumor_burden="low",
                symptomatic="no", functional_syndrome="none", metastatic_sites="liver")


@pytest.mark.parametrize("ki67,eligible", [(0.5, True), (9.9, True), (9.9999, True), (10.0, False), (10.1, False), (15.0, False)])
def test_ssa_clarinet_boundary_nccn(ki67, eligible):
    # outside the asymptomatic, low-burden, stable branch, where PanNET-12 lists the analogue unranked
    rec = patient(ki67_pct=ki67, **dict(SSA_BASE, progression="progressive", prior_therapies="none"))
    assert ("ADV-SSA-CLARINET" in SSA_NCCN.decide(rec).fired) is eligible  # the recommended tier
    assert "SSA" in recommend_advanced(rec, "nccn-2025")  # NCCN's consider tier has no Ki-67 limit


@pytest.mark.parametrize("ki67", [9.9, 10.0, 15.0])
def test_ssa_seed_has_no_ki67_limit(ki67):
    rec = patient(ki67_pct=ki67, **SSA_BASE)
    assert "SSA" in SSA_SEED.decide(rec).outcome
    assert ("SEED_SSA_KI67_ABOVE_CLARINET" in ALERTS_SEED.decide(rec).outcome) is (ki67 >= 10)


def test_ssa_needs_sstr_positive_under_nccn_only():
    rec = patient(ki67_pct=5.0, **dict(SSA_BASE, sstr_status="negative"))
    assert "SSA" not in SSA_NCCN.decide(rec).outcome
    assert "SSA" in SSA_SEED.decide(rec).outcome
    assert "SEED_SSA_SSTR_NEGATIVE" in ALERTS_SEED.decide(rec).outcome


PRRT_BASE = dict(differentiation="well", sstr_status="positive", progression="stable", tumor_burden="high", functional_syndrome="none",
                 prior_therapies="none")  # first line: nothing given before


@pytest.mark.parametrize("ki67,first_line", [(9.9, False), (9.9999, False), (10.0, True), (15.0, True), (20.0, True)])
def test_first_line_prrt_boundary_nccn(ki67, first_line):
    rec = patient(ki67_pct=ki67, **PRRT_BASE)
    d = PRRT_NCCN.decide(rec)
    assert ("ADV-PRRT-FIRST-LINE" in d.fired) is first_line
    assert ("PRRT" in d.outcome) is first_line


def test_first_line_prrt_needs_high_burden():
    rec = patient(ki67_pct=12.0, **dict(PRRT_BASE, tumor_burden="low"))
    assert "PRRT" not in PRRT_NCCN.decide(rec).outcome
    assert "PRRT" in PRRT_SEED.decide(rec).outcome  # the seed: PRRT an option for any SSTR-positive G2


@pytest.mark.parametrize("ki67,favourable", [(20.1, True), (54.9, True), (54.9999, True), (55.0, False), (55.0001, False), (80.0, False)])
def test_g3_split_at_55(ki67, favourable):
    rec = patient(who_grade="G3", ki67_pct=ki67, differentiation="well", sstr_status="positive", progression="progressive")
    rec["prior_therapies"] = ()
    out = NET_G3.decide(rec).outcome
    if favourable:
        # progressing, so a response is needed: NCCN WDG3 favourable systemic options, SSA as SSTR-positive
        assert set(out) == {"CLINICAL_TRIAL", "CAPTEM", "CABOZANTINIB", "SSA", "PRRT", "EVEROLIMUS", "SUNITINIB",
                            "OXALIPLATIN_FLUOROPYRIMIDINE", "PLATINUM_ETOPOSIDE"}  # CF 6.2: FOLFOX, CAPEOX, cis/carboplatin-etoposide too
    else:
        # NCCN WDG3 unfavourable: trial, platinum-etoposide, irinotecan- and oxaliplatin-based, temozolomide-based
        assert set(out) == {"CLINICAL_TRIAL", "PLATINUM_ETOPOSIDE", "IRINOTECAN_FLUOROPYRIMIDINE", "OXALIPLATIN_FLUOROPYRIMIDINE", "CAPTEM"}
    for policy in POLICIES:
        if not favourable: assert "PLATINUM_ETOPOSIDE" in recommend_advanced(rec, policy)  # listed for favourable biology too (CF 6.2)
        assert ("SSA" in recommend_advanced(rec, policy)) is favourable  # no analogue for unfavourable biology


def test_g3_with_unknown_ki67_is_a_gap():
    rec = patient(who_grade="G3", differentiation="well", sstr_status="positive", progression="stable")
    d = NET_G3.decide(rec)
    assert d.outcome == () and "ki67_pct" in d.gaps and "CLINICAL_TRIAL" in d.pending


# ---------------------------------------------------------------- prior lines

def test_ssa_not_reoffered_after_progression_in_nonfunctioning():
    rec = patient(ki67_pct=5.0, **dict(SSA_BASE, progression="progressive", prior_therapies="SSA"))
    for policy in POLICIES:
        recs = recommend_advanced(rec, policy)
        assert "SSA" not in recs
        assert "PRRT" in recs  # SSTR-positive and progressing on an analogue


def test_ssa_continued_in_functioning_after_progression():
    rec = patient(ki67_pct=5.0, **dict(SSA_BASE, progression="progressive", prior_therapies="SSA", functional_syndrome="gastrinoma"))
    for policy in POLICIES:
        assert "SSA" in recommend_advanced(rec, policy)
    rec.update(functional_syndrome="insulinoma", sstr_status="negative")
    assert "SSA" not in SSA_NCCN.decide(rec).outcome


def test_failed_lines_not_repeated_and_cabozantinib_after_non_ssa_line():
    rec = patient(ki67_pct=5.0, **dict(SSA_BASE, progression="progressive", prior_therapies="SSA;EVEROLIMUS;PRRT"))
    recs = recommend_advanced(rec, "nccn-2025")
    assert "EVEROLIMUS" not in recs and "PRRT" not in recs
    assert "CABOZANTINIB" in recs and "SUNITINIB" in recs
    only_ssa = patient(ki67_pct=5.0, **dict(SSA_BASE, progression="progressive", prior_therapies="SSA"))
    assert "CABOZANTINIB" not in recommend_advanced(only_ssa, "nccn-2025")


def test_localized_disease_gets_nothing_here():
    rec = patient(disease_setting="localized", ki67_pct=5.0, **SSA_BASE)
    for policy in POLICIES:
        assert recommend_advanced(rec, policy) == ()


# ---------------------------------------------------------------- generated records

CUTS = {}
for _table in ALL_TABLES:
    for _name, _values in table_cuts(_table).items(): CUTS.setdefault(_name, set()).update(_values)
records = st.fixed_dictionaries({name: field_values(name, CUTS.get(name, ())) for name in INPUTS})  # from the schema and the chapter's cuts


@settings(max_examples=200, deadline=None)
@given(records, st.sampled_from(["locally_advanced", "metastatic"]), st.sampled_from(POLICIES))
def test_nec_always_platinum_etoposide_and_never_ssa(rec, setting, policy):
    rec = dict(rec, nen_class="NEC", who_grade="NEC", disease_setting=setting)
    recs = recommend_advanced(rec, policy)
    assert "SSA" not in recs
    prior = rec.get("prior_therapies")
    if prior is None:  # an unrecorded history: first-line platinum is neither given nor refused
        assert "PLATINUM_ETOPOSIDE" not in recs
        return
    given = "PLATINUM_ETOPOSIDE" in prior
    assert ("PLATINUM_ETOPOSIDE" in recs) is not given  # a course already given is not offered as new
    if not given: assert recs[0] == "PLATINUM_ETOPOSIDE"
    failed = rec.get("progression") == "progressive" and given
    # the second line replaces it, unless it was already given (a regimen given is not a new line)
    assert ("IRINOTECAN_FLUOROPYRIMIDINE" in recs) is (failed and "IRINOTECAN_FLUOROPYRIMIDINE" not in prior)


@settings(max_examples=300, deadline=None)
@given(records)
def test_unknown_rule_never_fires_and_reports_its_gap(rec):
    for table in ALL_TABLES:
        d = table.decide(rec)
        for rule, when in zip(table.rules, table.conditions):  # scope and criteria
            if when.record(rec) is not None: continue
            assert rule.id not in d.fired
            missing = {f for f in when.fields if rec.get(f) is None}
            assert missing and missing <= set(d.gaps)
            assert rule.then in d.pending
            if rule.then in d.outcome:  # only through another rule that did fire
                assert any(table.rule(i).then == rule.then for i in d.fired)


def _witnesses():
    "For each rule, a few fully known boundary-grid records where it fires."
    rng, out = random.Random(0), []
    for table in ALL_TABLES:
        grid = boundary_grid_of(table, with_unknown=False, assume=False)
        for rule, when in zip(table.rules, table.conditions):
            hits = np.flatnonzero(when.frame(grid.cols).t)
            if not len(hits) and table.output == "alerts" and ALERTS[rule.then].severity == "data": continue  # fires on unknown data only
            assert len(hits), rule.id
            for k in rng.sample(list(hits), min(25, len(hits))):
                out.append((table, rule, when, grid.records([k])[0]))
    return out


WITNESSES = _witnesses()


@settings(max_examples=400, deadline=None)
@given(st.sampled_from(WITNESSES), st.data())
def test_removing_a_decisive_field_blocks_the_rule(witness, data):
    table, rule, when, rec = witness
    assert rule.id in table.decide(rec).fired
    name = data.draw(st.sampled_from(sorted(when.fields)))
    blank = dict(rec, **{name: None})
    if when.record(blank) is not None: return  # this field does not decide the rule for this patient
    d = table.decide(blank)
    assert rule.id not in d.fired
    assert name in d.gaps
    assert rule.then in d.pending
    if rule.then in d.outcome:
        assert any(table.rule(i).then == rule.then for i in d.fired)


# ---------------------------------------------------------------- tables, citations, ranking

@pytest.mark.parametrize("table", ALL_TABLES, ids=lambda t: t.name)
def test_every_rule_cites_a_statement(table):
    for rule in table.rules:
        assert rule.cites and all(c in STATEMENTS for c in rule.cites), rule.id


@pytest.mark.parametrize("table", REC_TABLES, ids=lambda t: t.name)
def test_recommendation_rules_are_well_formed(table):
    assert table.hit_policy == "collect"
    for rule in table.rules:
        assert rule.then in RECOMMENDATION_CODES and rule.then in RANK, rule.id
        assert rule.strength in {s.value for s in Strength}, rule.id


def test_policies_and_rank():
    assert len(set(RANK.values())) == len(RANK)
    assert {t.name for t in policy_tables("seed-2025")} ^ {t.name for t in policy_tables("nccn-2025")} == {
        "advanced_ssa_seed", "advanced_ssa_nccn", "advanced_prrt_seed", "advanced_prrt_nccn", "advanced_progression_nccn",
        "advanced_local", "advanced_local_nccn",  # NCCN keeps liver-directed therapy off asymptomatic, low-burden, stable disease
        "advanced_chemotherapy", "advanced_chemotherapy_nccn",  # NCCN's list names no streptozocin regimen (CF 6.1)
        "advanced_nec_nccn"}  # NCCN PDNEC-1 adds radiotherapy for a locoregional, unresectable NEC (CF 6.3)


def test_favourable_g3_stable_low_burden_gets_no_systemic_response_therapy():
    rec = patient(who_grade="G3", ki67_pct=25.0, differentiation="well", sstr_status="positive", progression="stable",
                  tumor_burden="low", symptomatic=False)
    rec["prior_therapies"] = ()
    out = set(NET_G3.decide(rec).outcome)
    assert not out & {"CAPTEM", "CABOZANTINIB", "EVEROLIMUS", "SUNITINIB"}
    assert {"OBSERVATION", "SSA"} <= out
