"""Open every page of the built docs site (and any extra HTML file given) in headless Debian chromium, and fail on what a
reader would trip over: a broken image or link, a console error, a page wider than the window, diagram text too small to
read at the default zoom. Screenshots of the chapter pages are kept in _screenshots/ (not committed).

Usage: .venv/bin/python tools/check_pages.py [--site _docs] [--shots _screenshots] [EXTRA.html ...]
Talks to chromium over the DevTools protocol on 127.0.0.1 (websocket-client); the pages are served from a local
static server on 127.0.0.1, nothing is fetched from the network.
"""
import argparse
import base64
import functools
import http.server
import json
import re
import shutil
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
import urllib.request
from pathlib import Path

import websocket
from html.parser import HTMLParser

ROOT = Path(__file__).resolve().parents[1]
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking",
         "--disable-component-update", "--disable-sync", "--hide-scrollbars", "--remote-debugging-address=127.0.0.1",
         "--remote-debugging-port=0", "--window-size=1280,900"]
MIN_TEXT_PX = 9.0  # smallest diagram text a reader can take in at 100% zoom (any diagram, folded ones included)
# Targets on the chapter pages of "The guideline", as a reader opens them (folded blocks closed):
CHAPTERS = ("grading", "staging", "workup", "localized", "functional", "advanced", "hereditary", "followup", "caveats")
PATHWAY_TEXT_PX = 11.0  # smallest text of a clinical pathway (and of any diagram shown open) on a chapter page
MAX_PAGE_PX = 20_000  # longest chapter page
FIRST_CHAPTER_BY = 3  # the first clinical chapter's position in the navigation
WIDTH, HEIGHT = 1280, 900
SHOTS = ("index", "grading", "staging", "your_data", "workup", "localized", "functional", "advanced", "hereditary", "caveats", "followup",  # chapter pages
         "register", "compare_policies", "audit", "pathway")

# Run in the page after load, before anything is opened: what a reader sees first.
MEASURE = r"""(() => {
  const col = document.querySelector('article[role=main]'); const cw = col ? col.clientWidth : window.innerWidth;
  const shown = e => e.getBoundingClientRect().width > 0 && !e.closest('details:not([open])');
  const diagrams = [...document.querySelectorAll('article img')].filter(i => /\.svg($|#)/.test(i.src) && shown(i))
    .concat([...document.querySelectorAll('article svg')].filter(s => !s.parentElement.closest('svg') && shown(s) && s.getBoundingClientRect().width > 150));
  const wide = diagrams.filter(e => e.getBoundingClientRect().width > cw + 1).map(e => e.getAttribute('src') || e.id || 'inline svg');
  let smallest = null;
  for (const t of document.querySelectorAll('article svg text')) {
    if (!shown(t) || !t.textContent.trim()) continue;
    const m = t.getScreenCTM(); if (!m) continue;
    const px = parseFloat(getComputedStyle(t).fontSize) * Math.hypot(m.a, m.b);
    if (smallest === null || px < smallest) smallest = px;
  }
  const imgs = diagrams.filter(e => e.tagName === 'IMG').map(i => ({src: i.src, width: i.getBoundingClientRect().width}));
  const tests = [...document.querySelectorAll('article div.cell')].filter(c => {
    const i = c.querySelector('.cell_input'); return i && shown(i) && /\b(test_\w+\(|assert\b)/.test(i.textContent); }).length;
  const nav = [...document.querySelectorAll('.sidebar-tree a.reference')].map(a => a.getAttribute('href'));
  return JSON.stringify({cw, diagrams: diagrams.length, wide, smallest, imgs, tests, nav, height: document.documentElement.scrollHeight});
})()"""

# Run in the page after load: open collapsed sections, then report images, links, width and the smallest diagram text.
PROBE = r"""(() => {
  document.querySelectorAll('details').forEach(d => d.open = true);
  const brokenImages = [...document.images].filter(i => !i.complete || i.naturalWidth === 0).map(i => i.getAttribute('src'));
  const links = [...document.querySelectorAll('a[href]')].map(a => a.href);
  const ids = [...document.querySelectorAll('[id]')].map(e => e.id);
  const imgs = [...document.images].filter(i => /\.svg($|#)/.test(i.src) && i.clientWidth > 0)
    .map(i => ({src: i.src, width: i.getBoundingClientRect().width}));
  let smallest = null, where = null;
  for (const t of document.querySelectorAll('svg text')) {
    const r = t.getBoundingClientRect(); if (!r.width || !t.textContent.trim()) continue;
    const m = t.getScreenCTM(); if (!m) continue;
    const px = parseFloat(getComputedStyle(t).fontSize) * Math.hypot(m.a, m.b);
    if (smallest === null || px < smallest) { smallest = px; where = t.textContent.trim().slice(0, 40); }
  }
  const overflow = document.documentElement.scrollWidth - window.innerWidth;
  const top = [...document.querySelectorAll('svg')].filter(s => !s.parentElement.closest('svg') && s.getBoundingClientRect().width > 150);
  const column = document.body.clientWidth - parseFloat(getComputedStyle(document.body).paddingLeft) - parseFloat(getComputedStyle(document.body).paddingRight);
  const svgWidths = top.map(s => Math.round(s.getBoundingClientRect().width));
  const wideSvgs = top.filter(s => s.getBoundingClientRect().width > column + 1).length;
  // a table or a code block (folds opened) that is wider than the text it sits in, or sits in a box that scrolls sideways
  const scrolls = e => e.scrollWidth > e.clientWidth + 1 && ['auto', 'scroll'].includes(getComputedStyle(e).overflowX);
  const boxed = e => { for (let a = e; a && a.tagName !== 'ARTICLE' && a !== document.body; a = a.parentElement) if (scrolls(a)) return true; return false; };
  const label = e => ((e.querySelector('th') || e).textContent || '').trim().slice(0, 40);
  const wideTables = [...document.querySelectorAll('table')].filter(t => t.parentElement && t.getBoundingClientRect().width > 0 &&
    (t.getBoundingClientRect().width > t.parentElement.getBoundingClientRect().width + 1 || boxed(t))).map(label);
  const widePre = [...document.querySelectorAll('pre')].filter(p => p.getBoundingClientRect().width > 0 && boxed(p)).map(label);
  return JSON.stringify({brokenImages, links, ids, imgs, smallest, where, overflow, height: document.documentElement.scrollHeight,
                         svgs: top.length, svgWidths, wideSvgs, column, wideTables, widePre});
})()"""


class Browser:
    "One headless chromium, driven over the DevTools protocol."
    def __init__(self, binary="chromium"):
        self.profile = tempfile.mkdtemp(prefix="chromium-profile-")
        self.proc = subprocess.Popen([binary, *FLAGS, f"--user-data-dir={self.profile}", "about:blank"],
                                     stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        port_file = Path(self.profile) / "DevToolsActivePort"
        for _ in range(300):
            if port_file.exists() and port_file.read_text().strip(): break
            time.sleep(0.1)
        else: raise RuntimeError("chromium did not start (no DevToolsActivePort)")
        port = port_file.read_text().split()[0]
        pages = json.load(urllib.request.urlopen(f"http://127.0.0.1:{port}/json/list"))
        target = next(p for p in pages if p["type"] == "page")
        self.ws = websocket.create_connection(target["webSocketDebuggerUrl"], timeout=60, suppress_origin=True)
        self.n, self.events = 0, []
        for domain in ("Page", "Runtime", "Log", "Network"): self.call(f"{domain}.enable")

    def call(self, method, **params):
        self.n += 1
        self.ws.send(json.dumps({"id": self.n, "method": method, "params": params}))
        while True:
            msg = json.loads(self.ws.recv())
            if msg.get("id") == self.n:
                if "error" in msg: raise RuntimeError(f"{method}: {msg['error']}")
                return msg.get("result", {})
            self.events.append(msg)

    def wait_for(self, method, timeout=60):
        end = time.time() + timeout
        while time.time() < end:
            hit = next((e for e in self.events if e.get("method") == method), None)
            if hit: return hit
            self.ws.settimeout(max(end - time.time(), 0.1))
            try: self.events.append(json.loads(self.ws.recv()))
            except websocket.WebSocketTimeoutException: break
        raise TimeoutError(f"no {method} within {timeout} s")

    def open(self, url):
        self.events = []
        self.call("Page.navigate", url=url)
        self.wait_for("Page.loadEventFired")
        time.sleep(0.3)  # let late scripts (search, theme) run and log
        self.call("Runtime.evaluate", expression="1")  # drain pending events
        return self.events

    def evaluate(self, expr):
        r = self.call("Runtime.evaluate", expression=expr, returnByValue=True)
        if "exceptionDetails" in r: raise RuntimeError(r["exceptionDetails"])
        return r["result"]["value"]

    def screenshot(self, path: Path, y: float = 0):
        "A window-sized picture of the page from height `y` (CSS px)."
        clip = dict(x=0, y=max(y, 0), width=WIDTH, height=HEIGHT, scale=1)
        data = self.call("Page.captureScreenshot", format="png", clip=clip, captureBeyondViewport=True)["data"]
        path.write_bytes(base64.b64decode(data))

    def close(self):
        try: self.ws.close()
        finally:
            self.proc.terminate()
            try: self.proc.wait(10)
            except subprocess.TimeoutExpired: self.proc.kill()
            shutil.rmtree(self.profile, ignore_errors=True)


def serve(folder: Path):
    "A static file server for `folder` on 127.0.0.1 (a free port), in a daemon thread."
    class Quiet(http.server.SimpleHTTPRequestHandler):
        def log_message(self, *args): pass
    handler = functools.partial(Quiet, directory=str(folder))
    srv = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=srv.serve_forever, daemon=True).start()
    return srv


def _errors(events) -> list:
    "Console errors, uncaught exceptions, failed loads and HTTP errors seen while a page loaded."
    out = []
    for e in events:
        m, p = e.get("method"), e.get("params", {})
        if "favicon.ico" in json.dumps(p): continue  # asked for by the browser itself, not by the page
        if m == "Runtime.exceptionThrown": out.append("exception: " + p["exceptionDetails"].get("text", "") + " " +
                                                      str(p["exceptionDetails"].get("exception", {}).get("description", ""))[:200])
        elif m == "Runtime.consoleAPICalled" and p.get("type") == "error":
            out.append("console error: " + " ".join(str(a.get("value", a.get("description", ""))) for a in p.get("args", []))[:200])
        elif m == "Log.entryAdded" and p["entry"].get("level") == "error": out.append(f"log error: {p['entry'].get('text', '')} {p['entry'].get('url', '')}")
        elif m == "Network.loadingFailed" and not p.get("canceled"): out.append(f"load failed: {p.get('errorText')}")
        elif m == "Network.responseReceived" and p["response"]["status"] >= 400: out.append(f"HTTP {p['response']['status']}: {p['response']['url']}")
    return out


@functools.lru_cache(maxsize=None)
def _svg_scale_info(path: Path):
    "viewBox width and smallest font size (user units) of a Graphviz SVG file."
    text = path.read_text(encoding="utf-8", errors="replace")
    vb = re.search(r'viewBox="[-\d.]+ [-\d.]+ ([\d.]+) [\d.]+"', text)
    sizes = [float(x) for x in re.findall(r'font-size="([\d.]+)"', text)]
    return (float(vb[1]) if vb else None), (min(sizes) if sizes else None)


@functools.lru_cache(maxsize=None)
def _ids_in(path: Path) -> set:
    return set(re.findall(r'\sid="([^"]+)"', path.read_text(encoding="utf-8", errors="replace")))


_PARA = re.compile(r"<p>((?:(?!</p>).)*?)</p>\s*(?=(<[^>]+>|$))", re.S)
_NOTHING = re.compile(r"<(p[ >]|(h\d|section|/section|/article|/main|/body)\b)|<div class=\"cell tag_(hide|remove)-cell|$")


def dangling_colons(text: str) -> list:
    "Paragraphs that end in ':' and introduce nothing: the next thing is a heading, another paragraph, the end of the section or a folded cell."
    return [re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "", m[1])).strip()[-80:] for m in _PARA.finditer(text)
            if re.sub(r"<[^>]+>", "", m[1]).strip().endswith(":") and _NOTHING.match(m[2] or "")]


MEASURES = {}  # page -> what `measure` saw, for the summary


def measure(browser, folder: Path) -> dict:
    "What a reader sees on the open page before opening anything: diagrams wider than the column, the smallest diagram text in px, visible test cells, page height."
    seen = json.loads(browser.evaluate(MEASURE))
    for img in seen.pop("imgs"):  # text inside an <img> SVG: its font size times the drawn scale
        local = folder / urllib.parse.unquote(urllib.parse.urlparse(img["src"]).path).lstrip("/")
        vb_w, fs = _svg_scale_info(local) if local.exists() else (None, None)
        if vb_w and fs:
            px = fs * img["width"] / vb_w
            seen["smallest"] = px if seen["smallest"] is None else min(seen["smallest"], px)
    return seen


def summary(measures: dict) -> str:
    "The reader's figures over the chapter pages, one line."
    ch = {k: v for k, v in measures.items() if Path(k).stem in CHAPTERS}
    if not ch: return ""
    small = [v["smallest"] for v in ch.values() if v["smallest"] is not None]
    longest = max(ch, key=lambda k: ch[k]["height"])
    first = measures.get("index.html", {}).get("first_chapter")
    return (f"chapter pages: diagrams wider than the column {sum(len(v['wide']) for v in ch.values())}; tables and code blocks that scroll "
            f"sideways (folds opened) {sum(v.get('wide_tables', 0) + v.get('wide_pre', 0) for v in ch.values())}; smallest diagram text "
            f"{(f'{min(small):.1f} px' if small else 'none shown')}; longest page {ch[longest]['height']:,} px ({longest}); visible test cells "
            f"{sum(v['tests'] for v in ch.values())}; first clinical chapter at position {first} of the navigation")


REPORT_TEXT_PX = 11.0  # smallest diagram text in an extra page (a cohort report), every fold opened


def check_page(browser, base: str, folder: Path, rel: str, shots: Path | None, extra: bool = False) -> list:
    "Problems on one page, as readable lines; an extra page (a cohort report) is also held to readable text and diagrams no wider than its column, folds opened."
    events = browser.open(f"{base}/{urllib.parse.quote(rel)}")
    probs = _errors(events) + [f"a sentence ends in ':' with nothing after it: ...{x!r}" for x in dangling_colons((folder / rel).read_text(encoding="utf-8"))]
    seen = measure(browser, folder)
    MEASURES[rel] = seen
    if Path(rel).stem in CHAPTERS:
        if seen["wide"]: probs.append(f"{len(seen['wide'])} diagrams wider than the {seen['cw']} px column: {seen['wide'][:3]}")
        if seen["smallest"] is not None and seen["smallest"] < PATHWAY_TEXT_PX:
            probs.append(f"diagram text {seen['smallest']:.1f} px < {PATHWAY_TEXT_PX} px on a chapter page")
        if seen["height"] > MAX_PAGE_PX: probs.append(f"page {seen['height']:,} px long > {MAX_PAGE_PX:,} px")
        if seen["tests"]: probs.append(f"{seen['tests']} test cells shown (fold or hide them)")
    if rel == "index.html":
        first = next((i + 1 for i, h in enumerate(seen["nav"]) if Path(h).stem in CHAPTERS), None)
        seen["first_chapter"] = first
        if first is None or first > FIRST_CHAPTER_BY: probs.append(f"first clinical chapter at position {first} of the navigation > {FIRST_CHAPTER_BY}")
    info = json.loads(browser.evaluate(PROBE))
    probs += [f"broken image: {s}" for s in info["brokenImages"]]
    if info["overflow"] > 1: probs.append(f"page wider than the {WIDTH} px window by {info['overflow']} px")
    if Path(rel).stem in CHAPTERS and info["wideTables"]:
        probs.append(f"{len(info['wideTables'])} tables wider than their column (they scroll sideways): {info['wideTables'][:3]}")
    if Path(rel).stem in CHAPTERS and info["widePre"]:
        probs.append(f"{len(info['widePre'])} code blocks wider than their column (they scroll sideways): {info['widePre'][:3]}")
    MEASURES[rel].update(wide_tables=len(info["wideTables"]), wide_pre=len(info["widePre"]))
    if extra:
        MEASURES[rel].update(opened=dict(svgs=info["svgs"], widest=max(info["svgWidths"] or [0]), column=info["column"],
                                          smallest=info["smallest"], wide=info["wideSvgs"]))
        if info["wideSvgs"]: probs.append(f"{info['wideSvgs']} diagrams wider than the {info['column']:.0f} px column")
        if info["smallest"] is not None and info["smallest"] < REPORT_TEXT_PX:
            probs.append(f"diagram text {info['smallest']:.1f} px < {REPORT_TEXT_PX} px ({info['where']!r})")
    if info["smallest"] is not None and info["smallest"] < MIN_TEXT_PX:
        probs.append(f"diagram text {info['smallest']:.1f} px < {MIN_TEXT_PX} px ({info['where']!r})")
    for img in info["imgs"]:
        local = folder / urllib.parse.unquote(urllib.parse.urlparse(img["src"]).path).lstrip("/")
        vb_w, fs = _svg_scale_info(local) if local.exists() else (None, None)
        if vb_w and fs and fs * img["width"] / vb_w < MIN_TEXT_PX:
            probs.append(f"diagram {local.name}: text {fs * img['width'] / vb_w:.1f} px < {MIN_TEXT_PX} px at column width")
    here = urllib.parse.urlparse(f"{base}/{rel}")
    for href in dict.fromkeys(info["links"]):
        u = urllib.parse.urlparse(href)
        if u.scheme not in ("http", "https") or u.netloc != here.netloc: continue  # outside links are not fetched
        target = folder / urllib.parse.unquote(u.path).lstrip("/")
        if target.is_dir(): target = target / "index.html"
        if not target.exists(): probs.append(f"broken link: {href}"); continue
        if u.fragment and target.suffix == ".html":
            ids = set(info["ids"]) if target == folder / rel else _ids_in(target)
            if urllib.parse.unquote(u.fragment) not in ids: probs.append(f"broken anchor: {href}")
    if shots is not None:  # the top of the page, the first flowchart, the first rule table, as a reader scrolls to them
        shots.mkdir(parents=True, exist_ok=True)
        stem = Path(rel).stem
        browser.screenshot(shots / f"{stem}-top.png")
        for label, sels in (("flowchart", ("#flowcharts figure.pathway", "figure.pathway")), ("rules", ("table.rules",)),
                            ("vignette", ("#worked-examples figure.pathway",))):
            find = " || ".join(f"document.querySelector('{x}')" for x in sels)
            y = browser.evaluate(f"(() => {{ const e = {find}; return e ? e.getBoundingClientRect().top + window.scrollY - 40 : -1; }})()")
            if y >= 0: browser.screenshot(shots / f"{stem}-{label}.png", y)
    return probs


def rule_objects(site: Path) -> dict:
    "Rule id -> page#anchor, as the site's search index lists the decision rules."
    text = (site / "searchindex.js").read_text(encoding="utf-8")
    idx = json.loads(text[text.index("(") + 1:text.rindex(")")])
    kinds = {int(k): v for k, v in idx["objtypes"].items()}
    out = {}
    for prefix, objs in idx["objects"].items():
        for doc, kind, _prio, anchor, name in objs:
            if kinds[kind] != "rule:rule": continue
            full = f"{prefix}.{name}" if prefix else name
            anchor = full if anchor == "" else f"rule-{full}" if anchor == "-" else anchor
            out[full] = f"{idx['docnames'][doc]}.html#{anchor}"
    return out


def check_search(browser, base: str, site: Path, example: str = "NCCN-LOC-NF-1TO2-RESECT") -> list:
    "Every rule id in the search index points at its row; typing one rule id into the search box lands on its row, opened."
    probs, objs = [], rule_objects(site)
    from pannet_guideline.audit import all_tables
    ids = {r.id for t in all_tables() for r in t.rules}
    if missing := sorted(ids - set(objs)): probs.append(f"{len(missing)} rules not in the search index: {missing[:3]}")
    for rid, target in objs.items():
        page, anchor = target.split("#")
        if anchor not in _ids_in(site / page): probs.append(f"search index: {rid} -> {target}: no such row")
    browser.open(f"{base}/search.html?q={urllib.parse.quote(example)}")
    first = None
    for _ in range(50):
        first = browser.evaluate("(() => { const a = document.querySelector('#search-results ul.search a'); return a ? a.href : null; })()")
        if first: break
        time.sleep(0.1)
    if not first or urllib.parse.urlparse(first).fragment != f"rule-{example}":
        probs.append(f"searching {example} leads to {first}, not its row")
    else:
        browser.open(first)
        for _ in range(30):  # the page opens the folded block and scrolls once its images have their size
            seen = browser.evaluate(f"(() => {{ const e = document.getElementById('rule-{example}'); const r = e && e.getBoundingClientRect();"
                                    " return !!(r && r.height > 0 && r.top >= 0 && r.top < window.innerHeight); })()")
            if seen: break
            time.sleep(0.1)
        if not seen: probs.append(f"{first}: the row is not shown (folded or out of view)")
    SEARCH.update(rules=len(objs), example=example, lands=first)
    return probs


def check_sources(site: Path) -> list:
    "Every source of the register with a DOI or PMID links it on the register page."
    from pannet_guideline.evidence import SOURCES
    text = (site / "register.html").read_text(encoding="utf-8")
    probs, n = [], 0
    for s in SOURCES.values():
        for value, url in ((s.doi, "https://doi.org/"), (s.pmid, "https://pubmed.ncbi.nlm.nih.gov/")):
            if not value: continue
            n += 1
            if f'href="{url}' + str(value).strip().removeprefix("https://doi.org/").removeprefix("doi:") not in text and \
               f'href="{url}{urllib.parse.quote(str(value).strip(), safe="/:;()._-<>[]")}' not in text:
                probs.append(f"register: {s.id} {value} is not linked")
    SEARCH.update(source_links=n - len(probs), source_ids=n)
    return probs


SEARCH = {}

# Pages for readers (the chapters, the evidence, their own data): what they show is read, not parsed as code.
READER_PAGES = CHAPTERS + ("register", "sources", "compare_policies", "audit", "vignettes", "your_data", "recorded", "glossary")


class RawOutputs(HTMLParser):
    "Outputs a reader meets without opening anything that are a program's, not a page's: pandas tables and plain-text values outside folded blocks."
    def __init__(self):
        super().__init__(); self.folded, self.found = 0, []
    def handle_starttag(self, tag, attrs):
        cls = (dict(attrs).get("class") or "").split()
        if tag == "details": self.folded += 1
        if self.folded: return
        if tag == "table" and "dataframe" in cls: self.found.append("a data frame")
        if tag == "div" and "text_plain" in cls: self.found.append("a plain-text value")
    def handle_endtag(self, tag):
        if tag == "details" and self.folded: self.folded -= 1


def raw_outputs(text: str) -> list:
    parser = RawOutputs(); parser.feed(text)
    return parser.found


FOLDED_ROWS = 10  # a table longer than this, in a folded code cell of a reader's page, is the page's content, not a check's output


def folded_content(text: str) -> list:
    "Tables of a reader's page that only open with a code cell's fold ('Show code cell content'): the cell shows a table and also checks it."
    cells = [re.split(r"<section\b", c)[0] for c in re.split(r'(?=<div class="cell[ "])', text)]  # a cell ends before the next section
    return [f"a table of {n} rows" for c in cells if "tag_hide-cell" in c.split(">", 1)[0]
            for n in [len(re.findall(r"<tr[ >]", c))] if n > FOLDED_ROWS]


_KEY_VALUE = re.compile(r"\b[a-z][a-z0-9]*_[a-z0-9_]+=[^\s=<]")  # `field_name=value`, as a program prints a record


class ShownText(HTMLParser):
    "What a reader sees of a page without opening anything: the text outside folded blocks, and the inline code words in it."
    def __init__(self):
        super().__init__(); self.folded, self.code, self.text, self.codes = 0, 0, [], []
    def handle_starttag(self, tag, attrs):
        if tag == "details": self.folded += 1
        if tag == "code" and not self.folded and "code-id" not in (dict(attrs).get("class") or ""): self.code += 1; self.codes.append("")  # a code-id stands beside its label
    def handle_endtag(self, tag):
        if tag == "details" and self.folded: self.folded -= 1
        if tag == "code" and self.code: self.code -= 1
    def handle_data(self, data):
        if self.folded: return
        self.text.append(data)
        if self.code: self.codes[-1] += data


# a Python signature, the engine's word for how a table's rules combine, a module or registry name, an import, a call that prints a table,
# the engine's names of an assessment's columns
ENGINE_WORDS = re.compile(r"\bdef \w+\(|\bhit policy\b|\bpannet_guideline\.\w+|\bconcepts\.CUTS\b|^\s*import [\w.]+|^\s*from [\w.]+ import\b|\brules_table\(|"
                          r"\b(in|into) (pending|gaps)\b", re.I | re.M)


@functools.lru_cache(maxsize=None)
def table_constants() -> re.Pattern:
    "The Python names the decision tables are held under (LOCALIZED_SEED...): code a reader has no use for."
    import importlib, pkgutil
    import pannet_guideline
    from pannet_guideline.tables import DecisionTable
    names = set()
    for m in pkgutil.iter_modules(pannet_guideline.__path__):
        try: mod = importlib.import_module(f"pannet_guideline.{m.name}")
        except Exception: continue  # a module that needs an optional dependency holds no table a chapter names
        names |= {k for k, v in vars(mod).items() if k.isupper() and isinstance(v, DecisionTable)}
    from pannet_guideline.vocab import ALERTS, RECOMMENDATIONS
    names = {n for n in names if n not in ALERTS and n not in RECOMMENDATIONS}  # a code, not a table's name
    return re.compile(r"(?<![\w-])(" + "|".join(sorted(names, key=len, reverse=True)) + r")(?![\w-])") if names else re.compile(r"(?!)")


def engine_words(text: str) -> tuple:
    "On a chapter page, as a reader sees it: Python signatures and engine words shown, and recommendation codes or field names written as code in the prose."
    from pannet_guideline.schema import FIELDS
    from pannet_guideline.vocab import ALERTS, RECOMMENDATIONS
    article = text[text.find("<article"):text.find("</article>")] if "<article" in text else text
    article = re.sub(r'<section id="(rules-and-the-statements-they-cite|technical-diagrams-one-per-table|worked-examples)".*?</section>', "", article, flags=re.S)
    parser = ShownText(); parser.feed(article)
    shown = "".join(parser.text)
    found = [m[0].strip() for m in ENGINE_WORDS.finditer(shown)] + [m[0] for m in table_constants().finditer(shown)]
    codes = [c.strip() for c in parser.codes if c.strip() in RECOMMENDATIONS or c.strip() in ALERTS or c.strip() in FIELDS]
    return found, codes


def _page_texts(site: Path, stems) -> list:
    "(stem, html) of each of these pages that the site has."
    return [(stem, (site / f"{stem}.html").read_text(encoding="utf-8")) for stem in stems if (site / f"{stem}.html").exists()]


def check_engine_words(site: Path) -> list:
    "Chapter pages show no Python signature and no 'hit policy' to a reader, and their prose names recommendations and fields by their labels."
    probs, total = [], 0
    for stem, text in _page_texts(site, CHAPTERS):
        found, codes = engine_words(text)
        total += len(codes)
        if found: probs.append(f"{stem}: {len(found)} engine words shown: {sorted(set(found))[:4]}")
        if codes: probs.append(f"{stem}: {len(codes)} codes or field names in backticks in the prose: {sorted(set(codes))[:6]}")
    SEARCH.update(prose_codes=total)
    return probs


class ReaderProse(HTMLParser):
    "The prose a reader meets without opening anything: paragraphs, list items and headings outside folds, tables, figures and code blocks; a code id beside its label is left out."
    BLOCKS, SKIP = ("p", "li", "h1", "h2", "h3", "h4", "dt", "dd"), ("details", "table", "pre", "svg", "figure")
    def __init__(self):
        super().__init__(); self.skip, self.block, self.code_id, self.text = 0, 0, 0, []
    def handle_starttag(self, tag, attrs):
        if tag in self.SKIP: self.skip += 1
        if tag in self.BLOCKS: self.block += 1
        if tag == "code" and "code-id" in (dict(attrs).get("class") or ""): self.code_id += 1
    def handle_endtag(self, tag):
        if tag in self.SKIP and self.skip: self.skip -= 1
        if tag in self.BLOCKS and self.block: self.block -= 1; self.text.append(" ")
        if tag == "code" and self.code_id: self.code_id -= 1
    def handle_data(self, data):
        if self.block and not (self.skip or self.code_id): self.text.append(data)


# a program's name for a value, a concept or a constant (locally_advanced, in_place, SEED_OCTREOTIDE_VS_NCCN), a condition method, a code cell's fold
IDENTIFIER = re.compile(r"(?<![\w.#/=-])(?:[a-z][a-z0-9]*(?:_[a-z0-9]+)+|[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+)(?![\w-])|\.otherwise\(|Show code cell")
PROSE_PAGES = CHAPTERS + ("compare_policies",)


def identifiers(text: str) -> list:
    "Programming identifiers in a page's reader prose (folds, tables, diagrams and code blocks left out)."
    article = text[text.find("<article"):text.find("</article>")] if "<article" in text else text
    parser = ReaderProse(); parser.feed(article)
    return [m[0] for m in IDENTIFIER.finditer("".join(parser.text))]


def check_identifiers(site: Path) -> list:
    "Chapter pages and the policy comparison name values and concepts by their clinical words in their prose, not by a program's identifiers."
    probs, total = [], 0
    for stem, text in _page_texts(site, PROSE_PAGES):
        found = identifiers(text)
        total += len(found)
        if found: probs.append(f"{stem}: {len(found)} programming identifiers in the prose: {sorted(set(found))[:6]}")
    SEARCH.update(prose_identifiers=total)
    return probs


def check_reader_tables(site: Path) -> list:
    "Reader pages show tables for readers: no raw data frame or value shown open, no worked example written field=value, and the sources pages list every statement of the register."
    from pannet_guideline.evidence import STATEMENTS, load_register
    load_register()
    probs = []
    for stem in READER_PAGES:
        page = site / f"{stem}.html"
        if not page.exists(): continue
        text = page.read_text(encoding="utf-8")
        if found := raw_outputs(text): probs.append(f"{stem}: {len(found)} raw outputs shown open ({', '.join(sorted(set(found)))})")
        if hidden := folded_content(text): probs.append(f"{stem}: main content folded in a code cell: {hidden}")
        examples = text[text.find('id="worked-examples"'):] if 'id="worked-examples"' in text else ""
        if m := _KEY_VALUE.search(re.sub(r"<[^>]+>", " ", examples)): probs.append(f"{stem}: a worked example written as field=value: {m[0]!r}")
    listed = set()
    for stem in ("sources", "evidence"):
        if (site / f"{stem}.html").exists():
            tables = re.findall(r'<table class="rules reader">.*?</table>', (site / f"{stem}.html").read_text(encoding="utf-8"), flags=re.S)
            listed |= {i for t in tables for i in re.findall(r'href="register\.html#([^"]+)"', t)}
    if missing := sorted(set(STATEMENTS) - listed): probs.append(f"{len(missing)} statements listed on neither the sources nor the evidence page: {missing[:3]}")
    SEARCH.update(statements_listed=len(set(STATEMENTS) & listed), statements=len(STATEMENTS))
    return probs


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--site", default=str(ROOT / "_docs"))
    ap.add_argument("--shots", default=str(ROOT / "_screenshots"), help="where the screenshots go; empty: none taken (CI, where no one reads them)")
    ap.add_argument("extra", nargs="*", help="more HTML files to check (e.g. a cohort report)")
    args = ap.parse_args(argv)
    site, shots = Path(args.site), Path(args.shots) if args.shots else None
    if not shutil.which("chromium"): sys.exit("chromium not found: run tools/setup_env.sh as root, or install Debian's chromium")
    pages = sorted(p.relative_to(site).as_posix() for p in site.glob("*.html"))
    srv, browser, failures, t0 = serve(site), Browser(), {}, time.perf_counter()
    base = f"http://127.0.0.1:{srv.server_address[1]}"
    try:
        for rel in pages:
            probs = check_page(browser, base, site, rel, shots if Path(rel).stem in SHOTS else None)
            if probs: failures[rel] = probs
        if (site / "searchindex.js").exists():
            probs = check_search(browser, base, site) + check_sources(site)
            if probs: failures["search and sources"] = probs
        if probs := check_reader_tables(site): failures["tables for readers"] = probs
        if probs := check_engine_words(site): failures["engine words on chapter pages"] = probs
        if probs := check_identifiers(site): failures["programming identifiers in reader prose"] = probs
        for extra in args.extra:
            p = Path(extra).resolve()
            xsrv = serve(p.parent)
            try:
                probs = check_page(browser, f"http://127.0.0.1:{xsrv.server_address[1]}", p.parent, p.name, shots, extra=True)
            finally: xsrv.shutdown()
            if probs: failures[str(extra)] = probs
    finally:
        browser.close(); srv.shutdown()
    n = len(pages) + len(args.extra)
    print(summary(MEASURES))
    for page, seen in MEASURES.items():
        if "opened" in seen:
            o = seen["opened"]
            print(f"{page}: {o['svgs']} diagrams, widest {o['widest']} px in a {o['column']:.0f} px column ({o['wide']} wider), "
                  f"smallest text {o['smallest'] or 0:.1f} px with every fold opened; page {seen['height']:,} px folded")
    if "prose_codes" in SEARCH: print(f"chapter prose: {SEARCH['prose_codes']} codes or field names in backticks")
    if "prose_identifiers" in SEARCH: print(f"reader prose: {SEARCH['prose_identifiers']} programming identifiers")
    if SEARCH: print(f"search: {SEARCH.get('rules', 0)} rule ids indexed, {SEARCH.get('example')} -> {SEARCH.get('lands')}; "
                     f"sources: {SEARCH.get('source_links', 0)} of {SEARCH.get('source_ids', 0)} DOIs and PMIDs linked; "
                     f"{SEARCH.get('statements_listed', 0)} of {SEARCH.get('statements', 0)} statements listed under their sources")
    for page, probs in failures.items():
        print(f"FAIL {page}"); [print(f"  {x}") for x in probs[:20]]
    print(f"{n} pages checked in chromium in {time.perf_counter() - t0:.0f} s; {len(failures)} with problems" + (f"; screenshots in {shots}" if shots else "; no screenshots taken"))
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
