"""A recorded AJCC 8 T that the size or the extent rules out while size and extent give no T of their own: named
(T_CATEGORY_RULED_OUT) exactly where no unrecorded finding gives that T, as the T table itself derives it; then the T is not
trusted (unknown, a gap, a conflict), as where the two readings disagree.

Not a medical device: these tests check software behaviour only.
"""
import numpy as np
import pandas as pd
from hypothesis import given, strategies as st

from pannet_guideline import assess, assess_frame
from pannet_guideline.schema import FIELDS
from pannet_guideline.staging import T_FROM_EXTENT

CLASSES = {"NET": (dict(differentiation="well", ki67_pct=1, mitoses_per_2mm2=0), "NET"),
           "NEC": (dict(differentiation="poor", ki67_pct=70, mitoses_per_2mm2=30), "NEC"),
           "class not stated": ({}, None)}
SIZES = st.one_of(st.none(), st.sampled_from([0.5, 1.99, 2.0, 2.01, 3.0, 4.0, 4.01, 6.0]), st.floats(0.1, 12, allow_nan=False).map(lambda x: round(x, 2)))
EXTENTS = st.sampled_from([None, *FIELDS["local_invasion"].vocab])
SIZE_GRID = [0.5, 1.99, 2.0, 2.01, 3.0, 4.0, 4.01, 6.0]


def possible_ts(size_cm, extent, nen_class) -> set:
    "The T categories the T table gives over every value of what is not recorded, the class included; where it leaves the T open (a carcinoma touching organs or vessels: the exocrine T4 is arterial involvement), T4 or the T of its size."
    if nen_class is None: return set().union(*(possible_ts(size_cm, extent, c) for c in ("NET", "NEC", "MiNEN")))
    out = set()
    for s in ([size_cm] if size_cm is not None else SIZE_GRID):
        for e in ([extent] if extent is not None else FIELDS["local_invasion"].vocab):
            d = T_FROM_EXTENT.decide({"tumor_size_cm": s, "local_invasion": e, "nen_class": nen_class})
            if d.outcome is not None: out.add(d.outcome); continue
            # left open: arterial involvement (T4), or none and the T its size gives, as without organs or vessels
            out |= {"T4", T_FROM_EXTENT.decide({"tumor_size_cm": s, "local_invasion": "none", "nen_class": nen_class}).outcome}
    return out


def _patient(klass, size_cm, extent, recorded_t) -> dict:
    p = dict(CLASSES[klass][0], t_category=recorded_t, nodal_status="N0", metastatic_sites="none")
    if size_cm is not None: p["tumor_size_cm"] = size_cm
    if extent is not None: p["local_invasion"] = extent
    return p


@given(SIZES, EXTENTS, st.sampled_from(["T1", "T2", "T3", "T4"]), st.sampled_from(list(CLASSES)))
def test_named_and_not_trusted_exactly_where_nothing_unrecorded_gives_the_recorded_t(size_cm, extent, recorded_t, klass):
    derived = T_FROM_EXTENT.decide({"tumor_size_cm": size_cm, "local_invasion": extent, "nen_class": CLASSES[klass][1]}).outcome
    a = assess(_patient(klass, size_cm, extent, recorded_t))
    alerts = a.alerts.split(";")
    if derived is not None:  # size and extent give a T: set against the recorded one instead
        assert "T_CATEGORY_RULED_OUT" not in alerts
        assert ("T_CATEGORY_CONFLICT" in alerts) == (derived != recorded_t)
        return
    ruled_out = recorded_t not in possible_ts(size_cm, extent, CLASSES[klass][1])
    assert ("T_CATEGORY_RULED_OUT" in alerts) == ruled_out, (size_cm, extent, recorded_t, klass, a.alerts)
    assert "T_CATEGORY_CONFLICT" not in alerts
    assert a.t_category == ("TX" if ruled_out else recorded_t)
    assert ("t_category" in a.data_gaps.split(";")) == ruled_out
    assert (f"t_category: recorded {recorded_t}, which the size or extent given rules out" in a.conflicts) == ruled_out


def test_a_ruled_out_t_gives_no_stage_it_alone_would_give():
    a = assess(_patient("NET", 3.0, None, "T1"))
    assert (a.t_category, a.stage_ajcc8, a.stage_enets) == ("TX", "unknown", "unknown")  # T2, T3 or T4 with N0 M0: II or III
    m1 = assess(dict(_patient("NET", 3.0, None, "T1"), metastatic_sites="liver"))
    assert m1.stage_ajcc8 == "IV"  # any T with M1


def test_the_cohort_names_the_same_rows_as_one_patient_at_a_time():
    rng = np.random.default_rng(7)
    n = 150
    rows = [_patient(k, None if s < 0 else float(s), None if e == "-" else e, t)
            for k, s, e, t in zip(rng.choice(list(CLASSES), n), rng.choice([-1, 1.5, 1.99, 2.0, 3.0, 4.0, 4.01, 5.0], n),
                                  rng.choice(["-", *FIELDS["local_invasion"].vocab], n), rng.choice(["T1", "T2", "T3", "T4"], n))]
    out, one_by_one = assess_frame(pd.DataFrame(rows)), [assess(r) for r in rows]
    for col in ("alerts", "t_category", "stage_ajcc8", "conflicts", "data_gaps"):
        assert out[col].astype(str).tolist() == [str(getattr(a, col)) for a in one_by_one], col
    assert out["alerts"].astype(str).str.contains("T_CATEGORY_RULED_OUT").sum() > 10


def test_a_real_registry_row_is_named():
    "ARC-Net records ENETS T2 for ITNET_0941 with a 13 mm tumour and no extent column: a T2 is 2 to 4 cm whatever the extent."
    from pannet_guideline.datasets import load_arcnet
    df, columns = load_arcnet()
    out = assess_frame(df, columns=columns)
    named = out["alerts"].astype(str).str.split(";").map(lambda a: "T_CATEGORY_RULED_OUT" in a)
    assert df.loc[named, "Patient ID"].tolist() == ["ITNET_0941"]
    assert out.loc[named, "t_category"].astype(str).tolist() == ["TX"]
