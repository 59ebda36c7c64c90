"""Faster matching for spaCy's ``attribute_ruler``: the same matches, found by dictionary lookup.

The English pipeline's ruler holds 179 rules, nearly all one token long and made of plain values and ``IN`` /
``NOT_IN`` sets over the token's tag, lower-cased form, dependency label and ``IS_SPACE`` (the tag map and morph
rules: ``{"TAG": "VBD", "LOWER": "was"}``). spaCy's :class:`~spacy.matcher.Matcher` tries every rule at every
token and evaluates every set of every rule there, which costs as much as the parser. :class:`RuleIndex` looks
those rules up by one of their values and checks the rest; the others (regular expressions, two-token rules) stay
with a Matcher of their own. The matches are the ruler's own ``(attr_id, match_id, start, end)`` tuples in its
order (by rule: later rules take precedence), so the ruler sets the same attributes.
"""

from spacy.attrs import DEP, IS_SPACE, LOWER, TAG
from spacy.matcher import Matcher
from spacy.strings import get_string_id

__all__ = ["RuleIndex", "index_attribute_ruler"]

#: Token attributes a rule may test to be looked up, in the order of the columns read per token; a rule is
#: looked up by the first of them it requires a value of.
_COLUMNS = ("LOWER", "TAG", "DEP", "IS_SPACE")
_IDS = (LOWER, TAG, DEP, IS_SPACE)


def _value_set(value):
    """``(allowed, excluded)`` hash sets of one attribute's condition, or None when it is no plain value or
    ``IN`` / ``NOT_IN`` set."""
    if isinstance(value, bool):
        return {int(value)}, None
    if isinstance(value, str):
        return {get_string_id(value)}, None
    if isinstance(value, dict) and len(value) == 1 and all(isinstance(v, str) for v in next(iter(value.values()))):
        (op, values), = value.items()
        if op in ("IN", "NOT_IN"):
            ids = {get_string_id(v) for v in values}
            return (ids, None) if op == "IN" else (None, ids)
    return None


def _conditions(pattern):
    """Per column, ``(allowed, excluded)`` of a one-token pattern the index can check, else None."""
    if len(pattern) != 1 or not pattern[0] or not set(pattern[0]) <= set(_COLUMNS):
        return None
    conds = {col: _value_set(value) for col, value in pattern[0].items()}
    if any(c is None for c in conds.values()) or not any(allowed for allowed, _ in conds.values()):
        return None
    return conds


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
        # per column: value -> [(attr_id, match_id, checks of the other columns: (column, allowed, excluded))]
        self.index = [{} for _ in _COLUMNS]
        for attr_id in range(self.n_rules):
            key = str(attr_id)
            match_id = strings.add(key)
            rest = []
            for pattern in ruler.matcher.get(key)[1]:
                conds = _conditions(pattern)
                if conds is None:
                    rest.append(pattern)
                    continue
                col = next(k for k, name in enumerate(_COLUMNS) if conds.get(name, (None,))[0])
                checks = tuple((k, *conds[name]) for k, name in enumerate(_COLUMNS) if name in conds and k != col)
                allowed, excluded = conds[_COLUMNS[col]]
                for value in allowed - (excluded or set()):
                    self.index[col].setdefault(value, []).append((attr_id, match_id, checks))
            if rest:
                self.rest.add(key, rest)

    def __call__(self, doc):
        if len(self.ruler.attrs) != self.n_rules:
            self._build()
        strings = self.ruler.vocab.strings
        found = {(int(strings[m_id]), m_id, s, e) for m_id, s, e in self.rest(doc, allow_missing=True,
                                                                               as_spans=False)}
        columns = list(enumerate(self.index))
        for i, row in enumerate(doc.to_array(list(_IDS)).tolist()):
            for col, rules in columns:
                for attr_id, match_id, checks in rules.get(row[col], ()):
                    if all(row[k] in allowed if allowed is not None else row[k] not in excluded
                           for k, allowed, excluded in checks):
                        found.add((attr_id, match_id, i, i + 1))
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
