"""`kg build`: read, extract, link and write every output of the knowledge graph."""

import click

from ..outputs import HTML_NODES
from ..pipeline import LINK_BATCH, build
from ._common import build_time, column_options, echo_warnings, field_map, interruptible, progress_factory, \
    quiet_option
from .stats import format_stats


@click.command("build")
@click.argument("inputs", nargs=-1, type=click.Path())
@click.option("-o", "--out-dir", default="outputs", show_default=True, type=click.Path(file_okay=False),
              help="Folder to write kg.ttl, kg.graphml, kg.html, kg.json, extractions.jsonl, kg.sqlite and store/ "
                   "into (replaced as a whole when the build succeeds).")
@click.option("--format", "format", default=None,
              help="Input format: hf, jsonl, json, csv, arxiv or bibtex (default: detect).")
@click.option("--strict", is_flag=True, help="Stop at the first bad record instead of skipping it.")
@column_options
@click.option("--curation", type=click.Path(dir_okay=False), help="Curation file (TOML) for the linker.")
@click.option("--workers", default=1, show_default=True, type=click.IntRange(1), help="Extraction processes.")
@click.option("--cluster", metavar="local:N", help="Extract on a local Dask cluster of N worker processes.")
@click.option("--scheduler", metavar="ADDRESS",
              help="Extract on a running Dask cluster (tcp://HOST:8786, started by dask-ssh, dask-jobqueue ...).")
@click.option("--from-extractions", type=click.Path(exists=True),
              help="Build from extraction shards (kg extract --shards DIR) or an extractions.jsonl, not from INPUTS.")
@click.option("--cache-dir", type=click.Path(file_okay=False), help="Reuse extractions cached in this directory.")
@click.option("--link-batch", default=LINK_BATCH, show_default=True, type=click.IntRange(0),
              help="Papers linked at once; a larger corpus is linked in batches against the nodes of the batches "
                   "before (0: all at once).")
@click.option("--max-nodes", default=HTML_NODES, show_default=True, type=click.IntRange(0),
              help="Entities in kg.html: the most connected (0: all; the page says what it left out).")
@click.option("--base", help="Base IRI of the RDF resources (ending in / or #).")
@click.option("--timestamp", is_flag=True,
              help="Record the build time in the outputs (UTC, or SOURCE_DATE_EPOCH when set); without it, "
                   "identical inputs give byte-identical outputs.")
@quiet_option
@interruptible
def command(inputs, out_dir, format, strict, title_column, abstract_column, curation, workers, cluster, scheduler,
            from_extractions, cache_dir, link_batch, max_nodes, base, timestamp, quiet):
    """Build the knowledge graph of INPUTS (files or directories) into OUT_DIR."""
    if not inputs and not from_extractions:
        raise click.UsageError("give INPUT files or folders, or --from-extractions DIR")
    result = build(list(inputs), out_dir, format=format, strict=strict, curation=curation, workers=workers,
                   cluster=cluster, scheduler=scheduler, from_extractions=from_extractions, cache_dir=cache_dir,
                   link_batch=link_batch, max_nodes=max_nodes or None, base=base, progress=progress_factory(quiet),
                   fields=field_map(title_column, abstract_column), created=build_time() if timestamp else None)
    echo_warnings(result.warnings)
    if not quiet:
        click.echo(format_stats(result.stats))
        click.echo("wrote " + ", ".join(str(p) for p in result.files.values()))
