"""`kg train` (placeholder: being written by the extraction work)."""

import click


@click.command("train")
def command():
    """Not yet available."""
    raise click.ClickException("kg train is not implemented yet")
