"""`kg extract`: per-paper extractions, one JSON line per paper (the devset/score.py contract), or shards."""

import click

from ..pipeline import extract_to
from ..sources import read_papers
from ._common import column_options, echo_warnings, field_map, interruptible, progress_factory, quiet_option


@click.command("extract")
@click.argument("inputs", nargs=-1, required=True, type=click.Path())
@click.option("-o", "--output", required=True, type=click.Path(),
              help="JSONL file to write (with --shards: a new folder of shards).")
@click.option("--format", "format", default="jsonl", show_default=True, type=click.Choice(["jsonl"]),
              help="Output format.")
@click.option("--input-format", default=None,
              help="Input format: hf, jsonl, json, csv, arxiv or bibtex (default: detect).")
@click.option("--strict", is_flag=True, help="Stop at the first bad record instead of skipping it.")
@click.option("--workers", default=1, show_default=True, type=click.IntRange(1), help="Extraction processes.")
@click.option("--cluster", metavar="local:N", help="Extract on a local Dask cluster of N worker processes.")
@click.option("--scheduler", metavar="ADDRESS", help="Extract on a running Dask cluster (tcp://HOST:8786).")
@click.option("--shards", is_flag=True,
              help="Write OUTPUT as a folder of shards (part-00000.jsonl ..., each paper with its extraction) for "
                   "kg build --from-extractions.")
@column_options
@quiet_option
@interruptible
def command(inputs, output, format, input_format, strict, workers, cluster, scheduler, shards, title_column,
            abstract_column, quiet):
    """Extract entities and relations from each paper of INPUTS."""
    warnings = []
    papers = read_papers(list(inputs), format=input_format, strict=strict, warnings=warnings,
                         fields=field_map(title_column, abstract_column))
    echo_warnings(warnings)
    n = extract_to(papers, output, shards=shards, workers=workers, cluster=cluster, scheduler=scheduler,
                   progress=progress_factory(quiet))
    if not quiet:
        click.echo(f"{n} papers -> {output}", err=True)
