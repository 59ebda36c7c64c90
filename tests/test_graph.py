"""Tests of kg.graph: build_graph produces exactly the documented schema; save/load, find, describe, stats."""

import pytest

from kg.errors import KGError
from kg.graph import (
    ENTITY_RELATIONS, PAPER_RELATIONS, build_graph, describe_entity, entity_nodes, find_entities, graph_stats,
    load_graph, paper_nodes, save_graph,
)
from kg.records import ENTITY_TYPES, Entity, PaperExtraction, Relation

PAPER_ATTRS = {"kind": str, "type": str, "label": str, "id": str, "title": str, "abstract": str,
               "date": (str, type(None)), "url": (str, type(None)), "authors": list, "n_authors": (int, type(None)),
               "organisation": (str, type(None)), "upvotes": (int, type(None)), "source": str,
               "position": (int, type(None))}
ENTITY_ATTRS = {"kind": str, "type": str, "label": str, "aliases": list, "papers": list, "roles": dict,
                "paper_count": int, "first_seen": (str, type(None)), "generic": bool, "confidence": float,
                "type_votes": dict}
RELATION_ATTRS = {"predicate": str, "support": int, "evidence": list, "confidence": float}


@pytest.fixture
def graph(papers, extractions):
    more = PaperExtraction("a1b2c3d4e5", "QLoRA on LLaMA-2", [
        Entity("LLaMA-2-7B", "Model", "used"), Entity("low-rank adaptation", "Method", "used"),
        Entity("GLUE benchmark", "Dataset", "used"), Entity("accuracy", "Metric", "used"),
        Entity("large language models", "Model", "mentioned", generic=True),
    ], [
        Relation("LLaMA-2-7B", "combinesWith", "low-rank adaptation", "We fine-tune LLaMA-2-7B with LoRA", 0, 10),
        Relation("LLaMA-2-7B", "evaluatedOn", "GLUE benchmark", "report accuracy on GLUE.", 0, 10),
        Relation("LLaMA-2-7B", "combinesWith", "large language models", "x", 0, 1),
    ])
    third = PaperExtraction("f0f0f0f0f0", "t", [
        Entity("GPT-4", "Model", "proposed"), Entity("LLaMA-2", "Model", "baseline"),
        Entity("question answering", "Task", "used")], [
        Relation("GPT-4", "outperforms", "LLaMA-2", "GPT-4 beats LLaMA-2 on question answering.", 15, 57, 0.7)])
    return build_graph(papers, [*extractions, more, third])


def _check(attrs, schema):
    assert set(attrs) == set(schema)
    for k, t in schema.items():
        assert isinstance(attrs[k], t), (k, attrs[k])


def test_build_graph_schema(graph, small_graph):
    # no timestamp unless asked for (the fixture asked for one): identical inputs, identical graphs
    assert set(graph.graph) == set(small_graph.graph) - {"created"} == {"name", "papers", "link_report"}
    assert graph.graph["papers"] == 3 and graph.graph["link_report"]["entities_in"] == 11
    for _, d in paper_nodes(graph):
        _check(d, PAPER_ATTRS)
    for n, d in entity_nodes(graph):
        _check(d, ENTITY_ATTRS)
        assert d["type"] in ENTITY_TYPES and d["paper_count"] == len(d["papers"]) and d["papers"] == sorted(d["roles"])
    for u, v, k, d in graph.edges(keys=True, data=True):
        assert k == d["predicate"]
        if graph.nodes[u]["kind"] == "paper":
            assert d == {"predicate": k} and k in PAPER_RELATIONS and graph.nodes[v]["kind"] == "entity"
        else:
            _check(d, RELATION_ATTRS)
            assert k in ENTITY_RELATIONS and graph.nodes[v]["kind"] == "entity"
            for ev in d["evidence"]:
                assert set(ev) == {"paper", "sentence", "start", "end", "confidence"}
    # the hand-built fixture and the built graph use the same attribute names for every kind of node
    for kind, attrs in (("paper", PAPER_ATTRS), ("entity", ENTITY_ATTRS)):
        for _, d in small_graph.nodes(data=True):
            if d["kind"] == kind:
                assert set(d) == set(attrs)


def test_build_graph_content(graph):
    assert graph.nodes["lora"]["papers"] == ["2106.09685", "a1b2c3d4e5"]
    assert graph.nodes["lora"]["roles"] == {"2106.09685": "proposed", "a1b2c3d4e5": "used"}
    assert graph.has_edge("paper:2106.09685", "lora", "proposes")
    assert graph.has_edge("paper:f0f0f0f0f0", "llama-2", "comparesTo")
    assert graph.has_edge("llama-2-7b", "llama-2", "variantOf")
    assert graph.has_edge("llama-2-7b", "lora", "combinesWith")   # sorted endpoints
    ev = graph.edges["glue", "lora", "evaluatedOn"] if graph.has_edge("glue", "lora", "evaluatedOn") else None
    assert ev is None and graph.edges["lora", "glue", "evaluatedOn"]["support"] == 1
    assert graph.nodes["paper:2106.09685"]["n_authors"] == 2
    assert graph.nodes["paper:a1b2c3d4e5"]["n_authors"] == 4


def test_generic_entities_stay_out_of_the_graph(graph):
    assert "llm" not in graph and "large-language-model" not in graph
    assert graph.graph["link_report"]["dropped"]["relation_generic"] == 1


def test_save_load_round_trip(graph, tmp_path):
    save_graph(graph, tmp_path / "kg.json")
    G = load_graph(tmp_path / "kg.json")
    assert G.graph == graph.graph
    assert dict(G.nodes(data=True)) == dict(graph.nodes(data=True))
    assert sorted(G.edges(keys=True, data=True), key=repr) == sorted(graph.edges(keys=True, data=True), key=repr)


def test_kg_json_reads_with_plain_node_link_graph(small_graph, tmp_path):
    import json

    import networkx as nx

    save_graph(small_graph, tmp_path / "kg.json")
    plain = nx.node_link_graph(json.loads((tmp_path / "kg.json").read_text(encoding="utf-8")))
    assert plain.is_multigraph() and plain.is_directed()
    assert sorted(plain.nodes) == sorted(small_graph.nodes) and plain.number_of_nodes() == 11
    assert sorted(plain.edges(keys=True)) == sorted(small_graph.edges(keys=True))
    assert plain.nodes["paper:2106.09685"]["paper_id"] == "2106.09685"


def test_kg_json_of_an_earlier_version_still_loads(small_graph, tmp_path):
    import json

    import networkx as nx

    data = nx.node_link_data(small_graph, edges="edges", name="node")  # how kg.json was written before
    (tmp_path / "kg.json").write_text(json.dumps(data), encoding="utf-8")
    G = load_graph(tmp_path / "kg.json")
    assert dict(G.nodes(data=True)) == dict(small_graph.nodes(data=True))


def test_build_graph_records_a_timestamp_only_when_asked(papers, extractions):
    assert "created" not in build_graph(papers, extractions).graph
    assert build_graph(papers, extractions, created="2026-01-02T03:04:05+00:00").graph["created"] == \
        "2026-01-02T03:04:05+00:00"


@pytest.mark.parametrize("name, expected", [
    ("LoRA", ["lora"]),
    ("low rank adaptation", ["lora"]),
    ("LOW-RANK ADAPTATIONS", ["lora"]),
    ("Low-Rank Adaptatoin", ["lora"]),     # near match
    ("Llama 2", ["llama-2"]),
    ("QA", ["question-answering"]),
    ("no such thing", []),
    ("", []),
])
def test_find_entities(small_graph, name, expected):
    assert find_entities(small_graph, name) == expected


def test_describe_entity(small_graph):
    d = describe_entity(small_graph, "lora")
    assert d["label"] == "LoRA" and d["type"] == "Method" and "Low-Rank Adaptation" in d["aliases"]
    assert [(p["id"], p["role"]) for p in d["papers"]] == [("2106.09685", "proposed"), ("a1b2c3d4e5", "used")]
    assert d["papers"][0]["title"].startswith("LoRA") and d["papers"][0]["date"] == "2021-06-17"
    out = {(e["predicate"], e["id"]) for e in d["edges_out"]}
    assert out == {("outperforms", "full-fine-tuning"), ("evaluatedOn", "glue")}
    assert [(e["predicate"], e["label"]) for e in d["edges_in"]] == [("combinesWith", "LLaMA-2-7B")]
    assert d["edges_out"][0]["evidence"][0]["sentence"].startswith("LoRA outperforms")


def test_describe_entity_rejects_non_entities(small_graph):
    with pytest.raises(KGError):
        describe_entity(small_graph, "paper:2106.09685")
    with pytest.raises(KGError):
        describe_entity(small_graph, "nope")


def test_graph_stats(small_graph, graph):
    s = graph_stats(small_graph)
    assert s["papers"] == 3 and s["entities"] == 8
    assert s["entities_by_type"] == {"Method": 2, "Model": 3, "Dataset": 1, "Task": 1, "Metric": 1}
    assert s["edges_by_relation"] == {"outperforms": 2, "combinesWith": 1, "evaluatedOn": 3, "variantOf": 1}
    assert sum(s["paper_edges_by_relation"].values()) == 10
    link = graph_stats(graph)["link"]
    assert link["entities_in"] == 11 and link["nodes_out"] == 8 and "merges" in link


@pytest.mark.model
def test_bundled_corpus_has_one_lora_node_with_every_paper():
    """Issue 4, done when: ``kg show LoRA`` on the bundled corpus shows one node with its long form as an alias
    and every paper that mentions either (as a name of its own, not inside another: "LQ-LoRA", "LoRA+")."""
    import re
    from pathlib import Path

    from kg.extract import extract_papers, load_pipeline
    from kg.sources import read_papers

    papers = read_papers([Path(__file__).parent.parent / "data" / "hf-daily-papers"])
    G = build_graph(papers, extract_papers(load_pipeline(), papers))
    ids = find_entities(G, "LoRA")
    assert ids[0] == "lora" and find_entities(G, "Low-Rank Adaptation")[0] == "lora"
    lora = G.nodes["lora"]
    assert "Low-Rank Adaptation" in lora["aliases"]
    name = re.compile(r"(?<![-\w])LoRA(?![-+\w])|(?<![-\w])low[-\s]rank adaptation(?![-\w])", re.I)
    mentioning = {p.id for p in papers if name.search(p.text)}
    assert len(mentioning) >= 20
    assert len(mentioning - set(lora["papers"])) <= 1  # "an adaptive low-rank adaptation" is another method
