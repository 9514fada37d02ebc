"""The docs helpers: statement ids become links, diagrams are never shrunk below readable text, and the browser check
catches what a reader would trip over."""
import os
import re
import shutil
from pathlib import Path

import pytest

from conftest import load_tool

pytestmark = pytest.mark.xdist_group("pathways")  # with --dist loadgroup, one worker draws the pathways once for all these tests

ROOT = Path(__file__).resolve().parents[1]

build_docs = load_tool("build_docs")


def test_statement_ids_become_links_outside_code():
    ids = {"seed.08", "seed.10"}
    md = "Resect at 2 cm (`seed.08`), watch below (seed.10); not seed.081.\n```\nseed.08\n```"
    out = build_docs._statement_links(md, ids)
    assert "[`seed.08`](register.html#seed.08)" in out and "[seed.10](register.html#seed.10)" in out
    assert "seed.081" in out and "register.html#seed.081" not in out
    assert out.endswith("```\nseed.08\n```")  # code blocks are left alone


def test_figures_never_shrink_text_below_readable(tmp_path):
    from pannet_guideline import localized
    from pannet_guideline.pathway import pathways, to_dot, to_svg
    svg = to_svg(to_dot(pathways(localized.LOCALIZED_NCCN)[0]))
    html = build_docs._figure(svg, "x.svg", "t", tmp_path)
    natural = float(re.search(r'<svg width="([\d.]+)pt"', svg)[1]) * 4 / 3
    least = float(re.search(r"min-width:(\d+)px", html)[1]) / natural
    smallest_pt = min(float(x) for x in re.findall(r'font-size="([\d.]+)"', svg))
    assert smallest_pt * 4 / 3 * least >= 9
    assert (tmp_path / "x.svg").exists() and 'href="pathways/x.svg"' in html


@pytest.mark.skipif(not shutil.which("chromium"), reason="Debian's chromium is installed by tools/setup_env.sh as root")
def test_browser_check_flags_bad_pages(tmp_path):
    check = load_tool("check_pages")
    # a 2000-unit-wide diagram drawn 300 px wide: its 12-unit text renders at 1.8 px
    tiny = '<svg xmlns="http://www.w3.org/2000/svg" width="300" height="15" viewBox="0 0 2000 100"><text x="0" y="50" font-size="12">tiny</text></svg>'
    (tmp_path / "bad.html").write_text(
        "<html><body style='margin:0'><div style='width:2000px'>wide</div><img src='missing.png'>"
        f"<div style='width:300px'>{tiny}</div>"
        "<a href='nowhere.html'>x</a><script>console.error('boom')</script></body></html>")
    (tmp_path / "good.html").write_text("<html><body><p>fine</p><a href='good.html'>self</a></body></html>")
    srv, browser = check.serve(tmp_path), check.Browser()
    base = f"http://127.0.0.1:{srv.server_address[1]}"
    try:
        bad = "\n".join(check.check_page(browser, base, tmp_path, "bad.html", None))
        good = check.check_page(browser, base, tmp_path, "good.html", None)
    finally:
        browser.close(); srv.shutdown()
    for what in ("wider than", "broken image", "broken link", "console error", "diagram text"):
        assert what in bad, (what, bad)
    assert good == []


def test_sources_link_their_doi_and_pmid():
    from pannet_guideline.evidence import SOURCES
    page = build_docs.register_page()
    linked = [s for s in SOURCES.values() if s.doi or s.pmid]
    assert linked, "the register holds at least one DOI or PMID"
    for s in linked:
        if s.doi: assert f'href="https://doi.org/{s.doi.strip()}"' in page, s.id
        if s.pmid: assert f'href="https://pubmed.ncbi.nlm.nih.gov/{s.pmid.strip()}/"' in page, s.id


def test_search_index_leads_from_a_rule_id_to_its_row():
    site = ROOT / "_docs"
    if not (site / "searchindex.js").exists(): pytest.skip("the docs site is built by tools/build_docs.py")
    if os.environ.get("PANNET_DOCS_BESIDE"): pytest.skip("the site is being built beside this run: tools/check_pages.py checks every id")
    check = load_tool("check_pages")
    objs = check.rule_objects(site)
    assert objs["NCCN-LOC-NF-1TO2-RESECT"].endswith("#rule-NCCN-LOC-NF-1TO2-RESECT")
    for rid, target in objs.items():
        page, anchor = target.split("#")
        assert anchor in check._ids_in(site / page), (rid, target)


def test_parts_link_to_each_other():
    svg = '<svg width="10pt"><text>continued in part 2</text><text>Continued from part 1</text></svg>'
    html = build_docs._part_links(svg, "followup", "seed-2025")
    assert 'href="#followup-seed-2025-part-2"' in html and 'href="#followup-seed-2025-part-1"' in html


def test_pathway_parts_are_drawn_in_the_page_and_link_to_each_other(tmp_path):
    "The 'continued in part N' boxes are links inside the page (an SVG in an <img> cannot be clicked), to the part's anchor."
    from pannet_guideline.pathway import clinical_pathway, clinical_svgs
    p = clinical_pathway("advanced-g12-first", "seed-2025")
    svgs, _, _ = clinical_svgs(p, href="PARTREF{part}FERTRAP")
    page = re.sub(r"PARTREF(\d+)FERTRAP", r"#q-part-\1", svgs[0])
    html = build_docs._inline_figure(page, svgs[0], "x.svg", "Part 1", tmp_path, anchor="q-part-1")
    assert "<img" not in html and "<svg" in html and 'id="q-part-1"' in html
    links = re.findall(r'<a xlink:href="#q-part-(\d+)"', html)
    assert links and set(links) == set(re.findall(r">continued in part (\d+)</text>", html))
    assert not re.search(r'\sid="(node|edge|graph)\d+"', html)  # several drawings on one page: no clashing ids


def test_every_code_has_its_label_and_text_on_the_glossary():
    from pannet_guideline.vocab import ALERTS, RECOMMENDATIONS
    page = build_docs.glossary_page()
    for code, v in list(RECOMMENDATIONS.items()) + list(ALERTS.items()):
        row = re.search(rf'<tr id="code-{code}">(.*?)</tr>', page)
        assert row and build_docs.E(v.label) in row[1] and build_docs._ticks(v.text) in row[1] and "`" not in row[1], code
    assert "glossary" in build_docs.GUIDE


def test_your_data_says_how_sizes_and_ki67_are_read():
    page = build_docs.your_data_page()
    assert "millimetres are converted to centimetres" in page
    for written in ("5%", "5 %", "2,5", "&lt;2", "4-8"):
        assert f"<code>{written}</code>" in page, written
    assert "tumor_size_cm = 1.5 cm" in page  # 15 in the mm column, read by the schema at build time
    html_cells = re.findall(r"<t[dh][^>]*>(.*?)</t[dh]>", page, flags=re.S)
    assert not [c for c in html_cells if "`" in c]  # markdown is not read inside HTML: no raw backticks


def test_alerts_under_a_pathway_and_vignettes_show_labels():
    assert build_docs.code_label("CGA_PPI_CAVEAT") == "Proton-pump inhibitors raise gastrin and chromogranin A"
    assert build_docs.code_label("CAPTEM") != "CAPTEM"
    table = build_docs.vignettes_html("localized", Path("/tmp"))  # the chapter's vignettes as the page shows them
    text = re.sub(r"<[^>]+>", " ", table)
    assert "Recommendations include Pancreatectomy" in text and "include PANCREATECTOMY" not in text and "Tumour size: 1.5 cm" in text
    assert not re.search(r"\b[a-z0-9]+_[a-z0-9_]+=", text)  # no field_name=value


def test_sources_page_lists_what_each_cell_registers():
    "The ids a registering cell names, in its order; a test's lambda is not a registration."
    srcs, sts = build_docs.registered_ids('add_source("S-X", "t", 2020, "trial")\n_seed(3, "where", "vague", "text")\n'
                                          'add_statement("a.b", "t", "S-X", "p", "A")\ntest_fail(lambda: add_statement("x", "y", "S", "p", "A"))')
    assert (srcs, sts) == (["S-X"], ["seed.03", "a.b"])
    check = load_tool("check_pages")
    assert check.raw_outputs('<div class="cell_output"><table class="dataframe"></table></div>') == ["a data frame"]
    assert check.raw_outputs('<details><summary>x</summary><table class="dataframe"></table></details>') == []  # folded: a reader opens it


def test_policy_fold_line_compares_tests_and_schedules():
    "The line on a policy's fold names what its endings give that the other's do not, tests and follow-up schedules included."
    from pannet_guideline.pathway import clinical_pathway
    from pannet_guideline.workup import WORKUP_ITEMS
    seed, nccn = clinical_pathway("workup", "seed-2025"), clinical_pathway("workup", "nccn-2025")
    line = build_docs._differs(seed, nccn)
    cga = WORKUP_ITEMS["CHROMOGRANIN_A_5HIAA_BASELINE"].split(";")[0].lower()  # the seed's baseline markers (seed item 3), in no NCCN rule
    assert "only here: " in line and cga[:20] in line.lower() and "the same items" not in line
    assert "the same items" not in build_docs._differs(nccn, seed)
    fu_seed, fu_nccn = clinical_pathway("followup-resected", "seed-2025"), clinical_pathway("followup-resected", "nccn-2025")
    line = build_docs._differs(fu_seed, fu_nccn)
    assert "only here: schedule after curative surgery" in line and "not here: schedule" in line


def test_dangling_colons_are_found():
    "A sentence ending in ':' before a heading, another paragraph, a folded cell or the end of a section is a problem; before a list or table it is not."
    check = load_tool("check_pages")
    bad = "<p>The table:</p>\n<section id='x'><h2>Next</h2><p>Two:</p><p>more</p><p>Three:</p>\n<div class=\"cell tag_hide-cell docutils\"></div><p>End:</p></section>"
    good = "<p>The items:</p><ul><li>a</li></ul><p>A table:</p><div class=\"cell tag_hide-input docutils\"><table></table></div>"
    assert len(check.dangling_colons(bad)) == 4 and check.dangling_colons(good) == []


def test_sentences_introducing_a_hidden_check_keep_their_promise():
    "A reader's page shows a short folded output the sentence before it introduces, and ends the sentence with a full stop when nothing would follow."
    md = lambda t: dict(cell_type="markdown", source=t, metadata={})
    code = lambda tags, out: dict(cell_type="code", source="x", metadata={"tags": tags}, outputs=out)
    small = [{"output_type": "execute_result", "data": {"text/plain": ["1"]}}]
    cells = [md("Shown:"), code(["hide-cell"], small), md("Dropped:"), code(["remove-cell"], []), md("## Next"), md("A list:"), md("- a")]
    build_docs._keep_promises(cells)
    assert cells[1]["metadata"]["tags"] == ["hide-input"] and cells[0]["source"] == "Shown:"
    assert cells[2]["source"] == "Dropped." and cells[5]["source"] == "A list:"


def test_a_fold_header_says_same_items_only_when_items_and_strengths_agree():
    "The line over each policy's pathway says 'the same items' only when both policies give the same items at the same firmest strength (and, tested beside the endings' lines, under the same conditions)."
    from pannet_guideline.guideline import POLICIES
    from pannet_guideline.pathway import QUESTIONS, Leaf, clinical_pathway, rule_label
    def firmest(p):  # read from the endings' rules here, apart from the build's own summary
        order, out = ("recommended", "consider", "option"), {}
        endings = [t for n in p.nodes.values() for _, t in n.edges if isinstance(t, Leaf)] + ([p.root] if isinstance(p.root, Leaf) else [])
        for lf in endings:
            for rid in lf.fired:
                t, r = p.rule(rid)
                if t.output in ("workup", "followup_schedule"): out[(t.output, rule_label(t, r))] = t.output  # a test or schedule: no strength
                elif t.output == "recommendations" and r.strength in order:
                    k = (t.output, rule_label(t, r)); out[k] = min(out.get(k, r.strength), r.strength, key=order.index)
        return out
    checked = 0
    for q in QUESTIONS:
        a, b = (clinical_pathway(q.key, pol) for pol in POLICIES[:2])
        if a is None or b is None: continue
        same = firmest(a) == firmest(b)
        for x, y in ((a, b), (b, a)):  # the same firmest strengths are not enough: the conditions count too (test_reader_fold_notes)
            assert same or "the same items" not in build_docs._differs(x, y), (q.key, x.policy, build_docs._differs(x, y))
            if not same: assert "other strength" in build_docs._differs(x, y) or "only here" in build_docs._differs(x, y) or "not here" in build_docs._differs(x, y)
        checked += 1
    assert checked > 10
    nec = [clinical_pathway("localized-nec", pol) for pol in POLICIES[:2]]
    assert "other strength" in build_docs._differs(*nec)  # recommended and consider under the seed, options under NCCN


def test_the_audit_page_lists_each_rule_once_per_seed_item_and_shows_its_rule_table():
    "The seed-traceability table of the built audit page names a rule once per item; the table of every rule is not folded in a code cell."
    site = ROOT / "_docs"
    if not (site / "audit.html").exists(): pytest.skip("the docs site is built by tools/build_docs.py")
    h = (site / "audit.html").read_text(encoding="utf-8")
    at = h.find("<th>rules, or why none</th>")
    assert at > 0
    rows = re.findall(r"<tr>(.*?)</tr>", h[at:h.find("</table>", at)], re.S)
    for row in rows:
        last = re.sub("<[^>]+>", "", re.findall(r"<td>(.*?)</td>", row, re.S)[-1])
        ids = [x.strip() for x in re.split(r"[;,]", last) if re.fullmatch(r"\s*[A-Z0-9-]+\s*", x)]
        assert len(ids) == len(set(ids)), last
    assert len(rows) == 38
    first_rule = h.find('<table class="rules cited-rules">')
    assert first_rule > 0 and "Show code cell content" not in h[h.rfind('<div class="cell', 0, first_rule):first_rule]


def test_the_audit_page_shows_prose_and_tables_not_python():
    "On the audit page a code cell shows its output alone, a check with nothing to show is dropped with any heading left empty, and the functions' folded documentation comes once, at the end."
    md = lambda t, i: dict(cell_type="markdown", id=i, source=t, metadata={})
    code = lambda src, tags, out, i: dict(cell_type="code", id=i, source=src, metadata={"tags": tags}, outputs=out)
    table = [{"output_type": "display_data", "data": {"text/html": ["<table></table>"]}}]
    cells = [md("# Audit\n\n> lead", "t"), md("## Who uses each table", "h1"), code("show_doc(table_users)", ["remove-input"], table, "d1"),
             md("## The audit table", "h3"), code("def audit_table(): pass", ["remove-input"], [], "f1"), md("## Every rule\n\nBeside what it cites.", "h2"), code("HTML(audit_html())", ["hide-input"], table, "c1"), code("test_eq(page.count('x'), 3)", ["hide-cell"], table, "c2"),
             code("show_doc(audit_html)", ["remove-input"], table, "d2")]
    out = build_docs.prose_only(cells)
    assert [c["id"] for c in out] == ["t", "h2", "c1", "for-programmers", "d1", "d2"]  # the heading with only documentation under it is gone
    assert out[2]["metadata"]["tags"] == ["remove-input"]
    site = ROOT / "_docs"
    if not (site / "audit.html").exists(): pytest.skip("the docs site is built by tools/build_docs.py")
    h = (site / "audit.html").read_text(encoding="utf-8")
    assert "Show code cell" not in h and "cell_input" not in h
    folds = [m.start() for m in re.finditer(r"<summary>For programmers: ", h)]
    assert folds and min(folds) > h.index('id="for-programmers"') and h.index('id="for-programmers"') > h.index("<th>rules, or why none</th>")


def test_reader_prose_names_pages_and_table_titles_not_python_names():
    from pannet_guideline.localized import LOCALIZED_SEED
    md = "Read `LOCALIZED_SEED` (see `pannet_guideline.staging`, cut-offs in pannet_guideline.concepts.CUTS); rule WU-STAGING-SETTING stays.\n```\nLOCALIZED_SEED\n```"
    out = build_docs.reader_names(md)
    assert "pannet_guideline" not in out.split("```")[0] and "LOCALIZED_SEED" not in out.split("```")[0]
    assert f"*{LOCALIZED_SEED.title}*" in out and "(staging.html)" in out and "WU-STAGING-SETTING" in out
    assert out.split("```")[1].strip() == "LOCALIZED_SEED"  # a code block is left alone
    build_docs.CODE_HIDDEN[0] = True
    try: assert build_docs.proof_tags("rules_table(LOCALIZED_NCCN)", [{"data": {"text/html": "<table></table>"}}]) == {"hide-input"}
    finally: build_docs.CODE_HIDDEN[0] = False


def test_a_pathway_opened_full_size_keeps_its_legend_and_notes(tmp_path):
    "'Open full size' leads to the part on a page of its own, with the legend, the notes on unknown answers and the way back."
    section = build_docs.clinical_section("functional", tmp_path)
    pages = sorted(tmp_path.glob("clinical-*.html"))
    assert pages and all(f'href="pathways/{p.name}">(open full size)' in section for p in pages)
    for page in pages:
        text = page.read_text(encoding="utf-8")
        assert "<svg" in text and "How to read this pathway" in text and "Not a medical device" in text, page.name
        assert 'href="../functional.html#' in text and "PARTREF" not in text and ".svg\"" not in text, page.name
    assert any("When an answer is unknown" in p.read_text(encoding="utf-8") for p in pages)
