"""The kg_* extraction components and their pure helpers, on hand-built docs over ``spacy.blank("en")``."""

import pytest
import spacy
from spacy.tokens import Doc, Span

from kg.errors import InputError
from kg.extract.abbreviations import (AbbreviationFinder, clip_window, find_definitions, is_plausible,
                                      title_alias, title_definition)
from kg.extract.assemble import (EntityAssembler, choose_name, choose_type, entity_is_generic, group_candidates,
                                 name_with_noun, split_joined_name)
from kg.extract.boundaries import (descriptive_phrase, name_after_descriptor, name_before_class, task_phrase,
                                   written_extensions)
from kg.extract.candidates import (Candidate, CandidateFinder, absorb_into_proposals, extend_title_modifiers,
                                   name_spans, proposal_spans, resolve_overlaps, trim_span)
from kg.extract.entity_types import (form_type, is_generic, is_junk, is_name_like, name_type, norm_key, shape_type,
                                     strong_type)
from kg.extract.extensions import SPAN_KEY, register_extensions
from kg.extract.lexicon import Lexicon, load_lexicon, read_table
from kg.extract.ner import default_votes
from kg.extract.roles import baseline_tokens, best_role, mention_role, proposal_heads, title_names, title_slogan
from kg.extract.sentences import mark_title, title_end
from kg.extract.tokenizer import prose_tokenizer


@pytest.fixture(scope="module")
def nlp():
    register_extensions()
    return spacy.blank("en")


@pytest.fixture(scope="module")
def lexicon():
    return load_lexicon()


def parsed(nlp, words, pos, heads, deps, lemmas=None):
    """A Doc with a hand-made parse (heads are absolute token indices)."""
    return Doc(nlp.vocab, words=words, pos=pos, heads=heads, deps=deps,
               lemmas=lemmas or [w.lower() for w in words])


@pytest.mark.parametrize("text, pairs", [
    ("We propose Low-Rank Adaptation (LoRA) here.", [("LoRA", "Low-Rank Adaptation")]),
    ("The expectation-maximization (EM) algorithm and large language models (LLMs).",
     [("EM", "expectation-maximization"), ("LLMs", "large language models")]),
    ("an iterative likelihood adjusted SDP (iLA-SDP) method", [("iLA-SDP", "iterative likelihood adjusted SDP")]),
    ("We report results (see Table 1) on GLUE.", []),
    # the window stops at the sentence boundary: the alignment would otherwise start inside "LoRA-GA"
    ("We cite LoRA-GA. Low-Rank Adaptation (LoRA) is popular.", [("LoRA", "Low-Rank Adaptation")]),
    # a short form that only prefixes the parenthesised word defines nothing
    ("It improves finetuning speed (up to 2X SpeedUp) at no cost.", []),
    ("It balances losses (e.g. task loss, regularization loss) well.", []),
    # "Long Form, or ABBR,": a definition without parentheses
    ("We propose Sharpness-Aware Training for Free, or SAF, which is fast.",
     [("SAF", "Sharpness-Aware Training for Free")]),
    ("We use pruning, or SAF-based tuning, here.", []),
    # initials that spell the short form win over a shorter character alignment
    ("Recent self-supervised learning (SSL) works.", [("SSL", "self-supervised learning")]),
    ("We study Test-time adaptation (TTA) here.", [("TTA", "Test-time adaptation")]),
])
def test_find_definitions(nlp, text, pairs):
    finder = AbbreviationFinder(nlp)
    doc = finder(nlp(text))
    assert [(short.text, long.text) for short, long in doc._.kg_abbreviations] == pairs
    assert find_definitions(doc, finder.matcher) == doc._.kg_abbreviations


def test_abbreviations_keep_no_state_between_docs(nlp):
    finder = AbbreviationFinder(nlp)
    finder(nlp("We use Low-Rank Adaptation (LoRA)."))
    assert finder(nlp("LoRA is popular."))._.kg_abbreviations == []


def test_title_is_a_sentence(nlp):
    doc = nlp("SpecDec++: Boosting Speculative Decoding\n\nSpeculative decoding is fast. It works.")
    end = title_end(doc)
    assert doc[end].text == "Speculative"
    mark_title(doc)
    assert doc[end].is_sent_start and not any(t.is_sent_start for t in doc[1:end])
    assert title_end(nlp("No blank line here.")) is None


@pytest.mark.parametrize("text, key", [("Large Language Models", "largelanguagemodel"), ("LLaMA-2", "llama2"),
                                       ("llama 2", "llama2"), ("CIFAR-10", "cifar10"), ("loss", "loss"),
                                       ("LoRA+", "lora+"), ("SpecDec++", "specdec++"), ("QuIP#", "quip#"),
                                       ("DARUANs", "daruan")])
def test_norm_key(text, key):
    assert norm_key(text) == key


@pytest.mark.parametrize("word, expected", [
    ("LoRA", True), ("GPT-4", True), ("ResNet-50", True), ("BERT", True), ("iLA-SDP", True), ("SpecDec++", True),
    ("model", False), ("Transformer", False), ("Low-Rank", False), ("Diffusion-Based", False), ("2024", False),
    ("7B", False), ("A", False),
])
def test_is_name_like(word, expected):
    assert is_name_like(word) is expected


@pytest.mark.parametrize("text, expected", [("LLaMA-2-7B", "Model"), ("7B", "Model"), ("OPT-1.3B", "Model"),
                                            ("LoRA", None), ("GPT-4", None)])
def test_shape_type(text, expected):
    assert shape_type(text) == expected


@pytest.mark.parametrize("name, expected", [("NDCG@10", "Metric"), ("Recall@K", "Metric"), ("pass@1", "Metric"),
                                            ("mAP@0.5", "Metric"), ("Hits@10", "Metric"), ("NDCG@10 gains", None),
                                            ("user@host", None), ("@10", None), ("LoRA", None)])
def test_form_type_metric_at_a_cutoff(name, expected):
    assert form_type(name) == expected


@pytest.mark.parametrize("text, expected", [
    ("large language models", True), ("existing methods", True), ("neural architectures", True),
    ("traditional knowledge distillation", True), ("knowledge distillation", False), ("GPT-4 models", False),
    ("speculative decoding", False),
])
def test_is_generic(nlp, lexicon, text, expected):
    assert is_generic(nlp(text)[:], lexicon) is expected


def test_name_spans_attach_sizes(nlp, lexicon):
    doc = nlp("We fine-tune LLaMA-2-7B, llama-2-chat 7B and GPT-4 on a GPU with BERT.")
    assert [s.text for s in name_spans(doc, lexicon.stopwords)] == ["LLaMA-2-7B", "llama-2-chat 7B", "GPT-4", "BERT"]


def test_resolve_overlaps_prefers_source_then_length():
    cands = [Candidate(0, 3, "Method", "chunk"), Candidate(1, 2, "Model", "ner"), Candidate(4, 6, "Task", "name"),
             Candidate(5, 6, "Task", "gazetteer")]
    kept = resolve_overlaps(cands)
    assert [(c.start, c.end, c.source) for c in kept] == [(1, 2, "ner"), (5, 6, "gazetteer")]


def test_trim_span(nlp, lexicon):
    words = ["the", "novel", "SALE", "requires", "less"]
    doc = Doc(nlp.vocab, words=words, pos=["DET", "ADJ", "PROPN", "VERB", "ADJ"],
              tags=["DT", "JJ", "NNP", "VBZ", "JJR"])
    assert trim_span(doc[0:4], lexicon.modifiers).text == "SALE"
    doc = Doc(nlp.vocab, words=["pre", "-", "training"], spaces=[False, False, False],
              pos=["ADJ", "PUNCT", "VERB"], tags=["JJ", "HYPH", "VBG"])
    assert trim_span(doc[:], lexicon.modifiers).text == "pre-training"


@pytest.mark.parametrize("words, pos, expected", [
    (["a", "hierarchical", "prior"], ["DET", "ADJ", "ADV"], "hierarchical prior"),  # the tagger's adverb "prior"
    (["pruning", "prior", "to"], ["NOUN", "ADV", "ADP"], "pruning"),                  # "prior to training"
])
def test_trim_span_noun_read_as_adverb(nlp, lexicon, words, pos, expected):
    doc = Doc(nlp.vocab, words=words, pos=pos)
    assert trim_span(doc[0:len(words) - (words[-1] == "to")], lexicon.modifiers).text == expected


def test_candidate_finder_gazetteer_and_names(nlp):
    lex = Lexicon(terms={"ImageNet": "Dataset", "accuracy": "Metric"}, generic={"large language models": "Model"},
                  heads={"accuracy": "Metric"}, stopwords={"gpu"})
    finder = CandidateFinder(nlp, lexicon=lex, sources=["gazetteer", "name"])
    doc = nlp("Large language models like FooNet-3 reach top accuracy on ImageNet with a GPU.")
    doc._.kg_abbreviations = []
    found = [(doc[c.start:c.end].text, c.type, c.source, c.generic) for c in finder(doc)._.kg_candidates]
    assert found == [("Large language models", "Model", "gazetteer", True), ("FooNet-3", "Method", "name", False),
                     ("accuracy", "Metric", "gazetteer", False), ("ImageNet", "Dataset", "gazetteer", False)]


def test_group_and_assemble_abbreviations(nlp):
    doc = nlp("We propose Low-Rank Adaptation (LoRA). LoRA beats fine-tuning.")
    AbbreviationFinder(nlp)(doc)
    doc._.kg_candidates = [Candidate(2, 6, None, "long"), Candidate(7, 8, None, "short"),
                           Candidate(10, 11, "Method", "ner"), Candidate(12, 15, "Method", "ner")]
    assert group_candidates(doc, doc._.kg_candidates) == [[0, 1, 2], [3]]
    EntityAssembler(nlp, lexicon=Lexicon())(doc)
    ents = list(doc._.kg_entities.values())
    assert [(e.name, e.type, e.aliases) for e in ents] == [("LoRA", "Method", ["Low-Rank Adaptation"]),
                                                           ("fine-tuning", "Method", [])]
    assert [(m.text, m.start, m.end) for m in ents[0].mentions] == [
        ("Low-Rank Adaptation", 11, 30), ("LoRA", 32, 36), ("LoRA", 39, 43)]
    spans = list(doc.spans[SPAN_KEY])
    assert [(s.text, s.label_) for s in spans][:2] == [("Low-Rank Adaptation", "Method"), ("LoRA", "Method")]
    assert len({s.kb_id_ for s in spans[:3]}) == 1


def _assembled(nlp, words, pos, heads, deps, cands, pairs=()):
    doc = parsed(nlp, words, pos, heads, deps, [{"uses": "use"}.get(w, w.lower()) for w in words])
    doc._.kg_abbreviations = [(doc[a:b], doc[c:d]) for (a, b), (c, d) in pairs]
    doc._.kg_candidates = cands
    EntityAssembler(nlp, lexicon=Lexicon())(doc)
    return {e.name: (e.type, e.role) for e in doc._.kg_entities.values()}


def test_parts_of_the_contribution_retyped_and_defined_names(nlp):
    # We propose FooNet . FooNet uses Coarse Predictor ( CP ) and ZetaNet . We apply weighted aggregation .
    words = ["We", "propose", "FooNet", ".", "FooNet", "uses", "Coarse", "Predictor", "(", "CP", ")", "and",
             "ZetaNet", ".", "We", "apply", "weighted", "aggregation", "."]
    pos = ["PRON", "VERB", "PROPN", "PUNCT", "PROPN", "VERB", "PROPN", "PROPN", "PUNCT", "PROPN", "PUNCT",
           "CCONJ", "PROPN", "PUNCT", "PRON", "VERB", "ADJ", "NOUN", "PUNCT"]
    heads = [1, 1, 1, 1, 5, 5, 7, 5, 7, 7, 7, 7, 7, 5, 15, 15, 17, 15, 15]
    deps = ["nsubj", "ROOT", "dobj", "punct", "nsubj", "ROOT", "compound", "dobj", "punct", "appos", "punct",
            "cc", "conj", "punct", "nsubj", "ROOT", "amod", "dobj", "punct"]
    cands = [Candidate(2, 3, "Method", "ner"), Candidate(4, 5, "Method", "ner"), Candidate(6, 8, None, "long"),
             Candidate(9, 10, None, "short"), Candidate(12, 13, "Method", "ner"),
             Candidate(16, 18, "Task", "ner")]
    ents = _assembled(nlp, words, pos, heads, deps, cands, pairs=[((9, 10), (6, 8))])
    assert ents["FooNet"] == ("Method", "proposed")
    assert ents["CP"] == ("Method", "proposed")         # a name the abstract defines is a part of it
    assert ents["ZetaNet"] == ("Method", "used")        # a name it does not define is someone else's
    assert ents["weighted aggregation"] == ("Method", "proposed")  # "we apply X": typed Task by its head alone


def test_choose_name_and_type():
    assert choose_name(["Low-Rank Adaptation", "LoRA"], {"LoRA"}) == "LoRA"
    assert choose_name(["Speculative decoding", "speculative decoding", "speculative decoding"], set()) == \
        "speculative decoding"
    assert choose_type([Candidate(0, 1, None, "short"), Candidate(2, 3, "Model", "ner")]) == "Model"
    assert choose_type([Candidate(0, 1, None, "short")]) == "Method"


@pytest.mark.parametrize("flags, texts, expected", [
    ([True, True], ["LLMs", "large language models"], True),
    ([True, False, False], ["LLMs", "LLMs", "LLMs"], False),
    ([True, False], ["diffusion models", "DiT"], False),
])
def test_entity_is_generic(flags, texts, expected):
    members = [Candidate(i, i + 1, "Model", "ner", g) for i, g in enumerate(flags)]
    assert entity_is_generic(members, texts) is expected


def test_proposal_and_baseline_scopes(nlp):
    # We propose SpecDec++ , which outperforms speculative decoding .
    doc = parsed(nlp, ["We", "propose", "SpecDec++", ",", "which", "outperforms", "speculative", "decoding", "."],
                 ["PRON", "VERB", "PROPN", "PUNCT", "PRON", "VERB", "ADJ", "NOUN", "PUNCT"],
                 [1, 1, 1, 2, 5, 2, 7, 5, 1], ["nsubj", "ROOT", "dobj", "punct", "nsubj", "relcl", "amod", "dobj",
                                               "punct"],
                 ["we", "propose", "SpecDec++", ",", "which", "outperform", "speculative", "decoding", "."])
    assert proposal_heads(doc) == {2}
    assert baseline_tokens(doc) == {6, 7}
    scopes = {"proposed": proposal_heads(doc), "title": range(0), "title_end": None,
              "baseline": baseline_tokens(doc), "used": set()}
    assert mention_role(doc[2:3], "Method", scopes) == "proposed"
    assert mention_role(doc[6:8], "Method", scopes) == "baseline"
    assert mention_role(doc[6:8], "Dataset", scopes) == "used"


def test_proposal_needs_our_subject(nlp):
    # Several studies proposed pruning .
    doc = parsed(nlp, ["Several", "studies", "proposed", "pruning", "."], ["ADJ", "NOUN", "VERB", "NOUN", "PUNCT"],
                 [1, 2, 2, 2, 2], ["amod", "nsubj", "ROOT", "dobj", "punct"])
    assert proposal_heads(doc) == set()


def test_title_names(nlp):
    doc = nlp("SpecDec++: Boosting Speculative Decoding\n\nText.")
    assert title_names(doc, title_end(doc)) == range(0, 1)
    doc = nlp("Hierarchical Patch Compression for ColPali: Efficient Retrieval\n\nText.")
    assert title_names(doc, title_end(doc)) == range(0)


def test_best_role():
    assert best_role(["used", "baseline", "mentioned"]) == "baseline"
    assert best_role([]) == "mentioned"


def test_read_table_names_bad_line(tmp_path):
    path = tmp_path / "heads.tsv"
    path.write_text("# comment\ndataset\tDataset\naccuracy Metric\n")
    with pytest.raises(InputError, match=r"heads.tsv:3: expected 2 tab-separated columns"):
        read_table(path, 2)


def test_load_lexicon_shipped(lexicon):
    assert lexicon.heads["dataset"] == "Dataset"
    assert lexicon.terms["ImageNet"] == "Dataset"
    assert lexicon.generic["large language models"] == "Model"
    assert "QuIP#" in lexicon.terms or all("#" not in t for t in lexicon.terms)


@pytest.mark.parametrize("short, long, expected", [
    ("LoRA", "Low-Rank Adaptation", True), ("bpp", "bits-per-pixel", True), ("SBv2", "SwiftBrushv2", True),
    ("speed", "SpeedUp", False), ("time", "timestep", False), ("Filter", "Filtering", False),
    ("iii", "in item", False), ("small-dense", "smaller, but dense", False), ("cost", "cost; reduction", False),
])
def test_is_plausible(short, long, expected):
    assert is_plausible(short, long) is expected


def test_clip_window(nlp):
    doc = nlp("and LoRA-GA. Low-Rank Adaptation")
    assert clip_window(doc[:]).text == "Low-Rank Adaptation"
    assert clip_window(doc[5:]).text == "Low-Rank Adaptation"


def test_versions_with_plus_are_other_entities(nlp):
    doc = nlp("LoRA+ improves on LoRA and LoRA++ on LoRA+.")
    doc._.kg_abbreviations = []
    cands = [Candidate(i, i + 1, "Method", "ner") for i in (0, 3, 5, 7)]
    assert [[doc[cands[i].start:cands[i].end].text for i in g] for g in group_candidates(doc, cands)] == [
        ["LoRA+", "LoRA+"], ["LoRA"], ["LoRA++"]]
    doc._.kg_candidates = cands
    EntityAssembler(nlp, lexicon=Lexicon())(doc)
    assert sorted(e.name for e in doc._.kg_entities.values()) == ["LoRA", "LoRA+", "LoRA++"]
    assert all(e.aliases == [] for e in doc._.kg_entities.values())


@pytest.mark.parametrize("text, expected", [
    ("LLaVA-NeXT-7B", "Model"), ("Qwen2.5-Math-7B-Instruct", "Model"), ("OPT 6.7B", "Model"),
    ("MobileNetV3", "Model"), ("EfficientNet-B0", "Model"), ("Zipformer", "Model"), ("WizardCoder", "Model"),
    ("DependencyViT", "Model"), ("ViT-L", "Model"), ("GPT-4o", "Model"), ("BigCodeBench", "Dataset"),
    ("DocVQA", "Dataset"), ("ImageNet", None), ("ImageNet-1K", None), ("Encoder", None), ("BERTScore", None),
    ("LoRA", None), ("shared encoder", None), ("W2A16", None),
])
def test_name_type(text, expected):
    assert name_type(text) == expected


@pytest.mark.parametrize("text, expected", [
    ("Predictive Coding Networks", "Model"), ("GLUE benchmark", "Dataset"), ("image classification", "Task"),
    ("StarCoder", "Model"), ("trie-based word model", None), ("probabilistic network", None), ("loss", None),
])
def test_strong_type(nlp, lexicon, text, expected):
    assert strong_type(nlp(text)[:], lexicon) == expected


@pytest.mark.parametrize("text, expected", [
    ("approach", True), ("benchmarks", True), ("A6000 GPU", True), ("Hu et al", True), ("Chamfer L_{1", True),
    ("Sampler~(DEIS", True), ("https://x.org", True), ("LoRA (r=8)", False), ("GPU memory", False),
    ("ImageNet", False),
])
def test_is_junk(nlp, lexicon, text, expected):
    assert is_junk(nlp(text)[:], lexicon) is expected


@pytest.mark.parametrize("text, expected", [
    ("method adaUnPool", "adaUnPool"), ("scalar variant AdAdaGradNorm", "AdAdaGradNorm"),
    ("trie-based word model", "trie-based word model"), ("framework for LLaMA 2", "framework for LLaMA 2"),
    ("LoRA", "LoRA"), ("VARiant-d16", "VARiant-d16"),  # a name, not the word "variant"
])
def test_name_after_descriptor(nlp, lexicon, text, expected):
    assert name_after_descriptor(nlp(text)[:], lexicon.descriptors).text == expected


@pytest.mark.parametrize("text", ["downstream tasks", "existing methods"])
def test_broad_classes_are_generic(nlp, lexicon, text):
    assert is_generic(nlp(text)[:], lexicon)


def test_vague_abbreviations_give_no_candidates(nlp):
    lex = Lexicon(stopwords={"kv"})
    finder = CandidateFinder(nlp, lexicon=lex, sources=["short", "long"])
    doc = nlp("We compress the Key-Value (KV) cache with Low-Rank Adaptation (LoRA).")
    doc._.kg_abbreviations = [(doc[7:8], doc[3:6]), (doc[16:17], doc[11:15])]
    found = [(doc[c.start:c.end].text, c.source) for c in finder(doc)._.kg_candidates]
    assert found == [("Low-Rank Adaptation", "long"), ("LoRA", "short")]


@pytest.mark.parametrize("text, expected", [
    ("DPO strategies", "DPO"), ("GAAM-based methods", "GAAM"), ("AdaPT trained models", "AdaPT"),
    ("GPT-4 models", "GPT-4"), ("KV cache compression methods", "KV cache compression methods"),
    ("existing methods", "existing methods"), ("LoRA", "LoRA"),
])
def test_name_before_class(nlp, lexicon, text, expected):
    assert name_before_class(nlp(text)[:], lexicon.generic_heads).text == expected


@pytest.mark.parametrize("text, expected", [
    ("pre-trained DNNs", "DNNs"), ("fine-tuned CodeGemma", "CodeGemma"), ("BERT-Large fine-tuned", "BERT-Large"),
    ("the novel SALE", "SALE"), ("fine-tuning", "fine-tuning"),
    # an aggregate is not part of a metric's name
    ("average accuracy", "accuracy"), ("average speedup", "speedup"),
    # a trailing "setting" only frames the method, but a two-word phrase keeps it
    ("supervised fine-tuning setting", "supervised fine-tuning"), ("few-shot settings", "few-shot settings"),
    # a dash written apart ends the phrase; a hyphen inside a word does not
    ("PV-Tuning - a representation-agnostic framework", "PV-Tuning"), ("PV-Tuning framework", "PV-Tuning framework"),
])
def test_trim_span_modifier_words(nlp, lexicon, text, expected):
    assert trim_span(nlp(text)[:], lexicon.modifiers).text == expected


@pytest.mark.parametrize("words, tags, expected", [
    (["multi-label", "classification"], ["JJ", "NN"], True), (["panoptic", "segmentation"], ["JJ", "NN"], True),
    (["improved", "retrieval"], ["VBN", "NN"], False), (["classification"], ["NN"], False),
    (["sample", "generation"], ["NN", "NN"], False),
])
def test_task_phrase(nlp, words, tags, expected):
    assert task_phrase(Doc(nlp.vocab, words=words, tags=tags)[:]) is expected


@pytest.mark.parametrize("words, tags, expected", [
    (["clipping", "loss"], ["NN", "NN"], True), (["language", "modeling", "loss"], ["NN", "NN", "NN"], True),
    (["multinomial", "sampling"], ["JJ", "NN"], True), (["generation", "error"], ["NN", "NN"], True),
    # vague, evaluative or aggregate modifiers make a plain description
    (["total", "loss"], ["JJ", "NN"], False), (["negligible", "accuracy"], ["JJ", "NN"], False),
    (["performance", "loss"], ["NN", "NN"], False), (["increased", "error"], ["VBN", "NN"], False),
    (["token", "'s", "loss"], ["NN", "POS", "NN"], False), (["loss"], ["NN"], False),
    (["clipping", "gradient"], ["NN", "NN"], False),
])
def test_descriptive_phrase(nlp, words, tags, expected):
    assert descriptive_phrase(Doc(nlp.vocab, words=words, tags=tags)[:]) is expected


@pytest.mark.parametrize("n, votes", [(1, 1), (3, 3), (4, 3), (5, 4)])
def test_default_votes(n, votes):
    assert default_votes(n) == votes


@pytest.mark.parametrize("name, expected", [
    ("CIFAR10/100", ["CIFAR10", "CIFAR100"]), ("CIFAR-10/100", ["CIFAR-10", "CIFAR-100"]),
    ("LLaMA2/3", ["LLaMA2", "LLaMA3"]), ("ARC-Easy/ARC-Challenge", ["ARC-Easy", "ARC-Challenge"]),
    ("ResNet-18/ResNet-50", ["ResNet-18", "ResNet-50"]),
    # no common stem, a ratio, a size suffix, plain words: one name
    ("AR/VR", ["AR/VR"]), ("I/O", ["I/O"]), ("8/255", ["8/255"]), ("DiT XL/2", ["DiT XL/2"]),
    ("encoder/decoder", ["encoder/decoder"]), ("LoRA", ["LoRA"]),
])
def test_split_joined_name(name, expected):
    assert split_joined_name(name) == expected


def test_assembler_splits_joined_names(nlp):
    doc = nlp("results on CIFAR10/100 .")
    doc._.kg_candidates = [Candidate(2, 3, "Dataset", "ner")]
    doc._.kg_abbreviations = []
    entities = EntityAssembler(nlp)(doc)._.kg_entities
    assert sorted(e.name for e in entities.values()) == ["CIFAR10", "CIFAR100"]
    assert all(e.type == "Dataset" and e.aliases == ["CIFAR10/100"] for e in entities.values())


def test_trim_span_keeps_name_tagged_as_punctuation(nlp, lexicon):
    doc = Doc(nlp.vocab, words=["on", "CIFAR10/100"], pos=["ADP", "PUNCT"], tags=["IN", ","])
    assert trim_span(doc[:], lexicon.modifiers).text == "CIFAR10/100"


def test_trim_span_keeps_hyphenated_word_whole(nlp, lexicon):
    # "per" is a preposition, but "per-IC" is one word
    doc = Doc(nlp.vocab, words=["per", "-", "IC", "quantization"], spaces=[False, False, True, False],
              pos=["ADP", "PUNCT", "PROPN", "NOUN"], tags=["IN", "HYPH", "NNP", "NN"])
    assert trim_span(doc[:], lexicon.modifiers).text == "per-IC quantization"
    doc = Doc(nlp.vocab, words=["with", "quantization"], pos=["ADP", "NOUN"], tags=["IN", "NN"])
    assert trim_span(doc[:], lexicon.modifiers).text == "quantization"


@pytest.mark.parametrize("title, expected", [
    ("CBQ: Cross-Block Quantization for Large Language Models", ("CBQ", "Cross-Block Quantization")),
    ("CrAM: A Compression-Aware Minimizer", ("CrAM", "Compression-Aware Minimizer")),
    # the long form must open the subtitle, a marked variant is not its base method, a sentence defines nothing
    ("SpecDec++: Boosting Speculative Decoding via Adaptive Candidate Lengths", None),
    ("LoRA+: Efficient Low Rank Adaptation of Large Models", None),
    ("ALLoRA: Adaptive Learning Rate Mitigates LoRA Fatal Flaws", None),
    ("Hydra: Multi-head Low-rank Adaptation", None),
    # two parts joined by "and" when the name spells both
    ("SPDF: Sparse Pre-training and Dense Fine-tuning for Large Language Models",
     ("SPDF", "Sparse Pre-training and Dense Fine-tuning")),
    ("CBQ: Cross-Block Quantization and Calibration for LLMs", ("CBQ", "Cross-Block Quantization")),
])
def test_title_definition(nlp, title, expected):
    pair = title_definition(nlp(title))
    assert (None if pair is None else (pair[0].text, pair[1].text)) == expected


def _tagged_title(nlp, title, ent, label, tags=None):
    """A title doc with one tagged mention `ent` (token range) and optional fine-grained tags by index."""
    doc = nlp(title)
    for i, tag in (tags or {}).items():
        doc[i].tag_ = tag
    doc.ents = [Span(doc, *ent, label=label)]
    return doc


@pytest.mark.parametrize("title, ent, label, tags, expected", [
    # a one-word name and the technique the tagger found opening the subtitle: one technique, named twice
    ("TransPrune: Token Transition Pruning for Efficient Models", (2, 5), "Method", None,
     ("TransPrune", "Token Transition Pruning")),
    ("Hydra: A Multi-head Low-rank Adaptation", (3, 10), "Method", None, ("Hydra", "Multi-head Low-rank Adaptation")),
    # a task, a verb, a marked variant, a name of two words or a single word name no technique
    ("COMPASS: High-Efficiency Deep Image Compression", (2, 6), "Task", None, None),
    ("SpecDec++: Boosting Speculative Decoding", (2, 5), "Method", {2: "VBG"}, None),
    ("LoRA+: Efficient Low Rank Adaptation", (2, 6), "Method", None, None),
    ("Squeezed Attention: Accelerating Long Context Inference", (3, 7), "Method", None, None),
    ("GPTVQ: Quantization for LLMs", (2, 3), "Method", None, None),
    ("ALLoRA: Adaptive Learning Rate Mitigates LoRA Flaws", (2, 8), "Method", {5: "VBZ"}, None),
    ("LoRAPrune: Pruning Meets Low-Rank Parameter-Efficient Fine-Tuning", (2, 13), "Method", None, None),
    ("ssToken: Self-modulated and Semantic-aware Token Selection", (2, 11), "Method", None,
     ("ssToken", "Self-modulated and Semantic-aware Token Selection")),
    # the mention must open the subtitle
    ("GEAR: An Efficient KV Cache Compression Recipe", (5, 8), "Method", None, None),
])
def test_title_alias(nlp, title, ent, label, tags, expected):
    pair = title_alias(_tagged_title(nlp, title, ent, label, tags))
    assert (None if pair is None else (pair[0].text, pair[1].text)) == expected


def test_title_alias_joins_the_abbreviations_unless_the_abstract_names_the_phrase(nlp):
    text = "TransPrune: Token Transition Pruning for LVLMs\n\nWe prune tokens."
    doc = mark_title(_tagged_title(nlp, text, (2, 5), "Method"))
    pairs = AbbreviationFinder(nlp)(doc)._.kg_abbreviations
    assert [(s.text, lf.text) for s, lf in pairs] == [("TransPrune", "Token Transition Pruning")]
    # "... Adaptive Token Pruning (ATP)": the phrase has its own short name, so it is a part of ATP-LLaVA
    text = "ATP-LLaVA: Adaptive Token Pruning for LVLMs\n\nWe propose Adaptive Token Pruning (ATP)."
    doc = mark_title(_tagged_title(nlp, text, (4, 7), "Method"))
    pairs = AbbreviationFinder(nlp)(doc)._.kg_abbreviations
    assert [(s.text, lf.text) for s, lf in pairs] == [("ATP", "Adaptive Token Pruning")]


def test_title_definition_joins_the_abbreviations(nlp):
    doc = mark_title(nlp("MoMo: Momentum Models for Adaptive Learning Rates\n\nWe fit Momentum Models (MM)."))
    pairs = AbbreviationFinder(nlp)(doc)._.kg_abbreviations
    assert [(s.text, lf.text) for s, lf in pairs] == [("MoMo", "Momentum Models"), ("MM", "Momentum Models")]


@pytest.mark.parametrize("text, inner, kept", [
    # a known term before the proposal's own head word is part of it
    ("text-guided adversarial training loss", (3, 5), False),
    # the proposal only qualifies the term: "lightweight attention mechanism"
    ("lightweight attention mechanism", (1, 3), False),
    # a vague head word after a term leaves the term alone: "data selection approach"
    ("data selection approach", (0, 2), True),
    # names inside it stay mentions of their own
    ("LoRA adapter tuning", (0, 1), True),
])
def test_absorb_into_proposals(nlp, lexicon, text, inner, kept):
    doc = nlp(text)
    prop = Candidate(0, len(doc), "Method", "proposal")
    term = Candidate(*inner, "Method", "gazetteer")
    out = absorb_into_proposals(doc, [prop, term], lexicon.stopwords | lexicon.descriptors)
    assert (term in out) is kept and prop in out


@pytest.mark.parametrize("words, tags, pos, slogan", [
    (["Layer-wise", "Importance", "Matters"], ["JJ", "NNP", "VBZ"], ["ADJ", "PROPN", "VERB"], True),
    (["From", "GaLore", "to", "WeLore"], ["IN", "NNP", "IN", "NNP"], ["ADP", "PROPN", "ADP", "PROPN"], True),
    (["Catching", "the", "Details"], ["VBG", "DT", "NNS"], ["VERB", "DET", "NOUN"], True),
    (["Squeezed", "Attention"], ["VBN", "NNP"], ["VERB", "PROPN"], False),
    (["HiP", "Attention"], ["NNP", "NNP"], ["PROPN", "PROPN"], False),
])
def test_title_slogan(nlp, words, tags, pos, slogan):
    doc = Doc(nlp.vocab, words=words, tags=tags, pos=pos)
    assert title_slogan(doc[:]) is slogan


@pytest.mark.parametrize("title, expected", [
    # a hyphenated modifier opening the title belongs to the name: the paper's own kind of quantization
    ("Oscillation-free Quantization for ViTs", ("Oscillation-free Quantization", "proposal")),
    # an evaluative one does not
    ("state-of-the-art Quantization for ViTs", ("Quantization", "gazetteer")),
])
def test_extend_title_modifiers(nlp, title, expected):
    doc = nlp(title + "\n\nWe study it.")
    n = len(nlp(title.split()[0]))
    cands = [Candidate(n, n + 1, "Method", "gazetteer")]
    extend_title_modifiers(doc, cands, load_lexicon().modifiers)
    assert (doc[cands[0].start:cands[0].end].text, cands[0].source) == expected


def _proposal_doc(nlp):
    # We propose a framework , EP . EP comprises two components : soft gating and token routing .
    rows = [("We", "PRON", 1, "nsubj"), ("propose", "VERB", 1, "ROOT"), ("a", "DET", 3, "det"),
            ("framework", "NOUN", 1, "dobj"), (",", "PUNCT", 3, "punct"), ("EP", "PROPN", 3, "appos"),
            (".", "PUNCT", 1, "punct"), ("EP", "PROPN", 8, "nsubj"), ("comprises", "VERB", 8, "ROOT"),
            ("two", "NUM", 10, "nummod"), ("components", "NOUN", 8, "dobj"), (":", "PUNCT", 10, "punct"),
            ("soft", "ADJ", 13, "amod"), ("gating", "NOUN", 10, "appos"), ("and", "CCONJ", 13, "cc"),
            ("token", "NOUN", 16, "compound"), ("routing", "NOUN", 13, "conj"), (".", "PUNCT", 8, "punct")]
    lemmas = {"comprises": "comprise", "components": "component"}
    doc = parsed(nlp, *([r[k] for r in rows] for k in range(4)), [lemmas.get(r[0], r[0].lower()) for r in rows])
    doc._.kg_abbreviations = []
    return doc


def test_proposal_spans_follow_the_name_given(nlp):
    lex = Lexicon(stopwords={"framework", "components"})
    spans = [s.text for s in proposal_spans(_proposal_doc(nlp), lex)]
    # the name given after the comma comes back as the subject of "comprises": its parts are proposed too
    assert spans == ["EP", "soft gating", "token routing"]


def test_proposal_spans_without_a_noun_chunk(nlp, lexicon):
    # We introduce adaptive feature scaling .  ("scaling" read as a gerund: no noun chunk)
    words = ["We", "introduce", "adaptive", "feature", "scaling", "."]
    doc = Doc(nlp.vocab, words=words, pos=["PRON", "VERB", "ADJ", "NOUN", "VERB", "PUNCT"],
              tags=["PRP", "VBP", "JJ", "NN", "VBG", "."], heads=[1, 1, 4, 4, 1, 1],
              deps=["nsubj", "ROOT", "amod", "compound", "dobj", "punct"],
              lemmas=["we", "introduce", "adaptive", "feature", "scale", "."])
    doc._.kg_abbreviations = []
    assert [s.text for s in proposal_spans(doc, lexicon)] == ["adaptive feature scaling"]


def test_listed_abbreviation_spelled_out_anew_by_the_title(nlp):
    # Sharp Minimization for Generalization \n\n We propose Sharp Minimization ( SAM ) . SAM is fast .
    words = ["Sharp", "Minimization", "for", "Generalization", "\n\n", "We", "propose", "Sharp", "Minimization",
             "(", "SAM", ")", ".", "SAM", "is", "fast", "."]
    pos = ["PROPN", "PROPN", "ADP", "PROPN", "SPACE", "PRON", "VERB", "PROPN", "PROPN", "PUNCT", "PROPN", "PUNCT",
           "PUNCT", "PROPN", "AUX", "ADJ", "PUNCT"]
    heads = [1, 1, 1, 2, 3, 6, 6, 8, 6, 8, 8, 8, 6, 14, 14, 14, 14]
    deps = ["compound", "ROOT", "prep", "pobj", "dep", "nsubj", "ROOT", "compound", "dobj", "punct", "appos",
            "punct", "punct", "nsubj", "ROOT", "acomp", "punct"]

    def roles(terms):
        doc = parsed(nlp, words, pos, heads, deps, [{"is": "be"}.get(w, w.lower()) for w in words])
        doc._.kg_abbreviations = [(doc[10:11], doc[7:9])]
        doc._.kg_candidates = [Candidate(7, 9, None, "long"), Candidate(10, 11, None, "short"),
                               Candidate(13, 14, "Method", "ner")]
        EntityAssembler(nlp, lexicon=Lexicon(terms=terms))(doc)
        return {e.name: e.role for e in doc._.kg_entities.values()}

    # "SAM" is listed (the Segment Anything Model), but this title spells it out as its own method
    assert roles({"SAM": "Model"}) == {"SAM": "proposed"}
    # a listed long form is the listed thing
    assert roles({"SAM": "Model", "Sharp Minimization": "Method"})["SAM"] != "proposed"


@pytest.mark.parametrize("word, pos, expected", [
    ("Terminator", "PROPN", ["Terminator architecture"]),  # a name before a vague head says what it is
    ("sampling", "NOUN", []),                              # one common word does not
])
def test_proposal_spans_vague_head_after_a_name(nlp, lexicon, word, pos, expected):
    # We present a novel <word> architecture .
    words = ["We", "present", "a", "novel", word, "architecture", "."]
    doc = Doc(nlp.vocab, words=words, pos=["PRON", "VERB", "DET", "ADJ", pos, "NOUN", "PUNCT"],
              heads=[1, 1, 5, 5, 5, 1, 1], deps=["nsubj", "ROOT", "det", "amod", "compound", "dobj", "punct"],
              lemmas=[w.lower() for w in words], sent_starts=[True] + [False] * 6)
    doc._.kg_abbreviations = []
    assert [s.text for s in proposal_spans(doc, lexicon)] == expected


@pytest.mark.parametrize("text, tokens", [
    ("Adaptive Precision Training (AdaPT): A", ["Adaptive", "Precision", "Training", "(", "AdaPT", ")", ":", "A"]),
    ("Integrator Sampler~(DEIS).", ["Integrator", "Sampler", "~", "(", "DEIS", ")", "."]),
    ("as Sanghavi~jns13 showed", ["as", "Sanghavi", "~", "jns13", "showed"]),
    ("by ~33.5% on", ["by", "~33.5", "%", "on"]),
    ("Monte Carlo (MC)-based", ["Monte", "Carlo", "(", "MC", ")", "-", "based"]),
    ("non-i.i.d. data-driven", ["non", "-", "i.i.d", ".", "data", "-", "driven"]),
])
def test_prose_tokenizer(text, tokens):
    assert [t.text for t in prose_tokenizer(spacy.blank("en"))(text)] == tokens


def test_prose_tokenizer_defines_tilde_abbreviations():
    nlp = prose_tokenizer(spacy.blank("en"))
    register_extensions()
    doc = nlp("We propose Diffusion Exponential Integrator Sampler~(DEIS).")
    AbbreviationFinder(nlp)(doc)
    pairs = [(short.text, long_.text) for short, long_ in doc._.kg_abbreviations]
    assert pairs == [("DEIS", "Diffusion Exponential Integrator Sampler")]


@pytest.mark.parametrize("text, expected", [
    ('We introduce a novel asymmetric loss ("ASL"), which operates differently.', [("ASL", "asymmetric loss")]),
    ("It combines Token Transition Variation (TTV)-which measures change.", [("TTV", "Token Transition Variation")]),
    ("We use Monte Carlo (MC)-based estimates.", [("MC", "Monte Carlo")]),
    ('We call it "fast" ("quick") here.', []),
])
def test_abbreviations_quoted_or_hyphen_glued(text, expected):
    nlp = prose_tokenizer(spacy.blank("en"))
    register_extensions()
    doc = nlp(text)
    AbbreviationFinder(nlp)(doc)
    assert [(short.text, long_.text) for short, long_ in doc._.kg_abbreviations] == expected


def _rows(nlp, rows, spaces=None):
    """A Doc from (word, pos, tag, head, dep) rows, heads as absolute token indices."""
    return Doc(nlp.vocab, words=[r[0] for r in rows], pos=[r[1] for r in rows], tags=[r[2] for r in rows],
               heads=[r[3] for r in rows], deps=[r[4] for r in rows], spaces=spaces,
               lemmas=[{"termed": "term"}.get(r[0], r[0].lower()) for r in rows])


def test_written_extensions_grow_a_description_to_its_noun_phrase(nlp, lexicon):
    # We propose a novel adaptively adjustable loss function .
    doc = _rows(nlp, [("We", "PRON", "PRP", 1, "nsubj"), ("propose", "VERB", "VBP", 1, "ROOT"),
                      ("a", "DET", "DT", 7, "det"), ("novel", "ADJ", "JJ", 7, "amod"),
                      ("adaptively", "ADV", "RB", 5, "advmod"), ("adjustable", "ADJ", "JJ", 7, "amod"),
                      ("loss", "NOUN", "NN", 7, "compound"), ("function", "NOUN", "NN", 1, "dobj"),
                      (".", "PUNCT", ".", 1, "punct")])
    # the modifiers of its words up to the evaluative "novel", and the kind noun the mention modifies
    assert written_extensions(doc[5:7], lexicon.modifiers, {"function"}) == [
        "adaptively adjustable loss", "adjustable loss function", "adaptively adjustable loss function"]
    # "adjustable" modifies "function", not "loss"
    assert written_extensions(doc[6:7], lexicon.modifiers, {"function"}) == ["loss function"]
    assert written_extensions(doc[4:8], lexicon.modifiers, {"function"}) == []
    # a noun after it that is not a kind of technique changes what it is ("sampling limits")
    assert written_extensions(doc[6:7], lexicon.modifiers, {"method"}) == []


def _pp_doc(nlp, prep, prep_pos, prep_head, obj):
    # We present fast estimates <prep> <obj> .
    rows = [("We", "PRON", "PRP", 1, "nsubj"), ("present", "VERB", "VBP", 1, "ROOT"),
            ("fast", "ADJ", "JJ", 3, "amod"), ("estimates", "NOUN", "NNS", 1, "dobj"),
            (prep, prep_pos, "IN" if prep_pos == "ADP" else "TO", prep_head, "prep" if prep_pos == "ADP" else "aux")]
    return _rows(nlp, rows + obj + [(".", "PUNCT", ".", 1, "punct")])


@pytest.mark.parametrize("prep, prep_pos, prep_head, obj, pp", [
    # "of a lower bound": its object is the participle the tagger made of "bound"
    ("of", "ADP", 3, [("a", "DET", "DT", 7, "det"), ("lower", "ADV", "RBR", 7, "advmod"),
                      ("bound", "VERB", "VBN", 4, "pobj")], "of a lower bound"),
    ("via", "ADP", 1, [("grouping", "NOUN", "NN", 4, "pobj")], "via grouping"),
    # "on" belongs to the description only when the parse attaches it there
    ("on", "ADP", 3, [("learning", "NOUN", "NN", 6, "compound"), ("rates", "NOUN", "NNS", 4, "pobj")],
     "on learning rates"),
    ("on", "ADP", 1, [("ImageNet", "PROPN", "NNP", 4, "pobj")], None),
    # an infinitive is no object
    ("to", "PART", 5, [("reduce", "VERB", "VB", 3, "relcl"), ("memory", "NOUN", "NN", 5, "dobj")], None),
    # a short object only, ending where its noun phrase ends
    ("of", "ADP", 3, [("the", "DET", "DT", 10, "det"), ("batch", "NOUN", "NN", 10, "compound"),
                      ("loss", "NOUN", "NN", 10, "compound"), ("landscape", "NOUN", "NN", 10, "compound"),
                      ("curvature", "NOUN", "NN", 10, "compound"), ("estimation", "NOUN", "NN", 4, "pobj")],
     None),
])
def test_written_extensions_prepositional_object(nlp, lexicon, prep, prep_pos, prep_head, obj, pp):
    doc = _pp_doc(nlp, prep, prep_pos, prep_head, obj)
    expected = ["fast estimates"] + ([f"estimates {pp}", f"fast estimates {pp}"] if pp else [])
    assert written_extensions(doc[3:4], lexicon.modifiers) == expected


def test_written_extensions_stop_at_naming_verbs_and_inside_words(nlp, lexicon):
    # a scheme termed finite scalar quantization: "termed" names it, it does not describe it
    doc = _rows(nlp, [("a", "DET", "DT", 1, "det"), ("scheme", "NOUN", "NN", 1, "ROOT"),
                      ("termed", "VERB", "VBN", 5, "amod"), ("finite", "ADJ", "JJ", 5, "amod"),
                      ("scalar", "ADJ", "JJ", 5, "amod"), ("quantization", "NOUN", "NN", 1, "appos")])
    assert written_extensions(doc[3:6], lexicon.modifiers) == []
    # an adverb belongs to it only on an adjective: "namely matching loss" is not a longer name
    doc = _rows(nlp, [("namely", "ADV", "RB", 2, "advmod"), ("matching", "NOUN", "NN", 2, "compound"),
                      ("loss", "NOUN", "NN", 2, "ROOT")])
    assert written_extensions(doc[1:3], lexicon.modifiers) == []
    # a 2-bit weight quantizer: never the word part "bit weight quantizer"
    doc = _rows(nlp, [("a", "DET", "DT", 5, "det"), ("2", "NUM", "CD", 3, "nummod"),
                      ("-", "PUNCT", "HYPH", 3, "punct"), ("bit", "NOUN", "NN", 5, "compound"),
                      ("weight", "NOUN", "NN", 5, "compound"), ("quantizer", "NOUN", "NN", 5, "ROOT")],
                spaces=[True, False, False, True, True, False])
    assert written_extensions(doc[4:6], lexicon.modifiers) == []
    # with a word before it, the whole hyphenated word comes along
    doc = _rows(nlp, [("a", "DET", "DT", 5, "det"), ("weight", "NOUN", "NN", 3, "npadvmod"),
                      ("-", "PUNCT", "HYPH", 3, "punct"), ("sharing", "VERB", "VBG", 5, "amod"),
                      ("quantization", "NOUN", "NN", 5, "compound"), ("supernet", "NOUN", "NN", 5, "ROOT")],
                spaces=[True, False, False, True, True, False])
    assert written_extensions(doc[4:6], lexicon.modifiers) == ["weight-sharing quantization supernet"]


def test_assembler_names_a_described_contribution_by_its_fuller_forms(nlp):
    # We propose adaptive feature scaling . FooNet uses feature scaling .
    rows = [("We", "PRON", "PRP", 1, "nsubj"), ("propose", "VERB", "VBP", 1, "ROOT"),
            ("adaptive", "ADJ", "JJ", 4, "amod"), ("feature", "NOUN", "NN", 4, "compound"),
            ("scaling", "NOUN", "NN", 1, "dobj"), (".", "PUNCT", ".", 1, "punct"),
            ("FooNet", "PROPN", "NNP", 7, "nsubj"), ("uses", "VERB", "VBZ", 7, "ROOT"),
            ("feature", "NOUN", "NN", 9, "compound"), ("scaling", "NOUN", "NN", 7, "dobj"),
            (".", "PUNCT", ".", 7, "punct")]
    doc = _rows(nlp, rows)
    doc._.kg_abbreviations = []
    doc._.kg_candidates = [Candidate(3, 5, "Method", "ner"), Candidate(6, 7, "Method", "ner"),
                           Candidate(8, 10, "Method", "ner")]
    EntityAssembler(nlp, lexicon=Lexicon(modifiers=load_lexicon().modifiers))(doc)
    ents = {e.name: e for e in doc._.kg_entities.values()}
    assert ents["feature scaling"].role == "proposed"
    assert ents["feature scaling"].aliases == ["adaptive feature scaling"]
    # a name is its own name: "robust FooNet" is not another form of it
    doc = _rows(nlp, [("We", "PRON", "PRP", 1, "nsubj"), ("propose", "VERB", "VBP", 1, "ROOT"),
                      ("robust", "ADJ", "JJ", 3, "amod"), ("FooNet", "PROPN", "NNP", 1, "dobj"),
                      (".", "PUNCT", ".", 1, "punct")])
    doc._.kg_abbreviations = []
    doc._.kg_candidates = [Candidate(3, 4, "Method", "ner")]
    EntityAssembler(nlp, lexicon=Lexicon(modifiers=load_lexicon().modifiers))(doc)
    (foonet,) = doc._.kg_entities.values()
    assert (foonet.name, foonet.role, foonet.aliases) == ("FooNet", "proposed", [])


def _joined_doc(nlp):
    # We propose a PEFT scheme . PEFT is popular . The HRR module helps .
    rows = [("We", "PRON", "PRP", 1, "nsubj"), ("propose", "VERB", "VBP", 1, "ROOT"), ("a", "DET", "DT", 4, "det"),
            ("PEFT", "PROPN", "NNP", 4, "compound"), ("scheme", "NOUN", "NN", 1, "dobj"),
            (".", "PUNCT", ".", 1, "punct"), ("PEFT", "PROPN", "NNP", 7, "nsubj"), ("is", "AUX", "VBZ", 7, "ROOT"),
            ("popular", "ADJ", "JJ", 7, "acomp"), (".", "PUNCT", ".", 7, "punct"), ("The", "DET", "DT", 13, "det"),
            ("HRR", "PROPN", "NNP", 12, "compound"), ("module", "NOUN", "NN", 13, "nsubj"),
            ("helps", "VERB", "VBZ", 13, "ROOT"), (".", "PUNCT", ".", 13, "punct")]
    doc = _rows(nlp, rows)
    doc._.kg_abbreviations = []
    return doc


@pytest.mark.parametrize("text, name", [
    ("LoRA adapter", "LoRA"), ("SSIM value", "SSIM"), ("CoLoR-Filter data", "CoLoR-Filter"),
    # not a name, a Title-Case word (part of a name), or no noun after it
    ("KV cache", "KV"), ("low-rank adapter", None), ("LoRA Adapters", None), ("LoRA", None),
])
def test_name_with_noun(text, name):
    doc = spacy.blank("en")(text)
    for tok in doc:
        tok.pos_ = "NOUN" if tok.text.islower() else "PROPN"
    named = name_with_noun(doc[:])
    assert (named.text if named is not None else None) == name


def test_a_name_with_a_noun_joins_the_name_but_keeps_its_role(nlp):
    doc = _joined_doc(nlp)
    cands = [Candidate(3, 5, "Method", "ner"), Candidate(6, 7, "Method", "ner"), Candidate(11, 13, "Method", "ner")]
    doc._.kg_candidates = cands
    assert group_candidates(doc, cands) == [[0, 1], [2]]
    EntityAssembler(nlp, lexicon=Lexicon())(doc)
    ents = {e.name: e for e in doc._.kg_entities.values()}
    # "a PEFT scheme" is proposed, PEFT itself is not: the role and name are those of "PEFT" alone
    assert ents["PEFT"].role != "proposed" and ents["PEFT"].aliases == ["PEFT scheme"]
    # alone, "the HRR module" is its own entity
    assert "HRR module" in ents
    # alone, "a PEFT scheme" is the proposal
    doc._.kg_candidates = cands[:1]
    EntityAssembler(nlp, lexicon=Lexicon())(doc)
    assert [e.role for e in doc._.kg_entities.values()] == ["proposed"]
    # never across types
    cands = [Candidate(3, 5, "Method", "ner"), Candidate(6, 7, "Dataset", "ner")]
    doc._.kg_candidates = cands
    assert group_candidates(doc, cands) == [[0], [1]]
