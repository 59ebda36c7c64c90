"""The cached lemmatizer gives spaCy's rule lemmatizer's lemmas (kg/extract/lemmas.py)."""

import spacy
from spacy.lookups import Lookups
from spacy.tokens import Doc

from kg.extract.lemmas import IndexList, LemmaCache, cache_lemmatizer

#: Tables of the shape of spacy-lookups-data's English ``lemma_*`` tables, cut to a few words.
TABLES = {
    "lemma_rules": {"noun": [["s", ""], ["ies", "y"], ["es", "e"]], "verb": [["s", ""], ["ing", ""], ["ed", "e"],
                                                                             ["ed", ""]], "adj": [["er", ""]]},
    "lemma_exc": {"noun": {"data": ["datum"]}, "verb": {"ran": ["run"]}},
    "lemma_index": {"noun": ["model", "query", "datum", "base"], "verb": ["train", "use", "run"], "adj": ["fast"]},
}
#: (word, pos, morph) rows: base forms, inflections, exceptions, words no rule knows, punctuation.
ROWS = [("Models", "NOUN", "Number=Plur"), ("queries", "NOUN", "Number=Plur"), ("data", "NOUN", "Number=Plur"),
        ("data", "NOUN", "Number=Sing"), ("trains", "VERB", "Number=Sing|Person=3|Tense=Pres|VerbForm=Fin"),
        ("used", "VERB", "Tense=Past|VerbForm=Fin"), ("ran", "VERB", "Tense=Past|VerbForm=Fin"),
        ("faster", "ADJ", "Degree=Cmp"), ("LoRA", "PROPN", "Number=Sing"), ("zorbs", "NOUN", "Number=Plur"),
        (".", "PUNCT", "PunctType=Peri"), ("Models", "NOUN", "Number=Plur"), ("models", "NOUN", "Number=Sing")]


def _nlp():
    nlp = spacy.blank("en")
    lemmatizer = nlp.add_pipe("lemmatizer", config={"mode": "rule"})
    lookups = Lookups()
    for name, table in TABLES.items():
        lookups.add_table(name, table)
    lemmatizer.initialize(lookups=lookups)
    return nlp


def _lemmas(nlp):
    words, pos, morphs = zip(*ROWS)
    doc = Doc(nlp.vocab, words=list(words), pos=list(pos), morphs=list(morphs))
    return [t.lemma_ for t in nlp.get_pipe("lemmatizer")(doc)]


def test_same_lemmas_as_spacy():
    plain, cached = _nlp(), _nlp()
    before = cached.get_pipe("lemmatizer").lookups.to_bytes()
    assert isinstance(cache_lemmatizer(cached), LemmaCache)
    assert cache_lemmatizer(cached) is None  # installed once
    assert _lemmas(cached) == _lemmas(plain) == _lemmas(cached)
    assert _lemmas(plain)[:3] == ["model", "query", "datum"]
    lemmatizer = cached.get_pipe("lemmatizer")
    assert isinstance(lemmatizer.lookups.get_table("lemma_index")["noun"], IndexList)
    assert lemmatizer.lookups.to_bytes() == before  # the tables serialize as before


def test_no_lemmatizer():
    assert cache_lemmatizer(spacy.blank("en")) is None
