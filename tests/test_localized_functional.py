"""Localised-disease and functioning-tumour tables: properties, citations (boundary patients: tests/test_vignettes.py;
scalar == vectorized and static analysis of every table: tests/test_properties.py)."""
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pannet_guideline import functional, localized
from pannet_guideline.staging import t_category
from pannet_guideline.evidence import STATEMENTS
from pannet_guideline.schema import FIELDS, RECOMMENDATION_CODES, validate_patient

ALL_TABLES = {t.name: t for mod in (localized, functional) for t in mod.TABLES}
SURGICAL = {"PANCREATECTOMY", "ENUCLEATION"}


def record(size_cm, syndrome="none", grade="G1", n_category="N0", nen_class="NET", setting="localized", **extra):
    "A validated record of a symptom-free, untreated tumour with the derived fields set by hand (T as staging derives it)."
    known = {"local_invasion": "none", "symptomatic": False, "carcinoid_syndrome": False, "prior_therapies": "none"}
    g1_ki67 = {"ki67_pct": 2} if grade == "G1" else {}  # a G1 has a measured Ki-67 below 3 % (WHO 2019)
    rec = validate_patient({"tumor_size_cm": size_cm, "functional_syndrome": syndrome, **known, **g1_ki67, **extra})
    rec.update(nen_class=nen_class, who_grade=grade, disease_setting=setting, n_category=n_category, men1_watch=False,  # no syndrome
               t_category=t_category(size_cm, rec["local_invasion"]) if size_cm else None)
    return rec


def policy_outcome(module, policy, rec, output="recommendations"):
    "Codes from all of a module's tables for one policy, in table order."
    out = []
    for t in module.policy_tables(policy):
        if t.output == output: out += [c for c in t.decide(rec).outcome if c not in out]
    return tuple(out)


# --- boundaries -----------------------------------------------------------------------------

@pytest.mark.parametrize("size_cm", [1.0, 1.01, 2.0, 2.01])
def test_nccn_strengths_at_boundaries(size_cm):
    tables = [t for t in localized.policy_tables("nccn-2025") if t.output == "recommendations"]
    strengths = {t.rule(r).then: t.rule(r).strength for t in tables for r in t.decide(record(size_cm)).fired}
    if size_cm <= 1: assert strengths == {"ACTIVE_SURVEILLANCE": "recommended"}
    elif size_cm <= 2: assert strengths == {"ACTIVE_SURVEILLANCE": "option", "PANCREATECTOMY": "option", "ENUCLEATION": "option"}
    else: assert strengths == {"PANCREATECTOMY": "recommended"}


def test_not_localized_gets_nothing():
    rec = record(1.5, setting="metastatic")
    # the splenectomy alert is the one table of the chapter that also reads advanced disease (a resection judged possible there)
    spleen = localized.LOCALIZED_SPLENECTOMY_ALERTS
    for policy in ("seed-2025", "nccn-2025"):
        assert policy_outcome(localized, policy, rec) == ()
        assert all(not t.decide(rec).gaps for t in localized.policy_tables(policy) if t is not spleen)
    unresectable = record(1.5, setting="metastatic", resectable="no", tumor_location="tail") | {"pancreatectomy_listed": False}
    assert spleen.decide(unresectable).outcome == () and not spleen.decide(unresectable).gaps
    resectable = unresectable | {"resectable": "yes"}
    assert spleen.decide(resectable).outcome == ("SPLENECTOMY_VACCINATION",)


# --- functioning tumours ------------------------------------------------------------------

def test_perioperative_octreotide_conflict_is_encoded_both_ways():
    rec = record(1.2, "gastrinoma", carcinoid_syndrome=False)
    assert policy_outcome(functional, "seed-2025", rec)[-1] == "PERIOPERATIVE_OCTREOTIDE"
    assert "PERIOPERATIVE_OCTREOTIDE" not in policy_outcome(functional, "nccn-2025", rec)
    alerts = functional.FUNCTIONAL_ALERTS.decide(rec)
    assert {"SEED_OCTREOTIDE_VS_NCCN", "PERIOP_OCTREOTIDE_EVIDENCE_CAVEAT"} <= set(alerts.outcome)
    conflict = functional.FUNCTIONAL_ALERTS.rule("ALF-SEED-OCTREOTIDE-VS-NCCN")
    assert STATEMENTS[conflict.cites[0]].source == "seed-2025" and STATEMENTS[conflict.cites[1]].source != "seed-2025"
    carcinoid = record(1.2, "none", carcinoid_syndrome=True)
    assert functional.PERIOPERATIVE_NCCN.decide(carcinoid).outcome == ("PERIOPERATIVE_OCTREOTIDE",)


# --- properties ---------------------------------------------------------------------------

FUNCTIONING = [v for v in FIELDS["functional_syndrome"].vocab if v != "none"]


@settings(deadline=None)
@given(syndrome=st.sampled_from(FUNCTIONING), grade=st.sampled_from(["G1", "G2", "G3", None]),
       size_cm=st.one_of(st.none(), st.floats(0.01, 15, allow_nan=False)),
       near_duct=st.sampled_from([True, False, None]), sstr=st.sampled_from(["positive", "negative", None]),
       n_cat=st.sampled_from(["N0", "N1", None]),
       invasion=st.sampled_from([None, *FIELDS["local_invasion"].vocab]))
def test_seed_functioning_localized_net_always_gets_surgery(syndrome, grade, size_cm, near_duct, sstr, n_cat, invasion):
    rec = record(size_cm, syndrome, grade=grade, n_category=n_cat, near_main_duct=near_duct, sstr_status=sstr, tumor_location="head")
    rec["local_invasion"] = invasion  # a primary that has been seen (its place is recorded): an occult gastrinoma is not operated on blind (CF 5.2)
    assert SURGICAL & set(policy_outcome(localized, "seed-2025", rec))
    assert SURGICAL & set(localized.LOCALIZED_SEED_FUNCTIONING.decide(rec).outcome)


# --- static checks --------------------------------------------------------------------------

@pytest.mark.parametrize("name", sorted(ALL_TABLES))
def test_every_rule_cites_a_registered_statement(name):
    table = ALL_TABLES[name]
    assert table.hit_policy == "collect"
    for r in table.rules:
        assert r.cites and all(c in STATEMENTS for c in r.cites), r.id
        if table.output == "recommendations":
            assert r.then in RECOMMENDATION_CODES, r.id
            assert r.strength in {"recommended", "consider", "option"}, r.id


def test_policy_tables_shape():
    for mod in (localized, functional):
        assert all(mod.policy_tables(p) for p in ("seed-2025", "nccn-2025"))
    seed_tables = [t for t in ALL_TABLES.values() if t.name.endswith("_seed")]
    assert {t.name for t in seed_tables} == {"localized_seed", "localized_nec_seed", "perioperative_seed"}
    for t in seed_tables:
        for r in t.rules:
            assert any(STATEMENTS[c].source == "seed-2025" for c in r.cites), r.id
