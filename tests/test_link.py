"""Tests of kg.link: every merge and keep-apart rule of issue 4 with real names, curation, ids, relations."""

import re
from pathlib import Path

import pytest

from kg.errors import InputError
from kg.link import Curation, link, load_curation, normalize, slugify
from kg.link.abbreviations import compatible_expansions
from kg.link.cluster import near_duplicates
from kg.link.normalize import is_abbreviation
from kg.link.relations import family_candidates
from kg.records import Entity, Paper, PaperExtraction, Relation

DATA = Path(__file__).parent / "data" / "link"
ROOT = Path(__file__).parent.parent


def E(name, type_="Method", aliases=(), role="mentioned", generic=False, confidence=0.9):
    return Entity(name, type_, role, list(aliases), [], confidence, generic)


def X(pid, *entities, relations=()):
    return PaperExtraction(pid, f"title {pid}", list(entities), list(relations))


def R(s, p, o, evidence="", confidence=0.8):
    return Relation(s, p, o, evidence or f"{s} {p} {o}.", 0, len(evidence or "x"), confidence)


def ids_of(result, name):
    """Ids of the entities one of whose forms is `name` exactly."""
    return sorted(i for i, e in result.entities.items() if name == e.label or name in e.aliases)


def one_id(result, name):
    ids = ids_of(result, name)
    assert len(ids) == 1, (name, ids)
    return ids[0]


# -- normalisation --------------------------------------------------------------------------------------------

@pytest.mark.parametrize("a, b", [
    ("LoRA", "lora"),                                   # case
    ("Low-Rank Adaptation", "low rank adaptation"),     # hyphen / space
    ("low\u2011rank adaptation", "low-rank adaptation"),  # non-breaking hyphen
    ("low\u2013rank adaptation", "low rank adaptation"),  # en dash
    ("LLMs", "LLM"),                                    # acronym plural
    ("codebooks", "codebook"),                          # plural
    ("KV caches", "KV cache"),
    ("losses", "loss"),
    ("the C4 dataset", "C4"),                           # determiner + head word
    ("GLUE benchmark", "GLUE"),                         # head word
    ("Stable Diffusion model", "Stable Diffusion"),
    ("LoRA-based", "LoRA"),                             # -based
    ("quantisation", "quantization"),                   # British spelling
    ("Llama 2", "LLaMA-2"),
    ("ResNet50", "ResNet-50"),
    ("fine-tuning", "finetuning"),
])
def test_normalize_same_key(a, b):
    assert normalize(a).key == normalize(b).key


@pytest.mark.parametrize("a, b", [
    ("GPT-3", "GPT-4"),
    ("LLaMA-2-7B", "LLaMA-2-13B"),
    ("ResNet-18", "ResNet-50"),
    ("CIFAR-10", "CIFAR-100"),
    ("LLaMA 2 7B", "LLaMA-27B"),      # number blocks stay apart
    ("Training loss", "training"),    # a capitalised first word is not a name: no head-word stripping
    ("diffusion models", "diffusion"),
    ("LoRA+", "LoRA"),
    ("denoising", "denoizing"),
])
def test_normalize_different_key(a, b):
    assert normalize(a).key != normalize(b).key


def test_slug_is_safe_iri_segment():
    for text in ["LLaMA-2-7B", "PixArt-α", "Qwen2.5 VL", "C++ model", "???", "Ünïcödé Net"]:
        assert re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", slugify(text)), text


@pytest.mark.parametrize("short, long, expected", [
    ("LoRA", "Low-Rank Adaptation", True),
    ("PEFT", "parameter-efficient fine-tuning", True),
    ("3DGS", "3D Gaussian Splatting", True),
    ("DPP", "Low-Rank Adaptation", False),
    ("VQ", "vector", False),
])
def test_is_abbreviation(short, long, expected):
    assert is_abbreviation(short, long) is expected


@pytest.mark.parametrize("short, a, b, expected", [
    ("LoRA", "Low-Rank Adaptation", "low-rank adapters", True),
    ("TTA", "test-time adaptation", "Test-Time Model Adaptation", True),
    ("SFT", "supervised fine-tuning", "sparse fine-tuning", False),
    ("DPP", "Determinantal Point Process", "Delta-parameter pruning", False),
])
def test_compatible_expansions(short, a, b, expected):
    assert compatible_expansions(short, normalize(a), normalize(b)) is expected


def test_near_duplicates_guards():
    names = ["in-context learning", "in-context leaning", "intra-class variance", "inter-class variance",
             "encoder-only models", "decoder-only models", "supervised fine-tuning", "unsupervised fine-tuning",
             "state-of-the-art SR models", "state-of-the-art ASR models", "Mistral", "Mixtral"]
    forms = {normalize(n).key: normalize(n) for n in names}
    assert near_duplicates(forms) == [(normalize("in-context leaning").key, normalize("in-context learning").key)]


# -- merge rules ----------------------------------------------------------------------------------------------

def test_abbreviation_and_long_form_anywhere_in_corpus():
    r = link([], [
        X("a", E("LoRA", aliases=["Low-Rank Adaptation"], role="proposed")),
        X("b", E("low-rank adaptation", role="used")),
        X("c", E("LoRA", role="baseline")),
        X("d", E("LoRA-based", role="used")),
        X("e", E("Low Rank Adaptation")),
    ])
    assert list(r.entities) == ["lora"]
    lora = r.entities["lora"]
    assert lora.label == "LoRA"
    assert {"Low-Rank Adaptation", "low-rank adaptation", "LoRA-based", "Low Rank Adaptation"} <= set(lora.aliases)
    assert lora.papers == ["a", "b", "c", "d", "e"]
    assert lora.roles == {"a": "proposed", "b": "used", "c": "baseline", "d": "used", "e": "mentioned"}


@pytest.mark.parametrize("names", [
    ["ImageNet", "imagenet", "Imagenet"],                 # case
    ["KV cache", "KV-cache", "KV\u2011Cache"],             # hyphen, space, Unicode dash
    ["LLM", "LLMs"],                                      # plural
    ["KV cache", "Key-Value (KV) cache"],                 # parenthesised abbreviation inside a name
    ["Llama 2", "LLaMA-2", "LLaMA2"],
    ["in-context learning", "in-context leaning"],        # near-identical spelling
    ["MaskSparsity", "MaskSparity"],
])
def test_merge_variants_of_spelling(names):
    r = link([], [X(f"p{i}", E(n, "Model")) for i, n in enumerate(names)])
    assert len(r.entities) == 1, r.entities


@pytest.mark.parametrize("names", [["C4", "the C4 dataset"], ["GLUE", "GLUE benchmark"]])
def test_merge_name_and_head_word_of_its_type(names):
    r = link([], [X(f"p{i}", E(n, "Dataset")) for i, n in enumerate(names)])
    assert len(r.entities) == 1, r.entities


@pytest.mark.parametrize("names", [
    ["GPT-3", "GPT-4"],
    ["LLaMA-2-7B", "LLaMA-2-13B"],
    ["ResNet-18", "ResNet-50"],
    ["CIFAR-10", "CIFAR-100"],
    ["GPT", "GPT-4"],
    ["quantization", "4-bit quantization"],
    ["intra-class variance", "inter-class variance"],
    ["supervised fine-tuning", "unsupervised fine-tuning"],
    ["Mistral", "Mixtral"],
    ["Adam", "AdamW"],
])
def test_keep_apart(names):
    r = link([], [X(f"p{i}", E(n, "Model")) for i, n in enumerate(names)])
    assert len(r.entities) == len(names)


def test_versions_stay_apart_even_through_a_shared_long_form():
    r = link([], [
        X("a", E("GPT-3", "Model", ["Generative Pre-trained Transformer"])),
        X("b", E("GPT-4", "Model", ["Generative Pre-trained Transformer"])),
    ])
    assert one_id(r, "GPT-3") != one_id(r, "GPT-4")
    assert r.report["refused"]["numbers"] >= 1


def test_abbreviation_with_digits_joins_its_long_form():
    r = link([], [X("a", E("C4", "Dataset", ["Colossal Clean Crawled Corpus"])), X("b", E("C4", "Dataset")),
                  X("c", E("Colossal Clean Crawled Corpus", "Dataset"))])
    assert list(r.entities) == ["c4"] and r.entities["c4"].papers == ["a", "b", "c"]


def test_implausible_alias_from_extraction_noise_is_refused():
    r = link([], [X("a", E("iii", aliases=["in combating label noise"])), X("b", E("label noise"))])
    assert r.report["refused"]["implausible_alias"] == 1 and r.entities["iii"].aliases == []


def test_same_abbreviation_expanded_differently_gives_two_entities():
    r = link([], [
        X("a", E("DPP", aliases=["Determinantal Point Process"])),
        X("b", E("DPP", aliases=["Delta-parameter pruning"])),
        X("c", E("Determinantal Point Process")),
        X("d", E("DPP")),
    ])
    assert sorted(r.entities) == ["dpp", "dpp-delta-parameter-pruning", "dpp-determinantal-point-process"]
    assert r.entities["dpp-determinantal-point-process"].papers == ["a", "c"]
    assert r.entities["dpp"].papers == ["d"]
    amb = r.report["ambiguous_abbreviations"]
    assert amb[0]["abbreviation"] == "DPP" and len(amb[0]["long_forms"]) == 2


def test_compatible_long_forms_of_one_abbreviation_merge():
    r = link([], [X("a", E("LoRA", aliases=["Low-Rank Adaptation"])), X("b", E("LoRA", aliases=["low-rank adapters"]))])
    assert list(r.entities) == ["lora"] and not r.report["ambiguous_abbreviations"]


def test_alias_never_merges_a_variant_into_its_family():
    r = link([], [X("a", E("LoRA", aliases=["LoRA+"])), X("b", E("LoRA+"))])
    assert sorted(r.entities) == ["lora", "lora-plus"]
    assert ("lora-plus", "lora") in r.variants


# -- variants -------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("spaced, expected", [
    ("llama-2-7b", ["llama 2", "llama"]),
    ("bert-base", ["bert"]),
    ("mistral-7b-instruct-v0.2", ["mistral 7b instruct", "mistral 7b", "mistral"]),
    ("t5", []),
    ("gpt-4", ["gpt"]),
])
def test_family_candidates(spaced, expected):
    assert family_candidates(spaced) == expected


def test_variant_of_links_sizes_to_existing_family_only():
    r = link([], [X("a", E("LLaMA-2-7B", "Model"), E("LLaMA-2-13B", "Model"), E("Llama 2", "Model")),
                  X("b", E("GPT-4", "Model"), E("GPT-3", "Model"), E("BERT-base", "Model"), E("BERT", "Model")),
                  X("c", E("ResNet-50", "Model"))])
    assert sorted(r.variants) == [("bert-base", "bert"), ("llama-2-13b", "llama-2"), ("llama-2-7b", "llama-2")]


# -- ids, labels, types, roles --------------------------------------------------------------------------------

def _corpus():
    papers = [Paper("a", "A", "", date="2023-01-02"), Paper("b", "B", "", date="2021-05-06"), Paper("c", "C", "")]
    exts = [
        X("a", E("LoRA", aliases=["Low-Rank Adaptation"], role="proposed"), E("GLUE benchmark", "Dataset"),
          E("CLIP", "Model"), relations=[R("LoRA", "evaluatedOn", "GLUE benchmark")]),
        X("b", E("low-rank adaptation", role="used"), E("GLUE", "Dataset"), E("CLIP", "Model"),
          relations=[R("low-rank adaptation", "evaluatedOn", "GLUE")]),
        X("c", E("CLIP", "Method"), E("LLaMA-2-7B", "Model"), E("LLaMA-2", "Model"), E("LoRA"),
          relations=[R("LoRA", "combinesWith", "LLaMA-2-7B"), R("LLaMA-2-7B", "combinesWith", "LoRA")]),
    ]
    return papers, exts


def test_ids_are_stable_across_order_and_added_papers():
    papers, exts = _corpus()
    r1 = link(papers, exts)
    r2 = link(papers[::-1], exts[::-1])
    assert r1.entities == r2.entities and r1.relations == r2.relations
    r3 = link(papers, exts + [X("d", E("LoRA"), E("Low Rank Adaptation"), E("CLIP", "Model"), E("SAM", "Model"))])
    assert set(r1.entities) <= set(r3.entities)
    for eid in r1.entities:
        assert re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", eid)


def test_entity_attributes():
    papers, exts = _corpus()
    r = link(papers, exts)
    lora, glue, clip = r.entities["lora"], r.entities["glue"], r.entities["clip"]
    assert lora.first_seen == "2021-05-06" and lora.papers == ["a", "b", "c"]
    assert glue.label == "GLUE" and glue.aliases == ["GLUE benchmark"]
    assert clip.type == "Model" and clip.type_votes == {"Method": 1, "Model": 2}
    assert {"entity": "clip", "votes": {"Method": 1, "Model": 2}, "type": "Model"} in r.report["type_conflicts"]
    assert r.report["entities_in"] == 10 and r.report["nodes_out"] == len(r.entities) == 5


def test_label_is_most_frequent_proper_form():
    r = link([], [X("a", E("vision transformers", aliases=["ViT"])), X("b", E("ViT")), X("c", E("ViTs"))])
    assert r.entities["vit"].label == "ViT"


def test_generic_entities_are_linked_but_flagged_and_kept_out_of_relations():
    r = link([], [
        X("a", E("large language models", "Model", ["LLMs"], generic=True), E("LoRA"),
          relations=[R("LoRA", "combinesWith", "large language models")]),
        X("b", E("LLMs", "Model", generic=True)),
    ])
    assert r.entities["llm"].generic is True and r.entities["lora"].generic is False
    assert r.relations == [] and r.report["dropped"]["relation_generic"] == 1


# -- relations ------------------------------------------------------------------------------------------------

def test_relations_merge_across_papers_with_support_and_evidence():
    papers, exts = _corpus()
    r = link(papers, exts)
    by_key = {(x.subject, x.predicate, x.object): x for x in r.relations}
    ev = by_key[("lora", "evaluatedOn", "glue")]
    assert ev.support == 2 and [e["paper"] for e in ev.evidence] == ["a", "b"]
    assert set(ev.evidence[0]) == {"paper", "sentence", "start", "end", "confidence"}
    comb = by_key[("llama-2-7b", "combinesWith", "lora")]  # symmetric: sorted endpoints, both directions merged
    assert comb.support == 1 and len(comb.evidence) == 2
    assert ("lora", "combinesWith", "llama-2-7b") not in by_key


def test_self_loops_created_by_merging_are_dropped():
    r = link([], [X("a", E("LoRA", aliases=["Low-Rank Adaptation"])),
                  X("b", E("LoRA"), E("low-rank adaptation"),
                    relations=[R("LoRA", "outperforms", "low-rank adaptation")])])
    assert r.relations == [] and r.report["dropped"]["relation_self_loop"] == 1


# -- curation -------------------------------------------------------------------------------------------------

def test_load_curation():
    cur = load_curation(DATA / "curation.toml")
    assert cur == Curation(merge=[["LoRA", "low rank adapters"]], keep_apart=[["VQ", "vector quantization"]],
                           drop=["our method"], types={"BERT": "Model"})


def test_bundled_curation_file_is_valid():
    assert isinstance(load_curation(ROOT / "data" / "curation.toml"), Curation)


@pytest.mark.parametrize("name", ["bad_syntax.toml", "bad_merge.toml", "bad_type.toml", "bad_section.toml",
                                  "bad_drop.toml", "missing.toml"])
def test_bad_curation_file_names_the_file(name):
    with pytest.raises(InputError) as err:
        load_curation(DATA / name)
    assert name in str(err.value)


def test_curation_merge_keep_apart_drop_types():
    exts = [
        X("a", E("LoRA"), E("our method", role="proposed"), E("BERT", "Method"),
          relations=[R("our method", "outperforms", "LoRA")]),
        X("b", E("low rank adapters"), E("VQ", aliases=["vector quantization"])),
        X("c", E("vector quantization")),
    ]
    plain = link([], exts)
    assert len(ids_of(plain, "our method")) == 1 and len(ids_of(plain, "low rank adapters")) == 1
    assert ids_of(plain, "LoRA") != ids_of(plain, "low rank adapters")
    r = link([], exts, DATA / "curation.toml")
    assert one_id(r, "LoRA") == one_id(r, "low rank adapters") == "lora"
    assert ids_of(r, "our method") == [] and r.relations == []
    assert r.report["dropped"]["curation"] == 1
    assert one_id(r, "VQ") != one_id(r, "vector quantization")
    assert r.entities["bert"].type == "Model"
