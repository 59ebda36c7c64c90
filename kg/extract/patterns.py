"""Named dependency patterns: the rules of extraction as data, applied by one small engine.

Every pattern lives in a JSON file under ``kg/extract/patterns/`` (``roles.json``: cues about one mention,
slot ``x``; ``relations.json``: cues about two, slots ``a`` and ``b``), with an ``id``, what it suggests
(``output``: a role, or a relation and its direction), a sentence saying what it captures (``doc``), a spaCy
``DependencyMatcher`` pattern whose slot nodes head the mentions, and example sentences with the words each slot
must find, which the tests parse and check. :class:`PatternMatcher` applies them all at once (the
``kg_patterns`` component, saved and loaded with the pipeline by ``to_disk`` / ``from_disk``) and records
:class:`Hit` objects in the document analysis. A slot covers the token it matched and that token's conjuncts and
appositions ("outperforms LoRA and DoRA": both are beaten).

Patterns do not decide anything on their own: their hits are features of the mention, role and relation
classifiers (:func:`span_hits`, :func:`pair_hits`), each named by the pattern's id, so that ``kg train``
measures every pattern's precision on the training folds and the classifiers learn how far to trust it.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from spacy.language import Language

from ..errors import KGError
from .extensions import register_extensions
from .rule_index import IndexedDependencyMatcher

__all__ = ["PATTERN_DIR", "Pattern", "Hit", "load_patterns", "PatternMatcher", "span_hits", "pair_hits",
           "covers", "make_patterns"]

#: Where the pattern files ship.
PATTERN_DIR = Path(__file__).parent / "patterns"
_MODIFIER_DEPS = ("compound", "amod", "nmod", "npadvmod", "poss")


@dataclass(frozen=True)
class Pattern:
    """One named pattern (see the module docstring)."""

    id: str
    doc: str
    output: dict
    pattern: list
    examples: tuple

    @property
    def slots(self):
        """The names of the nodes that head mentions (``x``, or ``a`` and ``b``)."""
        return tuple(n["RIGHT_ID"] for n in self.pattern if n["RIGHT_ID"] in ("x", "a", "b"))


@dataclass(frozen=True)
class Hit:
    """A match of one pattern: slot name -> the token indices it covers."""

    id: str
    slots: tuple

    def tokens(self, slot):
        """The token indices slot `slot` covers."""
        return dict(self.slots).get(slot, frozenset())


def load_patterns(directory=PATTERN_DIR):
    """Every pattern of the ``*.json`` files of `directory`, in file and list order.

    Raises
    ------
    KGError
        On a file that is not JSON, a pattern without id or slot, or an id used twice.

    Examples
    --------
    >>> ids = [p.id for p in load_patterns()]
    >>> "role.propose-object" in ids and "rel.subject-beats-object" in ids
    True
    """
    out, seen = [], set()
    for path in sorted(Path(directory).glob("*.json")):
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except ValueError as exc:
            raise KGError(f"{path}: not JSON ({exc})") from None
        for p in data["patterns"]:
            pat = Pattern(p["id"], p.get("doc", ""), p["output"], p["pattern"], tuple(p.get("examples", ())))
            if not pat.id or pat.id in seen or not pat.slots:
                raise KGError(f"{path}: pattern {pat.id!r} has no id, is defined twice or has no slot")
            seen.add(pat.id)
            out.append(pat)
    return out


def _expand(tok):
    """`tok` with its conjuncts and appositions, recursively."""
    out, todo = set(), [tok]
    while todo:
        t = todo.pop()
        if t.i in out:
            continue
        out.add(t.i)
        todo.extend(c for c in t.children if c.dep_ in ("conj", "appos"))
    return frozenset(out)


class PatternMatcher:
    """Applies :func:`load_patterns` patterns to docs (the ``kg_patterns`` component).

    Parameters
    ----------
    vocab : spacy.vocab.Vocab
    patterns : list of Pattern, optional
        Default: the shipped ones.
    """

    def __init__(self, vocab, patterns=None, name="kg_patterns"):
        register_extensions()
        self.name = name
        self.vocab = vocab
        self._set(patterns if patterns is not None else load_patterns())

    def _set(self, patterns):
        self.patterns = list(patterns)
        self.by_id = {p.id: p for p in self.patterns}
        self.matcher = IndexedDependencyMatcher(self.vocab)  # spaCy's, its nodes' tokens looked up
        for p in self.patterns:
            self.matcher.add(p.id, [p.pattern])

    def hits(self, doc):
        """Every :class:`Hit` in `doc` (one per distinct set of slot tokens)."""
        if not doc.has_annotation("DEP"):
            return []
        out = set()
        for match_id, tokens in self.matcher(doc):
            p = self.by_id[self.vocab.strings[match_id]]
            names = [n["RIGHT_ID"] for n in p.pattern]
            slots = tuple(sorted((n, _expand(doc[t])) for n, t in zip(names, tokens) if n in p.slots))
            out.add(Hit(p.id, slots))
        return sorted(out, key=lambda h: (h.id, h.slots))

    def __call__(self, doc):
        if doc._.kg_analysis is not None:
            doc._.kg_analysis.hits = self.hits(doc)
        return doc

    def to_disk(self, path, exclude=()):
        """Save the patterns (one ``patterns.json``) with the pipeline."""
        path = Path(path)
        path.mkdir(parents=True, exist_ok=True)
        data = {"patterns": [{"id": p.id, "doc": p.doc, "output": p.output, "pattern": p.pattern,
                              "examples": list(p.examples)} for p in self.patterns]}
        (path / "patterns.json").write_text(json.dumps(data, indent=1), encoding="utf-8")

    def from_disk(self, path, exclude=()):
        """Load the patterns saved by :meth:`to_disk`."""
        self._set(load_patterns(path))
        return self


def covers(span, tokens):
    """True when a slot's `tokens` head the mention `span`: a token of it, or the noun its root modifies
    ("the LoRA adapters": a slot on "adapters" covers "LoRA")."""
    return _covers(_anchor(span), tokens)


def _anchor(span):
    """What :func:`covers` reads of a span, computed once: its bounds and, when its root modifies a word
    outside it, that word's index (else -1)."""
    root = span.root
    head = root.head.i if root.dep_ in _MODIFIER_DEPS else -1
    return span.start, span.end, -1 if span.start <= head < span.end else head


def _covers(anchor, tokens):
    return not frozenset(tokens).isdisjoint(_probe(anchor))


def _probe(anchor):
    """The token indices of which a slot must hold one to cover the span of `anchor` (-1, no head, is none)."""
    start, end, head = anchor
    return (*range(start, end), head)


def span_hits(span, hits):
    """Feature dict of a mention: ``pattern:<id>:<slot>`` -> 1 for each hit whose slot covers it."""
    out = {}
    if hits:
        probe = _probe(_anchor(span))
        for h in hits:
            for slot, tokens in h.slots:
                if not frozenset(tokens).isdisjoint(probe):  # _covers, inlined (slots are frozensets already)
                    out[f"pattern:{h.id}:{slot}"] = 1
    return out


def pair_hits(a, b, hits):
    """Feature dict of a mention pair: ``pattern:<id>`` -> 1 when a hit's slot ``a`` covers `a` and ``b``
    covers `b`; ``pattern:<id>:rev`` when the other way round."""
    out = {}
    if not hits:
        return out
    anchor_a, anchor_b = _anchor(a), _anchor(b)
    for h in hits:
        ta, tb = h.tokens("a"), h.tokens("b")
        if not ta or not tb:
            continue
        if _covers(anchor_a, ta) and _covers(anchor_b, tb):
            out[f"pattern:{h.id}"] = 1
        if _covers(anchor_a, tb) and _covers(anchor_b, ta):
            out[f"pattern:{h.id}:rev"] = 1
    return out


@Language.factory("kg_patterns", assigns=["doc._.kg_analysis"], requires=["doc._.kg_analysis"])
def make_patterns(nlp, name):
    """Build the ``kg_patterns`` component (after ``kg_analysis``) with the shipped pattern files."""
    return PatternMatcher(nlp.vocab, name=name)
