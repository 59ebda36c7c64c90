"""``kg_ner``: entity mentions tagged by trained spaCy ``ner`` models (one, or a committee voting).

The shipped model directory holds one tagger (``kg/extract/model/ner``), trained by ``kg train``
(:mod:`kg.train.ner`) on every annotated abstract. Its mentions are one source of candidates among several: the
mention classifier (:mod:`kg.extract.mentions`) decides which become entities, so the tagger favours recall.
Several members (``ner-*`` directories, as earlier versions shipped) are combined by vote: a mention needs
:func:`default_votes` members agreeing on its boundaries (every member of up to three, else all but one), a
mention shaped like a name (:func:`kg.extract.entity_types.is_name_like`) a strict majority; voting is bagging
(Breiman 1996) and steadies a tagger trained on a few hundred abstracts, at the cost of one parse of
``tok2vec`` per member.

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
