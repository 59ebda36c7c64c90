"""RDF export of the knowledge graph, in the vocabulary of ``ontology/kg.ttl``, with provenance.

Follows RDF 1.1 Concepts (https://www.w3.org/TR/rdf11-concepts/). The triples are made one node at a time from
a :class:`kg.view.GraphView` (:func:`rdf_triples`) as pyoxigraph terms and streamed into pyoxigraph's writers:
Turtle, N-Triples and N-Quads (the data in one named graph) never hold the graph in memory, and no rdflib graph
is built on the way (it took about 900 bytes a triple and most of the writing time). JSON-LD 1.1 and RDF/XML,
whose writers need the whole graph, go through rdflib's (:func:`to_rdf`).

IRIs are stable and built from the graph's ids under a configurable base (default
:data:`kg.vocab.DEFAULT_BASE`, checked by :func:`check_base`): ``entity/<id>``, ``paper/<paper id>``,
``claim/<s>/<predicate>/<o>`` and ``claim/.../evidence/<n>`` (ids percent-encoded). The output is a function of
the graph alone: blank nodes (the nodes of author lists) get labels derived from their paper, triples come in
the view's order (papers, then entities in id order, each node's statements together), and a paper's source is
recorded as its file name, never a local path. An entity carries each of its names (label and aliases)
lower-cased once as ``kg:nameKey``, as SPARQL ``LCASE`` gives it: a case-insensitive lookup by name is then an
indexed triple pattern, where a FILTER on ``LCASE`` of the labels reads every label of the graph. For the same
reason a paper carries each content word of its title, lower-cased, as ``kg:titleWord`` (:func:`title_words`), and
an entity each word of its names as ``kg:nameWord`` (:func:`name_words`): a search by title words or by part of a
name starts from an index lookup instead of reading every title or name. Every extracted relation is
asserted twice over:

* the direct triple ``<s> kg:outperforms <o>`` (``kg:combinesWith`` in both directions, it is symmetric);
* a ``kg:Claim`` with ``kg:subject`` / ``kg:predicate`` / ``kg:object``, the support (papers),
  the best confidence, ``prov:wasDerivedFrom`` each paper, and one ``kg:Evidence`` per evidence item: the
  paper, the quoted sentence, its character offsets in the paper text and the confidence
  (a W3C Web Annotation ``oa:TextQuoteSelector`` by the ontology's axioms); ``kg:bestEvidence`` names the one
  with the highest confidence (the first of equals), so that a query wanting one sentence per claim reads one
  evidence instead of all of them.

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
import functools
import hashlib
import json
import re
from pathlib import Path, PurePath
from urllib.parse import quote

from rdflib import BNode, Dataset, Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, PROV, RDF, RDFS, SKOS, XSD

from ..errors import InputError, KGError
from ..graph import CONFLICT_PREFIX, ENTITY_RELATIONS, PAPER_RELATIONS, RESULT_PREFIX
from ..io import atomic_path
from ..metrics import load_metrics
from ..view import view_of
from ..vocab import DEFAULT_BASE, ENTITY_CLASSES, KG, MLS, PREFIXES

__all__ = ["DEFAULT_BASE", "RDF_FORMATS", "check_base", "rdf_triples", "to_rdf", "write_rdf", "read_rdf",
           "entity_iri", "paper_iri", "claim_iri", "result_iri", "conflict_iri", "graph_iri"]

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
_DATE_TYPES = ((re.compile(r"\d{4}-\d{2}-\d{2}"), "date"), (re.compile(r"\d{4}-\d{2}"), "gYearMonth"),
               (re.compile(r"\d{4}"), "gYear"))


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


# -- terms: pyoxigraph's, made once -----------------------------------------------------------------------------

def _node(iri):
    from pyoxigraph import NamedNode

    return NamedNode(str(iri))


class _Terms:
    """The pyoxigraph terms of one export: vocabulary made once, resource IRIs under `base`."""

    def __init__(self, base):
        from pyoxigraph import BlankNode, Literal as OxLiteral, NamedNode, Triple

        self.base = base
        self.NamedNode, self.BlankNode, self.Literal, self.Triple = NamedNode, BlankNode, OxLiteral, Triple
        self.type = _node(RDF.type)
        self.first, self.rest, self.nil = _node(RDF.first), _node(RDF.rest), _node(RDF.nil)
        self.dc = {name: _node(DCTERMS[name]) for name in ("identifier", "title", "abstract", "issued", "source",
                                                           "creator", "created")}
        self.pref, self.alt = _node(SKOS.prefLabel), _node(SKOS.altLabel)
        self.derived = _node(PROV.wasDerivedFrom)
        self.label = _node(RDFS.label)
        self.kg = functools.lru_cache(maxsize=None)(lambda name: _node(KG[name]))
        self.mls = functools.lru_cache(maxsize=None)(lambda name: _node(MLS[name]))
        self.metrics = load_metrics()  # metric directions (kg:higherIsBetter)
        self.classes = {t: _node(c) for t, c in ENTITY_CLASSES.items()}
        self.xsd = {name: _node(XSD[name]) for name in ("integer", "nonNegativeInteger", "decimal", "date",
                                                        "gYearMonth", "gYear", "dateTime", "boolean")}
        self.entity = functools.lru_cache(maxsize=1 << 16)(
            lambda node_id: NamedNode(f"{base}entity/{quote(str(node_id), safe='')}"))
        self.paper = functools.lru_cache(maxsize=1 << 16)(
            lambda paper_id: NamedNode(f"{base}paper/{quote(str(paper_id), safe='')}"))

    # literals
    def text(self, value):
        return self.Literal(_NOT_XML.sub("", str(value)))

    def file_name(self, value):
        """The name of a source file without its directories: outputs never record a local path."""
        return self.text(PurePath(str(value).replace("\\", "/")).name)

    def int(self, value):
        return self.Literal(str(int(value)), datatype=self.xsd["integer"])

    def count(self, value):
        return self.Literal(str(int(value)), datatype=self.xsd["nonNegativeInteger"])

    def decimal(self, value):
        # xsd:decimal keeps "0.9" readable in every serialisation and query result (xsd:double prints 9e-01).
        text = f"{float(value):.6f}".rstrip("0")
        return self.Literal(text + "0" if text.endswith(".") else text, datatype=self.xsd["decimal"])

    def value(self, value):
        """Any finite number as xsd:decimal (a reported value may be negative or large)."""
        text = f"{float(value):.10f}".rstrip("0")
        return self.Literal(text + "0" if text.endswith(".") else text, datatype=self.xsd["decimal"])

    def boolean(self, value):
        return self.Literal("true" if value else "false", datatype=self.xsd["boolean"])

    def date(self, value):
        """An ISO date as xsd:date (or gYearMonth / gYear); anything else as a plain string."""
        value = str(value).strip()
        for pattern, datatype in _DATE_TYPES:
            if pattern.fullmatch(value):
                try:
                    datetime.date.fromisoformat((value + "-01-01")[:10])
                except ValueError:
                    break
                return self.Literal(value, datatype=self.xsd[datatype])
        return self.text(value)

    def timestamp(self, value):
        try:
            datetime.datetime.fromisoformat(str(value))
        except ValueError:
            return self.date(value)
        return self.Literal(str(value), datatype=self.xsd["dateTime"])

    def iri_or_text(self, value):
        """A web address as an IRI when it is one (pyoxigraph checks RFC 3987), else as text."""
        if _IRI.fullmatch(value):
            try:
                return self.NamedNode(value)
            except ValueError:
                pass
        return self.text(value)

    def claim(self, subject, predicate, object):
        return self.NamedNode(f"{self.base}claim/{quote(str(subject), safe='')}/{predicate}/"
                              f"{quote(str(object), safe='')}")

    def result(self, key):
        return self.NamedNode(str(result_iri(key, self.base)))

    def conflict(self, key):
        return self.NamedNode(str(conflict_iri(key, self.base)))

    def evidence(self, node, paper, ev):
        """The triples of a kg:Evidence `node`: the quoted text, its offsets and confidence, from `paper`."""
        yield self.Triple(node, self.type, self.kg("Evidence"))
        if paper is not None:
            yield self.Triple(node, self.derived, self.paper(paper))
        yield self.Triple(node, self.kg("evidenceText"), self.text(ev.get("sentence") or ""))
        for attr, prop in (("start", "startOffset"), ("end", "endOffset")):
            if ev.get(attr) is not None:
                yield self.Triple(node, self.kg(prop), self.count(ev[attr]))
        yield self.Triple(node, self.kg("confidence"), self.decimal(ev.get("confidence", 1.0)))


def _prefixes(base):
    """Vocabulary prefixes plus ``entity:`` and ``paper:`` for the data (claim IRIs hold slashes: kept whole)."""
    return {**PREFIXES, "entity": f"{base}entity/", "paper": f"{base}paper/"}


# -- the triples ------------------------------------------------------------------------------------------------

def rdf_triples(graph, base=DEFAULT_BASE):
    """Yield the RDF of `graph` as pyoxigraph triples, one node's statements at a time.

    Parameters
    ----------
    graph : networkx.MultiDiGraph or kg.view.GraphView
        A graph in the schema of :mod:`kg.graph`.
    base : str
        Base IRI of the resources; must end in ``/`` or ``#``.

    Yields
    ------
    pyoxigraph.Triple
        No triple twice within a node's statements.

    Raises
    ------
    KGError
        When a node or edge is outside the schema (unknown kind, type or predicate), or `base` is not a valid
        base IRI (:func:`check_base`); raised when the generator reaches it.

    Examples
    --------
    >>> import networkx as nx
    >>> G = nx.MultiDiGraph()
    >>> G.add_node("bert", kind="entity", type="Model", label="BERT", aliases=[], papers=[], paper_count=0)
    >>> [t.object.value for t in rdf_triples(G) if t.predicate.value.endswith("prefLabel")]
    ['BERT']
    """
    from .rdf_results import conflict_triples, result_triples

    check_base(base)
    view = view_of(graph)
    t = _Terms(base)
    for node, d, edges in view.units():
        kind = d.get("kind")
        if kind == "paper":
            unit = _paper(t, d.get("id") or str(node).removeprefix("paper:"), d, node, edges)
        elif kind == "entity":
            unit = _entity(t, node, d, edges, view.unlinked_papers(node, d))
        elif kind == "result":
            unit = result_triples(t, node, d, view.entity)
        elif kind == "conflict":
            unit = conflict_triples(t, node, d)
        else:
            raise KGError(f"node {node!r} has kind {kind!r}; valid kinds: entity, paper, result, conflict")
        yield from dict.fromkeys(unit)  # once each, in order
    yield from _graph_node(t, view.graph)


def title_words(title):
    """The distinct content words of a title, lower-cased as SPARQL ``LCASE`` does, in order: runs of letters
    and digits (a hyphen or any other sign separates words), without spaCy's English stop words.

    Examples
    --------
    >>> title_words("LoRA: Low-Rank Adaptation of Large Language Models")
    ['lora', 'low', 'rank', 'adaptation', 'large', 'language', 'models']
    """
    return list(dict.fromkeys(w for w in _WORD.findall(str(title).lower()) if w not in _stop_words()))


def name_words(names):
    """The distinct words of an entity's names, lower-cased as SPARQL ``LCASE`` does, in order: runs of letters
    and digits (a hyphen or any other sign separates words), stop words included ("mixture of experts" is
    found by "of" too: names are short, and a search may be for any of their words).

    Examples
    --------
    >>> name_words(["LoRA", "Low-Rank Adaptation", "low-rank adaptation"])
    ['lora', 'low', 'rank', 'adaptation']
    """
    return list(dict.fromkeys(w for name in names for w in _WORD.findall(str(name).lower())))


_WORD = re.compile(r"[^\W_]+")


@functools.lru_cache(maxsize=1)
def _stop_words():
    from spacy.lang.en.stop_words import STOP_WORDS

    return frozenset(STOP_WORDS)


def _paper(t, paper_id, d, node, edges):
    p = t.paper(paper_id)
    yield t.Triple(p, t.type, t.kg("Paper"))
    yield t.Triple(p, t.dc["identifier"], t.text(paper_id))
    for attr, prop, make in (("title", t.dc["title"], t.text), ("abstract", t.dc["abstract"], t.text),
                             ("date", t.dc["issued"], t.date), ("n_authors", t.kg("authorCount"), t.count),
                             ("organisation", t.kg("organisation"), t.text), ("upvotes", t.kg("upvotes"), t.int),
                             ("source", t.kg("sourceFile"), t.file_name), ("position", t.kg("sourcePosition"), t.int)):
        if d.get(attr) not in (None, ""):
            yield t.Triple(p, prop, make(d[attr]))
    for word in title_words(d.get("title") or ""):
        yield t.Triple(p, t.kg("titleWord"), t.text(word))
    url = d.get("url")
    if url:
        yield t.Triple(p, t.dc["source"], t.iri_or_text(url))
    for v, key, data in sorted(edges, key=lambda e: (e[2].get("predicate", e[1]), str(e[0]))):
        predicate = data.get("predicate", key)
        if predicate == "reports" and str(v).startswith(RESULT_PREFIX):
            yield t.Triple(p, t.kg("reports"), t.result(v))
            continue
        if predicate not in PAPER_RELATIONS:
            raise KGError(f"edge {node!r} -> {v!r} has predicate {predicate!r}; valid paper-level predicates: "
                          f"{', '.join(PAPER_RELATIONS)}")
        yield t.Triple(p, t.kg(predicate), t.entity(v))
    authors = [a for a in d.get("authors") or [] if a]
    if authors:
        names = [t.text(a) for a in authors]
        for name in names:
            yield t.Triple(p, t.dc["creator"], name)
        # Labels derived from the paper's IRI, so that identical inputs give identical files.
        stem = "a" + hashlib.sha1(p.value.encode("utf-8")).hexdigest()[:16]
        nodes = [t.BlankNode(f"{stem}n{i}") for i in range(len(names))]
        yield t.Triple(p, t.kg("authorList"), nodes[0])
        for node_, name, rest in zip(nodes, names, nodes[1:] + [t.nil]):
            yield t.Triple(node_, t.first, name)
            yield t.Triple(node_, t.rest, rest)


def _entity(t, key, d, edges, unlinked):
    type_ = d.get("type")
    if type_ not in ENTITY_CLASSES:
        raise KGError(f"entity {key!r} has type {type_!r}; valid types: {', '.join(ENTITY_CLASSES)}")
    e = t.entity(key)
    yield t.Triple(e, t.type, t.classes[type_])
    yield t.Triple(e, t.dc["identifier"], t.text(key))
    yield t.Triple(e, t.pref, t.text(d.get("label") or key))
    for alias in d.get("aliases") or []:
        yield t.Triple(e, t.alt, t.text(alias))
    # each name once in lower case, the key of an indexed case-insensitive lookup (LCASE in a FILTER scans)
    names = [d.get("label") or key, *(d.get("aliases") or [])]
    for form in dict.fromkeys(str(name).lower() for name in names):
        yield t.Triple(e, t.kg("nameKey"), t.text(form))
    for word in name_words(names):  # the index of a search by part of a name (query 09)
        yield t.Triple(e, t.kg("nameWord"), t.text(word))
    yield t.Triple(e, t.kg("paperCount"), t.count(d.get("paper_count", len(d.get("papers") or []))))
    if d.get("first_seen"):
        yield t.Triple(e, t.kg("firstSeen"), t.date(d["first_seen"]))
    if d.get("generic") is not None:
        yield t.Triple(e, t.kg("generic"), t.boolean(d["generic"]))
    if d.get("confidence") is not None:
        yield t.Triple(e, t.kg("confidence"), t.decimal(d["confidence"]))
    if type_ == "Metric":
        direction = t.metrics.direction(d.get("label"), *(d.get("aliases") or []))
        if direction is not None:
            yield t.Triple(e, t.kg("higherIsBetter"), t.boolean(direction == "higher"))
    relations = []
    for v, key_, data in edges:
        predicate = data.get("predicate", key_)
        if predicate not in ENTITY_RELATIONS:
            raise KGError(f"edge {key!r} -> {v!r} has predicate {predicate!r}; valid predicates: "
                          f"{', '.join(ENTITY_RELATIONS + PAPER_RELATIONS)}")
        yield t.Triple(e, t.kg(predicate), t.entity(v))  # the direct triple, with the entity's statements
        relations.append((v, predicate, data))
    for voted, count in sorted((d.get("type_votes") or {}).items()):
        if voted not in ENTITY_CLASSES:
            raise KGError(f"entity {key!r} has a vote for type {voted!r}; valid types: {', '.join(ENTITY_CLASSES)}")
        vote = t.NamedNode(f"{e.value}/typeVote/{voted}")
        yield t.Triple(e, t.kg("hasTypeVote"), vote)
        yield t.Triple(vote, t.type, t.kg("TypeVote"))
        yield t.Triple(vote, t.kg("votedType"), t.classes[voted])
        yield t.Triple(vote, t.kg("voteCount"), t.count(count))
    # A paper listed without a paper-level edge still mentions the entity: keep it.
    for pid in unlinked:
        yield t.Triple(t.paper(pid), t.kg("mentions"), e)
    for v, predicate, data in relations:
        yield from _claim(t, key, predicate, v, data)


def _claim(t, u, predicate, v, d):
    s, o, prop = t.entity(u), t.entity(v), t.kg(predicate)
    if predicate == "combinesWith":
        yield t.Triple(o, prop, s)
    claim = t.claim(u, predicate, v)
    evidence = d.get("evidence") or []
    yield t.Triple(claim, t.type, t.kg("Claim"))
    yield t.Triple(claim, t.kg("subject"), s)
    yield t.Triple(claim, t.kg("predicate"), prop)
    yield t.Triple(claim, t.kg("object"), o)
    yield t.Triple(claim, t.kg("support"), t.count(d.get("support", len({ev.get("paper") for ev in evidence}))))
    confidence = d.get("confidence")
    if confidence is None:
        confidence = max((ev.get("confidence", 1.0) for ev in evidence), default=1.0)
    yield t.Triple(claim, t.kg("confidence"), t.decimal(confidence))
    derived, nodes = [], []
    scores = [1.0 if ev.get("confidence") is None else ev["confidence"] for ev in evidence]
    best = max(range(len(evidence)), key=lambda i: (scores[i], -i), default=None)
    for i, ev in enumerate(evidence, start=1):
        node = t.NamedNode(f"{claim.value}/evidence/{i}")
        yield t.Triple(claim, t.kg("hasEvidence"), node)
        if i - 1 == best:
            yield t.Triple(claim, t.kg("bestEvidence"), node)
        nodes.append((node, ev))
        if ev.get("paper") is not None:
            derived.append(t.paper(ev["paper"]))
    for p in derived:
        yield t.Triple(claim, t.derived, p)
    for node, ev in nodes:
        yield from t.evidence(node, ev.get("paper"), ev)


def _graph_node(t, attrs):
    k = t.NamedNode(f"{t.base}graph")
    yield t.Triple(k, t.type, t.kg("KnowledgeGraph"))
    if attrs.get("name"):
        yield t.Triple(k, t.dc["title"], t.text(attrs["name"]))
    if attrs.get("created"):
        yield t.Triple(k, t.dc["created"], t.timestamp(attrs["created"]))
    if attrs.get("papers") is not None:
        yield t.Triple(k, t.kg("paperCount"), t.count(attrs["papers"]))
    if attrs.get("link_report"):
        yield t.Triple(k, t.kg("linkReport"),
                       t.text(json.dumps(attrs["link_report"], sort_keys=True, ensure_ascii=False)))


# -- rdflib, for the formats whose writers need a whole graph ------------------------------------------------

def _rdflib_term(term):
    from pyoxigraph import BlankNode, NamedNode

    if isinstance(term, NamedNode):
        return URIRef(term.value)
    if isinstance(term, BlankNode):
        return BNode(term.value)
    if term.language:
        return Literal(term.value, lang=term.language)
    datatype = term.datatype.value
    return Literal(term.value, datatype=None if datatype == str(XSD.string) else URIRef(datatype))


def to_rdf(G, base=DEFAULT_BASE):
    """The RDF graph of `G` as an rdflib graph: entities, papers, relations, results, conflicts and their
    provenance (the triples of :func:`rdf_triples`).

    For large graphs prefer :func:`write_rdf` (Turtle, N-Triples, N-Quads), which streams.

    Parameters
    ----------
    G : networkx.MultiDiGraph or kg.view.GraphView
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
    g = Graph(bind_namespaces="none")
    for prefix, ns in _prefixes(base).items():
        g.bind(prefix, ns)
    for triple in rdf_triples(G, base):
        g.add((_rdflib_term(triple.subject), _rdflib_term(triple.predicate), _rdflib_term(triple.object)))
    return g


def write_rdf(G, path, format="turtle", base=DEFAULT_BASE):
    """Write the RDF of `G` (:func:`rdf_triples`) to `path`, atomically.

    Turtle, N-Triples and N-Quads are streamed through pyoxigraph's writers, one node at a time; JSON-LD and
    RDF/XML are written by rdflib's from a whole graph (:func:`to_rdf`).

    Parameters
    ----------
    G : networkx.MultiDiGraph or kg.view.GraphView
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
    count = 0
    with atomic_path(path) as tmp:
        if format in _OXIGRAPH_FORMATS:
            from pyoxigraph import Quad, RdfFormat, serialize

            def counted(items):
                nonlocal count
                for count, item in enumerate(items, 1):  # noqa: B007 - the count is read after the loop
                    yield item

            triples = counted(rdf_triples(G, base))
            if format == "nquads":
                graph = _node(graph_iri(base))
                serialize((Quad(t.subject, t.predicate, t.object, graph) for t in triples), str(tmp),
                          format=RdfFormat.N_QUADS)
            elif format == "ntriples":
                serialize(triples, str(tmp), format=RdfFormat.N_TRIPLES)
            else:
                serialize(triples, str(tmp), format=RdfFormat.TURTLE, prefixes=_prefixes(base))
        else:
            g = to_rdf(G, base=base)
            count = len(g)
            kwargs = {"auto_compact": True} if format == "jsonld" else {}
            g.serialize(destination=str(tmp), format=RDF_FORMATS[format], encoding="utf-8", **kwargs)
    return {"path": str(path), "format": format, "triples": count}

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
