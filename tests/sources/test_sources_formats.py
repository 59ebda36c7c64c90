"""Readers of JSON Lines, CSV and arXiv Atom: fields, id rules and bad records."""

import json
from pathlib import Path

import pytest

from kg.errors import InputError
from kg.records import paper_id_for_title
from kg.sources import iter_papers
from kg.sources.arxiv import parse_arxiv
from kg.sources.fields import arxiv_id, iso_date, split_authors
from kg.sources.bibtex import parse_bibtex
from kg.sources.jsonl import parse_json, parse_jsonl
from kg.sources.tabular import parse_csv

DATA = Path(__file__).resolve().parents[2] / "tests" / "data" / "sources"
FEED = '<feed xmlns="http://www.w3.org/2005/Atom">{}</feed>'


def _read(parse, text):
    errors = []
    papers = list(parse(text, "in", errors.append))
    return papers, [(e.line, e.message) for e in errors]


def test_jsonl_fixture_fields_and_ids():
    papers = list(iter_papers(DATA / "papers.jsonl"))
    assert [(p.id, p.position) for p in papers] == [
        ("159844bfaf", 1),  # id given in the input is kept
        (paper_id_for_title("LoRA+: Efficient Low Rank Adaptation of Large Models"), 3),  # blank line 2 skipped
        ("2106.09685", 4),  # arXiv id of an arXiv url, version dropped
    ]
    assert papers[0].authors == ["Stephen Roller", "Sainbayar Sukhbaatar", "Arthur Szlam", "Jason Weston"]
    assert papers[0].n_authors == 4 and papers[0].date == "2021-06-08"
    assert papers[1].authors == ["Soufiane Hayou", "Nikhil Ghosh", "Bin Yu"]  # ";"-separated string
    assert papers[2].date == "2021-06-17" and papers[2].url == "https://arxiv.org/abs/2106.09685v2"


@pytest.mark.parametrize("line, message", [
    ("{not json", "not valid JSON"),
    ("[1, 2]", "expected a JSON object, got an array"),
    ('{"title": "T"}', "no 'abstract' field"),
    ('{"title": "", "abstract": "A."}', "empty 'title' field"),
    ('{"title": ["T"], "abstract": "A."}', "'title' field"),
])
def test_jsonl_bad_line_is_skipped_with_its_line(line, message):
    text = f'{{"title": "Good", "abstract": "A."}}\n\n{line}\n{{"title": "Also good", "abstract": "B."}}\n'
    papers, errors = _read(parse_jsonl, text)
    assert [p.title for p in papers] == ["Good", "Also good"]
    assert len(errors) == 1 and errors[0][0] == 3 and message in errors[0][1]


@pytest.mark.parametrize("text", [
    '{\n  "title": "T",\n  "abstract": "A."\n}\n',
    '[{"title": "T", "abstract": "A."}]',
    '[\n  {"title": "T",\n   "abstract": "A."}\n]\n',
])
def test_a_json_document_in_a_jsonl_file_is_read_as_json(text):
    papers, errors = _read(parse_jsonl, text)
    assert [(p.title, p.abstract) for p in papers] == [("T", "A.")] and errors == []


def test_text_that_is_no_json_at_all_is_fatal():
    with pytest.raises(InputError, match="^in:1: not JSON Lines: no line is a JSON object"):
        list(parse_jsonl("title: T\nabstract: A\n", "in", lambda e: None))


@pytest.mark.parametrize("separator", ["\u2028", "\u2029", "\u0085", "\x0c", "\x1c", "\x1d", "\x1e", "\x0b"])
def test_jsonl_splits_at_line_feeds_only(separator):
    # U+2028, U+0085, a form feed ... are legal inside JSON strings: str.splitlines would cut the record there
    text = (f'{{"title": "First{separator}title", "abstract": "One.{separator}Two."}}\n'
            '{"title": "Second", "abstract": "B."}\r\n')
    papers, errors = _read(parse_jsonl, text)
    assert errors == []
    assert [(p.title, p.abstract, p.position) for p in papers] == [
        ("First title", f"One.{separator}Two.", 1), ("Second", "B.", 2)]


@pytest.mark.parametrize("value, message", [
    ("Infinity", "Infinity is not a JSON number"),
    ("-Infinity", "-Infinity is not a JSON number"),
    ("NaN", "NaN is not a JSON number"),
    ("1e999", "the number 1e999 is out of range"),
    ("9" * 5000, "an integer of 5,000 digits (at most 100)"),
    ("[" * 1000 + "]" * 1000, "nested more than 64 levels deep"),
    ("[" * 70 + "]" * 70, "nested more than 64 levels deep"),
])
def test_jsonl_record_over_a_limit_is_a_bad_record(value, message):
    text = ('{"title": "Good", "abstract": "A."}\n'
            f'{{"title": "Bad", "abstract": "B.", "extra": {value}}}\n'
            '{"title": "Also good", "abstract": "C."}\n')
    papers, errors = _read(parse_jsonl, text)
    assert [p.title for p in papers] == ["Good", "Also good"]
    assert errors == [(2, f"record over a limit: {message}")]


def test_json_array_records_keep_their_lines_and_limits():
    text = '[\n  {"title": "T", "abstract": "A."},\n  {"title": "U", "abstract": "B.", "n": NaN},\n  [1],\n' \
           '  {"title": "V",\n   "abstract": "C."}\n]\n'
    papers, errors = _read(parse_json, text)
    assert [(p.title, p.position) for p in papers] == [("T", 2), ("V", 5)]
    assert errors == [(3, "record over a limit: NaN is not a JSON number"), (4, "expected a JSON object, got an array")]


@pytest.mark.parametrize("text, message", [
    ('[{"title": "T", "abstract": "A."},\n {"title": ]', "in:2: not valid JSON (Expecting value"),
    ('[{"title": "T", "abstract": "A."}] trailing', "in:1: not valid JSON (extra data after the array)"),
    ('"just a string"', "in:1: not a JSON array of records"),
])
def test_malformed_json_array_is_fatal_with_its_line(text, message):
    with pytest.raises(InputError) as exc:
        list(parse_json(text, "in", lambda e: None))
    assert str(exc.value).startswith(message)


def test_json_single_object_is_one_record():
    papers, errors = _read(parse_json, '{\n "title": "T",\n "summary": "A."\n}')
    assert [(p.title, p.abstract, p.position) for p in papers] == [("T", "A.", 1)] and errors == []


@pytest.mark.parametrize("record", [
    {"titles": "T", "summaries": "A."},  # Kaggle arXiv export
    {"title": "T", "summary": "A."},  # arXiv API
    {"title": "T", "paperAbstract": "A."},  # Semantic Scholar
    {"Title": "T", "Abstract": "A."},
])
def test_title_and_abstract_synonyms(record):
    papers, errors = _read(parse_jsonl, json.dumps(record) + "\n")
    assert [(p.title, p.abstract) for p in papers] == [("T", "A.")] and errors == []


def test_field_map_names_other_columns():
    text = "headline,body,id\nT,A.,p1\n"
    papers = list(parse_csv(text, "in.csv", fields={"title": "Headline", "abstract": "body"}))
    assert [(p.id, p.title, p.abstract) for p in papers] == [("p1", "T", "A.")]
    with pytest.raises(InputError, match="CSV has no 'text' column; its columns are: headline, body, id$"):
        list(parse_csv(text, "in.csv", fields={"title": "headline", "abstract": "text"}))
    papers, errors = _read(lambda t, s, e: parse_jsonl(t, s, e, fields={"abstract": "body"}),
                           '{"title": "T", "body": "A."}\n{"title": "U", "abstract": "B."}\n')
    assert [p.title for p in papers] == ["T"] and errors == [(2, "record has no 'body' field")]


def test_field_map_rejects_unknown_fields(tmp_path):
    path = tmp_path / "p.jsonl"
    path.write_text('{"title": "T", "abstract": "A."}\n', encoding="utf-8")
    with pytest.raises(InputError, match="unknown field 'body' in the field map"):
        list(iter_papers(path, fields={"body": "x"}))


def test_authors_as_objects_and_control_characters_in_ids():
    papers, _ = _read(parse_jsonl, json.dumps({"id": "p\x001", "title": "T\x07", "abstract": "A.",
                                               "authors": [{"name": "Edward Hu"}, {"name": "Yelong Shen"}]}) + "\n")
    assert (papers[0].id, papers[0].title, papers[0].authors) == ("p1", "T", ["Edward Hu", "Yelong Shen"])


def test_csv_fixture_fields_and_multiline_row():
    papers = list(iter_papers(DATA / "papers.csv"))
    assert [(p.id, p.position) for p in papers] == [
        ("63286eb297", 2),
        (paper_id_for_title("dLLM-ASR: A Faster Diffusion LLM-based Framework for Speech Recognition"), 3),
    ]
    assert papers[1].date == "2024-10-22" and papers[1].authors == ["A. Author", "B. Author"]
    assert "\n" in papers[1].abstract and papers[0].date == "2024-05-30"


def test_csv_rows_with_wrong_fields_are_skipped():
    text = 'title,abstract,id\nGood,A.,p1\n\nShort row,B.\n,C.,p3\n"Spans\nlines",D.,p4\n'
    papers, errors = _read(parse_csv, text)
    assert [(p.id, p.title, p.position) for p in papers] == [("p1", "Good", 2), ("p4", "Spans lines", 6)]
    assert errors == [(4, "expected 3 fields as in the header, got 2"), (5, "record has an empty 'title' field")]


def test_csv_with_tabs():
    papers, errors = _read(parse_csv, "id\tTitle\tAbstract\np1\tT\tA.\n")
    assert [(p.id, p.title) for p in papers] == [("p1", "T")] and errors == []


def test_csv_without_required_columns_names_its_columns():
    with pytest.raises(InputError) as exc:
        list(parse_csv("\nname,text,year\nT,A,2020\n", "in.csv"))
    assert str(exc.value) == ("in.csv:2: CSV has no 'title' or 'abstract' column; its columns are: name, text, year; "
                              "name them with --title-column and --abstract-column")


def test_arxiv_fixture():
    papers = list(iter_papers(DATA / "arxiv.xml"))
    lora, old = papers
    assert (lora.id, lora.title, lora.date, lora.position) == (
        "2106.09685", "LoRA: Low-Rank Adaptation of Large Language Models", "2021-06-17", 8)
    assert lora.abstract.startswith("We propose Low-Rank Adaptation, or LoRA, which freezes the pre-trained model")
    assert "\n" not in lora.abstract and lora.abstract.endswith("architecture.")
    assert lora.authors == ["Edward J. Hu", "Yelong Shen"] and lora.url == "http://arxiv.org/abs/2106.09685v2"
    assert (old.id, old.position) == ("hep-th/9901001", 28)


def test_arxiv_bad_entries_are_skipped():
    entries = (
        "<entry><id>http://arxiv.org/abs/2401.00001v1</id><title>Good</title><summary>A.</summary></entry>\n"
        "<entry><id>http://arxiv.org/abs/2401.00002v1</id><title>No summary</title></entry>\n"
        "<entry><id>http://arxiv.org/api/errors#incorrect_id_format</id><title>Error</title>"
        "<summary>incorrect id format</summary></entry>"
    )
    papers, errors = _read(parse_arxiv, FEED.format(entries))
    assert [p.id for p in papers] == ["2401.00001"]
    assert errors == [(2, "entry http://arxiv.org/abs/2401.00002v1 has no summary"),
                      (3, "arXiv API error entry: incorrect id format")]


@pytest.mark.parametrize("text, message", [
    ('<?xml version="1.0"?>\n<feed xmlns="http://www.w3.org/2005/Atom">\n<entry>\n</feed>',
     "in:4: not well-formed XML"),
    ("<html><body>hi</body></html>", "in: not an Atom feed: the root element is <html>"),
    ('<!DOCTYPE feed [<!ENTITY a "aaaa">]><feed/>', "in: XML with entity declarations is not accepted"),
])
def test_arxiv_bad_xml_is_fatal(text, message):
    with pytest.raises(InputError) as exc:
        list(parse_arxiv(text, "in", lambda e: None))
    assert str(exc.value).startswith(message)


@pytest.mark.parametrize("text, expected", [
    ("http://arxiv.org/abs/2106.09685v2", "2106.09685"),
    ("https://arxiv.org/pdf/2310.12345", "2310.12345"),
    ("arXiv:0704.0001v3", "0704.0001"),
    ("http://arxiv.org/abs/hep-th/9901001v1", "hep-th/9901001"),
    ("http://arxiv.org/abs/math.GT/0309136", "math.GT/0309136"),
    ("https://example.org/paper/12", None),
    ("", None),
])
def test_arxiv_id(text, expected):
    assert arxiv_id(text) == expected


@pytest.mark.parametrize("value, expected", [
    ("2021-06-17", "2021-06-17"), ("2021-06-17T17:37:18Z", "2021-06-17"), ("2021-06", "2021-06"),
    ("2021", "2021"), ("Oct 22, 2024", "2024-10-22"), ("Mar 8", None), ("2021-13-01", None),
    ("yesterday", None), (None, None), (2021, "2021"),
])
def test_iso_date(value, expected):
    assert iso_date(value) == expected


@pytest.mark.parametrize("value, expected", [
    (["A. B", " C  D "], ["A. B", "C D"]), ("A; B ;", ["A", "B"]), (None, []), ("", []),
])
def test_split_authors(value, expected):
    assert split_authors(value) == expected


BIB = r"""% exported by a reference manager
@string{nips = "Advances in Neural Information Processing Systems"}
@article{hu2021lora,
  title = {{LoRA}: Low-Rank Adaptation of Large Language Models},
  author = {Hu, Edward J. and Shen, Yelong and M{\"u}ller, J{\"o}rg},
  year = {2021}, month = jun,
  eprint = {2106.09685v2}, archivePrefix = {arXiv},
  abstract = {We propose Low-Rank Adaptation, or {LoRA}, which freezes the weights: 10{\,}000$\times$ fewer.}
}

@inproceedings{noabs, title = "A paper without its abstract", booktitle = nips, year = 2020}

@inproceedings{broken,
  title = {Broken
@misc{qlora, title = {QLoRA}, abstract = {We present QLoRA.}, doi = {10.48550/arXiv.2305.14314}, date = {2023-05-23}}
"""


def test_bibtex_entries_with_abstracts():
    papers, errors = _read(parse_bibtex, BIB)
    lora, qlora = papers
    assert (lora.id, lora.title, lora.date, lora.position) == (
        "2106.09685", "LoRA: Low-Rank Adaptation of Large Language Models", "2021-06", 3)
    assert lora.authors == ["Hu, Edward J.", "Shen, Yelong", "Müller, Jörg"]
    assert lora.abstract.startswith("We propose Low-Rank Adaptation, or LoRA, which freezes")
    assert (qlora.id, qlora.date) == ("2305.14314", "2023-05-23")
    assert qlora.url == "https://doi.org/10.48550/arXiv.2305.14314"
    assert errors[0] == (11, "entry 'noabs' has no abstract")
    assert errors[1][0] == 13 and errors[1][1].startswith("BibTeX block that does not parse")
    assert len(errors) == 2


def test_bibtex_read_from_a_bib_file(tmp_path):
    path = tmp_path / "refs.bib"
    path.write_text(BIB, encoding="utf-8")
    warnings = []
    from kg.sources import read_papers

    assert [p.id for p in read_papers([path], warnings=warnings)] == ["2106.09685", "2305.14314"]
    assert [w.line for w in warnings] == [11, 13]
