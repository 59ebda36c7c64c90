"""The build's on-disk Oxigraph store (kg.store): what kg query and kg serve open, with the same answers as
kg.ttl."""

import json
import shutil
import urllib.parse
import urllib.request

from pyoxigraph import NamedNode

import kg.pipeline as pipeline
from kg.query import run_query
from kg.serve import serve
from kg.store import open_store, store_path
from kg.vocab import ONTOLOGY_IRI

QUERY = ("SELECT ?winner ?loser WHERE { ?c kg:predicate kg:outperforms ; kg:subject/skos:prefLabel ?winner ; "
         "kg:object/skos:prefLabel ?loser } ORDER BY ?winner ?loser")


def test_the_store_answers_as_the_turtle_file(tmp_path, fake_extraction, corpus):
    papers, _ = corpus
    pipeline.build(papers, tmp_path / "graph", base="http://example.org/kg/")
    assert store_path(tmp_path / "graph") is not None
    only_ttl = tmp_path / "ttl"
    only_ttl.mkdir()
    shutil.copy(tmp_path / "graph" / "kg.ttl", only_ttl)
    from_store, from_file = run_query(tmp_path / "graph", QUERY), run_query(only_ttl, QUERY)
    assert from_store.rows == from_file.rows and len(from_store.rows) == 8
    assert from_store.prefixes["entity"] == "http://example.org/kg/entity/"
    store, _ = open_store(tmp_path / "graph")
    assert next(store.quads_for_pattern(None, None, None, NamedNode(ONTOLOGY_IRI)), None) is not None


def test_serve_reads_the_build_store_and_sees_a_rebuild(tmp_path, fake_extraction, corpus):
    papers, _ = corpus
    graph = tmp_path / "graph"
    pipeline.build(papers[:4], graph)
    count = "SELECT (COUNT(?p) AS ?n) WHERE { ?p a kg:Paper }"
    with serve(graph, port=0) as endpoint:
        def papers_now():
            request = urllib.request.Request(endpoint.query_url + "?" + urllib.parse.urlencode({"query": count}),
                                             headers={"Accept": "application/sparql-results+json"})
            with urllib.request.urlopen(request, timeout=30) as response:
                return json.loads(response.read())["results"]["bindings"][0]["n"]["value"]

        assert endpoint.store == store_path(graph) and papers_now() == "4"
        pipeline.build(papers, graph)  # switched in under the running endpoint
        assert papers_now() == "8"
