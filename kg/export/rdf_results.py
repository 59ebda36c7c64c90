"""RDF of the result and conflict nodes of the graph (issue 16), for :func:`kg.export.rdf.to_rdf`.

A result is a ``kg:Result``, a W3C ML Schema ``mls:ModelEvaluation`` (https://www.w3.org/2016/10/mls/): its
value (``mls:hasValue``), its measure (``mls:specifiedBy``, a Metric entity, an ``mls:EvaluationMeasure``), the
``mls:Run`` that output it with the dataset and the evaluated model as inputs, and the shortcuts ``kg:system``,
``kg:onDataset``, ``kg:baseline``; with PROV-O provenance like the claims (``prov:wasDerivedFrom`` its paper, a
``kg:Evidence``). A conflict is a ``kg:Conflict`` ``kg:between`` the claims and results that disagree.
"""

from rdflib import Literal, URIRef
from rdflib.namespace import PROV, RDF, RDFS, XSD

from ..errors import KGError
from ..vocab import KG, MLS
from .rdf import _decimal, _evidence_node, _text, claim_iri, conflict_iri, entity_iri, paper_iri, result_iri

__all__ = ["add_result", "add_conflict"]


def _decimal_value(value):
    """Any finite number as xsd:decimal (a reported value may be negative or large)."""
    text = f"{float(value):.10f}".rstrip("0")
    return Literal(text + "0" if text.endswith(".") else text, datatype=XSD.decimal)



def _entity_ref(G, key, node_id, what):
    if node_id is None:
        return None
    if G.nodes.get(node_id, {}).get("kind") != "entity":
        raise KGError(f"result {key!r} has {what} {node_id!r}, which is no entity of the graph")
    return node_id


def add_result(g, G, key, d, base):
    """A result node as a kg:Result (an mls:ModelEvaluation) with its run, evidence and provenance."""
    r = result_iri(key, base)
    g.add((r, RDF.type, KG.Result))
    metric = _entity_ref(G, key, d.get("metric"), "metric")
    if metric is None:
        raise KGError(f"result {key!r} has no metric")
    g.add((r, MLS.specifiedBy, entity_iri(metric, base)))
    g.add((r, MLS.hasValue, _decimal_value(d.get("number"))))
    g.add((r, KG.valueText, _text(d.get("value") or "")))
    g.add((r, KG.unit, _text(d.get("unit") or "")))
    kind = d.get("result_kind") or "absolute"
    if kind not in ("absolute", "delta"):
        raise KGError(f"result {key!r} has kind {kind!r}; valid kinds: absolute, delta")
    g.add((r, KG.resultKind, _text(kind)))
    if d.get("normalized_number") is not None:
        g.add((r, KG.normalizedValue, _decimal_value(d["normalized_number"])))
        g.add((r, KG.normalizedUnit, _text(d.get("normalized_unit") or "")))
    run = URIRef(f"{r}/run")
    g.add((run, RDF.type, MLS.Run))
    g.add((run, MLS.hasOutput, r))
    for attr, prop in (("subject", KG.system), ("dataset", KG.onDataset), ("baseline", KG.baseline)):
        node = _entity_ref(G, key, d.get(attr), attr)
        if node is None:
            continue
        g.add((r, prop, entity_iri(node, base)))
        etype = G.nodes[node].get("type")
        if attr != "baseline" and etype in ("Dataset", "Model"):
            g.add((run, MLS.hasInput, entity_iri(node, base)))
        elif attr == "dataset" and etype == "Task":
            g.add((run, MLS.realizes, entity_iri(node, base)))
    g.add((r, KG.confidence, _decimal(d.get("confidence", 1.0))))
    for rule in d.get("provenance") or []:
        g.add((r, KG.producedBy, _text(rule)))
    paper = d.get("paper")
    if paper is not None:
        g.add((r, PROV.wasDerivedFrom, paper_iri(paper, base)))
    ev = URIRef(f"{r}/evidence")
    g.add((r, KG.hasEvidence, ev))
    _evidence_node(g, ev, paper, {"sentence": d.get("evidence"), "start": d.get("start"), "end": d.get("end"),
                                  "confidence": d.get("confidence", 1.0)}, base)


def add_conflict(g, G, key, d, base):
    """A conflict node as a kg:Conflict between the claims and results that disagree."""
    c = conflict_iri(key, base)
    kind = d.get("conflict_kind")
    if kind not in ("reversed", "results"):
        raise KGError(f"conflict {key!r} has kind {kind!r}; valid kinds: reversed, results")
    g.add((c, RDF.type, KG.Conflict))
    g.add((c, KG.conflictKind, _text(kind)))
    if d.get("label"):
        g.add((c, RDFS.label, _text(d["label"])))
    for node in d.get("entities") or []:
        g.add((c, KG.involves, entity_iri(node, base)))
    if d.get("metric"):
        g.add((c, KG.onMetric, entity_iri(d["metric"], base)))
    if d.get("dataset"):
        g.add((c, KG.onDataset, entity_iri(d["dataset"], base)))
    for side in d.get("sides") or []:
        claim = side.get("claim")
        if claim:
            g.add((c, KG.between, claim_iri(claim["subject"], claim["predicate"], claim["object"], base)))
        for res in side.get("results") or []:
            g.add((c, KG.between, result_iri(res, base)))
    for paper in d.get("papers") or []:
        g.add((c, PROV.wasDerivedFrom, paper_iri(paper, base)))
