"""The ``kg`` command line: a click group; each command lives in its own module.

A command parses options, calls ONE library function, and prints. Errors of the library
(:class:`kg.errors.KGError`) become one line on stderr and exit status 1, never a traceback.
A command's module is imported when the command is called (click's lazy loading of subcommands): ``kg query``
then starts without importing the build's pipeline, networkx or spaCy (0.35 -> 0.15 s of CPU; issue 20).
"""

import importlib

import click

from ..errors import KGError
from ._common import echo_warnings

__all__ = ["COMMANDS", "cli", "main"]


#: Command name -> the module of kg.cli that defines it (as ``command``); ``kg --help`` lists them sorted.
COMMANDS = {"build": "build", "update": "update", "extract": "extract", "show": "show", "stats": "stats",
            "leaderboard": "leaderboard", "conflicts": "conflicts", "export": "export", "query": "query",
            "validate": "validate", "serve": "serve", "train": "train"}


class _Group(click.Group):
    """A group that turns library errors into one-line click errors (exit 1, no traceback) and imports each
    command's module only when the command is asked for."""

    def list_commands(self, ctx):
        return sorted(COMMANDS)

    def get_command(self, ctx, name):
        if name not in COMMANDS:
            return None
        if name not in self.commands:
            self.add_command(importlib.import_module(f"{__name__}.{COMMANDS[name]}").command, name)
        return self.commands[name]

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


def main():
    """Entry point of the ``kg`` console script."""
    cli(prog_name="kg")
