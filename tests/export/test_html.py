"""The HTML view: what the page holds (fast, no browser) and how it behaves in a real headless Chromium."""

import json
import re
from pathlib import Path

import networkx as nx
import pytest

from kg.errors import KGError
from kg.export.html import RELATION_STYLES, TYPE_COLOURS, TYPE_SHAPES, layout, page_data, write_html
from kg.graph import entity_graph

ARTIFACTS = Path(__file__).resolve().parents[1] / "artifacts"
PAYLOADS = ('<script>window.__pwned = "script"</script>', '<img src=x onerror="window.__pwned = \'img\'">',
            '<svg onload="window.__pwned = \'svg\'"></svg>')


@pytest.fixture
def hostile_graph(small_graph):
    """:func:`small_graph` with markup that would run if the page used innerHTML, and an edge of support 2."""
    G = small_graph
    G.nodes["paper:2106.09685"]["title"] += " " + PAYLOADS[0]
    G.nodes["paper:a1b2c3d4e5"]["title"] = PAYLOADS[1]
    G.nodes["paper:a1b2c3d4e5"]["url"] = "javascript:window.__pwned='link'"
    G.nodes["gpt-4"]["label"] = "GPT-4 " + PAYLOADS[2]
    G.nodes["gpt-4"]["aliases"] = [PAYLOADS[1]]
    ev = G.edges["lora", "full-fine-tuning", "outperforms"]["evidence"]
    ev[0]["sentence"] += " " + PAYLOADS[1]
    ev.append({"paper": "a1b2c3d4e5", "sentence": PAYLOADS[0], "start": 0, "end": 1, "confidence": 0.7})
    G.edges["lora", "full-fine-tuning", "outperforms"]["support"] = 2
    return G


@pytest.fixture
def results_graph(small_graph):
    """:func:`small_graph` with result nodes as issue 16 adds them: two absolute results and a delta on GLUE."""
    G = small_graph

    def result(key, paper, subject, value, number, kind="absolute", baseline=None, evidence=""):
        G.add_node(key, kind="result", type="Result", subject=subject, metric="accuracy", dataset="glue",
                   value=value, number=number, unit="%", result_kind=kind, baseline=baseline, evidence=evidence,
                   confidence=0.9)
        G.add_edge(f"paper:{paper}", key, key="reports", predicate="reports")

    result("r1", "2106.09685", "lora", "89.1%", 89.1, evidence="LoRA reaches 89.1% accuracy on GLUE.")
    result("r2", "a1b2c3d4e5", "llama-2-7b", "91.4%", 91.4, evidence="LLaMA-2-7B gets 91.4% on GLUE.")
    result("r3", "2106.09685", "lora", "+2.3 points", 2.3, kind="delta", baseline="full-fine-tuning",
           evidence="LoRA improves accuracy by 2.3 points over full fine-tuning.")
    return G


@pytest.fixture
def html_path(small_graph, tmp_path):
    path = tmp_path / "out" / "kg.html"
    write_html(small_graph, path)
    return path


# --- the file ---------------------------------------------------------------------------------------------------

def test_writes_one_self_contained_file(small_graph, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    summary = write_html(small_graph, tmp_path / "out" / "kg.html")
    assert summary == {"nodes": 8, "edges": 7, "left_out_nodes": 0, "left_out_edges": 0}
    assert sorted(p.relative_to(tmp_path).as_posix() for p in tmp_path.rglob("*")) == ["out", "out/kg.html"]


def test_page_refers_to_nothing_outside(html_path):
    page = html_path.read_text(encoding="utf-8")
    remote = r"""<(script|link|img|iframe)[^>]*\s(src|href)\s*=\s*["']?(https?:)?//"""
    assert not re.search(remote, page, re.IGNORECASE)
    assert "cdnjs" not in page and "bootstrap" not in page
    assert "default-src 'none'" in page  # the Content-Security-Policy forbids every request


def test_vendor_libraries_are_pinned_inlined_and_licensed(html_path):
    from importlib import resources

    files = resources.files("kg.export.assets")
    package = json.loads(files.joinpath("vendor/package.json").read_text(encoding="utf-8"))
    lock = json.loads(files.joinpath("vendor/package-lock.json").read_text(encoding="utf-8"))
    bundle = files.joinpath("vendor.js").read_text(encoding="utf-8")
    licences = files.joinpath("vendor-licenses.txt").read_text(encoding="utf-8")
    page = html_path.read_text(encoding="utf-8")
    for name, version in package["dependencies"].items():
        assert re.fullmatch(r"\d+\.\d+\.\d+", version), f"{name} is not pinned"
        assert lock["packages"][f"node_modules/{name}"]["version"] == version
        assert f" * {name} {version} (MIT)" in bundle  # the bundle's banner names what it holds
        assert f"{name} {version} (MIT)" in licences
    assert bundle in page and "window.kgVendor" in page


def test_text_from_papers_cannot_close_the_data_script(hostile_graph, tmp_path):
    write_html(hostile_graph, tmp_path / "kg.html")
    page = (tmp_path / "kg.html").read_text(encoding="utf-8")
    for payload in PAYLOADS + ("<script>alert(1)</script>",):
        assert payload not in page
    assert "javascript:window" not in page  # a javascript: link is dropped, not escaped


def test_page_data_holds_the_entity_graph_and_every_paper(small_graph):
    data, E = page_data(small_graph), entity_graph(small_graph)
    assert {n["id"] for n in data["nodes"]} == set(E.nodes)
    assert sorted((e["from"], e["to"], e["predicate"]) for e in data["edges"]) == sorted(E.edges(keys=True))
    lora = next(n for n in data["nodes"] if n["id"] == "lora")
    assert lora["aliases"] == ["Low-Rank Adaptation", "low-rank adaptation"]
    assert lora["papers"] == [["2106.09685", "proposed"], ["a1b2c3d4e5", "used"]]
    assert lora["view"] is True and isinstance(lora["x"], float)
    assert data["papers"]["2106.09685"] == {"title": "LoRA: Low-Rank Adaptation of Large Language Models",
                                            "date": "2021-06-17", "url": "https://arxiv.org/abs/2106.09685"}
    assert sorted(data["papers"]) == ["2106.09685", "a1b2c3d4e5", "f0f0f0f0f0"]
    beats = next(e for e in data["edges"] if e["from"] == "gpt-4")
    assert beats["evidence"] == [["f0f0f0f0f0", "GPT-4 beats LLaMA-2 <script>alert(3)</script> on question answering."]]
    assert data["results"] == []
    assert data["meta"] == {"title": "kg", "entities": 8, "relations": 7, "papers": 3, "shown_nodes": 8,
                            "shown_edges": 7, "left_out_nodes": 0, "left_out_edges": 0, "max_nodes": None,
                            "view_nodes": 8, "results": 0}


def test_view_nodes_caps_the_drawn_overview_but_keeps_every_entity(small_graph):
    data = page_data(small_graph, view_nodes=3)
    drawn = [n["id"] for n in data["nodes"] if n["view"]]
    # most papers first (lora and glue have 2), then most relations: llama-2-7b (3) before the others
    assert drawn == ["glue", "llama-2-7b", "lora"]
    assert all(n["x"] is None and n["y"] is None for n in data["nodes"] if not n["view"])
    assert len(data["nodes"]) == 8 and len(data["edges"]) == 7 and data["meta"]["view_nodes"] == 3


def test_results_become_rows_for_leaderboards(results_graph):
    data = page_data(results_graph)
    assert [(r["subject"], r["metric"], r["dataset"], r["paper"], r["number"], r["kind"], r["baseline"])
            for r in data["results"]] == [
        ("llama-2-7b", "accuracy", "glue", "a1b2c3d4e5", 91.4, "absolute", None),
        ("lora", "accuracy", "glue", "2106.09685", 89.1, "absolute", None),
        ("lora", "accuracy", "glue", "2106.09685", 2.3, "delta", "full-fine-tuning")]
    assert data["results"][1]["evidence"] == "LoRA reaches 89.1% accuracy on GLUE." and data["meta"]["results"] == 3
    assert {n["id"] for n in data["nodes"]} == set(entity_graph(results_graph).nodes)  # results are no entities


def test_result_attributes_are_read_defensively(small_graph):
    small_graph.add_node("r", kind="result", subject="lora", metric="accuracy", dataset=None, paper="2106.09685",
                         value=None, number=float("nan"), baseline="full-fine-tuning", evidence={"sentence": "s"})
    (row,) = page_data(small_graph)["results"]
    assert row["number"] is None and row["kind"] == "delta" and row["evidence"] == "s" and row["paper"] == "2106.09685"


def test_styles_give_each_type_a_shape_and_a_contrasting_colour(small_graph):
    style = page_data(small_graph)["style"]
    assert style["types"] == TYPE_COLOURS and style["shapes"] == TYPE_SHAPES
    assert len(set(TYPE_SHAPES.values())) == len(TYPE_SHAPES)

    def luminance(colour):
        rgb = [int(colour[i:i + 2], 16) / 255 for i in (1, 3, 5)]
        rgb = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in rgb]
        return 0.2126 * rgb[0] + 0.7152 * rgb[1] + 0.0722 * rgb[2]

    for colour in [*TYPE_COLOURS.values(), *(s["colour"] for s in RELATION_STYLES.values())]:
        assert 1.05 / (luminance(colour) + 0.05) >= 3, colour  # WCAG 1.4.11: graphics 3:1 on white


@pytest.mark.parametrize("relation, arrow, label", [("outperforms", True, "beats"), ("evaluatedOn", True, None),
                                                    ("variantOf", True, None), ("combinesWith", False, None)])
def test_relation_styles(small_graph, relation, arrow, label):
    style = page_data(small_graph)["style"]["relations"][relation]
    assert style["arrow"] is arrow
    assert label is None or style["label"] == label
    colours = [s["colour"] for s in RELATION_STYLES.values()]
    assert len(set(colours)) == len(colours)


def test_max_nodes_keeps_the_most_connected(small_graph, tmp_path):
    summary = write_html(small_graph, tmp_path / "kg.html", max_nodes=3)
    data = page_data(small_graph, max_nodes=3)
    # degrees in the entity graph: llama-2-7b 3, lora 3, glue 2, gpt-4 2, llama-2 2, ...
    assert [n["id"] for n in data["nodes"]] == ["glue", "llama-2-7b", "lora"]
    assert summary == {"nodes": 3, "edges": 3, "left_out_nodes": 5, "left_out_edges": 4}
    assert all(e["from"] in {"glue", "llama-2-7b", "lora"} and e["to"] in {"glue", "llama-2-7b", "lora"}
               for e in data["edges"])
    assert sorted(data["papers"]) == ["2106.09685", "a1b2c3d4e5"]  # only the papers still cited


def test_unknown_types_and_relations_get_a_fallback_style(small_graph):
    small_graph.add_node("x", kind="entity", type="Hardware", label=None, aliases=None, papers=None)
    small_graph.add_edge("x", "lora", key="runsOn", predicate="runsOn", support=1, evidence=[])
    data = page_data(small_graph)
    assert data["style"]["types"]["Hardware"] and data["style"]["relations"]["runsOn"]["arrow"] is True
    assert data["style"]["shapes"]["Hardware"] == "circle"
    assert next(n for n in data["nodes"] if n["id"] == "x")["label"] == "x"


@pytest.mark.parametrize("kwargs", [{"max_nodes": 0}, {"max_nodes": -3}, {"max_nodes": 1.5}, {"max_nodes": "10"},
                                    {"max_nodes": True}, {"view_nodes": 0}, {"view_nodes": None}])
def test_bad_node_limits(small_graph, tmp_path, kwargs):
    with pytest.raises(KGError, match=next(iter(kwargs))):
        write_html(small_graph, tmp_path / "kg.html", **kwargs)
    assert not (tmp_path / "kg.html").exists()


@pytest.mark.parametrize("graph", [nx.empty_graph(1), nx.path_graph(2), nx.star_graph(6),
                                   nx.disjoint_union(nx.cycle_graph(40), nx.empty_graph(30))])
def test_layout_places_every_node_apart_and_is_reproducible(graph):
    pos = layout(graph)
    assert set(pos) == set(graph.nodes)
    assert len(set(pos.values())) == len(pos)
    assert layout(graph) == pos


def test_empty_graph(tmp_path):
    assert write_html(nx.MultiDiGraph(), tmp_path / "kg.html")["nodes"] == 0


# --- in the browser: few, quick, each a researcher's task ---------------------------------------------------------

@pytest.fixture
def open_page(chromium):
    """Open an HTML file and record console errors, page errors, dialogs and requests."""
    contexts = []

    def _open(path, width=1280, height=720, hash=""):
        context = chromium.new_context(viewport={"width": width, "height": height}, accept_downloads=True)
        contexts.append(context)
        page = context.new_page()
        page.log = {"errors": [], "requests": [], "dialogs": []}
        page.on("console", lambda m: page.log["errors"].append(m.text) if m.type == "error" else None)
        page.on("pageerror", lambda e: page.log["errors"].append(str(e)))
        page.on("request", lambda r: page.log["requests"].append(r.url))

        def dialog(d):
            page.log["dialogs"].append(d.message)
            d.dismiss()

        page.on("dialog", dialog)
        page.goto(Path(path).resolve().as_uri() + hash)
        wait_until(page, "() => window.kgReady === true", timeout=30)
        return page

    yield _open
    for context in contexts:
        context.close()


def wait_until(page, predicate, arg=None, timeout=10.0):
    """Poll `predicate` (a JavaScript function of `arg`) until it holds. Not ``page.wait_for_function``: while it
    polls, Playwright compiles the predicate with ``new Function`` in the page, which the page's Content Security
    Policy forbids (no 'unsafe-eval'), so on a loaded machine, where the first check comes too early, it fails."""
    import time

    end = time.monotonic() + timeout
    while not page.evaluate(predicate, arg):
        assert time.monotonic() < end, f"timed out waiting for {predicate}"
        page.wait_for_timeout(50)


def drawn(page):
    return page.evaluate("kg.visible()")


def panel_section(page, title):
    """The names listed under a panel heading that starts with `title`."""
    return page.evaluate("""title => {
        const h = [...document.querySelectorAll('#kg-panel h3')].find(h => h.textContent.startsWith(title));
        if (!h) return null;
        return [...h.nextElementSibling.querySelectorAll(':scope > li')].map(li => li.innerText.split('\\n')[0].trim()); }""",
                         title)


@pytest.mark.browser
def test_page_loads_offline_and_opens_on_the_connected_entities(html_path, open_page):
    page = open_page(html_path)
    assert page.log["errors"] == [] and page.log["requests"] == [html_path.resolve().as_uri()]
    assert page.title() == "kg"
    assert page.evaluate("kg.renderer !== null && kg.graph().order") == 8  # WebGL is drawing
    nodes, edges = drawn(page)["nodes"], drawn(page)["edges"]
    assert "accuracy" not in nodes and len(nodes) == 7 and len(edges) == 7  # no stranded dot
    assert "7 entities and 7 relations drawn" in page.inner_text("#kg-shown")
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "kg-html.png"))


@pytest.mark.browser
def test_every_program_draws_plainly_and_a_click_on_a_drawn_node_selects_it(html_path, open_page):
    # instanced draws run per instance in software WebGL (3 frames a second panning 5,000 nodes); the plain
    # programs must still be pickable: a click on a node's pixels opens its panel
    page = open_page(html_path)
    assert page.evaluate("""() => { const r = kg.renderer, ps = [...Object.values(r.nodePrograms), ...Object.values(r.edgePrograms)];
        return ps.flatMap(p => p.programs || [p]).filter(p => p.capacity > 0).map(p => p.isInstanced); }""") == [False] * 4
    node = max(drawn(page)["nodes"], key=lambda n: page.evaluate("id => kg.renderer.getNodeDisplayData(id).size", n))
    x, y = page.evaluate("""id => { const r = kg.renderer, p = r.framedGraphToViewport(r.getNodeDisplayData(id)),
        box = document.getElementById('kg-graph').getBoundingClientRect(); return [box.left + p.x, box.top + p.y]; }""", node)
    page.mouse.click(x, y)
    wait_until(page, "id => (location.hash || '').includes('entity=' + encodeURIComponent(id))", node)
    assert page.log["errors"] == []


@pytest.mark.browser
def test_the_four_questions_in_two_interactions_each(html_path, open_page):
    page = open_page(html_path)
    # 1. Which datasets are used most? One choice in the entity table (sorted by papers by default).
    page.select_option("#kg-table-type", "Dataset")
    assert page.evaluate("kg.tableRows().map(n => n.id)") == ["glue"]
    assert page.inner_text("#kg-table-wrap tbody tr td") == "GLUE"
    page.select_option("#kg-table-type", "")
    papers = page.evaluate("kg.tableRows().map(n => n.paper_count)")
    assert papers == sorted(papers, reverse=True)
    # 2. What did paper X propose and beat? Type part of its title, Enter.
    page.fill("#kg-search", "low-rank adaptation of large")
    page.press("#kg-search", "Enter")
    assert page.inner_text("#kg-panel h2") == "LoRA: Low-Rank Adaptation of Large Language Models"
    assert panel_section(page, "Proposes") == ["LoRA \u00b7 Method"]
    assert panel_section(page, "Beats")[0].startswith("LoRA beats full fine-tuning")
    assert "LoRA outperforms full fine-tuning on GLUE." in page.inner_text("#kg-panel")
    # 3. What is evaluated on D? Type its name, Enter: the dataset's panel groups it, with counts.
    page.fill("#kg-search", "glue")
    page.press("#kg-search", "Enter")
    assert page.evaluate("kg.state.selection") == {"kind": "entity", "id": "glue"}
    heading = page.locator("#kg-panel h3", has_text="Evaluated on this dataset").inner_text()
    assert heading.lower() == "evaluated on this dataset (2)"
    assert [x.split(" \u00b7")[0] for x in panel_section(page, "Evaluated on this dataset")] == ["LLaMA-2-7B", "LoRA"]
    # 4. Find GPT-4 by typing GPT4: the result list ranks it first, Enter selects it and its neighbourhood.
    page.fill("#kg-search", "GPT4")
    page.wait_for_selector("#kg-results li")
    assert page.inner_text("#kg-results li >> nth=0").startswith("GPT-4")
    page.press("#kg-search", "Enter")
    assert page.inner_text("#kg-panel h2") == "GPT-4"
    assert sorted(page.evaluate("kg.graph().nodes()")) == ["gpt-4", "llama-2", "llama-2-7b", "question-answering"]
    assert page.log["errors"] == []


@pytest.mark.browser
def test_search_ranks_names_aliases_titles_and_tolerates_typos(html_path, open_page):
    page = open_page(html_path)
    found = page.evaluate("""qs => qs.map(q => { const r = kg.find(q, 5)[0]; return r ? r.id : null; })""",
                          ["LoRA", "low rank adaptation", "llama 2", "Lama-2", "qa", "glue BENCHMARK", "  gpt-4 ",
                           "QLoRA on", "questoin answering", "no such thing at all"])
    assert found == ["lora", "lora", "llama-2", "llama-2", "question-answering", "glue", "gpt-4", "a1b2c3d4e5",
                     "question-answering", None]
    page.fill("#kg-search", "llama")
    page.wait_for_selector("#kg-results li")
    page.press("#kg-search", "ArrowDown")
    page.press("#kg-search", "Enter")  # the second result
    assert page.inner_text("#kg-panel h2") == page.evaluate("kg.byId.get(kg.find('llama', 5)[1].id).label")


@pytest.mark.browser
def test_filters_hide_stranded_nodes_and_the_url_holds_the_view(html_path, open_page):
    page = open_page(html_path)
    page.uncheck('#kg-relations input[value="combinesWith"]')
    page.uncheck('#kg-relations input[value="evaluatedOn"]')
    assert drawn(page)["nodes"] == ["full-fine-tuning", "gpt-4", "llama-2", "llama-2-7b", "lora"]
    page.uncheck('#kg-types input[value="Method"]')
    assert drawn(page)["nodes"] == ["gpt-4", "llama-2", "llama-2-7b"]  # lora's partner is gone too
    page.check("#kg-lone")
    assert "accuracy" in drawn(page)["nodes"]
    page.evaluate("kg.selectEntity('gpt-4')")
    url = page.evaluate("kg.copyLink()")
    assert "entity=gpt-4" in url and "types=Model%2CDataset%2CTask%2CMetric" in url and "lone=1" in url
    assert "Link copied" in page.inner_text("#kg-action-status") or "Copy this link" in page.inner_text(
        "#kg-action-status")
    # the shared link opens the same view
    other = open_page(html_path, hash="#" + url.split("#")[1])
    assert other.evaluate("kg.state.selection") == {"kind": "entity", "id": "gpt-4"}
    assert other.inner_text("#kg-panel h2") == "GPT-4" and other.is_checked("#kg-lone")
    assert not other.is_checked('#kg-relations input[value="combinesWith"]')
    assert not other.is_checked('#kg-types input[value="Method"]')
    other.keyboard.press("Escape")  # back to the overview, filtered as the link says
    assert other.evaluate("kg.visible().nodes.includes('lora')") is False
    other.evaluate("kg.selectEntity('lora')")  # selecting an entity of a hidden type shows its type again
    assert other.is_checked('#kg-types input[value="Method"]')


@pytest.mark.browser
def test_tables_sort_select_with_the_keyboard_and_export(html_path, open_page, tmp_path):
    page = open_page(html_path)
    page.click("#kg-tab-relations")
    page.select_option("#kg-table-relation", "outperforms")
    page.select_option("#kg-table-side", "object")
    page.fill("#kg-table-filter", "llama")
    page.wait_for_timeout(300)  # the filter waits for typing to pause
    assert page.evaluate("kg.tableRows()[0].from") == "gpt-4"  # what beats LLaMA-2
    assert "tab=relations" in page.url and "relation=outperforms" in page.url
    page.focus("#kg-table-wrap tbody button.name")
    page.keyboard.press("Enter")
    assert page.inner_text("#kg-panel h2") == "GPT-4"
    page.keyboard.press("Escape")
    assert not page.is_visible("#kg-panel") and page.evaluate("kg.graph().order") == 8
    with page.expect_download() as download:
        page.click("text=Export CSV")
    text = Path(download.value.path()).read_text(encoding="utf-8")
    assert text.splitlines()[0] == "Subject,Relation,Object,Support,Evidence"
    assert text.splitlines()[1].startswith("GPT-4,outperforms,LLaMA-2,1,")
    page.click("#kg-tab-entities")
    page.click("#kg-table-wrap th >> text=Name")
    names = page.evaluate("kg.tableRows().map(n => n.label.toLowerCase())")
    assert names == sorted(names)
    with page.expect_download() as download:
        page.click("#kg-export-png")
    assert download.value.suggested_filename == "kg-view.png"
    assert Path(download.value.path()).read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


@pytest.mark.browser
def test_leaderboard_of_a_dataset_and_results_of_a_method(results_graph, tmp_path, open_page):
    write_html(results_graph, tmp_path / "kg.html")
    page = open_page(tmp_path / "kg.html")
    page.evaluate("kg.selectEntity('glue')")
    tables = page.evaluate("""[...document.querySelectorAll('#kg-panel table')].map(t =>
        [...t.querySelectorAll('tr')].map(r => [...r.cells].map(c => c.innerText)))""")
    assert [row[:2] for row in tables[0]] == [["Method", "Value"], ["LLaMA-2-7B", "91.4%"], ["LoRA", "89.1%"]]
    assert tables[1][0] == ["Method", "Metric", "Change", "Baseline", "Paper", "Evidence"]
    assert tables[1][1][:4] == ["LoRA", "accuracy", "+2.3 points", "full fine-tuning"]  # deltas apart
    page.click("#kg-panel table >> text=LLaMA-2-7B")
    assert page.inner_text("#kg-panel h2") == "LLaMA-2-7B"
    assert "Results (1)" in page.inner_text("#kg-panel").replace("RESULTS", "Results")
    page.click("#kg-tab-results")
    assert page.evaluate("kg.tableRows().length") == 3 and page.log["errors"] == []


@pytest.mark.browser
def test_injected_markup_shows_as_text_and_runs_nothing(hostile_graph, tmp_path, open_page):
    write_html(hostile_graph, tmp_path / "kg.html")
    page = open_page(tmp_path / "kg.html")
    texts = page.evaluate("""(() => {
        const out = [], text = () => document.getElementById('kg-panel').innerText;
        for (const n of kgData.nodes) { kg.selectEntity(n.id); out.push(text()); }
        for (const e of kgData.edges) { kg.selectEdge(e.id); document.querySelectorAll('#kg-panel details')
            .forEach(d => { d.open = true; d.dispatchEvent(new Event('toggle')); }); out.push(text()); }
        for (const p of Object.keys(kgData.papers)) { kg.selectPaper(p); out.push(text()); }
        return out.join('\\n'); })()""")
    page.fill("#kg-search", "GPT")
    page.wait_for_selector("#kg-results li")
    texts += page.inner_text("#kg-results") + page.inner_text("#kg-table-wrap")
    page.evaluate("kg.closePanel()")
    x, y = page.evaluate("""(() => { const r = kg.renderer, p = r.framedGraphToViewport(r.getNodeDisplayData('gpt-4'));
        const b = document.getElementById('kg-graph').getBoundingClientRect(); return [b.left + p.x, b.top + p.y]; })()""")
    page.mouse.move(x - 40, y - 40)
    page.mouse.move(x, y, steps=4)
    page.wait_for_selector("#kg-tooltip", state="visible")
    assert PAYLOADS[2] in page.inner_text("#kg-tooltip")  # the lazily built tooltip shows the markup as text
    assert page.evaluate("typeof window.__pwned") == "undefined"
    assert page.log["dialogs"] == [] and page.log["errors"] == []
    assert page.log["requests"] == [(tmp_path / "kg.html").resolve().as_uri()]  # no <img src=x> was fetched
    for payload in PAYLOADS:
        assert payload in texts
    assert page.evaluate("document.querySelectorAll('#kg-panel script, #kg-panel img, #kg-panel svg,"
                         " #kg-tooltip img, #kg-table-wrap img').length") == 0
    assert page.evaluate("[...document.querySelectorAll('#kg-panel a[href]')].every(a => a.href.startsWith('http'))")


@pytest.mark.browser
def test_accessible_at_1280x720_and_on_a_phone(html_path, open_page):
    """No critical or serious axe-core violation; every type has its own shape; the phone keeps a wide graph."""
    import axe_playwright_python

    axe = (Path(axe_playwright_python.__file__).parent / "axe.min.js").read_text(encoding="utf-8")
    for width, height in [(1280, 720), (390, 844)]:
        page = open_page(html_path, width=width, height=height)
        page.evaluate("kg.selectEntity('lora')")  # a panel open, with its lists and tables
        page.evaluate(axe)
        violations = page.evaluate("""async () => (await axe.run(document, {resultTypes: ['violations']}))
            .violations.filter(v => v.impact === 'critical' || v.impact === 'serious')
            .map(v => v.id + ': ' + v.nodes.map(n => n.target.join(' ')).slice(0, 3).join(', '))""")
        assert violations == [], (width, violations)
        graph = page.evaluate("document.getElementById('kg-graph').getBoundingClientRect().width")
        assert graph >= min(width - 300 - 380, 640) if width > 760 else graph >= width - 20
        assert page.evaluate("document.documentElement.scrollWidth") <= width
    shapes = page.evaluate("[...document.querySelectorAll('#kg-types .swatch')].map(s => s.className)")
    assert len(set(shapes)) == len(TYPE_SHAPES)
