"""What a clinician reads on a clinical pathway: no branch no patient can take, honest part entries, links between parts."""
import dataclasses
import re

import numpy as np
import pytest

from pannet_guideline.guideline import POLICIES, assess
from pannet_guideline.pathway import (CONSISTENCY, QUESTIONS, Leaf, _edge_names, _possible_classes, clinical_pathway, clinical_svgs, pathway_criteria,
                                      possible_points)
from pannet_guideline.tables import columns_from_canonical

pytestmark = pytest.mark.xdist_group("pathways")  # with --dist loadgroup, one worker draws the pathways once for all these tests



def _quick_policy(k, key):
    "The policy whose chart of the question the quick run reads: the policies in turn, question by question (the full run reads both)."
    turn = POLICIES[k % len(POLICIES):] + POLICIES[:k % len(POLICIES)]
    return next((p for p in turn if pathway_criteria(key, p) is not None), turn[0])  # drawn or not, known without drawing


ALL = [pytest.param(q.key, p, marks=[] if p == _quick_policy(k, q.key) else [pytest.mark.slow])
       for k, q in enumerate(QUESTIONS) for p in POLICIES]


def _routes(p):
    "Every route from the top to an ending: [(node id, edge index)]."
    out, todo = [], [(p.root, [])]
    while todo:
        at, path = todo.pop()
        if isinstance(at, Leaf): out.append(path); continue
        for k, (_, nxt) in enumerate(p.nodes[at].edges): todo.append((nxt, path + [(at, k)]))
    return out


def _route_possible(p, route) -> bool:
    "Some patient gives every answer of the route (read with the grading and staging steps)."
    fields = {f for findings, answers, _ in CONSISTENCY for f in findings + answers}
    crits = {n: c for n, c in p.crits.items() if n in fields}
    for i, k in route:
        name = p.nodes[i].field
        if name not in crits: continue
        b = p.nodes[i].edges[k][0]
        c = crits[name]
        crits[name] = dataclasses.replace(c, members=[m for m in c.members if any(b.takes(v) for v in m)])
    return bool(_possible_classes(list(crits.values())).any()) if crits else True


def test_the_consistency_rule_comes_from_the_grading_and_staging_steps():
    "A G1 is Ki-67 below 3 % (WHO 2019); a T1 is limited to the pancreas and under 2 cm (AJCC 8); a NEC is not G1."
    import pandas as pd
    rows = pd.DataFrame([dict(nen_class="NET", who_grade="G1", ki67_pct=5.0), dict(nen_class="NET", who_grade="G1", ki67_pct=2.0),
                         dict(nen_class="NET", who_grade="G3", ki67_pct=5.0),  # mitoses above 20 make it G3: possible
                         dict(nen_class="NET", t_category="T1", tumor_size_cm=3.0, local_invasion="none"), dict(t_category="T1", tumor_size_cm=1.5),
                         dict(t_category="T3", tumor_size_cm=1.0, local_invasion="duodenum_or_bile_duct"),
                         dict(nen_class="NEC", who_grade="G1"), dict(nen_class="NEC", who_grade="NEC"),
                         dict(m_category="M0", disease_setting="metastatic"), dict(n_category="N1", nodal_status="N0")], dtype=object)
    assert possible_points(columns_from_canonical(rows)).tolist() == [False, True, True, False, True, True, False, True, False, False]
    # the same verdicts as the package gives a patient
    assert assess(dict(differentiation="well", ki67_pct=5, mitoses_per_2mm2=1)).who_grade == "G2"
    assert assess(dict(differentiation="well", tumor_size_cm=3, local_invasion="none")).t_category == "T2"


@pytest.mark.parametrize("key,policy", ALL, ids=lambda x: str(x))
def test_no_branch_that_no_patient_can_take(key, policy):
    p = clinical_pathway(key, policy)
    if p is None or isinstance(p.root, Leaf): return
    bad = [[" ".join(x) for x in [(_edge_names(p, p.nodes[i])[0], _edge_names(p, p.nodes[i])[1][k]) for i, k in r]]
           for r in _routes(p) if not _route_possible(p, r)]
    assert not bad, bad[:3]


def test_grade_and_size_are_not_asked_again_where_they_are_settled():
    p = clinical_pathway("localized-nf", "nccn-2025")
    for r in _routes(p):
        said = [(_edge_names(p, p.nodes[i])[0], _edge_names(p, p.nodes[i])[1][k]) for i, k in r]
        assert not (("WHO grade?", "G1") in said and any(q == "Ki-67?" and "≥ 3" in a for q, a in said)), said
        assert not (("T category?", "T1") in said and any(q == "Tumour size?" and a.startswith("> 2") for q, a in said)), said
        assert not any(q == "T category?" and "T2" in a for q, a in said if ("Tumour size?", "≤ 1 cm") in said), said


def _text(svg: str) -> str:
    import html
    return html.unescape(" ".join(re.findall(r"<text[^>]*>([^<]*)</text>", svg)))


def _entry(svg: str) -> tuple:
    "A part's entry box as text, and the node its arrow leads to."
    import html
    box = re.search(r"<title>E</title>(.*?)</g>", svg, flags=re.S)[1]
    top = re.search(r"<title>E&#45;&gt;N(\d+)</title>", svg)
    return " ".join(html.unescape(t) for t in re.findall(r"<text[^>]*>([^<]*)</text>", box)), int(top[1]) if top else None


@pytest.mark.parametrize("key,policy", [("advanced-g12-first", "seed-2025"), ("localized-nf", "nccn-2025"), ("advanced-local", "nccn-2025"),
                                        ("localized-f", "nccn-2025"), ("advanced-g3-favourable", "seed-2025"), ("advanced-g12-progression", "nccn-2025")], ids=lambda x: str(x))
def test_a_part_entry_states_every_route_into_it(key, policy):
    "The box a part starts with names every answer on each way in (it used to name the last answer of one of them only)."
    p = clinical_pathway(key, policy)
    svgs, _, _ = clinical_svgs(p)
    assert len(svgs) > 1
    for svg in svgs[1:]:
        text, top = _entry(svg)
        assert text.startswith("Continued from part"), text
        routes = [r[:next(n for n, (i, _) in enumerate(r) if i == top)] for r in _routes(p) if any(i == top for i, _ in r)]
        routes = list(dict.fromkeys(tuple(r) for r in routes))
        said = lambda r: [f"{_edge_names(p, p.nodes[i])[0]} {_edge_names(p, p.nodes[i])[1][e]}" for i, e in r]
        if len(routes) <= 3:
            assert text.count(" or: ") == len(routes) - 1, (text, len(routes))
            for r in routes:
                assert all(x in text for x in said(r)), (text, said(r))
        else:
            assert "several routes" in text


def test_continuation_boxes_link_to_their_part():
    "Each dashed 'continued in part N' box is a link to that part's anchor on the page, as is each part's entry box."
    p = clinical_pathway("advanced-g12-first", "seed-2025")
    svgs, _, _ = clinical_svgs(p, href="#advanced-g12-first-seed-2025-part-{part}")
    boxes = 0
    for svg in svgs:
        for href, body in re.findall(r'<a xlink:href="([^"]+)"[^>]*>(.*?)</a>', svg, flags=re.S):
            for n in re.findall(r"continued in part (\d+)", body):
                assert href == f"#advanced-g12-first-seed-2025-part-{n}"; boxes += 1
        assert len(re.findall(r">continued in part \d+</text>", svg)) == len([1 for h, b in re.findall(r'<a xlink:href="([^"]+)"[^>]*>(.*?)</a>', svg, flags=re.S)
                                                                             if ">continued in part" in b])
    assert boxes >= len(svgs) - 1


@pytest.mark.parametrize("key,policy", ALL, ids=lambda x: str(x))
def test_a_green_ending_holds_a_recommendation_without_a_condition(key, policy):
    "An ending is coloured green exactly when it recommends something whatever the conditions; a line that holds only under a condition (\"if not given before\", \"if insulinoma\") sits on white below the coloured part and never colours it."
    import html
    p = clinical_pathway(key, policy)
    if p is None: return
    endings = 0
    conditional = re.compile(r"^(If |After )|^[A-Z][a-z]+, (if|after) ")  # a condition heading the ending, or on the line
    for svg in clinical_svgs(p)[0]:
        for body in re.findall(r'<g [^>]*class="node"[^>]*>\s*<title>L[^<]*</title>(.*?)</g>', svg, flags=re.S):
            endings += 1
            parts = re.split(r'<polygon fill="#ffffff" stroke="transparent"', body)  # the coloured part, then the white one
            said = lambda part: [html.unescape(t) for t in re.findall(r"<text[^>]*>([^<]*)</text>", part)]
            firm = [x for x in re.sub(r"^[A-Z]\d*: ", "", "\n".join(said(parts[0]))).split("\n") if x]
            assert not any(conditional.match(x) for x in firm), (key, policy, firm)  # nothing waits on a condition in the colour
            assert any(x.startswith("Recommended:") for x in firm) == ('fill="#cfe8cf"' in body), (key, policy, said(body))
    assert endings or isinstance(p.root, Leaf) and not p.root.fired


@pytest.mark.parametrize("key,policy", ALL, ids=lambda x: str(x))
def test_labels_not_codes_on_the_pathways(key, policy):
    "What a reader sees on a pathway and in its notes names treatments and tests by their labels, never by their codes."
    import html
    from pannet_guideline.pathway import unknown_note
    p = clinical_pathway(key, policy)
    if p is None: return
    svgs, _, notes = clinical_svgs(p)
    seen = " ".join(html.unescape(t) for s in svgs for t in re.findall(r"<text[^>]*>([^<]*)</text>", s))
    from pannet_guideline.pathway import unasked_notes
    seen += " " + " ".join(unknown_note(p, n) for n in list(notes) + unasked_notes(p, notes))
    codes = re.findall(r"\b[A-Z][A-Z0-9]*_[A-Z0-9_]+\b|\(CAPTEM\)|\(SSA\)", seen)
    assert not codes, codes[:5]


@pytest.mark.parametrize("key,policy", [("localized-nf", "nccn-2025"), ("advanced-g12-first", "nccn-2025"), ("advanced-local", "nccn-2025")],
                         ids=lambda x: str(x))
def test_a_question_entered_from_another_part_says_so(key, policy):
    "Where a part continues into the middle of another part, that part shows, at the question, the part it also comes from."
    import html
    p = clinical_pathway(key, policy)
    svgs, _, _ = clinical_svgs(p)
    text = [html.unescape(" ".join(re.findall(r"<text[^>]*>([^<]*)</text>", s))) for s in svgs]
    pairs = [(k + 1, int(n)) for k, t in enumerate(text) for n in re.findall(r"continued in part (\d+) at: ", t)]
    for k, n in pairs:
        assert re.search(rf"also from parts? [\d, and]*\b{k}\b", text[n - 1]), (k, n, text[n - 1][:300])
    assert pairs or key != "localized-nf"


@pytest.mark.parametrize("key,policy", ALL, ids=lambda x: str(x))
def test_every_numbered_note_belongs_to_a_question_on_the_chart(key, policy):
    "A note [n] under the chart is marked on a question of the chart; answers not asked have their notes apart, unnumbered."
    from pannet_guideline.pathway import unasked_notes
    p = clinical_pathway(key, policy)
    if p is None: return
    svgs, _, notes = clinical_svgs(p)
    for name, k in notes.items():
        assert any(f"[{k}]" in s for s in svgs), (key, policy, name, k)
    assert not set(unasked_notes(p, notes)) & set(notes)


def test_surveillance_waits_on_a_measured_ki67_and_the_page_says_so():
    "Surveillance needs a G1 with a measured Ki-67 below 3 %: a G1 by mitoses alone (Ki-67 unknown) is held, and the notes say so."
    from pannet_guideline.pathway import unasked_notes, unknown_note
    for policy in POLICIES:
        p = clinical_pathway("localized-nf", policy)
        _, _, notes = clinical_svgs(p)
        said = [unknown_note(p, n) for n in list(notes) + unasked_notes(p, notes) if n == "ki67_pct"]
        assert said and "held until it is known" in said[0] and "surveillance" in said[0], (policy, said)


SYNDROMES = ("functional-insulinoma", "functional-gastrinoma", "functional-glucagonoma-vipoma")


@pytest.mark.parametrize("key,policy", [(k, p) for k in SYNDROMES for p in POLICIES], ids=lambda x: str(x))
def test_a_syndromes_own_pathway_asks_nothing_of_another_syndrome(key, policy):
    "An insulinoma is not asked about carcinoid syndrome: that finding takes the pathway of the other syndromes."
    p = clinical_pathway(key, policy)
    assert {n.field for n in p.nodes.values()}.isdisjoint({"carcinoid_syndrome", "functional_syndrome"})
    other = clinical_pathway("functional-other", policy)
    both = dict(functional_syndrome="insulinoma", carcinoid_syndrome=True, nen_class="NET")
    assert p.question.entry.record(both) is False and other.question.entry.record(both) is True  # still on a pathway, the other one


def _ending_text(key, policy):
    from pannet_guideline.pathway import _leaf_lines
    p = clinical_pathway(key, policy)
    return " ".join(x for n in p.nodes.values() for _, t in n.edges if isinstance(t, Leaf) for x in _leaf_lines(p, t))


@pytest.mark.parametrize("key,words", [("functional-insulinoma", "diazoxide"), ("functional-gastrinoma", "proton-pump inhibitor"),
                                       ("functional-glucagonoma-vipoma", "raised blood glucose"), ("functional-glucagonoma-vipoma", "potassium")])
def test_syndrome_control_is_said_for_its_syndrome(key, words):
    "clinical_facts 5.1-5.3: what controls each syndrome, written on the endings instead of the generic label."
    for policy in POLICIES:
        text = _ending_text(key, policy)
        assert words in text and "control of the hormone syndrome" not in text.lower(), (key, policy)


def test_every_rule_giving_syndrome_control_says_what_it_is():
    from pannet_guideline.audit import all_tables
    from pannet_guideline.pathway import RULE_MEANINGS
    generic = {r.id for t in all_tables() for r in t.rules if str(r.then) == "SYNDROME_CONTROL"}
    assert generic and generic <= set(RULE_MEANINGS)


def test_alerts_under_a_pathway_are_its_own_and_in_words():
    from pannet_guideline.pathway import pathway_alerts
    ins = {r.id: w for _, r, w in pathway_alerts(clinical_pathway("functional-insulinoma", "seed-2025"))}
    assert "ALF-SSA-HYPOGLYCAEMIA" in ins and "ALF-GLUCAGONOMA-ANTICOAGULATION" not in ins and "ALF-VIPOMA-ELECTROLYTES" not in ins
    assert ins["ALF-SSA-HYPOGLYCAEMIA"] == "SSTR-negative"  # "insulinoma and" is what the pathway is for: not said again
    for q in QUESTIONS:
        for policy in POLICIES:
            p = clinical_pathway(q.key, policy)
            for _, r, words in pathway_alerts(p) if p else ():
                assert not re.search(r"_|==|>=|<=|&|\|", words), (r.id, words)  # no field names, codes or program operators


@pytest.mark.parametrize("key,policy", ALL, ids=lambda x: str(x))
def test_every_question_on_a_chart_has_a_note_on_its_unknown_answer(key, policy):
    "A reader meets unknown answers all the time: every question drawn carries a numbered note saying what happens then."
    from pannet_guideline.pathway import unknown_note
    p = clinical_pathway(key, policy)
    if p is None: return
    _, names, notes = clinical_svgs(p)
    assert {n.field for n in p.nodes.values()} <= set(notes), (key, policy)
    for name in notes:
        note = unknown_note(p, name, names)
        assert re.search(r"held until it is known|given only while it is unknown|not known whether this pathway applies|"
                         r"the endings are those for the answer|does not change anything|depends on the other answers", note), note


@pytest.mark.parametrize("policy", POLICIES)
def test_an_unknown_grade_leaves_the_localised_pathway_open_and_holds_its_recommendations(policy):
    "A localised non-functioning tumour with no grade may be a G3: whether the G1/G2 pathway applies is open, and its recommendations wait."
    from pannet_guideline.pathway import unknown_note
    p = clinical_pathway("localized-nf", policy)
    small = dict(disease_setting="localized", nen_class="NET", who_grade="G1", ki67_pct=1.0, functional_syndrome="none", carcinoid_syndrome=False,
                 tumor_size_cm=0.8, t_category="T1", n_category="N0", local_invasion="none", near_main_duct=False, symptomatic=False, prior_therapies=())
    no_grade = {**small, "who_grade": None}
    assert p.question.entry.record(small) is True and p.question.entry.record(no_grade) is None
    undecided = {r.id for t in p.tables for r in t.rules if r.when.record(no_grade) is None}
    assert undecided, "the tables themselves wait on the grade"
    _, names, notes = clinical_svgs(p)
    note = unknown_note(p, "who_grade", names)
    assert "who_grade" in notes and "not known whether this pathway applies" in note and "held until it is known" in note, note
    assert "active surveillance" in note or "all these endings give" in note, note  # every ending's items wait, surveillance among them


@pytest.mark.parametrize("key", ("functional-insulinoma", "functional-gastrinoma", "functional-glucagonoma-vipoma", "functional-other"))
@pytest.mark.parametrize("policy", POLICIES)
def test_an_unknown_progression_on_a_functioning_chart_reads_as_stable_as_the_tables_read_it(key, policy):
    "The functioning tables give with progression unknown what they give with it stable; the note says so, and names the answer."
    from pannet_guideline.pathway import unknown_note
    p = clinical_pathway(key, policy)
    note = unknown_note(p, "progression")
    assert "“stable”" in note and "Progression?" in note, note
    syndrome = {"functional-insulinoma": "insulinoma", "functional-gastrinoma": "gastrinoma", "functional-glucagonoma-vipoma": "vipoma",
                "functional-other": "somatostatinoma"}[key]
    for setting in ("localized", "metastatic"):
        for sstr in ("positive", "negative"):
            rec = dict(disease_setting=setting, nen_class="NET", who_grade="G2", functional_syndrome=syndrome, carcinoid_syndrome=False,
                       sstr_status=sstr, symptomatic=True, prior_therapies=(), progression=None)
            assert p.question.entry.record(rec) is True
            for t in p.tables:
                assert t.decide(rec).outcome == t.decide({**rec, "progression": "stable"}).outcome, (t.name, setting, sstr)


def test_a_negated_list_says_how_far_the_not_reaches():
    "'not asymptomatic, low burden and stable' could negate the first word only: the words push the negation in, or bracket the list."
    from pannet_guideline.advanced import low_burden_stable
    from pannet_guideline.logic import Field
    from pannet_guideline.pathway import condition_words
    pushed = condition_words(~low_burden_stable)
    assert pushed.startswith("either ") and " or " in pushed and "asymptomatic" not in pushed, pushed
    assert all(w in pushed for w in ("symptomatic", "high", "progressive")), pushed  # De Morgan: each conjunct's opposite
    kept = condition_words(~((Field("functional_syndrome") == "insulinoma") & (Field("tumor_size_cm") < 2)))
    assert kept.startswith("not all of (") and "insulinoma" in kept, kept  # 'not insulinoma' has no single plain opposite
    assert condition_words(~(Field("tumor_size_cm") < 2)) == "tumour size ≥ 2 cm"


@pytest.mark.parametrize("key,policy", ALL, ids=lambda x: str(x))
def test_questions_use_the_readers_names_not_the_engines(key, policy):
    "A question names what a clinician knows: never a derived field's internal phrase or a policy tag."
    p = clinical_pathway(key, policy)
    if p is None: return
    asked = [_edge_names(p, n)[0] for n in p.nodes.values()]
    bad = [q for q in asked if re.search(r"listed now|\((NCCN|seed)[^)]*\)\?$|_", q)]
    assert not bad, bad
    if "surveillance_listed" in {n.field for n in p.nodes.values()}:
        assert "Watching is an option (localised disease)?" in asked, asked
