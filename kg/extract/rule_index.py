"""Faster token matching for spaCy's ``attribute_ruler`` and ``DependencyMatcher``: the same matches, looked up.

spaCy's :class:`~spacy.matcher.Matcher` tries every pattern at every token and evaluates every ``IN`` set of
every pattern there. The English pipeline's attribute ruler (179 rules, nearly all one token long: the tag map
and morph rules, ``{"TAG": "VBD", "LOWER": "was"}``) then costs as much as the parser, and the
``DependencyMatcher`` of :mod:`kg.extract.patterns` (one one-token pattern per node, mostly ``IN`` sets of
lemmas, words and labels) more. :class:`TokenIndex` holds one-token patterns of plain values and ``IN`` /
``NOT_IN`` sets, looks each up by one of its values and checks the rest:

* :class:`RuleIndex` replaces the attribute ruler's ``match`` (patterns it cannot index, such as regular
  expressions and two-token rules, stay with a Matcher of their own); its matches are the ruler's own
  ``(attr_id, match_id, start, end)`` tuples in its order, so the ruler sets the same attributes;
* :class:`IndexedDependencyMatcher` is a ``DependencyMatcher`` that finds its nodes' tokens so.
"""

from collections import defaultdict

from spacy.attrs import DEP, HEAD, IS_SPACE, LEMMA, LOWER, POS, TAG
from spacy.matcher import DependencyMatcher, Matcher
from spacy.strings import get_string_id

__all__ = ["TokenIndex", "RuleIndex", "IndexedDependencyMatcher", "index_attribute_ruler"]

#: Token attributes a pattern may test to be indexed, in the order of the columns read per token; a pattern is
#: looked up by the first of them it requires a value of.
_COLUMNS = ("LOWER", "LEMMA", "TAG", "POS", "DEP", "IS_SPACE")
_IDS = (LOWER, LEMMA, TAG, POS, DEP, IS_SPACE)
#: Annotations a Matcher refuses to match on a doc that lacks them.
_ANNOTATIONS = ("LEMMA", "TAG", "POS", "DEP")


def _value_set(value):
    """``(allowed, excluded)`` hash sets of one attribute's condition, or None when it is no plain value or
    ``IN`` / ``NOT_IN`` set."""
    if isinstance(value, bool):
        return {int(value)}, None
    if isinstance(value, str):
        return {get_string_id(value)}, None
    if isinstance(value, dict) and len(value) == 1:
        (op, values), = value.items()
        if op in ("IN", "NOT_IN") and isinstance(values, list) and all(isinstance(v, str) for v in values):
            ids = {get_string_id(v) for v in values}
            return (ids, None) if op == "IN" else (None, ids)
    return None


def _conditions(pattern):
    """Per column, ``(allowed, excluded)`` of a one-token pattern the index can check, else None."""
    if len(pattern) != 1 or not isinstance(pattern[0], dict) or not set(pattern[0]) <= set(_COLUMNS):
        return None
    conds = {col: _value_set(value) for col, value in pattern[0].items()}
    return None if any(c is None for c in conds.values()) else conds


class TokenIndex:
    """One-token Matcher patterns (see the module docstring), matched by lookup.

    Examples
    --------
    >>> import spacy
    >>> index = TokenIndex()
    >>> index.add("det", [{"LOWER": {"IN": ["a", "the"]}}]), index.add("x", [{"TEXT": {"REGEX": "x"}}])
    (True, False)
    >>> index(spacy.blank("en")("The cat saw a dog"))
    [(0, 'det'), (3, 'det')]
    """

    def __init__(self):
        self.index = [{} for _ in _COLUMNS]  # per column: value -> [(item, checks of the other columns)]
        self.scan = []  # patterns without a required value: checked at every token
        self.attrs = set()

    def add(self, item, pattern):
        """Index `pattern` (a Matcher pattern) as `item`; False when it is not one the index can check."""
        conds = _conditions(pattern)
        if conds is None:
            return False
        self.attrs |= set(conds)
        col = next((k for k, name in enumerate(_COLUMNS) if conds.get(name, (None,))[0] is not None), None)
        checks = tuple((k, *conds[name]) for k, name in enumerate(_COLUMNS) if name in conds and k != col)
        if col is None:
            self.scan.append((item, checks))
        else:
            for value in conds[_COLUMNS[col]][0]:
                self.index[col].setdefault(value, []).append((item, checks))
        return True

    def annotated(self, doc):
        """True when `doc` has every annotation the patterns test (a Matcher raises otherwise)."""
        return all(doc.has_annotation(a) for a in _ANNOTATIONS if a in self.attrs)

    def __call__(self, doc):
        """``(token index, item)`` of every match, in token order."""
        out = []
        columns = [(k, rules) for k, rules in enumerate(self.index) if rules]
        for i, row in enumerate(doc.to_array(list(_IDS)).tolist()):
            for col, rules in columns:
                for item, checks in rules.get(row[col], ()):
                    if all(row[k] in allowed if allowed is not None else row[k] not in excluded
                           for k, allowed, excluded in checks):
                        out.append((i, item))
            for item, checks in self.scan:
                if all(row[k] in allowed if allowed is not None else row[k] not in excluded
                       for k, allowed, excluded in checks):
                    out.append((i, item))
        return out


class RuleIndex:
    """A drop-in ``match`` for a :class:`spacy.pipeline.AttributeRuler` (see the module docstring).

    Parameters
    ----------
    ruler : spacy.pipeline.AttributeRuler
        Its rules are read once; when rules are added later the index is built again.
    """

    def __init__(self, ruler):
        self.ruler = ruler
        self._build()

    def _build(self):
        ruler, strings = self.ruler, self.ruler.vocab.strings
        self.n_rules = len(ruler.attrs)
        self.rest = Matcher(ruler.vocab, validate=ruler.validate)
        self.index = TokenIndex()
        for attr_id in range(self.n_rules):
            key = str(attr_id)
            match_id = strings.add(key)
            rest = [p for p in ruler.matcher.get(key)[1] if not self.index.add((attr_id, match_id), p)]
            if rest:
                self.rest.add(key, rest)

    def __call__(self, doc):
        if len(self.ruler.attrs) != self.n_rules:
            self._build()
        strings = self.ruler.vocab.strings
        found = {(int(strings[m_id]), m_id, s, e) for m_id, s, e in self.rest(doc, allow_missing=True,
                                                                               as_spans=False)}
        found.update((attr_id, match_id, i, i + 1) for i, (attr_id, match_id) in self.index(doc))
        return sorted(found)


def index_attribute_ruler(nlp, name="attribute_ruler"):
    """Make the pipeline's attribute ruler match through a :class:`RuleIndex` (no-op without one).

    Returns
    -------
    RuleIndex or None
    """
    if name not in nlp.pipe_names:
        return None
    ruler = nlp.get_pipe(name)
    ruler.match = RuleIndex(ruler)
    return ruler.match


def _roots(doc):
    """The root of each token's tree, as ``token.ancestors`` reaches it (at most ``len(doc)`` steps)."""
    n = len(doc)
    heads = [i + int(offset) for i, offset in enumerate(doc.to_array(HEAD).astype("int64").tolist())]
    out = []
    for i in range(n):
        j, steps = i, 0
        while heads[j] != j and steps < n:
            j, steps = heads[j], steps + 1
        out.append(j)
    return out


class IndexedDependencyMatcher(DependencyMatcher):
    """A :class:`spacy.matcher.DependencyMatcher` whose nodes' tokens a :class:`TokenIndex` finds (it falls
    back on spaCy's Matcher when a node's pattern is not indexable or the doc lacks an annotation)."""

    def _node_index(self):
        n_nodes = len(self._matcher)
        if getattr(self, "_index_of", None) is None or self._index_of[0] != n_nodes:
            index = TokenIndex()
            strings = self.vocab.strings
            keys = [k for lists in self._tokens_to_key.values() for ks in lists for k in ks]
            # a node's Matcher key is its match id (a hash, or a string the Matcher hashes)
            ids = [k if isinstance(k, int) else strings.add(k) for k in keys]
            if not all(index.add(i, self._matcher.get(k)[1][0]) for i, k in zip(ids, keys)):
                index = None
            self._index_of = (n_nodes, index)
        return self._index_of[1]

    def _get_keys_to_position_maps(self, doc):
        index = self._node_index()
        if index is None or not index.annotated(doc):
            return super()._get_keys_to_position_maps(doc)
        roots = _roots(doc)
        out = defaultdict(lambda: defaultdict(list))
        for i, match_id in index(doc):
            out[roots[i]][match_id].append(i)
        return out
