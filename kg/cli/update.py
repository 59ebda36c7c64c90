"""`kg update`: add new or changed papers to a built graph (a daily listing), every output switched at once."""

import click

from ..outputs import HTML_NODES
from ..update import update
from ._common import build_time, column_options, echo_warnings, field_map, graph_option, interruptible, \
    progress_factory, quiet_option
from .stats import format_stats


@click.command("update")
@click.argument("inputs", nargs=-1, required=True, type=click.Path())
@graph_option
@click.option("--format", "format", default=None,
              help="Input format: hf, jsonl, json, csv, arxiv or bibtex (default: detect).")
@click.option("--strict", is_flag=True, help="Stop at the first bad record instead of skipping it.")
@column_options
@click.option("--curation", type=click.Path(dir_okay=False), help="Curation file (TOML): the one the graph was built "
                                                                  "with.")
@click.option("--workers", default=1, show_default=True, type=click.IntRange(1), help="Extraction processes.")
@click.option("--cluster", metavar="local:N", help="Extract on a local Dask cluster of N worker processes.")
@click.option("--scheduler", metavar="ADDRESS", help="Extract on a running Dask cluster (tcp://HOST:8786).")
@click.option("--cache-dir", type=click.Path(file_okay=False), help="Reuse extractions cached in this directory.")
@click.option("--max-nodes", default=HTML_NODES, show_default=True, type=click.IntRange(0),
              help="Entities in kg.html: the most connected (0: all).")
@click.option("--base", help="Base IRI of the RDF resources (default: the graph's).")
@click.option("--timestamp", is_flag=True, help="Record the update time in the outputs.")
@quiet_option
@interruptible
def command(inputs, graph_dir, format, strict, title_column, abstract_column, curation, workers, cluster, scheduler,
            cache_dir, max_nodes, base, timestamp, quiet):
    """Add the new or changed papers of INPUTS to the graph in GRAPH (extracting only those)."""
    result = update(list(inputs), graph_dir, format=format, strict=strict, curation=curation, workers=workers,
                    cluster=cluster, scheduler=scheduler, cache_dir=cache_dir, max_nodes=max_nodes or None, base=base,
                    progress=progress_factory(quiet), fields=field_map(title_column, abstract_column),
                    created=build_time() if timestamp else None)
    echo_warnings(result.warnings)
    counts = result.stats["update"]
    click.echo(f"{counts['added']} new, {counts['changed']} changed, {counts['unchanged']} already in {graph_dir}"
               + ("" if result.files else ": nothing to do"), err=quiet)
    if not quiet and result.files:
        click.echo(format_stats(result.stats))
