"""The HTML explorer of the knowledge graph: one self-contained page that works offline from ``file://``.

The page (package data in ``kg/export/assets/``) draws the entity graph (:func:`kg.graph.entity_graph`) with
sigma.js 3 on WebGL over a graphology graph (https://www.sigmajs.org, https://graphology.github.io); beside it
are sortable, filterable tables of entities, relations, papers and results, a panel per entity, paper or
relation, and a search over names, aliases and paper titles that tolerates typos (uFuzzy). The libraries come
from npm, pinned in ``assets/vendor/package.json`` and its lock file, bundled by esbuild into
``assets/vendor.js`` (committed, so installing kg needs no npm; their MIT licences are in
``assets/vendor-licenses.txt``) and inlined: the page makes no request at all.

Positions of the opening view are computed here: each connected component of the most supported entities
gets a force-directed layout in the manner of Fruchterman & Reingold (1991), "Graph drawing by force-directed
placement", with repulsion limited to nearby nodes (their grid variant, here a k-d tree), and the components
are packed in rows, largest first. Every other entity is still in the page, for search, tables and panels; a
selected entity's neighbourhood is laid out by the page.

Every text from papers goes into the page as JSON inside ``<script type="application/json">`` with ``<``, ``>``
and ``&`` escaped, and the page builds its panels, tables and tooltips with ``textContent``: a title such as
``<script>alert(1)</script>`` shows as text and runs nothing. A Content-Security-Policy forbids every request.
"""

import html
import json
import math
import re
from importlib import resources

import networkx as nx
import numpy as np

from ..errors import KGError
from ..graph import ENTITY_RELATIONS, PAPER_PREFIX, entity_graph, paper_nodes
from ..io import atomic_write
from ..records import RESULT_KINDS

__all__ = ["RELATION_STYLES", "TYPE_COLOURS", "TYPE_SHAPES", "VIEW_NODES", "PAGE_ATTRS", "layout", "page_data",
           "render_html", "write_html"]

#: Node colour per entity type (the legend's order): Okabe & Ito's colour-blind safe palette, darkened where
#: needed for a contrast of at least 3:1 on white (WCAG 2.1, 1.4.11).
TYPE_COLOURS = {"Method": "#0072b2", "Model": "#c25400", "Dataset": "#007a5a", "Task": "#b0468f",
                "Metric": "#6d5f00"}
#: Node shape per entity type, so that no type is told by colour alone.
TYPE_SHAPES = {"Method": "circle", "Model": "square", "Dataset": "diamond", "Task": "triangle", "Metric": "hexagon"}
#: How each relation is drawn: colour, short label, arrow, dashes (the legend shows dashes; the graph does not).
RELATION_STYLES = {
    "outperforms": {"colour": "#c8102e", "label": "beats", "arrow": True, "dashes": False},
    "evaluatedOn": {"colour": "#1b7f86", "label": "evaluated on", "arrow": True, "dashes": False},
    "combinesWith": {"colour": "#6b6b6b", "label": "with", "arrow": False, "dashes": False},
    "variantOf": {"colour": "#8a6d00", "label": "variant of", "arrow": True, "dashes": True},
}
#: How many entities the graph view draws at first (the most supported); every entity stays searchable.
VIEW_NODES = 5000
#: The attributes :func:`page_data` reads, per node kind, of an entity relation and of one of its evidence items:
#: a caller that builds the page's graph from tables (:func:`kg.outputs.write_view_html`) need copy no more
#: (a paper's abstract and authors, an evidence item's offsets, are not in the page).
PAGE_ATTRS = {
    "entity": ("kind", "type", "label", "aliases", "paper_count", "first_seen", "papers", "roles"),
    "paper": ("kind", "id", "title", "label", "date", "url"),
    "result": ("kind", "type", "subject", "metric", "dataset", "paper", "value", "number", "unit", "result_kind",
               "value_kind", "baseline", "evidence", "confidence", "higher_is_better"),
    "relation": ("predicate", "support", "confidence", "evidence"),
    "evidence": ("paper", "sentence"),
}
_OTHER_COLOUR = "#757575"
_PLACEHOLDER = re.compile(r"\{\{(\w+)\}\}")
# Spacing of the layout in graph units (pixels at zoom 1).
_EDGE_LENGTH = 150.0


def _safe_url(url):
    """Only web links become links (a ``javascript:`` URL would run when clicked)."""
    return url if isinstance(url, str) and re.match(r"https?://", url, re.IGNORECASE) else None


def _select(E, max_nodes):
    """The `max_nodes` entities of highest degree in `E` (ties: more papers, then id)."""
    if max_nodes is not None and (isinstance(max_nodes, bool) or not isinstance(max_nodes, int) or max_nodes < 1):
        raise KGError(f"max_nodes must be a positive whole number or None, not {max_nodes!r}")
    if max_nodes is None or max_nodes >= E.number_of_nodes():
        return list(E.nodes)
    rank = sorted(E.nodes, key=lambda n: (-E.degree(n), -(E.nodes[n].get("paper_count") or 0), str(n)))
    return rank[:max_nodes]


def _sum_at(index, values, n):
    """Row sums of `values` (shape (m, 2)) grouped by `index` into n rows (a fast ``np.add.at``)."""
    return np.stack([np.bincount(index, values[:, 0], n), np.bincount(index, values[:, 1], n)], axis=1)


def _force_layout(n, edges, k, rng, iterations):
    """Fruchterman-Reingold positions of `n` nodes joined by `edges` (an int array of shape (m, 2))."""
    from scipy.spatial import cKDTree

    pos = rng.uniform(-0.5, 0.5, size=(n, 2)) * math.sqrt(n) * k
    u, v = edges[:, 0], edges[:, 1]
    # Hubs push harder (repulsion scaled by sqrt(degree + 1) at each end, as ForceAtlas2's degree-weighted
    # repulsion): without it the hubs and their many neighbours pile up in the middle.
    mass = np.sqrt(np.bincount(edges.ravel(), minlength=n) + 1.0)
    start = k * math.sqrt(n) / 4
    for it in range(iterations):
        disp = np.zeros_like(pos)
        # Repulsion k^2/d only between nodes closer than 2k (F&R's grid variant): distant nodes barely push,
        # and skipping them makes each step O(n log n) instead of O(n^2).
        pairs = cKDTree(pos).query_pairs(2 * k, output_type="ndarray")
        if len(pairs):
            i, j = pairs[:, 0], pairs[:, 1]
            delta = pos[i] - pos[j]
            dist = np.maximum(np.hypot(delta[:, 0], delta[:, 1]), 0.01 * k)[:, None]
            push = delta / dist * (k * k / dist) * (mass[i] * mass[j])[:, None]
            disp += _sum_at(i, push, n) - _sum_at(j, push, n)
        if len(edges):
            delta = pos[u] - pos[v]
            dist = np.maximum(np.hypot(delta[:, 0], delta[:, 1]), 0.01 * k)[:, None]
            pull = delta / dist * (dist * dist / k)
            disp += _sum_at(v, pull, n) - _sum_at(u, pull, n)
        # A weak pull to the centre keeps loosely attached parts from drifting far out.
        disp -= 0.02 * (pos - pos.mean(axis=0))
        temperature = start * (1 - it / iterations) + 0.05 * k
        length = np.maximum(np.hypot(disp[:, 0], disp[:, 1]), 1e-9)[:, None]
        pos += disp / length * np.minimum(length, temperature)
    return pos - pos.mean(axis=0)


def layout(E, seed=0, edge_length=_EDGE_LENGTH):
    """Positions for the nodes of `E`: each connected component laid out, then packed in rows.

    Parameters
    ----------
    E : networkx.Graph
        Any graph (directions and parallel edges are ignored).
    seed : int
        Seed of the random start, for reproducible pages.
    edge_length : float
        The preferred distance between neighbours, in pixels.

    Returns
    -------
    dict
        Node -> ``(x, y)`` in pixels, the largest component at the top left.

    Examples
    --------
    >>> pos = layout(nx.path_graph(3))
    >>> sorted(pos) == [0, 1, 2] and all(len(p) == 2 for p in pos.values())
    True
    """
    U = nx.Graph(E)
    rng = np.random.default_rng(seed)
    k = edge_length

    def order(n):  # singletons and small parts grouped by type (colour), bigger nodes first
        return (str(U.nodes[n].get("type", "")), -(U.nodes[n].get("paper_count") or 0), str(n))

    blocks = []
    for comp in sorted(nx.connected_components(U), key=lambda c: (-len(c), min(map(order, c)))):
        nodes = sorted(comp, key=order)
        if len(nodes) == 1:
            pos = np.zeros((1, 2))
        elif len(nodes) == 2:
            pos = np.array([[-k / 2, 0.0], [k / 2, 0.0]])
        else:
            index = {n: i for i, n in enumerate(nodes)}
            # sorted: networkx yields a subgraph's edges in hash order, which PYTHONHASHSEED changes
            edges = np.array(sorted({tuple(sorted((index[a], index[b]))) for a, b in U.subgraph(nodes).edges if a != b}),
                             dtype=int)
            iterations = 60 if len(nodes) > 1000 else 120
            pos = _force_layout(len(nodes), edges.reshape(-1, 2), k, rng, iterations)
        pos = pos - pos.min(axis=0)
        # Entities in no relation sit closer together: a compact grid, not a field.
        blocks.append((nodes, pos, pos.max(axis=0), k * (0.45 if len(nodes) == 1 else 0.8)))
    # Shelf packing: rows about as wide as the square root of the total area (or the largest block).
    area = sum((w + gap) * (h + gap) for _, _, (w, h), gap in blocks)
    row_width = max([math.sqrt(area) * 1.3] + [w for _, _, (w, _), _ in blocks[:1]])
    x = y = row_height = 0.0
    out = {}
    for nodes, pos, (w, h), gap in blocks:
        if x > 0 and x + w > row_width:
            x, y, row_height = 0.0, y + row_height + gap, 0.0
        for n, (px, py) in zip(nodes, pos):
            out[n] = (round(float(px + x), 1), round(float(py + y), 1))
        x += w + gap
        row_height = max(row_height, h)
    return out


def _result_nodes(G):
    """Iterate ``(key, attrs)`` of result nodes (the leaderboards of issue 16): kind ``"result"``."""
    return ((n, d) for n, d in G.nodes(data=True) if d.get("kind") == "result" or d.get("type") == "Result")


def _result_kind(d):
    """``absolute`` or ``delta``: the node's ``kind`` is ``"result"``, so the value kind may sit under another name."""
    for key in ("result_kind", "value_kind", "kind"):
        if d.get(key) in RESULT_KINDS:
            return d[key]
    return "delta" if d.get("baseline") else "absolute"


def _number(value):
    """A finite float, or None (NaN cannot go into the page's JSON)."""
    try:
        value = float(value)
    except (TypeError, ValueError):
        return None
    return value if math.isfinite(value) else None


def _results(G, papers):
    """The result nodes as rows: entity ids as written, the paper from the attribute or the paper -> result edge."""
    rows = []
    for key, d in _result_nodes(G):
        paper = d.get("paper")
        if not paper:
            paper = next((u.removeprefix(PAPER_PREFIX) for u, _ in G.in_edges(key) if str(u).startswith(PAPER_PREFIX)),
                         None)
        evidence = d.get("evidence")
        if isinstance(evidence, dict):  # an evidence record rather than its sentence
            evidence = evidence.get("sentence") or evidence.get("text")
        higher = d.get("higher_is_better")
        rows.append({"id": str(key), "subject": _str_or_none(d.get("subject")), "metric": _str_or_none(d.get("metric")),
                     "dataset": _str_or_none(d.get("dataset")), "paper": _str_or_none(paper),
                     "value": str(d.get("value") if d.get("value") is not None else d.get("number", "")),
                     "number": _number(d.get("number")), "unit": str(d.get("unit") or ""), "kind": _result_kind(d),
                     "baseline": _str_or_none(d.get("baseline")), "evidence": str(evidence or ""),
                     "confidence": _number(d.get("confidence")),
                     "higher_is_better": higher if isinstance(higher, bool) else None})
        if rows[-1]["paper"] and rows[-1]["paper"] not in papers and PAPER_PREFIX + rows[-1]["paper"] not in G:
            rows[-1]["paper"] = None
    rows.sort(key=lambda r: (r["dataset"] or "", r["metric"] or "", r["subject"] or "", r["id"]))
    return rows


def _str_or_none(value):
    return None if value is None or value == "" else str(value)


def page_data(G, max_nodes=None, title="kg", seed=0, view_nodes=VIEW_NODES, totals=None):
    """The data the page holds (``window.kgData``): entities, relations, papers, results, styles and a summary.

    Every entity is in the page (searchable, in the tables, in panels); the graph view opens on the
    `view_nodes` most supported ones (most papers, then most relations), which alone get precomputed positions.
    A selected entity's neighbourhood is laid out by the page itself.

    Parameters
    ----------
    G : networkx.MultiDiGraph
        A graph in the schema of :mod:`kg.graph`, optionally with result nodes (kind ``"result"``: ``subject``,
        ``metric``, ``dataset`` entity ids, ``paper``, ``value``, ``number``, ``unit``, ``kind`` or
        ``result_kind`` absolute|delta, ``baseline``, ``evidence``, ``confidence``).
    max_nodes : int, optional
        Keep only this many entities, the most connected ones (by degree in the entity graph).
    title : str
        Page title.
    seed : int
        Seed of the layout.
    view_nodes : int
        How many entities the graph view draws at first (the rest is found by search and the tables).
    totals : dict, optional
        ``entities``, ``relations`` and ``papers`` of the whole graph when `G` holds only a selection of it (a
        build's page of its most connected entities, :func:`kg.outputs.write_view_html`): the counts the page
        shows and what it says it left out.

    Returns
    -------
    dict
        ``nodes`` (``x``, ``y`` and ``view`` true for those drawn at first), ``edges``, ``papers``
        (id -> title, date, url), ``results``, ``style`` and ``meta`` (counts shown and left out).

    Examples
    --------
    >>> G = nx.MultiDiGraph()
    >>> G.add_node("lora", kind="entity", type="Method", label="LoRA", papers=[], paper_count=0)
    >>> data = page_data(G)
    >>> data["nodes"][0]["label"], data["nodes"][0]["view"], data["results"]
    ('LoRA', True, [])
    """
    if isinstance(view_nodes, bool) or not isinstance(view_nodes, int) or view_nodes < 1:
        raise KGError(f"view_nodes must be a positive whole number, not {view_nodes!r}")
    E = entity_graph(G).copy()  # a real graph: the filtered view is slow to walk many times
    keep = _select(E, max_nodes)
    S = E.subgraph(keep) if len(keep) < E.number_of_nodes() else E
    degree = dict(S.degree())
    support = sorted(S.nodes, key=lambda n: (-(S.nodes[n].get("paper_count") or 0), -degree[n], str(n)))
    view = set(support[:view_nodes])
    pos = layout(S.subgraph(view) if len(view) < S.number_of_nodes() else S, seed=seed)
    cited = set()
    nodes = []
    for n in sorted(S.nodes, key=str):
        d = S.nodes[n]
        roles = d.get("roles") or {}
        papers = [[p, roles.get(p)] for p in d.get("papers") or []]
        cited.update(p for p, _ in papers)
        x, y = pos.get(n, (None, None))
        nodes.append({"id": str(n), "label": str(d.get("label") or n), "type": d.get("type"),
                      "aliases": [str(a) for a in d.get("aliases") or []], "paper_count": d.get("paper_count") or 0,
                      "first_seen": d.get("first_seen"), "papers": papers, "degree": degree[n],
                      "view": n in view, "x": x, "y": y})
    edges = []
    for i, (u, v, key, d) in enumerate(sorted(S.edges(keys=True, data=True), key=lambda e: (str(e[0]), str(e[1]),
                                                                                            str(e[2])))):
        evidence = [[e.get("paper"), str(e.get("sentence", ""))] for e in d.get("evidence") or []]
        cited.update(p for p, _ in evidence)
        edges.append({"id": f"e{i}", "from": str(u), "to": str(v), "predicate": d.get("predicate", key),
                      "support": d.get("support") or 0, "confidence": d.get("confidence"), "evidence": evidence})
    all_papers = {}
    for key, d in paper_nodes(G):
        pid = d.get("id") or str(key).removeprefix(PAPER_PREFIX)  # node-link JSON drops an ``id`` attribute
        all_papers[pid] = {"title": str(d.get("title") or d.get("label") or pid), "date": d.get("date"),
                           "url": _safe_url(d.get("url"))}
    results = _results(G, all_papers)
    cited.update(r["paper"] for r in results if r["paper"])
    # Every paper is listed (the paper table and search); with max_nodes, only those still cited.
    papers = {p: v for p, v in sorted(all_papers.items()) if max_nodes is None or p in cited}
    types = [t for t in TYPE_COLOURS] + sorted({n["type"] for n in nodes} - set(TYPE_COLOURS) - {None})
    relations = [r for r in ENTITY_RELATIONS] + sorted({e["predicate"] for e in edges} - set(ENTITY_RELATIONS))
    style = {
        "types": {t: TYPE_COLOURS.get(t, _OTHER_COLOUR) for t in types},
        "shapes": {t: TYPE_SHAPES.get(t, "circle") for t in types},
        "relations": {r: RELATION_STYLES.get(r, {"colour": _OTHER_COLOUR, "label": r, "arrow": True,
                                                 "dashes": False}) for r in relations},
    }
    totals = {"entities": E.number_of_nodes(), "relations": E.number_of_edges(),
              "papers": sum(1 for _ in paper_nodes(G)), **(totals or {})}
    meta = {"title": str(title), "entities": totals["entities"], "relations": totals["relations"],
            "papers": totals["papers"], "shown_nodes": len(nodes), "shown_edges": len(edges),
            "left_out_nodes": totals["entities"] - len(nodes), "left_out_edges": totals["relations"] - len(edges),
            "max_nodes": max_nodes, "view_nodes": len(view), "results": len(results)}
    return {"nodes": nodes, "edges": edges, "papers": papers, "results": results, "style": style, "meta": meta}


def _asset(name):
    return resources.files("kg.export.assets").joinpath(name).read_text(encoding="utf-8")


def _json_parts(value, depth=2):
    """The compact JSON of `value` in pieces: the items of its lists and dicts down to `depth` levels encoded one
    at a time, so that no string of the whole document is ever made (the page of 100,000 papers is 86 MB of JSON).
    The pieces joined are ``json.dumps(value, ensure_ascii=False, separators=(",", ":"), allow_nan=False)``."""
    if depth and isinstance(value, dict):
        yield "{"
        for i, (key, item) in enumerate(value.items()):
            yield ("," if i else "") + _dumps(str(key)) + ":"
            yield from _json_parts(item, depth - 1)
        yield "}"
    elif depth and isinstance(value, (list, tuple)):
        yield "["
        for i, item in enumerate(value):
            if i:
                yield ","
            yield from _json_parts(item, depth - 1)
        yield "]"
    else:
        yield _dumps(value)


def _dumps(value):
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"), allow_nan=False)


def _script_safe(text):
    """`text` (JSON) made safe inside ``<script>``: no ``<``, ``>`` or ``&`` can close the element."""
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def _script_json(data):
    """JSON that is safe inside ``<script>`` (:func:`_script_safe`)."""
    return _script_safe(_dumps(data))


def _page_parts(data):
    """The page for `data` in pieces: the template's text, its inlined assets and the data's JSON piece by piece."""
    parts = {
        "title": lambda: [html.escape(data["meta"]["title"])],
        "style": lambda: [_asset("graph.css")],
        "vendor": lambda: [_asset("vendor.js")],
        "app": lambda: [_asset("graph.js")],
        "data": lambda: map(_script_safe, _json_parts(data)),
    }
    template, at = _asset("graph.html"), 0
    # One pass, so nothing inserted is itself searched for placeholders.
    for m in _PLACEHOLDER.finditer(template):
        yield template[at:m.start()]
        yield from parts[m.group(1)]()
        at = m.end()
    yield template[at:]


def render_html(data):
    """The page for `data` (from :func:`page_data`), as one string with every script and style inlined.

    Parameters
    ----------
    data : dict

    Returns
    -------
    str
    """
    return "".join(_page_parts(data))


def write_html(G, path, max_nodes=None, title="kg", view_nodes=VIEW_NODES, totals=None):
    """Write the interactive explorer of `G` to `path`: one self-contained HTML file, atomically.

    Parameters
    ----------
    G : networkx.MultiDiGraph
        A graph in the schema of :mod:`kg.graph`; the page shows its entity graph, papers and results in
        tables and panels.
    path : str or os.PathLike
        The file to write; nothing else is written.
    max_nodes : int, optional
        Keep only this many entities, the most connected ones; the page says what was left out.
    title : str
        Page title.
    view_nodes : int
        How many entities the graph view draws at first (the most supported; the rest stays searchable).
    totals : dict, optional
        Counts of the whole graph when `G` is a selection of it (see :func:`page_data`).

    Returns
    -------
    dict
        ``nodes`` and ``edges`` in the page, ``left_out_nodes`` and ``left_out_edges``.

    Raises
    ------
    KGError
        If `max_nodes` or `view_nodes` is not a positive integer.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> G = nx.MultiDiGraph()
    >>> G.add_node("lora", kind="entity", type="Method", label="LoRA", aliases=[], papers=[], paper_count=0)
    >>> write_html(G, pathlib.Path(tempfile.mkdtemp()) / "kg.html")
    {'nodes': 1, 'edges': 0, 'left_out_nodes': 0, 'left_out_edges': 0}
    """
    data = page_data(G, max_nodes=max_nodes, title=title, view_nodes=view_nodes, totals=totals)
    with atomic_write(path) as fh:
        # in pieces: the whole page as one string (and its UTF-8 copy) was a third of the writer's peak memory
        buffer = []
        for piece in _page_parts(data):
            buffer.append(piece)
            if len(buffer) >= 4096:
                fh.write("".join(buffer))
                buffer.clear()
        fh.write("".join(buffer))
    meta = data["meta"]
    return {"nodes": meta["shown_nodes"], "edges": meta["shown_edges"], "left_out_nodes": meta["left_out_nodes"],
            "left_out_edges": meta["left_out_edges"]}
