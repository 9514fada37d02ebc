"Sphinx configuration for the pannet_guideline docs site (built from nbdev-processed notebooks, no Quarto)."
project = "pannet_guideline"
author = "pannet_guideline contributors"
copyright = "2026 onwards, pannet_guideline contributors"
extensions = ["myst_nb"]
nb_execution_mode = "off"            # render the outputs saved in the notebooks; never re-execute
nb_render_markdown_format = "myst"   # show_doc emits text/markdown: parse it with MyST
myst_enable_extensions = ["attrs_inline", "colon_fence", "dollarmath"]
myst_all_links_external = True      # doc links are relative .html paths inside the built site
exclude_patterns = ["_build", "**/.ipynb_checkpoints", "*.yml"]
html_theme = "furo"
html_title = "pannet_guideline"
html_theme_options = {"announcement": "Not a medical device: for research, audit and education; not clinical advice."}
suppress_warnings = ["mystnb.unknown_mime_type"]
html_static_path = ["_static"]
html_css_files = ["pathways.css"]  # rule tables and flowchart figures
html_js_files = ["open_target.js"]  # a link into a folded block opens it
html_search_scorer = __import__("os").path.join(__import__("os").path.dirname(__file__), "search_scorer.js")  # a rule id typed into the search box leads to its row first

# Search finds a decision rule by its id and lands on its row: each rule is an object of a small domain whose anchor is the
# `rule-<id>` row of the page that lists it (tools/build_docs.py writes the list to _rules.json beside the pages).
import json as _json
from pathlib import Path as _Path

from sphinx.domains import Domain, ObjType


class RuleDomain(Domain):
    "Decision rules, by id: found by the search box, linked to their rows."
    name, label = "rule", "Decision rules"
    object_types = {"rule": ObjType("decision rule", "rule")}
    initial_data = {"rules": {}}

    def get_objects(self):
        for rid, (page, _) in sorted(self.data["rules"].items()):
            if page in self.env.all_docs: yield rid, rid, "rule", page, f"rule-{rid}", 1

    def merge_domaindata(self, docnames, otherdata): self.data["rules"].update(otherdata.get("rules", {}))

    def resolve_any_xref(self, env, fromdocname, builder, target, node, contnode): return []


def _load_rules(app, env, docnames):
    f = _Path(app.srcdir) / "_rules.json"
    env.get_domain("rule").data["rules"] = _json.loads(f.read_text(encoding="utf-8")) if f.exists() else {}


def setup(app):
    app.add_domain(RuleDomain)
    app.connect("env-before-read-docs", _load_rules)
