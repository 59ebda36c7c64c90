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

#: Targets of issue 3 (score.py keys).
TARGETS = {"ent": 0.70, "ent_typed": 0.60, "proposed": 0.80,
           "rel": 0.45, "rel:outperforms": 0.35, "rel:combinesWith": 0.35, "rel:evaluatedOn": 0.35}
#: Targets not reached yet (none since 2026-11-24: proposed F1 0.810, entity F1 0.714). Their tests are strict
#: xfails: they fail the suite as soon as the target is met, so that this set is emptied then.
NOT_YET = set()
#: Regression floors: what the extractor reaches today, less a margin for 40-paper noise. Every score must
#: stay at or above its floor (and its target, once reached).
FLOORS = {"ent": 0.69, "ent_typed": 0.62, "proposed": 0.755,
          "rel": 0.46, "rel:outperforms": 0.42, "rel:combinesWith": 0.365, "rel:evaluatedOn": 0.57}

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
    assert dev_scores[key]["f1"] >= floor, f"{key} F1 {dev_scores[key]['f1']} fell below {floor}"


@pytest.mark.parametrize("key, target", [
    pytest.param(k, t, marks=pytest.mark.xfail(strict=True, reason="issue 3 target not reached yet"))
    if k in NOT_YET else (k, t) for k, t in TARGETS.items()
])
def test_issue_target(dev_scores, key, target):
    assert dev_scores[key]["f1"] >= target, f"{key} F1 {dev_scores[key]['f1']} below {target}"
