"""The outputs of a build (:data:`OUTPUTS`) and their writers (:data:`WRITERS`), each streaming from the linked
graph's tables (:class:`kg.graphdb.GraphDBView`) into a build's staging folder.

No writer holds the graph: Turtle and the store come from :func:`kg.export.rdf.rdf_triples`, GraphML and JSON are
written node by node, and the HTML page gets the most connected entities only (:data:`HTML_NODES` by default),
with counts of what it left out.
"""

import heapq

from .io import atomic_write

__all__ = ["OUTPUTS", "WRITERS", "HTML_NODES", "write_view_html"]

#: The files (and the store folder) ``kg build`` writes into its output directory.
OUTPUTS = {"turtle": "kg.ttl", "graphml": "kg.graphml", "html": "kg.html", "extractions": "extractions.jsonl",
           "graph": "kg.json", "ids": "ids.json", "tables": "kg.sqlite", "store": "store"}
#: Entities the HTML page holds by default: the most connected (a page of every entity of a million papers would
#: be over a gigabyte).
HTML_NODES = 5000


def write_view_html(view, path, max_nodes=HTML_NODES):
    """Write the HTML explorer of a view, holding only the `max_nodes` most connected entities.

    The choice is the one :func:`kg.export.html.page_data` makes (degree among entities, then papers, then id),
    made from the view's degree table (:meth:`kg.graphdb.GraphDB.degrees`) so that only the chosen entities are
    ever read in full; the page says how many entities and relations it left out. It keeps the results whose
    method is among the chosen entities.

    Parameters
    ----------
    view : kg.view.GraphView
    path : str or os.PathLike
    max_nodes : int or None
        None: every entity.

    Returns
    -------
    dict
        What :func:`kg.export.html.write_html` returns.
    """
    import networkx as nx

    from .export.html import PAGE_ATTRS, write_html

    degrees = view.degrees() if hasattr(view, "degrees") else None
    if degrees is None or max_nodes is None or max_nodes >= len(degrees):
        return write_html(view.to_networkx(), path, max_nodes=max_nodes)
    keep = set(heapq.nsmallest(max_nodes, degrees, key=lambda n: (-degrees[n][0], -degrees[n][1], str(n))))
    G = nx.MultiDiGraph(**view.graph)
    edges, cited = [], set()
    # Only what the page shows is kept of each node (PAGE_ATTRS): the papers' abstracts and authors, and the
    # offsets of every evidence item, were half of the writer's peak memory at 100,000 papers.
    for node, attrs, out in view.units(kinds=("entity",)):
        if node in keep:
            G.add_node(node, **_only(attrs, PAGE_ATTRS["entity"]))
            cited.update(attrs.get("papers") or ())
            for target, key, data in out:
                if target in keep:
                    data = _only(data, PAGE_ATTRS["relation"])
                    if data.get("evidence"):
                        data["evidence"] = [_only(e, PAGE_ATTRS["evidence"]) for e in data["evidence"]]
                    edges.append((node, target, key, data))
                    cited.update(e.get("paper") for e in data.get("evidence") or ())
    G.add_edges_from(edges)
    # the results about the entities shown (their leaderboard panels), with their papers
    for node, attrs, _ in view.units(kinds=("other",)):
        if attrs.get("kind") == "result" and attrs.get("subject") in keep:
            G.add_node(node, **_only(attrs, PAGE_ATTRS["result"]))
            cited.add(attrs.get("paper"))
    G.add_nodes_from((key, _only(attrs, PAGE_ATTRS["paper"]))
                     for key, attrs in view.papers_by_id(sorted(p for p in cited if p)))
    totals = {"entities": len(degrees), "relations": sum(d for d, _ in degrees.values()) // 2,
              "papers": view.graph.get("papers")}
    return write_html(G, path, max_nodes=max_nodes, totals=totals)


def _only(attrs, names):
    """The items of `attrs` named in `names`."""
    return {k: attrs[k] for k in names if k in attrs}


def _write_extractions(result, path, options):
    with atomic_write(path) as fh:
        for line in result.extraction_lines():
            fh.write(line + "\n")


def _write_graph(result, path, options):
    from .export.nodelink import write_node_link

    write_node_link(result.view, path)


def _write_ids(result, path, options):
    from .link import write_index

    write_index(result.index, path)


def _write_tables(result, path, options):
    result.db.commit()  # the link stage wrote the tables in place, in the staging folder


def _write_turtle(result, path, options):
    from .export.rdf import DEFAULT_BASE, write_rdf

    write_rdf(result.view, path, "turtle", base=options.get("base") or DEFAULT_BASE)


def _write_store(result, path, options):
    from .export.rdf import DEFAULT_BASE, rdf_triples
    from .store import write_store

    turtle = path.parent / OUTPUTS["turtle"]  # written just before: loaded by pyoxigraph, no Python in the loop
    if turtle.is_file():
        write_store(path, turtle=turtle)
    else:
        write_store(path, triples=rdf_triples(result.view, options.get("base") or DEFAULT_BASE))


def _write_graphml(result, path, options):
    from .export.graphml import write_graphml

    write_graphml(result.view, path)


def _write_html(result, path, options):
    write_view_html(result.view, path, max_nodes=options.get("max_nodes", HTML_NODES))


#: The write stage, in order: output name (a key of :data:`OUTPUTS`) -> ``write(result, path, options)``, where
#: `result` is the build so far (``view``, ``db``, ``index``, ``extraction_lines``) and `options` holds ``base``
#: and ``max_nodes``. The store is loaded from the Turtle written before it.
WRITERS = {
    "extractions": _write_extractions,
    "graph": _write_graph,
    "ids": _write_ids,
    "tables": _write_tables,
    "turtle": _write_turtle,
    "store": _write_store,
    "graphml": _write_graphml,
    "html": _write_html,
}
