"""`kg validate`: check GRAPH/kg.ttl against the SHACL shapes of ontology/shapes.ttl."""

import click

from ..errors import KGError
from ..validate import validate_graph_dir
from ._common import graph_option


@click.command("validate")
@graph_option
@click.option("--shapes", type=click.Path(exists=True, dir_okay=False),
              help="SHACL shapes to use instead of ontology/shapes.ttl.")
def command(graph_dir, shapes):
    """Validate GRAPH/kg.ttl with pySHACL; exit status 1 when it does not conform."""
    try:
        conforms, report = validate_graph_dir(graph_dir, shapes=shapes)
    except KGError as exc:
        raise click.ClickException(str(exc))
    click.echo(report.rstrip("\n"))
    if not conforms:
        raise click.ClickException(f"{graph_dir}/kg.ttl does not conform to the SHACL shapes")
