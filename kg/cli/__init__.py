"""The ``kg`` command line: a click group; each command lives in its own module.

A command parses options, calls ONE library function, and prints. Errors of the library
(:class:`kg.errors.KGError`) become one line on stderr and exit status 1, never a traceback.
"""

import click

from ..errors import KGError
from ._common import echo_warnings

__all__ = ["cli", "main"]


class _Group(click.Group):
    """A group that turns library errors into one-line click errors (exit 1, no traceback)."""

    def invoke(self, ctx):
        try:
            return super().invoke(ctx)
        except KGError as exc:
            echo_warnings(getattr(exc, "details", []))  # e.g. why every record of the input was bad
            raise click.ClickException(str(exc)) from None
        except OSError as exc:  # e.g. an output directory that cannot be written
            where = f"{exc.filename}: " if exc.filename else ""
            raise click.ClickException(f"{where}{exc.strerror or exc}") from None


@click.group(cls=_Group, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="kg")
def cli():
    """kg: a knowledge graph of ML research, built offline from paper abstracts."""


def _register():
    from . import (build, conflicts, export, extract, leaderboard, query, serve, show, stats, train, update,
                   validate)

    for module in (build, update, extract, show, stats, leaderboard, conflicts, export, query, validate, serve,
                   train):
        cli.add_command(module.command)


_register()


def main():
    """Entry point of the ``kg`` console script."""
    cli(prog_name="kg")
