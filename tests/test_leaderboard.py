"""Leaderboards (kg.leaderboard) on the fixture corpus with known numbers (conftest.result_corpus)."""

import csv
import io
import json

import pytest

from kg.errors import KGError
from kg.leaderboard import format_leaderboard, leaderboard


def ranked(board, metric):
    return [(r.rank, r.method_label, r.value, r.paper) for r in board.rows if r.metric_label == metric]


def test_methods_ranked_by_their_best_value_with_fractions_and_percentages_compared(result_graph):
    board = leaderboard(result_graph, "GLUE")
    # LLaMA-2-7B wrote 0.914 (a fraction of accuracy, 91.4%); LoRA reported 89.1% and 88.0%: its best counts
    assert ranked(board, "accuracy") == [(1, "LLaMA-2-7B", "0.914", "a1b2c3d4e5"), (2, "LoRA", "89.1%", "2106.09685"),
                                         (3, "full fine-tuning", "86.8%", "f0f0f0f0f0")]
    lora = next(r for r in board.rows if r.method_label == "LoRA" and r.metric_label == "accuracy")
    assert (lora.number, lora.unit, lora.reports, lora.date, lora.kind) == (89.1, "%", 2, "2021-06-17", "absolute")


def test_lower_is_better_ranks_upwards(result_graph):
    board = leaderboard(result_graph, "wikitext 2")  # any spelling of the name
    assert ranked(board, "perplexity") == [(1, "LLaMA-2-7B", "5.47", "a1b2c3d4e5"), (2, "LoRA", "6.1", "a1b2c3d4e5")]
    assert board.rows[0].higher_is_better is False


def test_unknown_direction_is_listed_unordered_and_said_so(result_graph):
    board = leaderboard(result_graph, "GLUE")
    assert board.unordered == ["vibe check"]
    assert ranked(board, "vibe check") == [(None, "LoRA", "9", "f0f0f0f0f0"),
                                           (None, "full fine-tuning", "7", "f0f0f0f0f0")]
    assert "vibe check: not ranked: direction unknown" in format_leaderboard(board)


def test_deltas_are_listed_apart_with_their_baseline(result_graph):
    board = leaderboard(result_graph, "GLUE")
    assert [(d.method_label, d.value, d.baseline_label) for d in board.deltas] == [("LoRA", "+2.3 points",
                                                                                    "full fine-tuning")]
    assert all(r.kind == "absolute" for r in board.rows)


def test_filters(result_graph):
    assert {r.metric_label for r in leaderboard(result_graph, "GLUE", metric="Accuracy").rows} == {"accuracy"}
    assert leaderboard(result_graph, "GLUE", metric="perplexity").rows == []
    with pytest.raises(KGError, match="no dataset or task named 'CIFAR-10'"):
        leaderboard(result_graph, "CIFAR-10")
    with pytest.raises(KGError, match="no metric named 'BLEU'"):
        leaderboard(result_graph, "GLUE", metric="BLEU")
    with pytest.raises(KGError, match="no task named"):
        leaderboard(result_graph, "GLUE", task="question answering")


def test_task_filter_keeps_the_papers_that_name_it(result_graph):
    result_graph.add_node("qa", kind="entity", type="Task", label="question answering", aliases=[],
                          papers=["a1b2c3d4e5"], paper_count=1)
    board = leaderboard(result_graph, "GLUE", task="question answering")
    assert {r.paper for r in board.rows} == {"a1b2c3d4e5"} and board.deltas == []


def test_formats(result_graph):
    board = leaderboard(result_graph, "GLUE")
    rows = list(csv.DictReader(io.StringIO(format_leaderboard(board, "csv"))))
    assert [(r["section"], r["metric"], r["rank"], r["method"]) for r in rows][:3] == [
        ("ranked", "accuracy", "1", "LLaMA-2-7B"), ("ranked", "accuracy", "2", "LoRA"),
        ("ranked", "accuracy", "3", "full fine-tuning")]
    assert rows[-1]["section"] == "delta" and rows[-1]["baseline"] == "full fine-tuning"
    data = json.loads(format_leaderboard(board, "json"))
    assert data["dataset"] == ["glue"] and len(data["rows"]) == 5 and len(data["deltas"]) == 1
    table = format_leaderboard(board, "table")
    assert table.startswith("GLUE\n\naccuracy (%): higher is better\n") and "differences (not ranked)" in table
    with pytest.raises(KGError, match="unknown format"):
        format_leaderboard(board, "xml")
