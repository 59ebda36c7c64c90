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

Edges (attribute ``predicate``, also the edge key):

entity -> entity: ``outperforms``, ``combinesWith`` (symmetric: stored once, endpoints in sorted order),
``evaluatedOn``, ``variantOf`` (a version/size linked to its family: ``llama-2-7b -> llama-2``)
    ``support``     number of distinct papers stating it
    ``evidence``    list of dicts ``{paper, sentence, start, end, confidence}``
    ``confidence``  float, the highest evidence confidence

paper -> entity: ``proposes``, ``uses``, ``comparesTo`` (role baseline), ``mentions``
    (one edge per paper and entity, from its role in that paper)

Graph attributes ``G.graph``: ``name``, ``created`` (ISO timestamp), ``papers`` (count),
``link_report`` (dict with merge statistics and type conflicts).
"""

import json

import networkx as nx

from .io import atomic_write

__all__ = [
    "ENTITY_RELATIONS", "PAPER_RELATIONS", "ROLE_TO_PAPER_RELATION", "entity_nodes", "paper_nodes",
    "entity_graph", "save_graph", "load_graph",
]

#: Relations between entities, in the graph and the ontology.
ENTITY_RELATIONS = ("outperforms", "combinesWith", "evaluatedOn", "variantOf")
#: Paper-level relations, from the entity's role in the paper.
PAPER_RELATIONS = ("proposes", "uses", "comparesTo", "mentions")
ROLE_TO_PAPER_RELATION = {"proposed": "proposes", "used": "uses", "baseline": "comparesTo", "mentioned": "mentions"}


def entity_nodes(G):
    """Iterate ``(id, attrs)`` of entity nodes."""
    return ((n, d) for n, d in G.nodes(data=True) if d.get("kind") == "entity")


def paper_nodes(G):
    """Iterate ``(key, attrs)`` of paper nodes."""
    return ((n, d) for n, d in G.nodes(data=True) if d.get("kind") == "paper")


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
    """Write `G` losslessly as networkx node-link JSON (``DIR/kg.json``), atomically.

    Parameters
    ----------
    G : networkx.MultiDiGraph
    path : str or os.PathLike
    """
    data = nx.node_link_data(G, edges="edges")
    with atomic_write(path) as fh:
        json.dump(data, fh, ensure_ascii=False)


def load_graph(path):
    """Read a graph written by :func:`save_graph`.

    Parameters
    ----------
    path : str or os.PathLike

    Returns
    -------
    networkx.MultiDiGraph
    """
    with open(path, encoding="utf-8") as fh:
        data = json.load(fh)
    return nx.node_link_graph(data, edges="edges", multigraph=True, directed=True)
