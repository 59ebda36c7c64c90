"""Relation merging across papers and family/variant links (issue 4; relation semantics in GUIDELINE.md).

One edge per (subject, predicate, object) of corpus entities, with its support (distinct papers) and every
evidence sentence; ``combinesWith`` is symmetric, so it is stored once with its endpoints in sorted id order.
Relations that touch a generic entity, lose an endpoint to the curation file, or become self-loops by merging
are dropped and counted.

``variantOf`` links a version or size to its family when the family is a node: "LLaMA-2-7B" -> "LLaMA-2",
"BERT-base" -> "BERT", "Llama-3-8B-Instruct" -> "Llama-3-8B" (the nearest family present). Only a trailing,
separate size, variant word or version token is stripped, never a number inside a name, so GPT-4 can be a variant
of GPT but never of GPT-3.
"""

import re
from collections import defaultdict
from dataclasses import dataclass, field

from ..records import RELATIONS
from .normalize import normalize, tokens_of

__all__ = ["CorpusRelation", "SYMMETRIC", "merge_relations", "find_variants", "family_candidates"]

#: Relations stored once per unordered pair.
SYMMETRIC = frozenset({"combinesWith"})
#: Trailing words that name a size or flavour of a model, not another model.
VARIANT_WORDS = frozenset(
    "base large small tiny mini medium xl xxl huge giant chat instruct it hf turbo lite nano pro plus ultra "
    "uncased cased".split()
)
_SIZE = re.compile(r"\d+(?:\.\d+)?[kmbt]|\d+x\d+(?:\.\d+)?[bm]|[bslhg]|v\d+(?:\.\d+)*|\d+(?:\.\d+)?")
#: Types a family and its variant may have.
_FAMILY_TYPES = ({"Model", "Method"}, {"Dataset"}, {"Task"}, {"Metric"})


@dataclass
class CorpusRelation:
    """A relation between two corpus entities, merged over papers."""

    subject: str
    predicate: str
    object: str
    support: int = 0
    evidence: list = field(default_factory=list)
    confidence: float = 1.0


def _lookup(records):
    """Entity key, name, alias or normalised key -> record, for the records of one paper (keys and names first)."""
    by_name, by_form, by_key = {}, {}, {}
    for r in records:
        by_name.setdefault(r.entity.key, r)
        by_name.setdefault(r.entity.name, r)
        for f in r.forms:
            by_form.setdefault(f.text, r)
            by_key.setdefault(f.key, r)

    def find(name):
        return by_name.get(name) or by_form.get(name) or by_key.get(normalize(name).key)

    return find


def merge_relations(extractions, records, entities, drop=frozenset()):
    """Merge the relations of every paper onto corpus entities.

    Parameters
    ----------
    extractions : list of PaperExtraction
    records : list
        The linker's per-paper records, each with ``paper``, ``entity``, ``forms`` and ``cluster`` (an id).
    entities : dict of str to CorpusEntity
    drop : set of str
        Keys the curation file drops.

    Returns
    -------
    relations : list of CorpusRelation
        Sorted by (subject, predicate, object).
    report : dict
        ``relations_in``, ``relations_out`` and ``dropped`` (a Counter by reason).
    """
    per_paper = defaultdict(list)
    for r in records:
        per_paper[r.paper].append(r)
    merged, dropped = {}, defaultdict(int)
    n_in = 0
    for ext in sorted(extractions, key=lambda e: e.id):
        find = _lookup(per_paper.get(ext.id, []))
        for rel in ext.relations:
            n_in += 1
            if rel.predicate not in RELATIONS:
                dropped["relation_predicate"] += 1
                continue
            rs, ro = find(rel.subject), find(rel.object)
            if rs is None or ro is None:
                names = (rel.subject, rel.object)
                reason = "curation" if any(normalize(n).key in drop for n in names) else "unresolved"
                dropped[f"relation_{reason}"] += 1
                continue
            if rs.entity.generic or ro.entity.generic or entities[rs.cluster].generic or entities[ro.cluster].generic:
                dropped["relation_generic"] += 1
                continue
            s, o = rs.cluster, ro.cluster
            if s == o:
                dropped["relation_self_loop"] += 1
                continue
            if rel.predicate in SYMMETRIC and o < s:
                s, o = o, s
            m = merged.setdefault((s, rel.predicate, o), CorpusRelation(s, rel.predicate, o))
            ev = {"paper": ext.id, "sentence": rel.evidence, "start": rel.start, "end": rel.end,
                  "confidence": rel.confidence}
            if ev not in m.evidence:
                m.evidence.append(ev)
    out = []
    for key in sorted(merged):
        m = merged[key]
        m.support = len({e["paper"] for e in m.evidence})
        m.confidence = max(e["confidence"] for e in m.evidence)
        out.append(m)
    return out, {"relations_in": n_in, "relations_out": len(out), "dropped": dict(dropped)}


def family_candidates(spaced):
    """Normalised names of the families of a name, nearest first, by stripping trailing variant tokens.

    Examples
    --------
    >>> family_candidates("llama-2-7b-chat")
    ['llama 2 7b', 'llama 2', 'llama']
    >>> family_candidates("gpt-4"), family_candidates("t5")
    (['gpt'], [])
    """
    tokens = tokens_of(spaced)
    out = []
    while len(tokens) > 1 and (tokens[-1] in VARIANT_WORDS or _SIZE.fullmatch(tokens[-1])):
        tokens = tokens[:-1]
        if not any(c.isalpha() for c in "".join(tokens)):
            break
        out.append(" ".join(tokens))
    return out


def find_variants(entities, key_owner):
    """``(variant id, family id)`` pairs: each non-generic entity linked to its nearest family node.

    Parameters
    ----------
    entities : dict of str to CorpusEntity
    key_owner : dict of str to str
        Normalised key -> id of the entity that owns it.

    Returns
    -------
    list of tuple of str
    """
    out = []
    for eid in sorted(entities):
        ent = entities[eid]
        if ent.generic:
            continue
        for text in [ent.label, *ent.aliases]:
            family = None
            for cand in family_candidates(normalize(text).spaced):
                fid = key_owner.get(normalize(cand).key)
                if fid is not None and fid != eid:
                    family = fid
                    break
            if family is not None:
                fam = entities[family]
                if not fam.generic and any(ent.type in g and fam.type in g for g in _FAMILY_TYPES):
                    out.append((eid, family))
                break
    return out
