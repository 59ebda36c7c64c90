"""`kg serve` (placeholder: being written by the RDF/SPARQL work)."""

import click


@click.command("serve")
def command():
    """Not yet available."""
    raise click.ClickException("kg serve is not implemented yet")
