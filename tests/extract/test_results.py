"""Tests of the ``kg_results`` component (the kg.extract.results package) and its pattern file.

Every example sentence of the pattern file is a test. The attachment rules run on hand-built docs: the prose
tokenizer over ``spacy.blank("en")`` with entity mentions set by hand (no parse: the rules fall back to word
order); the ``model`` tests parse real sentences with the English pipeline.
"""

import json

import pytest
import spacy

from kg.errors import InputError
from kg.extract.extensions import SPAN_KEY, register_extensions
from kg.extract.results import (PATTERNS_PATH, PatternMatchers, canonical_token, extract_results, find_numbers,
                                load_patterns)
from kg.extract.tokenizer import prose_tokenizer
from kg.records import Entity

PATTERNS = load_patterns()


@pytest.fixture(scope="module")
def nlp():
    register_extensions()
    return prose_tokenizer(spacy.blank("en"))


@pytest.fixture(scope="module")
def matchers(nlp):
    return PatternMatchers(nlp.vocab, PATTERNS)


#: Parts of speech of the function words and verbs of the test sentences (the docs are built without a tagger).
POS = {**dict.fromkeys("a an the its".split(), "DET"), **dict.fromkeys("of in on by over than within with from to "
                                                                         "for at".split(), "ADP"),
       **dict.fromkeys("and or".split(), "CCONJ"), **dict.fromkeys("strong slight".split(), "ADJ"),
       "while": "SCONJ", "reducing": "VERB", "reach": "VERB", "beats": "VERB", "compressing": "VERB",
       **dict.fromkeys("achieves achieved yields gives brings reaches reduces improves runs finishes outperforms "
                       "outperforming has gets train use uses is".split(), "VERB")}


def doc_with(nlp, text, **entities):
    """A doc of `text` whose entities are given as ``name=(type, role)``; every occurrence of the name (two
    underscores for a hyphen, one for a space) is a mention. Tokens get the part of speech of :data:`POS`, else
    NUM or NOUN."""
    doc = nlp(text)
    for t in doc:
        t.pos_ = POS.get(t.lower_, "PUNCT" if t.is_punct else "NUM" if t.like_num else "NOUN")
    ents, spans = {}, []
    for key, (type_, role) in entities.items():
        name = key.replace("__", "-").replace("_", " ")
        ents[key] = Entity(name, type_, role, key=key)
        start = text.find(name)
        while start >= 0:
            spans.append(doc.char_span(start, start + len(name), label=type_, kb_id=key))
            start = text.find(name, start + 1)
    doc.spans[SPAN_KEY] = sorted(spans, key=lambda s: s.start)
    doc._.kg_entities = ents
    return doc


def results(nlp, matchers, text, **entities):
    doc = doc_with(nlp, text, **entities)
    return doc, extract_results(doc, matchers)


def _examples(section):
    return [(e["id"], ex) for e in getattr(PATTERNS, section) for ex in e.get("examples", [])]


@pytest.mark.parametrize("pid, example", _examples("numbers") + _examples("qualifiers") + _examples("not_results"),
                         ids=lambda x: x if isinstance(x, str) else x["text"][:40])
def test_number_pattern_examples(nlp, matchers, pid, example):
    doc = doc_with(nlp, example["text"], **({"FID": ("Metric", "used"), "HPSv2": ("Metric", "used")}
                                            if "FID" in example["text"] or "HPSv2" in example["text"] else {}))
    found = find_numbers(doc, matchers)
    assert [n.value for n in found] == [v.replace("\\%", "%").replace("$\\mathbf{14}\\times$", "14×")
                                        for v in example["values"]]
    if found and pid.startswith("num:"):
        assert pid in {n.pattern for n in found}


@pytest.mark.parametrize("pid, example", _examples("metric_cues"), ids=lambda x: x if isinstance(x, str) else "")
def test_metric_cue_examples(nlp, matchers, pid, example):
    _, found = results(nlp, matchers, example["text"], X=("Method", "proposed"))
    assert [r.metric for r in found] == [example["metric"]]
    assert pid in found[0].provenance and {"metric:cue", "metric:by"} & set(found[0].provenance)


def test_every_pattern_has_an_example():
    for section in ("numbers", "qualifiers", "not_results", "metric_cues"):
        for e in getattr(PATTERNS, section):
            assert e.get("examples"), e["id"]


@pytest.mark.parametrize("token, canonical", [
    ("$\\mathbf{14}\\times$", "14x"), ("97.54\\%", "97.54%"), ("4.98times", "4.98x"), ("40X.", "40x"),
    ("\\times$", "x"), ("\\textasciitilde10\\%", "~10%"), ("sim!!25", "~25"), ("ResNet-50", "resnet-50"),
])
def test_canonical_token(token, canonical):
    assert canonical_token(token) == canonical


# -- attachment, one rule at a time ----------------------------------------------------------------------------

def test_absolute_result_with_a_new_metric_entity(nlp, matchers):
    doc, (r,) = results(nlp, matchers, "SORSA achieves 87.3% top-1 accuracy on ImageNet.",
                        SORSA=("Method", "proposed"), ImageNet=("Dataset", "used"))
    assert (r.subject, r.metric, r.dataset, r.value, r.number, r.unit, r.kind, r.baseline) == (
        "SORSA", "top-1 accuracy", "ImageNet", "87.3%", 87.3, "%", "absolute", None)
    assert r.evidence == "87.3% top-1 accuracy" and doc.text[r.start:r.end] == r.evidence
    assert {"num:percent", "metric:after", "subject:anchor", "dataset:sentence"} <= set(r.provenance)
    metric = doc._.kg_entities["top-1-accuracy"]
    assert (metric.type, metric.role, metric.mentions[0].text) == ("Metric", "used", "top-1 accuracy")
    assert [s.text for s in doc.spans[SPAN_KEY] if s.label_ == "Metric"] == ["top-1 accuracy"]


@pytest.mark.parametrize("text, metric, alias", [
    ("X achieved 3% CTR gain.", "CTR", "CTR gain"),
    ("X yields a 37.3% reduction in prefill-phase latency.", "prefill-phase latency",
     "reduction in prefill-phase latency"),
    ("X gives up to 13% improvement in FLOPs reduction.", "FLOPs", "FLOPs reduction"),
    ("X brings a slight performance drop of 0.33%.", "performance", "performance drop"),
])
def test_measures_named_with_a_change_noun(nlp, matchers, text, metric, alias):
    doc, (r,) = results(nlp, matchers, text, X=("Method", "proposed"))
    assert r.metric == metric and r.kind == "delta"
    assert doc._.kg_entities[next(k for k, e in doc._.kg_entities.items() if e.name == metric)].aliases == (
        [alias] if alias else [])


def test_metric_before_the_number_and_existing_metric_entities(nlp, matchers):
    _, found = results(nlp, matchers, "X reaches an accuracy of 87%, a FID score of 7.27 and an HPSv2 score of 31.08.",
                       X=("Model", "proposed"), FID=("Metric", "used"), HPSv2=("Metric", "used"))
    assert [(r.metric, r.number) for r in found] == [("accuracy", 87.0), ("FID score", 7.27), ("HPSv2 score", 31.08)]
    assert [r.provenance[1] for r in found] == ["metric:before"] * 3


def test_by_a_factor_and_ranges(nlp, matchers):
    _, found = results(nlp, matchers, "CacheGen reduces bandwidth usage by 3.7-4.3x.", CacheGen=("Method", "proposed"))
    assert [(r.metric, r.value, r.number, r.unit, r.kind) for r in found] == [
        ("bandwidth usage", "3.7", 3.7, "x", "delta"), ("bandwidth usage", "4.3x", 4.3, "x", "delta")]
    assert found[0].provenance[:2] == ["num:times-range", "metric:by"]


def test_metric_word_and_baseline(nlp, matchers):
    doc, (r,) = results(nlp, matchers, "ElasticViT runs 2.62x faster than EfficientNet-B0.",
                        ElasticViT=("Model", "proposed"), EfficientNet__B0=("Model", "baseline"))
    assert (r.metric, r.kind, r.subject, r.baseline) == ("speedup", "delta", "ElasticViT", "EfficientNet-B0")
    assert doc._.kg_entities["speedup"].aliases == ["faster"]


def test_baseline_after_a_comparison_word(nlp, matchers):
    _, (r,) = results(nlp, matchers, "LoRA improves accuracy by 2.1 points over Adapter.",
                      LoRA=("Method", "proposed"), Adapter=("Method", "baseline"))
    assert (r.metric, r.value, r.unit, r.kind, r.baseline) == ("accuracy", "2.1 points", "points", "delta", "Adapter")


def test_written_unit_names_its_measure(nlp, matchers):
    doc, (r,) = results(nlp, matchers, "X finishes within 2 hours.", X=("Method", "proposed"))
    assert (r.metric, r.value, r.unit) == ("time", "within 2 hours", "hours")
    assert doc._.kg_entities["time"].aliases == ["hours"]


def test_values_in_parentheses_belong_to_the_method_before_them(nlp, matchers):
    _, found = results(nlp, matchers, "SORSA achieved 10.36% accuracy on MATH, outperforming LoRA (5.50%) and "
                       "PiSSA (7.44%).", SORSA=("Method", "proposed"), LoRA=("Method", "baseline"),
                       PiSSA=("Method", "baseline"), MATH=("Dataset", "used"))
    assert [(r.subject, r.metric, r.dataset, r.number) for r in found] == [
        ("SORSA", "accuracy", "MATH", 10.36), ("LoRA", "accuracy", "MATH", 5.5), ("PiSSA", "accuracy", "MATH", 7.44)]
    assert "subject:paren" in found[1].provenance and "metric:previous" in found[1].provenance


def test_from_to_gives_two_absolute_values(nlp, matchers):
    _, found = results(nlp, matchers, "TARS reduces hallucination rates from 26.4% to 13.2%.",
                       TARS=("Method", "proposed"))
    assert [(r.subject, r.metric, r.number, r.kind) for r in found] == [
        (None, "hallucination rates", 26.4, "absolute"), ("TARS", "hallucination rates", 13.2, "absolute")]


def test_a_variant_of_the_contribution_is_the_subject(nlp, matchers):
    _, (r,) = results(nlp, matchers, "MCMAE is simple. MCMAE-Base improves accuracy by 1.4%.",
                      MCMAE=("Method", "proposed"), MCMAE__Base=("Model", "used"))
    assert (r.subject, r.metric, r.kind) == ("MCMAE-Base", "accuracy", "delta") and "subject:variant" in r.provenance


def test_datasets_listed_in_the_order_of_the_numbers(nlp, matchers):
    _, found = results(nlp, matchers, "X gets 94.4% and 86.7% accuracy on ModelNet40 and ScanObjectNN.",
                       X=("Method", "proposed"), ModelNet40=("Dataset", "used"), ScanObjectNN=("Dataset", "used"))
    assert [(r.dataset, r.number) for r in found] == [("ModelNet40", 94.4), ("ScanObjectNN", 86.7)]


def test_performance_when_a_difference_names_no_measure(nlp, matchers):
    _, (r,) = results(nlp, matchers, "X has strong performance. X outperforms Y by 5.4%.",
                      X=("Method", "proposed"), Y=("Method", "baseline"))
    assert (r.metric, r.baseline, r.confidence) == ("performance", "Y", 0.4)


@pytest.mark.parametrize("text", [
    "We train on 10% of the training data for 3 epochs in 2023.",
    "We use 8x A100 GPUs, a batch size of 256 and 224 x 224 images.",
    "Training with 8x larger batch size and 4x larger learning rate is stable.",
    "The corpus has 10,560 images and 12 tasks; LLaMA-2-7B uses 4-bit weights.",
    "Results improve by 40%.",  # a number whose measure nothing names and no method owns: kept, but no subject
])
def test_settings_are_no_results(nlp, matchers, text):
    _, found = results(nlp, matchers, text, X=("Method", "proposed"))
    assert all(r.subject == "X" or r.subject is None for r in found)
    assert len(found) <= (1 if "40%" in text else 0)


# -- the component, its pattern file and the pipeline -----------------------------------------------------------

def test_component_round_trips_its_patterns(nlp, tmp_path):
    from kg.extract.results import ResultExtractor

    comp = ResultExtractor(nlp.vocab, PATTERNS)
    comp.to_disk(tmp_path / "kg_results")
    loaded = ResultExtractor(nlp.vocab, load_patterns(tmp_path / "kg_results" / "patterns.json"))
    assert loaded.patterns == comp.patterns
    doc = comp(doc_with(nlp, "X reaches 91.2% accuracy.", X=("Method", "proposed")))
    assert [(r.subject, r.metric, r.number) for r in doc._.kg_results] == [("X", "accuracy", 91.2)]
    assert comp.from_disk(tmp_path / "kg_results").patterns == comp.patterns


@pytest.mark.parametrize("content, message", [
    ("{", "not JSON"),
    ('{"numbers": [{"patterns": [[{"LOWER": "x"}]]}]}', "needs an 'id'"),
    ('{"numbers": [{"id": "a", "unit": "%", "patterns": [[{"LOWER": "x"}]]}, '
     '{"id": "a", "unit": "%", "patterns": [[{"LOWER": "y"}]]}]}', "pattern id 'a' is used twice"),
    ('{"numbers": [{"id": "a", "unit": "m/s", "patterns": [[{"LOWER": "x"}]]}]}', "unit 'm/s' is not one of"),
    ('{"metric_cues": [{"id": "c", "patterns": [[{"LOWER": "x"}]]}]}', "needs the 'metric' it states"),
])
def test_bad_pattern_files(tmp_path, content, message):
    path = tmp_path / "patterns.json"
    path.write_text(content)
    with pytest.raises(InputError, match=message):
        load_patterns(path)
    with pytest.raises(InputError, match="cannot read"):
        load_patterns(tmp_path / "missing.json")


def test_pattern_file_is_valid_json_with_a_comment():
    raw = json.loads(PATTERNS_PATH.read_text(encoding="utf-8"))
    assert raw["_comment"] and raw["numbers"]


@pytest.mark.model
def test_pipeline_writes_results_into_the_extraction():
    from kg.extract import extract_papers, load_pipeline
    from kg.records import Paper

    paper = Paper("p1", "SpecDec++: Boosting Speculative Decoding",
                  "We propose SpecDec++. SpecDec++ achieves a 2.04x speedup on the Alpaca dataset and 87.3% top-1 "
                  "accuracy on ImageNet, 2.1 points higher than the baseline.")
    (ext,) = extract_papers(load_pipeline(), [paper])
    d = ext.to_dict()
    by_value = {r["value"]: r for r in d["results"]}
    assert {"2.04x", "87.3%", "2.1 points"} <= set(by_value)
    assert by_value["87.3%"]["metric"] == "top-1 accuracy" and by_value["87.3%"]["kind"] == "absolute"
    assert by_value["2.04x"]["subject"] == "SpecDec++" and by_value["2.04x"]["kind"] == "delta"
    assert by_value["87.3%"]["metric_key"] == ext.key_of("top-1 accuracy")
    assert any(e["name"] == "top-1 accuracy" and e["type"] == "Metric" for e in d["entities"])


def test_listed_methods_take_the_listed_values_in_order(nlp, matchers):
    _, found = results(nlp, matchers, "VARiant-d16 and VARiant-d8 reach FID 2.05/2.12 while reducing memory by "
                       "40-65%.", VARiant__d16=("Model", "proposed"), VARiant__d8=("Model", "proposed"),
                       FID=("Metric", "used"))
    assert [(r.subject, r.metric, r.number, r.kind) for r in found] == [
        ("VARiant-d16", "FID", 2.05, "absolute"), ("VARiant-d8", "FID", 2.12, "absolute"),
        ("VARiant-d16", "memory", 40.0, "delta"), ("VARiant-d8", "memory", 65.0, "delta")]
    assert "subject:respective" in found[0].provenance and "kind:list" in found[3].provenance


@pytest.mark.parametrize("text", [
    "X outperforms A, B and C by 1% and 7% in accuracy.",  # three names, two numbers: no one-to-one map
    "We evaluate X on A and B, showing 19% and 26% speedup over the baseline.",  # what X is applied to
])
def test_listed_names_that_are_compared_or_applied_to_take_no_values(nlp, matchers, text):
    _, found = results(nlp, matchers, text, X=("Method", "proposed"), A=("Method", "baseline"),
                       B=("Method", "baseline"), C=("Method", "baseline"), accuracy=("Metric", "used"))
    assert len(found) == 2 and {r.subject for r in found} == {"X"}
    assert not any("subject:respective" in r.provenance for r in found)


def test_a_bracketed_number_takes_the_measure_of_its_sentence(nlp, matchers):
    _, found = results(nlp, matchers, "X improves FID with only 19 NFEs (1.75) and beats EDM-2 (1.58).",
                       X=("Method", "proposed"), EDM__2=("Model", "baseline"), FID=("Metric", "used"),
                       NFEs=("Metric", "used"))
    assert [(r.subject, r.metric, r.number) for r in found] == [("X", "FID", 1.75), ("EDM-2", "FID", 1.58)]


@pytest.mark.parametrize("text, kinds", [
    ("X achieves an average speedup of 1.27 and 91% accuracy.", ["delta", "absolute"]),
    ("X works by removing 60.34% of the parameters.", ["delta"]),
    ("X outperforms others by up to 1.0% for ResNet-32, 0.5% for VGG-16 in terms of top-1 accuracy.",
     ["delta", "delta"]),
    ("X reaches 80.0% top-1 accuracy.", ["absolute"]),
    # a number in parentheses glosses the one before it, and is not listed with it
    ("X pushes accuracy to 86.7% (4.6% absolute improvement).", ["absolute", "delta"]),
    # "by" and "a gain of" a few modifiers before the number
    ("X outperforms Y by an average of 4.6% accuracy.", ["delta"]),
    ("X gives a relative accuracy gain of 16.1%.", ["delta"]),
])
def test_kinds(nlp, matchers, text, kinds):
    _, found = results(nlp, matchers, text, X=("Method", "proposed"), ResNet__32=("Model", "used"),
                       VGG__16=("Model", "used"))
    assert [r.kind for r in found] == kinds


def test_a_method_named_inside_a_measure(nlp, matchers):
    _, (r,) = results(nlp, matchers, "X gives a 3x reduction in KV cache budget.", X=("Method", "proposed"),
                      KV_cache=("Method", "used"))
    assert (r.metric, r.kind) == ("KV cache budget", "delta")


def test_the_dataset_the_measure_names(nlp, matchers):
    # "pushing the GLUE score to 80.5%": the dataset is in the measure's own phrase, not the one after the number
    _, found = results(nlp, matchers, "X pushes the GLUE score to 80.5% and MultiNLI accuracy to 86.7%.",
                       X=("Method", "proposed"), GLUE=("Dataset", "used"), MultiNLI=("Dataset", "used"))
    assert [(r.dataset, r.number) for r in found] == [("GLUE", 80.5), ("MultiNLI", 86.7)]
    assert all("dataset:metric" in r.provenance for r in found)


def test_a_scale_unit_takes_the_measure_its_sentence_names(nlp, matchers):
    # "0.5 dB" is written for PSNR, SNR, SI-SDR...: the sentence's measure first, PSNR when it names none
    _, (r,) = results(nlp, matchers, "Measured in SNR, X gains 0.5 dB over Y on VCTK.", X=("Method", "proposed"),
                      Y=("Method", "baseline"), SNR=("Metric", "used"))
    assert r.metric == "SNR" and "metric:sentence" in r.provenance
    _, (r,) = results(nlp, matchers, "X gains 0.5 dB over Y on VCTK.", X=("Method", "proposed"), Y=("Method", "baseline"))
    assert (r.metric, r.unit) == ("PSNR", "dB") and "metric:unit" in r.provenance


def test_the_second_number_of_a_pair_keeps_the_first_ones_measure(nlp, matchers):
    # 87e4ae4e36 "improves PSNR on Set5 from 32.095dB to 32.124dB with 2.42times compression ratio"
    _, found = results(nlp, matchers, "Measured in PSNR, X goes from 32.095dB to 32.124dB with a 2.42x compression "
                       "ratio on Set5.", X=("Method", "proposed"), PSNR=("Metric", "used"),
                       compression_ratio=("Metric", "used"), Set5=("Dataset", "used"))
    assert [(r.number, r.metric) for r in found if r.unit == "dB"] == [(32.095, "PSNR"), (32.124, "PSNR")]


@pytest.mark.parametrize("text, metric", [
    ("X can be trained in 0.18 seconds on arxiv.", "training time"),
    ("X quantizes LLaMA in 4 hours on one GPU.", "quantization time"),
    ("X finishes in 3 hours.", "time"),
    # cb6e576269: the activity right after the duration
    ("Each X expert takes only 6 hours to train.", "training time"),
    ("X needs 32 hours of valid training on one GPU.", "training time"),
    ("X runs for 5 hours to completion.", "time"),
])
def test_a_duration_is_the_time_of_the_activity_it_names(nlp, matchers, text, metric):
    doc = doc_with(nlp, text, X=("Method", "proposed"), LLaMA=("Model", "used"))
    for t in doc:  # the lemmas a tagged doc has
        t.lemma_ = {"trained": "train", "quantizes": "quantize", "finishes": "finish",
                    "training": "training"}.get(t.lower_, t.lower_)
    (r,) = extract_results(doc, matchers)
    assert r.metric == metric


def test_a_unit_takes_the_one_measure_of_the_abstract_that_names_it(nlp, matchers):
    # "31GB" states memory; the abstract's one memory measure is "memory footprint": that is the metric
    _, (r,) = results(nlp, matchers, "X cuts the memory footprint of Y by design. X needs only 31GB.",
                      X=("Method", "proposed"), Y=("Method", "baseline"), memory_footprint=("Metric", "used"))
    assert (r.metric, r.number) == ("memory footprint", 31.0) and "metric:unit-named" in r.provenance
    # two measures that name memory: the unit's own measure, as before
    _, (r,) = results(nlp, matchers, "X cuts the memory footprint and memory usage of Y by design. X needs only 31GB.",
                      X=("Method", "proposed"), Y=("Method", "baseline"), memory_footprint=("Metric", "used"),
                      memory_usage=("Metric", "used"))
    assert r.metric == "memory" and "metric:unit" in r.provenance


def test_a_pattern_that_states_its_measure_gives_it(nlp, matchers):
    # "ranks 1st" is a rank whatever the sentence measures elsewhere
    _, (r,) = results(nlp, matchers, "X ranks $1^{st}$ in accuracy on the Y benchmark.", X=("Method", "proposed"),
                      Y=("Dataset", "used"))
    assert (r.metric, r.number, r.value) == ("rank", 1.0, "1st") and "metric:pattern" in r.provenance
    # a multiplier written before its number keeps its sign in the value and takes the cue's measure
    _, (r,) = results(nlp, matchers, "X provides $\\times 15$ faster augmentation than Y does.", X=("Method", "proposed"),
                      Y=("Method", "baseline"))
    assert (r.metric, r.number, r.value, r.unit) == ("speedup", 15.0, "×15", "x")
