"""Hereditary-syndrome and caveat tables: boundaries, seed rules and alerts, citations and rule ids
(scalar == vectorized and static analysis of every table: tests/test_properties.py)."""
import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pannet_guideline import caveats, hereditary
from pannet_guideline.evidence import STATEMENTS
from pannet_guideline.schema import FIELDS, RECOMMENDATION_CODES, validate_patient

from conftest import all_tables

MODULES = (hereditary, caveats)
ALL_TABLES = {t.name: t for mod in MODULES for t in mod.TABLES}
POLICIES = ("seed-2025", "nccn-2025")
GC = "GENETIC_COUNSELLING"


def record(setting="localized", nen_class="NET", grade="G1", **fields):
    "A validated record with the derived fields set by hand."
    rec = validate_patient(fields)
    rec.update(nen_class=nen_class, who_grade=grade, disease_setting=setting)
    return rec


def referrals(module, policy, rec, code):
    "{rule id: strength} of the rules of a policy's recommendation tables that fired with `code`."
    out = {}
    for t in module.policy_tables(policy):
        if t.output != "recommendations": continue
        for rid in t.decide(rec).fired:
            if t.rule(rid).then == code: out[rid] = t.rule(rid).strength
    return out


def alerts(module, policy, rec):
    return {a for t in module.policy_tables(policy) if t.output == "alerts" for a in t.decide(rec).outcome}


# --- hereditary ---------------------------------------------------------------------------------

def _maybe(values):
    return st.sampled_from([None, *values])


@settings(max_examples=300, deadline=None)
@given(hered=_maybe(FIELDS["hereditary_syndrome"].vocab), age=st.one_of(st.none(), st.floats(0, 120, allow_nan=False)),
       multifocal=_maybe((True, False)), nen_class=_maybe(FIELDS["nen_class"].vocab),
       setting=_maybe(FIELDS["disease_setting"].vocab), policy=st.sampled_from(POLICIES))
def test_gastrinoma_always_gets_genetic_counselling_as_recommended(hered, age, multifocal, nen_class, setting, policy):
    rec = {"functional_syndrome": "gastrinoma", "hereditary_syndrome": hered, "age_years": age, "multifocal": multifocal,
           "nen_class": nen_class, "disease_setting": setting}
    fired = referrals(hereditary, policy, rec, GC)
    assert fired.get("HER-GASTRINOMA") == "recommended"
    assert "recommended" in fired.values()


@pytest.mark.parametrize("age,fires", [(0.0, True), (39.9, True), (39.9999, True), (40.0, False), (40.0001, False), (85.0, False)])
def test_age_boundary_is_strictly_under_40(age, fires):
    rec = record(functional_syndrome="none", hereditary_syndrome="none", multifocal=False, age_years=age)
    d = hereditary.HEREDITARY.decide(rec)
    assert ("HER-AGE-UNDER-40" in d.fired) is fires
    assert d.fired == (("HER-AGE-UNDER-40",) if fires else ())
    assert (hereditary.HEREDITARY.rule("HER-AGE-UNDER-40").strength == "recommended")  # eviQ: offer testing
    assert ("SEED_HEREDITARY_INCOMPLETE" in hereditary.HEREDITARY_ALERTS.decide(rec).outcome) is fires


def test_age_unknown_is_a_gap():
    rec = record(functional_syndrome="none", hereditary_syndrome="none", multifocal=False)
    d = hereditary.HEREDITARY.decide(rec)
    assert d.outcome == () and d.gaps == ("age_years",) and d.pending == (GC,)


@pytest.mark.parametrize("syndrome", ["none", "insulinoma", "glucagonoma", "vipoma"])
def test_nccn_considers_other_pannets(syndrome):
    rec = record(functional_syndrome=syndrome, hereditary_syndrome="none", multifocal=False, age_years=60)
    assert referrals(hereditary, "nccn-2025", rec, GC) == {"HER-NCCN-OTHER-PANNET": "consider"}
    assert referrals(hereditary, "seed-2025", rec, GC) == {"HER-SEED-MEN1-VHL": "consider"}


@pytest.mark.parametrize("syndrome", ["MEN1", "VHL", "NF1", "TSC", "other"])
def test_known_syndrome_recommends_counselling_under_both_policies(syndrome):
    rec = record(functional_syndrome="none", hereditary_syndrome=syndrome, multifocal=False, age_years=60, nen_class="NEC", grade="NEC")
    for policy in POLICIES:
        assert referrals(hereditary, policy, rec, GC) == {"HER-KNOWN-SYNDROME": "recommended"}


def test_multifocal_is_a_red_flag_at_any_age():
    rec = record(functional_syndrome="none", hereditary_syndrome="none", multifocal=True, age_years=70)
    assert hereditary.HEREDITARY.decide(rec).fired == ("HER-MULTIFOCAL",)


def test_hereditary_alerts():
    gastrinoma = record(functional_syndrome="gastrinoma", hereditary_syndrome="none", multifocal=False, age_years=60)
    assert {"SEED_HEREDITARY_INCOMPLETE", "MEN1_SCREEN_PARATHYROID"} <= set(hereditary.HEREDITARY_ALERTS.decide(gastrinoma).outcome)
    vhl = record(functional_syndrome="none", hereditary_syndrome="VHL", multifocal=False, age_years=60)
    assert set(hereditary.HEREDITARY_ALERTS.decide(vhl).outcome) == {"VHL_BELZUTIFAN_NOTE", "GERMLINE_SIZE_OF_CONCERN"}
    sporadic = record(functional_syndrome="none", hereditary_syndrome="none", multifocal=False, age_years=60)
    assert hereditary.HEREDITARY_ALERTS.decide(sporadic).outcome == ()


# --- caveats: carcinoid heart disease -----------------------------------------------------------

def test_seed_cardiac_rule_and_alert():
    rec = record(setting="metastatic", carcinoid_syndrome=True, metastatic_sites="liver", resectable="no")
    d = caveats.CARDIAC_SEED.decide(rec)
    assert d.outcome == ("CARDIAC_SCREENING",) and d.fired == ("CAV-SEED-CARDIAC",)
    assert caveats.CARDIAC_SEED.rule("CAV-SEED-CARDIAC").strength == "recommended"
    assert caveats.CARDIAC_SEED.rule("CAV-SEED-CARDIAC").cites == ("seed.32",)
    assert caveats.CARDIAC_NCCN.decide(rec).outcome == ()
    for policy in POLICIES:  # a seed-versus-source alert: raised under the seed policy only
        assert ("SEED_CARDIAC_MIDGUT_CONTENT" in alerts(caveats, policy, rec)) is (policy == "seed-2025")
    rule = caveats.CARDIAC_ALERTS.rule("CAV-AL-SEED-CARDIAC-MIDGUT")
    sources = {STATEMENTS[c].source for c in rule.cites}
    assert "seed-2025" in sources and sources - {"seed-2025"}


def test_nccn_cardiac_before_liver_surgery():
    for resectable in ("yes", "borderline"):
        rec = record(setting="metastatic", carcinoid_syndrome=True, metastatic_sites="liver_and_extrahepatic", resectable=resectable)
        assert referrals(caveats, "nccn-2025", rec, "CARDIAC_SCREENING") == {"CAV-NCCN-CARDIAC-LIVER-SURGERY": "consider"}
        assert "CHD_VALVE_BEFORE_LIVER_SURGERY" in caveats.CARDIAC_ALERTS.decide(rec).outcome


def test_no_carcinoid_syndrome_no_cardiac_output():
    rec = record(setting="metastatic", carcinoid_syndrome=False, metastatic_sites="liver", resectable="yes")
    for t in (caveats.CARDIAC_SEED, caveats.CARDIAC_NCCN, caveats.CARDIAC_ALERTS):
        d = t.decide(rec)
        assert d.outcome == () and d.gaps == ()


# --- caveats: pitfalls --------------------------------------------------------------------------

def test_pitfall_hereditary_unchecked():
    base = dict(functional_syndrome="none", multifocal=False)
    fires = lambda rec: caveats.HEREDITARY_PITFALL_ALERTS.decide(rec).outcome == ("PITFALL_HEREDITARY_UNCHECKED",)
    assert fires(record(age_years=39.9, **base))
    assert not fires(record(age_years=40, **base))
    assert not fires(record(age_years=39.9, hereditary_syndrome="none", **base))
    assert fires(record(functional_syndrome="gastrinoma", nen_class=None, grade=None))
    assert fires(record(functional_syndrome="none", multifocal=True, age_years=70))


def test_pitfall_incomplete_staging():
    assert caveats.PITFALL_ALERTS.decide(record(setting=None)).outcome == ("PITFALL_INCOMPLETE_STAGING",)
    assert caveats.PITFALL_ALERTS.decide(record(setting="localized")).outcome == ()


@pytest.mark.parametrize("fields,fires", [
    ({"functional_syndrome": "insulinoma", "resectable": "yes"}, True),
    ({"functional_syndrome": "none", "carcinoid_syndrome": True, "resectable": "yes"}, True),
    ({"functional_syndrome": "insulinoma", "resectable": "borderline", "setting": "locally_advanced"}, True),  # may still be resected
    ({"functional_syndrome": "insulinoma", "resectable": "no", "setting": "locally_advanced"}, False),
    ({"functional_syndrome": "none", "carcinoid_syndrome": False, "resectable": "yes"}, False),
])
def test_pitfall_perioperative_preparation(fields, fires):
    out = caveats.PITFALL_ALERTS.decide(record(**fields)).outcome
    assert ("PITFALL_PERIOPERATIVE_PREPARATION" in out) is fires


@pytest.mark.parametrize("grade,ki67,sites,resectable,fires", [
    ("G2", None, "liver", "yes", True),
    ("G1", None, "liver_and_extrahepatic", "borderline", False),  # follows the cytoreduction rules
    ("G3", 54.9, "liver", "yes", True),
    ("G3", 55.0, "liver", "yes", False),
    ("NEC", None, "liver", "yes", False),
    ("G2", None, "liver", "no", False),
    ("G2", None, "extrahepatic", "yes", False),
])
def test_pitfall_consider_cytoreduction(grade, ki67, sites, resectable, fires):
    nen = "NEC" if grade == "NEC" else "NET"
    rec = record(setting="metastatic", nen_class=nen, grade=grade, ki67_pct=ki67, metastatic_sites=sites, resectable=resectable)
    rec["sstr_status"] = "positive"  # a NET G3 below 55 % is favourable only with its SSTR scan not negative (CF 6.2)
    assert ("PITFALL_CONSIDER_CYTOREDUCTION" in caveats.PITFALL_ALERTS.decide(rec).outcome) is fires


def test_pitfall_nf_delay_is_narrative_only():
    assert STATEMENTS["caveats.seed-pitfall-nf-delay"].narrative_only
    assert not any("caveats.seed-pitfall-nf-delay" in r.cites for t in ALL_TABLES.values() for r in t.rules)


# --- static checks --------------------------------------------------------------------------------

@pytest.mark.parametrize("name", sorted(ALL_TABLES))
def test_every_rule_cites_a_registered_statement(name):
    table = ALL_TABLES[name]
    assert table.hit_policy == "collect"
    assert table.output in ("recommendations", "alerts")
    for r in table.rules:
        assert r.cites and all(c in STATEMENTS and STATEMENTS[c].locator for c in r.cites), r.id
        assert not any(STATEMENTS[c].narrative_only for c in r.cites), r.id
        if table.output == "recommendations":
            assert r.then in RECOMMENDATION_CODES, r.id
            assert r.strength in {"recommended", "consider", "option"}, r.id
        else:
            assert re.fullmatch(r"[A-Z][A-Z0-9_]*", r.then), r.id


def test_policy_tables_shape_and_rule_ids():
    for mod, prefix in ((hereditary, "HER-"), (caveats, "CAV-")):
        for p in POLICIES:
            for t in mod.policy_tables(p):
                assert all(r.id.startswith(prefix) for r in t.rules), t.name
    ours = {id(r): r.id for t in ALL_TABLES.values() for r in t.rules}  # a policy's variant of a table may share its rules
    assert len(set(ours.values())) == len(ours)  # one id, one rule
    others = {r.id for t in all_tables() if t.name not in ALL_TABLES for r in t.rules}
    assert not set(ours.values()) & others
    for t in (hereditary.HEREDITARY_SEED, caveats.CARDIAC_SEED):
        assert t in hereditary.policy_tables("seed-2025") + caveats.policy_tables("seed-2025")
        assert all(STATEMENTS[c].source == "seed-2025" for r in t.rules for c in r.cites)
    for t in (hereditary.HEREDITARY_NCCN, caveats.CARDIAC_NCCN):
        assert t in hereditary.policy_tables("nccn-2025") + caveats.policy_tables("nccn-2025")
        assert all(STATEMENTS[c].source != "seed-2025" for r in t.rules for c in r.cites)


@pytest.mark.parametrize("table,rule_id", [(hereditary.HEREDITARY_ALERTS, "HER-AL-SEED-RED-FLAGS"),
                                           (hereditary.HEREDITARY_ALERTS, "HER-AL-SEED-NF1-TSC"),
                                           (caveats.CARDIAC_ALERTS, "CAV-AL-SEED-CARDIAC-MIDGUT")])
def test_seed_conflict_alerts_cite_both_sides(table, rule_id):
    sources = {STATEMENTS[c].source for c in table.rule(rule_id).cites}
    assert "seed-2025" in sources and len(sources) > 1
