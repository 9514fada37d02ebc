"""A vignette's source as a reader sees it: the evidence register's statements and sources, by the ids the register shows and
links, never the name of the fact sheet the vignettes were written from."""
import re

from pannet_guideline.evidence import SOURCES, STATEMENTS, load_register
from pannet_guideline.vignettes import FACT_SOURCES, fact_refs, load_vignettes, source_words, vignettes_table


def test_every_vignette_source_names_what_a_reader_can_look_up():
    load_register()
    for v in load_vignettes():
        refs = fact_refs(v["source"])
        assert all(ref in FACT_SOURCES or "-" in ref for _, _, ref, _ in refs), (v["id"], v["source"])  # every section read is mapped
        shown = source_words(v["source"])
        assert "clinical_facts" not in shown and not re.search(r"\bR-[A-Z]{2}-\d", shown), (v["id"], shown)
        for sid in re.findall(r"(?<![\w.-])((?:S|T)-[\w-]+(?:\(\w+\))?)", shown):
            assert sid in SOURCES, (v["id"], sid, shown)  # every source id shown is one the register lists
        for k in re.findall(r"\bseed\.(\d\d)\b", shown): assert f"seed.{k}" in STATEMENTS, (v["id"], shown)


def test_the_vignettes_table_links_the_register_not_the_fact_sheet():
    shown = vignettes_table(vignettes=[dict(id="X", policies=["nccn-2025"], why="w", patient=dict(tumor_size_cm=1.5),
                                            source="clinical_facts 4.1 (NCCN PanNET-2) and 11 item 8")])._repr_html_()
    assert "clinical_facts" not in shown
    assert '<a href="register.html#S-NCCN(NTUH)">S-NCCN(NTUH)</a>' in shown and '<a href="register.html#seed.08">seed.08</a>' in shown
