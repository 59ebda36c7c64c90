"""Result extraction (``kg_results``) scored on the TRAINING annotations, never on the dev set.

The training annotations with results are the NeurIPS 2022 stand-off records (``data/annotations/neurips2022``)
and the results of the bundled-corpus training papers (stand-off records of source ``hf-daily``). Every number
is scored by ``tests/data/devset/score.py`` (``result``: number and metric; ``result_full``: also subject and
dataset), per source and overall, with the precision of each attachment rule (from the provenance of the
predicted results that match a gold one).

``--learned`` also trains the learned alternative, a logistic-regression filter over the rule-proposed results
(features: pattern and rule ids, unit, qualifier, nearby words), and scores it by K-fold cross-validation over
papers, against the rules alone on the same folds: the choice between rules and model is made here.

    python benchmarks/results_cv.py [--neurips DIR] [--hf FILE_OR_DIR ...] [--errors 20] [--learned] [--folds 5]
"""

import argparse
import glob
import importlib.util
import sys
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # this checkout's kg, not an installed one

from kg.annotations import load_texts, read_annotated
from kg.extract import load_pipeline
from kg.extract.pipeline import doc_to_extraction

ROOT = Path(__file__).resolve().parents[1]
NEURIPS = "/work/main/data/annotations/neurips2022"
NEURIPS_TEXTS = ROOT.parent / "shared" / "corpus" / "neurips2022" / "papers.jsonl"
HF = sorted(glob.glob("/work/annot/drafts/r1/merged-*.jsonl"))


def score_module():
    spec = importlib.util.spec_from_file_location("score", ROOT / "tests" / "data" / "devset" / "score.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def training_pairs(neurips=NEURIPS, hf=HF, neurips_texts=None):
    """``(source, Paper, gold)`` of every training paper with a results annotation."""
    out = []
    if neurips:
        texts = load_texts("neurips2022", neurips_texts or _neurips_texts())
        out += [("neurips2022", p, g) for p, g in read_annotated(neurips, "neurips2022", texts=texts)]
    if hf:
        texts = load_texts("hf-daily")
        seen = set()
        for f in hf:
            for p, g in read_annotated(f, "hf-daily", texts=texts):
                if p.id not in seen:
                    seen.add(p.id)
                    out.append(("hf-daily", p, g))
    return [t for t in out if "results" in t[2]]


def _neurips_texts():
    for cand in (NEURIPS_TEXTS, Path("/work/shared/corpus/neurips2022/papers.jsonl")):
        if cand.exists():
            return cand
    raise SystemExit("the NeurIPS 2022 texts are not there")


def extract(pairs, nlp=None):
    nlp = nlp or load_pipeline()
    docs = nlp.pipe(p.text for _, p, _ in pairs)
    return [doc_to_extraction(doc, p).to_dict() for doc, (_, p, _) in zip(docs, pairs)]


def _matches(score, pred, gold):
    """Per predicted result: the gold result it matches on number and metric (or None), and whether its
    subject and dataset match that gold result too (score.py's matching, one result at a time)."""
    gents = gold["entities"]
    gforms = [score.forms(e["name"], e.get("aliases")) for e in gents]
    pents = pred.get("entities", [])
    pforms = [score.forms(e["name"], e.get("aliases")) for e in pents]

    def forms(name):
        f = score.forms(name or "", [])
        for pe, pf in zip(pents, pforms):
            if name in [pe["name"], *pe.get("aliases", [])]:
                f |= pf
        return f

    out = []
    for r in pred.get("results", []):
        hit = None
        for gr in gold.get("results") or []:
            if score._same_number(score._number(r.get("number")), gr.get("number"), gr.get("value")) and (
                    not gr.get("metric") or forms(r.get("metric")) & score._entity_forms(gr["metric"], gents, gforms)):
                hit = gr
                break
        fields = {k: hit is not None and (not hit.get(k) or bool(forms(r.get(k)) &
                                                                 score._entity_forms(hit[k], gents, gforms)))
                  for k in ("subject", "dataset")}
        out.append((r, hit, fields))
    return out


def rule_precision(preds, pairs, score):
    """Per provenance id: (right, predicted). A subject or dataset rule is right when the result matches a gold
    result and its subject (dataset) does too; any other rule when the result matches on number and metric."""
    hits, total = Counter(), Counter()
    for pred, (_, _, gold) in zip(preds, pairs):
        for r, hit, fields in _matches(score, pred, gold):
            for rule in r.get("provenance", []):
                field = rule.split(":")[0]
                if field in fields and hit is None:
                    continue
                total[rule] += 1
                hits[rule] += fields[field] if field in fields else hit is not None
    return {k: (hits[k], total[k]) for k in sorted(total)}


def report(name, preds, pairs, score, errors=0):
    res, errs = score.score(preds, [g for _, _, g in pairs], {})
    n = sum(len(g["results"]) for _, _, g in pairs)
    print(f"{name}: {len(pairs)} papers, {n} gold results")
    for key in ("result", "result_full"):
        v = res[key]
        print(f"  {key:12s} P={v['p']:.3f} R={v['r']:.3f} F1={v['f1']:.3f}  (tp={v['tp']} fp={v['fp']} fn={v['fn']})")
    kind = Counter()
    for pred, (_, _, gold) in zip(preds, pairs):
        for r, hit, _ in _matches(score, pred, gold):
            if hit is not None:
                kind[r.get("kind") == hit.get("kind")] += 1
    if kind:
        print(f"  kind accuracy on matched results: {kind[True] / sum(kind.values()):.3f} ({sum(kind.values())})")
    for kind in ("FN-res", "FP-res"):
        for e in [e for e in errs if e[0] == kind][:errors]:
            print("    ", *e)
    return res


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--neurips", default=NEURIPS)
    ap.add_argument("--hf", nargs="*", default=HF)
    ap.add_argument("--errors", type=int, default=0)
    ap.add_argument("--rules", action="store_true", help="print the precision of every rule")
    ap.add_argument("--learned", action="store_true", help="cross-validate the learned filter against the rules")
    ap.add_argument("--folds", type=int, default=5)
    a = ap.parse_args(argv)
    score = score_module()
    pairs = training_pairs(a.neurips, a.hf)
    preds = extract(pairs)
    for source in ("neurips2022", "hf-daily"):
        idx = [i for i, t in enumerate(pairs) if t[0] == source]
        report(source, [preds[i] for i in idx], [pairs[i] for i in idx], score, a.errors)
    report("all", preds, pairs, score)
    if a.rules:
        for rule, (hit, total) in rule_precision(preds, pairs, score).items():
            print(f"  {rule:24s} {hit:4d}/{total:<4d} {hit / total:.2f}")
    if a.learned:
        sys.path.insert(0, str(Path(__file__).resolve().parent))
        from result_model import cross_validate

        print(f"{a.folds}-fold cross-validation over papers, result (number and metric):")
        cross_validate(preds, pairs, score, a.folds)


if __name__ == "__main__":
    main()
