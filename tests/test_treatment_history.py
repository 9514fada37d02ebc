"Treatment histories as exports write them: regimen names read as codes; an unreadable entry never re-opens a failed line."
import pandas as pd
import pytest

from pannet_guideline import assess, assess_frame
from pannet_guideline.policies import POLICIES

NEC = dict(differentiation="poor", ki67_pct=70, tumor_size_cm=3, metastatic_sites="liver", progression="progressive", functional_syndrome="none")


def recs(a): return set(a.recommendations.split(";")) - {""}


@pytest.mark.parametrize("policy", list(POLICIES))
def test_regimen_names_count_as_the_lines_they_are(policy):
    # platinum-etoposide and FOLFIRI have failed: neither is offered again; oxaliplatin-based is (nccn.pdnec-treatment)
    a = assess({**NEC, "prior_therapies": "Carboplatin-etoposide; FOLFIRI"}, policy=policy, strict=False)
    assert a.input_issues == ""
    assert not recs(a) & {"PLATINUM_ETOPOSIDE", "IRINOTECAN_FLUOROPYRIMIDINE"}, a.recommendations
    assert "OXALIPLATIN_FLUOROPYRIMIDINE" in recs(a)


@pytest.mark.parametrize("policy", list(POLICIES))
def test_an_unreadable_entry_holds_the_history_instead_of_reopening_platinum(policy):
    p = {**NEC, "prior_therapies": "PLATINUM_ETOPOSIDE;study drug 123"}
    a = assess(p, policy=policy, strict=False)
    assert "prior_therapies" in a.input_issues and "PLATINUM_ETOPOSIDE" not in recs(a)
    assert "prior_therapies" in a.data_gaps.split(";")
    row = assess_frame(pd.DataFrame([p]), policy=policy).iloc[0]
    assert str(row["recommendations"]) == a.recommendations and "prior_therapies" in str(row["input_issues"])
    with pytest.raises(ValueError, match="prior_therapies"): assess(p, policy=policy)
