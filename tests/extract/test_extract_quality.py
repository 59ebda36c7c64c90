"""Quality regression: extract the dev set and score it with its own scorer against the issue's targets.

The dev set (tests/data/devset, copied from ../shared/devset) is only for measuring, never for tuning.
"""

import json
import subprocess
import sys
from pathlib import Path

import pytest

from kg.extract import extract_papers, load_pipeline
from kg.records import Paper

DEVSET = Path(__file__).parent.parent / "data" / "devset"

#: Targets of issue 15 (extraction that generalises) and issue 16 (results), as score.py keys; a key with
#: ``:p`` is a precision.
TARGETS = {"ent": 0.80, "ent_typed": 0.72, "proposed": 0.85, "rel": 0.58,
           "rel:outperforms": 0.45, "rel:combinesWith": 0.45, "rel:evaluatedOn": 0.45, "rel:outperforms:p": 0.85,
           "result": 0.70, "result_full": 0.55}
#: Targets not reached yet by the shipped models (entity models trained by ``kg train`` on 3,118 abstracts; role
#: and relation classifiers and their text models retrained beside them by ``kg train --keep-entity-models``,
#: 2026-12-08, with rule boundaries.hyphen_cut on glued prefixes: entity F1 0.740, typed 0.688, proposed 0.746,
#: relation 0.455, outperforms 0.474 at precision 0.818, combinesWith 0.340, evaluatedOn 0.630). Their tests are strict xfails: they fail the suite as soon as a target is met, so that this
#: set is emptied then.
NOT_YET = {"ent", "ent_typed", "proposed", "rel", "rel:combinesWith", "rel:outperforms:p"}
#: Regression floors: what the shipped models reach today, less a margin for 40-paper noise (one relation moves
#: an F1 of a relation by about 0.02). History: the precision floor of ``outperforms`` went from 0.70 to 0.50
#: when the models trained on 840 more abstracts and the out-of-fold rule (best F0.5 when no threshold reaches 0.85
#: precision) chose 0.25 instead of 0.4 (on 240 annotated papers neither model had seen, precision held, recall
#: rose 0.11 -> 0.20); the floors of ``outperforms`` and combinesWith went down (0.42 -> 0.40, 0.34 -> 0.32) when
#: the models trained on all 3,118 abstracts, which held out of fold. They went up again (outperforms 0.40 -> 0.45,
#: its precision 0.50 -> 0.60, relation 0.43 -> 0.45, combinesWith 0.32 -> 0.33, evaluatedOn 0.60 -> 0.62) with the
#: relation classifier that learns both relations of a pair annotated with two, role probabilities and derived
#: names (out of fold: relation 0.365 -> 0.368, outperforms precision 0.53 -> 0.58 at the chosen thresholds), and
#: again (combinesWith 0.33 -> 0.35, outperforms precision 0.60 -> 0.65) with the text model of the pair's context
#: words (out of fold: relation 0.368 -> 0.374, outperforms precision 0.58 -> 0.64; on dev combinesWith 0.356 ->
#: 0.379, evaluatedOn 0.663 -> 0.628, still above its floor). With the text model of the role classifier
#: (out of fold against a run on the same taggers: proposed 0.641 -> 0.660, relation 0.375 -> 0.378, combinesWith
#: 0.355 -> 0.360, outperforms better at every threshold; across sources, offline, proposed 0.771 -> 0.779 and
#: 0.694 -> 0.709) the dev set lost proposed precision (0.808 -> 0.698: 29 wrong instead of 15, 4 more right) and
#: combinesWith (0.379 -> 0.339) and gained outperforms precision (0.750 -> 0.818) and role accuracy (0.768 ->
#: 0.795): floors proposed 0.77 -> 0.73, relation 0.45 -> 0.43, combinesWith 0.35 -> 0.32, and the precision floor
#: of outperforms up 0.65 -> 0.75.
#: Models ship by cross-validation and held-out papers, not by the dev set. Every score must stay at or above its
#: floor (and its target, once reached).
FLOORS = {"ent": 0.72, "ent_typed": 0.66, "proposed": 0.73, "rel": 0.43, "rel:outperforms": 0.45,
          "rel:combinesWith": 0.32, "rel:evaluatedOn": 0.62, "rel:outperforms:p": 0.75,
          "result": 0.72, "result_full": 0.59}


def _score(scores, key):
    if key.endswith(":p"):
        return scores[key[:-2]]["p"]
    return scores[key]["f1"]


pytestmark = pytest.mark.model


@pytest.fixture(scope="module")
def dev_scores(tmp_path_factory):
    papers = [Paper.from_dict(json.loads(line)) for line in (DEVSET / "papers.jsonl").read_text().splitlines()
              if line.strip()]
    out = tmp_path_factory.mktemp("dev") / "dev.jsonl"
    with open(out, "w", encoding="utf-8") as fh:
        for pe in extract_papers(load_pipeline(), papers):
            fh.write(json.dumps(pe.to_dict()) + "\n")
    run = subprocess.run([sys.executable, str(DEVSET / "score.py"), str(out), "--gold", str(DEVSET / "gold.jsonl"),
                          "--json"], capture_output=True, text=True, check=True)
    return json.loads(run.stdout)


def test_every_paper_extracted(dev_scores):
    assert dev_scores["papers"] == 40 and dev_scores["papers_missing"] == 0


@pytest.mark.parametrize("key, floor", FLOORS.items())
def test_no_regression(dev_scores, key, floor):
    assert _score(dev_scores, key) >= floor, f"{key} {_score(dev_scores, key)} fell below {floor}"


@pytest.mark.parametrize("key, target", [
    pytest.param(k, t, marks=pytest.mark.xfail(strict=True, reason="issue 15 target not reached yet"))
    if k in NOT_YET else (k, t) for k, t in TARGETS.items()
])
def test_issue_target(dev_scores, key, target):
    assert _score(dev_scores, key) >= target, f"{key} {_score(dev_scores, key)} below {target}"
