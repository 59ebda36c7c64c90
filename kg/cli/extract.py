"""`kg extract`: per-paper extractions, one JSON line per paper (the devset/score.py contract)."""

import click

from ..pipeline import extract_corpus, write_extractions
from ..sources import read_papers
from ._common import column_options, echo_warnings, field_map, interruptible, progress_factory, quiet_option


@click.command("extract")
@click.argument("inputs", nargs=-1, required=True, type=click.Path())
@click.option("-o", "--output", required=True, type=click.Path(dir_okay=False), help="JSONL file to write.")
@click.option("--format", "format", default="jsonl", show_default=True, type=click.Choice(["jsonl"]),
              help="Output format.")
@click.option("--input-format", default=None,
              help="Input format: hf, jsonl, json, csv, arxiv or bibtex (default: detect).")
@click.option("--strict", is_flag=True, help="Stop at the first bad record instead of skipping it.")
@click.option("--workers", default=1, show_default=True, type=click.IntRange(1), help="Extraction processes.")
@column_options
@quiet_option
@interruptible
def command(inputs, output, format, input_format, strict, workers, title_column, abstract_column, quiet):
    """Extract entities and relations from each paper of INPUTS."""
    warnings = []
    papers = read_papers(list(inputs), format=input_format, strict=strict, warnings=warnings,
                         fields=field_map(title_column, abstract_column))
    echo_warnings(warnings)
    write_extractions(extract_corpus(papers, workers=workers, progress=progress_factory(quiet)), output)
    if not quiet:
        click.echo(f"{len(papers)} papers -> {output}", err=True)
