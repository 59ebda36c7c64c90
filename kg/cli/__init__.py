"""The ``kg`` command line: a click group; each command lives in its own module.

A command parses options, calls ONE library function, and prints. Errors of the library
(:class:`kg.errors.KGError`) become one line on stderr and exit status 1, never a traceback.
"""

import click

from ..errors import KGError

__all__ = ["cli", "main"]


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="kg")
def cli():
    """kg: a knowledge graph of ML research, built offline from paper abstracts."""


def _register():
    from . import build, export, extract, query, serve, show, stats, train, validate

    for module in (build, extract, show, stats, export, query, validate, serve, train):
        cli.add_command(module.command)


_register()


def main():
    """Entry point of the ``kg`` console script: library errors become one line and exit 1."""
    try:
        cli.main(standalone_mode=False)
    except click.exceptions.Abort:
        click.echo("Aborted.", err=True)
        raise SystemExit(130)
    except click.ClickException as exc:
        exc.show()
        raise SystemExit(exc.exit_code)
    except KGError as exc:
        click.echo(f"Error: {exc}", err=True)
        raise SystemExit(1)
    except KeyboardInterrupt:
        click.echo("Interrupted.", err=True)
        raise SystemExit(130)
    except OSError as exc:
        click.echo(f"Error: {exc.filename or ''}: {exc.strerror or exc}", err=True)
        raise SystemExit(1)
