"""Extraction shards (kg.shards): written as extraction goes, read back in order, built from."""

import json

import pytest

import kg.pipeline as pipeline
from kg.errors import InputError
from kg.shards import ShardWriter, read_shards, shard_files


def test_shards_round_trip_in_order_with_their_papers(tmp_path, corpus):
    papers, extractions = corpus
    with ShardWriter(tmp_path / "shards", per_shard=3) as shards:
        shards.write(zip(papers, extractions))
    assert [f.name for f in shard_files(tmp_path / "shards")] == ["part-00000.jsonl", "part-00001.jsonl",
                                                                  "part-00002.jsonl"]
    back = list(read_shards(tmp_path / "shards"))
    assert [p for p, _ in back] == papers and [e for _, e in back] == extractions
    lines = [line for _, line in read_shards(tmp_path / "shards", raw=True)]  # the extractions.jsonl contract
    assert lines == [json.dumps(e.to_dict(), ensure_ascii=False) for e in extractions]


def test_a_bad_line_names_its_shard_and_line(tmp_path):
    (tmp_path / "part-00000.jsonl").write_text('{"id": "p1"}\n{"entities": []}\n')
    with pytest.raises(InputError, match="part-00000.jsonl:2: not an extraction record"):
        list(read_shards(tmp_path))
    (tmp_path / "empty").mkdir()
    with pytest.raises(InputError, match="empty: no extraction shards here"):
        list(read_shards(tmp_path / "empty"))
    with pytest.raises(InputError, match="missing: no such file or folder"):
        list(read_shards(tmp_path / "missing"))


def test_build_from_shards_is_the_build_from_inputs(tmp_path, fake_extraction, corpus):
    from conftest import snapshot

    papers, extractions = corpus
    pipeline.build(papers, tmp_path / "direct")
    pipeline.extract_to_shards(papers, tmp_path / "shards")
    pipeline.build([], tmp_path / "from-shards", from_extractions=tmp_path / "shards")
    assert snapshot(tmp_path / "direct") == snapshot(tmp_path / "from-shards")
    with pytest.raises(Exception, match="not both"):
        pipeline.build(papers, tmp_path / "both", from_extractions=tmp_path / "shards")


def test_build_from_plain_extractions_gives_papers_their_titles(tmp_path, corpus):
    papers, extractions = corpus
    pipeline.write_extractions(extractions, tmp_path / "extractions.jsonl")
    result = pipeline.build(None, tmp_path / "out", from_extractions=tmp_path / "extractions.jsonl", link_batch=3)
    G = result.graph
    assert G.nodes["paper:p1"]["title"] == "QLoRA Beats LoRA On GLUE" and G.nodes["paper:p1"]["abstract"] == ""
    assert G.nodes["lora"]["paper_count"] == 5
