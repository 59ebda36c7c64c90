"""The words around an entity's mentions, for a text model whose probabilities the role classifier reads.

The role classifier (:mod:`kg.extract.role_features`) sees an entity through what the role rules and the document
analysis say of its mentions. How a paper speaks of its own contribution and of what it builds on or compares
against is also in the plain words around each mention ("*our* X", "X *achieves*", "*unlike* X", "*built on* X",
"*existing* X", a sentence that opens with "*Recently*"). :func:`entity_words` describes an entity by those words, and
a :class:`kg.extract.relation_text.TextModel` fitted on them by ``kg train`` (``role.text.json``) gives one
probability per role class; those probabilities are features of the role classifier (``text_<class>``), computed
out of fold in training (:mod:`kg.train.stack`), as the relation classifier reads its own text model.
"""

from __future__ import annotations

from .extensions import SPAN_KEY
from .sentences import sentences, title_end as abstract_start

__all__ = ["ROLE_TEXT_FILE", "entity_words", "doc_entity_words"]

#: File name of the role text model in a model directory (beside ``role.lgb``/``role.json``).
ROLE_TEXT_FILE = "role.text.json"
#: Words taken before and after each mention, within its sentence.
_BEFORE, _AFTER = 4, 4
#: Steps up the dependency tree in search of the verb that governs a mention.
_UP = 6


def _lemma(t):
    return "<num>" if t.like_num else (t.lemma_ or t.text).lower()


def entity_words(doc, spans, sentence_of, title_end=0):
    """The context words of one entity's mentions, as the strings the role text model reads.

    Parameters
    ----------
    doc : spacy.tokens.Doc
        Parsed (lemmas, parts of speech, dependencies).
    spans : list of spacy.tokens.Span
        The entity's mentions.
    sentence_of : callable
        Token index -> the sentence (``Span``) that holds it.
    title_end : int
        Token offset where the abstract starts (mentions before it are in the title).

    Returns
    -------
    list of str
        Per mention: ``B:``/``A:`` the lemmas just before and after it, ``H:`` its head lemma, ``R:`` its
        dependency label, ``V:`` the lemma of the verb that governs it and ``VR:<label>_<verb>``, ``VS:`` the
        lemma of that verb's subject when it is a pronoun ("we", "it"), ``S0:`` the first word of its sentence,
        ``T:title`` for a mention in the title. A word given by several mentions is listed once per mention.

    Examples
    --------
    >>> import spacy
    >>> doc = spacy.blank("en")("Our LoRA beats Adam")
    >>> words = entity_words(doc, [doc[1:2]], lambda i: doc[:])
    >>> "B:our" in words and "A:beats" in words and "S0:our" in words
    True
    """
    out = []
    for span in spans:
        if not len(span):
            continue
        sent = sentence_of(span.start)
        out += [f"B:{_lemma(t)}" for t in doc[max(sent.start, span.start - _BEFORE):span.start]]
        out += [f"A:{_lemma(t)}" for t in doc[span.end:min(sent.end, span.end + _AFTER)]]
        root = span.root
        out += [f"H:{_lemma(root)}", f"R:{root.dep_}", f"S0:{_lemma(sent[0])}"]
        t = root
        for _ in range(_UP):
            if t.head is t:
                break
            t = t.head
            if t.pos_ in ("VERB", "AUX"):
                out += [f"V:{_lemma(t)}", f"VR:{root.dep_}_{_lemma(t)}"]
                subj = next((c for c in t.children if c.dep_ in ("nsubj", "nsubjpass")), None)
                if subj is not None and subj.pos_ == "PRON":
                    out.append(f"VS:{subj.lower_}")
                break
        if span.start < title_end:
            out.append("T:title")
    return out


def doc_entity_words(doc, keys):
    """:func:`entity_words` of each entity key of `keys` (its mentions in ``doc.spans["kg_entities"]``; the title
    ends where :func:`kg.extract.sentences.title_end` says)."""
    by_key = {}
    for span in doc.spans[SPAN_KEY] if SPAN_KEY in doc.spans else []:
        by_key.setdefault(span.kb_id_, []).append(span)
    sents = sentences(doc)
    sent_of = {}
    for s in sents:
        for i in range(s.start, s.end):
            sent_of[i] = s

    def sentence_of(i):
        return sent_of.get(i, doc[:])

    end = abstract_start(doc) or 0
    return [entity_words(doc, by_key.get(k, []), sentence_of, end) for k in keys]
