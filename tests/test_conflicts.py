"""Conflicts (kg.conflicts): reversed claims and results that contradict a claim, on the fixture corpus."""

import json

from kg.conflicts import add_conflicts, find_conflicts, format_conflicts, list_conflicts


def test_conflicts_of_the_fixture_corpus(result_graph):
    found = {c["id"]: c for c in find_conflicts(result_graph)}
    assert sorted(found) == ["conflict:full-fine-tuning:lora", "conflict:full-fine-tuning:lora:accuracy:glue",
                             "conflict:lora:llama-2-7b:accuracy:glue"]
    rev = found["conflict:full-fine-tuning:lora"]
    assert rev["conflict_kind"] == "reversed" and rev["papers"] == ["2106.09685", "f0f0f0f0f0"]
    assert [s["claim"]["subject"] for s in rev["sides"]] == ["full-fine-tuning", "lora"]
    res = found["conflict:lora:llama-2-7b:accuracy:glue"]
    claim, results = res["sides"]
    assert claim["claim"] == {"subject": "lora", "predicate": "outperforms", "object": "llama-2-7b"}
    assert claim["evidence"][0]["sentence"] == "LoRA outperforms LLaMA-2-7B in accuracy on GLUE."
    assert results["results"] == ["result:a1b2c3d4e5:0", "result:2106.09685:0"]  # the winner's value first
    assert res["label"].endswith("LLaMA-2-7B has 91.4% and LoRA 89.1%")


def test_one_paper_saying_both_is_no_conflict(result_graph):
    for u, v in (("lora", "full-fine-tuning"), ("full-fine-tuning", "lora")):
        for ev in result_graph.edges[u, v, "outperforms"]["evidence"]:
            ev["paper"] = "2106.09685"
    assert "conflict:full-fine-tuning:lora" not in {c["id"] for c in find_conflicts(result_graph)}


def test_a_claim_about_another_measure_is_not_opposed_to_results(result_graph):
    result_graph.edges["lora", "llama-2-7b", "outperforms"]["evidence"][0]["sentence"] = "LoRA is faster."
    assert "conflict:lora:llama-2-7b:accuracy:glue" not in {c["id"] for c in find_conflicts(result_graph)}


def test_conflict_nodes_are_replaced_and_listed(result_graph):
    assert add_conflicts(result_graph) == 3 and add_conflicts(result_graph) == 3
    assert [c["id"] for c in list_conflicts(result_graph, kind="reversed")] == ["conflict:full-fine-tuning:lora"]
    assert len(list_conflicts(result_graph, entity="llama-2-7b")) == 1
    text = format_conflicts(result_graph, list_conflicts(result_graph))
    assert text.startswith("[reversed] full fine-tuning outperforms LoRA, and the reverse  (papers: ")
    assert '"Full fine-tuning outperforms LoRA on GLUE" [f0f0f0f0f0]' in text
    assert "results: LLaMA-2-7B 0.914, LoRA 89.1%" in text
    assert len(json.loads(format_conflicts(result_graph, list_conflicts(result_graph), "json"))) == 3
