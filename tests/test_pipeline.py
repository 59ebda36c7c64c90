"""The build pipeline: cached extraction, JSONL round trip of extractions, errors on graph directories; the build
as a whole (staged and switched in one step, killed at each write step), the Python API, the cache's resilience."""

import re
import shutil

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


# -- the build as a whole: staged, switched in one step, locked, checked first --------------------------------

import errno  # noqa: E402
import json  # noqa: E402
import os  # noqa: E402
import signal  # noqa: E402
import subprocess  # noqa: E402
import sys  # noqa: E402
from pathlib import Path  # noqa: E402

import kg.pipeline as pipeline  # noqa: E402
from kg.errors import KGError  # noqa: E402
from kg.io import OutputFolder  # noqa: E402
from kg.records import Paper  # noqa: E402

from conftest import snapshot as _snapshot  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
CORPUS_A = [{"id": f"a{i}", "title": f"Method{i}: Beats Baseline{i} On Data{i}", "abstract": f"Text {i}."}
            for i in range(3)]
CORPUS_B = [{"id": f"b{i}", "title": f"Model{i}: Beats Method{i} And Other{i}", "abstract": f"More {i}.",
             "authors": "A. Author; B. Author"} for i in range(4)]


def _siblings(folder):
    """Entries beside `folder` that a build may have left (hidden names starting with the folder's)."""
    return sorted(p.name for p in Path(folder).parent.iterdir() if p.name.startswith(f".{Path(folder).name}."))


def test_build_from_records_replaces_the_folder_and_keeps_other_files(tmp_path, fake_extraction):
    out = tmp_path / "out"
    first = pipeline.build(CORPUS_A, out)
    assert sorted(p.name for p in out.iterdir()) == sorted(pipeline.OUTPUTS.values())
    assert first.graph.graph["papers"] == 3 and "created" not in first.graph.graph
    (out / "kg.png").write_bytes(b"screenshot")
    pipeline.build(CORPUS_B, out)
    assert (out / "kg.png").read_bytes() == b"screenshot"  # not an output: carried over
    assert json.loads((out / "kg.json").read_text())["graph"]["papers"] == 4
    assert _siblings(out) == []


def test_identical_inputs_give_byte_identical_outputs(tmp_path, fake_extraction):
    pipeline.build(CORPUS_B, tmp_path / "one")
    pipeline.build(CORPUS_B, tmp_path / "two")
    assert _snapshot(tmp_path / "one") == _snapshot(tmp_path / "two")
    stamped = pipeline.build(CORPUS_B, tmp_path / "three", created="2026-01-02T03:04:05+00:00")
    assert stamped.graph.graph["created"] == "2026-01-02T03:04:05+00:00"
    assert "2026-01-02T03:04:05" in (tmp_path / "three" / "kg.ttl").read_text()


def test_python_api_builds_from_dicts_and_papers(fake_extraction):
    import kg

    warnings = []
    records = [{"title": "LoRA: Low Rank", "abstract": "A.", "authors": "E. Hu; Y. Shen"},
               Paper("p2", "QLoRA Beats LoRA", "B.", authors="T. Dettmers; A. Pagnoni"), {"title": "no abstract"}]
    G = kg.graph_from_papers(records, warnings=warnings)
    papers = {d["id"]: d for _, d in G.nodes(data=True) if d["kind"] == "paper"}
    assert sorted(papers) == sorted(["p2", kg.records.paper_id_for_title("LoRA: Low Rank")])
    assert papers["p2"]["authors"] == ["T. Dettmers", "A. Pagnoni"]  # not one creator per character
    assert [str(w) for w in warnings] == ["records:3: record has no 'abstract' field"]
    assert G.has_edge("qlora", "lora", "outperforms")


def test_python_api_rejects_what_is_not_a_record():
    import kg

    with pytest.raises(InputError, match=r"records:1: expected a dict or a Paper, got int"):
        kg.graph_from_papers([1], strict=True)


@pytest.mark.parametrize("kwargs, message", [
    ({"base": "http://x/kg"}, "use 'http://x/kg/'"),
    ({"base": "not an iri/"}, "is not an absolute IRI"),
    ({"format": "docx"}, "unknown input format 'docx'"),
    ({"curation": ROOT / "tests" / "data" / "link" / "bad_syntax.toml"}, "bad_syntax.toml"),
])
def test_bad_options_fail_before_any_work(tmp_path, monkeypatch, kwargs, message):
    monkeypatch.setattr(pipeline, "extract_corpus", lambda *a, **k: pytest.fail("extraction ran"))
    monkeypatch.setattr("kg.sources.read_records", lambda *a, **k: pytest.fail("input was read"))
    with pytest.raises(KGError, match=re.escape(message)):
        pipeline.build(CORPUS_A, tmp_path / "out", **kwargs)
    assert not (tmp_path / "out").exists() and _siblings(tmp_path / "out") == []


def test_folder_with_other_files_is_refused_before_any_work(tmp_path, monkeypatch):
    monkeypatch.setattr(pipeline, "extract_corpus", lambda *a, **k: pytest.fail("extraction ran"))
    (tmp_path / "notes.txt").write_text("mine")
    with pytest.raises(KGError, match="holds files that kg did not write \\(notes.txt\\)"):
        pipeline.build(CORPUS_A, tmp_path)
    assert (tmp_path / "notes.txt").read_text() == "mine"


def test_unwritable_output_is_found_before_extraction(open_tmp, unprivileged, monkeypatch):
    import kg.export.rdf  # noqa: F401 - imported before the unprivileged call
    import kg.link  # noqa: F401
    import kg.sources  # noqa: F401

    monkeypatch.setattr(pipeline, "extract_corpus", lambda *a, **k: pytest.fail("extraction ran"))
    locked = open_tmp / "locked"
    (locked / "out").mkdir(parents=True)
    (locked / "out" / "kg.json").write_text("{}")
    os.chmod(locked / "out", 0o555)
    os.chmod(locked, 0o555)
    try:
        with pytest.raises(KGError, match="cannot write into its folder|not writable"):
            unprivileged(pipeline.build, CORPUS_A, locked / "out")
        with pytest.raises(KGError, match="cannot write into its folder"):
            unprivileged(pipeline.build, CORPUS_A, locked / "new")
    finally:
        os.chmod(locked, 0o755)
        os.chmod(locked / "out", 0o755)


def test_a_failed_write_leaves_the_previous_build(tmp_path, fake_extraction, monkeypatch):
    out = tmp_path / "out"
    pipeline.build(CORPUS_A, out)
    before = _snapshot(out)

    def disk_full(result, path, options):
        Path(path).write_text("half")
        raise OSError(errno.ENOSPC, "No space left on device", str(path))

    monkeypatch.setitem(pipeline.WRITERS, "graphml", disk_full)
    with pytest.raises(OSError, match="No space left"):
        pipeline.build(CORPUS_B, out)
    assert _snapshot(out) == before and _siblings(out) == []


def test_second_build_into_a_locked_folder_is_refused(tmp_path, fake_extraction):
    out = tmp_path / "out"
    with OutputFolder(out):
        with pytest.raises(KGError, match=f"another kg build \\(pid {os.getpid()}\\) is writing into it"):
            pipeline.build(CORPUS_A, out)
    pipeline.build(CORPUS_A, out)  # the lock went with its holder
    assert _siblings(out) == []


def test_stale_temporaries_are_removed(tmp_path, fake_extraction):
    out = tmp_path / "out"
    pipeline.build(CORPUS_A, out)
    (tmp_path / ".out.build-99999-abcd").mkdir()  # a killed build's staging folder
    (tmp_path / ".out.build-99999-abcd" / "kg.json").write_text("half")
    (out / ".kg.json.x1y2.tmp").write_text("half")  # an atomic_path temporary of a build written in place
    pipeline.build(CORPUS_B, out)
    assert _siblings(out) == [] and not list(out.glob(".*.tmp"))


def test_a_build_killed_between_the_two_renames_is_restored(tmp_path, fake_extraction):
    out = tmp_path / "out"
    pipeline.build(CORPUS_A, out)
    before = _snapshot(out)
    os.rename(out, tmp_path / ".out.old-1-ab")  # where the fallback (no renameat2) was killed
    with OutputFolder(out, owns=lambda folder: True):
        pass
    assert _snapshot(out) == before and _siblings(out) == []


# The kill test: a real `kg build` in a subprocess, killed at each step of writing. Extraction is replaced by
# fake_chunks (no spaCy), so that each run takes about a second.
SCRIPT = """
import sys, time
sys.path.insert(0, {root!r}); sys.path.insert(0, {tests!r})
import kg.io, kg.pipeline as pipeline
from conftest import fake_chunks
pipeline.extract_chunks = fake_chunks
pause = sys.argv[1]

def announce(step):
    if step == pause:
        print("PAUSED", step, flush=True)
        time.sleep(60)

for name, write in list(pipeline.WRITERS.items()):
    def wrapped(result, path, options, _write=write, _name=name):
        _write(result, path, options)
        announce("after-" + _name)
    pipeline.WRITERS[name] = wrapped
commit = kg.io.OutputFolder.commit
def switch(self):
    announce("before-switch")
    commit(self)
    announce("after-switch")
kg.io.OutputFolder.commit = switch
from kg.cli import main
sys.argv = ["kg", "build", *sys.argv[2:]]
main()
"""
STEPS = [*(f"after-{name}" for name in pipeline.WRITERS), "before-switch", "after-switch"]


def _run_build(script, step, corpus, out, **kwargs):
    env = {**os.environ, "PYTHONHASHSEED": "0"}
    return subprocess.Popen([sys.executable, str(script), step, str(corpus), "-o", str(out), "-q"], env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, **kwargs)


@pytest.fixture(scope="module")
def builds(tmp_path_factory):
    """The kill script, the two corpora, and the outputs of building each (by the same script, not paused)."""
    root = tmp_path_factory.mktemp("kill")
    script = root / "build.py"
    script.write_text(SCRIPT.format(root=str(ROOT), tests=str(ROOT / "tests")))
    corpora = {}
    for name, corpus in (("a", CORPUS_A), ("b", CORPUS_B)):
        corpora[name] = root / f"{name}.jsonl"
        corpora[name].write_text("".join(json.dumps(r) + "\n" for r in corpus))
        if name == "b":  # b is built over a, as in the tests: ids given by build a are kept (kg.link's id table)
            shutil.copytree(root / "ref-a", root / "ref-b")
        done = _run_build(script, "never", corpora[name], root / f"ref-{name}")
        assert done.wait(60) == 0, done.communicate()
    return script, corpora, {name: _snapshot(root / f"ref-{name}") for name in ("a", "b")}, root


def _wait_for_pause(process, step):
    line = process.stdout.readline()
    assert line.strip() == f"PAUSED {step}", (line, process.stderr.read() if process.poll() is not None else "")


@pytest.mark.parametrize("step", STEPS)
def test_killed_build_leaves_the_old_build_or_the_new_one(builds, tmp_path, step):
    script, corpora, refs, root = builds
    out = tmp_path / "out"
    shutil.copytree(root / "ref-a", out)
    process = _run_build(script, step, corpora["b"], out)
    try:
        _wait_for_pause(process, step)
        process.kill()
        process.wait(10)
    finally:
        process.stdout.close()
        process.stderr.close()
    assert _snapshot(out) == refs["b" if step == "after-switch" else "a"]
    if step in ("after-graphml", "after-switch"):  # one kill mid-write and one after the switch suffice here
        # the next build cleans what the killed one left (staging folder, lock file) and is not locked out
        assert _siblings(out)
        again = _run_build(script, "never", corpora["b"], out)
        assert again.wait(60) == 0, again.communicate()
        assert _snapshot(out) == refs["b"] and _siblings(out) == []


@pytest.mark.parametrize("stop", [signal.SIGINT, signal.SIGTERM], ids=["SIGINT", "SIGTERM"])
def test_interrupted_build_exits_130_and_changes_nothing(builds, tmp_path, stop):
    script, corpora, refs, root = builds
    out = tmp_path / "out"
    shutil.copytree(root / "ref-a", out)
    process = _run_build(script, "after-turtle", corpora["b"], out)
    _wait_for_pause(process, "after-turtle")
    process.send_signal(stop)
    assert process.wait(10) == 130
    _, err = process.communicate()
    assert "Interrupted: nothing was changed." in err and "Traceback" not in err
    assert _snapshot(out) == refs["a"] and _siblings(out) == []


def test_two_builds_into_one_folder_do_not_interleave(builds, tmp_path):
    script, corpora, refs, root = builds
    out = tmp_path / "out"
    first = _run_build(script, "after-graph", corpora["a"], out)
    try:
        _wait_for_pause(first, "after-graph")
        second = _run_build(script, "never", corpora["b"], out)
        assert second.wait(30) == 1
        _, err = second.communicate()
        assert f"another kg build (pid {first.pid}) is writing into it" in err and "Traceback" not in err
    finally:
        first.kill()
        first.wait()
        first.stdout.close()
        first.stderr.close()
    assert not out.exists()


# -- the extraction cache: written as it goes, never a reason to fail ------------------------------------------

class _Doc:
    def __init__(self):
        self._ = type("Underscore", (), {"kg_entities": {}, "kg_relations": [], "kg_results": []})()


class _CountingPipeline:
    """Stands in for spaCy in kg.extract.extract_papers: empty extractions, counted; fails on paper `fail_at`."""

    meta = {}

    def __init__(self, fail_at=None):
        self.seen, self.fail_at = [], fail_at

    def pipe(self, pairs, as_tuples=True, batch_size=64):
        for _, paper in pairs:
            if paper.id == self.fail_at:
                raise KeyboardInterrupt
            self.seen.append(paper.id)
            yield _Doc(), paper


def _corpus(n):
    return [Paper(f"p{i}", f"Title {i}", f"Abstract {i}.") for i in range(n)]


def test_interrupted_extraction_resumes_from_the_cache(tmp_path):
    papers = _corpus(10)
    cache = ExtractionCache(tmp_path / "c.sqlite", "fp")
    with pytest.raises(KeyboardInterrupt):
        extract_corpus(papers, nlp=_CountingPipeline(fail_at="p7"), batch_size=3, cache=cache)
    assert set(cache.get(papers)) == {f"p{i}" for i in range(6)}  # the two chunks done before Ctrl-C
    resumed = _CountingPipeline()
    out = extract_corpus(papers, nlp=resumed, batch_size=3, cache=ExtractionCache(tmp_path / "c.sqlite", "fp"))
    assert resumed.seen == [f"p{i}" for i in range(6, 10)] and [e.id for e in out] == [p.id for p in papers]


@pytest.mark.parametrize("content", [b"this is not a database" * 100, b"SQLite format 3\x00" + b"\xff" * 200])
def test_corrupt_cache_is_moved_aside_and_replaced(tmp_path, content):
    path = tmp_path / "extractions.sqlite"
    path.write_bytes(content)
    cache = ExtractionCache(path, "fp")
    assert len(cache.problems) == 1 and "moved it to extractions.sqlite.corrupt" in cache.problems[0]
    assert (tmp_path / "extractions.sqlite.corrupt").read_bytes() == content
    out = extract_corpus(_corpus(2), nlp=_CountingPipeline(), cache=cache)
    assert len(out) == 2 and set(ExtractionCache(path, "fp").get(_corpus(2))) == {"p0", "p1"}


def test_read_only_cache_is_read_but_not_written(open_tmp, unprivileged):
    import sqlite3  # noqa: F401 - imported before the unprivileged call

    import kg.extract  # noqa: F401

    folder = open_tmp / "cache"
    folder.mkdir()
    papers = _corpus(3)
    marked = PaperExtraction("p0", "T", [Entity("cached", "Method")])
    ExtractionCache(folder / "extractions.sqlite", "fp").put([(papers[0], marked)])
    os.chmod(folder / "extractions.sqlite", 0o444)
    os.chmod(folder, 0o555)

    def use():
        cache = ExtractionCache(folder / "extractions.sqlite", "fp")
        nlp = _CountingPipeline()
        out = extract_corpus(papers, nlp=nlp, cache=cache)
        return cache.problems, nlp.seen, [[x.name for x in e.entities] for e in out]

    try:
        problems, seen, titles = unprivileged(use)
    finally:
        os.chmod(folder, 0o755)
    assert seen == ["p1", "p2"] and titles == [["cached"], [], []]
    assert len(problems) == 1 and "read-only" in problems[0] and "new ones are not saved" in problems[0]


def test_cache_problems_are_warnings_of_the_build(tmp_path, monkeypatch):
    (tmp_path / "cache").mkdir()
    (tmp_path / "cache" / "extractions.sqlite").write_bytes(b"garbage" * 100)
    monkeypatch.setattr("kg.cache.pipeline_fingerprint", lambda nlp: "fp")
    result = pipeline.build(CORPUS_A, tmp_path / "out", cache_dir=tmp_path / "cache", nlp=_CountingPipeline())
    assert any("started a new cache" in str(w) for w in result.warnings)


@pytest.mark.parametrize("content", [
    "[]", '{"nodes": 5}', '{"nodes": [1, 2]}', '{"nodes": [{"id": "a"}], "edges": [{"source": "a"}]}',
    '{"nodes": [{"id": "a"}], "edges": "x"}', "[" * 5000 + "]" * 5000, "\xff",
])
def test_wrongly_shaped_graph_file_is_one_error(tmp_path, content):
    (tmp_path / "kg.json").write_text(content, encoding="latin-1")
    with pytest.raises(InputError, match="kg.json: not a kg graph file"):
        open_graph(tmp_path)


# The bundled corpus with its shipped extractions (no spaCy), built under two hash seeds: identical files.
SEEDED = """
import json, sys
sys.path.insert(0, {root!r})
import kg.pipeline as pipeline
from kg.records import PaperExtraction

shipped = {{e.id: e for e in pipeline.read_extractions({root!r} + "/outputs/extractions.jsonl")}}
pipeline.extract_chunks = lambda papers, **kw: iter([(papers, [json.dumps(
    (shipped.get(p.id) or PaperExtraction(p.id, p.title)).to_dict()) for p in papers])])
pipeline.build([{root!r} + "/data/hf-daily-papers/" + name for name in sys.argv[2:]], sys.argv[1],
               curation={root!r} + "/data/curation.toml")
"""


@pytest.fixture(scope="module")
def seeded_builds(tmp_path_factory):
    root = tmp_path_factory.mktemp("seeds")
    script = root / "build.py"
    script.write_text(SEEDED.format(root=str(ROOT)))
    files = sorted(p.name for p in (ROOT / "data" / "hf-daily-papers").iterdir())[:1]  # 1 of 5: quicker, as good
    runs = [subprocess.Popen([sys.executable, str(script), str(root / f"seed-{seed}"), *files], stderr=subprocess.PIPE,
                             text=True, env={**os.environ, "PYTHONHASHSEED": str(seed)}) for seed in (1, 2)]
    for run in runs:
        assert run.wait(300) == 0, run.stderr.read()
        run.stderr.close()
    return root / "seed-1", root / "seed-2"


@pytest.mark.parametrize("name", ["extractions.jsonl", "kg.json", "kg.ttl", "kg.graphml"])
def test_outputs_do_not_depend_on_the_hash_seed(seeded_builds, name):
    one, two = seeded_builds
    assert (one / name).read_bytes() == (two / name).read_bytes()
    text = (one / name).read_text(encoding="utf-8")
    assert str(ROOT) not in text and "/data/hf-daily-papers/" not in text  # no local path in any output


def test_html_does_not_depend_on_the_hash_seed(seeded_builds):
    one, two = seeded_builds
    assert (one / "kg.html").read_bytes() == (two / "kg.html").read_bytes()
