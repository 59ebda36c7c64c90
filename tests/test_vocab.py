"""kg.vocab <-> ontology/kg.ttl, and the ontology as OWL 2 (rdflib and owlready2)."""

import pytest
from rdflib import Graph, URIRef
from rdflib.namespace import DCTERMS, OWL, PROV, RDF, RDFS, SDO, SKOS, XSD

from kg.vocab import FABIO, KG, MLS, OA, ONTOLOGY_IRI, ontology_path

NS = str(KG._NS)


@pytest.fixture(scope="module")
def ontology():
    return Graph().parse(ontology_path("kg.ttl"), format="turtle")


def _declared(g):
    return {s for s, _, _ in g.triples((None, RDF.type, None)) if isinstance(s, URIRef) and s.startswith(NS)}


def _vocab_terms():
    return {KG[name] for name in KG.__annotations__}


def test_every_vocab_term_is_declared_in_the_ontology(ontology):
    assert _vocab_terms() - _declared(ontology) == set()


def test_every_ontology_term_is_in_the_vocab(ontology):
    assert _declared(ontology) - _vocab_terms() == set()


def test_a_misspelt_term_raises():
    with pytest.raises(AttributeError):
        KG.outperform  # noqa: B018


@pytest.mark.parametrize("prop", [RDFS.label, RDFS.comment])
def test_every_term_has_a_label_and_a_comment(ontology, prop):
    missing = [t for t in _declared(ontology) if ontology.value(t, prop) is None]
    assert missing == []


@pytest.mark.parametrize("term, axiom, target", [
    (KG.Method, RDFS.subClassOf, MLS.Algorithm),
    (KG.Model, RDFS.subClassOf, MLS.Model),
    (KG.Dataset, RDFS.subClassOf, MLS.Dataset),
    (KG.Task, RDFS.subClassOf, MLS.Task),
    (KG.Metric, RDFS.subClassOf, MLS.EvaluationMeasure),
    (KG.Entity, RDFS.subClassOf, SKOS.Concept),
    (KG.Paper, RDFS.subClassOf, SDO.ScholarlyArticle),
    (KG.Paper, RDFS.subClassOf, FABIO.ResearchPaper),
    (KG.Paper, RDFS.subClassOf, PROV.Entity),
    (KG.Claim, RDFS.subClassOf, PROV.Entity),
    (KG.Evidence, RDFS.subClassOf, OA.TextQuoteSelector),
    (KG.evidenceText, RDFS.subPropertyOf, OA.exact),
    (KG.startOffset, RDFS.subPropertyOf, OA.start),
    (KG.endOffset, RDFS.subPropertyOf, OA.end),
    (KG.mentions, RDFS.subPropertyOf, SDO.mentions),
    (KG.proposes, RDFS.subPropertyOf, KG.mentions),
    (KG.variantOf, RDFS.subPropertyOf, SKOS.broader),
    (KG.combinesWith, RDF.type, OWL.SymmetricProperty),
    (DCTERMS.title, RDF.type, OWL.AnnotationProperty),
])
def test_alignment_axioms(ontology, term, axiom, target):
    assert (term, axiom, target) in ontology


@pytest.mark.parametrize("prop", ["outperforms", "combinesWith", "evaluatedOn", "variantOf", "proposes", "uses",
                                  "comparesTo", "mentions"])
def test_relations_have_domain_and_range(ontology, prop):
    term = KG[prop]
    assert (term, RDF.type, OWL.ObjectProperty) in ontology
    assert ontology.value(term, RDFS.domain) is not None
    assert ontology.value(term, RDFS.range) is not None


def test_ontology_loads_in_owlready2(ontology, tmp_path):
    owlready2 = pytest.importorskip("owlready2")
    path = tmp_path / "kg.owl"
    ontology.serialize(destination=str(path), format="xml")  # owlready2 reads RDF/XML, not Turtle
    world = owlready2.World()
    onto = world.get_ontology(path.as_uri()).load()
    assert onto.base_iri == NS
    method = world[str(KG.Method)]
    assert world[str(MLS.Algorithm)] in method.is_a
    assert world[str(KG.Entity)] in method.is_a
    assert owlready2.SymmetricProperty in world[str(KG.combinesWith)].is_a
    assert {c.iri for c in onto.classes()} >= {str(KG[n]) for n in ("Paper", "Method", "Model", "Dataset", "Task",
                                                                    "Metric", "Claim", "Evidence")}
    assert world[str(KG.support)] in list(world.data_properties())


def test_ontology_header(ontology):
    assert (URIRef(ONTOLOGY_IRI), RDF.type, OWL.Ontology) in ontology
    assert ontology.value(URIRef(ONTOLOGY_IRI), OWL.versionInfo) is not None


def test_ontology_files_are_found():
    assert ontology_path("kg.ttl").is_file()
    assert ontology_path("shapes.ttl").is_file()
    assert ontology_path("queries").is_dir()


def test_the_record_schema_matches_the_ontology(ontology):
    """kg.records (types, roles, relations, symmetry) and ontology/kg.ttl say the same."""
    from kg.graph import ROLE_TO_PAPER_RELATION
    from kg.records import ENTITY_TYPES, RELATIONS, ROLES, SYMMETRIC_RELATIONS

    for type_ in ENTITY_TYPES:
        assert (KG[type_], RDFS.subClassOf, KG.Entity) in ontology, type_
    for rel in RELATIONS:
        assert (KG[rel], RDF.type, OWL.ObjectProperty) in ontology, rel
        symmetric = (KG[rel], RDF.type, OWL.SymmetricProperty) in ontology
        assert symmetric == (rel in SYMMETRIC_RELATIONS), rel
    assert set(ROLE_TO_PAPER_RELATION) == set(ROLES)
    for role, prop in ROLE_TO_PAPER_RELATION.items():
        assert (KG[prop], RDF.type, OWL.ObjectProperty) in ontology, role


def test_name_key_is_declared_as_a_string_property_of_entities(ontology):
    # the key of case-insensitive lookups (kg:nameKey), which the RDF writer emits for every name of an entity
    assert (KG.nameKey, RDF.type, OWL.DatatypeProperty) in ontology
    assert (KG.nameKey, RDFS.domain, KG.Entity) in ontology
    assert (KG.nameKey, RDFS.range, XSD.string) in ontology
