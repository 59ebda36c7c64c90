"""Scale (issue 20): per-stage time and peak memory of builds from 10k to 100k abstracts, extraction on a local Dask
cluster of 1 and 2 workers, the old rdflib writer beside the new one, ``kg update`` beside a full build, and
every example query on the big store, with a growth fit per stage and an extrapolation to a million abstracts.

Not run by the tests; the numbers go into the closing note. Every measured run is a child process of its own, so
that its peak RSS (sampled ten times a second, per stage) is its own.

    python benchmarks/bench_scale.py synthetic --sizes 10000 100000   # link + write + query, synthetic records
    python benchmarks/bench_scale.py extract --papers 1000 --neurips   # Dask, 1 and 2 workers
    python benchmarks/bench_scale.py build --size 10000               # a real 10k build on 2 workers + kg update 20
    python benchmarks/bench_scale.py writers --size 10000             # rdflib path vs pyoxigraph path, one run
    python benchmarks/bench_scale.py all                              # everything above, in order

Synthetic corpora: abstracts are recombined sentences of the bundled ones (``bench_extract.synthetic_corpus``);
synthetic *extraction records* (for linking and writing at 100k, where a real extraction takes hours on two
shared cores) recombine the bundled corpus's real extractions: each synthetic paper takes the entities and
relations of two real papers, under a new id and title, so names repeat across papers as they do in a field and
each paper keeps its own unnamed phrases.
"""

import argparse
import datetime
import json
import math
import os
import random
import resource
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))
NEURIPS = ROOT.parent / "shared" / "corpus" / "neurips2022" / "papers.jsonl"
if not NEURIPS.is_file():
    NEURIPS = Path("/work/shared/corpus/neurips2022/papers.jsonl")
BUNDLED = ROOT / "data" / "hf-daily-papers"
SHIPPED = ROOT / "outputs" / "extractions.jsonl"
QUERIES = ROOT / "ontology" / "queries"
OLD_REVISION = "b4e79f1"  # main before the merge: the last commit whose writers go through an rdflib graph


# -- measuring ------------------------------------------------------------------------------------------------

class Sampler:
    """Peak RSS of this process per stage, sampled every 0.1 s (``stage`` is set by the code being measured)."""

    def __init__(self):
        import psutil

        self.process, self.stage, self.peaks, self.seconds = psutil.Process(), "start", {}, {}
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()

    def _run(self):
        while not self._stop.is_set():
            rss = self.process.memory_info().rss
            self.peaks[self.stage] = max(self.peaks.get(self.stage, 0), rss)
            self._stop.wait(0.1)

    def close(self):
        self._stop.set()
        self._thread.join()
        self.peaks["process"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
        return {k: round(v / 2**20) for k, v in self.peaks.items()}


def _mark_stages(sampler):
    """Wrap the build's stage functions so that the sampler knows the stage."""
    import kg.pipeline as pipeline
    import kg.update as update_module

    def wrap(module, name, stage):
        inner = getattr(module, name)

        def wrapped(*args, **kwargs):
            sampler.stage = stage
            return inner(*args, **kwargs)
        setattr(module, name, wrapped)

    for module in (pipeline, update_module):
        wrap(module, "extract_to_shards", "extract")
        wrap(module, "link_shards", "link")
    for name in list(pipeline.WRITERS):
        inner = pipeline.WRITERS[name]

        def wrapped(result, path, options, _inner=inner, _name=name):
            sampler.stage = f"write {_name}"
            t = time.perf_counter()
            _inner(result, path, options)
            sampler.seconds[_name] = time.perf_counter() - t
        pipeline.WRITERS[name] = wrapped


def child(args):
    """Run ``bench_scale.py ARGS`` in a child process; return the JSON it prints last."""
    out = subprocess.run([sys.executable, __file__, *map(str, args)], capture_output=True, text=True,
                         env={**os.environ, "PYTHONHASHSEED": "0"})
    if out.returncode:
        sys.stderr.write(out.stderr[-3000:])
        raise SystemExit(f"child {args} failed")
    return json.loads(out.stdout.strip().splitlines()[-1])


def fit(sizes, seconds):
    """Exponent b of t = a * n^b through the first and last point (1 = linear)."""
    if len(sizes) < 2 or min(seconds) <= 0:
        return None
    return math.log(seconds[-1] / seconds[0]) / math.log(sizes[-1] / sizes[0])


# -- corpora --------------------------------------------------------------------------------------------------

def synthetic_abstracts(n, folder):
    """`n` synthetic abstracts as JSONL (bench_extract.synthetic_corpus), cached in `folder`."""
    path = Path(folder) / f"synthetic-{n}.jsonl"
    if not path.is_file():
        from bench_extract import synthetic_corpus

        from kg.sources import read_papers

        os.replace(synthetic_corpus(read_papers([BUNDLED]), n), path)
    return path


def synthetic_shards(n, folder, seed=0):
    """Shards of `n` synthetic papers with recombined real extractions (see the module docstring)."""
    from kg.records import Paper, PaperExtraction
    from kg.shards import ShardWriter

    out = Path(folder) / f"shards-{n}-v2"  # v2: a paper a day or more over six years (v1 had 72 month-first dates)
    if out.is_dir():
        return out
    rng = random.Random(seed)
    base = [PaperExtraction.from_dict(json.loads(line)).to_dict()  # with entity keys, whatever version wrote it
            for line in SHIPPED.read_text(encoding="utf-8").splitlines() if line.strip()]
    from kg.sources import read_papers

    texts = {p.id: p for p in read_papers([BUNDLED])}
    tmp = Path(folder) / f".shards-{n}"
    with ShardWriter(tmp) as shards:
        for i in range(n):
            a, b = rng.sample(base, 2)
            keys = {e["key"] for e in a["entities"]}
            d = {**a, "id": f"syn{i:07d}", "title": f"{a['title']} (variant {i})",
                 "entities": a["entities"] + [e for e in b["entities"] if e["key"] not in keys],
                 "relations": a["relations"] + [r for r in b["relations"]
                                                if r["subject_key"] not in keys and r["object_key"] not in keys]}
            pa = texts.get(a["id"])
            day = datetime.date(2020, 1, 1) + datetime.timedelta(days=i * 2191 // n)  # spread over six years, daily
            paper = Paper(d["id"], d["title"], pa.abstract if pa else "", date=day.isoformat(),
                          source="synthetic.jsonl", position=i + 1, authors=["A. Author", "B. Author"])
            shards.write([(paper, PaperExtraction.from_dict(d))])
    os.replace(tmp, out)
    return out


# -- the measured runs (each in its own process) ---------------------------------------------------------------

def run_build(a):
    """One build (from shards, or from a corpus on a Dask cluster); prints timings and peak RSS as JSON."""
    import kg.pipeline as pipeline

    sampler = Sampler()
    _mark_stages(sampler)
    t = time.perf_counter()
    kwargs = dict(link_batch=a.link_batch)
    if a.shards:
        result = pipeline.build(None, a.out, from_extractions=a.shards, **kwargs)
    else:
        result = pipeline.build([a.corpus], a.out, cluster=a.cluster, cache_dir=a.cache_dir, **kwargs)
    total = time.perf_counter() - t
    print(json.dumps({"seconds": total, "timings": result.timings, "rss_mb": sampler.close(),
                      "writers": sampler.seconds, "papers": result.stats["papers"],
                      "entities": result.stats["entities"]}))


def run_update(a):
    from kg.update import update

    sampler = Sampler()
    _mark_stages(sampler)
    t = time.perf_counter()
    result = update([a.corpus], a.out, cluster=a.cluster, cache_dir=a.cache_dir)
    total = time.perf_counter() - t
    print(json.dumps({"seconds": total, "timings": result.timings, "rss_mb": sampler.close(),
                      "update": result.stats["update"]}))


def run_extract(a):
    """Extraction only, on a local Dask cluster of `a.workers`: papers/s, driver and worker peak RSS."""
    from kg.distributed import connect, register_pipeline
    from kg.pipeline import extract_to_shards
    from kg.sources import read_papers

    papers = read_papers([a.corpus])[:a.papers or None]
    sampler = Sampler()
    with connect(cluster=f"local:{a.workers}") as client:
        register_pipeline(client, {})
        client.submit(lambda: None).result()  # workers up, pipelines loaded (the plugin runs at registration)
        sampler.stage = "extract"
        t = time.perf_counter()
        with tempfile.TemporaryDirectory() as tmp:
            extract_to_shards(papers, tmp, client=client)
        seconds = time.perf_counter() - t
        workers = client.run(lambda: resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024)
    print(json.dumps({"workers": a.workers, "papers": len(papers), "seconds": seconds,
                      "per_second": len(papers) / seconds, "rss_mb": sampler.close(),
                      "worker_rss_mb": [round(v / 2**20) for v in workers.values()]}))


def run_writers(a):
    """The write stage of one graph, the rdflib path of the last commit beside today's, in one process."""
    import importlib.util

    import networkx as nx  # noqa: F401

    from kg.graphdb import GraphDB
    from kg.outputs import write_view_html

    def old_module(path, name, renames):
        """A module of OLD_REVISION, its relative imports of `renames` pointed at the other old modules."""
        source = subprocess.run(["git", "-C", str(ROOT), "show", f"{OLD_REVISION}:{path}"],
                                capture_output=True, text=True, check=True).stdout
        for new, old_name in renames.items():
            source = source.replace(f"from .{new} import", f"from .{old_name} import")
        module = importlib.util.module_from_spec(importlib.util.spec_from_loader(f"kg.export.{name}", loader=None))
        module.__package__ = "kg.export"
        sys.modules[module.__name__] = module
        exec(compile(source, f"{path}@{OLD_REVISION}", "exec"), module.__dict__)
        return module

    old = old_module("kg/export/rdf.py", "_rdflib_path", {"rdf_results": "_rdflib_path_results"})
    old_module("kg/export/rdf_results.py", "_rdflib_path_results", {"rdf": "_rdflib_path"})
    db = GraphDB(Path(a.graph) / "kg.sqlite", read_only=True)
    G = db.view().to_networkx()
    out, times = Path(tempfile.mkdtemp()), {}

    def timed(name, fn):
        t = time.perf_counter()
        fn()
        times[name] = time.perf_counter() - t

    import kg.export.rdf as new_rdf
    from kg.export.graphml import write_graphml
    from kg.export.html import write_html
    from kg.export.nodelink import write_node_link

    timed("turtle_rdflib_path", lambda: old.write_rdf(G, out / "old.ttl"))
    timed("turtle_from_graph", lambda: new_rdf.write_rdf(G, out / "new-graph.ttl"))
    timed("turtle_from_tables", lambda: new_rdf.write_rdf(db.view(), out / "new-tables.ttl"))
    old_json = nx.node_link_data(G, edges="edges", name="id")
    timed("json_networkx", lambda: (out / "old.json").write_text(json.dumps(old_json, ensure_ascii=False)))
    timed("json_from_tables", lambda: write_node_link(db.view(), out / "new.json"))
    from networkx.readwrite.graphml import GraphMLWriter

    from kg.export.graphml import flatten

    def old_graphml():
        H = flatten(G)
        w = GraphMLWriter(encoding="utf-8", prettyprint=True)
        w.add_graph_element(H)
        with open(out / "old.graphml", "wb") as fh:
            w.dump(fh)

    timed("graphml_networkx", old_graphml)
    timed("graphml_from_tables", lambda: write_graphml(db.view(), out / "new.graphml"))
    timed("html_whole_graph", lambda: write_html(G, out / "old.html", max_nodes=5000))
    timed("html_from_tables", lambda: write_view_html(db.view(), out / "new.html", max_nodes=5000))
    sizes = {p.name: p.stat().st_size for p in out.iterdir()}
    print(json.dumps({"seconds": times, "bytes": sizes, "triples": sum(1 for _ in new_rdf.rdf_triples(db.view()))}))


def run_queries(a):
    """Every example query on a graph, each as a fresh `kg query` process (start-up included)."""
    out = {}
    for q in sorted(QUERIES.glob("*.rq")):
        t = time.perf_counter()
        done = subprocess.run([sys.executable, "-m", "kg", "query", "--graph", str(a.graph), "--file", str(q),
                               "--format", "csv"], capture_output=True, text=True, cwd=ROOT)
        out[q.stem] = {"seconds": round(time.perf_counter() - t, 3), "rows": max(0, len(done.stdout.splitlines()) - 1),
                       "ok": done.returncode == 0}
    for name in ("stats", "show"):
        t = time.perf_counter()
        extra = ["LoRA"] if name == "show" else []
        subprocess.run([sys.executable, "-m", "kg", name, *extra, "--graph", str(a.graph)], capture_output=True,
                       cwd=ROOT)
        out[f"kg {name}"] = {"seconds": round(time.perf_counter() - t, 3)}
    print(json.dumps(out))


# -- the reports ----------------------------------------------------------------------------------------------

def report_synthetic(a):
    work = Path(a.work)
    rows = []
    for n in a.sizes:
        shards = synthetic_shards(n, work)
        out = work / f"graph-{n}"
        r = child(["_build", "--shards", shards, "--out", out, "--link-batch", a.link_batch])
        r["size"] = n
        r["queries"] = child(["_queries", "--graph", out])
        r["store_mb"] = round(sum(f.stat().st_size for f in (out / "store").rglob("*") if f.is_file()) / 2**20)
        rows.append(r)
        print(f"[synthetic {n}] {r['seconds']:.1f} s ({', '.join(f'{k} {v:.1f} s' for k, v in r['timings'].items())}); "
              f"driver peak RSS {r['rss_mb']['process']} MB (per stage {r['rss_mb']}); {r['entities']} entities; "
              f"store {r['store_mb']} MB", flush=True)
        slow = max(r["queries"].items(), key=lambda kv: kv[1]["seconds"])
        print(f"[synthetic {n}] kg query, each example with start-up: " +
              ", ".join(f"{k[:2]} {v['seconds']:.2f} s" for k, v in r["queries"].items()) +
              f"; slowest {slow[0]} {slow[1]['seconds']:.2f} s", flush=True)
    if len(rows) > 1:
        for stage in ("link", "write"):
            b = fit([r["size"] for r in rows], [r["timings"][stage] for r in rows])
            print(f"growth of {stage}: t ~ n^{b:.2f}")
        first, last = rows[0], rows[-1]
        print(f"driver peak RSS {first['rss_mb']['process']} MB at {first['size']} -> {last['rss_mb']['process']} MB at "
              f"{last['size']} ({last['rss_mb']['process'] / first['rss_mb']['process']:.2f}x)")
        per = {s: last["timings"][s] / last["size"] for s in ("link", "write")}
        print("extrapolated to 1,000,000 papers (linear from the largest run): " +
              ", ".join(f"{s} {v * 1e6 / 60:.0f} min" for s, v in per.items()))
    return rows


def report_extract(a):
    work = Path(a.work)
    corpora = [("synthetic", synthetic_abstracts(max(a.papers, 1000), work))]
    if a.neurips and NEURIPS.is_file():
        corpora.append(("neurips2022", NEURIPS))
    out = {}
    for label, corpus in corpora:
        runs = [child(["_extract", "--corpus", corpus, "--workers", w, "--papers", a.papers if label == "synthetic" else 0])
                for w in (1, 2)]
        for r in runs:
            print(f"[{label}] Dask extraction, {r['workers']} worker(s): {r['papers']} abstracts in {r['seconds']:.1f} s = "
                  f"{r['per_second']:.1f}/s; driver peak {r['rss_mb']['process']} MB, workers {r['worker_rss_mb']} MB",
                  flush=True)
        speedup = runs[1]["per_second"] / runs[0]["per_second"]
        per_worker = runs[1]["per_second"] / 2
        print(f"[{label}] 2 workers / 1 worker = {speedup:.2f}x; 1,000,000 abstracts at {per_worker:.1f}/s per worker: "
              f"{1e6 / per_worker / 3600:.1f} worker-hours (e.g. {1e6 / per_worker / 3600 / 32:.1f} h on 32 workers)",
              flush=True)
        out[label] = runs
    return out


def report_build(a):
    work = Path(a.work)
    corpus = synthetic_abstracts(a.size, work)
    out = work / f"real-{a.size}"
    cache = work / "cache"
    full = child(["_build", "--corpus", corpus, "--out", out, "--cluster", "local:2", "--cache-dir", cache,
                  "--link-batch", a.link_batch])
    print(f"[real {a.size}] full build on a local Dask cluster of 2: {full['seconds']:.1f} s "
          f"({', '.join(f'{k} {v:.1f} s' for k, v in full['timings'].items())}); driver peak {full['rss_mb']}",
          flush=True)
    new = work / "new-20.jsonl"
    lines = NEURIPS.read_text(encoding="utf-8").splitlines()[:20]
    new.write_text("\n".join(lines) + "\n", encoding="utf-8")
    upd = child(["_update", "--corpus", new, "--out", out, "--cluster", "local:2", "--cache-dir", work / "cache-update"])
    print(f"[real {a.size}] kg update with 20 new papers: {upd['seconds']:.1f} s "
          f"({', '.join(f'{k} {v:.1f} s' for k, v in upd['timings'].items())}) = "
          f"{100 * upd['seconds'] / full['seconds']:.1f}% of the full build", flush=True)
    return {"full": full, "update": upd}


def report_writers(a):
    work = Path(a.work)
    graph = work / f"graph-{a.size}"
    if not graph.is_dir():
        child(["_build", "--shards", synthetic_shards(a.size, work), "--out", graph, "--link-batch", a.link_batch])
    r = child(["_writers", "--graph", graph])
    s = r["seconds"]
    print(f"[writers {a.size}, {r['triples']} triples] Turtle: rdflib path {s['turtle_rdflib_path']:.1f} s, pyoxigraph "
          f"from the tables {s['turtle_from_tables']:.1f} s ({s['turtle_rdflib_path'] / s['turtle_from_tables']:.1f}x), "
          f"from a networkx graph {s['turtle_from_graph']:.1f} s", flush=True)
    old = s["turtle_rdflib_path"] + s["json_networkx"] + s["graphml_networkx"] + s["html_whole_graph"]
    new = s["turtle_from_tables"] + s["json_from_tables"] + s["graphml_from_tables"] + s["html_from_tables"]
    print(f"[writers {a.size}] all four files: before {old:.1f} s, now {new:.1f} s ({old / new:.1f}x); {s}", flush=True)
    return r


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("what", choices=["synthetic", "extract", "build", "writers", "all", "_build", "_update",
                                     "_extract", "_writers", "_queries"])
    ap.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000])
    ap.add_argument("--size", type=int, default=10_000)
    ap.add_argument("--papers", type=int, default=1000, help="abstracts for the extraction runs")
    ap.add_argument("--neurips", action="store_true", help="also extract the 2,792 NeurIPS 2022 abstracts")
    ap.add_argument("--link-batch", type=int, default=None)
    ap.add_argument("--work", default=str(Path(tempfile.gettempdir()) / "kg-bench-scale"))
    for name in ("--shards", "--out", "--corpus", "--cluster", "--cache-dir", "--graph"):
        ap.add_argument(name)
    ap.add_argument("--workers", type=int, default=2)
    a = ap.parse_args()
    if a.link_batch is None:
        from kg.pipeline import LINK_BATCH

        a.link_batch = LINK_BATCH
    Path(a.work).mkdir(parents=True, exist_ok=True)
    runs = {"_build": run_build, "_update": run_update, "_extract": run_extract, "_writers": run_writers,
            "_queries": run_queries}
    if a.what in runs:
        return runs[a.what](a)
    results = {}
    for what, report in (("extract", report_extract), ("writers", report_writers), ("build", report_build),
                         ("synthetic", report_synthetic)):
        if a.what in (what, "all"):
            results[what] = report(a)
    (Path(a.work) / f"results-{a.what}.json").write_text(json.dumps(results, indent=1))


if __name__ == "__main__":
    main()
