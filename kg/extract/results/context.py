"""What the attachment rules of ``kg_results`` share: the entity mentions of a doc, the paper's own
contribution, sentences, and the number on its way to a result."""

from dataclasses import dataclass, field

from ..extensions import SPAN_KEY

__all__ = ["Mentions", "anchor_entity"]

#: Words joining the numbers of one list ("15% and 24%", "from 26.4% to 13.2%").
_LIST_JOINERS = frozenset(", and or to from - – vs vs. versus / respectively".split())


@dataclass
class Mentions:
    """The entity mentions of a doc, overlaps resolved to the longest: ``by_token`` maps a token index to its
    ``(start, end, key)``."""

    doc: object
    entities: dict
    spans: list = field(default_factory=list)
    by_token: dict = field(default_factory=dict)

    @classmethod
    def of(cls, doc):
        entities = doc._.kg_entities if doc._.kg_entities is not None else {}
        spans = [s for s in (doc.spans[SPAN_KEY] if SPAN_KEY in doc.spans else []) if s.kb_id_ in entities]
        m = cls(doc, entities)
        for s in sorted(spans, key=lambda s: (s.start - s.end, s.start)):
            if all(i not in m.by_token for i in range(s.start, s.end)):
                m.spans.append((s.start, s.end, s.kb_id_))
                m.by_token.update((i, (s.start, s.end, s.kb_id_)) for i in range(s.start, s.end))
        m.spans.sort()
        return m

    def at(self, i, types=None, specific=False):
        """The ``(start, end, key)`` of the mention covering token `i` (of one of `types`, not generic)."""
        hit = self.by_token.get(i)
        if hit is None:
            return None
        ent = self.entities[hit[2]]
        if (types and ent.type not in types) or (specific and ent.generic):
            return None
        return hit

    def within(self, start, end, types, specific=True):
        """Mentions of `types` inside tokens ``[start, end)``, in order."""
        return [m for m in self.spans if start <= m[0] and m[1] <= end and self.entities[m[2]].type in types
                and not (specific and self.entities[m[2]].generic)]


def anchor_entity(mentions, title_end=None, relations=()):
    """Key of the paper's own contribution: a proposed, specific method or model; among several, the one that is
    the subject of most relations (`relations`: :class:`kg.records.Relation` between entity names), then the one
    named in the title, then the most mentioned, then the first. None when nothing is proposed."""
    counts, first, in_title = {}, {}, set()
    as_subject = {}
    for r in relations:
        as_subject[r.subject] = as_subject.get(r.subject, 0) + (r.predicate != "combinesWith")
    for s, e, key in mentions.spans:
        ent = mentions.entities[key]
        if ent.role != "proposed" or ent.generic or ent.type not in ("Method", "Model"):
            continue
        counts[key] = counts.get(key, 0) + 1
        first.setdefault(key, s)
        if title_end is not None and s < title_end:
            in_title.add(key)
    if not counts:
        return _main_entity(mentions, title_end)
    names = {k: mentions.entities[k].name for k in counts}
    return min(counts, key=lambda k: (-as_subject.get(names[k], 0), k not in in_title, -counts[k], first[k]))


def _main_entity(mentions, title_end):
    """When nothing is proposed: the first specific method or model of the title, else the most mentioned one
    that is no baseline."""
    counts, first = {}, {}
    for s, e, key in mentions.spans:
        ent = mentions.entities[key]
        if ent.generic or ent.type not in ("Method", "Model") or ent.role == "baseline":
            continue
        if title_end is not None and s < title_end:
            return key
        counts[key] = counts.get(key, 0) + 1
        first.setdefault(key, s)
    return min(counts, key=lambda k: (-counts[k], first[k])) if counts else None


def _sentence(doc, i):
    try:  # not doc.has_annotation, which walks the whole doc at every call
        return doc[i].sent
    except ValueError:  # no sentence boundaries
        return doc[:]


@dataclass
class _Draft:
    """A number on its way to a :class:`kg.records.Result`: what each rule decided and why."""

    number: object
    token: int
    sent: object
    metric: tuple = None  # (start, end, written) in the doc, or (None, None, name) for a word-stated measure
    metric_alias: str = ""
    metric_key: str = None
    rules: list = field(default_factory=list)


def _list_members(doc, numbers):
    """Indices of the numbers listed together with each number ("15% and 24%", "from 26.4% to 13.2%")."""
    groups, current = [], [0] if numbers else []
    for k in range(1, len(numbers)):
        a, b = numbers[k - 1], numbers[k]
        between = doc[a.end:b.start]
        joined = len(between) <= 3 and all(t.lower_ in _LIST_JOINERS or t.text in "()" for t in between)
        if a.group == b.group or (joined and _sentence(doc, a.start).start == _sentence(doc, b.start).start):
            current.append(k)
        else:
            groups.append(current)
            current = [k]
    if current:
        groups.append(current)
    return {k: g for g in groups for k in g}


def _token_of(doc, char):
    tok = doc.char_span(char, char + 1, alignment_mode="expand")
    return tok.start if tok is not None else 0
