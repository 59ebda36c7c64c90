"""Options and helpers shared by several commands."""

import functools
import os
import signal
import sys
from datetime import datetime, timezone

import click

__all__ = ["progress_factory", "quiet_option", "graph_option", "column_options", "field_map", "echo_warnings",
           "interruptible", "build_time"]

#: Exit status of a command stopped by Ctrl-C or SIGTERM (128 + SIGINT, the shell's convention).
INTERRUPTED = 130


def _raise_interrupt(signum, frame):
    raise KeyboardInterrupt


def interruptible(command):
    """Make Ctrl-C and SIGTERM stop `command` cleanly: its ``finally`` blocks run (temporary files and
    workers go), then one line and exit status 130 instead of a traceback."""
    @functools.wraps(command)
    def run(*args, **kwargs):
        previous = signal.signal(signal.SIGTERM, _raise_interrupt)
        try:
            return command(*args, **kwargs)
        except KeyboardInterrupt:
            click.echo("Interrupted: nothing was changed.", err=True)
            sys.exit(INTERRUPTED)
        finally:
            signal.signal(signal.SIGTERM, previous)
    return run


def build_time():
    """The time to record as a build's: ``SOURCE_DATE_EPOCH`` when set (reproducible-builds.org), else now (UTC).

    >>> os.environ["SOURCE_DATE_EPOCH"] = "0"; build_time()
    '1970-01-01T00:00:00+00:00'
    >>> del os.environ["SOURCE_DATE_EPOCH"]
    """
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    moment = datetime.fromtimestamp(int(epoch), timezone.utc) if epoch and epoch.isdigit() else \
        datetime.now(timezone.utc)
    return moment.isoformat(timespec="seconds")

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
