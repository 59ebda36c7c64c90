"""Time the HTML explorer in headless Chromium against the targets of issue 18.

On synthetic graphs (preferential attachment, about 1.2 relations per entity, a third of the entities in no
relation, as in graphs built from abstracts) and, when given, a built graph (a ``kg build`` output directory or
its ``kg.json``), it measures:

- first readable frame: navigation start to the second animation frame after the first drawing
  (``window.kgReadyMs``, the page's own clock, so browser start-up is excluded);
- search to settled view: ``kg.search(query)`` (rank, select, panel, neighbourhood laid out and drawn) until two
  animation frames later, for an exact name, a typo and a paper title;
- filter toggle: a type checkbox's change event until two animation frames later (hide, re-fit, redraw);
- panning: frames drawn per second while the camera moves every animation frame for two seconds, with the
  overview widened to all its entities;
- axe-core (``kg/export/assets/vendor/node_modules/axe-core`` when ``npm ci`` was run there, else the copy in the
  axe-playwright-python package): critical and serious violations at 1280x720 and 390x844 with a panel open.

Headless Chromium draws WebGL in software (SwiftShader) on this machine's 2 cores, so every figure is
pessimistic for a desktop with a GPU. Needs Debian's chromium (``.ci/install-browser``) and the Python playwright
package; nothing is downloaded. Not run by the tests.

    python benchmarks/bench_html.py [GRAPH] [--synthetic 2500 50000] [--screenshot out.png]
"""

import argparse
import random
import statistics
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
ASSETS = Path(__file__).resolve().parents[1] / "kg" / "export" / "assets"
SETTLED = "() => new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)))"


def synthetic_graph(n, seed=0):
    """A graph in the schema of :mod:`kg.graph` with `n` entities, `n` // 3 papers and ~0.8 `n` relations."""
    rng = random.Random(seed)
    G = nx.MultiDiGraph(name="synthetic", papers=max(1, n // 3))
    papers = [f"p{i:06d}" for i in range(max(1, n // 3))]
    for p in papers:
        G.add_node(f"paper:{p}", kind="paper", type="Paper", id=p, label=f"Paper {p} on method {rng.randrange(n)}",
                   title=f"Paper {p} on method {rng.randrange(n)}",
                   date=f"2024-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}", url=f"https://arxiv.org/abs/{p}")
    for i in range(n):
        mine = sorted(rng.sample(papers, min(len(papers), 1 + int(rng.paretovariate(1.5)) % 40)))
        G.add_node(f"e{i}", kind="entity", type=rng.choice(TYPES), label=f"Entity {i}", aliases=[f"E{i}", f"ent-{i}"],
                   papers=mine, roles={p: "used" for p in mine}, paper_count=len(mine), first_seen="2024-01-01")
    ends = list(range(n))  # each entity once, then once more per relation: picking from it is preferential
    for _ in range(int(1.2 * n)):
        a = rng.randrange(n)
        if rng.random() < 0.35:
            continue
        b = rng.choice(ends) if rng.random() < 0.7 else rng.randrange(n)
        if a == b:
            continue
        ends += [a, b]
        p, pred = rng.choice(papers), rng.choice(ENTITY_RELATIONS)
        G.add_edge(f"e{a}", f"e{b}", key=pred, predicate=pred, support=1 + int(rng.random() < 0.2), confidence=0.8,
                   evidence=[{"paper": p, "sentence": f"Entity {a} {pred} Entity {b}.", "start": 0, "end": 1,
                              "confidence": 0.8}])
    return G


def _axe_source():
    npm = ASSETS / "vendor" / "node_modules" / "axe-core" / "axe.min.js"
    if npm.exists():
        return npm.read_text(encoding="utf-8")
    import axe_playwright_python

    return (Path(axe_playwright_python.__file__).parent / "axe.min.js").read_text(encoding="utf-8")


def _settled(page, action, arg=None):
    """Milliseconds from running `action` (page JS taking `arg`) in the page to two animation frames later."""
    return page.evaluate("""async ([action, arg]) => {
        const t = performance.now();
        (new Function('arg', action))(arg);
        await new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)));
        return performance.now() - t; }""", [action, arg])


def measure(path, queries, screenshot=None):
    """Open `path` and time what the issue's targets name; returns a dict of figures."""
    from playwright.sync_api import sync_playwright

    out = {}
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        page = browser.new_page(viewport={"width": 1280, "height": 720})
        errors = []
        page.on("pageerror", lambda e: errors.append(str(e)))
        page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
        page.goto(Path(path).resolve().as_uri())
        page.wait_for_function("window.kgReady === true", timeout=300_000)
        out["first_frame_ms"] = page.evaluate("window.kgReadyMs")
        if screenshot:
            page.screenshot(path=str(screenshot))
        page.evaluate("kg.find('warm up', 5)")
        out["search_ms"] = {q: _settled(page, "kg.search(arg)", q) for q in queries}
        page.evaluate("kg.closePanel()")
        toggles = [_settled(page, "const b = document.querySelector('#kg-types input[value=\"Method\"]');"
                                  "b.checked = !b.checked; b.dispatchEvent(new Event('change'));") for _ in range(4)]
        out["filter_ms"] = statistics.median(toggles), max(toggles)
        out["errors"] = errors
        browser.close()
    return out


def measure_panning(path, seconds=2.0):
    """Frames per second sigma draws while the camera pans every frame, the overview widened to all its nodes."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        page = browser.new_page(viewport={"width": 1280, "height": 720})
        page.goto(Path(path).resolve().as_uri())
        page.wait_for_function("window.kgReady === true", timeout=300_000)
        page.select_option("#kg-top", index=page.evaluate("document.getElementById('kg-top').options.length - 1"))
        drawn = page.evaluate("kg.visible().nodes.length")
        fps = page.evaluate("""async seconds => {
            const r = kg.renderer, cam = r.getCamera(); let frames = 0;
            r.on('afterRender', () => frames++);
            const t0 = performance.now();
            await new Promise(done => { const step = () => {
                const t = performance.now() - t0;
                if (t > seconds * 1000) return done();
                cam.setState({x: 0.5 + 0.2 * Math.sin(t / 300), y: 0.5 + 0.1 * Math.cos(t / 300)});
                requestAnimationFrame(step); }; requestAnimationFrame(step); });
            return frames / ((performance.now() - t0) / 1000); }""", seconds)
        browser.close()
    return drawn, fps


def measure_axe(path):
    """Critical and serious axe-core violations (ids) at 1280x720 and 390x844, with an entity's panel open."""
    from playwright.sync_api import sync_playwright

    axe, found = _axe_source(), {}
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        for width, height in [(1280, 720), (390, 844)]:
            page = browser.new_page(viewport={"width": width, "height": height})
            page.goto(Path(path).resolve().as_uri())
            page.wait_for_function("window.kgReady === true", timeout=300_000)
            page.evaluate("kg.selectEntity(kgData.nodes.slice().sort((a, b) => b.paper_count - a.paper_count)[0].id)")
            page.evaluate(axe)
            found[f"{width}x{height}"] = page.evaluate("""async () => [axe.version, (await axe.run(document,
                {resultTypes: ['violations']})).violations.filter(v => ['critical', 'serious'].includes(v.impact))
                .map(v => v.id)]""")
            page.close()
        browser.close()
    return found


def bench(label, G, queries, screenshot=None, panning=False, axe=False):
    path = Path(tempfile.mkdtemp()) / "kg.html"
    t = time.perf_counter()
    summary = write_html(G, path, title=label)
    write = time.perf_counter() - t
    m = measure(path, queries, screenshot)
    search = ", ".join(f"{q!r} {ms:.0f} ms" for q, ms in m["search_ms"].items())
    print(f"[{label}] {summary['nodes']:,} entities, {summary['edges']:,} relations; write_html {write:.1f} s, "
          f"{path.stat().st_size / 1e6:.1f} MB")
    print(f"  first readable frame {m['first_frame_ms']:.0f} ms; search to settled view: {search}; "
          f"filter toggle median {m['filter_ms'][0]:.0f} ms, max {m['filter_ms'][1]:.0f} ms")
    if panning:
        drawn, fps = measure_panning(path)
        print(f"  panning with {drawn:,} nodes drawn: {fps:.1f} frames/s")
    if axe:
        for size, (version, ids) in measure_axe(path).items():
            print(f"  axe-core {version} at {size}: {len(ids)} critical or serious violations {ids or ''}")
    if m["errors"]:
        print(f"  page errors: {m['errors'][:3]}")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("graph", nargs="?", help="a kg build output directory or its kg.json")
    parser.add_argument("--synthetic", type=int, nargs="*", default=[2500, 5000, 50000],
                        help="entities in each synthetic graph (none: skip)")
    parser.add_argument("--screenshot", help="PNG of the opening view of GRAPH")
    args = parser.parse_args()
    if args.graph:
        path = Path(args.graph)
        G = load_graph(path / "kg.json" if path.is_dir() else path)
        bench(path.name, G, ["GPT4", "ImageNet", "Lora"], args.screenshot, panning=True, axe=True)
    for n in args.synthetic:
        bench(f"synthetic {n:,}", synthetic_graph(n), [f"Entity {n // 2}", f"Entty {n // 3}", f"Paper p{n // 9:06d}"],
              panning=n == 5000, axe=n == 2500)


if __name__ == "__main__":
    main()
