"""The networkx model of the knowledge graph: the single model every exporter reads.

Schema of ``G`` (a :class:`networkx.MultiDiGraph`; edge key = predicate)
-----------------------------------------------------------------------
Node kinds (attribute ``kind``):

``"entity"`` -- key: the stable entity id (a slug, e.g. ``"lora"``, ``"gpt-4"``; see :mod:`kg.link`)
    ``type``        one of Method, Model, Dataset, Task, Metric
    ``label``       preferred label (the most frequent proper form)
    ``aliases``     list of str, every other surface form seen
    ``papers``      list of paper ids that mention it (sorted)
    ``roles``       dict paper id -> role (proposed, baseline, used, mentioned)
    ``paper_count`` int, ``len(papers)``
    ``first_seen``  ISO date of the earliest paper that mentions it, or ``None``
    ``generic``     bool (broad class; kept out of relations)
    ``confidence``  float, best extraction confidence
    ``type_votes``  dict type -> number of papers (more than one key = a reported type conflict)

``"paper"`` -- key: ``"paper:" + paper id``
    ``type`` = ``"Paper"``, ``label`` = title, ``id``, ``title``, ``abstract``, ``date``, ``url``, ``authors``
    (list), ``n_authors``, ``organisation``, ``upvotes``, ``source``, ``position``

``"result"`` -- key: ``"result:" + paper id + ":" + n`` (n: the result's position in its paper), an n-ary
node for one number a paper reports (GUIDELINE.md, "Results"; W3C ML Schema's ``mls:ModelEvaluation``)
    ``type`` = ``"Result"``, ``label`` (e.g. ``"LoRA accuracy 87.3% on GLUE"``), ``paper`` (paper id)
    ``subject``, ``metric``, ``dataset``, ``baseline``   entity ids (``metric`` always set, the others or None)
    ``value``       str, as written with its qualifier ("up to 40%"); ``number`` float (40.0), ``unit`` str
    ``result_kind`` ``"absolute"`` (the subject's own score) or ``"delta"`` (a difference, to ``baseline``)
    ``normalized_number``, ``normalized_unit``   the value comparable across papers (:mod:`kg.metrics`:
                    0.873 accuracy -> 87.3 %, 250 ms -> 0.25 s); equal to number and unit when nothing applies
    ``higher_is_better``  True, False, or None when the metric's direction is unknown (then never ranked)
    ``evidence``    str, the fragment holding the number; ``start``, ``end`` its offsets in the paper text
    ``confidence``  float; ``provenance`` list of the ids of the patterns and rules that produced it

``"conflict"`` -- key: ``"conflict:" + a + ":" + b`` (``+ ":" + metric + ":" + dataset`` for a results
conflict), two statements of different papers that disagree (:mod:`kg.conflicts`)
    ``type`` = ``"Conflict"``, ``label``, ``conflict_kind``: ``"reversed"`` (A outperforms B in one paper, B
    outperforms A in another) or ``"results"`` (A outperforms B, but reported values on one metric and dataset
    put B ahead), ``entities`` [a, b], ``metric`` and ``dataset`` (results conflicts, else None), ``papers``
    (sorted ids), ``sides``: two dicts, each ``claim`` (``{subject, predicate, object}`` of an ``outperforms``
    edge, or None) and ``results`` (result node keys), with ``evidence``: a list of ``{paper, sentence,
    start, end}``

Edges (attribute ``predicate``, also the edge key):

entity -> entity: ``outperforms``, ``combinesWith`` (symmetric: stored once, endpoints in sorted order),
``evaluatedOn``, ``variantOf`` (a version/size linked to its family: ``llama-2-7b -> llama-2``)
    ``support``     number of distinct papers stating it
    ``evidence``    list of dicts ``{paper, sentence, start, end, confidence}``
    ``confidence``  float, the highest evidence confidence

paper -> entity: ``proposes``, ``uses``, ``comparesTo`` (role baseline), ``mentions``
    (one edge per paper and entity, from its role in that paper)

paper -> result: ``reports`` (every result node has exactly one). Conflict nodes have no edges: their
attributes name the entities, claims and results they join.

Graph attributes ``G.graph``: ``name``, ``papers`` (count), ``link_report`` (dict with merge statistics and
type conflicts), and ``created`` (ISO timestamp) only when asked for: without it, identical inputs give
identical graphs and files.
"""

import json
from collections import Counter

import networkx as nx

from .errors import KGError
from .records import ENTITY_TYPES

__all__ = [
    "ENTITY_RELATIONS", "PAPER_RELATIONS", "ROLE_TO_PAPER_RELATION", "RESULT_PREFIX", "CONFLICT_PREFIX",
    "entity_nodes", "paper_nodes", "result_nodes", "conflict_nodes", "entity_graph", "save_graph", "load_graph",
    "build_graph", "add_results", "find_entities", "describe_entity", "graph_stats",
]

#: Relations between entities, in the graph and the ontology.
ENTITY_RELATIONS = ("outperforms", "combinesWith", "evaluatedOn", "variantOf")
#: Paper-level relations, from the entity's role in the paper.
PAPER_RELATIONS = ("proposes", "uses", "comparesTo", "mentions")
#: Node key of the node-link JSON written before it followed networkx's default (``id``).
_NODE_KEY = "node"
#: A paper node's own ``id`` attribute in the node-link JSON (the node key takes ``id``).
_OWN_ID = "paper_id"
ROLE_TO_PAPER_RELATION = {"proposed": "proposes", "used": "uses", "baseline": "comparesTo", "mentioned": "mentions"}


def entity_nodes(G):
    """Iterate ``(id, attrs)`` of entity nodes."""
    return ((n, d) for n, d in G.nodes(data=True) if d.get("kind") == "entity")


def paper_nodes(G):
    """Iterate ``(key, attrs)`` of paper nodes."""
    return ((n, d) for n, d in G.nodes(data=True) if d.get("kind") == "paper")


def result_nodes(G):
    """Iterate ``(key, attrs)`` of result nodes."""
    return ((n, d) for n, d in G.nodes(data=True) if d.get("kind") == "result")


def conflict_nodes(G):
    """Iterate ``(key, attrs)`` of conflict nodes."""
    return ((n, d) for n, d in G.nodes(data=True) if d.get("kind") == "conflict")


def entity_graph(G):
    """The sub-graph of entities and the relations between them (no paper nodes): what the HTML view shows.

    Parameters
    ----------
    G : networkx.MultiDiGraph

    Returns
    -------
    networkx.MultiDiGraph
        A view; copy it before changing it.
    """
    return G.subgraph([n for n, _ in entity_nodes(G)])


def save_graph(G, path):
    """Write `G` losslessly as networkx node-link JSON (``DIR/kg.json``), atomically, node by node
    (:func:`kg.export.nodelink.write_node_link`).

    The file is what :func:`networkx.node_link_graph` reads with its defaults (node key ``id``, edges under
    ``edges``): a paper node's own ``id`` attribute is written as ``paper_id`` (as in GraphML) so that it does
    not clash with the node key; :func:`load_graph` renames it back.

    Parameters
    ----------
    G : networkx.MultiDiGraph or kg.view.GraphView
    path : str or os.PathLike

    Examples
    --------
    >>> import tempfile, pathlib
    >>> G = nx.MultiDiGraph()
    >>> G.add_node("paper:p1", kind="paper", id="p1")
    >>> path = pathlib.Path(tempfile.mkdtemp()) / "kg.json"
    >>> save_graph(G, path)
    >>> plain = nx.node_link_graph(json.loads(path.read_text()))
    >>> dict(plain.nodes(data=True)), dict(load_graph(path).nodes(data=True))
    ({'paper:p1': {'kind': 'paper', 'paper_id': 'p1'}}, {'paper:p1': {'kind': 'paper', 'id': 'p1'}})
    """
    from .export.nodelink import write_node_link

    write_node_link(G, path)


def load_graph(path):
    """Read a graph written by :func:`save_graph` (or by an earlier version, whose node key was ``node``).

    Parameters
    ----------
    path : str or os.PathLike

    Returns
    -------
    networkx.MultiDiGraph

    Raises
    ------
    ValueError
        When the file is not JSON or not a node-link graph.
    """
    with open(path, encoding="utf-8") as fh:
        data = json.load(fh)
    if not isinstance(data, dict) or not isinstance(data.get("nodes"), list) \
            or not isinstance(data.get("edges", []), list) or not all(isinstance(n, dict) for n in data["nodes"]):
        raise ValueError("expected a node-link object with a list of node objects and a list of edges")
    nodes = data["nodes"] or [{}]
    if _NODE_KEY in nodes[0]:  # files written before the key was "id"
        return nx.node_link_graph(data, edges="edges", multigraph=True, directed=True, name=_NODE_KEY)
    G = nx.node_link_graph(data, edges="edges", multigraph=True, directed=True, name="id")
    for _, attrs in G.nodes(data=True):
        if _OWN_ID in attrs:
            attrs["id"] = attrs.pop(_OWN_ID)
    return G


# -- building and reading the graph (issue 4) -------------------------------------------------------------------

#: Prefix of paper node keys.
PAPER_PREFIX = "paper:"
#: Prefix of result node keys.
RESULT_PREFIX = "result:"
#: Prefix of conflict node keys.
CONFLICT_PREFIX = "conflict:"


def _paper_attrs(p):
    n_authors = p.n_authors if p.n_authors is not None else (len(p.authors) if p.authors else None)
    return dict(kind="paper", type="Paper", label=p.title, id=p.id, title=p.title, abstract=p.abstract,
                date=p.date, url=p.url, authors=list(p.authors), n_authors=n_authors,
                organisation=p.organisation, upvotes=p.upvotes, source=p.source, position=p.position)


def build_graph(papers, extractions, curation=None, index=None, created=None):
    """Link the extractions of a corpus and build the knowledge graph in the schema of this module.

    Generic entities (broad classes such as "large language models", see GUIDELINE.md) are linked but kept out
    of the graph, with every relation that touches them: the graph names specific things. The link report
    (``G.graph["link_report"]``) counts them.

    Parameters
    ----------
    papers : iterable of Paper
        Every paper becomes a node, with or without entities.
    extractions : iterable of PaperExtraction
        One per paper (an extraction of an unknown paper gets a paper node from its id and title).
    curation : kg.link.Curation or str or os.PathLike, optional
        Corrections for the linker (:func:`kg.link.load_curation`).
    index : kg.link.NodeIndex, optional
        The id table of earlier builds, updated in place (see :func:`kg.link.link`).
    created : str, optional
        ISO timestamp recorded as ``G.graph["created"]``; none by default, so that the graph is a function of
        its inputs alone.

    Returns
    -------
    networkx.MultiDiGraph

    Examples
    --------
    >>> from kg.records import Entity, Paper, PaperExtraction
    >>> G = build_graph([Paper("p1", "T", "LoRA is low-rank adaptation.")],
    ...                 [PaperExtraction("p1", "T", [Entity("LoRA", "Method", "proposed")])])
    >>> sorted(G.nodes), G.edges["paper:p1", "lora", "proposes"]["predicate"]
    (['lora', 'paper:p1'], 'proposes')
    """
    from .link import link

    papers = list(papers)
    extractions = list(extractions)
    result = link(papers, extractions, curation, index=index)
    G = nx.MultiDiGraph(name="kg", papers=0, link_report=result.report)
    if created:
        G.graph["created"] = created
    for p in papers:
        G.add_node(PAPER_PREFIX + p.id, **_paper_attrs(p))
    for e in extractions:
        if PAPER_PREFIX + e.id not in G:
            G.add_node(PAPER_PREFIX + e.id, kind="paper", type="Paper", label=e.title, id=e.id, title=e.title,
                       abstract="", date=None, url=None, authors=[], n_authors=None, organisation=None,
                       upvotes=None, source="", position=None)
    G.graph["papers"] = sum(1 for _ in paper_nodes(G))
    for eid, ent in sorted(result.entities.items()):
        if ent.generic:
            continue
        G.add_node(eid, kind="entity", type=ent.type, label=ent.label, aliases=list(ent.aliases),
                   papers=list(ent.papers), roles=dict(ent.roles), paper_count=len(ent.papers),
                   first_seen=ent.first_seen, generic=False, confidence=float(ent.confidence),
                   type_votes=dict(ent.type_votes))
        for pid in ent.papers:
            pred = ROLE_TO_PAPER_RELATION[ent.roles[pid]]
            G.add_edge(PAPER_PREFIX + pid, eid, key=pred, predicate=pred)
    for r in result.relations:  # relations never touch generic entities (kg.link.relations)
        G.add_edge(r.subject, r.object, key=r.predicate, predicate=r.predicate,
                   support=r.support, evidence=[dict(e) for e in r.evidence], confidence=float(r.confidence))
    for variant, family in result.variants:
        G.add_edge(variant, family, key="variantOf", predicate="variantOf", support=0, evidence=[],
                   confidence=1.0)
    add_results(G, result.results)
    from .conflicts import add_conflicts

    add_conflicts(G)
    return G


def _result_label(G, r, value):
    def name(node):
        return G.nodes[node].get("label", node) if node in G else node

    parts = [name(r.subject) if r.subject else "?", name(r.metric), value]
    if r.dataset:
        parts.append(f"on {name(r.dataset)}")
    if r.baseline:
        parts.append(f"vs {name(r.baseline)}")
    return " ".join(parts)


def add_results(G, results, metrics=None):
    """Add one result node per :class:`kg.link.CorpusResult` and its ``reports`` edge from the paper.

    Endpoints that are not entity nodes of `G` (generic entities are kept out of the graph), or whose type the
    linker's vote made another than a result allows (subject: Method or Model; dataset: Dataset or Task), become
    None; a result whose metric is not a Metric node is left out.

    Parameters
    ----------
    G : networkx.MultiDiGraph
    results : iterable of kg.link.CorpusResult
    metrics : kg.metrics.MetricTable, optional
        Directions and units (default: :func:`kg.metrics.load_metrics`).

    Returns
    -------
    int
        Result nodes added.
    """
    from .metrics import load_metrics

    metrics = metrics or load_metrics()
    added = 0
    for r in results:
        ends = {k: v if G.nodes.get(v, {}).get("kind") == "entity" and (
                    types is None or G.nodes[v].get("type") in types) else None
                for k, v, types in (("subject", r.subject, ("Method", "Model")), ("metric", r.metric, ("Metric",)),
                                    ("dataset", r.dataset, ("Dataset", "Task")), ("baseline", r.baseline, None))}
        if ends["metric"] is None:
            continue
        m = G.nodes[ends["metric"]]
        forms = [m.get("label"), *m.get("aliases", [])]
        direction = metrics.direction(*forms)
        number, unit = (metrics.normalise(r.number, r.unit, *forms) if r.kind == "absolute" else (r.number, r.unit))
        key = f"{RESULT_PREFIX}{r.paper}:{r.index}"
        G.add_node(key, kind="result", type="Result", label=_result_label(G, r, r.value), paper=r.paper, **ends,
                   value=r.value, number=float(r.number), unit=r.unit, result_kind=r.kind,
                   normalized_number=float(number), normalized_unit=unit,
                   higher_is_better=None if direction is None else direction == "higher",
                   evidence=r.evidence, start=r.start, end=r.end, confidence=float(r.confidence),
                   provenance=list(r.provenance))
        if PAPER_PREFIX + r.paper not in G:
            G.add_node(PAPER_PREFIX + r.paper, kind="paper", type="Paper", label=r.paper, id=r.paper, title=r.paper)
        G.add_edge(PAPER_PREFIX + r.paper, key, key="reports", predicate="reports")
        added += 1
    return added


def _forms_of(attrs):
    return [attrs.get("label", ""), *attrs.get("aliases", [])]


def find_entities(G, name, limit=10):
    """Ids of the entities called `name`: by any alias, after the linker's normalisation (case, dashes, plural).

    Exact matches of the normalised name come first (most papers first); when there is none, near matches
    (``rapidfuzz`` ratio of at least 80 on the normalised forms), best first.

    Parameters
    ----------
    G : networkx.MultiDiGraph
    name : str
    limit : int
        At most this many near matches.

    Returns
    -------
    list of str

    Examples
    --------
    >>> G = nx.MultiDiGraph()
    >>> G.add_node("lora", kind="entity", label="LoRA", aliases=["Low-Rank Adaptation"], paper_count=2)
    >>> find_entities(G, "low rank adaptation"), find_entities(G, "LoRa"), find_entities(G, "BERT")
    (['lora'], ['lora'], [])
    """
    from rapidfuzz import fuzz

    from .link import normal_key

    key = normal_key(name)
    if not key:
        return []
    forms = {n: {normal_key(f) for f in _forms_of(d) if f} for n, d in entity_nodes(G)}
    count = {n: G.nodes[n].get("paper_count", 0) for n in forms}
    exact = [n for n, keys in forms.items() if key in keys]
    if exact:
        return sorted(exact, key=lambda n: (-count[n], n))
    scored = []
    for n, keys in forms.items():
        best = max((fuzz.ratio(key, k) for k in keys), default=0)
        if best >= 80:
            scored.append((-best, -count[n], n))
    return [n for *_, n in sorted(scored)[:limit]]


def _edge_record(G, other, data):
    return {"predicate": data.get("predicate"), "id": other, "label": G.nodes[other].get("label", other),
            "type": G.nodes[other].get("type"), "support": data.get("support", 0),
            "confidence": data.get("confidence"), "evidence": list(data.get("evidence", []))}


def describe_entity(G, node):
    """Everything ``kg show`` prints about one entity.

    Parameters
    ----------
    G : networkx.MultiDiGraph
    node : str
        An entity id (see :func:`find_entities`).

    Returns
    -------
    dict
        ``id``, ``type``, ``label``, ``aliases``, ``first_seen``, ``type_votes``, ``papers`` (list of dicts
        ``id``, ``title``, ``date``, ``role``, oldest first), ``edges_out`` and ``edges_in`` (lists of dicts
        ``predicate``, ``id``, ``label``, ``type`` of the other end, ``support``, ``confidence``, ``evidence``;
        most supported first).

    Raises
    ------
    KGError
        When `node` is not an entity of `G`.
    """
    if node not in G or G.nodes[node].get("kind") != "entity":
        raise KGError(f"no entity with id {node!r} in the graph")
    d = G.nodes[node]
    papers = []
    for pid in d.get("papers", []):
        p = G.nodes.get(PAPER_PREFIX + pid, {})
        papers.append({"id": pid, "title": p.get("title", ""), "date": p.get("date"),
                       "role": d.get("roles", {}).get(pid, "mentioned")})
    papers.sort(key=lambda p: (p["date"] or "9999", p["id"]))

    def order(e):
        return (-e["support"], e["predicate"], e["label"])

    out = [_edge_record(G, v, data) for _, v, data in G.out_edges(node, data=True)
           if G.nodes[v].get("kind") == "entity"]
    inn = [_edge_record(G, u, data) for u, _, data in G.in_edges(node, data=True)
           if G.nodes[u].get("kind") == "entity"]
    return {"id": node, "type": d.get("type"), "label": d.get("label"), "aliases": list(d.get("aliases", [])),
            "first_seen": d.get("first_seen"), "type_votes": dict(d.get("type_votes", {})),
            "paper_count": d.get("paper_count", len(papers)), "papers": papers,
            "edges_out": sorted(out, key=order), "edges_in": sorted(inn, key=order)}


def graph_stats(G):
    """Everything ``kg stats`` prints: counts of papers, entities per type and edges per relation.

    Parameters
    ----------
    G : networkx.MultiDiGraph

    Returns
    -------
    dict
        ``papers``, ``entities``, ``entities_by_type`` (every type, in schema order), ``edges_by_relation``
        (entity relations incl. ``variantOf``), ``paper_edges_by_relation`` and ``link`` (the headline numbers
        of the link report: ``entities_in``, ``nodes_out``, ``merges``, ``type_conflicts``,
        ``ambiguous_abbreviations``), ``results`` (result nodes by kind: ``absolute``, ``delta``) and
        ``conflicts`` (conflict nodes).

    Examples
    --------
    >>> graph_stats(nx.MultiDiGraph())["entities_by_type"]["Model"]
    0
    """
    types = Counter(d.get("type") for _, d in entity_nodes(G))
    preds = Counter(d.get("predicate") for *_, d in G.edges(data=True))
    result_kinds = Counter(d.get("result_kind") for _, d in result_nodes(G))
    rep = G.graph.get("link_report") or {}
    link = {k: rep[k] for k in ("entities_in", "nodes_out", "merges") if k in rep}
    for k in ("type_conflicts", "ambiguous_abbreviations"):
        if k in rep:
            link[k] = len(rep[k])
    return {
        "papers": sum(1 for _ in paper_nodes(G)),
        "entities": sum(types.values()),
        "entities_by_type": {t: types.get(t, 0) for t in ENTITY_TYPES},
        "edges_by_relation": {p: preds.get(p, 0) for p in ENTITY_RELATIONS},
        "paper_edges_by_relation": {p: preds.get(p, 0) for p in PAPER_RELATIONS},
        "link": link,
        "results": {"absolute": result_kinds.get("absolute", 0), "delta": result_kinds.get("delta", 0)},
        "conflicts": sum(1 for _ in conflict_nodes(G)),
    }
