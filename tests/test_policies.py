"The policy registry: a derived policy in a few lines, registered codes, named concepts in the text a reader sees."
import numpy as np
import pandas as pd
import pytest

from pannet_guideline.cohort import assess_frame
from pannet_guideline.datasets import synthetic_cohort
from pannet_guideline.guideline import assess, pipeline
from pannet_guideline.policies import POLICIES, Policy, check_policy, register_policy
from pannet_guideline.tables import DecisionTable
from pannet_guideline.vocab import ALERTS, RECOMMENDATIONS


def _without(table, code):
    "A copy of a table without the rules that give `code`."
    return DecisionTable(f"{table.name}_no_{code.lower()}", table.title + f" without {code}", [r for r in table.rules if r.then != code],
                         table.hit_policy, table.output, table.complete, table.analysis_assume, table.description, table.scope)


@pytest.fixture
def nccn_without_prrt():
    nccn = POLICIES["nccn-2025"]
    swap = {t: _without(t, "PRRT") for t in nccn.tables() if any(r.then == "PRRT" for r in t.rules)}
    derived = nccn.derive("nccn-no-prrt", "NCCN without PRRT", replace=swap)  # the whole declaration of a new policy
    yield derived
    POLICIES.pop("nccn-no-prrt")


def test_derived_policy_differs_from_its_parent_only_where_it_says(nccn_without_prrt):
    df = synthetic_cohort(3000, seed=11)
    parent, child = assess_frame(df, policy="nccn-2025"), assess_frame(df, policy="nccn-no-prrt")
    drop = lambda s: ";".join(c for c in str(s).split(";") if c != "PRRT")
    assert parent["recommendations"].astype(str).str.contains("PRRT").sum() > 0  # the cohort exercises the change
    assert (child["recommendations"].astype(str) == parent["recommendations"].astype(str).map(drop)).all()
    assert check_policy("nccn-no-prrt") == "nccn-no-prrt"


def test_derived_policy_one_patient_equals_cohort_row(nccn_without_prrt):
    df = synthetic_cohort(200, seed=5)
    out = assess_frame(df, policy="nccn-no-prrt")
    for i, rec in enumerate(df.replace({np.nan: None}).to_dict("records")[:60]):
        a = assess(rec, policy="nccn-no-prrt", strict=False)
        assert a.recommendations == str(out["recommendations"].iloc[i])


def test_registry_refuses_unknown_parent_and_duplicates():
    with pytest.raises(ValueError, match="unknown parent"): register_policy(Policy("x-orphan", "x", parent="nope"))
    with pytest.raises(ValueError, match="already registered"): register_policy(Policy("nccn-2025", "again"))


@pytest.mark.parametrize("policy", list(POLICIES))
def test_every_outcome_is_a_registered_code(policy):
    for step in pipeline(policy=policy):
        table = getattr(step, "table", None)
        if table is None: continue
        if table.output == "recommendations": assert set(table.outcomes) <= set(RECOMMENDATIONS), table.name
        if table.output == "alerts": assert set(table.outcomes) <= set(ALERTS), (table.name, set(table.outcomes) - set(ALERTS))


def test_primary_is_never_ancillary_while_management_applies():
    df = synthetic_cohort(5000, seed=2)
    for policy in POLICIES:
        out = assess_frame(df, policy=policy)
        kinds = out["recommendations"].astype(str).str.split(";").map(lambda cs: {RECOMMENDATIONS[c].kind for c in cs if c})
        primary = out["primary_recommendation"].astype(str)
        has_mgmt = kinds.map(lambda k: "management" in k)
        bad = has_mgmt & primary.map(lambda c: c != "" and RECOMMENDATIONS[c].kind == "ancillary")
        assert not bad.any(), out.loc[bad, ["recommendations", "primary_recommendation"]].head()
        # no primary only where the guidance leaves options unranked (then they are named) or missing data holds it (then the fields are)
        empty = has_mgmt & (primary == "")
        held = out["primary_held_by"].astype(str) != ""
        assert (out.loc[empty & ~held, "primary_options"].astype(str).str.count(";") >= 1).all()
        assert (out.loc[held, "primary_recommendation"].astype(str) == "").all()


def test_primary_is_held_while_missing_data_could_put_a_management_code_first():
    # a metastatic NET G2, progressing, treatment history not recorded: every systemic line is open (nccn.progression-options)
    p = dict(differentiation="well", ki67_pct=8, tumor_size_cm=3, metastatic_sites="liver", progression="progressive",
             sstr_status="positive", functional_syndrome="none", tumor_burden="high", symptomatic=False, resectable="no")
    for policy in POLICIES:
        a = assess(p, policy=policy)
        assert a.primary_recommendation == "" and "prior_therapies" in a.primary_held_by.split(";"), (policy, a.recommendations)
        b = assess({**p, "prior_therapies": "none"}, policy=policy)
        assert b.primary_recommendation != "" and b.primary_held_by == ""
        row = assess_frame(pd.DataFrame([p]), policy=policy).iloc[0]
        assert str(row["primary_held_by"]) == a.primary_held_by


def test_a_table_defined_again_keeps_its_chapter_and_place():
    "A notebook cell run again defines the table anew (in `__main__`): the policy, its order and the chapter's flowcharts keep it."
    from pannet_guideline.localized import LOCALIZED_SEED as old
    from pannet_guideline.pathway import chapter_tables
    from pannet_guideline.policies import POLICIES
    from pannet_guideline.tables import DecisionTable
    before = [t.name for t in POLICIES["seed-2025"].tables()]
    again = DecisionTable(old.name, old.title, old.rules, old.hit_policy, old.output, old.complete, old.analysis_assume, old.description, old.scope)
    assert again.module != old.module  # defined here, not in the chapter
    try:
        POLICIES["seed-2025"].include(again)
        assert [t.name for t in POLICIES["seed-2025"].tables()] == before
        assert any(t is again for t in chapter_tables("localized", "seed-2025"))
    finally:
        POLICIES["seed-2025"].include(old)
    assert any(t is old for t in chapter_tables("localized", "seed-2025"))
