"""`kg serve`: a read-only SPARQL 1.1 protocol endpoint, started on a free port, queried over HTTP, stopped."""

import json
import os
import select
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request

import pytest

from kg.errors import InputError, KGError
from kg.serve import find_server, serve

JSON = "application/sparql-results+json"
QUERY = "PREFIX skos: <http://www.w3.org/2004/02/skos/core#> SELECT ?l WHERE { ?e skos:prefLabel ?l } ORDER BY ?l"
LABELS = ["GLUE", "GPT-4", "LLaMA-2", "LLaMA-2-7B", "LoRA", "accuracy", "full fine-tuning", "question answering"]


def _free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _listening(port):
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=0.5):
            return True
    except OSError:
        return False


def _get(url, query):
    request = urllib.request.Request(f"{url}?{urllib.parse.urlencode({'query': query})}", headers={"Accept": JSON})
    with urllib.request.urlopen(request, timeout=10) as response:
        return json.load(response)


def _post(url, query):
    request = urllib.request.Request(url, data=query.encode("utf-8"), headers={
        "Content-Type": "application/sparql-query", "Accept": JSON})
    with urllib.request.urlopen(request, timeout=10) as response:
        return json.load(response)


def _labels(doc):
    return [b["l"]["value"] for b in doc["results"]["bindings"]]


def test_find_server():
    assert os.access(find_server(), os.X_OK)


def test_serve_answers_sparql_protocol(rdf_graph_dir):
    port = _free_port()
    with serve(rdf_graph_dir, port=port) as endpoint:
        assert endpoint.query_url == f"http://127.0.0.1:{port}/query"
        assert _labels(_get(endpoint.query_url, QUERY)) == LABELS
        assert _labels(_post(endpoint.query_url, QUERY)) == LABELS
        # the ontology is served too, in its own named graph
        ask = "ASK { GRAPH <https://w3id.org/kg-ml/ontology> { ?c a <http://www.w3.org/2002/07/owl#Class> } }"
        assert _get(endpoint.query_url, ask)["boolean"] is True
        # read-only
        update = urllib.request.Request(endpoint.url + "/update", data=b"INSERT DATA { <a:b> <a:c> <a:d> }",
                                        headers={"Content-Type": "application/sparql-update"})
        with pytest.raises(urllib.error.HTTPError) as info:
            urllib.request.urlopen(update, timeout=10)
        assert info.value.code in (403, 404, 405)
        # a bad query gets the engine's message
        with pytest.raises(urllib.error.HTTPError) as info:
            _get(endpoint.query_url, "SELEC ?x")
        assert info.value.code == 400 and b"error at 1:" in info.value.read()
        # the query page and its scripts are served locally: it works offline
        with urllib.request.urlopen(endpoint.url + "/", timeout=10) as response:
            page = response.read().decode("utf-8")
        assert "<script" in page and "http://" not in page and "https://" not in page
        workdir = endpoint._workdir
    assert not _listening(port)
    assert not workdir.exists()


def test_serve_reports_a_taken_port(rdf_graph_dir):
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        with pytest.raises(KGError, match=f"127.0.0.1:{port}"):
            serve(rdf_graph_dir, port=port, timeout=10)


def test_serve_missing_graph(tmp_path):
    with pytest.raises(InputError, match="kg.ttl: no such file"):
        serve(tmp_path)


def _read_until(process, needle, timeout=30):
    """Lines of the process's stdout up to the one holding `needle` (without blocking past `timeout`)."""
    lines, deadline = [], time.monotonic() + timeout
    while time.monotonic() < deadline:
        ready, _, _ = select.select([process.stdout], [], [], 0.2)
        if ready:
            line = process.stdout.readline()
            if not line:
                break
            lines.append(line)
            if needle in line:
                return lines
    raise AssertionError(f"no {needle!r} in the output: {lines!r}")


@pytest.mark.parametrize("stop", [signal.SIGINT, signal.SIGTERM], ids=["SIGINT", "SIGTERM"])
def test_cli_serve_until_stopped(rdf_graph_dir, stop):
    port = _free_port()
    process = subprocess.Popen([sys.executable, "-m", "kg", "serve", "--graph", str(rdf_graph_dir),
                                "--port", str(port)], stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        lines = _read_until(process, "SPARQL endpoint")
        url = lines[-1].split()[-1]
        assert url == f"http://127.0.0.1:{port}/query"
        assert _labels(_get(url, QUERY)) == LABELS
        process.send_signal(stop)
        assert process.wait(20) == 0
        assert "Stopped." in process.stdout.read()
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
        process.stdout.close()
    assert not _listening(port)
