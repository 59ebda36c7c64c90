"""RuleIndex finds the attribute ruler's matches as spaCy's Matcher does (kg/extract/rule_index.py)."""

import pytest
import spacy
from spacy.pipeline import AttributeRuler
from spacy.tokens import Doc

from kg.extract.rule_index import RuleIndex, index_attribute_ruler

#: Rules of the shapes the English model's ruler holds (en_core_web_sm 3.x attribute_ruler patterns).
RULES = [
    ([[{"TAG": "NN"}]], {"POS": "NOUN"}, 0),
    ([[{"TAG": "VBD", "LOWER": "was"}]], {"LEMMA": "be", "POS": "AUX"}, 0),
    ([[{"LOWER": "it", "DEP": "nsubj"}]], {"MORPH": "Case=Nom"}, 0),
    ([[{"LOWER": "it", "DEP": {"IN": ["dobj", "pobj"]}}]], {"MORPH": "Case=Acc"}, 0),
    ([[{"TAG": {"NOT_IN": ["TO", ""]}, "DEP": {"IN": ["aux", "auxpass"]}}]], {"POS": "AUX"}, 0),
    ([[{"DEP": {"NOT_IN": ["det", ""]}, "TAG": {"IN": ["DT", "WDT"]}}]], {"POS": "PRON"}, 0),
    ([[{"DEP": "expl"}, {"LOWER": {"IN": ["is", "are"]}}]], {"POS": "VERB"}, 1),
    ([[{"LOWER": {"REGEX": "^n[ou]thin'$"}}]], {"LEMMA": "nothing"}, 0),
    ([[{"TAG": "VBZ", "LOWER": "gets"}], [{"TAG": "VBD", "LOWER": "got"}]], {"LEMMA": "get"}, 0),
    ([[{"IS_SPACE": True, "DEP": {"NOT_IN": [""]}}]], {"DEP": "dep"}, 0),
    ([[{"IS_SPACE": True}]], {"TAG": "_SP"}, 0),
]


@pytest.fixture
def ruler():
    nlp = spacy.blank("en")
    ruler = AttributeRuler(nlp.vocab)
    for patterns, attrs, index in RULES:
        ruler.add(patterns, attrs, index)
    return ruler


def _doc(ruler, rows):
    words, tags, deps = zip(*rows)
    return Doc(ruler.vocab, words=list(words), tags=list(tags), deps=list(deps), heads=[0] * len(rows))


@pytest.mark.parametrize("rows", [
    [("There", "EX", "expl"), ("is", "VBZ", "ROOT"), ("nothin'", "NN", "attr"), ("it", "PRP", "dobj")],
    [("It", "PRP", "nsubj"), ("was", "VBD", "aux"), ("got", "VBD", "ROOT"), ("that", "DT", "nsubj"),
     ("the", "DT", "det"), ("\n", "_SP", "dep"), ("to", "TO", "aux"), ("gets", "VBZ", "conj")],
])
def test_same_matches(ruler, rows):
    doc = _doc(ruler, rows)
    expected = AttributeRuler.match(ruler, doc)
    assert RuleIndex(ruler)(doc) == expected
    assert len(expected) >= 4


def test_same_attributes_and_new_rules():
    nlp = spacy.blank("en")
    plain, indexed = (nlp.add_pipe("attribute_ruler", name=n) for n in ("plain", "indexed"))
    for r in (plain, indexed):
        for patterns, attrs, index in RULES:
            r.add(patterns, attrs, index)
    index_attribute_ruler(nlp, "indexed")
    rows = [("It", "PRP", "nsubj"), ("was", "VBD", "aux"), ("that", "DT", "nsubj"), ("gets", "VBZ", "ROOT")]
    for r in (plain, indexed):
        r.add([[{"LOWER": "that"}]], {"LEMMA": "this"})  # added after the index was built
    a, b = plain(_doc(plain, rows)), indexed(_doc(indexed, rows))
    assert [(t.pos_, t.lemma_, str(t.morph)) for t in a] == [(t.pos_, t.lemma_, str(t.morph)) for t in b]
    assert b[2].lemma_ == "this"


def test_dependency_matcher_same_matches():
    from conftest import parsed
    from spacy.matcher import DependencyMatcher

    from kg.extract.rule_index import IndexedDependencyMatcher

    nlp = spacy.blank("en")
    doc = parsed(nlp, [("We", "PRON", 1, "nsubj"), ("propose", "VERB", 1, "ROOT", "propose"),
                       ("LoRA", "PROPN", 1, "dobj"), ("and", "CCONJ", 2, "cc"), ("DoRA", "PROPN", 2, "conj"),
                       (".", "PUNCT", 1, "punct"), ("It", "PRON", 7, "nsubj"), ("beats", "VERB", 7, "ROOT", "beat"),
                       ("Adam", "PROPN", 7, "dobj")])
    pattern = [{"RIGHT_ID": "v", "RIGHT_ATTRS": {"LEMMA": {"IN": ["propose", "beat"]}, "POS": "VERB"}},
               {"LEFT_ID": "v", "REL_OP": ">", "RIGHT_ID": "x", "RIGHT_ATTRS": {"DEP": {"IN": ["dobj", "conj"]}}},
               {"LEFT_ID": "v", "REL_OP": ">", "RIGHT_ID": "s", "RIGHT_ATTRS": {"DEP": {"NOT_IN": ["dobj"]},
                                                                               "LOWER": {"IN": ["we", "it"]}}}]
    plain, indexed = DependencyMatcher(nlp.vocab), IndexedDependencyMatcher(nlp.vocab)
    for m in (plain, indexed):
        m.add("p", [pattern])
    assert sorted(map(str, indexed(doc))) == sorted(map(str, plain(doc)))
    assert len(indexed(doc)) == 2 and indexed._node_index() is not None
