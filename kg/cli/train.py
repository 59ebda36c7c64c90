"""`kg train`: train the extraction pipeline's statistical parts from annotated abstracts."""

import click

from ..extract.train import MODEL_DIR, train


@click.command("train")
@click.argument("directory", type=click.Path(exists=True, file_okay=False))
@click.option("-o", "--output", default=str(MODEL_DIR), show_default=True, type=click.Path(file_okay=False),
              help="Directory of the trained pipeline (shipped in the package by default).")
@click.option("--n-iter", default=20, show_default=True, type=click.IntRange(1), help="Training epochs.")
@click.option("--seed", default=0, show_default=True, type=int, help="Random seed.")
@click.option("--learned", default=None, type=click.Path(dir_okay=False),
              help="Where to write the learned terms (default: the package's lexicon).")
def command(directory, output, n_iter, seed, learned):
    """Train on DIRECTORY (papers.jsonl + gold.jsonl in the dev-set format)."""
    result = train(directory, output=output, n_iter=n_iter, seed=seed, learned=learned)
    click.echo(f"{result['papers']} papers: {result['terms']} learned terms; model -> {result['output']}", err=True)
