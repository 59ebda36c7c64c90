"""The RDF vocabulary of `kg`: every IRI the code writes goes through this module.

:class:`KG` is an rdflib :class:`~rdflib.namespace.DefinedNamespace` (the pattern of
``rdflib/namespace/_FOAF.py``) whose terms are exactly those declared in ``ontology/kg.ttl``
(a test checks both directions); ``_fail = True`` makes a misspelt term an error, not a new IRI.
The other vocabularies the ontology aligns to (W3C ML Schema, Web Annotation, FaBiO) are here too;
SKOS, DCMI Terms, PROV-O, schema.org and XSD come from :mod:`rdflib.namespace`.
"""

from pathlib import Path

from rdflib import URIRef
from rdflib.namespace import DCTERMS, OWL, PROV, RDF, RDFS, SDO, SKOS, XSD, DefinedNamespace, Namespace

__all__ = [
    "KG", "MLS", "OA", "FABIO", "ONTOLOGY_IRI", "DEFAULT_BASE", "PREFIXES", "ENTITY_CLASSES",
    "ontology_path",
]

#: IRI of the ontology document (the namespace of its terms is ``ONTOLOGY_IRI + "#"``).
ONTOLOGY_IRI = "https://w3id.org/kg-ml/ontology"
#: Default base IRI of the data (entities, papers, claims); ``kg export --base`` changes it.
DEFAULT_BASE = "https://w3id.org/kg-ml/resource/"

#: W3C ML Schema.
MLS = Namespace("http://www.w3.org/ns/mls#")
#: W3C Web Annotation vocabulary.
OA = Namespace("http://www.w3.org/ns/oa#")
#: FaBiO, the FRBR-aligned Bibliographic Ontology.
FABIO = Namespace("http://purl.org/spar/fabio/")


class KG(DefinedNamespace):
    """Terms of the kg ontology (``ontology/kg.ttl``)."""

    _fail = True
    _NS = Namespace(ONTOLOGY_IRI + "#")

    # Classes
    Entity: URIRef  # a method, model, dataset, task or metric
    Method: URIRef
    Model: URIRef
    Dataset: URIRef
    Task: URIRef
    Metric: URIRef
    Paper: URIRef
    Claim: URIRef  # one relation between two entities, merged over papers
    Evidence: URIRef  # one supporting text span of one paper
    TypeVote: URIRef
    KnowledgeGraph: URIRef
    Result: URIRef  # one reported number (an mls:ModelEvaluation)
    Conflict: URIRef  # claims and results of different papers that disagree

    # Relations between entities
    outperforms: URIRef
    combinesWith: URIRef
    evaluatedOn: URIRef
    variantOf: URIRef

    # Paper-level relations
    mentions: URIRef
    proposes: URIRef
    uses: URIRef
    comparesTo: URIRef

    # Provenance
    subject: URIRef
    predicate: URIRef
    object: URIRef
    hasEvidence: URIRef
    bestEvidence: URIRef
    support: URIRef
    confidence: URIRef
    evidenceText: URIRef
    startOffset: URIRef
    endOffset: URIRef

    # Entity statistics and linking
    nameKey: URIRef  # a lower-cased label or alias: exact, indexed case-insensitive lookup
    nameWord: URIRef  # a lower-cased word of an entity's label or aliases: indexed search by part of a name
    titleWord: URIRef  # a lower-cased content word of a paper's title: indexed title search
    paperCount: URIRef
    firstSeen: URIRef
    generic: URIRef
    hasTypeVote: URIRef
    votedType: URIRef
    voteCount: URIRef

    # Results (issue 16)
    reports: URIRef
    system: URIRef
    onDataset: URIRef
    baseline: URIRef
    valueText: URIRef
    unit: URIRef
    resultKind: URIRef
    normalizedValue: URIRef
    normalizedUnit: URIRef
    producedBy: URIRef
    higherIsBetter: URIRef

    # Conflicts (issue 16)
    conflictKind: URIRef
    between: URIRef
    involves: URIRef
    onMetric: URIRef

    # Papers and the knowledge graph
    authorList: URIRef
    authorCount: URIRef
    organisation: URIRef
    upvotes: URIRef
    sourceFile: URIRef
    sourcePosition: URIRef
    linkReport: URIRef


#: The five entity classes, by the type name the graph uses.
ENTITY_CLASSES = {"Method": KG.Method, "Model": KG.Model, "Dataset": KG.Dataset, "Task": KG.Task,
                  "Metric": KG.Metric}

#: Prefixes bound in every serialisation and known to ``kg query`` without PREFIX lines.
PREFIXES = {
    "kg": str(KG._NS), "rdf": str(RDF), "rdfs": str(RDFS), "owl": str(OWL), "xsd": str(XSD),
    "skos": str(SKOS), "dcterms": str(DCTERMS), "prov": str(PROV), "schema": str(SDO), "mls": str(MLS),
    "oa": str(OA), "fabio": str(FABIO),
}


def ontology_path(name="kg.ttl"):
    """Path of a file of the ``ontology/`` directory (``kg.ttl``, ``shapes.ttl``, ``queries/...``).

    The directory sits at the top of the source tree, beside the ``kg`` package; a copy inside the
    package (``kg/ontology/``, for installs that are not editable) is preferred when present.

    Parameters
    ----------
    name : str
        File name relative to ``ontology/``.

    Returns
    -------
    pathlib.Path

    Examples
    --------
    >>> ontology_path("kg.ttl").name
    'kg.ttl'
    """
    here = Path(__file__).resolve().parent
    for root in (here / "ontology", here.parent / "ontology"):
        if root.is_dir():
            return root / name
    return here.parent / "ontology" / name
