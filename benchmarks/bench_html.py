"""Time the HTML view: writing it, and its load-to-drawn time in headless Chromium.

Runs on a synthetic graph of N entities (default 5,000; about 1.2 relations per entity, preferential
attachment so a few hubs, a third of the entities in no relation, as in graphs built from abstracts) and, when
given, on a built graph (a ``kg build`` output directory or its ``kg.json``). Needs Debian's chromium
(``.ci/install-browser``) and the Python playwright package; nothing is downloaded. Not run by the tests.

    python benchmarks/bench_html.py [GRAPH] [--synthetic 5000] [--max-nodes N] [--screenshot out.png]
"""

import argparse
import random
import tempfile
import time
from pathlib import Path

import networkx as nx

from kg.export.html import write_html
from kg.graph import ENTITY_RELATIONS, load_graph

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run"]
TYPES = ("Method", "Model", "Dataset", "Task", "Metric")


def synthetic_graph(n, seed=0):
    """A graph in the schema of :mod:`kg.graph` with `n` entities, `n` // 3 papers and ~1.2 `n` relations."""
    rng = random.Random(seed)
    G = nx.MultiDiGraph(name="synthetic", papers=max(1, n // 3))
    papers = [f"p{i:05d}" for i in range(max(1, n // 3))]
    for p in papers:
        G.add_node(f"paper:{p}", kind="paper", type="Paper", id=p, label=f"Paper {p}", title=f"Paper {p}",
                   date=f"2024-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}", url=f"https://arxiv.org/abs/{p}")
    weights = [1.0] * n
    for i in range(n):
        mine = sorted(rng.sample(papers, min(len(papers), 1 + int(rng.paretovariate(1.5)) % 40)))
        G.add_node(f"e{i}", kind="entity", type=rng.choice(TYPES), label=f"Entity {i}", aliases=[f"E{i}", f"ent-{i}"],
                   papers=mine, roles={p: "used" for p in mine}, paper_count=len(mine), first_seen="2024-01-01")
    for _ in range(int(1.2 * n)):
        a = rng.randrange(n)
        if rng.random() < 0.35:
            continue
        b = rng.choices(range(n), weights=weights)[0] if rng.random() < 0.7 else rng.randrange(n)
        if a == b:
            continue
        weights[a] += 1
        weights[b] += 1
        p, pred = rng.choice(papers), rng.choice(ENTITY_RELATIONS)
        G.add_edge(f"e{a}", f"e{b}", key=pred, predicate=pred, support=1, confidence=0.8,
                   evidence=[{"paper": p, "sentence": f"Entity {a} {pred} Entity {b}.", "start": 0, "end": 1,
                              "confidence": 0.8}])
    return G


def open_page(path, screenshot=None, width=1600, height=1000):
    """Load `path` in Chromium; return (seconds to first drawing as the page measures it, wall seconds)."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        page = browser.new_page(viewport={"width": width, "height": height})
        errors = []
        page.on("pageerror", lambda e: errors.append(str(e)))
        page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
        t = time.perf_counter()
        page.goto(Path(path).resolve().as_uri())
        page.wait_for_function("window.kgReady === true", timeout=300_000)
        wall = time.perf_counter() - t
        ready = page.evaluate("window.kgReadyMs") / 1000
        if screenshot:  # the view the page opens on
            page.wait_for_timeout(300)
            page.screenshot(path=str(screenshot))
        t = time.perf_counter()
        page.evaluate("kg.search(kgData.nodes[0].label)")
        search = time.perf_counter() - t
        browser.close()
    if errors:
        raise SystemExit(f"page errors: {errors}")
    return ready, wall, search


def bench(label, G, max_nodes, screenshot):
    out = Path(tempfile.mkdtemp()) / "kg.html"
    t = time.perf_counter()
    summary = write_html(G, out, max_nodes=max_nodes, title=label)
    write = time.perf_counter() - t
    size = out.stat().st_size / 1e6
    ready, wall, search = open_page(out, screenshot)
    print(f"[{label}] {summary['nodes']} nodes, {summary['edges']} edges shown "
          f"({summary['left_out_nodes']} nodes left out): write_html {write:.2f} s, {size:.1f} MB; "
          f"page drawn {ready:.2f} s after navigation (wall {wall:.2f} s), search+focus {search * 1000:.0f} ms")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("graph", nargs="?", help="a kg build output directory or its kg.json")
    parser.add_argument("--synthetic", type=int, default=5000, help="entities in the synthetic graph (0: skip)")
    parser.add_argument("--max-nodes", type=int)
    parser.add_argument("--screenshot", help="PNG of the page of GRAPH (or of the synthetic graph)")
    args = parser.parse_args()
    if args.synthetic:
        bench(f"synthetic {args.synthetic}", synthetic_graph(args.synthetic), args.max_nodes,
              None if args.graph else args.screenshot)
    if args.graph:
        path = Path(args.graph)
        G = load_graph(path / "kg.json" if path.is_dir() else path)
        bench(path.name, G, args.max_nodes, args.screenshot)


if __name__ == "__main__":
    main()
