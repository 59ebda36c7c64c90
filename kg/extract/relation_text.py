"""The words around a candidate pair, and a linear model over them whose probabilities the relation classifier reads.

The relation classifier (:mod:`kg.extract.relation_features`) sees a pair through named features: cue-word
lists, types, roles, distances. What those lists miss ("reported *on*", "tested *across*", "*versus*",
"*built upon*") is in the words themselves. :func:`pair_words` describes a pair by the words of its context
(lemmas between the two mentions, their pairs, the words just before and after, the lemmas and dependency labels
on the path between their heads; for a pair whose first end is implicit, the words around the second end), and
:class:`TextModel`, a multinomial logistic regression over those words (scikit-learn's
``LogisticRegression``, fitted by ``kg train``), turns them into one probability per relation class. These
probabilities are features of the relation classifier (``text_<class>``): stacked generalisation again, so
``kg train`` fits the classifier on text-model probabilities computed out of fold (:mod:`kg.train.stack`).

The model is saved as JSON (its vocabulary, coefficients and classes; no pickle) and applied with numpy.
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np

from ..errors import KGError
from ..io import atomic_write
from .relation_features import dep_path
from .sentences import sentences

__all__ = ["pair_words", "doc_pair_words", "TextModel", "text_features", "with_text", "fit_text_model",
           "read_text_model", "TEXT_PREFIX", "TEXT_MODEL_FILE"]

#: File name of the text model in a model directory (beside ``relation.lgb``/``relation.json``).
TEXT_MODEL_FILE = "relation.text.json"
#: Prefix of the relation classifier's features that hold the text model's probabilities.
TEXT_PREFIX = "text_"
#: Words kept between two mentions: the first and last half of this many, when more lie between.
_MID = 14
#: Words taken before the first and after the second mention; around the second of an implicit pair.
_SIDE, _IMPLICIT_BEFORE, _IMPLICIT_AFTER = 4, 8, 5


def _root(doc, start, end):
    """The head token of span ``[start, end)``: its first token whose head lies outside it."""
    for t in doc[start:end]:
        if not start <= t.head.i < end or t.head.i == t.i:
            return t
    return doc[end - 1]


def pair_words(doc, pair, sentence):
    """The context words of a candidate pair, as the strings the text model reads.

    Parameters
    ----------
    doc : spacy.tokens.Doc
        Parsed (lemmas, parts of speech, dependencies).
    pair : kg.extract.relation_features.Pair
    sentence : spacy.tokens.Span
        The pair's sentence (that of its second end when they are apart).

    Returns
    -------
    list of str
        ``how=<sentence|implicit|rule>``; for two mentions in text order in one sentence: ``M:<lemma>`` between
        them (numbers as ``<num>``), ``M2:<lemma>_<lemma>`` pairs (``<A>`` and ``<B>`` for the mentions),
        ``P:`` the words before the first, ``Q:`` after the second, ``D:`` the lemmas on the dependency path
        between their heads (with the second head when it governs the first),
        ``DD:<dep>_<dep>`` the two heads' dependency labels and ``len=<k>`` the distance in steps of three;
        else ``IP:``/``IQ:`` the words before and after the second mention.

    Examples
    --------
    >>> import spacy
    >>> from kg.extract.relation_features import Pair
    >>> from types import SimpleNamespace as NS
    >>> doc = spacy.blank("en")("X beats Y on Z")
    >>> words = pair_words(doc, Pair(NS(start=0, end=1), NS(start=2, end=3), 0, "sentence"), doc[:])
    >>> words[:4], "Q:on" in words
    (['how=sentence', 'M:beats', 'M2:<A>_beats', 'M2:beats_<B>'], True)
    """
    a, b = pair.a, pair.b

    def lemma(t):
        return "<num>" if t.pos_ == "NUM" or t.like_num else (t.lemma_ or t.text).lower()

    out = [f"how={pair.how}"]
    if pair.how == "sentence" and a.end <= b.start:
        mid = [lemma(t) for t in doc[a.end:b.start]]
        if len(mid) > _MID:
            mid = mid[:_MID // 2] + ["..."] + mid[-(_MID // 2):]
        out += [f"M:{w}" for w in mid]
        out += [f"M2:{x}_{y}" for x, y in zip(["<A>", *mid], [*mid, "<B>"])]
        out += [f"P:{lemma(t)}" for t in doc[max(sentence.start, a.start - _SIDE):a.start]]
        out += [f"Q:{lemma(t)}" for t in doc[b.end:min(sentence.end, b.end + _SIDE)]]
        ra, rb = _root(doc, a.start, a.end), _root(doc, b.start, b.end)
        path = dep_path(ra, rb)[1:]  # after the first head: the tokens between, and the second head if it governs it
        out += [f"D:{lemma(t)}" for t in (path if rb.is_ancestor(ra) else path[:-1])]
        out += [f"DD:{ra.dep_}_{rb.dep_}", f"len={min(len(mid), 15) // 3}"]
    else:
        out += [f"IP:{lemma(t)}" for t in doc[max(sentence.start, b.start - _IMPLICIT_BEFORE):b.start]]
        out += [f"IQ:{lemma(t)}" for t in doc[b.end:min(sentence.end, b.end + _IMPLICIT_AFTER)]]
    return out


class TextModel:
    """A multinomial logistic regression over context words: vocabulary, coefficients (classes x words),
    intercepts and class labels."""

    def __init__(self, vocabulary, coef, intercept, classes):
        self.vocabulary = list(vocabulary)
        self.index = {w: i for i, w in enumerate(self.vocabulary)}
        self.coef = np.asarray(coef, dtype=float)
        self.intercept = np.asarray(intercept, dtype=float)
        self.classes = list(classes)

    def predict(self, word_lists):
        """Class probabilities (rows of ``len(classes)``) of lists of context words; unknown words are ignored,
        a word counts once."""
        scores = np.tile(self.intercept, (len(word_lists), 1))
        for row, words in zip(scores, word_lists):
            ids = sorted({self.index[w] for w in words if w in self.index})
            if ids:
                row += self.coef[:, ids].sum(axis=1)
        scores -= scores.max(axis=1, keepdims=True) if len(scores) else 0
        e = np.exp(scores)
        return e / e.sum(axis=1, keepdims=True)

    def with_features(self, rows, word_lists):
        """Feature rows of a relation classifier with this model's probabilities added (:func:`with_text`)."""
        return with_text(rows, self.predict(word_lists), self.classes)

    def to_disk(self, path):
        """Write the model as JSON to `path`."""
        with atomic_write(Path(path)) as fh:
            json.dump({"classes": self.classes, "vocabulary": self.vocabulary,
                       "coef": [[round(float(x), 6) for x in row] for row in self.coef],
                       "intercept": [round(float(x), 6) for x in self.intercept]}, fh)

    @classmethod
    def from_disk(cls, path):
        """Read a model written by :meth:`to_disk`."""
        path = Path(path)
        try:
            d = json.loads(path.read_text(encoding="utf-8"))
            return cls(d["vocabulary"], d["coef"], d["intercept"], d["classes"])
        except (OSError, ValueError, KeyError) as exc:
            raise KGError(f"{path}: not a text model written by kg train ({exc})") from None


def fit_text_model(word_lists, labels, classes, weights=None, c=0.3, min_count=2):
    """Fit a :class:`TextModel` (scikit-learn's L2-regularised ``LogisticRegression``, lbfgs: deterministic).

    Parameters
    ----------
    word_lists : list of list of str
        :func:`pair_words` of each row.
    labels : list of str
        Class of each row.
    classes : sequence of str
        Every class the model should give a probability for (a class without rows gets none).
    weights : list of float, optional
    c : float
        Inverse regularisation strength (0.3 was best among 0.3, 1 and 3 out of fold).
    min_count : int
        Words seen in fewer rows are left out.

    Returns
    -------
    TextModel
    """
    from sklearn.feature_extraction.text import CountVectorizer
    from sklearn.linear_model import LogisticRegression

    if len(set(labels)) < 2:  # one class seen: it is certain, the words say nothing
        intercept = [0.0 if c_ in labels else -30.0 for c_ in classes]
        return TextModel([], np.zeros((len(classes), 0)), intercept, classes)
    vec = CountVectorizer(analyzer=lambda words: words, min_df=min_count, binary=True)
    X = vec.fit_transform(word_lists)
    model = LogisticRegression(C=c, max_iter=2000)
    model.fit(X, labels, sample_weight=weights)
    vocab = vec.get_feature_names_out()
    coef = np.zeros((len(classes), len(vocab)))
    intercept = np.full(len(classes), -30.0)  # classes without rows: no probability
    fitted = list(model.classes_)
    if len(fitted) == 2:  # scikit-learn keeps one row of coefficients for two classes
        rows, icpt = np.vstack([-model.coef_[0] / 2, model.coef_[0] / 2]), [-model.intercept_[0] / 2,
                                                                             model.intercept_[0] / 2]
    else:
        rows, icpt = model.coef_, model.intercept_
    for k, c_ in enumerate(fitted):
        coef[list(classes).index(c_)] = rows[k]
        intercept[list(classes).index(c_)] = icpt[k]
    return TextModel(vocab, coef, intercept, classes)


def text_features(probs, classes):
    """Feature dicts (``text_<class>``) of text-model probabilities, one per row."""
    names = [f"{TEXT_PREFIX}{c}" for c in classes]
    return [dict(zip(names, map(float, row))) for row in probs]


def doc_pair_words(doc, pairs):
    """:func:`pair_words` of every candidate pair of `doc`."""
    sents = sentences(doc)
    return [pair_words(doc, p, sents[p.sentence]) for p in pairs]


def with_text(rows, probs, classes):
    """Feature rows with the text model's probabilities added (:func:`text_features`)."""
    return [{**row, **extra} for row, extra in zip(rows, text_features(probs, classes))]


def read_text_model(classifier, path, what):
    """The text model at `path` when `classifier` reads its probabilities (``text_`` features), else None.

    Raises
    ------
    KGError
        The classifier reads a text model and the file is missing (`what` names the classifier in the message).
    """
    if not any(f.startswith(TEXT_PREFIX) for f in classifier.features):
        return None
    path = Path(path)
    if not path.is_file():
        raise KGError(f"{path}: missing; the {what} classifier of {path.parent} reads its probabilities")
    return TextModel.from_disk(path)
