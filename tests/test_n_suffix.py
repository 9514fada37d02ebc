"""An N category as pathology reports and registry abstracts write it: with a suffix, or with its node count beside it.

Oracles: NAACCR data item 1034 (AJCC TNM Clin N Suffix, data dictionary version 24): the suffix is kept in an item of
its own, apart from the N, and takes the codes (sn) (sentinel node procedure, with or without an aspiration or core
biopsy), (f) (aspiration or core biopsy only) or blank. AJCC 8, pancreatic NET chapter: N0 no regional node metastasis,
N1 any; NAACCR item 820/830 counts run from 0 to 90.
"""
import warnings

import pandas as pd
import pytest
from hypothesis import example, given, strategies as st

from pannet_guideline import assess, assess_frame
from pannet_guideline.schema import InvalidPatient, canonical_value

ITEM_1034 = ("(sn)", "(f)", "")  # the suffix codes, blank for none
PREFIXES = ("", "p", "c", "yp", "yc")
BASE = dict(differentiation="well", ki67_pct=5, tumor_size_cm=3.0, local_invasion="none", metastatic_sites="none")  # T2 M0
STAGE = {"N0": "II", "N1": "III", None: "unknown"}  # AJCC 8 pancreatic NET, T2 M0


@pytest.mark.parametrize("field", ["n_category", "nodal_status"])
@pytest.mark.parametrize("suffix", ITEM_1034)
@pytest.mark.parametrize("prefix", PREFIXES)
@pytest.mark.parametrize("n", ["N0", "N1"])
def test_a_suffix_leaves_the_n(field, suffix, prefix, n):
    for spacing in ("", " "):
        assert canonical_value(field, f"{prefix}{n}{spacing}{suffix}") == (n, None)


def _expected(n:str|None, positive:int, examined:int, prefix:str):
    "What an N written beside positive of examined nodes reads as: the N where the count agrees, else nothing (a contradiction). With no node examined, a clinical N (or one without a prefix) stands and a pathological one contradicts itself."
    if examined == 0 and n is not None: return (None, True) if prefix in ("p", "yp") else (n, False)
    counted = None if examined == 0 else "N1" if positive else "N0"
    return (n, False) if counted == n else (None, True)


@given(st.sampled_from(["N0", "N1", "NX"]), st.integers(0, 90), st.integers(0, 90), st.sampled_from(PREFIXES), st.sampled_from(ITEM_1034),
       st.sampled_from(["{p}/{e}", "{p} / {e}", "{p} of {e}"]))
@example("N0", 0, 0, "p", "", "{p}/{e}")  # a pathological N0 with no node examined
@example("N1", 0, 0, "c", "(sn)", "{p} of {e}")  # a clinical N1 with none examined: it stands
@example("N0", 3, 12, "yp", "", "{p}/{e}")
def test_an_n_beside_its_count(n, positive, extra, prefix, suffix, form):
    examined = min(positive + extra, 90)
    raw = f"{prefix}{n}{suffix} ({form.format(p=positive, e=examined)})"
    value, contradiction = _expected(None if n == "NX" else n, positive, examined, prefix)
    read, why = canonical_value("n_category", raw)
    assert read == value
    assert (why is not None and "contradicts itself" in why) == contradiction
    if contradiction: assert f"{positive} positive of {examined} examined" in why or "pathological" in why
    assert canonical_value("nodal_status", raw) == (read, why)


@pytest.mark.parametrize("raw,reason", [("pN0 (95/99)", "a registry code"), ("pN1 (5/3)", "more positive nodes than were examined"),
                                        ("pN2 (5/12)", "no meaning for the pancreas"), ("pN0 (i+)", "isolated tumour cells"),
                                        ("N0 (15)", "not one of N0, N1")])
def test_what_is_not_read_says_why(raw, reason):
    value, why = canonical_value("n_category", raw)
    assert value is None and reason in why and repr(raw) in why


CASES = [("pN0(sn)", "N0"), ("cN1(f)", "N1"), ("pN0 (0/15)", "N0"), ("pN1 (3/12)", "N1"), ("ypN1(sn) (1/2)", "N1"),
         ("pN0 (3/15)", None), ("pN1 (0/12)", None), ("pNX (2/11)", None), ("pNX (0/0)", None), ("cN1 (0/0)", "N1"), ("pN0 (0/0)", None),
         ("p1", "N1"), ("c0", "N0"), ("pX", None), ("88", None)]


def test_one_patient_and_a_cohort_row_alike():
    "Under registry headers, each value gives the same N and stage for a cohort row as for the patient alone; a contradiction is named in the row's issues, and raises for the patient."
    rows = [{**BASE, "pN": raw} for raw, _ in CASES]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        out = assess_frame(pd.DataFrame(rows))
    assert len(out) == len(CASES)  # every row kept
    for i, (raw, n) in enumerate(CASES):
        assert out.n_category.iloc[i] == (n or "NX") and out.stage_ajcc8.iloc[i] == STAGE[n]
        contradiction = n is None and raw not in ("pNX (0/0)", "pX", "88")  # NX, or a registry's X or 88: unknown, nothing to name
        assert ("contradicts itself" in out.input_issues.iloc[i] and "(column 'pN')" in out.input_issues.iloc[i]) == contradiction
        if contradiction:
            with pytest.raises(InvalidPatient, match="n_category"): assess({**BASE, "n_category": raw})
        else:
            alone = assess({**BASE, "n_category": raw})
            assert (alone.n_category, alone.stage_ajcc8) == (out.n_category.iloc[i], out.stage_ajcc8.iloc[i])


ITEM_880 = {"pX": None, "p1": "T1", "p2": "T2", "p3": "T3", "p4": "T4", "88": None}  # SEER TNM, Pathologic T (NAACCR #880): pT1 written p1; 88 not applicable
ITEMS_N_2016 = {"cX": None, "c0": "N0", "c1": "N1", "pX": None, "p0": "N0", "p1": "N1", "88": None}  # TNM Clin N and Path N (edit IF1162)
ITEM_900 = {"c0": "M0", "c1": "M1", "p1": "M1", "88": None}  # SEER TNM, Pathologic M (NAACCR #900): cM0, cM1, pM1 (histologically confirmed)


@pytest.mark.parametrize("field,codes", [("t_category", ITEM_880), ("n_category", ITEMS_N_2016), ("m_category", ITEM_900)])
def test_registry_items_of_2016(field, codes):
    "The letter left out, as the items write it: read as the category; X and 88 (not applicable) as unknown, with nothing to name."
    for raw, value in codes.items():
        assert canonical_value(field, raw) == (value, None), raw
        assert canonical_value(field, raw.upper()) == (value, None), raw
    assert canonical_value("t_category", "c2") == ("T2", None)  # the clinical T item writes its T so too (`registry.tnm-2016-clin-t`)
    assert canonical_value("m_category", "p0")[0] is None and canonical_value("t_category", "c5")[0] is None  # no pM0; no T5
