"""`kg query` (placeholder: being written by the RDF/SPARQL work)."""

import click


@click.command("query")
def command():
    """Not yet available."""
    raise click.ClickException("kg query is not implemented yet")
