"""RDF of the result and conflict nodes of the graph (issue 16), as triples for :func:`kg.export.rdf.rdf_triples`.

A result is a ``kg:Result``, a W3C ML Schema ``mls:ModelEvaluation`` (https://www.w3.org/2016/10/mls/): its
value (``mls:hasValue``), its measure (``mls:specifiedBy``, a Metric entity, an ``mls:EvaluationMeasure``), the
``mls:Run`` that output it with the dataset and the evaluated model as inputs, and the shortcuts ``kg:system``,
``kg:onDataset``, ``kg:baseline``; with PROV-O provenance like the claims (``prov:wasDerivedFrom`` its paper, a
``kg:Evidence``). A conflict is a ``kg:Conflict`` ``kg:between`` the claims and results that disagree.

Both yield pyoxigraph triples made with the terms of one export (``kg.export.rdf._Terms``), so that the streaming
writers and :func:`kg.export.rdf.to_rdf` share one path.
"""

from ..errors import KGError

__all__ = ["result_triples", "conflict_triples"]


def _entity_ref(entity, key, node_id, what):
    if node_id is None:
        return None
    if entity(node_id) is None:
        raise KGError(f"result {key!r} has {what} {node_id!r}, which is no entity of the graph")
    return node_id


def result_triples(t, key, d, entity):
    """Yield the triples of a result node: a kg:Result (an mls:ModelEvaluation) with its run, evidence and
    provenance.

    Parameters
    ----------
    t : kg.export.rdf._Terms
        The terms of the export.
    key : str
        The node key (``result:<paper id>:<n>``).
    d : dict
        Its attributes (schema in :mod:`kg.graph`).
    entity : callable
        Entity id -> its attributes, or None when the graph has no such entity.

    Raises
    ------
    KGError
        When the result has no metric, names a node that is no entity, or has an unknown kind.
    """
    r = t.result(key)
    yield t.Triple(r, t.type, t.kg("Result"))
    metric = _entity_ref(entity, key, d.get("metric"), "metric")
    if metric is None:
        raise KGError(f"result {key!r} has no metric")
    yield t.Triple(r, t.mls("specifiedBy"), t.entity(metric))
    yield t.Triple(r, t.mls("hasValue"), t.value(d.get("number")))
    yield t.Triple(r, t.kg("valueText"), t.text(d.get("value") or ""))
    yield t.Triple(r, t.kg("unit"), t.text(d.get("unit") or ""))
    kind = d.get("result_kind") or "absolute"
    if kind not in ("absolute", "delta"):
        raise KGError(f"result {key!r} has kind {kind!r}; valid kinds: absolute, delta")
    yield t.Triple(r, t.kg("resultKind"), t.text(kind))
    if d.get("normalized_number") is not None:
        yield t.Triple(r, t.kg("normalizedValue"), t.value(d["normalized_number"]))
        yield t.Triple(r, t.kg("normalizedUnit"), t.text(d.get("normalized_unit") or ""))
    run = t.NamedNode(f"{r.value}/run")
    yield t.Triple(run, t.type, t.mls("Run"))
    yield t.Triple(run, t.mls("hasOutput"), r)
    for attr, prop in (("subject", "system"), ("dataset", "onDataset"), ("baseline", "baseline")):
        node = _entity_ref(entity, key, d.get(attr), attr)
        if node is None:
            continue
        e = t.entity(node)
        yield t.Triple(r, t.kg(prop), e)
        etype = entity(node).get("type")
        if attr != "baseline" and etype in ("Dataset", "Model"):
            yield t.Triple(run, t.mls("hasInput"), e)
        elif attr == "dataset" and etype == "Task":
            yield t.Triple(run, t.mls("realizes"), e)
    yield t.Triple(r, t.kg("confidence"), t.decimal(d.get("confidence", 1.0)))
    for rule in d.get("provenance") or []:
        yield t.Triple(r, t.kg("producedBy"), t.text(rule))
    paper = d.get("paper")
    if paper is not None:
        yield t.Triple(r, t.derived, t.paper(paper))
    ev = t.NamedNode(f"{r.value}/evidence")
    yield t.Triple(r, t.kg("hasEvidence"), ev)
    yield from t.evidence(ev, paper, {"sentence": d.get("evidence"), "start": d.get("start"), "end": d.get("end"),
                                      "confidence": d.get("confidence", 1.0)})


def conflict_triples(t, key, d):
    """Yield the triples of a conflict node: a kg:Conflict between the claims and results that disagree.

    Raises
    ------
    KGError
        For an unknown conflict kind.
    """
    c = t.conflict(key)
    kind = d.get("conflict_kind")
    if kind not in ("reversed", "results"):
        raise KGError(f"conflict {key!r} has kind {kind!r}; valid kinds: reversed, results")
    yield t.Triple(c, t.type, t.kg("Conflict"))
    yield t.Triple(c, t.kg("conflictKind"), t.text(kind))
    if d.get("label"):
        yield t.Triple(c, t.label, t.text(d["label"]))
    for node in d.get("entities") or []:
        yield t.Triple(c, t.kg("involves"), t.entity(node))
    if d.get("metric"):
        yield t.Triple(c, t.kg("onMetric"), t.entity(d["metric"]))
    if d.get("dataset"):
        yield t.Triple(c, t.kg("onDataset"), t.entity(d["dataset"]))
    for side in d.get("sides") or []:
        claim = side.get("claim")
        if claim:
            yield t.Triple(c, t.kg("between"), t.claim(claim["subject"], claim["predicate"], claim["object"]))
        for res in side.get("results") or []:
            yield t.Triple(c, t.kg("between"), t.result(res))
    for paper in d.get("papers") or []:
        yield t.Triple(c, t.derived, t.paper(paper))
