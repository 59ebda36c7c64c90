"""Attachment of the numbers of a doc: subject, dataset, kind and baseline, and :func:`extract_results`.

Each decision is a named rule, recorded in the result's provenance (``subject:clause``, ``dataset:after``...), so
that the precision of every rule is measured on the training annotations (``benchmarks/results_cv.py``). The
rules read the entities of the earlier components (``doc._.kg_entities``, ``doc.spans["kg_entities"]``) and the
dependency parse when there is one; on a doc without a parse they fall back to word order.
"""

import re

from ...records import Result
from ..extensions import SPAN_KEY
from .context import Mentions, _Draft, _list_members, _sentence, _token_of, anchor_entity
from .metric import (FALLBACK_METRIC, RULE_CONFIDENCE, _metric_entity, _own_metric, _sentence_metric, _shared_metrics,
                     _states_difference, take_listed_metric, unit_measure, written_unit)
from .numbers import find_numbers
from .patterns import canonical_doc

__all__ = ["DATASET_FALLBACK", "extract_results"]

#: Where a dataset is looked for when the number's sentence names none: the previous sentence, the paper's only
#: dataset.
DATASET_FALLBACK = ("previous", "paper")


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
    and B 2.12, when as many methods are listed, joined by "and" or commas alone, before the first number, no other
    name is listed with them and no preposition governs them (they are not what is compared against or applied
    to)."""
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
    if _longer_list(doc, mentions, d.sent.start, ms[0]) or _object_of_preposition(doc, d.sent.start, ms[0][0]):
        return None  # "outperforms A, B and C by 1%-7%", "on A and B, showing 19% and 26%": compared or applied to
    return ms[listed.index(k)][2]


def _longer_list(doc, mentions, start, first):
    """True when a method or model joined to mention `first` by commas or "and" alone comes before it: the list
    holds more names than there are numbers, so they do not map one to one."""
    before = [m for m in mentions.within(start, first[0], ("Method", "Model")) if m[1] <= first[0]]
    return bool(before) and all(t.lower_ in (",", "and") for t in doc[before[-1][1]:first[0]])


def _object_of_preposition(doc, start, i):
    """True when the noun phrase that opens at token `i` follows a preposition ("on A and B", "of A and B"),
    its modifiers ("the", "16-layer") skipped."""
    j = i - 1
    while j >= start and (doc[j].pos_ in ("DET", "ADJ", "NUM") or doc[j].text == "-" or
                          doc[j].dep_ in ("compound", "amod", "nummod")):
        j -= 1
    return j >= start and doc[j].pos_ == "ADP"


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


def _metric_dataset(d, ds):
    """The dataset that the number's metric phrase names, inside it or right before it ("the [GLUE] score",
    "[MultiNLI] accuracy", "[ImageNet] top-1 accuracy"), else None."""
    if not d.metric or d.metric[0] is None:
        return None
    start, end = d.metric[0], d.metric[1]
    inside = [m for m in ds if start - 1 <= m[1] - 1 and m[0] < end and m[1] <= end]
    return inside[-1][2] if inside and (inside[-1][1] == start or inside[-1][0] >= start) else None


def _dataset(d, drafts, members, mentions, k):
    n, sent = d.number, d.sent
    ds = mentions.within(sent.start, sent.end, ("Dataset",))
    distinct = list(dict.fromkeys(m[2] for m in ds))
    listed = sorted(members.get(k, [k]))
    if len(listed) > 1 and len(distinct) == len(listed):
        return "dataset:list", distinct[listed.index(k)]
    named = _metric_dataset(d, ds)
    if named is not None:  # "pushing the [GLUE] score to 80.5%", "[MultiNLI] accuracy to 86.7%"
        return "dataset:metric", named
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
            first = {}
            for m in tasks:
                first.setdefault(m[2], m[0])
            return "dataset:paper-task", max(counts, key=lambda k: (counts[k], -first[k]))
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


def _glosses(doc, a, b):
    """True when one of the numbers of drafts `a` and `b` stands in parentheses right after the other ("86.7%
    (4.6% absolute improvement)", "45.2 mAP (+3.1)"): a gloss of it, not a number listed with it."""
    first, second = (a, b) if a.number.start < b.number.start else (b, a)
    return any(t.text == "(" for t in doc[first.number.end:second.number.start])


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
    if before is not None and _base(before) in _KEEP_VERBS | _CHANGE_VERBS:
        return "kind:by", "delta"
    # "by 5%", "by an average of 4.6%", "a relative mAP gain of 16.14%": "by" or a change noun with "of" right
    # before the number or a few modifiers away, within the noun phrase before it (no verb or punctuation between)
    for i in range(n.start - 1, max(d.sent.start, n.start - 6) - 1, -1):
        t = doc[i]
        if t.is_punct or t.pos_ in ("VERB", "AUX"):
            break
        if t.lower_ == "by":
            return "kind:by", "delta"
        if t.lower_ in pats.change_heads and doc[i + 1].lower_ == "of":
            return "kind:change", "delta"
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


def _evidence(doc, d):
    s, e = d.number.start, d.number.end
    if d.metric and d.metric[0] is not None and d.sent.start <= d.metric[0] and d.metric[1] <= d.sent.end:
        if abs(d.metric[0] - s) <= 12:
            s, e = min(s, d.metric[0]), max(e, d.metric[1])
    if s > d.sent.start and doc[s - 1].lower_ in ("by", "of"):
        s -= 1
    span = doc[s:e]
    return span.text, span.start_char, span.end_char


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
        # a number listed with one that has just found its measure shares it ("PSNR ... from 32.095dB to 32.124dB")
        if d.metric is None and not take_listed_metric(drafts, members, k):
            found = _sentence_metric(doc, d, mentions, pats)
            unit = written_unit(d.number)
            if found:
                d.metric = found
                d.rules.append("metric:sentence")
            elif unit and unit.lower() in pats.scale_units:  # "0.5 dB" and no measure named: PSNR
                d.metric, d.metric_alias = unit_measure(unit, pats), unit
                d.rules.append("metric:unit")
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
        # not a number in parentheses after it, which glosses it: "86.7% (4.6% absolute improvement)"
        if kinds[k][1] == "absolute" and kinds[k][0] != "kind:from-to" and any(
                kinds[j][1] == "delta" and drafts[j].metric == drafts[k].metric
                and not _glosses(doc, drafts[k], drafts[j]) for j in group):
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
