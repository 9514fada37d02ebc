"""Docs site without Quarto: nbdev's processed notebooks -> a Sphinx/myst-nb source tree -> HTML.

Usage: .venv/bin/python tools/build_docs.py   (site in _docs/, source tree in _sphinx/)
"""
import functools
import json
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path

import yaml
from nbdev.config import get_config
from nbdev.doclinks import _build_modidx
from nbdev.serve import proc_nbs

_direc = re.compile(r"^#\|\s*([\w-]+)\s*:\s*(.*?)\s*$")
_tags = {("echo", "false"): "remove-input", ("output", "false"): "remove-output", ("include", "false"): "remove-cell"}
_keys = dict(markdown={"cell_type", "id", "metadata", "source", "attachments"}, raw={"cell_type", "id", "metadata", "source", "attachments"},
             code={"cell_type", "id", "metadata", "source", "outputs", "execution_count"})
_h = re.compile(r"^(#{2,6}) (\S+)\s*$", re.M)


def _anchor(name): return re.sub(r"[^\w.-]", "", name.lower())  # pandoc's id for `### name`


_source_link = re.compile(r"\[source\]\([^)]*\)(\{[^}]*\})?")


def _fix_md_output(md):
    md = re.sub(r"^\s*---\s*\n", "", md, count=1)  # a leading rule makes docutils warn
    md = _source_link.sub("", md)  # links into a hosted repository: the site is read offline, next to the notebooks
    return _h.sub(lambda m: f'<a id="{_anchor(m[2])}"></a>\n\n{m[1]} {m[2]}', md, count=1)


_exp = re.compile(r"^#\|\s*default_exp\s+(\w+)", re.M)


def _field_words(md: str) -> str:
    "Prose written by a hidden cell names an input field by its label, as the hand-written prose does (`ki67_pct` -> Ki-67)."
    from pannet_guideline.schema import FIELDS
    def label(m):
        if m[1] not in FIELDS: return m[0]
        x = FIELDS[m[1]].label
        return x[0].lower() + x[1:] if x[1:2].islower() and not re.match(r"\w+-\d", x) else x
    return re.sub(r"`([a-z][a-z0-9_]*)`", label, md)


def _folded_signature(md: str) -> str:
    "On a reader's page a function's documentation (its Python signature) is folded under one line for programmers; its anchor stays for links."
    m = re.match(r'\s*(<a id="[^"]*"></a>)\s*#{2,6} (\S+)\s*\n', md)
    if not m: return md
    return f'{m[1]}\n\n<details class="fold"><summary>For programmers: <code>{m[2]}</code></summary>\n\n{md[m.end():].strip()}\n\n</details>'


_PROOF = re.compile(r"\b(test_\w+|assert_\w+)\(|^\s*assert\b|\.analyse\(|\.rules_frame\(|\.to_dot\(|graphviz\.|\bstatic_check", re.M)
_BUILD = re.compile(r"\b(DecisionTable|Rule|add_alert|add_statement|add_source|add_recommendation|register_policy|derive)\(|^(def|class|@)", re.M)


def proof_tags(source: str, outputs: list) -> set:
    "On a reader's page, code that proves rather than tells is folded (a <details>) or hidden; it stays in the notebook."
    if re.fullmatch(r"\s*(import [\w.]+|from [\w.]+ import [\w, ()]+)\s*", source): return {"remove-cell"}  # a bare import
    diagram = any("image/svg+xml" in o.get("data", {}) for o in outputs)
    if _PROOF.search(source) or diagram: return {"hide-cell"} if outputs else {"remove-cell"}  # tests, static checks, technical diagrams
    if _BUILD.search(source): return {"hide-input"} if outputs or not CODE_HIDDEN[0] else {"remove-cell"}  # table constructors and definitions: the prose and the rule tables tell it
    if CODE_HIDDEN[0]: return {"hide-input"} if outputs else {"remove-cell"}  # a chapter or evidence page shows what code gives, not the code
    return set()


PROSE_PAGES = ("audit",)  # evidence pages read as prose and tables: the code that builds or checks them is not shown


def _empty_sections(cells: list) -> list:
    "Headings with nothing left under them before the next heading of their level or above: dropped."
    level = lambda c: (len(m[1]) if c["cell_type"] == "markdown" and (m := re.fullmatch(r"\s*(#{1,6}) [^\n]+\s*", "".join(c["source"]))) else None)
    opens = lambda c: (len(m[1]) if c["cell_type"] == "markdown" and (m := re.match(r"\s*(#{1,6}) ", "".join(c["source"]))) else None)
    out = []
    for i, c in enumerate(cells):
        at = level(c)
        after = next((opens(x) for x in cells[i + 1:]), 0)  # the level of the heading the next cell opens with (0: the page ends)
        if at is not None and (i + 1 == len(cells) or (after is not None and after <= at)): continue
        out.append(c)
    return out


def prose_only(cells: list) -> list:
    "A page of prose and tables: a code cell shows its output alone (no fold that opens on code), code with no output is dropped, a check with no table to show too, and the functions' documentation (each folded under its name) is gathered once at the end, for programmers."
    body, docs = [], []
    for c in cells:
        if c["cell_type"] != "code": body.append(c); continue
        if re.match(r"\s*show_doc\(", "".join(c["source"])): docs.append(c); continue
        tags = set(c["metadata"].get("tags", []))
        if "hide-cell" in tags: tags = (tags - {"hide-cell"}) | {"remove-cell"}
        if "remove-cell" not in tags: tags = (tags - {"hide-input", "hide-output"}) | {"remove-input"}
        c["metadata"]["tags"] = sorted(tags)
        if c.get("outputs"): body.append(c)  # code with nothing to show (a definition, a check): nothing on the page
    body = _empty_sections([c for c in body if "remove-cell" not in c["metadata"].get("tags", [])])
    if not docs: return body
    head = dict(cell_type="markdown", id="for-programmers", metadata={},
                source="## For programmers\n\nThe functions that build this page, each folded under its name.")
    return body + [head] + docs


READER_PAGE = [False]  # set while a page of "The guideline" is copied
CODE_HIDDEN = [False]  # set while a chapter or an evidence page is copied: no code shown there (the pages on one's own data show how to call it)


def _module_words(m) -> str:
    "A module named in prose (pannet_guideline.staging) as a reader's link to its page."
    mod, attr = m[1], m[2] or ""
    names = {**CHAPTER_NAMES, "concepts": "the shared concepts", "vocab": "the vocabulary", "schema": "the input fields", "recorded": "recorded grades"}
    if mod == "concepts" and attr == ".CUTS": return "the clinical cut-offs ([shared concepts](concepts.html))"
    if mod == "vocab" and attr: return "the vocabulary ([codes and labels](glossary.html))"
    return f"[{names.get(mod, 'the ' + mod + ' page')}]({mod}.html)"


@__import__("functools").lru_cache(maxsize=None)
def _table_titles() -> dict:
    "The Python names the decision tables are held under (LOCALIZED_SEED...) and their titles."
    import importlib, pkgutil
    import pannet_guideline
    from pannet_guideline.tables import DecisionTable
    out = {}
    for m in pkgutil.iter_modules(pannet_guideline.__path__):
        try: mod = importlib.import_module(f"pannet_guideline.{m.name}")
        except Exception: continue  # a module that needs an optional dependency holds no table a chapter names
        out |= {k: v.title for k, v in vars(mod).items() if k.isupper() and isinstance(v, DecisionTable)}
    from pannet_guideline.vocab import ALERTS, RECOMMENDATIONS
    from pannet_guideline.workup import WORKUP_ITEMS
    return {k: v for k, v in out.items() if k not in ALERTS and k not in RECOMMENDATIONS and k not in WORKUP_ITEMS}  # a code is named by its label elsewhere


def _table_pattern() -> str:
    "A table's Python name standing alone (not inside a rule id such as WU-STAGING-SETTING)."
    return r"(?<![\w-])(" + "|".join(sorted(_table_titles(), key=len, reverse=True)) + r")(?![\w-])"


def reader_names(md: str) -> str:
    "On a chapter or evidence page, prose names no module and no table by its Python name: the module's page, the table's title."
    titles = _table_titles()
    pat = re.compile(r"`?" + _table_pattern() + r"`?") if titles else None
    out, fence = [], False
    for line in md.split("\n"):
        if line.lstrip().startswith("```"): fence = not fence
        if fence: out.append(line); continue
        line = re.sub(r"`?\bpannet_guideline\.(\w+)((?:\.\w+)*)`?", _module_words, line)
        if pat: line = pat.sub(lambda m: f"*{titles[m[1]]}*", line)
        out.append(line)
    return "\n".join(out)

# The site for readers first: the clinical chapters in clinical order, then the evidence behind them, then how to bring one's own data.
CLINICAL = ("grading", "staging", "workup", "localized", "functional", "advanced", "hereditary", "followup", "caveats")
EVIDENCE = ("register", "sources", "compare_policies", "audit", "vignettes")
YOUR_DATA = ("your_data", "recorded", "glossary")  # recorded grades: how a registry's grade column is read
PARTS = (("The guideline", CLINICAL), ("Evidence", EVIDENCE), ("Using it with your data", YOUR_DATA))
GUIDE = CLINICAL + EVIDENCE + YOUR_DATA  # the reader's pages: proofs folded, statement ids linked
VIGNETTE_ONLY = ("grading", "staging")  # chapters with vignettes and no clinical pathway
# "The engine", for developers; a page not named here comes last.
ENGINE = ("schema", "logic", "tables", "concepts", "policies", "vocab", "evidence", "cohort", "files", "pathway", "report", "cli",
          "api", "guideline", "datasets")
TITLES = {"evidence": "Evidence: sources and statements in code", "guideline": "One call: assess a patient",
          "sources": "Sources and the seed audit"}  # page titles that would read like another page's


def _page_of(nb: dict, src: Path) -> str:
    "The page a processed notebook becomes (its front matter's output-file)."
    for c in nb["cells"]:
        s = "".join(c["source"])
        if c["cell_type"] == "raw" and s.lstrip().startswith("---"):
            fm = yaml.safe_load(s.strip().strip("-")) or {}
            return Path(fm.get("output-file", src.name)).stem
    return src.stem


def fix_nb(src: Path, dst: Path, rel: Path) -> Path:
    nb = json.loads(src.read_text(encoding="utf-8"))
    fm, cells, module = {}, [], None
    READER_PAGE[0] = _page_of(nb, src) in GUIDE
    CODE_HIDDEN[0] = _page_of(nb, src) in CLINICAL + EVIDENCE
    for i, c in enumerate(nb["cells"]):
        s = "".join(c["source"])
        if c["cell_type"] == "code" and (m := _exp.search(s)): module = m[1]
        if c["cell_type"] == "markdown": c["source"] = _statement_links(reader_names(s) if CODE_HIDDEN[0] else s, STATEMENT_IDS)
        if c["cell_type"] == "raw" and s.lstrip().startswith("---"):  # front matter -> H1 and lead paragraph
            fm = yaml.safe_load(s.strip().strip("-")) or {}
            head = f"# {TITLES.get(_page_of(nb, src), fm.get('title', src.stem))}" + (f"\n\n> {fm['description']}" if fm.get("description") else "")
            c = dict(cell_type="markdown", metadata={}, source=head)
        elif c["cell_type"] == "code":  # cell options -> myst-nb tags
            lines, tags = s.splitlines(), set(c["metadata"].get("tags", []))
            while lines and (m := _direc.match(lines[0])):
                if t := _tags.get((m[1], m[2].lower())): tags.add(t)
                lines.pop(0)
            c["source"] = "\n".join(lines)
            if READER_PAGE[0]: tags |= proof_tags(c["source"], c.get("outputs", []))
            if tags: c["metadata"]["tags"] = sorted(tags)
            _svg_outputs(c, dst / "_pathways")
            for o in c.get("outputs", []):
                d = o.get("data", {})
                if CODE_HIDDEN[0] and "text/html" in d and "text/markdown" not in d:  # a table's Python name in a shown table: its title
                    titles = _table_titles()
                    d["text/html"] = re.sub(_table_pattern(),
                                            lambda m: f"<i>{E(titles[m[1]])}</i>", "".join(d["text/html"]))
                if "text/markdown" not in d: continue
                md = _fix_md_output("".join(d["text/markdown"]))
                if _page_of(nb, src) in GUIDE and re.match(r"\s*show_doc\(", c["source"]): md = _folded_signature(md)
                # prose written by a cell whose code is hidden (e.g. from the cuts) reads as the markdown cells do: statement ids link,
                # and on a reader's page the codes it names are given by their labels (every alert is registered by now)
                if "remove-input" in tags: md = _statement_links(_field_words(code_words_in(md)) if READER_PAGE[0] else md, STATEMENT_IDS)
                if CODE_HIDDEN[0] and not re.match(r"\s*show_doc\(", c["source"]): md = reader_names(md)
                d["text/markdown"] = md
        c["id"] = c.get("id") or f"cell-{i}"
        cells.append({k: v for k, v in c.items() if k in _keys[c["cell_type"]]})
    if _page_of(nb, src) in REGISTER_PAGES: cells = _with_registered(cells, get_config().nbs_path / rel)
    _keep_promises(cells)
    module = module or re.sub(r"^\d+[a-z]?_", "", src.stem)  # nbdev's processed copy drops the default_exp cell
    if module in CHAPTERS:  # every chapter opens with its clinical pathways and ends with the same sections
        cells += [dict(cell_type="markdown", id=f"slot-{k}", metadata={}, source=text)
                  for k, text in enumerate(chapter_slots(module, dst / "_pathways", SVGS))]
        at = next((i + 1 for i, c in enumerate(cells) if i > 1 and c["cell_type"] == "markdown" and not "".join(c["source"]).startswith("<!--")), 2)
        cells[at:at] = [dict(cell_type="markdown", id="clinical-pathways", metadata={}, source=clinical_section(module, dst / "_pathways"))]
    if _page_of(nb, src) in TAG_PAGES:  # pages that show confirmation tags say what they mean, in the register's words
        from pannet_guideline.evidence import tag_legend
        cells.insert(1, dict(cell_type="markdown", id="tag-legend", metadata={}, source=f'<p class="meta"><b>Confirmation tags</b> of the statements: '
                             f'{E(tag_legend())} (<a href="register.html#confirmation-tags">evidence register</a>).</p>'))
    if module == "vignettes":  # a reader's way in first: each chapter's vignettes where the chapter shows them
        at = next((i + 1 for i, c in enumerate(cells) if i > 0 and c["cell_type"] == "markdown"), len(cells))
        cells[at:at] = [dict(cell_type="markdown", id="vignettes-by-chapter", metadata={}, source=vignettes_by_chapter())]
    if module in VIGNETTE_ONLY:  # chapters without a pathway end with their vignettes too
        cells.append(dict(cell_type="markdown", id="slot-vignettes", metadata={}, source=worked_examples(module, dst / "_pathways")))
    if module == "audit":  # rules on no chapter page whose rows the page does not show yet: listed at its end, so every rule id has its row
        from pannet_guideline.audit import all_tables
        shown = set(re.findall(r'id=\\?"(rule-[^"\\]+)', json.dumps(cells)))
        rest = [t for t in all_tables() if any(f"rule-{r.id}" not in shown and RULE_PAGES.get(r.id, ("audit",))[0] == "audit" for r in t.rules)]
        if rest:
            anchors = set(shown)  # one row per rule id on the page
            cells.append(dict(cell_type="markdown", id="audit-other-rules", metadata={}, source="## Other rules\n\nRules of the tables below, "
                              "on no chapter page.\n\n" + "\n\n".join(_fold(E(t.title), audit_rules_html(t, anchors)) for t in rest)))
    if _page_of(nb, src) in PROSE_PAGES: cells = prose_only(cells)
    nb["cells"] = cells
    nb["metadata"]["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    nb["metadata"]["language_info"] = {"name": "python", "pygments_lexer": "ipython3"}  # nbdev_clean strips it; myst-nb needs it
    out = dst / rel.parent / (Path(fm.get("output-file", src.name)).stem + ".ipynb")
    out.parent.mkdir(parents=True, exist_ok=True)
    text = json.dumps(nb, indent=1).replace(DOC_ROOT, "")  # nbdev writes absolute doc links: make them relative
    out.write_text(text, encoding="utf-8")
    return out


TAG_PAGES = ("sources", "audit", "evidence")  # pages whose tables show confirmation tags
REGISTER_PAGES = ("sources", "evidence")  # pages whose cells register sources and statements: each cell is followed by what it registers


def registered_ids(source: str) -> tuple:
    "Source ids and statement ids a cell registers, in its order: read from its add_source, add_statement and _seed calls."
    import ast
    try: tree = ast.parse(source)
    except SyntaxError: return [], []  # a cell the build cannot read registers nothing it can list
    srcs, sts = [], []
    calls = [st.value for st in tree.body if isinstance(st, (ast.Expr, ast.Assign)) and isinstance(st.value, ast.Call)
             and isinstance(st.value.func, ast.Name) and st.value.args and isinstance(st.value.args[0], ast.Constant)]  # top level: not a test's lambda
    for node in calls:
        if node.func.id == "add_source": srcs.append(node.args[0].value)
        elif node.func.id == "add_statement": sts.append(node.args[0].value)
        elif node.func.id == "_seed": sts.append(f"seed.{node.args[0].value:02d}")  # the sources notebook's seed helper
    return list(dict.fromkeys(srcs)), list(dict.fromkeys(sts))


def _with_registered(cells: list, original: Path) -> list:
    "After each group of sources or statements (the cells that register them are left out of the page), the register's own table of them."
    from pannet_guideline.evidence import sources_table, statements_table
    kept, after, anchor = {c["id"] for c in cells}, {}, None
    for c in json.loads(original.read_text(encoding="utf-8"))["cells"]:  # the notebook as written: its registering cells are still there
        if c.get("id") in kept: anchor = c["id"]
        if c["cell_type"] != "code": continue
        srcs, sts = registered_ids("".join(c["source"]))
        if missing := [i for i in sts if i not in STATEMENT_IDS]: raise SystemExit(f"{original.name}: a cell registers statements the register does not hold: {missing}")
        if srcs: after.setdefault(anchor, []).append(f"<p><b>Sources registered here</b> ({len(srcs)})</p>" + sources_table(srcs)._repr_html_())
        if sts: after.setdefault(anchor, []).append(f"<p><b>Statements registered here</b> ({len(sts)})</p>" + statements_table(sts)._repr_html_())
    out = []
    for c in cells:
        out.append(c)
        out += [dict(cell_type="markdown", id=f"registered-{c['id']}-{k}", metadata={}, source=text) for k, text in enumerate(after.get(c["id"], []))]
    return out


SHOWN_OUTPUT = 4000  # characters: a folded check whose output is no longer than this is shown when a sentence introduces it


def _tags_of(c: dict) -> set: return set(c.get("metadata", {}).get("tags", []))


def _output_size(c: dict) -> int:
    return sum(len("".join(v)) if isinstance(v, list) else len(str(v)) for o in c.get("outputs", [])
               for v in (o.get("data", {}).get("text/html") or o.get("data", {}).get("text/plain") or o.get("text", ""),))


def _keep_promises(cells: list):
    "A sentence ending in ':' introduces what follows: when a reader's page folds or drops that cell, its short output is shown, else the sentence ends in '.'."
    for i, c in enumerate(cells):
        text = "".join(c["source"]) if c["cell_type"] == "markdown" else ""
        if not text.rstrip().endswith(":"): continue
        nxt = next((x for x in cells[i + 1:] if "remove-cell" not in _tags_of(x)), None)
        if nxt is not None and nxt["cell_type"] == "markdown" and re.match(r"\s*([-*+]\s|[|<>]|\d+\.\s|```|\$\$)", "".join(nxt["source"])): continue  # a list, table or figure (not a bold opening)
        if nxt is not None and nxt["cell_type"] == "code" and not _tags_of(nxt) & {"hide-cell", "hide-input"}: continue  # its code shows
        if nxt is not None and nxt["cell_type"] == "code" and nxt.get("outputs") and not _tags_of(nxt) & {"hide-cell", "hide-output"}: continue  # its output shows
        if nxt is not None and nxt["cell_type"] == "code" and nxt.get("outputs") and _output_size(nxt) <= SHOWN_OUTPUT:
            nxt["metadata"]["tags"] = sorted(_tags_of(nxt) - {"hide-cell"} | {"hide-input"})  # the table or value the sentence promises
            continue
        stripped = text.rstrip()
        c["source"] = stripped[:-1] + "." + text[len(stripped):]


DOC_ROOT = ""
STATEMENT_IDS, CHAPTERS, SVGS = set(), [], {}


def prepare(dst="_sphinx") -> Path:
    global DOC_ROOT, STATEMENT_IDS, CHAPTERS, SVGS
    from pannet_guideline.evidence import STATEMENTS
    from pannet_guideline.pathway import chapter_names
    import pannet_guideline.guideline  # noqa: F401  (registers every statement)
    STATEMENT_IDS, CHAPTERS, SVGS = set(STATEMENTS), chapter_names(), render_all()
    cfg = get_config()
    DOC_ROOT = cfg.doc_host.rstrip("/") + "/" + cfg.doc_baseurl.strip("/") + ("/" if cfg.doc_baseurl.strip("/") else "")
    _build_modidx()
    cache = proc_nbs(force=True)  # nbdev's processors only: no Quarto, no pip
    dst = cfg.config_path / dst
    shutil.rmtree(dst, ignore_errors=True); dst.mkdir()
    for p in sorted(cache.rglob("*")):
        if p.is_file() and p.suffix not in (".ipynb", ".yml"):
            (dst / p.relative_to(cache)).parent.mkdir(parents=True, exist_ok=True); shutil.copy2(p, dst / p.relative_to(cache))
    outs = [fix_nb(p, dst, p.relative_to(cache)) for p in sorted(cache.rglob("*.ipynb"))]
    from pannet_guideline.audit import all_tables
    for t in all_tables():  # rules on no chapter page are anchored in the audit
        for r in t.rules: RULE_PAGES.setdefault(r.id, ("audit", t.reason(r)))
    (dst / "_rules.json").write_text(json.dumps({r: list(v) for r, v in RULE_PAGES.items()}), encoding="utf-8")  # read by docs/conf.py
    (dst / "register.md").write_text(register_page(), encoding="utf-8")
    (dst / "compare_policies.md").write_text(policies_page(dst), encoding="utf-8")
    (dst / "your_data.md").write_text(your_data_page(), encoding="utf-8")
    (dst / "glossary.md").write_text(glossary_page(), encoding="utf-8")
    idx = dst / "index.ipynb"
    pages = [o.relative_to(dst).with_suffix("").as_posix() for o in outs if o != idx] + ["register", "compare_policies"]
    pages += [p.stem for p in dst.glob("*.md") if p.stem not in pages]
    parts = [(caption, [p for p in part if p in pages]) for caption, part in PARTS]
    engine = [p for p in ENGINE if p in pages] + sorted(p for p in pages if p not in GUIDE and p not in ENGINE)
    nb = json.loads(idx.read_text())
    at = next((i + 1 for i, c in enumerate(nb["cells"]) if "".join(c["source"]).lstrip().startswith("## The policies")),
              2 if len(nb["cells"]) > 2 else len(nb["cells"]))  # after the notebook's own words on the policies
    nb["cells"][at:at] = [dict(cell_type="markdown", id=f"overview-{k}", metadata={}, source=text) for k, text in enumerate(overview_cells())]
    nb["cells"] += [dict(cell_type="markdown", id=f"toctree-{k}", metadata={"tags": ["sphinx-toctree"]},
                         source=f"```{{toctree}}\n:maxdepth: 1\n:caption: {caption}\n" + "\n".join(part) + "\n```")
                    for k, (caption, part) in enumerate(parts + [("The engine", engine)])]
    idx.write_text(json.dumps(nb, indent=1))
    print(f"{len(outs)} notebooks -> {dst}")
    return dst


def _repair_anchors(site: Path):
    "nbdev links a method as page.html#class.method even when only the class is documented: point such links at the class."
    ids = {p.name: set(re.findall(r'\sid="([^"]+)"', p.read_text(encoding="utf-8"))) for p in site.glob("*.html")}
    def fix(m):
        page, frag = m[1], m[2]
        if page not in ids or frag in ids[page]: return m[0]
        while "." in frag and frag not in ids[page]: frag = frag.rsplit(".", 1)[0]
        return f'href="{page}' + (f'#{frag}"' if frag in ids[page] else '"')
    for p in site.glob("*.html"):
        text = p.read_text(encoding="utf-8")
        new = re.sub(r'href="([\w-]+\.html)#([^"]+)"', fix, text)
        if new != text: p.write_text(new, encoding="utf-8")


def main():
    t0 = time.perf_counter()
    root = Path(__file__).resolve().parents[1]
    src = prepare()
    r = subprocess.run([sys.executable, "-m", "sphinx", "-W", "--keep-going", "-q", "-b", "html", "-c", str(root / "docs"), str(src), str(root / "_docs")])
    if r.returncode: sys.exit(r.returncode)
    shutil.rmtree(root / "_docs" / "pathways", ignore_errors=True)
    shutil.copytree(src / "_pathways", root / "_docs" / "pathways")  # the full-size diagrams the pages link to
    _repair_anchors(root / "_docs")
    print(f"site written to {root / '_docs'}/index.html in {time.perf_counter() - t0:.0f} s")


from pannet_guideline.audit import rules_html as audit_rules_html, then_html, when_words  # noqa: E402  (after the nbdev imports)
from pannet_guideline.vocab import code_words_in  # noqa: E402
from pannet_guideline.tables import HIT_POLICY_WORDS  # noqa: E402

# ---- Generated pages and chapter slots: the flowcharts, every rule beside the text it cites, the register, the policies ----
import html as _html

E = _html.escape
from pannet_guideline.schema import FIELDS as FIELDS_  # noqa: E402
_SEP = '<div style="overflow-x:auto">'


def _statement_links(md: str, ids: set) -> str:
    "Statement ids written in prose (`seed.08`, seed.08) become links to the evidence register; code blocks are left alone."
    if not ids: return md
    pat = re.compile(r"(`?)(?<![\w./#-])(" + "|".join(re.escape(i) for i in sorted(ids, key=len, reverse=True)) + r")(?![\w-])\1")
    out, fence = [], False
    for line in md.split("\n"):
        if line.lstrip().startswith("```"): fence = not fence
        if fence or line.lstrip().startswith(("<", "    ")): out.append(line); continue
        out.append(pat.sub(lambda m: f"[`{m[2]}`](register.html#{m[2]})" if m[1] else f"[{m[2]}](register.html#{m[2]})", line))
    return "\n".join(out)


COLUMN_PX = 730  # width of the text column of the docs theme at a usual window size


def _figure(svg: str, name: str, title: str, site: Path, anchor: str = "", extra: str = "") -> str:  # site: the folder copied to <site>/pathways
    "Write the SVG beside the site; show it at column width (never shrunk below readable text) with a link to the full size."
    from pannet_guideline.pathway import fit_style
    site.mkdir(parents=True, exist_ok=True)
    (site / name).write_text(svg, encoding="utf-8")
    m = re.search(r"min-width:(\d+)px", fit_style(svg))
    wide = m and int(m[1]) > COLUMN_PX
    link = f'<a href="pathways/{name}">({"wider than the page: scroll sideways, or " if wide else ""}open full size)</a>'
    ident = f' id="{anchor}"' if anchor else ""
    return (f'<figure class="pathway"{ident}><figcaption>{E(title) + " " if title else ""}{link}{extra}</figcaption>{_SEP}'
            f'<a href="pathways/{name}"><img src="pathways/{name}" alt="{E(title or name)}" style="{fit_style(svg)}"></a></div></figure>')


def _inline_figure(svg: str, file_svg: str, name: str, title: str, site: Path, anchor: str, extra: str = "", full: str = "") -> str:
    "A clinical pathway part drawn in the page itself, so that its 'continued in part N' boxes are links inside the page; the file (its links to the other files) for the full size, or `full`, a page of its own."
    from pannet_guideline.pathway import _fit
    site.mkdir(parents=True, exist_ok=True)
    (site / name).write_text(file_svg, encoding="utf-8")
    inline = re.sub(r'\s(id|class)="(graph|node|edge|a_node|a_edge|clust)[^"]*"', "", _fit(svg))  # several drawings on one page: no shared ids
    inline = re.sub(r"<!--.*?-->", "", inline, flags=re.S)
    link = f'<a href="pathways/{full or name}">(open full size)</a>'
    return (f'<figure class="pathway" id="{anchor}"><figcaption>{E(title) + " " if title else ""}{link}{extra}</figcaption>{_SEP}'
            f'{inline}</div></figure>')


def _svg_outputs(c: dict, site: Path):
    "A diagram saved as an SVG output becomes a readable figure: column width, never tiny text, a link to the full size."
    import hashlib
    for o in c.get("outputs", []):
        d = o.get("data", {})
        if "image/svg+xml" not in d: continue
        svg = "".join(d.pop("image/svg+xml"))
        name = "nb-" + hashlib.sha1(svg.encode()).hexdigest()[:16] + ".svg"
        d.pop("image/png", None); d.pop("text/plain", None)
        d["text/html"] = _figure(svg[svg.find("<svg"):] if "<svg" in svg else svg, name, "", site)


def _firmness(policy: str, leaves) -> str:
    "How firm the statements behind a pathway's endings are: counts by confirmation tag (`TAG_MEANINGS`)."
    from collections import Counter
    from pannet_guideline.evidence import STATEMENTS
    from pannet_guideline.guideline import chapter_tables as _all
    rules = {r.id: r for t in _all(policy) for r in t.rules}
    from pannet_guideline.evidence import TAG_MEANINGS
    tags = Counter(STATEMENTS[c].tag for lf in leaves for rid in lf.fired if rid in rules for c in rules[rid].cites)
    if not tags: return "no statement behind its endings"
    return ("statements behind its endings: " + ", ".join(f'{tags[k]} tagged <abbr title="{E(TAG_MEANINGS[k])}">{k}</abbr>' for k in "ABC" if tags[k])
            + ' (<a href="register.html#confirmation-tags">tags</a>)')


def _fold(summary: str, body: str, open_: bool = False) -> str:
    "A folded block: the summary line shows, the body opens on a click (and when a link points into it)."
    return f'<details class="fold"{" open" if open_ else ""}><summary>{summary}</summary>\n\n{body}\n\n</details>'


MAX_PARTS = 8  # a pathway that needs more linked parts than this is not drawn: its rules are read in the tables


def _part_links(svg: str, key: str, policy: str) -> str:
    "Links under a part's title to the parts it comes from and continues in (the boxes inside the drawing link them in the full-size view)."
    back = sorted({int(n) for n in re.findall(r"Continued from part (\d+)", svg)})
    on = sorted({int(n) for n in re.findall(r"continued in part (\d+)", svg)})
    a = lambda n: f'<a href="#{key}-{policy}-part-{n}">part {n}</a>'
    out = ([f"continued from {', '.join(map(a, back))}"] if back else []) + ([f"continues in {', '.join(map(a, on))}"] if on else [])
    return f'<br><span class="parts">{" · ".join(out)}</span>' if out else ""


def code_label(code) -> str:
    "A recommendation, alert, work-up item or schedule code by its label in the vocabulary registry (the code itself where none is registered)."
    from pannet_guideline.followup import SCHEDULE_TITLES
    from pannet_guideline.vocab import ALERTS, RECOMMENDATIONS
    from pannet_guideline.workup import WORKUP_ITEMS
    c = str(code)
    v = RECOMMENDATIONS.get(c) or ALERTS.get(c)
    if v is not None: return v.label
    if c in WORKUP_ITEMS: return WORKUP_ITEMS[c].split(";")[0]
    return SCHEDULE_TITLES.get(c, c)


# Cut-offs a pathway asks in more than one form, said in words under it.
CUTOFF_WORDS = {
    ("localized-nf", "seed-2025"): "Size under seed-2025: a NET G1 of 1 cm or less, limited to the pancreas, node-negative and without "
        "symptoms, is watched (active surveillance, consider), with no operation recommended; above 1 cm the operation is recommended and "
        "surveillance stays a weaker alternative (consider), under 2 cm. The chart asks the T category first (T3 or T4 leads to "
        "pancreatectomy) and then the size itself: 2 cm or more leads to pancreatectomy, as do nodes, symptoms or a G2 grade; a tumour of "
        "exactly 2 cm is not under 2 cm, so it is resected (AJCC 8 calls it T2).",
    ("localized-nf", "nccn-2025"): "Size under nccn-2025: 1 cm or less, observation; above 1 cm and up to 2 cm (2.0 cm included), "
        "observation in selected cases, pancreatectomy or enucleation, unranked; above 2 cm, or node-positive, or invading, pancreatectomy. "
        "NCCN counts a tumour of exactly 2 cm in the middle band while AJCC 8 calls it T2: the chart asks the size, and the T category, "
        "which AJCC 8 staging reads from the size and the local invasion, decides only where no size is recorded.",
}


def legend(key: str, policy: str, svgs: list) -> str:
    "What the marks of a pathway mean, said once under it: only those it uses."
    from pannet_guideline.pathway import colour_legend
    text = " ".join(svgs)
    used = set(re.findall(r'<polygon fill="(#[0-9a-f]{6})" stroke="transparent"', text))  # the fills of the endings' parts the drawing uses
    items = ["Start at the top box, which says who the pathway is for; each blue box is a question and the arrows carry its answers. "
             "The boxes at the bottom are the endings, lettered A, B..., coloured by the firmest item they give whatever the "
             f"conditions: {colour_legend(used)}."]
    if re.search(r">(Recommended|Consider)[^<]*</text>.*?>(Consider|Options?)[^<]*</text>", text, flags=re.S):
        items.append("<b>Two strengths in one ending</b> (\"Recommended: ...\" then \"Consider: ...\"): every item listed applies; "
                     "the first line is the firmer recommendation, the next a weaker alternative. \"Options\" are alternatives the "
                     "source does not rank.")
    if re.search(r"(?i)>[^<]*\b(if|after) [a-z]", text):
        items.append("<b>A line with a condition</b> (\"if not given before\": for a patient who has not had that treatment; \"after "
                     "somatostatin analogue\": for one who has; \"if insulinoma\") holds only when the condition does, so it sits on white, "
                     "below a dashed line where the ending gives something whatever the conditions, and it does not colour the ending; "
                     "the patient's record of earlier treatment and syndrome decides it.")
    if "nothing further in this pathway" in text:
        items.append("<b>Nothing further in this pathway</b> (grey text, no box): for these answers the tables of this question "
                     "recommend nothing; other pathways of the chapter, and the alerts, may still apply; where the answers lead to another "
                     "chapter (a hormone syndrome, a MEN1 tumour to watch), the ending says which.")
    if re.search(r"\[\d+\]", text):
        items.append("<b>[n] after a question</b>: the numbered note under the chart says what happens when that answer is unknown. "
                     "<b>Held until it is known</b>: those recommendations are neither given nor ruled out while the answer is missing; "
                     "the patient's output lists the missing field among its data gaps. <b>Given only while it is unknown</b>: "
                     "advice the tables give because the answer is missing (to complete the record, or the choice an operation waits on), "
                     "which gives way once it is known.")
    if "⚠" in text:
        items.append("<b>⚠ after an item</b>: it rests only on statements of the seed document that the "
                     '<a href="sources.html#seed-statements-and-their-audit-verdicts">seed audit</a> does not confirm; the last line of the '
                     "ending names the seed item and the audit's verdict (wrong, outdated, vague...). The seed-2025 policy gives it because "
                     "the seed says so, not because a current source does.")
    if "†" in text:
        items.append("<b>† after an item</b>: not in the source. The policy's source writes nothing for these answers, and the item is this "
                     "package's own reading, so that the chart does not end empty; the note under the chart names the rule and says why.")
    if "continued in part" in text:
        items.append("A dashed <b>continued in part N</b> box links to that part; each part starts with the route into it, answer by answer.")
    if (key, policy) in CUTOFF_WORDS: items.append(E(CUTOFF_WORDS[(key, policy)]))
    return '<div class="legend"><p><b>How to read this pathway</b></p><ul class="notes">' + "".join(f"<li>{x}</li>" for x in items) + "</ul></div>"


def glossary_page() -> str:
    "Every recommendation, alert, work-up item and follow-up schedule code: its label and what it says, from the vocabulary registry."
    from pannet_guideline.followup import SCHEDULE_TITLES
    from pannet_guideline.vocab import ALERTS, RECOMMENDATIONS
    from pannet_guideline.workup import WORKUP_ITEMS
    row = lambda code, *cells: (f'<tr id="code-{E(code)}">' + "".join(f"<td>{_ticks(c)}</td>" for c in cells)
                                + f'<td><code>{E(code).replace("_", "_<wbr>")}</code></td></tr>')  # a long code breaks after its underscores
    table = lambda heads, rows: (f'{_SEP}<table class="rules"><thead><tr>{"".join(f"<th>{h}</th>" for h in heads)}</tr></thead>'
                                 f"<tbody>{''.join(rows)}</tbody></table></div>")
    recs = [row(c, v.label, v.kind, v.text) for c, v in RECOMMENDATIONS.items()]
    for k, (c, v) in enumerate(RECOMMENDATIONS.items()):  # a generic item: what it is, rule by rule (syndrome by syndrome)
        if meant := rule_meanings(c): recs[k] = recs[k].replace(f"<td>{_ticks(v.text)}</td>", f"<td>{_ticks(v.text)}; as each rule gives it:<ul class=\"notes\">{meant}</ul></td>", 1)
    alerts = [row(c, v.label, v.severity, v.text) for c, v in sorted(ALERTS.items())]
    items = [row(c, t) for c, t in WORKUP_ITEMS.items()]
    sched = [row(c, t) for c, t in SCHEDULE_TITLES.items()]
    return "\n".join([
        "# Codes and their labels", "",
        "> Every code the guideline writes in its outputs, with the label the pathways and pages show and what it says in plain words. "
        "Generated from the vocabulary registry at build time.", "",
        "The output columns (`recommendations`, `primary`, `alerts`, `workup`, `followup_schedule`) hold codes so that a table can be "
        "filtered and counted; the pages and the pathways show the labels.", "",
        f"## Recommendations ({len(recs)})", "", table(["label", "kind", "what it means", "code"], recs), "",
        f"## Alerts ({len(alerts)})", "", "Severity: <code>safety</code> a risk to the patient, <code>data</code> a problem in the record, <code>conflict</code> the seed and its sources (or two sources) disagree, "
        "<code>caveat</code> a limit of the evidence or of the encoding.", "", table(["label", "severity", "what it says", "code"], alerts), "",
        f"## Work-up items ({len(items)})", "", table(["test", "code"], items), "",
        f"## Follow-up schedules ({len(sched)})", "", table(["schedule", "code"], sched), ""])


def rule_meanings(code: str) -> str:
    "List items: what a generic recommendation is under each rule that says so (control of the hormone syndrome: per syndrome)."
    from pannet_guideline.audit import all_tables
    from pannet_guideline.pathway import RULE_MEANINGS, condition_words
    rules = {r.id: r for t in all_tables() for r in t.rules if str(r.then) == code and r.id in RULE_MEANINGS}
    return "".join(f'<li>{E(condition_words(r.when))}: <b>{E(RULE_MEANINGS[rid])}</b> (<a href="audit.html#rule-{E(rid)}"><code>{E(rid)}</code></a>)</li>'
                   for rid, r in rules.items())


def _every_chapter_table() -> list:
    "(chapter, table) for every table of every chapter under every policy, in chapter and policy order."
    from pannet_guideline.guideline import POLICIES
    from pannet_guideline.pathway import chapter_names, chapter_tables
    return [(ch, t) for ch in chapter_names() for policy in POLICIES for t in chapter_tables(ch, policy)]


@functools.lru_cache(maxsize=None)
def _rule_chapters() -> dict:
    "Rule id -> the chapter pages whose rule tables anchor it (`chapter_slots` lists every table of a chapter under either policy)."
    out = {}
    for chapter, t in _every_chapter_table():
        for r in t.rules: out.setdefault(r.id, set()).add(chapter)
    return out


def _rule_href(rid: str, chapter: str) -> str:
    "A link to a rule's row: on this page where its table is one of this chapter's, else on the chapter page that holds it (a pathway may list another chapter's alert)."
    pages = _rule_chapters().get(rid, {chapter})
    return f"#rule-{rid}" if chapter in pages else f"{sorted(pages)[0]}.html#rule-{rid}"


def clinical_section(chapter: str, site: Path) -> str:
    "The chapter's clinical pathways, one per question and policy: the parts, the notes on unknown answers, the leaves' rules, the alerts."
    from pannet_guideline.guideline import POLICIES
    from pannet_guideline.pathway import (QUESTIONS, clinical_pathway, clinical_svgs, dead_end_pointers, own_reading_notes, pathway_alerts,
                                          folded_unknown_note, source_footnotes, unasked_lines)
    out = ["## Clinical pathways\n\nOne per clinical question and policy, generated from the decision tables (see the "
           "[overview](index.html#how-to-read-a-pathway) for how to read them). Both policies are drawn, each folded under a line that "
           "says what it gives that the other does not: open one, or both. Not a medical device: for research, audit and education."]
    for q in [q for q in QUESTIONS if q.chapter == chapter]:
        out.append(f"### {E(q.title)}")
        drawn = {pol: clinical_pathway(q.key, pol) for pol in POLICIES}
        others = {pol: next((x for o, x in drawn.items() if o != pol and x is not None), None) for pol in POLICIES}
        for policy in POLICIES:
            p = drawn[policy]
            if p is None: continue
            svgs, names, notes = clinical_svgs(p, href="PARTREF{part}FERTRAP")
            widths = [float(re.search(r'<svg width="([\d.]+)pt"', x)[1]) for x in svgs]
            if len(svgs) > MAX_PARTS or max(widths) > 800:
                out.append(f"<p><b>Under {E(policy)}</b>: {len(p.nodes)} questions after merging, too many to draw readably; "
                           "the rules below give the answer, table by table.</p>")
                continue
            page = lambda x: re.sub(r"PARTREF(\d+)FERTRAP", rf"#{q.key}-{policy}-part-\1", x)
            file = lambda x: re.sub(r"PARTREF(\d+)FERTRAP", rf"clinical-{q.key}-{policy}-\1.svg", x)
            figs = [_inline_figure(page(x), file(x), f"clinical-{q.key}-{policy}-{k + 1}.svg", f"Part {k + 1} of {len(svgs)}" if len(svgs) > 1 else "",
                                   site, anchor=f"{q.key}-{policy}-part-{k + 1}", extra=_part_links(x, q.key, policy),
                                   full=f"clinical-{q.key}-{policy}-{k + 1}.html") for k, x in enumerate(svgs)]
            said_in_full = lambda x: E(x) + (f' <details><summary>Every item, ending by ending</summary><p>{E(x.detail)}</p></details>'
                                             if getattr(x, "detail", "") else "")  # a note that sums up a long listing keeps it, folded
            unk = "".join(f"<li>[{k}] {said_in_full(folded_unknown_note(p, n, names))}</li>" for n, k in sorted(notes.items(), key=lambda kv: kv[1]))
            unasked = "".join(f"<li>{E(why)} {said_in_full(said[0])}</li>" if len(said) == 1 else  # a shared reason said once, its notes below it
                              f"<li>{E(why)}<ul>{''.join(f'<li>{said_in_full(x)}</li>' for x in said)}</ul></li>" for why, said in unasked_lines(p, notes, names))
            foot = "".join(f'<p class="not-asked"><b>Not asked here.</b> {_ids_linked(E(x))}</p>' for x in source_footnotes(p))
            rule_link = lambda m: f'(rule <a href="{_rule_href(m[1], chapter)}"><code>{m[1]}</code></a>)'
            foot += "".join(f'<p class="not-asked">{re.sub(r"[(]rule ([A-Z0-9-]+)[)]", rule_link, E(x))}</p>'
                            for x in own_reading_notes(p, names))  # an item the source does not give, marked †, and why
            leaves = []
            for lf, letter in names.items():
                rules = ", ".join(f'<a href="{E(_rule_href(r, chapter))}"><code>{E(r)}</code></a>' for r in lf.fired) or "no rule" + "".join(
                    f'; see <a href="{ch}.html#clinical-pathways">{E(words)}</a>' for ch, words in dead_end_pointers(p, lf))  # where such a patient goes
                leaves.append(f"<li><b>{E(letter)}</b>: {rules}</li>")
            alerts = [_alert_item(r, words, chapter) for t, r, words in pathway_alerts(p)]  # only those that can fire on a patient of this pathway, in words
            body = ("\n".join(figs) + foot + legend(q.key, policy, svgs) + (f"<p>When an answer is unknown:</p><ul class=\"notes\">{unk}</ul>" if unk else "")
                    + (f"<p>Answers the chart does not ask, why not, and what happens when they are unknown:</p><ul class=\"notes\">{unasked}</ul>" if unasked else "")
                    + f"<p>Rules behind each ending:</p><ul class=\"notes\">{''.join(leaves)}</ul>"
                    + (_fold(f"Alerts that go with this pathway ({len(alerts)})", f"<ul class=\"notes\">{''.join(alerts)}</ul>") if alerts else ""))
            notes_html = (foot + (f"<p>When an answer is unknown:</p><ul>{unk}</ul>" if unk else "")
                          + (f"<p>Answers the chart does not ask, why not, and what happens when they are unknown:</p><ul>{unasked}</ul>" if unasked else ""))
            for k, x in enumerate(svgs):  # "open full size": the part alone, still with its legend and notes
                full_page(site / f"clinical-{q.key}-{policy}-{k + 1}.html", f"{q.title} ({policy})" + (f", part {k + 1} of {len(svgs)}" if len(svgs) > 1 else ""),
                          re.sub(r"PARTREF(\d+)FERTRAP", rf"clinical-{q.key}-{policy}-\1.html", x), legend(q.key, policy, svgs) + notes_html,
                          f"../{chapter}.html#{q.key}-{policy}-part-{k + 1}")
            differs = _differs(p, others.get(policy))
            head = (f"Under {E(policy)} <span class=\"meta\">({E(POLICY_KIND.get(policy, ''))})</span> · {E(differs)}"
                    f"<br><span class=\"meta\">{_questions(len(p.nodes))}, {len(svgs)} part{'s' if len(svgs) > 1 else ''} · {_firmness(policy, names)}</span>")
            out.append(_fold(head, body))  # both policies folded alike: neither is the one shown
    return "\n\n".join(out)


def full_page(path: Path, title: str, svg: str, notes: str, back: str):
    "One pathway part at full size on a page of its own, with the legend and the notes the chapter gives under it, and the way back."
    path.write_text(f"""<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>{E(title)}</title>
<style>body{{font-family:sans-serif;margin:1.5em;max-width:none}} .banner{{background:#222;color:#fff;padding:.5em 1em}} li{{margin:.3em 0}}</style></head>
<body><div class="banner">Not a medical device: for research, audit and education; not clinical advice.</div>
<h1>{E(title)}</h1><p><a href="{E(back)}">Back to the chapter</a></p>
{svg}
<div style="max-width:60em">{notes}</div></body></html>""", encoding="utf-8")


def _questions(n: int) -> str:
    "How many questions a pathway asks once alike answers are merged, in words."
    return "no question: one ending for every patient" if n == 0 else "1 question" if n == 1 else f"{n} questions"


POLICY_KIND = {"seed-2025": "the seed document, an AI-written summary", "nccn-2025": "the NCCN 2025 pathways, transcribed"}  # said beside each, alike


GIVEN = {"recommendations": "", "workup": "test", "followup_schedule": "schedule"}  # what an ending can give, and how a test or schedule is named


def _gives(p) -> dict:
    "What a pathway's endings can give: label -> (the firmest strength for a recommendation, 'test' for a work-up item, 'schedule' for a follow-up schedule; the set of (strength, condition) it is given under across the endings, a condition as the answers it asks for, None when it holds whatever the answers)."
    from pannet_guideline.pathway import Leaf, field_of, leaf_conditions, rule_label
    order, out = ("recommended", "consider", "option", "test", "schedule"), {}
    endings = dict.fromkeys([t for n in p.nodes.values() for _, t in n.edges if isinstance(t, Leaf)] + ([p.root] if isinstance(p.root, Leaf) else []))  # in drawing order: the same header every build
    values = lambda name, classes: frozenset(str(v) for k in classes for v in p.crits[name].members[k])  # a condition by its values: comparable across policies
    canon = lambda cond: None if cond is None else frozenset(frozenset((n if ":" in n else field_of(n), values(n, cl)) for n, cl in alt) for alt in cond)
    for lf in endings:  # a pathway without a question is one ending, its root
        for rid, cond in zip(lf.fired, leaf_conditions(lf)):
            t, r = p.rule(rid)
            if t.output not in GIVEN: continue
            s = GIVEN[t.output] or r.strength
            if s not in order: continue
            k = re.sub(r"(?i)^follow-up schedule: ", "schedule ", rule_label(t, r))
            firm, under = out.get(k, (s, frozenset()))
            out[k] = (min(firm, s, key=order.index), under | {(s, canon(cond))})
    return out


def _differs(p, other) -> str:
    "One line: what this policy's pathway gives that the other policy's does not (recommendations, tests, schedules), what it lacks, and what both give at another strength or under other conditions (a line that holds only under a condition is not the same as one that always holds)."
    if other is None: return "the other policy has no pathway for this question"
    mine, theirs = _gives(p), _gives(other)
    only = [k for k in mine if k not in theirs]
    lacks = [k for k in theirs if k not in mine]
    firmer = [k for k in mine if k in theirs and mine[k][0] != theirs[k][0]]
    under = [k for k in mine if k in theirs and k not in firmer and mine[k][1] != theirs[k][1]]
    bits = ([f"only here: {', '.join(_given_under(x, mine[x][1]) for x in only[:4])}{' …' if len(only) > 4 else ''}"] if only else []) + \
           ([f"not here: {', '.join(_given_under(x, theirs[x][1]) for x in lacks[:4])}{' …' if len(lacks) > 4 else ''}"] if lacks else []) + \
           ([f"other strength for {', '.join(_low(x) for x in firmer[:3])}{' …' if len(firmer) > 3 else ''}"] if firmer else []) + \
           ([f"other conditions for {', '.join(_low(x) for x in under[:3])}{' …' if len(under) > 3 else ''}"] if under else [])
    return "; ".join(bits) if bits else f"the same items at the same strengths under the same conditions as {other.policy}; the questions differ" \
        if len(p.nodes) != len(other.nodes) else f"the same items at the same strengths under the same conditions as {other.policy}"


def _alert_item(r, words: str, chapter: str) -> str:
    "One alert under a pathway: its label, when it fires ('whenever this pathway applies' needs no 'when' before it), its rule."
    when = words if words.startswith("whenever") else f"when {words}"
    return f'<li><b>{E(code_label(r.then))}</b> {E(when)} (<a href="{E(_rule_href(r.id, chapter))}"><code>{E(r.id)}</code></a>)</li>'


def _given_under(label: str, under: frozenset) -> str:
    "An item with the condition it is given under, where every ending that gives it asks one: two items of like names (a baseline 5-HIAA, a 5-HIAA for carcinoid syndrome) then read apart."
    from pannet_guideline.schema import FIELDS
    conds = {cond for _, cond in under}
    if not conds or None in conds or len(conds) > 1: return _low(label)
    if any(n not in FIELDS for cond in conds for alt in cond for n, _ in alt): return _low(label)  # a treatment history: said on the chart
    def value(name, values):
        word = FIELDS[name].label if name in FIELDS else name
        if values == frozenset({"True"}): return f"with {word}"
        if values == frozenset({"False"}): return f"without {word}"
        return f"if {word} {' or '.join(sorted(v.replace('_', ' ') for v in values))}"
    (cond,) = conds
    return f"{_low(label)} ({' or '.join(' and '.join(value(n, v) for n, v in sorted(alt)) for alt in sorted(cond, key=sorted))})"


def _low(x: str) -> str: return x[0].lower() + x[1:] if x[1:2].islower() else x


def chapter_slots(chapter: str, site: Path, svgs: dict) -> list:
    "The sections every chapter page ends with, in reading order: worked examples (a patient on the pathway, the vignettes), rules with their evidence, the per-table diagrams, folded."
    from pannet_guideline.guideline import POLICIES
    from pannet_guideline.pathway import _title, chapter_tables, pathways  # noqa: F401
    cells = []
    anchors, tables = set(), {}
    for policy in POLICIES:
        for t in chapter_tables(chapter, policy): tables.setdefault(t, []).append(policy)
    parts = ["## Rules and the statements they cite\n\nEvery rule of the chapter, with the full paraphrase, source, locator "
             "and confirmation tag of each statement it cites; ids link to the [evidence register](register.html). Open a table to read it."]
    for t, users in tables.items():
        for r in t.rules: RULE_PAGES.setdefault(r.id, (chapter, t.reason(r)))
        parts.append(_fold(f"{E(t.title)} <span class=\"meta\">· {len(t.rules)} rules · {E(', '.join(users))}</span>",
                           f"<p><code>{E(t.name)}</code> · {E(HIT_POLICY_WORDS[t.hit_policy])} · used by {E(', '.join(users))}</p>\n\n" + audit_rules_html(t, anchors)))
    cells.append(worked_examples(chapter, site))  # a patient on the pathway first, then the rules behind it
    cells += parts
    figs = []
    for policy in POLICIES:
        for t in chapter_tables(chapter, policy):
            for k, p in enumerate(pathways(t)):
                figs.append(_figure(svgs[(t.name, k)], f"{t.name}-{k}.svg", f"{_title(p)} ({policy})", site))
    cells.append("## Technical diagrams, one per table\n\nFor auditors: each table drawn alone, with every unknown branch and "
                 "rule id ([how they are built](pathway.html)).\n\n" + _fold(f"{len(figs)} diagrams", "\n\n".join(dict.fromkeys(figs))))
    return cells


def worked_examples(chapter: str, site: Path) -> str:
    "The chapter's worked examples: a vignette patient on its pathway (where the chapter has pathways), then every vignette, folded."
    route = worked_route(chapter, site) if chapter in CHAPTERS else ""
    return ("## Worked examples\n\n" + (route + "\n\n" if route else "") + "The chapter's vignettes, each a patient with what the guideline "
            "is expected to give and the source it follows; the [vignettes page](vignettes.html) says how they are written and run.\n\n"
            + _fold(f"{len(_vignettes(chapter))} vignettes: patient, expectation, source", vignettes_html(chapter, site)))


def vignettes_by_chapter() -> str:
    "Links to each chapter's worked examples, with how many vignettes it has, in the chapters' order."
    items = "".join(f'<li><a href="{ch}.html#worked-examples">{E(CHAPTER_NAMES.get(ch, ch))}</a>: {len(_vignettes(ch))} vignettes</li>'
                    for ch in GUIDE if _vignettes(ch))
    return ("## The vignettes, chapter by chapter\n\nEach chapter ends with its own vignettes, read beside its pathways and "
            f'rules:\n\n<ul class="notes">{items}</ul>\n\nThe rest of this page says how a vignette is written, read and run.')


CHAPTER_NAMES = {"grading": "Grading", "staging": "Staging", "workup": "Diagnostic work-up", "localized": "Localised disease",
                 "functional": "Functioning tumours", "advanced": "Advanced disease", "hereditary": "Hereditary syndromes",
                 "followup": "Follow-up", "caveats": "Caveats"}


@functools.cache
def _all_vignettes() -> tuple:
    "Every vignette file read once (safe YAML, in C where libyaml is there): the pages ask for a chapter's vignettes many times."
    from pannet_guideline.datasets import data_path
    from pannet_guideline.vignettes import SAFE_YAML
    folder = data_path("vignettes")
    return tuple(v for f in (sorted(folder.glob("*.yaml")) if folder.exists() else []) for v in (yaml.load(f.read_text(), Loader=SAFE_YAML) or []))


def _vignettes(chapter: str) -> list:
    return [v for v in _all_vignettes() if str(v.get("chapter", "")).split("_", 1)[-1] == chapter]


def _codes_text(value: str) -> str:
    return ", ".join(code_label(c) for c in str(value).split(";") if c) or "none"


def worked_route(chapter: str, site: Path) -> str:
    "A vignette patient drawn as a route on the chapter's clinical pathway (the parts it passes through), beside what the guideline gives them."
    import pandas as pd
    from pannet_guideline.guideline import assess
    from pannet_guideline.pathway import QUESTIONS, _state, clinical_counts, clinical_pathway, clinical_svgs, fired_outcomes, outcome_columns
    from pannet_guideline.vignettes import _cited as cited, field_words  # a source with its statements and sources linked to the register
    first = ""
    for v in _vignettes(chapter):
        patient, policy = v.get("patient") or {}, (v.get("policies") or ["seed-2025"])[0]
        try: a = assess(patient, policy)
        except ValueError: continue  # a vignette about a rejected value has no route to draw
        cols = _state(pd.DataFrame([patient]), policy, "who-2019", "ajcc-8")
        for q in (q for q in QUESTIONS if q.chapter == chapter):
            p = clinical_pathway(q.key, policy)
            if p is None: continue
            counts = clinical_counts(p, cols)
            if counts["inside"] != 1 or counts["ending"][0] < 0 or counts["read_as"] or isinstance(p.root, int) is False: continue  # the route reaches an ending, every answer known
            given = [k for k, hit in zip(outcome_columns(p), fired_outcomes(p, p.reached(cols))[0]) if hit]
            if not any(s in ("recommended", "consider", "option") for _, _, s in given): continue  # an ending that gives this patient a recommendation
            svgs, names, _ = clinical_svgs(p, counts=counts)
            letter = names.get(counts["leaves"][counts["ending"][0]], "")
            by = {}  # the firmest strength of each item, grouped: "recommended: a, b; consider: c; tests: d"
            for out_, c, st in sorted(given, key=lambda g: ("recommended", "consider", "option").index(g[2]) if g[2] in ("recommended", "consider", "option") else 3):
                head = st or {"workup": "tests", "followup_schedule": "follow-up schedule"}.get(out_, out_)
                if not any(code_label(c) in v for v in by.values()): by.setdefault(head, []).append(code_label(c))
            lines = "; ".join(f"{k}: {', '.join(v)}" for k, v in by.items())
            shown = [(k, x) for k, x in enumerate(svgs) if "#c0392b" in x]
            figs = [_inline_figure(x, x, f"worked-{chapter}-{k + 1}.svg", f"{v['id']} on {q.title} ({policy})" + (f", part {k + 1}" if len(svgs) > 1 else ""),
                                   site, anchor=f"worked-{chapter}-{k + 1}") for k, x in shown]
            d = a.to_dict()
            asked = dict.fromkeys(n.split(":")[0] for n in p.crits)  # what the pathway reads, as the patient's record or the guideline derives it
            value = lambda f: patient.get(f, d.get(f))
            facts = "; ".join(field_words(f, value(f)) for f in asked if value(f) not in (None, ""))  # the schema's labels, values with units
            said = (f"<p>They reach ending <b>{E(letter)}</b>, which gives them {E(lines)}. "
                    f"The guideline's answer for this patient under {E(policy)}, every chapter together: primary <b>{E(_codes_text(d['primary_recommendation']))}</b>"
                    f"{('; unranked options ' + E(_codes_text(d['primary_options']))) if d.get('primary_options') else ''}; "
                    f"all recommendations: {E(_codes_text(d['recommendations']))}.</p>")
            html = (f"<p><b>A worked patient</b> ({E(str(v['id']))}, {cited(v.get('source', ''))}), with what the pathway reads: {E(facts)}. Their route is drawn in red on "
                    f"the clinical pathway <i>{E(q.title)}</i>, from the box that says whom the pathway is for to the ending they reach.</p>"
                    + "\n".join(figs) + said)
            if len(shown) == 1: return html  # a route drawn in one part: the shortest to read
            first = first or html
    return first


def vignettes_html(chapter: str, site: Path) -> str:
    "The chapter's vignettes, as the vignettes module shows them to readers: patient by field labels and units, the answer expected by labels, the source."
    from pannet_guideline.vignettes import vignettes_table
    vs = _vignettes(chapter)
    return vignettes_table(vignettes=vs)._repr_html_() if vs else "<p>No vignette file for this chapter yet.</p>"


def source_links(src) -> list:
    "A source's DOI and PMID as links to doi.org and PubMed (links only: nothing is fetched)."
    from urllib.parse import quote
    if src is None: return []
    doi = str(src.doi or "").strip().removeprefix("https://doi.org/").removeprefix("doi:")
    pmid = str(src.pmid or "").strip()
    return ([f'DOI <a class="doi" href="https://doi.org/{E(quote(doi, safe="/:;()._-<>[]"))}">{E(doi)}</a>'] if doi else []) + \
           ([f'PMID <a class="pmid" href="https://pubmed.ncbi.nlm.nih.gov/{E(pmid)}/">{E(pmid)}</a>'] if pmid.isdigit() else [])


RULE_PAGES = {}  # rule id -> the page whose rule table anchors it (`rule-<id>`), for the search index


def register_page() -> str:
    "Every statement, grouped by source, with the seed audit verdicts and the rules that cite it."
    from pannet_guideline.audit import all_tables
    from pannet_guideline.evidence import SOURCES, STATEMENTS, tag_legend
    citing = {}
    for t in all_tables():
        for r in t.rules:
            for c in r.cites: citing.setdefault(c, []).append(r.id)
    out = ["# Evidence register", "",
           "> Every statement the rules cite, in our own words, grouped by source: where in the source it comes from, its "
           "confirmation tag, the audit verdict for the 38 seed statements, and the rules that cite it.", "",
           f'<p id="confirmation-tags"><b>Confirmation tags</b>: {E(tag_legend())}.</p>', ""]
    by_source = {}
    for s in STATEMENTS.values(): by_source.setdefault(s.source, []).append(s)
    for sid, sts in sorted(by_source.items(), key=lambda kv: (SOURCES[kv[0]].kind != "seed", kv[0]) if kv[0] in SOURCES else (True, kv[0])):
        src = SOURCES.get(sid)
        head = f"{src.title} ({src.year})" if src else sid
        meta = " · ".join(x for x in (E(src.kind) if src else "", *source_links(src)) if x)
        out += [f"## {head}", "", f"<p id=\"{E(sid)}\"><code>{E(sid)}</code>{' · ' + meta if meta else ''}{('<br><i>' + E(src.note) + '</i>') if src and src.note else ''}</p>", ""]
        rows = []
        for s in sorted(sts, key=lambda s: (s.seed_item or 999, s.id)):
            rules = ", ".join(f'<a href="audit.html#rule-{E(r)}"><code>{E(r)}</code></a>' for r in dict.fromkeys(citing.get(s.id, [])))
            seed = f"seed item {s.seed_item}: {E(s.verdict)}" + (f"<br><i>narrative only: {E(s.narrative_only)}</i>" if s.narrative_only else "") if s.seed_item else ""
            rows.append(f'<tr id="{E(s.id)}"><td><code>{E(s.id)}</code></td><td>{E(s.text)}</td><td>{E(s.locator)}</td>'
                        f"<td>{E(s.tag)}</td><td>{seed}</td><td>{rules or '–'}</td></tr>")
        out += [f'{_SEP}<table class="rules"><thead><tr><th>statement</th><th>paraphrase</th><th>where</th><th>tag</th>'
                f"<th>seed audit</th><th>cited by</th></tr></thead><tbody>{''.join(rows)}</tbody></table></div>", ""]
    rest = [src for sid, src in SOURCES.items() if sid not in by_source]
    if rest:
        items = "".join(f'<li id="{E(src.id)}"><code>{E(src.id)}</code> {E(src.title)}{f" ({src.year})" if src.year else ""}'
                        f"{' · ' + ' · '.join(source_links(src)) if source_links(src) else ''}"
                        f"{('<br><i>' + E(src.note) + '</i>') if src.note else ''}</li>" for src in rest)
        out += ["## Sources no statement cites yet", "", f'<ul class="notes">{items}</ul>', ""]
    return "\n".join(out)


def policy_firmness() -> list:
    "Per policy: its name, title, description, the source its own management rules rest on most, and the confirmation tags they cite."
    from collections import Counter
    from pannet_guideline.evidence import SOURCES, STATEMENTS
    from pannet_guideline.guideline import POLICIES, chapter_tables
    from pannet_guideline.policies import POLICIES as REGISTRY
    rules = {p: {r.id: r for t in chapter_tables(p) if t.output == "recommendations" for r in t.rules} for p in POLICIES}
    out = []
    for p in POLICIES:
        own = [r for i, r in rules[p].items() if not all(i in rules[q] for q in POLICIES if q != p)]
        cited = [STATEMENTS[c] for r in own for c in r.cites if c in STATEMENTS]
        tags, srcs = Counter(s.tag for s in cited), Counter(s.source for s in cited)
        main = SOURCES.get(srcs.most_common(1)[0][0]) if srcs else None
        out.append(dict(name=p, title=REGISTRY[p].title, description=REGISTRY[p].description, default=p == POLICIES[0],
                        own=len(own), tags=dict(sorted(tags.items())), source=main))
    return out


def overview_cells() -> list:
    "The overview added to the home page: the policies and how firm each source is, how to read a pathway, the parts of the site."
    from pannet_guideline.pathway import colour_legend
    rows = []
    for f in policy_firmness():
        src = f["source"]
        n = sum(f["tags"].values())
        tags = (f"their {n} citations are to statements tagged " + ", ".join(f"{t} ({k})" for t, k in f["tags"].items())) if n else "no citation of its own"
        rows.append(f"<tr><td><code>{E(f['name'])}</code>{' (default)' if f['default'] else ''}</td><td>{E(f['title'])}<br><i>{E(f['description'])}</i></td>"
                    f"<td>{E(src.title) if src else '–'}{('<br><i>' + E(src.note) + '</i>') if src and src.note else ''}</td>"
                    f"<td>{f['own']} rules of its own; {E(tags)} (a statement is counted once per rule that cites it)</td></tr>")
    from pannet_guideline.evidence import tag_legend
    policies = (f"**Confirmation tags** of the statements the rules cite: {tag_legend()}.\n\n"
                "Each policy's own management rules (those the other policy does not share), the source they rest on most and the "
                "confirmation tags of the statements they cite, counted from the evidence register; the "
                "[policies compared](compare_policies.html) page sets them side by side.\n\n"
                f'{_SEP}<table class="rules"><thead><tr><th>policy</th><th>what it encodes</th><th>main source of its own rules</th>'
                f"<th>evidence of its own rules</th></tr></thead><tbody>{''.join(rows)}</tbody></table></div>")
    reading = ("## How to read a pathway\n\n"
               "Each chapter opens with its clinical pathways, one per clinical question and policy, generated from the decision "
               "tables (never drawn by hand). Read them top to bottom: the box at the top says to whom the pathway applies; each "
               "question is a clinical concept (NET G1/G2, SSTR-positive, progression on a somatostatin analogue...); the answers "
               "label the arrows; a question is asked only where its answer changes what follows. The boxes at the bottom are the "
               "recommendations, coloured by the firmest strength they give whatever the conditions (" + colour_legend() + "; a line that "
               "holds only under a condition, such as a treatment not given before, sits on white below a dashed line), and the alerts that go with them are listed "
               "under the chart. A legend under each pathway says what its marks mean. A number in square brackets after a question refers to the note under the chart that says what happens "
               "when that answer is unknown: which recommendation waits until it is known. Rule ids under the chart link to the "
               "rules and the statements they cite. The per-table technical diagrams, with every unknown branch drawn, are kept "
               "folded for auditors.\n\n"
               "**Not a medical device.** The pathways show what the encoded rules say, for research, audit and education; they "
               "are not clinical advice and do not replace a multidisciplinary team.")
    parts = ("## The parts of this site\n\n"
             "**The guideline**: the chapters in clinical order (grading, staging, work-up, localised, functioning, advanced, "
             "hereditary, follow-up, caveats), each with its pathways, rules and worked examples. **Evidence**: the "
             "[evidence register](register.html), the [sources and the seed audit](sources.html), the "
             "[policies compared](compare_policies.html), the [audit](audit.html) of every rule beside what it cites, and the "
             "[vignettes](vignettes.html) that test the chapters. **Using it with your data**: [your data](your_data.html) (every "
             "input field with its meaning, unit and allowed values), [recorded grades](recorded.html) (a registry's grade column "
             "read by its edition) and the [codes and their labels](glossary.html). **The engine**, for developers: the schema, the "
             "condition language, decision tables, concepts, policies, vocabularies, cohorts, files, pathways, reports, the command "
             "line and the API.")
    return [policies, reading, parts]


CHAPTER_TITLES = {"workup": "work-up", "localized": "localised", "functional": "functioning", "advanced": "advanced",
                  "hereditary": "hereditary", "caveats": "caveats", "followup": "follow-up"}
# A registry export as it is often written: the example of the column mapping on the "your data" page.
EXPORT_HEADERS = ("Patient ID", "Age at diagnosis", "Differentiation", "Ki-67 (%)", "Mitotic count", "Tumour size (mm)",
                  "pT", "pN", "Distant metastasis", "Functional status", "SSTR PET", "MEN1 / VHL", "Resectability", "Previous treatment")


SHOWN_DERIVED = ("nen_class", "who_grade", "t_category", "n_category", "m_category", "stage_ajcc8", "disease_setting")


def field_dependents() -> dict:
    "Input field -> (derived fields computed from it, chapters whose tables read it or one of those derived fields)."
    from pannet_guideline.guideline import POLICIES, MergeStep, pipeline
    from pannet_guideline.schema import INPUT_FIELDS
    deps = {}  # derived field -> input fields it is computed from
    for st in pipeline():
        if isinstance(st, MergeStep):
            deps[st.first] = deps.get(st.first, set()) | deps.get(st.other, {st.other}) | {st.first}
            continue
        for w in getattr(st, "written", ()):
            deps[w] = deps.get(w, set()) | set().union(*[deps.get(r, {r}) for r in st.reads] or [set()])
    out = {}
    for f in INPUT_FIELDS:
        derived = [d for d, src in deps.items() if f.name in src and d != f.name and FIELDS_[d].derived]
        reads = {f.name, *derived}
        derived = [d for d in SHOWN_DERIVED if d in derived]
        chapters = [ch for ch in CHAPTER_TITLES if any(set(t.inputs) & reads for p in POLICIES for t in _chapter_tables(ch, p))]
        out[f.name] = (derived, chapters)
    return out


def _ticks(text: str) -> str:
    "Text for an HTML cell: escaped, with `code` in backticks shown as code (markdown is not read inside HTML)."
    return re.sub(r"`([^`]+)`", r"<code>\1</code>", E(str(text)))


def _ids_linked(html_text: str) -> str:
    "Statement ids in a text already escaped for HTML (a field's meaning cites them) become links to the evidence register."
    if not STATEMENT_IDS: return html_text
    pat = re.compile(r"(?<![\w./#-])(" + "|".join(re.escape(i) for i in sorted(STATEMENT_IDS, key=len, reverse=True)) + r")(?![\w-])")
    return pat.sub(lambda m: f'<a href="register.html#{m[1]}">{m[1]}</a>', html_text)


READING_EXAMPLES = (("ki67_pct", "5%"), ("ki67_pct", "5 %"), ("ki67_pct", "2,5"), ("ki67_pct", "<2"), ("ki67_pct", "4-8"),
                    ("ki67_pct", "15-25"), ("ki67_pct", ">20"), ("ki67_pct", ">60"), ("ki67_pct", "42,493"), ("tumor_size_mm", "15"), ("tumor_size_cm", "25 mm"),
                    ("tumor_size_cm", "2.5cm"), ("mitoses_per_2mm2", "<2"))


def regimen_names() -> str:
    "Each treatment code with the regimen names read as it, from the schema."
    from pannet_guideline.schema import REGIMEN_NAMES
    return "; ".join(f"{code_label(c)} (`{c}`): {', '.join(n.lower() for n in names)}" for c, names in REGIMEN_NAMES.items())


def ki67_edges() -> str:
    "The Ki-67 cut-offs of every table, policy and edition, in words."
    from pannet_guideline.guideline import band_edges
    e = [f"{x:g}" for x in band_edges()["ki67_pct"]]
    return ", ".join(e[:-1]) + " and " + e[-1]


def reading_examples() -> str:
    "How values are read, as the reader reads them now (run at build time, so the page cannot drift from the code)."
    from pannet_guideline.schema import read_patient
    rows = []
    for name, raw in READING_EXAMPLES:
        rec, issues = read_patient({name: raw})
        target = "tumor_size_cm" if name == "tumor_size_mm" else name
        got = rec.get(target)
        why = "; ".join(str(x) for x in (issues.values() if isinstance(issues, dict) else issues)) if issues else ""
        unit = FIELDS_[target].unit
        bound = re.search(r"[<>]|\d\s*-\s*\d", raw) and got is not None
        read = (f"{target}: a value {raw.strip()} {unit}, taken as {got:g} (every value inside decides alike)" if bound
                else f"{target} = {got:g} {unit}".rstrip() if got is not None else "unknown") + (f" ({why})" if why else "")
        rows.append(f"<tr><td><code>{E(name)}</code></td><td><code>{E(raw)}</code></td><td>{_ticks(read)}</td></tr>")
    return (f'{_SEP}<table class="rules"><thead><tr><th>column</th><th>written</th><th>read as</th></tr></thead>'
            f"<tbody>{''.join(rows)}</tbody></table></div>")


def _allowed(spec) -> str:
    "Allowed values of a field, and the other spellings read as each."
    if spec.kind == "number":
        lo = "" if spec.minimum == float("-inf") else f"{'>' if spec.min_exclusive else '≥'} {spec.minimum:g}"
        hi = "" if spec.maximum == float("inf") else f"≤ {spec.maximum:g}"
        return "a number" + (f" ({', '.join(x for x in (lo, hi) if x)})" if lo or hi else "")
    if spec.kind == "id": return "any text"
    if spec.kind == "codes": return 'a list of treatment codes separated by <code>;</code>, or regimen names read as them; see <a href="glossary.html">codes and labels</a>'
    vals = []
    for v in spec.vocab:
        syn = sorted(k for k, c in spec.synonyms.items() if c == v and k != str(v).lower())
        shown = ("yes" if v else "no") if spec.kind == "flag" else str(v)
        vals.append(f"<code>{E(shown)}</code>" + (f" <span class=\"syn\">(also {E(', '.join(syn))})</span>" if syn else ""))
    from pannet_guideline.schema import SITES_NOT_STATED
    unknown = [t for t in spec.unknown_tokens if spec.name != "metastatic_sites" or t not in SITES_NOT_STATED]
    extra = f"; read as unknown: {E(', '.join(unknown))}" if unknown else ""
    if spec.name == "metastatic_sites":  # present with no site named: the sites unknown, and M1 (`schema._weigh_sites_not_stated`)
        extra += f"; read as metastases present, no site named (M1, the sites unknown): {E(', '.join(SITES_NOT_STATED))}"
    rej = f"; rejected: {E(', '.join(spec.rejected))}" if spec.rejected else ""
    return ", ".join(vals) + extra + rej


def your_data_page() -> str:
    "Every input field with its meaning, unit, allowed values and the outputs that depend on it; an example mapping; the output columns."
    from pannet_guideline.guideline import OUTPUT_SPEC
    from pannet_guideline.schema import ALIAS_TARGETS, HEADER_ALIASES, INPUT_FIELDS, MISSING_TOKENS, match_field
    dependents = field_dependents()
    rows = []
    for f in INPUT_FIELDS:
        derived, chapters = dependents[f.name]
        own = [k for k, v in ALIAS_TARGETS.items() if v == f.name]  # alias columns read into the field, each with its own spellings
        aliases = sorted([k for k, v in HEADER_ALIASES.items() if v == f.name or v in own] + own)
        used = ", ".join([FIELDS_[d].label for d in derived] + [CHAPTER_TITLES[c] for c in chapters]) or "passed through"
        rows.append(f'<tr id="field-{E(f.name)}"><td><code>{E(f.name)}</code>' + (f"<br><span class=\"syn\">also read from: {E(', '.join(aliases))}</span>" if aliases else "")
                    + f"</td><td>{_ticks(f.label)}{(': ' + _ids_linked(_ticks(f.doc))) if f.doc else ''}<br><span class=\"syn\">used for: {E(used)}</span></td>"
                    f"<td>{E(f.unit) or '–'}</td><td>{_allowed(f)}</td></tr>")
    fields = (f'{_SEP}<table class="rules fields"><thead><tr><th>column</th><th>meaning, and what depends on it</th><th>unit</th>'
              f"<th>allowed values (and other spellings read)</th></tr></thead><tbody>{''.join(rows)}</tbody></table></div>")
    how = {"field": "read as it is", "read_as": "read as", "resembles": "not read: resembles", "output": "not read: an output", "unknown": "not read"}
    maps, mapping = [], {}
    for h in EXPORT_HEADERS:
        kind, name = match_field(h)
        if kind in ("field", "read_as"): mapping[h] = name
        maps.append(f"<tr><td><code>{E(h)}</code></td><td>{E(how[kind])} {('<code>' + E(name) + '</code>') if name else ''}</td></tr>")
    guess = {"Distant metastasis": "metastatic_sites", "Functional status": "functional_syndrome", "SSTR PET": "sstr_status",
             "MEN1 / VHL": "hereditary_syndrome", "Resectability": "resectable", "Previous treatment": "prior_therapies",
             "pT": "t_category", "pN": "n_category", "Tumour size (mm)": "tumor_size_mm", "Mitotic count": "mitoses_per_2mm2"}
    explicit = {h: v for h, v in guess.items() if h not in mapping}
    code = "columns = {\n" + "".join(f"    {h!r}: {v!r},\n" for h, v in explicit.items()) + "}\nassessed = assess_frame(export, columns=columns)"
    outs = "".join(f"<tr><td><code>{E(o.name)}</code></td><td>{_ticks(o.doc)}</td></tr>" for o in OUTPUT_SPEC)
    return "\n".join([
        "# Your data", "",
        "> Every column the guideline reads, with its meaning, unit and allowed values; how a registry export maps onto them; "
        "and the columns it writes. Generated from the schema at build time.", "",
        "Name your columns as below, or pass a mapping (`columns=` in Python, a mapping file on the command line). A value "
        f"that is blank or written as one of {', '.join(repr(t) for t in sorted(MISSING_TOKENS) if t)} is unknown: unknown is "
        "neither yes nor no, and a decision that needs it waits and names the field in `data_gaps`. A value that is not "
        "allowed is rejected, reported in `input_issues`, and read as unknown; the row stays.", "",
        "## How values are read", "",
        "- **Sizes in millimetres are converted to centimetres.** A column named for millimetres (`tumor_size_mm`, or a header such as "
        "\"Tumour size (mm)\") is divided by 10 and read as `tumor_size_cm`; a value with its unit written (`25 mm`, `2.5cm`) is "
        "converted whatever the column. When a cm and a mm column are both given and disagree by more than half a millimetre, the "
        "size is unknown and both are named.",
        "- **Ki-67** is read as a percentage written `5`, `5%` or `5 %`, with a decimal point or a decimal comma (`2,5`). A bound "
        "(`<2`, `>20`) or a range (`4-8`) is read when it lies wholly on one side of every cut-off the tables use ("
        f"{ki67_edges()} %), so any value inside it decides alike; one that straddles a cut-off is unknown, and the issue names the cut-off. "
        "`42,493` is refused (a decimal comma or a thousands separator?). A table with two or more known Ki-67 values, all from 0 "
        "to 1 and some strictly between, is taken to hold fractions and its Ki-67 is not read; values of exactly 0 and 1, and values written "
        "with their percent sign (`0.5 %`), are read as per cent.",
        "- **Treatments given before** (`prior_therapies`) are codes separated by `;`, or regimen names read as them: "
        + regimen_names() + ".",
        "- **What the pathways ask** is read from these columns and from what the guideline derives from them: \"Node-positive?\" is the "
        "N category (from `nodal_status`, or a recorded `n_category`); the WHO grade comes from the morphology, Ki-67 and mitoses (a recorded grade "
        "only where they do not give one); \"after progression on a somatostatin analogue\" means `prior_therapies` holds `SSA` and "
        "`progression` is `progressive`.",
        "- Blank cells and the tokens listed above are unknown; a rejected value is reported with its column and the reason.", "",
        "What the reader makes of a few values, run as this page is built:", "", reading_examples(), "",
        "## Input columns", "", fields, "",
        "## An example: a registry export", "",
        "Headers of a typical export, and how they are read without a mapping (case, spaces, `%`, `tumour`/`tumor` and a few "
        "common names are recognised):", "",
        f'{_SEP}<table class="rules"><thead><tr><th>export header</th><th>without a mapping</th></tr></thead><tbody>{"".join(maps)}</tbody></table></div>', "",
        "Registry exports are read by their own names as well:", "",
        "- **Names.** NAACCR's XML names (`tnmPathN`, `ajccTnmClinT`, `tumorSizeSummary`: `registry.naaccr-xml-names`) and SEER\\*Stat's "
        "variable names, the years of diagnosis they end with set aside (`Grade Pathological (2018+)`, `Derived EOD 2018 N (2018+)`).",
        "- **Editions.** The TNM items of 2016 and 2017 (`tnmPathT`, written `p2` or `c2`) hold AJCC 7 and are read as the AJCC 7 T "
        "(`registry.tnm-2016-edition`); a pathological N item is read before a clinical one (`registry.path-n-first`).",
        "- **Codes.** SEER\\*Stat's `Blank(s)` is unknown, and so is a grade coded 9 (`registry.grade-9`); a labelled value is read by its "
        "code or first word (`C25.0-Head of pancreas`, `Yes; distant liver metastases`); any topography code but C25 (the ampulla C24.1, "
        "the unknown primary C80.9) puts the row out of scope.",
        "- **Not read.** Items after treatment (`ajccTnmPostTherapyT`), the grade item of before 2018 (`Grade (thru 2017)`, a "
        "differentiation code) and a registry's own stage group (`Derived EOD 2018 Stage Group`), which is named: the stage is worked "
        "out here from T, N and M.",
        "- **Mapping.** A mapping names one column per field, so the mapping `inspect` suggests leaves out a field that several columns "
        "give by their spellings (the N items of 2016-2017 beside those of 2018 on): they are read together, as without a mapping.", "",
        "The rest is mapped explicitly; values are then read by the rules above (`25 mm` in a millimetre column, `pT2`, `yes`/`no`):", "",
        "```python\n" + code + "\n```", "",
        "On the command line the same mapping is a JSON file: `pannet-guideline assess export.csv --columns mapping.json`.", "",
        "## Output columns", "",
        f'{_SEP}<table class="rules"><thead><tr><th>column</th><th>meaning</th></tr></thead><tbody>{outs}</tbody></table></div>', "",
        "Recommendation, work-up and alert codes are listed with their labels and plain text in the [codes and labels](glossary.html) page.", ""])


def _chapter_tables(ch, policy):
    from pannet_guideline.pathway import chapter_tables
    return chapter_tables(ch, policy)


def _cite_links(ids) -> str:
    return ", ".join(f'<a href="register.html#{E(c)}">{E(c)}</a>' for c in ids)


def policies_page(site: Path) -> str:
    "The two policies side by side: which tables each uses, the rules only one of them has, and what changes on the demo cohort."
    from pannet_guideline.cohort import compare_policies
    from pannet_guideline.datasets import demo_cohort
    from pannet_guideline.guideline import POLICIES
    from pannet_guideline.pathway import chapter_names, chapter_tables, policy_chart, recommendation_counts
    a, b = POLICIES[:2]
    out = ["# Policies compared", "", "> Where the two policies part, for a reader choosing between them or checking one against the other: "
           "chapter by chapter, the tables each one reads and the rules only one of them has, then how often their recommendations differ on "
           "a synthetic demo cohort.", "",
           f"The guideline can be read under two policies: {a}, {POLICY_KIND.get(a, a)}, and {b}, {POLICY_KIND.get(b, b)}. Where the sources "
           "disagree both readings are encoded, each under its own policy, and an alert is raised; neither is picked silently. "
           "Each rule id links to its row on its chapter page, with the statements it cites.", ""]
    for ch in chapter_names():
        ta, tb = chapter_tables(ch, a), chapter_tables(ch, b)
        ra = {r.id: (t, r) for t in ta for r in t.rules}; rb = {r.id: (t, r) for t in tb for r in t.rules}
        rows = [f"<tr><td>{E(t.title)}</td><td>{'✓' if t in ta else ''}</td><td>{'✓' if t in tb else ''}</td>"
                f"<td>{len(t.rules)}</td></tr>" for t in dict.fromkeys(ta + tb)]
        out += [f"## {CHAPTER_TITLES.get(ch, ch).capitalize()}", "", f'{_SEP}<table class="rules"><thead><tr><th>table</th><th>{a}</th><th>{b}</th>'
                f"<th>rules</th></tr></thead><tbody>{''.join(rows)}</tbody></table></div>", ""]
        for name, only in ((a, [ra[i] for i in ra if i not in rb]), (b, [rb[i] for i in rb if i not in ra])):
            if not only: continue
            items = "".join(f"<tr><td><a href=\"{ch}.html#rule-{E(r.id)}\"><code>{E(r.id)}</code></a></td><td>{E(when_words(t, r))}</td>"
                            f"<td>{then_html(t, r)}{(' (' + E(r.strength) + ')') if r.strength else ''}</td>"
                            f"<td>{_cite_links(r.cites)}</td></tr>" for t, r in only)
            out += [f"### Only under {name}", "", f'{_SEP}<table class="rules"><thead><tr><th>rule</th><th>when</th><th>then</th>'
                    f"<th>cites</th></tr></thead><tbody>{items}</tbody></table></div>", ""]
    demo = demo_cohort()
    cmp_ = compare_policies(demo, a, b).attrs["summary"]
    rc = recommendation_counts(demo, (a, b))
    by_code = "".join(f"<tr><td>{E(code_label(c))} <code class=\"code-id\">{E(c)}</code></td><td>{v['only_a']}</td><td>{v['only_b']}</td></tr>"
                      for c, v in cmp_["by_code"].items())
    out += ["## On the demo cohort", "", f"<p>{cmp_['patients']} synthetic patients; the recommendations differ for {cmp_['differ']} of them "
            f"({100 * cmp_['differ'] / cmp_['patients']:.1f}%). Patients given each recommendation, at any strength:</p>", "",
            f"{_SEP}{policy_chart(rc, len(demo))}</div>", "",
            f'{_SEP}<table class="rules"><thead><tr><th>recommendation</th><th>only under {a}</th><th>only under {b}</th></tr></thead>'
            f"<tbody>{by_code}</tbody></table></div>", ""]
    return "\n".join(out)


def render_all() -> dict:
    "SVG of every flowchart of every chapter table, rendered two at a time: (table name, index) -> SVG text."
    from concurrent.futures import ThreadPoolExecutor
    from pannet_guideline.pathway import pathways, to_dot, to_svg
    keys = {}
    for _, t in _every_chapter_table():
        for k, p in enumerate(pathways(t)): keys[(t.name, k)] = to_dot(p)
    with ThreadPoolExecutor(2) as pool: svgs = list(pool.map(to_svg, keys.values()))
    return dict(zip(keys, svgs))


if __name__ == "__main__":
    main()
