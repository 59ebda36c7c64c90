"""Which candidate spans are entity mentions, and of which type: a learned decision over every candidate.

:mod:`kg.extract.candidates` proposes spans from several sources (the trained tagger, gazetteers, abbreviation
definitions, the title's name, what "we propose", name shapes, noun phrases and their head-final sub-phrases,
:func:`phrase_spans`), overlapping freely. This module describes each distinct span by named features
(:func:`span_features`: which sources proposed it and with which types, its shape, where it stands, what the
document analysis says of its tokens, which named patterns (:mod:`kg.extract.patterns`) put it in a slot, what
the lexicon lists) and by how annotators treated the same phrase in
the training abstracts (:class:`kg.extract.termstats.TermStats`), and lets the trained mention classifier
(:class:`kg.extract.models.Classifier`, classes :data:`MENTION_CLASSES`) decide: :func:`choose` keeps the most
probable non-overlapping spans above the threshold, each with its most probable type and the probability as its
confidence. The classifier replaces the fixed source priorities and committee votes of earlier versions.
"""

from __future__ import annotations

from collections import Counter, defaultdict

import numpy as np

from ..records import ENTITY_TYPES
from .boundaries import strip_span
from .entity_types import following_type, head_type, is_generic, is_junk, is_name_like, name_type, norm_key, strong_type
from .patterns import span_hits
from .sentences import sentences
from .termstats import STAT_FEATURES, norm_form

__all__ = ["MENTION_CLASSES", "SOURCES", "phrase_spans", "span_features", "choose", "head_lemma"]

#: Classes of the mention classifier: not a mention, a mention of a type, a mention of a broad class.
MENTION_CLASSES = ("O", *ENTITY_TYPES, "Generic")
#: Candidate sources, as :mod:`kg.extract.candidates` names them.
SOURCES = ("title", "short", "long", "ner", "known", "gazetteer", "proposal", "name", "chunk", "phrase")
_POS = ("NOUN", "PROPN", "ADJ", "VERB", "NUM", "X", "ADP", "PUNCT", "SYM", "ADV", "DET", "CCONJ")
_DEPS = ("nsubj", "dobj", "pobj", "compound", "conj", "appos", "nsubjpass", "attr", "ROOT", "amod")
_NEXT_HEADS = ("dataset", "datasets", "benchmark", "benchmarks", "model", "models", "method", "methods", "task",
               "tasks")
_SKIP_POS = ("DET", "PRON", "CCONJ", "ADP")
#: Scopes of the document analysis that give a feature each (``scope_<name>``: the span has a token in it).
_SCOPES = ("proposed", "baseline", "used", "appos", "means", "named", "winner", "title_def", "negated")


def phrase_spans(doc, lexicon, max_words=7, chunks=None, junk=None):
    """Noun phrases and their head-final sub-phrases: "the proposed sparse attention kernel" gives "proposed
    sparse attention kernel", "sparse attention kernel", "attention kernel" and "kernel" (not a determiner,
    pronoun, conjunction or preposition first, at most `max_words` tokens, never junk).

    `chunks` are the doc's noun chunks when already listed; `junk`, a dict ``(start, end) -> is_junk`` of the
    caller's that the spans tested here are added to.

    Returns
    -------
    list of spacy.tokens.Span
    """
    out = []
    if not doc.has_annotation("DEP"):
        return out
    junk = {} if junk is None else junk
    for chunk in doc.noun_chunks if chunks is None else chunks:
        span = strip_span(chunk, ())
        root = span.root.i if len(span) else None
        if root is None or not span.start <= root < span.end:
            continue
        for start in range(max(span.start, root + 1 - max_words), root + 1):
            tok = doc[start]
            if tok.is_punct or tok.is_space or tok.pos_ in _SKIP_POS:
                continue
            sub = doc[start:root + 1]
            key = (start, root + 1)
            if key not in junk:
                junk[key] = is_junk(sub, lexicon)
            if not junk[key]:
                out.append(sub)
    return out


def head_lemma(span):
    """The lower-cased lemma of a span's last token (its head in English noun phrases)."""
    return span[-1].lemma_.lower()


def _index(value, options):
    return options.index(value) + 1 if value in options else 0


def _type_index(type_):
    return ENTITY_TYPES.index(type_) + 1 if type_ in ENTITY_TYPES else 0


def span_features(doc, cands, lexicon, analysis, generic_of=None):
    """Features of every distinct candidate span.

    Parameters
    ----------
    doc : spacy.tokens.Doc
    cands : list of kg.extract.candidates.Candidate
        Overlapping candidates; several may share a span.
    lexicon : kg.extract.lexicon.Lexicon
    analysis : kg.extract.analysis.DocAnalysis
    generic_of : dict, optional
        ``(start, end) -> is_generic`` of the spans the caller tested already
        (:meth:`kg.extract.candidates.CandidateFinder.generate`); the others are added to it.

    Returns
    -------
    spans : list of tuple
        ``(start, end)`` token offsets, in first-seen order.
    rows : list of dict
        Feature name -> number, one per span.
    """
    scopes = analysis.scopes
    end = analysis.title_end or 0
    sents = sentences(doc)
    sent_of = [0] * len(doc)
    for k, sent in enumerate(sents):
        sent_of[sent.start:sent.end] = [k] * len(sent)
    # token attributes and scope sets read once per document, not once per span
    pos, lower, tags = [], [], []
    for t in doc:  # one walk over the tokens
        pos.append(t.pos_)
        lower.append(t.lower_)
        tags.append(t.tag_)
    scope_sets = {name: set(scopes.get(name, ())) for name in _SCOPES}
    title_names = set(scopes.get("title") or ())
    own = set(scopes.get("own", ()))
    by_span = defaultdict(list)
    for c in cands:
        by_span[(c.start, c.end)].append(c)
    span_of = {(s, e): doc[s:e] for s, e in by_span}
    keys = Counter(norm_key(span.text) for span in span_of.values())
    texts = Counter(span.text.lower() for span in span_of.values())
    shorts = {(a.start, a.end) for a, _ in analysis.abbreviations}
    longs = {(b.start, b.end) for _, b in analysis.abbreviations}
    full_text = doc.text  # a property that joins every token: read it once
    generic_of = {} if generic_of is None else generic_of
    spans, rows = list(by_span), []
    for s, e in spans:
        span, info = span_of[(s, e)], by_span[(s, e)]
        text = span.text
        low = text.lower()
        f = {f"src_{src}": 0 for src in SOURCES}
        for c in info:
            f[f"src_{c.source}"] = f.get(f"src_{c.source}", 0) + 1
        f["n_sources"] = len({c.source for c in info})
        votes = Counter(c.type for c in info if c.type)
        f.update({f"type_vote_{t}": votes.get(t, 0) for t in ENTITY_TYPES})
        f["generic_vote"] = int(any(c.generic for c in info))
        if (s, e) not in generic_of:
            generic_of[(s, e)] = is_generic(span, lexicon)
        f["is_generic"] = int(generic_of[(s, e)])
        f["n_tokens"], f["n_chars"] = e - s, len(text)
        f["name_like"] = int(is_name_like(text))
        f["has_digit"] = int(any(ch.isdigit() for ch in text))
        f["upper_ratio"] = sum(ch.isupper() for ch in text) / max(1, sum(ch.isalpha() for ch in text))
        f["first_upper"], f["all_lower"] = int(text[:1].isupper()), int(text.islower())
        f["title_case"] = int(all(w[:1].isupper() for w in text.split() if w[:1].isalpha()))
        f["hyphen"], f["paren"] = int("-" in text), int("(" in text)
        f["plural"] = int(tags[e - 1] in ("NNS", "NNPS"))
        f["in_title"] = int(s < end)
        k = sent_of[s] if s < len(sent_of) else 0
        f["sentence"], f["sentence_rel"] = k, k / max(1, len(sents) - 1)
        f["own_sentence"] = int(sents[k].start in own)
        f["first_sentence"] = int(k == 1)
        tokens = range(s, e)
        for name, scope in scope_sets.items():
            f[f"scope_{name}"] = int(any(i in scope for i in tokens))
        f["scope_title_name"] = int(any(i in title_names for i in tokens))
        f["key_count"], f["text_count"] = keys[norm_key(text)], texts[low]
        f["occurrences"] = full_text.count(text)
        f["abbr_short"], f["abbr_long"] = int((s, e) in shorts), int((s, e) in longs)
        f["pos_first"], f["pos_last"] = _index(pos[s], _POS), _index(pos[e - 1], _POS)
        f["pos_prev"] = _index(pos[s - 1], _POS) if s > 0 else 0
        f["pos_next"] = _index(pos[e], _POS) if e < len(doc) else 0
        prev = lower[s - 1] if s > 0 else ""
        nxt = lower[e] if e < len(doc) else ""
        f["prev_det"] = int(prev in ("the", "a", "an"))
        f["prev_own"] = int(prev in ("our", "proposed", "novel", "new"))
        f["prev_prep"] = int(s > 0 and pos[s - 1] == "ADP")
        f["prev_paren"], f["next_paren"] = int(prev == "("), int(nxt == "(")
        f["next_head"] = _index(nxt, _NEXT_HEADS)
        f["head_type"] = _type_index(head_type(span, lexicon))
        f["strong_type"] = _type_index(strong_type(span, lexicon))
        f["name_type"] = _type_index(name_type(text))
        f["following_type"] = _type_index(following_type(span))
        f["listed_type"] = _type_index(lexicon.terms.get(text) or lexicon.terms.get(low))
        f["listed_generic"], f["rejected"] = int(low in lexicon.generic), int(low in lexicon.rejected)
        f["last_descriptor"] = int(lower[e - 1] in lexicon.descriptors)
        f["last_generic_head"] = int(lower[e - 1] in lexicon.generic_heads)
        f["last_stopword"] = int(lower[e - 1] in lexicon.stopwords)
        f["first_modifier"] = int(lower[s] in lexicon.modifiers)
        f["first_generic_modifier"] = int(lower[s] in lexicon.generic_modifiers)
        f["root_dep"] = _index(span.root.dep_, _DEPS)
        f.update(span_hits(span, analysis.hits))
        rows.append(f)
    # nesting, counted for all pairs at once: spans inside another candidate, spans containing others
    starts, ends = np.array([s for s, _ in spans]), np.array([e for _, e in spans])
    inside = (starts[None, :] <= starts[:, None]) & (ends[:, None] <= ends[None, :])  # [i, j]: i inside j
    np.fill_diagonal(inside, False)
    for f, n_in, n_contains in zip(rows, inside.sum(axis=1), inside.sum(axis=0)):
        f["inside_other"], f["contains_other"] = int(n_in), int(n_contains)
    return spans, rows


def stat_features(doc, spans, stats, exclude=None):
    """:class:`~kg.extract.termstats.TermStats` features of `spans` (see :data:`~kg.extract.termstats.STAT_FEATURES`),
    leaving out the counts of training abstract `exclude`."""
    out = []
    for s, e in spans:
        span = doc[s:e]
        out.append(dict(zip(STAT_FEATURES, stats.features(norm_form(span.text), head_lemma(span), exclude))))
    return out


def choose(cands, spans, probs, classes, threshold=0.5):
    """The mentions: the most probable non-overlapping spans whose probability of being a mention reaches
    `threshold`, typed by their most probable type, flagged generic when that class outweighs every type.

    Parameters
    ----------
    cands : list of kg.extract.candidates.Candidate
    spans : list of tuple
        As :func:`span_features` returns them.
    probs : numpy.ndarray
        Class probabilities per span (columns in `classes` order).
    classes : sequence of str
        :data:`MENTION_CLASSES` order.
    threshold : float

    Returns
    -------
    list of kg.extract.candidates.Candidate
        New candidates in text order: source = the strongest source that proposed the span, ``sources`` all of
        them, ``score`` the probability.

    Examples
    --------
    >>> import numpy as np
    >>> from kg.extract.candidates import Candidate
    >>> cands = [Candidate(0, 2, "Method", "ner"), Candidate(1, 2, None, "phrase")]
    >>> probs = np.array([[0.2, 0.7, 0.0, 0.0, 0.0, 0.1, 0.0], [0.4, 0.5, 0.0, 0.0, 0.0, 0.1, 0.0]])
    >>> [(c.start, c.end, c.type, c.sources, round(c.score, 2)) for c in choose(cands, [(0, 2), (1, 2)], probs, MENTION_CLASSES)]
    [(0, 2, 'Method', ('ner',), 0.8)]
    """
    from .candidates import PRIORITY, Candidate

    by_span = defaultdict(list)
    for c in cands:
        by_span[(c.start, c.end)].append(c)
    none = classes.index("O")
    generic = classes.index("Generic")
    typed = [classes.index(t) for t in ENTITY_TYPES]
    ranked = sorted(((1.0 - float(p[none]), s, e, p) for (s, e), p in zip(spans, probs)), key=lambda x: (-x[0], x[1] - x[2], x[1]))
    taken, out = set(), []
    for score, s, e, p in ranked:
        if score < threshold or any(i in taken for i in range(s, e)):
            continue
        taken.update(range(s, e))
        best_type = ENTITY_TYPES[max(range(len(typed)), key=lambda k: p[typed[k]])]
        sources = tuple(sorted({c.source for c in by_span[(s, e)]}, key=PRIORITY.__getitem__))
        out.append(Candidate(s, e, best_type, sources[0], bool(p[generic] > max(p[t] for t in typed)),
                                  sources, score))
    return sorted(out, key=lambda c: c.start)
