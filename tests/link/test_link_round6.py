"""Tests of the sixth round of linking rules (the top-100 hand check v6): each feeds the linker neutral sentences of
the kind that split a big node of the bundled corpus and asserts the node it links them into."""

import pytest

from kg.link import link
from kg.link.normalize import normalize
from kg.link.stems import stem_key, stem_keys
from kg.records import Entity, PaperExtraction


def node_of(result, paper, name):
    return next(eid for eid, ms in result.members.items() if (paper, name) in ms)


# -- rule written_dimension: a paper that writes "memory costs" writes memory as a metric ------------------------

def test_a_dimension_written_with_a_cost_head_takes_results_in_its_unit(round6_corpus):
    # 3b347f99e9, 8057cbcfb2, efa24fd20f: "memory" from GB/MB; two papers write "memory", two "memory costs"
    papers, exts = round6_corpus
    r = link(papers, exts)
    assert node_of(r, "mb", "memory") == node_of(r, "m0", "memory") == node_of(r, "c0", "memory costs")
    assert r.report["relinked"]["written_dimension"] == 1


def test_a_dimension_too_few_papers_write_stays_local(round6_corpus):
    papers, exts = round6_corpus
    keep = {"mb", "m0", "c0"}  # two other papers only
    r = link([p for p in papers if p.id in keep], [x for x in exts if x.id in keep])
    assert r.entities[node_of(r, "mb", "memory")].papers == ["mb"]


# -- rating words: "pure" rates a loss as "plain" does --------------------------------------------------------------

def test_pure_rates_but_pure_exploration_is_a_term():
    assert stem_key(normalize("pure cross entropy")) == stem_key(normalize("cross entropy"))
    assert stem_key(normalize("pure exploration")) != stem_key(normalize("exploration"))
    assert stem_key(normalize("pure strategies")) != stem_key(normalize("strategies"))
    # hyphenated, the rating word makes a term: pure DP is a stricter notion than differential privacy
    assert not stem_keys(normalize("pure-differential privacy")) & stem_keys(normalize("differential privacy"))
    assert stem_keys(normalize("standard fine-tuning")) == stem_keys(normalize("fine-tuning"))


def test_a_pure_loss_is_the_loss(round6_corpus):
    # 6ddbb48f5c "outperforms both the [pure cross entropy] and rescaled square loss"
    papers, exts = round6_corpus
    r = link(papers, exts)
    assert node_of(r, "pure", "pure cross entropy") == node_of(r, "xent", "cross-entropy")
    assert node_of(r, "pe0", "pure exploration") != node_of(r, "expl", "exploration")


# -- rule descent_method: "gradient descent optimization" is gradient descent ---------------------------------------

def test_the_optimization_of_a_descent_method_is_the_method(round6_corpus):
    # efa24fd20f "Second, [gradient descent optimization] of the mapping favors ..."
    papers, exts = round6_corpus
    r = link(papers, exts)
    assert node_of(r, "gdo", "gradient descent optimization") == node_of(r, "gd", "gradient descent")
    assert node_of(r, "po", "policy optimization") != node_of(r, "pol", "policy")  # what is optimized
    assert r.report["relinked"]["descent_method"] == 1


# -- rule shortened_rate: "codebook utilization" and "Utilization Rate" in one paper are one measure ------------------

def _metrics(pid, *names):
    return PaperExtraction(pid, f"title {pid}", [Entity(n, "Metric", "used", []) for n in names])


def test_a_rate_of_the_papers_one_metric_is_that_metric():
    # c4f513d173 "enhancing [codebook utilization]" ... "with a [Utilization Rate] of 99%"
    r = link([], [_metrics("a", "cache usage", "usage rate"), _metrics("b", "cache usage"), _metrics("c", "usage rate")])
    assert node_of(r, "a", "usage rate") == node_of(r, "b", "cache usage") != node_of(r, "c", "usage rate")
    assert "usage rate" in r.entities[node_of(r, "b", "cache usage")].aliases  # the paper's wording, found by name
    assert r.report["relinked"]["shortened_rate"] == 1


@pytest.mark.parametrize("names", [
    ("top-1 error", "test error", "error rate"),  # two metrics end in "error": which one, the paper does not say
    ("linear convergence", "convergence rate"),  # an adjective says how it converges, not what is measured
])
def test_a_rate_that_names_no_one_metric_stays(names):
    r = link([], [_metrics("a", *names)])
    assert len({node_of(r, "a", n) for n in names}) == len(names)
    assert "shortened_rate" not in r.report["relinked"]


# -- rule elided_head: "Key & Value compression" beside "Key-Value caches" is KV cache compression -------------------

def _processes(pid, *names):
    return PaperExtraction(pid, f"title {pid}", [Entity(n, "Method", "used", []) for n in names])


def test_a_process_of_the_papers_one_compound_drops_its_head():
    # 1a313689ab "we aim to improve [Key & Value compression]" beside "[Key-Value caches]"
    r = link([], [_processes("a", "Query-Key caches", "Query & Key pruning"), _processes("b", "QK cache pruning")])
    assert node_of(r, "a", "Query & Key pruning") == node_of(r, "b", "QK cache pruning")
    assert "Query & Key pruning" in r.entities[node_of(r, "b", "QK cache pruning")].aliases
    assert r.report["relinked"]["elided_head"] == 1


@pytest.mark.parametrize("papers", [
    # two compounds with that modifier: which head was dropped, the paper does not say
    [("a", "Query-Key caches", "Query-Key projections", "Query & Key pruning"), ("b", "QK cache pruning")],
    # another paper writes the short phrase too: a thing of its own
    [("a", "Query-Key caches", "Query & Key pruning"), ("b", "QK cache pruning"), ("c", "Query & Key pruning")],
    # a generic head says what kind of thing, not which
    [("a", "deep learning", "deep methods"), ("b", "deep learning methods")],
])
def test_an_elided_head_the_paper_does_not_settle_stays(papers):
    r = link([], [_processes(pid, *names) for pid, *names in papers])
    assert "elided_head" not in r.report["relinked"]
