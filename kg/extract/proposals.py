"""What a paper says it proposes, as candidate spans (the ``proposal`` source of ``kg_candidates``).

The object of "we propose ..." and the parts of it ("X comprises two components: A and B", "our method employs
a routing function") as stripped noun chunks (:func:`proposal_spans`); the proposed tokens are those of the
document analysis (:mod:`kg.extract.roles`: :func:`~kg.extract.roles.proposal_heads`,
:func:`~kg.extract.roles.component_tokens`). :func:`absorb_into_proposals` lets such a span take in the common
terms it contains ("a text-guided contrastive adversarial training loss" is one proposed loss).
"""

from .boundaries import name_after_descriptor, strip_span, word_count
from .entity_types import is_name_like
from .roles import component_tokens, named_definition_tokens, proposal_heads, title_names
from .sentences import title_end

__all__ = ["proposal_spans", "absorb_into_proposals"]


def proposal_spans(doc, lexicon, max_words=6, chunks=None, scopes=None):
    """What the paper says it proposes, as stripped noun chunks ("we propose a training-free soft-trim
    likelihood" -> "training-free soft-trim likelihood"), skipping vague heads ("a novel framework", "a
    procedure") and lone common words ("we propose a formula"); `chunks` as in :func:`chunk_spans`, `scopes`
    the document analysis's (:attr:`kg.extract.analysis.DocAnalysis.scopes`: its ``proposed``, ``title`` and
    ``named`` token sets are the ones computed here otherwise)."""
    if not doc.has_annotation("DEP"):
        return []
    if scopes is not None and all(k in scopes for k in ("proposed", "title", "named")):
        heads, title, named = set(scopes["proposed"]), scopes["title"], scopes["named"]
    else:
        heads = proposal_heads(doc)
        title, named = title_names(doc, title_end(doc)), named_definition_tokens(doc, heads)
    # and the parts of it: "X comprises two components: A and B", "our method employs a routing function",
    # wherever the name given to it comes back ("we propose a pruning framework, EASY-EP, ... EASY-EP comprises")
    own = heads | set(title) | named
    names = {doc[i].text for i in own if is_name_like(doc[i].text)}
    if names:
        own |= {t.i for t in doc if t.text in names}
    heads |= component_tokens(doc, own, build=False)
    out = []
    all_chunks = list(doc.noun_chunks) if chunks is None else chunks
    chunks = [chunk for chunk in all_chunks if chunk.root.i in heads]
    roots = {chunk.root.i for chunk in all_chunks}
    # a head the parser left without a noun chunk ("adaptive feature scaling" with "scaling" a verb): the
    # words before it that it governs
    chunks += [_left_phrase(doc[i]) for i in sorted(heads) if i not in roots and doc[i].dep_ in _OBJECT_DEPS
               and doc[i].pos_ in ("NOUN", "PROPN", "VERB") and doc[i].tag_ in ("NN", "NNS", "NNP", "NNPS", "VBG")]
    for chunk in chunks:
        span = strip_span(chunk, lexicon.modifiers)
        commas = [t.i for t in span if t.text == ","]
        if commas:  # "training-free, adaptive soft-trim likelihood": the adjectives before a comma are a list
            span = strip_span(span.doc[commas[-1] + 1:span.end], lexicon.modifiers)
        if not len(span) or any(t.is_space for t in span) or word_count(span) > max_words:
            continue
        span = name_after_descriptor(span, lexicon.descriptors)
        head = span[-1].lower_
        if len(span) == 1 and (head in lexicon.stopwords or head in lexicon.descriptors):
            continue
        if head in lexicon.stopwords and not _described(span[:-1], lexicon):
            continue
        if len(span) == 1 and not (is_name_like(span.text) or span[0].pos_ == "PROPN"):
            continue
        out.append(span)
    return out


_OBJECT_DEPS = {"dobj", "conj", "pobj", "appos", "attr", "nsubjpass"}


def _left_phrase(tok):
    """`tok` with the words before it in its subtree, as one contiguous span."""
    start = tok.i
    for t in reversed(list(tok.lefts)):
        if t.right_edge.i != start - 1:
            break
        start = t.left_edge.i
    return tok.doc[start:tok.i + 1]


def _described(words, lexicon):
    """True when the words before a vague head say what it is: two words or more ("progressive pruning
    pipeline", "gradual pruning technique") or a name ("Terminator architecture"), with a noun among them; not
    one common word ("sampling framework", "learning paradigm") nor only how good or general it is ("unified
    framework")."""
    if not any(t.pos_ in ("NOUN", "PROPN") and t.lower_ not in lexicon.stopwords for t in words):
        return False
    return word_count(words) >= 2 or is_name_like(words.text) or any(
        t.text == "-" and t.i > words.start for t in words) or any(
        t.pos_ == "PROPN" and t.text[:1].isupper() and not t.is_sent_start for t in words)


def absorb_into_proposals(doc, cands, vague=()):
    """Drop the common-noun terms inside what the paper proposes, before its head word: "we propose a
    text-guided contrastive adversarial training loss" is one proposed loss, not the known "adversarial
    training", and "a lightweight attention mechanism" is the paper's own mechanism. Names inside it ("a
    LoRA-based scheme") stay mentions of their own, and so does a term that only a vague head word follows
    ("a data selection approach": data selection, `vague`). A tagger mention that stops before such a head word
    ("a low-rank sparse training scheme") is extended over it (the entity name drops it again,
    :func:`kg.extract.assemble.shortest_description`, and keeps the phrase as written as an alias)."""
    props = [c for c in cands if c.source == "proposal"]
    if not props:
        return cands

    def inside(c, p):
        if c is p or not (p.start <= c.start and c.end <= p.end) or is_name_like(doc[c.start:c.end].text):
            return False
        if c.end == p.end:  # "a lightweight attention mechanism": the proposal qualifies a known term
            return c.start > p.start
        return not all(t.lower_ in vague for t in doc[c.end:p.end])

    for c in cands:  # "a ... sparse training scheme": a tagger mention cut short before the head word
        for p in props:
            if c.source == "ner" and c.start == p.start and c.end < p.end and all(
                    t.lower_ in vague for t in doc[c.end:p.end]):
                c.end = p.end
    return [c for c in cands if not any(inside(c, p) for p in props)]
