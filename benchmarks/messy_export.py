"""Measure how registry exports are read: a messy export made from the demo cohort, and the bundled real tables.

Usage: python benchmarks/messy_export.py

The messy export is made here from the demo cohort, a quarter of the rows under each of four sites' conventions
(a hospital export, a cBioPortal-style clinical file, NAACCR/SEER-style items, a SEER*Stat export with NAACCR XML names),
with the clean table kept beside it.
Every value keeps its meaning: `25 mm` for 2.5 cm, `2,5` with a decimal comma, `<2` for a Ki-67 under 2 %, `pN0`,
`pN0(sn)`, `pN1 (3/12)`, `Non functional`, `Liver, lung`, `Liver mets: Yes`, `MEN1: No`, positive-node counts as NAACCR item 820 writes them (`00`, `03`, `97`, `99`), sizes in whole millimetres as three digits (`025`),
`ajccTnmPathN`, `Mets at DX-Liver (2016+)`, `C25.1-Body of pancreas`, `Blank(s)`, `SD`, regimen names (`Lanreotide + Afinitor`), `not done` for missing. Reported: the share of rows whose outputs
equal those of the clean table, read without a mapping and with the mapping `suggested_mapping(inspect_columns(df))`
writes; and the rows that differ while no input issue names the cause (the target is 0).
Then the bundled real tables: rows decided (a primary recommendation), held (in scope, no primary) and out of scope.
Not a medical device: a measurement of the table reader only.
"""
import warnings

import numpy as np
import pandas as pd

from pannet_guideline import assess_frame
from pannet_guideline.cohort import inspect_columns, suggested_mapping
from pannet_guideline.datasets import data_path, demo_cohort, load_arcnet, load_sheltzer
from pannet_guideline.guideline import OUTPUT_COLUMNS

COMPARED = [c for c in OUTPUT_COLUMNS if c not in ("input_issues", "rule_ids")]  # the answers; rule ids name the route (N recorded or nodal status)
MISSING = ("not done", "?", "n/a", "Blank(s)")  # how each site writes a value it does not have
REGIMENS = {"SSA": "Lanreotide", "EVEROLIMUS": "Afinitor", "SUNITINIB": "Sutent", "CAPTEM": "Capecitabine-temozolomide",
            "PRRT": "Lutathera", "PANCREATECTOMY": "Whipple", "LIVER_DIRECTED": "TACE"}
SITES_LIST = {"none": "none", "liver": "Liver", "extrahepatic": "lung", "liver_and_extrahepatic": "Liver, lung"}
LIVER = {"none": "No", "liver": "Yes", "extrahepatic": "No", "liver_and_extrahepatic": "Yes"}


def _missing(v) -> bool:
    return v is None or (isinstance(v, float) and np.isnan(v)) or (isinstance(v, str) and v.strip() == "")


def _ki67(v, style):
    if _missing(v): return None
    try: x = float(v)
    except (TypeError, ValueError): return v  # a value the clean table holds unreadable stays as written
    if style == 0 and x < 2: return "<2"  # a bound that lies inside one band of every Ki-67 cut-off
    return f"{x:g}%" if style == 0 else f"{x:g} %".replace(".", ",") if style == 1 else x


def _flag(v):
    if _missing(v): return None
    return "Yes" if v in (True, "True", "true", 1) else "No"


def _therapies(v, between="; "):
    if _missing(v): return None
    if v == "none": return "none"
    return between.join(REGIMENS.get(c, c) for c in str(v).split(";"))


def _site_a(df):
    "A hospital export: units and percent signs inside values, pT/pN prefixes, words for categories."
    return pd.DataFrame({
        "Patient": df["patient_id"],
        "Ki67 index (%)": [_ki67(v, 0) for v in df["ki67_pct"]],
        "Mitoses/2mm2": df["mitoses_per_2mm2"],
        "Size (mm)": [None if _missing(v) else f"{v * 10:g} mm" for v in df["tumor_size_cm"]],
        "Differentiation": df["differentiation"].map({"well": "WD", "poor": "PD", "mixed": "MiNEN"}),
        "Local invasion": df["local_invasion"],
        "Nodal status": [_pathology_n(v, i) for i, v in enumerate(df["nodal_status"])],
        "Metastatic sites": df["metastatic_sites"].map(SITES_LIST),
        "Liver mets": df["metastatic_sites"].map(LIVER),  # yes/no beside the sites: read, and agreeing with them
        "Functional": df["functional_syndrome"].map(lambda v: "Non functional" if v == "none" else v),
        "SSTR imaging": df["sstr_status"].map({"positive": "pos", "negative": "neg"}),
        "Resectability": df["resectable"],
        "Progression": df["progression"].map({"stable": "SD", "progressive": "PD"}),
        "Tumour burden": df["tumor_burden"],
        "Age at dx": [None if _missing(v) else f"{v:g} years" for v in df["age_years"]],
        "Carcinoid syndrome": [_flag(v) for v in df["carcinoid_syndrome"]],
        "Symptomatic": [_flag(v) for v in df["symptomatic"]],
        "Hereditary syndrome": df["hereditary_syndrome"].map(lambda v: "sporadic" if v == "none" else v),
        "MEN1": df["hereditary_syndrome"].map(lambda v: None if _missing(v) else ("Yes" if v == "MEN1" else "No")),  # reported as ambiguous, not read
        "Multifocal": [_flag(v) for v in df["multifocal"]],
        "Tumour location": df["tumor_location"],
        "Near main duct": [_flag(v) for v in df["near_main_duct"]],
        "Previous treatment": [_therapies(v) for v in df["prior_therapies"]],
    })


def _site_b(df):
    "A cBioPortal-style clinical file: capitals, decimal commas, NF for non-functioning, `?` for missing."
    return pd.DataFrame({
        "PATIENT_ID": df["patient_id"],
        "KI67": [_ki67(v, 1) for v in df["ki67_pct"]],
        "MITOTIC_COUNT": [None if _missing(v) else f"{v:g}".replace(".", ",") for v in df["mitoses_per_2mm2"]],
        "Size (cm)": [None if _missing(v) else f"{v:g}".replace(".", ",") for v in df["tumor_size_cm"]],
        "DIFFERENTIATION": df["differentiation"].map({"well": "well differentiated", "poor": "poorly differentiated", "mixed": "mixed"}),
        "LOCAL_INVASION": df["local_invasion"],
        "N_STAGE": df["nodal_status"].map({"N0": "cN0", "N1": "cN1"}),
        "METASTATIC_SITE": df["metastatic_sites"].map({"none": "absent", "liver": "hepatic", "extrahepatic": "bone",
                                                        "liver_and_extrahepatic": "liver; bone"}),
        "FUNCTIONAL": df["functional_syndrome"].map(lambda v: "NF" if v == "none" else v),
        "SSTR": df["sstr_status"],
        "RESECTABLE": df["resectable"],
        "RECIST": df["progression"].map({"stable": "stable disease", "progressive": "progressive disease"}),
        "TUMOR_BURDEN": df["tumor_burden"],
        "AGE": df["age_years"],
        "CARCINOID_SYNDROME": [_flag(v) for v in df["carcinoid_syndrome"]],
        "SYMPTOMATIC": [_flag(v) for v in df["symptomatic"]],
        "FAMILIAL_SYNDROME": df["hereditary_syndrome"].map(lambda v: "no" if v == "none" else v),
        "MULTIFOCAL": [_flag(v) for v in df["multifocal"]],
        "TUMOR_LOCATION": df["tumor_location"],
        "NEAR_MAIN_DUCT": [_flag(v) for v in df["near_main_duct"]],
        "PRIOR_TREATMENT": [_therapies(v, " + ") for v in df["prior_therapies"]],  # `Lanreotide + Afinitor`: two regimens
    })


def _pathology_n(n, i: int):
    "The N as a pathology report writes it: `pN0`, with the sentinel-node suffix (`pN0(sn)`, NAACCR item 1034), or with its positive of examined nodes (`pN1 (3/12)`)."
    if n not in ("N0", "N1"): return n
    positive = 0 if n == "N0" else 1 + i % 5
    return (f"p{n}", f"p{n}(sn)", f"p{n} ({positive}/{positive + 4 + i % 9})")[i % 3]


def _clinical_n(n, i: int) -> str:
    "The clinical N item as a registry of 2016 writes it (c0, c1, cX): where the pathological N is known, every fourth differs from it, as imaging misses or overcalls nodes."
    if n not in ("N0", "N1"): return "cX"  # the clean table's N is unknown: so is the clinical one, or it would be read in its place
    return {"N0": "c1", "N1": "c0"}[n] if i % 4 == 0 else {"N0": "c0", "N1": "c1"}[n]


def _nodes_positive(n, i: int) -> str:
    "NAACCR item 820 for a nodal status: 00 for N0; for N1 a count from 1 to 12, or 97 (count not given); 98 or 99 where unknown."
    if n == "N0": return "00"
    if n == "N1": return "97" if i % 7 == 0 else f"{1 + i % 12:02d}"
    return "98" if i % 2 else "99"


def _nodes_examined(n, i: int) -> str:
    "NAACCR item 830 beside `_nodes_positive`: a count at least the positive one (or 96, a sampling with the count not given); 00 where none were examined (98), 99 where unknown."
    if n in ("N0", "N1"): return "96" if i % 11 == 0 else f"{1 + i % 12 + i % 9:02d}"
    return "00" if i % 2 else "99"


def _registry_items(df) -> dict:
    "The items two registry-style exports write alike."
    return {
        "Functional syndrome": df["functional_syndrome"],
        "Somatostatin receptor imaging": df["sstr_status"],
        "Resectable": df["resectable"],
        "Response": df["progression"].map({"stable": "SD", "progressive": "PD"}),
        "Burden": df["tumor_burden"],
        "Carcinoid syndrome": df["carcinoid_syndrome"],
        "Symptomatic": df["symptomatic"],
        "Germline syndrome": df["hereditary_syndrome"],
        "Multifocality": df["multifocal"],
        "Location in pancreas": df["tumor_location"],
        "Near main duct": df["near_main_duct"],
        "Treatment history": df["prior_therapies"],
    }


def _site_c(df):
    "NAACCR/SEER-style items: sizes in whole mm, ICD-O-3 topography, TNM path items."
    return pd.DataFrame({
        "Patient ID": df["patient_id"],
        "Ki-67 LI": df["ki67_pct"],
        "Mitoses per 2 mm2": df["mitoses_per_2mm2"],
        "Tumor size summary": [None if _missing(v) else v * 10 for v in df["tumor_size_cm"]],
        "Histologic differentiation": df["differentiation"],
        "Local extent": df["local_invasion"],
        "TNM Path N": df["nodal_status"].map({"N0": "pN0", "N1": "pN1"}).fillna("pNX"),
        "TNM Clin N": [_clinical_n(v, i) for i, v in enumerate(df["nodal_status"])],  # read after the pathological N (NAACCR edit IF1172)
        "Regional nodes positive": [_nodes_positive(v, i) for i, v in enumerate(df["nodal_status"])],  # NAACCR item 820, two digits
        "Regional nodes examined": [_nodes_examined(v, i) for i, v in enumerate(df["nodal_status"])],  # NAACCR item 830
        "Sites of metastasis": df["metastatic_sites"],
        **_registry_items(df),
        "Age at diagnosis": df["age_years"],
        "Primary site": "C25.1",
    })


def _mm(cm) -> str|None:
    "A size in cm as NAACCR items write it, in whole mm and three digits (`025`); one not whole in mm stays as it is (`20.5`), to keep its meaning."
    if _missing(cm): return None
    mm = round(cm * 10, 6)
    return f"{int(mm):03d}" if float(mm).is_integer() else f"{mm:g}"


def _site_d(df):
    "A SEER*Stat export with NAACCR XML names: years of diagnosis in the headers, `Blank(s)`, labelled topography, AJCC TNM items of 2018 on."
    return pd.DataFrame({
        "Patient ID": df["patient_id"],
        "Ki-67 LI": df["ki67_pct"],
        "Mitoses per 2 mm2": df["mitoses_per_2mm2"],
        "tumorSizeSummary": [_mm(v) for v in df["tumor_size_cm"]],
        "Histologic differentiation": df["differentiation"],
        "Local extent": df["local_invasion"],
        "ajccTnmPathN": df["nodal_status"].map({"N0": "pN0", "N1": "pN1"}),
        "ajccTnmClinN": [{"c0": "cN0", "c1": "cN1", "cX": "cNX"}[_clinical_n(v, i)] for i, v in enumerate(df["nodal_status"])],
        "Sites of metastasis": df["metastatic_sites"],
        "Mets at DX-Liver (2016+)": df["metastatic_sites"].map(LIVER),
        **_registry_items(df),
        "Age at Diagnosis": df["age_years"],
        "Primary Site - labeled": "C25.1-Body of pancreas",
    })


def messy_exports(clean: pd.DataFrame) -> list:
    "The clean cohort written under four sites' conventions, a quarter of the rows each: one export per site."
    site = np.arange(len(clean)) % 4
    parts = []
    for k, f in enumerate((_site_a, _site_b, _site_c, _site_d)):
        part = f(clean[site == k])
        part.index = clean.index[site == k]
        parts.append(part.astype(object).where(part.notna(), MISSING[k % len(MISSING)]))  # missing written as the site writes it
    return parts


def assess_sites(parts: list, index, mapped: bool) -> pd.DataFrame:
    "Each site's export assessed on its own (a mapping names one column per field), outputs put back in the clean order."
    outs = [assess_frame(p, columns=suggested_mapping(inspect_columns(p)) if mapped else None) for p in parts]
    return pd.concat(outs).loc[index]


def compare(clean_out: pd.DataFrame, out: pd.DataFrame) -> tuple:
    "(share of rows equal to the clean outputs, rows that differ with no input issue, rows that differ)."
    a, b = clean_out[COMPARED].astype(str), out[COMPARED].astype(str)
    differ = (a.values != b.values).any(axis=1)
    silent = differ & (out["input_issues"].astype(str).values == "")
    return 1 - differ.mean(), int(silent.sum()), int(differ.sum())


def summary(out: pd.DataFrame) -> dict:
    "Rows out of scope (primary outside the pancreas), decided (a primary management recommendation) and held (the rest, completing the staging included)."
    out_of_scope = out["alerts"].astype(str).str.contains("NOT_PANCREATIC")
    decided = ~out_of_scope & ~out["primary_recommendation"].astype(str).isin(["", "COMPLETE_STAGING"])
    return dict(rows=len(out), decided=int(decided.sum()), held=int((~out_of_scope & ~decided).sum()), out_of_scope=int(out_of_scope.sum()))


def main():
    warnings.simplefilter("ignore")
    clean = demo_cohort()
    truth = assess_frame(clean)
    parts = messy_exports(clean)
    merged = pd.concat(parts, axis=0, sort=False).loc[clean.index]  # the four sites in one table: their columns side by side
    runs = (("each site's export, without a mapping", assess_sites(parts, clean.index, False)),
            ("each site's export, with the suggested mapping", assess_sites(parts, clean.index, True)),
            ("the four sites in one table, without a mapping", assess_frame(merged.astype(object).where(merged.notna(), None))))
    print(f"messy exports: {len(clean)} rows under four sites' conventions ({', '.join(str(p.shape[1]) for p in parts)} columns)")
    for name, out in runs:
        share, silent, differ = compare(truth, out)
        print(f"  {name}: {share:.1%} of rows equal the clean table's outputs; {differ} differ, {silent} of them with no input issue naming the cause")
    print("real tables (rows decided / held / out of scope):")
    arc, arc_map = load_arcnet()
    she, she_map = load_sheltzer()
    grade_diff = pd.read_csv(data_path("sheltzer_pnet_somatic_mutations", "updated_grade_diff.csv"), dtype=str, keep_default_na=False)
    grade_diff = grade_diff.loc[:, [c for c in grade_diff.columns if c.strip() and not c.startswith("Unnamed")]]
    runs = [("ARC-Net, its column mapping", arc, arc_map), ("ARC-Net, as exported", arc, None),
            ("Sheltzer case list, its column mapping", she, she_map),
            ("Sheltzer grade/differentiation list, as exported", grade_diff, None)]
    for name, df, columns in runs:
        if columns is None:
            print(f"  {name}, without a mapping: {summary(assess_frame(df))}")
            try: columns = suggested_mapping(inspect_columns(df)); name += ", with the suggested mapping"
            except KeyError as e: print(f"  {name}: no suggested mapping ({e})"); continue
        try: print(f"  {name}: {summary(assess_frame(df, columns=columns))}")
        except KeyError as e: print(f"  {name}: the mapping is refused: {e}")


if __name__ == "__main__":
    main()
