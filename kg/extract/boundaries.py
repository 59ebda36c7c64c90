"""Span boundaries of candidate mentions: words, names, trimming of statistical mentions to noun phrases.

Pure functions over spaCy spans, used by ``kg_candidates`` (:mod:`kg.extract.candidates`). They follow the
GUIDELINE.md convention that an entity's surface form is the name or noun phrase itself, without articles,
evaluative modifiers ("novel", "pre-trained"), descriptions in apposition ("the method X") or a class noun
after a name ("DPO strategies").
"""

from .entity_types import is_name_like, shape_type

__all__ = ["FINITE_TAGS", "word_count", "name_spans", "strip_span", "trim_span", "to_word_bounds",
           "name_after_descriptor", "name_before_class", "TASK_HEADS", "task_phrase", "DESCRIPTIVE_HEADS",
           "descriptive_phrase"]

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
    while start < end and (doc[start].lower_ in modifiers or doc[start].is_punct or doc[start].like_num
                           or doc[start].pos_ in ("DET", "PRON", "ADV", "CCONJ") or doc[start].is_space):
        start += 1
    while end > start and (doc[end - 1].is_punct or doc[end - 1].is_space):
        end -= 1
    return doc[start:end]


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
