"""Candidate entity pairs and their features: what the relation classifier decides on.

A candidate is two non-generic entities of one abstract: two mentions in one sentence (at least one of them a
method or model); the paper's contribution (the *anchor*) with an entity of a sentence that speaks of the work
without naming it ("we", "our method", "the proposed"); and any pair a relation rule put forward
(:mod:`kg.extract.relation_rules`), wherever its mentions are. Each candidate is described by named features:
the types and roles of both ends (and the role classifier's probability of each role, when it decided them),
whether one is the anchor, whether one's name is built on the other's (:func:`built_on`), how far apart they
are, which cue words (:mod:`kg.extract.relation_patterns`' lists, e.g. ``outperform_verbs``,
``evaluation_preps``) occur before, between and after them and on the dependency path between their heads, the
preposition each hangs from, which named patterns (:mod:`kg.extract.patterns`) hold the two in their slots, and
which rules proposed which relation with what weight. The classifier's classes (:data:`PAIR_CLASSES`) say which
relation holds and in which direction; a pair can hold two (:func:`kg.train.labels.pair_labels`). The relation
component adds the probabilities of a text model of the pair's context words (:mod:`kg.extract.relation_text`,
``text_<class>``) when its classifier was trained with them.
"""

from __future__ import annotations

from dataclasses import dataclass

from .entity_types import is_name_like
from .patterns import pair_hits
from .relation_patterns import same_thing
from .sentences import sentences

__all__ = ["PAIR_CLASSES", "Pair", "pair_candidates", "dep_path", "built_on", "CUE_GROUPS"]

#: Classes of the relation classifier: no relation; A outperforms B; B outperforms A; A combinesWith B; A evaluatedOn
#: B; B evaluatedOn A (A is the first candidate end).
PAIR_CLASSES = ("none", "outperforms", "outperforms_rev", "combinesWith", "evaluatedOn", "evaluatedOn_rev")
#: Cue word lists of :class:`kg.extract.relation_patterns.Cues` used as features.
CUE_GROUPS = ("outperform_verbs", "improve_verbs", "improvement_heads", "comparison_words", "inferior_words",
              "par_words", "efficiency_cues", "negative_cues", "combine_verbs", "combine_preps", "combine_adjs",
              "strong_combine_cues", "evaluation_cues", "evaluation_preps", "pair_cues", "implicit_subject")
#: Small closed word classes used as features beside the cue lists.
_WORDS = {"than": {"than"}, "and": {"and", ","}, "on": {"on", "across", "over"}, "with": {"with", "using", "via"},
          "into": {"into", "to", "onto"}, "we": {"we", "our"}, "baseline": {"baseline", "baselines"},
          "not": {"not", "no", "without"}}
_PREPS = ("than", "over", "with", "on", "to", "into", "against", "across", "in", "for", "from", "by", "using", "via",
          "of")
_TYPES = ("Method", "Model", "Dataset", "Task", "Metric")
_ROLES = ("proposed", "baseline", "used", "mentioned")
_ACTORS = ("Method", "Model")
#: Relation rule predicates as pair-class features, per direction.
_RULE_FEATURES = {("outperforms", True): "rule_outperforms", ("outperforms", False): "rule_outperforms_rev",
                  ("combinesWith", True): "rule_combinesWith", ("combinesWith", False): "rule_combinesWith",
                  ("evaluatedOn", True): "rule_evaluatedOn", ("evaluatedOn", False): "rule_evaluatedOn_rev"}


@dataclass
class Pair:
    """A candidate pair: its two mentions (:class:`kg.extract.relation_rules.Ref`, A first in the text unless
    A is the anchor standing in for an implicit subject), the sentence index, and how it was found."""

    a: object
    b: object
    sentence: int
    how: str
    others: tuple = ()


class _DocCues:
    """Cue features of token ranges of one doc: ``<prefix><group>`` is 1 when a token's lower-cased lemma or
    form is in a cue group. Each token's words are read once, the flags of each range (or path) computed once,
    however many pairs share it (a sentence: all of its pairs)."""

    def __init__(self, doc, cues):
        self.words = [(t.lemma_.lower(), t.lower_) for t in doc]
        self.cues = cues
        self.flags = {}

    def __call__(self, prefix, indices):
        """The features of the tokens at `indices` (a range or a tuple of token indices)."""
        flags = self.flags.get(indices)
        if flags is None:
            words = set().union(*(self.words[i] for i in indices))
            flags = [(g, int(bool(words & getattr(self.cues, g)))) for g in CUE_GROUPS]
            flags += [(f"w_{g}", int(bool(words & ws))) for g, ws in _WORDS.items()]
            self.flags[indices] = flags
        return {f"{prefix}{name}": value for name, value in flags}


def dep_path(a, b):
    """The tokens on the dependency path between tokens `a` and `b`, through their lowest common ancestor.

    >>> import spacy
    >>> doc = spacy.blank("en")("A beats B")
    >>> [t.text for t in dep_path(doc[0], doc[2])]
    ['A', 'B']
    """
    up_a, up_b = [a, *a.ancestors], [b, *b.ancestors]
    where_b = {t.i: k for k, t in enumerate(up_b)}
    for k, t in enumerate(up_a):
        if t.i in where_b:
            return up_a[:k + 1] + up_b[:where_b[t.i]][::-1]
    return up_a + up_b


def built_on(name, other):
    """1 when name `other` (2 letters or more) is written inside name `name` as a part of it, the way a variant
    names what it extends ("VectorAdam" / "Adam", "SSAM" / "SAM", "Knowledge-CLIP" / "CLIP", "MoMo-Adam"), else 0.
    A feature of the relation classifier: a variant is often built on (combinesWith) and compared with
    (outperforms) what it extends.

    >>> built_on("VectorAdam", "Adam"), built_on("Knowledge-CLIP", "CLIP"), built_on("Adam", "VectorAdam")
    (1, 1, 0)
    >>> built_on("sparse attention", "attention"), built_on("GPT-4", "GPT-4")
    (1, 0)
    """
    a, b = name.lower(), other.lower()
    return int(len(b) >= 2 and len(a) > len(b) and b in a)


def _index(value, options):
    return options.index(value) + 1 if value in options else 0


def _pair_row(doc, sents, pair, anchor, rules, cues, known, title_end, hits, doc_cues):
    a, b = pair.a, pair.b
    ea, eb = a.entity, b.entity
    sent = sents[pair.sentence]
    f = {"type_a": _TYPES.index(ea.type), "type_b": _TYPES.index(eb.type), "role_a": _ROLES.index(ea.role),
         "role_b": _ROLES.index(eb.role), "anchor_a": int(a.key == anchor), "anchor_b": int(b.key == anchor),
         "how": ("sentence", "implicit", "rule").index(pair.how), "name_a": int(is_name_like(ea.name)),
         "name_b": int(is_name_like(eb.name)), "conf_a": ea.confidence, "conf_b": eb.confidence,
         "known_a": int(ea.name.lower() in known), "known_b": int(eb.name.lower() in known),
         "sentence": pair.sentence, "title": int(title_end is not None and sent.start < title_end),
         "sentence_len": len(sent), "built_on_b": built_on(ea.name, eb.name),
         "built_on_a": built_on(eb.name, ea.name)}
    role_probs = doc._.kg_role_probs or {}  # -1: no role classifier decided
    for end, ref in (("a", a), ("b", b)):
        probs = role_probs.get(ref.key, {})
        f.update({f"p_{r}_{end}": probs.get(r, -1.0) for r in _ROLES})
    f.update(doc_cues("sent_", range(sent.start, sent.end)))
    if pair.how == "sentence":
        f["distance"] = b.start - a.end
        f["between"] = sum(1 for r in pair.others if a.end <= r.start and r.end <= b.start)
        f.update(doc_cues("mid_", range(a.end, b.start)))
        f.update(doc_cues("pre_", range(max(sent.start, a.start - 6), a.start)))
        f.update(doc_cues("post_", range(b.end, min(sent.end, b.end + 6))))
        ra, rb = doc[a.start:a.end].root, doc[b.start:b.end].root
        path = dep_path(ra, rb)
        f["path_len"] = len(path)
        f.update(doc_cues("path_", tuple(t.i for t in path)))
        f["conj"] = int(rb.dep_ == "conj" and rb.head.i == ra.i or ra.dep_ == "conj" and ra.head.i == rb.i)
        f["subject_a"] = int(ra.dep_ in ("nsubj", "nsubjpass"))
        f["object_b"] = int(rb.dep_ in ("dobj", "pobj", "attr"))
        f["prep_a"] = _index(ra.head.lower_, _PREPS) if ra.dep_ == "pobj" else 0
        f["prep_b"] = _index(rb.head.lower_, _PREPS) if rb.dep_ == "pobj" else 0
    elif pair.how == "implicit":
        f.update(doc_cues("mid_", range(sent.start, b.start)))
        f.update(doc_cues("post_", range(b.end, sent.end)))
        f["distance"] = f["between"] = f["path_len"] = -1
    else:
        f["distance"] = f["between"] = f["path_len"] = -1
    f.update(pair_hits(doc[a.start:a.end], doc[b.start:b.end], hits))
    for (pred, forward), name in _RULE_FEATURES.items():
        s, o = (ea.name, eb.name) if forward else (eb.name, ea.name)
        f[name] = max(f.get(name, 0), rules.get((s, pred, o), 0))
        if pred == "combinesWith":
            f[name] = max(f[name], rules.get((o, pred, s), 0))
    return f


def pair_candidates(doc, refs, anchor, rule_relations, cues, known=frozenset(), title_end=None, hits=()):
    """Candidate pairs of one doc with their features.

    Parameters
    ----------
    doc : spacy.tokens.Doc
    refs : list of kg.extract.relation_rules.Ref
        Mentions of non-generic entities, in text order (:func:`kg.extract.relations.collect_mentions`).
    anchor : str or None
        Key of the paper's contribution (:func:`kg.extract.relations.main_entity`).
    rule_relations : list of kg.records.Relation
        What the relation rules found, endpoints by entity name.
    cues : kg.extract.relation_patterns.Cues
    known : set of str
        Lower-cased well-known names.
    title_end : int, optional
    hits : list of kg.extract.patterns.Hit
        The named patterns' matches (``doc._.kg_analysis.hits``).

    Returns
    -------
    pairs : list of Pair
    rows : list of dict
    """
    rules = {}
    for r in rule_relations:
        key = (r.subject, r.predicate, r.object)
        rules[key] = max(rules.get(key, 0.0), r.confidence)
    sents = sentences(doc)
    anchor_ref = next((r for r in refs if r.key == anchor), None)
    pairs, seen = [], set()

    def add(a, b, k, how, others=()):
        if a.key == b.key or (a.key, b.key) in seen or (b.key, a.key) in seen:
            return
        if a.entity.type not in _ACTORS and b.entity.type not in _ACTORS:
            return
        if any(same_thing(x, y, cues.name_heads) for x in a.entity.forms for y in b.entity.forms):
            return
        seen.add((a.key, b.key))
        pairs.append(Pair(a, b, k, how, tuple(others)))

    for k, sent in enumerate(sents):
        mine = [r for r in refs if sent.start <= r.start < sent.end]
        for i, a in enumerate(mine):
            for b in mine[i + 1:]:
                add(a, b, k, "sentence", mine)
        if anchor_ref is not None and not any(r.key == anchor for r in mine):
            words = {t.lower_ for t in sent}
            if words & {"we", "our", "ours", "proposed"} or words & set(cues.implicit_subject):
                for b in mine:
                    add(anchor_ref, b, k, "implicit")
    by_name = {}
    for r in refs:
        by_name.setdefault(r.entity.name, r)
    for s, _, o in rules:
        a, b = by_name.get(s), by_name.get(o)
        if a is not None and b is not None:
            k = next((i for i, sent in enumerate(sents) if sent.start <= b.start < sent.end), 0)
            add(a, b, k, "rule")
    doc_cues = _DocCues(doc, cues) if pairs else None
    rows = [_pair_row(doc, sents, p, anchor, rules, cues, known, title_end, hits, doc_cues) for p in pairs]
    return pairs, rows
