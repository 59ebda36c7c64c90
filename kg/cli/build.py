"""`kg build`: read, extract, link and write every output of the knowledge graph."""

import click

from ..pipeline import build
from ._common import build_time, column_options, echo_warnings, field_map, interruptible, progress_factory, \
    quiet_option
from .stats import format_stats


@click.command("build")
@click.argument("inputs", nargs=-1, required=True, type=click.Path())
@click.option("-o", "--out-dir", default="outputs", show_default=True, type=click.Path(file_okay=False),
              help="Folder to write kg.ttl, kg.graphml, kg.html, kg.json and extractions.jsonl into (replaced "
                   "as a whole when the build succeeds).")
@click.option("--format", "format", default=None,
              help="Input format: hf, jsonl, json, csv, arxiv or bibtex (default: detect).")
@click.option("--strict", is_flag=True, help="Stop at the first bad record instead of skipping it.")
@column_options
@click.option("--curation", type=click.Path(dir_okay=False), help="Curation file (TOML) for the linker.")
@click.option("--workers", default=1, show_default=True, type=click.IntRange(1), help="Extraction processes.")
@click.option("--cache-dir", type=click.Path(file_okay=False), help="Reuse extractions cached in this directory.")
@click.option("--max-nodes", type=click.IntRange(1), help="Show only the most connected nodes in kg.html.")
@click.option("--base", help="Base IRI of the RDF resources (ending in / or #).")
@click.option("--timestamp", is_flag=True,
              help="Record the build time in the outputs (UTC, or SOURCE_DATE_EPOCH when set); without it, "
                   "identical inputs give byte-identical outputs.")
@quiet_option
@interruptible
def command(inputs, out_dir, format, strict, title_column, abstract_column, curation, workers, cache_dir,
            max_nodes, base, timestamp, quiet):
    """Build the knowledge graph of INPUTS (files or directories) into OUT_DIR."""
    result = build(list(inputs), out_dir, format=format, strict=strict, curation=curation, workers=workers,
                   cache_dir=cache_dir, max_nodes=max_nodes, base=base, progress=progress_factory(quiet),
                   fields=field_map(title_column, abstract_column), created=build_time() if timestamp else None)
    echo_warnings(result.warnings)
    if not quiet:
        click.echo(format_stats(result.graph))
        click.echo("wrote " + ", ".join(str(p) for p in result.files.values()))
