"""SHACL validation (ontology/shapes.ttl with pySHACL): exported graphs conform, broken ones do not."""

import importlib.util

import pytest
from click.testing import CliRunner
from rdflib import Literal, URIRef
from rdflib.namespace import PROV, RDF, SKOS, XSD

from kg.cli import cli
from kg.errors import InputError
from kg.export.rdf import claim_iri, conflict_iri, entity_iri, paper_iri, result_iri, to_rdf
from kg.validate import check_owl, validate, validate_graph_dir
from kg.vocab import KG, MLS

CLAIM = claim_iri("lora", "outperforms", "full-fine-tuning")
EVIDENCE = URIRef(f"{CLAIM}/evidence/1")
LORA = entity_iri("lora")


def test_small_graph_conforms(small_graph):
    conforms, report = validate(to_rdf(small_graph))
    assert conforms, report
    assert "Conforms: True" in report


def test_graph_dir_conforms(rdf_graph_dir):
    assert validate_graph_dir(rdf_graph_dir)[0]
    assert validate(rdf_graph_dir / "kg.ttl")[0]


def _two_types(g):
    g.add((LORA, RDF.type, KG.Model))


def _no_type(g):
    g.remove((LORA, RDF.type, None))


def _two_labels(g):
    g.add((LORA, SKOS.prefLabel, Literal("Lora")))


def _confidence_out_of_range(g):
    g.set((CLAIM, KG.confidence, Literal("1.5", datatype=XSD.decimal)))


def _evidence_without_paper(g):
    g.remove((EVIDENCE, PROV.wasDerivedFrom, None))


def _claim_without_evidence(g):
    g.remove((CLAIM, KG.hasEvidence, None))


def _missing_direct_triple(g):
    g.remove((LORA, KG.outperforms, None))


def _bad_offsets(g):
    g.set((EVIDENCE, KG.startOffset, Literal(50, datatype=XSD.nonNegativeInteger)))


def _untyped_paper(g):
    g.remove((paper_iri("2106.09685"), RDF.type, None))


@pytest.mark.parametrize("breakage, message", [
    (_two_types, "exactly one type among kg:Method"),
    (_no_type, "exactly one type among kg:Method"),
    (_two_labels, "exactly one non-empty skos:prefLabel"),
    (_confidence_out_of_range, "confidence, an xsd:decimal in [0, 1]"),
    (_evidence_without_paper, "derived from exactly one paper"),
    (_claim_without_evidence, "OrConstraintComponent"),
    (_missing_direct_triple, "direct triple (subject predicate object) is missing"),
    (_bad_offsets, "start offset is after its end offset"),
    (_untyped_paper, "is typed kg:Paper"),
])
def test_broken_graph_fails(small_graph, breakage, message):
    g = to_rdf(small_graph)
    breakage(g)
    conforms, report = validate(g)
    assert not conforms
    assert message in report


def test_doubtful_relations_are_warnings(small_graph):
    small_graph.add_edge("lora", "accuracy", key="evaluatedOn", predicate="evaluatedOn", support=1, evidence=[
        {"paper": "a1b2c3d4e5", "sentence": "report accuracy", "start": 0, "end": 15, "confidence": 0.5}],
        confidence=0.5)
    conforms, report = validate(to_rdf(small_graph))
    assert conforms
    assert "Severity: sh:Warning" in report and "evaluated on a dataset or a task" in report


def test_missing_graph(tmp_path):
    with pytest.raises(InputError, match="kg.ttl: no such file"):
        validate_graph_dir(tmp_path)


def test_cli_validate_passes(rdf_graph_dir):
    result = CliRunner().invoke(cli, ["validate", "--graph", str(rdf_graph_dir)])
    assert result.exit_code == 0, result.output
    assert "Conforms: True" in result.output


def test_cli_validate_fails_on_a_broken_graph(small_graph, tmp_path):
    g = to_rdf(small_graph)
    _two_types(g)
    g.serialize(destination=str(tmp_path / "kg.ttl"), format="turtle")
    result = CliRunner().invoke(cli, ["validate", "--graph", str(tmp_path)])
    assert result.exit_code == 1
    assert "Conforms: False" in result.output
    assert "does not conform to the SHACL shapes" in result.output
    assert "Traceback" not in result.output


def test_cli_validate_missing_graph(tmp_path):
    result = CliRunner().invoke(cli, ["validate", "--graph", str(tmp_path)])
    assert result.exit_code == 1
    assert "kg.ttl: no such file" in result.output


@pytest.fixture(scope="module")
def java():
    import os
    import shutil

    if shutil.which("java") is None or importlib.util.find_spec("owlready2") is None:
        if os.environ.get("CI"):
            pytest.fail("the OWL check needs Java and owlready2")
        pytest.skip("the OWL check needs Java and owlready2")


def test_ontology_and_exported_data_are_consistent_owl(java, small_graph):
    # evaluatedOn to a Method (an extraction error) and dates (xsd:date is outside the OWL 2 datatype map) are
    # what made HermiT fail before: both are in this graph
    evidence = {"paper": "2106.09685", "sentence": "LoRA evaluated on full fine-tuning", "start": 0, "end": 34,
                "confidence": 0.5}
    small_graph.add_edge("lora", "full-fine-tuning", key="evaluatedOn", predicate="evaluatedOn", support=1,
                         evidence=[evidence], confidence=0.5)
    g = to_rdf(small_graph)
    assert (entity_iri("lora"), KG.firstSeen, Literal("2021-06-17", datatype=XSD.date)) in g
    assert check_owl(g) == (True, "consistent (HermiT, OWL 2 DL)")
    conforms, report = validate(g)  # SHACL still flags the doubtful endpoint, as a warning
    assert conforms and "Things are evaluated on a dataset or a task" in report


@pytest.mark.parametrize("change, expected", [
    (lambda g: g.add((LORA, RDF.type, KG.Dataset)), "inconsistent: the data contradicts"),  # disjoint classes
    (lambda g: g.add((LORA, KG.paperCount, Literal("2021-06-17", datatype=XSD.date))),
     "HermiT refused the data: org.semanticweb.HermiT.datatypes.UnsupportedDatatypeException"),
])
def test_owl_check_finds_what_shacl_does_not_look_for(java, small_graph, change, expected):
    g = to_rdf(small_graph)
    change(g)
    consistent, report = check_owl(g)
    assert not consistent and report.startswith(expected), report


def test_cli_validate_owl(java, rdf_graph_dir):
    result = CliRunner().invoke(cli, ["validate", "--graph", str(rdf_graph_dir), "--owl"])
    assert result.exit_code == 0, result.output
    assert "OWL: consistent (HermiT, OWL 2 DL)" in result.output


def test_graph_with_results_and_conflicts_conforms(result_graph):
    conforms, report = validate(to_rdf(result_graph))
    assert conforms, report


@pytest.mark.parametrize("breakage, message", [
    (lambda g, r: g.remove((r, MLS.specifiedBy, None)), "specified by exactly one measure"),
    (lambda g, r: g.add((r, MLS.hasValue, Literal("1.0", datatype=XSD.decimal))), "exactly one mls:hasValue"),
    (lambda g, r: g.add((r, KG.baseline, entity_iri("lora"))), "OrConstraintComponent"),  # a baseline, no delta
    (lambda g, r: g.add((r, KG.onDataset, entity_iri("lora"))), "obtained on one dataset or task"),
    (lambda g, r: g.remove((None, KG.reports, r)), "Exactly one paper reports a result"),
    (lambda g, r: g.set((r, KG.resultKind, Literal("relative"))), "InConstraintComponent"),
])
def test_broken_result_fails(result_graph, breakage, message):
    g = to_rdf(result_graph)
    breakage(g, result_iri("result:2106.09685:0"))
    conforms, report = validate(g)
    assert not conforms and message in report


def test_conflict_needs_two_papers(result_graph):
    g = to_rdf(result_graph)
    c = conflict_iri("conflict:full-fine-tuning:lora")
    g.remove((c, PROV.wasDerivedFrom, paper_iri("2106.09685")))
    conforms, report = validate(g)
    assert not conforms and "at least two papers" in report


def test_results_and_conflicts_are_consistent_owl(java, result_graph):
    assert check_owl(to_rdf(result_graph)) == (True, "consistent (HermiT, OWL 2 DL)")
