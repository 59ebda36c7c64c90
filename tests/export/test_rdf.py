"""RDF export: round trips per format, the content of the RDF, provenance, IRIs and errors."""

import re

import pytest
from rdflib import Dataset, Literal, URIRef
from rdflib.collection import Collection
from rdflib.compare import isomorphic
from rdflib.namespace import DCTERMS, PROV, RDF, SKOS, XSD

from kg.errors import InputError, KGError
from kg.export.rdf import (DEFAULT_BASE, RDF_FORMATS, claim_iri, conflict_iri, entity_iri, graph_iri, paper_iri,
                           read_rdf, result_iri, to_rdf, write_rdf)
from kg.vocab import KG, MLS

EXT = {"turtle": "ttl", "ntriples": "nt", "jsonld": "jsonld", "xml": "rdf", "nquads": "nq"}


@pytest.fixture
def g(small_graph):
    return to_rdf(small_graph)


def E(node_id):
    return entity_iri(node_id)


@pytest.mark.parametrize("fmt", list(RDF_FORMATS))
def test_round_trip(small_graph, g, tmp_path, fmt):
    path = tmp_path / f"kg.{EXT[fmt]}"
    report = write_rdf(small_graph, path, format=fmt)
    assert report == {"path": str(path), "format": fmt, "triples": len(g)}
    assert isomorphic(read_rdf(path), g)
    assert isomorphic(read_rdf(path, format=fmt), g)
    assert [p.name for p in tmp_path.iterdir()] == [path.name]  # atomic: no temporary file left


def test_nquads_puts_the_data_in_a_named_graph(small_graph, tmp_path):
    write_rdf(small_graph, tmp_path / "kg.nq", format="nquads")
    ds = Dataset()
    ds.parse(tmp_path / "kg.nq", format="nquads")
    named = ds.graph(graph_iri())
    assert len(named) == len(to_rdf(small_graph))
    assert (E("lora"), KG.outperforms, E("full-fine-tuning")) in named


def test_entities(g):
    lora = E("lora")
    assert set(g.objects(lora, RDF.type)) == {KG.Method}
    assert g.value(lora, SKOS.prefLabel) == Literal("LoRA")
    assert set(g.objects(lora, SKOS.altLabel)) == {Literal("Low-Rank Adaptation"), Literal("low-rank adaptation")}
    # every name lower-cased, each distinct form once: the key of case-insensitive lookups
    assert sorted(g.objects(lora, KG.nameKey)) == [Literal("lora"), Literal("low-rank adaptation")]
    assert set(g.objects(E("llama-2"), KG.nameKey)) == {Literal("llama-2"), Literal("llama 2")}
    assert g.value(lora, KG.paperCount).toPython() == 2
    assert g.value(lora, KG.firstSeen) == Literal("2021-06-17", datatype=XSD.date)
    assert g.value(lora, DCTERMS.identifier) == Literal("lora")
    assert g.value(lora, KG.generic) == Literal(False)
    assert {t: g.value(E(i), RDF.type) for t, i in [("Dataset", "glue"), ("Model", "gpt-4"), ("Task",
            "question-answering"), ("Metric", "accuracy")]} == {
        "Dataset": KG.Dataset, "Model": KG.Model, "Task": KG.Task, "Metric": KG.Metric}
    assert g.value(E("llama-2"), KG.firstSeen) is None  # None is left out, not written as a string


def test_type_votes(g):
    votes = list(g.objects(E("glue"), KG.hasTypeVote))
    assert len(votes) == 1
    assert g.value(votes[0], KG.votedType) == KG.Dataset
    assert g.value(votes[0], KG.voteCount).toPython() == 2


def test_paper_level_edges(g):
    p1, p2 = paper_iri("2106.09685"), paper_iri("a1b2c3d4e5")
    assert (p1, KG.proposes, E("lora")) in g
    assert (p1, KG.comparesTo, E("full-fine-tuning")) in g
    assert (p1, KG.uses, E("glue")) in g
    assert set(g.objects(p2, KG.uses)) == {E("lora"), E("glue"), E("llama-2-7b"), E("accuracy")}
    assert (paper_iri("f0f0f0f0f0"), KG.comparesTo, E("llama-2")) in g


def test_papers(g):
    p = paper_iri("2106.09685")
    assert g.value(p, RDF.type) == KG.Paper
    assert g.value(p, DCTERMS.title) == Literal("LoRA: Low-Rank Adaptation of Large Language Models")
    assert str(g.value(p, DCTERMS.abstract)).startswith("We propose Low-Rank Adaptation")
    assert g.value(p, DCTERMS.issued) == Literal("2021-06-17", datatype=XSD.date)
    assert g.value(p, DCTERMS.source) == URIRef("https://arxiv.org/abs/2106.09685")
    assert list(Collection(g, g.value(p, KG.authorList))) == [Literal("E. Hu"), Literal("Y. Shen")]
    assert set(g.objects(p, DCTERMS.creator)) == {Literal("E. Hu"), Literal("Y. Shen")}
    assert g.value(p, KG.sourceFile) == Literal("fixture.jsonl")
    p2 = paper_iri("a1b2c3d4e5")
    assert g.value(p2, KG.upvotes).toPython() == 3
    assert g.value(p2, KG.authorCount).toPython() == 4
    p3 = paper_iri("f0f0f0f0f0")
    assert g.value(p3, DCTERMS.issued) is None
    assert g.value(p3, KG.organisation) == Literal("Example Lab")
    assert g.value(p3, DCTERMS.title) == Literal("A <script>alert(1)</script> title")  # text kept verbatim


def test_direct_triples(g):
    assert (E("lora"), KG.outperforms, E("full-fine-tuning")) in g
    assert (E("lora"), KG.evaluatedOn, E("glue")) in g
    assert (E("llama-2-7b"), KG.variantOf, E("llama-2")) in g
    # combinesWith is symmetric: asserted both ways so that queries need no reasoner
    assert (E("llama-2-7b"), KG.combinesWith, E("lora")) in g
    assert (E("lora"), KG.combinesWith, E("llama-2-7b")) in g


def test_claim_with_provenance(g):
    claim = claim_iri("lora", "outperforms", "full-fine-tuning")
    assert g.value(claim, RDF.type) == KG.Claim
    assert (g.value(claim, KG.subject), g.value(claim, KG.predicate), g.value(claim, KG.object)) == (
        E("lora"), KG.outperforms, E("full-fine-tuning"))
    assert g.value(claim, KG.support).toPython() == 1
    assert g.value(claim, KG.confidence) == Literal("0.9", datatype=XSD.decimal)
    assert list(g.objects(claim, PROV.wasDerivedFrom)) == [paper_iri("2106.09685")]
    [ev] = list(g.objects(claim, KG.hasEvidence))
    assert g.value(ev, RDF.type) == KG.Evidence
    assert g.value(ev, PROV.wasDerivedFrom) == paper_iri("2106.09685")
    assert g.value(ev, KG.evidenceText) == Literal("LoRA outperforms full fine-tuning on GLUE.")
    assert (g.value(ev, KG.startOffset).toPython(), g.value(ev, KG.endOffset).toPython()) == (0, 42)
    assert float(g.value(ev, KG.confidence)) == pytest.approx(0.9)


def test_one_claim_per_relation(small_graph, g):
    relations = [(u, k, v) for u, v, k in small_graph.edges(keys=True) if not u.startswith("paper:")]
    assert len(relations) == 7
    assert set(g.subjects(RDF.type, KG.Claim)) == {claim_iri(u, k, v) for u, k, v in relations}
    variant = claim_iri("llama-2-7b", "variantOf", "llama-2")
    assert g.value(variant, KG.support).toPython() == 0
    assert g.value(variant, KG.hasEvidence) is None


def test_several_evidence_items(small_graph):
    small_graph.edges["lora", "glue", "evaluatedOn"]["evidence"].append(
        {"paper": "a1b2c3d4e5", "sentence": "report accuracy on GLUE", "start": 40, "end": 63, "confidence": 0.7})
    small_graph.edges["lora", "glue", "evaluatedOn"]["support"] = 2
    g = to_rdf(small_graph)
    claim = claim_iri("lora", "evaluatedOn", "glue")
    assert g.value(claim, KG.support).toPython() == 2
    assert set(g.objects(claim, PROV.wasDerivedFrom)) == {paper_iri("2106.09685"), paper_iri("a1b2c3d4e5")}
    texts = {str(g.value(ev, KG.evidenceText)) for ev in g.objects(claim, KG.hasEvidence)}
    assert texts == {"LoRA outperforms full fine-tuning on GLUE.", "report accuracy on GLUE"}


@pytest.mark.parametrize("confidence, best", [(0.7, 1), (0.95, 2), (0.8, 1)])
def test_best_evidence_is_the_most_confident_the_first_of_equals(small_graph, confidence, best):
    # the first evidence of lora evaluatedOn glue has confidence 0.8
    small_graph.edges["lora", "glue", "evaluatedOn"]["evidence"].append(
        {"paper": "a1b2c3d4e5", "sentence": "report accuracy on GLUE", "start": 40, "end": 63,
         "confidence": confidence})
    g = to_rdf(small_graph)
    claim = claim_iri("lora", "evaluatedOn", "glue")
    assert list(g.objects(claim, KG.bestEvidence)) == [URIRef(f"{claim}/evidence/{best}")]
    assert (claim, KG.hasEvidence, URIRef(f"{claim}/evidence/{best}")) in g


def test_every_claim_with_evidence_has_one_best_evidence(g):
    for claim in g.subjects(RDF.type, KG.Claim):
        evidence = set(g.objects(claim, KG.hasEvidence))
        best = list(g.objects(claim, KG.bestEvidence))
        assert len(best) == (1 if evidence else 0) and set(best) <= evidence


def test_title_words_index_the_content_words_of_a_title(g):
    words = {str(w) for w in g.objects(paper_iri("2106.09685"), KG.titleWord)}
    assert words == {"lora", "low", "rank", "adaptation", "large", "language", "models"}  # "of" is a stop word
    assert {str(w) for w in g.objects(paper_iri("f0f0f0f0f0"), KG.titleWord)} == {"script", "alert", "1", "title"}


def test_name_words_index_every_word_of_every_name(g):
    # label "LoRA", aliases "Low-Rank Adaptation" / "low-rank adaptation": each word once, lower case
    assert {str(w) for w in g.objects(E("lora"), KG.nameWord)} == {"lora", "low", "rank", "adaptation"}
    assert {str(w) for w in g.objects(E("llama-2"), KG.nameWord)} == {"llama", "2"}


def test_name_words_keep_stop_words_and_split_on_every_sign():
    from kg.export.rdf import name_words

    assert name_words(["Mixture of Experts", "MoE"]) == ["mixture", "of", "experts", "moe"]
    assert name_words(["GPT-3.5", "gpt_3.5 turbo"]) == ["gpt", "3", "5", "turbo"]
    assert name_words([]) == []


def test_knowledge_graph_node(g):
    k = graph_iri()
    assert g.value(k, RDF.type) == KG.KnowledgeGraph
    assert g.value(k, KG.paperCount).toPython() == 3
    assert g.value(k, DCTERMS.created) == Literal("2026-01-01T00:00:00", datatype=XSD.dateTime)


def test_knowledge_graph_node_has_no_timestamp_unless_the_graph_has_one(small_graph):
    del small_graph.graph["created"]
    assert to_rdf(small_graph).value(graph_iri(), DCTERMS.created) is None


@pytest.mark.parametrize("fmt", ["turtle", "ntriples", "nquads", "xml", "jsonld"])
def test_identical_graphs_give_identical_files(small_graph, tmp_path, fmt):
    # the author lists are blank nodes: their labels must not be random
    write_rdf(small_graph, tmp_path / "a", format=fmt)
    write_rdf(small_graph, tmp_path / "b", format=fmt)
    assert (tmp_path / "a").read_bytes() == (tmp_path / "b").read_bytes()
    if fmt == "turtle":
        assert "_:a" in (tmp_path / "a").read_text()


def test_source_is_a_file_name_never_a_local_path(small_graph):
    small_graph.nodes["paper:2106.09685"]["source"] = "/home/someone/private/papers.jsonl"
    small_graph.nodes["paper:a1b2c3d4e5"]["source"] = "C:\\Users\\someone\\papers.csv"
    g = to_rdf(small_graph)
    assert g.value(paper_iri("2106.09685"), KG.sourceFile) == Literal("papers.jsonl")
    assert g.value(paper_iri("a1b2c3d4e5"), KG.sourceFile) == Literal("papers.csv")


@pytest.mark.parametrize("base, message", [
    ("http://x/kg", "must end with '/' or '#' (entity IRIs are appended to it): use 'http://x/kg/'"),
    ("not an iri/", "is not an absolute IRI"),
    ("kg/", "is not an absolute IRI"),
    ("http://exa mple.org/", "is not an absolute IRI"),
    ("", "non-empty"),
])
def test_invalid_base_is_one_clear_error(small_graph, base, message, recwarn):
    with pytest.raises(KGError, match=re.escape(message)):
        to_rdf(small_graph, base=base)
    assert not recwarn.list  # no rdflib warning per IRI first


def test_configurable_base(small_graph):
    base = "http://example.org/kg/"
    g = to_rdf(small_graph, base=base)
    subjects = {str(s) for s in g.subjects() if isinstance(s, URIRef)}
    assert subjects and all(s.startswith(base) for s in subjects)
    assert (URIRef(base + "entity/lora"), KG.outperforms, URIRef(base + "entity/full-fine-tuning")) in g


@pytest.mark.parametrize("node_id, expected", [
    ("lora", "entity/lora"),
    ("hep-th/9901001", "entity/hep-th%2F9901001"),
    ("a b#c?d", "entity/a%20b%23c%3Fd"),
    ("é", "entity/%C3%A9"),
])
def test_iris_are_quoted(node_id, expected):
    assert str(entity_iri(node_id)) == DEFAULT_BASE + expected


@pytest.mark.parametrize("date, datatype", [
    ("2021-06-17", XSD.date), ("2021-06", XSD.gYearMonth), ("2021", XSD.gYear), ("June 2021", None),
    ("2021-02-30", None),
])
def test_paper_dates(small_graph, date, datatype):
    small_graph.nodes["paper:2106.09685"]["date"] = date
    issued = to_rdf(small_graph).value(paper_iri("2106.09685"), DCTERMS.issued)
    assert issued == Literal(date, datatype=datatype)


def test_xml_illegal_characters_are_dropped(small_graph, tmp_path):
    small_graph.nodes["paper:2106.09685"]["abstract"] = "bad\x0cform\x00feed"
    write_rdf(small_graph, tmp_path / "kg.rdf", format="xml")
    g = read_rdf(tmp_path / "kg.rdf")
    assert g.value(paper_iri("2106.09685"), DCTERMS.abstract) == Literal("badformfeed")


def test_unknown_format(small_graph, tmp_path):
    with pytest.raises(KGError, match="unknown RDF format 'n3'; valid formats: turtle, ntriples"):
        write_rdf(small_graph, tmp_path / "kg.n3", format="n3")


@pytest.mark.parametrize("change, message", [
    (lambda G: G.nodes["lora"].update(type="Algorithm"), "entity 'lora' has type 'Algorithm'; valid types"),
    (lambda G: G.add_node("x", kind="venue"), "node 'x' has kind 'venue'"),
    (lambda G: G.add_edge("lora", "glue", key="beats", predicate="beats"), "predicate 'beats'"),
])
def test_graph_outside_the_schema(small_graph, change, message):
    change(small_graph)
    with pytest.raises(KGError, match=message):
        to_rdf(small_graph)


def test_read_rdf_errors(tmp_path):
    with pytest.raises(InputError, match="no such file"):
        read_rdf(tmp_path / "missing.ttl")
    bad = tmp_path / "bad.ttl"
    bad.write_text("<a> <b> .\n", encoding="utf-8")
    with pytest.raises(InputError, match=r"bad\.ttl: not valid turtle"):
        read_rdf(bad)
    odd = tmp_path / "kg.data"
    odd.write_text("", encoding="utf-8")
    with pytest.raises(InputError, match="cannot tell the RDF format"):
        read_rdf(odd)


# -- results and conflicts (issue 16) ---------------------------------------------------------------------------

@pytest.mark.parametrize("fmt", list(RDF_FORMATS))
def test_round_trip_with_results_and_conflicts(result_graph, tmp_path, fmt):
    g = to_rdf(result_graph)
    path = tmp_path / f"kg.{EXT[fmt]}"
    write_rdf(result_graph, path, format=fmt)
    assert isomorphic(read_rdf(path), g)
    assert len(list(g.subjects(RDF.type, KG.Result))) == 9 and len(list(g.subjects(RDF.type, KG.Conflict))) == 3


def test_result_is_an_ml_schema_model_evaluation_with_provenance(result_graph):
    g = to_rdf(result_graph)
    r = result_iri("result:a1b2c3d4e5:0")
    assert str(r) == DEFAULT_BASE + "result/a1b2c3d4e5/0"
    assert (paper_iri("a1b2c3d4e5"), KG.reports, r) in g
    assert set(g.predicate_objects(r)) >= {
        (RDF.type, KG.Result), (MLS.specifiedBy, E("accuracy")), (MLS.hasValue, Literal("0.914", datatype=XSD.decimal)),
        (KG.system, E("llama-2-7b")), (KG.onDataset, E("glue")), (KG.valueText, Literal("0.914")),
        (KG.unit, Literal("")), (KG.resultKind, Literal("absolute")),
        (KG.normalizedValue, Literal("91.4", datatype=XSD.decimal)), (KG.normalizedUnit, Literal("%")),
        (PROV.wasDerivedFrom, paper_iri("a1b2c3d4e5")), (KG.hasEvidence, URIRef(f"{r}/evidence")),
    }
    run = URIRef(f"{r}/run")
    assert {(p, o) for p, o in g.predicate_objects(run)} == {
        (RDF.type, MLS.Run), (MLS.hasOutput, r), (MLS.hasInput, E("glue")), (MLS.hasInput, E("llama-2-7b"))}
    ev = URIRef(f"{r}/evidence")
    assert (ev, KG.evidenceText, Literal("0.914 accuracy on GLUE")) in g
    assert (ev, PROV.wasDerivedFrom, paper_iri("a1b2c3d4e5")) in g
    assert (E("accuracy"), KG.higherIsBetter, Literal(True)) in g and (E("perplexity"), KG.higherIsBetter,
                                                                          Literal(False)) in g
    assert not list(g.objects(E("vibe-check"), KG.higherIsBetter))  # unknown direction: nothing asserted


def test_delta_keeps_its_baseline_and_sign(result_graph):
    g = to_rdf(result_graph)
    r = result_iri("result:2106.09685:1")
    assert (r, KG.baseline, E("full-fine-tuning")) in g and (r, KG.resultKind, Literal("delta")) in g
    assert (r, KG.valueText, Literal("+2.3 points")) in g


def test_conflict_links_the_two_claims_or_the_claim_and_results(result_graph):
    g = to_rdf(result_graph)
    rev = conflict_iri("conflict:full-fine-tuning:lora")
    assert str(rev) == DEFAULT_BASE + "conflict/full-fine-tuning/lora"
    assert set(g.objects(rev, KG.between)) == {claim_iri("full-fine-tuning", "outperforms", "lora"),
                                               claim_iri("lora", "outperforms", "full-fine-tuning")}
    assert set(g.objects(rev, KG.involves)) == {E("lora"), E("full-fine-tuning")}
    assert (rev, KG.conflictKind, Literal("reversed")) in g
    res = conflict_iri("conflict:lora:llama-2-7b:accuracy:glue")
    assert set(g.objects(res, KG.between)) == {claim_iri("lora", "outperforms", "llama-2-7b"),
                                               result_iri("result:a1b2c3d4e5:0"), result_iri("result:2106.09685:0")}
    assert (res, KG.onMetric, E("accuracy")) in g and (res, KG.onDataset, E("glue")) in g
    assert set(g.objects(res, PROV.wasDerivedFrom)) == {paper_iri("2106.09685"), paper_iri("a1b2c3d4e5")}


@pytest.mark.parametrize("change, message", [
    (lambda G: G.nodes["result:2106.09685:0"].update(result_kind="relative"), "valid kinds: absolute, delta"),
    (lambda G: G.nodes["result:2106.09685:0"].update(metric="gone"), "no entity of the graph"),
    (lambda G: G.nodes["conflict:full-fine-tuning:lora"].update(conflict_kind="maybe"), "valid kinds: reversed"),
])
def test_results_outside_the_schema(result_graph, change, message):
    change(result_graph)
    with pytest.raises(KGError, match=message):
        to_rdf(result_graph)
