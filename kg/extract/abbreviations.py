"""``kg_abbreviations``: abbreviation definitions such as "Low-Rank Adaptation (LoRA)".

Wraps the Schwartz & Hearst (2003) algorithm as packaged by ``unv_scispacy_abbr`` (scispacy's
``AbbreviationDetector`` without scispacy): its ``filter_matches`` proposes ``(long, short)`` candidate pairs
around parentheses and ``find_abbreviation`` checks that the short form's characters occur, in order, in the
long form. Unlike scispacy's component this one keeps no state between documents (its global matcher
accumulates rules across calls), so extraction stays a pure function of the text.

A title that opens with a short name followed by its spelled-out form ("CBQ: Cross-Block Quantization for
Large Language Models") defines an abbreviation too (:func:`title_definition`): the same alignment decides. So
does a one-word name before a subtitle that opens with a technique the tagger found ("TransPrune: Token Transition
Pruning for ...", :func:`title_alias`): the name and the phrase are one technique.

Sets ``doc._.kg_abbreviations``: list of ``(short_span, long_span)``, one pair per definition, in text order.
"""

from spacy.language import Language
from spacy.matcher import Matcher
from unv_scispacy_abbr import filter_matches, find_abbreviation

from .boundaries import FINITE_TAGS, word_count
from .entity_types import is_name_like
from .extensions import register_extensions
from .sentences import title_colon, title_end

__all__ = ["AbbreviationFinder", "make_abbreviations", "find_definitions", "trim_long_form", "is_plausible",
           "clip_window", "initials_long_form", "title_definition", "title_alias", "or_definitions"]

_BRACKETS = set("()[]{}")
_QUOTES = {'"', "'", "``", "''", "\u201c", "\u201d", "\u2018", "\u2019"}


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
    while end > start and doc[end - 1].text == "~":  # LaTeX's non-breaking space: "Sampler~(DEIS)"
        end -= 1
    if start >= end or any(t.text in _BRACKETS or t.is_space for t in doc[start:end]):
        return None
    if doc[start].text[:1].lower() != short_text[:1].lower():
        return None
    return doc[start:end]


_ROMAN = {"i", "ii", "iii", "iv", "v", "vi", "vii", "viii", "ix", "x"}


def is_plausible(short_text, long_text):
    """False for pairs that the character alignment accepts but that define nothing: a short form that is a
    prefix of its long form ("speed (... SpeedUp)", "Filter (Filtering)"), an enumeration mark ("(iii)"), a
    lower-case hyphenated phrase ("small-dense"), a long form running over a clause or a list (";", ",").

    Examples
    --------
    >>> is_plausible("LoRA", "Low-Rank Adaptation"), is_plausible("bpp", "bits-per-pixel")
    (True, True)
    >>> is_plausible("speed", "SpeedUp"), is_plausible("time", "timestep"), is_plausible("iii", "in it")
    (False, False, False)
    """
    short, long = short_text.lower(), long_text.lower()
    if long.startswith(short) or short in _ROMAN or ";" in long_text or "," in long_text:
        return False
    return not ("-" in short_text and short_text == short)


def initials_long_form(window, short_text):
    """The words at the end of `window` whose initials spell `short_text` one letter per word, or None.

    The character alignment of Schwartz & Hearst takes the shortest long form whose letters occur in order, so
    "Token Transition Variation (TTV)" gives "Transition Variation" (the second T found inside "Transition");
    when the initials of as many words as the short form has letters spell it, those words are the long form.

    Examples
    --------
    >>> import spacy
    >>> doc = spacy.blank("en")("we combine Token Transition Variation")
    >>> initials_long_form(doc[:], "TTV").text
    'Token Transition Variation'
    >>> initials_long_form(doc[:], "LoRA") is None
    True
    """
    letters = [c.lower() for c in short_text if c.isalpha()]
    if len(letters) < 2 or len(letters) != sum(c.isalnum() for c in short_text):
        return None
    words = []
    for tok in reversed(window):
        if tok.text == "-" and words:
            continue
        if not tok.is_alpha:
            break
        words.append(tok)
        if len(words) == len(letters):
            break
    if len(words) < len(letters) or [t.text[0].lower() for t in reversed(words)] != letters:
        return None
    return window.doc[words[-1].i:window.end]


_STOPS = {".", ";", "!", "?"}


def clip_window(long_cand):
    """The part of a long-form window after the last sentence boundary: "LoRA-GA. Low-Rank Adaptation" ->
    "Low-Rank Adaptation" (otherwise the alignment may start inside the previous sentence and fail).

    Returns
    -------
    spacy.tokens.Span
    """
    start = long_cand.start
    for tok in long_cand:
        if tok.text in _STOPS:
            start = tok.i + 1
        elif tok.i > long_cand.start and tok.is_sent_start:
            start = tok.i
    return long_cand.doc[start:long_cand.end]


def _compound_candidates(matches, doc):
    """``(long, short)`` candidates whose short form is split by the tokenizer ("iLA-SDP", "Q-Former").

    ``filter_matches`` rejects them because a hyphen token is shorter than two characters. Also a quoted short
    form ('asymmetric loss ("ASL")'), whose quotes fail its check.
    """
    out = []
    for _, start, end in matches:
        inner = doc[start + 1:end - 1]
        if len(inner) == 3 and inner[0].text in _QUOTES and inner[2].text in _QUOTES and inner[1].text[0].isalpha():
            inner = inner[1:2]  # a quoted short form: 'a novel asymmetric loss ("ASL")'
        elif len(inner) < 2 or any(t.whitespace_ for t in inner[:-1]) or len(inner.text) > 12:
            continue
        elif not inner.text[0].isalpha() or sum(c.isalpha() for c in inner.text) < len(inner.text) / 2:
            continue
        n = sum(c.isalnum() for c in inner.text)
        out.append((doc[max(0, start - min(n + 5, 2 * n)):start], inner))
    return out


#: Words that end the phrase opening a subtitle ("CBQ: Cross-Block Quantization for ...").
_SUBTITLE_STOPS = {"for", "in", "via", "with", "to", "on", "of", "by", "from", "through", "using", "and", "as", "at",
                   "towards", "toward", "without", "is", "are", "beyond", "meets", "vs", "versus"}


def _spells_both_parts(short, long_):
    """True when the letters of `short` are initials of the words of `long_` (or of their hyphenated parts), in
    order, its last letter from a word after "and": "SPDF" for "Sparse Pre-training and Dense Fine-tuning",
    not "CBQ" for "Cross-Block Quantization and Calibration".

    Examples
    --------
    >>> _spells_both_parts("SPDF", "Sparse Pre-training and Dense Fine-tuning")
    True
    >>> _spells_both_parts("CBQ", "Cross-Block Quantization and Calibration")
    False
    """
    words = long_.split()
    if "and" not in words:
        return False
    cut = words.index("and")
    initials = [(part[0].upper(), i > cut) for i, w in enumerate(words) if w != "and"
                for part in w.split("-") if part]
    letters = [c.upper() for c in short if c.isalpha()]
    if not letters:
        return False
    j = len(initials) - 1
    for k, letter in enumerate(reversed(letters)):
        while j >= 0 and initials[j][0] != letter:
            j -= 1
        if j < 0:
            return False
        if k == 0 and not initials[j][1]:
            return False
        j -= 1
    return True


def _subtitle_phrase_end(doc, start, end, joined):
    """End of the phrase opening a subtitle at `start`: before a preposition, verb or punctuation (and before
    "and" unless `joined`)."""
    stops = _SUBTITLE_STOPS - {"and"} if joined else _SUBTITLE_STOPS
    stop = start
    while stop < end and not (doc[stop].is_space or doc[stop].lower_ in stops or doc[stop].tag_ in FINITE_TAGS
                              or doc[stop].is_punct and doc[stop].text != "-"):
        stop += 1
    return stop


def _title_name(doc, end, max_words):
    """``(name, start)``: the words before the title's colon when they are a short name (at most `max_words`
    words, not a marked variant such as "LoRA+"), and the first token of the subtitle after an article; None
    without such a name."""
    colon = title_colon(doc, end)
    if not colon or word_count(doc[:colon]) > max_words or doc[colon - 1].text[-1] in "+#*":
        return None
    start = colon + 1
    if start < end and doc[start].lower_ in ("a", "an", "the"):
        start += 1
    return doc[:colon], start


def title_definition(doc, end=None, max_words=3):
    """The ``(short, long)`` pair of a title "<name>: <long form> ..." whose subtitle opens with the words the
    name abbreviates: "CBQ: Cross-Block Quantization for Large Language Models" -> (CBQ, Cross-Block
    Quantization). Not "SpecDec++: Boosting Speculative Decoding ..." (the long form must open the subtitle)
    nor "LoRA+: Efficient Low Rank Adaptation" (a marked variant is not its base method).

    Parameters
    ----------
    doc : spacy.tokens.Doc
    end : int, optional
        First token of the abstract (:func:`kg.extract.sentences.title_end`); the whole doc when None.
    max_words : int
        Longer prefixes are descriptions, not names.

    Returns
    -------
    tuple of spacy.tokens.Span or None

    Examples
    --------
    >>> import spacy
    >>> nlp = spacy.blank("en")
    >>> short, long = title_definition(nlp("MoMo: Momentum Models for Adaptive Learning Rates"))
    >>> short.text, long.text
    ('MoMo', 'Momentum Models')
    >>> title_definition(nlp("SpecDec++: Boosting Speculative Decoding via Adaptive Candidate Lengths")) is None
    True
    """
    end = len(doc) if end is None else end
    name = _title_name(doc, end, max_words)
    if name is None or not any(c.isupper() for c in name[0].text[1:]):
        return None
    short, start = name
    # "SPDF: Sparse Pre-training and Dense Fine-tuning for ...": a long form may join two parts with "and"
    for joined in (True, False):
        stop = _subtitle_phrase_end(doc, start, end, joined)
        if stop - start < 2 and not any(c.isupper() for c in doc[start:stop].text[1:]):
            return None
        _, long = find_abbreviation(doc[start:stop], short)
        if (long is not None and long.start == start and is_plausible(short.text, long.text)
                and (not joined or _spells_both_parts(short.text, long.text))):
            break
    else:
        return None
    # "ALLoRA: Adaptive Learning Rate Mitigates LoRA Fatal Flaws" names another method: a sentence, not a definition
    if any(is_name_like(t.text) for t in long):
        return None
    return short, long


#: Tagger labels of a technique (``kg_ner``).
_TECHNIQUE_LABELS = {"Method", "Model"}


def title_alias(doc, end=None, max_words=4):
    """The ``(name, phrase)`` pair of a title "<Name>: <technique> for ..." whose subtitle opens with a phrase
    the tagger (``doc.ents``) reads as a method or model: "TransPrune: Token Transition Pruning for Efficient
    Large Vision-Language Model" names one technique twice, whether or not the name abbreviates the phrase
    (:func:`title_definition` aligns those that do). Not a subtitle opening with a task ("COMPASS:
    High-Efficiency Deep Image Compression ...") or a verb ("SpecDec++: Boosting ...") or making a claim
    ("IDEAL: Influence-Driven Selective Annotations Empower ..."), nor a marked variant
    ("LoRA+: Efficient Low Rank Adaptation"), nor a name of several words ("Squeezed Attention: ...").

    Parameters
    ----------
    doc : spacy.tokens.Doc
        With ``doc.ents``.
    end : int, optional
        First token of the abstract (:func:`kg.extract.sentences.title_end`); the whole doc when None.
    max_words : int
        Longer phrases ("and" aside) are claims ("IDEAL: Influence-Driven Selective Annotations Empower
        In-Context Learners").

    Returns
    -------
    tuple of spacy.tokens.Span or None
    """
    end = len(doc) if end is None else end
    name = _title_name(doc, end, 1)
    if name is None:
        return None
    short, start = name
    phrase = next((e for e in doc.ents if e.start == start), None)
    if (phrase is None or phrase.end > end or phrase.label_ not in _TECHNIQUE_LABELS or len(phrase) < 2
            or doc[start].tag_.startswith("VB")):
        return None
    # "ALLoRA: Adaptive Learning Rate Mitigates LoRA Fatal Flaws": a claim, not a name. The tagger reads
    # title-case verbs as proper nouns, so a long phrase is taken for a claim too.
    words = word_count(phrase) - sum(t.lower_ == "and" for t in phrase)
    if words > max_words or any(t.tag_ in FINITE_TAGS for t in phrase):
        return None
    return short, phrase


def or_definitions(doc):
    """``(long, short)`` candidates written "Long Form, or ABBR": "we propose Sharpness-Aware Training for Free,
    or SAF, which ..." (the window is the words before the comma).

    Returns
    -------
    list of tuple of spacy.tokens.Span
    """
    out = []
    for tok in doc[2:]:
        comma, or_ = doc[tok.i - 2], doc[tok.i - 1]
        if comma.text != "," or or_.lower_ != "or" or not is_name_like(tok.text) or len(tok.text) > 12:
            continue
        if tok.i + 1 < len(doc) and not (doc[tok.i + 1].is_punct or doc[tok.i + 1].is_space):
            continue  # "..., or SAF-based X": not a name standing alone
        n = sum(c.isalnum() for c in tok.text)
        start = max(0, comma.i - min(n + 5, 2 * n))  # clipped at the sentence start by find_definitions
        out.append((doc[start:comma.i], doc[tok.i:tok.i + 1]))
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
    for long_cand, short_cand in filter_matches(matches, doc) + _compound_candidates(matches, doc) + \
            or_definitions(doc):
        long_cand = clip_window(long_cand)
        if not len(long_cand):
            continue
        short, long = find_abbreviation(long_cand, short_cand)
        if long is None or short.text in seen:
            continue
        long = trim_long_form(long, short.text)
        if long is not None:
            initials = initials_long_form(long_cand, short.text)
            long = initials if initials is not None and initials.start < long.start else long
        if long is None or len(long) < 2 and long.text.lower() == short.text.lower():
            continue
        if not is_plausible(short.text, long.text):
            continue
        if long.start <= short.start < long.end:  # "<short> (<long>)" puts the short form first
            continue
        seen.add(short.text)
        pairs.append((short, long))
    end = title_end(doc)
    title = title_definition(doc, end)
    if title is None:
        # a phrase the abstract abbreviates otherwise has its own name ("ATP-LLaVA: Adaptive Token Pruning ...",
        # "... Adaptive Token Pruning (ATP)"): a part, not the titled technique
        title = title_alias(doc, end)
        if title is not None and title[1].text.lower() in {long_.text.lower() for _, long_ in pairs}:
            title = None
    if title is not None and title[0].text not in seen:
        pairs.append(title)
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
