"""`kg serve`: a read-only SPARQL 1.1 endpoint with a query page, on this machine by default."""

import signal

import click

from ..serve import DEFAULT_TIMEOUT, serve
from ._common import graph_option


def _stop_on_sigterm(signum, frame):
    raise KeyboardInterrupt  # `kill` stops the endpoint as cleanly as Ctrl-C


@click.command("serve")
@graph_option
@click.option("--host", default="127.0.0.1", show_default=True, help="Interface to listen on.")
@click.option("--port", default=7878, show_default=True, type=click.IntRange(0, 65535), help="0: any free port.")
@click.option("--timeout", default=DEFAULT_TIMEOUT, show_default=True, type=click.FloatRange(0, min_open=True),
              help="Seconds one query may run before it is stopped.")
def command(graph_dir, host, port, timeout):
    """Serve GRAPH/kg.ttl over the SPARQL 1.1 protocol (read-only) until Ctrl-C.

    Only this machine's pages may query it (Host and Origin are checked), SERVICE is refused, and each query is
    stopped after --timeout seconds or when its client goes away.
    """
    endpoint = serve(graph_dir, host=host, port=port, timeout=timeout)
    signal.signal(signal.SIGTERM, _stop_on_sigterm)
    with endpoint:
        try:
            click.echo(f"SPARQL endpoint (read-only): {endpoint.query_url}")
            click.echo(f"Query page: {endpoint.url}/")
            click.echo("Press Ctrl-C to stop.")
            endpoint.wait()
        except KeyboardInterrupt:
            click.echo("Stopped.")
