"""read_papers: paths and directories, format detection and override, merging duplicates, fatal bad input."""

import re
import shutil
from pathlib import Path

import pytest

from kg.errors import InputError
from kg.sources import FORMATS, MAX_ABSTRACT_CHARS, iter_papers, merge_papers, read_papers
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
    assert "unknown input format 'yaml'; expected one of: hf, jsonl, json, csv, arxiv, bibtex" in str(exc.value)
    assert FORMATS == ("hf", "jsonl", "json", "csv", "arxiv", "bibtex")


def test_directory_reads_sorted_visible_files(tmp_path):
    for name in ("b.jsonl", "a.jsonl", ".hidden.jsonl"):
        (tmp_path / name).write_text(f'{{"title": "{name}", "abstract": "A."}}\n', encoding="utf-8")
    (tmp_path / "sub").mkdir()
    papers = read_papers(str(tmp_path))
    # the source is the file's name: no output records a local path
    assert [(p.title, p.source) for p in papers] == [("a.jsonl", "a.jsonl"), ("b.jsonl", "b.jsonl")]
    assert [p.source for p in iter_papers(tmp_path)] == [str(tmp_path / "a.jsonl"), str(tmp_path / "b.jsonl")]


def test_duplicates_are_merged_first_wins_and_metadata_is_filled():
    papers = read_papers([DATA / "hf_lines.txt", DATA / "hf_blocks.txt", DATA / "hf_lines.txt"])
    assert len(papers) == 3 + 5 - 1
    eora = [p for p in papers if p.title.startswith("EoRA:")]
    assert len(eora) == 1
    assert (eora[0].source, eora[0].position) == ("hf_lines.txt", 7)  # first occurrence
    assert (eora[0].organisation, eora[0].date, eora[0].upvotes) == ("NVIDIA", "2024-10-28", 2)  # filled


def test_same_paper_across_formats_is_one():
    papers = read_papers([DATA / "papers.csv", DATA / "hf_blocks.txt"])
    assert len(papers) == 2 + 5 - 2
    first = papers[0]
    assert (first.source, first.n_authors) == ("papers.csv", 6)


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
    ("array.jsonl", b'[{"title": "T", "abstract": "A."},\n{"title"}]\n', "not valid JSON", 2),
    ("notgzip.jsonl.gz", b"\x1f\x8bnot really gzip", "not a valid gz file", None),
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


def test_non_paper_files_in_a_directory_are_skipped_with_a_note(tmp_path):
    (tmp_path / "a.jsonl").write_text(GOOD_JSONL, encoding="utf-8")
    (tmp_path / "NOTES.md").write_text("# Notes\n\n" + "A long paragraph of notes. " * 30, encoding="utf-8")
    (tmp_path / "figure.png").write_bytes(b"\x89PNG\r\n\x1a\n\x00")
    warnings = []
    assert [p.title for p in read_papers([tmp_path], warnings=warnings)] == ["Good"]
    assert [(Path(w.path).name, w.message.split(" (")[0]) for w in warnings] == [
        ("NOTES.md", "skipped: not a paper file"), ("figure.png", "skipped: not a paper file")]
    # a file named on its own is read whatever its name
    notes = tmp_path / "notes.dat"
    notes.write_text(GOOD_JSONL.replace("Good", "Named"), encoding="utf-8")
    assert [p.title for p in read_papers([notes])] == ["Named"]


def test_directory_of_non_paper_files_says_what_it_skipped(tmp_path):
    (tmp_path / "NOTES.md").write_text("notes", encoding="utf-8")
    with pytest.raises(InputError, match=r"directory has no readable files .*\(skipped: NOTES\.md\)"):
        read_papers([tmp_path])


def test_duplicate_id_with_another_title_is_reported_not_dropped_silently(tmp_path):
    path = tmp_path / "papers.jsonl"
    path.write_text('{"id": "p1", "title": "First paper", "abstract": "A."}\n'
                    '{"id": "p1", "title": "first  PAPER", "abstract": "A, again."}\n'  # the same paper
                    '{"id": "p1", "title": "Another paper", "abstract": "B."}\n', encoding="utf-8")
    warnings = []
    assert [p.title for p in read_papers([path], warnings=warnings)] == ["First paper"]
    assert [str(w) for w in warnings] == [f"{path}:3: paper id 'p1' is already that of another paper "
                                          "('First paper'); this record is skipped (give it its own id)"]
    with pytest.raises(InputError, match="p1"):
        read_papers([path], strict=True)


def test_when_every_record_is_bad_the_error_gives_the_reasons(tmp_path):
    path = tmp_path / "papers.jsonl"
    path.write_text('{"title": "no abstract"}\n{"title": "", "abstract": "an empty title"}\n', encoding="utf-8")
    with pytest.raises(InputError) as exc:
        read_papers([path])
    assert "every record was bad (2 skipped; the first: " in str(exc.value)
    assert f"{path}:1: record has no 'abstract' field" in str(exc.value)
    assert [str(d) for d in exc.value.details] == [f"{path}:1: record has no 'abstract' field",
                                                   f"{path}:2: record has an empty 'title' field"]


def test_an_abstract_without_a_title_is_a_paper(tmp_path):
    path = tmp_path / "scierc.jsonl"
    path.write_text('{"abstract": "We propose X."}\n{"abstract": "We propose Y."}\n{"abstract": "We propose X."}\n',
                    encoding="utf-8")
    papers = read_papers([path])
    assert [(p.title, p.abstract) for p in papers] == [("", "We propose X."), ("", "We propose Y.")]
    assert papers[0].id != papers[1].id and papers[0].text == "\n\nWe propose X."


@pytest.mark.parametrize("suffix, compress", [
    (".gz", "gzip"), (".bz2", "bz2"), (".xz", "lzma"),
])
def test_compressed_input(tmp_path, suffix, compress):
    import importlib

    module = importlib.import_module(compress)
    data = (DATA / "papers.jsonl").read_bytes()
    path = tmp_path / f"papers.jsonl{suffix}"
    path.write_bytes(module.compress(data))
    assert [p.id for p in read_papers([path])] == [p.id for p in read_papers([DATA / "papers.jsonl"])]
    (tmp_path / "listing.txt.gz").write_bytes(module.compress((DATA / "hf_blocks.txt").read_bytes()))
    assert len(read_papers([tmp_path / "listing.txt.gz"])) == 5


def test_json_array_file(tmp_path):
    path = tmp_path / "papers.json"
    path.write_text('[{"title": "T", "abstract": "A."}, {"title": "U", "summary": "B."}]', encoding="utf-8")
    assert [p.title for p in read_papers([path])] == ["T", "U"]


@pytest.mark.parametrize("field, size, message", [
    ("abstract", MAX_ABSTRACT_CHARS + 1, "abstract of 50,001 characters, more than the limit of 50,000"),
    ("abstract", 1_000_001, "abstract of 1,000,001 characters"),
    ("title", 2_001, "title of 2,001 characters, more than the limit of 2,000"),
])
def test_text_over_the_size_limit_is_a_bad_record(tmp_path, field, size, message):
    import json

    big = {"title": "Big", "abstract": "A.", field: "x " * (size // 2) + "x" * (size % 2)}
    path = tmp_path / "papers.csv"
    with open(path, "w", encoding="utf-8", newline="") as fh:
        import csv

        writer = csv.writer(fh)
        writer.writerow(["title", "abstract"])
        writer.writerow(["Good", "A."])
        writer.writerow([big["title"], big["abstract"]])
    warnings = []
    assert [p.title for p in read_papers([path], warnings=warnings)] == ["Good"]
    assert len(warnings) == 1 and warnings[0].line == 3
    assert warnings[0].message.startswith(f"record over a limit: {message}")
    jsonl = tmp_path / "papers.jsonl"
    jsonl.write_text(json.dumps(big) + "\n" + GOOD_JSONL, encoding="utf-8")
    with pytest.raises(InputError, match=f"papers.jsonl:1: record over a limit: {message}"):
        read_papers([jsonl], strict=True)


def test_listing_with_line_separator_and_form_feed_inside_an_abstract(tmp_path):
    abstract = "We propose X.\u2028It works.\x0c" + "More words here. " * 30
    text = f"Daily Papers\n\nA Title\n\n{abstract}\n\n  \u2022 3 authors\n\u00b7\nMar 9, 2024 2\n"
    path = tmp_path / "page.txt"
    path.write_text(text, encoding="utf-8")
    (paper,) = read_papers([path])
    assert paper.title == "A Title" and paper.abstract == abstract.strip()
