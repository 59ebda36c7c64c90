"""``kg update``: add new or changed papers to a built graph, without rebuilding it.

A daily listing (today's Hugging Face papers) adds some twenty papers to a graph of thousands. :func:`update`
reads the inputs, keeps the papers the graph does not have yet or whose text changed (a digest of title and
abstract, :func:`kg.graphdb.text_digest`), extracts only those (with the extraction cache, local workers or a Dask
cluster, as ``kg build`` does), links them against the graph's id table (:class:`kg.link.NodeIndex`: a known
thing keeps its id, no node is renamed, a new thing gets an id never given before) and merges them into a copy of
the graph's tables (:meth:`kg.graphdb.GraphDB.merge_graph`). Every output, the store included, is written again
from the tables into a staging folder and switched in at once, as a build's: a reader sees the graph before the
update or after it, never a mix; an interrupted update changes nothing.

The new papers are linked with each other and against the nodes the graph has: what is linked once is not
linked again. A full ``kg build`` of all the inputs links everything anew (with the same ids) and may merge a
little more; an update is what you run every day, a build what you run when the linker or the extractor changed.
"""

import json
import shutil
import time
from pathlib import Path

from .errors import InputError
from .outputs import HTML_NODES, OUTPUTS
from .pipeline import (
    _SHARDS, LINK_BATCH, BuildResult, _extraction_setup, _finish, _is_records, _owned_by_kg, extract_to_shards,
    link_shards,
)
from .records import Paper

__all__ = ["update"]


def _old_lines(path, dropped):
    """The lines of the graph's extractions.jsonl, without those of papers in `dropped`."""
    if not path.is_file():
        return
    with open(path, encoding="utf-8") as fh:
        for line in fh:
            line = line.rstrip("\n")
            if line and (not dropped or json.loads(line).get("id") not in dropped):
                yield line


def _base_of(graph_dir):
    """The base IRI the graph was written under (its ``entity:`` prefix without ``entity/``)."""
    from .store import graph_prefixes

    entity = graph_prefixes(graph_dir).get("entity", "")
    return entity[:-len("entity/")] if entity.endswith("entity/") else None


def update(inputs, graph_dir, format=None, strict=False, curation=None, workers=1, batch_size=64, cache_dir=None,
           max_nodes=HTML_NODES, base=None, model=None, progress=None, fields=None, created=None, nlp=None,
           cluster=None, scheduler=None, link_batch=LINK_BATCH):
    """Add the new or changed papers of `inputs` to the graph in `graph_dir`, all outputs at once.

    Parameters
    ----------
    inputs : list of str or os.PathLike, or iterable of dict or Paper
        As for :func:`kg.pipeline.build`; papers already in the graph with the same text are skipped.
    graph_dir : str or os.PathLike
        A folder written by ``kg build`` (it must hold ``kg.sqlite`` and ``ids.json``).
    base : str, optional
        Base IRI of the RDF; default: the one the graph was written under.
    created : str, optional
        Timestamp to record; default: the one recorded, if any.
    format, strict, curation, workers, batch_size, cache_dir, max_nodes, model, progress, fields, nlp, cluster, \
scheduler, link_batch
        As for :func:`kg.pipeline.build` (give the curation file the graph was built with).

    Returns
    -------
    BuildResult
        With ``added`` (new papers), ``changed`` and ``unchanged`` counts in ``stats["update"]``; when nothing is
        new, nothing is written and ``files`` is empty.

    Raises
    ------
    KGError
        When `graph_dir` holds no graph written by this kg, or for bad options or input (before any work). On any
        error or interruption the graph is left as it was.
    """
    from . import sources
    from .export.rdf import check_base
    from .graphdb import FILENAME, GraphDB, text_digest
    from .io import OutputFolder
    from .link import load_curation, read_index

    graph_dir = Path(graph_dir)
    tables, ids = graph_dir / FILENAME, graph_dir / OUTPUTS["ids"]
    if not tables.is_file() or not ids.is_file():
        raise InputError(graph_dir, f"no graph to update here (it needs {FILENAME} and {OUTPUTS['ids']}): build it "
                                    f"first with `kg build ... -o {graph_dir}`")
    inputs = [inputs] if isinstance(inputs, (str, dict, Paper)) or hasattr(inputs, "__fspath__") else list(inputs)
    sources.check_format(format, ", ".join(map(str, inputs)) if not _is_records(inputs) else "records")
    base = base or _base_of(graph_dir)
    if base is not None:
        check_base(base)
    cur = load_curation(curation) if curation else None
    index = read_index(ids)
    options = {"base": base, "max_nodes": max_nodes}
    timings, warnings = {}, []
    with OutputFolder(graph_dir, owns=_owned_by_kg) as folder:
        stage_dir = folder.staging
        t = time.perf_counter()
        if _is_records(inputs):
            papers = sources.read_records(inputs, strict=strict, warnings=warnings, fields=fields)
        else:
            papers = sources.read_papers(inputs, format=format, strict=strict, warnings=warnings, fields=fields)
        timings["read"] = time.perf_counter() - t
        shutil.copyfile(tables, stage_dir / FILENAME)
        db = GraphDB(stage_dir / FILENAME)
        try:
            known = db.digests()
            todo = [p for p in papers if known.get(p.id) != text_digest(p)]
            changed = {p.id for p in todo if p.id in known}
            counts = {"added": len(todo) - len(changed), "changed": len(changed), "unchanged": len(papers) - len(todo)}
            if not todo:
                return BuildResult(graph_dir, timings=timings, warnings=warnings, index=index,
                                   stats={"update": counts})
            t = time.perf_counter()
            shards = stage_dir / _SHARDS
            with _extraction_setup(cluster, scheduler, cache_dir, nlp, model) as (client, nlp, cache):
                try:
                    extract_to_shards(todo, shards, nlp=nlp, workers=workers, batch_size=batch_size, cache=cache,
                                      progress=progress, model=model, client=client)
                finally:
                    if cache is not None:
                        warnings.extend(cache.problems)
            timings["extract"] = time.perf_counter() - t
            t = time.perf_counter()
            if created:
                db.set_created(created)
            db.remove_papers(changed)
            link_shards(shards, db, curation=cur, index=index, link_batch=link_batch)
            timings["link"] = time.perf_counter() - t

            def lines():
                from .shards import read_shards

                yield from _old_lines(graph_dir / OUTPUTS["extractions"], changed)
                yield from (line for _, line in read_shards(shards, raw=True))

            files, stats = _finish(db, stage_dir, index, lines, options, folder, graph_dir, timings)
        finally:
            db.close()
    stats["update"] = counts
    return BuildResult(graph_dir, files=files, timings=timings, warnings=warnings, index=index, stats=stats,
                       papers=stats["papers"])
