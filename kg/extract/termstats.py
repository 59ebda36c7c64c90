"""How annotators treated a phrase in the training abstracts: a learned, graded memory of terms.

For every normalised candidate form (``devset/score.py``'s normalisation: case, punctuation, plural s and a
trailing head word such as "dataset" do not count) and every head lemma, :class:`TermStats` counts the training
abstracts where the phrase was a candidate mention, those where annotators made it a (non-generic) entity, those
where they marked it generic, and the types they gave it. The mention classifier (:mod:`kg.extract.mentions`)
reads these as features: "accuracy" is annotated in most abstracts that say it, "training" almost never. This
replaces hand-kept reject lists with counts, and it is target encoding (Micci-Barreca 2001): features of a
training abstract leave that abstract's own counts out (:meth:`TermStats.features` with ``exclude``), so the
classifier never learns from a count that includes its own label.
"""

from __future__ import annotations

import json
import re
from collections import Counter, defaultdict

from ..io import atomic_write
from ..records import ENTITY_TYPES

__all__ = ["norm_form", "TermStats", "STAT_FEATURES"]

_HEADS = ("dataset", "datasets", "benchmark", "benchmarks", "model", "models", "method", "methods", "algorithm",
          "framework", "approach", "architecture", "network", "corpus", "task", "metric")
#: Names of the features :meth:`TermStats.features` returns, in order.
STAT_FEATURES = ("form_seen", "form_rate", "form_generic", "head_seen", "head_rate",
                 *(f"form_type_{t}" for t in ENTITY_TYPES))


def norm_form(text):
    """The normalised form of a phrase, as the dev-set scorer compares names.

    Examples
    --------
    >>> norm_form("The ImageNet dataset"), norm_form("Large Language Models"), norm_form("LoRA (ours)")
    ('theimagenet', 'largelanguage', 'lora')
    """
    s = text.lower().replace("\u2013", "-").replace("\u2014", "-")
    s = re.sub(r"\s*\([^)]*\)\s*$", "", s) or s
    words = re.findall(r"[a-z0-9]+", s)
    while len(words) > 1 and words[-1] in _HEADS:
        words = words[:-1]
    if words and len(words[-1]) > 3 and words[-1].endswith("s") and not words[-1].endswith("ss"):
        words[-1] = words[-1][:-1]
    return "".join(words)


class TermStats:
    """Counts of how annotators treated phrases (see the module docstring).

    Parameters
    ----------
    forms : dict, optional
        ``{form: [seen, annotated, generic, {type: n}]}``.
    heads : dict, optional
        ``{head lemma: [seen, annotated]}``.
    """

    def __init__(self, forms=None, heads=None):
        self.forms = forms or {}
        self.heads = heads or {}
        self._docs = {}

    @staticmethod
    def contribution(items):
        """One abstract's contribution from its candidates: ``items`` are ``(form, head, label)`` with label
        ``"O"``, ``"Generic"`` or an entity type. Returns ``(forms, heads)``: per form ``(annotated, generic,
        type or None)``, per head ``annotated``; each phrase counts once per abstract."""
        labels, hlabels = defaultdict(set), defaultdict(set)
        for form, head, label in items:
            labels[form].add(label)
            hlabels[head].add(label)
        forms = {}
        for form, labs in labels.items():
            typed = sorted(lab for lab in labs if lab in ENTITY_TYPES)
            forms[form] = (bool(typed), "Generic" in labs, typed[0] if typed else None)
        heads = {h: any(lab in ENTITY_TYPES for lab in labs) for h, labs in hlabels.items()}
        return forms, heads

    def add(self, doc_id, items):
        """Count one training abstract (see :meth:`contribution`); remembered for :meth:`features` ``exclude``."""
        forms, heads = self.contribution(items)
        self._docs[doc_id] = (forms, heads)
        for form, (ann, gen, type_) in forms.items():
            row = self.forms.setdefault(form, [0, 0, 0, {}])
            row[0] += 1
            row[1] += ann
            row[2] += gen
            if type_:
                row[3][type_] = row[3].get(type_, 0) + 1
        for head, ann in heads.items():
            row = self.heads.setdefault(head, [0, 0])
            row[0] += 1
            row[1] += ann
        return self

    def features(self, form, head, exclude=None):
        """Feature values (:data:`STAT_FEATURES`) of a phrase, leaving out abstract `exclude`'s own counts.

        Rates are smoothed towards a low prior, so a phrase seen once is not certain.

        Examples
        --------
        >>> st = TermStats().add("a", [("accuracy", "accuracy", "Metric")]).add("b", [("accuracy", "accuracy", "O")])
        >>> [round(v, 2) for v in st.features("accuracy", "accuracy")][:3]
        [2, 0.37, 0.02]
        >>> st.features("accuracy", "accuracy", exclude="a")[:2]
        [1, 0.05]
        """
        seen, ann, gen, types = 0, 0, 0, Counter()
        row = self.forms.get(form)
        if row:
            seen, ann, gen, types = row[0], row[1], row[2], Counter(row[3])
        hrow = self.heads.get(head) or [0, 0]
        hseen, hann = hrow
        if exclude is not None and exclude in self._docs:
            forms, heads = self._docs[exclude]
            if form in forms:
                a, g, t = forms[form]
                seen, ann, gen = seen - 1, ann - a, gen - g
                if t:
                    types[t] -= 1
            if head in heads:
                hseen, hann = hseen - 1, hann - heads[head]
        total = sum(v for v in types.values() if v > 0)
        typed = [types[t] / total if total else -1.0 for t in ENTITY_TYPES]
        return [seen, (ann + 0.1) / (seen + 1), (gen + 0.05) / (seen + 1), hseen, (hann + 0.1) / (hseen + 1), *typed]

    def to_disk(self, path):
        """Write the counts as JSON (sorted, so equal counts give equal files)."""
        with atomic_write(path) as fh:
            json.dump({"forms": self.forms, "heads": self.heads}, fh, sort_keys=True, separators=(",", ":"))

    @classmethod
    def from_disk(cls, path):
        """Read counts written by :meth:`to_disk`."""
        with open(path, encoding="utf-8") as fh:
            data = json.load(fh)
        return cls(data["forms"], data["heads"])
