"""Clinical cut-offs named once: a policy derived with the seed's surveillance cut moved from 2 cm to 1.5 cm decides, labels,
alerts and schedules by the new value, with no other edit (seed item 10 and ENETS 2016 put the cut at 2 cm; the 1.5 cm
policy is a made-up reading used only to move it)."""
import re

import pandas as pd
import pytest

from pannet_guideline import assess
from pannet_guideline.cohort import assess_frame
from pannet_guideline.concepts import CUT_ALERTS, CUTS
from pannet_guideline.evidence import STATEMENTS
from pannet_guideline.localized import LOCALIZED_PROSE, localized_prose
from pannet_guideline.pathway import pathways, to_dot
from pannet_guideline.policies import POLICIES, SEED_2025
from pannet_guideline.vocab import ALERTS

MOVED = "seed-surveillance-1.5cm"
# a contained, node-negative, symptom-free, non-functioning G1 NET with a measured Ki-67, untreated
BASE = dict(differentiation="well", ki67_pct=2, mitoses_per_2mm2=1, nodal_status="N0", metastatic_sites="none", local_invasion="none",
            resectable="yes", functional_syndrome="none", symptomatic=False, carcinoid_syndrome=False, hereditary_syndrome="none",
            multifocal=False, sstr_status="positive", age_years=62, prior_therapies="none")


@pytest.fixture(scope="module")
def moved():
    policy = SEED_2025.derive(MOVED, "Seed with surveillance under 1.5 cm", cuts={"seed_surveillance": 1.5},
                              description="the seed's tables with its surveillance cut moved, to show that the cut is read in one place")
    yield policy
    POLICIES.pop(MOVED)


def codes(a, col): return set(filter(None, str(a.to_dict()[col]).split(";")))
def run(policy, size, **kw): return assess({**BASE, "tumor_size_cm": size, **kw}, policy=policy)
def mentions(text, value): return re.search(rf"(?<![\d.]){re.escape(value)} cm", text) is not None


def test_every_cut_cites_registered_statements():
    assert CUTS
    for cut in CUTS.values():
        assert cut.cites and all(c in STATEMENTS for c in cut.cites), cut.name
        assert cut.policy is None or cut.policy in POLICIES, cut.name


def test_the_registered_cuts_are_the_sources():
    # seed item 10 and ENETS 2016: under 2 cm; NCCN PanNET-2: 1 cm or less, then up to 2 cm; AJCC 8: T1 under 2 cm, T2 to 4 cm;
    # AJCC 7: T1 up to 2 cm
    names = ("seed_surveillance", "nccn_observation", "observe_only_max", "t1_below", "t2_max", "ajcc7_t1_max")
    assert {n: CUTS[n].value for n in names} == \
        {"seed_surveillance": 2, "nccn_observation": 2, "observe_only_max": 1, "t1_below": 2, "t2_max": 4, "ajcc7_t1_max": 2}


def test_the_moved_policy_decides_by_the_new_cut(moved):
    seed, new = run("seed-2025", 1.7), run(MOVED, 1.7)
    assert "ACTIVE_SURVEILLANCE" in codes(seed, "recommendations")  # under 2 cm: surveillance beside resection
    assert "ACTIVE_SURVEILLANCE" not in codes(new, "recommendations") and "PANCREATECTOMY" in codes(new, "recommendations")
    assert "ACTIVE_SURVEILLANCE" in codes(run(MOVED, 1.4), "recommendations")  # still watched under the new cut
    assert "ACTIVE_SURVEILLANCE" not in codes(run(MOVED, 1.5), "recommendations")  # the cut itself is excluded, as at 2 cm
    # the seed/NCCN difference now spans 1.5 to 2 cm
    assert "SEED_NCCN_SURVEILLANCE_EDGE" in codes(new, "alerts") and "SEED_NCCN_SURVEILLANCE_EDGE" not in codes(seed, "alerts")


def test_a_recorded_t1_no_longer_stands_for_a_small_tumour(moved):
    # a registry T1 without its size is under 2 cm: under the seed's cut, not necessarily under 1.5 cm
    seed = run("seed-2025", None, local_invasion=None, t_category="T1")
    new = run(MOVED, None, local_invasion=None, t_category="T1")
    assert "ACTIVE_SURVEILLANCE" in codes(seed, "recommendations")
    assert "ACTIVE_SURVEILLANCE" not in codes(new, "recommendations") and "tumor_size_cm" in codes(new, "data_gaps")


def test_followup_follows_the_localised_decision(moved):
    assert "NCCN_OBSERVED" in codes(run("seed-2025", 1.7), "followup_schedule")
    assert "NCCN_OBSERVED" not in codes(run(MOVED, 1.7), "followup_schedule")
    assert "SEED_SURVEILLANCE_NO_SCHEDULE" not in codes(run(MOVED, 1.7), "alerts")
    assert "NCCN_OBSERVED" in codes(run(MOVED, 1.2), "followup_schedule")


def test_the_cohort_engine_agrees(moved):
    df = pd.DataFrame([{**BASE, "tumor_size_cm": s} for s in (1.2, 1.5, 1.7, 2.0, None)])
    out = assess_frame(df, policy=MOVED)
    for i, s in enumerate((1.2, 1.5, 1.7, 2.0, None)):
        one = run(MOVED, s)
        for col in ("recommendations", "followup_schedule", "alerts", "data_gaps"):
            assert set(filter(None, str(out[col].iloc[i]).split(";"))) == codes(one, col), (s, col)


def test_labels_alerts_and_pathways_show_the_moved_cut(moved):
    tables = {t.name: t for t in moved.tables()}
    watch = tables["localized_seed_watch"]
    texts = [watch.reason(r) + " " + r.note for r in watch.rules]
    assert all(mentions(t, "1.5") for t in texts[:1]) and not any(mentions(t, "2") for t in texts)
    dots = "\n".join(to_dot(p) for name in ("localized_seed", "localized_seed_watch") for p in pathways(tables[name]))
    assert mentions(dots, "1.5") and not re.search(r"(?<![\d.])2 cm", dots)
    text = moved.alert_text("SEED_NCCN_SURVEILLANCE_EDGE")
    assert mentions(text, "1.5") and text != ALERTS["SEED_NCCN_SURVEILLANCE_EDGE"].text
    assert SEED_2025.alert_text("SEED_NCCN_SURVEILLANCE_EDGE") == ALERTS["SEED_NCCN_SURVEILLANCE_EDGE"].text
    assert mentions(run(MOVED, 1.7).explain(), "1.5")


def test_no_size_cut_is_written_outside_the_register():
    # every alert of the localised and follow-up chapters that names a size, and every rule label there, is written from the cuts
    tables = [t for p in POLICIES for t in POLICIES[p].tables() if t.module.rsplit(".", 1)[-1] in ("localized", "followup")]
    raised = {r.then for t in tables if t.output == "alerts" for r in t.rules}
    assert {"SEED_NCCN_SURVEILLANCE_EDGE", "LYMPHADENECTOMY_CONSIDER"} <= raised & set(CUT_ALERTS)
    for code in raised - set(CUT_ALERTS): assert not re.search(r"\d cm", ALERTS[code].text), code


def test_the_chapter_prose_states_the_registered_cuts():
    text = {k: localized_prose(k) for k in LOCALIZED_PROSE}
    assert mentions(text["seed"], "2") and "**under** 2 cm" in text["seed"]  # seed item 10: under 2 cm
    assert "1 cm or less" in text["nccn_bands"] and "over 1 cm up to 2 cm" in text["nccn_bands"]  # NCCN PanNET-2
    assert "T1 under 2 cm" in text["extent"] and "over 4 cm" in text["extent"]  # AJCC 8
    assert "under 2 cm" in text["functioning"]  # NCCN: the rare small peripheral glucagonoma or VIPoma
    assert "at exactly 2 cm the seed's" in text["alerts"]  # where the seed's and NCCN's cuts meet, one size differs


def test_the_moved_policy_writes_its_own_prose(moved):
    seed, alerts = localized_prose("seed", MOVED), localized_prose("alerts", MOVED)
    assert mentions(seed, "1.5") and not mentions(seed, "2")
    assert "from 1.5 cm up to 2 cm the seed's" in alerts  # the band where the two policies now differ
    assert localized_prose("nccn_bands", MOVED) == localized_prose("nccn_bands", "nccn-2025")  # NCCN's cuts did not move
    assert mentions(localized_prose("watch", MOVED), "1.5") and localized_prose("seed") != seed


# a cut stated by hand: "under 2 cm", "1 cm or less", "over 1 cm up to 2 cm", "1-2 cm", "exactly 2 cm"; an example size ("a 1.5 cm tumour") is not a cut
HAND_CUT = re.compile(r"(under|over|up to|above|below|exactly)(\*\*)?\s+\d+(\.\d+)?\s*cm|\d\s*cm or (less|more)|\d+\s*-\s*\d+\s*cm")


def test_the_chapter_markdown_states_no_cut_by_hand():
    import json, pathlib
    nb = json.loads((pathlib.Path(__file__).parents[1] / "nbs" / "21_localized.ipynb").read_text())
    prose = ["".join(c["source"]) for c in nb["cells"] if c["cell_type"] == "markdown"]
    assert not [m[0] for text in prose for m in HAND_CUT.finditer(text)]
    assert all(HAND_CUT.search(localized_prose(k)) for k in ("seed", "nccn_bands", "alerts"))  # the pattern sees the rendered ones
