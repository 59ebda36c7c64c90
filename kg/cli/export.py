"""`kg export`: write a built graph in another format (RDF serialisations, GraphML, HTML)."""

from pathlib import Path

import click

from ..export import FORMATS, default_filename, export_graph_dir
from ._common import graph_option


@click.command("export")
@graph_option
@click.option("--format", "format", default="turtle", show_default=True, type=click.Choice(list(FORMATS)))
@click.option("-o", "--output", type=click.Path(dir_okay=False),
              help="File to write (default: GRAPH/kg.<ext> for the format).")
@click.option("--base", help="Base IRI of the RDF resources (RDF formats).")
@click.option("--max-nodes", type=click.IntRange(1), help="Keep only the most connected nodes (html).")
def command(graph_dir, format, output, base, max_nodes):
    """Export the graph in GRAPH to FORMAT."""
    output = output or str(Path(graph_dir) / default_filename(format))
    export_graph_dir(graph_dir, output, format, base=base, max_nodes=max_nodes)
    click.echo(f"wrote {output}")
