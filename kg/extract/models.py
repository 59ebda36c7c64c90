"""The learned decisions of extraction: gradient-boosted classifiers over named features.

Each decision (is this candidate a mention, and of which type; which relation, if any, holds between two
mentions) is a :class:`Classifier`: a LightGBM model (Ke et al. 2017, "LightGBM: A Highly Efficient Gradient
Boosting Decision Tree") over a fixed list of named features, with its class labels and decision thresholds.
``kg train`` fits them on features of the annotated abstracts computed out of fold (:mod:`kg.train`) and writes
them under the model directory; the components load them with :meth:`Classifier.from_disk`. Their
probabilities are the confidences extraction reports; ``kg train`` measures their calibration on held-out folds.
"""

from __future__ import annotations

import json
import re
from itertools import chain
from pathlib import Path

import numpy as np

from ..errors import KGError
from ..io import atomic_write

__all__ = ["Classifier", "PARAMS", "fit"]

#: LightGBM settings shared by the classifiers: small trees, row and feature subsampling, a fixed seed and one
#: thread so the same data gives the same model.
PARAMS = {"objective": "multiclass", "learning_rate": 0.05, "num_leaves": 31, "min_data_in_leaf": 20,
          "feature_fraction": 0.8, "bagging_fraction": 0.8, "bagging_freq": 1, "lambda_l2": 1.0, "verbose": -1,
          "seed": 0, "num_threads": 1, "deterministic": True, "force_row_wise": True}


def fit(rows, labels, classes, rounds=300, params=None, weights=None):
    """Fit a :class:`Classifier` on feature dicts.

    Parameters
    ----------
    rows : list of dict
        Feature name -> number (missing names count as 0).
    labels : list of str
        One of `classes` per row.
    classes : sequence of str
        Class labels; the first is the "nothing" class.
    rounds : int
        Boosting rounds.
    params : dict, optional
        Overrides of :data:`PARAMS`.
    weights : list of float, optional
        Weight of each row (default 1).

    Returns
    -------
    Classifier
    """
    import lightgbm as lgb

    names = sorted({n for r in rows for n in r})
    X = np.array([[r.get(n, 0) for n in names] for r in rows], dtype=float)
    y = np.array([classes.index(label) for label in labels])
    p = {**PARAMS, **(params or {}), "num_class": len(classes)}
    # LightGBM refuses JSON punctuation in feature names ("pattern:role.beaten:x"); ours stay in Classifier.features
    safe = [re.sub(r"[^\w.\-]", "_", n) for n in names]
    booster = lgb.train(p, lgb.Dataset(X, y, weight=weights, feature_name=safe), rounds)
    return Classifier(booster, names, list(classes))


class Classifier:
    """A fitted classifier with its feature names, classes and decision thresholds.

    Parameters
    ----------
    booster : lightgbm.Booster
    features : list of str
    classes : list of str
    thresholds : dict, optional
        Per class, the probability from which the class is decided (:meth:`decide`); default 0.5.

    Attributes
    ----------
    text_model : kg.extract.relation_text.TextModel or None
        A text model whose probabilities are among the features (``text_<class>``), which the caller adds to the
        rows it predicts on (the relation and role classifiers', :mod:`kg.extract.relation_text`,
        :mod:`kg.extract.role_text`); saved beside the classifier by ``kg train``, not by :meth:`to_disk`.
    """

    def __init__(self, booster, features, classes, thresholds=None):
        self.booster = booster
        self.features = list(features)
        self.classes = list(classes)
        self.thresholds = dict(thresholds or {})
        self.text_model = None

    def predict(self, rows):
        """Class probabilities of feature dicts, one row of ``len(classes)`` per dict."""
        if not rows:
            return np.zeros((0, len(self.classes)))
        zeros = [0] * len(self.features)  # r.get(name, 0) for every feature name, through map
        # the values streamed into one float array: no list per row, no nested-list conversion
        values = chain.from_iterable(map(r.get, self.features, zeros) for r in rows)
        X = np.fromiter(values, dtype=float, count=len(rows) * len(self.features))
        X = X.reshape(len(rows), len(self.features))
        # one thread: a few hundred rows per abstract cost less than waking a thread pool
        return self.booster.predict(X, num_threads=1)

    def threshold(self, label, default=0.5):
        """The decision threshold of class `label`."""
        return self.thresholds.get(label, self.thresholds.get("*", default))

    def to_disk(self, path):
        """Write the model (LightGBM text format) and ``<name>.json`` with features, classes and thresholds."""
        path = Path(path)
        path.parent.mkdir(parents=True, exist_ok=True)
        with atomic_write(path.with_suffix(".lgb")) as fh:
            fh.write(self.booster.model_to_string())
        with atomic_write(path.with_suffix(".json")) as fh:
            json.dump({"features": self.features, "classes": self.classes, "thresholds": self.thresholds}, fh,
                      indent=1, sort_keys=True)

    @classmethod
    def from_disk(cls, path):
        """Read a classifier written by :meth:`to_disk` (`path` without suffix)."""
        import lightgbm as lgb

        path = Path(path)
        try:
            meta = json.loads(path.with_suffix(".json").read_text(encoding="utf-8"))
            booster = lgb.Booster(model_str=path.with_suffix(".lgb").read_text(encoding="utf-8"))
        except (OSError, ValueError) as exc:
            raise KGError(f"cannot read the classifier {path}: {exc}") from None
        return cls(booster, meta["features"], meta["classes"], meta.get("thresholds"))
