"""GraphML export: round trip through networkx, and the file loads in igraph."""

import networkx as nx
import pytest

from kg.errors import InputError
from kg.export.graphml import SEPARATOR, flatten, read_graphml, write_graphml


@pytest.fixture
def graphml_path(small_graph, tmp_path):
    path = tmp_path / "out" / "kg.graphml"
    write_graphml(small_graph, path)
    return path


def test_round_trip_keeps_nodes_edges_and_keys(small_graph, graphml_path):
    G = read_graphml(graphml_path)
    assert isinstance(G, nx.MultiDiGraph)
    assert set(G.nodes) == set(small_graph.nodes)
    assert sorted(G.edges(keys=True)) == sorted(small_graph.edges(keys=True))


def test_round_trip_attributes_equal_after_flattening(small_graph, graphml_path):
    G, flat = read_graphml(graphml_path), flatten(small_graph)
    for n, attrs in flat.nodes(data=True):
        assert G.nodes[n] == attrs
    for u, v, k, attrs in flat.edges(keys=True, data=True):
        assert G.edges[u, v, k] == attrs
    assert {k: G.graph[k] for k in ("name", "created", "papers")} == {"name": "kg", "created": "2026-01-01T00:00:00",
                                                                      "papers": 3}


@pytest.mark.parametrize("node, name, expected", [
    ("lora", "aliases", "Low-Rank Adaptation | low-rank adaptation"),
    ("lora", "paper_count", 2),
    ("lora", "first_seen", "2021-06-17"),
    ("lora", "type", "Method"),
    ("lora", "label", "LoRA"),
    ("lora", "roles", '{"2106.09685": "proposed", "a1b2c3d4e5": "used"}'),
    ("paper:2106.09685", "authors", "E. Hu | Y. Shen"),
    ("paper:a1b2c3d4e5", "upvotes", 3),
    ("paper:a1b2c3d4e5", "paper_id", "a1b2c3d4e5"),
    ("paper:f0f0f0f0f0", "title", "A <script>alert(1)</script> title"),
])
def test_node_attributes_are_flattened(graphml_path, node, name, expected):
    assert read_graphml(graphml_path).nodes[node][name] == expected


def test_none_values_are_left_out(graphml_path):
    G = read_graphml(graphml_path)
    assert "first_seen" not in G.nodes["gpt-4"]
    assert "url" not in G.nodes["paper:a1b2c3d4e5"]


def test_edge_evidence_support_and_predicate(small_graph, graphml_path):
    edge = read_graphml(graphml_path).edges["gpt-4", "llama-2", "outperforms"]
    assert edge["predicate"] == "outperforms"
    assert edge["support"] == 1
    assert edge["evidence"] == "GPT-4 beats LLaMA-2 <script>alert(3)</script> on question answering."
    assert edge["evidence_papers"] == "f0f0f0f0f0"


def test_several_evidence_sentences_are_joined(small_graph, tmp_path):
    ev = [{"paper": p, "sentence": s, "start": 0, "end": 1, "confidence": 0.5} for p, s in [("p1", "A."), ("p2", "B.")]]
    small_graph.add_edge("lora", "glue", key="outperforms", predicate="outperforms", support=2, evidence=ev)
    write_graphml(small_graph, tmp_path / "kg.graphml")
    edge = read_graphml(tmp_path / "kg.graphml").edges["lora", "glue", "outperforms"]
    assert edge["evidence"] == "A." + SEPARATOR + "B."
    assert edge["evidence_papers"] == "p1 | p2"


def test_edge_ids_are_unique(graphml_path):
    import xml.etree.ElementTree as ET

    ids = [e.get("id") for e in ET.parse(graphml_path).iter("{http://graphml.graphdrawing.org/xmlns}edge")]
    assert len(ids) == len(set(ids)) > 0


def test_write_is_atomic_and_leaves_no_temporary_file(small_graph, graphml_path):
    assert [p.name for p in graphml_path.parent.iterdir()] == ["kg.graphml"]


def test_loads_in_igraph(small_graph, graphml_path):
    igraph = pytest.importorskip("igraph")
    g = igraph.Graph.Read_GraphML(str(graphml_path))
    assert g.vcount() == small_graph.number_of_nodes()
    assert g.ecount() == small_graph.number_of_edges()
    assert g.is_directed()
    lora = g.vs.find(id="lora")
    assert (lora["type"], lora["label"], lora["paper_count"]) == ("Method", "LoRA", 2)
    assert set(g.es["predicate"]) == {k for _, _, k in small_graph.edges(keys=True)}
    assert g.vs.find(id="paper:2106.09685")["paper_id"] == "2106.09685"
    assert g.vs.find(id="lora")["generic"] is False


def test_loads_in_rustworkx_with_booleans(small_graph, graphml_path):
    rustworkx = pytest.importorskip("rustworkx")
    small_graph.nodes["gpt-4"]["generic"] = True
    write_graphml(small_graph, graphml_path)
    (g,) = rustworkx.read_graphml(str(graphml_path))
    nodes = {d["id"]: d for d in g.nodes()}
    assert len(nodes) == small_graph.number_of_nodes() and g.num_edges() == small_graph.number_of_edges()
    assert (nodes["lora"]["generic"], nodes["gpt-4"]["generic"]) == (False, True)
    assert "<data key=\"d" in graphml_path.read_text() and ">False<" not in graphml_path.read_text()


def test_control_characters_give_well_formed_xml(small_graph, tmp_path):
    from xml.etree import ElementTree

    small_graph.nodes["paper:2106.09685"]["title"] = "LoRA\x00: low\x1b-rank\x0c adaptation\ud800"
    small_graph.nodes["lora"]["aliases"] = ["Lo\x01RA"]
    small_graph.add_node("paper:bad\x02id", kind="paper", type="Paper", id="bad\x02id", title="T\x03")
    small_graph.add_edge("paper:bad\x02id", "lora", key="uses", predicate="uses")
    small_graph.graph["link_report"] = {"note": "\x07"}
    path = tmp_path / "kg.graphml"
    write_graphml(small_graph, path)
    ElementTree.parse(path)  # well-formed
    G = read_graphml(path)
    assert G.nodes["paper:2106.09685"]["title"] == "LoRA: low-rank adaptation"
    assert G.nodes["lora"]["aliases"] == "LoRA"
    assert ("paper:badid", "lora", "uses") in G.edges(keys=True)


@pytest.mark.parametrize("content, message", [(None, "no such file"), ("not xml", "not a readable GraphML")])
def test_read_errors_name_the_file(tmp_path, content, message):
    path = tmp_path / "bad.graphml"
    if content is not None:
        path.write_text(content)
    with pytest.raises(InputError, match=message) as info:
        read_graphml(path)
    assert str(path) in str(info.value)


def test_results_and_conflicts_round_trip(result_graph, tmp_path):
    path = tmp_path / "kg.graphml"
    write_graphml(result_graph, path)
    G, flat = read_graphml(path), flatten(result_graph)
    for n in ("result:2106.09685:1", "conflict:lora:llama-2-7b:accuracy:glue"):
        assert G.nodes[n] == flat.nodes[n]
    r = G.nodes["result:2106.09685:1"]
    assert (r["kind"], r["result_kind"], r["value"], r["baseline"], r["normalized_number"]) == (
        "result", "delta", "+2.3 points", "full-fine-tuning", 2.3)
    assert "sides" in G.nodes["conflict:lora:llama-2-7b:accuracy:glue"]  # two sides as JSON text
    assert ("paper:2106.09685", "result:2106.09685:1", "reports") in G.edges(keys=True)
