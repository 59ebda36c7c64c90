"""Stable ids (issue 17): the id table keeps every id given, across builds and added papers."""

import json

import pytest

from kg.errors import InputError
from kg.link import NodeIndex, link, read_index, write_index
from kg.link.index import assign_ids
from kg.records import Entity, PaperExtraction


def X(pid, *entities):
    return PaperExtraction(pid, f"title {pid}", list(entities))


def E(name, aliases=(), type_="Method"):
    return Entity(name, type_, "used", list(aliases))


def test_index_round_trip(tmp_path):
    index = NodeIndex()
    link([], [X("a", E("LoRA", ["Low-Rank Adaptation"])), X("b", E("GPT-4", type_="Model"))], index=index)
    write_index(index, tmp_path / "ids.json")
    back = read_index(tmp_path / "ids.json")
    assert back == index and set(back.ids) == {"lora", "gpt-4"}
    assert "lowrankadaptation" in back.ids["lora"]["keys"]


@pytest.mark.parametrize("content, message", [("{not json", "not a JSON id table"),
                                              ('{"ids": []}', "an id table"),
                                              ('{"version": 9, "ids": {}}', "version 9")])
def test_bad_index_names_the_file(bad_file, content, message):
    bad_file("ids.json", content, read_index, message)


def test_adding_papers_never_renames_a_node():
    index = NodeIndex()
    first = link([], [X("a", E("low rank adaptation")), X("b", E("Low-Rank Adaptation"))], index=index)
    assert list(first.entities) == ["low-rank-adaptation"]
    more = [X("c", E("LoRA", ["Low-Rank Adaptation"])), X("d", E("LoRA")), X("e", E("LoRA"))]
    fresh = link([], [X("a", E("low rank adaptation")), X("b", E("Low-Rank Adaptation")), *more])
    assert list(fresh.entities) == ["lora"]  # without the table the slug would follow the abbreviation
    again = link([], [X("a", E("low rank adaptation")), X("b", E("Low-Rank Adaptation")), *more], index=index)
    assert list(again.entities) == ["low-rank-adaptation"]
    assert again.entities["low-rank-adaptation"].papers == ["a", "b", "c", "d", "e"]


def test_nodes_joined_by_new_papers_keep_one_id_and_redirect_the_other():
    index = NodeIndex()
    link([], [X("a", E("LoRA")), X("b", E("LoRA")), X("c", E("low-rank adaptation"))], index=index)
    assert set(index.ids) == {"lora", "low-rank-adaptation"}
    r = link([], [X("a", E("LoRA")), X("b", E("LoRA")), X("c", E("low-rank adaptation")),
                  X("d", E("LoRA", ["low-rank adaptation"]))], index=index)
    assert list(r.entities) == ["lora"]
    assert index.resolve("low-rank-adaptation") == "lora" and "lowrankadaptation" in index.ids["lora"]["keys"]


def test_a_papers_own_node_that_joins_the_common_one_redirects_to_it():
    # the specificity gate keeps a rare phrase a paper proposes in that paper; once five other papers write it, the
    # paper's phrase joins theirs, and the id of its own node leads there
    own = Entity("coreset", "Method", "proposed", [])
    index = NodeIndex()
    link([], [X("z", own), X("p0", E("coreset"))], index=index)
    assert len(index.ids) == 2
    (local,) = [eid for eid, v in index.ids.items() if v["keys"] == ["coreset@z"]]
    r = link([], [X("z", own), *(X(f"p{i}", E("coreset")) for i in range(6))], index=index)
    (common,) = r.entities
    assert r.entities[common].papers == ["p0", "p1", "p2", "p3", "p4", "p5", "z"]
    assert local != common and index.resolve(local) == common


def test_an_id_once_given_never_names_another_thing():
    index = NodeIndex(ids={"sam": {"label": "SAM", "type": "Method", "keys": ["sharpnessawareminimization"]}},
                      redirects={"lora": "lora-old"})
    r = link([], [X("a", E("LoRA")), X("b", E("Segment Anything", type_="Model"))], index=index)
    assert "lora" not in r.entities and "lora-method" in r.entities


def test_linking_new_papers_alone_against_the_index():
    """What `kg update` does: link only the new papers, known things get their ids."""
    index = NodeIndex()
    link([], [X("a", E("Low-Rank Adaptation")), X("b", E("GPT-4", type_="Model"))], index=index)
    r = link([], [X("z", E("low rank adaptation")), X("y", E("QLoRA"))], index=index)
    assert set(r.entities) == {"low-rank-adaptation", "qlora"}
    assert set(index.ids) == {"low-rank-adaptation", "gpt-4", "qlora"}


def _corpus(tmp_path):
    path = tmp_path / "papers.jsonl"
    rows = [{"id": "t1", "title": "LoRA: Low-Rank Adaptation", "abstract": "We propose LoRA. LoRA beats full "
             "fine-tuning on GLUE."},
            {"id": "t2", "title": "QLoRA", "abstract": "We fine-tune LLaMA-2-7B with low-rank adaptation."}]
    path.write_text("".join(json.dumps(r) + "\n" for r in rows))
    return path


@pytest.mark.model
def test_build_keeps_the_ids_of_the_last_build_in_its_directory(tmp_path):
    from kg.pipeline import build

    corpus, out = _corpus(tmp_path), tmp_path / "out"
    build([corpus], out)
    table = json.loads((out / "ids.json").read_text())
    first = min(table["ids"])
    table["ids"]["kept-id"] = table["ids"].pop(first)  # as if an earlier build had named that node so
    (out / "ids.json").write_text(json.dumps(table))
    build([corpus], out)
    nodes = {n["id"] for n in json.loads((out / "kg.json").read_text())["nodes"]}
    assert "kept-id" in nodes and first not in nodes
    assert "kept-id" in json.loads((out / "ids.json").read_text())["ids"]


def test_build_with_a_bad_id_table_names_it_before_extracting(tmp_path):
    from kg.pipeline import build

    out = tmp_path / "out"
    build([_corpus(tmp_path)], out)
    (out / "ids.json").write_text("{broken")
    with pytest.raises(InputError, match="ids.json"):
        build([_corpus(tmp_path)], out)


def test_two_nodes_that_share_a_key_keep_their_ids_build_after_build():
    # A paper-local key can be held by two nodes the linker keeps apart; each rebuild must give both their ids
    # back instead of a fresh '-2', '-3'... to the one the key's other holder out-voted.
    drafts = [("transition-matrix", "Method", ["transitionmatrix", "noisetransitionmatrix@p1"]),
              ("noise-transition-matrix", "Method", ["noisetransitionmatrix@p1"])]
    index = NodeIndex()
    for _ in range(3):
        ids = assign_ids(drafts, index)
        for eid, (_, type_, keys) in zip(ids, drafts):
            index.record(eid, eid, type_, keys, papers=1)
        assert ids == ["transition-matrix", "noise-transition-matrix"]
    assert set(index.ids) == {"transition-matrix", "noise-transition-matrix"} and not index.redirects
