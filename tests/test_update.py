"""kg update: only new or changed papers are extracted and linked, ids stay, every output switches at once."""

import json

import pytest
from click.testing import CliRunner

import kg.pipeline as pipeline
from kg.cli import cli
from kg.errors import KGError
from kg.records import Paper
from kg.update import update

from conftest import fake_chunks, snapshot


@pytest.fixture
def built(tmp_path, fake_extraction, corpus):
    """The corpus's first five papers built into ``tmp_path / "graph"``; the other three as new papers."""
    papers, _ = corpus
    pipeline.build(papers[:5], tmp_path / "graph")
    return tmp_path / "graph", papers


def test_update_adds_new_papers_and_keeps_every_id(built, monkeypatch):
    graph, papers = built
    before = json.loads((graph / "ids.json").read_text())["ids"]
    seen = []
    monkeypatch.setattr(pipeline, "extract_chunks", lambda ps, **kw: (seen.extend(p.id for p in ps),
                                                                      fake_chunks(ps))[1])
    result = update(papers, graph)  # all eight: five are in the graph already
    assert seen == ["p5", "p6", "p7"]
    assert result.stats["update"] == {"added": 3, "changed": 0, "unchanged": 5}
    G = result.graph
    assert G.graph["papers"] == 8 and G.nodes["lora"]["papers"] == ["p0", "p1", "p2", "p4", "p6"]
    assert set(before) <= set(json.loads((graph / "ids.json").read_text())["ids"])
    assert {"vera", "galore", "relora"} <= set(G.nodes)
    lines = (graph / "extractions.jsonl").read_text().splitlines()
    assert [json.loads(line)["id"] for line in lines] == [f"p{i}" for i in range(8)]
    from kg.query import run_query

    rows = run_query(graph, "SELECT (COUNT(?p) AS ?n) WHERE { ?p a kg:Paper }").rows
    assert rows[0][0].value == "8"  # the store was updated with the files


def test_nothing_new_changes_nothing(built):
    graph, papers = built
    before = snapshot(graph)
    result = update(papers[:5], graph)
    assert result.files == {} and result.stats["update"]["unchanged"] == 5
    assert snapshot(graph) == before


def test_a_changed_paper_is_extracted_and_linked_again(built):
    graph, papers = built
    changed = Paper("p4", "LoRA Beats Prompting On SuperGLUE", "Abstract 4, revised.", date="2024-01-05")
    result = update([changed], graph)
    assert result.stats["update"] == {"added": 0, "changed": 1, "unchanged": 0}
    G = result.graph
    assert G.nodes["paper:p4"]["title"] == changed.title and "p4" in G.nodes["prompting"]["papers"]
    assert "prefix" not in G and G.nodes["lora"]["papers"] == ["p0", "p1", "p2", "p4"]  # its old text's node goes
    assert G.graph["papers"] == 5


def test_a_failed_update_leaves_the_graph_as_it_was(built, monkeypatch):
    graph, papers = built
    before = snapshot(graph)

    def broken(result, path, options):
        raise OSError(28, "No space left on device")

    monkeypatch.setitem(pipeline.WRITERS, "graphml", broken)
    with pytest.raises(OSError):
        update(papers, graph)
    assert snapshot(graph) == before


def test_update_needs_a_built_graph(tmp_path):
    with pytest.raises(KGError, match="no graph to update here"):
        update([Paper("p", "T", "A.")], tmp_path)


def test_cli_update_reports_what_it_added(built, tmp_path):
    graph, papers = built
    new = tmp_path / "today.jsonl"
    new.write_text("".join(json.dumps({"id": p.id, "title": p.title, "abstract": p.abstract}) + "\n"
                           for p in papers[5:]))
    result = CliRunner().invoke(cli, ["update", str(new), "--graph", str(graph)])
    assert result.exit_code == 0, result.output
    assert "3 new, 0 changed, 0 already in" in result.output and "papers: 8" in result.output
    again = CliRunner().invoke(cli, ["update", str(new), "--graph", str(graph)])
    assert again.exit_code == 0 and "nothing to do" in again.output


def test_update_finds_the_conflicts_between_new_and_known_papers(tmp_path, result_extraction):
    papers, _ = result_extraction
    pipeline.build(papers, tmp_path / "whole")
    pipeline.build(papers[:2], tmp_path / "graph")
    result = update(papers, tmp_path / "graph")
    assert result.stats["update"] == {"added": 1, "changed": 0, "unchanged": 2}
    assert result.stats["results"] == {"absolute": 8, "delta": 1} and result.stats["conflicts"] == 3
    # kg stats reads the counts stored by the update, the same as counting the tables again
    from kg.graphdb import GraphDB, graph_stats_of

    with GraphDB(tmp_path / "graph" / "kg.sqlite", read_only=True) as db:
        assert db.kept_stats() == db.stats() == graph_stats_of(tmp_path / "graph")
        assert db.kept_stats()["results"] == {"absolute": 8, "delta": 1}

    def annotations(G):
        return ({n: d for n, d in G.nodes(data=True) if d["kind"] in ("result", "conflict")},
                sorted((u, v) for u, v, k in G.edges(keys=True) if k == "reports"))

    assert annotations(result.graph) == annotations(pipeline.BuildResult(tmp_path / "whole").graph)
