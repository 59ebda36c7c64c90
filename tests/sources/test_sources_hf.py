"""Reader of Hugging Face Daily Papers listing text: the three layouts, metadata, chrome and bad listings."""

from pathlib import Path

import pytest

from kg.errors import InputError
from kg.records import paper_id_for_title
from kg.sources import iter_papers, read_papers
from kg.sources.hf_daily import parse_hf_daily, parse_listing_date, parse_organisation

ROOT = Path(__file__).resolve().parents[2]
DATA = ROOT / "tests" / "data" / "sources"
CORPUS = ROOT / "data" / "hf-daily-papers"
ABSTRACT = "We study a thing. " * 30  # an abstract-length paragraph


def test_blocks_layout_reads_titles_abstracts_and_metadata():
    papers = list(iter_papers(DATA / "hf_blocks.txt"))
    assert [p.title for p in papers] == [
        "Beyond Heuristic Prompting: A Concept-Guided Bayesian Framework for Zero-Shot Image Recognition",
        "dLLM-ASR: A Faster Diffusion LLM-based Framework for Speech Recognition",
        "Micro-Diffusion Compression -- Binary Tree Tweedie Denoising for Online Probability Estimation",
        "Grammar-Aligned Decoding",
        "EoRA: Training-free Compensation for Compressed LLM with Eigenspace Low-Rank Approximation",
    ]
    assert [p.position for p in papers] == [13, 21, 29, 37, 45]
    assert [(p.date, p.n_authors, p.organisation, p.upvotes) for p in papers] == [
        (None, 6, None, None),           # "Mar 8": no year, so no date
        (None, 6, None, None),
        (None, 1, None, 2),              # "Mar 9 2"
        ("2024-05-31", 5, None, None),
        ("2024-10-28", None, "NVIDIA", 2),  # "nvidia NVIDIA" / "Oct 28, 2024 2"
    ]
    assert papers[0].abstract.startswith("Vision-Language Models (VLMs), such as CLIP,")
    assert all(p.source == str(DATA / "hf_blocks.txt") for p in papers)
    assert all(p.id == paper_id_for_title(p.title) for p in papers)


def test_blocks_without_metadata():
    papers = list(iter_papers(DATA / "hf_plain.txt"))
    assert [(p.title[:6], p.position, p.date, p.n_authors) for p in papers] == [
        ("Effici", 11, None, None), ("DebSDF", 15, None, None),
    ]


def test_line_layout_strips_glued_chrome():
    papers = list(iter_papers(DATA / "hf_lines.txt"))
    assert [p.title for p in papers][:2] == [
        "Neural Image Compression Using Masked Sparse Visual Representation",
        "Network Memory Footprint Compression Through Jointly Learnable Codebooks and Mappings",
    ]
    assert [p.position for p in papers] == [3, 5, 7]
    assert papers[0].abstract.startswith("We study neural image compression")


def test_page_chrome_and_page_date_are_not_papers():
    page = f"new\n\nDaily Papers\n\nMar 24\n\nA Title\n\n{ABSTRACT}\n"
    assert [p.title for p in parse_hf_daily(page)] == ["A Title"]


@pytest.mark.parametrize("line, expected", [
    ("Oct 22, 2024 3", ("2024-10-22", 3)),
    ("Oct 15, 2024", ("2024-10-15", None)),
    ("Mar 9 2", (None, 2)),
    ("Mar 8", (None, None)),
    ("Feb 30, 2024", (None, None)),
    ("Pointer Networks", None),
    ("Marvellous 3", None),
])
def test_parse_listing_date(line, expected):
    assert parse_listing_date(line) == expected


@pytest.mark.parametrize("line, expected", [
    ("nvidia NVIDIA", "NVIDIA"),
    ("apple Apple", "Apple"),
    ("Tsinghua University", "Tsinghua University"),
    ("OpenGVLab OpenGVLab", "OpenGVLab"),
])
def test_parse_organisation(line, expected):
    assert parse_organisation(line) == expected


@pytest.mark.parametrize("page, message, line", [
    (f"Lonely Title\n\n  • 3 authors\n·\nMar 9\n\nGood\n\n{ABSTRACT}\n", "title without an abstract", 1),
    (f"{ABSTRACT}\n\nGood\n\n{ABSTRACT}\n", "paragraph without a title", 1),
    (f"Lost Title\nGood\n{ABSTRACT}\n", "title without an abstract", 1),
    (f"  • 3 authors\n·\nMar 9\n\nGood\n\n{ABSTRACT}\n", "metadata without a listing", 1),
])
def test_bad_listing_is_reported_and_skipped(page, message, line):
    errors = []
    papers = list(parse_hf_daily(page, "page.txt", errors.append))
    assert [p.title for p in papers] == ["Good"]
    assert len(errors) == 1 and message in errors[0].message
    assert (errors[0].path, errors[0].line) == ("page.txt", line)
    with pytest.raises(InputError, match=f"^page.txt:{line}: .*{message}"):
        list(parse_hf_daily(page, "page.txt"))


def test_bundled_corpus_has_366_unique_papers_of_405_listings():
    files = sorted(CORPUS.iterdir())
    per_file = [len(list(iter_papers(f))) for f in files]
    assert per_file == [34, 79, 51, 197, 44]
    warnings = []
    papers = read_papers([CORPUS], warnings=warnings)
    assert len(papers) == 366 and warnings == []
    assert len({p.id for p in papers}) == 366
    # metadata a later listing of the same paper has is kept
    eora = next(p for p in papers if p.title.startswith("EoRA:"))
    assert (eora.organisation, eora.date, eora.upvotes) == ("NVIDIA", "2024-10-28", 2)
