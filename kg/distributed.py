"""Extraction on a Dask cluster (``dask.distributed``, https://distributed.dask.org): many processes, many machines.

Extraction is a pure function of each paper's text, so it spreads over any number of workers. This module only
connects to a cluster and ships work; the scheduling, data transfer and failure handling are Dask's:

* :func:`connect` gives a client: ``local:N`` starts a local cluster of N single-threaded worker processes
  (dying with this process), ``tcp://HOST:8786`` joins a running scheduler, e.g. one started by ``dask-ssh``,
  ``dask-jobqueue`` (SLURM, PBS, SGE) or Kubernetes;
* :class:`LoadPipeline`, a worker plugin, loads the extraction pipeline once in each worker when it joins;
* :func:`submit_partition` runs one partition of papers on a worker and brings back its extractions as JSON
  texts, which the build appends to its shards (:mod:`kg.shards`) and cache as they arrive, in order.

The workers need kg installed (the same version: the extraction cache is keyed by the workers' pipeline) and
read nothing but what they are sent; each runs one thread (spaCy's pipeline is used by one thread at a time).
"""

import contextlib
import json
import logging
import os
import re

import distributed

from .errors import KGError

__all__ = ["connect", "parse_cluster", "LoadPipeline", "register_pipeline", "submit_partition", "worker_count",
           "remote_fingerprint"]

_LOCAL = re.compile(r"local:(\d+)")
_PLUGIN = "kg-extraction-pipeline"


def parse_cluster(spec):
    """The number of workers of a ``local:N`` cluster specification.

    Examples
    --------
    >>> parse_cluster("local:2")
    2
    >>> parse_cluster("ssh:4")
    Traceback (most recent call last):
    ...
    kg.errors.KGError: cluster 'ssh:4' is not local:N (N workers on this machine); for other machines start a scheduler (dask-ssh, dask-jobqueue) and give --scheduler tcp://HOST:8786
    """
    match = _LOCAL.fullmatch(str(spec).strip())
    if not match or int(match.group(1)) < 1:
        raise KGError(f"cluster {spec!r} is not local:N (N workers on this machine); for other machines start a "
                      "scheduler (dask-ssh, dask-jobqueue) and give --scheduler tcp://HOST:8786")
    return int(match.group(1))


@contextlib.contextmanager
def connect(cluster=None, scheduler=None, timeout=30):
    """A Dask client for a local cluster (`cluster` = ``"local:N"``) or a running scheduler's address.

    Parameters
    ----------
    cluster : str, optional
        ``local:N``: N worker processes on this machine, one thread each, stopped when the block ends (and
        killed with this process if it is killed).
    scheduler : str, optional
        Address of a running scheduler, ``tcp://HOST:8786``.
    timeout : float
        Seconds to wait for the scheduler.

    Yields
    ------
    distributed.Client

    Raises
    ------
    KGError
        For a bad specification, or a scheduler that cannot be reached.
    """
    if (cluster is None) == (scheduler is None):
        raise KGError("give either a cluster (local:N) or a scheduler address (tcp://HOST:8786)")
    local = None
    try:
        if cluster is not None:
            n = parse_cluster(cluster)
            local = distributed.LocalCluster(n_workers=n, threads_per_worker=1, processes=True,
                                             dashboard_address=None, silence_logs=logging.ERROR,
                                             worker_dashboard_address=None)
            client = distributed.Client(local, timeout=timeout)
        else:
            try:
                client = distributed.Client(scheduler, timeout=timeout)
            except (OSError, TimeoutError, ValueError) as exc:
                raise KGError(f"cannot reach the Dask scheduler at {scheduler} ({exc})") from None
        try:
            yield client
        finally:
            client.close()
    finally:
        if local is not None:
            local.close()


class LoadPipeline(distributed.WorkerPlugin):
    """Worker plugin: load the extraction pipeline once, when the worker starts or joins.

    The pipeline is kept on the worker (``worker.kg_nlp``); the worker dies with the process that started it
    (a local cluster's workers die with the build, even when it is killed).

    Parameters
    ----------
    load_args : dict
        Keyword arguments of :func:`kg.extract.load_pipeline`.
    """

    name = _PLUGIN
    idempotent = True

    def __init__(self, load_args):
        self.load_args = dict(load_args or {})

    def setup(self, worker):
        from .extract import load_pipeline
        from .workers import die_with_parent

        die_with_parent(os.getppid())
        worker.kg_nlp = load_pipeline(**self.load_args)

    def teardown(self, worker):
        worker.kg_nlp = None


def _worker_nlp():
    from distributed import get_worker

    nlp = getattr(get_worker(), "kg_nlp", None)
    if nlp is None:  # pragma: no cover - the plugin runs first
        raise KGError("the extraction pipeline is not loaded on this worker")
    return nlp


def _extract_partition(papers):
    """On a worker: the extraction of each paper as JSON (:meth:`kg.records.PaperExtraction.to_dict`)."""
    from .extract import extract_papers

    extractions = extract_papers(_worker_nlp(), papers, batch_size=len(papers) or 1)
    return [json.dumps(e.to_dict(), ensure_ascii=False) for e in extractions]


def _fingerprint():
    from .cache import pipeline_fingerprint

    return pipeline_fingerprint(_worker_nlp())


def register_pipeline(client, load_args):
    """Load the extraction pipeline on every worker of `client`, now and when workers join."""
    client.register_plugin(LoadPipeline(load_args), name=_PLUGIN)


def submit_partition(client, papers):
    """Extract `papers` on some worker; a future of their extractions as JSON texts, in order."""
    return client.submit(_extract_partition, list(papers), pure=False)


def remote_fingerprint(client):
    """The extraction cache's fingerprint (:func:`kg.cache.pipeline_fingerprint`) of the workers' pipeline."""
    return client.submit(_fingerprint, pure=False).result()


def worker_count(client):
    """Workers the scheduler has now (at least 1)."""
    return max(1, len(client.scheduler_info().get("workers", {})))
