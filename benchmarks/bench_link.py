"""Pair evaluation of the linker on the annotated papers, and the biggest nodes of a built graph for a hand check.

The linker runs on the annotated entities themselves (so the numbers measure linking, not extraction) of every
stand-off annotation in ``data/annotations/`` (``hf-daily``: the 248 training abstracts of the bundled corpus;
``neurips2022``: NeurIPS 2022 abstracts, whose texts live outside the project), and is scored against the labelled
pairs of ``data/linking/pairs.tsv`` (:mod:`kg.link.evaluate`): merge recall, merge precision and keep-apart
violations, overall, on wording variants and per kind, over all pairs and over pairs of entities the graph shows
(no generic class on either side). Not run by the tests (``tests/test_link_eval.py`` checks the issue's cases).

    python benchmarks/bench_link.py [--neurips-texts PATH] [--annotations DIR] [--verbose] [--candidates 50]
    python benchmarks/bench_link.py --top /tmp/linking-out [--n 100]    # after `python -m kg build ... -o DIR`
    python benchmarks/bench_link.py --within outputs                   # annotated entities split within a paper

Targets (issue 17): recall >= 98.5% overall and >= 90% on wording variants, precision >= 99%, keep-apart
violations < 0.2%, and no twin and no mixed node among the 100 biggest nodes of the bundled corpus.
"""

import argparse
import json
import time
from collections import Counter
from pathlib import Path

from kg.annotations import SOURCES, load_texts, read_annotated
from kg.link import link
from kg.link.evaluate import (
    candidate_pairs,
    evaluate_pairs,
    generic_records,
    gold_extractions,
    read_pairs,
    within_paper_splits,
)
from kg.records import PaperExtraction
from kg.sources import read_papers

ROOT = Path(__file__).resolve().parents[1]


def annotated(neurips_texts=None, annotations=None):
    """``(Paper, gold)`` of every annotation source present in ``data/annotations/`` (or `annotations`)."""
    rows = []
    for source in sorted(SOURCES):
        folder = Path(annotations or ROOT / "data" / "annotations") / source
        if not folder.is_dir() or not any(folder.glob("*.jsonl")):
            continue
        path = neurips_texts if source == "neurips2022" else None
        if path is None and not (ROOT / SOURCES[source]).exists():
            print(f"[{source}] texts not found at {SOURCES[source]}: skipped (give --neurips-texts)")
            continue
        rows += read_annotated(folder, source, texts=load_texts(source, path) if path else None)
    return rows


def _by_names(items, n):
    counts = Counter((kind, *sorted((a[1], b[1]))) for kind, a, b in items)
    return [f"  {c:4}  {kind:<12} {x!r} / {y!r}" for (kind, x, y), c in counts.most_common(n)]


def evaluate(args):
    rows = annotated(args.neurips_texts, args.annotations)
    exts = gold_extractions(rows)
    pairs = read_pairs(args.pairs)
    t = time.perf_counter()
    result = link([p for p, _ in rows], exts, ROOT / "data" / "curation.toml")
    seconds = time.perf_counter() - t
    print(f"{len(exts)} annotated papers, {sum(len(x.entities) for x in exts)} entities -> {len(result.entities)} "
          f"nodes in {seconds:.1f} s; {len(pairs)} rows of labelled pairs ({args.pairs.name})")
    for title, skip in (("all labelled pairs", ()), ("pairs of entities the graph shows (no generic side)",
                                                      generic_records(exts))):
        scores = evaluate_pairs(result, pairs, skip)
        print(f"\n== {title}\n{scores.table()}")
        if scores.missing_records:
            print(f"labelled records not in the annotations read: {scores.missing_records}")
        if args.verbose:
            print("same pairs split:", *_by_names(scores.misses, args.verbose), sep="\n")
            print("apart pairs merged:", *_by_names(scores.violations, args.verbose), sep="\n")
            print("unlabelled pairs in one node:", *_by_names([("-", a, b) for a, b in scores.unlabelled],
                                                              args.verbose), sep="\n")
    if args.candidates:
        found = candidate_pairs(exts, pairs)
        print(f"\n{len(found)} unlabelled candidate pairs; the most frequent name pairs:")
        print(*_by_names([(why, a, b) for a, b, why in found], args.candidates), sep="\n")


def top_nodes(graph_dir, n):
    """The `n` nodes with most papers of a built graph, with their aliases, for the hand check."""
    G = json.loads((Path(graph_dir) / "kg.json").read_text())
    ents = sorted((x for x in G["nodes"] if x.get("kind") == "entity"), key=lambda x: (-x["paper_count"], x["id"]))
    for i, e in enumerate(ents[:n], 1):
        print(f"{i:3} {e['id']} [{e['type']}] {e['paper_count']} papers: {e['label']!r} | {e['aliases']}")


def within(graph_dir, annotations=None, n=20):
    """Annotated entities of the bundled corpus whose mentions a built graph puts into two or more nodes: the
    extraction of `graph_dir` linked again as the build links it (its curation file: ``data/curation.toml``)."""
    folder = Path(annotations or ROOT / "data" / "annotations") / "hf-daily"
    rows = read_annotated(folder, "hf-daily")
    exts = [PaperExtraction.from_dict(json.loads(line))
            for line in (Path(graph_dir) / "extractions.jsonl").read_text().splitlines() if line.strip()]
    papers = list(read_papers([ROOT / "data" / "hf-daily-papers"]))
    result = link(papers, exts, ROOT / "data" / "curation.toml")
    s = within_paper_splits(rows, exts, result)
    print(f"{len(rows)} annotated papers of the bundled corpus; {s['judged']} annotated entities some extracted "
          f"mention overlaps; {s['split']} of them in two or more nodes ({s['abbreviation']} an abbreviation "
          f"apart from its long form)")
    for pid, name, nodes in s["examples"][:n]:
        print(f"  {pid}  {name!r}: {', '.join(nodes)}")


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--pairs", type=Path, default=ROOT / "data" / "linking" / "pairs.tsv")
    ap.add_argument("--neurips-texts", type=Path, help="papers.jsonl of the NeurIPS 2022 corpus")
    ap.add_argument("--annotations", type=Path, help="folder of the annotation sources (default: data/annotations)")
    ap.add_argument("--verbose", type=int, nargs="?", const=40, default=0, help="list N worst name pairs")
    ap.add_argument("--candidates", type=int, default=0, help="list N unlabelled candidate name pairs")
    ap.add_argument("--top", type=Path, help="a graph directory: list its biggest nodes instead")
    ap.add_argument("--n", type=int, default=100)
    ap.add_argument("--within", type=Path, help="a graph directory: count annotated entities split within a paper")
    args = ap.parse_args()
    if args.top:
        top_nodes(args.top, args.n)
    elif args.within:
        within(args.within, args.annotations, args.n)
    else:
        evaluate(args)


if __name__ == "__main__":
    main()
