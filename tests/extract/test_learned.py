"""The learned decisions of extraction: term statistics, classifiers, mention choice, candidate pairs and roles
(hand-built docs over ``spacy.blank("en")``; no trained model needed)."""

import numpy as np
import pytest
import spacy
from conftest import parsed

from kg.extract.analysis import DocAnalysis
from kg.extract.candidates import Candidate
from kg.extract.extensions import SPAN_KEY, register_extensions
from kg.extract.lexicon import load_lexicon
from kg.extract.mentions import MENTION_CLASSES, choose, phrase_spans, span_features
from kg.extract.models import Classifier, fit
from kg.extract.relation_features import PAIR_CLASSES, dep_path, pair_candidates
from kg.extract.relation_patterns import load_cues
from kg.extract.relation_rules import Ref
from kg.extract.relations import decide
from kg.extract.role_features import ROLE_CLASSES, decide_role, entity_features
from kg.extract.termstats import STAT_FEATURES, TermStats
from kg.records import Entity, Relation


@pytest.fixture(scope="module")
def nlp():
    register_extensions()
    return spacy.blank("en")


# We propose a sparse attention kernel .
PROPOSE = [("We", "PRON", 1, "nsubj"), ("propose", "VERB", 1, "ROOT"), ("a", "DET", 5, "det"),
           ("sparse", "ADJ", 5, "amod"), ("attention", "NOUN", 5, "compound"), ("kernel", "NOUN", 1, "dobj"),
           (".", "PUNCT", 1, "punct")]
# LoRA outperforms Adapters on GLUE .
BEATS = [("LoRA", "PROPN", 1, "nsubj"), ("outperforms", "VERB", 1, "ROOT", "outperform"), ("Adapters", "PROPN", 1, "dobj"),
         ("on", "ADP", 1, "prep"), ("GLUE", "PROPN", 3, "pobj"), (".", "PUNCT", 1, "punct")]


def test_termstats_leave_one_out_and_round_trip(tmp_path):
    stats = TermStats().add("a", [("accuracy", "accuracy", "Metric"), ("training", "training", "O")])
    stats.add("b", [("accuracy", "accuracy", "Metric")]).add("c", [("training", "training", "O")])
    seen, rate, *_ = stats.features("accuracy", "accuracy")
    assert seen == 2 and rate > 0.6
    assert stats.features("accuracy", "accuracy", exclude="a")[:2] == [1, pytest.approx(1.1 / 2)]
    assert stats.features("training", "training")[1] < 0.1
    assert len(stats.features("unseen", "unseen")) == len(STAT_FEATURES)
    stats.to_disk(tmp_path / "t.json")
    again = TermStats.from_disk(tmp_path / "t.json")
    assert again.features("accuracy", "accuracy") == stats.features("accuracy", "accuracy")


def test_classifier_fits_separable_data_and_round_trips(tmp_path):
    rows = [{"x": float(i), "noise": float(i % 3)} for i in range(60)]
    labels = ["a" if i < 30 else "b" for i in range(60)]
    clf = fit(rows, labels, ["a", "b"], rounds=60, params={"min_data_in_leaf": 5})
    probs = clf.predict([{"x": 2.0}, {"x": 55.0}])
    assert probs.shape == (2, 2) and probs[0, 0] > 0.8 and probs[1, 1] > 0.8
    clf.thresholds = {"*": 0.3}
    clf.to_disk(tmp_path / "m")
    again = Classifier.from_disk(tmp_path / "m")
    assert again.classes == ["a", "b"] and again.threshold("b") == 0.3
    assert np.allclose(again.predict([{"x": 2.0}]), clf.predict([{"x": 2.0}]))
    assert clf.predict([]).shape == (0, 2)


def test_choose_keeps_the_most_probable_non_overlapping_spans():
    cands = [Candidate(0, 3, "Method", "ner"), Candidate(1, 3, None, "phrase"), Candidate(1, 3, "Method", "gazetteer"),
             Candidate(5, 6, None, "phrase"), Candidate(7, 8, None, "phrase")]
    spans = [(0, 3), (1, 3), (5, 6), (7, 8)]
    k = {c: i for i, c in enumerate(MENTION_CLASSES)}
    probs = np.zeros((4, len(MENTION_CLASSES)))
    probs[0, [k["O"], k["Method"]]] = 0.45, 0.55  # longer, less sure
    probs[1, [k["O"], k["Task"]]] = 0.1, 0.9      # inside it, surer: wins
    probs[2, [k["O"], k["Generic"], k["Model"]]] = 0.2, 0.5, 0.3
    probs[3, [k["O"], k["Metric"]]] = 0.8, 0.2    # below the threshold
    out = choose(cands, spans, probs, MENTION_CLASSES, threshold=0.5)
    assert [(c.start, c.end, c.type, c.generic, c.sources) for c in out] == [
        (1, 3, "Task", False, ("gazetteer", "phrase")), (5, 6, "Model", True, ("phrase",))]
    assert out[0].source == "gazetteer" and out[0].confidence == pytest.approx(0.9)


def test_phrase_spans_are_head_final_sub_phrases(nlp):
    doc = parsed(nlp, PROPOSE)
    assert [s.text for s in phrase_spans(doc, load_lexicon())] == [
        "sparse attention kernel", "attention kernel", "kernel"]


def test_span_features_describe_sources_and_scopes(nlp):
    doc = parsed(nlp, PROPOSE)
    cands = [Candidate(3, 6, "Method", "proposal"), Candidate(3, 6, None, "phrase"), Candidate(4, 6, None, "phrase")]
    analysis = DocAnalysis(None, None, {"proposed": {5}, "own": {0}}, [])
    spans, rows = span_features(doc, cands, load_lexicon(), analysis)
    assert spans == [(3, 6), (4, 6)]
    assert rows[0]["src_proposal"] == 1 and rows[0]["src_phrase"] == 1 and rows[0]["n_sources"] == 2
    assert rows[0]["type_vote_Method"] == 1 and rows[0]["scope_proposed"] == 1 and rows[0]["own_sentence"] == 1
    assert rows[1]["inside_other"] == 1 and rows[0]["contains_other"] == 1 and rows[0]["n_tokens"] == 3


def _beats_doc(nlp):
    doc = parsed(nlp, BEATS)
    ents = {"lora": Entity("LoRA", "Method", "proposed", confidence=0.9),
            "adapters": Entity("Adapters", "Method", "baseline", confidence=0.9),
            "glue": Entity("GLUE", "Dataset", "used", confidence=0.9)}
    spans = []
    for (s, e), key in (((0, 1), "lora"), ((2, 3), "adapters"), ((4, 5), "glue")):
        span = doc[s:e]
        span.kb_id_ = key
        span.label_ = ents[key].type
        spans.append(span)
    doc.spans[SPAN_KEY] = spans
    doc._.kg_entities = ents
    refs = [Ref(s.start, s.end, s.kb_id_, ents[s.kb_id_]) for s in spans]
    return doc, ents, refs


def test_pair_candidates_and_features(nlp):
    doc, ents, refs = _beats_doc(nlp)
    rules = [Relation("LoRA", "outperforms", "Adapters", "LoRA outperforms Adapters", 0, 25, 0.8)]
    pairs, rows = pair_candidates(doc, refs, "lora", rules, load_cues())
    assert [(p.a.key, p.b.key, p.how) for p in pairs] == [("lora", "adapters", "sentence"), ("lora", "glue", "sentence"),
                                                         ("adapters", "glue", "sentence")]
    first = rows[0]
    assert first["rule_outperforms"] == 0.8 and first["rule_outperforms_rev"] == 0
    assert first["mid_outperform_verbs"] == 1 and first["anchor_a"] == 1 and first["subject_a"] == 1
    assert rows[1]["prep_b"] > 0  # GLUE hangs from "on"
    assert [t.text for t in dep_path(doc[0], doc[4])] == ["LoRA", "outperforms", "on", "GLUE"]


def test_pair_features_read_role_probabilities_and_derived_names(nlp):
    doc, ents, refs = _beats_doc(nlp)
    _, rows = pair_candidates(doc, refs, "lora", [], load_cues())
    assert rows[0]["p_baseline_b"] == -1 and rows[0]["built_on_a"] == 0  # no role classifier decided: unknown
    doc._.kg_role_probs = {"adapters": {"baseline": 0.7, "used": 0.2}, "lora": {"proposed": 0.9}}
    ents["lora"].name = "LoRA-Adapters"  # a name built on the other's
    _, rows = pair_candidates(doc, refs, "lora", [], load_cues())
    assert rows[0]["p_baseline_b"] == 0.7 and rows[0]["p_used_b"] == 0.2 and rows[0]["p_proposed_a"] == 0.9
    assert rows[0]["built_on_b"] == 1 and rows[0]["built_on_a"] == 0


def test_decide_takes_each_class_above_its_threshold_with_rule_evidence(nlp):
    doc, ents, refs = _beats_doc(nlp)
    rules = [Relation("LoRA", "outperforms", "Adapters", "LoRA outperforms Adapters", 0, 25, 0.8,
                      ["relations.compare"])]
    pairs, _ = pair_candidates(doc, refs, "lora", rules, load_cues())
    k = {c: i for i, c in enumerate(PAIR_CLASSES)}
    probs = np.zeros((3, len(PAIR_CLASSES)))
    probs[0, k["outperforms"]] = 0.7
    probs[1, k["evaluatedOn"]] = 0.6
    probs[2, k["none"]] = 0.9
    rels = decide(doc, pairs, probs, PAIR_CLASSES, lambda c: 0.5, rules)
    assert [(r.subject, r.predicate, r.object, r.confidence) for r in rels] == [
        ("LoRA", "outperforms", "Adapters", 0.7), ("LoRA", "evaluatedOn", "GLUE", 0.6)]
    assert rels[0].evidence == "LoRA outperforms Adapters" and rels[0].provenance == ["relations.compare", "model:relation"]
    assert rels[1].evidence == doc.text.strip() and rels[1].provenance == ["model:relation"]


def test_role_features_and_decision(nlp):
    doc, ents, refs = _beats_doc(nlp)
    analysis = DocAnalysis(None, None, {"proposed": {0}, "baseline": {2}, "used": set(), "own": {0}, "title": range(0),
                                        "title_end": None, "appos": set(), "means": set(), "named": set(),
                                        "winner": set(), "title_def": set(), "negated": set()}, [])
    keys, rows = entity_features(doc, ents, analysis)
    row = dict(zip(keys, rows))
    assert row["lora"]["vote_proposed"] == 1 and row["adapters"]["vote_baseline"] == 1
    assert row["glue"]["vote_used"] == 1 and row["lora"]["rule_role"] == 0
    probs = [0.0, 0.0, 0.1, 0.6, 0.2, 0.1]
    assert decide_role(ents["adapters"], probs, ROLE_CLASSES) == ("baseline", 0.6)
    assert decide_role(ents["glue"], probs, ROLE_CLASSES) == ("used", 0.667)
