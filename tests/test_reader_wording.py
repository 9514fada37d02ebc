"""Words a reader meets once, the same everywhere: the confirmation tags defined in one place, a rule listed once per
seed statement, and chapter pages without the engine's words (a Python signature, a 'hit policy')."""
import importlib.util
import re
from pathlib import Path

import pytest

from pannet_guideline.audit import seed_traceability
from pannet_guideline.evidence import CONFIRMATION_TAGS, TAG_MEANINGS, tag_legend
from pannet_guideline.tables import HIT_POLICIES, HIT_POLICY_WORDS

pytestmark = pytest.mark.xdist_group("pathways")  # with --dist loadgroup, one worker draws the pathways once for all these tests

ROOT = Path(__file__).resolve().parents[1]


def _load(name):
    spec = importlib.util.spec_from_file_location(name, ROOT / "tools" / f"{name}.py")
    mod = importlib.util.module_from_spec(spec); spec.loader.exec_module(mod)
    return mod


def test_every_seed_statement_lists_each_rule_once_in_order():
    trace = seed_traceability()
    for row in trace.itertuples():
        rules = [r for r in row.rules.split("; ") if r]
        assert len(rules) == len(set(rules)), (row.statement, rules)
    assert (trace["rules"] != "").any()


def test_the_tags_are_defined_once_and_the_pages_read_them():
    assert set(TAG_MEANINGS) == set(CONFIRMATION_TAGS)
    assert all(f"{t}: {TAG_MEANINGS[t]}" in tag_legend() for t in CONFIRMATION_TAGS)
    build_docs = _load("build_docs")
    assert tag_legend() in build_docs.register_page()
    # no page writes its own meaning of a tag: the old wordings are gone from the notebooks and the build
    texts = [p.read_text(encoding="utf-8") for p in [*(ROOT / "nbs").glob("*.ipynb"), ROOT / "tools" / "build_docs.py"]]
    for old in ("A: read in the primary text", "**A** read in the primary text", "B: secondary or partial"):
        assert not any(old in t for t in texts), old


def test_every_hit_policy_has_reader_words():
    assert set(HIT_POLICY_WORDS) == set(HIT_POLICIES)
    assert not any("hit policy" in w for w in HIT_POLICY_WORDS.values())


def test_engine_words_are_found_where_a_reader_sees_them_and_not_in_folds():
    check = _load("check_pages")
    page = ('<article><p>All tables use the hit policy collect.</p><pre>def observation_band(\n  c)</pre>'
            '<details><summary>For programmers</summary><pre>def high_risk(\n c)</pre></details>'
            '<p>Give <b>Pancreatectomy</b> <code class="code-id">PANCREATECTOMY</code>, and <code>PANCREATECTOMY</code> when <code>who_grade</code> is G1; see <code>seed.08</code>.</p></article>')
    found, codes = check.engine_words(page)
    assert sorted(found, key=str.lower) == ["def observation_band(", "hit policy"]
    assert codes == ["PANCREATECTOMY", "who_grade"]


def test_a_show_doc_block_on_a_chapter_page_is_folded_with_its_anchor_kept():
    build_docs = _load("build_docs")
    md = '<a id="observation_band"></a>\n\n### observation_band\n\n```python\ndef observation_band(c:dict) -> Expr:\n```\n\n*NCCN band.*'
    out = build_docs._folded_signature(md)
    assert out.startswith('<a id="observation_band"></a>')
    assert re.search(r"<details[^>]*>.*def observation_band.*</details>", out, re.S)


def test_the_seed_prose_of_the_localised_chapter_says_what_its_rules_do():
    "A small NET G1 is watched with no operation at 1 cm or less, operated on above it; a G2 is resected whatever its size: the rules do it and the prose says it."
    from pannet_guideline.guideline import assess
    from pannet_guideline.localized import localized_prose
    base = dict(m_category="M0", n_category="N0", local_invasion="none", differentiation="well", functional_syndrome="none", symptomatic=False)
    small = assess({**base, "tumor_size_cm": 0.8, "ki67_pct": 1.0}, "seed-2025")
    middle = assess({**base, "tumor_size_cm": 1.5, "ki67_pct": 1.0}, "seed-2025")
    g2 = assess({**base, "tumor_size_cm": 0.8, "ki67_pct": 8.0}, "seed-2025")
    assert "ACTIVE_SURVEILLANCE" in small.recommendations and "PANCREATECTOMY" not in small.recommendations
    assert {"ACTIVE_SURVEILLANCE", "PANCREATECTOMY"} <= set(middle.recommendations.split(";"))
    assert "PANCREATECTOMY" in g2.recommendations and "ACTIVE_SURVEILLANCE" not in g2.recommendations
    prose = localized_prose("seed")
    assert "1 cm or less is watched with no\noperation recommended" in prose and "resects a G2 tumour\nwhatever its size" in prose
    assert "no lower limit" not in prose


def test_the_sources_page_defines_the_tags_as_the_register_does():
    "The sources notebook's prose gives each confirmation tag the register's one definition (`TAG_MEANINGS`)."
    import json
    nb = json.loads((ROOT / "nbs" / "00a_sources.ipynb").read_text(encoding="utf-8"))
    prose = " ".join(re.sub(r"\s+", " ", "".join(c["source"])) for c in nb["cells"] if c["cell_type"] == "markdown")
    for tag, meaning in TAG_MEANINGS.items():
        assert f"`{tag}` {meaning}" in prose, (tag, meaning)
    assert "quotations in other documents (`C`)" not in prose


def test_pages_that_show_tags_say_what_they_mean():
    site = ROOT / "_docs"
    if not (site / "audit.html").exists(): import pytest; pytest.skip("the docs site is built by tools/build_docs.py")
    import html as _html
    for stem in ("audit", "sources", "register", "localized", "advanced"):
        text = _html.unescape((site / f"{stem}.html").read_text(encoding="utf-8"))
        assert "register.html#confirmation-tags" in text or stem == "register", stem
        if stem in ("audit", "sources", "register"): assert tag_legend() in text, stem  # the one definition, word for word


_VERB = re.compile(r"\b(is|are|was|were|has|have|had|applies|apply|changes|meets|does)\b")


def _whether_clauses(text: str) -> list:
    "Each 'whether ...' of a note, up to the next comma, colon or semicolon."
    return [m[1] for m in re.finditer(r"\bwhether ([^,:;]*)", text)]


def test_every_pathway_note_names_its_question_in_a_clause():
    "Under both policies, each note under a chart (an unknown answer, or an answer the chart does not ask) opens with a capital, names its question, and says 'whether' only before a clause."
    from pannet_guideline.guideline import POLICIES
    from pannet_guideline.pathway import FIELDS, QUESTIONS, _lower, clinical_pathway, clinical_svgs, field_of, unasked_groups, unknown_note
    from pannet_guideline.vocab import RECOMMENDATIONS
    seen = 0
    for q in QUESTIONS:
        for policy in POLICIES:
            p = clinical_pathway(q.key, policy)
            if p is None: continue
            _, names, notes = clinical_svgs(p)
            groups = unasked_groups(p, notes)
            for name in list(notes) + [n for _, ns in groups for n in ns]:
                note, seen = unknown_note(p, name, names), seen + 1
                where = (q.key, policy, name, note)
                assert note[:1].isupper(), where
                if ":" in name: asked = _lower(RECOMMENDATIONS[name.split(":")[1]].label) + " was given before"
                elif FIELDS[field_of(name)].derived and FIELDS[field_of(name)].kind == "flag": asked = f"‘{FIELDS[field_of(name)].label[:1].upper()}"
                else: asked = _lower(FIELDS[field_of(name)].label)
                assert asked in note, where  # the question, by its label or in quotes
                assert all(_VERB.search(w) for w in _whether_clauses(note)), where  # 'whether a small tumour to watch' is no clause
            for why, ns in groups:
                assert why[:1].isupper() and not why.startswith("It "), (q.key, policy, why)  # a reason names what it is about
                assert all(_VERB.search(w) for w in _whether_clauses(why)), (q.key, policy, why)
            reasons = [why for why, _ in groups]
            assert len(reasons) == len(set(reasons)), (q.key, policy, reasons)  # a shared reason is said once per chart
    assert seen > 100


def test_the_men1_watch_question_asks_for_facts_not_a_conclusion():
    "The hereditary step's answer is asked by its criteria (MEN1, a small tumour meeting the watch criteria), and an unknown answer is said as a clause."
    from pannet_guideline.pathway import _edge_names, clinical_pathway, clinical_svgs, unknown_note
    p = clinical_pathway("hereditary", "nccn-2025")
    node = next(n for n in p.nodes.values() if n.field == "men1_watch")
    question, _ = _edge_names(p, node)
    assert question.startswith("MEN1 with a small tumour that meets the watch criteria") and question.endswith("?"), question
    _, names, _ = clinical_svgs(p)
    assert unknown_note(p, "men1_watch", names).startswith(f"If the answer to ‘{question}’ is unknown"), unknown_note(p, "men1_watch", names)


def test_a_negated_list_reads_as_alternatives():
    "'not (Ki-67 >= 10 % and a high burden)' reads 'either Ki-67 < 10 % or ...', and the follow-up concept of disease still to treat is a condition, not a negated noun phrase."
    from pannet_guideline.concepts import not_cured
    from pannet_guideline.logic import Field
    from pannet_guideline.pathway import condition_words
    words = condition_words(~((Field("ki67_pct") >= 10) & (Field("tumor_burden") == "high")))
    assert words.startswith("either Ki-67 < 10 % or ") and "any of" not in words, words
    assert not condition_words(not_cured).startswith("not a "), condition_words(not_cured)


def test_programming_identifiers_are_found_in_reader_prose_and_not_in_folds_tables_or_code_ids():
    check = _load("check_pages")
    page = ('<article><p>The setting is locally_advanced; see SEED_STREPTOZOCIN_VS_NCCN, written with .otherwise(False).</p>'
            '<li>Primary in place: a primary already removed</li><table><tr><td>clinical_facts</td></tr></table>'
            '<details><summary>For programmers</summary><p>visit_plan lays it out</p></details>'
            '<p>Give <b>Pancreatectomy</b> <code class="code-id">ACTIVE_SURVEILLANCE</code>, see <code>nccn.no-adjuvant</code>.</p></article>')
    assert check.identifiers(page) == ["locally_advanced", "SEED_STREPTOZOCIN_VS_NCCN", ".otherwise("]
