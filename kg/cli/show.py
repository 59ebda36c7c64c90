"""`kg show`: one entity with its type, aliases, papers and edges with their evidence."""

import click

from ..graph import describe_entity, find_entities
from ..pipeline import open_graph
from ._common import graph_option


@click.command("show")
@click.argument("name")
@graph_option
@click.option("--evidence", "max_evidence", default=3, show_default=True, type=click.IntRange(0),
              help="Evidence sentences to print per edge.")
def command(name, graph_dir, max_evidence):
    """Show the entity called NAME (any alias, any case)."""
    G = open_graph(graph_dir)
    ids = find_entities(G, name)
    if not ids:
        raise click.ClickException(f"no entity named {name!r} in {graph_dir}")
    click.echo("\n\n".join(format_entity(describe_entity(G, i), max_evidence) for i in ids[:1]))
    if len(ids) > 1:
        others = ", ".join(G.nodes[i]["label"] for i in ids[1:6])
        click.echo(f"\n(also matching: {others})")


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
