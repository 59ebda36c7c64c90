"""The build pipeline: cached extraction, JSONL round trip of extractions, errors on graph directories."""

import pytest

from kg.cache import ExtractionCache
from kg.errors import InputError
from kg.pipeline import extract_corpus, open_graph, read_extractions, write_extractions
from kg.records import Entity, PaperExtraction


class _NoPipeline:
    """Stands in for spaCy: any use fails, so a passing test proves the cache answered."""

    def pipe(self, *args, **kwargs):
        raise AssertionError("the pipeline ran although every paper was cached")

    meta = {}


def test_cached_papers_are_not_extracted_again(tmp_path, papers):
    cache = ExtractionCache(tmp_path / "c.sqlite", "fingerprint")
    marked = [PaperExtraction(p.id, p.title, [Entity("cached", "Method")]) for p in papers]
    cache.put(zip(papers, marked))
    out = extract_corpus(papers, nlp=_NoPipeline(), cache=cache)
    assert [e.id for e in out] == [p.id for p in papers]
    assert all(e.entities[0].name == "cached" for e in out)


def test_cache_misses_when_fingerprint_or_text_changes(tmp_path, papers):
    cache = ExtractionCache(tmp_path / "c.sqlite", "v1")
    cache.put([(papers[0], PaperExtraction(papers[0].id, papers[0].title))])
    assert set(ExtractionCache(tmp_path / "c.sqlite", "v1").get(papers)) == {papers[0].id}
    assert ExtractionCache(tmp_path / "c.sqlite", "v2").get(papers) == {}
    papers[0].abstract += " Changed."
    assert cache.get(papers) == {}


def test_extractions_jsonl_round_trip(tmp_path, extractions):
    path = tmp_path / "x.jsonl"
    write_extractions(extractions, path)
    assert read_extractions(path) == extractions


def test_malformed_extractions_name_file_and_line(tmp_path, extractions):
    path = tmp_path / "x.jsonl"
    write_extractions(extractions, path)
    with open(path, "a") as fh:
        fh.write("[1, 2]\n")
    with pytest.raises(InputError, match=r"x\.jsonl:2"):
        read_extractions(path)


def test_open_graph_needs_a_build(tmp_path):
    with pytest.raises(InputError, match="kg build"):
        open_graph(tmp_path)
    (tmp_path / "kg.json").write_text("{not json")
    with pytest.raises(InputError, match="kg.json"):
        open_graph(tmp_path)
