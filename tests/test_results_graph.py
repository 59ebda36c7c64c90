"""Results in the graph: kg.link.results (endpoints onto corpus entities) and the result nodes of kg.graph."""

from kg.graph import add_results, graph_stats, load_graph, result_nodes, save_graph
from kg.link import CorpusResult, link
from kg.records import Entity, PaperExtraction, Result


def test_result_endpoints_are_linked_across_papers(result_corpus):
    papers, exts = result_corpus
    linked = link(papers, exts)
    assert len(linked.results) == 9 and linked.report["results"] == {"results_in": 9, "results_out": 9, "dropped": {}}
    first = linked.results[0]
    assert (first.paper, first.index, first.subject, first.metric, first.dataset, first.baseline) == (
        "2106.09685", 0, "lora", "accuracy", "glue", None)
    delta = linked.results[1]
    assert (delta.kind, delta.baseline, delta.value, delta.unit) == ("delta", "full-fine-tuning", "+2.3 points",
                                                                     "points")
    # LoRA is a baseline entity of two other papers: every mention lands on the one node
    assert {r.subject for r in linked.results if r.subject and "lora" in r.subject} == {"lora"}


def test_generic_and_unresolved_endpoints(result_corpus):
    papers, _ = result_corpus
    ext = PaperExtraction("p", "T", [Entity("our method", "Method", "proposed", generic=True),
                                     Entity("accuracy", "Metric"), Entity("ImageNet", "Dataset")],
                          results=[Result("our method", "accuracy", "ImageNet", "80%", 80.0, "%"),
                                   Result(None, "latency", None, "3 ms", 3.0, "ms")])
    linked = link([], [ext])
    (r,) = linked.results  # "latency" is no entity of the paper: its result is dropped
    assert (r.subject, r.metric, r.dataset) == (None, "accuracy", "imagenet")
    assert linked.report["results"]["dropped"] == {"result_metric": 1}


def test_result_nodes(result_graph):
    d = result_graph.nodes["result:a1b2c3d4e5:0"]
    assert {k: d[k] for k in ("kind", "type", "paper", "subject", "metric", "dataset", "baseline", "value", "number",
                              "unit", "result_kind", "normalized_number", "normalized_unit", "higher_is_better")} == {
        "kind": "result", "type": "Result", "paper": "a1b2c3d4e5", "subject": "llama-2-7b", "metric": "accuracy",
        "dataset": "glue", "baseline": None, "value": "0.914", "number": 0.914, "unit": "",
        "result_kind": "absolute", "normalized_number": 91.4, "normalized_unit": "%", "higher_is_better": True}
    assert d["label"] == "LLaMA-2-7B accuracy 0.914 on GLUE"
    assert list(result_graph.in_edges("result:a1b2c3d4e5:0", keys=True)) == [
        ("paper:a1b2c3d4e5", "result:a1b2c3d4e5:0", "reports")]
    delta = result_graph.nodes["result:2106.09685:1"]
    assert (delta["result_kind"], delta["normalized_number"], delta["baseline"]) == ("delta", 2.3, "full-fine-tuning")
    assert result_graph.nodes["result:f0f0f0f0f0:2"]["higher_is_better"] is None  # "vibe check": unknown


def test_endpoints_of_the_wrong_type_are_left_out(result_graph):
    G = result_graph.copy()
    n = add_results(G, [CorpusResult("2106.09685", 7, "glue", "accuracy", "lora", None, "1%", 1.0, "%"),
                        CorpusResult("2106.09685", 8, "lora", "glue", None, None, "2%", 2.0, "%")])
    assert n == 1  # the second has a dataset for its metric
    d = G.nodes["result:2106.09685:7"]
    assert (d["subject"], d["dataset"]) == (None, None)


def test_stats_and_json_round_trip(result_graph, tmp_path):
    stats = graph_stats(result_graph)
    assert stats["results"] == {"absolute": 8, "delta": 1} and stats["conflicts"] == 3
    save_graph(result_graph, tmp_path / "kg.json")
    G = load_graph(tmp_path / "kg.json")
    assert dict(result_nodes(G)) == dict(result_nodes(result_graph))
    assert G.nodes["conflict:full-fine-tuning:lora"] == result_graph.nodes["conflict:full-fine-tuning:lora"]


def test_entity_lookup_and_views_ignore_result_and_conflict_nodes(result_graph):
    from kg.graph import describe_entity, entity_graph, find_entities

    assert find_entities(result_graph, "GLUE") == ["glue"]
    assert all(d["kind"] == "entity" for _, d in entity_graph(result_graph).nodes(data=True))
    assert {e["id"] for e in describe_entity(result_graph, "lora")["edges_out"]} == {"full-fine-tuning", "llama-2-7b"}
