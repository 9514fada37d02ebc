"""Docs site without Quarto: nbdev's processed notebooks -> a Sphinx/myst-nb source tree -> HTML.

Usage: .venv/bin/python tools/build_docs.py   (site in _docs/, source tree in _sphinx/)
"""
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


def fix_nb(src: Path, dst: Path, rel: Path) -> Path:
    nb = json.loads(src.read_text(encoding="utf-8"))
    fm, cells, module = {}, [], None
    for i, c in enumerate(nb["cells"]):
        s = "".join(c["source"])
        if c["cell_type"] == "code" and (m := _exp.search(s)): module = m[1]
        if c["cell_type"] == "markdown": c["source"] = _statement_links(s, STATEMENT_IDS)
        if c["cell_type"] == "raw" and s.lstrip().startswith("---"):  # front matter -> H1 and lead paragraph
            fm = yaml.safe_load(s.strip().strip("-")) or {}
            head = f"# {fm.get('title', src.stem)}" + (f"\n\n> {fm['description']}" if fm.get("description") else "")
            c = dict(cell_type="markdown", metadata={}, source=head)
        elif c["cell_type"] == "code":  # cell options -> myst-nb tags
            lines, tags = s.splitlines(), set(c["metadata"].get("tags", []))
            while lines and (m := _direc.match(lines[0])):
                if t := _tags.get((m[1], m[2].lower())): tags.add(t)
                lines.pop(0)
            c["source"] = "\n".join(lines)
            if tags: c["metadata"]["tags"] = sorted(tags)
            _svg_outputs(c, dst / "_pathways")
            for o in c.get("outputs", []):
                d = o.get("data", {})
                if "text/markdown" in d: d["text/markdown"] = _fix_md_output("".join(d["text/markdown"]))
        c["id"] = c.get("id") or f"cell-{i}"
        cells.append({k: v for k, v in c.items() if k in _keys[c["cell_type"]]})
    module = module or re.sub(r"^\d+[a-z]?_", "", src.stem)  # nbdev's processed copy drops the default_exp cell
    if module in CHAPTERS:  # every chapter ends with the same sections
        cells += [dict(cell_type="markdown", id=f"slot-{k}", metadata={}, source=text)
                  for k, text in enumerate(chapter_slots(module, dst / "_pathways", SVGS))]
    nb["cells"] = cells
    nb["metadata"]["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    nb["metadata"]["language_info"] = {"name": "python", "pygments_lexer": "ipython3"}  # nbdev_clean strips it; myst-nb needs it
    out = dst / rel.parent / (Path(fm.get("output-file", src.name)).stem + ".ipynb")
    out.parent.mkdir(parents=True, exist_ok=True)
    text = json.dumps(nb, indent=1).replace(DOC_ROOT, "")  # nbdev writes absolute doc links: make them relative
    out.write_text(text, encoding="utf-8")
    return out


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
    (dst / "register.md").write_text(register_page(), encoding="utf-8")
    (dst / "compare_policies.md").write_text(policies_page(dst), encoding="utf-8")
    idx = dst / "index.ipynb"
    pages = ["register", "compare_policies"] + [o.relative_to(dst).with_suffix("").as_posix() for o in outs if o != idx]
    nb = json.loads(idx.read_text())
    nb["cells"].append(dict(cell_type="markdown", id="toctree", metadata={"tags": ["sphinx-toctree"]},
                            source="```{toctree}\n:maxdepth: 1\n:caption: Chapters\n" + "\n".join(pages) + "\n```"))
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


from pannet_guideline.audit import rules_html as audit_rules_html  # noqa: E402  (after the nbdev imports)

# ---- Generated pages and chapter slots: the flowcharts, every rule beside the text it cites, the register, the policies ----
import html as _html

E = _html.escape
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


def _figure(svg: str, name: str, title: str, site: Path) -> str:  # site: the folder copied to <site>/pathways
    "Write the SVG beside the site; show it at column width (never shrunk below readable text) with a link to the full size."
    from pannet_guideline.pathway import fit_style
    site.mkdir(parents=True, exist_ok=True)
    (site / name).write_text(svg, encoding="utf-8")
    m = re.search(r"min-width:(\d+)px", fit_style(svg))
    wide = m and int(m[1]) > COLUMN_PX
    link = f'<a href="pathways/{name}">({"wider than the page: scroll sideways, or " if wide else ""}open full size)</a>'
    return (f'<figure class="pathway"><figcaption>{E(title) + " " if title else ""}{link}</figcaption>{_SEP}'
            f'<a href="pathways/{name}"><img src="pathways/{name}" alt="{E(title or name)}" style="{fit_style(svg)}"></a></div></figure>')


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


def chapter_slots(chapter: str, site: Path, svgs: dict) -> list:
    "The sections every chapter page ends with: flowcharts per policy, rules with their evidence, worked examples."
    from pannet_guideline.guideline import POLICIES
    from pannet_guideline.pathway import _title, chapter_tables, pathways  # noqa: F401
    cells = [f"## Flowcharts\n\nGenerated from the decision tables below (see [Pathways](pathway.html) for how to read them): "
             "criteria in order, labelled branches, outcomes with their strength and rule ids. Click a diagram to open it full size."]
    for policy in POLICIES:
        figs = []
        for t in chapter_tables(chapter, policy):
            for k, p in enumerate(pathways(t)):
                figs.append(_figure(svgs[(t.name, k)], f"{t.name}-{k}.svg", _title(p), site))
        cells.append(f"### Under {policy}\n\n" + "\n\n".join(figs))
    anchors, tables = set(), {}
    for policy in POLICIES:
        for t in chapter_tables(chapter, policy): tables.setdefault(t, []).append(policy)
    parts = ["## Rules and the statements they cite\n\nEvery rule of the chapter, with the full paraphrase, source, locator "
             "and confirmation tag of each statement it cites; ids link to the [evidence register](register.html)."]
    for t, users in tables.items():
        parts.append(f"### {E(t.title)}\n\n<p><code>{E(t.name)}</code> · {E(t.hit_policy)} · used by {E(', '.join(users))}</p>\n\n" + audit_rules_html(t, anchors))
    cells += parts
    cells.append("## Worked examples\n\n" + vignettes_html(chapter, site))
    return cells


def vignettes_html(chapter: str, site: Path) -> str:
    "The chapter's vignettes (patient, expectation, the source it follows), and the route of the first few through the flowcharts."
    from pannet_guideline.datasets import data_path
    from pannet_guideline.pathway import patient_pathway, to_svg
    folder = data_path("vignettes")
    rows, routes = [], []
    for f in sorted(folder.glob("*.yaml")) if folder.exists() else []:
        for v in yaml.safe_load(f.read_text()) or []:
            if str(v.get("chapter", "")).split("_", 1)[-1] != chapter: continue
            pat = "; ".join(f"{k}={x}" for k, x in (v.get("patient") or {}).items())
            exp = "; ".join(f"{k}: {x}" for k, x in (v.get("expect") or {}).items())
            rows.append(f"<tr><td><code>{E(str(v.get('id')))}</code></td><td>{E(pat)}</td><td>{E(exp)}</td>"
                        f"<td>{E(str(v.get('source', '')))}</td><td>{E(str(v.get('why', '')))}</td></tr>")
            if len(routes) < 2 and v.get("patient"):
                policy = (v.get("policies") or ["seed-2025"])[0]
                try: charts = patient_pathway(v["patient"], chapter, policy)
                except ValueError: continue  # a vignette about a rejected value has no route to draw
                entered = [(t, d) for t, d in charts.items if "patient: yes" in d][:2]
                routes += [_figure(to_svg(d), f"vignette-{v['id']}-{k}.svg", f"{v['id']} ({policy}): {t}", site)
                           for k, (t, d) in enumerate(entered)]
    if not rows: return "<p>No vignette file for this chapter yet.</p>"
    table = (f'{_SEP}<table class="rules"><thead><tr><th>id</th><th>patient</th><th>expected</th><th>source</th><th>why</th></tr></thead>'
             f"<tbody>{''.join(rows)}</tbody></table></div>")
    lead = "<p>The route of the first vignettes through the chapter's flowcharts: taken branches in red with the patient's values, missing data marked.</p>"
    return table + (lead + "\n".join(routes) if routes else "")


def register_page() -> str:
    "Every statement, grouped by source, with the seed audit verdicts and the rules that cite it."
    from pannet_guideline.audit import all_tables
    from pannet_guideline.evidence import SOURCES, STATEMENTS
    citing = {}
    for t in all_tables():
        for r in t.rules:
            for c in r.cites: citing.setdefault(c, []).append(r.id)
    out = ["# The evidence: every statement", "",
           "> Every statement the rules cite, in our own words, grouped by source: where in the source it comes from, its "
           "confirmation tag (A: read in the primary text; B: secondary or partial; C: unverified, never encoded as definitive), "
           "the audit verdict for the 38 seed statements, and the rules that cite it.", ""]
    by_source = {}
    for s in STATEMENTS.values(): by_source.setdefault(s.source, []).append(s)
    for sid, sts in sorted(by_source.items(), key=lambda kv: (SOURCES[kv[0]].kind != "seed", kv[0]) if kv[0] in SOURCES else (True, kv[0])):
        src = SOURCES.get(sid)
        head = f"{src.title} ({src.year})" if src else sid
        meta = " · ".join(x for x in (src.kind if src else "", f"DOI {src.doi}" if src and src.doi else "",
                                      f"PMID {src.pmid}" if src and src.pmid else "") if x)
        out += [f"## {head}", "", f"<p><code>{E(sid)}</code>{' · ' + E(meta) if meta else ''}{('<br><i>' + E(src.note) + '</i>') if src and src.note else ''}</p>", ""]
        rows = []
        for s in sorted(sts, key=lambda s: (s.seed_item or 999, s.id)):
            rules = ", ".join(f'<a href="audit.html#rule-{E(r)}"><code>{E(r)}</code></a>' for r in dict.fromkeys(citing.get(s.id, [])))
            seed = f"seed item {s.seed_item}: {E(s.verdict)}" + (f"<br><i>narrative only: {E(s.narrative_only)}</i>" if s.narrative_only else "") if s.seed_item else ""
            rows.append(f'<tr id="{E(s.id)}"><td><code>{E(s.id)}</code></td><td>{E(s.text)}</td><td>{E(s.locator)}</td>'
                        f"<td>{E(s.tag)}</td><td>{seed}</td><td>{rules or '–'}</td></tr>")
        out += [f'{_SEP}<table class="rules"><thead><tr><th>statement</th><th>paraphrase</th><th>where</th><th>tag</th>'
                f"<th>seed audit</th><th>cited by</th></tr></thead><tbody>{''.join(rows)}</tbody></table></div>", ""]
    return "\n".join(out)


def _cite_links(ids) -> str:
    return ", ".join(f'<a href="register.html#{E(c)}">{E(c)}</a>' for c in ids)


def policies_page(site: Path) -> str:
    "The two policies side by side: which tables each uses, the rules only one of them has, and what changes on the demo cohort."
    from pannet_guideline.cohort import compare_policies
    from pannet_guideline.datasets import demo_cohort
    from pannet_guideline.guideline import POLICIES
    from pannet_guideline.pathway import chapter_names, chapter_tables, policy_chart, recommendation_counts
    a, b = POLICIES[:2]
    out = ["# Policies compared", "", f"> `{a}` and `{b}` rule by rule, chapter by chapter, and on the demo cohort. "
           "Where the sources disagree both readings are encoded under their own policy and an alert is raised; neither is picked silently.", ""]
    for ch in chapter_names():
        ta, tb = chapter_tables(ch, a), chapter_tables(ch, b)
        ra = {r.id: (t, r) for t in ta for r in t.rules}; rb = {r.id: (t, r) for t in tb for r in t.rules}
        rows = [f"<tr><td><code>{E(t.name)}</code></td><td>{E(t.title)}</td><td>{'✓' if t in ta else ''}</td><td>{'✓' if t in tb else ''}</td>"
                f"<td>{len(t.rules)}</td></tr>" for t in dict.fromkeys(ta + tb)]
        out += [f"## {ch.capitalize()}", "", f'{_SEP}<table class="rules"><thead><tr><th>table</th><th>title</th><th>{a}</th><th>{b}</th>'
                f"<th>rules</th></tr></thead><tbody>{''.join(rows)}</tbody></table></div>", ""]
        for name, only in ((a, [ra[i] for i in ra if i not in rb]), (b, [rb[i] for i in rb if i not in ra])):
            if not only: continue
            items = "".join(f"<tr><td><a href=\"{ch}.html#rule-{E(r.id)}\"><code>{E(r.id)}</code></a></td><td>{E(t.reason(r))}</td>"
                            f"<td><b>{E(str(r.then))}</b>{(' (' + E(r.strength) + ')') if r.strength else ''}</td>"
                            f"<td>{_cite_links(r.cites)}</td></tr>" for t, r in only)
            out += [f"### Only under {name}", "", f'{_SEP}<table class="rules"><thead><tr><th>rule</th><th>when</th><th>then</th>'
                    f"<th>cites</th></tr></thead><tbody>{items}</tbody></table></div>", ""]
    demo = demo_cohort()
    cmp_ = compare_policies(demo, a, b).attrs["summary"]
    rc = recommendation_counts(demo, (a, b))
    by_code = "".join(f"<tr><td>{E(c)}</td><td>{v['only_a']}</td><td>{v['only_b']}</td></tr>" for c, v in cmp_["by_code"].items())
    out += ["## On the demo cohort", "", f"<p>{cmp_['patients']} synthetic patients; the recommendations differ for {cmp_['differ']} of them "
            f"({100 * cmp_['differ'] / cmp_['patients']:.1f}%). Patients given each recommendation, at any strength:</p>", "",
            f"{_SEP}{policy_chart(rc, len(demo))}</div>", "",
            f'{_SEP}<table class="rules"><thead><tr><th>recommendation</th><th>only under {a}</th><th>only under {b}</th></tr></thead>'
            f"<tbody>{by_code}</tbody></table></div>", ""]
    return "\n".join(out)


def render_all() -> dict:
    "SVG of every flowchart of every chapter table, rendered two at a time: (table name, index) -> SVG text."
    from concurrent.futures import ThreadPoolExecutor
    from pannet_guideline.guideline import POLICIES
    from pannet_guideline.pathway import chapter_names, chapter_tables, pathways, to_dot, to_svg
    keys = {}
    for ch in chapter_names():
        for policy in POLICIES:
            for t in chapter_tables(ch, policy):
                for k, p in enumerate(pathways(t)): keys[(t.name, k)] = to_dot(p)
    with ThreadPoolExecutor(2) as pool: svgs = list(pool.map(to_svg, keys.values()))
    return dict(zip(keys, svgs))


if __name__ == "__main__":
    main()
