"""RDF export of the knowledge graph, in the vocabulary of ``ontology/kg.ttl``, with provenance.

Follows RDF 1.1 Concepts (https://www.w3.org/TR/rdf11-concepts/). The graph is built with rdflib and written
by the libraries' own writers: Turtle, N-Triples and N-Quads (the data in one named graph) by pyoxigraph's,
which are fast at scale, JSON-LD 1.1 and RDF/XML by rdflib's.

IRIs are stable and built from the graph's ids under a configurable base (default
:data:`kg.vocab.DEFAULT_BASE`, checked by :func:`check_base`): ``entity/<id>``, ``paper/<paper id>``,
``claim/<s>/<predicate>/<o>`` and ``claim/.../evidence/<n>`` (ids percent-encoded). The output is a function of
the graph alone: blank nodes (the nodes of author lists) get labels derived from their paper, triples are sorted,
and a paper's source is recorded as its file name, never a local path. Every extracted relation is asserted
twice over:

* the direct triple ``<s> kg:outperforms <o>`` (``kg:combinesWith`` in both directions, it is symmetric);
* a ``kg:Claim`` with ``kg:subject`` / ``kg:predicate`` / ``kg:object``, the support (papers),
  the best confidence, ``prov:wasDerivedFrom`` each paper, and one ``kg:Evidence`` per evidence item: the
  paper, the quoted sentence, its character offsets in the paper text and the confidence
  (a W3C Web Annotation ``oa:TextQuoteSelector`` by the ontology's axioms).

Every reported number (a result node of :mod:`kg.graph`) is a ``kg:Result``, a W3C ML Schema
``mls:ModelEvaluation``: ``mls:hasValue`` the number, ``mls:specifiedBy`` its measure (the Metric entity), with
``kg:system``, ``kg:onDataset`` and ``kg:baseline`` for the method, the dataset (or task) and, for a difference,
what it is measured against, the value as written, its unit and kind, ``kg:producedBy`` the ids of the patterns
and rules that found it, its ``kg:Evidence`` and ``prov:wasDerivedFrom`` its paper, which ``kg:reports`` it. An
``mls:Run`` (``<result>/run``) has the result as output and the dataset and the evaluated model as input, the
ML Schema pattern. Metrics whose direction is known carry ``kg:higherIsBetter``. A ``kg:Conflict`` joins the
claims and results that disagree (``kg:between``) and the two entities it is about (``kg:involves``).
IRIs: ``result/<paper id>/<n>`` and ``conflict/<a>/<b>[/<metric>/<dataset>]``.
"""

import datetime
import hashlib
import json
import re
from pathlib import Path, PurePath
from urllib.parse import quote

from rdflib import BNode, Dataset, Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, PROV, RDF, SKOS, XSD

from ..errors import InputError, KGError
from ..graph import CONFLICT_PREFIX, ENTITY_RELATIONS, PAPER_RELATIONS, RESULT_PREFIX
from ..io import atomic_path
from ..metrics import load_metrics
from ..vocab import DEFAULT_BASE, ENTITY_CLASSES, KG, PREFIXES

__all__ = ["DEFAULT_BASE", "RDF_FORMATS", "check_base", "to_rdf", "write_rdf", "read_rdf", "entity_iri",
           "paper_iri", "claim_iri", "result_iri", "conflict_iri", "graph_iri"]

#: ``kg export`` format names -> rdflib plugin names.
RDF_FORMATS = {"turtle": "turtle", "ntriples": "nt", "jsonld": "json-ld", "xml": "xml", "nquads": "nquads"}
_OXIGRAPH_FORMATS = {"turtle", "ntriples", "nquads"}
#: Formats whose documents hold named graphs (read into a dataset, then merged).
_QUAD_FORMATS = {"nquads", "trig"}
_EXTENSIONS = {".ttl": "turtle", ".nt": "nt", ".jsonld": "json-ld", ".json": "json-ld", ".rdf": "xml",
               ".xml": "xml", ".owl": "xml", ".nq": "nquads", ".trig": "trig"}
# Characters XML 1.0 cannot hold (RDF/XML would be unreadable); they carry no text in abstracts.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
_IRI = re.compile(r"https?://[^\s<>\"{}|\\^`]+")
_DATE_TYPES = ((re.compile(r"\d{4}-\d{2}-\d{2}"), XSD.date), (re.compile(r"\d{4}-\d{2}"), XSD.gYearMonth),
               (re.compile(r"\d{4}"), XSD.gYear))


def check_base(base):
    """Check a base IRI for the data: absolute (RFC 3987, as pyoxigraph parses it) and ending in ``/`` or ``#``.

    Parameters
    ----------
    base : str

    Returns
    -------
    str
        `base` itself.

    Raises
    ------
    KGError
        Saying what is wrong, with a corrected IRI when one is obvious.

    Examples
    --------
    >>> check_base("http://example.org/kg/")
    'http://example.org/kg/'
    >>> check_base("http://example.org/kg")
    Traceback (most recent call last):
    ...
    kg.errors.KGError: base IRI 'http://example.org/kg' must end with '/' or '#' (entity IRIs are appended to it): use 'http://example.org/kg/'
    """
    from pyoxigraph import NamedNode

    if not isinstance(base, str) or not base:
        raise KGError(f"base IRI must be a non-empty string, not {base!r}")
    try:
        NamedNode(base)
    except ValueError as exc:
        raise KGError(f"base IRI {base!r} is not an absolute IRI ({exc}); e.g. {DEFAULT_BASE!r}") from None
    if not base.endswith(("/", "#")):
        raise KGError(f"base IRI {base!r} must end with '/' or '#' (entity IRIs are appended to it): "
                      f"use {base + '/'!r}")
    return base


def entity_iri(node_id, base=DEFAULT_BASE):
    """IRI of an entity: ``base + "entity/" + id`` (percent-encoded).

    Examples
    --------
    >>> str(entity_iri("gpt-4"))
    'https://w3id.org/kg-ml/resource/entity/gpt-4'
    >>> str(entity_iri("a/b c", base="http://example.org/"))
    'http://example.org/entity/a%2Fb%20c'
    """
    return URIRef(f"{base}entity/{quote(str(node_id), safe='')}")


def paper_iri(paper_id, base=DEFAULT_BASE):
    """IRI of a paper: ``base + "paper/" + paper id`` (percent-encoded).

    Examples
    --------
    >>> str(paper_iri("2106.09685"))
    'https://w3id.org/kg-ml/resource/paper/2106.09685'
    """
    return URIRef(f"{base}paper/{quote(str(paper_id), safe='')}")


def claim_iri(subject, predicate, object, base=DEFAULT_BASE):
    """IRI of the claim of one relation: ``base + "claim/<s>/<predicate>/<o>"``.

    Examples
    --------
    >>> str(claim_iri("lora", "outperforms", "full-fine-tuning"))
    'https://w3id.org/kg-ml/resource/claim/lora/outperforms/full-fine-tuning'
    """
    return URIRef(f"{base}claim/{quote(str(subject), safe='')}/{predicate}/{quote(str(object), safe='')}")


def result_iri(key, base=DEFAULT_BASE):
    """IRI of a result node ``result:<paper id>:<n>``: ``base + "result/<paper id>/<n>"``.

    Examples
    --------
    >>> str(result_iri("result:2106.09685:0"))
    'https://w3id.org/kg-ml/resource/result/2106.09685/0'
    """
    paper, _, n = str(key).removeprefix(RESULT_PREFIX).rpartition(":")
    return URIRef(f"{base}result/{quote(paper, safe='')}/{quote(n, safe='')}")


def conflict_iri(key, base=DEFAULT_BASE):
    """IRI of a conflict node ``conflict:<a>:<b>[:<metric>:<dataset>]``: its parts joined by ``/``.

    Examples
    --------
    >>> str(conflict_iri("conflict:gpt-4:llama-2"))
    'https://w3id.org/kg-ml/resource/conflict/gpt-4/llama-2'
    """
    parts = str(key).removeprefix(CONFLICT_PREFIX).split(":")
    return URIRef(f"{base}conflict/" + "/".join(quote(p, safe="") for p in parts))


def graph_iri(base=DEFAULT_BASE):
    """IRI of the knowledge graph itself (also the named graph of N-Quads output)."""
    return URIRef(f"{base}graph")


def _text(value):
    return Literal(_NOT_XML.sub("", str(value)))


def _file_name(value):
    """The name of a source file without its directories: outputs never record a local path."""
    return _text(PurePath(str(value).replace("\\", "/")).name)


def _int(value):
    return Literal(int(value), datatype=XSD.integer)


def _count(value):
    return Literal(int(value), datatype=XSD.nonNegativeInteger)


def _decimal(value):
    # xsd:decimal keeps "0.9" readable in every serialisation and query result (xsd:double prints 9e-01).
    text = f"{float(value):.6f}".rstrip("0")
    return Literal(text + "0" if text.endswith(".") else text, datatype=XSD.decimal)


def _date(value):
    """An ISO date as xsd:date (or gYearMonth / gYear); anything else as a plain string."""
    value = str(value).strip()
    for pattern, datatype in _DATE_TYPES:
        if pattern.fullmatch(value):
            try:
                datetime.date.fromisoformat((value + "-01-01")[:10])
            except ValueError:
                break
            return Literal(value, datatype=datatype)
    return _text(value)


def _timestamp(value):
    try:
        datetime.datetime.fromisoformat(str(value))
    except ValueError:
        return _date(value)
    return Literal(str(value), datatype=XSD.dateTime)


def _prefixes(base):
    """Vocabulary prefixes plus ``entity:`` and ``paper:`` for the data (claim IRIs hold slashes: kept whole)."""
    return {**PREFIXES, "entity": f"{base}entity/", "paper": f"{base}paper/"}


def _new_graph(base):
    g = Graph(bind_namespaces="none")
    for prefix, ns in _prefixes(base).items():
        g.bind(prefix, ns)
    return g


def to_rdf(G, base=DEFAULT_BASE):
    """The RDF graph of `G`: entities, papers, relations and their provenance.

    Parameters
    ----------
    G : networkx.MultiDiGraph
        A graph in the schema of :mod:`kg.graph`.
    base : str
        Base IRI of the resources; should end in ``/`` or ``#``.

    Returns
    -------
    rdflib.Graph

    Raises
    ------
    KGError
        When a node or edge is outside the schema (unknown kind, type or predicate), or `base` is not a valid
        base IRI (:func:`check_base`).

    Examples
    --------
    >>> import networkx as nx
    >>> G = nx.MultiDiGraph()
    >>> G.add_node("bert", kind="entity", type="Model", label="BERT", aliases=[], papers=[], paper_count=0)
    >>> g = to_rdf(G)
    >>> (entity_iri("bert"), KG.paperCount, None) in g
    True
    """
    check_base(base)
    g = _new_graph(base)
    papers, annotations = {}, []
    for key, d in G.nodes(data=True):
        kind = d.get("kind")
        if kind == "paper":
            papers[key] = _add_paper(g, d.get("id") or str(key).removeprefix("paper:"), d, base)
        elif kind in ("result", "conflict"):
            annotations.append((kind, key, d))
        elif kind != "entity":
            raise KGError(f"node {key!r} has kind {kind!r}; valid kinds: entity, paper, result, conflict")
    linked = set()
    for u, v, key, d in G.edges(keys=True, data=True):
        predicate = d.get("predicate", key)
        if predicate == "reports" and u in papers and G.nodes[v].get("kind") == "result":
            g.add((papers[u], KG.reports, result_iri(v, base)))
        elif u in papers:
            if predicate not in PAPER_RELATIONS:
                raise KGError(f"edge {u!r} -> {v!r} has predicate {predicate!r}; valid paper-level predicates: "
                              f"{', '.join(PAPER_RELATIONS)}")
            g.add((papers[u], getattr(KG, predicate), entity_iri(v, base)))
            linked.add((papers[u], v))
        elif predicate in ENTITY_RELATIONS:
            _add_relation(g, u, predicate, v, d, base)
        else:
            raise KGError(f"edge {u!r} -> {v!r} has predicate {predicate!r}; valid predicates: "
                          f"{', '.join(ENTITY_RELATIONS + PAPER_RELATIONS)}")
    metrics = load_metrics()
    for key, d in G.nodes(data=True):
        if d.get("kind") == "entity":
            _add_entity(g, key, d, base, linked)
            if d.get("type") == "Metric":
                direction = metrics.direction(d.get("label"), *(d.get("aliases") or []))
                if direction is not None:
                    g.add((entity_iri(key, base), KG.higherIsBetter, Literal(direction == "higher")))
    from .rdf_results import add_conflict, add_result

    for kind, key, d in annotations:
        (add_result if kind == "result" else add_conflict)(g, G, key, d, base)
    _add_graph_node(g, G.graph, base)
    return g


def _add_paper(g, paper_id, d, base):
    p = paper_iri(paper_id, base)
    g.add((p, RDF.type, KG.Paper))
    g.add((p, DCTERMS.identifier, _text(paper_id)))
    for attr, prop, make in (("title", DCTERMS.title, _text), ("abstract", DCTERMS.abstract, _text),
                             ("date", DCTERMS.issued, _date), ("n_authors", KG.authorCount, _count),
                             ("organisation", KG.organisation, _text), ("upvotes", KG.upvotes, _int),
                             ("source", KG.sourceFile, _file_name), ("position", KG.sourcePosition, _int)):
        if d.get(attr) not in (None, ""):
            g.add((p, prop, make(d[attr])))
    url = d.get("url")
    if url:
        g.add((p, DCTERMS.source, URIRef(url) if _IRI.fullmatch(url) else _text(url)))
    authors = [a for a in d.get("authors") or [] if a]
    if authors:
        names = [_text(a) for a in authors]
        for name in names:
            g.add((p, DCTERMS.creator, name))
        # Labels derived from the paper's IRI, so that identical inputs give identical files
        # (rdflib's BNode() is a random UUID).
        stem = "a" + hashlib.sha1(str(p).encode("utf-8")).hexdigest()[:16]
        nodes = [BNode(f"{stem}n{i}") for i in range(len(names))]
        for node, name, rest in zip(nodes, names, nodes[1:] + [RDF.nil]):
            g.add((node, RDF.first, name))
            g.add((node, RDF.rest, rest))
        g.add((p, KG.authorList, nodes[0]))
    return p


def _add_entity(g, key, d, base, linked):
    type_ = d.get("type")
    if type_ not in ENTITY_CLASSES:
        raise KGError(f"entity {key!r} has type {type_!r}; valid types: {', '.join(ENTITY_CLASSES)}")
    e = entity_iri(key, base)
    g.add((e, RDF.type, ENTITY_CLASSES[type_]))
    g.add((e, DCTERMS.identifier, _text(key)))
    g.add((e, SKOS.prefLabel, _text(d.get("label") or key)))
    for alias in d.get("aliases") or []:
        g.add((e, SKOS.altLabel, _text(alias)))
    papers = d.get("papers") or []
    g.add((e, KG.paperCount, _count(d.get("paper_count", len(papers)))))
    if d.get("first_seen"):
        g.add((e, KG.firstSeen, _date(d["first_seen"])))
    if d.get("generic") is not None:
        g.add((e, KG.generic, Literal(bool(d["generic"]))))
    if d.get("confidence") is not None:
        g.add((e, KG.confidence, _decimal(d["confidence"])))
    for voted, count in sorted((d.get("type_votes") or {}).items()):
        if voted not in ENTITY_CLASSES:
            raise KGError(f"entity {key!r} has a vote for type {voted!r}; valid types: {', '.join(ENTITY_CLASSES)}")
        vote = URIRef(f"{e}/typeVote/{voted}")
        g.add((e, KG.hasTypeVote, vote))
        g.add((vote, RDF.type, KG.TypeVote))
        g.add((vote, KG.votedType, ENTITY_CLASSES[voted]))
        g.add((vote, KG.voteCount, _count(count)))
    # A paper listed without a paper-level edge still mentions the entity: keep it.
    for pid in papers:
        p = paper_iri(pid, base)
        if (p, key) not in linked:
            g.add((p, KG.mentions, e))


def _add_relation(g, u, predicate, v, d, base):
    s, o, prop = entity_iri(u, base), entity_iri(v, base), getattr(KG, predicate)
    g.add((s, prop, o))
    if predicate == "combinesWith":
        g.add((o, prop, s))
    claim = claim_iri(u, predicate, v, base)
    evidence = d.get("evidence") or []
    g.add((claim, RDF.type, KG.Claim))
    g.add((claim, KG.subject, s))
    g.add((claim, KG.predicate, prop))
    g.add((claim, KG.object, o))
    g.add((claim, KG.support, _count(d.get("support", len({ev.get("paper") for ev in evidence})))))
    confidence = d.get("confidence")
    if confidence is None:
        confidence = max((ev.get("confidence", 1.0) for ev in evidence), default=1.0)
    g.add((claim, KG.confidence, _decimal(confidence)))
    for i, ev in enumerate(evidence, start=1):
        node = URIRef(f"{claim}/evidence/{i}")
        g.add((claim, KG.hasEvidence, node))
        if ev.get("paper") is not None:
            g.add((claim, PROV.wasDerivedFrom, paper_iri(ev["paper"], base)))
        _evidence_node(g, node, ev.get("paper"), ev, base)


def _evidence_node(g, node, paper, d, base):
    """A kg:Evidence `node`: the quoted text, its offsets and confidence, derived from `paper`."""
    g.add((node, RDF.type, KG.Evidence))
    if paper is not None:
        g.add((node, PROV.wasDerivedFrom, paper_iri(paper, base)))
    g.add((node, KG.evidenceText, _text(d.get("sentence") or "")))
    for attr, prop in (("start", KG.startOffset), ("end", KG.endOffset)):
        if d.get(attr) is not None:
            g.add((node, prop, _count(d[attr])))
    g.add((node, KG.confidence, _decimal(d.get("confidence", 1.0))))


def _add_graph_node(g, attrs, base):
    k = graph_iri(base)
    g.add((k, RDF.type, KG.KnowledgeGraph))
    if attrs.get("name"):
        g.add((k, DCTERMS.title, _text(attrs["name"])))
    if attrs.get("created"):
        g.add((k, DCTERMS.created, _timestamp(attrs["created"])))
    if attrs.get("papers") is not None:
        g.add((k, KG.paperCount, _count(attrs["papers"])))
    if attrs.get("link_report"):
        g.add((k, KG.linkReport, _text(json.dumps(attrs["link_report"], sort_keys=True, ensure_ascii=False))))


def write_rdf(G, path, format="turtle", base=DEFAULT_BASE):
    """Write the RDF of `G` (:func:`to_rdf`) to `path`, atomically.

    Parameters
    ----------
    G : networkx.MultiDiGraph
        A graph in the schema of :mod:`kg.graph`.
    path : str or os.PathLike
    format : {"turtle", "ntriples", "jsonld", "xml", "nquads"}
        ``nquads`` puts the triples in the named graph :func:`graph_iri`.
    base : str
        Base IRI of the resources.

    Returns
    -------
    dict
        ``{"path": str, "format": str, "triples": int}``.

    Raises
    ------
    KGError
        For an unknown format, or a graph outside the schema.
    """
    if format not in RDF_FORMATS:
        raise KGError(f"unknown RDF format {format!r}; valid formats: {', '.join(RDF_FORMATS)}")
    g = to_rdf(G, base=base)
    with atomic_path(path) as tmp:
        if format in _OXIGRAPH_FORMATS:
            _write_with_oxigraph(g, tmp, format, base)
        else:
            kwargs = {"auto_compact": True} if format == "jsonld" else {}
            g.serialize(destination=str(tmp), format=RDF_FORMATS[format], encoding="utf-8", **kwargs)
    return {"path": str(path), "format": format, "triples": len(g)}


def _write_with_oxigraph(g, path, format, base):
    """Turtle, N-Triples and N-Quads through pyoxigraph's writers: rdflib's Turtle writer takes about
    30 s on 80k triples (prefix lookups), pyoxigraph well under one. Triples are sorted so that Turtle
    groups each subject's statements."""
    from pyoxigraph import NamedNode, Quad, RdfFormat, parse, serialize

    triples = parse(g.serialize(format="nt", encoding="utf-8"), format=RdfFormat.N_TRIPLES)
    triples = sorted(triples, key=lambda t: (str(t.subject), str(t.predicate), str(t.object)))
    if format == "nquads":
        graph = NamedNode(str(graph_iri(base)))
        serialize([Quad(t.subject, t.predicate, t.object, graph) for t in triples], str(path),
                  format=RdfFormat.N_QUADS)
    elif format == "ntriples":
        serialize(triples, str(path), format=RdfFormat.N_TRIPLES)
    else:
        serialize(triples, str(path), format=RdfFormat.TURTLE, prefixes=_prefixes(base))


def read_rdf(path, format=None):
    """Read an RDF file into one rdflib graph (the named graphs of a dataset format are merged).

    Parameters
    ----------
    path : str or os.PathLike
    format : str, optional
        A name of :data:`RDF_FORMATS` or an rdflib plugin name; guessed from the extension when omitted.

    Returns
    -------
    rdflib.Graph

    Raises
    ------
    InputError
        When the file is missing, its format unknown, or it does not parse.
    """
    path = Path(path)
    if not path.is_file():
        raise InputError(path, "no such file")
    fmt = RDF_FORMATS.get(format, format) or _EXTENSIONS.get(path.suffix.lower())
    if fmt is None:
        raise InputError(path, f"cannot tell the RDF format from the extension {path.suffix!r}; "
                               f"give one of: {', '.join(RDF_FORMATS)}")
    try:
        if fmt in _QUAD_FORMATS:
            ds = Dataset()
            ds.parse(str(path), format=fmt)
            g = Graph(bind_namespaces="none")
            for s, p, o, _ in ds.quads((None, None, None, None)):
                g.add((s, p, o))
            return g
        return Graph(bind_namespaces="none").parse(str(path), format=fmt)
    except Exception as exc:  # rdflib raises many unrelated types for bad syntax
        first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        raise InputError(path, f"not valid {fmt}: {first}") from exc
