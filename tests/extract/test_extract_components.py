"""The kg_* extraction components and their pure helpers, on hand-built docs over ``spacy.blank("en")``."""

import pytest
import spacy
from spacy.tokens import Doc

from kg.errors import InputError
from kg.extract.abbreviations import AbbreviationFinder, find_definitions
from kg.extract.assemble import EntityAssembler, choose_name, choose_type, entity_is_generic, group_candidates
from kg.extract.candidates import Candidate, CandidateFinder, name_spans, resolve_overlaps, trim_span
from kg.extract.entity_types import is_generic, is_name_like, norm_key, shape_type
from kg.extract.extensions import SPAN_KEY, register_extensions
from kg.extract.lexicon import Lexicon, load_lexicon, read_table
from kg.extract.roles import baseline_tokens, best_role, mention_role, proposal_heads, title_names
from kg.extract.sentences import mark_title, title_end


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
])
def test_find_definitions(nlp, text, pairs):
    finder = AbbreviationFinder(nlp)
    doc = finder(nlp(text))
    assert [(s.text, l.text) for s, l in doc._.kg_abbreviations] == pairs
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
                                       ("llama 2", "llama2"), ("CIFAR-10", "cifar10"), ("loss", "loss")])
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
