"""Custom attributes the ``kg_*`` spaCy components share (registered once, idempotently).

Contract between the components
-------------------------------
``doc.spans["kg_entities"]``
    every entity mention; ``span.label_`` is its type (Method, Model, Dataset, Task, Metric) and
    ``span.kb_id_`` the key of the entity it belongs to (mentions of one entity share it).
``doc._.kg_entities``
    dict ``key -> kg.records.Entity`` (name, type, role, aliases, mentions, confidence, generic), one per
    entity of the paper; relation endpoints refer to ``Entity.name``.
``doc._.kg_relations``
    list of :class:`kg.records.Relation` between entity names of the same doc.
``doc._.kg_results``
    list of :class:`kg.records.Result` (GUIDELINE.md, "Results") whose subject, metric, dataset and baseline are
    entity names; set by ``kg_results`` (:mod:`kg.extract.results`), which also adds the Metric entities it
    creates to ``doc._.kg_entities`` and ``doc.spans["kg_entities"]``.
``doc._.kg_role_probs``
    dict ``key -> {role: probability}``: the role classifier's probabilities of each entity's roles, when a role
    classifier decided them (features of the relation classifier); else None.
``doc._.kg_abbreviations``
    list of ``(short_span, long_span)`` pairs found by the abbreviation component.
``doc._.kg_candidates``
    list of :class:`kg.extract.candidates.Candidate`, the non-overlapping candidate mentions in text order.
``doc._.kg_analysis``
    :class:`kg.extract.analysis.DocAnalysis`: title, role scopes, abbreviation pairs, computed once.
"""

from spacy.tokens import Doc

__all__ = ["SPAN_KEY", "register_extensions"]

#: Key of the SpanGroup holding entity mentions.
SPAN_KEY = "kg_entities"


def register_extensions():
    """Register the ``Doc._.kg_*`` attributes (safe to call many times)."""
    for name in ("kg_entities", "kg_relations", "kg_results", "kg_abbreviations", "kg_candidates", "kg_analysis",
                 "kg_role_probs"):
        if not Doc.has_extension(name):
            Doc.set_extension(name, default=None)
