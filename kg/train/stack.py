"""Cross-fitted training of the learned decisions: features of every training abstract come from models that
did not see it.

The mention and relation classifiers decide on top of the tagger and the rules, so they must learn from the
tagger's and the rules' behaviour on abstracts the tagger was not trained on, as at run time. ``kg train``
therefore splits the annotated abstracts into folds (:func:`kg.train.data.kfold`), trains one tagger per fold on
the other folds (:func:`tag_folds`), runs the pipeline of each fold over its own abstracts (:func:`process`), and
fits the classifiers on those out-of-fold features (stacked generalisation, Wolpert 1992). The relation classifier
also reads the probabilities of a text model of each pair's context words (:mod:`kg.extract.relation_text`), out of
fold in turn: for the classifier of one fold, those of its fitting abstracts come from text models fitted on the
other fitting folds (:func:`text_out_of_fold`), those of the fold itself from one fitted on all of them. The role
classifier reads a text model of the words around each entity's mentions (:mod:`kg.extract.role_text`) the same
way (:func:`fit_roles`), and each classifier carries its text model (``Classifier.text_model``).
Scoring each fold with classifiers fitted on the other folds gives the cross-validated estimate of the whole
extractor (:func:`cross_validate`). The numbers an abstract reports (``kg_results``) are found only then, on the
entities and relations its fold decided (:func:`apply_relations`), as the pipeline finds them after its own
decisions: the estimate of results, and of the Metric entities results create, is that of the extractor that
ships.

One approximation is disclosed: in the estimate, the classifier of fold *f* learns from other folds' features,
which their taggers computed after training on fold *f* among others. The test features of fold *f* themselves
come from a tagger that never saw it.

Input without a title (an abstract alone, as SciERC gives it) loses what the title tells: the contribution's
name, the topic. ``kg train`` can therefore also process each abstract without its title (*copies*, states with
``copy=True``, in the same fold as their original and never in its term statistics): scored out of fold, they
measure extraction without titles; fitted on too, they teach the classifiers the cues that remain.
"""

from __future__ import annotations

import json
import tempfile
from concurrent.futures import ProcessPoolExecutor
from copy import deepcopy
from dataclasses import dataclass, field, replace
from pathlib import Path

from ..extract.extensions import SPAN_KEY
from ..extract.mentions import MENTION_CLASSES, choose, head_lemma, stat_features
from ..extract.models import fit
from ..extract.pipeline import MODEL_SOURCES, doc_to_extraction, load_pipeline
from ..extract.relation_features import PAIR_CLASSES
from ..extract.relation_text import doc_pair_words, fit_text_model, with_text
from ..extract.role_features import ROLE_CLASSES, decide_role, decide_roles_from_probs
from ..extract.role_text import doc_entity_words
from ..extract.relations import decide
from ..extract.termstats import TermStats, norm_form
from .labels import gold_forms, mention_label, pair_labels, role_label

__all__ = ["State", "tag_folds", "process", "title_less", "fit_mentions", "apply_mentions", "pair_data", "fit_text",
           "text_out_of_fold", "fit_relations", "relation_probs", "apply_relations", "cross_validate",
           "MENTION_ROUNDS", "RELATION_ROUNDS"]

#: Boosting rounds of the mention, role and relation classifiers (at a learning rate of 0.1: extraction runs
#: every tree of every class for every candidate, so fewer, bolder rounds keep it fast).
MENTION_ROUNDS, ROLE_ROUNDS, RELATION_ROUNDS = 150, 100, 100
_RATE = {"learning_rate": 0.1}


@dataclass
class State:
    """One annotated abstract as the pipeline of its fold left it, with its mention features and labels."""

    item: object
    fold: int
    doc: object
    cands: list
    spans: list
    rows: list
    labels: list
    terms: list
    nlp: object = field(repr=False, default=None)
    pairs: list = field(default_factory=list)
    pair_rows: list = field(default_factory=list)
    pair_labels: list = field(default_factory=list)
    pair_words: list = field(default_factory=list)
    rules: list = field(default_factory=list)
    role_keys: list = field(default_factory=list)
    role_rows: list = field(default_factory=list)
    role_labels: list = field(default_factory=list)
    role_words: list = field(default_factory=list)
    copy: bool = False


def _train_one(args):
    from .ner import train_ner

    annotated, out, seed, n_iter = args
    nlp = train_ner(annotated, n_iter=n_iter, seed=seed)
    Path(out).mkdir(parents=True, exist_ok=True)
    nlp.to_disk(out, exclude=["vocab", "tokenizer"])
    return str(out)


def tag_folds(items, folds, out_dir, seed=0, n_iter=20, workers=1, final=True):
    """Train one tagger per fold on the other folds (and, with `final`, one on everything).

    Parameters
    ----------
    items : list of kg.train.data.Annotated
    folds : list of int
        Fold of each item.
    out_dir : str or os.PathLike
        Receives ``fold-<k>/`` and ``all/``.
    seed, n_iter : int
    workers : int
        Taggers trained at once, in separate processes.

    Returns
    -------
    dict
        Fold (or ``"all"``) -> tagger directory.
    """
    out_dir = Path(out_dir)
    jobs = []
    for k in sorted(set(folds)):
        train = [(a.paper, a.gold) for a, f in zip(items, folds) if f != k]
        jobs.append((k, (train, out_dir / f"fold-{k}", seed, n_iter)))
    if final:
        jobs.append(("all", ([(a.paper, a.gold) for a in items], out_dir / "all", seed, n_iter)))
    # a tagger already trained on the same abstracts with the same settings is kept (kg train --work-dir)
    todo = [j for _, j in jobs if not (j[1] / "config.cfg").is_file() or
            (j[1] / "kg-data.txt").read_text() != _signature(j)] if out_dir.is_dir() else [j for _, j in jobs]
    if workers > 1 and len(todo) > 1:
        with ProcessPoolExecutor(workers) as pool:
            list(pool.map(_train_one, todo))
    else:
        for job in todo:
            _train_one(job)
    for job in todo:
        (job[1] / "kg-data.txt").write_text(_signature(job))
    return {k: str(j[1]) for k, j in jobs}


def _signature(job):
    """What a tagger was trained on: its abstracts' ids and text hashes, seed and epochs."""
    import hashlib

    annotated, _, seed, n_iter = job
    return abstracts_digest(annotated, hashlib.sha1(repr((seed, n_iter)).encode())).hexdigest()


def abstracts_digest(annotated, h):
    """Feed the ids, texts and gold of ``(paper, gold)`` pairs, in id order, into the hash `h`; return it."""
    for paper, gold in sorted(annotated, key=lambda pg: pg[0].id):
        h.update(f"{paper.id}\t{paper.text}\t{json.dumps(gold, sort_keys=True)}\n".encode())
    return h


_EMPTY_MODEL_DIR = []


def _empty_model_dir():
    """One empty model directory per process ("no trained models"), removed when the process exits."""
    if not _EMPTY_MODEL_DIR:
        _EMPTY_MODEL_DIR.append(tempfile.TemporaryDirectory(prefix="kg-nomodel-"))
    return _EMPTY_MODEL_DIR[0].name


def process(items, fold, tagger, lexicon_dir=None, copy=False):
    """Run the pipeline with `tagger` over `items` and collect their candidates, mention features and labels.

    Parameters
    ----------
    items : list of kg.train.data.Annotated
    fold : int
        Recorded in each state.
    tagger : str
        Directory of a trained tagger.
    lexicon_dir : str, optional
        Lexicon learned without these abstracts.
    copy : bool
        The items are title-less copies of training abstracts (recorded in each state).

    Returns
    -------
    list of State
    """
    lex = {"lexicon_dir": str(lexicon_dir)} if lexicon_dir else {}
    nlp = load_pipeline(ner_model=tagger, model_dir=_empty_model_dir(),
                        component_config={"kg_candidates": {"sources": list(MODEL_SOURCES), **lex},
                                          "kg_entities": lex})
    finder = nlp.get_pipe("kg_candidates")
    states = []
    # results are found later, on each fold's decisions (:func:`apply_relations`), not on this pass's entities
    for a, doc in zip(items, nlp.pipe((a.paper.text for a in items), disable=["kg_results"])):
        cands = finder.generate(doc)
        spans, rows = finder.features(doc, cands)
        forms = gold_forms(a.gold)
        labels = [mention_label(doc[s:e].text, forms) for s, e in spans]
        terms = [(norm_form(doc[s:e].text), head_lemma(doc[s:e]), lab) for (s, e), lab in zip(spans, labels)]
        states.append(State(a, fold, doc, cands, spans, rows, labels, terms, nlp, copy=copy))
    return states


def title_less(items):
    """Copies of annotated abstracts without their titles (same id, text and gold otherwise)."""
    return [replace(a, paper=replace(a.paper, title="")) for a in items]


def term_stats(states):
    """:class:`~kg.extract.termstats.TermStats` of the states' abstracts (title-less copies left out: their
    abstract is counted once, with its original)."""
    stats = TermStats()
    for st in states:
        if not st.copy:
            stats.add(st.item.paper.id, st.terms)
    return stats


def _rows(st, stats, exclude):
    extra = stat_features(st.doc, st.spans, stats, st.item.paper.id if exclude else None)
    return [{**r, **x} for r, x in zip(st.rows, extra)]


def fit_mentions(states, rounds=MENTION_ROUNDS):
    """Term statistics of `states` and the mention classifier fitted on their features (each abstract's own
    counts left out of its statistics)."""
    stats = term_stats(states)
    rows, labels = [], []
    for st in states:
        rows += _rows(st, stats, exclude=True)
        labels += st.labels
    return fit(rows, labels, MENTION_CLASSES, rounds, params=_RATE), stats


def apply_mentions(st, classifier, stats, threshold):
    """Choose the mentions of a held-out abstract and assemble its entities (rules)."""
    doc = st.doc
    probs = classifier.predict(_rows(st, stats, exclude=False))
    doc._.kg_candidates = choose(st.cands, st.spans, probs, classifier.classes, threshold) if st.cands else []
    st.nlp.get_pipe("kg_entities")(doc)


def role_data(st):
    """Entity keys, role features, context words and role labels of an abstract whose entities are assembled
    (rule roles)."""
    assembler = st.nlp.get_pipe("kg_entities")
    st.role_keys, st.role_rows = assembler.role_features(st.doc)
    ents = st.doc._.kg_entities or {}
    st.role_labels = [role_label(ents[k], st.item.gold) for k in st.role_keys]
    st.role_words = doc_entity_words(st.doc, st.role_keys)


def fit_role_text(states):
    """The role text model (:mod:`kg.extract.role_text`) fitted on the entities of `states`."""
    words = [w for st in states for w in st.role_words]
    labels = [lab for st in states for lab in st.role_labels]
    return fit_text_model(words, labels, ROLE_CLASSES)


def fit_roles(states, rounds=ROLE_ROUNDS, text=False):
    """The role classifier fitted on the entities of `states`. With `text`, the probabilities of a role text model
    are features too (:func:`_text_rows`), and the model rides with the classifier (``text_model``)."""
    labels = [lab for st in states for lab in st.role_labels]
    rows = _text_rows(states, fit_role_text, lambda st: st.role_words, lambda st: st.role_rows, ROLE_CLASSES) \
        if text else {id(st): st.role_rows for st in states}
    model = fit([r for st in states for r in rows[id(st)]], labels, ROLE_CLASSES, rounds,
                params={**_RATE, "num_leaves": 15, "min_data_in_leaf": 10})
    model.text_model = fit_role_text(states) if text else None
    return model


def _text_rows(states, fitter, words, rows, classes):
    """``{id(state): rows(state)}`` with the probabilities (over `classes`) of a text model of `words(state)` added,
    out of fold (:func:`text_out_of_fold`, models fitted by `fitter`)."""
    probs = text_out_of_fold(states, fitter, words)
    return {id(st): with_text(rows(st), probs[id(st)], classes) for st in states}


def apply_roles(st, classifier):
    """Let `classifier` decide the roles of an abstract's entities."""
    if st.doc._.kg_entities:
        st.nlp.get_pipe("kg_entities").decide_roles(st.doc, classifier)


def pair_data(st):
    """Candidate pairs, features and labels of an abstract whose entities are assembled (labels: a tuple of
    classes per pair, :func:`kg.train.labels.pair_labels`)."""
    relations = st.nlp.get_pipe("kg_relations")
    st.pairs, st.pair_rows, st.rules = relations.candidates(st.doc)
    ents = st.doc._.kg_entities or {}
    st.pair_labels = [pair_labels(ents[p.a.key], ents[p.b.key], st.item.gold) for p in st.pairs]
    st.pair_words = doc_pair_words(st.doc, st.pairs) if st.pairs else []


def _expanded(states, values):
    """`values(st)` per pair of `states`, one row per gold class of the pair (each of weight 1 / classes): a pair
    with two gold relations teaches both as likely, so that the thresholds of
    :func:`kg.extract.relations.decide` can keep both."""
    rows, labels, weights = [], [], []
    for st in states:
        for row, labs in zip(values(st), st.pair_labels):
            rows += [row] * len(labs)
            labels += labs
            weights += [1 / len(labs)] * len(labs)
    return rows, labels, weights


def fit_text(states):
    """The text model (:class:`kg.extract.relation_text.TextModel`) fitted on the candidate pairs of `states`."""
    words, labels, weights = _expanded(states, lambda st: st.pair_words)
    return fit_text_model(words, labels, PAIR_CLASSES, weights)


def text_out_of_fold(states, fitter, words):
    """Probabilities of a text model (fitted by `fitter`: :func:`fit_text`, :func:`fit_role_text`) of `words(state)`
    for every state, each abstract's from a model fitted on the other folds of `states` (on the other half, by
    position, when they are all of one fold): ``{id(state): array}``."""
    groups = [st.fold for st in states]
    if len(set(groups)) < 2:
        groups = [k % 2 for k in range(len(states))]
    out = {}
    for g in sorted(set(groups)):
        model = fitter([st for st, h in zip(states, groups) if h != g])
        for st, h in zip(states, groups):
            if h == g:
                out[id(st)] = model.predict(words(st))
    return out


def fit_relations(states, rounds=RELATION_ROUNDS, text=False):
    """The relation classifier fitted on the candidate pairs of `states`, one row per gold class of a pair
    (:func:`_expanded`). With `text`, the probabilities of the pairs' text model are features too
    (:func:`_text_rows`), and the model rides with the classifier (``text_model``)."""
    rows = _text_rows(states, fit_text, lambda st: st.pair_words, lambda st: st.pair_rows, PAIR_CLASSES) \
        if text else {id(st): st.pair_rows for st in states}
    rows, labels, weights = _expanded(states, lambda st: rows[id(st)])
    model = fit(rows, labels, PAIR_CLASSES, rounds, params={**_RATE, "num_leaves": 15, "min_data_in_leaf": 10},
                weights=weights)
    model.text_model = fit_text(states) if text else None
    return model


def relation_probs(st, classifier):
    """Class probabilities of an abstract's candidate pairs (with its text model's among the features when the
    classifier carries one)."""
    if classifier.text_model is None or not st.pairs:
        return classifier.predict(st.pair_rows)
    return classifier.predict(classifier.text_model.with_features(st.pair_rows, st.pair_words))


def _threshold(thresholds):
    """A ``threshold(class)`` function: a float for every class, or a dict by class (``"*"`` for the others;
    ``outperforms`` also stands for ``outperforms_rev``)."""
    if not isinstance(thresholds, dict):
        return lambda c: thresholds
    return lambda c: thresholds.get(c, thresholds.get(c.replace("_rev", ""), thresholds["*"]))


def apply_relations(st, classifier, threshold, probs=None, results=True):
    """Decide the relations of a held-out abstract; returns its extraction. `threshold`: see :func:`_threshold`;
    `probs`: the classifier's, else computed (:func:`relation_probs`).

    With `results`, the numbers it reports are found (``kg_results``) on the entities and relations just decided,
    as the pipeline finds them after its own decisions (the Metric entities results create are then entities of the
    extraction too); without, the extraction has no results (a search of relation thresholds, which results do not
    change)."""
    probs = relation_probs(st, classifier) if probs is None else probs
    st.doc._.kg_relations = decide(st.doc, st.pairs, probs, classifier.classes, _threshold(threshold), st.rules)
    return _with_results(st) if results else doc_to_extraction(st.doc, st.item.paper)


def _with_results(st):
    """The extraction of a decided abstract with its results; the doc's entities, their spans and its results are
    left as they were, for the next threshold or fit (``kg_results`` adds and retypes entities)."""
    doc = st.doc
    entities, spans, before = doc._.kg_entities, doc.spans.get(SPAN_KEY), doc._.kg_results
    doc._.kg_entities = deepcopy(entities)
    try:
        st.nlp.get_pipe("kg_results")(doc)
        return doc_to_extraction(doc, st.item.paper)
    finally:
        doc._.kg_entities, doc._.kg_results = entities, before
        if spans is None:
            doc.spans.pop(SPAN_KEY, None)
        else:
            doc.spans[SPAN_KEY] = spans


def _assemble(st, probs, classes, threshold):
    st.doc._.kg_candidates = choose(st.cands, st.spans, probs, classes, threshold) if st.cands else []
    st.nlp.get_pipe("kg_entities")(st.doc)
    role_data(st)


#: Precision that ``outperforms`` should reach out of fold: a wrong "A beats B" misleads more than a missing one.
OUTPERFORMS_PRECISION = 0.85
#: Decision thresholds tried for each relation.
RELATION_THRESHOLDS = (0.1, 0.15, 0.2, 0.25, 0.3, 0.4, 0.5, 0.6, 0.7)
_RELATIONS = ("outperforms", "combinesWith", "evaluatedOn")


#: Thresholds tried for the ``proposed`` role (None: the most probable role decides, as without a threshold).
PROPOSED_THRESHOLDS = (None, 0.3, 0.35, 0.4, 0.45, 0.5, 0.55, 0.6, 0.65, 0.7)


def _proposed_threshold(states, grid=PROPOSED_THRESHOLDS, trials=None):
    """The ``proposed`` threshold of the role classifier (:func:`kg.extract.role_features.decide_role`) with the
    best F1 of that role over the entities of `states`, whose role probabilities (``doc._.kg_role_probs``) came
    from classifiers of other folds; an entity that matches no annotated one counts as wrong when proposed.
    `trials`, when given, receives ``[[threshold, p, r, f1], ...]`` (threshold None: the most probable role)."""
    decided = []
    for st in states:
        ents, probs = st.doc._.kg_entities or {}, st.doc._.kg_role_probs or {}
        decided += [(ents[k], list(probs[k].values()), list(probs[k]), lab)
                    for k, lab in zip(st.role_keys, st.role_labels) if k in probs]
    rows = []
    for t in grid:
        hits = [(decide_role(e, p, classes, t)[0] == "proposed", lab == "proposed") for e, p, classes, lab in decided]
        tp = sum(a and b for a, b in hits)
        n_pred, n_gold = sum(a for a, _ in hits), sum(b for _, b in hits)
        p, r = tp / n_pred if n_pred else 0.0, tp / n_gold if n_gold else 0.0
        rows.append([t, round(p, 4), round(r, 4), round(2 * p * r / (p + r), 4) if p + r else 0.0])
    if trials is not None:
        trials[:] = rows
    return max(rows, key=lambda row: row[3])[0]


def _fit_apply_roles(states, fitting, folds):
    """Role classifiers of each fold fitted on the others and applied to each fold's abstracts."""
    role_models = {k: fit_roles(fitting(k), text=True) for k in folds}
    for st in states:
        apply_roles(st, role_models[st.fold])


def _apply_proposed_threshold(states, threshold):
    """Decide the roles again with the ``proposed`` threshold, from the role probabilities the fold classifiers
    left on each abstract (None: as they are)."""
    if threshold is None:
        return
    for st in states:
        decide_roles_from_probs(st.doc, threshold)


def _relation_thresholds(states, rel_models, rel_probs, score, grid, trials=None):
    """Each relation's threshold chosen on the out-of-fold score of that relation alone: the best F1, except for
    ``outperforms``, a wrong one of which misleads more than a missing one: the best F1 among thresholds that
    reach :data:`OUTPERFORMS_PRECISION`, else the best F0.5 (precision weighed twice as much as recall).
    `trials`, when given, receives ``{relation: [[threshold, p, r, f1], ...]}``."""
    chosen = {}
    for rel in _RELATIONS:
        rows = []
        for t in grid:
            thresholds = {"*": 2.0, rel: t}  # only this relation
            exts = [apply_relations(st, rel_models[st.fold], thresholds, rel_probs[id(st)], results=False)
                    for st in states]
            r = score(exts, states)[f"rel:{rel}"]
            rows.append([t, r["p"], r["r"], r["f1"]])
        if trials is not None:
            trials[rel] = rows
        if rel == "outperforms":
            precise = [row for row in rows if row[1] >= OUTPERFORMS_PRECISION and row[3] > 0]
            f05 = lambda row: 1.25 * row[1] * row[2] / (0.25 * row[1] + row[2]) if row[1] + row[2] else 0.0
            chosen[rel] = max(precise, key=lambda row: row[3])[0] if precise else max(rows, key=f05)[0]
        else:
            chosen[rel] = max(rows, key=lambda row: (row[3], -row[0]))[0]
    return {"*": chosen["combinesWith"], **chosen}


def cross_validate(states, mention_thresholds=(0.35,), relation_thresholds=RELATION_THRESHOLDS, score=None,
                   roles=True, fit_copies=True):
    """Out-of-fold extractions: each fold's abstracts decided by classifiers fitted on the other folds.

    Parameters
    ----------
    states : list of State
        From :func:`process`, each with its fold; title-less copies (``copy``) are scored apart.
    mention_thresholds : sequence of float
        Candidate mention thresholds; the one with the best out-of-fold entity and relation F1 is kept.
    relation_thresholds : sequence of float
        Candidate thresholds of each relation (:func:`_relation_thresholds`); without `score`, the first.
    score : callable, optional
        ``score(extractions, states) -> dict`` with ``ent`` and ``rel`` F1 (``devset/score.py`` keys).
    roles : bool
        Let a role classifier decide roles (else the rules do).
    fit_copies : bool
        Fit the classifiers on the title-less copies too (else they are only scored).

    Returns
    -------
    dict
        ``extractions`` (list of PaperExtraction, in the order of the states that are not copies),
        ``mention_threshold``, ``relation_threshold``, ``proposed_threshold`` (of the role classifier, with its
        ``proposed_trials``), ``score``, ``mention_probs`` and ``pair_probs``
        (out-of-fold probabilities with labels, for calibration), and for the copies ``copy_extractions`` and
        ``copy_score`` (None without copies). Thresholds, score and calibration read the originals only.
    """
    folds = sorted({st.fold for st in states})
    scored = [st for st in states if not st.copy]
    copies = [st for st in states if st.copy]

    def fitting(k):
        return [st for st in states if st.fold != k and (fit_copies or not st.copy)]

    models = {k: fit_mentions(fitting(k)) for k in folds}
    probs = {id(st): models[st.fold][0].predict(_rows(st, models[st.fold][1], exclude=False)) for st in states}
    mention_probs = [pl for st in scored for pl in zip(probs[id(st)], st.labels)]
    best = None
    for mt in mention_thresholds:
        for st in states:
            _assemble(st, probs[id(st)], models[st.fold][0].classes, mt)
        role_t, role_trials = None, []
        if roles:
            _fit_apply_roles(states, fitting, folds)
            role_t = _proposed_threshold(scored, trials=role_trials)
            _apply_proposed_threshold(states, role_t)
        for st in states:
            pair_data(st)
        # the text models' features of the fitting folds come from models that did not see them
        rel_models = {k: fit_relations(fitting(k), text=True) for k in folds}
        rel_probs = {id(st): relation_probs(st, rel_models[st.fold]) for st in states}
        pair_probs = [pl for st in scored for pl in zip(rel_probs[id(st)], st.pair_labels)]
        trials = {}
        if score is not None:
            thresholds = _relation_thresholds(scored, rel_models, rel_probs, score, relation_thresholds, trials)
        else:
            thresholds = {"*": relation_thresholds[0]}
        exts = [apply_relations(st, rel_models[st.fold], thresholds, rel_probs[id(st)]) for st in scored]
        result = score(exts, scored) if score else {"ent": {"f1": 0}, "rel": {"f1": 0}}
        copy_exts = [apply_relations(st, rel_models[st.fold], thresholds, rel_probs[id(st)]) for st in copies]
        copy_result = score(copy_exts, copies) if score and copies else None
        key = result["ent"]["f1"] + result["rel"]["f1"]
        if best is None or key > best[0]:
            best = (key, mt, thresholds, exts, result, pair_probs, trials, copy_exts, copy_result, role_t,
                    role_trials)
    _, mt, rt, exts, result, pair_probs, trials, copy_exts, copy_result, role_t, role_trials = best
    for st in states:  # leave every abstract as the chosen thresholds decide it (roles by the rules)
        _assemble(st, probs[id(st)], models[st.fold][0].classes, mt)
    if roles:  # and pairs as out-of-fold role decisions leave them, for the final relation classifier
        _fit_apply_roles(states, fitting, folds)
        _apply_proposed_threshold(states, role_t)
    for st in states:
        pair_data(st)
    return {"extractions": exts, "mention_threshold": mt, "relation_threshold": rt, "score": result,
            "mention_probs": mention_probs, "pair_probs": pair_probs, "roles": roles, "relation_trials": trials,
            "proposed_threshold": role_t, "proposed_trials": role_trials,
            "copy_extractions": copy_exts if copies else None, "copy_score": copy_result}
