"""A cache for spaCy's lemmatizer: each distinct (word, part of speech, morphology) is lemmatized once.

spaCy's rule lemmatizer (:class:`spacy.lang.en.EnglishLemmatizer`) caches the lemmas it finds by suffix rules,
but not the words it returns early (a base form such as a singular noun, recognised by reading the token's
morphology as a dict; punctuation; parts of speech without rules), which are most tokens of an abstract: it
cost about half as much as the parser. Worse, each word its suffix rules try is looked up in a *list* of the
part of speech's known lemmas (57,528 nouns in ``lemma_index``), one scan per form. Its lemmas depend on nothing but the token's text, part of speech and
morphology (``lookup`` mode: the text alone), so :class:`LemmaCache` keeps the lemmatizer's own answer per
``(orth, pos, morph)``, :class:`IndexList` gives each list of known lemmas a set to test membership in, and
:func:`cache_lemmatizer` installs both: the cache as the lemmatizer's ``lemmatize`` (the
attribute spaCy's ``Lemmatizer.__call__`` calls per token), the way
:func:`kg.extract.rule_index.index_attribute_ruler` installs its matcher: the same lemmas, looked up.
"""

__all__ = ["LemmaCache", "IndexList", "cache_lemmatizer"]

#: Lemmatizer modes whose lemmas are a pure function of the cache key.
CACHED_MODES = ("rule", "lookup")


class IndexList(list):
    """A list whose ``in`` is a set lookup (same answer: its items are strings); it stays a list, so the
    lemmatizer's tables serialize as before.

    Examples
    --------
    >>> words = IndexList(["cat", "dog"])
    >>> "dog" in words, "cats" in words, words == ["cat", "dog"], isinstance(words, list)
    (True, False, True, True)
    """

    def __init__(self, items=()):
        super().__init__(items)
        self._set = frozenset(self)

    def __contains__(self, item):
        return item in self._set


class LemmaCache:
    """A drop-in ``lemmatize`` for a :class:`spacy.pipeline.Lemmatizer` in ``rule`` or ``lookup`` mode.

    Parameters
    ----------
    lemmatize : callable
        The lemmatizer's own ``lemmatize`` (token -> list of lemmas), called once per distinct key.

    Examples
    --------
    >>> calls = []
    >>> cache = LemmaCache(lambda token: calls.append(token.text) or [token.text.lower()])
    >>> import spacy
    >>> doc = spacy.blank("en")("The cat and the Cat")
    >>> [cache(t)[0] for t in doc], calls
    (['the', 'cat', 'and', 'the', 'cat'], ['The', 'cat', 'and', 'the', 'Cat'])
    >>> len(cache.cache)
    5
    """

    def __init__(self, lemmatize):
        self.lemmatize = lemmatize
        self.cache = {}

    def __call__(self, token):
        key = (token.orth, token.pos, token.morph.key)
        forms = self.cache.get(key)
        if forms is None:
            forms = self.cache[key] = self.lemmatize(token)
        return forms


def cache_lemmatizer(nlp, name="lemmatizer"):
    """Make the pipeline's lemmatizer look its lemmas up in a :class:`LemmaCache` (no-op without a lemmatizer
    or in a mode whose lemmas depend on more than the token's text, part of speech and morphology).

    Returns
    -------
    LemmaCache or None
    """
    if name not in nlp.pipe_names:
        return None
    lemmatizer = nlp.get_pipe(name)
    if getattr(lemmatizer, "mode", None) not in CACHED_MODES or isinstance(lemmatizer.lemmatize, LemmaCache):
        return None
    if lemmatizer.lookups.has_table("lemma_index"):
        table = lemmatizer.lookups.get_table("lemma_index")
        for pos in list(table):
            if type(table[pos]) is list and all(isinstance(w, str) for w in table[pos]):
                table[pos] = IndexList(table[pos])
    lemmatizer.lemmatize = LemmaCache(lemmatizer.lemmatize)
    return lemmatizer.lemmatize
