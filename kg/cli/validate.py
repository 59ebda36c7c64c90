"""`kg validate` (placeholder: being written by the RDF/SPARQL work)."""

import click


@click.command("validate")
def command():
    """Not yet available."""
    raise click.ClickException("kg validate is not implemented yet")
