"""`kg train`: train the extraction pipeline's statistical parts from annotated abstracts."""

from pathlib import Path

import click

# kg/extract/model, spelled here so that `kg --help` does not import spaCy (kg.extract.train does)
MODEL_DIR = Path(__file__).resolve().parents[1] / "extract" / "model"


@click.command("train")
@click.argument("directory", type=click.Path(exists=True, file_okay=False))
@click.option("-o", "--output", default=str(MODEL_DIR), show_default=True, type=click.Path(file_okay=False),
              help="Directory of the trained models (shipped in the package by default).")
@click.option("--n-iter", default=20, show_default=True, type=click.IntRange(1), help="Training epochs.")
@click.option("--seed", default=0, show_default=True, type=int, help="Random seed of the first member.")
@click.option("--members", default=3, show_default=True, type=click.IntRange(1),
              help="Models in the voting committee.")
@click.option("--learned", default=None, type=click.Path(file_okay=False),
              help="Directory for learned.tsv and rejected.txt (default: the package's lexicon).")
def command(directory, output, n_iter, seed, members, learned):
    """Train on DIRECTORY (papers.jsonl + gold.jsonl in the dev-set format)."""
    from ..extract.train import train

    result = train(directory, output=output, n_iter=n_iter, seed=seed, members=members, learned=learned)
    click.echo(f"{result['papers']} papers: {result['terms']} learned terms, {result['rejected']} rejected "
               f"phrases; {len(result['members'])} models -> {output}", err=True)
