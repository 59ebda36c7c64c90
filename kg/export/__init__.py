"""Exporters: one writer per format, all reading the graph of :mod:`kg.graph` (a networkx graph or a
:class:`kg.view.GraphView` of it).

:func:`export_graph` dispatches on a format name, :func:`export_graph_dir` exports a built graph folder from its
tables (streaming) or its ``kg.json``; the writers themselves live in :mod:`kg.export.rdf` (W3C RDF
serialisations), :mod:`kg.export.graphml` and :mod:`kg.export.html`.
"""

from importlib import import_module

from ..errors import KGError

__all__ = ["FORMATS", "RDF_FORMATS", "export_graph", "export_graph_dir", "default_filename"]

#: RDF serialisations (rdflib plugin names).
RDF_FORMATS = ("turtle", "ntriples", "jsonld", "xml", "nquads")
#: Every export format and its usual file extension.
FORMATS = {"turtle": ".ttl", "ntriples": ".nt", "jsonld": ".jsonld", "xml": ".rdf", "nquads": ".nq",
           "graphml": ".graphml", "html": ".html"}


def default_filename(format):
    """File name ``kg<ext>`` for `format`.

    Examples
    --------
    >>> default_filename("turtle")
    'kg.ttl'
    """
    _check(format)
    return "kg" + FORMATS[format]


def _check(format):
    if format not in FORMATS:
        raise KGError(f"unknown export format {format!r}; valid formats: {', '.join(FORMATS)}")


def export_graph(G, path, format="turtle", base=None, max_nodes=None):
    """Write `G` to `path` in `format` (atomically).

    Parameters
    ----------
    G : networkx.MultiDiGraph or kg.view.GraphView
        A graph in the schema of :mod:`kg.graph`.
    path : str or os.PathLike
    format : str
        One of :data:`FORMATS`.
    base : str, optional
        Base IRI of the RDF resources (RDF formats only).
    max_nodes : int, optional
        Keep only the most connected nodes (HTML only).

    Returns
    -------
    dict or None
        What the writer reports (the HTML writer: nodes and edges shown and left out).

    Raises
    ------
    KGError
        For an unknown format.
    """
    _check(format)
    if format in RDF_FORMATS:
        rdf = import_module(".rdf", __name__)
        kwargs = {"base": base} if base else {}
        return rdf.write_rdf(G, path, format=format, **kwargs)
    if format == "graphml":
        return import_module(".graphml", __name__).write_graphml(G, path)
    from ..view import GraphView

    if isinstance(G, GraphView):
        from ..outputs import write_view_html

        return write_view_html(G, path, max_nodes=max_nodes)
    return import_module(".html", __name__).write_html(G, path, max_nodes=max_nodes)


def export_graph_dir(graph_dir, path, format="turtle", base=None, max_nodes=None):
    """Export the graph that ``kg build`` wrote into `graph_dir`: streamed from its tables (``kg.sqlite``, one
    node at a time), or from its ``kg.json`` when it has no tables.

    Parameters are those of :func:`export_graph`.

    Raises
    ------
    InputError
        When `graph_dir` holds no graph.
    """
    from ..graphdb import open_graph_db

    db = open_graph_db(graph_dir)
    if db is None:
        from ..pipeline import open_graph

        return export_graph(open_graph(graph_dir), path, format, base=base, max_nodes=max_nodes)
    with db:
        return export_graph(db.view(), path, format, base=base, max_nodes=max_nodes)
