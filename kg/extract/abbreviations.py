"""``kg_abbreviations``: abbreviation definitions such as "Low-Rank Adaptation (LoRA)".

Wraps the Schwartz & Hearst (2003) algorithm as packaged by ``unv_scispacy_abbr`` (scispacy's
``AbbreviationDetector`` without scispacy): its ``filter_matches`` proposes ``(long, short)`` candidate pairs
around parentheses and ``find_abbreviation`` checks that the short form's characters occur, in order, in the
long form. Unlike scispacy's component this one keeps no state between documents (its global matcher
accumulates rules across calls), so extraction stays a pure function of the text.

Sets ``doc._.kg_abbreviations``: list of ``(short_span, long_span)``, one pair per definition, in text order.
"""

from spacy.language import Language
from spacy.matcher import Matcher
from unv_scispacy_abbr import filter_matches, find_abbreviation

from .extensions import register_extensions

__all__ = ["AbbreviationFinder", "make_abbreviations", "find_definitions", "trim_long_form"]

_BRACKETS = set("()[]{}")


def trim_long_form(long_span, short_text):
    """Trim a long form to the words its short form spells, dropping leading stray words.

    Schwartz & Hearst align the short form's first character with the start of a word; the
    candidate window may still begin with punctuation or a determiner before that word.

    Parameters
    ----------
    long_span : spacy.tokens.Span
    short_text : str

    Returns
    -------
    spacy.tokens.Span or None
        None when nothing sensible is left.
    """
    start, end = long_span.start, long_span.end
    doc = long_span.doc
    while start < end and (doc[start].is_punct or doc[start].is_space or doc[start].lower_ in ("the", "a", "an")):
        start += 1
    if start >= end or any(t.text in _BRACKETS or t.is_space for t in doc[start:end]):
        return None
    if doc[start].text[:1].lower() != short_text[:1].lower():
        return None
    return doc[start:end]


def _compound_candidates(matches, doc):
    """``(long, short)`` candidates whose short form is split by the tokenizer ("iLA-SDP", "Q-Former").

    ``filter_matches`` rejects them because a hyphen token is shorter than two characters.
    """
    out = []
    for _, start, end in matches:
        inner = doc[start + 1:end - 1]
        if len(inner) < 2 or any(t.whitespace_ for t in inner[:-1]) or len(inner.text) > 12:
            continue
        if not inner.text[0].isalpha() or sum(c.isalpha() for c in inner.text) < len(inner.text) / 2:
            continue
        n = sum(c.isalnum() for c in inner.text)
        out.append((doc[max(0, start - min(n + 5, 2 * n)):start], inner))
    return out


def find_definitions(doc, matcher):
    """Abbreviation definitions of `doc`.

    Parameters
    ----------
    doc : spacy.tokens.Doc
    matcher : spacy.matcher.Matcher
        Matching ``( ... )``, as built by :class:`AbbreviationFinder`.

    Returns
    -------
    list of tuple
        ``(short_span, long_span)`` pairs, at most one per short form, in text order.
    """
    pairs, seen = [], set()
    matches = matcher(doc)
    for long_cand, short_cand in filter_matches(matches, doc) + _compound_candidates(matches, doc):
        short, long = find_abbreviation(long_cand, short_cand)
        if long is None or short.text in seen:
            continue
        long = trim_long_form(long, short.text)
        if long is None or len(long) < 2 and long.text.lower() == short.text.lower():
            continue
        if long.start <= short.start < long.end:  # "<short> (<long>)" puts the short form first
            continue
        seen.add(short.text)
        pairs.append((short, long))
    return sorted(pairs, key=lambda p: min(p[0].start, p[1].start))


class AbbreviationFinder:
    """The ``kg_abbreviations`` component (see the module docstring)."""

    def __init__(self, nlp, name="kg_abbreviations"):
        register_extensions()
        self.name = name
        self.matcher = Matcher(nlp.vocab)
        self.matcher.add("parenthesis", [[{"ORTH": "("}, {"OP": "+"}, {"ORTH": ")"}]])

    def __call__(self, doc):
        doc._.kg_abbreviations = find_definitions(doc, self.matcher)
        return doc


@Language.factory("kg_abbreviations", assigns=["doc._.kg_abbreviations"])
def make_abbreviations(nlp, name):
    """Build the ``kg_abbreviations`` component."""
    return AbbreviationFinder(nlp, name)
