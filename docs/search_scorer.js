// Sphinx's search scores, plus one rule: a decision rule whose id is the whole query comes first (it lands on its row).
var Scorer = {
  score: (result) => {
    const [docname, title, anchor, descr, score, filename, kind] = result;
    const q = (new URLSearchParams(window.location.search).get("q") || "").trim().toLowerCase();
    return q && anchor && anchor.toLowerCase() === "#rule-" + q ? score + 1000 : score;
  },
  objNameMatch: 11,
  objPartialMatch: 6,
  objPrio: {0: 15, 1: 5, 2: -5},
  objPrioDefault: 0,
  title: 15,
  partialTitle: 7,
  term: 5,
  partialTerm: 2,
};
