"""The build pipeline: read -> extract -> link -> write every output, into a staging folder switched in whole.

Each stage lives in its own module (:mod:`kg.sources`, :mod:`kg.extract`, :mod:`kg.link`, :mod:`kg.graph`,
:mod:`kg.export`); this module strings them together. A build (:func:`build`) is:

1. **check** the options and the output folder before any work: an invalid ``--base``, a curation file that
   does not parse, an output folder that is locked by another build, not writable or holds something else
   (:class:`kg.io.OutputFolder`) fail in a second, not after extraction;
2. **read** the inputs (:func:`kg.sources.read_papers`, or Python records: :func:`kg.sources.read_records`);
3. **extract** each paper (:func:`extract_corpus`), reusing the cache and saving each chunk to it as soon as it
   is done, in worker processes that die with the build (:class:`kg.workers.Workers`);
4. **link** the corpus into the graph (:func:`kg.graph.build_graph`);
5. **write** each output of :data:`WRITERS` into the staging folder;
6. **switch** the staging folder in, in one step: readers of the output folder see the old build or the new
   one, never a mix, whatever happens (SIGKILL, Ctrl-C, a full disk, two builds at once).

:func:`graph_from_papers` is the same without files: an iterable of dicts or Papers in, a graph out.
"""

import json
import os
import time
from dataclasses import dataclass, field
from pathlib import Path

from .errors import InputError
from .io import atomic_write
from .records import Paper, PaperExtraction

__all__ = [
    "OUTPUTS", "WRITERS", "BuildResult", "extract_corpus", "write_extractions", "read_extractions", "build",
    "graph_from_papers", "open_graph", "open_cache",
]

#: The files ``kg build`` writes into its output directory.
OUTPUTS = {"turtle": "kg.ttl", "graphml": "kg.graphml", "html": "kg.html",
           "extractions": "extractions.jsonl", "graph": "kg.json", "ids": "ids.json"}


def _no_progress(iterable, total=None, desc=None):
    return iterable


def _chunks(items, size):
    return (items[i:i + size] for i in range(0, len(items), size))


# One pipeline per worker process, loaded once by the worker's initializer.
_WORKER_NLP = None


def _load_worker_pipeline(load_args):
    global _WORKER_NLP
    from .extract import load_pipeline

    _WORKER_NLP = load_pipeline(**load_args)


def _extract_chunk(papers):
    from .extract import extract_papers

    return [e.to_dict() for e in extract_papers(_WORKER_NLP, papers, batch_size=len(papers))]


def _extracted_chunks(todo, nlp, workers, batch_size):
    """Yield ``(chunk of papers, their extractions)`` as each chunk is done, in order."""
    from .extract import extract_papers

    if workers <= 1:
        for chunk in _chunks(todo, batch_size):
            yield chunk, list(extract_papers(nlp, chunk, batch_size=batch_size))
        return
    from .workers import Workers

    chunks = list(_chunks(todo, batch_size))
    with Workers(workers, _load_worker_pipeline, (nlp.meta.get("kg_load_args", {}),)) as pool:
        for chunk, dicts in zip(chunks, pool.map(_extract_chunk, chunks)):
            yield chunk, [PaperExtraction.from_dict(d) for d in dicts]


def extract_corpus(papers, nlp=None, workers=1, batch_size=64, cache=None, progress=None, model=None):
    """Extract every paper, in order, reusing cached results and using `workers` processes.

    Each chunk of `batch_size` papers is stored in the cache as soon as it is extracted, so an interrupted
    run keeps its work. Ctrl-C stops the workers at once.

    Parameters
    ----------
    papers : list of Paper
    nlp : spacy.Language, optional
        A pipeline from :func:`kg.extract.load_pipeline`; loaded when None and needed.
    workers : int
        Processes (see :class:`kg.workers.Workers`); worth it from a few hundred papers on.
    batch_size : int
        Papers per ``nlp.pipe`` batch, per task sent to a worker and per cache write.
    cache : kg.cache.ExtractionCache, optional
    progress : callable, optional
        ``progress(iterable, total=, desc=)`` wrapping an iterable (e.g. ``tqdm``).
    model : str, optional
        spaCy pipeline name or path (default: the bundled English pipeline).

    Returns
    -------
    list of PaperExtraction
    """
    progress = progress or _no_progress
    done = cache.get(papers) if cache is not None else {}
    todo = [p for p in papers if p.id not in done]
    if todo:
        if nlp is None:
            from .extract import load_pipeline

            nlp = load_pipeline(model)
        bar = iter(progress(range(len(todo)), total=len(todo), desc="extract"))
        for chunk, extractions in _extracted_chunks(todo, nlp, workers, batch_size):
            if cache is not None:
                cache.put(zip(chunk, extractions))
            done.update((e.id, e) for e in extractions)
            for _ in chunk:
                next(bar, None)
        next(bar, None)  # lets a progress bar close
    return [done[p.id] for p in papers]


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


@dataclass
class BuildResult:
    """What :func:`build` made: the graph, the files written and how long each stage took."""

    graph: object
    papers: list
    extractions: list
    files: dict = field(default_factory=dict)
    timings: dict = field(default_factory=dict)
    warnings: list = field(default_factory=list)
    index: object = None


def _write_graph(result, path, options):
    from .graph import save_graph

    save_graph(result.graph, path)


def _write_export(format):
    def write(result, path, options):
        from .export import export_graph

        export_graph(result.graph, path, format, base=options.get("base"), max_nodes=options.get("max_nodes"))
    write.__name__ = f"write_{format}"
    return write


#: The write stage, in order: output name (a key of :data:`OUTPUTS`) -> ``write(result, path, options)``,
#: where `result` is the :class:`BuildResult` so far and `options` holds ``base`` and ``max_nodes``.
def _write_index(result, path, options):
    from .link import write_index

    write_index(result.index, path)


WRITERS = {
    "extractions": lambda result, path, options: write_extractions(result.extractions, path),
    "graph": _write_graph,
    "ids": _write_index,
    "turtle": _write_export("turtle"),
    "graphml": _write_export("graphml"),
    "html": _write_export("html"),
}


def _is_records(inputs):
    """True when `inputs` (a list) are Python records (dicts or Papers) rather than paths."""
    return bool(inputs) and all(isinstance(x, (dict, Paper)) for x in inputs)


def _owned_by_kg(folder):
    """A non-empty output folder may be replaced when an earlier build wrote it (it holds kg.json)."""
    return (Path(folder) / OUTPUTS["graph"]).is_file()


def build(inputs, out_dir, format=None, strict=False, curation=None, workers=1, batch_size=64,
          cache_dir=None, max_nodes=None, base=None, model=None, progress=None, fields=None, created=None,
          nlp=None):
    """Build the knowledge graph of `inputs` and write every output into `out_dir`, all at once.

    Parameters
    ----------
    inputs : list of str or os.PathLike, or iterable of dict or Paper
        Files or directories (see :func:`kg.sources.read_papers`), or records (:func:`kg.sources.read_records`).
    out_dir : str or os.PathLike
        Receives the files of :data:`OUTPUTS`: replaced as a whole, or not at all. It must be new, empty or
        written by an earlier build; other files in it (a screenshot) are kept.
    format : str, optional
        Input format override (default: detected per file).
    strict : bool
        Make a bad record fatal instead of skipping it with a warning.
    curation : str or os.PathLike, optional
        A curation TOML file (see :func:`kg.link.load_curation`).
    workers, batch_size, model, progress, nlp
        As in :func:`extract_corpus`.
    cache_dir : str or os.PathLike, optional
        Directory of the extraction cache; no cache when None.
    max_nodes : int, optional
        Limit of the HTML view.
    base : str, optional
        Base IRI of the RDF output (checked by :func:`kg.export.rdf.check_base`).
    fields : dict, optional
        ``{"title": name, "abstract": name}`` for inputs that name these columns otherwise.
    created : str, optional
        ISO timestamp to record in the outputs; none by default, so that identical inputs give identical files.

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
    from .graph import build_graph
    from .io import OutputFolder
    from .link import NodeIndex, load_curation, read_index

    out_dir = Path(out_dir)
    timings, warnings = {}, []
    inputs = [inputs] if isinstance(inputs, (str, os.PathLike, dict, Paper)) else list(inputs)
    sources.check_format(format, ", ".join(map(str, inputs)) if not _is_records(inputs) else "records")
    if base is not None:
        check_base(base)
    cur = load_curation(curation) if curation else None
    options = {"base": base, "max_nodes": max_nodes}
    ids = out_dir / OUTPUTS["ids"]  # the id table of the last build here: known things keep their ids
    index = read_index(ids) if ids.is_file() else NodeIndex()
    with OutputFolder(out_dir, owns=_owned_by_kg) as folder:
        t = time.perf_counter()
        if _is_records(inputs):
            papers = sources.read_records(inputs, strict=strict, warnings=warnings, fields=fields)
        else:
            papers = sources.read_papers(inputs, format=format, strict=strict, warnings=warnings, fields=fields)
        timings["read"] = time.perf_counter() - t

        t = time.perf_counter()
        cache = None
        if cache_dir:
            nlp, cache = open_cache(cache_dir, nlp, model)
        try:
            extractions = extract_corpus(papers, nlp=nlp, workers=workers, batch_size=batch_size, cache=cache,
                                         progress=progress, model=model)
        finally:
            if cache is not None:
                cache.close()
                warnings.extend(cache.problems)
        timings["extract"] = time.perf_counter() - t

        t = time.perf_counter()
        result = BuildResult(build_graph(papers, extractions, curation=cur, index=index, created=created), papers,
                             extractions, warnings=warnings, index=index)
        timings["link"] = time.perf_counter() - t

        t = time.perf_counter()
        for name, write in WRITERS.items():
            write(result, folder.staging / OUTPUTS[name], options)
        folder.commit()
        timings["write"] = time.perf_counter() - t
    result.files = {name: out_dir / OUTPUTS[name] for name in WRITERS}
    result.timings = timings
    return result


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
