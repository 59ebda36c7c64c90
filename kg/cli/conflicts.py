"""`kg conflicts`: claims of different papers that disagree, with both sides' evidence."""

import click

from ..conflicts import CONFLICT_KINDS, format_conflicts, list_conflicts
from ..graph import find_entities
from ..graphdb import results_graph_of
from ._common import graph_option


@click.command("conflicts")
@graph_option
@click.option("--kind", type=click.Choice(CONFLICT_KINDS),
              help="reversed (A beats B in one paper, B beats A in another) or results (reported values "
                   "contradict a claim).")
@click.option("--entity", help="Only conflicts about this entity (any of its names).")
@click.option("--format", "fmt", default="table", show_default=True, type=click.Choice(("table", "json")))
def command(graph_dir, kind, entity, fmt):
    """List pairs of statements of different papers that disagree about what beats what."""
    G = results_graph_of(graph_dir, names=(entity,))
    node = None
    if entity:
        ids = find_entities(G, entity)
        if not ids:
            raise click.ClickException(f"no entity named {entity!r} in {graph_dir}")
        node = ids[0]
    click.echo(format_conflicts(G, list_conflicts(G, kind=kind, entity=node), fmt), nl=False)
