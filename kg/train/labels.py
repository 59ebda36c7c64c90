"""Training labels from gold annotations, matched the way ``devset/score.py`` matches predictions.

An entity matches a gold entity when any of its surface forms equals any of the gold entity's forms after
normalisation (:func:`kg.extract.termstats.norm_form`), so a candidate span is labelled with the type of the gold
entity one of whose forms it spells, ``"Generic"`` when only a broad-class entity has that form, else ``"O"``;
an entity pair is labelled with the gold relations between the gold entities its ends match.
"""

from __future__ import annotations

from ..extract.relation_features import PAIR_CLASSES
from ..extract.termstats import norm_form

__all__ = ["gold_forms", "entity_forms", "mention_label", "pair_labels", "role_label"]


def entity_forms(name, aliases=()):
    """Normalised forms of a name and its aliases (empty ones dropped)."""
    out = {norm_form(name)} | {norm_form(a) for a in aliases or ()}
    out.discard("")
    return out


def gold_forms(gold):
    """``(typed, generic)``: normalised form -> type of the non-generic gold entities, and the forms of the
    generic ones."""
    typed, generic = {}, set()
    for e in gold["entities"]:
        forms = entity_forms(e["name"], e.get("aliases"))
        if e.get("generic"):
            generic |= forms
        else:
            for f in forms:
                typed.setdefault(f, e["type"])
    return typed, generic


def mention_label(text, forms):
    """Label of a candidate span's text given :func:`gold_forms`.

    >>> forms = gold_forms({"entities": [{"name": "LoRA", "aliases": ["Low-Rank Adaptation"], "type": "Method"},
    ...                                  {"name": "LLMs", "type": "Model", "generic": True}]})
    >>> mention_label("low-rank adaptation", forms), mention_label("LLMs", forms), mention_label("training", forms)
    ('Method', 'Generic', 'O')
    """
    typed, generic = forms
    key = norm_form(text)
    if key in typed:
        return typed[key]
    return "Generic" if key in generic else "O"


def _matches(entity, gold):
    forms = entity_forms(entity.name, entity.aliases)
    return [g for g in gold["entities"] if forms & entity_forms(g["name"], g.get("aliases"))]


def role_label(entity, gold):
    """The gold role of the gold entity an extracted entity matches; ``"generic"`` for a broad class, ``"none"``
    when it matches nothing."""
    for g in _matches(entity, gold):
        return "generic" if g.get("generic") else g.get("role") or "used"
    return "none"


def pair_labels(a, b, gold):
    """The :data:`kg.extract.relation_features.PAIR_CLASSES` labels of extracted entities `a` and `b` (A first):
    every gold relation between the gold entities their ends match, in class order, or ``("none",)``.

    A pair can hold two relations: a method built on another and compared with it ("MoMo-Adam ... outperforms
    Adam") is annotated both ``combinesWith`` and ``outperforms`` (155 pairs of the 3,118 annotated abstracts).

    Examples
    --------
    >>> from kg.records import Entity
    >>> gold = {"entities": [{"name": "X", "type": "Method"}, {"name": "Y", "type": "Method"}],
    ...         "relations": [{"s": "Y", "p": "outperforms", "o": "X"}, {"s": "Y", "p": "combinesWith", "o": "X"}]}
    >>> pair_labels(Entity("X", "Method"), Entity("Y", "Method"), gold)
    ('outperforms_rev', 'combinesWith')
    >>> pair_labels(Entity("X", "Method"), Entity("Z", "Method"), gold)
    ('none',)
    """
    ga = {g["name"] for g in _matches(a, gold) if not g.get("generic")}
    gb = {g["name"] for g in _matches(b, gold) if not g.get("generic")}
    found = set()
    for r in gold["relations"] if ga and gb else ():
        s, p, o = r["s"], r["p"], r["o"]
        forward, backward = s in ga and o in gb, s in gb and o in ga
        if p == "combinesWith" and (forward or backward):
            found.add(p)
        elif p in ("outperforms", "evaluatedOn") and (forward or backward):
            found.add(p if forward else f"{p}_rev")
    return tuple(c for c in PAIR_CLASSES if c in found) or ("none",)
