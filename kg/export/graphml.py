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

The file is written as the graph is walked (:mod:`kg.view`: one node and its out-edges at a time): nodes go
straight to the file and edges to a temporary file appended after them, and the ``<key>`` declarations that
GraphML wants first are written once every attribute has been seen. Memory stays flat whatever the graph's size.
"""

import json
import re
import shutil
import tempfile
from xml.etree import ElementTree
from xml.sax.saxutils import escape, quoteattr

import networkx as nx

from ..errors import InputError
from ..io import atomic_path
from ..view import view_of

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


_HEADER = ("<?xml version='1.0' encoding='utf-8'?>\n"
           '<graphml xmlns="http://graphml.graphdrawing.org/xmlns" '
           'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" '
           'xsi:schemaLocation="http://graphml.graphdrawing.org/xmlns '
           'http://graphml.graphdrawing.org/xmlns/1.0/graphml.xsd">\n')
# GraphML attribute types of Python values (bool before int: a bool is an int); booleans are written in XML
# Schema's lexical form, true / false, which rustworkx and igraph require.
_TYPES = ((bool, "boolean"), (int, "long"), (float, "double"), (str, "string"))


class _Keys:
    """The ``<key>`` declarations: one per attribute name, type and scope, numbered as first seen."""

    def __init__(self):
        self.ids = {}

    def data(self, scope, attrs, indent):
        out = []
        for name, value in attrs.items():
            kind = next(t for cls, t in _TYPES if isinstance(value, cls))
            key = self.ids.setdefault((scope, str(name), kind), f"d{len(self.ids)}")
            text = ("true" if value else "false") if kind == "boolean" else escape(str(value))
            out.append(f'{indent}<data key="{key}">{text}</data>\n' if text else f'{indent}<data key="{key}" />\n')
        return "".join(out)

    def declarations(self):
        return "".join(f'  <key id="{key}" for="{scope}" attr.name={quoteattr(name)} attr.type="{kind}" />\n'
                       for (scope, name, kind), key in self.ids.items())


def write_graphml(G, path):
    """Write `G` as GraphML to `path`, atomically, one node at a time.

    Parameters
    ----------
    G : networkx.MultiDiGraph or kg.view.GraphView
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
    view, keys = view_of(G), _Keys()
    graph_data = keys.data("graph", _flat_attrs(view.graph), "    ")
    n_nodes = n_edges = 0
    with atomic_path(path) as tmp, tempfile.TemporaryFile("w+", encoding="utf-8", dir=tmp.parent) as nodes, \
            tempfile.TemporaryFile("w+", encoding="utf-8", dir=tmp.parent) as edges:
        for node, attrs, out in view.units():
            node_id = quoteattr(_flat_value(node))
            data = keys.data("node", _flat_attrs(attrs), "      ")
            nodes.write(f"    <node id={node_id}>\n{data}    </node>\n" if data else f"    <node id={node_id} />\n")
            n_nodes += 1
            for target, key, d in out:
                data = keys.data("edge", _flat_attrs({"predicate": key} | d), "      ")
                edges.write(f"    <edge source={node_id} target={quoteattr(_flat_value(target))} "
                            f'id="e{n_edges}">\n{data}    </edge>\n')
                n_edges += 1
        # every attribute is known now: the key declarations first, then the nodes, then the edges
        with open(tmp, "w", encoding="utf-8") as fh:
            fh.write(_HEADER + keys.declarations() + '  <graph edgedefault="directed">\n' + graph_data)
            for part in (nodes, edges):
                part.seek(0)
                shutil.copyfileobj(part, fh)
            fh.write("  </graph>\n</graphml>\n")
    return {"nodes": n_nodes, "edges": n_edges}


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
