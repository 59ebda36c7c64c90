"""SPARQL with pyoxigraph: every example query of ontology/queries, result formats, errors, the CLI."""

import csv
import io
import json
import os
import time

import pytest
from click.testing import CliRunner

from kg.cli import cli
from kg.errors import InputError, QueryError
from kg.export.rdf import write_rdf
from kg.query import format_result, run_query
from kg.vocab import ontology_path

QUERIES = ontology_path("queries")

# Expected rows of each example query on `small_graph` (with a type conflict added on GLUE), as the values of
# the terms; a set stands for a GROUP_CONCAT cell, whose order SPARQL leaves open.
EXPECTED = {
    "01-what-outperforms-x.rq": [("LoRA", "full fine-tuning", "2106.09685", "GLUE", "1")],
    "02-most-used-datasets.rq": [("GLUE", "2", "2")],
    "03-combined-with-x.rq": [("LLaMA-2-7B", "Model", "1", "We fine-tune LLaMA-2-7B with LoRA")],
    "04-evidence-for-claim.rq": [("LoRA", "full fine-tuning", "LoRA outperforms full fine-tuning on GLUE.", "0", "42",
                                  "0.9", "2106.09685")],
    "05-papers-proposing-methods-evaluated-on-d.rq": [
        ("2106.09685", "2021-06-17", "LoRA: Low-Rank Adaptation of Large Language Models", "LoRA",
         "LoRA outperforms full fine-tuning on GLUE.")],
    "06-top-baselines.rq": [("LLaMA-2", "Model", "1", "1"), ("full fine-tuning", "Method", "1", "1")],
    "07-entities-by-first-seen.rq": [
        ("2021-06-17", "GLUE", "Dataset", "2"), ("2021-06-17", "LoRA", "Method", "2"),
        ("2021-06-17", "full fine-tuning", "Method", "1"), ("2023-05-23", "LLaMA-2-7B", "Model", "1"),
        ("2023-05-23", "accuracy", "Metric", "1")],
    "08-variants-of-family.rq": [("LLaMA-2", "LLaMA-2-7B", "1", "2023-05-23")],
    "09-lookup-name-or-alias.rq": [("LoRA", "Method", "2", {"Low-Rank Adaptation", "low-rank adaptation"})],
    "10-type-conflicts.rq": [("GLUE", "Dataset", {"Dataset=2", "Task=1"})],
    "11-claims-of-paper.rq": [
        ("2106.09685", "LoRA", "evaluatedOn", "GLUE", "0.8", "LoRA outperforms full fine-tuning on GLUE."),
        ("2106.09685", "LoRA", "outperforms", "full fine-tuning", "0.9", "LoRA outperforms full fine-tuning on GLUE.")],
    "12-leaderboard-on-d.rq": [
        ("accuracy", "%", "LLaMA-2-7B", "0.914", "a1b2c3d4e5", "2023-05-23", "0.914 accuracy on GLUE"),
        ("accuracy", "%", "LoRA", "89.1%", "2106.09685", "2021-06-17", "89.1% accuracy on GLUE"),
        ("accuracy", "%", "full fine-tuning", "86.8%", "f0f0f0f0f0", "2024-01-02", "86.8%")],
    "13-wins-and-losses-on-d.rq": [("LoRA", "1", "0"), ("LLaMA-2-7B", "0", "0")],
    "14-conflicts.rq": [
        ("reversed", "full fine-tuning", "LoRA", {"2106.09685", "f0f0f0f0f0"}),
        ("results", "LoRA", "LLaMA-2-7B", {"2106.09685", "a1b2c3d4e5"}),
        ("results", "full fine-tuning", "LoRA", {"2106.09685", "f0f0f0f0f0"})],
}


@pytest.fixture
def graph_dir(small_graph, tmp_path):
    small_graph.nodes["glue"]["type_votes"] = {"Dataset": 2, "Task": 1}
    write_rdf(small_graph, tmp_path / "kg.ttl")
    return tmp_path


#: The queries about results and conflicts run on conftest's result_graph (a corpus with known numbers).
ON_RESULTS = ("12-leaderboard-on-d.rq", "14-conflicts.rq")


def _values(result):
    return [tuple("" if t is None else t.value for t in row) for row in result.rows]


def _normalise(rows, expected):
    """Turn GROUP_CONCAT cells into sets where the expectation has a set."""
    return [tuple(set(c.replace(" | ", ", ").split(", ")) if isinstance(e, set) else c for c, e in zip(row, exp))
            for row, exp in zip(rows, expected)]


def test_every_example_query_has_expected_rows():
    files = sorted(p.name for p in QUERIES.glob("*.rq"))
    assert len(files) >= 8
    assert files == sorted(EXPECTED)


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_example_query(graph_dir, result_graph_dir, name):
    text = (QUERIES / name).read_text(encoding="utf-8")
    assert text.startswith("# ") and "?" in text.splitlines()[0]  # a header saying what it asks
    result = run_query(result_graph_dir if name in ON_RESULTS else graph_dir, text)
    assert result.kind == "select"
    assert _normalise(_values(result), EXPECTED[name]) == EXPECTED[name]


def test_leaderboard_query_gives_the_leaderboard_of_kg_leaderboard(result_graph, result_graph_dir):
    from kg.leaderboard import leaderboard

    text = (QUERIES / "12-leaderboard-on-d.rq").read_text(encoding="utf-8")
    for name in ("GLUE", "WikiText-2"):
        rows = _values(run_query(result_graph_dir, text.replace('"glue"', f'"{name.lower()}"')))
        board = leaderboard(result_graph, name)
        assert [(r[0], r[2], r[3], r[4]) for r in rows] == [
            (b.metric_label, b.method_label, b.value, b.paper) for b in board.rows if b.rank is not None]


def test_query_is_fast_on_a_small_graph(rdf_graph_dir):
    start = time.perf_counter()
    result = run_query(rdf_graph_dir, "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }")
    assert time.perf_counter() - start < 2
    assert int(result.rows[0][0].value) > 200


def test_predeclared_prefixes_and_ontology_graph(rdf_graph_dir):
    result = run_query(rdf_graph_dir, "SELECT ?l WHERE { ?m a kg:Method ; skos:prefLabel ?l } ORDER BY ?l")
    assert _values(result) == [("LoRA",), ("full fine-tuning",)]
    result = run_query(rdf_graph_dir, "ASK { GRAPH <https://w3id.org/kg-ml/ontology> { kg:Method a owl:Class } }")
    assert result.boolean is True


def test_table_format(rdf_graph_dir):
    result = run_query(rdf_graph_dir, "SELECT ?e ?l WHERE { ?e a kg:Model ; skos:prefLabel ?l } ORDER BY ?l")
    lines = format_result(result, "table").splitlines()
    assert lines[0].split(" | ") == ["e" + " " * (len("entity:llama-2-7b") - 1), "l"]
    assert lines[2].split(" | ")[0].rstrip() == "entity:gpt-4"
    assert len({line.index("|") for line in lines if "|" in line}) == 1  # aligned columns
    assert lines[-1] == "(3 rows)"


def test_csv_format(rdf_graph_dir):
    query = 'SELECT ?e ?t WHERE { ?e kg:evidenceText ?t FILTER(contains(?t, "LLaMA-2-7B with")) } ORDER BY ?t'
    text = format_result(run_query(rdf_graph_dir, query), "csv")
    assert text.startswith("e,t\r\n")
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[1] == ["https://w3id.org/kg-ml/resource/claim/llama-2-7b/combinesWith/lora/evidence/1",
                       "We fine-tune LLaMA-2-7B with LoRA"]
    assert len(rows) == 3


def test_json_format(rdf_graph_dir):
    query = "SELECT ?e ?c ?missing WHERE { ?e a kg:Metric ; kg:confidence ?c OPTIONAL { ?e kg:nope ?missing } }"
    doc = json.loads(format_result(run_query(rdf_graph_dir, query), "json"))
    assert doc["head"] == {"vars": ["e", "c", "missing"]}
    assert doc["results"]["bindings"] == [{
        "e": {"type": "uri", "value": "https://w3id.org/kg-ml/resource/entity/accuracy"},
        "c": {"type": "literal", "value": "0.9", "datatype": "http://www.w3.org/2001/XMLSchema#decimal"}}]


@pytest.mark.parametrize("fmt, expected", [("table", "true\n"), ("csv", "boolean\r\ntrue\r\n"),
                                           ("json", {"head": {}, "boolean": True})])
def test_ask(rdf_graph_dir, fmt, expected):
    text = format_result(run_query(rdf_graph_dir, "ASK { ?c a kg:Claim }"), fmt)
    assert (json.loads(text) if fmt == "json" else text) == expected


@pytest.mark.parametrize("fmt", ["table", "csv", "json"])
def test_construct(rdf_graph_dir, fmt):
    result = run_query(rdf_graph_dir, "CONSTRUCT { ?a kg:beats ?b } WHERE { ?a kg:outperforms ?b }")
    assert result.kind == "graph" and len(result.triples) == 2
    text = format_result(result, fmt)
    if fmt == "table":
        assert "@prefix kg:" in text and "kg:beats <https://w3id.org/kg-ml/resource/entity/llama-2>" in text
    elif fmt == "csv":
        assert text.splitlines()[0] == "subject,predicate,object" and len(text.splitlines()) == 3
    else:
        assert len(json.loads(text)) == 2


@pytest.mark.parametrize("query, message", [
    ("SELEC ?x WHERE { ?x ?p ?o }", "SPARQL: error at 1:"),
    ("SELECT ?x WHERE { ?x a nope:Thing }", "SPARQL: error at 1:"),
])
def test_bad_query(rdf_graph_dir, query, message):
    with pytest.raises(QueryError, match=message) as info:
        run_query(rdf_graph_dir, query)
    assert "\n" not in str(info.value)


def test_missing_graph(tmp_path):
    with pytest.raises(InputError, match=r"kg\.ttl: no such file; build the graph first"):
        run_query(tmp_path, "ASK {}")


def test_unknown_format(rdf_graph_dir):
    with pytest.raises(QueryError, match="unknown result format 'xml'; valid formats: table, csv, json"):
        format_result(run_query(rdf_graph_dir, "ASK {}"), "xml")


def test_cli_query(rdf_graph_dir):
    result = CliRunner().invoke(cli, ["query", "--graph", str(rdf_graph_dir),
                                      "SELECT ?l WHERE { ?d a kg:Dataset ; skos:prefLabel ?l }"])
    assert result.exit_code == 0, result.output
    assert result.output.splitlines() == ["l", "----", "GLUE", "(1 row)"]


def test_cli_query_file_and_format(rdf_graph_dir):
    args = ["query", "--graph", str(rdf_graph_dir), "--file", str(QUERIES / "02-most-used-datasets.rq"),
            "--format", "json"]
    result = CliRunner().invoke(cli, args)
    assert result.exit_code == 0, result.output
    [row] = json.loads(result.output)["results"]["bindings"]
    assert (row["dataset"]["value"], row["papers"]["value"]) == ("GLUE", "2")


@pytest.mark.parametrize("args, message", [
    (["SELEC ?x"], "Error: SPARQL: error at 1:"),
    ([], "give either a QUERY argument or --file FILE"),
    (["ASK {}", "--format", "xml"], "Invalid value for '--format'"),
])
def test_cli_bad_query(rdf_graph_dir, args, message):
    result = CliRunner().invoke(cli, ["query", "--graph", str(rdf_graph_dir), *args])
    assert result.exit_code != 0
    assert message in result.output
    assert "Traceback" not in result.output


def test_cli_missing_graph(tmp_path):
    result = CliRunner().invoke(cli, ["query", "--graph", str(tmp_path / "nowhere"), "ASK {}"])
    assert result.exit_code == 1
    assert "kg.ttl: no such file; build the graph first" in result.output


@pytest.mark.parametrize("name, values, expected", [
    ("04-evidence-for-claim.rq", '("gpt-4" kg:outperforms "llama 2")',
     [("GPT-4", "LLaMA-2", "GPT-4 beats LLaMA-2 <script>alert(3)</script> on question answering.", "0", "68", "0.9",
       "f0f0f0f0f0")]),
    ("04-evidence-for-claim.rq", '("llama-2-7b" kg:combinesWith UNDEF)',
     [("LLaMA-2-7B", "LoRA", "We fine-tune LLaMA-2-7B with LoRA", "0", "33", "0.9", "a1b2c3d4e5")]),
    ("11-claims-of-paper.rq", '("script" "<script>alert(1)")',
     [("f0f0f0f0f0", "GPT-4", "evaluatedOn", "question answering", "0.9", "GPT-4 beats LLaMA-2 on QA."),
      ("f0f0f0f0f0", "GPT-4", "outperforms", "LLaMA-2", "0.9",
       "GPT-4 beats LLaMA-2 <script>alert(3)</script> on question answering.")]),
])
def test_example_query_with_other_values(graph_dir, name, values, expected):
    text = (QUERIES / name).read_text(encoding="utf-8")
    start = text.index("VALUES")
    start = text.index("{", start) + 1
    text = text[:start] + f" {values} " + text[text.index("}", start):]
    assert _values(run_query(graph_dir, text)) == expected


@pytest.mark.parametrize("values", ['("rank" "low-rank")', '("lora" "low-rank adaptation")'])
def test_claims_of_paper_finds_a_paper_by_a_title_word_and_phrase(graph_dir, values):
    text = (QUERIES / "11-claims-of-paper.rq").read_text(encoding="utf-8")
    text = text.replace('("adaptation" "low-rank adaptation")', values)
    assert _values(run_query(graph_dir, text)) == EXPECTED["11-claims-of-paper.rq"]


@pytest.mark.parametrize("values", ['("of" "of large")', '("adaptation" "low rank adaptation")',
                                    '("adaptations" "low-rank adaptation")'])
def test_claims_of_paper_needs_an_indexed_word_and_the_exact_phrase(graph_dir, values):
    # a stop word is not indexed; the phrase must be in the title as written (lower-cased); words are whole
    text = (QUERIES / "11-claims-of-paper.rq").read_text(encoding="utf-8")
    text = text.replace('("adaptation" "low-rank adaptation")', values)
    assert _values(run_query(graph_dir, text)) == []


@pytest.mark.parametrize("values", ['("low" "low-rank")', '("adaptation" "rank adapt")', '("lora" "lora")'])
def test_lookup_finds_an_entity_by_a_word_and_part_of_any_name(graph_dir, values):
    text = (QUERIES / "09-lookup-name-or-alias.rq").read_text(encoding="utf-8")
    text = text.replace('("rank" "low-rank")', values)
    expected = EXPECTED["09-lookup-name-or-alias.rq"]
    assert _normalise(_values(run_query(graph_dir, text)), expected) == expected


@pytest.mark.parametrize("values", ['("ran" "low-ran")', '("rank" "low rank")', '("gpt" "low-rank")'])
def test_lookup_needs_a_whole_word_of_the_name_and_the_text_as_written(graph_dir, values):
    # words are whole ("ran" is not a word of any name); the text must be in a name of an entity with the word
    text = (QUERIES / "09-lookup-name-or-alias.rq").read_text(encoding="utf-8")
    text = text.replace('("rank" "low-rank")', values)
    assert _values(run_query(graph_dir, text)) == []


@pytest.mark.parametrize("key", ["low-rank adaptation", "lora"])
def test_name_key_finds_an_entity_by_an_alias_in_another_case(graph_dir, key):
    # the graph has the alias "Low-Rank Adaptation" and the label "LoRA": the lower-cased key finds LoRA by either
    query = f'SELECT ?label WHERE {{ ?e kg:nameKey "{key}" ; skos:prefLabel ?label }}'
    assert _values(run_query(graph_dir, query)) == [("LoRA",)]


def test_example_queries_find_their_entity_by_name_key_whatever_its_case(graph_dir):
    # 08 asks for the family "llama-2": the graph's label is "LLaMA-2", its alias "Llama 2"
    text = (QUERIES / "08-variants-of-family.rq").read_text(encoding="utf-8")
    assert 'VALUES ?key { "llama-2" }' in text
    by_alias = text.replace('VALUES ?key { "llama-2" }', 'VALUES ?key { "llama 2" }')
    assert _values(run_query(graph_dir, by_alias)) == EXPECTED["08-variants-of-family.rq"]


def test_every_example_lookup_key_is_in_lower_case():
    # kg:nameKey holds lower-cased names: a key with a capital letter would find nothing
    import re

    for path in QUERIES.glob("*.rq"):
        for values in re.findall(r"VALUES \(?[?\w ]*Key\w*\)? \{([^}]*)\}|VALUES \?key\d? \{([^}]*)\}",
                                 path.read_text(encoding="utf-8")):
            keys = re.findall(r'"([^"]*)"', "".join(values))
            assert keys and keys == [k.lower() for k in keys], path.name


def test_invalid_turtle(tmp_path):
    (tmp_path / "kg.ttl").write_text("<a> <b> .\n", encoding="utf-8")
    with pytest.raises(InputError, match=r"kg\.ttl: not valid Turtle: Parser error at line 1"):
        run_query(tmp_path, "ASK {}")


# -- a query reads the local graph only, and can always be stopped ---------------------------------------------

from kg.query import uses_service  # noqa: E402

SLOW = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }"


@pytest.mark.parametrize("query, expected", [
    ("SELECT * WHERE { SERVICE <http://169.254.169.254/latest/> { ?s ?p ?o } }", True),
    ("select * where { service silent <http://x/> { ?s ?p ?o } }", True),
    ("SELECT * WHERE { ?s ?p ?o .SERVICE <http://x/> { ?s ?p ?o } }", True),
    ("SELECT * WHERE { \\u0053ERVICE <http://x/> { ?s ?p ?o } }", True),  # SPARQL decodes \u escapes first
    ("SELECT * WHERE {\n  # SERVICE <http://x/>\n  ?s ?p ?o }", False),
    ('SELECT * WHERE { ?s ?p "use SERVICE here" }', False),
    ("SELECT * WHERE { ?s ?p '''SERVICE\n''' }", False),
    ("SELECT ?service WHERE { ?service <http://x/SERVICE> ?o }", False),
    ("SELECT * WHERE { ?s ex:SERVICE ?o . ?s service:x ?o }", False),
])
def test_uses_service(query, expected):
    assert uses_service(query) is expected


def test_service_is_refused_unless_allowed(rdf_graph_dir):
    query = "SELECT * WHERE { SERVICE <http://127.0.0.1:9/sparql> { ?s ?p ?o } }"
    with pytest.raises(QueryError, match="SERVICE \\(a federated query\\) is disabled"):
        run_query(rdf_graph_dir, query)
    result = CliRunner().invoke(cli, ["query", "--graph", str(rdf_graph_dir), query])
    assert result.exit_code == 1 and "SERVICE (a federated query) is disabled" in result.output
    # allowed: the engine tries (port 9 is refused by the engine itself, so nothing leaves this machine)
    with pytest.raises(QueryError) as exc:
        run_query(rdf_graph_dir, query, allow_service=True)
    assert "disabled" not in str(exc.value)


def test_query_past_its_timeout_is_stopped(rdf_graph_dir):
    start = time.monotonic()
    with pytest.raises(QueryError, match="ran longer than 1 s and was stopped"):
        run_query(rdf_graph_dir, SLOW, timeout=1)
    assert time.monotonic() - start < 3
    result = CliRunner().invoke(cli, ["query", "--graph", str(rdf_graph_dir), "--timeout", "0.5", SLOW])
    assert result.exit_code == 1 and "--timeout" in result.output and "Traceback" not in result.output


def test_ctrl_c_stops_kg_query_within_a_second(rdf_graph_dir):
    import signal
    import subprocess
    import sys

    process = subprocess.Popen([sys.executable, "-m", "kg", "query", "--graph", str(rdf_graph_dir), SLOW],
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, start_new_session=True)
    time.sleep(2.0)  # started, loaded and deep in the query
    assert process.poll() is None
    start = time.monotonic()
    os.killpg(process.pid, signal.SIGINT)
    assert process.wait(10) == 130
    assert time.monotonic() - start < 1.0
    out, err = process.communicate()
    assert "Interrupted" in err and "Traceback" not in err
    children = subprocess.run(["pgrep", "-g", str(process.pid)], capture_output=True, text=True).stdout.split()
    assert children == []  # the query's process is gone too
