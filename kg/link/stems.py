"""The second key of an ordinary noun phrase: its word stems, without descriptor heads, in compound order.

Proper names ("LoRA", "GPT-4", "Stable Diffusion") are matched on their exact key only. An ordinary phrase
("computational cost", "self-attention mechanism", "rates of convergence") also gets a *stem key*: its content
words stemmed with the Snowball English (Porter2) stemmer of the ``snowballstemmer`` package, after dropping
function words, descriptor heads that do not change what the phrase names ("mechanism", "layer", "task"...,
never after an adjective), a leading rating word ("standard fine-tuning") and a leading "model"/"network" before
a one-word process ("model quantization"), in the order of a compound ("rates of convergence" is "convergence
rates"). So "computation cost" = "computational cost", "self-attention" = "self-attention mechanism" = "self
attention layer", "convergence rate" = "rates of convergence", "recommendation tasks" = "recommendation"; but
"code prediction" is not "predictive coding".

Two guards keep apart what the stemmer folds together: a word keeps a mark of the ending its stem dropped when
that ending makes another kind of word (:func:`stem`: "transformer" is not "transformation", "adapter" not
"adaptation", "utility" not "utilization", "tokenization" not "token"), and the linker joins stem keys only
within one family of entity types (Method and Task, Model, Dataset, Metric): "language model" and "language
modeling" share their stems but not their family.

:func:`content_stems` gives the set of content stems of any form, which tells whether one alias of an entity is
a narrower or broader phrase than its name ("accuracy" for "top-1 accuracy").

References
----------
M. F. Porter, "Snowball: A language for stemming algorithms", 2001, https://snowballstem.org/
"""

from functools import lru_cache

import snowballstemmer

from .lexicon import load_lexicon
from .normalize import _name_like, based_on, tokens_of
from .normalize import _singular as _singular_word

__all__ = ["stem_key", "stem_keys", "compound_words", "model_stem_key", "content_words", "content_stems", "stem", "plain_stem", "head_family", "FAMILIES",
           "family_of"]

_FUNCTION = frozenset("a an and at by for from in into of on or the to via with using only".split())
#: Prepositions after which the words before them come last: "rates of convergence" = "convergence rates",
#: "learning with noisy labels" = "noisy label learning".
_INVERTING = frozenset("of with for on".split())
_STEMMER = snowballstemmer.stemmer("english")
#: Entity types whose ordinary phrases may share a stem key: an annotator's Method is often another's Task.
FAMILIES = {"Method": "process", "Task": "process", "Model": "model", "Dataset": "data", "Metric": "measure"}


def family_of(entity_type):
    """The family of an entity type (:data:`FAMILIES`); an unknown type is its own family."""
    return FAMILIES.get(entity_type, entity_type)


def head_family(nf, lexicon=None):
    """The family of the type that a head word stripped after a name says it has ("VQ models": ``model``), or
    None."""
    lex = lexicon or load_lexicon()
    for h in nf.heads:
        if h in lex.head_types:
            return family_of(lex.head_types[h])
    return None


@lru_cache(maxsize=65536)
def plain_stem(word):
    """The Snowball stem of a lower-case `word`.

    >>> plain_stem("continual"), plain_stem("contrastive")
    ('continu', 'contrast')
    """
    return _STEMMER.stemWord(word)


@lru_cache(maxsize=65536)
def stem(word):
    """The Snowball stem of a lower-case `word`, marked with ``~r`` when the stemmer dropped an agent ending
    (-er, -or), ``~q`` when it dropped a quality ending (-ity, -ness, -ism: "utility" is not "utilization",
    "complexity" not "complex", "optimism" not "optimal") and ``~z`` when it dropped -ization.

    Examples
    --------
    >>> [stem(w) for w in ("computational", "computation", "transformer", "transformation", "layer")]
    ['comput', 'comput', 'transform~r', 'transform', 'layer']
    >>> stem("utility"), stem("utilization")
    ('util~q', 'util~z')

    A word of the lexicon's ``word_variants`` takes the stem of the word it stands for (rule ``word_variant``):

    >>> stem("nets") == stem("network"), stem("imagery") == stem("images")
    (True, True)
    """
    lex = load_lexicon()
    word = lex.word_variants.get(_singular_word(word), word)
    s = plain_stem(word)
    if word.endswith(("er", "or", "ers", "ors")) and not s.endswith(("er", "or")):
        if _singular_word(word) in lex.agent_acts:  # rule agent_act: an estimator is the estimation
            return s
        return s + "~r"
    if word.endswith(("ity", "ities", "ness", "ism", "isms")) and not s.endswith(("iti", "ness", "ism")):
        return s + "~q"
    if word.endswith(("ization", "isation", "izations", "isations")) and not s.endswith(("iz", "is")):
        return s + "~z"  # "tokenization" is not "token", "optimization" not "optimal"
    return s


def _based_acts(words, lex):
    """Rule ``based_act``: "<word>-based" before an act is the word ("magnitude-based pruning" is magnitude pruning);
    not before a head ("regression-based methods" are methods built on regression) nor after a modifier
    ("model-based clustering" is one kind of clustering)."""
    heads = lex.phrase_heads | lex.descriptor_heads | lex.model_heads
    out = list(words)
    for i, w in enumerate(words[:-1]):
        base = based_on(w)
        if base and _singular_word(words[i + 1]) not in heads and base not in lex.modifiers:
            out[i] = base
    return out


def _words(nf, split=False):
    """Content words of a form in the order of a compound, a hyphenated word kept whole ("self-attention")
    unless `split`: the words after "of", "with", "for" or "on" come first ("rates of convergence" ->
    "convergence rates")."""
    lex = load_lexicon()
    words = nf.spaced.replace("/", " ").split()
    if len(words) > 2 and words[1] == "of" and words[0] in lex.quantities:
        words = words[2:]  # "number of trainable parameters"
    for i, w in enumerate(words[1:-1], 1):
        if w in _INVERTING:
            words = words[i + 1:] + words[:i]
            break
    words = _based_acts(words, lex)
    original = nf.text.split()
    if (len(words) == 2 and len(original) == 2 and words[0].endswith("ing") and original[1].lower().endswith("s")
            and words[1] in lex.gerund_objects):
        words = [words[1], words[0]]  # rule gerund_object: "pruning tokens" is token pruning
    if split:
        # a rating word hyphenated to the next word makes a term with it, not a rating: "pure-differential privacy"
        # is pure DP, a stricter notion than differential privacy; it stays whole as in the unsplit key
        head, _, rest = words[0].partition("-") if words else ("", "", "")
        if rest and head in lex.evaluative:
            words = [head + rest] + words[1:]
        return [w for w in tokens_of(" ".join(words)) if w not in _FUNCTION]
    return [w.replace("-", "") for w in words if w not in _FUNCTION and w.strip("-")]


def compound_words(nf):
    """The words of a form in the order of a compound, function words dropped ("ensemble of neural networks" ->
    ``["neural", "network", "ensemble"]``).

    >>> from kg.link.normalize import normalize
    >>> compound_words(normalize("ensemble of neural networks"))
    ['neural', 'network', 'ensemble']
    """
    return _words(nf)


def _adjective(word, lex):
    return word.endswith(lex.adjective_endings)


def _strip(words, lex):
    """Drop descriptor heads (never after an adjective), a leading counting or rating word and a leading
    modifier before a one-word process."""
    if not words:  # a form of function words or signs alone ("of the", "-"): nothing to strip
        return words
    if all(w in lex.vague or w in lex.evaluative for w in words[:-1]) and (
            words[-1] in lex.generic_heads or any(w in lex.vague for w in words[:-1])):
        return words  # "existing methods", "standard approaches": a vague phrase keeps its head
    if len(words) > 1 and words[0] in lex.quantities:
        words = words[1:]
    if len(words) > 1 and words[0] in lex.evaluative and " ".join(words) not in lex.rated_terms:
        words = words[1:]
    while len(words) > 1 and (words[-1] in lex.phrase_heads and not _adjective(words[-2], lex)
                              or words[-1] in lex.function_heads and words[-2] in lex.function_heads[words[-1]]):
        words = words[:-1]  # "self-attention mechanism", "cross-entropy loss function" (rule function_head)
    mods = sorted(([p.replace("-", "") for p in m.split()] for m in lex.modifiers), key=len, reverse=True)
    for parts in mods:
        if len(words) == len(parts) + 1 and words[:len(parts)] == parts:
            return words[len(parts):]
    for parts in mods:  # "structured network pruning" is structured pruning: after adjectives, before the head
        n = len(parts)
        if len(words) > n + 1 and words[-n - 1:-1] == parts and all(_adjective(w, lex) for w in words[:-n - 1]):
            return words[:-n - 1] + words[-1:]
    return words


def model_stem_key(key, lexicon=None):
    """A stem key of a class of models without the head that says so: "deep learning architectures", "deep
    learning models" and "deep learning systems" are one class of models (:data:`Lexicon.model_heads`); only
    within the Model family, so "deep learning" the method stays apart.

    >>> model_stem_key("deep learn model"), model_stem_key("deep learn system"), model_stem_key("model")
    ('deep learn', 'deep learn', 'model')
    """
    lex = lexicon or load_lexicon()
    heads = {stem(h) for h in lex.model_heads}
    words = key.split()
    rest = [w for w in words if w not in heads]
    return " ".join(rest) if rest else key


def stem_keys(nf, lexicon=None, gerunds=False):
    """The stem keys of an ordinary phrase: of its words as written and with hyphenated words split, so that
    "self attention layer" meets "self-attention" and "auto-regressive" meets "autoregressive" (empty for a
    proper name).

    Examples
    --------
    >>> from kg.link.normalize import normalize
    >>> sorted(stem_keys(normalize("self-attention mechanism")))
    ['self attent', 'selfattent']
    >>> bool(stem_keys(normalize("self attention layer")) & stem_keys(normalize("self-attention")))
    True
    """
    return {k for k in (stem_key(nf, lexicon, gerunds=gerunds), stem_key(nf, lexicon, split=True, gerunds=gerunds))
            if k}


def stem_key(nf, lexicon=None, split=False, gerunds=False):
    """The stem key of an ordinary noun phrase, or None for a proper name or a form without content words.

    Parameters
    ----------
    nf : NormalForm
    lexicon : Lexicon, optional
        Word lists (default: :func:`kg.link.lexicon.load_lexicon`).
    split : bool
        Split hyphenated words ("self-attention" -> "self", "attention").

    Returns
    -------
    str or None

    Examples
    --------
    >>> from kg.link.normalize import normalize
    >>> stem_key(normalize("computational cost")) == stem_key(normalize("computation cost"))
    True
    >>> stem_key(normalize("self-attention mechanism")) == stem_key(normalize("self-attention layer"))
    True
    >>> stem_key(normalize("rates of convergence")) == stem_key(normalize("convergence rate"))
    True
    >>> stem_key(normalize("linear transformer")) == stem_key(normalize("linear transformation"))
    False
    >>> stem_key(normalize("LoRA")) is None
    True
    """
    if _name_like(nf.text.split()):
        return None
    lex = lexicon or load_lexicon()
    words = _strip([_singular_word(w) for w in _words(nf, split)], lex)
    if not words:
        return None
    return " ".join(gerund_stem(w) if gerunds else stem(w) for w in words)


def gerund_stem(word):
    """The stem of `word` marked ``~g`` when the stemmer dropped an ``-ing``: in the name of a model, the act a
    word names is not the thing ("full ranking model", a ranker, is no "full-rank model").

    >>> gerund_stem("ranking"), gerund_stem("rank"), gerund_stem("string")
    ('rank~g', 'rank', 'string')
    """
    s = stem(word)
    return s + "~g" if word.endswith("ing") and not s.endswith("ing") and "~" not in s and len(word) > 5 else s




def content_words(nf, lexicon=None):
    """The stems of the content words of any form in order, descriptor heads dropped (names lower-cased).

    >>> from kg.link.normalize import normalize
    >>> content_words(normalize("LLM quantization"))
    ['llm', 'quantiz']
    """
    lex = lexicon or load_lexicon()
    return [stem(w) for w in _strip([_singular_word(w) for w in _words(nf, split=True)], lex)]


def content_stems(nf, lexicon=None):
    """The set of stems of the content words of any form, descriptor heads dropped (names lower-cased).

    Examples
    --------
    >>> from kg.link.normalize import normalize
    >>> sorted(content_stems(normalize("top-1 accuracy"))), sorted(content_stems(normalize("accuracy")))
    (['1', 'accuraci', 'top'], ['accuraci'])
    """
    return frozenset(content_words(nf, lexicon))
