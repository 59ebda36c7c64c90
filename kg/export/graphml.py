"""GraphML export of the knowledge graph, for Gephi, Cytoscape, yEd and igraph.

Follows the GraphML 1.0 specification (http://graphml.graphdrawing.org/specification.html) through networkx's
own writer (:func:`networkx.write_graphml`). GraphML attributes are typed scalars (string, int, double,
boolean) and have no lists or maps, so the graph of :mod:`kg.graph` is flattened first (:func:`flatten`):

* lists of strings (``aliases``, ``papers``, ``authors``) are joined with ``" | "``;
* an edge's ``evidence`` becomes ``evidence`` (the sentences joined with ``" | "``) and ``evidence_papers``
  (their paper ids, in the same order);
* dicts (``roles``, ``type_votes``, the graph's ``link_report``) become JSON text;
* a paper node's ``id`` attribute is written as ``paper_id`` (readers take ``id`` for the node id);
* ``None`` values are left out (GraphML readers then use the key's default, i.e. missing).

Edge ids are unique (``e0``, ``e1``, ...) as the specification asks; :func:`read_graphml` turns them back into
the predicate keys of :mod:`kg.graph`, so a written graph reads back with the same nodes, edges and keys.
"""

import json
from xml.etree import ElementTree

import networkx as nx

from ..errors import InputError
from ..io import atomic_path

__all__ = ["SEPARATOR", "flatten", "read_graphml", "write_graphml"]

#: Joins list items into one GraphML string.
SEPARATOR = " | "
#: Attributes renamed in GraphML (a paper node's ``id`` would clash with the node id in igraph and Gephi).
_RENAMED = {"id": "paper_id"}


def _flat_value(value):
    """A GraphML-storable form of `value`, or ``None`` to leave it out."""
    if value is None or isinstance(value, (bool, int, float, str)):
        return value
    if isinstance(value, dict):
        return json.dumps(value, ensure_ascii=False, sort_keys=True, default=str)
    if isinstance(value, (list, tuple, set, frozenset)):
        items = sorted(value) if isinstance(value, (set, frozenset)) else value
        if all(isinstance(v, (str, int, float)) for v in items):
            return SEPARATOR.join(str(v) for v in items)
        return json.dumps(list(items), ensure_ascii=False, default=str)
    return str(value)


def _flat_attrs(attrs):
    flat = {}
    for name, value in attrs.items():
        # igraph, Gephi and Cytoscape read a node attribute named "id" as the node's own id.
        name = _RENAMED.get(name, name)
        if name == "evidence" and isinstance(value, list):
            flat["evidence"] = SEPARATOR.join(str(e.get("sentence", "")) for e in value)
            flat["evidence_papers"] = SEPARATOR.join(str(e.get("paper", "")) for e in value)
            continue
        value = _flat_value(value)
        if value is not None:
            flat[name] = value
    return flat


def flatten(G):
    """A copy of `G` whose attributes are all GraphML scalars (see the module docstring).

    Parameters
    ----------
    G : networkx.MultiDiGraph
        A graph in the schema of :mod:`kg.graph`.

    Returns
    -------
    networkx.MultiDiGraph
        Same nodes, edges and edge keys; flattened node, edge and graph attributes.

    Examples
    --------
    >>> G = nx.MultiDiGraph()
    >>> G.add_node("lora", aliases=["Low-Rank Adaptation", "LoRA adapters"], first_seen=None)
    >>> flatten(G).nodes["lora"]
    {'aliases': 'Low-Rank Adaptation | LoRA adapters'}
    """
    H = nx.MultiDiGraph()
    H.graph.update(_flat_attrs(G.graph))
    H.add_nodes_from((n, _flat_attrs(d)) for n, d in G.nodes(data=True))
    H.add_edges_from((u, v, k, _flat_attrs(d)) for u, v, k, d in G.edges(keys=True, data=True))
    return H


def write_graphml(G, path):
    """Write `G` as GraphML to `path`, atomically.

    Parameters
    ----------
    G : networkx.MultiDiGraph
        A graph in the schema of :mod:`kg.graph` (entity and paper nodes, all edges).
    path : str or os.PathLike
        The file to write.

    Returns
    -------
    dict
        ``{"nodes": int, "edges": int}`` written.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> G = nx.MultiDiGraph()
    >>> G.add_edge("a", "b", key="outperforms", predicate="outperforms", support=1)
    'outperforms'
    >>> p = pathlib.Path(tempfile.mkdtemp()) / "kg.graphml"
    >>> write_graphml(G, p)
    {'nodes': 2, 'edges': 1}
    >>> list(read_graphml(p).edges(keys=True))
    [('a', 'b', 'outperforms')]
    """
    H = flatten(G)
    # GraphML edge ids are document-unique XML ids; the predicate stays an edge attribute.
    out = nx.MultiDiGraph(**H.graph)
    out.add_nodes_from(H.nodes(data=True))
    for i, (u, v, k, d) in enumerate(H.edges(keys=True, data=True)):
        out.add_edge(u, v, key=f"e{i}", **({"predicate": k} | d))
    with atomic_path(path) as tmp:
        nx.write_graphml(out, tmp, encoding="utf-8", prettyprint=True)
    return {"nodes": out.number_of_nodes(), "edges": out.number_of_edges()}


def read_graphml(path):
    """Read a GraphML file written by :func:`write_graphml` (attributes stay flattened).

    Parameters
    ----------
    path : str or os.PathLike

    Returns
    -------
    networkx.MultiDiGraph
        Edge keys are the predicates again, as in :mod:`kg.graph`.

    Raises
    ------
    InputError
        If the file is missing or is not GraphML.
    """
    try:
        H = nx.read_graphml(path, force_multigraph=True)
    except FileNotFoundError:
        raise InputError(path, "no such file") from None
    except (ElementTree.ParseError, nx.NetworkXError, KeyError, ValueError) as e:
        raise InputError(path, f"not a readable GraphML file ({e})") from None
    G = nx.MultiDiGraph(**H.graph)
    G.add_nodes_from(H.nodes(data=True))
    for u, v, k, d in H.edges(keys=True, data=True):
        G.add_edge(u, v, key=d.get("predicate", k), **d)
    return G
