"""The linked graph in SQLite (``kg.sqlite``): what a build links into, the writers stream from, and ``kg update``
adds to.

A build of a million papers cannot hold its graph in memory (a networkx graph of 100k papers is some 1.5 GB),
so the link stage links the corpus in batches (:func:`kg.graph.build_graph` on each batch, against the id table of
those before it) and merges each batch's graph into tables (SQLite, https://sqlite.org/lang.html); every writer
then walks them through a :class:`GraphDBView` (:mod:`kg.view`) that holds one node's edges at a time. What
stays in memory grows with the number of distinct entities (the id table), not with papers or mentions.

Tables: ``papers`` (node attributes as JSON, in input order, with a digest of the text), ``entities`` (the
attributes of each entity node), ``entity_papers`` (one row per entity and paper: its role), ``evidence`` (one
row per evidence item of a relation, in order), ``variants``, ``nodes`` and ``links`` (nodes of other kinds,
such as results, and the edges to them, kept as they are) and ``meta`` (the link report).

:meth:`GraphDB.merge_graph` adds one batch's graph: a new entity is taken as it is; a known id gains the batch's
papers, aliases, type votes and evidence (its label and id stay); an id that the batch retired (its papers joined
two nodes, see :class:`kg.link.NodeIndex`) is folded into the one that stays. A corpus linked in one batch gives
exactly the graph :func:`kg.graph.build_graph` gives; in several, each batch links against the nodes of those
before it, as ``kg update`` links new papers (:mod:`kg.update`).
"""

import functools
import hashlib
import json
import sqlite3
from collections import Counter
from itertools import groupby
from pathlib import Path

from .errors import InputError
from .graph import PAPER_PREFIX, ROLE_TO_PAPER_RELATION
from .records import ENTITY_TYPES, SYMMETRIC_RELATIONS, strongest_role
from .view import GraphView

__all__ = ["GraphDB", "GraphDBView", "FILENAME", "text_digest", "open_graph_db", "graph_stats_of",
           "find_and_describe", "results_graph_of"]

#: The file name of the tables in a graph folder.
FILENAME = "kg.sqlite"
_VERSION = 1
_SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS papers (idx INTEGER PRIMARY KEY, id TEXT NOT NULL UNIQUE, date TEXT, digest TEXT,
    attrs TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS entities (id TEXT PRIMARY KEY, attrs TEXT NOT NULL) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS entity_papers (entity TEXT NOT NULL, paper TEXT NOT NULL, idx INTEGER NOT NULL,
    role TEXT NOT NULL, PRIMARY KEY (entity, paper)) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS entity_papers_by_paper ON entity_papers (idx, entity);
CREATE TABLE IF NOT EXISTS evidence (s TEXT NOT NULL, p TEXT NOT NULL, o TEXT NOT NULL, seq INTEGER NOT NULL,
    paper TEXT, sentence TEXT, start INTEGER, stop INTEGER, confidence REAL,
    PRIMARY KEY (s, p, o, seq)) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS evidence_by_paper ON evidence (paper);
CREATE INDEX IF NOT EXISTS evidence_by_object ON evidence (o);
CREATE TABLE IF NOT EXISTS variants (variant TEXT NOT NULL, family TEXT NOT NULL,
    PRIMARY KEY (variant, family)) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS nodes (key TEXT PRIMARY KEY, kind TEXT NOT NULL, attrs TEXT NOT NULL) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS links (source TEXT NOT NULL, idx INTEGER, target TEXT NOT NULL, key TEXT NOT NULL,
    attrs TEXT NOT NULL, PRIMARY KEY (source, target, key)) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS links_by_paper ON links (idx);
CREATE TABLE IF NOT EXISTS names (key TEXT NOT NULL, entity TEXT NOT NULL, PRIMARY KEY (key, entity)) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS names_by_entity ON names (entity);
"""
_TYPE_ORDER = {t: i for i, t in enumerate(ENTITY_TYPES)}
#: Entity attributes kept as rows (entity_papers), not in the attributes.
_FROM_ROWS = ("papers", "roles")


def _digest(text):
    return hashlib.sha1(text.encode("utf-8")).hexdigest()


def text_digest(paper):
    """SHA-1 of a paper's text (title and abstract): what tells a changed paper from a known one.

    >>> from kg.records import Paper
    >>> text_digest(Paper("p", "T", "A")) == text_digest(Paper("q", "T", "A"))
    True
    """
    return _digest(paper.text)


def _dumps(value):
    return json.dumps(value, ensure_ascii=False)


def _merged(old, new):
    """The attributes of a known entity after a batch gave it more papers: its label stays, aliases join, type
    votes add up and the type follows them (a tie keeps it), the best confidence and earliest date win."""
    out = dict(old)
    forms = set(old.get("aliases") or ()) | set(new.get("aliases") or ()) | {new.get("label")}
    out["aliases"] = sorted(f for f in forms - {old.get("label")} if f)
    votes = Counter(old.get("type_votes") or {}) + Counter(new.get("type_votes") or {})
    out["type_votes"] = dict(sorted(votes.items()))
    if votes:
        kept = old.get("type")
        out["type"] = min(votes, key=lambda t: (-votes[t], t != kept, _TYPE_ORDER.get(t, len(_TYPE_ORDER)), t))
    out["confidence"] = max(float(old.get("confidence") or 0.0), float(new.get("confidence") or 0.0))
    for k, v in new.items():
        out.setdefault(k, v)
    return out


class GraphDB:
    """The tables of one graph (see the module docstring); a context manager that closes them.

    Parameters
    ----------
    path : str or os.PathLike
        The SQLite file; created (with its tables) when missing.

    Raises
    ------
    InputError
        When the file exists but is not a graph database of this version.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> from kg.graph import build_graph
    >>> from kg.records import Entity, Paper, PaperExtraction
    >>> papers = [Paper("p1", "LoRA", "We propose LoRA.")]
    >>> exts = [PaperExtraction("p1", "LoRA", [Entity("LoRA", "Method", "proposed")])]
    >>> with GraphDB(pathlib.Path(tempfile.mkdtemp()) / "kg.sqlite") as db:
    ...     db.merge_graph(build_graph(papers, exts))
    ...     G = db.view().to_networkx()
    >>> sorted(G.edges(keys=True))
    [('paper:p1', 'lora', 'proposes')]
    """

    def __init__(self, path, read_only=False):
        self.path = Path(path)
        new = not self.path.exists()
        if read_only and new:
            raise InputError(self.path, "no such file; build the graph first (kg build INPUT -o DIR)")
        try:
            if read_only:
                self.db = sqlite3.connect(f"{self.path.resolve().as_uri()}?mode=ro", uri=True)
            else:
                self.db = sqlite3.connect(str(self.path))
            if not new:
                version = self.db.execute("SELECT value FROM meta WHERE key = 'version'").fetchone()
                if version is None or json.loads(version[0]) != _VERSION:
                    raise sqlite3.DatabaseError(f"graph database version {version and version[0]}; this kg reads "
                                                f"version {_VERSION}")
        except sqlite3.Error as exc:
            raise InputError(self.path, f"not a kg graph database ({exc}); rebuild the graph with kg build") from None
        if not read_only:
            # no journal, no sync: the file is written in a build's staging folder, never in place
            self.db.execute("PRAGMA journal_mode = OFF")
            self.db.execute("PRAGMA synchronous = OFF")
            self.db.executescript(_SCHEMA)
            self._set("version", _VERSION)
            self.db.execute("DELETE FROM meta WHERE key = 'stats'")  # what is written next changes them
        self.db.execute("PRAGMA cache_size = -65536")  # 64 MB, whatever the size of the graph
        self._seq = self.db.execute("SELECT COALESCE(MAX(seq), 0) FROM evidence").fetchone()[0]

    # -- small things -----------------------------------------------------------------------------------------
    def _get(self, key, default=None):
        row = self.db.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
        return json.loads(row[0]) if row else default

    def _set(self, key, value):
        self.db.execute("INSERT OR REPLACE INTO meta VALUES (?, ?)", (key, _dumps(value)))

    def set_created(self, created):
        """Record the build time the outputs show (``G.graph["created"]``); None records none."""
        if created:
            self._set("created", created)
        else:
            self.db.execute("DELETE FROM meta WHERE key = 'created'")

    def commit(self):
        """Write what was added to the file."""
        self.db.commit()

    def close(self):
        """Commit and close."""
        if self.db is not None:
            if self.db.in_transaction:
                self.db.commit()
            self.db.close()
            self.db = None

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    # -- papers -----------------------------------------------------------------------------------------------
    def digests(self):
        """Paper id -> :func:`text_digest` of every paper (to tell new and changed papers from known ones)."""
        return dict(self.db.execute("SELECT id, digest FROM papers"))

    def papers(self, ids=None):
        """Paper nodes ``(key, attrs)`` in order (only those of `ids` when given)."""
        if ids is None:
            rows = self.db.execute("SELECT id, attrs FROM papers ORDER BY idx")
        else:
            rows = (row for pid in ids for row in self.db.execute("SELECT id, attrs FROM papers WHERE id = ?", (pid,)))
        for pid, attrs in rows:
            yield PAPER_PREFIX + pid, json.loads(attrs)

    def count_papers(self):
        return self.db.execute("SELECT COUNT(*) FROM papers").fetchone()[0]

    # -- merging a batch's graph ------------------------------------------------------------------------------
    def merge_graph(self, G, index=None):
        """Add the graph of one batch (:func:`kg.graph.build_graph`, linked against `index`).

        Parameters
        ----------
        G : networkx.MultiDiGraph
            In the schema of :mod:`kg.graph`.
        index : kg.link.NodeIndex, optional
            The id table the batch was linked against: ids it retired are folded into the ids that replaced
            them, and its paper counts, labels and types are set to the merged ones.
        """
        db = self.db
        rows = []
        for key, d in G.nodes(data=True):
            if d.get("kind") == "paper":
                pid = d.get("id") or str(key).removeprefix(PAPER_PREFIX)
                text = f"{d.get('title') or ''}\n\n{d.get('abstract') or ''}"
                rows.append((pid, d.get("date"), _digest(text), _dumps(d)))
        db.executemany("INSERT INTO papers (id, date, digest, attrs) VALUES (?, ?, ?, ?) ON CONFLICT (id) DO UPDATE "
                       "SET date = excluded.date, digest = excluded.digest, attrs = excluded.attrs", rows)
        if index is not None:
            for old in self._retired(index):
                self._fold(old, index.resolve(old))
        idx = {}
        for pid, i in db.execute("SELECT id, idx FROM papers WHERE id IN (SELECT value FROM json_each(?))",
                                 (_dumps([r[0] for r in rows]),)):
            idx[PAPER_PREFIX + pid] = i
        touched = []
        for key, d in G.nodes(data=True):
            kind = d.get("kind")
            if kind == "entity":
                if self._add_entity(key, d, idx):
                    touched.append(key)
            elif kind != "paper":
                db.execute("INSERT OR REPLACE INTO nodes VALUES (?, ?, ?)", (key, kind, _dumps(d)))
        evidence, variants, links = [], [], []
        for u, v, k, d in G.edges(keys=True, data=True):
            kind_u, kind_v = G.nodes[u].get("kind"), G.nodes[v].get("kind")
            if kind_u == "paper" and kind_v == "entity":
                continue  # the entity's papers and roles (above)
            if kind_u == kind_v == "entity" and d.get("evidence"):
                for ev in d["evidence"]:
                    self._seq += 1
                    evidence.append((u, d.get("predicate", k), v, self._seq, ev.get("paper"), ev.get("sentence"),
                                     ev.get("start"), ev.get("end"), ev.get("confidence", 1.0)))
            elif kind_u == kind_v == "entity" and d.get("predicate", k) == "variantOf":
                variants.append((u, v))
            else:  # an edge to or from a node of another kind (a paper reports a result)
                links.append((u, idx.get(u), v, k, _dumps(d)))
        db.executemany("INSERT INTO evidence VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)", evidence)
        db.executemany("INSERT OR IGNORE INTO variants VALUES (?, ?)", variants)
        db.executemany("INSERT OR REPLACE INTO links VALUES (?, ?, ?, ?, ?)", links)
        self._merge_report(G.graph.get("link_report") or {})
        for eid in touched:
            self._recount(eid, index)
        db.commit()

    def _retired(self, index):
        """Ids of this graph that the id table now redirects (a batch joined their node to another)."""
        if not index.redirects:
            return []
        retired = _dumps(sorted(index.redirects))
        return [eid for eid, in self.db.execute(
            "SELECT id FROM entities WHERE id IN (SELECT value FROM json_each(?)) ORDER BY id", (retired,))]

    def _add_entity(self, eid, d, idx):
        """Add an entity node's papers and attributes; True when the id was known (its counts need redoing)."""
        self.db.executemany("INSERT OR REPLACE INTO entity_papers VALUES (?, ?, ?, ?)",
                            [(eid, pid, idx[PAPER_PREFIX + pid], role) for pid, role in sorted(d["roles"].items())])
        self._name(eid, [d.get("label"), *(d.get("aliases") or ())])
        row = self.db.execute("SELECT attrs FROM entities WHERE id = ?", (eid,)).fetchone()
        attrs = {k: (None if k in _FROM_ROWS else v) for k, v in d.items()}
        if row is None:
            self.db.execute("INSERT INTO entities VALUES (?, ?)", (eid, _dumps(attrs)))
            return False
        self.db.execute("UPDATE entities SET attrs = ? WHERE id = ?", (_dumps(_merged(json.loads(row[0]), attrs)), eid))
        return True

    def _name(self, eid, forms):
        """Index the names of an entity by the linker's normalised key (:func:`kg.link.normal_key`)."""
        from .link import normal_key

        self.db.executemany("INSERT OR IGNORE INTO names VALUES (?, ?)",
                            {(k, eid) for k in map(normal_key, filter(None, forms)) if k})

    def _recount(self, eid, index=None):
        """Redo an entity's paper count and first date from its rows (after papers were added, removed or
        folded in); an entity left without papers goes."""
        rows = self.db.execute("SELECT p.date FROM entity_papers ep JOIN papers p ON p.idx = ep.idx "
                               "WHERE ep.entity = ?", (eid,)).fetchall()
        if not rows:
            self.db.execute("DELETE FROM entities WHERE id = ?", (eid,))
            self.db.execute("DELETE FROM names WHERE entity = ?", (eid,))
            return
        attrs = json.loads(self.db.execute("SELECT attrs FROM entities WHERE id = ?", (eid,)).fetchone()[0])
        dates = [date for date, in rows if date]
        attrs.update(paper_count=len(rows), first_seen=min(dates) if dates else None)
        self.db.execute("UPDATE entities SET attrs = ? WHERE id = ?", (_dumps(attrs), eid))
        if index is not None and eid in index.ids:
            index.ids[eid].update(label=attrs.get("label"), type=attrs.get("type"), papers=len(rows))

    def _fold(self, old, new):
        """Move everything of entity `old` to `new` (papers joined their nodes; the id table redirects old)."""
        db = self.db
        for pid, idx_, role in db.execute("SELECT paper, idx, role FROM entity_papers WHERE entity = ?",
                                          (old,)).fetchall():
            row = db.execute("SELECT role FROM entity_papers WHERE entity = ? AND paper = ?", (new, pid)).fetchone()
            db.execute("INSERT OR REPLACE INTO entity_papers VALUES (?, ?, ?, ?)",
                       (new, pid, idx_, strongest_role([role, row[0]]) if row else role))
        db.execute("DELETE FROM entity_papers WHERE entity = ?", (old,))
        db.execute("UPDATE evidence SET s = ? WHERE s = ?", (new, old))
        db.execute("UPDATE evidence SET o = ? WHERE o = ?", (new, old))
        db.execute("DELETE FROM evidence WHERE s = o")
        db.execute(f"UPDATE evidence SET s = o, o = s WHERE p IN ({','.join('?' * len(SYMMETRIC_RELATIONS))}) "
                   "AND s > o", SYMMETRIC_RELATIONS)
        db.execute("INSERT OR IGNORE INTO variants SELECT CASE WHEN variant = ? THEN ? ELSE variant END, "
                   "CASE WHEN family = ? THEN ? ELSE family END FROM variants WHERE variant = ? OR family = ?",
                   (old, new, old, new, old, old))
        db.execute("DELETE FROM variants WHERE variant = ? OR family = ? OR variant = family", (old, old))
        old_attrs = json.loads(db.execute("SELECT attrs FROM entities WHERE id = ?", (old,)).fetchone()[0])
        row = db.execute("SELECT attrs FROM entities WHERE id = ?", (new,)).fetchone()
        merged = old_attrs if row is None else _merged(json.loads(row[0]), old_attrs)
        db.execute("INSERT OR REPLACE INTO entities VALUES (?, ?)", (new, _dumps(merged)))
        db.execute("DELETE FROM entities WHERE id = ?", (old,))
        db.execute("INSERT OR IGNORE INTO names SELECT key, ? FROM names WHERE entity = ?", (new, old))
        db.execute("DELETE FROM names WHERE entity = ?", (old,))
        # results name entities in their attributes: they follow the fold
        for key, attrs in db.execute("SELECT key, attrs FROM nodes WHERE kind = 'result' AND ? IN ("
                                     "json_extract(attrs, '$.subject'), json_extract(attrs, '$.metric'), "
                                     "json_extract(attrs, '$.dataset'), json_extract(attrs, '$.baseline'))",
                                     (old,)).fetchall():
            attrs = json.loads(attrs)
            attrs.update({k: new for k in ("subject", "metric", "dataset", "baseline") if attrs.get(k) == old})
            db.execute("UPDATE nodes SET attrs = ? WHERE key = ?", (_dumps(attrs), key))
        self._recount(new)

    def refresh_conflicts(self):
        """Find the conflicts of the whole graph again (:func:`kg.conflicts.add_conflicts`) and replace the
        conflict nodes with them: a batch or an update sees only its own papers, a conflict may span two.

        Only what conflicts are made of is read: the ``outperforms`` relations with their evidence, the result
        nodes and the labels and aliases of the entities they name.

        Returns
        -------
        int
            Conflict nodes.
        """
        import networkx as nx

        from .conflicts import add_conflicts

        db = self.db
        G = nx.MultiDiGraph()
        rows = db.execute("SELECT ev.s, ev.o, ev.paper, ev.sentence, ev.start, ev.stop, ev.confidence FROM evidence ev "
                          "JOIN entities a ON a.id = ev.s JOIN entities b ON b.id = ev.o "
                          "WHERE ev.p = 'outperforms' ORDER BY ev.s, ev.o, ev.seq")
        for (u, v), evs in groupby(rows, key=lambda r: r[:2]):
            evidence = [{"paper": p, "sentence": t, "start": a, "end": b, "confidence": c} for *_, p, t, a, b, c in evs]
            G.add_edge(u, v, key="outperforms", predicate="outperforms", evidence=evidence,
                       support=len({e["paper"] for e in evidence}),
                       confidence=max(float(e["confidence"]) for e in evidence))
        # results in the order the graph of one batch has them: by paper, then position in the paper
        order = dict(db.execute("SELECT target, idx FROM links WHERE key = 'reports'"))

        def position(key):
            n = key.rpartition(":")[2]
            return order.get(key, -1), int(n) if n.isdigit() else 0, key

        results = sorted(db.execute("SELECT key, attrs FROM nodes WHERE kind = 'result'"),
                         key=lambda r: position(r[0]))
        for key, attrs in results:
            G.add_node(key, **json.loads(attrs))
        named = set(G.nodes) - {key for key, _ in results}
        for key, _ in results:
            d = G.nodes[key]
            named.update(d[k] for k in ("subject", "metric", "dataset", "baseline") if d.get(k))
        for eid in named:
            row = db.execute("SELECT attrs FROM entities WHERE id = ?", (eid,)).fetchone()
            if row is not None:
                d = json.loads(row[0])
                G.add_node(eid, kind="entity", label=d.get("label"), aliases=d.get("aliases") or [],
                           type=d.get("type"))
        add_conflicts(G)
        db.execute("DELETE FROM nodes WHERE kind = 'conflict'")
        found = [(key, "conflict", _dumps(d)) for key, d in G.nodes(data=True) if d.get("kind") == "conflict"]
        db.executemany("INSERT OR REPLACE INTO nodes VALUES (?, ?, ?)", found)
        db.commit()
        return len(found)

    def remove_papers(self, ids):
        """Take away what papers `ids` contributed (their entity rows, evidence and the nodes they link to, such
        as results), before they are linked again (``kg update`` of changed papers); an entity left without
        papers goes. (Type votes and aliases a removed paper gave stay until the next full build.)"""
        ids = _dumps(sorted(ids))
        keys = _dumps([PAPER_PREFIX + pid for pid in json.loads(ids)])
        db = self.db
        touched = [e for e, in db.execute("SELECT DISTINCT entity FROM entity_papers WHERE paper IN "
                                          "(SELECT value FROM json_each(?))", (ids,))]
        db.execute("DELETE FROM entity_papers WHERE paper IN (SELECT value FROM json_each(?))", (ids,))
        db.execute("DELETE FROM evidence WHERE paper IN (SELECT value FROM json_each(?))", (ids,))
        db.execute("DELETE FROM nodes WHERE key IN (SELECT target FROM links WHERE source IN "
                   "(SELECT value FROM json_each(?)))", (keys,))
        db.execute("DELETE FROM links WHERE source IN (SELECT value FROM json_each(?))", (keys,))
        for eid in touched:
            self._recount(eid)
        db.commit()

    def _merge_report(self, report):
        old = self._get("link_report")
        if old is None:
            self._set("link_report", report)
            return
        merged = _add_counts(old, report)
        votes = ((eid, json.loads(a)) for eid, a in self.db.execute("SELECT id, attrs FROM entities ORDER BY id"))
        merged["type_conflicts"] = [{"entity": eid, "votes": a.get("type_votes"), "type": a.get("type")}
                                    for eid, a in votes if len(a.get("type_votes") or {}) > 1]
        seen = {a["abbreviation"] for a in old.get("ambiguous_abbreviations", [])}
        merged["ambiguous_abbreviations"] = old.get("ambiguous_abbreviations", []) + [
            a for a in report.get("ambiguous_abbreviations", []) if a["abbreviation"] not in seen]
        merged["nodes_out"] = self.db.execute("SELECT COUNT(*) FROM entities").fetchone()[0]
        self._set("link_report", merged)

    # -- reading ----------------------------------------------------------------------------------------------
    def view(self, created=None):
        """The :class:`GraphDBView` of the graph (``created``: the timestamp to record, if any)."""
        return GraphDBView(self, created)

    def stats(self):
        """What :func:`kg.graph.graph_stats` gives of the graph, counted in SQL."""
        from .graph import ENTITY_RELATIONS, PAPER_RELATIONS

        db = self.db
        types = dict(db.execute("SELECT json_extract(attrs, '$.type') t, COUNT(*) FROM entities GROUP BY t"))
        rels = Counter(dict(db.execute(
            "SELECT p, COUNT(*) FROM (SELECT DISTINCT s, p, o FROM evidence) r JOIN entities a ON a.id = r.s "
            "JOIN entities b ON b.id = r.o GROUP BY p")))
        rels["variantOf"] = db.execute("SELECT COUNT(*) FROM variants v JOIN entities a ON a.id = v.variant "
                                       "JOIN entities b ON b.id = v.family").fetchone()[0]
        roles = dict(db.execute("SELECT role, COUNT(*) FROM entity_papers GROUP BY role"))
        kinds = dict(db.execute("SELECT json_extract(attrs, '$.result_kind') k, COUNT(*) FROM nodes "
                                "WHERE kind = 'result' GROUP BY k"))
        rep = self._get("link_report") or {}
        link = {k: rep[k] for k in ("entities_in", "nodes_out", "merges") if k in rep}
        for k in ("type_conflicts", "ambiguous_abbreviations"):
            if k in rep:
                link[k] = len(rep[k])
        return {"papers": self.count_papers(), "entities": sum(types.values()),
                "entities_by_type": {t: types.get(t, 0) for t in ENTITY_TYPES},
                "edges_by_relation": {p: rels.get(p, 0) for p in ENTITY_RELATIONS},
                "paper_edges_by_relation": {p: sum(n for r, n in roles.items() if ROLE_TO_PAPER_RELATION.get(r) == p)
                                            for p in PAPER_RELATIONS},
                "link": link, "results": {k: kinds.get(k, 0) for k in ("absolute", "delta")},
                "conflicts": db.execute("SELECT COUNT(*) FROM nodes WHERE kind = 'conflict'").fetchone()[0]}

    def keep_stats(self, stats=None):
        """Store :meth:`stats` (or the given `stats`) with the graph, for :meth:`kept_stats` to answer at once; opening
        the database for writing drops them again."""
        self._set("stats", self.stats() if stats is None else stats)

    def kept_stats(self):
        """The stats stored by :meth:`keep_stats` when the graph was written, or None (counting them reads every
        table: seconds at 100,000 papers)."""
        return self._get("stats")

    def find(self, name, limit=10):
        """What :func:`kg.graph.find_entities` finds, by the index of normalised names: exact matches of the
        normalised name (most papers first), else near matches (``rapidfuzz`` ratio of at least 80), best first.
        """
        from rapidfuzz import fuzz, process

        from .link import normal_key

        key = normal_key(name)
        if not key:
            return []
        count = self._paper_counts
        exact = [e for e, in self.db.execute("SELECT entity FROM names WHERE key = ?", (key,))]
        if exact:
            return sorted(exact, key=lambda e: (-count(e), e))
        keys = [k for k, in self.db.execute("SELECT DISTINCT key FROM names")]
        best = {}
        for k, score, _ in process.extract(key, keys, scorer=fuzz.ratio, score_cutoff=80, limit=None):
            for e, in self.db.execute("SELECT entity FROM names WHERE key = ?", (k,)):
                best[e] = max(best.get(e, 0), score)
        return [e for *_, e in sorted((-score, -count(e), e) for e, score in best.items())[:limit]]

    def _paper_counts(self, eid):
        row = self.db.execute("SELECT json_extract(attrs, '$.paper_count') FROM entities WHERE id = ?",
                              (eid,)).fetchone()
        return (row[0] or 0) if row else 0

    def describe(self, node):
        """What :func:`kg.graph.describe_entity` gives of an entity, read from the tables.

        Raises
        ------
        KGError
            When `node` is no entity of the graph.
        """
        from .errors import KGError

        row = self.db.execute("SELECT attrs FROM entities WHERE id = ?", (node,)).fetchone()
        if row is None:
            raise KGError(f"no entity with id {node!r} in the graph")
        d = json.loads(row[0])
        papers = [{"id": pid, "title": title or "", "date": date, "role": role} for pid, role, title, date in
                  self.db.execute("SELECT ep.paper, ep.role, json_extract(p.attrs, '$.title'), p.date FROM "
                                  "entity_papers ep JOIN papers p ON p.idx = ep.idx WHERE ep.entity = ?", (node,))]
        papers.sort(key=lambda p: (p["date"] or "9999", p["id"]))
        ends = {}

        def end(eid):
            if eid not in ends:
                r = self.db.execute("SELECT json_extract(attrs, '$.label'), json_extract(attrs, '$.type') FROM "
                                    "entities WHERE id = ?", (eid,)).fetchone()
                ends[eid] = r
            return ends[eid]

        def edges(mine, other):
            out = []
            rows = self.db.execute(f"SELECT {other}, p, paper, sentence, start, stop, confidence FROM evidence WHERE "
                                   f"{mine} = ? ORDER BY s, p, o, seq", (node,))
            for (oid, pred), evs in groupby(rows, key=lambda r: r[:2]):
                if end(oid) is None:
                    continue
                evidence = [{"paper": p, "sentence": s, "start": a, "end": b, "confidence": c}
                            for *_, p, s, a, b, c in evs]
                out.append({"predicate": pred, "id": oid, "label": end(oid)[0], "type": end(oid)[1],
                            "support": len({e["paper"] for e in evidence}),
                            "confidence": max(float(e["confidence"]) for e in evidence), "evidence": evidence})
            column = "family" if mine == "s" else "variant"
            for oid, in self.db.execute(f"SELECT {column} FROM variants WHERE {'variant' if mine == 's' else 'family'}"
                                        " = ?", (node,)):
                if end(oid) is not None:
                    out.append({"predicate": "variantOf", "id": oid, "label": end(oid)[0], "type": end(oid)[1],
                                "support": 0, "confidence": 1.0, "evidence": []})
            return sorted(out, key=lambda e: (-e["support"], e["predicate"], e["label"]))

        return {"id": node, "type": d.get("type"), "label": d.get("label"), "aliases": list(d.get("aliases") or []),
                "first_seen": d.get("first_seen"), "type_votes": dict(d.get("type_votes") or {}),
                "paper_count": d.get("paper_count", len(papers)), "papers": papers,
                "edges_out": edges("s", "o"), "edges_in": edges("o", "s")}

    def results_graph(self, names=()):
        """The part of the graph that leaderboards and conflicts read, as a networkx graph: every result and
        conflict node, the papers that report the results (and their ``reports`` edges), the entities these name
        and those that `names` find (:meth:`find`), each with its papers.

        What this holds grows with the number of results, not with the graph: ``kg leaderboard`` and
        ``kg conflicts`` need not load ``kg.json``.
        """
        import networkx as nx

        db = self.db
        G = nx.MultiDiGraph(**self.view().graph)
        others = [(key, kind, json.loads(attrs)) for key, kind, attrs in
                  db.execute("SELECT key, kind, attrs FROM nodes WHERE kind IN ('result', 'conflict') ORDER BY key")]
        named = {e for name in names if name for e in self.find(name)}
        for _, kind, d in others:
            if kind == "result":
                named.update(d[k] for k in ("subject", "metric", "dataset", "baseline") if d.get(k))
            else:
                named.update(d.get("entities") or ())
                named.update(d[k] for k in ("metric", "dataset") if d.get(k))
        for eid in sorted(named):
            row = db.execute("SELECT attrs FROM entities WHERE id = ?", (eid,)).fetchone()
            if row is None:
                continue
            attrs = json.loads(row[0])
            roles = dict(db.execute("SELECT paper, role FROM entity_papers WHERE entity = ? ORDER BY paper", (eid,)))
            G.add_node(eid, **{**attrs, "papers": list(roles), "roles": roles})
        reporting = sorted({d["paper"] for _, kind, d in others if kind == "result" and d.get("paper")})
        G.add_nodes_from(self.papers(reporting))
        for key, _, d in others:
            G.add_node(key, **d)
        for source, target, key, attrs in db.execute("SELECT source, target, key, attrs FROM links WHERE "
                                                     "key = 'reports' ORDER BY idx, target"):
            G.add_edge(source, target, key=key, **json.loads(attrs))
        return G

    def degrees(self):
        """Entity id -> ``(degree among entities, papers)`` of every entity (the HTML's choice of the most
        connected, as :func:`kg.export.html.page_data` makes it)."""
        out = {eid: [0, n] for eid, n in self.db.execute(
            "SELECT entity, COUNT(*) FROM entity_papers GROUP BY entity")}
        out.update((eid, [0, 0]) for eid, in self.db.execute("SELECT id FROM entities") if eid not in out)
        pairs = self.db.execute("SELECT DISTINCT s, p, o FROM evidence")
        variants = self.db.execute("SELECT variant, 'variantOf', family FROM variants")
        for source in (pairs, variants):
            for s, _, o in source:
                if s in out and o in out:
                    out[s][0] += 1
                    out[o][0] += 1
        return {eid: tuple(v) for eid, v in out.items()}


def _add_counts(a, b):
    """`a` + `b` for the numbers of a link report (nested dicts of counts added key by key)."""
    out = dict(a)
    for k, v in b.items():
        if isinstance(v, bool) or k not in out:
            out.setdefault(k, v)
        elif isinstance(v, (int, float)) and isinstance(out[k], (int, float)):
            out[k] = out[k] + v
        elif isinstance(v, dict) and isinstance(out[k], dict):
            out[k] = _add_counts(out[k], v)
    return out


class GraphDBView(GraphView):
    """The :class:`kg.view.GraphView` of a :class:`GraphDB`: units read from the tables as they are walked,
    papers in input order, entities in id order, then the nodes of other kinds in key order; never more than one
    node's edges in memory."""

    def __init__(self, db, created=None):
        self.db = db
        self._entities = None
        graph = {"name": "kg", "papers": db.count_papers(), "link_report": db._get("link_report") or {}}
        created = created or db._get("created")
        if created:
            graph["created"] = created
        self.graph = graph

    def units(self, kinds=("paper", "entity", "other")):
        if "paper" in kinds:
            yield from self._paper_units()
        if "entity" in kinds:
            yield from self._entity_units()
        if "other" in kinds:
            yield from self._other_units()

    def entity(self, node):
        if self._entities is None:  # results name the same few metrics and datasets again and again
            self._entities = functools.lru_cache(maxsize=1 << 14)(self._entity)
        return self._entities(node)

    def _entity(self, node):
        row = self.db.db.execute("SELECT attrs FROM entities WHERE id = ?", (node,)).fetchone()
        return None if row is None else json.loads(row[0])

    def papers_by_id(self, ids):
        """``(key, attrs)`` of the papers `ids` (those present)."""
        return self.db.papers(ids)

    def degrees(self):
        return self.db.degrees()

    def _paper_units(self):
        con = self.db.db
        roles = con.execute("SELECT ep.idx, ep.entity, ep.role FROM entity_papers ep JOIN entities e ON "
                            "e.id = ep.entity ORDER BY ep.idx, ep.entity")
        links = con.execute("SELECT idx, target, key, attrs FROM links WHERE idx IS NOT NULL ORDER BY idx, target, key")
        role, link = next(roles, None), next(links, None)
        for idx, pid, attrs in con.execute("SELECT idx, id, attrs FROM papers ORDER BY idx"):
            out = []
            while role is not None and role[0] <= idx:
                if role[0] == idx:
                    pred = ROLE_TO_PAPER_RELATION.get(role[2], "mentions")
                    out.append((role[1], pred, {"predicate": pred}))
                role = next(roles, None)
            while link is not None and link[0] <= idx:
                if link[0] == idx:
                    out.append((link[1], link[2], json.loads(link[3])))
                link = next(links, None)
            yield PAPER_PREFIX + pid, json.loads(attrs), out

    def _entity_units(self):
        con = self.db.db
        rows = groupby(con.execute("SELECT entity, paper, role FROM entity_papers ORDER BY entity, paper"),
                       key=lambda r: r[0])
        relations = groupby(con.execute(
            "SELECT ev.s, ev.p, ev.o, ev.paper, ev.sentence, ev.start, ev.stop, ev.confidence FROM evidence ev "
            "JOIN entities b ON b.id = ev.o ORDER BY ev.s, ev.p, ev.o, ev.seq"), key=lambda r: r[0])
        variants = groupby(con.execute("SELECT v.variant, v.family FROM variants v JOIN entities b ON "
                                       "b.id = v.family ORDER BY v.variant, v.family"), key=lambda r: r[0])
        links = groupby(con.execute("SELECT source, target, key, attrs FROM links WHERE idx IS NULL "
                                    "ORDER BY source, target, key"), key=lambda r: r[0])
        groups = [(rows, next(rows, None)), (relations, next(relations, None)), (variants, next(variants, None)),
                  (links, next(links, None))]

        def take(i, eid):
            """The items of `eid` from the i-th grouped source, in id order."""
            source, group = groups[i]
            while group is not None and group[0] < eid:
                group = next(source, None)
            items = []
            if group is not None and group[0] == eid:
                items, group = list(group[1]), next(source, None)
            groups[i] = (source, group)
            return items

        for eid, attrs in con.execute("SELECT id, attrs FROM entities ORDER BY id"):
            attrs = json.loads(attrs)
            papers = take(0, eid)
            attrs.update(papers=[p for _, p, _ in papers], roles={p: r for _, p, r in papers})
            edges = []
            for (_, pred, obj), evs in groupby(take(1, eid), key=lambda r: r[:3]):
                evidence = [{"paper": p, "sentence": s, "start": a, "end": b, "confidence": c}
                            for *_, p, s, a, b, c in evs]
                edges.append((obj, pred, {"predicate": pred, "support": len({e["paper"] for e in evidence}),
                                          "evidence": evidence,
                                          "confidence": max(float(e["confidence"]) for e in evidence)}))
            edges += [(family, "variantOf", {"predicate": "variantOf", "support": 0, "evidence": [],
                                             "confidence": 1.0}) for _, family in take(2, eid)]
            edges += [(target, key, json.loads(d)) for _, target, key, d in take(3, eid)]
            yield eid, attrs, edges

    def _other_units(self):
        con = self.db.db
        links = groupby(con.execute("SELECT source, target, key, attrs FROM links WHERE idx IS NULL "
                                    "ORDER BY source, target, key"), key=lambda r: r[0])
        group = next(links, None)
        for key, attrs in con.execute("SELECT key, attrs FROM nodes ORDER BY key"):
            while group is not None and group[0] < key:
                group = next(links, None)
            out = []
            if group is not None and group[0] == key:
                out, group = [(t, k, json.loads(d)) for _, t, k, d in group[1]], next(links, None)
            yield key, json.loads(attrs), out


def open_graph_db(graph_dir):
    """The tables of the graph in `graph_dir`, read-only, or None when it has none (an older build).

    Raises
    ------
    InputError
        When ``kg.sqlite`` is there but is not a graph database.
    """
    path = Path(graph_dir) / FILENAME
    return GraphDB(path, read_only=True) if path.is_file() else None


def graph_stats_of(graph_dir):
    """:func:`kg.graph.graph_stats` of a built graph: as stored in its tables when it was written (milliseconds at
    any size), else counted in them, else in its ``kg.json``."""
    db = open_graph_db(graph_dir)
    if db is None:
        from .graph import graph_stats
        from .pipeline import open_graph

        return graph_stats(open_graph(graph_dir))
    with db:
        return db.kept_stats() or db.stats()


def results_graph_of(graph_dir, names=()):
    """What ``kg leaderboard`` and ``kg conflicts`` read of a built graph (:meth:`GraphDB.results_graph`): from
    its tables, else the whole graph from its ``kg.json``.

    Raises
    ------
    InputError
        When `graph_dir` holds neither.
    """
    db = open_graph_db(graph_dir)
    if db is None:
        from .pipeline import open_graph

        return open_graph(graph_dir)
    with db:
        return db.results_graph(names)


def find_and_describe(graph_dir, name, others=5):
    """The entity of a built graph called `name` (any alias, the linker's normalisation, else near matches), as
    :func:`kg.graph.describe_entity` gives it, and the labels of up to `others` more that match.

    Reads the graph's tables (indexed: a fraction of a second at any size), else its ``kg.json``.

    Returns
    -------
    record : dict or None
        None when nothing matches.
    also : list of str
    """
    db = open_graph_db(graph_dir)
    if db is None:
        from .graph import describe_entity, find_entities
        from .pipeline import open_graph

        G = open_graph(graph_dir)
        ids = find_entities(G, name)
        return (describe_entity(G, ids[0]) if ids else None), [G.nodes[i]["label"] for i in ids[1:others + 1]]
    with db:
        ids = db.find(name)
        if not ids:
            return None, []
        also = [json.loads(db.db.execute("SELECT attrs FROM entities WHERE id = ?", (i,)).fetchone()[0])["label"]
                for i in ids[1:others + 1]]
        return db.describe(ids[0]), also
