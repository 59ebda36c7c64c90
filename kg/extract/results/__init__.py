"""``kg_results``: the numbers an abstract reports, with what they measure and on what (GUIDELINE.md, "Results").

Patterns propose, attachment rules decide. The number, qualifier, setting and metric-word patterns are data
(``kg/extract/data/result_patterns.json``, each with an id, its output and example sentences that the tests run),
applied by spaCy's :class:`~spacy.matcher.Matcher` to a *canonical* copy of the doc (:func:`canonical_token`:
LaTeX and typography folded, Metric mentions as ``ENT_TYPE``). Each number found is then attached
(:mod:`kg.extract.results.attach`) to the entities the earlier components put on the doc
(``doc._.kg_entities``, ``doc.spans["kg_entities"]``): its metric (a Metric mention or measure noun next to the
number, the object of "reduces X by", a metric word such as "faster"; a metric stated only by a word becomes a
new Metric entity), its subject (the method in parentheses before it, the subject of its clause, else the
paper's own contribution), its dataset (else task) in the same sentence, its kind (``absolute`` or ``delta``)
and, for a delta, the baseline named after "than", "over", "compared with" or an outperform verb.

The component writes ``doc._.kg_results`` (a list of :class:`kg.records.Result` whose endpoints are entity
*names*; :class:`kg.records.PaperExtraction` turns them into keys) and adds the Metric entities it creates to
``doc._.kg_entities`` and ``doc.spans["kg_entities"]``. Every result's ``provenance`` lists the ids of the
patterns and attachment rules that produced it, so that per-rule precision can be measured. The choice of
rules over a learned attachment model was made by cross-validation on the training annotations
(``benchmarks/results_cv.py``).
"""

import json
from pathlib import Path

from spacy.language import Language

from ..extensions import register_extensions
from .attach import DATASET_FALLBACK, extract_results
from .context import Mentions, anchor_entity
from .metric import FALLBACK_METRIC, RULE_CONFIDENCE, metric_phrase
from .numbers import NumberMention, clean_value, find_numbers, parse_values
from .patterns import PATTERNS_PATH, PatternMatchers, ResultPatterns, canonical_doc, canonical_token, load_patterns

__all__ = [
    "PATTERNS_PATH", "ResultPatterns", "NumberMention", "load_patterns", "canonical_token", "canonical_doc",
    "parse_values", "clean_value", "PatternMatchers", "find_numbers", "Mentions", "anchor_entity", "metric_phrase",
    "RULE_CONFIDENCE", "FALLBACK_METRIC", "DATASET_FALLBACK", "extract_results", "ResultExtractor", "make_results",
]


class ResultExtractor:
    """The ``kg_results`` pipeline component (see the module docstring)."""

    def __init__(self, vocab, patterns, min_confidence=0.0):
        self.patterns = patterns
        self.matchers = PatternMatchers(vocab, patterns)
        self.min_confidence = min_confidence

    def __call__(self, doc):
        register_extensions()
        doc._.kg_results = [r for r in extract_results(doc, self.matchers) if r.confidence >= self.min_confidence]
        return doc

    def to_disk(self, path, exclude=()):
        """Save the patterns (``patterns.json``) in `path`, as spaCy's SpanRuler saves its own."""
        path = Path(path)
        path.mkdir(parents=True, exist_ok=True)
        (path / "patterns.json").write_text(json.dumps(self.patterns.source, ensure_ascii=False, indent=1),
                                            encoding="utf-8")

    def from_disk(self, path, exclude=()):
        """Load the patterns saved by :meth:`to_disk`."""
        self.patterns = load_patterns(Path(path) / "patterns.json")
        self.matchers = PatternMatchers(self.matchers.vocab, self.patterns)
        return self


@Language.factory(
    "kg_results",
    assigns=["doc._.kg_results", "doc._.kg_entities", "doc.spans"],
    requires=["doc._.kg_entities"],
    default_config={"patterns_path": None, "min_confidence": 0.0},
)
def make_results(nlp, name, patterns_path=None, min_confidence=0.0):
    """Build the ``kg_results`` component.

    Parameters
    ----------
    nlp : spacy.Language
    name : str
    patterns_path : str, optional
        A pattern file like ``kg/extract/data/result_patterns.json`` (the default).
    min_confidence : float
        Results below this confidence are dropped.
    """
    register_extensions()
    return ResultExtractor(nlp.vocab, load_patterns(patterns_path), min_confidence)
