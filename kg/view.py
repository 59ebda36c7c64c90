"""What the writers read: a graph in the schema of :mod:`kg.graph`, one node at a time with its out-edges.

A :class:`GraphView` is the interface between the graph and the writers of :mod:`kg.export` (RDF, GraphML,
node-link JSON): instead of a :class:`networkx.MultiDiGraph` held whole in memory, a writer walks the *units* of
a view, each a node with its out-edges, and writes them as they come. Two views exist:

* :class:`NetworkxView` over a networkx graph (the Python API, ``kg export``, the tests);
* :class:`kg.graphdb.GraphDBView` over the SQLite tables a build links into (:mod:`kg.graphdb`), which never
  holds more than one node's edges in memory: what makes a build of a million papers possible.

Both yield paper nodes first (in their order), then entity nodes (in id order), then any other node, so that a
writer's output is a function of the graph alone.
"""

__all__ = ["GraphView", "NetworkxView", "view_of"]


class GraphView:
    """A graph as a stream of units; see the module docstring.

    Attributes
    ----------
    graph : dict
        The graph's attributes (``name``, ``papers``, ``link_report``, ``created``), as ``G.graph``.
    """

    graph = {}

    def units(self):
        """Yield ``(node, attrs, out_edges)`` per node: papers, then entities, then other nodes.

        ``out_edges`` is a list of ``(target, key, attrs)``: a paper's paper-level edges (``proposes`` ...), an
        entity's relations (``outperforms`` ... with ``support``, ``evidence``, ``confidence``).
        """
        raise NotImplementedError

    def unlinked_papers(self, node, attrs):
        """Papers that an entity lists (``attrs["papers"]``) without a paper-level edge to it (RDF writes them
        as ``kg:mentions``); none in a graph that :func:`kg.graph.build_graph` made."""
        return ()

    def entity(self, node):
        """The attributes of entity `node`, or None when the graph has no such entity (what a result node's
        RDF needs to know of the entities it names)."""
        raise NotImplementedError

    def to_networkx(self):
        """The whole graph as a :class:`networkx.MultiDiGraph` (in memory: for small graphs and tests)."""
        import networkx as nx

        G = nx.MultiDiGraph(**self.graph)
        edges = []
        for node, attrs, out in self.units():
            G.add_node(node, **attrs)
            edges.extend((node, target, key, data) for target, key, data in out)
        for node, target, key, data in edges:  # after the nodes, so that nodes keep the order of the units
            G.add_edge(node, target, key=key, **data)
        return G


class NetworkxView(GraphView):
    """The view of a networkx graph in the schema of :mod:`kg.graph`.

    Examples
    --------
    >>> import networkx as nx
    >>> G = nx.MultiDiGraph(name="kg")
    >>> G.add_node("lora", kind="entity", label="LoRA")
    >>> G.add_node("paper:p1", kind="paper", id="p1")
    >>> G.add_edge("paper:p1", "lora", key="proposes", predicate="proposes")
    'proposes'
    >>> [(n, [k for _, k, _ in edges]) for n, _, edges in NetworkxView(G).units()]
    [('paper:p1', ['proposes']), ('lora', [])]
    """

    def __init__(self, G):
        self.G = G
        self.graph = G.graph

    def units(self):
        G = self.G
        rank = {"paper": 0, "entity": 1}
        # papers, then entities, then the rest, each in the graph's own order (sorted() is stable)
        for node in sorted(G.nodes, key=lambda n: rank.get(G.nodes[n].get("kind"), 2)):
            yield node, G.nodes[node], [(v, k, d) for _, v, k, d in G.out_edges(node, keys=True, data=True)]

    def unlinked_papers(self, node, attrs):
        linked = {u for u, _ in self.G.in_edges(node)}
        return [pid for pid in attrs.get("papers") or [] if f"paper:{pid}" not in linked]

    def entity(self, node):
        d = self.G.nodes.get(node)
        return d if d is not None and d.get("kind") == "entity" else None

    def to_networkx(self):
        return self.G


def view_of(graph):
    """`graph` as a :class:`GraphView` (a networkx graph is wrapped, a view is returned as it is)."""
    return graph if isinstance(graph, GraphView) else NetworkxView(graph)
