"""The command line through click's CliRunner: help, errors, and one end-to-end build."""

import json
import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from kg.cli import cli

ROOT = Path(__file__).resolve().parents[1]

TINY = [
    {"id": "t1", "title": "LoRA: Low-Rank Adaptation of Large Language Models",
     "abstract": "We propose Low-Rank Adaptation (LoRA), which freezes the pretrained weights. "
                 "LoRA outperforms full fine-tuning on GLUE while training far fewer parameters."},
    {"id": "t2", "title": "QLoRA: Efficient Finetuning of Quantized LLMs",
     "abstract": "We present QLoRA, which fine-tunes LLaMA with LoRA on a single GPU. "
                 "QLoRA outperforms Alpaca on the Vicuna benchmark and reaches 99% of the performance of ChatGPT."},
    {"id": "t3", "title": "Adam: A Method for Stochastic Optimization",
     "abstract": "We introduce Adam, an algorithm for first-order gradient-based optimization. "
                 "Experiments on MNIST and CIFAR-10 show that Adam outperforms SGD."},
]


@pytest.fixture
def runner():
    return CliRunner()


@pytest.fixture
def tiny_jsonl(tmp_path):
    path = tmp_path / "tiny.jsonl"
    path.write_text("".join(json.dumps(r) + "\n" for r in TINY), encoding="utf-8")
    return path


def _fails_cleanly(result, *needles):
    assert result.exit_code != 0, result.output
    assert "Traceback" not in result.output
    assert len(result.output.strip().splitlines()) <= 2, result.output
    for needle in needles:
        assert needle in result.output, result.output


@pytest.mark.parametrize("name", sorted(cli.list_commands(None)))
def test_every_command_has_help_and_is_in_readme(runner, name):
    result = runner.invoke(cli, [name, "--help"])
    assert result.exit_code == 0
    assert "Usage:" in result.output
    assert f"kg {name}" in (ROOT / "README.md").read_text()


def test_missing_input_path(runner, tmp_path):
    missing = tmp_path / "nope.jsonl"
    _fails_cleanly(runner.invoke(cli, ["build", str(missing), "-o", str(tmp_path / "out")]), "nope.jsonl")


def test_empty_directory(runner, tmp_path):
    (tmp_path / "empty").mkdir()
    _fails_cleanly(runner.invoke(cli, ["extract", str(tmp_path / "empty"), "-o", str(tmp_path / "x.jsonl")]),
                   "empty")


@pytest.mark.parametrize("content, needle", [
    (b"", "empty"),
    (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00", "bad.jsonl"),
    ("{\"title\": \"caf\u00e9\"}\n".encode("latin-1"), "bad.jsonl"),
])
def test_unreadable_file(runner, tmp_path, content, needle):
    bad = tmp_path / "bad.jsonl"
    bad.write_bytes(content)
    _fails_cleanly(runner.invoke(cli, ["extract", str(bad), "-o", str(tmp_path / "x.jsonl")]), needle)


def test_csv_without_columns(runner, tmp_path):
    bad = tmp_path / "papers.csv"
    bad.write_text("name,text\na,b\n")
    _fails_cleanly(runner.invoke(cli, ["extract", str(bad), "-o", str(tmp_path / "x.jsonl")]), "papers.csv")


def test_unknown_format(runner, tiny_jsonl, tmp_path):
    _fails_cleanly(runner.invoke(cli, ["build", str(tiny_jsonl), "--format", "docx", "-o", str(tmp_path)]), "docx")


@pytest.mark.parametrize("args, needle", [
    (["--base", "http://x/kg"], "use 'http://x/kg/'"),
    (["--base", "no iri/"], "is not an absolute IRI"),
])
def test_bad_base_is_one_line_before_any_work(runner, tiny_jsonl, tmp_path, args, needle):
    result = runner.invoke(cli, ["build", str(tiny_jsonl), "-o", str(tmp_path / "out"), *args])
    _fails_cleanly(result, needle)
    assert not (tmp_path / "out").exists()


def test_every_bad_record_is_shown_when_no_paper_is_left(runner, tmp_path):
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"title": "T"}\n{"title": " ", "abstract": "A"}\n')
    result = runner.invoke(cli, ["build", str(bad), "-o", str(tmp_path / "out")])
    assert result.exit_code == 1 and "Traceback" not in result.output
    assert "Warning: " + f"{bad}:1: record has no 'abstract' field" in result.output
    assert "Warning: " + f"{bad}:2: record has an empty 'title' field" in result.output
    assert result.output.strip().splitlines()[-1].startswith("Error: ")


def test_malformed_line_is_fatal_with_strict(runner, tiny_jsonl, tmp_path):
    with open(tiny_jsonl, "a") as fh:
        fh.write("{not json\n")
    result = runner.invoke(cli, ["extract", str(tiny_jsonl), "--strict", "-o", str(tmp_path / "x.jsonl")])
    _fails_cleanly(result, "tiny.jsonl:4")
    assert not (tmp_path / "x.jsonl").exists()


def test_graph_commands_need_a_built_graph(runner, tmp_path):
    for args in (["stats"], ["show", "LoRA"], ["export", "--format", "graphml"]):
        _fails_cleanly(runner.invoke(cli, [*args, "--graph", str(tmp_path)]), "kg.json")


@pytest.mark.model
def test_build_end_to_end(runner, tiny_jsonl, tmp_path):
    out = tmp_path / "out"
    (out).mkdir()
    with open(tiny_jsonl, "a") as fh:
        fh.write("{not json\n")  # a bad record is skipped with a warning naming its line
    result = runner.invoke(cli, ["build", str(tiny_jsonl), "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert "tiny.jsonl:4" in result.output
    assert re.search(r"papers: 3\b", result.output)
    for name in ("kg.ttl", "kg.graphml", "kg.html", "kg.json", "extractions.jsonl"):
        assert (out / name).stat().st_size > 0, name
    assert not [p for p in out.iterdir() if p.name.endswith(".tmp")]
    lines = (out / "extractions.jsonl").read_text().splitlines()
    assert [json.loads(line)["id"] for line in lines] == ["t1", "t2", "t3"]

    shown = runner.invoke(cli, ["show", "low-rank adaptation", "--graph", str(out)])
    assert shown.exit_code == 0, shown.output
    assert "LoRA" in shown.output and "t1" in shown.output and "t2" in shown.output

    stats = runner.invoke(cli, ["stats", "--graph", str(out)])
    assert stats.exit_code == 0 and "papers: 3" in stats.output

    exported = runner.invoke(cli, ["export", "--graph", str(out), "--format", "ntriples", "-o", str(tmp_path / "g.nt")])
    assert exported.exit_code == 0, exported.output
    assert "<" in (tmp_path / "g.nt").read_text()


@pytest.mark.model
def test_failed_build_keeps_previous_outputs(runner, tiny_jsonl, tmp_path):
    out = tmp_path / "out"
    assert runner.invoke(cli, ["build", str(tiny_jsonl), "-o", str(out), "-q"]).exit_code == 0
    before = {p.name: p.read_bytes() if p.is_file() else sorted(p.iterdir()) for p in out.iterdir()}
    result = runner.invoke(cli, ["build", str(tmp_path / "missing.jsonl"), "-o", str(out), "-q"])
    assert result.exit_code != 0
    assert {p.name: p.read_bytes() if p.is_file() else sorted(p.iterdir()) for p in out.iterdir()} == before


def test_train_asks_where_to_write_and_reads_the_project_annotations():
    from kg.cli import train as train_cli
    from kg.train.data import ANNOTATIONS_DIR

    result = CliRunner().invoke(cli, ["train"])
    assert result.exit_code == 2 and "--output" in result.output  # the shipped models are replaced only when asked
    assert train_cli.ANNOTATIONS_DIR == ANNOTATIONS_DIR.resolve()


def test_leaderboard_command(runner, result_graph_dir):
    result = runner.invoke(cli, ["leaderboard", "glue", "--graph", str(result_graph_dir)])
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[:4] == ["GLUE", "", "accuracy (%): higher is better",
                         "rank  method                        value             paper         date        evidence"]
    assert lines[4].split()[:4] == ["1", "LLaMA-2-7B", "0.914", "a1b2c3d4e5"]
    csv_out = runner.invoke(cli, ["leaderboard", "GLUE", "--graph", str(result_graph_dir), "--metric", "accuracy",
                                  "--format", "csv"])
    assert csv_out.exit_code == 0 and csv_out.output.splitlines()[1].startswith("ranked,accuracy,1,LLaMA-2-7B,0.914,")
    data = json.loads(runner.invoke(cli, ["leaderboard", "WikiText-2", "--graph", str(result_graph_dir),
                                          "--format", "json"]).output)
    assert [r["method_label"] for r in data["rows"]] == ["LLaMA-2-7B", "LoRA"]


def test_leaderboard_errors(runner, result_graph_dir, tmp_path):
    _fails_cleanly(runner.invoke(cli, ["leaderboard", "MNIST", "--graph", str(result_graph_dir)]),
                   "no dataset or task named 'MNIST'")
    _fails_cleanly(runner.invoke(cli, ["leaderboard", "GLUE", "--graph", str(tmp_path)]), "kg.json")


def test_conflicts_command(runner, result_graph_dir):
    result = runner.invoke(cli, ["conflicts", "--graph", str(result_graph_dir)])
    assert result.exit_code == 0, result.output
    assert result.output.count("\n[") == 2 and result.output.startswith("[reversed] full fine-tuning outperforms LoRA")
    only = runner.invoke(cli, ["conflicts", "--graph", str(result_graph_dir), "--entity", "llama 2 7b",
                               "--format", "json"])
    assert [c["id"] for c in json.loads(only.output)] == ["conflict:lora:llama-2-7b:accuracy:glue"]
    kind = runner.invoke(cli, ["conflicts", "--graph", str(result_graph_dir), "--kind", "reversed"])
    assert kind.output.count("[reversed]") == 1 and "[results]" not in kind.output
    _fails_cleanly(runner.invoke(cli, ["conflicts", "--graph", str(result_graph_dir), "--entity", "BERT"]),
                   "no entity named 'BERT'")


def test_stats_count_results_and_conflicts(runner, result_graph_dir):
    result = runner.invoke(cli, ["stats", "--graph", str(result_graph_dir)])
    assert "results: 9 (absolute 8, delta 1); conflicts: 3" in result.output


@pytest.fixture
def built_results(tmp_path, result_extraction):
    """:func:`result_corpus` built by ``kg build`` (tables, store and all), linked one paper at a time."""
    from kg.pipeline import build

    papers, _ = result_extraction
    build(papers, tmp_path / "built", link_batch=1)
    return tmp_path / "built"


@pytest.mark.parametrize("args", [["leaderboard", "glue"], ["leaderboard", "GLUE", "--metric", "accuracy", "--format",
                                  "csv"], ["leaderboard", "WikiText-2", "--format", "json"], ["conflicts"],
                                  ["conflicts", "--entity", "llama 2 7b"], ["conflicts", "--format", "json"],
                                  ["show", "LoRA"]])
def test_result_commands_read_a_built_folder_as_the_graph(runner, built_results, result_graph_dir, args):
    from_build = runner.invoke(cli, args + ["--graph", str(built_results)])
    from_graph = runner.invoke(cli, args + ["--graph", str(result_graph_dir)])
    assert from_build.exit_code == 0, from_build.output
    assert from_build.output == from_graph.output and len(from_build.output) > 40


def test_a_built_folder_holds_results_and_conflicts_in_every_output(runner, built_results):
    stats = runner.invoke(cli, ["stats", "--graph", str(built_results)])
    assert "results: 9 (absolute 8, delta 1); conflicts: 3" in stats.output
    html = (built_results / "kg.html").read_text()
    assert html.count('"result:') >= 9
    for name in ("kg.json", "kg.graphml"):
        text = (built_results / name).read_text()
        assert text.count("result:2106.09685:") >= 2 and "conflict:" in text, name
    query = runner.invoke(cli, ["query", "--graph", str(built_results), "SELECT (COUNT(?r) AS ?n) WHERE { ?r a "
                                "kg:Result ; mls:specifiedBy/kg:higherIsBetter true . ?p kg:reports ?r }"])
    assert query.exit_code == 0 and re.search(r"\b5\b", query.output), query.output  # accuracy: 4 + 1 delta
    conflicts = runner.invoke(cli, ["query", "--graph", str(built_results), "SELECT (COUNT(?c) AS ?n) WHERE { ?c a "
                                    "kg:Conflict }"])
    assert re.search(r"\b3\b", conflicts.output), conflicts.output


@pytest.mark.parametrize("fmt", ["turtle", "graphml", "html"])
def test_export_of_a_built_folder_streams_its_tables(runner, built_results, tmp_path, fmt):
    from kg.export import default_filename

    out = tmp_path / f"tables.{fmt}"
    result = runner.invoke(cli, ["export", "--graph", str(built_results), "--format", fmt, "-o", str(out)] +
                           (["--max-nodes", "5000"] if fmt == "html" else []))
    assert result.exit_code == 0, result.output
    assert out.read_bytes() == (built_results / default_filename(fmt)).read_bytes()  # what the build wrote
