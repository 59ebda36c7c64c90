"""`kg train`: train every model of extraction from stand-off annotations and report cross-validated scores."""

import json
from pathlib import Path

import click

# data/annotations, spelled here so that `kg --help` does not import spaCy (kg.train does)
ANNOTATIONS_DIR = Path(__file__).resolve().parents[2] / "data" / "annotations"


def _line(name, scores):
    keys = ("ent", "ent_typed", "proposed", "rel", "rel:outperforms", "rel:combinesWith", "rel:evaluatedOn")
    return f"{name:14s} " + " ".join(f"{k.replace('rel:', '')} {scores[k]['f1']:.3f}" for k in keys if k in scores)


@click.command("train")
@click.argument("annotations", required=False, default=str(ANNOTATIONS_DIR), type=click.Path(exists=True, file_okay=False))
@click.option("-o", "--output", required=True, type=click.Path(file_okay=False),
              help="Model directory to write (load it with --model-dir, or -o kg/extract/model to replace the "
                   "shipped models).")
@click.option("--folds", default=4, show_default=True, type=click.IntRange(2), help="Cross-fitting folds.")
@click.option("--seed", default=0, show_default=True, type=int, help="Seed of folds, tagger and classifiers.")
@click.option("--epochs", "n_iter", default=20, show_default=True, type=click.IntRange(1), help="Tagger epochs.")
@click.option("--workers", default=1, show_default=True, type=click.IntRange(1), help="Taggers trained at once.")
@click.option("--no-roles", is_flag=True, help="Leave roles to the rules (no role classifier).")
@click.option("--cross-source", is_flag=True,
              help="Also train on all sources but one and score that one, for each source (slow).")
@click.option("--overwrite", is_flag=True, help="Replace OUTPUT if it exists.")
@click.option("--work-dir", type=click.Path(file_okay=False),
              help="Keep the fold taggers here and reuse those trained on the same data and settings.")
@click.option("--title-less", type=click.Choice(["none", "score", "fit"]), default="none", show_default=True,
              help="Also extract every abstract without its title out of fold (score), and let the classifiers "
                   "learn from those copies too (fit).")
@click.option("--keep-entity-models", type=click.Path(exists=True, file_okay=False),
              help="Keep the tagger, lexicon and mention classifier of this earlier model directory (trained on "
                   "the same annotations) and write only the role and relation classifiers trained here beside them.")
def command(annotations, output, folds, seed, n_iter, workers, no_roles, cross_source, overwrite, work_dir,
            title_less, keep_entity_models):
    """Train on ANNOTATIONS (stand-off records, one folder per source; default data/annotations)."""
    from ..train import cross_source as run_cross_source
    from ..train import train

    report = train(output, annotations, folds=folds, seed=seed, n_iter=n_iter, workers=workers,
                   roles=not no_roles, overwrite=overwrite, work_dir=work_dir, title_less=title_less,
                   keep_entity_models=keep_entity_models)
    click.echo(f"{report['data']['abstracts']} abstracts {report['data']['by_source']} -> {output}", err=True)
    click.echo("cross-validated (out-of-fold):")
    for name, scores in report["cross_validation"].items():
        click.echo(_line(name, scores))
    if cross_source:
        report["cross_source"] = {}
        for source in report["data"]["by_source"]:
            result = run_cross_source(source, annotations, folds=folds, seed=seed, n_iter=n_iter, workers=workers,
                                      roles=not no_roles, work_dir=work_dir, title_less=title_less)
            report["cross_source"][source] = result
            click.echo(_line(f"-> {source}", result["test"]))
        (Path(output) / "report.json").write_text(json.dumps(report, indent=1, sort_keys=True), encoding="utf-8")
