"""`kg show`: one entity with its type, aliases, papers and edges with their evidence."""

import click

from ..graphdb import find_and_describe
from ._common import graph_option


@click.command("show")
@click.argument("name")
@graph_option
@click.option("--evidence", "max_evidence", default=3, show_default=True, type=click.IntRange(0),
              help="Evidence sentences to print per edge.")
def command(name, graph_dir, max_evidence):
    """Show the entity called NAME (any alias, any case)."""
    record, also = find_and_describe(graph_dir, name)
    if record is None:
        raise click.ClickException(f"no entity named {name!r} in {graph_dir}")
    click.echo(format_entity(record, max_evidence))
    if also:
        click.echo(f"\n(also matching: {', '.join(also)})")


def format_entity(d, max_evidence=3):
    """Text of one :func:`kg.graph.describe_entity` record."""
    lines = [f"{d['label']}  [{d['type']}]  id={d['id']}"]
    if d.get("aliases"):
        lines.append("aliases: " + " | ".join(d["aliases"]))
    lines.append(f"papers ({len(d['papers'])}):")
    lines += [f"  - {p['id']}  {p.get('date') or '':10}  {p['role']:9}  {p['title']}" for p in d["papers"]]
    for direction, edges in (("out", d.get("edges_out", [])), ("in", d.get("edges_in", []))):
        for e in edges:
            pred, label = e["predicate"], e["label"]
            arrow = f"--{pred}--> {label}" if direction == "out" else f"<--{pred}-- {label}"
            lines.append(f"{arrow}  (support {e['support']})")
            lines += [f"      \"{ev['sentence']}\" [{ev['paper']}]" for ev in e.get("evidence", [])[:max_evidence]]
    return "\n".join(lines)
