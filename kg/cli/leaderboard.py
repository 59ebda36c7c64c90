"""`kg leaderboard`: the methods ranked by the values papers report on a dataset."""

import click

from ..leaderboard import FORMATS, format_leaderboard, leaderboard
from ..graphdb import results_graph_of
from ._common import graph_option


@click.command("leaderboard")
@click.argument("dataset")
@graph_option
@click.option("--metric", help="Only this metric (any of its names).")
@click.option("--task", help="Only results of papers that name this task.")
@click.option("--format", "fmt", default="table", show_default=True, type=click.Choice(FORMATS),
              help="An aligned table per metric, CSV (one row a line) or JSON.")
def command(dataset, graph_dir, metric, task, fmt):
    """Rank the methods by their reported values on DATASET (any of its names, or a task).

    One row per method and metric: its best value (units normalised, 0.873 = 87.3%), the paper, its date, the
    kind and the evidence. Metrics of unknown direction are listed unordered; differences ("+2.1 points over X")
    are listed apart with their baselines.

    \b
    Example:
      kg leaderboard ImageNet --graph outputs --metric "top-1 accuracy"
    """
    G = results_graph_of(graph_dir, names=(dataset, metric, task))
    board = leaderboard(G, dataset, metric=metric, task=task)
    click.echo(format_leaderboard(board, fmt), nl=False)
