"""The HTML view: what the page holds (fast, no browser) and how it behaves in a real headless Chromium."""

import re
from pathlib import Path

import networkx as nx
import pytest

from kg.errors import KGError
from kg.export.html import RELATION_STYLES, TYPE_COLOURS, layout, page_data, write_html
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
def html_path(small_graph, tmp_path):
    path = tmp_path / "out" / "kg.html"
    write_html(small_graph, path)
    return path


# --- the file ---------------------------------------------------------------------------------------------------

def test_writes_one_self_contained_file(small_graph, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)  # pyvis's own writer would drop lib/ here
    summary = write_html(small_graph, tmp_path / "out" / "kg.html")
    assert summary == {"nodes": 8, "edges": 7, "left_out_nodes": 0, "left_out_edges": 0}
    assert sorted(p.relative_to(tmp_path).as_posix() for p in tmp_path.rglob("*")) == ["out", "out/kg.html"]


def test_page_refers_to_nothing_outside(html_path):
    page = html_path.read_text(encoding="utf-8")
    remote = r"""<(script|link|img|iframe)[^>]*\s(src|href)\s*=\s*["']?(https?:)?//"""
    assert not re.search(remote, page, re.IGNORECASE)
    assert "cdnjs" not in page and "bootstrap" not in page
    assert "default-src 'none'" in page  # the Content-Security-Policy forbids every request


def test_text_from_papers_cannot_close_the_data_script(hostile_graph, tmp_path):
    write_html(hostile_graph, tmp_path / "kg.html")
    page = (tmp_path / "kg.html").read_text(encoding="utf-8")
    for payload in PAYLOADS + ("<script>alert(1)</script>",):
        assert payload not in page
    assert "javascript:window" not in page  # a javascript: link is dropped, not escaped


def test_page_data_holds_the_entity_graph(small_graph):
    data, E = page_data(small_graph), entity_graph(small_graph)
    assert {n["id"] for n in data["nodes"]} == set(E.nodes)
    assert sorted((e["from"], e["to"], e["predicate"]) for e in data["edges"]) == sorted(E.edges(keys=True))
    lora = next(n for n in data["nodes"] if n["id"] == "lora")
    assert lora["aliases"] == ["Low-Rank Adaptation", "low-rank adaptation"]
    assert lora["papers"] == [["2106.09685", "proposed"], ["a1b2c3d4e5", "used"]]
    assert data["papers"]["2106.09685"] == {"title": "LoRA: Low-Rank Adaptation of Large Language Models",
                                            "date": "2021-06-17", "url": "https://arxiv.org/abs/2106.09685"}
    beats = next(e for e in data["edges"] if e["from"] == "gpt-4")
    assert beats["evidence"] == [["f0f0f0f0f0", "GPT-4 beats LLaMA-2 <script>alert(3)</script> on question answering."]]
    assert data["meta"] == {"title": "kg", "entities": 8, "relations": 7, "papers": 3, "shown_nodes": 8,
                            "shown_edges": 7, "left_out_nodes": 0, "left_out_edges": 0, "max_nodes": None}


@pytest.mark.parametrize("relation, arrow, label", [("outperforms", True, "beats"), ("evaluatedOn", True, None),
                                                    ("variantOf", True, None), ("combinesWith", False, None)])
def test_relation_styles(small_graph, relation, arrow, label):
    style = page_data(small_graph)["style"]["relations"][relation]
    assert style["arrow"] is arrow
    assert label is None or style["label"] == label
    colours = [s["colour"] for s in RELATION_STYLES.values()]
    assert len(set(colours)) == len(colours)
    assert page_data(small_graph)["style"]["types"] == TYPE_COLOURS


def test_max_nodes_keeps_the_most_connected(small_graph, tmp_path):
    summary = write_html(small_graph, tmp_path / "kg.html", max_nodes=3)
    data = page_data(small_graph, max_nodes=3)
    # degrees in the entity graph: llama-2-7b 3, lora 3, glue 2, gpt-4 2, llama-2 2, ...
    assert [n["id"] for n in data["nodes"]] == ["glue", "llama-2-7b", "lora"]
    assert summary == {"nodes": 3, "edges": 3, "left_out_nodes": 5, "left_out_edges": 4}
    assert all(e["from"] in {"glue", "llama-2-7b", "lora"} and e["to"] in {"glue", "llama-2-7b", "lora"}
               for e in data["edges"])


def test_unknown_types_and_relations_get_a_fallback_style(small_graph):
    small_graph.add_node("x", kind="entity", type="Hardware", label=None, aliases=None, papers=None)
    small_graph.add_edge("x", "lora", key="runsOn", predicate="runsOn", support=1, evidence=[])
    data = page_data(small_graph)
    assert data["style"]["types"]["Hardware"] and data["style"]["relations"]["runsOn"]["arrow"] is True
    assert next(n for n in data["nodes"] if n["id"] == "x")["label"] == "x"


@pytest.mark.parametrize("max_nodes", [0, -3, 1.5, "10", True])
def test_bad_max_nodes(small_graph, tmp_path, max_nodes):
    with pytest.raises(KGError, match="max_nodes"):
        write_html(small_graph, tmp_path / "kg.html", max_nodes=max_nodes)
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


# --- in the browser ---------------------------------------------------------------------------------------------

@pytest.fixture
def open_page(chromium):
    """Open an HTML file and record console errors, page errors, dialogs and requests."""
    contexts = []

    def _open(path, width=1400, height=900):
        context = chromium.new_context(viewport={"width": width, "height": height})
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
        page.goto(Path(path).resolve().as_uri())
        page.wait_for_function("window.kgReady === true", timeout=30_000)
        return page

    yield _open
    for context in contexts:
        context.close()


def shown(page):
    return page.evaluate("[kg.nodesView.getIds().sort(), kg.edgesView.get().map(e => e.predicate).sort()]")


@pytest.mark.browser
def test_page_loads_offline_without_errors(html_path, open_page):
    page = open_page(html_path)
    assert page.log["errors"] == []
    assert page.log["requests"] == [html_path.resolve().as_uri()]
    assert page.title() == "kg"


@pytest.mark.browser
def test_page_holds_the_entity_graph(small_graph, html_path, open_page):
    E = entity_graph(small_graph)
    page = open_page(html_path)
    counts = page.evaluate("[kgData.nodes.length, kgData.edges.length, kg.nodes.length, kg.edges.length,"
                           " kg.nodesView.length, kg.edgesView.length]")
    assert counts == [E.number_of_nodes(), E.number_of_edges()] * 3
    assert set(page.evaluate("kg.nodesView.getIds()")) == set(E.nodes)
    assert "8 of 8 entities and 7 of 7 relations" in page.inner_text("#kg-shown")


@pytest.mark.browser
def test_filter_by_type_hides_nodes_and_their_edges(html_path, open_page):
    page = open_page(html_path)
    page.uncheck('#kg-types input[value="Model"]')
    ids, predicates = shown(page)
    assert ids == ["accuracy", "full-fine-tuning", "glue", "lora", "question-answering"]
    assert predicates == ["evaluatedOn", "outperforms"]
    page.check('#kg-types input[value="Model"]')
    assert len(shown(page)[0]) == 8


@pytest.mark.browser
def test_filter_by_relation(html_path, open_page):
    page = open_page(html_path)
    page.uncheck('#kg-relations input[value="outperforms"]')
    page.uncheck('#kg-relations input[value="variantOf"]')
    ids, predicates = shown(page)
    assert predicates == ["combinesWith", "evaluatedOn", "evaluatedOn", "evaluatedOn"]
    assert len(ids) == 8  # relations filter edges, not entities


@pytest.mark.browser
def test_filter_by_minimum_support(hostile_graph, tmp_path, open_page):
    write_html(hostile_graph, tmp_path / "kg.html")
    page = open_page(tmp_path / "kg.html")
    assert page.get_attribute("#kg-min-support", "max") == "2"
    page.eval_on_selector("#kg-min-support", "el => { el.value = '2'; el.dispatchEvent(new Event('input')); }")
    assert shown(page)[1] == ["outperforms"]
    assert page.inner_text("#kg-min-support-value") == "2"


@pytest.mark.browser
@pytest.mark.parametrize("query, node", [
    ("LoRA", "lora"), ("low-rank adaptation", "lora"), ("LOW-RANK ADAPTATION", "lora"), ("llama 2", "llama-2"),
    ("qa", "question-answering"), ("glue BENCHMARK", "glue"), ("  gpt-4 ", "gpt-4"),
])
def test_search_finds_a_node_by_any_alias(html_path, open_page, query, node):
    page = open_page(html_path)
    page.fill("#kg-search", query)
    page.press("#kg-search", "Enter")
    assert page.evaluate("kg.network.getSelectedNodes()") == [node]
    assert page.is_visible("#kg-panel")
    label = page.evaluate(f"kgData.nodes.find(n => n.id === {node!r}).label")
    assert page.inner_text("#kg-panel h2") == label


@pytest.mark.browser
def test_search_shows_a_filtered_out_node_and_reports_misses(html_path, open_page):
    page = open_page(html_path)
    page.uncheck('#kg-types input[value="Model"]')
    page.fill("#kg-search", "Llama 2")
    page.press("#kg-search", "Enter")
    assert "llama-2" in shown(page)[0]
    assert page.is_checked('#kg-types input[value="Model"]')
    page.fill("#kg-search", "no such thing")
    page.press("#kg-search", "Enter")
    assert "No entity" in page.inner_text("#kg-search-status")


@pytest.mark.browser
def test_clicking_a_node_opens_its_panel(html_path, open_page):
    page = open_page(html_path)
    x, y = page.evaluate("(() => { const p = kg.network.canvasToDOM(kg.network.getPosition('lora'));"
                         " const r = document.getElementById('kg-graph').getBoundingClientRect();"
                         " return [r.left + p.x, r.top + p.y]; })()")
    page.mouse.click(x, y)
    panel = page.inner_text("#kg-panel")
    assert "Low-Rank Adaptation" in panel and "beats full fine-tuning" in panel
    assert "LoRA: Low-Rank Adaptation of Large Language Models" in panel
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "kg-html-node-panel.png"))


@pytest.mark.browser
def test_selection_dims_all_but_the_neighbourhood(html_path, open_page):
    page = open_page(html_path)
    colour = "id => kg.nodes.get(id).color.background"
    page.evaluate("kg.showNode('gpt-4')")
    dim = page.evaluate(colour, "accuracy")
    assert dim != TYPE_COLOURS["Metric"]
    assert page.evaluate(colour, "llama-2") == TYPE_COLOURS["Model"]  # a neighbour of gpt-4
    assert page.inner_text("#kg-panel li a") == "beats LLaMA-2"  # outperforms listed first
    page.click("#kg-panel-close")
    assert page.evaluate(colour, "accuracy") == TYPE_COLOURS["Metric"]
    assert not page.is_visible("#kg-panel")


@pytest.mark.browser
def test_hide_entities_in_no_relation(html_path, open_page):
    page = open_page(html_path)
    assert page.inner_text("#kg-isolated-count") == "1"
    page.uncheck("#kg-isolated")
    assert "accuracy" not in shown(page)[0] and len(shown(page)[0]) == 7


@pytest.mark.browser
def test_injected_markup_shows_as_text_and_runs_nothing(hostile_graph, tmp_path, open_page):
    write_html(hostile_graph, tmp_path / "kg.html")
    page = open_page(tmp_path / "kg.html")
    assert page.evaluate("typeof window.__pwned") == "undefined"
    texts = page.evaluate("""(() => {
        const out = [];
        for (const n of kgData.nodes) { kg.showNode(n.id); out.push(document.getElementById('kg-panel').innerText); }
        for (const e of kgData.edges) { kg.showEdge(e.id); out.push(document.getElementById('kg-panel').innerText); }
        return out.join('\\n'); })()""")
    page.evaluate("document.getElementById('kg-panel').hidden = true")
    x, y = page.evaluate("(() => { const p = kg.network.canvasToDOM(kg.network.getPosition('gpt-4'));"
                         " const r = document.getElementById('kg-graph').getBoundingClientRect();"
                         " return [r.left + p.x, r.top + p.y]; })()")
    page.mouse.move(x - 30, y - 30)
    page.mouse.move(x, y, steps=5)
    page.wait_for_selector(".vis-tooltip", state="visible")
    assert PAYLOADS[2] in page.inner_text(".vis-tooltip")  # the tooltip shows the markup as text too
    markup = "document.querySelectorAll('.vis-tooltip script, .vis-tooltip img, .vis-tooltip svg').length"
    assert page.evaluate(markup) == 0
    assert page.evaluate("typeof window.__pwned") == "undefined"
    assert page.log["dialogs"] == [] and page.log["errors"] == []
    assert page.log["requests"] == [(tmp_path / "kg.html").resolve().as_uri()]  # no <img src=x> was fetched
    for payload in PAYLOADS:
        assert payload in texts  # shown as text
    assert page.evaluate("document.querySelectorAll('#kg-panel script, #kg-panel img, #kg-panel svg').length") == 0
    assert page.evaluate("[...document.querySelectorAll('#kg-panel a[href]')].every(a => a.href.startsWith('http'))")


@pytest.mark.browser
def test_max_nodes_notice(small_graph, tmp_path, open_page):
    write_html(small_graph, tmp_path / "kg.html", max_nodes=3)
    page = open_page(tmp_path / "kg.html")
    notice = page.inner_text("#kg-notice")
    assert page.is_visible("#kg-notice")
    assert "3 most connected of 8 entities" in notice and "5 entities and 4 relations are left out" in notice
    assert page.evaluate("kg.nodesView.length") == 3


@pytest.mark.browser
def test_large_graph_draws_quickly_and_stays_still(tmp_path, open_page):
    G = nx.MultiDiGraph()
    B = nx.barabasi_albert_graph(1500, 1, seed=1)
    for n in B:
        G.add_node(f"n{n}", kind="entity", type=list(TYPE_COLOURS)[n % 5], label=f"Node {n}", aliases=[f"alias {n}"],
                   papers=[], paper_count=n % 7)
    for a, b in B.edges:
        G.add_edge(f"n{a}", f"n{b}", key="outperforms", predicate="outperforms", support=1, evidence=[])
    write_html(G, tmp_path / "kg.html")
    page = open_page(tmp_path / "kg.html", width=1600, height=1000)
    assert page.evaluate("window.kgReadyMs") < 10_000
    before = page.evaluate("kg.network.getPosition('n10')")
    page.wait_for_timeout(500)
    assert page.evaluate("kg.network.getPosition('n10')") == before  # no physics running
    assert page.evaluate("kg.search('ALIAS 1234')") == "n1234"
    assert page.log["errors"] == []


@pytest.mark.browser
def test_screenshot_artifact(html_path, open_page):
    page = open_page(html_path)
    ARTIFACTS.mkdir(exist_ok=True)
    out = ARTIFACTS / "kg-html.png"
    page.screenshot(path=str(out))
    assert out.stat().st_size > 10_000
