"""Shared fixtures: the one conftest of the test suite (small, constant, built by hand)."""

import json
import os
import pickle
import re
import shutil
import signal
import tempfile
from pathlib import Path

import networkx as nx
import pytest

from kg.records import Entity, Mention, Paper, PaperExtraction, Relation, Result


def pytest_configure(config):
    """A run started in the background (``nohup``, ``&`` in a script) inherits an ignored SIGINT, and so would
    every process the tests start; the Ctrl-C tests need Python's default handler there, as in a terminal."""
    if signal.getsignal(signal.SIGINT) == signal.SIG_IGN:
        signal.signal(signal.SIGINT, signal.default_int_handler)


def parsed(nlp, rows):
    """A Doc from ``(word, pos, head, dep[, lemma])`` rows (heads are absolute token indices), for the tests of
    rules over hand-built parses (``from conftest import parsed``)."""
    from spacy.tokens import Doc

    words, pos, heads, deps = ([r[k] for r in rows] for k in range(4))
    lemmas = [r[4] if len(r) > 4 else r[0].lower() for r in rows]
    return Doc(nlp.vocab, words=words, pos=pos, heads=heads, deps=deps, lemmas=lemmas)


def _evidence(paper, sentence, confidence=0.9):
    return {"paper": paper, "sentence": sentence, "start": 0, "end": len(sentence), "confidence": confidence}


@pytest.fixture
def papers():
    """Three small papers, as a reader would yield them."""
    return [
        Paper("2106.09685", "LoRA: Low-Rank Adaptation of Large Language Models",
              "We propose Low-Rank Adaptation (LoRA). LoRA outperforms full fine-tuning on GLUE.",
              date="2021-06-17", source="fixture.jsonl", position=1, authors=["E. Hu", "Y. Shen"],
              url="https://arxiv.org/abs/2106.09685"),
        Paper("a1b2c3d4e5", "QLoRA on LLaMA-2", "We fine-tune LLaMA-2-7B with LoRA and report accuracy on GLUE.",
              date="2023-05-23", source="fixture.jsonl", position=2, n_authors=4, upvotes=3),
        Paper("f0f0f0f0f0", "A <script>alert(1)</script> title", "GPT-4 beats LLaMA-2 on question answering.",
              source="fixture.jsonl", position=3, organisation="Example Lab"),
    ]


@pytest.fixture
def extractions():
    """Per-paper extractions matching :func:`papers`."""
    return [
        PaperExtraction("2106.09685", "LoRA: Low-Rank Adaptation of Large Language Models", [
            Entity("LoRA", "Method", "proposed", ["Low-Rank Adaptation"], [Mention("LoRA", 0, 4)], 0.95),
            Entity("full fine-tuning", "Method", "baseline", [], [], 0.8),
            Entity("GLUE", "Dataset", "used", [], [], 0.9),
        ], [
            Relation("LoRA", "outperforms", "full fine-tuning", "LoRA outperforms full fine-tuning on GLUE.",
                     92, 134, 0.9),
            Relation("LoRA", "evaluatedOn", "GLUE", "LoRA outperforms full fine-tuning on GLUE.", 92, 134, 0.8),
        ]),
    ]


@pytest.fixture
def small_graph():
    """A hand-built graph in the schema of :mod:`kg.graph`: 3 papers, 7 entities, every predicate."""
    G = nx.MultiDiGraph(name="kg", created="2026-01-01T00:00:00", papers=3, link_report={})
    G.add_node("paper:2106.09685", kind="paper", type="Paper", id="2106.09685",
               label="LoRA: Low-Rank Adaptation of Large Language Models",
               title="LoRA: Low-Rank Adaptation of Large Language Models",
               abstract="We propose Low-Rank Adaptation (LoRA). LoRA outperforms full fine-tuning on GLUE.",
               date="2021-06-17", url="https://arxiv.org/abs/2106.09685", authors=["E. Hu", "Y. Shen"],
               n_authors=2, organisation=None, upvotes=None, source="fixture.jsonl", position=1)
    G.add_node("paper:a1b2c3d4e5", kind="paper", type="Paper", id="a1b2c3d4e5", label="QLoRA on LLaMA-2",
               title="QLoRA on LLaMA-2", abstract="We fine-tune LLaMA-2-7B with LoRA and report accuracy on GLUE.",
               date="2023-05-23", url=None, authors=[], n_authors=4, organisation=None, upvotes=3,
               source="fixture.jsonl", position=2)
    G.add_node("paper:f0f0f0f0f0", kind="paper", type="Paper", id="f0f0f0f0f0",
               label="A <script>alert(1)</script> title", title="A <script>alert(1)</script> title",
               abstract="GPT-4 beats LLaMA-2 on question answering. <img src=x onerror=alert(2)>",
               date=None, url=None, authors=[], n_authors=None, organisation="Example Lab", upvotes=None,
               source="fixture.jsonl", position=3)

    def ent(key, type_, label, aliases, roles, first_seen, generic=False):
        G.add_node(key, kind="entity", type=type_, label=label, aliases=aliases, papers=sorted(roles),
                   roles=roles, paper_count=len(roles), first_seen=first_seen, generic=generic,
                   confidence=0.9, type_votes={type_: len(roles)})
        for pid, role in roles.items():
            pred = {"proposed": "proposes", "used": "uses", "baseline": "comparesTo", "mentioned": "mentions"}[role]
            G.add_edge(f"paper:{pid}", key, key=pred, predicate=pred)

    ent("lora", "Method", "LoRA", ["Low-Rank Adaptation", "low-rank adaptation"],
        {"2106.09685": "proposed", "a1b2c3d4e5": "used"}, "2021-06-17")
    ent("full-fine-tuning", "Method", "full fine-tuning", [], {"2106.09685": "baseline"}, "2021-06-17")
    ent("glue", "Dataset", "GLUE", ["GLUE benchmark"], {"2106.09685": "used", "a1b2c3d4e5": "used"}, "2021-06-17")
    ent("llama-2", "Model", "LLaMA-2", ["Llama 2"], {"f0f0f0f0f0": "baseline"}, None)
    ent("llama-2-7b", "Model", "LLaMA-2-7B", [], {"a1b2c3d4e5": "used"}, "2023-05-23")
    ent("gpt-4", "Model", "GPT-4", [], {"f0f0f0f0f0": "used"}, None)
    ent("question-answering", "Task", "question answering", ["QA"], {"f0f0f0f0f0": "used"}, None)
    ent("accuracy", "Metric", "accuracy", [], {"a1b2c3d4e5": "used"}, "2023-05-23")

    def rel(s, p, o, *ev):
        G.add_edge(s, o, key=p, predicate=p, support=len({e["paper"] for e in ev}), evidence=list(ev),
                   confidence=max([e["confidence"] for e in ev], default=1.0))

    rel("lora", "outperforms", "full-fine-tuning",
        _evidence("2106.09685", "LoRA outperforms full fine-tuning on GLUE."))
    rel("lora", "evaluatedOn", "glue", _evidence("2106.09685", "LoRA outperforms full fine-tuning on GLUE.", 0.8))
    rel("llama-2-7b", "evaluatedOn", "glue",
        _evidence("a1b2c3d4e5", "We fine-tune LLaMA-2-7B with LoRA and report accuracy on GLUE."))
    rel("llama-2-7b", "combinesWith", "lora", _evidence("a1b2c3d4e5", "We fine-tune LLaMA-2-7B with LoRA"))
    rel("gpt-4", "outperforms", "llama-2",
        _evidence("f0f0f0f0f0", "GPT-4 beats LLaMA-2 <script>alert(3)</script> on question answering."))
    rel("gpt-4", "evaluatedOn", "question-answering", _evidence("f0f0f0f0f0", "GPT-4 beats LLaMA-2 on QA."))
    rel("llama-2-7b", "variantOf", "llama-2")
    return G


def _result_corpus():
    """Three papers with known numbers (the leaderboard tests' corpus): accuracy on GLUE written as a percentage
    and as a fraction, perplexity on WikiText-2, a measure of unknown direction, a difference with its baseline,
    and claims that disagree."""
    papers = [
        Paper("2106.09685", "LoRA", "LoRA reaches 89.1% accuracy on GLUE, +2.3 points over full fine-tuning. "
              "LoRA outperforms full fine-tuning on GLUE. LoRA outperforms LLaMA-2-7B in accuracy on GLUE.",
              date="2021-06-17"),
        Paper("a1b2c3d4e5", "LLaMA-2-7B", "LLaMA-2-7B gets 0.914 accuracy on GLUE and 5.47 perplexity on "
              "WikiText-2, where LoRA has 6.1.", date="2023-05-23"),
        Paper("f0f0f0f0f0", "Full fine-tuning", "Full fine-tuning outperforms LoRA on GLUE: 86.8% against 88.0% "
              "accuracy, vibe check 7 against 9.", date="2024-01-02"),
    ]
    E = Entity
    ext = [
        PaperExtraction("2106.09685", "LoRA", [
            E("LoRA", "Method", "proposed"), E("full fine-tuning", "Method", "baseline"), E("GLUE", "Dataset", "used"),
            E("accuracy", "Metric", "used"), E("LLaMA-2-7B", "Model", "baseline"),
        ], [
            Relation("LoRA", "outperforms", "full fine-tuning", "LoRA outperforms full fine-tuning on GLUE.", 78, 120),
            Relation("LoRA", "outperforms", "LLaMA-2-7B", "LoRA outperforms LLaMA-2-7B in accuracy on GLUE.", 121, 170),
        ], [
            Result("LoRA", "accuracy", "GLUE", "89.1%", 89.1, "%", "absolute", None, "89.1% accuracy on GLUE", 20, 42),
            Result("LoRA", "accuracy", "GLUE", "+2.3 points", 2.3, "points", "delta", "full fine-tuning",
                   "+2.3 points over full fine-tuning", 44, 77),
        ]),
        PaperExtraction("a1b2c3d4e5", "LLaMA-2-7B", [
            E("LLaMA-2-7B", "Model", "proposed"), E("GLUE", "Dataset", "used"), E("accuracy", "Metric", "used"),
            E("perplexity", "Metric", "used"), E("WikiText-2", "Dataset", "used"), E("LoRA", "Method", "baseline"),
        ], [], [
            Result("LLaMA-2-7B", "accuracy", "GLUE", "0.914", 0.914, "", "absolute", None, "0.914 accuracy on GLUE"),
            Result("LLaMA-2-7B", "perplexity", "WikiText-2", "5.47", 5.47, "", "absolute", None, "5.47 perplexity"),
            Result("LoRA", "perplexity", "WikiText-2", "6.1", 6.1, "", "absolute", None, "LoRA has 6.1"),
        ]),
        PaperExtraction("f0f0f0f0f0", "Full fine-tuning", [
            # used, not proposed: an unnamed phrase a paper proposes stays that paper's own (kg.link's gate)
            E("full fine-tuning", "Method", "used"), E("LoRA", "Method", "baseline"), E("GLUE", "Dataset", "used"),
            E("accuracy", "Metric", "used"), E("vibe check", "Metric", "used"),
        ], [
            Relation("full fine-tuning", "outperforms", "LoRA", "Full fine-tuning outperforms LoRA on GLUE", 18, 59),
        ], [
            Result("full fine-tuning", "accuracy", "GLUE", "86.8%", 86.8, "%", "absolute", None, "86.8%"),
            Result("LoRA", "accuracy", "GLUE", "88.0%", 88.0, "%", "absolute", None, "88.0% accuracy"),
            Result("full fine-tuning", "vibe check", "GLUE", "7", 7.0, "", "absolute", None, "vibe check 7"),
            Result("LoRA", "vibe check", "GLUE", "9", 9.0, "", "absolute", None, "against 9"),
        ]),
    ]
    return papers, ext


@pytest.fixture
def result_corpus():
    """``(papers, extractions)`` of :func:`_result_corpus`."""
    return _result_corpus()


@pytest.fixture
def result_graph():
    """The graph :func:`kg.graph.build_graph` makes of :func:`result_corpus`: 9 result nodes, 3 conflicts."""
    from kg.graph import build_graph

    return build_graph(*_result_corpus())


@pytest.fixture
def result_graph_dir(result_graph, tmp_path):
    """A graph directory holding ``kg.json`` and ``kg.ttl`` of :func:`result_graph`."""
    from kg.export.rdf import write_rdf
    from kg.graph import save_graph

    out = tmp_path / "results"
    out.mkdir()
    save_graph(result_graph, out / "kg.json")
    write_rdf(result_graph, out / "kg.ttl")
    return out


@pytest.fixture
def rdf_graph_dir(small_graph, tmp_path):
    """A graph directory holding ``kg.ttl``: :func:`small_graph` exported as Turtle."""
    from kg.export.rdf import write_rdf

    out = tmp_path / "graph"
    write_rdf(small_graph, out / "kg.ttl", format="turtle")
    return out


CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run"]


@pytest.fixture(scope="session")
def chromium():
    """Debian's headless Chromium driven by playwright (tests marked ``browser``; see ``.ci/install-browser``).

    Skips when Chromium or playwright is missing, unless the environment variable ``CI`` is set: then it fails.
    """
    import importlib.util
    import os

    if not os.access(CHROMIUM, os.X_OK) or importlib.util.find_spec("playwright") is None:
        reason = f"browser tests need Debian chromium at {CHROMIUM} and the playwright package: run .ci/install-browser"
        if os.environ.get("CI"):
            pytest.fail(reason)
        pytest.skip(reason)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def link_cases():
    """Per-paper extractions of one entity each: the linking cases of issue 17 (``tests/data/link/cases.tsv``,
    names from the annotated papers and the issue), with their labelled pairs in ``tests/data/link/pairs.tsv``."""
    from pathlib import Path

    rows = []
    for line in (Path(__file__).parent / "data" / "link" / "cases.tsv").read_text().splitlines():
        if line and not line.startswith("#"):
            paper, name, type_, role, generic, aliases = line.split("\t")
            rows.append(PaperExtraction(paper, f"title {paper}", [
                Entity(name, type_, role, [a for a in aliases.split("|") if a], generic=generic == "1")]))
    return rows


@pytest.fixture
def bad_file(tmp_path):
    """``check(name, content, reader, message)``: writes `content` to a file `name`, reads it with `reader` and
    checks that the error names the file and says `message` (the linker's data readers)."""
    from kg.errors import InputError

    def check(name, content, reader, message):
        path = tmp_path / name
        path.write_text(content)
        with pytest.raises(InputError) as err:
            reader(path)
        assert name in str(err.value) and message in str(err.value), str(err.value)

    return check


@pytest.fixture
def open_tmp():
    """A fresh folder that every user can enter (pytest's own are private to their owner), removed after."""
    path = tempfile.mkdtemp(prefix="kg-test-")
    os.chmod(path, 0o755)
    yield Path(path)
    shutil.rmtree(path, ignore_errors=True)


@pytest.fixture
def unprivileged():
    """``run(func, *args)``: call `func` as a user to whom permission bits apply.

    As root (whom no permission bit stops) the call runs in a forked child as the user ``nobody``; its return
    value or exception comes back pickled. Modules it needs must be imported before (``nobody`` may not read
    the Python installation). Otherwise it is a plain call.
    """
    def run(func, *args):
        if os.geteuid() != 0:
            return func(*args)
        read, write = os.pipe()
        pid = os.fork()
        if pid == 0:  # the child: drop privileges, run, report, never return into pytest
            try:
                os.setgroups([])
                os.setgid(65534)
                os.setuid(65534)
                outcome = ("ok", func(*args))
            except BaseException as exc:  # noqa: B036 - reported to the parent
                outcome = ("error", exc)
            try:
                data = pickle.dumps(outcome)
                pickle.loads(data)  # exceptions with several arguments do not come back from a pickle
            except Exception:  # noqa: BLE001
                value = outcome[1]
                data = pickle.dumps(("error", RuntimeError(f"{type(value).__name__}: {value}")))
            with os.fdopen(write, "wb") as fh:
                fh.write(data)
            os._exit(0)
        os.close(write)
        with os.fdopen(read, "rb") as fh:
            data = fh.read()
        os.waitpid(pid, 0)
        kind, value = pickle.loads(data)
        if kind == "error":
            raise value
        return value

    return run


# -- extraction without spaCy, for the build, update and kill tests ----------------------------------------------

def fake_extract(papers, **kwargs):
    """Extraction without spaCy: the capitalised words of the title are entities, the first beats the second."""
    out = []
    for p in papers:
        words = (w.strip(".,:") for w in p.title.split())
        names = list(dict.fromkeys(w for w in words if w[:1].isupper() and w not in ("Beats", "On", "And")))
        entities = [Entity(n, "Method", "proposed" if i == 0 else "used") for i, n in enumerate(names)]
        relations = [Relation(names[0], "outperforms", names[1], p.title, 0, len(p.title), 0.9)]
        out.append(PaperExtraction(p.id, p.title, entities, relations))
    return out


def fake_chunks(papers, **kwargs):
    """:func:`kg.pipeline.extract_chunks` with :func:`fake_extract`: one chunk."""
    yield papers, [json.dumps(e.to_dict()) for e in fake_extract(papers)]


@pytest.fixture
def fake_extraction(monkeypatch):
    """Builds and updates extract with :func:`fake_extract`."""
    import kg.pipeline

    monkeypatch.setattr(kg.pipeline, "extract_chunks", fake_chunks)


@pytest.fixture
def result_extraction(monkeypatch):
    """Builds and updates extract the papers of :func:`result_corpus` as its extractions say (results included)."""
    import kg.pipeline

    by_id = {e.id: e for e in _result_corpus()[1]}

    def chunks(papers, **kwargs):
        yield papers, [json.dumps(by_id[p.id].to_dict()) for p in papers]

    monkeypatch.setattr(kg.pipeline, "extract_chunks", chunks)
    return _result_corpus()


def _content(path):
    """A file's bytes; a store's quads, sorted, blank nodes unnamed (its files are RocksDB's own business, and a
    blank node gets a new name at each load)."""
    if path.is_dir():
        import re

        from pyoxigraph import Store

        return sorted(re.sub(r"_:\w+", "_:", str(q)) for q in Store.read_only(str(path)))
    return path.read_bytes()


def snapshot(folder):
    """Every output of a build folder: file name -> content (:func:`_content`)."""
    return {p.name: _content(p) for p in sorted(Path(folder).iterdir())}




@pytest.fixture
def corpus():
    """Eight papers and their :func:`fake_extract` extractions: names shared across papers (LoRA, GLUE), so that
    linking in batches has known nodes to join."""
    titles = ["LoRA Beats Adapters On GLUE", "QLoRA Beats LoRA On GLUE", "DoRA Beats LoRA And Adapters",
              "Prefix Beats Adapters On SuperGLUE", "LoRA Beats Prefix On SuperGLUE", "VeRA Beats DoRA On GLUE",
              "GaLore Beats LoRA On MMLU", "ReLoRA Beats GaLore And QLoRA"]
    papers = [Paper(f"p{i}", t, f"Abstract {i}.", date=f"2024-01-{i + 1:02d}", source="corpus.jsonl", position=i + 1)
              for i, t in enumerate(titles)]
    return papers, fake_extract(papers)


@pytest.fixture
def truncated_corpus():
    """Papers whose sentences (from the bundled corpus) cut a longer name down to a shorter one, and papers
    that write the names whole: ``(papers, extractions)``."""
    def paper(pid, abstract, *entities):
        p = Paper(pid, "A title", abstract)
        ents = []
        for name, type_, text in entities:
            at = [m.start() for m in re.finditer(rf"(?<!\w){re.escape(text)}(?!\w)", p.text)]
            ents.append(Entity(name, type_, "used", mentions=[Mention(text, i, i + len(text)) for i in at]))
        return p, PaperExtraction(pid, p.title, ents)

    rows = [
        paper("bert-sizes", "We create sparse pre-trained BERT-Base, BERT-Large and DistilBERT.",
              ("BERT", "Model", "BERT")),
        paper("bert", "We fine-tune BERT on GLUE.", ("BERT", "Model", "BERT"), ("GLUE", "Dataset", "GLUE")),
        paper("clip-metric", "It beats pruning baselines in terms of FID, CLIP, and CMMD scores.",
              ("CLIP", "Model", "CLIP"), ("FID", "Metric", "FID")),
        paper("clip-score", "Images are scored by CLIP score.", ("CLIP score", "Metric", "CLIP score")),
        paper("clip", "We use CLIP as the text encoder.", ("CLIP", "Model", "CLIP")),
        paper("few-shot", "Prompting enables few-shot or even zero-shot learning.", ("few-shot", "Task", "few-shot")),
        paper("fsl", "We study few-shot learning.", ("few-shot learning", "Task", "few-shot learning")),
        paper("tiny", "ResNet on the tiny-ImageNet data set.", ("ImageNet", "Dataset", "ImageNet")),
        paper("imagenet", "Top-1 accuracy on ImageNet.", ("ImageNet", "Dataset", "ImageNet")),
        paper("drafter", "Llama 2 Chat Drafter 115M with speculative decoding achieves up to 2.3 block efficiency.",
              ("Llama", "Model", "Llama")),
        paper("llama-2", "We fine-tune Llama 2 and compare with LLaMA.", ("Llama 2", "Model", "Llama 2"),
              ("LLaMA", "Model", "LLaMA")),
    ]
    return [p for p, _ in rows], [x for _, x in rows]


@pytest.fixture
def context_corpus():
    """Papers whose sentences (from the bundled corpus) use a metric's name for a phase or multiply a process,
    and papers that write the metric itself: ``(papers, extractions)`` (rules of :mod:`kg.link.context`)."""
    def paper(pid, abstract, *entities):
        p = Paper(pid, "A title", abstract)
        ents = []
        for name, text, provenance in entities:
            at = [m.start() for m in re.finditer(rf"(?<!\w){re.escape(text)}(?!\w)", p.text)]
            ents.append(Entity(name, "Metric", "used", mentions=[Mention(text, i, i + len(text)) for i in at],
                               provenance=list(provenance)))
        return p, PaperExtraction(pid, p.title, ents)

    rows = [
        paper("phase", "Input variations which are unseen at training time.", ("training time", "training time", ())),
        paper("both", "It should be cheap, both at train and inference time.",
              ("inference time", "inference time", ())),
        paper("d1", "We obtain a 5x reduction in training time.", ("training time", "training time", ())),
        paper("d2", "The training time of the model grows.", ("training time", "training time", ())),
        paper("d3", "This makes the inference time 50% shorter.", ("inference time", "inference time", ())),
        paper("x2", "BLAST achieves a 2x compression of the weights.", ("compression", "compression", ["kg_results"])),
        paper("plain", "We study compression of images.", ("compression", "compression", ["kg_results"])),
        paper("r1", "It reaches a high compression ratio.", ("compression ratio", "compression ratio", ())),
        paper("r2", "The compression ratio is 20.", ("compression ratio", "compression ratio", ())),
    ]
    return [p for p, _ in rows], [x for _, x in rows]


def _rule_paper(pid, abstract, *entities):
    """A paper and its extraction for the linker-rule corpora: each entity ``(name, type, text, aliases,
    provenance)`` mentioned wherever `text` stands as a whole word (nowhere when `text` is None)."""
    p = Paper(pid, "A title", abstract)
    ents = []
    for name, type_, text, aliases, provenance in entities:
        at = [m.start() for m in re.finditer(rf"(?<!\w){re.escape(text)}(?!\w)", p.text)] if text else []
        mentions = [Mention(text, i, i + len(text)) for i in at]
        ents.append(Entity(name, type_, "used", list(aliases), mentions=mentions, provenance=list(provenance)))
    return p, PaperExtraction(pid, p.title, ents)


@pytest.fixture
def round5_corpus():
    """Papers whose sentences (from the bundled corpus) lose a quality, define an abbreviation in the text, report
    a number in a unit of a dimension that other papers write, gloss a phrase in parentheses, or call a name an
    optimizer (the quality of a loss, rules ``text_definition``, ``written_dimension``, ``gloss_mention``,
    ``optimizer_act``): ``(papers, extractions)``."""
    paper = _rule_paper
    rows = [
        paper("drop", "It prunes 30% of the weights with only a 0.38% drop in accuracy.",
              ("accuracy", "Metric", "accuracy", (), ())),
        paper("gap", "No accuracy loss, and a <0.5 point accuracy gap.", ("accuracy", "Metric", "accuracy", (), ())),
        paper("both", "It reaches 80% accuracy with a minor accuracy loss.",
              ("accuracy", "Metric", "accuracy", (), ())),
        paper("acc", "Our method improves accuracy on ImageNet.", ("accuracy", "Metric", "accuracy", (), ())),
        paper("loss", "The accuracy loss stays small.", ("accuracy loss", "Metric", "accuracy loss", (), ())),
        paper("ce", "We explain the classical cross-entropy (CE) loss and SVM loss.", ("CE", "Method", "CE", (), ())),
        paper("xent", "Models are trained with cross-entropy.", ("cross-entropy", "Method", "cross-entropy", (), ())),
        paper("cem", "The Cross-Entropy Method (CEM) samples plans.", ("CEM", "Method", "CEM", (), ())),
        paper("mem", "It represents the network with merely 8.7MB.",
              ("memory", "Metric", None, ("MB",), ("kg_results",))),
        paper("hrs", "Training takes only 6 hours.", ("time", "Metric", None, ("hours",), ("kg_results",))),
        *[paper(f"m{i}", "It needs less memory than LoRA.", ("memory", "Metric", "memory", (), ())) for i in range(3)],
        paper("state", "They are bottlenecked by the accessible state size (memory) determining the next prediction.",
              ("memory", "Metric", "memory", (), ())),
        paper("adam", "Gradient-based optimizers, particularly Adam, have left their mark.",
              ("Adam", "Method", "Adam", (), ())),
        paper("adamopt", "A lower variance compared to Adam optimization.",
              ("Adam optimization", "Method", "Adam optimization", (), ())),
        paper("llm", "Large language models as optimizers: we prompt an LLM.", ("LLM", "Method", "LLM", (), ())),
        paper("llmopt", "LLM optimization is costly.", ("LLM optimization", "Method", "LLM optimization", (), ())),
    ]
    return [p for p, _ in rows], [x for _, x in rows]


@pytest.fixture
def round6_corpus():
    """Papers that write a dimension only with a cost head, rate a loss as "pure", or optimize by a descent method
    (rules ``written_dimension``, the rating words, ``descent_method``): ``(papers, extractions)``."""
    paper = _rule_paper
    rows = [
        paper("mb", "The compressed network takes merely 5MB.", ("memory", "Metric", None, ("MB",), ("kg_results",))),
        paper("m0", "It halves the memory of the optimizer.", ("memory", "Metric", "memory", (), ())),
        *[paper(f"c{i}", "It lowers memory costs during training.", ("memory costs", "Metric", "memory costs", (), ()))
          for i in range(2)],
        paper("pure", "It beats the pure cross entropy on noisy labels.",
              ("pure cross entropy", "Method", "pure cross entropy", (), ())),
        paper("xent", "Classifiers are trained with cross-entropy.",
              ("cross-entropy", "Method", "cross-entropy", (), ())),
        *[paper(f"pe{i}", "We study pure exploration in bandits.", ("pure exploration", "Task", "pure exploration", (),
                                                                     ())) for i in range(2)],
        paper("expl", "Exploration is hard in sparse rewards.", ("exploration", "Task", "exploration", (), ())),
        paper("gd", "The weights are updated through gradient descent.",
              ("gradient descent", "Method", "gradient descent", (), ())),
        paper("gdo", "Gradient descent optimization of the codes favors a few of them.",
              ("gradient descent optimization", "Method", "Gradient descent optimization", (), ())),
        paper("po", "Policy optimization is unstable.",
              ("policy optimization", "Method", "policy optimization", (), ())),
        paper("pol", "The policy is a network.", ("policy", "Method", "policy", (), ())),
    ]
    return [p for p, _ in rows], [x for _, x in rows]
