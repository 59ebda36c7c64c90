"""Attachment of the numbers that :mod:`kg.extract.results` finds: metric, subject, dataset, kind and baseline.

Each decision is a named rule, recorded in the result's provenance (``metric:after``, ``subject:clause``...), so
that the precision of every rule is measured on the training annotations (``benchmarks/results_cv.py``). The
rules read the entities of the earlier components (``doc._.kg_entities``, ``doc.spans["kg_entities"]``) and the
dependency parse when there is one; on a doc without a parse they fall back to word order.

Metric, in order (the first that applies): a measure named right after the number ("87.3% top-1 accuracy",
"a 2.1% improvement in accuracy", "3% CTR gain" -> CTR), a metric word after it ("2.4x faster" -> speedup), the
measure right before it ("an accuracy of 87%", "FID 1.95", "from 26.4% to 13.2%"), "X% of the parameters", the
object of a verb before "by" ("reduces bandwidth usage by 3.7x", "accelerates X by 6x" -> speedup), the metric of
the numbers listed with it ("15% and 24% higher FLOPs reduction"), of the previous number of the sentence
("A achieves 10.4% accuracy, B (5.5%)"), a Metric mention of the sentence, then of the previous result.
"""

import re
from dataclasses import dataclass, field

from ..records import Entity, Mention, Result, entity_key
from .extensions import SPAN_KEY
from .results import canonical_doc, find_numbers

__all__ = ["RULE_CONFIDENCE", "Mentions", "anchor_entity", "metric_phrase", "extract_results"]

#: Confidence of a result by the rule that found its metric: the precision of the rule measured on the
#: training annotations (``benchmarks/results_cv.py``), rounded down.
RULE_CONFIDENCE = {
    "metric:after": 0.85, "metric:cue": 0.75, "metric:before": 0.75, "metric:of": 0.75, "metric:by": 0.75,
    "metric:list": 0.75, "metric:previous": 0.65, "metric:unit": 0.55, "metric:performance": 0.4,
    "metric:sentence": 0.4, "metric:inherit": 0.35,
}
#: Where a dataset is looked for when the number's sentence names none: the previous sentence, the paper's only
#: dataset.
DATASET_FALLBACK = ("previous", "paper")
#: Words skipped between a number and the measure after it ("a 2% higher top-1 accuracy").
_SKIP_AFTER = frozenset("higher lower better worse relative absolute average overall additional more less fewer "
                        "greater further extra total consistent significant substantial notable real-world "
                        "end-to-end slight small large original baseline mean minimal marginal negligible huge "
                        "remarkable impressive considerable lossless respective smaller larger faster slower "
                        "cheaper bigger shorter longer -".split())
#: Words skipped between the measure before a number and the number ("an accuracy of 87%", "FID = 2.1").
_SKIP_BEFORE = frozenset("of = : is was from to ( at reaching reaches around".split())
#: Words joining the numbers of one list ("15% and 24%", "from 26.4% to 13.2%").
_LIST_JOINERS = frozenset(", and or to from - – vs vs. versus / respectively".split())
#: Words that stand for the paper's own contribution as a clause subject.
_SELF = frozenset("we our it this ours they".split())
#: Comparatives that make the number before them a difference ("2% higher", "3x smaller").
_COMPARATIVES = frozenset("higher lower better worse more less fewer faster slower smaller larger greater cheaper "
                          "bigger shorter longer".split())
#: Verbs of keeping a share of something ("retains 95% of the accuracy"): a difference to the original.
_KEEP_VERBS = frozenset("retain maintain preserve keep recover preserv".split())
#: Verbs that make the number after them a change ("removing 60% of the parameters", "saves 40% cost").
_CHANGE_VERBS = frozenset("remove prune save cut reduce eliminate trim shrink halve remov reduc halv".split())
#: Measures that are differences by themselves ("an average speedup of 1.27").
_RELATIVE_MEASURES = frozenset("speedup speedups speed-up speed-ups acceleration improvement improvements gain gains "
                               "reduction reductions".split())
#: Parts of speech of words that can modify a measure noun.
_NOUNISH = ("NOUN", "PROPN", "X", "NUM")
#: An unknown acronym right after a number names its measure ("14.5% in SUC").
_ACRONYM = re.compile(r"(?=.*[A-Z].*[A-Z])[A-Za-z][A-Za-z0-9@\-]*")
#: The measure annotators name when a difference states none ("outperforms X by 5%").
FALLBACK_METRIC = "performance"


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
    return doc[i].sent if doc.has_annotation("SENT_START") else doc[:]


def _is_number(tok):
    return bool(re.search(r"\d", tok.text)) and not re.search(r"[a-zA-Z]{2}", tok.text.replace("times", ""))


def _word_ok(tok, pats):
    """A token that can be part of a measure's name."""
    low = tok.lower_
    if low == "-":
        return True
    if tok.is_punct:
        return False
    if tok.pos_ in ("DET", "ADP", "CCONJ", "SCONJ", "PRON", "AUX", "VERB", "PART"):
        return tok.pos_ == "VERB" and low in pats.metric_heads
    return not _is_number(tok) or bool(re.search(r"[a-zA-Z]", low))


def _hyphenated(doc, i):
    """Token `i` is part of a hyphenated word ("on-chip", "state-of-the-art")."""
    return (i + 1 < len(doc) and doc[i + 1].text == "-" and not doc[i].whitespace_ and not doc[i + 1].whitespace_) or (
        i > 1 and doc[i - 1].text == "-" and not doc[i - 2].whitespace_ and not doc[i - 1].whitespace_)


def _skippable(tok):
    """An evaluative or comparative word before a measure ("a 2% higher top-1 accuracy", "slight drop")."""
    return tok.lower_ in _SKIP_AFTER or tok.tag_ in ("JJR", "JJS", "RBR", "RBS")


def _is_head(tok, pats, mentions):
    return (tok.lower_ in pats.metric_heads or tok.lemma_.lower() in pats.metric_heads
            or tok.lower_ in pats.change_heads or bool(mentions.at(tok.i, ("Metric",))))


def metric_phrase(doc, start, end, pats, mentions, direction=1):
    """The measure named by the words from token `start` on (direction 1) or up to token `end` - 1 (-1).

    Returns ``(first, last + 1, head)`` token indices of the phrase and of its head word, or None when the
    words there name no measure. A Metric mention there is taken whole; otherwise the phrase is the run of noun
    and name words (hyphens inside) whose last word is a measure noun (:attr:`ResultPatterns.metric_heads`) or
    a change noun ("improvement", "reduction"), without evaluative words before it ("slight", "higher").
    Words of other entities' mentions (a dataset, a model) end it; a possessive restarts it ("the 11B
    model's performance" -> performance).
    """
    if direction == 1:
        i = start
        while i < end and not mentions.at(i, ("Metric",)):
            if _skippable(doc[i]):
                i += 1
            elif doc[i:i + 5].text.replace(" ", "").lower() in _SKIP_AFTER:  # "end-to-end" as five tokens
                i += 5
            else:
                break
        if i >= end:
            return None
        m = mentions.at(i, ("Metric",))
        if m:  # a Metric mention, with the change noun after it ("FLOPs reduction")
            grown = m[1] < end and doc[m[1]].lower_ in pats.change_heads
            return (m[0], m[1] + 1, m[1]) if grown else (m[0], m[1], m[1] - 1)
        j = i
        while j < end:
            tok = doc[j]
            if tok.tag_ == "POS" or tok.lower_ in ("'s", "’s"):
                i = j = j + 1
                continue
            other = mentions.at(j, ("Method", "Model", "Task"))
            if other and other[0] == j and (_is_head(doc[other[1] - 1], pats, mentions) or any(
                    _is_head(t, pats, mentions) for t in doc[other[1]:min(end, other[1] + 2)])):
                j = other[1]  # a method named inside a measure ("KV cache budget"), a task named as one
                continue
            if not (_word_ok(tok, pats) or _hyphenated(doc, j)) or mentions.at(j, ("Method", "Model", "Dataset", "Task")):
                break
            if tok.lower_ == "-" and (tok.whitespace_ or j == i or doc[j - 1].whitespace_):
                break
            if mentions.at(j, ("Metric",)):  # a measure named inside ("a 3% CTR gain")
                j = mentions.at(j, ("Metric",))[1]
                continue
            j += 1
        # the run ends at its last measure or change noun ("inference speedup on", "accuracy improvement")
        run_end = j
        while j > i and not _is_head(doc[j - 1], pats, mentions):
            j -= 1
        if j == i and run_end > i and _ACRONYM.fullmatch(doc[i].text):  # "by 14.5% in SUC", "2.1 NDCG"
            return i, i + 1, i
        while i < j - 1 and _skippable(doc[i]):
            i += 1
        if j - i == 1 and doc[i].lower_ in pats.weak_metric_heads and not mentions.at(i, ("Metric",)):
            return None  # "in absolute value", "a higher score": no measure named
        return (i, j, j - 1) if j > i else None
    j = end
    while j > start and doc[j - 1].lower_ in _SKIP_BEFORE:
        j -= 1
    if j <= start or not _is_head(doc[j - 1], pats, mentions):
        return None
    m = mentions.at(j - 1, ("Metric",))
    if m:
        return m[0], m[1], m[1] - 1
    i = j - 1
    while i > start:
        tok = doc[i - 1]
        m = mentions.at(i - 1, ("Metric",))
        if m:  # "the FID score of 7.27": the Metric mention joins the phrase and ends it
            i = max(start, m[0])
            break
        if not _word_ok(tok, pats) or mentions.at(i - 1) or _skippable(tok):
            break
        if tok.lower_ == "-" and (tok.whitespace_ or doc[i - 2].whitespace_):
            break
        i -= 1
    while i < j - 1 and (doc[i].lower_ == "-" or _skippable(doc[i])):
        i += 1
    if j - i == 1 and doc[i].lower_ in pats.weak_metric_heads and i > start and doc[i - 1].pos_ in _NOUNISH:
        i -= 1  # "KV cache compression rate of 60%": "compression rate", not "rate"
    return i, j, j - 1


def _measure(doc, phrase, pats, mentions):
    """``(start, end, written, alias)`` of the measure in a phrase found by :func:`metric_phrase`: the change noun
    removed ("CTR gain" -> CTR, alias "CTR gain") or replaced by its "in"/"of" object ("reduction in latency" ->
    latency, alias "reduction in latency"); None when a change noun names no measure ("relative gains")."""
    s, e, head = phrase
    if mentions.at(head, ("Metric",)) or doc[head].lower_ not in pats.change_heads:
        return s, e, doc[s:e].text, ""
    if e - 1 > s:  # "accuracy improvement", "FLOPs reduction": the words before the change noun
        return s, e - 1, doc[s:e - 1].text, doc[s:e].text
    k = e
    if k < len(doc) and doc[k].lower_ in ("in", "of", "on") and k + 1 < len(doc):
        obj = metric_phrase(doc, k + 1, min(len(doc), k + 8), pats, mentions)
        named = obj is not None and (obj[1] - obj[0] > 1 or doc[obj[2]].lower_ not in pats.change_heads)
        inner = _measure(doc, obj, pats, mentions) if named else None
        if inner:  # "improvement in FLOPs reduction": the inner change is the measure's own alias
            return inner[0], inner[1], inner[2], inner[3] or doc[s:obj[1]].text
    return None


def _list_members(doc, numbers):
    """Indices of the numbers listed together with each number ("15% and 24%", "from 26.4% to 13.2%")."""
    groups, current = [], [0] if numbers else []
    for k in range(1, len(numbers)):
        a, b = numbers[k - 1], numbers[k]
        between = doc[a.end:b.start]
        if a.group == b.group or (len(between) <= 3 and all(t.lower_ in _LIST_JOINERS or t.text in "()" for t in between)
                                  and _sentence(doc, a.start).start == _sentence(doc, b.start).start):
            current.append(k)
        else:
            groups.append(current)
            current = [k]
    if current:
        groups.append(current)
    return {k: g for g in groups for k in g}


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


def _cue_at(cues, start, end):
    """The metric cue match starting in tokens ``[start, end)``."""
    return next(((pid, s, e) for pid, s, e in cues if start <= s < end), None)


def _own_metric(doc, d, pats, mentions, cues):
    """The measure named next to the number itself, or None (see the module docstring for the order)."""
    n, sent = d.number, d.sent
    bare = n.unit == ""
    after0 = d.token + 1 if bare else n.end
    before1 = d.token if bare else n.start
    if n.pattern == "num:metric-before":  # the measure is the name the pattern found before the number
        phrase = metric_phrase(doc, sent.start, before1, pats, mentions, direction=-1)
        found = _measure(doc, phrase, pats, mentions) if phrase else None
        if found:
            return "metric:before", found[:3], found[3]
    first = after0
    if first < sent.end and doc[first].lower_ == "in":  # "6x in FLOPs", "up to 40% in terms of SSIM"
        first += 3 if doc[first + 1:first + 3].text.lower() == "terms of" else 1
        first += first < sent.end and doc[first].lower_ in ("the", "a", "an")
    phrase = metric_phrase(doc, first, min(sent.end, first + 6), pats, mentions)
    found = _measure(doc, phrase, pats, mentions) if phrase else None
    if found:
        return "metric:after", found[:3], found[3]
    skip = after0
    while skip < sent.end and doc[skip].lower_ in _SKIP_AFTER:
        skip += 1
    cue = _cue_at(cues, after0, skip + 1)
    if cue:
        pid, s, e = cue
        d.rules.append(pid)
        return "metric:cue", (None, None, pats.entry(pid)["metric"]), doc[s:e].text
    # "X (1.57)": what stands before a bracketed number is what it belongs to, not its measure
    phrase = None if n.pattern == "num:paren" else metric_phrase(doc, sent.start, before1, pats, mentions, direction=-1)
    found = _measure(doc, phrase, pats, mentions) if phrase else None
    if found:
        return "metric:before", found[:3], found[3]
    if after0 < sent.end and doc[after0].lower_ == "of":
        k = after0 + 1 + (after0 + 1 < sent.end and doc[after0 + 1].pos_ == "DET")
        phrase = metric_phrase(doc, k, min(sent.end, k + 6), pats, mentions)
        found = _measure(doc, phrase, pats, mentions) if phrase else None
        if found:
            return "metric:of", found[:3], found[3]
    by = before1 - 1 - (before1 - 1 > sent.start and doc[before1 - 1].lower_ in ("a", "an"))
    if by > sent.start and doc[by].lower_ == "by":
        for j in range(by - 1, max(sent.start, by - 11) - 1, -1):
            tok = doc[j]
            if tok.text in (",", ";") or (tok.pos_ == "VERB" and not mentions.at(j)):
                cue = _cue_at(cues, j, j + 1)
                if cue:
                    d.rules.append(cue[0])
                    return "metric:by", (None, None, pats.entry(cue[0])["metric"]), doc[cue[1]:cue[2]].text
                break
            if mentions.at(j, ("Metric",)) or (tok.lower_ in pats.metric_heads and not mentions.at(j)):
                phrase = metric_phrase(doc, sent.start, j + 1, pats, mentions, direction=-1)
                found = _measure(doc, phrase, pats, mentions) if phrase else None
                if found:
                    return "metric:by", found[:3], found[3]
    if n.unit not in ("%", "x", "points", ""):
        unit = n.unit.split()[0].strip("-")
        return "metric:unit", (None, None, pats.unit_measures.get(unit.lower(), unit)), unit
    return None


def _states_difference(doc, d, pats):
    """The number is a difference by its words: "by 5%" or "a 5% improvement"."""
    n = d.number
    by = n.start - 1 - (n.start - 1 > d.sent.start and doc[n.start - 1].lower_ in ("a", "an"))
    after = [t.lower_ for t in doc[n.end:min(d.sent.end, n.end + 3)]]
    return (by >= d.sent.start and doc[by].lower_ == "by") or any(w in pats.change_heads for w in after)


def _shared_metrics(drafts, members):
    """Numbers without a measure of their own take that of the numbers listed with them, else of the previous
    number of the sentence."""
    for k, d in enumerate(drafts):
        if d.metric is not None:
            continue
        listed = [drafts[j] for j in sorted(members.get(k, [k]), key=lambda j: -j) if drafts[j].metric is not None]
        if listed:
            d.metric, d.metric_alias = listed[0].metric, listed[0].metric_alias
            d.rules.append("metric:list")
            continue
        prev = next((drafts[j] for j in range(k - 1, -1, -1) if drafts[j].metric is not None
                     and drafts[j].sent.start == d.sent.start), None)
        if prev is not None:
            d.metric, d.metric_alias = prev.metric, prev.metric_alias
            d.rules.append("metric:previous")


def _sentence_metric(doc, d, mentions, pats=None):
    """The measure the sentence names "in terms of", else its Metric mention nearest to the number."""
    if pats is not None:
        for t in doc[d.sent.start:d.sent.end - 2]:
            if t.lower_ == "terms" and doc[t.i - 1].lower_ == "in" and doc[t.i + 1].lower_ == "of":
                phrase = metric_phrase(doc, t.i + 2, min(d.sent.end, t.i + 8), pats, mentions)
                found = _measure(doc, phrase, pats, mentions) if phrase else None
                if found:
                    return found[:3]
    ms = mentions.within(d.sent.start, d.sent.end, ("Metric",), specific=False)
    if d.number.pattern == "num:paren":  # "19 NFEs (1.75)": the count before the bracket is a setting
        ms = [m for m in ms if m[1] != d.number.start]
    if not ms:
        return None
    s, e, _ = min(ms, key=lambda m: min(abs(m[0] - d.token), abs(m[1] - 1 - d.token)))
    return s, e, doc[s:e].text


def _clause_subject(doc, token, mentions, anchor):
    """The method or model that is the subject of the clause of token `token` (the anchor for "we", "it", "our
    method" or a generic subject); None when the clause has no subject."""
    t = doc[token]
    for _ in range(10):
        if t.pos_ in ("VERB", "AUX"):
            subj = next((c for c in t.children if c.dep_ in ("nsubj", "nsubjpass")), None)
            if subj is not None:
                for i in [subj.i] + [c.i for c in subj.children if c.dep_ in ("compound", "appos", "nmod")]:
                    m = mentions.at(i, ("Method", "Model"))
                    if m:
                        return anchor if mentions.entities[m[2]].generic else m[2]
                return anchor if subj.lower_ in _SELF or any(w.lower_ in _SELF for w in subj.subtree) else None
        if t.dep_ == "relcl":
            m = mentions.at(t.head.i, ("Method", "Model"), specific=True)
            if m:
                return m[2]
        if t.head is t:
            return None
        t = t.head
    return None


def _respective(doc, d, mentions, members, drafts, k):
    """The subject of the number among listed subjects, in order: "A and B achieve FID 2.05/2.12" gives A 2.05
    and B 2.12, when as many methods are listed, joined by "and" or commas alone, before the first number."""
    listed = sorted(members.get(k, [k]))
    if len(listed) < 2:
        return None
    first = drafts[listed[0]].number.start
    ms = mentions.within(d.sent.start, first, ("Method", "Model"))
    if len(ms) < len(listed):
        return None
    ms = ms[-len(listed):]
    if len({m[2] for m in ms}) != len(listed):
        return None
    joints = [t.lower_ for a, b in zip(ms, ms[1:]) for t in doc[a[1]:b[0]]]
    if "and" not in joints or any(t not in (",", "and") for t in joints):
        return None
    return ms[listed.index(k)][2]


def _subject(doc, d, mentions, anchor):
    n = d.number
    j = n.start - 1 if n.pattern != "num:paren" else d.token - 1
    if j > d.sent.start and doc[j].text == "(":
        m = mentions.at(j - 1, ("Method", "Model"), specific=True)
        if m:
            return "subject:paren", m[2]
    if anchor is not None:  # a size or variant of the contribution named before the number ("NViT-Base achieves")
        name = mentions.entities[anchor].name.lower()
        for s, e, key in reversed(mentions.within(d.sent.start, d.token, ("Method", "Model"))):
            other = mentions.entities[key].name.lower()
            if other != name and re.match(re.escape(name) + r"[-_ ]?[\w.]+$", other):
                return "subject:variant", key
    if doc.has_annotation("DEP"):
        key = _clause_subject(doc, d.token, mentions, anchor)
        if key is not None:
            return ("subject:clause" if key != anchor else "subject:anchor"), key
    return ("subject:anchor", anchor) if anchor else ("subject:none", None)


def _dataset(d, drafts, members, mentions, k):
    n, sent = d.number, d.sent
    ds = mentions.within(sent.start, sent.end, ("Dataset",))
    distinct = list(dict.fromkeys(m[2] for m in ds))
    listed = sorted(members.get(k, [k]))
    if len(listed) > 1 and len(distinct) == len(listed):
        return "dataset:list", distinct[listed.index(k)]
    after = [m for m in ds if n.end <= m[0] <= n.end + 8]
    if len(distinct) > 1 and after:  # "87.3% on ImageNet and 92.1% on CIFAR-10": the one named after the number
        return "dataset:after", after[0][2]
    if ds:
        best = min(ds, key=lambda m: min(abs(m[0] - d.token), abs(m[1] - 1 - d.token)))
        return "dataset:sentence", best[2]
    ts = mentions.within(sent.start, sent.end, ("Task",))
    if ts:
        best = min(ts, key=lambda m: min(abs(m[0] - d.token), abs(m[1] - 1 - d.token)))
        return "dataset:task", best[2]
    if "previous" in DATASET_FALLBACK and sent.start > 0:
        prev = _sentence(mentions.doc, sent.start - 1)
        ds = mentions.within(prev.start, prev.end, ("Dataset",))
        if ds:
            return "dataset:previous", ds[-1][2]
    if "paper" in DATASET_FALLBACK:
        keys = {m[2] for m in mentions.within(0, len(mentions.doc), ("Dataset",))}
        if len(keys) == 1:
            return "dataset:paper", keys.pop()
        tasks = mentions.within(0, len(mentions.doc), ("Task",))
        if not keys and tasks:  # a paper that names no dataset is evaluated on its task
            counts = {}
            for m in tasks:
                counts[m[2]] = counts.get(m[2], 0) + 1
            return "dataset:paper-task", max(counts, key=lambda k: (counts[k], -tasks[[t[2] for t in tasks].index(k)][0]))
    return None, None


def _is_from_to(doc, d, members, drafts, k):
    """The number is one end of "from A to B" (two absolute values, before and after)."""
    n = d.number
    before = doc[n.start - 1].lower_ if n.start > 0 else ""
    if before == "from":
        return "from"
    if before == "to":
        prev = [drafts[j] for j in members.get(k, [k]) if j < k]
        if prev and doc[prev[-1].number.start - 1].lower_ == "from":
            return "to"
    return None


def _base(tok):
    """The lemma of a token, or, in a doc without lemmas, the word without a verb ending."""
    return tok.lemma_.lower() or re.sub(r"(?:ing|es|ed|s)$", "", tok.lower_)


def _kind(doc, d, pats, from_to):
    """``absolute`` or ``delta`` from the words tied to the number: its unit (x, points), a sign, "by" before it,
    a change noun or comparative after it ("a 2% gain", "2% higher"), a comparison after it ("over X", "than
    X"), or a verb of keeping a share ("retains 95% of"); "from A to B" gives two absolute values."""
    n = d.number
    if from_to:
        return "kind:from-to", "absolute"
    if n.unit in ("x", "points") or n.value.lstrip(" ~≈<>").startswith(("+", "-", "−")):
        return "kind:unit", "delta"
    j = n.start - 1 - (n.start - 1 > d.sent.start and doc[n.start - 1].lower_ in ("a", "an"))
    before = doc[j] if j >= d.sent.start else None
    if before is not None and (before.lower_ == "by" or _base(before) in _KEEP_VERBS | _CHANGE_VERBS):
        return "kind:by", "delta"
    measure = (d.metric[2] if d.metric else "").lower().split()
    if measure and measure[-1] in _RELATIVE_MEASURES:  # a speedup or a ratio is a difference by itself
        return "kind:relative", "delta"
    end = n.end if n.unit else d.token + 1
    after = doc[end:min(d.sent.end, end + 6)]
    near = [t for t in after[:3]]
    if any(t.lower_ in pats.change_heads or t.tag_ in ("JJR", "RBR") or t.lower_ in _COMPARATIVES for t in near):
        return "kind:change", "delta"
    if d.metric_alias and any(w in pats.change_heads for w in d.metric_alias.lower().split()):
        return "kind:change", "delta"
    if any(t.lower_ in ("than", "over", "relative", "compared", "vs", "vs.", "versus") for t in after):
        return "kind:compared", "delta"
    return "kind:default", "absolute"


def _baseline(doc, d, mentions, subject, pats):
    sent, best = d.sent, None
    for t in doc[sent.start:sent.end]:
        if t.lower_ not in pats.baseline_words:
            continue
        stop = next((u.i for u in doc[t.i + 1:min(sent.end, t.i + 12)] if u.text in (";", ",") and u.i > t.i + 1),
                    min(sent.end, t.i + 12))
        for m in mentions.within(t.i + 1, stop, ("Method", "Model")):
            if m[2] != subject:
                dist = abs(m[0] - d.token)
                if best is None or dist < best[0]:
                    best = (dist, m[2])
                break
    return best[1] if best else None


def _metric_entity(doc, d, mentions, added):
    """The key of the Metric entity of a draft's measure, creating one (with a mention) when none exists."""
    start, end, written = d.metric
    ents = mentions.entities
    if start is not None:
        m = mentions.at(start, ("Metric",))
        if m and m[0] == start and m[1] == end:
            return m[2]
    name = re.sub(r"\s*-\s*", "-", written.strip()) if start is None else written
    low = name.lower()
    key = next((k for k, e in ents.items() if e.name.lower() == low or low in (a.lower() for a in e.aliases)), None)
    if key is not None and ents[key].type not in ("Metric",):
        if ents[key].type in ("Model", "Dataset"):
            return None
        ents[key].type = "Metric"
        ents[key].provenance.append("kg_results:retyped")
    if key is None:
        key = entity_key(name, ents.keys())
        ents[key] = Entity(name, "Metric", "used", [], [], confidence=0.7, key=key, provenance=["kg_results"])
        added.append(key)
    ent = ents[key]
    for form in (written, d.metric_alias):
        if form and form != ent.name and form not in ent.aliases and form.lower() != ent.name.lower():
            ent.aliases.append(form)
    if start is not None and not any(mm.start == doc[start].idx for mm in ent.mentions):
        ent.mentions.append(Mention(doc[start:end].text, doc[start].idx, doc[end - 1].idx + len(doc[end - 1])))
    return key


def _evidence(doc, d):
    s, e = d.number.start, d.number.end
    if d.metric and d.metric[0] is not None and d.sent.start <= d.metric[0] and d.metric[1] <= d.sent.end:
        if abs(d.metric[0] - s) <= 12:
            s, e = min(s, d.metric[0]), max(e, d.metric[1])
    if s > d.sent.start and doc[s - 1].lower_ in ("by", "of"):
        s -= 1
    span = doc[s:e]
    return span.text, span.start_char, span.end_char


def _token_of(doc, char):
    tok = doc.char_span(char, char + 1, alignment_mode="expand")
    return tok.start if tok is not None else 0


def extract_results(doc, matchers):
    """The results of one processed doc (see the module docstring); adds the Metric entities it creates to
    ``doc._.kg_entities`` and their mentions to ``doc.spans["kg_entities"]``.

    Parameters
    ----------
    doc : spacy.tokens.Doc
        With the ``kg_entities`` contract of :mod:`kg.extract.extensions` (an empty one is fine).
    matchers : kg.extract.results.PatternMatchers

    Returns
    -------
    list of kg.records.Result
        Endpoints are entity names.
    """
    pats = matchers.patterns
    if doc._.kg_entities is None:
        doc._.kg_entities = {}
    mentions = Mentions.of(doc)
    metric_spans = [doc[s:e] for s, e, k in mentions.spans if mentions.entities[k].type == "Metric"]
    for s in metric_spans:
        s.label_ = "Metric"
    canon = canonical_doc(doc, metric_spans)
    numbers = find_numbers(doc, matchers, canon)
    cues = matchers("metric_cues", canon)
    title_end = next((t.i + 1 for t in doc if t.is_space and "\n\n" in t.text), None)
    anchor = anchor_entity(mentions, title_end, doc._.kg_relations or ())
    drafts = []
    for n in numbers:
        tok = _token_of(doc, n.char_start + (len(n.value) - len(n.value.lstrip())))
        tok = next((i for i in range(max(tok, n.start), n.end) if re.search(r"\d", doc[i].text) or
                    doc[i].lower_ in pats.number_words), tok)
        drafts.append(_Draft(n, tok, _sentence(doc, tok), rules=[n.pattern]))
    for d in drafts:
        own = _own_metric(doc, d, pats, mentions, cues)
        if own:
            d.rules.append(own[0])
            d.metric, d.metric_alias = own[1], own[2]
    members = _list_members(doc, [d.number for d in drafts])
    _shared_metrics(drafts, members)
    last = None
    performance = [t.i for t in doc if t.lower_ == FALLBACK_METRIC and not mentions.at(t.i, ("Method", "Model"))]
    for k, d in enumerate(drafts):
        prev = next((drafts[j] for j in range(k - 1, -1, -1) if drafts[j].metric is not None
                     and drafts[j].sent.start == d.sent.start), None)
        if d.metric is None and prev is not None and d.number.pattern == "num:paren":
            d.metric, d.metric_alias = prev.metric, prev.metric_alias
            d.rules.append("metric:previous")
        if d.metric is None:
            found = _sentence_metric(doc, d, mentions, pats)
            if found:
                d.metric = found
                d.rules.append("metric:sentence")
            elif last is not None and d.sent.start - last.sent.end <= 1 and d.number.unit:
                d.metric, d.metric_alias = last.metric, last.metric_alias
                d.rules.append("metric:inherit")
            elif performance and d.number.unit in ("%", "points") and _states_difference(doc, d, pats):
                t = min(performance, key=lambda t: abs(t - d.token))
                d.metric = (t, t + 1, doc[t].text)
                d.rules.append("metric:performance")
        if d.metric is not None:
            last = d
    kinds = {k: _kind(doc, d, pats, _is_from_to(doc, d, members, drafts, k)) for k, d in enumerate(drafts)}
    for k in kinds:  # numbers listed together are of one kind ("up to 4.7% and 4.6% higher", "by 40-65%")
        group = members.get(k, [k])
        if kinds[k][1] == "absolute" and kinds[k][0] != "kind:from-to" and any(
                kinds[j][1] == "delta" and drafts[j].metric == drafts[k].metric for j in group):
            kinds[k] = ("kind:list", "delta")
        # an enumeration "by 1.0% for A, 0.5% for B": no verb between a difference and the next number
        prev = drafts[k - 1] if k else None
        if (kinds[k][0] == "kind:default" and prev is not None and kinds[k - 1][1] == "delta"
                and prev.sent.start == drafts[k].sent.start and prev.metric == drafts[k].metric
                and not any(t.pos_ in ("VERB", "AUX") for t in doc[prev.number.end:drafts[k].number.start])):
            kinds[k] = ("kind:list", "delta")
    added, results = [], []
    for k, d in enumerate(drafts):
        if d.metric is None:
            continue
        metric = _metric_entity(doc, d, mentions, added)
        if metric is None:
            continue
        respective = _respective(doc, d, mentions, members, drafts, k)
        rule, subject = ("subject:respective", respective) if respective else _subject(doc, d, mentions, anchor)
        from_to = _is_from_to(doc, d, members, drafts, k)
        if from_to == "from":
            rule, subject = "subject:from", None
        drule, dataset = _dataset(d, drafts, members, mentions, k)
        krule, kind = kinds[k]
        baseline = _baseline(doc, d, mentions, subject, pats) if kind == "delta" else None
        rules = d.rules + [rule, krule] + ([drule] if drule else []) + (["baseline:cue"] if baseline else [])
        metric_rule = next((r for r in d.rules if r in RULE_CONFIDENCE), "metric:inherit")
        text, c0, c1 = _evidence(doc, d)
        ents = mentions.entities

        def name(key):
            return ents[key].name if key is not None else None

        results.append(Result(name(subject), ents[metric].name, name(dataset), d.number.value, d.number.number,
                              d.number.unit, kind, name(baseline), text, c0, c1,
                              RULE_CONFIDENCE[metric_rule], rules))
    if added:
        spans = list(doc.spans[SPAN_KEY]) if SPAN_KEY in doc.spans else []
        for key in added:
            for m in doc._.kg_entities[key].mentions:
                span = doc.char_span(m.start, m.end, label="Metric", kb_id=key, alignment_mode="expand")
                if span is not None:
                    spans.append(span)
        doc.spans[SPAN_KEY] = sorted(spans, key=lambda s: (s.start, s.end))
    return results
