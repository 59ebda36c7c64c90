"""Leaderboards: the methods ranked by the values papers report on a dataset (issue 16).

:func:`leaderboard` reads the result nodes of the graph (:mod:`kg.graph`). For one dataset (found by any of its
names, or a task when results name no dataset), every absolute result of a method or model is a candidate; per
metric and unit (values normalised by :mod:`kg.metrics`, so 0.873 and 87.3% compare) each method keeps its best
value, and the methods are ranked by the metric's direction. A metric whose direction is unknown is listed
unordered and said to be so. Differences ("+2.1 points over X", "3x faster") are listed apart with their
baselines, never mixed into a ranking. Ties between a method's equal values go to the result whose IRI sorts
first, as in the example query ``ontology/queries/13-leaderboard-of-d.rq``, which gives the same ranking.
"""

import csv
import io
import json
from dataclasses import asdict, dataclass, field

from .errors import KGError
from .graph import PAPER_PREFIX, find_entities, result_nodes

__all__ = ["FORMATS", "Row", "Leaderboard", "leaderboard", "format_leaderboard"]

#: Output formats of :func:`format_leaderboard`.
FORMATS = ("table", "csv", "json")


@dataclass
class Row:
    """One line of a leaderboard: a method's value on one metric, or one difference (``kind`` ``delta``)."""

    metric: str
    metric_label: str
    method: str
    method_label: str
    value: str
    number: float
    unit: str
    kind: str
    paper: str
    date: str | None
    evidence: str
    rank: int | None = None
    higher_is_better: bool | None = None
    baseline: str | None = None
    baseline_label: str | None = None
    confidence: float = 1.0
    result: str = ""
    reports: int = 1


@dataclass
class Leaderboard:
    """What :func:`leaderboard` returns: the ranked rows (metric by metric), the differences, and the metrics
    whose direction is unknown (their rows have no rank)."""

    dataset: list
    dataset_label: str
    rows: list = field(default_factory=list)
    deltas: list = field(default_factory=list)
    unordered: list = field(default_factory=list)

    def to_dict(self):
        return asdict(self)


def _label(G, node):
    return G.nodes[node].get("label", node) if node in G else node


def _ids(G, name, types):
    ids = [i for i in find_entities(G, name) if G.nodes[i].get("type") in types]
    exact = [i for i in ids if name.lower() in (f.lower() for f in [G.nodes[i].get("label"),
                                                                    *G.nodes[i].get("aliases", [])])]
    return exact or ids[:1]


def _row(G, key, d, **extra):
    paper = d.get("paper")
    date = G.nodes.get(PAPER_PREFIX + str(paper), {}).get("date")
    return Row(metric=d["metric"], metric_label=_label(G, d["metric"]), method=d["subject"],
               method_label=_label(G, d["subject"]), value=d.get("value", ""),
               number=float(d.get("normalized_number", d.get("number"))),
               unit=d.get("normalized_unit", d.get("unit", "")),
               kind=d.get("result_kind", "absolute"), paper=paper, date=date, evidence=d.get("evidence", ""),
               higher_is_better=d.get("higher_is_better"), baseline=d.get("baseline"),
               baseline_label=_label(G, d["baseline"]) if d.get("baseline") else None,
               confidence=float(d.get("confidence", 1.0)), result=key, **extra)


def leaderboard(G, dataset, metric=None, task=None):
    """The leaderboard of `dataset` in `G`.

    Parameters
    ----------
    G : networkx.MultiDiGraph
        A graph in the schema of :mod:`kg.graph`.
    dataset : str
        A name or alias of a Dataset (or Task) entity.
    metric : str, optional
        Only this metric (by any of its names).
    task : str, optional
        Only results of papers that name this task.

    Returns
    -------
    Leaderboard

    Raises
    ------
    KGError
        When no dataset, metric or task has that name.
    """
    from .export.rdf import result_iri

    datasets = _ids(G, dataset, ("Dataset", "Task"))
    if not datasets:
        raise KGError(f"no dataset or task named {dataset!r} in the graph")
    metrics = None
    if metric:
        metrics = set(_ids(G, metric, ("Metric",)))
        if not metrics:
            raise KGError(f"no metric named {metric!r} in the graph")
    papers = None
    if task:
        tasks = _ids(G, task, ("Task",))
        if not tasks:
            raise KGError(f"no task named {task!r} in the graph")
        papers = {p for t in tasks for p in G.nodes[t].get("papers", [])}
    board = Leaderboard(datasets, _label(G, datasets[0]))
    groups = {}
    for key, d in sorted(result_nodes(G)):
        if d.get("dataset") not in datasets or not d.get("subject") or not d.get("metric"):
            continue
        if metrics is not None and d["metric"] not in metrics:
            continue
        if papers is not None and d.get("paper") not in papers:
            continue
        if d.get("result_kind") == "delta":
            board.deltas.append(_row(G, key, d))
            continue
        groups.setdefault((d["metric"], d.get("normalized_unit", "")), {}).setdefault(d["subject"], []).append((key, d))
    for (m, unit), methods in groups.items():
        higher = next(iter(methods.values()))[0][1].get("higher_is_better")
        rows = []
        for subject, found in methods.items():
            if higher is None:  # no best: the most confident report
                key, d = max(found, key=lambda kd: (kd[1].get("confidence", 0), kd[0]))
            else:
                sign = 1 if higher else -1
                best = max(sign * float(d["normalized_number"]) for _, d in found)
                key, d = min(((k, d) for k, d in found if sign * float(d["normalized_number"]) == best),
                             key=lambda kd: str(result_iri(kd[0])))
            rows.append(_row(G, key, d, reports=len(found)))
        if higher is None:
            rows.sort(key=lambda r: r.method_label)
            board.unordered.append(_label(G, m))
        else:
            rows.sort(key=lambda r: (-r.number if higher else r.number, r.method_label))
            for rank, r in enumerate(rows, 1):
                r.rank = rank
        board.rows += rows
    board.rows.sort(key=lambda r: (r.metric_label, r.unit, r.rank is None, r.rank or 0, r.method_label))
    board.deltas.sort(key=lambda r: (r.metric_label, r.method_label, -r.number))
    board.unordered = sorted(set(board.unordered))
    return board


_COLUMNS = ("section", "metric", "rank", "method", "value", "number", "unit", "kind", "baseline", "paper", "date",
            "evidence")


def _flat(board):
    for section, rows in (("ranked", board.rows), ("delta", board.deltas)):
        for r in rows:
            yield {"section": "unordered" if section == "ranked" and r.rank is None else section,
                   "metric": r.metric_label, "rank": r.rank, "method": r.method_label, "value": r.value,
                   "number": r.number, "unit": r.unit, "kind": r.kind, "baseline": r.baseline_label,
                   "paper": r.paper, "date": r.date, "evidence": r.evidence}


def _clip(text, width):
    text = " ".join(str(text).split())
    return text if len(text) <= width else text[:width - 1] + "…"


def _table(rows, columns, widths):
    out = ["  ".join(c.ljust(w) for c, w in zip(columns, widths)).rstrip()]
    for r in rows:
        out.append("  ".join(_clip("" if r.get(c) is None else r[c], w).ljust(w)
                             for c, w in zip(columns, widths)).rstrip())
    return out


def format_leaderboard(board, fmt="table"):
    """Text of a :class:`Leaderboard`: an aligned ``table`` per metric, ``csv`` (one row per line, section
    ``ranked``, ``unordered`` or ``delta``) or ``json``.

    Examples
    --------
    >>> print(format_leaderboard(Leaderboard(["glue"], "GLUE")), end="")
    GLUE: no results
    """
    if fmt not in FORMATS:
        raise KGError(f"unknown format {fmt!r}; valid formats: {', '.join(FORMATS)}")
    if fmt == "json":
        return json.dumps(board.to_dict(), indent=1, ensure_ascii=False) + "\n"
    if fmt == "csv":
        buf = io.StringIO()
        writer = csv.DictWriter(buf, fieldnames=_COLUMNS, lineterminator="\n")
        writer.writeheader()
        writer.writerows(_flat(board))
        return buf.getvalue()
    if not board.rows and not board.deltas:
        return f"{board.dataset_label}: no results\n"
    lines = [f"{board.dataset_label}"]
    flat = list(_flat(board))
    metrics = list(dict.fromkeys((r["metric"], r["unit"]) for r in flat if r["section"] != "delta"))
    for m, unit in metrics:
        rows = [r for r in flat if r["section"] != "delta" and (r["metric"], r["unit"]) == (m, unit)]
        higher = next(x.higher_is_better for x in board.rows if (x.metric_label, x.unit) == (m, unit))
        how = "not ranked: direction unknown" if higher is None else ("higher is better" if higher else
                                                                       "lower is better")
        lines += ["", f"{m}{f' ({unit})' if unit else ''}: {how}"]
        lines += _table(rows, ("rank", "method", "value", "paper", "date", "evidence"), (4, 28, 16, 12, 10, 60))
    deltas = [r for r in flat if r["section"] == "delta"]
    if deltas:
        lines += ["", "differences (not ranked)"]
        lines += _table(deltas, ("metric", "method", "value", "baseline", "paper", "date", "evidence"),
                        (18, 24, 16, 20, 12, 10, 50))
    return "\n".join(lines) + "\n"
