"""Tests of kg.link.evaluate and of linking v2 (issue 17) on its own cases: the pair list format, the scores,
and that every labelled case of the issue is linked right (a fast, small stand-in for benchmarks/bench_link.py)."""

from pathlib import Path

import pytest

from kg.errors import InputError
from kg.link import link
from kg.link.evaluate import (
    LabelledPair,
    candidate_pairs,
    evaluate_pairs,
    generic_records,
    read_pairs,
    record_labels,
    write_pairs,
)
from kg.records import Entity, PaperExtraction

DATA = Path(__file__).parent / "data" / "link"
ROOT = Path(__file__).parent.parent


def test_pair_list_round_trip(tmp_path):
    pairs = read_pairs(DATA / "pairs.tsv")
    write_pairs(pairs, tmp_path / "p.tsv")
    assert sorted(read_pairs(tmp_path / "p.tsv"), key=repr) == sorted(pairs, key=repr)


def test_bundled_pair_list_is_valid():
    pairs = read_pairs(ROOT / "data" / "linking" / "pairs.tsv")
    labels = record_labels(pairs)
    assert len(labels) > 10000
    assert {same for same, _ in labels.values()} == {True, False}


@pytest.mark.parametrize("row, message", [
    ("same\twording\ta\tp1\tb", "line 2: expected 6"),
    ("maybe\twording\ta\tp1\tb\tp2", "line 2: label 'maybe'"),
    ("same\tversion\ta\tp1\tb\tp2", "line 2: unknown kind 'version' for 'same'"),
    ("apart\tversion\ta\t\tb\tp2", "line 2: empty name or paper list"),
])
def test_bad_pair_list_names_file_and_line(bad_file, row, message):
    bad_file("bad.tsv", "# header\n" + row + "\n", read_pairs, message)


def test_missing_pair_list(tmp_path):
    with pytest.raises(InputError, match="not found"):
        read_pairs(tmp_path / "none.tsv")


def test_record_labels_expand_sides_and_skip_pairs_within_a_paper():
    pairs = [LabelledPair(True, "identical", "LoRA", ("a", "b"), "LoRA", ("a", "b", "c"))]
    assert set(record_labels(pairs)) == {(("a", "LoRA"), ("b", "LoRA")), (("a", "LoRA"), ("c", "LoRA")),
                                         (("b", "LoRA"), ("c", "LoRA"))}


def test_scores_count_misses_violations_and_unlabelled():
    exts = [PaperExtraction("a", entities=[Entity("LoRA", "Method")]),
            PaperExtraction("b", entities=[Entity("LoRA", "Method"), Entity("GPT-4", "Model")]),
            PaperExtraction("c", entities=[Entity("Low-Rank Adaptation", "Method"), Entity("GPT-3", "Model")]),
            PaperExtraction("d", entities=[Entity("LoRA", "Method", generic=True)])]
    pairs = [LabelledPair(True, "identical", "LoRA", ("a",), "LoRA", ("b",)),
             LabelledPair(True, "abbreviation", "LoRA", ("a",), "Low-Rank Adaptation", ("c",)),
             LabelledPair(False, "version", "GPT-3", ("c",), "GPT-4", ("b",))]
    s = evaluate_pairs(link([], exts), pairs)
    g = s.groups
    assert g["overall"]["same"] == 2 and g["overall"]["merged"] == 1 and g["overall"]["recall"] == 0.5
    assert g["abbreviation"]["recall"] == 0.0 and g["variants"]["recall"] == 0.0
    assert g["overall"]["violation_rate"] == 0.0 and g["overall"]["precision"] == 1.0
    assert s.misses == [("abbreviation", ("a", "LoRA"), ("c", "Low-Rank Adaptation"))]
    assert (("b", "LoRA"), ("d", "LoRA")) in s.unlabelled
    skipped = evaluate_pairs(link([], exts), pairs, generic_records(exts))
    assert (("b", "LoRA"), ("d", "LoRA")) not in skipped.unlabelled
    assert "recall" in s.table().splitlines()[0]


def test_candidates_are_near_names_not_yet_labelled(link_cases):
    pairs = read_pairs(DATA / "pairs.tsv")
    found = {frozenset((a[1], b[1])) for a, b, _ in candidate_pairs(link_cases, pairs)}
    assert {"CLIP", "CLIP score"} not in found  # labelled
    assert {"GPT-3", "LLaMA-2-13B"} not in found  # nothing in common
    everything = {frozenset((a[1], b[1])) for a, b, _ in candidate_pairs(link_cases)}
    assert {"CLIP", "CLIP score"} in everything and {"QuIP", "QuIP#"} in everything


def test_issue_cases_are_linked_right(link_cases):
    """Every labelled case of issue 17: wording variants merged, versions, parts, symbols, homonyms and a
    paper's own vague phrase kept apart."""
    s = evaluate_pairs(link([], link_cases), read_pairs(DATA / "pairs.tsv"))
    assert not s.misses and not s.violations, (s.misses, s.violations)
    assert s.groups["overall"]["recall"] == 1.0 and s.groups["overall"]["violation_rate"] == 0.0
