"""Training (kg.train): labels, folds, calibration, and `kg train` end to end on a few annotated abstracts."""

import json
from pathlib import Path

import pytest

from kg.errors import KGError
from kg.records import Entity
from kg.train import calibration
from kg.train.data import by_source, fold_of, load_annotated
from kg.train.labels import gold_forms, mention_label, pair_labels, role_label
from kg.train.stack import PROPOSED_THRESHOLDS, _proposed_threshold

ANNOTATIONS = Path(__file__).parents[1] / "data" / "annotations"
GOLD = {"entities": [{"name": "LoRA", "aliases": ["Low-Rank Adaptation"], "type": "Method", "role": "proposed"},
                     {"name": "GLUE", "type": "Dataset", "role": "used"},
                     {"name": "full fine-tuning", "type": "Method", "role": "baseline"},
                     {"name": "LLMs", "type": "Model", "generic": True, "role": "used"}],
        "relations": [{"s": "LoRA", "p": "outperforms", "o": "full fine-tuning"},
                      {"s": "LoRA", "p": "evaluatedOn", "o": "GLUE"}]}


@pytest.mark.parametrize("text, label", [("Low-Rank Adaptation", "Method"), ("GLUE benchmark", "Dataset"),
                                         ("LLMs", "Generic"), ("fine-tuning", "O")])
def test_mention_labels_match_like_the_scorer(text, label):
    assert mention_label(text, gold_forms(GOLD)) == label


def test_pair_and_role_labels():
    lora, ft, glue = Entity("LoRA", "Method"), Entity("full fine-tuning", "Method"), Entity("GLUE", "Dataset")
    assert pair_labels(lora, ft, GOLD) == ("outperforms",) and pair_labels(ft, lora, GOLD) == ("outperforms_rev",)
    assert pair_labels(glue, lora, GOLD) == ("evaluatedOn_rev",) and pair_labels(ft, glue, GOLD) == ("none",)
    both = {**GOLD, "relations": GOLD["relations"] + [{"s": "full fine-tuning", "p": "combinesWith", "o": "LoRA"}]}
    assert pair_labels(ft, lora, both) == ("outperforms_rev", "combinesWith")
    assert role_label(Entity("low-rank adaptation", "Method"), GOLD) == "proposed"
    assert role_label(Entity("LLMs", "Model"), GOLD) == "generic" and role_label(Entity("Adam", "Method"), GOLD) == "none"


def test_folds_are_stable_hashes_and_sources_split():
    assert fold_of("openreview:x", 4) == fold_of("openreview:x", 4)
    assert {fold_of(f"p{i}", 4) for i in range(100)} == {0, 1, 2, 3}
    items = load_annotated(ANNOTATIONS)
    assert len(items) == 8 and {a.source for a in items} == {"hf-daily"}
    assert by_source(items, "hf-daily") == [0] * 8 and by_source(items, "neurips2022") == [1] * 8


def test_calibration_table():
    res = calibration([(0.95, 1), (0.85, 1), (0.15, 0), (0.05, 1)], None, bins=10)
    assert [b[2] for b in res["bins"]] == [1, 1, 1, 1] and res["ece"] == pytest.approx((0.05 + 0.15 + 0.15 + 0.95) / 4)


@pytest.mark.model
def test_kg_train_writes_a_loadable_model_and_is_reproducible(tmp_path):
    from click.testing import CliRunner

    from kg.cli import cli
    from kg.extract import extract_papers, load_pipeline

    runs = []
    for name in ("a", "b"):
        out = tmp_path / name
        result = CliRunner().invoke(cli, ["train", str(ANNOTATIONS), "-o", str(out), "--folds", "2", "--epochs", "1"])
        assert result.exit_code == 0, result.output
        runs.append(out)
    files = {p.name for p in runs[0].iterdir()}
    assert {"ner", "mention.lgb", "mention.json", "role.lgb", "role.text.json", "relation.lgb", "relation.text.json",
            "termstats.json", "learned.tsv", "report.json"} <= files
    # the relation and role classifiers read their text models' probabilities, which the pipeline computes from
    # their files
    for name in ("relation.json", "role.json"):
        assert any(f.startswith("text_") for f in json.loads((runs[0] / name).read_text())["features"]), name
    report = json.loads((runs[0] / "report.json").read_text())
    assert report["data"]["abstracts"] == 8 and "hf-daily" in report["cross_validation"]
    assert 0 <= report["calibration"]["mention"]["ece"] <= 1
    # the proposed-role threshold is chosen out of fold over its grid and rides with the role classifier
    chosen = report["proposed_threshold"]["chosen"]
    assert [row[0] for row in report["proposed_threshold"]["trials"]] == list(PROPOSED_THRESHOLDS)
    assert json.loads((runs[0] / "role.json").read_text())["thresholds"] == ({"proposed": chosen} if chosen else {})
    for name in ("mention.lgb", "role.lgb", "role.text.json", "relation.lgb", "relation.text.json",
                 "termstats.json"):  # same models
        assert (runs[0] / name).read_bytes() == (runs[1] / name).read_bytes(), name
    again = CliRunner().invoke(cli, ["train", str(ANNOTATIONS), "-o", str(runs[0]), "--folds", "2", "--epochs", "1"])
    assert again.exit_code != 0 and "not empty" in again.output
    nlp = load_pipeline(model_dir=runs[0])
    item = load_annotated(ANNOTATIONS)[0]
    [ext] = list(extract_papers(nlp, [item.paper]))
    assert ext.entities and all("model:mention" in e.provenance for e in ext.entities)
    loaded = load_pipeline(model_dir=runs[0])
    assert loaded.get_pipe("kg_relations").text_model is not None
    assert loaded.get_pipe("kg_entities").classifier.text_model is not None
    for name in ("relation.text.json", "role.text.json"):  # a classifier without the text model it reads is refused
        saved = (runs[0] / name).read_bytes()
        (runs[0] / name).unlink()
        with pytest.raises(KGError, match=name):
            load_pipeline(model_dir=runs[0])
        (runs[0] / name).write_bytes(saved)


def test_kg_train_keeps_the_entity_models_of_an_earlier_run_when_asked(tmp_path):
    import shutil

    from click.testing import CliRunner

    from kg.cli import cli

    first, kept = tmp_path / "first", tmp_path / "kept"
    args = ["train", str(ANNOTATIONS), "--folds", "2"]
    assert CliRunner().invoke(cli, [*args, "-o", str(first), "--epochs", "1"]).exit_code == 0
    result = CliRunner().invoke(cli, [*args, "-o", str(kept), "--epochs", "2", "--keep-entity-models", str(first)])
    assert result.exit_code == 0, result.output
    assert (kept / "role.text.json").is_file() and (kept / "relation.text.json").is_file()  # trained here
    for name in ("ner/ner/model", "mention.lgb", "mention.json", "termstats.json", "learned.tsv"):
        assert (kept / name).read_bytes() == (first / name).read_bytes(), name
    report = json.loads((kept / "report.json").read_text())
    assert report["entity_models"]["from"] == str(first) and report["settings"]["n_iter"] == 2
    assert report["entity_models"]["cross_validation"] == json.loads((first / "report.json").read_text())[
        "cross_validation"]
    again = tmp_path / "again"  # kept in turn: the first origin and its scores stay on record
    assert CliRunner().invoke(cli, [*args, "-o", str(again), "--epochs", "1", "--keep-entity-models",
                                    str(kept)]).exit_code == 0
    assert json.loads((again / "report.json").read_text())["entity_models"] == report["entity_models"]
    other = tmp_path / "other"  # entity models trained on other annotations are refused, naming the report
    shutil.copytree(first, other)
    (other / "report.json").write_text(json.dumps({**report, "data": {"hash": "0" * 16}}))
    refused = CliRunner().invoke(cli, [*args, "-o", str(tmp_path / "x"), "--keep-entity-models", str(other)])
    assert refused.exit_code != 0 and "other annotations" in refused.output and "report.json" in refused.output
    assert not (tmp_path / "x").exists()


def test_title_less_copies_keep_id_abstract_and_gold():
    from kg.train.stack import title_less

    items = load_annotated(ANNOTATIONS)
    copies = title_less(items)
    assert [c.paper.title for c in copies] == [""] * len(items)
    assert [(c.paper.id, c.paper.abstract, c.gold, c.source) for c in copies] == [
        (a.paper.id, a.paper.abstract, a.gold, a.source) for a in items]
    assert all(a.paper.title for a in items)  # the originals are untouched


def test_term_stats_count_an_abstract_once_whatever_its_copies():
    from kg.train.stack import State, term_stats

    def state(copy):
        item = load_annotated(ANNOTATIONS)[0]
        return State(item, 0, None, [], [], [], [], [("lora", "lora", "Method")], copy=copy)

    once, twice = term_stats([state(False)]), term_stats([state(False), state(True)])
    assert (once.forms, once.heads) == (twice.forms, twice.heads) and once.forms


@pytest.mark.model
def test_kg_train_title_less_copies_are_scored_apart_and_fitted_only_when_asked(tmp_path):
    from click.testing import CliRunner

    from kg.cli import cli

    reports, models, stamps = {}, {}, []
    for mode in ("none", "score", "fit"):
        out = tmp_path / mode
        result = CliRunner().invoke(cli, ["train", str(ANNOTATIONS), "-o", str(out), "--folds", "2", "--epochs", "1",
                                          "--work-dir", str(tmp_path / "work"), "--title-less", mode])
        assert result.exit_code == 0, result.output
        reports[mode] = json.loads((out / "report.json").read_text())
        models[mode] = (out / "mention.lgb").read_bytes()
        learned = tmp_path / "work" / "lexicon-all" / "learned.tsv"
        stamps.append(learned.stat().st_mtime_ns)
    assert "title_less" not in reports["none"]["cross_validation"]
    assert reports["fit"]["settings"]["title_less"] == "fit"
    for mode in ("score", "fit"):
        assert reports[mode]["cross_validation"]["title_less"]["ent"]["f1"] > 0
    # scored only, the copies change neither the estimate on the originals nor the models
    assert reports["score"]["cross_validation"]["all"] == reports["none"]["cross_validation"]["all"]
    assert models["score"] == models["none"]
    assert models["fit"] != models["none"]  # fitted on, they do
    assert len(set(stamps)) == 1  # the learned lexicons of the same abstracts were kept, not learned again


def test_the_proposed_threshold_is_the_best_out_of_fold_f1_of_that_role():
    from types import SimpleNamespace

    from kg.extract.role_features import ROLE_CLASSES

    def state(entities, probs, labels):
        doc = SimpleNamespace(_=SimpleNamespace(kg_entities=entities, kg_role_probs=probs))
        return SimpleNamespace(doc=doc, role_keys=list(entities), role_labels=labels)

    def probs(proposed, used):
        return dict(zip(ROLE_CLASSES, [0.0, 0.0, proposed, 0.0, used, 1 - proposed - used]))

    # two proposed methods the classifier finds only at 0.4 and 0.45 (below "used"), one used method at 0.35
    ents = {k: Entity(k, "Method") for k in "abc"}
    st = state(ents, {"a": probs(0.4, 0.5), "b": probs(0.45, 0.5), "c": probs(0.35, 0.6)},
               ["proposed", "proposed", "used"])
    trials = []
    assert _proposed_threshold([st], trials=trials) == 0.4
    assert trials[0] == [None, 0.0, 0.0, 0.0] and trials[list(PROPOSED_THRESHOLDS).index(0.4)][1:] == [1, 1, 1]
    # a Dataset is never proposed, whatever its probability
    data = state({"d": Entity("d", "Dataset")}, {"d": probs(0.9, 0.1)}, ["used"])
    assert _proposed_threshold([data], trials=trials) is None and all(row[3] == 0 for row in trials)


def test_a_pair_with_two_gold_relations_teaches_both():
    from kg.train.stack import State, fit_relations

    # 40 pairs annotated both "A combinesWith B" and "A outperforms B" (a method built on another and compared
    # with it), 40 with neither: the classifier must give both relations of such a pair about even odds.
    both, neither = ("outperforms", "combinesWith"), ("none",)
    st = State(None, 0, None, [], [], [], [], [], pair_rows=[{"x": 1}] * 40 + [{"x": 0}] * 40,
               pair_labels=[both] * 40 + [neither] * 40)
    classifier = fit_relations([st], rounds=30)
    p = dict(zip(classifier.classes, classifier.predict([{"x": 1}])[0]))
    assert 0.35 < p["outperforms"] < 0.65 and 0.35 < p["combinesWith"] < 0.65 and p["none"] < 0.1


@pytest.mark.model
def test_out_of_fold_results_are_found_on_the_decided_entities():
    """The results of an out-of-fold extraction are those the pipeline finds after the fold's decisions, not the
    ones of the first pass over the abstract; finding them leaves the abstract's entities as they were."""
    from types import SimpleNamespace

    from kg.extract import load_pipeline
    from kg.records import Paper
    from kg.train.data import Annotated
    from kg.train.stack import State, apply_relations

    nlp = load_pipeline()
    paper = Paper("p", "SparseFlux", "We propose SparseFlux. SparseFlux achieves 87.3% top-1 accuracy on ImageNet.")
    doc = nlp(paper.text)
    doc._.kg_results = []  # as a first pass with other entities might have left it
    entities = doc._.kg_entities
    names = {e.name for e in entities.values()}
    st = State(Annotated(paper, {}, "test"), 0, doc, [], [], [], [], [], nlp)
    classifier = SimpleNamespace(classes=["none"])
    [result] = apply_relations(st, classifier, {"*": 0.5}, probs=[]).results
    assert (result.number, result.subject, result.dataset) == (87.3, "sparseflux", "imagenet")  # keys
    assert doc._.kg_entities is entities and {e.name for e in entities.values()} == names
    assert apply_relations(st, classifier, {"*": 0.5}, probs=[], results=False).results == []
