"""``kg_ner``: entity mentions tagged by a small committee of trained ``ner`` models, by majority vote.

Each member is a spaCy ``ner`` trained by ``kg train`` (:mod:`kg.train.ner`) with a different seed on the
same annotated abstracts. A few hundred abstracts leave a single model's precision at the mercy of its seed;
keeping only the mentions that the members agree on, with the same boundaries, is steadier (committee
voting as in bagging, Breiman 1996). By default every member of three must agree, all but one of a larger
committee (:func:`default_votes`): precision matters more than recall for a knowledge graph, and a bare
majority adds nearly as many wrong mentions as right ones; mentions shaped like names
(:func:`kg.extract.entity_types.is_name_like`) need only a strict majority. (In a 2-fold check on the training
abstracts five members with four votes tag a little better, entity F1 +0.01, than three that must all agree,
but each member costs about a seventh of extraction time; the package ships three.)

Sets ``doc.ents`` (labels: entity types), read by ``kg_candidates`` as its ``ner`` source.
"""

from collections import Counter

from spacy.language import Language
from spacy.tokens import Span

from .entity_types import is_name_like

__all__ = ["GENERIC_LABEL", "NERCommittee", "make_ner", "vote", "load_members", "default_votes"]

#: NER label of broad classes (GUIDELINE.md "generic").
GENERIC_LABEL = "Generic"


def vote(predictions, min_votes):
    """Mentions tagged identically (same tokens) by at least `min_votes` members, non-overlapping.

    Parameters
    ----------
    predictions : list of list of tuple
        Per member, its ``(start, end, label)`` mentions.
    min_votes : int

    Returns
    -------
    list of tuple
        ``(start, end, label)`` in text order; the label is the members' majority (first seen on ties);
        overlaps keep the mention with more votes, then the longer one.

    Examples
    --------
    >>> vote([[(0, 2, "Method")], [(0, 2, "Model"), (5, 6, "Task")], [(0, 2, "Method")]], 2)
    [(0, 2, 'Method')]
    """
    spans, labels = Counter(), {}
    for member in predictions:
        for start, end, label in member:
            spans[(start, end)] += 1
            labels.setdefault((start, end), Counter())[label] += 1
    chosen, taken = [], set()
    ranked = sorted((k for k, n in spans.items() if n >= min_votes), key=lambda k: (-spans[k], k[0] - k[1], k[0]))
    for start, end in ranked:
        if any(i in taken for i in range(start, end)):
            continue
        taken.update(range(start, end))
        chosen.append((start, end, labels[(start, end)].most_common(1)[0][0]))
    return sorted(chosen)


def default_votes(n_members):
    """Votes a mention needs by default: every member of a committee of up to three, else all but one.

    Examples
    --------
    >>> [default_votes(n) for n in (1, 2, 3, 4, 5)]
    [1, 2, 3, 3, 4]
    """
    return n_members if n_members <= 3 else n_members - 1


def load_members(paths):
    """The ``ner`` component of each trained pipeline directory in `paths`.

    A member's own vocabulary and tokenizer are not read (``kg train`` does not save them): it tags docs
    made by the extraction pipeline, whose features it reads as hashes.
    """
    import spacy

    return [spacy.load(path, exclude=["vocab", "tokenizer"]).get_pipe("ner") for path in paths]


class NERCommittee:
    """The ``kg_ner`` component (see the module docstring).

    Parameters
    ----------
    members : list
        Trained ``ner`` components (:func:`load_members`).
    min_votes : int, optional
        Default: :func:`default_votes`.
    """

    def __init__(self, members, name="kg_ner", min_votes=None):
        self.name = name
        self.members = list(members)
        self.min_votes = min_votes or default_votes(len(self.members))

    def _predict(self, docs):
        per_doc = [[] for _ in docs]
        for ner in self.members:
            for doc in docs:  # the tagger keeps entities already set: start each member from scratch
                doc.set_ents([], default="missing")
            scores = ner.predict(docs)
            ner.set_annotations(docs, scores)
            for out, doc in zip(per_doc, docs):
                out.append([(e.start, e.end, e.label_) for e in doc.ents])
        majority = len(self.members) // 2 + 1
        for out, doc in zip(per_doc, docs):
            agreed = vote(out, self.min_votes)
            taken = {i for s, e, _ in agreed for i in range(s, e)}
            # names (capitals or digits: "GSM8K", "LLaMA-2") need only a majority: they are rarely wrong
            for s, e, label in vote(out, majority):
                if not any(i in taken for i in range(s, e)) and any(is_name_like(t.text) for t in doc[s:e]):
                    agreed.append((s, e, label))
                    taken.update(range(s, e))
            doc.set_ents([Span(doc, s, e, label=label) for s, e, label in sorted(agreed)], default="outside")
        return docs

    def __call__(self, doc):
        return self._predict([doc])[0]

    def pipe(self, stream, batch_size=128):
        batch = []
        for doc in stream:
            batch.append(doc)
            if len(batch) >= batch_size:
                yield from self._predict(batch)
                batch = []
        if batch:
            yield from self._predict(batch)


@Language.factory("kg_ner", assigns=["doc.ents"], default_config={"paths": [], "min_votes": 0})
def make_ner(nlp, name, paths, min_votes):
    """Build the ``kg_ner`` committee from trained pipeline directories (``kg train`` output).

    Parameters
    ----------
    paths : list of str
        One directory per member.
    min_votes : int
        0 for :func:`default_votes`.
    """
    members = load_members(paths)
    for ner in members:  # the doc's string store must know the labels the members assign
        for label in ner.labels:
            nlp.vocab.strings.add(label)
    return NERCommittee(members, name, min_votes or None)
