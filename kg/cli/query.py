"""`kg query`: run a SPARQL query over a built graph and print a table, CSV or JSON."""

import click

from ..errors import KGError
from ..query import DEFAULT_TIMEOUT, FORMATS, format_result, run_query
from ._common import graph_option, interruptible


@click.command("query")
@click.argument("query", required=False)
@graph_option
@click.option("--file", "query_file", type=click.File("r", encoding="utf-8"), help="Read the query from a .rq file.")
@click.option("--format", "fmt", default="table", show_default=True, type=click.Choice(FORMATS),
              help="table, SPARQL 1.1 CSV, or SPARQL 1.1 JSON results.")
@click.option("--timeout", default=DEFAULT_TIMEOUT, show_default=True, type=click.FloatRange(0, min_open=True),
              help="Seconds before the query is stopped.")
@click.option("--allow-service", is_flag=True,
              help="Let SERVICE clauses query other SPARQL endpoints over the network (refused by default).")
@interruptible
def command(query, graph_dir, query_file, fmt, timeout, allow_service):
    """Run the SPARQL QUERY (or --file FILE) over GRAPH/kg.ttl.

    The prefixes kg:, skos:, dcterms:, prov:, rdf:, rdfs:, owl:, xsd:, schema:, mls:, oa:, fabio:, and
    entity: / paper: for the data, are predeclared. Example queries: ontology/queries/*.rq. The query reads
    the local graph only (SERVICE is refused unless --allow-service) and is stopped after --timeout seconds
    or at Ctrl-C.

    \b
    Example:
      kg query --graph outputs "SELECT ?m WHERE { ?m a kg:Method } LIMIT 5"
    """
    if (query is None) == (query_file is None):
        raise click.UsageError("give either a QUERY argument or --file FILE")
    try:
        result = run_query(graph_dir, query if query_file is None else query_file.read(), timeout=timeout,
                           allow_service=allow_service)
        click.echo(format_result(result, fmt), nl=False)
    except (KGError, UnicodeDecodeError) as exc:
        raise click.ClickException(str(exc))
