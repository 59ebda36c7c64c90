"""The graph as networkx node-link JSON (``kg.json``), written one node at a time.

The file is what :func:`networkx.node_link_data` makes of the graph with networkx's default names (node key
``id``, edges under ``edges``) and what :func:`networkx.node_link_graph` reads back, except that a paper node's
own ``id`` attribute is written as ``paper_id`` (as in GraphML) so that it does not clash with the node key;
:func:`kg.graph.load_graph` renames it back. Nodes are written as the graph is walked (:mod:`kg.view`) and
edges go to a temporary file appended after them, so memory stays flat whatever the graph's size.
"""

import json
import shutil
import tempfile

from ..io import atomic_write
from ..view import view_of

__all__ = ["write_node_link"]

#: A paper node's own ``id`` attribute in the file (the node key takes ``id``).
OWN_ID = "paper_id"


def _dumps(value):
    return json.dumps(value, ensure_ascii=False)


def write_node_link(G, path):
    """Write `G` as node-link JSON to `path`, atomically.

    Parameters
    ----------
    G : networkx.MultiDiGraph or kg.view.GraphView
    path : str or os.PathLike

    Returns
    -------
    dict
        ``{"nodes": int, "edges": int}`` written.

    Examples
    --------
    >>> import tempfile, pathlib, networkx as nx
    >>> G = nx.MultiDiGraph(name="kg")
    >>> G.add_node("paper:p1", kind="paper", id="p1")
    >>> path = pathlib.Path(tempfile.mkdtemp()) / "kg.json"
    >>> write_node_link(G, path)
    {'nodes': 1, 'edges': 0}
    >>> nx.node_link_graph(json.loads(path.read_text()), edges="edges").nodes(data=True)["paper:p1"]
    {'kind': 'paper', 'paper_id': 'p1'}
    """
    view = view_of(G)
    n_nodes = n_edges = 0
    with atomic_write(path) as fh, tempfile.TemporaryFile("w+", encoding="utf-8") as edges:
        fh.write(f'{{"directed": true, "multigraph": true, "graph": {_dumps(view.graph)}, "nodes": [')
        for node, attrs, out in view.units():
            item = dict(attrs)
            if "id" in item:
                own = item["id"]
                item["id"] = node
                if own is not None:
                    item[OWN_ID] = own
            else:
                item["id"] = node
            fh.write((", " if n_nodes else "") + _dumps(item))
            n_nodes += 1
            for target, key, data in out:
                edges.write((", " if n_edges else "") + _dumps({**data, "source": node, "target": target, "key": key}))
                n_edges += 1
        fh.write('], "edges": [')
        edges.seek(0)
        shutil.copyfileobj(edges, fh)
        fh.write("]}")
    return {"nodes": n_nodes, "edges": n_edges}
