"""GraphML export of the knowledge graph, for Gephi, Cytoscape, yEd and igraph.

Follows the GraphML 1.0 specification (http://graphml.graphdrawing.org/specification.html) through networkx's
own writer (:func:`networkx.write_graphml`). GraphML attributes are typed scalars (string, int, double,
boolean) and have no lists or maps, so the graph of :mod:`kg.graph` is flattened first (:func:`flatten`):

* lists of strings (``aliases``, ``papers``, ``authors``) are joined with ``" | "``;
* an edge's ``evidence`` becomes ``evidence`` (the sentences joined with ``" | "``) and ``evidence_papers``
  (their paper ids, in the same order);
* dicts (``roles``, ``type_votes``, the graph's ``link_report``) become JSON text;
* a paper node's ``id`` attribute is written as ``paper_id`` (readers take ``id`` for the node id);
* ``None`` values are left out (GraphML readers then use the key's default, i.e. missing);
* characters XML 1.0 cannot hold (C0 controls but tab and line breaks, lone surrogates, U+FFFE/U+FFFF) are
  removed from every text and id, so that the file is well-formed XML whatever the input held;
* booleans are written ``true`` / ``false`` (XML Schema's lexical form, which rustworkx and igraph require).

Edge ids are unique (``e0``, ``e1``, ...) as the specification asks; :func:`read_graphml` turns them back into
the predicate keys of :mod:`kg.graph`, so a written graph reads back with the same nodes, edges and keys.
"""

import json
import re
from xml.etree import ElementTree

import networkx as nx
from networkx.readwrite.graphml import GraphMLWriter

from ..errors import InputError
from ..io import atomic_path

__all__ = ["SEPARATOR", "flatten", "xml_text", "read_graphml", "write_graphml"]

#: Joins list items into one GraphML string.
SEPARATOR = " | "
#: Attributes renamed in GraphML (a paper node's ``id`` would clash with the node id in igraph and Gephi).
_RENAMED = {"id": "paper_id"}
# Characters XML 1.0 cannot hold (https://www.w3.org/TR/xml/#charsets).
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def xml_text(text):
    """`text` without the characters XML 1.0 cannot hold.

    >>> xml_text("a\\x00b\\x1bc\\td")
    'abc\\td'
    """
    return _NOT_XML.sub("", text)


class _Writer(GraphMLWriter):
    """networkx's GraphML writer, with booleans in XML Schema's lexical form (``str(True)`` is ``"True"``)."""

    def add_data(self, name, element_type, value, scope="all", default=None):
        element = super().add_data(name, element_type, value, scope, default)
        if element_type is bool:  # networkx passes the value as str(value)
            element.text = "true" if value in (True, "True") else "false"
        return element


def _flat_value(value):
    """A GraphML-storable form of `value`, or ``None`` to leave it out."""
    if isinstance(value, str):
        return xml_text(value)
    if value is None or isinstance(value, (bool, int, float)):
        return value
    if isinstance(value, dict):
        return xml_text(json.dumps(value, ensure_ascii=False, sort_keys=True, default=str))
    if isinstance(value, (list, tuple, set, frozenset)):
        items = sorted(value) if isinstance(value, (set, frozenset)) else value
        if all(isinstance(v, (str, int, float)) for v in items):
            return xml_text(SEPARATOR.join(str(v) for v in items))
        return xml_text(json.dumps(list(items), ensure_ascii=False, default=str))
    return xml_text(str(value))


def _flat_attrs(attrs):
    flat = {}
    for name, value in attrs.items():
        # igraph, Gephi and Cytoscape read a node attribute named "id" as the node's own id.
        name = _RENAMED.get(name, name)
        if name == "evidence" and isinstance(value, list):
            flat["evidence"] = xml_text(SEPARATOR.join(str(e.get("sentence", "")) for e in value))
            flat["evidence_papers"] = xml_text(SEPARATOR.join(str(e.get("paper", "")) for e in value))
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
    H.add_nodes_from((_flat_value(n), _flat_attrs(d)) for n, d in G.nodes(data=True))
    H.add_edges_from((_flat_value(u), _flat_value(v), k, _flat_attrs(d))
                     for u, v, k, d in G.edges(keys=True, data=True))
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
    writer = _Writer(encoding="utf-8", prettyprint=True)
    writer.add_graph_element(out)
    with atomic_path(path) as tmp:
        with open(tmp, "wb") as fh:
            writer.dump(fh)
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
