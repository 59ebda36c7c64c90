"""Span boundaries of candidate mentions: words, names, trimming of statistical mentions to noun phrases.

Pure functions over spaCy spans, used by ``kg_candidates`` (:mod:`kg.extract.candidates`) and
``kg_entities`` (:mod:`kg.extract.assemble`: the fuller written forms of a description). They follow the
GUIDELINE.md convention that an entity's surface form is the name or noun phrase itself, without articles,
evaluative modifiers ("novel", "pre-trained"), descriptions in apposition ("the method X") or a class noun
after a name ("DPO strategies").
"""

import re

from .entity_types import is_name_like, shape_type
from .role_context import NAMING_VERBS

__all__ = ["FINITE_TAGS", "word_count", "cuts_hyphenated_name", "name_spans", "strip_span", "trim_span",
           "to_word_bounds",
           "name_after_descriptor", "name_before_class", "TASK_HEADS", "task_phrase", "DESCRIPTIVE_HEADS",
           "descriptive_phrase", "written_extensions"]

_EDGE_PUNCT = set("()[]{},;:.!?\"'")


def _words(doc):
    """Runs of tokens with no white space between them, as (start, end) token offsets, punctuation trimmed."""
    out, start = [], 0
    for tok in doc:
        if tok.whitespace_ or tok.i == len(doc) - 1 or doc[tok.i + 1].is_space or tok.is_space:
            s, e = start, tok.i + 1
            while s < e and (doc[s].text in _EDGE_PUNCT or doc[s].is_space):
                s += 1
            while e > s and (doc[e - 1].text in _EDGE_PUNCT or doc[e - 1].is_space):
                e -= 1
            if e > s:
                out.append((s, e))
            start = tok.i + 1
    return out


def name_spans(doc, stopwords=()):
    """Spans shaped like names, with a following size/version word attached ("Llama 2", "OPT 6.7B").

    Parameters
    ----------
    doc : spacy.tokens.Doc
    stopwords : collection of str
        Lower-cased words that are never names on their own (e.g. "gpu").

    Returns
    -------
    list of spacy.tokens.Span
    """
    words = _words(doc)
    out = []
    i = 0
    while i < len(words):
        s, e = words[i]
        text = doc[s:e].text
        if is_name_like(text) and text.lower() not in stopwords and (doc[s:e].text.strip("()") == text):
            # attach a following size or version: "llama-2-chat 7B", "Llama 2", "GPT 3.5"
            if i + 1 < len(words):
                ns, ne = words[i + 1]
                nxt = doc[ns:ne].text
                if ns == e and (shape_type(nxt) or nxt.replace(".", "").isdigit() and len(nxt) <= 4):
                    e = ne
                    i += 1
            out.append(doc[s:e])
        i += 1
    return out


def strip_span(span, modifiers):
    """Drop leading determiners, possessives, numbers and evaluative modifiers from a noun chunk.

    Returns
    -------
    spacy.tokens.Span
        Possibly empty.
    """
    start, end = span.start, span.end
    doc = span.doc
    while start < end:  # one Token object per word looked at
        tok = doc[start]
        if not (tok.lower_ in modifiers or tok.is_punct or tok.like_num or tok.pos_ in _STRIP_POS or tok.is_space):
            break
        start += 1
    while end > start:
        tok = doc[end - 1]
        if not (tok.is_punct or tok.is_space):
            break
        end -= 1
    return doc[start:end]


_STRIP_POS = ("DET", "PRON", "ADV", "CCONJ")


#: Penn tags of finite verbs ("SALE requires", "Layer-wise Importance Matters").
FINITE_TAGS = {"VBZ", "VBP", "VBD", "MD"}
_TRIM_END = {"VERB", "AUX", "CCONJ", "ADP", "SCONJ", "PART", "DET", "PRON", "ADV", "PUNCT", "SPACE"}
_TRIM_START = {"DET", "PRON", "CCONJ", "ADP", "PUNCT", "SPACE", "SCONJ", "PART"}


#: Nouns the tagger reads as adverbs or prepositions ("a hierarchical prior for ...") unless "to" follows
#: ("prior to training").
_NOUN_READINGS = {"prior"}


def _trailing_junk(tok):
    if tok.i and not tok.doc[tok.i - 1].whitespace_:  # inside a word: "pre-training", "fine-tuning"
        return False
    if tok.lower_ in _NOUN_READINGS:
        return tok.i + 1 < len(tok.doc) and tok.doc[tok.i + 1].lower_ == "to"
    if tok.pos_ == "VERB":  # "SALE requires", but not the nominal "learning" or "fine-tuned"
        return tok.tag_ in FINITE_TAGS
    return tok.pos_ in _TRIM_END and not is_name_like(tok.text)


def _word_runs(doc, start, end):
    """(start, end) of the runs of tokens written without white space between them, within [start, end)."""
    runs, s = [], start
    for i in range(start, end):
        if doc[i].whitespace_ or i == end - 1:
            runs.append((s, i + 1))
            s = i + 1
    return runs


def word_count(span):
    """Words of `span`: runs of tokens written without white space between them ("multi-stage concept
    synthesis pipeline" has 4).

    Examples
    --------
    >>> import spacy
    >>> word_count(spacy.blank("en")("a multi-stage pipeline")[:])
    3
    """
    return len(_word_runs(span.doc, span.start, span.end))


#: Words between a name and a plural class noun that still make "<name> ... methods" a mention of the name.
_LINKING = {"-", "based", "style", "like", "trained", "fine-tuned", "finetuned", "pre-trained", "pretrained"}
#: Participles after a name that qualify a use of it ("BERT-Large fine-tuned").
_AFTER_NAME = {"fine-tuned", "finetuned", "trained", "pre-trained", "pretrained", "based"}


def name_before_class(span, class_heads):
    """The name opening a phrase that ends in a plural class noun: "DPO strategies" -> "DPO", "GAAM-based
    methods" -> "GAAM", "AdaPT trained models" -> "AdaPT"; `span` itself otherwise.

    Parameters
    ----------
    span : spacy.tokens.Span
    class_heads : collection of str
        Lower-cased plural class nouns ("methods", "models", "strategies").

    Returns
    -------
    spacy.tokens.Span
    """
    if len(span) < 2 or span[-1].lower_ not in class_heads or not is_name_like(span[0].text):
        return span
    doc = span.doc
    first = span.start + 1
    while first < span.end - 1 and not doc[first - 1].whitespace_ and doc[first].text != "-":
        first += 1  # the whole first word up to a hyphen: "LLaMA-2", "GPT-4"
    if not is_name_like(doc[span.start:first].text):
        return span
    if all(t.lower_ in _LINKING for t in doc[first:span.end - 1]):
        return doc[span.start:first]
    return span


#: Trailing nouns that only frame a method as a setting ("supervised fine-tuning setting").
_FRAME_NOUNS = {"setting", "settings"}


def _frame_noun(doc, i):
    """Whether token `i` is a framing noun closing a phrase (see :data:`_FRAME_NOUNS`)."""
    return doc[i].lower_ in _FRAME_NOUNS


_DASHES = {"-", "–", "—", "--"}


def trim_span(span, modifiers=()):
    """Trim a statistical mention to a noun phrase: drop leading determiners, prepositions and evaluative
    modifiers, and trailing verbs, conjunctions and function words ("SALE requires" -> "SALE").

    Returns
    -------
    spacy.tokens.Span
        Possibly empty.
    """
    doc = span.doc
    start, end = span.start, span.end
    # a dash written apart ends the phrase: "PV-Tuning - a representation-agnostic framework" -> "PV-Tuning"
    dash = next((t.i for t in doc[start + 1:end] if t.text in _DASHES and t.whitespace_
                 and doc[t.i - 1].whitespace_), None)
    if dash is not None:
        end = dash
    while start < end:
        run = _word_runs(doc, start, end)[0]
        # a word written with hyphens is kept whole ("per-IC quantization", "on-the-fly"), unless a modifier
        glued = run[1] - run[0] > 1 and doc[start].text not in _EDGE_PUNCT and doc[start + 1].text == "-"
        # a name mis-tagged as punctuation ("CIFAR10/100" tagged ",") is kept
        if not glued and (doc[start].pos_ in _TRIM_START and not (doc[start].pos_ == "PUNCT"
                                                                  and is_name_like(doc[start].text))
                          or doc[start].lower_ in modifiers or doc[start].text in _EDGE_PUNCT):
            start += 1
            continue
        # a modifier written with hyphens: "pre-trained"
        if run[1] < end and doc[run[0]:run[1]].text.lower() in modifiers:
            start = run[1]
            continue
        break
    while end > start and (_trailing_junk(doc[end - 1]) or doc[end - 1].text in _EDGE_PUNCT
                           or doc[end - 1].text == "-"):
        end -= 1
    if _frame_noun(doc, end - 1) and len(_word_runs(doc, start, end)) > 2:
        end -= 1  # "supervised fine-tuning setting" -> "supervised fine-tuning"
    runs = _word_runs(doc, start, end)
    if len(runs) > 1 and doc[runs[-1][0]:end].text.lower() in _AFTER_NAME and is_name_like(
            doc[runs[-2][0]:runs[-2][1]].text):
        end = runs[-2][1]  # "BERT-Large fine-tuned" -> "BERT-Large"
    # a parenthesis opened inside and not closed: "CIFAR10 (" -> "CIFAR10"
    if doc[start:end].text.count("(") != doc[start:end].text.count(")"):
        return doc[start:start]
    return doc[start:end]


def to_word_bounds(span):
    """Extend `span` over letters and digits glued to its ends ("OPT-125" of "OPT-125M", split so by the
    tokenizer); hyphens and punctuation are boundaries ("LoRA" of "LoRA-based" stays "LoRA").

    Returns
    -------
    spacy.tokens.Span
    """
    doc = span.doc
    start, end = span.start, span.end
    if not len(span):
        return span
    # only letters and digits glued on: "LoRA-based" stays "LoRA", a hyphen is a boundary of its own
    while start > 0 and not doc[start - 1].whitespace_ and doc[start - 1].text[-1:].isalnum() and \
            doc[start].text[:1].isalnum():
        start -= 1
    while end < len(doc) and not doc[end - 1].whitespace_ and doc[end].text[:1].isalnum() and \
            doc[end - 1].text[-1:].isalnum():
        end += 1
    return doc[start:end]


def _name_part(text):
    """A word that can be part of a hyphenated name: it begins with a capital or a digit ("LoRA", "4", "XL"),
    unlike a suffix or prefix word ("based", "free", "non")."""
    return text[:1].isupper() or text[:1].isdigit()


#: A model size glued after a name ("Wan2.1-1.3B", "OPT-125M"): the name is the model at that size, not a part.
_SIZE = re.compile(r"\d+(?:\.\d+)?[BMK](?![A-Za-z0-9])")


def _glued(doc, i):
    """The text of the tokens from `i` on that are written without a space between them."""
    j = i
    while j < len(doc) - 1 and not doc[j].whitespace_:
        j += 1
    return doc[i:j + 1].text


def cuts_hyphenated_name(span):
    """Whether `span` is a part of a hyphenated word: glued by a hyphen to a word before it ("structured pruning" of
    "semi-structured pruning", "latency" of "low-latency"), or to a word after it that begins with a capital or a
    digit ("GPTQ" and "LoRA" of "GPTQ-LoRA", "LoRA" of "LQ-LoRA", "GPT" of "GPT-4"). Such a span names something
    else than the whole ("GPTQ-LoRA" is no GPTQ); no annotated mention of the 3,118 training abstracts begins
    inside a hyphenated word. A suffix word after it is no cut ("LoRA" of "LoRA-based"), nor is a size after a
    name ("Wan2.1" of "Wan2.1-1.3B"). Rule ``boundaries.hyphen_cut``.

    Examples
    --------
    >>> import spacy
    >>> doc = spacy.blank("en")("QLoRA and GPTQ-LoRA beat LQ-LoRA and LoRA-based tuning")
    >>> [cuts_hyphenated_name(doc[i:i + 1]) for i in (0, 2, 4, 6, 8, 10)]
    [False, True, True, True, True, False]
    >>> cuts_hyphenated_name(doc[2:5]), cuts_hyphenated_name(doc[0:1])
    (False, False)
    >>> sized = spacy.blank("en")("Wan2.1-1.3B and Wan2.1-Turbo.")
    >>> [cuts_hyphenated_name(sized[i:i + 1]) for i in (0, 4)]
    [False, True]
    >>> semi = spacy.blank("en")("semi-structured pruning and structured pruning")
    >>> cuts_hyphenated_name(semi[2:4]), cuts_hyphenated_name(semi[5:7]), cuts_hyphenated_name(semi[0:4])
    (True, False, False)
    """
    doc, start, end = span.doc, span.start, span.end
    if not len(span):
        return False
    after = (end + 1 < len(doc) and doc[end].text == "-" and not doc[end - 1].whitespace_
             and not doc[end].whitespace_ and _name_part(doc[end + 1].text)
             and not _SIZE.match(_glued(doc, end + 1)))
    before = (start >= 2 and doc[start - 1].text == "-" and not doc[start - 1].whitespace_
              and not doc[start - 2].whitespace_ and doc[start - 2].text[-1:].isalnum())
    return after or before


def name_after_descriptor(span, descriptors):
    """The name that ends `span` after a descriptive noun ("the method adaUnPool" -> "adaUnPool", "a scalar
    variant AdAdaGradNorm" -> "AdAdaGradNorm"); `span` itself when there is none.

    Returns
    -------
    spacy.tokens.Span
    """
    for i in range(len(span) - 1, 0, -1):
        # a descriptor word is written apart and lower-case: not "VARiant" in "VARiant-d16"
        if span[i - 1].lower_ in descriptors and span[i - 1].whitespace_ and not is_name_like(span[i - 1].text):
            rest = span[i:]
            one_word = not any(t.whitespace_ for t in rest[:-1])
            return rest if one_word and is_name_like(rest.text) else span
    return span


#: Head nouns that make a noun phrase a research task ("multi-label classification", "panoptic segmentation").
#: Not "generation", "compression", "understanding": as often a method or a plain word ("sample generation").
TASK_HEADS = {"classification", "segmentation", "detection", "translation", "summarization", "answering",
              "retrieval", "synthesis", "editing", "recognition", "localization", "captioning", "inpainting",
              "forecasting", "super-resolution", "enhancement", "restoration", "grounding"}


def task_phrase(span):
    """A phrase of two or more words headed by a task noun, without quotes or evaluative participles
    ("improved retrieval")."""
    if len(span) < 2 or span[-1].lower_ not in TASK_HEADS or any(t.text in "\"'" for t in span):
        return False
    return not any(t.tag_ in ("VBN", "VBD", "JJR", "JJS") or t.lower_ in ("high-quality", "overall", "additional")
                   for t in span[:-1])


#: Head nouns of descriptive Method and Metric phrases that the tagger tends to miss ("clipping loss",
#: "generation quality", "inference latency"); a chunk so headed is kept beside the tagger.
DESCRIPTIVE_HEADS = {"loss", "sampling", "distillation", "regularization", "accuracy", "error"}
#: Modifiers that make such a phrase a plain description rather than a named loss or measure ("total loss").
_VAGUE_MODIFIERS = {"total", "overall", "final", "additional", "extra", "auxiliary", "same", "such", "other",
                    "low", "lower", "high", "higher", "small", "smaller", "large", "larger", "training", "test",
                    "validation", "significant", "substantial", "minimal", "average", "expected", "negligible",
                    "marginal", "minor", "slight", "performance", "information", "task", "model", "i.e.", "e.g."}


def descriptive_phrase(span, heads=None):
    """A phrase of two or more words headed by a descriptive Method or Metric noun ("clipping loss",
    "language modeling loss"), without quotes, evaluative participles or vague modifiers ("total loss").

    Parameters
    ----------
    span : spacy.tokens.Span
    heads : collection of str, optional
        Lower-cased head nouns; default :data:`DESCRIPTIVE_HEADS`.

    Returns
    -------
    bool
    """
    heads = DESCRIPTIVE_HEADS if heads is None else heads
    if len(span) < 2 or span[-1].lower_ not in heads or any(t.text in "\"'" for t in span):
        return False
    return not any(t.tag_ in ("VBN", "VBD", "JJR", "JJS", "POS") or t.lower_ in _VAGUE_MODIFIERS or t.like_num
                   or t.is_punct and t.text != "-" for t in span[:-1])


_MODIFIER_DEPS = {"amod", "compound", "advmod", "npadvmod", "nmod", "punct"}
_MODIFIER_POS = {"ADJ", "NOUN", "PROPN", "ADV", "VERB"}
#: Prepositions whose object is part of a description ("X of Y", "X via Y"), and those whose object is part of
#: it only when the parse attaches them to it ("dynamic bounds on learning rates", not "X on ImageNet").
_PP_HEADS = {"of", "via"}
_PP_ATTACHED = {"on", "to", "through", "over"}
_PP_WORDS = {"ADJ", "NOUN", "PROPN", "VERB", "ADV"}
_NOUNS = {"NOUN", "PROPN"}


def _attached(doc, i):
    """True when token `i` is written together with the next one ("weight" in "weight-sharing")."""
    return not doc[i].whitespace_


def _left_modifiers(span, modifiers):
    """Start of the noun phrase around `span` grown over the modifiers of its words: "adaptively adjustable" of
    "adjustable loss function", "weight-sharing" of "quantization supernet"; evaluative words ("novel",
    "efficient": `modifiers`) and determiners stop it."""
    doc, sent = span.doc, span.sent
    start = span.start
    while start > sent.start:
        tok = doc[start - 1]
        if tok.dep_ not in _MODIFIER_DEPS or not start <= tok.head.i < span.end or tok.lower_ in modifiers:
            break
        if tok.text == "-":
            # a hyphen only inside a word: "weight-sharing"
            if not (start - 2 >= sent.start and _attached(doc, start - 2) and _attached(doc, start - 1)):
                break
        elif (tok.pos_ not in _MODIFIER_POS or tok.pos_ == "VERB" and tok.tag_ not in ("VBN", "VBG")
              or tok.lemma_.lower() in NAMING_VERBS  # "a scheme termed X"
              or tok.pos_ == "ADV" and tok.head.pos_ not in ("ADJ", "VERB")):  # "namely X", not "adaptively"
            break
        start -= 1
    # never a part of a word ("G" of "5G new radio"), nor a hyphen
    while start < span.start and (doc[start].text == "-" or start > sent.start and _attached(doc, start - 1)):
        start += 1
    return start


def _prepositional_object(doc, i, end):
    """End of a short noun phrase object of the preposition at `i` ("via Grouping", "of a lower bound",
    "on learning rates"), or None: at most four words, ending on a noun that no other noun or hyphen
    continues (or on the preposition's object: "bound" tagged a participle), not an infinitive ("to reduce")."""
    j = i + 1
    if j < end and doc[j].lower_ in ("a", "an", "the"):
        j += 1
    if j >= end or doc[i].pos_ != "ADP":  # "to" of an infinitive ("to reduce", "to group")
        return None
    k = j
    while k < end and k - j < 4 and (doc[k].pos_ in _PP_WORDS and doc[k].tag_ not in FINITE_TAGS
                                     or doc[k].text == "-" and _attached(doc, k - 1)):
        k += 1
    while k > j and doc[k - 1].pos_ not in _NOUNS and doc[k - 1].dep_ != "pobj":
        k -= 1
    continued = k < end and (doc[k].pos_ in _NOUNS or doc[k].text == "-" and _attached(doc, k - 1))
    if k == j or continued or any(t.tag_ == "VB" for t in doc[j:k]):
        return None
    return k


def written_extensions(span, modifiers=(), kinds=()):
    """The longer forms of a description as written at this mention: the whole noun phrase around it
    ("adaptively adjustable loss function" for "adjustable loss function", "token pruning method" for
    "token pruning") and the phrase with its short prepositional object ("on-the-fly estimates of a lower
    bound", "Action Space Reduction via Grouping").

    Candidate boundaries often cut a description short by a word or two; its fuller forms name the same
    contribution as written, so ``kg_entities`` lists them among the aliases of a described contribution.

    Parameters
    ----------
    span : spacy.tokens.Span
        A parsed mention.
    modifiers : collection of str
        Evaluative and deictic words that do not belong to a description ("novel", "our").
    kinds : collection of str
        Nouns that say what kind of thing a description is ("function", "scheme"): the only nouns after the
        mention that extend it ("surrogate loss" + "function", not "sampling" + "limits").

    Returns
    -------
    list of str
        The longer forms, shortest first; empty when there is none.
    """
    doc, sent = span.doc, span.sent
    start, end = _left_modifiers(span, modifiers), span.end
    # the kind noun the mention modifies, right after it: "surrogate loss" + "function"
    if (end < sent.end and span.root.dep_ in ("compound", "amod", "nmod") and span.root.head.i == end
            and doc[end].pos_ == "NOUN" and doc[end].lower_ in kinds):
        end += 1
    forms = []
    if start < span.start:
        forms.append(doc[start:span.end])
    if end > span.end:
        forms.append(doc[span.start:end])
        if start < span.start:
            forms.append(doc[start:end])
    prep = doc[end] if end < sent.end else None
    if prep is not None and (prep.lower_ in _PP_HEADS
                             or prep.lower_ in _PP_ATTACHED and span.start <= prep.head.i < end):
        stop = _prepositional_object(doc, end, sent.end)
        if stop is not None:
            forms.append(doc[span.start:stop])
            if start < span.start:
                forms.append(doc[start:stop])
    return list(dict.fromkeys(f.text for f in sorted(forms, key=len)))
