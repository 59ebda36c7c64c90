"""The annotated abstracts ``kg train`` learns from, and how they are split for cross-validation.

Annotations are stand-off records (:mod:`kg.annotations`) under ``data/annotations/<source>/``; each source's
texts are read from where they live (:data:`kg.annotations.SOURCES`). A paper's fold is a hash of its id, so it
stays in the same fold as the data grows, and the same data always gives the same split.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

from ..annotations import ROOT, SOURCES, read_annotated
from ..errors import InputError

__all__ = ["ANNOTATIONS_DIR", "Annotated", "load_annotated", "fold_of", "kfold", "by_source"]

#: Where the stand-off annotations are kept, one folder per source.
ANNOTATIONS_DIR = ROOT / "data" / "annotations"


@dataclass
class Annotated:
    """One annotated abstract: the paper, its gold dict (GUIDELINE.md format, evidence as text) and its source."""

    paper: object
    gold: dict
    source: str


def load_annotated(directory=ANNOTATIONS_DIR, sources=None, texts=None):
    """Every annotated abstract under `directory` (``<source>/*.jsonl``), sources in name order.

    Parameters
    ----------
    directory : str or os.PathLike
    sources : list of str, optional
        Only these sources.
    texts : dict, optional
        ``{source: {id: Paper}}`` overriding where texts are read from.

    Returns
    -------
    list of Annotated
    """
    directory = Path(directory)
    if not directory.is_dir():
        raise InputError(directory, "no annotation directory")
    out = []
    for sub in sorted(p for p in directory.iterdir() if p.is_dir()):
        if sub.name not in SOURCES or (sources and sub.name not in sources):
            continue
        for paper, gold in read_annotated(sub, sub.name, (texts or {}).get(sub.name)):
            out.append(Annotated(paper, gold, sub.name))
    if not out:
        raise InputError(directory, "no annotated abstracts")
    return out


def fold_of(paper_id, k, seed=0):
    """The fold (0..k-1) of a paper: a hash of its id and `seed`.

    >>> fold_of("openreview:abc", 5), fold_of("openreview:abc", 5)
    (1, 1)
    """
    return int(hashlib.sha1(f"{seed}:{paper_id}".encode()).hexdigest(), 16) % k


def kfold(items, k, seed=0):
    """Fold of each item (:func:`fold_of` of its paper id)."""
    return [fold_of(a.paper.id, k, seed) for a in items]


def by_source(items, test_source):
    """A cross-source split: fold 0 for `test_source`'s abstracts, fold 1 for the others (trained on)."""
    return [0 if a.source == test_source else 1 for a in items]
