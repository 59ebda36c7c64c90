"""Conflicts: statements of different papers that disagree about what beats what (issue 16).

Two kinds, found on the graph of :mod:`kg.graph` after linking:

``reversed``
    A outperforms B in one paper and B outperforms A in another (two ``outperforms`` edges in opposite
    directions whose evidence comes from different papers).
``results``
    A outperforms B in one paper, but the absolute results reported on one metric and one dataset put B
    ahead of A (by the metric's direction, :mod:`kg.metrics`; values in one normalised unit), and the claim's
    evidence names that metric or dataset, so that "A is faster than B" is not opposed to accuracies. At least
    one of the results comes from a paper other than the claim's.

Each conflict becomes a node of kind ``"conflict"`` (schema in :mod:`kg.graph`) with both sides: the claim or
the results, each with its evidence sentences and papers. Nothing is resolved: a conflict is a pointer to read
both papers.
"""

import json
from collections import defaultdict

from .graph import CONFLICT_PREFIX, conflict_nodes, result_nodes

__all__ = ["CONFLICT_KINDS", "find_conflicts", "add_conflicts", "list_conflicts", "format_conflicts"]

#: The kinds of conflict.
CONFLICT_KINDS = ("reversed", "results")


def _evidence(items):
    return [{"paper": e.get("paper"), "sentence": e.get("sentence", ""), "start": e.get("start"),
             "end": e.get("end")} for e in items]


def _claim_side(G, a, b, data):
    return {"claim": {"subject": a, "predicate": "outperforms", "object": b}, "results": [],
            "evidence": _evidence(data.get("evidence") or [])}


def _papers(side):
    return {e["paper"] for e in side["evidence"] if e.get("paper")}


def _outperforms(G):
    return {(u, v): d for u, v, k, d in G.edges(keys=True, data=True)
            if k == "outperforms" and G.nodes[u].get("kind") == "entity" and G.nodes[v].get("kind") == "entity"}


def _label(G, n):
    return G.nodes[n].get("label", n) if n in G else str(n)


def _reversed(G, claims):
    out = []
    for (a, b), d in sorted(claims.items()):
        if a > b or (b, a) not in claims:
            continue
        first, second = _claim_side(G, a, b, d), _claim_side(G, b, a, claims[(b, a)])
        p, q = _papers(first), _papers(second)
        if not p or not q or not any(x != y for x in p for y in q):
            continue  # one paper saying both is an extraction problem, not a disagreement between papers
        out.append({"id": f"{CONFLICT_PREFIX}{a}:{b}", "conflict_kind": "reversed", "entities": [a, b],
                    "metric": None, "dataset": None, "papers": sorted(p | q), "sides": [first, second],
                    "label": f"{_label(G, a)} outperforms {_label(G, b)}, and the reverse"})
    return out


def _forms(G, node):
    d = G.nodes.get(node, {})
    return [f.lower() for f in [d.get("label"), *d.get("aliases", [])] if f and len(f) > 1]


def _absolute_results(G):
    """(subject, metric, dataset, normalised unit) -> list of (key, attrs) of ranked absolute results."""
    by = defaultdict(list)
    for key, d in result_nodes(G):
        if d.get("result_kind") != "absolute" or d.get("higher_is_better") is None:
            continue
        if not d.get("subject") or not d.get("dataset"):
            continue
        by[(d["subject"], d["metric"], d["dataset"], d.get("normalized_unit", ""))].append((key, d))
    return by


def _best(rows, higher):
    pick = max if higher else min
    return pick(rows, key=lambda kd: kd[1]["normalized_number"])


def _result_conflicts(G, claims):
    results = _absolute_results(G)
    settings = defaultdict(dict)  # (metric, dataset, unit) -> subject -> rows
    for (subject, metric, dataset, unit), rows in results.items():
        settings[(metric, dataset, unit)][subject] = rows
    out = []
    for (a, b), d in sorted(claims.items()):
        claim = _claim_side(G, a, b, d)
        sentences = " ".join(e["sentence"] for e in claim["evidence"]).lower()
        for (metric, dataset, unit), subjects in sorted(settings.items()):
            if a not in subjects or b not in subjects:
                continue
            if not any(f in sentences for f in _forms(G, metric) + _forms(G, dataset)):
                continue
            higher = subjects[a][0][1]["higher_is_better"]
            best_a, best_b = _best(subjects[a], higher), _best(subjects[b], higher)
            na, nb = best_a[1]["normalized_number"], best_b[1]["normalized_number"]
            if not (nb > na if higher else nb < na):
                continue
            side = {"claim": None, "results": [best_b[0], best_a[0]],
                    "evidence": [{"paper": r["paper"], "sentence": r.get("evidence", ""), "start": r.get("start"),
                                  "end": r.get("end")} for _, r in (best_b, best_a)]}
            if _papers(side) <= _papers(claim) and len(_papers(side) | _papers(claim)) < 2:
                continue  # everything from one paper
            u = f" {unit}" if unit and unit != "%" else unit
            out.append({
                "id": f"{CONFLICT_PREFIX}{a}:{b}:{metric}:{dataset}", "conflict_kind": "results",
                "entities": [a, b], "metric": metric, "dataset": dataset,
                "papers": sorted(_papers(claim) | _papers(side)), "sides": [claim, side],
                "label": (f"{_label(G, a)} outperforms {_label(G, b)}, but on {_label(G, dataset)} "
                          f"{_label(G, metric)} {_label(G, b)} has {nb:g}{u} and {_label(G, a)} {na:g}{u}"),
            })
    return out


def find_conflicts(G):
    """Every conflict of `G` (see the module docstring), reversed claims first, each sorted by id.

    Parameters
    ----------
    G : networkx.MultiDiGraph
        A graph in the schema of :mod:`kg.graph`, with its result nodes.

    Returns
    -------
    list of dict
        The attributes of conflict nodes (``id`` is the node key).

    Examples
    --------
    >>> import networkx as nx
    >>> G = nx.MultiDiGraph()
    >>> for n in "ab":
    ...     G.add_node(n, kind="entity", label=n.upper())
    >>> ev = lambda p: [{"paper": p, "sentence": "...", "start": 0, "end": 3}]
    >>> _ = G.add_edge("a", "b", key="outperforms", evidence=ev("p1"))
    >>> _ = G.add_edge("b", "a", key="outperforms", evidence=ev("p2"))
    >>> [(c["id"], c["conflict_kind"], c["papers"]) for c in find_conflicts(G)]
    [('conflict:a:b', 'reversed', ['p1', 'p2'])]
    """
    claims = _outperforms(G)
    return _reversed(G, claims) + _result_conflicts(G, claims)


def add_conflicts(G):
    """Add a node of kind ``"conflict"`` for every conflict of `G` (replacing earlier ones); return how many."""
    G.remove_nodes_from([n for n, _ in list(conflict_nodes(G))])
    found = find_conflicts(G)
    for c in found:
        attrs = {k: v for k, v in c.items() if k != "id"}
        G.add_node(c["id"], kind="conflict", type="Conflict", **attrs)
    return len(found)


def list_conflicts(G, kind=None, entity=None):
    """The conflict nodes of `G` as dicts (``id`` and attributes), optionally of one `kind` or about one
    `entity` id, sorted by kind then id."""
    rows = []
    for key, d in conflict_nodes(G):
        if kind and d.get("conflict_kind") != kind:
            continue
        if entity and entity not in (d.get("entities") or []):
            continue
        rows.append({"id": key, **{k: v for k, v in d.items() if k not in ("kind", "type")}})
    order = {k: i for i, k in enumerate(CONFLICT_KINDS)}
    return sorted(rows, key=lambda r: (order.get(r.get("conflict_kind"), 9), r["id"]))


def _side_text(G, side):
    if side.get("claim"):
        c = side["claim"]
        head = f"{_label(G, c['subject'])} outperforms {_label(G, c['object'])}"
    else:
        parts = []
        for key in side.get("results") or []:
            r = G.nodes.get(key, {})
            parts.append(f"{_label(G, r.get('subject'))} {r.get('value')}")
        head = "results: " + ", ".join(parts)
    lines = [f"  {head}"]
    lines += [f"      \"{e['sentence']}\" [{e['paper']}]" for e in side.get("evidence") or []]
    return lines


def format_conflicts(G, conflicts, fmt="table"):
    """Text of :func:`list_conflicts` rows: ``table`` (each conflict with both sides and their evidence) or
    ``json``.

    Examples
    --------
    >>> import networkx as nx
    >>> format_conflicts(nx.MultiDiGraph(), [])
    'no conflicts\\n'
    """
    if fmt == "json":
        return json.dumps(conflicts, indent=1, ensure_ascii=False) + "\n"
    if not conflicts:
        return "no conflicts\n"
    blocks = []
    for c in conflicts:
        lines = [f"[{c['conflict_kind']}] {c['label']}  (papers: {', '.join(c['papers'])})"]
        for side in c.get("sides") or []:
            lines += _side_text(G, side)
        blocks.append("\n".join(lines))
    return "\n\n".join(blocks) + "\n"
