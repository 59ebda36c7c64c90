"""Options and helpers shared by several commands."""

import sys

import click

__all__ = ["progress_factory", "quiet_option", "graph_option", "echo_warnings"]

quiet_option = click.option("--quiet", "-q", is_flag=True, help="No progress bar and no summary.")
graph_option = click.option(
    "--graph", "graph_dir", default="outputs", show_default=True, type=click.Path(file_okay=False),
    help="Directory written by `kg build`.",
)


def progress_factory(quiet):
    """A ``progress(iterable, total=, desc=)`` wrapper: a tqdm bar on a terminal, nothing otherwise."""
    if quiet or not sys.stderr.isatty():
        return None
    from tqdm import tqdm

    def progress(iterable, total=None, desc=None):
        return tqdm(iterable, total=total, desc=desc, unit="paper" if desc == "extract" else "it",
                    file=sys.stderr, leave=False)

    return progress


def echo_warnings(warnings, limit=20):
    """Print skipped-record warnings, one line each, to stderr."""
    for w in warnings[:limit]:
        click.echo(f"Warning: {w}", err=True)
    if len(warnings) > limit:
        click.echo(f"Warning: ... and {len(warnings) - limit} more skipped records", err=True)
