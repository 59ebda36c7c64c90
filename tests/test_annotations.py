"""Stand-off annotations (kg.annotations): drafts checked against their paper, offsets, resolution, agreement."""

import json

import pytest

from kg.annotations import (AnnotationError, agreement, find_mentions, read_annotated, read_records,
                            refresh_mentions, resolve, text_hash, to_standoff)
from kg.records import Paper

PAPER = Paper("p1", "LoRA: Low-Rank Adaptation", "We propose LoRA. LoRA outperforms full fine-tuning on GLUE by 2.1%.")


def draft(**changes):
    d = {"id": "p1",
         "entities": [{"name": "LoRA", "aliases": ["Low-Rank Adaptation"], "type": "Method", "role": "proposed"},
                      {"name": "full fine-tuning", "type": "Method", "role": "baseline"},
                      {"name": "GLUE", "type": "Dataset", "role": "used"},
                      {"name": "accuracy", "aliases": ["2.1%"], "type": "Metric"}],
         "relations": [{"s": "LoRA", "p": "outperforms", "o": "full fine-tuning",
                        "evidence": "LoRA outperforms full fine-tuning"}],
         "results": [{"subject": "LoRA", "metric": "accuracy", "dataset": "GLUE", "value": "2.1%", "number": 2.1,
                      "unit": "%", "kind": "delta", "baseline": "full fine-tuning", "evidence": "by 2.1%"}]}
    d.update(changes)
    return d


def test_standoff_keeps_offsets_not_text_and_resolves_back():
    rec = to_standoff(draft(), PAPER, "a1")
    assert rec["text_sha1"] == text_hash(PAPER.text)
    lora = rec["entities"][0]
    assert [PAPER.text[s:e] for s, e in lora["mentions"]] == ["LoRA", "Low-Rank Adaptation", "LoRA", "LoRA"]
    assert isinstance(rec["relations"][0]["evidence"], list)
    gold = resolve(rec, PAPER)
    assert gold["relations"][0]["evidence"] == "LoRA outperforms full fine-tuning"
    assert gold["results"][0]["evidence"] == "by 2.1%"
    assert json.dumps(rec).count("outperforms full") == 0  # no fragment of the abstract is stored


@pytest.mark.parametrize("changes, problem", [
    ({"entities": [{"name": "LoRA", "type": "Algorithm"}]}, "type 'Algorithm'"),
    ({"entities": [{"name": "LoRA", "aliases": ["LORA-X"], "type": "Method"}]}, "not an exact substring"),
    ({"entities": [{"name": "QLoRA", "type": "Method"}]}, "neither the name nor an alias"),
    ({"relations": [{"s": "LoRA", "p": "beats", "o": "GLUE", "evidence": "LoRA"}]}, "predicate not one of"),
    ({"relations": [{"s": "LoRA", "p": "evaluatedOn", "o": "MMLU", "evidence": "LoRA"}]}, "'MMLU' is not an entity"),
    ({"relations": [{"s": "LoRA", "p": "evaluatedOn", "o": "GLUE", "evidence": "not in the text"}]},
     "evidence is not a fragment"),
    ({"results": [{"metric": "accuracy", "value": "3.5%", "number": 3.5, "kind": "delta", "evidence": "by 2.1%"}]},
     "value is not written in its evidence"),
    ({"results": [{"metric": "accuracy", "value": "2.1%", "number": 2.1, "kind": "absolute",
                   "baseline": "full fine-tuning", "evidence": "by 2.1%"}]}, "only a delta has a baseline"),
])
def test_standoff_refuses_what_does_not_fit_the_paper(changes, problem):
    with pytest.raises(AnnotationError, match=problem):
        to_standoff(draft(**changes), PAPER, "a1")


def test_find_mentions_word_boundaries():
    text = "latency---but LoRA-based and pre-LoRA and LoRA"
    assert find_mentions(text, [{"name": "latency"}, {"name": "LoRA"}]) == [[[0, 7]], [[42, 46]]]


def test_an_entity_written_only_inside_a_longer_one_is_kept_with_its_nested_mention():
    # "full fine-tuning" occurs only inside the baseline's longer name: still an entity of the paper
    d = draft()
    d["entities"][1] = {"name": "LoRA outperforms full fine-tuning", "type": "Method", "role": "baseline"}
    d["entities"].append({"name": "full fine-tuning", "type": "Method", "role": "mentioned"})
    d["relations"], d["results"] = [], []
    rec = to_standoff(d, PAPER, "a1")
    nested = rec["entities"][-1]
    assert [PAPER.text[s:e] for s, e in nested["mentions"]] == ["full fine-tuning"]
    assert "full fine-tuning" in {e["name"] for e in resolve(rec, PAPER)["entities"]}


def test_resolve_refuses_a_changed_text():
    rec = to_standoff(draft(), PAPER, "a1")
    with pytest.raises(Exception, match="text has changed"):
        resolve(rec, Paper("p1", "LoRA", "Another abstract."))


def test_read_skips_double_folder_and_refresh_keeps_records(tmp_path):
    rec = to_standoff(draft(), PAPER, "a1")
    (tmp_path / "double").mkdir()
    (tmp_path / "a1-01.jsonl").write_text(json.dumps(rec) + "\n")
    (tmp_path / "double" / "a2-double.jsonl").write_text(json.dumps({**rec, "annotator": "a2"}) + "\n")
    assert [r["annotator"] for r in read_records(tmp_path)] == ["a1"]
    [(paper, gold)] = read_annotated(tmp_path, "x", texts={"p1": PAPER})
    assert paper is PAPER and gold["entities"][0]["name"] == "LoRA"
    assert refresh_mentions(rec, PAPER) == rec


def test_agreement_of_identical_annotations_is_perfect():
    gold = resolve(to_standoff(draft(), PAPER, "a1"), PAPER)
    res = agreement([gold], [gold], {"p1": PAPER})
    assert res["ent"]["f1"] == res["rel"]["f1"] == res["result"]["f1"] == 1.0
