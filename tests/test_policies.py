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
        # no primary only where the guidance leaves options unranked, and then they are named
        empty = has_mgmt & (primary == "")
        assert (out.loc[empty, "primary_options"].astype(str).str.count(";") >= 1).all()
