"""Tests of the rules of linking v2 (issue 17), each with the real names that motivated it."""

from pathlib import Path

import pytest

from kg.errors import InputError
from kg.link import link, normalize
from kg.link.cluster import parts_of
from kg.link.curation import load_curation
from kg.link.lexicon import LEXICON_PATH, load_lexicon
from kg.link.linker import SYNONYMS_PATH
from kg.link.stems import stem, stem_keys
from kg.records import Entity, PaperExtraction


def X(pid, *entities, title=None):
    return PaperExtraction(pid, title or f"title {pid}", list(entities))


def E(name, type_="Method", role="used", aliases=()):
    return Entity(name, type_, role, list(aliases))


def together(result, *records):
    """Whether the (paper, name) records all sit in one node."""
    node = {m: eid for eid, ms in result.members.items() for m in ms}
    return len({node[r] for r in records}) == 1


# -- the stem key ---------------------------------------------------------------------------------------------

@pytest.mark.parametrize("name", ["of the", "-", "and"])
def test_a_name_of_function_words_alone_links_without_error(name):
    result = link([], [X("p1", E(name), E("LoRA", role="proposed")), X("p2", E(name), E("LoRA"))])
    assert together(result, ("p1", "LoRA"), ("p2", "LoRA"))  # and the link ends without error


@pytest.mark.parametrize("a, b", [
    ("computation cost", "computational cost"),
    ("self-attention", "self-attention mechanism"),
    ("self attention layer", "self-attention module"),
    ("rates of convergence", "convergence rate"),
    ("recommendation tasks", "recommendation"),
    ("model quantization", "quantization"),
    ("structured network pruning", "structured pruning"),
    ("standard fine-tuning", "fine-tuning"),
    ("number of trainable parameters", "trainable parameters"),
    ("auto-regressive decoding", "autoregressive decoding"),
])
def test_stem_keys_meet(a, b):
    assert stem_keys(normalize(a)) & stem_keys(normalize(b))


@pytest.mark.parametrize("a, b", [
    ("linear transformer", "linear transformation"),   # agent noun
    ("adapter", "adaptation"),
    ("utility", "utilization"),                       # quality noun
    ("optimism", "optimization"),
    ("token", "tokenization"),
    ("code prediction", "predictive coding"),         # compound order
    ("existing methods", "existing approaches"),      # vague phrases keep their heads
    ("adaptive algorithm", "adaptive"),               # no head dropped after an adjective
    ("LoRA", "lora"),                                 # names have no stem key
])
def test_stem_keys_stay_apart(a, b):
    assert not stem_keys(normalize(a)) & stem_keys(normalize(b))


def test_stem_marks_the_ending_it_drops():
    assert stem("transformer") != stem("transformation") and stem("computation") == stem("computational")


# -- keys keep symbols; parts and versions ----------------------------------------------------------------------

@pytest.mark.parametrize("a, b", [("QuIP#", "QuIP"), ("PA&DA", "PADA"), ("LoRA+", "LoRA"), ("CLIP score", "CLIP")])
def test_symbols_and_parts_keep_keys_apart(a, b):
    assert normalize(a).key != normalize(b).key


@pytest.mark.parametrize("names", [
    ["ImageNet", "ImageNet-C"], ["SGD", "SGD-M"], ["DeiT", "DeiT-S"], ["SAF", "DR. SAF"], ["CLIP", "CLIP score"],
    ["Stable Diffusion", "Stable Diffusion (SD) V2.1"], ["BERT", "BERT-large"],
])
def test_a_name_and_its_part_never_merge_even_when_a_paper_ties_them(names):
    r = link([], [X("a", E(names[0], "Model", aliases=[names[1]])), X("b", E(names[1], "Model"))])
    assert not together(r, ("a", names[0]), ("b", names[1]))


def test_parts_of():
    assert parts_of(normalize("ImageNet-C")) == {("imagenet", "c")}
    assert parts_of(normalize("ImageNet")) == set()


def test_inner_abbreviation_gives_both_names():
    r = link([], [X("a", E("Key-Value (KV) cache")), X("b", E("KV cache")), X("c", E("key-value cache"))])
    assert together(r, ("a", "Key-Value (KV) cache"), ("b", "KV cache"), ("c", "key-value cache"))


# -- head words -----------------------------------------------------------------------------------------------

def test_name_heads_are_dropped_after_a_name():
    r = link([], [X("a", E("LLaMA series models", "Model")), X("b", E("LLaMA", "Model")),
                  X("c", E("VQ-VAE autoencoders", "Model")), X("d", E("VQ-VAE", "Model"))])
    assert together(r, ("a", "LLaMA series models"), ("b", "LLaMA"))
    assert together(r, ("c", "VQ-VAE autoencoders"), ("d", "VQ-VAE"))


def test_a_head_that_says_another_type_keeps_the_name_apart():
    r = link([], [X("a", E("VQ")), X("b", E("VQ")), X("c", E("VQ models", "Model"))])
    assert not together(r, ("a", "VQ"), ("c", "VQ models"))
    assert not together(link([], [X("a", E("offline RL", "Task")), X("b", E("offline RL benchmark", "Dataset"))]),
                        ("a", "offline RL"), ("b", "offline RL benchmark"))


def test_stem_keys_meet_only_within_a_family_of_types():
    r = link([], [X("a", E("language model", "Model")), X("b", E("language modeling", "Task"))])
    assert not together(r, ("a", "language model"), ("b", "language modeling"))


# -- the specificity gate -------------------------------------------------------------------------------------

def test_a_papers_own_vague_phrase_stays_local():
    r = link([], [X("a", E("adaptive algorithm", role="proposed")), X("b", E("adaptive algorithm", role="proposed")),
                  X("c", E("attention mechanism", role="proposed")), X("d", E("attention mechanism"))])
    assert not together(r, ("a", "adaptive algorithm"), ("b", "adaptive algorithm"))
    assert not together(r, ("c", "attention mechanism"), ("d", "attention mechanism"))


def test_the_gate_opens_for_a_name_and_for_a_phrase_many_papers_use():
    named = link([], [X("a", E("adaptive algorithm", role="proposed")), X("b", E("Adaptive Algorithm"))])
    assert together(named, ("a", "adaptive algorithm"), ("b", "Adaptive Algorithm"))
    common = [X(f"p{i}", E("fine-tuning")) for i in range(6)] + [X("z", E("fine-tuning", role="proposed"))]
    assert len(link([], common).entities) == 1
    rare = [X("p1", E("coreset")), X("z", E("coreset", role="proposed"))]
    assert len(link([], rare).entities) == 2


def test_an_unsure_proposed_role_does_not_keep_a_rare_phrase_local():
    # rule sure_role: "we utilize importance sampling", proposed at 0.64 by the role classifier, is the technique
    def papers(confidence):
        own = E("importance sampling", role="proposed")
        own.role_confidence = confidence
        return [X("p1", E("importance sampling")), X("z", own)]
    assert len(link([], papers(0.64)).entities) == 1
    assert len(link([], papers(0.95)).entities) == 2
    alone = E("adaptive rounding", role="proposed")  # no other paper writes it: its paper's own, ids unchanged
    alone.role_confidence = 0.5
    (entry,) = link([], [X("z", alone)]).index.ids.values()
    assert entry["keys"] and all(k.endswith("@z") for k in entry["keys"])
    generic = E("adaptive algorithm", role="proposed")  # a generic head keeps the gate whatever the confidence
    generic.role_confidence = 0.5
    assert len(link([], [X("p1", E("adaptive algorithm")), X("z", generic)]).entities) == 2


def test_title_case_in_a_title_is_no_name():
    r = link([], [X("a", E("scaling laws", role="proposed", aliases=["Scaling Laws"]),
                    title="Scaling Laws for Neural Language Models"),
                  X("b", E("scaling laws"), title="Loss-to-Loss Prediction: Scaling Laws for All Datasets")])
    assert not together(r, ("a", "scaling laws"), ("b", "scaling laws"))


# -- aliases that hold in their paper only ----------------------------------------------------------------------

@pytest.mark.parametrize("name, alias, other", [
    ("top-1 accuracy", "accuracy", "accuracy"),                       # broader
    ("deep reinforcement learning", "RL", "reinforcement learning"),  # an abbreviation of the last words
    ("FSIS", "instance segmentation", "instance segmentation"),      # part of an abbreviation
    ("neural networks", "deep networks", "deep networks"),            # a paraphrase
])
def test_aliases_that_hold_in_their_paper_only(name, alias, other):
    r = link([], [X("a", E(name, "Metric", aliases=[alias])), X("b", E(other, "Metric"))])
    assert not together(r, ("a", name), ("b", other))


def test_abbreviation_and_its_expansion_still_link():
    r = link([], [X("a", E("VAE", "Model", aliases=["variational autoencoder"])),
                  X("b", E("variational autoencoder", "Model")), X("c", E("offline RL", "Task")),
                  X("d", E("offline reinforcement learning", "Task", aliases=["offline RL"]))])
    assert together(r, ("a", "VAE"), ("b", "variational autoencoder"))
    assert together(r, ("c", "offline RL"), ("d", "offline reinforcement learning"))


@pytest.mark.parametrize("short, a, b", [
    ("CL", "continual learning", "contrastive learning"),
    ("SSL", "self-supervised learning", "semi-supervised learning"),
])
def test_abbreviations_with_two_expansions_give_two_nodes(short, a, b):
    r = link([], [X("p", E(a, aliases=[short])), X("q", E(b, aliases=[short]))])
    assert not together(r, ("p", a), ("q", b))


def test_an_abbreviation_of_two_kinds_of_thing():
    r = link([], [X("a", E("importance sampling", aliases=["IS"])), X("b", E("IS", "Metric"))])
    assert not together(r, ("a", "importance sampling"), ("b", "IS"))
    caps = link([], [X("a", E("COST", role="proposed")), X("b", E("cost", "Metric"))])
    assert not together(caps, ("a", "COST"), ("b", "cost"))


# -- the synonym table and the lexicon ----------------------------------------------------------------------------

def test_bundled_synonym_table_is_valid_and_used():
    assert load_curation(SYNONYMS_PATH).merge
    r = link([], [X("a", E("MMLU", "Dataset")), X("b", E("Massive Multitask Language Understanding", "Dataset")),
                  X("c", E("COCO", "Dataset")), X("d", E("MS-COCO", "Dataset"))])
    assert together(r, ("a", "MMLU"), ("b", "Massive Multitask Language Understanding"))
    assert together(r, ("c", "COCO"), ("d", "MS-COCO"))
    off = link([], [X("a", E("MMLU", "Dataset")), X("b", E("Massive Multitask Language Understanding", "Dataset"))],
               synonyms=False)
    assert len(off.entities) == 2


def test_lexicon_reads_its_lists():
    lex = load_lexicon(LEXICON_PATH)
    assert "mechanism" in lex.phrase_heads and "score" in lex.part_words and lex.common_papers > 0


@pytest.mark.parametrize("content, message", [
    ("name_heads = 3", "name_heads must be a list of words"),
    ("name_heads = [", "not a valid TOML lexicon"),
])
def test_bad_lexicon_names_the_file(bad_file, content, message):
    bad_file("lexicon.toml", content, load_lexicon, message)


def test_missing_lexicon(tmp_path):
    with pytest.raises(InputError, match="not found"):
        load_lexicon(Path(tmp_path) / "none.toml")
