"""The id table: every id the linker ever gave, the keys it stands for, and where a retired id went.

Ids are slugs of a node's names ("lora", "gpt-4"), but which name a slug comes from would change as papers
are added (a more frequent spelling, a clash with a newer node). A :class:`NodeIndex` freezes them: a node whose
keys an id already stands for keeps that id, a new node never takes an id given before, and when papers join
two nodes into one, the id that goes is *redirected* to the one that stays (:meth:`NodeIndex.resolve`), so an
IRI once published keeps pointing at its thing.

:func:`kg.link.link` reads and updates an index in place; ``kg build`` keeps it next to its outputs
(``ids.json``), so a rebuild or a later update that links new papers against the existing nodes gives every
known thing its old id. The file is JSON::

    {"version": 1,
     "ids": {"lora": {"label": "LoRA", "type": "Method", "papers": 26, "keys": ["lora", ...]}, ...},
     "redirects": {"low-rank-adaptation": "lora"}}
"""

import json
from collections import Counter
from dataclasses import dataclass, field

from ..errors import InputError
from ..io import atomic_write

__all__ = ["NodeIndex", "assign_ids", "read_index", "write_index"]

_VERSION = 1


@dataclass
class NodeIndex:
    """Ids given so far.

    Attributes
    ----------
    ids : dict
        Id -> ``{"label": str, "type": str, "papers": int, "keys": list of str}``: the linker keys (normalised
        names, stem keys, the paper-local keys of phrases kept to one paper) that the node held, and how many
        papers it had, when the id was last given.
    redirects : dict of str to str
        Retired id -> the id of the node it was merged into.
    """

    ids: dict = field(default_factory=dict)
    redirects: dict = field(default_factory=dict)

    def resolve(self, eid):
        """The current id of `eid` (itself unless it was merged into another node).

        Examples
        --------
        >>> NodeIndex(redirects={"a": "b", "b": "c"}).resolve("a")
        'c'
        """
        seen = set()
        while eid in self.redirects and eid not in seen:
            seen.add(eid)
            eid = self.redirects[eid]
        return eid

    def taken(self):
        """Every id ever given, current or retired: none of them may name a new node."""
        return set(self.ids) | set(self.redirects)

    def owners(self):
        """Key -> the current ids that stand for it, sorted (a key two nodes kept apart both held has two)."""
        owners = {}
        for eid, v in sorted(self.ids.items()):
            for k in v.get("keys", ()):
                owners.setdefault(k, []).append(eid)
        return owners

    def votes(self, keys, owners=None):
        """Counter id -> how many of `keys` each current id stands for (`owners` from :meth:`owners`).

        Examples
        --------
        >>> index = NodeIndex({"a": {"keys": ["x", "y"]}, "b": {"keys": ["y"]}})
        >>> sorted(index.votes(["x", "y"]).items())
        [('a', 2), ('b', 1)]
        """
        owners = self.owners() if owners is None else owners
        return Counter(self.resolve(eid) for k in keys for eid in owners.get(k, ()))

    def record(self, eid, label, type_, keys, papers=0):
        """Give `eid` to a node with `keys` and `papers` papers (adding to the keys it held before)."""
        old = self.ids.get(eid, {})
        self.ids[eid] = {"label": label, "type": type_, "papers": max(papers, old.get("papers", 0)),
                         "keys": sorted(set(old.get("keys", ())) | set(keys))}

    def retire(self, eid, into):
        """`eid` was merged into `into`: it resolves to `into` from now on."""
        if eid != into:
            self.redirects[eid] = into
            old = self.ids.pop(eid, None)
            if old and into in self.ids:  # the keys it stood for now lead to the node it joined
                self.ids[into]["keys"] = sorted(set(self.ids[into]["keys"]) | set(old.get("keys", ())))


def assign_ids(drafts, index, owners=None):
    """Give every node an id: the one `index` gave its keys before, else a new unique slug.

    When several old ids claim one node (papers joined their nodes), the one that had most papers stays and the
    others are redirected to it; when one old id claims several nodes (a node split), the node holding most of
    its keys keeps it. A new id is never one the index gave before. `index` itself is not updated with the new
    ids here (:meth:`NodeIndex.record` does that), only with the redirects.

    Parameters
    ----------
    drafts : list of tuple
        ``(base slug, type, keys)`` per node, best-attested first (the first takes a contested slug), optionally
        with a fourth item, more keys whose old ids the node claims only after every node has claimed by its own
        keys: an old id they find that no node kept is redirected to it.
    index : NodeIndex
    owners : dict, optional
        ``index.owners()``, when the caller has it already.

    Returns
    -------
    list of str
        The id of every draft, in order.

    Examples
    --------
    >>> index = NodeIndex({"lora": {"label": "LoRA", "type": "Method", "keys": ["lowrankadaptation"]}})
    >>> assign_ids([("low-rank-adaptation", "Method", ["lowrankadaptation"]), ("lora", "Model", ["lora2"])], index)
    ['lora', 'lora-model']
    """
    owners = index.owners() if owners is None else owners
    claims = []
    for order, (_, _, keys, *extra) in enumerate(drafts):
        for late, ks in enumerate((keys, *extra)):
            for eid, n in index.votes(ks, owners).items():
                claims.append((late, -index.ids[eid].get("papers", 0), -n, order, eid))
    ids, owner_of = {}, {}
    for *_, order, eid in sorted(claims):
        if order not in ids and eid not in owner_of:
            ids[order], owner_of[eid] = eid, order
    taken = index.taken() | set(owner_of)
    for order, (base, type_, *_) in enumerate(drafts):
        if order in ids:
            continue
        eid, i = base, 2
        if eid in taken:
            eid = f"{base}-{type_.lower()}"
        while eid in taken:
            eid, i = f"{base}-{i}", i + 1
        taken.add(eid)
        ids[order] = eid
    for *_, order, eid in sorted(claims):  # old ids of nodes that papers joined: redirected to the one kept
        if eid not in owner_of:
            index.retire(eid, ids[order])
            owner_of[eid] = order  # retired once, into its strongest claimant
    return [ids[order] for order in range(len(drafts))]


def read_index(path):
    """Read an id table written by :func:`write_index`.

    Raises
    ------
    InputError
        When the file is missing or not an id table.
    """
    try:
        with open(path, encoding="utf-8") as fh:
            data = json.load(fh)
    except FileNotFoundError:
        raise InputError(path, "id table not found") from None
    except (ValueError, UnicodeDecodeError) as exc:
        raise InputError(path, f"not a JSON id table ({exc})") from None
    if not (isinstance(data, dict) and isinstance(data.get("ids"), dict)
            and isinstance(data.get("redirects", {}), dict)):
        raise InputError(path, 'an id table is a JSON object with "ids" and "redirects"')
    if data.get("version", _VERSION) != _VERSION:
        raise InputError(path, f"id table version {data.get('version')!r}; this kg reads version {_VERSION}")
    return NodeIndex(dict(data["ids"]), dict(data.get("redirects", {})))


def write_index(index, path):
    """Write `index` as JSON (sorted, atomically).

    Examples
    --------
    >>> import pathlib, tempfile
    >>> p = pathlib.Path(tempfile.mkdtemp()) / "ids.json"
    >>> write_index(NodeIndex({"lora": {"label": "LoRA", "type": "Method", "keys": ["lora"]}}), p)
    >>> read_index(p).ids["lora"]["keys"]
    ['lora']
    """
    data = {"version": _VERSION, "ids": dict(sorted(index.ids.items())),
            "redirects": dict(sorted(index.redirects.items()))}
    with atomic_write(path) as fh:
        json.dump(data, fh, ensure_ascii=False, indent=1, sort_keys=True)
        fh.write("\n")
