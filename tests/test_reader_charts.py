"""What a clinical reader checks on the drawn pathways: a question asked once where its answers lead alike, endings that
colour only what holds without a condition, notes that say what really changes, and the notes a reader expects."""
import pandas as pd
import pytest

from pannet_guideline.guideline import POLICIES
from pannet_guideline.pathway import QUESTIONS, Leaf, clinical_pathway, derived_possible, possible_points
from pannet_guideline.tables import columns_from_canonical

from conftest import drawn_pathways

pytestmark = pytest.mark.xdist_group("pathways")  # with --dist loadgroup, one worker draws the pathways once for all these tests

DRAWN = drawn_pathways()


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


def test_a_small_men1_tumour_to_watch_is_a_net():
    "An NEC has no NET grade (WHO 2019): a record of a NEC 'to watch', its grade not given, is no patient's, whatever the grade left out."
    rows = pd.DataFrame([dict(nen_class="NEC", hereditary_syndrome="MEN1", men1_watch=True),
                         dict(nen_class="NET", hereditary_syndrome="MEN1", men1_watch=True),
                         dict(nen_class="NEC", hereditary_syndrome="MEN1", men1_watch=False)], dtype=object)
    assert derived_possible(columns_from_canonical(rows)).tolist() == [False, True, True]


@pytest.mark.parametrize("key", ["localized-nf", "hereditary"])
def test_the_nccn_charts_ask_the_men1_question_once(key):
    "The localised chart's answers differ only for an asymptomatic G1 of over 1 cm up to 2 cm, the hereditary chart's only for a NET in a known syndrome: asked there, once."
    p = clinical_pathway(key, "nccn-2025")
    assert [n.field for n in p.nodes.values()].count("men1_watch") == 1


# ---- treatments given before: one note that names them

def test_treatments_given_before_share_one_note_that_names_them():
    from pannet_guideline.pathway import GIVEN_BEFORE_REASON, clinical_svgs, unasked_lines
    p = clinical_pathway("advanced-g12-progression", "seed-2025")
    _, names, notes = clinical_svgs(p)
    before = [said for why, said in unasked_lines(p, notes, names) if why == GIVEN_BEFORE_REASON]
    assert len(before) == 1 and len(before[0]) == 1, before
    assert all(drug in before[0][0] for drug in ("cabozantinib", "everolimus", "PRRT", "somatostatin analogue", "sunitinib")), before


@pytest.mark.parametrize("key,policy", DRAWN)
def test_no_two_notes_on_treatments_given_before_say_the_same(key, policy):
    from pannet_guideline.pathway import GIVEN_BEFORE_REASON, clinical_svgs, unasked_lines
    p = clinical_pathway(key, policy)
    _, names, notes = clinical_svgs(p)
    for why, said in unasked_lines(p, notes, names):
        if why != GIVEN_BEFORE_REASON: continue
        bodies = [x.split(" was given before", 1)[1] for x in said]
        assert len(bodies) == len(set(bodies)), said


# ---- answers a reader expects that the sources do not ask

GASTRINOMA = dict(differentiation="well", ki67_pct=2, mitoses_per_2mm2=1, tumor_size_cm=1.5, local_invasion="none", nodal_status="N0",
                  metastatic_sites="none", resectable="yes", functional_syndrome="gastrinoma", carcinoid_syndrome=False,
                  symptomatic=True, hereditary_syndrome="none", tumor_location="head", sstr_status="positive", prior_therapies="none")
NF_SMALL = {**GASTRINOMA, "functional_syndrome": "none", "symptomatic": False, "near_main_duct": False, "tumor_size_cm": 1.5}


@pytest.mark.parametrize("policy", POLICIES)
def test_a_gastrinoma_is_given_the_same_whatever_men1_and_its_site(policy):
    "nccn.gastrinoma-symptom-control and nccn.gastrinoma-surgery name no other control or operation in MEN1 or at another site: the footnote's claim."
    from pannet_guideline.guideline import assess
    given = {assess({**GASTRINOMA, "hereditary_syndrome": h, "tumor_location": site}, policy).recommendations
             for h in ("none", "MEN1") for site in ("head", "body", "tail")}
    assert len(given) == 1, given


def test_the_seed_operates_on_a_non_functioning_tumour_wherever_the_duct_is():
    "seed.12 (formal pancreatectomy) and seed.10 (surveillance by size) say nothing of the duct: the footnote's claim."
    from pannet_guideline.guideline import assess
    given = {assess({**NF_SMALL, "near_main_duct": d}, "seed-2025").recommendations for d in (False, True)}
    assert len(given) == 1, given


@pytest.mark.parametrize("key,policy", DRAWN)
def test_a_footnote_on_an_answer_not_asked_is_true_of_its_pathway(key, policy):
    from pannet_guideline.evidence import STATEMENTS, load_register
    from pannet_guideline.pathway import NOT_ASKED_BY_SOURCE, field_of, source_footnotes
    load_register()
    p = clinical_pathway(key, policy)
    asked = {field_of(n.field) for n in p.nodes.values()} | {field_of(c) for c in p.conds}
    for k, policies, fields, why in NOT_ASKED_BY_SOURCE:
        assert all(w in STATEMENTS for w in __import__("re").findall(r"\b(?:seed|nccn|enets2016|aspen)\.[\w.-]*[\w]", why)), why  # it cites registered statements
        if k == key and policy in policies: assert (why in source_footnotes(p)) == (not asked & set(fields)), (key, policy, fields)


def test_the_footnotes_a_reader_asked_for_are_shown():
    from pannet_guideline.pathway import source_footnotes
    assert any("main pancreatic duct" in x for x in source_footnotes(clinical_pathway("localized-nf", "seed-2025")))
    assert source_footnotes(clinical_pathway("localized-nf", "nccn-2025")) == []  # NCCN asks it
    for policy in POLICIES:
        assert any("MEN1" in x for x in source_footnotes(clinical_pathway("functional-gastrinoma", policy)))


# ---- everolimus in insulinoma: for glucose control

@pytest.mark.parametrize("policy", POLICIES)
def test_everolimus_for_an_insulinoma_is_said_to_control_the_glucose(policy):
    "nccn.insulinoma-symptom-control: everolimus, beside diet and diazoxide, controls the hypoglycaemia, with the primary therapy before the operation or where there is none (functional.control-before-resection)."
    from pannet_guideline.pathway import _leaf_lines
    p = clinical_pathway("functional-insulinoma", policy)
    lines = [x for lf in _endings(p) for x in _leaf_lines(p, lf) if "everolimus" in x]
    assert lines and all("everolimus for glucose control (until the operation, or where it is not possible)" in x for x in lines), lines


# ---- a note on an answer not asked says what it changes

@pytest.mark.parametrize("key", ["functional-insulinoma", "functional-gastrinoma", "functional-glucagonoma-vipoma"])
def test_the_carcinoid_syndrome_note_says_what_it_changes(key):
    "Carcinoid syndrome recorded takes a patient to the last functioning pathway; unknown, it holds nothing this chart shows (the analogue it would bring is recommended on that pathway)."
    from pannet_guideline.pathway import clinical_svgs, unasked_lines
    for policy in POLICIES:
        p = clinical_pathway(key, policy)
        _, names, notes = clinical_svgs(p)
        said = [(why, lines) for why, lines in unasked_lines(p, notes, names) if why.startswith("Carcinoid syndrome")]
        assert said, key
        why, lines = said[0]
        assert "not in this pathway but in ‘Functioning NET, other syndromes or carcinoid syndrome" in why, why
        assert "no answer to it changes" not in why and "only an unknown one does" in why, why
        assert "nothing the endings of this chart show waits on it" in lines[0], lines  # what it would add is given on that other pathway


# ---- the hereditary chapter says what its rules decide

def test_the_hereditary_chapter_lists_every_table_it_decides_with():
    "Its opening table names each of its tables, the small MEN1 tumour to watch (MEN1 review 2019 via NCCN's size of concern) included."
    import json
    from pathlib import Path
    import pannet_guideline.hereditary as her
    nb = json.loads((Path(__file__).resolve().parents[1] / "nbs" / "24_hereditary.ipynb").read_text())
    intro = next("".join(c["source"]) for c in nb["cells"] if c["cell_type"] == "markdown" and "| table | policy |" in "".join(c["source"]))
    names = [k for k, v in vars(her).items() if k.isupper() and getattr(v, "rules", None) is not None and v in her.TABLES + (her.MEN1_WATCH,)]
    assert names and all(f"`{n}`" in intro for n in names), [n for n in names if f"`{n}`" not in intro]
    assert "MEN1 tumour" in her.__doc__  # the chapter's heading says it decides that too


@pytest.mark.parametrize("policy", POLICIES)
def test_the_hereditary_pathway_title_names_what_it_gives(policy):
    from pannet_guideline.pathway import _leaf_lines
    p = clinical_pathway("hereditary", policy)
    watches = any("active surveillance" in x for lf in _endings(p) for x in _leaf_lines(p, lf))
    assert "genetic testing" in p.question.title.lower() and (not watches or "MEN1 tumour to watch" in p.question.title), p.question.title
