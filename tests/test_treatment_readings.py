"""Treatment histories as registries write them: what a bracket holds, short-acting octreotide, and regimens named by their
acronym. Each expectation follows a source (clinical_facts section, "CF", or a registered statement) and runs through
`assess` and a one-row `assess_frame`, which must agree on every column."""
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))
from test_round3 import LOC, MET, both, codes  # noqa: E402

from pannet_guideline.schema import canonical_value  # noqa: E402

POLICIES = ("seed-2025", "nccn-2025")


# a bracket is a note on the treatment before it: its commas, semicolons and slashes split nothing
@pytest.mark.parametrize("written,read", [
    ("everolimus (10 mg/day, stopped)", ("EVEROLIMUS",)),
    ("CAPTEM (cap/tem)", ("CAPTEM",)),
    ("sunitinib (37.5 mg; stopped, toxicity); lanreotide", ("SUNITINIB", "SSA")),
    ("CAPOX (oxaliplatin, capecitabine) -> everolimus", ("OXALIPLATIN_FLUOROPYRIMIDINE", "EVEROLIMUS")),
    ("everolimus, CAPTEM (2019, 6 cycles)", ("EVEROLIMUS", "CAPTEM")),
])
def test_a_bracket_does_not_split_the_list(written, read):
    assert canonical_value("prior_therapies", written) == (read, None)


@pytest.mark.parametrize("policy", POLICIES)
def test_a_bracketed_note_leaves_the_line_given(policy):
    "CF 6.1 (NE-H): cabozantinib is category 1 after everolimus; the note in brackets must not make the history unknown."
    patient = dict(MET, progression="progressive", prior_therapies="SSA; everolimus (10 mg/day, stopped)")
    a, plain = both(patient, policy), both(dict(patient, prior_therapies="SSA; EVEROLIMUS"), policy)
    assert a.input_issues == "" and "prior_therapies" not in a.data_gaps
    assert (a.recommendations, a.primary_recommendation) == (plain.recommendations, plain.primary_recommendation)
    assert "EVEROLIMUS" not in codes(a)


# CF 6.1 (notes m/e, statement nccn.ssa-doses): the analogue line is octreotide LAR 20-30 mg IM or lanreotide 120 mg every 4 weeks;
# octreotide 100-250 mcg SC three times daily treats breakthrough symptoms (functional.nccn-carcinoid-syndrome-ssa): syndrome control
@pytest.mark.parametrize("written", ["octreotide s.c. 100 mcg tid", "octreotide short-acting", "Sandostatin (not LAR)",
                                     "octreotide 100 mcg SC tid", "octreotide 250 µg subcutaneously three times daily"])
def test_short_acting_octreotide_is_not_the_analogue_line(written):
    got, why = canonical_value("prior_therapies", written)
    assert why is None and "SSA" not in got and "SSA_ABOVE_LABEL" not in got and got == ("SYNDROME_CONTROL",)


@pytest.mark.parametrize("written", ["octreotide LAR 30 mg", "Sandostatin LAR 20 mg q4w", "lanreotide 120 mg deep s.c. q28d"])
def test_the_depot_stays_the_analogue_line(written):
    got, why = canonical_value("prior_therapies", written)
    assert why is None and "SSA" in got


@pytest.mark.parametrize("policy", POLICIES)
def test_short_acting_octreotide_leaves_the_analogue_to_offer(policy):
    "CF 6.1: octreotide LAR or lanreotide 'if not already on it'; short-acting octreotide for symptoms is not being on it, so the analogue stays first."
    patient = dict(MET, progression="progressive", prior_therapies="octreotide s.c. 100 mcg tid")
    a = both(patient, policy)
    assert a.primary_recommendation == "SSA" and "SSA_ABOVE_LABEL" not in codes(a)
    depot = both(dict(patient, prior_therapies="octreotide LAR 30 mg"), policy)
    assert depot.primary_recommendation != "SSA"


# CF 6.2 / 6.3 (statements nccn.wdg3-unfavourable-systemic, advanced.nec-regimens-unordered): FOLFIRINOX is one of the
# irinotecan-based regimens, the family coded IRINOTECAN_FLUOROPYRIMIDINE
@pytest.mark.parametrize("written", ["FOLFIRINOX", "mFOLFIRINOX x6", "PLATINUM_ETOPOSIDE; FOLFIRINOX (2021)"])
def test_folfirinox_is_an_irinotecan_based_regimen(written):
    got, why = canonical_value("prior_therapies", written)
    assert why is None and "IRINOTECAN_FLUOROPYRIMIDINE" in got


def test_folfirinox_given_is_not_offered_again_as_irinotecan_based():
    "CF 6.2: unfavourable NET G3 lists irinotecan-based regimens (FOLFIRI, cisplatin-irinotecan, FOLFIRINOX): after FOLFIRINOX that family is given."
    g3 = dict(MET, ki67_pct=60.0, mitoses_per_2mm2=25, progression="progressive", sstr_status="negative")
    before = both(dict(g3, prior_therapies="PLATINUM_ETOPOSIDE"), "nccn-2025")
    after = both(dict(g3, prior_therapies="PLATINUM_ETOPOSIDE; FOLFIRINOX"), "nccn-2025")
    assert "IRINOTECAN_FLUOROPYRIMIDINE" in codes(before)
    assert after.input_issues == "" and "IRINOTECAN_FLUOROPYRIMIDINE" not in codes(after)


# CF 1.1 R-GR-01 (differentiation first; p53 and Rb where it is doubtful) and 13.4 (the WHO 2010 NEC label): a reading of
# differentiation that is held all the same says what it waits for, not that it is held by the field it reads
@pytest.mark.parametrize("policy", POLICIES)
@pytest.mark.parametrize("patient", [dict(MET, differentiation="poor", ki67_pct=15.0),
                                     dict(MET, differentiation="poor", ki67_pct=None, mitoses_per_2mm2=None, recorded_grade="G2")])
def test_a_reading_held_for_review_says_what_decides_it(policy, patient):
    a = both(patient, policy)
    entries = dict(e.rsplit(": ", 1) for e in a.primary_alternatives.split("; "))
    poor = [out for cond, out in entries.items() if "differentiation=poor" in cond]
    assert poor and all("held by differentiation" not in out for out in poor)
    assert any("pathology review" in out and "p53" in out for out in poor)
    assert "held by differentiation" not in a.primary_alternatives


# statement nccn.ssa-doses: octreotide 100-250 µg SC three times daily is the breakthrough-symptom dose, not the analogue
# line; the reading changes what the history means, so the analyst is told, on both paths
@pytest.mark.parametrize("policy", POLICIES)
@pytest.mark.parametrize("written", ["octreotide s.c. 100 mcg tid", "Sandostatin (not LAR); everolimus"])
def test_short_acting_octreotide_reading_is_named(policy, written):
    a = both(dict(MET, progression="progressive", prior_therapies=written), policy)
    assert "SHORT_ACTING_OCTREOTIDE_READ" in a.alerts.split(";")


@pytest.mark.parametrize("written", ["octreotide LAR 30 mg", "lanreotide 120 mg deep s.c. q28d", "SYNDROME_CONTROL", "none"])
def test_no_short_acting_alert_without_short_acting_octreotide(written):
    "The depot is the analogue line (nccn.ssa-doses): nothing was read differently, so nothing is said."
    a = both(dict(MET, progression="progressive", prior_therapies=written), "nccn-2025")
    assert "SHORT_ACTING_OCTREOTIDE_READ" not in a.alerts.split(";")


# CF 5.1 (statement nccn.insulinoma-symptom-control): an insulinoma's hypoglycaemia is controlled with diet, diazoxide and/or
# everolimus; diazoxide in a history is that control, not an unknown name that makes the whole history unknown
@pytest.mark.parametrize("written", ["diazoxide", "Diazoxide 100 mg tid", "Proglycem; lanreotide"])
def test_diazoxide_is_read_as_syndrome_control(written):
    codes_read, unread = canonical_value("prior_therapies", written)
    assert unread is None and codes_read[0] == "SYNDROME_CONTROL"


@pytest.mark.parametrize("policy", POLICIES)
def test_a_history_naming_diazoxide_is_known(policy):
    a = both(dict(MET, functional_syndrome="insulinoma", sstr_status="negative", prior_therapies="diazoxide"), policy)
    assert a.input_issues == "" and "prior_therapies" not in a.data_gaps
