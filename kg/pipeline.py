"""The build pipeline: read -> extract -> link -> write every output, into a staging folder switched in whole.

Each stage lives in its own module (:mod:`kg.sources`, :mod:`kg.extract`, :mod:`kg.link`, :mod:`kg.graph`,
:mod:`kg.export`); this module strings them together. A build (:func:`build`) is:

1. **check** the options and the output folder before any work: an invalid ``--base``, a curation file that
   does not parse, an output folder that is locked by another build, not writable or holds something else
   (:class:`kg.io.OutputFolder`) fail in a second, not after extraction;
2. **read** the inputs (:func:`kg.sources.read_papers`, or Python records: :func:`kg.sources.read_records`);
3. **extract** each paper (:func:`extract_chunks`) in worker processes that die with the build
   (:class:`kg.workers.Workers`), or on a Dask cluster (:mod:`kg.distributed`), reusing the cache and saving each
   chunk to it as soon as it is done; the extractions go to shard files (:mod:`kg.shards`), never all in memory.
   ``--from-extractions`` starts here from shards written before;
4. **link** the shards in batches of ``link_batch`` papers (:func:`link_shards`): each batch's graph
   (:func:`kg.graph.build_graph`, against the id table of the batches before) is merged into SQLite tables
   (:class:`kg.graphdb.GraphDB`), then the conflicts are found on the whole of it; a corpus of one batch gives
   exactly the graph of linking it whole;
5. **write** each output of :data:`WRITERS` (:mod:`kg.outputs`) into the staging folder, streaming from the tables;
6. **switch** the staging folder in, in one step: readers of the output folder see the old build or the new
   one, never a mix, whatever happens (SIGKILL, Ctrl-C, a full disk, two builds at once).

:func:`graph_from_papers` is the same without files: an iterable of dicts or Papers in, a graph out.
"""

import contextlib
import json
import os
import shutil
import time
from collections import deque
from dataclasses import dataclass, field
from pathlib import Path

from .errors import InputError, KGError
from .io import atomic_write
from .outputs import HTML_NODES, OUTPUTS, WRITERS
from .records import Paper, PaperExtraction

__all__ = [
    "OUTPUTS", "WRITERS", "LINK_BATCH", "BuildResult", "extract_chunks", "extract_corpus", "extract_to_shards",
    "extract_to",
    "link_shards", "write_extractions", "read_extractions", "build", "graph_from_papers", "open_graph",
    "open_cache",
]

#: Papers linked at once: a corpus up to this size is linked whole; a larger one in batches, each against the
#: id table of those before it (memory then stays that of one batch).
LINK_BATCH = 10_000
#: Papers per task sent to a Dask worker.
PARTITION_PAPERS = 128
#: The shards of a build, in its staging folder (removed before the switch).
_SHARDS = ".shards"


def _no_progress(iterable, total=None, desc=None):
    return iterable


def _chunks(items, size):
    return (items[i:i + size] for i in range(0, len(items), size))


# -- extract --------------------------------------------------------------------------------------------------

# One pipeline per worker process, loaded once by the worker's initializer.
_WORKER_NLP = None


def _load_worker_pipeline(load_args):
    global _WORKER_NLP
    from .extract import load_pipeline

    _WORKER_NLP = load_pipeline(**load_args)


def _to_json(extractions):
    return [json.dumps(e.to_dict(), ensure_ascii=False) for e in extractions]


def _extract_chunk(papers):
    from .extract import extract_papers

    return _to_json(extract_papers(_WORKER_NLP, papers, batch_size=len(papers)))


class _Done:
    """The future of work done at once (extraction in this process)."""

    def __init__(self, value):
        self.value = value

    def result(self):
        return self.value


class _Runner:
    """Where extraction runs: this process, worker processes or a Dask cluster; started at the first task, so
    that a build whose every paper is cached loads no pipeline."""

    def __init__(self, nlp, workers, batch_size, model, client):
        self.nlp, self.workers, self.batch_size, self.model, self.client = nlp, workers, batch_size, model, client
        self.pool = None

    @property
    def ahead(self):
        """Tasks in flight at most (0: each is done when submitted)."""
        if self.client is not None:
            from .distributed import worker_count

            return 2 * worker_count(self.client)
        return 0 if self.workers <= 1 else 2 * self.workers

    def submit(self, papers):
        if self.client is not None:
            from .distributed import submit_partition

            return submit_partition(self.client, papers)
        if self.workers <= 1:
            from .extract import extract_papers, load_pipeline

            self.nlp = self.nlp or load_pipeline(self.model)
            return _Done(_to_json(extract_papers(self.nlp, papers, batch_size=self.batch_size)))
        if self.pool is None:
            from .workers import Workers

            load_args = self.nlp.meta.get("kg_load_args", {}) if self.nlp is not None else {"model": self.model}
            self.pool = Workers(self.workers, _load_worker_pipeline, (load_args,))
        return self.pool.submit(_extract_chunk, papers)

    def close(self, failed):
        if self.pool is not None:
            self.pool.__exit__(*((KGError, None, None) if failed else (None, None, None)))


def _in_order(plan, runner):
    """``(chunk, cached, done)`` for each ``(chunk, cached, misses)`` of `plan`, in order, with at most
    ``runner.ahead`` tasks in flight; cached chunks pass without waiting for anything."""
    flight, running = deque(), 0
    for chunk, cached, misses in plan:
        task = runner.submit(misses) if misses else None
        flight.append((chunk, cached, misses, task))
        running += task is not None
        while flight and (flight[0][3] is None or running > runner.ahead):
            chunk_, cached_, misses_, task_ = flight.popleft()
            running -= task_ is not None
            yield chunk_, cached_, dict(zip((p.id for p in misses_), task_.result() if task_ else ()))
    while flight:
        chunk_, cached_, misses_, task_ = flight.popleft()
        yield chunk_, cached_, dict(zip((p.id for p in misses_), task_.result() if task_ else ()))


def extract_chunks(papers, nlp=None, workers=1, batch_size=64, cache=None, progress=None, model=None, client=None,
                   partition_size=None):
    """Extract every paper, chunk by chunk, in order: yield each chunk with its extractions as JSON texts.

    Cached extractions are taken from the cache; each chunk's new ones are stored in it as soon as the chunk is
    done, so an interrupted run keeps its work. Ctrl-C stops local workers at once.

    Parameters
    ----------
    papers : list of Paper
    nlp : spacy.Language, optional
        A pipeline from :func:`kg.extract.load_pipeline`; loaded when None and needed.
    workers : int
        Local processes (see :class:`kg.workers.Workers`); worth it from a few hundred papers on.
    batch_size : int
        Papers per ``nlp.pipe`` batch, per task sent to a local worker and per cache write.
    cache : kg.cache.ExtractionCache, optional
    progress : callable, optional
        ``progress(iterable, total=, desc=)`` wrapping an iterable (e.g. ``tqdm``).
    model : str, optional
        spaCy pipeline name or path (default: the bundled English pipeline).
    client : distributed.Client, optional
        Extract on this Dask cluster instead (:mod:`kg.distributed`; the pipeline registered on its workers).
    partition_size : int, optional
        Papers per task sent to a Dask worker (default :data:`PARTITION_PAPERS`).

    Yields
    ------
    tuple
        ``(list of Paper, list of str)``: a chunk and the JSON of :meth:`kg.records.PaperExtraction.to_dict` of
        each of its papers.
    """
    progress = progress or _no_progress
    size = (partition_size or PARTITION_PAPERS) if client is not None else batch_size
    bar = iter(progress(range(len(papers)), total=len(papers), desc="extract"))

    def plan():
        for chunk in _chunks(papers, size):
            cached = cache.get_json(chunk) if cache is not None else {}
            yield chunk, cached, [p for p in chunk if p.id not in cached]

    runner, failed = _Runner(nlp, workers, batch_size, model, client), True
    try:
        for chunk, cached, done in _in_order(plan(), runner):
            if cache is not None and done:
                cache.put_json((p, done[p.id]) for p in chunk if p.id in done)
            yield chunk, [cached.get(p.id) or done[p.id] for p in chunk]
            for _ in chunk:
                next(bar, None)
        failed = False
    finally:
        runner.close(failed)
    next(bar, None)  # lets a progress bar close


def extract_corpus(papers, nlp=None, workers=1, batch_size=64, cache=None, progress=None, model=None):
    """Extract every paper, in order (:func:`extract_chunks`, all in memory: for a corpus of modest size).

    Returns
    -------
    list of PaperExtraction
    """
    return [PaperExtraction.from_dict(json.loads(text))
            for _, texts in extract_chunks(papers, nlp=nlp, workers=workers, batch_size=batch_size, cache=cache,
                                           progress=progress, model=model)
            for text in texts]


def extract_to_shards(papers, folder, **kwargs):
    """Extract every paper (:func:`extract_chunks`, same keyword arguments) into shards in `folder`
    (:mod:`kg.shards`: each paper with its extraction), appended as each chunk is done.

    Returns
    -------
    int
        Papers written.
    """
    from .shards import ShardWriter

    with ShardWriter(folder) as shards:
        for chunk, texts in extract_chunks(papers, **kwargs):
            shards.write_json(zip(chunk, texts))
    return shards.papers


def extract_to(papers, output, shards=False, workers=1, cluster=None, scheduler=None, progress=None, model=None):
    """Extract `papers` into one JSONL file (``kg extract``) or, with `shards`, a new folder of shards for
    ``kg build --from-extractions`` (each paper with its extraction), on local processes or a Dask cluster.

    Parameters
    ----------
    papers : list of Paper
    output : str or os.PathLike
        The file, or the folder of shards (created; it may not hold shards already).
    shards : bool
    workers, progress, model
        As in :func:`extract_chunks`.
    cluster, scheduler : str, optional
        As in :func:`build`.

    Returns
    -------
    int
        Papers written.

    Raises
    ------
    KGError
        When the folder of shards already holds shards, or the cluster cannot be reached.
    """
    from .shards import shard_files

    if shards and Path(output).is_dir() and shard_files(output):
        raise KGError(f"{output}: holds extraction shards already; give a new folder")
    with _extraction_setup(cluster, scheduler, None, None, model) as (client, nlp, _):
        kwargs = dict(nlp=nlp, workers=workers, progress=progress, model=model, client=client)
        if shards:
            return extract_to_shards(papers, output, **kwargs)
        n = 0
        with atomic_write(output) as fh:
            for _, texts in extract_chunks(papers, **kwargs):
                fh.write("".join(text + "\n" for text in texts))
                n += len(texts)
        return n


def open_cache(cache_dir, nlp=None, model=None):
    """The extraction cache in `cache_dir` for the pipeline `nlp` (loaded from `model` when None).

    Returns
    -------
    nlp : spacy.Language
    cache : kg.cache.ExtractionCache
        Check its ``problems`` for what could not be done (a corrupt or read-only file is no error).
    """
    from .cache import ExtractionCache, pipeline_fingerprint
    from .extract import load_pipeline

    nlp = nlp or load_pipeline(model)
    return nlp, ExtractionCache(Path(cache_dir) / "extractions.sqlite", pipeline_fingerprint(nlp))


def write_extractions(extractions, path):
    """Write extractions as JSONL (one paper a line; the ``devset/score.py`` contract), atomically."""
    with atomic_write(path) as fh:
        for e in extractions:
            fh.write(json.dumps(e.to_dict(), ensure_ascii=False) + "\n")


def read_extractions(path):
    """Read a file written by :func:`write_extractions`.

    Raises
    ------
    InputError
        Naming the file and line of a malformed record.
    """
    out = []
    with open(path, encoding="utf-8") as fh:
        for n, line in enumerate(fh, 1):
            if line.strip():
                try:
                    out.append(PaperExtraction.from_dict(json.loads(line)))
                except (ValueError, TypeError, KeyError, AttributeError) as exc:
                    raise InputError(path, f"not an extraction record ({exc})", n) from None
    return out


# -- link -----------------------------------------------------------------------------------------------------

def link_shards(source, db, curation=None, index=None, link_batch=LINK_BATCH, progress=None):
    """Link the papers of extraction shards into the tables of `db`, `link_batch` papers at a time.

    Each batch is linked by :func:`kg.graph.build_graph` against `index` (updated in place: later batches see the
    nodes of earlier ones) and merged (:meth:`kg.graphdb.GraphDB.merge_graph`). Only linking reads the
    extractions here, without their mentions and provenance.

    Parameters
    ----------
    source : str or os.PathLike
        A folder of shards or one JSONL file of extractions (:func:`kg.shards.read_shards`).
    db : kg.graphdb.GraphDB
    curation : kg.link.Curation, optional
    index : kg.link.NodeIndex, optional
    link_batch : int
        Papers per batch; 0 or None: all at once.
    progress : callable, optional

    Returns
    -------
    int
        Papers linked.
    """
    from .graph import build_graph
    from .link import NodeIndex
    from .shards import read_shards

    index = index if index is not None else NodeIndex()
    size = link_batch or float("inf")
    papers, extractions, total = [], [], 0

    def flush():
        G = build_graph([p for p in papers if p is not None], extractions, curation=curation, index=index)
        db.merge_graph(G, index)

    for paper, extraction in read_shards(source, slim=True):
        papers.append(paper)
        extractions.append(extraction)
        total += 1
        if len(extractions) >= size:
            flush()
            papers, extractions = [], []
    if extractions or not total:
        flush()
    db.refresh_conflicts()  # a conflict may join papers of two batches (or an update and the graph)
    return total


# -- the build ------------------------------------------------------------------------------------------------

@dataclass
class BuildResult:
    """What :func:`build` made: where, how long each stage took, what went wrong on the way.

    ``graph`` (a :class:`networkx.MultiDiGraph` of the whole graph) and ``stats`` are read from the written
    tables when asked for.
    """

    graph_dir: Path
    files: dict = field(default_factory=dict)
    timings: dict = field(default_factory=dict)
    warnings: list = field(default_factory=list)
    index: object = None
    stats: dict = field(default_factory=dict)
    papers: int = 0
    _graph: object = field(default=None, repr=False)

    @property
    def graph(self):
        if self._graph is None:
            from .graphdb import GraphDB

            with GraphDB(Path(self.graph_dir) / OUTPUTS["tables"]) as db:
                self._graph = db.view().to_networkx()
        return self._graph


class _Stage:
    """What the writers of :mod:`kg.outputs` read: the tables, their view, the id table, the extractions."""

    def __init__(self, db, index, extraction_lines):
        self.db, self.index, self.extraction_lines = db, index, extraction_lines

    @property
    def view(self):
        return self.db.view()


def _is_records(inputs):
    """True when `inputs` (a list) are Python records (dicts or Papers) rather than paths."""
    return bool(inputs) and all(isinstance(x, (dict, Paper)) for x in inputs)


def _owned_by_kg(folder):
    """A non-empty output folder may be replaced when an earlier build wrote it (it holds kg.json)."""
    return (Path(folder) / OUTPUTS["graph"]).is_file()


@contextlib.contextmanager
def _extraction_setup(cluster, scheduler, cache_dir, nlp, model):
    """``(client, nlp, cache)`` for the extract stage: a Dask client with the pipeline on its workers, and the
    extraction cache keyed by the pipeline that extracts (the workers' on a cluster)."""
    client = cache = None
    try:
        with contextlib.ExitStack() as stack:
            if cluster or scheduler:
                from .cache import ExtractionCache
                from .distributed import connect, register_pipeline, remote_fingerprint

                client = stack.enter_context(connect(cluster=cluster, scheduler=scheduler))
                register_pipeline(client, nlp.meta.get("kg_load_args", {}) if nlp is not None else {"model": model})
                if cache_dir:
                    cache = ExtractionCache(Path(cache_dir) / "extractions.sqlite", remote_fingerprint(client))
            elif cache_dir:
                nlp, cache = open_cache(cache_dir, nlp, model)
            yield client, nlp, cache
    finally:
        if cache is not None:
            cache.close()


def _finish(db, stage_dir, index, extraction_lines, options, folder, out_dir, timings):
    """The write stage and the switch; the files written."""
    t = time.perf_counter()
    stage = _Stage(db, index, extraction_lines)
    for name, write in WRITERS.items():
        write(stage, stage_dir / OUTPUTS[name], options)
    stats = db.stats()
    db.keep_stats(stats)  # kg stats then reads them instead of counting
    db.close()
    shards = stage_dir / _SHARDS
    if shards.exists():
        shutil.rmtree(shards)
    folder.commit()
    timings["write"] = time.perf_counter() - t
    return {name: Path(out_dir) / OUTPUTS[name] for name in WRITERS}, stats


def build(inputs, out_dir, format=None, strict=False, curation=None, workers=1, batch_size=64,
          cache_dir=None, max_nodes=HTML_NODES, base=None, model=None, progress=None, fields=None, created=None,
          nlp=None, cluster=None, scheduler=None, from_extractions=None, link_batch=LINK_BATCH,
          partition_size=None):
    """Build the knowledge graph of `inputs` and write every output into `out_dir`, all at once.

    Parameters
    ----------
    inputs : list of str or os.PathLike, or iterable of dict or Paper
        Files or directories (see :func:`kg.sources.read_papers`), or records (:func:`kg.sources.read_records`);
        empty with `from_extractions`.
    out_dir : str or os.PathLike
        Receives the files of :data:`OUTPUTS`: replaced as a whole, or not at all. It must be new, empty or
        written by an earlier build; other files in it (a screenshot) are kept.
    format : str, optional
        Input format override (default: detected per file).
    strict : bool
        Make a bad record fatal instead of skipping it with a warning.
    curation : str or os.PathLike, optional
        A curation TOML file (see :func:`kg.link.load_curation`).
    workers, batch_size, model, progress, nlp, partition_size
        As in :func:`extract_chunks`.
    cache_dir : str or os.PathLike, optional
        Directory of the extraction cache; no cache when None.
    max_nodes : int or None
        Entities in the HTML page (the most connected); None: all of them.
    base : str, optional
        Base IRI of the RDF output (checked by :func:`kg.export.rdf.check_base`).
    fields : dict, optional
        ``{"title": name, "abstract": name}`` for inputs that name these columns otherwise.
    created : str, optional
        ISO timestamp to record in the outputs; none by default, so that identical inputs give identical files.
    cluster : str, optional
        ``local:N``: extract on a local Dask cluster of N worker processes (:func:`kg.distributed.connect`).
    scheduler : str, optional
        Address of a running Dask scheduler to extract on (``tcp://HOST:8786``).
    from_extractions : str or os.PathLike, optional
        Build from extraction shards (``kg extract --shards``) or a JSONL file of extractions instead of reading
        and extracting `inputs`.
    link_batch : int
        Papers linked at once (:func:`link_shards`).

    Returns
    -------
    BuildResult
        ``files`` are the final paths; ``warnings`` the skipped records and files and cache problems.

    Raises
    ------
    KGError
        Bad options or output folder (before any work), bad input (see :func:`kg.sources.read_papers`). On any
        error or interruption the output folder is left as it was.
    """
    from . import sources
    from .export.rdf import check_base
    from .graphdb import GraphDB
    from .io import OutputFolder
    from .link import NodeIndex, load_curation, read_index
    from .shards import read_shards, shard_files

    out_dir = Path(out_dir)
    timings, warnings = {}, []
    inputs = [] if inputs is None else [inputs] if isinstance(inputs, (str, os.PathLike, dict, Paper)) else list(inputs)
    if from_extractions is not None:
        if inputs:
            raise KGError("give input files or --from-extractions, not both")
        shard_files(from_extractions)  # a missing folder fails now
    if cluster and scheduler:
        raise KGError("give either --cluster or --scheduler, not both")
    if cluster:
        from .distributed import parse_cluster

        parse_cluster(cluster)
    sources.check_format(format, ", ".join(map(str, inputs)) if not _is_records(inputs) else "records")
    if base is not None:
        check_base(base)
    cur = load_curation(curation) if curation else None
    options = {"base": base, "max_nodes": max_nodes}
    ids = out_dir / OUTPUTS["ids"]  # the id table of the last build here: known things keep their ids
    index = read_index(ids) if ids.is_file() else NodeIndex()
    with OutputFolder(out_dir, owns=_owned_by_kg) as folder:
        stage_dir = folder.staging
        source = from_extractions
        t = time.perf_counter()
        if source is None:
            if _is_records(inputs):
                papers = sources.read_records(inputs, strict=strict, warnings=warnings, fields=fields)
            else:
                papers = sources.read_papers(inputs, format=format, strict=strict, warnings=warnings, fields=fields)
        timings["read"] = time.perf_counter() - t

        t = time.perf_counter()
        if source is None:
            source = stage_dir / _SHARDS
            with _extraction_setup(cluster, scheduler, cache_dir, nlp, model) as (client, nlp, cache):
                try:
                    extract_to_shards(papers, source, nlp=nlp, workers=workers, batch_size=batch_size, cache=cache,
                                      progress=progress, model=model, client=client, partition_size=partition_size)
                finally:
                    if cache is not None:
                        warnings.extend(cache.problems)
            del papers  # from here on, papers and extractions are read from the shards, a batch at a time
        timings["extract"] = time.perf_counter() - t

        t = time.perf_counter()
        db = GraphDB(stage_dir / OUTPUTS["tables"])
        try:
            db.set_created(created)
            n = link_shards(source, db, curation=cur, index=index, link_batch=link_batch)
            timings["link"] = time.perf_counter() - t
            files, stats = _finish(db, stage_dir, index, lambda: (line for _, line in read_shards(source, raw=True)),
                                   options, folder, out_dir, timings)
        finally:
            db.close()
    return BuildResult(out_dir, files=files, timings=timings, warnings=warnings, index=index, stats=stats, papers=n)


def graph_from_papers(records, curation=None, workers=1, strict=False, warnings=None, fields=None, nlp=None,
                      model=None, progress=None):
    """Build the knowledge graph of papers given as Python objects: the Python API in one call.

    Parameters
    ----------
    records : iterable of dict or Paper
        Dicts with a ``title`` and an ``abstract`` (or a synonym: ``summary``, ``paperAbstract`` ...) and
        optionally ``id``, ``date``, ``url``, ``authors`` (a list or a ``;``-separated string) ...; or
        :class:`kg.Paper` objects.
    curation : str or os.PathLike, optional
        A curation TOML file for the linker.
    workers : int
        Extraction processes.
    strict : bool
        Raise at the first bad record instead of skipping it.
    warnings : list, optional
        Receives an :class:`~kg.errors.InputError` for each skipped record.
    fields : dict, optional
        ``{"title": key, "abstract": key}`` for records that name these otherwise.
    nlp, model, progress
        As in :func:`extract_corpus`.

    Returns
    -------
    networkx.MultiDiGraph
        In the schema of :mod:`kg.graph`; write it with :func:`kg.graph.save_graph` or
        :func:`kg.export.export_graph`.

    Raises
    ------
    InputError
        When no record is a paper (or a bad one, with `strict`).

    Examples
    --------
    >>> import kg
    >>> G = kg.graph_from_papers([{"title": "LoRA", "abstract": "We propose LoRA."}])  # doctest: +SKIP
    >>> sorted(G.nodes)  # doctest: +SKIP
    ['lora', 'paper:bcbc7d7c0f']
    """
    from .graph import build_graph
    from .sources import read_records

    papers = read_records(records, strict=strict, warnings=warnings, fields=fields)
    extractions = extract_corpus(papers, nlp=nlp, workers=workers, progress=progress, model=model)
    return build_graph(papers, extractions, curation=curation)


def open_graph(graph_dir):
    """Load the graph that ``kg build`` wrote into `graph_dir`.

    Raises
    ------
    InputError
        When `graph_dir` holds no ``kg.json``, or one that is not a kg graph.
    """
    import networkx as nx

    from .graph import load_graph

    path = Path(graph_dir) / OUTPUTS["graph"]
    if not path.is_file():
        raise InputError(graph_dir,
                         f"no {OUTPUTS['graph']} here: build the graph first with `kg build ... -o {graph_dir}`")
    try:
        return load_graph(path)
    except (ValueError, KeyError, TypeError, AttributeError, IndexError, RecursionError, nx.NetworkXError) as exc:
        message = " ".join(str(exc).split()) or type(exc).__name__
        raise InputError(path, f"not a kg graph file ({message[:200]})") from None
