"""The linked graph in SQLite (kg.graphdb): one batch gives build_graph's graph; batches, folds and removals keep
it whole; the view streams what the writers read."""

import pytest

from kg.export.graphml import write_graphml
from kg.export.html import page_data as _page_data
from kg.export.html import write_html
from kg.export.nodelink import write_node_link
from kg.export.rdf import write_rdf
from kg.graph import build_graph, describe_entity, find_entities, graph_stats
from kg.graphdb import GraphDB, find_and_describe, graph_stats_of
from kg.link import NodeIndex
from kg.outputs import write_view_html
from kg.records import Entity, Paper, PaperExtraction
from kg.view import NetworkxView
from kg.vocab import KG


def _same_graph(G, H):
    assert G.graph == H.graph
    assert list(G.nodes(data=True)) == list(H.nodes(data=True))  # same nodes, attributes and order
    assert sorted((u, v, k, repr(d)) for u, v, k, d in G.edges(keys=True, data=True)) == \
        sorted((u, v, k, repr(d)) for u, v, k, d in H.edges(keys=True, data=True))


def _linked(tmp_path, papers, extractions, batch=None, name="kg.sqlite"):
    db, index = GraphDB(tmp_path / name), NodeIndex()
    batch = batch or len(papers)
    for i in range(0, len(papers), batch):
        db.merge_graph(build_graph(papers[i:i + batch], extractions[i:i + batch], index=index), index)
    return db, index


def test_one_batch_gives_the_graph_of_build_graph(tmp_path, corpus, papers, extractions):
    for n, (ps, xs) in enumerate([corpus, (papers, extractions)]):
        db, _ = _linked(tmp_path, ps, xs, name=f"{n}.sqlite")
        _same_graph(build_graph(ps, xs, index=NodeIndex()), db.view().to_networkx())


def test_batches_keep_ids_and_join_papers_of_one_thing(tmp_path, corpus):
    papers, extractions = corpus
    whole = build_graph(papers, extractions, index=NodeIndex())
    db, index = _linked(tmp_path, papers, extractions, batch=3)
    G = db.view().to_networkx()
    assert sorted(G.nodes) == sorted(whole.nodes)
    assert G.nodes["lora"]["papers"] == ["p0", "p1", "p2", "p4", "p6"] == whole.nodes["lora"]["papers"]
    assert G.nodes["lora"]["paper_count"] == 5 and index.ids["lora"]["papers"] == 5
    assert G.edges["galore", "lora", "outperforms"]["evidence"][0]["paper"] == "p6"
    assert all(d["paper_count"] == len(d["papers"]) for n, d in G.nodes(data=True) if d["kind"] == "entity")
    stats = graph_stats(G)
    stats.pop("link")
    counted = db.stats()
    counted.pop("link")
    assert counted == stats


def test_a_batch_that_joins_two_nodes_folds_one_into_the_other(tmp_path):
    def X(pid, *entities):
        return PaperExtraction(pid, f"title {pid}", list(entities))

    first = [X("a", Entity("LoRA", "Method", "proposed")), X("b", Entity("LoRA", "Method", "used")),
             X("c", Entity("low-rank adaptation", "Method", "used"), Entity("GLUE", "Dataset", "used"))]
    first[2].relations = []
    papers = [Paper(x.id, x.title, "A.") for x in first + [X("d")]]
    db, index = GraphDB(tmp_path / "kg.sqlite"), NodeIndex()
    db.merge_graph(build_graph(papers[:3], first, index=index), index)
    assert {"lora", "low-rank-adaptation"} <= set(db.view().to_networkx().nodes)
    joining = [X("d", Entity("LoRA", "Method", "used", ["low-rank adaptation"]))]
    db.merge_graph(build_graph(papers[3:], joining, index=index), index)
    G = db.view().to_networkx()
    assert "low-rank-adaptation" not in G and index.resolve("low-rank-adaptation") == "lora"
    assert G.nodes["lora"]["papers"] == ["a", "b", "c", "d"] and "low-rank adaptation" in G.nodes["lora"]["aliases"]
    assert db.find("low rank adaptation") == ["lora"]


def test_removed_papers_take_their_part_with_them(tmp_path, corpus):
    papers, extractions = corpus
    db, _ = _linked(tmp_path, papers, extractions)
    db.remove_papers(["p7"])  # ReLoRA is in no other paper
    G = db.view().to_networkx()
    assert "relora" not in G and "p7" not in G.nodes["galore"]["papers"]
    assert not any(e["paper"] == "p7" for *_, d in G.edges(data=True) for e in d.get("evidence", []))


def test_find_and_describe_as_on_the_graph(tmp_path, corpus):
    papers, extractions = corpus
    db, _ = _linked(tmp_path, papers, extractions)
    G = db.view().to_networkx()
    for node in (n for n, d in G.nodes(data=True) if d["kind"] == "entity"):
        assert db.describe(node) == describe_entity(G, node)
    for name in ("lora", "LORA", "Qlora", "GaLor", "nothing like it"):
        assert db.find(name) == find_entities(G, name)
    db.close()
    record, also = find_and_describe(tmp_path, "LoRA")
    assert record["id"] == "lora" and record["paper_count"] == 5
    assert graph_stats_of(tmp_path)["papers"] == 8


def test_kept_stats_answer_until_the_graph_is_written_again(tmp_path, corpus):
    papers, extractions = corpus
    db, index = _linked(tmp_path, papers[:4], extractions[:4])
    assert db.kept_stats() is None
    db.keep_stats()
    counted = db.stats()
    db.close()
    assert graph_stats_of(tmp_path) == counted and list(graph_stats_of(tmp_path)) == list(counted)
    db = GraphDB(tmp_path / "kg.sqlite")  # opened for writing: more papers may come, the kept counts go
    assert db.kept_stats() is None
    db.merge_graph(build_graph(papers[4:], extractions[4:], index=index), index)
    db.close()
    assert graph_stats_of(tmp_path)["papers"] == 8 != counted["papers"]


@pytest.mark.parametrize("write", [write_node_link, write_graphml, lambda G, p: write_rdf(G, p, "turtle"),
                                   lambda G, p: write_rdf(G, p, "nquads")], ids=["json", "graphml", "turtle", "nquads"])
def test_writers_stream_the_view_as_they_write_the_graph(tmp_path, corpus, write):
    papers, extractions = corpus
    db, _ = _linked(tmp_path, papers, extractions, batch=3)
    write(db.view(), tmp_path / "from-tables")
    write(NetworkxView(db.view().to_networkx()), tmp_path / "from-graph")
    assert (tmp_path / "from-tables").read_bytes() == (tmp_path / "from-graph").read_bytes()


def test_html_of_the_tables_holds_the_most_connected_and_counts_the_rest(tmp_path, corpus):
    papers, extractions = corpus
    db, _ = _linked(tmp_path, papers, extractions)
    shown = write_view_html(db.view(), tmp_path / "tables.html", max_nodes=3)
    whole = write_html(db.view().to_networkx(), tmp_path / "graph.html", max_nodes=3)
    assert shown == whole and shown["nodes"] == 3 and shown["left_out_nodes"] > 0
    assert (tmp_path / "tables.html").read_bytes() == (tmp_path / "graph.html").read_bytes()


def test_a_file_that_is_not_a_graph_database_is_one_error(tmp_path):
    from kg.errors import InputError

    (tmp_path / "kg.sqlite").write_bytes(b"not a database" * 100)
    with pytest.raises(InputError, match="kg.sqlite: not a kg graph database"):
        GraphDB(tmp_path / "kg.sqlite")


def _annotations(G):
    """The result and conflict nodes of `G` and the paper -> result edges."""
    nodes = {n: d for n, d in G.nodes(data=True) if d.get("kind") in ("result", "conflict")}
    return nodes, sorted((u, v, k) for u, v, k in G.edges(keys=True) if k == "reports")


@pytest.mark.parametrize("batch", [None, 1], ids=["one-batch", "batches-of-one"])
def test_results_and_conflicts_survive_the_tables(tmp_path, result_corpus, batch):
    papers, extractions = result_corpus
    whole = build_graph(papers, extractions, index=NodeIndex())
    db, _ = _linked(tmp_path, papers, extractions, batch=batch)
    db.refresh_conflicts()  # batches of one paper see no conflict: they span papers
    G = db.view().to_networkx()
    nodes, reports = _annotations(G)
    assert (nodes, reports) == _annotations(whole)
    assert sum(d["kind"] == "result" for d in nodes.values()) == 9
    assert sum(d["kind"] == "conflict" for d in nodes.values()) == 3
    stats = db.stats()
    assert stats["results"] == graph_stats(whole)["results"] and stats["conflicts"] == 3


@pytest.mark.parametrize("write", [write_node_link, write_graphml, lambda G, p: write_rdf(G, p, "turtle")],
                         ids=["json", "graphml", "turtle"])
def test_writers_stream_results_and_conflicts(tmp_path, result_corpus, write):
    papers, extractions = result_corpus
    db, _ = _linked(tmp_path, papers, extractions)
    write(db.view(), tmp_path / "from-tables")
    write(NetworkxView(db.view().to_networkx()), tmp_path / "from-graph")
    assert (tmp_path / "from-tables").read_bytes() == (tmp_path / "from-graph").read_bytes()
    text = (tmp_path / "from-tables").read_text()
    assert "result:2106.09685:0" in text or "result/2106.09685/0" in text
    assert "conflict:" in text or "conflict/" in text


def test_the_rdf_of_the_tables_is_the_rdf_of_the_graph(tmp_path, result_corpus):
    from rdflib.compare import isomorphic

    from kg.export.rdf import read_rdf, to_rdf

    papers, extractions = result_corpus
    db, _ = _linked(tmp_path, papers, extractions, batch=1)
    db.refresh_conflicts()
    write_rdf(db.view(), tmp_path / "kg.ttl")
    streamed, whole = read_rdf(tmp_path / "kg.ttl"), to_rdf(build_graph(papers, extractions, index=NodeIndex()))
    for g in (streamed, whole):  # the link report of batches adds theirs up: only its numbers differ
        g.remove((None, KG.linkReport, None))
    assert len(whole) > 300 and isomorphic(streamed, whole)


def test_a_fold_carries_the_results_that_name_the_old_id(tmp_path):
    from kg.records import Result

    def X(pid, *entities, results=()):
        return PaperExtraction(pid, f"title {pid}", list(entities), [], list(results))

    first = [X("a", Entity("LoRA", "Method", "proposed")), X("b", Entity("LoRA", "Method", "used")),
             X("c", Entity("low-rank adaptation", "Method", "used"), Entity("accuracy", "Metric", "used"),
               results=[Result("low-rank adaptation", "accuracy", None, "90%", 90.0, "%", "absolute", None, "90%")])]
    papers = [Paper(x.id, x.title, "A.") for x in first + [X("d")]]
    db, index = GraphDB(tmp_path / "kg.sqlite"), NodeIndex()
    db.merge_graph(build_graph(papers[:3], first, index=index), index)
    assert db.view().to_networkx().nodes["result:c:0"]["subject"] == "low-rank-adaptation"
    joining = [X("d", Entity("LoRA", "Method", "used", ["low-rank adaptation"]))]
    db.merge_graph(build_graph(papers[3:], joining, index=index), index)
    G = db.view().to_networkx()
    assert "low-rank-adaptation" not in G and G.nodes["result:c:0"]["subject"] == "lora"
    write_rdf(db.view(), tmp_path / "kg.ttl")  # would raise for a result naming no entity


def test_html_of_the_tables_keeps_the_results_of_the_entities_it_shows(tmp_path, result_corpus, monkeypatch):
    import kg.export.html as html

    pages = []

    def spy(*args, **kwargs):
        pages.append(_page_data(*args, **kwargs))
        return pages[-1]

    monkeypatch.setattr(html, "page_data", spy)
    db, _ = _linked(tmp_path, *result_corpus)
    write_view_html(db.view(), tmp_path / "kg.html", max_nodes=3)
    (data,) = pages
    shown = {n["id"] for n in data["nodes"]}
    assert len(shown) == 3 and data["results"] and all(r["subject"] in shown for r in data["results"])
    assert all(r["paper"] in data["papers"] for r in data["results"])
