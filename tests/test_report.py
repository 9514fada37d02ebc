"""The cohort report: one self-contained HTML file whose counts agree with the cohort engine's own output."""
import re

import pandas as pd
import pytest

from pannet_guideline.cohort import assess_frame
from pannet_guideline.datasets import demo_cohort
from pannet_guideline.guideline import DISCLAIMER
from pannet_guideline.report import read_cohort, write_cohort_report

from conftest import computed_once

pytestmark = pytest.mark.xdist_group("pathways")  # with --dist loadgroup, one worker draws the pathways once for all these tests


@pytest.fixture(scope="module")
def demo_page(tmp_path_factory):
    def write():
        demo = demo_cohort()
        return demo, write_cohort_report(demo, tmp_path_factory.mktemp("r") / "demo.html", title="Demo").read_text(encoding="utf-8")
    return computed_once(tmp_path_factory, "demo_report", write)


def test_self_contained(demo_page):
    _, page = demo_page
    assert page.count(DISCLAIMER) >= 2
    assert not re.search(r'<(script|link|img|iframe)[^>]+(src|href)=["\']?https?:', page)
    assert not re.search(r'url\(\s*["\']?https?:', page)
    assert "<svg" in page


def test_recommendation_counts_match_assess_frame(demo_page):
    demo, page = demo_page
    for policy in ("seed-2025", "nccn-2025"):
        recs = assess_frame(demo, policy)["recommendations"].astype(str)
        n_pancreatectomy = int(recs.str.split(";").map(lambda x: "PANCREATECTOMY" in x).sum())
        assert f">{n_pancreatectomy:,} ({100 * n_pancreatectomy / len(demo):.1f}%)<" in page


def test_a_report_of_a_registry_export_read_through_its_column_mapping(tmp_path):
    "ARC-Net's own column names, read through its mapping, as the demo job reports it (one chapter here)."
    from pannet_guideline.datasets import load_arcnet
    arcnet, mapping = load_arcnet()
    page = write_cohort_report(arcnet, tmp_path / "arcnet.html", columns=mapping, chapters=["localized"], title="ARC-Net").read_text()
    section = page[page.index("How each column was read"):page.index("Data gaps by field")]
    assert "98 patients" in page and page.count(DISCLAIMER) >= 2
    assert all(name in section for name in ("ENETS T-Staging", "t_category", "Diagnosis Age", "age_years"))


def test_concordance_section_when_treatment_given(tmp_path):
    demo = demo_cohort().head(60).copy()
    demo["treatment_received"] = "PANCREATECTOMY"
    page = write_cohort_report(demo, tmp_path / "c.html", chapters=["localized"]).read_text()
    assert "eligible_with_treatment" in page and "not computed" not in page


def test_file_input_and_bad_suffix(tmp_path):
    demo = demo_cohort().head(40)
    demo.to_csv(tmp_path / "c.csv", index=False)
    path = write_cohort_report(tmp_path / "c.csv", tmp_path / "r.html", chapters=["workup"])
    assert "40 patients" in path.read_text()
    with pytest.raises(ValueError, match="unknown table format"):
        read_cohort(tmp_path / "c.json")
    demo.to_excel(tmp_path / "c.xlsx", index=False)  # Excel is read by the same reader as every command
    assert len(read_cohort(tmp_path / "c.xlsx")) == 40


def test_report_says_how_each_column_was_read(tmp_path):
    "The input section names each column's field, the columns not read, and the unreadable values with their counts."
    df = demo_cohort().head(30).astype(str)
    df = df.rename(columns={"ki67_pct": "Ki-67 (%)"}).assign(registry_note="x")
    df.loc[:4, "Ki-67 (%)"] = "140"
    page = write_cohort_report(df, tmp_path / "r.html", chapters=["hereditary"]).read_text()
    section = page[page.index("How each column was read"):page.index("Data gaps by field")]
    assert "ki67_pct (recognised spelling)" in section and re.search(r"140 % is above 100[^<;]*\(5\)", section)
    assert "registry_note" in section and "not read" in section


def test_report_draws_the_clinical_pathways_with_counts(tmp_path):
    "One clinical pathway per question and policy of the chapters asked for, with the patients on it, fitting the page column."
    from pannet_guideline.guideline import POLICIES
    from pannet_guideline.pathway import QUESTIONS, clinical_pathway
    demo = demo_cohort()
    page = write_cohort_report(demo, tmp_path / "r.html", chapters=["followup"]).read_text()
    want = sum(clinical_pathway(q.key, p) is not None for q in QUESTIONS if q.chapter == "followup" for p in POLICIES)
    assert page.count("patients in this pathway") == want == 6
    assert f"of {len(demo):,} patients" in page and "max-width:100%" in page
    from pannet_guideline.report import REPORT_FIT_PT
    widths = [int(w) for w in re.findall(r'<svg style="width:(\d+)px', page)]
    assert widths and max(widths) <= REPORT_FIT_PT * 4 / 3  # at their own size, or shrunk to the 1100 px column...
    assert 16 * 1100 / max(max(widths), 1100) >= 11  # ...with their 12-point (16 px) text still at 11 px or more


def test_what_held_rows_wait_for_is_said_in_labels_with_the_codes_for_analysts(demo_page):
    "The table of what held rows wait for names fields and recommendations as the rest of the report does; the output's own text stays in each cell's tooltip."
    _, page = demo_page
    seg = page[page.index("What held rows wait for"):page.index("The cohort's paths")]
    visible = re.sub(r"<[^>]+>", " ", re.sub(r'title="[^"]*"', "", seg))
    assert not re.search(r"\b[A-Z][A-Z0-9]*_[A-Z0-9_]+\b", visible), visible[:300]  # no code such as SYNDROME_CONTROL
    assert not re.search(r"\b[a-z][a-z0-9]*_[a-z0-9_]+\b", visible), visible[:300]  # no field name such as functional_syndrome
    assert not re.search(r"\b(SSA|PANCREATECTOMY|METASTASECTOMY)\b|[a-z]=[a-z]", visible)
    assert "somatostatin analogue" in visible and "functional syndrome" in visible
    assert re.search(r'title="[^"]*functional_syndrome=[^"]*"', seg)  # the analyst's text, as written in primary_alternatives


def _section(page, start, end):
    return page[page.index(start):page.index(end)]


def test_held_rows_say_the_order_is_a_listing_not_advice(demo_page):
    "The held-rows section names the column for what it is: the recommendation listed first under each reading, not a first choice."
    _, page = demo_page
    section = _section(page, "Held rows and what they wait for", "The cohort's paths")
    assert "primary recommendation" not in section
    assert "listed first, under each reading" in section
    assert "not a sequence of treatment lines" in section.lower() and "not advice" in section
    assert "<code>primary_held_by</code>" in section and "<code>primary_alternatives</code>" in section  # the output columns keep their names


def test_unknown_differentiation_adds_up(demo_page):
    "Values read then set aside (a poor differentiation held for pathology review) close the gap between values read and unknowns."
    demo, page = demo_page
    read = _section(page, "How each column was read", "Data gaps by field")
    gaps = _section(page, "Data gaps by field", "Held rows and what they wait for")
    row = re.search(r"<th>differentiation</th>\s*<td>[^<]*</td>\s*<td>(\d+)</td>\s*<td>(\d+)</td>\s*<td>(\d+)</td>", read)
    values, unreadable, aside = map(int, row.groups())
    unknown = int(re.search(r'<th title="differentiation">Differentiation</th>\s*<td>(\d+)</td>', gaps)[1])
    assert aside > 0 and len(demo) - values + unreadable + aside == unknown
    assert "pathology review" in read


def test_a_field_the_staging_edition_does_not_read_is_explained(demo_page):
    _, page = demo_page
    gaps = _section(page, "Data gaps by field", "Held rows and what they wait for")
    row = gaps[gaps.index('<th title="t_category_ajcc7">T category (AJCC 7)</th>'):]
    row = row[:row.index("</tr>")]
    assert "not read for the stage of ajcc-8" in row and "disease setting" in row and "no row of the table gives it" in row


def test_the_cohort_tables_show_words_not_codes(demo_page):
    _, page = demo_page
    cohort = _visible(_section(page, "<h2>The cohort</h2>", "Recommendations under each policy"))  # the codes only in tooltips
    assert "locally_advanced" not in cohort and "not_applicable" not in cohort
    assert "locally advanced" in cohort and "not applicable" in cohort


def test_no_identifier_is_counted_as_set_aside(demo_page):
    _, page = demo_page
    read = _section(page, "How each column was read", "Data gaps by field")
    row = re.search(r"<th>patient_id</th>\s*<td>[^<]*</td>\s*<td>([\d,]+)</td>\s*<td>(\d+)</td>\s*<td>(\d+)</td>", read)
    assert row and row[3] == "0"


def _visible(html_text):
    "What a reader sees of some HTML: tooltips and tags left out."
    return re.sub(r"<[^>]+>", " ", re.sub(r'title="[^"]*"|<title>.*?</title>', "", html_text))


def test_the_top_tables_name_values_fields_and_recommendations_by_their_labels(demo_page):
    "A reader of the first tables meets the labels the charts use; the codes stay in each row's tooltip, for analysts."
    _, page = demo_page
    cohort = _section(page, "<h2>The cohort</h2>", "<h2>Concordance")
    seen = _visible(cohort)
    assert not re.search(r"\b[a-z]+_[a-z_]+\b|\b[A-Z][A-Z0-9]*_[A-Z0-9_]+\b|\(SSA\)|ajcc-8", seen), re.findall(r"\b\w+_\w+\b|\(SSA\)|ajcc-8", seen)[:5]
    assert "<h3>AJCC 8 stage</h3>" in cohort and "<h3>Disease setting</h3>" in cohort
    assert '<th title="not_applicable">not applicable</th>' in cohort and '<th title="locally_advanced">locally advanced</th>' in cohort
    assert '<th title="SSA">Somatostatin analogue</th>' in cohort
    gaps = _section(page, "Data gaps by field", "Held rows and what they wait for")
    assert not re.search(r"\b[a-z0-9]+_[a-z0-9_]+\b", _visible(gaps))
    assert '<th title="mitoses_per_2mm2">Mitoses</th>' in gaps


def test_the_report_marks_an_item_not_in_the_source_and_says_why(tmp_path):
    "The localised chapter under NCCN: the operations listed for a symptomatic tumour of 1 cm or less are the package's reading, marked † on the chart and named under it."
    from pannet_guideline.pathway import OWN_MARK
    page = write_cohort_report(demo_cohort(), tmp_path / "r.html", policies=("nccn-2025",), chapters=["localized"]).read_text()
    assert re.search(rf"pancreatectomy\s*{OWN_MARK}", re.sub(r"<[^>]+>", " ", page))
    assert f"{OWN_MARK} Not in the source" in page and "NCCN-LOC-NF-LE1-SYMPTOMATIC" in page
    assert "An item marked † is not in the source" in page


def test_the_report_says_why_its_parts_could_differ_from_the_site(demo_page):
    _, page = demo_page
    intro = _section(page, "<h2>The cohort's paths</h2>", "<details>")
    assert "cut into the parts of its chart on the site" in intro
    for n_here, n_site in re.findall(r"(\d+) parts here, (\d+) on the site", page): assert n_here != n_site


def test_recommended_counts_are_those_one_patient_is_given_at_the_firmest_strength():
    "The report's 'recommended' column counts, per code, the patients whose own assessment makes it at `recommended`, not as an option."
    from pannet_guideline import assess
    from pannet_guideline.pathway import recommendation_counts
    demo = demo_cohort().head(60)
    for policy in ("seed-2025", "nccn-2025"):
        firm = recommendation_counts(demo, (policy,), strength="recommended")[policy]
        anyhow = recommendation_counts(demo, (policy,))[policy]
        one = {}
        for _, row in demo.iterrows():
            rec = {k: v for k, v in row.items() if not (isinstance(v, float) and pd.isna(v))}
            for r in assess(rec, policy=policy, strict=False).recommendation_list:
                if r.strength == "recommended": one[r.code] = one.get(r.code, 0) + 1
        assert firm.to_dict() == one and (firm <= anyhow.reindex(firm.index)).all() and firm.sum() < anyhow.sum()
