"""A local, read-only SPARQL endpoint over a built graph, safe to leave running while browsing the web.

Follows the SPARQL 1.1 Protocol (https://www.w3.org/TR/sparql11-protocol/): queries by GET or POST on
``/query`` (also ``/sparql``), results in the format the ``Accept`` header asks for (SPARQL results JSON, XML,
CSV, TSV; Turtle, N-Triples, RDF/XML or JSON-LD for CONSTRUCT and DESCRIBE). ``/`` is a query page that loads
nothing from the network. Queries read the graph's own store (``DIR/store``, :mod:`kg.store`), opened read-only
by each query, so the endpoint starts at once whatever the graph's size and answers from the new build as soon
as a rebuild is switched in. A graph without a store (an older build, a Turtle file) has its ``kg.ttl`` loaded
into an on-disk store in a temporary folder (the ontology into the named graph
``<https://w3id.org/kg-ml/ontology>``), removed when the endpoint stops, or by the next ``kg serve`` if this one
was killed.

What makes it safe (the threats are a web page the user visits and a query that never ends):

* **no outbound requests**: ``SERVICE`` is refused, and each query runs in a child process without network
  access where Linux allows it (:func:`kg.query.no_network`);
* **DNS rebinding and cross-site requests**: a request whose ``Host`` is not this server's address, whose
  ``Origin`` is another site's, or that a browser marks ``Sec-Fetch-Site: cross-site`` is refused (403), and no
  CORS header is ever sent;
* **runaway queries**: each query runs in its own process (:func:`kg.workers.call_in_process`), killed after the
  per-query timeout or as soon as its client goes away; at most a few run at once;
* **a port another server holds** is an error at start, never a banner over someone else's graph.
"""

import contextlib
import html
import json
import os
import secrets
import select
import shutil
import socket
import tempfile
import threading
import urllib.parse
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from importlib import resources
from pathlib import Path

from .errors import InputError, KGError, QueryError
from .query import uses_service
from .store import _one_line, graph_prefixes, rdf_file, store_path, write_store
from .vocab import ontology_path

__all__ = ["Endpoint", "serve", "DEFAULT_TIMEOUT", "MAX_QUERY_BYTES"]

#: Seconds one query may run before it is stopped.
DEFAULT_TIMEOUT = 30.0
#: Largest query accepted, in bytes.
MAX_QUERY_BYTES = 1 << 20
_RESULT_TYPES = ("application/sparql-results+json", "application/sparql-results+xml", "text/csv",
                 "text/tab-separated-values")
_GRAPH_TYPES = ("text/turtle", "application/n-triples", "application/rdf+xml", "application/ld+json")
_LOOPBACK = ("127.0.0.1", "localhost", "::1")
_PREFIX = "kg-serve-"


# -- the query, in its own process ------------------------------------------------------------------------------

def _preferred(accept, offered):
    """The first of `offered` media types that an ``Accept`` header admits (the first offered by default)."""
    ranked = []
    for i, part in enumerate((accept or "").split(",")):
        kind, *params = [p.strip() for p in part.split(";")]
        q = next((float(p[2:]) for p in params if p.startswith("q=") and p[2:].replace(".", "", 1).isdigit()), 1.0)
        if kind and q > 0:
            ranked.append((-q, i, kind.lower()))
    for _, _, kind in sorted(ranked):
        if kind in ("*/*", "application/*", "text/*"):
            return next((o for o in offered if o.startswith(kind[:-1]) or kind == "*/*"), None)
        if kind in offered:
            return kind
    return offered[0] if not ranked else None


def _run(store_dir, query, prefixes, accept):
    """In the query's process: open the store read-only, run, serialise in the accepted format."""
    from pyoxigraph import QueryBoolean, QueryResultsFormat, QuerySolutions, RdfFormat, Store

    from .query import no_network

    no_network()
    store = Store.read_only(str(store_dir))
    try:
        answer = store.query(query, prefixes=prefixes)
        if isinstance(answer, (QueryBoolean, QuerySolutions)):
            media = _preferred(accept, _RESULT_TYPES)
            if media is None:
                return HTTPStatus.NOT_ACCEPTABLE, "text/plain", f"results can be: {', '.join(_RESULT_TYPES)}"
            return HTTPStatus.OK, media, answer.serialize(format=QueryResultsFormat.from_media_type(media))
        media = _preferred(accept, _GRAPH_TYPES)
        if media is None:
            return HTTPStatus.NOT_ACCEPTABLE, "text/plain", f"graphs can be: {', '.join(_GRAPH_TYPES)}"
        return HTTPStatus.OK, media, answer.serialize(format=RdfFormat.from_media_type(media))
    except (SyntaxError, ValueError, OSError, RuntimeError) as exc:
        raise QueryError(_one_line(exc)) from None


# -- the HTTP side ----------------------------------------------------------------------------------------------

def _page(nonce, prefixes, examples):
    template = resources.files("kg").joinpath("assets", "query.html").read_text(encoding="utf-8")
    data = json.dumps({"prefixes": prefixes, "examples": examples}, ensure_ascii=True)
    data = data.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
    return template.replace("{{nonce}}", nonce).replace("{{data}}", data).replace(
        "{{prefix_list}}", html.escape(", ".join(f"{p}:" for p in prefixes)))


def _examples():
    out = []
    for path in sorted(ontology_path("queries").glob("*.rq")):
        text = path.read_text(encoding="utf-8")
        first = next((ln.lstrip("# ").strip() for ln in text.splitlines() if ln.startswith("#")), path.stem)
        out.append({"name": f"{path.stem}: {first}", "query": text})
    return out


class _Handler(BaseHTTPRequestHandler):
    server_version = "kg-serve"
    sys_version = ""
    protocol_version = "HTTP/1.1"

    def log_message(self, format, *args):  # quiet: no line per request on the terminal
        pass

    # -- checks ---------------------------------------------------------------------------------------------
    def _refusal(self):
        """Why this request is refused (DNS rebinding, another site's page), or None."""
        endpoint = self.server.endpoint
        host = (self.headers.get("Host") or "").strip().lower()
        if host not in endpoint.hosts:
            return f"Host {host!r} is not this server (allowed: {', '.join(sorted(endpoint.hosts))})"
        origin = self.headers.get("Origin")
        if origin is not None and origin.strip().lower() not in endpoint.origins:
            return f"requests from the origin {origin!r} are not accepted"
        if (self.headers.get("Sec-Fetch-Site") or "").lower() == "cross-site":
            return "cross-site requests are not accepted"
        return None

    def _send(self, status, content_type, body, extra=None):
        body = body.encode("utf-8") if isinstance(body, str) else body
        self.send_response(status)
        headers = {"Content-Type": content_type if "charset" in content_type or not content_type.startswith("text")
                   else f"{content_type}; charset=utf-8",
                   "Content-Length": str(len(body)), "Cache-Control": "no-store", "X-Content-Type-Options": "nosniff",
                   "Referrer-Policy": "no-referrer", "X-Frame-Options": "DENY", **(extra or {})}
        for name, value in headers.items():
            self.send_header(name, value)
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def _error(self, status, message):
        self._send(status, "text/plain", message + "\n")

    # -- methods --------------------------------------------------------------------------------------------
    def do_GET(self):
        refusal = self._refusal()
        if refusal:
            return self._error(HTTPStatus.FORBIDDEN, refusal)
        url = urllib.parse.urlsplit(self.path)
        if url.path == "/":
            nonce = secrets.token_urlsafe(16)
            csp = (f"default-src 'none'; script-src 'nonce-{nonce}'; style-src 'nonce-{nonce}'; connect-src 'self'; "
                   "form-action 'none'; base-uri 'none'; frame-ancestors 'none'")
            endpoint = self.server.endpoint
            return self._send(HTTPStatus.OK, "text/html", _page(nonce, endpoint.prefixes, endpoint.examples),
                              {"Content-Security-Policy": csp})
        if url.path in ("/query", "/sparql"):
            params = urllib.parse.parse_qs(url.query)
            return self._query(params.get("query", [None])[0], params)
        return self._error(HTTPStatus.NOT_FOUND, "not found: the endpoint is /query, the query page /")

    do_HEAD = do_GET

    def do_POST(self):
        refusal = self._refusal()
        if refusal:
            return self._error(HTTPStatus.FORBIDDEN, refusal)
        path = urllib.parse.urlsplit(self.path).path
        if path not in ("/query", "/sparql"):
            return self._error(HTTPStatus.NOT_FOUND if path != "/update" else HTTPStatus.FORBIDDEN,
                               "read-only endpoint: queries only, at /query")
        try:
            length = int(self.headers.get("Content-Length") or 0)
        except ValueError:
            return self._error(HTTPStatus.BAD_REQUEST, "bad Content-Length")
        if length > MAX_QUERY_BYTES:
            return self._error(HTTPStatus.REQUEST_ENTITY_TOO_LARGE, f"a query is at most {MAX_QUERY_BYTES} bytes")
        body = self.rfile.read(length).decode("utf-8", errors="replace")
        kind = (self.headers.get("Content-Type") or "").split(";")[0].strip().lower()
        if kind == "application/sparql-query":
            return self._query(body, {})
        if kind == "application/x-www-form-urlencoded":
            params = urllib.parse.parse_qs(body)
            return self._query(params.get("query", [None])[0], params)
        return self._error(HTTPStatus.UNSUPPORTED_MEDIA_TYPE,
                           "send application/sparql-query or application/x-www-form-urlencoded (query=...)")

    def do_OPTIONS(self):  # no CORS preflight ever succeeds: other sites' pages may not query
        self._error(HTTPStatus.FORBIDDEN, "cross-origin requests are not accepted")

    def _client_gone(self):
        """True when the client closed its connection (it gave up on the query)."""
        try:
            readable, _, _ = select.select([self.connection], [], [], 0)
            return bool(readable) and self.connection.recv(1, socket.MSG_PEEK) == b""
        except (OSError, ValueError):
            return True

    def _query(self, query, params):
        from .workers import Cancelled, call_in_process

        endpoint = self.server.endpoint
        if "update" in params:
            return self._error(HTTPStatus.FORBIDDEN, "read-only endpoint: SPARQL Update is not accepted")
        if not query:
            return self._error(HTTPStatus.BAD_REQUEST, "no query: give it as query=... or in the request body")
        if len(query.encode("utf-8")) > MAX_QUERY_BYTES:
            return self._error(HTTPStatus.REQUEST_ENTITY_TOO_LARGE, f"a query is at most {MAX_QUERY_BYTES} bytes")
        if uses_service(query):
            return self._error(HTTPStatus.BAD_REQUEST, "SERVICE (a federated query) is disabled: this endpoint "
                                                       "reads its own graph only and makes no network requests")
        if not endpoint.slots.acquire(timeout=5):
            return self._error(HTTPStatus.SERVICE_UNAVAILABLE, "too many queries at once; try again")
        try:
            status, media, body = call_in_process(
                _run, (endpoint.store, query, endpoint.prefixes, self.headers.get("Accept")),
                timeout=endpoint.timeout, cancel=self._client_gone, context=endpoint.context)
        except QueryError as exc:
            return self._error(HTTPStatus.BAD_REQUEST, str(exc))
        except TimeoutError:
            return self._error(HTTPStatus.SERVICE_UNAVAILABLE,
                               f"the query ran longer than {endpoint.timeout:g} s and was stopped")
        except Cancelled:
            self.close_connection = True
            return None
        except KGError as exc:
            return self._error(HTTPStatus.INTERNAL_SERVER_ERROR, str(exc))
        finally:
            endpoint.slots.release()
        return self._send(status, media, body)


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True  # a restart may bind at once; a port someone listens on is still refused

    def handle_error(self, request, client_address):  # a client that went away is no error of ours
        pass


# -- the endpoint -----------------------------------------------------------------------------------------------

class Endpoint:
    """A running SPARQL endpoint: the HTTP server, its thread and its temporary store.

    Use it as a context manager, or call :meth:`stop`.

    Attributes
    ----------
    url : str
        Root URL; the query page is there, the SPARQL endpoint at :attr:`query_url`.
    query_url : str
    timeout : float
        Seconds one query may run.
    """

    def __init__(self, server, store, workdir, lock, prefixes, timeout, max_queries):
        import multiprocessing

        self._server = server
        self._workdir = workdir
        self._lock = lock
        self.store = store
        self.prefixes = prefixes
        self.examples = _examples()
        self.timeout = timeout
        self.slots = threading.BoundedSemaphore(max_queries)
        host, port = server.server_address[:2]
        self.port = port
        shown = f"[{host}]" if ":" in host else host
        self.url = f"http://{shown}:{port}"
        self.query_url = self.url + "/query"
        names = {shown} | ({"localhost", "127.0.0.1", "[::1]"} if host in _LOOPBACK else set())
        self.hosts = {f"{name}:{port}" for name in names} | ({f"{name}" for name in names} if port == 80 else set())
        self.origins = {f"http://{h}" for h in self.hosts}
        # query processes come from a fork server started now, before the server's threads
        self.context = multiprocessing.get_context("forkserver")
        self.context.set_forkserver_preload(["kg.serve", "kg.query", "pyoxigraph"])
        server.endpoint = self
        self._thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.2}, daemon=True)
        self._thread.start()

    def wait(self, timeout=None):
        """Block until the endpoint is stopped (or `timeout` seconds pass)."""
        self._thread.join(timeout)

    def stop(self):
        """Stop serving and remove the temporary store (idempotent)."""
        if self._thread.is_alive():
            self._server.shutdown()
            self._thread.join()
        self._server.server_close()
        if self._lock is not None:
            with contextlib.suppress(OSError):
                os.close(self._lock)
            self._lock = None
        if self._workdir is not None:  # a temporary store of our own (not the build's)
            shutil.rmtree(self._workdir, ignore_errors=True)

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.stop()

    def __repr__(self):
        return f"Endpoint({self.query_url!r})"


def _clean_stale(root):
    """Remove the stores of endpoints that are gone (killed): a store whose lock nobody holds."""
    import fcntl

    for stale in Path(root).glob(f"{_PREFIX}*"):
        lock = stale / "lock"
        try:
            fd = os.open(lock, os.O_RDWR)
        except OSError:
            if not lock.exists() and (stale / "store").exists():
                continue  # being created right now
            shutil.rmtree(stale, ignore_errors=True)
            continue
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            continue  # a live endpoint
        finally:
            os.close(fd)
        shutil.rmtree(stale, ignore_errors=True)


def _bind(host, port):
    try:
        return _Server((host, port), _Handler)
    except OSError as exc:
        if exc.errno in (98, 48, 10048):  # EADDRINUSE on Linux, macOS, Windows
            raise KGError(f"cannot listen on {host}:{port}: the port is in use (another server?); "
                          "choose another with --port") from None
        raise KGError(f"cannot listen on {host}:{port}: {exc.strerror or exc}") from None


def serve(graph_dir, host="127.0.0.1", port=7878, timeout=DEFAULT_TIMEOUT, max_queries=4):
    """Start a read-only SPARQL 1.1 endpoint over a built graph (its store, else ``DIR/kg.ttl``); return once it
    listens.

    Parameters
    ----------
    graph_dir : str or os.PathLike
        A directory written by ``kg build`` (or a Turtle file).
    host : str
        Interface to listen on; the default keeps the endpoint local to this machine.
    port : int
        0 picks a free port.
    timeout : float
        Seconds one query may run before it is stopped.
    max_queries : int
        Queries run at once; more wait (up to 5 s) or get 503.

    Returns
    -------
    Endpoint
        The running server; :meth:`Endpoint.wait` blocks on it, :meth:`Endpoint.stop` ends it.

    Raises
    ------
    InputError
        When the graph has no store and ``kg.ttl`` is missing or is not valid Turtle.
    KGError
        When the server cannot listen (the port is in use: checked first, before loading anything).
    """
    import fcntl

    own = store_path(graph_dir) if Path(graph_dir).is_dir() else None
    path = own or rdf_file(graph_dir)
    server = _bind(host, port)
    workdir = lock = None
    try:
        prefixes = graph_prefixes(graph_dir)
        if own is not None:  # the build's store, opened read-only by each query
            endpoint = Endpoint(server, own, None, None, prefixes, timeout, max_queries)
        else:
            root = tempfile.gettempdir()
            _clean_stale(root)
            workdir = Path(tempfile.mkdtemp(prefix=f"{_PREFIX}{os.getpid()}-", dir=root))
            lock = os.open(workdir / "lock", os.O_RDWR | os.O_CREAT, 0o600)
            fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
            try:
                write_store(workdir / "store", turtle=path)
            except (SyntaxError, ValueError, OSError) as exc:
                raise InputError(path, f"not valid Turtle: {_one_line(exc)}") from None
            endpoint = Endpoint(server, workdir / "store", workdir, lock, prefixes, timeout, max_queries)
    except BaseException:
        server.server_close()
        if lock is not None:
            os.close(lock)
        if workdir is not None:
            shutil.rmtree(workdir, ignore_errors=True)
        raise
    try:  # one query before saying it is up: starts the fork server and proves the store opens read-only
        from .workers import call_in_process

        call_in_process(_run, (endpoint.store, "ASK {}", prefixes, None), timeout=60, context=endpoint.context)
    except BaseException:
        endpoint.stop()
        raise
    return endpoint
