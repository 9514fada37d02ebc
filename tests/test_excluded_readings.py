"""A held row's readings leave out what the record itself rules out: a liver-metastases column saying yes excludes the reading
"no metastatic site" (AJCC 8 M1a: metastases confined to the liver, so a liver metastasis is a metastatic site), as does a
recorded M1 (distant metastasis present).

Not a medical device: these tests check software behaviour only.
"""
import pandas as pd
import pytest

from pannet_guideline import assess, assess_frame
from pannet_guideline.guideline import EXCLUDED_READING, alternatives_text, decided_primary, field_readings

BASE = dict(differentiation="well", ki67_pct=5, tumor_size_cm=3, nodal_status="N0", sstr_status="positive", progression="stable",
            resectable="no", m_category="M1")


@pytest.mark.parametrize("policy", ["seed-2025", "nccn-2025"])
def test_a_liver_column_saying_yes_excludes_the_reading_of_no_metastatic_site(policy):
    with_liver, without = dict(BASE, liver_metastases="yes"), dict(BASE)
    frame = assess_frame(pd.DataFrame([with_liver, without]), policy=policy)
    for i, rec in enumerate((with_liver, without)):
        one = assess(rec, policy=policy, strict=False)
        assert one.primary_alternatives == frame.primary_alternatives[i]  # one patient and its row agree
        assert "metastatic_sites" in one.primary_held_by
    liver_said, bare_said = frame.primary_alternatives[0], frame.primary_alternatives[1]
    assert "metastatic_sites=none" not in liver_said and "COMPLETE_STAGING" not in liver_said and EXCLUDED_READING not in liver_said
    assert "metastatic_sites=none" not in bare_said  # a recorded M1 rules it out too (before, both listed it: complete the staging)
    assert all(said.startswith("metastatic_sites=liver") for said in (liver_said, bare_said))  # the readings the record allows stay


def test_excluded_readings_are_left_out_of_the_text_and_of_the_agreement():
    tokens = [EXCLUDED_READING, "SSA", "SSA", "PRRT"]  # metastatic_sites: none, liver, extrahepatic, both (reading order)
    assert alternatives_text(["metastatic_sites"], tokens) == "metastatic_sites=liver/extrahepatic: SSA; metastatic_sites=liver_and_extrahepatic: PRRT"
    tokens = [EXCLUDED_READING, "SSA", "SSA", "SSA"]
    assert decided_primary(["metastatic_sites"], tokens, "SSA", "") == ("SSA", "")  # every reading the record allows agrees
    assert decided_primary(["metastatic_sites"], [EXCLUDED_READING, "SSA", "PRRT"], "SSA", "") is None


def test_readings_the_record_rules_out_everywhere_are_said_to_fit_nothing():
    "When every reading of the held fields contradicts the record, the text says no reading fits; it never offers 'any' reading."
    cells = len(field_readings("sstr_status"))
    assert alternatives_text(["sstr_status"], [EXCLUDED_READING] * cells) == "no reading of sstr_status fits the record"
    mixed = alternatives_text(["sstr_status"], ["SSA"] + [EXCLUDED_READING] * (cells - 1))
    assert EXCLUDED_READING not in mixed and mixed.endswith(": SSA")  # a reading ruled out is not listed
