"""`kg stats`: papers, entities per type and edges per relation of a built graph."""

import click

from ..graphdb import graph_stats_of
from ._common import graph_option


def format_stats(s):
    """The summary `kg build` and `kg stats` print, as text, of :func:`kg.graph.graph_stats` (a dict)."""
    lines = [f"papers: {s['papers']}", f"entities: {s['entities']}"]
    lines += [f"  {t}: {n}" for t, n in s["entities_by_type"].items()]
    lines.append(f"relations: {sum(s['edges_by_relation'].values())}")
    lines += [f"  {p}: {n}" for p, n in s["edges_by_relation"].items()]
    if s.get("paper_edges_by_relation"):
        lines.append("paper links: " + ", ".join(f"{p} {n}" for p, n in s["paper_edges_by_relation"].items()))
    if s.get("results") is not None:
        r = s["results"]
        lines.append(f"results: {sum(r.values())} (absolute {r['absolute']}, delta {r['delta']}); "
                     f"conflicts: {s.get('conflicts', 0)}")
    return "\n".join(lines)


@click.command("stats")
@graph_option
def command(graph_dir):
    """Counts of papers, entities per type and edges per relation."""
    click.echo(format_stats(graph_stats_of(graph_dir)))
