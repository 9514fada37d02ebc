"""What a clinical reader checks on the drawn pathways: a question asked once where its answers lead alike, endings that
colour only what holds without a condition, notes that say what really changes, and the notes a reader expects."""
import pandas as pd
import pytest

from pannet_guideline.guideline import POLICIES
from pannet_guideline.pathway import QUESTIONS, Leaf, clinical_pathway, derived_possible, possible_points
from pannet_guideline.tables import columns_from_canonical

DRAWN = [(q.key, pol) for q in QUESTIONS for pol in POLICIES if clinical_pathway(q.key, pol) is not None]


def _endings(p):
    out = {t for n in p.nodes.values() for _, t in n.edges if isinstance(t, Leaf)}
    return out | ({p.root} if isinstance(p.root, Leaf) else set())


# ---- a derived flag is asked only where its table can say yes

SMALL_MEN1 = dict(disease_setting="localized", nen_class="NET", who_grade="G1", ki67_pct=2.0, functional_syndrome="none",
                  carcinoid_syndrome=False, tumor_size_cm=1.5, t_category="T1", n_category="N0", local_invasion="none")


def test_a_small_men1_tumour_to_watch_has_no_symptoms():
    """The hereditary chapter watches a MEN1 tumour under 2 cm only when it causes no symptoms and is a G1 (MEN1 review 2019,
    S-MEN1-NF; NCCN note e: observation is for incidentally found tumours): a record that says 'to watch' beside symptoms,
    a G2 or 2.5 cm is no patient's, one that says it of an asymptomatic 1.5 cm G1 is."""
    rows = pd.DataFrame([{**SMALL_MEN1, "symptomatic": False, "men1_watch": True},
                         {**SMALL_MEN1, "symptomatic": True, "men1_watch": True},
                         {**SMALL_MEN1, "symptomatic": False, "who_grade": "G2", "ki67_pct": 5.0, "men1_watch": True},
                         {**SMALL_MEN1, "symptomatic": False, "tumor_size_cm": 2.5, "t_category": "T2", "men1_watch": True},
                         {**SMALL_MEN1, "symptomatic": True, "men1_watch": False}], dtype=object)
    cols = columns_from_canonical(rows)
    assert derived_possible(cols).tolist() == [True, False, False, False, True]
    assert possible_points(cols).tolist() == [True, False, False, False, True]


def test_the_nccn_localised_chart_asks_the_men1_question_once():
    "Its answers differ only for an asymptomatic G1 of over 1 cm up to 2 cm: asked there, once."
    p = clinical_pathway("localized-nf", "nccn-2025")
    assert [n.field for n in p.nodes.values()].count("men1_watch") == 1
