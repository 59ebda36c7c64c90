"""`kg validate`: check GRAPH/kg.ttl against the SHACL shapes of ontology/shapes.ttl."""

import click

from ..errors import KGError
from ..query import rdf_file
from ..validate import check_owl, validate_graph_dir
from ._common import graph_option


@click.command("validate")
@graph_option
@click.option("--shapes", type=click.Path(exists=True, dir_okay=False),
              help="SHACL shapes to use instead of ontology/shapes.ttl.")
@click.option("--owl", is_flag=True,
              help="Also check ontology and data for OWL 2 DL consistency with HermiT (needs owlready2 and Java).")
def command(graph_dir, shapes, owl):
    """Validate GRAPH/kg.ttl with pySHACL (and --owl: HermiT); exit status 1 when it does not conform."""
    try:
        conforms, report = validate_graph_dir(graph_dir, shapes=shapes)
        click.echo(report.rstrip("\n"))
        consistent, owl_report = check_owl(rdf_file(graph_dir)) if owl else (True, None)
    except KGError as exc:
        raise click.ClickException(str(exc))
    if owl_report:
        click.echo(f"OWL: {owl_report}")
    if not conforms:
        raise click.ClickException(f"{graph_dir}/kg.ttl does not conform to the SHACL shapes")
    if not consistent:
        raise click.ClickException(f"{graph_dir}/kg.ttl with the ontology is not consistent OWL 2 DL")
