"""README.md from nbs/index.ipynb without Quarto: execute the notebook, convert it to Markdown.

Usage: .venv/bin/python tools/build_readme.py
"""
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
NOTE = "<!-- Generated from nbs/index.ipynb by tools/build_readme.py: edit the notebook, not this file. -->\n\n"


def main():
    out = ROOT / "_proc"
    out.mkdir(exist_ok=True)
    subprocess.run([sys.executable, "-m", "jupyter", "nbconvert", "--to", "markdown", "--execute",
                    "--output-dir", str(out), "--output", "README", str(ROOT / "nbs" / "index.ipynb")], check=True)
    text = (out / "README.md").read_text(encoding="utf-8")
    (ROOT / "README.md").write_text(NOTE + text.strip() + "\n", encoding="utf-8")
    print("README.md written")


if __name__ == "__main__":
    main()
