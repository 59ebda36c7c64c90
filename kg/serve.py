"""A local, read-only SPARQL endpoint over a built graph, served by the Oxigraph server.

Follows the SPARQL 1.1 Protocol (https://www.w3.org/TR/sparql11-protocol/): queries by GET or POST on
``/query`` (also ``/sparql``), results in the format the ``Accept`` header asks for. The ``oxigraph`` PyPI
package ships the server binary and its query page (YASGUI, served from the binary itself, so the page
works offline) at ``/``. ``DIR/kg.ttl`` is loaded into a store in a temporary directory (and the ontology into
the named graph ``<https://w3id.org/kg-ml/ontology>``), then served with ``oxigraph serve-read-only``; the
temporary store is removed when the endpoint stops.
"""

import contextlib
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

from .errors import KGError
from .query import rdf_file
from .vocab import ONTOLOGY_IRI, ontology_path

__all__ = ["Endpoint", "find_server", "serve"]


def find_server():
    """Path of the ``oxigraph`` server binary (from the ``oxigraph`` PyPI package).

    The scripts directory of the running Python is searched first, then ``PATH``.

    Returns
    -------
    str

    Raises
    ------
    KGError
        When the binary is not installed.
    """
    beside = Path(sys.executable).parent / "oxigraph"
    if beside.is_file():
        return str(beside)
    found = shutil.which("oxigraph")
    if found is None:
        raise KGError("the oxigraph server binary is not installed; install it with: pip install oxigraph")
    return found


class Endpoint:
    """A running SPARQL endpoint: the server process and its temporary store.

    Use it as a context manager, or call :meth:`stop`.

    Attributes
    ----------
    url : str
        Root URL; the query page is there, the SPARQL endpoint at :attr:`query_url`.
    query_url : str
    process : subprocess.Popen
    """

    def __init__(self, process, url, workdir):
        self.process = process
        self.url = url
        self.query_url = url + "/query"
        self._workdir = workdir

    def wait(self, timeout=None):
        """Block until the server exits (e.g. on Ctrl-C); return its exit status."""
        return self.process.wait(timeout)

    def stop(self):
        """Stop the server and remove its temporary store (idempotent)."""
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        shutil.rmtree(self._workdir, ignore_errors=True)

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.stop()

    def __repr__(self):
        return f"Endpoint({self.query_url!r}, pid={self.process.pid})"


def _die_with_parent():
    """In the server process (Linux): get SIGTERM when `kg` dies, even by SIGKILL, so no server is orphaned."""
    with contextlib.suppress(Exception):
        import ctypes

        ctypes.CDLL("libc.so.6", use_errno=True).prctl(1, signal.SIGTERM)  # 1 = PR_SET_PDEATHSIG


def _run(cmd, what):
    done = subprocess.run(cmd, capture_output=True, text=True)
    if done.returncode != 0:
        lines = [ln for ln in (done.stderr or done.stdout).splitlines() if ln.strip()]
        raise KGError(f"oxigraph could not {what}: {lines[-1] if lines else f'exit status {done.returncode}'}")


def _wait_ready(process, url, timeout, log):
    direct = urllib.request.build_opener(urllib.request.ProxyHandler({}))  # never via an environment proxy
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            lines = [ln for ln in log.read_text(errors="replace").splitlines() if ln.strip()]
            raise KGError(f"the SPARQL server stopped at start on {url}: "
                          f"{lines[-1] if lines else f'exit status {process.returncode}'}")
        # Ready when it answers SPARQL: a bare connect could reach another program holding the port.
        with contextlib.suppress(OSError, ValueError):
            with direct.open(f"{url}/query?query=ASK%7B%7D", timeout=1) as response:
                if response.status == 200:
                    return
        time.sleep(0.05)
    raise KGError(f"the SPARQL server did not answer on {url} within {timeout:g} s")


def serve(graph_dir, host="127.0.0.1", port=7878, timeout=60.0):
    """Start a read-only SPARQL 1.1 endpoint over ``DIR/kg.ttl``; return once it answers.

    Parameters
    ----------
    graph_dir : str or os.PathLike
        A directory written by ``kg build`` (or a Turtle file).
    host : str
        Interface to listen on; the default keeps the endpoint local to this machine.
    port : int
    timeout : float
        Seconds to wait for the store to load and the server to listen.

    Returns
    -------
    Endpoint
        The running server; :meth:`Endpoint.wait` blocks on it, :meth:`Endpoint.stop` ends it.

    Raises
    ------
    InputError
        When ``kg.ttl`` is missing.
    KGError
        When the server binary is missing, the data does not load, or the server cannot listen
        (e.g. the port is taken).
    """
    path = rdf_file(graph_dir)
    binary = find_server()
    workdir = Path(tempfile.mkdtemp(prefix="kg-serve-"))
    process = None
    try:
        store = workdir / "store"
        _run([binary, "load", "--location", str(store), "--file", str(path), "--format", "ttl"],
             f"load {path}")
        _run([binary, "load", "--location", str(store), "--file", str(ontology_path("kg.ttl")), "--format", "ttl",
              "--graph", ONTOLOGY_IRI], "load the ontology")
        log = workdir / "server.log"
        bind = f"[{host}]:{port}" if ":" in host else f"{host}:{port}"
        url = f"http://{bind}"
        with open(log, "wb") as out:
            process = subprocess.Popen([binary, "serve-read-only", "--location", str(store), "--bind", bind],
                                       stdin=subprocess.DEVNULL, stdout=out, stderr=subprocess.STDOUT,
                                       preexec_fn=_die_with_parent if sys.platform == "linux" else None)
        _wait_ready(process, url, timeout, log)
    except BaseException:
        if process is not None:
            Endpoint(process, "", workdir).stop()
        shutil.rmtree(workdir, ignore_errors=True)
        raise
    return Endpoint(process, url, workdir)
