"""Options and helpers shared by several commands."""

import sys

import click

__all__ = ["progress_factory", "quiet_option", "graph_option", "column_options", "field_map", "echo_warnings"]

quiet_option = click.option("--quiet", "-q", is_flag=True, help="No progress bar and no summary.")


def column_options(command):
    """``--title-column`` and ``--abstract-column``: other names of the two columns (CSV) or keys (JSON)."""
    command = click.option("--abstract-column", metavar="NAME",
                           help="Column (CSV) or key (JSON) holding the abstract, when it is not 'abstract', "
                                "'summary', 'summaries' or 'paperAbstract'.")(command)
    return click.option("--title-column", metavar="NAME",
                        help="Column (CSV) or key (JSON) holding the title, when it is not 'title' or "
                             "'titles'.")(command)


def field_map(title_column, abstract_column):
    """The ``fields`` argument of :func:`kg.sources.read_papers` for the two column options."""
    return {k: v for k, v in (("title", title_column), ("abstract", abstract_column)) if v} or None
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
    """Print warnings (skipped records, skipped files, cache problems), one line each, to stderr."""
    for w in warnings[:limit]:
        click.echo(f"Warning: {w}", err=True)
    if len(warnings) > limit:
        click.echo(f"Warning: ... and {len(warnings) - limit} more", err=True)
