"""Docs site without Quarto: nbdev's processed notebooks -> a Sphinx/myst-nb source tree -> HTML.

Usage: .venv/bin/python tools/build_docs.py   (site in _docs/, source tree in _sphinx/)
"""
import json
import re
import shutil
import subprocess
import sys
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


def fix_nb(src: Path, dst: Path, rel: Path) -> Path:
    nb = json.loads(src.read_text(encoding="utf-8"))
    fm, cells = {}, []
    for i, c in enumerate(nb["cells"]):
        s = "".join(c["source"])
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
            for o in c.get("outputs", []):
                d = o.get("data", {})
                if "text/markdown" in d: d["text/markdown"] = _fix_md_output("".join(d["text/markdown"]))
        c["id"] = c.get("id") or f"cell-{i}"
        cells.append({k: v for k, v in c.items() if k in _keys[c["cell_type"]]})
    nb["cells"] = cells
    nb["metadata"]["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    nb["metadata"]["language_info"] = {"name": "python", "pygments_lexer": "ipython3"}  # nbdev_clean strips it; myst-nb needs it
    out = dst / rel.parent / (Path(fm.get("output-file", src.name)).stem + ".ipynb")
    out.parent.mkdir(parents=True, exist_ok=True)
    text = json.dumps(nb, indent=1).replace(DOC_ROOT, "")  # nbdev writes absolute doc links: make them relative
    out.write_text(text, encoding="utf-8")
    return out


DOC_ROOT = ""


def prepare(dst="_sphinx") -> Path:
    global DOC_ROOT
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
    idx = dst / "index.ipynb"
    pages = [o.relative_to(dst).with_suffix("").as_posix() for o in outs if o != idx]
    nb = json.loads(idx.read_text())
    nb["cells"].append(dict(cell_type="markdown", id="toctree", metadata={"tags": ["sphinx-toctree"]},
                            source="```{toctree}\n:maxdepth: 1\n:caption: Chapters\n" + "\n".join(pages) + "\n```"))
    idx.write_text(json.dumps(nb, indent=1))
    print(f"{len(outs)} notebooks -> {dst}")
    return dst


def main():
    root = Path(__file__).resolve().parents[1]
    src = prepare()
    r = subprocess.run([sys.executable, "-m", "sphinx", "-W", "--keep-going", "-q", "-b", "html", "-c", str(root / "docs"), str(src), str(root / "_docs")])
    if r.returncode: sys.exit(r.returncode)
    print(f"site written to {root / '_docs'}/index.html")


if __name__ == "__main__":
    main()
