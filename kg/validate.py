"""Validate RDF output against the SHACL shapes of ``ontology/shapes.ttl`` with pySHACL, and check the ontology
with its data for consistency with an OWL 2 DL reasoner.

Follows W3C SHACL (https://www.w3.org/TR/shacl/), including SHACL-SPARQL constraints. Shapes of
severity ``sh:Warning`` are reported but do not make the data non-conforming. The two checks differ: SHACL says
whether the data has the expected shape, the reasoner (HermiT, https://www.hermit-reasoner.com/, run by
owlready2 on Java) whether ontology and data together are consistent OWL 2 DL (W3C OWL 2 Direct Semantics):
data can conform to the shapes and still contradict the ontology's axioms, or use a datatype outside OWL 2.
"""

import contextlib
import io
import re
import shutil
import tempfile
from pathlib import Path

from rdflib import Graph

from .errors import InputError, KGError
from .export.rdf import read_rdf
from .vocab import ontology_path

__all__ = ["validate", "validate_graph_dir", "check_owl"]


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


def _java_error(text):
    """The telling line of a Java stack trace (``...Exception: message``), on one line."""
    lines = [ln.strip() for ln in str(text).splitlines() if ln.strip()]
    found = next((ln for ln in lines if re.search(r"(Exception|Error)\b.*:", ln)), lines[0] if lines else "")
    found = re.sub(r"^Exception in thread \"main\" ", "", found)
    rest = lines[lines.index(found) + 1:] if found in lines else []
    more = " ".join(ln for ln in rest[:3] if not ln.startswith("at "))  # the message may span lines
    return f"{found} {more}".strip()


def check_owl(data=None, ontology=None):
    """Check that the ontology and `data` are consistent OWL 2 DL, with the HermiT reasoner (owlready2, Java).

    Parameters
    ----------
    data : str, os.PathLike or rdflib.Graph, optional
        RDF data (``kg.ttl`` of a build); none checks the ontology alone.
    ontology : str, os.PathLike or rdflib.Graph, optional
        ``ontology/kg.ttl`` by default.

    Returns
    -------
    consistent : bool
    report : str
        One line: ``consistent`` or what the reasoner found (an inconsistency, a literal outside the OWL 2
        datatype map ...).

    Raises
    ------
    KGError
        When owlready2 (``pip install owlready2``) or a Java runtime is missing.
    InputError
        When `data` or `ontology` is missing or does not parse.
    """
    try:
        import owlready2
    except ImportError:
        raise KGError("the OWL check needs owlready2: pip install owlready2 (and a Java runtime)") from None
    if shutil.which(owlready2.JAVA_EXE) is None:
        raise KGError(f"the OWL check needs a Java runtime ({owlready2.JAVA_EXE!r} is not on PATH)")
    merged = Graph(bind_namespaces="none")
    for source in (ontology_path("kg.ttl") if ontology is None else ontology, data):
        if source is not None:
            merged += source if isinstance(source, Graph) else read_rdf(source)
    with tempfile.TemporaryDirectory(prefix="kg-owl-") as tmp:
        path = Path(tmp) / "kg.owl"
        merged.serialize(destination=str(path), format="xml")  # owlready2 reads RDF/XML
        world = owlready2.World()
        # owlready2 and HermiT talk on stdout and stderr: keep it out of the caller's output
        with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()):
            onto = world.get_ontology(path.as_uri()).load()
            try:
                with onto:
                    owlready2.sync_reasoner_hermit(world, infer_property_values=False, debug=0)
            except owlready2.OwlReadyInconsistentOntologyError:
                return False, "inconsistent: the data contradicts the ontology's axioms (HermiT)"
            except owlready2.OwlReadyJavaError as exc:
                return False, f"HermiT refused the data: {_java_error(exc)}"
            finally:
                world.close()
    return True, "consistent (HermiT, OWL 2 DL)"
