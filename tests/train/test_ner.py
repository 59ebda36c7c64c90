"""The tagger's training helpers (kg.train.ner) and the kg_ner vote (no model needed)."""

import pytest

from kg.extract.ner import vote
from kg.train.ner import gold_spans, learn_terms, write_learned, write_rejects
from kg.extract.lexicon import read_table, read_terms
from kg.records import Paper


def test_gold_spans_prefers_longer_and_finds_every_mention():
    text = "Low-Rank Adaptation (LoRA) beats full fine-tuning. LoRA is simple; fine-tuning is not."
    ents = [{"name": "LoRA", "aliases": ["Low-Rank Adaptation"], "type": "Method", "generic": False},
            {"name": "full fine-tuning", "aliases": ["fine-tuning"], "type": "Method", "generic": False}]
    spans = [(text[s:e], label) for s, e, label in gold_spans(text, ents)]
    assert spans == [("Low-Rank Adaptation", "Method"), ("LoRA", "Method"), ("full fine-tuning", "Method"),
                     ("LoRA", "Method"), ("fine-tuning", "Method")]


def test_gold_spans_generic_label_and_case_fallback():
    ents = [{"name": "Large language models", "aliases": [], "type": "Model", "generic": True}]
    assert gold_spans("We study large language models.", ents) == [(9, 30, "Model")]
    assert gold_spans("We study large language models.", ents, generic_label=True) == [(9, 30, "Generic")]


def _annotated(n):
    out = []
    for i in range(n):
        paper = Paper(f"p{i}", f"Title {i}", "We evaluate GPT-4 on GSM8K with training tricks.")
        gold = {"id": paper.id, "entities": [{"name": "GPT-4", "aliases": [], "type": "Model", "generic": False},
                                             {"name": "GSM8K", "aliases": [], "type": "Dataset", "generic": False}]}
        out.append((paper, gold))
    return out


def test_learn_terms_and_write(tmp_path):
    terms = learn_terms(_annotated(3))
    assert terms == [("GPT-4", "Model", False), ("GSM8K", "Dataset", False)]
    write_learned(terms, tmp_path / "learned.tsv")
    assert read_table(tmp_path / "learned.tsv", 3) == [["GPT-4", "Model", "0"], ["GSM8K", "Dataset", "0"]]
    assert learn_terms(_annotated(1)) == []  # one paper is not evidence


@pytest.mark.parametrize("proposed_in, learned", [(0, True), (1, True), (2, False), (3, False)])
def test_learn_terms_leaves_out_contributions(proposed_in, learned):
    # a phrase annotators call the paper's own contribution in half its papers or more is no well-known term
    annotated = _annotated(3)
    for i, (_, gold) in enumerate(annotated):
        gold["entities"][0]["role"] = "proposed" if i < proposed_in else "used"
    assert (("GPT-4", "Model", False) in learn_terms(annotated)) == learned


def test_write_rejects_round_trip(tmp_path):
    write_rejects(["training", "loss"], tmp_path / "rejected.txt")
    assert read_terms(tmp_path / "rejected.txt") == ["training", "loss"]


def test_gold_spans_use_stored_offsets():
    ents = [{"name": "LoRA", "aliases": [], "type": "Method", "mentions": [[7, 11]]}]
    assert gold_spans("We use LoRA and LoRA.", ents) == [(7, 11, "Method")]


@pytest.mark.parametrize("preds, min_votes, expected", [
    ([[(0, 2, "Method")], [(0, 2, "Method")], [(0, 3, "Method")]], 2, [(0, 2, "Method")]),
    ([[(0, 2, "Method")], [(0, 2, "Method")], [(0, 3, "Method")]], 3, []),
    ([[(0, 2, "Model")], [(0, 2, "Method")], [(0, 2, "Model")]], 3, [(0, 2, "Model")]),
    ([[(0, 2, "Task"), (4, 5, "Metric")], [(1, 3, "Task"), (4, 5, "Metric")]], 1,
     [(0, 2, "Task"), (4, 5, "Metric")]),
])
def test_vote(preds, min_votes, expected):
    assert vote(preds, min_votes) == expected
