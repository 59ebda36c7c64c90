"""The learned alternative to the result rules: a logistic-regression filter over the results the rules propose.

Used by ``benchmarks/results_cv.py --learned``. Each proposed result becomes a feature vector (the ids of the
patterns and rules that produced it, its unit, qualifier and sign, the words around the number and the head word
of its metric); the label is whether it matches a gold result on number and metric. Folds are by paper. In each
fold the model is trained on the other folds, its threshold chosen there (by inner F1), and the kept results
are scored on the held-out papers, beside the rules alone on the same papers.
"""

import re
from collections import Counter

import numpy as np
from sklearn.feature_extraction import DictVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import GroupKFold, cross_val_predict

__all__ = ["features", "cross_validate"]


def features(result, text):
    """Features of one proposed result (a dict of ``PaperExtraction.to_dict()["results"]``) in its paper text."""
    f = {f"rule={r}": 1 for r in result.get("provenance", [])}
    value = result.get("value") or ""
    f[f"unit={result.get('unit')}"] = 1
    f["qualifier"] = int(bool(re.match(r"\D", value.lstrip("+-~≈"))))
    f["signed"] = int(value.lstrip().startswith(("+", "-")))
    f["decimal"] = int("." in str(result.get("number")) and not str(result.get("number")).endswith(".0"))
    f["in_title"] = int((result.get("start") or 0) < text.find("\n\n"))
    start, end = result.get("start") or 0, result.get("end") or 0
    before = re.findall(r"[a-z]+", text[max(0, start - 40):start].lower())[-3:]
    after = re.findall(r"[a-z]+", text[end:end + 40].lower())[:3]
    f.update({f"b:{w}": 1 for w in before})
    f.update({f"a:{w}": 1 for w in after})
    metric = (result.get("metric") or "").lower().split()
    if metric:
        f[f"metric_head={metric[-1]}"] = 1
    f["metric_words"] = len(metric)
    f["has_subject"] = int(result.get("subject") is not None)
    f["has_dataset"] = int(result.get("dataset") is not None)
    f["kind=" + str(result.get("kind"))] = 1
    return f


def _labelled(preds, pairs, score):
    from results_cv import _matches

    rows = []
    for i, (pred, (_, paper, gold)) in enumerate(zip(preds, pairs)):
        for r, hit, _ in _matches(score, pred, gold):
            rows.append((i, features(r, paper.text), int(hit is not None)))
    return rows


def _f1(tp, fp, fn):
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)


def _counts(preds, pairs, score, keep=None):
    """(tp, fp, fn) of `preds` (only the results `keep` says to keep) by score.py's result matching."""
    kept = []
    for i, pred in enumerate(preds):
        results = [r for j, r in enumerate(pred.get("results", [])) if keep is None or keep(i, j)]
        kept.append({**pred, "results": results})
    res, _ = score.score(kept, [g for _, _, g in pairs], {})
    return res["result"]["tp"], res["result"]["fp"], res["result"]["fn"]


def cross_validate(preds, pairs, score, folds=5, seed=0):
    """Print rules-alone against rules-plus-filter, fold by fold and pooled, and return the pooled F1s."""
    rows = _labelled(preds, pairs, score)
    index = {}  # (paper, result position) -> row
    per_paper = Counter()
    for k, (i, _, _) in enumerate(rows):
        index[(i, per_paper[i])] = k
        per_paper[i] += 1
    vec = DictVectorizer()
    X = vec.fit_transform([f for _, f, _ in rows])
    y = np.array([lab for *_, lab in rows])
    groups = np.array([i for i, _, _ in rows])
    papers = np.arange(len(preds))
    total_rules, total_model = np.zeros(3, int), np.zeros(3, int)
    for fold, (train_p, test_p) in enumerate(GroupKFold(folds).split(papers, groups=papers)):
        test_set, train_set = set(test_p), set(train_p)
        tr = np.array([g in train_set for g in groups])
        model = LogisticRegression(C=1.0, max_iter=2000, class_weight=None, random_state=seed)
        model.fit(X[tr], y[tr])
        # the threshold that maximises F1 on out-of-fold predictions within the training folds (never the test
        # fold); every gold result of the training papers that no kept result matches is a false negative
        prob_tr = cross_val_predict(LogisticRegression(C=1.0, max_iter=2000, random_state=seed), X[tr], y[tr],
                                    groups=groups[tr], cv=GroupKFold(folds - 1), method="predict_proba")[:, 1]
        n_gold = sum(len(pairs[i][2].get("results") or []) for i in train_set)

        def inner_f1(t):
            tp = int(((prob_tr >= t) & (y[tr] == 1)).sum())
            return _f1(tp, int(((prob_tr >= t) & (y[tr] == 0)).sum()), n_gold - tp)[2]

        best = max(np.arange(0.05, 0.9, 0.05), key=inner_f1)
        prob = model.predict_proba(X)[:, 1]
        sub_preds = [preds[i] for i in sorted(test_set)]
        sub_pairs = [pairs[i] for i in sorted(test_set)]
        order = sorted(test_set)
        rules = np.array(_counts(sub_preds, sub_pairs, score))
        model_c = np.array(_counts(sub_preds, sub_pairs, score,
                                   keep=lambda i, j: prob[index[(order[i], j)]] >= best))
        total_rules += rules
        total_model += model_c
        print(f"  fold {fold}: rules F1={_f1(*rules)[2]:.3f}  rules+filter F1={_f1(*model_c)[2]:.3f} "
              f"(threshold {best:.2f})")
    pr, pm = _f1(*total_rules), _f1(*total_model)
    print(f"  pooled: rules P={pr[0]:.3f} R={pr[1]:.3f} F1={pr[2]:.3f} | rules+filter P={pm[0]:.3f} "
          f"R={pm[1]:.3f} F1={pm[2]:.3f}")
    return pr[2], pm[2]
