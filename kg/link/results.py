"""Result linking: the endpoints of every paper's results mapped onto corpus entities (issue 16).

A :class:`kg.records.Result` names its subject, metric, dataset and baseline by the keys of entities of its
paper; :func:`link_results` replaces them by the ids of the corpus entities those entities were linked into, so
that "87.3% top-1 accuracy on ImageNet-1K" in one paper and "ImageNet" in another land on one dataset node when
the linker made them one. An endpoint that is a generic entity (a broad class), unresolved or dropped by the
curation file becomes ``None``; a result whose metric is lost that way is dropped and counted.
"""

from dataclasses import dataclass, field

__all__ = ["CorpusResult", "link_results"]


@dataclass
class CorpusResult:
    """One reported number of one paper, its endpoints as corpus entity ids (see :class:`kg.records.Result`)."""

    paper: str
    index: int
    subject: str | None
    metric: str
    dataset: str | None
    baseline: str | None
    value: str
    number: float
    unit: str = ""
    kind: str = "absolute"
    evidence: str = ""
    start: int | None = None
    end: int | None = None
    confidence: float = 1.0
    provenance: list = field(default_factory=list)


def link_results(extractions, records, entities):
    """Map the results of every paper onto corpus entities.

    Parameters
    ----------
    extractions : list of PaperExtraction
    records : list
        The linker's per-paper records, each with ``paper``, ``entity`` (with its ``key``) and ``cluster`` (an id).
    entities : dict of str to CorpusEntity

    Returns
    -------
    results : list of CorpusResult
        In paper id order, then the paper's own order; ``index`` is the position in the paper's results.
    report : dict
        ``results_in``, ``results_out`` and ``dropped`` (reason -> count).

    Examples
    --------
    >>> from types import SimpleNamespace as NS
    >>> from kg.records import Entity, PaperExtraction, Result
    >>> ext = PaperExtraction("p", entities=[Entity("LoRA", "Method"), Entity("accuracy", "Metric")],
    ...                       results=[Result("LoRA", "accuracy", None, "87.3%", 87.3, "%")])
    >>> recs = [NS(paper="p", entity=e, cluster=c) for e, c in zip(ext.entities, ["lora", "accuracy"])]
    >>> ents = {"lora": NS(generic=False), "accuracy": NS(generic=False)}
    >>> (r,), report = link_results([ext], recs, ents)
    >>> (r.subject, r.metric, r.number), report["results_out"]
    (('lora', 'accuracy', 87.3), 1)
    """
    cluster = {}
    for r in records:
        if r.cluster is not None and not entities[r.cluster].generic and not r.entity.generic:
            cluster[(r.paper, r.entity.key)] = r.cluster
    out, dropped, n_in = [], {}, 0
    for ext in sorted(extractions, key=lambda e: e.id):
        for index, res in enumerate(ext.results):
            n_in += 1
            ends = {ref: cluster.get((ext.id, getattr(res, ref))) if getattr(res, ref) is not None else None
                    for ref in ("subject", "metric", "dataset", "baseline")}
            if ends["metric"] is None:
                dropped["result_metric"] = dropped.get("result_metric", 0) + 1
                continue
            out.append(CorpusResult(ext.id, index, ends["subject"], ends["metric"], ends["dataset"], ends["baseline"],
                                    res.value, float(res.number), res.unit or "", res.kind, res.evidence, res.start,
                                    res.end, float(res.confidence), list(res.provenance)))
    return out, {"results_in": n_in, "results_out": len(out), "dropped": dropped}
