"""The measure of a reported number: rules in order, each recorded in the result's provenance (``metric:after``,
``metric:by``...) with a confidence that is its precision on the training annotations.

Metric, in order (the first that applies): a measure named right after the number ("87.3% top-1 accuracy",
"a 2.1% improvement in accuracy", "3% CTR gain" -> CTR), a metric word after it ("2.4x faster" -> speedup), the
measure right before it ("an accuracy of 87%", "FID 1.95", "from 26.4% to 13.2%"), "X% of the parameters", the
object of a verb before "by" ("reduces bandwidth usage by 3.7x", "accelerates X by 6x" -> speedup), a written
unit ("2 hours" -> time), the metric of the numbers listed with it ("15% and 24% higher FLOPs reduction"), of
the previous number of the sentence ("A achieves 10.4% accuracy, B (5.5%)"), the measure the sentence names "in
terms of", a Metric mention of the sentence, the previous result's, then "performance" for a difference that
names none (the annotators' convention).
"""

import re

from ...records import Entity, Mention, entity_key

__all__ = ["RULE_CONFIDENCE", "FALLBACK_METRIC", "metric_phrase"]

#: Confidence of a result by the rule that found its metric: the precision of the rule measured on the
#: training annotations (``benchmarks/results_cv.py``), rounded down.
RULE_CONFIDENCE = {
    "metric:after": 0.85, "metric:cue": 0.75, "metric:before": 0.75, "metric:of": 0.75, "metric:by": 0.75,
    "metric:list": 0.75, "metric:previous": 0.65, "metric:unit": 0.55, "metric:activity": 0.55,
    "metric:performance": 0.4, "metric:sentence": 0.4, "metric:inherit": 0.35,
    "metric:unit-named": 0.55,  # 5 of 5 right on the training annotations: too few to claim more than metric:unit
    "metric:pattern": 0.75,  # the number pattern states its measure ("ranks 1st": rank); as few as metric:unit-named
}


#: Words skipped between a number and the measure after it ("a 2% higher top-1 accuracy"), and the "$" that closes
#: a LaTeX number ("$\\times 15$ faster").
_SKIP_AFTER = frozenset("higher lower better worse relative absolute average overall additional more less fewer "
                        "greater further extra total consistent significant substantial notable real-world "
                        "end-to-end slight small large original baseline mean minimal marginal negligible huge "
                        "remarkable impressive considerable lossless respective smaller larger faster slower "
                        "cheaper bigger shorter longer - $".split())


#: Words skipped between the measure before a number and the number ("an accuracy of 87%", "FID = 2.1").
_SKIP_BEFORE = frozenset("of = : is was from to ( at reaching reaches around".split())


#: Entity types whose mentions end the name of a measure.
_NAMED = ("Method", "Model", "Dataset", "Task")
#: Parts of speech of words that can modify a measure noun.
_NOUNISH = ("NOUN", "PROPN", "X", "NUM")


#: An unknown acronym right after a number names its measure ("14.5% in SUC").
_ACRONYM = re.compile(r"(?=.*[A-Z].*[A-Z])[A-Za-z][A-Za-z0-9@\-]*")


#: The measure annotators name when a difference states none ("outperforms X by 5%").
FALLBACK_METRIC = "performance"


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
            if not (_word_ok(tok, pats) or _hyphenated(doc, j)) or mentions.at(j, _NAMED):
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


def _cue_at(cues, start, end):
    """The metric cue match starting in tokens ``[start, end)``."""
    return next(((pid, s, e) for pid, s, e in cues if start <= s < end), None)


def _own_metric(doc, d, pats, mentions, cues):
    """The measure named next to the number itself, or None (see the module docstring for the order)."""
    n, sent = d.number, d.sent
    stated = pats.entry(n.pattern).get("metric")
    if stated:  # the pattern itself says what the number measures ("ranks 1st": a rank)
        return "metric:pattern", (None, None, stated), doc[n.start:n.end].text
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
    unit = written_unit(n)
    if unit and unit.lower() not in pats.scale_units:  # a scale unit waits for the sentence's measure
        measure = unit_measure(unit, pats)
        activity = _timed_activity(doc, d, pats) if measure[2] == "time" else None
        if activity:  # "can be trained in 0.18 seconds": the training time
            return "metric:activity", (None, None, activity), unit
        named = _named_measure(mentions, measure[2])
        if named:  # "31GB" in an abstract whose one memory measure is "memory footprint"
            return "metric:unit-named", (None, None, named), unit
        return "metric:unit", measure, unit
    return None


def _named_measure(mentions, measure):
    """The name of the abstract's one Metric entity that names `measure` with a word more ("training time" for
    "time", "memory footprint" for "memory"), or None when it has none or several."""
    word = measure.lower()
    names = set()
    for e in mentions.entities.values():
        words = e.name.lower().split()
        if e.type == "Metric" and not e.generic and len(words) > 1 and word in (words[0], words[-1]):
            names.add(e.name)
    return names.pop() if len(names) == 1 else None


def unit_measure(unit, pats):
    """The measure a written unit states, as a draft's metric: ``unit_measures`` ("GB" -> memory), else the unit."""
    return None, None, pats.unit_measures.get(unit.lower(), unit)


def _timed_activity(doc, d, pats, window=4):
    """The measure of the activity a duration is the time of, named by one of the `window` words before the
    number ("trained in 9 hours", "quantizes LLaMA-65B in 4 hours" looks only at "LLaMA-65B in") or right after
    "to" or "of" after it ("takes only 6 hours to train", "32 hours of valid training"), or None."""
    start = max(d.sent.start, d.number.start - window)
    for t in reversed(doc[start:d.number.start]):
        measure = _activity_measure(t, pats)
        if measure:
            return measure
    after = doc[d.number.end:min(d.sent.end, d.number.end + 4)]
    if len(after) > 1 and after[0].lower_ in ("to", "of"):
        for t in after[1:3]:
            measure = _activity_measure(t, pats)
            if measure:
                return measure
    return None


def _activity_measure(t, pats):
    return pats.time_activities.get(t.lemma_.lower()) or pats.time_activities.get(t.lower_)


def written_unit(number):
    """The written unit of a number ("GB" of "27GB", "dB" of "0.5 dB"), or None for %, x, points and none."""
    return number.unit.split()[0].strip("-") if number.unit not in ("%", "x", "points", "") else None


def _states_difference(doc, d, pats):
    """The number is a difference by its words: "by 5%" or "a 5% improvement"."""
    n = d.number
    by = n.start - 1 - (n.start - 1 > d.sent.start and doc[n.start - 1].lower_ in ("a", "an"))
    after = [t.lower_ for t in doc[n.end:min(d.sent.end, n.end + 3)]]
    return (by >= d.sent.start and doc[by].lower_ == "by") or any(w in pats.change_heads for w in after)


def take_listed_metric(drafts, members, k):
    """Give ``drafts[k]`` the measure of the last number listed with it that has one ("15% and 24% lower
    latency", "PSNR ... from 32.095dB to 32.124dB"); True when it took one."""
    listed = [drafts[j] for j in sorted(members.get(k, [k]), key=lambda j: -j) if drafts[j].metric is not None]
    if not listed:
        return False
    d = drafts[k]
    d.metric, d.metric_alias = listed[0].metric, listed[0].metric_alias
    d.rules.append("metric:list")
    return True


def _shared_metrics(drafts, members):
    """Numbers without a measure of their own take that of the numbers listed with them, else of the previous
    number of the sentence."""
    for k, d in enumerate(drafts):
        if d.metric is not None:
            continue
        if take_listed_metric(drafts, members, k):
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
