"""Validate RDF output against the SHACL shapes of ``ontology/shapes.ttl`` with pySHACL.

Follows W3C SHACL (https://www.w3.org/TR/shacl/), including SHACL-SPARQL constraints. Shapes of
severity ``sh:Warning`` are reported but do not make the data non-conforming.
"""

from pathlib import Path

from rdflib import Graph

from .errors import InputError
from .export.rdf import read_rdf
from .vocab import ontology_path

__all__ = ["validate", "validate_graph_dir"]


def validate(data, shapes=None):
    """Check RDF data against the kg SHACL shapes.

    Parameters
    ----------
    data : str, os.PathLike or rdflib.Graph
        An RDF file (format from its extension) or a graph.
    shapes : str, os.PathLike or rdflib.Graph, optional
        The shapes; ``ontology/shapes.ttl`` by default.

    Returns
    -------
    conforms : bool
    report : str
        pySHACL's text report (violations and warnings).

    Raises
    ------
    InputError
        When `data` or `shapes` is missing or does not parse.

    Examples
    --------
    >>> from rdflib import Graph
    >>> validate(Graph())[0]
    True
    """
    from pyshacl import validate as shacl_validate  # heavy import, only when validating

    data_graph = data if isinstance(data, Graph) else read_rdf(data)
    if shapes is None:
        shapes = ontology_path("shapes.ttl")
    shapes_graph = shapes if isinstance(shapes, Graph) else read_rdf(shapes)
    conforms, _, report = shacl_validate(data_graph, shacl_graph=shapes_graph, inference="none",
                                         advanced=True, allow_warnings=True)
    return bool(conforms), report


def validate_graph_dir(graph_dir, shapes=None):
    """Validate ``DIR/kg.ttl``, the RDF of a built graph.

    Parameters
    ----------
    graph_dir : str or os.PathLike
    shapes : str, os.PathLike or rdflib.Graph, optional
        The shapes; ``ontology/shapes.ttl`` by default.

    Returns
    -------
    conforms : bool
    report : str

    Raises
    ------
    InputError
        When ``DIR/kg.ttl`` is missing or does not parse.
    """
    path = Path(graph_dir) / "kg.ttl"
    if not path.is_file():
        raise InputError(path, "no such file; build the graph first (kg build INPUT -o DIR)")
    return validate(path, shapes=shapes)
