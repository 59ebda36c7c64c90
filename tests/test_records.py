"""Records: ids and the JSON contract of extractions."""

import json

from kg.records import Entity, Mention, Paper, PaperExtraction, Relation, paper_id_for_title


def test_paper_id_matches_devset_ids():
    # ids of ../shared/devset/papers.jsonl are this hash of the title
    assert paper_id_for_title("Hash Layers For Large Sparse Models") == "159844bfaf"
    assert paper_id_for_title("Hash  layers for large sparse models\n") == "159844bfaf"


def test_paper_text_offsets_cover_title_and_abstract():
    p = Paper("x", "A title", "An abstract.")
    assert p.text[: len(p.title)] == "A title"
    assert p.text.index("An abstract.") == len(p.title) + len(Paper.SEPARATOR)


def test_extraction_json_round_trip_has_scorer_fields():
    e = PaperExtraction("p", "T", [Entity("LoRA", "Method", "proposed", ["Low-Rank Adaptation"],
                                          [Mention("LoRA", 0, 4)], 0.9)],
                        [Relation("LoRA", "outperforms", "Adam", "LoRA beats Adam", 0, 15, 0.7)])
    d = json.loads(json.dumps(e.to_dict()))
    assert set(d) >= {"id", "title", "entities", "relations"}
    assert set(d["entities"][0]) >= {"name", "type", "aliases", "role"}
    assert set(d["relations"][0]) >= {"subject", "predicate", "object", "evidence"}
    assert PaperExtraction.from_dict(d) == e
