"""Features of an assembled entity for the role classifier: what the role rules say of each of its mentions.

The role rules (:func:`kg.extract.roles.role_rule`) decide a role per mention from the document analysis (what
"we propose", what is compared against, what the work uses, the title's name...). The role classifier learns how
far to trust them: for each entity it sees the votes of its mentions, which scopes its mentions fall in
(:class:`kg.extract.analysis.DocAnalysis`) and which named patterns (:mod:`kg.extract.patterns`) put them in a
slot, where it first appears, its type, shape and confidence, and the role
the rules gave the entity. Its classes (:data:`ROLE_CLASSES`) include ``none`` (not an annotated entity at all)
and ``generic`` so that it learns from every entity the pipeline assembles.
"""

from __future__ import annotations

from ..records import ENTITY_TYPES, ROLES
from .entity_types import is_name_like
from .extensions import SPAN_KEY
from .patterns import span_hits
from .relation_patterns import is_coined
from .roles import _after_own_head, _in_own_sentence, role_rule
from .sentences import sentences

__all__ = ["ROLE_CLASSES", "entity_features", "decide_role", "decide_roles_from_probs"]

#: Classes of the role classifier.
ROLE_CLASSES = ("none", "generic", *ROLES)
_SCOPES = ("proposed", "baseline", "used", "appos", "means", "named", "winner", "title_def", "negated")
_OWN_WORDS = {"our", "proposed", "novel", "new"}


def entity_features(doc, entities, analysis, known=frozenset()):
    """Feature rows of the entities of a doc.

    Parameters
    ----------
    doc : spacy.tokens.Doc
        With ``doc.spans["kg_entities"]`` (mentions, ``kb_id_`` = entity key).
    entities : dict
        Key -> :class:`kg.records.Entity` (``doc._.kg_entities``).
    analysis : kg.extract.analysis.DocAnalysis
    known : set of str
        Names of the curated gazetteers.

    Returns
    -------
    keys : list of str
    rows : list of dict
    """
    scopes = analysis.scopes
    end = analysis.title_end or 0
    sents = sentences(doc)
    sent_of = {t.i: k for k, s in enumerate(sents) for t in s}
    by_key = {}
    for span in doc.spans[SPAN_KEY] if SPAN_KEY in doc.spans else []:
        by_key.setdefault(span.kb_id_, []).append(span)
    abbreviated = {t.i for pair in analysis.abbreviations for sp in pair for t in sp}
    n_proposed = sum(e.role == "proposed" for e in entities.values())
    keys, rows = [], []
    for key, e in entities.items():
        spans = by_key.get(key, [])
        f = {"type": ENTITY_TYPES.index(e.type), "generic": int(e.generic), "rule_role": ROLES.index(e.role),
             "confidence": e.confidence, "mentions": len(spans), "aliases": len(e.aliases),
             "name_like": int(is_name_like(e.name)), "coined": int(is_coined(e.name)), "known": int(e.name in known),
             "words": len(e.name.split()), "proposed_in_doc": n_proposed,
             "abbreviated": int(any(t in abbreviated for s in spans for t in range(s.start, s.end))),
             "first_sentence": min((sent_of.get(s.start, 99) for s in spans), default=99)}
        f.update({f"vote_{r}": 0 for r in ROLES})
        f.update({f"scope_{n}": 0 for n in _SCOPES})
        f.update({"in_title": 0, "title_name": 0, "after_own_head": 0, "own_word_before": 0, "own_sentence": 0})
        for span in spans:
            tokens = set(range(span.start, span.end))
            role, _ = role_rule(span, e.type, scopes, e.name in known)
            f[f"vote_{role}"] += 1
            for n in _SCOPES:
                f[f"scope_{n}"] += bool(tokens & set(scopes.get(n, ())))
            f["in_title"] += span.start < end
            f["title_name"] += bool(tokens & set(scopes.get("title") or ()))
            f["after_own_head"] += _after_own_head(span)
            f["own_word_before"] += any(t.lower_ in _OWN_WORDS for t in doc[max(0, span.start - 2):span.start])
            f["own_sentence"] += _in_own_sentence(span, scopes)
            for name, value in span_hits(span, analysis.hits).items():
                f[name] = f.get(name, 0) + value
        f["own_fraction"] = f["own_sentence"] / max(1, len(spans))
        keys.append(key)
        rows.append(f)
    return keys, rows


def decide_role(entity, probs, classes, proposed=None):
    """The role the entity's type allows (Dataset, Task, Metric: used or mentioned) and its probability among
    those roles: the most probable one, or, given a `proposed` threshold (chosen out of fold by ``kg train``),
    ``proposed`` exactly when its probability reaches it and otherwise the most probable of the others.

    >>> from kg.records import Entity
    >>> decide_role(Entity("ImageNet", "Dataset"), [0.1, 0.0, 0.5, 0.0, 0.3, 0.1], ROLE_CLASSES)
    ('used', 0.75)
    >>> decide_role(Entity("X", "Method"), [0.0, 0.0, 0.4, 0.1, 0.5, 0.0], ROLE_CLASSES)
    ('used', 0.5)
    >>> decide_role(Entity("X", "Method"), [0.0, 0.0, 0.4, 0.1, 0.5, 0.0], ROLE_CLASSES, proposed=0.35)
    ('proposed', 0.4)
    """
    allowed = ROLES if entity.type in ("Method", "Model") else ("used", "mentioned")
    weights = {r: float(probs[classes.index(r)]) for r in allowed}
    total = sum(weights.values()) or 1.0
    if proposed is not None and "proposed" in allowed:
        if weights["proposed"] / total >= proposed:
            return "proposed", round(weights["proposed"] / total, 3)
        allowed = tuple(r for r in allowed if r != "proposed")
    role = max(allowed, key=weights.__getitem__)
    return role, round(weights[role] / total, 3)


def decide_roles_from_probs(doc, proposed=None):
    """Give each entity of `doc` the role :func:`decide_role` reads from its role probabilities
    (``doc._.kg_role_probs``, by class), with the ``proposed`` threshold if one is given; a role the classifier
    changes loses the role rules' provenance."""
    for key, probs in (doc._.kg_role_probs or {}).items():
        e = doc._.kg_entities[key]
        role, confidence = decide_role(e, list(probs.values()), list(probs), proposed)
        if role != e.role:
            e.provenance = [x for x in e.provenance if not x.startswith("roles.")]
        e.role, e.role_confidence = role, confidence
