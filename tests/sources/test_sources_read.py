"""read_papers: paths and directories, format detection and override, merging duplicates, fatal bad input."""

import re
import shutil
from pathlib import Path

import pytest

from kg.errors import InputError
from kg.sources import FORMATS, merge_papers, read_papers
from kg.sources.detect import detect_format, sniff_format

DATA = Path(__file__).resolve().parents[2] / "tests" / "data" / "sources"
GOOD_JSONL = '{"title": "Good", "abstract": "A."}\n'


@pytest.mark.parametrize("name, fmt", [
    ("hf_blocks.txt", "hf"), ("hf_plain.txt", "hf"), ("hf_lines.txt", "hf"), ("papers.jsonl", "jsonl"),
    ("papers.csv", "csv"), ("arxiv.xml", "arxiv"),
])
def test_format_detected_from_extension_and_from_content(tmp_path, name, fmt):
    text = (DATA / name).read_text(encoding="utf-8")
    assert detect_format(DATA / name, text) == fmt
    assert sniff_format(text) == fmt
    unknown = tmp_path / "input.dat"
    shutil.copy(DATA / name, unknown)
    assert [p.id for p in read_papers([unknown])] == [p.id for p in read_papers([DATA / name])]


def test_format_override_wins_over_extension(tmp_path):
    path = tmp_path / "papers.txt"
    path.write_text(GOOD_JSONL, encoding="utf-8")
    assert [p.title for p in read_papers([path], format="jsonl")] == ["Good"]
    with pytest.raises(InputError, match="no papers found"):
        read_papers([path])  # .txt is listing text, and this is none


def test_unknown_format_names_the_valid_ones():
    with pytest.raises(InputError) as exc:
        read_papers([DATA / "papers.jsonl"], format="yaml")
    assert "unknown input format 'yaml'; expected one of: hf, jsonl, csv, arxiv" in str(exc.value)
    assert FORMATS == ("hf", "jsonl", "csv", "arxiv")


def test_directory_reads_sorted_visible_files(tmp_path):
    for name in ("b.jsonl", "a.jsonl", ".hidden.jsonl"):
        (tmp_path / name).write_text(f'{{"title": "{name}", "abstract": "A."}}\n', encoding="utf-8")
    (tmp_path / "sub").mkdir()
    papers = read_papers(str(tmp_path))
    assert [(p.title, p.source) for p in papers] == [
        ("a.jsonl", str(tmp_path / "a.jsonl")), ("b.jsonl", str(tmp_path / "b.jsonl")),
    ]


def test_duplicates_are_merged_first_wins_and_metadata_is_filled():
    papers = read_papers([DATA / "hf_lines.txt", DATA / "hf_blocks.txt", DATA / "hf_lines.txt"])
    assert len(papers) == 3 + 5 - 1
    eora = [p for p in papers if p.title.startswith("EoRA:")]
    assert len(eora) == 1
    assert (eora[0].source, eora[0].position) == (str(DATA / "hf_lines.txt"), 7)  # first occurrence
    assert (eora[0].organisation, eora[0].date, eora[0].upvotes) == ("NVIDIA", "2024-10-28", 2)  # filled


def test_same_paper_across_formats_is_one():
    papers = read_papers([DATA / "papers.csv", DATA / "hf_blocks.txt"])
    assert len(papers) == 2 + 5 - 2
    first = papers[0]
    assert (first.source, first.n_authors) == (str(DATA / "papers.csv"), 6)


def test_merge_papers_merges_same_title_under_the_first_id():
    from kg.records import Paper

    merged = merge_papers([Paper("2106.09685", "LoRA", "A."), Paper("abc", " lora ", "A.", date="2021")])
    assert [(p.id, p.date) for p in merged] == [("2106.09685", "2021")]


def test_bad_record_warns_and_skips_or_is_fatal_when_strict(tmp_path):
    path = tmp_path / "papers.jsonl"
    path.write_text(GOOD_JSONL + '{"title": "no abstract"}\n' + GOOD_JSONL.replace("Good", "Fine"),
                    encoding="utf-8")
    warnings = []
    assert [p.title for p in read_papers([path], warnings=warnings)] == ["Good", "Fine"]
    assert [str(w) for w in warnings] == [f"{path}:2: record has no 'abstract' field"]
    assert [p.title for p in read_papers([path])] == ["Good", "Fine"]  # no list given: skipped silently
    with pytest.raises(InputError, match=f"^{re.escape(str(path))}:2: record has no 'abstract' field$"):
        read_papers([path], strict=True)


def test_input_with_only_bad_records_is_fatal(tmp_path):
    path = tmp_path / "papers.jsonl"
    path.write_text('{"title": "no abstract"}\n', encoding="utf-8")
    warnings = []
    with pytest.raises(InputError, match="no papers found"):
        read_papers([path], warnings=warnings)
    assert len(warnings) == 1


def _write(tmp_path, name, data):
    path = tmp_path / name
    path.write_bytes(data)
    return path


@pytest.mark.parametrize("name, data, message, line", [
    ("empty.jsonl", b"", "empty file", None),
    ("blank.txt", b" \n\n\t\n", "empty file", None),
    ("image.jsonl", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)), "binary file", None),
    ("latin1.csv", b"title,abstract\nCaf\xe9,A.\n", "not UTF-8 text (byte 0xe9", 2),
    ("utf16.jsonl", GOOD_JSONL.encode("utf-16"), "UTF-16 text", None),
    ("array.json", b'[{"title": "T", "abstract": "A."}]\n', "not JSON Lines", 1),
    ("columns.csv", b"name,summary\nT,A\n", "its columns are: name, summary", 1),
    ("broken.xml", b"<feed xmlns='http://www.w3.org/2005/Atom'>\n<entry>\n", "not well-formed XML", 3),
    ("mystery.dat", b"just a few words\n", "cannot detect the input format", None),
    ("nothing.txt", b"Daily Papers\n\nSubscribe\n", "no papers found", None),
])
def test_fatal_bad_input_names_file_and_line(tmp_path, name, data, message, line):
    path = _write(tmp_path, name, data)
    with pytest.raises(InputError) as exc:
        read_papers([path])
    err = exc.value
    assert (err.path, err.line) == (str(path), line)
    assert message in err.message
    assert str(err).startswith(f"{path}:{line}: " if line else f"{path}: ")


@pytest.mark.parametrize("make, message", [
    (lambda tmp: tmp / "missing.jsonl", "no such file or directory"),
    (lambda tmp: tmp, "directory has no readable files"),
])
def test_missing_path_and_empty_directory(tmp_path, make, message):
    (tmp_path / ".hidden").write_text("x", encoding="utf-8")
    path = make(tmp_path)
    with pytest.raises(InputError, match=f"^{re.escape(str(path))}: {message}"):
        read_papers([path])


def test_no_paths_given():
    with pytest.raises(InputError, match="no input files given"):
        read_papers([])


def test_a_single_path_string_is_accepted():
    assert len(read_papers(str(DATA / "papers.jsonl"))) == 3
