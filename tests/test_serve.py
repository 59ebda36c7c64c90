"""`kg serve`: a read-only SPARQL 1.1 protocol endpoint, started on a free port, queried over HTTP, stopped."""

import json
import os
import re
import select
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

import networkx as nx
import pytest

from kg.errors import InputError, KGError
from kg.serve import serve

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
        # the query page loads nothing: no external script, style or request (prefix.cc), and its CSP says so
        with urllib.request.urlopen(endpoint.url + "/", timeout=10) as response:
            page = response.read().decode("utf-8")
            csp = response.headers["Content-Security-Policy"]
        assert "<script" in page and "prefix.cc" not in page
        assert not re.search(r"""(src|href|action)\s*=\s*["']?(https?:)?//""", page)
        assert csp.startswith("default-src 'none'") and "connect-src 'self'" in csp
        workdir = endpoint._workdir
    assert not _listening(port)
    assert not workdir.exists()


@pytest.mark.parametrize("other", ["127.0.0.1", "0.0.0.0"])
def test_serve_reports_a_taken_port(rdf_graph_dir, other):
    with socket.socket() as taken:
        taken.bind((other, 0))
        taken.listen()
        port = taken.getsockname()[1]
        with pytest.raises(KGError, match=f"cannot listen on 127.0.0.1:{port}: the port is in use"):
            serve(rdf_graph_dir, port=port)


def test_cli_serve_on_a_taken_port_exits_1_without_a_banner(rdf_graph_dir):
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        done = subprocess.run([sys.executable, "-m", "kg", "serve", "--graph", str(rdf_graph_dir), "--port",
                               str(port)], capture_output=True, text=True, timeout=60)
    assert done.returncode == 1
    assert "the port is in use" in done.stderr and "SPARQL endpoint" not in done.stdout


def _request(url, query=None, method="GET", headers=None, data=None):
    """(status, headers, body) of one request; errors are answers too."""
    if query is not None:
        url = f"{url}?{urllib.parse.urlencode({'query': query})}"
    request = urllib.request.Request(url, data=data, method=method, headers={"Accept": JSON, **(headers or {})})
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, response.headers, response.read()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.headers, exc.read()


@pytest.fixture(scope="module")
def endpoint(tmp_path_factory):
    from kg.export.rdf import write_rdf

    G = nx.MultiDiGraph(name="kg", papers=0, link_report={})
    for i in range(60):  # enough triples for a cartesian product that runs far past the timeout
        G.add_node(f"e{i}", kind="entity", type="Method", label=f"E{i}", aliases=[], papers=[], paper_count=0)
    folder = tmp_path_factory.mktemp("serve")
    write_rdf(G, folder / "kg.ttl")
    with serve(folder, port=0, timeout=2) as running:
        yield running


@pytest.mark.parametrize("headers, allowed", [
    ({}, True),
    ({"Host": "evil.example"}, False),  # DNS rebinding: a name that now points here
    ({"Host": "evil.example:{port}"}, False),
    ({"Host": "localhost:{port}"}, True),
    ({"Origin": "http://evil.example"}, False),  # another site's page
    ({"Origin": "null"}, False),  # a sandboxed or file:// page
    ({"Origin": "http://127.0.0.1:{port}"}, True),  # the query page itself
    ({"Sec-Fetch-Site": "cross-site"}, False),
])
def test_host_and_origin_are_checked(endpoint, headers, allowed):
    headers = {k: v.format(port=endpoint.port) for k, v in headers.items()}
    for method in ("GET", "POST"):
        data = b"ASK {}" if method == "POST" else None
        status, answer_headers, body = _request(endpoint.query_url, None if data else "ASK {}", method,
                                                {**headers, "Content-Type": "application/sparql-query"}, data)
        assert (status == 200) == allowed, (method, status, body)
        assert "Access-Control-Allow-Origin" not in answer_headers
    assert _request(endpoint.query_url, method="OPTIONS", headers={"Origin": "http://evil.example"})[0] == 403


def test_service_is_refused(endpoint):
    for query in ("SELECT * WHERE { SERVICE <http://127.0.0.1:9/sparql> { ?s ?p ?o } }",
                  "SELECT * WHERE { \\u0053ERVICE <http://127.0.0.1:9/sparql> { ?s ?p ?o } }",
                  "select * where { service silent <http://10.0.0.1/> { ?s ?p ?o } }"):
        status, _, body = _request(endpoint.query_url, query)
        assert status == 400 and b"SERVICE (a federated query) is disabled" in body


def test_a_query_past_its_time_is_stopped_and_the_endpoint_goes_on(endpoint):
    start = time.monotonic()
    status, _, body = _request(endpoint.query_url, "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . "
                                                   "?g ?h ?i . ?j ?k ?l }")
    assert status == 503 and b"ran longer than 2 s and was stopped" in body
    assert time.monotonic() - start < 6
    status, _, body = _request(endpoint.query_url, "SELECT ?l WHERE { entity:e1 skos:prefLabel ?l }")
    assert status == 200 and json.loads(body)["results"]["bindings"][0]["l"]["value"] == "E1"  # no PREFIX lines


def test_results_in_the_accepted_format(endpoint):
    query = "SELECT ?l WHERE { entity:e1 skos:prefLabel ?l }"
    status, headers, body = _request(endpoint.query_url, query, headers={"Accept": "text/csv"})
    assert status == 200 and headers["Content-Type"].startswith("text/csv") and body.splitlines()[1] == b"E1"
    status, headers, body = _request(endpoint.query_url, "CONSTRUCT WHERE { entity:e1 skos:prefLabel ?l }",
                                     headers={"Accept": "application/n-triples"})
    assert status == 200 and b'"E1"' in body
    assert _request(endpoint.query_url, query, headers={"Accept": "image/png"})[0] == 406


def test_stale_stores_of_killed_endpoints_are_removed(rdf_graph_dir):
    import fcntl
    import tempfile

    root = Path(tempfile.gettempdir())
    stale, live = root / "kg-serve-999999-stale", root / "kg-serve-999998-live"
    for folder in (stale, live):
        (folder / "store").mkdir(parents=True, exist_ok=True)
        (folder / "lock").write_text("")
    held = os.open(live / "lock", os.O_RDWR)
    fcntl.flock(held, fcntl.LOCK_EX)
    try:
        with serve(rdf_graph_dir, port=0):
            assert not stale.exists() and live.exists()
    finally:
        os.close(held)
        shutil.rmtree(live, ignore_errors=True)


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


def test_cli_serve_killed_leaves_a_store_that_the_next_one_removes(rdf_graph_dir):
    import tempfile

    before = set(Path(tempfile.gettempdir()).glob("kg-serve-*"))
    process = subprocess.Popen([sys.executable, "-m", "kg", "serve", "--graph", str(rdf_graph_dir), "--port", "0"],
                               stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        _read_until(process, "SPARQL endpoint")
        left = set(Path(tempfile.gettempdir()).glob("kg-serve-*")) - before
        assert len(left) == 1
        process.kill()
        process.wait(10)
    finally:
        process.stdout.close()
    assert all(p.exists() for p in left)
    with serve(rdf_graph_dir, port=0):
        assert not any(p.exists() for p in left)
