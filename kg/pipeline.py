"""The build pipeline: read -> extract -> link -> graph -> write every output.

Each stage lives in its own module (:mod:`kg.sources`, :mod:`kg.extract`, :mod:`kg.link`,
:mod:`kg.graph`, :mod:`kg.export`); this module only strings them together, runs extraction in
several processes when asked, reuses cached extractions, and writes each output atomically.
"""

import json
import time
from dataclasses import dataclass, field
from pathlib import Path

from .errors import InputError
from .io import atomic_write
from .records import PaperExtraction

__all__ = [
    "OUTPUTS", "BuildResult", "extract_corpus", "write_extractions", "read_extractions", "build", "open_graph",
]

#: The files ``kg build`` writes into its output directory.
OUTPUTS = {"turtle": "kg.ttl", "graphml": "kg.graphml", "html": "kg.html",
           "extractions": "extractions.jsonl", "graph": "kg.json", "ids": "ids.json"}


def _no_progress(iterable, total=None, desc=None):
    return iterable


def extract_corpus(papers, nlp=None, workers=1, batch_size=64, cache=None, progress=None, model=None):
    """Extract every paper, in order, reusing cached results and using `workers` processes.

    Parameters
    ----------
    papers : list of Paper
    nlp : spacy.Language, optional
        A pipeline from :func:`kg.extract.load_pipeline`; loaded when None and needed.
    workers : int
        Processes (see :func:`kg.extract.extract_papers`); worth it from a few hundred papers on.
    batch_size : int
        Papers per ``nlp.pipe`` batch (and per task sent to a worker).
    cache : kg.cache.ExtractionCache, optional
    progress : callable, optional
        ``progress(iterable, total=, desc=)`` wrapping an iterable (e.g. ``tqdm``).
    model : str, optional
        spaCy pipeline name or path (default: the bundled English pipeline).

    Returns
    -------
    list of PaperExtraction
    """
    from .extract import extract_papers, load_pipeline

    progress = progress or _no_progress
    done = cache.get(papers) if cache is not None else {}
    todo = [p for p in papers if p.id not in done]
    fresh = []
    if todo:
        nlp = nlp or load_pipeline(model)
        results = extract_papers(nlp, todo, batch_size=batch_size, n_process=workers)
        fresh = list(progress(results, total=len(todo), desc="extract"))
    if cache is not None and fresh:
        cache.put(zip(todo, fresh))
    done.update((e.id, e) for e in fresh)
    return [done[p.id] for p in papers]


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


def build(inputs, out_dir, format=None, strict=False, curation=None, workers=1, batch_size=64,
          cache_dir=None, max_nodes=None, base=None, model=None, progress=None):
    """Build the knowledge graph of `inputs` and write every output into `out_dir`.

    Parameters
    ----------
    inputs : list of str or os.PathLike
        Files or directories (see :func:`kg.sources.read_papers`).
    out_dir : str or os.PathLike
        Created if missing; receives the files of :data:`OUTPUTS`.
    format : str, optional
        Input format override (default: detected per file).
    strict : bool
        Make a bad record fatal instead of skipping it with a warning.
    curation : str or os.PathLike, optional
        A curation TOML file (see :func:`kg.link.load_curation`).
    workers, batch_size, model, progress
        As in :func:`extract_corpus`.
    cache_dir : str or os.PathLike, optional
        Directory of the extraction cache; no cache when None.
    max_nodes : int, optional
        Limit of the HTML view.
    base : str, optional
        Base IRI of the RDF output.

    Returns
    -------
    BuildResult
    """
    from . import sources
    from .cache import ExtractionCache, pipeline_fingerprint
    from .export import export_graph
    from .extract import load_pipeline
    from .graph import build_graph, save_graph
    from .link import NodeIndex, load_curation, read_index, write_index

    out_dir = Path(out_dir)
    timings, warnings = {}, []
    t = time.perf_counter()
    papers = sources.read_papers(inputs, format=format, strict=strict, warnings=warnings)
    cur = load_curation(curation) if curation else None
    ids = out_dir / OUTPUTS["ids"]  # the id table of the last build here: known things keep their ids
    index = read_index(ids) if ids.is_file() else NodeIndex()
    timings["read"] = time.perf_counter() - t

    t = time.perf_counter()
    nlp = load_pipeline(model)
    cache = ExtractionCache(Path(cache_dir) / "extractions.sqlite", pipeline_fingerprint(nlp)) if cache_dir else None
    extractions = extract_corpus(papers, nlp=nlp, workers=workers, batch_size=batch_size, cache=cache,
                                 progress=progress, model=model)
    if cache is not None:
        cache.close()
    timings["extract"] = time.perf_counter() - t

    t = time.perf_counter()
    G = build_graph(papers, extractions, curation=cur, index=index)
    timings["link"] = time.perf_counter() - t

    t = time.perf_counter()
    files = {name: out_dir / fname for name, fname in OUTPUTS.items()}
    write_extractions(extractions, files["extractions"])
    save_graph(G, files["graph"])
    write_index(index, files["ids"])
    export_graph(G, files["turtle"], "turtle", base=base)
    export_graph(G, files["graphml"], "graphml")
    export_graph(G, files["html"], "html", max_nodes=max_nodes)
    timings["write"] = time.perf_counter() - t
    return BuildResult(G, papers, extractions, files, timings, warnings)


def open_graph(graph_dir):
    """Load the graph that ``kg build`` wrote into `graph_dir`.

    Raises
    ------
    InputError
        When `graph_dir` holds no ``kg.json``.
    """
    from .graph import load_graph

    path = Path(graph_dir) / OUTPUTS["graph"]
    if not path.is_file():
        raise InputError(graph_dir,
                         f"no {OUTPUTS['graph']} here: build the graph first with `kg build ... -o {graph_dir}`")
    try:
        return load_graph(path)
    except (ValueError, KeyError) as exc:
        raise InputError(path, f"not a kg graph file ({exc})") from None

