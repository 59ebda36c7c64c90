"""The extraction pipeline end to end on real sentences (needs the full English model)."""

import pytest

from kg.extract import doc_to_extraction, extract_papers, load_pipeline
from kg.extract.extensions import SPAN_KEY
from kg.records import Paper

pytestmark = pytest.mark.model


@pytest.fixture(scope="module")
def nlp():
    return load_pipeline(relations=False)


def extract(nlp, title, abstract):
    paper = Paper("p", title, abstract)
    return paper, doc_to_extraction(nlp(paper.text), paper)


def entity(pe, name):
    found = [e for e in pe.entities if e.name == name]
    assert found, f"no entity {name!r} in {[e.name for e in pe.entities]}"
    return found[0]


def test_components_in_order(nlp):
    names = nlp.pipe_names
    assert "ner" not in names
    assert names.index("kg_title") < names.index("parser")
    assert names[names.index("kg_abbreviations"):][:5] == ["kg_abbreviations", "kg_analysis", "kg_patterns",
                                                           "kg_candidates", "kg_entities"]


def test_relations_then_results_last_when_asked():
    nlp = load_pipeline(relations=True)
    assert nlp.pipe_names[-2:] == ["kg_relations", "kg_results"]


def test_abbreviation_alias_and_proposed(nlp):
    _, pe = extract(nlp, "Efficient Fine-Tuning of Language Models",
                    "We propose Sparse Low-Rank Tuning (SLRT), which freezes the pretrained weights. "
                    "SLRT outperforms LoRA on GLUE.")
    slrt = entity(pe, "SLRT")
    assert (slrt.type, slrt.role, slrt.aliases) == ("Method", "proposed", ["Sparse Low-Rank Tuning"])
    assert entity(pe, "GLUE").type == "Dataset"


def test_well_known_names_are_not_proposed(nlp):
    # (the models trained on 3,118 abstracts take "We propose Low-Rank Adaptation (LoRA)" at its word: proposed)
    _, pe = extract(nlp, "Efficient Fine-Tuning of Language Models",
                    "We apply Low-Rank Adaptation (LoRA) to RoBERTa. LoRA outperforms full fine-tuning.")
    assert entity(pe, "LoRA").role != "proposed"
    assert entity(pe, "LoRA").aliases == ["Low-Rank Adaptation"]


def test_title_name_is_proposed(nlp):
    _, pe = extract(nlp, "SpecDec++: Boosting Speculative Decoding via Adaptive Candidate Lengths",
                    "Speculative decoding reduces the inference latency of a target large language model. "
                    "We propose SpecDec++, an enhanced version of speculative decoding.")
    assert entity(pe, "SpecDec++").role == "proposed"
    assert entity(pe, "SpecDec++").type == "Method"


def test_models_datasets_metrics(nlp):
    _, pe = extract(nlp, "A Study of Quantization",
                    "We quantize LLaMA-2-7B and evaluate perplexity on WikiText-2 and accuracy on MMLU.")
    types = {e.name: e.type for e in pe.entities}
    assert types.get("LLaMA-2-7B") == "Model"
    assert types.get("WikiText-2") == "Dataset" and types.get("MMLU") == "Dataset"
    assert types.get("perplexity") == "Metric"


def test_generic_classes_left_out(nlp):
    _, pe = extract(nlp, "On Existing Methods", "Existing methods for large language models (LLMs) are slow.")
    names = {e.name.lower() for e in pe.entities}
    assert not names & {"existing methods", "llms", "large language models"}


def test_mentions_index_paper_text(nlp):
    paper, pe = extract(nlp, "LoRA: Low-Rank Adaptation of Large Language Models",
                        "We propose Low-Rank Adaptation (LoRA). LoRA outperforms full fine-tuning on GLUE.")
    doc = nlp(paper.text)
    assert all(paper.text[m.start:m.end] == m.text for e in pe.entities for m in e.mentions)
    assert {s.label_ for s in doc.spans[SPAN_KEY]} <= {"Method", "Model", "Dataset", "Task", "Metric"}
    assert all(s.kb_id_ in doc._.kg_entities for s in doc.spans[SPAN_KEY])


def test_extract_papers_keeps_order_and_is_pure(nlp, papers):
    first = [pe.to_dict() for pe in extract_papers(nlp, papers, batch_size=2)]
    assert [d["id"] for d in first] == [p.id for p in papers]
    again = [pe.to_dict() for pe in extract_papers(nlp, list(reversed(papers)))]
    assert list(reversed(again)) == first


def test_extract_papers_in_worker_processes(nlp, papers):
    one = [pe.to_dict() for pe in extract_papers(nlp, papers)]
    assert [pe.to_dict() for pe in extract_papers(nlp, papers, batch_size=1, n_process=2)] == one


def test_versions_and_prefixes_are_not_aliases(nlp):
    _, pe = extract(nlp, "LoRA+: Efficient Low Rank Adaptation of Large Models",
                    "In our experiments, LoRA+ improves performance and finetuning speed (up to 2X SpeedUp), "
                    "at the same computational cost as LoRA. Low-Rank Adaptation (LoRA) is popular.")
    forms = {e.name: [e.name, *e.aliases] for e in pe.entities}
    assert "LoRA+" in forms and "LoRA" in forms
    assert "LoRA+" not in forms["LoRA"] and "LoRA" not in forms["LoRA+"]
    assert "Low-Rank Adaptation" in forms["LoRA"]
    assert not any("SpeedUp" in f and "speed" in f for f in forms.values())


def test_name_shapes_type_models_and_benchmarks(nlp):
    _, pe = extract(nlp, "Instruction Tuning for Code",
                    "We fine-tune LLaVA-NeXT-7B and StarCoder on 4 A100 GPUs and evaluate them on BigCodeBench "
                    "and DocVQA.")
    types = {e.name: e.type for e in pe.entities}
    assert types.get("LLaVA-NeXT-7B") == "Model" and types.get("StarCoder") == "Model"
    assert types.get("BigCodeBench") == "Dataset" and types.get("DocVQA") == "Dataset"
    assert not any("GPU" in name for name in types)


def test_title_slogans_are_not_entities(nlp):
    _, pe = extract(nlp, "From Entropy to Epiplexity: Rethinking Information",
                    "We introduce epiplexity, a measure of structural information for bounded observers.")
    assert "From Entropy to Epiplexity" not in {e.name for e in pe.entities}


@pytest.mark.model
def test_an_abstract_without_a_title_is_extracted_normally():
    from kg.extract import extract_papers, load_pipeline
    from kg.records import Paper

    text = ("We propose SparseFlux, a pruning method for vision transformers. SparseFlux outperforms magnitude "
            "pruning on ImageNet.")
    [untitled, titled] = extract_papers(load_pipeline(), [Paper("a", "", text), Paper("b", "SparseFlux", text)])
    assert {e.name for e in untitled.entities} >= {"SparseFlux", "ImageNet"}
    assert any(r.predicate == "evaluatedOn" and r.object == "imagenet" for r in untitled.relations)
    assert {(r.subject, r.predicate, r.object) for r in untitled.relations} == \
        {(r.subject, r.predicate, r.object) for r in titled.relations}
    assert {(e.name, e.type) for e in untitled.entities} == {(e.name, e.type) for e in titled.entities if e.name != ""}
    assert all(m.start >= 2 for e in untitled.entities for m in e.mentions)  # offsets index "\n\n" + abstract


def test_types_its_form_or_apposition_fixes(nlp):
    # a metric at a cut-off read as a dataset ("gains on NDCG@10 on ..."), and a dataset the paper publishes
    # without a proposal verb: rules types.at_k and types.appos_dataset, recorded in the provenance
    _, pe = extract(nlp, "Sparse retrieval", "Overall, our retriever improves by more than 9% on NDCG@10 on TREC DL "
                    "2019. In addition, we will publish WikiSQL, a dataset of 80654 hand-annotated questions.")
    ndcg, wikisql = entity(pe, "NDCG@10"), entity(pe, "WikiSQL")
    assert (ndcg.type, wikisql.type) == ("Metric", "Dataset")
    assert "types.at_k" in ndcg.provenance and "types.appos_dataset" in wikisql.provenance


def test_parts_of_hyphenated_names_and_settings_are_no_entities(nlp):
    paper, pe = extract(nlp, "QLoRA: Efficient Finetuning of Quantized LLMs",
                    "QLoRA outperforms the strong GPTQ-LoRA and LQ-LoRA baselines on MMLU. "
                    "Our sampler reaches 10.4 FID on ImageNet (NFE=5, CFG=7.5). We achieve state-of-the-art results "
                    "in unstructured and semi-structured pruning of large language models. We report the best "
                    "compression-to-accuracy ratio, and for the first time high-accuracy inference.")
    names = {e.name for e in pe.entities}
    assert not {"GPTQ", "LoRA", "LQ"} & names, names  # each is part of another method's name
    assert not any("=" in n for n in names), names  # "CFG=7.5" is a setting: its name is no "CFG=7.5"
    glued = [m.text for e in pe.entities for m in e.mentions if paper.text[m.start - 1:m.start] == "-"]
    assert not glued, glued  # "structured pruning" of "semi-structured", "latency" of "low-latency"
