"""Readers of JSON Lines, CSV and arXiv Atom: fields, id rules and bad records."""

from pathlib import Path

import pytest

from kg.errors import InputError
from kg.records import paper_id_for_title
from kg.sources import iter_papers
from kg.sources.arxiv import parse_arxiv
from kg.sources.fields import arxiv_id, iso_date, split_authors
from kg.sources.jsonl import parse_jsonl
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


@pytest.mark.parametrize("text, message", [
    ('{\n  "title": "T",\n  "abstract": "A."\n}\n', "a single JSON document (an object), not JSON Lines"),
    ('[{"title": "T", "abstract": "A."}]', "a single JSON document (an array), not JSON Lines"),
    ("title: T\nabstract: A\n", "not JSON Lines: no line is a JSON object"),
])
def test_json_that_is_not_jsonl_is_fatal(text, message):
    with pytest.raises(InputError, match="^in:1: ") as exc:
        list(parse_jsonl(text, "in", lambda e: None))
    assert message in str(exc.value)


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
        list(parse_csv("\nname,summary,year\nT,A,2020\n", "in.csv"))
    assert str(exc.value) == "in.csv:2: CSV has no 'title' or 'abstract' column; its columns are: name, summary, year"


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
